"""`ehqa new audit`: a pre-filled audit for the allocated auditors to complete (R4, R8, R13).

A thin layer: what the file says is ``repo_files.skeleton``'s; the files are read through the one
loader, exactly as ``ehqa validate`` reads them.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import click

from ehqa.cli.options import as_of_option, cli, repo_option
from ehqa.cli.types import CYCLE_ID

log = logging.getLogger("ehqa")

_CASE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")  # the schemas' case_ref: also a safe file name


class CaseRef(click.ParamType):
    name = "CASE"

    def convert(self, value, param, ctx):
        if not _CASE.fullmatch(str(value)):
            self.fail(f"{value!r} is not a case reference (letters, digits and hyphens, up to 32)", param, ctx)
        return str(value)


@cli.group(name="new")
def new_group() -> None:
    """Start a new file, pre-filled from the repository, for a person to complete."""


@new_group.command("audit")
@click.argument("cycle_id", metavar="YYYY-MM", type=CYCLE_ID)
@click.argument("case", type=CaseRef())
@repo_option
@as_of_option
def new_audit(cycle_id: str, case: str, repo: Path, as_of: date | None) -> None:
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
    from ehqa.cli.cycle_files import load_settings
    from ehqa.repo_files.skeleton import SkeletonFacts, audit_path, audit_skeleton, refusal

    today = as_of or date.today()
    relative = audit_path(cycle_id, case)
    target = repo / relative
    if target.exists():
        raise click.ClickException(f"{relative} already exists, and ehqa never overwrites a file a person wrote: "
                                   "edit it, or delete it yourself first if you mean to start again")
    settings = load_settings(repo)
    cycle = _record(repo, f"cycles/{cycle_id}.yaml", settings.max_file_bytes, required=True)
    allocation = _record(repo, f"cycles/{cycle_id}.allocation.yaml", settings.max_file_bytes, required=False)
    why = refusal(cycle, allocation, case)
    if why is not None:
        raise click.ClickException(why)
    staff = _record(repo, "staff.yaml", settings.max_file_bytes, required=False)
    try:
        text = audit_skeleton(SkeletonFacts(settings, cycle, allocation, case, staff), today)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    from ehqa.atomic import create_exclusive

    try:
        create_exclusive(target, text)  # the check above is for a quick answer; this is the guarantee
    except FileExistsError:
        raise click.ClickException(f"{relative} was created while ehqa was writing it; it is left as it is") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {relative}: {exc.strerror or exc}") from None
    log.info("wrote %s", target)
    if today > cycle.audits_due:
        click.echo(f"note: audits in cycle {cycle_id} were due on {cycle.audits_due.isoformat()} (R13)", err=True)
    domains = settings.domain_set_for(cycle_id)
    count = len(domains.domains) if domains else 0
    click.echo(f"wrote {relative}: grade the {count} domains with evidence, the overall judgement, strengths and "
               f"learning, then run `ehqa validate {relative}`")


def _record(repo: Path, relative: str, max_bytes: int, required: bool):
    """A file's model object, read as `ehqa validate` reads it; None when it is optional and absent or broken."""
    from ehqa.load.repository import load_single
    from ehqa.load.schema_check import SchemaError

    if not (repo / relative).is_file():
        if required:
            raise click.ClickException(f"there is no {relative}: the cycle must exist before its audits (R1)")
        return None
    try:
        record, findings = load_single(repo, relative, max_bytes=max_bytes)
    except SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    if record is None:
        detail = f" ({findings[0].message})" if findings else ""
        if required or relative.endswith(".allocation.yaml"):
            raise click.ClickException(f"{relative} cannot be read{detail}: run `ehqa validate {relative}`")
        log.warning("%s cannot be read%s; the auditors' names are left out", relative, detail)
    return record
