"""``ehqa report``: the original audit report of one case, as a printable HTML page (R15)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from ehqa.cli.meeting import AUDIT, audit_path
from ehqa.cli.options import cli, repo_option
from ehqa.cli.private_output import refuse_published


@cli.command()
@click.argument("audit", type=AUDIT)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the report to, created if need be. Not the repository root, and not "
                   "inside site/, site_templates/ or docs/.")
@repo_option
def report(audit: tuple[str, object], out: Path, repo: Path) -> None:
    """Write the audit report of AUDIT to OUT/<cycle>-<case>.html, to send to the practitioner's manager (R15).

    AUDIT is the audit's file (audits/YYYY-MM/<case-ref>.yaml) or YYYY-MM/<case-ref>.
    The page is self-contained and prints cleanly. It names the case and staff, so
    --out may not be the repository root or inside site/, site_templates/ or docs/.
    The same data always writes the same bytes. Exits 0 when written, 1 when there
    is no such audit or the data does not load, and 2 on a usage error.
    """
    from ehqa.atomic import write_atomic
    from ehqa.documents.audit_report import AuditReportError, file_name, render_audit_report
    from ehqa.load.repository import load_repository

    refuse_published(out, repo, "the audit report names the case and staff")
    relative = audit_path(audit, repo)
    key = relative.removeprefix("audits/").removesuffix(".yaml")
    if not (repo / relative).is_file():
        _fail(f"there is no audit {key}: {relative} does not exist")
    service = load_repository(repo).service
    if relative in service.broken:
        _fail(f"{relative} could not be read: run `ehqa validate` and fix it first")
    found = next((a for a in service.audits if a.source == relative), None)
    if found is None:
        _fail(f"{relative} could not be read: run `ehqa validate` and fix it first")
    try:
        text = render_audit_report(service, found)
    except AuditReportError as exc:
        _fail(str(exc))
    target = out / file_name(found)
    try:
        write_atomic(target, text)
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")
    click.echo(f"wrote {target}")


def _fail(message: str) -> NoReturn:
    click.echo(f"ehqa: {message}", err=True)
    sys.exit(1)
