"""The site's page "How consistent are our grades" (issue 14): "not measured yet" until audits carry independent
grades; then the service's and each domain's figures with their intervals, a reading, drift and the trend by
quarter, naming no auditor (R21)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE, ROOT
from ehqa.load.repository import load_repository
from ehqa.model.enums import Grade
from ehqa.model.records import Record
from ehqa.site.consistency import consistency_context
from ehqa.site.pages import environment
from ehqa.site.tables import withheld_note

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def loaded():
    return load_repository(FIXTURE_SERVICE).service


def _render(service) -> str:
    env = environment(ROOT / "site_templates")
    env.globals["withheld_note"] = withheld_note(service.settings.min_count)
    return env.get_template("consistency.md.j2").render(root="", **consistency_context(service, AS_OF))


def _graded(loaded):
    """Twelve audits each graded by both its auditors, and moderated."""
    records = []
    for number, audit in enumerate([a for a in loaded.audits if len(a.auditors) == 2][:12]):
        for by, grade in zip(
            (*audit.auditors, "qa-moderator"),
            (Grade.GOOD, Grade.GOOD if number % 3 else Grade.REQUIRES_IMPROVEMENT, Grade.GOOD),
        ):
            kind = "moderation" if by == "qa-moderator" else "grades"
            records.append(
                Record(
                    f"audits/{audit.key}.records/2026-11-20.{kind}.{by}.yaml",
                    kind,
                    audit.case,
                    audit.cycle,
                    by,
                    date(2026, 11, 20),
                    overall=grade,
                    domains={"planning": grade},
                )
            )
    service = replace(loaded)
    service.records = list(loaded.records) + records
    return service


def test_the_page_says_not_measured_yet_without_independent_grades(loaded) -> None:
    page = _render(loaded)
    assert "Not measured yet" in page and "<table>" not in page


@pytest.mark.rule("R21")
def test_the_page_shows_the_figures_with_intervals_and_names_no_one(loaded) -> None:
    service = _graded(loaded)
    page = _render(service)
    assert "Not measured yet" not in page
    assert '<th scope="row">Overall grade</th><td>12</td>' in page
    assert "Same grade" in page and "% to " in page  # a share with its interval
    assert "The overall grade, quarter by quarter" in page and "2026-Q3" in page
    assert "Drift." in page
    people = {p for a in service.audits for p in a.auditors} | {"qa-moderator"}
    assert not [p for p in people if p in page]


def test_a_domain_below_the_threshold_is_too_few_to_measure(loaded) -> None:
    service = _graded(loaded)
    service.records = service.records[:-6]  # the last two audits' grades: 10 audits left with them
    settings = replace(service.settings, agreement_min_units=11)
    service = replace(service, settings=settings)
    page = _render(service)
    assert "too few to measure" in page
