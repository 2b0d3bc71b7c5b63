"""``ehqa serve``: the preview, rebuilt as the data changes, through the same safe path as ``ehqa build``.

Each rebuild is ``build_site`` into ``<work>/preview``; only a site the leak scan passed replaces
the one served, so the preview never shows an unscanned page. MkDocs' live-reloading server
watches the data and the templates and serves the preview.
"""

from __future__ import annotations

import os
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
    finally:
        server.shutdown()


def _page(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
