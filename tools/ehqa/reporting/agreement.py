"""``ehqa agreement``'s output: JSON for machines, plain English for a QA officer, Markdown for a meeting pack.

The JSON's top level is the headline table's figures (the overall grade, or the ratings file), exactly as issue
14 gives it: ``{"units", "raters", "ratings", "exact": {"value", "ci95"}, "within_one", "alpha_ordinal",
"alpha_nominal", "ac1", "ac2_ordinal", "kappa_quadratic"}``, ``kappa_quadratic`` null unless exactly two raters
graded; a figure that could not be worked out has ``"value": null`` and its ``reason``. From the repository, it
adds ``period``, ``drift`` and ``domains`` (each domain's figures and drift). Names no one.
"""

from __future__ import annotations

import json

from ehqa.agreement.drift import Drift
from ehqa.agreement.reading import NAMES, SHARES, reading
from ehqa.agreement.report import Report, SubjectFigures
from ehqa.agreement.statistics import STATISTICS, Agreement, Figure


def _figure_json(figure: Figure | None) -> dict | None:
    if figure is None:
        return None
    if figure.value is None:
        return {"value": None, "ci95": None, "reason": figure.reason}
    return {"value": round(figure.value, 4), "ci95": [round(v, 4) for v in figure.ci95] if figure.ci95 else None}


def _agreement_json(found: Agreement) -> dict:
    return {
        "units": found.units,
        "raters": found.raters,
        "ratings": found.ratings,
        **{name: _figure_json(found.figures[name]) for name in STATISTICS},
    }


def _drift_json(drift: Drift) -> dict:
    return {
        "moderated": drift.pairs,
        "auditors_higher": drift.auditors_higher,
        "moderator_higher": drift.moderator_higher,
        "mean_difference": _figure_json(drift.mean_difference),
        "crossed_good_line": _figure_json(drift.crossed_good_line),
    }


def report_json(report: Report) -> str:
    headline, *domains = report.subjects
    found = _agreement_json(headline.agreement)
    found.update(
        {"resamples": report.options.resamples, "seed": report.options.seed, "min_units": report.options.min_units}
    )
    if report.source == "the repository":
        found.update(
            {
                "period": report.period,
                "audits": report.audits,
                "drift": _drift_json(headline.drift) if headline.drift else None,
                "domains": {
                    s.id: {
                        "title": s.title,
                        **_agreement_json(s.agreement),
                        "drift": _drift_json(s.drift) if s.drift else None,
                    }
                    for s in domains
                },
            }
        )
    return json.dumps(found, indent=2, ensure_ascii=False)


# --- plain English --------------------------------------------------------------------------------


def _value(name: str, value: float) -> str:
    return f"{100 * value:.0f}%" if name in SHARES else f"{value:.2f}"


def _shown(name: str, figure: Figure | None) -> str:
    if figure is None:
        return "not worked out: it needs exactly two graders throughout"
    if figure.value is None:
        return figure.reason
    interval = (
        f" (95% interval {_value(name, figure.ci95[0])} to {_value(name, figure.ci95[1])})" if figure.ci95 else ""
    )
    return _value(name, figure.value) + interval


def _agreement_text(subject: SubjectFigures, units: str) -> list[str]:
    found = subject.agreement
    lines = [
        f"{subject.title}: {found.units} {units} graded independently by two or more people "
        f"({found.raters} graders, {found.ratings} grades)"
    ]
    reasons = {f.reason for f in found.figures.values() if f is not None and f.value is None}
    if len(reasons) == 1 and next(iter(reasons)).startswith("too few"):
        return lines + [f"  Not measured: {next(iter(reasons))}."]
    width = max(len(n) for n in NAMES.values()) + 1
    lines += [f"  {NAMES[name] + ':':<{width}} {_shown(name, found.figures[name])}" for name in STATISTICS]
    lines.append("  " + reading(found))
    return lines


def _drift_text(drift: Drift) -> list[str]:
    mean, crossed = drift.mean_difference, drift.crossed_good_line
    if mean.value is None:
        return [f"  Drift not measured: {mean.reason}."]
    direction = "more generously" if mean.value > 0 else "more severely" if mean.value < 0 else "the same"
    lines = [
        f"  Drift, over {drift.pairs} moderated audits: auditors graded {direction} than the moderators, by "
        f"{abs(mean.value):.2f} of a grade on average (95% interval {mean.ci95[0]:+.2f} to {mean.ci95[1]:+.2f}; "
        f"positive is more generous); the auditors' grade was better in {drift.auditors_higher}, worse in "
        f"{drift.moderator_higher}."
    ]
    if crossed.value is not None and crossed.ci95:
        lines.append(
            f"  The grade crossed the line between Good and below Good in {100 * crossed.value:.0f}% of them "
            f"(95% interval {100 * crossed.ci95[0]:.0f}% to {100 * crossed.ci95[1]:.0f}%)."
        )
    return lines


def report_text(report: Report) -> str:
    headline, *domains = report.subjects
    period = f", {report.period}" if report.period else ""
    lines = [
        f"How consistent are the grades? From {report.source}{period}.",
        "Each figure has its 95% interval: the range it would likely fall in with another set of audits like "
        f"these ({report.options.resamples} bootstrap resamples, seed {report.options.seed}).",
        "",
    ]
    units = "audits" if report.source == "the repository" else "units"
    lines += _agreement_text(headline, units)
    if headline.drift is not None:
        lines += _drift_text(headline.drift)
    for subject in domains:
        lines += [""] + _agreement_text(subject, units)
        if subject.drift is not None and subject.drift.pairs:
            lines += _drift_text(subject.drift)
    if report.source == "the repository" and not report.audits:
        lines += ["", "No audit in this period has independent or moderation grades yet: not measured yet."]
    return "\n".join(lines)


# --- Markdown --------------------------------------------------------------------------------------


def report_markdown(report: Report) -> str:
    period = f", {report.period}" if report.period else ""
    lines = [
        f"# How consistent are the grades? ({report.source}{period})",
        "",
        f"95% intervals from {report.options.resamples} bootstrap resamples (seed {report.options.seed}).",
        "",
    ]
    lines += [
        "| | units | " + " | ".join(NAMES[n] for n in STATISTICS) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in STATISTICS) + " |",
    ]
    for subject in report.subjects:
        cells = [_cell(name, subject.agreement.figures[name]) for name in STATISTICS]
        lines.append(f"| {subject.title} | {subject.agreement.units} | " + " | ".join(cells) + " |")
    lines += ["", reading(report.subjects[0].agreement)]
    drift = report.subjects[0].drift
    if drift is not None:
        lines += [""] + [line.strip() for line in _drift_text(drift)]
    return "\n".join(lines) + "\n"


def _cell(name: str, figure: Figure | None) -> str:
    if figure is None:
        return "—"
    if figure.value is None:
        return "too few" if figure.reason.startswith("too few") else "n/a"
    interval = f" ({_value(name, figure.ci95[0])}–{_value(name, figure.ci95[1])})" if figure.ci95 else ""
    return _value(name, figure.value) + interval


# --- the command's work ----------------------------------------------------------------------------


def agreement_report(repo, ratings_file, period: str | None, as_of, resamples: int, seed: int) -> Report:
    """The figures ``ehqa agreement`` prints: from a ratings file (``DataError`` listing every bad row, and nothing
    worked out, when it has any), or from the repository's independent and moderation grades in ``period``."""
    from ehqa.agreement.from_service import ratings_from_service
    from ehqa.agreement.report import Options, report_of_ratings, report_of_service
    from ehqa.errors import DataError
    from ehqa.layout import SETTINGS_FILE
    from ehqa.load.ratings_csv import read_ratings
    from ehqa.load.repository import load_repository, load_single
    from ehqa.load.schema_check import SchemaError

    if ratings_file is not None:
        try:
            settings, _ = load_single(repo, SETTINGS_FILE)
        except SchemaError:
            settings = None  # qa.yaml cannot be read: the guidance's own grade ids
        options = Options(getattr(settings, "agreement_min_units", Options.min_units), resamples, seed)
        ratings, findings = read_ratings(ratings_file, settings, str(ratings_file))
        if ratings is None:
            raise DataError(
                "\n".join(f"{f.file}:{f.line}: error[{f.rule}]: {f.message}" for f in findings)
                + f"\nnothing was worked out from {ratings_file}: put it right and run the command again"
            )
        return report_of_ratings(ratings, ratings_file.name, options)
    service = load_repository(repo).service
    settings = service.settings
    options = Options(settings.agreement_min_units if settings else Options.min_units, resamples, seed)
    return report_of_service(ratings_from_service(service, period, as_of), options)
