"""R4 as the draw keeps it: no pair of a line manager and their direct report, for a hand-edited allocation too
(ALLOC-LINE-MANAGER; tests/examples/negative/alloc-line-manager-and-report.yaml shows it through validate). Only
while the cycle's meeting is to come, and never when qa.yaml's allocation.pair_line_managers allows the pair."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.load.repository import load_repository
from ehqa.rules.cycles import _line_manager_pairs

SERVICE = load_repository(FIXTURE_SERVICE).service  # mnowak manages iokoro and gwalsh; aevans reports to swright
CYCLE = SERVICE.cycles["2026-11"]  # meeting 2026-11-26


def found(auditors: tuple[str, ...], as_of: date = date(2026, 11, 20), allowed: bool = False) -> list:
    settings = dataclasses.replace(SERVICE.settings, pair_line_managers=allowed)
    return [(f.rule, f.where) for f in _line_manager_pairs(auditors, CYCLE, as_of, settings, SERVICE.staff,
                                                           "cycles/2026-11.allocation.yaml", ("pairs", 1))]


@pytest.mark.rule("R4")
def test_a_line_manager_paired_with_their_report_is_refused_whichever_comes_first() -> None:
    assert found(("mnowak", "iokoro")) == [("ALLOC-LINE-MANAGER", ("pairs", 1, "auditors", 1))]
    assert found(("iokoro", "mnowak")) == [("ALLOC-LINE-MANAGER", ("pairs", 1, "auditors", 0))]
    assert found(("aevans", "fgreen")) == []  # managed by others
    assert found(("iokoro", "gwalsh")) == []  # two reports of one manager may audit together


@pytest.mark.rule("R4")
def test_a_held_cycle_or_a_service_that_allows_the_pair_is_not_refused() -> None:
    assert found(("mnowak", "iokoro"), as_of=date(2026, 11, 26)) != []  # the meeting is today: still to be held
    assert found(("mnowak", "iokoro"), as_of=date(2026, 11, 27)) == []  # staff.yaml says who manages whom now
    assert found(("mnowak", "iokoro"), allowed=True) == []
