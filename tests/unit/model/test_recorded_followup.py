"""What has been done since an audit, as it stands: the audit's own follow-up fields with what its records add
(``model.records.recorded_followup`` and ``recorded_actions``), for the meeting pack, the report, the summary and
the learning site."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.load.repository import load_repository
from ehqa.model import ActionReview, AgreedAction, FollowUp, Record
from ehqa.model.records import recorded_actions, recorded_followup

pytestmark = pytest.mark.rule("R15", "R17", "R19")


def test_the_sample_service_s_records_say_what_its_fields_say() -> None:
    """ehqa migrate moved the sample service's follow-up fields into records: with the fields emptied (the
    actions left as their auditors proposed them), the records alone give the same answers."""
    service = load_repository(FIXTURE_SERVICE).service
    for audit in service.audits:
        records = service.records_of(audit.key)
        kept = FollowUp(service_manager_alerted=audit.followup.service_manager_alerted)  # no record says the alert
        assert recorded_followup(kept, records) == audit.followup, audit.key
        proposed = tuple(replace(a, status="open", done=None) for a in audit.smart_actions)
        assert recorded_actions(proposed, records) == audit.smart_actions, audit.key


def _record(kind: str, day: date, **fields) -> Record:
    return Record(f"audits/2026-10/9160347.records/{day}.{kind}.x.yaml", kind, "9160347", "2026-10", "x", day, **fields)


def test_an_oversight_is_the_alert_and_an_escalating_review_the_escalation() -> None:
    records = [_record("oversight", date(2026, 10, 20), summary="Seen."),
               _record("actions-reviewed", date(2026, 11, 26), reviews=(ActionReview("a1", "met"),)),
               _record("actions-reviewed", date(2026, 12, 15), reviews=(ActionReview("a2", "not-met", True),))]
    steps = recorded_followup(FollowUp(service_manager_alerted=date(2026, 10, 21)), records)
    assert steps.service_manager_alerted == date(2026, 10, 20)  # the earlier of the two
    assert steps.actions_reviewed == date(2026, 11, 26) and steps.escalated_to_senior_management == date(2026, 12, 15)


def test_an_agreed_action_moves_and_is_done_as_its_updates_say() -> None:
    agreed = _record("actions-agreed", date(2026, 10, 28), with_="cahmed", actions=(
        AgreedAction("a1", "Visit the school.", "cahmed", date(2026, 11, 10), "A visit note."),
        AgreedAction("a2", "Record the child's views.", "cahmed", date(2026, 11, 12), "Quoted."),
    ))
    moved = _record("action-update", date(2026, 11, 5), action="a1", status="changed", due=date(2026, 12, 1))
    done = _record("action-update", date(2026, 11, 20), action="a1", status="done")
    missed = _record("action-update", date(2026, 11, 13), action="a2", status="not-met")
    actions = recorded_actions((), [done, agreed, moved, missed])
    assert [(a.due, a.status, a.done) for a in actions] == [(date(2026, 12, 1), "done", date(2026, 11, 20)),
                                                           (date(2026, 11, 12), "not-met", None)]
