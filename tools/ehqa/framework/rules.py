"""The framework ehqa enforces, as data: rules R1–R22, each with its title, the section of the
service's *Early Help Quality Assurance Framework and Guidance Notes* it comes from, and a
one-paragraph statement in the project's words.

Every R-number in a message, a schema description, a check id or a page resolves here; the
handbook's ``docs/framework.md`` and the learning site's framework page are generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FrameworkRule:
    number: str  # "R6"
    title: str
    section: str  # where the guidance says it, e.g. "2.12"
    stage: str  # which part of the month it belongs to, one of STAGES
    statement: str


STAGES = ("Cycle and selection", "Allocation", "The audit", "After the audit", "Learning")

FRAMEWORK: tuple[FrameworkRule, ...] = (
    FrameworkRule("R1", "Twelve cycles a year", "2.10", "Cycle and selection",
                  "There are twelve audit cycles in a calendar year, one a month. Each is an audit period "
                  "followed by a QA meeting that discusses the findings."),
    FrameworkRule("R2", "A theme for each cycle", "2.3, 2.12", "Cycle and selection",
                  "Each cycle has a theme: the prevalent issue found at the previous QA meeting, or a themed "
                  "audit (neglect, domestic abuse, young carers…) drawn from serious case reviews, performance "
                  "information or earlier audits."),
    FrameworkRule("R3", "Team managers nominate cases", "2.12", "Cycle and selection",
                  "Team managers nominate cases of their own teams that present the theme; the QA officer "
                  "distributes them to the auditors."),
    FrameworkRule("R4", "Random pairs, two cases each", "2.11", "Allocation",
                  "Auditors are paired at random and each pair is allocated two cases. Only the allocated "
                  "auditors (and the people who run the cycle) record an audit."),
    FrameworkRule("R5", "Allocations out two weeks ahead", "2.11", "Allocation",
                  "The QA officer sends every auditor their allocation at least 14 days before the QA meeting."),
    FrameworkRule("R6", "Nobody audits their own", "2.12", "Allocation",
                  "A team manager never audits a case of one of their own practitioners, and nobody audits a "
                  "case they work on or manage."),
    FrameworkRule("R7", "Perspective of Worker form", "2.13", "Allocation",
                  "The practitioner whose case is chosen fills in a Perspective of Worker form: their view of "
                  "the case and the challenges they met. It goes to the case's auditors so they see the whole "
                  "picture."),
    FrameworkRule("R8", "Every domain graded with evidence", "2.14", "The audit",
                  "Every domain of the audit tool that applies is completed, each with a grade and comments "
                  "that evidence it; the audit also gives an overall grade and highlights good practice."),
    FrameworkRule("R9", "The grades", "2.16", "The audit",
                  "Outstanding, Good, Requires Improvement or Inadequate, as the guidance defines them; the "
                  "procedure also uses Inadequate – Critical for inadequate practice with critical concerns."),
    FrameworkRule("R10", "Feedback on earlier work", "2.15", "The audit",
                  "Where work by a previous practitioner or team shows particular strengths or concerns, the "
                  "auditor feeds that back to that practitioner and their team manager."),
    FrameworkRule("R11", "An immediate safety concern", "2.6, 2.17", "The audit",
                  "An immediate concern for a child's safety found during the audit is told to the team "
                  "manager urgently, by the auditor. The audit never delays action to keep a child safe."),
    FrameworkRule("R12", "Disagreement goes to the Head of Service", "2.18", "The audit",
                  "Where the auditor and the team manager disagree about the findings, the Head of Service "
                  "for Quality Assurance takes an independent look at the audit report."),
    FrameworkRule("R13", "On time, even when one auditor is away", "2.19", "The audit",
                  "Audits are completed within the cycle's timescale. Where one auditor is on leave or sick, "
                  "the other completes the audit and feeds back at the meeting alone."),
    FrameworkRule("R14", "Ten minutes a case at the QA meeting", "2.21", "After the audit",
                  "The QA meeting discusses each case for about ten minutes: the impact of the intervention, "
                  "how well needs were captured and met, strengths and areas for development."),
    FrameworkRule("R15", "Report to the manager, case note recorded", "2.21, 3", "After the audit",
                  "After the meeting the QA officer sends the original audit report to the practitioner's "
                  "manager and records the standard case note (\"Quality Assurance: case audited\") in the "
                  "case-management system. From then on the audit is closed: it changes only by signed "
                  "amendments."),
    FrameworkRule("R16", "Inadequate: the service manager oversees", "2.21", "After the audit",
                  "For an Inadequate or Inadequate – Critical grade the service manager is alerted and oversees "
                  "the actions that follow."),
    FrameworkRule("R17", "Requires Improvement: SMART actions", "2.21", "After the audit",
                  "The team manager and practitioner agree SMART actions and record them in a supervision or "
                  "management-oversight case note; the audit team reviews them at the next QA meeting, and "
                  "non-compliance is escalated to senior management."),
    FrameworkRule("R18", "Inadequate: a re-audit in 2–3 months", "2.21", "After the audit",
                  "A case graded Inadequate or Inadequate – Critical is re-audited two to three months later, "
                  "by a senior manager, to check the required actions and improvements."),
    FrameworkRule("R19", "The reflective discussion", "2.22", "After the audit",
                  "The team manager meets the practitioner to reflect on the findings; anything new is raised "
                  "at the next QA meeting and recorded by the QA officer."),
    FrameworkRule("R20", "Feedback on the Early Help Assessment", "3", "After the audit",
                  "Feedback is returned to every assessment's practitioner; where an Early Help Assessment is "
                  "found inadequate, the auditor gives the practitioner's manager information, advice and "
                  "guidance."),
    FrameworkRule("R21", "Monthly reports spread the learning", "2.8", "Learning",
                  "Outcomes are collated in monthly reports, and the findings and key themes are shared with "
                  "practitioners and managers in managers' meetings, practice forums, and team and service "
                  "meetings."),
    FrameworkRule("R22", "Outcomes inform development", "2.4, 2.5", "Learning",
                  "Audit outcomes inform supervision and appraisal, training needs, and team and service "
                  "development, and show wider systemic issues."),
)

BY_NUMBER: dict[str, FrameworkRule] = {rule.number: rule for rule in FRAMEWORK}


def framework_rule(number: str) -> FrameworkRule:
    """The rule R1–R22 by its number; KeyError names the unknown number."""
    return BY_NUMBER[number]
