"""`ehqa meeting`: the QA meeting pack (R14), its agenda, each case, what is carried over and overdue, and its
files. `ehqa casenote` (R15): test_casenote.py."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT
from ehqa.documents.meeting_pack import render_meeting_pack
from ehqa.load.repository import load_repository
from ehqa.rules.obligations import Obligations, Status

DEMO_AS_OF = "2026-11-03"  # the demo's today


@pytest.fixture
def pack(ehqa):
    """`ehqa meeting CYCLE`, which must succeed: the Markdown pack it wrote."""

    def pack(repo: Path, out: Path, cycle: str = "2026-10", *extra: str, as_of: date | str = AS_OF) -> str:
        result = ehqa("meeting", cycle, "--out", str(out), "--repo", str(repo), "--as-of", as_of, *extra)
        assert result.exit_code == 0, result.output
        return (out / f"meeting-{cycle}.md").read_text(encoding="utf-8")

    return pack


def section(text: str, heading: str, until: str = "\n## ") -> str:
    """The text from a heading to the next heading of the same level."""
    start = text.index(heading)
    end = text.find(until, start + len(heading))
    return text[start:] if end < 0 else text[start:end]


def case_section(text: str, ref: str) -> str:
    match = re.search(rf"^### \d+\. Case {ref}:", text, flags=re.MULTILINE)
    assert match, f"no section for case {ref}"
    end = re.search(r"^##", text[match.end():], flags=re.MULTILINE)
    return text[match.start(): match.end() + end.start()] if end else text[match.start():]


def agenda_rows(text: str) -> list[tuple[str, str, str]]:
    """(start, end, title) for each timed row of the agenda table."""
    agenda = section(text, "## Agenda")
    return re.findall(r"^\| ([0-9]{2}:[0-9]{2})–([0-9]{2}:[0-9]{2}) \| (.+?) \| \d+ \|$", agenda, flags=re.MULTILINE)


# --- the meeting pack (R14): the agenda ---------------------------------------------------


@pytest.mark.rule("R14")
def test_agenda_slots_and_times(fixture_service: Path, tmp_path: Path, pack) -> None:
    text = pack(fixture_service, tmp_path)
    rows = agenda_rows(text)
    assert rows[0] == ("10:00", "10:05", "Welcome, apologies and the cycle's theme")
    cases = rows[1:-1]
    assert len(cases) == 5  # one slot per audited case of October
    for n, (start, end, _title) in enumerate(cases, 1):
        minutes = 5 + 10 * (n - 1)
        assert start == f"{10 + minutes // 60:02d}:{minutes % 60:02d}"
        assert end == f"{10 + (minutes + 10) // 60:02d}:{(minutes + 10) % 60:02d}"
    assert cases[2] == ("10:25", "10:35", "3. Case 9104217: Early Help South")
    assert rows[-1][:2] == ("10:55", "11:05") and "Carried over from the previous meeting (cycle 2026-09)" in rows[-1][2]
    assert "| 11:05 | Close | |" in text
    assert "### 3. Case 9104217: Early Help South (10:25–10:35)" in text


@pytest.mark.rule("R14")
def test_start_time_moves_every_slot(fixture_service: Path, tmp_path: Path, pack) -> None:
    rows = agenda_rows(pack(fixture_service, tmp_path, "2026-10", "--start", "13:30"))
    assert [r[0] for r in rows] == ["13:30", "13:35", "13:45", "13:55", "14:05", "14:15", "14:25"]


@pytest.mark.rule("R14")
def test_minutes_per_case_setting_changes_the_slots(service_copy: Path, tmp_path: Path, pack) -> None:
    settings = service_copy / "qa.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "minutes_per_case: 10" in text
    settings.write_text(text.replace("minutes_per_case: 10", "minutes_per_case: 15"), encoding="utf-8")
    rows = agenda_rows(pack(service_copy, tmp_path))
    assert rows[3] == ("10:35", "10:50", "3. Case 9104217: Early Help South")  # 10:00 + 5 + 2 × 15
    assert rows[-1][:2] == ("11:20", "11:35")


@pytest.mark.parametrize("start", ["24:00", "10:60", "ten", "10.00", "1000", "10:0", "-1:00"])
def test_bad_start_times_are_refused(fixture_service: Path, tmp_path: Path, start: str, ehqa) -> None:
    result = ehqa("meeting", "2026-10", "--out", str(tmp_path / "o"), "--repo", str(fixture_service), "--as-of", AS_OF,
                 "--start", start)
    assert result.exit_code == 2, result.output
    assert "HH:MM" in result.output
    assert not (tmp_path / "o").exists()


def test_an_agenda_past_midnight_is_refused(fixture_service: Path, tmp_path: Path, ehqa) -> None:
    result = ehqa("meeting", "2026-10", "--out", str(tmp_path / "o"), "--repo", str(fixture_service), "--as-of", AS_OF,
                 "--start", "23:30")
    assert result.exit_code == 2 and "midnight" in result.output


@pytest.mark.rule("R14")
def test_cases_are_ordered_by_team_then_case_ref(fixture_service: Path, tmp_path: Path, pack) -> None:
    titles = [title for _, _, title in agenda_rows(pack(fixture_service, tmp_path))[1:-1]]
    assert titles == ["1. Case 9160347: Early Help North", "2. Case 9166102: Early Help North",
                      "3. Case 9104217: Early Help South", "4. Case 9171829: Early Help South",
                      "5. Case 9178456: Early Help South"]


# --- the meeting pack: each case ----------------------------------------------------------


def test_every_audited_case_is_summarised_with_its_grades(fixture_service: Path, tmp_path: Path, pack) -> None:
    service = load_repository(fixture_service).service
    labels = {g: d.label for g, d in service.settings.grades.items()}
    titles = {d.id: d.title for d in service.settings.domain_set_for("2026-10").domains}
    text = pack(fixture_service, tmp_path)
    audits = [a for a in service.audits if a.cycle == "2026-10"]
    assert len(audits) == 5
    for audit in audits:
        part = case_section(text, audit.case)
        assert f"**Overall grade: {labels[audit.overall]}**" in part
        for domain, judgement in audit.domains.items():
            assert f"| {titles[domain]} | {labels[judgement.grade]} |" in part
        person = service.staff.people[service.cycles["2026-10"].nomination(audit.case).practitioner]
        assert f"Practitioner: {person.name}" in part
        for auditor in audit.auditors:
            assert service.staff.people[auditor].name in part


def test_strengths_come_before_areas_for_development(fixture_service: Path, tmp_path: Path, pack) -> None:
    service = load_repository(fixture_service).service
    text = pack(fixture_service, tmp_path)
    for audit in (a for a in service.audits if a.cycle == "2026-10"):
        part = case_section(text, audit.case)
        assert part.index("**Strengths**") < part.index("**Areas for development**")
        for strength in audit.strengths:
            for area in audit.areas_for_development:
                assert part.index(strength) < part.index(area)
    part = case_section(text, "9166102")
    assert part.index("Mum has completed the programme") < part.index("Update the plan whenever a new notification")


@pytest.mark.rule("R7")
def test_worker_perspective_with_the_questions_from_qa_yaml(fixture_service: Path, tmp_path: Path, pack) -> None:
    text = pack(fixture_service, tmp_path)
    part = case_section(text, "9171829")
    assert "Perspective of Worker form returned 9 October 2026." in part
    assert ("- *In your own words, what was the work with this family about and how did it go?* The parents asked "
            "for help after police were called to an argument. Both have worked with me.") in part
    assert "*What challenges did you meet (caseload, engagement, other agencies)?* Dad works nights" in part
    assert "No Perspective of Worker form was returned." in case_section(text, "9160347")


@pytest.mark.rule("R11")
def test_safety_concern_and_early_help_assessment(fixture_service: Path, tmp_path: Path, pack) -> None:
    part = case_section(pack(fixture_service, tmp_path, "2026-08"), "9104217")
    assert "**Safety concern** (R11): The youngest child has an untreated burn" in part
    assert "Marek Nowak (team manager) told 18 August 2026" in part
    assert "**Overall grade: Inadequate**" in part


@pytest.mark.rule("R12", "R17")
def test_disagreement_and_smart_actions(fixture_service: Path, tmp_path: Path, pack) -> None:
    part = case_section(pack(fixture_service, tmp_path, "2026-09"), "9138025")
    assert "**Disagreement** (R12), raised 25 September 2026" in part
    assert "Independent look by Janice Bryant, 2 October 2026: findings upheld." in part
    assert ("| See each of the three children on their own and record their views. | Dan Finch | 16 October 2026 | "
            "Three recorded direct-work sessions, with the children's words in the plan. | done 14 October 2026 |") in part


@pytest.mark.rule("R12")
def test_a_review_record_that_upheld_the_findings_is_in_the_pack(service_copy: Path, tmp_path: Path, pack) -> None:
    """The Head of Service's review is a record now (issue 11): an audit whose file holds no review still
    shows the review that upheld its findings, never "awaiting"."""
    audit = service_copy / "audits/2026-09/9138025.yaml"
    text = audit.read_text(encoding="utf-8")
    audit.write_text(re.sub(r"\n  review:\n(    .*\n|      .*\n)+", "\n", text), encoding="utf-8")
    assert "review:" not in audit.read_text(encoding="utf-8")
    part = case_section(pack(service_copy, tmp_path, "2026-09"), "9138025")
    assert "Independent look by Janice Bryant, 2 October 2026: findings upheld." in part


@pytest.mark.rule("R18")
def test_reaudit_outcome_domain_by_domain(fixture_service: Path, tmp_path: Path, pack) -> None:
    part = case_section(pack(fixture_service, tmp_path), "9104217")
    assert "Re-audit of 2026-08/9104217 (R18)" in part
    assert "overall Inadequate → Good: **improved**" in part
    assert "| Planning and review | Inadequate | Requires Improvement | improved |" in part
    assert "| Direct work | Requires Improvement | Good | improved |" in part
    assert "- Auditor: Linda Morris" in part


@pytest.mark.rule("R13")
def test_sole_completion_names_both_auditors(fixture_service: Path, tmp_path: Path, pack) -> None:
    part = case_section(pack(fixture_service, tmp_path), "9171829")
    assert "Amy Evans and Ellie Jones; Amy Evans completed the audit alone: Ellie Jones was on sick leave (R13)" in part


# --- the meeting pack: carried over and overdue -------------------------------------------


def test_carried_over_from_the_previous_cycle(fixture_service: Path, tmp_path: Path, pack) -> None:
    carried = section(pack(fixture_service, tmp_path), "## Carried over from the previous meeting")
    assert "The previous meeting: cycle 2026-09, Thursday 24 September 2026." in carried
    reviews = section(carried, "### Requires Improvement", "\n### ")
    assert "**2026-09/9138025**, Early Help North" in reviews  # September's one Requires Improvement case (R17)
    assert "Update the assessment to include the middle child's speech and language needs." in reviews
    assert "done 28 October 2026" in reviews and "Actions reviewed: yes, 22 October 2026." in reviews
    reflections = section(carried, "### Reflective discussions (R19)", "\n### ")
    assert reflections.count("- **2026-09/") == 4  # every September audit
    assert "**2026-09/9150983**, Early Help South (Good): not yet held (Marek Nowak with Hannah Lee)." in reflections
    assert "discussed with Dan Finch on 1 October 2026" in reflections
    reaudits = section(carried, "### Re-audits completed since the previous meeting (R18)", "\n### ")
    assert ("- **2026-10/9104217**, re-audit of 2026-08/9104217 by Linda Morris, 15 October 2026: overall Inadequate → "
            "Good, **improved**; domains 6 improved.") in reaudits


@pytest.mark.rule("R19")
def test_reflective_notes_are_raised_at_the_next_meeting(fixture_service: Path, tmp_path: Path, pack) -> None:
    carried = section(pack(fixture_service, tmp_path, "2026-09"), "## Carried over from the previous meeting")
    assert ("**2026-08/9104217**, Early Help South (Inadequate): discussed with Jack Mills on 2 September 2026. "
            "New from the discussion: Jack said his caseload doubled in the spring") in carried
    assert "**2026-08/9120554**" in section(carried, "### Requires Improvement", "\n### ")


def test_first_cycle_carries_nothing_over(fixture_service: Path, tmp_path: Path, pack) -> None:
    text = pack(fixture_service, tmp_path, "2026-08")
    assert "This is the first cycle in the repository: nothing is carried over." in text


@pytest.mark.rule("R19", "R7")
def test_overdue_follow_ups_grouped_by_rule(fixture_service: Path, tmp_path: Path, pack) -> None:
    overdue = section(pack(fixture_service, tmp_path), "## Overdue follow-ups")
    assert "3 follow-up steps are overdue as of 26 November 2026:" in overdue
    assert "- R7, Perspective of Worker forms not returned: 2 (2 cases)" in overdue
    assert "- R19, Reflective discussions with the practitioner: 1 (1 case)" in overdue
    assert "| 2026-11/9189214 | return the Perspective of Worker form for case 9189214 | Jack Mills |" in overdue
    assert "| 2026-09/9150983 | hold the reflective discussion of the findings with the practitioner | Marek Nowak |" \
        in overdue


def test_overdue_follow_ups_on_the_demo_match_the_engine(tmp_path: Path, pack) -> None:
    service = load_repository(ROOT).service
    expected: dict[str, int] = {}
    for item in Obligations(service, date(2026, 11, 3)).all():
        if item.status is Status.OVERDUE:
            expected[item.rule] = expected.get(item.rule, 0) + 1
    overdue = section(pack(ROOT, tmp_path, "2026-10", as_of=DEMO_AS_OF), "## Overdue follow-ups")
    found = {rule: int(n) for rule, n in re.findall(r"^- (R\d+), .+?: (\d+) \(", overdue, flags=re.MULTILINE)}
    assert found == expected and sum(expected.values()) > 0
    rules = re.findall(r"^### (R\d+):", overdue, flags=re.MULTILINE)
    assert rules == sorted(expected, key=lambda r: int(r[1:]))


@pytest.mark.rule("R13")
def test_a_cycle_with_no_audits_lists_the_cases_to_come(service_copy: Path, tmp_path: Path, pack) -> None:
    for audit in (service_copy / "audits" / "2026-11").glob("*.yaml"):
        if not audit.name.endswith(".worker.yaml"):
            audit.unlink()
    text = pack(service_copy, tmp_path, "2026-11")
    assert "No audits have been completed for this cycle yet." in text
    assert [title for _, _, title in agenda_rows(text)][1:] == [
        "Carried over from the previous meeting (cycle 2026-10) and overdue follow-ups"]
    to_come = section(text, "## Audits still to come (R13)")
    for ref in ("9183570", "9189214", "9192648", "9197031"):
        assert f"- Case {ref}:" in to_come
    assert "- Case 9189214: Early Help South; practitioner Jack Mills; auditors Amy Evans and Fiona Green" in to_come
    assert "9199406 (a fifth case" in to_come  # not allocated this cycle


def test_the_demo_newest_cycle_has_no_audits_yet(tmp_path: Path, pack) -> None:
    service = load_repository(ROOT).service
    allocated = {c for pair in service.allocations["2026-11"].pairs for c in pair.cases}
    text = pack(ROOT, tmp_path, "2026-11", as_of=DEMO_AS_OF)
    assert "No audits have been completed for this cycle yet." in text
    assert set(re.findall(r"^- Case ([0-9]+):", section(text, "## Audits still to come"), flags=re.MULTILINE)) == allocated


# --- the meeting pack: the files ----------------------------------------------------------


def test_byte_identical_across_runs(fixture_service: Path, tmp_path: Path, pack) -> None:
    for out in ("a", "b"):
        pack(fixture_service, tmp_path / out)
    for name in ("meeting-2026-10.md", "meeting-2026-10.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    service = load_repository(fixture_service).service
    first = render_meeting_pack(service, "2026-10", date(2026, 11, 26), time(10, 0))
    again = render_meeting_pack(load_repository(fixture_service).service, "2026-10", date(2026, 11, 26), time(10, 0))
    assert first.files == again.files
    assert first.files[0][1] == (tmp_path / "a" / "meeting-2026-10.md").read_text(encoding="utf-8")


def test_html_is_self_contained_and_holds_the_same_content(fixture_service: Path, tmp_path: Path, pack) -> None:
    pack(fixture_service, tmp_path)
    html = (tmp_path / "meeting-2026-10.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "@media print" in html
    for external in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert external not in html
    assert '<td class="time">10:25–10:35</td><td><a href="#case-9104217">3. Case 9104217: Early Help South</a>' in html
    assert '<section class="case" id="case-9104217">' in html
    assert "Dad works nights, so visits have to be late afternoon." in html
    assert "the cycle&#39;s theme" in html  # escaped


def test_out_where_it_could_be_published_is_refused(service_copy: Path, ehqa) -> None:
    for inside in (service_copy, service_copy / "site", service_copy / "site" / "pack", service_copy / "site_templates",
                   service_copy / "docs" / "x"):
        result = ehqa("meeting", "2026-10", "--out", str(inside), "--repo", str(service_copy), "--as-of", AS_OF)
        assert result.exit_code == 2, (inside, result.output)
        assert "--out" in result.output and "names cases" in result.output
        assert not (inside / "meeting-2026-10.md").exists()
    (service_copy / "mkdocs.yml").write_text("site_name: QA\ndocs_dir: learning\n", encoding="utf-8")
    result = ehqa("meeting", "2026-10", "--out", str(service_copy / "learning"), "--repo", str(service_copy),
                 "--as-of", AS_OF)
    assert result.exit_code == 2


def test_missing_cycle_exits_1(fixture_service: Path, tmp_path: Path, ehqa) -> None:
    result = ehqa("meeting", "2027-03", "--out", str(tmp_path / "o"), "--repo", str(fixture_service), "--as-of", AS_OF)
    assert result.exit_code == 1 and "no cycle 2027-03" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("broken", ["staff.yaml", "qa.yaml", "cycles/2026-10.yaml", "audits/2026-10/9160347.yaml",
                                    "audits/2026-09/9138025.yaml"])
def test_data_that_does_not_load_says_run_validate(service_copy: Path, tmp_path: Path, broken: str, ehqa) -> None:
    (service_copy / broken).write_text("key: [\n", encoding="utf-8")
    result = ehqa("meeting", "2026-10", "--out", str(tmp_path / "o"), "--repo", str(service_copy), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "ehqa validate" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_meeting_and_casenote_help(fixture_service: Path, ehqa) -> None:
    for command in ("meeting", "casenote"):
        result = ehqa(command, "--help")
        assert result.exit_code == 0 and "R1" in result.output
    assert "meeting" in ehqa("--help").output and "casenote" in ehqa("--help").output


# --- the meeting pack: feedback on earlier work (R10) -------------------------------------


@pytest.mark.rule("R10")
def test_meeting_pack_includes_r10_feedback_to_a_previous_practitioner(fixture_service: Path, tmp_path: Path,
                                                                       pack) -> None:
    """Issue 12 item 13: the earlier work's strength the auditor fed back to the previous practitioner, and
    when and to whom the feedback record says it went, are in the case's section (Markdown and HTML)."""
    text = pack(fixture_service, tmp_path, "2026-09")
    part = case_section(text, "9131468")
    assert "**Feedback on earlier work** (R10)" in part
    assert ("- Strength in the earlier work of Hannah Lee (Early Help South): The first assessment and the relationship "
            "built before the move gave the new worker a running start. Fed back 25 September 2026 to Hannah Lee "
            "and Marek Nowak.") in part
    html = (tmp_path / "meeting-2026-09.html").read_text(encoding="utf-8")
    assert "Feedback on earlier work (R10)" in html and "gave the new worker a running start" in html


@pytest.mark.rule("R10")
def test_meeting_pack_includes_an_r10_feedback_record_the_audit_does_not_list(service_copy: Path, tmp_path: Path,
                                                                              pack) -> None:
    """Issue 12 item 13: a feedback record for R10 on an audit with no previous_work_feedback is shown too."""
    records = service_copy / "audits/2026-10/9160347.records"
    (records / "2026-10-20.feedback.gwalsh.yaml").write_text(
        'kind: feedback\ncase: "9160347"\ncycle: 2026-10\nby: gwalsh\ndate: 2026-10-20\nrule: R10\nto:\n  - hlee\n'
        "summary: The earlier safety plan was clear and the family still use it.\n", encoding="utf-8")
    part = case_section(pack(service_copy, tmp_path), "9160347")
    assert ("- Feedback recorded: The earlier safety plan was clear and the family still use it. "
            "Fed back 20 October 2026 to Hannah Lee.") in part


def test_meeting_pack_starts_at_qa_yaml_meeting_start(service_copy: Path, tmp_path: Path, pack) -> None:
    """The agenda starts when the notices' calendar says the meeting does (issue 12 item 7): qa.yaml's
    meeting.start, unless --start says otherwise."""
    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace("meeting:\n  minutes_per_case: 10\n",
                                                         "meeting:\n  minutes_per_case: 10\n  start: \"13:30\"\n"),
                  encoding="utf-8")
    assert agenda_rows(pack(service_copy, tmp_path / "a"))[0][:2] == ("13:30", "13:35")
    assert agenda_rows(pack(service_copy, tmp_path / "b", "2026-10", "--start", "09:00"))[0][:2] == ("09:00", "09:05")
