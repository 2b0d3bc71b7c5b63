"""Pieces of regular expression the matchers are built from: tries of identifiers, letters in
every lowercase form, names with their apostrophes, hyphens and the gaps between words."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

NOT_BEFORE_ALNUM = r"(?![^\W_])"  # not followed by a letter or digit, in any script
SEPARATORS = r"\s\u200b_.+\-\u2010-\u2014"
# Between the words of a name: any run of separators, markup tags (``</span> <span>``, ``<br>``) and
# escaped line breaks and tabs (JSON's ``\\n``).
NAME_GAP = rf"(?:[{SEPARATORS}]|<[^<>]{{0,1000}}>|\\[nrt])+"
NAME_GAP_REVERSED = rf"(?:[{SEPARATORS}]|>[^<>]{{0,1000}}<|[nrt]\\)+"  # the same, read right to left
APOSTROPHES = "'’‘`ʼ′"
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"


def key(word: str) -> str:
    """A name word reduced to its letters, lowercased: how a match is paired with a person."""
    return "".join(c for c in word.lower() if c.isalnum())


def trie(values: Iterable[list[str]]) -> dict[str, dict]:
    """The values, each a list of units (pieces of expression), as a trie; "" marks where one ends."""
    root: dict[str, dict] = {}
    for units in values:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}
    return root


def word_source(values: list[list[str]]) -> str:
    return f"(?:{trie_pattern(trie(values))}){NOT_BEFORE_ALNUM}"


def trie_pattern(node: dict[str, dict]) -> str:
    ends_here = "" in node
    branches = [unit + trie_pattern(child) for unit, child in sorted(node.items()) if unit]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if ends_here:  # greedy: the longer value is tried first
        body = f"(?:{body})?"
    return body


@lru_cache(maxsize=4096)
def letter(char: str) -> str:
    """One letter of an identifier, matching the lowercased text: all its lowercase forms."""
    forms = sorted({f for f in (char.lower(), char.upper().lower(), char.casefold()) if len(f) == 1})
    if len(forms) == 1:
        return re.escape(forms[0])
    return "[" + "".join(re.escape(f) for f in forms) + "]"


def literal(value: str) -> list[str]:
    return [letter(char) for char in value]


def name_units(name: str, lower: bool = True) -> list[str]:
    """A name (already folded): its words separated by any gap, apostrophes and hyphens in any form."""
    units: list[str] = []
    for index, word in enumerate(name.split()):
        if index:
            units.append(NAME_GAP)
        for char in word:
            if char in APOSTROPHES:
                units.append(f"[{re.escape(APOSTROPHES)}]?")  # a slug drops it: O'Neill, oneill
            elif char in HYPHENS:
                units.append(f"[{SEPARATORS}]*")  # Anne-Marie, Anne Marie, annemarie
            elif char == ".":
                units.append(r"\.?")
            else:
                units.append(letter(char) if lower else re.escape(char))
    return units
