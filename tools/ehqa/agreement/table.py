"""From the model's ratings to the statistics' arrays, and the figures for a ratings table."""

from __future__ import annotations

import re

import numpy as np

from ehqa.agreement.drift import Drift, drift
from ehqa.agreement.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED, Agreement, agreement
from ehqa.model.enums import Grade
from ehqa.model.ratings import DriftPair, Ratings

DEFAULT_MIN_UNITS = 10  # qa.yaml agreement.min_units when it is not set
PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-Q(?P<quarter>[1-4]))?")


def values_of(ratings: Ratings) -> tuple[np.ndarray, list[str], list[str]]:
    """The units × raters array of grade indexes on the scale (0 best, -1 missing: a blank, or a grade off the
    scale such as a domain's Not applicable), with the units and raters in the order they first appear."""
    units: dict[str, int] = {}
    raters: dict[str, int] = {}
    for rating in ratings.ratings:
        units.setdefault(rating.unit, len(units))
        raters.setdefault(rating.rater, len(raters))
    values = np.full((len(units), max(len(raters), 1)), -1, dtype=int)
    index = {grade: number for number, grade in enumerate(ratings.scale)}
    for rating in ratings.ratings:
        if rating.grade is not None and rating.grade in index:
            values[units[rating.unit], raters[rating.rater]] = index[rating.grade]
    return values, list(units), list(raters)


def measure(
    ratings: Ratings,
    *,
    min_units: int = DEFAULT_MIN_UNITS,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Agreement:
    """Every agreement figure for a ratings table."""
    values, _units, _raters = values_of(ratings)
    return agreement(values, len(ratings.scale), min_units=min_units, resamples=resamples, seed=seed)


def measure_drift(
    pairs: tuple[DriftPair, ...],
    scale: tuple[Grade, ...],
    *,
    min_units: int = DEFAULT_MIN_UNITS,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Drift:
    """Drift between the auditors' agreed grades and the moderators' over moderated units (grades off the
    scale left out)."""
    index = {grade: number for number, grade in enumerate(scale)}
    kept = [p for p in pairs if p.agreed in index and p.moderator in index]
    return drift(
        np.array([index[p.agreed] for p in kept], dtype=int),
        np.array([index[p.moderator] for p in kept], dtype=int),
        len(scale),
        index[Grade.GOOD],
        min_units=min_units,
        resamples=resamples,
        seed=seed,
    )


def in_period(cycle: str, period: str | None) -> bool:
    """Whether a cycle (YYYY-MM) falls in a period: a year (YYYY) or a quarter (YYYY-Qn, by the cycle's month)."""
    if period is None:
        return True
    match = PERIOD.fullmatch(period)
    if match is None:
        return False
    year, month = cycle[:4], int(cycle[5:7])
    return year == match["year"] and (match["quarter"] is None or (month - 1) // 3 + 1 == int(match["quarter"]))


def quarter_of(cycle: str) -> str:
    """The quarter a cycle falls in: 2026-05 -> 2026-Q2."""
    return f"{cycle[:4]}-Q{(int(cycle[5:7]) - 1) // 3 + 1}"
