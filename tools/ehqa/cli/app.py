"""The ``ehqa`` group, its commands, and the console script.

Each command lives in the module named after it; this module only gathers them. Problems ehqa
explains are ``ehqa.errors`` classes, which click prints with their exit code (1 data, 2 usage);
``main`` turns anything else, a bug in ehqa, into one line and exit 3.
"""

from __future__ import annotations

import logging
import sys

import click

from ehqa.cli import (
    agreement,
    allocate,
    board_report,
    build,
    casenote,
    check_pr,
    codeowners,
    cycle,
    demo,
    evidence,
    export,
    fields,
    followups,
    meeting,
    migrate,
    moderate,
    new,
    notices,
    reaudits,
    record,
    report,
    serve,
    staff,
    summary,
    supervision,
    training_needs,
    validate,
)
from ehqa.errors import EXIT_INTERNAL

log = logging.getLogger("ehqa")


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


for _command in (agreement.agreement, allocate.allocate, board_report.board_report, build.build, casenote.casenote,
                 check_pr.check_pr, codeowners.codeowners, cycle.cycle_group, demo.demo, evidence.evidence, export.export, fields.fields,
                 followups.followups, meeting.meeting, migrate.migrate,
                 moderate.moderate,
                 new.new_group,
                 notices.notices, reaudits.reaudits, record.record, report.report, serve.serve, staff.staff_group,
                 summary.summary, supervision.supervision, training_needs.training_needs,
                 validate.validate):
    cli.add_command(_command)


def main() -> None:
    """The console script. A bug in ehqa is reported in one line, not a traceback (``-v`` shows it)."""
    try:
        cli(prog_name="ehqa", standalone_mode=True)
    except Exception as exc:  # click prints ehqa's own errors and its usage errors; anything else is a bug
        log.debug("internal error", exc_info=True)
        click.echo(f"ehqa: internal error: {type(exc).__name__}: {exc}. Please report it with the command you ran "
                   "(add -v to see the details).", err=True)
        sys.exit(EXIT_INTERNAL)
