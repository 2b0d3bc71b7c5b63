"""Charts for the learning site: SVG written directly, as text, at build time, cached by the hash of their data.

Every chart is readable without colour and without JavaScript: the Okabe–Ito palette, which
stays distinct for colour-blind readers, and a hatching pattern for every series as well; a
``<title>`` and ``<desc>`` inside the SVG; alt text stating the finding and a caption on the page;
and the same figures as a table beside it (the templates' ``chart`` macro). Every figure a chart
writes is a ``<text class="v">`` and one its table shows (tests/browser/test_chart_text.py).

Legible on a phone (issue 13): a chart is laid out for a column :data:`WIDTH` CSS px wide, its text
all :data:`FONT` px, labels above their bars rather than beside them, so that drawn in the 343 px
column of a 375 px phone no text is under 12 px (13.5 px; 12.9 px in Zensical's narrower column). On
a desktop the page draws it at its own width (text 15 px), and never wider than :data:`MAX_WIDTH`
(the macro's ``max-width``). Text is text (``<text>``, the reader's own sans-serif), never outlines
or embedded fonts.

Fast (issue 13): writing the SVG with f-strings takes about a millisecond a chart, where matplotlib
took 0.15–0.3 s (benchmarks/site.py and docs/learning-site.md give the comparison), so charts are
drawn in the build's own process, and matplotlib is no longer needed to build the site (the heatmap's
colour scale, cividis, is a table of its values).

In the page's colour scheme: a chart (an ``<img>``) sees its page's ``color-scheme`` (Material's, per scheme) as its
``prefers-color-scheme``: :data:`DARK` makes its text light on the dark page (bars, figures on them unchanged).

A chart is named by the SHA-256 of its kind, data and words and this module's code, so an unchanged
chart is never drawn twice: it is kept in ``<work>/cache/charts/<sha256>.svg`` and copied into the
docs as ``assets/charts/<the first 16 hex digits, spelt as letters>.svg``. The SVG is reproducible:
the same data gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Callable, Iterator

from ehqa.atomic import write_atomic_bytes

log = logging.getLogger(__name__)

FOLDER = "assets/charts"  # inside the docs

# Okabe & Ito (2008), "Color Universal Design": distinct for the common kinds of colour blindness.
GRADE_STYLE = {  # colour, hatch
    "outstanding": ("#0072B2", ""),
    "good": ("#56B4E9", "///"),
    "requires-improvement": ("#E69F00", "---"),
    "inadequate": ("#D55E00", "xxx"),
    "inadequate-critical": ("#CC79A7", "\\\\\\"),
    "not-applicable": ("#FFFFFF", "..."),
    "withheld": ("#BBBBBB", "++"),  # what disclosure control withholds, as one part: the table gives it already
}
STATE_STYLE = {"on time": ("#009E73", ""), "late": ("#F0E442", "---"), "open": ("#56B4E9", "///"),
               "overdue": ("#D55E00", "xxx"), "withheld": GRADE_STYLE["withheld"]}
SERIES_STYLE = (("#0072B2", ""), ("#E69F00", "///"))
WITHHELD = "[c]"  # a share disclosure control withholds (privacy.disclosure): no bar, and the symbol
INK = "#1a1a1a"
DARK = ("<style>@media (prefers-color-scheme: dark){.ehqa-svg{fill:#e3e3e8}"  # light: 12.6:1 on slate's #1e2029
        ".ehqa-svg .gap{stroke:#1e2029}.ehqa-svg .empty{fill:#1e2029}.ehqa-svg .empty+text{fill:#e3e3e8}}</style>")
_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
WIDTH = 380  # CSS px: the chart's own width (its viewBox), laid out for a phone's column
MAX_WIDTH = 532  # CSS px: the most a page may draw it (1.4 x), so that its text stays under about 21 px
FONT = 15  # px, every text: 15 x 343 / 380 = 13.5 px in the 343 px column of a 375 px phone (Zensical: 328 px, 12.9)
LINE = 19  # px between lines of text
BAR = 22  # px, the height of a bar
_CHAR = 0.6  # a sans-serif character's width, in ems, at most for the common ones: for wrapping labels


@dataclass(frozen=True)
class Chart:
    kind: str  # the drawing function, in DRAW
    data: dict  # JSON-able; everything the drawing needs
    title: str
    alt: str  # the text alternative: states what the chart shows
    digest: str = field(default="", compare=False)

    @property
    def path(self) -> str:
        """Where the chart sits in the docs: named by its digest spelt in letters only, as a run of
        digits in a hash could look like a case reference to the leak scan (and to a reader)."""
        return f"{FOLDER}/{self.digest[:16].translate(_LETTERS)}.svg"

    @property
    def max_width(self) -> int:
        """The widest, in CSS px, a page should draw the chart (the macro's ``max-width``)."""
        return MAX_WIDTH


@lru_cache(maxsize=1)
def _code_version() -> str:
    """This module's code: a change to it draws every chart again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def make_chart(kind: str, data: dict, title: str, alt: str) -> Chart:
    payload = json.dumps({"kind": kind, "data": data, "title": title, "alt": alt, "code": _code_version()},
                         sort_keys=True, ensure_ascii=False)
    return Chart(kind, data, title, alt, hashlib.sha256(payload.encode("utf-8")).hexdigest())


def cached(chart: Chart, cache_dir: Path | None) -> bytes | None:
    """The chart's SVG from the cache, or None when it has to be drawn."""
    path = cache_dir / f"{chart.digest}.svg" if cache_dir else None
    return path.read_bytes() if path is not None and path.is_file() else None


def store(chart: Chart, svg: bytes, cache_dir: Path | None) -> None:
    if cache_dir is not None:
        write_atomic_bytes(cache_dir / f"{chart.digest}.svg", svg)


def draw_many(charts: list[Chart], workers: int = 1) -> Iterator[tuple[Chart, bytes]]:
    """Draw the charts, in this process: at about a millisecond a chart, starting worker processes would
    cost more than it saves (``workers`` is kept for the callers; it is not used)."""
    for chart in charts:
        yield chart, draw(chart)


def draw(chart: Chart) -> bytes:
    canvas = DRAW[chart.kind](chart.data)
    return canvas.svg(chart.title, chart.alt).encode("utf-8")


# --- the canvas: SVG elements, written as text ------------------------------------------------

_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"  # the reader's own fonts; none fetched
_HATCHES = {  # matplotlib's hatch names (the styles above), as SVG patterns 6 px square
    "///": ("fwd", '<path d="M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5"/>'),
    "\\\\\\": ("back", '<path d="M-1,5 L1,7 M0,0 L6,6 M5,-1 L7,1"/>'),
    "---": ("flat", '<path d="M0,3 H6"/>'),
    "xxx": ("cross", '<path d="M0,6 L6,0 M0,0 L6,6"/>'),
    "...": ("dots", '<circle cx="3" cy="3" r="0.9" fill="#1a1a1a"/>'),
    "++": ("plus", '<path d="M3,0 V6 M0,3 H6"/>'),
}


def _n(value: float) -> str:
    """A coordinate, to a tenth of a pixel: short, and the same on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, bold: bool = False) -> float:
    """About how wide ``text`` is drawn at :data:`FONT` px: for wrapping, and for whether a figure fits its bar."""
    return len(text) * FONT * (_CHAR + (0.04 if bold else 0))


def wrap(text: str, width: float = WIDTH) -> list[str]:
    """Words into lines no wider than ``width`` (a word longer than that has a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


class Canvas:
    """The elements of one chart, top to bottom: ``y`` is where the next thing goes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.hatches: dict[str, str] = {}
        self.y = 2.0

    def rect(self, x: float, y: float, w: float, h: float, fill: str, hatch: str = "", stroke: str = INK,
             cls: str = "") -> None:
        box = f'x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"' + (f' class="{cls}"' if cls else "")
        self.parts.append(f'<rect {box} fill="{fill}" stroke="{stroke}" stroke-width="0.6"/>')
        if hatch:
            name, shape = _HATCHES[hatch]
            self.hatches[name] = shape
            self.parts.append(f'<rect {box} fill="url(#h-{name})"/>')

    def text(self, x: float, y: float, words: str, anchor: str = "start", figure: bool = False, fill: str = INK,
             bold: bool = False) -> None:
        """A line of text centred on ``y``; a figure (a number the table beside shows) has class="v"."""
        extra = (' class="v"' if figure else "") + (' font-weight="bold"' if bold else "")
        extra += f' text-anchor="{anchor}"' if anchor != "start" else ""
        extra += f' fill="{fill}"' if fill != INK else ""
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}"{extra}>{escape(words)}</text>')

    def figure_on(self, x: float, y: float, words: str, background: str) -> None:
        """A figure centred on (x, y) inside a bar, on a patch of the bar's plain colour (not its hatching)."""
        from_x = x - text_width(words, bold=True) / 2 - 2
        self.parts.append(f'<rect x="{_n(from_x)}" y="{_n(y - FONT / 2 - 1)}" width="{_n(text_width(words, True) + 4)}" '
                          f'height="{_n(FONT + 2)}" fill="{background}"/>')
        self.text(x, y, words, anchor="middle", figure=True, fill=_readable_on(_rgb(background)), bold=True)

    def lines(self, words: str, width: float = WIDTH) -> None:
        """Text across the chart, wrapped, from the left."""
        for line in wrap(words, width):
            self.text(0, self.y + LINE / 2, line)
            self.y += LINE

    def legend(self, items: list[tuple[str, str, str]]) -> None:
        """Swatches (colour, hatch) and their names, flowing into as many lines as they need."""
        x = 0.0
        for colour, hatch, name in items:
            width = FONT + 5 + text_width(name)
            if x and x + width > WIDTH:
                x, self.y = 0.0, self.y + LINE + 2
            self.rect(x + 0.5, self.y + 2, FONT, FONT, colour, hatch)
            self.text(x + FONT + 5, self.y + LINE / 2 + 0.5, name)
            x += width + 12
        self.y += LINE + 8

    def svg(self, title: str, alt: str) -> str:
        height = _n(self.y + 2)
        patterns = "".join(f'<pattern id="h-{name}" width="6" height="6" patternUnits="userSpaceOnUse">{shape}</pattern>'
                           for name, shape in sorted(self.hatches.items()))
        return ('<?xml version="1.0" encoding="utf-8"?>\n'
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
                f'viewBox="0 0 {WIDTH} {height}" class="ehqa-svg" role="img" aria-labelledby="chart-title chart-desc" '
                f'font-family="{_FAMILY}" font-size="{FONT}" fill="{INK}" dominant-baseline="central">'
                f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(alt)}</desc>{DARK}'
                f'<defs><g stroke="{INK}" stroke-width="0.7" stroke-opacity="0.8" fill="none">{patterns}</g></defs>'
                + "".join(self.parts) + "</svg>\n")


# --- the drawings -------------------------------------------------------------------------------

def _stacked_rows(data: dict) -> Canvas:
    """Bars, one per row (its label above it), each split into the series (grades or states), with counts."""
    rows, series = data["rows"], data["series"]  # rows: [[label, [counts…]]]; series: [[key, label]]
    styles = GRADE_STYLE if data.get("style") == "grades" else STATE_STYLE
    canvas = Canvas()
    canvas.legend([(*styles[key], name) for key, name in series])
    inner = WIDTH - 2
    for label, counts in rows:
        canvas.lines(label)
        total = sum(counts) or 1
        x = 1.0
        for (key, _), value in zip(series, counts):
            width = inner * value / total
            if not width:
                continue
            colour, hatch = styles[key]
            canvas.rect(x, canvas.y, width, BAR, colour, hatch)
            words = WITHHELD if key == "withheld" else str(value)
            if width >= text_width(words, bold=True) + 6:
                canvas.figure_on(x + width / 2, canvas.y + BAR / 2, words, colour)
            x += width
        canvas.y += BAR + 8
    canvas.lines(data.get("xlabel", "share of audits (%); the numbers are counts"))
    return canvas


def _compare(data: dict) -> Canvas:
    """Two series for each category (its label above them), as shares, labelled at the bar ends."""
    categories, series = data["categories"], data["series"]  # series: [[label, [shares…]]]
    canvas = Canvas()
    canvas.legend([(*SERIES_STYLE[i % len(SERIES_STYLE)], name) for i, (name, _) in enumerate(series)])
    most = max([v for _, vs in series for v in vs if v is not None] + [10])
    room = WIDTH - 2 - text_width("100%") - 6
    for index, category in enumerate(categories):
        canvas.lines(category)
        for number, (_, values) in enumerate(series):
            colour, hatch = SERIES_STYLE[number % len(SERIES_STYLE)]
            value = values[index]
            width = room * (value or 0) / most
            if width:
                canvas.rect(1, canvas.y + 1, width, BAR - 4, colour, hatch)
            canvas.text(width + 6, canvas.y + BAR / 2 - 1, WITHHELD if value is None else f"{value:.0f}%", figure=True)
            canvas.y += BAR - 2
        canvas.y += 8
    canvas.lines("share of audits (%)")
    return canvas


def _counts(data: dict) -> Canvas:
    """One series of counts over time, a bar a row, each labelled with its count."""
    labels, values = [_month(str(label)) for label in data["labels"]], data["values"]
    canvas = Canvas()
    canvas.lines(data.get("ylabel", "audits"))
    canvas.y += 2
    left = max([text_width(label) for label in labels] + [0]) + 8
    room = WIDTH - left - text_width("0000") - 6
    most = max(values + [1])
    colour, hatch = SERIES_STYLE[0]
    for label, value in zip(labels, values):
        middle = canvas.y + BAR / 2
        canvas.text(left - 8, middle, label, anchor="end")
        width = room * value / most
        if width:
            canvas.rect(left, canvas.y + 2, width, BAR - 4, colour, hatch)
        canvas.text(left + width + 5, middle, str(value), figure=True)
        canvas.y += BAR
    return canvas


def _month(label: str) -> str:
    """A cycle's id as its table names it, in words: 2026-03 is "Mar 2026" (the table: "March 2026")."""
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", label):
        return f"{_MONTHS[int(label[5:]) - 1]} {label[:4]}"
    return label


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _heatmap(data: dict) -> Canvas:
    """Rows × columns of shares (each row's label above it), each cell printed with its value; colour only
    repeats the number."""
    rows, columns, cells = data["rows"], data["columns"], data["cells"]
    # cells[r][c]: a share, None where nothing was graded, "c" where disclosure control withholds it
    canvas = Canvas()
    cell = min(WIDTH / max(len(columns), 1), 64.0)
    for c, column in enumerate(columns):
        canvas.text(c * cell + cell / 2, canvas.y + LINE / 2, str(column), anchor="middle")
    canvas.y += LINE + 4
    for name, row in zip(rows, cells):
        canvas.lines(name)
        for c, value in enumerate(row):
            number = value if isinstance(value, (int, float)) else None
            shade = _cividis(number) if number is not None else "#ffffff"
            canvas.rect(c * cell + 0.5, canvas.y, cell - 1, BAR + 2, shade, stroke="#ffffff" if number is not None
                        else "#767676", cls="gap" if number is not None else "empty")
            words = "–" if value is None else WITHHELD if value == "c" else f"{value:.0f}"
            canvas.text(c * cell + cell / 2, canvas.y + BAR / 2 + 1, words, anchor="middle", figure=value is not None,
                        fill=_readable_on(_rgb(shade)))
        canvas.y += BAR + 8
    canvas.lines(data.get("xlabel", ""))
    return canvas


def _stacked_columns(data: dict) -> Canvas:
    """Columns, one per month, each split by grade, with their totals above them."""
    columns, series = data["columns"], data["series"]  # series: [[key, label, [counts per column]]]
    canvas = Canvas()
    canvas.legend([(*GRADE_STYLE[key], name) for key, name, _ in series])
    canvas.lines("audits")
    slot = min(WIDTH / max(len(columns), 1), 64.0)
    bar = min(slot * 0.72, 40.0)
    totals = [sum(values[i] for _, _, values in series) for i in range(len(columns))]
    scale = 150 / max(totals + [1])
    base = canvas.y + LINE + 150
    bottom = [0.0] * len(columns)
    for key, _, values in series:
        colour, hatch = GRADE_STYLE[key]
        for i, value in enumerate(values):
            if value:
                height = value * scale
                canvas.rect(i * slot + (slot - bar) / 2, base - bottom[i] - height, bar, height, colour, hatch)
                bottom[i] += height
    for i, (column, total) in enumerate(zip(columns, totals)):
        canvas.text(i * slot + slot / 2, base - bottom[i] - LINE / 2, str(total), anchor="middle", figure=True)
        canvas.text(i * slot + slot / 2, base + LINE / 2 + 2, str(column), anchor="middle")
    canvas.y = base + LINE + 6
    return canvas


def _cividis(share: float) -> str:
    """The share's colour on matplotlib's cividis scale (distinct for colour-blind readers, and in grey), read
    from a table of it rather than from matplotlib, whose import alone took longer than drawing every chart."""
    at = 6 * min(100, max(0, round(share)))
    return f"#{_CIVIDIS[at:at + 6]}"


_CIVIDIS = (  # matplotlib's cividis at 0, 1, … 100%: six hex digits each (tests/unit/site/test_charts_speed.py)
    "00224e002451002656002859002a5f002b62002d68002e6c0030700132710833701235701637701c396f203a6f243c6e273e6e2b406d"
    "2f426d32436d35456c38476c3b496c3d4a6c404c6c434e6c45506c48526c4a536c4d556c4f576c52596d545a6d565c6d595e6e5b606e"
    "5e626e5f636f62656f646770666970686a716b6d726d6f726f70737272747374757676767777777a7a787d7c787e7d78817f78838179"
    "8683798885788b87788d8878908b78928d78948e779791779992779c95769e9676a19975a39a74a69c74a99f73aba072aea371b0a571"
    "b4a76fb6a96fb9ab6dbcae6cbeaf6bc1b26ac3b369c6b667c8b866ccba64cebc63d1bf61d4c15fd6c35ddac65bdcc859dfca57e1cc55"
    "e5cf52e7d150ead34ceed649f0d846f3db42f6dd3ff9e03afce236fee535fee838"
)


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def _luminance(rgb) -> float:
    """WCAG relative luminance of an (r, g, b) in 0–1."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _readable_on(background) -> str:
    """Black or white, whichever contrasts more with the background (WCAG contrast ratio). Pure black, not
    INK: one of the two is then at least 4.58:1 on any colour, where INK and white fall to 4.19:1 on a
    mid-grey (the middle of the heatmap's scale)."""
    lum = _luminance(background)
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"


DRAW: dict[str, Callable[[dict], Canvas]] = {
    "stacked_rows": _stacked_rows,
    "compare": _compare,
    "counts": _counts,
    "heatmap": _heatmap,
    "stacked_columns": _stacked_columns,
}
