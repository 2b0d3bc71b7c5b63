"""The README and the handbook in docs/: short, true to the CLI, and every link between them resolves on GitHub."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml

from conftest import ROOT
from ehqa.cli import cli

DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted([README, *DOCS.rglob("*.md")])

# The README's two commands: CI (.ci/run) and people copy them as they are, character for character.
MAIN_JOB = ("python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/ehqa validate"
            " && .venv/bin/ehqa summary && .venv/bin/ehqa build"
            ' && echo "Open site/index.html in a browser, or run .venv/bin/ehqa serve"')
ALL_TESTS = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"

# Folders that are not the repository's own files: environments, caches, build output.
NOT_OURS = {".git", ".venv", "build", "site", "out", "test-artifacts", "node", ".work", "__pycache__",
            ".pytest_cache", ".hypothesis"}


def _prose(text: str) -> str:
    """The text outside fenced code blocks."""
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def test_the_readme_is_short_and_keeps_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    assert f"```sh\n{MAIN_JOB}\n```" in text and f"```sh\n{ALL_TESTS}\n```" in text
    assert "docs/README.md" in text


def test_no_file_of_the_repository_mentions_domain_md() -> None:
    mentions = []
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if path.is_dir() or NOT_OURS.intersection(parts) or any(p.endswith(".egg-info") for p in parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (screenshots, fonts) and files that are not UTF-8 on purpose
        if "DOMAIN" + ".md" in text:
            mentions.append(str(path.relative_to(ROOT)))
    assert not mentions


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^]]*)\]\([^)]*\)", r"\1", heading.strip())
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    found = set(re.findall(r'<a id="([^"]+)"></a>', text))
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.+)$", _prose(text), flags=re.M):
        slug = github_slug(heading)
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return found


def test_github_slugs_are_worked_out_as_github_does() -> None:
    assert github_slug("Follow-ups (`ehqa followups`)") == "follow-ups-ehqa-followups"
    assert github_slug("The framework: rules R1–R22") == "the-framework-rules-r1r22"
    assert github_slug("Data that must stay private") == "data-that-must-stay-private"


def _links(page: Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", _prose(page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for link in _links(page):
        if re.match(r"^[a-z]+:", link):
            continue  # https: and mailto: go outside, and are not checked offline
        target, _, fragment = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            broken.append(link)
        elif fragment and (path.suffix != ".md" or fragment not in _anchors(path)):
            broken.append(link)
    assert not broken


def test_the_handbook_index_links_to_every_page() -> None:
    linked = {(DOCS / link.partition("#")[0]).resolve() for link in _links(DOCS / "README.md")}
    missing = [str(p.relative_to(ROOT)) for p in DOCS.rglob("*.md") if p != DOCS / "README.md" and p not in linked]
    assert not missing


def test_the_handbook_is_plain_markdown_and_not_part_of_the_learning_site() -> None:
    mkdocs_only = re.compile(r"^(!!!|\?\?\?|=== \"|--8<--)|\{:? ?[#.][\w-]+ ?\}", re.M)
    pages = [p for p in DOCS.rglob("*.md") if mkdocs_only.search(_prose(p.read_text(encoding="utf-8")))]
    assert not pages
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["docs_dir"] != "docs"


def _command(words: list[str]) -> tuple[click.Command, list[str]]:
    """The command a line of words names (``cycle new``), and the words left after it."""
    command: click.Command = cli
    while words and isinstance(command, click.Group) and words[0] in command.commands:
        command, words = command.commands[words[0]], words[1:]
    return command, words


def test_every_command_and_option_the_handbook_shows_exists() -> None:
    """Each `ehqa …` in the handbook names a real command, and each --option is one of that command's."""
    wrong = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        shell = "\n".join(re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M))
        lines = re.findall(r"`ehqa ([^`]+)`", text) + re.findall(r"^(?:\.venv/bin/)?ehqa ([^#\n]+)", shell, flags=re.M)
        for line in lines:
            command, rest = _command(line.split())
            if command is cli and not (rest[0].startswith("-") or rest[0].isupper()):  # ehqa --help, ehqa COMMAND
                wrong.append(f"{page.name}: ehqa {line}")
                continue
            known = {name for param in command.params for name in getattr(param, "opts", ())}
            options = re.findall(r"(?<![\w-])--[a-z-]+", " ".join(rest))
            wrong += [f"{page.name}: ehqa {line}: {option}" for option in options if option not in known | {"--help"}]
    assert not wrong
