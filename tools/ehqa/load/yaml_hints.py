"""What to type when YAML cannot read a line (issue 12, item 12): the parser's own words ("mapping values
are not allowed here") say what it met, not what the person should write. Two mistakes account for most
of them in free text, and each gets a hint that shows the line as it should be:

* a colon followed by a space inside unquoted text (``summary: Mum said: no``), which YAML reads as the
  start of another field;
* text that opens with a quote mark and holds another one (``evidence: 'Dad' says he's fine``,
  ``'The child's view'``), which YAML reads as quoted text ending at the second mark.
"""

from __future__ import annotations

import re

# ``key: value`` or ``- value`` or ``- key: value``, with the value kept whole
_FIELD = re.compile(r"^(?P<lead>\s*(?:-\s+)?(?:[A-Za-z0-9_-]+:\s+)?)(?P<value>\S.*?)\s*$")
_MAX_SHOWN = 100


def hint(text: str, line: int, problem: str) -> str:
    """A plain-English hint for a YAML syntax error at 1-based ``line`` of ``text``, or ''."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    written = lines[line - 1]
    match = _FIELD.match(written)
    if match is None:
        return ""
    lead, value = match["lead"], match["value"]
    if "mapping values are not allowed" in problem and ": " in value + " " and value[0] not in "'\"":
        if not lead.strip():  # a later line of text that began on the field's own line
            return (
                "; a colon followed by a space inside text starts a new field, so put the whole text, from "
                "the field's first line, in double quotes, or write > after the field's name and the text on "
                "the lines below it, indented"
            )
        return (
            f"; a colon followed by a space inside text starts a new field, so put the whole text in double quotes: "
            f"{_shown(lead.strip() + ' ' + _double_quoted(value))}"
        )
    if ("did not find expected" in problem or "expected <block end>" in problem) and value[0] in "'\"":
        inner = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value
        return (
            f"; the text starts with a quote mark ({value[0]}), so YAML reads it as quoted text that ends at the "
            f'next one; write it in double quotes, with any " inside as \\": '
            f"{_shown(lead.strip() + ' ' + _double_quoted(inner))}"
        )
    if "mapping values are not allowed" in problem:
        return "; this line is indented as if it continued the value above: line its field up with the fields above"
    return ""


def _double_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _MAX_SHOWN else line[: _MAX_SHOWN - 2] + '…"'
