"""The sample service, and the examples that break it one way at a time.

tests/fixtures/service is a small, hand-written, fully valid QA repository.
tests/examples/negative/*.yaml each break it in exactly one way; tests/examples/positive/*.yaml
each change it in a way that must stay valid. Every example starts with header comments:

    # target: audits/2026-10/9160347.yaml
    # expect: AUDIT-EVIDENCE 17 domain 'planning': the evidence has
    # also: cycles/2026-10.allocation.yaml ALLOC-UNAVAILABLE -- why this follows

``target`` is where, in a copy of the sample service, the example's whole content (header
included, byte for byte) is written, replacing or adding that file. Each ``expect`` line is a
rule id, the 1-based line it must be reported on (the header lines count), and a piece of the
message. Every finding must be explained: by an ``expect`` line, or, when a mistake in one file
necessarily shows up in another, by an ``also`` line naming that file and rule. Positive
examples have no ``expect`` lines and must produce no findings at all.

A few failure modes cannot be written as an example file (a file too large to keep in Git, a
missing qa.yaml, a file that cannot be read, a symbolic link); they are generated in code below. Together, the
examples and the generated cases exercise every rule in the catalogue.
"""

from __future__ import annotations

import filecmp
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ehqa.cli import cli
from ehqa.framework.checks import RULES
from ehqa.reporting import Located, locate_all
from ehqa.reporting.checker import Checker, ValidateOptions

TESTS = Path(__file__).resolve().parent
FIXTURE_SERVICE = TESTS / "fixtures" / "service"
EXAMPLES = TESTS / "examples"
REPO = TESTS.parent
AS_OF = date(2026, 11, 26)  # the day of the November QA meeting; never date.today()
NEGATIVE = sorted((EXAMPLES / "negative").glob("*.yaml"))
POSITIVE = sorted((EXAMPLES / "positive").glob("*.yaml"))

# Every data file of the sample service (its schemas are not data files).
FIXTURE_FILES = sum(1 for p in FIXTURE_SERVICE.rglob("*.yaml") if "schemas" not in p.relative_to(FIXTURE_SERVICE).parts)

# Rules exercised in code rather than by an example file (see the tests at the end).
GENERATED_RULES = {"YAML-TOO-LARGE", "FILE-MISSING", "FILE-UNREADABLE", "FILE-SYMLINK"}


# --- reading an example's header --------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    rule: str
    line: int
    text: str


@dataclass(frozen=True)
class Also:
    file: str
    rule: str


@dataclass(frozen=True)
class Example:
    path: Path
    data: bytes
    target: str
    expects: tuple[Expect, ...]
    also: tuple[Also, ...]


_EXPECT = re.compile(r"(?P<rule>[A-Z][A-Z0-9-]+) (?P<line>[0-9]+) (?P<text>.+)")
_ALSO = re.compile(r"(?P<file>\S+) (?P<rule>[A-Z][A-Z0-9-]+)(?: -- .*)?")


def read_example(path: Path) -> Example:
    """The example's bytes and its header. The header is ASCII; the rest may be anything."""
    data = path.read_bytes()
    target, expects, also = None, [], []
    for raw in data.removeprefix(b"\xef\xbb\xbf").splitlines():
        line = raw.decode("ascii", errors="replace").rstrip("\r")
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if key == "target":
            target = value
        elif key == "expect":
            match = _EXPECT.fullmatch(value)
            assert match, f"{path.name}: cannot read the expect line {line!r}"
            expects.append(Expect(match["rule"], int(match["line"]), match["text"]))
        elif key == "also":
            match = _ALSO.fullmatch(value)
            assert match, f"{path.name}: cannot read the also line {line!r}"
            also.append(Also(match["file"], match["rule"]))
    assert target, f"{path.name}: the header has no '# target:' line"
    return Example(path, data, target, tuple(expects), tuple(also))


def check(root: Path) -> list[Located]:
    """Every finding for a service, located, exactly as `ehqa validate` reports them."""
    checker = Checker(ValidateOptions(root=root, as_of=AS_OF), out=io.StringIO())
    findings, _files = checker.findings()
    return locate_all(root, findings)


def install(example: Example, root: Path) -> None:
    target = root / example.target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(example.data)


def describe(located: list[Located]) -> str:
    return "\n".join(
        f"  {i.finding.file}:{i.line}:{i.column}: {i.finding.rule}: {i.finding.message}" for i in located
    ) or "  (no findings)"


# --- the sample service -----------------------------------------------------------------


def test_fixture_service_is_valid(fixture_service):
    located = check(fixture_service)
    assert located == [], "the sample service must validate cleanly:\n" + describe(located)


def test_fixture_schemas_are_a_copy_of_the_project_schemas():
    """The sample service carries its own schemas/ folder, as a real QA repository does; keep it in step."""
    ours, theirs = FIXTURE_SERVICE / "schemas", REPO / "schemas"
    names = sorted(p.name for p in theirs.glob("*.schema.json"))
    assert names, "no schemas found in the project"
    assert sorted(p.name for p in ours.glob("*.schema.json")) == names
    _same, different, errors = filecmp.cmpfiles(ours, theirs, names, shallow=False)
    assert not different and not errors, (
        f"tests/fixtures/service/schemas differs from schemas/ in {different + errors}; "
        "copy schemas/*.schema.json into tests/fixtures/service/schemas/"
    )


def test_every_fixture_file_names_its_schema(fixture_service):
    """Editors validate as people type because each file's first line names its schema."""
    for path in sorted(fixture_service.rglob("*.yaml")):
        relative = path.relative_to(fixture_service)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{relative} does not start with the yaml-language-server line"
        assert (path.parent / match[1]).resolve().is_file(), f"{relative}: {match[1]} does not exist"


# --- negative examples ------------------------------------------------------------------


@pytest.mark.parametrize("path", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative_example(path: Path, service_copy: Path):
    example = read_example(path)
    assert example.expects, f"{path.name}: a negative example needs at least one '# expect:' line"
    install(example, service_copy)
    located = check(service_copy)
    report = describe(located)

    for expect in example.expects:
        assert any(
            item.finding.rule == expect.rule
            and item.finding.file == example.target
            and item.line == expect.line
            and expect.text in item.finding.message
            for item in located
        ), f"{path.name}: expected {expect.rule} on line {expect.line} saying {expect.text!r}; got\n{report}"

    for item in located:
        f = item.finding
        if f.file == example.target:
            explained = any(e.rule == f.rule and e.line == item.line for e in example.expects)
        else:
            explained = any(a.file == f.file and a.rule == f.rule for a in example.also)
        assert explained, f"{path.name}: a finding the header does not expect:\n{report}"


# --- positive examples ------------------------------------------------------------------


@pytest.mark.parametrize("path", POSITIVE, ids=[p.name for p in POSITIVE])
def test_positive_example(path: Path, service_copy: Path):
    example = read_example(path)
    assert not example.expects, f"{path.name}: a positive example expects no findings"
    install(example, service_copy)
    located = check(service_copy)
    assert located == [], f"{path.name} must stay valid; got\n{describe(located)}"


def test_examples_exist():
    assert 60 <= len(NEGATIVE) and 10 <= len(POSITIVE)


def test_examples_are_distinct():
    """One file per failure mode: no two examples write the same content to the same file."""
    seen: dict[tuple[str, bytes], str] = {}
    for path in NEGATIVE + POSITIVE:
        example = read_example(path)
        start = example.data.find(b"# yaml-language-server:")  # the file as it would be, without the header
        key = (example.target, example.data[max(start, 0):])
        assert key not in seen, f"{path.name} makes the same change as {seen[key]}"
        seen[key] = path.name


def test_every_rule_is_exercised():
    """Each rule in the catalogue has a test that fails without that rule: an example or a generated case."""
    exercised = set(GENERATED_RULES)
    for path in NEGATIVE:
        exercised |= {e.rule for e in read_example(path).expects}
    unknown = exercised - set(RULES)
    assert not unknown, f"examples expect rules that are not in the catalogue: {sorted(unknown)}"
    missing = set(RULES) - exercised
    assert not missing, f"rules with no negative example: {sorted(missing)}"


# --- failure modes generated in code ----------------------------------------------------


def _only(located: list[Located], rule: str, file: str) -> Located:
    assert [(i.finding.rule, i.finding.file) for i in located] == [(rule, file)], describe(located)
    return located[0]


def test_generated_file_too_large(service_copy: Path):
    """A 300 KB audit is refused unread (validation.max_file_bytes defaults to 256 KiB)."""
    target = service_copy / "audits/2026-11/9197031.yaml"
    original = target.read_bytes()
    padding = b"# padding to push the file over the size cap\n" * (300_000 // 45)
    target.write_bytes(original + padding)
    assert target.stat().st_size > 300_000
    item = _only(check(service_copy), "YAML-TOO-LARGE", "audits/2026-11/9197031.yaml")
    assert item.line == 1 and "data files are limited to 262,144 bytes" in item.finding.message


def test_generated_file_too_large_follows_the_setting(service_copy: Path):
    """qa.yaml's validation.max_file_bytes lowers the cap for every file read after it."""
    qa = service_copy / "qa.yaml"
    qa.write_text(
        qa.read_text(encoding="utf-8").replace("  min_evidence_words: 8\n", "  min_evidence_words: 8\n  max_file_bytes: 2048\n"),
        encoding="utf-8",
    )
    located = check(service_copy)
    assert located and {i.finding.rule for i in located} == {"YAML-TOO-LARGE"}, describe(located)
    assert "qa.yaml" not in {i.finding.file for i in located}


def test_generated_settings_file_missing(service_copy: Path):
    (service_copy / "qa.yaml").unlink()
    item = _only(check(service_copy), "FILE-MISSING", "qa.yaml")
    assert item.line == 1 and "needs qa.yaml" in item.finding.message


def test_generated_staff_file_missing(service_copy: Path):
    (service_copy / "staff.yaml").unlink()
    item = _only(check(service_copy), "FILE-MISSING", "staff.yaml")
    assert "needs staff.yaml" in item.finding.message


def test_generated_file_unreadable(service_copy: Path, monkeypatch):
    """A file that exists but cannot be read (permissions, a network drive that went away).

    Root can read any file whatever its mode, so the read itself is made to fail.
    """
    target = service_copy / "cycles/2026-09.yaml"
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    item = _only(check(service_copy), "FILE-UNREADABLE", "cycles/2026-09.yaml")
    assert "Permission denied" in item.finding.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_generated_file_unreadable_by_mode(service_copy: Path):
    target = service_copy / "cycles/2026-09.yaml"
    target.chmod(0)
    try:
        _only(check(service_copy), "FILE-UNREADABLE", "cycles/2026-09.yaml")
    finally:
        target.chmod(0o644)


def test_generated_symbolic_link(service_copy: Path):
    """An audit made a symbolic link to a second copy: the link is reported and never read (issue 9)."""
    target = service_copy / "audits/2026-11/9183570.yaml"
    target.rename(service_copy / "audits/2026-11/9183570.yaml.orig")
    target.symlink_to("9183570.yaml.orig")
    located = check(service_copy)
    assert {(i.finding.rule, i.finding.file) for i in located} == {
        ("FILE-SYMLINK", "audits/2026-11/9183570.yaml"),
        ("FILE-UNKNOWN", "audits/2026-11/9183570.yaml.orig"),
    }, describe(located)
    item = next(i for i in located if i.finding.rule == "FILE-SYMLINK")
    assert item.line == 1 and "symbolic link" in item.finding.message and item.finding.message.endswith("(R4)")


def test_generated_file_unreadable_by_an_internal_error(service_copy: Path, monkeypatch):
    """A bug in ehqa while reading one file is a finding on that file; every other file is still checked."""
    import ehqa.load.repository as repository

    broken = "cycles/2026-09.yaml"
    real = repository.load_file

    def load_file(path: Path, max_bytes: int):
        if path == service_copy / broken:
            raise ValueError("a converter that was handed what it cannot convert")
        return real(path, max_bytes)

    monkeypatch.setattr(repository, "load_file", load_file)
    install(read_example(EXAMPLES / "negative" / "audit-evidence-placeholder-na.yaml"), service_copy)
    located = check(service_copy)
    rules = {(i.finding.rule, i.finding.file) for i in located}
    assert ("FILE-UNREADABLE", broken) in rules and ("AUDIT-EVIDENCE", "audits/2026-09/9145712.yaml") in rules
    item = next(i for i in located if i.finding.file == broken and i.finding.rule == "FILE-UNREADABLE")
    assert "ValueError" in item.finding.message and "bug in ehqa" in item.finding.message


# --- the command line -------------------------------------------------------------------

NEGATIVE_FOR_CLI = EXAMPLES / "negative" / "audit-evidence-placeholder-na.yaml"


def _run(args: list[str], env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _broken_copy(service_copy: Path) -> tuple[Path, Example]:
    example = read_example(NEGATIVE_FOR_CLI)
    install(example, service_copy)
    return service_copy, example


def test_cli_json_reports_errors_and_exits_1(service_copy: Path):
    root, example = _broken_copy(service_copy)
    result = _run(["validate", "--repo", str(root), "--as-of", "2026-11-26", "--format", "json"])
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


def test_cli_json_on_the_fixture_exits_0(fixture_service: Path):
    result = _run(["validate", "--repo", str(fixture_service), "--as-of", "2026-11-26", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"ok": True, "files": FIXTURE_FILES, "errors": []}


def test_cli_text_on_the_fixture(fixture_service: Path):
    result = _run(["validate", "--repo", str(fixture_service), "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.output == f"ok: {FIXTURE_FILES} files valid\n"


def test_cli_text_format(service_copy: Path):
    root, example = _broken_copy(service_copy)
    result = _run(["validate", "--repo", str(root), "--as-of", "2026-11-26", "--format", "text"])
    assert result.exit_code == 1
    expect = example.expects[0]
    line = next(l for l in result.output.splitlines() if l.startswith(f"{example.target}:{expect.line}:"))
    assert re.fullmatch(rf"{re.escape(example.target)}:{expect.line}:[0-9]+: error\[{expect.rule}\]: .+", line), line
    assert expect.text in line
    assert result.output.splitlines()[-1] == f"invalid: 1 error in 1 of {FIXTURE_FILES} files"


def test_cli_github_format_and_step_summary(service_copy: Path, tmp_path: Path):
    root, example = _broken_copy(service_copy)
    summary = tmp_path / "step-summary.md"
    result = _run(
        ["validate", "--repo", str(root), "--as-of", "2026-11-26", "--format", "github"],
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


def test_cli_github_format_without_summary_file(fixture_service: Path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = _run(["validate", "--repo", str(fixture_service), "--as-of", "2026-11-26", "--format", "github"])
    assert result.exit_code == 0
    assert "::error" not in result.output


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "26/11/2026", "tomorrow"])
def test_cli_bad_as_of_is_a_usage_error(fixture_service: Path, bad: str):
    result = CliRunner().invoke(cli, ["validate", "--repo", str(fixture_service), "--as-of", bad])
    assert result.exit_code == 2
    assert "is not a real date written YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_paths_limit_the_report(service_copy: Path):
    """With PATHS, only findings in those files are reported; the rest of the repository is still read."""
    root, example = _broken_copy(service_copy)
    elsewhere = _run(["validate", "--repo", str(root), "--as-of", "2026-11-26", str(root / "cycles")])
    assert elsewhere.exit_code == 0, elsewhere.output
    here = _run(["validate", "--repo", str(root), "--as-of", "2026-11-26", str(root / example.target)])
    assert here.exit_code == 1


def test_cli_as_a_process_prints_no_traceback(service_copy: Path):
    """The real entry point, in a subprocess: an undecodable file is an error message, not a crash."""
    example = read_example(EXAMPLES / "negative" / "yaml-encoding-stray-ff-byte.yaml")
    install(example, service_copy)
    process = subprocess.run(
        [sys.executable, "-m", "ehqa", "validate", "--repo", str(service_copy), "--as-of", "2026-11-26"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 1, process.stderr
    assert "error[YAML-ENCODING]" in process.stdout
    assert "Traceback" not in process.stdout + process.stderr
