"""R6: who may not audit which case. The one definition, used by validation and allocation."""

from __future__ import annotations

from ..model import Nomination, Role, StaffDirectory


def conflict_reason(
    staff: StaffDirectory,
    auditor_id: str,
    nomination: Nomination,
    *,
    exclude_own_team: bool = False,
) -> str | None:
    """Why ``auditor_id`` may not audit the nominated case, or None when they may.

    R6: a team manager never audits a case of one of their own practitioners; and,
    by common sense, nobody audits a case they work, or one inside their own
    line-management chain (they manage the practitioner, directly or further up).
    With ``exclude_own_team`` (a setting), nobody audits their own team's cases.
    """
    if auditor_id == nomination.practitioner:
        return "works the case"
    auditor = staff.get(auditor_id)
    if auditor_id in staff.management_chain(nomination.practitioner):
        if auditor is not None and auditor.role is Role.TEAM_MANAGER:
            return "is the team manager of the case's practitioner"
        return "is in the practitioner's line-management chain"
    if auditor is not None and auditor.role is Role.TEAM_MANAGER and auditor.team == nomination.team:
        return "is the team manager of the team that holds the case"
    if exclude_own_team and auditor is not None and auditor.team == nomination.team:
        return "is in the team that holds the case (allocation.exclude_own_team)"
    return None
