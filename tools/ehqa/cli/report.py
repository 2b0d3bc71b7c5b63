"""``ehqa report``: the original audit report of one case, or of every case of a cycle, as a printable HTML
page, and with --eml as a ready-to-send draft to the practitioner's manager (R15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import AUDITS, as_of_option, audit_files, private_out_option, repo_option


@click.command()
@click.argument("audit", type=AUDITS, metavar="AUDIT|YYYY-MM")
@private_out_option("the reports")
@click.option("--eml", is_flag=True,
              help="Also write each report as <cycle>-<case>.eml: a draft from the QA officer to the practitioner's "
                   "manager (the case's team manager), with the report attached, ready to send.")
@repo_option
@as_of_option
def report(audit: tuple[str, object], out: Path, eml: bool, repo: Path, as_of: date) -> None:
    """Write the audit report of AUDIT to OUT/<cycle>-<case>.html, to send to the practitioner's manager (R15).

    AUDIT is the audit's file (audits/YYYY-MM/<case-ref>.yaml) or YYYY-MM/<case-ref>;
    YYYY-MM alone writes the report of every audit of that cycle.
    The page is self-contained and prints cleanly. It names the case and staff, so
    --out may not be the repository root or inside site/, site_templates/ or docs/.
    With --eml, each report is also written as OUT/<cycle>-<case>.eml, a draft
    message from the QA officer in post on --as-of to the case's team manager, the
    report attached (X-Unsent: 1 opens it as a draft); a manager or QA officer
    with no email in staff.yaml gets a warning instead. The same data (and
    --as-of) always write the same bytes. Exits 0 when written, 1 when there is
    no such audit (or the cycle has none) or the data does not load, and 2 on a
    usage error.
    """
    from ehqa.documents.output import write_audit_reports

    written = write_audit_reports(repo, out, audit_files(audit, repo), as_of if eml else None)
    for path in written.files + written.drafts:
        click.echo(f"wrote {path}")
