"""The follow-up records an audit's own follow-up fields say (issue 11): what ``ehqa migrate`` adds beside
an audit written before records, and what the demo writes instead of those fields. Pure: nothing here reads
or writes a file.

Each field that holds a date is an act; the record of the matching kind names who did it, as the staff
directory says, and when:

- ``followup.report_sent_to_manager``: ``report-sent``, by the QA officer in post that day
  (``StaffDirectory.qa_officer_on``), to the team manager of the case's practitioner;
- ``followup.casenote_recorded``: ``casenote``, by the QA officer in post that day;
- ``followup.supervision_note_recorded``: ``supervision-note``, by the case's team manager
  (``StaffDirectory.team_manager_of``);
- ``smart_actions``: one ``actions-agreed`` record by the team manager, with the practitioner, the actions
  numbered a1, a2... in order, dated the supervision note that recorded them (or, without one, the audit's
  completion, the earliest day a record can have, which its note says); then an ``action-update`` for each
  action done (by its owner, on the day it was done) or not met (by the team manager, dated its due date);
- ``followup.actions_reviewed``: ``actions-reviewed`` by the QA officer in post that day: met for an action
  done by then, not met for one not met or past its due date and not done, ``escalated`` where
  ``followup.escalated_to_senior_management`` has a date; an action still to come is not reviewed;
- ``followup.reflective_discussion`` (and ``reflective_notes``): ``reflective-discussion`` by the team
  manager with the practitioner (the notes are its ``for_next_meeting``);
- ``disagreement.review``: ``review`` by the reviewer, the notes its reason; findings revised only where
  the revised grades are known, which the audit does not say: such a review stays in the audit;
- ``previous_work_feedback[].fed_back``: ``feedback`` (R10) by the auditor who owns the follow-up (the one
  who completed the audit alone, or the first named), to the previous practitioner and their team manager;
- ``assessment.feedback_returned``: ``feedback`` (R20) by that auditor, to the case's practitioner.

``followup.service_manager_alerted`` and ``assessment.manager_informed`` stay in the audit: they are the QA
officer's alert and the auditor's advice to a manager, and no record kind says either (an ``oversight``
record is the service manager's own act, which the alert does not show). A record whose author the
directory cannot name (no team manager up the practitioner's line, a person who had left by that day) is
not written: the field is ``Left`` with why, and still closes its follow-up from the audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ehqa.model import Audit, Nomination, Person, Role, Settings, SmartAction, StaffDirectory
from ehqa.model.records import action_key

KEPT = ("followup.service_manager_alerted", "assessment.manager_informed")  # no record kind says these


@dataclass(frozen=True)
class Planned:
    """One record to write: its kind, author and day, and the kind's own fields (``note`` among them)."""

    source: str  # the audit field it comes from, "followup.casenote_recorded"
    kind: str
    by: str
    day: date
    fields: dict[str, Any]


@dataclass(frozen=True)
class Left:
    """A follow-up field that does not become a record, and why."""

    source: str
    why: str


@dataclass
class FromFields:
    records: list[Planned] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # KEPT fields this audit has a date in


def records_from_fields(audit: Audit, nomination: Nomination | None, staff: StaffDirectory, settings: Settings | None,
                        *, agreed: dict[tuple[str, str, date], str] | None = None, taken: Iterable[str] = (),
                        note: str | None = "Moved from the audit's {field} by ehqa migrate.") -> FromFields:
    """The records ``audit``'s follow-up fields say. ``agreed`` maps the actions already agreed in records
    (``action_key``) to their ids, which are used and not agreed again; ``taken`` are action ids in use.
    ``note`` (formatted with the field) is each record's note, None for none."""
    return _Mapper(audit, nomination, staff, settings, dict(agreed or {}), set(taken), note).run()


class _Mapper:
    def __init__(self, audit: Audit, nomination: Nomination | None, staff: StaffDirectory, settings: Settings | None,
                 agreed: dict[tuple[str, str, date], str], taken: set[str], note: str | None) -> None:
        self.audit, self.staff, self.settings, self.note = audit, staff, settings, note
        self.practitioner = nomination.practitioner if nomination is not None else None
        self.manager = staff.team_manager_of(nomination)
        completion = audit.sole_completion
        self.auditor = completion.completed_by if completion is not None else audit.auditors[0]
        self.agreed, self.taken = agreed, taken
        self.out = FromFields()

    def run(self) -> FromFields:
        steps = self.audit.followup
        self._kept()
        self._qa_officer("followup.report_sent_to_manager", "report-sent", steps.report_sent_to_manager,
                         to=self.manager.id if self.manager is not None else None)
        self._qa_officer("followup.casenote_recorded", "casenote", steps.casenote_recorded)
        self._team_manager("followup.supervision_note_recorded", "supervision-note", steps.supervision_note_recorded)
        ids = self._actions()
        self._reviewed(ids)
        if steps.reflective_discussion is not None:
            extra = {"for_next_meeting": steps.reflective_notes} if steps.reflective_notes.strip() else {}
            self._team_manager("followup.reflective_discussion", "reflective-discussion", steps.reflective_discussion,
                               with_practitioner=True, **extra)
        elif steps.reflective_notes.strip():
            self._leave("followup.reflective_notes", "there is no reflective_discussion date for the notes to go with")
        self._review()
        self._feedback()
        return self.out

    # --- who ---------------------------------------------------------------------------------------

    def _author(self, source: str, person: Person | None, day: date, who: str) -> str | None:
        if person is None and self.practitioner is None and "case's practitioner" in who:
            self._leave(source, "the cycle does not nominate the case, so who its team manager was is not known")
        elif person is None:
            self._leave(source, f"staff.yaml does not say who {who} was")
        elif not person.in_service_on(day):
            self._leave(source, f"{person.id}, {who}, had left by {day.isoformat()}")
        else:
            return person.id
        return None

    def _add(self, source: str, kind: str, by: str, day: date, fields: dict[str, Any], why: str = "") -> None:
        fields = dict(fields)
        if self.note is not None:
            fields["note"] = self.note.format(field=source) + (f" {why}" if why else "")
        self.out.records.append(Planned(source, kind, by, day, fields))

    def _leave(self, source: str, why: str) -> None:
        self.out.left.append(Left(source, why))

    def _kept(self) -> None:
        assessment = self.audit.assessment
        if self.audit.followup.service_manager_alerted is not None:
            self.out.kept.append(KEPT[0])
        if assessment is not None and assessment.manager_informed is not None:
            self.out.kept.append(KEPT[1])

    # --- the QA officer's and the team manager's steps ---------------------------------------------

    def _qa_officer(self, source: str, kind: str, day: date | None, **fields: Any) -> str | None:
        if day is None:
            return None
        if "to" in fields and fields["to"] is None:
            self._leave(source, "the cycle does not nominate the case, so whom the report went to is not known"
                        if self.practitioner is None else "staff.yaml names no team manager of the case's "
                        "practitioner for the report to have gone to")
            return None
        by = self._author(source, self.staff.qa_officer_on(day), day, f"the QA officer on {day.isoformat()}")
        if by is not None:
            self._add(source, kind, by, day, fields)
        return by

    def _team_manager(self, source: str, kind: str, day: date | None, *, with_practitioner: bool = False,
                      why: str = "", **fields: Any) -> bool:
        if day is None:
            return False
        if with_practitioner:
            if self.practitioner is None:
                self._leave(source, "the cycle names no practitioner for the case")
                return False
            fields = {"with": self.practitioner, **fields}
        by = self._author(source, self.manager, day, "the team manager of the case's practitioner")
        if by is None:
            return False
        self._add(source, kind, by, day, fields, why)
        return True

    # --- SMART actions (R17) -----------------------------------------------------------------------

    def _actions(self) -> dict[int, str]:
        """The id of each of the audit's actions (by index) once agreed in a record: already, or now."""
        audit = self.audit
        if not audit.smart_actions:
            return {}
        ids: dict[int, str] = {}
        new: list[dict[str, Any]] = []
        number = 1
        for index, action in enumerate(audit.smart_actions):
            known = self.agreed.get(action_key(action.action, action.owner, action.due))
            if known is None:
                while f"a{number}" in self.taken:
                    number += 1
                known = f"a{number}"
                self.taken.add(known)
                new.append({"id": known, "action": action.action, "owner": action.owner, "due": action.due.isoformat(),
                            "measure": action.measure})
            ids[index] = known
        if new:
            day = audit.followup.supervision_note_recorded or audit.completed
            why = "" if audit.followup.supervision_note_recorded else (
                "The audit does not say when they were agreed: dated the day it was completed.")
            if not self._team_manager("smart_actions", "actions-agreed", day, with_practitioner=True, why=why,
                                      actions=new):
                unagreed = {a["id"] for a in new}
                ids = {index: id_ for index, id_ in ids.items() if id_ not in unagreed}
        for index, action in enumerate(audit.smart_actions):
            if index in ids:
                self._update(index, ids[index], action)
            elif action.status != "open":
                self._leave(f"smart_actions[{index}].status", "the action is not agreed in a record to update")
        return ids

    def _update(self, index: int, id_: str, action: SmartAction) -> None:
        source = f"smart_actions[{index}].status"
        if action.status == "done":
            if action.done is None:
                self._leave(source, "done, with no date it was done")
                return
            by = self._author(source, self.staff.get(action.owner), action.done, "the action's owner")
            if by is not None:
                self._add(source, "action-update", by, action.done, {"action": id_, "status": "done"})
        elif action.status == "not-met":
            by = self._author(source, self.manager, action.due, "the team manager of the case's practitioner")
            if by is not None:
                self._add(source, "action-update", by, action.due, {"action": id_, "status": "not-met"},
                          "The audit does not say when it was found not met: dated its due date.")

    def _reviewed(self, ids: dict[int, str]) -> None:
        steps = self.audit.followup
        day, escalated = steps.actions_reviewed, steps.escalated_to_senior_management
        if day is None:
            if escalated is not None:
                self._leave("followup.escalated_to_senior_management", "an escalation is recorded in an "
                            "actions-reviewed record, and the audit has no actions_reviewed date")
            return
        reviews = []
        for index, action in enumerate(self.audit.smart_actions):
            outcome = _outcome(action, day)
            if outcome is None or index not in ids:
                continue
            entry: dict[str, Any] = {"action": ids[index], "outcome": outcome}
            if outcome == "not-met" and escalated is not None:
                entry["escalated"] = True
            reviews.append(entry)
        if not reviews:
            self._leave("followup.actions_reviewed", "no action agreed in a record had been met or missed by then")
            return
        why = ""
        if escalated is not None:
            if not any(r.get("escalated") for r in reviews):
                self._leave("followup.escalated_to_senior_management", "no action reviewed was not met")
            else:
                why = f"Unmet actions escalated to senior management on {escalated.isoformat()}."
        source = "followup.actions_reviewed"
        by = self._author(source, self.staff.qa_officer_on(day), day, f"the QA officer on {day.isoformat()}")
        if by is not None:
            self._add(source, "actions-reviewed", by, day, {"reviews": reviews}, why)

    # --- the review (R12) and the auditors' feedback (R10, R20) ------------------------------------

    def _review(self) -> None:
        disagreement = self.audit.disagreement
        review = disagreement.review if disagreement is not None else None
        if review is None:
            return
        source = "disagreement.review"
        if review.outcome == "findings-revised":
            self._leave(source, "findings revised: a review record gives the revised grades, which the audit does not")
        elif not review.notes.strip():
            self._leave(source, "the review has no notes to give as its reason")
        else:
            by = self._author(source, self.staff.get(review.reviewer), review.date, "the reviewer")
            if by is not None:
                self._add(source, "review", by, review.date, {"outcome": review.outcome, "reason": review.notes})

    def _feedback(self) -> None:
        for index, feedback in enumerate(self.audit.previous_work_feedback):
            if feedback.fed_back is None:
                continue
            source = f"previous_work_feedback[{index}].fed_back"
            to = [feedback.practitioner] if feedback.practitioner else []
            manager = self._manager_of(feedback.practitioner, feedback.team)
            to += [manager] if manager and manager not in to else []
            if not to:
                self._leave(source, f"staff.yaml names nobody in team {feedback.team} whom it reached")
                continue
            self._auditor(source, feedback.fed_back, {"rule": "R10", "to": to, "summary": feedback.summary})
        assessment = self.audit.assessment
        if assessment is None or assessment.feedback_returned is None:
            return
        source = "assessment.feedback_returned"
        if self.practitioner is None:
            self._leave(source, "the cycle names no practitioner for the case")
            return
        label = self.settings.grade_label(assessment.grade) if self.settings else assessment.grade.value
        summary = assessment.comments.strip() or f"The Early Help Assessment was graded {label}."
        self._auditor(source, assessment.feedback_returned, {"rule": "R20", "to": [self.practitioner], "summary": summary})

    def _auditor(self, source: str, day: date, fields: dict[str, Any]) -> None:
        by = self._author(source, self.staff.get(self.auditor), day, "the auditor")
        if by is not None:
            self._add(source, "feedback", by, day, fields)

    def _manager_of(self, practitioner: str | None, team: str) -> str | None:
        """The previous practitioner's team manager: the first up their line; without a practitioner, the team's
        one team manager."""
        if practitioner is not None:
            for manager_id in self.staff.management_chain(practitioner):
                manager = self.staff.get(manager_id)
                if manager is not None and manager.role is Role.TEAM_MANAGER:
                    return manager.id
            return None
        managers = [p.id for p in self.staff.people.values() if p.team == team and p.role is Role.TEAM_MANAGER]
        return managers[0] if len(managers) == 1 else None


def _outcome(action: SmartAction, day: date) -> str | None:
    """How the action stood when it was reviewed on ``day``: met, not met, or still to come (None)."""
    if action.status == "done" and action.done is not None and action.done <= day:
        return "met"
    return "not-met" if action.due < day else None
