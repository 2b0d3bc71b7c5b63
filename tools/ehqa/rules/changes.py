"""What ``ehqa check-pr`` judges: a changed file's two sides, and a refused change.

Shared by the judges of audits and worker forms (``rules.ownership``) and of records
(``rules.record_ownership``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ehqa.findings import shorten
from ehqa.framework.checks import OWNERSHIP_RULES
from ehqa.layout import EntryType


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A side of a change that is not good YAML (or is too large): why."""

    problem: str


@dataclass(frozen=True, slots=True)
class Change:
    """A changed file: its parsed content before and after (None where the file does not exist,
    ``Unreadable`` where it cannot be read), and what the new side is (a symbolic link is never read)."""

    path: str
    old: Any
    new: Any
    new_entry: EntryType = EntryType.FILE


@dataclass(frozen=True, slots=True)
class OwnershipFinding:
    """A refused change. An OWN- rule's message is cited when printed; a layout rule's (FILE-...)
    message already ends with its citation, as ``ehqa validate`` prints it."""

    rule: str
    path: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", shorten(self.message))  # no value is quoted whole (issue 9)

    @property
    def cites(self) -> str:
        return OWNERSHIP_RULES[self.rule][0] if self.rule in OWNERSHIP_RULES else ""

    @property
    def cited(self) -> str:
        return f"{self.message} ({self.cites})" if self.cites else self.message

    def text(self) -> str:
        return f"{self.path}: error[{self.rule}]: {self.cited}"
