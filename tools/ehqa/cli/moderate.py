"""``ehqa moderate``: draw a cycle's moderation sample (issue 14, R12)."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, as_of_option, format_option, repo_option


@click.command()
@click.argument("cycle", metavar="YYYY-MM", type=CYCLE_ID)
@click.option("--sample", metavar="N|P%", default=None,
              help="How many closed audits to draw: a number (3) or a share (10%). Default: qa.yaml's "
                   "moderation.sample, 10% when unset.")
@click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=None,
              help="The random seed. Without it a fresh one is drawn; either way it is recorded in the file.")
@click.option("--dry-run", is_flag=True, help="Show the sample; write nothing.")
@format_option("text", "json")
@repo_option
@as_of_option
def moderate(cycle: str, sample: str | None, seed: int | None, dry_run: bool, output_format: str, repo: Path,
             as_of: date) -> None:
    """Draw a seeded sample of the cycle's closed audits for moderation: a second,
    blind grading by someone outside the case and the audit (R12).

    \b
    The sample is stratified by overall grade (as it stands after any review,
    R12), so that its grades look like the cycle's. Each audit goes to a
    moderator: a QA officer, the Head of Service for QA or a named moderator
    (staff.yaml moderator: true), in service and not absent today, and never
    the case's practitioner, their team manager or anyone up their line, or one
    of the audit's auditors; the work is shared evenly.

    The sample is written to cycles/YYYY-MM.moderation.yaml with its seed, so
    that the same audits and seed give the same draw, and without any grade.
    Each moderator then writes their grades blind (`ehqa new moderation`) as a
    moderation record, which only they may add; the outcome goes to the next
    QA meeting's pack.

    \b
    Refuses, and writes nothing (exit 1): before the cycle's QA meeting (only
    closed audits are moderated); when the file exists (ehqa never overwrites
    it); when a sampled audit has nobody who may moderate it
    (MODERATION-MODERATOR). A sample size in neither form exits 2.
    """
    from ehqa.plan.moderation import draw
    from ehqa.repo_files.moderation_file import moderation_request, write_moderation

    seed = secrets.randbelow(2**31) if seed is None else seed
    result = draw(moderation_request(repo, cycle, as_of, seed, sample, dry_run))
    if output_format == "json":
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        click.echo(f"Moderation sample of {cycle} (seed {seed}): {len(result.cases) + len(result.nobody)} of "
                   f"{result.closed} closed audits")
        for moderated in result.cases:
            click.echo(f"  case {moderated.case}: {moderated.moderator}")
    for case, why in result.nobody:
        click.echo(f"error[MODERATION-MODERATOR]: {why}", err=True)
    if not result.complete:
        click.echo("nothing written", err=True)
        sys.exit(1)
    if not dry_run:
        written = write_moderation(repo, result)
        if output_format == "text":
            click.echo(f"wrote {written}")
