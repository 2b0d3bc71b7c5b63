"""The private documents' edge with the disk: refuse a published --out (``privacy.private_output``),
read the repository through the one loader, render (``meeting_pack``, ``notices``, ``audit_report``,
which stay pure), and write the files.

Problems are ``ehqa.errors``: ``UsageProblem`` (exit 2) for an --out that could be published, and
``DataError`` (exit 1) when the data, or a file in the way, stops the document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from ehqa.atomic import create_exclusive, write_atomic_bytes, write_or_fail
from ehqa.documents.audit_report import file_name, render_audit_report
from ehqa.documents.meeting_pack import MeetingPack, render_meeting_pack
from ehqa.documents.notices import Notices, render_notices
from ehqa.documents.report_message import report_message
from ehqa.errors import DataError
from ehqa.load.repository import load_repository
from ehqa.privacy.private_output import refuse_published

log = logging.getLogger("ehqa")


def write_meeting_pack(repo: Path, out: Path, cycle: str, today: date, start: time | None) -> MeetingPack:
    """The QA meeting pack of ``cycle`` (R14), written to ``out``; its agenda from ``start``, else from qa.yaml's
    meeting.start (10:00 when it is not set), the time the notices' calendar gives the meeting."""
    refuse_published(out, repo, "the meeting pack names cases and staff")
    service = load_repository(repo).service
    previous = max((c for c in service.cycles if c < cycle), default=None)
    needed = ("qa.yaml", "staff.yaml", f"cycles/{cycle}.yaml", f"cycles/{cycle}.allocation.yaml", f"audits/{cycle}/")
    if previous:
        needed += (f"cycles/{previous}.yaml", f"audits/{previous}/")
    blocking = sorted(f for f in service.broken if f.startswith(needed))
    if blocking:
        raise DataError(f"{', '.join(blocking)} could not be read, so the pack would be incomplete: run "
                        "`ehqa validate` and fix them first")
    if start is None and service.settings is not None:
        details = service.settings.meeting_details
        found = service.cycles.get(cycle)
        start = (found.meeting_details_from(details) if found else details).start
    start = start or time(10, 0)
    pack = render_meeting_pack(service, cycle, today, start)
    if service.broken:
        log.warning("%d other files could not be read, so their follow-ups are missing from the pack: "
                    "run `ehqa validate`", len(service.broken))
    for warning in pack.warnings:
        log.warning("%s", warning)
    for name, text in pack.files:
        write_or_fail(out / name, text)
    return pack


def write_notices(repo: Path, out: Path, cycle: str, today: date) -> Notices:
    """The notices of ``cycle``'s committed allocation (R5, R7), written to ``out``. A file already there is
    never replaced: one with the same bytes is left as it is, one that differs stops everything first."""
    refuse_published(out, repo)
    loaded = load_repository(repo)
    result = render_notices(loaded.service, cycle, today)
    if loaded.findings:
        log.warning("%d files could not be read cleanly: run `ehqa validate`", len(loaded.findings))
    for warning in result.warnings:
        log.warning("%s", warning)
    different = [relative for relative, content in result.files if _differs(out / relative, content)]
    if different:
        raise DataError(f"{len(different)} files in {out} differ from what would be written (edited, or written "
                        f"on another day), and ehqa never overwrites a file: {', '.join(different[:5])}"
                        f"{' …' if len(different) > 5 else ''}. Choose a new folder, or remove them yourself.")
    for relative, content in result.files:
        try:
            create_exclusive(out / relative, content)
        except FileExistsError:
            if _differs(out / relative, content):  # written by someone else since the check above
                raise DataError(f"{out / relative} appeared while the notices were written; it is left as it is") from None
    return result


def write_audit_report(repo: Path, out: Path, relative: str) -> Path:
    """The original audit report of the audit at ``relative`` (R15), written to ``out``; the file written."""
    return write_audit_reports(repo, out, [relative]).files[0]


@dataclass
class WrittenReports:
    """What ``write_audit_reports`` wrote: the reports, the e-mail drafts, and why any draft is missing."""

    files: list[Path] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def write_audit_reports(repo: Path, out: Path, relatives: list[str], as_of: date | None = None) -> WrittenReports:
    """The original audit report of each audit at ``relatives`` (R15), written to ``out``; with ``as_of``, each
    also as a ready-to-send draft to the practitioner's manager (``report_message``), dated ``as_of``. Every
    audit is read before anything is written: one missing or broken stops them all (``DataError``)."""
    refuse_published(out, repo, "the audit report names the case and staff")
    for relative in relatives:
        if not (repo / relative).is_file():
            key = relative.removeprefix("audits/").removesuffix(".yaml")
            raise DataError(f"there is no audit {key}: {relative} does not exist")
    service = load_repository(repo).service
    audits = []
    for relative in relatives:
        found = next((a for a in service.audits if a.source == relative), None)
        if relative in service.broken or found is None:
            raise DataError(f"{relative} could not be read: run `ehqa validate` and fix it first")
        audits.append(found)
    written = WrittenReports()
    for audit in audits:
        page = render_audit_report(service, audit)
        target = out / file_name(audit)
        write_or_fail(target, page)
        written.files.append(target)
        if as_of is None:
            continue
        draft = report_message(service, audit, page, file_name(audit), as_of)
        if draft.message is None:
            written.warnings.append(draft.why)
            log.warning("%s", draft.why)
            continue
        try:
            write_atomic_bytes(out / draft.name, draft.message)
        except OSError as exc:
            raise DataError(f"cannot write {out / draft.name}: {exc.strerror or exc}") from None
        written.drafts.append(out / draft.name)
    return written


def _differs(path: Path, content: str | bytes) -> bool:
    """Whether a file is in the way: it exists and does not hold exactly ``content``."""
    expected = content.encode("utf-8") if isinstance(content, str) else content
    try:
        return path.read_bytes() != expected
    except FileNotFoundError:
        return False
    except OSError:
        return True
