"""Reading the board report and the evidence pack back (tests only): their headings, tables, prose and the figures
the prose cites, from the HTML; their headings and tables from the Word file (python-docx)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class HtmlTable:
    id: str
    caption: str = ""
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # body and foot, each row's header first

    def cell(self, row: str, column: str) -> str:
        index = self.head.index(column)
        return next(r[index] for r in self.rows if r[0] == row)


@dataclass
class Read:
    headings: list[str] = field(default_factory=list)  # h1 and h2, in order
    tables: dict[str, HtmlTable] = field(default_factory=dict)
    figs: list[tuple[str, str, str, str]] = field(default_factory=list)  # (table, row, column, text)
    prose: list[str] = field(default_factory=list)  # each paragraph and list item, its figures left out
    paragraphs: list[str] = field(default_factory=list)  # each paragraph and list item, whole
    text: str = ""  # everything a reader sees, in order


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.read = Read()
        self.stack: list[str] = []
        self.buffer: list[str] | None = None  # text of the element being read
        self.table: HtmlTable | None = None
        self.row: list[str] | None = None
        self.fig: dict | None = None
        self.prose: list[str] | None = None
        self.seen: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "title"):
            self.in_style = True
        if tag == "table":
            self.table = HtmlTable(attrs.get("id", ""))
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("th", "td", "caption", "h1", "h2"):
            self.buffer = []
        elif tag in ("p", "li"):
            self.prose, self.whole = [], []
        elif tag == "span" and "fig" in (attrs.get("class") or "").split():
            self.fig = {"table": attrs["data-table"], "row": attrs["data-row"], "column": attrs["data-column"], "text": []}

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self.in_style = False
        text = " ".join("".join(self.buffer or []).split())
        if tag in ("h1", "h2"):
            self.read.headings.append(text)
            self.buffer = None
        elif tag == "caption" and self.table is not None:
            self.table.caption, self.buffer = text, None
        elif tag in ("th", "td") and self.row is not None:
            self.row.append(text)
            self.buffer = None
        elif tag == "tr" and self.table is not None and self.row is not None:
            if not self.table.head:
                self.table.head = self.row
            else:
                self.table.rows.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self.read.tables[self.table.id or self.table.caption] = self.table
            self.table = None
        elif tag == "span" and self.fig is not None:
            fig = self.fig
            self.read.figs.append((fig["table"], fig["row"], fig["column"], "".join(fig["text"]).strip()))
            self.fig = None
        elif tag in ("p", "li") and self.prose is not None:
            self.read.prose.append(" ".join("".join(self.prose).split()))
            self.read.paragraphs.append(" ".join("".join(self.whole).split()))
            self.prose = None

    def handle_data(self, data):
        if self.in_style:
            return
        self.seen.append(data)
        if self.buffer is not None:
            self.buffer.append(data)
        if self.prose is not None:
            self.whole.append(data)
        if self.fig is not None:
            self.fig["text"].append(data)
        elif self.prose is not None:
            self.prose.append(data)


def read_html(html: str) -> Read:
    reader = _Reader()
    reader.feed(html)
    reader.read.text = " ".join("".join(reader.seen).split())
    return reader.read


def read_docx(path) -> tuple[list[str], list[list[list[str]]], list[str]]:
    """The Word file's headings (its title and level-1 headings), its tables, each as rows of cell texts, and its
    other paragraphs and list items (not the tables' captions)."""
    import docx

    word = docx.Document(str(path))
    headings = [p.text for p in word.paragraphs if p.style.name in ("Title", "Heading 1")]
    tables = [[[" ".join(c.text.split()) for c in row.cells] for row in t.rows] for t in word.tables]
    paragraphs = [" ".join(p.text.split()) for p in word.paragraphs
                  if p.style.name not in ("Title", "Heading 1", "Caption")]
    return headings, tables, paragraphs


def html_tables_as_rows(read: Read) -> list[list[list[str]]]:
    return [[t.head, *t.rows] for t in read.tables.values()]


# Numbers prose may hold that are not figures: dates, years, R-numbers, "12 months", "2–3 months", the threshold
# in the note on [c]; what is left is a figure, which must be cited as one.
NOT_FIGURES = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|"
                         r"December) \d{4}\b|\b(?:January|February|March|April|May|June|July|August|September|October|"
                         r"November|December) \d{4}\b|\b20\d\d\b|\bR\d{1,2}\b|\b12 months\b|\b2–3 months\b|"
                         r"\b14 days\b|fewer than \d+")
