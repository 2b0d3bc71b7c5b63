"""``ehqa export``: the audit programme's data for the performance team, as CSV tables or one workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, as_of_option, format_option, private_out_option, repo_option


@click.command()
@private_out_option("the export")
@format_option(
    "csv",
    "xlsx",
    csv="a Frictionless Data Package: datapackage.json and one CSV per table",
    xlsx="one workbook, ehqa-export.xlsx: a sheet per table and a data dictionary",
)
@click.option("--from", "start", type=CYCLE_ID, default=None, help="The first cycle to export (default: the first).")
@click.option("--to", "end", type=CYCLE_ID, default=None, help="The last cycle to export (default: the last).")
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder that already holds files: ehqa's own export files "
    "are replaced, and no other file is touched.",
)
@repo_option
@as_of_option
def export(
    out: Path, output_format: str, start: str | None, end: str | None, force: bool, repo: Path, as_of: date
) -> None:
    """Export every table a performance analyst needs, for Excel or Power BI.

    \b
    Tables: teams, staff, cycles, nominations, allocation_pairs, allocation_cases,
    audits (with grades as they stand after any review, R12), domain_grades,
    actions (SMART actions as they stand, R17), followups (every obligation with
    its status as of --as-of, as `ehqa followups --all`), reaudits and
    reaudit_domains (R18 outcomes), and records (one row per follow-up record).

    The CSV export is a Frictionless Data Package: datapackage.json describes
    each table, its fields (described from the JSON Schemas), types, allowed
    values, primary and foreign keys. The workbook holds the same tables and a
    "data dictionary" sheet. docs/export.md says how to load them.

    The export names cases and staff: keep it private. --out may not be the
    repository root or inside its data or site folders. Exits 2, writing nothing,
    for such an --out, an --out that holds files
    (without --force), --from after --to, or a period with no cycles.
    """
    from ehqa.documents.export.output import write_export

    written = write_export(repo, out, output_format, start, end, as_of, force)
    rows = sum(len(t.rows) for t in written.tables)
    click.echo(
        f"wrote {len(written.files)} files to {out}: {len(written.tables)} tables, {rows:,} rows, cycles "
        f"{written.cycles[0]} to {written.cycles[-1]}, as of {as_of}"
    )
