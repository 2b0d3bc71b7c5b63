"""Strict YAML: the one way every ehqa data file is read.

PyYAML alone is too forgiving for records about children's casework, so we compose the node tree with
libyaml (``CSafeLoader``, when present) and build plain Python values ourselves. That lets us:

* keep dates as ISO text (``2026-11-03`` stays a string), so the JSON Schemas say ``type: string, format: date``
  and the model turns them into ``date``;
* refuse duplicate keys, which PyYAML silently drops;
* refuse YAML 1.1 surprises: ``yes``/``no``/``on``/``off`` as booleans, numbers with leading zeros (``0123`` is
  octal in YAML 1.1), and numbers in base 60 (``1:20`` is 80), binary, with ``0o`` or with underscores;
* convert every scalar ourselves, checking its text against its tag first: PyYAML's converters assume the
  resolver's patterns, which an explicit tag (``!!int foo``) or a loose pattern (``0b_``) breaks, and they then
  raise, or build from the wrong kind of node (``!!seq {a: 1}``) — issue 9 found each of these crashing ``validate``;
* refuse alias bombs, deep nesting, unsafe tags, oversized files and bytes that are not UTF-8;
* find the line and column of any value again, for messages (``locate``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ehqa.findings import shown
from ehqa.layout import RULE_CITES, SYMLINK_RULE
from ehqa.load.yaml_hints import hint

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# First characters for which YAML 1.1 may resolve a plain scalar to something other than text
# (bool, null, int, float, timestamp, merge, value); any other plain scalar is text.
_MAYBE_NOT_TEXT = frozenset("yYnNtTfFoO~-+.0123456789<=")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml's composer with a quicker resolver: most scalars are words, decided by their first letter."""

    def resolve(self, kind, value, implicit):  # called once per node by the composer
        if kind is ScalarNode:
            if implicit[0] and value and value[0] not in _MAYBE_NOT_TEXT:
                return _STR
        elif kind is MappingNode:
            return _MAP
        elif kind is SequenceNode:
            return _SEQ
        return super().resolve(kind, value, implicit)

DEFAULT_MAX_BYTES = 256 * 1024
MAX_VALUES = 50_000  # values one file may expand to; a 256 KiB audit holds a few hundred
MAX_DEPTH = 32  # our files nest five deep; more is a mistake or an attack
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_FLOW_SCAN_THRESHOLD = 1000  # libyaml's composer is safe to a few thousand flow levels

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MAP, _SEQ = _TAG + "timestamp", _TAG + "map", _TAG + "seq"
_MERGE, _VALUE = _TAG + "merge", _TAG + "value"  # ``<<`` and ``=``: keys that mean something, values that are text
_STANDARD = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MAP, _SEQ})
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+$")
_PLAIN_BOOLS = {"true", "false", "True", "False", "TRUE", "FALSE"}
# The forms of each tag YAML 1.1 resolves implicitly (PyYAML's own patterns): a value tagged
# explicitly must be written in one of them.
_FORMS = {tag: pattern for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
          for tag, pattern in resolvers}
# The numbers we read: those YAML 1.1 and 1.2 read alike. Other YAML 1.1 forms are refused.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_HEX = re.compile(r"[-+]?0x[0-9a-fA-F]+")
_OCTAL_12 = re.compile(r"[-+]?0o[0-7_]*")  # text to YAML 1.1, a number to YAML 1.2
_REAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INFINITY = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_KIND_NAMES = {_STR: "text", _INT: "a whole number", _FLOAT: "a number", _BOOL: "true or false",
               _NULL: "empty", _TIMESTAMP: "a date", _MAP: "a mapping", _SEQ: "a list"}


@dataclass(eq=False)  # not frozen: Python and contextlib set an exception's __traceback__ as it passes
class YamlProblem(Exception):
    """A file that cannot be read as data. ``line`` and ``column`` are 1-based."""

    rule: str
    message: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.rule}: {self.message}"


def read_bytes(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing one over ``max_bytes``, or that is not a regular file (a symbolic link is never
    followed: issue 9), without reading it. Opened without following a link (O_NOFOLLOW; a FIFO never blocks) and
    looked at again once open; ``os`` calls, not ``Path``'s: five times quicker at 90,000 files (issue 13)."""
    try:
        _check((status := os.lstat(path)).st_mode, status.st_size, max_bytes)
        fd = os.open(path, _OPEN_FLAGS)
        try:
            status = os.fstat(fd)
            _check(status.st_mode, status.st_size, max_bytes)
            chunks = [os.read(fd, status.st_size + 1)]  # one byte more than it was: a file that grew is noticed
            while chunks[-1] and sum(map(len, chunks)) <= max_bytes:
                chunks.append(os.read(fd, max_bytes + 1))
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link that appeared after the first look
            _check(stat.S_IFLNK, None, max_bytes)
        raise YamlProblem("FILE-UNREADABLE", f"cannot read the file: {exc.strerror}") from None
    data = b"".join(chunks)
    _check(stat.S_IFREG, len(data), max_bytes)
    return data


def _check(mode: int, size: int | None, max_bytes: int) -> None:
    if not stat.S_ISREG(mode):
        what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        raise YamlProblem(SYMLINK_RULE, f"this is {what}: ehqa never reads through one, because what it points "
                                        f"at can change without that change being checked ({RULE_CITES[SYMLINK_RULE]})")
    if size is not None and size > max_bytes:
        raise YamlProblem("YAML-TOO-LARGE", f"the file is {size:,} bytes; data files are limited to {max_bytes:,} "
                                            "bytes (validation.max_file_bytes in qa.yaml)")


def parse(data: bytes) -> Any:
    """Parse one YAML document from bytes into plain values (dict, list, str, int, float, bool, None)."""
    node = _compose(_decode(data))
    if node is None:
        raise YamlProblem("YAML-EMPTY", "the file is empty: it holds no YAML document")
    return _Builder().build(node, 0)


def load_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read and parse one file. Raises ``YamlProblem`` for anything that is not good data."""
    return parse(read_bytes(path, max_bytes))


def locate(data: bytes, where: Sequence[str | int]) -> tuple[int, int]:
    """The 1-based line and column of the value at ``where`` in a document.

    Walks as far down ``where`` as the document goes, so a missing key points at
    the mapping that should hold it. Used only when a message is reported, so the
    fast path keeps no positions.
    """
    try:
        node = _compose(_decode(data))
    except YamlProblem as problem:
        return problem.line, problem.column
    if node is None:
        return 1, 1
    mark = node.start_mark
    for step in where:
        child = _child(node, step)
        if child is None:
            break
        mark, node = child
    return mark.line + 1, mark.column + 1


def _child(node: Node, step: str | int) -> tuple[Any, Node] | None:
    """The mark to report and the node found one step down, or None."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(step):
                # Point at the key for a mapping or sequence value: that is the line a person reads.
                at_key = isinstance(value, (MappingNode, SequenceNode))
                return (key.start_mark if at_key else value.start_mark), value
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        value = node.value[step]
        return value.start_mark, value
    return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            "YAML-ENCODING",
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8",
            line,
            column,
        ) from None


def _compose(text: str) -> Node | None:
    if text.count("[") + text.count("{") > _FLOW_SCAN_THRESHOLD:
        _refuse_deep_flow(text)
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket runs to the end of the file: point at where it opened.
        to_the_end = exc.context_mark is not None and "end of stream" in (exc.problem or "")
        mark = exc.context_mark if to_the_end else exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        at_a_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
        if "tab" in what or at_a_tab:  # the remedy, and the tab itself where PyYAML's words do not name it
            what += f" ({'' if 'tab' in what else 'a tab: '}YAML indents with spaces, never tabs)"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what += hint(text, exc.problem_mark.line + 1 if exc.problem_mark else line, what)
        raise YamlProblem("YAML-SYNTAX", f"this is not valid YAML: {what}", line, column) from None
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        raise YamlProblem("YAML-SYNTAX", f"this is not valid YAML: {type(exc).__name__}") from None
    finally:
        loader.dispose()


def _refuse_deep_flow(text: str) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses and can crash on it.

    Runs only on files with many brackets, so ordinary files pay nothing; walks the
    event stream, which is iterative, and stops at the first level too deep.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlProblem(
                        "YAML-TOO-DEEP",
                        f"values nest more than {MAX_DEPTH} levels deep",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # newer PyYAML stops deep flow itself
            mark = exc.problem_mark
            raise YamlProblem(
                "YAML-TOO-DEEP", f"values nest more than {MAX_DEPTH} levels deep", mark.line + 1, mark.column + 1
            ) from None
        return  # composing reports the syntax error with its position
    except yaml.YAMLError:
        return


class _Builder:
    """Builds plain values from nodes, counting values so that aliases cannot explode.

    Every node's tag is checked against the kind of node it is on and, for a scalar, against
    its text, before anything is converted: so no input reaches a converter it would break.
    """

    def __init__(self) -> None:
        self.budget = MAX_VALUES

    def build(self, node: Node, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _problem(
                node,
                "YAML-EXPANSION",
                f"anchors and aliases expand this file to more than {MAX_VALUES:,} values",
            )
        if depth > MAX_DEPTH:
            raise _problem(node, "YAML-TOO-DEEP", f"values nest more than {MAX_DEPTH} levels deep")
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise _tag_problem(node, "a list")
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise _tag_problem(node, "a mapping")
            return self._mapping(node, depth)
        raise _problem(node, "YAML-SYNTAX", "this is not valid YAML: a node of an unknown kind")

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _INT, _TIMESTAMP):
                raise _problem(key_node, "YAML-KEY-TYPE", "keys must be plain words, not lists, maps or merge keys")
            key = key_node.value  # a key stays the text written: 0b_ or 1:20 as a key is never converted
            if key in result:
                raise _problem(
                    key_node,
                    "YAML-DUPLICATE-KEY",
                    f"the key {shown(key)} appears twice in the same mapping; YAML would silently keep only the last one",
                )
            result[key] = self.build(value_node, depth + 1)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag in (_STR, _MERGE, _VALUE):
            if tag == _STR and not node.style and _LEADING_ZERO.match(value):
                # 089 is text to YAML 1.1 but the number 89 to YAML 1.2 (and to most editors): quote it.
                raise _problem(
                    node,
                    "YAML-LEADING-ZERO",
                    f"{shown(value, quote=False)} has a leading zero, which YAML reads as text or as a number "
                    f"depending on the version; quote it ('{shown(value, quote=False)}') if it is a reference, or "
                    "drop the zero if it is a number",
                )
            if tag == _STR and not node.style and _OCTAL_12.fullmatch(value):
                raise _odd_number(node)
            return value
        if tag == _INT:
            return _integer(node)
        if tag == _FLOAT:
            return _real(node)
        if tag == _BOOL:
            if value in _PLAIN_BOOLS:
                return value.lower() == "true"
            if _FORMS[_BOOL].match(value):
                raise _problem(
                    node,
                    "YAML-AMBIGUOUS-BOOL",
                    f"{value!r} is read as a yes/no value by YAML 1.1; write true or false, "
                    f"or quote it ('{value}') if you meant the word",
                )
            raise _not_of_its_tag(node)
        if tag == _NULL:
            if _FORMS[_NULL].match(value):
                return None
            raise _not_of_its_tag(node)
        if tag == _TIMESTAMP:
            if _FORMS[_TIMESTAMP].match(value):
                return value  # dates stay ISO text: the schemas check them, the model converts them
            raise _not_of_its_tag(node)
        raise _tag_problem(node, "a single value")


def _integer(node: ScalarNode) -> int:
    value = node.value
    if not node.style and _LEADING_ZERO.match(value):
        raise _problem(
            node,
            "YAML-LEADING-ZERO",
            f"{shown(value, quote=False)} has a leading zero, which YAML 1.1 reads as an octal number; "
            f"quote it ('{shown(value, quote=False)}') if it is a reference",
        )
    if _DECIMAL.fullmatch(value):
        return int(value)
    if _HEX.fullmatch(value):
        return int(value, 16)
    if _FORMS[_INT].match(value):  # base 60 (1:20), binary (0b1), underscores (1_000), or no digits at all (0b_)
        raise _odd_number(node)
    raise _not_of_its_tag(node)


def _real(node: ScalarNode) -> float:
    value = node.value
    if _REAL.fullmatch(value):
        return float(value)
    infinity = _INFINITY.fullmatch(value)
    if infinity:
        return float(f"{infinity[1]}inf")
    if _NAN.fullmatch(value):
        return float("nan")
    if _FORMS[_FLOAT].match(value):  # base 60 (1:20.5) or underscores (1_000.5)
        raise _odd_number(node)
    raise _not_of_its_tag(node)


def _odd_number(node: ScalarNode) -> YamlProblem:
    text = shown(node.value, quote=False)
    return _problem(
        node,
        "YAML-NUMBER",
        f"YAML reads {text} as a number, though not the one it looks like, or not in every version (1:20 is 80 in "
        f"base 60, 0b10 is 2, 1_000 is 1000, 0o17 is 15 or text, 0b_ is no number at all); quote it ('{text}') if it is text, or write the number in "
        "plain digits",
    )


def _not_of_its_tag(node: ScalarNode) -> YamlProblem:
    return _problem(
        node,
        "YAML-TAG-MISMATCH",
        f"{shown(node.value)} is tagged {_tag_name(node.tag)} but is not {_KIND_NAMES[node.tag]}; "
        "drop the tag: ehqa data needs none",
    )


def _tag_problem(node: Node, what: str) -> YamlProblem:
    """A tag on the wrong kind of node (``!!seq {a: 1}``), or a tag that is not plain data."""
    if node.tag in _STANDARD:
        return _problem(node, "YAML-TAG-MISMATCH", f"the tag {_tag_name(node.tag)} is for {_KIND_NAMES[node.tag]}, "
                                                   f"but it is on {what}; drop the tag: ehqa data needs none")
    return _problem(node, "YAML-UNSAFE-TAG", f"the tag {shown(node.tag)} is not allowed in ehqa data")


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else shown(tag)


def _problem(node: Node, rule: str, message: str) -> YamlProblem:
    return YamlProblem(rule, message, node.start_mark.line + 1, node.start_mark.column + 1)
