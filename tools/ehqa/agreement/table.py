"""From the model's ratings to the statistics' arrays, and the figures for a ratings table."""

from __future__ import annotations

from functools import lru_cache
from operator import attrgetter

import numpy as np

from ehqa.agreement.drift import Drift, drift
from ehqa.agreement.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED, Agreement, agreement_of_counts
from ehqa.model.enums import Grade
from ehqa.model.periods import parse_period
from ehqa.model.ratings import DriftPair, Ratings

DEFAULT_MIN_UNITS = 10  # qa.yaml agreement.min_units when it is not set


def compact(ratings: Ratings) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Each unit's count of each grade on the scale (units × grades; a blank, or a grade off the scale such as a
    domain's Not applicable, counts as missing); where exactly two raters graded the units with two or more grades,
    their grades side by side (units × 2, -1 missing), else None; and how many raters graded those units."""
    q = len(ratings.scale)
    index: dict[Grade | None, int] = {grade: -1 for grade in Grade} | {None: -1}
    index.update({grade: number for number, grade in enumerate(ratings.scale)})
    unit, rater = (_factorise(list(map(attrgetter(name), ratings.ratings))) for name in ("unit", "rater"))
    grade = np.fromiter(map(index.__getitem__, map(attrgetter("grade"), ratings.ratings)), dtype=int)
    units = int(unit.max()) + 1 if len(unit) else 0
    graded = grade >= 0
    counts = np.zeros((units, q), dtype=int)
    np.add.at(counts, (unit[graded], grade[graded]), 1)
    counted = graded & (counts.sum(axis=1) >= 2)[unit]
    who = np.unique(rater[counted])
    pairs = None
    if len(who) == 2:
        pairs = np.full((units, 2), -1, dtype=int)
        mine = graded & np.isin(rater, who)
        pairs[unit[mine], (rater[mine] == who[1]).astype(int)] = grade[mine]
    return counts, pairs, len(who)


def _factorise(names: list[str]) -> np.ndarray:
    """Each name's number, in the order names first appear (dictionaries keep it), at C speed."""
    number = {name: n for n, name in enumerate(dict.fromkeys(names))}
    return np.fromiter(map(number.__getitem__, names), dtype=int, count=len(names))


def measure(
    ratings: Ratings,
    *,
    min_units: int = DEFAULT_MIN_UNITS,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Agreement:
    """Every agreement figure for a ratings table."""
    counts, pairs, raters = compact(ratings)
    return agreement_of_counts(counts, pairs, raters, min_units=min_units, resamples=resamples, seed=seed)


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
    """Whether a cycle (YYYY-MM) falls in a period: a year (YYYY) or a quarter (YYYY-Qn, by the cycle's month),
    as ``model.periods`` reads them; every cycle when None."""
    if period is None:
        return True
    return cycle in _months(period)


@lru_cache(maxsize=64)
def _months(period: str) -> frozenset[str]:
    found = parse_period(period)
    return frozenset(found.months) if found else frozenset()


def quarter_of(cycle: str) -> str:
    """The quarter a cycle falls in: 2026-05 -> 2026-Q2."""
    return f"{cycle[:4]}-Q{(int(cycle[5:7]) - 1) // 3 + 1}"
