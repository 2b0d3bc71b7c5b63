"""Reporters: findings to text for people, GitHub annotations, or JSON for machines."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO

from ehqa.findings import Finding
from ehqa.load.strict_yaml import locate
from ehqa.reporting.annotations import annotation

GITHUB_ANNOTATION_LIMIT = 10  # GitHub shows only this many annotations of a kind per step


@dataclass(frozen=True, slots=True)
class Located:
    finding: Finding
    line: int
    column: int


def locate_all(root: Path, findings: Iterable[Finding]) -> list[Located]:
    """Give every finding a line and column, reading each affected file at most once."""
    cache: dict[str, bytes] = {}
    located = []
    for f in findings:
        if f.line is not None:
            located.append(Located(f, f.line, f.column or 1))
            continue
        if f.file not in cache:
            cache[f.file] = regular_file_bytes(root / f.file)
        line, column = locate(cache[f.file], f.where) if cache[f.file] else (1, 1)
        located.append(Located(f, line, column))
    located.sort(key=lambda item: (item.finding.file, item.line, item.column, item.finding.rule))
    return located


def regular_file_bytes(path: Path) -> bytes:
    """A file's bytes to find positions in; nothing for a link or anything but a regular file, which
    is never read through (issue 9: a link out of the repository put its target's values in messages)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return b""
        return path.read_bytes()
    except OSError:
        return b""


def report_text(located: list[Located], files: int, out: TextIO) -> None:
    for item in located:
        f = item.finding
        out.write(f"{f.file}:{item.line}:{item.column}: error[{f.rule}]: {f.message}\n")
    out.write(_summary(located, files) + "\n")


def report_json(located: list[Located], files: int, out: TextIO) -> None:
    errors = [
        {"file": i.finding.file, "line": i.line, "column": i.column, "rule": i.finding.rule, "message": i.finding.message}
        for i in located
    ]
    json.dump({"ok": not errors, "files": files, "errors": errors}, out, indent=2, ensure_ascii=False)
    out.write("\n")


def report_github(located: list[Located], files: int, out: TextIO, summary_path: str | None = None) -> None:
    """Workflow-command annotations, and the full list in the step summary (GitHub shows only ten annotations)."""
    for item in located:
        f = item.finding
        out.write(annotation("error", f.message, file=f.file, line=item.line, col=item.column, title=f.rule) + "\n")
    out.write(_summary(located, files) + "\n")
    summary_path = summary_path if summary_path is not None else os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with open(summary_path, "a", encoding="utf-8") as summary:
            summary.write(markdown_summary(located, files))


def markdown_summary(located: list[Located], files: int) -> str:
    lines = [f"## ehqa validate\n\n{_summary(located, files)}\n"]
    if located:
        if len(located) > GITHUB_ANNOTATION_LIMIT:
            lines.append(f"\nGitHub annotates only the first {GITHUB_ANNOTATION_LIMIT}; here is every one.\n")
        lines.append("\n| file | line | rule | message |\n| --- | ---: | --- | --- |\n")
        for item in located:
            f = item.finding
            message = f.message.replace("|", "\\|")
            lines.append(f"| `{f.file}` | {item.line} | `{f.rule}` | {message} |\n")
    return "".join(lines)


def _summary(located: list[Located], files: int) -> str:
    if not located:
        return f"ok: {files} files valid"
    bad = len({i.finding.file for i in located})
    return f"invalid: {len(located)} error{'s' * (len(located) != 1)} in {bad} of {files} files"


REPORTERS: dict[str, Callable[[list[Located], int, TextIO], None]] = {
    "text": report_text,
    "github": report_github,
    "json": report_json,
}
