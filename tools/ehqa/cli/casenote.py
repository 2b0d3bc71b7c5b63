"""``ehqa casenote``: the Mosaic case note of an audit (R15)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ehqa import layout
from ehqa.cli.params import AUDIT, audit_file, format_option, repo_option


@click.command()
@click.argument("audit", type=AUDIT)
@format_option("text", "json", text="to paste into the case note")
@repo_option
def casenote(audit: tuple[str, object], output_format: str, repo: Path) -> None:
    """Print the case note to record in Mosaic after the QA meeting (R15).

    AUDIT is the audit's file (audits/YYYY-MM/<case-ref>.yaml) or YYYY-MM/<case-ref>.
    The wording is the guidance's own (section 3): the title "Quality Assurance:
    case audited" and the description "This case was audited on DD/MM/YY as part
    of the Early Help Quality Assurance process. Original audit has been sent to
    manager.", dated the day the audit was completed. With --format json:
    {"title", "description", "case", "audited_on"}. Exits 1 when there is no such
    audit or it does not load, and 2 on a usage error.
    """
    from ehqa.documents.casenote import casenote as note_of
    from ehqa.load.repository import load_single_or_fail

    relative = audit_file(audit, repo)
    record = load_single_or_fail(repo, relative, needed="check the cycle and the case reference")
    note = note_of(record)
    if output_format == "json":
        click.echo(json.dumps(note.as_json(record), indent=2, ensure_ascii=False))
    else:
        click.echo(note.as_text(), nl=False)
    folder = repo / layout.records_folder(record.cycle, record.case)
    if record.followup.report_sent_to_manager is None and not any(folder.glob("*.report-sent.*.yaml")):
        click.echo(f"note: neither {relative} (followup.report_sent_to_manager) nor a report-sent record says the "
                   "original audit was sent to the practitioner's manager: send it before recording this case note "
                   "(R15)", err=True)
