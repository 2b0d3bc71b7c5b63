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
- ``qa-officer``: a QA officer;
- ``case-moderator``: the moderator the cycle's moderation sample (``cycles/YYYY-MM.moderation.yaml``, written by
  ``ehqa moderate``) names for the case (issue 14).

Two kinds are a person's own judgement and nobody else's (issue 14): an auditor's own ``grades``, made before the
pair agrees, and a moderator's blind ``moderation``. A QA officer may not record them on anyone's behalf
(``on_behalf=False``): a grade passed on by someone else is no longer independent.
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
    "case-moderator": "the moderator the cycle's moderation sample names for the case",
}


@dataclass(frozen=True, slots=True)
class RecordKind:
    kind: str
    rule: str  # the framework rule it serves (framework/rules.py)
    writers: tuple[str, ...]  # keys of WRITERS, any of whom may write it
    what: str  # in a sentence, for the handbook and `ehqa record --help`
    on_behalf: bool = True  # whether a QA officer may write it for someone who may (ON_BEHALF)


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
    # Issue 14. An auditor's own grades serve R8 (every domain graded, and an overall grade): they are that
    # grading, done alone before the pair agrees, so that how far two auditors agree can be measured. They land
    # no later than the agreed audit (check-pr: OWN-GRADES-LATE).
    RecordKind("grades", "R8", ("case-auditor",),
               "an auditor's own grades, every domain and overall, made alone before the pair agrees", False),
    # A moderator's blind second grading of a sampled closed audit. The nearest rule is R12: an independent look
    # at an audit's findings by someone outside it (the Head of Service for QA, a QA officer or a named external
    # moderator), whose outcome goes to the next QA meeting.
    RecordKind("moderation", "R12", ("case-moderator",),
               "a moderator's blind grades of a sampled audit, every domain and overall, with a summary", False),
)
BY_KIND = {kind.kind: kind for kind in RECORD_KINDS}
ON_BEHALF = "qa-officer"  # who may write any record for someone who may


@dataclass(frozen=True, slots=True)
class FieldRule:
    """A rule between a record's fields beyond its schema: ``ehqa validate`` applies it (``rules/records.py``)
    and each form checks it in the browser before a pull request (``site/forms.py``), from this one table.

    ``when``: each field's value must be that value, "!value" not it, "*" anything, "" nothing; then
    ``need`` (all filled), ``need_any`` (one at least) or ``empty`` (none filled). ``where`` is the field
    ``validate`` points at and ``says`` its message; ``at`` is the form's field and ``asks`` its message."""

    kind: str
    check: str  # the check's id (framework/checks.py)
    when: dict[str, str]
    need: tuple[str, ...] = ()
    need_any: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    where: str = ""
    says: str = ""
    at: str = ""
    asks: str = ""

    def applies(self, value_of) -> bool:
        """Whether the rule's condition holds for a record whose field ``key`` has ``value_of(key)``."""
        return all(_matches(value_of(key), want) for key, want in self.when.items())

    def broken(self, value_of) -> bool:
        """Whether a record the rule applies to breaks it."""
        filled = [bool(value_of(key)) for key in (*self.need, *self.need_any, *self.empty)]
        if self.need:
            return not all(filled)
        if self.need_any:
            return not any(filled)
        return any(filled)

    def as_json(self) -> dict:
        """What the form's script reads (``site_templates/javascripts/ehqa-forms.js``)."""
        found: dict = {"when": self.when, "at": self.at, "message": self.asks}
        for name in ("need", "need_any", "empty"):
            if getattr(self, name):
                found[name] = list(getattr(self, name))
        return found


def _matches(value, want: str) -> bool:
    if want == "*":
        return bool(value)
    if want == "":
        return not value
    if want.startswith("!"):
        return value != want[1:]
    return value == want


FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("action-update", "RECORD-ACTIONS", {"status": "changed"}, need=("due",), where="status",
              says="status changed: give the new due date (due)",
              at="due", asks="Enter the new due date: the action's due date changes"),
    FieldRule("action-update", "RECORD-ACTIONS", {"status": "!changed"}, empty=("due",), where="due",
              says="a new due date goes only with status changed",
              at="due", asks="Leave the new due date empty, or choose Changed: a new due date goes only with a change"),
    FieldRule("review", "RECORD-REVIEW", {"outcome": "findings-revised"}, need_any=("overall", "domains"),
              where="outcome", says="findings revised: give the revised overall grade, the revised domain grades, or both",
              at="overall", asks="Findings revised: give the revised overall grade, the revised domain grades, or both"),
    FieldRule("review", "RECORD-REVIEW", {"outcome": "findings-upheld"}, empty=("overall", "domains"),
              where="outcome", says="findings upheld: the grades stand, so give no revised grades (or say findings-revised)",
              at="overall", asks="Findings upheld: the grades stand, so leave the revised grades as Not revised"),
    FieldRule("feedback", "RECORD-FEEDBACK", {"no_assessment_on_file": "*", "rule": "!R20"},
              empty=("no_assessment_on_file",), where="no_assessment_on_file",
              says="no_assessment_on_file goes only on an R20 record (feedback on the Early Help Assessment)",
              at="no_assessment_on_file", asks="Only R20 feedback can say there is no assessment on file"),
    FieldRule("feedback", "RECORD-FEEDBACK", {"no_assessment_on_file": "*"}, empty=("to", "summary"),
              where="no_assessment_on_file",
              says="no_assessment_on_file goes alone: either there was an assessment and feedback reached someone "
                   "(to, summary), or there was none",
              at="no_assessment_on_file",
              asks="With no assessment on file, leave who the feedback reached and what was fed back empty"),
    FieldRule("feedback", "RECORD-FEEDBACK", {"no_assessment_on_file": ""}, need=("to", "summary"), where="rule",
              says="say whom the feedback reached (to) and what it was (summary), or, for R20, why there is no "
                   "assessment on file (no_assessment_on_file)",
              at="summary", asks="Say who the feedback reached and what was fed back (for R20, or why there is no "
                                 "assessment on file)"),
)

