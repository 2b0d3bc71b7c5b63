"""Private calibration sheets (``ehqa agreement --calibration --out DIR``; issue 14, R22): one Markdown page per
auditor, their own independent grades beside the moderators' blind grades of the same audits, for supervision.

They name auditors and audits, so ``--out`` is refused inside the site, the docs and the data folders
(``privacy.private_output``). Restorative, as the framework asks: each sheet compares one person with the
moderation, never with colleagues, and the index lists people by id, not by any figure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ehqa.agreement.calibration import Sheet, calibration_sheets
from ehqa.agreement.from_service import OVERALL
from ehqa.atomic import write_or_fail
from ehqa.load.repository import load_repository
from ehqa.model.service import Service
from ehqa.model.wording import long_date
from ehqa.privacy.private_output import refuse_published


def write_calibration(repo: Path, out: Path, period: str | None, as_of: date) -> list[str]:
    """Write the sheets and their index into ``out``; the names of the files written."""
    refuse_published(out, repo, "the calibration sheets name auditors and cases")
    service = load_repository(repo).service
    sheets = calibration_sheets(service, period, as_of)
    files = [(f"calibration-{sheet.auditor}.md", render_sheet(service, sheet, period, as_of)) for sheet in sheets]
    files.append(("index.md", render_index(service, sheets, period, as_of)))
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        write_or_fail(out / name, text)
    return [name for name, _ in files]


def _audits(n: int) -> str:
    return f"{n} audit" if n == 1 else f"{n} audits"


def _name(service: Service, staff_id: str) -> str:
    person = service.staff.people.get(staff_id) if service.staff else None
    return person.name if person else staff_id


def _title(service: Service, subject: str) -> str:
    if subject == OVERALL:
        return "Overall"
    for domain_set in service.settings.domain_sets if service.settings else ():
        for domain in domain_set.domains:
            if domain.id == subject:
                return domain.title
    return subject


def _label(service: Service, grade) -> str:
    return service.settings.grade_label(grade) if service.settings else grade.value


def render_sheet(service: Service, sheet: Sheet, period: str | None, as_of: date) -> str:
    when = f"the cycles of {period}" if period else "every cycle"
    lines = [
        f"# Calibration: {_name(service, sheet.auditor)} ({sheet.auditor})",
        "",
        f"PRIVATE: for supervision (R22). Names cases. Over {when}, as of {long_date(as_of)}.",
        "",
        f"You graded {_audits(sheet.graded)} independently before agreeing them with your co-auditor; "
        f"{sheet.moderated} of them were moderated. Below, your own grades beside the moderator's blind grades "
        "of the same audits: a conversation starter about what each grade means, not a score.",
        "",
    ]
    if not sheet.comparisons:
        return "\n".join(lines + ["None of your audits has been moderated yet in this period.", ""])
    overall, every = sheet.summary(OVERALL), sheet.summary(None)
    for label, found in (("Overall grade", overall), ("Every grade (overall and domains)", every)):
        if found["compared"]:
            direction = (
                "more generous"
                if found["mean_difference"] > 0
                else "more severe"
                if found["mean_difference"] < 0
                else "neither more generous nor more severe"
            )
            lines.append(
                f"- {label}: the same as the moderator's in {found['same']} of {found['compared']}, within "
                f"one grade in {found['within_one']}; on average {abs(found['mean_difference']):.2f} of a "
                f"grade {direction}; across the line between Good and below Good in "
                f"{found['crossed_good_line']}."
            )
    lines += ["", "| audit | what | your grade | moderator's grade | difference |", "| --- | --- | --- | --- | ---: |"]
    for c in sheet.comparisons:
        lines.append(
            f"| {c.audit} | {_title(service, c.subject)} | {_label(service, c.own)} | "
            f"{_label(service, c.moderator)} | {c.difference:+d} |"
        )
    lines += ["", "A plus means your grade was better than the moderator's; a minus, worse.", ""]
    return "\n".join(lines)


def render_index(service: Service, sheets: list[Sheet], period: str | None, as_of: date) -> str:
    when = f"the cycles of {period}" if period else "every cycle"
    lines = [
        "# Calibration sheets",
        "",
        f"PRIVATE: for supervision (R22). Over {when}, as of {long_date(as_of)}. "
        "One sheet per auditor, by staff id: each compares a person with the moderation, never with "
        "colleagues. Do not publish or rank them.",
        "",
    ]
    lines += [
        f"- [{_name(service, s.auditor)}](calibration-{s.auditor}.md): {_audits(s.graded)} graded "
        f"independently, {s.moderated} moderated"
        for s in sheets
    ]
    if not sheets:
        lines.append("No audit has independent grades in this period yet.")
    return "\n".join(lines) + "\n"
