"""The repository's schemas/ compiled once for the same bytes, whichever folder holds them (a copy of a service,
the base and the head of a pull request): checking each schema against JSON Schema's metaschema was most of a
small validation's time. A schema whose bytes differ is compiled afresh, and a broken one is refused every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT
from ehqa.load.schema_check import SchemaError, Schemas


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the schemas checked against the metaschema, as they are checked."""
    seen: list[str] = []
    real = Draft202012Validator.check_schema

    def counting(schema, *args, **kwargs):
        seen.append(schema.get("title", "?"))
        return real(schema, *args, **kwargs)

    monkeypatch.setattr(Draft202012Validator, "check_schema", staticmethod(counting))
    return seen


def copy_schemas(where: Path, note: str = "") -> Path:
    """A copy of this repository's schemas; with ``note``, bytes no other test compiles (a description added)."""
    shutil.copytree(ROOT / "schemas", where)
    if note:
        audit = where / "audit.schema.json"
        audit.write_text(audit.read_text(encoding="utf-8").replace('"title":', f'"description": "{note}", "title":', 1),
                         encoding="utf-8")
    return where


def test_the_same_schemas_in_two_folders_are_compiled_once(tmp_path: Path, checks: list[str]) -> None:
    first = Schemas.for_folder(copy_schemas(tmp_path / "a", note=str(tmp_path)))
    assert len(checks) == 8
    assert Schemas.for_folder(copy_schemas(tmp_path / "b", note=str(tmp_path))) is first
    assert len(checks) == 8, "the same bytes in another folder were compiled again"


def test_a_changed_schema_is_compiled_again_and_a_broken_one_refused_each_time(tmp_path: Path,
                                                                               checks: list[str]) -> None:
    folder = copy_schemas(tmp_path / "a")
    before = Schemas.for_folder(folder)
    audit = folder / "audit.schema.json"
    audit.write_text(audit.read_text(encoding="utf-8").replace('"title":', f'"description": "{tmp_path}", "title":',
                                                               1), encoding="utf-8")
    checks.clear()
    assert Schemas.for_folder(folder) is not before and len(checks) == 8
    audit.write_text('{"type": 12}', encoding="utf-8")  # not a JSON Schema: "type" must name a type
    for _ in range(2):
        with pytest.raises(SchemaError, match="is not a valid JSON Schema"):
            Schemas.for_folder(folder)
    audit.unlink()
    with pytest.raises(SchemaError, match="No such file or directory"):
        Schemas.for_folder(folder)
