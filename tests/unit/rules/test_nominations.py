"""Issue 12, items 1 and 2: who a nomination names. Its practitioner is in post to fill in the worker form
(R7), and it is nominated under the practitioner's team by that team's manager (R3)."""

from __future__ import annotations

from datetime import date

import pytest

from ehqa.model import Absence, Cycle, Nomination, Person, Role, StaffDirectory, Team
from ehqa.rules.cycles import check_nomination_people, check_team

CYCLE = Cycle("cycles/2026-11.yaml", "2026-11", "Neglect", "previous-meeting", (), date(2026, 11, 26),
              date(2026, 11, 12), date(2026, 11, 16), date(2026, 11, 23), ())
STAFF = StaffDirectory("staff.yaml", {t: Team(t, t) for t in ("north", "south")}, (
    Person("NTM", "North TM", Role.TEAM_MANAGER, "north"),
    Person("STM", "South TM", Role.TEAM_MANAGER, "south"),
    Person("EH0063", "Leaver", Role.PRACTITIONER, "north", line_manager="NTM", left=date(2026, 1, 30)),
    Person("AWAY", "Away", Role.PRACTITIONER, "north", line_manager="NTM",
           absences=(Absence(date(2026, 11, 9), date(2026, 11, 20)),)),
    Person("SOME", "Away some days", Role.PRACTITIONER, "north", line_manager="NTM",
           absences=(Absence(date(2026, 11, 12), date(2026, 11, 13)),)),
    Person("WORKER", "In post", Role.PRACTITIONER, "north", line_manager="NTM"),
))


def _found(nomination: Nomination) -> list[tuple[str, str, tuple]]:
    return [(f.rule, f.message, f.where) for f in check_nomination_people(STAFF, CYCLE, nomination, CYCLE.source,
                                                                            "nominations", 0)]


@pytest.mark.rule("R7")
def test_a_nomination_naming_a_practitioner_who_has_left_is_an_error() -> None:
    (found,) = _found(Nomination("9100001", "EH0063", "north", "NTM"))
    assert found[0] == "NOMINATION-UNAVAILABLE"
    assert found[1].startswith("EH0063 left the service on 2026-01-30, before this cycle's allocations go out "
                               "(2026-11-12): nobody can fill in their worker form")
    assert found[2] == ("nominations", 0, "practitioner")


@pytest.mark.rule("R7")
def test_a_nomination_naming_a_practitioner_away_for_the_whole_worker_form_window_is_an_error() -> None:
    (found,) = _found(Nomination("9100001", "AWAY", "north", "NTM"))
    assert found[0] == "NOMINATION-UNAVAILABLE" and "(2026-11-12 to 2026-11-16)" in found[1]
    assert _found(Nomination("9100001", "SOME", "north", "NTM")) == []  # back before the form is due
    assert _found(Nomination("9100001", "WORKER", "north", "NTM")) == []


@pytest.mark.rule("R3")
def test_a_practitioner_nominated_under_the_wrong_team_is_an_error() -> None:
    assert _found(Nomination("9100001", "WORKER", "south", "STM")) == [(
        "NOMINATION-TEAM", "WORKER is in team north, but the case is nominated under south: nominate it under north (R3)",
        ("nominations", 0, "team"))]


@pytest.mark.rule("R3")
def test_a_team_manager_nominating_another_teams_case_is_an_error() -> None:
    assert _found(Nomination("9100001", "WORKER", "north", "STM")) == [(
        "NOMINATION-TEAM", "STM manages team south and nominates a case of north: a team's cases are nominated by "
        "its own team manager (R3)", ("nominations", 0, "nominated_by"))]


TEAMS = StaffDirectory("staff.yaml", {t: Team(t, t) for t in (
    "eh-0-11-east", "eh-0-11-north", "eh-12-18-east", "eh-12-18-north", "eh-a", "eh-b", "eh-c", "eh-d", "eh-e")}, ())


@pytest.mark.rule("R3")
@pytest.mark.parametrize(("typed", "said"), [
    ("eh-0-11-north", None),  # known: nothing to say
    ("eh-north", "did you mean 'eh-0-11-north' or 'eh-12-18-north'?"),  # every word of it in those ids
    ("eh-0-11-nroth", "did you mean 'eh-0-11-north'?"),  # a slip of the keyboard
    ("west", "its teams: eh-0-11-east, eh-0-11-north, eh-12-18-east, eh-12-18-north, eh-a, eh-b, eh-c, eh-d …"),
])
def test_an_unknown_team_is_said_with_the_team_meant_or_the_teams_there_are(typed: str, said: str | None) -> None:
    """REF-TEAM says which team was probably meant (the demo's skeleton once showed eh-north, a team it has as
    eh-0-11-north and eh-12-18-north), else the first eight teams staff.yaml has, so that the nominator need not
    open staff.yaml to find the id."""
    found = [f.message for f in check_team(TEAMS, typed, "cycles/2026-11.yaml", "nominations", 0, "team")]
    assert found == ([] if said is None else [f"team '{typed}' is not in staff.yaml; {said}"])
