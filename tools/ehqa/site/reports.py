"""What the report pages say: one per cycle (R21), one per learning theme, one per year.

Each function returns the context its template in ``site_templates/`` renders, and registers
its charts through ``add_chart``. Every figure comes from ``figures`` (one computation per figure,
disclosure control applied); a chart shows only figures its table shows. Only the cycles whose QA
meeting has been held are reported (``Facts.published``); the learning themes' counts and the
excerpts, written for publication, come from those cycles too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Callable

from ehqa.model import Audit, Cycle, Service
from ehqa.model.enums import OVERALL_GRADES
from ehqa.model.wording import long_date, month_name, one_line
from ehqa.site import compliance, stats
from ehqa.site.charts import Chart, make_chart
from ehqa.site.figures import Figures
from ehqa.site.stats import OUTCOMES
from ehqa.site.tables import WITHHELD, Link, Table, cycle_link, followup_table, grade_table

SOURCES = {
    "previous-meeting": "the prevalent issue at the previous QA meeting",
    "serious-case-review": "a serious case review",
    "performance-information": "performance information",
    "earlier-audits": "earlier audits",
    "other": "a sample chosen by the QA team",
}


@dataclass
class Facts:
    """What every report needs, worked out once for the whole service."""

    service: Service
    as_of: date
    by_cycle: dict[str, list[Audit]]  # every cycle, with its audits
    published: dict[str, list[Audit]]  # the cycles whose QA meeting has been held, with audits
    figures: Figures
    add_chart: Callable[[Chart], Chart]

    @property
    def settings(self):
        return self.service.settings

    @cached_property
    def domain_titles(self) -> dict[str, str]:
        """Every domain's title, the newest domain set's wording first."""
        titles: dict[str, str] = {}
        for domain_set in reversed(self.settings.domain_sets):
            for domain in domain_set.domains:
                titles.setdefault(domain.id, domain.title)
        return titles

    def grade_labels(self) -> list[tuple[str, str]]:
        return [(g.value, self.settings.grade_label(g)) for g in OVERALL_GRADES]

    def theme_titles(self) -> dict[str, str]:
        return {t.id: t.title for t in self.settings.learning_themes}


def labels(facts: Facts) -> list[str]:
    return [label for _, label in facts.grade_labels()]


def overall_table(facts: Facts, period: str, caption: str) -> Table:
    return grade_table(caption, labels(facts), facts.figures.grades(period).cells, facts.figures.grade_shares(period))


def theme_table(facts: Facts, audits: list[Audit], caption: str) -> Table:
    """Audits by learning theme. Not withheld: every excerpt is published with its themes, one by one."""
    titles = facts.theme_titles()
    counted = sorted(stats.theme_counts(audits).items(), key=lambda kv: (-kv[1], titles.get(kv[0], kv[0])))
    return Table(caption, ("learning theme", "audits tagged"),
                 [(Link(f"themes/{t}.md", titles.get(t, t)), n) for t, n in counted])


def good_sentence(facts: Facts, period: str, label: str) -> str:
    """The share Good or better, in words for alt text: only what the tables show."""
    parts = facts.figures.good_parts(period)
    n = facts.figures.n(period)
    if parts is None:
        return f"{label}: {n} audits; the share Good or better is not shown, to protect privacy."
    return f"{label}: {parts[0]} of {n} audits were Good or better overall ({stats.share(*parts)})."


def stacked_rows(rows: list[tuple[str, tuple]], sizes: list[int]) -> list[list]:
    """Chart rows from table rows: shown figures, and what is withheld as one "not shown" part (the row's
    size less what is shown, which the table gives already)."""
    out = []
    for (name, cells), size in zip(rows, sizes):
        shown = [0 if v is WITHHELD else v for v in cells]
        out.append([name, shown + [size - sum(shown)]])
    return out


def domain_section(facts: Facts, cycle_id: str, period: str) -> dict:
    """Grades per domain (and overall): the table, the strengths and areas, and the chart."""
    figures, titles = facts.figures, facts.domain_titles
    rows = figures.domain_rows(cycle_id)
    overall = figures.grades(cycle_id)
    table = Table(f"Grades by domain, {period} (counts of audits)",
                  ("domain", *labels(facts), "not applicable", "Good or better"),
                  [(titles.get(d, d), *cells, na, good) for d, cells, na, good in rows],
                  total=("Overall", *overall.cells, "–", overall.good))
    strengths, areas = _strengths_and_areas(facts, cycle_id)
    n = figures.n(cycle_id)
    names = ["Overall"] + [titles.get(d, d) for d, *_ in rows]
    cells = [overall.cells] + [(*c, na) for _, c, na, _ in rows]
    alt = good_sentence(facts, cycle_id, period) + (
        f" Most often Good or better: {titles.get(strengths[0].domain)} ({strengths[0].share})." if strengths else "")
    chart = facts.add_chart(make_chart("stacked_rows", {
        "style": "grades", "series": [list(pair) for pair in facts.grade_labels()] + [["not-applicable", "not applicable"],
                                                                                      ["withheld", "not shown [c]"]],
        "rows": stacked_rows([(names[0], (*cells[0], 0))] + list(zip(names[1:], cells[1:])), [n] * len(names)),
    }, f"Grades by domain, {period}", alt))
    return {"table": table, "good": overall.good, "strengths": [_ranked(titles, s, s.good) for s in strengths],
            "areas": [_ranked(titles, s, s.below) for s in areas], "chart": chart}


def _strengths_and_areas(facts: Facts, cycle_id: str) -> tuple[list, list]:
    """The domains most often Good or better (at least half the audits that graded them), and most often below."""
    titles = facts.domain_titles
    shares = [s for s in (facts.figures.domain_share(cycle_id, d) for d in facts.figures.domains.get(cycle_id, []))
              if s is not None]
    strengths = sorted((s for s in shares if 2 * s.good >= s.graded),
                       key=lambda s: (-s.good / s.graded, titles.get(s.domain, s.domain)))[:3]
    areas = sorted((s for s in shares if s.below), key=lambda s: (-s.below / s.graded, titles.get(s.domain, s.domain)))[:3]
    return strengths, areas


def strengths(facts: Facts, cycle_id: str) -> list[dict]:
    """The cycle's strengths in words, as its page lists them under "What went well"."""
    return [_ranked(facts.domain_titles, s, s.good) for s in _strengths_and_areas(facts, cycle_id)[0]]


def _ranked(titles: dict[str, str], share, part: int) -> dict:
    """A strength or an area for development in words, for staff to read first: its figures are in the table."""
    return {"title": titles.get(share.domain, share.domain), "how": _how_many(part, share.graded)}


def _how_many(part: int, whole: int) -> str:
    if 2 * part == whole:
        return "half of the audits that graded it"
    if 4 * part >= 3 * whole:
        return "three in four or more of the audits that graded it"
    return "most of the audits that graded it" if 2 * part > whole else "some of the audits that graded it"


def outcome_section(facts: Facts, year: str) -> dict:
    count, overall, by_domain = facts.figures.outcomes(year)
    titles = facts.domain_titles
    table = Table(f"Re-audits in {year} against the audits before, by domain", ("domain", *OUTCOMES),
                  [(titles.get(d, d), *cells) for d, cells in by_domain], total=("Overall", *overall))
    return {"count": count, "table": table}


def followup_section(facts: Facts, year: str) -> Table:
    return followup_table(f"Follow-ups of the audits of {year}, by rule, as of {long_date(facts.as_of)}",
                          compliance.RULE_TITLES, facts.figures.followups(year))


def cycle_context(facts: Facts, cycle: Cycle, previous: str | None, following: str | None) -> dict:
    titles = facts.theme_titles()
    month = month_name(cycle.id)
    context = {
        "cycle": {"id": cycle.id, "month": month, "year": cycle.id[:4], "theme": one_line(cycle.theme_title),
                  "source": SOURCES.get(cycle.theme_source, cycle.theme_source), "meeting": cycle.meeting,
                  "audits_due": cycle.audits_due, "held": cycle.meeting < facts.as_of,
                  "themes": [Link(f"themes/{t}.md", titles.get(t, t)) for t in cycle.theme_learning]},
        "published": cycle.id in facts.published,
        "tags": sorted({titles.get(t, t) for t in cycle.theme_learning}),
        "previous": previous, "next": following,
    }
    if not context["published"]:
        return context
    audits = facts.published[cycle.id]
    on_time = facts.figures.on_time(cycle.id)
    context.update({
        "n": facts.figures.n(cycle.id),
        "overall": overall_table(facts, cycle.id, f"Overall grades, {month}"),
        "domains": domain_section(facts, cycle.id, month),
        "excerpts": [{"text": one_line(a.learning_excerpt), "themes": [titles.get(t, t) for t in a.learning_themes]}
                     for a in audits],
        "themes": theme_table(facts, audits, f"Learning themes of the audits, {month}"),
        "on_time": on_time,
        "revised": facts.figures.revised(cycle.id),
        "tags": sorted({titles.get(t, t) for a in audits for t in a.learning_themes} | set(context["tags"])),
    })
    return context


def theme_context(facts: Facts, theme, recent_cycles: int = 12, chart_cycles: int = 24) -> dict:
    """A learning theme over time. Its counts are not withheld: each published excerpt shows its themes."""
    cycle_ids = list(facts.published)
    per_cycle = {c: sum(1 for a in facts.published[c] if theme.id in a.learning_themes) for c in cycle_ids}
    shown = cycle_ids[-chart_cycles:]
    values = [per_cycle[c] for c in shown]
    peak = max(shown, key=lambda c: (per_cycle[c], c), default=None)
    alt = (f"Audits tagged {theme.title}, month by month over the last {len(shown)} cycles: {sum(values)} in all"
           + (f", most in {month_name(peak)} ({per_cycle[peak]})." if peak and per_cycle[peak] else "."))
    chart = facts.add_chart(make_chart("counts", {"labels": shown, "values": values, "ylabel": "audits tagged"},
                                       f"Audits tagged {theme.title}, by cycle", alt)) if shown else None
    years: dict[str, list[int]] = {}
    for c in cycle_ids:
        tally = years.setdefault(c[:4], [0, 0])
        tally[0] += per_cycle[c]
        tally[1] += len(facts.published[c])
    recent = [c for c in cycle_ids[-recent_cycles:] if per_cycle[c]][::-1]
    return {
        "theme": {"id": theme.id, "title": theme.title, "description": one_line(theme.description)},
        "total": sum(per_cycle.values()),
        "chosen": [cycle_link(c) for c in sorted(facts.service.cycles)
                   if theme.id in facts.service.cycles[c].theme_learning],
        "chart": chart,
        "per_cycle": Table(f"Audits tagged {theme.title}, by cycle", ("cycle", "audits tagged"),
                           [(cycle_link(c), per_cycle[c]) for c in shown]),
        "years": Table(f"Audits tagged {theme.title}, by year", ("year", "audits tagged", "share of the year's audits"),
                       [(Link(f"years/{y}.md", y), n, stats.share(n, all_)) for y, (n, all_) in sorted(years.items())]),
        "recent": [{"link": cycle_link(c),
                    "excerpts": [one_line(a.learning_excerpt) for a in facts.published[c]
                                 if theme.id in a.learning_themes]} for c in recent],
        "earlier": [(cycle_link(c), per_cycle[c])
                    for c in cycle_ids[:-recent_cycles] if per_cycle[c]][::-1],
    }


def year_context(facts: Facts, year: str) -> dict:
    figures = facts.figures
    all_cycles = [c for c in facts.by_cycle if c.startswith(year)]
    months = [c for c in all_cycles if c in facts.published]
    context = {
        "year": year,
        "n": figures.n(year) if months else 0,
        "reported": len(months),
        "cycles": Table(f"The cycles of {year}", ("cycle", "theme", "audits", "Good or better"),
                        [(cycle_link(c), one_line(facts.service.cycles[c].theme_title),
                          *((figures.n(c), figures.grades(c).good) if c in facts.published else ("–", "–")))
                         for c in all_cycles], numeric_from=2),
    }
    if not months:
        return context
    short = [month_name(c)[:3] for c in months]
    rows = {c: figures.grades(c) for c in months}
    remainder = [rows[c].size - sum(v for v in rows[c].cells if v is not WITHHELD) for c in months]
    series = [[key, label, [0 if rows[c].cells[i] is WITHHELD else rows[c].cells[i] for c in months]]
              for i, (key, label) in enumerate(facts.grade_labels())]
    grade_chart = facts.add_chart(make_chart("stacked_columns", {
        "columns": short, "series": series + ([["withheld", "not shown [c]", remainder]] if any(remainder) else [])},
        f"Overall grades by month, {year}",
        f"{year}: {figures.n(year)} audits in {len(months)} months. " + good_sentence(facts, year, year)))
    context.update({
        "overall": overall_table(facts, year, f"Overall grades, {year}"),
        "grade_chart": grade_chart,
        "grade_rows": Table(f"Overall grades by month, {year} (counts of audits)", ("month", *labels(facts), "audits"),
                            [(month_name(c), *rows[c].cells, rows[c].size) for c in months]),
        "outcomes": outcome_section(facts, year),
        "followups": followup_section(facts, year),
        "teams": _team_section(facts, year),
        "themes": theme_table(facts, [a for c in months for a in facts.published[c]],
                              f"Learning themes of the audits, {year}"),
    })
    context.update(_heat(facts, year, months, short))
    return context


def _heat(facts: Facts, year: str, months: list[str], short: list[str]) -> dict:
    """Each domain's share Good or better, month by month: the same figures as the cycles' domain tables."""
    figures, titles = facts.figures, facts.domain_titles
    domains = list(dict.fromkeys(d for c in months for d in figures.domains.get(c, [])))
    cells = [[_heat_cell(figures, c, d) for c in months] for d in domains]
    table = Table(f"Share of audits Good or better, by domain and month, {year}", ("domain", *short),
                  [(titles.get(d, d), *("–" if v is None else v if v is WITHHELD else f"{v}%" for v in row))
                   for d, row in zip(domains, cells)])
    means = [(titles.get(d, d), [v for v in row if v is not None and v is not WITHHELD]) for d, row in zip(domains, cells)]
    means = [(title, sum(vs) / len(vs)) for title, vs in means if vs]
    alt = f"{year}, domain by month: the share of audits Good or better, where it is shown."
    if means:
        best, worst = max(means, key=lambda m: m[1]), min(means, key=lambda m: m[1])
        alt = (f"{year}, domain by month, of the shares shown: {best[0]} was most often Good or better (about "
               f"{best[1]:.0f}% a month), {worst[0]} least often (about {worst[1]:.0f}%).")
    chart = facts.add_chart(make_chart("heatmap", {
        "rows": [titles.get(d, d) for d in domains], "columns": short,
        "cells": [["c" if v is WITHHELD else v for v in row] for row in cells],
        "xlabel": "share of audits Good or better (%), by month; [c]: not shown"},
        f"Domains by month, {year}: share Good or better", alt)) if domains else None
    return {"heat_chart": chart, "heat": table}


def _heat_cell(figures: Figures, cycle_id: str, domain: str):
    """The domain's share Good or better in the month as a whole percentage, WITHHELD, or None if not graded."""
    if domain not in figures.domains.get(cycle_id, ()):
        return None
    shown = figures.share(("dgood", cycle_id, domain))
    if shown is WITHHELD:
        return WITHHELD
    found = figures.domain_share(cycle_id, domain)
    return round(100 * found.good / found.graded) if found.graded else None


def _team_section(facts: Facts, year: str) -> dict:
    rows = facts.figures.teams(year)
    table = Table(f"Overall grades by team, {year}: teams with at least {facts.figures.min_team} audits",
                  ("team", "audits", *labels(facts), "Good or better"),
                  [(row.name, row.size, *row.cells, row.good) for row in rows])
    return {"k": facts.figures.min_team, "table": table}
