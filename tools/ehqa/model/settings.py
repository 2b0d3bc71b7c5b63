"""The service's settings, from qa.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa.model.enums import Grade, Role

# qa.yaml labels the five grades an audit gives (the schema requires them); Not applicable, which a
# domain may be given, has no entry there, so its label is the guidance's own words.
NOT_APPLICABLE_LABEL = "Not applicable"


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
    head_of_service_review_working_days: int = 10  # R12
    assessment_feedback_working_days: int = 5  # R20
    escalate_to_line_manager_after_working_days: int = 5
    escalate_to_senior_management_after_working_days: int = 15  # R17
    submission_dates: str = "git"  # R13: "git" (first landed on main) or "completed"


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
    meeting_rule: str  # R1: "third Tuesday"; parsed by ehqa.model.cycle_dates.parse_meeting_rule
    min_team_audits: int
    worker_questions: tuple[WorkerQuestion, ...]
    learning_themes: tuple[LearningTheme, ...]
    github_maintainers: tuple[str, ...] = ()  # handles or org/team; they own .github/, schemas/, tools/
    github_repository: str | None = None  # OWNER/NAME: the site's forms open its upload page
    # R21: what published text may never hold, besides the built-in lists (ehqa.privacy).
    given_names: tuple[str, ...] = ()  # publication.given_names: flagged in an excerpt or a theme
    never_publish: tuple[str, ...] = ()  # publication.never_publish: schools, estates, places
    min_count: int = 5  # R21: the site withholds counts from 1 to min_count - 1 (privacy.disclosure)
    demo_as_of: date | None = None  # demo.as_of: a demo service's "today" when no --as-of is given (cli.params)

    def domain_set_for(self, cycle: str) -> DomainSet | None:
        """The domain set in force for a cycle: the newest that started on or before it."""
        current = None
        for domain_set in self.domain_sets:
            if domain_set.from_cycle <= cycle:
                current = domain_set
        return current

    def grade_label(self, grade: Grade) -> str:
        """The service's word for a grade, from qa.yaml (``Requires Improvement``): every page, pack,
        report and message shows grades by this."""
        definition = self.grades.get(grade)
        if definition is not None:
            return definition.label
        return NOT_APPLICABLE_LABEL if grade is Grade.NOT_APPLICABLE else grade.value

    @property
    def theme_ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.learning_themes)
