"""Rules on follow-up records (issue 11; R10, R12, R15–R17, R19, R20): each follows an audit that
exists, is named for what it holds, is dated between the audit and today, and was written by a
person who may write its kind (framework/records.py), or by a QA officer on that person's behalf.

``writers`` is the one answer to "who may write this record"; ``ehqa check-pr`` asks it too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import partial
from pathlib import PurePosixPath
from typing import Iterable, Iterator

from ehqa import layout
from ehqa.findings import Finding
from ehqa.framework.records import BY_KIND, FIELD_RULES, ON_BEHALF, WRITERS
from ehqa.model import AgreedAction, Audit, Nomination, Record, Role, Service, StaffDirectory
from ehqa.model.wording import a
from ehqa.rules.base import Context, finding

_ROLE_WRITERS = {"head-of-service-qa": Role.HEAD_OF_SERVICE_QA, "qa-officer": Role.QA_OFFICER}


def writers(kind_id: str, cycle_id: str, case: str, service: Service, *, auditors: Iterable[str] = (),
            action: str | None = None, more_actions: Iterable[AgreedAction] = ()) -> frozenset[str]:
    """The staff ids who may write a record of ``kind_id`` for the audit of ``case`` in ``cycle_id``
    themselves (not on someone's behalf). ``auditors`` are the audit's; ``action`` is the id an
    action-update names, whose owner may write it (from the service's records, and ``more_actions``
    agreed alongside, as in one pull request)."""
    kind = BY_KIND.get(kind_id)
    staff = service.staff
    if kind is None or staff is None:
        return frozenset()
    cycle = service.cycles.get(cycle_id)
    nomination = cycle.nomination(case) if cycle is not None else None
    allowed: set[str] = set()
    for writer in kind.writers:
        if writer == "case-practitioner" and nomination is not None:
            allowed.add(nomination.practitioner)
        elif writer == "case-team-manager":
            manager = staff.team_manager_of(nomination)
            allowed |= {manager.id} if manager is not None else set()
        elif writer == "action-owner":
            agreed = [*agreed_actions(service.records_of(f"{cycle_id}/{case}")).values(), *more_actions]
            allowed |= {a.owner for a in agreed if a.id == action}
        elif writer == "case-auditor":
            allowed |= set(auditors)
        elif writer == "case-moderator":
            moderation = service.moderations.get(cycle_id)
            moderator = moderation.moderator_of(case) if moderation is not None else None
            allowed |= {moderator} if moderator is not None else set()
        elif writer == "service-manager":
            allowed |= _service_managers(staff, nomination)
        elif writer in _ROLE_WRITERS:
            allowed |= {p.id for p in staff.people.values() if p.role is _ROLE_WRITERS[writer]}
    return frozenset(allowed)


def _service_managers(staff: StaffDirectory, nomination: Nomination | None) -> set[str]:
    """The service manager who oversees the case (R16): the first up the practitioner's line-management
    chain; every service manager when the chain reaches none."""
    chain = staff.management_chain(nomination.practitioner) if nomination is not None else ()
    for manager_id in chain:
        manager = staff.get(manager_id)
        if manager is not None and manager.role is Role.SERVICE_MANAGER:
            return {manager.id}
    return {p.id for p in staff.people.values() if p.role is Role.SERVICE_MANAGER}


def may_write_on_behalf(staff_id: str, service: Service) -> bool:
    """A QA officer may write any record for someone who may write it (``on_behalf_of``)."""
    person = service.staff.get(staff_id) if service.staff is not None else None
    return person is not None and person.role is _ROLE_WRITERS[ON_BEHALF]


def agreed_actions(records: list[Record]) -> dict[str, AgreedAction]:
    """The actions agreed in an audit's records, by id; the first agreement of an id wins."""
    actions: dict[str, AgreedAction] = {}
    for record in records:
        for action in record.actions:
            actions.setdefault(action.id, action)
    return actions


def check_records(ctx: Context) -> Iterator[Finding]:
    service = ctx.service
    by_audit: dict[str, list[Record]] = defaultdict(list)
    for record in service.records:
        by_audit[record.audit_key].append(record)
    for key, records in by_audit.items():
        audit = ctx.audits_by_key.get(key)
        yield from _check_action_ids(sorted(records, key=lambda r: (r.date, r.source)))
        for record in records:
            yield from _check_name(record)
            if audit is None:
                if layout.audit_path(record.cycle, record.case) not in service.broken:
                    yield finding("RECORD-NO-AUDIT", f"there is no audit of case {record.case} in cycle {record.cycle} "
                                  f"for this record to follow ({layout.audit_path(record.cycle, record.case)})",
                                  record.source, "case")
                continue
            yield from _check_dates(record, audit, ctx.as_of)
            yield from _check_people(record, audit, service)
            yield from _check_content(record, audit)


def _check_name(record: Record) -> Iterator[Finding]:
    """The file's name and folder say what it holds (the name is how people find it, and how check-pr
    knows its author before reading it)."""
    known = layout.classify(record.source)
    name = known.record if isinstance(known, layout.Known) else None
    expected = PurePosixPath(layout.record_path(record.cycle, record.case, record.date.isoformat(), record.kind,
                                                record.by, name.number if name else 1))
    actual = PurePosixPath(record.source)
    if actual.parent != expected.parent:
        yield finding("RECORD-NAME", f"the record is for {record.cycle}/{record.case}: move it to {expected.parent}/",
                      record.source, "case")
    elif actual.name != expected.name:
        yield finding("RECORD-NAME", f"the file's name must say its date, kind and author: name it {expected.name}",
                      record.source, "kind")


def _check_dates(record: Record, audit: Audit, as_of: date) -> Iterator[Finding]:
    if record.date < audit.completed and record.kind != "grades":  # an auditor's own grades come first (issue 14)
        yield finding("RECORD-DATE", f"the record is dated {record.date}, before the audit was completed on "
                      f"{audit.completed}", record.source, "date")
    if record.date > as_of:
        yield finding("RECORD-DATE", f"the record is dated {record.date}, after today ({as_of}): record what has "
                      "happened", record.source, "date")


def _check_people(record: Record, audit: Audit, service: Service) -> Iterator[Finding]:
    staff = service.staff
    if staff is None:
        return
    named = [("by", record.by), ("on_behalf_of", record.on_behalf_of), ("with", record.with_)]
    named += [("to", person) for person in record.to] + [("actions", a.owner) for a in record.actions]
    unknown = [(where, who) for where, who in named if who is not None and staff.get(who) is None]
    for where, who in unknown:
        yield finding("REF-PERSON", f"'{who}' is not in staff.yaml", record.source, where)
    for index, action in enumerate(record.actions):  # a person named for a future act is in post for it
        owner = staff.get(action.owner)
        if owner is not None and owner.left is not None and not owner.in_service_on(record.date):
            yield finding("RECORD-ACTIONS", f"{owner.id} had left the service ({owner.left.isoformat()}) when the "
                          "action was agreed: give it to someone in post (R17)", record.source, "actions", index,
                          "owner")
    if unknown or layout.cycle_path(record.cycle) in service.broken:
        return  # who may write it follows from the cycle's nomination: its own finding comes first
    allowed = writers(record.kind, record.cycle, record.case, service, auditors=audit.auditors, action=record.action)
    kind = BY_KIND[record.kind]
    who_may = " or ".join(WRITERS[w] for w in kind.writers)
    if record.on_behalf_of is not None:
        if not kind.on_behalf:
            yield finding("RECORD-WRITER", f"{a(record.kind)} record is its writer's own judgement: only {who_may} "
                          f"adds it, never a QA officer on their behalf ({kind.rule})", record.source, "on_behalf_of")
        elif not may_write_on_behalf(record.by, service):
            yield finding("RECORD-WRITER", f"only a QA officer records on someone's behalf; {record.by} is not one",
                          record.source, "on_behalf_of")
        elif record.on_behalf_of not in allowed:
            yield finding("RECORD-WRITER", f"{record.on_behalf_of} may not write {a(record.kind)} record for this "
                          f"case: {who_may} does ({kind.rule})", record.source, "on_behalf_of")
    elif record.by not in allowed:
        behalf = ", or a QA officer on their behalf" if kind.on_behalf else ", and nobody on their behalf"
        yield finding("RECORD-WRITER", f"{record.by} may not write {a(record.kind)} record for this case: {who_may} "
                      f"does ({kind.rule}){behalf}", record.source, "by")


def _check_content(record: Record, audit: Audit) -> Iterator[Finding]:
    src = record.source
    value_of = partial(getattr, record)  # the record's fields have their YAML keys as names
    for rule in FIELD_RULES:
        if rule.kind == record.kind and rule.applies(value_of) and rule.broken(value_of):
            yield finding(rule.check, rule.says, src, rule.where)
    if record.kind == "review":
        for domain in record.domains:
            if domain not in audit.domains:
                yield finding("RECORD-REVIEW", f"the audit has no domain '{domain}' to revise", src, "domains", domain)


def _check_action_ids(records: list[Record]) -> Iterator[Finding]:
    """Action ids are unique in an audit's records, and updates and reviews name agreed actions (R17)."""
    agreed: dict[str, str] = {}
    for record in records:
        for index, action in enumerate(record.actions):
            if action.id in agreed:
                yield finding("RECORD-ACTIONS", f"action id '{action.id}' is already agreed in "
                              f"{PurePosixPath(agreed[action.id]).name}: give each action its own id",
                              record.source, "actions", index, "id")
            agreed.setdefault(action.id, record.source)
    for record in records:
        named = [(("action",), record.action)] if record.action else []
        named += [(("reviews", i, "action"), r.action) for i, r in enumerate(record.reviews)]
        for where, action_id in named:
            if action_id not in agreed:
                yield finding("RECORD-ACTIONS", f"no actions-agreed record of this audit has an action '{action_id}'",
                              record.source, *where)
