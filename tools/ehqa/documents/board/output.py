"""The board report's and the evidence pack's edge with the disk: check the input, read the repository through
the one loader, make the document (pure), and write it, atomically, as HTML and with ``docx`` as Word too.

Everything is checked before anything is written: an --out inside the site or the data folders
(``privacy.private_output``), a service with no settings or no
cycles, a period with no cycle or whose findings are not yet shared: a ``UsageProblem`` (exit 2), nothing written.
The board report, which names no case and no person, is scanned for every case reference and staff name, id,
handle and email the repository holds, as ``ehqa build`` scans the site; one found stops it (``DataError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ehqa import layout
from ehqa.atomic import write_atomic_bytes
from ehqa.documents.board.document import Document, render_docx, render_html
from ehqa.errors import DataError, UsageProblem
from ehqa.load.repository import load_repository
from ehqa.model import Service
from ehqa.model.wording import day, month_name
from ehqa.privacy.private_output import refuse_published


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    document: Document | None = None


def write_board_report(repo: Path, out: Path, cycle_id: str, as_of: date, docx: bool = False) -> Written:
    """The QA board report of ``cycle_id`` (R21), as ``board-report-YYYY-MM.html`` (and ``.docx``) in ``out``."""
    from ehqa.documents.board.board_report import board_document
    from ehqa.site.build import submission_dates
    from ehqa.site.pages import site_facts

    service = _service(repo, out, "the board report is for the QA board, not the learning site")
    cycle = service.cycles.get(cycle_id)
    if cycle is None:
        raise UsageProblem(f"there is no cycle {cycle_id}: the service's cycles run from {min(service.cycles)} to "
                           f"{max(service.cycles)}")
    if cycle.meeting >= as_of:
        raise UsageProblem(f"the QA meeting of {month_name(cycle_id)} is on {day(cycle.meeting)}, not before --as-of "
                           f"{as_of}: its findings are discussed there (R14) before they are reported (R21)")
    facts = site_facts(service, as_of, lambda chart: chart, submission_dates(repo, service))
    if cycle_id not in facts.published:
        raise UsageProblem(f"the cycle of {month_name(cycle_id)} has no audits recorded: there is nothing to report")
    document = board_document(facts, cycle_id)
    html = render_html(document)
    _refuse_leaks(service, f"board-report-{cycle_id}.html", html)
    return _write(out, f"board-report-{cycle_id}", document, html, docx)


def write_evidence(repo: Path, out: Path, start: str, end: str, as_of: date, docx: bool = False) -> Written:
    """The inspection evidence pack of the cycles from ``start`` to ``end``, as ``evidence-START-to-END.html``
    (and ``.docx``) in ``out``. Private: it names the cases re-audited."""
    from ehqa.documents.board.evidence import evidence_document
    from ehqa.site.build import submission_dates

    if start > end:
        raise UsageProblem(f"--from {start} is after --to {end}")
    service = _service(repo, out, "the evidence pack names cases")
    chosen = [c for c in sorted(service.cycles) if start <= c <= end]
    if not chosen:
        raise UsageProblem(f"no cycle from {start} to {end}: the service's cycles run from {min(service.cycles)} to "
                           f"{max(service.cycles)}")
    document = evidence_document(service, chosen, as_of, submission_dates(repo, service))
    return _write(out, f"evidence-{start}-to-{end}", document, render_html(document), docx)


def _service(repo: Path, out: Path, reason: str) -> Service:
    refuse_published(out, repo, reason)
    if not (repo / layout.SETTINGS_FILE).is_file():
        raise UsageProblem(f"{repo} holds no service: there is no {layout.SETTINGS_FILE}")
    service = load_repository(repo).service
    if service.settings is None or service.staff is None:
        raise DataError(f"{layout.SETTINGS_FILE} and {layout.STAFF_FILE} must load cleanly: run `ehqa validate`")
    if not service.cycles:
        raise UsageProblem("the service has no cycles yet: there is nothing to report (`ehqa cycle new` sets one up)")
    return service


def _refuse_leaks(service: Service, name: str, html: str) -> None:
    """The site's leak scan, on the report: it must show no case reference and no staff name, id, handle or email."""
    from ehqa.privacy.leak_scan import scan_file
    from ehqa.privacy.matcher import Matcher
    from ehqa.privacy.site_scan import identifiers_from

    leaks = scan_file(name, ".html", html.encode("utf-8"), Matcher(identifiers_from(service)))
    if leaks:
        kinds = sorted({leak.what for leak in leaks})
        raise DataError(f"the board report would show {', '.join(kinds)} (the leak scan of `ehqa build`), so nothing "
                        "was written: run `ehqa validate`, which finds the field that holds it")


def _write(out: Path, stem: str, document: Document, html: str, docx: bool) -> Written:
    written = Written(document=document)
    files = [(out / f"{stem}.html", html.encode("utf-8"))]
    if docx:
        files.append((out / f"{stem}.docx", render_docx(document)))
    for path, data in files:
        try:
            write_atomic_bytes(path, data)
        except OSError as exc:
            raise DataError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.files.append(path)
    return written
