"""A small YAML emitter for the files ehqa writes: YAML as a person would write it.

Block style throughout, keys in the order given (schema order), two-space indents,
lists indented under their key. Strings are plain where plain is safe, otherwise
double-quoted, so that nothing can be read back as another type: case references
(``"9417302"``), ``yes``/``no``/``on``/``off`` and anything with a leading zero are
always quoted. Dates are written plain (``completed: 2026-11-18``); ehqa's strict
loader keeps them as ISO text. Long plain text is folded at spaces to about 100
columns, which YAML reads back as the same single line. Keys whose value is None are
left out, so callers can build records with optional fields set to None.

PyYAML's pure-Python dumper is too slow for the 12,000-audit scale test; this one
writes only plain data (mappings, lists, text, numbers, dates) and is checked by reading every file back.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

WIDTH = 100
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_UNSAFE_CHARS = frozenset("\ufeff\u2028\u2029\x85")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ufeff\u2028\u2029]")
_resolver = yaml.resolver.Resolver()


def schema_line(relative_schema: str) -> str:
    return f"# yaml-language-server: $schema={relative_schema}\n"


def dump_document(value: dict[str, Any], relative_schema: str) -> str:
    """The whole file: the editor's schema line, then ``value`` as a block mapping."""
    lines: list[str] = []
    _mapping(lines, value, 0)
    return schema_line(relative_schema) + "\n".join(lines) + "\n"


def write_file(path: Path, value: dict[str, Any], relative_schema: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(dump_document(value, relative_schema))


# --- emitting -------------------------------------------------------------------------


def _mapping(lines: list[str], value: dict[str, Any], indent: int) -> None:
    pad = " " * indent
    for key, item in value.items():
        if item is None:
            continue
        head = f"{pad}{_key(key)}:"
        if isinstance(item, dict):
            if not any(v is not None for v in item.values()):
                lines.append(head + " {}")
            else:
                lines.append(head)
                _mapping(lines, item, indent + 2)
        elif isinstance(item, (list, tuple)):
            if not item:
                lines.append(head + " []")
            else:
                lines.append(head)
                _sequence(lines, item, indent + 2)
        else:
            _scalar_line(lines, head + " ", item, indent + 2)


def _sequence(lines: list[str], items: list[Any] | tuple[Any, ...], indent: int) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            sub: list[str] = []
            _mapping(sub, item, indent + 2)
            if not sub:
                lines.append(pad + "- {}")
                continue
            sub[0] = pad + "- " + sub[0][indent + 2 :]
            lines.extend(sub)
        elif isinstance(item, (list, tuple)):
            raise TypeError("the demo writer does not emit lists of lists")
        else:
            _scalar_line(lines, pad + "- ", item, indent + 2)


def _key(key: Any) -> str:
    text = str(key)
    return text if _plain_safe(text) else _quoted(text)


def _scalar_line(lines: list[str], head: str, value: Any, continuation: int) -> None:
    if isinstance(value, bool):
        lines.append(head + ("true" if value else "false"))
    elif isinstance(value, int):
        lines.append(head + str(value))
    elif isinstance(value, date):
        lines.append(head + value.isoformat())
    elif isinstance(value, str):
        if not _plain_safe(value):
            lines.append(head + _quoted(value))
        elif len(head) + len(value) <= WIDTH or "  " in value:
            lines.append(head + value)
        else:
            folded = _fold(value, WIDTH - len(head), WIDTH - continuation)
            lines.append(head + folded[0])
            lines.extend(" " * continuation + part for part in folded[1:])
    else:
        raise TypeError(f"the YAML writer cannot emit {type(value).__name__}")


@lru_cache(maxsize=1 << 16)
def _plain_safe(text: str) -> bool:
    """Whether ``text`` can be written as a plain scalar and read back as the same string."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or _UNPRINTABLE.search(text):
        return False
    return _resolver.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def _quoted(text: str) -> str:
    """A double-quoted scalar: JSON's escapes are all valid YAML escapes."""
    quoted = json.dumps(text, ensure_ascii=False)
    for char in _UNSAFE_CHARS:
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return "".join(
        f"\\u{ord(c):04x}" if 0x7F <= ord(c) <= 0x9F else c for c in quoted
    )


def _fold(text: str, first_room: int, room: int) -> list[str]:
    """Split plain text at single spaces into lines; a line break in a plain scalar reads
    back as one space. Never starts a continuation line with an indicator character."""
    words = text.split(" ")
    lines: list[str] = []
    current, limit = words[0], max(first_room, 20)
    for word in words[1:]:
        if len(current) + 1 + len(word) > limit and word[0] not in _INDICATORS:
            lines.append(current)
            current, limit = word, max(room, 20)
        else:
            current += " " + word
    lines.append(current)
    return lines
