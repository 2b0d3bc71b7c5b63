"""The decisions and the wording behind `ehqa cycle`, without the command line: ehqa.plan.cycle_plan
and ehqa.reporting.cycle_plan (the commands themselves are tested in tests/cli/test_cycle.py).

Expected dates are worked out by hand from a calendar and the English bank holidays.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.load.repository import load_single
from ehqa.model import Cycle, Timescales
from ehqa.model.calendar import working_calendar
from ehqa.model.cycle_dates import CycleDates, derive_dates, meeting_in, parse_meeting_rule
from ehqa.plan.cycle_plan import (
    NEVER_OVERWRITE,
    earliest_meeting,
    new_cycle_problem,
    non_working,
    plan_row,
    short_day,
    skip_reason,
    too_soon,
)
from ehqa.reporting.cycle_plan import meeting_events, new_cycle_summary, plan_json, plan_text

ENG = working_calendar("GB", "ENG")
D = date.fromisoformat


@pytest.fixture(scope="module")
def settings():
    loaded, findings = load_single(FIXTURE_SERVICE, "qa.yaml")
    assert not findings
    return loaded


def _contradictory(settings):
    """Worker forms due before the allocations go out: no meeting has coherent dates."""
    return replace(settings, timescales=Timescales(worker_form_due_days_before_meeting=20))


def test_days_are_written_with_their_weekday_in_english() -> None:
    assert short_day(D("2026-11-17")) == "Tue 2026-11-17"
    assert non_working("Saturday") == "a Saturday"
    assert non_working("Christmas Day") == "Christmas Day, a bank holiday"


# --- ehqa cycle new ------------------------------------------------------------------------


def test_a_good_new_cycle_has_no_problem(settings) -> None:
    assert new_cycle_problem("2026-12", D("2026-12-15"), "Neglect", ("neglect",), settings, ENG) is None


@pytest.mark.parametrize(
    ("meeting", "title", "themes", "option", "words"),
    [
        ("2026-12-15", "", (), "--theme", "between 1 and 200 characters"),
        ("2026-12-15", "x" * 201, (), "--theme", "between 1 and 200 characters"),
        ("2027-01-05", "x", (), "--meeting", "2027-01-05 is not in 2026-12"),
        ("2026-12-25", "x", (), "--meeting",
         "2026-12-25 is Christmas Day, a bank holiday, not a working day; the nearest working days are "
         "Thu 2026-12-24 and Tue 2026-12-29"),
        ("2026-12-19", "x", (), "--meeting", "2026-12-19 is a Saturday"),
        ("2026-12-15", "x", ("nope",), "--learning-theme", "nope is not in qa.yaml's learning_themes"),
        ("2026-12-15", "x", ("nope", "nah"), "--learning-theme", "nope, nah are not in"),
    ],
)
def test_new_cycle_problems_name_the_option(settings, meeting, title, themes, option, words) -> None:
    problem = new_cycle_problem("2026-12", D(meeting), title, themes, settings, ENG)
    assert problem is not None and problem.option == option and words in problem.message


def test_the_first_problem_is_the_one_reported(settings) -> None:
    problem = new_cycle_problem("2026-12", D("2027-01-05"), "", ("nope",), settings, ENG)
    assert problem is not None and problem.option == "--theme"


@pytest.mark.parametrize(
    ("today", "meeting", "allocations_by"),
    [
        ("2026-11-26", "2026-12-10", "2026-11-26"),  # 14 days on is a working day, and so is today
        ("2026-11-28", "2026-12-14", "2026-11-30"),  # a Saturday: the first working meeting day is the Monday
        # Christmas Day: 8 and 11 January count back to 24 December, already past; the 12th to the 29th
        ("2026-12-25", "2027-01-12", "2026-12-29"),
    ],
)
def test_earliest_meeting(settings, today: str, meeting: str, allocations_by: str) -> None:
    assert earliest_meeting(D(today), settings, ENG) == (D(meeting), D(allocations_by))


def test_no_earliest_meeting_when_the_timescales_contradict_each_other(settings) -> None:
    assert earliest_meeting(D("2026-11-26"), _contradictory(settings), ENG) is None


def test_a_meeting_that_leaves_time_is_not_too_soon(settings) -> None:
    dates = derive_dates(D("2026-12-15"), settings, ENG)
    assert too_soon(D("2026-12-15"), dates, dates.allocations_by, settings, ENG) is None


def test_too_soon_says_by_how_much_and_when_instead(settings) -> None:
    dates = derive_dates(D("2026-12-15"), settings, ENG)  # allocations by Tue 1 December
    problem = too_soon(D("2026-12-15"), dates, D("2026-12-02"), settings, ENG)
    assert problem is not None and problem.option == "--meeting"
    assert problem.message == (
        "a QA meeting on 2026-12-15 is too soon: its allocations would have to reach the auditors by 2026-12-01, "
        "1 day before today (2026-12-02), and R5 gives them at least 14 days before the meeting. The earliest "
        "meeting that leaves time is Wed 2026-12-16 (allocations by 2026-12-02)"
    )
    later = too_soon(D("2026-12-15"), dates, D("2026-12-21"), settings, ENG)
    assert later is not None and "20 days before today" in later.message
    assert later.message.endswith("is Mon 2027-01-04, in cycle 2027-01 (allocations by 2026-12-21)")


def test_too_soon_without_an_earliest_meeting(settings) -> None:
    dates = CycleDates(D("2026-12-01"), D("2026-12-04"), D("2026-12-11"))
    problem = too_soon(D("2026-12-15"), dates, D("2026-12-02"), _contradictory(settings), ENG)
    assert problem is not None and problem.message.endswith("at least 14 days before the meeting")


# --- ehqa cycle plan -----------------------------------------------------------------------


def _cycle(cycle_id: str, meeting: str, dates: CycleDates, theme: str = "Neglect") -> Cycle:
    return Cycle(f"cycles/{cycle_id}.yaml", cycle_id, theme, "previous-meeting", (), D(meeting),
                 dates.allocations_by, dates.worker_forms_due, dates.audits_due, ())


def test_plan_rows(settings) -> None:
    planned = meeting_in(2027, 1, "third Tuesday", ENG)  # Tue 19 January
    derived = CycleDates(D("2027-01-05"), D("2027-01-08"), D("2027-01-15"))
    new = plan_row(planned, None, False, settings, ENG, D("2026-11-26"))
    assert (new.meeting, new.dates, new.file, new.status, new.from_file) == (
        D("2027-01-19"), derived, "cycles/2027-01.yaml", "new", False)
    assert plan_row(planned, None, False, settings, ENG, D("2027-01-06")).status == "too-late"
    assert plan_row(planned, None, True, settings, ENG, D("2027-01-06")).status == "unreadable"
    agreed = CycleDates(D("2027-01-07"), D("2027-01-11"), D("2027-01-18"))
    existing = plan_row(planned, _cycle("2027-01", "2027-01-21", agreed), False, settings, ENG, D("2027-01-06"))
    assert (existing.meeting, existing.dates, existing.status, existing.theme, existing.from_file) == (
        D("2027-01-21"), agreed, "exists", "Neglect", True)


def test_plan_row_needs_coherent_timescales_only_without_a_file(settings) -> None:
    planned = meeting_in(2027, 1, "third Tuesday", ENG)
    with pytest.raises(ValueError, match="must not exceed allocation_lead_days"):
        plan_row(planned, None, False, _contradictory(settings), ENG, D("2026-11-26"))
    existing = _cycle("2027-01", "2027-01-19", CycleDates(D("2027-01-05"), D("2027-01-08"), D("2027-01-15")))
    assert plan_row(planned, existing, False, _contradictory(settings), ENG, D("2026-11-26")).status == "exists"


def test_skip_reason(settings) -> None:
    planned = meeting_in(2027, 1, "third Tuesday", ENG)
    today = D("2027-01-06")
    assert skip_reason(plan_row(planned, None, False, settings, ENG, D("2026-11-26")), today) is None
    assert skip_reason(plan_row(planned, None, True, settings, ENG, today), today) == NEVER_OVERWRITE
    assert skip_reason(plan_row(planned, None, False, settings, ENG, today), today) == (
        "its allocations would have been due by 2027-01-05, before today (2027-01-06)")


def test_a_moved_meeting_is_explained_in_every_output(settings) -> None:
    """Good Friday 2027 moves a last-Friday meeting past Easter Monday, to Tuesday 30 March."""
    rule = parse_meeting_rule("last Friday")
    planned = meeting_in(2027, 3, rule, ENG)
    assert (planned.meeting, planned.moved_from, planned.reason) == (D("2027-03-30"), D("2027-03-26"), "Good Friday")
    by_rule = plan_row(planned, None, False, settings, ENG, D("2026-11-26"))
    from_file = plan_row(planned, _cycle("2027-03", "2027-03-31", derive_dates(D("2027-03-31"), settings, ENG)),
                         False, settings, ENG, D("2026-11-26"))

    text = plan_text(2027, rule, "Millbrook", ENG, [by_rule], [], [], None, write=False)
    assert text.splitlines()[:2] == ["QA meetings for 2027, Millbrook",
                                     "rule: the last Friday of each month; bank holidays of GB-ENG"]
    assert ("  2027-03: the rule's day, Fri 2027-03-26, is Good Friday, a bank holiday; the meeting moves to "
            "Tue 2027-03-30") in text.splitlines()
    text = plan_text(2027, rule, "Millbrook", ENG, [from_file], [], [], None, write=False)
    assert text.splitlines()[-1].endswith("moves to Tue 2027-03-30 (cycles/2027-03.yaml has Wed 2027-03-31)")

    events = meeting_events([by_rule, from_file])
    assert events[0]["description"].endswith("Moved from Fri 2027-03-26: Good Friday.")
    assert "Moved from" not in events[1]["description"] and "Theme: Neglect." in events[1]["description"]

    rows = plan_json(2027, rule, ENG, [by_rule, from_file], [], [], None)["cycles"]
    assert [(r["meeting"], r["moved_from"], r["dates_from"]) for r in rows] == [
        ("2027-03-30", "2027-03-26", "rule"), ("2027-03-31", "2027-03-26", "file")]


def test_plan_text_says_what_was_written(settings) -> None:
    rule = parse_meeting_rule("third Tuesday")
    row = plan_row(meeting_in(2027, 1, rule, ENG), None, False, settings, ENG, D("2026-11-26"))
    text = plan_text(2027, rule, "Millbrook", ENG, [row], ["cycles/2027-01.yaml"], [("cycles/2026-11.yaml", "why")],
                     Path("meetings.ics"), write=True)
    assert text.splitlines()[-5:] == [
        "",
        "wrote cycles/2027-01.yaml",
        "skipped cycles/2026-11.yaml: why",
        "Next: agree each theme at the previous QA meeting and edit it into its file (R2); team managers add "
        "their nominations (R3).",
        "wrote meetings.ics: 1 QA meetings",
    ]


def test_new_cycle_summary() -> None:
    dates = CycleDates(D("2026-12-01"), D("2026-12-04"), D("2026-12-11"))
    assert new_cycle_summary("cycles/2026-12.yaml", D("2026-12-15"), dates).splitlines() == [
        "wrote cycles/2026-12.yaml",
        "  QA meeting        Tue 2026-12-15",
        "  allocations by    Tue 2026-12-01",
        "  worker forms due  Fri 2026-12-04",
        "  audits due        Fri 2026-12-11",
        "Next: team managers add their nominations to the file (R3), then run `ehqa validate`.",
    ]
