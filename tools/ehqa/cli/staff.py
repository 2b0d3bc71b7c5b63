"""``ehqa staff import``: staff.yaml from a CSV file of the service's staff (issue 12, item 19)."""

from __future__ import annotations

from pathlib import Path

import click

from ehqa.cli.params import repo_option


@click.group(name="staff")
def staff_group() -> None:
    """The staff directory, staff.yaml: who takes part in QA (R4, R6)."""


@staff_group.command("import")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@repo_option
@click.option("--replace", is_flag=True, help="Replace an existing staff.yaml (the demo's, while adopting).")
def staff_import(csv_file: Path, repo: Path, replace: bool) -> None:
    """Write staff.yaml from FILE.csv: one row a person, the first row naming the columns.

    \b
    id            required: never changes; a letter first (e10234 for employee 10234)
    name          required
    role          required: practitioner, senior-practitioner, case-manager,
                  team-manager, area-manager, service-manager, senior-leadership,
                  head-of-service-qa or qa-officer
    team          required: the team's id, like eh-north
    team_name     the team's name, on any one row of the team
    line_manager  the line manager's id (R6 conflicts follow the chain)
    auditor       yes when in the auditor pool; blank or no when not
    github        GitHub handle (for CODEOWNERS and the pull-request checks)
    email         work email (for the notices)

    Every row is checked as `ehqa validate` checks staff.yaml. Refuses, writing
    nothing (exit 1), naming each wrong row by its line; and when staff.yaml
    exists, unless --replace. The file is written whole or not at all.
    """
    from ehqa.repo_files.staff_import import write_staff

    imported = write_staff(repo, csv_file, replace=replace)
    for warning in imported.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote staff.yaml: {imported.people} people in {imported.teams} teams; run `ehqa validate`")
