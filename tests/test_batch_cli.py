"""``summbot batch`` and ``summbot cache`` from the command line, including a real process
killed with SIGKILL mid-run and one stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summbot.cli import cli
from tests import fakeserver
from tests.batch_helpers import summarising, write_articles
from tests.fakeserver import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMBOT_ENGINE", "SUMMBOT_MODEL", "SUMMBOT_PROMPTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMBOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # no stray .env


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    monkeypatch.setattr(fakeserver._Server, "request_queue_size", 64)
    with FakeOpenAIServer(summarising()) as running:
        yield running


def stories(server: FakeOpenAIServer) -> list[int]:
    return [int(re.search(r"\(story (\d+)\)", json.dumps(r.json)).group(1))  # type: ignore[union-attr]
            for r in server.chat_requests if r.json is not None]


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


# --------------------------------------------------------------------------- in-process


def test_all_good_exits_0_and_says_where_the_index_is(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    result = invoke("batch", "in", "-o", "out", "--engine", "extractive", "-j", "1")
    assert result.exit_code == 0
    assert result.stdout == ("3 of 3 summarised into out; 0 failed; 0 requests, $0.0000 this run. "
                             "Index: out/index.md\n")
    assert result.stderr.splitlines()[0] == (
        "[1/3] ok in/story-0000.txt -> arlen-council-approves-a-new-library-story-0.md")


def test_a_bad_article_among_good_ones_exits_1_and_is_named(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.txt").write_bytes(b"")
    result = invoke("batch", "in", "-o", "out", "--engine", "extractive", "-q")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "summbot: failed: in/bad.txt: the file is empty; nothing to summarise.\n"
    assert "- in/bad.txt: the file is empty; nothing to summarise." in Path("out/index.md").read_text()


def test_fail_fast_exits_1_and_says_it_stopped(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    (tmp_path / "in" / "story-0000.txt").write_bytes(b"")
    result = invoke("batch", "in", "-o", "out", "--engine", "extractive", "-q", "-j", "1", "--fail-fast")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "summbot: stopped early: an article failed and --fail-fast was given; 2 articles not run.")


def test_dry_run_prints_estimates_and_sends_nothing(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    result = invoke("batch", "in", "-o", "out", "--dry-run", "--model", "gpt-4o-mini",
                    env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "   prompt  answer≤  req  est. cost  source"
    assert re.fullmatch(r" +\d+ +1000 +1 +\$0\.\d{6}  in/story-0000\.txt", lines[1])
    assert re.fullmatch(r" +\d+ +2000 +2 +\$0\.\d{6}  total \(answers at their ceiling; nothing was sent\)",
                        lines[3])
    assert server.requests == []
    assert not Path("out").exists()


def test_the_second_run_makes_zero_requests_at_the_server(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 4)
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test"}
    assert invoke("batch", "in", "-o", "a", "--model", "gpt-4o-mini", "-q", env=env).exit_code == 0
    assert len(server.chat_requests) == 4
    second = invoke("batch", "in", "-o", "b", "--model", "gpt-4o-mini", env=env)
    assert second.exit_code == 0
    assert len(server.chat_requests) == 4
    assert second.stdout == ("4 of 4 summarised into b (4 from the cache); 0 failed; 0 requests, $0.0000 "
                             "this run. Index: b/index.md\n")
    info = invoke("cache", "info")
    assert info.stdout.splitlines()[:2] == [f"path:    {tmp_path / 'cache' / 'responses.sqlite3'}",
                                            "entries: 4"]
    assert invoke("cache", "clear").stdout == (
        f"Removed 4 cached summaries from {tmp_path / 'cache' / 'responses.sqlite3'}.\n")
    assert invoke("cache", "info").stdout.splitlines()[1] == "entries: 0"


def test_batch_status_reports_the_last_run(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.txt").write_bytes(b"")
    invoke("batch", "in", "-o", "out", "--engine", "extractive", "-q")
    assert invoke("batch", "status", "out").stdout == "out: 3 articles: 1 failed, 2 ok.\n"
    missing = invoke("batch", "status", "nowhere")
    assert missing.exit_code == 2
    assert missing.stderr == ("summbot: nowhere: no batch here (no manifest.json); "
                              "run 'summbot batch ... -o nowhere' first.\n")


def test_batch_api_from_the_command_line(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.batch_statuses = ["validating", "in_progress", "completed"]
    write_articles(tmp_path / "in", 2)
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test"}
    first = invoke("batch", "in", "-o", "out", "--model", "gpt-4o-mini", "--via", "batch-api", "-q", env=env)
    assert first.exit_code == 0
    batch_id = json.loads(Path("out/manifest.json").read_text())["batch_api"]["id"]
    assert first.stdout == (f"Submitted 2 requests as batch {batch_id}; run the same command again to collect "
                            "the answers ('summbot batch status out' shows progress).\n")
    status = invoke("batch", "status", "out", env=env)
    assert status.stdout == (
        "out: 2 articles: 2 submitted.\n"
        f"Batch {batch_id} is in_progress: 0 of 2 requests done, 0 failed. Run the same batch command "
        "again to collect the results once it has completed.\n")
    second = invoke("batch", "in", "-o", "out", "--model", "gpt-4o-mini", "--via", "batch-api", "--resume",
                    env=env)
    assert second.exit_code == 0
    assert second.stdout.startswith("2 of 2 summarised into out; 0 failed;")
    assert server.chat_requests == []


# --------------------------------------------------------------------------- real processes


def _start(args: list[str], server: FakeOpenAIServer, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test",
           "SUMMBOT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "summbot", "batch", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_journal(path: Path, lines: int, process: subprocess.Popen[str], limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").count("\n") >= lines:
            return
        if process.poll() is not None:
            raise AssertionError(f"the batch ended early: {process.communicate()}")
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the batch did not finish any article in time")


def test_a_run_killed_with_sigkill_finishes_only_what_is_missing(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.default = summarising(delay=0.3)
    write_articles(tmp_path / "in", 10)
    args = ["in", "-o", "out", "--model", "gpt-4o-mini", "-j", "2"]
    process = _start(args, server, tmp_path)
    _wait_for_journal(tmp_path / "out" / ".summbot-journal.jsonl", 3, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    # The killed run's lock file is left behind; the OS has dropped its lock, so it blocks nothing.
    assert (tmp_path / "out" / ".summbot.lock").read_text() == f"{process.pid}\n"
    time.sleep(0.4)  # let requests already on the wire reach the server's log
    first_run = stories(server)
    finished = {p.name for p in (tmp_path / "out").glob("*.md") if p.name != "index.md"}
    assert 3 <= len(finished) < 10
    finished_stories = {int(re.search(r"story-(\d+)", n).group(1)) for n in finished}  # type: ignore[union-attr]

    again = _start(args, server, tmp_path)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    second_run = stories(server)[len(first_run):]
    assert not set(second_run) & finished_stories  # nothing finished is paid for twice
    assert len(second_run) == len(set(second_run))
    assert set(second_run) | set(first_run) == set(range(10))
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len([n for n in names if n.endswith(".md")]) == 11
    assert not [n for n in names if n.startswith(".")]  # no temporary files, no journal, no lock
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert sum(1 for a in manifest["articles"] if a["reused"]) >= len(finished)
    assert out.startswith("10 of 10 summarised into out (")


def test_ctrl_c_stops_cleanly_keeps_the_work_and_exits_130(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.default = summarising(delay=0.3)
    write_articles(tmp_path / "in", 10)
    process = _start(["in", "-o", "out", "--model", "gpt-4o-mini", "-j", "2"], server, tmp_path)
    _wait_for_journal(tmp_path / "out" / ".summbot-journal.jsonl", 2, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert not (tmp_path / "out" / ".summbot.lock").exists()  # released on the way out
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["stopped"] == "interrupted"
    done = [a for a in manifest["articles"] if a["status"] == "ok"]
    assert 2 <= len(done) < 10
    assert all((tmp_path / "out" / a["file"]).is_file() for a in done)
    left = 10 - len(done)
    assert err.splitlines()[-1] == (
        f"summbot: stopped early: interrupted; {left} article{'s' if left != 1 else ''} not run. "
        "Run the same command again to finish them.")
    assert out.startswith(f"{len(done)} of 10 summarised into out; 0 failed, {left} not run;")
    assert "**Stopped early: interrupted;" in (tmp_path / "out" / "index.md").read_text()


def test_a_second_run_into_the_same_folder_fails_at_once_while_the_first_finishes(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    import threading

    # Stories 0 and 1 are answered at once; the rest wait until the second run has been turned
    # away, so the first run is certainly mid-run while the second one starts.
    release = threading.Event()

    def held_back(body: dict[str, Any]) -> Any:
        text = json.dumps(body)
        if "(story 0)" not in text and "(story 1)" not in text:
            release.wait(timeout=30)
        return summarising()(body)

    server.default = held_back
    write_articles(tmp_path / "in", 6)
    args = ["in", "-o", "out", "--engine", "openai", "--model", "gpt-4o-mini", "-j", "2"]
    first = _start(args, server, tmp_path)
    try:
        _wait_for_journal(tmp_path / "out" / ".summbot-journal.jsonl", 2, first)
        second = _start(args, server, tmp_path)
        out, err = second.communicate(timeout=30)
        assert first.poll() is None  # turned away without waiting for the first run
        assert (second.returncode, out) == (32, "")
        assert err == (f"summbot: out: another summbot batch is writing to this folder (pid {first.pid}); "
                       "wait for it to finish, or use another -o folder.\n")
        # Reading the state needs no lock.
        status = invoke("batch", "status", "out")
        assert (status.exit_code, status.stdout) == (0, "out: 6 articles: 4 not run, 2 ok.\n")
    finally:
        release.set()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert sorted(stories(server)) == list(range(6))  # each sent once: the second run sent nothing
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["complete"] is True and [a["status"] for a in manifest["articles"]] == ["ok"] * 6
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_a_rate_limit_pause_is_reported_on_stderr(server: FakeOpenAIServer, tmp_path: Path) -> None:
    from tests.fakeserver import rate_limited

    write_articles(tmp_path / "in", 1)
    server.enqueue(*[rate_limited(retry_after=0)] * 4)
    result = invoke("batch", "in", "-o", "out", "--engine", "openai", "--model", "gpt-4o-mini",
                    env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test"})
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "summbot: rate limited: every request waits 0 s, then in/story-0000.txt is tried once more",
        "[1/1] ok in/story-0000.txt -> arlen-council-approves-a-new-library-story-0.md",
    ]
    assert len(server.chat_requests) == 5
