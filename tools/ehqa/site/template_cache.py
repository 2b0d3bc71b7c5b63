"""Compiled Jinja templates kept between builds: ours (``site.pages``) and the theme's (MkDocs').

Compiling the 60 templates of Material and ``site_templates/`` took about 0.8 s of every build (issue 13).
Jinja's own bytecode cache does the work: each template's compiled code is kept with a checksum of its
source, and Jinja compiles again whenever the source differs, so an edited template is never served stale.
We only choose where the code is kept:

- in this process's memory, for ``ehqa serve`` and anything else that builds more than once;
- in ``<work>/cache/templates``, for the next ``ehqa build``. Compiled code runs when it is loaded, so a file
  there is used only under an HMAC with the user's key (``load.build_cache``): a file planted, copied or
  damaged is compiled again, never run.

The key of each template also says how the environment compiles (autoescape, whitespace options,
extensions): the same file compiled by two environments is two entries.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from ehqa.atomic import write_atomic_bytes
from ehqa.load.build_cache import mac_of

log = logging.getLogger(__name__)

_MEMORY: dict[str, bytes] = {}  # this process's: key -> Jinja's bytes for the bucket
MAX_FILE_BYTES = 8 * 1024 * 1024  # a compiled template is tens of kilobytes: a bigger file is not ours


class TemplateCodeCache(BytecodeCache):
    """Jinja's bytecode cache for one environment, in memory and, with ``folder``, on disk under a MAC."""

    def __init__(self, environment: jinja2.Environment, folder: Path | None = None) -> None:
        options = (jinja2.__version__, environment.autoescape, environment.trim_blocks, environment.lstrip_blocks,
                   environment.keep_trailing_newline, environment.newline_sequence, type(environment.undefined).__name__,
                   sorted(environment.extensions))
        self._options = hashlib.sha256(repr(options).encode()).hexdigest()
        self.folder = folder

    def _key(self, bucket: Bucket) -> str:
        return hashlib.sha256(f"{self._options}/{bucket.key}".encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        key = self._key(bucket)
        data = _MEMORY.get(key)
        if data is None and self.folder is not None:
            data = self._from_disk(key)
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja resets the bucket if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        key, data = self._key(bucket), bucket.bytecode_to_string()
        _MEMORY[key] = data
        if self.folder is not None:
            try:
                write_atomic_bytes(self.folder / key, mac_of(data).encode("ascii") + b"\n" + data, sync=False)
            except OSError as exc:  # only a slower next build
                log.info("could not keep a compiled template in %s: %s", self.folder, exc)

    def _from_disk(self, key: str) -> bytes | None:
        path = self.folder / key
        try:
            if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                return None
            mac, _, data = path.read_bytes().partition(b"\n")
        except OSError:
            return None
        if not hmac.compare_digest(mac, mac_of(data).encode("ascii")):
            log.info("the compiled template %s is not this user's: compiled again", path.name)
            return None
        return data


def keep_compiled(environment: jinja2.Environment, folder: Path | None = None) -> jinja2.Environment:
    """``environment``, keeping its compiled templates in memory and, with ``folder``, on disk."""
    environment.bytecode_cache = TemplateCodeCache(environment, folder)
    return environment
