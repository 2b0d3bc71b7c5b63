"""Follow-ups follow the records (issue 11): a record closes the obligation it answers, the actions of an
actions-agreed record become obligations of their owners, and a re-audit belongs to the senior manager
allocated it. The sample service, as of its November meeting day."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import AS_OF
from ehqa.load.repository import load_repository
from ehqa.rules.obligations import Obligation, Obligations, Status

OPEN_R15 = "2026-11/9183570"  # meeting 2026-11-26: report and case note still to do (QA officer tpatel)
OPEN_R19 = "2026-10/9160347"  # practitioner cahmed, team manager swright: reflective discussion to hold


def obligations(root: Path) -> list[Obligation]:
    return Obligations(load_repository(root).service, AS_OF).all()


def of(found: list[Obligation], key: str, rule: str) -> list[Obligation]:
    return [o for o in found if o.audit == f"audits/{key}.yaml" and o.rule == rule]


def add(root: Path, key: str, name: str, body: str) -> None:
    cycle, case = key.split("/")
    kind, by = name.split(".")[1:3]
    day = name.split(".")[0]
    folder = root / "audits" / cycle / f"{case}.records"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f'kind: {kind}\ncase: "{case}"\ncycle: {cycle}\nby: {by}\ndate: {day}\n{body}',
                               encoding="utf-8")


@pytest.mark.rule("R15")
def test_report_sent_and_casenote_records_close_r15(service_copy: Path) -> None:
    before = of(obligations(service_copy), OPEN_R15, "R15")
    assert len(before) == 2 and all(o.status is Status.OPEN for o in before)
    add(service_copy, OPEN_R15, "2026-11-26.report-sent.tpatel.yaml", "to: mnowak\n")
    after = {o.closed_by: o for o in of(obligations(service_copy), OPEN_R15, "R15")}
    assert after["followup.report_sent_to_manager"].status is Status.DONE
    assert after["followup.report_sent_to_manager"].closed_on == AS_OF
    assert after["followup.casenote_recorded"].status is Status.OPEN  # a report-sent record is not a case note
    add(service_copy, OPEN_R15, "2026-11-26.casenote.tpatel.yaml", "")
    assert all(o.status is Status.DONE for o in of(obligations(service_copy), OPEN_R15, "R15"))


@pytest.mark.rule("R19")
def test_a_reflective_discussion_record_closes_r19(service_copy: Path) -> None:
    assert [o.status for o in of(obligations(service_copy), OPEN_R19, "R19")] == [Status.OPEN]
    add(service_copy, OPEN_R19, "2026-11-10.reflective-discussion.swright.yaml", "with: cahmed\n")
    assert [o.status for o in of(obligations(service_copy), OPEN_R19, "R19")] == [Status.DONE]


@pytest.mark.rule("R17")
def test_each_agreed_action_is_its_owner_s_until_an_update_says_done(service_copy: Path) -> None:
    add(service_copy, OPEN_R19, "2026-10-28.actions-agreed.swright.yaml",
        "with: cahmed\nactions:\n"
        "  - {id: a1, action: Record the child's views., owner: cahmed, due: 2026-11-10, measure: The plan quotes them.}\n"
        "  - {id: a2, action: Visit the school., owner: cahmed, due: 2026-12-10, measure: A visit note.}\n")
    actions = {o.what.split(":")[0]: o for o in of(obligations(service_copy), OPEN_R19, "R17")}
    assert actions["SMART action a1"].owner == "cahmed" and actions["SMART action a1"].status is Status.OVERDUE
    assert actions["SMART action a1"].file.endswith("2026-10-28.actions-agreed.swright.yaml")
    assert actions["SMART action a2"].status is Status.OPEN

    add(service_copy, OPEN_R19, "2026-11-12.action-update.cahmed.yaml", "action: a1\nstatus: done\n")
    add(service_copy, OPEN_R19, "2026-11-13.action-update.swright.yaml",
        "action: a2\nstatus: changed\ndue: 2027-01-15\n")
    actions = {o.what.split(":")[0]: o for o in of(obligations(service_copy), OPEN_R19, "R17")}
    assert actions["SMART action a1"].status is Status.DONE and actions["SMART action a1"].closed_on.isoformat() == "2026-11-12"
    assert actions["SMART action a2"].due.isoformat() == "2027-01-15"


@pytest.mark.rule("R17")
def test_an_action_not_met_is_escalated_until_the_review_says_it_was(service_copy: Path) -> None:
    add(service_copy, OPEN_R19, "2026-10-28.actions-agreed.swright.yaml",
        "with: cahmed\nactions:\n"
        "  - {id: a1, action: Record the child's views., owner: cahmed, due: 2026-11-10, measure: The plan quotes them.}\n")
    add(service_copy, OPEN_R19, "2026-11-12.action-update.swright.yaml", "action: a1\nstatus: not-met\n")
    escalation = [o for o in of(obligations(service_copy), OPEN_R19, "R17") if o.what.startswith("escalate")]
    assert len(escalation) == 1 and escalation[0].status is not Status.DONE and escalation[0].owner == "tpatel"
    add(service_copy, OPEN_R19, "2026-11-26.actions-reviewed.tpatel.yaml",
        "reviews:\n  - {action: a1, outcome: not-met, escalated: true}\n")
    escalation = [o for o in of(obligations(service_copy), OPEN_R19, "R17") if o.what.startswith("escalate")]
    assert escalation[0].status is Status.DONE


@pytest.mark.rule("R18")
def test_a_reaudit_belongs_to_the_senior_manager_allocated_it() -> None:
    from conftest import FIXTURE_SERVICE

    reaudit = of(obligations(FIXTURE_SERVICE), "2026-08/9104217", "R18")
    assert [o.owner for o in reaudit] == ["lmorris"]  # cycle 2026-10 allocates the re-audit to lmorris


@pytest.mark.rule("R17")
def test_an_audit_s_own_action_agreed_again_in_a_record_is_followed_once(service_copy: Path) -> None:
    """2026-10/9166102 keeps its two SMART actions, which ehqa migrate agreed again in a record (a1, a2)."""
    def actions() -> list[str]:
        return [o.what.split(":")[0] for o in of(obligations(service_copy), "2026-10/9166102", "R17")
                if o.what.startswith("SMART action")]

    assert actions() == ["SMART action a1", "SMART action a2"]
    shutil.rmtree(service_copy / "audits/2026-10/9166102.records")
    assert actions() == ["SMART action 1", "SMART action 2"]  # without the records, the audit's own


@pytest.mark.rule("R17")
def test_an_escalation_the_audit_records_closes_that_of_an_action_agreed_again(service_copy: Path) -> None:
    add(service_copy, "2026-10/9166102", "2026-11-20.action-update.swright.yaml", "action: a2\nstatus: not-met\n")

    def escalation() -> list[Status]:
        return [o.status for o in of(obligations(service_copy), "2026-10/9166102", "R17") if o.what.startswith("escalate")]

    assert escalation() == [Status.OPEN]  # due at the next meeting, 15 December
    audit = service_copy / "audits/2026-10/9166102.yaml"
    text = audit.read_text(encoding="utf-8")
    audit.write_text(text.replace("  actions_reviewed: 2026-11-26\n",
                                  "  actions_reviewed: 2026-11-26\n  escalated_to_senior_management: 2026-11-26\n"),
                     encoding="utf-8")
    assert escalation() == [Status.DONE]
