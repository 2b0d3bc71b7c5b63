"""Feedback on earlier work (R10), as the meeting pack shows it for each audited case.

Where earlier work by a previous practitioner or team shows particular strengths or concerns, the
auditor feeds that back to that practitioner and their team manager (R10). The audit says what the
earlier work showed (``previous_work_feedback``); the feedback itself is either the audit's own
``fed_back`` date (audits written before records) or a ``feedback`` record for rule R10 (issue 11),
which says whom it reached. A record that matches no entry of the audit is shown on its own: the
auditor fed back something the audit did not list. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from ehqa.model import Audit, Record
from ehqa.model.wording import names as name_list
from ehqa.model.wording import one_line

KIND = {"strength": "strength", "concern": "concern"}


@dataclass(frozen=True)
class PreviousWorkRow:
    practitioner: str  # the previous practitioner, or "" when the audit names only the team
    team: str
    kind: str  # strength, concern, or "" for a record the audit does not list
    summary: str
    fed_back: date | None  # None: not fed back yet
    to: str  # whom the feedback reached, as the record says; "" when only the audit's date is known


def previous_work_rows(
    audit: Audit, records: Iterable[Record], name: Callable[[str | None], str], team_name: Callable[[str], str]
) -> tuple[PreviousWorkRow, ...]:
    """The audit's feedback on earlier work (R10), each with when it was fed back and to whom, then each
    R10 feedback record that matches none of them."""
    feedback = sorted(
        (r for r in records if r.kind == "feedback" and r.rule == "R10"), key=lambda r: (r.date, r.source)
    )
    used: set[str] = set()
    rows = []
    for entry in audit.previous_work_feedback:
        record = _record_for(entry.summary, entry.practitioner, feedback, used)
        if record is not None:
            used.add(record.source)
        dates = [d for d in (entry.fed_back, record.date if record else None) if d is not None]
        rows.append(
            PreviousWorkRow(
                name(entry.practitioner),
                team_name(entry.team),
                KIND.get(entry.kind, entry.kind),
                one_line(entry.summary),
                min(dates, default=None),
                name_list(name(p) for p in record.to) if record else "",
            )
        )
    for record in feedback:
        if record.source not in used:
            rows.append(
                PreviousWorkRow(
                    "", "", "", one_line(record.summary), record.date, name_list(name(p) for p in record.to)
                )
            )
    return tuple(rows)


def _record_for(summary: str, practitioner: str | None, feedback: list[Record], used: set[str]) -> Record | None:
    """The R10 record that fed back this entry: the one with its words, else the first to reach its
    practitioner; None when no record did."""
    free = [r for r in feedback if r.source not in used]
    for test in (
        lambda r: one_line(r.summary) == one_line(summary),
        lambda r: practitioner is not None and practitioner in r.to,
    ):
        match = next((r for r in free if test(r)), None)
        if match is not None:
            return match
    return None
