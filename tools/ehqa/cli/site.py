"""`ehqa build` and `ehqa serve`: the learning site (R21), anonymised and checked for leaks."""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from .options import as_of_option, cli, repo_option

work_option = click.option(
    "--work", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where the generated Markdown and the caches go (default: build/ in the repository; never published).")


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
              help="Where to write the site (default: site/ in the repository). MkDocs empties it first.")
@work_option
@click.option("--strict", is_flag=True,
              help="Fail on any MkDocs warning (a broken link) and on any data file that does not load (CI).")
@click.option("--clean", is_flag=True, help="Forget the generated pages and the caches first; draw every chart again.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and any problem.")
def build(repo: Path, as_of: date | None, out: Path | None, work: Path | None, strict: bool, clean: bool,
          quiet: bool) -> None:
    """Build the learning site: pages from site_templates/, charts, MkDocs, then the leak scan.

    Renders Markdown from the Jinja templates in site_templates/ into build/docs/ (only the
    pages whose content changes are rewritten; charts are cached by the hash of their data),
    builds it with MkDocs and the Material theme into --out, and scans every file written
    for case references and staff names, ids and handles. Exits 1, publishing nothing, when
    the scan finds any, or when the site cannot be built.
    """
    from ..render.site.build import SiteError, build_site
    from ..render.site.build import clean as forget
    from ..render.site_leaks import format_leaks

    out = out or repo / "site"
    work = work or repo / "build"
    if clean:
        forget(work)
    started = time.perf_counter()
    try:
        built = build_site(repo, out, work, as_of or date.today(), strict, _ClickProgress(quiet))
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None
    total = time.perf_counter() - started
    g = built.generated
    if built.leaks:
        import shutil

        shutil.rmtree(out, ignore_errors=True)
        click.echo(format_leaks(built.leaks), err=True)
        click.echo(f"ehqa: the site would publish personal data; nothing was published ({out} was removed). "
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
    """Preview the learning site at http://127.0.0.1:8000/, reloading as the data changes.

    Generates the pages, then serves them with MkDocs' live-reloading server. A watcher
    regenerates the pages when qa.yaml, staff.yaml, cycles/, audits/ or site_templates/
    change; MkDocs then rebuilds and the browser reloads. Each regeneration is scanned for
    leaks, and any is reported here. Stop with Ctrl+C.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    from ..render.site.build import SiteError, generate, source_of
    from ..render.site.build import _site_name as site_name

    work = work or repo / "build"
    progress = _ClickProgress(quiet=False)

    def regenerate(workers: int = 1):
        try:
            generated = generate(repo, work, as_of or date.today(), progress, workers=workers)
        except SiteError as exc:
            click.echo(f"ehqa: {exc}", err=True)
            return
        _scan_docs(work / "docs", generated.service)
        click.echo(f"ehqa: {generated.pages_written} files written, {generated.pages_unchanged} unchanged", err=True)
        return generated

    generated = regenerate(os.cpu_count() or 1)  # before any thread starts: charts may be drawn in forked workers
    if generated is None:
        raise click.ClickException("the site could not be generated")
    watcher = threading.Thread(target=_watch, args=(repo, regenerate), daemon=True)
    watcher.start()
    mkdocs_serve(config_file=str(source_of(repo, "mkdocs.yml")), docs_dir=str(work / "docs"),
                 dev_addr=f"{host}:{port}", site_name=site_name(generated.service), livereload=True)


def _scan_docs(docs: Path, service) -> None:
    from ..render.site_leaks import format_leaks, identifiers_from, scan_site

    leaks = scan_site(docs, identifiers_from(service))
    if leaks:
        click.echo(format_leaks(leaks) + "\nehqa: this preview shows personal data: `ehqa build` would refuse it",
                   err=True)


WATCHED = ("qa.yaml", "staff.yaml", "cycles", "audits", "site_templates")


def _watch(repo: Path, regenerate, interval: float = 1.0) -> None:
    """Poll the data and the templates; regenerate when anything in them changes (no MkDocs hooks needed)."""
    seen = _signature(repo)
    while True:
        time.sleep(interval)
        now = _signature(repo)
        if now != seen:
            seen = now
            regenerate()


def _signature(repo: Path) -> int:
    entries = []
    for name in WATCHED:
        path = repo / name
        if path.is_file():
            stat = path.stat()
            entries.append((name, stat.st_mtime_ns, stat.st_size))
        elif path.is_dir():
            for folder, _, files in os.walk(path):
                for file in files:
                    try:
                        stat = os.stat(os.path.join(folder, file))
                    except OSError:
                        continue
                    entries.append((os.path.join(folder, file), stat.st_mtime_ns, stat.st_size))
    return hash(tuple(sorted(entries)))
