"""The demo site built by Zensical (`ehqa build --engine zensical`, issue 13, item 12), in Chromium: it passed
the leak scan to be published at all, no request leaves 127.0.0.1, axe finds no WCAG 2.2 AA violation on any
kind of page, and chart text is never under 12 CSS px on a phone.

Skipped where Zensical is not installed (pip install -e '.[zensical]'), except in CI, where that fails.
Screenshots go to test-artifacts/screenshots/zensical-<kind>.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import test_site_browser as shared
from test_chart_text import MEASURE, SMALLEST
from test_site_browser import OFFLINE, SCREENSHOTS, _assert_axe_passes, _in_ci, visit

from conftest import AS_OF, ROOT
from ehqa.site import engines

# test_site_browser.py's fixtures, over this module's site: the browser, its server, the recording context.
browser, base_url, traffic, context, page = shared.browser, shared.base_url, shared.traffic, shared.context, shared.page

KINDS = {"home": "index.html", "cycle": None, "theme": None, "year": None, "framework": "framework.html",
         "take-part": "take-part.html", "submit-audit": "submit-audit.html"}


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory) -> Path:
    """The committed demo site, built by `ehqa build --engine zensical` into a temporary folder, offline."""
    if engines.zensical_command() is None:
        message = f"Zensical {engines.ZENSICAL} is not installed (pip install -e '.[zensical]')"
        if _in_ci():
            pytest.fail(f"{message}: in CI the Zensical site must be tested")
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("zensical-site")
    out = tmp / "site"
    command = [sys.executable, "-m", "ehqa", "build", "--repo", str(ROOT), "--out", str(out), "--work",
               str(tmp / "work"), "--as-of", str(AS_OF), "--quiet", "--engine", "zensical"]
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ | OFFLINE, timeout=900)
    assert result.returncode == 0, f"`ehqa build --engine zensical` failed:\n{result.stdout}\n{result.stderr}"
    assert "Zensical" in result.stdout and "leak scan: no case reference" in result.stdout
    return out


@pytest.fixture(scope="module")
def kinds(site: Path) -> dict[str, str]:
    def with_chart(folder: str) -> str:
        return next(p.relative_to(site).as_posix() for p in sorted((site / folder).glob("*.html"), reverse=True)
                    if p.name != "index.html" and 'class="ehqa-chart"' in p.read_text(encoding="utf-8"))

    return {kind: path or with_chart({"cycle": "cycles", "theme": "themes", "year": "years"}[kind])
            for kind, path in KINDS.items()}


def test_the_zensical_site_makes_no_outside_request_and_passes_axe(page, base_url: str, kinds: dict[str, str],
                                                                   traffic) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, path in kinds.items():
        visit(page, base_url + path)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the lazy charts load
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / f"zensical-{kind}.png"), full_page=True)
        _assert_axe_passes(page, f"the Zensical site's {kind} page ({path})")
    assert len(set(traffic.requests)) > len(kinds)
    assert not traffic.outside(), "requests left 127.0.0.1:\n" + "\n".join(traffic.outside())
    assert not traffic.errors, "requests that failed:\n" + "\n".join(traffic.errors)


def test_the_zensical_sites_chart_text_is_never_under_12_css_px_on_a_phone(browser, base_url: str,
                                                                           kinds: dict[str, str]) -> None:
    phone = browser.new_context(base_url=base_url, viewport={"width": 375, "height": 800}, locale="en-GB")
    phone.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
    page = phone.new_page()
    sizes = []
    try:
        for kind in ("home", "cycle", "theme", "year"):
            visit(page, base_url + kinds[kind])
            sizes += [(min(px for _, px in chart["texts"]), kinds[kind]) for chart in page.evaluate(MEASURE)]
    finally:
        phone.close()
    assert sizes and min(sizes)[0] >= SMALLEST, f"chart text at {min(sizes)[0]:.1f} px on {min(sizes)[1]}"
