"""Property tests: no input, however broken, makes `validate` raise (issue 2: "never a traceback")."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AS_OF
from conftest import FIXTURE_SERVICE as FIXTURE
from ehqa.load.strict_yaml import YamlProblem, load_file, parse
from ehqa.reporting import locate_all
from ehqa.reporting.checker import Checker, ValidateOptions

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
def test_validate_never_raises_on_arbitrary_documents(service_copy: Path, parsed_once, kind: str, document) -> None:
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
def test_validate_never_raises_on_mutated_files(service_copy: Path, parsed_once, kind: str, data) -> None:
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


# --- YAML 1.1 and 1.2 edge cases (issue 9, item 7) ----------------------------------------------
#
# Each of these once reached a PyYAML converter that raised, or a builder that assumed the wrong
# kind of node: `x: 0b_`, `!!int foo` and `!!seq {a: 1}` made validate and check-pr exit 3 with no
# findings at all. Every one must now be data or a finding with a rule id and a line.

EDGE_VALUES = [
    # explicit tags, fitting their value or not
    "!!int foo", "!!int 12", "!!int '5'", "!!int ''", "!!int 0x", "!!int +", "!!float abc", "!!float 1.5", "!!float ..",
    "!!float 1e3", "!!bool maybe", "!!bool true", "!!bool yes", "!!bool ''", "!!str 5", "!!str 0412345", "!!null 5",
    "!!null ''", "!!null ~", "!!binary aGk=", "!!timestamp nope", "!!timestamp 2026-11-03",
    "!!timestamp 2001-12-14t21:59:43.10-05:00", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1, a: 2]",
    "!!seq {a: 1}", "!!seq x", "!!seq [1]", "!!map [1]", "!!map x", "!!map {a: 1}", "!!int [1]", "!!str {a: 1}",
    "!!merge x", "!!value x", "!foo a", "!foo [a]", "!<tag:yaml.org,2002:int> foo", "!<tag:yaml.org,2002:seq> {a: 1}",
    "!<tag:example.com,2000:x> 1", "!!python/object:os.system ls", "!!python/name:os.system ''", "! x", "!e!foo 1",
    # base prefixes, base 60, underscores
    "0b_", "0x_", "0o_", "+0b_", "-0x_", "0b", "0b101", "0b2", "0o17", "0o", "0x1F", "0xg", "-0x1f", "0123", "09", "00",
    "1:20", "190:20:30", "1:20.5", "-1:20", "1:60", "1_000", "1_000.5", "._", ".1_", "1__0", "_1",
    # floats and specials
    "1e3", "1.0e400", "-1.5e-3", ".inf", "-.inf", "+.INF", ".nan", ".NaN", ".NAN", "1.", ".5", "-.5", "1.2.3",
    # booleans, nulls, indicators
    "yes", "No", "ON", "off", "y", "n", "~", "null", "NULL", "", "=", "<<", "-", "'quoted'", '"\\x00"', '"\\ud800"',
    "|\n  a block\n", ">-\n  folded\n", "'it''s'", '"\\u2028"',
    # anchors, aliases, merge keys as values
    "*a", "*b", "[*a, *b]", "{<<: *a}", "{<<: [*a, *b]}", "{<<: 1}", "&c [*c]", "*undefined",
    # complex structures
    "{? [a]: b}", "{? {a: 1}: b}", "[a, {b: c}]", "{a: [1, 2], a: 3}",
]
EDGE_KEYS = ["x", "<<", "? [a]\n", "? {a: 1}\n", "!!int 1", "!!null ''", "1:20", "0b_", "yes", "~", "=", "'<<'",
             "!!str k", "!!binary aGk=", "? |\n  long key\n", "*a", "&k key"]
EDGE_HEADERS = ["", "---\n", "--- # comment\n", "%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "%YAML 1.3\n---\n",
                "%YAML 2.0\n---\n", "%YAML 1.1\n%YAML 1.1\n---\n", "%TAG !e! tag:example.com,2000:\n---\n",
                "%TAG !! tag:example.com,2000:\n---\n", "%FOO bar\n---\n", "\ufeff", "...\n"]
EDGE_TAILS = ["", "...\n", "---\n", "---\nb: 2\n", "...\n---\n", "...\n%YAML 1.1\n---\nc: 3\n"]
ANCHORS = "a: &a {x: 1}\nb: &b {y: 2}\n"


def _edge_document(header: str, anchors: bool, pairs: list[tuple[str, str]], tail: str) -> str:
    lines = []
    for key, value in pairs:
        if key.startswith("?"):  # an explicit key: its value goes on the next line
            lines.append(f"{key.rstrip()}\n: {value}")
        else:
            lines.append(f"{key}: {value}")
    return header + (ANCHORS if anchors else "") + "\n".join(lines) + ("\n" if lines else "") + tail


edge_documents = st.builds(
    _edge_document,
    st.sampled_from(EDGE_HEADERS),
    st.booleans(),
    st.lists(st.tuples(st.sampled_from(EDGE_KEYS), st.sampled_from(EDGE_VALUES)), min_size=0, max_size=4),
    st.sampled_from(EDGE_TAILS),
)


def _refused_properly(data: bytes) -> None:
    """parse returns plain data or raises YamlProblem with a catalogue rule and a real position."""
    from ehqa.framework.checks import RULES

    try:
        parse(data)
    except YamlProblem as problem:
        assert problem.rule in RULES and problem.line >= 1 and problem.column >= 1 and problem.message


@pytest.mark.parametrize("value", EDGE_VALUES)
@pytest.mark.parametrize("header", ["", "%YAML 1.1\n---\n" + ANCHORS])
def test_every_edge_value_parses_or_is_refused(value: str, header: str) -> None:
    for text in (f"{header}x: {value}\n", f"{header}- {value}\n", f"{header}? {value}\n: 1\n"):
        _refused_properly(text.encode())


@pytest.mark.parametrize(("text", "rule"), [
    ("x: 0b_\n", "YAML-NUMBER"), ("x: !!int foo\n", "YAML-TAG-MISMATCH"), ("x: !!seq {a: 1}\n", "YAML-TAG-MISMATCH"),
    ("x: !!map [1]\n", "YAML-TAG-MISMATCH"), ("x: !!null 5\n", "YAML-TAG-MISMATCH"), ("x: 1:20\n", "YAML-NUMBER"),
    ("x: 1_000\n", "YAML-NUMBER"), ("x: 0o17\n", "YAML-NUMBER"), ("x: 0b101\n", "YAML-NUMBER"),
    ("x: !!float ._\n", "YAML-TAG-MISMATCH"), ("x: !<tag:yaml.org,2002:int> foo\n", "YAML-TAG-MISMATCH"),
    ("%YAML 1.3\n---\nx: 1\n", "YAML-SYNTAX"), ("x: !!binary aGk=\n", "YAML-UNSAFE-TAG"),
])
def test_the_issue_cases_are_findings(text: str, rule: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text.encode())
    assert caught.value.rule == rule and caught.value.line >= 1


@settings(max_examples=400, deadline=None)
@given(edge_documents)
def test_parse_refuses_or_reads_yaml_edge_cases(text: str) -> None:
    _refused_properly(text.encode())


@settings(max_examples=200, deadline=None)
@given(edge_documents, st.sampled_from(["modified", "added"]))
def test_check_pr_parse_path_never_raises(text: str, status: str) -> None:
    """check-pr reads each side of a change with the same parser; a side that cannot be read is Unreadable."""
    from ehqa.load.git_history import FileChange
    from ehqa.reporting.check_pr import parsed_change as _parsed
    from ehqa.rules.changes import Unreadable

    data = text.encode()
    old = data if status == "modified" else None
    change = _parsed(FileChange("audits/2026-11/9183570.yaml", old, data, len(data), len(data), "100644", "100644"),
                     None)
    for side in (change.new, change.old):
        assert side is None or isinstance(side, (Unreadable, dict, list, str, int, float, bool))


@pytest.fixture(scope="session")
def validate_json(ehqa):
    """`ehqa validate --format json` as CI runs it: exit 0 or 1, parseable JSON, never a traceback."""
    from ehqa.framework.checks import RULES

    def validate_json(root: Path) -> dict:
        result = ehqa("validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json")
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1) and "Traceback" not in result.output
        report = json.loads(result.output)
        assert report["ok"] is (result.exit_code == 0)
        for error in report["errors"]:
            assert error["rule"] in RULES and error["line"] >= 1 and error["column"] >= 1
        return report

    return validate_json


@pytest.mark.parametrize("kind", ["audit", "qa.yaml"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=edge_documents)
def test_validate_reports_yaml_edge_cases_as_findings(service_copy: Path, kind: str, text: str, validate_json) -> None:
    target = _a_file(service_copy, kind)
    original = target.read_bytes()
    try:
        target.write_text(text, encoding="utf-8")
        report = validate_json(service_copy)
        relative = target.relative_to(service_copy).as_posix()
        assert relative in {error["file"] for error in report["errors"]}  # none of these is a valid file
    finally:
        target.write_bytes(original)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_validate_reports_random_bytes_as_findings(service_copy: Path, data: bytes, validate_json) -> None:
    target = _a_file(service_copy, "audit")
    original = target.read_bytes()
    try:
        target.write_bytes(data)
        validate_json(service_copy)
    finally:
        target.write_bytes(original)


def test_one_broken_file_hides_no_other_finding(tmp_path: Path, validate_json) -> None:
    """The three inputs from the issue, each in its own file, beside an ordinary mistake elsewhere."""
    service_copy = tmp_path / "service"
    shutil.copytree(FIXTURE, service_copy)
    audits = sorted(p for p in service_copy.glob("audits/2026-1*/*.yaml") if not p.name.endswith(".worker.yaml"))
    for path, text in zip(audits, ["x: 0b_\n", "x: !!int foo\n", "x: !!seq {a: 1}\n"]):
        path.write_text(text, encoding="utf-8")
    staff = service_copy / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("github: aevans-eh", "github: bcole-eh"), encoding="utf-8")
    report = validate_json(service_copy)
    found = {(error["file"], error["rule"]) for error in report["errors"]}
    assert {(audits[0].relative_to(service_copy).as_posix(), "YAML-NUMBER"),
            (audits[1].relative_to(service_copy).as_posix(), "YAML-TAG-MISMATCH"),
            (audits[2].relative_to(service_copy).as_posix(), "YAML-TAG-MISMATCH"),
            ("staff.yaml", "STAFF-DUPLICATE")} <= found
