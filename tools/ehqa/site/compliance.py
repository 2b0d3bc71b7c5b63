"""Follow-up compliance for the site: the obligations of R10–R20, counted by rule, never by person.

``rules.obligations`` derives every obligation with its owner; here only its rule, its cycle, its
owner's role and whether it was done on time, done late, is still open or is overdue survive. Those
owned by a role one person holds (R12, R15, R16 and the QA officer's part of R17: see
``privacy.disclosure.personal_roles``) are left out: they would be that person's record. The private
meeting pack counts them instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ehqa.framework import checks as kinds
from ehqa.model import Service
from ehqa.model.calendar import WorkingCalendar, calendar_for
from ehqa.privacy.disclosure import is_shared, personal_roles
from ehqa.rules.obligations import Obligations, Status
from ehqa.rules.timeliness import submission_date

R17_ACTIONS = "R17 actions"  # the row of R17's SMART actions themselves, apart from agreeing them

# What each row counted on the site is, in words for staff, saying what one follow-up is (the owner is a role,
# never a person). R17 has two rows: agreeing the actions is one follow-up an audit, meeting them one an action.
# R12 (the Head of Service for QA), R15 and R16 (the QA officer) are one person's work: not counted here.
RULE_TITLES = {
    "R10": "Feedback on earlier work to the previous practitioner (one for each feedback due)",
    "R11": "Safety concern told to the team manager at once (one for each concern)",
    "R13": "Audit submitted by its due date (one for each audit allocated)",
    "R17": "SMART actions agreed and recorded in supervision (one for each audit graded Requires Improvement)",
    R17_ACTIONS: "SMART action met by its due date (one for each action)",
    "R18": "Re-audit of an Inadequate case within 2–3 months (one for each re-audit due)",
    "R19": "Reflective discussion with the practitioner (one for each audit)",
    "R20": "Feedback on the Early Help Assessment (one for each audit)",
}
STATES = ("on time", "late", "open", "overdue")  # the order of RuleCompliance.counts
STATE_LABELS = {"on time": "on time", "late": "late", "open": "not yet due", "overdue": "overdue"}  # as staff read them


def rule_of(row: str) -> str:
    """The R-number of a row of follow-ups: ``R17`` for both of R17's rows."""
    return row.split(" ")[0]


@dataclass(frozen=True)
class RuleCompliance:
    rule: str
    title: str
    on_time: int
    late: int
    open: int
    overdue: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.open + self.overdue

    @property
    def due(self) -> int:
        """Those whose due date has passed (or that are done): the base of the on-time share."""
        return self.on_time + self.late + self.overdue

    @property
    def counts(self) -> tuple[int, int, int, int]:
        return self.on_time, self.late, self.open, self.overdue


@dataclass(frozen=True)
class Item:
    """One obligation reduced to what may be published. ``rule`` names its row of the site's tables: the R-number,
    or ``R17 actions`` for a SMART action."""

    rule: str
    cycle: str
    due: date
    state: str  # one of STATES
    owner_role: str = ""


def shared_items(service: Service, items: list[Item], as_of: date) -> list[Item]:
    """The obligations the site may count: those whose owner's role several people hold."""
    if service.settings is None or service.staff is None:
        return []
    personal = personal_roles(service.settings, service.staff, as_of)
    return [item for item in items if is_shared(item.owner_role, personal)]


def obligation_items(service: Service, as_of: date, submitted: dict[str, date] | None = None) -> list[Item]:
    """Every obligation of the service as of ``as_of``, reduced to rule, cycle, due date, state and owner role.

    The same obligations and statuses as ``Obligations.all()``, without working out owners' escalation
    ladders, which the site never shows; and R13 for every audit allocated: each submitted audit on time or
    late by the day it was submitted (``rules.timeliness``, from ``submitted``, Git's landing dates), each
    missing one open or overdue. The one count of R13 every page shows.
    """
    if service.settings is None or service.staff is None:
        return []
    base = calendar_for(service.settings)
    engine = Obligations(service, as_of, calendar=_RememberingCalendar(base.country, base.subdivision))
    calendar = engine.calendar
    items = []
    for audit in service.audits:
        cycle = service.cycles.get(audit.cycle)
        if cycle is None:
            continue
        landed = submission_date(audit, submitted)
        items.append(Item("R13", audit.cycle, cycle.audits_due, "on time" if landed <= cycle.audits_due else "late",
                          "auditor"))
        for due in engine.for_audit(audit, cycle):
            state = state_of(due, as_of, calendar)
            row = R17_ACTIONS if due.kind is kinds.SMART_ACTION else due.rule
            items.append(Item(row, audit.cycle, due.due, state, due.owner_role))
    for missing in engine.missing_audits():  # R13: allocated, never submitted
        parts = missing.audit.split("/")
        items.append(Item(missing.rule, parts[1] if len(parts) > 2 else "", missing.due,
                          "overdue" if missing.status is Status.OVERDUE else "open", missing.owner_role))
    return items


def state_of(due, as_of: date, calendar: WorkingCalendar) -> str:
    """One of STATES for an obligation of ``rules.obligations``: done on time or late, overdue once its grace of
    working days has passed, else open. Every count of follow-ups asks this."""
    if due.closed_on is not None:
        return "on time" if due.closed_on <= due.due else "late"
    if due.due < as_of and calendar.working_days_between(due.due, as_of) > due.grace:
        return "overdue"
    return "open"


@dataclass(frozen=True)
class _RememberingCalendar(WorkingCalendar):
    """A working calendar that remembers its answers: a service's audits share a few hundred meeting and
    completion dates, and the follow-ups of 12,000 audits ask for the same sums tens of thousands of times."""

    _sums: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def add_working_days(self, day: date, count: int) -> date:
        key = (day, count)
        found = self._sums.get(key)
        if found is None:
            found = self._sums[key] = super().add_working_days(day, count)
        return found


def by_rule(items) -> list[RuleCompliance]:
    tally = Counter((item.rule, item.state) for item in items)
    rules = sorted({rule for rule, _ in tally}, key=_number)
    return [RuleCompliance(rule, RULE_TITLES.get(rule, rule), tally[rule, "on time"], tally[rule, "late"],
                           tally[rule, "open"], tally[rule, "overdue"]) for rule in rules]


def _number(row: str) -> tuple[int, str]:
    digits = rule_of(row).lstrip("R")
    return (int(digits), row) if digits.isdigit() else (10**6, row)
