"""The learning site's dark colour scheme (issue 13: WCAG 2.2 AA in the light and the dark scheme), in Chromium.

mkdocs.yml's ``theme.palette`` gives Material's light ("default") and dark ("slate") schemes: the reader's system
setting at first, then the header's toggle, which Material keeps for the next pages. The committed demo site,
built once for the run (conftest's ``demo_site``), is opened at a handful of pages: the home page, a cycle, a
learning theme, a year (the heatmap), the Submit an audit form and the consistency page. With the dark scheme
chosen, by the system and by the toggle:

- the page really is dark (the body's computed background); axe-core finds no WCAG 2.2 AA violation on every
  built page with the system asking for dark in test_accessibility_beyond_axe.py, and on a page after the toggle
  here;
- the toggle is a button with a name, reached by Tab, with a focus indicator of 3:1, that switches the scheme
  with Enter and with Space (the focus staying on the toggle), and the choice holds on the next page (4.1.2,
  2.4.7, 2.1.1);
- a form field's border is 3:1 against the page, its focus shows, and an error is 4.5:1 (1.4.11, 1.4.3);
- every text of every chart, the heatmap's numbers among them, is 4.5:1 against what it is drawn on, and a
  chart (an SVG <img>) follows the toggle as it follows the system (1.4.3).

Playwright drives Debian's /usr/bin/chromium, never a downloaded browser (see test_site_browser.py).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import test_site_browser as shared
from test_accessibility_beyond_axe import _COLOUR_JS
from test_site_browser import _assert_axe_passes, visit

from conftest import ROOT

# test_site_browser.py's fixtures: the browser, the demo site built once, its server, one page of each kind.
browser, site, base_url, pages = shared.browser, shared.site, shared.base_url, shared.pages

WIDE, PHONE = 1280, 375
TO_DARK, TO_LIGHT = "Switch to dark mode", "Switch to light mode"

# The page's scheme as the reader sees it: Material's attribute, the body's background and text colours, and
# the luminance of that background (0 black, 1 white).
_SCHEME_JS = (
    "() => {"
    + _COLOUR_JS
    + """
  const s = getComputedStyle(document.body), bg = background(document.body), fg = rgba(s.color);
  return {scheme: document.body.getAttribute("data-md-color-scheme"), background: luminance(bg),
          text: contrast(over(fg, bg), bg)};
}"""
)


@pytest.fixture(scope="module")
def some(pages: dict[str, str], site: Path) -> dict[str, str]:
    """The pages looked at: one of each kind, the heatmap's year, the form and the consistency page."""
    found = {kind: pages[kind] for kind in ("home", "cycle", "theme", "year")}
    for kind, path in (("form", "submit-audit.html"), ("consistency", "consistency.html")):
        assert (site / path).is_file(), f"the demo site has no {path}"
        found[kind] = path
    return found


def _context(browser, base_url: str, scheme: str, width: int = WIDE):
    context = browser.new_context(
        base_url=base_url, viewport={"width": width, "height": 900}, locale="en-GB", color_scheme=scheme
    )
    context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
    return context


def _is_dark(page, where: str) -> None:
    seen = page.evaluate(_SCHEME_JS)
    assert seen["scheme"] == "slate", f"{where}: the page's scheme is {seen['scheme']!r}, not Material's slate"
    assert seen["background"] < 0.05, f"{where}: the page's background is not dark (luminance {seen['background']:.2f})"
    assert seen["text"] >= 4.5, f"{where}: the text is {seen['text']:.2f}:1 on the dark background"


def _focused(page) -> dict:
    """The focused element: its tag, name, and what is wrong with its focus indicator ("" when nothing)."""
    return page.evaluate(
        "() => {"
        + _COLOUR_JS
        + """
      const e = document.activeElement;
      return {tag: e.tagName.toLowerCase(), name: e.getAttribute("aria-label") || "", problem: focusProblem(e)};
    }"""
    )


def test_with_the_system_asking_for_dark_every_page_is_dark(browser, base_url, some) -> None:
    """The reader's system setting chooses the scheme: dark pages, their text 4.5:1 on the background. (axe-core on
    every built page with the system asking for dark, found dark: test_accessibility_beyond_axe.py's survey.)"""
    context = _context(browser, base_url, "dark")
    page = context.new_page()
    try:
        for kind, path in some.items():
            visit(page, base_url + path)
            _is_dark(page, f"{kind} page {path}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_the_toggle_is_a_named_button_that_tab_reaches_and_enter_and_space_switch_and_the_choice_holds(
    browser, base_url, some, width: int
) -> None:
    """WCAG 4.1.2, 2.1.1, 2.4.7: Tab reaches "Switch to dark mode", a button showing its focus; Enter makes the
    page dark and leaves the focus on "Switch to light mode"; Space switches back; the next page keeps the choice
    (and passes axe, dark)."""
    context = _context(browser, base_url, "light", width)
    page = context.new_page()
    try:
        visit(page, base_url + some["home"])
        assert page.evaluate(_SCHEME_JS)["scheme"] == "default", "the system asks for light: the page is not light"
        assert page.get_by_role("button", name=TO_DARK, exact=True).is_visible(), f"no visible button {TO_DARK!r}"
        for _ in range(40):
            page.keyboard.press("Tab")
            if _focused(page)["name"] == TO_DARK:
                break
        else:
            pytest.fail(f"40 presses of Tab never reached {TO_DARK!r}")
        focused = _focused(page)
        assert focused["tag"] == "button" and not focused["problem"], f"the toggle focused: {focused}"
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        _is_dark(page, "home after Enter on the toggle")
        focused = _focused(page)
        assert focused["name"] == TO_LIGHT and not focused["problem"], f"after Enter the focus is on {focused}"
        page.keyboard.press(" ")
        page.wait_for_timeout(100)
        assert page.evaluate(_SCHEME_JS)["scheme"] == "default", "Space on the toggle did not switch back to light"
        assert _focused(page)["name"] == TO_DARK, "after Space the focus is not on the toggle"
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        visit(page, base_url + some["cycle"])
        _is_dark(page, f"{some['cycle']}, opened after the toggle chose dark")
        if width == WIDE:
            _assert_axe_passes(page, f"{some['cycle']} (dark, from the toggle)")
    finally:
        context.close()


def test_form_fields_show_a_3_to_1_boundary_and_errors_are_4_5_to_1_in_the_dark(browser, base_url, some) -> None:
    """WCAG 1.4.11, 2.4.7, 1.4.3 on the Submit an audit form, dark: each field's border against the page, its focus
    indicator, and each error (shown by submitting the empty form) against the page."""
    context = _context(browser, base_url, "dark")
    page = context.new_page()
    try:
        visit(page, base_url + some["form"])
        _is_dark(page, "the form")
        page.locator("form button[type=submit]").click()
        found = page.evaluate(
            "() => {"
            + _COLOUR_JS
            + """
          const out = [], fields = [...document.querySelectorAll(
            "form.ehqa-form :is(input[type=text], input[type=date], input:not([type]), select, textarea)")]
            .filter(f => f.checkVisibility());
          if (!fields.length) { out.push("no field on the form"); }
          for (const f of fields) {
            const s = getComputedStyle(f), where = background(f.parentElement);
            const ratio = contrast(over(rgba(s.borderTopColor), where), where);
            if (s.borderTopStyle === "none" || ratio < 3) { out.push(`${describe(f)}: border ${ratio.toFixed(2)}:1`); }
            f.focus();
            const problem = focusProblem(f);
            if (problem) { out.push(`${describe(f)} focused: ${problem}`); }
          }
          const errors = [...document.querySelectorAll(".ehqa-error, .ehqa-error-summary a")]
            .filter(e => e.checkVisibility());
          if (!errors.length) { out.push("submitting the empty form showed no error"); }
          for (const e of errors) {
            const where = background(e), ratio = contrast(over(rgba(getComputedStyle(e).color), where), where);
            if (ratio < 4.5) { out.push(`${describe(e)}: the error is ${ratio.toFixed(2)}:1`); }
          }
          return out;
        }"""
        )
    finally:
        context.close()
    assert not found, "the form in the dark scheme (WCAG 1.4.11, 2.4.7, 1.4.3):\n" + "\n".join(found[:30])


# Each chart of the page drawn into it as the page's <img> draws it (its SVG read and put in the page, with the
# system asking for dark): for each <text>, its fill against what it is drawn on, the last plain rectangle before
# it under its middle (a bar's patch, a heatmap cell), or else the page.
_CHART_CONTRAST_JS = (
    "async () => {"
    + _COLOUR_JS
    + """
  const page = background(document.querySelector(".md-content") || document.body), out = [];
  for (const img of document.querySelectorAll(".ehqa-chart img")) {
    const source = await (await fetch(img.src)).text();
    const svg = document.importNode(new DOMParser().parseFromString(source, "image/svg+xml").documentElement, true);
    const holder = document.createElement("div");
    holder.style.cssText = "position:absolute; left:0; top:0";
    holder.appendChild(svg);
    document.body.appendChild(holder);
    const rects = [...svg.querySelectorAll("rect")];
    for (const t of svg.querySelectorAll("text")) {
      const box = t.getBBox(), x = box.x + box.width / 2, y = box.y + box.height / 2;
      let under = page;
      for (const r of rects) {
        if (!(r.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)) { break; }
        const fill = getComputedStyle(r).fill, b = r.getBBox();
        if (fill.startsWith("rgb") && x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height) {
          under = over(rgba(fill), page);
        }
      }
      const ink = rgba(getComputedStyle(t).fill);
      out.push([img.getAttribute("src"), t.textContent.trim(), t.classList.contains("v"),
                ink ? contrast(over(ink, under), under) : 0]);
    }
    holder.remove();
  }
  return out;
}"""
)


def test_chart_text_and_heatmap_numbers_are_4_5_to_1_in_the_dark(browser, base_url, some) -> None:
    """WCAG 1.4.3: with the dark scheme, every chart text (titles of rows, legends, axes, figures) on every chart
    of the pages, and every number on the year's heatmap, is 4.5:1 against what it is drawn on."""
    context = _context(browser, base_url, "dark")
    page = context.new_page()
    low, checked, heatmap = [], 0, 0
    try:
        for kind in ("home", "cycle", "theme", "year"):
            visit(page, base_url + some[kind], until="load")
            _is_dark(page, some[kind])
            for src, words, figure, ratio in page.evaluate(_CHART_CONTRAST_JS):
                checked += 1
                heatmap += kind == "year" and figure
                if ratio < 4.5:
                    low.append(f"{some[kind]} {src}: {words!r} is {ratio:.2f}:1")
    finally:
        context.close()
    assert checked > 100 and heatmap > 10, f"only {checked} chart texts, {heatmap} of them heatmap numbers"
    assert not low, f"chart text under 4.5:1 in the dark scheme ({len(low)} of {checked}):\n" + "\n".join(low[:30])


def _chart_shot(page) -> bytes:
    """The page's first chart as drawn, on the same grey in either scheme, and inside its edges (where a fraction of
    a pixel would show the page): only the chart's own drawing differs."""
    image = page.locator(".ehqa-chart img").first
    image.evaluate("img => { img.style.background = '#808080'; }")
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    # "complete" is not "painted", and the page can still move after "load": on a loaded machine the first shot can
    # catch the image before its first paint, or the chart measured before a shift of the page above it (both seen
    # in CI). The chart as drawn is the one that two looks in a row agree on: the same place, the same pixels.
    seen = None
    for _ in range(40):
        box = image.bounding_box()
        assert box and box["width"] > 100, "the chart's image has no size"
        clip = {
            "x": math.ceil(box["x"]) + 1,
            "y": math.ceil(box["y"]) + 1,
            "width": math.floor(box["width"]) - 3,
            "height": math.floor(box["height"]) - 3,
        }
        look = (clip, page.screenshot(clip=clip))
        if look == seen:
            return look[1]
        seen = look
        page.wait_for_timeout(100)
    return seen[1]


def test_a_chart_follows_the_toggle_as_it_follows_the_system(browser, base_url, some) -> None:
    """A chart is an <img>: switched to dark by the toggle it is drawn exactly as with the system asking for dark,
    not as in light; switched to light, with the system asking for light or for dark, it is drawn as in light."""
    shots = {}
    for system in ("light", "dark"):
        context = _context(browser, base_url, system)
        page = context.new_page()
        try:
            visit(page, base_url + some["cycle"], until="load")
            shots[system] = _chart_shot(page)
            for name in (TO_DARK, TO_LIGHT) if system == "light" else (TO_LIGHT,):
                page.get_by_role("button", name=name, exact=True).click()
                shots[f"{name}, the system {system}"] = _chart_shot(page)
                visit(page, base_url + some["cycle"], until="load")  # the next page, in the scheme chosen
                shots[f"{name}, the system {system}, the next page"] = _chart_shot(page)
        finally:
            context.close()
    same = shots["light"] == shots["dark"]
    assert not same, "the chart is drawn the same in light and dark"
    wrong = [
        name
        for name, shot in shots.items()
        if name.startswith("Switch") and shot != shots["dark" if name.startswith(TO_DARK) else "light"]
    ]
    assert not wrong, f"the chart is not drawn as in the scheme chosen after: {wrong}"


def test_the_palette_override_is_materials_own_but_for_the_button() -> None:
    """overrides/partials/palette.html is a copy of Material's, but for its button: it must follow Material's."""
    material = pytest.importorskip("material")
    theirs = Path(material.__file__).parent / "templates" / "partials" / "palette.html"
    ours = ROOT / "site_templates" / "overrides" / "partials" / "palette.html"

    def body(path: Path) -> str:
        return path.read_text(encoding="utf-8").split("-#}\n", 1)[1]

    palette = body(ours).replace(
        ' aria-hidden="true" tabindex="-1" type="radio"',
        ' {% if option.toggle %} aria-label="{{ option.toggle.name }}" {% else %} '
        'aria-hidden="true" {% endif %} type="radio"',
    )
    palette = re.sub(
        r'<button type="button" class="md-header__button md-icon ehqa-header-button" '
        r'data-ehqa-palette="(__palette_\{\{ loop.index % loop.length \}\})" '
        r'aria-label="\{\{ option.toggle.name \}\}" (title="\{\{ option.toggle.name \}\}") hidden>',
        r'<label class="md-header__button md-icon" \2 for="\1" hidden>',
        palette,
    )
    assert palette.replace("</button>", "</label>") == body(theirs), (
        "Material's palette.html has changed: copy it again"
    )
