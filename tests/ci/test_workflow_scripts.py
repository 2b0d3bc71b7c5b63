"""The workflows' `run:` scripts that keep an issue, run as GitHub runs them, against a stand-in `ehqa`
and `gh` (moved here from tests/ci/test_workflows.py, which keeps the schema, lint and structure checks).

Issue 9: each issue is found by its author, GitHub Actions' bot, and its label; an issue that a
person opened, whatever its title, body or labels, is never edited.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS_DIR = ROOT / ".github" / "workflows"


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _step(workflow: str, job: str, name: str) -> dict:
    steps = _load(WORKFLOWS_DIR / workflow)["jobs"][job]["steps"]
    return next(step for step in steps if step.get("name") == name)


FOLLOWUPS_ENV = _load(WORKFLOWS_DIR / "followups.yml")["jobs"]["followups"]["env"]
MARKER = FOLLOWUPS_ENV["MARKER"]


def _bash_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A `run:` script as GitHub runs it with `shell: bash`."""
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                          capture_output=True, text=True, env=os.environ | env, timeout=120)


def _step_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "summary.md").touch()
    (tmp_path / "output").touch()
    return {"MARKER": MARKER, "TITLE": FOLLOWUPS_ENV["TITLE"], "RUN_URL": "https://github.example/run/1",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(tmp_path / "output")}


def _stand_in(bin_dir: Path, name: str, body: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    path = bin_dir / name
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)


FAKE_EHQA = """import os, sys
if "--fail-on" in sys.argv:
    sys.exit(int(os.environ["FAKE_EXIT"]))
markdown = os.environ.get("FAKE_MARKDOWN_FILE")
print(open(markdown, encoding="utf-8").read() if markdown else "## Follow-ups")
"""


@pytest.mark.parametrize(("exit_code", "overdue"), [(0, "false"), (1, "true")])
def test_the_followups_step_reads_the_exit_code(tmp_path: Path, exit_code: int, overdue: str) -> None:
    _stand_in(tmp_path / "bin", "ehqa", FAKE_EHQA)
    env = _step_env(tmp_path) | {"PATH": f"{tmp_path / 'bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
                                 "FAKE_EXIT": str(exit_code)}
    result = _bash_step(_step("followups.yml", "followups", "ehqa followups")["run"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output").read_text() == f"overdue={overdue}\n"
    assert (tmp_path / "summary.md").read_text() == "## Follow-ups\n"
    body = (tmp_path / "issue.md").read_text()
    assert body.startswith(MARKER + "\n\n## Follow-ups\n") and "https://github.example/run/1" in body


def test_the_followups_step_fails_when_ehqa_fails(tmp_path: Path) -> None:
    _stand_in(tmp_path / "bin", "ehqa", FAKE_EHQA)
    env = _step_env(tmp_path) | {"PATH": f"{tmp_path / 'bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
                                 "FAKE_EXIT": "2"}
    result = _bash_step(_step("followups.yml", "followups", "ehqa followups")["run"], tmp_path, env)
    assert result.returncode == 2
    assert (tmp_path / "output").read_text() == ""


def test_a_long_list_is_cut_short_for_the_issue(tmp_path: Path) -> None:
    _stand_in(tmp_path / "bin", "ehqa", FAKE_EHQA)
    markdown = "## Follow-ups\n" + "".join(f"| R17 | `audits/2026-01/{n:07d}.yaml` | overdue é |\n" for n in range(5000))
    (tmp_path / "long.md").write_text(markdown, encoding="utf-8")
    env = _step_env(tmp_path) | {"PATH": f"{tmp_path / 'bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
                                 "FAKE_EXIT": "1", "FAKE_MARKDOWN_FILE": str(tmp_path / "long.md")}
    result = _bash_step(_step("followups.yml", "followups", "ehqa followups")["run"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    body = (tmp_path / "issue.md").read_text(encoding="utf-8")
    assert len(body) < 65536
    assert "The list is cut short here" in body
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == markdown + "\n"  # the summary keeps it all


def test_the_followups_step_on_the_sample_service(service_copy: Path, tmp_path: Path, ehqa) -> None:
    """The real command on the sample service (something is overdue there on any day from 26 November 2026)."""
    check = ehqa("followups", "--repo", str(service_copy), "--fail-on", "overdue")
    assert check.exit_code in (0, 1), check.output
    env = _step_env(tmp_path) | {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = _bash_step(_step("followups.yml", "followups", "ehqa followups")["run"], service_copy, env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output").read_text() == f"overdue={'true' if check.exit_code else 'false'}\n"
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").startswith("## Follow-ups as of ")
    assert (service_copy / "issue.md").read_text(encoding="utf-8").startswith(MARKER)


FAKE_GH = """import json, os, sys
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["issue", "list"]:
    if os.environ.get("FAKE_GH_FAIL"):
        sys.exit("gh: HTTP 502")
    print(os.environ["FAKE_GH_ISSUES"])
"""

BOT = {"login": "app/github-actions", "is_bot": True}
PERSON = {"login": "someone", "is_bot": False}


def _issue(number: int, state: str, author: dict = BOT) -> dict:
    return {"number": number, "state": state, "author": author}


def _run_issue_step(tmp_path: Path, workflow: str, job: str, step: str, env: dict[str, str], issues: list[dict],
                    fail: bool = False):
    """Run an issue-keeping step with a stand-in gh; the calls it made, less the listing and the label."""
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed (GitHub's runners have it)")
    _stand_in(tmp_path / "bin", "gh", FAKE_GH)
    log = tmp_path / "gh.log"
    log.unlink(missing_ok=True)  # one log per run of the step
    env = {**env, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "FAKE_GH_LOG": str(log),
           "FAKE_GH_ISSUES": json.dumps(issues), "GH_TOKEN": "x", "GH_REPO": "o/r"}
    if fail:
        env["FAKE_GH_FAIL"] = "1"
    result = _bash_step(_step(workflow, job, step)["run"], tmp_path, env)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, calls, [c for c in calls if c[:2] not in (["issue", "list"], ["label", "create"])]


def _keep_issue(tmp_path: Path, overdue: bool, issues: list[dict], fail: bool = False):
    (tmp_path / "issue.md").write_text(f"{MARKER}\n\n## Follow-ups\n")
    env = _step_env(tmp_path) | {"OVERDUE": "true" if overdue else "false", "LABEL": FOLLOWUPS_ENV["LABEL"]}
    result, calls, changes = _run_issue_step(tmp_path, "followups.yml", "followups",
                                             "Keep the overdue follow-ups issue up to date", env, issues, fail)
    return result, changes


OTHER = _issue(3, "OPEN", PERSON)


def test_overdue_and_no_issue_yet_creates_one_with_its_label(tmp_path: Path) -> None:
    result, calls = _keep_issue(tmp_path, True, [OTHER])
    assert result.returncode == 0, result.stderr
    assert calls == [["issue", "create", "--title", "Overdue follow-ups", "--label", "ehqa-followups",
                      "--body-file", "issue.md"]]


def test_overdue_with_the_issue_open_edits_it(tmp_path: Path) -> None:
    issues = [OTHER, _issue(9, "CLOSED"), _issue(12, "OPEN")]
    result, calls = _keep_issue(tmp_path, True, issues)
    assert result.returncode == 0, result.stderr
    assert calls == [["issue", "edit", "12", "--title", "Overdue follow-ups", "--body-file", "issue.md"]]


def test_overdue_again_reopens_the_one_issue(tmp_path: Path) -> None:
    issues = [_issue(12, "CLOSED"), _issue(9, "CLOSED", {"login": "github-actions[bot]", "is_bot": True})]
    result, calls = _keep_issue(tmp_path, True, issues)
    assert result.returncode == 0, result.stderr
    assert calls == [["issue", "reopen", "9"],
                     ["issue", "edit", "9", "--title", "Overdue follow-ups", "--body-file", "issue.md"]]


def test_nothing_overdue_closes_the_issue(tmp_path: Path) -> None:
    result, calls = _keep_issue(tmp_path, False, [OTHER, _issue(12, "OPEN")])
    assert result.returncode == 0, result.stderr
    assert [c[:3] for c in calls] == [["issue", "edit", "12"], ["issue", "close", "12"]]
    assert "Nothing is overdue" in calls[1][-1]


def test_nothing_overdue_and_no_open_issue_does_nothing(tmp_path: Path) -> None:
    result, calls = _keep_issue(tmp_path, False, [OTHER, _issue(12, "CLOSED")])
    assert result.returncode == 0, result.stderr
    assert calls == []


def test_a_failed_issue_list_creates_nothing(tmp_path: Path) -> None:
    result, calls = _keep_issue(tmp_path, True, [], fail=True)
    assert result.returncode != 0
    assert calls == []


@pytest.mark.parametrize("planted", [
    _issue(1, "OPEN", PERSON),  # a person's issue, with the label and the marker copied in
    _issue(2, "OPEN", {"login": "github-actions", "is_bot": False}),  # a person cannot be the bot
    _issue(3, "OPEN", {"login": "app/other-bot", "is_bot": True}),  # nor can another app
])
def test_an_issue_planted_by_anyone_else_is_never_edited(tmp_path: Path, planted: dict) -> None:
    """Issue 9: anyone who could open an issue could plant the marker and have their issue edited."""
    planted = {**planted, "body": MARKER, "labels": [{"name": "ehqa-followups"}], "title": "Overdue follow-ups"}
    for overdue in (True, False):
        result, calls = _keep_issue(tmp_path, overdue, [planted])
        assert result.returncode == 0, result.stderr
        assert all(str(planted["number"]) not in call for call in calls), calls
    assert calls == []  # nothing overdue, and no issue of the workflow's own to close


def test_the_label_is_made_first_and_the_list_asks_for_it(tmp_path: Path) -> None:
    (tmp_path / "issue.md").write_text("x")
    env = _step_env(tmp_path) | {"OVERDUE": "true", "LABEL": FOLLOWUPS_ENV["LABEL"]}
    result, calls, _ = _run_issue_step(tmp_path, "followups.yml", "followups",
                                       "Keep the overdue follow-ups issue up to date", env, [])
    assert result.returncode == 0, result.stderr
    assert calls[0][:3] == ["label", "create", "ehqa-followups"] and "--force" in calls[0]  # idempotent
    assert calls[1][:2] == ["issue", "list"] and calls[1][calls[1].index("--label") + 1] == "ehqa-followups"


# --- the gate's report of a refused landing (gate.yml, job report) -----------------------------

GATE_REPORT = _load(WORKFLOWS_DIR / "gate.yml")["jobs"]["report"]
BEFORE, AFTER = "1" * 40, "2" * 40


def _report(tmp_path: Path, issues: list[dict]):
    env = {**{k: str(v) for k, v in GATE_REPORT["env"].items()}, "RUN_URL": "https://github.example/run/7",
           "BEFORE": BEFORE, "AFTER": AFTER, "PUSHER": "gwalsh-eh"}
    return _run_issue_step(tmp_path, "gate.yml", "report", "Open or update the one issue", env, issues)


def test_a_refused_landing_opens_one_labelled_issue(tmp_path: Path) -> None:
    result, calls, changes = _report(tmp_path, [_issue(4, "OPEN", PERSON)])
    assert result.returncode == 0, result.stderr
    assert calls[0][:3] == ["label", "create", "ehqa-gate"]
    assert changes == [["issue", "create", "--title", GATE_REPORT["env"]["TITLE"], "--label", "ehqa-gate",
                        "--body-file", "gate-issue.md"]]
    body = (tmp_path / "gate-issue.md").read_text(encoding="utf-8")
    assert f"`{BEFORE[:12]}..{AFTER[:12]}`" in body and "`gwalsh-eh`" in body and "https://github.example/run/7" in body


def test_a_second_refused_landing_comments_on_the_same_issue_and_reopens_it(tmp_path: Path) -> None:
    result, _, changes = _report(tmp_path, [_issue(4, "OPEN", PERSON), _issue(8, "CLOSED"), _issue(11, "CLOSED")])
    assert result.returncode == 0, result.stderr
    assert changes == [["issue", "reopen", "11"], ["issue", "comment", "11", "--body-file", "gate-issue.md"]]
    result, _, changes = _report(tmp_path, [_issue(11, "OPEN"), _issue(12, "OPEN", PERSON)])
    assert changes == [["issue", "comment", "11", "--body-file", "gate-issue.md"]]
