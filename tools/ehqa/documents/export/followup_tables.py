"""The export's tables of what followed the audits: SMART actions as they stand (R17), follow-up obligations with
their status (R10–R20, as ``ehqa followups`` lists them), re-audit comparisons (R18) and the follow-up records.

Each is the one computation elsewhere: ``model.records.recorded_actions``, ``rules.obligations.Obligations``,
``rules.reaudit_outcome``; nothing here works them out again. The records table is generic: every field of
``model.records.Record`` is a column, so that a new kind of record (independent grades, moderation) is exported
with the fields it has, each described from the kinds of record in the schema that have it.
"""

from __future__ import annotations

import dataclasses
import json
import operator
import typing
from datetime import date
from enum import Enum
from typing import Any, Callable, Mapping

from ehqa.documents.export.fields import DATE, INTEGER, Field, ForeignKey, Table, record_field
from ehqa.documents.export.tables import EFFECTIVE, Export
from ehqa.errors import DataError
from ehqa.framework.checks import FOLLOW_UP_KINDS
from ehqa.layout import audit_key
from ehqa.model import Record
from ehqa.model.records import recorded_actions
from ehqa.rules.obligations import Obligations, Status
from ehqa.rules.reaudit_outcome import IMPROVED, NOT_COMPARABLE, SAME, WORSE, reaudit_outcome

OUTCOMES = (IMPROVED, SAME, WORSE, NOT_COMPARABLE)
_AUDIT = Field("audit", required=True, note="The audit (audits.audit).")


def actions(export: Export) -> Table:
    rows = []
    for a in export.audits:
        found = recorded_actions(a.smart_actions, export.service.records_of(a.key))
        rows.extend(
            (a.key, number, x.action, x.owner, x.due, x.measure, x.status, x.done) for number, x in enumerate(found, 1)
        )
    return Table(
        "actions",
        "SMART actions",
        "One row per SMART action of each audit (R17), as it stands: the audit's own and "
        "those agreed in records since, each due on the date its last update moved it to.",
        (
            _AUDIT,
            Field("action_number", INTEGER, required=True, note="The action's place among the audit's, from 1."),
            Field("action", source="audit:smart_actions[].action"),
            Field("owner", source="audit:smart_actions[].owner"),
            Field("due", DATE, source="audit:smart_actions[].due"),
            Field("measure", source="audit:smart_actions[].measure"),
            Field("status", source="audit:smart_actions[].status"),
            Field("done", DATE, source="audit:smart_actions[].done"),
        ),
        ("audit", "action_number"),
        (ForeignKey(("audit",), "audits", ("audit",)), ForeignKey(("owner",), "staff", ("staff_id",))),
        rows,
    )


def followups(export: Export) -> Table:
    """Every obligation of the chosen cycles, as ``ehqa followups --all`` lists them (in its order)."""
    try:
        found = Obligations(export.service, export.as_of).all()
    except ValueError as exc:  # qa.yaml or staff.yaml did not load
        raise DataError(str(exc)) from None
    chosen, rows = set(export.cycles), []
    for o in found:
        key = audit_key(o.audit)
        if key.partition("/")[0] in chosen:
            rows.append(
                (
                    len(rows) + 1,
                    o.rule,
                    o.kind,
                    key,
                    o.what,
                    o.owner_role,
                    o.owner,
                    o.window_start,
                    o.due,
                    o.status.value,
                    o.closed_on,
                    o.closed_by,
                    o.days_overdue,
                    o.escalate_to,
                )
            )
    return Table(
        "followups",
        "Follow-up obligations",
        "One row per obligation the framework creates after an audit (R7, "
        "R10–R20), with its status as of the export's date, as `ehqa followups --all` lists them.",
        (
            Field(
                "followup",
                INTEGER,
                required=True,
                note="The obligation's number in this export, from 1, in `ehqa followups` order (by due date).",
            ),
            Field("rule", note="The framework rule it serves (docs/framework.md)."),
            Field(
                "kind",
                note="The follow-up kind's id (docs/reference/checks.md).",
                enum=tuple(k.id for k in FOLLOW_UP_KINDS),
            ),
            Field(
                "audit",
                note="The audit it follows, YYYY-MM/<case-ref>; for an audit not yet submitted (R13) or a "
                "Perspective of Worker form (R7), the audit it is for.",
            ),
            Field("what", note="What is to be done."),
            Field("owner_role", note="The role that owes it."),
            Field("owner", note="The staff id of who owes it, where the staff directory says who."),
            Field("window_start", DATE, note="For a re-audit (R18): when its window opens."),
            Field("due", DATE, note="When it is due (for a re-audit, when its window closes)."),
            Field(
                "status",
                note="done, open (not yet due, or within its grace), or overdue, as of the export's date.",
                enum=tuple(s.value for s in Status),
            ),
            Field("done_on", DATE, note="When it was done: the date of the field or record that closed it."),
            Field("closed_by", note="The field (or kind of file) whose date closes it."),
            Field(
                "working_days_overdue", INTEGER, note="Working days past due (bank holidays skipped); 0 unless overdue."
            ),
            Field(
                "escalate_to",
                note="Whom an overdue obligation is escalated to: the owner, their line manager, then "
                "senior management, by working days overdue (a staff id, or a role).",
            ),
        ),
        ("followup",),
        (ForeignKey(("owner",), "staff", ("staff_id",)),),
        rows,
    )


def reaudits(export: Export) -> tuple[Table, Table]:
    """The re-audits of the chosen cycles against the audits they re-audit (R18), overall and domain by domain,
    each audit's grades as they stand (R12); the original may be of a cycle before the export's period."""
    by_key, overall_rows, domain_rows = export.service.audits_by_key(), [], []
    for reaudit in export.audits:
        original = by_key.get(reaudit.reaudit_of) if reaudit.reaudit_of else None
        if original is None:
            continue
        before, after = export.grades(original), export.grades(reaudit)
        outcome = reaudit_outcome(original, reaudit, before, after)
        overall_rows.append(
            (reaudit.key, original.key, original.cycle, before.overall.value, after.overall.value, outcome.overall)
        )
        for domain, result in outcome.domains.items():
            was, now = before.domains.get(domain), after.domains.get(domain)
            domain_rows.append((reaudit.key, domain, was.value if was else None, now.value if now else None, result))
    grade = "audit:overall.grade"
    overall = Table(
        "reaudits",
        "Re-audit outcomes",
        "One row per re-audit (R18) whose original audit is in the repository: the overall grade before and after.",
        (
            Field("reaudit", required=True, note="The re-audit (audits.audit)."),
            Field("original", source="audit:reaudit_of", note="Its cycle may be before the export's period."),
            Field("original_cycle", source="audit:cycle"),
            Field("grade_before", source=grade, note="The original's. " + EFFECTIVE),
            Field("grade_after", source=grade, note="The re-audit's. " + EFFECTIVE),
            Field("outcome", note="improved, same or worse.", enum=OUTCOMES),
        ),
        ("reaudit",),
        (ForeignKey(("reaudit",), "audits", ("audit",)),),
        overall_rows,
    )
    domains = Table(
        "reaudit_domains",
        "Re-audit outcomes by domain",
        "One row per domain either audit graded, for each re-audit in reaudits.",
        (
            Field("reaudit", required=True, note="The re-audit (reaudits.reaudit)."),
            Field("domain", required=True, source="settings:domain_sets[].domains[].id"),
            Field(
                "grade_before",
                source="audit:domains.<id>.grade",
                note="The original's; empty when it did not grade the domain. " + EFFECTIVE,
            ),
            Field(
                "grade_after",
                source="audit:domains.<id>.grade",
                note="The re-audit's; empty when it did not grade the domain. " + EFFECTIVE,
            ),
            Field(
                "outcome",
                note="improved, same or worse; not comparable when either is not applicable or missing.",
                enum=OUTCOMES,
            ),
        ),
        ("reaudit", "domain"),
        (ForeignKey(("reaudit",), "reaudits", ("reaudit",)),),
        domain_rows,
    )
    return overall, domains


# --- the records, generically ---------------------------------------------------------------------

_FIRST = ("source", "kind", "cycle", "case")  # then the audit's key, then the rest in the dataclass's order
_HINTS = typing.get_type_hints(Record)


def _columns() -> list[tuple[str, str]]:
    """(attribute, column) of every field of ``Record``: ``with_`` is the schema's ``with``."""
    names = [f.name for f in dataclasses.fields(Record) if not f.name.startswith("_")]
    ordered = [n for n in _FIRST if n in names] + [n for n in names if n not in _FIRST]
    return [(name, name.rstrip("_")) for name in ordered]


def _kind_of_column(attribute: str) -> str:
    """date, a list joined with "; " (of text), JSON (of mappings), an enumeration's value, or text."""
    hint = _HINTS[attribute]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is date or (args and date in args and type(None) in args and len(args) == 2):
        return "date"
    if origin is tuple and args and args[0] is str:
        return "joined"
    if origin in (tuple, dict):
        return "json"
    if any(isinstance(t, type) and issubclass(t, Enum) for t in (hint, *args)):
        return "enum"
    return "text"


_CONVERT: dict[str, Callable[[Any], Any]] = {  # each kind of column to its cell; empty is None (missing)
    "date": lambda v: v,
    "text": lambda v: v or None,
    "enum": lambda v: v.value if v is not None else None,
    "joined": lambda v: "; ".join(v) or None,
    "json": lambda v: json.dumps(_plain(v), ensure_ascii=False, sort_keys=True) if v else None,
}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name.rstrip("_"): _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value.isoformat() if isinstance(value, date) else value


def records(export: Export, schemas: Mapping[str, dict[str, Any]]) -> Table:
    chosen = set(export.cycles)
    columns = [(attribute, column, _kind_of_column(attribute)) for attribute, column in _columns()]
    fields = []
    for attribute, column, how in columns:
        if column == "source":
            fields.append(
                Field(
                    "record",
                    required=True,
                    note="The record's file in the repository: "
                    "audits/YYYY-MM/<case-ref>.records/<date>.<kind>.<staff-id>.yaml.",
                )
            )
            continue
        text = record_field(schemas, column) or f"The {column.replace('_', ' ')} of the record, where its kind has one."
        text += {"joined": " Joined with '; '.", "json": " As JSON."}.get(how, "")
        fields.append(Field(column, DATE if how == "date" else "string", note=text, required=column in ("kind",)))
        if column == "case":
            fields.append(Field("audit", required=True, note="The audit it follows (audits.audit)."))
    values = operator.attrgetter(*(attribute for attribute, _, _ in columns))
    convert = [_CONVERT[how] for _, _, how in columns]
    after_case = [column for _, column, _ in columns].index("case") + 1
    rows = []
    for record in sorted(export.service.records, key=lambda r: (r.cycle, r.case, r.date, r.source)):
        if record.cycle in chosen:
            # Most fields are empty for most kinds of record: an empty value is a missing cell, unconverted.
            row = [c(v) if v else None for c, v in zip(convert, values(record))]
            row.insert(after_case, record.audit_key)
            rows.append(tuple(row))
    return Table(
        "records",
        "Follow-up records",
        "One row per follow-up record: each act after the audit, by the person who "
        "did it (docs/reference/records.md says what each kind records). A field a kind does not have is empty.",
        tuple(fields),
        ("record",),
        (ForeignKey(("audit",), "audits", ("audit",)),),
        rows,
    )
