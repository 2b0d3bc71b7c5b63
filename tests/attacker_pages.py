"""The attacker's reading of a page: its tables, its running text and alt text, and what is left over.

Works on a built page (the article of MkDocs' HTML) and on a generated Markdown page alike: the site's
tables are HTML in both.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH = r"(?:%s) \d{4}" % "|".join(MONTHS)


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]
    total: list[str] | None


# --- reading the pages -----------------------------------------------------------------------------------

def article(page: str) -> str:
    """The article of a built page, or the whole of a generated Markdown page."""
    found = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', page, re.S)
    return found[1] if found else page


def tables(text: str) -> list[Table]:
    found = []
    for block in re.findall(r"<table>(.*?)</table>", text, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", block, re.S)
        caption = _text(caption[1]) if caption else ""
        head = [_text(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", block, re.S)]
        body = re.search(r"<tbody>(.*?)</tbody>", block, re.S)[1]
        rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
        foot = re.search(r"<tfoot>(.*?)</tfoot>", block, re.S)
        found.append(Table(caption, head, rows, _cells(foot[1]) if foot else None))
    return found


def _cells(row: str) -> list[str]:
    return [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def prose(text: str) -> str:
    """The running text and alt texts of a page, without its tables, markup or Markdown."""
    alts = " ".join(html.unescape(a) for a in re.findall(r'\balt="([^"]*)"', text))
    text = re.sub(r"<table>.*?</table>", " ", text, flags=re.S)
    text = re.sub(r'<p class="ehqa-note">.*?</p>', " ", text, flags=re.S)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # Markdown links
    return " ".join(_text(text + " " + alts).replace("**", "").split())


def period_of(where: str) -> str | None:
    """The period a report page is about, from its path: cycles/2026-10 -> October 2026, years/2026 -> 2026."""
    if found := re.search(r"cycles/(\d{4})-(\d{2})\.", where):
        return f"{MONTHS[int(found[2]) - 1]} {found[1]}"
    if found := re.search(r"years/(\d{4})\.", where):
        return found[1]
    return None


# What may be a number on a report page without being a figure: dates, years, rule numbers, the thresholds,
# and the counts of learning themes (published with each excerpt); every other number must be modelled.
ALLOWED = [
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) )?\b\d{1,2} (?:%s) \d{4}" % "|".join(MONTHS),
    MONTH, r"\b\d{4}-\d{2}(?:-\d{2})?\b", r"\bR\d+(?:–R\d+)?\b", r"\b20\d\d\b",
    r"fewer than \d+", r"at least \d+ audits", r"\d+ audits? (?:have been|has been) tagged",
    r"over the last \d+ cycles: \d+ in all(?:, most in [^(]+\(\d+\))?", r": \d+ audits?\b", r"the last 12 (?:cycles|months)",
    r"\d+ cycles, ", r"and \d+ learning themes", r"\b12 months\b", r"about \d+% a month", r"about \d+%\)",
    r"\d+ audits in the \d+ cycles? reported", r"teams had \d+ audits in",
]


def residue(where: str, body: str, figures: list[str]) -> list[str]:
    """Numbers left on a report page once every modelled figure (the patterns ``figures``) and every allowed
    number is taken out: each is a figure nobody checks."""
    body = re.sub(r'<ul class="ehqa-excerpts">.*?</ul>', " ", body, flags=re.S)  # written for publication
    body = re.sub(r"^---\n.*?\n---\n", " ", body, flags=re.S)  # a generated page's front matter
    text = prose(body)
    for pattern in [*figures, *ALLOWED]:
        text = re.sub(pattern, " ", text)
    return [f"{where}: …{text[max(0, m.start() - 60):m.end() + 20]}…" for m in re.finditer(r"\d", text)]


def _twelve_before(month: str, months: set[str]) -> list[str]:
    name, year = month.split()
    number = int(year) * 12 + MONTHS.index(name)
    wanted = {f"{MONTHS[(number - i) % 12]} {(number - i) // 12}" for i in range(1, 13)}
    return sorted(months & wanted)


