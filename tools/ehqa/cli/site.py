"""`ehqa build` and `ehqa serve`: the learning site (R21), anonymised and checked for leaks."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from ehqa.cli.options import as_of_option, cli, repo_option

work_option = click.option(
    "--work", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where the generated Markdown and the caches go; never published. Default: a folder of this repository "
         "in $XDG_CACHE_HOME/ehqa (else ~/.cache/ehqa), outside the repository. CI: a fresh folder.")


class _ClickProgress:
    """Stages as lines, long work as progress bars, on stderr; quiet with --quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def stage(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"ehqa: {message}", err=True)

    @contextmanager
    def bar(self, label: str, length: int):
        if self.quiet or length < 20:
            yield lambda n=1: None
            return
        with click.progressbar(length=length, label=f"ehqa: {label}", file=sys.stderr) as bar:
            yield bar.update


@cli.command()
@repo_option
@as_of_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to publish the site (default: site/ in the repository). Replaced whole, and only by a "
                   "site the leak scan passed.")
@work_option
@click.option("--strict", is_flag=True,
              help="Fail on any MkDocs warning (a broken link) and on any data file that does not load (CI).")
@click.option("--clean", is_flag=True, help="Forget the generated pages and the caches first; draw every chart again.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and any problem.")
def build(repo: Path, as_of: date | None, out: Path | None, work: Path | None, strict: bool, clean: bool,
          quiet: bool) -> None:
    """Build the learning site: pages from site_templates/, charts, MkDocs, then the leak scan.

    Renders Markdown from the Jinja templates in site_templates/ into the work folder
    (outside the repository; only the pages whose content changes are rewritten; charts
    are cached by the hash of their data), builds it with MkDocs and the Material theme
    into a temporary folder beside --out, and scans every file written for case
    references and staff names, ids and handles. Only a site the scan passed replaces
    --out. Exits 1 when the scan finds anything, or when the site cannot be built; --out
    then still holds the previous site (or nothing), and so does it after Ctrl+C or a kill.
    """
    from ehqa.load.build_cache import default_work_dir
    from ehqa.privacy.site_scan import format_leaks
    from ehqa.site.build import SiteError, build_site
    from ehqa.site.build import clean as forget
    from ehqa.site.publish import terminate_cleanly

    out = out or repo / "site"
    work = work or default_work_dir(repo)
    if clean:
        forget(work)
    started = time.perf_counter()
    try:
        with terminate_cleanly():
            built = build_site(repo, out, work, as_of or date.today(), strict, _ClickProgress(quiet))
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None
    total = time.perf_counter() - started
    g = built.generated
    if built.leaks:
        kept = "still holds the previous site" if built.out.is_dir() else "does not exist"
        click.echo(format_leaks(built.leaks), err=True)
        click.echo(f"ehqa: the site would publish personal data; nothing was published ({out} {kept}). "
                   "Fix the text named above (most often a learning excerpt) and build again.", err=True)
        sys.exit(1)
    mkdocs = built.timings.get("mkdocs", 0.0)
    timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in {**g.timings, **built.timings}.items())
    click.echo(f"built {out} in {total:.1f} s: {g.pages_written} files written, {g.pages_unchanged} unchanged, "
               f"{g.files_removed} removed; {g.charts_drawn} charts drawn, {g.charts_cached} from the cache; "
               f"{g.files_read} data files read, {g.files_cached} from the cache")
    click.echo(f"  time: ours {built.ours:.2f} s ({_share(built.ours, total)}), MkDocs {mkdocs:.2f} s "
               f"({_share(mkdocs, total)}); {timings}")
    click.echo("  leak scan: no case reference, staff name, id or handle in any file")


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


@cli.command()
@repo_option
@as_of_option
@work_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to serve on.")
def serve(repo: Path, as_of: date | None, work: Path | None, port: int, host: str) -> None:
    """Preview the learning site at http://127.0.0.1:8000/, rebuilt as the data changes.

    Builds the site exactly as `ehqa build` does, into the work folder (preview/), and
    serves it with MkDocs' live-reloading server. When qa.yaml, staff.yaml, cycles/,
    audits/ or site_templates/ change, it builds again; only a site the leak scan
    passed replaces the one served, so the preview never shows an unscanned page.
    Leaks are reported here, and the last clean preview stays. Stop with Ctrl+C.
    """
    from mkdocs.livereload import LiveReloadServer

    from ehqa.load.build_cache import default_work_dir
    from ehqa.privacy.site_scan import format_leaks
    from ehqa.site.build import TEMPLATES, SiteError, build_site, source_of

    work = work or default_work_dir(repo)
    preview = work / "preview"
    progress = _ClickProgress(quiet=False)

    def rebuild(workers: int = 1) -> bool:
        try:
            built = build_site(repo, preview, work, as_of or date.today(), progress=progress, workers=workers)
        except SiteError as exc:
            click.echo(f"ehqa: {exc}", err=True)
            return False
        if built.leaks:
            click.echo(format_leaks(built.leaks) + "\nehqa: this build would publish personal data: the preview "
                       "keeps the last clean site", err=True)
            return False
        click.echo(f"ehqa: {built.generated.pages_written} files written, scanned and served", err=True)
        return True

    if not rebuild(os.cpu_count() or 1):  # before any thread starts: charts may be drawn in forked workers
        raise click.ClickException("the site could not be built without a problem: fix it, then serve again")
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(preview))
    server.error_handler = lambda code: _page(preview / f"{code}.html")
    for name in WATCHED:
        path = source_of(repo, TEMPLATES) if name == TEMPLATES else repo / name
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        click.echo("ehqa: stopped", err=True)
    finally:
        server.shutdown()


WATCHED = ("qa.yaml", "staff.yaml", "cycles", "audits", "site_templates")


def _page(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
