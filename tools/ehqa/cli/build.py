"""``ehqa build``: the learning site (R21), anonymised and checked for leaks."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import FOLDER, as_of_option, repo_option, work_option


class ClickProgress:
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


@click.command()
@repo_option
@as_of_option
@click.option("--out", type=FOLDER, default=None,
              help="Where to publish the site (default: site/ in the repository). Replaced whole, and only by a "
                   "site the leak scan passed.")
@work_option
@click.option("--strict", is_flag=True,
              help="Fail on any MkDocs warning (a broken link) and on any data file that does not load (CI).")
@click.option("--clean", is_flag=True, help="Forget the generated pages and the caches first; draw every chart again.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and any problem.")
@click.option("--deploy", is_flag=True,
              help="Building for GitHub Pages (the site workflow): refuse, before building, unless qa.yaml's "
                   "publication.site says the site goes to github-pages and who can see it.")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="What builds the pages: MkDocs with Material, or its successor Zensical (pinned; pip install "
                   "-e '.[zensical]'). The same leak scan either way.")
def build(repo: Path, as_of: date, out: Path | None, work: Path | None, strict: bool, clean: bool,
          quiet: bool, deploy: bool, engine: str) -> None:
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
    from ehqa.site.build import build_site
    from ehqa.site.build import clean as forget
    from ehqa.site.publish import terminate_cleanly

    if deploy:
        from ehqa.errors import DataError
        from ehqa.load.repository import load_settings
        from ehqa.rules.staff_settings import deploy_refusal

        refusal = deploy_refusal(load_settings(repo))
        if refusal:
            raise DataError(refusal)
    out = out or repo / "site"
    work = work or default_work_dir(repo)
    if clean:
        forget(work)
    started = time.perf_counter()
    with terminate_cleanly():
        built = build_site(repo, out, work, as_of, strict, ClickProgress(quiet), engine=engine)
    total = time.perf_counter() - started
    if built.leaks:
        kept = "still holds the previous site" if built.out.is_dir() else "does not exist"
        click.echo(format_leaks(built.leaks), err=True)
        click.echo(f"ehqa: the site would publish personal data; nothing was published ({out} {kept}). "
                   "Fix the text named above (most often a learning excerpt) and build again.", err=True)
        sys.exit(1)
    g, engine_s = built.generated, built.timings.get(built.engine, 0.0)
    label = "MkDocs" if built.engine == "mkdocs" else f"Zensical {built.engine_version}"
    timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in {**g.timings, **built.timings}.items())
    click.echo(f"built {out} in {total:.1f} s: {g.pages_written} files written, {g.pages_unchanged} unchanged, "
               f"{g.files_removed} removed; {g.charts_drawn} charts drawn, {g.charts_cached} from the cache; "
               f"{g.files_read} data files read, {g.files_cached} from the cache"
               + (f"; {built.pages_rendered} pages rendered, {built.renders_cached} from the cache"
                  if built.engine == "mkdocs" else ""))
    click.echo(f"  time: ours {built.ours:.2f} s ({_share(built.ours, total)}), {label} {engine_s:.2f} s "
               f"({_share(engine_s, total)}); {timings}")
    click.echo("  leak scan: no case reference, staff name, id or handle in any file")


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"
