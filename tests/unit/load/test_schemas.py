"""The JSON Schemas in schemas/, which ehqa.load checks every file against: valid Draft 2020-12, every
object closed and every property described (they are the field documentation), and no field that
could hold a child's or family member's personal details."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT
from ehqa.load.schema_check import SCHEMA_FILES

SCHEMAS = ROOT / "schemas"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _objects(node, path="#"):
    """Every sub-schema that declares properties, with where it sits."""
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{path}/{index}")


@pytest.mark.parametrize("name", SCHEMA_FILES.values())
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = _schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMA_FILES.values())
def test_every_object_is_closed_and_every_property_described(name: str) -> None:
    undocumented, open_objects = [], []
    for path, node in _objects(_schema(name)):
        if node.get("additionalProperties") is not False and path != "#/$defs/domain_judgement/if":
            open_objects.append(path)
        for prop, spec in node["properties"].items():
            if "description" not in spec and path.rsplit("/", 1)[-1] != "if":
                undocumented.append(f"{path}/properties/{prop}")
    assert not open_objects, f"objects without additionalProperties: false: {open_objects}"
    assert not undocumented, f"properties without a description: {undocumented}"


PERSONAL = re.compile(r"(^|_)(name|surname|forename|birth|dob|address|postcode|child|family|parent|nhs)(_|$)", re.I)


@pytest.mark.parametrize("name", ["audit.schema.json", "cycle.schema.json", "allocation.schema.json", "worker.schema.json",
                                  "record.schema.json"])
def test_case_records_have_no_personal_fields(name: str) -> None:
    """Privacy by construction: nothing about a case can hold a child's or family member's name, birth date or address."""
    offending = [
        f"{path}/{prop}" for path, node in _objects(_schema(name)) for prop in node["properties"] if PERSONAL.search(prop)
    ]
    assert not offending
