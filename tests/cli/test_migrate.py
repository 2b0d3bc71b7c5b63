"""`ehqa migrate`: the audits' follow-up fields become the records they say, beside the audits (issue 11).

On copies of the sample service with its records taken away, as it was before records: its audits keep
their follow-up fields. tpatel is the QA officer; swright is the team manager of the North team's
practitioners (cahmed, dfinch, ejones), mnowak of the South team's (jmills, hlee through gwalsh); jbryant
is the Head of Service for QA.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF
from ehqa.load.strict_yaml import parse

WHAT_IT_IS = ("kind", "case", "cycle", "by", "date")
QA = "tpatel"  # the QA officer who runs the migration: every record is theirs, on behalf of whoever acted


@pytest.fixture
def before_records(service_copy: Path) -> Path:
    """The sample service as it was before records: every records folder gone, the audits as they are."""
    for folder in service_copy.glob("audits/*/*.records"):
        shutil.rmtree(folder)
    return service_copy


def files(root: Path) -> dict[str, bytes]:
    """Every file under audits/, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "audits").rglob("*")) if p.is_file()}


def records(root: Path) -> dict[str, bytes]:
    return {path: data for path, data in files(root).items() if ".records/" in path}


def read(root: Path, relative: str) -> dict:
    return parse((root / relative).read_bytes())


def followups(ehqa, root: Path) -> list[dict]:
    """Every obligation, done or not, but for what it says (an agreed action is named by its id: a1, not 1)."""
    result = ehqa("followups", "--repo", root, "--as-of", AS_OF, "--all", "--format", "json")
    rows = [{k: v for k, v in row.items() if k != "what"} for row in json.loads(result.output)]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def test_a_followup_field_is_moved_to_a_record(ehqa, before_records: Path) -> None:
    """What a migrated record holds, in full: the act, named for who did it, and where it came from."""
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    path = "audits/2026-09/9131468.records/2026-09-25.report-sent.tpatel.yaml"
    assert f"wrote {path}  (from followup.report_sent_to_manager)\n" in result.output
    assert (before_records / path).read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/record.schema.json\n"
        'kind: report-sent\ncase: "9131468"\ncycle: 2026-09\nby: tpatel\ndate: 2026-09-25\nto: swright\n'
        "note: Moved from the audit's followup.report_sent_to_manager by ehqa migrate.\n")


# Each field, and the record it becomes: (the record's path under audits/, what it holds besides its note).
MAPPINGS = [
    pytest.param("2026-09/9131468.records/2026-09-28.casenote.tpatel.yaml", {}, id="casenote",
                 marks=pytest.mark.rule("R15")),
    pytest.param("2026-08/9120554.records/2026-09-03.supervision-note.swright.yaml", {}, id="supervision-note",
                 marks=pytest.mark.rule("R17")),
    pytest.param("2026-08/9120554.records/2026-09-03.actions-agreed.swright.yaml", {"with": "cahmed", "actions": [
        {"id": "a1", "action": "Complete two sessions of direct work with each child using the three houses tool.",
         "owner": "cahmed", "due": "2026-09-18",
         "measure": "Both children's views are recorded in their own words and quoted in the plan."},
        {"id": "a2", "action": "Rewrite the plan with dated actions and review it with the family.", "owner": "cahmed",
         "due": "2026-09-30", "measure": "Every action has an owner and a date; the review is recorded."}]},
                 id="actions-agreed, dated the supervision note", marks=pytest.mark.rule("R17")),
    pytest.param("2026-08/9120554.records/2026-09-16.action-update.cahmed.yaml", {"action": "a1", "status": "done"},
                 id="action done, by its owner", marks=pytest.mark.rule("R17")),
    pytest.param("2026-08/9120554.records/2026-09-24.actions-reviewed.tpatel.yaml",
                 {"reviews": [{"action": "a1", "outcome": "met"}]},  # a2 was due on 30 September: not yet reviewed
                 id="actions-reviewed", marks=pytest.mark.rule("R17")),
    pytest.param("2026-08/9104217.records/2026-09-02.reflective-discussion.mnowak.yaml", {
        "with": "jmills",
        "for_next_meeting": "Jack said his caseload doubled in the spring; raised at the September meeting."},
                 id="reflective-discussion, its notes for the next meeting", marks=pytest.mark.rule("R19")),
    pytest.param("2026-09/9138025.records/2026-10-02.review.jbryant.yaml", {
        "outcome": "findings-upheld", "reason": "The grade reflects the quality of practice with the children, not "
                                                "only the housing outcome. Requires Improvement stands."},
                 id="review", marks=pytest.mark.rule("R12")),
    pytest.param("2026-09/9131468.records/2026-09-25.feedback.gwalsh.yaml", {
        "rule": "R10", "to": ["hlee", "mnowak"], "summary": "The first assessment and the relationship built before "
                                                              "the move gave the new worker a running start."},
                 id="feedback on earlier work, to its practitioner and their team manager", marks=pytest.mark.rule("R10")),
    pytest.param("2026-09/9131468.records/2026-09-18.feedback.gwalsh.yaml", {
        "rule": "R20", "to": ["ejones"],
        "summary": "A model assessment; shared at the practice forum with the family's consent."},
                 id="feedback on the assessment", marks=pytest.mark.rule("R20")),
]


@pytest.mark.parametrize(("relative", "holds"), MAPPINGS)
def test_each_field_becomes_the_record_of_its_kind(relative: str, holds: dict, ehqa, before_records: Path) -> None:
    """Each record is the QA officer's, on behalf of whoever acted (the path above names the one who acted)."""
    assert ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA).exit_code == 0
    day, kind, actor = relative.split("/")[-1].split(".")[:3]
    record = read(before_records, f"audits/{relative.replace(f'.{actor}.', f'.{QA}.')}")
    assert record["kind"] == kind and record["by"] == QA
    if actor != QA:
        holds = {**holds, "on_behalf_of": actor, "received": "audit-file"}
    assert {k: v for k, v in record.items() if k not in WHAT_IT_IS and k != "note"} == holds
    assert record["note"].startswith("Moved from the audit's ")


@pytest.mark.rule("R16")
def test_the_service_manager_alert_stays_in_the_audit(ehqa, before_records: Path) -> None:
    """An oversight record is the service manager's own act; the QA officer's alert is not one."""
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert "kept in the audit: followup.service_manager_alerted in 1 audit (no record kind says it)" in result.output
    assert not list(before_records.glob("audits/*/*.records/*.oversight.*"))


@pytest.mark.rule("R15", "R16", "R17", "R19", "R10", "R20", "R12")
def test_the_audits_are_untouched_and_the_records_validate(ehqa, before_records: Path) -> None:
    before = files(before_records)
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    after = files(before_records)
    assert {p: b for p, b in after.items() if ".records/" not in p} == before
    assert len(records(before_records)) == 52 and result.output.endswith(
        "wrote 52 records\nnext: commit them on a branch and open a pull request\n")
    validate = ehqa("validate", "--repo", before_records, "--as-of", AS_OF)
    assert validate.exit_code == 0, validate.output


@pytest.mark.rule("R15", "R16", "R17", "R19", "R10", "R20", "R12")
def test_the_followups_are_the_same_after_as_before(ehqa, before_records: Path) -> None:
    """The records say what the fields said: every obligation, done, open or overdue, is as it was."""
    before = followups(ehqa, before_records)
    assert ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA).exit_code == 0
    assert followups(ehqa, before_records) == before


@pytest.mark.rule("R15", "R17")
def test_a_second_run_writes_nothing(ehqa, before_records: Path) -> None:
    assert ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA).exit_code == 0
    written = files(before_records)
    again = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert again.exit_code == 0, again.output
    assert "nothing to migrate: no follow-up field is left to become a record; 52 already there; nothing was written" \
        in again.output
    assert "wrote" not in again.output.replace("was written", "")
    assert files(before_records) == written


@pytest.mark.rule("R17")
def test_a_record_already_there_by_someone_else_is_not_written_again(ehqa, before_records: Path) -> None:
    """The same act, recorded by the QA officer on the team manager's behalf before the migration."""
    folder = before_records / "audits/2026-08/9120554.records"
    folder.mkdir()
    (folder / "2026-09-03.supervision-note.tpatel.yaml").write_text(
        'kind: supervision-note\ncase: "9120554"\ncycle: 2026-08\nby: tpatel\ndate: 2026-09-03\n'
        "on_behalf_of: swright\nreceived: email\n", encoding="utf-8")
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    assert "9120554.records/2026-09-03.supervision-note" not in result.output
    assert not (folder / "2026-09-03.supervision-note.swright.yaml").exists()
    assert "wrote 51 records; 1 already there" in result.output


def test_with_nothing_to_do_it_writes_nothing_and_says_so(ehqa, service_copy: Path) -> None:
    """The sample service has moved to records already."""
    before = files(service_copy)
    result = ehqa("migrate", "--repo", service_copy, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("nothing was written\n") and "nothing to migrate" in result.output
    assert files(service_copy) == before


def test_a_service_with_no_audits_has_nothing_to_migrate(ehqa, tmp_path: Path, fixture_service: Path) -> None:
    for name in ("qa.yaml", "staff.yaml"):
        shutil.copy(fixture_service / name, tmp_path / name)
    shutil.copytree(fixture_service / "schemas", tmp_path / "schemas")
    result = ehqa("migrate", "--repo", tmp_path, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    assert "nothing to migrate" in result.output and not (tmp_path / "audits").exists()


def test_a_dry_run_says_what_it_would_write_and_writes_nothing(ehqa, before_records: Path) -> None:
    before = files(before_records)
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would write audits/2026-09/9138025.records/2026-10-02.review.tpatel.yaml  (from disagreement.review)" \
        in result.output
    assert result.output.endswith("52 records to write; nothing was written (--dry-run)\n")
    assert files(before_records) == before


@pytest.mark.rule("R17", "R19")
def test_an_author_staff_yaml_cannot_name_is_not_invented(ehqa, before_records: Path) -> None:
    """Sarah Wright had left before the supervision of 2026-08/9120554: nobody else is named for what she did."""
    staff = before_records / "staff.yaml"
    text = staff.read_text(encoding="utf-8")
    staff.write_text(text.replace("    line_manager: lmorris\n    auditor: true\n    github: swright-eh\n",
                                  "    line_manager: lmorris\n    auditor: true\n    github: swright-eh\n"
                                  "    left: 2026-09-01\n"), encoding="utf-8")
    assert "left: 2026-09-01" in staff.read_text(encoding="utf-8")
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    audit = "audits/2026-08/9120554.yaml"
    for field in ("followup.supervision_note_recorded", "smart_actions", "followup.reflective_discussion"):
        assert (f"not moved: {audit} {field}: swright, the team manager of the case's practitioner, had left by "
                "2026-09-03") in result.output
    for index in (0, 1):  # the actions are not agreed in a record: nothing to update, nothing to review
        assert f"not moved: {audit} smart_actions[{index}].status: the action is not agreed in a record" in result.output
    assert f"not moved: {audit} followup.actions_reviewed: no action agreed in a record" in result.output
    written = sorted(p.name for p in (before_records / "audits/2026-08/9120554.records").iterdir())
    assert written == ["2026-08-28.casenote.tpatel.yaml", "2026-08-28.report-sent.tpatel.yaml"]


@pytest.mark.rule("R17")
def test_a_record_that_would_not_validate_is_not_written_nor_those_that_stand_on_it(ehqa, before_records: Path) -> None:
    """The supervision note of 2026-08/9120554 (and so its actions' agreement) is dated after --as-of; its first
    action's update, dated before, names an action no record would agree."""
    audit = before_records / "audits/2026-08/9120554.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("supervision_note_recorded: 2026-09-03",
                                                               "supervision_note_recorded: 2026-09-20"), encoding="utf-8")
    result = ehqa("migrate", "--repo", before_records, "--as-of", "2026-09-18", "--by", QA)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("not moved: audits/2026-08/9120554.yaml")]
    assert any("smart_actions: its actions-agreed record would not pass `ehqa validate`: RECORD-DATE" in x for x in lines)
    assert any("smart_actions[0].status: its action-update record would not pass `ehqa validate`: RECORD-ACTIONS: "
               "no actions-agreed record of this audit has an action 'a1'" in x for x in lines)
    written = {p.name for p in (before_records / "audits/2026-08/9120554.records").iterdir()}
    assert not any(".action" in name for name in written)
    validate = ehqa("validate", "--repo", before_records, "--as-of", "2026-09-18")
    assert not any(".records/" in line for line in validate.output.splitlines()), validate.output


def test_what_cannot_be_read_is_said_and_left(ehqa, before_records: Path) -> None:
    """A broken cycle file: who did what follows from its nominations, so none of its audits is moved; a
    broken audit is not moved; the rest are."""
    (before_records / "cycles/2026-08.yaml").write_text("cycle: [\n", encoding="utf-8")
    (before_records / "audits/2026-09/9131468.yaml").write_text("case: [\n", encoding="utf-8")
    result = ehqa("migrate", "--repo", before_records, "--as-of", AS_OF, "--by", QA)
    assert result.exit_code == 0, result.output
    for path in ("cycles/2026-08.yaml", "audits/2026-09/9131468.yaml"):
        assert f"cannot read {path}: no follow-up field that stands on it is moved; run `ehqa validate`" in result.stderr
    moved = {path.split("/")[1] + "/" + path.split("/")[2].split(".")[0] for path in records(before_records)}
    assert not any(key.startswith("2026-08/") for key in moved) and "2026-09/9131468" not in moved
    assert "2026-09/9138025" in moved


def test_help_says_what_each_field_becomes(ehqa) -> None:
    result = ehqa("migrate", "--help")
    assert result.exit_code == 0
    assert "report_sent_to_manager     report-sent, by the QA officer in post that day" in result.output
    assert "--dry-run" in result.output
