"""Loading the repository for the site, with a cache of what each clean file parsed to.

Parsing YAML strictly is most of the cost of loading a large service (about 10 s for 12,000
audits), and a rebuild after one new audit should not pay it again. So a file whose status
(size, times, inode: ``build_cache.signature``) is the one the cache recorded is not read again;
any other is read and hashed, and its parse is taken from ``load.build_cache`` when the cache
holds one for exactly those bytes; every document, cached or not, is then checked against its
schema and converted exactly as ``load.repository`` does. The cache is plain JSON, authenticated, and outside the
repository: a planted or damaged cache makes a build slower, never different.

With many files to read, worker processes read, hash and parse them while this process checks and converts
those already parsed, in order. A long-running preview (``ehqa serve``) passes a ``Memo``: a file whose status
has not changed since its last build gives back the record it gave then.

Perspective of Worker forms are loaded for one count only: how many practitioners asked for support, on the
"What training would help" page (``site.training``, R22); nothing they say is ever published.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generator, Iterator

from ehqa import layout
from ehqa import model as m
from ehqa.findings import Finding
from ehqa.load import repository
from ehqa.load.build_cache import ParsedCache, signature
from ehqa.load.schema_check import Schemas
from ehqa.load.strict_yaml import DEFAULT_MAX_BYTES, YamlProblem, parse, read_bytes

log = logging.getLogger(__name__)

_CONVERTERS = repository._CONVERTERS  # the loader's own: one way to turn a document into a record
# layout.data_kind for a file under audits/ or cycles/, quicker: each pattern names its folders, so a path it
# matches is in folders ehqa knows, and the patterns exclude each other (the most common first)
_KINDS = sorted(layout.DATA_FILES.items(), key=lambda item: item[0] not in ("record", "audit"))
PARALLEL_FROM = 2000  # files to parse before worker processes pay for their start (measured: issue 13)


@dataclass
class Memo:
    """What one long-running process (``ehqa serve``) keeps between its rebuilds, in memory only: the parse
    cache as read and written, and each clean file's record with the status it was read at. A file whose
    status is the same (``build_cache.signature``: its change time cannot be set back), under the same
    schemas and size limit, gives back the very record it gave before: records are frozen, so nothing a
    rebuild does can change one. Any other file is read, checked and converted as in ``ehqa build``."""

    cache: ParsedCache | None = None
    records: dict[str, tuple[list, str, Any, Any]] = field(default_factory=dict)  # status, digest, doc, record
    checked_with: tuple[Schemas, int] | None = None  # the schemas and size limit the records were checked under


@dataclass(frozen=True)
class _Reused:
    digest: str
    doc: Any
    status: list
    record: Any


@dataclass
class Loaded:
    service: m.Service
    findings: list[Finding] = field(default_factory=list)
    read: int = 0  # files parsed this time
    cached: int = 0  # files whose parse came from the cache


def load_for_site(root: Path, cache_dir: Path | None, workers: int = 1, memo: Memo | None = None) -> Loaded:
    """The service as the site sees it: every data file, with the cache when given.
    The files the cache does not hold are parsed by ``workers`` processes when there are many (issue 13).
    With ``memo`` (a preview's), what an earlier load of this process found is used again."""
    files, unknown = _discover(root)
    folder = cache_dir / "load" if cache_dir else None
    if memo is not None and (memo.cache is None or memo.cache.folder != folder):
        memo.cache, memo.records = ParsedCache(folder), {}
    cache = memo.cache if memo is not None else ParsedCache(folder)
    schemas = Schemas.for_folder(root / layout.SCHEMAS)

    result = Loaded(service=m.Service(settings=None, staff=None))
    result.findings.extend(Finding("FILE-UNKNOWN", "ehqa does not know this file: run `ehqa validate`", f,
                                   line=1, column=1) for f in unknown)
    for required in (layout.SETTINGS_FILE, layout.STAFF_FILE):
        if required not in files:
            result.findings.append(Finding("FILE-MISSING", f"every QA repository needs {required}", required))
    max_bytes = DEFAULT_MAX_BYTES
    if files.get(layout.SETTINGS_FILE) == "settings":  # qa.yaml first: it sets the size cap for the rest
        settings = _record(layout.SETTINGS_FILE, "settings", next(_read([layout.SETTINGS_FILE], root, max_bytes,
                                                                        cache, result, 1)), schemas, cache, result)
        if settings is not None:
            max_bytes = settings.max_file_bytes
    rest = [relative for relative in files if relative != layout.SETTINGS_FILE]
    known: dict[str, tuple[list, str, Any, Any]] = {}
    if memo is not None:
        known = memo.records if memo.checked_with == (schemas, max_bytes) else {}
        memo.records, memo.checked_with = {}, (schemas, max_bytes)
    for relative, read in zip(rest, _read(rest, root, max_bytes, cache, result, workers, known)):
        record = _record(relative, files[relative], read, schemas, cache, result)
        if memo is not None and record is not None:
            _remember(memo, relative, read, record)
    cache.save()
    return result


def _remember(memo: Memo, relative: str, read: tuple[str, Any, list | None] | _Reused, record: Any) -> None:
    digest, doc, status = (read.digest, read.doc, read.status) if isinstance(read, _Reused) else read
    if status is not None:  # a file changed too lately to trust its status is read again next time
        memo.records[relative] = (status, digest, doc, record)


def _read(relatives: list[str], root: Path, max_bytes: int, cache: ParsedCache, result: Loaded,
          workers: int, known: dict[str, tuple[list, str, Any, Any]] | None = None
          ) -> Iterator[tuple[str, Any, list | None] | _Reused | YamlProblem]:
    """Each file's digest, parsed document (from the cache for the same status or the same bytes) and
    status signature, or its problem; or, for a file ``known`` holds with this status, its record. In order,
    as each is ready: the caller converts one file while worker processes read and parse the next."""
    found: list[Any] = []  # each file's answer, or the index of its job
    jobs: list[tuple[str, int, str | None]] = []  # path, size cap, digest of the parse the cache holds
    base = os.fspath(root)
    now = time.time_ns()
    for relative in relatives:
        path = f"{base}/{relative}"  # os.path.join was a tenth of a rebuild's loading; "/" is a separator everywhere
        try:
            status = os.lstat(path)
        except OSError:
            status = None  # reading it says why
        mark = None
        if status is not None and stat.S_ISREG(status.st_mode) and status.st_size <= max_bytes:
            mark = signature(status, now)  # taken before the file is read: a later change changes the status
            earlier = known.get(relative) if known and mark is not None else None
            if earlier is not None and earlier[0] == mark:
                found.append(_Reused(earlier[1], earlier[2], mark, earlier[3]))
                continue
            unchanged = cache.unchanged(relative, mark) if mark is not None else None
            if unchanged is not None:
                found.append((*unchanged, mark))
                continue
        found.append(_Job(len(jobs), mark))
        jobs.append((path, max_bytes, cache.digest_of(relative)))
    outcomes = _load_many(jobs, workers)
    try:
        for relative, item in zip(relatives, found):
            if isinstance(item, _Job):
                item = _answer(relative, item.status, next(outcomes), cache, result)
            else:
                result.cached += 1
            yield item
    finally:
        outcomes.close()  # stops the worker processes when the caller stops early


@dataclass(frozen=True)
class _Job:
    index: int
    status: list | None


def _answer(relative: str, status: list | None, outcome: tuple, cache: ParsedCache,
            result: Loaded) -> tuple[str, Any, list | None] | YamlProblem:
    digest, doc, problem = outcome
    if problem is not None:
        result.read += digest is not None  # a file that could not be read is not counted as parsed
        result.cached += digest is None
        return YamlProblem(*problem)
    if doc is None:  # the same bytes as the parse the cache holds
        result.cached += 1
        return digest, cache.get(relative, digest), status
    result.read += 1
    return digest, doc, status


def _load_many(jobs: list[tuple[str, int, str | None]], workers: int) -> Generator[tuple, None, None]:
    """``_load_one`` of each job, in order, as each is done; by ``workers`` forked processes when there are
    enough to pay for them (parsing is most of loading a large service; a fork shares the loaded code)."""
    if workers <= 1 or len(jobs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_load_one, jobs)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_load_one, jobs, chunksize=max(1, min(200, len(jobs) // (8 * workers))))


def _load_one(job: tuple[str, int, str | None]) -> tuple[str | None, Any, tuple[str, str, int, int] | None]:
    """Read, hash and parse one file: its digest, its document (None when its bytes are those of the parse the
    cache holds) and None; or the ``YamlProblem`` met as plain values (a frozen exception does not cross
    processes), with the digest when the file could be read."""
    path, max_bytes, cached_digest = job
    digest = None
    try:
        data = read_bytes(path, max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        if digest == cached_digest:
            return digest, None, None
        return digest, parse(data), None
    except YamlProblem as problem:
        return digest, None, (problem.rule, problem.message, problem.line, problem.column)


def _record(relative: str, kind: str, read: tuple[str, Any, list | None] | _Reused | YamlProblem,
            schemas: Schemas, cache: ParsedCache, result: Loaded) -> Any:
    """One file's record, added to the service, or None with its findings added: its document checked against
    the schema and converted, as ``load.repository`` does, whether it was parsed now or taken from the cache."""
    if isinstance(read, _Reused):  # checked and converted by this process, from a file with this very status
        cache.put(relative, read.digest, read.doc, read.status)
        repository.add_record(result.service, kind, read.record)
        return read.record
    if isinstance(read, YamlProblem):
        result.findings.append(Finding(read.rule, read.message, relative, line=read.line, column=read.column))
        result.service.broken.add(relative)
        return None
    digest, doc, status = read
    problems = schemas.check(kind, doc, relative)
    if not problems:
        try:
            record = _CONVERTERS[kind](doc, relative)
        except (KeyError, TypeError, ValueError) as exc:  # the validators disagree: trust the detailed one
            problems = schemas.explain(kind, doc, relative) or [
                Finding("SCHEMA-INVALID", f"this {kind} file cannot be read: {exc}", relative)]
        else:
            cache.put(relative, digest, doc, status)
            repository.add_record(result.service, kind, record)
            return record
    result.findings.extend(problems)
    result.service.broken.add(relative)
    return None


def _discover(root: Path) -> tuple[dict[str, str], list[str]]:
    """The data files the site reads, with their kinds, in ``repository.discover``'s order, and the YAML
    files ehqa does not know."""
    found = {name: kind for name, kind in (
        (layout.SETTINGS_FILE, "settings"), (layout.STAFF_FILE, "staff")) if (root / name).is_file()}
    unknown: list[str] = []
    for folder in layout.DATA_FOLDERS:
        entries: list[tuple[str, str]] = []
        base = root / folder
        if base.is_dir():
            _walk(os.fspath(base), folder, entries, unknown)
        found.update(sorted(entries))
    return found, sorted(unknown)


def _walk(directory: str, relative: str, entries: list, unknown: list) -> None:
    """os.scandir, with plain strings: a Path per file costs more than the stat itself at 25,000 files."""
    with os.scandir(directory) as listing:
        for entry in listing:
            name = f"{relative}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, name, entries, unknown)
            elif entry.name.endswith((".yaml", ".yml")):
                kind = next((k for k, pattern in _KINDS if pattern.fullmatch(name)), None)
                if kind is None:
                    unknown.append(name)
                else:
                    entries.append((name, kind))
