"""The build's cache: plain JSON, outside the repository, that can cost time but never correctness.

What it keeps
    For each data file that loaded cleanly, the plain values strict YAML parsed from it (mappings,
    lists, text, numbers: JSON's own types), keyed by the SHA-256 of the file's bytes, and the
    file's status when it was read (``signature``: size, modification and change times in
    nanoseconds, inode and device). A file whose status is the same is not read again (issue 13:
    reading and hashing 100,000 files was most of a rebuild's loading); any other is read and
    hashed, and its parse reused only for the same bytes. The change time cannot be set back by
    a program (``os.utime`` sets it to now), so a file rewritten in place to the same size with its
    modification time restored is read again; a status within two seconds of the moment it was taken
    is not kept (a file written twice in one tick of a coarse clock). What comes from the cache is
    then checked against the schema and converted exactly as a freshly parsed file, so the cache
    never stands in for a check.

What it trusts: nothing
    - No pickle, no code: ``json.loads`` builds only plain values.
    - Each segment file (one per month of audits, with their records; one for cycles; one for the
      files at the root) carries an HMAC of its text under a key kept in
      the user's cache folder, never in the repository or the work folder: a cache file planted in
      the repository (``build/cache/...``), copied from elsewhere or hand-edited fails the MAC and
      is ignored. So does one from another ehqa version or loader (``stamp``), and anything of the
      wrong shape. Every doubt is a cache miss, never an error.
    - It lives outside the tracked tree by default (``default_work_dir``): ``$XDG_CACHE_HOME/ehqa``
      (else ``~/.cache/ehqa``), one folder per repository. CI starts from a fresh one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any, Iterable

from ehqa import __version__
from ehqa.atomic import create_exclusive, write_atomic_bytes

log = logging.getLogger(__name__)

FORMAT = "ehqa.load-cache"
FORMAT_VERSION = 3  # raise when what a segment holds changes (2: a segment per month; 3: each file's status)
RECENT_NS = 2_000_000_000  # a status taken within this of its file's last change is not trusted next time
MAX_SEGMENT_BYTES = 256 * 1024 * 1024  # a bigger file is not ours: ignored unread
_KEY_FILE = "cache.key"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CODE = ("load", "model")  # packages of ehqa whose code decides what a file parses and loads to
_ephemeral_key = secrets.token_bytes(32)  # when no key can be kept: the cache then lasts one process


def user_cache_root() -> Path:
    """``$XDG_CACHE_HOME/ehqa``, or ``~/.cache/ehqa``: the user's, never the repository's."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "ehqa"


def default_work_dir(repo: Path) -> Path:
    """Where ``ehqa build`` and ``ehqa serve`` keep the generated pages and the caches of ``repo``:
    a folder of the user's cache named after the repository's resolved path (outside the tracked tree)."""
    real = Path(repo).resolve()
    label = re.sub(r"[^A-Za-z0-9._-]", "_", real.name)[:40] or "repo"
    return user_cache_root() / f"{label}-{hashlib.sha256(os.fsencode(real)).hexdigest()[:16]}"


def stamp() -> str:
    """What a cached parse depends on besides the file's bytes: this format, ehqa's version and the
    code of the loader and the model. Any change starts the cache again."""
    digest = hashlib.sha256(f"{FORMAT}/{FORMAT_VERSION}/{__version__}".encode())
    package = Path(__file__).resolve().parents[1]
    for folder in _CODE:
        for source in sorted((package / folder).glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


class ParsedCache:
    """The parsed documents of one build's data files, by segment; ``folder`` None keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stamp = stamp() if folder is not None else ""
        self._key = _key() if folder is not None else b""
        self._segments: dict[str, dict[str, tuple[str, Any, list | None]]] = {}  # as read
        self._fresh: dict[str, dict[str, tuple[str, Any, list | None]]] = {}  # as this build found them

    def _entry(self, relative: str) -> tuple[str, Any, list | None] | None:
        segment = segment_of(relative)
        if segment not in self._segments:
            self._segments[segment] = self._read(segment)
        return self._segments[segment].get(relative)

    def get(self, relative: str, sha256: str) -> Any | None:
        """The parsed document of ``relative`` when the cache holds one for exactly these bytes."""
        entry = self._entry(relative)
        return entry[1] if entry is not None and entry[0] == sha256 else None

    def digest_of(self, relative: str) -> str | None:
        """The SHA-256 of the bytes whose parse the cache holds for ``relative``, if it holds one."""
        entry = self._entry(relative)
        return entry[0] if entry is not None else None

    def unchanged(self, relative: str, status: list) -> tuple[str, Any] | None:
        """The digest and parsed document of ``relative`` when it was read with this very ``signature``."""
        entry = self._entry(relative)
        return (entry[0], entry[1]) if entry is not None and entry[2] == status else None

    def put(self, relative: str, sha256: str, doc: Any, status: list | None = None) -> None:
        """Remember a file that loaded cleanly (its document passed the schema and converted), with the
        ``signature`` of the file it was read from when that can be trusted next time."""
        self._fresh.setdefault(segment_of(relative), {})[relative] = (sha256, doc, status)

    def save(self) -> None:
        """Write every segment whose files changed; a failure to write is only a slower next build. What is
        written becomes what this cache holds as read, for a process that loads again (``ehqa serve``)."""
        if self.folder is None:
            return
        for segment in set(self._segments) | set(self._fresh):
            fresh = self._fresh.pop(segment, {})
            if fresh == self._segments.get(segment):
                continue
            path = self.folder / _file_name(segment)
            try:
                if not fresh:
                    path.unlink(missing_ok=True)
                    self._segments[segment] = {}
                    continue
                payload = json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "stamp": self.stamp,
                                      "segment": segment, "files": {k: {"sha256": v[0], "doc": v[1], "stat": v[2]}
                                                                    for k, v in sorted(fresh.items())}},
                                     ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                # not synced: a file lost to a power cut is a miss, and a torn one fails its MAC
                write_atomic_bytes(path, self._mac(payload).encode("ascii") + b"\n" + payload, sync=False)
                self._segments[segment] = fresh
            except (OSError, ValueError, TypeError) as exc:
                log.warning("could not write the load cache %s: %s", path, exc)

    def _read(self, segment: str) -> dict[str, tuple[str, Any]]:
        """One segment as written by ``save``, or {} for anything else: missing, too big, not ours
        (MAC), another stamp, or any value of the wrong shape."""
        if self.folder is None:
            return {}
        path = self.folder / _file_name(segment)
        try:
            if not path.is_file() or path.stat().st_size > MAX_SEGMENT_BYTES:
                return {}
            mac, _, payload = path.read_bytes().partition(b"\n")
            if not hmac.compare_digest(mac, self._mac(payload).encode("ascii")):
                log.info("the load cache %s is not this user's; its files are read again", path.name)
                return {}
            return _entries(json.loads(payload), self.stamp, segment)
        except Exception:  # noqa: BLE001 - whatever a damaged cache does, it is only a cache miss
            log.info("the load cache %s could not be read; its files are read again", path.name)
            return {}

    def _mac(self, payload: bytes) -> str:
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()


def signature(status: os.stat_result, now_ns: int) -> list | None:
    """What says a file is the one read before: None when it changed too lately to be sure (two seconds)."""
    if now_ns - max(status.st_mtime_ns, status.st_ctime_ns) < RECENT_NS:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


def segment_of(relative: str) -> str:
    """The part of the cache a file is kept in: one per month of audits (``audits/2026-11``, with the
    records of its cases), one for cycles, one for the files at the root. A segment per folder of
    records was 13,000 files to read and write for a 10-year service (issue 13)."""
    first = relative.find("/")  # str.find, not split and join: called three times for each of 100,000 files
    if first < 0:
        return "root"
    second = relative.find("/", first + 1)
    return relative[:first] if second < 0 else relative[:second]


def _file_name(segment: str) -> str:
    return f"{hashlib.sha256(segment.encode('utf-8')).hexdigest()[:20]}.json"


def _entries(saved: Any, expected_stamp: str, segment: str) -> dict[str, tuple[str, Any, list | None]]:
    """A segment's entries after checking its shape; {} when anything is not as ``save`` writes it."""
    if not isinstance(saved, dict) or saved.get("format") != FORMAT or saved.get("version") != FORMAT_VERSION:
        return {}
    if saved.get("stamp") != expected_stamp or saved.get("segment") != segment:
        return {}
    files = saved.get("files")
    if not isinstance(files, dict):
        return {}
    entries: dict[str, tuple[str, Any, list | None]] = {}
    for relative, entry in files.items():
        if segment_of(relative) != segment or not isinstance(entry, dict) or set(entry) != {"sha256", "doc", "stat"}:
            return {}
        digest, doc, status = entry["sha256"], entry["doc"], entry["stat"]
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest) or not isinstance(doc, dict):
            return {}
        if status is not None and not (isinstance(status, list) and len(status) == 5
                                       and all(type(n) is int for n in status)):
            return {}
        entries[relative] = (digest, doc, status)
    return entries


def mac_of(payload: bytes) -> str:
    """The HMAC of ``payload`` under this user's cache key: for the build's other caches (``site.render_cache``)."""
    return hmac.new(_key(), payload, hashlib.sha256).hexdigest()


def macs_of(payloads: Iterable[bytes]) -> list[str]:
    """``mac_of`` of each payload, the key read once (the leak scan's thousands of identifiers)."""
    key = _key()
    return [hmac.new(key, payload, hashlib.sha256).hexdigest() for payload in payloads]


def _key() -> bytes:
    """This user's key for the cache's MACs, kept in the user's cache folder (created once, private)."""
    path = user_cache_root() / _KEY_FILE
    for _ in range(2):
        try:
            key = path.read_bytes()
            if len(key) == 32:
                return key
            return _ephemeral_key  # not ours: never trust it, never replace it
        except FileNotFoundError:
            try:
                create_exclusive(path, secrets.token_bytes(32))  # a private (0600) file
            except FileExistsError:
                continue  # another build made it first: read theirs
            except OSError:
                break
        except OSError:
            break
    return _ephemeral_key
