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
import re
from typing import Any, Iterable, Mapping

from ehqa.documents.export.fields import BOOLEAN, STRING, Table, describe

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
    so, whole numbers as they are, and a date as ``str`` gives it, YYYY-MM-DD), booleans as true or false.

    Only boolean columns are rewritten cell by cell: the csv module (in C) writes the rest as they are, which keeps
    the export of a large service fast (issue 15, benchmarks/export.py)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(f.name for f in table.fields)
    flags = [i for i, f in enumerate(table.fields) if f.type == BOOLEAN]
    if not flags:
        writer.writerows(table.rows)
    else:
        words = {True: "true", False: "false", None: None}
        for row in table.rows:
            cells = list(row)
            for i in flags:
                cells[i] = words[cells[i]]
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


# Characters a workbook cannot hold (XML 1.0 forbids them): the control characters other than tab, newline and
# carriage return. The same set openpyxl strips (its ILLEGAL_CHARACTERS_RE).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def workbook_bytes(tables: list[Table], schemas: Mapping[str, dict[str, Any]]) -> bytes:
    """One workbook (XlsxWriter in constant-memory mode, row by row: the fastest maintained writer that writes the
    workbook right, 30% less CPU than openpyxl's write-only mode, docs/dev/benchmarks.md): the data dictionary
    first, then a sheet per table,
    each with its header row frozen and filters on. Text stays text: XlsxWriter is told never to turn a string
    into a formula, a number or a link."""
    import xlsxwriter

    out = io.BytesIO()
    options = {
        "constant_memory": True,  # each row is written out as it comes: a large service streams
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "default_date_format": "yyyy-mm-dd",
    }
    book = xlsxwriter.Workbook(out, options)

    def sheet(name: str, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]], count: int, texts: list[int]):
        ws = book.add_worksheet(name)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, count, len(header) - 1)
        ws.write_row(0, 0, header)
        write_row = ws.write_row
        for number, row in enumerate(rows, start=1):
            found = [v for v in (row[i] for i in texts) if v]
            if found and _ILLEGAL.search("".join(found)):  # rare: control characters a workbook cannot hold
                row = tuple(_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row)
            write_row(number, 0, row)

    dictionary = dictionary_rows(tables, schemas)
    sheet(DICTIONARY_SHEET, DICTIONARY_HEADER, dictionary, len(dictionary), list(range(len(DICTIONARY_HEADER))))
    for table in tables:
        texts = [i for i, f in enumerate(table.fields) if f.type == STRING]
        sheet(table.name, tuple(f.name for f in table.fields), table.rows, len(table.rows), texts)
    book.close()
    return out.getvalue()
