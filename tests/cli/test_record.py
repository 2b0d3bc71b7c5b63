"""`ehqa record`: one follow-up record, checked as `ehqa validate` checks it, then written (issue 11).

On copies of the sample service: audit 2026-09/9131468 was completed on 2026-09-17 by gwalsh and mnowak;
its practitioner is ejones, whose team manager is swright. tpatel is the QA officer, jbryant the Head of
Service for QA, dobi a service manager. Every refusal exits 1, names its rule id and leaves audits/ as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF
from ehqa.framework.records import RECORD_KINDS
from ehqa.load.strict_yaml import parse

pytestmark = pytest.mark.rule("R17", "R12", "R16", "R15")

AUDIT = "2026-09/9131468"
RECORDS = "audits/2026-09/9131468.records"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/record.schema.json\n"
ACTIONS = """\
actions:
  - id: a1
    action: "Update the plan: the child's views, in their words"
    owner: ejones
    due: 2026-11-01
    measure: 'The plan quotes the child: "I want to stay at my school"'
"""
NO_OWNER = "actions:\n  - id: a1\n    action: Record the child's views.\n    due: 2026-11-01\n    measure: Quoted.\n"

GRADED = "".join(f"  {d}: good\n" for d in ("assessment", "child-voice", "planning", "direct-work", "multi-agency",
                                             "management-oversight"))
# A valid record of each kind: its options (--by and --date first), and its --from file, if any.
VALID: dict[str, tuple[list[str], str | None]] = {
    "actions-agreed": (["--by", "swright", "--date", "2026-10-01", "--with", "ejones"], ACTIONS),
    "action-update": (["--by", "ejones", "--date", "2026-10-20"], "action: a1\nstatus: done\n"),
    "actions-reviewed": (["--by", "tpatel", "--date", "2026-11-26"], "reviews:\n  - action: a1\n    outcome: met\n"),
    "supervision-note": (["--by", "swright", "--date", "2026-10-02"], None),
    "reflective-discussion": (["--by", "swright", "--date", "2026-10-15", "--with", "ejones"],
                              "for_next_meeting: Direct work tools for younger children.\n"),
    "oversight": (["--by", "dobi", "--date", "2026-10-22", "--summary", "Reviewed the plan with the team manager."],
                  None),
    "review": (["--by", "jbryant", "--date", "2026-10-21"],
               "outcome: findings-revised\noverall: good\nreason: The evidence supports Good.\n"),
    "feedback": (["--by", "gwalsh", "--date", "2026-10-02", "--to", "hlee", "--to", "mnowak", "--summary",
                  "The first assessment gave the new worker a running start."], "rule: R10\n"),
    "report-sent": (["--by", "tpatel", "--date", "2026-09-24", "--to", "swright"], None),
    "casenote": (["--by", "tpatel", "--date", "2026-09-29", "--note", "Recorded in the case record."], None),
    # Issue 14: an auditor's own grades, before the audit was agreed; the moderator's, whom the sample names.
    "grades": (["--by", "mnowak", "--date", "2026-09-15"], f"domains:\n{GRADED}overall: good\n"),
    "moderation": (["--by", "tpatel", "--date", "2026-10-20", "--summary", "The plan follows from the assessment."],
                   f"domains:\n{GRADED}overall: requires-improvement\n"),
}
SAMPLE = ('# yaml-language-server: $schema=../schemas/moderation.schema.json\ncycle: 2026-09\nseed: 1\n'
          'drawn: 2026-10-01\nsample: 1\ncases:\n  - case: "9131468"\n    moderator: tpatel\n')


@pytest.fixture
def record(ehqa, service_copy: Path, tmp_path: Path):
    """`ehqa record KIND AUDIT ARGS --repo COPY --as-of 2026-11-26`, with ``fields`` as its --from file."""
    written = iter(range(1000))

    def record(kind: str, *args: object, fields: str | None = None, audit: str = AUDIT):
        extra: list[object] = []
        if fields is not None:
            path = tmp_path / f"fields-{next(written)}.yaml"
            path.write_text(fields, encoding="utf-8")
            extra = ["--from", path]
        return ehqa("record", kind, audit, *args, *extra, "--repo", service_copy, "--as-of", AS_OF)

    return record


def audits(root: Path) -> dict[str, bytes | None]:
    """Everything under audits/, each file with its bytes (a folder or a link with None)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() and not p.is_symlink() else None
            for p in sorted((root / "audits").rglob("*"))}


def validates(ehqa, root: Path, *paths: object) -> str:
    result = ehqa("validate", *paths, "--repo", root, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return result.output


# --- a record of each kind -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k.kind for k in RECORD_KINDS])
def test_a_record_of_each_kind_is_written_and_validates(kind: str, record, ehqa, service_copy: Path) -> None:
    if kind in ("action-update", "actions-reviewed"):  # they name an agreed action
        agreed, actions = VALID["actions-agreed"]
        assert record("actions-agreed", *agreed, fields=actions).exit_code == 0
    if kind == "moderation":  # the moderator the cycle's sample names (issue 14)
        (service_copy / "cycles/2026-09.moderation.yaml").write_text(SAMPLE, encoding="utf-8")
    args, fields = VALID[kind]
    result = record(kind, *args, fields=fields)
    assert result.exit_code == 0, result.output
    by, day = args[1], args[3]
    relative = f"{RECORDS}/{day}.{kind}.{by}.yaml"
    assert f"wrote {relative}\n" in result.output
    assert "commit it on a branch and open a pull request" in result.output
    text = (service_copy / relative).read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE)
    doc = parse(text.encode())
    assert {k: doc[k] for k in ("kind", "case", "cycle", "by", "date")} == {
        "kind": kind, "case": "9131468", "cycle": "2026-09", "by": by, "date": day}
    for name, value in (parse(fields.encode()) if fields else {}).items():
        assert doc[name] == value  # the --from file's fields, as they were given
    assert "ok: 1 files valid" in validates(ehqa, service_copy, service_copy / relative)  # read, and clean
    validates(ehqa, service_copy)


@pytest.mark.rule("R20")
def test_an_auditor_records_that_there_is_no_assessment_on_file_and_r20_closes(record, ehqa, service_copy: Path) -> None:
    """R20 holds on every audit: October's 9166102 has no assessment graded, so its auditor says why, from the
    terminal, and the follow-up closes."""
    def r20():
        result = ehqa("followups", "--repo", service_copy, "--as-of", AS_OF, "--all", "--format", "json")
        return [o for o in yaml.safe_load(result.output) if o["rule"] == "R20" and "9166102" in o["audit"]]

    assert [o["status"] for o in r20()] == ["open"]
    result = record("feedback", "--by", "gwalsh", "--date", "2026-10-20", "--rule", "R20", "--no-assessment-on-file",
                    "The family's assessment is held by children's social care.", audit="2026-10/9166102")
    assert result.exit_code == 0, result.output
    written = parse((service_copy / "audits/2026-10/9166102.records/2026-10-20.feedback.gwalsh.yaml").read_bytes())
    assert (written["rule"], written["no_assessment_on_file"]) == (
        "R20", "The family's assessment is held by children's social care.")
    assert [o["status"] for o in r20()] == ["done"]


def test_the_file_is_yaml_as_a_person_writes_it(record, service_copy: Path) -> None:
    """The schema line, the fields in the schema's order with the note last, the case quoted, dates plain."""
    result = record("report-sent", "--note", "Sent by email.", "--by", "tpatel", "--date", "2026-09-24", "--to",
                    "swright")
    assert result.exit_code == 0, result.output
    assert (service_copy / RECORDS / "2026-09-24.report-sent.tpatel.yaml").read_text(encoding="utf-8") == (
        SCHEMA_LINE + 'kind: report-sent\ncase: "9131468"\ncycle: 2026-09\nby: tpatel\ndate: 2026-09-24\nto: swright\n'
        "note: Sent by email.\n")


def test_the_date_is_today_unless_given_and_the_audit_may_be_named_by_its_file(ehqa, service_copy: Path) -> None:
    audit_file = service_copy / "audits/2026-09/9131468.yaml"
    result = ehqa("record", "casenote", audit_file, "--by", "tpatel", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    written = service_copy / RECORDS / f"{AS_OF}.casenote.tpatel.yaml"
    assert parse(written.read_bytes())["date"] == str(AS_OF)


def test_quotes_colons_and_apostrophes_come_back_as_written(record, ehqa, service_copy: Path) -> None:
    note = "She said: \"it's fine\" - #1: don't worry; {not: a map} & *not an alias"
    summary = "'Reviewed': the plan's owner is clear: yes"
    result = record("oversight", "--by", "dobi", "--date", "2026-10-22", "--summary", summary, "--note", note)
    assert result.exit_code == 0, result.output
    text = (service_copy / RECORDS / "2026-10-22.oversight.dobi.yaml").read_text(encoding="utf-8")
    for read in (parse(text.encode()), yaml.safe_load(text)):  # ehqa's strict reader, and any other
        assert read["note"] == note and read["summary"] == summary
    validates(ehqa, service_copy)


def test_a_second_record_of_the_same_day_kind_and_author_is_numbered(record, ehqa, service_copy: Path) -> None:
    args = ["--by", "tpatel", "--date", "2026-09-24", "--to", "swright"]
    assert record("report-sent", *args).exit_code == 0
    first = service_copy / RECORDS / "2026-09-24.report-sent.tpatel.yaml"
    before = first.read_bytes()
    second = record("report-sent", *args, "--note", "Sent again: the first email bounced.")
    assert second.exit_code == 0, second.output
    assert f"wrote {RECORDS}/2026-09-24.report-sent.tpatel.2.yaml\n" in second.output
    third = record("report-sent", *args)
    assert f"wrote {RECORDS}/2026-09-24.report-sent.tpatel.3.yaml\n" in third.output
    assert first.read_bytes() == before
    assert "Sent again" in (service_copy / RECORDS / "2026-09-24.report-sent.tpatel.2.yaml").read_text(encoding="utf-8")
    validates(ehqa, service_copy)


def test_a_name_taken_after_the_look_is_left_alone(record, service_copy: Path, monkeypatch) -> None:
    """The file appears between ehqa's look for a free name and its write: the record takes the next number."""
    taken = service_copy / RECORDS / "2026-09-24.report-sent.tpatel.yaml"
    taken.parent.mkdir(exist_ok=True)
    someone_elses = SCHEMA_LINE + 'kind: report-sent\ncase: "9131468"\ncycle: 2026-09\nby: tpatel\n'
    taken.write_text(someone_elses, encoding="utf-8")
    real_exists = Path.exists
    monkeypatch.setattr(Path, "exists", lambda self, *a, **k: False if self == taken else real_exists(self, *a, **k))
    result = record("report-sent", "--by", "tpatel", "--date", "2026-09-24", "--to", "swright")
    assert result.exit_code == 0, result.output
    assert f"wrote {RECORDS}/2026-09-24.report-sent.tpatel.2.yaml" in result.output
    assert taken.read_text(encoding="utf-8") == someone_elses


# --- refusals: exit 1, every problem with its rule id, nothing written ----------------------------------------

REVIEW = "outcome: findings-upheld\nreason: The evidence supports the grades.\n"
REFUSED = {
    "no audit of the case": ("casenote", ["--by", "tpatel", "--date", "2026-10-01"], None, "2026-09/9199999",
                             "RECORD-NO-AUDIT", "there is no audit of case 9199999 in cycle 2026-09"),
    "a team manager reviewing": ("review", ["--by", "swright", "--date", "2026-10-21"], REVIEW, AUDIT,
                                 "RECORD-WRITER", "swright may not write a review record for this case"),
    "a practitioner agreeing actions": ("actions-agreed", ["--by", "ejones", "--date", "2026-10-01", "--with",
                                                           "ejones"], ACTIONS, AUDIT, "RECORD-WRITER",
                                        "ejones may not write an actions-agreed record"),
    "on behalf, not a QA officer": ("oversight", ["--by", "swright", "--date", "2026-10-22", "--on-behalf-of", "dobi",
                                                  "--received", "email", "--summary", "Seen."], None, AUDIT,
                                    "RECORD-WRITER", "only a QA officer records on someone's behalf"),
    "on behalf of the wrong person": ("oversight", ["--by", "tpatel", "--date", "2026-10-22", "--on-behalf-of",
                                                    "swright", "--received", "email", "--summary", "Seen."], None,
                                      AUDIT, "RECORD-WRITER", "swright may not write an oversight record"),
    "someone not on the staff": ("casenote", ["--by", "nobody", "--date", "2026-10-01"], None, AUDIT,
                                 "REF-PERSON", "'nobody' is not in staff.yaml"),
    "dated before the audit": ("casenote", ["--by", "tpatel", "--date", "2026-09-01"], None, AUDIT,
                               "RECORD-DATE", "before the audit was completed on 2026-09-17"),
    "dated in the future": ("casenote", ["--by", "tpatel", "--date", "2026-12-01"], None, AUDIT,
                            "RECORD-DATE", "after today (2026-11-26)"),
    "a review revising without a reason": ("review", ["--by", "jbryant", "--date", "2026-10-21"],
                                           "outcome: findings-revised\noverall: good\n", AUDIT,
                                           "SCHEMA-REQUIRED", "the required field 'reason' is missing"),
    "a review revising no grade": ("review", ["--by", "jbryant", "--date", "2026-10-21"],
                                   "outcome: findings-revised\nreason: Because.\n", AUDIT,
                                   "RECORD-REVIEW", "findings revised: give the revised overall grade"),
    "an action with no owner": ("actions-agreed", ["--by", "swright", "--date", "2026-10-01", "--with", "ejones"],
                                NO_OWNER, AUDIT, "SCHEMA-REQUIRED", "the required field 'owner' is missing"),
    "an update of an action never agreed": ("action-update", ["--by", "swright", "--date", "2026-10-20"],
                                            "action: a9\nstatus: done\n", AUDIT, "RECORD-ACTIONS",
                                            "no actions-agreed record of this audit has an action 'a9'"),
    "on behalf, without how it came": ("oversight", ["--by", "tpatel", "--date", "2026-10-22", "--on-behalf-of",
                                                     "dobi", "--summary", "Seen."], None, AUDIT,
                                       "SCHEMA-REQUIRED", "the field 'received' is required"),
    "received by fax": ("oversight", ["--by", "tpatel", "--date", "2026-10-22", "--on-behalf-of", "dobi",
                                      "--received", "fax", "--summary", "Seen."], None, AUDIT,
                        "SCHEMA-ENUM", "received 'fax' is not one of"),
    "a field the kind does not have, in the file": ("casenote", ["--by", "tpatel", "--date", "2026-10-01"],
                                                    "summary: Recorded.\n", AUDIT, "SCHEMA-UNKNOWN-FIELD",
                                                    "unknown field 'summary'"),
    "a --from file that is not YAML": ("review", ["--by", "jbryant", "--date", "2026-10-21"], "outcome: [\n",
                                       AUDIT, "YAML-SYNTAX", "this is not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_record_that_would_not_validate_is_refused_and_nothing_written(case: str, record, service_copy: Path) -> None:
    kind, args, fields, audit, rule, message = REFUSED[case]
    before = audits(service_copy)
    result = record(kind, *args, fields=fields, audit=audit)
    assert result.exit_code == 1, result.output
    assert f"{rule}" in result.output and message in result.output
    assert "nothing was written" in result.output and "wrote" not in result.output
    assert audits(service_copy) == before


def test_a_record_causing_a_problem_in_another_record_is_refused(record, service_copy: Path) -> None:
    """Agreeing action a1 on a day before an existing agreement of a1 makes the existing one the duplicate."""
    assert record("actions-agreed", "--by", "swright", "--date", "2026-10-10", "--with", "ejones",
                  fields=ACTIONS).exit_code == 0
    before = audits(service_copy)
    result = record("actions-agreed", "--by", "swright", "--date", "2026-10-01", "--with", "ejones", fields=ACTIONS)
    assert result.exit_code == 1, result.output
    assert f"RECORD-ACTIONS in {RECORDS}/2026-10-10.actions-agreed.swright.yaml: action id 'a1'" in result.output
    assert audits(service_copy) == before


def test_a_record_of_an_audit_that_cannot_be_read_is_refused(record, service_copy: Path) -> None:
    """The rules pass over an audit they cannot read: ehqa record says why instead of writing unchecked."""
    (service_copy / "audits/2026-09/9131468.yaml").write_text("case: [\n", encoding="utf-8")
    before = audits(service_copy)
    result = record("casenote", "--by", "tpatel", "--date", "2026-10-01")
    assert result.exit_code == 1, result.output
    assert "YAML-SYNTAX in audits/2026-09/9131468.yaml" in result.output
    assert audits(service_copy) == before


def test_a_records_folder_that_is_a_link_is_never_written_through(record, service_copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(service_copy / RECORDS)  # the audit's records, moved from its fields (ehqa migrate)
    (service_copy / RECORDS).symlink_to(elsewhere, target_is_directory=True)
    result = record("casenote", "--by", "tpatel", "--date", "2026-10-01")
    assert result.exit_code == 1, result.output
    assert f"FILE-SYMLINK in {RECORDS}" in result.output
    assert list(elsewhere.iterdir()) == []


USAGE = {
    "an option the kind does not have": ("casenote", ["--by", "tpatel", "--summary", "Recorded."], None,
                                         "--summary: a casenote record has no summary field"),
    "two managers for one report": ("report-sent", ["--by", "tpatel", "--to", "swright", "--to", "mnowak"], None,
                                    "--to: a report-sent record names one person"),
    "the author in the file": ("review", ["--by", "jbryant"], REVIEW + "by: jbryant\n",
                               "--from: the file gives by"),
    "a field given twice": ("reflective-discussion", ["--by", "swright", "--with", "ejones"], "with: ejones\n",
                            "--from: the file gives with, and so does --with"),
    "an author who cannot be a file name": ("casenote", ["--by", "../../tpatel"], None, "is not a staff id"),
    "a kind there is not": ("supervision", ["--by", "swright"], None, "'supervision' is not one of"),
}


@pytest.mark.parametrize("case", sorted(USAGE))
def test_a_usage_error_exits_2_and_writes_nothing(case: str, record, service_copy: Path) -> None:
    kind, args, fields, message = USAGE[case]
    before = audits(service_copy)
    result = record(kind, *args, fields=fields)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert audits(service_copy) == before


# --- the help ----------------------------------------------------------------------------------------------


def test_the_help_lists_every_kind_with_what_it_is_its_rule_and_who_writes_it(ehqa) -> None:
    result = ehqa("record", "--help", terminal_width=200, max_content_width=200)
    assert result.exit_code == 0
    lines = {line.split()[0]: " ".join(line.split()[1:]) for line in result.output.splitlines()
             if line.startswith("  ") and line.split()}
    for kind in RECORD_KINDS:
        assert lines.get(kind.kind, "").startswith(f"{kind.rule}: {kind.what}. Written by "), kind.kind
