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

These files name cases, which are personal data: they are for the service's own mail, never
for the published site. The calendar files carry no case reference, because calendars are
shared and synchronised more widely than mail.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import jinja2

from ..model import Allocation, Cycle, Person, Role, Service, Settings, StaffDirectory
from .yaml_text import dump_document

TEMPLATES = Path(__file__).resolve().parent / "templates"
WORKER_SCHEMA = "../../schemas/worker.schema.json"  # as seen from audits/YYYY-MM/

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


class NoticeError(Exception):
    """The repository's data stops the notices being written; the message says what to do."""


@dataclass
class Notices:
    """What ``render_notices`` produced: files to write, and warnings for the person running it."""

    files: list[tuple[str, str | bytes]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.files]


# --- the facts the templates show ---------------------------------------------------------


@dataclass(frozen=True)
class CaseInfo:
    ref: str
    team: str  # the team's name
    practitioner: Person
    team_manager: Person | None
    reaudit_of: str | None  # "YYYY-MM/<case-ref>"
    auditors: tuple[Person, ...]
    audit_path: str
    worker_path: str
    worker_submitted: date | None  # a Perspective of Worker form is already in the repository

    @property
    def reaudit_path(self) -> str | None:
        return f"audits/{self.reaudit_of}.yaml" if self.reaudit_of else None


@dataclass(frozen=True)
class Assignment:
    """One pair entry of the allocation, seen from one of its auditors."""

    partners: tuple[Person, ...]
    cases: tuple[CaseInfo, ...]

    @property
    def all_reaudits(self) -> bool:
        return all(case.reaudit_of for case in self.cases)


@dataclass(frozen=True)
class CycleFacts:
    id: str
    theme: str
    learning_themes: tuple[str, ...]  # titles
    allocated: date
    allocations_by: date
    worker_forms_due: date
    audits_due: date
    meeting: date
    lead_days: int  # days from the allocation to the meeting
    required_lead_days: int  # R5

    @property
    def lead_ok(self) -> bool:
        return self.lead_days >= self.required_lead_days


@dataclass(frozen=True)
class AuditorNotice:
    auditor: Person
    assignments: tuple[Assignment, ...]

    @property
    def partners(self) -> tuple[Person, ...]:
        seen: dict[str, Person] = {}
        for assignment in self.assignments:
            for partner in assignment.partners:
                seen.setdefault(partner.id, partner)
        return tuple(seen.values())

    @property
    def cases(self) -> tuple[CaseInfo, ...]:
        return tuple(case for assignment in self.assignments for case in assignment.cases)


@dataclass(frozen=True)
class WorkerRequest:
    practitioner: Person
    line_manager: Person | None
    cases: tuple[CaseInfo, ...]
    skeletons: dict[str, str]  # case ref -> the ready-to-fill worker.yaml


# --- the one entry point ------------------------------------------------------------------


def render_notices(service: Service, cycle_id: str, as_of: date) -> Notices:
    """Every notice for the cycle's allocation, or ``NoticeError`` when the data stops them."""
    settings, staff = _settings_and_staff(service)
    cycle, allocation = _cycle_and_allocation(service, cycle_id)
    qa_officer = _qa_officer(staff, as_of)
    facts = _cycle_facts(cycle, allocation, settings)
    cases = _cases(service, cycle, allocation, staff)
    auditor_notices = _auditor_notices(allocation, staff, cases)
    requests = _worker_requests(cycle, allocation, staff, settings, cases)
    env = _environment()
    domain_set = settings.domain_set_for(cycle.id)
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
    for notice in auditor_notices:
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
    for request in requests:
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
         "unallocated": allocation.unallocated, "warnings": out.warnings, "as_of": as_of}
    )
    out.files.append(("index.md", index))
    return out


# --- the calendar and the message ---------------------------------------------------------


def auditor_calendar(facts: CycleFacts, staff_id: str, domain: str, as_of: date) -> bytes:
    """Two all-day events: the audits due, and the QA meeting. No case reference (see the module doc)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//ehqa//allocation notices//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    stamp = datetime.combine(as_of, time(0, 0), tzinfo=timezone.utc)
    events = (
        ("audits-due", f"Audits due — cycle {facts.id}", facts.audits_due,
         f"Your audits for QA cycle {facts.id} (theme: {facts.theme}) are due today. "
         "Your allocation notice lists the cases."),
        ("qa-meeting", f"Early Help QA meeting — cycle {facts.id}", facts.meeting,
         f"The QA meeting for cycle {facts.id} (theme: {facts.theme}) discusses the findings of the audits."),
    )
    for kind, summary, day, description in events:
        event = Event()
        event.add("uid", f"ehqa-{facts.id}-{staff_id}-{kind}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def build_message(
    *, sender: Person, to: Person, cc: list[Person], subject: str, text: str, html: str, as_of: date, key: str,
    attachment: tuple[bytes, str] | None = None,
) -> bytes:
    """An RFC 5322 message, CRLF line endings, with a plain-text body, an HTML alternative and an
    optional text/calendar attachment. ``X-Unsent: 1`` makes mail clients open it as a draft to send."""
    message = EmailMessage()
    message["From"] = _address(sender)
    message["To"] = _address(to)
    if cc:
        message["Cc"] = [_address(p) for p in cc]
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.combine(as_of, time(9, 0), tzinfo=timezone.utc))
    message["X-Unsent"] = "1"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    if attachment is not None:
        data, filename = attachment
        message.add_attachment(data, maintype="text", subtype="calendar", filename=filename,
                               params={"charset": "utf-8", "method": "PUBLISH"})
    # Fixed boundaries keep the file reproducible; "=_" never occurs in quoted-printable or base64.
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    if message.is_multipart():
        message.set_boundary(f"=_ehqa_{digest}_m")
        for part in message.iter_parts():
            if part.is_multipart():
                part.set_boundary(f"=_ehqa_{digest}_a")
    return message.as_bytes(policy=SMTP)


def _address(person: Person) -> Address:
    assert person.email
    return Address(display_name=person.name, addr_spec=person.email)


# --- the worker-form skeleton -------------------------------------------------------------


def worker_skeleton(case: str, cycle: str, practitioner: str, due: date, questions: tuple) -> str:
    """A ready-to-fill ``audits/YYYY-MM/<case>.worker.yaml``: each answer is ``""`` under its question."""
    head = dump_document({"case": case, "cycle": cycle, "practitioner": practitioner, "submitted": due}, WORKER_SCHEMA)
    lines = head.rstrip("\n").split("\n")
    lines[-1] += "  # change to the day you send the form back"
    lines.append("answers:  # replace each \"\" with your answer; please name no child or family member")
    for question in questions:
        for part in textwrap.wrap(" ".join(question.prompt.split()), width=94):
            lines.append(f"  # {part}")
        body = dump_document({question.id: ""}, WORKER_SCHEMA).split("\n", 1)[1].rstrip("\n")
        lines.append(f"  {body}")
    return "\n".join(lines) + "\n"


# --- gathering the facts ------------------------------------------------------------------


def _settings_and_staff(service: Service) -> tuple[Settings, StaffDirectory]:
    if service.settings is None:
        raise NoticeError("qa.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    if service.staff is None:
        raise NoticeError("staff.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    return service.settings, service.staff


def _cycle_and_allocation(service: Service, cycle_id: str) -> tuple[Cycle, Allocation]:
    cycle_file = f"cycles/{cycle_id}.yaml"
    allocation_file = f"cycles/{cycle_id}.allocation.yaml"
    cycle = service.cycles.get(cycle_id)
    if cycle is None:
        if cycle_file in service.broken:
            raise NoticeError(f"{cycle_file} could not be read: run `ehqa validate` and fix it first")
        raise NoticeError(f"there is no cycle {cycle_id}: {cycle_file} does not exist")
    allocation = service.allocations.get(cycle_id)
    if allocation is None:
        if allocation_file in service.broken:
            raise NoticeError(f"{allocation_file} could not be read: run `ehqa validate` and fix it first")
        raise NoticeError(f"cycle {cycle_id} has no allocation yet ({allocation_file} does not exist): "
                          f"run `ehqa allocate {cycle_id}` and commit the allocation first")
    if not allocation.pairs:
        raise NoticeError(f"{allocation_file} allocates no case to anyone: there is nobody to notify")
    return cycle, allocation


def _qa_officer(staff: StaffDirectory, as_of: date) -> Person:
    officers = [p for p in staff.people.values() if p.role is Role.QA_OFFICER]
    current = [p for p in officers if p.left is None or p.left > as_of] or officers
    if not current:
        raise NoticeError("staff.yaml has nobody with role qa-officer: the notices are sent from the QA officer's "
                          "email, so add them first")
    officer = current[0]
    if not officer.email:
        raise NoticeError(f"the QA officer {officer.id} ({officer.name}) has no email in staff.yaml: the notices are "
                          f"sent from it, so add it first")
    return officer


def _cycle_facts(cycle: Cycle, allocation: Allocation, settings: Settings) -> CycleFacts:
    titles = {t.id: t.title for t in settings.learning_themes}
    return CycleFacts(
        id=cycle.id,
        theme=cycle.theme_title,
        learning_themes=tuple(  # shown after the theme, so not when they only repeat it
            titles.get(t, t) for t in cycle.theme_learning if titles.get(t, t).casefold() != cycle.theme_title.casefold()
        ),
        allocated=allocation.allocated,
        allocations_by=cycle.allocations_by,
        worker_forms_due=cycle.worker_forms_due,
        audits_due=cycle.audits_due,
        meeting=cycle.meeting,
        lead_days=(cycle.meeting - allocation.allocated).days,
        required_lead_days=settings.timescales.allocation_lead_days,
    )


def _cases(service: Service, cycle: Cycle, allocation: Allocation, staff: StaffDirectory) -> dict[str, CaseInfo]:
    source = allocation.source
    problems: list[str] = []
    for pair in allocation.pairs:
        problems += [f"auditor '{a}' is not in staff.yaml" for a in pair.auditors if staff.get(a) is None]
        problems += [f"case {c} was not nominated in {cycle.source}" for c in pair.cases if cycle.nomination(c) is None]
    for pair in allocation.pairs:
        for case in pair.cases:
            nomination = cycle.nomination(case)
            if nomination is not None and staff.get(nomination.practitioner) is None:
                problems.append(f"case {case}'s practitioner '{nomination.practitioner}' is not in staff.yaml")
    if problems:
        raise NoticeError(f"{source}: " + "; ".join(dict.fromkeys(problems)) + ": run `ehqa validate` and fix it first")
    submitted = {(f.cycle, f.case): f.submitted for f in service.worker_forms}
    cases: dict[str, CaseInfo] = {}
    for pair in allocation.pairs:
        for case in pair.cases:
            if case in cases:
                continue
            nomination = cycle.nomination(case)
            assert nomination is not None
            practitioner = staff.people[nomination.practitioner]
            team = staff.teams.get(nomination.team)
            cases[case] = CaseInfo(
                ref=case,
                team=team.name if team else nomination.team,
                practitioner=practitioner,
                team_manager=_team_manager(staff, practitioner, nomination.nominated_by),
                reaudit_of=nomination.reaudit_of,
                auditors=tuple(staff.people[a] for a in pair.auditors),
                audit_path=f"audits/{cycle.id}/{case}.yaml",
                worker_path=f"audits/{cycle.id}/{case}.worker.yaml",
                worker_submitted=submitted.get((cycle.id, case)),
            )
    return cases


def _team_manager(staff: StaffDirectory, practitioner: Person, nominated_by: str) -> Person | None:
    """The case's team manager, whom the auditor tells at once of a safety concern (R11)."""
    for manager_id in staff.management_chain(practitioner.id):
        manager = staff.get(manager_id)
        if manager is not None and manager.role is Role.TEAM_MANAGER:
            return manager
    nominator = staff.get(nominated_by)
    return nominator if nominator is not None and nominator.role is Role.TEAM_MANAGER else None


def _auditor_notices(allocation: Allocation, staff: StaffDirectory, cases: dict[str, CaseInfo]) -> list[AuditorNotice]:
    assignments: dict[str, list[Assignment]] = {}
    for pair in allocation.pairs:
        for auditor in dict.fromkeys(pair.auditors):
            partners = tuple(staff.people[a] for a in dict.fromkeys(pair.auditors) if a != auditor)
            assignments.setdefault(auditor, []).append(
                Assignment(partners=partners, cases=tuple(cases[c] for c in dict.fromkeys(pair.cases)))
            )
    return [AuditorNotice(auditor=staff.people[a], assignments=tuple(items)) for a, items in assignments.items()]


def _worker_requests(
    cycle: Cycle, allocation: Allocation, staff: StaffDirectory, settings: Settings, cases: dict[str, CaseInfo]
) -> list[WorkerRequest]:
    by_practitioner: dict[str, list[CaseInfo]] = {}
    for case in cases.values():
        by_practitioner.setdefault(case.practitioner.id, []).append(case)
    requests = []
    for practitioner_id, items in by_practitioner.items():
        person = staff.people[practitioner_id]
        manager = staff.get(person.line_manager) if person.line_manager else None
        skeletons = {
            case.ref: worker_skeleton(case.ref, cycle.id, person.id, cycle.worker_forms_due, settings.worker_questions)
            for case in items
        }
        requests.append(WorkerRequest(practitioner=person, line_manager=manager, cases=tuple(items), skeletons=skeletons))
    return requests


# --- templates ----------------------------------------------------------------------------


def long_date(day: date) -> str:
    """``Friday 13 November 2026``, the same whatever the machine's locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def names(people) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = [p.name if isinstance(p, Person) else str(p) for p in people]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["names"] = names
    return env
