"""The original audit report of one case (issue 6 point 9; R15: it is sent to the practitioner's
manager after the QA meeting): a printable, self-contained HTML page.

Pure: the same ``Service`` and audit always give the same text. Names staff by their display
names, grades by qa.yaml's labels and domains by their titles. The grades are the audit's as they
stand (``Service.effective_grades``): where a review revised them, the report says by whom, when, from
what to what and why (R12).
"""

from __future__ import annotations

from ehqa.documents.meeting_facts import (
    ACTION_STATUS,
    REVIEW_OUTCOME,
    Names,
    revised_label,
    revision,
    sole_completion,
    team_of,
)
from ehqa.documents.templates import environment
from ehqa.errors import DataError
from ehqa.model import Audit, Service, lookups
from ehqa.model.enums import Grade
from ehqa.model.records import recorded_actions, recorded_followup
from ehqa.model.wording import day, one_line

_FOLLOWUP = (  # (field, what the step is, rule): the framework (docs/framework.md) numbers each rule
    ("report_sent_to_manager", "Audit report sent to the practitioner's manager", "R15"),
    ("casenote_recorded", "Case note recorded", "R15"),
    ("service_manager_alerted", "Service manager alerted", "R16"),
    ("supervision_note_recorded", "Supervision note recorded", "R17"),
    ("actions_reviewed", "SMART actions reviewed", "R17"),
    ("escalated_to_senior_management", "Escalated to senior management", "R17"),
    ("reflective_discussion", "Reflective discussion", "R19"),
)


def _applies(rule: str, overall: Grade) -> bool:
    """Whether a follow-up step's rule applies to a case graded ``overall`` (as it stands): R16 to
    Inadequate and Inadequate – Critical, R17 to Requires Improvement, R15 and R19 to every case."""
    if rule == "R16":
        return overall.is_inadequate
    if rule == "R17":
        return overall is Grade.REQUIRES_IMPROVEMENT
    return True


def followup_rows(steps: object, overall: Grade, not_met: bool) -> list[dict[str, str]]:
    """The follow-up table: a row for each step whose rule applies to the grade, or that has a date
    anyway (the case was regraded after the step was taken), under the step's rule. Escalation to
    senior management (R17) applies only where an action was not met (``not_met``)."""
    rows = []
    for name, step, rule in _FOLLOWUP:
        when = getattr(steps, name)
        applies = _applies(rule, overall) and (name != "escalated_to_senior_management" or not_met)
        if applies or when is not None:
            rows.append({"step": step, "rule": rule, "date": day(when)})
    return rows


class AuditReportError(DataError):
    """The data stops the report being written; the message says what to do."""


def file_name(audit: Audit) -> str:
    """``<cycle>-<case>.html``."""
    return f"{audit.cycle}-{audit.case}.html"


def render_audit_report(service: Service, audit: Audit) -> str:
    """The report of ``audit`` as one HTML page."""
    settings, staff = lookups.settings_and_staff(service, AuditReportError)
    names = Names(staff)
    cycle = service.cycles.get(audit.cycle)
    nomination = cycle.nomination(audit.case) if cycle else None
    practitioner = nomination.practitioner if nomination else None
    domain_set = settings.domain_set_for(audit.cycle)
    titles = {d.id: d.title for d in domain_set.domains} if domain_set else {}
    theme_titles = {t.id: t.title for t in settings.learning_themes}
    order = [d for d in titles if d in audit.domains] + [d for d in audit.domains if d not in titles]
    concern = audit.safety_concern
    disagreement = audit.disagreement
    review = disagreement.review if disagreement else None
    assessment = audit.assessment
    grades = service.effective_grades(audit)
    records = service.records_of(audit.key)
    steps = recorded_followup(audit.followup, records)  # the audit's own fields, and its records
    actions = recorded_actions(audit.smart_actions, records)
    facts = {
        "service_name": settings.service_name,
        "case": audit.case,
        "cycle": audit.cycle,
        "theme": cycle.theme_title if cycle else "",
        "auditors": names.join(audit.auditors),
        "sole_completion": sole_completion(audit, names),
        "practitioner": names(practitioner) or "not recorded",
        "team": team_of(cycle, audit.case, staff) if cycle else "not recorded",
        "team_manager": names.team_manager(nomination),
        "completed": day(audit.completed),
        "reaudit_of": audit.reaudit_of or "",
        "overall": settings.grade_label(grades.overall),
        "revision": revision(audit, grades, settings),
        "overall_summary": one_line(audit.overall_summary),
        "domains": [{"title": titles.get(d, d),
                     "grade": revised_label(audit.domains[d].grade, grades.domains[d], settings),
                     "evidence": one_line(audit.domains[d].evidence),
                     "reason": one_line(audit.domains[d].reason)} for d in order],
        "strengths": [one_line(s) for s in audit.strengths],
        "areas": [one_line(s) for s in audit.areas_for_development],
        "themes": [theme_titles.get(t, t) for t in audit.learning_themes],
        "excerpt": one_line(audit.learning_excerpt),
        "concern": ({"description": one_line(concern.description), "identified": day(concern.identified),
                     "team_manager": names(concern.team_manager), "told": day(concern.team_manager_told),
                     "action": one_line(concern.action_taken)} if concern else None),
        "previous": [{"team": (staff.teams[p.team].name if p.team in staff.teams else p.team),
                      "kind": p.kind, "summary": one_line(p.summary), "practitioner": names(p.practitioner),
                      "fed_back": day(p.fed_back)} for p in audit.previous_work_feedback],
        "assessment": ({"grade": settings.grade_label(assessment.grade), "comments": one_line(assessment.comments),
                        "returned": day(assessment.feedback_returned),
                        "informed": day(assessment.manager_informed)} if assessment else None),
        "disagreement": ({"raised": day(disagreement.raised), "summary": one_line(disagreement.summary),
                          "reviewer": names(review.reviewer) if review else "",
                          "reviewed": day(review.date) if review else "",
                          "outcome": REVIEW_OUTCOME.get(review.outcome, review.outcome) if review else "",
                          "notes": one_line(review.notes) if review else ""} if disagreement else None),
        "actions": [{"action": one_line(a.action), "owner": names(a.owner), "due": day(a.due),
                     "measure": one_line(a.measure),
                     "status": (f"done {day(a.done)}" if a.status == "done" and a.done
                                else ACTION_STATUS.get(a.status, a.status))}
                    for a in actions],
        "followup": followup_rows(steps, grades.overall, any(a.status == "not-met" for a in actions)),
        "reflective_notes": one_line(steps.reflective_notes),
        "amendments": [{"by": names(a.by), "date": day(a.date), "why": one_line(a.why)} for a in audit.amendments],
    }
    return environment().get_template("report/audit.html.j2").render(**facts)
