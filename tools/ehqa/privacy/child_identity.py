"""What looks like a child's identity in free text written for publication (R21; DOMAIN.md, "Data
that must stay private": children's names, dates of birth, addresses).

``ChildIdentity(given_names, never_publish).find(text)`` yields ``(kind, offset)`` for each of:

- ``GIVEN_NAME``: a word that is a given name, from the package list (``vocabulary``) or the
  service's own (``publication.given_names`` in ``qa.yaml``). Ordinary words are names too (Hope,
  Grace, Joy, Will, May, Faith), so a word counts only when it is written capitalised and is not
  part of a run of capitalised words (``St Mary's School``, ``Queen Elizabeth Hospital``: the
  word after another capitalised word, unless that one starts the sentence); and, for a name from
  the package list only, when it is not a common English word (Hope, Will, Summer) nor a month,
  day or season (May, June, August). A name the service lists is flagged even when it is one of
  those. Lowercase words are never flagged: ``the family had hope``.
- ``AGE``: ``aged 7``, ``age 7``, ``7-year-old``, ``7 years old``, ``18 months old``, ``7 yrs``,
  ``7yo``, numbers in words too (``aged seven``).
- ``BIRTH``: ``DOB``, ``D.O.B.``, ``date of birth``, or ``born``/``birthday`` followed by a date
  (``born 3 May 2015``, ``born in 2015``, ``born on 03/05/2015``).
- ``POSTCODE``: a full UK postcode (``SW1A 1AA``, ``m1 1ae``).
- ``ADDRESS``: a house number, capitalised words and a street type (``12 Acacia Avenue``,
  ``4b Mill Rd``), or a flat or apartment number (``Flat 3``).
- ``NEVER_PUBLISH``: a name from the service's never-publish list (``publication.never_publish``:
  schools, estates, places), as whole words, in any case, with any gap between its words.

The text is folded first (``normalise.fold``), so none of these hides behind an accent, a
look-alike letter or a zero-width space; offsets are in the text as written.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .normalise import fold, fold_text
from .patterns import NOT_BEFORE_ALNUM, name_units, trie, trie_pattern
from .vocabulary import CALENDAR_WORDS, common_words, name_key, package_given_names

GIVEN_NAME = "given name"
AGE = "age"
BIRTH = "date of birth"
POSTCODE = "postcode"
ADDRESS = "street address"
NEVER_PUBLISH = "never-publish name"

_NUMBER = (r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
           r"|fifteen|sixteen|seventeen|eighteen|nineteen)")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
         rf"|{_MONTH}\s+(?:19|20)\d\d|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|(?:19|20)\d\d)")
# Common thoroughfare types of UK addresses and their usual abbreviations (Royal Mail's own words).
_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Court|Ct|Gardens|Gdns|"
    "Grove|Gr|Place|Pl|Terrace|Terr|Tce|Walk|Row|Square|Sq|Mews|Rise|Hill|Park|View|Green|Parade|Vale|"
    "Boulevard|Wharf|Yard|Mead|Chase|Croft|Gate|Wynd|Path|Meadows|Fields|Heights|Grange|Circus|Embankment"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (AGE, re.compile(rf"\bage[ds]?\s*(?:[:=]\s*|of\s+|about\s+|around\s+|nearly\s+|just\s+)?{_NUMBER}\b", re.I)),
    (AGE, re.compile(rf"\b{_NUMBER}\s*-?\s*(?:years?|yrs?|months?|weeks?)\s*-?\s*olds?\b", re.I)),
    (AGE, re.compile(rf"\b{_NUMBER}\s*(?:yrs?\b|y/?o\b|y\.o\.)", re.I)),
    (BIRTH, re.compile(r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth\b|birth\s*date\b)", re.I)),
    (BIRTH, re.compile(rf"\b(?:born|birthday)\s+(?:on\s+|in\s+)?(?:the\s+)?{_DATE}\b", re.I)),
    (POSTCODE, re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s*[0-9][A-Z]{2}\b", re.I)),
    (ADDRESS, re.compile(rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'’-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?")),
    (ADDRESS, re.compile(r"\b(?:flat|apartment|apt\.?|maisonette)\s*(?:no\.?\s*)?\d+[A-Za-z]?\b", re.I)),
]
_CAPITALISED = re.compile(r"(?<![^\W_])[A-Z][A-Za-z]*(?:['’][A-Za-z]+)?")
_SENTENCE_END = frozenset(".!?:;\n\x00•")
_OPENERS = " \t\"'“‘([*-"


class ChildIdentity:
    """The compiled checks for one service: its own given names and never-publish list."""

    def __init__(self, given_names: Iterable[str] = (), never_publish: Iterable[str] = ()) -> None:
        self.package = package_given_names()
        self.listed = frozenset(key for key in (name_key(n) for n in given_names) if key)
        self.ordinary = common_words() | CALENDAR_WORDS
        never = sorted({fold_text(" ".join(n.split())) for n in never_publish if n.strip()})
        self.never = re.compile(
            f"(?<![^\\W_])(?:{trie_pattern(trie(name_units(n) for n in never))}){NOT_BEFORE_ALNUM}", re.I
        ) if never else None

    def find(self, text: str) -> Iterator[tuple[str, int]]:
        """(kind, offset in text as written) of everything that looks like a child's identity."""
        folded = fold(text)
        for kind, offset in self._find(folded.text):
            yield kind, folded.original_offset(offset)

    def _find(self, text: str) -> Iterator[tuple[str, int]]:
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(text):
                yield kind, match.start()
        if self.never is not None:
            for match in self.never.finditer(text):
                yield NEVER_PUBLISH, match.start()
        for match in _CAPITALISED.finditer(text):
            if self._is_given_name(text, match):
                yield GIVEN_NAME, match.start()

    def _is_given_name(self, text: str, match: re.Match[str]) -> bool:
        word = name_key(match.group())
        listed = word in self.listed
        if not listed and (word not in self.package or word in self.ordinary):
            return False
        return not _after_a_capitalised_word(text, match.start())


def _after_a_capitalised_word(text: str, start: int) -> bool:
    """True when the word at ``start`` follows a capitalised word that does not start its sentence
    (``St Mary's``, ``the Freedom Programme``: a proper name, not a person's given name)."""
    window = text[max(0, start - 80) : start]  # a few words back is enough, and keeps this cheap
    before = window.rstrip(" \t")
    if len(before) == len(window):  # no space before: "Mary-Jane", "(Amy": not a run of words
        return False
    previous = re.search(r"([A-Za-z'’]+)$", before)
    if previous is None or not previous.group(1)[0].isupper():
        return False
    return not _starts_sentence(before, previous.start(1), start >= 80)


def _starts_sentence(window: str, start: int, clipped: bool) -> bool:
    before = window[:start].rstrip(_OPENERS)
    if not before:
        return not clipped  # the start of the text, unless the window cut it short
    return before[-1] in _SENTENCE_END
