"""ehqa.repo_files.skeleton: the audit skeleton `ehqa new audit` writes (R8), with the domain set in force
for the cycle, and why it refuses. The command: tests/cli/test_new.py."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from ehqa.load.repository import load_repository
from ehqa.load.strict_yaml import parse
from ehqa.model import Domain, DomainSet
from ehqa.repo_files.skeleton import SkeletonFacts, audit_skeleton, refusal

CASE = "9189214"  # cycle 2026-11, allocated to aevans and fgreen


@pytest.mark.rule("R8")
def test_the_domain_set_in_force_for_the_cycle(fixture_service: Path) -> None:
    service = load_repository(fixture_service).service
    assert service.settings is not None
    v2 = DomainSet(2, "2026-11", (Domain("family-voice", "Voice of the family", "Are the parents heard?"),))
    settings = dataclasses.replace(service.settings, domain_sets=service.settings.domain_sets + (v2,))
    facts = SkeletonFacts(settings, service.cycles["2026-11"], service.allocations["2026-11"], CASE, service.staff)
    text = audit_skeleton(facts, date(2026, 11, 12))
    assert list(parse(text.encode())["domains"]) == ["family-voice"]
    assert "version 2" in text and "# Voice of the family: Are the parents heard?" in text
    october = SkeletonFacts(settings, service.cycles["2026-10"], service.allocations["2026-10"], "9160347")
    assert "family-voice" not in audit_skeleton(october, date(2026, 10, 8))
    assert refusal(service.cycles["2026-11"], None, CASE).startswith("cycle 2026-11 has not been allocated")
