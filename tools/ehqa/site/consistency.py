"""The site's page "How consistent are our grades" (issue 14): how far independent graders agree, for the service
as a whole and per domain, each figure with its 95% interval, a plain-English reading, drift between auditors
and moderators, and the trend by quarter.

Never per auditor and never per team: the figures are over every audit with independent grades. A figure needs
``agreement.min_units`` audits (and never fewer than ``publication.min_count``, the site's disclosure threshold,
R21); below that the page says "too few to measure", and an audit count below the threshold is ``[c]``.
"""

from __future__ import annotations

from datetime import date

from ehqa.agreement.drift import Drift
from ehqa.agreement.from_service import ratings_from_service
from ehqa.agreement.reading import NAMES, SHARES, reading
from ehqa.agreement.report import Options, report_of_service
from ehqa.agreement.statistics import Figure
from ehqa.agreement.table import measure, quarter_of
from ehqa.model import Service
from ehqa.model.ratings import Ratings
from ehqa.site.tables import WITHHELD, Table

SHOWN = ("exact", "within_one", "alpha_ordinal", "ac1", "ac2_ordinal")
TREND = ("exact", "alpha_ordinal", "ac2_ordinal")
SEED, RESAMPLES, QUARTERS = 14, 1000, 8


def _cell(name: str, figure: Figure | None) -> str:
    if figure is None or figure.value is None:
        return "too few to measure" if figure is not None and figure.reason.startswith("too few") else "–"
    shown = (lambda v: f"{100 * v:.0f}%") if name in SHARES else (lambda v: f"{v:.2f}")
    low, high = figure.ci95 if figure.ci95 else (figure.value, figure.value)
    return f"{shown(figure.value)} ({shown(low)} to {shown(high)})"


def consistency_context(service: Service, as_of: date) -> dict:
    """The page's figures: nothing measured until some audit has independent or moderation grades."""
    settings = service.settings
    options = Options(max(settings.agreement_min_units, settings.min_count), RESAMPLES, SEED)
    found = ratings_from_service(service, None, as_of)
    if not found.audits:
        return {"measured": False, "min_units": options.min_units}
    report = report_of_service(found, options)

    def count(n: int):
        return WITHHELD if 0 < n < settings.min_count else n

    head = ("what was graded", "audits", *(NAMES[n] for n in SHOWN))
    rows = [
        (s.title, count(s.agreement.units), *(_cell(n, s.agreement.figures[n]) for n in SHOWN)) for s in report.subjects
    ]
    overall = report.subjects[0]
    drift = overall.drift
    return {
        "measured": True,
        "min_units": options.min_units,
        "table": Table("How far independent graders agree, with 95% intervals", head, rows),
        "reading": reading(overall.agreement),
        "drift": _drift(drift),
        "trend": _trend(found.subjects[0].ratings, options),
    }


def _trend(overall: Ratings, options: Options) -> Table:
    """The overall grade's agreement by quarter (by the audit's cycle), the latest ``QUARTERS`` quarters."""
    by_quarter: dict[str, list] = {}
    for rating in overall.ratings:  # the unit is the audit's key, YYYY-MM/<case>
        by_quarter.setdefault(quarter_of(rating.unit[:7]), []).append(rating)
    rows = []
    for quarter in sorted(by_quarter)[-QUARTERS:]:
        figures = measure(
            Ratings(overall.scale, tuple(by_quarter[quarter])),
            min_units=options.min_units,
            resamples=options.resamples,
            seed=options.seed,
        )
        rows.append((quarter, *(_cell(n, figures.figures[n]) for n in TREND)))
    # No count of audits per quarter: beside the total, a small quarter's count could be worked out (R21).
    return Table(
        "The overall grade, quarter by quarter, with 95% intervals", ("quarter", *(NAMES[n] for n in TREND)), rows
    )


def _drift(drift: Drift | None) -> dict | None:
    if drift is None or drift.mean_difference.value is None:
        return None
    mean = drift.mean_difference
    return {
        "moderated": drift.pairs,
        "mean": f"{abs(mean.value):.2f}",
        "interval": "{:+.2f} to {:+.2f}".format(*mean.ci95) if mean.ci95 else "",
        "direction": "more generously" if mean.value > 0 else "more severely" if mean.value < 0 else "no differently",
        "crossed": _cell("exact", drift.crossed_good_line),
    }
