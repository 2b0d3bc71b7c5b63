"""ehqa.layout, every path ehqa knows (issue 9, item 2): what an entry under audits/ and cycles/ is, or
the rule it breaks; and ehqa.findings, which never lets a message quote a value whole.

``ehqa validate`` and ``ehqa check-pr`` on the same entries: tests/cli/test_validate_layout.py and
tests/cli/test_check_pr.py.
"""

from __future__ import annotations

import pytest

from ehqa.findings import MAX_QUOTED_CHARS, Finding, shorten, shown
from ehqa.framework.checks import RULES
from ehqa.layout import RULE_CITES, EntryType, Known, Problem, case_clashes, classify

# --- the grammar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "entry", "expected"),
    [
        ("qa.yaml", EntryType.FILE, "settings"),
        ("cycles/2026-11.yaml", EntryType.FILE, "cycle"),
        ("cycles/2026-11.allocation.yaml", EntryType.FILE, "allocation"),
        ("audits/2026-11", EntryType.FOLDER, "folder"),
        ("audits/2026-11/9183570.yaml", EntryType.FILE, "audit"),
        ("audits/2026-11/9183570.worker.yaml", EntryType.FILE, "worker"),
        ("README.md", EntryType.FILE, None),  # not ehqa's data
        ("schemas/audit.schema.json", EntryType.FILE, None),
        ("audits/2026-11/9183570.yaml", EntryType.SYMLINK, "FILE-SYMLINK"),
        ("audits", EntryType.SYMLINK, "FILE-SYMLINK"),
        ("staff.yaml", EntryType.SYMLINK, "FILE-SYMLINK"),
        ("audits/2026-11/9183570.yaml", EntryType.OTHER, "FILE-SYMLINK"),  # a pipe; in Git, a submodule
        ("audits/2026-11/9183570.YAML", EntryType.FILE, "FILE-CASE"),
        ("audits/2026-11/9183570.Worker.yaml", EntryType.FILE, "FILE-CASE"),
        ("cycles/2026-11.Allocation.yaml", EntryType.FILE, "FILE-CASE"),
        ("Audits/2026-11/9183570.yaml", EntryType.FILE, "FILE-CASE"),
        ("QA.yaml", EntryType.FILE, "FILE-CASE"),
        ("audits/2026-11/9183570.yml", EntryType.FILE, "FILE-UNKNOWN"),
        ("audits/2026-11/notes.md", EntryType.FILE, "FILE-UNKNOWN"),
        ("audits/2026-11/.gitkeep", EntryType.FILE, "FILE-UNKNOWN"),
        ("cycles/2026-11-allocation.yaml", EntryType.FILE, "FILE-UNKNOWN"),
        ("audits/9183570.yaml", EntryType.FILE, "FILE-UNKNOWN"),
        ("audits/2026-11/X.yaml", EntryType.FOLDER, "FILE-STRAY-FOLDER"),
        ("audits/2026-11/X.yaml/9183570.yaml", EntryType.FILE, "FILE-STRAY-FOLDER"),
        ("audits/november/9183570.yaml", EntryType.FILE, "FILE-STRAY-FOLDER"),
        ("cycles/old/2026-11.yaml", EntryType.FILE, "FILE-STRAY-FOLDER"),
    ],
)
@pytest.mark.rule("R4", "R8")  # the problems cite them
def test_classify(path: str, entry: EntryType, expected: str | None) -> None:
    found = classify(path, entry)
    if expected is None:
        assert found is None
    elif isinstance(found, Known):
        assert found.kind == expected
    else:
        assert isinstance(found, Problem) and found.rule == expected, found
        assert found.message.endswith(f"({RULE_CITES[found.rule]})")


def test_layout_rules_are_in_the_catalogue_with_the_same_citation() -> None:
    for rule, cites in RULE_CITES.items():
        assert RULES[rule].cites == cites


def test_case_clashes() -> None:
    paths = ["audits/2026-11/EH1.yaml", "audits/2026-11/eh1.yaml", "audits/2026-11/9183570.yaml",
             "audits/2026-11/Cafe\u0301.yaml", "audits/2026-11/caf\u00e9.yaml"]  # é composed and decomposed
    assert case_clashes(paths) == {
        "audits/2026-11/EH1.yaml": ["audits/2026-11/eh1.yaml"],
        "audits/2026-11/eh1.yaml": ["audits/2026-11/EH1.yaml"],
        "audits/2026-11/Cafe\u0301.yaml": ["audits/2026-11/caf\u00e9.yaml"],
        "audits/2026-11/caf\u00e9.yaml": ["audits/2026-11/Cafe\u0301.yaml"],
    }


# --- no message quotes a value whole ----------------------------------------------------------------


def test_shown_and_shorten_cut_values_only() -> None:
    assert shown("x" * 10_000) == "'" + "x" * MAX_QUOTED_CHARS + "…'"
    assert shown("short") == "'short'"
    message = "grade 'Requires Improvement' is not one of: good, requires-improvement; did you mean 'good'?"
    assert shorten(message) == message  # nothing long: untouched
    long_key = "k" * 10_000
    assert shorten(f"unknown field '{long_key}'; did you mean 'case'?") == \
        f"unknown field '{'k' * MAX_QUOTED_CHARS}…'; did you mean 'case'?"
    words = "the child's plan " * 600  # a quoted value with spaces and apostrophes in it
    cut = Finding("SCHEMA-INVALID", f"text: '{words}' is too long", "f").message
    assert cut == f"text: '{words[:MAX_QUOTED_CHARS]}…' is too long"


def test_a_quoted_value_cannot_break_a_message_across_lines() -> None:
    assert shown("first line\nsecond line") == "'first line\\nsecond line'"
