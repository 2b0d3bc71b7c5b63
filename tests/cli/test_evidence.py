"""Issue 15, item 5: `ehqa evidence --from YYYY-MM --to YYYY-MM --out DIR [--docx]`, the inspection evidence pack.

Written once for the module from a copy of the sample service (August to November 2026, as of the November
meeting) and read back: the programme with why each theme was chosen, completion and timeliness, follow-ups by
rule with the framework's titles, re-audits domain by domain, grading consistency, the learning themes and the
actions taken, the findings over time; exact counts (private), naming the re-audited case and no member of staff.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from board_html import NOT_FIGURES, html_tables_as_rows, read_docx, read_html
from conftest import AS_OF, copy_service
from ehqa.framework.rules import framework_rule
from ehqa.load.repository import load_repository
from ehqa.privacy.leak_scan import CASE_REFERENCE, scan_file
from ehqa.privacy.matcher import Matcher
from ehqa.privacy.site_scan import identifiers_from

NAME = "evidence-2026-08-to-2026-11"
SECTIONS = ["The audit programme", "Completion and timeliness", "Follow-up compliance by rule",
            "Re-audit improvement, domain by domain", "Grading consistency", "Learning themes and the actions taken",
            "The service's own findings over time"]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    return copy_service(tmp_path_factory.mktemp("evidence"))


@pytest.fixture(scope="module")
def written(service: Path, tmp_path_factory, ehqa) -> Path:
    out = tmp_path_factory.mktemp("evidence-out") / "pack"
    result = ehqa("evidence", "--from", "2026-08", "--to", "2026-11", "--repo", service, "--out", out, "--docx",
                  "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"{NAME}.docx", f"{NAME}.html"]
    return out


@pytest.fixture(scope="module")
def read(written: Path):
    return read_html((written / f"{NAME}.html").read_text(encoding="utf-8"))


def test_the_pack_holds_what_an_inspector_asks_for_in_one_document(read) -> None:
    assert read.headings[0].endswith("inspection evidence, case audits August 2026 to November 2026")
    assert read.headings[1:] == SECTIONS
    programme = read.tables["programme"]
    assert [r[0] for r in programme.rows] == ["August 2026", "September 2026", "October 2026", "November 2026", "All"]
    # why each theme was chosen: the cycle file's rationale (R2)
    assert programme.cell("October 2026", "why it was chosen").startswith("Police notifications")
    assert "Not measured" in read.text  # grading consistency: the hook, until it is measured


@pytest.mark.rule("R13", "R17", "R19")
def test_follow_ups_are_counted_by_rule_with_the_frameworks_titles_and_exact_counts(service: Path, read) -> None:
    """Private, so nothing is withheld: every follow-up is counted, the QA officer's (R15) among them."""
    table = read.tables["followups"]
    rules = [r[0] for r in table.rows[:-1]]
    assert "R15" in rules and "R17 actions" in rules
    for row in table.rows[:-1]:
        assert row[1] == framework_rule(row[0].split(" ")[0]).title
    assert "[c]" not in read.text
    loaded = load_repository(service).service
    assert read.tables["completion"].cell("All", "audits allocated") == str(len(loaded.audits))
    assert read.tables["findings"].cell("All", "audits") == str(len(loaded.audits))


@pytest.mark.rule("R18")
def test_re_audits_are_compared_domain_by_domain_and_name_the_case(read) -> None:
    assert read.tables["reaudits"].cell("Overall", "improved") == "1"
    case = read.tables["reaudit-cases"]
    assert case.rows == [["9104217 (October 2026)", "August 2026", "Inadequate", "Good", "improved"]]


def test_the_pack_names_cases_but_no_member_of_staff(service: Path, written: Path) -> None:
    loaded = load_repository(service).service
    leaks = scan_file(f"{NAME}.html", ".html", (written / f"{NAME}.html").read_bytes(),
                      Matcher(identifiers_from(loaded)))
    assert {leak.what for leak in leaks} == {CASE_REFERENCE}


def test_every_figure_in_the_prose_equals_the_cell_of_its_table(read) -> None:
    assert len(read.figs) >= 6
    for table, row, column, text in read.figs:
        assert read.tables[table].cell(row, column) == text, (table, row, column)
    loose = [p for p in read.prose if re.search(r"\d", NOT_FIGURES.sub("", p))]
    assert not loose, f"numbers in the prose that cite no table: {loose}"


def test_the_docx_has_the_same_headings_paragraphs_and_table_cells_as_the_html(written: Path, read) -> None:
    headings, tables, paragraphs = read_docx(written / f"{NAME}.docx")
    assert headings == read.headings
    assert tables == html_tables_as_rows(read)
    assert paragraphs == read.paragraphs


# --- bad input: a clear message, exit 2, nothing written -----------------------------------------------------


@pytest.mark.parametrize("start,end,says", [
    ("2026-11", "2026-08", "--from 2026-11 is after --to 2026-08"),
    ("2025-01", "2025-12", "no cycle from 2025-01 to 2025-12"),
])
def test_a_period_with_no_cycles_is_refused(service: Path, tmp_path: Path, ehqa, start, end, says) -> None:
    out = tmp_path / "out"
    result = ehqa("evidence", "--from", start, "--to", end, "--repo", service, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert says in result.output and not out.exists()


@pytest.mark.parametrize("inside", ["site", "cycles", "audits/2026-08"])
def test_an_out_inside_the_site_or_the_data_is_refused(service_copy: Path, ehqa, inside: str) -> None:
    out = service_copy / inside / "pack"
    result = ehqa("evidence", "--from", "2026-08", "--to", "2026-11", "--repo", service_copy, "--out", out,
                  "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "is inside" in result.output and not out.exists()


def test_a_refused_pack_creates_no_folder_for_its_out(service: Path, tmp_path: Path, ehqa) -> None:
    out = tmp_path / "missing" / "pack"
    result = ehqa("evidence", "--from", "2026-11", "--to", "2026-08", "--repo", service, "--out", out,
                  "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "missing").exists()


def test_an_empty_service_is_refused(service_copy: Path, tmp_path: Path, ehqa) -> None:
    shutil.rmtree(service_copy / "audits")
    shutil.rmtree(service_copy / "cycles")
    out = tmp_path / "out"
    result = ehqa("evidence", "--from", "2026-08", "--to", "2026-11", "--repo", service_copy, "--out", out,
                  "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "the service has no cycles yet" in result.output and not out.exists()


@pytest.mark.rule("R17")
def test_learning_themes_show_the_cycles_chosen_on_them_and_their_audits_smart_actions_as_followed_up(read) -> None:
    """SMART actions are counted as the follow-ups count them (records and all): met on time, late, not yet due,
    overdue."""
    themes = read.tables["themes"]
    assert themes.cell("Domestic abuse", "cycles on the theme") == "October 2026"
    for row in themes.rows:
        assert int(row[3]) == sum(int(v) for v in row[4:]), row
    actions = read.tables["followups"].rows
    r17 = next(r for r in actions if r[0] == "R17 actions")
    assert int(r17[3]) + int(r17[4]) + int(r17[5]) + int(r17[6]) <= sum(int(r[3]) for r in themes.rows)
