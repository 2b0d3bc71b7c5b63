"""The gate (issue 9, items 1 and 3): a change is judged by code it cannot have touched.

Each test builds a real Git repository holding a copy of this project's tools/, pyproject.toml,
schemas/ and .github/scripts/ with the sample service (tests/fixtures/service) on ``main``, then
runs the gate exactly as .github/workflows/gate.yml does: .github/scripts/gate-context.sh works
out what to judge, and .github/scripts/gate.sh judges it, with the trusted copy of tools/ (a
worktree of the base commit, as the workflow's `trusted` checkout) on PYTHONPATH in place of an
installed ehqa. ``gh`` is a stand-in that answers from the test.

"Today" is the sample service's: cycle 2026-10's QA meeting (22 October) has passed, so its audits
are closed (R15); cycle 2026-11's meeting is on 26 November.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, git
from conftest import FIXTURE_SERVICE as FIXTURE

SCRIPTS = Path(".github") / "scripts"
CLOSED_AUDIT = "audits/2026-10/9160347.yaml"  # allocated to gwalsh and fgreen; meeting 2026-10-22
OPEN_AUDIT = "audits/2026-11/9183570.yaml"  # allocated to aevans and fgreen; meeting 2026-11-26

# The pull request's "fix" to the checker: whatever the rules find, report nothing.
ALLOW_EVERYTHING = '''

_judged_honestly = check_changes


def check_changes(*args, **kwargs):
    import dataclasses

    return dataclasses.replace(_judged_honestly(*args, **kwargs), findings=())
'''
# Files a change could add to have its own code run, were anything of it imported or executed.
TRIPWIRE_CODE = "import pathlib\npathlib.Path({path!r}).write_text('the change ran')\n"
TRIPWIRES = ("sitecustomize.py", "usercustomize.py", "yaml.py", "click.py", "git.py", "ehqa/__init__.py",
             "ehqa/__main__.py", "hooks.py")


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, ehqa) -> Path:
    """``repo``, made once for the module: each test gets a copy of it."""
    root = tmp_path_factory.mktemp("gate") / "qa"
    shutil.copytree(FIXTURE, root)
    shutil.rmtree(root / "schemas")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "tools", root / "tools", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / SCRIPTS, root / SCRIPTS)
    (root / ".gitignore").write_text("__pycache__/\n", encoding="utf-8")
    written = ehqa("codeowners", "--repo", str(root))
    assert written.exit_code == 0, written.output
    git(root, "init", "-q", "-b", "main")
    commit(root, "The sample service, with ehqa")
    return root


@pytest.fixture
def repo(tmp_path: Path, prepared: Path) -> Path:
    """This project's code, schemas and gate scripts with the sample service, committed on main (a copy, Git's
    folder and all, of the one ``prepared`` made for the module)."""
    root = tmp_path / "qa"
    shutil.copytree(prepared, root, symlinks=True)
    return root


def regrade_and_rewrite_the_checker(root: Path, tripwire: Path | None = None) -> None:
    """What the attacking pull request does: regrade a closed audit (R15 forbids it) and teach the
    checker to allow everything, plus, with ``tripwire``, plant code that would show it ever ran."""
    edit(root, CLOSED_AUDIT, "grade: good\n  summary:",  # with its reason, valid (AUDIT-OVERALL, R8)
         "grade: outstanding\n  reason: Better than any one domain shows, on a second look.\n  summary:")
    with open(root / "tools/ehqa/rules/ownership.py", "a", encoding="utf-8") as handle:
        handle.write(ALLOW_EVERYTHING)
    if tripwire is not None:
        for name in TRIPWIRES:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(TRIPWIRE_CODE.format(path=str(tripwire)), encoding="utf-8")
        (root / "mkdocs.yml").write_text("site_name: x\nhooks:\n  - hooks.py\n", encoding="utf-8")


def worktree(root: Path, commit_id: str, where: Path) -> Path:
    """A commit's files in a folder of their own, as the workflow's checkouts are."""
    git(root, "worktree", "add", "-q", "--detach", str(where), commit_id)
    return where


def run_gate(scripts_from: Path, repo_root: Path, base: str, head: str, actor: str, tools: Path,
             as_of: date | str = AS_OF) -> subprocess.CompletedProcess:
    """.github/scripts/gate.sh, as the workflow's last step runs it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "GATE_", "EHQA_"))}
    env |= {"GATE_REPO": str(repo_root), "GATE_BASE": base, "GATE_HEAD": head, "GATE_ACTOR": actor,
            "EHQA_TOOLS": str(tools), "EHQA_PYTHON": sys.executable, "GATE_FORMAT": "text", "GATE_AS_OF": str(as_of)}
    return subprocess.run(["bash", str(scripts_from / SCRIPTS / "gate.sh")], env=env, capture_output=True,
                          text=True, timeout=600)


FAKE_GH = """import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
answers = json.loads(os.environ["FAKE_GH_ANSWERS"])
key = " ".join(args[:2])
if key not in answers:
    sys.exit("gh: no answer for " + key)
print(answers[key])
"""


def run_context(scripts_from: Path, tmp_path: Path, event: str, gh_answers: dict[str, str],
                **values: str) -> tuple[subprocess.CompletedProcess, dict[str, str], list[list[str]]]:
    """.github/scripts/gate-context.sh for an event, with a stand-in gh: its result, outputs and gh calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}")
    (bin_dir / "gh").chmod(0o755)
    output, log = tmp_path / "github_output", tmp_path / "gh.log"
    output.write_text("")
    log.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "EVENT": event, "GITHUB_OUTPUT": str(output),
           "FAKE_GH_LOG": str(log), "FAKE_GH_ANSWERS": json.dumps(gh_answers), "GH_REPO": "millbrook/qa",
           "GH_TOKEN": "x", **values}
    done = subprocess.run(["bash", str(scripts_from / SCRIPTS / "gate-context.sh")], env=env, capture_output=True,
                          text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return done, outputs, calls


# --- item 1: a pull request cannot rewrite its own check --------------------------------------------


@pytest.mark.rule("R15")
def test_a_pull_request_that_rewrites_the_checker_still_has_its_regrade_refused(repo: Path, tmp_path: Path) -> None:
    base = git(repo, "rev-parse", "main")
    git(repo, "checkout", "-q", "-b", "pr")
    tripwire = tmp_path / "the-change-ran"
    regrade_and_rewrite_the_checker(repo, tripwire)
    head = commit(repo, "Regrade, and a small fix to the checker")
    trusted = worktree(repo, base, tmp_path / "trusted")  # the workflow's `trusted` checkout

    done, outputs, _ = run_context(trusted, tmp_path, "pull_request_target", {}, GATE_REPO=str(repo),
                                   PR_BASE=base, PR_HEAD=head, PR_AUTHOR="gwalsh-eh")
    assert done.returncode == 0, done.stderr
    assert outputs == {"base": base, "head": head, "actor": "gwalsh-eh"}

    gate = run_gate(trusted, repo, outputs["base"], outputs["head"], outputs["actor"], trusted / "tools")
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert f"{CLOSED_AUDIT}: error[OWN-CLOSED-REWRITE]" in gate.stdout
    assert "'overall.grade' and 'overall.reason' were rewritten or deleted" in gate.stdout, gate.stdout
    assert "refused: check-pr failed" in gate.stdout  # validate and codeowners pass: the regrade is valid YAML

    # The pull request's own checker, through the very same script, would have let it through.
    own = run_gate(trusted, repo, base, head, "gwalsh-eh", worktree(repo, head, tmp_path / "pr") / "tools")
    assert own.returncode == 0, own.stdout + own.stderr
    assert "passed: validate, check-pr and codeowners --check" in own.stdout
    assert "OWN-CLOSED-REWRITE" not in own.stdout

    assert not tripwire.exists(), "the gate imported or ran a file of the change"
    assert git(repo, "worktree", "list").count("\n") == 2  # the gate's scratch worktree is gone again


@pytest.mark.rule("R4")
def test_the_gate_reads_the_base_s_staff_not_the_pull_request_s(repo: Path, tmp_path: Path, ehqa) -> None:
    """A pull request cannot make its author a QA officer for its own changes."""
    base = git(repo, "rev-parse", "main")
    git(repo, "checkout", "-q", "-b", "pr")
    edit(repo, "staff.yaml", "github: tpatel-eh", "github: intruder")  # the QA officer's handle, taken over
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    head = commit(repo, "me, a QA officer")
    ehqa("codeowners", "--repo", str(repo))
    head = commit(repo, "CODEOWNERS")
    trusted = worktree(repo, base, tmp_path / "trusted")
    gate = run_gate(trusted, repo, base, head, "intruder", trusted / "tools")
    assert gate.returncode == 1 and "OWN-UNKNOWN-ACTOR" in gate.stdout, gate.stdout


def test_a_bad_setting_is_a_clear_error_not_a_traceback(repo: Path, tmp_path: Path) -> None:
    base = git(repo, "rev-parse", "main")
    trusted = worktree(repo, base, tmp_path / "trusted")
    missing = run_gate(trusted, repo, base, "0" * 40, "gwalsh-eh", trusted / "tools")
    assert missing.returncode == 2 and "fetch it first" in missing.stderr and "Traceback" not in missing.stderr
    nowhere = run_gate(trusted, repo, base, base, "gwalsh-eh", tmp_path)
    assert nowhere.returncode == 2 and "holds no ehqa package" in nowhere.stderr


# --- item 3: a verdict that goes stale; every landing is judged again ------------------------------


@pytest.mark.rule("R15")
def test_a_landed_regrade_is_refused_on_main_by_the_code_before_the_push(repo: Path, tmp_path: Path) -> None:
    before = git(repo, "rev-parse", "main")
    git(repo, "checkout", "-q", "-b", "pr")
    regrade_and_rewrite_the_checker(repo)
    commit(repo, "Regrade, and a small fix to the checker")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request #7", "pr")
    after = git(repo, "rev-parse", "main")
    trusted = worktree(repo, before, tmp_path / "trusted")  # on push, the trusted checkout is main before it

    # gh knows of no pull request merged as this commit: the pusher is the actor.
    done, outputs, calls = run_context(trusted, tmp_path, "push", {"api repos/millbrook/qa/commits/" + after: "[]"},
                                       GATE_REPO=str(repo), PUSH_BEFORE=before, PUSH_AFTER=after, PUSHER="gwalsh-eh")
    assert done.returncode == 0, done.stderr
    assert outputs == {"base": before, "head": after, "actor": "gwalsh-eh"}
    assert calls == [["api", f"repos/millbrook/qa/commits/{after}/pulls"]]

    gate = run_gate(trusted, repo, outputs["base"], outputs["head"], outputs["actor"], trusted / "tools")
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert f"{CLOSED_AUDIT}: error[OWN-CLOSED-REWRITE]" in gate.stdout
    assert "::error title=ehqa gate::refused" in gate.stdout  # loud: an error annotation on the run


@pytest.mark.rule("R15")
def test_a_change_checked_before_the_meeting_is_refused_when_it_lands_after_it(repo: Path, tmp_path: Path) -> None:
    """The stale green check: the pull request passed on the day of the meeting; landed the next day, the audit had closed."""
    before = git(repo, "rev-parse", "main")
    git(repo, "checkout", "-q", "-b", "pr")
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    head = commit(repo, "A late change to an open audit")
    trusted = worktree(repo, before, tmp_path / "trusted")
    assert run_gate(trusted, repo, before, head, "aevans-eh", trusted / "tools", as_of="2026-11-26").returncode == 0
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "pr")
    landed = run_gate(trusted, repo, before, git(repo, "rev-parse", "main"), "aevans-eh", trusted / "tools",
                      as_of="2026-11-27")
    assert landed.returncode == 1 and "OWN-AMENDMENT-MISSING" in landed.stdout, landed.stdout


def test_a_landing_is_judged_as_the_author_of_the_pull_request_github_merged(repo: Path, tmp_path: Path) -> None:
    before = git(repo, "rev-parse", "main")
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    after = commit(repo, "Squashed pull request #9")
    pulls = [{"number": 9, "merged_at": "2026-11-20T10:00:00Z", "merge_commit_sha": after, "user": {"login": "aevans-eh"}},
             {"number": 3, "merged_at": None, "merge_commit_sha": after, "user": {"login": "bcole-eh"}}]
    done, outputs, _ = run_context(ROOT, tmp_path, "push", {f"api repos/millbrook/qa/commits/{after}/pulls":
                                                            json.dumps(pulls)},
                                   GATE_REPO=str(repo), PUSH_BEFORE=before, PUSH_AFTER=after, PUSHER="tpatel-eh")
    assert done.returncode == 0, done.stderr
    assert outputs["actor"] == "aevans-eh" and "pushed by tpatel-eh" in done.stdout


def test_a_force_push_to_main_fails_loudly(repo: Path, tmp_path: Path) -> None:
    before = git(repo, "rev-parse", "main")
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo, "on main")
    git(repo, "reset", "-q", "--hard", before)
    edit(repo, CLOSED_AUDIT, "grade: good\n  summary:", "grade: outstanding\n  summary:")
    git(repo, "commit", "-q", "--amend", "-a", "-m", "history rewritten")
    rewritten = git(repo, "rev-parse", "HEAD")
    old_tip = git(repo, "rev-parse", "HEAD@{1}")
    for gone in (old_tip, "f" * 40):  # still in the clone, or not in it at all
        done, outputs, _ = run_context(ROOT, tmp_path, "push", {}, GATE_REPO=str(repo), PUSH_BEFORE=gone,
                                       PUSH_AFTER=rewritten, PUSHER="tpatel-eh")
        assert done.returncode == 1 and outputs == {}
        assert "::error title=ehqa gate::main was rewritten" in done.stderr


def test_a_new_main_has_nothing_to_be_judged_against(repo: Path, tmp_path: Path) -> None:
    done, outputs, _ = run_context(ROOT, tmp_path, "push", {}, GATE_REPO=str(repo), PUSH_BEFORE="0" * 40,
                                   PUSH_AFTER=git(repo, "rev-parse", "main"), PUSHER="tpatel-eh")
    assert done.returncode == 1 and outputs == {} and "main is new" in done.stderr  # the workflow skips it first


def test_a_merge_group_is_judged_against_its_base_as_its_pull_request_s_author(repo: Path, tmp_path: Path) -> None:
    base = git(repo, "rev-parse", "main")
    git(repo, "checkout", "-q", "-b", "gh-readonly-queue/main/pr-12-" + base)
    regrade_and_rewrite_the_checker(repo)
    head = commit(repo, "Merge group for #12")
    done, outputs, calls = run_context(ROOT, tmp_path, "merge_group", {"pr view": "gwalsh-eh"}, GATE_REPO=str(repo),
                                       MQ_BASE=base, MQ_HEAD=head,
                                       MQ_HEAD_REF=f"refs/heads/gh-readonly-queue/main/pr-12-{base}")
    assert done.returncode == 0, done.stderr
    assert outputs == {"base": base, "head": head, "actor": "gwalsh-eh"}
    assert calls == [["pr", "view", "12", "--json", "author", "--jq", ".author.login"]]
    trusted = worktree(repo, base, tmp_path / "trusted")
    gate = run_gate(trusted, repo, base, head, outputs["actor"], trusted / "tools")
    assert gate.returncode == 1 and "OWN-CLOSED-REWRITE" in gate.stdout


@pytest.mark.parametrize(("event", "values", "message"), [
    ("merge_group", {"MQ_BASE": "a" * 40, "MQ_HEAD": "b" * 40, "MQ_HEAD_REF": "refs/heads/somewhere"},
     "cannot tell which pull request"),
    ("pull_request_target", {"PR_BASE": "main", "PR_HEAD": "b" * 40, "PR_AUTHOR": "x"}, "not a commit id"),
    ("pull_request_target", {"PR_BASE": "a" * 40, "PR_HEAD": "b" * 40, "PR_AUTHOR": "x"}, "is not in"),
    ("workflow_dispatch", {}, "does not run on workflow_dispatch"),
])
def test_context_refuses_what_it_cannot_judge(repo: Path, tmp_path: Path, event: str, values: dict,
                                             message: str) -> None:
    done, outputs, _ = run_context(ROOT, tmp_path, event, {}, GATE_REPO=str(repo), **values)
    assert done.returncode == 1 and outputs == {}
    assert message in done.stderr, done.stderr


def test_a_handle_that_is_not_one_is_refused(repo: Path, tmp_path: Path) -> None:
    main = git(repo, "rev-parse", "main")
    done, outputs, _ = run_context(ROOT, tmp_path, "pull_request_target", {}, GATE_REPO=str(repo), PR_BASE=main,
                                   PR_HEAD=main, PR_AUTHOR="x --as-of 2020-01-01")
    assert done.returncode == 1 and "not a GitHub handle" in done.stderr
