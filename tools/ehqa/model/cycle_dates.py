"""The calendar of the monthly cycle: the QA meetings of a year and the dates derived from each.

Pure functions: nothing here reads files or today's date.

- R1: twelve cycles a year, one a month, each ending in a QA meeting. A service meets on a
  rule such as "the third Tuesday"; ``plan_year`` applies it to every month and moves a
  meeting that falls on a bank holiday to the next working day of the same month (or
  the previous one when the month would be left), saying why.
- R5, R7, R13: ``derive_dates`` counts back from the meeting by the timescales in
  qa.yaml — allocations out, audits due — and moves each date that falls on a weekend or
  bank holiday to the working day **before** it. Moving earlier only lengthens the time
  before the meeting, so the allocation lead time of R5 (at least 14 days) always holds.
  The Perspective of Worker form is due ``worker_form_working_days`` (5) working days after
  the allocations go out, so the practitioner has them whatever the bank holidays (R7); where
  bank holidays leave too few working days before the audits are due, the allocations go out
  earlier (R5 asks for *at least* the lead time) so that the auditors still have each form a
  working day before their audits are due. A qa.yaml that sets
  ``worker_form_due_days_before_meeting`` counts the form's date back from the meeting instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ehqa.model.calendar import WorkingCalendar
from ehqa.model.wording import DAYS

if TYPE_CHECKING:
    from ehqa.model import Settings, Timescales


@dataclass(frozen=True, slots=True)
class CycleDates:
    """The dates of one cycle derived from its meeting, as written under ``dates:`` in cycles/YYYY-MM.yaml."""

    allocations_by: date  # R5
    worker_forms_due: date  # R7
    audits_due: date  # R13


def derive_dates(meeting: date, settings: Settings | Timescales, calendar: WorkingCalendar) -> CycleDates:
    """The cycle's dates, counted back from the meeting in calendar days and moved to the previous working day.

    ``settings`` is the service's Settings (or just its Timescales). Raises ValueError when
    the timescales cannot give coherent dates (worker forms due before the allocations go
    out, or after the audits are due), so that no tool writes a cycle that ``ehqa validate``
    would refuse.
    """
    times = getattr(settings, "timescales", settings)
    allocations_by = calendar.previous_working_day(meeting - timedelta(days=times.allocation_lead_days))
    audits_due = calendar.previous_working_day(meeting - timedelta(days=times.audits_due_days_before_meeting))
    if times.worker_form_due_days_before_meeting is None:  # R7: working days for the practitioner
        # Over bank holidays, the allocations go out earlier (R5 asks for at least the lead time), so that the
        # practitioner keeps their working days and the auditors have the form a working day before audits are due.
        latest = _working_days_before(audits_due, times.worker_form_working_days + 1, calendar)
        allocations_by = min(allocations_by, latest)
        worker_forms_due = calendar.add_working_days(allocations_by, times.worker_form_working_days)
        form_setting = f"worker_form_working_days ({times.worker_form_working_days}, after the allocations)"
    else:
        worker_forms_due = calendar.previous_working_day(
            meeting - timedelta(days=times.worker_form_due_days_before_meeting)
        )
        form_setting = f"worker_form_due_days_before_meeting ({times.worker_form_due_days_before_meeting})"
    if worker_forms_due < allocations_by:
        raise ValueError(
            f"qa.yaml's timescales put the Perspective of Worker forms due ({worker_forms_due}) before the "
            f"allocations go out ({allocations_by}); worker_form_due_days_before_meeting "
            f"({times.worker_form_due_days_before_meeting}) must not exceed allocation_lead_days "
            f"({times.allocation_lead_days})"
        )
    if audits_due < worker_forms_due:
        raise ValueError(
            f"qa.yaml's timescales put the audits due ({audits_due}) before the Perspective of Worker forms "
            f"({worker_forms_due}), so auditors could not read them (R7); audits_due_days_before_meeting "
            f"({times.audits_due_days_before_meeting}) leaves too little time after {form_setting}: "
            f"shorten one, or lengthen allocation_lead_days ({times.allocation_lead_days})"
        )
    return CycleDates(allocations_by, worker_forms_due, audits_due)


def _working_days_before(day: date, count: int, calendar: WorkingCalendar) -> date:
    """The working day ``count`` working days before ``day`` (a working day): ``calendar.add_working_days`` backwards."""
    for _ in range(count):
        day = calendar.previous_working_day(day - timedelta(days=1))
    return day


# --- cycle ids: one a month, written YYYY-MM --------------------------------------------


def cycle_of(day: date) -> str:
    """The cycle of the month ``day`` falls in: ``2026-11-17`` -> ``2026-11``."""
    return f"{day.year:04d}-{day.month:02d}"


def shift_cycle(cycle_id: str, months: int) -> str:
    """The cycle ``months`` later (earlier, when negative): ``shift_cycle("2026-12", 1)`` is ``2027-01``."""
    year, month = divmod(int(cycle_id[:4]) * 12 + int(cycle_id[5:]) - 1 + months, 12)
    return f"{year:04d}-{month + 1:02d}"


def months_between(earlier: str, later: str) -> int:
    """How many months ``later`` is after ``earlier`` (negative when it is before)."""
    return (int(later[:4]) - int(earlier[:4])) * 12 + int(later[5:]) - int(earlier[5:])


# --- the meeting rule -------------------------------------------------------------------

_ORDINALS = {
    "first": 1, "1st": 1,
    "second": 2, "2nd": 2,
    "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4,
    "last": -1,
}
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_RULE = re.compile(r"(?:the\s+)?(?P<ordinal>\w+)\s+(?P<weekday>\w+?)s?(?:\s+of\s+(?:the|each|every)\s+month)?")


@dataclass(frozen=True, slots=True)
class MeetingRule:
    """When in each month the QA meeting falls: the n-th (1–4) or last given weekday."""

    ordinal: int  # 1, 2, 3, 4, or -1 for the last
    weekday: int  # 0 Monday … 6 Sunday, as date.weekday()

    def __post_init__(self) -> None:
        if self.ordinal not in _ORDINAL_WORDS or self.weekday not in range(7):
            raise ValueError(f"a meeting rule needs an ordinal 1-4 or -1 (last) and a weekday 0-6, "
                             f"not {self.ordinal}, {self.weekday}")

    def date_in(self, year: int, month: int) -> date:
        """The rule's day in one month, before any move for a bank holiday."""
        if self.ordinal > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.ordinal - 1))
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - self.weekday) % 7)

    def __str__(self) -> str:
        return f"{_ORDINAL_WORDS[self.ordinal]} {DAYS[self.weekday]}"


def parse_meeting_rule(text: str) -> MeetingRule:
    """``"third Tuesday"`` → ``MeetingRule(3, 1)``.

    Accepts "first", "second", "third", "fourth" or "last" (or "1st"–"4th") and a weekday
    (or its short form, "Tue"), in any case, optionally with "the … of the month". A fifth
    weekday does not exist in every month, so it is not a rule. Raises ValueError with the
    accepted forms otherwise.
    """
    cleaned = " ".join(str(text).split()).lower()
    match = _RULE.fullmatch(cleaned)
    if match:
        ordinal = _ORDINALS.get(match.group("ordinal"))
        weekday = _WEEKDAYS.get(match.group("weekday"))
        if ordinal is not None and weekday is not None:
            return MeetingRule(ordinal, weekday)
    raise ValueError(
        f"{text!r} is not a meeting rule; write first, second, third, fourth or last (or 1st–4th) and a "
        "weekday, for example 'third Tuesday' or 'last Thursday'"
    )


# --- the year's meetings ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedMeeting:
    """One month's QA meeting (R1). ``moved_from`` is the rule's date when that was not a
    working day, and ``reason`` says why (the bank holiday's name, or "Saturday")."""

    cycle: str  # YYYY-MM
    meeting: date
    moved_from: date | None = None
    reason: str | None = None


def meeting_in(year: int, month: int, rule: MeetingRule | str, calendar: WorkingCalendar) -> PlannedMeeting:
    """One month's meeting by the rule, moved off a bank holiday (or weekend) within the month."""
    if isinstance(rule, str):
        rule = parse_meeting_rule(rule)
    cycle = f"{year:04d}-{month:02d}"
    day = rule.date_in(year, month)
    reason = calendar.non_working_reason(day)
    if reason is None:
        return PlannedMeeting(cycle, day)
    moved = calendar.next_working_day(day)
    if moved.month != month:
        moved = calendar.previous_working_day(day)
    return PlannedMeeting(cycle, moved, moved_from=day, reason=reason)


def cycle_meeting(cycle_id: str, rule: MeetingRule | str, calendar: WorkingCalendar) -> date:
    """The meeting the rule gives a cycle (``YYYY-MM``), moved off a bank holiday: for a cycle with
    no file yet, whose meeting nobody has written down."""
    return meeting_in(int(cycle_id[:4]), int(cycle_id[5:]), rule, calendar).meeting


def next_meeting_by_rule(day: date, rule: MeetingRule | str, calendar: WorkingCalendar) -> date:
    """The first meeting by the rule on or after ``day``: this month's, or next month's once it has passed."""
    planned = cycle_meeting(cycle_of(day), rule, calendar)
    return planned if planned >= day else cycle_meeting(shift_cycle(cycle_of(day), 1), rule, calendar)


def plan_year(year: int, rule: MeetingRule | str, calendar: WorkingCalendar) -> list[PlannedMeeting]:
    """The twelve QA meetings of a year (R1), one a month, January first."""
    if isinstance(rule, str):
        rule = parse_meeting_rule(rule)
    return [meeting_in(year, month, rule, calendar) for month in range(1, 13)]
