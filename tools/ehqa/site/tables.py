"""The site's data tables, built here and written as HTML by the templates' ``table`` macro.

HTML rather than Markdown tables: each has a ``<caption>``, column headers and a row header
(``scope``), which screen readers announce, and MkDocs passes raw HTML through many times faster
than it parses Markdown tables, which matters with hundreds of pages. Every value is escaped by
the template environment; a ``Link`` is written relative to the page, to the ``.html`` file
(``use_directory_urls: false`` in mkdocs.yml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from ehqa.model.wording import month_name


class Withheld:
    """A figure withheld by disclosure control (``privacy.disclosure``), shown as ``[c]`` ("confidential"),
    the symbol the Government Statistical Service's guidance uses."""

    def __repr__(self) -> str:
        return "WITHHELD"

    def __str__(self) -> str:
        return "[c]"


WITHHELD = Withheld()
# In every withheld cell, and in a visible note under each table that has one, which screen readers read.
WITHHELD_TITLE = "not shown to protect privacy"
WITHHELD_HTML = f'<abbr title="{WITHHELD_TITLE}">[c]</abbr>'


def withheld_note(k: int) -> str:
    return (f"[c]: not shown to protect privacy: fewer than {k}, or a figure from which one could be worked "
            "out. A figure is the same wherever it appears on this site.")


@dataclass(frozen=True)
class Link:
    page: str  # the Markdown page, from the docs root: cycles/2026-10.md
    text: str
    anchor: str = ""  # a place on the page: r13

    @property
    def href(self) -> str:
        return self.page.removesuffix(".md") + ".html" + (f"#{self.anchor}" if self.anchor else "")


def rule_link(row: str) -> Link:
    """A rule's number, linked to where the framework page says what it is: ``R13`` -> framework.html#r13."""
    number = row.split(" ")[0]
    return Link("framework.md", number, number.lower())


def cycle_link(cycle_id: str) -> Link:
    """A link to a cycle's page, by its month: ``October 2026``."""
    return Link(f"cycles/{cycle_id}.md", month_name(cycle_id))


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)  # the first cell of each row is its header
    numeric_from: int = 1  # columns from this one on are figures, aligned right
    total: tuple | None = None  # a last row of totals, in <tfoot>

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def withholds(self) -> bool:
        return any(v is WITHHELD for row in (*self.rows, self.total or ()) for v in row)

    def html(self, root: str, note: str = "") -> Markup:
        """The table as HTML, for a page ``root`` (``../``) below the docs' root. Figures are right-aligned
        by the stylesheet; the text columns say so. ``note`` explains ``[c]``, under a table that has one."""
        head = "".join(f'<th scope="col"{self._text(i)}>{escape(h)}</th>' for i, h in enumerate(self.head))
        # The box is focusable and named, so that a table wider than the page can be scrolled from the
        # keyboard (WCAG 2.1.1; axe's scrollable-region-focusable); the stylesheet makes it the one that scrolls.
        # Its figures are left out of the search index (data-search-exclude): a search for "42%" helps nobody,
        # and the index of a 10-year site stays a third of the size.
        caption = escape(self.caption)
        parts = [f'<div class="ehqa-table" role="region" tabindex="0" aria-label="{caption}" data-search-exclude>', "<table>",
                 f"<caption>{caption}</caption>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
        parts.extend(self._row(row, root) for row in self.rows)
        parts.append("</tbody>")
        if self.total:
            parts.append(f"<tfoot>{self._row(self.total, root)}</tfoot>")
        parts.append("</table>")
        if note and self.withholds:
            parts.append(f'<p class="ehqa-note">{escape(note)}</p>')
        parts.append("</div>")
        return Markup("\n".join(parts))

    def _text(self, index: int) -> str:
        return ' class="ehqa-text"' if 0 < index < self.numeric_from else ""

    def _row(self, row: tuple, root: str) -> str:
        cells = [f'<th scope="row">{_cell(row[0], root)}</th>']
        cells.extend(f"<td{self._text(i)}>{_cell(v, root)}</td>" for i, v in enumerate(row[1:], 1))
        return "<tr>" + "".join(cells) + "</tr>"


def _cell(value, root: str) -> str:
    if value is WITHHELD:
        return WITHHELD_HTML
    if isinstance(value, Link):
        return f'<a href="{escape(root + value.href)}">{escape(value.text)}</a>'
    return escape(str(value))


def grade_table(caption: str, labels: list[str], counts, shares) -> Table:
    """Grades with their counts and shares, as ``figures`` gives them (a value or WITHHELD)."""
    return Table(caption, ("grade", "audits", "share"), [(label, n, p) for label, n, p in zip(labels, counts, shares)])


def followup_table(caption: str, titles: dict[str, str], rows) -> Table:
    """Follow-ups by rule (``figures.Figures.followups``): on time, late, overdue, not yet due, and the share
    on time of those due; the ``all`` row is the total."""
    head = ("rule", "follow-up", "on time", "late", "overdue", "not yet due", "on time, of those due")
    body = [(rule_link(rule), titles.get(rule, rule), cells[0], cells[1], cells[3], cells[2], good)
            for rule, cells, good in rows if rule != "all"]
    total = next(((("All", "", cells[0], cells[1], cells[3], cells[2], good)) for rule, cells, good in rows
                  if rule == "all"), None)
    return Table(caption, head, body, numeric_from=2, total=total)
