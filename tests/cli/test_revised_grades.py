"""Grades revised on review (R12, issue 11): every output uses an audit's effective grades
(``Service.effective_grades``) and says when a grade was revised. A copy of the sample service with a
review record by the Head of Service for QA (jbryant) added: the summary and the site's statistics count
the revised grade, the follow-ups create or drop the service manager alert (R16) and the re-audit (R18),
and the meeting pack and the audit report say who revised what, when and why. The learning site's count
of revised audits, through disclosure control: tests/cli/test_build.py.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF
from ehqa import layout
from ehqa.load.repository import load_repository

REVIEWER = "jbryant"  # the sample service's Head of Service for QA
REVISED = "Revised by the Head of Service for QA on 21 October 2026 (R12)"


def add_review(root: Path, key: str, day: str = "2026-10-21", *, overall: str | None = None,
               domains: dict[str, str] | None = None, reason: str = "The evidence supports a different grade.") -> Path:
    """A review record that revises the audit ``key`` (YYYY-MM/<case>), written as the Head of Service would."""
    cycle, case = key.split("/")
    path = root / layout.record_path(cycle, case, day, "review", REVIEWER)
    lines = ["kind: review", f'case: "{case}"', f"cycle: {cycle}", f"by: {REVIEWER}", f"date: {day}",
             "outcome: findings-revised"]
    if overall:
        lines.append(f"overall: {overall}")
    if domains:
        lines += ["domains:", *(f"  {d}: {g}" for d, g in domains.items())]
    lines.append(f"reason: {reason}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def valid(ehqa, root: Path) -> None:
    result = ehqa("validate", "--repo", root, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def followups(ehqa, root: Path) -> list[dict]:
    result = ehqa("followups", "--repo", root, "--as-of", AS_OF, "--format", "json", "--all")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def of(rows: list[dict], audit: str, rule: str) -> list[dict]:
    return [r for r in rows if r["audit"] == f"audits/{audit}.yaml" and r["rule"] == rule]


# --- the model's one answer -------------------------------------------------------------------

@pytest.mark.rule("R12")
def test_the_service_gives_each_audit_its_grades_as_they_stand(service_copy: Path) -> None:
    add_review(service_copy, "2026-09/9131468", overall="good", domains={"planning": "requires-improvement"})
    service = load_repository(service_copy).service
    audit = service.audits_by_key()["2026-09/9131468"]
    grades = service.effective_grades(audit, AS_OF)
    assert grades.revised and grades.revised_by.by == REVIEWER
    assert grades.overall.value == "good" and grades.domains["planning"].value == "requires-improvement"
    assert grades.domains["assessment"].value == "outstanding"  # not revised: the audit's own
    # A review dated after "today" has not happened yet.
    assert not service.effective_grades(audit, date(2026, 10, 20)).revised
    assert service.effective_grades(audit, date(2026, 10, 20)).overall.value == "outstanding"


# --- the summary and the site's statistics ----------------------------------------------------

@pytest.mark.rule("R12")
def test_the_summary_counts_the_revised_grade(service_copy: Path, ehqa) -> None:
    before = ehqa("summary", "--repo", service_copy, "--as-of", AS_OF)
    add_review(service_copy, "2026-09/9131468", overall="good")
    valid(ehqa, service_copy)
    after = ehqa("summary", "--repo", service_copy, "--as-of", AS_OF)
    assert before.exit_code == after.exit_code == 0

    def count(text: str, label: str) -> int:
        return next(int(line.split()[-2]) for line in text.splitlines() if line.strip().startswith(label))

    assert count(before.output, "Outstanding") == 1 and count(after.output, "Outstanding") == 0
    assert count(after.output, "Good") == count(before.output, "Good") + 1
    assert "0 of them with grades revised on review (R12)" in before.output
    assert "1 of them with grades revised on review (R12)" in after.output


@pytest.mark.rule("R12")
def test_the_sites_figures_count_the_revised_grades(service_copy: Path) -> None:
    from ehqa.site import stats
    from ehqa.site.figures import Figures

    def figures(root: Path) -> Figures:
        service = load_repository(root).service
        published = stats.published_cycles(service.cycles, stats.audits_by_cycle(service), AS_OF)
        return Figures(service, published, [], AS_OF)

    before = figures(service_copy)
    add_review(service_copy, "2026-09/9131468", overall="good", domains={"planning": "requires-improvement"})
    after = figures(service_copy)
    assert before.value(("grade", "2026-09", "outstanding")) == 1 and after.value(("grade", "2026-09", "outstanding")) == 0
    assert after.value(("grade", "2026-09", "good")) == before.value(("grade", "2026-09", "good")) + 1
    assert after.value(("grade", "2026", "good")) == before.value(("grade", "2026", "good")) + 1
    plan = ("domain", "2026-09", "planning")
    assert after.value((*plan, "requires-improvement")) == before.value((*plan, "requires-improvement")) + 1
    assert after.value((*plan, "good")) == before.value((*plan, "good")) - 1
    assert before.value(("revised", "2026-09")) == 0 and after.value(("revised", "2026-09")) == 1
    assert after.value(("revised", "2026-10")) == 0


# --- the follow-ups: R16 and R18 ----------------------------------------------------------------

@pytest.mark.rule("R12", "R16", "R18")
def test_a_review_revising_to_inadequate_creates_the_alert_and_the_reaudit(service_copy: Path, ehqa) -> None:
    key = "2026-09/9131468"
    assert not of(followups(ehqa, service_copy), key, "R16") and not of(followups(ehqa, service_copy), key, "R18")
    add_review(service_copy, key, overall="inadequate")
    valid(ehqa, service_copy)
    rows = followups(ehqa, service_copy)
    alert, = of(rows, key, "R16")
    assert "Inadequate" in alert["what"] and "revised on review on 21 October 2026" in alert["what"]
    assert alert["due"] == "2026-10-22"  # one working day after the review (qa.yaml), not after the audit
    assert alert["status"] == "overdue"
    reaudit, = of(rows, key, "R18")
    assert (reaudit["window_start"], reaudit["due"]) == ("2026-12-21", "2027-01-21")  # 2-3 months after the review
    assert reaudit["status"] == "open"
    due = ehqa("reaudits", "--repo", service_copy, "--as-of", AS_OF, "--format", "json")
    assert due.exit_code == 0 and key in due.output


@pytest.mark.rule("R12", "R16", "R18")
def test_a_review_revising_away_from_inadequate_removes_them(service_copy: Path, ehqa) -> None:
    key = "2026-08/9104217"  # graded Inadequate, and re-audited in October
    before = followups(ehqa, service_copy)
    assert of(before, key, "R16") and of(before, key, "R18")
    add_review(service_copy, key, "2026-09-01", overall="good")
    valid(ehqa, service_copy)  # the October re-audit followed the audit's own grade: it stays valid
    after = followups(ehqa, service_copy)
    assert not of(after, key, "R16") and not of(after, key, "R18")
    due = ehqa("reaudits", "--repo", service_copy, "--as-of", AS_OF, "--format", "json")
    assert due.exit_code == 0 and key not in due.output


@pytest.mark.rule("R12", "R17")
def test_a_review_revising_to_requires_improvement_asks_for_smart_actions_by_the_next_meeting(
        service_copy: Path, ehqa) -> None:
    key = "2026-09/9131468"
    add_review(service_copy, key, "2026-10-28", overall="requires-improvement")
    rows = of(followups(ehqa, service_copy), key, "R17")
    # After October's meeting (22 October): by the first meeting after the review, November's.
    assert rows and {r["due"] for r in rows} == {"2026-11-26"}


@pytest.mark.rule("R12", "R18")
def test_a_reaudit_may_follow_an_audit_revised_to_inadequate(service_copy: Path, ehqa) -> None:
    cycle = service_copy / "cycles" / "2026-11.yaml"
    text = cycle.read_text(encoding="utf-8")
    assert "reaudit_of" not in text
    key = "2026-09/9131468"
    add_review(service_copy, key, overall="inadequate")
    valid(ehqa, service_copy)
    from ehqa.rules.base import Context
    from ehqa.rules.cycles import check_reaudit_target

    service = load_repository(service_copy).service
    assert not list(check_reaudit_target(Context(service, AS_OF), key, "9131468", "2026-11", "cycles/2026-11.yaml"))
    assert list(check_reaudit_target(Context(service, date(2026, 10, 20)), key, "9131468", "2026-11",
                                     "cycles/2026-11.yaml"))  # before the review: Outstanding


# --- the meeting pack and the audit report --------------------------------------------------

@pytest.mark.rule("R12", "R14")
def test_the_meeting_pack_says_who_revised_what_when_and_why(service_copy: Path, tmp_path: Path, ehqa) -> None:
    add_review(service_copy, "2026-09/9131468", overall="good", domains={"planning": "requires-improvement"},
               reason="The evidence supports Good rather than Outstanding.")
    valid(ehqa, service_copy)
    result = ehqa("meeting", "2026-09", "--out", tmp_path, "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "meeting-2026-09.md").read_text(encoding="utf-8")
    case = re.search(r"^### \d+\. Case 9131468:.*?(?=^##)", text, flags=re.MULTILINE | re.DOTALL)[0]
    assert "**Overall grade: Good**" in case
    assert (f"{REVISED}: overall Outstanding → Good; Planning and review Good → Requires Improvement. "
            "Reason: The evidence supports Good rather than Outstanding.") in case
    assert "| Planning and review | Requires Improvement (revised on review from Good) |" in case
    page = html.unescape((tmp_path / "meeting-2026-09.html").read_text(encoding="utf-8"))
    assert f"{REVISED}: overall Outstanding → Good" in page

    # The next meeting carries the reflective discussion over, with the grade as it stands.
    result = ehqa("meeting", "2026-10", "--out", tmp_path, "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    october = (tmp_path / "meeting-2026-10.md").read_text(encoding="utf-8")
    assert "**2026-09/9131468**, Early Help North (Good (revised on review from Outstanding))" in october


@pytest.mark.rule("R12", "R18")
def test_the_meeting_pack_compares_a_reaudit_with_the_grades_as_revised(service_copy: Path, tmp_path: Path,
                                                                        ehqa) -> None:
    add_review(service_copy, "2026-08/9104217", "2026-09-01", overall="requires-improvement")
    result = ehqa("meeting", "2026-10", "--out", tmp_path, "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "meeting-2026-10.md").read_text(encoding="utf-8")
    assert "overall Requires Improvement (revised on review from Inadequate) → Good: **improved**" in text


@pytest.mark.rule("R12", "R15")
def test_the_audit_report_says_the_grades_were_revised(service_copy: Path, tmp_path: Path, ehqa) -> None:
    add_review(service_copy, "2026-09/9131468", overall="good", reason="The evidence supports Good.")
    result = ehqa("report", "2026-09/9131468", "--out", tmp_path, "--repo", service_copy)
    assert result.exit_code == 0, result.output
    page = html.unescape((tmp_path / "2026-09-9131468.html").read_text(encoding="utf-8"))
    assert '<dt>Overall grade</dt><dd class="grade">Good</dd>' in page
    assert f"{REVISED}: overall Outstanding → Good. Reason: The evidence supports Good." in page


@pytest.mark.rule("R12", "R14")
def test_a_dispute_reviewed_by_record_is_not_shown_as_awaiting(service_copy: Path, tmp_path: Path, ehqa) -> None:
    """The audit records the dispute (R12) but, closed at its meeting, never the review: the review
    record that revised the grade answers it in the pack."""
    audit = service_copy / "audits/2026-09/9138025.yaml"
    text = audit.read_text(encoding="utf-8")
    start, end = text.index("  review:\n"), text.index("\nfollowup:")
    audit.write_text(text[:start] + text[end:], encoding="utf-8")
    for upheld in service_copy.glob("audits/2026-09/9138025.records/*.review.*.yaml"):
        upheld.unlink()  # the sample's own review record (findings upheld): this test adds its own
    result = ehqa("meeting", "2026-09", "--out", tmp_path / "before", "--repo", service_copy, "--as-of", AS_OF)
    assert "Awaiting the Head of Service for Quality Assurance's independent look." in (
        tmp_path / "before" / "meeting-2026-09.md").read_text(encoding="utf-8"), result.output
    add_review(service_copy, "2026-09/9138025", "2026-10-02", overall="good", reason="The housing work was good.")
    valid(ehqa, service_copy)
    result = ehqa("meeting", "2026-09", "--out", tmp_path / "after", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    pack = (tmp_path / "after" / "meeting-2026-09.md").read_text(encoding="utf-8")
    assert "Awaiting the Head of Service" not in pack and "Janice Bryant" in pack and "findings revised" in pack
