"""`ehqa cycle`: the monthly cycle's calendar (R1, R2, R5, R7, R13).

Exit codes, as for every ehqa command: 0 done; 1 refused because of the repository's
state (the cycle file already exists, qa.yaml cannot be read); 2 a usage error — an
option that cannot be right (a meeting outside the cycle's month, on a day that is not a
working day, or too soon to send the allocations in time; an unknown learning theme).

A thin layer: the decisions are in ``plan.cycle_plan``, what is shown and written in
``reporting.cycle_plan`` and ``repo_files.cycle_file``, the reading and writing in ``cycle_files``.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ehqa.cli.cycle_files import create_cycle_file, existing_cycle, load_settings, working_calendar, write_missing
from ehqa.cli.options import as_of_option, cli, repo_option
from ehqa.cli.types import CYCLE_ID, ISO_DATE, YEAR

if TYPE_CHECKING:
    from ehqa.plan.cycle_plan import OptionProblem, PlanRow

log = logging.getLogger("ehqa")

THEME_SOURCES = ("previous-meeting", "serious-case-review", "performance-information", "earlier-audits", "other")


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
    from ehqa.layout import cycle_path
    from ehqa.model.cycle_dates import derive_dates
    from ehqa.plan.cycle_plan import new_cycle_problem, too_soon
    from ehqa.repo_files.cycle_file import NewCycle, new_cycle_text
    from ehqa.reporting.cycle_plan import new_cycle_summary

    settings = load_settings(repo)
    calendar = working_calendar(settings)
    relative = cycle_path(cycle_id)
    target = repo / relative
    if target.exists():
        raise click.ClickException(
            f"{relative} already exists, and ehqa never overwrites a cycle file: edit it by hand, "
            "or delete it yourself first if you mean to start the cycle again"
        )
    title = " ".join(theme.split())
    _refuse(new_cycle_problem(cycle_id, meeting, title, learning_themes, settings, calendar))
    try:
        dates = derive_dates(meeting, settings, calendar)
    except ValueError as exc:  # qa.yaml's timescales cannot give coherent dates
        raise click.ClickException(str(exc)) from None
    _refuse(too_soon(meeting, dates, as_of or date.today(), settings, calendar))

    new_cycle = NewCycle(
        cycle=cycle_id,
        theme_title=title,
        theme_source=source,
        meeting=meeting,
        dates=dates,
        learning_themes=tuple(dict.fromkeys(learning_themes)),
        rationale=" ".join(rationale.split()) if rationale and rationale.strip() else None,
    )
    create_cycle_file(target, new_cycle_text(new_cycle, settings.timescales.allocation_lead_days))
    log.info("wrote %s", target)
    click.echo(new_cycle_summary(relative, meeting, dates))


# --- ehqa cycle plan --------------------------------------------------------------------


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
    from ehqa.atomic import write_atomic
    from ehqa.documents.meetings_ics import meetings_calendar
    from ehqa.model.cycle_dates import parse_meeting_rule, plan_year
    from ehqa.plan.cycle_plan import cycle_file, plan_row
    from ehqa.reporting.cycle_plan import meeting_events, plan_json, plan_text

    settings = load_settings(repo)
    calendar = working_calendar(settings)
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

    rows: list[PlanRow] = []
    for planned in plan_year(year, meeting_rule, calendar):
        existing, unreadable = existing_cycle(repo, cycle_file(planned.cycle), settings)
        try:
            rows.append(plan_row(planned, existing, unreadable, settings, calendar, today))
        except ValueError as exc:  # qa.yaml's timescales cannot give coherent dates
            raise click.ClickException(str(exc)) from None

    written, skipped = write_missing(repo, rows, settings, today) if write else ([], [])
    if ics_file is not None:
        try:
            write_atomic(ics_file, meetings_calendar(settings.service_name, year, meeting_events(rows), today))
        except OSError as exc:
            raise click.ClickException(f"cannot write {ics_file}: {exc.strerror or exc}") from None
        log.info("wrote %s", ics_file)

    if output_format == "json":
        click.echo(json.dumps(plan_json(year, meeting_rule, calendar, rows, written, skipped, ics_file), indent=2))
    else:
        click.echo(plan_text(year, meeting_rule, settings.service_name, calendar, rows, written, skipped, ics_file,
                             write))


def _refuse(problem: OptionProblem | None) -> None:
    """A problem with an option is a usage error (exit 2)."""
    if problem is not None:
        raise click.BadParameter(problem.message, param_hint=problem.option)
