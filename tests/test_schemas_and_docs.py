"""The schemas are the field documentation, and the handbook's generated pages carry them: both must stay true."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ehqa.cli import cli
from ehqa.framework.docs import generated_docs, read_schemas
from ehqa.load.schema_check import SCHEMA_FILES
from ehqa.rules.catalogue import RULES

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
DOCS = ROOT / "docs"


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


def test_generated_docs_are_current() -> None:
    """docs/framework.md and docs/reference/ are generated; a hand edit or a code change without
    `ehqa fields --update docs` fails here (and in CI)."""
    stale = [name for name, text in generated_docs(read_schemas(SCHEMAS)).items()
             if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != text]
    assert not stale, f"run: ehqa fields --update docs ({stale})"


def test_stale_generated_docs_are_detected_and_rewritten(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "reference").mkdir(parents=True)
    fields = (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")
    (docs / "reference" / "fields.md").write_text(fields.replace("`completed`", "`finished`"), encoding="utf-8")
    (docs / "framework.md").write_text((DOCS / "framework.md").read_text(encoding="utf-8"), encoding="utf-8")
    # reference/checks.md is missing altogether
    result = CliRunner().invoke(cli, ["fields", "--repo", str(ROOT), "--check", str(docs)])
    assert result.exit_code == 1
    assert "fields.md: stale or missing" in result.output and "checks.md: stale or missing" in result.output
    assert "framework.md" not in result.output
    framework_stamp = (docs / "framework.md").stat().st_mtime_ns
    result = CliRunner().invoke(cli, ["fields", "--repo", str(ROOT), "--update", str(docs)])
    assert result.exit_code == 0, result.output
    for name in ("framework.md", "reference/checks.md", "reference/fields.md"):
        assert (docs / name).read_text(encoding="utf-8") == (DOCS / name).read_text(encoding="utf-8")
    assert (docs / "framework.md").stat().st_mtime_ns == framework_stamp  # a current page is not rewritten
    result = CliRunner().invoke(cli, ["fields", "--repo", str(ROOT), "--check", str(docs)])
    assert result.exit_code == 0 and "up to date" in result.output


def test_fields_without_options_prints_the_field_reference() -> None:
    result = CliRunner().invoke(cli, ["fields", "--repo", str(ROOT)])
    assert result.exit_code == 0
    assert result.output == (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")


def test_every_setting_and_rule_is_documented() -> None:
    fields = (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")
    checks = (DOCS / "reference" / "checks.md").read_text(encoding="utf-8")
    settings = _schema("settings.schema.json")
    missing = [f"`{key}`" for key in settings["properties"] if f"`{key}`" not in fields]
    missing += [f"`{rule}`" for rule in RULES if f"`{rule}`" not in checks]
    assert not missing


def test_every_rule_cites_a_known_r_number() -> None:
    for rule in RULES.values():
        assert rule.cites == "" or re.fullmatch(r"R([1-9]|1[0-9]|2[0-2])", rule.cites), rule


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(cli.commands[command].help or "") > 30
