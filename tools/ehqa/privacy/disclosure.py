"""Statistical disclosure control for what the learning site publishes (R21), as official statistics do it.

The site's figures are counts of audits (so of cases, and of the practitioners who worked them)
and of follow-ups (so of the staff who owe them). The Government Statistical Service's guidance
on disclosure control for tables gives the method used here:

- **primary suppression**: a count of people or cases from 1 to ``threshold - 1`` is not shown
  (the page shows ``[c]``); so is any count the caller marks with ``protect`` (a row where a whole
  group shares one grade, say, which would tell every member's grade);
- **secondary suppression**: no suppressed count may be worked out from what is shown, by sums and
  differences across every table of the site at once (rows, columns, totals, the same figure on two
  pages, a share and its base, and the sums a reader adds up from those: ``implied``). An audit works out, by interval propagation over every relation,
  the range each hidden count could take; where a protected count is pinned to one value, or to
  somewhere from 1 to ``threshold - 1``, the cheapest shown figure in the relation that pins it is
  suppressed too, and the audit runs again, until nothing can be worked out.

Pure: quantities, relations and figures in, the set of figures to withhold out. The caller (the
site's ``figures`` module) says what the quantities mean; nothing here knows about audits.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Hashable, Iterable

from ehqa.privacy.implied import transposed

Key = Hashable
UNBOUNDED = 10**12  # the upper bound of a count nobody has published


@dataclass
class _Quantity:
    value: int
    sensitive: bool  # a count of people or cases; the size of a sample is not, and is always shown
    protected: bool = False


@dataclass(frozen=True)
class Relation:
    """``total == sum(parts)``, known to every reader: a row and its total, a year and its months."""

    total: Key
    parts: tuple[Key, ...]


@dataclass
class _Figure:
    reveals: tuple[Key, ...]  # the quantities a reader learns when it is shown: a count, or a share's part and whole
    count: bool  # a count shown as [c] when withheld; a share withheld hides nothing of its own
    withheld: bool = False
    primary: bool = False  # withheld by the caller's rule (a share of a small group): never shown


@dataclass(frozen=True)
class Decision:
    """What may be shown: every figure not in ``withheld``. ``rounds`` of secondary suppression were needed."""

    withheld: frozenset
    rounds: int = 0

    def shown(self, figure: Key) -> bool:
        return figure not in self.withheld


@dataclass
class Tables:
    """Every quantity, relation and figure of a publication, and the rules that decide what is withheld."""

    threshold: int
    quantities: dict[Key, _Quantity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    figures: dict[Key, _Figure] = field(default_factory=dict)

    # --- describing the publication -----------------------------------------------------------------

    def quantity(self, key: Key, value: int, *, sensitive: bool = True) -> Key:
        """A quantity with its true value; a reader learns it only through a figure or a relation."""
        if key in self.quantities:
            if self.quantities[key].value != value:
                raise ValueError(f"{key!r} is given two values: {self.quantities[key].value} and {value}")
            return key
        self.quantities[key] = _Quantity(value, sensitive)
        return key

    def total(self, key: Key, parts: Iterable[Key], *, sensitive: bool = True) -> Key:
        """A quantity that is the sum of others, with that relation."""
        parts = tuple(parts)
        self.quantity(key, sum(self.quantities[p].value for p in parts), sensitive=sensitive)
        self.relations.append(Relation(key, parts))
        return key

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        """One more way the same total is made: a year's grades by month and by team, say."""
        parts = tuple(parts)
        if sum(self.quantities[p].value for p in parts) != self.quantities[total].value:
            raise ValueError(f"{total!r} is not the sum of {parts!r}")
        self.relations.append(Relation(total, parts))

    def count(self, key: Key, quantity: Key | None = None, *, withhold: bool = False) -> Key:
        """A figure that shows one count (``quantity``, by default the figure's own key)."""
        return self._figure(key, (key if quantity is None else quantity,), True, withhold)

    def share(self, key: Key, part: Key, whole: Key, *, withhold: bool = False) -> Key:
        """A figure that shows ``part`` as a share of ``whole``: with the whole known it gives the part away,
        so it is treated as showing both."""
        return self._figure(key, (part, whole), False, withhold)

    def protect(self, *keys: Key) -> None:
        """Never let these quantities be shown or worked out, whatever their value (group disclosure)."""
        for key in keys:
            self.quantities[key].protected = True

    def _figure(self, key: Key, reveals: tuple[Key, ...], count: bool, withhold: bool) -> Key:
        known = self.figures.get(key)
        if known is not None:
            if known.reveals != reveals:
                raise ValueError(f"figure {key!r} is defined twice, differently")
            known.withheld |= withhold
            known.primary |= withhold
            return key
        for quantity in reveals:
            if quantity not in self.quantities:
                raise KeyError(f"figure {key!r} shows {quantity!r}, which is not a quantity")
        self.figures[key] = _Figure(reveals, count, withhold, primary=withhold)
        return key

    # --- deciding ----------------------------------------------------------------------------------------

    def decide(self, max_rounds: int = 10_000) -> Decision:
        """Primary suppression, then secondary suppression until the audit finds nothing to work out; last,
        whatever was withheld only to protect another figure but can be worked out all the same is shown
        again (a [c] a reader can fill in is no [c], and showing it tells nothing new)."""
        for quantity in self.quantities.values():
            if quantity.sensitive and 1 <= quantity.value < self.threshold:
                quantity.protected = True
        self._imply()
        by_member = self._relations_by_member()
        self._showing = {}  # quantity -> the figures that show it
        for figure in self.figures.values():
            for quantity in figure.reveals:
                self._showing.setdefault(quantity, []).append(figure)
        protected = sorted((k for k, q in self.quantities.items() if q.protected), key=repr)
        audit = _Propagation(self)
        published: dict[Key, int] = {}
        for rounds in range(max_rounds):
            self._cascade()
            before, published = published, self._published()
            if rounds == 0:
                audit.start(published)
            else:  # only what was withheld since the last round, and what it touches, can widen
                audit.widen([k for k in before if k not in published], published)
            low, high = audit.view()
            exposed = [k for k in protected if k not in published and self._exposed(low[k], high[k])]
            if not exposed:
                self._release(low, high)
                return Decision(frozenset(k for k, f in self.figures.items() if f.withheld), rounds)
            for key in exposed:
                self._cover(key, published, low, high, by_member)
        raise RuntimeError("secondary suppression did not settle")  # each round withholds more: unreachable

    def _imply(self) -> None:
        """Add the relations a reader adds up from the others (``implied``: a year's Good or better is its teams'),
        which interval propagation, relation by relation, would not find."""
        for total, parts in transposed((r.total, r.parts) for r in self.relations):
            self.relate(total, parts)  # which checks the sum, as for any relation

    def _release(self, low: dict, high: dict) -> None:
        for figure in self.figures.values():
            if (figure.withheld and not figure.primary
                    and all(low[q] == high[q] and not self.quantities[q].protected for q in figure.reveals)):
                figure.withheld = False

    def _cascade(self) -> None:
        """Withhold every figure that shows a protected quantity, or one a withheld count stands for."""
        changed = True
        while changed:
            hidden = {k for k, q in self.quantities.items() if q.protected}
            hidden |= {f.reveals[0] for f in self.figures.values() if f.withheld and f.count}
            changed = False
            for figure in self.figures.values():
                if not figure.withheld and hidden.intersection(figure.reveals):
                    figure.withheld = changed = True

    def _published(self) -> dict[Key, int]:
        return {key: self.quantities[key].value for f in self.figures.values() if not f.withheld for key in f.reveals}

    def _exposed(self, low: int, high: int) -> bool:
        """Pinned to one value, or certainly a small count."""
        return low == high or (low >= 1 and high < self.threshold)

    def _cover(self, key: Key, published, low, high, by_member, seen: set | None = None) -> None:
        """Withhold the cheapest shown figure of the relation that pins ``key`` (the one with the fewest
        unknowns), so that the relation has another unknown to share the difference with."""
        seen = set() if seen is None else seen
        seen.add(key)
        relations = sorted(by_member.get(key, ()), key=lambda r: (self._unknowns(r, key, published), repr(r.total)))
        for relation in relations:
            candidates = [m for m in (relation.total, *relation.parts)
                          if m != key and m in published and self.quantities[m].sensitive]
            if candidates:
                self._hide(min(candidates, key=self._cost))
                return
        # Every member of every relation is already unknown: the pin comes from further away.
        for relation in relations:
            for member in (relation.total, *relation.parts):
                if member not in seen and member not in published and high[member] == low[member]:
                    self._cover(member, published, low, high, by_member, seen)
                    return
        raise RuntimeError(f"cannot protect {key!r} ({low[key]}..{high[key]}): it is pinned by nothing this module "
                           f"can withhold: {[(r.total, r.parts) for r in relations]}")

    def _unknowns(self, relation: Relation, key: Key, published) -> int:
        return sum(1 for m in (relation.total, *relation.parts) if m != key and m not in published)

    def _cost(self, key: Key):
        """Withhold small counts rather than large ones. (The sizes of samples are always shown.)"""
        return (self.quantities[key].value, repr(key))

    def _hide(self, key: Key) -> None:
        for figure in self._showing.get(key, ()):
            figure.withheld = True

    def _relations_by_member(self) -> dict[Key, list[Relation]]:
        found: dict[Key, list[Relation]] = {}
        for relation in self.relations:
            for member in (relation.total, *relation.parts):
                found.setdefault(member, []).append(relation)
        return found

    # --- the audit -----------------------------------------------------------------------------------------

    def bounds(self, published: dict[Key, int]) -> tuple[dict[Key, int], dict[Key, int]]:
        """The range each quantity could take, for a reader who knows ``published`` and every relation
        (interval propagation to a fixed point; counts are never negative)."""
        self._imply()
        audit = _Propagation(self)
        audit.start(published)
        return audit.view()


class _Propagation:
    """Interval propagation over the relations, on integer ids (a large service has some 15,000 quantities).

    Between rounds only hiding happens, so only the quantities connected, through unknown ones, to what was
    hidden can widen: ``widen`` starts those again from nothing and propagates over their relations alone."""

    def __init__(self, tables: Tables) -> None:
        self.keys = list(tables.quantities)
        self.ids = {key: i for i, key in enumerate(self.keys)}
        self.values = [tables.quantities[k].value for k in self.keys]
        self.relations = [(self.ids[r.total], tuple(self.ids[p] for p in r.parts)) for r in tables.relations]
        self.touching: list[list[int]] = [[] for _ in self.keys]
        for index, (total, parts) in enumerate(self.relations):
            for member in (total, *parts):
                self.touching[member].append(index)
        self.low = [0] * len(self.keys)
        self.high = [UNBOUNDED] * len(self.keys)
        self.known: set[int] = set()

    def start(self, published: dict[Key, int]) -> None:
        self.known = {self.ids[k] for k in published}
        for i in range(len(self.keys)):
            self.low[i], self.high[i] = (self.values[i], self.values[i]) if i in self.known else (0, UNBOUNDED)
        self._run(range(len(self.relations)))

    def widen(self, hidden: list[Key], published: dict[Key, int]) -> None:
        self.known = {self.ids[k] for k in published}
        region, relations, queue = set(), set(), [self.ids[k] for k in hidden]
        while queue:  # everything connected to what was hidden through quantities nobody knows
            member = queue.pop()
            if member in region or member in self.known:
                continue
            region.add(member)
            self.low[member], self.high[member] = 0, UNBOUNDED
            for index in self.touching[member]:
                relations.add(index)
                total, parts = self.relations[index]
                queue.extend(m for m in (total, *parts) if m not in region and m not in self.known)
        self._run(sorted(relations))

    def view(self) -> tuple[dict[Key, int], dict[Key, int]]:
        return dict(zip(self.keys, self.low)), dict(zip(self.keys, self.high))

    def _run(self, indices) -> None:
        known, low, high = self.known, self.low, self.high
        # A relation whose members are all known can narrow nothing.
        queue = deque(i for i in indices
                      if self.relations[i][0] not in known or any(p not in known for p in self.relations[i][1]))
        queued = set(queue)
        steps, limit = 0, 200 * (len(queue) + 1)
        while queue and steps < limit:
            index = queue.popleft()
            queued.discard(index)
            steps += 1
            for member in _tighten(self.relations[index], low, high):
                for other in self.touching[member]:
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)


def _tighten(relation: tuple[int, tuple[int, ...]], low: list[int], high: list[int]) -> list[int]:
    """Narrow the members of ``total == sum(parts)``; return those that changed."""
    total, parts = relation
    sum_low = sum(low[p] for p in parts)
    sum_high = sum(high[p] for p in parts)
    changed = []
    new_low, new_high = max(low[total], sum_low), min(high[total], sum_high)
    if new_low != low[total] or new_high != high[total]:
        low[total], high[total] = new_low, new_high
        changed.append(total)
    total_low, total_high = low[total], high[total]
    for part in parts:
        part_low = max(low[part], total_low - (sum_high - high[part]))
        part_high = min(high[part], total_high - (sum_low - low[part]))
        if part_low != low[part] or part_high != high[part]:
            sum_low += part_low - low[part]
            sum_high += part_high - high[part]
            low[part], high[part] = part_low, part_high
            changed.append(part)
    return changed


# --- follow-ups that are one person's record -------------------------------------------------------------

# The follow-ups (``rules.obligations``) owned by a role that one person holds: the QA officer sends every
# report and case note (R15), alerts the service manager (R16), reviews and escalates the SMART actions
# (part of R17); the Head of Service for QA reviews every disputed audit (R12). Counting them is counting that
# person's work, so the site leaves them out and the private meeting pack keeps them.
SINGLE_HOLDER_ROLES = frozenset({"qa-officer", "head-of-service-qa"})
MIN_HOLDERS = 3  # with two holders, each could work out the other's record from their own


def personal_roles(settings, staff, as_of) -> frozenset[str]:
    """The owner roles of follow-ups that are one person's record in this service: the single-holder roles,
    and any role fewer than ``MIN_HOLDERS`` people hold on ``as_of``."""
    from ehqa.model import Role

    holders = {"auditor": settings.roles.auditor_roles, "team-manager": {Role.TEAM_MANAGER},
               "senior manager": settings.roles.senior_manager_roles, "action owner": set(Role)}
    present = [p for p in staff.people.values() if p.in_service_on(as_of)]
    personal = set(SINGLE_HOLDER_ROLES)
    for owner_role, roles in holders.items():
        if sum(1 for person in present if person.role in roles) < MIN_HOLDERS:
            personal.add(owner_role)
    return frozenset(personal)


def is_shared(owner_role: str, personal: frozenset[str]) -> bool:
    """May follow-ups of this owner role be counted on the site? Not when one person holds it, nor when the
    role is one this module does not know (a new kind of follow-up is private until it is looked at)."""
    return owner_role in {"auditor", "team-manager", "senior manager", "action owner"} and owner_role not in personal
