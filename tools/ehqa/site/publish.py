"""Putting a built site in place only once it has been scanned: `--out` is the last scanned site or nothing.

The site is built into a temporary folder beside ``out`` (the same parent, so the same file
system, so a rename is atomic), private to its owner (mode 0700) and hidden by its name
(``.<out>.ehqa-new-<pid>-<random>``), so that a web server publishing the parent cannot show
it half-written. Only after the leak scan has passed over it is it renamed into place: the old
site is renamed aside (``.<out>.ehqa-old-…``), the new one renamed to ``out``, the old one
removed. An exception, a leak found, Ctrl+C or SIGTERM removes the temporary folder and leaves
``out`` as it was; SIGKILL or a power cut may leave a temporary folder, but never in ``out``,
and the next build removes every such folder whose process has ended.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

_NEW, _OLD = "ehqa-new", "ehqa-old"
_STALE_WITHOUT_PIDS = 24 * 3600  # where process ids cannot be checked, a day-old folder is stale


class Terminated(SystemExit):
    """SIGTERM during a build, raised so that the temporary folder is removed on the way out."""


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within: SIGTERM raises ``Terminated`` (exit 143), as Ctrl+C raises KeyboardInterrupt, so that
    ``staged`` can clean up. Only the main thread can set a signal handler; elsewhere, a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Stage:
    """The temporary folder a site is built and scanned in; ``publish`` puts it in place."""

    def __init__(self, out: Path, path: Path) -> None:
        self.out = out
        self.path = path
        self.published = False

    def publish(self) -> None:
        """Rename the scanned site into ``out``: a reader sees the old site, then (for an instant) none,
        then the new one; never a part of either."""
        os.chmod(self.path, _mode_for(self.out, self.path))
        for attempt in range(5):
            aside = _aside(self.out)
            try:
                os.rename(self.out, aside)
            except FileNotFoundError:
                aside = None
            try:
                os.rename(self.path, self.out)
            except OSError as exc:  # another build put its site there in between: move that aside too
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY) or attempt == 4:
                    raise
                continue
            finally:
                if aside is not None:
                    shutil.rmtree(aside, ignore_errors=True)
            self.published = True
            return


@contextmanager
def staged(out: Path) -> Iterator[Stage]:
    """A fresh temporary folder beside ``out`` to build into; removed on leaving unless published.
    Stale folders of earlier, interrupted builds are removed first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    path = Path(tempfile.mkdtemp(prefix=f".{out.name}.{_NEW}-{os.getpid()}-", dir=out.parent))  # mode 0700
    stage = Stage(out, path)
    try:
        yield stage
    finally:
        if not stage.published:
            shutil.rmtree(path, ignore_errors=True)


def remove_stale(out: Path) -> list[Path]:
    """Remove the temporary and set-aside folders that interrupted builds left beside ``out``."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:{_NEW}|{_OLD})-(\d+)-[A-Za-z0-9_]+")
    removed = []
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return removed
    for sibling in siblings:
        match = pattern.fullmatch(sibling.name)
        if match and sibling.is_dir() and not sibling.is_symlink() and _ended(int(match[1]), sibling):
            shutil.rmtree(sibling, ignore_errors=True)
            removed.append(sibling)
    if removed:
        log.info("removed %d folders left by interrupted builds beside %s", len(removed), out)
    return removed


def _ended(pid: int, folder: Path) -> bool:
    """Whether the build that made ``folder`` has ended (this process has none open when it asks)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return time.time() - folder.stat().st_mtime > _STALE_WITHOUT_PIDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: alive, someone else's
        return False
    return False


def _aside(out: Path) -> Path:
    return out.parent / f".{out.name}.{_OLD}-{os.getpid()}-{os.urandom(4).hex()}"


def _mode_for(out: Path, stage: Path) -> int:
    """The published folder's mode: the old site's, else what the umask gives a new folder."""
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except OSError:
        probe = stage / ".ehqa-mode-probe"
        os.mkdir(probe)  # honours the umask, unlike mkdtemp; no process-wide umask change needed
        try:
            return stat.S_IMODE(probe.stat().st_mode)
        finally:
            probe.rmdir()
