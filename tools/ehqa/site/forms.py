"""The learning site's forms for people who do not use Git (issue 11): one page per kind of follow-up
record, and one for the Perspective of Worker form (R7).

Each form is generated when the site is built from its definition in the JSON Schemas
(``$defs/<kind>`` of ``schemas/record.schema.json``, and ``schemas/worker.schema.json``): every
property is a labelled control with the schema's description as its hint, marked required where
the schema requires it, and checked in the browser against the schema's pattern, choices and
lengths. An enum is a select (the grades with qa.yaml's words), a date a date input, a list of
objects (actions, reviews) rows that can be added and removed, a map (a review's revised domain
grades, the worker form's answers) one control per key that qa.yaml gives. The page's script,
``site_templates/javascripts/ehqa-forms.js``, reads the same description as JSON: it checks what
was typed, writes the YAML, names the file and its folder (``layout``), and never sends anything.

Only the short labels are written here (``LABELS``): the schemas describe fields, they do not name
them. The few rules between fields that ``ehqa validate`` applies beyond the schema are checked in the
browser too, from their one table (``framework.records.FIELD_RULES``), so that a person hears of them
before the pull request. No form lists a case or a member of staff: people type the case and their own staff id.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ehqa import layout
from ehqa.framework.records import BY_KIND, FIELD_RULES, RECORD_KINDS, WRITERS
from ehqa.model import Grade, Settings
from ehqa.model.wording import one_line

WORKER = "worker"  # the page of the Perspective of Worker form: forms/worker.md
COMMON = ("case", "cycle", "by", "date")  # every record's first fieldset; worker forms have their own
BEHALF = ("on_behalf_of", "received")  # a QA officer writing for someone else: a fieldset of its own

TITLES = {"actions-agreed": "Actions agreed", "action-update": "An action's update",
          "actions-reviewed": "Actions reviewed", "supervision-note": "Supervision note",
          "reflective-discussion": "Reflective discussion", "oversight": "Oversight of an Inadequate case",
          "review": "Review of a disputed audit", "feedback": "Feedback", "report-sent": "Report sent",
          "casenote": "Case note", "grades": "My own grades", "moderation": "Moderation of a sampled audit",
          WORKER: "Perspective of Worker form"}

# Each property's label, by its path (``actions[].owner``); ``<kind>:<path>`` where one kind needs other words.
LABELS = {
    "case": "Case reference", "cycle": "Cycle of the audit (YYYY-MM)", "by": "Your staff id",
    "date": "Date it was done", "on_behalf_of": "Staff id of the person who did it",
    "received": "How it reached you", "note": "Anything else worth keeping",
    "with": "Staff id of the practitioner",
    "actions": "Actions agreed", "actions[].id": "Short id of the action", "actions[].action": "What is to be done",
    "actions[].owner": "Staff id of its owner", "actions[].due": "Due date",
    "actions[].measure": "How success is measured",
    "action": "Id of the action", "status": "Where the action stands", "due": "New due date",
    "reviews": "Actions reviewed", "reviews[].action": "Id of the action", "reviews[].outcome": "Outcome",
    "reviews[].escalated": "Escalated to senior management",
    "for_next_meeting": "Anything new for the next QA meeting",
    "summary": "What was fed back", "oversight:summary": "What you saw and decided",
    "outcome": "Outcome of the review", "overall": "Revised overall grade", "domains": "Revised domain grades",
    "reason": "Why the findings stand or were revised", "rule": "What the feedback was on",
    "to": "Who the feedback reached", "to[]": "Staff id", "report-sent:to": "Staff id of the manager the report went to",
    "no_assessment_on_file": "Why there is no Early Help Assessment on file",
    "grades:overall": "Your own overall grade", "grades:domains": "Your own grade of each domain",
    "moderation:overall": "Your overall grade", "moderation:domains": "Your grade of each domain",
    "moderation:summary": "What you found",
    "worker:cycle": "Cycle (YYYY-MM)", "worker:practitioner": "Your staff id",
    "worker:submitted": "Date you return the form", "worker:answers": "Your answers",
}
HINTS = {"received": "How it reached you from the person who did it.",
         "no_assessment_on_file": "R20 only: why there is no Early Help Assessment to give feedback on. Then leave "
                                  "who the feedback reached and what was fed back empty."}
ITEMS = {"actions": "action", "reviews": "review", "to": "person"}  # what one row of a list is
OPTIONS = {"not-met": "Not met", "changed": "Changed: its due date moves", "in-person": "In person",
           "audit-file": "From the audit file (ehqa migrate)",
           "R10": "R10: earlier work, fed back to a previous practitioner or team",
           "R20": "R20: the Early Help Assessment"}
BLANKS = {"overall": "Not revised", "domains": "Not revised"}  # the empty choice of an optional select
# Issue 14: the kinds graded alone, whose domain grades are all asked for, each with the domain's evidence prompt, and
# nothing of anyone else's grades (a moderator grades blind).
OWN_GRADES = ("grades", "moderation")
# The form a value must take, by the schema's $defs name, for the message when it does not.
SHAPES = {"case_ref": "letters, digits and hyphens only", "cycle_id": "a year and month, such as 2026-01",
          "staff_id": "a letter, then letters, digits, hyphens or underscores",
          "slug": "lower-case letters, digits and hyphens, such as a1"}
PAST = ("date",)  # a record tells what has happened: ehqa validate refuses one dated after today

UNIQUE = {"actions": "id"}  # rows whose field must differ from row to row (action ids: rules/records.py)


@dataclass(frozen=True)
class Control:
    """One field of a form: its YAML key, its HTML id (``__N__`` stands for a row's number) and how it is asked."""

    key: str
    id: str
    label: str
    hint: str
    kind: str  # text, textarea, date, select, rows (of controls), strings (rows of one control), map
    required: bool = False
    missing: str = ""  # the message when it is required and empty
    invalid: str = ""  # the message when it does not match the pattern, or is too long
    pattern: str | None = None
    max_length: int | None = None
    past: bool = False  # a date that cannot be after today
    boolean: bool = False  # a select of Yes (true) and No (false)
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    blank: str = ""  # the words of a select's empty choice
    items: tuple[Control, ...] = ()  # rows: one row's controls; strings: the one; map: one per key
    item: str = ""  # what one row is called (action)
    min_items: int = 0
    max_items: int | None = None
    count_message: str = ""  # too few rows or answers
    unique: str | None = None  # rows: the field that must differ; strings: "" when the values must


@dataclass(frozen=True)
class Group:
    legend: str
    hint: str
    controls: tuple[Control, ...]


@dataclass(frozen=True)
class Form:
    slug: str  # forms/<slug>.md: a kind of record, or worker
    title: str
    what: str  # what it records, in a sentence
    description: str  # the schema's
    rule: str
    writers: str  # who fills it in
    record: bool
    kind: str | None  # the record's kind, written first in the file
    header: str  # the file's first line: the schema, for an editor
    order: tuple[str, ...]  # the keys in the file, in the schema's order
    name: str  # the file's name and folder, {key} standing for what was typed
    folder: str
    groups: tuple[Group, ...]
    checks: tuple[dict[str, Any], ...] = ()
    dependent: dict[str, list[str]] = field(default_factory=dict)  # the schema's dependentRequired

    def spec(self) -> str:
        """The form as the page's script reads it: JSON, safe inside a <script> element."""
        text = json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def read_schema(folder: Path, kind: str) -> dict[str, Any]:
    return json.loads((folder / layout.SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


def forms(settings: Settings, schemas: Path) -> list[Form]:
    """The worker form, then a form per kind of record in framework/records.py's order."""
    record = read_schema(schemas, "record")
    return [worker_form(settings, read_schema(schemas, "worker"))] + [
        record_form(kind.kind, record, settings) for kind in RECORD_KINDS]


def record_form(kind_id: str, schema: dict[str, Any], settings: Settings) -> Form:
    definition, defs = schema["$defs"][kind_id], schema["$defs"]
    kind = BY_KIND[kind_id]
    controls = _controls(kind_id, definition, defs, settings)
    own = tuple(c for key, c in controls.items() if key not in COMMON + BEHALF + ("note",))
    path = layout.record_path("{cycle}", "{case}", "{date}", kind_id, "{by}")
    folder, _, name = path.rpartition("/")
    return Form(
        slug=kind_id, title=TITLES[kind_id], what=kind.what, description=definition["description"], rule=kind.rule,
        writers=" or ".join(WRITERS[w] for w in kind.writers), record=True, kind=kind_id,
        header=f"# yaml-language-server: $schema={layout.schema_reference('record')}",
        order=tuple(definition["properties"]), name=name, folder=folder,
        groups=(Group("The audit and you", "", tuple(controls[k] for k in COMMON)),
                Group(f"What was done: {TITLES[kind_id][0].lower()}{TITLES[kind_id][1:]}", "",
                      own + (controls["note"],)))
        + ((Group("Recording this for someone else (QA officers only)",
                  "Leave these empty unless you are a QA officer writing this record for the person who did it.",
                  tuple(controls[k] for k in BEHALF)),) if kind.on_behalf else ()),
        checks=tuple(rule.as_json() for rule in FIELD_RULES if rule.kind == kind_id), dependent=definition.get("dependentRequired", {}))


def worker_form(settings: Settings, schema: dict[str, Any]) -> Form:
    controls = _controls(WORKER, schema, schema["$defs"], settings)
    folder, _, name = layout.worker_path("{cycle}", "{case}").rpartition("/")
    return Form(
        slug=WORKER, title=TITLES[WORKER], what="your view of the case and the challenges you met, for its auditors",
        description=schema["description"], rule="R7", writers=WRITERS["case-practitioner"], record=False, kind=None,
        header=f"# yaml-language-server: $schema={layout.schema_reference('worker')}",
        order=tuple(schema["properties"]), name=name, folder=folder,
        groups=(Group("The case and you", "", tuple(controls[k] for k in ("case", "cycle", "practitioner", "submitted"))),
                Group("Your answers", "", (controls["answers"],))))


def label(kind: str, path: str) -> str:
    """A property's label (``actions[].owner``); its name in words where LABELS has none (a new field)."""
    found = LABELS.get(f"{kind}:{path}") or LABELS.get(path)
    return found or path.rpartition(".")[2].replace("[]", "").replace("_", " ").capitalize()


def _controls(kind: str, definition: dict[str, Any], defs: dict[str, Any], settings: Settings) -> dict[str, Control]:
    required = set(definition.get("required", ()))
    return {key: _control(kind, key, key, f"f-{key.replace('_', '-')}", spec, key in required, defs, settings)
            for key, spec in definition["properties"].items() if "const" not in spec}


def _control(kind: str, key: str, path: str, html_id: str, spec: dict[str, Any], required: bool,
             defs: dict[str, Any], settings: Settings, row: str = "", words: str = "", blank: str = "") -> Control:
    ref = spec.get("$ref", "").rpartition("/")[2]
    base = {**defs.get(ref, {}), **spec}
    words = words or label(kind, path) + (f" ({row} __N__)" if row else "")
    hint = _hint(path, spec, settings)
    common = {"key": key, "id": html_id, "label": words, "hint": hint, "required": required}
    if base.get("type") == "array":
        return _list(kind, key, path, html_id, base, common, defs, settings)
    if base.get("type") == "object":
        return _map(kind, key, base, common, defs, settings)
    if "enum" in base or base.get("type") == "boolean":
        boolean = base.get("type") == "boolean"
        options = (("true", "Yes"), ("false", "No")) if boolean else tuple(
            (v, _option(v, ref, settings)) for v in base["enum"])
        return Control(**common, kind="select", boolean=boolean, options=options,
                       blank=blank or ("Choose one" if required else BLANKS.get(key, "Not given")),
                       missing=f"Choose {_the(words)}")
    kind_of = "date" if ref == "date" else "textarea" if ref == "text" or base.get("maxLength", 0) > 200 else "text"
    shape = SHAPES.get(ref)
    past = kind != WORKER and path in PAST
    invalid = (f"{words}: use {shape}" if shape else
               f"{words}: use at most {base['maxLength']} characters" if "maxLength" in base else
               f"{words}: it is after today; record only what has happened" if past else "")
    return Control(**common, kind=kind_of, pattern=base.get("pattern") if kind_of != "date" else None,
                   max_length=base.get("maxLength"), past=past, missing=f"Enter {_the(words)}", invalid=invalid)


def _list(kind: str, key: str, path: str, html_id: str, base: dict[str, Any], common: dict[str, Any],
          defs: dict[str, Any], settings: Settings) -> Control:
    item, row = base["items"], ITEMS.get(key, "item")
    if item.get("type") == "object":
        needed = set(item.get("required", ()))
        items = tuple(_control(kind, k, f"{path}[].{k}", f"{html_id}-__N__-{k.replace('_', '-')}", s, k in needed,
                               defs, settings, row) for k, s in item["properties"].items())
        kind_of, unique = "rows", UNIQUE.get(key)
    else:
        one = {"description": "", **item}
        items = (_control(kind, "", f"{path}[]", f"{html_id}-__N__", one, True, defs, settings, row),)
        kind_of, unique = "strings", "" if base.get("uniqueItems") else None
    least = base.get("minItems", 0)
    return Control(**common, kind=kind_of, items=items, item=row, min_items=least, max_items=base.get("maxItems"),
                   unique=unique, count_message=f"Fill in at least {'one' if least == 1 else least} {row}{'s' if least > 1 else ''}"
                   if common["required"] else "")


def _map(kind: str, key: str, base: dict[str, Any], common: dict[str, Any], defs: dict[str, Any],
         settings: Settings) -> Control:
    """A map keyed by what qa.yaml lists: a review's revised grades by domain, the worker form's answers; an
    auditor's own or a moderator's grades by domain, each with its evidence prompt (issue 14)."""
    value, html_id = base["additionalProperties"], common["id"]
    prompts: dict[str, str] = {}
    if key == "domains":  # every domain set's: a review may revise an audit graded under an older set
        titles: dict[str, str] = {}
        for domain_set in reversed(settings.domain_sets):
            for domain in domain_set.domains:
                titles.setdefault(domain.id, domain.title)
                prompts.setdefault(domain.id, one_line(domain.prompt) if kind in OWN_GRADES else "")
        keys = list(titles.items())
    else:
        keys = [(q.id, one_line(q.prompt)) for q in settings.worker_questions]
    blank = "Not graded" if kind in OWN_GRADES else BLANKS.get(key, "")
    items = tuple(_control(WORKER, k, f"{key}.{k}", f"{html_id}-{k}", {"description": prompts.get(k, ""), **value},
                           False, defs, settings, words=words, blank=blank) for k, words in keys)
    least = base.get("minProperties", 0) if common["required"] else 0
    counted = "Answer at least one question" if key == "answers" else f"Fill in at least {least}"
    return Control(**common, kind="map", items=items, min_items=least, count_message=counted if least else "")


def _hint(path: str, spec: dict[str, Any], settings: Settings) -> str:
    """The schema's description, but where it speaks of YAML or of other fields by their keys."""
    if path == "case":  # "Quote it, so that YAML keeps it as text": the form quotes everything
        return (f"As in {settings.case_management_system}. It goes only into the file you make here and the name "
                "of its folder.")
    return HINTS.get(path) or spec.get("description", "")


def _option(value: str, ref: str, settings: Settings) -> str:
    if ref in ("domain_grade", "overall_grade"):
        return settings.grade_label(Grade(value))
    return OPTIONS.get(value) or value.replace("-", " ").capitalize()


_OWN = ("your ", "why ", "what ", "how ", "who ", "when ", "where ", "anything ")


def _the(words: str) -> str:
    """``Case reference`` as a message takes it: ``the case reference``; ``Your staff id`` stays ``your staff id``."""
    lowered = words[0].lower() + words[1:]
    return lowered if lowered.startswith(_OWN) else f"the {lowered}"
