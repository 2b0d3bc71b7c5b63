"""Cycles for the demo: dates, themes, nominations and a seeded allocation of pairs.

The allocation here is a simple seeded greedy draw (with a matching step for
re-audits) that keeps to the rules the validator checks: auditors marked as
auditors and available for the whole window, nobody in two pair entries, no R6
conflict (``ehqa.rules.conflicts.conflict_reason``), no pair of two practitioners,
re-audits to one senior manager. The service's real allocator is ``ehqa allocate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from ..model import Nomination
from ..rules.conflicts import conflict_reason
from . import dates
from .people import DemoStaff
from .settings import PAIR_LOOKBACK

# (title, source, learning themes, rationale)
THEMES: list[tuple[str, str, list[str], str]] = [
    ("Neglect and the home environment", "serious-case-review", ["neglect", "voice-of-child"],
     "A safeguarding practice review found that chronic neglect was recognised late when "
     "the focus stayed on single incidents."),
    ("Domestic abuse and safety planning", "performance-information", ["domestic-abuse", "multi-agency-working"],
     "Police notifications of domestic abuse to Early Help rose this quarter, and few plans "
     "recorded a safety plan."),
    ("Young carers", "earlier-audits", ["young-carers", "voice-of-child"],
     "Earlier audits found caring roles mentioned in assessments but rarely assessed or supported."),
    ("Hearing the voice of the child", "previous-meeting", ["voice-of-child"],
     "The previous QA meeting found children's views recorded but not shaping the plan."),
    ("School attendance and part-time timetables", "performance-information",
     ["school-attendance", "multi-agency-working"],
     "Persistent absence among children open to Early Help is above the local average."),
    ("Parental mental health", "earlier-audits", ["parental-mental-health", "multi-agency-working"],
     "Audits noted limited contact with adult mental health services when planning for children."),
    ("Families awaiting a neurodevelopmental assessment", "previous-meeting",
     ["neurodiversity", "school-attendance"],
     "Practitioners at the previous QA meeting raised long waits and families left without support."),
    ("Step-down from children's social care", "performance-information", ["transitions", "management-oversight"],
     "Step-down cases re-referred within six months have increased."),
    ("Quality of management oversight", "earlier-audits", ["management-oversight"],
     "Earlier audits graded management oversight lower than any other domain."),
    ("Parental substance misuse", "serious-case-review", ["substance-misuse", "parental-mental-health"],
     "A national review highlighted hidden harm where parental drug or alcohol use was minimised."),
    ("Housing instability and financial hardship", "previous-meeting", ["housing", "neglect"],
     "The previous QA meeting identified poverty and housing as drivers of need across teams."),
    ("Multi-agency information sharing", "serious-case-review", ["multi-agency-working", "domestic-abuse"],
     "A local review found that partners held information that was not shared with the lead practitioner."),
    ("Adolescents and transitions", "other", ["transitions", "voice-of-child"],
     "Service development work on support for older young people moving between services."),
    ("Drift and delay in Early Help plans", "performance-information", ["management-oversight", "transitions"],
     "The number of plans open longer than twelve months has grown."),
    ("Engaging fathers and male carers", "earlier-audits", ["voice-of-child", "multi-agency-working"],
     "Audits found fathers and male carers largely absent from assessments and plans."),
    ("Random sample across all teams", "other", ["voice-of-child", "management-oversight"],
     "A general sample to check the baseline of practice between themed months."),
]


@dataclass
class CyclePlan:
    id: str
    index: int
    meeting: date
    allocations_by: date
    worker_forms_due: date
    audits_due: date
    allocated: date  # the day the allocation is (or will be) made
    seed: int
    theme: dict[str, Any] = field(default_factory=dict)
    nominations: list[Nomination] = field(default_factory=list)
    pairs: list[tuple[list[str], list[str]]] = field(default_factory=list)
    unallocated: list[tuple[str, str]] = field(default_factory=list)

    @property
    def allocation_made(self) -> bool:
        return bool(self.pairs or self.unallocated)


def plan_dates(rng: Random, cycle_ids: list[str], first_index: int = 0) -> list[CyclePlan]:
    """The dates of each cycle (R5, R7, R13), from the meeting on the third Tuesday."""
    plans = []
    for index, cycle in enumerate(cycle_ids, start=first_index):
        meeting = dates.meeting_date(cycle)
        allocations_by = meeting - timedelta(days=14)
        allocated = allocations_by - timedelta(days=1 if rng.random() < 0.2 else 0)
        plans.append(
            CyclePlan(
                id=cycle,
                index=index,
                meeting=meeting,
                allocations_by=allocations_by,
                worker_forms_due=dates.on_or_before_working_day(meeting - timedelta(days=10)),
                audits_due=dates.on_or_before_working_day(meeting - timedelta(days=3)),
                allocated=allocated,
                seed=rng.randrange(1, 2**31),
            )
        )
    return plans


def pick_themes(rng: Random, plans: list[CyclePlan]) -> None:
    order: list[int] = []
    previous = -1
    for plan in plans:
        if not order:
            order = list(range(len(THEMES)))
            rng.shuffle(order)
            if order[0] == previous:
                order.append(order.pop(0))
        previous = order.pop(0)
        title, source, learning, rationale = THEMES[previous]
        plan.theme = {"title": title, "source": source, "learning_themes": list(learning), "rationale": rationale}


class CaseRefs:
    """Unique, plainly fake case references: seven digits starting with 9."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            ref = f"9{self.rng.randrange(0, 1_000_000):06d}"
            if ref not in self.used:
                self.used.add(ref)
                return ref


def nominate(
    rng: Random, staff: DemoStaff, plan: CyclePlan, count: int, refs: CaseRefs, last_nominated: dict[str, int]
) -> list[Nomination]:
    """``count`` new cases for the theme (R3), spread over the teams, each from one of the team's
    caseholders and nominated by its team manager."""
    horizon = plan.meeting + timedelta(days=130)  # still in post for a re-audit (R18)
    teams = list(staff.casework_teams)
    rng.shuffle(teams)
    nominations: list[Nomination] = []
    for n in range(count):
        team = teams[n % len(teams)]
        holders = [h for h in staff.caseholders[team] if staff.left.get(h, date.max) > horizon]
        if not holders:
            continue
        fresh = [h for h in holders if plan.index - last_nominated.get(h, -99) > 2]
        practitioner = rng.choice(fresh or holders)
        last_nominated[practitioner] = plan.index
        nominations.append(Nomination(refs.new(), practitioner, team, staff.team_manager[team]))
    return nominations


def reaudit_window(original_completed: date, plan: CyclePlan) -> tuple[date, date] | None:
    """The days on which a re-audit in this cycle could be completed: inside the audit window
    and 2-3 calendar months after the original audit (R18)."""
    start = max(plan.allocated + timedelta(days=1), dates.add_months(original_completed, 2))
    end = min(plan.audits_due, dates.add_months(original_completed, 3))
    while start <= end and not dates.is_working_day(start):
        start += timedelta(days=1)
    while end >= start and not dates.is_working_day(end):
        end -= timedelta(days=1)
    return (start, end) if start <= end else None


class Allocator:
    """A seeded draw of pairs for each cycle; remembers pairs and workload across cycles."""

    def __init__(self, staff: DemoStaff) -> None:
        self.staff = staff
        self.usage: dict[str, int] = {a: 0 for a in staff.auditors}
        self.paired: dict[tuple[str, str], int] = {}
        self._conflicts: dict[tuple[str, str], frozenset[str]] = {}
        self._senior = set(staff.senior_managers)

    def may_audit(self, auditor: str, nomination: Nomination) -> bool:
        return auditor not in self.blocked(nomination)

    def blocked(self, nomination: Nomination) -> frozenset[str]:
        """The auditors that R6 rules out of this case, by ``conflict_reason``; the answer
        depends only on the practitioner and team, so it is worked out once for each."""
        key = (nomination.practitioner, nomination.team)
        blocked = self._conflicts.get(key)
        if blocked is None:
            directory = self.staff.directory
            blocked = frozenset(a for a in self.staff.auditors if conflict_reason(directory, a, nomination) is not None)
            self._conflicts[key] = blocked
        return blocked

    def allocate(
        self, plan: CyclePlan, regular: list[Nomination], reaudits: list[Nomination]
    ) -> tuple[list[tuple[list[str], list[str]]], list[Nomination], list[Nomination]]:
        """Pairs for the cycle; returns (pairs, re-audits placed, cases not placed)."""
        rng = Random(plan.seed)
        people = self.staff.directory.people
        pool = [a for a in self.staff.auditors if people[a].available(plan.allocated, plan.audits_due)]
        rng.shuffle(pool)
        senior_cases = self._match_reaudits(rng, [a for a in pool if a in self._senior], reaudits)
        used = set(senior_cases)
        remaining = [a for a in pool if a not in used]
        best: tuple[list[tuple[list[str], list[str]]], list[Nomination]] | None = None
        for _attempt in range(12):
            cases = list(regular)
            rng.shuffle(cases)
            result = self._draw_pairs(rng, plan, list(remaining), cases)
            if best is None or len(result[1]) < len(best[1]):
                best = result
            if not result[1]:
                break
        pairs, failed = best if best is not None else ([], [])
        for auditors, _cases in pairs:
            for auditor in auditors:
                self.usage[auditor] += 1
            if len(auditors) == 2:
                self.paired[tuple(sorted(auditors))] = plan.index  # type: ignore[index]
        placed = [n for cases in senior_cases.values() for n in cases]
        for senior, cases in senior_cases.items():
            self.usage[senior] += 1
            pairs.append(([senior], [n.case for n in cases]))
        failed += [n for n in reaudits if n not in placed]
        return pairs, placed, failed

    def _match_reaudits(
        self, rng: Random, seniors: list[str], reaudits: list[Nomination]
    ) -> dict[str, list[Nomination]]:
        """Each re-audit to one senior manager free of conflict, two at most each (R18)."""
        assigned: dict[str, list[Nomination]] = {s: [] for s in seniors}
        order = list(reaudits)
        rng.shuffle(order)

        def place(nomination: Nomination, seen: set[str]) -> bool:
            for senior in seniors:
                if senior in seen or not self.may_audit(senior, nomination):
                    continue
                seen.add(senior)
                if len(assigned[senior]) < 2:
                    assigned[senior].append(nomination)
                    return True
                for other in list(assigned[senior]):
                    assigned[senior].remove(other)
                    assigned[senior].append(nomination)
                    if place(other, seen):
                        return True
                    assigned[senior].remove(nomination)
                    assigned[senior].append(other)
            return False

        for nomination in order:
            place(nomination, set())
        return {s: cases for s, cases in assigned.items() if cases}

    def _draw_pairs(
        self, rng: Random, plan: CyclePlan, remaining: list[str], cases: list[Nomination]
    ) -> tuple[list[tuple[list[str], list[str]]], list[Nomination]]:
        pairs: list[tuple[list[str], list[str]]] = []
        failed: list[Nomination] = []
        groups = [cases[i : i + 2] for i in range(0, len(cases), 2)]
        while groups:
            group = groups.pop(0)
            chosen = self._pair_for(rng, plan, remaining, group)
            if chosen is None:
                if len(group) == 2:  # try the two cases with different pairs
                    groups[0:0] = [[group[0]], [group[1]]]
                else:
                    failed.extend(group)
                continue
            for auditor in chosen:
                remaining.remove(auditor)
            pairs.append((list(chosen), [n.case for n in group]))
        return pairs, failed

    def _pair_for(
        self, rng: Random, plan: CyclePlan, remaining: list[str], group: list[Nomination]
    ) -> tuple[str, str] | None:
        people = self.staff.directory.people
        teams = {n.team for n in group}
        blocked = frozenset().union(*(self.blocked(n) for n in group))
        valid = [a for a in remaining if a not in blocked]
        other_team = [a for a in valid if people[a].team not in teams]
        candidates = other_team if len(other_team) >= 2 else valid
        rng.shuffle(candidates)
        candidates.sort(key=lambda a: self.usage[a])  # least used first; ties stay random
        for first in candidates[: max(3, len(candidates) // 3)]:
            first_is_practitioner = people[first].role.value == "practitioner"
            seconds = [
                b
                for b in candidates
                if b != first and not (first_is_practitioner and people[b].role.value == "practitioner")
            ]
            fresh = [b for b in seconds if plan.index - self.paired.get(tuple(sorted((first, b))), -99) > PAIR_LOOKBACK]  # type: ignore[arg-type]
            pick = fresh or seconds
            if pick:
                return first, pick[0] if rng.random() < 0.7 else rng.choice(pick[: max(1, len(pick) // 2)])
        return None
