"""One hierarchy of errors (ehqa.errors), which click prints: each class exits with its code and prints
its message on one line, never a traceback; anything else is a bug, reported in one line with exit 3."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ehqa.demo import DemoRefused
from ehqa.documents.audit_report import AuditReportError
from ehqa.documents.meeting_facts import MeetingPackError
from ehqa.documents.notice_facts import NoticeError
from ehqa.errors import BadOption, DataError, EhqaError, UsageProblem
from ehqa.load.git_history import GitProblem
from ehqa.load.schema_check import SchemaError
from ehqa.site.build import SiteError

ERRORS = [
    (DataError("cycles/2026-11.yaml cannot be read"), 1),
    (NoticeError("there is no cycle 2031-01: cycles/2031-01.yaml does not exist"), 1),
    (MeetingPackError("staff.yaml is missing or could not be read"), 1),
    (AuditReportError("qa.yaml is missing or could not be read"), 1),
    (SiteError("MkDocs could not build the site"), 1),
    (UsageProblem("give --check or --update, not both"), 2),
    (BadOption("--meeting", "2026-12-15 is not in 2027-01"), 2),
    (SchemaError("cannot use the schema schemas/cycle.schema.json"), 2),
    (GitProblem("unknown Git ref 'main': fetch it first"), 2),
    (DemoRefused("demo/qa.yaml already exists"), 2),
]


def _raising(error: Exception) -> click.Command:
    @click.command()
    def command() -> None:
        raise error

    return command


@pytest.mark.parametrize("error, code", ERRORS, ids=lambda e: type(e).__name__ if isinstance(e, Exception) else None)
def test_each_error_exits_with_its_code_and_prints_one_line(error: EhqaError, code: int) -> None:
    assert isinstance(error, EhqaError) and error.exit_code == code
    result = CliRunner().invoke(_raising(error), [])
    assert result.exit_code == code and isinstance(result.exception, SystemExit)
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [
        f"Error: {error.format_message()}"]
    assert "Traceback" not in result.output
    if code == 1:  # the data's problems are the message alone; a usage error first shows the usage
        assert result.stderr == f"Error: {error.format_message()}\n"


def test_a_bad_option_is_named_as_click_names_its_own() -> None:
    assert BadOption("--rule", "'fortnightly' is not a meeting rule").format_message() == (
        "Invalid value for --rule: 'fortnightly' is not a meeting rule")


def test_errors_from_the_layers_below_reach_the_person_as_one_line(tmp_path: Path, service_copy: Path, ehqa) -> None:
    repo = service_copy
    result = ehqa("notices", "2031-01", "--out", tmp_path / "out", "--repo", repo)
    assert result.exit_code == 1
    assert result.stderr == "Error: there is no cycle 2031-01: cycles/2031-01.yaml does not exist\n"
    (repo / "schemas" / "cycle.schema.json").write_text('{"title": \n', encoding="utf-8")
    result = ehqa("summary", "--repo", repo)  # was an internal error (exit 3)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("Error: ")] == [
        f"Error: cannot use the schema {repo / 'schemas' / 'cycle.schema.json'}: Expecting value: line 2 column 1 "
        "(char 11)"]


def test_a_bug_in_ehqa_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from ehqa.cli import app

    monkeypatch.setattr(app, "cli", _raising(RuntimeError("the rule table is empty")))
    monkeypatch.setattr(sys, "argv", ["ehqa"])
    with pytest.raises(SystemExit) as exited:
        app.main()
    assert exited.value.code == 3
    assert capsys.readouterr().err == ("ehqa: internal error: RuntimeError: the rule table is empty. Please report it "
                                       "with the command you ran (add -v to see the details).\n")
