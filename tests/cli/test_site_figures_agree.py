"""Issue 13, items 1–5: the learning site's figures agree, and its pages lead with learning, in plain words.

The pages are those ``ehqa build`` gives MkDocs (``site_pages``; charts collected, not drawn, which keeps this
fast), for the committed demo and for services ``ehqa demo`` generates at a small scale, each at several dates:
before and after a cycle's QA meeting, and after the newest cycle's. ``tests/attacker.py`` reads every figure of
every page (tables, prose, alt text) and names it by what it counts; here every figure read twice must read the
same, every total must be the sum of its parts where all are shown, and every number must be one it reads.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

import attacker
from attacker_pages import MONTHS, _text
from conftest import ROOT
from ehqa.load.repository import load_repository
from ehqa.model import Grade
from ehqa.site.build import SOURCE_TREE
from ehqa.site.pages import site_pages

pytestmark = pytest.mark.rule("R21")

TEMPLATES = SOURCE_TREE / "site_templates"
# Generated services, small: (name, `ehqa demo` options); their dates are the demo's "today".
SERVICES = {
    "tiny": ["--seed", "7", "--cycles", "6", "--teams", "2", "--staff-per-team", "5", "--cases-per-cycle", "3",
             "--end", "2026-06", "--as-of", "2026-06-30"],
    "small": ["--seed", "5", "--cycles", "9", "--teams", "3", "--staff-per-team", "6", "--cases-per-cycle", "6",
              "--end", "2026-09", "--as-of", "2026-09-10"],
}
# The demo on its today and after its newest cycle's meeting (17 November); tiny before and after June's
# meeting (16 June) and a month after; small before its September meeting and after it.
CASES = [("demo", "2026-11-03"), ("demo", "2026-12-01"), ("tiny", "2026-06-15"), ("tiny", "2026-06-17"),
         ("tiny", "2026-07-15"), ("small", "2026-09-10"), ("small", "2026-10-01")]
AFTER_THE_LAST_MEETING = [("demo", "2026-12-01"), ("tiny", "2026-07-15"), ("small", "2026-10-01")]
REPORTS = ("index", "cycles/", "years/", "themes/", "training")
DAY = r"\b\d{1,2} (?:%s) \d{4}\b" % "|".join(MONTHS)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"


@dataclass
class Site:
    service: object
    as_of: date
    pages: dict[str, str]  # path -> generated Markdown
    charts: list


@pytest.fixture(scope="module")
def services(generated_service) -> dict[str, Path]:
    return {"demo": ROOT} | {name: generated_service(options) for name, options in SERVICES.items()}


@pytest.fixture(scope="module")
def sites(services):
    cache: dict[tuple[str, str], Site] = {}
    loaded: dict[str, object] = {}

    def get(name: str, as_of: str) -> Site:
        if (name, as_of) not in cache:
            service = loaded.setdefault(name, load_repository(services[name]).service)
            charts: list = []
            pages = site_pages(service, date.fromisoformat(as_of), TEMPLATES, lambda c: charts.append(c) or c)
            cache[name, as_of] = Site(service, date.fromisoformat(as_of), {p.path: p.text for p in pages}, charts)
        return cache[name, as_of]

    return get


def _flat(text: str) -> str:
    return " ".join(text.split())


def _tables(site: Site, where: str, caption: str) -> list:
    return [t for t in attacker.tables(site.pages[where]) if t.caption.startswith(caption)]


def _number(cell: str):
    return int(cell) if cell.isdigit() else None


# --- every number in the prose equals the table it summarises -------------------------------------------

@pytest.mark.parametrize("name,as_of", CASES)
def test_every_number_in_the_prose_equals_the_table_it_summarises(sites, name: str, as_of: str) -> None:
    """Every figure a page gives, in prose, alt text or a table, is read and named by what it counts; one read twice
    (the same page or another) reads the same; a total is the sum of its parts where every part is shown; and no
    number on a report page is left unread."""
    site = sites(name, as_of)
    labels = [d.label for g, d in site.service.settings.grades.items() if g is not Grade.NOT_APPLICABLE]
    reader = attacker.Reader(labels, site.service.settings.min_count)
    for where, text in sorted(site.pages.items()):
        reader.read(where, text)
    assert not reader.unknown, "\n".join(reader.unknown)
    model = reader.relations()
    assert not model.problems, "a figure reads differently in two places:\n" + "\n".join(model.problems)
    wrong = [f"{total} = {model.values[total]}, its parts {[(p, model.values[p]) for p in parts]}"
             for total, parts in model.sums
             if total in model.values and all(p in model.values for p in parts)
             and model.values[total] != sum(model.values[p] for p in parts)]
    assert not wrong, "a total is not the sum of its parts:\n" + "\n".join(wrong[:10])
    off = [(part, whole, percent) for part, whole, percent in model.shares if part in model.values
           and whole in model.values and model.values[whole] and round(100 * model.values[part] / model.values[whole])
           != percent]
    assert not off, f"a share is not its part of its whole: {off[:10]}"
    left = [line for where, text in sorted(site.pages.items()) if where.startswith(REPORTS)
            for line in attacker.residue(where, text)]
    assert not left, "numbers no check reads:\n" + "\n".join(left[:20])


# --- item 1: R13 is one figure ------------------------------------------------------------------------------

def _on_time_by_cycle(site: Site) -> dict[str, tuple]:
    found = {}
    for where, text in site.pages.items():
        if m := re.search(r"(\[c\]|\d+) of (\d+) audits were submitted by the due date",
                          _flat(attacker.prose(text))):
            found[where] = (_number(m[1]), int(m[2]))
    return found


@pytest.mark.parametrize("name,as_of", CASES)
def test_item1_audits_submitted_on_time_read_the_same_on_cycle_year_and_home_pages(sites, name, as_of) -> None:
    """R13, counted once: a year's follow-ups give for R13 the sum of its cycles' "x of y audits were submitted by
    the due date" (every audit allocated: on time, or late, or overdue); the home page's row is the year's."""
    site = sites(name, as_of)
    cycles = _on_time_by_cycle(site)
    years = {where[6:10] for where in site.pages if re.fullmatch(r"years/\d{4}\.md", where)}
    checked = 0
    for year in sorted(years):
        mine = {w: v for w, v in cycles.items() if w.startswith(f"cycles/{year}-")}
        follow = _tables(site, f"years/{year}.md", "Follow-ups of the audits of")
        reported = {w for w, text in site.pages.items() if w.startswith(f"cycles/{year}-") and "cases audited" in text}
        if not mine or set(mine) != reported:  # a cycle with an audit missing gives no count of its own
            continue
        assert follow, f"{year}: cycles count the audits submitted on time, the year counts no follow-ups"
        rows = [r for r in follow[0].rows if r[0] == "R13"]
        assert rows, f"{year}: its cycles count the audits submitted on time (R13); its follow-ups have no R13 row"
        on_time, late, overdue, open_ = (_number(c) for c in rows[0][2:6])
        allocated = sum(total for _, total in mine.values())
        if None not in (on_time, late, overdue, open_):
            assert on_time + late + overdue + open_ == allocated, (year, rows[0], mine)
        if on_time is not None and all(on is not None for on, _ in mine.values()):
            assert on_time == sum(on for on, _ in mine.values()), (year, rows[0], mine)
            checked += 1
        home = [r for t in _tables(site, "index.md", f"Follow-ups of the audits of {year}") for r in t.rows
                if r[0] == "R13"]
        if home:
            assert home[0] == rows[0]
    assert checked or not cycles or name in ("small", "tiny"), "nothing compared"


# --- item 2: SMART actions counted once; every count says what it counts ----------------------------------

@pytest.mark.parametrize("name,as_of", CASES)
def test_item2_smart_actions_are_counted_once_and_each_row_says_what_it_counts(sites, name, as_of) -> None:
    """The SMART actions (R17) are counted in the follow-ups alone, in two rows that say what one follow-up is
    (agreeing the actions, after an audit; meeting each action); no second table counts them otherwise. The
    follow-ups chart's legend uses the table's words ("not yet due", never "open")."""
    site = sites(name, as_of)
    for where, text in site.pages.items():
        for table in attacker.tables(text):
            assert "SMART" not in table.caption, f"{where}: a second count of SMART actions: {table.caption!r}"
            if table.caption.startswith("Follow-ups"):
                for row in table.rows:
                    assert "(one for each" in row[1], f"{where}: {row[0]} {row[1]!r} does not say what it counts"
                r17 = [row[1] for row in table.rows if row[0] == "R17"]
                assert len(set(r17)) == len(r17), (where, r17)
    for chart in site.charts:
        if chart.data.get("style") == "states":
            legend = [label for _, label in chart.data["series"]]
            assert "open" not in legend and "not yet due" in legend, legend


# --- item 3: no meeting held is called to come ------------------------------------------------------------

@pytest.mark.parametrize("name,as_of", CASES)
def test_item3_no_page_calls_a_past_meeting_or_due_date_to_come(sites, name, as_of) -> None:
    """What is to come is after today: the home page's current cycle is one whose QA meeting is still to come, and
    no page says a date before today "is on", "are due by" or is when findings are published."""
    site = sites(name, as_of)
    for where, text in site.pages.items():
        flat = _flat(attacker.prose(text))
        for phrase in ("is on", "are due by", "after its QA meeting on", "Next QA meeting:"):
            for m in re.finditer(rf"{phrase} (?:{WEEKDAY} )?({DAY})", flat):
                when = _parse_day(m[1])
                assert when >= site.as_of, f"{where}: {m[0]!r} as of {as_of}"
    home = _flat(attacker.prose(site.pages["index.md"]))
    if m := re.search(r"Current cycle: ((?:%s) \d{4})" % "|".join(MONTHS), home):
        cycle = next(c for c in site.service.cycles.values() if _month(c.id) == m[1])
        assert cycle.meeting >= site.as_of, f"the home page calls {m[1]} current, its meeting was on {cycle.meeting}"


@pytest.mark.parametrize("name,as_of", AFTER_THE_LAST_MEETING)
def test_item3_after_the_newest_meeting_no_cycle_is_current(sites, name, as_of) -> None:
    site = sites(name, as_of)
    assert all(c.meeting < site.as_of for c in site.service.cycles.values())
    assert "Current cycle" not in site.pages["index.md"]


def _parse_day(text: str) -> date:
    d, month, year = text.split()
    return date(int(year), MONTHS.index(month) + 1, int(d))


def _month(cycle_id: str) -> str:
    return f"{MONTHS[int(cycle_id[5:]) - 1]} {cycle_id[:4]}"


# --- item 4: learning first ---------------------------------------------------------------------------------

def _first(text: str, *marks: str) -> int:
    found = [text.index(m) for m in marks if m in text]
    return min(found) if found else len(text)


@pytest.mark.parametrize("name,as_of", [("demo", "2026-11-03"), ("tiny", "2026-06-17"), ("small", "2026-10-01")])
def test_item4_pages_lead_with_what_staff_can_learn(sites, name, as_of) -> None:
    """The home page opens with the latest cycle's excerpts and strengths, before any date list, chart or table;
    a theme page gives its recent learning before its counts; a cycle page says what went well in words (its
    figures are in the tables below) and gives its learning before any table."""
    site = sites(name, as_of)
    home = site.pages["index.md"]
    assert re.search(r"^## Learning from ", home, re.M), "the home page does not open with learning"
    assert home.index("## Learning from") < home.index("## This month")
    assert home.index('class="ehqa-excerpts"') < _first(home, "<table>", 'class="ehqa-chart"', "## This month")
    for where, text in site.pages.items():
        if where.startswith("themes/") and where != "themes/index.md":
            assert text.index("## Recent learning") < _first(text, "<table>", 'class="ehqa-chart"', "audits** have been")
        if re.fullmatch(r"cycles/\d{4}-\d{2}\.md", where) and "## What went well" in text:
            went_well = text[text.index("## What went well"):text.index("## Areas for development")]
            assert not re.search(r"\d|%", went_well), f"{where}: figures under What went well: {went_well!r}"
            assert text.index('class="ehqa-excerpts"') < _first(text, "<table>", 'class="ehqa-chart"')


# --- item 5: plain language ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,as_of", [("demo", "2026-11-03"), ("small", "2026-10-01")])
def test_item5_rule_numbers_are_linked_to_the_framework_and_dates_read_one_way(sites, name, as_of) -> None:
    """No bare rule number: each R-number on a page (but the framework page, which defines them) links to its
    rule on the framework page, beside words that say what it is. Dates read one way, in words, with the day of
    the week ("Tuesday 17 November 2026"): never 2026-11-17, never without the day. And no "of the theme" echo."""
    site = sites(name, as_of)
    for where, text in site.pages.items():
        if where == "framework.md" or not where.startswith(REPORTS):
            continue
        body = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
        body = re.sub(r'<ul class="ehqa-excerpts">.*?</ul>', " ", body, flags=re.S)
        body = re.sub(r'\balt="[^"]*"', "", body)  # alt text: words for the picture, no links there
        linked = re.sub(r"\[(R\d+)\]\((?:\.\./)*framework\.md#r\d+\)", "", body)
        linked = re.sub(r'<a href="(?:\.\./)*framework\.html#r\d+">R\d+</a>', "", linked)
        bare = re.findall(r".{0,40}\bR\d+\b.{0,20}", linked)
        assert not bare, f"{where}: rule numbers not linked to the framework: {bare[:5]}"
        for m in re.finditer(r"\[(R\d+)\]\([^)#]*#(r\d+)\)", body):
            assert m[1].lower() == m[2], m[0]
        words = _flat(attacker.prose(body))
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", words), f"{where}: a date written as digits"
        for m in re.finditer(DAY, words):
            assert re.search(rf"{WEEKDAY} $", words[:m.start()]), f"{where}: {m[0]!r} without its weekday"
        assert "of the theme:" not in words and "Learning themes of the theme" not in words, where


def _sentences(text: str) -> list[str]:
    return [s for s in (s.strip() for s in re.split(r"(?<=[.!?])\s+", text)) if s]


@pytest.mark.parametrize("as_of", ["2026-11-03", "2026-12-01"])
def test_item5_no_sentence_of_the_demo_excerpts_repeats_on_a_page(sites, as_of) -> None:
    """The demo reads like a real service: no sentence of the excerpts appears twice on any page (a cycle's, a
    theme's twelve cycles, the home page's latest)."""
    site = sites("demo", as_of)
    repeated = []
    for where, text in sorted(site.pages.items()):
        excerpts = [re.sub(r"\s*\([^()]*\)$", "", _flat(_text(li)))
                    for ul in re.findall(r'<ul class="ehqa-excerpts">(.*?)</ul>', text, re.S)
                    for li in re.findall(r"<li>(.*?)</li>", ul, re.S)]
        counts = Counter(s for e in excerpts for s in _sentences(e))
        repeated += [f"{where}: {n}× {s!r}" for s, n in counts.most_common() if n > 1]
    assert not repeated, f"{len(repeated)} sentences repeat:\n" + "\n".join(repeated[:15])
