"""The figures of the learning site's "What training would help" page (``training_page``) (R22: audit outcomes inform training needs), year by year.

The needs are ``model.training_needs``'s, the one grouping the private CSV uses too: areas for development,
domains graded below Good as the grades stand (R12), and what practitioners asked for in the Perspective of
Worker form's question on support. Published only as counts of audits, with disclosure control (R21): each
is a figure of ``figures.Figures`` (``register`` adds them to its tables before it decides what is withheld), so
that a count here is the same, and as withheld, as anywhere else on the site, and nothing withheld here can be
worked out from another page. Never a case, a person or what anyone wrote.

- By learning theme: the audits tagged with it (not withheld: every excerpt is published with its themes), and of
  those, how many had an area for development, a domain below Good, or a practitioner asking for support; a
  count, and how many did not have the need, from 1 to ``min_count`` - 1 is withheld, so is a count where every
  audit of the theme had the need, and every count of a theme with fewer than ``min_count`` audits.
- By domain: how many audits of the year graded it below Good: the sum of the cycles' own figures, related to
  them, so withheld alike. How many graded it is not shown: with the year's audits, it would tell the domains
  not applicable in a cycle, which the cycle pages withhold when few.
"""

from __future__ import annotations

from ehqa.model import Audit
from ehqa.model.training_needs import AREA, BELOW_GOOD, KINDS, NO_THEME, SUPPORT, by_theme, training_needs

COLUMNS = {
    AREA: "with areas for development",
    BELOW_GOOD: "with a domain below Good",
    SUPPORT: "practitioner asked for support",
}


def register(figures, year: str, cycle_ids: list[str], audits: list[Audit]) -> None:
    """The year's training figures, added to the tables of ``figures`` (a ``figures.Figures``, which calls this
    before it decides what is withheld)."""
    t, k = figures.tables, figures.k
    needs = training_needs(figures.service, audits, figures.as_of)
    grouped = by_theme(needs)
    tagged: dict[str, int] = {}
    for audit in audits:
        for theme in audit.learning_themes or (NO_THEME,):
            tagged[theme] = tagged.get(theme, 0) + 1
    order = [th.id for th in figures.service.settings.learning_themes]
    themes = [th for th in order if th in tagged] + sorted(th for th in tagged if th not in order)
    figures.training_themes[year] = themes
    for theme in themes:
        size = t.quantity(("tt", year, theme), tagged[theme], sensitive=False)
        t.count(size)  # shown: a reader knows it
        for kind in KINDS:
            n = len(grouped.get(theme, {}).get(kind, ()))
            having = t.quantity(("tk", year, theme, kind), n)
            lacking = t.quantity(("tk-not", year, theme, kind), tagged[theme] - n)
            t.relate(size, [having, lacking])
            t.count(having)
            if tagged[theme] < k or n == tagged[theme]:
                t.protect(having, lacking)
    domains = [d for d in _domains(figures, cycle_ids)]
    figures.training_domains[year] = domains
    for domain in domains:
        cycles = [c for c in cycle_ids if domain in figures.domains.get(c, ())]
        graded = t.total(("tg", year, domain), [("graded", c, domain) for c in cycles])
        below = t.total(("tb", year, domain), [("dbelow", c, domain) for c in cycles])
        good = t.total(("tgood", year, domain), [("dgood", c, domain) for c in cycles])
        t.relate(graded, [good, below])
        t.count(below)  # the audits that graded it are not shown: a year's total would pin a cycle's not-applicable
        n, b = t.quantities[graded].value, t.quantities[below].value
        if n < k:
            t.protect(graded, good, below)
        elif b == n:
            t.protect(good, below)


def _domains(figures, cycle_ids: list[str]) -> list[str]:
    found: list[str] = []
    for cycle_id in cycle_ids:
        found += [d for d in figures.domains.get(cycle_id, ()) if d not in found]
    return found


def theme_rows(figures, year: str) -> list[tuple[str, int, tuple]]:
    """(theme, audits tagged, the counts of each kind of need, each a value or WITHHELD)."""
    return [
        (theme, figures.value(("tt", year, theme)), tuple(figures.count(("tk", year, theme, kind)) for kind in KINDS))
        for theme in figures.training_themes.get(year, [])
    ]


def domain_rows(figures, year: str) -> list[tuple[str, object]]:
    """(domain, the audits that graded it below Good), a value or WITHHELD."""
    return [(d, figures.count(("tb", year, d))) for d in figures.training_domains.get(year, [])]
