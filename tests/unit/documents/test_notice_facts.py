"""The notices' facts (documents.notice_facts), gathered from the sample service."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.documents import notice_facts
from ehqa.load.repository import load_repository


def test_gathered_facts_of_the_sample_service() -> None:
    service = load_repository(FIXTURE_SERVICE).service
    facts = notice_facts.gather_notice_facts(service, "2026-11", date(2026, 11, 10))
    assert facts.cycle.id == "2026-11" and facts.qa_officer.email
    assert {n.auditor.id for n in facts.auditor_notices} == {"aevans", "fgreen", "bcole", "iokoro"}
    assert {r.practitioner.id for r in facts.worker_requests} == {"hlee", "jmills", "cahmed", "dfinch"}
    assert [case for case, _ in facts.unallocated] == ["9199406"]


def test_no_allocation_is_a_notice_error() -> None:
    service = load_repository(FIXTURE_SERVICE).service
    with pytest.raises(notice_facts.NoticeError, match="there is no cycle 2030-01"):
        notice_facts.gather_notice_facts(service, "2030-01", date(2026, 11, 10))
