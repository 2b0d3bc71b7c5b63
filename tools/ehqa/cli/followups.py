"""`ehqa followups` and `ehqa reaudits`: what the framework still asks of people after an audit (R10–R20)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.options import as_of_option, cli, repo_option


def _obligations(repo: Path, as_of: date):
    from ehqa.load.repository import load_repository
    from ehqa.rules.obligations import Obligations

    loaded = load_repository(repo)
    try:
        return loaded.service, Obligations(loaded.service, as_of).all()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@repo_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown", "github"]),
              default="table", show_default=True,
              help="table for people; json for machines; markdown for an issue or job summary; "
                   "github for annotations on the audit's line.")
@click.option("--fail-on", type=click.Choice(["overdue", "never"]), default="never", show_default=True,
              help="overdue: exit 1 when anything is overdue (the CI check).")
@click.option("--all", "show_all", is_flag=True, help="Include the obligations already done.")
def followups(repo: Path, as_of: date | None, output_format: str, fail_on: str, show_all: bool) -> None:
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

    today = as_of or date.today()
    service, found = _obligations(repo, today)
    shown = found if show_all else [o for o in found if o.status is not Status.DONE]
    if output_format == "json":
        click.echo(render.as_json(shown))
    elif output_format == "markdown":
        click.echo(render.markdown(shown, service.staff, service.settings, today))
        click.echo(render.on_time_section(_on_time(repo, service, today)))
    elif output_format == "github":
        text = render.github([o for o in shown if o.status is not Status.DONE], repo)
        if text:
            click.echo(text)
    else:
        click.echo(render.table(shown, service.staff, today))
    overdue = any(o.status is Status.OVERDUE for o in found)
    sys.exit(1 if fail_on == "overdue" and overdue else 0)


@cli.command()
@repo_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people; json for machines.")
def reaudits(repo: Path, as_of: date | None, output_format: str) -> None:
    """List the re-audits due or overdue (R18), with their windows and the cycle they are planned in."""
    import json

    from ehqa.rules.obligations import Status

    today = as_of or date.today()
    service, found = _obligations(repo, today)
    planned = {n.reaudit_of: c.id for c in service.cycles.values() for n in c.nominations if n.reaudit_of}
    rows = [o for o in found if o.rule == "R18" and o.status is not Status.DONE]
    if output_format == "json":
        click.echo(json.dumps([o.as_json() | {"planned_in": planned.get(_key(o.audit))} for o in rows], indent=2))
        return
    if not rows:
        click.echo(f"no re-audits due or overdue as of {today}")
    for o in rows:
        where = f"planned in cycle {planned[_key(o.audit)]}" if _key(o.audit) in planned else "not yet nominated"
        late = f", {o.days_overdue} working days overdue" if o.days_overdue else ""
        click.echo(f"{o.status.value:<8} {_key(o.audit)}: window {o.window_start} to {o.due}{late}; {where}")


def _on_time(repo: Path, service, today: date) -> dict[str, tuple[int, int]]:
    """R13 per cycle, from Git landing dates when the settings say so (one `git log` pass)."""
    from ehqa.load.git_history import first_landed
    from ehqa.rules.timeliness import on_time_rate

    use_git = service.settings.timescales.submission_dates == "git"
    return on_time_rate(service, first_landed(repo) if use_git else None, as_of=today)


def _key(audit_path: str) -> str:
    """audits/YYYY-MM/<case>.yaml -> YYYY-MM/<case>"""
    return audit_path.removeprefix("audits/").removesuffix(".yaml")
