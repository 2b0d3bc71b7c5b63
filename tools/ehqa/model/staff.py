"""Teams and staff, from staff.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ehqa.model.enums import Role

if TYPE_CHECKING:
    from ehqa.model.cycles import Nomination


@dataclass(frozen=True, slots=True)
class Absence:
    start: date
    end: date  # inclusive

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: Role
    team: str
    line_manager: str | None = None
    auditor: bool = False
    moderator: bool = False  # a named moderator (external, say) who may moderate audits (issue 14; ehqa moderate)
    github: str | None = None
    email: str | None = None
    left: date | None = None
    absences: tuple[Absence, ...] = ()

    def in_service_on(self, day: date) -> bool:
        """Not yet left on ``day`` (``left`` is the first day they are gone)."""
        return self.left is None or self.left > day

    def available(self, start: date, end: date) -> bool:
        """Not absent, and still in the service, at any time between start and end."""
        if not self.in_service_on(end):
            return False
        return not any(a.overlaps(start, end) for a in self.absences)


@dataclass(frozen=True, slots=True)
class StaffDirectory:
    source: str
    teams: dict[str, Team]
    listed: tuple[Person, ...]  # everyone as written, in file order (duplicates included, for messages)
    people: dict[str, Person] = field(init=False)
    members: dict[str, tuple[str, ...]] = field(init=False)  # team id -> staff ids, in file order

    def __post_init__(self) -> None:
        people: dict[str, Person] = {}
        for person in self.listed:
            people.setdefault(person.id, person)
        members: dict[str, list[str]] = {}
        for person in people.values():
            members.setdefault(person.team, []).append(person.id)
        object.__setattr__(self, "people", people)
        object.__setattr__(self, "members", {team: tuple(ids) for team, ids in members.items()})

    def get(self, staff_id: str) -> Person | None:
        return self.people.get(staff_id)

    def management_chain(self, staff_id: str) -> tuple[str, ...]:
        """The line managers above a person, nearest first. Stops at a loop (reported elsewhere)."""
        chain: list[str] = []
        seen = {staff_id}
        person = self.people.get(staff_id)
        while person is not None and person.line_manager and person.line_manager not in seen:
            chain.append(person.line_manager)
            seen.add(person.line_manager)
            person = self.people.get(person.line_manager)
        return tuple(chain)

    def team_manager_of(self, nomination: Nomination | None) -> Person | None:
        """The team manager of a nominated case: whom the auditor tells of a safety concern (R11), who
        agrees SMART actions (R17) and holds the reflective discussion (R19).

        The first team manager up the practitioner's line-management chain: the guidance gives these
        to the practitioner's own manager. Where that chain reaches no team manager (a practitioner
        managed by a senior practitioner or an area manager, or with no line manager recorded), the
        team manager who nominated the case: cases are nominated by the team managers of the teams
        that hold them (R3), so the nominator answers for the case. None when neither is one.
        """
        if nomination is None:
            return None
        for manager_id in self.management_chain(nomination.practitioner):
            manager = self.people.get(manager_id)
            if manager is not None and manager.role is Role.TEAM_MANAGER:
                return manager
        nominator = self.people.get(nomination.nominated_by)
        return nominator if nominator is not None and nominator.role is Role.TEAM_MANAGER else None

    def qa_officer_on(self, day: date) -> Person | None:
        """The QA officer on ``day``: who sends the notices (R5, R7) and owns the follow-ups the QA
        officer owes (R15, R16, R17). See ``in_post``."""
        return self.in_post(Role.QA_OFFICER, day)

    def in_post(self, role: Role, day: date) -> Person | None:
        """Who holds ``role`` on ``day``, where work falls to one person.

        The first in staff.yaml's order who holds it and is at work that day; where every one is
        absent, the first who has not left, since the work waits for their return. Never one who
        has left: their mail goes nowhere and their follow-ups would never close. None when nobody
        holding the role is still in the service.
        """
        holders = [person for person in self.people.values() if person.role is role and person.in_service_on(day)]
        present = [person for person in holders if person.available(day, day)]
        return (present or holders or [None])[0]
