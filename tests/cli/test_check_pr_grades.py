"""`ehqa check-pr` on auditors' own grades and moderators' records (issue 14), on real Git repositories.

The base branch is the sample service with qa.yaml's grading.independent: required from 2026-11, without the audit
2026-11/9183570 (auditors aevans and fgreen, completed 2026-11-19; its meeting is on 26 November, so it is open on
"today", 20 November), and with a moderation sample of 2026-10 that gives case 9160347 (practitioner cahmed,
auditors gwalsh and fgreen) to the QA officer tpatel.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_service, copy_repository, copy_service, git

AS_OF = "2026-11-20"
AUDIT = "audits/2026-11/9183570.yaml"
RECORDS = "audits/2026-11/9183570.records"
DOMAINS = ("assessment", "child-voice", "planning", "direct-work", "multi-agency", "management-oversight")
SAMPLE = """# yaml-language-server: $schema=../schemas/moderation.schema.json
cycle: 2026-10
seed: 7
drawn: 2026-11-02
sample: 1
cases:
  - case: "9160347"
    moderator: tpatel
"""


def own(kind: str, cycle: str, case: str, by: str, day: str, extra: str = "") -> tuple[str, str]:
    """A grades or moderation record of every domain, as the auditor or moderator ``by`` writes it."""
    domains = "".join(f"  {d}: good\n" for d in DOMAINS)
    summary = "summary: The plan follows from the assessment and the child is seen.\n" if kind == "moderation" else ""
    text = (f"# yaml-language-server: $schema=../../../schemas/record.schema.json\nkind: {kind}\ncase: \"{case}\"\n"
            f"cycle: {cycle}\nby: {by}\ndate: {day}\n{extra}domains:\n{domains}overall: good\n{summary}")
    return f"audits/{cycle}/{case}.records/{day}.{kind}.{by}.yaml", text


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The base branch as the module says, and the audit's text kept aside; a pull-request branch checked out."""
    git_service = commit_service(copy_service(tmp_path_factory.mktemp("check-pr-grades")))
    audit = (git_service / AUDIT).read_text(encoding="utf-8")
    (git_service / AUDIT).unlink()
    qa = git_service / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8") + "grading:\n  independent: required\n  from_cycle: 2026-11\n",
                  encoding="utf-8")
    write(git_service, "cycles/2026-10.moderation.yaml", SAMPLE)
    git(git_service, "add", "-A")
    git(git_service, "commit", "-q", "-m", "Grading required; the audit not yet in; a moderation sample")
    git(git_service, "checkout", "-q", "-b", "pr")
    return git_service, audit


@pytest.fixture
def repo(prepared: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """``prepared``'s repository, copied for the test, and the audit's text."""
    return copy_repository(prepared[0], tmp_path / "service"), prepared[1]


@pytest.fixture
def check(ehqa):
    def check(root: Path, actor: str, *files: tuple[str, str]) -> tuple[int, str]:
        for relative, text in files:
            write(root, relative, text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "a change")
        result = ehqa("check-pr", "--repo", root, "--base", "main", "--actor", f"{actor}-eh", "--as-of", AS_OF)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        git(root, "reset", "-q", "--hard", "main")
        return result.exit_code, result.output

    return check


def land(root: Path, *files: tuple[str, str]) -> None:
    git(root, "checkout", "-q", "main")
    for relative, text in files:
        write(root, relative, text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "landed")
    git(root, "checkout", "-q", "pr")
    git(root, "reset", "-q", "--hard", "main")


@pytest.mark.rule("R8")
def test_an_audit_needs_both_auditors_own_grades_landed_or_with_it(repo, check) -> None:
    root, audit = repo
    code, out = check(root, "aevans", (AUDIT, audit))
    assert code == 1 and "error[OWN-GRADES-MISSING]" in out and "none from aevans, fgreen" in out, out
    code, out = check(root, "aevans", (AUDIT, audit), own("grades", "2026-11", "9183570", "aevans", "2026-11-15"))
    assert code == 1 and "error[OWN-GRADES-MISSING]" in out and "none from fgreen:" in out, out
    land(root, own("grades", "2026-11", "9183570", "fgreen", "2026-11-16"))  # fgreen's own pull request, first
    code, out = check(root, "aevans", (AUDIT, audit), own("grades", "2026-11", "9183570", "aevans", "2026-11-15"))
    assert code == 0, out


@pytest.mark.rule("R8")
def test_own_grades_after_the_audit_has_landed_are_refused(repo, check) -> None:
    root, audit = repo
    land(root, (AUDIT, audit))
    code, out = check(root, "fgreen", own("grades", "2026-11", "9183570", "fgreen", "2026-11-16"))
    assert code == 1 and "error[OWN-GRADES-LATE]" in out and "already landed" in out, out


@pytest.mark.rule("R8")
def test_only_the_audits_auditors_add_their_own_grades_and_nobody_on_their_behalf(repo, check) -> None:
    root, _audit = repo
    code, out = check(root, "ejones", own("grades", "2026-11", "9183570", "ejones", "2026-11-15"))
    assert code == 1 and "error[OWN-RECORD-WRITER]" in out and "ejones may not add a grades record" in out, out
    behalf = own("grades", "2026-11", "9183570", "tpatel", "2026-11-15", "on_behalf_of: fgreen\nreceived: email\n")
    code, out = check(root, "tpatel", behalf)
    assert code == 1 and "error[OWN-RECORD-WRITER]" in out and "nobody else's" in out, out
    code, out = check(root, "aevans", own("grades", "2026-11", "9183570", "fgreen", "2026-11-15"))
    assert code == 1 and "error[OWN-RECORD-AUTHOR]" in out, out  # the partner's grades, added by the other
    code, out = check(root, "fgreen", own("grades", "2026-11", "9183570", "fgreen", "2026-11-15"))
    assert code == 0, out  # before the audit, with grading required: the auditor's own


@pytest.mark.rule("R12")
def test_only_the_moderator_the_sample_names_adds_the_moderation(repo, check, ehqa) -> None:
    root, _audit = repo
    code, out = check(root, "jbryant", own("moderation", "2026-10", "9160347", "jbryant", "2026-11-10"))
    assert code == 1 and "error[OWN-RECORD-WRITER]" in out and "only tpatel may" in out, out
    code, out = check(root, "tpatel", own("moderation", "2026-10", "9166102", "tpatel", "2026-11-10"))
    assert code == 1 and "nobody in staff.yaml yet" in out, out  # a case the sample does not hold
    moderation = own("moderation", "2026-10", "9160347", "tpatel", "2026-11-10")
    code, out = check(root, "tpatel", moderation)
    assert code == 0, out
    write(root, *moderation)
    validated = ehqa("validate", "--repo", root, "--as-of", AS_OF)
    assert "9160347" not in validated.output and "moderation" not in validated.output, validated.output
