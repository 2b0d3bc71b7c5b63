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

One message per person: someone who audits and is also sent a Perspective of Worker request gets
one ``auditors/<id>.eml`` holding both; partners are not copied into each other's notice (each has
their own, which names the other). The message's plain-text part is the notice as text
(``plain_text``), not Markdown; each notice names the learning site's forms its reader will use,
with their addresses when qa.yaml gives ``publication.site.url`` (``site_forms``).

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
from html import escape

from ehqa.documents.messages import auditor_calendar, build_message
from ehqa.documents.notice_facts import CycleFacts, NoticeError, gather_notice_facts
from ehqa.documents.plain_text import plain_text
from ehqa.documents.site_forms import auditor_forms, practitioner_forms
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
        "site_url": settings.site_url,
        "cycle": facts,
        "service_name": settings.service_name,
        "qa_officer": qa_officer,
        "domains": [d.title for d in domain_set.domains] if domain_set else [],
        "questions": settings.worker_questions,
        "system": settings.case_management_system,
    }
    domain = qa_officer.email.rsplit("@", 1)[-1]
    meeting_details = service.cycles[cycle_id].meeting_details_from(settings.meeting_details)
    out = Notices()
    if not facts.lead_ok:
        out.warnings.append(
            f"the allocation went out on {facts.allocated}, {facts.lead_days} days before the QA meeting on "
            f"{facts.meeting}: the framework asks for at least {facts.required_lead_days} (R5)"
        )

    letters: dict[str, list[tuple[_Letter, str, str]]] = {}  # by person: each letter, its Markdown and HTML

    def send(letter: _Letter) -> list[str]:
        """Render ``letter``'s own files into ``out``; its message comes later, one per person."""
        context = {**common, **letter.context}
        markdown = env.get_template(f"notices/{letter.role}.md.j2").render(context)
        html = env.get_template(f"notices/{letter.role}.html.j2").render(context)
        base = f"{letter.role}s/{letter.person.id}"
        written = [(f"{base}.md", markdown)] + ([(f"{base}.ics", letter.calendar)] if letter.calendar else [])
        out.files += written
        letters.setdefault(letter.person.id, []).append((letter, markdown, html))
        return [path for path, _ in written]

    auditor_rows = []
    for notice in gathered.auditor_notices:
        person = notice.auditor
        letter = _Letter(  # partners are not copied in: each has their own notice, which names the other (R4)
            "auditor", person, {"notice": notice, "auditor": person, "forms": auditor_forms(settings.site_url)},
            subject=f"QA audit allocation — cycle {facts.id} (theme: {facts.theme})",
            copied=(), uncopied=(),
            calendar=auditor_calendar(facts, person.id, domain, as_of, meeting_details),
        )
        auditor_rows.append({"person": person, "notice": notice, "files": send(letter), "emailed": bool(person.email)})

    practitioner_rows = []
    for request in gathered.worker_requests:
        person, manager = request.practitioner, request.line_manager
        letter = _Letter(
            "practitioner", person,
            {"request": request, "practitioner": person, "forms": practitioner_forms(settings.site_url)},
            subject=f"Perspective of Worker form — QA cycle {facts.id}, due {long_date(facts.worker_forms_due)}",
            copied=(manager,) if manager is not None and manager.email else (),
            uncopied=(f"{person.id}'s line manager {manager.id} ({manager.name}) has no email in staff.yaml: not "
                      "copied into the Perspective of Worker request",) if manager is not None and not manager.email
            else (),
        )
        files = send(letter)
        practitioner_rows.append({"person": person, "request": request, "files": files,
                                  "cc": list(letter.copied) if person.email else []})

    messages = {person_id: _message(parts, qa_officer, facts, as_of, out) for person_id, parts in letters.items()}
    for row in auditor_rows + practitioner_rows:
        if messages[row["person"].id]:  # one message each: a person with two notices has it in the first's folder
            row["files"].append(messages[row["person"].id])

    index = env.get_template("notices/index.md.j2").render(
        {**common, "auditors": auditor_rows, "practitioners": practitioner_rows,
         "unallocated": gathered.unallocated, "warnings": out.warnings, "as_of": as_of}
    )
    out.files.append(("index.md", index))
    return out


def _message(parts: list[tuple[_Letter, str, str]], qa_officer: Person, facts: CycleFacts, as_of: date,
             out: Notices) -> str | None:
    """One message for one person, whatever they are sent this cycle (an allocation notice, a Perspective of
    Worker request, or both): a real plain-text part (``plain_text``), the HTML, the calendar attached, the
    people each notice copies in. Written in the folder of the person's first notice; the path, or None
    when the person has no email (a warning says what to send them instead)."""
    first = parts[0][0]
    person = first.person
    files = [f"{letter.role}s/{person.id}.{suffix}" for letter, _, _ in parts
             for suffix in (("md", "ics") if letter.calendar else ("md",))]
    if not person.email:
        out.warnings.append(f"{' and '.join(dict.fromkeys(p[0].role for p in parts))} {person.id} ({person.name}) has "
                            f"no email in staff.yaml: their .eml could not be addressed; send them "
                            f"{' and '.join(files)} another way")
        return None
    for letter, _, _ in parts:
        out.warnings.extend(letter.uncopied)
    copied = list(dict.fromkeys(p for letter, _, _ in parts for p in letter.copied if p.id != person.id))
    if len(parts) == 1:
        subject = first.subject
    else:
        subject = (f"QA cycle {facts.id} (theme: {facts.theme}): your audit allocation, and a Perspective of Worker "
                   f"form due {long_date(facts.worker_forms_due)}")
    rule = "\n\n" + "-" * 72 + "\n\n"
    text = rule.join(plain_text(markdown).rstrip("\n") for _, markdown, _ in parts) + "\n"
    html = _joined_html([html for _, _, html in parts], subject)
    calendar = next((letter.calendar for letter, _, _ in parts if letter.calendar), None)
    attachment = (calendar, f"qa-cycle-{facts.id}.ics") if calendar else None
    path = f"{first.role}s/{person.id}.eml"
    out.files.append((path, build_message(sender=qa_officer, to=person, cc=copied, subject=subject, text=text,
                                          html=html, as_of=as_of, key=f"{first.role}/{facts.id}/{person.id}",
                                          attachment=attachment)))
    return path


def _joined_html(pages: list[str], title: str) -> str:
    """One page, or the bodies of several (the templates' own pages) one after the other under ``title``."""
    if len(pages) == 1:
        return pages[0]
    bodies = [page.split("<body>", 1)[1].rsplit("</body>", 1)[0].strip() for page in pages]
    head = pages[0].split("<body>", 1)[0]
    head = head[:head.index("<title>")] + f"<title>{escape(title)}</title>" + head[head.index("</title>") + 8:]
    return head + "<body>\n" + "\n<hr>\n".join(bodies) + "\n</body>\n</html>\n"
