"""staff.yaml for the demo: teams, invented staff, line management, auditors and absences.

Names are ordinary invented first-name/surname pairs; handles and e-mail addresses
are on the reserved ``.example`` domain. The line-management chain is
practitioner -> team manager -> area manager -> service manager -> senior leadership,
so the R6 conflict rules have real chains to follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from ehqa import layout
from ehqa.demo.settings import AUDITOR_ROLES, SENIOR_MANAGER_ROLES
from ehqa.model import Absence, Person, Role, StaffDirectory, Team

FIRST_NAMES = (
    "Aisha Alex Amara Amy Andrew Anita Ben Bethan Carla Chloe Chris Claire Daniel Deborah Dev "
    "Eleanor Emma Erin Faisal Fiona Gareth Grace Hannah Harriet Imran Isla Jack Jade James Jasmine "
    "Joanne Jon Karen Kate Kieran Laura Leah Liam Lucy Maria Mark Martin Megan Mohammed Naomi Neil "
    "Nicola Niamh Oliver Omar Paula Priya Rachel Rebecca Rhys Richard Rosa Ruth Sam Sarah Scott "
    "Shauna Simon Sophie Stephen Tanya Tom Vicky Wendy Yasmin Zara Abdul Beatrice Callum Dylan "
    "Esther Femi Gemma Hugo Ivy Joel Kemi Lewis Mina Nadia Owen Pippa Ravi Sian Theo Una Wesley"
).split()
SURNAMES = (
    "Abbott Ahmed Ainsworth Bailey Barker Bell Bennett Bishop Booth Bradley Brennan Carter Chapman "
    "Clarke Coleman Cooper Dale Davies Dawson Dixon Doyle Edwards Ellis Evans Farrow Fisher Fleming "
    "Foster Gardner Gibson Gill Graham Grant Hale Hamilton Harper Hayes Holt Hughes Hussain Irwin "
    "Jarvis Jenkins Joshi Kaur Kelly Kennedy Khan Lambert Lane Lawson Lloyd Lowe Malik Marsh Mason "
    "Mills Morgan Murray Nash Newton Norris Okafor Osei Owens Palmer Parry Patel Pearce Perry Porter "
    "Quinn Reid Rhodes Riley Rowe Saunders Shah Sharma Sheppard Short Singh Slater Stone Sutton "
    "Thornton Tucker Turner Vaughan Walsh Ward Webb Whitehead Wilkins Wood Wright Yates Young"
).split()
AREAS = (
    "North South East West Central Riverside Hillside Coastal Valley Northgate Southgate Eastfield "
    "Westfield Midtown"
).split()
AGE_BANDS = ("0-11", "12-18", "0-18")
MANAGEMENT_TEAM = ("eh-management", "Early Help Management")
QA_TEAM = ("quality-assurance", "Quality Assurance")


@dataclass
class DemoStaff:
    """The generated staff directory, as file records and as the model the rules use."""

    teams: list[dict[str, Any]]
    records: list[dict[str, Any]]
    directory: StaffDirectory
    casework_teams: list[str]
    team_manager: dict[str, str]
    caseholders: dict[str, list[str]]  # team id -> caseholder ids, in file order
    auditors: list[str]  # everyone with auditor: true and an auditor role, in file order
    head_of_qa: str
    qa_officer: str
    service_manager: str
    left: dict[str, date] = field(default_factory=dict)


# Issue 14: a named moderator from a neighbouring authority, who moderates a share of the sampled audits (staff.yaml
# moderator: true). Not an auditor; listed in the QA team, with no line manager here.
EXTERNAL_MODERATOR: dict[str, Any] = {
    "name": "Morgan Ashdown", "role": "area-manager", "team": QA_TEAM[0], "line_manager": None, "auditor": False,
    "moderator": True, "github": "morgan-ashdown-ext", "email": "morgan.ashdown@neighbouring-council.example",
    "left": None, "absences": None,
}


def team_names(count: int) -> list[tuple[str, str]]:
    """``count`` casework teams as (id, name), the first eight 0-11 and 12-18 by compass point."""
    names: list[str] = [f"{band} {area}" for band in AGE_BANDS[:2] for area in AREAS[:4]]
    names += [f"{band} {area}" for band in AGE_BANDS for area in AREAS if f"{band} {area}" not in names]
    names += [f"Team {n}" for n in range(1, count + 1)]
    chosen = names[:count]
    return [("eh-" + _slug(name), f"Early Help {name}") for name in chosen]


def build_staff(
    rng: Random, teams: int, staff_per_team: int, first_day: date, last_day: date, as_of: date
) -> DemoStaff:
    """The directory for ``teams`` casework teams of ``staff_per_team`` (team manager included),
    with area managers over about three teams each, and the service's leadership and QA staff."""
    namer = _Namer(rng)
    records: list[dict[str, Any]] = []

    def add(role: str, team: str, line_manager: str | None, auditor: bool) -> str:
        staff_id = f"EH{len(records) + 1:04d}"
        first, last = namer.next()
        records.append(
            {
                "id": staff_id,
                "name": f"{first} {last}",
                "role": role,
                "team": team,
                "line_manager": line_manager,
                "auditor": auditor,
                "github": namer.handle(first, last),
                "email": namer.email(first, last),
                "left": None,
                "absences": None,
            }
        )
        return staff_id

    casework = team_names(teams)
    team_list = [{"id": i, "name": n} for i, n in (MANAGEMENT_TEAM, QA_TEAM, *casework)]
    slt = add("senior-leadership", MANAGEMENT_TEAM[0], None, True)
    service_manager = add("service-manager", MANAGEMENT_TEAM[0], slt, True)
    head_of_qa = add("head-of-service-qa", QA_TEAM[0], slt, False)
    qa_officer = add("qa-officer", QA_TEAM[0], head_of_qa, False)
    area_count = max(1, (teams + 2) // 3)
    area_managers = [add("area-manager", MANAGEMENT_TEAM[0], service_manager, True) for _ in range(area_count)]

    team_manager: dict[str, str] = {}
    caseholders: dict[str, list[str]] = {}
    practitioners: list[str] = []
    for index, (team_id, _name) in enumerate(casework):
        area_manager = area_managers[index * area_count // teams]
        manager = add("team-manager", team_id, area_manager, True)
        team_manager[team_id] = manager
        members = [add("senior-practitioner", team_id, manager, True), add("case-manager", team_id, manager, True)]
        for _ in range(staff_per_team - 3):
            staff_id = add("practitioner", team_id, manager, False)
            members.append(staff_id)
            practitioners.append(staff_id)
        caseholders[team_id] = members

    by_id = {record["id"]: record for record in records}
    for staff_id in practitioners:  # section 2.2: practitioners audit "where applicable"
        by_id[staff_id]["auditor"] = rng.random() < 0.35

    left = _leavers(rng, by_id, practitioners, first_day, as_of)
    _absences(rng, records, first_day, last_day)

    records.append({"id": f"EH{len(records) + 1:04d}", **EXTERNAL_MODERATOR})  # last, drawing nothing: the rest
    directory = _directory(team_list, records)  # of the demo is as before
    auditors = [
        r["id"] for r in records if r["auditor"] and r["role"] in AUDITOR_ROLES and r["left"] is None
    ]
    return DemoStaff(
        teams=team_list,
        records=records,
        directory=directory,
        casework_teams=[team_id for team_id, _ in casework],
        team_manager=team_manager,
        caseholders=caseholders,
        auditors=auditors,
        head_of_qa=head_of_qa,
        qa_officer=qa_officer,
        service_manager=service_manager,
        left=left,
    )


def staff_document(staff: DemoStaff) -> dict[str, Any]:
    return {"teams": staff.teams, "staff": staff.records}


# --- helpers ----------------------------------------------------------------------------


def _leavers(
    rng: Random, by_id: dict[str, dict[str, Any]], practitioners: list[str], first_day: date, as_of: date
) -> dict[str, date]:
    """A few practitioners (about one in fifty) who left part-way through; never auditors."""
    start, end = first_day + timedelta(days=150), as_of - timedelta(days=30)
    if end <= start or not practitioners:
        return {}
    left: dict[str, date] = {}
    for staff_id in rng.sample(practitioners, max(1, len(practitioners) // 50)):
        day = start + timedelta(days=rng.randint(0, (end - start).days))
        by_id[staff_id]["left"] = day
        by_id[staff_id]["auditor"] = False
        left[staff_id] = day
    return left


def _absences(rng: Random, records: list[dict[str, Any]], first_day: date, last_day: date) -> None:
    """Known leave and training for about a quarter of staff: one or two spells of 2-15 days."""
    span = (last_day - first_day).days
    for record in records:
        chance = 0.12 if record["role"] in SENIOR_MANAGER_ROLES else 0.25
        if span < 30 or rng.random() >= chance:
            continue
        spells: list[dict[str, date]] = []
        for _ in range(rng.choice((1, 1, 2))):
            start = first_day + timedelta(days=rng.randint(0, span - 16))
            end = start + timedelta(days=rng.randint(1, 14))
            if record["left"] is not None and start >= record["left"]:
                continue
            if all(end < s["from"] or start > s["to"] for s in spells):
                spells.append({"from": start, "to": end})
        record["absences"] = sorted(spells, key=lambda s: s["from"]) or None


def _directory(team_list: list[dict[str, Any]], records: list[dict[str, Any]]) -> StaffDirectory:
    people = {
        r["id"]: Person(
            id=r["id"],
            name=r["name"],
            role=Role(r["role"]),
            team=r["team"],
            line_manager=r["line_manager"],
            auditor=r["auditor"],
            moderator=r.get("moderator", False),
            github=r["github"],
            email=r["email"],
            left=r["left"],
            absences=tuple(Absence(a["from"], a["to"]) for a in (r["absences"] or ())),
        )
        for r in records
    }
    teams = {t["id"]: Team(t["id"], t["name"]) for t in team_list}
    return StaffDirectory(source=layout.STAFF_FILE, teams=teams, listed=tuple(people.values()))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Namer:
    """Unique invented names, GitHub handles and e-mail addresses."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.handles: set[str] = set()
        self.emails: set[str] = set()

    def next(self) -> tuple[str, str]:
        for _ in range(1000):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
            if f"{first} {last}" not in self.names:
                self.names.add(f"{first} {last}")
                return first, last
        raise ValueError("the demo has run out of invented names: ask for fewer staff")

    def handle(self, first: str, last: str) -> str:
        first, last = _alnum(first), _alnum(last)
        for length in range(1, len(last) + 1):
            candidate = f"demo-{first}{last[:length]}"[:39]
            if candidate not in self.handles:
                self.handles.add(candidate)
                return candidate
        number = 2
        while f"demo-{first}{last}{number}"[:39] in self.handles:
            number += 1
        self.handles.add(f"demo-{first}{last}{number}"[:39])
        return f"demo-{first}{last}{number}"[:39]

    def email(self, first: str, last: str) -> str:
        base, number = f"{_alnum(first)}.{_alnum(last)}", 1
        candidate = f"{base}@demoshire.example"
        while candidate in self.emails:
            number += 1
            candidate = f"{base}{number}@demoshire.example"
        self.emails.add(candidate)
        return candidate


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
