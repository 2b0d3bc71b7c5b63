"""``ehqa cycle``: the monthly cycle's calendar (R1, R2, R5, R7, R13).

Exit codes, as for every ehqa command: 0 done; 1 refused because of the repository's
state (the cycle file already exists, qa.yaml cannot be read); 2 a usage error — an
option that cannot be right (a meeting outside the cycle's month, on a day that is not a
working day, or too soon to send the allocations in time; an unknown learning theme).
The decisions and the files are ``repo_files.new_cycles``'s; what is shown ``reporting.cycle_plan``'s.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, ISO_DATE, YEAR, as_of_option, format_option, repo_option

THEME_SOURCES = ("previous-meeting", "serious-case-review", "performance-information", "earlier-audits", "other")


@click.group(name="cycle")
def cycle_group() -> None:
    """The monthly audit cycle (R1): create a cycle's file, or plan a year of QA meetings.

    Dates are counted back from the QA meeting by the timescales in qa.yaml and moved
    off weekends and bank holidays (service.bank_holidays; England by default).
    """


@cycle_group.command("new")
@click.argument("cycle_id", metavar="YYYY-MM", type=CYCLE_ID)
@click.option("--meeting", type=ISO_DATE, required=True, help="The date of the cycle's QA meeting (R1, R14).")
@click.option("--theme", required=True, help="The cycle's theme (R2), in a few words.")
@click.option("--source", type=click.Choice(THEME_SOURCES), default="previous-meeting", show_default=True,
              help="Where the theme came from (R2).")
@click.option("--learning-theme", "learning_themes", multiple=True, metavar="ID",
              help="A learning-theme id from qa.yaml that the theme covers; repeat the option for more. "
                   "Default: the learning themes --theme names, by id or title (\"Neglect\" is neglect).")
@click.option("--rationale", default=None, help="Why this theme was chosen (optional).")
@repo_option
@as_of_option
def new(cycle_id: str, meeting: date, theme: str, source: str, learning_themes: tuple[str, ...],
        rationale: str | None, repo: Path, as_of: date) -> None:
    """Write cycles/YYYY-MM.yaml for a new cycle, ready for the team managers' nominations.

    The allocations and audit due dates are derived from --meeting by qa.yaml's
    timescales and moved to the working day before when they fall on a weekend
    or bank holiday (R5, R13). The Perspective of Worker form is due
    worker_form_working_days (5) working days after the allocations go out (R7).
    It then says how many working days each party gets: team managers to
    nominate, practitioners for the worker form, auditors to audit, and the QA
    officer to prepare the meeting pack.

    \b
    Refuses, and writes nothing:
      - exit 1 when cycles/YYYY-MM.yaml already exists: a file people have
        edited is never overwritten;
      - exit 2 when the meeting is not in month YYYY-MM (R1), is not a working
        day, or is too soon for the allocations to reach the auditors at least
        allocation_lead_days (14) before it (R5) counting from --as-of; the
        message gives the earliest meeting date that leaves time;
      - exit 2 for a learning theme that is not in qa.yaml;
      - exit 2 when --learning-theme is not given and --theme names none of
        qa.yaml's learning themes: the message lists them. Without one, the
        cycle would be on no theme page of the learning site (R2).
    """
    from ehqa.repo_files.new_cycles import create_cycle
    from ehqa.reporting.cycle_plan import new_cycle_summary

    made = create_cycle(repo, cycle_id, meeting, theme, source, learning_themes, rationale, as_of)
    new = made.cycle
    click.echo(new_cycle_summary(made.file, new.meeting, new.dates, new.learning_themes, made.shares, made.calendar))


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
@format_option("text", "json")
def plan(year: int, rule: str | None, ics_file: Path | None, write: bool, repo: Path, as_of: date,
         output_format: str) -> None:
    """Propose the twelve cycles of YEAR (R1): each QA meeting and the dates derived from it.

    Meetings follow the rule; one that falls on a bank holiday moves to the next
    working day of the month (or the previous one, at a month's end), and the plan
    says why. Where cycles/YYYY-MM.yaml already exists, its meeting and dates are
    shown instead, and go into the calendar file.

    --ics writes an event per meeting, at qa.yaml's meeting.start (10:00 by
    default) for meeting.length_minutes (120), UK time (Europe/London), at
    meeting.place and/or meeting.online_link, blocking the diary. Each event's UID comes from the
    service's name and the cycle, so importing the file again updates the events
    rather than adding copies; its time stamp is --as-of, so the same inputs give
    the same file.

    --write creates each missing cycle file with the theme "To be agreed at the
    previous QA meeting" (source previous-meeting), for the QA officer to edit. It
    skips, and says so, files that exist and months whose allocations date has
    already passed (as of --as-of).
    """
    from ehqa.documents.meetings_ics import write_meetings_calendar
    from ehqa.repo_files.new_cycles import plan_cycles
    from ehqa.reporting.cycle_plan import meeting_events, plan_json, plan_text

    made = plan_cycles(repo, year, rule, as_of, write)
    if ics_file is not None:
        write_meetings_calendar(ics_file, made.settings.service_name, year, meeting_events(made.rows), as_of,
                                made.settings.meeting_details)
    if output_format == "json":
        click.echo(json.dumps(plan_json(year, made.rule, made.calendar, made.rows, made.written, made.skipped,
                                        ics_file), indent=2))
    else:
        click.echo(plan_text(year, made.rule, made.settings.service_name, made.calendar, made.rows, made.written,
                             made.skipped, ics_file, write))
