"""``ehqa reaudits``: the re-audits due or overdue (R18)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import as_of_option, format_option, repo_option


@click.command()
@repo_option
@as_of_option
@format_option("table", "json")
def reaudits(repo: Path, as_of: date, output_format: str) -> None:
    """List the re-audits due or overdue (R18), with their windows and the cycle they are planned in."""
    from ehqa.reporting.followups import followups_of, reaudits_due, reaudits_json, reaudits_text

    service, found = followups_of(repo, as_of)
    rows = reaudits_due(found, service)
    click.echo(reaudits_json(rows) if output_format == "json" else reaudits_text(rows, as_of))
