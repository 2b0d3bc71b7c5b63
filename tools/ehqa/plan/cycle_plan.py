"""What ``ehqa cycle new`` and ``ehqa cycle plan`` decide, before anything is written or shown.

Pure functions over the model: the caller reads qa.yaml and the cycle files, and passes
"today" in. ``cycle_dates`` gives the dates of one meeting; this module answers the
questions the commands ask of them:

- R5: is a meeting too soon for its allocations to reach the auditors in time, and if
  so, which is the earliest meeting that is not (``too_soon``, ``earliest_meeting``)?
- R1: one row per month of a year's plan, from the meeting rule or from the cycle file
  that already exists (``plan_row``), and whether ``--write`` may create its file
  (``skip_reason``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .cycle_dates import CycleDates, PlannedMeeting, derive_dates

if TYPE_CHECKING:
    from ..model import Cycle, Settings
    from .working_days import WorkingCalendar

# The theme of a cycle file that `ehqa cycle plan --write` creates: the QA officer edits it in (R2).
PLACEHOLDER_THEME = "To be agreed at the previous QA meeting"
PLACEHOLDER_SOURCE = "previous-meeting"

NEVER_OVERWRITE = "it exists, and ehqa never overwrites a cycle file"


def cycle_file(cycle: str) -> str:
    """The repository-relative path of a cycle's file."""
    return f"cycles/{cycle}.yaml"


# --- R5: too soon? -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TooSoon:
    """A meeting whose allocations would have had to go out before today (R5), and the
    earliest meeting that leaves time (None when no meeting within a year does)."""

    meeting: date
    allocations_by: date
    today: date
    lead_days: int  # allocation_lead_days in qa.yaml
    earliest: date | None
    earliest_allocations_by: date | None

    @property
    def days_late(self) -> int:
        return (self.today - self.allocations_by).days


def too_soon(
    meeting: date, dates: CycleDates, today: date, settings: Settings, calendar: WorkingCalendar
) -> TooSoon | None:
    """Why a meeting with these dates is too soon as of today, or None when it leaves time."""
    if dates.allocations_by >= today:
        return None
    found = earliest_meeting(today, settings, calendar)
    earliest, allocations = found if found is not None else (None, None)
    return TooSoon(meeting, dates.allocations_by, today, settings.timescales.allocation_lead_days,
                   earliest, allocations)


def earliest_meeting(today: date, settings: Settings, calendar: WorkingCalendar) -> tuple[date, date] | None:
    """The first working day, as a meeting, whose derived allocations date is not before today,
    with that date; None when none within a year works (timescales that contradict each other)."""
    # Allocations go out at least allocation_lead_days before the meeting, so no earlier day can work.
    day = today + timedelta(days=settings.timescales.allocation_lead_days)
    for _ in range(366):
        if calendar.is_working_day(day):
            try:
                allocations = derive_dates(day, settings, calendar).allocations_by
            except ValueError:
                allocations = None
            if allocations is not None and allocations >= today:
                return day, allocations
        day += timedelta(days=1)
    return None


# --- R1: a year's plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One month of the plan: the meeting by the rule, or the one in an existing cycle file."""

    planned: PlannedMeeting
    meeting: date
    dates: CycleDates
    file: str  # cycles/YYYY-MM.yaml
    status: str  # new | exists | unreadable | too-late
    theme: str | None = None  # from an existing file

    @property
    def from_file(self) -> bool:
        return self.status == "exists"


def plan_row(
    planned: PlannedMeeting, existing: Cycle | None, unreadable: bool, settings: Settings,
    calendar: WorkingCalendar, today: date,
) -> PlanRow:
    """The month's row. ``existing`` is its cycle file when that reads cleanly; ``unreadable``
    says the file is there but could not be read. Raises ValueError when qa.yaml's timescales
    cannot give coherent dates (see ``derive_dates``)."""
    file = cycle_file(planned.cycle)
    if existing is not None:  # the file is what people agreed: its dates win over the rule's
        dates = CycleDates(existing.allocations_by, existing.worker_forms_due, existing.audits_due)
        return PlanRow(planned, existing.meeting, dates, file, "exists", existing.theme_title)
    dates = derive_dates(planned.meeting, settings, calendar)
    if unreadable:
        status = "unreadable"
    else:
        status = "too-late" if dates.allocations_by < today else "new"
    return PlanRow(planned, planned.meeting, dates, file, status)


def skip_reason(row: PlanRow, today: date) -> str | None:
    """Why ``--write`` leaves this month's file alone, or None when it should create it."""
    if row.status in ("exists", "unreadable"):
        return NEVER_OVERWRITE
    if row.status == "too-late":
        return f"its allocations would have been due by {row.dates.allocations_by}, before today ({today})"
    return None
