"""Who is the team manager of a case: one answer, ``StaffDirectory.team_manager_of``, that the
notices (R11: whom the auditor tells), the follow-ups (R17, R19: who owns them), the meeting pack
and the audit report all give."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest

from conftest import AS_OF
from conftest import FIXTURE_SERVICE as FIXTURE
from ehqa.documents.audit_report import render_audit_report
from ehqa.documents.meeting_facts import Names
from ehqa.documents.notice_facts import gather_notice_facts
from ehqa.load.repository import load_repository
from ehqa.model import Nomination, Person, Role, Service, StaffDirectory, Team
from ehqa.rules.obligations import Obligations

CASE, CYCLE = "9192648", "2026-11"  # practitioner cahmed, nominated by swright (team manager, North)


def person(staff_id: str, role: Role, line_manager: str | None = None) -> Person:
    return Person(staff_id, staff_id.title(), role, "north", line_manager=line_manager)


def directory(*people: Person) -> StaffDirectory:
    return StaffDirectory("staff.yaml", {"north": Team("north", "North")}, people)


STAFF = directory(
    person("area", Role.AREA_MANAGER),
    person("tm", Role.TEAM_MANAGER, "area"),
    person("nominator", Role.TEAM_MANAGER, "area"),
    person("senior", Role.SENIOR_PRACTITIONER, "tm"),
    person("managed", Role.PRACTITIONER, "senior"),  # chain: senior, tm, area
    person("unmanaged", Role.PRACTITIONER, "area"),  # chain: area only, no team manager
    person("alone", Role.PRACTITIONER),  # no line manager recorded
    person("qa", Role.QA_OFFICER),
)


@pytest.mark.rule("R11", "R17", "R19")
def test_the_first_team_manager_up_the_practitioners_chain() -> None:
    assert STAFF.team_manager_of(Nomination("1", "managed", "north", "nominator")).id == "tm"


@pytest.mark.rule("R3", "R11")
@pytest.mark.parametrize("practitioner", ["unmanaged", "alone"])
def test_where_the_chain_has_none_the_nominating_team_manager(practitioner: str) -> None:
    assert STAFF.team_manager_of(Nomination("1", practitioner, "north", "nominator")).id == "nominator"


def test_nobody_when_neither_the_chain_nor_the_nominator_is_a_team_manager() -> None:
    assert STAFF.team_manager_of(Nomination("1", "unmanaged", "north", "qa")) is None  # a re-audit, say
    assert STAFF.team_manager_of(Nomination("1", "unmanaged", "north", "not-in-staff")) is None
    assert STAFF.team_manager_of(None) is None


def _without_a_team_manager_in_the_chain(service: Service) -> Service:
    """The fixture, with cahmed line-managed by the area manager: no team manager above her."""
    listed = tuple(replace(p, line_manager="lmorris") if p.id == "cahmed" else p for p in service.staff.listed)
    service.staff = StaffDirectory(service.staff.source, service.staff.teams, listed)
    return service


@pytest.mark.rule("R11", "R19")
def test_notices_follow_ups_pack_and_report_name_the_same_team_manager() -> None:
    service = _without_a_team_manager_in_the_chain(load_repository(FIXTURE).service)
    nomination = service.cycles[CYCLE].nomination(CASE)
    assert nomination.nominated_by == "swright"
    expected = service.staff.get("swright")

    notice_cases = {c.ref: c for n in gather_notice_facts(service, CYCLE, AS_OF).auditor_notices for c in n.cases}
    reflective = [o for o in Obligations(service, AS_OF).all()
                  if o.audit == f"audits/{CYCLE}/{CASE}.yaml" and o.kind == "FOLLOWUP-REFLECTIVE-DISCUSSION"]
    audit = next(a for a in service.audits if a.key == f"{CYCLE}/{CASE}")

    assert notice_cases[CASE].team_manager == expected
    assert [o.owner for o in reflective] == [expected.id]
    assert Names(service.staff).team_manager(nomination) == expected.name
    assert f"(team manager: {expected.name})" in render_audit_report(service, audit)


def test_the_meeting_pack_names_the_same_team_manager() -> None:
    from ehqa.documents.meeting_pack import render_meeting_pack

    service = _without_a_team_manager_in_the_chain(load_repository(FIXTURE).service)
    pack = dict(render_meeting_pack(service, CYCLE, AS_OF, time(10, 0)).files)[f"meeting-{CYCLE}.md"]
    case = pack[pack.index(f"### 1. Case {CASE}"):]
    assert case.split("\n### ")[0].count("- Practitioner: Chloe Ahmed (team manager: Sarah Wright)") == 1
