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

Speed: the scan is linear in the size of the site; with a ``cache``, a rebuild rescans only the
files whose bytes changed.

A ``Leak`` never holds the identifier itself, and the scan never prints one: the build log may be
public.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterator

from ehqa.atomic import write_atomic
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

__all__ = ["BINARY_SUFFIXES", "CASE_REFERENCE", "GITHUB_HANDLE", "STAFF_EMAIL", "STAFF_ID", "STAFF_NAME",
           "UNREADABLE", "Identifiers", "Leak", "format_leaks", "identifiers_from", "scan_site"]


# --- the scan --------------------------------------------------------------------------------


def scan_site(site_dir: Path, ids: Identifiers, cache: Path | None = None) -> list[Leak]:
    """Every leak in the built site at ``site_dir``, sorted by file and line; [] when it is clean.

    A missing ``site_dir`` is an error (FileNotFoundError), never a clean site.

    With ``cache``, a JSON file outside the site (in the build's work folder), the files found
    clean are remembered by path and a digest of their bytes, together with a fingerprint of the
    identifiers and of these matching rules. A later scan with the same fingerprint skips a file
    whose bytes have not changed, so that a rebuild after one new audit reads only what changed.
    A file with a leak is never remembered. The cache holds no identifier: only digests.
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise FileNotFoundError(f"no site to scan at {site_dir}")
    if cache is not None and Path(cache).resolve().is_relative_to(site_dir.resolve()):
        raise ValueError("the leak scan's cache must not be inside the site it scans")
    fingerprint = _fingerprint(ids)
    known = _read_cache(cache, fingerprint) if cache is not None else {}
    clean: dict[str, str] = {}
    matcher: Matcher | None = None
    leaks: set[Leak] = set()
    for path in _files(site_dir):
        relative = path.relative_to(site_dir).as_posix()
        try:
            data = path.read_bytes()
        except OSError:
            leaks.add(Leak(relative, UNREADABLE, None))
            continue
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if known.get(relative) == digest:
            clean[relative] = digest
            continue
        matcher = matcher or Matcher(ids)
        found = _scan_file(relative, path.suffix.lower(), data, matcher)
        if found:
            leaks.update(found)
        else:
            clean[relative] = digest
    if cache is not None:
        _write_cache(Path(cache), fingerprint, clean)
    return sorted(leaks, key=lambda leak: (leak.file, leak.line or 0, leak.what))


def _files(root: Path) -> Iterator[Path]:
    """Every file under root, in a stable order; symbolic links to directories are not followed."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file():
                yield path


_RULES_VERSION = 2  # raise when the matching changes: a cache made under other rules is not trusted


def _fingerprint(ids: Identifiers) -> str:
    parts = [str(_RULES_VERSION)]
    for values in (ids.case_refs, ids.staff_names, ids.staff_ids, ids.handles, ids.emails):
        parts.append("\x1e".join(sorted(values)))
    return hashlib.sha256("\x1d".join(parts).encode("utf-8")).hexdigest()


def _read_cache(cache: Path, fingerprint: str) -> dict[str, str]:
    try:
        stored = json.loads(Path(cache).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint:
        return {}
    clean = stored.get("clean")
    if not isinstance(clean, dict):
        return {}
    return {k: v for k, v in clean.items() if isinstance(k, str) and isinstance(v, str)}


def _write_cache(cache: Path, fingerprint: str, clean: dict[str, str]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(cache, json.dumps({"fingerprint": fingerprint, "clean": clean}, sort_keys=True) + "\n")
