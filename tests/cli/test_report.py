"""`ehqa report AUDIT --out DIR`: the original audit report, sent to the practitioner's manager (R15)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_SERVICE as SERVICE
from conftest import with_staff_emails


def read(out: Path, cycle: str, case: str) -> str:
    return html.unescape((out / f"{cycle}-{case}.html").read_text(encoding="utf-8"))


def one_line(text: str) -> str:
    return " ".join(str(text).split())


@pytest.mark.rule("R15")
def test_report_holds_the_case_domains_grades_and_actions(tmp_path, ehqa):
    result = ehqa("report", "2026-09/9138025", "--out", str(tmp_path), "--repo", str(SERVICE))
    assert result.exit_code == 0, result.output
    page = read(tmp_path, "2026-09", "9138025")
    data = yaml.safe_load((SERVICE / "audits/2026-09/9138025.yaml").read_text(encoding="utf-8"))
    labels = {key: value["label"] for key, value in
              yaml.safe_load((SERVICE / "qa.yaml").read_text(encoding="utf-8"))["grades"].items()}
    assert "9138025" in page
    assert '<html lang="en">' in page and '<meta name="robots" content="noindex">' in page
    assert page.count("<h1>") == 1
    assert "http://" not in page and "https://" not in page and "<link" not in page and "<script" not in page
    for judgement in data["domains"].values():
        assert one_line(judgement.get("evidence") or judgement["reason"]) in page
        assert labels[judgement["grade"]] in page if judgement["grade"] in labels else "Not applicable" in page
    assert labels[data["overall"]["grade"]] in page
    for action in data["smart_actions"]:
        assert one_line(action["action"]) in page
        assert one_line(action["measure"]) in page


def test_not_applicable_domain_shows_its_reason(tmp_path, ehqa):
    ehqa("report", "2026-08/9112836", "--out", str(tmp_path), "--repo", str(SERVICE))
    assert "Not applicable: Mum declined referrals" in read(tmp_path, "2026-08", "9112836")


def test_both_audit_forms_give_the_same_bytes(tmp_path, ehqa):
    by_key, by_path = tmp_path / "key", tmp_path / "path"
    assert ehqa("report", "2026-10/9160347", "--out", str(by_key), "--repo", str(SERVICE)).exit_code == 0
    path = SERVICE / "audits/2026-10/9160347.yaml"
    result = ehqa("report", str(path), "--out", str(by_path), "--repo", str(SERVICE))
    assert result.exit_code == 0, result.output
    name = "2026-10-9160347.html"
    assert (by_key / name).read_bytes() == (by_path / name).read_bytes()


def test_output_is_byte_identical_across_runs(tmp_path, ehqa):
    for folder in ("one", "two"):
        assert ehqa("report", "2026-09/9138025", "--out", str(tmp_path / folder), "--repo", str(SERVICE)).exit_code == 0
    name = "2026-09-9138025.html"
    assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_unknown_audit_exits_1(tmp_path, ehqa):
    result = ehqa("report", "2026-10/9999999", "--out", str(tmp_path), "--repo", str(SERVICE))
    assert result.exit_code == 1
    assert not list(tmp_path.iterdir())


def test_out_inside_the_site_is_refused(tmp_path, ehqa):
    result = ehqa("report", "2026-10/9160347", "--out", str(SERVICE / "site" / "reports"), "--repo", str(SERVICE))
    assert result.exit_code == 2
    assert not (SERVICE / "site").exists()


def followup_rows(page: str) -> dict[str, str]:
    """The follow-up table's rows: step -> rule."""
    table = page.split("<h2>Follow-up</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(R\d+)</td>', table)
    return dict(rows)


@pytest.mark.rule("R16", "R17")
def test_report_follow_up_rows_appear_only_where_the_rule_applies_under_the_right_number(tmp_path, ehqa):
    """Issue 12 item 15: the supervision note is R17 (not R16); a Requires Improvement case has no
    'Service manager alerted' row, and an Inadequate case has no R17 rows."""
    for key in ("2026-09/9138025", "2026-08/9104217"):
        assert ehqa("report", key, "--out", str(tmp_path), "--repo", str(SERVICE)).exit_code == 0
    requires_improvement = followup_rows(read(tmp_path, "2026-09", "9138025"))
    assert requires_improvement["Supervision note recorded"] == "R17"
    assert requires_improvement["SMART actions reviewed"] == "R17"
    assert "Service manager alerted" not in requires_improvement
    assert "Escalated to senior management" not in requires_improvement  # every action was done
    assert requires_improvement["Case note recorded"] == "R15"
    assert requires_improvement["Reflective discussion"] == "R19"
    inadequate = followup_rows(read(tmp_path, "2026-08", "9104217"))
    assert inadequate["Service manager alerted"] == "R16"
    assert not {"Supervision note recorded", "SMART actions reviewed"} & set(inadequate)


@pytest.mark.rule("R15")
def test_report_takes_a_whole_cycle_and_writes_eml_drafts_to_the_practitioners_manager(service_copy, tmp_path,
                                                                                       ehqa):
    """Issue 12 item 14: `ehqa report YYYY-MM --eml` writes every audit's report of the cycle, each also as a
    ready-to-send draft from the QA officer to the case's team manager with the report attached."""
    import email
    import email.policy

    from ehqa.load.repository import load_repository

    repo = with_staff_emails(service_copy)
    out = tmp_path / "reports"
    result = ehqa("report", "2026-10", "--out", str(out), "--eml", "--repo", str(repo), "--as-of", "2026-10-23")
    assert result.exit_code == 0, result.output
    service = load_repository(repo).service
    audits = sorted(a.case for a in service.audits if a.cycle == "2026-10")
    assert len(audits) == 5
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"2026-10-{case}.html" for case in audits] + [f"2026-10-{case}.eml" for case in audits])
    cycle = service.cycles["2026-10"]
    for case in audits:
        message = email.message_from_bytes((out / f"2026-10-{case}.eml").read_bytes(), policy=email.policy.default)
        manager = service.staff.team_manager_of(cycle.nomination(case))
        assert [a.addr_spec for a in message["To"].addresses] == [manager.email]
        assert message["From"].addresses[0].addr_spec == "tom.patel@millbrook.example"
        assert message["X-Unsent"] == "1" and case in message["Subject"]
        plain = message.get_body(("plain",)).get_content()
        assert f"Dear {manager.name}," in plain and f"case {case}" in plain
        [attached] = list(message.iter_attachments())
        assert attached.get_filename() == f"2026-10-{case}.html"
        assert attached.get_content() == (out / f"2026-10-{case}.html").read_text(encoding="utf-8")
    requires_improvement = email.message_from_bytes((out / "2026-10-9166102.eml").read_bytes(),
                                                    policy=email.policy.default)
    assert "SMART actions" in requires_improvement.get_body(("plain",)).get_content()


def test_report_of_a_cycle_without_eml_writes_only_the_pages(tmp_path, ehqa):
    result = ehqa("report", "2026-09", "--out", str(tmp_path), "--repo", str(SERVICE))
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".html"] * 4


def test_report_of_a_cycle_with_no_audits_exits_1(tmp_path, ehqa):
    result = ehqa("report", "2027-01", "--out", str(tmp_path / "o"), "--repo", str(SERVICE))
    assert result.exit_code == 1 and "no audits" in result.output
