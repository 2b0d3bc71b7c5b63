"""The repository's ratings for `ehqa agreement` (issue 14): units are the period's audits with independent or
moderation grades; raters their authors, each author's latest record counting; Not applicable is missing; drift
sets the moderator's grade beside the agreed grade as it stands after a review (R12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.agreement.calibration import calibration_sheets
from ehqa.agreement.from_service import ratings_from_service
from ehqa.agreement.report import Options, report_of_service
from ehqa.load.repository import load_repository
from ehqa.model.enums import Grade
from ehqa.model.records import Record

G, RI, NA = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.NOT_APPLICABLE


@pytest.fixture(scope="module")
def loaded():
    return load_repository(FIXTURE_SERVICE).service


def _record(audit, kind: str, by: str, overall: Grade, when: date, **domains: Grade) -> Record:
    return Record(
        f"audits/{audit.key}.records/{when}.{kind}.{by}.yaml",
        kind,
        audit.case,
        audit.cycle,
        by,
        when,
        overall=overall,
        domains={d.replace("_", "-"): g for d, g in domains.items()},
    )


def _service(loaded, records):
    service = replace(loaded)
    service.records = list(loaded.records) + records
    return service


def test_units_are_the_periods_audits_with_independent_grades(loaded) -> None:
    august = [a for a in loaded.audits if a.cycle == "2026-08"]
    october = next(a for a in loaded.audits if a.key == "2026-10/9160347")
    records = [_record(a, "grades", by, G, date(2026, 9, 1), planning=G) for a in august for by in a.auditors]
    records += [_record(october, "grades", by, RI, date(2026, 11, 1)) for by in october.auditors]
    service = _service(loaded, records)
    q3 = ratings_from_service(service, "2026-Q3")
    assert q3.audits == 4 and {r.unit for r in q3.subjects[0].ratings.ratings} == {a.key for a in august}
    assert {r.rater for r in q3.subjects[0].ratings.ratings} == {"aevans", "bcole", "fgreen", "iokoro"}
    assert [s.id for s in q3.subjects] == ["overall", "planning"]
    assert ratings_from_service(service, "2026").audits == 5
    assert ratings_from_service(service, "2026-Q4").audits == 1
    assert ratings_from_service(service, "2025").audits == 0


def test_each_authors_latest_record_counts_and_not_applicable_is_missing(loaded) -> None:
    audit = next(a for a in loaded.audits if a.key == "2026-08/9104217")
    records = [
        _record(audit, "grades", "aevans", G, date(2026, 9, 1), planning=NA),
        _record(audit, "grades", "aevans", RI, date(2026, 9, 2), planning=NA),
        _record(audit, "grades", "bcole", G, date(2026, 9, 1), planning=G),
        _record(audit, "actions-agreed", "bcole", G, date(2026, 9, 1)),
    ]
    found = ratings_from_service(_service(loaded, records), None, as_of=date(2026, 11, 26))
    overall = {r.rater: r.grade for r in found.subjects[0].ratings.ratings}
    assert overall == {"aevans": RI, "bcole": G}
    planning = next(s for s in found.subjects if s.id == "planning").ratings
    assert {r.rater: r.grade for r in planning.ratings} == {"aevans": NA, "bcole": G}
    before = ratings_from_service(_service(loaded, records), None, as_of=date(2026, 9, 1))
    assert {r.rater: r.grade for r in before.subjects[0].ratings.ratings} == {"aevans": G, "bcole": G}


@pytest.mark.rule("R12")
def test_drift_compares_the_moderator_with_the_grade_as_it_stands_after_review(loaded) -> None:
    audit = next(a for a in loaded.audits if a.key == "2026-08/9112836")  # agreed Good
    review = replace(_record(audit, "review", "hos", RI, date(2026, 9, 20)), outcome="findings-revised")
    moderation = _record(audit, "moderation", "qa", Grade.INADEQUATE, date(2026, 9, 25))
    found = ratings_from_service(_service(loaded, [moderation, review]), "2026-Q3")
    (pair,) = found.subjects[0].drift
    assert (pair.agreed, pair.moderator) == (RI, Grade.INADEQUATE)
    assert found.moderated == 1 and {r.rater for r in found.subjects[0].ratings.ratings} == {"qa"}


def test_the_figures_of_the_repository_ratings(loaded) -> None:
    """Twelve audits graded by both auditors and a moderator: figures, and drift over the moderated ones."""
    audits = [a for a in loaded.audits if len(a.auditors) == 2][:12]
    records = []
    for number, audit in enumerate(audits):
        first, second = (G, G) if number % 3 else (G, RI)
        records += [
            _record(audit, "grades", audit.auditors[0], first, date(2026, 11, 20)),
            _record(audit, "grades", audit.auditors[1], second, date(2026, 11, 20)),
            _record(audit, "moderation", "qa", RI if number < 4 else audit.overall, date(2026, 11, 21)),
        ]
    report = report_of_service(ratings_from_service(_service(loaded, records)), Options(resamples=200))
    overall = report.subjects[0]
    assert (overall.agreement.units, overall.agreement.ratings) == (12, 36)
    assert overall.agreement.figures["exact"].value is not None
    assert overall.drift.pairs == 12 and overall.drift.mean_difference.value is not None


@pytest.mark.rule("R22")
def test_a_calibration_sheet_sets_each_auditors_own_grades_beside_the_moderators(loaded) -> None:
    audit = next(a for a in loaded.audits if a.key == "2026-08/9112836")
    other = next(a for a in loaded.audits if a.key == "2026-08/9104217")
    records = [
        _record(audit, "grades", "aevans", G, date(2026, 9, 1), planning=G, assessment=NA),
        _record(audit, "grades", "bcole", RI, date(2026, 9, 1), planning=RI),
        _record(audit, "moderation", "qa", RI, date(2026, 9, 25), planning=Grade.INADEQUATE, assessment=G),
        _record(other, "grades", "aevans", G, date(2026, 9, 1)),
    ]
    sheets = {s.auditor: s for s in calibration_sheets(_service(loaded, records), "2026-Q3")}
    assert list(sheets) == ["aevans", "bcole"]
    mine = sheets["aevans"]
    assert (mine.graded, mine.moderated) == (2, 1)
    assert [(c.subject, c.own, c.moderator, c.difference) for c in mine.comparisons] == [
        ("overall", G, RI, 1),
        ("planning", G, Grade.INADEQUATE, 2),
    ]  # Not applicable is left out
    assert mine.summary() == {"compared": 1, "same": 0, "within_one": 1, "mean_difference": 1.0, "crossed_good_line": 1}
    assert sheets["bcole"].summary(None)["same"] == 1
