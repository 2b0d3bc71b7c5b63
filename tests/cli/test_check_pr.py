"""`ehqa check-pr` on real Git repositories: who may change an audit, and how a closed one changes (issue 5).

Each test makes a Git repository of the sample service (tests/fixtures/service) on ``main``,
branches, changes files as a pull request would, and runs the command as CI does. "Today" is
20 November 2026: cycle 2026-11's QA meeting (26 November) is still to come, so its audits are
open; 2026-10's (22 October) has passed, so its audits are closed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_SERVICE as FIXTURE
from conftest import commit_service, copy_repository, copy_service, git
from ehqa.framework.checks import RULES

AS_OF = "2026-11-20"
OPEN_AUDIT = "audits/2026-11/9183570.yaml"  # allocated to aevans and fgreen; meeting 2026-11-26
CLOSED_AUDIT = "audits/2026-10/9160347.yaml"  # allocated to gwalsh and fgreen; meeting 2026-10-22
WORKER_FORM = "audits/2026-10/9178456.worker.yaml"  # practitioner iokoro


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``repo``, made once for the module."""
    git_service = commit_service(copy_service(tmp_path_factory.mktemp("check-pr")))
    staff = git_service / "staff.yaml"
    # Every person has a GitHub handle; one is written in capitals, as people do.
    staff.write_text(staff.read_text(encoding="utf-8").replace("github: fgreen-eh", "github: FGreen-EH"),
                     encoding="utf-8")
    commit(git_service, "A handle written in capitals")
    git(git_service, "checkout", "-q", "-b", "pr")
    return git_service


@pytest.fixture
def repo(prepared: Path, tmp_path: Path) -> Path:
    """The sample service committed on main, with a pull-request branch checked out (a copy of ``prepared``)."""
    return copy_repository(prepared, tmp_path / "service")


@pytest.fixture
def check(ehqa):
    """`ehqa check-pr` of the branch against main, as ``actor``, on 20 November: its exit code and output."""

    def check(root: Path, actor: str, *extra: str) -> tuple[int, str]:
        result = ehqa("check-pr", "--repo", str(root), "--base", "main", "--actor", actor, "--as-of", AS_OF, *extra)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result.exit_code, result.output

    return check


def commit(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(root: Path, relative: str, text: str) -> None:
    with open(root / relative, "a", encoding="utf-8") as handle:
        handle.write(text)


AMENDMENT = """
amendments:
  - by: {by}
    date: 2026-11-18
    why: The strength recorded about the safety plan was confirmed with the school at the meeting.
"""


# --- who may change an audit (R4) ----------------------------------------------------------


@pytest.mark.rule("R4")
def test_rejects_a_change_by_someone_not_allocated(repo: Path, check) -> None:
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo)
    code, out = check(repo, "bcole-eh")
    assert code == 1
    assert re.search(rf"^{re.escape(OPEN_AUDIT)}: error\[OWN-NOT-ALLOCATED\]: bcole may not change this audit: "
                     r"only its allocated auditors \(aevans, fgreen\) or a QA officer may \(R4\)$", out, re.M), out
    assert "refused" in out


@pytest.mark.parametrize("actor", ["aevans-eh", "fgreen-eh", "FGREEN-eh", "@AEvans-EH"])
@pytest.mark.rule("R4")
def test_accepts_an_allocated_auditor_whatever_the_case_of_the_handle(repo: Path, actor: str, check) -> None:
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo)
    code, out = check(repo, actor)
    assert code == 0, out
    assert out.startswith("ok: ")


@pytest.mark.parametrize("actor", ["tpatel-eh", "jbryant-eh"])  # QA officer; Head of Service for QA
@pytest.mark.rule("R4")
def test_accepts_a_qa_officer(repo: Path, actor: str, check) -> None:
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    (repo / "audits/2026-11/9183570.worker.yaml").unlink()
    commit(repo)
    code, out = check(repo, actor)
    assert code == 0, out


@pytest.mark.rule("R4")
def test_a_new_audit_by_its_auditor_is_accepted_and_by_another_refused(repo: Path, check) -> None:
    (repo / OPEN_AUDIT).unlink()
    commit(repo, "start again")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "pr")
    git(repo, "checkout", "-q", "-b", "pr2")
    shutil.copy(FIXTURE / OPEN_AUDIT, repo / OPEN_AUDIT)
    commit(repo, "the audit")
    assert check(repo, "aevans-eh")[0] == 0
    code, out = check(repo, "iokoro-eh")
    assert code == 1 and "iokoro may not add this audit" in out


@pytest.mark.rule("R4")
def test_unknown_actor_is_refused_per_file(repo: Path, check) -> None:
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    edit(repo, "audits/2026-11/9189214.yaml", "completed:", "# checked again\ncompleted:")
    commit(repo)
    code, out = check(repo, "someone-else")
    assert code == 1
    assert out.count("error[OWN-UNKNOWN-ACTOR]") == 2 and "'someone-else' is not in staff.yaml" in out


@pytest.mark.rule("R4")
def test_the_directory_and_allocation_come_from_base_not_from_the_pull_request(repo: Path, check) -> None:
    """A pull request cannot let its author in by giving them a handle or a place in the allocation."""
    edit(repo, "cycles/2026-11.allocation.yaml", "auditors: [aevans, fgreen]", "auditors: [aevans, bcole]")
    edit(repo, "staff.yaml", "github: aevans-eh", "github: intruder")
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo)
    assert check(repo, "bcole-eh")[0] == 1
    code, out = check(repo, "intruder")
    assert code == 1 and "OWN-UNKNOWN-ACTOR" in out


@pytest.mark.rule("R7")
def test_only_the_practitioner_or_qa_changes_a_worker_form(repo: Path, check) -> None:
    edit(repo, WORKER_FORM, "submitted:", "# sent by email first\nsubmitted:")
    commit(repo)
    assert check(repo, "iokoro-eh")[0] == 0
    assert check(repo, "tpatel-eh")[0] == 0
    code, out = check(repo, "aevans-eh")
    assert code == 1
    assert (f"{WORKER_FORM}: error[OWN-NOT-PRACTITIONER]: aevans may not change this Perspective of Worker form: "
            "only the case's practitioner, iokoro, or a QA officer may (R7)") in out


@pytest.mark.rule("R4")
def test_a_leaver_is_refused(repo: Path, check) -> None:
    edit(repo, "staff.yaml", "github: aevans-eh", "github: aevans-eh\n    left: 2026-11-15")
    commit(repo, "Amy left")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "pr")
    git(repo, "checkout", "-q", "-b", "pr2")
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo)
    code, out = check(repo, "aevans-eh")
    assert code == 1 and "OWN-ACTOR-LEFT" in out and "left the service on 2026-11-15" in out


# --- closed audits (R15) -----------------------------------------------------------------------


@pytest.mark.rule("R15")
def test_rejects_a_rewrite_of_a_closed_audit(repo: Path, check) -> None:
    edit(repo, CLOSED_AUDIT, "grade: good\n  summary:", "grade: outstanding\n  summary:")
    commit(repo)
    for actor in ("gwalsh-eh", "tpatel-eh"):  # its auditor, and even the QA officer
        code, out = check(repo, actor)
        assert code == 1
        assert f"{CLOSED_AUDIT}: error[OWN-CLOSED-REWRITE]: this audit closed at its QA meeting on 2026-10-22; " \
               "'overall.grade' was rewritten or deleted." in out


@pytest.mark.rule("R15")
def test_rejects_a_rewrite_even_with_an_amendment(repo: Path, check) -> None:
    edit(repo, CLOSED_AUDIT, "  - The older child knows their safety plan by heart.\n", "")
    append(repo, CLOSED_AUDIT, AMENDMENT.format(by="gwalsh"))
    commit(repo)
    code, out = check(repo, "gwalsh-eh")
    assert code == 1 and "'strengths' was rewritten or deleted" in out


@pytest.mark.rule("R15")
def test_accepts_an_appended_amendment(repo: Path, check) -> None:
    append(repo, CLOSED_AUDIT, AMENDMENT.format(by="gwalsh"))
    commit(repo)
    code, out = check(repo, "gwalsh-eh")
    assert code == 0, out
    # and a second one later, by the QA officer, leaving the first as it was
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "pr")
    git(repo, "checkout", "-q", "-b", "pr2")
    append(repo, CLOSED_AUDIT, "  - by: tpatel\n    date: 2026-11-19\n    why: The case note reference was added.\n")
    commit(repo)
    assert check(repo, "tpatel-eh")[0] == 0


@pytest.mark.rule("R15")
def test_rejects_an_amendment_signed_by_someone_else(repo: Path, check) -> None:
    append(repo, CLOSED_AUDIT, AMENDMENT.format(by="fgreen"))
    commit(repo)
    code, out = check(repo, "gwalsh-eh")
    assert code == 1
    assert (f"{CLOSED_AUDIT}: error[OWN-AMENDMENT-BY]: amendment 1 is signed by fgreen, but the change is made by "
            "gwalsh: each person appends and signs their own amendment (by: gwalsh) (R15)") in out


@pytest.mark.rule("R15")
def test_rejects_rewriting_an_earlier_amendment(repo: Path, check) -> None:
    append(repo, CLOSED_AUDIT, AMENDMENT.format(by="gwalsh"))
    commit(repo)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "pr")
    git(repo, "checkout", "-q", "-b", "pr2")
    edit(repo, CLOSED_AUDIT, "confirmed with the school", "confirmed with the health visitor")
    commit(repo)
    code, out = check(repo, "gwalsh-eh")
    assert code == 1 and "amendment 1 was rewritten" in out


@pytest.mark.rule("R15")
def test_rejects_deleting_a_closed_audit(repo: Path, check) -> None:
    (repo / CLOSED_AUDIT).unlink()
    commit(repo)
    code, out = check(repo, "tpatel-eh")
    assert code == 1
    assert f"{CLOSED_AUDIT}: error[OWN-CLOSED-DELETE]: this audit closed at its QA meeting on 2026-10-22 and may " \
           "not be deleted" in out


@pytest.mark.rule("R15")
def test_a_closed_audit_changed_without_an_amendment_is_refused(repo: Path, check) -> None:
    edit(repo, CLOSED_AUDIT, "completed:", "# a comment added later\ncompleted:")
    commit(repo)
    code, out = check(repo, "gwalsh-eh")
    assert code == 1 and "OWN-AMENDMENT-MISSING" in out


@pytest.mark.rule("R15")
def test_the_follow_up_record_is_filled_in_without_an_amendment_but_never_changed(repo: Path, check) -> None:
    edit(repo, CLOSED_AUDIT, "  casenote_recorded: 2026-10-23\n",
         "  casenote_recorded: 2026-10-23\n  reflective_discussion: 2026-11-02\n")
    commit(repo)
    code, out = check(repo, "tpatel-eh")
    assert code == 0, out
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "pr")
    git(repo, "checkout", "-q", "-b", "pr2")
    edit(repo, CLOSED_AUDIT, "report_sent_to_manager: 2026-10-23", "report_sent_to_manager: 2026-10-26")
    commit(repo)
    code, out = check(repo, "tpatel-eh")
    assert code == 1 and "'followup.report_sent_to_manager' was rewritten or deleted" in out


@pytest.mark.rule("R15")
def test_an_audit_closes_only_after_its_meeting(repo: Path, check, ehqa) -> None:
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo)
    assert check(repo, "aevans-eh")[0] == 0  # 20 November: before the 26 November meeting
    result = ehqa("check-pr", "--repo", str(repo), "--base", "main", "--actor", "aevans-eh",
                  "--as-of", "2026-11-27")
    assert result.exit_code == 1 and "OWN-AMENDMENT-MISSING" in result.output


# --- what the pull request changes ----------------------------------------------------------------


def test_only_what_the_branch_changes_counts(repo: Path, check) -> None:
    """base...head: main moving on after the branch left it is not the pull request's doing."""
    edit(repo, OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    (repo / CLOSED_AUDIT).unlink()  # on main, by the QA officer, after the branch was made
    commit(repo, "on main")
    git(repo, "checkout", "-q", "pr")
    code, out = check(repo, "aevans-eh")
    assert code == 0, out


def test_github_format_annotates_each_file(repo: Path, check) -> None:
    append(repo, CLOSED_AUDIT, AMENDMENT.format(by="fgreen"))
    commit(repo)
    code, out = check(repo, "gwalsh-eh", "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={CLOSED_AUDIT},title=OWN-AMENDMENT-BY::amendment 1 is signed by fgreen")


def test_nothing_to_judge_is_ok(repo: Path, check) -> None:
    edit(repo, "qa.yaml", "name: Millbrook", "name:  Millbrook")
    commit(repo)
    code, out = check(repo, "nobody-at-all")
    assert code == 0 and "changes no audit" in out


@pytest.mark.parametrize("args", [["--base", "no-such-branch"], ["--base", "main", "--head", "deadbeef"]])
def test_an_unknown_ref_is_a_usage_error(repo: Path, args: list[str], ehqa) -> None:
    result = ehqa("check-pr", "--repo", str(repo), "--actor", "aevans-eh", *args)
    assert result.exit_code == 2
    assert "unknown Git ref" in result.output and "Traceback" not in result.output


def test_a_folder_outside_git_is_a_usage_error(tmp_path: Path, ehqa) -> None:
    root = tmp_path / "tarball"
    shutil.copytree(FIXTURE, root)
    result = ehqa("check-pr", "--repo", str(root), "--base", "main", "--actor", "aevans-eh")
    assert result.exit_code == 2 and "not in a Git repository" in result.output


def test_an_unreadable_change_to_a_closed_audit_is_refused_not_a_crash(repo: Path, check) -> None:
    (repo / CLOSED_AUDIT).write_text("case: [unclosed\n", encoding="utf-8")
    commit(repo)
    code, out = check(repo, "gwalsh-eh")
    assert code == 1 and "OWN-CLOSED-REWRITE" in out and "cannot be read" in out


# --- nothing under audits/ or cycles/ goes unjudged (issue 9) ------------------------------------


def merge_and_branch(root: Path, branch: str) -> None:
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "pr")
    git(root, "checkout", "-q", "-b", branch)


@pytest.mark.rule("R4")
def test_the_symlink_attack_from_the_issue_is_refused(repo: Path, check) -> None:
    """An auditor makes X.yaml a link to X.YAML; later someone not allocated edits X.YAML."""
    audit = repo / OPEN_AUDIT
    capitals = audit.with_name("9183570.YAML")
    shutil.copy(audit, capitals)
    audit.unlink()
    audit.symlink_to(capitals.name)
    commit(repo, "an auditor's link")
    code, out = check(repo, "aevans-eh")  # allocated: the link is refused all the same
    assert code == 1
    assert re.search(rf"^{re.escape(OPEN_AUDIT)}: error\[FILE-SYMLINK\]: this is a symbolic link: .*\(R4\)$",
                     out, re.M), out
    assert "audits/2026-11/9183570.YAML: error[FILE-CASE]: this name differs only by case from " \
           f"{OPEN_AUDIT}" in out

    merge_and_branch(repo, "pr2")  # merged anyway (before this check existed): the next change is refused too
    edit(repo, "audits/2026-11/9183570.YAML", "overall:\n  grade: good", "overall:\n  grade: outstanding")
    commit(repo, "regrade")
    code, out = check(repo, "bcole-eh")
    assert code == 1 and "audits/2026-11/9183570.YAML: error[FILE-CASE]" in out, out

    git(repo, "checkout", "-q", "-b", "fix", "main")  # the QA officer puts it right: a regular file, the copy gone
    audit.unlink()
    shutil.copy(FIXTURE / OPEN_AUDIT, audit)
    capitals.unlink()
    commit(repo, "the real file again")
    code, out = check(repo, "tpatel-eh")
    assert code == 0, out


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("audits/2026-11/9183570.md", "FILE-UNKNOWN"),
        ("audits/2026-11/9183570.yml", "FILE-UNKNOWN"),
        ("cycles/notes.txt", "FILE-UNKNOWN"),
        ("Audits/2026-11/9183570.yaml", "FILE-CASE"),
        ("audits/2026-11/9183570.Worker.yaml", "FILE-CASE"),
        ("audits/2026-11/9199406.yaml/9199406.yaml", "FILE-STRAY-FOLDER"),
        ("audits/november/9183570.yaml", "FILE-STRAY-FOLDER"),
        ("cycles/2026-11/2026-11.yaml", "FILE-STRAY-FOLDER"),
    ],
)
@pytest.mark.rule("R4", "R8")
def test_a_file_nothing_reads_is_refused(repo: Path, path: str, rule: str, check) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((FIXTURE / OPEN_AUDIT).read_text(encoding="utf-8").replace("grade: good", "grade: outstanding"),
                      encoding="utf-8")
    commit(repo)
    for actor in ("bcole-eh", "tpatel-eh"):  # not allocated, and even the QA officer
        code, out = check(repo, actor)
        assert code == 1
        assert re.search(rf"^{re.escape(path)}: error\[{rule}\]: .*\({RULES[rule].cites}\)$", out, re.M), out


def test_two_names_that_differ_only_by_case_are_refused(repo: Path, check) -> None:
    (repo / "audits/2026-11/EH1.yaml").write_text("case: EH1\n", encoding="utf-8")
    commit(repo, "one")
    merge_and_branch(repo, "pr2")
    (repo / "audits/2026-11/eh1.yaml").write_text("case: EH1\n", encoding="utf-8")
    commit(repo, "the other")
    code, out = check(repo, "tpatel-eh")
    assert code == 1
    assert "audits/2026-11/eh1.yaml: error[FILE-CASE]: audits/2026-11/eh1.yaml and audits/2026-11/EH1.yaml differ " \
           "only by case" in out, out


@pytest.mark.rule("R4")
def test_a_symlink_in_cycles_is_refused_and_cited_once(repo: Path, check) -> None:
    (repo / "cycles/2026-12.yaml").symlink_to("2026-11.yaml")
    commit(repo)
    code, out = check(repo, "tpatel-eh", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=cycles/2026-12.yaml,title=FILE-SYMLINK::this is a symbolic link")
    assert out.count("(R4)") == 1  # cited once, not twice


def test_a_layout_problem_in_a_larger_work_tree_is_found(tmp_path: Path, check) -> None:
    top = tmp_path / "top"
    shutil.copytree(FIXTURE, top / "qa")
    git(top, "init", "-q", "-b", "main")
    commit(top, "the service, in a folder")
    git(top, "checkout", "-q", "-b", "pr")
    (top / "qa/AUDITS/2026-11").mkdir(parents=True)
    shutil.copy(FIXTURE / OPEN_AUDIT, top / "qa/AUDITS/2026-11/9183570.yaml")
    commit(top)
    code, out = check(top / "qa", "aevans-eh")
    assert code == 1 and "AUDITS/2026-11/9183570.yaml: error[FILE-CASE]" in out, out


@pytest.mark.parametrize("text", ["x: 0b_\n", "x: !!int foo\n", "x: !!seq {a: 1}\n"])
def test_malformed_yaml_from_the_issue_is_a_finding_not_a_crash(repo: Path, text: str, check) -> None:
    (repo / CLOSED_AUDIT).write_text(text, encoding="utf-8")
    (repo / OPEN_AUDIT).write_text(text, encoding="utf-8")
    commit(repo)
    code, out = check(repo, "fgreen-eh")  # allocated to both
    assert code == 1
    assert f"{CLOSED_AUDIT}: error[OWN-CLOSED-REWRITE]" in out and "the new version cannot be read (line 1: " in out
    assert OPEN_AUDIT not in out  # an open audit's content is validate's business; its verdict is still given


def test_a_long_value_is_cut_in_check_pr_messages(repo: Path, check) -> None:
    append(repo, CLOSED_AUDIT, AMENDMENT.format(by="x" * 10_000))
    commit(repo)
    code, out = check(repo, "gwalsh-eh", "--format", "github")
    assert code == 1 and "OWN-AMENDMENT-BY" in out
    assert "x" * 60 in out and "x" * 61 not in out


def test_a_qa_repository_in_a_folder_of_a_larger_work_tree(tmp_path: Path, check) -> None:
    top = tmp_path / "top"
    shutil.copytree(FIXTURE, top / "qa")
    git(top, "init", "-q", "-b", "main")
    commit(top, "the service, in a folder")
    git(top, "checkout", "-q", "-b", "pr")
    edit(top / "qa", OPEN_AUDIT, "completed:", "# checked again\ncompleted:")
    commit(top)
    assert check(top / "qa", "aevans-eh")[0] == 0
    code, out = check(top / "qa", "bcole-eh", "--format", "github")
    assert code == 1 and out.startswith(f"::error file=qa/{OPEN_AUDIT},title=OWN-NOT-ALLOCATED::")
