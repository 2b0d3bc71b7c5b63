"""Calibration (issue 14, R22): for each auditor, their own grades beside the moderators' blind grades of the same
audits, for supervision. Private: it names auditors and audits, so only ``documents.calibration`` writes it, and
never into the site (``privacy.private_output``). It compares a person with the moderation, never with colleagues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.agreement.from_service import GRADES_KIND, MODERATION_KIND, OVERALL, latest_grades
from ehqa.agreement.table import in_period
from ehqa.model.enums import Grade
from ehqa.model.ratings import DOMAIN_SCALE, OVERALL_SCALE
from ehqa.model.service import Service


@dataclass(frozen=True, slots=True)
class Comparison:
    """One grade an auditor gave, beside the moderator's of the same audit and domain (or overall)."""

    audit: str  # YYYY-MM/<case>
    subject: str  # "overall" or a domain id
    own: Grade
    moderator: Grade

    @property
    def difference(self) -> int:
        """Grades the auditor's sits above (+, more generous) or below (-) the moderator's; 0 when the same."""
        scale = OVERALL_SCALE if self.subject == OVERALL else DOMAIN_SCALE
        return scale.index(self.moderator) - scale.index(self.own)

    @property
    def crossed_good_line(self) -> bool:
        good = (Grade.OUTSTANDING, Grade.GOOD)
        return (self.own in good) != (self.moderator in good)


@dataclass(frozen=True, slots=True)
class Sheet:
    auditor: str  # staff id
    graded: int  # audits they graded independently in the period
    comparisons: list[Comparison] = field(default_factory=list)  # on the moderated ones

    @property
    def moderated(self) -> int:
        return len({c.audit for c in self.comparisons})

    def summary(self, subject: str | None = OVERALL) -> dict[str, float | int]:
        """Same grade, within one, mean difference and Good-line crossings, over one subject (None: all)."""
        chosen = [c for c in self.comparisons if subject is None or c.subject == subject]
        n = len(chosen)
        return {
            "compared": n,
            "same": sum(c.difference == 0 for c in chosen),
            "within_one": sum(abs(c.difference) <= 1 for c in chosen),
            "mean_difference": sum(c.difference for c in chosen) / n if n else 0.0,
            "crossed_good_line": sum(c.crossed_good_line for c in chosen),
        }


def calibration_sheets(service: Service, period: str | None = None, as_of: date | None = None) -> list[Sheet]:
    """One sheet per auditor with independent grades in the period, by staff id (never ranked)."""
    graded: dict[str, int] = {}
    compared: dict[str, list[Comparison]] = {}
    for audit in sorted(service.audits, key=lambda a: a.key):
        if not in_period(audit.cycle, period):
            continue
        records = latest_grades(service.records_of(audit.key), as_of)
        moderations = [r for r in records if r.kind == MODERATION_KIND]
        for own in (r for r in records if r.kind == GRADES_KIND):
            graded[own.by] = graded.get(own.by, 0) + 1
            for moderation in moderations:
                found = compared.setdefault(own.by, [])
                if own.overall is not None and moderation.overall is not None:
                    found.append(Comparison(audit.key, OVERALL, own.overall, moderation.overall))
                for domain, grade in own.domains.items():
                    theirs = moderation.domains.get(domain)
                    if grade in DOMAIN_SCALE and theirs in DOMAIN_SCALE:
                        found.append(Comparison(audit.key, domain, grade, theirs))
    return [Sheet(auditor, graded[auditor], compared.get(auditor, [])) for auditor in sorted(graded)]
