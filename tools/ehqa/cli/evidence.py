"""``ehqa evidence``: the inspection evidence pack over a period of cycles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, as_of_option, private_out_option, repo_option


@click.command()
@click.option("--from", "start", required=True, type=CYCLE_ID, help="The first cycle of the period (YYYY-MM).")
@click.option("--to", "end", required=True, type=CYCLE_ID, help="The last cycle of the period (YYYY-MM).")
@private_out_option("the pack")
@click.option("--docx", is_flag=True, help="Also write the pack as a Word document.")
@repo_option
@as_of_option
def evidence(start: str, end: str, out: Path, docx: bool, repo: Path, as_of: date) -> None:
    """Write the inspection evidence pack: OUT/evidence-FROM-to-TO.html.

    \b
    One document for an inspector, over the cycles from --from to --to: the
    audit programme (each cycle's theme, where it came from and why it was
    chosen, R1–R3), completion and timeliness (R5, R13), follow-up compliance
    by rule (R10–R20, with the framework's titles), re-audit improvement
    domain by domain (R18), grading consistency where measured, the learning
    themes and the actions taken because of them (R17, R21), and the
    service's own findings over time (R22).

    Its counts are exact (no figure is withheld): the pack is private. It
    names the cases that were re-audited, so that an inspector can ask for
    their files, and no member of staff. So --out may not be the repository
    root or inside audits/, cycles/, site/, site_templates/ or docs/. Exits 0
    when written, 1 when the data stops it, and 2 on a usage error (--from
    after --to, no cycle in the period, a service with no cycles, --out
    inside the site or the data): then nothing is written.
    """
    from ehqa.documents.board.output import write_evidence

    for path in write_evidence(repo, out, start, end, as_of, docx).files:
        click.echo(f"wrote {path}")
