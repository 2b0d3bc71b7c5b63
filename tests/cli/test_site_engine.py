"""`ehqa build --engine zensical` (issue 13, item 12): Material for MkDocs ends on 5 May 2027, and Zensical,
its successor, builds the same site from the same mkdocs.yml, through the same leak scan.

Without Zensical the option says how to install the pinned version, before any work. With it (pip
install -e '.[zensical]', or EHQA_ZENSICAL naming its command), the sample service is built by both
engines and gives the same pages with the same headings. Skipped where Zensical is not installed,
except in CI (the CI variable set), where that is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import AS_OF
from ehqa.site import engines


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _headings(site: Path) -> dict[str, str]:
    """Each page of a built site (by path), and its <h1> as text."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), flags=re.S)
        found[page.relative_to(site).as_posix()] = re.sub(r"<[^>]+>|\s+", " ", heading[1]).strip() if heading else ""
    return found


def test_build_engine_zensical_without_zensical_says_how_to_install_it_before_any_work(ehqa, service_copy,
                                                                                       tmp_path) -> None:
    result = ehqa("build", "--repo", service_copy, "--out", tmp_path / "site", "--work", tmp_path / "work",
                  "--as-of", AS_OF, "--engine", "zensical", env={"EHQA_ZENSICAL": str(tmp_path / "no-zensical")})
    assert result.exit_code == 1, result.output
    assert f"zensical=={engines.ZENSICAL}" in result.output and "MkDocs" in result.output
    assert not (tmp_path / "work" / "docs").exists(), "the pages were generated before the engine was checked"
    assert not (tmp_path / "site").exists()


def test_build_refuses_an_engine_it_does_not_know(ehqa, service_copy, tmp_path) -> None:
    result = ehqa("build", "--repo", service_copy, "--out", tmp_path / "site", "--as-of", AS_OF, "--engine", "hugo")
    assert result.exit_code == 2 and "mkdocs" in result.output and "zensical" in result.output


@pytest.mark.rule("R21")
def test_zensical_builds_the_same_pages_as_mkdocs_and_both_pass_the_leak_scan(ehqa, service_copy, tmp_path) -> None:
    if engines.zensical_command() is None:
        message = f"Zensical {engines.ZENSICAL} is not installed (pip install -e '.[zensical]')"
        if _in_ci():
            pytest.fail(f"{message}: in CI the Zensical build must run")
        pytest.skip(message)
    sites = {}
    for engine in engines.ENGINES:
        out = tmp_path / engine
        result = ehqa("build", "--repo", service_copy, "--out", out, "--work", tmp_path / f"work-{engine}",
                      "--as-of", AS_OF, "--strict", "--quiet", "--engine", engine)
        assert result.exit_code == 0, f"--engine {engine}:\n{result.output}"
        assert "leak scan: no case reference" in result.output
        sites[engine] = _headings(out)
    assert "Zensical" in result.output
    assert sites["zensical"] == sites["mkdocs"]
    assert len(sites["mkdocs"]) > 20 and all(sites["mkdocs"].values())
