"""JSON Schema checks, with messages written for the people who fix the files."""

from __future__ import annotations

import difflib
import errno
import hashlib
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from ehqa.errors import UsageProblem
from ehqa.findings import Finding
from ehqa.layout import SCHEMA_FILES

try:  # the fast path: a compiled validator, hundreds of times quicker at saying "valid"
    import jsonschema_rs
except ImportError:  # pragma: no cover - the wheel exists for the usual platforms
    jsonschema_rs = None



class SchemaError(UsageProblem):
    """The repository's schemas folder is missing or broken: nothing can be validated, so the folder
    is no usable QA repository (exit 2, as a --repo without schemas/)."""


class Schemas:
    """One compiled validator per kind of file, read from the repository's ``schemas/``.

    Most files are valid, so each is first checked by jsonschema-rs when it is
    installed; only a file it rejects goes through the ``jsonschema`` package,
    whose detailed errors become the messages people read.
    """

    def __init__(self, folder: Path, texts: dict[str, bytes | None] | None = None) -> None:
        """The schemas of ``folder``, read from it, or given as ``texts`` (file name -> bytes, None when missing)."""
        self.folder = folder
        self._validators: dict[str, Draft202012Validator] = {}
        self._fast: dict[str, Any] = {}
        checker = FormatChecker(formats=["date"])
        for kind, name in SCHEMA_FILES.items():
            path = folder / name
            try:
                text = path.read_bytes() if texts is None else texts.get(name)
                if text is None:
                    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
                schema = json.loads(text.decode("utf-8"))
                Draft202012Validator.check_schema(schema)
            except (OSError, ValueError) as exc:
                raise SchemaError(f"cannot use the schema {path}: {exc}") from None
            except Exception as exc:  # jsonschema's SchemaError: the schema itself is wrong
                raise SchemaError(f"the schema {path} is not a valid JSON Schema: {exc}") from None
            outside = _outside_references(schema)
            if outside:
                # A schema is data too (a pull request may change one): it never makes ehqa fetch anything.
                raise SchemaError(f"the schema {path} refers outside itself ({outside[0][:60]}): "
                                  "only references within the file (\"#/...\") are allowed")
            for name, part in _parts(kind, schema):
                self._validators[name] = Draft202012Validator(part, format_checker=checker)
                if jsonschema_rs is not None:
                    self._fast[name] = jsonschema_rs.validator_for(part, validate_formats=True, offline=True)

    @classmethod
    def for_folder(cls, folder: Path) -> "Schemas":
        """The compiled schemas of a folder: compiled (and each checked against JSON Schema's own metaschema) once
        for the same bytes, whichever folder holds them, since nothing else decides what they say. A copy of a
        service, or the base and the head of a pull request, share one compilation."""
        texts: dict[str, bytes | None] = {}
        for name in SCHEMA_FILES.values():
            try:
                texts[name] = (folder / name).read_bytes()
            except OSError:
                texts[name] = None  # the constructor reports the missing file
        key = hashlib.sha256(b"".join(b"\0%s\0%d\0%s" % (name.encode(), -1 if text is None else len(text), text or b"")
                                      for name, text in texts.items())).hexdigest()
        compiled = _COMPILED.pop(key, None)
        if compiled is None:
            compiled = cls(folder, texts)  # raises SchemaError for a broken schema: never kept
        _COMPILED[key] = compiled  # the most recently used last
        while len(_COMPILED) > 8:
            _COMPILED.pop(next(iter(_COMPILED)))
        return compiled

    def check(self, kind: str, data: Any, file: str) -> list[Finding]:
        """Every schema problem in one document, one per place, most specific first."""
        kind, unknown = self._kind_of(kind, data, file)
        if unknown:
            return unknown
        fast = self._fast.get(kind)
        if fast is not None and fast.is_valid(data):
            return []
        return self.explain(kind, data, file)

    def explain(self, kind: str, data: Any, file: str) -> list[Finding]:
        """The detailed check, always by the ``jsonschema`` package, for the messages."""
        kind, unknown = self._kind_of(kind, data, file)
        if unknown:
            return unknown
        findings: list[Finding] = []
        seen: set[tuple] = set()
        for error in self._validators[kind].iter_errors(data):
            for finding in _explain(error, file):
                said = (finding.where, finding.rule, finding.message)
                if said not in seen:  # a bad date fails both pattern and format: say it once
                    seen.add(said)
                    findings.append(finding)
        return findings


    def _kind_of(self, kind: str, data: Any, file: str) -> tuple[str, list[Finding]]:
        """A record is checked against the definition of its own kind, so that a mistake is reported in
        that kind's terms rather than as "valid under none of ten schemas"."""
        if kind != "record" or not isinstance(data, dict):
            return kind, []
        record_kind = data.get("kind")
        if f"record:{record_kind}" in self._validators:
            return f"record:{record_kind}", []
        kinds = sorted(name.removeprefix("record:") for name in self._validators if name.startswith("record:"))
        if record_kind is None:
            return kind, [Finding("SCHEMA-REQUIRED", f"the required field 'kind' is missing; it is one of: "
                                                     f"{', '.join(kinds)}", file, ())]
        hint = difflib.get_close_matches(str(record_kind), kinds, n=1)
        tip = f"; did you mean '{hint[0]}'?" if hint else ""
        return kind, [Finding("SCHEMA-ENUM", f"kind '{str(record_kind)[:60]}' is not one of: {', '.join(kinds)}{tip}",
                              file, ("kind",))]


def _parts(kind: str, schema: dict) -> list[tuple[str, dict]]:
    """The validators a schema gives: itself, and for records one per kind (``record:<kind>``)."""
    parts = [(kind, schema)]
    if kind == "record":
        for name in schema.get("$defs", {}):
            if {"$ref": f"#/$defs/{name}"} in schema.get("oneOf", []):
                parts.append((f"record:{name}", {"$schema": schema.get("$schema"), "$ref": f"#/$defs/{name}",
                                                 "$defs": schema["$defs"]}))
    return parts


_COMPILED: dict[str, Schemas] = {}  # by the SHA-256 of the schema files' bytes: the eight last used


def _explain(error: ValidationError, file: str) -> Iterator[Finding]:
    where = tuple(error.absolute_path)
    value = error.instance
    validator = error.validator
    field = _field_name(where)
    if validator == "required":
        missing = [name for name in error.validator_value if isinstance(value, dict) and name not in value]
        for name in missing:
            yield Finding("SCHEMA-REQUIRED", f"{_in(field)}the required field '{name}' is missing", file, where)
    elif validator == "dependentRequired" and isinstance(value, dict):
        for present, needed in error.validator_value.items():
            for name in needed:
                if present in value and name not in value:
                    yield Finding("SCHEMA-REQUIRED", f"{_in(field)}with '{present}', the field '{name}' is required",
                                  file, where)
    elif validator == "additionalProperties" and isinstance(value, dict):
        known = list(error.schema.get("properties", {}))
        for name in value:
            if name not in known:
                hint = difflib.get_close_matches(str(name), known, n=1)
                tip = f"; did you mean '{hint[0]}'?" if hint else f"; known fields: {', '.join(known)}"
                yield Finding("SCHEMA-UNKNOWN-FIELD", f"unknown field '{name}'{tip}", file, where + (name,))
    elif validator == "type":
        if (error.validator_value == "string" and isinstance(value, int) and not isinstance(value, bool)
                and isinstance(error.schema, dict) and error.schema.get("pattern") == _STAFF_ID_PATTERN):
            yield Finding("SCHEMA-PATTERN", f"{field} {value} is a number, and a staff id starts with a letter: write "
                          f"e{value}, here and wherever this person is named", file, where)
        elif error.validator_value == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            yield Finding(
                "SCHEMA-NUMBER-AS-TEXT",
                f"{field} {value} was read as a number; put it in quotes ('{value}') so that it stays text",
                file,
                where,
            )
        elif value is None:
            yield Finding("SCHEMA-TYPE", f"{field} is empty; {_what_to_type(error.schema)}", file, where)
        else:
            yield Finding(
                "SCHEMA-TYPE", f"{field} should be {_kind_name(error.validator_value)}, not {_describe(value)}", file, where
            )
    elif validator == "format" or (validator == "pattern" and error.validator_value.startswith("^[0-9]{4}-[0-9]{2}-[0-9]{2}")):
        yield Finding("SCHEMA-DATE", _date_message(field, value), file, where)
    elif validator == "pattern":
        form = _FORMS.get(error.validator_value)
        expected = f"; write {form}" if form else ""
        if "propertyNames" in error.schema_path:
            yield Finding("SCHEMA-PATTERN", f"the key '{value}' in '{field}' is not in the expected form{expected}", file, where)
        else:
            yield Finding("SCHEMA-PATTERN", f"{field} '{value}' is not in the expected form{expected}", file, where)
    elif validator in ("enum", "const"):
        allowed = [str(v) for v in (error.validator_value if validator == "enum" else [error.validator_value])]
        if value is None:
            yield Finding("SCHEMA-ENUM", f"{field} is empty; choose one of: {', '.join(allowed)}", file, where)
            return
        hint = difflib.get_close_matches(str(value).lower().replace(" ", "-"), allowed, n=1)
        tip = f"; did you mean '{hint[0]}'?" if hint else ""
        if str(value).strip().lower() in _NOT_APPLICABLE_WORDS:  # issue 12: n/a, N/A, none, -
            tip = ("; write not-applicable, and say why in the domain's reason" if "not-applicable" in allowed
                   else f"; {field} cannot be not applicable here: choose the grade the evidence supports")
        yield Finding("SCHEMA-ENUM", f"{field} '{value}' is not one of: {', '.join(allowed)}{tip}", file, where)
    elif validator in _LENGTHS:
        yield Finding("SCHEMA-LENGTH", _length_message(field, validator, error.validator_value, value), file, where)
    elif validator == "uniqueItems" and isinstance(value, list):
        twice = sorted({str(item) for item in value if value.count(item) > 1})
        yield Finding("SCHEMA-INVALID", f"{field} names {', '.join(twice)} more than once; give each once", file, where)
    elif validator in ("minimum", "maximum") and isinstance(value, (int, float)):
        bound = "less" if validator == "minimum" else "more"
        yield Finding("SCHEMA-INVALID", f"{field} is {value}; it may be no {bound} than {error.validator_value}",
                      file, where)
    else:
        yield Finding("SCHEMA-INVALID", f"{field}: {_short(error.message)}", file, where)


_NOT_APPLICABLE_WORDS = frozenset({"n/a", "na", "n.a.", "n/a.", "not applicable", "none", "-", "nil"})
_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_STAFF_ID_PATTERN = "^[A-Za-z][A-Za-z0-9_-]{0,31}$"  # the schemas' staff_id (README: an employee number with a letter)


def _what_to_type(schema: Any) -> str:
    """For an empty value: what to type there, from the field's schema (issue 12: not "fill it in (text)")."""
    schema = schema if isinstance(schema, dict) else {}
    kind = schema.get("type")
    if schema.get("format") == "date" or schema.get("pattern") == _DATE_PATTERN:
        return "write the date as YYYY-MM-DD, like 2026-11-03"
    if schema.get("pattern") in _FORMS:
        return f"write {_FORMS[schema['pattern']]}"
    if kind == "string":
        return ("write the text after the colon on the same line, or write > there and the text on the lines "
                "below, indented")
    if kind == "array":
        return "write the list below it, one item a line, each indented and starting with '- '"
    if kind == "object":
        return "write its fields on the lines below it, indented"
    if kind == "boolean":
        return "write true or false"
    if kind in ("integer", "number"):
        return "write a number, in digits"
    return f"fill it in ({_kind_name(kind)})"


# What the schemas' patterns ask for, in words.
_FORMS = {
    "^[a-z0-9][a-z0-9-]{0,63}$": "lower-case letters, digits and hyphens, like 'child-voice'",
    _STAFF_ID_PATTERN: "a staff id: a letter first, then letters, digits, '-' or '_' (an employee number with "
    "a letter in front, like e10234)",
    "^[A-Za-z0-9][A-Za-z0-9-]{0,31}$": "a case reference: letters, digits and hyphens",
    "^[0-9]{4}-(0[1-9]|1[0-2])$": "a cycle as YYYY-MM, like 2026-11",
    "^[0-9]{4}-(0[1-9]|1[0-2])/[A-Za-z0-9][A-Za-z0-9-]{0,31}$": "an audit as YYYY-MM/<case-ref>, like 2026-08/9104217",
}
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})")


def _date_message(field: str, value: Any) -> str:
    """A date that is not a real YYYY-MM-DD date; for the British 03/11/2026, say how to write it."""
    text = str(value)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return f"{field} '{text}' is not a real date"
    dmy = _DMY.fullmatch(text)
    if dmy:
        day, month, year = dmy.groups()
        iso = f"{year if len(year) == 4 else '20' + year}-{int(month):02d}-{int(day):02d}"
        try:
            date.fromisoformat(iso)
            return f"{field} '{text}' is not a date in the form YYYY-MM-DD; write {iso}"
        except ValueError:
            pass
    return f"{field} '{text}' is not a date in the form YYYY-MM-DD"


def _field_name(where: tuple) -> str:
    for part in reversed(where):
        if isinstance(part, str):
            return part
    return "the document" if not where else "item"


# What each length limit counts, and whether it is the least or the most.
_LENGTHS = {"minLength": ("character", "at least"), "maxLength": ("character", "at most"),
            "minItems": ("item", "at least"), "maxItems": ("item", "at most"),
            "minProperties": ("entry", "at least")}


def _length_message(field: str, validator: str, limit: int, value: Any) -> str:
    """Too short or too long, in words: how many there are and how many there may be ("strengths is empty; give
    at least 1 item", "excerpt has 10 characters; write at least 20 characters")."""
    unit, bound = _LENGTHS[validator]
    size = len(value) if isinstance(value, (str, list, dict)) else 0
    many = lambda n: f"{n} {unit}{'' if n == 1 else 's'}"  # noqa: E731
    said = "is empty" if size == 0 else f"has {many(size)}"
    return f"{field} {said}; {'write' if unit == 'character' else 'give'} {bound} {many(limit)}"


def _in(field: str) -> str:
    return "" if field == "the document" else f"in '{field}', "


def _kind_name(expected: Any) -> str:
    names = {"string": "text", "object": "a mapping of fields", "array": "a list", "integer": "a whole number",
             "boolean": "true or false", "number": "a number"}
    if isinstance(expected, list):
        return " or ".join(names.get(e, e) for e in expected)
    return names.get(expected, str(expected))


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _outside_references(node: Any) -> list[str]:
    """Every ``$ref``/``$dynamicRef`` in a schema that points outside the file itself."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str) and not value.startswith("#"):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found
