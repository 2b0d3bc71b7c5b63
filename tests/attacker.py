"""An attacker for the learning site: reads every published figure and tries to work out what is withheld.

Independent of ``ehqa.privacy.disclosure``: it knows only what a reader knows, the pages. From the
HTML of every page (tables, running text, charts' alt text) it takes every figure, names each by what
it counts (the grades of a month, a team's row, a domain's share Good or better in a month), and writes
down what any reader knows of how they relate:

- a row's cells sum to its size, and a table's rows to its total row;
- a year is the sum of its months, and of its teams; the same figure on two pages is one figure;
- a share ``S%`` of a known whole ``W`` puts its part between (S - 0.5)·W/100 and (S + 0.5)·W/100;
- counts are whole numbers, never negative.

Then, for every figure shown ``[c]`` and for the complement of every share (how many were *not* Good or
better, not on time), ``attacker_lp`` asks linear programmes for the least and the most it could be.
A figure is disclosed when that range holds one whole number only, or lies within 1 to ``k - 1``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import attacker_pages
from attacker_pages import MONTH, MONTHS, Table, _text, _twelve_before, article, period_of, prose, tables  # noqa: F401

WITHHELD = None  # a [c] cell


@dataclass
class Model:
    """What a reader knows: figures by name, equalities, share bounds, and what is withheld."""

    k: int
    values: dict = field(default_factory=dict)  # name -> the value shown
    withheld: set = field(default_factory=set)  # names shown as [c] somewhere
    sums: list = field(default_factory=list)  # (total, parts): total == sum(parts)
    at_most: list = field(default_factory=list)  # (parts, bound): sum(parts) <= bound
    shares: list = field(default_factory=list)  # (part, whole, percent)
    complements: list = field(default_factory=list)  # (part, whole): whole - part is a count of people too
    withheld_shares: list = field(default_factory=list)  # (part, whole) of a share shown [c]
    problems: list = field(default_factory=list)  # what a reader can see without solving anything

    def show(self, name, text: str, where: str) -> None:
        value = _number(text)
        if value is WITHHELD:
            self.withheld.add(name)
        elif value is not None:
            known = self.values.setdefault(name, value)
            if known != value:
                self.problems.append(f"{where}: {name} is {value} here and {known} elsewhere")

    def share(self, part, whole, text: str, where: str, complement: bool = False) -> None:
        """A share cell: ``38%``, ``–`` (nothing to share: the whole is 0) or [c]."""
        if complement:
            self.complements.append((part, whole))
        text = text.strip()
        if text == "[c]":
            self.withheld_shares.append((part, whole))
        elif text == "–":
            self.values.setdefault(whole, 0)
        elif text.endswith("%"):
            self.shares.append((part, whole, int(text[:-1])))

    def clashes(self) -> list[str]:
        """A figure shown [c] in one place and as a number in another is given away outright."""
        return [f"{name} is withheld somewhere and shown elsewhere as {self.values[name]}"
                for name in sorted(self.withheld & self.values.keys(), key=repr)]


# --- naming the figures ---


FIGURE = r"(\[c\]|\d+)"
LIST = r"(?:<li>\s*<strong>|- \*\*)(.+?)(?:</strong>|\*\*): (Good or better|below Good) in (\d+) of (\d+) audits"
LIST_TEXT = r": (?:Good or better|below Good) in \d+ of \d+ audits \(\d+%\)"
PROSE = [  # every sentence of the site that gives a figure, and what to make of it
    (r"(\d+) cases? audited\. (\[c\]|\d+%|–) were Good or better overall", lambda r, *a: r._cases_audited(*a)),
    (rf"({MONTH}|\d{{4}}): (\d+) of (\d+) audits were Good or better overall \((\d+%)\)",
     lambda r, *a: r._good_of(*a)),
    (rf"({MONTH}|\d{{4}}): (\d+) audits; the share Good or better is not shown", lambda r, *a: r._size_of(*a)),
    (rf"{FIGURE} of (\d+) audits were submitted by the due date", lambda r, *a: r._on_time(*a)),
    (rf"{FIGURE} of (\d+) audits had grades revised on review", lambda r, *a: r._revised(*a)),
    (r"(\d+) audits in the \d+ cycles? reported", lambda r, *a: r._size(*a)),
    (r"(\d{4}): (\d+) audits in \d+ months?", lambda r, *a: r._size_of(*a)),
    (rf"compared with the audit before: {FIGURE} in all", lambda r, *a: r._reaudits_in_all(*a)),
    (rf"({MONTH}) \([^)]*\), audited (\d+) cases(?:; the whole of (\d{{4}}), (\d+))?",
     lambda r, *a: r._home_latest(*a)),
    (r"In all: \d+ cycles, (\d+) audits reported", lambda r, *a: r._all_audits(*a)),
    (r"Follow-ups of the audits of (\d{4}), as of [^:]+: (\S+) done on time \((\S+) of those due\), (\S+) late, "
     r"(\S+) overdue and (\S+) not yet due", lambda r, *a: r._followups_alt(*a)),
    (r"Most often Good or better: ([^(]+?) \((\d+%)\)", lambda r, *a: r._best_domain(*a)),
    (r"(\d+) teams? had fewer than (\d+) audits in (\d{4}): not shown", lambda r, *a: r._teams_not_shown(*a)),
]


def residue(where: str, body: str) -> list[str]:
    """Numbers on a report page that no figure read here accounts for."""
    return attacker_pages.residue(where, body, [LIST_TEXT, *(p for p, _ in PROSE)])


class Reader:
    """Names every figure of the site's pages and writes down the relations a reader knows."""

    def __init__(self, grade_labels: list[str], k: int) -> None:
        self.labels = grade_labels
        self.model = Model(k)
        self.years: dict[str, set[str]] = defaultdict(set)  # year -> the months with figures
        self.teams: dict[str, set[str]] = defaultdict(set)
        self.domains: dict[str, set[str]] = defaultdict(set)
        self.windows: dict = {}  # a rolling 12 months before a month, where a page shows one
        self.training_domains: set = set()  # (year, domain) of the training page's domain tables
        self.unknown: list[str] = []

    def read(self, where: str, page: str) -> None:
        body = article(page)
        for table in tables(body):
            try:
                self._table(where, table)
            except IndexError:
                self.unknown.append(f"{where}: a table of an unexpected shape: {table.caption!r}")
        self._lists(where, body)
        self._prose(where, prose(body))

    # Each kind of table, by its caption.
    def _table(self, where: str, t: Table) -> None:
        m, c = self.model, t.caption
        if found := re.fullmatch(rf"Overall grades, ({MONTH}|\d{{4}})", c):
            self._grade_rows(where, t, [(found[1], 1, 2)])
        elif found := re.fullmatch(rf"Overall grades, ({MONTH}) and (\d{{4}})", c):
            self._grade_rows(where, t, [(found[1], 1, 2), (found[2], 3, 4)])
        elif found := re.fullmatch(rf"Grades by domain, ({MONTH}) \(counts of audits\)", c):
            month = found[1]
            for row in t.rows:
                self._domain(where, month, row[0], row[1:])
            if t.total:
                self._grade_line(where, month, t.total[1:1 + len(self.labels)], t.total[-1])
        elif found := re.fullmatch(r"Overall grades by month, (\d{4}) \(counts of audits\)", c):
            for row in t.rows:
                self.years[found[1]].add(row[0])
                m.show(("n", row[0]), row[-1], where)
                self._grade_line(where, row[0], row[1:1 + len(self.labels)], None)
        elif re.fullmatch(r"The cycles of \d{4}|Cycles, newest first", c):
            for row in t.rows:
                if row[2] != "–":
                    self.years[row[0][-4:]].add(row[0])
                    m.show(("n", row[0]), row[2], where)
                    m.share(("good", row[0]), ("n", row[0]), row[3], where, complement=True)
        elif c == "Years, newest first":
            for row in t.rows:
                if row[2] != "–":
                    m.show(("n", row[0]), row[2], where)
                    m.share(("good", row[0]), ("n", row[0]), row[3], where, complement=True)
        elif found := re.fullmatch(r"Share of audits Good or better, by domain and month, (\d{4})", c):
            months = {name[:3]: f"{name} {found[1]}" for name in MONTHS}
            for row in t.rows:
                for short, cell in zip(t.head[1:], row[1:]):
                    month = months[short]
                    self.domains[month].add(row[0])
                    m.share(("dgood", month, row[0]), ("dgraded", month, row[0]), cell, where, complement=True)
        elif found := re.fullmatch(r"Overall grades by team, (\d{4}): teams with at least \d+ audits", c):
            for row in t.rows:
                team = (found[1], row[0])
                self.teams[found[1]].add(row[0])
                m.show(("n", team), row[1], where)
                self._grade_line(where, team, row[2:2 + len(self.labels)], row[-1])
        elif found := re.fullmatch(r"SMART actions agreed in (\d{4}) \(R17\), as of .*", c):
            for row in t.rows:
                m.show(("act", found[1], row[0]), row[1], where)
            m.show(("act", found[1], "All"), t.total[1], where)
            m.sums.append((("act", found[1], "All"), [("act", found[1], r[0]) for r in t.rows]))
        elif found := re.fullmatch(rf"Follow-ups of the audits of ({MONTH}|\d{{4}}), by rule, as of .*", c):
            self._followups(where, found[1], t)
        elif found := re.fullmatch(rf"Overall grades, ({MONTH}) and the 12 months before", c):
            window = ("12 months before", found[1])
            self.windows[window] = found[1]
            self._grade_rows(where, t, [(found[1], 1, 2), (window, 3, 4)])
        elif re.fullmatch(r"Follow-ups due in the 12 months to .*, by rule", c):
            for row in t.rows:  # by due date: no sum of other tables a reader could write down
                for state, cell in zip(("on time", "late", "overdue", "not yet due"), row[2:6]):
                    m.show(("fu-12", row[0], state), cell, where)
        elif found := re.fullmatch(rf"Re-audits in ({MONTH}|\d{{4}}) against the audits before, by domain", c):
            self._reaudits(where, found[1], t)
        elif found := re.fullmatch(r"What training would help, (\d{4}): audits by learning theme", c):
            for row in t.rows:  # R22: of the audits tagged with a theme, those with each need; the rest a count too
                tagged = ("n", (found[1], "theme", row[0]))  # a sample size: not withheld, by design
                m.show(tagged, row[1], where)
                for kind, cell in zip(t.head[2:], row[2:]):
                    need = ("tk", found[1], row[0], kind)
                    m.show(need, cell, where)
                    m.at_most.append(([need], tagged))
                    m.complements.append((need, tagged))
        elif found := re.fullmatch(r"What training would help, (\d{4}): domains graded below Good", c):
            for row in t.rows:  # R22: a domain's audits in the year graded below Good: the sum of its months'
                m.show(("dbelow", found[1], row[0]), row[1], where)
                self.training_domains.add((found[1], row[0]))
        elif c == "How far independent graders agree, with 95% intervals":
            for row in t.rows:  # issue 14: the audits graded independently, by domain; the rest are statistics
                m.show(("independent", row[0]), row[1], where)
        elif c == "The overall grade, quarter by quarter, with 95% intervals":
            pass  # statistics with their intervals, no count: nothing a count could be worked out from
        elif re.fullmatch(r"Learning themes|Learning themes of the audits, .*|Audits tagged .*, by (cycle|year)", c):
            pass  # counts of the themes published with each excerpt: not withheld, by design
        else:
            self.unknown.append(f"{where}: a table nobody has modelled: {c!r}")

    def _grade_rows(self, where, t: Table, columns) -> None:
        """A table with the grades as rows: each (period, count column, share column)."""
        for period, count, share in columns:
            for row in t.rows:
                self.model.show(("g", period, row[0]), row[count], where)
                self.model.share(("g", period, row[0]), ("n", period), row[share], where)

    def _grade_line(self, where, period, cells, good) -> None:
        m = self.model
        for label, cell in zip(self.labels, cells):
            m.show(("g", period, label), cell, where)
        if good is not None:
            m.share(("good", period), ("n", period), good, where, complement=True)

    def _domain(self, where, month, domain, cells) -> None:
        m = self.model
        self.domains[month].add(domain)
        for label, cell in zip([*self.labels, "not applicable"], cells):
            m.show(("d", month, domain, label), cell, where)
        m.share(("dgood", month, domain), ("dgraded", month, domain), cells[-1], where, complement=True)

    def _followups(self, where, year, t: Table) -> None:
        m = self.model
        states = ("on time", "late", "overdue", "not yet due")
        # A row is named by its rule and what it counts: R17 has two rows (agreeing the actions; each action).
        rows = [(f"{r[0]} {r[1]}", r[2:6], r[6]) for r in t.rows] + ([("All", t.total[2:6], t.total[6])] if t.total else [])
        for rule, cells, share in rows:
            for state, cell in zip(states, cells):
                m.show(("fu", year, rule, state), cell, where)
            due = ("fu-due", year, rule)
            m.sums.append((due, [("fu", year, rule, s) for s in ("on time", "late", "overdue")]))
            m.share(("fu", year, rule, "on time"), due, share, where, complement=True)
        for state in states:
            m.sums.append((("fu", year, "All", state), [("fu", year, f"{r[0]} {r[1]}", state) for r in t.rows]))

    def _reaudits(self, where, year, t: Table) -> None:
        m = self.model
        outcomes = t.head[1:]
        for row in [*t.rows, *([t.total] if t.total else [])]:
            for outcome, cell in zip(outcomes, row[1:]):
                m.show(("re", year, row[0], outcome), cell, where)
        if t.total:
            m.sums.append((("re-n", year), [("re", year, "Overall", o) for o in outcomes]))
        for row in t.rows:
            m.at_most.append(([("re", year, row[0], o) for o in outcomes], ("re-n", year)))

    # Figures in running text and alt text.
    def _lists(self, where: str, body: str) -> None:
        """The strengths and areas for development of a cycle: a domain's part of its graded audits."""
        m, month = self.model, period_of(where)
        for domain, kind, part, graded in re.findall(LIST, body):
            domain = _text(domain)
            m.show(("dgraded", month, domain), graded, where)
            if kind == "Good or better":
                m.show(("dgood", month, domain), part, where)
            else:
                m.sums.append((("dgraded", month, domain), [("dgood", month, domain), ("dbelow", month, domain)]))
                m.show(("dbelow", month, domain), part, where)

    def _prose(self, where: str, text: str) -> None:
        for pattern, handler in PROSE:
            for found in re.finditer(pattern, text):
                handler(self, where, period_of(where), *found.groups())

    def _cases_audited(self, where, period, n, good):
        self.model.show(("n", period), n, where)
        self.model.share(("good", period), ("n", period), good, where, complement=True)

    def _good_of(self, where, _, label, part, n, share):
        self.model.show(("good", label), part, where)
        self.model.show(("n", label), n, where)
        self.model.share(("good", label), ("n", label), share, where, complement=True)

    def _size_of(self, where, _, label, n):
        self.model.show(("n", label), n, where)

    def _size(self, where, period, n):
        self.model.show(("n", period), n, where)

    def _on_time(self, where, period, on, n):
        m = self.model
        m.show(("ontime", period), on, where)
        m.show(("n", period), n, where)
        m.at_most.append(([("ontime", period)], ("n", period)))
        m.complements.append((("ontime", period), ("n", period)))

    def _revised(self, where, period, revised, n):
        """R12: a cycle's audits with grades revised on review, of all its audits; the rest are a count too."""
        m = self.model
        m.show(("revised", period), revised, where)
        m.show(("n", period), n, where)
        m.at_most.append(([("revised", period)], ("n", period)))
        m.complements.append((("revised", period), ("n", period)))

    def _reaudits_in_all(self, where, period, n):
        self.model.show(("re-n", period), n, where)

    def _home_latest(self, where, _, month, n, year, prior):
        self.model.show(("n", month), n, where)
        if year:
            self.model.show(("n", year), prior, where)

    def _all_audits(self, where, _, n):
        self.model.show(("n", "all"), n, where)

    def _followups_alt(self, where, _, year, on, share, late, overdue, open_):
        m = self.model
        for state, cell in (("on time", on), ("late", late), ("overdue", overdue), ("not yet due", open_)):
            m.show(("fu", year, "All", state), cell, where)
        m.share(("fu", year, "All", "on time"), ("fu-due", year, "All"), share, where, complement=True)

    def _best_domain(self, where, month, domain, share):
        self.model.share(("dgood", month, domain), ("dgraded", month, domain), share, where, complement=True)

    def _teams_not_shown(self, where, _, count, k, year):
        """Teams left out of a year's team table altogether: together, the year less the teams shown; where
        that is one team, its grades are withheld figures like any other."""
        row = f"{count} teams not shown"
        self.teams[year].add(row)
        if count == "1":
            self.model.withheld.update(("g", (year, row), label) for label in self.labels)

    # --- the relations --------------------------------------------------------------------------------------

    def relations(self) -> Model:
        m = self.model
        periods = {name[1] for name in [*m.values, *m.withheld] if name[0] == "g"}
        for period in periods:
            cells = [("g", period, label) for label in self.labels]
            m.sums.append((("n", period), cells))
            m.sums.append((("good", period), cells[:2]))
        for year, months in self.years.items():
            for label in self.labels:
                m.sums.append((("g", year, label), [("g", month, label) for month in months]))
                if self.teams.get(year):
                    m.sums.append((("g", year, label), [("g", (year, team), label) for team in self.teams[year]]))
            m.sums.append((("n", year), [("n", month) for month in months]))
        for window, month in self.windows.items():
            before = _twelve_before(month, {mo for months in self.years.values() for mo in months})
            for label in self.labels:
                m.sums.append((("g", window, label), [("g", mo, label) for mo in before]))
            m.sums.append((("n", window), [("n", mo) for mo in before]))
        follow_ups = {(n[1], n[2], n[3]) for n in [*m.values, *m.withheld] if n[0] == "fu"}
        for year, months in self.years.items():  # a year's follow-ups are its months' (where months have tables)
            for rule, state in {(r, s) for p, r, s in follow_ups if p == year}:
                parts = [("fu", mo, rule, state) for mo in months if any(p == mo for p, _, _ in follow_ups)]
                if parts:
                    m.sums.append((("fu", year, rule, state), parts))
        for year, domain in self.training_domains:  # a year's domain figures are its months'
            months = [mo for mo in self.years.get(year, ()) if domain in self.domains.get(mo, ())]
            for name in ("dgraded", "dbelow"):
                m.sums.append(((name, year, domain), [(name, mo, domain) for mo in months]))
            for mo in months:
                m.sums.append((("dgraded", mo, domain), [("dgood", mo, domain), ("dbelow", mo, domain)]))
        if ("n", "all") in m.values:
            m.sums.append((("n", "all"), [("n", year) for year in self.years]))
        for month, domains in self.domains.items():
            for domain in domains:
                cells = [("d", month, domain, label) for label in self.labels]
                m.sums.append((("dgraded", month, domain), cells))
                m.sums.append((("dgood", month, domain), cells[:2]))
                m.sums.append((("n", month), [*cells, ("d", month, domain, "not applicable")]))
        return m


def _number(text: str):
    text = text.strip().replace(",", "")
    if text == "[c]":
        return WITHHELD
    return int(text) if re.fullmatch(r"\d+", text) else None
