"""R13: were the audits submitted by their cycle's due date?

An audit is submitted on the day its file first landed on the main branch (from Git:
``load.git_history.first_landed``) or, where the history cannot say (a tarball, a shallow
clone, a file Git does not know), on its recorded ``completed`` date. Pure: the landing dates
are passed in.
"""

from __future__ import annotations

from datetime import date

from ehqa.model import Audit, Service


def submission_date(audit: Audit, submitted: dict[str, date] | None) -> date:
    """The day the audit was submitted: when its file landed, else the day it was completed."""
    if submitted:
        landed = submitted.get(audit.source)
        if landed is not None:
            return landed
    return audit.completed


def on_time_rate(
    service: Service, submitted: dict[str, date] | None, as_of: date | None = None
) -> dict[str, tuple[int, int]]:
    """Per cycle, ``(on time, total)``: how many of its audits were submitted on or before its
    ``audits_due`` date (R13), out of how many were submitted.

    With ``as_of``, an allocated case with no audit once ``audits_due`` has passed counts too,
    as late: a report should not look better because an audit never arrived. Cycles with
    nothing to count are left out; cycles come in order.
    """
    counts: dict[str, list[int]] = {}
    present: set[tuple[str, str]] = set()
    for audit in service.audits:
        cycle = service.cycles.get(audit.cycle)
        if cycle is None:
            continue
        present.add((audit.cycle, audit.case))
        tally = counts.setdefault(audit.cycle, [0, 0])
        tally[0] += submission_date(audit, submitted) <= cycle.audits_due
        tally[1] += 1
    if as_of is not None:
        for cycle_id, allocation in service.allocations.items():
            cycle = service.cycles.get(cycle_id)
            if cycle is None or cycle.audits_due >= as_of:
                continue
            for pair in allocation.pairs:
                for case in pair.cases:
                    if (cycle_id, case) not in present:
                        counts.setdefault(cycle_id, [0, 0])[1] += 1
                        present.add((cycle_id, case))
    return {cycle_id: (tally[0], tally[1]) for cycle_id, tally in sorted(counts.items())}
