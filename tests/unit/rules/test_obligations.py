"""Follow-ups (R10–R20): small scenarios whose obligations were worked out by hand, the escalation
ladder step by step, the re-audit window's month ends, and the command's formats.

Calendar used in the hand-working (England): 2026-08-31 is the summer bank holiday; Christmas Day
2026 is a Friday and Boxing Day is observed on Monday 2026-12-28; 2028 is a leap year.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import date
from html import escape as _html_escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ehqa.cli import cli
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
    Role,
    SafetyConcern,
    Service,
    SmartAction,
    StaffDirectory,
    Team,
)
from ehqa.reporting import followups as render_followups
from ehqa.reporting.markdown import WORD_JOINER, inert
from ehqa.rules.escalation import SENIOR_MANAGEMENT, escalate
from ehqa.rules.obligations import Obligations, Status, reaudit_window

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "service"
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
def test_requires_improvement_scenario(as_of, rule, what, due, status, days, escalate_to) -> None:
    found = Obligations(_service([RI], [OCTOBER, NOVEMBER]), as_of).all()
    obligation = _by(found, rule, what)
    assert (obligation.due, obligation.status, obligation.days_overdue, obligation.escalate_to) == (
        due, status, days, escalate_to)
    assert obligation.audit == "audits/2026-10/9100001.yaml"


def test_requires_improvement_scenario_has_exactly_these_obligations() -> None:
    found = Obligations(_service([RI], [OCTOBER, NOVEMBER]), date(2026, 11, 26)).all()
    assert sorted((o.rule, o.status.value) for o in found) == [
        ("R15", "overdue"), ("R15", "overdue"),
        ("R17", "open"), ("R17", "open"), ("R17", "overdue"),
        ("R19", "open"),
    ]


def test_recorded_dates_close_obligations() -> None:
    done = replace(RI, followup=FollowUp(report_sent_to_manager=date(2026, 10, 23), casenote_recorded=date(2026, 10, 23),
                                         supervision_note_recorded=date(2026, 11, 2)),
                   smart_actions=(replace(RI.smart_actions[0], status="done", done=date(2026, 11, 5)),))
    found = Obligations(_service([done], [OCTOBER, NOVEMBER]), date(2026, 11, 26)).all()
    assert _by(found, "R15", "report").closed_on == date(2026, 10, 23)
    assert _by(found, "R17", "SMART action 1").status is Status.DONE
    assert _by(found, "R17", "supervision").status is Status.DONE
    assert _by(found, "R17", "review").status is Status.OPEN  # not yet reviewed, due today


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
def test_inadequate_scenario(rule, what, due, window_start, status, days, escalate_to) -> None:
    found = Obligations(_service([INADEQUATE], [AUGUST, SEPTEMBER]), date(2026, 9, 28)).all()
    obligation = _by(found, rule, what)
    assert (obligation.due, obligation.window_start, obligation.status, obligation.days_overdue,
            obligation.escalate_to) == (due, window_start, status, days, escalate_to)


def test_head_of_service_review_is_due_ten_working_days_after_the_dispute() -> None:
    # Thu 1 October + 10 working days = Thu 15 October; as of Fri 16 October it is 1 day overdue.
    found = Obligations(_service([INADEQUATE], [AUGUST, SEPTEMBER]), date(2026, 10, 16)).all()
    review = _by(found, "R12")
    assert (review.due, review.status, review.days_overdue, review.escalate_to, review.owner) == (
        date(2026, 10, 15), Status.OVERDUE, 1, "H", "H")


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
def test_service_manager_alert_counts_working_days(completed: date, alert_due: date) -> None:
    cycle = _cycle("2026-08", date(2026, 8, 27), ["9100003"])
    audit = _audit("2026-08", "9100003", completed, Grade.INADEQUATE_CRITICAL)
    found = Obligations(_service([audit], [cycle]), date(2026, 1, 1)).all()
    assert _by(found, "R16").due == alert_due


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


# --- the command ------------------------------------------------------------------------


def test_demo_followups_json_and_fail_on_overdue() -> None:
    result = CliRunner().invoke(cli, ["followups", "--repo", str(ROOT), "--as-of", "2026-11-26", "--format", "json",
                                      "--fail-on", "overdue"])
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert rows and all(set(r) == {"rule", "audit", "what", "owner", "due", "window_start", "status",
                                   "days_overdue", "escalate_to"} for r in rows)
    assert all(r["audit"].startswith("audits/") and (ROOT / r["audit"]).exists() or r["rule"] == "R13" for r in rows)
    assert {r["status"] for r in rows} <= {"open", "overdue"}


def test_nothing_overdue_exits_zero(tmp_path: Path) -> None:
    for name in ("qa.yaml", "staff.yaml"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    shutil.copytree(FIXTURE / "schemas", tmp_path / "schemas")
    result = CliRunner().invoke(cli, ["followups", "--repo", str(tmp_path), "--as-of", "2026-11-26",
                                      "--fail-on", "overdue"])
    assert result.exit_code == 0
    assert "nothing open or overdue" in result.output


def test_markdown_groups_by_escalation_and_owner() -> None:
    result = CliRunner().invoke(cli, ["followups", "--repo", str(ROOT), "--as-of", "2026-11-26", "--format", "markdown"])
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("## Follow-ups as of 2026-11-26")
    assert "### More than 15 working days overdue: escalated to senior management (R17)" in text
    assert "| rule | audit | what | due | working days overdue | escalate to |" in text


def test_github_annotations_point_at_the_audit_line() -> None:
    result = CliRunner().invoke(cli, ["followups", "--repo", str(ROOT), "--as-of", "2026-11-26", "--format", "github"])
    lines = result.output.splitlines()
    assert lines and all(line.startswith(("::warning file=", "::notice file=")) for line in lines)
    first = lines[0]
    path = first.split("file=", 1)[1].split(",", 1)[0]
    line = int(first.split("line=", 1)[1].split(",", 1)[0])
    assert (ROOT / path).exists() and 1 < line <= len((ROOT / path).read_text().splitlines())


def test_reaudits_lists_windows() -> None:
    result = CliRunner().invoke(cli, ["reaudits", "--repo", str(ROOT), "--as-of", "2026-11-03", "--format", "json"])
    assert result.exit_code == 0
    for row in json.loads(result.output):
        assert row["rule"] == "R18" and row["window_start"] < row["due"]


def test_sample_service_matches_the_hand_worked_list() -> None:
    """Every open or overdue obligation of the sample service, as worked out by hand."""
    from ehqa.load.strict_yaml import load_file

    expected = sorted(tuple(str(v) for v in row) for row in load_file(FIXTURE.parent / "followups-2026-11-26.yaml")["obligations"])
    result = CliRunner().invoke(cli, ["followups", "--repo", str(FIXTURE), "--as-of", "2026-11-26", "--format", "json"])
    actual = sorted((r["rule"], r["audit"], r["due"], r["status"], str(r["days_overdue"])) for r in json.loads(result.output))
    assert actual == expected


def test_markdown_reports_the_on_time_rate() -> None:
    """R13: the demo records its own dates (submission_dates: completed); November's nine allocated
    audits were due on 13 November and none has arrived by the 26th."""
    result = CliRunner().invoke(cli, ["followups", "--repo", str(ROOT), "--as-of", "2026-11-26", "--format", "markdown"])
    assert "### Audits submitted on time (R13)" in result.output
    allocated = sum(len(p.cases) for p in load_repository(ROOT).service.allocations["2026-11"].pairs)
    # Changed for issue 9: the cycle id is quoted from the data, so it is escaped (it renders as 2026-11).
    assert f"| 2026\\-11 | 0 | {allocated} | 0% |" in result.output


# --- what the follow-ups issue quotes from the data is inert (issue 9) -------------------------

# CommonMark with GitHub's tables, strikethrough and autolinks of URLs and e-mail addresses (linkify);
# like GitHub, no link for a bare domain without www.
GFM = MarkdownIt("gfm-like")
GFM.linkify.set({"fuzzy_link": False})
# What GitHub links in the rendered text, after Markdown: mentions, references, commit SHAs of a repository.
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
REFERENCE = re.compile(r"(?:#|\bGH-)[0-9]", re.IGNORECASE)
BARE_URL = re.compile(r"://|\bwww\.|\w@\w", re.IGNORECASE)
HOSTILE = "@someone [link](https://x) <b>"


def _rendered_text(markdown_text: str) -> str:
    """The paragraph's text as GitHub would show it, with the invisible word joiners taken out."""
    html_out = GFM.render(markdown_text)
    assert html_out.startswith("<p>") and html_out.endswith("</p>\n"), html_out  # one paragraph, nothing else
    return html_out[3:-5].replace(WORD_JOINER, "")


def _github_would_link(html_out: str) -> list[str]:
    return MENTION.findall(html_out) + REFERENCE.findall(html_out) + BARE_URL.findall(html_out)


@pytest.mark.parametrize("text", [
    HOSTILE,
    "@team please look", "ask @millbrook/qa-leads", "see #12 and GH-7 and owner/repo#3 and owner/repo@abc1234",
    "[x](http://evil)", "![x](http://evil/pixel.png)", "<img src=x onerror=alert(1)>", "<b>bold</b> <!-- c -->",
    "http://evil.example/ and https://evil.example and www.evil.example and a.person@evil.example",
    "`code` ``more``", "*em* _em_ **strong** ~~gone~~ $x^2$", "&#64;team &amp; &lt;b&gt;", "# heading", "> quote",
    "a | b | c", "line one\nline two\r\nline three\u2028four", "tab\there", ":+1: :warning:", "\\[x\\]",
    "trailing spaces   ", "\u202eevil\u202c", "[link][ref]\n\n[ref]: http://evil",
])
def test_inert_text_renders_as_its_own_words_and_links_nothing(text: str) -> None:
    out = inert(text)
    assert "\n" not in out and "\r" not in out
    html_out = GFM.render(out)
    assert not re.search(r"<(?!/?p>)", html_out), html_out  # no tag but the paragraph: no link, image, HTML, code
    assert _github_would_link(html_out) == [], html_out
    visible = " ".join(text.replace("\u202e", "").replace("\u202c", "").split())
    assert _rendered_text(out) == _html_escape(visible, quote=True).replace("&#x27;", "'")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60))
def test_inert_text_is_exactly_its_text_whatever_it_holds(text: str) -> None:
    visible = " ".join("".join(" " if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text).split())
    visible = visible.translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                                   "\u200e\u200f")))
    visible = " ".join(visible.split())
    if not visible or visible != visible.strip():
        return
    html_out = GFM.render(inert(text))
    assert not re.search(r"<(?!/?p>)", html_out), html_out
    assert _github_would_link(html_out) == [], html_out


def test_a_table_cell_stays_one_cell_on_one_row() -> None:
    row = f"| {inert('a | b')} | {inert('c' + chr(10) + '| d |')} |"
    html_out = GFM.render("| one | two |\n| --- | --- |\n" + row + "\n")
    assert html_out.count("<tr>") == 2 and html_out.count("<td>") == 2, html_out


def test_the_followups_issue_quotes_a_hostile_smart_action_inertly() -> None:
    """Issue 9: a SMART action's text reached the issue with only `|` escaped, so @mentions and links worked."""
    hostile = replace(RI, smart_actions=(replace(RI.smart_actions[0], action=HOSTILE),))
    found = Obligations(_service([hostile], [OCTOBER, NOVEMBER]), date(2026, 11, 26)).all()
    text = render_followups.markdown(found, STAFF, SETTINGS, date(2026, 11, 26))
    row = next(line for line in text.splitlines() if "someone" in line)
    html_out = GFM.render(text)
    assert "<a " not in html_out and "<b>" not in html_out, html_out
    assert _github_would_link(html_out) == [], html_out
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
    assert "<img" not in html_out and _github_would_link(html_out) == [], html_out
