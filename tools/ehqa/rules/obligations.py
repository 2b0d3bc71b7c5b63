"""Every obligation the framework creates after an audit (R10–R20), derived from the data.

Each obligation names its kind (``framework.checks``: its id, the R-number it enforces and what it
means), its audit, what is to be done, its owner (a role and, where
the staff directory says who, a person), when it is due (or its window), the data field
whose date closes it, and — as of a given day — its status and how far overdue it is.
Nothing here reads the clock: ``as_of`` is always passed in.

Grades are the audit's effective grades (``Service.effective_grades``, R12): an audit revised on review
to Inadequate needs its service manager alert (R16) and its re-audit (R18), each counted from the day of
the review that made it Inadequate; one revised away from Inadequate needs neither, and one revised to
Requires Improvement needs its SMART actions (R17), agreed by the first QA meeting after the review.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Iterator

from ehqa import layout
from ehqa.framework import checks as kinds
from ehqa.framework.checks import FollowUpKind
from ehqa.model import Audit, Cycle, Grade, Record, Role, Service
from ehqa.model.calendar import WorkingCalendar, add_months, calendar_for
from ehqa.model.cycle_dates import cycle_meeting, cycle_of, shift_cycle
from ehqa.model.records import EffectiveGrades, action_key
from ehqa.model.wording import day
from ehqa.rules.escalation import escalate_to_rung, rung


class Status(str, Enum):
    DONE = "done"
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Obligation:
    kind: str  # the follow-up kind's id in framework.checks, "FOLLOWUP-REPORT-AND-CASENOTE"
    rule: str  # the R-number it enforces, "R15"
    audit: str  # the audit's path, relative to the repository (for R13, where it should be)
    what: str
    owner_role: str
    owner: str | None  # staff id, where the directory says who
    due: date
    window_start: date | None  # R18's window opens here; None for a plain due date
    closed_by: str  # the field whose date closes it
    closed_on: date | None
    status: Status
    days_overdue: int  # working days past the due date (0 unless overdue)
    escalate_to: str | None  # a staff id, or a role where nobody is named
    file: str  # where to annotate: the audit, or the allocation for a missing audit
    where: tuple[str | int, ...] = ()  # the value in ``file`` the obligation hangs on

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "audit": self.audit,
            "what": self.what,
            "owner": self.owner or self.owner_role,
            "due": self.due.isoformat(),
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "status": self.status.value,
            "days_overdue": self.days_overdue,
            "escalate_to": self.escalate_to,
        }


@dataclass(frozen=True, slots=True)
class _Due:
    """An obligation before its status is worked out."""

    kind: FollowUpKind
    what: str
    owner_role: str
    owner: str | None
    due: date
    closed_by: str
    closed_on: date | None
    where: tuple = ()
    window_start: date | None = None
    record: str = ""  # the file that closed it, when a record did
    grace: int = 0  # working days after ``due`` before it counts as overdue (R11: one)

    @property
    def rule(self) -> str:
        return self.kind.rule


class Obligations:
    """Derives obligations for one service as of one day."""

    def __init__(self, service: Service, as_of: date, calendar: WorkingCalendar | None = None) -> None:
        if service.settings is None or service.staff is None:
            raise ValueError("qa.yaml and staff.yaml must load cleanly: run `ehqa validate`")
        self.service, self.as_of = service, as_of
        self.settings, self.staff = service.settings, service.staff
        self.times = self.settings.timescales
        self.calendar = calendar or calendar_for(self.settings)
        qa_officer = self.staff.qa_officer_on(as_of)
        self.qa_officer = qa_officer.id if qa_officer else None
        self.reaudits = {a.reaudit_of: a for a in service.audits if a.reaudit_of}
        # The records by audit key, oldest first: the service's own index (one sort for every output).
        self.records: dict[str, list[Record]] = defaultdict(list, service.records_by_audit())
        self._ladder: dict[tuple, str] = {}
        self._next_meetings: dict[str, date] = {}
        self._reaudit_nominations: dict[str, list] | None = None

    # --- the whole service ------------------------------------------------------------

    def all(self) -> list[Obligation]:
        found: list[Obligation] = []
        for audit in self.service.audits:
            cycle = self.service.cycles.get(audit.cycle)
            if cycle is not None:
                found.extend(self._finish(audit.source, item.record or audit.source, item)
                             for item in self.for_audit(audit, cycle))
        found.extend(self.missing_audits())
        found.extend(self.worker_forms())
        found.sort(key=lambda o: (o.due, o.audit, o.rule, o.what))
        return found

    def next_meeting(self, cycle_id: str) -> date:
        """The QA meeting after this cycle's: from its cycle file, or by the meeting rule when not yet written."""
        if cycle_id not in self._next_meetings:  # once per cycle, not once per audit
            self._next_meetings[cycle_id] = self._find_next_meeting(cycle_id)
        return self._next_meetings[cycle_id]

    def _find_next_meeting(self, cycle_id: str) -> date:
        following_id = shift_cycle(cycle_id, 1)
        following = self.service.cycles.get(following_id)
        if following is not None:
            return following.meeting
        return cycle_meeting(following_id, self.settings.meeting_rule, self.calendar)

    # --- one audit ----------------------------------------------------------------------

    def _landed(self, audit: Audit, field: date | None, kind: str, rule: str | None = None) -> date | None:
        """When the obligation was met: the audit's own follow-up field (audits written before records),
        or the first record of ``kind`` (and, for feedback, ``rule``) that followed the audit."""
        dates = [r.date for r in self.records[audit.key] if r.kind == kind and (rule is None or r.rule == rule)]
        if field is not None:
            dates.append(field)
        return min(dates, default=None)

    def _agreed_and_noted(self, audit: Audit, noted: date | None) -> date | None:
        """R17 is met once the actions are agreed and recorded in a supervision note: the later of the two.
        The team manager and practitioner agree them after the audit (an actions-agreed record); an audit
        written before records that carries its actions counts them agreed when it was completed."""
        agreed = self._landed(audit, audit.completed if audit.smart_actions else None, "actions-agreed")
        noted = self._landed(audit, noted, "supervision-note")
        return max(agreed, noted) if agreed is not None and noted is not None else None

    def for_audit(self, audit: Audit, cycle: Cycle) -> Iterator[_Due]:
        times, cal, steps = self.times, self.calendar, audit.followup
        auditor = audit.sole_completion.completed_by if audit.sole_completion else audit.auditors[0]
        nomination = cycle.nomination(audit.case)
        team_manager = self.staff.team_manager_of(nomination)
        manager = team_manager.id if team_manager else None
        next_meeting = self.next_meeting(audit.cycle)
        qa = self.qa_officer

        concern = audit.safety_concern
        if concern is not None:
            yield _Due(kinds.SAFETY_CONCERN_TOLD, "tell the team manager of the immediate safety concern", "auditor", auditor,
                       concern.identified, "safety_concern.team_manager_told", concern.team_manager_told,
                       ("safety_concern", "team_manager_told"), grace=times.safety_concern_working_days)

        after_meeting = cal.add_working_days(cycle.meeting, times.casenote_working_days)
        yield _Due(kinds.REPORT_AND_CASENOTE, "send the original audit report to the practitioner's manager", "qa-officer", qa,
                   after_meeting, "followup.report_sent_to_manager",
                   self._landed(audit, steps.report_sent_to_manager, "report-sent"), ("followup",))
        yield _Due(kinds.REPORT_AND_CASENOTE, f"record the 'Quality Assurance: case audited' case note in "
                          f"{self.settings.case_management_system}", "qa-officer", qa,
                   after_meeting, "followup.casenote_recorded", self._landed(audit, steps.casenote_recorded, "casenote"),
                   ("followup",))

        grades = self.service.effective_grades(audit, self.as_of)
        overall, review = grades.overall, regraded_by(audit, grades)
        graded_on = review.date if review else audit.completed
        if overall.is_inadequate:
            yield _Due(kinds.SERVICE_MANAGER_ALERT,
                       f"alert the service manager: the case is graded {self.settings.grade_label(overall)}"
                       + (f" (revised on review on {day(review.date)}, R12)" if review else ""),
                       "qa-officer", qa, cal.add_working_days(graded_on, times.service_manager_alert_working_days),
                       "followup.service_manager_alerted",
                       self._landed(audit, steps.service_manager_alerted, "oversight"), ("overall", "grade"))
            yield self._reaudit(audit, graded_on)

        if overall is Grade.REQUIRES_IMPROVEMENT:
            agree_by = next_meeting if graded_on <= next_meeting else self.meeting_from(graded_on)
            yield _Due(kinds.SMART_ACTIONS_AGREED, "agree SMART actions with the practitioner and record them in a supervision or "
                              "management-oversight case note", "team-manager", manager, agree_by,
                       "followup.supervision_note_recorded",
                       self._agreed_and_noted(audit, steps.supervision_note_recorded), ("overall", "grade"))
            yield _Due(kinds.SMART_ACTIONS_REVIEWED, "review the SMART actions at the next QA meeting", "qa-officer", qa, agree_by,
                       "followup.actions_reviewed", self._landed(audit, steps.actions_reviewed, "actions-reviewed"),
                       ("followup",))
        agreed = {action_key(a.action, a.owner, a.due) for r in self.records[audit.key] for a in r.actions}
        for index, action in enumerate(audit.smart_actions):
            if action_key(action.action, action.owner, action.due) in agreed:
                continue  # agreed again in a record (ehqa migrate): followed there, with its updates
            closed = action.done if action.status == "done" else None
            yield _Due(kinds.SMART_ACTION, f"SMART action {index + 1}: {_short(action.action)}", "action owner", action.owner,
                       action.due, f"smart_actions[{index}].done", closed, ("smart_actions", index))
            if action.status == "not-met":
                yield _Due(kinds.SMART_ACTIONS_REVIEWED, f"escalate SMART action {index + 1}, not met, to senior management", "qa-officer",
                           qa, next_meeting, "followup.escalated_to_senior_management",
                           steps.escalated_to_senior_management, ("smart_actions", index, "status"))

        yield from self._recorded_actions(audit, qa, next_meeting, steps.escalated_to_senior_management)

        yield _Due(kinds.REFLECTIVE_DISCUSSION, "hold the reflective discussion of the findings with the practitioner", "team-manager",
                   manager, next_meeting, "followup.reflective_discussion",
                   self._landed(audit, steps.reflective_discussion, "reflective-discussion"), ("followup",))

        if audit.disagreement is not None:
            review = audit.disagreement.review
            reviewer = self.staff.in_post(Role.HEAD_OF_SERVICE_QA, self.as_of)
            yield _Due(kinds.INDEPENDENT_REVIEW, "take an independent look at the disputed audit report",
                       "head-of-service-qa", reviewer.id if reviewer else None,
                       cal.add_working_days(audit.disagreement.raised, times.head_of_service_review_working_days),
                       "disagreement.review.date", self._landed(audit, review.date if review else None, "review"),
                       ("disagreement",))

        for index, feedback in enumerate(audit.previous_work_feedback):
            yield _Due(kinds.PREVIOUS_WORK_FEEDBACK, f"feed back the earlier work's {feedback.kind} to the previous practitioner and "
                              "their team manager", "auditor", auditor, next_meeting,
                       f"previous_work_feedback[{index}].fed_back", self._landed(audit, feedback.fed_back, "feedback", "R10"),
                       ("previous_work_feedback", index))

        assessment = audit.assessment
        if assessment is None:
            # R20 holds on every audit: with no assessment graded, the auditors say why in a feedback
            # record (``no_assessment_on_file``), so an audit never passes R20 by silence.
            yield _Due(kinds.ASSESSMENT_FEEDBACK, "return feedback on the Early Help Assessment to its practitioner, or "
                       "record that there is no assessment on file and why", "auditor", auditor, next_meeting,
                       "no_assessment_on_file", self._landed(audit, None, "feedback", "R20"), ("domains",))
        elif assessment.grade is not Grade.NOT_APPLICABLE:
            yield _Due(kinds.ASSESSMENT_FEEDBACK, "return feedback on the Early Help Assessment to its practitioner", "auditor", auditor,
                       next_meeting, "assessment.feedback_returned",
                       self._landed(audit, assessment.feedback_returned, "feedback", "R20"), ("assessment",))
            if assessment.grade is Grade.INADEQUATE:
                yield _Due(kinds.ASSESSMENT_FEEDBACK, "give the practitioner's manager information, advice and guidance on the "
                                  "inadequate Early Help Assessment", "auditor", auditor,
                           cal.add_working_days(audit.completed, times.assessment_feedback_working_days),
                           "assessment.manager_informed", assessment.manager_informed, ("assessment", "grade"))

    def _recorded_actions(self, audit: Audit, qa: str | None, next_meeting: date,
                          escalated_on: date | None) -> Iterator[_Due]:
        """Each action an actions-agreed record agreed (R17): due on its date, or the last one an update
        moved it to; met by an update saying done; one not met is escalated at the next meeting, as the
        actions-reviewed record says (or, for an audit written before records, its own
        ``followup.escalated_to_senior_management``, ``escalated_on``)."""
        records = self.records[audit.key]
        updates: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            if record.kind == "action-update" and record.action:
                updates[record.action].append(record)
        escalated = {r.action for rec in records if rec.kind == "actions-reviewed" for r in rec.reviews if r.escalated}
        reviewed_on = next((rec.date for rec in records if rec.kind == "actions-reviewed"), None)
        for agreed in (r for r in records if r.kind == "actions-agreed"):
            for action in agreed.actions:
                moved = [u.due for u in updates[action.id] if u.status == "changed" and u.due]
                done = next((u.date for u in updates[action.id] if u.status == "done"), None)
                yield _Due(kinds.SMART_ACTION, f"SMART action {action.id}: {_short(action.action)}", "action owner",
                           action.owner, moved[-1] if moved else action.due, "an action-update record: done", done,
                           record=agreed.source)
                if any(u.status == "not-met" for u in updates[action.id]):
                    yield _Due(kinds.SMART_ACTIONS_REVIEWED, f"escalate SMART action {action.id}, not met, to senior "
                               "management", "qa-officer", qa, next_meeting,
                               "an actions-reviewed record: escalated",
                               min((d for d in (reviewed_on if action.id in escalated else None, escalated_on)
                                    if d is not None), default=None),
                               record=agreed.source)

    def meeting_from(self, when: date) -> date:
        """The first QA meeting on or after ``when``: its month's, or the one after."""
        month = cycle_of(when)
        meeting = self.next_meeting(shift_cycle(month, -1))
        return meeting if meeting >= when else self.next_meeting(month)

    def _reaudit(self, audit: Audit, graded_on: date) -> _Due:
        """R18: a senior manager re-audits 2–3 calendar months after the audit, or after the review that graded
        it Inadequate (month ends clamped); once a cycle nominates the re-audit and allocates it, it is that
        senior manager's."""
        opens, closes = reaudit_window(graded_on, self.times)
        done = self.reaudits.get(audit.key)
        return _Due(kinds.REAUDIT, "re-audit the case (a senior manager) to check the required actions and improvements",
                    "senior manager", self._reauditor(audit.key), closes, "an audit with reaudit_of: " + audit.key,
                    done.completed if done else None, ("overall", "grade"), window_start=opens)

    def _reauditor(self, key: str) -> str | None:
        """The senior manager allocated the re-audit of ``key``, once a cycle has nominated and allocated it."""
        if self._reaudit_nominations is None:  # each cycle's first nomination of each re-audit, once (issue 13)
            self._reaudit_nominations = defaultdict(list)
            for cycle in self.service.cycles.values():
                for n in {n.reaudit_of: n for n in reversed(cycle.nominations) if n.reaudit_of}.values():
                    self._reaudit_nominations[n.reaudit_of].append((cycle, n))
        for cycle, nomination in self._reaudit_nominations.get(key, ()):
            allocation = self.service.allocations.get(cycle.id)
            pair = allocation.pair_for(nomination.case) if nomination and allocation else None
            if pair is not None:
                return pair[1].auditors[0]
        return None

    # --- audits not submitted (R13) -----------------------------------------------------

    def missing_audits(self) -> Iterator[Obligation]:
        submitted = {(a.cycle, a.case) for a in self.service.audits}
        for cycle_id, allocation in self.service.allocations.items():
            cycle = self.service.cycles.get(cycle_id)
            if cycle is None:
                continue
            for index, pair in enumerate(allocation.pairs):
                for number, case in enumerate(pair.cases):
                    if (cycle_id, case) in submitted:
                        continue
                    item = _Due(kinds.AUDIT_SUBMITTED, f"complete and submit the audit of case {case} "
                                f"({' and '.join(pair.auditors)})", "auditor", pair.auditors[0],
                                cycle.audits_due, layout.audit_path(cycle_id, case), None,
                                ("pairs", index, "cases", number))
                    yield self._finish(item.closed_by, allocation.source, item)

    # --- Perspective of Worker forms (R7) ------------------------------------------------

    def worker_forms(self) -> Iterator[Obligation]:
        """Each allocated case's form, from its practitioner by the cycle's ``worker_forms_due``, while the
        cycle's QA meeting is still to come: after it, a form can no longer inform the audit."""
        returned = {(f.cycle, f.case): f.submitted for f in self.service.worker_forms}
        for cycle_id, allocation in self.service.allocations.items():
            cycle = self.service.cycles.get(cycle_id)
            if cycle is None or cycle.meeting < self.as_of:
                continue
            allocated = {case for pair in allocation.pairs for case in pair.cases}
            for index, nomination in enumerate(cycle.nominations):
                if nomination.case not in allocated:
                    continue
                item = _Due(kinds.WORKER_FORM, f"return the Perspective of Worker form for case {nomination.case}",
                            "practitioner", nomination.practitioner, cycle.worker_forms_due, "worker form: submitted",
                            returned.get((cycle_id, nomination.case)), ("nominations", index))
                yield self._finish(layout.audit_path(cycle_id, nomination.case), cycle.source, item)

    # --- status and escalation ----------------------------------------------------------

    def _finish(self, audit_path: str, file: str, item: _Due) -> Obligation:
        if item.closed_on is not None:
            status, days = Status.DONE, 0
        elif item.due < self.as_of and (late := self.calendar.working_days_between(item.due, self.as_of)) > item.grace:
            status, days = Status.OVERDUE, late
        else:
            status, days = Status.OPEN, 0
        target = self._escalate(item.owner, item.owner_role, rung(self.settings, days)) if days else None
        return Obligation(
            kind=item.kind.id, rule=item.rule, audit=audit_path, what=item.what, owner_role=item.owner_role, owner=item.owner,
            due=item.due, window_start=item.window_start, closed_by=item.closed_by, closed_on=item.closed_on,
            status=status, days_overdue=days, escalate_to=target, file=file, where=item.where,
        )

    def _escalate(self, owner: str | None, owner_role: str, step: int) -> str:
        key = (owner, owner_role, step)  # a few owners own most obligations: work each ladder out once
        if key not in self._ladder:
            self._ladder[key] = escalate_to_rung(self.staff, self.settings, owner, owner_role, step)
        return self._ladder[key]


def regraded_by(audit: Audit, grades: EffectiveGrades) -> Record | None:
    """The review (R12) that changed what the audit's overall grade asks of the follow-ups (Inadequate: an alert
    and a re-audit; Requires Improvement: SMART actions), from whose date they count; None where the audit's own
    grade asks the same, and they count from the audit."""
    review = grades.revised_by
    if review is None or _asks(grades.overall) == _asks(audit.overall):
        return None
    return review


def _asks(grade: Grade) -> str:
    """What an overall grade asks of the follow-ups: an alert and a re-audit, SMART actions, or neither."""
    if grade.is_inadequate:
        return "alert and re-audit"
    return "SMART actions" if grade is Grade.REQUIRES_IMPROVEMENT else ""


def reaudit_window(completed: date, times) -> tuple[date, date]:
    """R18: from ``earliest`` to ``latest`` calendar months after the audit, clamped to the month's end
    (an audit on 30 November opens its window on 28 or 29 February)."""
    return add_months(completed, times.reaudit_earliest_months), add_months(completed, times.reaudit_latest_months)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
