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

# Invisible characters that are not in category Cf but render as nothing (fillers, the
# combining grapheme joiner): dropped like the format characters.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


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
    """``text`` folded for matching (see the module's docstring); ASCII text is returned as it is."""
    if text.isascii():
        return Folded(text)
    out: list[str] = []
    offsets = OffsetMap()
    last = 0
    length = 0  # of the folded text so far
    for run in _NOT_ASCII.finditer(text):
        start, end = run.span()
        out.append(text[last:start])
        length += start - last
        for index in range(start, end):
            char = text[index]
            folded = fold_char(char)
            if folded != char:
                offsets.replaced(length, index, index + 1, len(folded))
            out.append(folded)
            length += len(folded)
        last = end
    out.append(text[last:])
    return Folded("".join(out), offsets if offsets.changed_at else None)


def fold_text(text: str) -> str:
    """The folded text alone, for identifiers that are folded before they are compiled."""
    return fold(text).text


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """One character, folded: "" for an invisible one, else its plain letters or digits."""
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Cf" or char in _INVISIBLE or category.startswith("M"):
        return ""
    if category == "Zs":
        return " "
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
    if base != char:
        return "".join(_lookalikes().get(c, c) for c in base)  # Cyrillic Ӓ: А, then A
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
