"""Supervision packs (R22: audit outcomes inform supervision and appraisal): one for each practitioner whose
cases were audited in a period, for their line manager, and one for each team, for its team manager.

Restorative, as the guidance's principles ask (section 1): each pack leads with what went well, then what
to develop, says what to learn rather than whom to blame, and never ranks anyone. A practitioner's pack holds,
case by case, the grades as they stand (``Service.effective_grades``, R12), the strengths, the areas for
development, the SMART actions and their status (``recorded_actions``, R17), the reflective discussion (R19)
and the practitioner's own Perspective of Worker answers (R7). The team's pack summarises the same for its
team manager. Pure: the same service, period and ``as_of`` always give the same pages. They name cases and
people: ``supervision_files`` writes them only where nothing is published.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ehqa.documents.meeting_facts import Names, actions, revision
from ehqa.documents.templates import environment
from ehqa.errors import DataError
from ehqa.model import Audit, Grade, Person, Role, Service, lookups
from ehqa.model.periods import Period
from ehqa.model.training_needs import AREA, by_theme, training_needs
from ehqa.model.wording import day, month_name, one_line

GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


class SupervisionError(DataError):
    """The data stops the packs being written; the message says what to do."""


@dataclass
class Pack:
    """One pack: the file it is written to (``practitioners/<id>.html``, ``teams/<id>.html``), its page, who
    it is about, and the manager it is for (None when staff.yaml names nobody)."""

    name: str
    html: str
    about: str  # the practitioner's or team's name
    manager: Person | None
    kind: str  # practitioner | team


@dataclass
class Packs:
    practitioners: list[Pack] = field(default_factory=list)
    teams: list[Pack] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def period_audits(service: Service, period: Period, as_of: date) -> list[Audit]:
    """The audits of the period's cycles whose QA meeting was held by ``as_of`` (R14: the findings are discussed
    there first), by cycle and file."""
    held = {c for c, cycle in service.cycles.items() if period.holds(c) and cycle.meeting <= as_of}
    return sorted((a for a in service.audits if a.cycle in held), key=lambda a: (a.cycle, a.source))


def render_packs(service: Service, period: Period, audits: list[Audit], as_of: date) -> Packs:
    """Every practitioner's and every team's pack for ``audits`` (``period_audits``)."""
    settings, staff = lookups.settings_and_staff(service, SupervisionError)
    names = Names(staff)
    env = environment()
    packs = Packs()
    views: dict[str, list[dict]] = {}
    teams: dict[str, list[str]] = {}
    managers: dict[str, Person | None] = {}
    for audit in audits:
        cycle = service.cycles[audit.cycle]
        nomination = cycle.nomination(audit.case)
        if nomination is None:
            packs.warnings.append(
                f"{audit.key}: the case is not among the cycle's nominations, so its practitioner "
                "is not known: it is left out of the packs"
            )
            continue
        views.setdefault(nomination.practitioner, []).append(_case(service, audit, names, as_of))
        members = teams.setdefault(nomination.team, [])
        if nomination.practitioner not in members:
            members.append(nomination.practitioner)
        managers[nomination.practitioner] = staff.team_manager_of(nomination)
    common = {"service_name": settings.service_name, "period": period.words, "as_of": day(as_of)}
    for practitioner, cases in views.items():
        manager = managers[practitioner]
        facts = {
            **common,
            "name": names(practitioner),
            "manager": manager.name if manager else "",
            "cases": cases,
            "went_well": _went_well(cases),
            "counts": _counts(cases),
        }
        page = env.get_template("supervision/practitioner.html.j2").render(**facts)
        packs.practitioners.append(
            Pack(f"practitioners/{practitioner}.html", page, names(practitioner), manager, "practitioner")
        )
    needs_by_team = _needs_by_team(service, audits, as_of)
    theme_titles = {t.id: t.title for t in settings.learning_themes}
    for team_id, members in teams.items():
        team_name = staff.teams[team_id].name if team_id in staff.teams else team_id
        manager = _team_manager(service, team_id, [managers[m] for m in members])
        rows = [_member_row(names(m), views[m]) for m in members]
        all_cases = [case for m in members for case in views[m]]
        themes = by_theme(needs_by_team.get(team_id, []))
        facts = {
            **common,
            "name": team_name,
            "manager": manager.name if manager else "",
            "members": rows,
            "went_well": _went_well(all_cases),
            "counts": _counts(all_cases),
            "themes": [
                {"theme": theme_titles.get(t, t) or "No learning theme", "areas": len(kinds[AREA])}
                for t, kinds in themes.items()
                if kinds[AREA]
            ],
            "people": [
                {
                    "name": names(m),
                    "strengths": [s for c in views[m] for s in c["strengths"]],
                    "areas": [s for c in views[m] for s in c["areas"]],
                }
                for m in members
            ],
        }
        page = env.get_template("supervision/team.html.j2").render(**facts)
        packs.teams.append(Pack(f"teams/{team_id}.html", page, team_name, manager, "team"))
    return packs


def _case(service: Service, audit: Audit, names: Names, as_of: date) -> dict:
    """One audited case as the pack shows it: strengths first."""
    settings = service.settings
    cycle = service.cycles[audit.cycle]
    domain_set = settings.domain_set_for(audit.cycle)
    titles = {d.id: d.title for d in domain_set.domains} if domain_set else {}
    order = [d for d in titles if d in audit.domains] + [d for d in audit.domains if d not in titles]
    grades = service.effective_grades(audit, as_of)
    records = service.records_of(audit.key)
    domains = [
        {
            "title": titles.get(d, d),
            "grade": settings.grade_label(grades.domains[d]),
            "good": grades.domains[d] in GOOD_OR_BETTER,
        }
        for d in order
        if grades.domains[d] is not Grade.NOT_APPLICABLE
    ]
    discussions = [
        {"date": day(r.date), "by": names(r.actor), "note": one_line(r.note), "next": one_line(r.for_next_meeting)}
        for r in records
        if r.kind == "reflective-discussion" and r.date <= as_of
    ]
    if not discussions and audit.followup.reflective_discussion:
        discussions = [
            {
                "date": day(audit.followup.reflective_discussion),
                "by": "",
                "note": "",
                "next": one_line(audit.followup.reflective_notes),
            }
        ]
    form = next((f for f in service.worker_forms if f.cycle == audit.cycle and f.case == audit.case), None)
    prompts = {q.id: q.prompt for q in settings.worker_questions}
    answers = (
        [
            {"prompt": one_line(prompts.get(k, k)), "answer": one_line(v)}
            for k, v in sorted(
                form.answers.items(), key=lambda kv: list(prompts).index(kv[0]) if kv[0] in prompts else 99
            )
            if one_line(v)
        ]
        if form
        else []
    )
    return {
        "case": audit.case,
        "cycle": audit.cycle,
        "month": month_name(audit.cycle),
        "theme": one_line(cycle.theme_title),
        "overall": settings.grade_label(grades.overall),
        "good": grades.overall in GOOD_OR_BETTER,
        "revision": revision(audit, grades, settings),
        "domains_good": [d for d in domains if d["good"]],
        "domains_develop": [d for d in domains if not d["good"]],
        "strengths": [one_line(s) for s in audit.strengths if one_line(s)],
        "areas": [one_line(s) for s in audit.areas_for_development if one_line(s)],
        "actions": actions(audit, names, as_of, records),
        "discussions": discussions,
        "worker_submitted": day(form.submitted) if form else "",
        "answers": answers,
    }


def _went_well(cases: list[dict]) -> dict:
    """What went well across the cases: the strengths, and the domains Good or better, most often first."""
    domains = Counter(d["title"] for c in cases for d in c["domains_good"])
    return {
        "strengths": [s for c in cases for s in c["strengths"]],
        "domains": [
            f"{title} ({n} of {len(cases)} cases)" if len(cases) > 1 else title for title, n in domains.most_common()
        ],
    }


def _counts(cases: list[dict]) -> dict:
    statuses = [a.status for c in cases for a in c["actions"]]
    return {
        "cases": len(cases),
        "good": sum(1 for c in cases if c["good"]),
        "actions_done": sum(1 for s in statuses if s.startswith("done")),
        "actions_open": sum(1 for s in statuses if s.startswith("open")),
        "actions_overdue": statuses.count("open, overdue"),
        "actions_not_met": statuses.count("not met"),
        "discussed": sum(1 for c in cases if c["discussions"]),
    }


def _member_row(name: str, cases: list[dict]) -> dict:
    counts = _counts(cases)
    return {
        "name": name,
        "listed": "; ".join(f"{c['case']} ({c['month']}): {c['overall']}" for c in cases),
        "strengths": sum(len(c["strengths"]) for c in cases),
        "areas": sum(len(c["areas"]) for c in cases),
        **counts,
    }


def _needs_by_team(service: Service, audits: list[Audit], as_of: date) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for need in training_needs(service, audits, as_of):
        grouped.setdefault(need.team, []).append(need)
    return grouped


def _team_manager(service: Service, team_id: str, managers: list[Person | None]) -> Person | None:
    """The team's manager: the team manager most of its audited practitioners answer to, else the team's first
    team manager in staff.yaml."""
    found = Counter(m.id for m in managers if m is not None)
    if found:
        return service.staff.get(found.most_common(1)[0][0])
    members = [service.staff.get(i) for i in service.staff.members.get(team_id, ())]
    return next((p for p in members if p is not None and p.role is Role.TEAM_MANAGER), None)
