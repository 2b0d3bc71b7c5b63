"""Parameter types that reject bad input before a command runs (exit code 2)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a real date written YYYY-MM-DD", param, ctx)


class CycleId(click.ParamType):
    """A cycle, written YYYY-MM."""

    name = "YYYY-MM"

    def convert(self, value, param, ctx):
        if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
            self.fail(f"{value!r} is not a cycle written YYYY-MM", param, ctx)
        return value


class Year(click.ParamType):
    """A calendar year, written YYYY."""

    name = "YYYY"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not re.fullmatch(r"[0-9]{4}", str(value)) or not 1900 <= int(value) <= 2199:
            self.fail(f"{value!r} is not a year written YYYY (for example 2027)", param, ctx)
        return int(value)


class RepoDir(click.ParamType):
    """A QA repository: a folder with a schemas/ folder in it."""

    name = "DIR"

    def convert(self, value, param, ctx):
        path = Path(value).resolve()
        if not (path / "schemas").is_dir():
            self.fail(f"{value} is not a QA repository: it has no schemas/ folder (run from the repository root, or pass --repo)", param, ctx)
        return path


ISO_DATE = IsoDate()
CYCLE_ID = CycleId()
YEAR = Year()
REPO_DIR = RepoDir()
