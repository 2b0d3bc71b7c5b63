"""The framework, R1–R22 as data (ehqa.framework): in order, each in a stage; every check cites a rule of it,
every R-number anywhere in the code, schemas and pages exists in it, and the generated framework page
anchors each rule once with its checks and follow-ups under it."""

from __future__ import annotations

import ast
import re

from conftest import ROOT
from ehqa.cli import cli
from ehqa.framework import checks
from ehqa.framework.checks import OWNERSHIP_RULES, RULES
from ehqa.framework.rules import BY_NUMBER, FRAMEWORK, STAGES
from ehqa.repo_files.reference import COMMANDS, FOLLOW_UP_KINDS, all_checks

SCHEMAS = ROOT / "schemas"
DOCS = ROOT / "docs"


def test_every_rule_cites_a_known_r_number() -> None:
    for rule in RULES.values():
        assert rule.cites == "" or re.fullmatch(r"R([1-9]|1[0-9]|2[0-2])", rule.cites), rule


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
    """(R-number, closing field) of every ``_Due(...)`` in rules/obligations.py, its R-number from the
    kind it names (``kinds.SAFETY_CONCERN_TOLD``); an f-string's placeholders read as ``[]``
    (``smart_actions[{index}].done`` -> ``smart_actions[].done``)."""
    tree = ast.parse((ROOT / "tools" / "ehqa" / "rules" / "obligations.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_Due":
            kind, closed_by = node.args[0], node.args[5]
            assert isinstance(kind, ast.Attribute) and ast.unparse(kind.value) == "kinds", ast.unparse(node)
            rule = getattr(checks, kind.attr).rule
            assert getattr(checks, kind.attr) in checks.FOLLOW_UP_KINDS, kind.attr
            if isinstance(closed_by, ast.Call):  # R13: the audit's own file, layout.audit_path(cycle_id, case)
                text = ast.unparse(closed_by)
            elif isinstance(closed_by, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "" for v in closed_by.values)
            elif isinstance(closed_by, ast.BinOp):  # "an audit with reaudit_of: " + audit.key
                text = closed_by.left.value
            else:
                text = closed_by.value
            found.add((rule, text))
    return found


def test_follow_up_kinds_are_the_obligations_the_code_creates() -> None:
    kinds = _obligation_kinds()
    assert {rule for rule, _ in kinds} == {kind.rule for kind in FOLLOW_UP_KINDS}
    documented = {rule: " ".join(k.closed_by for k in FOLLOW_UP_KINDS if k.rule == rule)
                  for rule in {k.rule for k in FOLLOW_UP_KINDS}}
    for rule, field in kinds:
        if field == "layout.audit_path(cycle_id, case)":  # R13: the audit's own file
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


