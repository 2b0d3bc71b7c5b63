"""Disclosure control on the learning site (issue 9, item 8): nothing withheld can be worked out.

Three parts:

- the engine, ``ehqa.privacy.disclosure``, on small tables whose answer is known;
- the site's pages, for the demo and for generated services (small, with many small teams, and
  larger), at several dates, read by ``tests/attacker.py``: it takes every published figure, models
  how they relate, and solves for every withheld one with linear programmes (``tests/attacker_lp.py``);
- what must hold besides: no count of people or cases from 1 to 4, no follow-up that is one person's
  work (kept in the private meeting pack instead), no figure of a cycle before its QA meeting, charts
  that show only what their tables show.

The pages come from ``site_pages`` (the Markdown MkDocs is given, its tables already HTML) with every chart
collected, not drawn; ``tests/cli/test_build.py`` runs the same attacker over the built demo site, its
SVGs and its search index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

import attacker
import attacker_lp
from conftest import ROOT
from ehqa.load.repository import load_repository
from ehqa.model import Grade
from ehqa.site.build import SOURCE_TREE
from ehqa.site.pages import site_pages

# R21: the site spreads the learning and never gives a withheld figure away
pytestmark = pytest.mark.rule("R21")

TEMPLATES = SOURCE_TREE / "site_templates"  # those of the ehqa under test
PERSONAL_RULES = {"R12", "R15", "R16"}  # the Head of Service for QA's, and the QA officer's

# Generated services: (name, `ehqa demo` options). Dates are the demo's "today".
SERVICES = {
    "tiny": ["--seed", "7", "--cycles", "6", "--teams", "2", "--staff-per-team", "5", "--cases-per-cycle", "3",
             "--end", "2026-06", "--as-of", "2026-06-30"],
    "many-small-teams": ["--seed", "11", "--cycles", "14", "--teams", "12", "--staff-per-team", "4",
                         "--cases-per-cycle", "5", "--end", "2026-03", "--as-of", "2026-03-31"],
    "larger": ["--seed", "3", "--cycles", "13", "--teams", "4", "--staff-per-team", "10", "--cases-per-cycle", "30",
               "--end", "2026-01", "--as-of", "2026-01-31"],
}
CASES = [("demo", "2026-11-26"), ("demo", "2025-07-01"), ("tiny", "2026-06-15"), ("tiny", "2026-07-15"),
         ("many-small-teams", "2026-04-10"), ("many-small-teams", "2025-09-01"),
         pytest.param("larger", "2026-02-20", marks=pytest.mark.slow)]
# The larger service runs only with `pytest --slow`: as the complete draw (issue 12) generates it, the LP attacker
# takes half an hour on it (30 min 22 s for its four tests, 2 December 2026), past CI's budget for the whole suite.
# It passes: the gap it showed on 1 December (a team's Good share for a year, 34 of 63, worked out from a year's Good
# or better less the other teams', a sum no table shows) is closed by ``privacy.implied``, which gives the
# disclosure control's own audit the sums a reader adds up (2026-12-02; its like on many-small-teams, 2025-09-01,
# a team's Good share of 2 of 5, is in CASES above).


# --- the engine, on tables whose answer is known -------------------------------------------------------

def Tables(threshold: int):  # noqa: N802  (imported here, so that the site's tests run against any ehqa)
    from ehqa.privacy.disclosure import Tables

    return Tables(threshold)


def _row(tables, name: str, cells: dict[str, int]) -> list:
    keys = [tables.quantity((name, c), v) for c, v in cells.items()]
    total = tables.total((name, "total"), keys)
    for key in (*keys, total):
        tables.count(key)
    return keys


def test_a_small_count_is_withheld_with_a_second_so_that_the_total_does_not_give_it_away() -> None:
    tables = Tables(5)
    _row(tables, "row", {"good": 9, "requires improvement": 2, "inadequate": 7})
    decision = tables.decide()
    assert not decision.shown(("row", "requires improvement"))  # primary: 2 is from 1 to 4
    assert not decision.shown(("row", "good")) or not decision.shown(("row", "inadequate")), \
        "with only one cell withheld, the total less the others gives it"
    assert decision.shown(("row", "total"))


def test_one_team_withheld_is_not_the_year_less_the_other_teams() -> None:
    """The finding: the year page published totals beside team rows, so one team's grades were the total
    less the rows shown."""
    tables = Tables(5)
    teams = {"north": {"good": 8, "ri": 6}, "south": {"good": 7, "ri": 2}, "east": {"good": 9, "ri": 5}}
    rows = {team: _row(tables, team, cells) for team, cells in teams.items()}
    for index, grade in enumerate(("good", "ri")):
        total = tables.total(("year", grade), [rows[t][index] for t in teams])
        tables.count(total)
    decision = tables.decide()
    assert not decision.shown(("south", "ri"))
    column = [("north", "ri"), ("east", "ri"), ("year", "ri")]
    assert not all(decision.shown(key) for key in column), "the year less north and east gives south"
    published = {key: q.value for key, q in tables.quantities.items() if decision.shown(key)}
    low, high = tables.bounds(published)
    assert low[("south", "ri")] == 0 and high[("south", "ri")] >= 5, (low[("south", "ri")], high[("south", "ri")])


def test_a_group_whose_members_all_share_one_grade_is_withheld() -> None:
    tables = Tables(5)
    keys = _row(tables, "team", {"good": 12, "ri": 0, "inadequate": 0})
    tables.protect(*keys)  # what figures.py does for a row all in one grade
    decision = tables.decide()
    assert not any(decision.shown(key) for key in keys)
    published = {key: q.value for key, q in tables.quantities.items() if decision.shown(key)}
    low, high = tables.bounds(published)
    assert low[("team", "good")] < high[("team", "good")], "all 12 Good can still be worked out"


def test_a_figure_withheld_to_protect_another_is_shown_when_it_can_be_worked_out_all_the_same() -> None:
    tables = Tables(5)
    cells = [tables.quantity(("m", g), v) for g, v in (("a", 3), ("b", 0), ("c", 6))]
    total = tables.total(("m", "total"), cells)
    for key in (*cells, total):
        tables.count(key)
    twice = tables.total(("m", "a+b"), cells[:2])  # another table gives a + b: it pins b once a is known...
    tables.count(twice, withhold=True)
    decision = tables.decide()
    assert not decision.shown(("m", "a"))
    published = {key: q.value for key, q in tables.quantities.items() if decision.shown(key)}
    low, high = tables.bounds(published)
    for key in decision.withheld:
        if key in tables.quantities and not tables.quantities[key].protected:
            assert low[key] < high[key], f"{key} is withheld but a reader can fill it in"


def _teams_and_year(tables, teams: dict[str, tuple[int, ...]]) -> None:
    """A year's grades by team, as the site's year page has them: each row's cells, its size, its Good or better
    (the first two grades) with its share, and the year's row, each grade the sum of the teams'."""
    grades = ("outstanding", "good grade", "requires improvement", "inadequate")
    for row, counts in [*teams.items(), ("year", None)]:
        if counts is None:
            cells = [tables.total(("year", g), [(team, g) for team in teams]) for g in grades]
        else:
            cells = [tables.quantity((row, g), c) for g, c in zip(grades, counts)]
        size = tables.total((row, "n"), cells, sensitive=False)
        good, below = tables.total((row, "good"), cells[:2]), tables.total((row, "below"), cells[2:])
        tables.relate(size, [good, below])
        for key in (size, *cells):
            tables.count(key)
        tables.share(("share", row), good, size)


def test_a_team_withheld_is_not_the_years_good_or_better_less_the_other_teams() -> None:
    """Issue 13: the year's Good or better less the other teams' (each a share of a size shown) gave one team's,
    withheld, though every grade column has a cell withheld: no relation alone pins it, so interval propagation
    missed it; the LP attacker did not. The audit adds the relation a reader adds up (``privacy.implied``)."""
    from ehqa.privacy.implied import transposed

    tables = Tables(5)
    _teams_and_year(tables, {"west": (1, 1, 2, 1), "others": (0, 22, 8, 3)})
    implied = transposed((r.total, r.parts) for r in tables.relations)
    assert (("year", "good"), (("west", "good"), ("others", "good"))) in implied
    decision = tables.decide()
    assert not decision.shown(("share", "west"))  # primary: 2 Good or better, from 1 to 4
    assert not (decision.shown(("share", "year")) and decision.shown(("share", "others"))), \
        "the year's 24 Good or better less the other teams' 22 gives west's 2"
    low, high = tables.bounds({("year", "good"): 24, ("others", "good"): 22, ("others", "n"): 33, ("year", "n"): 38})
    assert low[("west", "good")] == high[("west", "good")] == 2, "the audit does not see what a reader adds up"


def test_follow_ups_of_a_role_one_person_holds_are_personal() -> None:
    from ehqa.privacy.disclosure import personal_roles

    service = load_repository(ROOT).service
    as_of = date(2026, 11, 3)
    personal = personal_roles(service.settings, service.staff, as_of)
    assert {"qa-officer", "head-of-service-qa"} <= personal
    assert not {"auditor", "team-manager", "action owner"} & personal
    two_managers = [p for p in service.staff.listed if p.role.value != "team-manager"]
    two_managers += [p for p in service.staff.listed if p.role.value == "team-manager"][:2]
    from dataclasses import replace

    fewer = replace(service.staff, listed=tuple(two_managers))
    assert "team-manager" in personal_roles(service.settings, fewer, as_of), \
        "with two team managers, each could work out the other's record from their own"


# --- the site, read by the attacker -----------------------------------------------------------------------

@dataclass
class Site:
    service: object
    pages: dict[str, str]
    charts: list
    k: int


@pytest.fixture(scope="module")
def services(generated_service):
    """services(name): the demo, or a service generated by ``ehqa demo`` with its SERVICES options when first asked
    for (a slow case's service is made only when the case runs)."""
    return lambda name: ROOT if name == "demo" else generated_service(SERVICES[name])


@pytest.fixture(scope="module")
def sites(services):
    cache: dict[tuple[str, str], Site] = {}

    def get(name: str, as_of: str) -> Site:
        if (name, as_of) not in cache:
            service = load_repository(services(name)).service
            charts: list = []
            pages = site_pages(service, date.fromisoformat(as_of), TEMPLATES, lambda c: charts.append(c) or c)
            cache[name, as_of] = Site(service, {p.path: p.text for p in pages}, charts,
                                     getattr(service.settings, "min_count", 5))  # 5 before the setting existed
        return cache[name, as_of]

    return get


def _labels(service) -> list[str]:
    return [d.label for g, d in service.settings.grades.items() if g is not Grade.NOT_APPLICABLE]


def _read(site: Site) -> attacker.Reader:
    reader = attacker.Reader(_labels(site.service), site.k)
    for where, text in sorted(site.pages.items()):
        reader.read(where, text)
    return reader


@pytest.mark.parametrize("name,as_of", CASES)
def test_the_attacker_works_out_nothing_that_is_withheld(sites, name: str, as_of: str) -> None:
    reader = _read(sites(name, as_of))
    assert not reader.unknown, "\n".join(reader.unknown)
    model = reader.relations()
    assert not model.problems, "a figure differs between pages:\n" + "\n".join(model.problems)
    assert not model.clashes(), "\n".join(model.clashes())
    assert model.withheld, "nothing is withheld: the attacker has nothing to try (check the parsing)"
    found = attacker_lp.disclosed(model)
    assert not found, f"{len(found)} withheld figures can be worked out:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name,as_of", CASES)
def test_no_count_of_people_or_cases_from_1_to_4_and_no_unchecked_number(sites, name: str, as_of: str) -> None:
    """Every count of audits by grade, of follow-ups, actions and re-audits is 0 or at least k where shown.
    Not withheld, by design: the number of audits in a period (the sample's size, set by the allocation,
    R4) and the learning themes' counts (each excerpt is published with its themes)."""
    site = sites(name, as_of)
    model = _read(site).relations()
    small = sorted(((key, v) for key, v in model.values.items() if key[0] != "n" and 1 <= v < site.k), key=repr)
    assert not small, f"counts from 1 to {site.k - 1} are shown: {small[:20]}"
    left = [line for where, text in sorted(site.pages.items())
            if where.startswith(("index", "cycles/", "years/", "themes/")) for line in attacker.residue(where, text)]
    assert not left, "numbers on the pages that no check reads:\n" + "\n".join(left[:20])


@pytest.mark.parametrize("name,as_of", CASES)
def test_no_follow_up_that_is_one_persons_work_is_counted(sites, name: str, as_of: str) -> None:
    site = sites(name, as_of)
    for where, text in site.pages.items():
        for table in attacker.tables(attacker.article(text)):
            if table.caption.startswith("Follow-ups"):
                rules = {row[0] for row in table.rows}
                assert not rules & PERSONAL_RULES, f"{where}: {sorted(rules & PERSONAL_RULES)} counted"


@pytest.mark.parametrize("name,as_of", CASES)
def test_charts_show_only_what_their_tables_show(sites, name: str, as_of: str) -> None:
    """Every number a chart draws (beyond what is withheld, drawn as one grey part) is on its page, and its
    alt text is too; a chart's withheld part is its row's size less what is shown."""
    site = sites(name, as_of)
    numbers = {where: set(re.findall(r"\d+", attacker.prose(attacker.article(text)) + " " + " ".join(
        " ".join(sum(t.rows, [])) + " " + " ".join(t.total or []) for t in attacker.tables(text))))
        for where, text in site.pages.items()}
    for chart in site.charts:
        pages = [w for w, text in site.pages.items() if chart.path in text or chart.alt.replace("'", "&#x27;") in text
                 or chart.alt in text]
        assert pages, f"chart {chart.title!r} is on no page"
        shown = set().union(*(numbers[w] for w in pages))
        for value in _drawn(chart):
            assert str(round(value)) in shown, f"{chart.title}: draws {value}, which its page does not show"


def _drawn(chart) -> list[float]:
    data = chart.data
    if chart.kind == "stacked_rows":
        keys = [key for key, _ in data["series"]]
        return [v for _, values in data["rows"] for key, v in zip(keys, values) if key != "withheld" and v]
    if chart.kind == "stacked_columns":
        return [v for key, _, values in data["series"] if key != "withheld" for v in values if v]
    if chart.kind == "compare":
        return [v for _, values in data["series"] for v in values if v]
    if chart.kind == "heatmap":
        return [v for row in data["cells"] for v in row if isinstance(v, (int, float))]
    return [v for v in data.get("values", []) if v]


def test_a_cycle_publishes_no_figure_before_its_qa_meeting(sites) -> None:
    """tiny's June cycle: every audit is in by 12 June, the meeting is on 16 June. On the 15th its page says
    what is coming and gives no figure; nor does any other page count its audits. On the 17th it reports."""
    before, after = sites("tiny", "2026-06-15"), sites("tiny", "2026-06-17")
    page = before.pages["cycles/2026-06.md"]
    assert "Findings after the QA meeting" in page and "Tuesday 16 June 2026" in page
    assert "<table>" not in page and "cases audited" not in page and "ehqa-excerpts" not in page
    year = before.pages["years/2026.md"]
    assert re.search(r"June 2026</a></th><td[^>]*>[^<]*</td><td>–</td><td>–</td>", year), "June's row has figures"
    def excerpts(june: bool) -> set[str]:
        return {" ".join(a.learning_excerpt.split()) for a in before.service.audits if (a.cycle == "2026-06") == june}

    only_june = excerpts(True) - excerpts(False)
    assert only_june, "the test needs an excerpt only June has"
    flat = {where: " ".join(text.split()).replace("&#x27;", "'") for where, text in before.pages.items()}
    assert not [w for w, text in flat.items() for e in only_june if e in text], "June's excerpts are published"
    reported = int(re.search(r"(\d+) audits reported", before.pages["index.md"])[1])
    audits = sum(1 for a in before.service.audits if a.cycle != "2026-06")
    assert reported == audits
    assert "cases audited" in after.pages["cycles/2026-06.md"] and "<table>" in after.pages["cycles/2026-06.md"]


def test_the_meeting_pack_counts_what_the_site_leaves_out() -> None:
    from datetime import time

    from ehqa.documents.meeting_pack import render_meeting_pack

    service = load_repository(ROOT).service
    pack = render_meeting_pack(service, "2026-10", date(2026, 10, 20), time(10, 0))
    text = dict(pack.files)["meeting-2026-10.md"]
    section = text.split("## Follow-ups that are one person's work", 1)[1]
    rules = set(re.findall(r"^\| (R\d+) \|", section, re.M))
    assert PERSONAL_RULES <= rules, f"the pack counts only {sorted(rules)}"
    officer = next(p.name for p in service.staff.listed if p.role.value == "qa-officer")
    assert officer in section
