"""The export's table builders and writers (``documents.export``): descriptions read from the JSON Schemas, the
generic records table, the period, CSV text and the workbook. The whole command: tests/cli/test_export.py."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest

from conftest import AS_OF, FIXTURE_SERVICE
from ehqa.documents.export import tables as early
from ehqa.documents.export.fields import Field, Table, describe, record_field, schema_field
from ehqa.documents.export.output import TABLE_NAMES, build_tables, chosen_cycles
from ehqa.documents.export.package import csv_text, descriptor, workbook_bytes
from ehqa.errors import UsageProblem
from ehqa.load.repository import load_repository
from ehqa.model import Record, Service
from ehqa.model.cycles import Cycle, Nomination
from ehqa.repo_files.reference import read_schemas


@pytest.fixture(scope="module")
def schemas() -> dict:
    return read_schemas(FIXTURE_SERVICE / "schemas")


@pytest.fixture(scope="module")
def service() -> Service:
    return load_repository(FIXTURE_SERVICE).service


@pytest.fixture(scope="module")
def tables(service: Service, schemas: dict) -> list[Table]:
    return build_tables(service, tuple(sorted(service.cycles)), AS_OF, schemas)


def test_schema_field_follows_lists_mappings_and_record_kinds(schemas: dict) -> None:
    status = schema_field(schemas, "audit:smart_actions[].status")
    assert status["description"] == "Where the action stands." and status["enum"] == ["open", "done", "not-met"]
    grade = schema_field(schemas, "audit:domains.<id>.grade")
    assert "not-applicable" in grade["enum"] and grade["description"].startswith("The grade for this domain")
    assert schema_field(schemas, "record:review.outcome")["enum"] == ["findings-upheld", "findings-revised"]
    assert schema_field(schemas, "cycle:dates.audits_due")["description"].startswith("Audits are due by this date")
    with pytest.raises(KeyError):
        schema_field(schemas, "audit:no_such_field")


def test_a_field_ehqa_works_out_adds_how_after_the_schemas_words(schemas: dict) -> None:
    described = describe(schemas, Field("grade", source="audit:overall.grade", note="As it stands."))
    assert described.description == schema_field(schemas, "audit:overall.grade")["description"] + " As it stands."
    assert describe(schemas, Field("x", note="Only ours.", enum=("a",))) == type(described)("Only ours.", ("a",))


def test_record_fields_name_the_kinds_that_have_them(schemas: dict) -> None:
    assert record_field(schemas, "note").startswith("Anything else worth keeping")  # every kind: no kinds named
    assert record_field(schemas, "outcome").startswith("review: ")
    assert record_field(schemas, "summary").startswith("oversight: ") and " feedback: " in record_field(
        schemas, "summary"
    )
    assert record_field(schemas, "no_such_field") == ""


def test_every_field_of_every_table_is_described(tables: list[Table], schemas: dict) -> None:
    assert [t.name for t in tables] == list(TABLE_NAMES)
    for table in tables:
        assert set(table.primary_key) <= {f.name for f in table.fields}, table.name
        for column in table.fields:
            assert describe(schemas, column).description, f"{table.name}.{column.name}"
            assert all(len(row) == len(table.fields) for row in table.rows), table.name


def test_the_records_table_has_a_column_for_every_field_of_a_record(tables: list[Table]) -> None:
    """Generic: a field another kind of record adds (independent grades, moderation) is exported with it."""
    records = next(t for t in tables if t.name == "records")
    columns = {f.name for f in records.fields}
    assert {f.name.rstrip("_") for f in dataclasses.fields(Record)} - {"source"} <= columns
    assert {"record", "audit"} <= columns


def test_nominations_keep_the_first_of_a_case_nominated_twice() -> None:
    day = date(2026, 10, 20)
    twice = (Nomination("9100001", "p1", "t1", "m1"), Nomination("9100001", "p2", "t2", "m2"))
    cycle = Cycle("cycles/2026-10.yaml", "2026-10", "theme", "other", (), day, day, day, day, twice)
    export = early.Export(Service(None, None, cycles={"2026-10": cycle}), ("2026-10",), day)
    assert early.nominations(export).rows == [("2026-10", "9100001", "p1", "t1", "m1", None)]


def test_chosen_cycles_from_and_to_included(service: Service) -> None:
    assert chosen_cycles(service, "2026-09", "2026-10") == ("2026-09", "2026-10")
    assert chosen_cycles(service, None, None) == tuple(sorted(service.cycles))
    with pytest.raises(UsageProblem, match="no cycle from 2027-01"):
        chosen_cycles(service, "2027-01", None)
    with pytest.raises(UsageProblem, match="no cycles yet"):
        chosen_cycles(Service(None, None), None, None)


SAMPLE = Table(
    "sample",
    "Sample",
    "A sample.",
    (Field("id", "integer"), Field("day", "date"), Field("yes", "boolean"), Field("text")),
    ("id",),
    rows=[(1, date(2026, 11, 26), True, "=SUM(A1:A2)"), (2, None, False, None)],
)


def test_csv_text_writes_dates_booleans_and_missing_values() -> None:
    assert csv_text(SAMPLE) == "id,day,yes,text\r\n1,2026-11-26,true,=SUM(A1:A2)\r\n2,,false,\r\n"


def test_the_workbook_keeps_text_that_looks_like_a_formula_as_text(schemas: dict) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes([SAMPLE], schemas)))
    sheet = book["sample"]
    assert sheet["D2"].value == "=SUM(A1:A2)" and sheet["D2"].data_type == "s"
    assert sheet["B2"].is_date and sheet["C2"].value is True
    assert [c.value for c in book["data dictionary"][1]][:3] == ["table", "field", "type"]


def test_the_descriptor_declares_keys_and_utf_8(schemas: dict) -> None:
    resource = descriptor([SAMPLE], schemas, "t")["resources"][0]
    assert resource["path"] == "sample.csv" and resource["encoding"] == "utf-8"
    assert resource["schema"]["primaryKey"] == ["id"]
    assert resource["schema"]["fields"][0]["constraints"] == {"required": True}
