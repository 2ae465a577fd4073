"""Every command explains itself with examples; the version is printed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from summbot import __version__
from summbot.cli import cli

COMMANDS = [
    [], ["clean"], ["summarize"], ["ask"], ["batch"], ["batch", "run"], ["batch", "status"],
    ["tokens"], ["prompts"], ["cache"], ["cache", "info"], ["cache", "clear"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "summbot")
def test_every_command_has_help_with_examples(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Examples:\n" in result.output
    assert "  summbot " in result.output.split("Examples:", 1)[1]


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"summbot, version {__version__}\n"
