"""``ehqa allocate``: the monthly draw (R4–R6, R18)."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, as_of_option, format_option, repo_option


@click.command()
@click.argument("cycle", type=CYCLE_ID)
@click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=None,
              help="The random seed. Without it a fresh one is drawn; either way it is recorded in the file.")
@click.option("--dry-run", is_flag=True, help="Show the allocation; write nothing.")
@click.option("--force", is_flag=True,
              help="Replace the cycle's allocation, which has gone out: needs --reason, which the file records.")
@click.option("--reason", default=None, metavar="TEXT",
              help="With --force: why the cycle is drawn again (one line, up to 300 characters; recorded in the "
                   "allocation file under `reallocated`, with the seed and date of the draw it replaces).")
@click.option("--late-reason", default=None, metavar="TEXT",
              help="Why the allocation goes out after the cycle's allocations_by date, fewer than 14 days "
                   "(allocation_lead_days) before the meeting (R5). Without it a late draw is refused; with it "
                   "the file records it under `late_reason`, and validate accepts the date.")
@click.option("--partial", is_flag=True,
              help="Write the allocation even when some cases cannot be covered (they are listed as unallocated).")
@format_option("text", "json")
@repo_option
@as_of_option
def allocate(cycle: str, seed: int | None, dry_run: bool, force: bool, reason: str | None, late_reason: str | None,
             partial: bool, output_format: str, repo: Path, as_of: date) -> None:
    """Pair the cycle's auditors at random and give each pair two cases (R4).

    \b
    Hard constraints, never broken:
      - R6: nobody audits a case they work or one in their line-management chain;
        a team manager never audits their own team's cases (and, with
        allocation.exclude_own_team, nobody audits their own team's);
      - only auditors in the pool, free of absences over the audit window;
      - R18: a re-audit due this cycle goes to one senior manager;
      - no pair holds a line manager and their direct report (unless
        allocation.pair_line_managers).
    Soft goals, in order: those who audited least recently go first; no pair
    repeats within allocation.pair_repeat_lookback_cycles; never two
    practitioner-grade auditors together.

    \b
    Odd numbers: when the number of cases is odd, one pair takes a single case
    (more only when conflicts leave a case no partner); auditors not needed sit
    out, and go first next time.

    The allocation is written to cycles/CYCLE.allocation.yaml with its seed, so
    that the same inputs and seed give the same draw. The draw is complete: it
    finds an allocation of every case whenever one exists (docs/allocation.md).
    Exits 1, naming each case and why, when some cases cannot be covered;
    --partial writes the rest anyway.

    \b
    R18: a re-audit due by the end of the cycle's audit period that no cycle
    nominates stops the draw, which names it: nominate it, then draw again.
    R5: a draw after the cycle's allocations_by date is late: it is refused
    (exit 1, nothing written) unless --late-reason says why (a re-draw's
    --reason does too); --dry-run warns and shows the draw.

    \b
    Once written, an allocation has gone out: its `allocated` date is the day it
    was made and sent to the auditors (R5). So a cycle whose allocation file
    exists (in the working tree, or in the last commit when the file has been
    deleted) is drawn again only with --force and a --reason, which the new file
    records under `reallocated`, with the seed and date of the draw it replaces,
    so that a re-draw is never silent (R4). The first write is exclusive: it
    never replaces a file that appeared while the draw ran.
    """
    from ehqa.plan.allocation import allocate as draw
    from ehqa.plan.allocation import soft_goals
    from ehqa.repo_files.allocation_file import (
        draw_request,
        late_reason_text,
        lateness,
        redraw_reason,
        write_allocation,
    )
    from ehqa.reporting.allocation import allocation_text

    reason = redraw_reason(reason, force)
    late_reason = late_reason_text(late_reason)
    seed = secrets.randbelow(2**31) if seed is None else seed
    request, previous = draw_request(repo, cycle, as_of, seed, dry_run=dry_run, force=force, reason=reason)
    late = lateness(request)
    late_reason = late_reason or reason  # a re-draw's reason says why it goes out late too
    if late and not late_reason:
        click.echo(f"warning: {late}. Pass --late-reason \"why\" to send it anyway; the file records it", err=True)
        if not dry_run:  # a dry run writes nothing, so it still shows the draw
            click.echo("nothing written", err=True)
            sys.exit(1)
    result = draw(request)
    if output_format == "json":
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        click.echo(allocation_text(result, soft_goals(result, request), request.staff))
        for item in result.unallocated:
            click.echo(f"unallocated: {item.reason}", err=True)
    if not dry_run and (result.complete or partial):
        written = write_allocation(repo, result, as_of, previous, reason, late_reason if late else None)
        if output_format == "text":
            click.echo(f"wrote {written}")
    elif not dry_run and output_format == "text":
        click.echo("nothing written: pass --partial to write the cases that could be allocated", err=True)
    sys.exit(0 if result.complete else 1)
