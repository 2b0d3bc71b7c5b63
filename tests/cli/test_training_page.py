"""Issue 15, item 4 (R22, R21): the learning site's "What training would help" page, on the sample service's
site, built once for the whole run (conftest's ``drawn_charts``, the build other tests share; the leak scan
runs on it, as on every build).

The page exists and is in the navigation; it publishes only counts of audits, with every count of people or
cases from 1 to ``min_count`` - 1 withheld; and it names no case, member of staff or answer anyone wrote.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from attacker_pages import article, tables
from conftest import AS_OF, FIXTURE_SERVICE
from ehqa.load.repository import load_repository
from ehqa.model.training_needs import KINDS, by_theme, training_needs
from ehqa.site import stats

pytestmark = [pytest.mark.rule("R22"), pytest.mark.rule("R21")]


@pytest.fixture(scope="module")
def site(drawn_charts) -> Path:
    return drawn_charts(FIXTURE_SERVICE).parents[2] / "site"  # the charts of the build's work cache, three folders up: its site


@pytest.fixture(scope="module")
def page(site) -> str:
    return (site / "training.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def service():
    return load_repository(FIXTURE_SERVICE).service


def test_the_page_exists_and_every_page_links_to_it_in_the_navigation(site, page) -> None:
    assert "<h1" in page and "What training would help" in page
    for other in ("index.html", "themes/index.html", "years/index.html"):
        assert re.search(r'<a[^>]+href="(\.\./)?training\.html"', (site / other).read_text(encoding="utf-8")), other


def test_a_need_of_fewer_than_min_count_audits_is_withheld(page, service) -> None:
    """Every theme's count of audits with a need is [c] where it is from 1 to min_count - 1 (and the fixture has
    such counts: checked, so that the test cannot pass on a page with nothing to withhold)."""
    k = service.settings.min_count
    published = stats.published_cycles(service.cycles, stats.audits_by_cycle(service), AS_OF)
    titles = {t.id: t.title for t in service.settings.learning_themes}
    truth = {}
    for year in {c[:4] for c in published}:
        audits = [a for c, found in published.items() if c.startswith(year) for a in found]
        for theme, kinds in by_theme(training_needs(service, audits, AS_OF)).items():
            for column, kind in enumerate(KINDS, start=2):
                truth[year, titles.get(theme, theme), column] = len(kinds[kind])
    assert any(1 <= n < k for n in truth.values())
    shown = 0
    for table in tables(article(page)):
        year = re.match(r"What training would help, (\d{4})", table.caption)[1]
        for row in table.rows:
            for column, cell in enumerate(row[1:], start=1):
                if column == 1 and "learning theme" in table.caption:
                    continue  # audits tagged: published with each excerpt, never withheld
                if cell != "[c]":
                    shown += 1
                    assert cell.isdigit() and (int(cell) == 0 or int(cell) >= k), (table.caption, row)
                if "learning theme" in table.caption and column >= 2:
                    n = truth.get((year, row[0], column), 0)  # a theme with no need at all: 0
                    assert cell == "[c]" or int(cell) == n
                    if 1 <= n < k:
                        assert cell == "[c]", (table.caption, row)


def test_the_page_names_no_case_no_member_of_staff_and_quotes_nobody(page, service) -> None:
    text = unescape(re.sub(r"<[^>]+>", " ", article(page)))
    staff = yaml.safe_load((FIXTURE_SERVICE / "staff.yaml").read_text(encoding="utf-8"))["staff"]
    for person in staff:
        for part in (person["name"], person["id"]):
            assert part not in text
    for audit in service.audits:
        assert audit.case not in text
        for written in (*audit.areas_for_development, *audit.strengths):
            assert " ".join(written.split()) not in " ".join(text.split())
    for form in service.worker_forms:
        for answer in form.answers.values():
            assert " ".join(answer.split()) not in " ".join(text.split())
