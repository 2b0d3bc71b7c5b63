"""Every figure the learning site publishes, worked out once, with disclosure control applied (R21).

One computation per figure: a page asks for a figure by what it is (the grades of a cycle, a team's
row, a domain's share Good or better in a month) and gets its value, or ``WITHHELD`` (shown ``[c]``),
the same on every page, chart, alt text and table it appears in. ``privacy.disclosure`` decides what
is withheld, over every figure of the site at once, so that nothing withheld on one page can be worked
out from another.

Only the cycles whose QA meeting has been held are here (``stats.published_cycles``): a cycle's
findings are discussed at its meeting (R14) before they are shared (R21). What is counted:

- grades (R9) of the audits, overall and by domain, by cycle, year and team, as they stand after any
  review that revised them (``Service.effective_grades``, R12): counts of cases, so of
  the practitioners who worked them: a count from 1 to ``publication.min_count`` - 1 is withheld, and so
  is a row in which a whole group shares one grade, or is all Good or better, or all below (that would
  tell each member's grade); a group smaller than ``min_count`` shows no grades at all;
- how many of a cycle's audits had grades revised on review (R12), published as the R13 on-time count is;
- follow-ups (R10–R20, only those owned by a role several people hold; SMART actions, R17, among them, in
  two rows: agreeing them, and each action) and re-audit outcomes (R18): counts of the work of staff, withheld
  alike; R13 is counted once, from the follow-ups: a cycle's "x of y audits were submitted by the due date"
  is its part of the year's R13 row;
- the number of audits in a period is a sample's size, set by the allocation (two cases a pair, R4) and
  shown by the number of excerpts: it is not withheld, however small.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ehqa.model import Audit, EffectiveGrades, Grade, Service
from ehqa.model.enums import OVERALL_GRADES
from ehqa.privacy.disclosure import Tables
from ehqa.site import compliance, stats, training
from ehqa.site.stats import OUTCOMES, share
from ehqa.site.tables import WITHHELD

GRADE_KEYS = tuple(g.value for g in OVERALL_GRADES)
NOT_APPLICABLE = Grade.NOT_APPLICABLE.value
OTHER_TEAMS = "Other teams"


@dataclass(frozen=True)
class Row:
    """A published row: its name, the size of its group, and its cells (each a value or WITHHELD)."""

    name: str
    size: int
    cells: tuple
    good: object  # the share Good or better, or WITHHELD


@dataclass(frozen=True)
class DomainShare:
    """A domain's share Good or better in one cycle, when it is shown: the parts of it, for the lists."""

    domain: str
    good: int
    below: int
    graded: int

    @property
    def share(self) -> str:
        return share(self.good, self.graded)


class Figures:
    """The site's figures for ``by_cycle`` (the published cycles and their audits), decided once."""

    def __init__(self, service: Service, by_cycle: dict[str, list[Audit]], items: list[compliance.Item],
                 as_of: date) -> None:
        settings = service.settings
        self.service, self.as_of = service, as_of
        self.k, self.min_team = settings.min_count, settings.min_team_audits
        self.tables = Tables(self.k)
        self.by_cycle = by_cycle
        self.years: dict[str, list[str]] = defaultdict(list)
        for cycle_id in by_cycle:
            self.years[cycle_id[:4]].append(cycle_id)
        self.domains: dict[str, list[str]] = {}
        self.team_names: dict[str, list[str]] = {}
        self.followup_rules: dict[str, list[str]] = {}
        self.outcome_domains: dict[str, list[str]] = {}
        self._grades: dict[str, EffectiveGrades] = {}
        self.training_themes: dict[str, list[str]] = {}  # year -> learning themes (site.training)
        self.training_domains: dict[str, list[str]] = {}  # year -> domains
        by_key = service.audits_by_key()
        # R13, counted once: the follow-ups' R13 row of a year is the sum of its cycles' on-time counts.
        submitted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for item in items:
            if item.rule == "R13" and item.cycle in by_cycle:
                submitted[item.cycle][0] += item.state == "on time"
                submitted[item.cycle][1] += 1
        for cycle_id, audits in by_cycle.items():
            self._cycle(cycle_id, audits, tuple(submitted[cycle_id]) if cycle_id in submitted else None)
        items_by_year: dict[str, list] = defaultdict(list)
        for item in items:
            items_by_year[item.cycle[:4]].append(item)
        for year, cycle_ids in self.years.items():
            audits = [a for c in cycle_ids for a in by_cycle[c]]
            self._year(year, cycle_ids)
            self._teams(year, audits)
            self._followups(year, [i for i in items_by_year[year] if i.cycle in by_cycle])
            self._outcomes(year, stats.reaudit_outcomes(by_key, audits, self.grades_of))
            training.register(self, year, cycle_ids, audits)  # "What training would help" (R22)
        self.decision = self.tables.decide()

    def grades_of(self, audit: Audit) -> EffectiveGrades:
        """The audit's grades as they stand on ``as_of`` (R12): every figure of grades counts these."""
        found = self._grades.get(audit.source)
        if found is None:
            found = self._grades[audit.source] = self.service.effective_grades(audit, self.as_of)
        return found

    # --- reading the figures --------------------------------------------------------------------------

    def count(self, key):
        """A count as shown: its value, or WITHHELD."""
        return self.tables.quantities[key].value if self.decision.shown(key) else WITHHELD

    def share(self, part):
        """The share a count is of its whole, as shown: ``38%``, ``–`` of nothing, or WITHHELD."""
        figure = ("share", part)
        if not self.decision.shown(figure):
            return WITHHELD
        whole = self.tables.figures[figure].reveals[1]
        return share(self.tables.quantities[part].value, self.tables.quantities[whole].value)

    def value(self, key) -> int:
        """A quantity's true value, for what is never withheld (the sizes of samples)."""
        return self.tables.quantities[key].value

    def n(self, period: str) -> int:
        return self.value(("n", period))

    def grades(self, period: str) -> Row:
        cells = tuple(("grade", period, g) for g in GRADE_KEYS)
        return Row(period, self.n(period), tuple(self.count(c) for c in cells), self.share(("good", period)))

    def grade_shares(self, period: str) -> tuple:
        return tuple(self.share(("grade", period, g)) for g in GRADE_KEYS)

    def good_parts(self, period: str) -> tuple[int, int] | None:
        """(Good or better, audits) when the share is shown: the figures behind it, for alt text."""
        if self.share(("good", period)) is WITHHELD:
            return None
        return self.value(("good", period)), self.n(period)

    def domain_rows(self, cycle_id: str) -> list[tuple[str, tuple, object, object]]:
        """(domain, grade cells, not applicable, share Good or better) for each domain graded in the cycle."""
        return [(d, tuple(self.count(("domain", cycle_id, d, g)) for g in GRADE_KEYS),
                 self.count(("domain", cycle_id, d, NOT_APPLICABLE)), self.share(("dgood", cycle_id, d)))
                for d in self.domains.get(cycle_id, [])]

    def domain_share(self, cycle_id: str, domain: str) -> DomainShare | None:
        if domain not in self.domains.get(cycle_id, ()) or self.share(("dgood", cycle_id, domain)) is WITHHELD:
            return None
        good, graded = self.value(("dgood", cycle_id, domain)), self.value(("graded", cycle_id, domain))
        return DomainShare(domain, good, graded - good, graded)

    def teams(self, year: str) -> list[Row]:
        rows = []
        for name in self.team_names.get(year, []):
            cells = tuple(self.count(("team", year, name, g)) for g in GRADE_KEYS)
            rows.append(Row(name, self.value(("n", year, name)), cells, self.share(("good", year, name))))
        return rows

    def on_time(self, cycle_id: str) -> tuple[object, int] | None:
        """R13: (how many of the cycle's audits were submitted by the due date, or WITHHELD; its audits), counted
        in the R13 row of the year's follow-ups too; None with nothing to count."""
        key = ("ontime", cycle_id)
        if key not in self.tables.quantities or ("allocated", cycle_id) in self.tables.quantities:
            return None  # nothing to count, or an audit allocated never arrived: counted in the year's R13 row
        return self.count(key), self.n(cycle_id)

    def revised(self, cycle_id: str) -> tuple[object, int]:
        """(how many audits had grades revised on review, or WITHHELD; the cycle's audits) (R12)."""
        return self.count(("revised", cycle_id)), self.n(cycle_id)

    def followups(self, year: str) -> list[tuple[str, tuple, object]]:
        """(rule, cells in STATES order, share on time of those due) for each rule, then ``all``."""
        return [(rule, tuple(self.count(("fu", year, rule, s)) for s in compliance.STATES),
                 self.share(("fu", year, rule, "on time"))) for rule in self.followup_rules.get(year, [])]

    def outcomes(self, year: str) -> tuple[object, tuple, list[tuple[str, tuple]]]:
        """(how many re-audits, the overall outcomes, [(domain, outcomes)])."""
        overall = tuple(self.count(("re", year, "overall", o)) for o in OUTCOMES)
        return (self.count(("re-n", year)), overall,
                [(d, tuple(self.count(("re", year, d, o)) for o in OUTCOMES)) for d in self.outcome_domains[year]])

    # --- what is counted ----------------------------------------------------------------------------------

    def _cycle(self, cycle_id: str, audits: list[Audit], on_time: tuple[int, int] | None) -> None:
        t = self.tables
        size = t.quantity(("n", cycle_id), len(audits), sensitive=False)
        t.count(size)
        grades = [self.grades_of(a) for a in audits]
        mix = stats.overall_mix(grades)
        cells = [t.quantity(("grade", cycle_id, g), n) for g, n in zip(GRADE_KEYS, mix.counts)]
        self._grade_row((cycle_id,), size, cells)
        self._domains(cycle_id, grades, size)
        # R12: the audits with grades revised on review, and the rest; the same route as the on-time count below.
        n_revised = stats.revised(grades)
        changed = t.quantity(("revised", cycle_id), n_revised)
        kept = t.quantity(("unrevised", cycle_id), len(audits) - n_revised)
        t.relate(size, [changed, kept])
        t.count(changed)
        if len(audits) < self.k:
            t.protect(changed, kept)
        if on_time is not None:  # R13: of the cycle's allocated audits, those submitted by the due date
            # Shown only where every audit allocated arrived: otherwise the number allocated, less the audits,
            # would tell how many never arrived (a count of staff's work). The year's R13 row counts them all.
            complete = on_time[1] == len(audits)
            allocated = size if complete else t.quantity(("allocated", cycle_id), on_time[1])
            on, late = t.quantity(("ontime", cycle_id), on_time[0]), t.quantity(("late", cycle_id), on_time[1] - on_time[0])
            t.relate(allocated, [on, late])
            if complete:
                t.count(on)
            if on_time[1] < self.k:
                t.protect(on, late)

    def _year(self, year: str, cycle_ids: list[str]) -> None:
        t = self.tables
        size = t.total(("n", year), [("n", c) for c in cycle_ids], sensitive=False)
        t.count(size)
        cells = [t.total(("grade", year, g), [("grade", c, g) for c in cycle_ids]) for g in GRADE_KEYS]
        self._grade_row((year,), size, cells)
        t.relate(("good", year), [("good", c) for c in cycle_ids])
        t.relate(("below", year), [("below", c) for c in cycle_ids])

    def _grade_row(self, name: tuple, size, cells: list, *, withhold_all: bool = False) -> None:
        """A group's audits by grade, with its share Good or better and each grade's share of the group.

        Withheld whole where the group is smaller than ``min_count`` (or the caller says so); its grades and
        its share Good or better where every audit has one grade, and its share where all are Good or better
        or all below: each would tell every member's grade."""
        t = self.tables
        good = t.total(("good", *name), cells[:2])
        below = t.total(("below", *name), cells[2:])
        t.relate(size, cells)
        t.relate(size, [good, below])
        n = t.quantities[size].value
        for cell in cells:
            t.count(cell)
            t.share(("share", cell), cell, size, withhold=n < self.k)
        t.share(("share", good), good, size, withhold=n < self.k)
        values = [t.quantities[c].value for c in cells]
        if withhold_all or n < self.k or (n and n in values):
            t.protect(*cells, good, below)
        elif n and t.quantities[good].value in (0, n):
            t.protect(good, below)

    def _domains(self, cycle_id: str, grades: list[EffectiveGrades], size) -> None:
        t = self.tables
        n = len(grades)
        domains = [d for d, _ in stats.domains_seen(self.service, grades)]
        self.domains[cycle_id] = domains
        for domain in domains:
            mix = stats.domain_mix(grades, domain)
            cells = [t.quantity(("domain", cycle_id, domain, g), c) for g, c in zip(GRADE_KEYS, mix.counts)]
            na = t.quantity(("domain", cycle_id, domain, NOT_APPLICABLE), mix.not_applicable)
            graded = t.total(("graded", cycle_id, domain), cells)
            good = t.total(("dgood", cycle_id, domain), cells[:2])
            below = t.total(("dbelow", cycle_id, domain), cells[2:])
            t.relate(graded, [good, below])
            # Every audit of a cycle has the same domains (the set in force); where not, the row's size is unknown.
            having = sum(1 for g in grades if domain in g.domains)
            whole = size if having == n else t.quantity(("dn", cycle_id, domain), having, sensitive=False)
            t.relate(whole, [graded, na])
            for cell in (*cells, na):
                t.count(cell)
            t.share(("share", good), good, graded)
            if n < self.k:
                t.protect(*cells, na, graded, good, below)
            elif mix.total and mix.total in mix.counts:
                t.protect(*cells, good, below)
            elif mix.total and mix.good_or_better in (0, mix.total):
                t.protect(good, below)

    def _teams(self, year: str, audits: list[Audit]) -> None:
        """Teams with at least ``min_team_audits`` audits in the year each have a row; the rest are one row,
        "Other teams" (with the audits whose team is not recorded), withheld whole unless it holds two teams
        or more and ``min_team_audits`` audits, so that it is never one small team under another name."""
        t = self.tables
        by_team: dict[str, list[Audit]] = defaultdict(list)
        for audit in audits:
            cycle = self.service.cycles.get(audit.cycle)
            nomination = cycle.nomination(audit.case) if cycle else None
            by_team[nomination.team if nomination else ""].append(audit)
        names = self.service.staff.teams if self.service.staff else {}
        shown = {names[team].name if team in names else team: group for team, group in by_team.items()
                 if team and len(group) >= self.min_team}
        others = [group for team, group in by_team.items() if not team or len(group) < self.min_team]
        rows = sorted(shown.items())
        if others:
            rows.append((OTHER_TEAMS, [a for group in others for a in group]))
        if len(rows) < 2:
            self.team_names[year] = []  # one row would be the year's own figures again
            return
        self.team_names[year] = [name for name, _ in rows]
        columns: dict[str, list] = defaultdict(list)
        for name, group in rows:
            size = t.quantity(("n", year, name), len(group), sensitive=False)
            mix = stats.overall_mix(self.grades_of(a) for a in group)
            cells = [t.quantity(("team", year, name, g), n) for g, n in zip(GRADE_KEYS, mix.counts)]
            small_other = name == OTHER_TEAMS and (len(others) < 2 or len(group) < self.min_team)
            self._grade_row((year, name), size, cells, withhold_all=small_other)
            for g, cell in zip(GRADE_KEYS, cells):
                columns[g].append(cell)
        for g in GRADE_KEYS:
            t.relate(("grade", year, g), columns[g])

    def _followups(self, year: str, items: list[compliance.Item]) -> None:
        """Follow-ups by rule and state, an ``all`` row, and the share of those due that were done on time."""
        t = self.tables
        rows = compliance.by_rule(items)
        self.followup_rules[year] = [r.rule for r in rows] + (["all"] if rows else [])
        if not rows:
            return
        for row in rows:
            cells = [t.quantity(("fu", year, row.rule, s), n) for s, n in zip(compliance.STATES, row.counts)]
            self._on_time_share(year, row.rule, cells)
        totals = [t.total(("fu", year, "all", s), [("fu", year, r.rule, s) for r in rows]) for s in compliance.STATES]
        self._on_time_share(year, "all", totals)
        t.relate(("fu-due", year, "all"), [("fu-due", year, r.rule) for r in rows])
        cycles = [c for c in self.years[year] if ("ontime", c) in t.quantities]
        if any(r.rule == "R13" for r in rows):  # the same audits as the cycles' on-time counts
            t.relate(("fu", year, "R13", "on time"), [("ontime", c) for c in cycles])
            rest = t.total(("fu-rest", year, "R13"), [("fu", year, "R13", s) for s in compliance.STATES[1:]])
            t.relate(rest, [("late", c) for c in cycles])

    def _on_time_share(self, year: str, rule: str, cells: list) -> None:
        """A row of follow-ups, and its share on time of those due: the share also tells how many of those due
        were not on time, a count withheld like any other."""
        t = self.tables
        not_on_time = t.total(("fu-not", year, rule), [cells[1], cells[3]])
        due = t.total(("fu-due", year, rule), [cells[0], not_on_time])
        for cell in cells:
            t.count(cell)
        t.share(("share", cells[0]), cells[0], due)

    def _outcomes(self, year: str, outcomes: stats.Outcomes) -> None:
        t = self.tables
        overall = [t.quantity(("re", year, "overall", o), outcomes.overall[o]) for o in OUTCOMES]
        count = t.total(("re-n", year), overall)
        for cell in (*overall, count):
            t.count(cell)
        self.outcome_domains[year] = list(outcomes.by_domain)
        for domain, tally in outcomes.by_domain.items():
            cells = [t.quantity(("re", year, domain, o), tally[o]) for o in OUTCOMES]
            t.total(("re-row", year, domain), cells)  # how many re-audits compared the domain: never shown
            for cell in cells:
                t.count(cell)

