"""Issue 12, items 3 and 4: `ehqa allocate` and the dates of R5 and R18, on copies of the sample service.

A draw after the cycle's allocations_by date is refused unless a late reason is given, which the file
records and validate accepts (R5). A re-audit due by the cycle that no cycle nominates stops the draw,
which names it; nominated, it is drawn (R18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehqa.load.strict_yaml import load_file

ALLOCATION = "cycles/2026-11.allocation.yaml"  # allocations_by 2026-11-12, meeting 2026-11-26


@pytest.fixture
def undrawn(service_copy: Path) -> Path:
    """The sample service before November's draw."""
    (service_copy / ALLOCATION).unlink()
    return service_copy


@pytest.mark.rule("R5")
def test_allocate_refuses_a_late_allocation_without_a_late_reason(undrawn: Path, ehqa) -> None:
    result = ehqa("allocate", "2026-11", "--seed", "1", "--repo", undrawn, "--as-of", "2026-11-13")
    assert result.exit_code == 1, result.output
    assert ("warning: this allocation is late: allocations for 2026-11 were due by 2026-11-12, 14 days before the QA "
            "meeting on 2026-11-26, and it goes out on 2026-11-13, 13 days before (R5)") in result.stderr
    assert "--late-reason" in result.stderr
    assert not (undrawn / ALLOCATION).exists()


@pytest.mark.rule("R5")
def test_allocate_with_a_late_reason_records_it_and_validate_accepts_it(undrawn: Path, ehqa) -> None:
    reason = "the cycle's nominations came in late: two team managers were off sick"
    result = ehqa("allocate", "2026-11", "--seed", "1", "--late-reason", reason, "--repo", undrawn,
                  "--as-of", "2026-11-13")
    assert result.exit_code == 0, result.output
    written = load_file(undrawn / ALLOCATION)
    assert written["late_reason"] == reason and written["allocated"] == "2026-11-13"
    checked = ehqa("validate", "--repo", undrawn, "--as-of", "2026-11-26")
    assert "ALLOC-LATE" not in checked.output
    # Without the reason, the same file is late: validate says so, and says how to record why.
    lines = (undrawn / ALLOCATION).read_text(encoding="utf-8").splitlines(keepends=True)
    (undrawn / ALLOCATION).write_text("".join(x for x in lines if not x.startswith("late_reason:")), encoding="utf-8")
    assert "ALLOC-LATE" in ehqa("validate", "--repo", undrawn, "--as-of", "2026-11-26").output


def _grade_inadequate(repo: Path) -> None:
    """September's audit of 9150983 (hlee's case, completed 2026-09-21) graded Inadequate: a re-audit is
    due from 2026-11-21 to 2026-12-21 (R18), inside November's audit period (to 2026-11-23)."""
    path = repo / "audits/2026-09/9150983.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[27].strip() == "grade: good"
    lines[27] = lines[27].replace("good", "inadequate")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.rule("R18")
def test_allocate_refuses_and_names_a_reaudit_due_in_the_cycle_that_nobody_nominated(undrawn: Path, ehqa) -> None:
    _grade_inadequate(undrawn)
    result = ehqa("allocate", "2026-11", "--seed", "1", "--dry-run", "--repo", undrawn, "--as-of", "2026-11-10")
    assert result.exit_code == 1, result.output
    assert "re-audits due by this cycle are not nominated in any cycle (R18)" in result.stderr
    assert "2026-09/9150983 (window 2026-11-21 to 2026-12-21)" in result.stderr


@pytest.mark.rule("R18")
def test_allocate_includes_a_nominated_reaudit_due_in_the_cycle(undrawn: Path, ehqa) -> None:
    _grade_inadequate(undrawn)
    cycle = undrawn / "cycles/2026-11.yaml"
    cycle.write_text(cycle.read_text(encoding="utf-8") + (
        '  - case: "9150983"\n    practitioner: hlee\n    team: eh-south\n    nominated_by: tpatel\n'
        "    reaudit_of: 2026-09/9150983\n"), encoding="utf-8")
    result = ehqa("allocate", "2026-11", "--seed", "1", "--repo", undrawn, "--as-of", "2026-11-10")
    assert result.exit_code == 0, result.output
    pairs = load_file(undrawn / ALLOCATION)["pairs"]
    (reaudit,) = [p for p in pairs if "9150983" in p["cases"]]
    assert len(reaudit["auditors"]) == 1  # a senior manager, alone (R18)
