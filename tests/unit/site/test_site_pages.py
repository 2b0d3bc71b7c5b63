"""ehqa.site without a build: charts drawn the same every time with nothing fetched, free text that cannot
add markup or links, the submit form's link to GitHub, and a mkdocs.yml that Zensical can read. The
built site: tests/cli/test_build.py."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT
from ehqa.site import charts
from ehqa.site.pages import tag, text

ALLOWED_PLUGINS = {"search", "tags", "blog", "offline"}  # what Zensical supports


def test_charts_are_reproducible_and_draw_no_font_from_outside() -> None:
    chart = charts.make_chart("stacked_rows", {
        "style": "grades", "series": [["outstanding", "Outstanding"], ["good", "Good"]],
        "rows": [["Overall", [3, 5]], ["Voice of the child", [2, 6]]]}, "Grades", "3 of 8 were Outstanding.")
    first, second = charts.draw(chart), charts.draw(chart)
    assert first == second
    svg = first.decode()
    assert "@font-face" not in svg and "url(http" not in svg
    assert "<text" in svg  # text stays text (svg.fonttype none): nothing embedded, nothing fetched
    assert re.fullmatch(r"assets/charts/[a-p]{16}\.svg", chart.path), "chart names have no digits"


def test_free_text_cannot_add_markup_or_links() -> None:
    assert text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert text("see [here](https://example.org) and *this*") == "see \\[here\\](https://example.org) and \\*this\\*"
    assert text("a | b") == "a \\| b"
    assert str(tag('Bad <b>"theme"</b>')) == '"Bad b\\"theme\\"/b"'


def test_mkdocs_yml_uses_only_what_zensical_supports() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False
    assert config["theme"]["language"] == "en"
    assert "hooks" not in config
    plugins = {p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]}
    assert plugins <= ALLOWED_PLUGINS and {"search", "tags"} <= plugins
    assert len(config["nav"]) <= 8
    assert config["use_directory_urls"] is False  # tables link to .html pages; the site opens from disk
    assert all(not css.startswith(("http:", "https:", "//")) for css in config.get("extra_css", []))
    assert 'mkdocs<2' in (ROOT / "pyproject.toml").read_text()


def test_the_forms_link_to_the_repository_qa_yaml_names_never_to_mkdocs_repo_url(tmp_path) -> None:
    """mkdocs.yml's repo_url makes Material call GitHub's API from every page: the forms take the repository
    from qa.yaml's github.repository instead, and do without it."""
    import json
    import shutil

    from jsonschema import Draft202012Validator

    from conftest import FIXTURE_SERVICE
    from ehqa.load.repository import load_repository
    from ehqa.site.pages import form_context, submit_context

    assert "repo_url" not in yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    schema = json.loads((ROOT / "schemas" / "settings.schema.json").read_text())
    github = Draft202012Validator(schema["properties"]["github"])
    for good in ("example-council/early-help-qa", "a/b", "org-1/.github"):
        assert github.is_valid({"repository": good}), good
    for bad in ("https://github.com/example-council/qa", "example-council", "a/b/c", "a/..", "-a/b", "a/b?x=1"):
        assert not github.is_valid({"repository": bad}), bad

    copy = tmp_path / "service"
    shutil.copytree(FIXTURE_SERVICE, copy)
    service = load_repository(copy).service
    assert service.settings.github_repository is None and submit_context(service)["github_repo"] is None
    qa = (copy / "qa.yaml").read_text(encoding="utf-8")
    (copy / "qa.yaml").write_text(qa + "github:\n  repository: example-council/early-help-qa\n"
                                  if "\ngithub:" not in qa else
                                  qa.replace("\ngithub:\n", "\ngithub:\n  repository: example-council/early-help-qa\n"),
                                  encoding="utf-8")
    service = load_repository(copy).service
    assert service.settings.github_repository == "example-council/early-help-qa"
    assert submit_context(service)["github_repo"] == "example-council/early-help-qa"
    assert form_context(service, None)["github_repo"] == "example-council/early-help-qa"  # type: ignore[arg-type]
