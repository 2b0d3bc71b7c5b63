"""The typed in-memory model of a QA repository.

Every tool works on these dataclasses, built once by ``ehqa.load``. They hold no
child's or family member's name, date of birth or address: a case is only its
reference. Each record knows the file it came from (``source``), so that rules
can point a person at the line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class Grade(str, Enum):
    """The judgement grades of section 2.16 of the guidance (R9), best first."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"
    INADEQUATE_CRITICAL = "inadequate-critical"
    NOT_APPLICABLE = "not-applicable"  # a domain that does not apply to the case (R8)

    @property
    def is_inadequate(self) -> bool:
        """Inadequate or Inadequate – Critical: alert (R16) and re-audit (R18)."""
        return self in (Grade.INADEQUATE, Grade.INADEQUATE_CRITICAL)


class Role(str, Enum):
    """The roles of DOMAIN.md."""

    PRACTITIONER = "practitioner"
    SENIOR_PRACTITIONER = "senior-practitioner"
    CASE_MANAGER = "case-manager"
    TEAM_MANAGER = "team-manager"
    AREA_MANAGER = "area-manager"
    SERVICE_MANAGER = "service-manager"
    SENIOR_LEADERSHIP = "senior-leadership"
    HEAD_OF_SERVICE_QA = "head-of-service-qa"
    QA_OFFICER = "qa-officer"


# --- settings (qa.yaml) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GradeDefinition:
    grade: Grade
    label: str
    definition: str


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    title: str
    prompt: str


@dataclass(frozen=True, slots=True)
class DomainSet:
    """The audit tool's domains from one cycle on; versioned so that trends stay comparable."""

    version: int
    from_cycle: str
    domains: tuple[Domain, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.domains)


@dataclass(frozen=True, slots=True)
class Timescales:
    allocation_lead_days: int = 14  # R5
    worker_form_due_days_before_meeting: int = 10  # R7
    audits_due_days_before_meeting: int = 3  # R13
    reaudit_earliest_months: int = 2  # R18
    reaudit_latest_months: int = 3  # R18
    safety_concern_working_days: int = 1  # R11
    casenote_working_days: int = 5  # R15
    service_manager_alert_working_days: int = 1  # R16
    escalate_to_line_manager_after_working_days: int = 5
    escalate_to_senior_management_after_working_days: int = 15  # R17


@dataclass(frozen=True, slots=True)
class Roles:
    auditor_roles: frozenset[Role]
    senior_manager_roles: frozenset[Role]
    nominator_roles: frozenset[Role]
    caseholder_roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class LearningTheme:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class WorkerQuestion:
    id: str
    prompt: str


@dataclass(frozen=True, slots=True)
class Settings:
    source: str
    service_name: str
    case_reference_pattern: str
    case_management_system: str
    holiday_country: str
    holiday_subdivision: str
    grades: dict[Grade, GradeDefinition]
    domain_sets: tuple[DomainSet, ...]  # oldest first
    timescales: Timescales
    roles: Roles
    min_evidence_words: int
    max_file_bytes: int
    exclude_own_team: bool
    pair_repeat_lookback_cycles: int
    minutes_per_case: int
    min_team_audits: int
    worker_questions: tuple[WorkerQuestion, ...]
    learning_themes: tuple[LearningTheme, ...]

    def domain_set_for(self, cycle: str) -> DomainSet | None:
        """The domain set in force for a cycle: the newest that started on or before it."""
        current = None
        for domain_set in self.domain_sets:
            if domain_set.from_cycle <= cycle:
                current = domain_set
        return current

    @property
    def theme_ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.learning_themes)


# --- staff (staff.yaml) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Absence:
    start: date
    end: date  # inclusive

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: Role
    team: str
    line_manager: str | None = None
    auditor: bool = False
    github: str | None = None
    email: str | None = None
    left: date | None = None
    absences: tuple[Absence, ...] = ()

    def available(self, start: date, end: date) -> bool:
        """Not absent, and still in the service, at any time between start and end."""
        if self.left is not None and self.left <= end:
            return False
        return not any(a.overlaps(start, end) for a in self.absences)


@dataclass(frozen=True, slots=True)
class StaffDirectory:
    source: str
    teams: dict[str, Team]
    listed: tuple[Person, ...]  # everyone as written, in file order (duplicates included, for messages)
    people: dict[str, Person] = field(init=False)

    def __post_init__(self) -> None:
        people: dict[str, Person] = {}
        for person in self.listed:
            people.setdefault(person.id, person)
        object.__setattr__(self, "people", people)

    def get(self, staff_id: str) -> Person | None:
        return self.people.get(staff_id)

    def management_chain(self, staff_id: str) -> tuple[str, ...]:
        """The line managers above a person, nearest first. Stops at a loop (reported elsewhere)."""
        chain: list[str] = []
        seen = {staff_id}
        person = self.people.get(staff_id)
        while person is not None and person.line_manager and person.line_manager not in seen:
            chain.append(person.line_manager)
            seen.add(person.line_manager)
            person = self.people.get(person.line_manager)
        return tuple(chain)


# --- cycles (cycles/YYYY-MM.yaml, cycles/YYYY-MM.allocation.yaml) -----------------------


@dataclass(frozen=True, slots=True)
class Nomination:
    case: str
    practitioner: str
    team: str
    nominated_by: str
    reaudit_of: str | None = None  # "YYYY-MM/<case-ref>" (R18)


@dataclass(frozen=True, slots=True)
class Cycle:
    source: str
    id: str  # YYYY-MM
    theme_title: str
    theme_source: str
    theme_learning: tuple[str, ...]
    meeting: date
    allocations_by: date
    worker_forms_due: date
    audits_due: date
    nominations: tuple[Nomination, ...]
    _by_case: dict[str, Nomination] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_case: dict[str, Nomination] = {}
        for nomination in self.nominations:
            by_case.setdefault(nomination.case, nomination)
        object.__setattr__(self, "_by_case", by_case)

    def nomination(self, case: str) -> Nomination | None:
        return self._by_case.get(case)


@dataclass(frozen=True, slots=True)
class Pair:
    auditors: tuple[str, ...]
    cases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Allocation:
    source: str
    cycle: str
    seed: int
    allocated: date
    pairs: tuple[Pair, ...]
    unallocated: tuple[tuple[str, str], ...] = ()  # (case, reason)
    _by_case: dict[str, tuple[int, Pair]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_case: dict[str, tuple[int, Pair]] = {}
        for index, pair in enumerate(self.pairs):
            for case in pair.cases:
                by_case.setdefault(case, (index, pair))
        object.__setattr__(self, "_by_case", by_case)

    def pair_for(self, case: str) -> tuple[int, Pair] | None:
        """The first pair allocated this case, with its index."""
        return self._by_case.get(case)


# --- audits (audits/YYYY-MM/<case-ref>.yaml) --------------------------------------------


@dataclass(frozen=True, slots=True)
class DomainJudgement:
    grade: Grade
    evidence: str = ""
    reason: str = ""  # why the domain is not applicable


@dataclass(frozen=True, slots=True)
class SoleCompletion:
    completed_by: str
    absent: str
    reason: str


@dataclass(frozen=True, slots=True)
class SafetyConcern:
    description: str
    identified: date
    team_manager: str
    team_manager_told: date
    action_taken: str = ""


@dataclass(frozen=True, slots=True)
class PreviousWorkFeedback:
    team: str
    kind: str
    summary: str
    practitioner: str | None = None
    fed_back: date | None = None


@dataclass(frozen=True, slots=True)
class AssessmentQuality:
    grade: Grade
    comments: str = ""
    feedback_returned: date | None = None
    manager_informed: date | None = None


@dataclass(frozen=True, slots=True)
class Review:
    reviewer: str
    date: date
    outcome: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Disagreement:
    raised: date
    summary: str
    review: Review | None = None


@dataclass(frozen=True, slots=True)
class SmartAction:
    action: str
    owner: str
    due: date
    measure: str
    status: str
    done: date | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Dates of the steps after the QA meeting (R15–R19); None while a step is not done."""

    report_sent_to_manager: date | None = None
    casenote_recorded: date | None = None
    service_manager_alerted: date | None = None
    supervision_note_recorded: date | None = None
    actions_reviewed: date | None = None
    escalated_to_senior_management: date | None = None
    reflective_discussion: date | None = None
    reflective_notes: str = ""


@dataclass(frozen=True, slots=True)
class Amendment:
    by: str
    date: date
    why: str


@dataclass(frozen=True, slots=True)
class Audit:
    source: str
    case: str
    cycle: str
    auditors: tuple[str, ...]
    completed: date
    domains: dict[str, DomainJudgement]
    overall: Grade
    overall_summary: str
    strengths: tuple[str, ...]
    areas_for_development: tuple[str, ...]
    learning_themes: tuple[str, ...]
    learning_excerpt: str
    reaudit_of: str | None = None
    sole_completion: SoleCompletion | None = None
    safety_concern: SafetyConcern | None = None
    previous_work_feedback: tuple[PreviousWorkFeedback, ...] = ()
    assessment: AssessmentQuality | None = None
    disagreement: Disagreement | None = None
    smart_actions: tuple[SmartAction, ...] = ()
    followup: FollowUp = FollowUp()
    amendments: tuple[Amendment, ...] = ()

    @property
    def key(self) -> str:
        """``YYYY-MM/<case-ref>``: how other files refer to this audit."""
        return f"{self.cycle}/{self.case}"


@dataclass(frozen=True, slots=True)
class WorkerForm:
    """The Perspective of Worker form (R7)."""

    source: str
    case: str
    cycle: str
    practitioner: str
    submitted: date
    answers: dict[str, str]


# --- the whole repository ---------------------------------------------------------------


@dataclass(slots=True)
class Service:
    """Everything in one QA repository that loaded cleanly.

    ``broken`` names the files that exist but could not be loaded, so that rules do
    not pile a second error ("no such cycle") onto the first.
    """

    settings: Settings | None
    staff: StaffDirectory | None
    cycles: dict[str, Cycle] = field(default_factory=dict)
    allocations: dict[str, Allocation] = field(default_factory=dict)
    audits: list[Audit] = field(default_factory=list)
    worker_forms: list[WorkerForm] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)

    def audits_by_key(self) -> dict[str, Audit]:
        """Audits by ``YYYY-MM/<case-ref>``; the first file wins where two claim one key."""
        index: dict[str, Audit] = {}
        for audit in self.audits:
            index.setdefault(audit.key, audit)
        return index
