"""Text folded for matching, so that a case reference or a name is found however it is spelt.

``fold`` turns every character into the plain form the matchers look for:

- Unicode NFKC: fullwidth ``４４１７３０２``, mathematical ``𝐀𝐦𝐲``, ligatures and compatibility
  forms become their plain letters and digits;
- format characters (category Cf: soft hyphen, zero-width space and joiners, bidi marks, the
  byte-order mark) are removed, so ``Ev\\u00adans`` is ``Evans`` and ``916\\u200b0347`` is ``9160347``;
- every space separator (category Zs: no-break, thin, figure and ideographic spaces) is a space;
- every script's digits are read as digits (``unicodedata.decimal``/``digit``): Arabic-Indic
  ``٤٤١٧٣٠٢`` and Devanagari ``४४१७३०२`` are ``4417302``;
- look-alike letters are mapped to the ASCII letter they imitate, from Unicode's confusables
  (UTS #39) as packaged by ``confusable-homoglyphs``: Cyrillic ``А`` and Greek ``Α`` are ``A``;
- accents are folded: ``Évans`` is ``Evans`` (the marks that combine with a letter are dropped).

Case is kept (the child-identity check needs it; the identifier matchers lowercase for
themselves). ASCII text is its own fold and costs one ``str.isascii`` call, so the common case is
free. ``Folded.original_offset`` maps an offset in the folded text back to the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

# Invisible characters that are not in category Cf but render as nothing (fillers, the
# combining grapheme joiner): dropped like the format characters.
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")


@dataclass
class OffsetMap:
    """Where each replaced piece of a text sits, in the changed text and in its source.

    Used for folding here and for undoing encodings in ``decode``: each replacement adds two
    entries, its start (``inside`` True) and the first offset after it (``inside`` False).
    """

    changed_at: list[int] = field(default_factory=list)  # offsets in the changed text, ascending
    source_at: list[int] = field(default_factory=list)  # the matching offsets in the source text
    inside: list[bool] = field(default_factory=list)

    def replaced(self, changed: int, source_start: int, source_end: int, length: int) -> None:
        """Record that source[source_start:source_end] became ``length`` characters at ``changed``."""
        self.changed_at += [changed, changed + length]
        self.source_at += [source_start, source_end]
        self.inside += [True, False]

    def source_offset(self, offset: int) -> int:
        index = bisect_right(self.changed_at, offset) - 1
        if index < 0:
            return offset
        if self.inside[index]:
            return self.source_at[index]  # within a replaced piece: where the piece starts
        return self.source_at[index] + offset - self.changed_at[index]


@dataclass(frozen=True)
class Folded:
    """A text folded for matching, and the way back to the text as written."""

    text: str
    offsets: OffsetMap | None = None  # None: nothing changed

    def original_offset(self, offset: int) -> int:
        return offset if self.offsets is None else self.offsets.source_offset(offset)


def fold(text: str) -> Folded:
    """``text`` folded for matching (see the module's docstring); ASCII text is returned as it is.

    ``str.translate`` folds through a table filled as characters are first met: run by run of
    non-ASCII characters where they are few (a page of English), the whole text at once where they
    are many (a Thai dictionary in a search plugin). Where every character folds to exactly one,
    offsets do not move; only the characters that fold to none or to several (``_RESIZING``) are
    recorded in the map back to the text as written.
    """
    if text.isascii():
        return Folded(text)
    if len(text.encode("utf-8")) - len(text) > len(text) // 50:  # dense: one pass over the text
        return _fold_span(text, 0, [], OffsetMap(), 0)[0]
    out: list[str] = []
    offsets = OffsetMap()
    last = 0
    shift = 0  # folded length minus source length, so far
    for run in _non_ascii_runs(text):
        start, end = run.span()
        out.append(text[last:start])
        piece = run.group()
        folded = piece.translate(_TABLE)  # fills the table, and _RESIZING, for every character of the run
        if len(folded) == len(piece) and _RESIZING.isdisjoint(piece):
            out.append(folded)
        else:
            shift = _fold_span(piece, start, out, offsets, shift)[1]
        last = end
    out.append(text[last:])
    return Folded("".join(out), offsets if offsets.changed_at else None)


def _non_ascii_runs(text: str, block: int = 16384) -> Iterator[re.Match[str]]:
    """The runs of non-ASCII characters, looked for only in blocks that have one (``isascii`` is far
    faster than a regular expression over plain text). A run across two blocks comes as two."""
    for start in range(0, len(text), block):
        if not text[start : start + block].isascii():
            yield from _NOT_ASCII.finditer(text, start, start + block)


def _fold_span(piece: str, start: int, out: list[str], offsets: OffsetMap, shift: int) -> tuple[Folded, int]:
    """Fold ``piece`` (at ``start`` in the text) onto ``out``, recording the characters that
    resize; returns the whole fold so far and the new shift (folded length minus source length)."""
    piece.translate(_TABLE)  # meet every character first, so that _RESIZING knows them all
    kept = 0
    for found in _resizing_pattern(len(_RESIZING)).finditer(piece):
        index = found.start()
        out.append(piece[kept:index].translate(_TABLE))
        one = _TABLE[ord(piece[index])]
        offsets.replaced(start + index + shift, start + index, start + index + 1, len(one))
        shift += len(one) - 1
        out.append(one)
        kept = index + 1
    out.append(piece[kept:].translate(_TABLE))
    return Folded("".join(out), offsets if offsets.changed_at else None), shift


class _FoldTable(dict):
    """code point -> folded text, for ``str.translate``; computed on first use."""

    def __missing__(self, codepoint: int) -> str:
        folded = fold_char(chr(codepoint))
        self[codepoint] = folded
        if len(folded) != 1:
            _RESIZING.add(chr(codepoint))
        return folded


@lru_cache(maxsize=4)
def _resizing_pattern(known: int) -> re.Pattern[str]:
    """Any character met so far that folds to none or to several; compiled again as more are met."""
    if not _RESIZING:
        return re.compile("(?!)")  # matches nothing
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_RESIZING)) + "]")


_TABLE = _FoldTable((code, code) for code in range(128))
_RESIZING: set[str] = set()  # characters met so far that fold to none or to several


def fold_text(text: str) -> str:
    """The folded text alone, for identifiers that are folded before they are compiled."""
    return fold(text).text


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """One character, folded: "" for an invisible one, else its plain letters or digits (each piece of its NFKC
    form through ``_plain``, which drops the invisible ones)."""
    if char.isascii():
        return char
    return "".join(_plain(piece) for piece in unicodedata.normalize("NFKC", char))


def _plain(char: str) -> str:
    """One character after NFKC: a digit of any script as 0–9, a look-alike as its ASCII letter,
    an accented letter without its accents."""
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Cf" or char in _INVISIBLE or category.startswith("M"):
        return ""
    if category == "Zs":
        return " "
    value = unicodedata.decimal(char, None)
    if value is None:
        value = unicodedata.digit(char, None)
    if value is not None:
        return str(value)
    lookalike = _lookalikes().get(char)
    if lookalike is not None:
        return lookalike
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if len(base) == 1 and base != char:  # an accented letter (a Hangul syllable stays whole)
        return _lookalikes().get(base, base)  # Cyrillic Ӓ: А, then A
    return char


@lru_cache(maxsize=1)
def _lookalikes() -> dict[str, str]:
    """Every character that Unicode's confusables list as looking like one ASCII letter or digit.

    From the ``confusable-homoglyphs`` package's copy of UTS #39 (bundled, read offline). A letter
    is preferred to a digit where a character imitates both (Cyrillic ``О``: ``O``, not ``0``).
    """
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = ["".join(c for c in h["c"] if unicodedata.category(c) != "Cf") for h in homoglyphs]
        ascii_ = [t for t in targets if len(t) == 1 and t.isascii() and t.isalnum()]
        letters = [t for t in ascii_ if t.isalpha()]
        if letters or ascii_:
            table[char] = (letters or ascii_)[0]
    return table
