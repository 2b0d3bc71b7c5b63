"""Commands about the data itself: validate, summary, fields, demo."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.options import as_of_option, cli, repo_option
from ehqa.cli.types import CYCLE_ID, ISO_DATE


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@repo_option
@as_of_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people; github for workflow annotations and the step summary; json for machines.",
)
def validate(paths: tuple[Path, ...], repo: Path, as_of: date | None, output_format: str) -> None:
    """Check the repository's data against the schemas and every cross-file rule.

    With PATHS, report only on those files or folders; the whole repository is
    still read, because the rules look across files. Exits 0 when valid, 1 when
    not, and 2 on a usage error.
    """
    from ehqa.load.schema_check import SchemaError
    from ehqa.reporting.checker import Checker, ValidateOptions

    relative = []
    for path in paths:
        try:
            relative.append(_repo_relative(path, repo))
        except ValueError:
            raise click.BadParameter(f"{path} is outside the repository {repo}", param_hint="PATHS") from None
    options = ValidateOptions(root=repo, as_of=as_of or date.today(), paths=tuple(p for p in relative if p), output_format=output_format)
    try:
        code = Checker(options, out=sys.stdout).run()
    except SchemaError as exc:
        raise click.UsageError(str(exc)) from None
    sys.exit(code)


def _repo_relative(path: Path, repo: Path) -> str:
    """PATH relative to the repository, without following a symbolic link at its end: naming a link
    reports on the link (FILE-SYMLINK), never on what it points at. ValueError when outside."""
    absolute = path.absolute()
    if absolute.name in ("", ".", ".."):
        resolved = absolute.resolve()
    else:
        resolved = absolute.parent.resolve() / absolute.name
    return resolved.relative_to(repo).as_posix().removeprefix(".")


@cli.command()
@repo_option
@as_of_option
def summary(repo: Path, as_of: date | None) -> None:
    """Print a short summary of the service: cycles, audits and the mix of grades."""
    from ehqa.load.repository import load_repository
    from ehqa.reporting.summary import render_summary

    loaded = load_repository(repo)
    click.echo(render_summary(loaded.service, as_of or date.today()))
    if loaded.findings:
        click.echo(f"\n{len(loaded.findings)} files could not be read cleanly: run `ehqa validate`.")


@cli.command()
@repo_option
@click.option("--check", "check_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write nothing; exit 1 when a generated page in this folder (docs) is missing or stale.")
@click.option("--update", "update_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the generated pages into this folder (docs); pages already current are not touched.")
def fields(repo: Path, check_dir: Path | None, update_dir: Path | None) -> None:
    """Print the field reference, or write or check the handbook's generated pages.

    The generated pages are framework.md (rules R1–R22, with the checks and
    follow-ups that enforce each), reference/checks.md (every check id) and
    reference/fields.md (every field of every file, from schemas/). They come
    from the code and the schemas, so they are never edited by hand:
    `ehqa fields --update docs` rewrites them; `ehqa fields --check docs`
    exits 1, naming each stale page (a test makes the same check in CI).
    """
    from ehqa.atomic import write_atomic
    from ehqa.repo_files.reference import fields_page, generated_docs, read_schemas

    try:
        schemas = read_schemas(repo / "schemas")
    except ValueError as exc:
        raise click.UsageError(f"cannot read the schema {exc}") from None
    if check_dir is None and update_dir is None:
        click.echo(fields_page(schemas), nl=False)
        return
    if check_dir is not None and update_dir is not None:
        raise click.UsageError("give --check or --update, not both")
    folder = check_dir or update_dir
    stale = []
    for name, text in generated_docs(schemas).items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        except (OSError, ValueError) as exc:
            raise click.UsageError(f"{path}: cannot be read: {exc}") from None
        if current == text:
            continue
        stale.append(path)
        if update_dir is not None:
            write_atomic(path, text)
            click.echo(f"{path}: {'updated' if current is not None else 'written'}")
    if check_dir is not None:
        for path in stale:
            click.echo(f"{path}: stale or missing; run `ehqa fields --update {folder}`", err=True)
        if stale:
            sys.exit(1)
        click.echo(f"{folder}: the generated pages are up to date")
    elif not stale:
        click.echo(f"{folder}: the generated pages are already up to date")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="Where to write the demo service.")
@click.option("--seed", type=click.IntRange(min=0), default=2026, show_default=True, help="The random seed.")
@click.option("--end", "end_cycle", type=CYCLE_ID, default="2026-11", show_default=True, help="The last cycle.")
@click.option("--cycles", type=click.IntRange(1, 600), default=24, show_default=True, help="How many monthly cycles.")
@click.option("--teams", type=click.IntRange(1, 500), default=8, show_default=True, help="How many teams.")
@click.option("--staff-per-team", type=click.IntRange(4, 200), default=7, show_default=True, help="Staff in each team.")
@click.option("--cases-per-cycle", type=click.IntRange(2, 5000), default=8, show_default=True,
              help="Cases nominated in each cycle.")
@click.option("--as-of", type=ISO_DATE, default="2026-11-03", show_default=True,
              help="The demo's today: nothing is completed after it.")
@click.option("--force", is_flag=True, help="Overwrite an existing service in --out.")
def demo(out: Path, seed: int, end_cycle: str, cycles: int, teams: int, staff_per_team: int,
         cases_per_cycle: int, as_of: date, force: bool) -> None:
    """Write the synthetic demo service: invented staff, fake 7-digit case references, 24 cycles.

    The scale options make larger services for the benchmarks. The same seed
    always writes the same files.
    """
    from ehqa.demo import DemoOptions, write_demo

    options = DemoOptions(seed=seed, end_cycle=end_cycle, cycles=cycles, teams=teams, staff_per_team=staff_per_team,
                          cases_per_cycle=cases_per_cycle, as_of=as_of)
    try:
        counts = write_demo(out, options, force=force)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo("wrote " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" to {out}")
