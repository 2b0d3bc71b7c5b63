"""The agreement statistics reproduce published worked examples to three decimals (issue 14), each cited.

The data of the first examples is Krippendorff's reliability data matrix, which Gwet's handbook reprints and
irrCAC ships as ``cac.raw4raters``: 4 raters, 12 units, values 1-5 (here indexes 0-4), missing values allowed.
"""

from __future__ import annotations

import numpy as np
import pytest

from ehqa.agreement.statistics import agreement, gwet_ordinal_weights

_ = -1
# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
# University of Pennsylvania, section C (nominal data, any number of observers, missing values): units 1-12 as
# columns of observers A-D. Gwet, K. L. (2014), Handbook of Inter-Rater Reliability, 4th ed., p. 120, and the
# irrCAC package's dataset cac.raw4raters hold the same ratings (unit 12's one rating is another rater's there;
# a unit with one rating pairs with nothing and changes no figure below but Gwet's chance agreement, which
# counts it either way).
RAW4RATERS = [
    [1, 1, _, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [_, 5, 5, 5],
    [_, _, 1, 1],
    [_, _, 3, _],
]
VALUES = np.array([[v - 1 if v > 0 else -1 for v in row] for row in RAW4RATERS])


@pytest.fixture(scope="module")
def raw4raters():
    return agreement(VALUES, 5, min_units=1, resamples=200, seed=1)


def test_krippendorffs_alpha_reproduces_krippendorff_2011(raw4raters) -> None:
    """Krippendorff (2011), section C: alpha nominal = 0.743; with the ordinal metric, 0.815."""
    assert round(raw4raters.figures["alpha_nominal"].value, 3) == 0.743
    assert round(raw4raters.figures["alpha_ordinal"].value, 3) == 0.815


def test_percent_agreement_and_gwets_ac1_reproduce_gwet_2014(raw4raters) -> None:
    """Gwet (2014) and irrCAC's documented ``gwet.ac1.raw(cac.raw4raters)``: pa = 0.818, AC1 = 0.775."""
    assert round(raw4raters.figures["exact"].value, 3) == 0.818
    assert round(raw4raters.figures["ac1"].value, 3) == 0.775


def test_gwets_ac2_with_ordinal_weights_reproduces_irrcac(raw4raters) -> None:
    """irrCAC's ``gwet.ac1.raw(cac.raw4raters, weights = "ordinal")``: AC2 = 0.899 (pa 0.968, pe 0.685), as its
    Python port's tests (irrCAC, test_gwet_raw4raters_ordinal_weights) record it."""
    assert round(raw4raters.figures["ac2_ordinal"].value, 3) == 0.899


def test_gwets_ordinal_weights_are_irrcacs() -> None:
    """irrCAC's weighting vignette (Gwet 2019, "Weighted Chance-corrected Agreement Coefficients") prints
    ``ordinal.weights(1:3)``: 1 on the diagonal, 0.6666667 one apart, 0 two apart."""
    assert np.allclose(gwet_ordinal_weights(3), [[1, 2 / 3, 0], [2 / 3, 1, 2 / 3], [0, 2 / 3, 1]])


def test_quadratic_weighted_kappa_reproduces_irrcac_cont3x3abstractors() -> None:
    """irrCAC's weighting vignette: ``kappa2.table(cont3x3abstractors, weights = quadratic.weights(1:3))`` =
    0.8921569, over Gwet's (2014) 100 pregnancies classified by two abstractors (rows: abstractor 1)."""
    table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
    pairs = np.array([(i, j) for i in range(3) for j in range(3) for _ in range(table[i][j])])
    found = agreement(pairs, 3, min_units=1, resamples=200, seed=1)
    assert round(found.figures["kappa_quadratic"].value, 3) == 0.892
    assert found.units == 100 and found.raters == 2 and found.ratings == 200


def test_kappa_is_only_for_exactly_two_raters(raw4raters) -> None:
    assert raw4raters.figures["kappa_quadratic"] is None
    two_of_four = agreement(VALUES[:, :2], 5, min_units=1, resamples=100)
    assert two_of_four.figures["kappa_quadratic"] is not None
