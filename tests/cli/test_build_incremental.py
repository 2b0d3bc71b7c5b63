"""A rebuild that reuses the last build's work folder makes the same site as a build from nothing (issue 13).

MkDocs' render of each page and its search entries are kept between builds (site/render_cache.py),
and the load cache keeps each file's parse: after an audit changes, is added or deleted, after a
template or mkdocs.yml changes, the site a rebuild publishes must be the very bytes a build from
nothing publishes, and the rebuild must have taken the unchanged pages from the cache. On copies
of the sample service (tests/fixtures/service), its charts drawn once per run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURE_SERVICE
from ehqa.site.build import SOURCE_TREE

AUDIT = "audits/2026-10/9160347.yaml"


@pytest.fixture(scope="module")
def warm(tmp_path_factory, drawn_charts, ehqa) -> tuple[Path, Path]:
    """The sample service and the work folder of one build of it (its caches warm)."""
    folder = tmp_path_factory.mktemp("warm")
    repo, work = folder / "repo", folder / "work"
    shutil.copytree(FIXTURE_SERVICE, repo)
    shutil.copytree(drawn_charts(FIXTURE_SERVICE), work / "cache" / "charts")
    build(ehqa, repo, folder / "site", work)
    return repo, work


def build(ehqa, repo: Path, out: Path, work: Path) -> str:
    result = ehqa("build", "--repo", repo, "--out", out, "--work", work, "--as-of", AS_OF, "--strict", "-q")
    assert result.exit_code == 0, result.output
    return result.output


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def rebuild_equals_from_nothing(ehqa, warm, tmp_path: Path, drawn_charts, change) -> tuple[int, int]:
    """Change a copy of the warm service with ``change(repo)``; build it with a copy of the warm work folder
    and from nothing; assert both sites are the same bytes. The rebuild's pages rendered and cached."""
    repo, work = tmp_path / "repo", tmp_path / "work"
    shutil.copytree(warm[0], repo)
    shutil.copytree(warm[1], work)
    change(repo)
    said = build(ehqa, repo, tmp_path / "rebuilt", work)
    fresh = tmp_path / "fresh-work"
    shutil.copytree(drawn_charts(FIXTURE_SERVICE), fresh / "cache" / "charts")  # keyed by each chart's data
    from_nothing = build(ehqa, repo, tmp_path / "from-nothing", fresh)
    assert re.search(r"; [1-9][0-9]* pages rendered, 0 from the cache", from_nothing), from_nothing
    rebuilt, expected = files_of(tmp_path / "rebuilt"), files_of(tmp_path / "from-nothing")
    assert sorted(rebuilt) == sorted(expected)
    assert [name for name in expected if rebuilt[name] != expected[name]] == []
    rendered, cached = map(int, re.search(r"; ([0-9]+) pages rendered, ([0-9]+) from the cache", said).groups())
    return rendered, cached


def test_after_one_audit_changes_the_rebuild_renders_only_its_pages_and_equals_a_build_from_nothing(
    ehqa, warm, tmp_path, drawn_charts
):
    def change(repo: Path) -> None:
        path = repo / AUDIT
        text = path.read_text(encoding="utf-8")
        assert "overall:\n  grade: good\n" in text
        path.write_text(text.replace("overall:\n  grade: good\n", "overall:\n  grade: outstanding\n"), encoding="utf-8")

    rendered, cached = rebuild_equals_from_nothing(ehqa, warm, tmp_path, drawn_charts, change)
    assert 0 < rendered < cached  # the pages that audit touches, not the rest


def test_after_one_audit_is_added_the_rebuild_equals_a_build_from_nothing(ehqa, warm, tmp_path, drawn_charts):
    def add(repo: Path) -> None:
        source = repo / "audits/2026-10/9166102.yaml"
        (repo / "audits/2026-10/9166199.yaml").write_bytes(source.read_bytes())
        shutil.copytree(repo / "audits/2026-10/9166102.records", repo / "audits/2026-10/9166199.records")

    rendered, cached = rebuild_equals_from_nothing(ehqa, warm, tmp_path, drawn_charts, add)
    assert rendered > 0 and cached > 0


def test_after_one_audit_is_deleted_the_rebuild_equals_a_build_from_nothing(ehqa, warm, tmp_path, drawn_charts):
    def delete(repo: Path) -> None:
        (repo / AUDIT).unlink()
        shutil.rmtree(repo / AUDIT.replace(".yaml", ".records"))

    rendered, cached = rebuild_equals_from_nothing(ehqa, warm, tmp_path, drawn_charts, delete)
    assert rendered > 0 and cached > 0


def test_after_a_template_changes_the_rebuild_equals_a_build_from_nothing(ehqa, warm, tmp_path, drawn_charts):
    def change_template(repo: Path) -> None:
        shutil.copytree(SOURCE_TREE / "site_templates", repo / "site_templates")
        template = next(p for p in sorted((repo / "site_templates").rglob("*.md.j2")) if "cycle" in p.name)
        template.write_text(
            template.read_text(encoding="utf-8") + "\n\nA sentence the templates gained.\n", encoding="utf-8"
        )

    rendered, cached = rebuild_equals_from_nothing(ehqa, warm, tmp_path, drawn_charts, change_template)
    assert rendered > 0


def test_after_mkdocs_yml_changes_every_page_is_rendered_again(ehqa, warm, tmp_path, drawn_charts):
    def change_config(repo: Path) -> None:
        config = (SOURCE_TREE / "mkdocs.yml").read_text(encoding="utf-8")
        assert "permalink: false" in config
        text = config.replace("permalink: false", "permalink: true").replace(
            "custom_dir: site_templates/overrides", f"custom_dir: {SOURCE_TREE / 'site_templates' / 'overrides'}"
        )
        (repo / "mkdocs.yml").write_text(text, encoding="utf-8")

    rendered, cached = rebuild_equals_from_nothing(ehqa, warm, tmp_path, drawn_charts, change_config)
    assert rendered > 0 and cached == 0
