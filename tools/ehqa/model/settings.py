"""The service's settings, from qa.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

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
    worker_form_working_days: int = 5  # R7: the practitioner's working days from the allocations to the form's due date
    worker_form_due_days_before_meeting: int | None = None  # R7, when set: calendar days before the meeting instead
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
class MeetingDetails:
    """When and where the QA meeting is held (R14), for the calendar events: qa.yaml's ``meeting`` section.
    Times are in the service's time zone, Europe/London."""

    start: time = time(10, 0)  # meeting.start, "HH:MM"
    minutes: int = 120  # meeting.length_minutes
    place: str = ""  # meeting.place: a room and building; "" when the meeting is online only
    online_link: str = ""  # meeting.online_link: the https:// address to join it online


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


# The defaults of qa.yaml's lists (issue 12, item 19: everything not set takes its default). The grades'
# labels and definitions are section 2.16 of the guidance (R9); the themes are R2's examples.
DEFAULT_GRADES: tuple[tuple[Grade, str, str], ...] = (
    (Grade.OUTSTANDING, 'Outstanding',
     'There is strong evidence of good practice throughout, and there is clear evidence of outcomes and impact throughout'),
    (Grade.GOOD, 'Good',
     'There is evidence of good practice in this case and evidence that the practice of the worker is deemed to be what would be expected'),
    (Grade.REQUIRES_IMPROVEMENT, 'Requires Improvement',
     'Practice standards have been followed but with gaps in assessment, planning and direct work with child/family'),
    (Grade.INADEQUATE, 'Inadequate',
     'Practice standards have not been adhered to and there are gaps in relation to practice'),
    (Grade.INADEQUATE_CRITICAL, 'Inadequate – Critical',
     "Practice standards have not been adhered to and there are critical concerns about the child's safety or welfare that need immediate management action"),
)
DEFAULT_LEARNING_THEMES: tuple[LearningTheme, ...] = (
    LearningTheme('neglect', 'Neglect',
                  "Children's basic needs for food, warmth, hygiene, supervision and emotional care, and how cumulative neglect is recognised over time."),
    LearningTheme('domestic-abuse', 'Domestic abuse',
                  'The impact on children of abuse between adults at home, safety planning and support for the non-abusing parent.'),
    LearningTheme('young-carers', 'Young carers',
                  'Children who look after a family member, and whether their caring role is recognised, assessed and supported.'),
)


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
    github_branch: str = "main"  # the branch the forms' uploads propose changes to
    # R21: what published text may never hold, besides the built-in lists (ehqa.privacy).
    given_names: tuple[str, ...] = ()  # publication.given_names: flagged in an excerpt or a theme
    never_publish: tuple[str, ...] = ()  # publication.never_publish: schools, estates, places
    min_count: int = 5  # R21: the site withholds counts from 1 to min_count - 1 (privacy.disclosure)
    agreement_min_units: int = 10  # agreement.min_units: the fewest units an agreement figure is worked out from
    site_where: str | None = None  # publication.site.where: github-pages, elsewhere or nowhere (issue 12, item 20)
    site_who_can_see: str | None = None  # publication.site.who_can_see: organisation or anyone
    meeting_details: MeetingDetails = MeetingDetails()  # the QA meeting's time and place, for calendars
    site_url: str = ""  # publication.site_url: where the learning site is published; notices link its forms
    pair_line_managers: bool = False  # allocation.pair_line_managers: may a line manager audit with their report?
    demo_as_of: date | None = None  # demo.as_of: a demo service's "today" when no --as-of is given (cli.params)
    # Issue 14. grading.independent: each auditor's own grades before the pair agrees are required, optional or off;
    # from grading.from_cycle on (every cycle when unset). moderation.sample: how many closed audits ehqa moderate
    # draws a cycle, a number ("3") or a share ("10%").
    grading_independent: str = "off"
    grading_from_cycle: str | None = None
    moderation_sample: str = "10%"

    def grading_for(self, cycle: str) -> str:
        """Whether each auditor's own grades are required, optional or off for an audit of ``cycle`` (issue 14):
        before grading.from_cycle they are optional when the setting is on, since nobody was asked for them."""
        if self.grading_independent == "off":
            return "off"
        if self.grading_from_cycle is not None and cycle < self.grading_from_cycle:
            return "optional"
        return self.grading_independent

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

