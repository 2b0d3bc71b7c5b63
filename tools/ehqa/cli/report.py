"""``ehqa report``: the original audit report of one case, as a printable HTML page (R15)."""

from __future__ import annotations

from pathlib import Path

import click

from ehqa.cli.params import AUDIT, audit_file, repo_option


@click.command()
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
    from ehqa.documents.output import write_audit_report

    click.echo(f"wrote {write_audit_report(repo, out, audit_file(audit, repo))}")
