"""``ehqa export``'s edge with the disk: check everything, then write the files.

Nothing is written when anything is wrong: ``UsageProblem`` (exit 2) for --from after --to, an --out that could be
published or read as data (the export names cases and staff: ``privacy.private_output``), an --out whose parent
folder is missing, an --out that already holds files (without --force), a service with no cycles, or a period
with none; ``DataError`` (exit 1) when qa.yaml or staff.yaml does not load. Each file is written atomically.

--force on a folder that holds files: ehqa writes its own files over theirs and removes the files an earlier
export wrote that this one does not (``datapackage.json``, the tables' CSVs, ``ehqa-export.xlsx``); it never
touches any other file in the folder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from ehqa.atomic import write_atomic_bytes
from ehqa.documents.export import followup_tables as later
from ehqa.documents.export import tables as early
from ehqa.documents.export.fields import Table
from ehqa.documents.export.package import (
    ENCODING,
    PACKAGE_FILE,
    WORKBOOK_FILE,
    csv_name,
    csv_text,
    package_json,
    workbook_bytes,
)
from ehqa.errors import DataError, UsageProblem
from ehqa.model import Service
from ehqa.privacy.private_output import refuse_published

log = logging.getLogger("ehqa")

TABLE_NAMES = (
    "teams",
    "staff",
    "cycles",
    "nominations",
    "allocation_pairs",
    "allocation_cases",
    "audits",
    "domain_grades",
    "actions",
    "followups",
    "reaudits",
    "reaudit_domains",
    "records",
)
OWN_FILES = (PACKAGE_FILE, WORKBOOK_FILE, *(f"{name}.csv" for name in TABLE_NAMES))


@dataclass(frozen=True, slots=True)
class Written:
    files: tuple[Path, ...]
    tables: tuple[Table, ...]
    cycles: tuple[str, ...]


def build_tables(
    service: Service, cycles: tuple[str, ...], as_of: date, schemas: Mapping[str, dict[str, Any]]
) -> list[Table]:
    """Every table of the export, in ``TABLE_NAMES`` order."""
    export = early.Export(service, cycles, as_of)
    reaudits, reaudit_domains = later.reaudits(export)
    return [
        early.teams(export),
        early.staff(export),
        early.cycles(export),
        early.nominations(export),
        early.allocation_pairs(export),
        early.allocation_cases(export),
        early.audits(export),
        early.domain_grades(export),
        later.actions(export),
        later.followups(export),
        reaudits,
        reaudit_domains,
        later.records(export, schemas),
    ]


def chosen_cycles(service: Service, start: str | None, end: str | None) -> tuple[str, ...]:
    """The service's cycles from ``start`` to ``end`` (YYYY-MM, both included), oldest first; ``UsageProblem``
    when there are none."""
    if not service.cycles:
        raise UsageProblem("the service has no cycles yet (cycles/ holds no cycle file), so there is nothing to export")
    chosen = tuple(c for c in sorted(service.cycles) if (start is None or c >= start) and (end is None or c <= end))
    if not chosen:
        period = f"from {start or 'the first'} to {end or 'the last'}"
        raise UsageProblem(
            f"no cycle {period}: the service's cycles run from {min(service.cycles)} to {max(service.cycles)}"
        )
    return chosen


def check_out(out: Path, repo: Path, force: bool) -> None:
    """Refuse an --out that could be published or read as data, or that holds files."""
    refuse_published(out, repo, "the export names cases and staff")
    if out.exists() and not out.is_dir():
        raise UsageProblem(f"--out {out} is a file, not a folder")
    if out.is_dir() and not force and any(out.iterdir()):
        raise UsageProblem(
            f"--out {out} already holds files: choose an empty or new folder, or pass --force to "
            f"write ehqa's export files over an earlier export's (no other file is touched)"
        )


def write_export(
    repo: Path, out: Path, output_format: str, start: str | None, end: str | None, as_of: date, force: bool = False
) -> Written:
    """Check, load, build every table, then write the CSVs and ``datapackage.json`` (csv) or the workbook (xlsx)."""
    from ehqa.load.repository import load_repository
    from ehqa.repo_files.reference import read_schemas

    if start and end and start > end:
        raise UsageProblem(f"--from {start} is after --to {end}")
    check_out(out, repo, force)
    loaded = load_repository(repo)
    cycles = chosen_cycles(loaded.service, start, end)
    if loaded.service.settings is None or loaded.service.staff is None:
        raise DataError("qa.yaml and staff.yaml must load cleanly: run `ehqa validate`")
    if loaded.service.broken:
        log.warning(
            "%d files could not be read, so they are missing from the export: run `ehqa validate`",
            len(loaded.service.broken),
        )
    schemas = read_schemas(repo / "schemas")
    tables = build_tables(loaded.service, cycles, as_of, schemas)
    title = f"{loaded.service.settings.service_name}: case audits {cycles[0]} to {cycles[-1]}, as of {as_of}"
    if output_format == "xlsx":
        files = {WORKBOOK_FILE: workbook_bytes(tables, schemas)}
    else:
        files = {csv_name(t): csv_text(t).encode(ENCODING) for t in tables}
        files[PACKAGE_FILE] = package_json(tables, schemas, title).encode("utf-8")
    written = []
    for name, data in files.items():
        try:
            write_atomic_bytes(out / name, data)
        except OSError as exc:
            raise DataError(f"cannot write {out / name}: {exc.strerror or exc}") from None
        written.append(out / name)
    for name in OWN_FILES:  # an earlier export's files that this one does not write (--force)
        if name not in files:
            (out / name).unlink(missing_ok=True)
    return Written(tuple(written), tuple(tables), cycles)
