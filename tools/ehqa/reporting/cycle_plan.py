"""What ``ehqa cycle new`` and ``ehqa cycle plan`` show: the new cycle's dates, and a year's
plan as text for people and JSON for machines, with the meetings' calendar descriptions.

Pure functions: they return text (or a JSON-ready dict); the command prints it. Days are
written as ``model.wording.short_day`` writes them, ``Tue 2026-11-17``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehqa.model.wording import short_day
from ehqa.plan.cycle_plan import non_working

if TYPE_CHECKING:
    from ehqa.model.calendar import WorkingCalendar
    from ehqa.model.cycle_dates import CycleDates, MeetingRule
    from ehqa.plan.cycle_plan import PlanRow, Share

_STATUS = {"new": "new", "exists": "exists", "unreadable": "exists, unreadable", "too-late": "too late"}


def place(calendar: WorkingCalendar) -> str:
    """Whose bank holidays: ``GB-ENG``."""
    return calendar.country + (f"-{calendar.subdivision}" if calendar.subdivision else "")


# --- ehqa cycle new ------------------------------------------------------------------------


def new_cycle_summary(relative: str, meeting: date, dates: CycleDates, learning_themes: tuple[str, ...] = (),
                      shares: tuple[Share, ...] = (), calendar: WorkingCalendar | None = None) -> str:
    """What ``ehqa cycle new`` says once it has written the file: the dates, the learning themes (R2), the
    working days each party gets (``plan.cycle_plan.time_each_party_gets``), and what comes next."""
    lines = [f"wrote {relative}"]
    for label, day in (("QA meeting", meeting), ("allocations by", dates.allocations_by),
                       ("worker forms due", dates.worker_forms_due), ("audits due", dates.audits_due)):
        lines.append(f"  {label:<17} {short_day(day)}")
    if learning_themes:
        lines.append(f"  {'learning themes':<17} {', '.join(learning_themes)}")
    if shares:
        where = f" (bank holidays of {place(calendar)})" if calendar is not None else ""
        lines.append(f"Time each party gets, in working days{where}:")
        for share in shares:
            days = f"{share.working_days} working day{'' if share.working_days == 1 else 's'}"
            lines.append(f"  {share.party:<17} {days} {share.what}")
    lines.append("Next: team managers add their nominations to the file (R3), then run `ehqa validate`.")
    return "\n".join(lines)


# --- ehqa cycle plan -----------------------------------------------------------------------


def meeting_events(rows: list[PlanRow]) -> list[dict[str, Any]]:
    """The events for ``documents.meetings_ics.meetings_calendar``: each meeting, described with its dates."""
    events = []
    for row in rows:
        lines = [f"The QA meeting of audit cycle {row.planned.cycle}, which discusses the cycle's audits (R14)."]
        if row.theme:
            lines.append(f"Theme: {row.theme}.")
        lines.append(f"Allocations reach the auditors by {short_day(row.dates.allocations_by)} (R5).")
        lines.append(f"Perspective of Worker forms are due by {short_day(row.dates.worker_forms_due)} (R7).")
        lines.append(f"Audits are due by {short_day(row.dates.audits_due)} (R13).")
        if row.planned.moved_from and not row.from_file:
            lines.append(f"Moved from {short_day(row.planned.moved_from)}: {row.planned.reason}.")
        events.append({"cycle": row.planned.cycle, "meeting": row.meeting, "description": "\n".join(lines),
                       "details": row.details})
    return events


def plan_json(year: int, rule: MeetingRule, calendar: WorkingCalendar, rows: list[PlanRow], written: list[str],
              skipped: list[tuple[str, str]], ics_file: Path | None) -> dict[str, Any]:
    """``--format json``: ISO dates, and where each cycle's dates came from (the file or the rule)."""
    return {
        "year": year,
        "rule": str(rule),
        "bank_holidays": place(calendar),
        "cycles": [
            {
                "cycle": row.planned.cycle,
                "meeting": row.meeting.isoformat(),
                "allocations_by": row.dates.allocations_by.isoformat(),
                "worker_forms_due": row.dates.worker_forms_due.isoformat(),
                "audits_due": row.dates.audits_due.isoformat(),
                "moved_from": row.planned.moved_from.isoformat() if row.planned.moved_from else None,
                "reason": row.planned.reason,
                "file": row.file,
                "status": row.status,
                "dates_from": "file" if row.from_file else "rule",
            }
            for row in rows
        ],
        "written": written,
        "skipped": [{"file": file, "reason": why} for file, why in skipped],
        "ics": str(ics_file) if ics_file else None,
    }


def plan_text(year: int, rule: MeetingRule, service_name: str, calendar: WorkingCalendar, rows: list[PlanRow],
              written: list[str], skipped: list[tuple[str, str]], ics_file: Path | None, write: bool) -> str:
    """``--format text``: a table of the twelve cycles, notes on the moved meetings, and what was written."""
    lines = [
        f"QA meetings for {year}, {service_name}",
        f"rule: the {rule} of each month; bank holidays of {place(calendar)}",
        "",
        f"{'cycle':<8} {'QA meeting':<15} {'allocations by':<15} {'worker forms due':<17} {'audits due':<15} file",
    ]
    for row in rows:
        lines.append(f"{row.planned.cycle:<8} {short_day(row.meeting):<15} {short_day(row.dates.allocations_by):<15} "
                     f"{short_day(row.dates.worker_forms_due):<17} {short_day(row.dates.audits_due):<15} "
                     f"{_STATUS[row.status]}")
    notes = _notes(rows)
    if notes:
        lines += ["", "notes:", *notes]
    if write:
        lines.append("")
        lines += [f"wrote {file}" for file in written]
        lines += [f"skipped {file}: {why}" for file, why in skipped]
        if written:
            lines.append("Next: agree each theme at the previous QA meeting and edit it into its file (R2); "
                         "team managers add their nominations (R3).")
    if ics_file is not None:
        lines.append(f"wrote {ics_file}: {len(rows)} QA meetings")
    return "\n".join(lines)


def _notes(rows: list[PlanRow]) -> list[str]:
    """Why a meeting is not on the rule's day, and which files could not be read."""
    notes = []
    for row in rows:
        moved = row.planned.moved_from
        if moved is not None:
            what = (f"the rule's day, {short_day(moved)}, is {non_working(row.planned.reason)}; the meeting moves to "
                    f"{short_day(row.planned.meeting)}")
            if row.from_file:
                what += f" ({row.file} has {short_day(row.meeting)})"
            notes.append(f"  {row.planned.cycle}: {what}")
        elif row.from_file and row.meeting != row.planned.meeting:
            notes.append(f"  {row.planned.cycle}: {row.file} has the meeting on {short_day(row.meeting)}; "
                         f"the rule gives {short_day(row.planned.meeting)}")
        if row.status == "unreadable":
            notes.append(f"  {row.planned.cycle}: {row.file} cannot be read; run `ehqa validate {row.file}`")
    return notes
