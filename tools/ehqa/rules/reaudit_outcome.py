"""R18: what a re-audit found, compared with the audit it re-audits, domain by domain.

Each audit's grades are its effective grades (``Service.effective_grades``): a review that revised the original
audit's grades, or the re-audit's, is what the comparison starts from or ends at (R12)."""

from __future__ import annotations

from dataclasses import dataclass

from ehqa.model import Audit, EffectiveGrades, Grade

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


def reaudit_outcome(original: Audit, reaudit: Audit, before: EffectiveGrades, after: EffectiveGrades) -> ReauditOutcome:
    """Domain by domain: every domain either audit graded, ``before`` the original's grades and ``after`` the
    re-audit's. A domain only one of them has is not comparable."""
    domains = {}
    for domain in list(before.domains) + [d for d in after.domains if d not in before.domains]:
        was, now = before.domains.get(domain), after.domains.get(domain)
        domains[domain] = compare(was, now) if was is not None and now is not None else NOT_COMPARABLE
    return ReauditOutcome(original.key, reaudit.key, compare(before.overall, after.overall), domains)
