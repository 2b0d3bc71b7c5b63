"""Calendar helpers for the demo: cycle ids, meeting dates and working days.

Nothing here reads today's date: the demo's "today" is ``DemoOptions.as_of``.
Working days, months and meeting dates are the model's (``model.calendar``, ``model.cycle_dates``;
English bank holidays from the ``holidays`` package), so the demo's dates follow the same rules
as ``ehqa cycle``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from random import Random

from ehqa.model.calendar import working_calendar
from ehqa.model.cycle_dates import cycle_meeting, shift_cycle

CALENDAR = working_calendar("GB", "ENG")  # the demo is an English service
MEETING_RULE = "third Tuesday"

_CYCLE_ID = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


def parse_cycle(cycle_id: str) -> tuple[int, int]:
    """``"2026-11"`` -> ``(2026, 11)``; a clear ValueError for anything else."""
    match = _CYCLE_ID.match(cycle_id or "")
    if not match:
        raise ValueError(f"end_cycle must be a month written YYYY-MM (for example 2026-11), not {cycle_id!r}")
    return int(match.group(1)), int(match.group(2))


def cycle_ids(end_cycle: str, count: int) -> list[str]:
    """The ``count`` monthly cycle ids that end at ``end_cycle``, oldest first."""
    return [shift_cycle(end_cycle, offset) for offset in range(-(count - 1), 1)]


def is_working_day(day: date) -> bool:
    return CALENDAR.is_working_day(day)


def add_working_days(day: date, count: int) -> date:
    """``count`` working days after ``day`` (0: ``day`` itself, or the next working day)."""
    return CALENDAR.add_working_days(day, count)


def meeting_date(cycle: str) -> date:
    """The QA meeting: the third Tuesday of the month, moved off a bank holiday."""
    return cycle_meeting(cycle, MEETING_RULE, CALENDAR)


def working_day_between(rng: Random, start: date, end: date) -> date | None:
    """A random working day in ``start..end`` (inclusive); any day if none is a working day;
    None when the range is empty."""
    if end < start:
        return None
    span = (end - start).days
    days = [start + timedelta(days=offset) for offset in range(span + 1)]
    working = [day for day in days if is_working_day(day)]
    return rng.choice(working or days)
