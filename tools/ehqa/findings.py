"""Findings: what a check reports, pointing at a file and a place in it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    ``where`` is the path to the value inside the file (keys and list indexes);
    the reporter turns it into a line and column only when it prints, so the fast
    path keeps no positions. ``line``/``column`` are set directly when the reader
    already knows them (YAML syntax errors).
    """

    rule: str
    message: str
    file: str  # relative to the repository, with forward slashes
    where: tuple[str | int, ...] = ()
    line: int | None = None
    column: int | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, tuple(str(part) for part in self.where), self.rule)
