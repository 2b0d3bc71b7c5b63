"""Working days and the cycle's calendar (R1, R5, R7, R13): ehqa.model.calendar and ehqa.model.cycle_dates.

Every expected date here was worked out by hand from a printed calendar and the
published English bank holidays (gov.uk), not computed by the code under test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_SERVICE
from ehqa.load.repository import load_single
from ehqa.model import Timescales
from ehqa.model.calendar import WorkingCalendar, add_months, calendar_for, working_calendar
from ehqa.model.cycle_dates import CycleDates, MeetingRule, derive_dates, parse_meeting_rule, plan_year

ENG = working_calendar("GB", "ENG")
D = date.fromisoformat


# --- is a working day --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("2026-11-20", True, "a Friday"),
        ("2026-11-21", False, "a Saturday"),
        ("2026-11-22", False, "a Sunday"),
        ("2026-11-23", True, "a Monday"),
        ("2026-01-01", False, "New Year's Day"),
        ("2026-01-02", True, "2 January is a bank holiday in Scotland, not in England"),
        ("2026-04-02", True, "the Thursday before Easter"),
        ("2026-04-03", False, "Good Friday"),
        ("2026-04-06", False, "Easter Monday"),
        ("2026-04-07", True, "the Tuesday after Easter"),
        ("2026-05-04", False, "Early May bank holiday"),
        ("2026-05-25", False, "Spring bank holiday"),
        ("2026-08-31", False, "Summer bank holiday"),
        ("2026-12-24", True, "Christmas Eve is a working day"),
        ("2026-12-25", False, "Christmas Day, a Friday"),
        ("2026-12-26", False, "Boxing Day, a Saturday"),
        ("2026-12-28", False, "Boxing Day observed on the Monday"),
        ("2026-12-29", True, "the first working day after Christmas 2026"),
        ("2027-12-27", False, "Christmas Day (a Saturday) observed on the Monday"),
        ("2027-12-28", False, "Boxing Day (a Sunday) observed on the Tuesday"),
        ("2027-12-29", True, "the first working day after Christmas 2027"),
        ("2028-01-03", False, "New Year's Day (a Saturday) observed on the Monday"),
        ("2028-02-29", True, "a leap day, a Tuesday"),
    ],
)
def test_is_working_day(day: str, working: bool, why: str) -> None:
    assert ENG.is_working_day(D(day)) is working, why


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-04-03", "Good Friday"),
        ("2026-04-06", "Easter Monday"),
        ("2026-12-25", "Christmas Day"),
        ("2026-12-28", "Boxing Day (observed)"),
        ("2026-11-21", None),  # a Saturday is not a bank holiday
        ("2026-11-23", None),
    ],
)
def test_holiday_name(day: str, name: str | None) -> None:
    assert ENG.holiday_name(D(day)) == name


def test_non_working_reason_names_the_holiday_or_the_weekday() -> None:
    assert ENG.non_working_reason(D("2026-12-28")) == "Boxing Day (observed)"
    assert ENG.non_working_reason(D("2026-12-26")) == "Boxing Day"  # a holiday on a Saturday: its name wins
    assert ENG.non_working_reason(D("2026-11-22")) == "Sunday"
    assert ENG.non_working_reason(D("2026-11-23")) is None


def test_subdivision_changes_the_holidays() -> None:
    scotland = working_calendar("GB", "SCT")
    assert not scotland.is_working_day(D("2026-01-02"))  # 2 January
    assert not scotland.is_working_day(D("2026-08-03"))  # Scotland's summer holiday, the first Monday of August
    assert scotland.is_working_day(D("2026-08-31"))  # England's summer holiday is not Scotland's
    assert scotland.is_working_day(D("2026-04-06"))  # nor is Easter Monday


def test_unknown_place_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="no bank holidays for 'XX-ENG'"):
        WorkingCalendar("XX", "ENG")
    with pytest.raises(ValueError, match="GB-NOWHERE"):
        WorkingCalendar("GB", "NOWHERE")


def test_country_code_is_not_case_sensitive_and_calendars_compare_by_place() -> None:
    assert WorkingCalendar("gb", "ENG") == WorkingCalendar("GB", "ENG") == ENG
    assert WorkingCalendar("gb", "ENG").country == "GB"
    assert hash(WorkingCalendar("GB", "ENG")) == hash(ENG)


def test_holidays_are_cached_per_year() -> None:
    calendar = WorkingCalendar("GB", "ENG")
    first = calendar.holidays_in(2026)
    assert calendar.holidays_in(2026) is first
    assert D("2026-12-28") in first and all(day.year == 2026 for day in first)


# --- previous / next / add ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "previous", "following"),
    [
        ("2026-11-20", "2026-11-20", "2026-11-20"),  # a working day is its own previous and next
        ("2026-11-21", "2026-11-20", "2026-11-23"),  # Saturday
        ("2026-11-22", "2026-11-20", "2026-11-23"),  # Sunday
        ("2026-04-03", "2026-04-02", "2026-04-07"),  # Good Friday, across Easter
        ("2026-04-06", "2026-04-02", "2026-04-07"),  # Easter Monday
        ("2026-12-25", "2026-12-24", "2026-12-29"),  # Christmas to Boxing Day observed
        ("2026-12-28", "2026-12-24", "2026-12-29"),
        ("2027-12-25", "2027-12-24", "2027-12-29"),  # both Christmas days observed
        ("2028-01-01", "2027-12-31", "2028-01-04"),  # across the year end, New Year observed on the 3rd
        ("2028-02-29", "2028-02-29", "2028-02-29"),  # the leap day is a Tuesday
    ],
)
def test_previous_and_next_working_day(day: str, previous: str, following: str) -> None:
    assert ENG.previous_working_day(D(day)) == D(previous)
    assert ENG.next_working_day(D(day)) == D(following)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        ("2026-11-20", 0, "2026-11-20"),  # 0: the day itself when it is a working day
        ("2026-11-21", 0, "2026-11-23"),  # 0: else the next working day
        ("2026-12-25", 0, "2026-12-29"),
        ("2026-11-20", 1, "2026-11-23"),  # Friday + 1 is Monday
        ("2026-11-21", 1, "2026-11-23"),  # Saturday + 1 is Monday too
        ("2026-11-23", 5, "2026-11-30"),  # a working week
        ("2026-04-02", 1, "2026-04-07"),  # Thursday before Easter + 1
        ("2026-12-24", 1, "2026-12-29"),
        ("2026-12-31", 1, "2027-01-04"),  # over New Year's Day, a Friday
        ("2027-12-24", 1, "2027-12-29"),
        ("2028-02-25", 2, "2028-02-29"),  # Friday + 2 is the leap day
        ("2026-11-26", 15, "2026-12-17"),  # the senior-management escalation step (R17)
    ],
)
def test_add_working_days(day: str, count: int, expected: str) -> None:
    assert ENG.add_working_days(D(day), count) == D(expected)


def test_add_working_days_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        ENG.add_working_days(D("2026-11-20"), -1)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-11-20", "2026-11-20", 0),  # the same day
        ("2026-11-20", "2026-11-23", 1),  # Friday to Monday
        ("2026-11-23", "2026-11-20", -1),  # backwards is negative
        ("2026-11-21", "2026-11-22", 0),  # a weekend holds none
        ("2026-11-20", "2026-11-22", 0),
        ("2026-11-23", "2026-11-30", 5),
        ("2026-04-02", "2026-04-07", 1),  # over Easter
        ("2026-12-24", "2027-01-04", 4),  # 29, 30, 31 December and 4 January
        ("2028-02-28", "2028-03-01", 2),  # the leap day counts
        ("2025-12-31", "2026-12-31", 253),  # 2026: 261 weekdays less 8 bank holidays on weekdays
        ("2026-12-31", "2025-12-31", -253),
    ],
)
def test_working_days_between(start: str, end: str, count: int) -> None:
    assert ENG.working_days_between(D(start), D(end)) == count


def _naive_between(start: date, end: date) -> int:
    """The definition, day by day: working days after start up to and including end."""
    if end < start:
        return -_naive_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if ENG.is_working_day(start + timedelta(days=n)))


_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(_days, _days)
def test_working_days_between_matches_its_definition(start: date, end: date) -> None:
    assert ENG.working_days_between(start, end) == _naive_between(start, end)
    assert ENG.working_days_between(end, start) == -ENG.working_days_between(start, end)


@settings(max_examples=300, deadline=None)
@given(_days, st.integers(min_value=0, max_value=40))
def test_add_working_days_agrees_with_between(day: date, count: int) -> None:
    result = ENG.add_working_days(day, count)
    assert result >= day and ENG.is_working_day(result)
    assert ENG.working_days_between(day, result) >= count
    # ... and it is the earliest such working day
    earlier = [result - timedelta(days=n) for n in range(1, (result - day).days + 1)]
    assert not any(ENG.is_working_day(d) and ENG.working_days_between(day, d) >= count for d in earlier)
    if count >= 1:
        assert ENG.working_days_between(day, result) == count


@settings(max_examples=200, deadline=None)
@given(_days)
def test_previous_and_next_bracket_the_day(day: date) -> None:
    before, after = ENG.previous_working_day(day), ENG.next_working_day(day)
    assert before <= day <= after
    assert ENG.is_working_day(before) and ENG.is_working_day(after)
    assert all(not ENG.is_working_day(before + timedelta(days=n)) for n in range(1, (day - before).days + 1))
    assert all(not ENG.is_working_day(day + timedelta(days=n)) for n in range(0, (after - day).days))


# --- add_months ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-11-30", 3, "2027-02-28"),  # clamped to February's end
        ("2027-11-30", 3, "2028-02-29"),  # a leap year
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-03-31", -1, "2026-02-28"),  # backwards
        ("2026-11-15", 2, "2027-01-15"),  # across the year end
        ("2026-01-15", -1, "2025-12-15"),
        ("2026-12-31", 0, "2026-12-31"),
        ("2026-08-31", -8, "2025-12-31"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


# --- the service's calendar ------------------------------------------------------------------

def _fixture_settings():
    settings, findings = load_single(FIXTURE_SERVICE, "qa.yaml")
    assert not findings
    return settings


def test_calendar_for_settings_uses_bank_holidays_and_is_shared() -> None:
    settings = _fixture_settings()
    calendar = calendar_for(settings)
    assert (calendar.country, calendar.subdivision) == ("GB", "ENG")
    assert calendar_for(settings) is calendar
    scottish = calendar_for(replace(settings, holiday_subdivision="SCT"))
    assert not scottish.is_working_day(D("2026-01-02"))


def test_meeting_rule_setting_defaults_to_third_tuesday() -> None:
    assert _fixture_settings().meeting_rule == "third Tuesday"


# --- derive_dates (R5, R7, R13) --------------------------------------------------------------

@pytest.mark.parametrize(
    ("meeting", "allocations_by", "worker_forms_due", "audits_due"),
    [
        # 14 days back is a Tuesday; 10 and 3 days back are Saturdays, so Friday
        ("2026-11-17", "2026-11-03", "2026-11-06", "2026-11-13"),
        # the sample service's November meeting, a Thursday: the dates in its cycle file
        ("2026-11-26", "2026-11-12", "2026-11-16", "2026-11-23"),
        # 14 days before is Good Friday: allocations move to the Thursday before
        ("2026-04-17", "2026-04-02", "2026-04-07", "2026-04-14"),
        # 14 days before is Boxing Day observed, 10 days before New Year's Day
        ("2027-01-11", "2026-12-24", "2026-12-31", "2027-01-08"),
        # a leap-year March: 14 days before 2028-03-14 is the leap day
        ("2028-03-14", "2028-02-29", "2028-03-03", "2028-03-10"),
    ],
)
@pytest.mark.rule("R5")
def test_derive_dates(meeting: str, allocations_by: str, worker_forms_due: str, audits_due: str) -> None:
    expected = CycleDates(D(allocations_by), D(worker_forms_due), D(audits_due))
    assert derive_dates(D(meeting), _fixture_settings(), ENG) == expected
    # Timescales alone will do
    assert derive_dates(D(meeting), Timescales(worker_form_due_days_before_meeting=10), ENG) == expected


@pytest.mark.rule("R5")
def test_derived_dates_always_keep_the_rules() -> None:
    """Every working day of three years as a meeting: R5's lead time holds, every date is a
    working day, and the order is allocations, worker forms, audits, meeting."""
    times = Timescales()
    day = date(2026, 1, 1)
    while day < date(2029, 1, 1):
        if ENG.is_working_day(day):
            dates = derive_dates(day, times, ENG)
            assert (day - dates.allocations_by).days >= times.allocation_lead_days
            assert dates.allocations_by <= dates.worker_forms_due <= dates.audits_due <= day
            assert all(ENG.is_working_day(d) for d in (dates.allocations_by, dates.worker_forms_due, dates.audits_due))
        day += timedelta(days=1)


@pytest.mark.rule("R5", "R7")
@pytest.mark.parametrize("place", ["ENG", "SCT", "NIR", "WLS"])
def test_default_timescales_give_practitioners_at_least_five_working_days(place: str) -> None:
    """Issue 12 item 6: with the default timescales, every working day of ten years as a meeting gives the
    practitioner at least 5 working days for the worker form on the service's calendar (R7), the auditors
    the forms a working day before their audits are due, and the auditors at least 14 days (R5)."""
    calendar = working_calendar("GB", place)
    times = Timescales()
    day = date(2026, 1, 1)
    while day < date(2036, 1, 1):
        if calendar.is_working_day(day):
            dates = derive_dates(day, times, calendar)
            assert calendar.working_days_between(dates.allocations_by, dates.worker_forms_due) >= 5, day
            assert calendar.working_days_between(dates.worker_forms_due, dates.audits_due) >= 1, day
            assert (day - dates.allocations_by).days >= 14, day
        day += timedelta(days=1)


def test_default_worker_form_date_over_christmas() -> None:
    """14 days before 11 January 2027 is Boxing Day observed, so the allocations go out on Christmas Eve; the
    practitioner's 5 working days skip the bank holidays."""
    assert derive_dates(D("2027-01-11"), Timescales(), ENG) == CycleDates(D("2026-12-24"), D("2027-01-05"),
                                                                          D("2027-01-08"))


@pytest.mark.rule("R5")
def test_longer_lead_time_from_settings() -> None:
    dates = derive_dates(D("2026-11-17"), Timescales(allocation_lead_days=21), ENG)
    assert dates.allocations_by == D("2026-10-27")


def test_incoherent_timescales_are_refused() -> None:
    with pytest.raises(ValueError, match="must not exceed allocation_lead_days"):
        derive_dates(D("2026-11-17"), Timescales(worker_form_due_days_before_meeting=20), ENG)
    with pytest.raises(ValueError, match="leaves too little time after worker_form_due_days_before_meeting"):
        derive_dates(D("2026-11-17"), Timescales(worker_form_due_days_before_meeting=10,
                                                 audits_due_days_before_meeting=12), ENG)


# --- the meeting rule --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "ordinal", "weekday", "canonical"),
    [
        ("third Tuesday", 3, 1, "third Tuesday"),
        ("THIRD tuesday", 3, 1, "third Tuesday"),
        ("3rd Tue", 3, 1, "third Tuesday"),
        ("  second   Wednesday ", 2, 2, "second Wednesday"),
        ("1st Monday", 1, 0, "first Monday"),
        ("4th Thurs", 4, 3, "fourth Thursday"),
        ("last Friday", -1, 4, "last Friday"),
        ("the first Monday of the month", 1, 0, "first Monday"),
        ("last Thursday of each month", -1, 3, "last Thursday"),
        ("second Tuesdays", 2, 1, "second Tuesday"),
    ],
)
def test_parse_meeting_rule(text: str, ordinal: int, weekday: int, canonical: str) -> None:
    rule = parse_meeting_rule(text)
    assert rule == MeetingRule(ordinal, weekday)
    assert str(rule) == canonical
    assert parse_meeting_rule(str(rule)) == rule


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Tuesday", "third", "fifth Monday", "5th Monday", "every Tuesday", "third Tuesday 10:00",
     "third Tuesday and Thursday", "first Mondayy", "third Tuesday of the year", "2026-11-17"],
)
def test_parse_meeting_rule_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not a meeting rule; write first, second, third, fourth or last"):
        parse_meeting_rule(text)


@pytest.mark.parametrize(("ordinal", "weekday"), [(5, 1), (0, 1), (-2, 1), (3, 7), (3, -1)])
def test_meeting_rule_refuses_impossible_values(ordinal: int, weekday: int) -> None:
    with pytest.raises(ValueError, match="a meeting rule needs"):
        MeetingRule(ordinal, weekday)


@pytest.mark.parametrize(
    ("rule", "year", "month", "expected"),
    [
        ("third Tuesday", 2026, 11, "2026-11-17"),
        ("first Monday", 2026, 6, "2026-06-01"),  # a month that starts on the weekday
        ("fourth Thursday", 2026, 11, "2026-11-26"),
        ("last Friday", 2026, 7, "2026-07-31"),  # a month that ends on it
        ("last Tuesday", 2026, 12, "2026-12-29"),  # December: the next month is in the next year
        ("last Monday", 2028, 2, "2028-02-28"),
        ("last Tuesday", 2028, 2, "2028-02-29"),  # the leap day
    ],
)
def test_rule_date_in_month(rule: str, year: int, month: int, expected: str) -> None:
    assert parse_meeting_rule(rule).date_in(year, month) == D(expected)


# --- plan_year (R1) -----------------------------------------------------------------------

THIRD_TUESDAYS = {
    2026: ["01-20", "02-17", "03-17", "04-21", "05-19", "06-16", "07-21", "08-18", "09-15", "10-20", "11-17", "12-15"],
    2027: ["01-19", "02-16", "03-16", "04-20", "05-18", "06-15", "07-20", "08-17", "09-21", "10-19", "11-16", "12-21"],
}


@pytest.mark.parametrize("year", [2026, 2027])
@pytest.mark.rule("R1")
def test_plan_year_third_tuesday(year: int) -> None:
    plan = plan_year(year, "third Tuesday", ENG)
    assert [p.cycle for p in plan] == [f"{year}-{m:02d}" for m in range(1, 13)]
    assert [p.meeting for p in plan] == [D(f"{year}-{md}") for md in THIRD_TUESDAYS[year]]
    assert all(p.moved_from is None and p.reason is None for p in plan)  # no third Tuesday is a bank holiday


def _moves(year: int, rule: str, calendar=ENG) -> tuple[list[date], dict[str, tuple[str, str, str]]]:
    plan = plan_year(year, rule, calendar)
    assert len(plan) == 12 and all(p.meeting.strftime("%Y-%m") == p.cycle for p in plan)
    assert all(calendar.is_working_day(p.meeting) for p in plan)
    moves = {p.cycle: (p.moved_from.isoformat(), p.meeting.isoformat(), p.reason) for p in plan if p.moved_from}
    return [p.meeting for p in plan], moves


def test_plan_year_first_monday_2026_moves_off_easter_and_may_day() -> None:
    meetings, moves = _moves(2026, "first Monday")
    assert meetings == [D(f"2026-{md}") for md in ["01-05", "02-02", "03-02", "04-07", "05-05", "06-01", "07-06",
                                                   "08-03", "09-07", "10-05", "11-02", "12-07"]]
    assert moves == {
        "2026-04": ("2026-04-06", "2026-04-07", "Easter Monday"),
        "2026-05": ("2026-05-04", "2026-05-05", "May Day"),
    }


def test_plan_year_last_monday_2026_moves_back_at_a_month_end() -> None:
    meetings, moves = _moves(2026, "last Monday")
    assert meetings == [D(f"2026-{md}") for md in ["01-26", "02-23", "03-30", "04-27", "05-26", "06-29", "07-27",
                                                   "08-28", "09-28", "10-26", "11-30", "12-29"]]
    assert moves == {
        "2026-05": ("2026-05-25", "2026-05-26", "Spring Bank Holiday"),
        # Tuesday 1 September would leave August: the Friday before instead
        "2026-08": ("2026-08-31", "2026-08-28", "Late Summer Bank Holiday"),
        "2026-12": ("2026-12-28", "2026-12-29", "Boxing Day (observed)"),
    }


def test_plan_year_last_monday_2027() -> None:
    _, moves = _moves(2027, "last Monday")
    assert moves == {
        "2027-03": ("2027-03-29", "2027-03-30", "Easter Monday"),
        "2027-05": ("2027-05-31", "2027-05-28", "Spring Bank Holiday"),
        "2027-08": ("2027-08-30", "2027-08-31", "Late Summer Bank Holiday"),
        # both Christmas days are observed on the Monday and Tuesday: Wednesday
        "2027-12": ("2027-12-27", "2027-12-29", "Christmas Day (observed)"),
    }


def test_plan_year_first_friday_skips_a_run_of_holidays() -> None:
    _, moves_2026 = _moves(2026, "first Friday")
    assert moves_2026 == {"2026-04": ("2026-04-03", "2026-04-07", "Good Friday")}  # over Easter Monday too
    _, moves_2027 = _moves(2027, "first Friday")
    assert moves_2027 == {"2027-01": ("2027-01-01", "2027-01-04", "New Year's Day")}


def test_plan_year_weekend_rule_moves_to_a_working_day() -> None:
    _, moves = _moves(2026, "first Saturday")
    assert len(moves) == 12
    assert moves["2026-01"] == ("2026-01-03", "2026-01-05", "Saturday")


def test_plan_year_in_scotland() -> None:
    _, moves = _moves(2026, "first Monday", working_calendar("GB", "SCT"))
    assert moves["2026-08"] == ("2026-08-03", "2026-08-04", "Summer Bank Holiday")
    assert "2026-04" not in moves  # Easter Monday is not a bank holiday in Scotland
