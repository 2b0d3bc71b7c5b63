"""`ehqa cycle new` and `ehqa cycle plan` (R1, R2, R5, R7, R13), on copies of the sample service.

Every command gets --as-of: nothing here depends on today's date.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import AS_OF
from ehqa.documents.meetings_ics import meeting_uid
from ehqa.load.repository import load_single
from ehqa.load.strict_yaml import load_file
from ehqa.reporting.checker import Checker, ValidateOptions

D = date.fromisoformat


@pytest.fixture
def run(ehqa):
    """`ehqa cycle ARGS --repo ROOT`."""

    def run(root: Path, *args: str):
        return ehqa("cycle", *args, "--repo", str(root))

    return run


def findings(root: Path) -> list:
    found, _files = Checker(ValidateOptions(root=root, as_of=AS_OF), out=None).findings()
    return found


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "cycles").iterdir())}


# --- ehqa cycle new ------------------------------------------------------------------------


def test_new_writes_a_valid_friendly_cycle_file(service_copy: Path, ehqa, run) -> None:
    assert findings(service_copy) == []
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Neglect",
                 "--source", "serious-case-review", "--learning-theme", "neglect", "--learning-theme",
                 "voice-of-the-child", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "wrote cycles/2026-12.yaml" in result.output
    target = service_copy / "cycles" / "2026-12.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/cycle.schema.json"
    # the guide for team managers sits just above the empty list, with a quoted case reference
    lines = text.splitlines()
    assert lines[-1] == "nominations: []"
    guide = "\n".join(lines[lines.index("dates:"):])
    assert "Team managers" in guide and '#   - case: "' in guide and "nominated_by:" in guide
    assert "(R3)" in guide and "Tuesday 1 December 2026" in guide
    assert load_file(target) == {
        "cycle": "2026-12",
        "theme": {"title": "Neglect", "source": "serious-case-review",
                  "learning_themes": ["neglect", "voice-of-the-child"]},
        "meeting": "2026-12-15",
        # 14 days before is Tuesday 1 December; 10 and 3 days before are Saturdays, so the Fridays
        "dates": {"allocations_by": "2026-12-01", "worker_forms_due": "2026-12-04", "audits_due": "2026-12-11"},
        "nominations": [],
    }
    assert findings(service_copy) == []  # the new file passes ehqa validate as written
    validate = ehqa("validate", "--repo", str(service_copy), "--as-of", AS_OF)
    assert validate.exit_code == 0, validate.output


def test_new_moves_dates_off_bank_holidays(service_copy: Path, run) -> None:
    result = run(service_copy, "new", "2027-01", "--meeting", "2027-01-11", "--theme", "Domestic abuse",
                 "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    cycle, problems = load_single(service_copy, "cycles/2027-01.yaml")
    assert problems == []
    # 14 days before is Boxing Day observed (back over Christmas); 10 days before is New Year's Day
    assert (cycle.allocations_by, cycle.worker_forms_due, cycle.audits_due) == (
        D("2026-12-24"), D("2026-12-31"), D("2027-01-08"))
    assert cycle.theme_source == "previous-meeting"  # the default source
    assert findings(service_copy) == []


def default_timescales(root: Path) -> None:
    """Take the cycle timescales out of the copy's qa.yaml, so that their defaults apply."""
    settings = root / "qa.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
    names = ("allocation_lead_days:", "worker_form_due_days_before_meeting:", "audits_due_days_before_meeting:")
    settings.write_text("".join(line for line in lines if not line.strip().startswith(names)), encoding="utf-8")


@pytest.mark.rule("R5", "R7", "R13")
@pytest.mark.parametrize(("cycle", "meeting"), [("2026-12", "2026-12-15"), ("2027-01", "2027-01-11"),
                                                ("2027-03", "2027-03-30"), ("2027-05", "2027-05-04")])
def test_cycle_new_default_timescales_give_practitioners_five_working_days_and_say_what_each_party_gets(
        service_copy: Path, run, cycle: str, meeting: str) -> None:
    """Issue 12 item 6: with the default timescales the practitioner has at least 5 working days (bank holidays
    skipped) from the allocations to the worker form's due date, and `cycle new` says what each party gets."""
    from ehqa.model.calendar import working_calendar

    default_timescales(service_copy)
    result = run(service_copy, "new", cycle, "--meeting", meeting, "--theme", "Neglect", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    written, problems = load_single(service_copy, f"cycles/{cycle}.yaml")
    assert problems == []
    between = working_calendar("GB", "ENG").working_days_between
    practitioners = between(written.allocations_by, written.worker_forms_due)
    assert practitioners >= 5
    auditors = between(written.allocations_by, written.audits_due)
    with_forms = between(written.worker_forms_due, written.audits_due)
    assert with_forms >= 1
    officer = between(written.audits_due, written.meeting)
    tms = between(AS_OF, written.allocations_by)
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert "Time each party gets, in working days (bank holidays of GB-ENG):" in lines
    assert f"team managers {tms} working days to nominate cases, until the allocations go out (R3)" in lines
    assert (f"practitioners {practitioners} working days for the Perspective of Worker form, from the allocations "
            "(R7)") in lines
    assert (f"auditors {auditors} working days to audit, from the allocations; {with_forms} of them with the worker "
            "forms in hand (R7, R13)") in lines
    assert any(line.startswith(f"QA officer {officer} working day") for line in lines)
    assert findings(service_copy) == []


@pytest.mark.rule("R2")
@pytest.mark.parametrize(("theme", "themes"), [("Neglect", ["neglect"]), ("cumulative NEGLECT", ["neglect"]),
                                               ("Domestic abuse and young carers", ["domestic-abuse", "young-carers"])])
def test_cycle_new_matches_the_theme_to_the_learning_theme_vocabulary(service_copy: Path, run, theme: str,
                                                                      themes: list[str]) -> None:
    """Issue 12 item 16: without --learning-theme, the theme's words pick qa.yaml's learning themes, so the cycle
    is on their pages of the learning site."""
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", theme, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert load_file(service_copy / "cycles" / "2026-12.yaml")["theme"]["learning_themes"] == themes
    assert f"learning themes {', '.join(themes)}" in " ".join(result.output.split())
    assert findings(service_copy) == []


@pytest.mark.rule("R2")
def test_cycle_new_asks_for_a_learning_theme_when_the_theme_matches_none(service_copy: Path, run) -> None:
    """Issue 12 item 16: a theme that names no learning theme is a usage error listing the vocabulary."""
    before = snapshot(service_copy)
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Parental substance misuse",
                 "--as-of", AS_OF)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "--learning-theme" in message and "matches none of qa.yaml's learning themes" in message
    for known in ("neglect (Neglect and cumulative harm)", "domestic-abuse (Domestic abuse)", "voice-of-the-child",
                  "young-carers"):
        assert known in message
    assert "add the theme to learning_themes in qa.yaml" in message
    assert snapshot(service_copy) == before
    chosen = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Parental substance misuse",
                 "--learning-theme", "neglect", "--as-of", AS_OF)
    assert chosen.exit_code == 0, chosen.output


@pytest.mark.parametrize("theme", ["no", "2026-01-01", "Neglect: 'yes' # not a comment", "9183570", "  spaced   out  "])
def test_new_keeps_awkward_theme_text_as_text(service_copy: Path, theme: str, run) -> None:
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", theme,
                 "--learning-theme", "neglect", "--rationale", "Because: reasons", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    cycle, problems = load_single(service_copy, "cycles/2026-12.yaml")
    assert problems == [] and cycle.theme_title == " ".join(theme.split())
    assert load_file(service_copy / "cycles" / "2026-12.yaml")["theme"]["rationale"] == "Because: reasons"
    if theme == "9183570":  # kept as text, and then refused: the theme is published, a case reference never is (R21)
        assert [(f.rule, f.file) for f in findings(service_copy)] == [("PRIVACY-CASE-REFERENCE", "cycles/2026-12.yaml")]
    else:
        assert findings(service_copy) == []


def test_new_refuses_an_existing_file_and_leaves_it_alone(service_copy: Path, run) -> None:
    target = service_copy / "cycles" / "2026-11.yaml"
    before = target.read_bytes()
    result = run(service_copy, "new", "2026-11", "--meeting", "2026-11-24", "--theme", "Anything",
                 "--as-of", "2026-11-01")
    assert result.exit_code == 1
    assert "cycles/2026-11.yaml already exists" in result.output and "never overwrites" in result.output
    assert target.read_bytes() == before


def test_new_refuses_a_second_run(service_copy: Path, run) -> None:
    first = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Neglect", "--as-of", AS_OF)
    assert first.exit_code == 0
    target = service_copy / "cycles" / "2026-12.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# a team manager's edit\n", encoding="utf-8")
    edited = target.read_bytes()
    again = run(service_copy, "new", "2026-12", "--meeting", "2026-12-16", "--theme", "Something else",
                "--as-of", AS_OF)
    assert again.exit_code == 1
    assert target.read_bytes() == edited


@pytest.mark.rule("R5")
def test_new_refuses_a_short_lead_time_and_says_what_works(service_copy: Path, run) -> None:
    before = snapshot(service_copy)
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-07", "--theme", "Neglect", "--as-of", AS_OF)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    # 14 days before Monday 7 December is Monday 23 November: 3 days before today
    assert "2026-11-23, 3 days before today (2026-11-26)" in message
    assert "at least 14 days before the meeting" in message
    # 26 November + 14 is Thursday 10 December, whose allocations date is today
    assert "earliest meeting that leaves time is Thu 2026-12-10" in message
    assert snapshot(service_copy) == before


def test_new_short_lead_time_points_to_a_later_cycle_when_the_month_is_gone(service_copy: Path, run) -> None:
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-22", "--theme", "Neglect",
                 "--as-of", "2026-12-20")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    # 20 December + 14 is Sunday 3 January; Monday 4 January's allocations date is Monday 21 December
    assert "earliest meeting that leaves time is Mon 2027-01-04, in cycle 2027-01" in message


@pytest.mark.rule("R5")
def test_new_accepts_exactly_the_lead_time(service_copy: Path, run) -> None:
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-10", "--theme", "Neglect", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert load_file(service_copy / "cycles" / "2026-12.yaml")["dates"]["allocations_by"] == str(AS_OF)
    assert findings(service_copy) == []


@pytest.mark.rule("R1")
def test_new_refuses_a_meeting_in_another_month(service_copy: Path, run) -> None:
    result = run(service_copy, "new", "2027-01", "--meeting", "2026-12-15", "--theme", "Neglect", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "2026-12-15 is not in 2027-01" in result.output and "(R1)" in result.output
    assert not (service_copy / "cycles" / "2027-01.yaml").exists()


def test_new_refuses_a_meeting_on_a_bank_holiday(service_copy: Path, run) -> None:
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-28", "--theme", "Neglect", "--as-of", AS_OF)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "Boxing Day (observed)" in message and "Thu 2026-12-24 and Tue 2026-12-29" in message
    assert not (service_copy / "cycles" / "2026-12.yaml").exists()


@pytest.mark.rule("R2")
def test_new_refuses_an_unknown_learning_theme(service_copy: Path, run) -> None:
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Neglect",
                 "--learning-theme", "neglect", "--learning-theme", "neglet", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "neglet is not in qa.yaml's learning_themes" in result.output
    assert not (service_copy / "cycles" / "2026-12.yaml").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2026-13", "--meeting", "2026-12-15", "--theme", "x"), "not a cycle written YYYY-MM"),
        (("2026-12/9958453", "--meeting", "2026-12-15", "--theme", "x"),
         "is an audit (cycle/case); here the cycle is written alone, YYYY-MM: 2026-12"),
        (("2026-12", "--meeting", "15/12/2026", "--theme", "x"), "not a real date written YYYY-MM-DD"),
        (("2026-12", "--meeting", "2026-12-15", "--theme", "   "), "between 1 and 200 characters"),
        (("2026-12", "--meeting", "2026-12-15", "--theme", "x" * 201), "between 1 and 200 characters"),
        (("2026-12", "--meeting", "2026-12-15", "--theme", "x", "--source", "gossip"), "gossip"),
        (("2026-12", "--theme", "x"), "Missing option '--meeting'"),
    ],
)
def test_new_usage_errors(service_copy: Path, args: tuple[str, ...], expected: str, run) -> None:
    result = run(service_copy, "new", *args, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert not (service_copy / "cycles" / "2026-12.yaml").exists()


def test_new_refuses_when_qa_yaml_is_broken(service_copy: Path, run) -> None:
    (service_copy / "qa.yaml").write_text("service: [\n", encoding="utf-8")
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "x", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "qa.yaml cannot be read" in result.output and "ehqa validate qa.yaml" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_unknown_bank_holiday_country_is_a_clear_error(service_copy: Path, run) -> None:
    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace("country: GB", "country: XX"), encoding="utf-8")
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "x", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "service.bank_holidays" in result.output and "'XX-ENG'" in result.output


def test_contradictory_timescales_are_a_clear_error(service_copy: Path, run) -> None:
    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace("worker_form_due_days_before_meeting: 10",
                                                         "worker_form_due_days_before_meeting: 20"), encoding="utf-8")
    result = run(service_copy, "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Neglect", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "must not exceed allocation_lead_days" in " ".join(result.output.split())
    assert not (service_copy / "cycles" / "2026-12.yaml").exists()
    assert run(service_copy, "plan", "2027", "--as-of", AS_OF).exit_code == 1


# --- ehqa cycle plan -------------------------------------------------------------------------


@pytest.fixture
def plan_json(run):
    """`ehqa cycle plan ARGS --format json`, which must succeed: what it printed, read."""

    def plan_json(root: Path, *args: str) -> dict:
        result = run(root, "plan", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return plan_json


@pytest.mark.rule("R1")
def test_plan_2027_proposes_twelve_third_tuesdays(service_copy: Path, plan_json) -> None:
    before = snapshot(service_copy)
    data = plan_json(service_copy, "2027", "--as-of", AS_OF)
    assert data["rule"] == "third Tuesday" and data["bank_holidays"] == "GB-ENG"
    rows = data["cycles"]
    assert [r["cycle"] for r in rows] == [f"2027-{m:02d}" for m in range(1, 13)]
    assert [r["meeting"][5:] for r in rows] == ["01-19", "02-16", "03-16", "04-20", "05-18", "06-15", "07-20",
                                                "08-17", "09-21", "10-19", "11-16", "12-21"]
    assert {r["status"] for r in rows} == {"new"} and {r["dates_from"] for r in rows} == {"rule"}
    # December: 14 days before Tuesday 21 is Tuesday 7; 10 days before is Saturday 11, so Friday 10;
    # 3 days before is Saturday 18, so Friday 17
    december = rows[11]
    assert (december["allocations_by"], december["worker_forms_due"], december["audits_due"]) == (
        "2027-12-07", "2027-12-10", "2027-12-17")
    assert data["written"] == [] and data["ics"] is None
    assert snapshot(service_copy) == before  # without --write, nothing is written


def test_plan_shows_existing_cycles_and_what_is_too_late(service_copy: Path, plan_json) -> None:
    rows = {r["cycle"]: r for r in plan_json(service_copy, "2026", "--as-of", AS_OF)["cycles"]}
    assert [c for c, r in rows.items() if r["status"] == "too-late"] == [f"2026-{m:02d}" for m in range(1, 8)]
    assert [c for c, r in rows.items() if r["status"] == "exists"] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    november = rows["2026-11"]
    assert november["dates_from"] == "file" and november["meeting"] == "2026-11-26"  # the file's, not the rule's 17th
    assert november["allocations_by"] == "2026-11-12"
    assert rows["2026-12"]["status"] == "new" and rows["2026-12"]["meeting"] == "2026-12-15"


def test_plan_text_explains_bank_holiday_moves(service_copy: Path, run) -> None:
    result = run(service_copy, "plan", "2027", "--rule", "last Monday", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "the last Monday of each month; bank holidays of GB-ENG" in out
    assert re.search(r"2027-05: the rule's day, Mon 2027-05-31, is Spring Bank Holiday, a bank holiday; "
                     r"the meeting moves to Fri 2027-05-28", out)
    assert "2027-12: the rule's day, Mon 2027-12-27, is Christmas Day (observed)" in out
    assert "moves to Wed 2027-12-29" in out
    assert len([line for line in out.splitlines() if re.match(r"2027-\d\d ", line)]) == 12


def test_plan_rule_defaults_to_qa_yaml(service_copy: Path, plan_json) -> None:
    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace("  minutes_per_case: 10\n",
                                                         "  minutes_per_case: 10\n  rule: first Monday\n"),
                  encoding="utf-8")
    assert findings(service_copy) == []  # the setting is valid
    data = plan_json(service_copy, "2026", "--as-of", AS_OF)
    assert data["rule"] == "first Monday"
    april = data["cycles"][3]
    assert (april["moved_from"], april["meeting"], april["reason"]) == ("2026-04-06", "2026-04-07", "Easter Monday")
    assert plan_json(service_copy, "2026", "--rule", "3rd tue", "--as-of", AS_OF)["rule"] == "third Tuesday"


def test_plan_bad_rule_in_qa_yaml_is_a_clear_error(service_copy: Path, run) -> None:
    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace("  minutes_per_case: 10\n",
                                                         "  minutes_per_case: 10\n  rule: fortnightly\n"),
                  encoding="utf-8")
    result = run(service_copy, "plan", "2027", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "qa.yaml, meeting.rule: 'fortnightly' is not a meeting rule" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("27",), "'27' is not a year written YYYY"),
        (("2027", "--rule", "fifth Monday"), "'fifth Monday' is not a meeting rule"),
        (("2027", "--format", "xml"), "xml"),
    ],
)
def test_plan_usage_errors(service_copy: Path, args: tuple[str, ...], expected: str, run) -> None:
    result = run(service_copy, "plan", *args, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())


def test_plan_write_creates_only_missing_files(service_copy: Path, run) -> None:
    before = snapshot(service_copy)
    result = run(service_copy, "plan", "2026", "--write", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "wrote cycles/2026-12.yaml" in result.output
    assert "skipped cycles/2026-11.yaml: it exists" in result.output
    assert "skipped cycles/2026-03.yaml: its allocations would have been due by 2026-03-03" in result.output
    after = snapshot(service_copy)
    assert set(after) - set(before) == {"cycles/2026-12.yaml"}
    assert all(after[name] == data for name, data in before.items())  # existing files untouched, byte for byte
    written = load_file(service_copy / "cycles" / "2026-12.yaml")
    assert written["theme"] == {"title": "To be agreed at the previous QA meeting", "source": "previous-meeting"}
    assert written["meeting"] == "2026-12-15" and written["nominations"] == []
    assert "written by `ehqa cycle plan --write`" in (service_copy / "cycles" / "2026-12.yaml").read_text("utf-8")
    assert findings(service_copy) == []


def test_plan_write_a_whole_year_then_again(service_copy: Path, plan_json) -> None:
    data = plan_json(service_copy, "2027", "--write", "--as-of", AS_OF)
    assert data["written"] == [f"cycles/2027-{m:02d}.yaml" for m in range(1, 13)]
    assert findings(service_copy) == []
    written = snapshot(service_copy)
    again = plan_json(service_copy, "2027", "--write", "--as-of", AS_OF)
    assert again["written"] == [] and len(again["skipped"]) == 12
    assert {r["status"] for r in again["cycles"]} == {"exists"}
    assert snapshot(service_copy) == written


def test_plan_write_skips_an_unreadable_cycle_file(service_copy: Path, plan_json) -> None:
    broken = service_copy / "cycles" / "2026-12.yaml"
    broken.write_text("cycle: [\n", encoding="utf-8")
    data = plan_json(service_copy, "2026", "--write", "--as-of", AS_OF)
    december = data["cycles"][11]
    assert december["status"] == "unreadable" and december["meeting"] == "2026-12-15"
    never = "it exists, and ehqa never overwrites a cycle file"
    assert {"file": "cycles/2026-12.yaml", "reason": never} in data["skipped"]
    assert broken.read_text(encoding="utf-8") == "cycle: [\n"


# --- the calendar file --------------------------------------------------------------------------


def test_plan_ics_has_the_twelve_meetings(service_copy: Path, tmp_path: Path, run) -> None:
    ics = tmp_path / "out" / "meetings.ics"
    result = run(service_copy, "plan", "2027", "--rule", "last Monday", "--ics", str(ics), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert f"wrote {ics}: 12 QA meetings" in result.output
    data = ics.read_bytes()
    assert data.count(b"BEGIN:VEVENT") == 12 and b"\r\n" in data
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 12
    starts = [e.decoded("dtstart") for e in events]
    assert [s.date() for s in starts] == [D(f"2027-{md}") for md in ["01-25", "02-22", "03-30", "04-26", "05-28",
                                                                    "06-28", "07-26", "08-31", "09-27", "10-25",
                                                                    "11-29", "12-29"]]
    assert all((s.hour, s.minute) == (10, 0) for s in starts)  # qa.yaml's meeting.start, by default 10:00
    assert all((e.decoded("dtend") - e.decoded("dtstart")).total_seconds() == 2 * 3600 for e in events)
    assert [str(e["summary"]) for e in events] == [f"Early Help QA meeting — cycle 2027-{m:02d}" for m in range(1, 13)]
    assert all(e.decoded("dtstamp").isoformat() == "2026-11-26T00:00:00+00:00" for e in events)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 12
    assert uids[0] == meeting_uid("Millbrook Early Help (sample service)", "2027-01")
    may = str(events[4]["description"])
    assert "Allocations reach the auditors by Fri 2027-05-14 (R5)" in may
    assert "Moved from Mon 2027-05-31: Spring Bank Holiday" in may


@pytest.mark.rule("R14")
def test_plan_ics_meetings_have_their_time_place_and_london_time_zone_and_block_the_diary(
        service_copy: Path, tmp_path: Path, run) -> None:
    """Issue 12 item 7: `cycle plan --ics` writes timed meetings from qa.yaml's meeting settings."""
    from zoneinfo import ZoneInfo

    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace(
        "meeting:\n  minutes_per_case: 10\n",
        "meeting:\n  minutes_per_case: 10\n  start: \"09:15\"\n  place: Council Chamber\n"), encoding="utf-8")
    ics = tmp_path / "meetings.ics"
    assert run(service_copy, "plan", "2027", "--ics", str(ics), "--as-of", AS_OF).exit_code == 0
    calendar = Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 12
    for event in events:
        start = event.decoded("DTSTART")
        assert start.tzinfo == ZoneInfo("Europe/London") and (start.hour, start.minute) == (9, 15)
        assert (event.decoded("DTEND") - start).total_seconds() == 120 * 60
        assert str(event["LOCATION"]) == "Council Chamber" and str(event["TRANSP"]) == "OPAQUE"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_plan_ics_is_reproducible_and_uids_are_stable(service_copy: Path, tmp_path: Path, run) -> None:
    first, second, moved = tmp_path / "a.ics", tmp_path / "b.ics", tmp_path / "c.ics"
    assert run(service_copy, "plan", "2027", "--ics", str(first), "--as-of", AS_OF).exit_code == 0
    assert run(service_copy, "plan", "2027", "--ics", str(second), "--as-of", AS_OF).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    # a different rule moves the meetings, but each cycle keeps its UID, so a re-import updates it
    moved_run = run(service_copy, "plan", "2027", "--rule", "first Monday", "--ics", str(moved), "--as-of", AS_OF)
    assert moved_run.exit_code == 0

    def uids(path: Path) -> list[str]:
        return [str(e["uid"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]

    assert uids(first) == uids(moved)
    assert first.read_bytes() != moved.read_bytes()
    # another service's meetings never collide with these
    assert meeting_uid("Another Early Help service", "2027-01") != uids(first)[0]


def test_plan_ics_to_a_folder_is_a_clear_error(service_copy: Path, tmp_path: Path, run) -> None:
    result = run(service_copy, "plan", "2027", "--ics", str(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 2  # click refuses a folder for a file option
    (tmp_path / "blocked").write_text("a file where a folder should be", encoding="utf-8")
    result = run(service_copy, "plan", "2027", "--ics", str(tmp_path / "blocked" / "m.ics"), "--as-of", AS_OF)
    assert result.exit_code == 1 and "cannot write" in result.output


def test_plan_ics_uses_existing_cycle_files(service_copy: Path, tmp_path: Path, run) -> None:
    ics = tmp_path / "2026.ics"
    assert run(service_copy, "plan", "2026", "--ics", str(ics), "--as-of", AS_OF).exit_code == 0
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    november = events[10]
    assert november.decoded("dtstart").date() == D("2026-11-26")  # the meeting in cycles/2026-11.yaml
    assert "Theme: Young carers." in str(november["description"])


def test_cycle_group_help(ehqa) -> None:
    for args in (["cycle", "--help"], ["cycle", "new", "--help"], ["cycle", "plan", "--help"]):
        result = ehqa(*args)
        assert result.exit_code == 0
    new_help = ehqa("cycle", "new", "--help").output
    assert "exit 1 when cycles/YYYY-MM.yaml already exists" in new_help
