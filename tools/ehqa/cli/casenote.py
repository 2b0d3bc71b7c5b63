"""``ehqa casenote``: the Mosaic case note of an audit, or of every audit of a cycle (R15)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ehqa import layout
from ehqa.cli.params import AUDITS, audit_files, format_option, repo_option


@click.command()
@click.argument("audit", type=AUDITS, metavar="AUDIT|YYYY-MM")
@format_option("text", "json", text="to paste into the case note")
@repo_option
def casenote(audit: tuple[str, object], output_format: str, repo: Path) -> None:
    """Print the case note to record in Mosaic after the QA meeting (R15).

    AUDIT is the audit's file (audits/YYYY-MM/<case-ref>.yaml) or YYYY-MM/<case-ref>;
    YYYY-MM alone gives the note of every audit of that cycle, by case reference,
    each under a "Case <case-ref>" line. The wording is the guidance's own (section
    3): the title "Quality Assurance: case audited" and the description "This case
    was audited on DD/MM/YY as part of the Early Help Quality Assurance process.
    Original audit has been sent to manager.", dated the day the audit was
    completed. With --format json: {"title", "description", "case", "audited_on"},
    or a list of them for a cycle. Exits 1 when there is no such audit (or the
    cycle has none) or one does not load, and 2 on a usage error.
    """
    from ehqa.documents.casenote import casenote as note_of
    from ehqa.load.repository import load_single_or_fail

    whole_cycle = audit[0] == "cycle"
    records = [(relative, load_single_or_fail(repo, relative, needed="check the cycle and the case reference"))
               for relative in audit_files(audit, repo)]
    notes = [(record, note_of(record)) for _, record in records]
    if output_format == "json":
        found = [note.as_json(record) for record, note in notes]
        click.echo(json.dumps(found if whole_cycle else found[0], indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join((f"Case {record.case}\n\n" if whole_cycle else "") + note.as_text()
                             for record, note in notes), nl=False)
    for relative, record in records:
        folder = repo / layout.records_folder(record.cycle, record.case)
        if record.followup.report_sent_to_manager is None and not any(folder.glob("*.report-sent.*.yaml")):
            click.echo(f"note: neither {relative} (followup.report_sent_to_manager) nor a report-sent record says "
                       "the original audit was sent to the practitioner's manager: send it before recording this "
                       "case note (R15)", err=True)
