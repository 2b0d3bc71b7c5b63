"""`ehqa validate` finds every entry under audits/ and cycles/ that nothing reads, reads nothing through
a link, and quotes no value whole (issue 9, item 2).

These tests run ``ehqa validate`` on copies of the sample service with one entry added (a symbolic link,
a case variant, a stray folder, a file nothing reads) and check the rule it is reported under, in every
output format. ``ehqa.layout``'s grammar itself: tests/unit/base/test_layout.py. The same entries in a
pull request are refused by ``ehqa check-pr`` (tests/cli/test_check_pr.py).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF
from ehqa.findings import MAX_QUOTED_CHARS
from ehqa.load.repository import load_single

AUDIT = "audits/2026-11/9183570.yaml"  # allocated to aevans and fgreen
SECRET = "Kezia Smith born 02/03/2015"  # what a link to a file outside the repository must never leak


@pytest.fixture
def validate(ehqa):
    """`ehqa validate --repo ROOT ARGS` as of the fixed today: its exit code and output, never a traceback."""

    def validate(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
        result = ehqa("validate", "--repo", str(root), "--as-of", AS_OF, *args, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert "Traceback" not in result.output
        return result.exit_code, result.output

    return validate


@pytest.fixture
def findings(validate):
    """Every (rule, file) `ehqa validate --format json` reports."""

    def findings(root: Path) -> set[tuple[str, str]]:
        code, out = validate(root, "--format", "json")
        report = json.loads(out)
        assert code == (0 if report["ok"] else 1)
        return {(error["rule"], error["file"]) for error in report["errors"]}

    return findings


# --- validate: every entry under audits/ and cycles/ ----------------------------------------------


@pytest.mark.rule("R4")
def test_the_symlink_attack_from_the_issue(service_copy: Path, findings) -> None:
    """X.yaml a link to X.YAML: validate reports both, and reads neither."""
    audit = service_copy / AUDIT
    capitals = audit.with_name("9183570.YAML")
    capitals.write_text(audit.read_text(encoding="utf-8").replace("overall:\n  grade: good",
                                                                   "overall:\n  grade: outstanding"), encoding="utf-8")
    audit.unlink()
    audit.symlink_to(capitals.name)
    assert findings(service_copy) == {
        ("FILE-SYMLINK", AUDIT),
        ("FILE-CASE", "audits/2026-11/9183570.YAML"),
    }


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ("audits/2026-11/9183570.md", "FILE-UNKNOWN"),
        ("audits/2026-11/README", "FILE-UNKNOWN"),
        ("cycles/2026-11.txt", "FILE-UNKNOWN"),
        ("audits/2026-11/9199406.YAML", "FILE-CASE"),
        ("Audits/2026-11/9199406.yaml", "FILE-CASE"),
        ("Cycles/2026-12.yaml", "FILE-CASE"),
        ("audits/drafts/9199406.yaml", "FILE-STRAY-FOLDER"),
    ],
)
@pytest.mark.rule("R4", "R8")
def test_a_file_nothing_reads_is_an_error(service_copy: Path, entry: str, rule: str, findings) -> None:
    target = service_copy / entry
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("grade: outstanding\n", encoding="utf-8")
    assert findings(service_copy) == {(rule, entry)}


@pytest.mark.parametrize("folder", ["audits/2026-11/9199406.yaml", "audits/drafts", "cycles/2026-12"])
@pytest.mark.rule("R8")
def test_an_empty_stray_folder_is_an_error(service_copy: Path, folder: str, validate) -> None:
    (service_copy / folder).mkdir()
    code, out = validate(service_copy)
    assert code == 1
    assert re.search(rf"^{re.escape(folder)}:1:1: error\[FILE-STRAY-FOLDER\]: {re.escape(folder)}/ is a folder ehqa "
                     r"does not know .*\(R8\)$", out, re.M), out


def test_two_names_that_differ_only_by_case(service_copy: Path, findings) -> None:
    """Both valid names on their own; on Windows and macOS one file, so neither is read."""
    cycle = service_copy / "cycles/2026-11.yaml"
    cycle.write_text(cycle.read_text(encoding="utf-8").replace(
        '  - case: "9183570"', '  - case: "EH1"\n    practitioner: hlee\n    team: eh-south\n    nominated_by: mnowak\n'
        '  - case: "9183570"'), encoding="utf-8")
    for name in ("EH1.yaml", "eh1.yaml"):
        (service_copy / "audits/2026-11" / name).write_text("case: EH1\n", encoding="utf-8")
    found = findings(service_copy)
    assert {("FILE-CASE", "audits/2026-11/EH1.yaml"), ("FILE-CASE", "audits/2026-11/eh1.yaml")} <= found
    assert not {rule for rule, file in found if file.startswith("audits/2026-11/")} - {"FILE-CASE"}


def test_a_symlinked_settings_file_is_reported_not_missing(service_copy: Path, tmp_path: Path, findings) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.move(service_copy / "qa.yaml", outside)
    (service_copy / "qa.yaml").symlink_to(outside)
    assert ("FILE-SYMLINK", "qa.yaml") in findings(service_copy)
    assert ("FILE-MISSING", "qa.yaml") not in findings(service_copy)


# --- a link is never read through -------------------------------------------------------------------


def _outside_files(tmp_path: Path, service: Path) -> Path:
    """A folder outside the repository holding an audit whose key and value are a child's identity."""
    outside = tmp_path / "outside"
    outside.mkdir()
    text = (service / AUDIT).read_text(encoding="utf-8")
    text = text.replace("overall:\n  grade: good", f"overall:\n  grade: {SECRET}")
    (outside / "9183570.yaml").write_text(text + f"\n{SECRET.replace(' ', '-')}: yes\n", encoding="utf-8")
    (outside / "2026-12.yaml").write_text(f"cycle: {SECRET}\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_a_link_out_of_the_repository_is_never_read(service_copy: Path, tmp_path: Path, output_format: str,
                                                    validate) -> None:
    outside = _outside_files(tmp_path, service_copy)
    (service_copy / AUDIT).unlink()
    (service_copy / AUDIT).symlink_to(outside / "9183570.yaml")  # a file
    (service_copy / "audits/2026-12").symlink_to(outside, target_is_directory=True)  # a folder
    (service_copy / "cycles/2026-12.yaml").symlink_to(outside / "2026-12.yaml")
    summary = tmp_path / "summary.md"
    code, out = validate(service_copy, "--format", output_format, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    written = out + (summary.read_text(encoding="utf-8") if summary.exists() else "")
    for piece in (SECRET, SECRET.replace(" ", "-"), "Kezia", "02/03/2015"):
        assert piece not in written
    assert written.count("FILE-SYMLINK") >= 3


def test_a_single_file_read_refuses_a_link_too(service_copy: Path, tmp_path: Path) -> None:
    """Commands that read one file (report, casenote, meeting) go through load_single."""
    outside = _outside_files(tmp_path, service_copy)
    (service_copy / "audits/2026-12").symlink_to(outside, target_is_directory=True)
    record, problems = load_single(service_copy, "audits/2026-12/9183570.yaml")
    assert record is None and [(f.rule, f.file) for f in problems] == [("FILE-SYMLINK", "audits/2026-12")]
    (service_copy / AUDIT).unlink()
    (service_copy / AUDIT).symlink_to(outside / "9183570.yaml")
    record, problems = load_single(service_copy, AUDIT)
    assert record is None and [f.rule for f in problems] == ["FILE-SYMLINK"]
    assert SECRET not in " ".join(f.message for f in problems)


# --- no message quotes a value whole ----------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_no_message_quotes_a_long_key_or_value(service_copy: Path, tmp_path: Path, output_format: str,
                                               validate) -> None:
    long_key, long_value = "k" * 10_000, "v" * 10_000
    audit = service_copy / AUDIT
    text = audit.read_text(encoding="utf-8").replace("overall:\n  grade: good", f"overall:\n  grade: {long_value}")
    audit.write_text(text + f"? {long_key}\n: x\n", encoding="utf-8")  # a plain key is limited to 1024 characters
    spaced = service_copy / "audits/2026-11/9189214.yaml"  # a long key with spaces, twice
    spaced.write_text(spaced.read_text(encoding="utf-8") + f"? {'w ' * 5000}\n: a\n? {'w ' * 5000}\n: b\n",
                      encoding="utf-8")
    summary = tmp_path / "summary.md"
    code, out = validate(service_copy, "--format", output_format, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    written = out + (summary.read_text(encoding="utf-8") if summary.exists() else "")
    for value in ("k", "v"):
        assert value * MAX_QUOTED_CHARS in written  # the start is shown, to find it by
        assert value * (MAX_QUOTED_CHARS + 1) not in written
    assert "w " * (MAX_QUOTED_CHARS // 2 + 1) not in written
    if output_format == "json":
        messages = [error["message"] for error in json.loads(out)["errors"]]
        assert {"SCHEMA-UNKNOWN-FIELD", "SCHEMA-ENUM", "YAML-DUPLICATE-KEY"} <= \
            {error["rule"] for error in json.loads(out)["errors"]}
        assert max(map(len, messages)) < 400


def test_naming_a_link_on_the_command_line_reports_the_link(service_copy: Path, validate) -> None:
    """`ehqa validate X.yaml`, X.yaml a link: the report is about the link, not the file it points at."""
    audit = service_copy / AUDIT
    capitals = audit.with_name("9183570.YAML")
    audit.rename(capitals)
    audit.symlink_to(capitals.name)
    code, out = validate(service_copy, str(audit))
    assert code == 1 and f"{AUDIT}:1:1: error[FILE-SYMLINK]" in out and "9183570.YAML" not in out


