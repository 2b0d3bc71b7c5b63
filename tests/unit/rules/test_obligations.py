"""Follow-ups (R10–R20), without the command line: small scenarios whose obligations were worked out
by hand, the escalation ladder step by step, the re-audit window's month ends, and the follow-ups issue's
text, which quotes the data inertly. `ehqa followups` itself: tests/cli/test_followups.py.

Calendar used in the hand-working (England): 2026-08-31 is the summer bank holiday; Christmas Day
2026 is a Friday and Boxing Day is observed on Monday 2026-12-28; 2028 is a leap year.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE as FIXTURE
from ehqa.load.repository import load_repository
from ehqa.model import (
    Allocation,
    AssessmentQuality,
    Audit,
    Cycle,
    Disagreement,
    DomainJudgement,
    FollowUp,
    Grade,
    Nomination,
    Pair,
    Person,
    PreviousWorkFeedback,
    Record,
    Role,
    SafetyConcern,
    Service,
    SmartAction,
    StaffDirectory,
    Team,
)
from ehqa.reporting import followups as render_followups
from ehqa.reporting.markdown import WORD_JOINER
from ehqa.rules.escalation import SENIOR_MANAGEMENT, escalate
from ehqa.rules.obligations import Obligations, Status, reaudit_window
from github_markdown import GFM, HOSTILE, github_would_link

SETTINGS = load_repository(FIXTURE).service.settings  # escalation after 5 and 15 working days

STAFF = StaffDirectory(
    "staff.yaml",
    {t: Team(t, t) for t in ("lead", "north", "qa")},
    (
        Person("SM", "Service Manager", Role.SERVICE_MANAGER, "lead"),
        Person("AM", "Area Manager", Role.AREA_MANAGER, "lead", line_manager="SM", auditor=True),
        Person("TM", "Team Manager", Role.TEAM_MANAGER, "north", line_manager="AM", auditor=True),
        Person("P", "Practitioner", Role.PRACTITIONER, "north", line_manager="TM"),
        Person("A1", "Auditor One", Role.CASE_MANAGER, "qa", line_manager="AM", auditor=True),
        Person("A2", "Auditor Two", Role.SENIOR_PRACTITIONER, "qa", line_manager="AM", auditor=True),
        Person("Q", "QA Officer", Role.QA_OFFICER, "qa", line_manager="SM"),
        Person("H", "Head of QA", Role.HEAD_OF_SERVICE_QA, "qa", line_manager="SM"),
    ),
)


def _cycle(cycle_id: str, meeting: date, cases: list[str], audits_due: date | None = None) -> Cycle:
    return Cycle(f"cycles/{cycle_id}.yaml", cycle_id, "Neglect", "previous-meeting", (), meeting, meeting,
                 meeting, audits_due or meeting, tuple(Nomination(c, "P", "north", "TM") for c in cases))


def _audit(cycle: str, case: str, completed: date, grade: Grade, **extra) -> Audit:
    return Audit(
        source=f"audits/{cycle}/{case}.yaml", case=case, cycle=cycle, auditors=("A1", "A2"), completed=completed,
        domains={"planning": DomainJudgement(grade if grade is not Grade.INADEQUATE_CRITICAL else Grade.INADEQUATE,
                                             "evidence")},
        overall=grade, overall_summary="summary", strengths=("one",), areas_for_development=(),
        learning_themes=("neglect",), learning_excerpt="excerpt for publication", **extra,
    )


def _service(audits, cycles, allocations=()) -> Service:
    return Service(SETTINGS, STAFF, {c.id: c for c in cycles}, {a.cycle: a for a in allocations}, list(audits))


def _by(obligations, rule: str, text: str = ""):
    found = [o for o in obligations if o.rule == rule and text in o.what]
    assert len(found) == 1, f"expected one {rule} obligation about {text!r}: {found}"
    return found[0]


# --- scenario A: Requires Improvement, nothing followed up -------------------------------
OCTOBER = _cycle("2026-10", date(2026, 10, 22), ["9100001"])  # a Thursday
NOVEMBER = _cycle("2026-11", date(2026, 11, 26), [])
RI = _audit("2026-10", "9100001", date(2026, 10, 14), Grade.REQUIRES_IMPROVEMENT, smart_actions=(
    SmartAction("Re-assess with the neglect tool", "P", date(2026, 11, 6), "tool completed", "open"),
))


@pytest.mark.parametrize(
    ("as_of", "rule", "what", "due", "status", "days", "escalate_to"),
    [
        # R15: 5 working days after Thursday 22 October is Thursday 29 October.
        (date(2026, 11, 2), "R15", "report", date(2026, 10, 29), Status.OVERDUE, 2, "Q"),  # Fri 30, Mon 2
        (date(2026, 11, 6), "R15", "report", date(2026, 10, 29), Status.OVERDUE, 6, "SM"),  # line manager
        (date(2026, 11, 26), "R15", "case note", date(2026, 10, 29), Status.OVERDUE, 20, "SM"),  # senior manager
        # R17: each SMART action by its own date; 14 working days from Fri 6 to Thu 26 November.
        (date(2026, 11, 6), "R17", "SMART action 1", date(2026, 11, 6), Status.OPEN, 0, None),
        (date(2026, 11, 26), "R17", "SMART action 1", date(2026, 11, 6), Status.OVERDUE, 14, "TM"),
        # R17 supervision note, R17 review, R19 reflective discussion: by the next meeting, 26 November.
        (date(2026, 11, 26), "R17", "supervision", date(2026, 11, 26), Status.OPEN, 0, None),
        (date(2026, 11, 27), "R17", "review the SMART actions", date(2026, 11, 26), Status.OVERDUE, 1, "Q"),
        (date(2026, 11, 27), "R19", "reflective", date(2026, 11, 26), Status.OVERDUE, 1, "TM"),
    ],
)
@pytest.mark.rule("R15", "R17", "R19")
def test_requires_improvement_scenario(as_of, rule, what, due, status, days, escalate_to) -> None:
    found = Obligations(_service([RI], [OCTOBER, NOVEMBER]), as_of).all()
    obligation = _by(found, rule, what)
    assert (obligation.due, obligation.status, obligation.days_overdue, obligation.escalate_to) == (
        due, status, days, escalate_to)
    assert obligation.audit == "audits/2026-10/9100001.yaml"


@pytest.mark.rule("R15", "R17", "R19")
def test_requires_improvement_scenario_has_exactly_these_obligations() -> None:
    found = Obligations(_service([RI], [OCTOBER, NOVEMBER]), date(2026, 11, 26)).all()
    assert sorted((o.rule, o.status.value) for o in found) == [
        ("R15", "overdue"), ("R15", "overdue"),
        ("R17", "open"), ("R17", "open"), ("R17", "overdue"),
        ("R19", "open"),
        ("R20", "open"),  # no assessment graded: feedback, or why there is none, by the next meeting
    ]


@pytest.mark.rule("R20")
def test_r20_holds_on_every_audit_and_a_record_of_no_assessment_on_file_closes_it() -> None:
    """An audit with no assessment graded still owes R20 (issue 11): the auditors record why there is none."""
    without = Obligations(_service([RI], [OCTOBER, NOVEMBER]), date(2026, 11, 27)).all()
    owed = _by(without, "R20", "no assessment on file")
    assert (owed.due, owed.status, owed.owner) == (date(2026, 11, 26), Status.OVERDUE, "A1")
    said = Record("audits/2026-10/9100001.records/2026-10-20.feedback.A1.yaml", "feedback", "9100001", "2026-10",
                  "A1", date(2026, 10, 20), rule="R20", no_assessment_on_file="the family withdrew consent")
    service = _service([RI], [OCTOBER, NOVEMBER])
    service.records.append(said)
    closed = _by(Obligations(service, date(2026, 11, 27)).all(), "R20")
    assert (closed.status, closed.closed_on) == (Status.DONE, date(2026, 10, 20))


@pytest.mark.rule("R15", "R17")
def test_recorded_dates_close_obligations() -> None:
    done = replace(RI, followup=FollowUp(report_sent_to_manager=date(2026, 10, 23), casenote_recorded=date(2026, 10, 23),
                                         supervision_note_recorded=date(2026, 11, 2)),
                   smart_actions=(replace(RI.smart_actions[0], status="done", done=date(2026, 11, 5)),))
    found = Obligations(_service([done], [OCTOBER, NOVEMBER]), date(2026, 11, 26)).all()
    assert _by(found, "R15", "report").closed_on == date(2026, 10, 23)
    assert _by(found, "R17", "SMART action 1").status is Status.DONE
    assert _by(found, "R17", "supervision").status is Status.DONE
    assert _by(found, "R17", "review").status is Status.OPEN  # not yet reviewed, due today


@pytest.mark.rule("R17")
def test_not_met_action_is_escalated_to_senior_management() -> None:
    missed = replace(RI, smart_actions=(replace(RI.smart_actions[0], status="not-met"),))
    found = Obligations(_service([missed], [OCTOBER, NOVEMBER]), date(2026, 11, 20)).all()
    assert _by(found, "R17", "not met").due == date(2026, 11, 26)
    assert _by(found, "R17", "SMART action 1:").status is Status.OVERDUE  # not met is not done


# --- scenario B: Inadequate, with a safety concern, an inadequate assessment and a dispute ---
AUGUST = _cycle("2026-08", date(2026, 8, 27), ["9100002"])
SEPTEMBER = _cycle("2026-09", date(2026, 9, 24), [])
INADEQUATE = _audit(
    "2026-08", "9100002", date(2026, 8, 20), Grade.INADEQUATE,
    safety_concern=SafetyConcern("concern", date(2026, 8, 18), "TM", date(2026, 8, 19)),
    assessment=AssessmentQuality(Grade.INADEQUATE),
    disagreement=Disagreement(date(2026, 10, 1), "the team manager disputes the planning grade"),
    previous_work_feedback=(PreviousWorkFeedback("north", "strength", "good early work"),),
)


@pytest.mark.parametrize(
    ("rule", "what", "due", "window_start", "status", "days", "escalate_to"),
    [
        # R11: due the day it was found; told the next day: done.
        ("R11", "safety", date(2026, 8, 18), None, Status.DONE, 0, None),
        # R15: 5 working days after Thu 27 August, skipping the bank holiday on Mon 31 August: Fri 4 September.
        ("R15", "report", date(2026, 9, 4), None, Status.OVERDUE, 16, "SM"),  # 7 Sep .. 28 Sep is 16
        # R16: the working day after Thu 20 August; 24 Aug .. 28 Sep less the bank holiday is 25.
        ("R16", "service manager", date(2026, 8, 21), None, Status.OVERDUE, 25, "SM"),
        # R18: 2–3 calendar months after 20 August; no re-audit yet; owned by a role, escalated as one.
        ("R18", "re-audit", date(2026, 11, 20), date(2026, 10, 20), Status.OPEN, 0, None),
        # R20: manager given advice within 5 working days of the audit: Thu 27 August; 21 days late by 28 Sep.
        ("R20", "information, advice", date(2026, 8, 27), None, Status.OVERDUE, 21, "AM"),
        # R20 feedback, R10 feedback and R19: by the next meeting, Thu 24 September (2 working days before).
        ("R20", "return feedback", date(2026, 9, 24), None, Status.OVERDUE, 2, "A1"),
        ("R10", "previous practitioner", date(2026, 9, 24), None, Status.OVERDUE, 2, "A1"),
        ("R19", "reflective", date(2026, 9, 24), None, Status.OVERDUE, 2, "TM"),
    ],
)
@pytest.mark.rule("R10", "R11", "R15", "R16", "R18", "R19", "R20")
def test_inadequate_scenario(rule, what, due, window_start, status, days, escalate_to) -> None:
    found = Obligations(_service([INADEQUATE], [AUGUST, SEPTEMBER]), date(2026, 9, 28)).all()
    obligation = _by(found, rule, what)
    assert (obligation.due, obligation.window_start, obligation.status, obligation.days_overdue,
            obligation.escalate_to) == (due, window_start, status, days, escalate_to)


@pytest.mark.rule("R12")
def test_head_of_service_review_is_due_ten_working_days_after_the_dispute() -> None:
    # Thu 1 October + 10 working days = Thu 15 October; as of Fri 16 October it is 1 day overdue.
    found = Obligations(_service([INADEQUATE], [AUGUST, SEPTEMBER]), date(2026, 10, 16)).all()
    review = _by(found, "R12")
    assert (review.due, review.status, review.days_overdue, review.escalate_to, review.owner) == (
        date(2026, 10, 15), Status.OVERDUE, 1, "H", "H")


@pytest.mark.rule("R18")
def test_reaudit_closes_r18_and_is_late_once_its_window_closes() -> None:
    reaudit = replace(_audit("2026-10", "9100002", date(2026, 10, 27), Grade.GOOD), reaudit_of="2026-08/9100002",
                      auditors=("AM",))
    october = _cycle("2026-10", date(2026, 10, 22), ["9100002"])
    with_reaudit = Obligations(_service([INADEQUATE, reaudit], [AUGUST, SEPTEMBER, october]), date(2026, 12, 1)).all()
    assert _by(with_reaudit, "R18").status is Status.DONE
    without = Obligations(_service([INADEQUATE], [AUGUST, SEPTEMBER]), date(2026, 12, 1)).all()
    late = _by(without, "R18")
    # Window closed Fri 20 November; Mon 23 .. Tue 1 December is 7 working days: the line manager rung,
    # and a role has no line manager, so it goes to senior management.
    assert (late.status, late.days_overdue, late.escalate_to) == (Status.OVERDUE, 7, SENIOR_MANAGEMENT)


@pytest.mark.parametrize(
    ("completed", "opens", "closes"),
    [
        (date(2026, 8, 20), date(2026, 10, 20), date(2026, 11, 20)),
        (date(2026, 11, 30), date(2027, 1, 30), date(2027, 2, 28)),  # clamped to February's end
        (date(2027, 11, 30), date(2028, 1, 30), date(2028, 2, 29)),  # a leap year
        (date(2026, 12, 31), date(2027, 2, 28), date(2027, 3, 31)),
        (date(2026, 10, 31), date(2026, 12, 31), date(2027, 1, 31)),  # across the year end
    ],
)
@pytest.mark.rule("R18")
def test_reaudit_window(completed: date, opens: date, closes: date) -> None:
    assert reaudit_window(completed, SETTINGS.timescales) == (opens, closes)


@pytest.mark.parametrize(
    ("completed", "alert_due"),
    [
        (date(2026, 11, 27), date(2026, 11, 30)),  # Friday: the next working day is Monday
        (date(2026, 12, 24), date(2026, 12, 29)),  # Christmas, the weekend and Boxing Day observed
        (date(2026, 8, 28), date(2026, 9, 1)),  # Friday before the summer bank holiday
        (date(2026, 4, 2), date(2026, 4, 7)),  # Thursday before Easter: Good Friday, Easter Monday
    ],
)
@pytest.mark.rule("R16")
def test_service_manager_alert_counts_working_days(completed: date, alert_due: date) -> None:
    cycle = _cycle("2026-08", date(2026, 8, 27), ["9100003"])
    audit = _audit("2026-08", "9100003", completed, Grade.INADEQUATE_CRITICAL)
    found = Obligations(_service([audit], [cycle]), date(2026, 1, 1)).all()
    assert _by(found, "R16").due == alert_due


@pytest.mark.rule("R13")
def test_audit_not_submitted_by_its_due_date() -> None:
    cycle = _cycle("2026-11", date(2026, 11, 26), ["9100004"], audits_due=date(2026, 11, 20))
    allocation = Allocation("cycles/2026-11.allocation.yaml", "2026-11", 1, date(2026, 11, 6),
                            (Pair(("A1", "A2"), ("9100004",)),))
    service = _service([], [cycle], [allocation])
    assert _by(Obligations(service, date(2026, 11, 20)).all(), "R13").status is Status.OPEN
    missing = _by(Obligations(service, date(2026, 11, 26)).all(), "R13")
    assert (missing.status, missing.days_overdue, missing.owner, missing.escalate_to) == (Status.OVERDUE, 4, "A1", "A1")
    assert missing.audit == "audits/2026-11/9100004.yaml" and missing.file == "cycles/2026-11.allocation.yaml"


# --- the escalation ladder ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "days", "expected"),
    [
        ("P", 1, "P"),  # past due: the owner
        ("P", 5, "P"),
        ("P", 6, "TM"),  # more than 5 working days: the owner's line manager
        ("P", 15, "TM"),
        ("P", 16, "AM"),  # more than 15: the first senior manager above the owner
        ("Q", 16, "SM"),
        ("SM", 6, SENIOR_MANAGEMENT),  # nobody above: senior management as a role
        ("SM", 16, SENIOR_MANAGEMENT),
        (None, 3, "senior manager"),  # an obligation owned by a role stays with the role
    ],
)
def test_escalation_ladder(owner: str | None, days: int, expected: str) -> None:
    assert escalate(STAFF, SETTINGS, owner, "senior manager", days) == expected


# --- what the follow-ups issue quotes from the data is inert (issue 9) -------------------------


def test_the_followups_issue_quotes_a_hostile_smart_action_inertly() -> None:
    """Issue 9: a SMART action's text reached the issue with only `|` escaped, so @mentions and links worked."""
    hostile = replace(RI, smart_actions=(replace(RI.smart_actions[0], action=HOSTILE),))
    found = Obligations(_service([hostile], [OCTOBER, NOVEMBER]), date(2026, 11, 26)).all()
    text = render_followups.markdown(found, STAFF, SETTINGS, date(2026, 11, 26))
    row = next(line for line in text.splitlines() if "someone" in line)
    html_out = GFM.render(text)
    assert "<a " not in html_out and "<b>" not in html_out, html_out
    assert github_would_link(html_out) == [], html_out
    assert HOSTILE in html_out.replace(WORD_JOINER, "").replace("&lt;", "<").replace("&gt;", ">")  # shown as written
    assert row.count(" | ") == 5  # still the table's six cells


def test_names_in_the_followups_issue_are_inert_too() -> None:
    people = tuple(replace(p, name="@millbrook/everyone <img src=x>") if p.id == "TM" else p
                   for p in STAFF.people.values())
    staff = StaffDirectory("staff.yaml", STAFF.teams, people)
    service = Service(SETTINGS, staff, {c.id: c for c in (OCTOBER, NOVEMBER)}, {}, [RI])
    text = render_followups.markdown(Obligations(service, date(2026, 11, 27)).all(), staff, SETTINGS,
                                     date(2026, 11, 27))
    assert "everyone" in text
    html_out = GFM.render(text)
    assert "<img" not in html_out and github_would_link(html_out) == [], html_out
