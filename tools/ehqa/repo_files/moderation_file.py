"""The moderation sample, cycles/YYYY-MM.moderation.yaml (issue 14): written by ``ehqa moderate``, never over a file
that exists (a person may have written it, or moderators been told of it), and exclusively, so that a draw made
meanwhile is never lost.

``moderation_request`` reads what the draw needs through the one loader and refuses a draw the data forbids: a
cycle whose QA meeting has not been held (moderation is of closed audits), or with no audits.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from ehqa import layout
from ehqa.atomic import create_or_fail
from ehqa.errors import DataError, UsageProblem
from ehqa.layout import schema_reference
from ehqa.plan.moderation import ModerationDraw, ModerationRequest, sample_size
from ehqa.repo_files.yaml_text import dump_document

log = logging.getLogger("ehqa")


def moderation_request(repo: Path, cycle: str, today: date, seed: int, sample: str | None,
                       dry_run: bool) -> ModerationRequest:
    from ehqa.load.repository import load_repository

    relative = layout.moderation_path(cycle)
    drawn = (repo / relative).exists() or (repo / relative).is_symlink()
    if drawn and dry_run:
        log.warning("%s exists: cycle %s's moderation sample has been drawn, so a real run would refuse; this is only "
                    "what a new draw would give", relative, cycle)
    if drawn and not dry_run:
        raise DataError(f"{relative} exists: cycle {cycle}'s moderation sample has been drawn, and ehqa never "
                        "overwrites it (its moderators may have started). To draw again, delete it yourself first")
    loaded = load_repository(repo)
    service = loaded.service
    cycle_file = layout.cycle_path(cycle)
    blocking = [f for f in loaded.findings if f.file in (*layout.ROOT_FILES, cycle_file)]
    if blocking or service.settings is None or service.staff is None:
        raise DataError(f"{len(blocking) or 'some'} problem{'s' if len(blocking) != 1 else ''} in qa.yaml, staff.yaml or {cycle_file} stop the draw: "
                        "run `ehqa validate` and fix them first")
    found = service.cycles.get(cycle)
    if found is None:
        raise DataError(f"there is no cycle {cycle} ({cycle_file})")
    if found.meeting >= today:
        raise DataError(f"cycle {cycle}'s QA meeting is on {found.meeting}: moderation draws closed audits, the day "
                        "after the meeting at the earliest")
    wanted = sample if sample is not None else service.settings.moderation_sample
    try:
        sample_size(wanted, 1)
    except ValueError as exc:
        raise UsageProblem(f"--sample: {exc}" if sample is not None else f"qa.yaml moderation.sample: {exc}") from None
    audits = tuple((audit, service.effective_grades(audit, today).overall) for audit in service.audits
                   if audit.cycle == cycle and audit.source not in service.broken)
    if not audits:
        raise DataError(f"cycle {cycle} has no audits to moderate")
    return ModerationRequest(found, audits, service.staff, wanted, seed, today)


def moderation_document(result: ModerationDraw) -> str:
    """The file's text: how it was made, then the sample. No grade: a moderator reading it learns nothing of the
    auditors' judgement."""
    header = (
        f"# Written by `ehqa moderate {result.cycle} --seed {result.seed} --sample {result.sample}` from "
        f"{result.closed} closed audits.\n"
        "# The same audits and seed give the same sample. Each moderator grades their case blind\n"
        "# (`ehqa new moderation`); `ehqa validate` re-checks this file if it is edited by hand.\n"
    )
    value = {"cycle": result.cycle, "seed": result.seed, "drawn": result.drawn, "sample": result.sample,
             "cases": [{"case": c.case, "moderator": c.moderator} for c in result.cases]}
    document = dump_document(value, schema_reference("moderation"))
    first, rest = document.split("\n", 1)
    return f"{first}\n{header}{rest}"


def write_moderation(repo: Path, result: ModerationDraw) -> str:
    relative = layout.moderation_path(result.cycle)
    create_or_fail(repo / relative, moderation_document(result), shown=relative,
                   taken=f"{relative} was written by someone else while this draw ran; it is left as it is")
    log.info("wrote %s", relative)
    return relative
