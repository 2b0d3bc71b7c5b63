"""`ehqa allocate`: the monthly draw (R4–R6, R18)."""

from __future__ import annotations

import json
import logging
import secrets
import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.options import as_of_option, cli, repo_option
from ehqa.cli.types import CYCLE_ID

log = logging.getLogger("ehqa")


@cli.command()
@click.argument("cycle", type=CYCLE_ID)
@click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=None,
              help="The random seed. Without it a fresh one is drawn; either way it is recorded in the file.")
@click.option("--dry-run", is_flag=True, help="Show the allocation; write nothing.")
@click.option("--force", is_flag=True,
              help="Replace the cycle's allocation, which has gone out: needs --reason, which the file records.")
@click.option("--reason", default=None, metavar="TEXT",
              help="With --force: why the cycle is drawn again (one line, up to 300 characters; recorded in the "
                   "allocation file under `reallocated`, with the seed and date of the draw it replaces).")
@click.option("--partial", is_flag=True,
              help="Write the allocation even when some cases cannot be covered (they are listed as unallocated).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json for machines.")
@repo_option
@as_of_option
def allocate(cycle: str, seed: int | None, dry_run: bool, force: bool, reason: str | None, partial: bool,
             output_format: str, repo: Path, as_of: date | None) -> None:
    """Pair the cycle's auditors at random and give each pair two cases (R4).

    \b
    Hard constraints, never broken:
      - R6: nobody audits a case they work or one in their line-management chain;
        a team manager never audits their own team's cases (and, with
        allocation.exclude_own_team, nobody audits their own team's);
      - only auditors in the pool, free of absences over the audit window;
      - R18: a re-audit due this cycle goes to one senior manager.
    Soft goals, in order: those who audited least recently go first; no pair
    repeats within allocation.pair_repeat_lookback_cycles; never two
    practitioner-grade auditors together.

    \b
    Odd numbers: when the number of cases is odd, one pair takes a single case
    (more only when conflicts leave a case no partner); auditors not needed sit
    out, and go first next time.

    The allocation is written to cycles/CYCLE.allocation.yaml with its seed, so
    that the same inputs and seed give the same draw. Exits 1, naming each case
    and why, when some cases cannot be covered; --partial writes the rest anyway.

    \b
    Once written, an allocation has gone out: its `allocated` date is the day it
    was made and sent to the auditors (R5). So a cycle whose allocation file
    exists (in the working tree, or in the last commit when the file has been
    deleted) is drawn again only with --force and a --reason, which the new file
    records under `reallocated`, with the seed and date of the draw it replaces,
    so that a re-draw is never silent (R4). The first write is exclusive: it
    never replaces a file that appeared while the draw ran.
    """
    from ehqa.atomic import write_atomic
    from ehqa.load.repository import load_repository
    from ehqa.plan.allocation import AllocationRequest, soft_goals
    from ehqa.plan.allocation import allocate as draw
    from ehqa.repo_files.allocation_file import allocation_document, redraw_history

    reason = _reason(reason, force)
    loaded = load_repository(repo)
    service = loaded.service
    blocking = [f for f in loaded.findings if f.file in ("qa.yaml", "staff.yaml", f"cycles/{cycle}.yaml")]
    if blocking or service.settings is None or service.staff is None:
        raise click.ClickException(f"{len(blocking) or 'some'} problems in qa.yaml, staff.yaml or cycles/{cycle}.yaml "
                                   "stop the draw: run `ehqa validate` and fix them first")
    if cycle not in service.cycles:
        raise click.ClickException(f"there is no cycle {cycle}: create cycles/{cycle}.yaml first (`ehqa cycle new`)")
    relative = f"cycles/{cycle}.allocation.yaml"
    target = repo / relative
    previous = _gone_out(repo, relative)
    if previous is not None and not dry_run:
        when = f" on {previous.allocated}" if previous.allocated else ""
        if not force:
            raise click.ClickException(f"{relative} exists: the allocation went out{when} (R5). To draw the cycle "
                                       "again, pass --force with --reason \"why\" (the new file records it)")
        if reason is None:
            raise click.ClickException(f"the allocation of {cycle} went out{when} (R5): its auditors were told. "
                                       "Drawing it again needs --reason \"why\", which the new file records (R4)")
    today = as_of or date.today()
    request = AllocationRequest(
        cycle=service.cycles[cycle],
        staff=service.staff,
        settings=service.settings,
        history=tuple(a for c, a in service.allocations.items() if c != cycle),
        allocated_on=today,
        seed=secrets.randbelow(2**31) if seed is None else seed,
    )
    result = draw(request)
    if output_format == "json":
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        _print_text(result, soft_goals(result, request), service.staff)
    if not dry_run and (result.complete or partial):
        if previous is None:
            _create(target, relative, allocation_document(result, today))
        else:
            write_atomic(target, allocation_document(result, today, redraw_history(previous.data, today, reason)))
        log.info("wrote %s", target)
        if output_format == "text":
            click.echo(f"wrote {relative}")
    elif not dry_run and output_format == "text":
        click.echo("nothing written: pass --partial to write the cases that could be allocated", err=True)
    sys.exit(0 if result.complete else 1)


def _print_text(result, goals, staff) -> None:
    click.echo(f"cycle {result.cycle}, seed {result.seed}: {len(result.pairs)} pairs")
    for number, pair in enumerate(result.pairs, 1):
        who = " + ".join(f"{a} ({staff.people[a].name})" for a in pair.auditors)
        click.echo(f"  {number:>2}. {who}: {', '.join(pair.cases)}")
    if goals.repeat_pairs or goals.practitioner_only_pairs or goals.single_case_pairs:
        click.echo(f"  soft goals missed: {goals.repeat_pairs} repeated pairs, "
                   f"{goals.practitioner_only_pairs} pairs of two practitioner-grade auditors, "
                   f"{goals.single_case_pairs} extra pairs with one case (conflicts left no partner case)")
    for item in result.unallocated:
        click.echo(f"unallocated: {item.reason}", err=True)


class _Previous:
    """An allocation that has gone out: its data as read (None when unreadable) and its ``allocated`` date."""

    def __init__(self, data) -> None:
        self.data = data
        allocated = data.get("allocated") if isinstance(data, dict) else None
        self.allocated = allocated if isinstance(allocated, str) and len(allocated) <= 10 else None


def _gone_out(repo: Path, relative: str) -> _Previous | None:
    """The cycle's allocation when it has gone out: the file in the working tree, or, when someone has
    deleted it, as the last commit holds it (a deletion must not turn a re-draw into a first draw)."""
    from ehqa.load.git_history import GitProblem, files_at
    from ehqa.load.strict_yaml import YamlProblem, parse, read_bytes

    path = repo / relative
    if path.exists() or path.is_symlink():
        try:
            return _Previous(parse(read_bytes(path)))
        except YamlProblem:
            return _Previous(None)
    try:
        committed = files_at(repo, "HEAD", (relative,)).get(relative)
    except GitProblem:  # not a Git repository, or no commit yet
        return None
    if committed is None:
        return None
    try:
        return _Previous(parse(committed))
    except YamlProblem:
        return _Previous(None)


def _reason(reason: str | None, force: bool) -> str | None:
    """--reason on one line, checked: it goes into the allocation file (exit 2 when it cannot)."""
    from ehqa.repo_files.allocation_file import REASON_MAX

    if reason is None:
        return None
    if not force:
        raise click.UsageError("--reason goes with --force: it records why an allocation that went out is drawn again")
    text = " ".join(reason.split())
    if not text or len(text) > REASON_MAX:
        raise click.UsageError(f"--reason must say why, in 1 to {REASON_MAX} characters")
    return text


def _create(target: Path, relative: str, text: str) -> None:
    """The first write of a cycle's allocation: exclusive, so a draw made meanwhile is never lost."""
    from ehqa.atomic import create_exclusive

    try:
        create_exclusive(target, text)
    except FileExistsError:
        raise click.ClickException(f"{relative} was written by someone else while this draw ran; it is left as it "
                                   "is: run `ehqa allocate` again to see it") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {relative}: {exc.strerror or exc}") from None
