"""Findings: what a check reports, pointing at a file and a place in it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The longest piece of a value any message quotes. Messages go into terminals, GitHub annotations
# and the job summary: a 10,000-character key, or the content of a file a link pointed at, must
# not be copied there whole (issue 9).
MAX_QUOTED_CHARS = 60
_ELLIPSIS = "…"
# A value in a message: a quoted run that opens and closes outside a word (an apostrophe inside
# one, as in "case's", is part of the value), or any run without spaces.
_VALUE = re.compile(r"(?<!\w)'((?:[^'\n]|'(?=\w)){%d,})'(?!\w)|\S{%d,}" % (MAX_QUOTED_CHARS + 1, MAX_QUOTED_CHARS + 1))


def shown(value: object, quote: bool = True) -> str:
    """A value as a message quotes it: control characters escaped, in quotes, cut to ``MAX_QUOTED_CHARS``."""
    text = repr(str(value))[1:-1]
    if len(text) > MAX_QUOTED_CHARS:
        text = text[:MAX_QUOTED_CHARS] + _ELLIPSIS
    return f"'{text}'" if quote else text


def shorten(message: str) -> str:
    """The message with every value in it cut to ``MAX_QUOTED_CHARS``: the one place every finding's
    message passes, so that no value is printed whole however the message was built."""
    if len(message) <= MAX_QUOTED_CHARS:
        return message
    return _VALUE.sub(_cut, message)


def _cut(match: re.Match[str]) -> str:
    if match[1] is not None:  # a quoted value: keep the quotes
        return f"'{match[1][:MAX_QUOTED_CHARS]}{_ELLIPSIS}'"
    return match[0][:MAX_QUOTED_CHARS] + _ELLIPSIS


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    ``where`` is the path to the value inside the file (keys and list indexes);
    the reporter turns it into a line and column only when it prints, so the fast
    path keeps no positions. ``line``/``column`` are set directly when the reader
    already knows them (YAML syntax errors). The message is cut by ``shorten``.
    """

    rule: str
    message: str
    file: str  # relative to the repository, with forward slashes
    where: tuple[str | int, ...] = ()
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", shorten(self.message))
