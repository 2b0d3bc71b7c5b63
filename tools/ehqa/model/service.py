"""The whole repository, as loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from ehqa.model.audits import Audit, WorkerForm
from ehqa.model.cycles import Allocation, Cycle
from ehqa.model.records import Record
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

    def records_of(self, audit_key: str) -> list[Record]:
        """The follow-up records of one audit (``YYYY-MM/<case-ref>``), oldest first."""
        return sorted((r for r in self.records if r.audit_key == audit_key), key=lambda r: (r.date, r.source))

    def audits_by_key(self) -> dict[str, Audit]:
        """Audits by ``YYYY-MM/<case-ref>``; the first file wins where two claim one key."""
        index: dict[str, Audit] = {}
        for audit in self.audits:
            index.setdefault(audit.key, audit)
        return index
