"""The board report's and evidence pack's "Grading consistency" (issue 14): not measured until audits carry
independent grades; then the learning site's own figures and table, with its disclosure control (R21)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.documents.board.consistency import NOT_MEASURED, consistency_section, grading_consistency
from ehqa.documents.board.document import Grid, Para
from ehqa.load.repository import load_repository
from ehqa.model.enums import Grade
from ehqa.model.records import Record
from ehqa.site.consistency import consistency_context

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def loaded():
    return load_repository(FIXTURE_SERVICE).service


def test_not_measured_without_independent_grades(loaded) -> None:
    assert grading_consistency(loaded, ["2026-10"], AS_OF) is None
    assert consistency_section(loaded, ["2026-10"], AS_OF).blocks == (Para((NOT_MEASURED,)),)


@pytest.mark.rule("R21")
def test_measured_it_shows_the_sites_own_table(loaded) -> None:
    records = []
    for number, audit in enumerate([a for a in loaded.audits if len(a.auditors) == 2][:12]):
        for by in audit.auditors:
            grade = Grade.REQUIRES_IMPROVEMENT if number % 4 == 0 and by == audit.auditors[1] else Grade.GOOD
            records.append(
                Record(
                    f"audits/{audit.key}.records/2026-11-20.grades.{by}.yaml",
                    "grades",
                    audit.case,
                    audit.cycle,
                    by,
                    date(2026, 11, 20),
                    overall=grade,
                )
            )
    service = replace(loaded)
    service.records = [*loaded.records, *records]
    blocks = grading_consistency(service, ["2026-10"], AS_OF)
    grid = next(b for b in blocks if isinstance(b, Grid) and b.id == "consistency")
    assert grid == Grid.of("consistency", consistency_context(service, AS_OF)["table"])
    assert grid.cell("Overall grade", "audits") == 12
    people = {p for a in service.audits for p in a.auditors}
    text = repr(blocks)
    assert not [p for p in people if p in text]
