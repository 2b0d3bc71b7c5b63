"""``ehqa new audit``'s edge with the disk: the files read through the one loader, exactly as
``ehqa validate`` reads them, and the skeleton (``repo_files.skeleton``) created exclusively.

Refuses with a ``DataError`` (exit 1), and writes nothing, when the file exists (ehqa never
overwrites a file a person wrote) or the case was not nominated (R3) or allocated (R4).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehqa.atomic import create_or_fail
from ehqa.errors import DataError
from ehqa.load.repository import load_settings, load_single, load_single_or_fail
from ehqa.model import Cycle
from ehqa.repo_files.skeleton import SkeletonFacts, audit_path, audit_skeleton, refusal

log = logging.getLogger("ehqa")


@dataclass(frozen=True)
class NewAudit:
    relative: str  # audits/YYYY-MM/<case>.yaml
    cycle: Cycle
    domains: int  # how many domains the auditors grade


def write_audit_skeleton(repo: Path, cycle_id: str, case: str, today: date) -> NewAudit:
    """Write audits/YYYY-MM/CASE.yaml for the case's allocated auditors to complete."""
    relative = audit_path(cycle_id, case)
    target = repo / relative
    if target.exists():
        raise DataError(f"{relative} already exists, and ehqa never overwrites a file a person wrote: "
                        "edit it, or delete it yourself first if you mean to start again")
    settings = load_settings(repo)
    cycle = load_single_or_fail(repo, f"cycles/{cycle_id}.yaml", settings.max_file_bytes,
                                needed="the cycle must exist before its audits (R1)")
    allocation_file = f"cycles/{cycle_id}.allocation.yaml"
    allocation = (load_single_or_fail(repo, allocation_file, settings.max_file_bytes)
                  if (repo / allocation_file).is_file() else None)
    why = refusal(cycle, allocation, case)
    if why is not None:
        raise DataError(why)
    staff = _staff_for_names(repo, settings.max_file_bytes)
    try:
        text = audit_skeleton(SkeletonFacts(settings, cycle, allocation, case, staff), today)
    except ValueError as exc:  # no domain set of qa.yaml covers the cycle
        raise DataError(str(exc)) from None
    # The check above is for a quick answer; the exclusive creation is the guarantee.
    create_or_fail(target, text, shown=relative,
                   taken=f"{relative} was created while ehqa was writing it; it is left as it is")
    log.info("wrote %s", target)
    domains = settings.domain_set_for(cycle_id)
    return NewAudit(relative, cycle, len(domains.domains) if domains else 0)


def _staff_for_names(repo: Path, max_bytes: int):
    """staff.yaml, for the auditors' names in a comment: optional, so None when absent or broken."""
    if not (repo / "staff.yaml").is_file():
        return None
    staff, findings = load_single(repo, "staff.yaml", max_bytes=max_bytes)
    if staff is None:
        detail = f" ({findings[0].message})" if findings else ""
        log.warning("staff.yaml cannot be read%s; the auditors' names are left out", detail)
    return staff
