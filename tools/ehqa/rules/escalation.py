"""The escalation ladder for overdue obligations (R17: non-compliance goes to senior management).

Past due, an obligation is chased with its owner. More than
``escalate_to_line_manager_after_working_days`` working days past due, with the owner's line
manager. More than ``escalate_to_senior_management_after_working_days``, with senior management:
the first senior manager above the owner, or the role itself where there is none.
"""

from __future__ import annotations

from ehqa.model import Settings, StaffDirectory

SENIOR_MANAGEMENT = "senior management"


def rung(settings: Settings, days_overdue: int) -> int:
    """0: the owner; 1: the owner's line manager; 2: senior management."""
    times = settings.timescales
    if days_overdue > times.escalate_to_senior_management_after_working_days:
        return 2
    return 1 if days_overdue > times.escalate_to_line_manager_after_working_days else 0


def escalate(staff: StaffDirectory, settings: Settings, owner: str | None, owner_role: str, days_overdue: int) -> str:
    """Who an obligation this many working days overdue is escalated to: a staff id, or a role."""
    return escalate_to_rung(staff, settings, owner, owner_role, rung(settings, days_overdue))


def escalate_to_rung(staff: StaffDirectory, settings: Settings, owner: str | None, owner_role: str, step: int) -> str:
    chain = staff.management_chain(owner) if owner and step else ()
    if step == 2:
        seniors = settings.roles.senior_manager_roles
        return next((m for m in chain if (p := staff.get(m)) and p.role in seniors), SENIOR_MANAGEMENT)
    if step == 1:
        return chain[0] if chain else SENIOR_MANAGEMENT
    return owner or owner_role
