"""The shape of .github/workflows/gate.yml (issue 9, items 1 and 3): which events it judges, with which
permissions, and that nothing of the change is ever installed, imported or run. tests/ci/test_gate.py
runs its scripts on real repositories; this file reads the workflow itself.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

WORKFLOWS_DIR = ROOT / ".github" / "workflows"
GATE_FILE = WORKFLOWS_DIR / "gate.yml"
GATE = yaml.safe_load(GATE_FILE.read_text(encoding="utf-8"))
JOB = GATE["jobs"]["gate"]
STEPS = JOB["steps"]
ZEROS = "0" * 40


def _triggers(doc: dict) -> dict:
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` key as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def _checkout(path: str) -> dict:
    return next(s for s in STEPS if s.get("uses", "").startswith("actions/checkout@") and s["with"]["path"] == path)


def _evaluate(expression: str, event_name: str, event: dict, sha: str) -> str:
    """GitHub's value for the `${{ a.b || c.d }}` expressions the checkouts use (property paths and ||)."""
    match = re.fullmatch(r"\$\{\{\s*(.+?)\s*\}\}", expression)
    assert match, expression
    context = {"github": {"event_name": event_name, "event": event, "sha": sha}}
    for alternative in match.group(1).split("||"):
        value: object = context
        for key in alternative.strip().split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value:
            return str(value)
    return ""


EVENTS = {  # event name -> (payload, github.sha, the commit to trust, the commit to judge)
    "pull_request_target": ({"pull_request": {"base": {"sha": "b" * 40}, "head": {"sha": "h" * 40}}}, "t" * 40,
                            "b" * 40, "h" * 40),
    "merge_group": ({"merge_group": {"base_sha": "m" * 40, "head_sha": "g" * 40}}, "g" * 40, "m" * 40, "g" * 40),
    "push": ({"before": "1" * 40, "after": "2" * 40}, "2" * 40, "1" * 40, "2" * 40),
}


def test_it_judges_pull_requests_merge_groups_and_landings_on_main() -> None:
    triggers = _triggers(GATE)
    assert triggers["pull_request_target"]["branches"] == ["main"]
    assert triggers["merge_group"]["branches"] == ["main"]
    assert triggers["push"] == {"branches": ["main"]}
    assert set(triggers) == {"pull_request_target", "merge_group", "push"}
    assert JOB["name"] == "ehqa gate"  # the status check that branch protection requires, by this name
    assert 'status check "ehqa gate"' in (ROOT / "docs" / "github.md").read_text(encoding="utf-8")


def test_the_gate_job_can_read_and_nothing_more_and_keeps_no_credentials() -> None:
    assert JOB["permissions"] == {"contents": "read", "pull-requests": "read"}
    text = GATE_FILE.read_text(encoding="utf-8")
    assert not re.search(r"\$\{\{[^}]*\bsecrets\b", text), "the gate is given no secret"
    for step in STEPS:
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        assert not step.get("uses", "").startswith("./"), "a local action would run the change's code"


@pytest.mark.parametrize("event_name", EVENTS)
def test_the_code_comes_from_the_base_and_the_change_is_only_data(event_name: str) -> None:
    payload, sha, trusted_commit, judged_commit = EVENTS[event_name]
    trusted, judged = _checkout("trusted"), _checkout("judged")
    assert _evaluate(trusted["with"]["ref"], event_name, payload, sha) == trusted_commit
    assert _evaluate(judged["with"]["ref"], event_name, payload, sha) == judged_commit
    assert judged["with"]["fetch-depth"] == 0  # check-pr reads the history between them
    assert [s.get("with", {}).get("path") for s in STEPS if s.get("uses", "").startswith("actions/checkout@")] \
        == ["trusted", "judged"]  # no checkout into the workspace itself, the trusted one first


def test_nothing_is_installed_imported_or_run_from_the_change() -> None:
    runs = [step["run"] for step in STEPS if "run" in step]
    assert runs == ["bash trusted/.github/scripts/gate-context.sh",
                    "python -m pip install --require-hashes --no-deps -r trusted/requirements/ci.txt",
                    "bash trusted/.github/scripts/gate.sh"]
    setup = next(s for s in STEPS if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache-dependency-path"] == "trusted/requirements/ci.txt"
    gate = STEPS[-1]
    assert gate["env"]["EHQA_TOOLS"] == "trusted/tools" and gate["env"]["GATE_REPO"] == "judged"
    assert {gate["env"][k] for k in ("GATE_BASE", "GATE_HEAD", "GATE_ACTOR")} == {
        "${{ steps.context.outputs.base }}", "${{ steps.context.outputs.head }}", "${{ steps.context.outputs.actor }}"}
    for step in STEPS:
        for value in [step.get("run", ""), *map(str, step.get("env", {}).values())]:
            assert "judged/" not in value, f"{step.get('name')}: nothing under judged/ is used but as Git data"


def test_a_new_main_is_skipped_and_every_other_push_judged() -> None:
    condition = JOB["if"]
    assert f"github.event.before != '{ZEROS}'" in condition and "github.event_name != 'push'" in condition


def test_the_context_gets_each_event_s_facts_through_env() -> None:
    context = next(s for s in STEPS if s.get("id") == "context")
    assert context["env"]["PR_AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    assert context["env"]["PUSHER"] == "${{ github.actor }}"
    assert context["env"]["PUSH_BEFORE"] == "${{ github.event.before }}"
    assert context["env"]["MQ_HEAD_REF"] == "${{ github.event.merge_group.head_ref }}"


def test_a_refused_landing_is_reported_by_a_job_that_runs_nothing_of_the_repository() -> None:
    report = GATE["jobs"]["report"]
    assert report["needs"] == "gate"
    assert report["if"] == "${{ failure() && github.event_name == 'push' }}"
    assert report["permissions"] == {"issues": "write"}
    assert all("uses" not in step for step in report["steps"])
    assert "gh issue list --label \"$LABEL\"" in report["steps"][0]["run"]


def test_only_the_gate_runs_with_the_base_repository_s_token() -> None:
    """pull_request_target and workflow_run give a token to runs a pull request starts; only the gate, which
    runs nothing of the change, may use them."""
    for path in WORKFLOWS_DIR.glob("*.y*ml"):
        triggers = _triggers(yaml.safe_load(path.read_text(encoding="utf-8")))
        if path != GATE_FILE:
            assert not {"pull_request_target", "workflow_run"} & set(triggers), path.name


def test_pushes_are_never_cancelled() -> None:
    assert GATE["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request_target' }}"
    assert "github.sha" in GATE["concurrency"]["group"]  # one group per landing


def test_the_header_says_why_it_is_safe_and_what_must_never_be_added() -> None:
    header = GATE_FILE.read_text(encoding="utf-8").split("\nname:", 1)[0]
    for words in ("pull_request_target", "never from the pull request", "NEVER ADD", "secret", "mkdocs.yml",
                  "persist-credentials: false"):
        assert words in header, words
