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
      a word may be any of its forms or left out (``O'Neill``, ``O’Neill``, slug ``oneill``).
      For a name of two words or more, given name first and surname last:
      the full name (``Amy Evans``, ``femi-nash``); with the person's middle names, a middle
      initial or any capitalised middle name that is not a common English word
      (``Amy J. Evans``, ``Amy Jane Evans``, but not ``Femi and Nash`` or ``Amy told Evans``); surname first, after a comma
      (``Evans, Amy``) or written in capitals (``EVANS Amy``); the initial and surname
      (``A. Evans``, the dot required: ``a young person`` is not ``A Young``); and a title and the
      surname (``Ms Evans``, ``Mrs``, ``Mr``, ``Miss``, ``Mx``, ``Dr``, ``Master``). A surname or a
      given name alone is never matched: surnames such as Good, Hope or Young are ordinary words,
      and would fail every build on ordinary prose.
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
from typing import Callable, Iterable, Iterator

from .decode import DecodedView
from .digits import in_markup, is_date, joined_runs
from .identifiers import Identifiers
from .normalise import fold, fold_text
from .vocabulary import common_words

CASE_REFERENCE = "case reference"
STAFF_NAME = "staff name"
STAFF_ID = "staff id"
GITHUB_HANDLE = "GitHub handle"
STAFF_EMAIL = "staff email"

SHORT = 3  # ids and handles shorter than this are matched only as whole tokens
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "master", "mstr")

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
_TITLE = "(?:" + "|".join(TITLES) + r")\.?"
_MIDDLE_INITIAL = r"(?:[a-z]\.?)"
_ANY_MIDDLE = r"(?P<middle>[a-z]{2,20})"  # checked in Python: capitalised, not a common English word

_GROUP_NAME = re.compile(r"\(\?P<[a-z]+>")  # the combined search needs no groups, and may not repeat one


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


Check = Callable[[re.Match[str], str], bool]  # (match in the lowercased text, the text as written)


class _Words:
    """The kinds matched as whole words: names, ids and handles of SHORT characters or more, references.

    Each kind is one expression, a trie of its identifiers; the text is searched once with the trie
    of all of them together, and where that matches, each kind's own expression says which kinds
    start there (a kind may also check its match, ``Check``). That a match does not follow a letter
    or digit is checked by hand: a lookbehind in front of a long alternation is slow in Python.
    """

    def __init__(self, kinds: list[tuple[str, list[list[str]], Check | None]]) -> None:
        self.kinds = [(what, _Compiled(_word_source(units)), check) for what, units, check in kinds if units]
        every = [value for _what, units, _check in kinds for value in units]
        self.any = _Compiled(_GROUP_NAME.sub("(?:", _word_source(every))) if every else None

    def find(self, text: str, lowered: bool, written: str) -> Iterator[tuple[str, int]]:
        if self.any is None:
            return
        pattern = self.any.get(lowered)
        pos = 0
        while (match := pattern.search(text, pos)) is not None:
            start = match.start()
            if start == 0 or not text[start - 1].isalnum():
                for what, kind, check in self.kinds:
                    found = kind.get(lowered).match(text, start)
                    if found and (check is None or check(found, written)):
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

    def find(self, text: str, lowered: bool, written: str) -> Iterator[tuple[str, int]]:
        for what, kind in self.kinds:
            for match in kind.get(lowered).finditer(text):
                yield what, match.start()


class _Emails:
    """Email addresses, found from their ``@``: a literal every address shares, and fast to find."""

    def __init__(self, emails: Iterable[str]) -> None:
        self.addresses = sorted({tuple(e.lower().rsplit("@", 1)) for e in emails if "@" in e})
        domains = [_literal(domain) for domain in {domain for _local, domain in self.addresses}]
        self.pattern = _Compiled(f"@(?:{_trie_pattern(_trie(domains))}){_NOT_BEFORE_ALNUM}" if domains else "")

    def find(self, text: str, lowered: bool, written: str) -> Iterator[tuple[str, int]]:
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


class _CapitalSurnames:
    """``EVANS Amy``: a surname written in capitals, then the given name. Matched on the text as
    written (case matters here: ``young will`` is prose, ``YOUNG Will`` a name)."""

    def __init__(self, people: list[tuple[str, str]]) -> None:
        self.pairs = {(_key(given), _key(surname)) for given, surname in people}
        surnames = [[_upper_units(surname)] for _given, surname in people]
        givens = [_name_units(given) for given, _surname in people]
        self.pattern = re.compile(
            f"(?P<surname>{_trie_pattern(_trie(surnames))}){_NAME_GAP}"
            f"(?i:(?P<given>{_trie_pattern(_trie(givens))})){_NOT_BEFORE_ALNUM}"
        ) if people else None

    def find(self, text: str) -> Iterator[tuple[str, int]]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            start = match.start()
            if (start == 0 or not text[start - 1].isalnum()) and (
                (_key(match["given"]), _key(match["surname"])) in self.pairs
            ):
                yield STAFF_NAME, start


class Matcher:
    """The compiled patterns for one set of identifiers."""

    def __init__(self, ids: Identifiers) -> None:
        self.digit_refs = frozenset(r for r in ids.case_refs if r.isascii() and r.isdigit())
        self.ref_lengths = frozenset(len(r) for r in self.digit_refs)
        shortest = min(self.ref_lengths, default=1)
        self.digit_runs = re.compile(f"[0-9]{{{shortest},}}")  # always a whole run: see _find_digits
        other_refs = [fold_text(r) for r in ids.case_refs if r not in self.digit_refs]
        tokens = [(STAFF_ID, ids.staff_ids), (GITHUB_HANDLE, ids.handles)]
        long_ = [(what, [fold_text(v) for v in values if len(v) >= SHORT]) for what, values in tokens]
        short = [(what, [fold_text(v) for v in values if len(v) < SHORT]) for what, values in tokens]
        names = sorted({fold_text(n) for n in ids.staff_names})
        people = [(words[0], words[-1]) for words in (n.split() for n in names) if len(words) > 1]
        pairs = {(_key(given), _key(surname)) for given, surname in people}
        self.finders: list[_Words | _Tokens | _Emails] = [
            _Words(
                [
                    (CASE_REFERENCE, [_literal(r) for r in other_refs], None),
                    (STAFF_NAME, [form for n in names for form in _name_forms(n)], None),
                    (STAFF_NAME, _any_middle_forms(people), _middle_check(pairs)),
                    *((what, [_literal(v) for v in values], None) for what, values in long_),
                ]
            ),
            _Tokens([(what, [_literal(v) for v in values]) for what, values in short]),
            _Emails(fold_text(e) for e in ids.emails),
        ]
        self.capital_surnames = _CapitalSurnames(people)
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
        found = chain(self._find_digits(folded.text) if view is not None or folded.offsets is not None else (),
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
            if joined in self.digit_refs and not is_date(groups, separator) and not in_markup(text, start):
                yield CASE_REFERENCE, start

    def _find_others(self, text: str) -> Iterator[tuple[str, int]]:
        lowered = text.lower()
        same_length = len(lowered) == len(text)  # not so for a few letters, such as "İ"
        for finder in self.finders:
            yield from finder.find(lowered if same_length else text, same_length, text)
        yield from self.capital_surnames.find(text)


def _key(word: str) -> str:
    """A name word reduced to its letters, lowercased: how a match is paired with a person."""
    return "".join(c for c in word.lower() if c.isalnum())


def _middle_check(pairs: set[tuple[str, str]]) -> Check:
    common = common_words()

    def check(match: re.Match[str], written: str) -> bool:
        middle = match.start("middle")
        return (written[middle].isupper() and match["middle"] not in common
                and (_key(match["given"]), _key(match["surname"])) in pairs)

    return check


def _any_middle_forms(people: list[tuple[str, str]]) -> list[list[str]]:
    """Given name, any middle name, surname: one form for everyone, paired with a person in Python."""
    if not people:
        return []
    givens = _trie_pattern(_trie(_name_units(given) for given, _surname in people))
    surnames = _trie_pattern(_trie(_name_units(surname) for _given, surname in people))
    return [[f"(?P<given>{givens})", _NAME_GAP, _ANY_MIDDLE, _NAME_GAP, f"(?P<surname>{surnames})"]]


def _name_forms(name: str) -> list[list[str]]:
    """Every way of writing one staff name that the matcher looks for, as lists of units."""
    words = name.split()
    if len(words) == 1:
        return [_name_units(name)]
    given, middles, surname = words[0], words[1:-1], words[-1]
    given_units, surname_units = _name_units(given), _name_units(surname)
    own = "".join(f"{''.join(_name_units(m))}{_NAME_GAP}" for m in middles)
    middle = f"(?:{own}|{_MIDDLE_INITIAL}{_NAME_GAP})?" if own else f"(?:{_MIDDLE_INITIAL}{_NAME_GAP})?"
    initial = _letter(given[0]) if given[0].isalpha() else None
    forms = [
        [*given_units, _NAME_GAP, middle, *surname_units],  # Amy Evans, Amy J. Evans
        [*surname_units, r"[ \t]*,", _NAME_GAP, *given_units],  # Evans, Amy
        [_TITLE, _NAME_GAP, *surname_units],  # Ms Evans
    ]
    if initial:
        forms.append([initial, r"\.", rf"(?:{_NAME_GAP})?", *surname_units])  # A. Evans
    return forms


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


def _upper_units(word: str) -> str:
    """A surname in capitals, for ``EVANS Amy``; its apostrophes and hyphens as in ``_name_units``."""
    return "".join(_name_units(word.upper(), lower=False))


def _name_units(name: str, lower: bool = True) -> list[str]:
    """A name (already folded): its words separated by any gap, apostrophes and hyphens in any form."""
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
                units.append(_letter(char) if lower else re.escape(char))
    return units
