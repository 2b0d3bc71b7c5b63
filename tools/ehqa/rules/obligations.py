"""Every obligation the framework creates after an audit (R10–R20), derived from the data.

Each obligation names its rule, its audit, what is to be done, its owner (a role and, where
the staff directory says who, a person), when it is due (or its window), the data field
whose date closes it, and — as of a given day — its status and how far overdue it is.
Nothing here reads the clock: ``as_of`` is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Iterator

from ehqa.model import Audit, Cycle, Grade, Role, Service, StaffDirectory
from ehqa.model.calendar import WorkingCalendar, add_months, calendar_for
from ehqa.model.cycle_dates import meeting_in
from ehqa.rules.escalation import escalate_to_rung, rung
from ehqa.rules.timeliness import submission_date


class Status(str, Enum):
    DONE = "done"
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Obligation:
    rule: str  # "R15"
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

    rule: str
    what: str
    owner_role: str
    owner: str | None
    due: date
    closed_by: str
    closed_on: date | None
    where: tuple = ()
    window_start: date | None = None
    grace: int = 0  # working days after ``due`` before it counts as overdue (R11: one)


class Obligations:
    """Derives obligations for one service as of one day."""

    def __init__(self, service: Service, as_of: date, calendar: WorkingCalendar | None = None,
                 submitted: dict[str, date] | None = None) -> None:
        if service.settings is None or service.staff is None:
            raise ValueError("qa.yaml and staff.yaml must load cleanly: run `ehqa validate`")
        self.service, self.as_of = service, as_of
        self.settings, self.staff = service.settings, service.staff
        self.times = self.settings.timescales
        self.calendar = calendar or calendar_for(self.settings)
        self.qa_officer = _first_of_role(self.staff, Role.QA_OFFICER, as_of)
        self.reaudits = {a.reaudit_of: a for a in service.audits if a.reaudit_of}
        self._ladder: dict[tuple, str] = {}
        self._next_meetings: dict[str, date] = {}
        # R13: the day each audit file landed on main (load.git_history.first_landed); None: no history.
        # A submitted audit owes nothing more, late or not; lateness is reported by rules.timeliness.
        self.submitted = submitted

    # --- the whole service ------------------------------------------------------------

    def all(self) -> list[Obligation]:
        found: list[Obligation] = []
        for audit in self.service.audits:
            cycle = self.service.cycles.get(audit.cycle)
            if cycle is not None:
                found.extend(self._finish(audit.source, audit.source, item) for item in self.for_audit(audit, cycle))
        found.extend(self.missing_audits())
        found.sort(key=lambda o: (o.due, o.audit, o.rule, o.what))
        return found

    def next_meeting(self, cycle_id: str) -> date:
        """The QA meeting after this cycle's: from its cycle file, or by the meeting rule when not yet written."""
        if cycle_id not in self._next_meetings:  # once per cycle, not once per audit
            self._next_meetings[cycle_id] = self._find_next_meeting(cycle_id)
        return self._next_meetings[cycle_id]

    def _find_next_meeting(self, cycle_id: str) -> date:
        year, month = int(cycle_id[:4]), int(cycle_id[5:])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        following = self.service.cycles.get(f"{year:04d}-{month:02d}")
        if following is not None:
            return following.meeting
        return meeting_in(year, month, self.settings.meeting_rule, self.calendar).meeting

    # --- one audit ----------------------------------------------------------------------

    def for_audit(self, audit: Audit, cycle: Cycle) -> Iterator[_Due]:
        times, cal, steps = self.times, self.calendar, audit.followup
        auditor = audit.sole_completion.completed_by if audit.sole_completion else audit.auditors[0]
        nomination = cycle.nomination(audit.case)
        manager = _team_manager(self.staff, nomination.practitioner) if nomination else None
        next_meeting = self.next_meeting(audit.cycle)
        qa = self.qa_officer

        concern = audit.safety_concern
        if concern is not None:
            yield _Due("R11", "tell the team manager of the immediate safety concern", "auditor", auditor,
                       concern.identified, "safety_concern.team_manager_told", concern.team_manager_told,
                       ("safety_concern", "team_manager_told"), grace=times.safety_concern_working_days)

        after_meeting = cal.add_working_days(cycle.meeting, times.casenote_working_days)
        yield _Due("R15", "send the original audit report to the practitioner's manager", "qa-officer", qa,
                   after_meeting, "followup.report_sent_to_manager", steps.report_sent_to_manager, ("followup",))
        yield _Due("R15", f"record the 'Quality Assurance: case audited' case note in "
                          f"{self.settings.case_management_system}", "qa-officer", qa,
                   after_meeting, "followup.casenote_recorded", steps.casenote_recorded, ("followup",))

        if audit.overall.is_inadequate:
            yield _Due("R16", f"alert the service manager: the case is graded {self._label(audit.overall)}",
                       "qa-officer", qa, cal.add_working_days(audit.completed, times.service_manager_alert_working_days),
                       "followup.service_manager_alerted", steps.service_manager_alerted, ("overall", "grade"))
            yield self._reaudit(audit)

        if audit.overall is Grade.REQUIRES_IMPROVEMENT:
            yield _Due("R17", "agree SMART actions with the practitioner and record them in a supervision or "
                              "management-oversight case note", "team-manager", manager, next_meeting,
                       "followup.supervision_note_recorded", steps.supervision_note_recorded, ("smart_actions",))
            yield _Due("R17", "review the SMART actions at the next QA meeting", "qa-officer", qa, next_meeting,
                       "followup.actions_reviewed", steps.actions_reviewed, ("followup",))
        for index, action in enumerate(audit.smart_actions):
            closed = action.done if action.status == "done" else None
            yield _Due("R17", f"SMART action {index + 1}: {_short(action.action)}", "action owner", action.owner,
                       action.due, f"smart_actions[{index}].done", closed, ("smart_actions", index))
            if action.status == "not-met":
                yield _Due("R17", f"escalate SMART action {index + 1}, not met, to senior management", "qa-officer",
                           qa, next_meeting, "followup.escalated_to_senior_management",
                           steps.escalated_to_senior_management, ("smart_actions", index, "status"))

        yield _Due("R19", "hold the reflective discussion of the findings with the practitioner", "team-manager",
                   manager, next_meeting, "followup.reflective_discussion", steps.reflective_discussion, ("followup",))

        if audit.disagreement is not None:
            review = audit.disagreement.review
            yield _Due("R12", "take an independent look at the disputed audit report", "head-of-service-qa",
                       _first_of_role(self.staff, Role.HEAD_OF_SERVICE_QA, self.as_of),
                       cal.add_working_days(audit.disagreement.raised, times.head_of_service_review_working_days),
                       "disagreement.review.date", review.date if review else None, ("disagreement",))

        for index, feedback in enumerate(audit.previous_work_feedback):
            yield _Due("R10", f"feed back the earlier work's {feedback.kind} to the previous practitioner and "
                              "their team manager", "auditor", auditor, next_meeting,
                       f"previous_work_feedback[{index}].fed_back", feedback.fed_back,
                       ("previous_work_feedback", index))

        assessment = audit.assessment
        if assessment is not None and assessment.grade is not Grade.NOT_APPLICABLE:
            yield _Due("R20", "return feedback on the Early Help Assessment to its practitioner", "auditor", auditor,
                       next_meeting, "assessment.feedback_returned", assessment.feedback_returned, ("assessment",))
            if assessment.grade is Grade.INADEQUATE:
                yield _Due("R20", "give the practitioner's manager information, advice and guidance on the "
                                  "inadequate Early Help Assessment", "auditor", auditor,
                           cal.add_working_days(audit.completed, times.assessment_feedback_working_days),
                           "assessment.manager_informed", assessment.manager_informed, ("assessment", "grade"))

    def _reaudit(self, audit: Audit) -> _Due:
        """R18: a senior manager re-audits 2–3 calendar months after the audit (month ends clamped)."""
        opens, closes = reaudit_window(audit.completed, self.times)
        done = self.reaudits.get(audit.key)
        return _Due("R18", "re-audit the case (a senior manager) to check the required actions and improvements",
                    "senior manager", None, closes, "an audit with reaudit_of: " + audit.key,
                    done.completed if done else None, ("overall", "grade"), window_start=opens)

    # --- audits not submitted (R13) -----------------------------------------------------

    def submitted_on(self, audit: Audit) -> date:
        """The day the audit was submitted: when its file landed on main, else its completed date."""
        return submission_date(audit, self.submitted)

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
                    item = _Due("R13", f"complete and submit the audit of case {case} "
                                       f"({' and '.join(pair.auditors)})", "auditor", pair.auditors[0],
                                cycle.audits_due, f"audits/{cycle_id}/{case}.yaml", None,
                                ("pairs", index, "cases", number))
                    yield self._finish(f"audits/{cycle_id}/{case}.yaml", allocation.source, item)

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
            rule=item.rule, audit=audit_path, what=item.what, owner_role=item.owner_role, owner=item.owner,
            due=item.due, window_start=item.window_start, closed_by=item.closed_by, closed_on=item.closed_on,
            status=status, days_overdue=days, escalate_to=target, file=file, where=item.where,
        )

    def _escalate(self, owner: str | None, owner_role: str, step: int) -> str:
        key = (owner, owner_role, step)  # a few owners own most obligations: work each ladder out once
        if key not in self._ladder:
            self._ladder[key] = escalate_to_rung(self.staff, self.settings, owner, owner_role, step)
        return self._ladder[key]

    def _label(self, grade: Grade) -> str:
        definition = self.settings.grades.get(grade)
        return definition.label if definition else grade.value


def reaudit_window(completed: date, times) -> tuple[date, date]:
    """R18: from ``earliest`` to ``latest`` calendar months after the audit, clamped to the month's end
    (an audit on 30 November opens its window on 28 or 29 February)."""
    return add_months(completed, times.reaudit_earliest_months), add_months(completed, times.reaudit_latest_months)


def _team_manager(staff: StaffDirectory, practitioner: str) -> str | None:
    """The first team manager up the practitioner's line-management chain."""
    for manager in staff.management_chain(practitioner):
        person = staff.get(manager)
        if person is not None and person.role is Role.TEAM_MANAGER:
            return manager
    return None


def _first_of_role(staff: StaffDirectory, role: Role, as_of: date) -> str | None:
    """The first person in the directory who holds the role and has not left."""
    for person in staff.listed:
        if person.role is role and (person.left is None or person.left > as_of):
            return person.id
    return None


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
