"""Follow-up records: what people did after the audit, one file per act (issue 11).

An audit is closed at its QA meeting and nothing edits it afterwards. Each later act — actions
agreed, an action done, a review that revises the grades, the service manager's oversight — is a
record in ``audits/YYYY-MM/<case>.records/``, written by the person who did it (or by a QA officer
on their behalf). ``framework/records.py`` says who may write each kind and which rule it serves.

Two kinds hold grades that are never the audit's (issue 14): ``grades``, one auditor's own grade of every domain
and overall, made alone before the pair agrees; and ``moderation``, a moderator's blind second grading of a
sampled closed audit. They measure how far graders agree; they never change what grade the audit has.

``effective_grades`` is the one answer to "what grade does this audit have now": the audit's own,
or the latest review's where one revised them (R12). ``recorded_followup`` and ``recorded_actions`` answer
"what has been done since": the audit's own follow-up fields (audits written before records) with what
its records add, as the follow-ups (``rules.obligations``) count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from ehqa.model.audits import FollowUp, SmartAction
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
    summary: str = ""  # oversight, feedback, moderation
    outcome: str | None = None  # review: findings-upheld | findings-revised
    overall: Grade | None = None  # review, revised; grades (the auditor's own); moderation (the moderator's)
    domains: dict[str, Grade] = field(default_factory=dict)  # review, revised; grades and moderation: every domain
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


def recorded_followup(followup: FollowUp, records: Iterable[Record]) -> FollowUp:
    """The audit's follow-up steps as they stand: each step's date the earlier of the audit's own field and the
    first record that does it (the service manager's oversight for the alert, R16; an actions-reviewed record
    that escalated an action for the escalation, R17); the reflective notes, the audit's, or the first
    discussion's ``for_next_meeting``."""
    ordered = sorted(records, key=lambda r: (r.date, r.source))

    def first(kind: str, own: date | None, also=lambda r: True) -> date | None:
        found = next((r.date for r in ordered if r.kind == kind and also(r)), None)
        return min((d for d in (own, found) if d is not None), default=None)

    discussion = next((r for r in ordered if r.kind == "reflective-discussion" and r.for_next_meeting), None)
    return FollowUp(
        report_sent_to_manager=first("report-sent", followup.report_sent_to_manager),
        casenote_recorded=first("casenote", followup.casenote_recorded),
        service_manager_alerted=first("oversight", followup.service_manager_alerted),
        supervision_note_recorded=first("supervision-note", followup.supervision_note_recorded),
        actions_reviewed=first("actions-reviewed", followup.actions_reviewed),
        escalated_to_senior_management=first("actions-reviewed", followup.escalated_to_senior_management,
                                             lambda r: any(review.escalated for review in r.reviews)),
        reflective_discussion=first("reflective-discussion", followup.reflective_discussion),
        reflective_notes=followup.reflective_notes or (discussion.for_next_meeting if discussion else ""),
    )


def recorded_actions(actions: Iterable[SmartAction], records: Iterable[Record]) -> tuple[SmartAction, ...]:
    """The audit's SMART actions as they stand (R17): its own, but those an actions-agreed record agreed again
    (``ehqa migrate``), then each action the records agreed, due on the date the last update moved it to,
    done on the day an update said so, or not met."""
    ordered = sorted(records, key=lambda r: (r.date, r.source))
    agreed = [action for record in ordered if record.kind == "actions-agreed" for action in record.actions]
    again = {action_key(a.action, a.owner, a.due) for a in agreed}
    found = [a for a in actions if action_key(a.action, a.owner, a.due) not in again]
    seen: set[str] = set()
    for action in agreed:
        if action.id in seen:
            continue  # an id agreed twice: the first agreement stands (RECORD-ACTIONS)
        seen.add(action.id)
        updates = [r for r in ordered if r.kind == "action-update" and r.action == action.id]
        moved = [u.due for u in updates if u.status == "changed" and u.due is not None]
        done = next((u.date for u in updates if u.status == "done"), None)
        status = "done" if done else "not-met" if any(u.status == "not-met" for u in updates) else "open"
        found.append(SmartAction(action.action, action.owner, moved[-1] if moved else action.due, action.measure,
                                 status, done))
    return tuple(found)
