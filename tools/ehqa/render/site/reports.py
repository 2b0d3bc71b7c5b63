"""What the report pages say: one per cycle (R21), one per learning theme, one per year.

Each function returns the context its template in ``site_templates/`` renders, and registers
its charts through ``add_chart``. Only aggregated figures and the audits' published excerpts
go in; see ``stats`` for what that means.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Callable

from ...model import Audit, Cycle, Service
from ..wording import day, one_line
from . import compliance, stats
from .charts import Chart, make_chart
from .stats import GRADES, OUTCOMES, month_name, share
from .tables import Link, Table, followup_table, grade_table

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
    by_cycle: dict[str, list[Audit]]
    obligations: list[compliance.Item]
    add_chart: Callable[[Chart], Chart]
    on_time: dict[str, tuple[int, int]] = field(default_factory=dict)  # R13, by cycle: (on time, submitted)

    @property
    def settings(self):
        return self.service.settings

    @cached_property
    def by_key(self) -> dict[str, Audit]:
        return self.service.audits_by_key()

    @cached_property
    def obligations_by_cycle(self) -> dict[str, list[compliance.Item]]:
        grouped: dict[str, list[compliance.Item]] = {}
        for item in self.obligations:
            grouped.setdefault(item.cycle, []).append(item)
        return grouped

    @cached_property
    def domain_titles(self) -> dict[str, str]:
        """Every domain's title, the newest domain set's wording first."""
        titles: dict[str, str] = {}
        for domain_set in reversed(self.settings.domain_sets):
            for domain in domain_set.domains:
                titles.setdefault(domain.id, domain.title)
        return titles

    def grade_labels(self) -> list[tuple[str, str]]:
        return [(g.value, self.settings.grades[g].label if g in self.settings.grades else g.value) for g in GRADES]

    def theme_titles(self) -> dict[str, str]:
        return {t.id: t.title for t in self.settings.learning_themes}


def labels(facts: Facts) -> list[str]:
    return [label for _, label in facts.grade_labels()]


def overall_table(facts: Facts, audits: list[Audit], caption: str) -> Table:
    mix = stats.overall_mix(audits)
    return grade_table(caption, labels(facts), mix.counts, mix.total, share)


def theme_table(facts: Facts, audits: list[Audit], caption: str) -> Table:
    titles = facts.theme_titles()
    counted = sorted(stats.theme_counts(audits).items(), key=lambda kv: (-kv[1], titles.get(kv[0], kv[0])))
    return Table(caption, ("learning theme", "audits tagged"),
                 [(Link(f"themes/{t}.md", titles.get(t, t)), n) for t, n in counted])


def domain_section(facts: Facts, audits: list[Audit], period: str) -> dict:
    """Grades per domain (and overall): the table, the strengths and areas, and the chart."""
    domains = stats.domains_seen(facts.service, audits)
    titles = dict(domains)
    mixes = stats.domain_mixes(audits, titles)
    overall = stats.overall_mix(audits)
    table = Table(f"Grades by domain, {period} (counts of audits)",
                  ("domain", *labels(facts), "not applicable", "Good or better"),
                  [(titles[d], *m.counts, m.not_applicable, share(m.good_or_better, m.total)) for d, m in mixes.items()],
                  total=("Overall", *overall.counts, "–", share(overall.good_or_better, overall.total)))
    strengths, areas = stats.strengths_and_areas(mixes, titles)
    chart = None
    if audits:
        best = max(mixes.items(), key=lambda kv: (kv[1].good_or_better / (kv[1].total or 1), kv[0]), default=None)
        worst = max(mixes.items(), key=lambda kv: (kv[1].below_good / (kv[1].total or 1), kv[0]), default=None)
        alt = (f"{period}: {overall.good_or_better} of {overall.total} audits were Good or better overall. "
               + (f"Most often Good or better: {titles[best[0]]} ({share(best[1].good_or_better, best[1].total)}). "
                  if best else "")
               + (f"Most often below Good: {titles[worst[0]]} ({share(worst[1].below_good, worst[1].total)})."
                  if worst and worst[1].below_good else ""))
        chart = facts.add_chart(make_chart("stacked_rows", {
            "style": "grades", "series": [list(pair) for pair in facts.grade_labels()],
            "rows": [["Overall", list(overall.counts)]] + [[titles[d], list(m.counts)] for d, m in mixes.items()],
        }, f"Grades by domain, {period}", alt))
    return {"table": table, "good": share(overall.good_or_better, overall.total), "strengths": strengths,
            "areas": areas, "chart": chart}


def outcome_section(facts: Facts, audits: list[Audit], period: str) -> dict:
    outcomes = stats.reaudit_outcomes(facts.by_key, audits)
    titles = facts.domain_titles
    table = Table(f"Re-audits in {period} against the audits before, by domain", ("domain", *OUTCOMES),
                  [(titles.get(d, d), *(c[o] for o in OUTCOMES)) for d, c in outcomes.by_domain.items()])
    return {"count": outcomes.count, "overall": [outcomes.overall[o] for o in OUTCOMES], "table": table}


def followup_section(items, caption: str) -> Table:
    rows = compliance.by_rule(items)
    return followup_table(caption, rows, compliance.totals(rows), share)


def cycle_context(facts: Facts, cycle: Cycle, previous: str | None, following: str | None) -> dict:
    audits = facts.by_cycle.get(cycle.id, [])
    titles = facts.theme_titles()
    month = month_name(cycle.id)
    return {
        "cycle": {"id": cycle.id, "month": month, "theme": one_line(cycle.theme_title),
                  "source": SOURCES.get(cycle.theme_source, cycle.theme_source), "meeting": cycle.meeting,
                  "audits_due": cycle.audits_due, "held": cycle.meeting <= facts.as_of,
                  "themes": [Link(f"themes/{t}.md", titles.get(t, t)) for t in cycle.theme_learning]},
        "n": len(audits),
        "reaudits": sum(1 for a in audits if a.reaudit_of),
        "overall": overall_table(facts, audits, f"Overall grades, {month}"),
        "domains": domain_section(facts, audits, month),
        "strengths_recorded": sum(len(a.strengths) for a in audits),
        "areas_recorded": sum(len(a.areas_for_development) for a in audits),
        "excerpts": [{"text": one_line(a.learning_excerpt), "themes": [titles.get(t, t) for t in a.learning_themes]}
                     for a in audits],
        "themes": theme_table(facts, audits, f"Learning themes of the audits, {month}"),
        "tags": sorted({titles.get(t, t) for a in audits for t in a.learning_themes}
                       | {titles.get(t, t) for t in cycle.theme_learning}),
        "actions": stats.action_tally(audits, facts.as_of),
        "on_time": facts.on_time.get(cycle.id),
        "followups": followup_section(facts.obligations_by_cycle.get(cycle.id, []),
                                      f"Follow-ups of the audits of {month}, by rule, as of {day(facts.as_of)}"),
        "outcomes": outcome_section(facts, audits, month),
        "previous": previous, "next": following,
    }


def theme_context(facts: Facts, theme, recent_cycles: int = 12, chart_cycles: int = 24) -> dict:
    cycle_ids = stats.reported_cycles(facts.by_cycle, facts.as_of)  # a cycle not yet audited is not a zero
    per_cycle = {c: sum(1 for a in facts.by_cycle[c] if theme.id in a.learning_themes) for c in cycle_ids}
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
        tally[1] += len(facts.by_cycle[c])
    recent = [c for c in cycle_ids[-recent_cycles:] if per_cycle[c]][::-1]
    return {
        "theme": {"id": theme.id, "title": theme.title, "description": one_line(theme.description)},
        "total": sum(per_cycle.values()),
        "chosen": [Link(f"cycles/{c}.md", month_name(c)) for c in sorted(facts.service.cycles)
                   if theme.id in facts.service.cycles[c].theme_learning],
        "chart": chart,
        "per_cycle": Table(f"Audits tagged {theme.title}, by cycle", ("cycle", "audits tagged"),
                           [(Link(f"cycles/{c}.md", month_name(c)), per_cycle[c]) for c in shown]),
        "years": Table(f"Audits tagged {theme.title}, by year", ("year", "audits tagged", "share of the year's audits"),
                       [(Link(f"years/{y}.md", y), n, share(n, all_)) for y, (n, all_) in sorted(years.items())]),
        "recent": [{"link": Link(f"cycles/{c}.md", month_name(c)),
                    "excerpts": [one_line(a.learning_excerpt) for a in facts.by_cycle[c]
                                 if theme.id in a.learning_themes]} for c in recent],
        "earlier": [(Link(f"cycles/{c}.md", month_name(c)), per_cycle[c])
                    for c in cycle_ids[:-recent_cycles] if per_cycle[c]][::-1],
    }


def year_context(facts: Facts, year: str) -> dict:
    cycle_ids = [c for c in facts.by_cycle if c.startswith(year)]
    audits = [a for c in cycle_ids for a in facts.by_cycle[c]]
    months = [c for c in cycle_ids if facts.by_cycle[c]]
    short = [month_name(c)[:3] for c in months]
    per_month = {c: stats.overall_mix(facts.by_cycle[c]) for c in months}
    overall = stats.overall_mix(audits)
    grade_chart = facts.add_chart(make_chart("stacked_columns", {
        "columns": short, "series": [[key, label, [per_month[c].counts[i] for c in months]]
                                     for i, (key, label) in enumerate(facts.grade_labels())]},
        f"Overall grades by month, {year}",
        f"{year}: {overall.total} audits in {len(months)} months; {share(overall.good_or_better, overall.total)} "
        f"were Good or better overall.")) if months else None
    domains = stats.domains_seen(facts.service, audits)
    cells = [[_good_share(facts.by_cycle[c], d) for c in months] for d, _ in domains]
    heat_chart = None
    if months and domains:
        means = [(title, [v for v in row if v is not None]) for (_, title), row in zip(domains, cells)]
        means = [(title, sum(vs) / len(vs)) for title, vs in means if vs]
        best, worst = max(means, key=lambda m: m[1]), min(means, key=lambda m: m[1])
        heat_chart = facts.add_chart(make_chart("heatmap", {
            "rows": [title for _, title in domains], "columns": short, "cells": cells,
            "xlabel": "share of audits Good or better (%), by month"},
            f"Domains by month, {year}: share Good or better",
            f"{year}, domain by month: {best[0]} was most often Good or better (about {best[1]:.0f}% a month), "
            f"{worst[0]} least often (about {worst[1]:.0f}%)."))
    return {
        "year": year,
        "n": len(audits),
        "cycles": Table(f"The cycles of {year}", ("cycle", "theme", "audits", "Good or better"),
                        [(Link(f"cycles/{c}.md", month_name(c)), one_line(facts.service.cycles[c].theme_title),
                          len(facts.by_cycle[c]), share(stats.overall_mix(facts.by_cycle[c]).good_or_better,
                                                        len(facts.by_cycle[c]))) for c in cycle_ids],
                        numeric_from=2),
        "overall": overall_table(facts, audits, f"Overall grades, {year}"),
        "grade_chart": grade_chart,
        "grade_rows": Table(f"Overall grades by month, {year} (counts of audits)", ("month", *labels(facts), "audits"),
                            [(month_name(c), *per_month[c].counts, per_month[c].total) for c in months]),
        "heat_chart": heat_chart,
        "heat": Table(f"Share of audits Good or better, by domain and month, {year}", ("domain", *short),
                      [(title, *("–" if v is None else f"{v:.0f}%" for v in row))
                       for (_, title), row in zip(domains, cells)]),
        "outcomes": outcome_section(facts, audits, year),
        "actions": stats.action_tally(audits, facts.as_of),
        "followups": followup_section([i for c in cycle_ids for i in facts.obligations_by_cycle.get(c, [])],
                                      f"Follow-ups of the audits of {year}, by rule, as of {day(facts.as_of)}"),
        "teams": _team_section(facts, audits, year),
        "themes": theme_table(facts, audits, f"Learning themes of the audits, {year}"),
    }


def _team_section(facts: Facts, audits: list[Audit], year: str) -> dict:
    figures = stats.team_figures(facts.service, audits, facts.settings.min_team_audits)
    table = Table(f"Overall grades by team, {year}: teams with at least {figures.k} audits",
                  ("team", "audits", *labels(facts), "Good or better"),
                  [(row.name, row.mix.total, *row.mix.counts, share(row.mix.good_or_better, row.mix.total))
                   for row in figures.shown])
    return {"k": figures.k, "table": table, "suppressed": figures.suppressed}


def _good_share(audits: list[Audit], domain: str) -> float | None:
    grades = Counter(a.domains[domain].grade for a in audits if domain in a.domains)
    graded = sum(n for g, n in grades.items() if g in GRADES)
    if not graded:
        return None
    return round(100 * sum(grades[g] for g in stats.GOOD_OR_BETTER) / graded, 1)
