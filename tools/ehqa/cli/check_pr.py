"""``ehqa check-pr``: may this person make the changes this pull request makes to audits (R4, R7, R15)?"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import as_of_option, format_option, repo_option


@click.command("check-pr")
@click.option("--base", required=True, metavar="REF",
              help="The branch the pull request merges into, e.g. origin/main.")
@click.option("--head", default="HEAD", show_default=True, metavar="REF", help="The pull request's head.")
@click.option("--actor", required=True, metavar="HANDLE",
              help="The GitHub user making the change (github.actor); matched to staff.yaml's github handles, "
                   "ignoring case.")
@repo_option
@as_of_option
@format_option("text", "github")
def check_pr(base: str, head: str, actor: str, repo: Path, as_of: date, output_format: str) -> None:
    """Check that the person making a pull request may change the audit files it changes.

    \b
    What the pull request changes is what `git diff BASE...HEAD` shows: the
    changes since HEAD left BASE. Each audit, Perspective of Worker form and
    follow-up record is judged:
      - an audit may be added or changed only by its allocated auditors (R4), a
        worker form only by the case's practitioner (R7), or either by the QA
        officer or the Head of Service for QA;
      - after its cycle's QA meeting (before --as-of) an audit is closed (R15): it
        changes only by appending amendments (by, date, why), each signed by the
        person making the change, and is never deleted. Follow-up dates still
        empty may be filled in without an amendment;
      - a follow-up record (<case>.records/<date>.<kind>.<by>.yaml) is added
        only by the author its name gives, who may write that kind for the case
        (docs/reference/records.md), or by a QA officer on their behalf; it is
        never changed or deleted once it has landed.
      - an auditor's own grades (a grades record) land no later than the
        audit: before it or in its pull request (OWN-GRADES-LATE); with
        qa.yaml's grading.independent: required, an audit is added only with
        each of its auditors' own grades, landed or in the same pull request
        (OWN-GRADES-MISSING). Own grades and a moderator's moderation are
        never added on someone's behalf.
    Who is who, the cycles and the allocations are read from BASE, never from the
    pull request. Before all that, every path left under audits/ or cycles/
    must be a regular file with a name ehqa knows, and not differ only by
    case from another: symbolic links, case variants (X.YAML, Audits/), stray
    folders and files nothing reads are refused with the rule ids `ehqa
    validate` gives them. Other files are left to code owners' review.

    Exit 0 when every change is allowed, 1 when one is not (one line per problem),
    2 on a usage error: an unknown ref, or a folder that is not in a Git repository.
    """
    from ehqa.reporting.check_pr import judge_pull_request, verdict_lines

    judged = judge_pull_request(repo, base, head, actor, as_of)
    for line in verdict_lines(judged, actor, f"{base}...{head}", output_format):
        click.echo(line)
    sys.exit(1 if judged.verdict.findings else 0)
