"""One compiled matcher for a repository's identifiers: where each one appears in a text, however spelt.

``Matcher(ids).find(text)`` yields ``(kind, offset)`` for every identifier in ``text``. The text is
decoded (``decode``) and folded (``normalise.fold``) first, and offsets are mapped back to the text
as written. The leak scan of the built site and the check of published fields share it.

How each kind is matched
    - Case references made only of digits: every maximal run of digits is looked up in the set of
      references, so ``4417302`` is found in ``/cycles/4417302/``, ``case4417302`` and
      ``\\u0034417302``, but not inside the longer number ``144173029``. After folding, fullwidth,
      Arabic-Indic or other digits are digits, and a soft hyphen or zero-width space inside the
      reference is gone. A reference split by separators is found too (``916 0347``,
      ``916-0347``, ``9,160,347``, ``916.0347``, ``916/0347``, a no-break or other space): a run
      of digit groups joined by one separator (1–3 of space, hyphen or dash, comma, dot, slash),
      the same all along, is looked up whole, ``_find_joined``. Only in text, never inside markup
      (SVG path data is numbers and spaces: ``M 57.6 307.584``), except in attributes that hold
      text (``alt``, ``title``, ``aria-*``...); and a date (``2026-01-16``) is never a reference.
      A reference written inside a longer run of numbers (``1 916 0347``) is not found.
    - A reference with other characters is matched case-insensitively, not touching a letter or
      digit on either side.
    - Staff names, case-insensitively, as whole words, with any run of whitespace, ``-``, ``_``,
      ``.``, ``+``, escaped ``\\n`` or markup tags between the words; an apostrophe or hyphen inside
      a word may be any of its forms or left out (``O'Neill``, ``O’Neill``, slug ``oneill``). A name
      of two words or more is also found with a middle name or initial, surname first, or as a
      title and surname (``Amy J. Evans``, ``Evans, Amy``, ``EVANS Amy``, ``Ms Evans``): see
      ``names``. A surname or a given name alone is never matched.
    - Staff ids, GitHub handles and emails: case-insensitively, not touching a letter or digit on
      either side (so ``@rkhan-eh``, ``%40rkhan-eh``, ``/EH0001/`` and ``eh0001.html`` match,
      ``XEH0001`` and ``EH00012`` do not). An id or handle shorter than 3 characters (``SHORT``) is
      matched only as a whole token, standing alone between whitespace, markup, quotes, brackets
      or punctuation (``<td>AB</td>``, ``"AB"``, ``(AB)``).

Speed
    Each kind is one compiled regular expression, a trie of its identifiers matched on the
    lowercased text; the kinds matched as whole words are searched for together, in one pass
    (``_Words``). Digit references are one pass over the digit runs with a set lookup; emails are
    found from their ``@``. Folding costs nothing on ASCII text.
"""

from __future__ import annotations

import re
from functools import cached_property
from itertools import chain
from typing import Iterable, Iterator

from ehqa.privacy.decode import DecodedView
from ehqa.privacy.digits import is_date, joined_runs
from ehqa.privacy.identifiers import Identifiers
from ehqa.privacy.names import StaffNames
from ehqa.privacy.normalise import fold, fold_text
from ehqa.privacy.patterns import NOT_BEFORE_ALNUM, literal, name_units, trie, trie_pattern, word_source

CASE_REFERENCE = "case reference"
STAFF_NAME = "staff name"
STAFF_ID = "staff id"
GITHUB_HANDLE = "GitHub handle"
STAFF_EMAIL = "staff email"

SHORT = 3  # ids and handles shorter than this are matched only as whole tokens

# Where a short id or handle may stand: whitespace, markup, quotes, brackets, punctuation.
_TOKEN_LEFT = r"(?:(?<=[\s<>\"'()\[\]{},;:])|^)@?"
_TOKEN_RIGHT = r"(?=[\s<>\"'()\[\]{},;:.!?]|$)"


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
    start there. That a match does not follow a letter or digit is checked by hand: a lookbehind
    in front of a long alternation is slow in Python.
    """

    def __init__(self, kinds: list[tuple[str, list[list[str]]]]) -> None:
        self.kinds = [(what, _Compiled(word_source(units))) for what, units in kinds if units]
        every = [value for _what, units in kinds for value in units]
        self.any = _Compiled(word_source(every)) if every else None

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
            (what, _Compiled(f"{_TOKEN_LEFT}(?:{trie_pattern(trie(units))}){_TOKEN_RIGHT}"))
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
        domains = [literal(domain) for domain in {domain for _local, domain in self.addresses}]
        self.pattern = _Compiled(f"@(?:{trie_pattern(trie(domains))}){NOT_BEFORE_ALNUM}" if domains else "")

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


class Matcher:
    """The compiled patterns for one set of identifiers."""

    def __init__(self, ids: Identifiers) -> None:
        self.digit_refs = frozenset(r for r in ids.case_refs if r.isascii() and r.isdigit())
        self.ref_lengths = frozenset(len(r) for r in self.digit_refs)
        shortest = min(self.ref_lengths, default=1)
        self.digit_runs = re.compile(f"[0-9][0-9]{{{shortest - 1},}}")  # always a whole run: see _find_digits
        other_refs = [fold_text(r) for r in ids.case_refs if r not in self.digit_refs]
        tokens = [(STAFF_ID, ids.staff_ids), (GITHUB_HANDLE, ids.handles)]
        long_ = [(what, [fold_text(v) for v in values if len(v) >= SHORT]) for what, values in tokens]
        short = [(what, [fold_text(v) for v in values if len(v) < SHORT]) for what, values in tokens]
        names = sorted({fold_text(n) for n in ids.staff_names})
        self.finders: list[_Words | _Tokens | _Emails] = [
            _Words(
                [
                    (CASE_REFERENCE, [literal(r) for r in other_refs]),
                    (STAFF_NAME, [name_units(n) for n in names if len(n.split()) == 1]),  # Cher
                    *((what, [literal(v) for v in values]) for what, values in long_),
                ]
            ),
            _Tokens([(what, [literal(v) for v in values]) for what, values in short]),
            _Emails(fold_text(e) for e in ids.emails),
        ]
        self.staff_names = StaffNames(names)
        self.empty = not (self.digit_refs or other_refs or ids.staff_names or ids.staff_ids or ids.handles
                          or ids.emails)

    def find(self, text: str) -> Iterator[tuple[str, int]]:
        """(kind, offset in text) of every identifier found in the text.

        Digit references are looked for in the text as written too, then every kind in the text
        decoded and folded; offsets are mapped back to the text as written. Decoding never splits
        an identifier made of letters: an entity or escape only takes its own characters, and a
        %-escape a pair of hex digits after a ``%``, which only a digit reference could start with.
        """
        if self.empty:
            return
        yield from self._find_digits(text)
        view = DecodedView.of(text)
        folded = fold(view.text if view is not None else text)
        found = chain(self._find_digits(folded.text) if folded.text != text else (),
                      self._find_joined(folded.text), self._find_others(folded.text))
        for what, offset in found:
            offset = folded.original_offset(offset)
            yield what, offset if view is None else view.original_offset(offset)

    def _find_digits(self, text: str) -> Iterator[tuple[str, int]]:
        # A match starts where a run of digits starts (a start inside the run could only fail the
        # same way) and takes the whole run, so a reference inside a longer number is never found.
        if self.digit_refs and not self.digit_refs.isdisjoint(self.digit_runs.findall(text)):
            for match in self.digit_runs.finditer(text):
                if match.group() in self.digit_refs:
                    yield CASE_REFERENCE, match.start()

    def _find_joined(self, text: str) -> Iterator[tuple[str, int]]:
        """References split by separators: ``916 0347``, ``916-0347``, ``9,160,347``."""
        if not self.digit_refs:
            return
        for start, joined, separator, groups in joined_runs(text, self.ref_lengths):
            if joined in self.digit_refs and not is_date(groups, separator):
                yield CASE_REFERENCE, start

    def _find_others(self, text: str) -> Iterator[tuple[str, int]]:
        lowered = text.lower()
        same_length = len(lowered) == len(text)  # not so for a few letters, such as "İ"
        for finder in self.finders:
            yield from finder.find(lowered if same_length else text, same_length)
        if not same_length:  # lowercase each letter whose lowercase is one letter, so offsets hold
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        for offset in self.staff_names.find(lowered, text):
            yield STAFF_NAME, offset


