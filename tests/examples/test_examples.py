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
import os
import re
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES, FIXTURE_SERVICE, ROOT
from ehqa.framework.checks import RULES
from ehqa.reporting import Located, locate_all
from ehqa.reporting.checker import Checker, ValidateOptions
from example_files import NEGATIVE, POSITIVE, install, read_example

# Rules exercised in code rather than by an example file (see the tests at the end).
GENERATED_RULES = {"YAML-TOO-LARGE", "FILE-MISSING", "FILE-UNREADABLE", "FILE-SYMLINK", "GRADES-MISSING"}


def _marked_by_rule(paths: list[Path]):
    """Each example, marked with the framework rules (R1–R22) its expected checks enforce, so that
    ``pytest --rule R6`` runs the examples of R6 too. A header that cannot be read gets no mark: its
    test fails and says why."""
    for path in paths:
        try:
            cites = sorted({RULES[e.rule].cites for e in read_example(path).expects if e.rule in RULES} - {""})
        except AssertionError:
            cites = []
        yield pytest.param(path, id=path.name, marks=[pytest.mark.rule(*cites)] if cites else [])


def check(root: Path) -> list[Located]:
    """Every finding for a service, located, exactly as `ehqa validate` reports them."""
    checker = Checker(ValidateOptions(root=root, as_of=AS_OF), out=io.StringIO())
    findings, _files = checker.findings()
    return locate_all(root, findings)


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
    ours, theirs = FIXTURE_SERVICE / "schemas", ROOT / "schemas"
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


@pytest.mark.parametrize("path", list(_marked_by_rule(NEGATIVE)))
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

    Root can read any file whatever its mode, so opening it is made to fail (the loader reads with ``os.open``).
    """
    target = service_copy / "cycles/2026-09.yaml"
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
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


@pytest.mark.rule("R4")
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


@pytest.mark.rule("R8")
def test_generated_grades_missing_when_qa_yaml_requires_them(service_copy: Path):
    """Issue 14: with grading.independent: required from 2026-11, each audit of 2026-11 needs its auditors' own
    grades (two files: qa.yaml and the grades, so generated here). One auditor's grades leave the other missing;
    earlier cycles are not asked."""
    qa = service_copy / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8") + "grading:\n  independent: required\n  from_cycle: 2026-11\n",
                  encoding="utf-8")
    located = check(service_copy)
    assert {(i.finding.rule, i.finding.file) for i in located} == {
        ("GRADES-MISSING", f"audits/2026-11/{case}.yaml") for case in ("9183570", "9189214", "9192648", "9197031")}
    first = next(i for i in located if i.finding.file == "audits/2026-11/9183570.yaml")
    assert first.line == 4 and "none from aevans, fgreen" in first.finding.message, describe(located)
    grades = service_copy / "audits/2026-11/9183570.records/2026-11-15.grades.aevans.yaml"
    grades.parent.mkdir()
    domains = "".join(f"  {d}: good\n" for d in ("assessment", "child-voice", "planning", "direct-work",
                                                  "multi-agency", "management-oversight"))
    grades.write_text("# yaml-language-server: $schema=../../../schemas/record.schema.json\nkind: grades\n"
                      'case: "9183570"\ncycle: 2026-11\nby: aevans\ndate: 2026-11-15\n'
                      f"domains:\n{domains}overall: good\n", encoding="utf-8")
    located = [i for i in check(service_copy) if i.finding.file == "audits/2026-11/9183570.yaml"]
    assert [i.finding.rule for i in located] == ["GRADES-MISSING"], describe(located)
    assert "none from fgreen:" in located[0].finding.message
