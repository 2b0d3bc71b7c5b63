"""Follow-up records: what people did after the audit, one file per act (issue 11).

An audit is closed at its QA meeting and nothing edits it afterwards. Each later act — actions
agreed, an action done, a review that revises the grades, the service manager's oversight — is a
record in ``audits/YYYY-MM/<case>.records/``, written by the person who did it (or by a QA officer
on their behalf). ``framework/records.py`` says who may write each kind and which rule it serves.

``effective_grades`` is the one answer to "what grade does this audit have now": the audit's own,
or the latest review's where one revised them (R12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from ehqa.model.enums import Grade


@dataclass(frozen=True, slots=True)
class AgreedAction:
    id: str
    action: str
    owner: str
    due: date
    measure: str


@dataclass(frozen=True, slots=True)
class ActionReview:
    action: str
    outcome: str  # met | not-met
    escalated: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    """One act. ``by`` wrote the file; ``actor`` is who acted (``on_behalf_of`` when a QA officer
    recorded it for them). The fields a kind does not have stay empty."""

    source: str
    kind: str
    case: str
    cycle: str
    by: str
    date: date
    on_behalf_of: str | None = None
    received: str | None = None
    note: str = ""
    with_: str | None = None  # actions-agreed, reflective-discussion: the practitioner
    actions: tuple[AgreedAction, ...] = ()  # actions-agreed
    action: str | None = None  # action-update: the action's id
    status: str | None = None  # action-update: done | not-met | changed
    due: date | None = None  # action-update, changed: the new due date
    reviews: tuple[ActionReview, ...] = ()  # actions-reviewed
    for_next_meeting: str = ""  # reflective-discussion
    summary: str = ""  # oversight, feedback
    outcome: str | None = None  # review: findings-upheld | findings-revised
    overall: Grade | None = None  # review, revised
    domains: dict[str, Grade] = field(default_factory=dict)  # review, revised
    reason: str = ""  # review
    rule: str | None = None  # feedback: R10 | R20
    to: tuple[str, ...] = ()  # feedback: the people it reached; report-sent: (the manager,)
    no_assessment_on_file: str = ""  # feedback, R20

    @property
    def audit_key(self) -> str:
        """``YYYY-MM/<case-ref>``: the audit this record follows."""
        return f"{self.cycle}/{self.case}"

    @property
    def actor(self) -> str:
        """Who did what the record says."""
        return self.on_behalf_of or self.by


@dataclass(frozen=True, slots=True)
class EffectiveGrades:
    """An audit's grades as they stand: its own, or a revising review's (R12)."""

    overall: Grade
    domains: dict[str, Grade]
    revised_by: Record | None = None  # the review that revised them, if any

    @property
    def revised(self) -> bool:
        return self.revised_by is not None


def effective_grades(overall: Grade, domains: dict[str, Grade], records: Iterable[Record]) -> EffectiveGrades:
    """The audit's grades after every review that revised them, the latest last (by date, then file)."""
    reviews = sorted((r for r in records if r.kind == "review" and r.outcome == "findings-revised"),
                     key=lambda r: (r.date, r.source))
    grades, latest = dict(domains), None
    for review in reviews:
        overall = review.overall or overall
        grades.update({d: g for d, g in review.domains.items() if d in grades})
        latest = review
    return EffectiveGrades(overall, grades, latest)


def action_key(action: str, owner: str, due: date) -> tuple[str, str, date]:
    """What makes two agreed actions one: what is to be done (however it is spaced), by whom and by when. An
    audit's own SMART action agreed again in a record (``ehqa migrate``) is followed through the record."""
    return " ".join(action.split()), owner, due
