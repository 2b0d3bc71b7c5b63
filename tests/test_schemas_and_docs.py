"""The schemas are the field documentation, and the README carries them: both must stay true."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ehqa.cli import cli
from ehqa.fields import field_reference, splice
from ehqa.load.schema_check import SCHEMA_FILES
from ehqa.rules.catalogue import RULES

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.mark.parametrize("name", ["audit.schema.json", "cycle.schema.json", "allocation.schema.json", "worker.schema.json"])
def test_case_records_have_no_personal_fields(name: str) -> None:
    """Privacy by construction: nothing about a case can hold a child's or family member's name, birth date or address."""
    offending = [
        f"{path}/{prop}" for path, node in _objects(_schema(name)) for prop in node["properties"] if PERSONAL.search(prop)
    ]
    assert not offending


def test_readme_reference_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert splice(readme, field_reference(SCHEMAS)) == readme, "run: ehqa fields --update README.md"


def test_stale_reference_is_detected(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale.write_text(readme.replace("| `audit` |", "| `audit-old` |").replace("`completed`", "`finished`"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["fields", "--repo", str(ROOT), "--check", str(stale)])
    assert result.exit_code == 1
    result = CliRunner().invoke(cli, ["fields", "--repo", str(ROOT), "--update", str(stale)])
    assert result.exit_code == 0 and stale.read_text(encoding="utf-8") == readme


def test_every_setting_and_rule_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = _schema("settings.schema.json")
    missing = [f"`{key}`" for key in settings["properties"] if f"`{key}`" not in readme]
    missing += [f"`{rule}`" for rule in RULES if f"`{rule}`" not in readme]
    assert not missing


def test_every_rule_cites_a_known_r_number() -> None:
    for rule in RULES.values():
        assert rule.cites == "" or re.fullmatch(r"R([1-9]|1[0-9]|2[0-2])", rule.cites), rule


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(cli.commands[command].help or "") > 30
