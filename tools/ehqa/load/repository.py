"""The one loader: a QA repository on disk to a ``Service`` and the findings met on the way.

Every tool and CI go through ``load_repository``. Files are found by where they
sit (see ``classify``), read strictly (``strict_yaml``), checked against their
schema (``schema_check``) and, only when clean, turned into model objects
(``convert``). A file that fails is named in ``Service.broken``, so that later
rules do not pile more errors on top of the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import model as m
from ..findings import Finding
from . import convert
from .schema_check import Schemas
from .strict_yaml import DEFAULT_MAX_BYTES, YamlProblem, load_file

SETTINGS_FILE = "qa.yaml"
STAFF_FILE = "staff.yaml"
DATA_FOLDERS = ("cycles", "audits")

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("cycle", re.compile(r"cycles/(?P<cycle>[0-9]{4}-[0-9]{2})\.yaml")),
    ("allocation", re.compile(r"cycles/(?P<cycle>[0-9]{4}-[0-9]{2})\.allocation\.yaml")),
    ("worker", re.compile(r"audits/(?P<cycle>[0-9]{4}-[0-9]{2})/(?P<case>[^/.]+)\.worker\.yaml")),
    ("audit", re.compile(r"audits/(?P<cycle>[0-9]{4}-[0-9]{2})/(?P<case>[^/.]+)\.yaml")),
]
_EXPECTED = {
    "cycles": "cycles/YYYY-MM.yaml or cycles/YYYY-MM.allocation.yaml",
    "audits": "audits/YYYY-MM/<case-ref>.yaml or audits/YYYY-MM/<case-ref>.worker.yaml",
}

_CONVERTERS: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "settings": convert.settings,
    "staff": convert.staff,
    "cycle": convert.cycle,
    "allocation": convert.allocation,
    "audit": convert.audit,
    "worker": convert.worker_form,
}


@dataclass
class LoadResult:
    service: m.Service
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every data file found, relative to the root


def classify(relative: str) -> str | None:
    """The kind of data file at a repository-relative path, or None when ehqa does not know it."""
    if relative == SETTINGS_FILE:
        return "settings"
    if relative == STAFF_FILE:
        return "staff"
    for kind, pattern in _KINDS:
        if pattern.fullmatch(relative):
            return kind
    return None


def discover(root: Path) -> list[str]:
    """Every data file of the repository, relative: the settings and staff first, then cycles and audits sorted."""
    found = [name for name in (SETTINGS_FILE, STAFF_FILE) if (root / name).is_file()]
    for folder in DATA_FOLDERS:
        base = root / folder
        if base.is_dir():
            found.extend(
                sorted(
                    p.relative_to(root).as_posix()
                    for p in base.rglob("*")
                    if p.suffix in (".yaml", ".yml") and p.is_file()
                )
            )
    return found


def load_repository(root: Path, schemas: Schemas | None = None) -> LoadResult:
    """Load a whole QA repository. Never raises for bad data: problems become findings."""
    schemas = schemas or Schemas.for_folder(root / "schemas")
    result = LoadResult(service=m.Service(settings=None, staff=None))
    result.files = discover(root)
    for required in (SETTINGS_FILE, STAFF_FILE):
        if required not in result.files:
            result.findings.append(
                Finding("FILE-MISSING", f"every QA repository needs {required} at its root", required, line=1, column=1)
            )

    max_bytes = DEFAULT_MAX_BYTES
    for relative in result.files:  # qa.yaml comes first: it sets the size cap for the rest
        kind = classify(relative)
        if kind is None:
            top = relative.split("/", 1)[0]
            result.findings.append(
                Finding(
                    "FILE-UNKNOWN",
                    f"ehqa does not know this file; it expects {_EXPECTED.get(top, 'qa.yaml or staff.yaml')}",
                    relative,
                    line=1,
                    column=1,
                )
            )
            continue
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
    schemas = schemas or Schemas.for_folder(root / "schemas")
    result = LoadResult(service=m.Service(settings=None, staff=None), files=[relative])
    record = _load_one(root, relative, kind, schemas, max_bytes, result)
    return record, result.findings


def _load_one(root: Path, relative: str, kind: str, schemas: Schemas, max_bytes: int, result: LoadResult) -> Any:
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
    else:
        service.worker_forms.append(record)
