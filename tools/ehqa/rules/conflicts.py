"""R6: who may not audit which case. The one definition, used by validation and allocation."""

from __future__ import annotations

from ehqa.model import Nomination, Role, StaffDirectory

WORKS_THE_CASE = "works the case"
TEAM_MANAGER_OF_PRACTITIONER = "is the team manager of the case's practitioner"
IN_CHAIN = "is in the practitioner's line-management chain"
TEAM_MANAGER_OF_TEAM = "is the team manager of the team that holds the case"
IN_TEAM = "is in the team that holds the case (allocation.exclude_own_team)"


def conflicts(staff: StaffDirectory, nomination: Nomination, *, exclude_own_team: bool = False) -> dict[str, str]:
    """Everyone who may not audit the nominated case, each with the reason.

    R6: a team manager never audits a case of one of their own practitioners; and,
    by common sense, nobody audits a case they work, or one inside their own
    line-management chain (they manage the practitioner, directly or further up).
    A team manager of the team that holds the case manages it too. With
    ``exclude_own_team`` (a setting), nobody audits their own team's cases.
    The first reason found for a person is the one given.
    """
    found: dict[str, str] = {nomination.practitioner: WORKS_THE_CASE}
    for manager in staff.management_chain(nomination.practitioner):
        person = staff.get(manager)
        found.setdefault(manager, TEAM_MANAGER_OF_PRACTITIONER if person and person.role is Role.TEAM_MANAGER
                         else IN_CHAIN)
    for member in staff.members.get(nomination.team, ()):
        if staff.people[member].role is Role.TEAM_MANAGER:
            found.setdefault(member, TEAM_MANAGER_OF_TEAM)
        elif exclude_own_team:
            found.setdefault(member, IN_TEAM)
    return found


def conflict_reason(
    staff: StaffDirectory,
    auditor_id: str,
    nomination: Nomination,
    *,
    exclude_own_team: bool = False,
) -> str | None:
    """Why ``auditor_id`` may not audit the nominated case (R6), or None when they may."""
    return conflicts(staff, nomination, exclude_own_team=exclude_own_team).get(auditor_id)
