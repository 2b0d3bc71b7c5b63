"""A calibration sheet (R22, issue 14) reads as a private conversation starter: the auditor's own grades beside the
moderator's, each audit's row, and no colleague's figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE
from ehqa.agreement.calibration import calibration_sheets
from ehqa.documents.calibration import render_index, render_sheet
from ehqa.load.repository import load_repository
from ehqa.model.enums import Grade
from ehqa.model.records import Record


@pytest.mark.rule("R22")
def test_a_sheet_sets_the_auditors_grades_beside_the_moderators_and_names_no_colleague() -> None:
    loaded = load_repository(FIXTURE_SERVICE).service
    audit = next(a for a in loaded.audits if a.key == "2026-08/9112836")

    def record(kind, by, overall, **domains):
        return Record(
            f"audits/{audit.key}.records/2026-09-01.{kind}.{by}.yaml",
            kind,
            audit.case,
            audit.cycle,
            by,
            date(2026, 9, 1),
            overall=overall,
            domains=domains,
        )

    service = replace(loaded)
    service.records = [
        *loaded.records,
        record("grades", "aevans", Grade.GOOD, planning=Grade.GOOD),
        record("grades", "bcole", Grade.INADEQUATE),
        record("moderation", "qa", Grade.REQUIRES_IMPROVEMENT, planning=Grade.GOOD),
    ]
    sheets = calibration_sheets(service)
    mine = next(s for s in sheets if s.auditor == "aevans")
    text = render_sheet(service, mine, None, date(2026, 11, 26))
    assert text.startswith(f"# Calibration: {service.staff.people['aevans'].name} (aevans)")
    assert "PRIVATE: for supervision (R22)" in text
    assert "| 2026-08/9112836 | Overall | Good | Requires Improvement | +1 |" in text
    assert "the same as the moderator's in 0 of 1, within one grade in 1" in text
    assert "bcole" not in text and service.staff.people["bcole"].name not in text
    index = render_index(service, sheets, None, date(2026, 11, 26))
    assert "(calibration-aevans.md): 1 audit graded independently, 1 moderated" in index
