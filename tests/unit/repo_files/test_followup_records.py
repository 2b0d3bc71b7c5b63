"""The records an audit's follow-up fields say (``repo_files.followup_records``), on the sample service's audits
with their fields changed one at a time; and ``repo_files.migrate.plan_migration`` leaving out what is there."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.load.repository import load_repository
from ehqa.model import Audit, PreviousWorkFeedback, Review, Service
from ehqa.repo_files.followup_records import FromFields, records_from_fields
from ehqa.repo_files.migrate import plan_migration

RI = "2026-08/9120554"  # Requires Improvement; practitioner cahmed, team manager swright; two actions, both done
DISPUTED = "2026-09/9138025"  # the review upheld the findings


@pytest.fixture(scope="module")
def service() -> Service:
    return load_repository(FIXTURE_SERVICE).service


def audit_of(service: Service, key: str) -> Audit:
    return next(a for a in service.audits if a.key == key)


def said(service: Service, audit: Audit, **options) -> FromFields:
    nomination = service.cycles[audit.cycle].nomination(audit.case)
    return records_from_fields(audit, nomination, service.staff, service.settings, **options)


def by_source(found: FromFields) -> dict[str, tuple[str, str, date, dict]]:
    return {p.source: (p.kind, p.by, p.day, {k: v for k, v in p.fields.items() if k != "note"}) for p in found.records}


@pytest.mark.rule("R17")
def test_actions_are_numbered_in_order_and_each_update_is_by_who_acted(service: Service) -> None:
    audit = audit_of(service, RI)
    first, second = audit.smart_actions
    audit = replace(audit, smart_actions=(first, replace(second, status="not-met", done=None)))
    found = by_source(said(service, audit))
    kind, by, day, fields = found["smart_actions"]
    assert (kind, by, day) == ("actions-agreed", "swright", date(2026, 9, 3))
    assert [a["id"] for a in fields["actions"]] == ["a1", "a2"] and fields["with"] == "cahmed"
    assert found["smart_actions[0].status"] == ("action-update", "cahmed", date(2026, 9, 16),
                                                {"action": "a1", "status": "done"})
    # Not met: the team manager answers for it, on its due date (the audit does not say when it was found).
    assert found["smart_actions[1].status"] == ("action-update", "swright", date(2026, 9, 30),
                                                {"action": "a2", "status": "not-met"})


@pytest.mark.rule("R17")
def test_without_a_supervision_note_the_actions_are_dated_the_audit_and_say_so(service: Service) -> None:
    audit = audit_of(service, RI)
    audit = replace(audit, followup=replace(audit.followup, supervision_note_recorded=None))
    agreed = next(p for p in said(service, audit).records if p.kind == "actions-agreed")
    assert agreed.day == audit.completed
    assert "dated the day it was completed" in agreed.fields["note"]


@pytest.mark.rule("R17")
def test_the_review_of_actions_says_how_each_stood_that_day(service: Service) -> None:
    """Met when done by then; not met when past its due date and not done; not yet due: not reviewed.
    Unmet actions escalated: escalated, and the day in the note."""
    audit = audit_of(service, RI)
    first, second = audit.smart_actions
    audit = replace(audit, smart_actions=(replace(first, status="open", done=None), second),
                    followup=replace(audit.followup, escalated_to_senior_management=date(2026, 9, 28)))
    reviewed = next(p for p in said(service, audit).records if p.kind == "actions-reviewed")
    assert reviewed.by == "tpatel" and reviewed.day == date(2026, 9, 24)
    assert reviewed.fields["reviews"] == [{"action": "a1", "outcome": "not-met", "escalated": True}]
    assert "escalated to senior management on 2026-09-28" in reviewed.fields["note"]


@pytest.mark.rule("R17")
def test_no_action_to_review_yet_leaves_the_review_in_the_audit(service: Service) -> None:
    audit = audit_of(service, RI)
    audit = replace(audit, followup=replace(audit.followup, actions_reviewed=date(2026, 9, 10)))
    found = said(service, audit)
    assert "followup.actions_reviewed" not in by_source(found)
    assert [left.source for left in found.left] == ["followup.actions_reviewed"]


@pytest.mark.rule("R17")
def test_actions_already_agreed_keep_their_ids_and_are_not_agreed_again(service: Service) -> None:
    audit = audit_of(service, RI)
    first, second = audit.smart_actions
    agreed = {(first.action, first.owner, first.due): "x1"}
    found = by_source(said(service, audit, agreed=agreed, taken={"x1", "a1"}))
    assert [a["id"] for a in found["smart_actions"][3]["actions"]] == ["a2"]
    assert found["smart_actions[0].status"][3]["action"] == "x1"


@pytest.mark.rule("R12")
def test_a_review_that_revised_the_findings_stays_in_the_audit(service: Service) -> None:
    audit = audit_of(service, DISPUTED)
    upheld = by_source(said(service, audit))["disagreement.review"]
    assert upheld[:3] == ("review", "jbryant", date(2026, 10, 2)) and upheld[3]["outcome"] == "findings-upheld"
    review = audit.disagreement.review
    revised = replace(audit, disagreement=replace(audit.disagreement, review=replace(review, outcome="findings-revised")))
    found = said(service, revised)
    assert "disagreement.review" not in by_source(found)
    assert any(left.source == "disagreement.review" and "revised grades" in left.why for left in found.left)
    silent = replace(audit, disagreement=replace(audit.disagreement, review=Review("jbryant", date(2026, 10, 2),
                                                                                   "findings-upheld")))
    assert "disagreement.review" not in by_source(said(service, silent))


@pytest.mark.rule("R10")
def test_feedback_on_earlier_work_without_a_practitioner_goes_to_the_team_manager(service: Service) -> None:
    audit = audit_of(service, "2026-09/9131468")
    feedback = PreviousWorkFeedback("eh-south", "strength", "A running start.", None, date(2026, 9, 25))
    found = by_source(said(service, replace(audit, previous_work_feedback=(feedback,))))
    assert found["previous_work_feedback[0].fed_back"] == ("feedback", "gwalsh", date(2026, 9, 25), {
        "rule": "R10", "to": ["mnowak"], "summary": "A running start."})


@pytest.mark.rule("R20")
def test_assessment_feedback_without_comments_says_the_grade(service: Service) -> None:
    audit = audit_of(service, "2026-09/9131468")
    audit = replace(audit, assessment=replace(audit.assessment, comments=""))
    fields = by_source(said(service, audit))["assessment.feedback_returned"][3]
    assert fields == {"rule": "R20", "to": ["ejones"], "summary": "The Early Help Assessment was graded Outstanding."}


@pytest.mark.rule("R15")
def test_the_qa_officer_is_the_one_in_post_that_day(service: Service) -> None:
    """The only QA officer had left: nobody is named for the report she sent."""
    staff = service.staff
    tpatel = replace(staff.people["tpatel"], left=date(2026, 9, 1))
    gone = replace(staff, listed=tuple(tpatel if p.id == "tpatel" else p for p in staff.listed))
    audit = audit_of(service, "2026-09/9131468")
    nomination = service.cycles[audit.cycle].nomination(audit.case)
    found = records_from_fields(audit, nomination, gone, service.settings)
    assert "followup.report_sent_to_manager" not in by_source(found)
    assert any(left.source == "followup.report_sent_to_manager" and "QA officer" in left.why for left in found.left)


def test_the_plan_leaves_out_the_records_already_there(service: Service) -> None:
    """The sample service has moved: its records say all its fields say."""
    plan = plan_migration(service)
    assert plan.records == [] and plan.left == [] and plan.already == 52
    assert dict(plan.kept) == {"followup.service_manager_alerted": 1, "assessment.manager_informed": 1}


@pytest.mark.rule("R19")
def test_a_case_the_cycle_does_not_nominate_has_no_team_manager_to_name(service: Service) -> None:
    audit = audit_of(service, RI)
    found = records_from_fields(audit, None, service.staff, service.settings)
    assert [p.kind for p in found.records] == ["casenote"]  # the QA officer's own, to nobody in particular
    left = {left.source: left.why for left in found.left}
    assert "does not nominate the case" in left["followup.report_sent_to_manager"]
    assert "does not nominate the case" in left["followup.supervision_note_recorded"]
    assert left["followup.reflective_discussion"] == "the cycle names no practitioner for the case"
