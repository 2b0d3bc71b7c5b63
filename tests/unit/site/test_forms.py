"""The follow-up forms are generated from the schemas (site/forms.py; issue 11): every field a labelled
control with its description as its hint, required as the schema says, its choices and its form the
schema's, the file named as ehqa names records. In a browser: tests/browser/test_forms_browser.py."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from conftest import ROOT
from ehqa import layout
from ehqa.framework.records import FIELD_RULES, RECORD_KINDS
from ehqa.load.repository import load_settings
from ehqa.model import Grade
from ehqa.model.settings import Domain, DomainSet
from ehqa.site.forms import LABELS, WORKER, Control, Form, forms, label, record_form, worker_form

SCHEMAS = ROOT / "schemas"
SETTINGS = load_settings(ROOT)
RECORD = json.loads((SCHEMAS / "record.schema.json").read_text(encoding="utf-8"))
WORKER_SCHEMA = json.loads((SCHEMAS / "worker.schema.json").read_text(encoding="utf-8"))
FORMS = {form.slug: form for form in forms(SETTINGS, SCHEMAS)}


def controls(form: Form) -> dict[str, Control]:
    return {c.key: c for group in form.groups for c in group.controls}


def definition(slug: str) -> dict:
    return WORKER_SCHEMA if slug == WORKER else RECORD["$defs"][slug]


def test_a_form_for_every_kind_of_record_and_the_worker_form() -> None:
    assert list(FORMS) == [WORKER] + [kind.kind for kind in RECORD_KINDS]
    for kind in RECORD_KINDS:
        form = FORMS[kind.kind]
        assert (form.kind, form.rule, form.record) == (kind.kind, kind.rule, True)
    assert (FORMS[WORKER].kind, FORMS[WORKER].rule) == (None, "R7")


@pytest.mark.parametrize("slug", list(FORMS))
def test_every_field_of_the_schema_is_a_control_with_its_hint_and_required_as_the_schema_says(slug: str) -> None:
    form, schema = FORMS[slug], definition(slug)
    fields = {key: spec for key, spec in schema["properties"].items() if "const" not in spec}
    found = controls(form)
    assert sorted(found) == sorted(fields)
    assert form.order == tuple(schema["properties"])
    for key, control in found.items():
        assert control.required == (key in schema["required"]), key
        assert control.hint, f"{slug}.{key} has no hint"
        if key != "case":  # the case's hint says where it goes instead of "Quote it"
            assert control.hint == fields[key]["description"] or key in ("received", "no_assessment_on_file")
        assert control.label and control.id.startswith("f-")
        if control.kind in ("rows", "strings", "map"):  # too few rows, or no answer
            assert bool(control.count_message) == control.required
        else:
            assert control.missing
    ids = [c.id for c in found.values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("slug", list(FORMS))
def test_every_field_has_a_label_of_its_own(slug: str) -> None:
    """LABELS names every field of the schemas; a field added to a schema gets its name in words until it does."""
    schema = definition(slug)
    kind = slug

    def paths(properties: dict, prefix: str = ""):
        for key, spec in properties.items():
            if "const" in spec:
                continue
            yield prefix + key
            items = spec.get("items", {})
            if "properties" in items:
                yield from paths(items["properties"], f"{prefix}{key}[].")

    missing = [p for p in paths(schema["properties"]) if f"{kind}:{p}" not in LABELS and p not in LABELS]
    assert not missing, f"fields without a label in site/forms.py LABELS: {missing}"


def test_choices_dates_texts_and_patterns_come_from_the_schema() -> None:
    defs = RECORD["$defs"]
    update = controls(FORMS["action-update"])
    assert update["status"].kind == "select" and [v for v, _ in update["status"].options] == ["done", "not-met",
                                                                                              "changed"]
    assert update["due"].kind == "date" and not update["due"].required
    common = controls(FORMS["casenote"])
    assert common["date"].kind == "date" and common["date"].past
    assert common["case"].pattern == defs["case_ref"]["pattern"]
    assert common["by"].pattern == common["on_behalf_of"].pattern == defs["staff_id"]["pattern"]
    assert common["cycle"].pattern == defs["cycle_id"]["pattern"]
    assert common["note"].kind == "textarea" and common["note"].max_length == defs["text"]["maxLength"]
    assert [v for v, _ in common["received"].options] == defs["actions-agreed"]["properties"]["received"]["enum"]
    review = controls(FORMS["review"])
    assert [(v, w) for v, w in review["overall"].options] == [
        (g, SETTINGS.grade_label(Grade(g))) for g in defs["overall_grade"]["enum"]]  # qa.yaml's words
    assert review["overall"].blank == "Not revised"
    assert [c.key for c in review["domains"].items] == list(SETTINGS.domain_sets[-1].ids)
    assert [c.label for c in review["domains"].items] == [d.title for d in SETTINGS.domain_sets[-1].domains]
    reviewed = controls(FORMS["actions-reviewed"])["reviews"]
    assert reviewed.kind == "rows" and reviewed.min_items == 1 and reviewed.max_items == 20
    escalated = next(c for c in reviewed.items if c.key == "escalated")
    assert escalated.boolean and escalated.options == (("true", "Yes"), ("false", "No"))
    agreed = controls(FORMS["actions-agreed"])["actions"]
    assert [c.key for c in agreed.items] == ["id", "action", "owner", "due", "measure"]
    assert all("__N__" in c.id and "(action __N__)" in c.label for c in agreed.items)
    assert agreed.unique == "id"
    to = controls(FORMS["feedback"])["to"]
    assert to.kind == "strings" and to.unique == "" and to.max_items == 6
    answers = controls(FORMS[WORKER])["answers"]
    assert [c.key for c in answers.items] == [q.id for q in SETTINGS.worker_questions]
    assert answers.min_items == 1 and all(c.kind == "textarea" and not c.required for c in answers.items)


def test_the_file_is_named_and_placed_as_ehqa_names_records() -> None:
    for kind in RECORD_KINDS:
        form = FORMS[kind.kind]
        values = {"cycle": "2026-10", "case": "X1", "date": "2026-11-02", "by": "ab"}
        placed = f"{form.folder.format(**values)}/{form.name.format(**values)}"
        assert placed == layout.record_path("2026-10", "X1", "2026-11-02", kind.kind, "ab")
        assert form.header == f"# yaml-language-server: $schema={layout.schema_reference('record')}"
    worker = FORMS[WORKER]
    assert f"{worker.folder}/{worker.name}".format(cycle="2026-10", case="X1") == layout.worker_path("2026-10", "X1")


def test_the_checks_between_fields_name_fields_of_their_kind() -> None:
    """The rules between fields (framework.records.FIELD_RULES), which ehqa validate applies and each form
    checks in the browser, follow the schema's names, and each form carries its kind's."""
    for rule in FIELD_RULES:
        fields = set(RECORD["$defs"][rule.kind]["properties"])
        named = {rule.at, rule.where, *rule.when, *rule.need, *rule.need_any, *rule.empty}
        assert named <= fields, f"{rule.kind}: {named - fields}"
        assert rule.says and rule.asks
        assert rule.as_json() in FORMS[rule.kind].checks
    assert FORMS["casenote"].dependent == {"on_behalf_of": ["received"], "received": ["on_behalf_of"]}


def test_a_field_added_to_the_schema_appears_in_its_form() -> None:
    schema = copy.deepcopy(RECORD)
    schema["$defs"]["casenote"]["properties"]["minutes_taken"] = {"description": "How long it took.",
                                                                   "$ref": "#/$defs/text"}
    schema["$defs"]["casenote"]["required"].append("minutes_taken")
    added = controls(record_form("casenote", schema, SETTINGS))["minutes_taken"]
    assert (added.label, added.hint, added.kind, added.required) == ("Minutes taken", "How long it took.", "textarea",
                                                                     True)
    assert label("casenote", "minutes_taken") == "Minutes taken"
    narrower = copy.deepcopy(WORKER_SCHEMA)
    narrower["properties"]["submitted"]["description"] = "When you sent it."
    assert controls(worker_form(SETTINGS, narrower))["submitted"].hint == "When you sent it."


def test_the_description_the_page_reads_cannot_end_its_script() -> None:
    spec = FORMS["actions-agreed"].spec()
    assert "<" not in spec and ">" not in spec and "&" not in spec
    assert json.loads(spec)["kind"] == "actions-agreed"



def test_the_review_form_offers_the_domains_of_every_domain_set() -> None:
    """A review may revise an audit graded under an older domain set (R12): its domains are offered too."""
    older = DomainSet(1, "2024-01", (Domain("housing", "Housing and home conditions", "prompt"),
                                     *SETTINGS.domain_sets[-1].domains[:1]))
    settings = replace(SETTINGS, domain_sets=(older, *SETTINGS.domain_sets))
    review = controls(record_form("review", RECORD, settings))
    keys = [c.key for c in review["domains"].items]
    assert keys == [*SETTINGS.domain_sets[-1].ids, "housing"]  # the newest set's first, in its order


@pytest.mark.rule("R8", "R12")
def test_own_grades_forms_ask_every_domain_with_its_evidence_prompt_and_never_for_someone_else() -> None:
    """Issue 14: "My own grades" and the moderation form ask a grade of each domain, each with the domain's
    evidence prompt as its hint, and have no fieldset for a QA officer recording it on someone's behalf."""
    prompts = {d.id: " ".join(d.prompt.split()) for s in SETTINGS.domain_sets for d in s.domains}
    assert FORMS["grades"].title == "My own grades"
    for slug in ("grades", "moderation"):
        form = FORMS[slug]
        assert not any("someone else" in group.legend for group in form.groups)
        assert "on_behalf_of" not in controls(form)
        domains = controls(form)["domains"]
        assert domains.required and domains.min_items == 1
        assert {item.key: item.hint for item in domains.items} == prompts
        assert all(item.blank == "Not graded" for item in domains.items)
    assert controls(FORMS["review"])["domains"].items[0].hint == ""  # a review's revised grades: no prompts
