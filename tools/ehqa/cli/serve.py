"""``ehqa serve``: a live preview of the learning site, only ever of a site the leak scan passed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.build import ClickProgress
from ehqa.cli.params import as_of_option, repo_option, work_option


@click.command()
@repo_option
@as_of_option
@work_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to serve on.")
def serve(repo: Path, as_of: date, work: Path | None, port: int, host: str) -> None:
    """Preview the learning site at http://127.0.0.1:8000/, rebuilt as the data changes.

    Builds the site exactly as `ehqa build` does, into the work folder (preview/), and
    serves it with MkDocs' live-reloading server. When qa.yaml, staff.yaml, cycles/,
    audits/ or site_templates/ change, it builds again; only a site the leak scan
    passed replaces the one served, so the preview never shows an unscanned page.
    Leaks are reported here, and the last clean preview stays. Stop with Ctrl+C.
    """
    from ehqa.load.build_cache import default_work_dir
    from ehqa.site.serve import serve_site

    serve_site(repo, work or default_work_dir(repo), as_of, host, port, ClickProgress(quiet=False),
               say=lambda message: click.echo(message, err=True))
