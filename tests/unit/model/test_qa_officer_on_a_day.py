"""Who is the QA officer on a day: one answer, ``StaffDirectory.qa_officer_on``, that the notices
(sent from their address, R5, R7) and the follow-ups (R15, R16, R17 owned by them) both give."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE as FIXTURE
from ehqa.documents.notice_facts import NoticeError, gather_notice_facts
from ehqa.load.repository import load_repository
from ehqa.model import Absence, Person, Role, Service, StaffDirectory, Team
from ehqa.rules.obligations import Obligations

DAY = date(2026, 11, 10)
AWAY = (Absence(date(2026, 11, 9), date(2026, 11, 13)),)


def officer(staff_id: str, left: date | None = None, absences: tuple[Absence, ...] = ()) -> Person:
    return Person(staff_id, staff_id.title(), Role.QA_OFFICER, "qa", email=f"{staff_id}@council.example",
                  left=left, absences=absences)


def directory(*people: Person) -> StaffDirectory:
    return StaffDirectory("staff.yaml", {"qa": Team("qa", "Quality Assurance")}, people)


def test_the_first_in_staff_yaml_who_is_at_work_that_day() -> None:
    assert directory(officer("first"), officer("second")).qa_officer_on(DAY).id == "first"


def test_never_one_who_has_left() -> None:
    staff = directory(officer("gone", left=date(2026, 10, 31)), officer("current"))
    assert staff.qa_officer_on(DAY).id == "current"
    assert directory(officer("gone", left=date(2026, 10, 31))).qa_officer_on(DAY) is None
    assert directory(officer("leaving", left=DAY)).qa_officer_on(DAY) is None  # ``left`` is their first day gone


def test_one_absent_that_day_only_when_no_other_is_at_work() -> None:
    assert directory(officer("away", absences=AWAY), officer("here")).qa_officer_on(DAY).id == "here"
    staff = directory(officer("gone", left=date(2026, 1, 1)), officer("away", absences=AWAY))
    assert staff.qa_officer_on(DAY).id == "away"  # the work waits for their return
    assert staff.qa_officer_on(date(2026, 11, 16)).id == "away"


def test_nobody_without_the_role() -> None:
    assert directory(replace(officer("lead"), role=Role.HEAD_OF_SERVICE_QA)).qa_officer_on(DAY) is None


def _with_a_second_officer(service: Service, first: dict) -> Service:
    """The fixture's QA officer (tpatel) changed by ``first``, and a second QA officer after them."""
    listed = [replace(p, **first) if p.id == "tpatel" else p for p in service.staff.listed]
    listed.append(replace(service.staff.get("tpatel"), id="nsharma", name="Nina Sharma", github="nsharma-eh",
                          email="nina.sharma@millbrook.example"))
    service.staff = StaffDirectory(service.staff.source, service.staff.teams, tuple(listed))
    return service


@pytest.mark.rule("R5", "R15")
@pytest.mark.parametrize("first", [{"left": date(2026, 10, 31)}, {"absences": AWAY}], ids=["left", "absent"])
def test_notices_and_follow_ups_agree_on_the_qa_officer(first: dict) -> None:
    service = _with_a_second_officer(load_repository(FIXTURE).service, first)
    sender = gather_notice_facts(service, "2026-11", DAY).qa_officer
    owners = {o.owner for o in Obligations(service, DAY).all() if o.owner_role == "qa-officer"}
    assert sender.id == "nsharma"
    assert owners == {"nsharma"}


def test_notices_are_never_sent_from_a_leavers_address() -> None:
    service = load_repository(FIXTURE).service
    listed = tuple(replace(p, left=date(2026, 10, 31)) if p.id == "tpatel" else p for p in service.staff.listed)
    service.staff = StaffDirectory(service.staff.source, service.staff.teams, listed)
    with pytest.raises(NoticeError, match="nobody with role qa-officer in the service on 2026-11-10"):
        gather_notice_facts(service, "2026-11", DAY)
    assert all(o.owner is None for o in Obligations(service, DAY).all() if o.owner_role == "qa-officer")
