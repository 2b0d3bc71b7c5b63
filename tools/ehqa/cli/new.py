"""``ehqa new``: a pre-filled audit for the allocated auditors to complete (R4, R8, R13), and a person's own grades of one (issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CASE_REF, CYCLE_ID, STAFF_ID, as_of_option, repo_option


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


@new_group.command("grades")
@click.argument("cycle_id", metavar="YYYY-MM", type=CYCLE_ID)
@click.argument("case", type=CASE_REF)
@click.option("--by", required=True, type=STAFF_ID, help="Your staff id: one of the auditors allocated the case.")
@repo_option
@as_of_option
def new_grades(cycle_id: str, case: str, by: str, repo: Path, as_of: date) -> None:
    """Write your own grades of an audit, before you and your partner agree it (R8).

    The file is CASE.records/DATE.grades.BY.yaml beside the audit: every domain of
    the audit tool in force for the cycle, with its prompt, and the overall grade,
    all empty for you to fill in alone. It never changes the agreed grades: it
    shows how far two auditors would agree. Add it before the audit, or in the
    audit's pull request, never after (`ehqa check-pr`: OWN-GRADES-LATE); with
    qa.yaml's grading.independent: required, an audit needs both auditors'.

    \b
    Refuses, and writes nothing (exit 1): when you are not one of the auditors
    allocated the case (RECORD-WRITER), or have already written your grades of
    it (RECORD-GRADES), or the case was not allocated.
    """
    from ehqa.repo_files.own_grades import write_own_grades

    written = write_own_grades(repo, "grades", cycle_id, case, by, as_of)
    click.echo(f"wrote {written}: grade every domain and overall on your own, then run `ehqa validate {written}`")


@new_group.command("moderation")
@click.argument("cycle_id", metavar="YYYY-MM", type=CYCLE_ID)
@click.argument("case", type=CASE_REF)
@click.option("--by", required=True, type=STAFF_ID, help="Your staff id: the moderator the cycle's sample names.")
@repo_option
@as_of_option
def new_moderation(cycle_id: str, case: str, by: str, repo: Path, as_of: date) -> None:
    """Write your moderation of a sampled audit: your blind grades (R12).

    The file is CASE.records/DATE.moderation.BY.yaml beside the audit: the case,
    every domain of the audit tool with its evidence prompt, the overall grade
    and a summary, all empty. It shows nothing of the auditors' grades: grade
    the case from its record as if you were auditing it. Only the moderator
    cycles/YYYY-MM.moderation.yaml names for the case (`ehqa moderate`) may add
    it; the outcome goes to the next QA meeting's pack.

    \b
    Refuses, and writes nothing (exit 1): when the cycle has no moderation
    sample, or it names someone else for the case (RECORD-WRITER), or there is
    no audit (RECORD-NO-AUDIT), or you have already written one (RECORD-GRADES).
    """
    from ehqa.repo_files.own_grades import write_own_grades

    written = write_own_grades(repo, "moderation", cycle_id, case, by, as_of)
    click.echo(f"wrote {written}: grade every domain and overall from the case record, then run "
               f"`ehqa validate {written}`")
