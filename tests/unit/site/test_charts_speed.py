"""Charts fast enough to be a small part of the build (issue 13, item 11): written as SVG text, each in about a
millisecond, where matplotlib took 0.15–0.3 s a chart and charts were 81–86% of the build. Measured in CPU
time of this process, so that a busy machine does not fail it; benchmarks/site.py times whole builds."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import pytest

from ehqa.site import charts

SVG = "{http://www.w3.org/2000/svg}"


def _examples() -> list[charts.Chart]:
    """One chart of each kind, as large as the 10-year service's: ten domains, twelve months, 24 cycles."""
    domains = [f"Domain {name}" for name in "ABCDEFGHIJ"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    grades = [["outstanding", "Outstanding"], ["good", "Good"], ["requires-improvement", "Requires Improvement"],
              ["inadequate", "Inadequate"], ["withheld", "not shown [c]"]]
    return [
        charts.make_chart("stacked_rows", {"style": "grades", "series": grades,
                                           "rows": [[d, [5, 40, 30, 20, 5]] for d in domains]}, "Grades", "alt text"),
        charts.make_chart("compare", {"categories": [g[1] for g in grades[:4]],
                                      "series": [["October", [10.0, 50.0, None, 20.0]], ["2025", [12.0, 57.0, 23.0, 8.0]]]},
                          "Compare", "alt text"),
        charts.make_chart("counts", {"labels": [f"2025-{m:02d}" for m in range(1, 13)] * 2, "values": list(range(24)),
                                     "ylabel": "audits tagged"}, "Counts", "alt text"),
        charts.make_chart("heatmap", {"rows": domains, "columns": months,
                                      "cells": [[(7 * r + 9 * c) % 101 if c % 5 else "c" for c in range(12)]
                                                for r in range(10)], "xlabel": "share Good or better"}, "Heat", "alt text"),
        charts.make_chart("stacked_columns", {"columns": months, "series": [[k, n, [80 + i for i in range(12)]]
                                                                            for k, n in grades[:4]]}, "Columns", "alt"),
    ]


def test_155_charts_are_drawn_in_under_a_second_of_cpu() -> None:
    """The 10-year service's 155 charts took 44 s with matplotlib; now under a second, so no worker processes."""
    examples = _examples()
    started = time.process_time()
    for index in range(155):
        charts.draw(examples[index % len(examples)])
    assert time.process_time() - started < 1.0


def test_every_chart_is_svg_with_its_text_as_text_at_14_px() -> None:
    for chart in _examples():
        svg = charts.draw(chart)
        root = ET.fromstring(svg)
        assert root.get("font-size") == str(charts.FONT) and charts.FONT * 343 / charts.WIDTH >= 12
        texts = list(root.iter(f"{SVG}text"))
        assert texts and all(t.get("font-size") is None for t in texts), chart.kind  # one size for all
        assert b"@font-face" not in svg and b"<image" not in svg and b"http://www.w3.org/2000/svg" in svg
        assert root.get("width") == str(charts.WIDTH) and root.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
        assert [t for t in texts if t.get("class") == "v"], f"{chart.kind}: no figure marked class=v"


def test_the_heatmap_colours_are_matplotlibs_cividis() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    cividis = matplotlib.colormaps["cividis"]
    for share in range(101):
        r, g, b, _ = cividis(share / 100)
        assert charts._cividis(share) == f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
