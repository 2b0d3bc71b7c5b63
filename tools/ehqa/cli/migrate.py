"""``ehqa migrate``: the audits' follow-up fields become follow-up records beside them (issue 11)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import STAFF_ID, as_of_option, repo_option


@click.command()
@repo_option
@as_of_option
@click.option("--by", type=STAFF_ID, required=True,
              help="Your staff id, a QA officer's: you write the records, on behalf of those who acted.")
@click.option("--dry-run", is_flag=True, help="Say what would be written, and write nothing.")
def migrate(repo: Path, as_of: date, by: str, dry_run: bool) -> None:
    """Add the follow-up records that the audits' own follow-up fields say.

    Audits written before follow-up records keep what was done after the
    meeting in their own fields (followup:, smart_actions:, disagreement.review,
    previous_work_feedback[].fed_back, assessment.feedback_returned). Each date
    there becomes a record of the matching kind in CASE.records beside the
    audit. You (--by, a QA officer) write each record on behalf of the person
    who did it, as staff.yaml says (on_behalf_of, received: audit-file), so
    that the pull request, which is yours, passes `ehqa check-pr`:

    \b
      report_sent_to_manager     report-sent, by the QA officer in post that day
      casenote_recorded          casenote, by the QA officer in post that day
      supervision_note_recorded  supervision-note, by the case's team manager
      smart_actions              actions-agreed (a1, a2...), by the team manager,
                                 dated the supervision note (or the audit);
                                 an action-update for each done (by its owner)
                                 or not met (by the team manager, at its due date)
      actions_reviewed           actions-reviewed, by the QA officer (escalated:
                                 escalated_to_senior_management)
      reflective_discussion      reflective-discussion, by the team manager
                                 (reflective_notes: for_next_meeting)
      disagreement.review        review, by the reviewer (upheld only: a revised
                                 review needs the revised grades)
      previous_work_feedback     feedback R10, by the auditor
      assessment.feedback_returned  feedback R20, by the auditor

    service_manager_alerted and manager_informed stay in the audit: no record
    kind says them. The audits are never rewritten; their fields still close
    their follow-ups. A record whose author staff.yaml cannot name, or that
    would not pass `ehqa validate` (checked first, as `ehqa record` checks
    one), is not written: it is listed, with why. A record already there (the
    same act) is not written again, so a second run writes nothing.

    Exit 0 when it has written what it could (or nothing was to be written), 1
    when qa.yaml or staff.yaml cannot be read. Then commit the records on a
    branch and open a pull request.
    """
    from ehqa.repo_files.migrate import migrate as run

    done = run(repo, as_of, by=by, dry_run=dry_run)
    for path in done.unreadable:
        click.echo(f"cannot read {path}: no follow-up field that stands on it is moved; run `ehqa validate`", err=True)
    verb = "would write" if dry_run else "wrote"
    for item in done.records:
        click.echo(f"{verb} {item.path}  (from {item.planned.source})")
    for field, audits in sorted(done.kept.items()):
        click.echo(f"kept in the audit: {field} in {audits} audit{'s' if audits != 1 else ''} (no record kind says it)")
    for left in done.left:
        click.echo(f"not moved: {left.audit} {left.source}: {left.why}")
    already = f"; {done.already} already there" if done.already else ""
    if not done.records:
        click.echo(f"nothing to migrate: no follow-up field is left to become a record{already}; nothing was written")
        return
    count = f"{len(done.records)} record{'s' if len(done.records) != 1 else ''}"
    if dry_run:
        click.echo(f"{count} to write{already}; nothing was written (--dry-run)")
    else:
        click.echo(f"wrote {count}{already}")
        click.echo("next: commit them on a branch and open a pull request")
