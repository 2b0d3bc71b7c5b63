"""The schemas are the field documentation, and the handbook's generated pages carry them: both must stay true."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ehqa.cli import cli
from ehqa.framework.checks import RULES
from ehqa.framework.rules import BY_NUMBER, FRAMEWORK, STAGES
from ehqa.load.schema_check import SCHEMA_FILES
from ehqa.repo_files.reference import COMMANDS, FOLLOW_UP_KINDS, all_checks, generated_docs, read_schemas
from ehqa.rules.ownership import OWNERSHIP_RULES

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


def test_a_broken_schema_is_named_not_a_traceback(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SCHEMAS, repo / "schemas")
    (repo / "schemas" / "cycle.schema.json").write_text('{"title": \n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["fields", "--repo", str(repo), "--check", str(tmp_path / "docs")])
    assert result.exit_code == 2 and "cycle.schema.json: Expecting value: line 2" in result.output


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


# --- the framework R1–R22, and every R-number resolving to it ------------------------------------

R_NUMBER = re.compile(r"\bR([0-9]+)\b")


def _unknown_r_numbers(text: str) -> set[str]:
    return {f"R{n}" for n in R_NUMBER.findall(text)} - set(BY_NUMBER)


def test_the_framework_is_r1_to_r22_in_order_each_in_a_stage() -> None:
    assert [rule.number for rule in FRAMEWORK] == [f"R{n}" for n in range(1, 23)]
    for rule in FRAMEWORK:
        assert rule.stage in STAGES, rule
        assert rule.title and rule.section[0].isdigit(), rule
        assert rule.statement.endswith(".") and len(rule.statement.split()) >= 10, rule
    assert [r.stage for r in FRAMEWORK] == sorted((r.stage for r in FRAMEWORK), key=STAGES.index), "stages in order"


def test_every_r_number_in_the_code_schemas_and_pages_exists_in_the_framework() -> None:
    assert _unknown_r_numbers("escalated (R17); see R23 and R0") == {"R23", "R0"}  # the scan itself finds them
    sources = [*(ROOT / "tools" / "ehqa").rglob("*.py"), *SCHEMAS.glob("*.json"),
               *(ROOT / "site_templates").rglob("*.j2"), *(ROOT / ".github").rglob("*.*"),
               ROOT / "qa.yaml", ROOT / "README.md", *DOCS.rglob("*.md")]
    unknown = {str(path.relative_to(ROOT)): found for path in sources
               if (found := _unknown_r_numbers(path.read_text(encoding="utf-8")))}
    assert not unknown
    cited = {rule.cites for rule in RULES.values() if rule.cites} | {cites for cites, _ in OWNERSHIP_RULES.values()}
    cited |= {kind.rule for kind in FOLLOW_UP_KINDS} | set(COMMANDS)
    assert cited <= set(BY_NUMBER), cited - set(BY_NUMBER)


def _obligation_kinds() -> set[tuple[str, str]]:
    """(R-number, closing field) of every ``_Due(...)`` in rules/obligations.py; an f-string's
    placeholders read as ``[]`` (``smart_actions[{index}].done`` -> ``smart_actions[].done``)."""
    tree = ast.parse((ROOT / "tools" / "ehqa" / "rules" / "obligations.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_Due":
            rule, closed_by = node.args[0], node.args[5]
            assert isinstance(rule, ast.Constant), ast.unparse(node)
            if isinstance(closed_by, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "" for v in closed_by.values)
            elif isinstance(closed_by, ast.BinOp):  # "an audit with reaudit_of: " + audit.key
                text = closed_by.left.value
            else:
                text = closed_by.value
            found.add((rule.value, text))
    return found


def test_follow_up_kinds_are_the_obligations_the_code_creates() -> None:
    kinds = _obligation_kinds()
    assert {rule for rule, _ in kinds} == {kind.rule for kind in FOLLOW_UP_KINDS}
    documented = {rule: " ".join(k.closed_by for k in FOLLOW_UP_KINDS if k.rule == rule)
                  for rule in {k.rule for k in FOLLOW_UP_KINDS}}
    for rule, field in kinds:
        if field == "audits//.yaml":  # R13: the audit's own file, f"audits/{cycle_id}/{case}.yaml"
            field = "audits/YYYY-MM/<case-ref>.yaml"
        field = field.removeprefix("an audit with ").removesuffix(": ")  # R18: "an audit with reaudit_of: " + key
        assert f"`{field}" in documented[rule], (rule, field)


def _command(path: str):
    command = cli
    for word in path.split()[1:]:
        command = command.commands[word]
    return command


def test_every_command_the_framework_page_names_exists() -> None:
    for rule, commands in COMMANDS.items():
        for name in commands:
            assert _command(name).help, (rule, name)


def _sections_by_rule(page: str) -> dict[str, str]:
    parts = re.split(r'<a id="(r[0-9]+)"></a>', page)
    return {parts[i].upper(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_framework_page_anchors_each_rule_once_and_lists_its_checks_under_it() -> None:
    page = (DOCS / "framework.md").read_text(encoding="utf-8")
    sections = _sections_by_rule(page)
    assert list(sections) == [rule.number for rule in FRAMEWORK]
    for rule in FRAMEWORK:
        assert page.count(f'<a id="{rule.number.lower()}"></a>') == 1
        assert f"### {rule.number}. {rule.title}" in sections[rule.number]
    for check in all_checks():
        if check.cites:
            assert f"`{check.id}`" in sections[check.cites], check
    for kind in FOLLOW_UP_KINDS:
        assert kind.obligation in sections[kind.rule], kind


def test_every_r_number_link_in_the_check_reference_resolves() -> None:
    page = (DOCS / "reference" / "checks.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="(r[0-9]+)"></a>', (DOCS / "framework.md").read_text(encoding="utf-8")))
    links = re.findall(r"\]\(\.\./framework\.md#(r[0-9]+)\)", page)
    assert len(links) == sum(1 for check in all_checks() if check.cites) + len(FOLLOW_UP_KINDS)
    assert set(links) <= anchors


def test_the_help_points_at_the_framework_page() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "docs/framework.md" in result.output and "DOMAIN" not in result.output
