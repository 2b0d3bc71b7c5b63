"""Every rule ehqa checks, in one place: its id, the R-number it enforces, and what it means.

Ids are stable: tests, CI annotations and people's muscle memory rely on them.
A test asserts that every rule here has a negative example that triggers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    cites: str  # the framework rule (ehqa.framework.rules), e.g. "R6"; "" for rules about files themselves
    summary: str


_RULES = [
    # Reading files (ehqa.load.strict_yaml)
    Rule("FILE-UNREADABLE", "", "The file cannot be read."),
    Rule("FILE-UNKNOWN", "R8", "A file under audits/ or cycles/ with a name ehqa does not know (another "
         "extension, a misspelt name): nothing would read it."),
    Rule("FILE-MISSING", "", "A file every QA repository needs (qa.yaml, staff.yaml) is missing."),
    Rule("YAML-TOO-LARGE", "", "The file is over the size cap (validation.max_file_bytes)."),
    Rule("YAML-ENCODING", "", "The file is not UTF-8."),
    Rule("YAML-SYNTAX", "", "The file is not valid YAML, or holds more than one document."),
    Rule("YAML-EMPTY", "", "The file holds no YAML document."),
    Rule("YAML-DUPLICATE-KEY", "", "A key appears twice in one mapping."),
    Rule("YAML-AMBIGUOUS-BOOL", "", "yes/no/on/off, which YAML 1.1 reads as true/false."),
    Rule("YAML-LEADING-ZERO", "", "A number with a leading zero, which YAML 1.1 reads as octal."),
    Rule("YAML-UNSAFE-TAG", "", "A YAML tag other than plain data (for example !!python/object)."),
    Rule("YAML-KEY-TYPE", "", "A key that is not plain text (a list, a map, a merge key)."),
    Rule("YAML-EXPANSION", "", "Anchors and aliases that expand to too many values (an alias bomb)."),
    Rule("YAML-TOO-DEEP", "", "Values nested too deep."),
    # What is under audits/ and cycles/ (ehqa.layout, issue 9): nothing there goes unread
    Rule("FILE-SYMLINK", "R4", "A symbolic link (or a pipe, a device, a submodule) under audits/ or cycles/, "
         "or as qa.yaml or staff.yaml: never read through, since its target changes unchecked."),
    Rule("FILE-CASE", "R4", "A name that differs only by case from one ehqa knows (X.YAML, Audits/), or two "
         "names that differ only by case: one file on Windows and macOS."),
    Rule("FILE-STRAY-FOLDER", "R8", "A folder ehqa does not know: audits/ holds only YYYY-MM folders, and they "
         "and cycles/ hold only files."),
    # Values YAML reads differently from how they look (ehqa.load.strict_yaml, issue 9)
    Rule("YAML-NUMBER", "", "A plain value YAML reads as a number other than it looks, or as no number at all: "
         "base 60 (1:20), 0b/0o prefixes, underscores (1_000), 0b_: quote it."),
    Rule("YAML-TAG-MISMATCH", "", "An explicit tag that does not fit its value (!!int foo, !!seq on a mapping, "
         "!!null 5)."),
    # The JSON Schemas (schemas/*.schema.json)
    Rule("SCHEMA-REQUIRED", "", "A required field is missing."),
    Rule("SCHEMA-UNKNOWN-FIELD", "", "A field the schema does not know (often a typo)."),
    Rule("SCHEMA-TYPE", "", "A value of the wrong type."),
    Rule("SCHEMA-NUMBER-AS-TEXT", "", "A reference or text that YAML read as a number: quote it."),
    Rule("SCHEMA-ENUM", "", "A value that is not one of the allowed words."),
    Rule("SCHEMA-DATE", "", "A date that is not a real date in the form YYYY-MM-DD."),
    Rule("SCHEMA-PATTERN", "", "A value not in the expected form (ids, references, cycles)."),
    Rule("SCHEMA-LENGTH", "", "Text or a list that is too short or too long."),
    Rule("SCHEMA-INVALID", "", "Any other schema violation."),
    # Settings and staff
    Rule("SETTINGS-DUPLICATE-ID", "", "Two domains, themes or questions share an id."),
    Rule("SETTINGS-DOMAIN-SETS", "", "Domain-set versions must rise by one and start in later cycles."),
    Rule("SETTINGS-CASE-PATTERN", "", "case_reference_pattern is not a valid regular expression."),
    Rule("SETTINGS-TIMESCALES", "R18", "The re-audit window must open before it closes."),
    Rule("STAFF-DUPLICATE", "", "Two staff share an id or a GitHub handle."),
    Rule("STAFF-UNKNOWN-TEAM", "", "A person's team is not in the list of teams."),
    Rule("STAFF-LINE-MANAGER", "R6", "A line manager who is not in the directory, or a loop of line managers."),
    Rule("STAFF-ABSENCE", "", "An absence that ends before it starts."),
    # Cycles and allocations
    Rule("REF-PERSON", "", "A staff id that is not in staff.yaml."),
    Rule("REF-TEAM", "", "A team id that is not in staff.yaml."),
    Rule("REF-THEME", "R2", "A learning theme that is not in the vocabulary in qa.yaml."),
    Rule("FILE-NAME", "", "A file's name or folder does not match its content."),
    Rule("CASE-REFERENCE", "", "A case reference that does not match service.case_reference_pattern."),
    Rule("CYCLE-LEAD-TIME", "R5", "Allocations go out at least 14 days (allocation_lead_days) before the QA meeting."),
    Rule("CYCLE-DATES", "R13", "Worker forms are due before audits, and audits on or before the meeting."),
    Rule("CYCLE-DUPLICATE-CASE", "R3", "A case nominated twice in one cycle."),
    Rule("ROLE-NOMINATOR", "R3", "Cases are nominated by team managers (re-audits by the QA officer)."),
    Rule("NOMINATION-TEAM", "R3", "A case is nominated under its practitioner's team, and a team manager nominates "
         "only their own team's cases."),
    Rule("NOMINATION-UNAVAILABLE", "R7", "The practitioner of a nominated case has left the service before the "
         "allocations go out, or is away for the whole time the worker form is open."),
    Rule("ROLE-CASEHOLDER", "R7", "The practitioner of a nominated case holds a practitioner role."),
    Rule("ROLE-AUDITOR", "R4", "Auditors are in the auditor pool and hold an auditing role."),
    Rule("ROLE-REVIEWER", "R12", "The independent review is by the Head of Service for QA."),
    Rule("ROLE-TEAM-MANAGER", "R11", "A safety concern is told to the team manager of the case's practitioner, or "
         "someone above them in the line."),
    Rule("ALLOC-CYCLE", "R1", "An allocation whose cycle file does not exist."),
    Rule("ALLOC-NOT-NOMINATED", "R3", "An allocated case that was not nominated in the cycle."),
    Rule("ALLOC-MISSING", "R4", "A nominated case that the allocation neither allocates nor lists as unallocated."),
    Rule("ALLOC-DUPLICATE", "R4", "A case allocated twice, or an auditor in two pairs of one cycle."),
    Rule("ALLOC-PAIR-SIZE", "R4", "Auditors work in pairs; one auditor alone only for a re-audit (R18)."),
    Rule("ALLOC-LATE", "R5", "The allocation was made after the cycle's allocations_by date."),
    Rule("ALLOC-UNAVAILABLE", "R13", "An auditor absent for the audit window, or who has left."),
    Rule("ALLOC-LINE-MANAGER", "R4", "A pair of a line manager and their direct report, in a cycle not yet held, "
         "unless allocation.pair_line_managers allows it."),
    Rule("CONFLICT-OF-INTEREST", "R6", "Nobody audits a case they work, manage, or that is in their line-management chain."),
    Rule("REAUDIT-SENIOR", "R18", "Re-audits are done by a senior manager."),
    Rule("REAUDIT-TARGET", "R18", "A re-audit points at an earlier Inadequate or Inadequate – Critical audit."),
    Rule("REAUDIT-EARLY", "R18", "A re-audit is nominated in a cycle before the month its window (2–3 months "
         "after the Inadequate grade) opens in."),
    # Audits
    Rule("AUDIT-CYCLE", "R1", "The audit's cycle exists."),
    Rule("AUDIT-NOMINATED", "R3", "The audited case was nominated in the audit's cycle."),
    Rule("AUDIT-ALLOCATED", "R4", "The audited case was allocated in the audit's cycle."),
    Rule("AUDIT-AUDITORS", "R13", "The auditors are the allocated pair, or R13's sole completion is recorded."),
    Rule("AUDIT-DOMAINS", "R8", "Every domain of the audit tool in force for the cycle is completed, and no other."),
    Rule("AUDIT-EVIDENCE", "R8", "Each graded domain is evidenced by comments of real text."),
    Rule("AUDIT-SAFETY-CONCERN", "R11", "A safety concern records when the team manager was told, on or after it was found."),
    Rule("AUDIT-OVERALL", "R8", "An overall grade better than the best domain grade or worse than the worst gives "
         "its reason (overall.reason)."),
    Rule("AUDIT-DATES", "R13", "The completion date is not in the future and not before the allocation."),
    Rule("AUDIT-DUPLICATE", "R1", "One audit per case per cycle."),
    Rule("WORKER-FORM", "R7", "A Perspective of Worker form is for a nominated case, from its practitioner, answering known "
         "questions, and is not dated in the future."),
    # Follow-up records, audits/YYYY-MM/<case>.records/ (ehqa.rules.records, issue 11)
    Rule("RECORD-NAME", "", "A record's path does not say what it holds: its cycle, case, date, kind and author."),
    Rule("RECORD-NO-AUDIT", "R15", "A record for a case with no audit in that cycle to follow."),
    Rule("RECORD-DATE", "R15", "A record dated before its audit was completed (but an auditor's own grades, which "
         "come first), or after today."),
    Rule("RECORD-WRITER", "", "A record by someone who may not write its kind for this case (framework/records.py: "
         "who writes which record), or on someone's behalf by anyone but a QA officer."),
    Rule("RECORD-REVIEW", "R12", "A review that revises no grade, upholds the findings with revised grades, or revises "
         "a domain the audit does not have."),
    Rule("RECORD-ACTIONS", "R17", "An action id agreed twice, an update or review naming an action nobody agreed, or a "
         "due date changed without one."),
    Rule("RECORD-FEEDBACK", "R20", "Feedback that names nobody it reached or what it was, or 'no assessment on file' "
         "where it does not belong."),
    # Trust in the grades (ehqa.rules.grading, issue 14)
    Rule("RECORD-GRADES", "R8", "An auditor's own grades or a moderation that misses a domain of the audit or grades "
         "one it does not have, a second such record by one person for one audit, or own grades dated after the "
         "agreed audit."),
    Rule("GRADES-MISSING", "R8", "With grading.independent: required, an audit without its auditors' own grades."),
    Rule("MODERATION-SAMPLE", "R12", "A moderation sample naming a case with no audit in its cycle, or one twice, or "
         "drawn before the audits closed at the QA meeting."),
    Rule("MODERATION-MODERATOR", "R12", "A moderator who was involved in the case or the audit (its practitioner, "
         "their team manager or anyone up their line, its auditors), or who is not a QA officer, the Head of Service "
         "for QA or a named moderator (staff.yaml moderator: true); ehqa moderate: nobody eligible."),
    # What the learning site publishes (ehqa.privacy.published): R21 shares learning, never personal data
    Rule("PRIVACY-CASE-REFERENCE", "R21", "A published field holds a case reference, or a number shaped like one, however written."),
    Rule("PRIVACY-STAFF", "R21", "A published field names a member of staff, or holds a staff id, GitHub handle or email."),
    Rule("PRIVACY-CHILD-NAME", "R21", "Text written about a case for the site holds what looks like a given name."),
    Rule("PRIVACY-AGE", "R21", "Text written about a case for the site gives an age (aged 7, a 7-year-old)."),
    Rule("PRIVACY-BIRTH-DATE", "R21", "Text written about a case for the site gives a date of birth (DOB, born 3 May 2015)."),
    Rule("PRIVACY-POSTCODE", "R21", "Text written about a case for the site holds a UK postcode."),
    Rule("PRIVACY-ADDRESS", "R21", "Text written about a case for the site holds a street address or a flat number."),
    Rule("PRIVACY-NEVER-PUBLISH", "R21", "A published field holds a name from publication.never_publish (schools, estates, places)."),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def cite(rule_id: str, message: str) -> str:
    """The message as printed: with the R-number its rule enforces, so people can look it up."""
    cites = RULES[rule_id].cites
    if not cites or re.search(r"\(R[0-9]+\)$", message):  # the message already cites a more precise rule
        return message
    return f"{message} ({cites})"


# Who may change what (``rules.ownership``, ``ehqa check-pr``): these judge a change between two
# versions of a file, not a file, so ``ehqa validate`` never reports them.
OWNERSHIP_RULES: dict[str, tuple[str, str]] = {  # id -> (R-number, meaning)
    "OWN-UNKNOWN-ACTOR": ("R4", "The GitHub handle that made the change is not in staff.yaml."),
    "OWN-ACTOR-LEFT": ("R4", "The person who made the change has left the service."),
    "OWN-NOT-ALLOCATED": ("R4", "An audit changed by someone who is neither its allocated auditor nor a QA officer."),
    "OWN-NOT-PRACTITIONER": ("R7", "A Perspective of Worker form changed by someone other than the case's "
                                   "practitioner or a QA officer."),
    "OWN-CLOSED-REWRITE": ("R15", "A closed audit (its QA meeting has passed) rewritten or cut, rather than amended."),
    "OWN-CLOSED-DELETE": ("R15", "A closed audit deleted."),
    "OWN-AMENDMENT-MISSING": ("R15", "A closed audit changed without an appended amendment."),
    "OWN-AMENDMENT-BY": ("R15", "An appended amendment signed by someone other than the person making the change."),
    "OWN-RECORD-CHANGED": ("R15", "A follow-up record changed or deleted after it landed: a record is never edited; a "
                                  "correction is a new record."),
    "OWN-RECORD-AUTHOR": ("R15", "A follow-up record added by someone other than the author its file name gives."),
    "OWN-GRADES-LATE": ("R8", "An auditor's own grades added after their audit landed: they are made alone before "
                              "the pair agrees, so they land no later than the audit (in its pull request or before)."),
    "OWN-GRADES-MISSING": ("R8", "With grading.independent: required, an audit added without each of its auditors' "
                                 "own grades, in the same pull request or already landed."),
    "OWN-RECORD-WRITER": ("R17", "A follow-up record added by someone who may not write its kind for this case "
                                 "(framework/records.py), and not by a QA officer on their behalf."),
}


# A ratings file (``ehqa agreement --ratings FILE.csv``, ``load.ratings_csv``, issue 14): a service's double-marking
# from a spreadsheet. Any of these stops the command, and nothing is worked out from the file.
RATINGS_RULES: dict[str, tuple[str, str]] = {  # id -> (R-number, meaning)
    "RATINGS-HEADER": ("", "A ratings file's first line is not the header unit,rater,grade."),
    "RATINGS-ROW": ("", "A row of a ratings file without three values, or without its unit or rater."),
    "RATINGS-GRADE": ("R9", "A grade in a ratings file that is not a grade id of qa.yaml (blank where it is missing)."),
    "RATINGS-DUPLICATE": ("", "A rater who grades the same unit twice in a ratings file."),
    "RATINGS-ONE-GRADE": ("", "A unit with only one grade in a ratings file: nothing to agree with."),
}

@dataclass(frozen=True, slots=True)
class FollowUpKind:
    """A kind of obligation ``rules.obligations`` derives from the audits (``ehqa followups``)."""

    id: str
    rule: str
    obligation: str
    owner: str
    due: str
    closed_by: str  # the fields whose dates close it, as Markdown


# Every kind of obligation rules/obligations.py creates, each named there by its constant; a test reads
# that module and fails when a closing field there is missing here.
WORKER_FORM = FollowUpKind(
    "FOLLOWUP-WORKER-FORM", "R7", "return the Perspective of Worker form, so that the auditors see the case as the "
    "practitioner does (chased until the cycle's QA meeting, after which it can no longer help)", "practitioner",
    "the cycle's `worker_forms_due`", "`worker form: submitted` (`audits/YYYY-MM/<case-ref>.worker.yaml`)")
PREVIOUS_WORK_FEEDBACK = FollowUpKind(
    "FOLLOWUP-PREVIOUS-WORK", "R10", "feed back strengths or concerns in earlier work to the previous practitioner "
    "and their team manager", "auditor", "the next QA meeting", "`previous_work_feedback[].fed_back`, or a `feedback` "
    "record (`rule: R10`)")
SAFETY_CONCERN_TOLD = FollowUpKind(
    "FOLLOWUP-SAFETY-CONCERN", "R11", "tell the team manager of an immediate safety concern", "auditor",
    "the day it is found; overdue after `safety_concern_working_days`", "`safety_concern.team_manager_told`")
INDEPENDENT_REVIEW = FollowUpKind(
    "FOLLOWUP-INDEPENDENT-REVIEW", "R12", "take an independent look at a disputed audit report",
    "Head of Service for QA", "`head_of_service_review_working_days` after it is raised", "`disagreement.review.date`, or "
    "a `review` record")
AUDIT_SUBMITTED = FollowUpKind(
    "FOLLOWUP-AUDIT-DUE", "R13", "complete and submit an allocated audit", "the pair", "the cycle's `audits_due`",
    "the audit file, `audits/YYYY-MM/<case-ref>.yaml`")
REPORT_AND_CASENOTE = FollowUpKind(
    "FOLLOWUP-REPORT-AND-CASENOTE", "R15", "send the original audit report to the practitioner's manager; record "
    "the case note", "QA officer", "`casenote_working_days` after the QA meeting",
    "`followup.report_sent_to_manager`, `followup.casenote_recorded`, or a `report-sent` and a `casenote` record")
SERVICE_MANAGER_ALERT = FollowUpKind(
    "FOLLOWUP-SERVICE-MANAGER-ALERT", "R16", "alert the service manager to an Inadequate or Inadequate – Critical "
    "grade", "QA officer", "`service_manager_alert_working_days` after the audit", "`followup.service_manager_alerted`, or "
    "the service manager's `oversight` record")
SMART_ACTIONS_AGREED = FollowUpKind(
    "FOLLOWUP-SMART-AGREED", "R17", "agree SMART actions and record them in a supervision note", "team manager",
    "the next QA meeting", "an `actions-agreed` record (or, in an audit written before records, its "
    "`smart_actions`) and a `supervision-note` record (or `followup.supervision_note_recorded`)")
SMART_ACTION = FollowUpKind(
    "FOLLOWUP-SMART-ACTION", "R17", "each SMART action", "its owner", "its own due date",
    "`smart_actions[].status: done` and `smart_actions[].done`; for an action of an `actions-agreed` record, "
    "`an action-update record: done` (its due date moved by one with `status: changed`)")
SMART_ACTIONS_REVIEWED = FollowUpKind(
    "FOLLOWUP-SMART-REVIEW", "R17", "review the SMART actions; escalate any not met to senior management",
    "QA officer", "the next QA meeting", "`followup.actions_reviewed`, `followup.escalated_to_senior_management`, or "
    "`an actions-reviewed record: escalated`")
REAUDIT = FollowUpKind(
    "FOLLOWUP-REAUDIT", "R18", "re-audit an Inadequate or Inadequate – Critical case",
    "a senior manager (the one allocated it, once a cycle has)",
    "2–3 calendar months after the audit (`reaudit_window_months`)", "an audit with `reaudit_of`")
REFLECTIVE_DISCUSSION = FollowUpKind(
    "FOLLOWUP-REFLECTIVE-DISCUSSION", "R19", "hold the reflective discussion of the findings with the practitioner",
    "team manager", "the next QA meeting", "`followup.reflective_discussion`, or a `reflective-discussion` record")
ASSESSMENT_FEEDBACK = FollowUpKind(
    "FOLLOWUP-ASSESSMENT-FEEDBACK", "R20", "return feedback on the Early Help Assessment to its practitioner; where "
    "it is Inadequate, give the manager information, advice and guidance", "auditor",
    "the next QA meeting; `assessment_feedback_working_days` after the audit",
    "`assessment.feedback_returned` (or a `feedback` record, `rule: R20`), `assessment.manager_informed`; an audit "
    "with no `assessment`: a `feedback` record, `rule: R20`, saying why (`no_assessment_on_file`)")

FOLLOW_UP_KINDS: tuple[FollowUpKind, ...] = (
    WORKER_FORM,
    PREVIOUS_WORK_FEEDBACK, SAFETY_CONCERN_TOLD, INDEPENDENT_REVIEW, AUDIT_SUBMITTED, REPORT_AND_CASENOTE,
    SERVICE_MANAGER_ALERT, SMART_ACTIONS_AGREED, SMART_ACTION, SMART_ACTIONS_REVIEWED, REAUDIT, REFLECTIVE_DISCUSSION,
    ASSESSMENT_FEEDBACK,
)


def enforced_rules() -> set[str]:
    """Every rule R1–R22 that some check, ownership rule or follow-up enforces."""
    cited = {rule.cites for rule in RULES.values()} | {cites for cites, _ in OWNERSHIP_RULES.values()}
    cited |= {cites for cites, _ in RATINGS_RULES.values()}
    return (cited | {kind.rule for kind in FOLLOW_UP_KINDS}) - {""}
