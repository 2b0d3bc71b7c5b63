"""Chart text in a real browser (issue 13, item 11): legible on a phone and a desktop, text rather than
outlines, and the same figures as the table beside the chart.

The demo site is built once (test_site_browser.py's fixtures) and every page with a chart is opened
in Chromium at 375 px and at 1280 px. For each chart, its SVG is read as the page reads it and drawn
into the page at the width the page gives the chart's <img>; the browser then says how large each
``<text>`` is in CSS px (its computed font size times the scale its transforms and viewBox give it).
Today's main drew text at 8–10 px on a desktop and 4–5 px on a phone; none may be under 12 px.

A screenshot of a chart of each kind of page, at each width, goes to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
import test_site_browser as shared
from test_site_browser import SCREENSHOTS, visit

# test_site_browser.py's fixtures: the browser, the demo site built once, its server, one page of each kind.
browser, site, base_url, pages = shared.browser, shared.site, shared.base_url, shared.pages

SMALLEST = 12.0  # CSS px
WIDTHS = (375, 1280)

# For every chart of the page: the width the page draws it at, the size in CSS px of each of its texts
# drawn at that width, its figures (text class="v") and the text of each cell of the table beside it.
MEASURE = """async () => {
  const charts = [];
  const images = [...document.querySelectorAll('.ehqa-chart img')];
  // Loaded, as a reader scrolling to them has them: until then a lazy image has no width of its own.
  await Promise.all(images.map(img => { img.loading = 'eager'; return img.decode().catch(() => null); }));
  for (const img of images) {
    const width = img.getBoundingClientRect().width;
    const source = await (await fetch(img.src)).text();
    const parsed = new DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
    const svg = document.importNode(parsed, true);
    const box = svg.viewBox.baseVal;
    svg.setAttribute('width', width);
    svg.setAttribute('height', width * box.height / box.width);
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute; left:0; top:0; visibility:hidden';
    holder.appendChild(svg);
    document.body.appendChild(holder);
    const texts = [];
    for (const t of svg.querySelectorAll('text')) {
      const words = t.textContent.trim();
      if (!words) continue;
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      texts.push([words, px]);
    }
    const figures = [...svg.querySelectorAll('text.v')].map(t => t.textContent.trim());
    holder.remove();
    const data = img.closest('.ehqa-chart').querySelector('.ehqa-data');
    const cells = data ? [...data.querySelectorAll('td, th')].map(c => c.textContent.trim()) : [];
    charts.push({src: img.getAttribute('src'), width, texts, figures, cells,
                 glyphs: /<(path|use)[^>]*(id|href)="#?DejaVu/.test(source)});
  }
  return charts;
}"""


def _tokens(text: str) -> set[str]:
    """The figures of a text: counts, shares without their %, and [c] where a figure is withheld."""
    return set(re.findall(r"\[c\]|\d+(?:\.\d+)?", text))


@pytest.fixture(scope="module")
def chart_pages(site) -> list[str]:
    found = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                   if 'class="ehqa-chart"' in path.read_text(encoding="utf-8"))
    assert len(found) >= 20, f"the demo site has charts on only {len(found)} pages"
    return found


@pytest.mark.rule("R21")
@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_never_under_12_css_px_and_the_figures_are_the_tables(browser, base_url, chart_pages,
                                                                            pages, width: int) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}, locale="en-GB")
    context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
    # Nothing here searches: without its index Material's search worker does not build an index on each page's
    # load (a fifth of the browser's work here); the charts and their tables are laid out as ever.
    context.route("**/search/search_index.json", lambda route: route.abort())
    page = context.new_page()
    small, unmatched, measured = [], [], 0
    try:
        for path in chart_pages:
            visit(page, base_url + path, until="load")  # MEASURE loads each chart itself: no idle wait per page
            for chart in page.evaluate(MEASURE):
                measured += 1
                where = f"{path} {chart['src']} (drawn {chart['width']:.0f} px wide)"
                assert chart["texts"], f"{where}: no text in the SVG"
                assert not chart["glyphs"], f"{where}: text drawn as glyph outlines, not text"
                size, words = min((px, words) for words, px in chart["texts"])
                if size < SMALLEST:
                    small.append(f"{where}: {words!r} at {size:.1f} px")
                shown = set().union(*map(_tokens, chart["cells"]))
                drawn = set().union(*map(_tokens, chart["figures"])) if chart["figures"] else set()
                if not drawn or not drawn <= shown:
                    unmatched.append(f"{where}: figures {sorted(drawn)}, the table has {sorted(shown)[:30]}")
        for kind in ("home", "cycle", "theme", "year"):
            visit(page, base_url + pages[kind])
            figure = page.locator(".ehqa-figure").first
            figure.scroll_into_view_if_needed()
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            figure.screenshot(path=str(SCREENSHOTS / f"chart-{kind}-{width}.png"))
    finally:
        context.close()
    assert measured >= 20
    assert not small, f"at {width} px, chart text under {SMALLEST:.0f} CSS px:\n" + "\n".join(small[:20])
    assert not unmatched, "charts without figures, or with figures their table does not show:\n" + "\n".join(
        unmatched[:20])
