"""R22: the training needs, grouped by learning theme and domain (``model.training_needs``), and the periods
the supervision packs and the training needs take (``model.periods``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import AS_OF, FIXTURE_SERVICE
from ehqa.load.repository import load_repository
from ehqa.model import Grade, Record, WorkerQuestion
from ehqa.model.periods import parse_period
from ehqa.model.training_needs import (
    AREA,
    BELOW_GOOD,
    SUPPORT,
    Need,
    asks_for_something,
    by_domain,
    by_theme,
    grouped_rows,
    support_question,
    training_needs,
)

pytestmark = pytest.mark.rule("R22")


@pytest.fixture(scope="module")
def service():
    return load_repository(FIXTURE_SERVICE).service


def test_a_year_and_a_quarter_are_periods_and_nothing_else_is() -> None:
    assert parse_period("2026").months == tuple(f"2026-{m:02d}" for m in range(1, 13))
    quarter = parse_period("2026-q4")
    assert quarter.label == "2026-Q4" and quarter.months == ("2026-10", "2026-11", "2026-12")
    assert quarter.words == "October to December 2026"
    for bad in ("2026-Q5", "2026-10", "26", "2026-Q"):
        assert parse_period(bad) is None


def test_the_support_question_is_the_one_whose_id_or_prompt_names_support(service) -> None:
    assert support_question(service.settings) == "support"  # the sample service's
    demo = replace(service.settings, worker_questions=(WorkerQuestion("challenges", "What challenges?"),
                                                       WorkerQuestion("support-needed", "What would help?")))
    assert support_question(demo) == "support-needed"
    by_prompt = replace(service.settings, worker_questions=(WorkerQuestion("help", "What training would help you?"),))
    assert support_question(by_prompt) == "help"
    assert support_question(replace(service.settings, worker_questions=(WorkerQuestion("x", "Anything else?"),))) is None


@pytest.mark.parametrize("answer,asks", [
    ("Supervision more often, and training on spotting neglect.", True),
    ("Some bereavement training for the team.", True),
    ("Nothing more; the team were brilliant.", False),
    ("None.", False),
    ("n/a", False),
    ("", False),
    ("No, but training on neglect would help.", True),
])
def test_an_answer_that_asks_for_nothing_is_no_need(answer: str, asks: bool) -> None:
    assert asks_for_something(answer) is asks


def test_every_area_for_development_below_good_domain_and_request_for_support_is_a_need(service) -> None:
    audits = [a for a in service.audits if a.cycle == "2026-08"]
    needs = training_needs(service, audits, AS_OF)
    assert [n.text for n in needs if n.kind == AREA] == [area for a in sorted(audits, key=lambda a: a.source)
                                                         for area in a.areas_for_development]
    below = {(n.audit, n.domain) for n in needs if n.kind == BELOW_GOOD}
    assert below == {(a.key, d) for a in audits for d, j in a.domains.items()
                     if j.grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)}
    support = [n for n in needs if n.kind == SUPPORT]
    assert [n.audit for n in support] == ["2026-08/9104217"]
    assert "training on spotting neglect" in support[0].text
    assert all(n.team in ("eh-north", "eh-south") and n.themes for n in needs)


def test_a_domain_revised_on_review_counts_as_it_stands(service) -> None:
    """R12: a review that revised a domain to Good takes it out of the needs; the audit's own grade no longer counts."""
    audit, domain = next((a, d) for a in service.audits if a.cycle == "2026-08"
                         for d, j in a.domains.items() if j.grade is Grade.REQUIRES_IMPROVEMENT)
    review = Record(source=f"audits/{audit.cycle}/{audit.case}.records/x.review.jbryant.yaml", kind="review",
                    case=audit.case, cycle=audit.cycle, by="jbryant", date=date(2026, 9, 1),
                    outcome="findings-revised", overall=audit.overall, domains={domain: Grade.GOOD})
    revised = replace(service, records=[*service.records, review])
    before = {(n.audit, n.domain) for n in training_needs(service, [audit], AS_OF)}
    after = {(n.audit, n.domain) for n in training_needs(revised, [audit], AS_OF)}
    assert (audit.key, domain) in before and (audit.key, domain) not in after
    assert (audit.key, domain) in {(n.audit, n.domain) for n in training_needs(revised, [audit], date(2026, 8, 31))}


def test_an_audit_with_two_themes_counts_once_under_each_and_a_domain_once_per_audit() -> None:
    needs = [Need(AREA, "2026-08/1", "2026-08", "a", ("neglect", "voice")),
             Need(AREA, "2026-08/1", "2026-08", "a", ("neglect", "voice"), text="second area"),
             Need(BELOW_GOOD, "2026-08/1", "2026-08", "a", ("neglect", "voice"), "planning", Grade.INADEQUATE),
             Need(BELOW_GOOD, "2026-08/2", "2026-08", "b", ("neglect",), "planning", Grade.REQUIRES_IMPROVEMENT),
             Need(SUPPORT, "2026-08/2", "2026-08", "b", ("neglect",), text="training")]
    themes = by_theme(needs)
    assert themes["neglect"] == {AREA: {"2026-08/1"}, BELOW_GOOD: {"2026-08/1", "2026-08/2"}, SUPPORT: {"2026-08/2"}}
    assert themes["voice"] == {AREA: {"2026-08/1"}, BELOW_GOOD: {"2026-08/1"}, SUPPORT: set()}
    assert by_domain(needs) == {"planning": {"2026-08/1", "2026-08/2"}}
    assert grouped_rows(needs) == [("neglect", "", AREA, 2, 1), ("neglect", "planning", BELOW_GOOD, 2, 2),
                                   ("neglect", "", SUPPORT, 1, 1), ("voice", "", AREA, 2, 1),
                                   ("voice", "planning", BELOW_GOOD, 1, 1)]
