"""The learning site: `ehqa build` on the committed demo, checked page by page and file by file.

The demo is built once (a module fixture; it takes some seconds, with the charts the run drew once, conftest's
``drawn_charts``). The privacy checks here are
independent of ``privacy.site_scan``: they read the identifiers straight from the YAML files and
search every output file for them in their plain forms.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from datetime import date
from html import escape
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, seed_charts
from ehqa import layout
from ehqa.site.build import SiteError, build_site, refuse_out

AS_OF = "2026-11-03"  # the demo's today


@pytest.fixture(scope="session")
def build(ehqa):
    """`ehqa build` of a repository at the demo's today, strict and quiet."""

    def build(repo: Path, out: Path, work: Path, *extra: str):
        return ehqa("build", "--repo", str(repo), "--out", str(out), "--work", str(work),
                    "--as-of", AS_OF, "--strict", "-q", *extra)

    return build


@pytest.fixture(scope="module")
def built(tmp_path_factory, build, drawn_charts):
    base = tmp_path_factory.mktemp("site")
    result = build(ROOT, base / "site", seed_charts(drawn_charts(ROOT), base / "work"))
    return result, base / "site", base / "work"


@pytest.fixture(scope="module")
def site(built) -> Path:
    result, out, _ = built
    assert result.exit_code == 0, result.output
    return out


def _copy_repo(target: Path, work_from: Path | None = None) -> Path:
    """The demo's data in a folder of its own (with the first build's chart cache, to save drawing)."""
    target.mkdir(parents=True)
    for name in ("qa.yaml", "staff.yaml"):
        shutil.copy(ROOT / name, target / name)
    for name in ("cycles", "audits", "schemas"):
        shutil.copytree(ROOT / name, target / name)
    if work_from is not None:
        shutil.copytree(work_from / "cache" / "charts", target.parent / "work" / "cache" / "charts")
    return target


def _texts(site: Path):
    """Every file of the site as text (gzip undone), with its path."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace")


def _html_pages(site: Path):
    return sorted(site.rglob("*.html"))


# --- the build ------------------------------------------------------------------------------------

def test_the_build_exits_0_and_reports_the_split_of_time(built) -> None:
    result, out, _ = built
    assert result.exit_code == 0, result.output
    assert "leak scan: no case reference" in result.output
    assert re.search(r"ours [0-9.]+ s \([0-9]+%\), MkDocs [0-9.]+ s \([0-9]+%\)", result.output)
    assert (out / "index.html").is_file() and (out / "search" / "search_index.json").is_file()


def test_every_cycle_theme_and_year_has_a_page(site: Path) -> None:
    cycles = sorted(p.stem for p in (ROOT / "cycles").glob("*.yaml") if layout.data_kind(f"cycles/{p.name}") == "cycle")
    themes = [t["id"] for t in yaml.safe_load((ROOT / "qa.yaml").read_text())["learning_themes"]]
    years = sorted({c[:4] for c in cycles})
    assert cycles and themes and years
    for cycle in cycles:
        assert (site / "cycles" / f"{cycle}.html").is_file(), cycle
    for theme in themes:
        page = (site / "themes" / f"{theme}.html").read_text()
        assert 'class="md-tag' in page, f"{theme}: not tagged for the tags plugin"
    for year in years:
        assert (site / "years" / f"{year}.html").is_file(), year
    for section in ("cycles", "themes", "years"):
        assert (site / section / "index.html").is_file()
    assert (site / "framework.html").is_file() and (site / "take-part.html").is_file()


def test_the_home_page_gives_the_current_cycle_and_the_next_meeting(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert "Next QA meeting" in home
    assert "Tuesday 17 November 2026" in home  # the meeting of cycle 2026-11, as of 3 November
    assert "Follow-ups at a glance" in home
    # Against the whole of the year before (a year page's figures), no longer the 12 months before: two
    # overlapping windows (rolling 12 months and calendar years) let a reader difference single months out.
    assert "Grades in October 2026 against 2025" in home


@pytest.mark.rule("R13")
def test_a_cycle_report_gives_the_on_time_rate(site: Path) -> None:
    """R13: the demo says `submission_dates: completed`, so the rate counts the recorded dates."""
    from ehqa.load.repository import load_repository
    from ehqa.rules.timeliness import on_time_rate

    service = load_repository(ROOT).service
    on_time, total = on_time_rate(service, None)["2026-09"]
    page = (site / "cycles" / "2026-09.html").read_text()
    assert f"{on_time} of {total} audits were submitted by the due date" in page


@pytest.mark.rule("R21")
def test_a_cycle_report_leads_with_strengths_and_publishes_only_the_excerpts(site: Path) -> None:
    page = (site / "cycles" / "2026-09.html").read_text()
    positions = [page.index(heading) for heading in
                 ("What went well", "Areas for development", "Learning from this cycle", "Re-audits")]
    assert positions == sorted(positions)
    audits = [yaml.safe_load(p.read_text()) for p in (ROOT / "audits" / "2026-09").glob("*.yaml")
              if not p.name.endswith(".worker.yaml")]
    flat = " ".join(page.split())
    for audit in audits:
        excerpt = " ".join(audit["learning"]["excerpt"].split())
        assert excerpt.replace("'", "&#x27;") in flat or excerpt in flat
        for private in audit.get("strengths", []) + audit.get("areas_for_development", []):
            assert " ".join(private.split()) not in flat, "strengths and areas are not for publication"
        assert " ".join(audit["overall"]["summary"].split()) not in flat


def test_charts_are_svg_with_a_text_alternative_and_their_table_beside_them(site: Path) -> None:
    figure = re.compile(r'<div class="ehqa-chart">\s*<figure class="ehqa-figure">\s*<img src="([^"]+)" alt="([^"]+)"'
                        r'[^>]*>\s*<figcaption>[^<]+</figcaption>\s*</figure>\s*<div class="ehqa-data">\s*'
                        r'<div class="ehqa-table"[^>]*>\s*<table>\s*<caption>')
    found = 0
    for page in _html_pages(site):
        html = page.read_text()
        images = re.findall(r'<img src="([^"]*assets/charts/[^"]+)"', html)
        matched = figure.findall(html)
        assert len(matched) == len(images), f"{page}: a chart without its figure, caption or table"
        for src, alt in matched:
            assert len(alt) > 30, f"{page}: alt text should state the finding: {alt!r}"
            svg = (page.parent / src).resolve()
            assert svg.suffix == ".svg" and svg.is_file(), src
            head = svg.read_text()[:3000]
            assert "<title" in head and "<desc" in head
            found += 1
    assert found >= 24 + 2  # a chart on every cycle with audits, and the home page's two


# --- privacy, checked independently of the leak scan ----------------------------------------------

def _identifiers() -> dict[str, set[str]]:
    staff = yaml.safe_load((ROOT / "staff.yaml").read_text())
    cases = {p.name.split(".")[0] for p in (ROOT / "audits").rglob("*.yaml")}
    for path in (ROOT / "cycles").glob("*.yaml"):
        cases.update(re.findall(r'case: "([^"]+)"', path.read_text()))
        cases.update(re.findall(r'- "([0-9]{7})"', path.read_text()))
    return {
        "case": cases,
        "name": {p["name"] for p in staff["staff"]},
        "id": {p["id"] for p in staff["staff"]},
        "handle": {p["github"] for p in staff["staff"] if p.get("github")},
    }


@pytest.mark.rule("R21")
def test_no_case_reference_or_staff_name_id_or_handle_in_any_file(site: Path) -> None:
    ids = _identifiers()
    assert len(ids["case"]) > 100 and len(ids["name"]) > 50 and ids["handle"]
    # One pattern for each kind, searched once a file: the names anywhere, each id or handle as a whole token.
    names = re.compile("|".join(re.escape(name.lower()) for name in sorted(ids["name"], key=len, reverse=True)))
    tokens = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(token.lower()) for token in sorted(
        ids["id"] | ids["handle"], key=len, reverse=True)) + r")(?![a-z0-9])")
    for path, content in _texts(site):
        where = path.relative_to(site).as_posix()
        cases = set(re.findall(r"[0-9]+", where + " " + content)) & ids["case"]
        assert not cases, f"{where}: a case reference"
        lowered = content.lower()
        assert not names.search(lowered), f"{where}: a staff name"
        assert not tokens.search(lowered), f"{where}: a staff id or handle"


@pytest.mark.rule("R21")
def test_team_figures_are_suppressed_below_k(site: Path, built, tmp_path: Path, build) -> None:
    teams = [t["name"] for t in yaml.safe_load((ROOT / "staff.yaml").read_text())["teams"]]
    years = "".join(p.read_text() for p in (site / "years").glob("*.html"))
    assert "Overall grades by team" in years and any(f'<th scope="row">{escape(n)}</th>' in years for n in teams), \
        "with k = 5 some team has enough audits in a year to be shown"
    repo = _copy_repo(tmp_path / "repo", work_from=built[2])
    settings = (repo / "qa.yaml").read_text()
    (repo / "qa.yaml").write_text(settings.replace("min_team_audits: 5", "min_team_audits: 1000"))
    result = build(repo, tmp_path / "site", tmp_path / "work")
    assert result.exit_code == 0, result.output
    for path, content in _texts(tmp_path / "site"):
        for name in teams:
            row = f'<th scope="row">{escape(name)}</th>'
            assert row not in content, f"{path.name}: team {name} shown with fewer than 1000 audits"
    year = (tmp_path / "site" / "years" / "2025.html").read_text()
    # Below k every team is counted in one row of other teams; with that row alone, the year shows no team table.
    assert "Not enough teams had 1000 audits in 2025 to show teams apart" in year
    assert "Overall grades by team" not in year


@pytest.mark.rule("R21")
def test_the_built_site_gives_away_no_withheld_figure(site: Path) -> None:
    """Issue 9, item 8, on the site as built: tests/attacker.py reads every page's tables, text and alt text and
    solves for every figure withheld ([c]); none can be worked out, no count of people or cases from 1 to 4 is
    shown, and no follow-up that is one person's work (R12, R15, R16) is counted. Then every number a chart's
    SVG draws as text, and every number of the search index, is one its page shows."""
    import xml.etree.ElementTree as ET

    import attacker

    pages = _attack(site)

    def numbers(text: str) -> set[str]:
        return set(re.findall(r"\d+", text))

    drawn_in_all = searched = 0
    for where, html in pages.items():
        shown = numbers(attacker.prose(attacker.article(html))) | numbers(" ".join(
            " ".join(sum(t.rows, [])) + " " + " ".join(t.total or []) for t in attacker.tables(html)))
        for src in re.findall(r'<img src="([^"]*assets/charts/[^"]+\.svg)"', html):
            tree = ET.parse((site / where).parent / src)
            drawn = []

            def walk(node, in_tick: bool) -> None:
                tick = in_tick or re.match(r"[xy]tick_", node.get("id", "")) is not None
                if node.tag.endswith("}text") and not tick:
                    drawn.extend(re.findall(r"\d+", "".join(node.itertext())))
                for child in node:
                    walk(child, tick)

            walk(tree.getroot(), False)
            drawn_in_all += len(drawn)
            assert set(drawn) <= shown, f"{where}: {src} draws {sorted(set(drawn) - shown)}, which the page does not show"
    index = json.loads((site / "search" / "search_index.json").read_text())
    for doc in index["docs"]:
        page = doc["location"].split("#")[0] or "index.html"
        if page in pages:
            extra = numbers(doc["text"] + " " + doc["title"]) - numbers(html_text(pages[page]))
            assert not extra, f"the search index gives {sorted(extra)} for {page}, which the page does not show"
            searched += 1
    assert drawn_in_all > 100 and searched > 50, (drawn_in_all, searched)


def _attack(site: Path) -> dict[str, str]:
    """tests/attacker.py on every report page of a built site of the demo's settings: every number is a figure it
    reads, no figure withheld ([c]) can be worked out, and no count of people or cases from 1 to k - 1 is shown.
    The report pages read, by path."""
    import attacker
    import attacker_lp
    from ehqa.load.repository import load_repository

    service = load_repository(ROOT).service
    labels = [d.label for g, d in service.settings.grades.items() if g.value != "not-applicable"]
    k = service.settings.min_count
    reader = attacker.Reader(labels, k)
    pages = {p.relative_to(site).as_posix(): p.read_text() for p in _html_pages(site)}
    pages = {where: html for where, html in pages.items() if where.startswith(("index", "cycles/", "years/", "themes/"))}
    for where, html in sorted(pages.items()):  # the report pages; the others hold no figure of the data
        reader.read(where, html)
        left = attacker.residue(where, attacker.article(html))
        assert not left, "numbers no check reads:\n" + "\n".join(left)
        for table in attacker.tables(attacker.article(html)):
            if table.caption.startswith("Follow-ups"):
                assert not {row[0] for row in table.rows} & {"R12", "R15", "R16"}, f"{where}: one person's work counted"
    assert not reader.unknown, reader.unknown
    model = reader.relations()
    assert not model.problems and not model.clashes(), model.problems + model.clashes()
    assert model.withheld
    assert not [(key, v) for key, v in model.values.items() if key[0] != "n" and 1 <= v < k]
    found = attacker_lp.disclosed(model)
    assert not found, "\n".join(found[:30])
    return pages


@pytest.mark.rule("R12", "R21")
def test_a_cycle_report_counts_the_audits_revised_on_review_through_disclosure_control(
        site: Path, built, tmp_path: Path, build) -> None:
    """Issue 11: the grades are as they stand after the Head of Service for QA's review, and each cycle says how
    many of its audits had grades revised, a count published as every other is: [c] from 1 to k - 1, or where
    the audits not revised would be so few; never a case or the reviewer."""
    def revised(page: Path) -> str:
        found = re.search(r"(\[c\]|\d+) of (\d+) audits had grades revised on review", " ".join(html_text(
            page.read_text()).split()))
        assert found, f"{page.name}: no count of the audits revised on review"
        return found[0]

    sizes = {cycle: len([p for p in (ROOT / "audits" / cycle).glob("*.yaml") if ".worker." not in p.name])
             for cycle in ("2026-08", "2026-09", "2026-10")}  # the demo's audits of each cycle
    assert min(sizes.values()) >= 5, sizes  # k: so that "all of them" and "none" are each shown
    assert revised(site / "cycles" / "2026-10.html") == f"0 of {sizes['2026-10']} audits had grades revised on review"
    repo = _copy_repo(tmp_path / "repo", work_from=built[2])
    head = next(p["id"] for p in yaml.safe_load((repo / "staff.yaml").read_text())["staff"]
                if p["role"] == "head-of-service-qa")
    for cycle, count in (("2026-10", sizes["2026-10"]), ("2026-09", 1)):
        for path in sorted(p for p in (repo / "audits" / cycle).glob("*.yaml") if ".worker." not in p.name)[:count]:
            audit = yaml.safe_load(path.read_text())
            grade = "requires-improvement" if audit["overall"]["grade"] == "good" else "good"
            record = repo / layout.record_path(cycle, audit["case"], "2026-10-28", "review", head)
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(f'kind: review\ncase: "{audit["case"]}"\ncycle: {cycle}\nby: {head}\ndate: 2026-10-28\n'
                              f"outcome: findings-revised\noverall: {grade}\n"
                              "reason: The evidence supports a different grade.\n")
    result = build(repo, tmp_path / "site", tmp_path / "work")
    assert result.exit_code == 0, result.output
    out = tmp_path / "site"
    n = sizes["2026-10"]
    assert revised(out / "cycles" / "2026-10.html") == f"{n} of {n} audits had grades revised on review"
    assert revised(out / "cycles" / "2026-09.html") == f"[c] of {sizes['2026-09']} audits had grades revised on review"
    assert revised(out / "cycles" / "2026-08.html") == f"0 of {sizes['2026-08']} audits had grades revised on review"
    assert (out / "cycles" / "2026-10.html").read_text() != (site / "cycles" / "2026-10.html").read_text()
    _attack(out)


def html_text(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.rule("R21")
def test_a_planted_case_reference_fails_the_build_and_publishes_nothing(built, tmp_path: Path, build) -> None:
    repo = _copy_repo(tmp_path / "repo", work_from=built[2])
    audit = next(p for p in sorted((repo / "audits" / "2026-09").glob("*.yaml")) if ".worker." not in p.name)
    other = next(p for p in sorted((repo / "audits" / "2026-08").glob("*.yaml")) if ".worker." not in p.name)
    reference = other.name.split(".")[0]
    document = audit.read_text()
    audit.write_text(document.replace("  excerpt: ", f"  excerpt: As with case {reference}, ", 1))
    result = build(repo, tmp_path / "site", tmp_path / "work")
    assert result.exit_code == 1, result.output
    assert "case reference" in result.output and "cycles/2026-09.html" in result.output
    assert reference not in result.output, "the scan never prints the identifier"
    assert "nothing was published" in result.output
    assert not (tmp_path / "site").exists()


# --- incremental rebuilds -------------------------------------------------------------------------

def test_a_second_build_without_changes_rewrites_no_page(site: Path, built) -> None:
    _, out, work = built
    docs = work / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    again = build_site(ROOT, out, work, date.fromisoformat(AS_OF))
    assert again.generated.pages_written == 0 and again.generated.files_removed == 0
    assert again.generated.charts_drawn == 0 and again.generated.files_read == 0
    assert not again.leaks
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == before


# --- MkDocs, ready for Zensical; nothing from outside ---------------------------------------------

def test_nothing_is_loaded_from_outside_and_every_link_resolves(site: Path) -> None:
    for page in _html_pages(site):
        html = page.read_text()
        for tag_, attribute, value in re.findall(r"<(script|link|img|iframe|source)\b[^>]*?\b(src|href)=\"([^\"]*)\"",
                                                 html):
            assert not re.match(r"^(?:[a-z]+:)?//", value), f"{page.name}: <{tag_} {attribute}={value}> leaves the site"
        assert "fonts.googleapis" not in html and "@import url(http" not in html
        for value in re.findall(r'(?:href|src)="([^"#]+)', html):
            if re.match(r"^[a-z]+:", value) or value.startswith("//"):
                assert value.startswith(("mailto:",)), f"{page.name}: an outside link {value}"
                continue
            base = site if value.startswith("/") else page.parent  # 404.html links from the site's root
            target = (base / value.split("?")[0].lstrip("/")).resolve()
            assert target.exists(), f"{page.relative_to(site)}: broken link {value}"


def test_the_framework_page_lists_r1_to_r22_each_with_its_anchor(site: Path) -> None:
    """Every R-number on the site resolves to framework.html#rN, as in the handbook's docs/framework.md."""
    from ehqa.framework.rules import FRAMEWORK

    page = (site / "framework.html").read_text(encoding="utf-8")
    for rule in FRAMEWORK:
        found = re.search(rf'<p id="{rule.number.lower()}"><strong>{rule.number}\. (.+?)</strong>', page)
        assert found and escape(rule.title, quote=False) in found[1], rule.number


def test_out_may_not_be_the_repository(tmp_path: Path, ehqa) -> None:
    result = ehqa("build", "--repo", str(ROOT), "--out", str(ROOT), "--work", str(tmp_path))
    assert result.exit_code == 1 and "MkDocs empties the folder" in result.output


def test_the_site_is_never_renamed_over_something_that_is_not_a_folder(tmp_path: Path) -> None:
    """build_site itself, not only the command's --out type, refuses an out that is a pipe or a file: the new site
    is renamed over the out it replaces, and run as root that replaced /dev/null. Nothing is built or moved."""
    pipe, note = tmp_path / "pipe", tmp_path / "note.txt"
    os.mkfifo(pipe)
    note.write_text("kept", encoding="utf-8")
    for out in (pipe, note):
        with pytest.raises(SiteError, match="is not a folder"):
            refuse_out(ROOT, out, tmp_path / "work")
    assert pipe.is_fifo() and note.read_text(encoding="utf-8") == "kept"
    refuse_out(ROOT, tmp_path / "new-site", tmp_path / "work")  # a new folder is fine




def test_a_strict_build_counts_the_problems_it_stops_at_in_plain_words(tmp_path: Path, build) -> None:
    repo = _copy_repo(tmp_path / "repo")
    audit = next(p for p in sorted((repo / "audits").rglob("*.yaml")) if not p.name.endswith(".worker.yaml"))
    audit.write_text(audit.read_text(encoding="utf-8") + "case: [unclosed\n", encoding="utf-8")
    result = build(repo, tmp_path / "site", tmp_path / "work")
    assert result.exit_code != 0 and "1 problem in 1 data file: run `ehqa validate`" in result.output, result.output
    audit.with_name("other.yaml").write_text("overall: [\n", encoding="utf-8")
    result = build(repo, tmp_path / "site", tmp_path / "work")
    assert "problems in 2 data files" in result.output, result.output
