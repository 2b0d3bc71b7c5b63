"""``ehqa migrate``: the follow-up fields of audits written before follow-up records become records beside
them (issue 11), so that every later act follows the same records. What each field becomes, and by whom,
is ``followup_records``.

The audits are never rewritten: no tool rewrites a file a person wrote. Their old fields stay, and still
close their follow-ups; the records say the same, and from then on the records are what people add to.

``plan_migration`` is pure: for each audit it works out the records its fields say, leaves out each one
the audit's records already hold (the same act: kind, day, who acted and what it says, whatever the note),
and names each record's file. ``migrate`` checks every planned record as ``ehqa record`` and ``ehqa
validate`` check one (its kind's schema, then every rule on the service with all the planned records
added; a record refused takes those that stand on it with it, an action's update with its agreement), then
creates each file exclusively, never over another. Run twice, the second run finds every record there
and writes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ehqa import layout
from ehqa.errors import DataError
from ehqa.findings import Finding
from ehqa.load import convert
from ehqa.load.repository import load_repository
from ehqa.load.schema_check import Schemas
from ehqa.load.strict_yaml import parse
from ehqa.model import Audit, Record, Service
from ehqa.model.records import action_key
from ehqa.repo_files.followup_records import Planned, records_from_fields
from ehqa.repo_files.record_file import MAX_NUMBER, create_record_file, kind_fields, record_document, record_text
from ehqa.rules import check_service
from ehqa.rules.base import Context
from ehqa.rules.records import check_records, may_write_on_behalf


@dataclass(frozen=True)
class ToWrite:
    audit: str  # the audit's path
    planned: Planned
    path: str  # the record's path, relative to the repository

    @property
    def key(self) -> str:
        return layout.audit_key(self.audit)


@dataclass(frozen=True)
class NotMoved:
    audit: str  # the audit's path
    source: str  # the field, "followup.casenote_recorded"
    why: str


@dataclass
class Migration:
    records: list[ToWrite] = field(default_factory=list)  # to write (written, once ``written`` is set)
    left: list[NotMoved] = field(default_factory=list)  # fields that do not become records, and why
    kept: Counter = field(default_factory=Counter)  # field -> audits that keep it (no record kind says it)
    already: int = 0  # fields whose record is already there
    unreadable: list[str] = field(default_factory=list)  # audits, and records folders, that cannot be read
    written: list[str] = field(default_factory=list)


# --- planning: pure ---------------------------------------------------------------------------------


def plan_migration(service: Service, recorder: str | None = None) -> Migration:
    """Every record the audits' follow-up fields say that their records do not hold yet, with its file.

    With ``recorder`` (the QA officer running the migration) each record is theirs, written on behalf
    of the person who acted (``received: audit-file``): the pull request that adds them is theirs, and
    ``check-pr`` accepts a record only from the person its file names."""
    if service.staff is None:
        raise ValueError("staff.yaml must load cleanly")
    plan = Migration()
    taken = {r.source for r in service.records} | set(service.broken)
    broken_folders = {_audit_of(path) for path in service.broken}
    plan.unreadable = sorted(path for path in service.broken if layout.data_kind(path) in ("audit", "cycle"))
    for audit in sorted(service.audits, key=lambda a: a.source):
        if audit.key in broken_folders:
            plan.unreadable.append(layout.records_folder(audit.cycle, audit.case) + "/")
            continue
        if layout.cycle_path(audit.cycle) in service.broken:
            continue  # who did what follows from the cycle's nomination
        _plan_audit(service, audit, plan, taken, recorder)
    return plan


def _plan_audit(service: Service, audit: Audit, plan: Migration, taken: set[str], recorder: str | None) -> None:
    assert service.staff is not None
    existing = service.records_of(audit.key)
    agreed: dict[tuple[str, str, date], str] = {}
    for record in existing:
        for action in record.actions:
            agreed.setdefault(action_key(action.action, action.owner, action.due), action.id)
    cycle = service.cycles.get(audit.cycle)
    nomination = cycle.nomination(audit.case) if cycle is not None else None
    said = records_from_fields(audit, nomination, service.staff, service.settings, agreed=agreed,
                               taken={a.id for r in existing for a in r.actions})
    plan.kept.update(said.kept)
    plan.left += [NotMoved(audit.source, left.source, left.why) for left in said.left]
    if audit.smart_actions and all(action_key(a.action, a.owner, a.due) in agreed for a in audit.smart_actions):
        plan.already += 1  # the actions are agreed in a record already
    acts = {act(record) for record in existing}
    for planned in said.records:
        if recorder is not None and planned.by != recorder:
            planned = replace(planned, by=recorder,
                              fields={**planned.fields, "on_behalf_of": planned.by, "received": "audit-file"})
        path = _free_path(audit, planned, taken)
        if act(convert.record(_draft(audit.key, planned), path)) in acts:
            plan.already += 1
            continue
        taken.add(path)
        plan.records.append(ToWrite(audit.source, planned, path))


def act(record: Record) -> tuple:
    """What a record says was done, whoever wrote it and whatever its note: two records with the same act
    are one record twice."""
    return (record.kind, record.date, record.actor, record.with_, record.actions, record.action, record.status,
            record.due, record.reviews, record.for_next_meeting, record.summary, record.outcome, record.overall,
            tuple(sorted(record.domains.items())), record.reason, record.rule, tuple(sorted(record.to)),
            record.no_assessment_on_file)


def _draft(key: str, planned: Planned) -> dict[str, Any]:
    """The record as a document, in any order (``record_document`` puts it in the schema's)."""
    cycle, case = key.split("/")
    return {"kind": planned.kind, "case": case, "cycle": cycle, "by": planned.by, "date": planned.day.isoformat(),
            **planned.fields}


def _free_path(audit: Audit, planned: Planned, taken: set[str], first: int = 1) -> str:
    for number in range(first, MAX_NUMBER + 1):
        path = layout.record_path(audit.cycle, audit.case, planned.day.isoformat(), planned.kind, planned.by, number)
        if path not in taken:
            return path
    raise DataError(f"nothing was written: {planned.by} already has {MAX_NUMBER} {planned.kind} records of "
                    f"{audit.key} dated {planned.day.isoformat()}")


# --- checking and writing ---------------------------------------------------------------------------


def migrate(repo: Path, as_of: date, *, by: str | None = None, dry_run: bool = False) -> Migration:
    """Plan the records (``by``: the QA officer who records them, on behalf of those who acted), check each
    as ``ehqa validate`` would with all of them added, and, unless ``dry_run``, create them. ``DataError``
    (exit 1), writing nothing, when qa.yaml or staff.yaml cannot be read or ``by`` is not a QA officer in post."""
    schemas = Schemas.for_folder(repo / layout.SCHEMAS)
    service = load_repository(repo, schemas).service
    if service.settings is None or service.staff is None:
        raise DataError("nothing was written: qa.yaml and staff.yaml must load cleanly: run `ehqa validate`")
    if by is not None:
        person = service.staff.get(by)
        if person is None or not may_write_on_behalf(person.id, service) or not person.in_service_on(as_of):
            raise DataError(f"nothing was written: --by {by} must be a QA officer in post in staff.yaml, who "
                            "records on behalf of those who acted")
        by = person.id
    plan = plan_migration(service, by)
    texts = _documents(plan, schemas)
    _check_rules(plan, service, as_of)
    if not dry_run:
        plan.written = [_create(repo, item, texts[item.path]) for item in plan.records]
    return plan


def _documents(plan: Migration, schemas: Schemas) -> dict[str, str]:
    """Each planned record's text; one its kind's schema refuses is not moved."""
    texts: dict[str, str] = {}
    orders: dict[str, list[str]] = {}
    for item in list(plan.records):
        (cycle, case), planned = item.key.split("/"), item.planned
        if planned.kind not in orders:
            orders[planned.kind] = list(kind_fields(schemas.folder, planned.kind))
        document = record_document(planned.kind, cycle, case, planned.by, planned.day, planned.fields,
                                   orders[planned.kind])
        problems = schemas.check("record", document, item.path)
        text = record_text(document)
        if not problems and parse(text.encode("utf-8")) != document:
            raise RuntimeError(f"the YAML written for {item.path} does not read back as the record")
        if problems:
            _refuse(plan, item, problems)
        else:
            texts[item.path] = text
    return texts


def _check_rules(plan: Migration, service: Service, as_of: date) -> None:
    """Refuse each planned record the rules find fault with, with all of them added, until none is left
    to refuse: a new finding on another record of the audit refuses the audit's planned records."""
    base = list(service.records)
    before = set(check_records(Context(service, as_of)))
    while plan.records:
        pending = {item.path: item for item in plan.records}
        service.records = base + [convert.record(_draft(item.key, item.planned), item.path) for item in plan.records]
        refused: dict[str, list[Finding]] = defaultdict(list)
        for finding in check_service(service, as_of):
            if finding.file in pending:
                refused[finding.file].append(finding)
            elif finding not in before and (key := _audit_of(finding.file)) is not None:
                for item in plan.records:
                    if item.key == key:
                        refused[item.path].append(finding)
        if not refused:
            break
        for path, findings in refused.items():
            _refuse(plan, pending[path], findings)
    service.records = base


def _refuse(plan: Migration, item: ToWrite, findings: list[Finding]) -> None:
    plan.records.remove(item)
    problems = "; ".join(f"{f.rule}: {f.message}" + (f" (in {f.file})" if f.file != item.path else "")
                         for f in findings)
    plan.left.append(NotMoved(item.audit, item.planned.source, f"its {item.planned.kind} record would not pass "
                              f"`ehqa validate`: {problems}"))


def _create(repo: Path, item: ToWrite, text: str) -> str:
    """Create the record's file, under the next free number if its name was taken since the plan."""
    planned, (cycle, case) = item.planned, item.key.split("/")
    return create_record_file(repo, text, cycle, case, planned.day, planned.kind, planned.by, _number(item.path))


def _number(path: str) -> int:
    known = layout.classify(path)
    return known.record.number if isinstance(known, layout.Known) and known.record is not None else 1


def _audit_of(path: str) -> str | None:
    """The key of the audit a record's path follows."""
    known = layout.classify(path)
    return f"{known.cycle}/{known.case}" if isinstance(known, layout.Known) and known.kind == "record" else None
