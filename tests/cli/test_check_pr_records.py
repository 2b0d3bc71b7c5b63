"""`ehqa check-pr` on follow-up records, on real Git repositories (issue 11): each row of the table of
who writes which record (framework/records.py) accepts its writer and refuses another person; a record
is added by the author its name gives, never changed once landed, and a QA officer may add one on
someone's behalf.

The audit is 2026-10/9160347 of the sample service: practitioner cahmed (team manager swright,
service manager dobi up the chain), auditors gwalsh and fgreen; completed 2026-10-14, closed at the
meeting of 22 October. "Today" is 20 November 2026.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import AS_OF as FIXTURE_DAY
from conftest import commit_service, copy_repository, copy_service, git
from ehqa.framework.records import BY_KIND
from ehqa.model.wording import a

AS_OF = "2026-11-20"
FOLDER = "audits/2026-10/9160347.records"
COMMON = 'case: "9160347"\ncycle: 2026-10\n'
AGREED = """kind: actions-agreed
{common}by: swright
date: 2026-10-28
with: cahmed
actions:
  - id: a1
    action: Record the child's views in the plan, in their words.
    owner: cahmed
    due: 2026-11-30
    measure: The plan quotes the child.
"""
# The fields beyond the common ones, for each kind; a writer who may, and one who may not.
BODIES = {
    "actions-agreed": ("with: cahmed\nactions:\n  - id: a2\n    action: Visit the school.\n    owner: cahmed\n"
                       "    due: 2026-12-15\n    measure: A visit note on file.\n"),
    "action-update": "action: a1\nstatus: done\n",
    "actions-reviewed": "reviews:\n  - action: a1\n    outcome: met\n",
    "supervision-note": "",
    "reflective-discussion": "with: cahmed\n",
    "oversight": "summary: The service manager reviewed the plan.\n",
    "review": "outcome: findings-upheld\nreason: The evidence supports the grades.\n",
    "feedback": "rule: R20\nto: [cahmed]\nsummary: The assessment's analysis was clear.\n",
    "report-sent": "to: swright\n",
    "casenote": "",
}
ROWS = [  # kind, a writer, another person who may not (the same role where there is another)
    ("actions-agreed", "swright", "mnowak"),  # the case's team manager; another team manager
    ("action-update", "cahmed", "ejones"),  # the action's owner; another practitioner
    ("action-update", "swright", "mnowak"),  # or the case's team manager
    ("actions-reviewed", "tpatel", "swright"),  # a QA officer
    ("supervision-note", "swright", "mnowak"),
    ("reflective-discussion", "swright", "mnowak"),
    ("oversight", "dobi", "nsmith"),  # the service manager over the practitioner; another service manager
    ("review", "jbryant", "tpatel"),  # the Head of Service for QA
    ("feedback", "gwalsh", "aevans"),  # one of the audit's auditors; another senior practitioner
    ("report-sent", "tpatel", "swright"),
    ("casenote", "tpatel", "swright"),
]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample service on main, with a second service manager (outside cahmed's chain) and the
    team manager's agreed actions landed; a pull-request branch checked out."""
    git_service = commit_service(copy_service(tmp_path_factory.mktemp("check-pr-records")))
    staff = git_service / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + (
        "  - id: nsmith\n    name: Nia Smith\n    role: service-manager\n    team: eh-south\n"
        "    line_manager: rkhan\n    github: nsmith-eh\n"), encoding="utf-8")
    add(git_service, f"{FOLDER}/2026-10-28.actions-agreed.swright.yaml", AGREED.format(common=COMMON))
    git(git_service, "add", "-A")
    git(git_service, "commit", "-q", "-m", "A second service manager; actions agreed")
    git(git_service, "checkout", "-q", "-b", "pr")
    return git_service


@pytest.fixture
def repo(prepared: Path, tmp_path: Path) -> Path:
    """``prepared``'s repository, copied for the test."""
    return copy_repository(prepared, tmp_path / "service")


def add(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def record(kind: str, by: str, extra: str = "") -> tuple[str, str]:
    return f"{FOLDER}/2026-11-02.{kind}.{by}.yaml", f"kind: {kind}\n{COMMON}by: {by}\ndate: 2026-11-02\n{extra}{BODIES[kind]}"


@pytest.fixture
def check(ehqa):
    def check(root: Path, actor: str) -> tuple[int, str]:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "a record")
        result = ehqa("check-pr", "--repo", root, "--base", "main", "--actor", f"{actor}-eh", "--as-of", AS_OF)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result.exit_code, result.output

    return check


# Issue 14's kinds, whose writers depend on when the audit lands and on the moderation sample: test_check_pr_grades.py.
OWN_GRADES = {"grades", "moderation"}


def test_every_kind_has_a_row() -> None:
    assert {kind for kind, _, _ in ROWS} | OWN_GRADES == set(BY_KIND)


@pytest.mark.rule("R10", "R12", "R15", "R16", "R17", "R19", "R20")
@pytest.mark.parametrize(("kind", "writer", "other"), ROWS, ids=[f"{k}-by-{w}" for k, w, _ in ROWS])
def test_the_writer_is_accepted_and_another_refused(repo: Path, check, ehqa, kind: str, writer: str, other: str) -> None:
    add(repo, *record(kind, other))
    code, out = check(repo, other)
    assert code == 1 and "error[OWN-RECORD-WRITER]" in out and f"{other} may not add {a(kind)} record" in out, out
    git(repo, "reset", "-q", "--hard", "main")

    add(repo, *record(kind, writer))
    code, out = check(repo, writer)
    assert code == 0, out
    validated = ehqa("validate", "--repo", repo, "--as-of", FIXTURE_DAY)  # the day the sample service is valid on
    assert validated.exit_code == 0, validated.output


@pytest.mark.rule("R16")
def test_a_qa_officer_records_on_behalf_of_the_writer_and_nobody_else_does(repo: Path, check) -> None:
    add(repo, *record("oversight", "tpatel", "on_behalf_of: dobi\nreceived: email\n"))
    assert check(repo, "tpatel")[0] == 0
    git(repo, "reset", "-q", "--hard", "main")
    add(repo, *record("oversight", "swright", "on_behalf_of: dobi\nreceived: email\n"))
    code, out = check(repo, "swright")
    assert code == 1 and "OWN-RECORD-WRITER" in out
    git(repo, "reset", "-q", "--hard", "main")
    add(repo, *record("oversight", "tpatel", "on_behalf_of: nsmith\nreceived: email\n"))  # nsmith may not
    code, out = check(repo, "tpatel")
    assert code == 1 and "OWN-RECORD-WRITER" in out


@pytest.mark.rule("R15")
def test_a_record_is_added_by_the_author_its_name_gives(repo: Path, check) -> None:
    path, text = record("supervision-note", "swright")
    add(repo, path, text)
    code, out = check(repo, "tpatel")  # a QA officer adding the team manager's file as it stands
    assert code == 1 and "error[OWN-RECORD-AUTHOR]" in out and "the file's name says swright wrote it" in out


@pytest.mark.rule("R17")
def test_a_record_that_has_landed_is_never_changed_or_deleted(repo: Path, check) -> None:
    landed = f"{FOLDER}/2026-10-28.actions-agreed.swright.yaml"
    path = repo / landed
    path.write_text(path.read_text(encoding="utf-8").replace("due: 2026-11-30", "due: 2027-01-31"), encoding="utf-8")
    code, out = check(repo, "swright")
    assert code == 1 and "error[OWN-RECORD-CHANGED]" in out and "may not be changed" in out
    git(repo, "reset", "-q", "--hard", "main")
    path.unlink()
    code, out = check(repo, "swright")
    assert code == 1 and "may not be deleted" in out


@pytest.mark.rule("R17")
def test_an_action_agreed_in_the_same_pull_request_has_its_owner(repo: Path, check) -> None:
    """The QA officer enters, from one email, the actions the team manager agreed and the owner's first
    update: the update's owner is known from the agreement in the same pull request."""
    add(repo, *record("actions-agreed", "tpatel", "on_behalf_of: swright\nreceived: email\n"))
    add(repo, f"{FOLDER}/2026-11-03.action-update.tpatel.yaml",
        f"kind: action-update\n{COMMON}by: tpatel\ndate: 2026-11-03\non_behalf_of: cahmed\nreceived: email\n"
        "action: a2\nstatus: changed\ndue: 2027-01-15\n")
    assert check(repo, "tpatel")[0] == 0
    git(repo, "reset", "-q", "--hard", "main")
    add(repo, f"{FOLDER}/2026-11-03.action-update.tpatel.yaml",  # a2 agreed nowhere: cahmed owns nothing
        f"kind: action-update\n{COMMON}by: tpatel\ndate: 2026-11-03\non_behalf_of: cahmed\nreceived: email\n"
        "action: a2\nstatus: done\n")
    code, out = check(repo, "tpatel")
    assert code == 1 and "OWN-RECORD-WRITER" in out


@pytest.mark.rule("R15", "R17")
def test_a_migration_lands_as_the_qa_officers_pull_request(git_service: Path, ehqa) -> None:
    """`ehqa migrate --by` writes every record as the QA officer's, on behalf of whoever acted, so the
    pull request that adds them passes `check-pr` from that QA officer, and from nobody else."""
    for folder in git_service.glob("audits/*/*.records"):
        shutil.rmtree(folder)
    git(git_service, "add", "-A")
    git(git_service, "commit", "-q", "-m", "The service before records")
    git(git_service, "checkout", "-q", "-b", "pr")
    migrated = ehqa("migrate", "--repo", git_service, "--as-of", FIXTURE_DAY, "--by", "tpatel")
    assert migrated.exit_code == 0 and "wrote" in migrated.output, migrated.output
    git(git_service, "add", "-A")
    git(git_service, "commit", "-q", "-m", "ehqa migrate")

    def check_pr(actor: str):
        return ehqa("check-pr", "--repo", git_service, "--base", "main", "--actor", f"{actor}-eh", "--as-of", FIXTURE_DAY)

    landed = check_pr("tpatel")
    assert landed.exit_code == 0, landed.output
    refused = check_pr("swright")  # a team manager opening the QA officer's migration
    assert refused.exit_code == 1 and "OWN-RECORD-AUTHOR" in refused.output
