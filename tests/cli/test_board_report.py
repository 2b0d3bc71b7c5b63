"""Issue 15, item 2: `ehqa board-report YYYY-MM --out DIR [--docx]`, the month's report for the QA board (R21).

The report is written once for the module from a copy of the sample service (as of its November meeting) and
read back: one self-contained page, the site's own figures with its suppression, no case and no person (the site's
leak scan), every figure in its prose equal to its table, and the Word file saying the same.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from board_html import NOT_FIGURES, html_tables_as_rows, read_docx, read_html
from conftest import AS_OF, copy_service
from ehqa.load.repository import load_repository
from ehqa.privacy.leak_scan import CASE_REFERENCE, STAFF_NAME, scan_file
from ehqa.privacy.matcher import Matcher
from ehqa.privacy.site_scan import identifiers_from
from ehqa.site.build import SOURCE_TREE
from ehqa.site.pages import site_pages

pytestmark = pytest.mark.rule("R21")

CYCLE = "2026-10"
SECTIONS = ["What was audited and why", "Completion", "Grades against the last 12 months", "What went well",
            "Areas for development", "Learning", "Actions and follow-ups", "Re-audit outcomes", "Grading consistency"]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    return copy_service(tmp_path_factory.mktemp("board"))


@pytest.fixture(scope="module")
def written(service: Path, tmp_path_factory, ehqa) -> Path:
    out = tmp_path_factory.mktemp("board-out") / "board"
    result = ehqa("board-report", CYCLE, "--repo", service, "--out", out, "--docx", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"board-report-{CYCLE}.docx", f"board-report-{CYCLE}.html"]
    return out


@pytest.fixture(scope="module")
def html(written: Path) -> str:
    return (written / f"board-report-{CYCLE}.html").read_text(encoding="utf-8")


def test_the_board_report_is_one_self_contained_printable_page_in_the_order_the_board_reads(html: str) -> None:
    read = read_html(html)
    assert read.headings[0].endswith("QA board report, October 2026")
    assert read.headings[1:] == SECTIONS
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "nothing may be fetched"
    assert "url(" not in html and "@import" not in html
    assert re.search(r"@page\s*\{\s*size:\s*A4", html), "it prints on A4"
    assert "Domestic abuse and safety planning" in read.text and "performance information" in read.text


def test_the_board_report_carries_no_case_reference_or_staff_name(service: Path, html: str) -> None:
    """The leak scan of `ehqa build`, on the report: every case reference, staff name, id, handle and email the
    repository holds. (The scanner is shown to see a case reference and a name in the same page first.)"""
    loaded = load_repository(service).service
    matcher = Matcher(identifiers_from(loaded))
    audit = next(a for a in loaded.audits if a.cycle == CYCLE)
    person = next(iter(loaded.staff.people.values()))
    planted = html.replace("</body>", f"<p>{audit.case} {person.name}</p></body>")
    assert {leak.what for leak in scan_file("board.html", ".html", planted.encode(), matcher)} >= {CASE_REFERENCE,
                                                                                                   STAFF_NAME}
    assert scan_file("board.html", ".html", html.encode(), matcher) == set()


def test_every_figure_in_the_prose_equals_the_cell_of_its_table(html: str) -> None:
    """Each figure the prose gives is the cell it cites, and no other number stands in the prose uncited."""
    read = read_html(html)
    assert len(read.figs) >= 5
    for table, row, column, text in read.figs:
        assert read.tables[table].cell(row, column) == text, (table, row, column)
    loose = [p for p in read.prose if re.search(r"\d", NOT_FIGURES.sub("", p))]
    assert not loose, f"numbers in the prose that cite no table: {loose}"


def test_its_figures_and_withheld_cells_are_the_learning_sites_own(service: Path, html: str) -> None:
    """The grades by domain and the follow-ups read, cell for cell, as the site's cycle and year pages show them:
    the same figures, withheld ([c]) in the same places."""
    loaded = load_repository(service).service
    pages = {p.path: p.text for p in site_pages(loaded, AS_OF, SOURCE_TREE / "site_templates", lambda c: c)}
    read, cycle_page, year_page = read_html(html), read_html(pages[f"cycles/{CYCLE}.md"]), read_html(pages["years/2026.md"])
    site_tables = {t.caption: t for t in (*cycle_page.tables.values(), *year_page.tables.values())}
    domains = read.tables["domains"]
    assert domains.rows == site_tables[domains.caption].rows and "[c]" in {c for r in domains.rows for c in r}
    followups = read.tables["followups"]
    site = site_tables[followups.caption]
    assert [r[2:] for r in followups.rows] == [r[2:] for r in site.rows]


def test_the_docx_has_the_same_headings_paragraphs_and_table_cells_as_the_html(written: Path, html: str) -> None:
    read = read_html(html)
    headings, tables, paragraphs = read_docx(written / f"board-report-{CYCLE}.docx")
    assert headings == read.headings
    assert tables == html_tables_as_rows(read)
    assert paragraphs == read.paragraphs


def test_the_same_data_writes_the_same_bytes(service: Path, written: Path, tmp_path: Path, ehqa) -> None:
    result = ehqa("board-report", CYCLE, "--repo", service, "--out", tmp_path, "--docx", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    for name in (f"board-report-{CYCLE}.html", f"board-report-{CYCLE}.docx"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


# --- bad input: a clear message, exit 2, nothing written -----------------------------------------------------


@pytest.mark.parametrize("cycle,as_of,says", [
    ("2027-03", AS_OF, "there is no cycle 2027-03"),
    ("2026-11", AS_OF, "the QA meeting of November 2026 is on 26 November 2026"),
    ("2026-10", date(2026, 10, 20), "the QA meeting of October 2026 is on 22 October 2026"),
])
def test_a_cycle_with_nothing_to_report_is_refused(service: Path, tmp_path: Path, ehqa, cycle, as_of, says) -> None:
    out = tmp_path / "out"
    result = ehqa("board-report", cycle, "--repo", service, "--out", out, "--as-of", as_of)
    assert result.exit_code == 2, result.output
    assert says in result.output and not out.exists()


@pytest.mark.parametrize("inside", ["site", "docs", "audits", "cycles/2026-10"])
def test_an_out_inside_the_site_or_the_data_is_refused(service_copy: Path, ehqa, inside: str) -> None:
    out = service_copy / inside / "board"
    result = ehqa("board-report", CYCLE, "--repo", service_copy, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "is inside" in result.output and not out.exists()


def test_a_refused_report_creates_no_folder_for_its_out(service: Path, tmp_path: Path, ehqa) -> None:
    out = tmp_path / "missing" / "board"
    result = ehqa("board-report", "2027-01", "--repo", service, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "missing").exists()


def test_an_empty_service_and_a_cycle_without_audits_are_refused(service_copy: Path, tmp_path: Path, ehqa) -> None:
    shutil.rmtree(service_copy / "audits" / CYCLE)
    result = ehqa("board-report", CYCLE, "--repo", service_copy, "--out", tmp_path / "a", "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "has no audits recorded" in result.output and not (tmp_path / "a").exists()
    shutil.rmtree(service_copy / "audits")
    shutil.rmtree(service_copy / "cycles")
    result = ehqa("board-report", CYCLE, "--repo", service_copy, "--out", tmp_path / "b", "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "the service has no cycles yet" in result.output and not (tmp_path / "b").exists()


def test_a_report_that_would_name_someone_is_not_written(service_copy: Path, tmp_path: Path, ehqa) -> None:
    """A learning excerpt that names a member of staff (which `ehqa validate` reports) stops the report: the leak
    scan finds the name, exit 1, nothing written, and the name is not printed."""
    audit = service_copy / "audits" / CYCLE / "9160347.yaml"
    text = audit.read_text(encoding="utf-8")
    audit.write_text(text.replace("excerpt: A safety plan", "excerpt: Rachel Khan saw that a safety plan"),
                     encoding="utf-8")
    out = tmp_path / "out"
    result = ehqa("board-report", CYCLE, "--repo", service_copy, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "staff name" in result.output and "nothing" in result.output and "Rachel" not in result.output
    assert not out.exists()
