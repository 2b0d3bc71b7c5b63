"""What every rule module shares: how a finding is made, and the checking context."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ehqa.findings import Finding
from ehqa.framework.checks import RULES, cite
from ehqa.model import Audit, Service


@dataclass(frozen=True, slots=True)
class Context:
    """What rules need besides the data. ``as_of`` is "today", always passed in, so checks are repeatable."""

    service: Service
    as_of: date
    audits_by_key: dict[str, Audit] = field(init=False)
    audits_by_cycle: dict[str, list[Audit]] = field(init=False)

    def __post_init__(self) -> None:  # indexes built once, so that no rule scans every audit per item
        by_cycle: dict[str, list[Audit]] = defaultdict(list)
        for audit in self.service.audits:
            by_cycle[audit.cycle].append(audit)
        object.__setattr__(self, "audits_by_key", self.service.audits_by_key())
        object.__setattr__(self, "audits_by_cycle", dict(by_cycle))


def finding(rule: str, message: str, file: str, *where: str | int) -> Finding:
    """A finding for a registered rule, its message citing the R-number the rule enforces."""
    assert rule in RULES, f"unregistered rule {rule}"  # a programming error, caught by the tests
    return Finding(rule, cite(rule, message), file, tuple(where))
