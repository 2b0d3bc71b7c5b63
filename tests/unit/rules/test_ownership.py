"""ehqa.rules.ownership, without Git: who may change what (R4, R7, R15) judged on two versions of each
file. `ehqa check-pr` on real Git repositories: tests/cli/test_check_pr.py."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ehqa.framework.checks import OWNERSHIP_RULES, RULES
from ehqa.load.repository import load_repository
from ehqa.load.strict_yaml import parse
from ehqa.model import Role
from ehqa.rules.changes import Change
from ehqa.rules.ownership import check_changes, find_actor

CLOSED_AUDIT = "audits/2026-10/9160347.yaml"  # allocated to gwalsh and fgreen; meeting 2026-10-22


def test_ownership_rules_cite_r_numbers_and_stay_out_of_the_validation_catalogue() -> None:
    for rule, (cites, meaning) in OWNERSHIP_RULES.items():
        assert rule.startswith("OWN-") and re.fullmatch(r"R([1-9]|1[0-9]|2[0-2])", cites) and meaning
        assert rule not in RULES  # validate never reports them, so no negative example could trigger them


@pytest.mark.rule("R15")
def test_check_changes_is_pure(fixture_service: Path) -> None:
    service = load_repository(fixture_service).service
    assert service.staff is not None
    assert find_actor(service.staff, "TPATEL-EH").role is Role.QA_OFFICER
    old = parse((fixture_service / CLOSED_AUDIT).read_bytes())
    new = {**old, "amendments": [{"by": "fgreen", "date": "2026-11-18", "why": "A date was wrong."}]}
    cycle = parse((fixture_service / "cycles/2026-10.yaml").read_bytes())
    verdict = check_changes([Change(CLOSED_AUDIT, old, new), Change("cycles/2026-10.yaml", cycle, cycle)],
                            "fgreen-eh", service.staff, service.cycles, service.allocations, date(2026, 11, 20))
    assert verdict.findings == () and verdict.judged == (CLOSED_AUDIT,)
    assert verdict.skipped == ("cycles/2026-10.yaml",)
    # Issue 9 changed this: a file under audits/ that nothing reads (here a README) is no longer
    # skipped but refused, with the rule id `ehqa validate` gives it.
    verdict = check_changes([Change("audits/2026-10/README.md", None, "x")], "fgreen-eh", service.staff,
                            service.cycles, service.allocations, date(2026, 11, 20))
    assert [(f.rule, f.path) for f in verdict.findings] == [("FILE-UNKNOWN", "audits/2026-10/README.md")]
