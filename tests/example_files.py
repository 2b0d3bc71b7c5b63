"""The examples in tests/examples/: reading an example's header, and writing it into a copy of the
sample service. tests/examples/README.md explains the header; tests/examples/test_examples.py runs
every example, and tests/cli/test_validate.py uses some to break a service for the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import EXAMPLES

NEGATIVE = sorted((EXAMPLES / "negative").glob("*.yaml"))
POSITIVE = sorted((EXAMPLES / "positive").glob("*.yaml"))


# --- reading an example's header --------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    rule: str
    line: int
    text: str


@dataclass(frozen=True)
class Also:
    file: str
    rule: str


@dataclass(frozen=True)
class Example:
    path: Path
    data: bytes
    target: str
    expects: tuple[Expect, ...]
    also: tuple[Also, ...]


_EXPECT = re.compile(r"(?P<rule>[A-Z][A-Z0-9-]+) (?P<line>[0-9]+) (?P<text>.+)")
_ALSO = re.compile(r"(?P<file>\S+) (?P<rule>[A-Z][A-Z0-9-]+)(?: -- .*)?")


def read_example(path: Path) -> Example:
    """The example's bytes and its header. The header is ASCII; the rest may be anything."""
    data = path.read_bytes()
    target, expects, also = None, [], []
    for raw in data.removeprefix(b"\xef\xbb\xbf").splitlines():
        line = raw.decode("ascii", errors="replace").rstrip("\r")
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if key == "target":
            target = value
        elif key == "expect":
            match = _EXPECT.fullmatch(value)
            assert match, f"{path.name}: cannot read the expect line {line!r}"
            expects.append(Expect(match["rule"], int(match["line"]), match["text"]))
        elif key == "also":
            match = _ALSO.fullmatch(value)
            assert match, f"{path.name}: cannot read the also line {line!r}"
            also.append(Also(match["file"], match["rule"]))
    assert target, f"{path.name}: the header has no '# target:' line"
    return Example(path, data, target, tuple(expects), tuple(also))


def install(example: Example, root: Path) -> None:
    target = root / example.target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(example.data)
