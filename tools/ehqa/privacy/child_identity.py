"""What looks like a child's identity in free text written for publication (R21; docs/github.md, "Data
that must stay private": children's names, dates of birth, addresses).

``ChildIdentity(given_names, never_publish).find(text)`` yields ``(kind, offset)`` for each of:

- ``GIVEN_NAME``: a word that is a given name, from the package list (``vocabulary``) or the
  service's own (``publication.given_names`` in ``qa.yaml``). Ordinary words are names too (Hope,
  Grace, Joy, Will, May, Faith), so a word counts only when
  - it is written capitalised (``the family had hope`` is never flagged);
  - it is not in a run of capitalised words, a proper name (``St Mary's School``, ``the Freedom
    Programme``: a word after another capitalised word, unless that one starts the sentence), nor
    before a capitalised common noun (``Grace Church``, ``the Rose Centre``);
  - for a name from the package list: it is not a common English word (Hope, Will, Summer) nor a
    month, day or season (May, June, August), and it does not start a sentence, where every word
    is capitalised (``Faith groups helped``), unless in the possessive (``Olivia's mum``).
  A name the service lists is flagged even when it is one of those, or starts a sentence.
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

from ehqa.privacy.normalise import fold, fold_text
from ehqa.privacy.patterns import NOT_BEFORE_ALNUM, name_units, trie, trie_pattern
from ehqa.privacy.vocabulary import CALENDAR_WORDS, common_words, name_key, package_given_names

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

# Each pattern runs on the folded text lowercased, and starts with a literal or a digit, so that
# the regular-expression engine skips ahead fast (one pass each is faster than one alternation of
# all); that a match does not start inside a word is checked by hand (a leading \b makes every
# position a candidate, several times slower).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (AGE, re.compile(rf"age[ds]?\s*(?:[:=]\s*|of\s+|about\s+|around\s+|nearly\s+|just\s+)?{_NUMBER}\b")),
    (BIRTH, re.compile(r"d\.?o\.?b\b\.?|date\s+of\s+birth\b|birth\s*date\b")),
    (BIRTH, re.compile(rf"(?:born|birthday)\s+(?:on\s+|in\s+)?(?:the\s+)?{_DATE}\b")),
    (ADDRESS, re.compile(r"(?:flat|apartment|apt\.?|maisonette)\s*(?:no\.?\s*)?[0-9]+[a-z]?\b")),
]
# Found from their digits, on the text as written (the street's words are capitalised).
_ADDRESS = re.compile(rf"[0-9][0-9]{{0,3}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'’-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?")
# A full UK postcode, found from the digit of its outward code: "sw1a 1aa", then its letters are checked.
_POSTCODE = re.compile(r"[0-9][a-z0-9]?\s*[0-9][a-z]{2}\b")
_OUTWARD_LETTERS = re.compile(r"(?<![^\W_])(?:[a-z]{1,2}|gir)$")
# "7-year-old", "7 yrs", "7yo": found from the unit (a number is everywhere, a unit is rare), then
# the number before it is checked in a few characters back.
_AGE_UNIT = re.compile(r"old|y(?:rs?\b|/?o\b|\.o\.)")  # literals first: the engine skips ahead fast
_NUMBER_BEFORE = re.compile(
    rf"(?<![^\W_]){_NUMBER}\s*-?\s*(?:(?:years?|yrs?|months?|weeks?)\s*-?\s*)?$"
)
_OLD = re.compile(r"olds?\b")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z]*")
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][a-z]+)\b")
_SENTENCE_END = frozenset(".!?:;\n\x00•")
_OPENERS = " \t\"'“‘([*-"


class ChildIdentity:
    """The compiled checks for one service: its own given names and never-publish list."""

    def __init__(self, given_names: Iterable[str] = (), never_publish: Iterable[str] = ()) -> None:
        self.listed = frozenset(key for key in (name_key(n) for n in given_names) if key)
        # From the package list, a common English word or a month, day or season is no name.
        self.common = common_words() | {"centre", "programme", "academy", "nursery", "trust", "estate", "primary"}
        self.names = (package_given_names() - common_words() - CALENDAR_WORDS) | self.listed
        never = sorted({fold_text(" ".join(n.split())) for n in never_publish if n.strip()})
        self.never = re.compile(
            f"(?<![^\\W_])(?:{trie_pattern(trie(name_units(n) for n in never))}){NOT_BEFORE_ALNUM}", re.I
        ) if never else None

    def find(self, text: str) -> Iterator[tuple[str, int]]:
        """(kind, offset in text as written) of everything that looks like a child's identity."""
        folded = fold(text)
        for kind, offset in self.find_folded(folded.text):
            yield kind, folded.original_offset(offset)

    def find_folded(self, text: str) -> Iterator[tuple[str, int]]:
        """The same, in text already folded (``normalise.fold``); offsets in that text."""
        low = text.lower()
        if len(low) != len(text):  # a few letters lowercase to two ("İ" is folded already): keep offsets
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(low):
                if _word_start(low, match.start()):
                    yield kind, match.start()
        for match in _AGE_UNIT.finditer(low):
            start, end = match.span()
            if (start and low[start - 1].isalpha()) or (low[start] == "o" and not _OLD.match(low, start)):
                continue
            number = _NUMBER_BEFORE.search(low, max(0, start - 40), start)
            if number and (low[start] == "y" or number.group().rstrip(" -")[-1:].isalpha()):
                yield AGE, number.start()  # "7 yrs"; "7-year-old" (a unit before "old", not "7 old")
        for match in _POSTCODE.finditer(low):
            letters = _OUTWARD_LETTERS.search(low, max(0, match.start() - 3), match.start())
            if letters:
                yield POSTCODE, letters.start()
        for match in _ADDRESS.finditer(text):
            if _word_start(text, match.start()):
                yield ADDRESS, match.start()
        if self.never is not None:
            for match in self.never.finditer(text):
                yield NEVER_PUBLISH, match.start()
        # Which capitalised words are names is decided once per distinct word, at C speed; only
        # the places of those words are then looked at one by one.
        names, listed = self.names, self.listed
        present = [w for w in set(_CAPITALISED.findall(text)) if w.lower() in names]
        if not present:
            return
        for match in re.finditer(r"(?:%s)(?![A-Za-z])" % "|".join(sorted(present, key=len, reverse=True)), text):
            word = match.group().lower()
            start, end = match.span()
            if not _word_start(text, start) or _after_a_capitalised_word(text, start):
                continue
            if word not in listed and self._before_a_common_noun(text, end):
                continue  # "Grace Church", "the Hope Project": a place or a service
            # At a sentence's start every word is capitalised: "Faith groups helped" is prose, so a
            # name from the package list counts there only in the possessive ("Olivia's mum").
            if word in listed or text[end : end + 2] in ("'s", "’s") or not _at_sentence_start(text, start):
                yield GIVEN_NAME, start


    def _before_a_common_noun(self, text: str, end: int) -> bool:
        """The next word is a capitalised common English word (Church, School, Project, Centre)."""
        following = _NEXT_WORD.match(text, end)
        return bool(following) and following.group(1).lower() in self.common


def _word_start(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


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


def _at_sentence_start(text: str, start: int) -> bool:
    window = text[max(0, start - 80) : start]
    return _starts_sentence(window, len(window), start >= 80)


def _starts_sentence(window: str, start: int, clipped: bool) -> bool:
    before = window[:start].rstrip(_OPENERS)
    if not before:
        return not clipped  # the start of the text, unless the window cut it short
    return before[-1] in _SENTENCE_END
