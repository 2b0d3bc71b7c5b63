"""``ehqa summary``: the service in a few lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import as_of_option, repo_option


@click.command()
@repo_option
@as_of_option
def summary(repo: Path, as_of: date) -> None:
    """Print a short summary of the service: cycles, audits and the mix of grades."""
    from ehqa.load.repository import load_repository
    from ehqa.reporting.summary import render_summary

    loaded = load_repository(repo)
    click.echo(render_summary(loaded.service, as_of))
    if loaded.findings:
        click.echo(f"\n{len(loaded.findings)} files could not be read cleanly: run `ehqa validate`.")
