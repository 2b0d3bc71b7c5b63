"""Audits and Perspective of Worker forms, from audits/YYYY-MM/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa.model.enums import Grade


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
    overall_reason: str = ""  # R8: why the overall grade lies outside the domain grades' range
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
