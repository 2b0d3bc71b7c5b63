"""``ehqa followups``: what the framework still asks of people after an audit (R10–R20)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import as_of_option, format_option, repo_option


@click.command()
@repo_option
@as_of_option
@format_option("table", "json", "markdown", "github", github="for annotations on the audit's line")
@click.option("--fail-on", type=click.Choice(["overdue", "never"]), default="never", show_default=True,
              help="overdue: exit 1 when anything is overdue (the CI check).")
@click.option("--all", "show_all", is_flag=True, help="Include the obligations already done.")
def followups(repo: Path, as_of: date, output_format: str, fail_on: str, show_all: bool) -> None:
    """List every follow-up the audits create, with owner, due date, status and escalation.

    \b
    R11 tell the team manager of a safety concern (same day; overdue after a working day)
    R13 submit the audit by the cycle's due date
    R15 send the report to the manager and record the case note, after the QA meeting
    R16 alert the service manager of an Inadequate grade
    R17 agree SMART actions, record the supervision note, meet each action, review them
    R18 re-audit an Inadequate case 2-3 months later (a senior manager)
    R19 hold the reflective discussion before the next meeting
    R10, R12, R20 feedback to the previous practitioner, the Head of Service review,
                  feedback on the Early Help Assessment

    Overdue obligations escalate to the owner, then the owner's line manager, then
    senior management, by working days past due (timescales in qa.yaml).
    """
    from ehqa.reporting import followups as render
    from ehqa.rules.obligations import Status

    service, found = render.followups_of(repo, as_of)
    shown = found if show_all else [o for o in found if o.status is not Status.DONE]
    if output_format == "json":
        click.echo(render.as_json(shown))
    elif output_format == "markdown":
        click.echo(render.markdown(shown, service.staff, service.settings, as_of))
        click.echo(render.on_time_section(render.on_time_by_cycle(repo, service, as_of)))
    elif output_format == "github":
        text = render.github([o for o in shown if o.status is not Status.DONE], repo)
        if text:
            click.echo(text)
    else:
        click.echo(render.table(shown, service.staff, as_of, _coloured))
    overdue = any(o.status is Status.OVERDUE for o in found)
    sys.exit(1 if fail_on == "overdue" and overdue else 0)


def _coloured(text: str, status) -> str:
    """A status in its colour; click.echo strips the colour where the terminal has none."""
    from ehqa.rules.obligations import Status

    colour = {Status.OVERDUE: "red", Status.OPEN: "yellow", Status.DONE: "green"}[status]
    return click.style(text, fg=colour, bold=status is Status.OVERDUE)
