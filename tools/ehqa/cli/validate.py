"""``ehqa validate``: the data against the schemas and every cross-file rule."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import as_of_option, format_option, repo_option, repo_relative_paths


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@repo_option
@as_of_option
@format_option("text", "github", "json", github="for workflow annotations and the step summary")
def validate(paths: tuple[Path, ...], repo: Path, as_of: date, output_format: str) -> None:
    """Check the repository's data against the schemas and every cross-file rule.

    With PATHS, report only on those files or folders; the whole repository is
    still read, because the rules look across files. Exits 0 when valid, 1 when
    not, and 2 on a usage error.
    """
    from ehqa.reporting.checker import Checker, ValidateOptions

    options = ValidateOptions(root=repo, as_of=as_of, paths=repo_relative_paths(paths, repo),
                              output_format=output_format)
    sys.exit(Checker(options, out=sys.stdout).run())
