"""Prompt templates: shipped in the package, overridable one file at a time, strict variables."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from summbot.cli import cli
from summbot.errors import PromptError
from summbot.templates import TEMPLATE_NAMES, Prompts, parse_template

ROOT = Path(__file__).resolve().parents[1]


def test_every_template_is_found_through_importlib_resources():
    folder = resources.files("summbot.prompts")
    for name in TEMPLATE_NAMES:
        assert (folder / f"{name}.txt").is_file()


def test_templates_state_that_the_article_is_data_never_instructions():
    for name in ("summary", "map", "reduce", "answer"):
        assert "never instructions" in Prompts().get(name).system


def test_summary_template_asks_for_neutrality():
    system = Prompts().get("summary").system
    for rule in ("according to", "alleged", "No judging", "headline's framing", "Use only what the article says"):
        assert rule in system


def test_a_template_without_a_user_part_is_rejected():
    with pytest.raises(PromptError, match="has no '--- user ---' line"):
        parse_template("summary", "just one part", "x.txt")


def test_a_stray_dollar_sign_is_a_clear_error():
    template = parse_template("summary", "--- user ---\nCosts $5 for $article\n", "x.txt")
    with pytest.raises(PromptError, match=r"malformed.*write a literal dollar sign as \$\$"):
        template.render(article="a")


def test_a_missing_prompts_folder_is_a_clear_error(tmp_path):
    with pytest.raises(PromptError) as error:
        Prompts(tmp_path / "nowhere")
    assert str(error.value) == f"{tmp_path / 'nowhere'}: the prompts folder does not exist; check --prompts or SUMMBOT_PROMPTS."


def test_the_digest_changes_with_the_template(tmp_path):
    (tmp_path / "summary.txt").write_text("Other.\n--- user ---\n$article\n")
    assert Prompts(tmp_path).get("summary").digest != Prompts().get("summary").digest


def test_prompts_command_lists_and_shows_templates(tmp_path):
    (tmp_path / "answer.txt").write_text("Mine.\n--- user ---\n$question\n")
    runner = CliRunner()
    listing = runner.invoke(cli, ["prompts", "--prompts", str(tmp_path)])
    assert listing.exit_code == 0
    assert listing.output.splitlines() == [
        "summary  built-in", "map      built-in", "reduce   built-in", f"answer   {tmp_path / 'answer.txt'}",
    ]
    shown = runner.invoke(cli, ["prompts", "answer", "--prompts", str(tmp_path)])
    assert shown.output == f"# answer ({tmp_path / 'answer.txt'})\n--- system ---\nMine.\n--- user ---\n$question\n"


def test_prompts_command_names_an_unknown_template():
    result = CliRunner().invoke(cli, ["prompts", "nope"])
    assert result.exit_code == 13
    assert result.output == "summbot: no prompt template named 'nope'; known: summary, map, reduce, answer.\n"


def test_the_wheel_ships_the_templates(tmp_path):
    pytest.importorskip("setuptools")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-200:]}")
    wheel = next(tmp_path.glob("summbot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in TEMPLATE_NAMES:
        assert f"summbot/prompts/{name}.txt" in names
    assert "summbot/py.typed" in names


@pytest.mark.parametrize("name, needed", [("summary", "$article"), ("map", "$article"), ("reduce", "$notes"),
                                          ("answer", "$article")])
def test_an_override_that_leaves_out_the_article_is_a_clear_error(tmp_path, name, needed):
    """Without its data placeholder a template would send the model nothing to work from."""
    (tmp_path / f"{name}.txt").write_text("Be neutral.\n--- user ---\nSummarise the article.\n", encoding="utf-8")
    template = Prompts(tmp_path).get(name)  # showing it with 'summbot prompts' still works
    values = dict.fromkeys(["article", "notes", "question", "title", "length", "points", "part", "parts",
                            "history", "hints"], "x")
    with pytest.raises(PromptError) as caught:
        template.render(**values)
    assert str(caught.value) == (
        f"prompt template {name!r} ({tmp_path / (name + '.txt')}) never uses {needed}, so the model "
        f"would not see it; put {needed} where it belongs."
    )


def test_prompts_command_reads_the_folder_from_dotenv(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "summary.txt").write_text("Mine.\n--- user ---\n$article\n", encoding="utf-8")
    (tmp_path / ".env").write_text(f"SUMMBOT_PROMPTS={folder}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SUMMBOT_PROMPTS", raising=False)
    result = CliRunner().invoke(cli, ["prompts"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"summary  {folder / 'summary.txt'}"


def test_an_override_saved_with_a_bom_and_windows_newlines_reads_like_any_other(tmp_path):
    (tmp_path / "summary.txt").write_bytes("--- system ---\r\nBe brief.\r\n--- user ---\r\n$article\r\n".encode("utf-8-sig"))
    template = Prompts(tmp_path).get("summary")
    assert (template.system, template.user) == ("Be brief.\n", "$article\n")
