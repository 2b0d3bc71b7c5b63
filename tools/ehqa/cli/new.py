"""``ehqa new audit``: a pre-filled audit for the allocated auditors to complete (R4, R8, R13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CASE_REF, CYCLE_ID, as_of_option, repo_option


@click.group(name="new")
def new_group() -> None:
    """Start a new file, pre-filled from the repository, for a person to complete."""


@new_group.command("audit")
@click.argument("cycle_id", metavar="YYYY-MM", type=CYCLE_ID)
@click.argument("case", type=CASE_REF)
@repo_option
@as_of_option
def new_audit(cycle_id: str, case: str, repo: Path, as_of: date) -> None:
    """Write audits/YYYY-MM/CASE.yaml: an audit skeleton for the case's allocated auditors.

    It carries the case, the cycle, the auditors from the allocation (R4) and, for a
    re-audit, the audit it follows up (R18); every domain of the audit tool in force for
    the cycle with its prompt (R8); and the optional sections (safety concern R11, sole
    completion R13, SMART actions R17, earlier work R10, the Early Help Assessment R20,
    a disagreement R12), commented out, with a line on when each applies. It is not
    valid until filled in: `ehqa validate` points at each value still empty.

    \b
    Refuses, and writes nothing (exit 1):
      - when the file already exists: ehqa never overwrites a file a person wrote;
      - when the case was not nominated (R3) or not allocated (R4) in the cycle.
    """
    from ehqa.repo_files.new_audit import write_audit_skeleton

    written = write_audit_skeleton(repo, cycle_id, case, as_of)
    if as_of > written.cycle.audits_due:
        click.echo(f"note: audits in cycle {cycle_id} were due on {written.cycle.audits_due.isoformat()} (R13)",
                   err=True)
    click.echo(f"wrote {written.relative}: grade the {written.domains} domains with evidence, the overall judgement, "
               f"strengths and learning, then run `ehqa validate {written.relative}`")
