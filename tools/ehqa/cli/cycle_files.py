"""The files of ``ehqa cycle``: qa.yaml and the cycle files read, new cycle files written.

The commands' edge with the disk. Files are read through the one loader
(``load.repository.load_single``), exactly as ``ehqa validate`` reads them; every failure
becomes the click error with its exit code (1: the repository's state stops the command).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ehqa.model import Cycle, Settings
    from ehqa.model.calendar import WorkingCalendar
    from ehqa.plan.cycle_plan import PlanRow

log = logging.getLogger("ehqa")


def load_settings(repo: Path) -> Settings:
    """qa.yaml, read as ``ehqa validate`` reads it. Exit 1 when it cannot be read cleanly."""
    from ehqa.load.repository import SETTINGS_FILE, load_single
    from ehqa.load.schema_check import SchemaError

    if not (repo / SETTINGS_FILE).is_file():
        raise click.ClickException(f"there is no {SETTINGS_FILE} in {repo}: every QA repository needs one at its root")
    try:
        settings, findings = load_single(repo, SETTINGS_FILE)
    except SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    if settings is None:
        first = findings[0] if findings else None
        detail = f" ({first.message})" if first else ""
        more = f" and {len(findings) - 1} more problems" if len(findings) > 1 else ""
        raise click.ClickException(f"{SETTINGS_FILE} cannot be read{detail}{more}: run `ehqa validate {SETTINGS_FILE}`")
    return settings


def working_calendar(settings: Settings) -> WorkingCalendar:
    """The working days of qa.yaml's service.bank_holidays. Exit 1 when the place is not known."""
    from ehqa.model.calendar import calendar_for

    try:
        return calendar_for(settings)
    except ValueError as exc:
        raise click.ClickException(f"qa.yaml, service.bank_holidays: {exc}") from None


def existing_cycle(repo: Path, relative: str, settings: Settings) -> tuple[Cycle | None, bool]:
    """The cycle file's record when it exists and reads cleanly, else None; and whether it exists but cannot be read."""
    from ehqa.load.repository import load_single

    if not (repo / relative).exists():
        return None, False
    record, findings = load_single(repo, relative, max_bytes=settings.max_file_bytes)
    if record is None:
        log.warning("%s cannot be read (%s); run `ehqa validate %s`", relative,
                    findings[0].message if findings else "unknown problem", relative)
        return None, True
    return record, False


def write_missing(
    repo: Path, rows: list[PlanRow], settings: Settings, today: date
) -> tuple[list[str], list[tuple[str, str]]]:
    """--write: create each month's file that may be created; the files written, and those skipped with why."""
    from ehqa.plan.cycle_plan import NEVER_OVERWRITE, PLACEHOLDER_SOURCE, PLACEHOLDER_THEME, skip_reason
    from ehqa.repo_files.cycle_file import NewCycle, new_cycle_text

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
            except click.ClickException:  # created by someone else since we looked
                why = NEVER_OVERWRITE
        if why is not None:
            skipped.append((row.file, why))
            continue
        log.info("wrote %s", row.file)
        written.append(row.file)
    return written, skipped


def create_cycle_file(target: Path, text: str) -> None:
    """Create a new cycle file, complete or not at all; refuse (exit 1) when the name is taken, even by
    a file created a moment ago: the creation itself is exclusive, never a check then a write."""
    from ehqa.atomic import create_exclusive

    try:
        create_exclusive(target, text)
    except FileExistsError:
        raise click.ClickException(f"{target} already exists, and ehqa never overwrites a cycle file") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None
