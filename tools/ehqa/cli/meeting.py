"""``ehqa meeting``: the QA meeting pack (R14)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import click

from ehqa.cli.params import CLOCK_TIME, CYCLE_ID, as_of_option, private_out_option, repo_option


@click.command()
@click.argument("cycle", type=CYCLE_ID)
@private_out_option("the pack")
@click.option("--start", type=CLOCK_TIME, default=None,
              help="When the meeting starts (HH:MM, 24-hour clock). Default: meeting.start in qa.yaml, the time "
                   "the notices' calendar gives the meeting (10:00 when it is not set).")
@repo_option
@as_of_option
def meeting(cycle: str, out: Path, start: time | None, repo: Path, as_of: date) -> None:
    """Write the QA meeting pack for CYCLE (R14): meeting-CYCLE.md and meeting-CYCLE.html.

    \b
    The pack holds:
      - the agenda: a short opening item, then one slot per audited case of
        meeting.minutes_per_case minutes (qa.yaml, 10 by default), from --start,
        then the items carried over from the previous meeting;
      - each audited case, by team then case reference: practitioner, auditors,
        overall and domain grades, strengths then areas for development, the
        Perspective of Worker form (R7), any safety concern (R11), disagreement
        (R12), SMART actions (R17), feedback on earlier work to a previous
        practitioner (R10), and a re-audit's outcome against the original,
        domain by domain (R18);
      - the cases allocated but not yet audited (R13);
      - carried over from the previous meeting: the Requires Improvement cases'
        SMART actions to review (R17), the reflective discussions and anything
        new from them (R19), the re-audits completed since (R18); and every
        follow-up overdue as of --as-of, grouped by rule.

    The HTML page is self-contained and prints cleanly, one case to a page. The
    pack names cases and staff, so --out may not be the repository root or inside
    site/, site_templates/ or docs/ (or mkdocs.yml's docs_dir or site_dir). The same
    data, --start and --as-of always write the same bytes. Exits 0 when written, 1
    when the data stops the pack (no such cycle, files that do not load), and 2 on
    a usage error.
    """
    from ehqa.documents.output import write_meeting_pack

    pack = write_meeting_pack(repo, out, cycle, as_of, start)
    click.echo(f"wrote {' and '.join(str(out / name) for name, _ in pack.files)}: {_count(pack.cases, 'case')} on "
               f"the agenda, {pack.pending} still to come, {_count(pack.overdue, 'follow-up')} overdue")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
