"""The audit report as a ready-to-send e-mail draft to the practitioner's manager (R15).

After the QA meeting the QA officer sends the original audit report to the practitioner's manager: the
team manager of the case's practitioner (``StaffDirectory.team_manager_of``, who also agrees SMART
actions and holds the reflective discussion). The draft comes from the QA officer in post on ``as_of``,
says in a few lines what it is and what follows (the case note, R15; for Requires Improvement, the
SMART actions, R17; for Inadequate, the service manager's oversight, R16), and has the report's
self-contained page attached. ``X-Unsent: 1`` opens it as a draft in mail clients. Pure: ``as_of`` and
the audit fix the bytes. A manager or QA officer with no e-mail address gives a reason, not a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa.documents.messages import build_message
from ehqa.documents.plain_text import plain_text
from ehqa.model import Audit, Grade, Role, Service

FOLLOWS = {
    Grade.REQUIRES_IMPROVEMENT: "As the case is graded {grade}, please agree SMART actions with the practitioner and "
    "record them in a supervision or management-oversight case note (R17); the QA "
    "meeting reviews them next month.",
    Grade.INADEQUATE: "As the case is graded {grade}, the service manager has been alerted and oversees the actions "
    "(R16); a senior manager re-audits it in two to three months (R18).",
}
FOLLOWS[Grade.INADEQUATE_CRITICAL] = FOLLOWS[Grade.INADEQUATE]


@dataclass(frozen=True)
class ReportMessage:
    name: str  # <cycle>-<case>.eml
    message: bytes | None  # None when it cannot be addressed: ``why`` says so
    why: str = ""


def report_message(service: Service, audit: Audit, report_html: str, report_name: str, as_of: date) -> ReportMessage:
    """The draft sending ``report_html`` (the page ``audit_report`` rendered) to the practitioner's manager."""
    name = report_name.removesuffix(".html") + ".eml"
    staff, settings = service.staff, service.settings
    cycle = service.cycles.get(audit.cycle)
    nomination = cycle.nomination(audit.case) if cycle else None
    manager = staff.team_manager_of(nomination) if staff else None
    officer = staff.in_post(Role.QA_OFFICER, as_of) if staff else None
    if manager is None:
        return ReportMessage(
            name,
            None,
            f"{audit.key}: the case's practitioner has no team manager in staff.yaml, so "
            "the report has nobody to go to: send it by hand (R15)",
        )
    for person, who in ((manager, "team manager"), (officer, "QA officer")):
        if person is None or not person.email:
            label = f"{person.id} ({person.name})" if person else "nobody in post"
            return ReportMessage(
                name,
                None,
                f"{audit.key}: the {who}, {label}, has no email in staff.yaml: send {report_name} by hand (R15)",
            )
    grades = service.effective_grades(audit, as_of)
    grade = settings.grade_label(grades.overall) if settings else grades.overall.value
    practitioner = staff.get(nomination.practitioner) if nomination else None
    follows = FOLLOWS.get(grades.overall, "").format(grade=grade)
    lines = [
        f"Dear {manager.name},",
        "",
        f"Please find attached the original audit report of case {audit.case}, audited in QA cycle {audit.cycle}"
        + (f" (practitioner: {practitioner.name})" if practitioner else "")
        + f". Its overall grade is {grade}.",
        "",
        *([follows, ""] if follows else []),
        "Please meet the practitioner for a reflective discussion of the findings (R19); anything new from it is "
        "raised at the next QA meeting.",
        "",
        f"The case note is recorded in {settings.case_management_system if settings else 'the case record'} (R15).",
        "",
        f"{officer.name}, QA officer",
        "",
        "This message names a case: keep it within the service, and do not forward it.",
    ]
    text = plain_text("\n".join(lines))
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB"><body>\n'
        + "\n".join(f"<p>{_escape(line)}</p>" for line in lines if line)
        + "\n</body></html>\n"
    )
    message = build_message(
        sender=officer,
        to=manager,
        cc=[],
        subject=f"Audit report — case {audit.case}, QA cycle {audit.cycle}",
        text=text,
        html=html,
        as_of=as_of,
        key=f"report/{audit.key}",
        attachment=(report_html.encode("utf-8"), report_name),
        attachment_type=("text", "html"),
    )
    return ReportMessage(name, message)


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=False)
