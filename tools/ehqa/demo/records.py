"""The demo's follow-up records (issue 11): what was done after each audit closed at its QA meeting, one file
per act beside the audit.

``casework`` draws each audit with its follow-up as the fields audits had before records: the steps' dates,
the actions' progress, the review of a disputed audit, the auditors' feedback. ``split`` takes those out of
the audit, which keeps what its auditors wrote before the meeting (the SMART actions they proposed, still
open), and returns the records that say them, as ``ehqa migrate`` writes them for a real service
(``repo_files.followup_records``, without its note). Two acts no field says as a record are written as the
demo's own: the service manager's oversight of an Inadequate case (R16), on the day the QA officer alerted
them, and a review that revised the findings (R12), with the domain grade it revised; and the demo's QA
officer reviews every action at the next meeting, even one not yet due (met if done by then, else not met
and, where the demo escalated, escalated). A step whose author had left the service by its day is not recorded: it stays to be done.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random
from typing import Any

import ehqa.demo.narrative as text
from ehqa import layout
from ehqa.framework.records import RECORD_KINDS
from ehqa.load import convert
from ehqa.model import Audit, Nomination, Role, Settings, StaffDirectory
from ehqa.repo_files.followup_records import Planned, records_from_fields
from ehqa.repo_files.record_file import kind_fields, record_document, record_text

OVERSIGHT = (
    "Read the audit and met the team manager: the plan is to be rewritten within two weeks, with dates.",
    "Reviewed the case with the team manager and agreed weekly supervision until the re-audit.",
    "Agreed the actions with the team manager and asked for an update at the next QA meeting.",
    "Read the audit; the case stays at Early Help with a step-up review booked for next month.",
)
NO_ASSESSMENT = (
    "The family asked for help with one need only; the practitioner recorded a request for support instead.",
    "The case was opened as a step-down from children's social care, whose assessment is the one on file.",
    "The assessment was started but the family withdrew consent before it was completed.",
    "The case came from another local authority and its assessment is not yet on our system.",
)
_BETTER = {"inadequate": "requires-improvement", "requires-improvement": "good", "good": "outstanding"}  # weakest first


@dataclass(frozen=True)
class DemoRecord:
    path: str
    text: str


class Records:
    """Splits each drawn audit into the audit as written and its records."""

    def __init__(self, rng: Random, staff: StaffDirectory, settings: Settings, schemas: Path) -> None:
        self.rng, self.staff, self.settings = rng, staff, settings
        self.orders = {kind.kind: list(kind_fields(schemas, kind.kind)) for kind in RECORD_KINDS}

    def split(self, document: dict[str, Any], nomination: Nomination) -> tuple[dict[str, Any], list[DemoRecord]]:
        """The audit as its auditors wrote it, and the records of what was done after it."""
        cycle, case = document["cycle"], document["case"]
        drawn = convert.audit(as_loaded(document), layout.audit_path(cycle, case))
        said = records_from_fields(drawn, nomination, self.staff, self.settings, note=None)
        acts = [(p.kind, p.by, p.day, p.fields) for p in said.records]
        alerted = drawn.followup.service_manager_alerted
        if alerted is not None:
            acts.append(("oversight", self._service_manager(nomination), alerted,
                         {"summary": self.rng.choice(OVERSIGHT)}))
        unsaid = {left.source for left in said.left} & {"followup.actions_reviewed",
                                                         "followup.escalated_to_senior_management"}
        if unsaid and (reviewed := self._reviewed(drawn, said.records)):
            acts = [act for act in acts if act[0] != "actions-reviewed"] + reviewed
        own = Random(f"{cycle}/{case}/R20")  # its own draw, so the rest of the demo is drawn as before
        if drawn.assessment is None and own.random() < 0.9:  # R20 on every audit: else it stays to be done
            auditor = drawn.sole_completion.completed_by if drawn.sole_completion else drawn.auditors[0]
            acts.append(("feedback", auditor, drawn.completed,
                         {"rule": "R20", "no_assessment_on_file": own.choice(NO_ASSESSMENT)}))
        review = drawn.disagreement.review if drawn.disagreement is not None else None
        if review is not None and review.outcome == "findings-revised":
            acts.append(("review", review.reviewer, review.date, self._revised(document, review.notes)))
        taken: set[str] = set()
        written = []
        for kind, by, day, fields in sorted(acts, key=lambda act: (act[2], act[0], act[1])):
            number = 1
            while (path := layout.record_path(cycle, case, day.isoformat(), kind, by, number)) in taken:
                number += 1
            taken.add(path)
            written.append(DemoRecord(path, record_text(record_document(kind, cycle, case, by, day, fields,
                                                                        self.orders[kind]))))
        return _as_written(document), written

    def _service_manager(self, nomination: Nomination) -> str:
        """The first service manager up the practitioner's line (R16); the directory's first otherwise."""
        for manager_id in self.staff.management_chain(nomination.practitioner):
            manager = self.staff.get(manager_id)
            if manager is not None and manager.role is Role.SERVICE_MANAGER:
                return manager.id
        return next(p.id for p in self.staff.people.values() if p.role is Role.SERVICE_MANAGER)

    def _reviewed(self, drawn: Audit, planned: list[Planned]) -> list[tuple[str, str, date, dict[str, Any]]]:
        """The review of the actions at the next meeting where none was yet due, or where the one escalated was
        not, which ``ehqa migrate`` cannot say of a real audit: in the demo the QA officer reviewed them all, met
        if done by then, else not met (and escalated, where the demo escalated)."""
        agreed = next((p for p in planned if p.kind == "actions-agreed"), None)
        day, escalated = drawn.followup.actions_reviewed, drawn.followup.escalated_to_senior_management
        qa_officer = self.staff.qa_officer_on(day) if day is not None else None
        if agreed is None or day is None or qa_officer is None:
            return []
        reviews = []
        for entry, action in zip(agreed.fields["actions"], drawn.smart_actions):
            met = action.status == "done" and action.done is not None and action.done <= day
            review: dict[str, Any] = {"action": entry["id"], "outcome": "met" if met else "not-met"}
            if not met and escalated is not None:
                review["escalated"] = True
            reviews.append(review)
        return [("actions-reviewed", qa_officer.id, day, {"reviews": reviews})]

    def _revised(self, document: dict[str, Any], reason: str) -> dict[str, Any]:
        """The review's revised grade: the weakest domain's (the first of them), one step up; every domain
        Outstanding, the findings stand."""
        graded = [(d, j["grade"]) for d, j in document["domains"].items() if j["grade"] in _BETTER]
        if not graded:
            return {"outcome": "findings-upheld", "reason": self.rng.choice(text.REVIEW_NOTES["findings-upheld"])}
        domain, grade = min(graded, key=lambda item: list(_BETTER).index(item[1]))
        return {"outcome": "findings-revised", "domains": {domain: _BETTER[grade]}, "reason": reason}


def _as_written(document: dict[str, Any]) -> dict[str, Any]:
    """The audit without what was done after it: its follow-up dates, the progress of the actions its auditors
    proposed, the review of the disagreement and the amendments it brought, the days feedback was given."""
    audit = copy.deepcopy(document)
    audit["followup"] = None
    audit["amendments"] = None
    for action in audit.get("smart_actions") or ():
        action["status"], action["done"] = "open", None
    for feedback in audit.get("previous_work_feedback") or ():
        feedback["fed_back"] = None
    if audit.get("assessment"):
        audit["assessment"]["feedback_returned"] = None
    if audit.get("disagreement"):
        audit["disagreement"]["review"] = None
    return audit


def as_loaded(value: Any) -> Any:
    """The document as the loader reads it: dates as ISO text, and no empty fields."""
    if isinstance(value, dict):
        return {k: as_loaded(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [as_loaded(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value

