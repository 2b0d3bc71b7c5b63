"""Loading the repository for the site, with a cache of every file that loaded cleanly.

Parsing YAML strictly is most of the cost of loading a large service (about 8 s for 12,000
audits), and a rebuild after one new audit should not pay it again. So each file's model
object is kept in ``<work>/cache/load/`` (one pickle per folder of audits, so that a new audit
rewrites one small file), keyed by the file's size and modification
time (as ``make`` and Git's index do); a file whose key changed is read again, exactly as
``load.repository`` reads it. The whole cache is dropped when the loader's code, the model,
the schemas or qa.yaml's size cap change.

Perspective of Worker forms are not loaded: nothing of them is ever published.

The cache sits in the build folder, beside the repository, and is never published: it holds
what the repository holds (case references, staff ids).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ... import model as m
from ...atomic import write_atomic_bytes
from ...findings import Finding
from ...load import repository
from ...load.schema_check import Schemas
from ...load.strict_yaml import DEFAULT_MAX_BYTES

log = logging.getLogger(__name__)

_CACHE_FORMAT = 3
_LOADER_CODE = ("load", "model")  # packages of ehqa whose code decides what a file loads to


@dataclass
class Loaded:
    service: m.Service
    findings: list[Finding] = field(default_factory=list)
    read: int = 0  # files parsed this time
    cached: int = 0  # files taken from the cache


def load_for_site(root: Path, cache_dir: Path | None) -> Loaded:
    """The service as the site sees it: every data file but the worker forms, with the cache when given."""
    files, unknown = _discover(root)
    folder = cache_dir / "load" if cache_dir else None
    stamp = _stamp(root)
    cache = _read_cache(folder, stamp)
    schemas: Schemas | None = None

    result = Loaded(service=m.Service(settings=None, staff=None))
    result.findings.extend(Finding("FILE-UNKNOWN", "ehqa does not know this file: run `ehqa validate`", f,
                                   line=1, column=1) for f in unknown)
    for required in (repository.SETTINGS_FILE, repository.STAFF_FILE):
        if required not in files:
            result.findings.append(Finding("FILE-MISSING", f"every QA repository needs {required}", required))
    fresh: dict[str, dict[str, tuple]] = {}  # segment -> relative path -> (key, record, size cap)
    changed: set[str] = set()
    max_bytes = DEFAULT_MAX_BYTES
    for relative, key in files.items():  # qa.yaml first: it sets the size cap for the rest
        kind = repository.classify(relative)
        segment = _segment(relative)
        hit = cache.get(segment, {}).get(relative)
        if hit is not None and hit[0] == key and hit[2] == max_bytes:
            record = hit[1]
            result.cached += 1
        else:
            schemas = schemas or Schemas.for_folder(root / "schemas")
            record, findings = repository.load_single(root, relative, schemas, max_bytes)
            result.findings.extend(findings)
            result.read += 1
            changed.add(segment)
        if record is None:
            result.service.broken.add(relative)
            continue
        fresh.setdefault(segment, {})[relative] = (key, record, max_bytes)
        repository.add_record(result.service, kind, record)
        if kind == "settings":
            max_bytes = record.max_file_bytes
    if folder is not None:
        changed |= {segment for segment, entries in cache.items() if len(entries) != len(fresh.get(segment, {}))}
        _write_cache(folder, stamp, {segment: fresh.get(segment, {}) for segment in changed})
    return result


def _segment(relative: str) -> str:
    """The part of the cache a file is kept in: one per folder of audits, one for cycles, one for the rest."""
    folder = relative.rpartition("/")[0]
    return folder or "root"


def _discover(root: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """The data files the site reads, in ``repository.discover``'s order, each with (size, mtime);
    and the YAML files ehqa does not know."""
    found: dict[str, tuple[int, int]] = {}
    for name in (repository.SETTINGS_FILE, repository.STAFF_FILE):
        if (root / name).is_file():
            found[name] = _key(root / name)
    unknown: list[str] = []
    for folder in repository.DATA_FOLDERS:
        entries: list[tuple[str, tuple[int, int]]] = []
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
            elif entry.name.endswith((".yaml", ".yml")) and not entry.name.endswith(".worker.yaml"):
                if repository.classify(name) is None:
                    unknown.append(name)
                else:
                    stat = entry.stat()
                    entries.append((name, (stat.st_size, stat.st_mtime_ns)))


def _key(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _stamp(root: Path) -> str:
    """What invalidates the whole cache: this format, the loader's and model's code, and the schemas."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}".encode())
    package = Path(repository.__file__).resolve().parents[1]
    for folder in _LOADER_CODE:
        for source in sorted((package / folder).glob("*.py")):
            digest.update(source.name.encode() + source.read_bytes())
    for schema in sorted((root / "schemas").glob("*.json")):
        digest.update(schema.name.encode() + schema.read_bytes())
    return digest.hexdigest()


# The model's frozen dataclasses pickle, by default, through a generic __setstate__ that is slow for
# thousands of audits. Each is saved instead as its class and its constructor's arguments.
def _model_classes() -> list[type]:
    return [value for value in vars(m).values() if isinstance(value, type) and dataclasses.is_dataclass(value)]


def _reducer(cls: type):
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return lambda obj: (cls, tuple(getattr(obj, name) for name in names))


_DISPATCH = {cls: _reducer(cls) for cls in _model_classes() if cls is not m.Service}


def _read_cache(folder: Path | None, stamp: str) -> dict[str, dict]:
    """Every segment of the cache made under the same stamp: segment -> relative path -> entry."""
    segments: dict[str, dict] = {}
    if folder is None or not folder.is_dir():
        return segments
    for path in sorted(folder.glob("*.pickle")):
        try:
            with path.open("rb") as handle:
                saved = pickle.load(handle)  # our own file, in the build folder; never published
        except Exception:  # a cache that cannot be read is only a slower build
            log.info("the load cache %s could not be read; its files are read again", path.name)
            continue
        if isinstance(saved, dict) and saved.get("stamp") == stamp:
            segments[saved["segment"]] = saved["files"]
    return segments


def _write_cache(folder: Path, stamp: str, segments: dict[str, dict]) -> None:
    for segment, files in segments.items():
        path = folder / f"{hashlib.sha256(segment.encode()).hexdigest()[:20]}.pickle"
        try:
            if not files:
                path.unlink(missing_ok=True)
                continue
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _DISPATCH
            pickler.dump({"stamp": stamp, "segment": segment, "files": files})
            write_atomic_bytes(path, buffer.getvalue())
        except OSError as exc:
            log.warning("could not write the load cache %s: %s", path, exc)
