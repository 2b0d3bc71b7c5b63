"""The engine that turns the generated Markdown into the site: MkDocs with Material (the default), or Zensical.

Material for MkDocs reaches the end of its life on 5 May 2027; Zensical, by the same people, is its
successor (docs/learning-site.md, "Moving to Zensical"). ``ehqa build --engine zensical`` builds the
same docs, with the same mkdocs.yml, the same leak scan over every file and the same publishing.
What differs, and why this module does more for Zensical than for MkDocs:

- Zensical takes no ``--site-dir`` and no ``--docs-dir``, and refuses either outside its project's
  folder (the folder of its configuration file). So a copy of mkdocs.yml is written into the work
  folder, with ``docs_dir: docs`` and ``site_dir:`` a folder beside it, and the site is then moved
  into the folder the leak scan reads (``build.build_site``); ``theme.custom_dir`` is made absolute.
- Zensical is a program (Rust, with a Python front end), not a library ehqa can call: it is run as
  ``zensical build -f <config>``, found beside this Python, on the PATH, or named by ``EHQA_ZENSICAL``.
- It is pinned (``ZENSICAL``; pyproject.toml's ``zensical`` extra): pre-1.0, it silently ignores
  plugins it does not support, so a newer version is a change to test, not to take.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ehqa.errors import DataError

log = logging.getLogger(__name__)

ENGINES = ("mkdocs", "zensical")
ZENSICAL = "0.0.72"  # the newest Zensical installable here: 0.0.73 and later need zensical-ui, not on the index
CONFIG = "zensical.yml"  # the copy of mkdocs.yml Zensical reads, in the work folder
SITE = "zensical-site"  # where Zensical writes the site, in the work folder, before it is moved to be scanned


class EngineError(DataError):
    """The engine is missing or failed; the message says what to do (exit 1)."""


def zensical_command() -> list[str] | None:
    """How to run Zensical: ``EHQA_ZENSICAL``, else the ``zensical`` beside this Python, else on the PATH."""
    named = os.environ.get("EHQA_ZENSICAL", "").strip()
    if named:
        return [named] if Path(named).is_file() or shutil.which(named) else None
    beside = Path(sys.executable).with_name("zensical")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("zensical")
    return [found] if found else None


def zensical_version(command: list[str]) -> str:
    result = subprocess.run([*command, "--version"], capture_output=True, text=True)
    return result.stdout.strip().split()[-1] if result.returncode == 0 and result.stdout.strip() else "unknown"


def require(engine: str) -> list[str] | None:
    """The engine's command (None for MkDocs, a library), or why it cannot be used."""
    if engine not in ENGINES:
        raise EngineError(f"no engine {engine!r}: one of {', '.join(ENGINES)}")
    if engine == "mkdocs":
        return None
    command = zensical_command()
    if command is None:
        raise EngineError(f"--engine zensical needs Zensical {ZENSICAL}, which is not installed: "
                          f"pip install 'zensical=={ZENSICAL}' (or pip install -e '.[zensical]'), or set "
                          "EHQA_ZENSICAL to its `zensical` command; or build with the default engine, MkDocs")
    return command


def build_with_zensical(config_file: Path, work: Path, out: Path, strict: bool, site_name: str) -> str:
    """Build ``work/docs`` into the empty folder ``out`` with Zensical; its version is returned."""
    command = require("zensical")
    found = zensical_version(command)
    if found != ZENSICAL:
        log.warning("Zensical %s found where %s is pinned: the site may differ (docs/learning-site.md)", found, ZENSICAL)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config.update(docs_dir="docs", site_dir=SITE, site_name=site_name)
    theme = config.get("theme") or {}
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((config_file.parent / theme["custom_dir"]).resolve())
    (work / CONFIG).write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    built = work / SITE
    shutil.rmtree(built, ignore_errors=True)
    result = subprocess.run([*command, "build", "-f", str(work / CONFIG), *(["--strict"] if strict else [])],
                            capture_output=True, text=True, cwd=work)
    if result.returncode != 0 or not (built / "index.html").is_file():
        said = (result.stdout + result.stderr).strip()[-2000:]
        raise EngineError(f"Zensical {found} could not build the site (exit {result.returncode}): {said}")
    for child in sorted(built.iterdir()):
        shutil.move(str(child), str(out / child.name))
    built.rmdir()
    return found
