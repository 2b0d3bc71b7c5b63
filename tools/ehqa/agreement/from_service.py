"""The repository's ratings (issue 14): each audit graded independently by its auditors and, when it was
moderated, blind by a moderator.

For a period, the units are the audits of its cycles (a year YYYY, or a quarter YYYY-Qn by the cycle's month)
that have any grades record (``kind: grades``, by an auditor, before the pair agreed) or moderation record
(``kind: moderation``, by the moderator); the raters are their authors. Each author's latest record counts (a
record is never edited: a correction is a new one). One table for the overall grade and one per domain; a
domain's Not applicable counts as missing. The drift pairs set each moderator's grade beside the grade the
auditors agreed, as it stands after any review (``Service.effective_grades``, R12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.agreement.table import in_period
from ehqa.model.ratings import DOMAIN_SCALE, OVERALL_SCALE, DriftPair, Rating, Ratings
from ehqa.model.records import Record
from ehqa.model.service import Service

OVERALL = "overall"
GRADES_KIND, MODERATION_KIND = "grades", "moderation"


@dataclass(frozen=True, slots=True)
class Subject:
    """What one table is about: the overall grade, or one domain of the audit tool."""

    id: str  # "overall", or the domain's id
    title: str
    ratings: Ratings
    drift: tuple[DriftPair, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceRatings:
    period: str | None
    subjects: list[Subject] = field(default_factory=list)  # the overall grade first, then the domains in order
    audits: int = 0  # audits in the period with any independent or moderation grades
    moderated: int = 0


def latest_grades(records: list[Record], as_of: date | None = None) -> list[Record]:
    """Each author's latest grades and moderation records of an audit (records come oldest first)."""
    latest: dict[tuple[str, str], Record] = {}
    for record in records:
        if record.kind in (GRADES_KIND, MODERATION_KIND) and (as_of is None or record.date <= as_of):
            latest[(record.kind, record.by)] = record
    return list(latest.values())


def ratings_from_service(service: Service, period: str | None = None, as_of: date | None = None) -> ServiceRatings:
    """The overall and per-domain ratings tables of the audits in ``period`` (every audit when None)."""
    overall: list[Rating] = []
    domains: dict[str, list[Rating]] = {}
    overall_drift: list[DriftPair] = []
    domain_drift: dict[str, list[DriftPair]] = {}
    audits = moderated = 0
    for audit in sorted(service.audits, key=lambda a: a.key):
        if not in_period(audit.cycle, period):
            continue
        key = audit.key
        graded = latest_grades(service.records_of(key), as_of)
        if not graded:
            continue
        audits += 1
        for record in graded:
            _add(record, key, overall, domains)
            if record.kind == MODERATION_KIND and record.overall is not None:
                moderated += 1
                agreed = service.effective_grades(audit, as_of)  # only for the moderated: most audits are not
                overall_drift.append(DriftPair(key, agreed.overall, record.overall))
                for domain, grade in record.domains.items():
                    if domain in agreed.domains:
                        domain_drift.setdefault(domain, []).append(DriftPair(key, agreed.domains[domain], grade))
    subjects = [Subject(OVERALL, "Overall grade", Ratings(OVERALL_SCALE, tuple(overall)), tuple(overall_drift))]
    for domain_id, title in _domain_titles(service):
        if domain_id in domains:
            subjects.append(
                Subject(
                    domain_id,
                    title,
                    Ratings(DOMAIN_SCALE, tuple(domains[domain_id])),
                    tuple(domain_drift.get(domain_id, ())),
                )
            )
    return ServiceRatings(period, subjects, audits, moderated)


def _add(record: Record, key: str, overall: list[Rating], domains: dict[str, list[Rating]]) -> None:
    if record.overall is not None:
        overall.append(Rating(key, record.by, record.overall))
    for domain, grade in record.domains.items():
        found = domains.get(domain)
        if found is None:
            found = domains[domain] = []
        found.append(Rating(key, record.by, grade))


def _domain_titles(service: Service) -> list[tuple[str, str]]:
    """Every domain of every version of the audit tool, in order, each once, with its title."""
    seen: dict[str, str] = {}
    for domain_set in service.settings.domain_sets if service.settings else ():
        for domain in domain_set.domains:
            seen.setdefault(domain.id, domain.title)
    return list(seen.items())
