"""Ratings for the agreement statistics (issue 14): who gave which grade to which unit.

A unit is one thing graded by several people independently (an audit, or a row of a service's old
double-marking spreadsheet); a rater is one of them. ``ehqa.agreement`` measures how far they agree;
``ehqa.load.ratings_csv`` reads a ratings file into these, and ``ehqa.agreement.from_service`` builds
them from the independent grades and moderation records of the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ehqa.model.enums import DOMAIN_GRADES, OVERALL_GRADES, Grade

# The scales the statistics work on, best first (the order of section 2.16 of the guidance, R9).
# A domain's Not applicable is no grade on the scale: the statistics read it as missing.
OVERALL_SCALE: tuple[Grade, ...] = OVERALL_GRADES
DOMAIN_SCALE: tuple[Grade, ...] = tuple(g for g in DOMAIN_GRADES if g is not Grade.NOT_APPLICABLE)


class Rating(NamedTuple):
    """One rater's grade for one unit; ``grade`` None where it is missing (a blank in a ratings file). A named
    tuple rather than a frozen dataclass: the 12,000-audit service has a quarter of a million, made five times
    faster (benchmarks/agreement.py)."""

    unit: str
    rater: str
    grade: Grade | None


@dataclass(frozen=True, slots=True)
class Ratings:
    """A ratings table: the grades on one scale (best first) given to units by raters."""

    scale: tuple[Grade, ...]
    ratings: tuple[Rating, ...]


@dataclass(frozen=True, slots=True)
class DriftPair:
    """One moderated unit: the grade its auditors agreed (as it stands, R12) and the moderator's blind grade."""

    unit: str
    agreed: Grade
    moderator: Grade
