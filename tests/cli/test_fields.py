"""`ehqa fields`: prints the field reference, and writes (--update) or checks (--check) the handbook's
generated pages; a broken schema is named, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

SCHEMAS = ROOT / "schemas"
DOCS = ROOT / "docs"


def test_stale_generated_docs_are_detected_and_rewritten(tmp_path: Path, ehqa) -> None:
    docs = tmp_path / "docs"
    (docs / "reference").mkdir(parents=True)
    fields = (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")
    (docs / "reference" / "fields.md").write_text(fields.replace("`completed`", "`finished`"), encoding="utf-8")
    (docs / "framework.md").write_text((DOCS / "framework.md").read_text(encoding="utf-8"), encoding="utf-8")
    # reference/checks.md is missing altogether
    result = ehqa("fields", "--repo", str(ROOT), "--check", str(docs))
    assert result.exit_code == 1
    assert "fields.md: stale or missing" in result.output and "checks.md: stale or missing" in result.output
    assert "framework.md" not in result.output
    framework_stamp = (docs / "framework.md").stat().st_mtime_ns
    result = ehqa("fields", "--repo", str(ROOT), "--update", str(docs))
    assert result.exit_code == 0, result.output
    for name in ("framework.md", "reference/checks.md", "reference/fields.md"):
        assert (docs / name).read_text(encoding="utf-8") == (DOCS / name).read_text(encoding="utf-8")
    assert (docs / "framework.md").stat().st_mtime_ns == framework_stamp  # a current page is not rewritten
    result = ehqa("fields", "--repo", str(ROOT), "--check", str(docs))
    assert result.exit_code == 0 and "up to date" in result.output


def test_a_broken_schema_is_named_not_a_traceback(tmp_path: Path, ehqa) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SCHEMAS, repo / "schemas")
    (repo / "schemas" / "cycle.schema.json").write_text('{"title": \n', encoding="utf-8")
    result = ehqa("fields", "--repo", str(repo), "--check", str(tmp_path / "docs"))
    assert result.exit_code == 2 and "cycle.schema.json: Expecting value: line 2" in result.output


def test_fields_without_options_prints_the_field_reference(ehqa) -> None:
    result = ehqa("fields", "--repo", str(ROOT))
    assert result.exit_code == 0
    assert result.output == (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")
