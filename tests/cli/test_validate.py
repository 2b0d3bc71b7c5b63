"""`ehqa validate` on the command line: its formats (text, json, and github with the step summary),
its exit codes, PATHS, the real entry point in a process of its own; an excerpt the learning site would
publish, refused at its position and never quoted (R21; issue 9, item 4); and a schema that refers
outside itself, refused with nothing fetched (issue 9).

What each check finds is tested through the examples (tests/examples/test_examples.py); entries under
audits/ and cycles/ that nothing reads, in testvalidate_layout.py.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES, FIXTURE_SERVICE, ROOT
from example_files import Example, install, read_example

# Every data file of the sample service (its schemas are not data files).
FIXTURE_FILES = sum(1 for p in FIXTURE_SERVICE.rglob("*.yaml") if "schemas" not in p.relative_to(FIXTURE_SERVICE).parts)


# --- formats, exit codes, PATHS -------------------------------------------------------------------

NEGATIVE_FOR_CLI = EXAMPLES / "negative" / "audit-evidence-placeholder-na.yaml"


@pytest.fixture
def run(ehqa):
    """The command as CI runs it: never a traceback, and an exception inside ehqa fails the test."""

    def run(args: list[str], env: dict[str, str] | None = None):
        result = ehqa(*args, env=env, catch_exceptions=False)
        assert "Traceback" not in result.output
        return result

    return run


def _broken_copy(service_copy: Path) -> tuple[Path, Example]:
    example = read_example(NEGATIVE_FOR_CLI)
    install(example, service_copy)
    return service_copy, example


def test_cli_json_reports_errors_and_exits_1(service_copy: Path, run):
    root, example = _broken_copy(service_copy)
    result = run(["validate", "--repo", str(root), "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["files"] == FIXTURE_FILES
    assert report["errors"], report
    for error in report["errors"]:
        assert set(error) == {"file", "line", "column", "rule", "message"}
    expect = example.expects[0]
    assert {"file": example.target, "line": expect.line, "rule": expect.rule} in [
        {k: e[k] for k in ("file", "line", "rule")} for e in report["errors"]
    ]


def test_cli_json_on_the_fixture_exits_0(fixture_service: Path, run):
    result = run(["validate", "--repo", str(fixture_service), "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"ok": True, "files": FIXTURE_FILES, "errors": []}


def test_cli_text_on_the_fixture(fixture_service: Path, run):
    result = run(["validate", "--repo", str(fixture_service), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert result.output == f"ok: {FIXTURE_FILES} files valid\n"


def test_cli_text_format(service_copy: Path, run):
    root, example = _broken_copy(service_copy)
    result = run(["validate", "--repo", str(root), "--as-of", AS_OF, "--format", "text"])
    assert result.exit_code == 1
    expect = example.expects[0]
    line = next(l for l in result.output.splitlines() if l.startswith(f"{example.target}:{expect.line}:"))
    assert re.fullmatch(rf"{re.escape(example.target)}:{expect.line}:[0-9]+: error\[{expect.rule}\]: .+", line), line
    assert expect.text in line
    assert result.output.splitlines()[-1] == f"invalid: 1 error in 1 of {FIXTURE_FILES} files"


def test_cli_github_format_and_step_summary(service_copy: Path, tmp_path: Path, run):
    root, example = _broken_copy(service_copy)
    summary = tmp_path / "step-summary.md"
    result = run(
        ["validate", "--repo", str(root), "--as-of", AS_OF, "--format", "github"],
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 1
    expect = example.expects[0]
    annotations = [l for l in result.output.splitlines() if l.startswith("::error ")]
    assert annotations, result.output
    assert any(
        l.startswith(f"::error file={example.target},line={expect.line},col=") and f"title={expect.rule}::" in l
        for l in annotations
    ), annotations
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("## ehqa validate")
    assert "| file | line | rule | message |" in table
    assert f"| `{example.target}` | {expect.line} | `{expect.rule}` |" in table


def test_cli_github_format_without_summary_file(fixture_service: Path, monkeypatch, run):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run(["validate", "--repo", str(fixture_service), "--as-of", AS_OF, "--format", "github"])
    assert result.exit_code == 0
    assert "::error" not in result.output


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "26/11/2026", "tomorrow"])
def test_cli_bad_as_of_is_a_usage_error(fixture_service: Path, bad: str, ehqa):
    result = ehqa("validate", "--repo", str(fixture_service), "--as-of", bad)
    assert result.exit_code == 2
    assert "is not a real date written YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_paths_limit_the_report(service_copy: Path, run):
    """With PATHS, only findings in those files are reported; the rest of the repository is still read."""
    root, example = _broken_copy(service_copy)
    elsewhere = run(["validate", "--repo", str(root), "--as-of", AS_OF, str(root / "cycles")])
    assert elsewhere.exit_code == 0, elsewhere.output
    here = run(["validate", "--repo", str(root), "--as-of", AS_OF, str(root / example.target)])
    assert here.exit_code == 1


def test_cli_as_a_process_prints_no_traceback(service_copy: Path):
    """The real entry point, in a subprocess: an undecodable file is an error message, not a crash."""
    example = read_example(EXAMPLES / "negative" / "yaml-encoding-stray-ff-byte.yaml")
    install(example, service_copy)
    process = subprocess.run(
        [sys.executable, "-m", "ehqa", "validate", "--repo", str(service_copy), "--as-of", str(AS_OF)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 1, process.stderr
    assert "error[YAML-ENCODING]" in process.stdout
    assert "Traceback" not in process.stdout + process.stderr


# --- ehqa validate: the excerpt is checked when it is written -----------------------------------

PLANTED = {  # what is planted in an excerpt of the sample service -> the rule that refuses it
    "Olivia": "PRIVACY-CHILD-NAME",
    "aged 7": "PRIVACY-AGE",
    "born 3 May 2015": "PRIVACY-BIRTH-DATE",
    "LS6 2QT": "PRIVACY-POSTCODE",
    "12 Acacia Avenue": "PRIVACY-ADDRESS",
    "Northgate Estate": "PRIVACY-NEVER-PUBLISH",
    "916 6102": "PRIVACY-CASE-REFERENCE",  # another case of the repository (this file names its own)
    "Ms Evans": "PRIVACY-STAFF",
}
EXCERPT = "  excerpt: A safety plan written with a child, in their words, is one the child can actually use.\n"
AUDIT = "audits/2026-10/9160347.yaml"


def _plant(root, value: str) -> str:
    """Plant ``value`` in an excerpt of the copied sample service; its 1-based character there."""
    qa = root / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace(
        "publication:\n  min_team_audits: 5\n", "publication:\n  min_team_audits: 5\n  never_publish: [Northgate Estate]\n"),
        encoding="utf-8")
    audit = root / AUDIT
    text = audit.read_text(encoding="utf-8")
    assert EXCERPT in text
    excerpt = f"We met the family near {value}; a plan written with a child is one the child can use."
    audit.write_text(text.replace(EXCERPT, f"  excerpt: {excerpt}\n"), encoding="utf-8")
    return str(excerpt.index(value) + 1)


@pytest.fixture
def validate(ehqa):
    """`ehqa validate` on a repository as of the fixed today; an exception inside ehqa fails the test."""

    def validate(root, *options: str, env: dict | None = None):
        return ehqa("validate", "--repo", str(root), "--as-of", AS_OF, *options, env=env, catch_exceptions=False)

    return validate


@pytest.mark.parametrize(("value", "rule"), list(PLANTED.items()), ids=list(PLANTED.values()))
@pytest.mark.rule("R21")
def testvalidate_refuses_the_excerpt_with_its_position_and_never_its_value(service_copy, tmp_path, value, rule,
                                                                         validate):
    character = _plant(service_copy, value)
    lines = (service_copy / AUDIT).read_text().splitlines()
    line = 1 + next(i for i, l in enumerate(lines) if "excerpt:" in l)
    column = lines[line - 1].index("excerpt: ") + len("excerpt: ") + 1  # where the excerpt's value starts
    secret = re.compile(re.escape(value).replace("\\ ", r"\s*"), re.I)

    text = validate(service_copy)
    assert text.exit_code == 1, text.output
    assert re.search(rf"^{re.escape(AUDIT)}:{line}:{column}: error\[{rule}\]: learning\.excerpt is published on the "
                     rf"learning site, and at character {character} it holds .+ \(R21\)$", text.output, re.M), text.output

    as_json = validate(service_copy, "--format", "json")
    errors = json.loads(as_json.output)["errors"]
    assert [(e["file"], e["line"], e["column"], e["rule"]) for e in errors] == [(AUDIT, line, column, rule)]
    assert f"at character {character}" in errors[0]["message"]

    summary = tmp_path / "summary.md"
    github = validate(service_copy, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert f"::error file={AUDIT},line={line},col={column},title={rule}::" in github.output

    for output in (text.output, as_json.output, github.output, summary.read_text(encoding="utf-8")):
        assert not secret.search(output), output  # never the value: the annotations may be public


def testvalidate_passes_the_sample_service_and_the_demo(fixture_service, validate) -> None:
    for root in (fixture_service, ROOT):
        result = validate(root)
        assert result.exit_code == 0, result.output


# --- a schema is data too (issue 9) --------------------------------------------------------------
#
# A pull request may change a schema, and the gate validates with what it reads: a reference outside
# the schema file is refused, and nothing is ever fetched.


def _listener() -> tuple[socket.socket, list[int]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(5)
    hits: list[int] = []

    def serve() -> None:
        try:
            while True:
                connection, _ = server.accept()
                hits.append(1)
                connection.close()
        except OSError:
            return

    threading.Thread(target=serve, daemon=True).start()
    return server, hits


def test_a_schema_that_refers_to_a_url_is_refused_and_nothing_is_fetched(tmp_path: Path, ehqa) -> None:
    repo = tmp_path / "service"
    shutil.copytree(FIXTURE_SERVICE, repo)
    server, hits = _listener()
    try:
        port = server.getsockname()[1]
        path = repo / "schemas" / "audit.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["properties"]["case"] = {"$ref": f"http://127.0.0.1:{port}/case.schema.json"}
        path.write_text(json.dumps(schema), encoding="utf-8")
        result = ehqa("validate", "--repo", str(repo), "--as-of", AS_OF)
    finally:
        server.close()
    assert result.exit_code == 2, result.output
    assert "refers outside itself" in result.output and "audit.schema.json" in result.output
    assert "Traceback" not in result.output
    assert hits == []
