"""Property tests: no input, however broken, makes `validate` raise (issue 2: "never a traceback")."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehqa.checker import Checker, ValidateOptions
from ehqa.load.strict_yaml import YamlProblem, load_file, parse
from ehqa.reporting import locate_all

FIXTURE = Path(__file__).parent / "fixtures" / "service"
AS_OF = date(2026, 11, 26)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2026-02-30", "2026-11-03", "03/11/2026", "no", "0412345", "9100001", "good", "EH0001", ""]),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_parse_refuses_or_reads_any_bytes(data: bytes) -> None:
    try:
        parse(data)
    except YamlProblem as problem:
        assert problem.rule.startswith(("YAML-", "FILE-")) and problem.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#?,\n 0123yesno")), max_size=200))
def test_parse_refuses_or_reads_yaml_like_text(text: str) -> None:
    try:
        parse(text.encode())
    except YamlProblem as problem:
        assert problem.rule.startswith("YAML-")


@pytest.fixture(scope="module")
def service_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("service")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return root


KINDS = ["qa.yaml", "staff.yaml", "cycle", "allocation", "audit", "worker"]


def _a_file(root: Path, kind: str) -> Path:
    """One data file of the kind, from the sample service."""
    if kind.endswith(".yaml"):
        return root / kind
    candidates = {
        "cycle": [p for p in sorted(root.glob("cycles/*.yaml")) if ".allocation." not in p.name],
        "allocation": sorted(root.glob("cycles/*.allocation.yaml")),
        "audit": [p for p in sorted(root.glob("audits/*/*.yaml")) if not p.name.endswith(".worker.yaml")],
        "worker": sorted(root.glob("audits/*/*.worker.yaml")),
    }[kind]
    return candidates[-1]


def _validate(root: Path) -> None:
    checker = Checker(ValidateOptions(root=root, as_of=AS_OF), out=io.StringIO())
    findings, _ = checker.findings()
    for located in locate_all(root, findings):
        assert located.line >= 1 and located.finding.rule and located.finding.message


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=values)
def test_validate_never_raises_on_arbitrary_documents(service_copy: Path, kind: str, document) -> None:
    target = _a_file(service_copy, kind)
    original = target.read_bytes()
    try:
        target.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        _validate(service_copy)
    finally:
        target.write_bytes(original)


def _mutate(document: dict, data) -> None:
    """One random change somewhere in a valid audit: delete, replace, add, or retype a value."""
    node = document
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        action = data.draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "delete":
            del node[key]
        elif action == "replace":
            node[key] = data.draw(values)
        elif isinstance(node, dict):
            node[data.draw(st.text(max_size=10))] = data.draw(values)
        else:
            node.append(data.draw(values))
        return


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validate_never_raises_on_mutated_files(service_copy: Path, kind: str, data) -> None:
    """Arbitrary mutations of valid files of every kind: the rules meet every half-valid shape."""
    target = _a_file(service_copy, kind)
    original = target.read_bytes()
    document = load_file(target)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        _mutate(document, data)
    try:
        target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        _validate(service_copy)
    finally:
        target.write_bytes(original)
