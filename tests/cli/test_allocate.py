"""`ehqa allocate` end to end, on a copy of the demo service (whose newest cycle is in progress)."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from ehqa.load.strict_yaml import load_file
from ehqa.repo_files.yaml_text import dump_document
from ehqa.reporting.checker import Checker, ValidateOptions

AS_OF = "2026-11-03"  # the demo's today: November's allocations go out
NEWEST = "2026-11"
REDRAW = ("--force", "--reason", "a test re-draw")  # the newest allocation has gone out (R5): a re-draw says why


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    for name in ("qa.yaml", "staff.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("schemas", "cycles", "audits"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def run(ehqa):
    """`ehqa allocate ARGS --repo REPO` on the demo's today."""

    def run(repo: Path, *args: str):
        return ehqa("allocate", *args, "--repo", str(repo), "--as-of", AS_OF)

    return run


def findings(repo: Path) -> list:
    found, _ = Checker(ValidateOptions(root=repo, as_of=date(2026, 11, 3)), out=io.StringIO()).findings()
    return found


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**40))
@pytest.mark.rule("R4")
def test_newest_cycle_reallocates_with_any_seed_and_validates(demo: Path, parsed_once, seed: int, run) -> None:
    result = run(demo, NEWEST, "--seed", str(seed), *REDRAW)
    assert result.exit_code == 0, result.output
    written = load_file(demo / "cycles" / f"{NEWEST}.allocation.yaml")
    assert written["seed"] == seed and written["allocated"] == AS_OF
    assert findings(demo) == []


def test_json_output_and_dry_run_writes_nothing(demo: Path, run) -> None:
    before = (demo / "cycles" / f"{NEWEST}.allocation.yaml").read_bytes()
    result = run(demo, NEWEST, "--seed", "11", "--dry-run", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert set(payload) == {"cycle", "seed", "pairs", "unallocated"}
    assert payload["cycle"] == NEWEST and payload["seed"] == 11 and payload["unallocated"] == []
    assert all(set(p) == {"auditors", "cases"} for p in payload["pairs"])
    assert (demo / "cycles" / f"{NEWEST}.allocation.yaml").read_bytes() == before


def _draw(target: Path) -> dict:
    """The allocation without its record of re-draws, which grows with each one."""
    return {k: v for k, v in load_file(target).items() if k != "reallocated"}


def test_same_seed_same_file(demo: Path, run) -> None:
    target = demo / "cycles" / f"{NEWEST}.allocation.yaml"
    run(demo, NEWEST, "--seed", "5", *REDRAW)
    first = _draw(target)
    run(demo, NEWEST, "--seed", "6", *REDRAW)
    assert _draw(target) != first
    run(demo, NEWEST, "--seed", "5", *REDRAW)
    assert _draw(target) == first
    target.unlink()  # a first draw: the same seed writes the same bytes
    assert run(demo, NEWEST, "--seed", "5").exit_code == 0
    once = target.read_bytes()
    target.unlink()
    assert run(demo, NEWEST, "--seed", "5").exit_code == 0
    assert target.read_bytes() == once


def test_replacing_needs_force(demo: Path, run) -> None:
    target = demo / "cycles" / f"{NEWEST}.allocation.yaml"
    before = target.read_bytes()
    result = run(demo, NEWEST, "--seed", "1")
    assert result.exit_code == 1
    assert "pass --force" in result.output
    assert target.read_bytes() == before


def test_the_cycle_file_a_person_wrote_is_never_touched(demo: Path, run) -> None:
    """The draw goes to its own file; the cycle file, comments and all, stays byte for byte."""
    cycle_file = demo / "cycles" / f"{NEWEST}.yaml"
    commented = cycle_file.read_text(encoding="utf-8").replace(
        "nominations:", "# Nominations agreed at the managers' meeting, see the minutes.\nnominations:  # R3", 1
    )
    cycle_file.write_text(commented, encoding="utf-8")
    assert run(demo, NEWEST, "--seed", "2", *REDRAW).exit_code == 0
    assert cycle_file.read_text(encoding="utf-8") == commented
    assert not [p for p in (demo / "cycles").iterdir() if p.name.startswith(".")], "a temporary file was left"


def _everyone_away(repo: Path) -> None:
    """Record an absence over the whole of November for every auditor."""
    staff = load_file(repo / "staff.yaml")
    for person in staff["staff"]:
        if person.get("auditor"):
            person["absences"] = [*person.get("absences", []), {"from": "2026-11-01", "to": "2026-11-30"}]
    (repo / "staff.yaml").write_text(dump_document(staff, "schemas/staff.schema.json"), encoding="utf-8")


def test_infeasible_cases_are_named_and_nothing_is_written(demo: Path, run) -> None:
    _everyone_away(demo)
    target = demo / "cycles" / f"{NEWEST}.allocation.yaml"
    target.unlink()
    result = run(demo, NEWEST, "--seed", "1")
    assert result.exit_code == 1
    assert "every auditor is absent or has left during the audit window" in result.output
    assert not target.exists()
    partial = run(demo, NEWEST, "--seed", "1", "--partial")
    assert partial.exit_code == 1
    written = load_file(target)
    assert written["unallocated"] and all(u["reason"].startswith(f"case {u['case']}: ") for u in written["unallocated"])


def test_unknown_cycle_and_bad_seed(demo: Path, run) -> None:
    assert run(demo, "2031-01").exit_code == 1
    assert run(demo, "2026-13").exit_code == 2
    assert run(demo, NEWEST, "--seed", "-4").exit_code == 2
