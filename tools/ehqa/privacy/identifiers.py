"""What must never appear on the site: every identifier the repository holds.

``identifiers_from`` collects them from the loaded ``Service``: case references, staff names,
staff ids, GitHub handles and work email addresses. The leak scan of a built site and the check
of published fields in ``ehqa validate`` both match against them (R21; docs/github.md, "Data that
must stay private").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ehqa import layout
from ehqa.model import Service


@dataclass(frozen=True)
class Identifiers:
    """What must never appear on the site."""

    case_refs: frozenset[str] = frozenset()
    staff_names: frozenset[str] = frozenset()
    staff_ids: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()


def identifiers_from(service: Service) -> Identifiers:
    """Every case reference and every staff name, id, GitHub handle and email the repository holds.

    Case references come from the cycles' nominations, the allocations (allocated and not), the
    audits (their case and the audit they re-audit), the Perspective of Worker forms, and the names
    of audit files that failed to load. Staff ids come from the staff directory and from every
    place an audit, cycle or allocation names a person, so that they are known even when
    staff.yaml itself failed to load.
    """
    cases: set[str] = set()
    ids: set[str] = set()
    for cycle in service.cycles.values():
        for nomination in cycle.nominations:
            cases.add(nomination.case)
            if nomination.reaudit_of:
                cases.add(_case_of(nomination.reaudit_of))
            ids.update((nomination.practitioner, nomination.nominated_by))
    for allocation in service.allocations.values():
        for pair in allocation.pairs:
            cases.update(pair.cases)
            ids.update(pair.auditors)
        cases.update(case for case, _reason in allocation.unallocated)
    for audit in service.audits:
        cases.add(audit.case)
        if audit.reaudit_of:
            cases.add(_case_of(audit.reaudit_of))
        ids.update(audit.auditors)
        if audit.sole_completion:
            ids.update((audit.sole_completion.completed_by, audit.sole_completion.absent))
        if audit.safety_concern:
            ids.add(audit.safety_concern.team_manager)
        ids.update(f.practitioner for f in audit.previous_work_feedback if f.practitioner)
        if audit.disagreement and audit.disagreement.review:
            ids.add(audit.disagreement.review.reviewer)
        ids.update(action.owner for action in audit.smart_actions)
        ids.update(amendment.by for amendment in audit.amendments)
    for form in service.worker_forms:
        cases.add(form.case)
        ids.add(form.practitioner)
    for relative in service.broken:
        place = layout.classify(relative)  # an audit or worker form that did not load: its name holds the case
        if isinstance(place, layout.Known) and place.case:
            cases.add(place.case)

    names: set[str] = set()
    handles: set[str] = set()
    emails: set[str] = set()
    if service.staff is not None:
        for person in service.staff.listed:
            ids.add(person.id)
            names.add(person.name)
            if person.github:
                handles.add(person.github)
            if person.email:
                emails.add(person.email)
    return Identifiers(
        case_refs=_clean(cases),
        staff_names=frozenset(n for n in (" ".join(name.split()) for name in names) if n),
        staff_ids=_clean(ids),
        handles=_clean(h.lstrip("@") for h in handles),
        emails=_clean(emails),
    )


def _case_of(key: str) -> str:
    """The case reference of ``YYYY-MM/<case-ref>``."""
    return key.rsplit("/", 1)[-1]


def _clean(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(v.strip() for v in values if v and v.strip())


