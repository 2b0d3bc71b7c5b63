"""The month after a QA meeting, end to end by role, on a real Git repository (issue 11).

The sample service on ``main``. Each person does their part on a branch of their own, `ehqa check-pr`
judges it with their GitHub handle as CI would, and it is merged: the practitioner returns the
Perspective of Worker form (R7) through the learning site's form, in Chromium, downloading the file it
makes into the folder it names; the Head of Service for QA revises a disputed grade (R12); the team
manager records the actions agreed, the supervision note and the reflective discussion (R17, R19);
the action's owner marks it done (R17); the service manager records oversight of an Inadequate case
(R16). Then `ehqa followups` shows each obligation closed, and the cycle page of the learning site
counts the revised grade. "Today" is 20 November 2026.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import test_site_browser as shared
from test_forms_browser import _download, _make, _open
from test_site_browser import OFFLINE

from conftest import FIXTURE_SERVICE, git, seed_charts

# test_site_browser.py's fixtures: the browser, the server of this module's site, the recording context.
browser, base_url, traffic, context = shared.browser, shared.base_url, shared.traffic, shared.context

TODAY = "2026-11-20"
CASE = "2026-10/9160347"  # practitioner cahmed, team manager swright; auditors gwalsh and fgreen; graded Good
INADEQUATE = "2026-08/9104217"  # practitioner jmills; service manager dobi up the chain
FORM = "audits/2026-11/9189214.worker.yaml"  # jmills's form, due 16 November, not yet returned

STEPS = [  # who acts (staff id, GitHub handle), the file they add, what it holds
    ("jmills", FORM, None),  # through the browser form
    ("jbryant", "audits/2026-10/9160347.records/2026-10-30.review.jbryant.yaml", """kind: review
case: "9160347"
cycle: 2026-10
by: jbryant
date: 2026-10-30
outcome: findings-revised
overall: requires-improvement
reason: The plan does not show how the child's views changed the work.
"""),
    ("swright", "audits/2026-10/9160347.records/2026-11-02.actions-agreed.swright.yaml", """kind: actions-agreed
case: "9160347"
cycle: 2026-10
by: swright
date: 2026-11-02
with: cahmed
actions:
  - id: a1
    action: "Record the child's views in the plan, in their words: what they want to change."
    owner: cahmed
    due: 2026-11-30
    measure: The plan quotes the child and says what changed because of it.
"""),
    ("swright", "audits/2026-10/9160347.records/2026-11-03.supervision-note.swright.yaml", """kind: supervision-note
case: "9160347"
cycle: 2026-10
by: swright
date: 2026-11-03
"""),
    ("swright", "audits/2026-10/9160347.records/2026-11-05.reflective-discussion.swright.yaml",
     """kind: reflective-discussion
case: "9160347"
cycle: 2026-10
by: swright
date: 2026-11-05
with: cahmed
for_next_meeting: Direct work tools for younger children.
"""),
    ("cahmed", "audits/2026-10/9160347.records/2026-11-12.action-update.cahmed.yaml", """kind: action-update
case: "9160347"
cycle: 2026-10
by: cahmed
date: 2026-11-12
action: a1
status: done
"""),
    ("dobi", "audits/2026-08/9104217.records/2026-11-04.oversight.dobi.yaml", """kind: oversight
case: "9104217"
cycle: 2026-08
by: dobi
date: 2026-11-04
summary: Reviewed the re-audit's findings with the team manager; the plan is on track.
"""),
]


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory, drawn_charts) -> Path:
    """The sample service's learning site before the month, built by `ehqa build` offline (with the charts the
    run drew once, conftest's ``drawn_charts``)."""
    tmp = tmp_path_factory.mktemp("month-site")
    out = tmp / "site"
    work = seed_charts(drawn_charts(FIXTURE_SERVICE), tmp / "work")
    command = [sys.executable, "-m", "ehqa", "build", "--repo", str(FIXTURE_SERVICE), "--out", str(out),
               "--work", str(work), "--as-of", TODAY, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ | OFFLINE, timeout=600)
    assert result.returncode == 0, f"`ehqa build` failed:\n{result.stdout}\n{result.stderr}"
    return out


def return_the_form_in_the_browser(context, base_url: str, root: Path) -> Path:
    """jmills fills in the Perspective of Worker form on the site and downloads the file into the repository."""
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    try:
        _open(page, base_url, "worker")
        page.get_by_label("Case reference (required)").fill("9189214")
        page.get_by_label("Cycle (YYYY-MM) (required)").fill("2026-11")
        page.get_by_label("Your staff id (required)").fill("jmills")
        page.get_by_label("Date you return the form (required)").fill("2026-11-13")
        answers = page.locator("#f-answers textarea")
        answers.nth(0).fill("Housing and school attendance: the family's priorities, then ours.")
        answers.nth(1).fill("Direct work at school; the child's words shaped the plan: \"I want my own room\".")
        _make(page)
        return _download(page, root)
    finally:
        page.close()


def sentence(page: str) -> str:
    return re.search(r"\S+ of \d+ audits had grades revised on review", re.sub(r"<[^>]+>", "", page))[0]


def followups(ehqa, root: Path) -> list[dict]:
    result = ehqa("followups", "--repo", root, "--as-of", TODAY, "--format", "json", "--all")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def statuses(rows: list[dict], key: str, rule: str) -> dict[str, str]:
    return {r["what"]: r["status"] for r in rows if r["audit"] == f"audits/{key}.yaml" and r["rule"] == rule}


def revised_sentence(ehqa, root: Path, tmp: Path, name: str, charts: Path) -> str:
    out = tmp / name
    work = seed_charts(charts, tmp / f"{name}-work")
    result = ehqa("build", "--repo", root, "--out", out, "--work", work, "--as-of", TODAY)
    assert result.exit_code == 0, result.output
    return sentence((out / "cycles" / "2026-10.html").read_text(encoding="utf-8"))


@pytest.mark.rule("R7", "R12", "R16", "R17", "R19")
def test_each_role_records_its_part_and_the_follow_ups_close(git_service: Path, tmp_path: Path, ehqa, site: Path,
                                                            context, base_url: str, drawn_charts) -> None:
    root = git_service
    before = followups(ehqa, root)
    assert statuses(before, "2026-11/9189214", "R7") == {
        "return the Perspective of Worker form for case 9189214": "overdue"}
    assert set(statuses(before, CASE, "R19").values()) == {"open"}
    unrevised = sentence((site / "cycles" / "2026-10.html").read_text(encoding="utf-8"))
    assert unrevised.startswith("0 of ")

    for number, (person, path, text) in enumerate(STEPS):
        branch = f"step-{number}"
        git(root, "checkout", "-q", "-b", branch, "main")
        if text is None:
            assert return_the_form_in_the_browser(context, base_url, root) == root / path
        else:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"{person}: {Path(path).name}")
        checked = ehqa("check-pr", "--repo", root, "--base", "main", "--actor", f"{person}-eh", "--as-of", TODAY)
        assert checked.exit_code == 0, (person, path, checked.output)
        someone_else = ehqa("check-pr", "--repo", root, "--base", "main", "--actor", "ejones-eh", "--as-of", TODAY)
        assert someone_else.exit_code == 1, (path, someone_else.output)  # nobody else may add it
        git(root, "checkout", "-q", "main")
        git(root, "merge", "-q", "--no-ff", "-m", f"Merge {branch}", branch)

    assert ehqa("validate", "--repo", root, "--as-of", "2026-11-26").exit_code == 0
    after = followups(ehqa, root)
    assert set(statuses(after, "2026-11/9189214", "R7").values()) == {"done"}  # the form came back
    assert set(statuses(after, CASE, "R19").values()) == {"done"}  # reflective discussion
    smart = statuses(after, CASE, "R17")
    assert smart["SMART action a1: Record the child's views in the plan, in their words: what they want to change."] \
        == "done"
    assert [s for w, s in smart.items() if w.startswith("agree SMART actions")] == ["done"]  # the supervision note
    revised = revised_sentence(ehqa, root, tmp_path, "after", drawn_charts(FIXTURE_SERVICE))
    assert revised != unrevised and not revised.startswith("0 of "), revised  # a small count shows as [c]
