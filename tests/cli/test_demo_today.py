"""Issue 12, item 17: the committed demo stands on its own day, so the README's main command shows the same live
service whenever it is run.

The demo's files tell the story of 3 November 2026 (qa.yaml's ``demo.as_of``, which ``ehqa demo`` writes). Every
command that takes --as-of treats that day as today when --as-of is not given, and says so; a real service follows
the clock. Here the clock (``ehqa.cli.params.clock``) is replaced by days before, on and long after the demo's day,
never the real date, and the main command's steps (``ehqa validate && ehqa summary && ehqa build``) are run on the
committed demo without --as-of.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURE_SERVICE, ROOT, seed_charts
from ehqa.cli import params

DEMO_DAY = "2026-11-03"
NOTE = "ehqa: a demo service: shown as of Tuesday 3 November 2026, the day its story stands at (demo.as_of in qa.yaml)"
FAKE_TODAYS = [date(2026, 10, 1), date(2026, 11, 3), date(2026, 12, 1), date(2027, 6, 15), date(2031, 2, 28)]


def _clock(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    monkeypatch.setattr(params, "clock", lambda: today)


def test_the_demo_records_the_day_its_story_stands_at() -> None:
    from ehqa.load.repository import load_settings

    assert load_settings(ROOT).demo_as_of == date.fromisoformat(DEMO_DAY)
    assert load_settings(FIXTURE_SERVICE).demo_as_of is None  # a real service has none


@pytest.mark.rule("R1", "R13", "R17")
def test_item_17_the_main_command_shows_the_demo_as_one_live_service_whatever_the_date(
        ehqa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, drawn_charts, parsed_once) -> None:
    """R1: November's meeting, 17 November, is still to come and its audits not yet due (R13); the follow-ups
    overdue are those overdue on the demo's day (R17), never all of them: on every fake today, the summary and the
    follow-ups are word for word those of `--as-of 2026-11-03`, and the site built agrees with the summary."""
    summary = ehqa("summary", "--repo", ROOT, "--as-of", DEMO_DAY)
    followups = ehqa("followups", "--repo", ROOT, "--as-of", DEMO_DAY, "--format", "json", "--all")
    assert summary.exit_code == 0 and followups.exit_code == 0
    assert "next QA meeting: Tuesday 17 November 2026 (cycle 2026-11" in summary.stdout
    assert NOTE not in summary.stderr, "given --as-of, no note"
    statuses = {row["status"] for row in json.loads(followups.stdout)}
    assert {"overdue", "open", "done"} <= statuses, "on the demo's day some follow-ups are open, not all overdue"
    for today in FAKE_TODAYS:
        _clock(monkeypatch, today)
        validated = ehqa("validate", "--repo", ROOT)
        assert validated.exit_code == 0, (today, validated.output)
        shown = ehqa("summary", "--repo", ROOT)
        assert shown.exit_code == 0 and shown.stdout == summary.stdout, today
        assert NOTE in shown.stderr, today
        listed = ehqa("followups", "--repo", ROOT, "--format", "json", "--all")
        assert json.loads(listed.stdout) == json.loads(followups.stdout), today

    _clock(monkeypatch, FAKE_TODAYS[-1])  # the site, built years later: the same 3 November
    work = seed_charts(drawn_charts(ROOT), tmp_path / "work")
    built = ehqa("build", "--repo", ROOT, "--out", tmp_path / "site", "--work", work, "--strict", "-q")
    assert built.exit_code == 0, built.output
    assert NOTE in built.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Next QA meeting" in home and "Tuesday 17 November 2026" in home  # as the summary says
    assert "Grades in October 2026 against 2025" in home  # October's is the newest cycle reported
    november = (tmp_path / "site" / "cycles" / "2026-11.html").read_text(encoding="utf-8")
    assert "Findings after the QA meeting" in november  # still to come, as on 3 November


def test_a_real_service_follows_the_clock_and_says_nothing(ehqa, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample service has no demo.as_of: its today is the clock's (here replaced), and no note is printed."""
    _clock(monkeypatch, AS_OF)
    by_clock = ehqa("summary", "--repo", FIXTURE_SERVICE)
    given = ehqa("summary", "--repo", FIXTURE_SERVICE, "--as-of", AS_OF)
    assert by_clock.exit_code == 0 and by_clock.stdout == given.stdout
    assert "demo service" not in by_clock.output
    _clock(monkeypatch, date(2027, 6, 15))
    assert ehqa("summary", "--repo", FIXTURE_SERVICE).stdout != given.stdout, "the clock moved the summary"
