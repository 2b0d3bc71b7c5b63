"""The context of the learning site's "What training would help" page (R22): a section a year, newest first,
each with its two tables, the figures ``training`` registered with ``figures.Figures``."""

from __future__ import annotations

from ehqa.model.wording import one_line
from ehqa.site.reports import Facts
from ehqa.site.tables import Link, Table
from ehqa.site.training import COLUMNS, domain_rows, theme_rows


def training_context(facts: Facts) -> dict:
    """The page: a section a year, newest first, each with its two tables."""
    figures, titles = facts.figures, facts.theme_titles()
    years = []
    for year in sorted(figures.years, reverse=True):
        themes = Table(
            f"What training would help, {year}: audits by learning theme",
            ("learning theme", "audits tagged", *COLUMNS.values()),
            [
                (Link(f"themes/{th}.md", titles[th]) if th in titles else (th or "No learning theme"), n, *cells)
                for th, n, cells in theme_rows(figures, year)
            ],
        )
        domains = Table(
            f"What training would help, {year}: domains graded below Good",
            ("domain", "audits graded below Good"),
            [(one_line(facts.domain_titles.get(d, d)), below) for d, below in domain_rows(figures, year)],
        )
        years.append(
            {
                "year": year,
                "n": figures.n(year),
                "months": len(figures.years[year]),
                "themes": themes,
                "domains": domains,
            }
        )
    return {"years": years}
