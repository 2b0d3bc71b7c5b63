"""A period of cycles, as the supervision packs and the training needs take it (R22): a year, ``2026``, or a
quarter, ``2026-Q4`` (its three months). Pure: a period is a label and the months it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ehqa.model.wording import MONTHS

PERIOD_FORMS = "YYYY (a year) or YYYY-Qn (a quarter, Q1 to Q4)"


@dataclass(frozen=True)
class Period:
    """A year or a quarter: ``label`` as given, ``months`` the cycle ids (YYYY-MM) it holds."""

    label: str
    months: tuple[str, ...]

    def holds(self, cycle_id: str) -> bool:
        return cycle_id in self.months

    @property
    def words(self) -> str:
        """``2026``, or ``October to December 2026`` for a quarter."""
        if len(self.months) == 12:
            return self.label
        first, last = (int(m[5:]) for m in (self.months[0], self.months[-1]))
        return f"{MONTHS[first - 1]} to {MONTHS[last - 1]} {self.label[:4]}"


def parse_period(text: str) -> Period | None:
    """``2026`` or ``2026-Q4``; None when ``text`` is neither."""
    found = re.fullmatch(r"([0-9]{4})(?:-[Qq]([1-4]))?", text.strip())
    if not found:
        return None
    year, quarter = found[1], found[2]
    months = range(1, 13) if quarter is None else range(3 * int(quarter) - 2, 3 * int(quarter) + 1)
    return Period(year if quarter is None else f"{year}-Q{quarter}", tuple(f"{year}-{m:02d}" for m in months))
