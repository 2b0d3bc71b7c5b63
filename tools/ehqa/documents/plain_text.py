"""The plain-text part of a message: the notice's Markdown read as text, with no Markdown syntax left.

A mail client that shows the plain-text part (many do, by choice or policy) should show what a reader
would see on the page: ``**Theme:** Young carers`` is ``Theme: Young carers``. The notices' templates
use a small part of Markdown, and this turns each of its forms into the plain-text convention a reader
knows: headings underlined (``=`` under the title, ``-`` under a section), bold, italics and code marks
dropped, a link written as its words and then its address in angle brackets, and a fenced block (the
ready-to-fill form) indented by four spaces, exactly as it is. Lists, numbered lists and paragraphs
stay as they are. Pure.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """One line's inline Markdown as text: links, bold, italics and code marks."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} <{m.group(2)}>", text)
    text = _BOLD.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _ITALIC.sub(r"\1", text)


def plain_text(markdown: str) -> str:
    """``markdown`` (the notices' subset) as plain text."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            out.append(f"    {line}" if line else "")
            continue
        heading = re.match(r"(#{1,6}) +(.*)", line)
        if heading:
            title = inline(heading.group(2)).strip()
            level = len(heading.group(1))
            out.append(title)
            if level <= 2:
                out.append(("=" if level == 1 else "-") * len(title))
            continue
        out.append(inline(line))
    return "\n".join(out).strip("\n") + "\n"
