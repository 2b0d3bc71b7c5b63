"""Markdown as GitHub shows it, to test that text ehqa quotes into an issue stays inert: rendered by a
CommonMark parser with GitHub's tables, strikethrough and autolinks of URLs and e-mail addresses
(linkify; like GitHub, no link for a bare domain without www.), then searched for what GitHub links
in the rendered text: mentions, references, commit SHAs of a repository."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ehqa.reporting.markdown import WORD_JOINER

GFM = MarkdownIt("gfm-like")
GFM.linkify.set({"fuzzy_link": False})
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
REFERENCE = re.compile(r"(?:#|\bGH-)[0-9]", re.IGNORECASE)
BARE_URL = re.compile(r"://|\bwww\.|\w@\w", re.IGNORECASE)
HOSTILE = "@someone [link](https://x) <b>"  # a mention, a link and markup in one piece of data


def rendered_text(markdown_text: str) -> str:
    """The paragraph's text as GitHub would show it, with the invisible word joiners taken out."""
    html_out = GFM.render(markdown_text)
    assert html_out.startswith("<p>") and html_out.endswith("</p>\n"), html_out  # one paragraph, nothing else
    return html_out[3:-5].replace(WORD_JOINER, "")


def github_would_link(html_out: str) -> list[str]:
    return MENTION.findall(html_out) + REFERENCE.findall(html_out) + BARE_URL.findall(html_out)
