"""Benchmark: `ehqa followups` over the 12,000-audit scaled service, beyond loading.

    .venv/bin/python benchmarks/followups.py

Uses the scaled demo that benchmarks/validate.py writes into benchmarks/.work/ (and writes it
when it is missing), loads it once, then times the derivation of every follow-up obligation
(R10–R20) with its status and escalation, best of five. Target (issue 4): under 1 s beyond loading.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from datetime import date

from ehqa.load.repository import load_repository
from ehqa.reporting.followups import markdown
from ehqa.rules.obligations import Obligations, Status
from validate import WORK, ensure_service

AS_OF = date(2026, 11, 26)
TARGET_SECONDS = 1.0


def main() -> None:
    ensure_service(regenerate=False)
    started = time.perf_counter()
    service = load_repository(WORK).service
    loading = time.perf_counter() - started
    timings, found = [], []
    for _ in range(5):
        started = time.perf_counter()
        found = Obligations(service, AS_OF).all()
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    markdown([o for o in found if o.status is not Status.DONE], service.staff, service.settings, AS_OF)
    rendering = time.perf_counter() - started
    statuses = Counter(o.status.value for o in found)
    print(f"service: {len(service.audits):,} audits; loading took {loading:.2f} s (not counted)")
    print(f"obligations: {len(found):,} ({', '.join(f'{n:,} {s}' for s, n in sorted(statuses.items()))})")
    print(f"followups beyond loading: best {min(timings):.3f} s, median {statistics.median(timings):.3f} s "
          f"(target under {TARGET_SECONDS:.0f} s: median is {statistics.median(timings) / TARGET_SECONDS:.2f} of it)")
    print(f"markdown report of the open and overdue ones: {rendering:.3f} s")


if __name__ == "__main__":
    main()
