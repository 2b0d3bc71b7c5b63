"""`ehqa staff import FILE.csv` (issue 12, item 19): staff.yaml from a spreadsheet, every wrong row named by its
line, nothing written on error, never over an existing staff.yaml unless told to; and a qa.yaml of only the
required minimum is valid, everything else taking its default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURE_SERVICE, ROOT, TESTS

CSV = TESTS / "fixtures" / "adoption" / "staff.csv"
MINIMUM_QA = """\
service:
  name: Eastshire Early Help
domain_sets:
  - version: 1
    from_cycle: 2027-01
    domains:
      - id: voice-of-child
        title: Voice of the child
        prompt: Is the child seen and heard, and do their wishes shape the plan?
"""


@pytest.fixture
def new_repo(tmp_path: Path) -> Path:
    """A repository being adopted: the schemas and the smallest qa.yaml, no staff.yaml yet."""
    root = tmp_path / "service"
    shutil.copytree(ROOT / "schemas", root / "schemas")
    (root / "qa.yaml").write_text(MINIMUM_QA, encoding="utf-8")
    return root


def test_item19_qa_yaml_with_only_the_required_minimum_validates(ehqa, new_repo: Path) -> None:
    shutil.copyfile(FIXTURE_SERVICE / "staff.yaml", new_repo / "staff.yaml")
    result = ehqa("validate", "--repo", new_repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    from ehqa.load.repository import load_settings
    from ehqa.model import Grade

    settings = load_settings(new_repo)
    assert settings.grade_label(Grade.REQUIRES_IMPROVEMENT) == "Requires Improvement"  # the guidance's grades
    assert {"neglect", "domestic-abuse", "young-carers"} <= settings.theme_ids  # R2's examples
    assert settings.timescales.allocation_lead_days == 14


def test_item19_staff_import_writes_staff_yaml_from_a_csv(ehqa, new_repo: Path) -> None:
    result = ehqa("staff", "import", CSV, "--repo", new_repo)
    assert result.exit_code == 0, result.output
    assert "wrote staff.yaml: 10 people in 2 teams" in result.output
    text = (new_repo / "staff.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/staff.schema.json\n")
    assert "name: Early Help West" in text and "line_manager: e1007" in text


def test_item19_staff_import_reports_bad_rows_by_line_and_writes_nothing(ehqa, new_repo: Path, tmp_path: Path) -> None:
    rows = CSV.read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace("qa-officer", "qa officer")  # line 4
    rows[6] = rows[6].replace(",no,", ",maybe,")  # line 7
    rows[9] = rows[9].replace(",e1007,", ",e9999,")  # line 10
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = ehqa("staff", "import", bad, "--repo", new_repo)
    assert result.exit_code == 1
    assert "bad.csv line 7: auditor 'maybe' is not yes or no" in result.output
    assert "bad.csv line 4 (column role): role 'qa officer' is not one of" in result.output
    assert not (new_repo / "staff.yaml").exists()
    rows[3], rows[6] = rows[3].replace("qa officer", "qa-officer"), rows[6].replace(",maybe,", ",no,")
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = ehqa("staff", "import", bad, "--repo", new_repo)
    assert result.exit_code == 1
    assert (
        "bad.csv line 10 (column line_manager): e1009's line manager 'e9999' is not in the directory" in result.output
    )
    assert not (new_repo / "staff.yaml").exists()


def test_item19_staff_import_names_unknown_and_missing_columns(ehqa, new_repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,team,grade\ne1,Ann Lee,eh-east,good\n", encoding="utf-8")
    result = ehqa("staff", "import", bad, "--repo", new_repo)
    assert result.exit_code == 1
    assert "line 1: unknown column 'grade'" in result.output and "line 1: the column 'role' is missing" in result.output


def test_item19_staff_import_never_overwrites_staff_yaml_unless_told(ehqa, new_repo: Path) -> None:
    (new_repo / "staff.yaml").write_text("# the demo's\n", encoding="utf-8")
    result = ehqa("staff", "import", CSV, "--repo", new_repo)
    assert result.exit_code == 1 and "add --replace" in result.output
    assert (new_repo / "staff.yaml").read_text(encoding="utf-8") == "# the demo's\n"
    assert ehqa("staff", "import", CSV, "--repo", new_repo, "--replace").exit_code == 0
    assert "e1010" in (new_repo / "staff.yaml").read_text(encoding="utf-8")


def test_item19_staff_import_warns_of_people_without_a_github_handle(ehqa, new_repo: Path, tmp_path: Path) -> None:
    rows = CSV.read_text(encoding="utf-8").splitlines()
    rows[10] = rows[10].replace("mlowe-eh", "")
    csv = tmp_path / "staff.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = ehqa("staff", "import", csv, "--repo", new_repo)
    assert result.exit_code == 0
    assert "1 of 10 people have no GitHub handle (e1010)" in result.stderr


def test_item19_codeowners_with_no_github_handles_warns() -> None:
    import re

    from ehqa.load import convert
    from ehqa.load.repository import load_settings
    from ehqa.load.strict_yaml import parse
    from ehqa.repo_files.codeowners import render

    text = re.sub(r"(?m)^ +github: .*\n", "", (FIXTURE_SERVICE / "staff.yaml").read_text(encoding="utf-8"))
    staff = convert.staff(parse(text.encode()), "staff.yaml")
    assert not any(p.github for p in staff.people.values())
    result = render(load_settings(FIXTURE_SERVICE), staff, {}, {})  # no github.maintainers there
    assert all(not line or line.startswith("#") for line in result.text.splitlines())
    assert any("no line names an owner" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("claim_id", ["e10234"])
def test_item18_readme_claim_on_staff_ids_agrees_with_the_schema(ehqa, service_copy: Path, claim_id: str) -> None:
    """docs/adopting.md (the README's adoption steps) says how an employee number becomes a staff id; that id is
    accepted, and the bare number is refused with the same advice."""
    import re

    steps = " ".join((ROOT / "docs" / "adopting.md").read_text(encoding="utf-8").split())
    claim = re.search(r"an employee number works with a letter in front \(`(?P<id>[a-z][0-9]+)`", steps)
    assert claim, "docs/adopting.md no longer says how an employee number becomes a staff id"
    assert claim["id"] == claim_id
    number = claim_id[1:]
    staff = (FIXTURE_SERVICE / "staff.yaml").read_text(encoding="utf-8")
    (service_copy / "staff.yaml").write_text(staff.replace("id: kbaxter\n", f"id: {claim_id}\n"), encoding="utf-8")
    result = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    (service_copy / "staff.yaml").write_text(
        (service_copy / "staff.yaml").read_text(encoding="utf-8").replace(f"id: {claim_id}", f"id: {number}"),
        encoding="utf-8",
    )
    result = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 1 and f"write e{number}" in result.output
