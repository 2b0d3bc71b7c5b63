"""A small document model shared by the QA board report and the inspection evidence pack, and its two writers:
one self-contained printable HTML page (``documents/templates/board/document.html.j2``) and a Word document
(python-docx), from the same blocks, so that both say the same, heading for heading and cell for cell.

A figure in running text is a ``Fig``: its value as its table shows it, and where that table shows it (the
table's id, the row's header, the column's header). The HTML marks it so (``data-table``, ``data-row``,
``data-column``), and a test reads every one back against its table: a number in prose equals its table.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from markupsafe import Markup, escape

from ehqa.documents.templates import environment
from ehqa.site.tables import WITHHELD, WITHHELD_TITLE, Link, Table


@dataclass(frozen=True)
class Fig:
    """A figure in running text, exactly as the cell at (``row``, ``column``) of table ``table`` shows it."""

    value: object  # a count, a share ("38%"), or WITHHELD
    table: str
    row: str
    column: str


@dataclass(frozen=True)
class Para:
    parts: tuple  # text and Fig, in order


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple, ...]  # each item is parts, as a Para's


@dataclass(frozen=True)
class Grid:
    """A table: each row's first cell is its header; ``total`` a last row of totals."""

    id: str
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple, ...]
    total: tuple | None = None
    numeric_from: int = 1  # columns from this one on are figures, aligned right

    @classmethod
    def of(cls, id: str, table: Table) -> Grid:  # noqa: A002  (the HTML attribute's name)
        """One of the site's tables, as it shows it (a link becomes its text)."""
        return cls(id, table.caption, tuple(table.head), tuple(tuple(_plain(v) for v in row) for row in table.rows),
                   tuple(_plain(v) for v in table.total) if table.total else None, table.numeric_from)

    @property
    def withholds(self) -> bool:
        return any(v is WITHHELD for row in (*self.rows, self.total or ()) for v in row)

    def cell(self, row: str, column: str):
        """The value at the row headed ``row`` and the column headed ``column`` (KeyError when there is none)."""
        index = self.head.index(column)
        for found in (*self.rows, *((self.total,) if self.total else ())):
            if str(found[0]) == row:
                return found[index]
        raise KeyError(f"{self.id}: no row {row!r}")


def _plain(value):
    return value.text if isinstance(value, Link) else value


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    blocks: tuple = ()


PRIVATE = ("This document names cases. It is private to the service and whoever it is handed to (an inspector): "
           "keep it outside the learning site, and never publish it.")


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    lead: tuple  # blocks before the first section
    sections: tuple[Section, ...]
    note: str = ""  # what [c] means, under each table that has one
    private: bool = False
    as_of: date | None = None
    grids: dict[str, Grid] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for block in (*self.lead, *(b for s in self.sections for b in s.blocks)):
            if isinstance(block, Grid):
                if block.id in self.grids:
                    raise ValueError(f"two tables are called {block.id}")
                self.grids[block.id] = block


# --- HTML -------------------------------------------------------------------------------------------------


def render_html(document: Document) -> str:
    """The document as one self-contained HTML page: inline styles, no script, nothing fetched; prints on A4."""
    env = environment()
    env.filters["parts"] = _parts_html
    env.filters["cell"] = _cell_html
    env.tests.update(para=lambda b: isinstance(b, Para), bullets=lambda b: isinstance(b, Bullets),
                     grid=lambda b: isinstance(b, Grid))
    return env.get_template("board/document.html.j2").render(doc=document, private=PRIVATE)


def _cell_html(value) -> Markup:
    if value is WITHHELD:
        return Markup(f'<abbr title="{WITHHELD_TITLE}">[c]</abbr>')
    return escape(str(value))


def _parts_html(parts: tuple) -> Markup:
    out = []
    for part in parts:
        if isinstance(part, Fig):
            out.append(Markup('<span class="fig" data-table="{}" data-row="{}" data-column="{}">{}</span>').format(
                part.table, part.row, part.column, _cell_html(part.value)))
        else:
            out.append(escape(str(part)))
    return Markup("").join(out)


def text_of(parts: tuple) -> str:
    """Running text as a reader sees it: each figure as its cell shows it."""
    return "".join(str(p.value) if isinstance(p, Fig) else str(p) for p in parts)


# --- Word -------------------------------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    """The document as a Word file (python-docx): the same headings, paragraphs, lists and tables as the HTML.
    The same document always gives the same bytes (its dates are ``as_of``'s, its zip entries undated)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    word = docx.Document()
    page = word.sections[0]
    page.orientation, page.page_width, page.page_height = WD_ORIENT.PORTRAIT, Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Mm(15))
    word.styles["Normal"].font.size = Pt(10)
    stamp = datetime.combine(document.as_of or date(2000, 1, 1), time(0, 0))
    props = word.core_properties
    props.title, props.author, props.created, props.modified = document.title, "ehqa", stamp, stamp
    props.last_modified_by, props.revision = "ehqa", 1
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.subtitle)
    if document.private:
        word.add_paragraph().add_run(PRIVATE).bold = True
    for block in document.lead:
        _docx_block(word, block, document.note)
    for section in document.sections:
        word.add_heading(section.heading, level=1)
        for block in section.blocks:
            _docx_block(word, block, document.note)
    buffer = io.BytesIO()
    word.save(buffer)
    return _undated(buffer.getvalue())


def _docx_block(word, block, note: str) -> None:
    from docx.shared import Pt

    if isinstance(block, Para):
        word.add_paragraph(text_of(block.parts))
    elif isinstance(block, Bullets):
        for item in block.items:
            word.add_paragraph(text_of(item), style="List Bullet")
    elif isinstance(block, Grid):
        word.add_paragraph(block.caption, style="Caption")
        rows = [block.head, *block.rows, *((block.total,) if block.total else ())]
        table = word.add_table(rows=len(rows), cols=len(block.head))
        table.style = "Table Grid"
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = str(value)
                run = cell.paragraphs[0].runs
                for piece in run:
                    piece.font.size = Pt(8)
                    piece.bold = r == 0 or c == 0
        if note and block.withholds:
            word.add_paragraph(note)
    else:  # pragma: no cover - every block kind is above
        raise TypeError(f"not a block: {block!r}")


def _undated(data: bytes) -> bytes:
    """The zip again, every entry dated 1980-01-01: a Word file's bytes depend on its contents alone."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
