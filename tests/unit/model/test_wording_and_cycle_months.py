"""Dates and months in words (``model.wording``), and cycle months and meetings (``model.cycle_dates``):
one place each, the same whatever the machine's locale."""

from __future__ import annotations

from datetime import date

import pytest

from ehqa.documents.templates import environment
from ehqa.model import wording
from ehqa.model.calendar import working_calendar
from ehqa.model.cycle_dates import (
    cycle_meeting,
    cycle_of,
    meeting_in,
    months_between,
    next_meeting_by_rule,
    parse_meeting_rule,
    shift_cycle,
)

ENGLAND = working_calendar("GB", "ENG")


def test_days_and_months_in_words() -> None:
    assert wording.long_date(date(2026, 11, 13)) == "Friday 13 November 2026"
    assert wording.day(date(2026, 10, 16)) == "16 October 2026" and wording.day(None) == ""
    assert wording.short_day(date(2026, 11, 17)) == "Tue 2026-11-17"
    assert wording.month_name("2026-10") == "October 2026"
    assert wording.names(["A", "B", "C"]) == "A, B and C"
    assert wording.cell("a |\n b") == "a \\| b"


def test_the_documents_templates_use_the_same_wording() -> None:
    filters = environment().filters
    assert filters["day"] is wording.day and filters["long_date"] is wording.long_date
    assert filters["names"] is wording.names and filters["cell"] is wording.cell


def test_the_calendar_and_the_meeting_rule_name_weekdays_in_the_same_words() -> None:
    assert ENGLAND.non_working_reason(date(2026, 11, 14)) == wording.DAYS[5] == "Saturday"
    assert str(parse_meeting_rule("3rd tue")) == f"third {wording.DAYS[1]}" == "third Tuesday"


@pytest.mark.parametrize(("cycle", "months", "expected"), [
    ("2026-12", 1, "2027-01"), ("2027-01", -1, "2026-12"), ("2026-05", 0, "2026-05"), ("2026-11", -23, "2024-12"),
])
def test_shift_cycle(cycle: str, months: int, expected: str) -> None:
    assert shift_cycle(cycle, months) == expected
    assert months_between(cycle, expected) == months


def test_cycle_of_a_day() -> None:
    assert cycle_of(date(2026, 1, 31)) == "2026-01"


@pytest.mark.rule("R1")
def test_a_cycles_meeting_by_the_rule_and_the_next_one_from_a_day() -> None:
    assert cycle_meeting("2026-11", "third Tuesday", ENGLAND) == meeting_in(2026, 11, "third Tuesday", ENGLAND).meeting
    assert cycle_meeting("2026-11", "third Tuesday", ENGLAND) == date(2026, 11, 17)
    assert next_meeting_by_rule(date(2026, 11, 17), "third Tuesday", ENGLAND) == date(2026, 11, 17)  # that day
    assert next_meeting_by_rule(date(2026, 11, 18), "third Tuesday", ENGLAND) == date(2026, 12, 15)
    assert next_meeting_by_rule(date(2026, 12, 16), "third Tuesday", ENGLAND) == date(2027, 1, 19)
