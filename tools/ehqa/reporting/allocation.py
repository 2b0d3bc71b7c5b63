"""A draw of ``ehqa allocate`` as text for people: the pairs and their cases, and the soft goals missed."""

from __future__ import annotations

from ehqa.model import StaffDirectory
from ehqa.plan.allocation import AllocationResult, SoftGoalReport


def allocation_text(result: AllocationResult, goals: SoftGoalReport, staff: StaffDirectory) -> str:
    lines = [f"cycle {result.cycle}, seed {result.seed}: {len(result.pairs)} pairs"]
    for number, pair in enumerate(result.pairs, 1):
        who = " + ".join(f"{a} ({staff.people[a].name})" for a in pair.auditors)
        lines.append(f"  {number:>2}. {who}: {', '.join(pair.cases)}")
    if goals.repeat_pairs or goals.practitioner_only_pairs or goals.single_case_pairs:
        lines.append(f"  soft goals missed: {goals.repeat_pairs} repeated pairs, "
                     f"{goals.practitioner_only_pairs} pairs of two practitioner-grade auditors, "
                     f"{goals.single_case_pairs} extra pairs with one case (conflicts left no partner case)")
    return "\n".join(lines)
