"""``ehqa validate``: load, run every rule, report. The checker receives its loader and reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, TextIO

from ehqa.findings import Finding
from ehqa.load.repository import LoadResult, load_repository
from ehqa.privacy.published import check_published  # R21: what the site publishes, checked as it is written
from ehqa.reporting import REPORTERS, locate_all
from ehqa.rules import check_service

EXIT_OK, EXIT_INVALID = 0, 1


@dataclass(frozen=True)
class ValidateOptions:
    root: Path
    as_of: date
    paths: tuple[str, ...] = ()  # repository-relative files or folders to report on; empty means all
    output_format: str = "text"


@dataclass
class Checker:
    options: ValidateOptions
    out: TextIO
    loader: Callable[[Path], LoadResult] = load_repository
    reporters: dict = field(default_factory=lambda: dict(REPORTERS))

    def findings(self) -> tuple[list[Finding], int]:
        """Every finding in the selected files, and how many files were selected."""
        loaded = self.loader(self.options.root)
        findings = loaded.findings + check_service(loaded.service, self.options.as_of) + check_published(loaded.service)
        selected = [f for f in loaded.files if self._selected(f)]
        return [f for f in findings if self._selected(f.file)], len(selected)

    def run(self) -> int:
        findings, files = self.findings()
        located = locate_all(self.options.root, findings)
        self.reporters[self.options.output_format](located, files, self.out)
        return EXIT_INVALID if located else EXIT_OK

    def _selected(self, relative: str) -> bool:
        if not self.options.paths:
            return True
        return any(relative == p or relative.startswith(p.rstrip("/") + "/") for p in self.options.paths)
