"""Training needs (R22: audit outcomes inform training needs): what the audits and the Perspective of Worker forms
say would help, grouped by learning theme and by domain.

Three kinds of need, each from one audit:

- an area for development the auditors recorded (``areas_for_development``);
- a domain graded below Good (Requires Improvement or Inadequate) as the grades stand (``Service.effective_grades``,
  R12);
- the practitioner's answer to the worker form's question on support (``support_question``), unless it says there
  is none.

The one grouping both outputs use: the private CSV for the workforce development team (``documents``) and the
learning site's "What training would help" page (``site``), which counts audits from it and withholds small counts.
Pure functions over the model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from ehqa.model.audits import Audit
from ehqa.model.enums import Grade
from ehqa.model.service import Service
from ehqa.model.settings import Settings
from ehqa.model.wording import one_line

AREA = "area for development"
BELOW_GOOD = "domain below Good"
SUPPORT = "support asked for"
KINDS = (AREA, BELOW_GOOD, SUPPORT)
NO_THEME = ""  # an audit tagged with no learning theme
BELOW = (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)  # a domain's grades below Good (R9)
# Answers to the support question that ask for nothing.
_NOTHING = {
    "none",
    "no",
    "n a",
    "na",
    "nothing",
    "not applicable",
    "none needed",
    "nothing needed",
    "none at present",
    "nothing at present",
    "none at this time",
    "nothing at this time",
    "not at present",
    "no thank you",
}


@dataclass(frozen=True)
class Need:
    """One training need: its kind, the audit it comes from (``YYYY-MM/<case-ref>``, never published), the
    audit's cycle, team (``""`` when not recorded) and learning themes (``(NO_THEME,)`` when untagged), the
    domain and grade of a domain below Good (``""`` and None otherwise), and what was written."""

    kind: str
    audit: str
    cycle: str
    team: str
    themes: tuple[str, ...]
    domain: str = ""
    grade: Grade | None = None
    text: str = ""


def support_question(settings: Settings) -> str | None:
    """The id of the worker form's question on support (qa.yaml ``worker_form.questions``): the first whose id
    names support (``support-needed``, ``support``), else the first whose prompt asks about support or training;
    None when there is none."""
    questions = settings.worker_questions
    by_id = next((q.id for q in questions if "support" in q.id), None)
    if by_id:
        return by_id
    return next((q.id for q in questions if re.search(r"\b(support|training)\b", q.prompt, re.I)), None)


def asks_for_something(answer: str) -> bool:
    """Whether an answer to the support question asks for anything: "None", "n/a", "Nothing more; the team were
    brilliant." do not (a first clause of nothing, none or no, with no help asked for after it)."""
    words = " ".join(re.sub(r"[^a-z]+", " ", answer.lower()).split())
    if not words or words in _NOTHING:
        return False
    first = " ".join(re.sub(r"[^a-z]+", " ", re.split(r"[.;,:!]", answer.lower(), maxsplit=1)[0]).split())
    declined = first in _NOTHING or (first.split()[:1] in (["nothing"], ["none"], ["no"]) and len(first.split()) <= 3)
    return not declined or bool(re.search(r"\b(would help|training|need|support|more time)\b", words[len(first) :]))


def training_needs(service: Service, audits: Iterable[Audit], as_of: date | None = None) -> list[Need]:
    """Every need the ``audits`` show, audit by audit (by cycle, then file), each audit's areas first, then its
    domains below Good in the domain set's order, then the support its practitioner asked for."""
    settings = service.settings
    question = support_question(settings) if settings else None
    forms = {(f.cycle, f.case): f for f in service.worker_forms}
    needs: list[Need] = []
    for audit in sorted(audits, key=lambda a: (a.cycle, a.source)):
        cycle = service.cycles.get(audit.cycle)
        nomination = cycle.nomination(audit.case) if cycle else None
        common = {
            "audit": audit.key,
            "cycle": audit.cycle,
            "team": nomination.team if nomination else "",
            "themes": tuple(audit.learning_themes) or (NO_THEME,),
        }
        needs += [Need(AREA, text=one_line(area), **common) for area in audit.areas_for_development if one_line(area)]
        grades = service.effective_grades(audit, as_of)
        needs += [
            Need(BELOW_GOOD, domain=d, grade=g, text=one_line(audit.domains[d].evidence), **common)
            for d, g in grades.domains.items()
            if g in BELOW
        ]
        form = forms.get((audit.cycle, audit.case))
        answer = one_line(form.answers.get(question, "")) if form and question else ""
        if asks_for_something(answer):
            needs.append(Need(SUPPORT, text=answer, **common))
    return needs


def by_theme(needs: Iterable[Need]) -> dict[str, dict[str, set[str]]]:
    """Learning theme -> kind -> the audits with a need of that kind: an audit tagged with two themes counts
    under each (as the site's theme pages count it)."""
    grouped: dict[str, dict[str, set[str]]] = defaultdict(lambda: {kind: set() for kind in KINDS})
    for need in needs:
        for theme in need.themes:
            grouped[theme][need.kind].add(need.audit)
    return dict(grouped)


def by_domain(needs: Iterable[Need]) -> dict[str, set[str]]:
    """Domain -> the audits that graded it below Good."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for need in needs:
        if need.kind == BELOW_GOOD:
            grouped[need.domain].add(need.audit)
    return dict(grouped)


def grouped_rows(needs: Iterable[Need]) -> list[tuple[str, str, str, int, int]]:
    """(theme, domain, kind, needs, audits), one row for each theme, domain and kind with a need: areas and
    support under the domain ``""``; themes and domains in the order first met. The private summary."""
    counted: dict[tuple[str, str, str], list[Need]] = {}
    for need in needs:
        for theme in need.themes:
            counted.setdefault((theme, need.domain, need.kind), []).append(need)
    kinds = {kind: i for i, kind in enumerate(KINDS)}
    themes = {theme: i for i, theme in enumerate(dict.fromkeys(theme for theme, _, _ in counted))}
    rows = sorted(counted.items(), key=lambda item: (item[0][0] == NO_THEME, themes[item[0][0]], kinds[item[0][2]]))
    return [(theme, domain, kind, len(found), len({n.audit for n in found})) for (theme, domain, kind), found in rows]
