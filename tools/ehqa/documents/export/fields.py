"""What an exported table is: its fields, with type, description and allowed values, its keys and its rows.

A field's description comes from the JSON Schemas (``schemas/``), the one place the data is documented: each
field names the schema field it holds (``source``, as ``audit:overall.grade`` or ``record:review.outcome``), and
its description and allowed values are read from there. A field that ehqa works out (an effective grade, a
follow-up's status) says how in ``note``, after the schema's words where it has a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

Value = str | int | bool | None | Any  # a date is a datetime.date

# Frictionless Table Schema types used by the export.
STRING, INTEGER, DATE, BOOLEAN = "string", "integer", "date", "boolean"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str = STRING
    source: str = ""  # the schema field it holds: "<kind>:<path>", record: "record:<kind>.<path>"
    note: str = ""  # how ehqa works it out, or what it is when no schema field holds it
    required: bool = False
    enum: tuple[str, ...] | None = None  # allowed values, when not the source's


@dataclass(frozen=True, slots=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(slots=True)
class Table:
    name: str  # the resource name, CSV file and sheet: lower case, digits and underscores
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: list[tuple[Value, ...]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Described:
    """A field as the data dictionary shows it."""

    description: str
    enum: tuple[str, ...] | None


def describe(schemas: Mapping[str, dict[str, Any]], column: Field) -> Described:
    """The field's description (the schema's words, then ``note``) and allowed values (``enum``, else the
    schema's). ``KeyError`` names a ``source`` that is not in the schemas: a test reads every table's fields."""
    if not column.source:
        return Described(column.note, column.enum)
    node = schema_field(schemas, column.source)
    text = " ".join(part for part in (node.get("description", ""), column.note) if part)
    enum = column.enum if column.enum is not None else node.get("enum")
    return Described(text, tuple(enum) if enum is not None else None)


def schema_field(schemas: Mapping[str, dict[str, Any]], source: str) -> dict[str, Any]:
    """The schema of one field, ``<kind>:<path>``: path parts split by ``.``, ``name[]`` for a list's items and
    ``<id>`` for a mapping's values (as docs/reference/fields.md writes them); for records, the first part is the
    record's kind. The result has the field's own ``description`` (else its definition's) and ``enum``."""
    kind, _, path = source.partition(":")
    root = schemas[kind]
    parts = path.split(".")
    node: dict[str, Any] = root
    if kind == "record":
        node, parts = root["$defs"][parts[0]], parts[1:]
    found: dict[str, Any] = node
    for part in parts:
        node = _resolve(root, node)
        if part == "<id>":
            found = node["additionalProperties"]
        else:
            found = node["properties"][part.removesuffix("[]")]
        node = _resolve(root, found)
        if part.endswith("[]"):
            node = _resolve(root, node["items"])
    resolved = _resolve(root, found)
    description = found.get("description") or resolved.get("description", "")
    enum = resolved.get("enum") or (
        _resolve(root, resolved["items"]).get("enum") if isinstance(resolved.get("items"), dict) else None
    )
    return {"description": description, "enum": enum}


def record_field(schemas: Mapping[str, dict[str, Any]], name: str) -> str:
    """A record field's description, from every kind of record that has it: "kind: description" each, the kinds
    that say the same joined; a field of every kind (``note``) once, without kinds. Empty when no kind has it."""
    by_text: dict[str, list[str]] = {}
    kinds = [
        (kind, d)
        for kind, d in schemas["record"]["$defs"].items()
        if isinstance(d, dict) and "properties" in d and "const" in d["properties"].get("kind", {})
    ]
    for kind, definition in kinds:
        prop = definition["properties"].get(name)
        if prop is not None:
            text = prop.get("description") or _resolve(schemas["record"], prop).get("description", "")
            by_text.setdefault(text, []).append(kind)
    if len(by_text) == 1 and len(next(iter(by_text.values()))) == len(kinds):
        return next(iter(by_text))
    return " ".join(f"{', '.join(kinds)}: {text}" for text, kinds in by_text.items())


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(root, root["$defs"][ref.removeprefix("#/$defs/")])
    return node
