"""``ehqa check-pr``: may this person make the changes this pull request makes to audits (R4, R7,
R15)? The check CI runs on every pull request, as ``reporting.checker`` is ``ehqa validate``'s.

Git is read by ``load.git_history``; the decisions are ``rules.ownership``'s. Who is who, the
cycles and the allocations are read from the base branch, never from the pull request, which
could rewrite them. Git that cannot answer is a ``GitProblem`` (exit 2); a base branch whose data
cannot be used a ``DataError`` (exit 1). The verdict is text for people or GitHub annotations.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehqa.errors import DataError
from ehqa.findings import shown
from ehqa.layout import Known, case_clashes, classify, records_folder
from ehqa.load.git_history import MODE_EXECUTABLE, MODE_FILE, FileChange, entry_type, extract, names_at, pull_request
from ehqa.load.repository import LoadResult, load_repository
from ehqa.load.schema_check import SchemaError
from ehqa.load.strict_yaml import DEFAULT_MAX_BYTES, YamlProblem, parse
from ehqa.reporting.annotations import annotation
from ehqa.rules.changes import Change, Unreadable
from ehqa.rules.ownership import Verdict, check_changes

log = logging.getLogger("ehqa")

# What the check needs from the branch the pull request merges into: who is who, and who was
# allocated what. Read from there, never from the pull request, which could rewrite them.
BASE_FILES = ("qa.yaml", "staff.yaml", "cycles", "schemas")


@dataclass(frozen=True)
class PullRequestVerdict:
    verdict: Verdict
    prefix: str  # the QA repository's folder within the Git repository ("" at its root)


def judge_pull_request(repo: Path, base: str, head: str, actor: str, today: date) -> PullRequestVerdict:
    """The verdict on every audit and worker form the pull request ``base...head`` changes."""
    pr = pull_request(repo, base, head)
    service = _load_base(repo, base, _records_folders(pr.changes)).service
    if service.staff is None:
        raise DataError(f"staff.yaml on {base} cannot be read, so nobody's changes can be checked: "
                        "run `ehqa validate staff.yaml` there")
    max_bytes = service.settings.max_file_bytes if service.settings else None
    changes = [parsed_change(change, max_bytes) for change in pr.changes]
    clashes = _clashes(repo, head, pr.changes)
    verdict = check_changes(changes, actor, service.staff, service.cycles, service.allocations, today, clashes,
                            service.records, service.moderations, service.settings, _landed(repo, base, pr.changes))
    return PullRequestVerdict(verdict, pr.prefix)


def _records_folders(changes: tuple[FileChange, ...]) -> tuple[str, ...]:
    """The records folders of the audits whose records or whose audit the pull request adds: the actions agreed
    there on the base branch say who owns each action (R17), and the own grades already landed count (issue 14)."""
    folders = set()
    for change in changes:
        place = classify(change.path)
        if isinstance(place, Known) and place.kind in ("record", "audit"):
            folders.add(records_folder(place.cycle, place.case))
    return tuple(sorted(folders))


def _landed(repo: Path, base: str, changes: tuple[FileChange, ...]) -> frozenset[str]:
    """The audit files on the base branch of the audits whose own grades or whose audit the pull request adds: own
    grades land no later than the audit (issue 14, rules.grades_ownership)."""
    cycles = set()
    for change in changes:
        place = classify(change.path)
        if isinstance(place, Known) and place.kind in ("record", "audit"):
            cycles.add(f"audits/{place.cycle}")
    listing = names_at(repo, base, tuple(sorted(cycles))) if cycles else {}
    return frozenset(f"{folder}/{name}" for folder, names in listing.items() for name in names)


def _load_base(repo: Path, base: str, more: tuple[str, ...] = ()) -> LoadResult:
    """The staff directory, cycles and allocations (and ``more``: records folders) as they are on the
    base branch, read by the one loader."""
    with tempfile.TemporaryDirectory(prefix="ehqa-base-") as folder:
        root = Path(folder)
        extract(repo, base, BASE_FILES + more, root)
        try:
            return load_repository(root)
        except SchemaError as exc:  # the base branch's state, not the command's usage
            raise DataError(f"the schemas on {base} cannot be used: {exc}") from None


def _clashes(repo: Path, head: str, changes: tuple[FileChange, ...]) -> dict[str, list[str]]:
    """For each path the pull request adds or changes, the other paths beside it at the head that
    differ from it only by case: one file on a case-insensitive checkout (Windows, macOS)."""
    present = [change.path for change in changes if change.new is not None]
    folders = sorted({path.rpartition("/")[0] for path in present})
    listing = names_at(repo, head, tuple(folders))
    beside = [f"{folder}/{name}" if folder else name for folder, names in listing.items() for name in names]
    found = case_clashes(beside)
    return {path: found[path] for path in present if path in found}


def parsed_change(change: FileChange, max_bytes: int | None) -> Change:
    """The two sides of a change as data. A side that cannot be read, for whatever reason, is
    ``Unreadable``, never an exception: one bad file must not hide the verdict on the others."""
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


def verdict_lines(judged: PullRequestVerdict, actor: str, span: str, output_format: str) -> list[str]:
    """One line per refused change, then the verdict (``span`` is ``BASE...HEAD``)."""
    verdict = judged.verdict
    actor = shown(actor, quote=False)
    who = f"{actor} ({verdict.actor.id})" if verdict.actor is not None else actor
    lines = []
    for item in verdict.findings:
        if output_format == "github":
            path = f"{judged.prefix}/{item.path}" if judged.prefix else item.path
            lines.append(annotation("error", item.cited, file=path, title=item.rule))
        else:
            lines.append(item.text())
    count = len(verdict.judged)
    files = f"{count} judged file{'s' * (count != 1)}"
    if verdict.findings:
        refused = len({f.path for f in verdict.findings})
        lines.append(f"refused: {who} may not make the changes to {refused} of the {files} changed in {span}")
    elif count:
        lines.append(f"ok: {who} may make every change to the {files} changed in {span}")
    else:
        lines.append(f"ok: {span} changes no audit or Perspective of Worker form")
    if verdict.skipped:
        skipped = len(verdict.skipped)
        lines.append(f"{skipped} other data file{'s' * (skipped != 1)} changed (cycles, allocations, qa.yaml, "
                     "staff.yaml): code owners review them, and `ehqa validate` checks them")
    return lines
