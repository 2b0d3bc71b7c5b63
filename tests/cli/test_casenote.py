"""`ehqa casenote`: the case note to record in Mosaic after the QA meeting (R15), by audit key or path,
as text or JSON; and what it says when it cannot give one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.rule("R15")


def test_casenote_command_prints_the_note_for_a_known_audit(fixture_service: Path, ehqa) -> None:
    # audits/2026-08/9104217.yaml was completed on 2026-08-20: 20/08/26.
    result = ehqa("casenote", "2026-08/9104217", "--repo", str(fixture_service))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Title: Quality Assurance: case audited\n"
        "\n"
        "Description: This case was audited on 20/08/26 as part of the Early Help Quality Assurance process. "
        "Original audit has been sent to manager.\n"
    )


def test_casenote_json(fixture_service: Path, ehqa) -> None:
    result = ehqa("casenote", "2026-10/9171829", "--format", "json", "--repo", str(fixture_service))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "title": "Quality Assurance: case audited",
        "description": "This case was audited on 16/10/26 as part of the Early Help Quality Assurance process. "
                       "Original audit has been sent to manager.",
        "case": "9171829",
        "audited_on": "2026-10-16",
    }


def test_casenote_path_and_key_forms_agree(fixture_service: Path, monkeypatch: pytest.MonkeyPatch, ehqa) -> None:
    repo = str(fixture_service)
    by_key = ehqa("casenote", "2026-09/9138025", "--repo", repo)
    absolute = ehqa("casenote", str(fixture_service / "audits" / "2026-09" / "9138025.yaml"), "--repo", repo)
    in_repo = ehqa("casenote", "audits/2026-09/9138025.yaml", "--repo", repo)  # relative to the repository
    monkeypatch.chdir(fixture_service / "audits")
    from_cwd = ehqa("casenote", "2026-09/9138025.yaml", "--repo", repo)  # relative to the working directory
    outputs = {r.stdout for r in (by_key, absolute, in_repo, from_cwd)}
    assert [r.exit_code for r in (by_key, absolute, in_repo, from_cwd)] == [0, 0, 0, 0]
    assert outputs == {by_key.stdout} and "audited on 18/09/26 as" in by_key.stdout


def test_casenote_unknown_audit_exits_1(fixture_service: Path, ehqa) -> None:
    for audit in ("2026-08/9999999", "audits/2026-08/9999999.yaml", "2027-01/9104217"):
        result = ehqa("casenote", audit, "--repo", str(fixture_service))
        assert result.exit_code == 1, (audit, result.output)
        assert "no audit" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("audit", ["9104217", "2026-13/9104217", "2026-8/9104217", "audits/2026-08/9104217.worker.yaml",
                                   "cycles/2026-08.yaml", "/tmp/elsewhere/2026-08/9104217.yaml", ""])
def test_casenote_malformed_argument_exits_2(fixture_service: Path, audit: str, ehqa) -> None:
    result = ehqa("casenote", audit, "--repo", str(fixture_service))
    assert result.exit_code == 2, result.output
    assert "AUDIT" in result.output


def test_casenote_says_when_the_report_has_not_gone_to_the_manager(fixture_service: Path, ehqa) -> None:
    result = ehqa("casenote", "2026-11/9183570", "--repo", str(fixture_service))
    assert result.exit_code == 0
    assert "report_sent_to_manager" in result.stderr and "report_sent_to_manager" not in result.stdout


def test_a_report_sent_record_says_the_report_has_gone(service_copy: Path, ehqa) -> None:
    folder = service_copy / "audits" / "2026-11" / "9183570.records"
    folder.mkdir()
    (folder / "2026-11-26.report-sent.tpatel.yaml").write_text(
        'kind: report-sent\ncase: "9183570"\ncycle: 2026-11\nby: tpatel\ndate: 2026-11-26\nto: swright\n',
        encoding="utf-8")
    result = ehqa("casenote", "2026-11/9183570", "--repo", str(service_copy))
    assert result.exit_code == 0 and result.stderr == ""


def test_casenote_of_a_broken_audit_says_run_validate(service_copy: Path, ehqa) -> None:
    (service_copy / "audits" / "2026-08" / "9104217.yaml").write_text("case: [\n", encoding="utf-8")
    result = ehqa("casenote", "2026-08/9104217", "--repo", str(service_copy))
    assert result.exit_code == 1 and "ehqa validate" in result.stderr


def test_casenote_takes_a_whole_cycle(fixture_service: Path, ehqa) -> None:
    """Issue 12 item 14: `ehqa casenote YYYY-MM` gives the note of every audit of the cycle, by case reference;
    as JSON, a list."""
    single = {case: ehqa("casenote", f"2026-10/{case}", "--repo", str(fixture_service)).stdout
              for case in ("9104217", "9160347", "9166102", "9171829", "9178456")}
    result = ehqa("casenote", "2026-10", "--repo", str(fixture_service))
    assert result.exit_code == 0, result.output
    assert result.stdout == "\n".join(f"Case {case}\n\n{note}" for case, note in sorted(single.items()))
    as_json = ehqa("casenote", "2026-10", "--format", "json", "--repo", str(fixture_service))
    assert as_json.exit_code == 0, as_json.output
    assert [note["case"] for note in json.loads(as_json.stdout)] == sorted(single)
    assert ehqa("casenote", "2027-01", "--repo", str(fixture_service)).exit_code == 1
