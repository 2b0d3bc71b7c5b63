"""The handbook's generated page of follow-up records, ``docs/reference/records.md``: who writes
each kind and which rule it serves (``framework/records.py``, the one table ``ehqa validate`` and
``ehqa check-pr`` judge by), then the fields of each kind, from ``schemas/record.schema.json``."""

from __future__ import annotations

from typing import Any, Callable

from ehqa.framework.records import ON_BEHALF, RECORD_KINDS, WRITERS
from ehqa.layout import NAMED

COMMON = ("kind", "case", "cycle", "by", "date", "on_behalf_of", "received", "note")


def records_page(schema: dict[str, Any], generated: str, rule_link: Callable[[str], str],
                 rows: Callable[[dict[str, Any], dict[str, Any], str], list[str]]) -> str:
    """The page; ``rule_link`` and ``rows`` are the check and field references' own, so that the
    pages agree in form."""
    lines = [
        "# Follow-up records", "", generated, "",
        "What people do after an audit closes at its QA meeting is recorded as a record: one small file per act,",
        f"written by the person who did it, in `{NAMED['record']}`. A record is never edited once it has landed;",
        "a correction is a new record. A second record of the same day, kind and author is numbered:",
        "`<date>.<kind>.<staff-id>.2.yaml`.", "",
        "## Who writes which record", "",
        "`ehqa check-pr` accepts a record only from the author its name gives, and only when that person may",
        f"write its kind for the case; `ehqa validate` checks the same of `by`. {_sentence(WRITERS[ON_BEHALF])}",
        "may write any record for someone who may, naming them in `on_behalf_of` and saying how it came in",
        "`received` (an email, the meeting...).", *_own_only(),
        "| kind | rule | written by | what it records |", "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{k.kind}` | {rule_link(k.rule)} | {' or '.join(WRITERS[w] for w in k.writers)} | {k.what} |"
              for k in RECORD_KINDS]
    definitions = schema["$defs"]
    first = definitions[RECORD_KINDS[0].kind]
    lines += ["", "## Fields every record has", "", "| field | type | required | description |",
              "| --- | --- | --- | --- |"]
    common = _only(first, COMMON)
    common["properties"]["kind"] = {**common["properties"]["kind"], "enum": [k.kind for k in RECORD_KINDS]}
    lines += rows(schema, common, "")
    for kind in RECORD_KINDS:
        definition = definitions[kind.kind]
        own = [name for name in definition["properties"] if name not in COMMON]
        lines += ["", f"## `{kind.kind}`", "", definition["description"], ""]
        if own:
            lines += ["| field | type | required | description |", "| --- | --- | --- | --- |"]
            lines += rows(schema, _only(definition, own), "")
        else:
            lines.append("No fields beyond those every record has.")
    return "\n".join(lines) + "\n"


def _own_only() -> list[str]:
    """The sentence on the kinds nobody may record on someone's behalf (a person's own judgement, issue 14)."""
    own = [f"`{k.kind}`" for k in RECORD_KINDS if not k.on_behalf]
    if not own:
        return [""]
    return ["", f"The exception is {' and '.join(own)}: a person's own judgement, made alone, which only they add",
            "and nobody records on their behalf.", ""]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _only(definition: dict[str, Any], names) -> dict[str, Any]:
    return {**definition, "properties": {n: definition["properties"][n] for n in names}}
