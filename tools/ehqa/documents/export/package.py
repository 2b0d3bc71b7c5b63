"""The export's tables as files: ``datapackage.json`` (a Frictionless Data Package: a Table Schema for each CSV,
with types, descriptions, allowed values, primary and foreign keys), each table's CSV text, and one xlsx workbook
with a sheet per table and a "data dictionary" sheet.

CSV files are UTF-8 with a byte-order mark (written as ``utf-8-sig``, declared ``utf-8``, which readers of Data
Packages take with or without the mark), so that Excel opens them with every character right,
comma-separated, quoted where need be, one header row; an empty cell is a missing value. Dates are YYYY-MM-DD;
booleans ``true``/``false``. In the workbook dates are dates, numbers numbers, booleans booleans, and text stays
text: a value that starts with ``=`` is never a formula.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Mapping

from ehqa.documents.export.fields import BOOLEAN, DATE, STRING, Table, describe

PACKAGE_FILE = "datapackage.json"
WORKBOOK_FILE = "ehqa-export.xlsx"
DICTIONARY_SHEET = "data dictionary"
ENCODING = "utf-8-sig"  # how the CSV files are written: UTF-8 with a byte-order mark


def csv_name(table: Table) -> str:
    return f"{table.name}.csv"


def descriptor(tables: Iterable[Table], schemas: Mapping[str, dict[str, Any]], title: str) -> dict[str, Any]:
    """The Data Package descriptor (Frictionless Data Package, tabular profile)."""
    return {
        "profile": "tabular-data-package",
        "name": "ehqa-export",
        "title": title,
        "description": "Case-audit quality assurance data exported by `ehqa export`. It names cases and staff: keep it "
        "as private as the case records.",
        "resources": [_resource(table, schemas) for table in tables],
    }


def _resource(table: Table, schemas: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    fields = []
    for column in table.fields:
        described = describe(schemas, column)
        entry: dict[str, Any] = {"name": column.name, "type": column.type, "description": described.description}
        constraints: dict[str, Any] = {}
        if column.required or column.name in table.primary_key:
            constraints["required"] = True
        if described.enum is not None:
            constraints["enum"] = list(described.enum)
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": {"resource": fk.resource, "fields": list(fk.reference)}}
            for fk in table.foreign_keys
        ]
    return {
        "profile": "tabular-data-resource",
        "name": table.name,
        "path": csv_name(table),
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def package_json(tables: Iterable[Table], schemas: Mapping[str, dict[str, Any]], title: str) -> str:
    return json.dumps(descriptor(tables, schemas, title), indent=2, ensure_ascii=False) + "\n"


def csv_text(table: Table) -> str:
    """The table as CSV: the header, then each row; an empty cell for a missing value (the csv module writes None
    so, and whole numbers as they are), dates as YYYY-MM-DD and booleans as true or false."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(f.name for f in table.fields)
    dates = [i for i, f in enumerate(table.fields) if f.type in (DATE, BOOLEAN)]
    if not dates:
        writer.writerows(table.rows)
    else:
        for row in table.rows:
            cells = list(row)
            for i in dates:
                value = cells[i]
                if value is not None:
                    cells[i] = ("true" if value else "false") if isinstance(value, bool) else value.isoformat()
            writer.writerow(cells)
    return out.getvalue()


def dictionary_rows(tables: Iterable[Table], schemas: Mapping[str, dict[str, Any]]) -> list[tuple[str, ...]]:
    """The data dictionary: one row per field of every table."""
    rows = []
    for table in tables:
        for column in table.fields:
            described = describe(schemas, column)
            key = "primary key" if column.name in table.primary_key else ""
            refs = [
                f"{fk.resource}.{fk.reference[fk.fields.index(column.name)]}"
                for fk in table.foreign_keys
                if column.name in fk.fields
            ]
            rows.append(
                (
                    table.name,
                    column.name,
                    column.type,
                    key,
                    ", ".join(refs),
                    ", ".join(described.enum) if described.enum else "",
                    described.description,
                )
            )
    return rows


DICTIONARY_HEADER = ("table", "field", "type", "key", "refers to", "allowed values", "description")


def workbook_bytes(tables: list[Table], schemas: Mapping[str, dict[str, Any]]) -> bytes:
    """One workbook (openpyxl, write-only, so that a large service streams): the data dictionary first, then a sheet
    per table, each with its header row frozen and filters on."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)

    def sheet(
        name: str, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]], count: int, texts: list[int]
    ) -> None:
        ws = book.create_sheet(name)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
        ws.append(header)
        for row in rows:
            found = [v for v in (row[i] for i in texts) if v]
            if any(v[0] == "=" for v in found) or ILLEGAL_CHARACTERS_RE.search("".join(found)):
                row = [_cell(ws, v) for v in row]  # rare: looked at cell by cell
            ws.append(row)

    def _cell(ws, value):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a workbook cannot hold
            if value.startswith("="):  # text, never a formula
                cell = WriteOnlyCell(ws, value)
                cell.data_type = "s"
                return cell
        return value

    dictionary = dictionary_rows(tables, schemas)
    sheet(DICTIONARY_SHEET, DICTIONARY_HEADER, dictionary, len(dictionary), list(range(len(DICTIONARY_HEADER))))
    for table in tables:
        texts = [i for i, f in enumerate(table.fields) if f.type == STRING]
        sheet(table.name, tuple(f.name for f in table.fields), table.rows, len(table.rows), texts)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
