"""Issue 15, items 3 and 4 (R22): `ehqa supervision` and `ehqa training-needs` on a copy of the sample service.

The packs are written once per module (the sample service copied once, as ``service_copy`` copies it, with an
email for each team manager so that the drafts can be addressed); the bad inputs each get a fresh copy.
"""

from __future__ import annotations

import csv
import email
import email.policy
import re
import shutil
from html import unescape
from itertools import groupby
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, FIXTURE_SERVICE
from ehqa.load.repository import load_repository
from ehqa.model.training_needs import training_needs

pytestmark = pytest.mark.rule("R22")

MANAGERS = {"swright": "sarah.wright@millbrook.example", "mnowak": "marek.nowak@millbrook.example"}


def _copy(target: Path, emails: bool = False) -> Path:
    shutil.copytree(FIXTURE_SERVICE, target)
    if emails:
        text = (target / "staff.yaml").read_text(encoding="utf-8")
        for staff_id, address in MANAGERS.items():
            text = re.sub(rf"(- id: {staff_id}\n(?:    .*\n)*?)(    github: .*\n)", rf"\1\2    email: {address}\n", text)
        (target / "staff.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    return _copy(tmp_path_factory.mktemp("supervision") / "service", emails=True)


@pytest.fixture(scope="module")
def packs(service, ehqa) -> Path:
    out = service.parent / "out"
    result = ehqa("supervision", "--out", out, "--repo", service, "--as-of", AS_OF, "--period", "2026", "--eml")
    assert result.exit_code == 0, result.output
    return out


def _text(path: Path) -> str:
    body = re.sub(r"<style>.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _audited(service: Path) -> dict[str, list[str]]:
    """Practitioner -> the cases of theirs audited in 2026 whose QA meeting was held by AS_OF."""
    loaded = load_repository(service).service
    found: dict[str, list[str]] = {}
    for audit in loaded.audits:
        cycle = loaded.cycles[audit.cycle]
        if cycle.meeting <= AS_OF and audit.cycle.startswith("2026"):
            found.setdefault(cycle.nomination(audit.case).practitioner, []).append(audit.case)
    return found


def test_one_pack_per_practitioner_with_an_audited_case_naming_each_case(service, packs) -> None:
    audited = _audited(service)
    written = {p.stem for p in (packs / "practitioners").glob("*.html")}
    assert written == set(audited)
    for practitioner, cases in audited.items():
        text = _text(packs / "practitioners" / f"{practitioner}.html")
        for case in cases:
            assert f"Case {case}" in text


def test_one_team_pack_per_team_naming_its_practitioners(packs) -> None:
    assert {p.stem for p in (packs / "teams").glob("*.html")} == {"eh-north", "eh-south"}
    north = _text(packs / "teams" / "eh-north.html")
    assert "for Sarah Wright, team manager" in north
    for name in ("Chloe Ahmed", "Dan Finch", "Ben Cole"):
        assert name in north
    assert "Hannah Lee" not in north  # Early Help South's


def test_each_pack_leads_with_strengths_before_areas_for_development(packs) -> None:
    for path in [*(packs / "practitioners").glob("*.html"), *(packs / "teams").glob("*.html")]:
        text = _text(path)
        assert text.index("What went well") < text.index("Areas for development"), path.name


def test_the_pack_holds_grades_actions_discussion_and_the_worker_form_as_they_stand(packs) -> None:
    # Ben Cole's October case: Requires Improvement, one action done on 4 November (a record), one open.
    ben = _text(packs / "practitioners" / "bcole.html")
    assert "Overall grade: Requires Improvement" in ben
    assert "SMART actions (R17): 1 done, 1 open" in ben
    # Hannah Lee: the reflective discussion record of 2026-08, and her Perspective of Worker answers.
    hannah = _text(packs / "practitioners" / "hlee.html")
    assert "4 September 2026, with Marek Nowak" in hannah
    assert "Dad works nights, so visits have to be late afternoon." in hannah


def test_eml_drafts_go_to_each_manager_with_the_pack_attached(packs) -> None:
    drafts = sorted(packs.rglob("*.eml"))
    assert len(drafts) == len(list(packs.rglob("*.html")))
    for draft in drafts:
        message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
        assert message["X-Unsent"] == "1"
        assert message["From"].addresses[0].addr_spec == "tom.patel@millbrook.example"
        assert message["To"].addresses[0].addr_spec in MANAGERS.values()
        attached = [part.get_filename() for part in message.iter_attachments()]
        assert attached == [draft.with_suffix(".html").name]
    team = email.message_from_bytes((packs / "teams" / "eh-south.eml").read_bytes(), policy=email.policy.default)
    assert team["To"].addresses[0].addr_spec == MANAGERS["mnowak"]


@pytest.mark.parametrize("folder", ["site", "docs", "audits/2026-10", "cycles"])
def test_refused_inside_the_site_and_data_folders_and_nothing_written(tmp_path, ehqa, folder) -> None:
    repo = _copy(tmp_path / "service")
    (repo / folder).mkdir(parents=True, exist_ok=True)  # a built site, the handbook: there to write into
    before = sorted(p for p in repo.rglob("*"))
    for command in ("supervision", "training-needs"):
        result = ehqa(command, "--out", repo / folder / "packs", "--repo", repo, "--as-of", AS_OF)
        assert result.exit_code == 2, result.output
        assert f"packs is inside {folder.split('/')[0]}/" in result.output
    assert sorted(p for p in repo.rglob("*")) == before


@pytest.mark.parametrize("args,says", [
    (["--period", "2019"], "there are no cycles in 2019"),
    (["--period", "2026-Q1"], "there are no cycles in 2026-Q1"),
    (["--period", "2026-Q5"], "is not a period"),
    (["--period", "2026", "--as-of", "2026-08-01"], "has been discussed at its QA meeting"),
])
def test_a_period_with_nothing_to_report_exits_2_and_writes_nothing(service, tmp_path, ehqa, args, says) -> None:
    repo = service  # nothing is written into it
    for command in ("supervision", "training-needs") if "2019" in args else ("supervision",):
        out = tmp_path / f"out-{command}"
        options = args if "--as-of" in args else [*args, "--as-of", AS_OF]
        result = ehqa(command, "--out", out, "--repo", repo, *options)
        assert result.exit_code == 2, result.output
        assert says in result.output
        assert not out.exists()


def test_a_refused_command_creates_no_folder_for_its_out(tmp_path, ehqa) -> None:
    """--out's missing folders are made only once everything else holds, when the packs are written."""
    repo = _copy(tmp_path / "service")
    for command in ("supervision", "training-needs"):
        result = ehqa(command, "--out", tmp_path / "missing" / "out", "--repo", repo, "--as-of", AS_OF,
                      "--period", "2019")
        assert result.exit_code == 2 and "there are no cycles in 2019" in result.output, result.output
    assert not (tmp_path / "missing").exists()


def test_training_needs_csv_groups_every_need_by_theme_and_names_no_case_or_person(service, ehqa) -> None:
    out = service.parent / "training"
    result = ehqa("training-needs", "--out", out, "--repo", service, "--as-of", AS_OF, "--period", "2026")
    assert result.exit_code == 0, result.output
    with open(out / "training-needs-2026.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    loaded = load_repository(service).service
    audits = [a for a in loaded.audits if loaded.cycles[a.cycle].meeting <= AS_OF]
    needs = training_needs(loaded, audits, AS_OF)
    assert len(rows) == sum(len(n.themes) for n in needs)
    assert {r["kind"] for r in rows} == {"area for development", "domain below Good", "support asked for"}
    themes = [r["learning theme"] for r in rows]
    assert len([t for t, _ in groupby(themes)]) == len(set(themes))  # grouped: each theme's rows together
    text = (out / "training-needs-2026.csv").read_text(encoding="utf-8")
    staff = yaml.safe_load((service / "staff.yaml").read_text(encoding="utf-8"))["staff"]
    for person in staff:
        assert person["name"] not in text
    for audit in audits:
        assert audit.case not in text
    with open(out / "training-needs-2026-summary.csv", newline="", encoding="utf-8") as f:
        summary = list(csv.DictReader(f))
    assert sum(int(r["needs"]) for r in summary) == len(rows)
