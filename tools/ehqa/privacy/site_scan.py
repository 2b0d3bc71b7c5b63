"""The leak scan that ends every site build: proof that the published site carries no personal data.

The learning site must be safe even if it ends up public (R21; docs/github.md, "Data that must stay
private"). So after MkDocs has written it, every output file is read back and searched for every
identifier the repository holds: case references, staff names, staff ids, GitHub handles and work
email addresses. ``identifiers_from`` collects them from the loaded ``Service``; ``scan_site``
returns one ``Leak`` per file, kind and line. A build with any leak fails.

This module is the site build's entry point: it walks the site and keeps the cache of clean files.
What a file is read as, and how each identifier is matched however it is spelt (decoded, folded
with NFKC, look-alike letters and every script's digits, split by separators, names in either
order, with a middle initial or a title), is in ``ehqa.privacy`` (``leak_scan``, ``matcher``,
``normalise``). ``ehqa validate`` runs the same matcher on every field the site publishes
(``privacy.published``), so that most leaks are refused before a build.

Speed: the scan is linear in the size of the site; with a ``cache``, a rebuild searches only the files
whose bytes changed for every identifier, and the rest for the identifiers that are new.

A ``Leak`` never holds the identifier itself, and the scan never prints one: the build log may be
public.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import multiprocessing
import os
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Iterator

from ehqa.atomic import write_atomic_bytes
from ehqa.load.build_cache import mac_of, macs_of
from ehqa.privacy.identifiers import Identifiers, identifiers_from
from ehqa.privacy.leak_scan import (
    BINARY_SUFFIXES,
    CASE_REFERENCE,
    GITHUB_HANDLE,
    STAFF_EMAIL,
    STAFF_ID,
    STAFF_NAME,
    UNREADABLE,
    Leak,
    format_leaks,
)
from ehqa.privacy.leak_scan import scan_file as _scan_file
from ehqa.privacy.matcher import Matcher

MAX_CACHE_BYTES = 64 * 1024 * 1024  # a bigger cache is not ours: ignored unread
PARALLEL_FROM_BYTES = 4 * 1024 * 1024  # less is scanned in under a second: not worth starting processes for

__all__ = ["BINARY_SUFFIXES", "CASE_REFERENCE", "GITHUB_HANDLE", "STAFF_EMAIL", "STAFF_ID", "STAFF_NAME",
           "UNREADABLE", "Identifiers", "Leak", "format_leaks", "identifiers_from", "scan_site"]


# --- the scan --------------------------------------------------------------------------------


def scan_site(site_dir: Path, ids: Identifiers, cache: Path | None = None, workers: int = 1) -> list[Leak]:
    """Every leak in the built site at ``site_dir``, sorted by file and line; [] when it is clean.

    A missing ``site_dir`` is an error (FileNotFoundError), never a clean site.

    With ``cache``, a file outside the site (the build's work folder), the files found clean are
    remembered by path and the SHA-256 of their bytes, with the identifiers they were searched for
    (each as a keyed hash: the cache holds no identifier) and a digest of the matching code. A later
    scan reads every file again and hashes it; a file whose bytes were found clean before is searched
    only for the identifiers that are new since (the matches of a set of identifiers are the matches of
    each: a file clean of the old ones and of the new is clean of all), and any other file for all of
    them (issue 13: a rebuild after one audit scanned 100,000 pages' worth again). The cache carries an
    HMAC under the user's cache key (``load.build_cache``): a cache planted or edited in the work folder
    fails it and is ignored, and the scan is then whole. A file with a leak is never remembered.

    With ``workers`` over 1, a scan of more than ``PARALLEL_FROM_BYTES`` is shared by that many processes.
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise FileNotFoundError(f"no site to scan at {site_dir}")
    if cache is not None and Path(cache).resolve().is_relative_to(site_dir.resolve()):
        raise ValueError("the leak scan's cache must not be inside the site it scans")
    terms = _terms(ids) if cache is not None else {}
    known, searched = _read_cache(Path(cache)) if cache is not None else ({}, set())
    new = _only(terms, set(terms) - searched)
    clean: dict[str, str] = {}
    leaks: set[Leak] = set()
    jobs: list[tuple[str, str, bytes, str]] = []  # (file, digest, bytes, "all" or "new"): what to search, for what
    for path in _files(site_dir):
        relative = path.relative_to(site_dir).as_posix()
        try:
            data = path.read_bytes()
        except OSError:
            leaks.add(Leak(relative, UNREADABLE, None))
            continue
        digest = hashlib.sha256(data).hexdigest()
        which = "new" if known.get(relative) == digest else "all"
        if which == "new" and new is None:
            clean[relative] = digest
        else:
            jobs.append((relative, digest, data, which))
    matchers = {which: Matcher(new if which == "new" else ids) for which in {job[3] for job in jobs}}
    parallel = workers > 1 and sum(len(job[2]) for job in jobs) >= PARALLEL_FROM_BYTES
    for (relative, digest, _, _), found in zip(jobs, _search(jobs, matchers, workers if parallel else 1)):
        if found:
            leaks.update(found)
        else:
            clean[relative] = digest
    if cache is not None:
        _write_cache(Path(cache), set(terms), clean)
    return sorted(leaks, key=lambda leak: (leak.file, leak.line or 0, leak.what))


_matchers: dict[str, Matcher] = {}  # a worker's, inherited from the scan that forked it


def _search(jobs: list[tuple[str, str, bytes, str]], matchers: dict[str, Matcher], workers: int) -> list[set[Leak]]:
    """The leaks of each job, in order: by ``workers`` forked processes (the matchers built once, before the
    fork), the largest files first, so that both end together; in this process when ``workers`` is 1."""
    global _matchers
    _matchers = matchers
    try:
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_search_one(job) for job in jobs]
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][2]))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found = pool.map(_search_one, [jobs[i] for i in order], chunksize=1)
    finally:
        _matchers = {}
    results: list[set[Leak]] = [set()] * len(jobs)
    for i, leaks in zip(order, found):
        results[i] = leaks
    return results


def _search_one(job: tuple[str, str, bytes, str]) -> set[Leak]:
    relative, _, data, which = job
    return _scan_file(relative, PurePosixPath(relative).suffix.lower(), data, _matchers[which])


def _files(root: Path) -> Iterator[Path]:
    """Every file under root, in a stable order; symbolic links to directories are not followed."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file():
                yield path


_KINDS = ("case_refs", "staff_names", "staff_ids", "handles", "emails")  # Identifiers' fields
_FORMAT = "ehqa.leak-scan-cache/3"  # raise when what the cache holds changes


def _terms(ids: Identifiers) -> dict[str, tuple[str, str]]:
    """Each identifier by its keyed hash (HMAC under the user's cache key: a 7-digit case reference's plain
    hash would be found by trying them all), with its kind and value."""
    terms = [(kind, value) for kind in _KINDS for value in getattr(ids, kind)]
    hashes = macs_of(f"{kind}\0{value}".encode("utf-8") for kind, value in terms)
    return {mac[:32]: term for mac, term in zip(hashes, terms)}


def _only(terms: dict[str, tuple[str, str]], wanted: set[str]) -> Identifiers | None:
    """The identifiers whose hashes are ``wanted``, or None when there are none."""
    if not wanted:
        return None
    chosen: dict[str, set[str]] = {kind: set() for kind in _KINDS}
    for term in wanted:
        kind, value = terms[term]
        chosen[kind].add(value)
    return Identifiers(**{kind: frozenset(values) for kind, values in chosen.items()})


@functools.cache
def _code() -> str:
    """A digest of the matching code (this package's modules, and the Unicode data its folding uses): a cache made
    by other rules is not trusted."""
    digest = hashlib.sha256(f"{_FORMAT}/{unicodedata.unidata_version}".encode())
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _read_cache(cache: Path) -> tuple[dict[str, str], set[str]]:
    """The files found clean (path -> SHA-256) and the identifiers' hashes they were searched for; nothing
    when the cache is missing, damaged, not this user's (its MAC), or made by other matching code."""
    try:
        if cache.stat().st_size > MAX_CACHE_BYTES:
            return {}, set()
        mac, _, payload = cache.read_bytes().partition(b"\n")
        if not hmac.compare_digest(mac, mac_of(payload).encode("ascii")):
            return {}, set()
        stored = json.loads(payload)
        if stored.get("code") != _code():
            return {}, set()
        clean, searched = stored["clean"], stored["searched"]
        if not (isinstance(clean, dict) and isinstance(searched, list)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in clean.items())
                and all(isinstance(term, str) for term in searched)):
            return {}, set()
        return clean, set(searched)
    except Exception:  # noqa: BLE001 - whatever a damaged cache does, the scan is only whole again
        return {}, set()


def _write_cache(cache: Path, searched: set[str], clean: dict[str, str]) -> None:
    """Remember the clean files; a failure to write is only a whole scan next time."""
    payload = json.dumps({"code": _code(), "searched": sorted(searched), "clean": clean}, sort_keys=True,
                         separators=(",", ":")).encode("utf-8")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(cache, mac_of(payload).encode("ascii") + b"\n" + payload, sync=False)
    except OSError:
        pass
