"""How far independent graders agree, with a seeded 95% bootstrap interval for each figure (issue 14).

The figures, over a table of units (what was graded) by raters (who graded), grades on an ordered scale
(best first), any number of raters, missing grades allowed:

- ``exact`` and ``within_one``: of every two grades given to one unit, the share that are the same, or at most one
  grade apart (the percent agreement of Gwet (2014), unweighted and with "within one" weights);
- ``alpha_ordinal``, ``alpha_nominal``: Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's
  Alpha-Reliability"): the value from the maintained ``krippendorff`` package, the intervals from the same
  coincidence matrices computed here (tests check the two agree);
- ``ac1``, ``ac2_ordinal``: Gwet's AC1, and AC2 with ordinal weights (Gwet 2014, 2008; the weights and
  formulas of the irrCAC package), which stay meaningful when nearly every grade is the same;
- ``kappa_quadratic``: Cohen's kappa with quadratic weights, only where exactly two raters graded.

Speed (12,000 units, 1,000 resamples in well under a second): every figure is a function of sums over units of
fixed amounts per unit. Units with the same count of each grade (and, for two raters, the same pair) give the
same amounts, so they are one *pattern*; a bootstrap resample of units is then multinomial counts of patterns,
and the sums for every resample are one matrix product. No library is called once per resample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STATISTICS = ("exact", "within_one", "alpha_ordinal", "alpha_nominal", "ac1", "ac2_ordinal", "kappa_quadratic")
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 14


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: its value and 95% interval, or no value and the reason why."""

    value: float | None
    ci95: tuple[float, float] | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Agreement:
    """The figures for one table. ``units`` counts the units with two or more grades (the ones that can show
    agreement); ``figures`` has every name of ``STATISTICS``, ``kappa_quadratic`` None unless two raters."""

    units: int
    raters: int
    ratings: int
    figures: dict[str, Figure | None]


def gwet_ordinal_weights(q: int) -> np.ndarray:
    """Gwet's ordinal weights (Gwet 2014, chapter 3; irrCAC's ``ordinal.weights``): 1 - C(|k-l|+1, 2) / its largest."""
    distance = np.abs(np.subtract.outer(np.arange(q), np.arange(q)))
    steps = (distance + 1) * distance / 2
    return 1 - steps / steps.max() if q > 1 else np.ones((1, 1))


def within_one_weights(q: int) -> np.ndarray:
    """Full credit for two grades at most one apart, none otherwise."""
    return (np.abs(np.subtract.outer(np.arange(q), np.arange(q))) <= 1).astype(float)


def patterns(counts: np.ndarray, pairs: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct units (their count of each grade; for two raters, also the pair of grades) and how many units
    each is. ``counts`` is units × grades; ``pairs`` units × 2, each a grade's index (0 best) or -1 where missing.
    Units with no grade at all are left out."""
    key = np.column_stack([counts, pairs]) if pairs is not None else counts
    key = key[counts.sum(axis=1) >= 1]
    if not len(key):
        return np.zeros((0, key.shape[1]), dtype=int), np.zeros(0, dtype=int)
    # One number per unit (the columns as digits of a mixed base), since sorting rows is slow.
    low = key.min(axis=0)
    base = key.max(axis=0) - low + 1
    place = np.concatenate([[1], np.cumprod(base[:0:-1])])[::-1]
    code, frequency = np.unique((key - low) @ place, return_counts=True)
    digits = (code[:, None] // place[None, :]) % base[None, :]
    return digits + low, frequency


def counts_of(values: np.ndarray, q: int) -> np.ndarray:
    """Each unit's count of each grade, from a units × raters table of grade indexes (-1 missing)."""
    return np.stack([(values == k).sum(axis=1) for k in range(q)], axis=1)


def _features(unique: np.ndarray, q: int, two_raters: bool) -> tuple[np.ndarray, dict[str, slice]]:
    """What each pattern adds to the sums, side by side: one row per pattern; the layout names the columns."""
    r = unique[:, :q].astype(float)
    total = r.sum(axis=1)
    two = total >= 2
    pairs = np.where(two, total * (total - 1), 1.0)
    blocks: dict[str, np.ndarray] = {"graded": np.ones((len(r), 1)), "pairable": two[:, None].astype(float)}
    for name, weights in (
        ("exact", np.eye(q)),
        ("within_one", within_one_weights(q)),
        ("ordinal", gwet_ordinal_weights(q)),
    ):
        weighted = r @ weights.T  # r*_ik = sum over l of w_kl r_il (Gwet 2014)
        blocks[f"pa_{name}"] = np.where(two, (r * (weighted - 1)).sum(axis=1) / pairs, 0.0)[:, None]
    blocks["pi"] = r / total[:, None]
    coincidences = r[:, :, None] * r[:, None, :] - np.einsum("ik,kl->ikl", r, np.eye(q))
    blocks["coincidence"] = np.where(
        two[:, None, None], coincidences / np.where(two, total - 1, 1)[:, None, None], 0.0
    ).reshape(len(r), q * q)
    if two_raters:
        first, second = unique[:, q], unique[:, q + 1]
        both = (first >= 0) & (second >= 0)
        table = np.zeros((len(r), q * q))
        table[np.flatnonzero(both), (first * q + second)[both]] = 1.0
        blocks["pair"] = table
    layout, start = {}, 0
    for name, block in blocks.items():
        layout[name] = slice(start, start + block.shape[1])
        start += block.shape[1]
    return np.hstack(list(blocks.values())), layout


def _ordinal_delta(marginals: np.ndarray) -> np.ndarray:
    """Krippendorff's ordinal difference for each pair of grades, from the coincidence marginals n_g (rows)."""
    q = marginals.shape[-1]
    upto = np.cumsum(marginals, axis=-1)
    before = upto - marginals
    hi = np.maximum.outer(np.arange(q), np.arange(q))
    lo = np.minimum.outer(np.arange(q), np.arange(q))
    between = upto[:, hi] - before[:, lo]
    return (between - (marginals[:, :, None] + marginals[:, None, :]) / 2) ** 2


def _alpha(coincidence: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """alpha = 1 - (n - 1) * sum(o_ck delta_ck) / sum(n_c n_k delta_ck) (Krippendorff 2011), per row."""
    marginals = coincidence.sum(axis=2)
    n = marginals.sum(axis=1)
    observed = (coincidence * delta).sum(axis=(1, 2))
    expected = (marginals[:, :, None] * marginals[:, None, :] * delta).sum(axis=(1, 2))
    return 1 - (n - 1) * observed / expected


def figures_from_sums(sums: np.ndarray, layout: dict[str, slice], q: int) -> dict[str, np.ndarray]:
    """Every statistic for each row of sums (one row per resample): NaN where one is undefined."""
    rows = len(sums)

    def column(name: str) -> np.ndarray:
        return sums[:, layout[name]][:, 0]

    with np.errstate(divide="ignore", invalid="ignore"):
        graded, pairable = column("graded"), column("pairable")
        exact, within, ordinal = (column(f"pa_{name}") / pairable for name in ("exact", "within_one", "ordinal"))
        pi = sums[:, layout["pi"]] / graded[:, None]
        spread = (pi * (1 - pi)).sum(axis=1) / (q * (q - 1)) if q > 1 else np.zeros(rows)
        chance_ac1 = q * spread  # the identity weights sum to q
        chance_ac2 = gwet_ordinal_weights(q).sum() * spread
        coincidence = sums[:, layout["coincidence"]].reshape(rows, q, q)
        found = {
            "exact": exact,
            "within_one": within,
            "alpha_ordinal": _alpha(coincidence, _ordinal_delta(coincidence.sum(axis=2))),
            "alpha_nominal": _alpha(coincidence, np.broadcast_to(1 - np.eye(q), (rows, q, q))),
            "ac1": (exact - chance_ac1) / (1 - chance_ac1),
            "ac2_ordinal": (ordinal - chance_ac2) / (1 - chance_ac2),
        }
        if "pair" in layout:
            found["kappa_quadratic"] = _kappa_quadratic(sums[:, layout["pair"]].reshape(rows, q, q))
    return {name: np.where(np.isfinite(value), value, np.nan) for name, value in found.items()}


def _kappa_quadratic(table: np.ndarray) -> np.ndarray:
    """Cohen's weighted kappa with quadratic weights, 1 - sum(d p) / sum(d p_i. p_.j), d = (i - j)^2."""
    q = table.shape[-1]
    p = table / table.sum(axis=(1, 2))[:, None, None]
    expected = p.sum(axis=2)[:, :, None] * p.sum(axis=1)[:, None, :]
    d = np.subtract.outer(np.arange(q), np.arange(q)) ** 2
    return 1 - (p * d).sum(axis=(1, 2)) / (expected * d).sum(axis=(1, 2))


def resample_counts(frequency: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """How often each pattern appears in each bootstrap resample of the units (resamples × patterns)."""
    rng = np.random.default_rng(seed)
    total = int(frequency.sum())
    return rng.multinomial(total, frequency / total, size=resamples)


def interval(values: np.ndarray) -> tuple[float, float] | None:
    """The percentile 95% interval of the resamples' values where defined; None when none is."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def agreement(
    values: np.ndarray, q: int, *, min_units: int, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> Agreement:
    """Every figure for a units × raters table of grade indexes (0 best, -1 missing) on a scale of ``q`` grades."""
    values = np.asarray(values, dtype=int)
    values = values if values.ndim == 2 else values.reshape(-1, 1)
    counted = (values >= 0).sum(axis=1) >= 2
    raters = int(((values >= 0) & counted[:, None]).any(axis=0).sum())
    pairs = values if raters == 2 and values.shape[1] == 2 else None
    return agreement_of_counts(counts_of(values, q), pairs, raters, min_units=min_units, resamples=resamples, seed=seed)


def agreement_of_counts(
    counts: np.ndarray,
    pairs: np.ndarray | None,
    raters: int,
    *,
    min_units: int,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Agreement:
    """Every figure from each unit's count of each grade (units × grades, best first); ``pairs`` the two raters'
    grades of each unit (units × 2, -1 missing) where exactly two raters graded, else None; ``raters`` how many."""
    q = counts.shape[1]
    per_unit = counts.sum(axis=1)
    counted = per_unit >= 2
    units, ratings = int(counted.sum()), int(per_unit[counted].sum())
    names = [name for name in STATISTICS if name != "kappa_quadratic" or pairs is not None]
    figures: dict[str, Figure | None] = {"kappa_quadratic": None}
    if units < min_units:
        reason = (
            f"too few units: {units} with two or more grades, and these figures need at least {min_units} "
            "(qa.yaml: agreement.min_units)"
        )
        figures.update({name: Figure(None, None, reason) for name in names})
        return Agreement(units, raters, ratings, {name: figures[name] for name in STATISTICS})
    unique, frequency = patterns(counts, pairs)
    features, layout = _features(unique, q, pairs is not None)
    point = figures_from_sums(frequency[None, :].astype(float) @ features, layout, q)
    point.update(_krippendorff_package(counts[counted], point))
    spread = figures_from_sums(resample_counts(frequency, resamples, seed).astype(float) @ features, layout, q)
    for name in names:
        value = float(point[name][0])
        if not np.isfinite(value):
            figures[name] = Figure(None, None, _UNDEFINED)
        else:
            figures[name] = Figure(value, interval(spread[name]))
    return Agreement(units, raters, ratings, {name: figures[name] for name in STATISTICS})


_UNDEFINED = "not defined here: every grade given was the same, so there is no disagreement to measure it against"


def _krippendorff_package(counts: np.ndarray, own: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Krippendorff's alpha from the maintained ``krippendorff`` package, where it is defined, from the units with
    two or more grades (the others pair with nothing and change nothing)."""
    import krippendorff

    q = counts.shape[1]
    found = {}
    for name, level in (("alpha_ordinal", "ordinal"), ("alpha_nominal", "nominal")):
        if np.isfinite(own[name][0]):
            found[name] = np.array(
                [krippendorff.alpha(value_counts=counts, value_domain=list(range(q)), level_of_measurement=level)]
            )
    return found
