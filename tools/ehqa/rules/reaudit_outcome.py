"""R18: what a re-audit found, compared with the audit it re-audits, domain by domain."""

from __future__ import annotations

from dataclasses import dataclass

from ehqa.model import Audit, Grade

# Best first. Inadequate – Critical is an overall grade only, below Inadequate.
_RANK = {
    Grade.OUTSTANDING: 0,
    Grade.GOOD: 1,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.INADEQUATE: 3,
    Grade.INADEQUATE_CRITICAL: 4,
}
IMPROVED, SAME, WORSE, NOT_COMPARABLE = "improved", "same", "worse", "not comparable"


def compare(before: Grade, after: Grade) -> str:
    """improved, same or worse; not comparable when either is not applicable."""
    if before not in _RANK or after not in _RANK:
        return NOT_COMPARABLE
    difference = _RANK[before] - _RANK[after]
    return IMPROVED if difference > 0 else WORSE if difference < 0 else SAME


@dataclass(frozen=True, slots=True)
class ReauditOutcome:
    original: str  # YYYY-MM/<case-ref>
    reaudit: str
    overall: str
    domains: dict[str, str]  # domain id -> improved / same / worse / not comparable


def reaudit_outcome(original: Audit, reaudit: Audit) -> ReauditOutcome:
    """Domain by domain: every domain either audit graded. A domain only one of them has is not comparable."""
    domains = {}
    for domain in list(original.domains) + [d for d in reaudit.domains if d not in original.domains]:
        before, after = original.domains.get(domain), reaudit.domains.get(domain)
        domains[domain] = compare(before.grade, after.grade) if before and after else NOT_COMPARABLE
    return ReauditOutcome(original.key, reaudit.key, compare(original.overall, reaudit.overall), domains)
