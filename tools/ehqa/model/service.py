"""The whole repository, as loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.model.audits import Audit, WorkerForm
from ehqa.model.cycles import Allocation, Cycle, Moderation
from ehqa.model.records import EffectiveGrades, Record, effective_grades
from ehqa.model.settings import Settings
from ehqa.model.staff import StaffDirectory


@dataclass(slots=True)
class Service:
    """Everything in one QA repository that loaded cleanly.

    ``broken`` names the files that exist but could not be loaded, so that rules do
    not pile a second error ("no such cycle") onto the first.
    """

    settings: Settings | None
    staff: StaffDirectory | None
    cycles: dict[str, Cycle] = field(default_factory=dict)
    allocations: dict[str, Allocation] = field(default_factory=dict)
    audits: list[Audit] = field(default_factory=list)
    worker_forms: list[WorkerForm] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)  # follow-up records, in reading order
    moderations: dict[str, Moderation] = field(default_factory=dict)  # the moderation samples, by cycle (issue 14)
    broken: set[str] = field(default_factory=set)
    # The records by audit, oldest first, built on first use; rebuilt when ``records`` is another list or grew.
    _by_audit: tuple[int, int, dict[str, list[Record]]] | None = field(default=None, init=False, repr=False,
                                                                       compare=False)

    def records_of(self, audit_key: str) -> list[Record]:
        """The follow-up records of one audit (``YYYY-MM/<case-ref>``), oldest first."""
        return self.records_by_audit().get(audit_key, [])

    def effective_grades(self, audit: Audit, as_of: date | None = None) -> EffectiveGrades:
        """The audit's grades as they stand (R12): its own, or the latest revising review's, with that review.

        The one answer every output asks (statistics, the site, the follow-ups and re-audit triggers of R16
        and R18, the meeting pack, the audit report): nothing else works grades out from the records. With
        ``as_of``, a review dated after it has not happened yet and does not count."""
        reviews = [r for r in self.records_of(audit.key) if r.kind == "review" and r.outcome == "findings-revised"
                   and (as_of is None or r.date <= as_of)]
        return effective_grades(audit.overall, {d: j.grade for d, j in audit.domains.items()}, reviews)

    def records_by_audit(self) -> dict[str, list[Record]]:
        """Every record by its audit's key, oldest first (by date, then file), so that asking for each audit's
        records is cheap. Built once; do not change the lists it returns."""
        stamp = (id(self.records), len(self.records))
        if self._by_audit is None or self._by_audit[:2] != stamp:
            index: dict[str, list[Record]] = {}
            for record in sorted(self.records, key=lambda r: (r.date, r.source)):
                index.setdefault(record.audit_key, []).append(record)
            self._by_audit = (*stamp, index)
        return self._by_audit[2]

    def audits_by_key(self) -> dict[str, Audit]:
        """Audits by ``YYYY-MM/<case-ref>``; the first file wins where two claim one key."""
        index: dict[str, Audit] = {}
        for audit in self.audits:
            index.setdefault(audit.key, audit)
        return index
