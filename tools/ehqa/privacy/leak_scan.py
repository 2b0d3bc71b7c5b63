"""The leak scan of one file of a built site: which identifiers it shows, and on which line.

What is read
    Every file, whatever its name: HTML, ``search/search_index.json``, ``sitemap.xml``,
    JavaScript, CSS, SVG, JSON, text. Gzip files (``sitemap.xml.gz``, or any file that starts with
    the gzip magic bytes) are decompressed first. Only raster images and fonts (``BINARY_SUFFIXES``)
    are skipped; a file of any other kind that is not UTF-8 is still read, as Latin-1, so that
    nothing is skipped silently. The path of each file is searched too (a case reference in a URL
    is a leak). A file that cannot be read (a corrupt gzip) is itself reported: the scan fails
    closed.

How identifiers are matched, decoded and folded: see ``matcher``. A leak is reported at the line
where it starts in the file as written (for a gzip file, in the decompressed text).

A ``Leak`` never holds the identifier itself, and the scan never prints one: the build log may be
public.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from dataclasses import dataclass

from ehqa.privacy.matcher import CASE_REFERENCE, GITHUB_HANDLE, STAFF_EMAIL, STAFF_ID, STAFF_NAME, Matcher

__all__ = ["CASE_REFERENCE", "GITHUB_HANDLE", "STAFF_EMAIL", "STAFF_ID", "STAFF_NAME", "UNREADABLE",
           "BINARY_SUFFIXES", "Leak", "format_leaks", "scan_file"]

UNREADABLE = "unreadable file"

# Raster images and fonts: binary formats with no text worth reading. SVG is text and is read.
BINARY_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff",
        ".woff", ".woff2", ".ttf", ".otf", ".eot",
    }
)  # fmt: skip
MAX_TEXT_BYTES = 512 * 1024 * 1024  # a decompressed file beyond this is reported as unreadable

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Leak:
    """One kind of identifier found in one file, at one line (None: in the file's path, or unreadable).

    It never says which identifier was found: the build log may be public.
    """

    file: str  # relative to the site folder, with forward slashes
    what: str  # CASE_REFERENCE, STAFF_NAME, STAFF_ID, GITHUB_HANDLE, STAFF_EMAIL or UNREADABLE
    line: int | None = None

    def __str__(self) -> str:
        if self.what == UNREADABLE:
            return f"{self.file}: could not be read, so could not be checked for personal data"
        where = "in its path" if self.line is None else f"line {self.line}"
        return f"{self.file}: {where}: a {self.what}"


def format_leaks(leaks: list[Leak], limit: int = 50) -> str:
    """The leaks as lines for the build log, at most ``limit`` of them and a count of the rest."""
    lines = [f"  {leak}" for leak in leaks[:limit]]
    if len(leaks) > limit:
        lines.append(f"  … and {len(leaks) - limit} more")
    files = len({leak.file for leak in leaks})
    head = f"leak scan: {len(leaks)} piece(s) of personal data in {files} file(s) of the site"
    return "\n".join([head, *lines])


def scan_file(relative: str, suffix: str, data: bytes, matcher: Matcher) -> set[Leak]:
    """Every leak in one file of the site: in its path (line None) and in its text."""
    leaks = {Leak(relative, what, None) for what, _offset in matcher.find(relative)}
    if suffix in BINARY_SUFFIXES:
        return leaks
    text = _text_of(data)
    if text is None:
        return leaks | {Leak(relative, UNREADABLE, None)}
    lines = _LineIndex(text)
    leaks.update(Leak(relative, what, lines.line_of(offset)) for what, offset in matcher.find(text))
    return leaks


def _text_of(data: bytes) -> str | None:
    """A file's bytes as text, decompressed if gzip; None when they cannot be decompressed."""
    try:
        for _ in range(4):  # gzip inside gzip, a few levels at most
            if not data.startswith(_GZIP_MAGIC):
                break
            data = _gunzip(data)
    except (zlib.error, EOFError, ValueError):
        return None
    if data.startswith(_GZIP_MAGIC):
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # never fails: the scan still sees every ASCII identifier


def _gunzip(data: bytes) -> bytes:
    """Decompress every gzip member, refusing output beyond MAX_TEXT_BYTES (a gzip bomb)."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += inflater.decompress(data, MAX_TEXT_BYTES + 1 - len(out))
        if len(out) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
            raise ValueError("decompressed file too large")
        if not inflater.eof:
            raise EOFError("truncated gzip file")
        data = inflater.unused_data.lstrip(b"\0")
    return bytes(out)


class _LineIndex:
    """Line numbers of offsets in one text, built only when a first leak needs one."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def line_of(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        return bisect_right(self._starts, offset)
