"""Follow-up obligations as text: a table for people, Markdown for an issue or job summary,
GitHub annotations on the audit's line, or JSON; and the re-audits due (R18). Each function returns the
text; the CLI prints it.

``followups_of`` reads the repository through the one loader and derives the obligations
(``rules.obligations``); a service whose qa.yaml or staff.yaml does not load stops it (``DataError``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Callable

from ehqa.errors import DataError
from ehqa.layout import audit_key
from ehqa.load.strict_yaml import locate
from ehqa.model import Service, Settings, StaffDirectory
from ehqa.reporting import regular_file_bytes
from ehqa.reporting.annotations import annotation
from ehqa.reporting.markdown import inert
from ehqa.rules.obligations import Obligation, Obligations, Status

# How the table shows a status: the command line colours it (click.style); plain text by default.
Styler = Callable[[str, Status], str]


def followups_of(repo: Path, as_of: date) -> tuple[Service, list[Obligation]]:
    """The service and every follow-up obligation its audits create, as of ``as_of``."""
    from ehqa.load.repository import load_repository

    loaded = load_repository(repo)
    try:
        return loaded.service, Obligations(loaded.service, as_of).all()
    except ValueError as exc:  # qa.yaml or staff.yaml did not load, or their bank holidays are unknown
        raise DataError(str(exc)) from None


def on_time_by_cycle(repo: Path, service: Service, as_of: date) -> dict[str, tuple[int, int]]:
    """R13 per cycle, from Git landing dates when the settings say so (one `git log` pass)."""
    from ehqa.load.git_history import first_landed
    from ehqa.rules.timeliness import on_time_rate

    use_git = service.settings.timescales.submission_dates == "git"
    return on_time_rate(service, first_landed(repo) if use_git else None, as_of=as_of)


def _who(staff: StaffDirectory, who: str | None) -> str:
    person = staff.get(who) if who else None
    return f"{person.name} ({person.id})" if person else (who or "")


def table(obligations: list[Obligation], staff: StaffDirectory, as_of: date,
          style: Styler = lambda text, status: text) -> str:
    """One line per obligation, most overdue first, each status shown through ``style``."""
    if not obligations:
        return f"nothing open or overdue as of {as_of}"
    lines = []
    for o in sorted(obligations, key=lambda o: (-o.days_overdue, o.due, o.audit)):
        status = style(f"{o.status.value:<8}", o.status)
        late = f"{o.days_overdue:>4} wd" if o.days_overdue else "      "
        window = f"{o.window_start}..{o.due}" if o.window_start else f"{o.due}"
        lines.append(f"{status} {late}  {o.rule:<4} {window:<22} {o.audit}  {o.what}  "
                     f"[owner: {_who(staff, o.owner) or o.owner_role}"
                     + (f"; escalate to {_who(staff, o.escalate_to)}" if o.escalate_to else "") + "]")
    overdue = sum(1 for o in obligations if o.status is Status.OVERDUE)
    lines.append(f"{len(obligations)} follow-ups, {overdue} overdue, as of {as_of} (wd = working days)")
    return "\n".join(lines)


def as_json(obligations: list[Obligation]) -> str:
    return json.dumps([o.as_json() for o in obligations], indent=2, ensure_ascii=False)


def markdown(obligations: list[Obligation], staff: StaffDirectory, settings: Settings, as_of: date) -> str:
    """Grouped by how overdue (senior management, line manager, owner, not yet due), then by owner."""
    times = settings.timescales
    senior, line = (times.escalate_to_senior_management_after_working_days,
                    times.escalate_to_line_manager_after_working_days)
    bands = [
        (f"More than {senior} working days overdue: escalated to senior management (R17)",
         lambda o: o.days_overdue > senior),
        (f"More than {line} working days overdue: escalated to the owner's line manager",
         lambda o: line < o.days_overdue <= senior),
        ("Overdue", lambda o: 0 < o.days_overdue <= line),
        ("Open, not yet due", lambda o: o.status is Status.OPEN),
    ]
    overdue = sum(1 for o in obligations if o.status is Status.OVERDUE)
    out = [f"## Follow-ups as of {as_of}", "",
           f"{overdue} overdue and {len(obligations) - overdue} open follow-up obligations (R10–R20).", ""]
    for title, belongs in bands:
        chosen = [o for o in obligations if belongs(o)]
        if not chosen:
            continue
        out += [f"### {title} ({len(chosen)})", ""]
        by_owner: dict[str, list[Obligation]] = defaultdict(list)
        for o in chosen:
            by_owner[_who(staff, o.owner) or o.owner_role].append(o)
        for owner in sorted(by_owner):
            out += [f"**{inert(owner)}**", "", "| rule | audit | what | due | working days overdue | escalate to |",
                    "| --- | --- | --- | --- | ---: | --- |"]
            for o in sorted(by_owner[owner], key=lambda o: (-o.days_overdue, o.due)):
                # Everything quoted from the data goes through inert(): an issue is no place for a
                # SMART action's text to notify a team, link out or break the table (issue 9).
                out.append(f"| {inert(o.rule)} | {inert(o.audit)} | {inert(o.what)} | {o.due} | {o.days_overdue} | "
                           f"{inert(_who(staff, o.escalate_to))} |")
            out.append("")
    return "\n".join(out)


def on_time_section(rates: dict[str, tuple[int, int]], cycles: int = 6) -> str:
    """R13: audits submitted by their cycle's due date, for the most recent cycles."""
    recent = list(rates.items())[-cycles:]
    if not recent:
        return ""
    out = ["### Audits submitted on time (R13)", "", "| cycle | on time | due | share |",
           "| --- | ---: | ---: | ---: |"]
    for cycle_id, (on_time, total) in recent:
        out.append(f"| {inert(cycle_id)} | {on_time} | {total} | {100 * on_time / total:.0f}% |")
    return "\n".join(out) + "\n"


def github(obligations: list[Obligation], root: Path) -> str:
    """Workflow annotations on the line each obligation hangs on: warnings when overdue, notices when open."""
    cache: dict[str, bytes] = {}
    lines = []
    for o in obligations:
        if o.file not in cache:
            cache[o.file] = regular_file_bytes(root / o.file)
        line, _ = locate(cache[o.file], o.where) if cache[o.file] else (1, 1)
        level = "warning" if o.status is Status.OVERDUE else "notice"
        late = f", {o.days_overdue} working days overdue" if o.days_overdue else ""
        message = f"{o.what} (due {o.due}{late}; owner {o.owner or o.owner_role})"
        lines.append(annotation(level, message, file=o.file, line=line, title=f"{o.rule} follow-up"))
    return "\n".join(lines)


def reaudits_due(obligations: list[Obligation], service: Service) -> list[tuple[Obligation, str | None]]:
    """The re-audits due or overdue (R18), each with the cycle it is planned in (None when not yet nominated)."""
    planned = {n.reaudit_of: c.id for c in service.cycles.values() for n in c.nominations if n.reaudit_of}
    return [(o, planned.get(audit_key(o.audit))) for o in obligations if o.rule == "R18" and o.status is not Status.DONE]


def reaudits_json(rows: list[tuple[Obligation, str | None]]) -> str:
    return json.dumps([o.as_json() | {"planned_in": planned_in} for o, planned_in in rows], indent=2)


def reaudits_text(rows: list[tuple[Obligation, str | None]], as_of: date) -> str:
    if not rows:
        return f"no re-audits due or overdue as of {as_of}"
    lines = []
    for o, planned_in in rows:
        where = f"planned in cycle {planned_in}" if planned_in else "not yet nominated"
        late = f", {o.days_overdue} working days overdue" if o.days_overdue else ""
        lines.append(f"{o.status.value:<8} {audit_key(o.audit)}: window {o.window_start} to {o.due}{late}; {where}")
    return "\n".join(lines)
