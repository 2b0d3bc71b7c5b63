"""The facts the meeting pack shows of one cycle's cases (R13, R14), gathered from the loaded ``Service``.

Each audited case becomes a ``CaseSummary``: who worked and audited it, the overall and domain
grades, strengths and areas for development, the Perspective of Worker form (R7), any safety
concern (R11), disagreement (R12) and SMART actions (R17), the Early Help Assessment's grade
(R20), feedback on earlier work to a previous practitioner (R10, ``previous_work``), and for a re-audit its outcome against the original audit (R18). Grades are the audit's
effective grades (``Service.effective_grades``), and a review that revised them says so: by whom, when,
from what to what and why (``revision``, R12). Each case allocated
but not yet audited becomes a ``PendingCase`` (R13). Data that stops the pack raises
``MeetingPackError``. Pure functions; ``meeting_carried`` gathers what the previous meeting left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from ehqa.documents.previous_work import PreviousWorkRow, previous_work_rows
from ehqa.errors import DataError
from ehqa.model import Audit, Cycle, EffectiveGrades, Grade, Nomination, Record, Service, Settings, StaffDirectory
from ehqa.model.records import recorded_actions
from ehqa.model.wording import day, one_line
from ehqa.model.wording import names as name_list
from ehqa.rules.reaudit_outcome import reaudit_outcome

# The data's words in prose, for the pack and the audit report alike.
ACTION_STATUS = {"open": "open", "done": "done", "not-met": "not met"}
REVIEW_OUTCOME = {"findings-upheld": "findings upheld", "findings-revised": "findings revised"}
_ABSENCE = {"annual-leave": "annual leave", "sick-leave": "sick leave", "other": "absent"}
REVIEWER = "the Head of Service for QA"  # who revises grades (R12); by role, as the guidance names them


class MeetingPackError(DataError):
    """The repository's data stops the pack being written; the message says what to do."""


# --- the facts the templates show ---------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    start: str  # HH:MM
    end: str
    minutes: int
    title: str
    anchor: str = ""  # the section it points to, in the HTML


@dataclass(frozen=True)
class DomainRow:
    title: str
    grade: str
    reason: str = ""  # why it does not apply


@dataclass(frozen=True)
class WorkerAnswer:
    prompt: str
    answer: str


@dataclass(frozen=True)
class ActionRow:
    action: str
    owner: str
    due: date
    measure: str
    status: str  # "open", "open, overdue", "done 28 October 2026", "not met"


@dataclass(frozen=True)
class DomainOutcome:
    title: str
    before: str
    after: str
    outcome: str  # improved / same / worse / not comparable


@dataclass(frozen=True)
class ReauditView:
    original: str  # YYYY-MM/<case-ref>
    reaudit: str
    found: bool  # the original audit is in the repository
    before: str = ""  # overall grade labels
    after: str = ""
    outcome: str = ""
    domains: tuple[DomainOutcome, ...] = ()

    @property
    def counts(self) -> str:
        """``3 improved, 2 same, 1 worse``: only the outcomes that occur."""
        tally: dict[str, int] = {}
        for row in self.domains:
            tally[row.outcome] = tally.get(row.outcome, 0) + 1
        order = ("improved", "same", "worse", "not comparable")
        return ", ".join(f"{tally[o]} {o}" for o in order if o in tally)


@dataclass(frozen=True)
class CaseSummary:
    number: int
    slot: AgendaItem
    ref: str
    key: str
    team: str
    practitioner: str
    team_manager: str
    auditors: str
    sole_completion: str  # "" unless one auditor completed alone (R13)
    completed: date
    overall: str
    overall_summary: str
    domains: tuple[DomainRow, ...]
    revision: str  # what a review changed (R12), or ""
    strengths: tuple[str, ...]
    areas_for_development: tuple[str, ...]
    worker_submitted: date | None
    worker_answers: tuple[WorkerAnswer, ...]
    safety_concern: dict | None
    disagreement: dict | None
    actions: tuple[ActionRow, ...]
    assessment: str  # the Early Help Assessment's grade and comments (R20), or ""
    reaudit: ReauditView | None
    previous_work: tuple[PreviousWorkRow, ...] = ()  # feedback on earlier work (R10)

    auditor_count: int = 2

    @property
    def anchor(self) -> str:
        return f"case-{self.ref}"

    @property
    def auditors_label(self) -> str:
        return "Auditor" if self.auditor_count == 1 else "Auditors"


@dataclass(frozen=True)
class PendingCase:
    ref: str
    team: str
    practitioner: str
    auditors: str
    reaudit_of: str | None
    auditor_count: int = 2

    @property
    def auditors_label(self) -> str:
        return "auditor" if self.auditor_count == 1 else "auditors"


# --- who and which ------------------------------------------------------------------------


class Names:
    """Display names from the staff directory; the id where somebody is not in it."""

    def __init__(self, staff: StaffDirectory) -> None:
        self.staff = staff

    def __call__(self, staff_id: str | None) -> str:
        if not staff_id:
            return ""
        person = self.staff.get(staff_id)
        return person.name if person else staff_id

    def join(self, ids) -> str:
        return name_list(self(i) for i in ids)

    def team_manager(self, nomination: Nomination | None) -> str:
        """The name of the case's team manager (``StaffDirectory.team_manager_of``), or ``""``."""
        manager = self.staff.team_manager_of(nomination)
        return manager.name if manager else ""


def sole_completion(audit: Audit, names: Names) -> str:
    """Who completed the audit alone, and why (R13); ``""`` when both auditors did."""
    sole = audit.sole_completion
    if sole is None:
        return ""
    return (f"{names(sole.completed_by)} completed the audit alone: {names(sole.absent)} was on "
            f"{_ABSENCE.get(sole.reason, sole.reason)} (R13)")


def _disagreement(disagreement, review, grades: EffectiveGrades, names: Names, records: list[Record]) -> dict | None:
    """The dispute (R12) and its review: the audit's own record of it, the review record that revised
    the grades, or the latest one that upheld them, so that the pack never says "awaiting" under a review."""
    if disagreement is None:
        return None
    found = {"raised": disagreement.raised, "summary": one_line(disagreement.summary), "reviewer": "",
             "reviewed": None, "outcome": "", "notes": ""}
    if review is not None:
        found.update(reviewer=names(review.reviewer), reviewed=review.date,
                     outcome=REVIEW_OUTCOME.get(review.outcome, review.outcome), notes=one_line(review.notes))
    elif grades.revised_by is not None:
        record = grades.revised_by
        found.update(reviewer=names(record.by), reviewed=record.date, outcome=REVIEW_OUTCOME["findings-revised"],
                     notes=one_line(record.reason))
    elif upheld := [r for r in records if r.kind == "review" and r.outcome == "findings-upheld"]:
        record = max(upheld, key=lambda r: r.date)
        found.update(reviewer=names(record.actor), reviewed=record.date, outcome=REVIEW_OUTCOME["findings-upheld"],
                     notes=one_line(record.reason))
    return found


def audits_of(service: Service, cycle: Cycle, staff: StaffDirectory) -> list[Audit]:
    """The cycle's audits, by team and then case reference: the order the meeting takes them in."""
    return sorted((a for a in service.audits if a.cycle == cycle.id),
                  key=lambda a: (team_of(cycle, a.case, staff).casefold(), a.case))


def team_of(cycle: Cycle, case: str, staff: StaffDirectory) -> str:
    nomination = cycle.nomination(case)
    if nomination is None:
        return "team not recorded"
    team = staff.teams.get(nomination.team)
    return team.name if team else nomination.team


def _domain_titles(settings: Settings, cycle_id: str) -> dict[str, str]:
    domain_set = settings.domain_set_for(cycle_id)
    return {d.id: d.title for d in domain_set.domains} if domain_set else {}


# --- one audited case ---------------------------------------------------------------------


def case_summary(number: int, slot: AgendaItem, audit: Audit, cycle: Cycle, settings: Settings,
                 staff: StaffDirectory, names: Names, form, by_key: dict[str, Audit], as_of: date,
                 grades_of: Callable[[Audit], EffectiveGrades], records: Iterable[Record] = ()) -> CaseSummary:
    """One audited case; ``grades_of`` gives an audit's effective grades (``Service.effective_grades``), and
    ``records`` its follow-up records."""
    grades = grades_of(audit)
    records = list(records)
    nomination = cycle.nomination(audit.case)
    practitioner = nomination.practitioner if nomination else None
    sole = audit.sole_completion
    auditors = tuple(dict.fromkeys(audit.auditors + ((sole.completed_by, sole.absent) if sole else ())))
    concern = audit.safety_concern
    disagreement = audit.disagreement
    review = disagreement.review if disagreement else None
    assessment = audit.assessment
    return CaseSummary(
        number=number,
        slot=slot,
        ref=audit.case,
        key=audit.key,
        team=team_of(cycle, audit.case, staff),
        practitioner=names(practitioner) or "not recorded (the case was not nominated)",
        team_manager=names.team_manager(nomination),
        auditors=names.join(auditors),
        auditor_count=len(auditors),
        sole_completion=sole_completion(audit, names),
        completed=audit.completed,
        overall=settings.grade_label(grades.overall),
        overall_summary=one_line(audit.overall_summary),
        domains=_domain_rows(audit, grades, settings),
        revision=revision(audit, grades, settings),
        strengths=tuple(one_line(s) for s in audit.strengths),
        areas_for_development=tuple(one_line(s) for s in audit.areas_for_development),
        worker_submitted=form.submitted if form else None,
        worker_answers=_answers(form, settings) if form else (),
        safety_concern=({"description": one_line(concern.description), "identified": concern.identified,
                         "team_manager": names(concern.team_manager), "told": concern.team_manager_told,
                         "action": one_line(concern.action_taken)} if concern else None),
        disagreement=_disagreement(disagreement, review, grades, names, records),
        actions=actions(audit, names, as_of, records),
        assessment=(f"{settings.grade_label(assessment.grade)}" + (f": {one_line(assessment.comments)}"
                                                             if assessment.comments else "")
                    if assessment else ""),
        reaudit=reaudit_view(audit, by_key, settings, grades_of) if audit.reaudit_of else None,
        previous_work=previous_work_rows(audit, records, names,
                                         lambda t: staff.teams[t].name if t in staff.teams else t),
    )


def _domain_order(audit: Audit, titles: dict[str, str]) -> list[str]:
    """The audit's domains in the order of its domain set, then any other."""
    return [d for d in titles if d in audit.domains] + [d for d in audit.domains if d not in titles]


def _domain_rows(audit: Audit, grades: EffectiveGrades, settings: Settings) -> tuple[DomainRow, ...]:
    titles = _domain_titles(settings, audit.cycle)
    rows = []
    for domain in _domain_order(audit, titles):
        judgement = audit.domains[domain]
        rows.append(DomainRow(titles.get(domain, domain), revised_label(judgement.grade, grades.domains[domain], settings),
                              one_line(judgement.reason)))
    return tuple(rows)


def revised_label(own: Grade, effective: Grade, settings: Settings) -> str:
    """A grade as it stands: ``Good``, or ``Good (revised on review from Outstanding)`` (R12)."""
    label = settings.grade_label(effective)
    return label if effective is own else f"{label} (revised on review from {settings.grade_label(own)})"


def revision(audit: Audit, grades: EffectiveGrades, settings: Settings) -> str:
    """What the review that revised the audit's grades changed, when and why (R12); "" when none did.

    "Revised by the Head of Service for QA on 21 October 2026 (R12): overall Outstanding → Good. Reason: ..."."""
    review = grades.revised_by
    if review is None:
        return ""
    titles = _domain_titles(settings, audit.cycle)
    label = settings.grade_label
    changes = [f"overall {label(audit.overall)} → {label(grades.overall)}"] if grades.overall is not audit.overall else []
    changes += [f"{titles.get(d, d)} {label(audit.domains[d].grade)} → {label(grades.domains[d])}"
                for d in _domain_order(audit, titles) if grades.domains[d] is not audit.domains[d].grade]
    return (f"Revised by {REVIEWER} on {day(review.date)} (R12): {'; '.join(changes) or 'no grade changed'}. "
            f"Reason: {one_line(review.reason)}")


def _answers(form, settings: Settings) -> tuple[WorkerAnswer, ...]:
    """The answers in the order of qa.yaml's questions, with their prompts; any other answer after."""
    prompts = {q.id: q.prompt for q in settings.worker_questions}
    order = [q.id for q in settings.worker_questions] + [k for k in form.answers if k not in prompts]
    return tuple(WorkerAnswer(one_line(prompts.get(k, k)), one_line(form.answers[k]))
                 for k in order if one_line(form.answers.get(k, "")))


def actions(audit: Audit, names: Names, as_of: date, records: Iterable[Record] = ()) -> tuple[ActionRow, ...]:
    """The audit's SMART actions (R17) as they stand, from the audit and its ``records``, each with its status
    as of ``as_of``."""
    rows = []
    for action in recorded_actions(audit.smart_actions, records):
        if action.status == "done":
            status = f"done {day(action.done)}" if action.done else "done"
        elif action.status == "open" and action.due < as_of:
            status = "open, overdue"
        else:
            status = ACTION_STATUS.get(action.status, action.status)
        rows.append(ActionRow(one_line(action.action), names(action.owner), action.due, one_line(action.measure),
                              status))
    return tuple(rows)


def reaudit_view(reaudit: Audit, by_key: dict[str, Audit], settings: Settings,
                 grades_of: Callable[[Audit], EffectiveGrades]) -> ReauditView:
    """The re-audit against the original audit, overall and domain by domain (R18), each as its grades stand
    after any review (R12)."""
    assert reaudit.reaudit_of is not None
    original = by_key.get(reaudit.reaudit_of)
    now = grades_of(reaudit)
    if original is None:
        return ReauditView(reaudit.reaudit_of, reaudit.key, found=False,
                           after=revised_label(reaudit.overall, now.overall, settings))
    was = grades_of(original)
    outcome = reaudit_outcome(original, reaudit, was, now)
    titles = {**_domain_titles(settings, reaudit.cycle), **_domain_titles(settings, original.cycle)}
    rows = []
    for domain in outcome.domains:
        before, after = original.domains.get(domain), reaudit.domains.get(domain)
        rows.append(DomainOutcome(
            title=titles.get(domain, domain),
            before=revised_label(before.grade, was.domains[domain], settings) if before else "not audited",
            after=revised_label(after.grade, now.domains[domain], settings) if after else "not audited",
            outcome=outcome.domains[domain],
        ))
    return ReauditView(original.key, reaudit.key, found=True, before=revised_label(original.overall, was.overall, settings),
                       after=revised_label(reaudit.overall, now.overall, settings), outcome=outcome.overall,
                       domains=tuple(rows))


# --- cases still to come (R13) ------------------------------------------------------------


def pending_cases(service: Service, cycle: Cycle, staff: StaffDirectory, names: Names) -> tuple[PendingCase, ...]:
    """The cases allocated in the cycle but not yet audited, by team and then case reference."""
    allocation = service.allocations.get(cycle.id)
    if allocation is None:
        return ()
    submitted = {a.case for a in service.audits if a.cycle == cycle.id}
    rows: dict[str, PendingCase] = {}
    for pair in allocation.pairs:
        for case in pair.cases:
            if case in submitted or case in rows:
                continue
            nomination = cycle.nomination(case)
            rows[case] = PendingCase(
                ref=case,
                team=team_of(cycle, case, staff),
                practitioner=names(nomination.practitioner) if nomination else "not recorded",
                auditors=names.join(pair.auditors),
                auditor_count=len(set(pair.auditors)),
                reaudit_of=nomination.reaudit_of if nomination else None,
            )
    return tuple(sorted(rows.values(), key=lambda p: (p.team.casefold(), p.ref)))
