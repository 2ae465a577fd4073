"""The bundled examples: the README's quick start, golden extractive summaries in every format,
and the authored cassettes replayed through the LLM path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from summbot.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden" / "summarize"
ARTICLES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html"})
FORMATS = {"text": "txt", "markdown": "md", "json": "json"}
UPDATE = os.environ.get("SUMMBOT_UPDATE_GOLDEN") == "1"


def summarize(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["summarize", *args], env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_extractive_summary_matches_its_golden_file(article, fmt):
    code, out, err = summarize(str(article.relative_to(ROOT)), "--engine", "extractive", "--format", fmt)
    assert code == 0, err
    golden = GOLDEN / f"{article.stem}.{FORMATS[fmt]}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_every_extractive_key_point_is_verified(article):
    code, out, _ = summarize(str(article), "--engine", "extractive", "--format", "json")
    data = json.loads(out)
    assert data["key_points"] and all(p["verified"] for p in data["key_points"])
    assert data["warnings"] == []


def test_the_quick_start_runs_offline_and_names_the_engine(tmp_path):
    # The README's first command, minus the install: a fresh environment, no key, no .env.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMBOT_"))}
    done = subprocess.run(
        [sys.executable, "-m", "summbot", "summarize", "examples/wordpress-article.txt"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Harbor city approves $48 million flood barrier after record autumn storms\n")
    assert "Key points\n1. " in done.stdout
    assert done.stderr.startswith("summbot: using the offline extractive engine")


def test_readme_quick_start_commands_are_the_ones_tested():
    readme = (ROOT / "README.md").read_text()
    assert "pip install . && summbot summarize examples/wordpress-article.txt" in readme
    assert "<!-- test-command -->\n```bash\npip install -e '.[test]' && python -m pytest\n```" in readme


CASSETTES = EXAMPLES / "cassettes"


def test_committed_cassettes_are_labelled_authored_and_hold_no_secrets():
    files = sorted(CASSETTES.glob("*.json"))
    assert files
    for path in files:
        data = json.loads(path.read_text())
        assert data["provenance"] == "authored", path.name
        text = path.read_text().lower()
        assert "authorization" not in text and "api_key" not in text and "sk-" not in text


@pytest.mark.parametrize("name", ["wordpress-article.txt", "wire-story.txt"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_llm_path_replays_offline_from_the_example_cassettes(name, fmt):
    code, out, err = summarize(
        f"examples/{name}" if Path.cwd() == ROOT else str(EXAMPLES / name),
        "--engine", "replay", "--cassettes", str(CASSETTES), "--format", fmt,
    )
    assert code == 0, err
    if fmt == "json":
        data = json.loads(out)
        assert data["engine"] == "replay" and data["model"] == "gpt-4.1-mini"
        assert data["usage"]["requests"] == 1
        assert all(p["verified"] for p in data["key_points"]) and data["warnings"] == []
    else:
        assert "Summary\n" in out and "Key points\n1. " in out


def test_the_offline_engine_loads_neither_openai_nor_a_tokenizer():
    code = (
        "import sys\n"
        "from summbot.cli import cli\n"
        "try:\n"
        "    cli(['summarize', 'examples/wordpress-article.txt', '--engine', 'extractive'], standalone_mode=False)\n"
        "finally:\n"
        "    print('LOADED', sorted(m for m in ('openai', 'tiktoken', 'trafilatura') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "LOADED []" in done.stderr, done.stderr


def test_a_bad_input_gets_exactly_one_line_on_stderr_even_when_the_engine_is_auto(tmp_path):
    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "SUMMBOT_ENGINE": ""}
    for command in (["summarize"], ["ask"]):
        result = CliRunner().invoke(cli, [*command, str(tmp_path / "missing.txt"), *(["Who?"] if command == ["ask"] else [])], env=env)
        assert result.exit_code == 3
        assert result.stderr == f"summbot: {tmp_path / 'missing.txt'}: no such file; check the path, or use - to read from stdin.\n"
        assert result.stdout == ""


def test_text_output_is_rich_in_a_terminal_and_plain_when_piped_or_no_color(monkeypatch):
    import summbot.cli as cli_module

    plain = summarize("examples/wire-story.txt", "--engine", "extractive")[1]
    assert plain.startswith("World health body warns") and "\x1b[" not in plain

    monkeypatch.setattr(cli_module.sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module._use_color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module._use_color() is False

    monkeypatch.setattr(cli_module, "_use_color", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich writes colour into the captured stream
    rich = CliRunner().invoke(cli, ["summarize", str(EXAMPLES / "wire-story.txt"), "--engine", "extractive"])
    assert rich.exit_code == 0
    assert "\x1b[" in rich.stdout  # styled
    assert "Key points" in rich.stdout and "##" not in rich.stdout  # markdown rendered, not shown raw


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_llm_answer_replays_offline_from_the_example_cassettes(fmt):
    result = CliRunner().invoke(cli, [
        "ask", str(EXAMPLES / "wordpress-article.txt"), "What did Ferrante say?",
        "--engine", "replay", "--cassettes", str(CASSETTES), "--format", fmt,
    ])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["answerable"] is True and data["engine"] == "replay"
        assert [c["sentence"] for c in data["citations"]] == ["S8", "S9", "S10", "S17", "S19"]
        assert all(c["verified"] for c in data["citations"])
    else:
        assert "[S19] “We will not back down on this”" in result.stdout


def test_stdin_given_twice_is_a_usage_error_before_anything_is_read():
    result = CliRunner().invoke(cli, ["summarize", "-", str(EXAMPLES / "wire-story.txt"), "-", "--engine", "extractive"],
                                input=(EXAMPLES / "wire-story.txt").read_text(encoding="utf-8"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'-' (stdin) is given 2 times; stdin can be read only once" in result.stderr


def test_json_with_several_sources_is_a_list_in_the_order_given():
    code, out, _ = summarize(str(EXAMPLES / "wire-story.txt"), str(EXAMPLES / "harbour-ferry.txt"),
                             "--engine", "extractive", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["source"] for d in data] == [str(EXAMPLES / "wire-story.txt"), str(EXAMPLES / "harbour-ferry.txt")]
    assert all(set(d) == {"source", "title", "engine", "model", "summary", "key_points", "headline_check",
                          "usage", "warnings"} for d in data)


def test_an_empty_no_color_does_not_turn_colour_off(monkeypatch):
    """no-color.org: NO_COLOR disables colour when it is present *and not empty*."""
    import summbot.cli as cli_module

    monkeypatch.setattr(cli_module.sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "")
    assert cli_module._use_color() is True


def test_the_readme_exit_code_table_matches_the_errors():
    """Every exit code an error class uses is in the README's table, and none is listed twice."""
    import re

    from summbot import errors

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    listed = [int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)]
    assert len(listed) == len(set(listed))
    used = {cls.exit_code for cls in vars(errors).values()
            if isinstance(cls, type) and issubclass(cls, errors.SummbotError) and cls.__subclasses__() == []}
    assert used - set(listed) == set()
    assert {0, 1, 2, 130} <= set(listed)
