"""`ehqa codeowners`: .github/CODEOWNERS from staff.yaml, qa.yaml and the allocations."""

from __future__ import annotations

import difflib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ehqa.cli.options import cli, repo_option

if TYPE_CHECKING:
    from ehqa.repo_files.codeowners import CodeOwners

log = logging.getLogger("ehqa")

_DIFF_LINES = 30


@cli.command()
@repo_option
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when .github/CODEOWNERS is missing or differs from what it should be "
                   "(the CI check).")
def codeowners(repo: Path, check: bool) -> None:
    """Write .github/CODEOWNERS: who must review a change to each file.

    \b
    each allocated audit       its auditors and the QA officers (R4)
    each worker form           the case's practitioner and the QA officers (R7)
    cycles/, audits/           the QA lead: Head of Service for QA and QA officers
    qa.yaml, staff.yaml        the QA lead and the maintainers (either approves)
    .github/, tools/,          the maintainers (github.maintainers in qa.yaml;
      schemas/, pyproject.toml,  the QA lead when there are none)
      requirements/, mkdocs.yml,
      site_templates/, the rest

    People without a GitHub handle in staff.yaml, and people who have left, are
    left out (with a warning for a missing handle). GitHub enforces the file only
    when branch protection requires a review from code owners. Run it after every
    allocation and change of staff, and commit the result.
    """
    from ehqa.atomic import write_atomic
    from ehqa.repo_files.codeowners import PATH

    result = _render(repo)
    for warning in result.warnings:
        log.warning("%s", warning)
    for note in result.notes:
        log.info("%s", note)
    target = repo / PATH
    if target.is_symlink():
        # The gate runs this on a pull request's files: a link could make it print any file of the runner.
        click.echo(f"{PATH} is a symbolic link: ehqa never reads through one. Replace it with the file "
                   "`ehqa codeowners` writes", err=True)
        sys.exit(1)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        if current is None:
            click.echo(f"{PATH} is missing: run `ehqa codeowners` and commit it", err=True)
            sys.exit(1)
        if current != result.text:
            diff = list(difflib.unified_diff(current.splitlines(), result.text.splitlines(),
                                             f"{PATH} (committed)", f"{PATH} (from the data)", lineterm="", n=0))
            shown = diff[:_DIFF_LINES] + ([f"... and {len(diff) - _DIFF_LINES} more lines"]
                                          if len(diff) > _DIFF_LINES else [])
            click.echo(f"{PATH} is stale: it does not match staff.yaml, qa.yaml and the allocations. "
                       "Run `ehqa codeowners` and commit it.\n" + "\n".join(shown), err=True)
            sys.exit(1)
        click.echo(f"{PATH} is up to date ({result.audit_rules} allocated audits)")
        return
    if current == result.text:
        click.echo(f"{PATH} is already up to date ({result.audit_rules} allocated audits)")
        return
    write_atomic(target, result.text)
    click.echo(f"wrote {PATH} ({result.audit_rules} allocated audits); commit it")


def _render(repo: Path) -> CodeOwners:
    """Read qa.yaml, staff.yaml and the cycle files as `ehqa validate` does, and render. Exit 1 when any fails:
    a CODEOWNERS file drawn from part of the data would leave audits without their owners."""
    from ehqa.cli.cycle_files import load_settings
    from ehqa.load.repository import STAFF_FILE, classify, discover, load_single
    from ehqa.load.schema_check import SchemaError
    from ehqa.repo_files.codeowners import render

    settings = load_settings(repo)
    cycle_files = [f for f in discover(repo) if classify(f) in ("cycle", "allocation")]
    records = {}
    for relative in [STAFF_FILE, *cycle_files]:
        if not (repo / relative).is_file():
            raise click.ClickException(f"there is no {relative} in {repo}: every QA repository needs one at its root")
        try:
            record, findings = load_single(repo, relative, max_bytes=settings.max_file_bytes)
        except SchemaError as exc:
            raise click.ClickException(str(exc)) from None
        if record is None:
            detail = f" ({findings[0].message})" if findings else ""
            raise click.ClickException(f"{relative} cannot be read{detail}: run `ehqa validate {relative}`; "
                                       "CODEOWNERS is not written from part of the data")
        records[relative] = record
    staff = records.pop(STAFF_FILE)
    cycles = {r.id: r for f, r in records.items() if classify(f) == "cycle"}
    allocations = {r.cycle: r for f, r in records.items() if classify(f) == "allocation"}
    return render(settings, staff, cycles, allocations)
