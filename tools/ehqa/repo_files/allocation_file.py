"""The allocation file, cycles/YYYY-MM.allocation.yaml: written by `ehqa allocate`, never by hand."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ehqa.layout import schema_reference
from ehqa.plan.allocation import AllocationResult
from ehqa.repo_files.yaml_text import dump_document

REASON_MAX = 300  # the schema's maxLength for a re-draw's reason
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def allocation_document(result: AllocationResult, allocated_on: date, reallocated: tuple[dict, ...] = ()) -> str:
    """The file's text: a header that says how it was made, then the allocation, then every re-draw
    recorded so far (``reallocated``: the schema's items, oldest first)."""
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
    if reallocated:
        value["reallocated"] = list(reallocated)
    document = dump_document(value, schema_reference("allocation"))
    first, rest = document.split("\n", 1)  # the editor's schema line stays first
    return f"{first}\n{header}{rest}"


def redraw_history(previous: Any, today: date, reason: str) -> list[dict]:
    """The ``reallocated`` list of a new draw that replaces an allocation which has gone out (R4, R5):
    the re-draws the old file recorded, then this one, with the seed and date of the draw it replaces.

    ``previous`` is the old file's data as read (None, or anything, when it could not be read): what
    of it is well formed is carried over, the rest left out, so that a damaged file never stops a re-draw.
    """
    old = previous if isinstance(previous, dict) else {}
    history = [item for item in (_redraw(i) for i in _list(old.get("reallocated"))) if item is not None]
    entry: dict = {"date": today, "reason": reason}
    seed = old.get("seed")
    if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0:
        entry["replaced_seed"] = seed
    entry["replaced_allocated"] = _date(old.get("allocated"))
    return [*history, entry]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _redraw(item: Any) -> dict | None:
    """One recorded re-draw, as the schema allows it; None when it is not one."""
    if not isinstance(item, dict) or set(item) - {"date", "reason", "replaced_seed", "replaced_allocated"}:
        return None
    day, reason = _date(item.get("date")), item.get("reason")
    if day is None or not isinstance(reason, str) or not 0 < len(reason) <= REASON_MAX:
        return None
    seed = item.get("replaced_seed")
    valid_seed = isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0
    return {"date": day, "reason": reason, "replaced_seed": seed if valid_seed else None,
            "replaced_allocated": _date(item.get("replaced_allocated"))}


def _date(value: Any) -> date | None:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
