"""ehqa.documents.casenote: the case note to record in Mosaic after the QA meeting (R15), in the
guidance's own words. `ehqa casenote` itself: tests/cli/test_casenote.py."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from ehqa.documents.casenote import casenote
from ehqa.load.repository import load_repository

pytestmark = pytest.mark.rule("R15")

# Section 3 of the guidance, word for word (its example audit was completed on 13 November 2017).
GUIDANCE_TITLE = "Quality Assurance: case audited"
GUIDANCE_DESCRIPTION = ("This case was audited on 13/11/17 as part of the Early Help Quality Assurance process. "
                        "Original audit has been sent to manager.")


def test_casenote_is_the_guidance_wording_word_for_word(fixture_service: Path) -> None:
    audit = load_repository(fixture_service).service.audits_by_key()["2026-08/9104217"]
    example = dataclasses.replace(audit, completed=date(2017, 11, 13))  # the guidance's own example
    note = casenote(example)
    assert note.title == GUIDANCE_TITLE
    assert note.description == GUIDANCE_DESCRIPTION


def test_casenote_dates_are_two_digit_day_month_year(fixture_service: Path) -> None:
    audit = load_repository(fixture_service).service.audits_by_key()["2026-08/9104217"]
    assert casenote(dataclasses.replace(audit, completed=date(2026, 2, 3))).description.startswith(
        "This case was audited on 03/02/26 as part")
    assert "on 31/12/09 as" in casenote(dataclasses.replace(audit, completed=date(2009, 12, 31))).description
