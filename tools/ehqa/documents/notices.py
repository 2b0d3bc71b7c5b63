"""Allocation notices (R5) and Perspective of Worker requests (R7), from a cycle's committed allocation.

Pure functions: the loaded ``Service`` in, a list of files (a path relative to the output
folder, and its text or bytes) out. Nothing here touches the disk; ``ehqa notices`` writes
the files. The same service and ``as_of`` always give byte-identical files: the calendar's
DTSTAMP, the e-mail's Date and its MIME boundaries are all derived from the inputs.

For each auditor of the allocation: ``auditors/<id>.md`` (the notice), ``auditors/<id>.ics``
(two all-day events: audits due, QA meeting) and ``auditors/<id>.eml`` (the notice as a
ready-to-send message with the .ics attached). For each practitioner whose case was
allocated: ``practitioners/<id>.md`` and ``.eml``, the Perspective of Worker request with
a ready-to-fill ``audits/YYYY-MM/<case>.worker.yaml``. And ``index.md`` for the QA officer.

``notice_facts`` gathers what the notices say (or refuses, with ``NoticeError``);
``messages`` packages it (templates, e-mail, calendar, worker form); this module puts
the two together, file by file.

These files name cases, which are personal data: they are for the service's own mail, never
for the published site. The calendar files carry no case reference, because calendars are
shared and synchronised more widely than mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.documents.messages import auditor_calendar, build_message, worker_skeleton
from ehqa.documents.notice_facts import (
    Assignment,
    AuditorNotice,
    CaseInfo,
    CycleFacts,
    NoticeError,
    WorkerRequest,
    gather_notice_facts,
)
from ehqa.documents.templates import environment
from ehqa.model import Person, Service
from ehqa.model.wording import long_date, names

# The facts live in notice_facts, the packaging in messages and the wording in wording; these names stay
# importable from here.
__all__ = [
    "Assignment", "AuditorNotice", "CaseInfo", "CycleFacts", "NoticeError", "Notices", "WorkerRequest",
    "auditor_calendar", "build_message", "long_date", "names", "render_notices", "worker_skeleton",
]


@dataclass
class Notices:
    """What ``render_notices`` produced: files to write, and warnings for the person running it."""

    files: list[tuple[str, str | bytes]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.files]


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

    auditor_rows = []
    for notice in gathered.auditor_notices:
        person = notice.auditor
        context = {**common, "notice": notice, "auditor": person}
        markdown = env.get_template("notices/auditor.md.j2").render(context)
        html = env.get_template("notices/auditor.html.j2").render(context)
        calendar = auditor_calendar(facts, person.id, domain, as_of)
        base = f"auditors/{person.id}"
        out.files.append((f"{base}.md", markdown))
        out.files.append((f"{base}.ics", calendar))
        files = [f"{base}.md", f"{base}.ics"]
        if person.email:
            cc = [p for p in notice.partners if p.email]
            for partner in notice.partners:
                if not partner.email:
                    out.warnings.append(f"auditor {partner.id} ({partner.name}) has no email in staff.yaml: "
                                        f"not copied into {person.id}'s notice")
            subject = f"QA audit allocation — cycle {facts.id} (theme: {facts.theme})"
            message = build_message(
                sender=qa_officer, to=person, cc=cc, subject=subject, text=markdown, html=html, as_of=as_of,
                key=f"auditor/{facts.id}/{person.id}",
                attachment=(calendar, f"qa-cycle-{facts.id}.ics"),
            )
            out.files.append((f"{base}.eml", message))
            files.append(f"{base}.eml")
        else:
            out.warnings.append(f"auditor {person.id} ({person.name}) has no email in staff.yaml: their .eml could "
                                f"not be addressed; send them {base}.md and {base}.ics another way")
        auditor_rows.append({"person": person, "notice": notice, "files": files, "emailed": bool(person.email)})

    practitioner_rows = []
    for request in gathered.worker_requests:
        person = request.practitioner
        context = {**common, "request": request, "practitioner": person}
        markdown = env.get_template("notices/practitioner.md.j2").render(context)
        html = env.get_template("notices/practitioner.html.j2").render(context)
        base = f"practitioners/{person.id}"
        out.files.append((f"{base}.md", markdown))
        files = [f"{base}.md"]
        cc: list[Person] = []
        if person.email:
            manager = request.line_manager
            if manager is not None and manager.email:
                cc.append(manager)
            elif manager is not None:
                out.warnings.append(f"{person.id}'s line manager {manager.id} ({manager.name}) has no email in "
                                    f"staff.yaml: not copied into the Perspective of Worker request")
            subject = f"Perspective of Worker form — QA cycle {facts.id}, due {long_date(facts.worker_forms_due)}"
            message = build_message(
                sender=qa_officer, to=person, cc=cc, subject=subject, text=markdown, html=html, as_of=as_of,
                key=f"practitioner/{facts.id}/{person.id}",
            )
            out.files.append((f"{base}.eml", message))
            files.append(f"{base}.eml")
        else:
            out.warnings.append(f"practitioner {person.id} ({person.name}) has no email in staff.yaml: their .eml "
                                f"could not be addressed; send them {base}.md another way")
        practitioner_rows.append({"person": person, "request": request, "files": files, "cc": cc})

    index = env.get_template("notices/index.md.j2").render(
        {**common, "auditors": auditor_rows, "practitioners": practitioner_rows,
         "unallocated": gathered.unallocated, "warnings": out.warnings, "as_of": as_of}
    )
    out.files.append(("index.md", index))
    return out
