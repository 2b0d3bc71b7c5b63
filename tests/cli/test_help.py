"""`ehqa --help` and each command's help: every command explains itself, and the help points at the
framework's rules in docs/framework.md."""

from __future__ import annotations

import pytest

from ehqa.cli import cli


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str, ehqa) -> None:
    result = ehqa(command, "--help")
    assert result.exit_code == 0
    assert len(cli.commands[command].help or "") > 30


def test_the_help_points_at_the_framework_page(ehqa) -> None:
    result = ehqa("--help")
    assert "docs/framework.md" in result.output and "DOMAIN" not in result.output
