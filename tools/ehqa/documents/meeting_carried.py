"""What the meeting pack carries over from the previous meeting, and every follow-up overdue.

From the previous cycle: the Requires Improvement cases whose SMART actions this meeting
reviews (R17), the reflective discussions held with each practitioner and anything new from
them (R19), and the re-audits completed since the previous meeting (R18): each by its grades as they stand
after any review (``Service.effective_grades``, R12), saying so where a review revised them. And every follow-up
overdue as of ``as_of``, grouped by rule; and, counted, the follow-ups that are one person's work
(R12, R15, R16), which the learning site leaves out. Pure functions over the loaded ``Service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ehqa import layout
from ehqa.documents.meeting_facts import (
    ActionRow,
    MeetingPackError,
    Names,
    ReauditView,
    actions,
    audits_of,
    reaudit_view,
    revised_label,
    team_of,
)
from ehqa.model import Audit, Cycle, Grade, Service, Settings, StaffDirectory
from ehqa.model.records import recorded_followup
from ehqa.model.wording import one_line

RULE_TITLES = {
    "R7": "Perspective of Worker forms not returned",
    "R10": "Feedback on earlier work to the previous practitioner and team manager",
    "R11": "Immediate safety concerns told to the team manager",
    "R12": "Independent look at disputed findings (Head of Service for QA)",
    "R13": "Audits not yet submitted",
    "R15": "Audit report to the manager and the case note",
    "R16": "Service manager alerted to an Inadequate grade",
    "R17": "Requires Improvement: SMART actions, their review and escalation",
    "R18": "Re-audits of Inadequate cases",
    "R19": "Reflective discussions with the practitioner",
    "R20": "Feedback on the Early Help Assessment",
}


@dataclass(frozen=True)
class Review:
    """A Requires Improvement case of the previous cycle, whose SMART actions this meeting reviews (R17)."""

    key: str
    team: str
    practitioner: str
    team_manager: str
    supervision_note: date | None
    reviewed: date | None
    escalated: date | None
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class Reflection:
    key: str
    team: str
    practitioner: str
    team_manager: str
    overall: str
    held: date | None
    notes: str


@dataclass(frozen=True)
class CompletedReaudit:
    view: ReauditView
    completed: date
    by: str
    team: str


@dataclass(frozen=True)
class OverdueRow:
    case: str  # YYYY-MM/<case-ref>
    what: str
    owner: str
    due: date
    days_overdue: int
    escalate_to: str


@dataclass(frozen=True)
class OverdueGroup:
    rule: str
    title: str
    rows: tuple[OverdueRow, ...]

    @property
    def cases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.case for row in self.rows))


@dataclass(frozen=True)
class CarriedOver:
    cycle: str | None  # the previous cycle, None when this is the first
    meeting: date | None
    reviews: tuple[Review, ...] = ()
    reflections: tuple[Reflection, ...] = ()
    reaudits: tuple[CompletedReaudit, ...] = ()


def previous_cycle(service: Service, cycle_id: str) -> Cycle | None:
    earlier = [c for c in service.cycles if c < cycle_id]
    return service.cycles[max(earlier)] if earlier else None


def carried_over(service: Service, previous: Cycle | None, cycle: Cycle, settings: Settings, staff: StaffDirectory,
                 names: Names, by_key: dict[str, Audit], as_of: date) -> CarriedOver:
    """The previous cycle's reviews and reflections, and the re-audits completed between the two meetings."""
    if previous is None:
        return CarriedOver(cycle=None, meeting=None)
    reviews, reflections = [], []

    def grades_of(audit: Audit):
        return service.effective_grades(audit, as_of)

    for audit in audits_of(service, previous, staff):
        nomination = previous.nomination(audit.case)
        practitioner = nomination.practitioner if nomination else None
        team = team_of(previous, audit.case, staff)
        manager = names.team_manager(nomination)
        records = service.records_of(audit.key)
        steps = recorded_followup(audit.followup, records)  # the audit's own fields, and its records
        overall = grades_of(audit).overall
        if overall is Grade.REQUIRES_IMPROVEMENT:
            reviews.append(Review(audit.key, team, names(practitioner), manager, steps.supervision_note_recorded,
                                  steps.actions_reviewed, steps.escalated_to_senior_management,
                                  actions(audit, names, as_of, records)))
        reflections.append(Reflection(audit.key, team, names(practitioner), manager,
                                      revised_label(audit.overall, overall, settings),
                                      steps.reflective_discussion, one_line(steps.reflective_notes)))
    reaudits = []
    for audit in service.audits:
        if audit.reaudit_of and previous.meeting < audit.completed <= cycle.meeting:
            reaudit_cycle = service.cycles.get(audit.cycle)
            team = team_of(reaudit_cycle, audit.case, staff) if reaudit_cycle else ""
            reaudits.append(CompletedReaudit(reaudit_view(audit, by_key, settings, grades_of), audit.completed,
                                             names.join(audit.auditors), team))
    reaudits.sort(key=lambda r: (r.completed, r.view.reaudit))
    return CarriedOver(previous.id, previous.meeting, tuple(reviews), tuple(reflections), tuple(reaudits))


def obligations(service: Service, as_of: date) -> list:
    """Every follow-up of the service as of ``as_of`` (``rules.obligations``)."""
    from ehqa.rules.obligations import Obligations

    try:
        return Obligations(service, as_of).all()
    except ValueError as exc:  # the follow-up rules cannot be worked out from this data
        raise MeetingPackError(f"the follow-ups cannot be worked out: {exc}") from None


def overdue(service: Service, as_of: date, names: Names, found: list | None = None) -> tuple[OverdueGroup, ...]:
    """Every follow-up overdue as of ``as_of``, grouped by rule in the rules' order."""
    from ehqa.rules.obligations import Status

    found = [o for o in (obligations(service, as_of) if found is None else found) if o.status is Status.OVERDUE]
    groups: dict[str, list[OverdueRow]] = {}
    for item in found:
        case = layout.audit_key(item.audit)
        owner = names(item.owner) or item.owner_role
        escalate = names(item.escalate_to) if item.escalate_to else ""
        groups.setdefault(item.rule, []).append(
            OverdueRow(case, one_line(item.what), owner, item.due, item.days_overdue, escalate))
    return tuple(OverdueGroup(rule, RULE_TITLES.get(rule, rule), tuple(rows))
                 for rule, rows in sorted(groups.items(), key=lambda kv: _rule_number(kv[0])))


@dataclass(frozen=True)
class PersonalRow:
    """One person's follow-ups under one rule, counted: what the learning site leaves out."""

    rule: str
    title: str
    owner: str
    on_time: int
    late: int
    open: int
    overdue: int


def personal_followups(service: Service, as_of: date, names: Names, found: list) -> tuple[PersonalRow, ...]:
    """The follow-ups owned by a role one person holds (R12, R15, R16, the QA officer's part of R17; see
    ``privacy.disclosure.personal_roles``), due in the 12 months to ``as_of`` or done early, counted by rule
    and owner. Their figures would be that person's record, so the site never shows them: the meeting does."""
    from ehqa.privacy.disclosure import is_shared, personal_roles
    from ehqa.rules.obligations import Status

    personal = personal_roles(service.settings, service.staff, as_of)
    start = as_of - timedelta(days=365)
    tally: dict[tuple[str, str], list[int]] = {}
    for item in found:
        if is_shared(item.owner_role, personal):
            continue
        done = item.status is Status.DONE
        if not (start < item.due <= as_of or (item.due > as_of and done)):
            continue
        counts = tally.setdefault((item.rule, names(item.owner) or item.owner_role), [0, 0, 0, 0])
        if done:
            counts[0 if item.closed_on <= item.due else 1] += 1
        else:
            counts[3 if item.status is Status.OVERDUE else 2] += 1
    return tuple(PersonalRow(rule, RULE_TITLES.get(rule, rule), owner, *counts)
                 for (rule, owner), counts in sorted(tally.items(), key=lambda kv: (_rule_number(kv[0][0]), kv[0][1])))


def _rule_number(rule: str) -> tuple[int, str]:
    digits = rule.lstrip("R")
    return (int(digits), rule) if digits.isdigit() else (10**6, rule)
