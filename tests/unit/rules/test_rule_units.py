"""Table-driven tests of the small rule functions that validation and allocation share."""

from __future__ import annotations

import pytest

from ehqa.model import Nomination, Person, Role, StaffDirectory, Team
from ehqa.rules.conflicts import conflict_reason
from ehqa.rules.evidence import evidence_problem


def _staff() -> StaffDirectory:
    people = (
        Person("SL1", "Senior Leader", Role.SENIOR_LEADERSHIP, "slt"),
        Person("AM1", "Area Manager", Role.AREA_MANAGER, "slt", line_manager="SL1", auditor=True),
        Person("TM1", "North Manager", Role.TEAM_MANAGER, "north", line_manager="AM1", auditor=True),
        Person("TM2", "South Manager", Role.TEAM_MANAGER, "south", line_manager="AM1", auditor=True),
        Person("TM3", "North Deputy", Role.TEAM_MANAGER, "north", line_manager="AM1", auditor=True),
        Person("P1", "North Worker", Role.PRACTITIONER, "north", line_manager="TM1"),
        Person("P2", "North Colleague", Role.PRACTITIONER, "north", line_manager="TM1", auditor=True),
        Person("P3", "South Worker", Role.PRACTITIONER, "south", line_manager="TM2", auditor=True),
        Person("SP1", "South Senior", Role.SENIOR_PRACTITIONER, "south", line_manager="TM2", auditor=True),
    )
    teams = {t: Team(t, t.title()) for t in ("north", "south", "slt")}
    return StaffDirectory("staff.yaml", teams, people)


CASE = Nomination(case="9100001", practitioner="P1", team="north", nominated_by="TM1")


@pytest.mark.parametrize(
    ("auditor", "own_team_rule", "expected"),
    [
        ("P1", False, "works the case"),  # R6: nobody audits a case they work
        ("TM1", False, "is the team manager of the case's practitioner"),  # R6 as written
        ("AM1", False, "is in the practitioner's line-management chain"),  # further up the chain
        ("SL1", False, "is in the practitioner's line-management chain"),
        ("TM3", False, "is the team manager of the team that holds the case"),  # manages the team, not the person
        ("TM2", False, None),
        ("P3", False, None),
        ("SP1", False, None),
        ("P2", False, None),  # a colleague in the same team may audit, unless the setting says otherwise
        ("P2", True, "is in the team that holds the case (allocation.exclude_own_team)"),
        ("P3", True, None),
    ],
)
@pytest.mark.rule("R6")
def test_conflict_reason(auditor: str, own_team_rule: bool, expected: str | None) -> None:
    assert conflict_reason(_staff(), auditor, CASE, exclude_own_team=own_team_rule) == expected


@pytest.mark.rule("R6")
def test_management_chain_stops_at_a_loop() -> None:
    looped = StaffDirectory(
        "staff.yaml",
        {"t": Team("t", "T")},
        (Person("A", "A", Role.TEAM_MANAGER, "t", line_manager="B"), Person("B", "B", Role.AREA_MANAGER, "t", line_manager="A")),
    )
    assert looped.management_chain("A") == ("B",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("n/a", "placeholder"),
        ("TBC.", "placeholder"),
        ("See above", "placeholder"),
        ("Good work seen.", "3 words"),
        ("x x x x x x x x x x", "repeats"),
        ("very good very good very good very good", "repeats"),
        ("12 34 56 78 90 12 34 56 78 90 visit", "1 words"),
        ("The plan names the child's wishes and was reviewed with the family every six weeks.", None),
        ("L'enfant a été vu seul à chaque visite et ses souhaits sont notés.", None),  # letters, not only ASCII
    ],
)
@pytest.mark.rule("R8")
def test_evidence_problem(text: str, problem: str | None) -> None:
    found = evidence_problem(text, min_words=8)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
