"""``ehqa serve``: the preview, rebuilt as the data changes, through the same safe path as ``ehqa build``.

Each rebuild is ``build_site`` into ``<work>/preview``; only a site the leak scan passed replaces
the one served, so the preview never shows an unscanned page. MkDocs' live-reloading server
watches the data and the templates and serves the preview.
"""

from __future__ import annotations

import errno
import os
import socket
from datetime import date
from pathlib import Path
from typing import Callable

from ehqa.errors import DataError
from ehqa.load.cached import Memo
from ehqa.privacy.site_scan import format_leaks
from ehqa.site.build import TEMPLATES, Progress, SiteError, build_site, source_of

# A change to any of these rebuilds the preview.
WATCHED = ("qa.yaml", "staff.yaml", "cycles", "audits", "site_templates")


def serve_site(repo: Path, work: Path, as_of: date, host: str, port: int, progress: Progress,
               say: Callable[[str], None]) -> None:
    """Build the preview, then serve it until Ctrl+C, rebuilding when a watched file changes. ``say``
    tells the person what happened (a problem, a leak, a rebuild); ``DataError`` when the first
    build fails, so that nothing is served."""
    from mkdocs.livereload import LiveReloadServer

    preview = work / "preview"
    memo = Memo()  # the records of unchanged files, kept between rebuilds (issue 13)

    def rebuild(workers: int = 1) -> bool:
        try:
            built = build_site(repo, preview, work, as_of, progress=progress, workers=workers, memo=memo)
        except SiteError as exc:  # the server keeps running: the preview keeps the last clean site
            say(f"ehqa: {exc}")
            return False
        if built.leaks:
            say(format_leaks(built.leaks) + "\nehqa: this build would publish personal data: the preview "
                "keeps the last clean site")
            return False
        say(f"ehqa: {built.generated.pages_written} files written, scanned and served")
        return True

    refuse_unless_free(host, port)  # before the first build, which takes a while on a large service
    if not rebuild(os.cpu_count() or 1):  # before any thread starts: charts may be drawn in forked workers
        raise DataError("the site could not be built without a problem: fix it, then serve again")
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(preview))
    server.error_handler = lambda code: _page(preview / f"{code}.html")
    for name in WATCHED:
        path = source_of(repo, TEMPLATES) if name == TEMPLATES else repo / name
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        say("ehqa: stopped")
    except OSError as exc:
        if exc.errno not in _CANNOT_LISTEN:  # anything else is not about --host and --port
            raise
        raise DataError(_cannot_listen(host, port, exc)) from None  # taken since the first look
    finally:
        server.shutdown()


# Why a server cannot listen: the port taken, the address not this machine's, a port below 1024 without the right.
_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)


def refuse_unless_free(host: str, port: int) -> None:
    """``DataError`` in plain words when the preview could not listen at ``host``:``port`` (another preview, or
    another program, has the port; or the address is not this machine's): said before anything is built."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
            probe.bind((host, port))
            probe.listen(1)
    except OSError as exc:
        raise DataError(_cannot_listen(host, port, exc)) from None


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"cannot preview at http://{host}:{port}/: the port is in use (another `ehqa serve`, or another "
                f"program); stop it, or choose another port with --port, for example --port {port + 1 if port < 65535 else 8001}")
    return f"cannot preview at http://{host}:{port}/: {exc.strerror or exc}; check --host and --port"


def _page(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
