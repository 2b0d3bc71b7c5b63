"""Who audits what: pairing auditors at random and giving each pair two cases (R4–R6, R18).

The rules of the draw, which ``ehqa allocate --help`` and docs/allocation.md repeat:

Hard constraints, never broken:

* R6: nobody audits a case they work, or one inside their own line-management chain; a team
  manager never audits their own team's cases; with ``allocation.exclude_own_team``, nobody
  audits their own team's cases (``rules.conflicts`` is the one definition);
* only people in the auditor pool (``auditor: true`` and an auditing role) are drawn, and only
  when no absence overlaps the audit window and they have not left;
* a re-audit due this cycle (R18) goes to one senior manager, alone;
* nobody is in two pairs of one cycle;
* no pair holds a line manager and their direct report (unless ``allocation.pair_line_managers``).

Soft goals, in this order: (1) spread the load: those who audited least recently go first;
(2) no pair repeats one from the last ``allocation.pair_repeat_lookback_cycles`` cycles;
(3) every pair mixes experience: never two practitioner-grade auditors.

Odd numbers: each pair takes two cases; when the number of cases is odd, one pair takes a
single case, and more pairs do only when conflicts leave a case no partner case (the output
says so). Auditors not needed sit this cycle out, those who audited most recently first, and
so go first next time. A senior manager takes one re-audit, or two when seniors run short.

Reproducible: the seed fixes every random choice, so the same inputs and seed give the same
allocation.

Complete: the draw finds an allocation of every case whenever one exists. A quick search comes
first: it places the hardest cases first and backtracks, trying auditors in the order of the soft
goals, so the first allocation it finds meets them as well as that order can; small and ordinary
services need about one step per case. Past ``SEARCH_SLACK`` steps more, or when it proves that no allocation
covers every case, the exact model of ``plan.exact`` (OR-Tools CP-SAT) decides: it finds an
allocation of every case whenever one exists, and otherwise covers as many cases as can be
covered; the cases left out are named, with why (R6).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from ehqa.model import Allocation, Cycle, Pair, Role, Settings, StaffDirectory
from ehqa.plan.reasons import ABSENT, NOT_SENIOR, left_out, too_few_reason
from ehqa.rules.conflicts import conflicts

# Steps of the quick search: one per entry when it need not go back, which it seldom needs to; past this
# many more, plan.exact decides (in a fraction of the time a long search would take).
SEARCH_SLACK = 100
PRACTITIONER_GRADE = frozenset({Role.PRACTITIONER})


@dataclass(frozen=True)
class AllocationRequest:
    """Everything the draw depends on; nothing else (no clock, no global random state)."""

    cycle: Cycle
    staff: StaffDirectory
    settings: Settings
    history: tuple[Allocation, ...]  # earlier cycles' allocations, any order
    allocated_on: date  # the audit window runs from here to the cycle's audits_due
    seed: int


@dataclass(frozen=True)
class Unallocated:
    case: str
    reason: str


@dataclass(frozen=True)
class AllocationResult:
    cycle: str
    seed: int
    pairs: tuple[Pair, ...]
    unallocated: tuple[Unallocated, ...]

    @property
    def complete(self) -> bool:
        return not self.unallocated

    def as_json(self) -> dict:
        return {
            "cycle": self.cycle,
            "seed": self.seed,
            "pairs": [{"auditors": list(p.auditors), "cases": list(p.cases)} for p in self.pairs],
            "unallocated": [{"case": u.case, "reason": u.reason} for u in self.unallocated],
        }


class _OutOfBudget(Exception):
    pass


@dataclass
class _Draw:
    """The state of one draw: eligibility, priorities, and the search over them."""

    request: AllocationRequest
    rng: random.Random
    eligible: dict[str, set[str]] = field(default_factory=dict)  # case -> auditors who may take it
    excluded: dict[str, set[str]] = field(default_factory=dict)  # case -> available auditors who may not
    exclusions: dict[str, Counter] = field(default_factory=dict)  # case -> why auditors may not
    rank: dict[str, tuple] = field(default_factory=dict)  # auditor -> sort key, least recent first
    last: dict[str, int] = field(default_factory=dict)  # auditor -> index of the last cycle audited
    recent_pairs: set[frozenset[str]] = field(default_factory=set)
    grade: dict[str, bool] = field(default_factory=dict)  # auditor -> practitioner-grade?
    jitter: dict[str, float] = field(default_factory=dict)  # case -> random tie-break among partners
    order: list[str] = field(default_factory=list)  # the auditor pool, least recent first
    forbidden_pairs: set[frozenset[str]] = field(default_factory=set)  # line manager and report, never paired
    budget: int = SEARCH_SLACK
    _partners: dict[str, list[str]] = field(default_factory=dict)
    steps: int = 0

    # --- set-up ----------------------------------------------------------------------

    def prepare(self) -> None:
        req = self.request
        settings, staff, cycle = req.settings, req.staff, req.cycle
        pool = sorted(
            p.id for p in staff.people.values() if p.auditor and p.role in settings.roles.auditor_roles
        )
        earlier = sorted((a for a in req.history if a.cycle < cycle.id), key=lambda a: a.cycle)
        for index, allocation in enumerate(earlier):
            for pair in allocation.pairs:
                for auditor in pair.auditors:
                    self.last[auditor] = index
        lookback = settings.pair_repeat_lookback_cycles
        for allocation in earlier[len(earlier) - lookback:] if lookback else ():
            for pair in allocation.pairs:
                if len(pair.auditors) >= 2:
                    self.recent_pairs.add(frozenset(pair.auditors))
        tiebreak = {auditor: self.rng.random() for auditor in pool}
        self.rank = {a: (self.last.get(a, -1), tiebreak[a]) for a in pool}
        self.order = sorted(pool, key=self.rank.__getitem__)  # least recent first
        self.grade = {a: staff.people[a].role in PRACTITIONER_GRADE for a in pool}
        if not settings.pair_line_managers:
            members = set(pool)
            self.forbidden_pairs = {
                frozenset((a, staff.people[a].line_manager)) for a in pool if staff.people[a].line_manager in members
            }
        window = (req.allocated_on, cycle.audits_due)
        available = {a for a in pool if staff.people[a].available(*window)}
        away = len(pool) - len(available)
        seniors = {a for a in available if staff.people[a].role in settings.roles.senior_manager_roles}
        for nomination in cycle.nominations:
            conflicted = conflicts(staff, nomination, exclude_own_team=settings.exclude_own_team)
            candidates = seniors if nomination.reaudit_of else available
            allowed = candidates.difference(conflicted)
            reasons: Counter = Counter({ABSENT: away} if away else {})
            reasons.update(why for auditor, why in conflicted.items() if auditor in available)
            if nomination.reaudit_of:
                reasons[NOT_SENIOR] = len(available - seniors - conflicted.keys())
            self.eligible[nomination.case] = allowed
            self.excluded[nomination.case] = available - allowed
            self.exclusions[nomination.case] = +reasons
            self.jitter[nomination.case] = self.rng.random()

    # --- the search ------------------------------------------------------------------

    def solve(self, reaudits: list[str], regular: list[str]) -> list[Pair] | None:
        """An allocation of every case given; None when none exists.

        Exhaustive: it backtracks until it finds one or has tried everything. Raises
        _OutOfBudget past ``budget`` steps.
        """
        self.reaudits, self.regular = reaudits, regular
        self.assigned: set[str] = set()
        self.used: set[str] = set()
        self.entries: list[list] = []  # [auditors, cases]
        # A case's free auditors are those eligible less those used: kept as a count of the used
        # auditors who are not eligible for it, since few are not (conflicts are few).
        pool = set(self.order)
        self.blocks: dict[str, list[str]] = {}  # auditor -> the regular cases they may not take
        for case in regular:
            for auditor in pool - self.eligible[case]:
                self.blocks.setdefault(auditor, []).append(case)
        self.blocked = dict.fromkeys(regular, 0)
        self.size = {case: len(self.eligible[case]) for case in regular}
        self.steps = 0
        if self._place_reaudit(0):
            return [Pair(tuple(auditors), tuple(cases)) for auditors, cases in self.entries]
        return None

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise _OutOfBudget

    def _place_reaudit(self, index: int) -> bool:
        if index == len(self.reaudits):
            return self._place_regular()
        self._tick()
        case = self.reaudits[index]
        candidates = [a for a in self.order if a in self.eligible[case] and a not in self.used]
        for senior in candidates:  # a senior manager of their own first, least recent first
            if self._use([senior], [case]):
                if self._place_reaudit(index + 1):
                    return True
                self._undo()
        for entry in self.entries:  # then share: a senior manager who has one re-audit takes a second
            auditors, cases = entry
            if len(auditors) == 1 and len(cases) == 1 and auditors[0] in self.eligible[case]:
                cases.append(case)
                if self._place_reaudit(index + 1):
                    return True
                cases.pop()
        return False

    def _place_regular(self) -> bool:
        case = next((c for c in self.regular if c not in self.assigned), None)
        if case is None:
            return True
        self._tick()
        for group in self._groups(case):
            candidates = set.intersection(*(self.eligible[c] for c in group)) - self.used
            if len(candidates) < 2:
                continue
            for first in [a for a in self.order if a in candidates]:
                for second in self._seconds(first, candidates):
                    if frozenset((first, second)) in self.forbidden_pairs:
                        continue
                    if self._use([first, second], group):
                        if self._place_regular():
                            return True
                        self._undo()
        return False

    def _groups(self, case: str) -> Iterator[list[str]]:
        """The case with each partner case in turn, then alone: after every pairing is tried."""
        for other in self.partners(case):
            if other in self.size and other not in self.assigned:
                yield [case, other]
        yield [case]

    def _seconds(self, first: str, candidates: set[str]) -> Iterator[str]:
        """The second auditor, best first by ``_partner_key``: the pool is in rank order, so only the
        auditors who last audited in the same cycle need sorting among themselves, and only when reached."""
        bucket: list[str] = []
        for auditor in self.order:
            if auditor == first or auditor not in candidates:
                continue
            if bucket and self.rank[auditor][0] != self.rank[bucket[0]][0]:
                yield from sorted(bucket, key=lambda b: self._partner_key(first, b))
                bucket = []
            bucket.append(auditor)
        yield from sorted(bucket, key=lambda b: self._partner_key(first, b))

    def _partner_key(self, first: str, second: str) -> tuple:
        """Soft goals for the second auditor: least recent, then a new pairing, then mixed experience."""
        return (
            self.rank[second][0],
            frozenset((first, second)) in self.recent_pairs,
            self.grade[first] and self.grade[second],
            self.rank[second][1],
        )

    def partners(self, case: str) -> list[str]:
        """Cases to pair this one with: those sharing most eligible auditors first, at random among equals.

        Worked out once per case for the whole draw, so that the order is the seed's alone.
        """
        if case not in self._partners:
            # Sharing most eligible auditors is excluding fewest together; excluded sets are small.
            mine = self.excluded[case]
            others = [c for c in self.jitter if c != case]
            self._partners[case] = sorted(others, key=lambda c: (len(mine | self.excluded[c]), self.jitter[c]))
        return self._partners[case]

    def _use(self, auditors: list[str], cases: list[str]) -> bool:
        """Take auditors and cases, unless that leaves some unplaced case without two auditors."""
        self.used.update(auditors)
        self.assigned.update(cases)
        self.entries.append([auditors, list(cases)])
        for auditor in auditors:
            for other in self.blocks.get(auditor, ()):
                self.blocked[other] += 1
        used = len(self.used)
        if any(self.size[c] - used + self.blocked[c] < 2 for c in self.regular if c not in self.assigned):
            self._undo()
            return False
        return True

    def _undo(self) -> None:
        auditors, cases = self.entries.pop()
        self.used.difference_update(auditors)
        self.assigned.difference_update(cases)
        for auditor in auditors:
            for other in self.blocks.get(auditor, ()):
                self.blocked[other] -= 1

    # --- explaining what cannot be done ---------------------------------------------

    def too_few(self, case: str, reaudit: bool) -> str | None:
        """Why a case cannot be covered by anyone at all, or None when enough auditors may take it."""
        need = 1 if reaudit else 2
        count = len(self.eligible[case])
        if count >= need:
            return None
        return too_few_reason(case, count, self.exclusions[case], reaudit)


def allocate(request: AllocationRequest, *, search_budget: int | None = None) -> AllocationResult:
    """Draw the allocation. Pure: the same request always gives the same result.

    ``search_budget``: the quick search's steps (by default one per case and ``SEARCH_SLACK``); 0
    leaves every draw to the exact model, which tests use to check it alone."""
    from ehqa.plan.exact import exact_allocation

    cases = len(request.cycle.nominations)
    budget = cases + SEARCH_SLACK if search_budget is None else search_budget
    draw = _Draw(request, random.Random(request.seed), budget=budget)
    draw.prepare()
    nominations = list(request.cycle.nominations)
    draw.rng.shuffle(nominations)  # the random element of the draw; ties below keep this order
    unallocated: list[Unallocated] = []
    reaudits, regular = [], []
    for nomination in nominations:
        reason = draw.too_few(nomination.case, bool(nomination.reaudit_of))
        if reason:
            unallocated.append(Unallocated(nomination.case, reason))
        else:
            (reaudits if nomination.reaudit_of else regular).append(nomination.case)
    # Hardest first: the fewer auditors may take a case, the sooner it is placed.
    reaudits.sort(key=lambda c: len(draw.eligible[c]))
    regular.sort(key=lambda c: len(draw.eligible[c]))
    try:
        pairs = draw.solve(reaudits, regular)
    except _OutOfBudget:
        pairs = None
    if pairs is None:  # out of budget, or no allocation covers every case: the exact model decides
        pairs, stuck = exact_allocation(draw, reaudits, regular)
        unallocated.extend(Unallocated(case, left_out(case, case in reaudits)) for case in stuck)
    order = {n.case: i for i, n in enumerate(request.cycle.nominations)}
    unallocated.sort(key=lambda u: order[u.case])
    return AllocationResult(request.cycle.id, request.seed, tuple(pairs), tuple(unallocated))


@dataclass(frozen=True)
class SoftGoalReport:
    """How well one allocation met the soft goals (for the command's output and the benchmark)."""

    pairs: int
    single_case_pairs: int  # beyond the one an odd number of cases needs
    repeat_pairs: int
    practitioner_only_pairs: int
    chosen_least_recent: int  # auditors drawn who were among the least recent of those available


def soft_goals(result: AllocationResult, request: AllocationRequest) -> SoftGoalReport:
    draw = _Draw(request, random.Random(request.seed))
    draw.prepare()
    two = [p for p in result.pairs if len(p.auditors) >= 2]
    chosen = [a for p in result.pairs for a in p.auditors]
    available = sorted(
        {a for case in draw.eligible for a in draw.eligible[case]}, key=lambda a: draw.last.get(a, -1)
    )
    threshold = draw.last.get(available[len(chosen) - 1], -1) if chosen and len(available) >= len(chosen) else None
    least_recent = sum(1 for a in chosen if threshold is None or draw.last.get(a, -1) <= threshold)
    regular_cases = sum(len(p.cases) for p in two)
    return SoftGoalReport(
        pairs=len(two),
        single_case_pairs=max(0, sum(1 for p in two if len(p.cases) == 1) - regular_cases % 2),
        repeat_pairs=sum(1 for p in two if frozenset(p.auditors) in draw.recent_pairs),
        practitioner_only_pairs=sum(1 for p in two if all(draw.grade.get(a, False) for a in p.auditors)),
        chosen_least_recent=least_recent,
    )
