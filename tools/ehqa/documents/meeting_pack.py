"""The QA meeting pack (R14): the agenda, each audited case's findings, and what is carried over.

Pure functions: the loaded ``Service`` in, the pack as Markdown and as one self-contained,
printable HTML page out. Nothing here touches the disk or reads the clock; ``ehqa meeting``
writes the files. The same service, cycle, start time and ``as_of`` always give the same bytes.

What the pack holds, in order:

- the agenda: a short opening item, one slot of ``meeting.minutes_per_case`` minutes per
  audited case (R14), then the items carried over from the previous meeting;
- each audited case (by team, then case reference): who worked and audited it, the overall
  and domain grades as they stand (``Service.effective_grades``), with what a review revised, when and
  why (R12), strengths first and then areas for development (the guidance's
  positive, restorative principle), the Perspective of Worker form (R7), any safety concern
  (R11), disagreement (R12), SMART actions (R17) and feedback on earlier work (R10), and for a re-audit its outcome against
  the original audit, domain by domain (R18);
- the cases allocated but not yet audited (R13);
- what is carried over from the previous meeting: the Requires Improvement cases' SMART
  actions to review (R17), the reflective discussions and anything new from them (R19), and
  the re-audits completed since (R18); and every follow-up overdue as of ``as_of``, by rule;
- the audits moderated since the previous meeting (issue 14, R12): the agreed grades beside the moderator's,
  domain by domain (``meeting_moderation``);
- the follow-ups that are one person's work (R12, R15, R16 and the QA officer's review of SMART
  actions), counted by rule and owner over the last 12 months: the learning site leaves them out, as
  their figures would be that person's record.

``meeting_facts`` gathers the cycle's cases, ``meeting_carried`` what the previous meeting
left and what is overdue; this module times the agenda and renders the templates under
templates/meeting/ in ``wording``'s environment.

The pack names cases, practitioners and auditors: it is for the meeting, never for the
published site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ehqa.documents.meeting_carried import carried_over, obligations, overdue, personal_followups, previous_cycle
from ehqa.documents.meeting_facts import (
    AgendaItem,
    MeetingPackError,
    Names,
    audits_of,
    case_summary,
    pending_cases,
    team_of,
)
from ehqa.documents.meeting_moderation import moderated_since
from ehqa.documents.templates import environment
from ehqa.errors import UsageProblem
from ehqa.model import Service, lookups

__all__ = ["MeetingPack", "MeetingPackError", "render_meeting_pack"]  # MeetingPackError: what it raises

OPENING_MINUTES = 5  # welcome, apologies and the cycle's theme


@dataclass
class MeetingPack:
    """What ``render_meeting_pack`` produced: files to write (name, text), and warnings."""

    files: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cases: int = 0
    pending: int = 0
    overdue: int = 0


# --- the one entry point ------------------------------------------------------------------


def render_meeting_pack(service: Service, cycle_id: str, as_of: date, start: time) -> MeetingPack:
    """The pack for one cycle's QA meeting: ``meeting-YYYY-MM.md`` and ``meeting-YYYY-MM.html``.

    Raises ``MeetingPackError`` when the data stops it (no such cycle, qa.yaml or staff.yaml
    broken) and ``UsageProblem`` when the agenda would run past midnight (--start is too late).
    """
    settings, staff = lookups.settings_and_staff(service, MeetingPackError)
    cycle = lookups.cycle(service, cycle_id, MeetingPackError)
    names = Names(staff)
    audits = audits_of(service, cycle, staff)
    minutes = settings.minutes_per_case

    clock = _Clock(start)
    agenda = [clock.item(OPENING_MINUTES, "Welcome, apologies and the cycle's theme", "theme")]
    slots = [clock.item(minutes, f"{n}. Case {a.case}: {team_of(cycle, a.case, staff)}", f"case-{a.case}")
             for n, a in enumerate(audits, 1)]
    agenda += slots
    previous = previous_cycle(service, cycle_id)
    carried_title = (f"Carried over from the previous meeting (cycle {previous.id}) and overdue follow-ups"
                     if previous else "Overdue follow-ups")
    agenda.append(clock.item(minutes, carried_title, "carried-over"))
    close = clock.close()

    forms = {(f.cycle, f.case): f for f in service.worker_forms}
    by_key = service.audits_by_key()

    def grades_of(audit):
        return service.effective_grades(audit, as_of)

    cases = [
        case_summary(n, slot, audit, cycle, settings, staff, names, forms.get((audit.cycle, audit.case)), by_key,
                     as_of, grades_of, service.records_of(audit.key))
        for n, (slot, audit) in enumerate(zip(slots, audits), 1)
    ]
    pending = pending_cases(service, cycle, staff, names)
    carried = carried_over(service, previous, cycle, settings, staff, names, by_key, as_of)
    found = obligations(service, as_of)
    late = overdue(service, as_of, names, found)

    titles = {t.id: t.title for t in settings.learning_themes}
    allocation = service.allocations.get(cycle_id)
    context = {
        "service_name": settings.service_name,
        "system": settings.case_management_system,
        "cycle": cycle,
        "learning_themes": [titles.get(t, t) for t in cycle.theme_learning
                            if titles.get(t, t).casefold() != cycle.theme_title.casefold()],
        "as_of": as_of,
        "start": agenda[0].start,
        "close": close,
        "minutes_per_case": minutes,
        "agenda": agenda,
        "cases": cases,
        "pending": pending,
        "allocated": allocation is not None,
        "unallocated": allocation.unallocated if allocation else (),
        "carried": carried,
        "overdue": late,
        "overdue_total": sum(len(g.rows) for g in late),
        "personal": personal_followups(service, as_of, names, found),
        "moderated": moderated_since(service, previous, cycle, settings, names, as_of),
    }
    env = environment()
    out = MeetingPack(cases=len(cases), pending=len(pending), overdue=context["overdue_total"])
    out.files.append((f"meeting-{cycle_id}.md", _tidy(env.get_template("meeting/pack.md.j2").render(context))))
    out.files.append((f"meeting-{cycle_id}.html", _tidy(env.get_template("meeting/pack.html.j2").render(context))))
    for audit in audits:
        if cycle.nomination(audit.case) is None:
            out.warnings.append(f"{audit.source}: case {audit.case} was not nominated in {cycle.source}: "
                                "its team and practitioner are unknown (run `ehqa validate`)")
    return out


# --- the agenda ---------------------------------------------------------------------------


class _Clock:
    """Hands out consecutive slots from the start time; refuses to run past midnight."""

    def __init__(self, start: time) -> None:
        self.day = datetime(2000, 1, 1)
        self.now = datetime.combine(self.day.date(), start)

    def item(self, minutes: int, title: str, anchor: str = "") -> AgendaItem:
        begin = self.now
        self.now = begin + timedelta(minutes=minutes)
        if self.now > self.day + timedelta(days=1):
            raise UsageProblem("the agenda would run past midnight: start the meeting earlier")
        return AgendaItem(_hhmm(begin), _hhmm(self.now), minutes, title, anchor)

    def close(self) -> str:
        return _hhmm(self.now)


def _hhmm(moment: datetime) -> str:
    return "24:00" if moment.date() > datetime(2000, 1, 1).date() else f"{moment.hour:02d}:{moment.minute:02d}"


# --- the text -----------------------------------------------------------------------------


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, and one newline at the end."""
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
