"""The repository's paths from one place (``layout``), GitHub annotations from one writer
(``reporting.annotations``), and the follow-up kinds beside every other check (``framework.checks``)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from ehqa import layout
from ehqa.framework import checks
from ehqa.layout import Known
from ehqa.reporting.annotations import annotation


def test_every_path_ehqa_builds_is_one_layout_classifies_as_its_kind() -> None:
    built = {"cycle": layout.cycle_path("2026-11"), "allocation": layout.allocation_path("2026-11"),
             "audit": layout.audit_path("2026-11", "9192648"), "worker": layout.worker_path("2026-11", "9192648")}
    for kind, path in built.items():
        assert layout.classify(path) == Known(kind, "2026-11", None if kind in ("cycle", "allocation") else "9192648")
    assert layout.audit_path_of_key("2026-11/9192648") == built["audit"]
    assert layout.audit_key(built["audit"]) == "2026-11/9192648"
    record = layout.record_path("2026-11", "9192648", "2026-12-01", "report-sent", "tpatel", 2)
    assert record == "audits/2026-11/9192648.records/2026-12-01.report-sent.tpatel.2.yaml"
    assert layout.classify(record) == Known("record", "2026-11", "9192648",
                                            layout.RecordName("2026-12-01", "report-sent", "tpatel", 2))
    assert layout.classify(layout.records_folder("2026-11", "9192648"), layout.EntryType.FOLDER) == Known(
        "folder", "2026-11")


@pytest.mark.parametrize("kind", sorted(layout.SCHEMA_FILES))
def test_each_file_names_its_schema_relative_to_where_it_sits(kind: str) -> None:
    named = (layout.NAMED[kind].replace("YYYY-MM", "2026-11").replace("<case-ref>", "9192648")
             .replace("<date>.<kind>.<staff-id>", "2026-12-01.casenote.tpatel"))
    assert layout.data_kind(named) == kind
    schema = (ROOT / named).parent / layout.schema_reference(kind)
    assert schema.resolve() == (ROOT / layout.SCHEMAS / layout.SCHEMA_FILES[kind]).resolve()
    assert json.loads(schema.resolve().read_text(encoding="utf-8"))["$schema"]


def test_one_annotation_writer_escapes_values_and_properties() -> None:
    line = annotation("error", "50% done\r\nnext", file="audits/a,b:c.yaml", line=3, col=1, title="R1: x, y")
    assert line == "::error file=audits/a%2Cb%3Ac.yaml,line=3,col=1,title=R1%3A x%2C y::50%25 done%0D%0Anext"
    assert annotation("notice", "m", file="f") == "::notice file=f::m"


def test_follow_up_kinds_have_ids_unique_among_every_check() -> None:
    ids = [kind.id for kind in checks.FOLLOW_UP_KINDS]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & (set(checks.RULES) | set(checks.OWNERSHIP_RULES))
    assert all(kind.id.startswith("FOLLOWUP-") and kind.rule.startswith("R") for kind in checks.FOLLOW_UP_KINDS)
