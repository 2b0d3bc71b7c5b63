"""`ehqa new audit`: a pre-filled skeleton for the allocated auditors (issue 5; R4, R8, R13).

The skeleton is not valid until filled in; filled in, in place, it validates clean.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import AS_OF
from ehqa.load.strict_yaml import parse
from ehqa.reporting import locate_all
from ehqa.reporting.checker import Checker, ValidateOptions

CASE = "9189214"  # cycle 2026-11, allocated to aevans and fgreen
TARGET = f"audits/2026-11/{CASE}.yaml"
EVIDENCE = "The plan names who does what by when, and the family agreed every step."  # 14 words


def fill(text: str, completed: str = "2026-11-20", themes: str = "[young-carers]") -> str:
    """What an auditor does: fill every placeholder in place, leaving the comments as they are."""
    replacements = [
        (r"^completed:", f"completed: {completed}"),
        (r"^(    )grade:", r"\1grade: good"),
        (r"^(    )evidence:", rf"\1evidence: {EVIDENCE}"),
        (r"^(  )grade:", r"\1grade: good"),
        (r"^(  )summary:", r"\1summary: Steady, child-centred work that has made home life calmer."),
        (r"^(  )-$", r"\1- The young carer's own words shaped the plan."),
        (r"^(  )themes: \[\]", rf"\1themes: {themes}"),
        (r"^(  )excerpt:", r"\1excerpt: Asking a young carer what would help, and doing it, changed the whole plan."),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.M)
        assert count, f"nothing to fill for {pattern}"
    return text


@pytest.fixture
def new_audit(ehqa):
    """`ehqa new audit CYCLE CASE` on 12 November, while the audits are being written."""

    def new_audit(root: Path, cycle: str, case: str, *extra: str):
        return ehqa("new", "audit", cycle, case, "--repo", str(root), "--as-of", "2026-11-12", *extra)

    return new_audit


def findings(root: Path, *paths: str):
    checker = Checker(ValidateOptions(root=root, as_of=AS_OF, paths=paths), out=io.StringIO())
    found, _ = checker.findings()
    return locate_all(root, found)


@pytest.fixture
def service(service_copy: Path) -> Path:
    (service_copy / TARGET).unlink()  # the audit is still to be written
    return service_copy


@pytest.mark.rule("R4", "R8", "R13")
def test_writes_a_skeleton_with_what_ehqa_knows(service: Path, new_audit) -> None:
    result = new_audit(service, "2026-11", CASE)
    assert result.exit_code == 0, result.output
    assert f"wrote {TARGET}" in result.output
    text = (service / TARGET).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/audit.schema.json\n")
    assert '\ncase: "9189214"\n' in text and "\ncycle: 2026-11\n" in text
    assert "\nauditors: [aevans, fgreen]" in text
    assert re.search(r"^completed: +# .*YYYY-MM-DD", text, re.M)
    assert "Monday 23 November 2026" in text  # when the audits are due (R13)
    doc = parse(text.encode())
    assert list(doc["domains"]) == ["assessment", "child-voice", "planning", "direct-work", "multi-agency",
                                    "management-oversight"]
    assert all(d == {"grade": None, "evidence": None} for d in doc["domains"].values())
    # each domain's prompt, as a comment above it
    assert "# Voice of the child: Is the child seen, heard and their wishes and feelings recorded and acted" in text
    # the learning themes of the vocabulary, and the publication guidance
    assert "young-carers (Young carers)" in text and "no names, case references, dates or places" in text
    # the optional sections, commented out, each with its rule
    for section, rule in [("safety_concern", "R11"), ("sole_completion", "R13"), ("smart_actions", "R17"),
                          ("previous_work_feedback", "R10"), ("assessment", "R20"), ("disagreement", "R12")]:
        block = text[text.index(f"\n# {section}:") - 200: text.index(f"\n# {section}:")]
        assert rule in block, section
        assert section not in doc


@pytest.mark.rule("R8")
def test_the_skeleton_is_not_valid_until_filled_in(service: Path, ehqa, new_audit) -> None:
    assert new_audit(service, "2026-11", CASE).exit_code == 0
    located = findings(service, TARGET)
    text = (service / TARGET).read_text(encoding="utf-8").splitlines()
    by_line = {item.line: item.finding for item in located}
    # every empty value is pointed at, on its own line, with what it should be
    for number, line in enumerate(text, start=1):
        if re.match(r"^\s*(grade|evidence|summary|completed|excerpt):(\s+#.*)?$", line) or line.strip() == "-" \
                or line.strip() == "themes: []":
            assert number in by_line, f"line {number} ({line.strip()}) is not reported"
    grades = [f for f in by_line.values() if f.rule == "SCHEMA-ENUM"]
    assert len(grades) == 7 and all("good" in f.message for f in grades)  # six domains and the overall grade
    assert any("evidence" in f.message for f in by_line.values())
    assert any(f.rule == "SCHEMA-LENGTH" and "themes" in f.message for f in by_line.values())
    result = ehqa("validate", "--repo", str(service), "--as-of", AS_OF, str(service / TARGET))
    assert result.exit_code == 1 and f"{TARGET}:" in result.output


def test_filled_in_it_validates_clean(service: Path, new_audit) -> None:
    assert new_audit(service, "2026-11", CASE).exit_code == 0
    target = service / TARGET
    target.write_text(fill(target.read_text(encoding="utf-8")), encoding="utf-8")
    assert [f"{i.line}: {i.finding.rule} {i.finding.message}" for i in findings(service)] == []


@pytest.mark.rule("R18")
def test_a_re_audit_names_the_audit_it_follows_up(service_copy: Path, new_audit) -> None:
    (service_copy / "audits/2026-10/9104217.yaml").unlink()
    result = new_audit(service_copy, "2026-10", "9104217")
    assert result.exit_code == 0, result.output
    target = service_copy / "audits/2026-10/9104217.yaml"
    text = target.read_text(encoding="utf-8")
    assert "\nreaudit_of: 2026-08/9104217" in text and "\nauditors: [lmorris]" in text
    assert "sole_completion" not in text  # one senior manager: nobody to be absent
    target.write_text(fill(text, completed="2026-10-15", themes="[neglect]"), encoding="utf-8")
    assert [f"{i.line}: {i.finding.rule} {i.finding.message}" for i in findings(service_copy)] == []


def test_never_overwrites(service_copy: Path, new_audit) -> None:
    existing = service_copy / TARGET
    before = existing.read_bytes()
    result = new_audit(service_copy, "2026-11", CASE)
    assert result.exit_code == 1 and "already exists" in result.output and "never overwrites" in result.output
    assert existing.read_bytes() == before


@pytest.mark.parametrize("cycle, case, message", [
    ("2026-11", "9100000", "was not nominated in cycle 2026-11 (R3)"),
    ("2026-11", "9199406", "not allocated to any auditors (R4): a fifth case"),
    ("2026-12", "9189214", "there is no cycles/2026-12.yaml"),
])
@pytest.mark.rule("R3", "R4")
def test_refuses_a_case_not_nominated_or_allocated(service: Path, cycle: str, case: str, message: str,
                                                   new_audit) -> None:
    result = new_audit(service, cycle, case)
    assert result.exit_code == 1 and message in result.output, result.output
    assert not (service / f"audits/{cycle}/{case}.yaml").exists()


def test_refuses_a_cycle_not_yet_allocated(service: Path, new_audit) -> None:
    (service / "cycles/2026-11.allocation.yaml").unlink()
    result = new_audit(service, "2026-11", CASE)
    assert result.exit_code == 1 and "has not been allocated yet" in result.output


@pytest.mark.parametrize("case", ["../../qa", "a/b", "9189214_x", "9189214.worker"])
def test_a_case_that_is_not_a_reference_is_a_usage_error(service: Path, case: str, new_audit) -> None:
    before = sorted(p.relative_to(service) for p in service.rglob("*"))
    result = new_audit(service, "2026-11", case)
    assert result.exit_code == 2 and "is not a case reference" in result.output
    assert sorted(p.relative_to(service) for p in service.rglob("*")) == before


