"""The attacker's solver: the range a linear combination of published figures could take.

Linear programmes (scipy's HiGHS) over whole, non-negative counts, relaxed to real numbers and rounded
inwards: the range found is never narrower than the true one, so a figure found safe is safe.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attacker import Model

CAP = 100_000  # more than any count the site could give (for the points ``_Solver.safe`` starts from)


def disclosed(model: Model) -> list[str]:
    """Every withheld figure, and every share's complement, that the published figures give away."""
    names = sorted(set(_mentioned(model)), key=repr)
    index = {n: i for i, n in enumerate(names)}
    equalities = [({index[t]: 1, **_negated(index, parts)}, 0) for t, parts in model.sums]
    inequalities = [(_plus(index, parts, {index[bound]: -1}), 0) for parts, bound in model.at_most]
    for part, whole, percent in model.shares:  # (p - 0.5) W <= 100 part <= (p + 0.5) W
        inequalities.append(({index[whole]: percent - 0.5, index[part]: -100}, 0))
        inequalities.append(({index[part]: 100, index[whole]: -(percent + 0.5)}, 0))
    solver = _Solver(len(names), equalities, inequalities, {index[n]: v for n, v in model.values.items()})
    found = [f"{solver.contradictions} relations contradict the published figures"] if solver.contradictions else []
    for name in sorted(model.withheld, key=repr):  # a [c]: pinned, or certainly a small count
        if solver.safe({index[name]: 1}, model.k):
            continue
        low, high = solver.range({index[name]: 1})
        if low == high or (low >= 1 and high < model.k):
            found.append(f"withheld {name} lies in {low}..{high}")
    for part, whole in sorted(set(model.complements), key=repr):  # the rest of a share: certainly small
        if solver.safe({index[whole]: 1, index[part]: -1}, model.k):
            continue
        low, high = solver.range({index[whole]: 1, index[part]: -1})
        if low >= 1 and high < model.k:
            found.append(f"{whole} less {part} lies in {low}..{high}")
    for part, whole in sorted(set(model.withheld_shares), key=repr):  # a share shown [c]: its part small, or worked out
        if solver.safe({index[part]: 1}, model.k):  # the part neither small nor pinned: nothing more to find
            continue
        low, high = solver.range({index[part]: 1})
        whole_low, whole_high = solver.range({index[whole]: 1})
        if (low >= 1 and high < model.k) or (low == high and whole_low == whole_high):
            found.append(
                f"the share {part} of {whole} shown [c]: the part lies in {low}..{high}, "
                f"the whole in {whole_low}..{whole_high}"
            )
    return found


def _mentioned(model: Model):
    yield from model.values
    yield from model.withheld
    for total, parts in model.sums:
        yield total
        yield from parts
    for parts, bound in model.at_most:
        yield bound
        yield from parts
    for part, whole, _ in model.shares:
        yield part
        yield whole
    for part, whole in [*model.complements, *model.withheld_shares]:
        yield part
        yield whole


def _negated(index, parts) -> dict:
    out: dict = {}
    for p in parts:
        out[index[p]] = out.get(index[p], 0) - 1
    return out


def _plus(index, parts, extra) -> dict:
    out = dict(extra)
    for p in parts:
        out[index[p]] = out.get(index[p], 0) + 1
    return out


class _Solver:
    """Linear programmes, one connected part of the relations at a time. Published figures are constants,
    so the parts are small: a month's domain table, a year's grades by month and by team."""

    def __init__(self, size: int, equalities, inequalities, known: dict[int, int]) -> None:
        self.known = known
        self.rows = {"eq": [], "ub": []}
        self.contradictions = 0
        parent = list(range(size))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for kind, rows in (("eq", equalities), ("ub", inequalities)):
            for coefficients, bound in rows:
                free = {v: c for v, c in coefficients.items() if v not in known}
                rest = bound - sum(c * known[v] for v, c in coefficients.items() if v in known)
                if not free:
                    if (abs(rest) > 1e-9) if kind == "eq" else (rest < -1e-9):
                        self.contradictions += 1
                    continue
                self.rows[kind].append((free, rest))
                keys = list(free)
                for other in keys[1:]:
                    parent[find(other)] = find(keys[0])
        self.component = [find(i) for i in range(size)]
        self._matrices: dict = {}
        self._points: dict = defaultdict(list)  # a component's root -> solutions found so far: (index, values)
        self._ranges: dict = {}

    def safe(self, objective: dict, k: int) -> bool:
        """Whether the solutions already found show ``objective`` neither pinned nor certainly from 1 to k - 1.

        Every solution found is a point the published figures allow, so the least ``objective`` can be is at most
        its least over them (``low``), and the most at least its most (``high``); with ``low < high`` and
        ``low < 1`` or ``high >= k``, ``range`` could only find it safe too. Components are independent: their
        solutions combine freely. This skips most linear programmes and never changes what is found."""
        low = high = sum(c * self.known[v] for v, c in objective.items() if v in self.known)
        by_root: dict = defaultdict(dict)
        for v, c in objective.items():
            if v not in self.known:
                by_root[self.component[v]][v] = c
        for root, part in by_root.items():
            if root not in self._points:
                self._seed(root)
            values = [sum(c * x[local[v]] for v, c in part.items()) for local, x in self._points[root]]
            if not values:
                return False
            low, high = low + min(values), high + max(values)
        low, high = math.ceil(low - 1e-6), math.floor(high + 1e-6)
        return low < high and (low < 1 or high >= k)

    def _seed(self, root) -> None:
        """A component's first solutions: the least and the most of its figures each weighed at random, every one
        at most ``CAP`` (a narrower set than the published figures allow, so its points are allowed too). They
        spread most figures between 0 and more than k at once."""
        from scipy.optimize import linprog

        members, a_eq, b_eq, a_ub, b_ub = self._matrix(frozenset([root]))
        local = {v: i for i, v in enumerate(members)}
        draw = random.Random(root)
        for sign in (1, -1):
            cost = [sign * draw.uniform(0.5, 1.5) for _ in members]
            result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, CAP), method="highs")
            if result.status == 0:
                self._points[root].append((local, result.x))
        self._points.setdefault(root, [])

    def range(self, objective: dict) -> tuple[float, float]:
        """The least and the most whole number ``objective`` could be (``inf`` when nothing bounds it)."""
        from scipy.optimize import linprog

        key = frozenset(objective.items())
        if key in self._ranges:
            return self._ranges[key]
        constant = sum(c * self.known[v] for v, c in objective.items() if v in self.known)
        objective = {v: c for v, c in objective.items() if v not in self.known}
        if not objective:
            return constant, constant
        roots = frozenset(self.component[v] for v in objective)
        members, a_eq, b_eq, a_ub, b_ub = self._matrix(roots)
        local = {v: i for i, v in enumerate(members)}
        cost = [0.0] * len(members)
        for var, coefficient in objective.items():
            cost[local[var]] = coefficient
        ends = []
        for sign in (1, -1):
            if sign == 1 and self._reaches_zero(roots, local, objective):
                ends.append(0.0)  # a sum of figures, never negative, at 0 in a solution found: its least is 0
                continue
            result = linprog(
                [sign * x for x in cost], A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
            )
            if result.status == 3:  # unbounded
                ends.append(-sign * math.inf)
            elif result.status != 0:
                raise AssertionError(f"the published figures contradict each other: {result.message}")
            else:
                ends.append(sign * result.fun)
                for root in roots:  # a solution, a point the published figures allow (for ``safe``)
                    self._points[root].append((local, result.x))
        low = constant + ends[0]
        high = constant + ends[1]
        self._ranges[key] = math.ceil(low - 1e-6), (high if high == math.inf else math.floor(high + 1e-6))
        return self._ranges[key]

    def _reaches_zero(self, roots, local, objective: dict) -> bool:
        if any(c < 0 for c in objective.values()):
            return False
        return any(
            sum(c * x[at[v]] for v, c in objective.items()) <= 1e-7
            for root in roots
            for at, x in self._points[root]
            if all(v in at for v in objective)
        )

    def _matrix(self, roots):
        if roots not in self._matrices:
            from scipy.sparse import lil_matrix

            members = [i for i in range(len(self.component)) if self.component[i] in roots and i not in self.known]
            local = {v: i for i, v in enumerate(members)}
            built = []
            for kind in ("eq", "ub"):
                picked = [(c, b) for c, b in self.rows[kind] if self.component[next(iter(c))] in roots]
                if not picked:
                    built += [None, None]
                    continue
                a = lil_matrix((len(picked), len(members)))
                for r, (coefficients, _) in enumerate(picked):
                    for var, coefficient in coefficients.items():
                        a[r, local[var]] += coefficient
                built += [a.tocsr(), [b for _, b in picked]]
            self._matrices[roots] = (members, *built)
        return self._matrices[roots]
