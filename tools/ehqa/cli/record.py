"""``ehqa record``: one follow-up record, checked as ``ehqa validate`` checks it, then written (issue 11)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import AUDIT, ISO_DATE, STAFF_ID, as_of_option, audit_file, repo_option
from ehqa.framework.records import RECORD_KINDS, WRITERS


class _ListingKinds(click.Command):
    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Kinds: the rule each serves, and who writes it"):  # the table in framework/records.py
            formatter.write_dl([(k.kind, f"{k.rule}: {k.what}. Written by "
                                         f"{' or '.join(WRITERS[w] for w in k.writers)}.") for k in RECORD_KINDS])
        super().format_epilog(ctx, formatter)


@click.command(cls=_ListingKinds)
@click.argument("kind", metavar="KIND", type=click.Choice([k.kind for k in RECORD_KINDS]))
@click.argument("audit", metavar="YYYY-MM/CASE", type=AUDIT)
@click.option("--by", required=True, type=STAFF_ID, help="Your staff id: you write the record, and it names you.")
@click.option("--date", "day", type=ISO_DATE, help="The day it was done. Default: --as-of, today.")
@click.option("--from", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML file holding the kind's own fields (actions:, reviews:, outcome: and reason:...).")
@click.option("--with", "with_", type=STAFF_ID, help="actions-agreed, reflective-discussion: the practitioner.")
@click.option("--to", multiple=True, type=STAFF_ID,
              help="report-sent: the manager; feedback: each person it reached (repeat the option).")
@click.option("--summary", help="oversight: what the service manager saw and decided; feedback: what was fed back.")
@click.option("--rule", type=click.Choice(["R10", "R20"]),
              help="feedback: R10 on earlier work, or R20 on the Early Help Assessment.")
@click.option("--no-assessment-on-file", "no_assessment", metavar="WHY",
              help="feedback, R20: why there is no Early Help Assessment to give feedback on (instead of --to and "
                   "--summary).")
@click.option("--note", help="Anything else worth keeping, in a sentence or two. Never a child's or family's name.")
@click.option("--on-behalf-of", type=STAFF_ID, help="A QA officer recording what someone else did: their staff id.")
@click.option("--received", help="With --on-behalf-of: how it reached you (email, meeting, phone, in-person, letter).")
@repo_option
@as_of_option
def record(kind: str, audit: tuple[str, object], by: str, day: date | None, from_file: Path | None, with_: str | None,
           to: tuple[str, ...], summary: str | None, rule: str | None, no_assessment: str | None, note: str | None,
           on_behalf_of: str | None, received: str | None, repo: Path, as_of: date) -> None:
    """Write one follow-up record: something done after an audit closed (R10-R20).

    KIND is what was done (listed below); YYYY-MM/CASE is the audit it follows
    (or give the audit's file). The record is a new file in the folder
    CASE.records beside the audit, named DATE.KIND.BY.yaml; it never replaces
    a file: a second one of the same day, kind and author is numbered .2, .3
    and so on.

    The kind's own fields come from --from FILE, a YAML file holding just those
    (actions: for actions-agreed, reviews: for actions-reviewed, action: and
    status: for action-update, outcome:, overall: and reason: for review...),
    and from --with, --to, --summary, --rule, --no-assessment-on-file and
    --note. A QA officer recording what
    someone else did (received by email, at a meeting...) gives --by as
    themselves, --on-behalf-of that person and --received how it came.

    \b
    The record is checked first, as `ehqa validate` checks it. It refuses, and
    writes nothing (exit 1), naming each problem's rule id:
      - no audit of the case in that cycle (RECORD-NO-AUDIT);
      - a person who may not write this kind (RECORD-WRITER; see below);
      - a date before the audit was completed, or after today (RECORD-DATE);
      - a field missing, unknown or wrong (SCHEMA-*, RECORD-REVIEW,
        RECORD-ACTIONS...): a review revised without a reason, an action
        with no owner.

    Then commit the file on a branch and open a pull request.
    """
    from ehqa.repo_files.record_file import RecordRequest, write_record

    fields = {"with": with_, "to": to, "summary": summary, "rule": rule, "no_assessment_on_file": no_assessment,
              "note": note, "on_behalf_of": on_behalf_of, "received": received}
    written = write_record(repo, RecordRequest(kind, audit_file(audit, repo), by, day or as_of, fields, from_file),
                           as_of)
    click.echo(f"wrote {written}")
    click.echo("next: commit it on a branch and open a pull request; the record counts once that is merged")
