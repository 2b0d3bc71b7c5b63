"""`ehqa notices`: allocation notices (R5) and Perspective of Worker requests (R7)."""

from __future__ import annotations

import email
import email.policy
import io
import logging
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from conftest import AS_OF, ROOT, with_staff_emails
from ehqa.documents.notices import render_notices
from ehqa.load.repository import load_repository
from ehqa.reporting.checker import Checker, ValidateOptions

SENT = "2026-11-10"  # the day the fixture's November allocation went out
SUBJECT = "QA audit allocation — cycle 2026-11 (theme: Young carers)"


@pytest.fixture
def run(ehqa):
    """`ehqa notices ARGS`; an exception inside ehqa fails the test."""

    def run(*args: str):
        return ehqa("notices", *args, catch_exceptions=False)

    return run


@pytest.fixture
def notices(run):
    """`ehqa notices CYCLE --out OUT --repo REPO`, on the day the allocation went out unless told."""

    def notices(repo: Path, out: Path, cycle: str = "2026-11", as_of: str = SENT):
        return run(cycle, "--out", str(out), "--repo", str(repo), "--as-of", as_of)

    return notices


@pytest.fixture
def emailed(service_copy: Path) -> Path:
    return with_staff_emails(service_copy)


@pytest.fixture
def written(emailed: Path, tmp_path: Path, notices) -> Path:
    out = tmp_path / "notices"
    result = notices(emailed, out)
    assert result.exit_code == 0, result.output
    return out


def _message(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _plain(message: email.message.EmailMessage) -> str:
    """The message's plain-text part, with the line ends Python writes."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_every_auditor_and_practitioner_gets_their_files(emailed: Path, written: Path) -> None:
    service = load_repository(emailed).service
    allocation = service.allocations["2026-11"]
    auditors = {a for pair in allocation.pairs for a in pair.auditors}
    assert auditors == {"aevans", "fgreen", "bcole", "iokoro"}
    for auditor in auditors:
        for suffix in (".md", ".eml", ".ics"):
            assert (written / "auditors" / f"{auditor}{suffix}").is_file(), (auditor, suffix)
    cycle = service.cycles["2026-11"]
    practitioners = {cycle.nomination(c).practitioner for pair in allocation.pairs for c in pair.cases}
    assert practitioners == {"hlee", "jmills", "cahmed", "dfinch"}  # not ejones: her case was not allocated
    for practitioner in practitioners:
        for suffix in (".md", ".eml"):
            assert (written / "practitioners" / f"{practitioner}{suffix}").is_file()
    assert not (written / "practitioners" / "ejones.md").exists()
    index = (written / "index.md").read_text(encoding="utf-8")
    for person in auditors | practitioners:
        assert f"(`{person}`)" in index
    assert "9199406" in index and "carried to the December cycle" in index  # the unallocated case: no notices


def test_auditor_message_is_addressed_and_carries_the_calendar(written: Path) -> None:
    message = _message(written / "auditors" / "aevans.eml")
    assert message["To"].addresses[0].addr_spec == "aevans@millbrook.example"
    assert message["To"].addresses[0].display_name == "Amy Evans"
    assert message["Cc"] is None  # her partner has a notice of her own (issue 12 item 8)
    assert message["From"].addresses[0].addr_spec == "tom.patel@millbrook.example"
    assert message["Subject"] == SUBJECT
    assert message["Date"].datetime.date() == date(2026, 11, 10)
    assert _plain(message).startswith("QA audit allocation — cycle 2026-11\n=====")
    html = message.get_body(("html",)).get_content()
    assert "<h1>QA audit allocation — cycle 2026-11</h1>" in html and "Fiona Green" in html
    attachments = list(message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["text/calendar"]
    attached = attachments[0].get_content()
    attached = attached.encode("utf-8") if isinstance(attached, str) else attached
    assert attached == (written / "auditors" / "aevans.ics").read_bytes()
    assert b"\r\n" in (written / "auditors" / "aevans.eml").read_bytes()


def test_calendar_has_the_two_dates(written: Path) -> None:
    calendar = Calendar.from_ical((written / "auditors" / "bcole.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Audits due — cycle 2026-11", "Early Help QA meeting — cycle 2026-11"}
    assert events["Audits due — cycle 2026-11"].decoded("DTSTART") == date(2026, 11, 23)
    assert events["Early Help QA meeting — cycle 2026-11"].decoded("DTSTART").date() == date(2026, 11, 26)
    uids = {str(e["UID"]) for e in events.values()}
    assert len(uids) == 2 and all("2026-11" in u and "bcole" in u for u in uids)
    assert {e.decoded("DTSTAMP").date() for e in events.values()} == {date(2026, 11, 10)}
    # calendars travel further than mail: no case reference in them
    assert b"9192648" not in (written / "auditors" / "bcole.ics").read_bytes()


def _events(path: Path) -> tuple[Calendar, dict]:
    calendar = Calendar.from_ical(path.read_bytes())
    return calendar, {str(e["SUMMARY"]).split(" — ")[0]: e for e in calendar.walk("VEVENT")}


@pytest.mark.rule("R14")
def test_ics_qa_meeting_has_its_time_place_link_and_london_time_zone_and_blocks_the_diary(
        emailed: Path, tmp_path: Path, notices) -> None:
    """Issue 12 item 7: the QA meeting is a timed event in Europe/London, at qa.yaml's meeting.start for
    meeting.length_minutes, with its place and online link, and TRANSP:OPAQUE; the audits' due date stays an
    all-day marker that leaves the diary free."""
    qa = emailed / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace(
        "meeting:\n  minutes_per_case: 10\n",
        "meeting:\n  minutes_per_case: 10\n  start: \"13:30\"\n  length_minutes: 90\n"
        "  place: Room 2, Millbrook Family Hub\n  online_link: https://meet.example/qa-meeting\n"), encoding="utf-8")
    out = tmp_path / "notices"
    result = notices(emailed, out)
    assert result.exit_code == 0, result.output
    calendar, events = _events(out / "auditors" / "bcole.ics")
    meeting, due = events["Early Help QA meeting"], events["Audits due"]
    london = ZoneInfo("Europe/London")
    assert meeting.decoded("DTSTART") == datetime(2026, 11, 26, 13, 30, tzinfo=london)
    assert meeting.decoded("DTEND") == datetime(2026, 11, 26, 15, 0, tzinfo=london)
    assert meeting["DTSTART"].params["TZID"] == "Europe/London"
    assert str(meeting["LOCATION"]) == "Room 2, Millbrook Family Hub"
    assert str(meeting["URL"]) == "https://meet.example/qa-meeting"
    assert "https://meet.example/qa-meeting" in str(meeting["DESCRIPTION"])
    assert str(meeting["TRANSP"]) == "OPAQUE"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert due.decoded("DTSTART") == date(2026, 11, 23) and str(due["TRANSP"]) == "TRANSPARENT"


@pytest.mark.rule("R14")
def test_ics_qa_meeting_takes_the_cycle_files_meeting_details_over_qa_yaml(emailed: Path, tmp_path: Path,
                                                                           notices) -> None:
    """Issue 12 item 7: a cycle file's meeting_details (this month's room, time or link) win over qa.yaml's;
    what it does not give comes from qa.yaml; the file still passes validate."""
    qa = emailed / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace(
        "meeting:\n  minutes_per_case: 10\n",
        "meeting:\n  minutes_per_case: 10\n  start: \"13:30\"\n  place: Room 2, Millbrook Family Hub\n"),
        encoding="utf-8")
    cycle = emailed / "cycles" / "2026-11.yaml"
    cycle.write_text(cycle.read_text(encoding="utf-8").replace(
        "meeting: 2026-11-26\n",
        "meeting: 2026-11-26\nmeeting_details:\n  place: Council Chamber, Town Hall\n"
        "  online_link: https://meet.example/november\n"), encoding="utf-8")
    found, _files = Checker(ValidateOptions(root=emailed, as_of=date(2026, 11, 10)), out=None).findings()
    assert [f for f in found if f.file == "cycles/2026-11.yaml"] == []
    out = tmp_path / "notices"
    assert notices(emailed, out).exit_code == 0
    meeting = _events(out / "auditors" / "bcole.ics")[1]["Early Help QA meeting"]
    assert meeting.decoded("DTSTART") == datetime(2026, 11, 26, 13, 30, tzinfo=ZoneInfo("Europe/London"))
    assert str(meeting["LOCATION"]) == "Council Chamber, Town Hall"
    assert str(meeting["URL"]) == "https://meet.example/november"


@pytest.mark.rule("R14")
def test_ics_qa_meeting_defaults_to_ten_till_twelve_uk_time(written: Path) -> None:
    """Issue 12 item 7, with qa.yaml silent: 10:00 for two hours, Europe/London, blocking the diary."""
    _calendar, events = _events(written / "auditors" / "aevans.ics")
    meeting = events["Early Help QA meeting"]
    london = ZoneInfo("Europe/London")
    assert meeting.decoded("DTSTART") == datetime(2026, 11, 26, 10, 0, tzinfo=london)
    assert meeting.decoded("DTEND") == datetime(2026, 11, 26, 12, 0, tzinfo=london)
    assert str(meeting["TRANSP"]) == "OPAQUE" and "LOCATION" not in meeting


MARKDOWN = re.compile(r"\*\*|`|^#+ |^```|\]\(", flags=re.MULTILINE)


@pytest.mark.rule("R5", "R7")
def test_eml_plain_text_part_is_text_not_markdown(written: Path) -> None:
    """Issue 12 item 8: the plain-text part reads as text: no `**Theme:**`, no `#` headings, no code marks;
    the practitioner's ready-to-fill form is indented as it is."""
    for path in sorted(written.glob("*/*.eml")):
        plain = _plain(_message(path))
        assert not MARKDOWN.search(plain), (path.name, MARKDOWN.search(plain).group())
    auditor = _plain(_message(written / "auditors" / "bcole.eml"))
    assert "\nTheme: Young carers\n" in auditor
    worker = _plain(_message(written / "practitioners" / "jmills.eml"))
    assert "\n    case: \"9189214\"\n" in worker


@pytest.mark.rule("R4")
def test_eml_partners_get_one_message_each(written: Path) -> None:
    """Issue 12 item 8: each partner gets their own notice, which names the other, and is not copied into the
    other's: nobody gets two near-identical emails."""
    received: dict[str, int] = {}
    for path in sorted(written.glob("*/*.eml")):
        message = _message(path)
        for field in ("To", "Cc"):
            for address in (message[field].addresses if message[field] else ()):
                received[address.addr_spec] = received.get(address.addr_spec, 0) + 1
    for auditor in ("aevans", "fgreen", "bcole", "iokoro"):
        assert received[f"{auditor}@millbrook.example"] == 1, auditor
    assert "Fiona Green" in _plain(_message(written / "auditors" / "aevans.eml"))


@pytest.mark.rule("R5", "R7")
def test_eml_one_message_per_person_merges_an_auditors_worker_form_request(emailed: Path, tmp_path: Path,
                                                                           notices) -> None:
    """Issue 12 item 8: an auditor whose own case is allocated to others gets one message holding both their
    allocation notice and their Perspective of Worker request."""
    cycle = emailed / "cycles" / "2026-11.yaml"
    cycle.write_text(cycle.read_text(encoding="utf-8").replace("practitioner: cahmed", "practitioner: fgreen"),
                     encoding="utf-8")
    out = tmp_path / "notices"
    result = notices(emailed, out)
    assert result.exit_code == 0, result.output
    assert (out / "auditors" / "fgreen.eml").is_file() and (out / "practitioners" / "fgreen.md").is_file()
    assert not (out / "practitioners" / "fgreen.eml").exists()
    message = _message(out / "auditors" / "fgreen.eml")
    assert "your audit allocation, and a Perspective of Worker form" in message["Subject"]
    plain = _plain(message)
    assert "QA audit allocation — cycle 2026-11" in plain and "Perspective of Worker form — QA cycle 2026-11" in plain
    assert "case: \"9192648\"" in plain  # her own case's form, ready to fill in
    html = message.get_body(("html",)).get_content()
    assert html.count("<h1>") == 2 and html.count("<html") == 1
    assert [a.get_content_type() for a in message.iter_attachments()] == ["text/calendar"]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["mnowak@millbrook.example"]  # her line manager
    assert "auditors/fgreen.eml" in (out / "index.md").read_text(encoding="utf-8")


SITE_ADDRESS = {
    "site.url": "publication:\n  site:\n    where: elsewhere\n    who_can_see: organisation\n"
                "    url: https://qa.millbrook.example/\n",
    "site_url (the older spelling)": "publication:\n  site_url: https://qa.millbrook.example/\n",
}


@pytest.mark.rule("R7", "R10")
@pytest.mark.parametrize("spelling", list(SITE_ADDRESS))
def test_eml_links_to_the_site_forms_each_person_will_use(emailed: Path, tmp_path: Path, notices,
                                                          spelling: str) -> None:
    """Issue 12 item 8: with qa.yaml's publication.site.url, the practitioner's message links the site's
    Perspective of Worker form, and the auditor's the feedback form (R10, R20): the pages the site builds."""
    from ehqa.framework.records import RECORD_KINDS
    from ehqa.site.forms import WORKER

    qa = emailed / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace("publication:\n", SITE_ADDRESS[spelling]), encoding="utf-8")
    out = tmp_path / "notices"
    result = notices(emailed, out)
    assert result.exit_code == 0, result.output
    worker = _message(out / "practitioners" / "jmills.eml")
    assert f"https://qa.millbrook.example/forms/{WORKER}.html" in _plain(worker)
    assert f'href="https://qa.millbrook.example/forms/{WORKER}.html"' in worker.get_body(("html",)).get_content()
    auditor = _plain(_message(out / "auditors" / "bcole.eml"))
    auditor_kinds = [k.kind for k in RECORD_KINDS if "case-auditor" in k.writers]
    assert auditor_kinds == ["feedback", "grades"]  # issue 14: their own grades, before the pair agrees
    assert "https://qa.millbrook.example/forms/feedback.html" in auditor
    assert "https://qa.millbrook.example/forms/grades.html" in auditor
    assert "Forms on the learning site" in auditor


@pytest.mark.rule("R5")
def test_notice_names_partner_cases_dates_and_what_to_do(written: Path) -> None:
    notice = (written / "auditors" / "aevans.md").read_text(encoding="utf-8")
    assert "Dear Amy Evans" in notice
    assert "together with Fiona Green" in notice
    for expected in (
        "Case 9183570", "Case 9189214", "Practitioner: Hannah Lee", "Practitioner: Jack Mills", "Team: Early Help South",
        "Team manager: Marek Nowak", "A new audit", "Young carers",
        "Perspective of Worker forms due: Monday 16 November 2026",
        "Audits due: **Monday 23 November 2026**", "QA meeting: **Thursday 26 November 2026**",
        "Allocation sent: Tuesday 10 November 2026, 16 days before the QA meeting (the framework asks for at least 14, R5)",
        "(R8)", "(R11)", "`sole_completion`", "(R13)", "`audits/2026-11/<case>.yaml` as a pull request",
    ):
        assert expected in notice, expected
    assert "9192648" not in notice  # another pair's case


@pytest.mark.rule("R18")
def test_senior_manager_reaudit_alone(emailed: Path, tmp_path: Path, notices) -> None:
    out = tmp_path / "october"
    assert notices(emailed, out, "2026-10", "2026-10-06").exit_code == 0
    notice = (out / "auditors" / "lmorris.md").read_text(encoding="utf-8")
    assert "You audit alone: a re-audit is done by one senior manager (R18)." in notice
    assert "Re-audit of the audit 2026-08/9104217 (R18)" in notice
    assert "(R13)" not in notice  # no partner to stand in for
    message = _message(out / "auditors" / "lmorris.eml")
    assert message["Cc"] is None


@pytest.mark.rule("R7")
def test_practitioner_request_lists_every_question_and_the_due_date(emailed: Path, written: Path) -> None:
    settings = load_repository(emailed).service.settings
    request = (written / "practitioners" / "jmills.md").read_text(encoding="utf-8")
    assert "Dear Jack Mills" in request and "9189214" in request
    assert "**Monday 16 November 2026**" in request
    for question in settings.worker_questions:
        assert question.prompt.strip() in request
        assert f"  {question.id}: \"\"" in request
    assert "`audits/2026-11/9189214.worker.yaml`" in request
    assert "audited by Amy Evans and Fiona Green" in request and "whole picture (R7)" in request
    message = _message(written / "practitioners" / "jmills.eml")
    assert message["To"].addresses[0].addr_spec == "jmills@millbrook.example"
    assert [a.addr_spec for a in message["Cc"].addresses] == ["mnowak@millbrook.example"]  # his line manager
    assert message["From"].addresses[0].addr_spec == "tom.patel@millbrook.example"
    assert "9189214" not in message["Subject"]  # subjects show on lock screens: no case reference
    hlee = _message(written / "practitioners" / "hlee.eml")
    assert [a.addr_spec for a in hlee["Cc"].addresses] == ["gwalsh@millbrook.example"]


@pytest.mark.rule("R7")
def test_the_inline_skeleton_once_filled_in_passes_validate(emailed: Path, written: Path) -> None:
    request = (written / "practitioners" / "dfinch.md").read_text(encoding="utf-8")
    skeleton = re.search(r"```yaml\n(.*?)```", request, flags=re.DOTALL).group(1)
    target = emailed / "audits" / "2026-11" / "9197031.worker.yaml"
    options = ValidateOptions(root=emailed, as_of=AS_OF)

    target.write_text(skeleton, encoding="utf-8")
    findings, _ = Checker(options, out=io.StringIO()).findings()
    assert findings and all(f.file == "audits/2026-11/9197031.worker.yaml" for f in findings)  # blank answers

    filled = skeleton.replace('""', '"He has been caring for his younger sister; school noticed first."')
    target.write_text(filled, encoding="utf-8")
    assert Checker(options, out=io.StringIO()).run() == 0


def test_refuses_out_where_it_could_be_published(emailed: Path, notices) -> None:
    for inside in (emailed / "site" / "notices", emailed / "site_templates", emailed / "docs" / "x", emailed):
        result = notices(emailed, inside)
        assert result.exit_code == 2, (inside, result.output)
        assert "--out" in result.output
        assert not (inside / "index.md").exists()
    (emailed / "mkdocs.yml").write_text("site_name: QA\ndocs_dir: learning\n", encoding="utf-8")
    assert notices(emailed, emailed / "learning" / "n").exit_code == 2


def test_missing_allocation_or_cycle_exits_1(emailed: Path, tmp_path: Path, notices) -> None:
    (emailed / "cycles" / "2026-11.allocation.yaml").unlink()
    result = notices(emailed, tmp_path / "a")
    assert result.exit_code == 1
    assert "no allocation" in result.output and "cycles/2026-11.allocation.yaml" in result.output
    result = notices(emailed, tmp_path / "b", "2027-01")
    assert result.exit_code == 1 and "no cycle 2027-01" in result.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_broken_staff_file_says_run_validate(emailed: Path, tmp_path: Path, notices) -> None:
    (emailed / "staff.yaml").write_text("teams: [\n", encoding="utf-8")
    result = notices(emailed, tmp_path / "n")
    assert result.exit_code == 1
    assert "staff.yaml" in result.output and "ehqa validate" in result.output


def test_no_qa_officer_is_a_clear_error(emailed: Path, tmp_path: Path, notices) -> None:
    staff = emailed / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("role: qa-officer", "role: case-manager"), encoding="utf-8")
    result = notices(emailed, tmp_path / "n")
    assert result.exit_code == 1 and "qa-officer" in result.output


def test_auditor_without_email_gets_md_and_ics_and_a_warning(service_copy: Path, tmp_path: Path, caplog,
                                                             notices) -> None:
    out = tmp_path / "n"
    with caplog.at_level(logging.WARNING, logger="ehqa"):
        result = notices(service_copy, out)  # the sample service: only the QA officer has an email
    assert result.exit_code == 0, result.output
    assert (out / "auditors" / "aevans.md").is_file() and (out / "auditors" / "aevans.ics").is_file()
    assert not (out / "auditors" / "aevans.eml").exists()
    assert any("aevans" in r.getMessage() and ".eml could not be addressed" in r.getMessage() for r in caplog.records)
    assert "no email: send by hand" in (out / "index.md").read_text(encoding="utf-8")


def test_output_is_byte_identical_across_runs(emailed: Path, tmp_path: Path, notices) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert notices(emailed, first).exit_code == 0
    assert notices(emailed, second).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) == 4 * 3 + 4 * 2 + 1
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    service = load_repository(emailed).service
    assert render_notices(service, "2026-11", date(2026, 11, 10)).files == render_notices(
        service, "2026-11", date(2026, 11, 10)).files


def test_demo_service_latest_allocation(tmp_path: Path, run) -> None:
    """The committed demo (read only): every auditor of its latest allocation is written to and addressed."""
    service = load_repository(ROOT).service
    cycle = max(service.allocations)
    allocation = service.allocations[cycle]
    out = tmp_path / "demo"
    result = run(cycle, "--out", str(out), "--repo", str(ROOT), "--as-of", allocation.allocated.isoformat())
    assert result.exit_code == 0, result.output
    for auditor in {a for pair in allocation.pairs for a in pair.auditors}:
        message = _message(out / "auditors" / f"{auditor}.eml")
        assert message["To"].addresses[0].addr_spec == service.staff.get(auditor).email
        assert (out / "auditors" / f"{auditor}.ics").is_file()
