"""Checks on what auditors and practitioners write (issue 12, items 9–12; R7, R8, R11): each test breaks
one file of a copy of the sample service and runs ``ehqa validate`` on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF

SAFETY = "audits/2026-08/9104217.yaml"  # case of jmills (eh-south), team manager mnowak, then dobi and rkhan
WORKER = "audits/2026-08/9104217.worker.yaml"


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(ehqa, root: Path):
    return ehqa("validate", "--repo", root, "--as-of", AS_OF)


@pytest.mark.rule("R11")
def test_item9_safety_concern_told_to_another_teams_manager_is_refused(ehqa, service_copy: Path) -> None:
    _edit(service_copy, SAFETY, "  team_manager: mnowak\n", "  team_manager: swright\n")
    result = _validate(ehqa, service_copy)
    assert result.exit_code == 1, result.output
    assert f"{SAFETY}:66:17: error[ROLE-TEAM-MANAGER]" in result.output
    assert "swright is not in the line of case 9104217's practitioner jmills: tell mnowak" in result.output
    assert "(R11)" in result.output


@pytest.mark.rule("R11")
@pytest.mark.parametrize("told", ["mnowak", "dobi", "rkhan"])
def test_item9_safety_concern_told_to_the_case_team_manager_or_above_is_accepted(
    ehqa, service_copy: Path, told: str
) -> None:
    _edit(service_copy, SAFETY, "  team_manager: mnowak\n", f"  team_manager: {told}\n")
    result = _validate(ehqa, service_copy)
    assert result.exit_code == 0, result.output


OVERALL = "audits/2026-08/9120554.yaml"  # domains good and requires-improvement, overall requires-improvement
RI = "overall:\n  grade: requires-improvement\n"


@pytest.mark.rule("R8")
def test_item10_overall_outstanding_over_requires_improvement_domains_needs_a_reason(ehqa, service_copy: Path) -> None:
    _edit(service_copy, OVERALL, RI, "overall:\n  grade: outstanding\n")
    result = _validate(ehqa, service_copy)
    assert result.exit_code == 1, result.output
    assert f"{OVERALL}:40:" in result.output and "error[AUDIT-OVERALL]" in result.output
    assert "outstanding is better than the best domain grade (good)" in result.output
    assert "overall.reason" in result.output and "(R8)" in result.output


@pytest.mark.rule("R8")
def test_item10_overall_grade_outside_the_domain_grades_with_a_reason_is_accepted(ehqa, service_copy: Path) -> None:
    _edit(
        service_copy,
        OVERALL,
        RI,
        "overall:\n  grade: outstanding\n  reason: The family's own account since the "
        "audit shows an impact the domain grades alone do not.\n",
    )
    result = _validate(ehqa, service_copy)
    assert "AUDIT-OVERALL" not in result.output, result.output


@pytest.mark.rule("R8")
def test_item10_inadequate_critical_overall_is_within_inadequate_domains(ehqa, service_copy: Path) -> None:
    _edit(service_copy, SAFETY, "overall:\n  grade: inadequate\n", "overall:\n  grade: inadequate-critical\n")
    result = _validate(ehqa, service_copy)
    assert "AUDIT-OVERALL" not in result.output, result.output


@pytest.mark.rule("R7")
def test_item11_worker_form_dated_in_the_future_is_refused(ehqa, service_copy: Path) -> None:
    _edit(service_copy, WORKER, "submitted: 2026-08-14\n", "submitted: 2026-11-27\n")
    result = _validate(ehqa, service_copy)
    assert result.exit_code == 1, result.output
    assert f"{WORKER}:5:" in result.output and "error[WORKER-FORM]" in result.output
    assert "dated 2026-11-27, after today (2026-11-26)" in result.output
    assert ehqa("validate", "--repo", service_copy, "--as-of", "2026-11-27").output.count("WORKER-FORM") == 0
