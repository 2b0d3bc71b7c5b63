"""The allocation file, cycles/YYYY-MM.allocation.yaml: written by `ehqa allocate`, never by hand."""

from __future__ import annotations

from datetime import date

from ..plan.allocation import AllocationResult
from .yaml_text import dump_document

SCHEMA = "../schemas/allocation.schema.json"


def allocation_document(result: AllocationResult, allocated_on: date) -> str:
    """The file's text: a header that says how it was made, then the allocation."""
    header = (
        f"# Written by `ehqa allocate {result.cycle} --seed {result.seed}`.\n"
        "# The same data and seed give the same draw, so anyone can check it. `ehqa validate`\n"
        "# re-checks every constraint (R4-R6, R18) if this file is edited by hand.\n"
    )
    value: dict = {
        "cycle": result.cycle,
        "seed": result.seed,
        "allocated": allocated_on,
        "pairs": [{"auditors": list(p.auditors), "cases": list(p.cases)} for p in result.pairs],
    }
    if result.unallocated:
        value["unallocated"] = [{"case": u.case, "reason": u.reason} for u in result.unallocated]
    document = dump_document(value, SCHEMA)
    first, rest = document.split("\n", 1)  # the editor's schema line stays first
    return f"{first}\n{header}{rest}"
