"""Grade order and grade labels: one place each (``model.enums``, ``Settings.grade_label``), which
every summary, page, pack and comparison of grades uses."""

from __future__ import annotations

from datetime import time

import pytest

from conftest import AS_OF
from conftest import FIXTURE_SERVICE as FIXTURE
from ehqa.documents.meeting_pack import render_meeting_pack
from ehqa.load.repository import load_repository
from ehqa.model import Grade
from ehqa.model.enums import DOMAIN_GRADES, OVERALL_GRADES
from ehqa.model.settings import NOT_APPLICABLE_LABEL
from ehqa.reporting.summary import render_summary
from ehqa.rules.reaudit_outcome import IMPROVED, NOT_COMPARABLE, SAME, WORSE, compare
from ehqa.site import stats
from ehqa.site.pages import submit_context

SERVICE = load_repository(FIXTURE).service
SETTINGS = SERVICE.settings


@pytest.mark.rule("R9")
def test_the_order_is_best_first_and_inadequate_critical_is_overall_only() -> None:
    assert [g.value for g in OVERALL_GRADES] == ["outstanding", "good", "requires-improvement", "inadequate",
                                                  "inadequate-critical"]
    assert DOMAIN_GRADES == (*OVERALL_GRADES[:4], Grade.NOT_APPLICABLE)
    assert set(OVERALL_GRADES) | set(DOMAIN_GRADES) == set(Grade)


@pytest.mark.rule("R18")
def test_re_audit_outcomes_follow_the_order() -> None:
    for better, worse in zip(OVERALL_GRADES, OVERALL_GRADES[1:]):
        assert (compare(worse, better), compare(better, worse), compare(better, better)) == (IMPROVED, WORSE, SAME)
    assert compare(Grade.NOT_APPLICABLE, Grade.GOOD) == NOT_COMPARABLE


def test_labels_come_from_qa_yaml_and_not_applicable_has_the_guidances_words() -> None:
    assert SETTINGS.grade_label(Grade.REQUIRES_IMPROVEMENT) == SETTINGS.grades[Grade.REQUIRES_IMPROVEMENT].label
    assert Grade.NOT_APPLICABLE not in SETTINGS.grades  # the schema labels the five grades an audit gives
    assert SETTINGS.grade_label(Grade.NOT_APPLICABLE) == NOT_APPLICABLE_LABEL == "Not applicable"


def test_the_summary_the_site_and_the_submit_form_list_grades_in_the_one_order_and_words() -> None:
    labels = [SETTINGS.grade_label(g) for g in OVERALL_GRADES]
    summary = render_summary(SERVICE, AS_OF)
    assert [line.strip().rsplit(None, 2)[0] for line in summary.splitlines() if line.startswith("    ")] == labels
    assert stats.mix(OVERALL_GRADES).counts == (1, 1, 1, 1, 1)  # counts in the same order
    form = submit_context(SERVICE)
    assert [g["label"] for g in form["overall_grades"]] == labels
    assert [(g["value"], g["label"]) for g in form["domain_grades"]] == [(g.value, SETTINGS.grade_label(g))
                                                                         for g in DOMAIN_GRADES]


def test_the_meeting_pack_labels_a_domain_that_does_not_apply_as_the_form_does() -> None:
    pack = dict(render_meeting_pack(SERVICE, "2026-08", AS_OF, time(10, 0)).files)["meeting-2026-08.md"]
    assert "Not applicable" in pack and "not-applicable" not in pack
