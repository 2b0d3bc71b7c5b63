"""Where files that name cases or people may be written: never where they could be published.

Notices (R5, R7) and the QA meeting pack (R14) name cases, practitioners and auditors, which
are personal data. The learning site is built from ``site_templates/`` (and ``docs/``) into
``site/``, so those folders, mkdocs.yml's ``docs_dir`` and ``site_dir``, and the repository
root itself are refused as an ``--out`` (exit 2).
"""

from __future__ import annotations

import re
from pathlib import Path

import click

# Folders of the repository whose contents are, or become, the published learning site.
PUBLISHED_FOLDERS = ("site", "site_templates", "docs")


def refuse_published(out: Path, repo: Path, reason: str = "the notices name cases") -> None:
    """Raise ``click.UsageError`` when ``out`` is the repository root or inside a published folder.

    ``reason`` says why, in the message: "the notices name cases", "the meeting pack names cases".
    """
    target = out.resolve()
    repo = repo.resolve()
    if target == repo:
        raise click.UsageError(f"--out is the repository root: {reason}, so write to a folder of its own, "
                               "outside site/, site_templates/ and docs/")
    folders = [repo / name for name in PUBLISHED_FOLDERS] + mkdocs_folders(repo)
    for folder in folders:
        folder = folder.resolve()
        if target == folder or folder in target.parents:
            raise click.UsageError(
                f"--out {out} is inside {folder.relative_to(repo).as_posix() if folder.is_relative_to(repo) else folder}/, "
                f"which is published: {reason}, which must never go on the site"
            )


def mkdocs_folders(repo: Path) -> list[Path]:
    """mkdocs.yml's docs_dir and site_dir, when set (read by a plain match: the file may hold tags)."""
    config = repo / "mkdocs.yml"
    if not config.is_file():
        return []
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return []
    found = re.findall(r"^(?:docs_dir|site_dir):\s*['\"]?([^'\"#\s]+)", text, flags=re.MULTILINE)
    return [repo / value for value in found]
