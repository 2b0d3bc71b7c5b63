"""The learning site beyond what axe-core sees (issue 13, items 6 to 10; WCAG 2.2 AA), in Chromium: every built page
at 1280 px. (At 320 px, and the forms and the keyboard: test_accessibility_beyond_axe_phone.py, which shares this
module's fixtures; two modules, so that pytest-xdist's two processes share the work.)

The committed demo site, built once for the whole run (conftest's ``demo_site``, through test_site_browser.py's
``site``), is served under a sub-path, /learning/, as GitHub Pages serves a project's site, with 404.html for
any address it does not have. Every built page is then checked in one browser, loaded once at each width (the
``survey`` fixture): at 320 px its width, its landmarks and a Tab walk; at 1280 px axe in the light scheme, the
page laid out for print on A4 and a Tab walk, and the page loaded again with the browser asking for a dark scheme
(a context of its own: Material picks the scheme as a page loads), found dark, and axe on it. Here:

- item 8: Tab walks every page at 1280 px, and every stop is on the screen, not 0 px, and shows a focus
  indicator of 3:1 (2.4.7, 2.4.11); the walk is one real press of Tab and then the page's own focus order
  followed inside the page (``tab_walk``), which test_accessibility_beyond_axe_phone.py checks against real
  presses of Tab on a few pages at both widths;
- item 10: printed, every column of every table is on the paper;
- axe-core finds no WCAG 2.2 AA violation on any built page, in the light and the dark colour scheme.

Playwright drives Debian's /usr/bin/chromium, never a downloaded browser (see test_site_browser.py).
"""

from __future__ import annotations

import functools
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

# The real Tab walk: on each press of Tab, before the focus moves, the element it leaves, its place in the
# document, and what was wrong with its focus as the page showed it.
_WALK_JS = _COLOUR_JS + """
  window.__stops = [];
  document.addEventListener("keydown", event => {
    if (event.key !== "Tab") { return; }
    const e = document.activeElement;
    if (e && e !== document.body) {
      window.__stops.push([describe(e), focusProblem(e), e, [...document.querySelectorAll("*")].indexOf(e)]);
    }
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

# The stops from the first until the focus comes back to it; one stop per element (Chromium stops on each
# part of a date field: day, month, year).
_WALK_END_JS = """() => { const s = window.__stops; const end = s.slice(1).findIndex(x => x[2] === s[0][2]);
  return end < 0 ? null : s.slice(0, end + 1).filter((x, i, all) => i === 0 || x[2] !== all[i - 1][2])
    .map(x => [x[3], x[0], x[1]]); }"""


def tab_presses(page) -> list[tuple[int, str, str]]:
    """Press Tab until the focus comes back round: each stop (its place in the document, itself in words), as the
    page showed it, and what was wrong with it or "". A key press and a frame per stop: the slow, sure walk that
    ``tab_walk`` must agree with (test_accessibility_beyond_axe_phone.py's test_8_the_fast_tab_walk_...)."""
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


# The page's sequential focus order as Tab follows it (HTML's sequential focus navigation; Chromium's keyboard-
# focusable scrolling boxes): every element that takes the focus from the keyboard, rendered, not inert and not
# disabled; tabindex > 0 first, in its order, then the rest in document order; of a group of radio buttons only
# the checked one (or the first). Then the walk along it, in the page: at each stop the Tab key's keydown goes to
# the focused element (the page's own handlers run, as Material's closing its search on Tab), and unless a
# handler cancels it the focus moves to the next stop, shown as a keyboard's focus is (focusVisible), and is
# measured there. The first stop is the one a real Tab press went to.
_FAST_WALK_JS = "async () => {" + _COLOUR_JS + """
  function tabOrder() {
    const found = new Set(document.querySelectorAll(
      "a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]"));
    const scrollers = new Set();
    for (const e of document.body.querySelectorAll("*")) {
      if (found.has(e) || !(e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight)) { continue; }
      const s = getComputedStyle(e), scrolls = v => v === "auto" || v === "scroll";
      if (scrolls(s.overflowX) && e.scrollWidth > e.clientWidth
          || scrolls(s.overflowY) && e.scrollHeight > e.clientHeight) {
        scrollers.add(e);
      }
    }
    const shown = [...found, ...scrollers].filter(e => {
      if (!scrollers.has(e) && e.tabIndex < 0) { return false; }
      if (e.matches(":disabled") || e.closest("[inert]")) { return false; }
      if (e.tagName === "SUMMARY" && e.parentElement.tagName === "DETAILS"
          && e.parentElement.querySelector(":scope > summary") !== e) { return false; }
      if (e.tagName === "SUMMARY" && e.parentElement.tagName !== "DETAILS" && !e.hasAttribute("tabindex")) {
        return false;
      }
      return e.checkVisibility({visibilityProperty: true});
    }).sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    // A scrolling box is a stop of its own only when nothing inside it is one.
    const stops = shown.filter(e => !scrollers.has(e)
      || !shown.some(o => o !== e && !scrollers.has(o) && e.contains(o)));
    const inGroup = e => stops.filter(o => o.type === "radio" && o.name === e.name && o.form === e.form);
    const order = stops.filter(e => {
      if (e.tagName !== "INPUT" || e.type !== "radio" || !e.name) { return true; }
      const group = inGroup(e);
      return e === (group.find(o => o.checked) || group[0]);
    });
    return order.filter(e => e.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex)
      .concat(order.filter(e => !(e.tabIndex > 0)));
  }
  if (document.querySelector("iframe, frame") || [...document.querySelectorAll("*")].some(e => e.shadowRoot)) {
    return {stops: [], problem: "the page has a frame or a shadow root, which the walk does not follow"};
  }
  const everything = [...document.querySelectorAll("*")];
  const order = tabOrder(), stops = [];
  if (!order.length || document.activeElement !== order[0]) {
    const first = order.length ? describe(order[0]) : "nothing";
    return {stops, problem: `Tab went first to ${describe(document.activeElement)}, not ${first}`};
  }
  for (const [i, e] of order.entries()) {
    if (i > 0) {
      const from = document.activeElement || document.body;
      const tab = new KeyboardEvent("keydown", {key: "Tab", code: "Tab", keyCode: 9, which: 9, bubbles: true,
                                               cancelable: true, composed: true});
      if (!from.dispatchEvent(tab)) {
        return {stops, problem: `the page's own keydown handler keeps Tab on ${describe(from)}`};
      }
      e.focus({focusVisible: true});
    }
    stops.push([everything.indexOf(e), describe(e),
                document.activeElement === e ? focusProblem(e) : "it does not take the focus"]);
  }
  return {stops, problem: ""};
}"""


def tab_walk(page) -> list[tuple[int, str, str]]:
    """Every stop of a Tab walk through the page, in order (its place in the document, itself in words), as the
    page showed it focused, and what was wrong with it or "". One real Tab press (the page then has the keyboard's
    focus, :focus-visible), then the rest of the walk inside the page (``_FAST_WALK_JS``): a frame per page, not
    one per stop. test_8_the_fast_tab_walk_follows_the_keyboard checks it against real presses of Tab."""
    still(page)
    page.keyboard.press("Tab")
    walked = page.evaluate(_FAST_WALK_JS)
    if walked["problem"]:
        pytest.fail(f"{page.url}: the Tab walk cannot go on: {walked['problem']}")
    return [tuple(stop) for stop in walked["stops"]]


# --- one visit of every page at each width: what several tests check -----------------------------------


@dataclass
class Visit:
    """What one page showed at one width, all on one load of it."""

    scroll_width: int  # of the whole page: wider than the window scrolls sideways
    too_wide: list[str]  # the last elements that poke out of the window, when it does
    unnamed_navs: list[str]
    keypads: list[str]  # the form's date-like fields (a "-" in the answer) that ask for a numeric keypad
    stops: list[tuple[int, str, str]]  # the Tab walk: each stop (where, what), and what was wrong with it or ""
    # at 1280 px only:
    axe: str = ""  # axe-core's violations in words in the light scheme, or ""
    axe_dark: str = ""  # the same with the browser asking for a dark scheme (a context of its own)
    dark: str = "not loaded"  # what was not dark about the page axe ran on for the dark scheme, or ""
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
  // a field whose answer has a "-" (a cycle, YYYY-MM) asking for a keypad that has none on iOS
  keypads: [...document.querySelectorAll("form input")]
    .filter(i => /YYYY|-/.test((i.labels[0] || {}).textContent || "") || /-/.test(i.pattern || ""))
    .filter(i => ["numeric", "decimal", "tel"].includes(i.inputMode))
    .map(i => `#${i.id} has inputmode=${i.inputMode}`),
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


# What is not dark about the page, or "": Material's dark scheme (slate) on the body, and a dark background behind it.
_NOT_DARK_JS = "() => {" + _COLOUR_JS + """
  const scheme = document.body.getAttribute("data-md-color-scheme"), bg = luminance(background(document.body));
  return scheme !== "slate" ? `its scheme is ${JSON.stringify(scheme)}, not slate`
    : bg >= 0.05 ? `its background is not dark (luminance ${bg.toFixed(2)})` : "";
}"""


def _dark_page(browser, width: int):
    """A page of a context of its own whose browser asks for the dark scheme: Material picks its scheme when a page
    loads (by the system's setting, then by the one it kept from the last page), so a page loaded in the light
    scheme stays light when the browser's setting changes; the dark pass loads each page again, here."""
    context = browser.new_context(viewport={"width": width, "height": 720}, locale="en-GB", color_scheme="dark")
    context.route(lambda url: not shared._local(url), lambda route: route.abort())
    return context.new_page()


@pytest.fixture(scope="module")
def survey(browser, context, root: str, every_page: list[str]):
    """survey(width): every page loaded once at that width (cached for the module) and all that the tests need
    of it measured on that one load: its width and navigation landmarks; at 1280 px axe-core's findings in the
    light scheme, then the page laid out for print on A4, and the page loaded again where the browser asks for the
    dark scheme: that it is dark, and axe-core's findings on it; last (it moves the focus), a Tab walk through the
    light page, at the width."""
    done: dict[int, dict[str, Visit]] = {}

    def at(width: int) -> dict[str, Visit]:
        if width not in done:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 720})
            dark = _dark_page(browser, width) if width == WIDE else None
            visits = {}
            for path in every_page:
                goto(page, root + path)
                facts = page.evaluate(_SURVEY_JS, width)
                visit = Visit(facts["scrollWidth"], facts["tooWide"], facts["unnamed"], facts["keypads"], [])
                if width == WIDE:
                    visit.axe = _axe(page, f"{path} (light)")
                    page.emulate_media(media="print")
                    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
                    visit.print_cut = page.evaluate(_PRINT_JS)
                    page.emulate_media(media="screen")
                    page.set_viewport_size({"width": width, "height": 720})
                    goto(dark, root + path)
                    visit.dark = dark.evaluate(_NOT_DARK_JS)
                    visit.axe_dark = _axe(dark, f"{path} (dark)")
                visit.stops = tab_walk(page)
                visits[path] = visit
            page.close()
            if dark is not None:
                dark.context.close()
            done[width] = visits
        return done[width]

    return at


# --- item 8: what a Tab walk saw, at either width ----------------------------------------------------


def assert_every_tab_stop_shows_its_focus(visits: dict[str, Visit], width: int) -> None:
    """WCAG 2.4.7, 2.4.11: every stop of a Tab walk through every page is on the screen, more than 0 px, and shows
    a focus indicator of at least 3:1: none in the closed menu, nor the closed search."""
    assert sum(len(v.stops) for v in visits.values()) > 5 * len(visits)
    problems = [f"{path}: stop {n} {what}: {problem}" for path, v in visits.items()
                for n, (_, what, problem) in enumerate(v.stops, 1) if problem]
    assert not problems, f"Tab stops at {width} px that cannot be seen:\n" + "\n".join(problems[:60]) + (
        f"\n… {len(problems) - 60} more" if len(problems) > 60 else "")


# --- item 8: Tab through every page ----------------------------------------------------------------------


def test_8_tab_reaches_only_visible_stops_each_with_a_focus_indicator_at_1280_px(survey) -> None:
    """WCAG 2.4.7, 2.4.11 at 1280 px (at 320 px: test_accessibility_beyond_axe_phone.py)."""
    assert_every_tab_stop_shows_its_focus(survey(WIDE), WIDE)


# --- item 10: print ------------------------------------------------------------------------------------


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


# --- axe on every page, light and dark ----------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_2_2_aa_violation_on_any_built_page(survey, every_page: list[str], scheme: str) -> None:
    """Every built page, not a sample, in the light scheme and with the browser asking for a dark one (both on the
    survey's load of each page at 1280 px)."""
    visits = survey(WIDE)
    assert sorted(visits) == every_page
    if scheme == "dark":
        light = [f"{path}: {v.dark}" for path, v in visits.items() if v.dark]
        assert not light, "pages not dark with the browser asking for the dark scheme:\n" + "\n".join(light)
    failures = [v.axe if scheme == "light" else v.axe_dark for v in visits.values()]
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)
