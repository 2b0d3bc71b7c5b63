"""The case note the QA officer records in the case-management system after the QA meeting (R15).

Section 3 of the guidance shows it, word for word: the title "Quality Assurance: case audited"
and the description "This case was audited on DD/MM/YY as part of the Early Help Quality
Assurance process. Original audit has been sent to manager." The date is the day the audit
was completed, written as in the guidance's example (13/11/17). Nothing else is added: the
note is pasted as it stands, so it must match the service's standard wording exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa.model import Audit

TITLE = "Quality Assurance: case audited"
DESCRIPTION = ("This case was audited on {date} as part of the Early Help Quality Assurance process. "
               "Original audit has been sent to manager.")


@dataclass(frozen=True, slots=True)
class CaseNote:
    title: str
    description: str

    def as_text(self) -> str:
        """The note as the officer pastes it: each field under its label, as the guidance shows it."""
        return f"Title: {self.title}\n\nDescription: {self.description}\n"

    def as_json(self, audit: Audit) -> dict[str, str]:
        """``ehqa casenote --format json``: the note, and the case and day it is about."""
        return {"title": self.title, "description": self.description, "case": audit.case,
                "audited_on": audit.completed.isoformat()}


def short_date(day: date) -> str:
    """DD/MM/YY, as in the guidance's example: 13 November 2017 is ``13/11/17``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}"


def casenote(audit: Audit) -> CaseNote:
    """The standard case note for an audit (R15, section 3 of the guidance)."""
    return CaseNote(title=TITLE, description=DESCRIPTION.format(date=short_date(audit.completed)))
