"""`ehqa reaudits`: the re-audits due or overdue (R18), each with its window."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT


@pytest.mark.rule("R18")
def test_reaudits_lists_windows(ehqa) -> None:
    result = ehqa("reaudits", "--repo", str(ROOT), "--as-of", "2026-11-03", "--format", "json")
    assert result.exit_code == 0
    for row in json.loads(result.output):
        assert row["rule"] == "R18" and row["window_start"] < row["due"]
