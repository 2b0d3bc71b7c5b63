"""`ehqa export` (issue 15 item 1): the performance team's tables as a Frictionless Data Package and as one
workbook. The sample service is exported once per format for the module (a copy with one review record that
revises an audit's grades, R12); the bad inputs each run on their own copy."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURE_SERVICE
from ehqa import layout
from ehqa.documents.export.output import TABLE_NAMES
from ehqa.load.repository import load_repository
from ehqa.rules.obligations import Obligations

REVISED = "2026-08/9112836"  # Good, revised on review to Requires Improvement (R12)


def add_review(root: Path) -> str:
    cycle, case = REVISED.split("/")
    path = root / layout.record_path(cycle, case, "2026-09-10", "review", "jbryant")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'kind: review\ncase: "{case}"\ncycle: {cycle}\nby: jbryant\ndate: 2026-09-10\n'
        "outcome: findings-revised\noverall: requires-improvement\ndomains:\n  planning: requires-improvement\n"
        "reason: The plan had no dates, so the grade is revised.\n",
        encoding="utf-8",
    )
    return path.relative_to(root).as_posix()


def move_action(root: Path) -> None:
    """The second SMART action of 2026-10/9166102 (a2, due 4 December) moved to 15 January (R17)."""
    path = root / layout.record_path("2026-10", "9166102", "2026-11-20", "action-update", "bcole")
    path.write_text(
        'kind: action-update\ncase: "9166102"\ncycle: 2026-10\nby: bcole\ndate: 2026-11-20\naction: a2\n'
        "status: changed\ndue: 2027-01-15\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    """A copy of the sample service with a review that revises an audit (R12) and an action moved (R17)."""
    root = tmp_path_factory.mktemp("export") / "service"
    shutil.copytree(FIXTURE_SERVICE, root)
    add_review(root)
    move_action(root)
    return root


@pytest.fixture(scope="module")
def exported(service: Path, ehqa) -> Path:
    out = service.parent / "out-csv"
    result = ehqa("export", "--repo", service, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def workbook(service: Path, ehqa) -> Path:
    out = service.parent / "out-xlsx"
    result = ehqa("export", "--repo", service, "--out", out, "--format", "xlsx", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out / "ehqa-export.xlsx"


def package(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def rows_of(folder: Path, table: str) -> list[dict[str, str]]:
    header, *rows = read_csv(folder / f"{table}.csv")
    return [dict(zip(header, row)) for row in rows]


# --- the Data Package -------------------------------------------------------------------------


def test_frictionless_validate_passes_on_the_export(exported: Path) -> None:
    from frictionless import validate

    report = validate(exported / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_validate_passes_on_the_export_of_the_demo(ehqa, tmp_path: Path) -> None:
    """The committed demo (issue 15's "Done means"): its 24 cycles, own grades and moderation records, exported
    and validated whole: types, primary keys and foreign keys."""
    from frictionless import validate

    from conftest import ROOT

    result = ehqa("export", "--repo", ROOT, "--out", tmp_path / "demo", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    report = validate(tmp_path / "demo" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    assert {"moderation", "grades"} <= {row["kind"] for row in rows_of(tmp_path / "demo", "records")}


def dangling_keys(folder: Path) -> list[str]:
    """Each foreign-key value of the package in ``folder`` that its referenced table lacks (a cheap check of the
    keys, beside the one ``frictionless validate`` of the module)."""
    resources = package(folder)["resources"]
    tables = {r["name"]: rows_of(folder, r["name"]) for r in resources}
    dangling = []
    for resource in resources:
        for fk in resource["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            known = {tuple(row[f] for f in ref["fields"]) for row in tables[ref["resource"]]}
            for row in tables[resource["name"]]:
                value = tuple(row[f] for f in fk["fields"])
                if all(value) and value not in known:
                    dangling.append(f"{resource['name']} {value} -> {ref['resource']}")
    return dangling


def test_frictionless_validate_checks_the_foreign_keys(exported: Path, tmp_path: Path) -> None:
    """The keys are live: an audit whose nomination is missing fails validation. On a minimal package (the
    nominations and one audit that refers to them) so that frictionless reads a few rows, not the whole export."""
    from frictionless import validate

    descriptor = package(exported)
    kept = {"nominations", "audits"}
    resources = [r for r in descriptor["resources"] if r["name"] in kept]
    for resource in resources:
        keys = [fk for fk in resource["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in kept]
        resource["schema"]["foreignKeys"] = keys
    assert [fk["reference"]["resource"] for fk in resources[1]["schema"]["foreignKeys"]] == ["nominations"]
    minimal = tmp_path / "minimal"
    minimal.mkdir()
    (minimal / "datapackage.json").write_text(json.dumps({**descriptor, "resources": resources}), encoding="utf-8")
    audit = read_csv(exported / "audits.csv")[:2]  # the header and the first audit
    header, *nominations = read_csv(exported / "nominations.csv")
    referred = [dict(zip(audit[0], audit[1]))[f] for f in ("cycle", "case")]

    def write(name: str, rows: list[list[str]]) -> None:
        with (minimal / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)

    write("audits", audit)
    write("nominations", [header, *nominations])
    assert validate(minimal / "datapackage.json").valid  # whole, the minimal package is valid
    write("nominations", [header, *(n for n in nominations if n[:2] != referred)])
    assert header[:2] == ["cycle", "case"]
    report = validate(minimal / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}
    assert dangling_keys(minimal) == [f"audits {tuple(referred)} -> nominations"]


def test_every_table_is_a_csv_with_its_schema_fields_and_primary_key(exported: Path) -> None:
    resources = package(exported)["resources"]
    assert [r["name"] for r in resources] == list(TABLE_NAMES)
    assert sorted(p.name for p in exported.iterdir()) == sorted(
        [*(f"{n}.csv" for n in TABLE_NAMES), "datapackage.json"]
    )
    for resource in resources:
        header, *rows = read_csv(exported / resource["path"])
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
        key = resource["schema"]["primaryKey"]
        assert key and set(key) <= set(header)
        assert len({tuple(r[header.index(k)] for k in key) for r in rows}) == len(rows), resource["name"]
        assert all(f["description"] for f in resource["schema"]["fields"]), resource["name"]
    assert {r["name"]: r["schema"]["primaryKey"] for r in resources}["domain_grades"] == ["audit", "domain"]


def test_foreign_keys_join_the_tables(exported: Path) -> None:
    keys = {r["name"]: r["schema"].get("foreignKeys", []) for r in package(exported)["resources"]}
    assert {"fields": ["audit"], "reference": {"resource": "audits", "fields": ["audit"]}} in keys["domain_grades"]
    assert {"fields": ["cycle", "case"], "reference": {"resource": "nominations", "fields": ["cycle", "case"]}} in keys[
        "audits"
    ]
    assert {"fields": ["practitioner"], "reference": {"resource": "staff", "fields": ["staff_id"]}} in keys[
        "nominations"
    ]
    assert dangling_keys(exported) == []


def test_field_descriptions_and_allowed_values_come_from_the_json_schemas(exported: Path) -> None:
    schema = json.loads((FIXTURE_SERVICE / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package(exported)["resources"]}
    completed = schema["properties"]["completed"]["description"]
    assert fields["audits"]["completed"]["description"] == completed
    status = schema["properties"]["smart_actions"]["items"]["properties"]["status"]
    assert fields["actions"]["status"]["description"] == status["description"]
    assert fields["actions"]["status"]["constraints"]["enum"] == status["enum"]
    assert fields["audits"]["overall_grade"]["description"].startswith(
        schema["properties"]["overall"]["properties"]["grade"]["description"]
    )
    assert fields["audits"]["completed"]["type"] == "date"
    assert fields["followups"]["working_days_overdue"]["type"] == "integer"


# --- the tables hold the one computation ----------------------------------------------------------


@pytest.mark.rule("R12")
def test_audits_and_domains_carry_the_effective_grades(exported: Path) -> None:
    audit = next(r for r in rows_of(exported, "audits") if r["audit"] == REVISED)
    assert (audit["overall_grade_recorded"], audit["overall_grade"]) == ("good", "requires-improvement")
    assert audit["revised_by"].endswith("2026-09-10.review.jbryant.yaml") and audit["revised_on"] == "2026-09-10"
    planning = next(
        r for r in rows_of(exported, "domain_grades") if r["audit"] == REVISED and r["domain"] == "planning"
    )
    assert (planning["grade_recorded"], planning["grade"], planning["revised"]) == (
        "good",
        "requires-improvement",
        "true",
    )


@pytest.mark.rule("R10", "R13", "R15", "R16", "R17", "R18")
def test_followups_are_the_obligations_of_ehqa_followups(exported: Path, service: Path) -> None:
    found = Obligations(load_repository(service).service, AS_OF).all()
    rows = rows_of(exported, "followups")
    assert [(r["rule"], r["audit"], r["what"], r["status"], r["due"]) for r in rows] == [
        (o.rule, layout.audit_key(o.audit), o.what, o.status.value, o.due.isoformat()) for o in found
    ]
    assert any(r["audit"] == REVISED and r["rule"] == "R17" for r in rows)  # the revision asks for SMART actions


@pytest.mark.rule("R17")
def test_actions_stand_as_their_records_left_them(exported: Path) -> None:
    actions = [
        (r["action_number"], r["due"], r["status"], r["done"])
        for r in rows_of(exported, "actions")
        if r["audit"] == "2026-10/9166102"
    ]
    assert actions == [("1", "2026-11-06", "done", "2026-11-04"), ("2", "2027-01-15", "open", "")]


@pytest.mark.rule("R18")
def test_reaudits_compare_with_the_original_domain_by_domain(exported: Path) -> None:
    assert rows_of(exported, "reaudits") == [
        {
            "reaudit": "2026-10/9104217",
            "original": "2026-08/9104217",
            "original_cycle": "2026-08",
            "grade_before": "inadequate",
            "grade_after": "good",
            "outcome": "improved",
        }
    ]
    domains = rows_of(exported, "reaudit_domains")
    assert {r["domain"]: r["outcome"] for r in domains}["planning"] == "improved"


def test_records_table_has_one_row_per_record_with_every_kinds_fields(exported: Path, service: Path) -> None:
    records = load_repository(service).service.records
    rows = rows_of(exported, "records")
    assert sorted(r["record"] for r in rows) == sorted(r.source for r in records)
    review = next(r for r in rows if r["kind"] == "review")
    assert (review["outcome"], review["overall"], json.loads(review["domains"])) == (
        "findings-revised",
        "requires-improvement",
        {"planning": "requires-improvement"},
    )


# --- the workbook ------------------------------------------------------------------------------


def test_xlsx_read_back_equals_the_csvs(workbook: Path, exported: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True)
    assert book.sheetnames == ["data dictionary", *TABLE_NAMES]
    for name in TABLE_NAMES:
        expected = read_csv(exported / f"{name}.csv")
        width = len(expected[0])  # a row's empty cells at its end are not stored: read them back as empty
        sheet = [
            [_as_csv(v) for v in row] + [""] * (width - len(row)) for row in book[name].iter_rows(values_only=True)
        ]
        assert sheet == expected, name
    dictionary = list(book["data dictionary"].iter_rows(values_only=True))
    fields = [(r["name"], f["name"]) for r in package(exported)["resources"] for f in r["schema"]["fields"]]
    assert [(row[0], row[1]) for row in dictionary[1:]] == fields
    assert all(row[6] for row in dictionary[1:])  # every field described


def _as_csv(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


# --- privacy and bad input: exit 2, nothing written --------------------------------------------


@pytest.mark.parametrize("inside", ["site/export", "audits/export", "cycles/2026-10", "docs/export", "."])
def test_refused_inside_the_site_and_the_data_folders(service: Path, ehqa, inside: str) -> None:
    before = sorted(p.relative_to(service) for p in service.rglob("*"))
    result = ehqa("export", "--repo", service, "--out", service / inside, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "the export names cases and staff" in result.output
    assert sorted(p.relative_to(service) for p in service.rglob("*")) == before


def test_bad_inputs_exit_2_and_write_nothing(service_copy: Path, ehqa, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cases = [
        (("--out", tmp_path / "missing" / "out", "--from", "2027-01"), "no cycle from 2027-01"),
        (("--out", out, "--from", "2026-10", "--to", "2026-09"), "--from 2026-10 is after --to 2026-09"),
        (("--out", out, "--from", "2027-01"), "no cycle from 2027-01"),
    ]
    for args, message in cases:
        result = ehqa("export", "--repo", service_copy, "--as-of", AS_OF, *args)
        assert result.exit_code == 2 and message in result.output, result.output
        assert not out.exists() and not (tmp_path / "missing").exists()
    shutil.rmtree(service_copy / "cycles")
    (service_copy / "cycles").mkdir()
    result = ehqa("export", "--repo", service_copy, "--as-of", AS_OF, "--out", out)
    assert result.exit_code == 2 and "no cycles" in result.output, result.output
    assert not out.exists()


def test_a_folder_that_holds_files_needs_force_which_replaces_only_ehqas_files(
    service: Path, ehqa, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = ehqa("export", "--repo", service, "--out", out, "--as-of", AS_OF, "--format", "xlsx")
    assert refused.exit_code == 2 and "--force" in refused.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "audits.csv").write_text("from an earlier export", encoding="utf-8")
    forced = ehqa("export", "--repo", service, "--out", out, "--as-of", AS_OF, "--format", "xlsx", "--force")
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in out.iterdir()) == ["ehqa-export.xlsx", "notes.txt"]


def test_a_period_exports_its_cycles_only_and_its_keys_still_join(service: Path, ehqa, tmp_path: Path) -> None:
    out = tmp_path / "october"
    result = ehqa("export", "--repo", service, "--out", out, "--from", "2026-10", "--to", "2026-10", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert {r["cycle"] for r in rows_of(out, "cycles")} == {"2026-10"}
    assert {r["audit"][:7] for r in rows_of(out, "audits")} == {"2026-10"}
    assert {r["audit"][:7] for r in rows_of(out, "followups")} == {"2026-10"}
    assert rows_of(out, "reaudits")[0]["original"] == "2026-08/9104217"  # an original before the period
    assert dangling_keys(out) == []  # what a period could break; the tables' types are the whole export's
