"""Counting for the learning site: mixes of grades, themes, actions and re-audit outcomes, never by person.

Pure functions over the loaded ``Service``. Everything here is aggregated: by cycle, by domain, by
learning theme and by year (SMART actions and the other follow-ups are counted in
``compliance``, once); ``figures`` turns these counts into what the site shows, with disclosure
control applied. Nothing returned holds a case reference, a staff id or a name; the only free text
is each audit's ``learning.excerpt``, written for publication.

Grades are always an audit's effective grades (``Service.effective_grades``: the audit's own, or a revising
review's, R12), passed in as ``EffectiveGrades``; nothing here reads an audit's own grades.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from ehqa.model import Audit, Cycle, EffectiveGrades, Grade, Service
from ehqa.model.cycle_dates import shift_cycle
from ehqa.model.enums import OVERALL_GRADES
from ehqa.rules.reaudit_outcome import IMPROVED, NOT_COMPARABLE, SAME, WORSE, reaudit_outcome

OUTCOMES = (IMPROVED, SAME, WORSE, NOT_COMPARABLE)


def share(part: int, whole: int) -> str:
    """A share as a whole percentage, ``–`` when there is nothing to share."""
    return f"{round(100 * part / whole)}%" if whole else "–"


@dataclass(frozen=True)
class Mix:
    """How many of a set of judgements fell in each grade; ``not_applicable`` apart."""

    counts: tuple[int, ...]  # in OVERALL_GRADES order, best first
    not_applicable: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def good_or_better(self) -> int:
        return self.counts[0] + self.counts[1]



def mix(grades) -> Mix:
    tally = Counter(grades)
    return Mix(tuple(tally[g] for g in OVERALL_GRADES), tally[Grade.NOT_APPLICABLE])


def overall_mix(grades: Iterable[EffectiveGrades]) -> Mix:
    return mix(g.overall for g in grades)


def domain_mix(grades: Iterable[EffectiveGrades], domain: str) -> Mix:
    """One domain's grades, of the audits that graded it."""
    return mix(g.domains[domain] for g in grades if domain in g.domains)


def revised(grades: Iterable[EffectiveGrades]) -> int:
    """How many of the audits had grades revised on review (R12)."""
    return sum(1 for g in grades if g.revised)


def domains_seen(service: Service, audits) -> list[tuple[str, str]]:
    """(id, title) of every domain these audits graded, in the order of the newest domain set first."""
    settings = service.settings
    titles: dict[str, str] = {}
    for domain_set in reversed(settings.domain_sets):
        for domain in domain_set.domains:
            titles.setdefault(domain.id, domain.title)
    used = {d for a in audits for d in a.domains}
    return [(d, titles[d]) for d in titles if d in used] + sorted((d, d) for d in used - titles.keys())


@dataclass
class Outcomes:
    """Re-audits (R18) against the audits they re-audit: how many improved, stayed the same or got worse."""

    count: int = 0
    overall: Counter = field(default_factory=Counter)
    by_domain: dict[str, Counter] = field(default_factory=dict)

    def add(self, original: Audit, reaudit: Audit, before: EffectiveGrades, after: EffectiveGrades) -> None:
        outcome = reaudit_outcome(original, reaudit, before, after)
        self.count += 1
        self.overall[outcome.overall] += 1
        for domain, result in outcome.domains.items():
            self.by_domain.setdefault(domain, Counter())[result] += 1


def reaudit_outcomes(by_key: dict[str, Audit], audits, grades_of: Callable[[Audit], EffectiveGrades]) -> Outcomes:
    """The outcomes of the re-audits among ``audits``; ``by_key`` is ``Service.audits_by_key()``, ``grades_of``
    gives an audit's effective grades."""
    outcomes = Outcomes()
    for audit in audits:
        original = by_key.get(audit.reaudit_of) if audit.reaudit_of else None
        if original is not None:
            outcomes.add(original, audit, grades_of(original), grades_of(audit))
    return outcomes


def theme_counts(audits) -> Counter:
    """How many audits were tagged with each learning theme."""
    return Counter(theme for a in audits for theme in a.learning_themes)


def audits_by_cycle(service: Service) -> dict[str, list[Audit]]:
    """Each cycle's audits (every cycle, oldest first), in a stable order. An audit whose cycle file does
    not exist is left out (``ehqa validate`` reports it)."""
    grouped: dict[str, list[Audit]] = {cycle_id: [] for cycle_id in sorted(service.cycles)}
    for audit in sorted(service.audits, key=lambda a: (a.cycle, a.source)):
        if audit.cycle in grouped:
            grouped[audit.cycle].append(audit)
    return grouped


def published_cycles(cycles: dict[str, Cycle], grouped: dict[str, list[Audit]], as_of: date) -> dict[str, list[Audit]]:
    """The cycles whose findings may be published, oldest first: those with audits whose QA meeting was held
    before ``as_of``. The meeting discusses the findings (R14) before they are shared (R21); until then a
    cycle's page says what is coming and publishes no figure."""
    return {c: audits for c, audits in grouped.items() if audits and cycles[c].meeting < as_of}


def previous_cycles(cycle_ids: list[str], cycle_id: str, count: int = 12) -> list[str]:
    """The ``count`` calendar months before ``cycle_id`` that are in ``cycle_ids``."""
    wanted = {shift_cycle(cycle_id, -months) for months in range(1, count + 1)}
    return [c for c in cycle_ids if c in wanted]
