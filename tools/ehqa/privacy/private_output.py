"""Where files that name cases or people may be written: never where they could be published or read as data.

Notices (R5, R7), the QA meeting pack (R14), the audit report (R15) and the performance team's export
name cases, practitioners and auditors, which are personal data. So their ``--out`` may not be:

- the repository root;
- ``audits/`` or ``cycles/``, where a file is committed and read as data;
- ``build/``, ``site/``, ``site_templates/`` or ``docs/``, which are, or become, the learning site,
  and mkdocs.yml's ``docs_dir`` and ``site_dir``;
- the work folder of ``ehqa build`` and ``ehqa serve`` (outside the repository: generated pages and
  the preview);

nor anything inside them (exit 2). Paths are compared as they really are: symbolic links and ``..``
resolved, a folder reached by another name found by its identity, and names below the repository
compared whatever their case (``Site/`` is ``site/`` on a case-insensitive checkout, and may become
so on the next clone).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ehqa.errors import UsageProblem

# Folders of the repository whose contents are data, or are (or become) the published learning site.
PRIVATE_DATA_FOLDERS = ("audits", "cycles")
PUBLISHED_FOLDERS = ("build", "site", "site_templates", "docs")


def refuse_published(out: Path, repo: Path, reason: str = "the notices name cases") -> None:
    """Raise ``UsageProblem`` (exit 2) when ``out`` is the repository root or inside a refused folder.

    ``reason`` says why, in the message: "the notices name cases", "the meeting pack names cases".
    """
    target = _real(out)
    root = _real(repo)
    below = _parts_below(target, root)
    if below == ():
        raise UsageProblem(f"--out is the repository root: {reason}, so write to a folder of its own, "
                               "outside the repository (out/ is ignored by git)")
    for label, folder in refused_folders(repo):
        folder_below = _parts_below(_real(folder), root)
        inside_by_name = (below is not None and folder_below is not None
                          and _casefolded(below[:len(folder_below)]) == _casefolded(folder_below))
        if inside_by_name or _parts_below(target, _real(folder)) is not None:
            raise UsageProblem(f"--out {out} is inside {label}, {_why(label)}: {reason}, "
                                   "so write to a folder outside the repository")


def refused_folders(repo: Path) -> list[tuple[str, Path]]:
    """Every folder private documents may not go into, each with how to name it in a message."""
    from ehqa.load.build_cache import default_work_dir

    folders = [(f"{name}/", repo / name) for name in (*PRIVATE_DATA_FOLDERS, *PUBLISHED_FOLDERS)]
    folders += [(f"{value}/ (mkdocs.yml)", repo / value) for value in mkdocs_folders(repo)]
    folders.append(("the work folder of `ehqa build`", default_work_dir(repo)))
    return folders


def mkdocs_folders(repo: Path) -> list[str]:
    """mkdocs.yml's docs_dir and site_dir, when set (read by a plain match: the file may hold tags)."""
    config = repo / "mkdocs.yml"
    if not config.is_file():
        return []
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return []
    return re.findall(r"^(?:docs_dir|site_dir):\s*['\"]?([^'\"#\s]+)", text, flags=re.MULTILINE)


def _why(label: str) -> str:
    if label.rstrip("/") in PRIVATE_DATA_FOLDERS:
        return "whose files are committed and read as data"
    return "which is published" if not label.startswith("the work folder") else "from which the site is built"


def _real(path: Path) -> Path:
    """``path`` with ``..`` and every symbolic link of its existing part resolved."""
    return Path(os.path.abspath(path)).resolve()


def _parts_below(target: Path, folder: Path) -> tuple[str, ...] | None:
    """``target``'s path parts below ``folder`` (() when it is ``folder``), or None when it is not inside it.

    An ancestor is ``folder`` when its path is, or when both exist and are the same folder (another
    case of the same name on a case-insensitive file system, a bind mount)."""
    folder_exists = folder.exists()
    chain = [target, *target.parents]
    for depth, ancestor in enumerate(chain):
        if ancestor == folder or (folder_exists and ancestor.exists() and os.path.samefile(ancestor, folder)):
            return target.parts[len(target.parts) - depth:]
    return None


def _casefolded(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.casefold() for part in parts)
