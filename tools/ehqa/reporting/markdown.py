"""Text quoted from the QA data into GitHub Markdown (the follow-ups issue, job summaries), made inert.

GitHub renders an issue body as GitHub Flavored Markdown and then links what it finds in the
rendered text: @mentions (which notify people and teams), #123 and GH-123 references,
owner/repo@sha, bare URLs and e-mail addresses. A value from the data (a SMART action, a name, a
theme) must show as written and do none of that: whoever can commit an audit could otherwise
notify a team, plant a link or an image, or break the table the value sits in.

``inert`` is the one place that does it:

* every ASCII punctuation character is backslash-escaped (CommonMark allows that for each of
  them), so nothing becomes emphasis, a link or image, HTML, an entity, a code span, maths, a
  heading or a table-cell break;
* a word joiner (U+2060, invisible) goes after ``@``, ``#`` and ``:`` and inside ``www.`` and
  ``GH-``, because mentions, references and bare URLs are found in the rendered text, where the
  backslashes are gone;
* line breaks, control characters and runs of spaces become one space, so that a value stays on
  its table row and cannot end a line with a hard break; bidirectional overrides are dropped, so
  that the text reads in the order it is stored.
"""

from __future__ import annotations

import re
import string

WORD_JOINER = "\u2060"

_ESCAPED = frozenset(string.punctuation)  # CommonMark's "ASCII punctuation character"
_JOINED_AFTER = frozenset("@#:")  # mentions, references, URL schemes and e-mail addresses
_AUTOLINK_WORDS = re.compile(r"\b(www|gh)(?=[.-])", re.IGNORECASE)  # www.example.org, GH-123
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def inert(value: object) -> str:
    """``value`` as Markdown that displays exactly its text (spaces collapsed) and does nothing else."""
    text = str(value).translate(_BIDI_CONTROLS)
    text = " ".join("".join(" " if _is_control(ch) else ch for ch in text).split())
    text = _AUTOLINK_WORDS.sub(lambda m: m.group(1) + WORD_JOINER, text)
    out: list[str] = []
    for ch in text:
        if ch in _ESCAPED:
            out.append("\\" + ch)
            if ch in _JOINED_AFTER:
                out.append(WORD_JOINER)
        else:
            out.append(ch)
    return "".join(out)


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029"
