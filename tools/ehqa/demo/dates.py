"""Calendar helpers for the demo: cycle ids, meeting dates and working days.

Nothing here reads today's date: the demo's "today" is ``DemoOptions.as_of``.
Working days and meeting dates come from ``ehqa.plan`` (English bank holidays from the
``holidays`` package), so the demo's dates follow the same rules as ``ehqa cycle``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from random import Random

from ehqa.model.calendar import add_months as _add_months
from ehqa.model.calendar import working_calendar
from ehqa.model.cycle_dates import meeting_in

CALENDAR = working_calendar("GB", "ENG")  # the demo is an English service

_CYCLE_ID = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")

def parse_cycle(cycle_id: str) -> tuple[int, int]:
    """``"2026-11"`` -> ``(2026, 11)``; a clear ValueError for anything else."""
    match = _CYCLE_ID.match(cycle_id or "")
    if not match:
        raise ValueError(f"end_cycle must be a month written YYYY-MM (for example 2026-11), not {cycle_id!r}")
    return int(match.group(1)), int(match.group(2))


def cycle_id(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_cycle(cycle: str, months: int) -> str:
    year, month = parse_cycle(cycle)
    index = year * 12 + (month - 1) + months
    return cycle_id(index // 12, index % 12 + 1)


def cycle_ids(end_cycle: str, count: int) -> list[str]:
    """The ``count`` monthly cycle ids that end at ``end_cycle``, oldest first."""
    return [shift_cycle(end_cycle, offset) for offset in range(-(count - 1), 1)]


def months_between(earlier: str, later: str) -> int:
    y1, m1 = parse_cycle(earlier)
    y2, m2 = parse_cycle(later)
    return (y2 - y1) * 12 + (m2 - m1)


def add_months(day: date, months: int) -> date:
    return _add_months(day, months)


def is_working_day(day: date) -> bool:
    return CALENDAR.is_working_day(day)


def add_working_days(day: date, count: int) -> date:
    """``count`` working days after ``day`` (0: ``day`` itself, or the next working day)."""
    return CALENDAR.add_working_days(day, count)


def meeting_date(cycle: str) -> date:
    """The QA meeting: the third Tuesday of the month, moved off a bank holiday."""
    year, month = parse_cycle(cycle)
    return meeting_in(year, month, "third Tuesday", CALENDAR).meeting


def working_day_between(rng: Random, start: date, end: date) -> date | None:
    """A random working day in ``start..end`` (inclusive); any day if none is a working day;
    None when the range is empty."""
    if end < start:
        return None
    span = (end - start).days
    days = [start + timedelta(days=offset) for offset in range(span + 1)]
    working = [day for day in days if is_working_day(day)]
    return rng.choice(working or days)


def day_between(rng: Random, start: date, end: date) -> date | None:
    if end < start:
        return None
    return start + timedelta(days=rng.randint(0, (end - start).days))
