"""The facts the notices show (R5, R7), gathered from the loaded ``Service`` and checked.

``gather_notice_facts`` reads a cycle's committed allocation and returns, for the
templates, each auditor's assignments (partners and cases) and each practitioner's
Perspective of Worker request. Data that stops the notices — no such cycle, no
allocation, an auditor or practitioner missing from staff.yaml, no QA officer to send
from — raises ``NoticeError``, whose message says what to do. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa import layout
from ehqa.errors import DataError
from ehqa.model import Allocation, Cycle, Person, Service, Settings, StaffDirectory, lookups
from ehqa.repo_files.skeleton import worker_skeleton


class NoticeError(DataError):
    """The repository's data stops the notices being written; the message says what to do."""


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
        return layout.audit_path_of_key(self.reaudit_of) if self.reaudit_of else None


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


@dataclass(frozen=True)
class NoticeFacts:
    """Everything the notices of one cycle show: the templates' facts, and who sends them."""

    settings: Settings
    cycle: CycleFacts
    qa_officer: Person  # the notices are sent from their address
    auditor_notices: list[AuditorNotice]
    worker_requests: list[WorkerRequest]
    unallocated: tuple[tuple[str, str], ...]  # (case, reason): what the draw could not place, for the index


def gather_notice_facts(service: Service, cycle_id: str, as_of: date) -> NoticeFacts:
    """The facts for the cycle's committed allocation, or ``NoticeError`` when the data stops them."""
    settings, staff = lookups.settings_and_staff(service, NoticeError)
    cycle, allocation = _cycle_and_allocation(service, cycle_id)
    qa_officer = _qa_officer(staff, as_of)
    facts = _cycle_facts(cycle, allocation, settings)
    cases = _cases(service, cycle, allocation, staff)
    return NoticeFacts(
        settings=settings,
        cycle=facts,
        qa_officer=qa_officer,
        auditor_notices=_auditor_notices(allocation, staff, cases),
        worker_requests=_worker_requests(cycle, allocation, staff, settings, cases),
        unallocated=allocation.unallocated,
    )


def _cycle_and_allocation(service: Service, cycle_id: str) -> tuple[Cycle, Allocation]:
    cycle = lookups.cycle(service, cycle_id, NoticeError)
    allocation_file = layout.allocation_path(cycle_id)
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
    officer = staff.qa_officer_on(as_of)
    if officer is None:
        raise NoticeError(f"staff.yaml has nobody with role qa-officer in the service on {as_of}: the notices are "
                          "sent from the QA officer's email, so add them first")
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
                team_manager=staff.team_manager_of(nomination),
                reaudit_of=nomination.reaudit_of,
                auditors=tuple(staff.people[a] for a in pair.auditors),
                audit_path=layout.audit_path(cycle.id, case),
                worker_path=layout.worker_path(cycle.id, case),
                worker_submitted=submitted.get((cycle.id, case)),
            )
    return cases


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
