"""ehqa.reporting.markdown: text quoted from the data into the follow-ups issue is inert (issue 9):
shown as its own words, never a mention, a link, markup or a new table cell."""

from __future__ import annotations

import re
from html import escape as _html_escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehqa.reporting.markdown import inert
from github_markdown import GFM, HOSTILE, github_would_link, rendered_text


@pytest.mark.parametrize("text", [
    HOSTILE,
    "@team please look", "ask @millbrook/qa-leads", "see #12 and GH-7 and owner/repo#3 and owner/repo@abc1234",
    "[x](http://evil)", "![x](http://evil/pixel.png)", "<img src=x onerror=alert(1)>", "<b>bold</b> <!-- c -->",
    "http://evil.example/ and https://evil.example and www.evil.example and a.person@evil.example",
    "`code` ``more``", "*em* _em_ **strong** ~~gone~~ $x^2$", "&#64;team &amp; &lt;b&gt;", "# heading", "> quote",
    "a | b | c", "line one\nline two\r\nline three\u2028four", "tab\there", ":+1: :warning:", "\\[x\\]",
    "trailing spaces   ", "\u202eevil\u202c", "[link][ref]\n\n[ref]: http://evil",
])
def test_inert_text_renders_as_its_own_words_and_links_nothing(text: str) -> None:
    out = inert(text)
    assert "\n" not in out and "\r" not in out
    html_out = GFM.render(out)
    assert not re.search(r"<(?!/?p>)", html_out), html_out  # no tag but the paragraph: no link, image, HTML, code
    assert github_would_link(html_out) == [], html_out
    visible = " ".join(text.replace("\u202e", "").replace("\u202c", "").split())
    assert rendered_text(out) == _html_escape(visible, quote=True).replace("&#x27;", "'")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60))
def test_inert_text_is_exactly_its_text_whatever_it_holds(text: str) -> None:
    visible = " ".join("".join(" " if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text).split())
    visible = visible.translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                                   "\u200e\u200f")))
    visible = " ".join(visible.split())
    if not visible or visible != visible.strip():
        return
    html_out = GFM.render(inert(text))
    assert not re.search(r"<(?!/?p>)", html_out), html_out
    assert github_would_link(html_out) == [], html_out


def test_a_table_cell_stays_one_cell_on_one_row() -> None:
    row = f"| {inert('a | b')} | {inert('c' + chr(10) + '| d |')} |"
    html_out = GFM.render("| one | two |\n| --- | --- |\n" + row + "\n")
    assert html_out.count("<tr>") == 2 and html_out.count("<td>") == 2, html_out
