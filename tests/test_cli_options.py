"""Command-line options the README documents reach the core (end to end where cheap)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from summbot.cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OFFLINE = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "SUMMBOT_ENGINE": ""}


def test_summarize_length_and_points_shape_the_result():
    result = CliRunner().invoke(cli, [
        "summarize", str(EXAMPLES / "harbour-ferry.txt"), "--engine", "extractive",
        "--length", "short", "--points", "2", "--format", "json",
    ], env=OFFLINE)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["key_points"]) == 2
    long = json.loads(CliRunner().invoke(cli, [
        "summarize", str(EXAMPLES / "harbour-ferry.txt"), "--engine", "extractive", "--length", "long",
        "--format", "json",
    ], env=OFFLINE).stdout)
    assert len(data["summary"].split()) < len(long["summary"].split())
    assert len(long["key_points"]) == 5  # the default


def test_batch_passes_its_limits_and_switches_to_the_core(monkeypatch, tmp_path):
    import summbot.batch as batch

    seen = {}

    def fake_run_batch(items, engine, options, *, prompts=None, cache=None, on_event=None):
        seen.update(options=options, cache=cache, items=items)
        raise SystemExit(0)

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    CliRunner().invoke(cli, [
        "batch", str(EXAMPLES / "wire-story.txt"), "-o", str(tmp_path / "out"), "--engine", "extractive",
        "-j", "3", "--rpm", "120", "--tpm", "50000", "--no-cache", "--max-cost", "0.5", "--fail-fast",
        "--length", "long", "--points", "7",
    ], env=OFFLINE)
    options = seen["options"]
    assert (options.jobs, options.rpm, options.tpm, options.max_cost) == (3, 120, 50000, 0.5)
    assert (options.use_cache, options.fail_fast, options.length, options.points) == (False, True, "long", 7)
    assert seen["cache"] is None


def test_batch_quiet_prints_no_progress_and_no_closing_line(tmp_path):
    result = CliRunner().invoke(cli, [
        "batch", str(EXAMPLES / "wire-story.txt"), "-o", str(tmp_path / "out"), "--engine", "extractive", "-q",
    ], env=OFFLINE)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "out" / "index.md").is_file()
    loud = CliRunner().invoke(cli, [
        "batch", str(EXAMPLES / "wire-story.txt"), "-o", str(tmp_path / "loud"), "--engine", "extractive",
    ], env=OFFLINE)
    assert loud.stderr.startswith("[1/1] ok ") and loud.stdout.startswith("1 of 1 summarised into ")
