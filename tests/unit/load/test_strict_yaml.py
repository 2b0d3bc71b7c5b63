"""The strict reader: one way to read every data file, and every way a file can be refused."""

from __future__ import annotations

import pytest

from ehqa.load.strict_yaml import MAX_VALUES, YamlProblem, locate, parse, read_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"completed: 2026-11-03\n", {"completed": "2026-11-03"}),  # dates stay ISO text
        (b"case: '0412345'\n", {"case": "0412345"}),
        (b"case: 4412345\n", {"case": 4412345}),  # the schema then asks for quotes
        (b"flag: true\nother: False\n", {"flag": True, "other": False}),
        (b"n: 0\nm: -3\nf: 1.5\nz: ~\n", {"n": 0, "m": -3, "f": 1.5, "z": None}),
        (b"\xef\xbb\xbfa: 1\r\nb: [x, y]\r\n", {"a": 1, "b": ["x", "y"]}),  # BOM and CRLF
        (b"a: &anchor [1, 2]\nb: *anchor\n", {"a": [1, 2], "b": [1, 2]}),  # a small alias is fine
        (b"word: 'no'\n", {"word": "no"}),
    ],
)
def test_reads_plain_data(text: bytes, expected: object) -> None:
    assert parse(text) == expected


def _billion_laughs(levels: int = 9) -> bytes:
    lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels + 1):
        refs = b", ".join([b"*a%d" % (n - 1)] * 10)
        lines.append(b"a%d: &a%d [%s]" % (n, n, refs))
    return b"\n".join(lines) + b"\n"


@pytest.mark.parametrize(
    ("text", "rule", "line", "column"),
    [
        (b"a: 1\nb: 2\na: 3\n", "YAML-DUPLICATE-KEY", 3, 1),
        (b"x:\n  reason: no\n", "YAML-AMBIGUOUS-BOOL", 2, 11),
        (b"x: on\n", "YAML-AMBIGUOUS-BOOL", 1, 4),
        (b"x: Yes\n", "YAML-AMBIGUOUS-BOOL", 1, 4),
        (b"case: 0412345\n", "YAML-LEADING-ZERO", 1, 7),
        (b"a: !!python/object:os.system ls\n", "YAML-UNSAFE-TAG", 1, 4),
        (b"a: !!binary aGk=\n", "YAML-UNSAFE-TAG", 1, 4),
        (b"a: !!set {x}\n", "YAML-UNSAFE-TAG", 1, 4),
        (b"base: &b {x: 1}\nc:\n  <<: *b\n", "YAML-KEY-TYPE", 3, 3),
        (b"? [a, b]\n: 1\n", "YAML-KEY-TYPE", 1, 3),
        (b"a: [1, 2\n", "YAML-SYNTAX", 2, 1),
        (b"a: 1\n---\nb: 2\n", "YAML-SYNTAX", 2, 1),
        (b"a:\tb\n\t- c\n", "YAML-SYNTAX", 2, 1),
        (b"", "YAML-EMPTY", 1, 1),
        (b"# only a comment\n", "YAML-EMPTY", 1, 1),
        (b"a: caf\xe9\n", "YAML-ENCODING", 1, 7),
        (_billion_laughs(), "YAML-EXPANSION", None, None),
        (b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "YAML-TOO-DEEP", 1, None),
        (b"[" * 100_000 + b"]" * 100_000, "YAML-TOO-DEEP", 1, None),  # libyaml's composer would crash on this
    ],
)
def test_refuses_with_rule_and_position(text: bytes, rule: str, line: int | None, column: int | None) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    assert caught.value.rule == rule
    if line is not None:
        assert caught.value.line == line
    if column is not None:
        assert caught.value.column == column


def test_alias_budget_is_what_stops_a_bomb() -> None:
    """Nine levels of ten expand to 10^10 values; the budget stops it long before."""
    with pytest.raises(YamlProblem, match=f"more than {MAX_VALUES:,} values"):
        parse(_billion_laughs())


def test_refuses_oversized_file_unread(tmp_path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 2000 + b"\n")
    with pytest.raises(YamlProblem) as caught:
        read_bytes(big, max_bytes=1024)
    assert caught.value.rule == "YAML-TOO-LARGE"
    assert "1,024" in caught.value.message


def test_reports_unreadable_file(tmp_path) -> None:
    with pytest.raises(YamlProblem) as caught:
        read_bytes(tmp_path / "missing.yaml")
    assert caught.value.rule == "FILE-UNREADABLE"


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (("audit", "case"), (2, 9)),
        (("audit", "domains", "planning", "grade"), (5, 23)),
        (("audit", "domains", "planning"), (5, 5)),  # a mapping value: point at its key
        (("audit", "strengths", 1), (8, 7)),
        (("audit", "domains", "missing-domain"), (4, 3)),  # a missing key: the mapping that should hold it
        ((), (1, 1)),
    ],
)
def test_locate_finds_line_and_column(where: tuple, expected: tuple[int, int]) -> None:
    text = (
        b"audit:\n"
        b"  case: '9100001'\n"
        b"  # a comment\n"
        b"  domains:\n"
        b"    planning: {grade: good}\n"
        b"  strengths:\n"
        b"    - first\n"
        b"    - second\n"
    )
    assert locate(text, where) == expected


def test_a_problem_passes_through_a_context_manager_as_itself() -> None:
    """A YamlProblem raised inside a ``with`` block of a generator-based context manager reaches its caller as the
    problem, with its rule and line: contextlib sets the exception's ``__traceback__`` on the way out, which a
    frozen dataclass refused (FrozenInstanceError in its place)."""
    import contextlib

    @contextlib.contextmanager
    def around():
        yield

    with pytest.raises(YamlProblem) as raised, around():
        parse(b"a: 1\na: 2\n")
    assert raised.value.rule == "YAML-DUPLICATE-KEY" and raised.value.line == 2
