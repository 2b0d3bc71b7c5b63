"""Issue 15, items 2 and 5: the QA board report and the inspection evidence pack print on A4 with every table column.

Both are written once from the committed demo (its October 2026 cycle; the 12 cycles to it), opened in Debian's
headless Chromium (never `playwright install`) from the file itself, with nothing served: they are self-contained.
Printed with ``page.pdf(format="A4")``, the PDF's text (pypdf) holds every column header of every table; laid out
for print at the width of A4 less the page margins, no table, and no cell, is wider than the paper.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import test_site_browser as shared

from board_html import read_html
from conftest import AS_OF, ROOT

# A4 (210 mm) less the 15 mm margins of the documents' @page, in CSS pixels (96 to the inch).
CONTENT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)

# test_site_browser.py's browser: Debian's chromium, launched once for the module (skipped outside CI without it).
browser = shared.browser


@pytest.fixture(scope="module")
def documents(tmp_path_factory, ehqa) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("board-print")
    for args in (("board-report", "2026-10"), ("evidence", "--from", "2025-11", "--to", "2026-10")):
        result = ehqa(*args, "--repo", ROOT, "--out", out, "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
    return {"board report": out / "board-report-2026-10.html", "evidence pack": out / "evidence-2025-11-to-2026-10.html"}


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    yield page
    context.close()


def _squeezed(text: str) -> str:
    """Text without white space: a header wrapped over two lines in a narrow column is still found."""
    return "".join(text.split())


@pytest.mark.parametrize("which", ["board report", "evidence pack"])
def test_printed_to_pdf_on_a4_every_table_column_header_is_there(page, documents, which: str) -> None:
    from pypdf import PdfReader

    path = documents[which]
    read = read_html(path.read_text(encoding="utf-8"))
    assert len(read.tables) >= 5
    page.goto(path.as_uri())
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    width_mm = float(pages[0].mediabox.width) / 72 * 25.4
    assert abs(width_mm - 210) < 1, f"printed {width_mm:.0f} mm wide, not A4"
    text = _squeezed(" ".join(p.extract_text() or "" for p in pages))
    missing = [f"{table.caption}: {header!r}" for table in read.tables.values() for header in table.head
               if header and _squeezed(header) not in text]
    assert not missing, f"{which}: column headers missing from the printed PDF:\n" + "\n".join(missing)


@pytest.mark.parametrize("which", ["board report", "evidence pack"])
def test_laid_out_for_print_no_table_is_wider_than_a4(page, documents, which: str) -> None:
    page.emulate_media(media="print")
    page.set_viewport_size({"width": CONTENT_WIDTH, "height": 1000})
    page.goto(documents[which].as_uri())
    found = page.evaluate(f"""() => {{
      const out = [];
      for (const table of document.querySelectorAll("table")) {{
        const box = table.getBoundingClientRect();
        const cells = [...table.querySelectorAll("th, td")].filter(c => c.getBoundingClientRect().right > {CONTENT_WIDTH} + 1);
        if (box.right > {CONTENT_WIDTH} + 1 || cells.length || table.scrollWidth > table.clientWidth + 1) {{
          out.push(`${{table.id}}: ${{Math.round(box.width)}} px wide, ${{cells.length}} cells past the edge`);
        }}
      }}
      if (document.documentElement.scrollWidth > {CONTENT_WIDTH} + 1) {{
        out.push(`the page scrolls sideways: ${{document.documentElement.scrollWidth}} px`);
      }}
      return out;
    }}""")
    assert not found, f"{which}: wider than A4 less its margins ({CONTENT_WIDTH} px):\n" + "\n".join(found)
