"""Allocation notices (R5) and Perspective of Worker requests (R7), from a cycle's committed allocation.

Pure functions: the loaded ``Service`` in, a list of files (a path relative to the output
folder, and its text or bytes) out. Nothing here touches the disk; ``ehqa notices`` writes
the files. The same service and ``as_of`` always give byte-identical files: the calendar's
DTSTAMP, the e-mail's Date and its MIME boundaries are all derived from the inputs.

For each auditor of the allocation: ``auditors/<id>.md`` (the notice), ``auditors/<id>.ics``
(audits due, all day; the QA meeting, timed, with its place or link) and ``auditors/<id>.eml`` (the notice as a
ready-to-send message with the .ics attached). For each practitioner whose case was
allocated: ``practitioners/<id>.md`` and ``.eml``, the Perspective of Worker request with
a ready-to-fill ``audits/YYYY-MM/<case>.worker.yaml``. And ``index.md`` for the QA officer.

``notice_facts`` gathers what the notices say (or refuses, with ``NoticeError``);
``messages`` packages it (e-mail, calendar); this module renders the templates and puts the
two together, file by file, the same way for an auditor and a practitioner.

These files name cases, which are personal data: they are for the service's own mail, never
for the published site. The calendar files carry no case reference, because calendars are
shared and synchronised more widely than mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.documents.messages import auditor_calendar, build_message
from ehqa.documents.notice_facts import NoticeError, gather_notice_facts
from ehqa.documents.templates import environment
from ehqa.model import Person, Service
from ehqa.model.wording import long_date

__all__ = ["NoticeError", "Notices", "render_notices"]  # NoticeError: what render_notices raises


@dataclass
class Notices:
    """What ``render_notices`` produced: files to write, and warnings for the person running it."""

    files: list[tuple[str, str | bytes]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.files]


@dataclass(frozen=True)
class _Letter:
    """One notice to one person: what it says, and what goes with it."""

    role: str  # "auditor" or "practitioner"; their files go in the folder of that name, plural
    person: Person
    context: dict
    subject: str
    copied: tuple[Person, ...]  # copied into the e-mail: everyone here has an address
    uncopied: tuple[str, ...]  # warnings: whom the e-mail could not copy in, and why
    calendar: bytes | None = None  # attached to the e-mail, and written beside it


# --- the one entry point ------------------------------------------------------------------


def render_notices(service: Service, cycle_id: str, as_of: date) -> Notices:
    """Every notice for the cycle's allocation, or ``NoticeError`` when the data stops them."""
    gathered = gather_notice_facts(service, cycle_id, as_of)
    settings, facts, qa_officer = gathered.settings, gathered.cycle, gathered.qa_officer
    env = environment()
    domain_set = settings.domain_set_for(facts.id)
    common = {
        "cycle": facts,
        "service_name": settings.service_name,
        "qa_officer": qa_officer,
        "domains": [d.title for d in domain_set.domains] if domain_set else [],
        "questions": settings.worker_questions,
        "system": settings.case_management_system,
    }
    domain = qa_officer.email.rsplit("@", 1)[-1]
    out = Notices()
    if not facts.lead_ok:
        out.warnings.append(
            f"the allocation went out on {facts.allocated}, {facts.lead_days} days before the QA meeting on "
            f"{facts.meeting}: the framework asks for at least {facts.required_lead_days} (R5)"
        )

    def send(letter: _Letter) -> list[str]:
        """Render ``letter`` into ``out``, each file once; the paths written, in order."""
        context = {**common, **letter.context}
        markdown = env.get_template(f"notices/{letter.role}.md.j2").render(context)
        html = env.get_template(f"notices/{letter.role}.html.j2").render(context)
        base = f"{letter.role}s/{letter.person.id}"
        written = [(f"{base}.md", markdown)] + ([(f"{base}.ics", letter.calendar)] if letter.calendar else [])
        out.files += written
        files = [path for path, _ in written]
        if not letter.person.email:
            out.warnings.append(f"{letter.role} {letter.person.id} ({letter.person.name}) has no email in staff.yaml: "
                                f"their .eml could not be addressed; send them {' and '.join(files)} another way")
            return files
        out.warnings.extend(letter.uncopied)
        attachment = (letter.calendar, f"qa-cycle-{facts.id}.ics") if letter.calendar else None
        message = build_message(sender=qa_officer, to=letter.person, cc=list(letter.copied), subject=letter.subject,
                                text=markdown, html=html, as_of=as_of, key=f"{letter.role}/{facts.id}/{letter.person.id}",
                                attachment=attachment)
        out.files.append((f"{base}.eml", message))
        return files + [f"{base}.eml"]

    auditor_rows = []
    for notice in gathered.auditor_notices:
        person = notice.auditor
        letter = _Letter(
            "auditor", person, {"notice": notice, "auditor": person},
            subject=f"QA audit allocation — cycle {facts.id} (theme: {facts.theme})",
            copied=tuple(p for p in notice.partners if p.email),
            uncopied=tuple(f"auditor {p.id} ({p.name}) has no email in staff.yaml: not copied into {person.id}'s notice"
                           for p in notice.partners if not p.email),
            calendar=auditor_calendar(facts, person.id, domain, as_of, settings.meeting_details),
        )
        auditor_rows.append({"person": person, "notice": notice, "files": send(letter), "emailed": bool(person.email)})

    practitioner_rows = []
    for request in gathered.worker_requests:
        person, manager = request.practitioner, request.line_manager
        letter = _Letter(
            "practitioner", person, {"request": request, "practitioner": person},
            subject=f"Perspective of Worker form — QA cycle {facts.id}, due {long_date(facts.worker_forms_due)}",
            copied=(manager,) if manager is not None and manager.email else (),
            uncopied=(f"{person.id}'s line manager {manager.id} ({manager.name}) has no email in staff.yaml: not "
                      "copied into the Perspective of Worker request",) if manager is not None and not manager.email
            else (),
        )
        files = send(letter)
        practitioner_rows.append({"person": person, "request": request, "files": files,
                                  "cc": list(letter.copied) if person.email else []})

    index = env.get_template("notices/index.md.j2").render(
        {**common, "auditors": auditor_rows, "practitioners": practitioner_rows,
         "unallocated": gathered.unallocated, "warnings": out.warnings, "as_of": as_of}
    )
    out.files.append(("index.md", index))
    return out
