"""Building the learning site: generate the Markdown and charts, build them with MkDocs, scan for leaks.

``generate`` writes the docs into ``<work>/docs`` (the work folder is outside the repository by
default: ``load.build_cache.default_work_dir``), touching only the files whose bytes change, so
that a rebuild after one new audit rewrites only the pages that audit changes; charts come from
``<work>/cache/charts`` when their data has not changed. ``build_site`` then runs MkDocs (with
Material) through its Python API, or Zensical (``--engine zensical``: ``site.engines``), into a temporary folder beside ``out``, scans every file it
wrote with the leak scan of ``privacy.site_scan``, and only when the scan finds nothing renames
it into ``out`` (``publish``): ``out`` always holds the last scanned site, or nothing. With MkDocs,
each page's render and search entries come from ``<work>/cache/render`` when nothing they depend on
changed (``site.render_cache``); the site is the same bytes as a build from nothing.

No verdict of the leak scan is kept between builds: every file of every build is scanned (about
0.7 s for the demo, 3 s for a 12,000-audit service), so no cache can let a file through.

Where the repository has no ``site_templates/`` or ``mkdocs.yml`` of its own (a service written
by ``ehqa demo --out``), those of the ehqa source tree are used.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ehqa import layout
from ehqa.atomic import write_atomic_bytes
from ehqa.errors import DataError
from ehqa.load.cached import Memo, load_for_site
from ehqa.load.schema_check import SchemaError
from ehqa.model import Service
from ehqa.site.charts import Chart, cached, draw_many, store
from ehqa.site.pages import site_pages
from ehqa.site.publish import Terminated, staged
from ehqa.site.template_cache import keep_compiled

log = logging.getLogger(__name__)

SOURCE_TREE = Path(__file__).resolve().parents[3]
TEMPLATES = "site_templates"
CONFIG = "mkdocs.yml"
FIXED_PAGES = 9 + 11  # the pages besides the reports: home, the indexes, framework, consistency...; the forms' index and forms
OVERRIDES = "overrides"  # site_templates/overrides: mkdocs.yml's theme.custom_dir, read by MkDocs, not a page


class SiteError(DataError):
    """The site cannot be built; the message says why and what to do (exit 1)."""


class Progress:
    """How the build tells a person what it is doing; the command line gives one with progress bars."""

    def stage(self, message: str) -> None:
        log.info(message)

    @contextmanager
    def bar(self, label: str, length: int):
        yield lambda n=1: None


@dataclass
class Generated:
    service: Service
    pages_written: int = 0
    pages_unchanged: int = 0
    files_removed: int = 0
    charts_drawn: int = 0
    charts_cached: int = 0
    files_read: int = 0
    files_cached: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Built:
    generated: Generated
    out: Path
    leaks: list = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    engine: str = "mkdocs"  # or "zensical" (site.engines)
    engine_version: str = ""
    pages_rendered: int = 0  # pages whose Markdown MkDocs rendered this time
    renders_cached: int = 0  # pages whose render came from the cache (site.render_cache)

    @property
    def ours(self) -> float:
        return sum(self.generated.timings.values())


def source_of(repo: Path, name: str) -> Path:
    """The repository's own site_templates/ or mkdocs.yml, else the ehqa source tree's."""
    own = repo / name
    return own if own.exists() else SOURCE_TREE / name


def generate(repo: Path, work: Path, as_of: date, progress: Progress | None = None, strict: bool = False,
             workers: int = 1, memo: Memo | None = None) -> Generated:
    """Write the site's Markdown, charts and static files into ``work/docs``, changing only what changed.
    ``memo``: what a long-running preview keeps between rebuilds (``load.cached.Memo``)."""
    progress = progress or Progress()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    progress.stage("reading the repository")
    try:
        loaded = load_for_site(repo, work / "cache", workers, memo)
    except SchemaError as exc:
        raise SiteError(f"{exc}: run `ehqa validate`") from None
    service = loaded.service
    if service.settings is None or service.staff is None:
        raise SiteError("qa.yaml and staff.yaml must load cleanly: run `ehqa validate`")
    if loaded.findings:
        problems, files = len(loaded.findings), len({f.file for f in loaded.findings})
        message = f"{problems} problem{'s' if problems != 1 else ''} in {files} data file{'s' if files != 1 else ''}"
        if strict:
            raise SiteError(f"{message}: run `ehqa validate` and fix them (--strict builds only from clean data)")
        log.warning("%s: the site leaves those files out; run `ehqa validate`", message)
    result = Generated(service, files_read=loaded.read, files_cached=loaded.cached)
    timings["load"] = time.perf_counter() - started

    started = time.perf_counter()
    charts: dict[str, Chart] = {}

    def add_chart(chart: Chart) -> Chart:
        charts.setdefault(chart.digest, chart)
        return chart

    templates = source_of(repo, TEMPLATES)
    jobs = (FIXED_PAGES + len(service.cycles) + len(service.settings.learning_themes)
            + len({c[:4] for c in service.cycles}))
    with progress.bar("writing pages", jobs) as advance:
        pages = site_pages(service, as_of, templates, add_chart, advance, submitted=submission_dates(repo, service),
                           schemas=source_of(repo, layout.SCHEMAS), compiled=work / "cache" / TEMPLATE_CODE)
    timings["pages"] = time.perf_counter() - started

    started = time.perf_counter()
    docs = work / "docs"
    wanted: dict[str, bytes] = {page.path: page.text.encode("utf-8") for page in pages}
    for static in sorted(templates.rglob("*")):
        relative = static.relative_to(templates)
        if static.is_file() and not static.name.endswith(".j2") and relative.parts[0] != OVERRIDES:
            wanted[relative.as_posix()] = static.read_bytes()
    cache = work / "cache" / "charts"
    to_draw = []
    for chart in charts.values():
        svg = cached(chart, cache)
        if svg is None or not _looks_like_svg(svg):  # anything odd in the cache is drawn again
            to_draw.append(chart)
        else:
            wanted[chart.path] = svg
    result.charts_cached = len(charts) - len(to_draw)
    with progress.bar("drawing charts", len(to_draw)) as advance:
        for chart, svg in draw_many(to_draw, workers):
            store(chart, svg, cache)
            wanted[chart.path] = svg
            result.charts_drawn += 1
            advance(1)
    timings["charts"] = time.perf_counter() - started

    started = time.perf_counter()
    _drop_links(docs)
    for relative, data in wanted.items():
        target = docs / relative
        if target.is_file() and target.read_bytes() == data:
            result.pages_unchanged += 1
            continue
        write_atomic_bytes(target, data, sync=False)  # made again by the next build if a power cut loses it
        result.pages_written += 1
    result.files_removed = _remove_stale(docs, set(wanted))
    timings["write"] = time.perf_counter() - started
    result.timings = timings
    return result


def _remove_stale(docs: Path, wanted: set[str]) -> int:
    removed = 0
    for path in sorted(docs.rglob("*"), reverse=True):  # children before their folders
        relative = path.relative_to(docs).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


def mkdocs_config(repo: Path, docs: Path, out: Path, strict: bool, site_name: str, **overrides):
    from mkdocs.config import load_config

    return load_config(config_file=str(source_of(repo, CONFIG)), docs_dir=str(docs), site_dir=str(out),
                       strict=strict, site_name=site_name, **overrides)


def submission_dates(repo: Path, service) -> dict | None:
    """R13: when each audit landed on main, from one `git log` pass; None when the settings say to
    use the recorded completed dates, or when there is no history (a warning says so)."""
    if service.settings.timescales.submission_dates != "git":
        return None
    from ehqa.load.git_history import first_landed

    return first_landed(repo)


def build_site(repo: Path, out: Path, work: Path, as_of: date, strict: bool = False,
               progress: Progress | None = None, workers: int | None = None, engine: str = "mkdocs",
               memo: Memo | None = None) -> Built:
    """Generate, build with MkDocs (or Zensical: ``engines``) beside ``out``, scan every file written for
    identifiers, and only then put the site in ``out``. With leaks, ``built.leaks`` names them and ``out`` is
    left as it was."""
    from ehqa.site import engines

    engines.require(engine)  # a missing engine is said before the work, not after it
    progress = progress or Progress()
    out = Path(os.path.abspath(out)).resolve()  # a link to the real folder: the site replaces the folder
    refuse_out(repo, out, work)
    generated = generate(repo, work, as_of, progress, strict, workers=workers or os.cpu_count() or 1, memo=memo)
    built = Built(generated, out, engine=engine)

    try:
        with staged(out) as stage:
            started = time.perf_counter()
            name = _site_name(generated.service)
            if engine == "zensical":
                progress.stage(f"building the site with Zensical beside {out}")
                built.engine_version = engines.build_with_zensical(source_of(repo, CONFIG), work, stage.path, strict,
                                                                   name)
            else:
                progress.stage(f"building the site with MkDocs beside {out}")
                built.pages_rendered, built.renders_cached = _build_with_mkdocs(repo, work, stage.path, strict, name)
            built.timings[engine] = time.perf_counter() - started

            started = time.perf_counter()
            progress.stage("scanning every file of the site for case references, staff names, ids and handles")
            built.leaks = scan_built_site(stage.path, generated.service, work / "cache" / LEAK_SCAN_CACHE,
                                          workers or os.cpu_count() or 1)
            built.timings["leak scan"] = time.perf_counter() - started
            if not built.leaks:
                stage.publish()
    except OSError as exc:
        raise SiteError(f"cannot build the site beside {out}: {exc.strerror or exc}") from None
    return built


def _build_with_mkdocs(repo: Path, work: Path, site: Path, strict: bool, name: str) -> tuple[int, int]:
    """Build ``work/docs`` into ``site``; the pages rendered, and those whose render came from the cache."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from ehqa.site.render_cache import caching

    try:
        config = mkdocs_config(repo, work / "docs", site, strict, name)
        theme_env = config.theme.get_env
        config.theme.get_env = lambda: keep_compiled(theme_env(), work / "cache" / TEMPLATE_CODE)
        with caching(work / "cache" / "render", config, source_of(repo, CONFIG)) as cache:  # issue 13
            build(config)
        return cache.misses, cache.hits
    except Terminated:
        raise
    except (MkDocsException, SystemExit) as exc:  # Abort in strict mode, a bad mkdocs.yml
        raise SiteError(f"MkDocs could not build the site: {exc}") from None


TEMPLATE_CODE = "templates"  # in <work>/cache: compiled Jinja templates, authenticated (site.template_cache)
LEAK_SCAN_CACHE = "leak-scan.json"  # in <work>/cache: which files were found clean, authenticated (privacy.site_scan)


def scan_built_site(site: Path, service: Service, cache: Path | None = None, workers: int = 1) -> list:
    """The leak scan of a whole built site: every file read and hashed, every build; with ``cache``, a file
    found clean before, byte for byte, is searched only for the identifiers that are new since."""
    from ehqa.privacy.site_scan import identifiers_from, scan_site

    return list(scan_site(site, identifiers_from(service), cache, workers))


def _site_name(service: Service) -> str:
    return f"{service.settings.service_name}: learning from case audits"


def refuse_out(repo: Path, out: Path, work: Path) -> None:
    """The site replaces the folder it is published to: never let that be the repository or anything
    in it that matters, nor the work folder (folder names compared whatever their case)."""
    if os.path.lexists(out) and not out.is_dir():  # a file, a device or a pipe: the site would be renamed over it
        raise SiteError(f"--out {out} is not a folder; the site replaces the folder it goes to")
    target, repo = out.resolve(), repo.resolve()
    if target == repo or target in repo.parents:
        raise SiteError(f"--out {out} would hold the repository itself; the site replaces the folder it goes to "
                        "(as MkDocs empties the folder it builds into)")
    work = work.resolve()
    if target == work or target in work.parents or any(
            target == work / part or (work / part) in target.parents for part in ("docs", "cache")):
        raise SiteError(f"--out {out} overlaps the build folder {work}")
    if target.is_relative_to(repo):
        top = target.relative_to(repo).parts[0]
        if top.casefold() in _DATA_FOLDERS:
            raise SiteError(f"--out {out} is inside {top}/ of the repository; build the site into site/")
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        raise SiteError(f"--out {out} is a folder that holds something other than a built site, and the site "
                        "would replace it; choose a new or empty folder")


_DATA_FOLDERS = {*layout.DATA_FOLDERS, layout.SCHEMAS, "tools", TEMPLATES, ".git", ".github"}


def _looks_like_svg(data: bytes) -> bool:
    """A cached chart's shape: an SVG document as charts.py writes it, whole."""
    return data.startswith(b"<?xml") and b"<svg" in data[:4096] and data.rstrip().endswith(b"</svg>")


def _drop_links(docs: Path) -> None:
    """Remove any symbolic link in the generated docs: a link planted there would make the writes
    below land outside the work folder, or MkDocs read a file from anywhere."""
    if not docs.is_dir():
        return
    for folder, dirs, files in os.walk(docs):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            if path.is_symlink():
                path.unlink()
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]


def clean(work: Path) -> None:
    """Forget the generated docs and the caches (``ehqa build --clean``)."""
    shutil.rmtree(work / "docs", ignore_errors=True)
    shutil.rmtree(work / "cache", ignore_errors=True)

