"""``ehqa board-report``: the month's report for senior leaders and the QA board (R21)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, as_of_option, private_out_option, repo_option


@click.command("board-report")
@click.argument("cycle", type=CYCLE_ID)
@private_out_option("the report")
@click.option("--docx", is_flag=True, help="Also write the report as a Word document, board-report-CYCLE.docx.")
@repo_option
@as_of_option
def board_report(cycle: str, out: Path, docx: bool, repo: Path, as_of: date) -> None:
    """Write the QA board report of CYCLE (R21): OUT/board-report-CYCLE.html.

    \b
    One self-contained page for senior leaders and the QA board, to print (A4)
    and file: what was audited and why (the cycle's theme), completion (R13,
    R12), grades against the 12 months before, what went well, areas for
    development, the learning, actions and follow-ups of the year (R17 and the
    rest), re-audit outcomes (R18), and grading consistency where measured.

    Its figures are the learning site's own, with the same disclosure control:
    a figure the site withholds is withheld here, shown [c]. It names no case
    and no member of staff, and is scanned for them as the site is before it
    is written. CYCLE's QA meeting must be before --as-of (R14). Exits 0 when
    written, 1 when the data stops it, and 2 on a usage error (no such cycle,
    a meeting still to come, a cycle with no audits, --out inside the site or
    the data): then nothing is written.
    """
    from ehqa.documents.board.output import write_board_report

    for path in write_board_report(repo, out, cycle, as_of, docx).files:
        click.echo(f"wrote {path}")
