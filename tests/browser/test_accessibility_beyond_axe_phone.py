"""The learning site beyond what axe-core sees (issue 13, items 6 to 10; WCAG 2.2 AA), in Chromium: every built page
at 320 px, the forms and the keyboard. (Every page at 1280 px, axe in both colour schemes and print:
test_accessibility_beyond_axe.py, whose fixtures this module shares; two modules, so that pytest-xdist's two
processes share the work.)

The committed demo site is served under a sub-path, /learning/, with 404.html for any address it does not have
(test_accessibility_beyond_axe.py's ``root``); every built page is loaded once at 320 px (its ``survey``), and
each test asserts its own part of what the survey saw or opens the pages it needs:

- item 6: every field of every form has a boundary of 3:1 and a focus indicator; its hint comes before it,
  and an error is shown in words by the field as well as in the summary (1.4.11, 2.4.7, 3.3.1);
- item 7: no page scrolls sideways at 320 px, nor a form showing its errors (1.4.10);
- item 8: Tab walks every page at 320 px, and every stop is on the screen, not 0 px, and shows a focus indicator
  of 3:1; the survey's Tab walk, followed inside the page, stops where pressing Tab at every stop does (on a few
  pages at 320 px and 1280 px); the menu and search icons are named buttons, and so is the search's back arrow
  on a phone, "Close search" (2.4.7, 2.4.11, 4.1.2);
- item 9: no single key does anything outside a field (2.1.4);
- item 10: 404.html has its own title and links that work under the sub-path; the cycle field lets an iPhone
  type "-"; heatmap numbers are 4.5:1 on their cells; Escape from the search puts the focus somewhere, not on
  the page's body; every navigation landmark has a name.

Screenshots of the home, a cycle, a theme and the Submit an audit form at 375 px and 1280 px are written to
test-artifacts/screenshots/beyond-axe/ (test-artifacts/ is ignored by Git).

Playwright drives Debian's /usr/bin/chromium, never a downloaded browser (see test_site_browser.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_accessibility_beyond_axe as beyond_axe
from test_accessibility_beyond_axe import _COLOUR_JS, _SURVEY_JS, NARROW, PHONE, PREFIX, SHOTS, WIDE, goto

from conftest import ROOT

# test_accessibility_beyond_axe.py's fixtures, by name: the browser, the demo site served under /learning/, one
# context and a page of it, the pages, and the survey of every page (this module's own, at 320 px).
browser, site, root, context, page = (beyond_axe.browser, beyond_axe.site, beyond_axe.root, beyond_axe.context,
                                     beyond_axe.page)
every_page, form_pages, survey = beyond_axe.every_page, beyond_axe.form_pages, beyond_axe.survey


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


def test_8_tab_reaches_only_visible_stops_each_with_a_focus_indicator_at_320_px(survey) -> None:
    """WCAG 2.4.7, 2.4.11 at 320 px (at 1280 px: test_accessibility_beyond_axe.py): none in the closed menu."""
    beyond_axe.assert_every_tab_stop_shows_its_focus(survey(NARROW), NARROW)


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_8_the_fast_tab_walk_follows_the_keyboard(page, root: str, every_page: list[str], width: int) -> None:
    """The survey's Tab walk (one press of Tab, then the page's focus order followed inside the page) stops on the
    same elements in the same order, and sees the same focus on each, as pressing Tab at every stop does: on the
    home page, the newest cycle, a learning theme and the Submit an audit form, at 320 px and 1280 px."""
    cycle = max(p for p in every_page if re.match(r"cycles/\d{4}-\d{2}\.html$", p))
    theme = next(p for p in every_page if p.startswith("themes/") and p != "themes/index.html")
    page.set_viewport_size({"width": width, "height": 720})
    for path in ("index.html", cycle, theme, "submit-audit.html"):
        goto(page, root + path)
        pressed = beyond_axe.tab_presses(page)
        goto(page, root + path)
        walked = beyond_axe.tab_walk(page)
        # where an element off the screen is may differ by a pixel (each way scrolls the focus into view its way)
        pressed, walked = ([(n, what, re.sub(r"at \(-?\d+, -?\d+\)", "at (x, y)", problem))
                            for n, what, problem in stops] for stops in (pressed, walked))
        assert len(pressed) > 5, f"{path}: only {len(pressed)} Tab stops"
        differ = [f"{n}: pressed {p} | walked {w}" for n, (p, w) in
                  enumerate(zip(pressed + [None] * len(walked), walked + [None] * len(pressed)), 1) if p != w]
        assert walked == pressed, f"{path} at {width} px: the walk is not where Tab goes:\n" + "\n".join(differ)


# --- item 8: Tab through every page at 320 px; the header's buttons ------------------------------------


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


def test_10_date_like_fields_let_an_iphone_type_a_hyphen(survey, form_pages: list[str]) -> None:
    """A field whose answer has a "-" (a cycle, YYYY-MM) never asks for a numeric keypad, which has none on iOS (on
    every form, as the survey's load of it at 320 px found it)."""
    visits = survey(NARROW)
    wrong = [f"{path}: {w}" for path in form_pages for w in visits[path].keypads]
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
        page.get_by_role("button", name="Switch to dark mode", exact=True).focus()  # the stop before the search
        opener = "Switch to dark mode"
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


# --- the screenshots -------------------------------------------------------------------------------------


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
