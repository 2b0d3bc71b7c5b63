"""`ehqa moderate`, `ehqa new grades` and `ehqa new moderation` (issue 14): the moderation sample and each person's
own grades, on a copy of the sample service (2026-10's meeting was on 22 October; "today" is 26 November)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from conftest import AS_OF

DOMAINS = ("assessment", "child-voice", "planning", "direct-work", "multi-agency", "management-oversight")
SAMPLE = "cycles/2026-10.moderation.yaml"


def fill(path: Path, grade: str = "good", summary: bool = False) -> None:
    """Fill in a skeleton's empty grades (and summary), as its writer would."""
    text = path.read_text(encoding="utf-8")
    for domain in DOMAINS:
        text = text.replace(f"  {domain}:\n", f"  {domain}: {grade}\n")
    text = re.sub(r"^overall:.*$", f"overall: {grade}", text, flags=re.M)
    if summary:
        text = re.sub(r"^summary:.*$", "summary: The plan follows from the assessment and the child is seen.", text,
                      flags=re.M)
    path.write_text(text, encoding="utf-8")


@pytest.mark.rule("R12")
def test_moderate_writes_a_seeded_sample_without_grades_that_validates(service_copy: Path, ehqa) -> None:
    dry = ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF, "--seed", "4", "--sample", "40%",
               "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    shown = json.loads(dry.stdout)
    assert shown["closed_audits"] == 5 and len(shown["cases"]) == 2 and not (service_copy / SAMPLE).exists()
    assert "grade" not in dry.stdout  # whoever runs the draw may be a moderator: blind
    done = ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF, "--seed", "4", "--sample", "40%")
    assert done.exit_code == 0 and f"wrote {SAMPLE}" in done.output, done.output
    text = (service_copy / SAMPLE).read_text(encoding="utf-8")
    assert [(c["case"], c["moderator"]) for c in shown["cases"]] == re.findall(
        r'- case: "(\d+)"\n\s+moderator: (\w+)', text)
    assert "good" not in text and "inadequate" not in text
    validated = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert validated.exit_code == 0, validated.output


@pytest.mark.rule("R12")
def test_moderate_refuses_what_it_may_not_do(service_copy: Path, ehqa, caplog) -> None:
    early = ehqa("moderate", "2026-11", "--repo", service_copy, "--as-of", AS_OF)
    assert early.exit_code == 1 and "moderation draws closed audits" in early.output
    bad = ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF, "--sample", "0")
    assert bad.exit_code == 2 and "a number of audits (3) or a share of them (10%)" in bad.output
    assert ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF).exit_code == 0
    again = ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF)
    assert again.exit_code == 1 and "never overwrites it" in again.output
    with caplog.at_level(logging.WARNING, logger="ehqa"):
        looked = ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF, "--dry-run")
    assert looked.exit_code == 0 and "a real run would refuse" in caplog.text, caplog.text
    (service_copy / SAMPLE).unlink()
    staff = service_copy / "staff.yaml"  # the QA officer and the Head of Service for QA have left
    text = staff.read_text(encoding="utf-8")
    for who in ("tpatel", "jbryant"):
        text = text.replace(f"  - id: {who}\n", f"  - id: {who}\n    left: 2026-11-01\n")
    staff.write_text(text, encoding="utf-8")
    nobody = ehqa("moderate", "2026-10", "--repo", service_copy, "--as-of", AS_OF)
    assert nobody.exit_code == 1 and "error[MODERATION-MODERATOR]" in nobody.output, nobody.output
    assert "Traceback" not in nobody.output and not (service_copy / SAMPLE).exists()


@pytest.mark.rule("R8")
def test_new_grades_is_for_the_audits_auditors_once_and_validates_when_filled(service_copy: Path, ehqa) -> None:
    args = ("--repo", service_copy, "--as-of", "2026-10-12")
    other = ehqa("new", "grades", "2026-10", "9160347", "--by", "aevans", *args)
    assert other.exit_code == 1 and "RECORD-WRITER" in other.output and "(gwalsh, fgreen)" in other.output
    made = ehqa("new", "grades", "2026-10", "9160347", "--by", "gwalsh", *args)
    assert made.exit_code == 0, made.output
    path = service_copy / "audits/2026-10/9160347.records/2026-10-12.grades.gwalsh.yaml"
    skeleton = path.read_text(encoding="utf-8")
    assert "kind: grades" in skeleton and all(f"  {d}:\n" in skeleton for d in DOMAINS)
    again = ehqa("new", "grades", "2026-10", "9160347", "--by", "gwalsh", "--repo", service_copy, "--as-of",
                 "2026-10-13")
    assert again.exit_code == 1 and "RECORD-GRADES" in again.output
    unfilled = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert unfilled.exit_code == 1 and "2026-10-12.grades.gwalsh.yaml" in unfilled.output
    fill(path, "requires-improvement")
    validated = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert validated.exit_code == 0, validated.output


@pytest.mark.rule("R8")
def test_validate_refuses_a_second_grades_record_by_one_auditor(service_copy: Path, ehqa) -> None:
    for day in ("2026-10-10", "2026-10-11"):
        assert ehqa("new", "grades", "2026-10", "9160347", "--by", "fgreen", "--repo", service_copy, "--as-of",
                    day).exit_code == (0 if day.endswith("10") else 1)
    first = service_copy / "audits/2026-10/9160347.records/2026-10-10.grades.fgreen.yaml"
    fill(first)
    second = first.with_name("2026-10-11.grades.fgreen.yaml")
    second.write_text(first.read_text(encoding="utf-8").replace("2026-10-10", "2026-10-11"), encoding="utf-8")
    result = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "error[" in line]
    assert len(lines) == 1 and "2026-10-11.grades.fgreen.yaml:11:5: error[RECORD-GRADES]" in lines[0], result.output
    assert "fgreen has already given their own grades of this audit in 2026-10-10.grades.fgreen.yaml" in lines[0]


@pytest.mark.rule("R12")
def test_new_moderation_is_blind_and_only_for_the_named_moderator(service_copy: Path, ehqa) -> None:
    (service_copy / SAMPLE).write_text('# yaml-language-server: $schema=../schemas/moderation.schema.json\n'
                                       'cycle: 2026-10\nseed: 1\ndrawn: 2026-11-02\nsample: 1\ncases:\n'
                                       '  - case: "9160347"\n    moderator: tpatel\n', encoding="utf-8")
    args = ("--repo", service_copy, "--as-of", "2026-11-10")
    wrong = ehqa("new", "moderation", "2026-10", "9160347", "--by", "jbryant", *args)
    assert wrong.exit_code == 1 and "RECORD-WRITER" in wrong.output and "tpatel moderates it" in wrong.output
    made = ehqa("new", "moderation", "2026-10", "9160347", "--by", "tpatel", *args)
    assert made.exit_code == 0, made.output
    path = service_copy / "audits/2026-10/9160347.records/2026-11-10.moderation.tpatel.yaml"
    skeleton = path.read_text(encoding="utf-8")
    audit = (service_copy / "audits/2026-10/9160347.yaml").read_text(encoding="utf-8")
    evidence = re.findall(r"evidence: (.{30,})", audit)
    assert evidence and not any(e[:30] in skeleton for e in evidence)  # nothing of the auditors' judgement
    assert "Is the child seen, heard" in skeleton  # the domains' evidence prompts
    assert not re.search(r":\s*(good|outstanding|requires-improvement|inadequate)\s*$", skeleton, re.M)
    fill(path, "requires-improvement", summary=True)
    validated = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert validated.exit_code == 0, validated.output
    path.rename(path.with_name("2026-11-10.moderation.jbryant.yaml"))
    moved = path.with_name("2026-11-10.moderation.jbryant.yaml")
    moved.write_text(moved.read_text(encoding="utf-8").replace("by: tpatel", "by: jbryant"), encoding="utf-8")
    refused = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert refused.exit_code == 1 and "error[RECORD-WRITER]: jbryant may not write a moderation record" in \
        refused.output, refused.output


@pytest.mark.rule("R12")
def test_the_next_meeting_pack_shows_agreed_beside_moderated_grades(service_copy: Path, ehqa, tmp_path: Path) -> None:
    (service_copy / SAMPLE).write_text('# yaml-language-server: $schema=../schemas/moderation.schema.json\n'
                                       'cycle: 2026-10\nseed: 1\ndrawn: 2026-11-02\nsample: 1\ncases:\n'
                                       '  - case: "9160347"\n    moderator: tpatel\n', encoding="utf-8")
    assert ehqa("new", "moderation", "2026-10", "9160347", "--by", "tpatel", "--repo", service_copy, "--as-of",
                "2026-11-10").exit_code == 0
    path = service_copy / "audits/2026-10/9160347.records/2026-11-10.moderation.tpatel.yaml"
    fill(path, "good", summary=True)
    path.write_text(path.read_text(encoding="utf-8").replace("  child-voice: good", "  child-voice: requires-improvement")
                    .replace("overall: good", "overall: requires-improvement"), encoding="utf-8")
    assert ehqa("validate", "--repo", service_copy, "--as-of", AS_OF).exit_code == 0
    out = tmp_path / "pack"
    result = ehqa("meeting", "2026-11", "--repo", service_copy, "--as-of", AS_OF, "--out", out)
    assert result.exit_code == 0, result.output
    pack = (out / "meeting-2026-11.md").read_text(encoding="utf-8")
    assert "## Moderation: a second, blind grading of sampled audits (R12)" in pack
    assert "### 2026-10/9160347, moderated by" in pack
    assert "Overall: agreed **Good**, moderator **Requires Improvement** (moderator lower)" in pack
    assert "5 the same, 0 higher, 1 lower" in pack
    assert "The moderator found: The plan follows from the assessment" in pack
    assert "Moderation: a second" in (out / "meeting-2026-11.html").read_text(encoding="utf-8")
    earlier = tmp_path / "earlier"  # recorded after 2026-10's meeting: its pack does not show it
    assert ehqa("meeting", "2026-10", "--repo", service_copy, "--as-of", AS_OF, "--out", earlier).exit_code == 0
    assert "Moderation" not in (earlier / "meeting-2026-10.md").read_text(encoding="utf-8")
