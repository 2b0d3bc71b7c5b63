"""The exact draw: the allocation as a constraint model, solved by OR-Tools CP-SAT (R4–R6, R18).

``plan.allocation`` first tries its quick search, which meets the soft goals in their order by
the order it tries auditors in. When that search cannot finish within its budget of steps, or
proves that no allocation covers every case, this model decides instead, exactly: it finds an
allocation of every case whenever one exists, and otherwise one that covers as many cases as
can be covered. So the draw is complete: a budget never turns a feasible draw into "impossible".

The model, for the regular cases c (in the order given) and the auditors a who may take them:

* ``lead[c]``: c opens an entry (a pair of auditors); ``join[c, d]`` (c before d): d is c's
  second case. Every case is in at most one entry, and an entry holds one or two cases;
* ``take[a, c]``: a is one of the two auditors of the entry c opens; a may take every case
  of it (R6, absences, the pool: ``_Draw.eligible``), and, unless
  ``allocation.pair_line_managers`` allows it, no entry holds a line manager and their report;
* ``senior[a, r]``: senior manager a takes re-audit r, alone, one or two of them (R18);
* nobody is in two entries.

It is solved twice, single-threaded with the draw's seed, so that the same request always gives
the same allocation. First, with no limit, for the most cases covered, then the fewest entries
(cases go two to a pair), then the fewest senior managers with two re-audits: this is the part
that must be exact. Then, with those three fixed, for the soft goals, weighted in their order:
load spread (least recent first), no repeated pairs, mixed experience, and the seed's random
tie-break; this part stops after ``SOFT_GOAL_WORK`` units of the solver's deterministic time
(a count of work done, not seconds, so it is the same on every machine) with the best found.
"""

from __future__ import annotations

import random
from typing import Any, Protocol

from ortools.sat.python import cp_model

from ehqa.model import Pair


class _Draw(Protocol):
    """What the model reads of ``plan.allocation``'s draw."""

    request: Any  # the AllocationRequest: its seed
    eligible: dict[str, set[str]]  # case -> the auditors who may take it
    rank: dict[str, tuple]  # auditor -> sort key, least recent first
    last: dict[str, int]  # auditor -> the index of the last cycle they audited in
    recent_pairs: set[frozenset[str]]
    grade: dict[str, bool]  # auditor -> practitioner-grade?
    forbidden_pairs: set[frozenset[str]]  # a line manager and their report

SOFT_GOAL_WORK = 0.25  # deterministic time for the soft goals, once coverage is settled
LOAD, REPEAT, MIX = 1000, 100, 50  # weights of the soft goals, in their order; the tie-break is 0-9


def exact_allocation(draw: _Draw, reaudits: list[str], regular: list[str]) -> tuple[list[Pair], list[str]]:
    """The best allocation of these cases: every case whenever that can be done. Returns the
    entries and the cases left out (none, unless no allocation covers them all)."""
    model = _Model(draw, reaudits, regular)
    first = model.solve(model.coverage_objective(), hint=None, limit=None)
    model.fix_coverage(first)
    second = model.solve(model.soft_objective(random.Random(draw.request.seed)), hint=first, limit=SOFT_GOAL_WORK)
    return model.entries(second or first)


class _Model:
    def __init__(self, draw: _Draw, reaudits: list[str], regular: list[str]) -> None:
        self.draw, self.reaudits, self.regular = draw, reaudits, regular
        self.seed = draw.request.seed % (2**31)
        m = self.model = cp_model.CpModel()
        eligible = draw.eligible
        self.lead = {c: m.new_bool_var(f"lead {c}") for c in regular}
        self.join: dict[tuple[str, str], cp_model.IntVar] = {}
        for i, c in enumerate(regular):
            for d in regular[i + 1:]:
                if len(eligible[c] & eligible[d]) >= 2:
                    self.join[c, d] = m.new_bool_var(f"join {c} {d}")
        joins_of: dict[str, list] = {c: [] for c in regular}
        joined_by: dict[str, list] = {c: [] for c in regular}
        for (c, d), var in self.join.items():
            joins_of[c].append(var)
            joined_by[d].append(var)
            m.add_implication(var, self.lead[c])
        self.covered = []
        for c in regular:
            m.add(_sum(joins_of[c]) <= 1)
            covered = self.lead[c] + _sum(joined_by[c])
            m.add(covered <= 1)
            self.covered.append(covered)
        self.take: dict[tuple[str, str], cp_model.IntVar] = {}
        entries_of: dict[str, list] = {}
        for c in regular:
            for a in sorted(eligible[c]):
                var = self.take[a, c] = m.new_bool_var(f"take {a} {c}")
                entries_of.setdefault(a, []).append(var)
            m.add(_sum([self.take[a, c] for a in eligible[c]]) == 2 * self.lead[c])
            for (first, d), join in self.join.items():
                if first == c:
                    for a in eligible[c] - eligible[d]:
                        m.add_bool_or([join.Not(), self.take[a, c].Not()])
            for pair in draw.forbidden_pairs:
                a, b = sorted(pair)
                if (a, c) in self.take and (b, c) in self.take:
                    m.add_bool_or([self.take[a, c].Not(), self.take[b, c].Not()])
        self.senior: dict[tuple[str, str], cp_model.IntVar] = {}
        self.busy: dict[str, cp_model.IntVar] = {}
        for r in reaudits:
            for a in sorted(eligible[r]):
                self.senior[a, r] = m.new_bool_var(f"senior {a} {r}")
                if a not in self.busy:
                    self.busy[a] = m.new_bool_var(f"busy {a}")
            chosen = _sum([self.senior[a, r] for a in eligible[r]])
            m.add(chosen <= 1)
            self.covered.append(chosen)
        for a, busy in self.busy.items():
            mine = [var for (who, _r), var in self.senior.items() if who == a]
            m.add(_sum(mine) <= 2 * busy)
            m.add(_sum(mine) >= busy)
            entries_of.setdefault(a, []).append(busy)
        for a, uses in entries_of.items():
            m.add(_sum(uses) <= 1)
        self.cases_covered = _sum(self.covered)
        self.entry_count = _sum(list(self.lead.values()))
        self.doubled = _sum(list(self.senior.values())) - _sum(list(self.busy.values()))

    def coverage_objective(self):
        big = len(self.regular) + len(self.reaudits) + 1
        return self.cases_covered * big * big - self.entry_count * big - self.doubled

    def fix_coverage(self, solution: dict | None) -> None:
        assert solution is not None  # covering no case at all is always possible
        self.model.add(self.cases_covered == solution["covered"])
        self.model.add(self.entry_count == solution["entries"])
        self.model.add(self.doubled == solution["doubled"])

    def soft_objective(self, rng: random.Random):
        draw, m = self.draw, self.model
        terms = []
        for (a, c), var in self.take.items():
            terms.append((LOAD * (draw.last.get(a, -1) + 1) + rng.randrange(10)) * var)
        for (a, r), var in self.senior.items():
            terms.append((LOAD * (draw.last.get(a, -1) + 1) + rng.randrange(10)) * var)
        for c in self.regular:
            names = sorted(draw.eligible[c])
            grade_only = [self.take[a, c] for a in names if draw.grade.get(a)]
            if len(grade_only) >= 2:
                mixed_missed = m.new_bool_var(f"practitioners only {c}")
                m.add(_sum(grade_only) <= 1 + mixed_missed)
                terms.append(MIX * mixed_missed)
            for pair in draw.recent_pairs:
                a, b = sorted(pair)
                if (a, c) in self.take and (b, c) in self.take:
                    repeat = m.new_bool_var(f"repeat {a} {b} {c}")
                    m.add(self.take[a, c] + self.take[b, c] <= 1 + repeat)
                    terms.append(REPEAT * repeat)
        return -_sum(terms)

    def solve(self, objective, hint: dict | None, limit: float | None) -> dict | None:
        self.model.clear_objective()
        self.model.maximize(objective)
        self.model.clear_hints()
        if hint is not None:
            for var, value in hint["values"].items():
                self.model.add_hint(var, value)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.seed
        if limit is not None:
            solver.parameters.max_deterministic_time = limit
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        every = [*self.lead.values(), *self.join.values(), *self.take.values(), *self.senior.values(),
                 *self.busy.values()]
        return {
            "values": {var: solver.boolean_value(var) for var in every},
            "covered": solver.value(self.cases_covered),
            "entries": solver.value(self.entry_count),
            "doubled": solver.value(self.doubled),
        }

    def entries(self, solution: dict) -> tuple[list[Pair], list[str]]:
        on, rank = solution["values"], self.draw.rank
        pairs: list[Pair] = []
        placed: set[str] = set()
        for a in sorted(self.busy, key=rank.__getitem__):
            if on[self.busy[a]]:
                cases = tuple(r for r in self.reaudits if (a, r) in self.senior and on[self.senior[a, r]])
                pairs.append(Pair((a,), cases))
                placed.update(cases)
        for c in self.regular:
            if not on[self.lead[c]]:
                continue
            second = [d for (first, d), var in self.join.items() if first == c and on[var]]
            auditors = sorted((a for a in self.draw.eligible[c] if on[self.take[a, c]]), key=rank.__getitem__)
            pairs.append(Pair(tuple(auditors), (c, *second)))
            placed.update((c, *second))
        return pairs, [c for c in (*self.reaudits, *self.regular) if c not in placed]


def _sum(terms: list) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(terms)
