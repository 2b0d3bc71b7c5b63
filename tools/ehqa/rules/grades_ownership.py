"""``ehqa check-pr`` on auditors' own grades (issue 14, R8): they land no later than the agreed audit.

An auditor's own grades are made alone, before the pair agrees; the Git history shows it only if the grades land
before the audit or with it. So a pull request that adds a ``grades`` record for an audit already on the base
branch is refused (OWN-GRADES-LATE); and, with qa.yaml's ``grading.independent: required`` for the audit's cycle,
a pull request that adds an audit is refused unless each of its auditors' own grades (the one who completed it
alone, under R13's sole completion) is added with it or has already landed (OWN-GRADES-MISSING). Who may add a
grades record at all (one of the audit's auditors, as its name says) is ``rules.record_ownership``'s to judge.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ehqa import layout
from ehqa.layout import Known
from ehqa.model import Allocation, Service, Settings
from ehqa.rules.changes import Change, OwnershipFinding


def judge_grades(changes: Iterable[Change], base: Service, settings: Settings | None, landed: frozenset[str],
                 allocations: dict[str, Allocation]) -> list[OwnershipFinding]:
    """``landed``: the audit files on the base branch, of the audits whose grades or whose audit the pull request
    adds; ``base``: its records of those audits."""
    findings: list[OwnershipFinding] = []
    added: dict[str, set[str]] = defaultdict(set)
    audits: list[tuple[Change, Known]] = []
    for change in changes:
        place = layout.classify(change.path)
        if not isinstance(place, Known) or change.old is not None or change.new is None:
            continue
        if place.kind == "record" and place.record is not None and place.record.kind == "grades":
            added[f"{place.cycle}/{place.case}"].add(place.record.by)
            if layout.audit_path(place.cycle, place.case) in landed:
                findings.append(OwnershipFinding("OWN-GRADES-LATE", change.path, "the audit of this case has already "
                                                 "landed, and an auditor's own grades are made alone before the pair "
                                                 "agrees: add them before the audit, or in its pull request"))
        elif place.kind == "audit" and change.path not in landed:
            audits.append((change, place))
    if settings is None:
        return findings
    for change, place in audits:
        if settings.grading_for(place.cycle) != "required":
            continue
        key = f"{place.cycle}/{place.case}"
        have = added[key] | {r.by for r in base.records_of(key) if r.kind == "grades"}
        missing = [who for who in _graders(change.new, allocations.get(place.cycle), place.case) if who not in have]
        if missing:
            folder = layout.records_folder(place.cycle, place.case)
            findings.append(OwnershipFinding("OWN-GRADES-MISSING", change.path, "qa.yaml asks each auditor for their "
                                             "own grades before the pair agrees (grading.independent: required); "
                                             f"none from {', '.join(missing)}: each adds {folder}/<date>.grades."
                                             "<staff-id>.yaml in this pull request or before it (`ehqa new grades`)"))
    return findings


def _graders(content, allocation: Allocation | None, case: str) -> list[str]:
    """Whose own grades the added audit needs: the one who completed it alone (R13), or its auditors as the file
    names them, or else as the allocation gives them (read leniently: a bad file is ``ehqa validate``'s)."""
    content = content if isinstance(content, dict) else {}
    sole = content.get("sole_completion")
    if isinstance(sole, dict) and isinstance(sole.get("completed_by"), str):
        return [sole["completed_by"]]
    auditors = content.get("auditors")
    if isinstance(auditors, list) and auditors and all(isinstance(a, str) for a in auditors):
        return list(auditors)
    found = allocation.pair_for(case) if allocation is not None else None
    return list(found[1].auditors) if found else []
