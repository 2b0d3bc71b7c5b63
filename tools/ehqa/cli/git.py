"""`ehqa check-pr`: may this person make the changes this pull request makes to audits (R4, R7, R15)?

A thin layer: Git is read by ``load.git_history``, the decisions are ``rules.ownership``'s.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ehqa.cli.options import as_of_option, cli, repo_option

log = logging.getLogger("ehqa")

if TYPE_CHECKING:
    from ehqa.load.git_history import FileChange
    from ehqa.load.repository import LoadResult
    from ehqa.rules.ownership import Change, Verdict

# What the check needs from the branch the pull request merges into: who is who, and who was
# allocated what. Read from there, never from the pull request, which could rewrite them.
BASE_FILES = ("qa.yaml", "staff.yaml", "cycles", "schemas")


@cli.command("check-pr")
@click.option("--base", required=True, metavar="REF",
              help="The branch the pull request merges into, e.g. origin/main.")
@click.option("--head", default="HEAD", show_default=True, metavar="REF", help="The pull request's head.")
@click.option("--actor", required=True, metavar="HANDLE",
              help="The GitHub user making the change (github.actor); matched to staff.yaml's github handles, "
                   "ignoring case.")
@repo_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="text for people; github for workflow annotations.")
def check_pr(base: str, head: str, actor: str, repo: Path, as_of: date | None, output_format: str) -> None:
    """Check that the person making a pull request may change the audit files it changes.

    \b
    What the pull request changes is what `git diff BASE...HEAD` shows: the
    changes since HEAD left BASE. Each audit and Perspective of Worker form is judged:
      - an audit may be added or changed only by its allocated auditors (R4), a
        worker form only by the case's practitioner (R7), or either by the QA
        officer or the Head of Service for QA;
      - after its cycle's QA meeting (before --as-of) an audit is closed (R15): it
        changes only by appending amendments (by, date, why), each signed by the
        person making the change, and is never deleted. Follow-up dates still
        empty may be filled in without an amendment.
    Who is who, the cycles and the allocations are read from BASE, never from the
    pull request. Before all that, every path left under audits/ or cycles/
    must be a regular file with a name ehqa knows, and not differ only by
    case from another: symbolic links, case variants (X.YAML, Audits/), stray
    folders and files nothing reads are refused with the rule ids `ehqa
    validate` gives them. Other files are left to code owners' review.

    Exit 0 when every change is allowed, 1 when one is not (one line per problem),
    2 on a usage error: an unknown ref, or a folder that is not in a Git repository.
    """
    from ehqa.load.git_history import GitProblem, pull_request
    from ehqa.rules.ownership import check_changes

    today = as_of or date.today()
    try:
        pr = pull_request(repo, base, head)
        directory = _load_base(repo, base)
    except GitProblem as exc:
        raise click.UsageError(str(exc)) from None
    service = directory.service
    if service.staff is None:
        raise click.ClickException(f"staff.yaml on {base} cannot be read, so nobody's changes can be checked: "
                                   "run `ehqa validate staff.yaml` there")
    max_bytes = service.settings.max_file_bytes if service.settings else None
    changes = [_parsed(change, max_bytes) for change in pr.changes]
    clashes = _clashes(repo, head, pr.changes)
    verdict = check_changes(changes, actor, service.staff, service.cycles, service.allocations, today, clashes)
    _report(verdict, actor, f"{base}...{head}", pr.prefix, output_format)
    sys.exit(1 if verdict.findings else 0)


def _load_base(repo: Path, base: str) -> LoadResult:
    """The staff directory, cycles and allocations as they are on the base branch, read by the one loader."""
    from ehqa.load.git_history import extract
    from ehqa.load.repository import load_repository
    from ehqa.load.schema_check import SchemaError

    with tempfile.TemporaryDirectory(prefix="ehqa-base-") as folder:
        root = Path(folder)
        extract(repo, base, BASE_FILES, root)
        try:
            return load_repository(root)
        except SchemaError as exc:
            raise click.ClickException(f"the schemas on {base} cannot be used: {exc}") from None


def _clashes(repo: Path, head: str, changes: tuple[FileChange, ...]) -> dict[str, list[str]]:
    """For each path the pull request adds or changes, the other paths beside it at the head that
    differ from it only by case: one file on a case-insensitive checkout (Windows, macOS)."""
    from ehqa.layout import case_clashes
    from ehqa.load.git_history import names_at

    present = [change.path for change in changes if change.new is not None]
    folders = sorted({path.rpartition("/")[0] for path in present})
    listing = names_at(repo, head, tuple(folders))
    beside = [f"{folder}/{name}" if folder else name for folder, names in listing.items() for name in names]
    found = case_clashes(beside)
    return {path: found[path] for path in present if path in found}


def _parsed(change: FileChange, max_bytes: int | None) -> Change:
    """The two sides of a change as data. A side that cannot be read, for whatever reason, is
    ``Unreadable``, never an exception: one bad file must not hide the verdict on the others."""
    from ehqa.load.git_history import MODE_EXECUTABLE, MODE_FILE, entry_type
    from ehqa.load.strict_yaml import DEFAULT_MAX_BYTES, YamlProblem, parse
    from ehqa.rules.ownership import Change, Unreadable

    limit = max_bytes or DEFAULT_MAX_BYTES

    def read(data: bytes | None, size: int, mode: str):
        if data is None:
            return None
        if mode not in (MODE_FILE, MODE_EXECUTABLE, ""):
            return Unreadable(f"it is a {entry_type(mode).value}, which ehqa never reads through")
        if max(size, len(data)) > limit:
            return Unreadable(f"the file is {max(size, len(data)):,} bytes, over the {limit:,}-byte cap")
        try:
            return parse(data)
        except YamlProblem as problem:
            return Unreadable(f"line {problem.line}: {problem.message}")
        except Exception as exc:  # a bug in ehqa: the verdict on this file is "cannot be read", never a crash
            log.debug("reading %s failed", change.path, exc_info=True)
            return Unreadable(f"ehqa could not read it ({type(exc).__name__}); this is a bug in ehqa, please report it")

    return Change(change.path, read(change.old, change.old_size, change.old_mode),
                  read(change.new, change.new_size, change.new_mode), entry_type(change.new_mode))


def _report(verdict: Verdict, actor: str, span: str, prefix: str, output_format: str) -> None:
    from ehqa.findings import shown
    from ehqa.reporting.annotations import annotation

    actor = shown(actor, quote=False)
    who = f"{actor} ({verdict.actor.id})" if verdict.actor is not None else actor
    for item in verdict.findings:
        if output_format == "github":
            path = f"{prefix}/{item.path}" if prefix else item.path
            click.echo(annotation("error", item.cited, file=path, title=item.rule))
        else:
            click.echo(item.text())
    judged = len(verdict.judged)
    files = f"{judged} judged file{'s' * (judged != 1)}"
    if verdict.findings:
        refused = len({f.path for f in verdict.findings})
        click.echo(f"refused: {who} may not make the changes to {refused} of the {files} changed in {span}")
    elif judged:
        click.echo(f"ok: {who} may make every change to the {files} changed in {span}")
    else:
        click.echo(f"ok: {span} changes no audit or Perspective of Worker form")
    if verdict.skipped:
        count = len(verdict.skipped)
        click.echo(f"{count} other data file{'s' * (count != 1)} changed (cycles, allocations, qa.yaml, staff.yaml): "
                   "code owners review them, and `ehqa validate` checks them")
