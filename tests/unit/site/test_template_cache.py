"""Compiled Jinja templates kept between builds (``site.template_cache``, issue 13): never stale, never
shared between environments that compile differently, and never run from a file this user's ehqa did not write."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from ehqa.load import build_cache
from ehqa.site import template_cache
from ehqa.site.template_cache import TemplateCodeCache, keep_compiled


@pytest.fixture(autouse=True)
def empty_memory(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(template_cache, "_MEMORY", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # this test's own key


def env(templates: Path, folder: Path | None = None, **options) -> jinja2.Environment:
    return keep_compiled(jinja2.Environment(loader=jinja2.FileSystemLoader(templates), **options), folder)


def compiles(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return seen


def test_a_template_is_compiled_once_per_process_and_once_for_the_next_build(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "page.j2").write_text("Hello {{ who }}", encoding="utf-8")
    seen = compiles(monkeypatch)
    assert env(tmp_path).get_template("page.j2").render(who="staff") == "Hello staff"
    assert env(tmp_path).get_template("page.j2").render(who="again") == "Hello again"
    assert seen == ["page.j2"]
    monkeypatch.setattr(template_cache, "_MEMORY", {})  # another process
    assert env(tmp_path, tmp_path / "code").get_template("page.j2").render(who="x") == "Hello x"
    monkeypatch.setattr(template_cache, "_MEMORY", {})
    assert env(tmp_path, tmp_path / "code").get_template("page.j2").render(who="y") == "Hello y"
    assert seen == ["page.j2", "page.j2"]  # the second process took it from the folder


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.j2"
    page.write_text("before", encoding="utf-8")
    assert env(tmp_path, tmp_path / "code").get_template("page.j2").render() == "before"
    page.write_text("after", encoding="utf-8")
    assert env(tmp_path, tmp_path / "code").get_template("page.j2").render() == "after"


def test_environments_that_compile_differently_do_not_share_code(tmp_path: Path) -> None:
    (tmp_path / "page.j2").write_text("{% if true %}\nline\n{% endif %}\n", encoding="utf-8")
    assert env(tmp_path).get_template("page.j2").render() == "\nline\n"
    assert env(tmp_path, trim_blocks=True).get_template("page.j2").render() == "line\n"
    assert env(tmp_path, autoescape=True).get_template("page.j2").render() == "\nline\n"


@pytest.mark.parametrize("mac_is_ours", [False, True])
def test_compiled_code_from_a_file_this_user_did_not_write_is_never_run(tmp_path: Path, monkeypatch,
                                                                        mac_is_ours: bool) -> None:
    """Code compiled from another source, planted under the key and checksum of ours: run only if its MAC is
    ours (the control case, which shows the MAC is what stops it)."""
    (tmp_path / "page.j2").write_text("the real page", encoding="utf-8")
    folder = tmp_path / "code"
    real = env(tmp_path, folder)
    real.get_template("page.j2")
    [kept] = folder.iterdir()
    planted_source = jinja2.Environment().compile("PLANTED", "page.j2", str(tmp_path / "page.j2"))
    bucket = real.bytecode_cache.get_bucket(real, "page.j2", str(tmp_path / "page.j2"), "the real page")
    bucket.code = planted_source
    data = bucket.bytecode_to_string()
    mac = build_cache.mac_of(data) if mac_is_ours else "0" * 64
    kept.write_bytes(mac.encode("ascii") + b"\n" + data)
    monkeypatch.setattr(template_cache, "_MEMORY", {})
    rendered = env(tmp_path, folder).get_template("page.j2").render()
    assert rendered == ("PLANTED" if mac_is_ours else "the real page")
    assert isinstance(real.bytecode_cache, TemplateCodeCache)
