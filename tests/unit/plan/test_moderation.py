"""The moderation draw (issue 14, R12): the sample's size, its strata, its moderators (never one involved in the case
or the audit, the work shared), and its seed."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_SERVICE as FIXTURE
from ehqa.load.repository import load_repository
from ehqa.model import Grade, Role
from ehqa.plan.moderation import ModerationRequest, draw, sample_size
from ehqa.rules.grading import involved

DRAWN = date(2026, 11, 2)


@pytest.fixture(scope="module")
def service():
    return load_repository(FIXTURE).service


def request(service, sample="100%", seed=1, grades=None, staff=None) -> ModerationRequest:
    audits = [a for a in service.audits if a.cycle == "2026-10"]
    graded = tuple((a, (grades or {}).get(a.case, service.effective_grades(a).overall)) for a in audits)
    return ModerationRequest(service.cycles["2026-10"], graded, staff or service.staff, sample, seed, DRAWN)


@pytest.mark.parametrize(("sample", "population", "size"), [
    ("10%", 12, 2), ("10%", 3, 1), ("100%", 7, 7), ("3", 12, 3), ("30", 12, 12), ("50%", 0, 0)])
def test_sample_size_is_a_number_or_a_share_rounded_up_at_least_one(sample, population, size) -> None:
    assert sample_size(sample, population) == size


@pytest.mark.parametrize("bad", ["0", "0%", "101%", "ten", "-3", "5.5%"])
def test_a_sample_size_in_neither_form_is_refused(bad) -> None:
    with pytest.raises(ValueError, match="a number of audits"):
        sample_size(bad, 10)


@pytest.mark.rule("R12")
def test_no_moderator_was_involved_in_the_case_or_the_audit(service) -> None:
    result = draw(request(service))
    assert len(result.cases) == 5 and result.complete
    cycle = service.cycles["2026-10"]
    audits = {a.case: a for a in service.audits if a.cycle == "2026-10"}
    for moderated in result.cases:
        audit = audits[moderated.case]
        out = involved(service.staff, cycle.nomination(audit.case), audit.auditors)
        assert moderated.moderator not in out
        assert service.staff.get(moderated.moderator).role in (Role.QA_OFFICER, Role.HEAD_OF_SERVICE_QA)
    assert max(Counter(c.moderator for c in result.cases).values()) == 3  # five audits shared by two moderators


@pytest.mark.rule("R12")
def test_a_named_moderator_is_used_but_never_on_a_case_they_were_involved_in(service) -> None:
    staff = service.staff
    named = {"rkhan", "gwalsh"}  # senior leadership, at the top of every chain; an auditor of 9160347 and 9166102
    listed = tuple(replace(p, moderator=True) if p.id in named else p for p in staff.listed)
    for seed in range(10):
        result = draw(request(service, staff=replace(staff, listed=listed), seed=seed))
        by_case = {c.case: c.moderator for c in result.cases}
        assert "rkhan" not in by_case.values()
        assert by_case["9160347"] != "gwalsh" and by_case["9166102"] != "gwalsh"
        assert "gwalsh" in by_case.values()  # on a case of the other pair: three moderators share five audits


@pytest.mark.rule("R12")
def test_nobody_eligible_stops_the_draw_naming_the_case(service) -> None:
    staff = service.staff
    listed = tuple(replace(p, left=date(2026, 10, 30)) if p.id in ("tpatel", "jbryant") else p for p in staff.listed)
    result = draw(request(service, staff=replace(staff, listed=listed)))
    assert not result.complete and not result.cases
    assert all("nobody may moderate case" in why for _case, why in result.nobody)


def test_the_sample_is_stratified_by_overall_grade(service) -> None:
    grades = {"9104217": Grade.INADEQUATE, "9160347": Grade.INADEQUATE, "9166102": Grade.GOOD,
              "9171829": Grade.GOOD, "9178456": Grade.GOOD}
    for seed in range(20):
        result = draw(request(service, sample="2", seed=seed, grades=grades))
        assert Counter(c.grade for c in result.cases) == {Grade.INADEQUATE: 1, Grade.GOOD: 1}, seed


def test_the_same_seed_draws_the_same_sample_and_another_seed_may_not(service) -> None:
    first = draw(request(service, sample="2", seed=11))
    assert draw(request(service, sample="2", seed=11)) == first
    assert any(draw(request(service, sample="2", seed=s)).cases != first.cases for s in range(12, 20))


@pytest.mark.rule("R12", "R13")
def test_the_auditor_who_could_not_take_part_is_involved_too(service) -> None:
    """9171829 was completed by aevans alone, ejones being off sick (R13): ejones was allocated it, so does not
    moderate it."""
    from ehqa.rules.grading import audit_people

    audit = service.audits_by_key()["2026-10/9171829"]
    assert audit.auditors == ("aevans",)
    found = involved(service.staff, service.cycles["2026-10"].nomination(audit.case), audit_people(audit))
    assert {"aevans", "ejones"} <= set(found)
