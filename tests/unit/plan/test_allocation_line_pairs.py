"""Issue 12, item 5: by default the draw never pairs a line manager with their direct report (R4);
``allocation.pair_line_managers: true`` in qa.yaml allows it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_allocation import SETTINGS, WINDOW_START, _cycle

from ehqa.model import Nomination, Person, Role, StaffDirectory, Team
from ehqa.plan.allocation import AllocationRequest, allocate


def _team_manager_and_reports() -> StaffDirectory:
    """North's team manager audits with whoever is drawn; two of the four other auditors are their reports."""
    people = (
        Person("TM", "North TM", Role.TEAM_MANAGER, "north", auditor=True),
        Person("SP", "North SP", Role.SENIOR_PRACTITIONER, "north", line_manager="TM", auditor=True),
        Person("CM", "North CM", Role.CASE_MANAGER, "north", line_manager="TM", auditor=True),
        Person("X", "East CM", Role.CASE_MANAGER, "east", line_manager="ETM", auditor=True),
        Person("ETM", "East TM", Role.TEAM_MANAGER, "east"),
        Person("W", "Worker", Role.PRACTITIONER, "south"),
    )
    return StaffDirectory("staff.yaml", {t: Team(t, t) for t in ("north", "east", "south")}, people)


def _draws(settings) -> list[frozenset[str]]:
    staff = _team_manager_and_reports()
    cases = [Nomination("9100001", "W", "south", "W"), Nomination("9100002", "W", "south", "W"),
             Nomination("9100003", "W", "south", "W")]
    pairs = []
    for seed in range(40):
        result = allocate(AllocationRequest(_cycle(cases), staff, settings, (), WINDOW_START, seed))
        assert result.complete
        pairs += [frozenset(p.auditors) for p in result.pairs]
    return pairs


@pytest.mark.rule("R4")
def test_the_draw_never_pairs_a_team_manager_with_their_own_direct_report() -> None:
    pairs = _draws(SETTINGS)
    assert {frozenset(("TM", "SP")), frozenset(("TM", "CM"))}.isdisjoint(pairs)
    assert frozenset(("TM", "X")) in pairs  # the team manager still audits, with someone they do not manage


@pytest.mark.rule("R4")
def test_pair_line_managers_setting_lets_the_draw_pair_a_manager_with_their_report() -> None:
    pairs = _draws(replace(SETTINGS, pair_line_managers=True))
    assert {frozenset(("TM", "SP")), frozenset(("TM", "CM"))} & set(pairs)
