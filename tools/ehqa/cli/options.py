"""Options and the command group shared by every command module."""

from __future__ import annotations

import logging

import click

from ehqa.cli.types import ISO_DATE, REPO_DIR

repo_option = click.option(
    "--repo",
    type=REPO_DIR,
    default=".",
    show_default=True,
    help="The QA repository's root folder.",
)
as_of_option = click.option(
    "--as-of",
    type=ISO_DATE,
    default=None,
    help="Treat this day as today (YYYY-MM-DD); the default is today's date.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ehqa")
@click.option("-v", "--verbose", is_flag=True, help="Log what ehqa is doing.")
def cli(verbose: bool) -> None:
    """Early Help case-audit quality assurance, with the Git repository as the system.

    Audits, cycles, the staff directory and the service's settings are YAML files
    checked against the JSON Schemas in schemas/. Rule ids in messages cite the
    framework's rules R1–R22 (see docs/framework.md).
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")
