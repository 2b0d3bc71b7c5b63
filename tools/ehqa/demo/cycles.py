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

import ehqa.demo.dates as dates
from ehqa import layout
from ehqa.demo.people import DemoStaff
from ehqa.model import Allocation, Cycle, Nomination, Settings, Timescales
from ehqa.model.calendar import add_months
from ehqa.model.cycle_dates import derive_dates
from ehqa.plan.allocation import AllocationRequest, allocate
from ehqa.rules.cycles import can_fill_in_the_form

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
        # the demo's qa.yaml (demo/settings.py) gives practitioners 5 working days from the allocations (R7)
        derived = derive_dates(meeting, Timescales(worker_form_working_days=5), dates.CALENDAR)
        allocations_by = derived.allocations_by
        allocated = allocations_by - timedelta(days=1 if rng.random() < 0.2 else 0)
        plans.append(
            CyclePlan(
                id=cycle,
                index=index,
                meeting=meeting,
                allocations_by=allocations_by,
                worker_forms_due=derived.worker_forms_due,
                audits_due=derived.audits_due,
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
        if not _can_fill_in_the_form(staff, practitioner, plan):  # drawn again only then: the seed's demo stays
            present = ([h for h in fresh if _can_fill_in_the_form(staff, h, plan)]
                       or [h for h in holders if _can_fill_in_the_form(staff, h, plan)])
            if not present:
                continue
            practitioner = rng.choice(present)
        last_nominated[practitioner] = plan.index
        nominations.append(Nomination(refs.new(), practitioner, team, staff.team_manager[team]))
    return nominations


def _can_fill_in_the_form(staff: DemoStaff, practitioner: str, plan: CyclePlan) -> bool:
    """R7, as NOMINATION-UNAVAILABLE checks it (``rules.cycles.can_fill_in_the_form``)."""
    person = staff.directory.get(practitioner)
    return person is not None and can_fill_in_the_form(person, plan.allocations_by, plan.worker_forms_due)


def reaudit_window(original_completed: date, plan: CyclePlan) -> tuple[date, date] | None:
    """The days on which a re-audit in this cycle could be completed: inside the audit window
    and 2-3 calendar months after the original audit (R18)."""
    start = max(plan.allocated + timedelta(days=1), add_months(original_completed, 2))
    end = min(plan.audits_due, add_months(original_completed, 3))
    while start <= end and not dates.is_working_day(start):
        start += timedelta(days=1)
    while end >= start and not dates.is_working_day(end):
        end -= timedelta(days=1)
    return (start, end) if start <= end else None


class Allocator:
    """The demo's draw: ``ehqa.plan.allocation`` itself, fed the cycle as the files will hold it.

    Keeps the earlier cycles' allocations, so that load spreading and pair repeats work
    across the demo's history exactly as they do for `ehqa allocate`.
    """

    def __init__(self, staff: DemoStaff, settings: Settings) -> None:
        self.staff = staff
        self.settings = settings
        self.history: list[Allocation] = []

    def allocate(
        self, plan: CyclePlan, regular: list[Nomination], reaudits: list[Nomination]
    ) -> tuple[list[tuple[list[str], list[str]]], list[Nomination], list[Nomination]]:
        """Pairs for the cycle; returns (pairs, re-audits placed, cases not placed)."""
        cycle = Cycle(
            source=layout.cycle_path(plan.id), id=plan.id, theme_title=str(plan.theme.get("title", "")),
            theme_source=str(plan.theme.get("source", "other")), theme_learning=(), meeting=plan.meeting,
            allocations_by=plan.allocations_by, worker_forms_due=plan.worker_forms_due, audits_due=plan.audits_due,
            nominations=tuple(regular + reaudits),
        )
        request = AllocationRequest(cycle, self.staff.directory, self.settings, tuple(self.history), plan.allocated,
                                    plan.seed)
        result = allocate(request)
        self.history.append(Allocation(layout.allocation_path(plan.id), plan.id, plan.seed, plan.allocated,
                                       result.pairs))
        stuck = {u.case for u in result.unallocated}
        pairs = [(list(p.auditors), list(p.cases)) for p in result.pairs]
        return pairs, [n for n in reaudits if n.case not in stuck], [n for n in regular + reaudits if n.case in stuck]

