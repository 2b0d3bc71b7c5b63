"""The figures' names and what they mean, in plain English, for ``ehqa agreement`` and the site alike."""

from __future__ import annotations

from ehqa.agreement.statistics import Agreement

NAMES = {
    "exact": "Same grade",
    "within_one": "Within one grade",
    "alpha_ordinal": "Krippendorff's alpha (ordinal)",
    "alpha_nominal": "Krippendorff's alpha (nominal)",
    "ac1": "Gwet's AC1",
    "ac2_ordinal": "Gwet's AC2 (ordinal weights)",
    "kappa_quadratic": "Cohen's kappa (quadratic weights)",
}
SHARES = ("exact", "within_one")  # shown as percentages
RELIABLE, TENTATIVE = 0.800, 0.667  # Krippendorff's (2004) bars for relying on data, and for tentative conclusions


def reading(found: Agreement) -> str:
    """What the figures mean, in a sentence or two, from Krippendorff's ordinal alpha and Gwet's AC2."""
    alpha, ac2 = found.figures["alpha_ordinal"], found.figures["ac2_ordinal"]
    if alpha is None or alpha.value is None:
        return "There are not enough independent grades yet to say how consistent the grading is."
    if alpha.value >= RELIABLE:
        said = (
            "Graders agree well beyond chance: the grades can be relied on (Krippendorff's alpha is at least "
            f"{RELIABLE:.2f}, the usual bar)."
        )
    elif alpha.value >= TENTATIVE:
        said = (
            "Graders mostly agree: good enough for tentative conclusions, not yet for firm ones (alpha between "
            f"{TENTATIVE:.3f} and {RELIABLE:.2f}). Calibration sessions and moderation can close the gap."
        )
    else:
        said = (
            f"Graders often disagree beyond what chance explains (alpha below {TENTATIVE:.3f}): treat differences "
            "between grades with care, and use moderation and calibration sessions to agree what each grade means."
        )
    if ac2 is not None and ac2.value is not None and ac2.value - alpha.value >= 0.2:
        said += (
            " Gwet's AC2 is much higher than alpha: most grades are the same one (usually Good), which keeps "
            "alpha low even where graders agree; AC2 is the fairer figure then."
        )
    return said
