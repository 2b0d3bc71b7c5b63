"""The problems ehqa explains to the person running it: one hierarchy, which click prints.

Raise these where the problem is found, in any layer; the command line never catches them. click
prints the message (``Error: ...``; a usage error first shows the command's usage) and exits with
the class's code:

- ``DataError``, exit 1: the repository's state, or a file in the way, stops the command;
- ``UsageProblem``, exit 2: an option or argument cannot be right, as click's own usage errors;
- anything else is a bug in ehqa, reported in one line with exit 3 (``ehqa.cli.app.main``).

This is the one module outside ``cli/`` that imports click (tests/test_architecture.py).
"""

from __future__ import annotations

import click

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class EhqaError(click.ClickException):
    """A problem ehqa explains in words, never with a traceback."""

    exit_code = EXIT_DATA


class DataError(EhqaError):
    """The repository's state stops the command: a file missing or broken, no such cycle, a file in the way."""

    exit_code = EXIT_DATA


class UsageProblem(click.UsageError, EhqaError):
    """An option or argument cannot be right, or the repository named cannot be used at all."""

    exit_code = EXIT_USAGE


class BadOption(UsageProblem):
    """One option or argument cannot be right: the message names it, as click's own do."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option

    def format_message(self) -> str:
        return f"Invalid value for {self.option}: {self.message}"
