"""The meeting pack's moderation section (issue 14, R12): each audit moderated since the previous QA meeting, its
agreed grades beside the moderator's, domain by domain, and what the moderator found.

A moderation is taken to the next QA meeting after it is recorded: the records of kind ``moderation`` dated after the
previous meeting and no later than this one (and no later than ``as_of``). The agreed grades are the audit's as they
stand (``Service.effective_grades``, R12's review counts). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa.model import Cycle, Grade, Service, Settings
from ehqa.model.enums import OVERALL_GRADES
from ehqa.model.wording import one_line

# The order in which grades rank, best first; Not applicable is not on the scale.
_RANK = {grade: index for index, grade in enumerate(OVERALL_GRADES)}


@dataclass(frozen=True)
class ModeratedDomain:
    title: str
    agreed: str
    moderated: str
    moved: str  # "same", "moderator higher", "moderator lower", "" where one is not applicable or missing


@dataclass(frozen=True)
class ModeratedCase:
    key: str  # YYYY-MM/<case>
    moderator: str
    date: date
    agreed: str
    moderated: str
    moved: str
    domains: tuple[ModeratedDomain, ...]
    summary: str

    @property
    def counts(self) -> str:
        """How many domains agree, and how many the moderator graded higher or lower."""
        moved = [d.moved for d in self.domains if d.moved]
        same, higher, lower = moved.count("same"), moved.count("moderator higher"), moved.count("moderator lower")
        return f"{same} the same, {higher} higher, {lower} lower"


def moderated_since(service: Service, previous: Cycle | None, cycle: Cycle, settings: Settings, names,
                    as_of: date) -> tuple[ModeratedCase, ...]:
    """Every moderation recorded since the previous meeting, for this meeting (oldest first)."""
    since = previous.meeting if previous is not None else date.min
    until = min(cycle.meeting, as_of)
    by_key = service.audits_by_key()
    found = []
    for record in sorted(service.records, key=lambda r: (r.date, r.source)):
        audit = by_key.get(record.audit_key)
        if record.kind != "moderation" or audit is None or not since < record.date <= until or record.overall is None:
            continue
        grades = service.effective_grades(audit, as_of)
        domain_set = settings.domain_set_for(audit.cycle)
        titles = {d.id: d.title for d in domain_set.domains} if domain_set else {}
        domains = tuple(ModeratedDomain(titles.get(d, d), _label(settings, grades.domains.get(d)),
                                        _label(settings, record.domains.get(d)),
                                        _moved(grades.domains.get(d), record.domains.get(d)))
                        for d in audit.domains)
        found.append(ModeratedCase(record.audit_key, names(record.by) or record.by, record.date,
                                   settings.grade_label(grades.overall), settings.grade_label(record.overall),
                                   _moved(grades.overall, record.overall), domains, one_line(record.summary)))
    return tuple(found)


def _label(settings: Settings, grade: Grade | None) -> str:
    return settings.grade_label(grade) if grade is not None else "not graded"


def _moved(agreed: Grade | None, moderated: Grade | None) -> str:
    if agreed not in _RANK or moderated not in _RANK:
        return ""
    if agreed == moderated:
        return "same"
    return "moderator higher" if _RANK[moderated] < _RANK[agreed] else "moderator lower"
