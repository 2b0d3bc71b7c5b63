"""The demo service: reproducible from its seed, valid, and as rich as issue 2 asks."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT
from ehqa.demo import DemoOptions, write_demo
from ehqa.framework.records import RECORD_KINDS
from ehqa.load.repository import discover, load_repository
from ehqa.model import FollowUp, Grade
from ehqa.model.records import recorded_actions, recorded_followup
from ehqa.repo_files.migrate import plan_migration
from ehqa.reporting.checker import Checker, ValidateOptions


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, DemoOptions())
    return out


def test_committed_demo_is_what_the_seed_writes(generated: Path) -> None:
    """`ehqa demo --force` at the root reproduces every committed data file byte for byte."""
    committed, fresh = discover(ROOT), discover(generated)
    assert committed == fresh
    changed = [f for f in fresh if (ROOT / f).read_bytes() != (generated / f).read_bytes()]
    assert not changed, f"the committed demo differs from its generator; run `ehqa demo --force`: {changed[:5]}"


def test_demo_validates(generated: Path) -> None:
    findings, files = Checker(ValidateOptions(root=generated, as_of=AS_OF), out=io.StringIO()).findings()
    assert files > 400
    assert findings == []


def test_another_seed_and_scale_validates(tmp_path: Path) -> None:
    write_demo(tmp_path, DemoOptions(seed=7, cycles=6, teams=5, cases_per_cycle=11, end_cycle="2026-03", as_of=date(2026, 3, 30)))
    findings, _ = Checker(ValidateOptions(root=tmp_path, as_of=date(2026, 3, 30)), out=io.StringIO()).findings()
    assert findings == []


def test_force_replaces_the_records_it_wrote(tmp_path: Path) -> None:
    options = DemoOptions(cycles=4, teams=3, cases_per_cycle=6)
    write_demo(tmp_path, options)
    fresh = {f: (tmp_path / f).read_bytes() for f in discover(tmp_path)}
    folder = next(tmp_path.glob("audits/*/*.records"))
    (folder / "2026-10-01.casenote.nobody.yaml").write_text("kind: casenote\n", encoding="utf-8")
    write_demo(tmp_path, options, force=True)
    assert {f: (tmp_path / f).read_bytes() for f in discover(tmp_path)} == fresh


def test_refuses_to_overwrite_without_force(generated: Path) -> None:
    with pytest.raises(ValueError, match="already exists"):
        write_demo(generated, DemoOptions())


def test_demo_has_what_the_issue_asks_for(generated: Path) -> None:
    service = load_repository(generated).service
    casework_teams = {p.team for p in service.staff.people.values() if p.role.value == "practitioner"}
    assert len(casework_teams) == 8
    assert 55 <= len(service.staff.people) <= 70
    cycles = sorted(service.cycles)
    assert len(cycles) == 24 and cycles[-1] == "2026-11" and cycles[0] == "2024-12"
    assert all(c.theme_title for c in service.cycles.values())
    grades = Counter(a.overall for a in service.audits)
    assert all(grades[g] > 0 for g in (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT,
                                         Grade.INADEQUATE, Grade.INADEQUATE_CRITICAL))
    assert grades[Grade.GOOD] > grades[Grade.INADEQUATE]  # a realistic mix, not a uniform one
    assert sum(1 for a in service.audits if a.safety_concern) >= 3
    reaudited = {a.reaudit_of for a in service.audits if a.reaudit_of}
    inadequate = {a.key for a in service.audits if a.overall.is_inadequate}
    assert reaudited and reaudited <= inadequate
    ri = [a for a in service.audits if a.overall is Grade.REQUIRES_IMPROVEMENT]
    assert ri and all(a.smart_actions for a in ri)
    # Some follow-ups stay open for ever, so that there is always something overdue: as the records say.
    overdue_actions = [x for a in service.audits for x in recorded_actions(a.smart_actions, service.records_of(a.key))
                       if x.status == "open" and x.due < date(2026, 6, 1)]
    missing_casenotes = [a for a in service.audits
                         if recorded_followup(a.followup, service.records_of(a.key)).casenote_recorded is None
                         and service.cycles[a.cycle].meeting < date(2026, 6, 1)]
    assert overdue_actions and missing_casenotes


@pytest.mark.rule("R15", "R16", "R17", "R19", "R10", "R20", "R12")
def test_what_was_done_after_the_meeting_is_in_records(generated: Path) -> None:
    """The audits keep what their auditors wrote before the meeting (the actions they proposed, still open);
    every act after it is a record of its own, and `ehqa migrate` finds nothing to move."""
    service = load_repository(generated).service
    assert all(a.followup == FollowUp() and not a.amendments for a in service.audits)
    assert all(x.status == "open" and x.done is None for a in service.audits for x in a.smart_actions)
    assert all(a.disagreement is None or a.disagreement.review is None for a in service.audits)
    assert not any(f.fed_back for a in service.audits for f in a.previous_work_feedback)
    assert not any(a.assessment and a.assessment.feedback_returned for a in service.audits)
    kinds = Counter(r.kind for r in service.records)
    assert set(kinds) == {k.kind for k in RECORD_KINDS}  # every kind, the service manager's oversight (R16) too
    assert kinds["report-sent"] > 150 and kinds["actions-agreed"] > 50
    plan = plan_migration(service)
    assert plan.records == []


def test_demo_free_text_names_no_case(generated: Path) -> None:
    """The publishable excerpts hold no case reference and no staff name."""
    service = load_repository(generated).service
    cases = {a.case for a in service.audits}
    names = {p.name for p in service.staff.people.values()} | {p.id for p in service.staff.people.values()}
    for audit in service.audits:
        assert not any(c in audit.learning_excerpt for c in cases)
        assert not any(n in audit.learning_excerpt for n in names)


@pytest.mark.rule("R8", "R12")
def test_demo_carries_own_grades_and_a_moderated_sample_with_realistic_disagreement(generated: Path) -> None:
    """Issue 14: from grading.from_cycle on, every auditor's own grades (mostly the agreed grade, some one away, a
    few two); every cycle whose meeting has passed has a sample of about 10%, moderated a little more severely."""
    from ehqa.model.enums import OVERALL_GRADES
    from ehqa.rules.grading import required_graders

    service = load_repository(generated).service
    settings = service.settings
    assert settings.grading_independent == "required" and settings.grading_from_cycle == "2025-12"
    rank = {g: i for i, g in enumerate(OVERALL_GRADES)}
    by_key = service.audits_by_key()
    steps = {"grades": Counter(), "moderation": Counter()}
    for record in service.records:
        if record.kind in steps:
            audit = by_key[record.audit_key]
            steps[record.kind].update(rank[g] - rank[audit.domains[d].grade] for d, g in record.domains.items()
                                      if g in rank and audit.domains[d].grade in rank)
    for audit in service.audits:
        graded = {r.by for r in service.records_of(audit.key) if r.kind == "grades"}
        assert graded == (set(required_graders(audit)) if audit.cycle >= "2025-12" else set()), audit.key
    own = steps["grades"]
    assert 0.6 < own[0] / sum(own.values()) < 0.85 and own[1] and own[-1] and own[2] + own[-2] > 0
    closed = [c for c in service.cycles.values() if c.meeting < date(2026, 10, 31) and c.id in service.moderations]
    assert len(closed) >= 20 and all(1 <= len(service.moderations[c.id].cases) <= 2 for c in closed)
    moderated = steps["moderation"]
    assert sum(step * n for step, n in moderated.items()) > 0.1 * sum(moderated.values())  # more severe on average
    assert any(p.moderator for p in service.staff.people.values())  # the named external moderator
