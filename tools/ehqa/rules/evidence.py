"""R8: what counts as evidence. Auditors must write comments that evidence the grade (section 2.14)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
# Text that fills the box without saying anything.
_PLACEHOLDERS = re.compile(
    r"^\s*(n/?a|tbc|tbd|to follow|see above|as above|see notes|none|nil|ok|good|fine|x+|-+|\.+|lorem ipsum.*)\s*\.?\s*$",
    re.IGNORECASE,
)


def evidence_problem(text: str, min_words: int) -> str | None:
    """Why ``text`` is not evidence, or None. Counts real words: letters, not numbers or repeats."""
    if _PLACEHOLDERS.match(text):
        if re.fullmatch(r"\s*n/?a\s*\.?\s*", text, re.IGNORECASE):  # issue 12: say what to type instead
            return (f"'{text.strip()}' is a placeholder, not evidence: if the domain does not apply to this case, "
                    "write grade: not-applicable and a reason; if it does, write what in the case record the grade "
                    "rests on")
        return f"'{text.strip()}' is a placeholder, not evidence: write what in the case record the grade rests on"
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < min_words:
        return f"the evidence has {len(words)} words; write at least {min_words} that say what the grade rests on"
    if len(set(words)) * 2 < min_words:
        return "the evidence repeats the same few words; say what the grade rests on"
    return None
