"""The training needs as CSV, for the workforce development team (R22): ``training-needs-<period>.csv``, one row
per need (``model.training_needs``) grouped by learning theme then domain, and
``training-needs-<period>-summary.csv``, the counts of each theme, domain and kind.

The rows carry the cycle, the team and what was written, never a case reference or a member of staff's name;
the free text may still say more than a count, so the files are private (``supervision_files`` writes them
only where nothing is published). Pure: the same needs always give the same bytes.
"""

from __future__ import annotations

import csv
import io

from ehqa.model import Service
from ehqa.model.training_needs import KINDS, NO_THEME, Need, grouped_rows

NEEDS_HEAD = ("period", "learning theme", "domain", "kind", "grade", "cycle", "team", "what was written")
SUMMARY_HEAD = ("period", "learning theme", "domain", "kind", "needs", "audits")


def _titles(service: Service) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    settings, staff = service.settings, service.staff
    themes = {t.id: t.title for t in settings.learning_themes} | {NO_THEME: "No learning theme"}
    domains: dict[str, str] = {}
    for domain_set in reversed(settings.domain_sets):
        for domain in domain_set.domains:
            domains.setdefault(domain.id, domain.title)
    teams = {t.id: t.name for t in staff.teams.values()} if staff else {}
    return themes, domains, teams


def _csv(head: tuple[str, ...], rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as spreadsheets read it
    writer.writerow(head)
    writer.writerows(rows)
    return buffer.getvalue()


def needs_csv(service: Service, period: str, needs: list[Need]) -> str:
    """One row per need and learning theme (an audit tagged with two themes lists its needs under each)."""
    themes, domains, teams = _titles(service)
    theme_order = {t: i for i, t in enumerate(themes)}
    kind_order = {k: i for i, k in enumerate(KINDS)}
    rows = [(theme, need) for need in needs for theme in need.themes]
    rows.sort(
        key=lambda r: (theme_order.get(r[0], len(theme_order)), r[0], kind_order[r[1].kind], r[1].domain, r[1].cycle)
    )
    settings = service.settings
    return _csv(
        NEEDS_HEAD,
        [
            (
                period,
                themes.get(theme, theme),
                domains.get(n.domain, n.domain),
                n.kind,
                settings.grade_label(n.grade) if n.grade else "",
                n.cycle,
                teams.get(n.team, n.team),
                n.text,
            )
            for theme, n in rows
        ],
    )


def summary_csv(service: Service, period: str, needs: list[Need]) -> str:
    """How many needs, and from how many audits, for each learning theme, domain and kind."""
    themes, domains, _ = _titles(service)
    order = {t: i for i, t in enumerate(themes)}
    rows = sorted(grouped_rows(needs), key=lambda r: order.get(r[0], len(order)))  # stable: kinds stay in order
    return _csv(
        SUMMARY_HEAD, [(period, themes.get(t, t), domains.get(d, d), kind, n, audits) for t, d, kind, n, audits in rows]
    )
