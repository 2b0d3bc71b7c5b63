"""``ehqa fields``: the field reference, and the handbook's generated pages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ehqa.cli.params import FOLDER, repo_option
from ehqa.errors import UsageProblem


@click.command()
@repo_option
@click.option("--check", "check_dir", type=FOLDER,
              help="Write nothing; exit 1 when a generated page in this folder (docs) is missing or stale.")
@click.option("--update", "update_dir", type=FOLDER,
              help="Write the generated pages into this folder (docs); pages already current are not touched.")
def fields(repo: Path, check_dir: Path | None, update_dir: Path | None) -> None:
    """Print the field reference, or write or check the handbook's generated pages.

    The generated pages are framework.md (rules R1–R22, with the checks and
    follow-ups that enforce each), reference/checks.md (every check id),
    reference/fields.md (every field of every file, from schemas/) and
    reference/records.md (who writes which follow-up record). They come
    from the code and the schemas, so they are never edited by hand:
    `ehqa fields --update docs` rewrites them; `ehqa fields --check docs`
    exits 1, naming each stale page (a test makes the same check in CI).
    """
    from ehqa.atomic import write_atomic
    from ehqa.repo_files.reference import fields_page, read_schemas, stale_pages

    schemas = read_schemas(repo / "schemas")
    if check_dir is None and update_dir is None:
        click.echo(fields_page(schemas), nl=False)
        return
    if check_dir is not None and update_dir is not None:
        raise UsageProblem("give --check or --update, not both")
    folder = check_dir or update_dir
    stale = stale_pages(schemas, folder)
    if update_dir is not None:
        for page in stale:
            write_atomic(page.path, page.text)
            click.echo(f"{page.path}: {'updated' if page.exists else 'written'}")
        if not stale:
            click.echo(f"{folder}: the generated pages are already up to date")
        return
    for page in stale:
        click.echo(f"{page.path}: stale or missing; run `ehqa fields --update {folder}`", err=True)
    if stale:
        sys.exit(1)
    click.echo(f"{folder}: the generated pages are up to date")
