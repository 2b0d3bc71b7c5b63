"""The agreement statistics beyond the published examples: the vectorised bootstrap is the plain one, the
intervals are seeded, too few units and undefined figures give reasons, and drift counts the right way round."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from ehqa.agreement.drift import drift
from ehqa.agreement.statistics import _features, agreement, counts_of, figures_from_sums, patterns


def _random_table(seed: int, units: int = 300, raters: int = 3, q: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.choice(q, size=units, p=[0.1, 0.5, 0.25, 0.12, 0.03][:q] if q == 5 else None)
    values = np.clip(truth[:, None] + rng.choice([-1, 0, 0, 1], size=(units, raters)), 0, q - 1)
    values[rng.random((units, raters)) < 0.15] = -1
    return values


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_own_alpha_matches_the_krippendorff_package(seed: int) -> None:
    """The bootstrap's alpha (coincidences summed here) is the package's, on any data, missing values included."""
    values = _random_table(seed)
    unique, frequency = patterns(counts_of(values, 5), None)
    features, layout = _features(unique, 5, False)
    own = figures_from_sums(frequency[None, :].astype(float) @ features, layout, 5)
    data = np.where(values >= 0, values, np.nan).T
    for name, level in (("alpha_ordinal", "ordinal"), ("alpha_nominal", "nominal")):
        package = krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=range(5))
        assert own[name][0] == pytest.approx(package, abs=1e-12)


def test_a_resample_of_patterns_is_the_resample_of_its_units() -> None:
    """Counting patterns is exact: the figures of a resample drawn unit by unit equal those from its pattern
    counts."""
    values = _random_table(4, units=120, raters=2)
    rng = np.random.default_rng(0)
    drawn = values[rng.integers(0, len(values), len(values))]
    direct = agreement(drawn, 5, min_units=1, resamples=100)
    unique, _ = patterns(counts_of(values, 5), values)
    features, layout = _features(unique, 5, True)
    keys = [tuple(row) for row in unique]
    graded = drawn[(drawn >= 0).any(axis=1)]
    counts = np.zeros(len(keys))
    for row in graded:
        key = tuple([int((row == k).sum()) for k in range(5)] + list(row[:2]))
        counts[keys.index(key)] += 1
    via_patterns = figures_from_sums(counts[None, :] @ features, layout, 5)
    for name, figure in direct.figures.items():
        assert via_patterns[name][0] == pytest.approx(figure.value, abs=1e-12), name


def test_intervals_are_seeded_and_hold_the_value() -> None:
    values = _random_table(5)
    first = agreement(values, 5, min_units=10, resamples=300, seed=7)
    again = agreement(values, 5, min_units=10, resamples=300, seed=7)
    other = agreement(values, 5, min_units=10, resamples=300, seed=8)
    assert first == again
    assert first.figures["ac1"].ci95 != other.figures["ac1"].ci95
    for name, figure in first.figures.items():
        if figure is not None:
            low, high = figure.ci95
            assert low <= figure.value <= high, name


def test_too_few_units_give_a_reason_not_a_number() -> None:
    values = _random_table(6, units=9)
    found = agreement(values, 5, min_units=10)
    assert found.units < 10
    for name, figure in found.figures.items():
        if name != "kappa_quadratic":
            assert figure.value is None and figure.ci95 is None and figure.reason.startswith("too few units"), name


def test_units_with_one_grade_do_not_count_as_units() -> None:
    values = np.array([[0, 0], [1, 1], [2, -1], [-1, -1]])
    found = agreement(values, 5, min_units=1, resamples=100)
    assert (found.units, found.raters, found.ratings) == (2, 2, 4)


def test_every_grade_the_same_leaves_chance_corrected_figures_undefined() -> None:
    found = agreement(np.ones((20, 2), dtype=int), 5, min_units=10, resamples=100)
    assert found.figures["exact"].value == 1.0
    for name in ("alpha_ordinal", "alpha_nominal", "kappa_quadratic"):
        assert found.figures[name].value is None and "every grade given was the same" in found.figures[name].reason
    assert found.figures["ac1"].value == 1.0  # Gwet's AC1 stays defined: its point of being


def test_drift_is_positive_when_auditors_grade_more_generously() -> None:
    """Indexes count from the best grade: the agreed Good (1) against the moderator's Requires Improvement (2) is
    one grade more generous, and crosses the Good line."""
    agreed = np.array([1] * 6 + [1] * 4 + [2] * 2)
    moderator = np.array([2] * 6 + [1] * 4 + [3] * 2)
    found = drift(agreed, moderator, 5, 1, min_units=10, resamples=200)
    assert found.mean_difference.value == pytest.approx(8 / 12)
    assert found.crossed_good_line.value == pytest.approx(6 / 12)
    assert (found.auditors_higher, found.moderator_higher) == (8, 0)
    assert drift(agreed[:5], moderator[:5], 5, 1, min_units=10).mean_difference.reason.startswith("too few")
