"""The learning site beyond what axe-core sees (issue 13, items 6 to 10; WCAG 2.2 AA), in Chromium.

The committed demo site, built once for the whole run (conftest's ``demo_site``, through test_site_browser.py's
``site``), is served under a sub-path, /learning/, as GitHub Pages serves a project's site, with 404.html for
any address it does not have. Every built page is then checked in one browser, loaded once at each width (the
``survey`` fixture): at 320 px its width, its landmarks and a Tab walk; at 1280 px axe in the light scheme,
axe with the browser asking for a dark one, the page laid out for print on A4, then a Tab walk. Each test
asserts its own part of what the survey saw:

- item 6: every field of every form has a boundary of 3:1 and a focus indicator; its hint comes before it,
  and an error is shown in words by the field as well as in the summary (1.4.11, 2.4.7, 3.3.1);
- item 7: no page scrolls sideways at 320 px, nor a form showing its errors (1.4.10);
- item 8: Tab walks every page at 320 px and at 1280 px, and every stop is on the screen, not 0 px, and shows
  a focus indicator of 3:1; the menu and search icons are named buttons, and so is the search's back arrow on
  a phone, "Close search" (2.4.7, 2.4.11, 4.1.2);
- item 9: no single key does anything outside a field (2.1.4);
- item 10: printed, every column of every table is on the paper; 404.html has its own title and links that
  work under the sub-path; the cycle field lets an iPhone type "-"; heatmap numbers are 4.5:1 on their
  cells; Escape from the search puts the focus somewhere, not on the page's body; every navigation
  landmark has a name;
- axe-core finds no WCAG 2.2 AA violation on any built page, in the light and the dark colour scheme.

Screenshots of the home, a cycle, a theme and the Submit an audit form at 375 px and 1280 px are written to
test-artifacts/screenshots/beyond-axe/ (test-artifacts/ is ignored by Git).

Playwright drives Debian's /usr/bin/chromium, never a downloaded browser (see test_site_browser.py).
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_site_browser as shared

from conftest import ROOT

# test_site_browser.py's fixtures, by name: the browser (Debian's chromium) and the committed demo, built once.
browser, site = shared.browser, shared.site

PREFIX = "/learning/"  # the sub-path the site is served under
NARROW, PHONE, WIDE = 320, 375, 1280
SHOTS = ROOT / "test-artifacts" / "screenshots" / "beyond-axe"
# A4 less 1 cm margins each side, in CSS pixels (96 to the inch): the width a printed page has.
PRINT_WIDTH = round((210 - 20) / 25.4 * 96)
MAX_STOPS = 400  # more Tab stops than any page has: a walk that goes on longer is stuck


# --- serving the site under a sub-path, 404.html for what it does not have ---------------------------------


class _SubPathHandler(SimpleHTTPRequestHandler):
    """The site under PREFIX; anything else, or a file the site does not have, is 404.html with status 404."""

    def log_message(self, format, *args) -> None:  # noqa: A002  (the standard library's name)
        pass

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "does-not-exist")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


@pytest.fixture(scope="module")
def root(site: Path):
    """The site's address, http://127.0.0.1:PORT/learning/, served from a thread until the module ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, name="sub-path-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def every_page(site: Path) -> list[str]:
    """Every page the build wrote, as a path from the site's root."""
    found = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    assert len(found) > 20 and "404.html" in found and "submit-audit.html" in found
    return found


@pytest.fixture(scope="module")
def form_pages(every_page: list[str]) -> list[str]:
    forms = ["submit-audit.html"] + [p for p in every_page if p.startswith("forms/") and p != "forms/index.html"]
    assert len(forms) > 5
    return forms


@pytest.fixture(scope="module")
def context(browser, root: str):
    """One context for the module; nothing it asks for leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": WIDE, "height": 900}, locale="en-GB")
    context.route(lambda url: not shared._local(url), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def goto(page, url: str, status: int = 200) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"


# --- what the page itself measures --------------------------------------------------------------------

# Contrast as WCAG defines it, of a colour against the first opaque background behind an element.
_COLOUR_JS = """
  function rgba(text) {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) { return null; }
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, under) {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  }
  function background(element) {
    const layers = [];
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) { break; } }
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i -= 1) { colour = over(layers[i], colour); }
    return colour;
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  function describe(e) {
    const name = (e.getAttribute("aria-label") || e.textContent || e.id || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string"
      ? "." + e.className.trim().split(/\\s+/).slice(0, 2).join(".") : "") + " " + JSON.stringify(name);
  }
  // What is wrong with the focus on e, shown as the browser shows it now, or "" when nothing is.
  function focusProblem(e) {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    const where = background(e.parentElement || e);
    if (r.width < 1 || r.height < 1) { return `${r.width}×${r.height} px`; }
    if (!e.checkVisibility({opacityProperty: true, visibilityProperty: true})) { return "not visible"; }
    if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) {
      return `off the screen at (${Math.round(r.left)}, ${Math.round(r.top)})`;
    }
    const width = parseFloat(s.outlineWidth) || 0;
    if (s.outlineStyle !== "none" && width >= 2) {
      const colour = rgba(s.outlineColor);
      const ratio = colour ? contrast(over(colour, where), where) : 0;
      if (ratio >= 3) { return ""; }
      return `its outline is ${ratio.toFixed(2)}:1 against ${where.slice(0, 3)}`;
    }
    if (s.boxShadow && s.boxShadow !== "none") { return ""; }
    return `no focus indicator (outline ${s.outlineStyle} ${s.outlineWidth})`;
  }
"""

_WALK_JS = _COLOUR_JS + """
  window.__stops = [];
  document.addEventListener("keydown", event => {
    if (event.key !== "Tab") { return; }
    const e = document.activeElement;
    if (e && e !== document.body) { window.__stops.push([describe(e), focusProblem(e), e]); }
  }, true);
"""


def still(page) -> None:
    """No transitions or animations: every measurement is of what the page settles on (Material fades and
    slides its search and menu; a colour measured half-way through is neither the old one nor the new)."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")


# How many Tab stops the page can have, at most as far as the page can tell (links, buttons, fields and
# anything with a tabindex, shown and not inert): the walk presses Tab that often before it first looks
# for its end; a stop the count missed (a scrolling box Chromium makes focusable) only means more presses.
_STOPS_JS = """() => [...document.querySelectorAll(
  "a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]")]
  .filter(e => !e.disabled && e.tabIndex >= 0 && !e.closest("[inert]")
    && e.checkVisibility({visibilityProperty: true})).length"""

_WALK_END_JS = """() => { const s = window.__stops; const end = s.slice(1).findIndex(x => x[2] === s[0][2]);
  return end < 0 ? null : s.slice(0, end + 1).map(x => [x[0], x[1]]); }"""


def tab_walk(page) -> list[tuple[str, str]]:
    """Press Tab until the focus comes back round; each stop, as the page showed it, and what was wrong."""
    still(page)
    expected = page.evaluate(f"() => {{ {_WALK_JS}; return ({_STOPS_JS})(); }}")
    # From the body: one press to the first stop, one per stop, one out of the page and back to the first,
    # one to see the first again.
    presses, pressed = expected + 3, 0
    while pressed < MAX_STOPS:
        for _ in range(min(presses, MAX_STOPS - pressed)):
            page.keyboard.press("Tab")
        pressed += presses
        stops = page.evaluate(_WALK_END_JS)
        if stops is not None:
            return [tuple(stop) for stop in stops]
        presses = 5
    pytest.fail(f"{page.url}: Tab went on for {MAX_STOPS} stops without coming back round")


# --- one visit of every page at each width: what several tests check -----------------------------------


@dataclass
class Visit:
    """What one page showed at one width, all on one load of it."""

    scroll_width: int  # of the whole page: wider than the window scrolls sideways
    too_wide: list[str]  # the last elements that poke out of the window, when it does
    unnamed_navs: list[str]
    stops: list[tuple[str, str]]  # the Tab walk: each stop, and what was wrong with it or ""
    # at 1280 px only:
    axe: str = ""  # axe-core's violations in words in the light scheme, or ""
    axe_dark: str = ""  # the same with the browser asking for a dark scheme
    dark: bool = False  # the page did see prefers-color-scheme: dark when axe ran for the dark scheme
    print_cut: list[str] | None = None  # printed (media print, A4 width): the tables that lose cells


_SURVEY_JS = """width => ({
  scrollWidth: document.documentElement.scrollWidth,
  // Material's <html> has overflow-x: hidden, so the page may not scroll and still cut off what pokes out:
  // anything of the content past the window's edge, but inside a box that scrolls sideways (a wide table's)
  tooWide: [...document.querySelectorAll(".md-main *")]
    .filter(e => e.getBoundingClientRect().right > width + 1 && e.checkVisibility({visibilityProperty: true}))
    .filter(e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) { return false; } } return true; })
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className),
  unnamed: [...document.querySelectorAll("nav")]
    .filter(n => !(n.getAttribute("aria-label") || "").trim() && !n.getAttribute("aria-labelledby"))
    .map(n => "<nav class=" + JSON.stringify(n.className) + ">"),
})"""

# Laid out for print at the paper's width: every table whose cells are outside the paper or cut off by a box
# that would scroll on the screen.
_PRINT_JS = f"""() => {{
  const out = [];
  for (const table of document.querySelectorAll("article table")) {{
    const cells = [...table.querySelectorAll("th, td")];
    const lost = cells.filter(c => {{
      const r = c.getBoundingClientRect();
      if (r.right > {PRINT_WIDTH} + 1 || r.left < -1) {{ return true; }}
      for (let box = c.parentElement; box && box !== document.body; box = box.parentElement) {{
        const s = getComputedStyle(box);
        if (s.overflowX !== "visible") {{
          const b = box.getBoundingClientRect();
          if (r.right > b.right + 1 || r.left < b.left - 1) {{ return true; }}
        }}
      }}
      return false;
    }});
    if (lost.length) {{
      const caption = table.querySelector("caption");
      out.push(`${{caption ? caption.textContent.trim().slice(0, 50) : "a table"}}: ${{lost.length}} of ${{cells.length}} cells cut off`);
    }}
  }}
  return out;
}}"""


def _axe(page, what: str) -> str:
    try:
        shared._assert_axe_passes(page, what)
    except AssertionError as error:
        return str(error)
    return ""


@pytest.fixture(scope="module")
def survey(context, root: str, every_page: list[str]):
    """survey(width): every page loaded once at that width (cached for the module) and all that the tests need
    of it measured on that one load: its width and navigation landmarks; at 1280 px axe-core's findings in the
    light scheme, then with the browser asking for the dark one, then the page laid out for print on A4; last
    (it moves the focus), a Tab walk through it, at the width and in the light scheme."""
    done: dict[int, dict[str, Visit]] = {}

    def at(width: int) -> dict[str, Visit]:
        if width not in done:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 720})
            visits = {}
            for path in every_page:
                goto(page, root + path)
                facts = page.evaluate(_SURVEY_JS, width)
                visit = Visit(facts["scrollWidth"], facts["tooWide"], facts["unnamed"], [])
                if width == WIDE:
                    visit.axe = _axe(page, f"{path} (light)")
                    page.emulate_media(color_scheme="dark")
                    visit.dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
                    visit.axe_dark = _axe(page, f"{path} (dark)")
                    page.emulate_media(media="print", color_scheme="light")
                    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
                    visit.print_cut = page.evaluate(_PRINT_JS)
                    page.emulate_media(media="screen")
                    page.set_viewport_size({"width": width, "height": 720})
                visit.stops = tab_walk(page)
                visits[path] = visit
            page.close()
            done[width] = visits
        return done[width]

    return at


# --- item 6: form fields ---------------------------------------------------------------------------------


def test_6_every_form_field_has_a_3_to_1_boundary_a_focus_indicator_its_hint_first_and_its_error_by_it(
        page, root: str, form_pages: list[str]) -> None:
    """WCAG 1.4.11, 2.4.7, 3.3.1 on the Submit an audit form and every follow-up form."""
    problems = []
    for path in form_pages:
        goto(page, root + path)
        found = page.evaluate("() => {" + _COLOUR_JS + """
          const out = [];
          const fields = [...document.querySelectorAll(
            ":is(input[type=text], input[type=date], input:not([type]), select, textarea)")]
            .filter(f => f.closest("form.ehqa-form"));
          for (const f of fields) {
            if (!f.checkVisibility()) { continue; }
            const s = getComputedStyle(f), where = background(f.parentElement);
            for (const side of ["Top", "Right", "Bottom", "Left"]) {
              const colour = rgba(s["border" + side + "Color"]);
              const width = parseFloat(s["border" + side + "Width"]);
              const ratio = colour && s["border" + side + "Style"] !== "none" && width >= 1
                ? contrast(over(colour, where), where) : 0;
              if (ratio < 3) { out.push(`${describe(f)}: its ${side.toLowerCase()} border is ${ratio.toFixed(2)}:1`); break; }
            }
            f.focus();
            const problem = focusProblem(f);
            if (problem) { out.push(`${describe(f)} focused: ${problem}`); }
            for (const id of (f.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)) {
              const note = document.getElementById(id);
              if (note && note.classList.contains("ehqa-hint") && fieldsetOf(note) === fieldsetOf(f)
                  && (f.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING)) {
                out.push(`${describe(f)}: its hint #${id} comes after it`);
              }
            }
          }
          function fieldsetOf(e) { return e.closest("fieldset"); }
          return out;
        }""")
        problems += [f"{path}: {p}" for p in found]
        # Made empty: every field in error says so beside it, in words, before the field, and names it.
        page.locator("form button[type=submit]").click()
        found = page.evaluate("""() => {
          const out = [], invalid = [...document.querySelectorAll("form [aria-invalid=true]")];
          if (!invalid.length) { out.push("making the empty form marked no field in error"); }
          for (const f of invalid) {
            const note = document.getElementById(f.id + "-error");
            const named = (f.getAttribute("aria-describedby") || "").split(/\\s+/).includes(f.id + "-error");
            if (!note || note.hidden || !note.textContent.trim() || !note.checkVisibility()) {
              out.push(`#${f.id} is in error, with no error shown by it`);
            } else if (!named) {
              out.push(`#${f.id}: its error is not named by aria-describedby`);
            } else if (f.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING) {
              out.push(`#${f.id}: its error comes after it`);
            }
          }
          return out;
        }""")
        problems += [f"{path}: {p}" for p in found]
    assert not problems, "form fields (WCAG 1.4.11, 2.4.7, 3.3.1):\n" + "\n".join(problems)


# --- item 7: no sideways scroll at 320 px ----------------------------------------------------------------


def test_7_no_page_scrolls_sideways_at_320_px(page, root: str, survey, form_pages: list[str]) -> None:
    """WCAG 1.4.10 Reflow: every built page, and every form showing its errors, fits 320 CSS px."""
    wide = [f"{path}: {v.scroll_width} px wide ({', '.join(v.too_wide)})" for path, v in survey(NARROW).items()
            if v.scroll_width > NARROW or v.too_wide]
    page.set_viewport_size({"width": NARROW, "height": 640})
    for path in form_pages:
        goto(page, root + path)
        page.locator("form button[type=submit]").click()
        facts = page.evaluate(_SURVEY_JS, NARROW)
        if facts["scrollWidth"] > NARROW or facts["tooWide"]:
            wide.append(f"{path} showing its errors: {facts['scrollWidth']} px wide ({', '.join(facts['tooWide'])})")
    assert not wide, f"pages that scroll sideways at {NARROW} px:\n" + "\n".join(wide)


# --- item 8: Tab through every page ----------------------------------------------------------------------


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_8_tab_reaches_only_visible_stops_each_with_a_focus_indicator(survey, width: int) -> None:
    """WCAG 2.4.7, 2.4.11: every stop of a Tab walk through every page is on the screen, more than 0 px, and shows
    a focus indicator of at least 3:1: none in the closed menu, nor the closed search."""
    visits = survey(width)
    assert sum(len(v.stops) for v in visits.values()) > 5 * len(visits)
    problems = [f"{path}: stop {n} {what}: {problem}" for path, v in visits.items()
                for n, (what, problem) in enumerate(v.stops, 1) if problem]
    assert not problems, f"Tab stops at {width} px that cannot be seen:\n" + "\n".join(problems[:60]) + (
        f"\n… {len(problems) - 60} more" if len(problems) > 60 else "")


def test_8_the_menu_and_search_icons_are_named_buttons_that_work_by_keyboard(page, root: str) -> None:
    """WCAG 4.1.2, 2.1.1: at phone widths the menu and the search open from the keyboard, from buttons."""
    page.set_viewport_size({"width": PHONE, "height": 720})
    goto(page, root + "index.html")
    menu = page.get_by_role("button", name="Menu")
    search = page.get_by_role("button", name="Search", exact=True)
    assert menu.is_visible() and search.is_visible(), "no visible button named Menu and Search in the header"
    assert menu.get_attribute("aria-expanded") == "false"
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    inside = page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    assert inside, "opening the menu does not put the focus in it"
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Menu"
    search.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    assert page.locator("input.md-search__input").is_visible()
    page.set_viewport_size({"width": WIDE, "height": 720})
    assert not menu.is_visible() and not search.is_visible(), "the buttons show where Material shows no icon"


def test_8_the_search_back_arrow_on_phones_is_a_button_named_close_search(page, root: str) -> None:
    """WCAG 4.1.2, 2.1.1: on a phone the open search's back arrow is a button with a name in words, which closes
    the search from the keyboard and puts the focus back on the Search button; wider, Material's magnifier."""
    page.set_viewport_size({"width": PHONE, "height": 720})
    goto(page, root + "index.html")
    search = page.get_by_role("button", name="Search", exact=True)
    search.focus()
    page.keyboard.press("Enter")
    close = page.get_by_role("button", name="Close search", exact=True)
    assert close.is_visible(), "the open search on a phone has no visible button named Close search"
    assert not page.locator(".md-search__form label[for=__search]").is_visible(), "the unnamed back arrow shows"
    close.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert not page.evaluate("() => document.getElementById('__search').checked"), "Close search left it open"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Search"
    page.set_viewport_size({"width": WIDE, "height": 720})
    assert not close.is_visible()
    assert page.locator(".md-search__form label[for=__search]").is_visible(), "the magnifier is gone on a desktop"


# --- item 9: no single-key shortcuts ---------------------------------------------------------------------


def test_9_no_single_key_does_anything_outside_a_field(page, root: str) -> None:
    """WCAG 2.1.4 Character Key Shortcuts (A): Material's s, f and / (search) and p , n . (page turns) are off."""
    for path in ("index.html", "cycles/index.html", "submit-audit.html"):
        goto(page, root + path)
        page.locator("article h1").click()  # the focus on the page, not in a field
        for key in ("s", "f", "/", "p", ",", "n", ".", "?"):
            page.keyboard.press(key)
            opened = page.evaluate("() => document.getElementById('__search').checked"
                                   " || document.activeElement.classList.contains('md-search__input')")
            assert not opened, f"{path}: pressing {key!r} opened the search"
            assert urlsplit(page.url).path.endswith("/" + path), f"{path}: pressing {key!r} went to {page.url}"
    # typing in a field is untouched: the letters reach it
    goto(page, root + "submit-audit.html")
    page.locator("#f-case").press_sequentially("s/f.n")
    assert page.locator("#f-case").input_value() == "s/f.n"


# --- item 10 ---------------------------------------------------------------------------------------------


def test_10_printed_pages_keep_every_table_column(page, root: str, survey, every_page: list[str]) -> None:
    """Printed (media print, an A4 page less 1 cm margins), no cell of any table is outside the paper or cut off
    by a box that would scroll on the screen (every page, measured by the survey at 1280 px, laid out for print);
    Chromium's page.pdf prints a page with a wide table."""
    visits = survey(WIDE)
    assert all(v.print_cut is not None for v in visits.values()), "a page was not laid out for print"
    cut = [f"{path}: {problem}" for path, v in visits.items() for problem in v.print_cut]
    assert not cut, "tables that lose columns in print:\n" + "\n".join(cut)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    goto(page, root + next(p for p in every_page if p.startswith("years/2")))
    pdf = page.pdf(format="A4", margin={"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"})
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_10_the_404_page_has_its_own_title_and_links_that_work_under_a_sub_path(page, root: str, context) -> None:
    """Asked for a page the site does not have, under /learning/ and in one of its folders, the server answers
    with 404.html: titled "Page not found", its styles and script loaded, and every link inside the site."""
    for missing in ("no-such-page.html", "cycles/1999-01.html"):
        goto(page, root + missing, 404)
        assert page.title().startswith("Page not found"), f"{missing}: the 404 page is titled {page.title()!r}"
        assert page.locator("article h1").inner_text().strip() == "Page not found"
        urls = page.evaluate("""() => [...document.querySelectorAll("link[href], script[src], a[href], img[src]")]
            .map(e => e.href || e.src).filter(u => u && !u.startsWith("javascript:"))""")
        assert len(urls) > 10
        broken = []
        for url in sorted({u.split("#")[0] for u in urls}):
            if not url.startswith(root):
                broken.append(f"{url} (outside {root})")
                continue
            status = context.request.get(url).status
            if status != 200:
                broken.append(f"{url} (HTTP {status})")
        assert not broken, f"{missing}: links of the 404 page that fail under {PREFIX}:\n" + "\n".join(broken)
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky", \
            "the 404 page has not loaded Material's stylesheet"


def test_10_date_like_fields_let_an_iphone_type_a_hyphen(page, root: str, form_pages: list[str]) -> None:
    """A field whose answer has a "-" (a cycle, YYYY-MM) never asks for a numeric keypad, which has none on iOS."""
    wrong = []
    for path in form_pages:
        goto(page, root + path)
        wrong += [f"{path}: {w}" for w in page.evaluate("""() => [...document.querySelectorAll("form input")]
          .filter(i => /YYYY|-/.test((i.labels[0] || {}).textContent || "") || /-/.test(i.pattern || ""))
          .filter(i => ["numeric", "decimal", "tel"].includes(i.inputMode))
          .map(i => `#${i.id} has inputmode=${i.inputMode}`)""")]
    assert not wrong, "\n".join(wrong)


def test_10_heatmap_numbers_are_4_5_to_1_on_every_cell_colour() -> None:
    """The ink charts.py picks for a number on a heatmap cell (and on a bar) is 4.5:1 on any colour of the scale."""
    import matplotlib

    from ehqa.site import charts

    def ratio(a, b) -> float:
        high, low = sorted((charts._luminance(a), charts._luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    cmap = matplotlib.colormaps["cividis"]
    worst = min((ratio(cmap(i / 255), matplotlib.colors.to_rgb(charts._readable_on(cmap(i / 255)))), i / 255 * 100)
                for i in range(256))
    assert worst[0] >= 4.5, f"a heatmap number at {worst[1]:.0f}% is {worst[0]:.2f}:1 on its cell"


@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_10_escape_from_the_search_puts_the_focus_back(page, root: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 720})
    goto(page, root + "index.html")
    page.keyboard.press("Tab")  # the skip link
    if width == PHONE:
        page.get_by_role("button", name="Search", exact=True).focus()
        opener = "Search"
        page.keyboard.press("Enter")
    else:
        page.locator(".md-header__button.md-logo").focus()
        opener = page.locator(".md-header__button.md-logo").get_attribute("aria-label")
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("child")
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    focused = page.evaluate("() => document.activeElement === document.body ? null"
                            " : document.activeElement.getAttribute('aria-label')")
    assert focused == opener, f"at {width} px Escape from the search left the focus on {focused or 'the body'}"


def test_10_every_navigation_landmark_has_a_name(survey) -> None:
    """WCAG 1.3.1, 2.4.1: several <nav> on a page are told apart by their names (the tags too)."""
    unnamed = [f"{path}: {nav}" for path, v in survey(NARROW).items() for nav in v.unnamed_navs]
    assert not unnamed, "navigation landmarks with no name:\n" + "\n".join(unnamed)


def test_the_header_and_tags_overrides_are_materials_own_but_for_their_names() -> None:
    """overrides/partials/header.html and tags.html are copies of Material's: they must follow Material's."""
    material = pytest.importorskip("material")
    theirs = Path(material.__file__).parent / "templates" / "partials"
    ours = ROOT / "site_templates" / "overrides" / "partials"

    def body(path: Path) -> str:
        return path.read_text(encoding="utf-8").split("-#}\n", 1)[1]

    header = body(ours / "header.html")
    header = re.sub(r'<button type="button" class="md-header__button md-icon ehqa-header-button" '
                    r'data-ehqa-toggle="(__drawer|__search)" aria-label="[^"]+" aria-expanded="false">',
                    r'<label class="md-header__button md-icon" for="\1">', header).replace("</button>", "</label>")
    assert header == body(theirs / "header.html"), "Material's header.html has changed: copy it again"
    tags = body(ours / "tags.html").replace(' aria-label="Tags of this page"', "")
    assert tags == body(theirs / "tags.html"), "Material's tags.html has changed: copy it again"


# --- axe on every page, light and dark; the screenshots ----------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_2_2_aa_violation_on_any_built_page(survey, every_page: list[str], scheme: str) -> None:
    """Every built page, not a sample, in the light scheme and with the browser asking for a dark one (both on the
    survey's load of each page at 1280 px)."""
    visits = survey(WIDE)
    assert sorted(visits) == every_page
    if scheme == "dark":
        assert all(v.dark for v in visits.values()), "a page did not see prefers-color-scheme: dark"
    failures = [v.axe if scheme == "light" else v.axe_dark for v in visits.values()]
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)


def test_screenshots_of_home_cycle_theme_and_the_form_at_375_and_1280_px(page, root: str, every_page) -> None:
    cycle = max(p for p in every_page if re.match(r"cycles/\d{4}-\d{2}\.html$", p))
    theme = next(p for p in every_page if p.startswith("themes/") and p != "themes/index.html")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (PHONE, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (("home", "index.html"), ("cycle", cycle), ("theme", theme), ("form", "submit-audit.html")):
            goto(page, root + path)
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the lazy charts load
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
            shot = SHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
