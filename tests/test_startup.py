"""`summbot --help` stays fast: it must not import the slow optional machinery."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("openai", "tiktoken", "trafilatura", "rich", "lxml", "httpx", "prompt_toolkit")

_PROBE = """
import json, sys
from summbot.cli import cli
try:
    cli(sys.argv[1:], prog_name="summbot")
except SystemExit as done:
    code = done.code
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def _help_imports(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_top_level_help_imports_none_of_the_slow_modules() -> None:
    assert _help_imports("--help") == {"code": 0, "heavy": []}


@pytest.mark.parametrize("command", ["clean", "tokens", "summarize"])
def test_command_help_imports_none_of_the_slow_modules(command: str) -> None:
    assert _help_imports(command, "--help") == {"code": 0, "heavy": []}
