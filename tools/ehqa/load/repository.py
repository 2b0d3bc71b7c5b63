"""The one loader: a QA repository on disk to a ``Service`` and the findings met on the way.

Every tool and CI go through ``load_repository``. Files are found by where they sit
(``survey``, which asks ``layout.classify`` about every entry under audits/ and cycles/ and
never follows a symbolic link), read strictly (``strict_yaml``), checked against their schema
(``schema_check``) and, only when clean, turned into model objects (``convert``). A file that
fails is named in ``Service.broken``, so that later rules do not pile more errors on top of
the first.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ehqa import layout
from ehqa import model as m
from ehqa.errors import DataError
from ehqa.findings import Finding
from ehqa.layout import SETTINGS_FILE, STAFF_FILE, EntryType, Known
from ehqa.load import convert
from ehqa.load.schema_check import Schemas
from ehqa.load.strict_yaml import DEFAULT_MAX_BYTES, YamlProblem, load_file

log = logging.getLogger("ehqa")

__all__ = ["SETTINGS_FILE", "STAFF_FILE", "LoadResult", "Survey", "add_record", "classify",
           "discover", "load_repository", "load_settings", "load_single", "load_single_or_fail", "survey"]

_CONVERTERS: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "settings": convert.settings,
    "staff": convert.staff,
    "cycle": convert.cycle,
    "allocation": convert.allocation,
    "moderation": convert.moderation,
    "audit": convert.audit,
    "worker": convert.worker_form,
    "record": convert.record,
}


@dataclass
class LoadResult:
    service: m.Service
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every data file read and every entry reported, relative


def classify(relative: str) -> str | None:
    """The kind of data file at a repository-relative path, or None when ehqa does not know it."""
    return layout.data_kind(relative)


@dataclass
class Survey:
    """What ``survey`` found: the data files to read, in reading order, and a finding for every other
    entry under audits/ and cycles/ (``reported``: their paths)."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # data files refused by their name alone (a case clash)

    @property
    def reported(self) -> list[str]:
        return sorted({f.file for f in self.findings})


def survey(root: Path) -> Survey:
    """Every entry of the repository's data, classified by ``layout``: settings and staff first, then
    cycles and audits sorted. Symbolic links are reported, never followed (issue 9)."""
    entries: list[tuple[str, EntryType, int]] = []  # path, type, files beneath (for folders)
    try:
        with os.scandir(root) as listing:
            top = sorted((entry.name, entry) for entry in listing if layout.classify(entry.name) is not None)
    except OSError:
        top = []
    for name, entry in top:
        kind = _entry_type(entry)
        below = _walk(entry.path, name, entries) if kind is EntryType.FOLDER else 0
        entries.append((name, kind, below))
    result = Survey()
    clashes = layout.case_clashes(path for path, _, _ in entries)
    for path, kind, below in entries:
        found = layout.classify(path, kind)
        if isinstance(found, Known) and path in clashes:
            found = layout.clash_problem(path, clashes[path])
            if kind is not EntryType.FOLDER:
                result.broken.append(path)
        if isinstance(found, layout.Problem) and (kind is not EntryType.FOLDER or below == 0):
            result.findings.append(Finding(found.rule, found.message, path, line=1, column=1))
        elif isinstance(found, Known) and found.kind != "folder" and path not in clashes:
            result.files.append(path)
    order = {SETTINGS_FILE: 0, STAFF_FILE: 1}
    result.files.sort(key=lambda path: (order.get(path, 2), path))
    return result


def discover(root: Path) -> list[str]:
    """Every data file of the repository, relative: the settings and staff first, then cycles and audits sorted."""
    return survey(root).files


def _entry_type(entry: os.DirEntry) -> EntryType:
    if entry.is_symlink():
        return EntryType.SYMLINK
    if entry.is_dir(follow_symlinks=False):
        return EntryType.FOLDER
    if entry.is_file(follow_symlinks=False):
        return EntryType.FILE
    return EntryType.OTHER


def _walk(directory: str, relative: str, entries: list[tuple[str, EntryType, int]]) -> int:
    """Add every entry under ``directory`` (never through a symbolic link); how many are not folders."""
    count = 0
    try:
        with os.scandir(directory) as listing:
            found = sorted((entry.name, entry) for entry in listing)
    except OSError:
        return 0
    for name, entry in found:
        path = f"{relative}/{name}"
        kind = _entry_type(entry)
        below = _walk(entry.path, path, entries) if kind is EntryType.FOLDER else 0
        entries.append((path, kind, below))
        count += below if kind is EntryType.FOLDER else 1
    return count


def load_repository(root: Path, schemas: Schemas | None = None) -> LoadResult:
    """Load a whole QA repository. Never raises for bad data: problems become findings."""
    schemas = schemas or Schemas.for_folder(root / layout.SCHEMAS)
    result = LoadResult(service=m.Service(settings=None, staff=None))
    found = survey(root)
    result.files = found.files + found.reported
    result.findings.extend(found.findings)
    result.service.broken.update(found.broken)
    for required in (SETTINGS_FILE, STAFF_FILE):
        if required not in result.files:
            result.findings.append(
                Finding("FILE-MISSING", f"every QA repository needs {required} at its root", required, line=1, column=1)
            )

    max_bytes = DEFAULT_MAX_BYTES
    for relative in found.files:  # qa.yaml comes first: it sets the size cap for the rest
        kind = classify(relative)
        assert kind is not None  # survey lists data files only
        record = _load_one(root, relative, kind, schemas, max_bytes, result)
        if record is None:
            result.service.broken.add(relative)
            continue
        add_record(result.service, kind, record)
        if kind == "settings":
            max_bytes = record.max_file_bytes
    return result


def load_single(
    root: Path, relative: str, schemas: Schemas | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Any, list[Finding]]:
    """One data file on its own, read exactly as ``load_repository`` reads it but without the
    cross-file rules: its model object (None when it could not be loaded) and the findings.

    For commands that need a file or two (qa.yaml, one cycle), not the whole repository.
    Raises ``SchemaError`` when the repository's schemas cannot be used, and ValueError for a
    path that is not a data file ehqa knows.
    """
    kind = classify(relative)
    if kind is None:
        raise ValueError(f"{relative} is not a data file ehqa knows")
    schemas = schemas or Schemas.for_folder(root / layout.SCHEMAS)
    result = LoadResult(service=m.Service(settings=None, staff=None), files=[relative])
    linked = _linked_folder(root, relative)
    if linked is not None:  # the whole-repository survey reports these; a single read must not follow them either
        problem = layout.classify(linked, EntryType.SYMLINK)
        assert isinstance(problem, layout.Problem)
        return None, [Finding(problem.rule, problem.message, linked, line=1, column=1)]
    record = _load_one(root, relative, kind, schemas, max_bytes, result)
    return record, result.findings


def load_single_or_fail(
    root: Path, relative: str, max_bytes: int = DEFAULT_MAX_BYTES, *,
    needed: str = "every QA repository needs one at its root", consequence: str = "",
) -> Any:
    """One data file's model object, read as ``load_single`` reads it, for a command that cannot go on
    without it: ``DataError`` (exit 1) when the file is missing (``needed`` says why it must exist) or
    does not load cleanly (``consequence`` is added to the message). ``SchemaError`` (exit 2) when the
    repository's schemas cannot be used."""
    if not (root / relative).is_file():
        raise DataError(f"there is no {relative} in {root}: {needed}")
    record, findings = load_single(root, relative, max_bytes=max_bytes)
    if record is None:
        detail = f" ({findings[0].message})" if findings else ""
        more = f" and {len(findings) - 1} more problems" if len(findings) > 1 else ""
        raise DataError(f"{relative} cannot be read{detail}{more}: run `ehqa validate {relative}`{consequence}")
    return record


def load_settings(root: Path) -> m.Settings:
    """qa.yaml, read as ``ehqa validate`` reads it; ``DataError`` when it is missing or cannot be read cleanly."""
    return load_single_or_fail(root, SETTINGS_FILE)


def _linked_folder(root: Path, relative: str) -> str | None:
    """The first folder on the way to ``relative`` that is a symbolic link, or None."""
    parts = relative.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if (root / folder).is_symlink():
            return folder
    return None


def _load_one(root: Path, relative: str, kind: str, schemas: Schemas, max_bytes: int, result: LoadResult) -> Any:
    """One file's record, or None with its findings added. Guarded: whatever goes wrong with one
    file becomes a finding on that file, and every other file is still checked (issue 9, item 7)."""
    try:
        return _read_record(root, relative, kind, schemas, max_bytes, result)
    except Exception as exc:  # a bug in ehqa must not hide the findings of every other file
        log.debug("reading %s failed", relative, exc_info=True)
        result.findings.append(Finding("FILE-UNREADABLE", f"ehqa could not read this file ({type(exc).__name__}: "
                                       f"{exc}); this is a bug in ehqa: please report it with the file (run with -v "
                                       "for the details)", relative, line=1, column=1))
        return None


def _read_record(root: Path, relative: str, kind: str, schemas: Schemas, max_bytes: int, result: LoadResult) -> Any:
    try:
        doc = load_file(root / relative, max_bytes)
    except YamlProblem as problem:
        result.findings.append(Finding(problem.rule, problem.message, relative, line=problem.line, column=problem.column))
        return None
    problems = schemas.check(kind, doc, relative)
    if not problems:
        try:
            return _CONVERTERS[kind](doc, relative)
        except (KeyError, TypeError, ValueError) as exc:
            # The validators disagree about a document: trust the detailed one, and never crash.
            problems = schemas.explain(kind, doc, relative) or [
                Finding("SCHEMA-INVALID", f"this {kind} file cannot be read: {exc}", relative)
            ]
    result.findings.extend(problems)
    return None


def add_record(service: m.Service, kind: str, record: Any) -> None:
    """Put one loaded record where it belongs in the service."""
    if kind == "settings":
        service.settings = record
    elif kind == "staff":
        service.staff = record
    elif kind == "cycle":
        service.cycles[record.id] = record
    elif kind == "allocation":
        service.allocations[record.cycle] = record
    elif kind == "audit":
        service.audits.append(record)
    elif kind == "record":
        service.records.append(record)
    elif kind == "moderation":
        service.moderations[record.cycle] = record
    else:
        service.worker_forms.append(record)
