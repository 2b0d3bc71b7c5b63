"""Teams and staff, from staff.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.model.enums import Role


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
    github: str | None = None
    email: str | None = None
    left: date | None = None
    absences: tuple[Absence, ...] = ()

    def available(self, start: date, end: date) -> bool:
        """Not absent, and still in the service, at any time between start and end."""
        if self.left is not None and self.left <= end:
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
