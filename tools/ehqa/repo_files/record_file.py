"""``ehqa record``: one follow-up record (issue 11), built from what a person gives, checked exactly as
``ehqa validate`` checks records, and created without ever replacing a file.

The record is built in its schema's order (``record_document``) and checked against the repository's
schema for its kind; then it is written as text (``record_text``) and read back as the loader reads
files, so that what the cross-file rules check is what is written. The rules run on the whole service
with the record added (``rules.check_service``): a finding on the new file, or a new finding it causes
on another record of the audit (an action id agreed twice), refuses it. So does a file the checks
stand on that cannot be read (qa.yaml, staff.yaml, the cycle, the audit), or a folder on the way that
is not one ehqa knows: the rules would pass over what they cannot read. A refusal is a ``DataError``
(exit 1) listing every problem with its rule id, and nothing is written. (A record publishes nothing,
so ``privacy.published``, which ``ehqa validate`` also runs, has nothing to say about it.)

The file is created exclusively: a second record of the same day, kind and author takes the next free
number (``.2``, ``.3``...), even when a name is taken between the look and the write.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ehqa import layout
from ehqa.atomic import create_exclusive
from ehqa.errors import BadOption, DataError
from ehqa.findings import Finding
from ehqa.load import convert
from ehqa.load.repository import add_record, load_repository
from ehqa.load.schema_check import Schemas
from ehqa.load.strict_yaml import YamlProblem, parse
from ehqa.model import Record
from ehqa.repo_files.yaml_text import dump_document
from ehqa.rules import check_service
from ehqa.rules.base import Context
from ehqa.rules.records import check_records

# What the command line says (KIND, YYYY-MM/CASE, --by, --date); never taken from --from.
IDENTITY = ("kind", "case", "cycle", "by", "date")
MAX_NUMBER = 99  # the layout numbers a record 2..99
_DATE_KEYS = frozenset({"date", "due"})  # a record's date fields, at any depth (actions[].due)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class RecordRequest:
    """What a person asks for. ``fields`` holds the fields given as options, by field name (``with``,
    ``to``, ``note``, ``on_behalf_of``...), None where not given; ``from_file`` a YAML file holding
    more of the kind's own fields."""

    kind: str
    audit: str  # audits/YYYY-MM/<case-ref>.yaml, the audit the record follows
    by: str
    day: date
    fields: dict[str, Any] = field(default_factory=dict)
    from_file: Path | None = None


# --- building: pure ---------------------------------------------------------------------------------


def option_name(name: str) -> str:
    """The option that gives a field: ``on_behalf_of`` -> ``--on-behalf-of``."""
    return "--" + name.replace("_", "-")


def merged_fields(request: RecordRequest, from_file: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """The record's fields besides its identity: the file's, then the options'. ``BadOption`` (exit 2)
    for an option the kind has no field for, an identity field in the file, or a field given twice."""
    kind = request.kind
    options = {name: value for name, value in request.fields.items() if value not in (None, (), [])}
    for name in options:
        if properties and name not in properties:
            raise BadOption(option_name(name), f"a {kind} record has no {name} field")
    if "to" in options and properties.get("to", {}).get("type") != "array":
        if len(options["to"]) > 1:
            raise BadOption("--to", f"a {kind} record names one person")
        options["to"] = options["to"][0]
    options = {name: list(value) if isinstance(value, tuple) else value for name, value in options.items()}
    for name in from_file:
        if name in IDENTITY:
            raise BadOption("--from", f"the file gives {name}: the record's kind, case, cycle, author and date come "
                                      "from the command line (KIND, YYYY-MM/CASE, --by, --date); leave it out")
        if name in options:
            raise BadOption("--from", f"the file gives {name}, and so does {option_name(name)}: give it once")
    return {**from_file, **options}


def record_document(kind: str, cycle: str, case: str, by: str, day: date, fields: dict[str, Any],
                    order: list[str]) -> dict[str, Any]:
    """The record: its identity first, then ``fields`` in the schema's order (``order``) but the note last,
    as "anything else"; a field the schema does not know goes after them, for the schema check to name."""
    document: dict[str, Any] = {"kind": kind, "case": case, "cycle": cycle, "by": by, "date": day.isoformat()}
    rank = {name: index for index, name in enumerate([name for name in order if name != "note"] + ["note"])}
    for name in sorted(fields, key=lambda name: rank.get(name, len(rank))):
        document[name] = fields[name]
    return document


def record_text(document: dict[str, Any]) -> str:
    """The file: the editor's schema line, then the record as people write YAML, dates plain."""
    return dump_document(_plain_dates(document), layout.schema_reference("record"))


def refusal(findings: list[Finding], relative: str) -> str:
    """Every problem, with its rule id, and that nothing was written."""
    lines = [f"  {f.rule}: {f.message}" if f.file == relative else f"  {f.rule} in {f.file}: {f.message}"
             for f in findings]
    return (f"nothing was written: the record would not pass `ehqa validate` as {relative}\n" + "\n".join(lines)
            + "\nput it right and run the command again")


def _plain_dates(value: Any, key: object = None) -> Any:
    """Dates as ``date`` values, which the writer puts plain (``due: 2026-11-01``); the loader reads them
    back as the same ISO text."""
    if isinstance(value, dict):
        return {k: _plain_dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(item) for item in value]
    if key in _DATE_KEYS and isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


# --- reading, checking and writing ------------------------------------------------------------------


def read_from_file(path: Path) -> dict[str, Any]:
    """The fields in a ``--from`` file, read strictly as every data file is; ``DataError`` when it is not
    a mapping of fields."""
    try:
        document = parse(path.read_bytes())
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
    except YamlProblem as problem:
        raise DataError(f"nothing was written: {path} cannot be read\n  {problem.rule} (line {problem.line}, "
                        f"column {problem.column}): {problem.message}") from None
    if not isinstance(document, dict):
        raise DataError(f"nothing was written: {path} must hold the record's fields, one per line "
                        "(for example `reason: ...`), not a list or a single value")
    return document


def write_record(repo: Path, request: RecordRequest, as_of: date) -> str:
    """Check the record as ``ehqa validate`` would check it in the repository, then create it; its path,
    relative to ``repo``. ``DataError`` (exit 1), writing nothing, for any problem."""
    known = layout.classify(request.audit)
    if not (isinstance(known, layout.Known) and known.kind == "audit" and known.cycle and known.case):
        raise ValueError(f"{request.audit} is not an audit's path")
    cycle, case = known.cycle, known.case
    schemas = Schemas.for_folder(repo / layout.SCHEMAS)
    properties = kind_fields(schemas.folder, request.kind)
    from_file = read_from_file(request.from_file) if request.from_file is not None else {}
    fields = merged_fields(request, from_file, properties)
    document = record_document(request.kind, cycle, case, request.by, request.day, fields, list(properties))
    number = _free_number(repo, cycle, case, request)
    relative = _path(cycle, case, request, number)
    _refuse_any(schemas.check("record", document, relative), relative)
    text = record_text(document)
    if parse(text.encode("utf-8")) != document:  # the writer's promise, checked: what is checked is what is written
        raise RuntimeError(f"the YAML written for {relative} does not read back as the record")
    _refuse_any(_rule_findings(repo, schemas, convert.record(document, relative), as_of), relative)
    return _create(repo, text, cycle, case, request, number)


def _refuse_any(findings: list[Finding], relative: str) -> None:
    if findings:
        raise DataError(refusal(findings, relative))


def kind_fields(schemas_folder: Path, kind: str) -> dict[str, Any]:
    """A kind's fields in its schema, in order; empty when the schema has no such kind (its check says so)."""
    schema = json.loads((schemas_folder / layout.SCHEMA_FILES["record"]).read_text(encoding="utf-8"))
    found = schema.get("$defs", {}).get(kind, {}).get("properties", {})
    return found if isinstance(found, dict) else {}


def _rule_findings(repo: Path, schemas: Schemas, record: Record, as_of: date) -> list[Finding]:
    """The cross-file findings the record brings, with the repository as it stands."""
    loaded = load_repository(repo, schemas)
    service = loaded.service
    needed = {layout.SETTINGS_FILE, layout.STAFF_FILE, layout.cycle_path(record.cycle),
              layout.audit_path(record.cycle, record.case)}
    unreadable = [f for f in loaded.findings
                  if f.file in needed or record.source.startswith(f.file.rstrip("/") + "/")]
    if unreadable:
        return unreadable
    before = set(check_records(Context(service, as_of)))
    add_record(service, "record", record)
    return [f for f in check_service(service, as_of)
            if f.file == record.source or (f not in before and layout.data_kind(f.file) == "record")]


def _path(cycle: str, case: str, request: RecordRequest, number: int) -> str:
    return layout.record_path(cycle, case, request.day.isoformat(), request.kind, request.by, number)


def _free_number(repo: Path, cycle: str, case: str, request: RecordRequest) -> int:
    for number in range(1, MAX_NUMBER + 1):
        if not (repo / _path(cycle, case, request, number)).exists():
            return number
    raise _no_number_left(request)


def _no_number_left(request: RecordRequest) -> DataError:
    return DataError(f"nothing was written: {request.by} already has {MAX_NUMBER} {request.kind} records of this "
                     f"audit dated {request.day.isoformat()}")


def _create(repo: Path, text: str, cycle: str, case: str, request: RecordRequest, first: int) -> str:
    return create_record_file(repo, text, cycle, case, request.day, request.kind, request.by, first)


def create_record_file(repo: Path, text: str, cycle: str, case: str, day: date, kind: str, by: str, first: int) -> str:
    """Create the record's file under the first free number from ``first``: never over a file, even one
    written a moment ago. Its path, relative to ``repo``."""
    for number in range(first, MAX_NUMBER + 1):
        relative = layout.record_path(cycle, case, day.isoformat(), kind, by, number)
        try:
            create_exclusive(repo / relative, text)
        except FileExistsError:
            continue  # taken since the look: the next number
        except OSError as exc:
            raise DataError(f"cannot write {relative}: {exc.strerror or exc}") from None
        return relative
    raise DataError(f"nothing was written: {by} already has {MAX_NUMBER} {kind} records of {cycle}/{case} dated "
                    f"{day.isoformat()}")
