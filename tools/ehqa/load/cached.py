"""Loading the repository for the site, with a cache of what each clean file parsed to.

Parsing YAML strictly is most of the cost of loading a large service (about 10 s for 12,000
audits), and a rebuild after one new audit should not pay it again. So each file is read and
hashed, and its parse is taken from ``load.build_cache`` when the cache holds one for exactly
those bytes; every document, cached or not, is then checked against its schema and converted
exactly as ``load.repository`` does. The cache is plain JSON, authenticated, and outside the
repository: a planted or damaged cache makes a build slower, never different.

Perspective of Worker forms are loaded for one count only: how many practitioners asked for support, on the
"What training would help" page (``site.training``, R22); nothing they say is ever published.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ehqa import layout
from ehqa import model as m
from ehqa.findings import Finding
from ehqa.load import repository
from ehqa.load.build_cache import ParsedCache
from ehqa.load.schema_check import Schemas
from ehqa.load.strict_yaml import DEFAULT_MAX_BYTES, YamlProblem, parse, read_bytes

log = logging.getLogger(__name__)

_CONVERTERS = repository._CONVERTERS  # the loader's own: one way to turn a document into a record


@dataclass
class Loaded:
    service: m.Service
    findings: list[Finding] = field(default_factory=list)
    read: int = 0  # files parsed this time
    cached: int = 0  # files whose parse came from the cache


def load_for_site(root: Path, cache_dir: Path | None) -> Loaded:
    """The service as the site sees it: every data file, with the cache when given."""
    files, unknown = _discover(root)
    cache = ParsedCache(cache_dir / "load" if cache_dir else None)
    schemas = Schemas.for_folder(root / layout.SCHEMAS)

    result = Loaded(service=m.Service(settings=None, staff=None))
    result.findings.extend(Finding("FILE-UNKNOWN", "ehqa does not know this file: run `ehqa validate`", f,
                                   line=1, column=1) for f in unknown)
    for required in (layout.SETTINGS_FILE, layout.STAFF_FILE):
        if required not in files:
            result.findings.append(Finding("FILE-MISSING", f"every QA repository needs {required}", required))
    max_bytes = DEFAULT_MAX_BYTES
    for relative in files:  # qa.yaml first: it sets the size cap for the rest
        kind = layout.data_kind(relative)
        record = _load(root, relative, kind, schemas, max_bytes, cache, result)
        if record is None:
            result.service.broken.add(relative)
            continue
        repository.add_record(result.service, kind, record)
        if kind == "settings":
            max_bytes = record.max_file_bytes
    cache.save()
    return result


def _load(root: Path, relative: str, kind: str, schemas: Schemas, max_bytes: int, cache: ParsedCache,
          result: Loaded) -> Any:
    """One file's record, or None with its findings added: read, parsed (or taken from the cache by
    the hash of the same bytes), checked against the schema and converted, as ``load.repository`` does."""
    try:
        data = read_bytes(root / relative, max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        doc = cache.get(relative, digest)
        if doc is None:
            doc = parse(data)
            result.read += 1
        else:
            result.cached += 1
    except YamlProblem as problem:
        result.findings.append(Finding(problem.rule, problem.message, relative, line=problem.line,
                                       column=problem.column))
        return None
    problems = schemas.check(kind, doc, relative)
    if not problems:
        try:
            record = _CONVERTERS[kind](doc, relative)
        except (KeyError, TypeError, ValueError) as exc:  # the validators disagree: trust the detailed one
            problems = schemas.explain(kind, doc, relative) or [
                Finding("SCHEMA-INVALID", f"this {kind} file cannot be read: {exc}", relative)]
        else:
            cache.put(relative, digest, doc)
            return record
    result.findings.extend(problems)
    return None


def _discover(root: Path) -> tuple[list[str], list[str]]:
    """The data files the site reads, in ``repository.discover``'s order, and the YAML files ehqa does not know."""
    found = [name for name in (layout.SETTINGS_FILE, layout.STAFF_FILE) if (root / name).is_file()]
    unknown: list[str] = []
    for folder in layout.DATA_FOLDERS:
        entries: list[str] = []
        base = root / folder
        if base.is_dir():
            _walk(os.fspath(base), folder, entries, unknown)
        found.extend(sorted(entries))
    return found, sorted(unknown)


def _walk(directory: str, relative: str, entries: list, unknown: list) -> None:
    """os.scandir, with plain strings: a Path per file costs more than the stat itself at 25,000 files."""
    with os.scandir(directory) as listing:
        for entry in listing:
            name = f"{relative}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, name, entries, unknown)
            elif entry.name.endswith((".yaml", ".yml")):
                (entries if layout.data_kind(name) is not None else unknown).append(name)
