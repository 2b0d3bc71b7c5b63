"""The allocation file, cycles/YYYY-MM.allocation.yaml: written by `ehqa allocate`, never by hand.

``draw_request`` reads what the draw needs and refuses a draw the repository's state forbids (R5: an
allocation that has gone out is drawn again only with --force and a reason); ``write_allocation``
writes the result, the first time exclusively.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ehqa import layout
from ehqa.atomic import create_or_fail, write_atomic
from ehqa.errors import DataError, UsageProblem
from ehqa.layout import schema_reference
from ehqa.model import Cycle, Service
from ehqa.plan.allocation import AllocationRequest, AllocationResult
from ehqa.repo_files.yaml_text import dump_document
from ehqa.rules.cycles import allocation_late

log = logging.getLogger("ehqa")

REASON_MAX = 300  # the schema's maxLength for a re-draw's reason
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def allocation_document(result: AllocationResult, allocated_on: date, reallocated: tuple[dict, ...] = (),
                        late_reason: str | None = None) -> str:
    """The file's text: a header that says how it was made, then the allocation, then every re-draw
    recorded so far (``reallocated``: the schema's items, oldest first). ``late_reason``: why it went
    out after the cycle's allocations_by date (R5)."""
    header = (
        f"# Written by `ehqa allocate {result.cycle} --seed {result.seed}`.\n"
        "# The same data and seed give the same draw, so anyone can check it. `ehqa validate`\n"
        "# re-checks every constraint (R4-R6, R18) if this file is edited by hand.\n"
    )
    value: dict = {
        "cycle": result.cycle,
        "seed": result.seed,
        "allocated": allocated_on,
        **({"late_reason": late_reason} if late_reason else {}),
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


@dataclass(frozen=True)
class GoneOut:
    """An allocation that has gone out: its data as read (None when unreadable) and its ``allocated`` date."""

    data: Any
    allocated: str | None

    @classmethod
    def of(cls, data: Any) -> GoneOut:
        allocated = data.get("allocated") if isinstance(data, dict) else None
        return cls(data, allocated if isinstance(allocated, str) and len(allocated) <= 10 else None)


def redraw_reason(reason: str | None, force: bool) -> str | None:
    """--reason on one line, checked: it goes into the allocation file (``UsageProblem`` when it cannot)."""
    if reason is None:
        return None
    if not force:
        raise UsageProblem("--reason goes with --force: it records why an allocation that went out is drawn again")
    text = " ".join(reason.split())
    if not text or len(text) > REASON_MAX:
        raise UsageProblem(f"--reason must say why, in 1 to {REASON_MAX} characters")
    return text


def late_reason_text(reason: str | None) -> str | None:
    """--late-reason on one line, checked: it goes into the allocation file (``UsageProblem`` when it cannot)."""
    if reason is None:
        return None
    text = " ".join(reason.split())
    if not text or len(text) > REASON_MAX:
        raise UsageProblem(f"--late-reason must say why the allocation is late, in 1 to {REASON_MAX} characters")
    return text


def lateness(request: AllocationRequest) -> str | None:
    """R5: what to say when this draw goes out after the cycle's allocations_by date; None when on time."""
    cycle = request.cycle
    if not allocation_late(cycle, request.allocated_on):
        return None
    return (f"this allocation is late: allocations for {cycle.id} were due by {cycle.allocations_by}, "
            f"{(cycle.meeting - cycle.allocations_by).days} days before the QA meeting on {cycle.meeting}, and it "
            f"goes out on {request.allocated_on}, {(cycle.meeting - request.allocated_on).days} days before (R5)")


def draw_request(repo: Path, cycle: str, today: date, seed: int, *, dry_run: bool, force: bool,
                 reason: str | None) -> tuple[AllocationRequest, GoneOut | None]:
    """What the draw of ``cycle`` depends on, and the allocation it replaces (None for a first draw).
    ``DataError`` when the data stops the draw, or when the allocation has gone out (R5) and this is
    neither a dry run nor forced with a reason."""
    from ehqa.load.repository import load_repository

    loaded = load_repository(repo)
    service = loaded.service
    cycle_file = layout.cycle_path(cycle)
    blocking = [f for f in loaded.findings if f.file in (*layout.ROOT_FILES, cycle_file)]
    if blocking or service.settings is None or service.staff is None:
        raise DataError(f"{len(blocking) or 'some'} problem{'s' if len(blocking) != 1 else ''} in qa.yaml, staff.yaml or {cycle_file} "
                        "stop the draw: run `ehqa validate` and fix them first")
    if cycle not in service.cycles:
        raise DataError(f"there is no cycle {cycle}: create {cycle_file} first (`ehqa cycle new`)")
    relative = layout.allocation_path(cycle)
    previous = gone_out(repo, relative)
    if previous is not None and not dry_run:
        when = f" on {previous.allocated}" if previous.allocated else ""
        if not force:
            raise DataError(f"{relative} exists: the allocation went out{when} (R5). To draw the cycle "
                            "again, pass --force with --reason \"why\" (the new file records it)")
        if reason is None:
            raise DataError(f"the allocation of {cycle} went out{when} (R5): its auditors were told. "
                            "Drawing it again needs --reason \"why\", which the new file records (R4)")
    unplanned = reaudits_unplanned(service, service.cycles[cycle], today)
    if unplanned:
        raise DataError(f"re-audits due by this cycle are not nominated in any cycle (R18), so the draw would leave "
                        f"them out: {'; '.join(unplanned)}. Nominate each in {cycle_file} (case, practitioner, "
                        "team, nominated_by and reaudit_of: the audit it follows), or in a later cycle whose audits "
                        "fall within its window, then draw again")
    history = tuple(a for c, a in service.allocations.items() if c != cycle)
    request = AllocationRequest(cycle=service.cycles[cycle], staff=service.staff, settings=service.settings,
                                history=history, allocated_on=today, seed=seed)
    return request, previous


def reaudits_unplanned(service: Service, cycle: Cycle, today: date) -> list[str]:
    """R18: the re-audits due that no cycle nominates and whose window opens by the end of this cycle's
    audit period (or has closed already), each as "AUDIT (window FROM to TO)". ``ehqa reaudits`` lists them."""
    from ehqa.rules.obligations import Obligations, Status

    try:
        found = Obligations(service, today).all()
    except ValueError:  # qa.yaml or staff.yaml did not load: draw_request has said so already
        return []
    planned = {n.reaudit_of for c in service.cycles.values() for n in c.nominations if n.reaudit_of}
    due = []
    for o in found:
        key = layout.audit_key(o.audit)
        if o.rule != "R18" or o.status is Status.DONE or key in planned:
            continue
        if (o.window_start or o.due) <= cycle.audits_due:
            due.append(f"{key} (window {o.window_start} to {o.due})")
    return due


def gone_out(repo: Path, relative: str) -> GoneOut | None:
    """The cycle's allocation when it has gone out: the file in the working tree, or, when someone has
    deleted it, as the last commit holds it (a deletion must not turn a re-draw into a first draw)."""
    from ehqa.load.git_history import GitProblem, files_at
    from ehqa.load.strict_yaml import YamlProblem, parse, read_bytes

    path = repo / relative
    if path.exists() or path.is_symlink():
        try:
            return GoneOut.of(parse(read_bytes(path)))
        except YamlProblem:
            return GoneOut.of(None)
    try:
        committed = files_at(repo, "HEAD", (relative,)).get(relative)
    except GitProblem:  # not a Git repository, or no commit yet
        return None
    if committed is None:
        return None
    try:
        return GoneOut.of(parse(committed))
    except YamlProblem:
        return GoneOut.of(None)


def write_allocation(repo: Path, result: AllocationResult, today: date, previous: GoneOut | None,
                     reason: str | None, late_reason: str | None = None) -> str:
    """Write the draw; the file written, relative. The first write is exclusive, so a draw made meanwhile
    is never lost (``DataError``); a re-draw records the one it replaces; a late one, why (R5)."""
    relative = layout.allocation_path(result.cycle)
    target = repo / relative
    if previous is None:
        create_or_fail(target, allocation_document(result, today, late_reason=late_reason), shown=relative,
                       taken=f"{relative} was written by someone else while this draw ran; it is left as it "
                             "is: run `ehqa allocate` again to see it")
    else:
        assert reason is not None  # draw_request refuses a re-draw without one
        history = redraw_history(previous.data, today, reason)
        write_atomic(target, allocation_document(result, today, tuple(history), late_reason))
    log.info("wrote %s", target)
    return relative


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
