"""`ehqa cycle`: the monthly cycle's calendar (R1, R2, R5, R7, R13).

Exit codes, as for every ehqa command: 0 done; 1 refused because of the repository's
state (the cycle file already exists, qa.yaml cannot be read); 2 a usage error — an
option that cannot be right (a meeting outside the cycle's month, on a day that is not a
working day, or too soon to send the allocations in time; an unknown learning theme).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .options import as_of_option, cli, repo_option
from .types import CYCLE_ID, ISO_DATE, YEAR

if TYPE_CHECKING:
    from ..model import Cycle, Settings
    from ..plan.cycle_dates import CycleDates, PlannedMeeting
    from ..plan.working_days import WorkingCalendar

log = logging.getLogger("ehqa")

THEME_SOURCES = ("previous-meeting", "serious-case-review", "performance-information", "earlier-audits", "other")
PLACEHOLDER_THEME = "To be agreed at the previous QA meeting"


@cli.group(name="cycle")
def cycle_group() -> None:
    """The monthly audit cycle (R1): create a cycle's file, or plan a year of QA meetings.

    Dates are counted back from the QA meeting by the timescales in qa.yaml and moved
    off weekends and bank holidays (service.bank_holidays; England by default).
    """


# --- ehqa cycle new ---------------------------------------------------------------------


@cycle_group.command("new")
@click.argument("cycle_id", metavar="YYYY-MM", type=CYCLE_ID)
@click.option("--meeting", type=ISO_DATE, required=True, help="The date of the cycle's QA meeting (R1, R14).")
@click.option("--theme", required=True, help="The cycle's theme (R2), in a few words.")
@click.option("--source", type=click.Choice(THEME_SOURCES), default="previous-meeting", show_default=True,
              help="Where the theme came from (R2).")
@click.option("--learning-theme", "learning_themes", multiple=True, metavar="ID",
              help="A learning-theme id from qa.yaml that the theme covers; repeat the option for more.")
@click.option("--rationale", default=None, help="Why this theme was chosen (optional).")
@repo_option
@as_of_option
def new(cycle_id: str, meeting: date, theme: str, source: str, learning_themes: tuple[str, ...],
        rationale: str | None, repo: Path, as_of: date | None) -> None:
    """Write cycles/YYYY-MM.yaml for a new cycle, ready for the team managers' nominations.

    The allocations, Perspective of Worker form and audit due dates are derived
    from --meeting by qa.yaml's timescales and moved to the working day before
    when they fall on a weekend or bank holiday (R5, R7, R13).

    \b
    Refuses, and writes nothing:
      - exit 1 when cycles/YYYY-MM.yaml already exists: a file people have
        edited is never overwritten;
      - exit 2 when the meeting is not in month YYYY-MM (R1), is not a working
        day, or is too soon for the allocations to reach the auditors at least
        allocation_lead_days (14) before it (R5) counting from --as-of; the
        message gives the earliest meeting date that leaves time;
      - exit 2 for a learning theme that is not in qa.yaml.
    """
    from ..render.cycle_file import NewCycle, new_cycle_text

    settings = _load_settings(repo)
    calendar = _calendar(settings)
    relative = f"cycles/{cycle_id}.yaml"
    target = repo / relative
    if target.exists():
        raise click.ClickException(
            f"{relative} already exists, and ehqa never overwrites a cycle file: edit it by hand, "
            "or delete it yourself first if you mean to start the cycle again"
        )
    title = " ".join(theme.split())
    if not 1 <= len(title) <= 200:
        raise click.BadParameter("the theme is a few words: between 1 and 200 characters", param_hint="--theme")
    if meeting.strftime("%Y-%m") != cycle_id:
        raise click.BadParameter(
            f"{meeting} is not in {cycle_id}: each cycle's QA meeting is in its own month (R1)",
            param_hint="--meeting",
        )
    reason = calendar.non_working_reason(meeting)
    if reason is not None:
        before, after = calendar.previous_working_day(meeting), calendar.next_working_day(meeting)
        raise click.BadParameter(
            f"{meeting} is {_a(reason)}, not a working day; the nearest working days are "
            f"{_day(before)} and {_day(after)}",
            param_hint="--meeting",
        )
    unknown = [t for t in learning_themes if t not in settings.theme_ids]
    if unknown:
        known = ", ".join(t.id for t in settings.learning_themes)
        raise click.BadParameter(
            f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in qa.yaml's learning_themes "
            f"(known: {known})",
            param_hint="--learning-theme",
        )
    dates = _derive(meeting, settings, calendar)
    today = as_of or date.today()
    if dates.allocations_by < today:
        raise click.BadParameter(_too_soon(meeting, dates, today, settings, calendar), param_hint="--meeting")

    text = new_cycle_text(
        NewCycle(
            cycle=cycle_id,
            theme_title=title,
            theme_source=source,
            meeting=meeting,
            dates=dates,
            learning_themes=tuple(dict.fromkeys(learning_themes)),
            rationale=" ".join(rationale.split()) if rationale and rationale.strip() else None,
        ),
        settings.timescales.allocation_lead_days,
    )
    _create(target, text)
    log.info("wrote %s", target)
    click.echo(f"wrote {relative}")
    for label, day in (("QA meeting", meeting), ("allocations by", dates.allocations_by),
                       ("worker forms due", dates.worker_forms_due), ("audits due", dates.audits_due)):
        click.echo(f"  {label:<17} {_day(day)}")
    click.echo("Next: team managers add their nominations to the file (R3), then run `ehqa validate`.")


def _too_soon(meeting: date, dates: CycleDates, today: date, settings: Settings, calendar: WorkingCalendar) -> str:
    lead = settings.timescales.allocation_lead_days
    late = (today - dates.allocations_by).days
    message = (
        f"a QA meeting on {meeting} is too soon: its allocations would have to reach the auditors by "
        f"{dates.allocations_by}, {late} day{'s' if late != 1 else ''} before today ({today}), and R5 gives "
        f"them at least {lead} days before the meeting"
    )
    found = _earliest_meeting(today, settings, calendar)
    if found is None:
        return message
    earliest, allocations = found
    where = "" if earliest.strftime("%Y-%m") == meeting.strftime("%Y-%m") else f", in cycle {earliest:%Y-%m}"
    return f"{message}. The earliest meeting that leaves time is {_day(earliest)}{where} (allocations by {allocations})"


def _earliest_meeting(today: date, settings: Settings, calendar: WorkingCalendar) -> tuple[date, date] | None:
    """The first working day, as a meeting, whose derived allocations date is not before today,
    with that date; None when none within a year works (timescales that contradict each other)."""
    from ..plan.cycle_dates import derive_dates

    day = today + timedelta(days=settings.timescales.allocation_lead_days)
    for _ in range(366):
        if calendar.is_working_day(day):
            try:
                allocations = derive_dates(day, settings, calendar).allocations_by
            except ValueError:
                allocations = None
            if allocations is not None and allocations >= today:
                return day, allocations
        day += timedelta(days=1)
    return None


# --- ehqa cycle plan --------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One month of the plan: the meeting by the rule, or the one in an existing cycle file."""

    planned: PlannedMeeting
    meeting: date
    dates: CycleDates
    file: str  # cycles/YYYY-MM.yaml
    status: str  # new | exists | unreadable | too-late
    theme: str | None = None  # from an existing file

    @property
    def from_file(self) -> bool:
        return self.status == "exists"


@cycle_group.command("plan")
@click.argument("year", type=YEAR)
@click.option("--rule", default=None,
              help="When in the month the meeting falls, such as 'third Tuesday' or 'last Thursday'. "
                   "Default: meeting.rule in qa.yaml (third Tuesday when it is not set).")
@click.option("--ics", "ics_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the twelve QA meetings to this iCalendar file, to import into a calendar.")
@click.option("--write", is_flag=True,
              help="Create the cycle files that do not exist yet, with a theme to be agreed; "
                   "existing files are never touched.")
@repo_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json for machines.")
def plan(year: int, rule: str | None, ics_file: Path | None, write: bool, repo: Path, as_of: date | None,
         output_format: str) -> None:
    """Propose the twelve cycles of YEAR (R1): each QA meeting and the dates derived from it.

    Meetings follow the rule; one that falls on a bank holiday moves to the next
    working day of the month (or the previous one, at a month's end), and the plan
    says why. Where cycles/YYYY-MM.yaml already exists, its meeting and dates are
    shown instead, and go into the calendar file.

    --ics writes an all-day event per meeting. Each event's UID comes from the
    service's name and the cycle, so importing the file again updates the events
    rather than adding copies; its time stamp is --as-of, so the same inputs give
    the same file.

    --write creates each missing cycle file with the theme "To be agreed at the
    previous QA meeting" (source previous-meeting), for the QA officer to edit. It
    skips, and says so, files that exist and months whose allocations date has
    already passed (as of --as-of).
    """
    from ..plan.cycle_dates import CycleDates, parse_meeting_rule, plan_year

    settings = _load_settings(repo)
    calendar = _calendar(settings)
    today = as_of or date.today()
    if rule is not None:
        try:
            meeting_rule = parse_meeting_rule(rule)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--rule") from None
    else:
        try:
            meeting_rule = parse_meeting_rule(settings.meeting_rule)
        except ValueError as exc:
            raise click.ClickException(f"qa.yaml, meeting.rule: {exc}") from None

    rows: list[_Row] = []
    for planned in plan_year(year, meeting_rule, calendar):
        relative = f"cycles/{planned.cycle}.yaml"
        existing, status = _existing_cycle(repo, relative, settings)
        if existing is not None:
            dates = CycleDates(existing.allocations_by, existing.worker_forms_due, existing.audits_due)
            rows.append(_Row(planned, existing.meeting, dates, relative, "exists", existing.theme_title))
            continue
        dates = _derive(planned.meeting, settings, calendar)
        if status is None:
            status = "too-late" if dates.allocations_by < today else "new"
        rows.append(_Row(planned, planned.meeting, dates, relative, status))

    written: list[str] = []
    skipped: list[tuple[str, str]] = []
    if write:
        written, skipped = _write_missing(repo, rows, settings, today)
    if ics_file is not None:
        from ..atomic import write_atomic
        from ..render.meetings_ics import meetings_calendar

        try:
            write_atomic(ics_file, meetings_calendar(settings.service_name, year, _ics_events(rows), today))
        except OSError as exc:
            raise click.ClickException(f"cannot write {ics_file}: {exc.strerror or exc}") from None
        log.info("wrote %s", ics_file)

    if output_format == "json":
        click.echo(json.dumps(_as_json(year, meeting_rule, calendar, rows, written, skipped, ics_file), indent=2))
    else:
        _print_plan(year, meeting_rule, settings, calendar, rows, written, skipped, ics_file, write)


def _existing_cycle(repo: Path, relative: str, settings: Settings) -> tuple[Cycle | None, str | None]:
    """The cycle file's record when it exists and reads cleanly; else None and why ("unreadable"), or None, None."""
    from ..load.repository import load_single

    if not (repo / relative).exists():
        return None, None
    record, findings = load_single(repo, relative, max_bytes=settings.max_file_bytes)
    if record is None:
        log.warning("%s cannot be read (%s); run `ehqa validate %s`", relative,
                    findings[0].message if findings else "unknown problem", relative)
        return None, "unreadable"
    return record, None


def _write_missing(
    repo: Path, rows: list[_Row], settings: Settings, today: date
) -> tuple[list[str], list[tuple[str, str]]]:
    from ..render.cycle_file import NewCycle, new_cycle_text

    written: list[str] = []
    skipped: list[tuple[str, str]] = []
    for row in rows:
        if row.status in ("exists", "unreadable"):
            skipped.append((row.file, "it exists, and ehqa never overwrites a cycle file"))
            continue
        if row.status == "too-late":
            skipped.append((row.file, f"its allocations would have been due by {row.dates.allocations_by}, "
                                      f"before today ({today})"))
            continue
        text = new_cycle_text(
            NewCycle(row.planned.cycle, PLACEHOLDER_THEME, "previous-meeting", row.meeting, row.dates),
            settings.timescales.allocation_lead_days,
            written_by="ehqa cycle plan --write",
        )
        try:
            _create(repo / row.file, text)
        except click.ClickException:  # created by someone else since we looked
            skipped.append((row.file, "it exists, and ehqa never overwrites a cycle file"))
            continue
        log.info("wrote %s", row.file)
        written.append(row.file)
    return written, skipped


def _ics_events(rows: list[_Row]) -> list[dict[str, Any]]:
    events = []
    for row in rows:
        lines = [f"The QA meeting of audit cycle {row.planned.cycle}, which discusses the cycle's audits (R14)."]
        if row.theme:
            lines.append(f"Theme: {row.theme}.")
        lines.append(f"Allocations reach the auditors by {_day(row.dates.allocations_by)} (R5).")
        lines.append(f"Perspective of Worker forms are due by {_day(row.dates.worker_forms_due)} (R7).")
        lines.append(f"Audits are due by {_day(row.dates.audits_due)} (R13).")
        if row.planned.moved_from and not row.from_file:
            lines.append(f"Moved from {_day(row.planned.moved_from)}: {row.planned.reason}.")
        events.append({"cycle": row.planned.cycle, "meeting": row.meeting, "description": "\n".join(lines)})
    return events


def _as_json(year: int, rule, calendar: WorkingCalendar, rows: list[_Row], written: list[str],
             skipped: list[tuple[str, str]], ics_file: Path | None) -> dict[str, Any]:
    return {
        "year": year,
        "rule": str(rule),
        "bank_holidays": _place(calendar),
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


_STATUS = {"new": "new", "exists": "exists", "unreadable": "exists, unreadable", "too-late": "too late"}


def _print_plan(year: int, rule, settings: Settings, calendar: WorkingCalendar, rows: list[_Row], written: list[str],
                skipped: list[tuple[str, str]], ics_file: Path | None, write: bool) -> None:
    click.echo(f"QA meetings for {year}, {settings.service_name}")
    click.echo(f"rule: the {rule} of each month; bank holidays of {_place(calendar)}")
    click.echo("")
    click.echo(f"{'cycle':<8} {'QA meeting':<15} {'allocations by':<15} {'worker forms due':<17} "
               f"{'audits due':<15} file")
    for row in rows:
        click.echo(f"{row.planned.cycle:<8} {_day(row.meeting):<15} {_day(row.dates.allocations_by):<15} "
                   f"{_day(row.dates.worker_forms_due):<17} {_day(row.dates.audits_due):<15} {_STATUS[row.status]}")
    notes = []
    for row in rows:
        moved = row.planned.moved_from
        if moved is not None:
            what = (f"the rule's day, {_day(moved)}, is {_a(row.planned.reason)}; the meeting moves to "
                    f"{_day(row.planned.meeting)}")
            if row.from_file:
                what += f" ({row.file} has {_day(row.meeting)})"
            notes.append(f"  {row.planned.cycle}: {what}")
        elif row.from_file and row.meeting != row.planned.meeting:
            notes.append(f"  {row.planned.cycle}: {row.file} has the meeting on {_day(row.meeting)}; "
                         f"the rule gives {_day(row.planned.meeting)}")
        if row.status == "unreadable":
            notes.append(f"  {row.planned.cycle}: {row.file} cannot be read; run `ehqa validate {row.file}`")
    if notes:
        click.echo("")
        click.echo("notes:")
        for note in notes:
            click.echo(note)
    if write:
        click.echo("")
        for file in written:
            click.echo(f"wrote {file}")
        for file, why in skipped:
            click.echo(f"skipped {file}: {why}")
        if written:
            click.echo("Next: agree each theme at the previous QA meeting and edit it into its file (R2); "
                       "team managers add their nominations (R3).")
    if ics_file is not None:
        click.echo(f"wrote {ics_file}: {len(rows)} QA meetings")


# --- shared -----------------------------------------------------------------------------


def _load_settings(repo: Path) -> Settings:
    """qa.yaml, read as ``ehqa validate`` reads it. Exit 1 when it cannot be read cleanly."""
    from ..load.repository import SETTINGS_FILE, load_single
    from ..load.schema_check import SchemaError

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


def _calendar(settings: Settings) -> WorkingCalendar:
    from ..plan.working_days import calendar_for

    try:
        return calendar_for(settings)
    except ValueError as exc:
        raise click.ClickException(f"qa.yaml, service.bank_holidays: {exc}") from None


def _derive(meeting: date, settings: Settings, calendar: WorkingCalendar) -> CycleDates:
    """The cycle's dates; exit 1 when qa.yaml's timescales cannot give coherent ones."""
    from ..plan.cycle_dates import derive_dates

    try:
        return derive_dates(meeting, settings, calendar)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _create(target: Path, text: str) -> None:
    """Write a new file atomically; refuse (exit 1) when it exists."""
    from ..atomic import write_atomic

    if target.exists():
        raise click.ClickException(f"{target} already exists, and ehqa never overwrites a cycle file")
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None


def _place(calendar: WorkingCalendar) -> str:
    return calendar.country + (f"-{calendar.subdivision}" if calendar.subdivision else "")


def _day(day: date) -> str:
    """``Tue 2026-11-17``: the ISO date people type, with the weekday they check it by (never the locale's)."""
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[day.weekday()]} {day.isoformat()}"


def _a(reason: str | None) -> str:
    """"Christmas Day" stays as it is; a weekday becomes "a Saturday"."""
    if reason in ("Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        return f"a {reason}"
    return f"{reason}, a bank holiday"
