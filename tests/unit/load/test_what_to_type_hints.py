"""Issue 12, item 12: a mistake in free text gets a plain-English hint that says what to type, not the
YAML parser's or the schema's own words."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_SERVICE, ROOT
from ehqa.load.schema_check import Schemas
from ehqa.load.strict_yaml import YamlProblem, parse
from ehqa.rules.evidence import evidence_problem


def _syntax(text: str) -> str:
    with pytest.raises(YamlProblem) as caught:
        parse(text.encode())
    assert caught.value.rule == "YAML-SYNTAX"
    return caught.value.message


def test_item12_colon_in_free_text_says_to_put_the_text_in_double_quotes() -> None:
    message = _syntax("overall:\n  summary: Mum said: the children are safer\n")
    assert 'put the whole text in double quotes: summary: "Mum said: the children are safer"' in message


def test_item12_colon_on_a_later_line_of_text_says_to_quote_from_the_first_line() -> None:
    message = _syntax("summary: Mum is doing well\n  and she said: fine\nnext: x\n")
    assert "in double quotes, or write > after the field's name" in message


@pytest.mark.parametrize(
    ("line", "suggested"),
    [
        ("evidence: 'The child's voice is heard'", 'evidence: "The child\'s voice is heard"'),
        ("evidence: 'Dad' says he's fine", "evidence: \"'Dad' says he's fine\""),
        ("  - 'Mum's view'", '- "Mum\'s view"'),
    ],
)
def test_item12_apostrophe_in_quoted_text_says_to_use_double_quotes(line: str, suggested: str) -> None:
    message = _syntax(f"strengths:\n{line}\n" if line.startswith("  -") else f"{line}\nnext: x\n")
    assert "the text starts with a quote mark (')" in message
    assert message.endswith(suggested)


def _schema_messages(change) -> list[str]:
    doc = parse((FIXTURE_SERVICE / "audits/2026-08/9120554.yaml").read_bytes())
    change(doc)
    return [f.message for f in Schemas(ROOT / "schemas").explain("audit", doc, "a.yaml")]


def test_item12_na_as_a_domain_grade_suggests_not_applicable() -> None:
    messages = _schema_messages(lambda doc: doc["domains"]["assessment"].update(grade="n/a"))
    assert any(m.endswith("write not-applicable, and say why in the domain's reason") for m in messages), messages


def test_item12_na_as_evidence_says_what_to_write_instead() -> None:
    problem = evidence_problem("n/a", 8)
    assert problem is not None and "write grade: not-applicable and a reason" in problem


def test_item12_empty_completed_asks_for_a_date_not_text() -> None:
    messages = _schema_messages(lambda doc: doc.update(completed=None))
    assert messages == ["completed is empty; write the date as YYYY-MM-DD, like 2026-11-03"]


def test_item12_empty_text_says_where_to_write_it() -> None:
    messages = _schema_messages(lambda doc: doc["overall"].update(summary=None))
    assert messages == [
        "summary is empty; write the text after the colon on the same line, or write > there and "
        "the text on the lines below, indented"
    ]
