"""Drift (issue 14): do the auditors grade more generously, or more severely, than the moderators?

Over the moderated audits, each a pair (the grade the auditors agreed, as it stands after any review, R12; the
moderator's blind grade), on one scale, best first:

- ``mean_difference``: the mean of (auditors' grade - moderator's grade) in grades, counted so that a positive
  figure means the auditors graded better than the moderator (inflation) and a negative one more harshly;
- ``crossed_good_line``: the share of moderated audits where one grade is Good or better and the other below
  Good, the line that matters most to the service (Requires Improvement starts SMART actions, R17).

Each with a seeded 95% bootstrap interval over the audits, as the agreement figures have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ehqa.agreement.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED, Figure, interval, resample_counts


@dataclass(frozen=True, slots=True)
class Drift:
    pairs: int
    auditors_higher: int  # moderated audits where the auditors' grade is better than the moderator's
    moderator_higher: int
    mean_difference: Figure
    crossed_good_line: Figure


def drift(
    agreed: np.ndarray,
    moderator: np.ndarray,
    q: int,
    good: int,
    *,
    min_units: int,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Drift:
    """Drift over pairs of grade indexes (0 best) on a scale of ``q`` grades; ``good`` is Good's index."""
    agreed, moderator = np.asarray(agreed, dtype=int), np.asarray(moderator, dtype=int)
    pairs = len(agreed)
    higher, lower = int((agreed < moderator).sum()), int((agreed > moderator).sum())
    if pairs < min_units:
        reason = (
            f"too few moderated audits: {pairs}, and these figures need at least {min_units} "
            "(qa.yaml: agreement.min_units)"
        )
        return Drift(pairs, higher, lower, Figure(None, None, reason), Figure(None, None, reason))
    frequency = np.bincount(agreed * q + moderator, minlength=q * q)
    a, m = np.divmod(np.arange(q * q), q)
    difference = (m - a).astype(float)  # a better (smaller) agreed grade than the moderator's counts positive
    crossed = ((a <= good) != (m <= good)).astype(float)
    weights = np.vstack([frequency[None, :], resample_counts(frequency, resamples, seed)]).astype(float)
    means = weights @ np.column_stack([difference, crossed]) / pairs
    return Drift(
        pairs,
        higher,
        lower,
        Figure(float(means[0, 0]), interval(means[1:, 0])),
        Figure(float(means[0, 1]), interval(means[1:, 1])),
    )
