"""What ehqa writes (issue 9, item 10): a re-draw of an allocation that went out says why; a new
file is created exclusively, never over one that appeared after a check; private documents never
go where they could be published or read as data. On copies of the sample service."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from conftest import AS_OF, git
from ehqa.load.strict_yaml import load_file
from ehqa.reporting.checker import Checker, ValidateOptions

ALLOCATION = "cycles/2026-11.allocation.yaml"  # the sample service's November draw: it has gone out
SOMEONE_ELSES = "# written by someone else, a moment ago\n"


def findings(repo: Path) -> list:
    found, _ = Checker(ValidateOptions(root=repo, as_of=AS_OF), out=io.StringIO()).findings()
    return found


def appears_after_the_check(monkeypatch, target: Path) -> None:
    """``target`` exists (someone else wrote it), but every existence check says it does not, as when
    it appears between a check and a write."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SOMEONE_ELSES, encoding="utf-8")
    real_exists = Path.exists

    def exists(self, *args, **kwargs):
        return False if self == target else real_exists(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", exists)


# --- allocate --force on an allocation that went out -----------------------------------------------


@pytest.mark.rule("R5")
def test_a_redraw_of_an_allocation_that_went_out_needs_a_reason_and_records_it(service_copy: Path, ehqa) -> None:
    target = service_copy / ALLOCATION
    before = target.read_bytes()
    old = load_file(target)

    refused = ehqa("allocate", "2026-11", "--repo", str(service_copy), "--as-of", AS_OF, "--seed", "7", "--force")
    assert refused.exit_code == 1
    assert "went out on 2026-11-" in refused.output and "--reason" in refused.output and "(R5)" in refused.output
    assert target.read_bytes() == before

    first = ehqa("allocate", "2026-11", "--repo", str(service_copy), "--as-of", AS_OF, "--seed", "7", "--force",
                 "--reason", "  EH auditor on long-term\nsick leave  ", "--partial")
    assert "wrote cycles/2026-11.allocation.yaml" in first.output, first.output
    written = load_file(target)
    assert written["reallocated"] == [{"date": str(AS_OF), "reason": "EH auditor on long-term sick leave",
                                       "replaced_seed": old["seed"], "replaced_allocated": old["allocated"]}]
    ehqa("allocate", "2026-11", "--repo", str(service_copy), "--as-of", AS_OF, "--seed", "8", "--force",
         "--reason", "second thoughts", "--partial")
    again = load_file(target)
    assert [r["reason"] for r in again["reallocated"]] == ["EH auditor on long-term sick leave", "second thoughts"]
    assert again["reallocated"][1]["replaced_seed"] == 7
    assert not [f for f in findings(service_copy) if f.file == ALLOCATION and f.rule.startswith(("SCHEMA", "YAML"))]


def test_reason_rules(service_copy: Path, ehqa) -> None:
    base = ("allocate", "2026-11", "--repo", str(service_copy), "--as-of", AS_OF, "--seed", "7")
    assert ehqa(*base, "--reason", "why").exit_code == 2  # nothing to replace without --force
    assert ehqa(*base, "--force", "--reason", "   ").exit_code == 2
    assert ehqa(*base, "--force", "--reason", "x" * 301).exit_code == 2
    before = (service_copy / ALLOCATION).read_bytes()
    dry = ehqa(*base, "--force", "--dry-run")  # a dry run writes nothing: no reason needed
    assert "went out" not in dry.output and "cycle 2026-11, seed 7" in dry.output, dry.output
    assert (service_copy / ALLOCATION).read_bytes() == before


def test_validate_accepts_a_recorded_redraw_and_checks_its_shape(service_copy: Path) -> None:
    target = service_copy / ALLOCATION
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "reallocated:\n  - date: 2026-11-12\n    reason: an auditor left\n", encoding="utf-8")
    assert findings(service_copy) == []
    target.write_text(text + "reallocated:\n  - date: 2026-11-12\n    reason: \"\"\n", encoding="utf-8")
    assert [f.rule for f in findings(service_copy) if f.file == ALLOCATION] == ["SCHEMA-LENGTH"]


def test_deleting_an_allocation_that_went_out_does_not_make_a_redraw_a_first_draw(service_copy: Path, ehqa) -> None:
    git(service_copy, "init", "-q", "-b", "main")
    git(service_copy, "add", "-A")
    git(service_copy, "commit", "-q", "-m", "the service, with November allocated")
    committed = load_file(service_copy / ALLOCATION)
    (service_copy / ALLOCATION).unlink()
    base = ("allocate", "2026-11", "--repo", str(service_copy), "--as-of", AS_OF, "--seed", "3", "--partial",
            "--late-reason", "drawn on the meeting day")  # late (R5): not what this test is about
    refused = ehqa(*base)
    assert refused.exit_code == 1 and "went out" in refused.output
    assert not (service_copy / ALLOCATION).exists()
    assert ehqa(*base, "--force").exit_code == 1
    ehqa(*base, "--force", "--reason", "the file was lost")
    redraw = load_file(service_copy / ALLOCATION)["reallocated"]
    assert redraw[0]["replaced_seed"] == committed["seed"] and redraw[0]["reason"] == "the file was lost"


def test_cycle_new_never_overwrites_a_file_that_appeared_after_its_check(service_copy: Path, monkeypatch, ehqa) -> None:
    target = service_copy / "cycles" / "2026-12.yaml"
    appears_after_the_check(monkeypatch, target)
    result = ehqa("cycle", "new", "2026-12", "--meeting", "2026-12-15", "--theme", "Neglect", "--repo",
                  str(service_copy), "--as-of", AS_OF)
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES


def test_cycle_plan_write_never_overwrites_a_file_that_appeared_after_its_check(service_copy: Path,
                                                                                monkeypatch, ehqa) -> None:
    target = service_copy / "cycles" / "2026-12.yaml"
    appears_after_the_check(monkeypatch, target)
    result = ehqa("cycle", "plan", "2026", "--write", "--repo", str(service_copy), "--as-of", AS_OF)
    assert "skipped cycles/2026-12.yaml: it exists" in result.output, result.output
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES


def test_new_audit_never_overwrites_even_without_hard_links(service_copy: Path, monkeypatch, ehqa) -> None:
    target = service_copy / "audits" / "2026-11" / "9189214.yaml"
    appears_after_the_check(monkeypatch, target)
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EPERM, "no hard links")))
    result = ehqa("new", "audit", "2026-11", "9189214", "--repo", str(service_copy), "--as-of", "2026-11-12")
    assert result.exit_code == 1 and "left as it is" in result.output
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES


def test_the_first_allocation_never_overwrites_a_draw_made_meanwhile(service_copy: Path, monkeypatch, ehqa) -> None:
    target = service_copy / ALLOCATION
    target.unlink()
    appears_after_the_check(monkeypatch, target)
    result = ehqa("allocate", "2026-11", "--repo", str(service_copy), "--as-of", AS_OF, "--seed", "1", "--partial",
                  "--late-reason", "drawn on the meeting day")
    assert result.exit_code == 1 and "written by someone else" in result.output
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES


def test_notices_never_overwrite_an_edited_notice(service_copy: Path, tmp_path: Path, ehqa) -> None:
    out = tmp_path / "notices"
    args = ("notices", "2026-11", "--out", str(out), "--repo", str(service_copy), "--as-of", "2026-11-10")
    assert ehqa(*args).exit_code == 0
    assert ehqa(*args).exit_code == 0, "the same notices again: nothing differs, nothing is replaced"
    notice = out / "auditors" / "aevans.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\nP.S. Call me before you start.\n", encoding="utf-8")
    edited = notice.read_bytes()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = ehqa(*args)
    assert result.exit_code == 1 and "never overwrites" in result.output and "auditors/aevans.md" in result.output
    assert notice.read_bytes() == edited and {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# --- private documents: never into the data or the site ---------------------------------------------


def _refused_places(repo: Path, tmp_path: Path) -> dict[str, Path]:
    from ehqa.load.build_cache import default_work_dir

    (repo / "links").symlink_to(repo / "audits", target_is_directory=True)
    (repo / "site").mkdir()
    (tmp_path / "elsewhere").symlink_to(repo / "site", target_is_directory=True)
    (repo / "mkdocs.yml").write_text("site_name: QA\nsite_dir: public\n", encoding="utf-8")
    return {
        "audits/": repo / "audits" / "2026-11" / "notices",
        "cycles/": repo / "cycles",
        "build/": repo / "build" / "notices",
        "AUDITS/ (a case variant)": repo / "AUDITS" / "n",
        "Site/ (a case variant)": repo / "Site" / "n",
        "site/ through ..": repo / "out" / ".." / "site" / "n",
        "audits/ through a link in the repository": repo / "links" / "n",
        "site/ through a link from outside": tmp_path / "elsewhere" / "n",
        "mkdocs.yml's site_dir": repo / "public" / "n",
        "the build's work folder": default_work_dir(repo) / "n",
    }


def test_notices_refuse_data_and_published_folders(service_copy: Path, tmp_path: Path, ehqa) -> None:
    places = _refused_places(service_copy, tmp_path)
    for what, out in places.items():
        result = ehqa("notices", "2026-11", "--out", str(out), "--repo", str(service_copy), "--as-of", "2026-11-10")
        assert result.exit_code == 2, (what, result.output)
        assert "--out" in result.output, what
        assert not (out / "index.md").exists(), what
    allowed = ehqa("notices", "2026-11", "--out", str(service_copy / "out" / "notices"), "--repo", str(service_copy),
                   "--as-of", "2026-11-10")
    assert allowed.exit_code == 0, allowed.output  # out/ is ignored by git


def test_the_meeting_pack_and_the_report_refuse_them_too(service_copy: Path, tmp_path: Path, ehqa) -> None:
    places = _refused_places(service_copy, tmp_path)
    for what in ("cycles/", "Site/ (a case variant)", "the build's work folder"):
        out = places[what]
        meeting = ehqa("meeting", "2026-11", "--out", str(out), "--repo", str(service_copy), "--as-of", AS_OF)
        report = ehqa("report", "2026-10/9160347", "--out", str(out), "--repo", str(service_copy))
        assert meeting.exit_code == 2 and report.exit_code == 2, (what, meeting.output, report.output)
    assert not list((service_copy / "cycles").glob("*.html")) and not list((service_copy / "cycles").glob("*.md"))


def test_a_refusal_names_the_folder_and_why(service_copy: Path, ehqa) -> None:
    result = ehqa("notices", "2026-11", "--out", str(service_copy / "audits" / "x"), "--repo", str(service_copy),
                  "--as-of", "2026-11-10")
    assert "inside audits/" in result.output and "read as data" in result.output
    assert not (service_copy / "audits" / "x").exists()


# Every command that writes private documents, with arguments the sample service accepts (as of AS_OF).
PRIVATE_DOCUMENTS = {
    "notices": ("notices", "2026-11"),
    "meeting": ("meeting", "2026-11"),
    "report": ("report", "2026-10/9160347"),
    "export": ("export",),
    "board-report": ("board-report", "2026-10"),
    "evidence": ("evidence", "--from", "2026-08", "--to", "2026-11"),
    "supervision": ("supervision", "--period", "2026"),
    "training-needs": ("training-needs", "--period", "2026"),
}


@pytest.mark.parametrize("command", sorted(PRIVATE_DOCUMENTS))
def test_every_private_document_goes_into_a_new_folder_as_the_handbook_shows(service_copy: Path, ehqa,
                                                                            command: str) -> None:
    """The handbook writes to out/<name>, and out/ is not in a fresh clone (it is ignored by git): each
    command creates the folders it needs, as each of their --help says, rather than some refusing."""
    out = service_copy / "out" / "this month" / command
    assert not (service_copy / "out").exists()
    result = ehqa(*PRIVATE_DOCUMENTS[command], "--out", str(out), "--repo", str(service_copy), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert out.is_dir() and any(out.iterdir())
    assert "created with any missing parents" in " ".join(ehqa(PRIVATE_DOCUMENTS[command][0], "--help").output.split())


@pytest.mark.parametrize("command", [
    ["meeting", "2026-11"], ["notices", "2026-11"], ["report", "2026-10"], ["export"], ["board-report", "2026-10"],
    ["build"], ["agreement", "--calibration"], ["demo"],
])
def test_out_that_is_a_device_or_pipe_is_refused_as_not_a_folder(ehqa, service_copy: Path, tmp_path: Path,
                                                                 command: list[str]) -> None:
    """An --out that exists and is neither a folder nor a file (a named pipe here; /dev/null is the one people
    type) is refused before anything runs, in those words, with exit 2. click's own check lets it through: the
    commands then failed later in other words ("File exists"), and `ehqa build`, run as root, renamed the site over
    /dev/null. (Never /dev/null in a test: a regression would replace the machine's.)"""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    repo = [] if command == ["demo"] else ["--repo", str(service_copy)]
    result = ehqa(*command, "--out", str(pipe), *repo)
    assert result.exit_code == 2, result.output
    assert f"{str(pipe)!r} is not a folder" in result.output
    assert pipe.is_fifo()


def test_a_file_output_is_never_renamed_over_a_pipe_device_or_folder(ehqa, service_copy: Path, tmp_path: Path) -> None:
    """Every write is a temporary file renamed into place (``atomic.write_atomic_bytes``), and a rename replaces
    whatever has the name: `ehqa cycle plan --ics` given a pipe (or /dev/null, run as root) replaced it with the
    calendar. Now it is refused, exit 1, and the pipe and a folder of that name are left as they were."""
    pipe, folder = tmp_path / "pipe.ics", tmp_path / "folder.ics"
    os.mkfifo(pipe)
    folder.mkdir()
    result = ehqa("cycle", "plan", "2027", "--ics", str(pipe), "--repo", str(service_copy))
    assert result.exit_code == 1, result.output
    assert f"cannot write {pipe}: it is not a file" in result.output
    assert pipe.is_fifo() and not list(tmp_path.glob(".pipe.ics.*"))  # and no temporary file left beside it
    from ehqa.atomic import write_atomic

    with pytest.raises(OSError, match="not a file"):
        write_atomic(folder, "text")
    assert folder.is_dir() and not list(folder.iterdir())
    write_atomic(tmp_path / "calendar.ics", "text")  # a new file, and a file replaced, as ever
    write_atomic(tmp_path / "calendar.ics", "again")
    assert (tmp_path / "calendar.ics").read_text(encoding="utf-8") == "again"
