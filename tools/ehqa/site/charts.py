"""Charts for the learning site: SVG drawn at build time by matplotlib, cached by the hash of their data.

Every chart is readable without colour and without JavaScript: the Okabe–Ito palette, which
stays distinct for colour-blind readers, and a hatching pattern for every series as well; a
``<title>`` and ``<desc>`` inside the SVG; alt text stating the finding and a caption on the page;
and the same figures as a table beside it (the templates' ``chart`` macro).

A chart is named by the SHA-256 of its kind, data and words, this module's code and matplotlib's version, so an
unchanged chart is never drawn twice: it is kept in ``<work>/cache/charts/<sha256>.svg`` and
copied into the docs as ``assets/charts/<the first 16 hex digits, spelt as letters>.svg``. The SVG is reproducible (fixed
``svg.hashsalt``, no date in its metadata, text as text rather than embedded fonts).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib.metadata import version
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
_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
_RC = {
    "svg.fonttype": "none",  # text stays text: no fonts embedded, none fetched
    "svg.hashsalt": "ehqa",  # stable ids, so that the same data gives the same bytes
    "font.family": "sans-serif",
    "font.size": 10,
    "hatch.linewidth": 0.7,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


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


@lru_cache(maxsize=1)
def _code_version() -> str:
    """This module's code and matplotlib's version: a change to either draws every chart again."""
    return hashlib.sha256(Path(__file__).read_bytes() + version("matplotlib").encode()).hexdigest()


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
    """Draw the charts, in worker processes when there are many (each chart takes about 0.15 s)."""
    if workers > 1 and len(charts) >= 8 and "fork" in multiprocessing.get_all_start_methods():
        draw(charts[0])  # import matplotlib and load its fonts once, here: the forked workers inherit them
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from zip(charts, pool.map(draw, charts, chunksize=4))
        return
    for chart in charts:
        yield chart, draw(chart)


def draw(chart: Chart) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        figure = DRAW[chart.kind](Figure, chart.data)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return _label(buffer.getvalue(), chart)


def _label(svg: bytes, chart: Chart) -> bytes:
    """Put the title and the text alternative inside the SVG, for readers that open it on its own."""
    text = svg.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start) + 1
    opening = text[start:end].replace("<svg", '<svg role="img" aria-labelledby="chart-title chart-desc"', 1)
    inside = f'<title id="chart-title">{escape(chart.title)}</title><desc id="chart-desc">{escape(chart.alt)}</desc>'
    return (text[:start] + opening + inside + text[end:]).encode("utf-8")


# --- the drawings -------------------------------------------------------------------------------

def _stacked_rows(Figure, data: dict):
    """Horizontal bars, one per row, each split into the series (grades or states), with counts."""
    rows, series = data["rows"], data["series"]  # rows: [[label, [counts…]]]; series: [[key, label]]
    from matplotlib.colors import to_rgb

    styles = GRADE_STYLE if data.get("style") == "grades" else STATE_STYLE
    figure = Figure(figsize=(7.5, 0.9 + 0.42 * len(rows)))
    ax = figure.subplots()
    labels = [row[0] for row in rows][::-1]
    left = [0] * len(rows)
    for index, (key, name) in enumerate(series):
        values = [row[1][index] for row in rows][::-1]
        totals = [sum(row[1]) or 1 for row in rows][::-1]
        widths = [100 * v / t for v, t in zip(values, totals)]
        colour, hatch = styles[key]
        bars = ax.barh(labels, widths, left=left, color=colour, hatch=hatch, edgecolor=INK, linewidth=0.6, label=name)
        ink = _readable_on(to_rgb(colour))
        for bar, value, width in zip(bars, values, widths):
            if value and width >= 7:
                ax.text(bar.get_x() + width / 2, bar.get_y() + bar.get_height() / 2,
                        WITHHELD if key == "withheld" else str(value), ha="center", va="center", fontsize=8,
                        color=ink, fontweight="bold")
        left = [a + b for a, b in zip(left, widths)]
    ax.set_xlim(0, 100)
    ax.set_xlabel(data.get("xlabel", "share of audits (%); the numbers are counts"))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(series), 5), frameon=False,
              fontsize=8, handlelength=1.6, columnspacing=1.0)
    return figure


def _compare(Figure, data: dict):
    """Two series side by side for each category, as shares, labelled at the bar ends."""
    categories, series = data["categories"], data["series"]  # series: [[label, [shares…]]]
    figure = Figure(figsize=(7.5, 1.0 + 0.55 * len(categories)))
    ax = figure.subplots()
    height = 0.38
    positions = list(range(len(categories)))[::-1]
    for index, (name, values) in enumerate(series):
        colour, hatch = SERIES_STYLE[index % len(SERIES_STYLE)]
        ys = [p + (height / 2 if index == 0 else -height / 2) for p in positions]
        bars = ax.barh(ys, [v or 0 for v in values], height=height, color=colour, hatch=hatch, edgecolor=INK,
                       linewidth=0.6, label=name)
        for bar, value in zip(bars, values):
            ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2,
                    WITHHELD if value is None else f"{value:.0f}%", va="center", fontsize=8)
    ax.set_yticks(positions, categories)
    ax.set_xlim(0, max([v for _, vs in series for v in vs if v is not None] + [10]) * 1.18)
    ax.set_xlabel("share of audits (%)")
    ax.legend(loc="lower right", frameon=False)
    return figure


def _counts(Figure, data: dict):
    """One series of counts over time, each bar labelled with its count."""
    labels, values = data["labels"], data["values"]
    figure = Figure(figsize=(7.5, 2.8))
    ax = figure.subplots()
    colour, hatch = SERIES_STYLE[0]
    bars = ax.bar(range(len(values)), values, color=colour, hatch=hatch, edgecolor=INK, linewidth=0.6)
    for bar, value in zip(bars, values):
        if value:
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(value), ha="center", va="bottom", fontsize=7)
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    ax.set_ylabel(data.get("ylabel", "audits"))
    ax.set_ylim(0, max(values + [1]) * 1.2)
    return figure


def _heatmap(Figure, data: dict):
    """Rows × columns of shares, each cell printed with its value; colour only repeats the number."""
    rows, columns, cells = data["rows"], data["columns"], data["cells"]
    figure = Figure(figsize=(max(5.0, 1.8 + 0.55 * len(columns)), 0.9 + 0.42 * len(rows)))
    ax = figure.subplots()
    import matplotlib

    cmap = matplotlib.colormaps["cividis"]
    # cells[r][c]: a share, None where nothing was graded, "c" where disclosure control withholds it
    numbers = [[v if isinstance(v, (int, float)) else None for v in row] for row in cells]
    grid = [[float("nan") if v is None else v for v in row] for row in numbers]
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=100, aspect="auto")
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            shade = cmap(numbers[r][c] / 100) if numbers[r][c] is not None else (1, 1, 1, 1)
            label = "–" if value is None else WITHHELD if value == "c" else f"{value:.0f}"
            ax.text(c, r, label, ha="center", va="center", fontsize=8, color=_readable_on(shade))
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(data.get("xlabel", ""))
    return figure


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


def _stacked_columns(Figure, data: dict):
    """Vertical bars, one per column (month), each split by grade, with counts."""
    columns, series = data["columns"], data["series"]  # series: [[key, label, [counts per column]]]
    figure = Figure(figsize=(7.5, 3.4))
    ax = figure.subplots()
    bottom = [0] * len(columns)
    for key, name, values in series:
        colour, hatch = GRADE_STYLE[key]
        ax.bar(range(len(columns)), values, bottom=bottom, color=colour, hatch=hatch, edgecolor=INK,
               linewidth=0.6, label=name)
        bottom = [a + b for a, b in zip(bottom, values)]
    for index, total in enumerate(bottom):
        ax.text(index, total, str(total), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(columns)), columns)
    ax.set_ylabel("audits")
    ax.set_ylim(0, max(bottom + [1]) * 1.15)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    return figure


DRAW: dict[str, Callable] = {
    "stacked_rows": _stacked_rows,
    "compare": _compare,
    "counts": _counts,
    "heatmap": _heatmap,
    "stacked_columns": _stacked_columns,
}
