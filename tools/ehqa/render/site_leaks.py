"""The leak scan that ends every site build: proof that the published site carries no personal data.

The learning site must be safe even if it ends up public (docs/github.md, "Data that must stay
private"). So after MkDocs has written it, every output file is read back and searched for every
identifier the repository holds: case references, staff names, staff ids, GitHub handles and work
email addresses. ``identifiers_from`` collects them from the loaded ``Service``; ``scan_site``
returns one ``Leak`` per file, kind and line. A build with any leak fails.

What is read
    Every file under the site folder, whatever its name: HTML, ``search/search_index.json``,
    ``sitemap.xml``, JavaScript, CSS, SVG, JSON, text. Gzip files (``sitemap.xml.gz``, or any file
    that starts with the gzip magic bytes) are decompressed first. Only raster images and fonts
    (``BINARY_SUFFIXES``) are skipped; a file of any other kind that is not UTF-8 is still read, as
    Latin-1, so that nothing is skipped silently. The path of each file is searched too (a case
    reference in a URL is a leak). A file that cannot be read (a corrupt gzip) is itself reported:
    the scan fails closed.

Decoding
    Identifiers are also looked for with encodings undone: HTML entities (``&#39;``, ``&amp;``),
    JSON and JavaScript escapes (``\\u0034``, ``\\x34``) and URL %-escapes (a byte that is not
    part of valid UTF-8 stays as written), repeated so that double encoding is undone too. Case
    references are looked for in the text as written and decoded; the other kinds in the decoded
    text, which keeps everything else as written (see ``_Matcher.find``). A leak is reported at the
    line where it starts in the file as written (for a gzip file, in the decompressed text).

How each kind is matched
    - Case references made only of digits: every maximal run of ASCII digits is looked up in the
      set of references, so ``4417302`` is found in ``/cycles/4417302/``, ``case4417302``,
      ``"4417302"``, ``%34%34%31%37%33%30%32`` and ``\\u0034417302``, but not inside the longer
      number ``144173029``. A reference with other characters is matched case-insensitively, not
      touching a letter or digit on either side. A reference split by markup (``44<b>17302``) is
      not looked for: joining digits across tags would find false references in every table.
    - Staff names: the full display name only (never a first or last name alone, which would be
      common words), case-insensitively, as whole words, with any run of whitespace, ``-``, ``_``,
      ``.``, ``+``, escaped ``\\n`` or markup tags between the words (so a line break, ``&nbsp;``,
      ``<br>``, ``</span> <span>`` or a URL slug ``femi-nash`` matches). An apostrophe or hyphen
      inside a word may be any of its typographic forms or left out (``O'Neill``, ``O&#39;Neill``,
      ``O’Neill``, slug ``oneill``); an accented letter may also appear plain (``Zoë``, ``zoe``).
    - Staff ids, GitHub handles and emails: case-insensitively, not touching a letter or digit on
      either side (so ``@rkhan-eh``, ``%40rkhan-eh``, ``/EH0001/`` and ``eh0001.html`` match,
      ``XEH0001`` and ``EH00012`` do not).
    - An id or handle shorter than 3 characters (``SHORT``) would match all over an ordinary page,
      so it is matched only as a whole token: standing alone between whitespace, markup, quotes,
      brackets or punctuation (``<td>AB</td>``, ``"AB"``, ``by AB.``, ``@AB``), never inside a
      path, a number or a hyphenated word. Give staff ids of 3 characters or more.

Speed
    Each kind is one compiled regular expression, a trie of its identifiers (an alternation that
    shares prefixes, so that the longest identifier wins at a place), matched on the lowercased
    text; the kinds matched as whole words are searched for together, in one pass (``_Words``).
    Digit references are one pass over the digit runs with a set lookup; emails are found from
    their ``@``. The scan is linear in the size of the site: about 13 MB/s here with 300 staff and
    13,000 case references. With a ``cache``, a rebuild rescans only the files whose bytes changed.

A ``Leak`` never holds the identifier itself, and the scan never prints one: the build log may be
public.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import unicodedata
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import write_atomic
from ..model import Service

CASE_REFERENCE = "case reference"
STAFF_NAME = "staff name"
STAFF_ID = "staff id"
GITHUB_HANDLE = "GitHub handle"
STAFF_EMAIL = "staff email"
UNREADABLE = "unreadable file"

# Raster images and fonts: binary formats with no text worth reading. SVG is text and is read.
BINARY_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff",
        ".woff", ".woff2", ".ttf", ".otf", ".eot",
    }
)  # fmt: skip
MAX_TEXT_BYTES = 512 * 1024 * 1024  # a decompressed file beyond this is reported as unreadable
SHORT = 3  # ids and handles shorter than this are matched only as whole tokens

_GZIP_MAGIC = b"\x1f\x8b"
_AUDIT_FILE = re.compile(r"audits/[0-9]{4}-[0-9]{2}/(?P<case>[^/.]+)(?:\.worker)?\.ya?ml")


@dataclass(frozen=True)
class Identifiers:
    """What must never appear on the site."""

    case_refs: frozenset[str] = frozenset()
    staff_names: frozenset[str] = frozenset()
    staff_ids: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()


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


# --- what to look for ------------------------------------------------------------------------


def identifiers_from(service: Service) -> Identifiers:
    """Every case reference and every staff name, id, GitHub handle and email the repository holds.

    Case references come from the cycles' nominations, the allocations (allocated and not), the
    audits (their case and the audit they re-audit), the Perspective of Worker forms, and the names
    of audit files that failed to load. Staff ids come from the staff directory and from every
    place an audit, cycle or allocation names a person, so that they are known even when
    staff.yaml itself failed to load.
    """
    cases: set[str] = set()
    ids: set[str] = set()
    for cycle in service.cycles.values():
        for nomination in cycle.nominations:
            cases.add(nomination.case)
            if nomination.reaudit_of:
                cases.add(_case_of(nomination.reaudit_of))
            ids.update((nomination.practitioner, nomination.nominated_by))
    for allocation in service.allocations.values():
        for pair in allocation.pairs:
            cases.update(pair.cases)
            ids.update(pair.auditors)
        cases.update(case for case, _reason in allocation.unallocated)
    for audit in service.audits:
        cases.add(audit.case)
        if audit.reaudit_of:
            cases.add(_case_of(audit.reaudit_of))
        ids.update(audit.auditors)
        if audit.sole_completion:
            ids.update((audit.sole_completion.completed_by, audit.sole_completion.absent))
        if audit.safety_concern:
            ids.add(audit.safety_concern.team_manager)
        ids.update(f.practitioner for f in audit.previous_work_feedback if f.practitioner)
        if audit.disagreement and audit.disagreement.review:
            ids.add(audit.disagreement.review.reviewer)
        ids.update(action.owner for action in audit.smart_actions)
        ids.update(amendment.by for amendment in audit.amendments)
    for form in service.worker_forms:
        cases.add(form.case)
        ids.add(form.practitioner)
    for relative in service.broken:
        match = _AUDIT_FILE.fullmatch(relative)
        if match:
            cases.add(match["case"])

    names: set[str] = set()
    handles: set[str] = set()
    emails: set[str] = set()
    if service.staff is not None:
        for person in service.staff.listed:
            ids.add(person.id)
            names.add(person.name)
            if person.github:
                handles.add(person.github)
            if person.email:
                emails.add(person.email)
    return Identifiers(
        case_refs=_clean(cases),
        staff_names=frozenset(n for n in (" ".join(name.split()) for name in names) if n),
        staff_ids=_clean(ids),
        handles=_clean(h.lstrip("@") for h in handles),
        emails=_clean(emails),
    )


def _case_of(key: str) -> str:
    """The case reference of ``YYYY-MM/<case-ref>``."""
    return key.rsplit("/", 1)[-1]


def _clean(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(v.strip() for v in values if v and v.strip())


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
    matcher: _Matcher | None = None
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
        matcher = matcher or _Matcher(ids)
        found = _scan_file(relative, path.suffix.lower(), data, matcher)
        if found:
            leaks.update(found)
        else:
            clean[relative] = digest
    if cache is not None:
        _write_cache(Path(cache), fingerprint, clean)
    return sorted(leaks, key=lambda leak: (leak.file, leak.line or 0, leak.what))


def _scan_file(relative: str, suffix: str, data: bytes, matcher: _Matcher) -> set[Leak]:
    leaks = {Leak(relative, what, None) for what, _offset in matcher.find(relative)}
    if suffix in BINARY_SUFFIXES:
        return leaks
    text = _text_of(data)
    if text is None:
        return leaks | {Leak(relative, UNREADABLE, None)}
    lines = _LineIndex(text)
    leaks.update(Leak(relative, what, lines.line_of(offset)) for what, offset in matcher.find(text))
    return leaks


def _files(root: Path) -> Iterator[Path]:
    """Every file under root, in a stable order; symbolic links to directories are not followed."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file():
                yield path


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


_RULES_VERSION = 1  # raise when the matching changes: a cache made under other rules is not trusted


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


# --- matching --------------------------------------------------------------------------------

_NOT_BEFORE_ALNUM = r"(?![^\W_])"  # not followed by a letter or digit, in any script
# Where a short id or handle may stand: whitespace, markup, quotes, brackets, punctuation.
_TOKEN_LEFT = r"(?:(?<=[\s<>\"'()\[\]{},;:])|^)@?"
_TOKEN_RIGHT = r"(?=[\s<>\"'()\[\]{},;:.!?]|$)"
_SEPARATORS = r"\s\u200b_.+\-\u2010-\u2014"
# Between the words of a name: any run of separators, markup tags (``</span> <span>``, ``<br>``) and
# escaped line breaks and tabs (JSON's ``\\n``).
_NAME_GAP = rf"(?:[{_SEPARATORS}]|<[^<>]{{0,1000}}>|\\[nrt])+"
_APOSTROPHES = "'’‘`ʼ′"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"


class _Compiled:
    """One expression, compiled for the lowercased text (the fast path: no case-insensitive matching)
    and, lazily, for the text as written (the rare text whose lowercase is not the same length)."""

    def __init__(self, source: str) -> None:
        self.source = source

    @cached_property
    def lower(self) -> re.Pattern[str]:
        return re.compile(self.source)

    @cached_property
    def anycase(self) -> re.Pattern[str]:
        return re.compile(self.source, re.IGNORECASE)

    def get(self, lowered: bool) -> re.Pattern[str]:
        return self.lower if lowered else self.anycase


class _Words:
    """The kinds matched as whole words: names, ids and handles of SHORT characters or more, references.

    Each kind is one expression, a trie of its identifiers; the text is searched once with the trie
    of all of them together, and where that matches, each kind's own expression says which kinds
    start there. (Searching once instead of once per kind halves the time.) That a match does not
    follow a letter or digit is checked by hand: a lookbehind in front of a long alternation makes
    Python's matcher several times slower.
    """

    def __init__(self, kinds: list[tuple[str, list[list[str]]]]) -> None:
        self.kinds = [(what, _Compiled(_word_source(units))) for what, units in kinds if units]
        every = [value for _what, units in kinds for value in units]
        self.any = _Compiled(_word_source(every)) if every else None

    def find(self, text: str, lowered: bool) -> Iterator[tuple[str, int]]:
        if self.any is None:
            return
        pattern = self.any.get(lowered)
        pos = 0
        while (match := pattern.search(text, pos)) is not None:
            start = match.start()
            if start == 0 or not text[start - 1].isalnum():
                for what, kind in self.kinds:
                    if kind.get(lowered).match(text, start):
                        yield what, start
            pos = start + 1  # every place, even inside a match: another kind may start there


class _Tokens:
    """Ids and handles shorter than SHORT: one expression per kind, standing alone as a token."""

    def __init__(self, kinds: list[tuple[str, list[list[str]]]]) -> None:
        self.kinds = [
            (what, _Compiled(f"{_TOKEN_LEFT}(?:{_trie_pattern(_trie(units))}){_TOKEN_RIGHT}"))
            for what, units in kinds
            if units
        ]

    def find(self, text: str, lowered: bool) -> Iterator[tuple[str, int]]:
        for what, kind in self.kinds:
            for match in kind.get(lowered).finditer(text):
                yield what, match.start()


class _Emails:
    """Email addresses, found from their ``@``: a literal every address shares, and fast to find."""

    def __init__(self, emails: Iterable[str]) -> None:
        self.addresses = sorted({tuple(e.lower().rsplit("@", 1)) for e in emails if "@" in e})
        domains = [_literal(domain) for domain in {domain for _local, domain in self.addresses}]
        self.pattern = _Compiled(f"@(?:{_trie_pattern(_trie(domains))}){_NOT_BEFORE_ALNUM}" if domains else "")

    def find(self, text: str, lowered: bool) -> Iterator[tuple[str, int]]:
        if not self.addresses:
            return
        for match in self.pattern.get(lowered).finditer(text):
            at, end = match.span()
            domain = text[at + 1 : end].lower()
            for local, known in self.addresses:
                start = at - len(local)
                if known == domain and start >= 0 and text[start:at].lower() == local:
                    if start == 0 or not text[start - 1].isalnum():
                        yield STAFF_EMAIL, start
                        break


class _Matcher:
    """The compiled patterns for one set of identifiers."""

    def __init__(self, ids: Identifiers) -> None:
        self.digit_refs = frozenset(r for r in ids.case_refs if r.isascii() and r.isdigit())
        shortest = min((len(r) for r in self.digit_refs), default=1)
        self.digit_runs = re.compile(f"[0-9]{{{shortest},}}")  # always a whole run: see _find_digits
        other_refs = [r for r in ids.case_refs if r not in self.digit_refs]
        long_ = [(what, [v for v in values if len(v) >= SHORT]) for what, values in self._tokens(ids)]
        short = [(what, [v for v in values if len(v) < SHORT]) for what, values in self._tokens(ids)]
        self.finders: list[_Words | _Tokens | _Emails] = [
            _Words(
                [
                    (CASE_REFERENCE, [_literal(r) for r in other_refs]),
                    (STAFF_NAME, [_name_units(n) for n in ids.staff_names]),
                    *((what, [_literal(v) for v in values]) for what, values in long_),
                ]
            ),
            _Tokens([(what, [_literal(v) for v in values]) for what, values in short]),
            _Emails(ids.emails),
        ]
        self.empty = not (self.digit_refs or other_refs or ids.staff_names or ids.staff_ids or ids.handles
                          or ids.emails)

    @staticmethod
    def _tokens(ids: Identifiers) -> list[tuple[str, frozenset[str]]]:
        return [(STAFF_ID, ids.staff_ids), (GITHUB_HANDLE, ids.handles)]

    def find(self, text: str) -> Iterator[tuple[str, int]]:
        """(kind, offset in text) of every identifier found in the text.

        Digit references are looked for in the text as written and decoded; the other kinds in the
        decoded text only (it keeps everything that needed no decoding as written), which halves
        the work. Decoding never splits an identifier made of letters: an entity or escape only
        takes its own characters, and a %-escape a pair of hex digits after a ``%``, which only a
        digit reference could start with.
        """
        if self.empty:
            return
        yield from self._find_digits(text)
        view = _DecodedView.of(text)
        if view is None:
            yield from self._find_others(text)
            return
        for what, offset in chain(self._find_digits(view.text), self._find_others(view.text)):
            yield what, view.original_offset(offset)

    def _find_digits(self, text: str) -> Iterator[tuple[str, int]]:
        # A match starts where a run of digits starts (a start inside the run could only fail the
        # same way) and takes the whole run, so a reference inside a longer number is never found.
        if self.digit_refs and not self.digit_refs.isdisjoint(self.digit_runs.findall(text)):
            for match in self.digit_runs.finditer(text):
                if match.group() in self.digit_refs:
                    yield CASE_REFERENCE, match.start()

    def _find_others(self, text: str) -> Iterator[tuple[str, int]]:
        lowered = text.lower()
        same_length = len(lowered) == len(text)  # not so for a few letters, such as "İ"
        for finder in self.finders:
            yield from finder.find(lowered if same_length else text, same_length)


def _trie(values: Iterable[list[str]]) -> dict[str, dict]:
    """The values, each a list of units (pieces of expression), as a trie; "" marks where one ends."""
    root: dict[str, dict] = {}
    for units in values:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}
    return root


def _word_source(values: list[list[str]]) -> str:
    return f"(?:{_trie_pattern(_trie(values))}){_NOT_BEFORE_ALNUM}"


def _trie_pattern(node: dict[str, dict]) -> str:
    ends_here = "" in node
    branches = [unit + _trie_pattern(child) for unit, child in sorted(node.items()) if unit]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if ends_here:  # greedy: the longer value is tried first
        body = f"(?:{body})?"
    return body


def _letter(char: str) -> str:
    """One letter of an identifier, matching the lowercased text: all its lowercase forms."""
    forms = sorted({f for f in (char.lower(), char.upper().lower(), char.casefold()) if len(f) == 1})
    if len(forms) == 1:
        return re.escape(forms[0])
    return "[" + "".join(re.escape(f) for f in forms) + "]"


def _literal(value: str) -> list[str]:
    return [_letter(char) for char in value]


def _name_units(name: str) -> list[str]:
    """A full name: its words separated by any gap, its letters in their written or plain forms."""
    units: list[str] = []
    for index, word in enumerate(name.split()):
        if index:
            units.append(_NAME_GAP)
        for char in word:
            if char in _APOSTROPHES:
                units.append(f"[{re.escape(_APOSTROPHES)}]?")  # a slug drops it: O'Neill, oneill
            elif char in _HYPHENS:
                units.append(f"[{_SEPARATORS}]*")  # Anne-Marie, Anne Marie, annemarie
            elif char == ".":
                units.append(r"\.?")
            else:
                plain = unicodedata.normalize("NFKD", char)[0]
                if plain != char and plain.isascii() and plain.isalpha():
                    units.append(f"(?:{_letter(char)}|{_letter(plain)}[\u0300-\u036f]*)")  # Zoë, zoe
                else:
                    units.append(_letter(char))
    return units


# --- the decoded view ------------------------------------------------------------------------

# Only encodings that can hide an identifier's characters are undone: entities, \\u and \\x escapes,
# %-escapes. (``\\n`` between the words of a name is a gap of its own.) One leading character per
# piece keeps the scan fast; an escaped backslash is taken as a piece, unchanged, so that the ``u``
# after it is not read as an escape.
_ENCODED = re.compile(
    r"[&\\%](?:"
    r"(?<=&)(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"  # an HTML entity
    r"|(?<=\\)(?:u[0-9A-Fa-f]{4}(?:\\u[0-9A-Fa-f]{4})?|x[0-9A-Fa-f]{2}|\\)"  # JSON and JavaScript
    r"|(?<=%)[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*"  # URL-encoded bytes
    r")"
)
_DECODE_ROUNDS = 3  # undoes double (and triple) encoding, such as &amp;#39; or an escaped entity in JSON


def _decode_piece(piece: str) -> str:
    first = piece[0]
    if first == "&":
        return html.unescape(piece)
    if first == "%":
        return _decode_percent(piece)
    if piece.startswith("\\x"):
        return chr(int(piece[2:], 16))
    if piece.startswith("\\u"):
        try:
            return json.loads(f'"{piece}"')
        except ValueError:
            return piece
    return piece  # an escaped backslash


def _decode_percent(piece: str) -> str:
    """%-escaped UTF-8; a byte that is not part of a valid character stays as written."""
    units = piece.split("%")[1:]
    decoded = bytes.fromhex("".join(units)).decode("utf-8", "surrogateescape")
    out: list[str] = []
    index = 0
    for char in decoded:
        if "\udc80" <= char <= "\udcff":  # an undecodable byte
            out.append("%" + units[index])
            index += 1
        else:
            out.append(char)
            index += len(char.encode("utf-8"))
    return "".join(out)


@dataclass
class _Layer:
    """One round of decoding: where each replaced piece sits, in the decoded and the source text."""

    decoded_at: list[int]  # offsets in the decoded text, ascending
    source_at: list[int]  # the matching offsets in the source text
    inside: list[bool]  # True: the start of a replacement; False: the first offset after one

    def source_offset(self, offset: int) -> int:
        index = bisect_right(self.decoded_at, offset) - 1
        if index < 0:
            return offset
        if self.inside[index]:
            return self.source_at[index]  # within a replaced piece: where the piece starts
        return self.source_at[index] + offset - self.decoded_at[index]


class _DecodedView:
    """The text with its encodings undone, and the way back from an offset in it to the original."""

    def __init__(self, text: str, layers: list[_Layer]) -> None:
        self.text = text
        self.layers = layers

    @classmethod
    def of(cls, text: str) -> _DecodedView | None:
        """The decoded view of text, or None when there is nothing to decode."""
        layers: list[_Layer] = []
        for _ in range(_DECODE_ROUNDS):
            decoded = _decode_once(text)
            if decoded is None:
                break
            text, layer = decoded
            layers.append(layer)
        return cls(text, layers) if layers else None

    def original_offset(self, offset: int) -> int:
        for layer in reversed(self.layers):
            offset = layer.source_offset(offset)
        return offset


def _decode_once(text: str) -> tuple[str, _Layer] | None:
    out: list[str] = []
    layer = _Layer([], [], [])
    last = 0
    at = 0  # length of the decoded text so far
    changed = False
    for match in _ENCODED.finditer(text):
        start, end = match.span()
        piece = match.group()
        replacement = _decode_piece(piece)
        if replacement == piece:
            continue
        changed = True
        out.append(text[last:start])
        at += start - last
        layer.decoded_at.append(at)
        layer.source_at.append(start)
        layer.inside.append(True)
        out.append(replacement)
        at += len(replacement)
        layer.decoded_at.append(at)
        layer.source_at.append(end)
        layer.inside.append(False)
        last = end
    if not changed:
        return None
    out.append(text[last:])
    return "".join(out), layer
