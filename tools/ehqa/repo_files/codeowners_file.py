"""``ehqa codeowners``' edge with the disk: the data read as ``ehqa validate`` reads it, the file
rendered (``repo_files.codeowners``, pure), and the committed copy read and compared.

Any file that does not load stops it (``DataError``, exit 1): a CODEOWNERS file drawn from part
of the data would leave audits without their owners.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

from ehqa.errors import DataError
from ehqa.load.repository import STAFF_FILE, classify, discover, load_settings, load_single_or_fail
from ehqa.repo_files.codeowners import PATH, CodeOwners, render

log = logging.getLogger("ehqa")

DIFF_LINES = 30  # of a stale file's diff, shown in the message


def codeowners_of(repo: Path) -> CodeOwners:
    """What .github/CODEOWNERS should hold, from qa.yaml, staff.yaml and the cycle files."""
    settings = load_settings(repo)
    cycle_files = [f for f in discover(repo) if classify(f) in ("cycle", "allocation")]
    records = {relative: load_single_or_fail(repo, relative, settings.max_file_bytes,
                                             consequence="; CODEOWNERS is not written from part of the data")
               for relative in [STAFF_FILE, *cycle_files]}
    staff = records.pop(STAFF_FILE)
    cycles = {r.id: r for f, r in records.items() if classify(f) == "cycle"}
    allocations = {r.cycle: r for f, r in records.items() if classify(f) == "allocation"}
    result = render(settings, staff, cycles, allocations)
    for warning in result.warnings:
        log.warning("%s", warning)
    for note in result.notes:
        log.info("%s", note)
    return result


def committed_codeowners(repo: Path) -> str | None:
    """The file as it is in the repository, None when there is none."""
    target = repo / PATH
    if target.is_symlink():
        # The gate runs this on a pull request's files: a link could make it print any file of the runner.
        raise DataError(f"{PATH} is a symbolic link: ehqa never reads through one. Replace it with the file "
                        "`ehqa codeowners` writes")
    return target.read_text(encoding="utf-8") if target.is_file() else None


def refuse_stale(current: str | None, expected: CodeOwners) -> None:
    """``--check``: ``DataError`` when the committed file is missing or differs, with the first lines of the diff."""
    if current is None:
        raise DataError(f"{PATH} is missing: run `ehqa codeowners` and commit it")
    if current != expected.text:
        diff = list(difflib.unified_diff(current.splitlines(), expected.text.splitlines(),
                                         f"{PATH} (committed)", f"{PATH} (from the data)", lineterm="", n=0))
        shown = diff[:DIFF_LINES] + ([f"... and {len(diff) - DIFF_LINES} more lines"] if len(diff) > DIFF_LINES else [])
        raise DataError(f"{PATH} is stale: it does not match staff.yaml, qa.yaml and the allocations. "
                        "Run `ehqa codeowners` and commit it.\n" + "\n".join(shown))
