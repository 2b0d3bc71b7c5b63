"""Who may write each kind of follow-up record, and the rule each serves: one table (issue 11).

``check-pr`` accepts a record only from a person who holds one of its ``writers`` for that case;
``ehqa validate`` checks the same of the ``by`` field; the handbook prints this table
(``docs/reference/records.md``). A QA officer may also write any record for someone who may, with
``on_behalf_of`` naming them and ``received`` saying how it came (an email, the meeting...).

The writers, each relative to the audit the record follows:

- ``case-practitioner``: the case's practitioner, as the cycle's nomination names them;
- ``case-team-manager``: the team manager of that practitioner's team (``StaffDirectory.team_manager_of``);
- ``action-owner``: the owner of the action an update names, as the actions-agreed record gives it;
- ``case-auditor``: one of the audit's auditors;
- ``service-manager``: the service manager up the practitioner's line-management chain (every service
  manager when the chain reaches none);
- ``head-of-service-qa``: the Head of Service for QA;
- ``qa-officer``: a QA officer.
"""

from __future__ import annotations

from dataclasses import dataclass

WRITERS = {
    "case-practitioner": "the case's practitioner",
    "case-team-manager": "the team manager of the case's practitioner",
    "action-owner": "the owner of the action",
    "case-auditor": "one of the audit's auditors",
    "service-manager": "the service manager over the case's practitioner",
    "head-of-service-qa": "the Head of Service for QA",
    "qa-officer": "a QA officer",
}


@dataclass(frozen=True, slots=True)
class RecordKind:
    kind: str
    rule: str  # the framework rule it serves (framework/rules.py)
    writers: tuple[str, ...]  # keys of WRITERS, any of whom may write it
    what: str  # in a sentence, for the handbook and `ehqa record --help`


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("actions-agreed", "R17", ("case-team-manager",),
               "the SMART actions agreed with the practitioner, each with owner, due date and measure"),
    RecordKind("action-update", "R17", ("action-owner", "case-team-manager"),
               "one action done, not met, or its due date changed"),
    RecordKind("actions-reviewed", "R17", ("qa-officer",),
               "the actions reviewed at the next QA meeting: met or not met, escalated"),
    RecordKind("supervision-note", "R17", ("case-team-manager",),
               "the actions recorded in a supervision or management-oversight case note"),
    RecordKind("reflective-discussion", "R19", ("case-team-manager",),
               "the reflective discussion held with the practitioner, and anything new for the next meeting"),
    RecordKind("oversight", "R16", ("service-manager",),
               "the service manager's oversight of an Inadequate case and its actions"),
    RecordKind("review", "R12", ("head-of-service-qa",),
               "the independent review of a disputed audit: findings upheld, or revised grades and why"),
    RecordKind("feedback", "R10", ("case-auditor",),
               "feedback on earlier work (R10) or on the Early Help Assessment (R20)"),
    RecordKind("report-sent", "R15", ("qa-officer",),
               "the original audit report sent to the practitioner's manager after the meeting"),
    RecordKind("casenote", "R15", ("qa-officer",),
               "the 'Quality Assurance: case audited' case note recorded in the case record"),
)
BY_KIND = {kind.kind: kind for kind in RECORD_KINDS}
ON_BEHALF = "qa-officer"  # who may write any record for someone who may
