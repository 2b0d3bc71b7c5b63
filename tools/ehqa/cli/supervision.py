"""``ehqa supervision``: supervision packs for line managers and team managers (R22)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import PERIOD, as_of_option, private_out_option, repo_option


@click.command()
@private_out_option("the packs")
@click.option(
    "--period", type=PERIOD, default=None, help="YYYY (a year) or YYYY-Qn (a quarter); by default the year of --as-of."
)
@click.option(
    "--eml",
    is_flag=True,
    help="Also write each pack as a .eml draft from the QA officer to the manager it is for, the pack "
    "attached, ready to send.",
)
@repo_option
@as_of_option
def supervision(out: Path, period: str | None, eml: bool, repo: Path, as_of: date) -> None:
    """Write a supervision pack for each practitioner whose cases were audited in the period, and one for each team.

    OUT/practitioners/<staff-id>.html is for the practitioner's line manager (the
    team manager the case's audit report went to): their audited cases, each with
    its case reference, grades as they stand after any review (R12), strengths,
    areas for development, SMART actions and their status (R17), the reflective
    discussion (R19) and the practitioner's Perspective of Worker answers (R7).
    OUT/teams/<team-id>.html is for the team manager: the team's practitioners, the
    same summarised. Both lead with what went well (R22; the guidance's restorative
    principles) and rank nobody. The period's audits are those of its cycles whose
    QA meeting was held by --as-of. With --eml, each pack is also written as a .eml
    draft beside it; a manager or QA officer with no email in staff.yaml gets a
    warning instead. The packs name cases and staff, so --out may not be the
    repository root or inside audits/, cycles/, build/, site/, site_templates/ or
    docs/. Exits 0 when written, 1 when the data does not load, and 2 on a usage
    error (a period with no cycles, or none discussed yet, an --out that could
    be published), with nothing written.
    """
    from ehqa.documents.supervision_files import write_supervision_packs

    written = write_supervision_packs(repo, out, period, as_of, eml)
    click.echo(
        f"wrote {written.practitioners} practitioner packs and {written.teams} team packs to {out}"
        + (f", with {len(written.drafts)} messages ready to send" if eml else "")
    )
