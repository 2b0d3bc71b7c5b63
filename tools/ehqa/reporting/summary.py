"""A short summary of a service, for the terminal: counts and the mix of grades (each audit's effective grades,
``Service.effective_grades``: revised on review where a review revised them, R12). Names no one."""

from __future__ import annotations

from collections import Counter
from datetime import date

from ehqa.model import Service
from ehqa.model.enums import OVERALL_GRADES
from ehqa.model.records import recorded_actions
from ehqa.model.wording import long_date


def render_summary(service: Service, as_of: date) -> str:
    settings, staff = service.settings, service.staff
    lines = [settings.service_name if settings else "(no qa.yaml)"]
    if staff:
        auditors = sum(1 for p in staff.people.values() if p.auditor)
        lines.append(f"  {len(staff.teams)} teams, {len(staff.people)} staff, {auditors} in the auditor pool")
    cycles = sorted(service.cycles.values(), key=lambda c: c.id)
    if cycles:
        upcoming = [c for c in cycles if c.meeting >= as_of]
        lines.append(f"  {len(cycles)} cycles, {cycles[0].id} to {cycles[-1].id}")
        if upcoming:
            nxt = upcoming[0]
            lines.append(f"  next QA meeting: {long_date(nxt.meeting)} (cycle {nxt.id}, theme: {nxt.theme_title})")
    audits = service.audits
    effective = [service.effective_grades(a, as_of) for a in audits]  # as they stand after any review (R12)
    grades = Counter(g.overall for g in effective)
    lines.append(f"  {len(audits)} audits, {sum(1 for a in audits if a.reaudit_of)} of them re-audits (R18)")
    if audits:
        lines.append(f"  {sum(1 for g in effective if g.revised)} of them with grades revised on review (R12)")
    if audits and settings:
        lines.append("  overall grades (R9), as they stand after review:")
        for grade in OVERALL_GRADES:
            share = 100 * grades[grade] / len(audits)
            lines.append(f"    {settings.grade_label(grade):<24} {grades[grade]:>6}  {share:5.1f}%")
    concerns = sum(1 for a in audits if a.safety_concern)
    actions = [action for a in audits for action in recorded_actions(a.smart_actions, service.records_of(a.key))]
    open_late = sum(1 for action in actions if action.status == "open" and action.due < as_of)
    lines.append(f"  {concerns} immediate safety concerns raised (R11)")
    lines.append(f"  {len(actions)} SMART actions (R17), {open_late} open past their due date")
    return "\n".join(lines)
