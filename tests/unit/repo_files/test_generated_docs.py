"""The handbook's generated pages (docs/framework.md, docs/reference/), written by ehqa.repo_files.reference:
current, and documenting every setting and every check. `ehqa fields`, which writes and checks them:
tests/cli/test_fields.py."""

from __future__ import annotations

import json

from conftest import ROOT
from ehqa.framework.checks import RULES
from ehqa.repo_files.reference import generated_docs, read_schemas

SCHEMAS = ROOT / "schemas"
DOCS = ROOT / "docs"


def test_generated_docs_are_current() -> None:
    """docs/framework.md and docs/reference/ are generated; a hand edit or a code change without
    `ehqa fields --update docs` fails here (and in CI)."""
    stale = [name for name, text in generated_docs(read_schemas(SCHEMAS)).items()
             if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != text]
    assert not stale, f"run: ehqa fields --update docs ({stale})"


def test_every_setting_and_rule_is_documented() -> None:
    fields = (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")
    checks = (DOCS / "reference" / "checks.md").read_text(encoding="utf-8")
    settings = json.loads((SCHEMAS / "settings.schema.json").read_text(encoding="utf-8"))
    missing = [f"`{key}`" for key in settings["properties"] if f"`{key}`" not in fields]
    missing += [f"`{rule}`" for rule in RULES if f"`{rule}`" not in checks]
    assert not missing
