"""The whole repository, as loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.model.audits import Audit, WorkerForm
from ehqa.model.cycles import Allocation, Cycle
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
    broken: set[str] = field(default_factory=set)
    # The revising reviews by audit, built on first use; rebuilt when ``records`` is another list or grew.
    _revisions: tuple[int, int, dict[str, list[Record]]] | None = field(default=None, init=False, repr=False,
                                                                        compare=False)

    def records_of(self, audit_key: str) -> list[Record]:
        """The follow-up records of one audit (``YYYY-MM/<case-ref>``), oldest first."""
        return sorted((r for r in self.records if r.audit_key == audit_key), key=lambda r: (r.date, r.source))

    def effective_grades(self, audit: Audit, as_of: date | None = None) -> EffectiveGrades:
        """The audit's grades as they stand (R12): its own, or the latest revising review's, with that review.

        The one answer every output asks (statistics, the site, the follow-ups and re-audit triggers of R16
        and R18, the meeting pack, the audit report): nothing else works grades out from the records. With
        ``as_of``, a review dated after it has not happened yet and does not count."""
        reviews = self._revising_reviews().get(audit.key, ())
        if as_of is not None:
            reviews = [r for r in reviews if r.date <= as_of]
        return effective_grades(audit.overall, {d: j.grade for d, j in audit.domains.items()}, reviews)

    def _revising_reviews(self) -> dict[str, list[Record]]:
        """Reviews that revise grades, by audit key: few, so that asking for every audit's grades is cheap."""
        stamp = (id(self.records), len(self.records))
        if self._revisions is None or self._revisions[:2] != stamp:
            index: dict[str, list[Record]] = {}
            for record in self.records:
                if record.kind == "review" and record.outcome == "findings-revised":
                    index.setdefault(record.audit_key, []).append(record)
            self._revisions = (*stamp, index)
        return self._revisions[2]

    def audits_by_key(self) -> dict[str, Audit]:
        """Audits by ``YYYY-MM/<case-ref>``; the first file wins where two claim one key."""
        index: dict[str, Audit] = {}
        for audit in self.audits:
            index.setdefault(audit.key, audit)
        return index
