"""Staff names of two words or more, found from their surname, in every form people write them.

For a name such as ``Amy Jane Evans`` (given name first, surname last, any words between are
middle names), ``StaffNames.find`` looks for the surname as a whole word, then at what stands
around it. It is a staff name when the surname is:

- after the given name, with or without middle names between: ``Amy Evans``, ``Amy J. Evans``,
  ``Amy Jane Evans``, ``amy-evans``; a word between is a middle name when it is an initial, one of
  the person's own middle names, or capitalised and not a common English word (so not
  ``Femi and Nash``, ``Amy told Evans``);
- before a comma and the given name: ``Evans, Amy``;
- written in capitals, before the given name: ``EVANS Amy`` (in capitals only: ``young will`` is
  prose, ``YOUNG Will`` a name);
- after a title: ``Ms Evans``, ``Mrs``, ``Mr``, ``Miss``, ``Mx``, ``Dr``, ``Master``;
- after the initial of the given name and a dot: ``A. Evans`` (the dot required: ``a young
  person`` is not ``A Young``).

A surname alone, or a given name alone, is never a match: surnames such as Good, Hope or Young are
ordinary words, and would fail every build on ordinary prose.

One scan of the text looks for every surname (a trie, on the lowercased text); what precedes a
surname is matched on the text reversed, at one place, so that no form costs a scan of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ehqa.privacy.patterns import (
    NAME_GAP,
    NAME_GAP_REVERSED,
    NOT_BEFORE_ALNUM,
    key,
    name_units,
    trie,
    trie_pattern,
)
from ehqa.privacy.vocabulary import common_words

TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "master", "mstr")
_ESCAPES = ("\\n", "\\r", "\\t")
_WORD = re.compile(r"[a-z0-9]+")
_AFTER_ESCAPE = re.compile(r"(?<=\\[nrt])[a-z0-9]+")
_PLAIN = re.compile(r"[a-z0-9'’‘`ʼ′.\-\u2010-\u2014 ]+")  # what a surname's chunks can be read from


def _chunks(surname: str) -> tuple[str | None, frozenset[str]]:
    """A surname's words as the text would hold them: its letters run together (a slug, ``oneill``),
    and its runs of letters (``o``, ``neill``). (None, ...) when it has other characters: always looked for."""
    lowered = surname.lower()
    if not _PLAIN.fullmatch(lowered):
        return None, frozenset()
    return "".join(_WORD.findall(lowered)), frozenset(_WORD.findall(lowered))


def _surname_pattern(present: tuple[str, ...], names: "StaffNames") -> re.Pattern[str]:
    return _compiled_surnames(tuple(tuple(names.surname_units[s]) for s in present))


@lru_cache(maxsize=64)
def _compiled_surnames(units: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    if not units:
        return re.compile("(?!)")  # matches nothing
    return re.compile(f"(?:{trie_pattern(trie(list(u) for u in units))}){NOT_BEFORE_ALNUM}")


class StaffNames:
    """The compiled patterns for the staff names of two words or more."""

    def __init__(self, names: list[str]) -> None:
        split = [words for words in (n.split() for n in names) if len(words) > 1]
        self.pairs: dict[tuple[str, str], set[str]] = {}  # (given, surname) -> their own middle names
        for words in split:
            self.pairs.setdefault((key(words[0]), key(words[-1])), set()).update(key(m) for m in words[1:-1])
        self.initials = {(given[:1], surname) for given, surname in self.pairs}
        self.common = common_words()
        if not split:
            self.surname = None
            return
        self.surname_units = {words[-1]: name_units(words[-1]) for words in split}
        self.chunks = {surname: _chunks(surname) for surname in self.surname_units}
        surnames = trie_pattern(trie(self.surname_units.values()))
        givens = trie_pattern(trie(name_units(words[0]) for words in split))
        givens_reversed = trie_pattern(trie(name_units(words[0])[::-1] for words in split))
        titles = "|".join(title[::-1] for title in TITLES)
        boundary = NOT_BEFORE_ALNUM  # in the reversed text: not after a letter or digit
        self.surname = re.compile(f"(?:{surnames}){NOT_BEFORE_ALNUM}")
        self.after = re.compile(rf"[ \t]*,{NAME_GAP}(?P<given>{givens}){NOT_BEFORE_ALNUM}")  # Evans, Amy
        self.after_capitals = re.compile(rf"{NAME_GAP}(?P<given>{givens}){NOT_BEFORE_ALNUM}", re.I)  # EVANS Amy
        self.before = re.compile(  # read right to left: Amy Evans, Amy J. Evans, Amy Jane Evans
            rf"{NAME_GAP_REVERSED}(?:(?P<m1>[a-z]{{1,20}}){NAME_GAP_REVERSED}(?:(?P<m2>[a-z]{{1,20}}){NAME_GAP_REVERSED})?)?"
            rf"(?P<given>{givens_reversed}){boundary}"
        )
        self.title = re.compile(rf"{NAME_GAP_REVERSED}\.?(?:{titles}){boundary}")  # Ms Evans, Mrs. Evans
        self.initial = re.compile(rf"(?:{NAME_GAP_REVERSED})?\.(?P<initial>[a-z]){boundary}")  # A. Evans

    def find(self, lowered: str, written: str) -> Iterator[int]:
        """The offset where each staff name starts, in ``lowered`` (the text lowercased, the same
        length as ``written``, the text as written)."""
        if self.surname is None:
            return
        reversed_: str | None = None
        for match in self._surnames_in(lowered).finditer(lowered):
            start, end = match.span()
            if start and lowered[start - 1].isalnum() and lowered[start - 2 : start] not in _ESCAPES:
                continue  # inside a word (but "\\nNash" in JSON is a line break, then Nash)
            surname = key(match.group())
            if reversed_ is None:
                reversed_ = lowered[::-1]
            found = self._before(reversed_, len(lowered) - start, surname, written)
            if found is None and self._after(lowered, written, start, end, surname):
                found = start
            if found is not None:
                yield found

    def _surnames_in(self, lowered: str) -> re.Pattern[str]:
        """The surname pattern, narrowed to the surnames whose words the text holds: finding the
        words is one fast pass, and a trie of a few surnames scans far faster than of hundreds."""
        words: set[str] = set()
        for token in set(lowered.split()):  # splitting on spaces first: a fraction of the tokens are distinct
            if token.isalnum() and token.isascii():
                words.add(token)
            else:
                words.update(_WORD.findall(token))
                if "\\" in token:  # "\\nNash" in JSON: the word after an escaped line break
                    words.update(_AFTER_ESCAPE.findall(token))
        present = frozenset(s for s, (slug, chunks) in self.chunks.items()
                            if slug is None or slug in words or words.issuperset(chunks))
        if len(present) == len(self.chunks):
            return self.surname
        return _surname_pattern(tuple(sorted(present)), self)

    def _before(self, reversed_: str, at: int, surname: str, written: str) -> int | None:
        """Where the name starts when a given name, a title or an initial precedes the surname."""
        length = len(reversed_)
        match = self.before.match(reversed_, at)
        if match and self._forward(match, surname, written, length):
            return length - match.end()
        for pattern in (self.title, self.initial):
            match = pattern.match(reversed_, at)
            if match and (pattern is self.title or (match["initial"], surname) in self.initials):
                return length - match.end()
        return None

    def _forward(self, match: re.Match[str], surname: str, written: str, length: int) -> bool:
        own = self.pairs.get((key(match["given"][::-1]), surname))
        if own is None:
            return False
        for group in ("m1", "m2"):
            middle = match[group]
            if middle is None:
                continue
            middle = middle[::-1]
            if len(middle) == 1 or middle in own:
                continue  # an initial, or the person's own middle name
            if not written[length - match.end(group)].isupper() or middle in self.common:
                return False  # "Femi and Nash", "Amy told Evans": prose, not a middle name
        return True

    def _after(self, lowered: str, written: str, start: int, end: int, surname: str) -> bool:
        """``Evans, Amy``, or ``EVANS Amy`` with the surname in capitals."""
        match = self.after.match(lowered, end)
        if match and (key(match["given"]), surname) in self.pairs:
            return True
        if written[start:end].isupper():
            match = self.after_capitals.match(lowered, end)
            return bool(match) and (key(match["given"]), surname) in self.pairs
        return False
