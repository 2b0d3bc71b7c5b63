"""``ehqa training-needs``: the training needs, privately, for the workforce development team (R22)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import PERIOD, as_of_option, private_out_option, repo_option


@click.command("training-needs")
@private_out_option("the CSV files")
@click.option(
    "--period", type=PERIOD, default=None, help="YYYY (a year) or YYYY-Qn (a quarter); by default the year of --as-of."
)
@repo_option
@as_of_option
def training_needs(out: Path, period: str | None, repo: Path, as_of: date) -> None:
    """Write the period's training needs as CSV for the workforce development team.

    A need is an area for development the auditors recorded, a domain graded below
    Good as the grades stand (R12), or what the practitioner said in the Perspective
    of Worker form's question on support (the question whose id names support, in
    qa.yaml's worker_form). OUT/training-needs-<period>.csv has one row per need,
    grouped by learning theme and then domain, with the cycle, the team and what was
    written; OUT/training-needs-<period>-summary.csv counts them by theme, domain and
    kind. No case reference or name, but the free text is the auditors' and the
    practitioners' own, so --out may not be inside the site or the data. The
    learning site publishes the counts, with small counts withheld, as "What training
    would help". Exits 0 when written, 1 when the data does not load, and 2 on a
    usage error (a period with no cycles, or none discussed by --as-of, an --out
    that could be published), with nothing written.
    """
    from ehqa.documents.supervision_files import write_training_needs

    for path in write_training_needs(repo, out, period, as_of):
        click.echo(f"wrote {path}")
