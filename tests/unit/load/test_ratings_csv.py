"""A ratings file (``load.ratings_csv``, issue 14): any text gives either ratings or findings, each on a line of
the file with a known check id, and never both, and never an exception ("never a traceback")."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ehqa.framework.checks import RATINGS_RULES, RULES
from ehqa.load.ratings_csv import parse_ratings
from ehqa.model.enums import Grade

cells = st.sampled_from(["1", "2", "a", "b", "good", "inadequate", "", " good ", "Good", '"x,y"', "not-applicable"])
rows = st.lists(st.lists(cells, min_size=0, max_size=4).map(",".join), max_size=12)
header = st.sampled_from(["unit,rater,grade", "Unit, Rater, Grade", "unit,rater", "", "unit;rater;grade"])


@settings(max_examples=100, deadline=None)
@given(header, rows, st.text(max_size=40))
def test_any_text_gives_ratings_or_located_findings(first: str, body: list[str], noise: str) -> None:
    text = "\n".join([first, *body, noise])
    ratings, findings = parse_ratings(text, None, "r.csv")
    assert (ratings is None) == bool(findings)
    lines = text.count("\n") + 1
    for finding in findings:
        assert finding.rule in RATINGS_RULES or finding.rule in RULES
        assert finding.file == "r.csv" and 1 <= finding.line <= lines + 1


def test_blank_and_not_applicable_are_missing_and_ids_are_trimmed() -> None:
    ratings, findings = parse_ratings("unit,rater,grade\n1,a, good \n1,b,\n1,c,not-applicable\n1,d,good\n", None, "r")
    assert not findings
    assert [r.grade for r in ratings.ratings] == [Grade.GOOD, None, None, Grade.GOOD]
