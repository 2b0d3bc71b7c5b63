"""Every figure ``ehqa agreement`` shows: for a ratings file, one table; for the repository, the overall grade
and each domain, each with drift where audits were moderated."""

from __future__ import annotations

from dataclasses import dataclass, field

from ehqa.agreement.drift import Drift
from ehqa.agreement.from_service import ServiceRatings
from ehqa.agreement.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED, Agreement
from ehqa.agreement.table import DEFAULT_MIN_UNITS, measure, measure_drift
from ehqa.model.ratings import Ratings


@dataclass(frozen=True, slots=True)
class Options:
    min_units: int = DEFAULT_MIN_UNITS
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED


@dataclass(frozen=True, slots=True)
class SubjectFigures:
    id: str
    title: str
    agreement: Agreement
    drift: Drift | None = None  # None for a ratings file, which does not say who moderated


@dataclass(frozen=True, slots=True)
class Report:
    source: str  # "the repository", or the ratings file's name
    period: str | None
    options: Options
    subjects: list[SubjectFigures] = field(default_factory=list)  # the first is the headline: overall, or the file
    audits: int | None = None  # the repository's: audits with independent or moderation grades
    moderated: int | None = None


def report_of_ratings(ratings: Ratings, source: str, options: Options) -> Report:
    """The figures of a ratings file."""
    figures = measure(ratings, min_units=options.min_units, resamples=options.resamples, seed=options.seed)
    return Report(source, None, options, [SubjectFigures("ratings", "Grades in the ratings file", figures)])


def report_of_service(found: ServiceRatings, options: Options) -> Report:
    """The figures of the repository's independent and moderation grades, overall and per domain."""
    subjects = []
    for subject in found.subjects:
        figures = measure(subject.ratings, min_units=options.min_units, resamples=options.resamples, seed=options.seed)
        drift = measure_drift(
            subject.drift,
            subject.ratings.scale,
            min_units=options.min_units,
            resamples=options.resamples,
            seed=options.seed,
        )
        subjects.append(SubjectFigures(subject.id, subject.title, figures, drift))
    return Report("the repository", found.period, options, subjects, found.audits, found.moderated)
