"""Every page of the learning site, as Markdown rendered from the Jinja templates in ``site_templates/``.

``site_pages`` works out each page's context (``reports`` for the cycle, theme and year
reports) and renders it; nothing here touches the disk but the templates. The templates are
escaped as HTML throughout, so that no text from the data can add markup to a page.

The pages, by path in the generated docs:

- ``index.md``: the current cycle and the next meeting, the latest cycle's grades against the
  12 months before, and follow-up compliance at a glance;
- ``cycles/index.md`` and ``cycles/YYYY-MM.md``: one report per cycle (R21);
- ``themes/index.md`` and ``themes/<id>.md``: one page per learning theme (tagged for the tags plugin);
- ``years/index.md`` and ``years/YYYY.md``: a report per year, with trends domain by month;
- ``training.md``: "What training would help" (R22), the training needs counted by learning theme and domain,
  year by year (``training_page``);
- ``framework.md``: the principles, grades, domains and procedure, from qa.yaml and the guidance;
- ``consistency.md``: how consistent the grades are (``site/consistency.py``, issue 14);
- ``take-part.md``: what auditors do and how they submit an audit;
- ``submit-audit.md``: a form that writes an audit's YAML in the browser, from the schema's fields and
  qa.yaml's domains, grades and learning themes; it lists no case or member of staff, and sends nothing;
- ``forms/index.md`` and ``forms/<kind>.md``: the follow-up forms, one per kind of record and one for the
  Perspective of Worker form, generated from the schemas (``site/forms.py``), sending nothing either.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from ehqa.framework.rules import FRAMEWORK, STAGES
from ehqa.model import Service
from ehqa.model.calendar import calendar_for
from ehqa.model.cycle_dates import cycle_of, next_meeting_by_rule
from ehqa.model.enums import DOMAIN_GRADES, OVERALL_GRADES
from ehqa.model.wording import day, long_date, month_name, one_line
from ehqa.site import compliance, stats
from ehqa.site.charts import Chart, make_chart
from ehqa.site.consistency import consistency_context
from ehqa.site.figures import Figures
from ehqa.site.forms import Form, forms
from ehqa.site.reports import (
    Facts,
    cycle_context,
    followup_section,
    good_sentence,
    labels,
    strengths,
    theme_context,
    year_context,
)
from ehqa.site.tables import WITHHELD, WITHHELD_HTML, Link, Table, cycle_link, withheld_note
from ehqa.site.template_cache import keep_compiled
from ehqa.site.training_page import training_context

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"  # the ehqa source tree's; the build passes the repository's


@dataclass(frozen=True)
class Page:
    path: str  # inside the docs, e.g. cycles/2026-10.md
    text: str


def environment(templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The pages' Jinja environment; compiled templates kept in memory and, with ``compiled``, in that folder."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,  # free text from the data can never become markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(day=day, long_date=long_date, month=month_name, t=text, h=raw_html_text, tag=tag, fig=figure)
    env.globals["share"] = stats.share
    return keep_compiled(env, compiled)


_MARKDOWN = re.compile(r"([\\`*_\[\]|])")


def text(value: object) -> Markup:
    """Free text on one line, safe in running Markdown and in a table cell: HTML's ``<``, ``>`` and ``&``
    and Markdown's link, emphasis, code and table characters are escaped, so that text from the data
    can neither add markup to a page, format it, nor link away from it."""
    return Markup(html.escape(_MARKDOWN.sub(r"\\\1", one_line(str(value))), quote=False))


def raw_html_text(value: object) -> Markup:
    """Free text on one line, escaped for raw HTML (an excerpt, alt text): ``'`` as ``&#x27;``, as Python's
    ``html.escape`` writes it, so that what the page shows can be found as the data says it."""
    return Markup(html.escape(one_line(str(value))))


def figure(value: object) -> Markup:
    """A figure in running text: its value, or the ``[c]`` of one withheld by disclosure control."""
    return Markup(WITHHELD_HTML) if value is WITHHELD else Markup(html.escape(str(value)))


def tag(value: object) -> Markup:
    """A tag for the front matter: a YAML string, with nothing that could be markup in the theme."""
    return Markup(json.dumps(re.sub(r"[<>&]", "", one_line(str(value)))))


def site_pages(service: Service, as_of: date, templates: Path, add_chart: Callable[[Chart], Chart],
               progress: Callable[[int], None] | None = None, submitted: dict[str, date] | None = None,
               schemas: Path = SCHEMAS, compiled: Path | None = None) -> list[Page]:
    """Every page of the site, rendered. ``add_chart`` registers each chart a page shows; the forms
    come from the JSON Schemas in ``schemas``; ``compiled``: where compiled templates are kept.

    In the templates, ``|t`` makes free text safe in Markdown, ``|h`` in raw HTML (long lists are
    written as HTML, which MkDocs passes through far faster than Markdown), ``|fig`` writes a figure
    or the ``[c]`` of one withheld."""
    settings = service.settings
    env = environment(templates, compiled)
    env.globals["withheld_note"] = withheld_note(settings.min_count)
    facts = site_facts(service, as_of, add_chart, submitted)
    common = {"service_name": settings.service_name, "as_of": as_of, "k": settings.min_count,
              "grades": facts.grade_labels(), "outcome_labels": list(stats.OUTCOMES)}
    cycle_ids = list(facts.by_cycle)
    years = sorted({c[:4] for c in cycle_ids})
    jobs: list[tuple[str, str, Callable[[], dict]]] = [
        ("index.md", "home.md.j2", lambda: home_context(facts)),
        ("cycles/index.md", "cycles.md.j2", lambda: cycles_index(facts)),
        ("themes/index.md", "themes.md.j2", lambda: themes_index(facts)),
        ("years/index.md", "years.md.j2", lambda: {"years": years_index(facts, years)}),
        ("framework.md", "framework.md.j2", lambda: framework_context(service)),
        ("consistency.md", "consistency.md.j2", lambda: consistency_context(service, as_of)),
        ("take-part.md", "take-part.md.j2", lambda: framework_context(service)),
        ("submit-audit.md", "submit-audit.md.j2", lambda: submit_context(service)),
        ("training.md", "training.md.j2", lambda: training_context(facts)),
    ]
    follow_up = forms(settings, schemas)
    jobs.append(("forms/index.md", "forms.md.j2", lambda: {"forms": follow_up}))
    for form in follow_up:
        jobs.append((f"forms/{form.slug}.md", "form.md.j2", lambda f=form: form_context(service, f)))
    for index, cycle_id in enumerate(cycle_ids):
        previous = cycle_ids[index - 1] if index else None
        following = cycle_ids[index + 1] if index + 1 < len(cycle_ids) else None
        jobs.append((f"cycles/{cycle_id}.md", "cycle.md.j2", lambda c=cycle_id, p=previous, f=following:
                     cycle_context(facts, service.cycles[c], p, f)))
    for theme in settings.learning_themes:
        jobs.append((f"themes/{theme.id}.md", "theme.md.j2", lambda t=theme: theme_context(facts, t)))
    for year in years:
        jobs.append((f"years/{year}.md", "year.md.j2", lambda y=year: year_context(facts, y)))

    pages = []
    for path, template, context in jobs:
        root = "../" * path.count("/")
        pages.append(Page(path, env.get_template(template).render(**common, **context(), root=root)))
        if progress:
            progress(1)
    return pages


def site_facts(service: Service, as_of: date, add_chart: Callable[[Chart], Chart],
               submitted: dict[str, date] | None = None) -> Facts:
    """The site's one computation of its figures (``Figures``, disclosure control decided over all of them) and
    what its reports need: every page, and every document that repeats the site's figures (the QA board report),
    asks for a figure here, so that it reads the same everywhere."""
    by_cycle = stats.audits_by_cycle(service)
    published = stats.published_cycles(service.cycles, by_cycle, as_of)
    items = [i for i in compliance.shared_items(service, compliance.obligation_items(service, as_of, submitted), as_of)
             if i.cycle in published]
    return Facts(service, as_of, by_cycle, published, Figures(service, published, items, as_of), add_chart)


def home_context(facts: Facts) -> dict:
    service, as_of, figures = facts.service, facts.as_of, facts.figures
    upcoming = sorted((c for c in service.cycles.values() if c.meeting >= as_of), key=lambda c: c.meeting)
    # The cycle in progress: the first whose QA meeting is still to come. Once the newest cycle's meeting is
    # held, no cycle is current until the next is set up (never a past meeting called upcoming).
    current = upcoming[0] if upcoming and upcoming[0].allocations_by <= as_of else None
    if upcoming:
        next_meeting = {"date": upcoming[0].meeting,
                        "link": cycle_link(upcoming[0].id)}
    else:  # no cycle set up yet: the meeting rule's date this month, or next month's once it has passed
        planned = next_meeting_by_rule(as_of, facts.settings.meeting_rule, calendar_for(facts.settings))
        next_meeting = {"date": planned, "link": None}
    latest = _latest(facts) if facts.published else None
    year = next(reversed(facts.published))[:4] if facts.published else None
    followups = followup_section(facts, year) if year else None
    chart = None
    if followups:
        rows = [(r, c) for r, c, _ in figures.followups(year) if r != "all" and WITHHELD not in c]
        chart = facts.add_chart(make_chart("stacked_rows", {
            "style": "states", "series": [[s, compliance.STATE_LABELS[s]] for s in compliance.STATES],
            "rows": [[f"{compliance.rule_of(r)} {compliance.RULE_TITLES.get(r, r)}", list(c)] for r, c in rows],
            "xlabel": "share of follow-ups (%); the numbers are counts"},
            f"Follow-ups of the audits of {year}, by rule", _followups_alt(figures, year, as_of))) if rows else None
    return {
        "learning": _learning(facts),
        "current": None if current is None else {
            "link": cycle_link(current.id),
            "theme": one_line(current.theme_title), "meeting": current.meeting,
            "allocations_by": current.allocations_by, "audits_due": current.audits_due},
        "next_meeting": next_meeting,
        "latest": latest,
        "followups_year": year,
        "followups": followups,
        "followups_chart": chart,
        "counts": {"cycles": len(service.cycles), "audits": sum(figures.n(c) for c in facts.published),
                   "themes": len(facts.settings.learning_themes)},
    }


def _learning(facts: Facts) -> dict | None:
    """What staff can learn first: the latest reported cycle's excerpts and its strengths, in words (R21)."""
    if not facts.published:
        return None
    cycle_id = next(reversed(facts.published))
    titles = facts.theme_titles()
    return {"link": cycle_link(cycle_id), "month": month_name(cycle_id),
            "theme": one_line(facts.service.cycles[cycle_id].theme_title),
            "strengths": strengths(facts, cycle_id),
            "excerpts": [{"text": one_line(a.learning_excerpt), "themes": [titles.get(t, t) for t in a.learning_themes]}
                         for a in facts.published[cycle_id]]}


def _latest(facts: Facts) -> dict:
    """The latest cycle reported against the whole of the year before: the figures of their own pages."""
    figures = facts.figures
    cycle_id = next(reversed(facts.published))
    month = month_name(cycle_id)
    before = str(int(cycle_id[:4]) - 1)
    this = figures.grades(cycle_id)
    head, rows = ("grade", month, "share"), [(label, n, p) for label, n, p in
                                             zip(labels(facts), this.cells, figures.grade_shares(cycle_id))]
    series = [[month, _percent(figures.grade_shares(cycle_id))]]
    alt = good_sentence(facts, cycle_id, month)
    if before in figures.years:
        prior = figures.grades(before)
        head += (before, "share")
        rows = [row + (n, p) for row, n, p in zip(rows, prior.cells, figures.grade_shares(before))]
        series.append([f"{before} ({prior.size} audits)", _percent(figures.grade_shares(before))])
        alt += " " + good_sentence(facts, before, before)
    caption = f"Overall grades, {month}" + (f" and {before}" if before in figures.years else "")
    chart = facts.add_chart(make_chart("compare", {"categories": labels(facts), "series": series}, caption, alt))
    return {"link": cycle_link(cycle_id), "month": month, "before": before,
            "theme": one_line(facts.service.cycles[cycle_id].theme_title), "n": this.size,
            "prev_n": figures.n(before) if before in figures.years else 0,
            "table": Table(caption, head, rows), "chart": chart}


def _percent(shares) -> list:
    """Shares as numbers for a chart: None where withheld (the chart writes [c]), 0 for "–"."""
    return [None if s is WITHHELD else float(s.rstrip("%")) if s.endswith("%") else 0.0 for s in shares]


def _followups_alt(figures, year: str, as_of: date) -> str:
    cells, on_time = next((c, g) for r, c, g in figures.followups(year) if r == "all")
    words = dict(zip(compliance.STATES, (str(v) for v in cells)))
    return (f"Follow-ups of the audits of {year}, as of {long_date(as_of)}: {words['on time']} done on time "
            f"({on_time} of those due), {words['late']} late, {words['overdue']} overdue and {words['open']} not "
            "yet due; [c]: not shown to protect privacy. Rules with a figure not shown are left out of the chart.")


def cycles_index(facts: Facts) -> dict:
    rows = []
    for cycle_id in reversed(facts.by_cycle):
        figures = ((facts.figures.n(cycle_id), facts.figures.grades(cycle_id).good) if cycle_id in facts.published
                   else ("–", "–"))
        rows.append((cycle_link(cycle_id),
                     one_line(facts.service.cycles[cycle_id].theme_title), *figures))
    return {"cycles": Table("Cycles, newest first", ("cycle", "theme", "audits", "Good or better"), rows,
                            numeric_from=2)}


def themes_index(facts: Facts) -> dict:
    """Learning themes, counted over the published cycles (not withheld: each excerpt shows its themes)."""
    counts = stats.theme_counts(a for audits in facts.published.values() for a in audits)
    this_month = cycle_of(facts.as_of)
    recent_ids = stats.previous_cycles(list(facts.published), this_month, 12) + [this_month]
    recent = stats.theme_counts(a for c in recent_ids for a in facts.published.get(c, []))
    return {"themes": Table("Learning themes", ("theme", "what it covers", "audits tagged", "in the last 12 months"),
                            [(Link(f"themes/{t.id}.md", t.title), one_line(t.description), counts[t.id], recent[t.id])
                             for t in facts.settings.learning_themes], numeric_from=2)}


def years_index(facts: Facts, years: list[str]) -> Table:
    rows = []
    for year in reversed(years):
        cycles = [c for c in facts.by_cycle if c.startswith(year)]
        shown = year in facts.figures.years
        rows.append((Link(f"years/{year}.md", year), len(cycles), facts.figures.n(year) if shown else "–",
                     facts.figures.grades(year).good if shown else "–"))
    return Table("Years, newest first", ("year", "cycles", "audits", "Good or better"), rows)


def framework_context(service: Service) -> dict:
    settings = service.settings
    current = settings.domain_sets[-1] if settings.domain_sets else None
    return {
        "grade_definitions": [{"label": d.label, "definition": one_line(d.definition)}
                              for g, d in settings.grades.items() if g in OVERALL_GRADES],
        "domains": [{"title": d.title, "prompt": one_line(d.prompt)} for d in (current.domains if current else ())],
        "domain_version": current.version if current else None,
        "domain_sets": len(settings.domain_sets),
        "times": settings.timescales,
        "meeting_rule": settings.meeting_rule,
        "minutes_per_case": settings.minutes_per_case,
        "system": settings.case_management_system,
        "rules": compliance.RULE_TITLES,
        "themes": [{"id": t.id, "title": t.title} for t in settings.learning_themes],
        # R1–R22, so that an R-number anywhere on the site resolves to framework.html#rN.
        "framework_rules": [{"stage": stage, "rules": [{"number": r.number, "title": r.title, "statement": r.statement,
                                                         "anchor": r.number.lower()}
                                                        for r in FRAMEWORK if r.stage == stage]} for stage in STAGES],
    }


def submit_context(service: Service) -> dict:
    """The submit-an-audit form: the newest domain set, the grades with their labels, the learning themes."""
    settings = service.settings
    current = settings.domain_sets[-1] if settings.domain_sets else None
    return {
        "domains": [{"id": d.id, "title": d.title, "prompt": one_line(d.prompt)}
                    for d in (current.domains if current else ())],
        "domain_version": current.version if current else None,
        "domain_grades": [{"value": g.value, "label": settings.grade_label(g)} for g in DOMAIN_GRADES],
        "overall_grades": [{"value": g.value, "label": settings.grade_label(g)} for g in OVERALL_GRADES],
        "themes": [{"id": t.id, "title": t.title} for t in settings.learning_themes],
        "min_words": settings.min_evidence_words,
        "system": settings.case_management_system,
        "github_repo": settings.github_repository,
        "github_branch": settings.github_branch,
    }


def form_context(service: Service, form: Form) -> dict:
    """A follow-up form: the form, generated from its schema, and the repository to upload to (qa.yaml's
    ``github.repository``, never mkdocs.yml's ``repo_url``, with which Material calls GitHub's API)."""
    return {"form": form, "github_repo": service.settings.github_repository,
            "github_branch": service.settings.github_branch}
