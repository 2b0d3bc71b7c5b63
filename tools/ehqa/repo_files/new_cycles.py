"""New cycle files: ``ehqa cycle new`` writes one, ``ehqa cycle plan --write`` the year's missing ones.

Files are read through the one loader, exactly as ``ehqa validate`` reads them; the decisions are
``plan.cycle_plan``'s and the text ``repo_files.cycle_file``'s. A cycle file is created exclusively:
one people have edited, or one created a moment ago, is never overwritten. Problems are
``ehqa.errors``: ``DataError`` (exit 1) when the repository's state stops the command,
``BadOption`` (exit 2) when an option cannot be right.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehqa.atomic import create_or_fail
from ehqa.errors import BadOption, DataError
from ehqa.layout import cycle_path
from ehqa.load.repository import load_settings, load_single
from ehqa.model import Cycle, Settings
from ehqa.model.calendar import WorkingCalendar, calendar_for
from ehqa.model.cycle_dates import MeetingRule, derive_dates, parse_meeting_rule, plan_year
from ehqa.plan.cycle_plan import (
    NEVER_OVERWRITE,
    PLACEHOLDER_SOURCE,
    PLACEHOLDER_THEME,
    OptionProblem,
    PlanRow,
    Share,
    matching_learning_themes,
    new_cycle_problem,
    plan_row,
    skip_reason,
    time_each_party_gets,
    too_soon,
)
from ehqa.repo_files.cycle_file import NewCycle, new_cycle_text

log = logging.getLogger("ehqa")


# --- ehqa cycle new -------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedCycle:
    """What ``create_cycle`` wrote: the file (relative), what it holds, and the working days each party gets."""

    file: str
    cycle: NewCycle
    shares: tuple[Share, ...]
    calendar: WorkingCalendar


def create_cycle(repo: Path, cycle_id: str, meeting: date, theme: str, source: str, learning_themes: tuple[str, ...],
                 rationale: str | None, today: date) -> CreatedCycle:
    """Write cycles/YYYY-MM.yaml for a new cycle; the file written, what it holds, and each party's time."""
    settings = load_settings(repo)
    calendar = working_calendar(settings)
    relative = cycle_path(cycle_id)
    target = repo / relative
    if target.exists():
        raise DataError(f"{relative} already exists, and ehqa never overwrites a cycle file: edit it by hand, "
                        "or delete it yourself first if you mean to start the cycle again")
    title = " ".join(theme.split())
    _refuse(new_cycle_problem(cycle_id, meeting, title, learning_themes, settings, calendar))
    try:
        dates = derive_dates(meeting, settings, calendar)
    except ValueError as exc:  # qa.yaml's timescales cannot give coherent dates
        raise DataError(str(exc)) from None
    _refuse(too_soon(meeting, dates, today, settings, calendar))
    learning_themes = learning_themes or matching_learning_themes(title, settings)  # R2: the theme pages find it
    new = NewCycle(
        cycle=cycle_id,
        theme_title=title,
        theme_source=source,
        meeting=meeting,
        dates=dates,
        learning_themes=tuple(dict.fromkeys(learning_themes)),
        rationale=" ".join(rationale.split()) if rationale and rationale.strip() else None,
    )
    create_cycle_file(target, new_cycle_text(new, settings.timescales.allocation_lead_days))
    log.info("wrote %s", target)
    return CreatedCycle(relative, new, time_each_party_gets(meeting, dates, today, calendar), calendar)


def _refuse(problem: OptionProblem | None) -> None:
    if problem is not None:
        raise BadOption(problem.option, problem.message)


# --- ehqa cycle plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class YearPlan:
    """The twelve cycles of a year, and the files ``--write`` created or skipped (with why)."""

    year: int
    rule: MeetingRule
    settings: Settings
    calendar: WorkingCalendar
    rows: list[PlanRow]
    written: list[str]
    skipped: list[tuple[str, str]]


def plan_cycles(repo: Path, year: int, rule: str | None, today: date, write: bool) -> YearPlan:
    """The year's plan from --rule (else qa.yaml's meeting.rule) and the cycle files that exist; with
    ``write``, the missing files created."""
    settings = load_settings(repo)
    calendar = working_calendar(settings)
    meeting_rule = _meeting_rule(rule, settings)
    rows = []
    for planned in plan_year(year, meeting_rule, calendar):
        existing, unreadable = existing_cycle(repo, cycle_path(planned.cycle), settings)
        try:
            rows.append(plan_row(planned, existing, unreadable, settings, calendar, today))
        except ValueError as exc:  # qa.yaml's timescales cannot give coherent dates
            raise DataError(str(exc)) from None
    written, skipped = write_missing(repo, rows, settings, today) if write else ([], [])
    return YearPlan(year, meeting_rule, settings, calendar, rows, written, skipped)


def _meeting_rule(rule: str | None, settings: Settings) -> MeetingRule:
    """--rule, else qa.yaml's meeting.rule: a bad --rule is a usage error, a bad qa.yaml the data's."""
    if rule is not None:
        try:
            return parse_meeting_rule(rule)
        except ValueError as exc:
            raise BadOption("--rule", str(exc)) from None
    try:
        return parse_meeting_rule(settings.meeting_rule)
    except ValueError as exc:
        raise DataError(f"qa.yaml, meeting.rule: {exc}") from None


def write_missing(
    repo: Path, rows: list[PlanRow], settings: Settings, today: date
) -> tuple[list[str], list[tuple[str, str]]]:
    """--write: create each month's file that may be created; the files written, and those skipped with why."""
    written: list[str] = []
    skipped: list[tuple[str, str]] = []
    for row in rows:
        why = skip_reason(row, today)
        if why is None:
            placeholder = NewCycle(row.planned.cycle, PLACEHOLDER_THEME, PLACEHOLDER_SOURCE, row.meeting, row.dates)
            text = new_cycle_text(placeholder, settings.timescales.allocation_lead_days,
                                  written_by="ehqa cycle plan --write")
            try:
                create_cycle_file(repo / row.file, text)
            except DataError:  # created by someone else since we looked (or not writable): left alone
                why = NEVER_OVERWRITE
        if why is not None:
            skipped.append((row.file, why))
            continue
        log.info("wrote %s", row.file)
        written.append(row.file)
    return written, skipped


# --- the files ------------------------------------------------------------------------------


def working_calendar(settings: Settings) -> WorkingCalendar:
    """The working days of qa.yaml's service.bank_holidays; ``DataError`` when the place is not known."""
    try:
        return calendar_for(settings)
    except ValueError as exc:
        raise DataError(f"qa.yaml, service.bank_holidays: {exc}") from None


def existing_cycle(repo: Path, relative: str, settings: Settings) -> tuple[Cycle | None, bool]:
    """The cycle file's record when it exists and reads cleanly, else None; and whether it exists but cannot be read."""
    if not (repo / relative).exists():
        return None, False
    record, findings = load_single(repo, relative, max_bytes=settings.max_file_bytes)
    if record is None:
        log.warning("%s cannot be read (%s); run `ehqa validate %s`", relative,
                    findings[0].message if findings else "unknown problem", relative)
        return None, True
    return record, False


def create_cycle_file(target: Path, text: str) -> None:
    """Create a new cycle file, complete or not at all; ``DataError`` when the name is taken, even by a
    file created a moment ago: the creation itself is exclusive, never a check then a write."""
    create_or_fail(target, text, taken=f"{target} already exists, and ehqa never overwrites a cycle file")
