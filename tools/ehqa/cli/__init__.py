"""The ``ehqa`` command line: a thin layer over the checker, the planners and the renderers.

Each module here adds its commands to the one group, ``cli``. Heavy modules are imported
inside each command, so that ``ehqa --help`` is quick.
"""

from __future__ import annotations

import logging
import sys

import click

from ehqa.cli import allocate, cycle, data, followups, git, github, meeting, new, notices, report, site  # noqa: F401  (each module registers its commands)
from ehqa.cli.options import cli

log = logging.getLogger("ehqa")

__all__ = ["cli", "main"]


def main() -> None:
    """The console script. A bug in ehqa is reported in one line, not a traceback (``-v`` shows it)."""
    try:
        cli(prog_name="ehqa", standalone_mode=True)
    except Exception as exc:  # click handles its own errors; anything else is ours
        log.debug("internal error", exc_info=True)
        click.echo(f"ehqa: internal error: {type(exc).__name__}: {exc}. Please report it with the command you ran "
                   "(add -v to see the details).", err=True)
        sys.exit(3)


