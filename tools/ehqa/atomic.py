"""Writing files safely: every write is atomic (a temporary file, then a rename), and a new file
is created exclusively (never over one that appeared a moment ago).

``write_or_fail`` and ``create_or_fail`` are the same writes for a command: a failure becomes the
``DataError`` a person reads (exit 1), never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from ehqa.errors import DataError


def write_atomic_bytes(path: Path, data: bytes, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half of it.

    ``sync=False`` skips the flush to disk, for what a build can always make again (its caches and
    generated pages, thousands of files, each checked when read): a power cut may then lose the new
    file, never leave half of it in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _refuse_other_than_a_file(path)
    tmp = _complete_temporary(path, data, sync)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    write_atomic_bytes(path, text.encode("utf-8"))


def create_exclusive(path: Path, data: str | bytes) -> None:
    """Create ``path`` holding ``data``, complete or not at all, and never over an existing file.

    Raises FileExistsError when the name is taken, even by a file created after any check a
    caller made: the complete temporary file is hard-linked into place, and a link fails when
    the name exists. Where the file system has no hard links, the name is first claimed with
    ``O_CREAT | O_EXCL`` and the complete file then renamed over that claim. Never check-then-write.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _complete_temporary(path, data)
    try:
        try:
            os.link(tmp, path)
            return
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network and FAT file systems)
            pass
        claim = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # FileExistsError when taken
        os.close(claim)
        os.replace(tmp, path)  # over our own empty claim only
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_or_fail(path: Path, text: str, shown: str | Path | None = None) -> None:
    """``write_atomic``; ``DataError`` naming the file (as ``shown``, else its path) when it cannot be written."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise DataError(f"cannot write {shown or path}: {exc.strerror or exc}") from None


def create_or_fail(path: Path, data: str | bytes, taken: str, shown: str | Path | None = None) -> None:
    """``create_exclusive``; ``DataError`` with the message ``taken`` when the name is taken (even by a
    file created a moment ago), or naming the file when it cannot be written."""
    try:
        create_exclusive(path, data)
    except FileExistsError:
        raise DataError(taken) from None
    except OSError as exc:
        raise DataError(f"cannot write {shown or path}: {exc.strerror or exc}") from None


def _refuse_other_than_a_file(path: Path) -> None:
    """A rename replaces whatever has the name: never a device (``--ics /dev/null``, run as root, replaced the
    machine's), a pipe or a folder. A symbolic link is replaced itself, as a file is."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OSError(errno.EEXIST, "it is not a file (a folder, a device or a pipe), and ehqa writes only files",
                      str(path))


def _complete_temporary(path: Path, data: bytes, sync: bool = True) -> str:
    """A temporary file beside ``path`` (same file system, so a rename is atomic), written and synced."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
