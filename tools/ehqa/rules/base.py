"""What every rule module shares: how a finding is made, and the checking context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..findings import Finding
from ..model import Service
from .catalogue import RULES, cite


@dataclass(frozen=True, slots=True)
class Context:
    """What rules need besides the data. ``as_of`` is "today", always passed in, so checks are repeatable."""

    service: Service
    as_of: date


def finding(rule: str, message: str, file: str, *where: str | int) -> Finding:
    """A finding for a registered rule, its message citing the R-number the rule enforces."""
    assert rule in RULES, f"unregistered rule {rule}"  # a programming error, caught by the tests
    return Finding(rule, cite(rule, message), file, tuple(where))
