"""Digits written with separators: ``916 0347``, ``916-0347``, ``9,160,347``, ``916.0347``, ``916/0347``.

``joined_runs`` finds, in folded text (where every space is " " and every script's digits are
0–9), each run of digit groups joined by one separator, the same all along, and gives its digits
joined. ``is_date`` says when such a run is a date (never a reference), and ``in_markup`` when it
sits inside a tag (SVG path data is numbers and spaces), where only text attributes are read.
"""

from __future__ import annotations

import re
from typing import Iterator

# A run of digit groups with separators between them, in folded text (every space is " ").
_DIGIT_CHAIN = re.compile(r"[0-9][0-9]*(?:[ ,./\-\u2010-\u2015]{1,3}[0-9]+)+")  # one digit first: a fast scan
_CHAIN_PARTS = re.compile(r"([ ,./\-\u2010-\u2015]{1,3})")
# An attribute of a tag and where its value starts; values that hold text (alt, title...) are read.
_ATTRIBUTE = re.compile(r"""\s([^\s"'<>=/]+)\s*=\s*(?:"([^"<>]*)|'([^'<>]*)|([^\s"'<>]*))""")
_TEXT_ATTRIBUTE = re.compile(r"alt|title|aria-[a-z-]+|content|value|placeholder|label|summary", re.I)
_DATE_SEPARATORS = {"-", "/", ".", " "}


def joined_runs(text: str, lengths: frozenset[int], start: int = 0,
                end: int | None = None) -> Iterator[tuple[int, str, str, list[str]]]:
    """(offset, digits, separator, groups) of every run of digit groups joined by one separator,
    the same all along, whose digits have one of ``lengths``. A group between two different
    separators belongs to the run on each side: ``12, 916 0347`` gives ``12916`` and ``9160347``.
    Runs inside markup are skipped (``in_markup``). Only text[start:end] is searched."""
    shortest = min(lengths, default=0)
    markup = Markup(text)
    for match in _DIGIT_CHAIN.finditer(text, start, len(text) if end is None else end):
        chain = match.group()
        if sum(map(str.isdigit, chain)) < shortest or markup.holds(match.start()):
            continue
        parts = _CHAIN_PARTS.split(chain)
        groups, separators = parts[0::2], parts[1::2]
        offsets = [match.start()]
        for group, separator in zip(groups, separators):
            offsets.append(offsets[-1] + len(group) + len(separator))
        first = 0
        while first < len(separators):
            last = first
            while last + 1 < len(separators) and separators[last + 1] == separators[first]:
                last += 1
            run = groups[first : last + 2]
            joined = "".join(run)
            if len(joined) in lengths:
                yield offsets[first], joined, separators[first], run
            first = last + 1


def is_date(groups: list[str], separator: str) -> bool:
    """Groups that read as a date: YYYY-MM, YYYY-MM-DD, DD/MM/YYYY, DD.MM.YY and the like."""
    if separator.strip() not in _DATE_SEPARATORS and separator != " ":
        return False
    if len(groups) not in (2, 3) or not all(g.isdigit() for g in groups):
        return False
    numbers = [int(g) for g in groups]
    if len(groups[0]) == 4:  # year first
        return 1 <= numbers[1] <= 12 and (len(groups) == 2 or 1 <= numbers[2] <= 31)
    if len(groups) == 3 and len(groups[2]) in (2, 4) and len(groups[0]) <= 2 and len(groups[1]) <= 2:
        day, month = numbers[0], numbers[1]
        return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= month <= 31 and 1 <= day <= 12)
    return False


class Markup:
    """The tags of one text, each read once: an SVG path holds thousands of numbers in one tag, and
    reading the tag again for each of them made a scan of the demo site take minutes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._text_values: dict[int, list[tuple[int, int]]] = {}  # tag start -> spans of text values

    def holds(self, offset: int) -> bool:
        """Inside a tag (``<path d="M 57.6 307.584">``), but not in an attribute that holds text."""
        text = self.text
        opened = text.rfind("<", 0, offset)
        if opened <= text.rfind(">", 0, offset):
            return False
        spans = self._text_values.get(opened)
        if spans is None:
            spans = self._text_values[opened] = self._read_tag(opened)
        return not any(begin <= offset <= end for begin, end in spans)

    def _read_tag(self, opened: int) -> list[tuple[int, int]]:
        closed = self.text.find(">", opened)
        spans = []
        for attribute in _ATTRIBUTE.finditer(self.text, opened, len(self.text) if closed < 0 else closed):
            if _TEXT_ATTRIBUTE.fullmatch(attribute[1]):
                value = next(i for i in (2, 3, 4) if attribute[i] is not None)
                spans.append((attribute.start(value), attribute.end(value)))
        return spans


def in_markup(text: str, offset: int) -> bool:
    """Inside a tag, but not in an attribute that holds text (one question; ``Markup`` for many)."""
    return Markup(text).holds(offset)
