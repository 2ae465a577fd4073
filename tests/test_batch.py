"""The batch core: inputs, names, output files, cache, resume, failures, budget, Batch API.

LLM paths run the real openai engine against the loopback fake server, which summarises what it
is sent (``tests.batch_helpers.summarising``) so every answer cites real sentences.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from summbot.batch import (
    BatchOptions,
    BatchResult,
    InputItem,
    TokenBucket,
    estimate_article,
    expand_inputs,
    read_manifest,
    run_batch,
)
from summbot.cache import ResponseCache
from summbot.engines.extractive import ExtractiveEngine
from summbot.engines.openai import OpenAIEngine
from summbot.errors import InputError
from summbot.templates import Prompts
from tests import fakeserver
from tests.batch_helpers import article_text, summarising, summary_answer, write_articles
from tests.fakes import make_article
from tests.fakeserver import FakeOpenAIServer, rate_limited, reply, server_error


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    # Sixteen clients connecting at once overflow the stdlib server's default backlog of 5.
    monkeypatch.setattr(fakeserver._Server, "request_queue_size", 64)
    with FakeOpenAIServer(summarising()) as running:
        yield running


def openai_engine(server: FakeOpenAIServer) -> OpenAIEngine:
    return OpenAIEngine("gpt-4o-mini", api_key="test", base_url=server.base_url, sleep=lambda _: None)


def run(inputs: list[Any], engine: Any, outdir: Path, *, cache: ResponseCache | None = None,
        **options: Any) -> BatchResult:
    items = expand_inputs([str(i) for i in inputs], exclude=outdir)
    options.setdefault("jobs", 4)
    return run_batch(items, engine, BatchOptions(outdir=outdir, **options), cache=cache)


def stories(server: FakeOpenAIServer) -> list[int]:
    """Which story each chat request was about, in arrival order."""
    found = []
    for request in server.chat_requests:
        text = json.dumps(request.json)
        found.append(int(re.search(r"\(story (\d+)\)", text).group(1)))  # type: ignore[union-attr]
    return found


def outputs(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir())


# --------------------------------------------------------------------------- inputs


def test_a_folder_is_searched_recursively_by_extension_skipping_hidden_and_the_output(tmp_path: Path) -> None:
    root = tmp_path / "news"
    for name in ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "e.pdf", ".hidden.txt",
                 ".git/f.txt", "out/old.md", "sub/G.TXT"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    items = expand_inputs([str(root)], exclude=root / "out")
    assert [Path(i.source).relative_to(root).as_posix() for i in items] == [
        "a.md", "b.txt", "sub/G.TXT", "sub/c.html", "sub/deeper/d.htm"]
    assert all(i.error is None and not i.is_url for i in items)


def test_a_list_file_holds_paths_urls_and_globs_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    for name in ["one.txt", "two.txt", "three.html"]:
        (tmp_path / "articles" / name).write_text("x")
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "todo.txt").write_text(
        "# articles for Monday\n\n../articles/one.txt\n  https://example.com/story  \n"
        "../articles/*.html\n# ../articles/two.txt\n../articles/one.txt\n", encoding="utf-8")
    items = expand_inputs([f"@{lists / 'todo.txt'}"])
    assert [(Path(i.source).name if not i.is_url else i.source) for i in items] == [
        "one.txt", "https://example.com/story", "three.html"]
    assert items[1] == InputItem("https://example.com/story", "https://example.com/story", is_url=True)


def test_a_missing_list_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        expand_inputs([f"@{tmp_path}/nope.txt"])
    assert str(caught.value) == f"@{tmp_path}/nope.txt: no such list file; check the path after @."


def test_globs_expand_sorted_and_an_input_naming_nothing_becomes_a_failed_item(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    (tmp_path / "empty").mkdir()
    items = expand_inputs([f"{tmp_path}/in/story-000[12].txt", f"{tmp_path}/in/*.nothing",
                           f"{tmp_path}/missing.txt", str(tmp_path / "empty"), f"{tmp_path}/in/story-0001.txt"])
    assert [Path(i.source).name for i in items] == [
        "story-0001.txt", "story-0002.txt", "*.nothing", "missing.txt", "empty"]
    assert [i.error for i in items] == [
        None, None,
        f"{tmp_path}/in/*.nothing: no files match this pattern.",
        f"{tmp_path}/missing.txt: no such file or folder; check the path.",
        f"{tmp_path}/empty: no .txt, .md, .html, .htm files in this folder.",
    ]


# --------------------------------------------------------------------------- output files


def test_each_article_gets_a_markdown_file_with_front_matter_points_and_sources(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    source = tmp_path / "ferry.txt"
    source.write_text(article_text(0), encoding="utf-8")
    out = tmp_path / "out"
    result = run([source], openai_engine(server), out)
    assert outputs(out) == ["arlen-council-approves-a-new-library-story-0.md", "index.md", "manifest.json"]
    entry = result.entries[0]
    text = (out / entry.file).read_text(encoding="utf-8")  # type: ignore[operator]
    assert text == (
        "---\n"
        'title: "Arlen council approves a new library (story 0)"\n'
        f'source: "{source}"\n'
        'engine: "openai"\n'
        'model: "gpt-4o-mini"\n'
        f'generated_at: "{entry.generated_at}"\n'
        "usage:\n  prompt_tokens: 500\n  completion_tokens: 100\n  requests: 1\n"
        f'text_sha256: "{entry.text_sha256}"\n'
        "---\n\n"
        "# Arlen council approves a new library (story 0)\n\n"
        "## Summary\n\n"
        "The Arlen council voted on Monday to approve a new library, officials said. "
        "The project is expected to cost 10 million euros over four years.\n\n"
        "## Key points\n\n"
        "1. The Arlen council voted on Monday to approve a new library, officials said. (S1)\n"
        "2. The project is expected to cost 10 million euros over four years. (S2)\n"
        "3. Council leader Mara Quint said the plan had been discussed for 2 months. (S3)\n\n"
        "## Headline check\n\n"
        "Supported by the body. The first paragraph says so.\n\n"
        "## Sources\n\n"
        "> **S1** The Arlen council voted on Monday to approve a new library, officials said.\n\n"
        "> **S2** The project is expected to cost 10 million euros over four years.\n\n"
        "> **S3** Council leader Mara Quint said the plan had been discussed for 2 months.\n"
    )
    import hashlib

    from summbot.article import load_article

    assert entry.text_sha256 == hashlib.sha256(load_article(str(source)).text.encode()).hexdigest()


def test_an_unverified_point_is_flagged_with_its_reason(server: FakeOpenAIServer, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(article_text(3), encoding="utf-8")
    server.enqueue(reply(json.dumps({
        "summary": "The council approved it.",
        "key_points": [{"text": "Approved.", "sentences": ["S1"]}, {"text": "It costs 99 million.", "sentences": ["S42"]}],
        "headline_check": {"supported": None, "note": ""},
    })))
    result = run([source], openai_engine(server), tmp_path / "out")
    entry = result.entries[0]
    text = (tmp_path / "out" / entry.file).read_text()  # type: ignore[operator]
    assert "2. It costs 99 million. (S42) **(unverified: " in text
    assert (entry.points, entry.unverified) == (2, 1)
    assert "| 2 (1 unverified) |" in (tmp_path / "out" / "index.md").read_text()


def test_hostile_and_colliding_titles_give_safe_names_in_input_order(tmp_path: Path) -> None:
    titles = ["../../etc/passwd", "CON", "Same title", "x" * 300, "🚀 Launch 🎉", None, "Same title",
              "index", "Same title"]
    articles = {f"in/{n}.txt": make_article(["The council met on Monday, officials said."], title=t)
                for n, t in enumerate(titles)}

    def load(item: InputItem) -> Any:
        article = articles[item.source]
        article.source = item.source
        return article

    items = [InputItem(f"in/{n}.txt", f"key{n}") for n in range(len(titles))]
    out = tmp_path / "out"
    result = run_batch(items, ExtractiveEngine(), BatchOptions(outdir=out, jobs=4), load=load)
    assert [e.file for e in result.entries] == [
        "etc-passwd.md", "con-article.md", "same-title.md", "x" * 80 + ".md", "launch.md", "5.md",
        "same-title-2.md", "index-article.md", "same-title-3.md"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [e.file for e in result.entries] + ["index.md", "manifest.json"])  # type: ignore[operator]
    assert not (tmp_path / "etc").exists()


def test_names_and_index_order_do_not_depend_on_which_answer_comes_first(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # The first article is answered only after the other three are done; it still gets the plain
    # name and the first row.
    import threading

    others_done = threading.Event()

    def slow_first(body: dict[str, Any]) -> Any:
        if "The Arlen council" in json.dumps(body):
            others_done.wait(timeout=10)
        return reply(summary_answer(body))

    def on_event(event: Any) -> None:
        if event.entry is not None:
            finished.append(Path(event.entry.source).name)
            if len(finished) == 3:
                others_done.set()

    server.default = slow_first
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(4):
        (folder / f"{number}.txt").write_text(article_text(number, title="Same title"), encoding="utf-8")
    finished: list[str] = []
    items = expand_inputs([str(folder)])
    result = run_batch(items, openai_engine(server), BatchOptions(outdir=tmp_path / "out", jobs=4),
                       on_event=on_event)
    assert finished[-1] == "0.txt"
    assert [e.file for e in result.entries] == ["same-title.md", "same-title-2.md", "same-title-3.md",
                                                "same-title-4.md"]
    first = (tmp_path / "out" / "same-title.md").read_text()
    assert f'source: "{folder / "0.txt"}"' in first
    rows = [line for line in (tmp_path / "out" / "index.md").read_text().splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[2] for row in rows[1:]] == [str(folder / f"{n}.txt") for n in range(4)]


def test_the_index_lists_every_article_and_the_failures_with_reasons(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "story-0005.txt").write_text("   \n", encoding="utf-8")
    out = tmp_path / "out"
    result = run([tmp_path / "in", tmp_path / "gone.txt"], ExtractiveEngine(), out)
    assert [e.status for e in result.entries] == ["ok", "ok", "failed", "failed"]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.splitlines()[:3] == ["# Batch summaries", "", "4 articles: 2 ok, 2 failed."]
    assert (f"| 1 | [Arlen council approves a new library (story 0)](arlen-council-approves-a-new-library-"
            f"story-0.md) | {tmp_path}/in/story-0000.txt | ok | ") in index
    assert f"| 3 | – | {tmp_path}/in/story-0005.txt | failed | – | – | – |" in index
    assert index.endswith(
        "## Failures\n\n"
        f"- {tmp_path}/in/story-0005.txt: the file holds only whitespace; nothing to summarise.\n"
        f"- {tmp_path}/gone.txt: no such file or folder; check the path.\n"
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True and manifest["stopped"] is None
    assert manifest["totals"]["ok"] == 2 and manifest["totals"]["failed"] == 2
    assert [a["status"] for a in manifest["articles"]] == ["ok", "ok", "failed", "failed"]


# --------------------------------------------------------------------------- cache and resume


def test_a_second_run_makes_no_requests_thanks_to_the_cache(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 6)
    cache = ResponseCache(tmp_path / "cache.sqlite3")
    first = run([tmp_path / "in"], openai_engine(server), tmp_path / "a", cache=cache)
    assert len(server.chat_requests) == 6
    # A different output folder: nothing to resume, everything from the cache.
    second = run([tmp_path / "in"], openai_engine(server), tmp_path / "b", cache=cache)
    assert len(server.chat_requests) == 6
    assert [e.cached for e in second.entries] == [True] * 6
    assert second.totals()["requests_this_run"] == 0
    for entry in first.entries:
        assert (tmp_path / "a" / entry.file).read_text() == (tmp_path / "b" / entry.file).read_text().replace(
            str(tmp_path / "b"), str(tmp_path / "a"))  # type: ignore[operator]
    # --no-cache sends again.
    run([tmp_path / "in"], openai_engine(server), tmp_path / "c", cache=cache, use_cache=False)
    assert len(server.chat_requests) == 12


def test_changing_a_setting_or_the_text_misses_the_cache(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    cache = ResponseCache(tmp_path / "cache.sqlite3")
    run([tmp_path / "in"], openai_engine(server), tmp_path / "a", cache=cache)
    run([tmp_path / "in"], openai_engine(server), tmp_path / "b", cache=cache, length="short")
    assert len(server.chat_requests) == 4
    (tmp_path / "in" / "story-0001.txt").write_text(article_text(1) + "\nA late paragraph was added.\n")
    run([tmp_path / "in"], openai_engine(server), tmp_path / "c", cache=cache)
    assert stories(server)[4:] == [1]


def test_a_rerun_skips_finished_articles_and_redoes_missing_or_changed_ones(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    write_articles(tmp_path / "in", 5)
    out = tmp_path / "out"
    first = run([tmp_path / "in"], openai_engine(server), out)
    assert sorted(stories(server)) == [0, 1, 2, 3, 4]
    (out / first.entries[2].file).unlink()  # type: ignore[operator]
    (tmp_path / "in" / "story-0004.txt").write_text(article_text(4) + "\nAn update was added.\n")
    second = run([tmp_path / "in"], openai_engine(server), out)
    assert sorted(stories(server)[5:]) == [2, 4]
    assert [e.reused for e in second.entries] == [True, True, False, True, False]
    assert [e.file for e in second.entries] == [e.file for e in first.entries]
    assert second.totals()["requests_this_run"] == 2
    run([tmp_path / "in"], openai_engine(server), out)
    assert len(server.chat_requests) == 7


def test_new_settings_redo_everything_into_the_same_names(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    first = run([tmp_path / "in"], openai_engine(server), out)
    second = run([tmp_path / "in"], openai_engine(server), out, points=3)
    assert len(server.chat_requests) == 4
    assert [e.file for e in second.entries] == [e.file for e in first.entries]
    assert outputs(out) == sorted([*(e.file for e in first.entries), "index.md", "manifest.json"])  # type: ignore[misc]


def test_a_journal_left_by_a_killed_run_counts_as_done(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    first = run([tmp_path / "in"], openai_engine(server), out)
    # As if killed after the journal lines were written but before the manifest was: no
    # manifest, a journal with a torn last line, and a temporary file.
    (out / "manifest.json").unlink()
    lines = [json.dumps(e.to_dict()) for e in first.entries[:2]]
    (out / ".summbot-journal.jsonl").write_text("\n".join(lines) + '\n{"key": "torn', encoding="utf-8")
    (out / ".summbot-tmp-x.md.1.2").write_text("half a fi")
    manifest = read_manifest(out)
    assert manifest is not None and len(manifest["articles"]) == 2
    second = run([tmp_path / "in"], openai_engine(server), out)
    assert stories(server)[3:] == [2]
    assert [e.reused for e in second.entries] == [True, True, False]
    assert not any(name.startswith(".summbot") for name in outputs(out))


# --------------------------------------------------------------------------- failures


def test_injected_429s_and_500s_are_retried_and_nothing_is_lost(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 8)
    server.enqueue(rate_limited(retry_after=0), server_error(), rate_limited(retry_after=0), server_error(502))
    # Five tries an article: even when one article's retries draw all four failures (they are
    # served in arrival order), it is answered on its fifth, so the count below is exact.
    engine = OpenAIEngine("gpt-4o-mini", api_key="test", base_url=server.base_url, max_retries=4,
                          sleep=lambda _: None)
    result = run([tmp_path / "in"], engine, tmp_path / "out")
    assert [e.status for e in result.entries] == ["ok"] * 8
    assert sorted(set(stories(server))) == list(range(8))
    assert len(server.chat_requests) == 12
    assert len([p for p in outputs(tmp_path / "out") if p.endswith(".md")]) == 9


def test_an_article_the_server_keeps_failing_is_reported_and_the_rest_finish(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    def broken_story_2(body: dict[str, Any]) -> Any:
        return server_error() if "(story 2)" in json.dumps(body) else reply(summary_answer(body))

    server.default = broken_story_2
    write_articles(tmp_path / "in", 4)
    out = tmp_path / "out"
    result = run([tmp_path / "in"], openai_engine(server), out)
    assert [e.status for e in result.entries] == ["ok", "ok", "failed", "ok"]
    assert result.entries[2].error == (
        f"The server at {server.base_url} failed with 500 Internal Server Error after 4 tries; try again later.")
    assert f"- {tmp_path}/in/story-0002.txt: The server at {server.base_url} failed with 500" in (out / "index.md").read_text()
    # The server recovers: a re-run sends only the failed article.
    server.default = summarising()
    before = len(server.chat_requests)
    again = run([tmp_path / "in"], openai_engine(server), out)
    assert stories(server)[before:] == [2]
    assert [e.status for e in again.entries] == ["ok"] * 4


def test_a_429_after_the_engine_gives_up_pauses_and_tries_the_article_once_more(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    write_articles(tmp_path / "in", 1)
    server.enqueue(*[rate_limited(retry_after=0)] * 4)
    result = run([tmp_path / "in"], openai_engine(server), tmp_path / "out", cooldown=0.05)
    assert result.entries[0].status == "ok"
    assert len(server.chat_requests) == 5


def test_fail_fast_stops_at_the_first_failure_and_keeps_what_was_done(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 5)
    (tmp_path / "in" / "story-0001.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out"
    result = run([tmp_path / "in"], ExtractiveEngine(), out, jobs=1, fail_fast=True)
    assert result.stopped == "fail-fast"
    assert [e.status for e in result.entries] == ["ok", "failed", "not run", "not run", "not run"]
    index = (out / "index.md").read_text()
    assert ("**Stopped early: an article failed and --fail-fast was given; 3 articles not run.**") in index
    assert json.loads((out / "manifest.json").read_text())["complete"] is False


# --------------------------------------------------------------------------- cost


def test_dry_run_estimates_and_sends_and_writes_nothing(server: FakeOpenAIServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    result = run([tmp_path / "in"], openai_engine(server), out, dry_run=True)
    assert server.requests == []
    assert not out.exists()
    assert [e.status for e in result.entries] == ["estimated"] * 3
    estimate = result.entries[0].estimate
    assert estimate is not None and estimate["requests"] == 1 and estimate["completion_tokens"] == 1000
    assert estimate["prompt_tokens"] > 200
    assert estimate["cost_usd"] == pytest.approx((estimate["prompt_tokens"] * 0.15 + 1000 * 0.60) / 1e6)
    total = result.totals()["estimate"]
    assert total["requests"] == 3
    assert total["cost_usd"] == pytest.approx(sum(e.estimate["cost_usd"] for e in result.entries))  # type: ignore[index]


def test_max_cost_stops_before_the_budget_is_passed_and_keeps_what_was_done(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    write_articles(tmp_path / "in", 6)
    engine = openai_engine(server)
    from summbot.article import load_article

    one = estimate_article(load_article(str(tmp_path / "in" / "story-0000.txt"), model="gpt-4o-mini"), engine,
                           Prompts(), BatchOptions(outdir=tmp_path))["cost_usd"]
    actual = (500 * 0.15 + 100 * 0.60) / 1e6  # what the fake server reports using
    # One at a time: each article is sent while the actual spend so far plus its estimate fits,
    # so three are sent (0, 1 and 2 articles' actual spend before them) and the fourth is not.
    budget = one + 2.5 * actual
    out = tmp_path / "out"
    result = run([tmp_path / "in"], engine, out, jobs=1, max_cost=budget)
    assert result.stopped == "max-cost"
    done = [e for e in result.entries if e.status == "ok"]
    assert [e.status for e in result.entries] == ["ok"] * 3 + ["not run"] * 3
    assert len(server.chat_requests) == len(done)
    assert result.totals()["cost_usd_this_run"] <= budget
    stopped_at = result.entries[len(done)]
    assert stopped_at.status == "not run" and stopped_at.error.startswith("not sent: its estimated cost ($")  # type: ignore[union-attr]
    index = (out / "index.md").read_text()
    assert "**Stopped early: the --max-cost budget would have been exceeded;" in index
    assert "Run the same command with a higher --max-cost to finish them.**" in index
    # A higher budget finishes the rest, and only the rest.
    run([tmp_path / "in"], engine, out, jobs=1, max_cost=1.0)
    assert sorted(stories(server)) == list(range(6))


def test_max_cost_needs_a_known_price(server: FakeOpenAIServer, tmp_path: Path) -> None:
    engine = OpenAIEngine("my-local-model", api_key="test", base_url=server.base_url)
    with pytest.raises(Exception) as caught:
        run([tmp_path], engine, tmp_path / "out", max_cost=1.0)
    assert str(caught.value) == (
        "--max-cost needs the price of model 'my-local-model', which summbot does not know; add it "
        "with SUMMBOT_PRICES (see 'summbot tokens --help') or drop --max-cost.")


def test_the_token_bucket_lets_a_burst_through_then_spaces_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr("summbot.batch.time.monotonic", lambda: clock[0])
    bucket = TokenBucket(60)  # one a second, a burst of ten
    assert [bucket.delay_for(1) for _ in range(10)] == [0.0] * 10
    assert bucket.delay_for(1) == pytest.approx(1.0)
    clock[0] += 1.0
    assert bucket.delay_for(1) == 0.0
    big = TokenBucket(600)  # burst 100: a 250-unit request waits for a full bucket, then owes
    assert big.delay_for(250) == 0.0
    assert big.delay_for(1) == pytest.approx(151 / 10)


# --------------------------------------------------------------------------- the Batch API


def test_the_batch_api_round_trip_submits_then_collects_by_custom_id(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    from summbot.batchapi import run_via_batch_api

    server.batch_statuses = ["validating", "in_progress", "completed"]
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    items = expand_inputs([str(tmp_path / "in")])
    options = BatchOptions(outdir=out, jobs=2)
    engine = openai_engine(server)

    submitted = run_via_batch_api(items, engine, options).result
    assert submitted is not None and server.chat_requests == []
    job = json.loads((out / "manifest.json").read_text())["batch_api"]
    assert job["requests"] == 3 and job["collected"] is False and job["id"].startswith("batch_")
    lines = [json.loads(line) for line in (out / "batch-requests.jsonl").read_text().splitlines()]
    assert [line["custom_id"] for line in lines] == [e.custom_id for e in submitted.entries]
    assert lines[0]["url"] == "/v1/chat/completions" and lines[0]["method"] == "POST"
    from summbot.article import load_article
    from summbot.batch import first_request
    from summbot.engines.openai import wire_body

    article = load_article(str(tmp_path / "in" / "story-0000.txt"), model="gpt-4o-mini")
    assert lines[0]["body"] == wire_body(first_request(article, engine, Prompts(), options), "gpt-4o-mini",
                                         stream=False)

    waiting = run_via_batch_api(items, engine, options)  # validating -> in_progress
    assert waiting.result is None
    assert waiting.waiting == (f"Batch {job['id']} is in_progress: 0 of 3 requests done, 0 failed. Run the "
                               "same batch command again to collect the results once it has completed.")

    collected = run_via_batch_api(items, engine, options).result
    assert collected is not None
    assert [e.status for e in collected.entries] == ["ok"] * 3
    assert server.chat_requests == []
    text = (out / collected.entries[0].file).read_text()  # type: ignore[operator]
    assert "## Sources\n\n> **S1** The Arlen council voted on Monday" in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["batch_api"]["collected"] is True and manifest["complete"] is True
    assert collected.entries[0].cost_usd == pytest.approx((500 * 0.15 + 100 * 0.60) / 1e6 / 2)


def test_expired_batch_items_fail_until_retried_directly(server: FakeOpenAIServer, tmp_path: Path) -> None:
    from summbot.batchapi import run_via_batch_api

    server.batch_statuses = ["in_progress", "expired"]
    write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    items = expand_inputs([str(tmp_path / "in")])
    options = BatchOptions(outdir=out, jobs=2)
    engine = openai_engine(server)
    run_via_batch_api(items, engine, options)
    expired = run_via_batch_api(items, engine, options).result
    assert expired is not None
    assert [e.status for e in expired.entries] == ["failed", "failed"]
    assert expired.entries[0].error == (
        "the Batch API did not answer it (batch_expired: This request could not be executed before the "
        "completion window expired.); run again with --retry-failed to send it directly")
    retried = run_via_batch_api(items, engine, options, retry_failed=True).result
    assert retried is not None and [e.status for e in retried.entries] == ["ok", "ok"]
    assert sorted(stories(server)) == [0, 1]


def test_the_batch_api_needs_the_openai_engine(tmp_path: Path) -> None:
    from summbot.batchapi import run_via_batch_api

    with pytest.raises(Exception) as caught:
        run_via_batch_api([], ExtractiveEngine(), BatchOptions(outdir=tmp_path))
    assert str(caught.value) == ("--via batch-api needs the openai engine (this run uses extractive); pass "
                                 "--engine openai with OPENAI_API_KEY set, or drop --via batch-api.")


def test_urls_are_fetched_and_a_broken_one_fails_alone(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    write_articles(tmp_path / "site", 2)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        urls = [f"{base}/story-0001.txt", f"{base}/missing.txt", f"{base}/story-0000.txt"]
        result = run(urls, ExtractiveEngine(), tmp_path / "out")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert [e.status for e in result.entries] == ["ok", "failed", "ok"]
    assert [e.file for e in result.entries] == [
        "brisk-council-approves-a-new-library-story-1.md", None,
        "arlen-council-approves-a-new-library-story-0.md"]
    assert result.entries[1].error is not None and result.entries[1].error.startswith(f"{base}/missing.txt: ")
    assert result.entries[0].input_sha256 is None and result.entries[0].key == urls[0]


def test_a_direct_run_refuses_a_folder_waiting_for_a_batch_api_job(server: FakeOpenAIServer, tmp_path: Path) -> None:
    from summbot.batchapi import run_via_batch_api

    write_articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    items = expand_inputs([str(tmp_path / "in")])
    submitted = run_via_batch_api(items, openai_engine(server), BatchOptions(outdir=out)).result
    assert submitted is not None and submitted.batch_api is not None
    with pytest.raises(Exception) as caught:
        run_batch(items, openai_engine(server), BatchOptions(outdir=out))
    assert str(caught.value) == (
        f"{out} is waiting for Batch API job {submitted.batch_api['id']}; collect it by running the same "
        "command with --via batch-api (see 'summbot batch status'), or use another -o folder.")
    assert server.chat_requests == []


def test_an_article_too_long_for_one_request_is_estimated_and_sent_through_map_reduce(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    from summbot.batchapi import run_via_batch_api

    (tmp_path / "in").mkdir()
    long_text = article_text(0) + "\n".join(
        f"\nParagraph {n}: the council heard from resident number {n}, who spoke about the plan for a "
        f"while and asked about costs, timing, noise and parking near the site on street {n}." for n in range(60))
    (tmp_path / "in" / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "in" / "short.txt").write_text(article_text(1), encoding="utf-8")
    engine = openai_engine(server)
    dry = run([tmp_path / "in" / "long.txt"], engine, tmp_path / "dry", dry_run=True, context_window=1500)
    assert dry.entries[0].estimate is not None and dry.entries[0].estimate["requests"] >= 3
    # Through the Batch API, the short article is submitted and the long one summarised directly.
    out = tmp_path / "out"
    result = run_via_batch_api(expand_inputs([str(tmp_path / "in")]), engine,
                               BatchOptions(outdir=out, context_window=1500)).result
    assert result is not None
    assert [(Path(e.source).name, e.status) for e in result.entries] == [("long.txt", "ok"), ("short.txt", "submitted")]
    assert len(server.chat_requests) >= 3
    assert result.batch_api is not None and result.batch_api["requests"] == 1


def test_the_throttle_spaces_requests_and_holds_every_worker_during_a_pause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from summbot.batch import Throttle
    from summbot.engines.base import Request, Task

    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr("summbot.batch.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("summbot.batch.time.sleep", sleep)
    request = Request(messages=[{"role": "user", "content": "hi"}], task=Task("summary", make_article(["A."])))
    throttle = Throttle(rpm=60)
    for _ in range(10):
        throttle.wait(request)
    assert slept == []
    throttle.wait(request)
    assert sum(slept) == pytest.approx(1.0)
    throttle.pause(5)
    throttle.wait(request)
    assert sum(slept) == pytest.approx(6.0)


def test_articles_from_an_earlier_run_with_other_inputs_are_kept_and_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text(article_text(0, title="Same title"), encoding="utf-8")
    (tmp_path / "b" / "y.txt").write_text(article_text(1, title="Same title"), encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "a"], ExtractiveEngine(), out)
    second = run([tmp_path / "b"], ExtractiveEngine(), out)
    assert [e.file for e in second.entries] == ["same-title-2.md"]
    assert [(e.file, e.source) for e in second.carried] == [("same-title.md", str(tmp_path / "a" / "x.txt"))]
    assert "Brisk" in (out / "same-title-2.md").read_text() and "Arlen" in (out / "same-title.md").read_text()
    rows = [line for line in (out / "index.md").read_text().splitlines() if line.startswith("| ")][1:]
    assert [row.split(" | ")[3] for row in rows] == ["ok", "ok (earlier run)"]
    assert len(json.loads((out / "manifest.json").read_text())["articles"]) == 2


def test_the_index_says_what_waits_for_the_batch_api(server: FakeOpenAIServer, tmp_path: Path) -> None:
    from summbot.batchapi import run_via_batch_api

    write_articles(tmp_path / "in", 2)
    result = run_via_batch_api(expand_inputs([str(tmp_path / "in")]), openai_engine(server),
                               BatchOptions(outdir=tmp_path / "out")).result
    assert result is not None and result.batch_api is not None
    index = (tmp_path / "out" / "index.md").read_text()
    assert index.endswith(f"2 submitted to Batch API job {result.batch_api['id']}; run the same command "
                          "again to collect them once it has completed.\n")
    assert "## Not run" not in index


# --------------------------------------------------------------------------- pausing for the server


def test_the_engine_gives_up_on_a_429_carrying_the_servers_last_retry_after(server: FakeOpenAIServer) -> None:
    from summbot.engines.base import Request, Task
    from summbot.errors import RateLimited

    waits: list[float] = []
    engine = OpenAIEngine("gpt-4o-mini", api_key="test", base_url=server.base_url, sleep=waits.append)
    request = Request(messages=[{"role": "user", "content": "hi"}], task=Task("summary", make_article(["A."])))
    for behaviours, expected in [
        ([rate_limited(retry_after=2), rate_limited(retry_after=3), rate_limited(retry_after=4),
          rate_limited(retry_after=7)], 7.0),
        ([rate_limited(retry_after_ms=1500)] * 4, 1.5),
        ([rate_limited()] * 4, None),
        ([rate_limited(code="insufficient_quota", retry_after=9)], None),
    ]:
        server.enqueue(*behaviours)
        with pytest.raises(RateLimited) as caught:
            engine.complete(request)
        assert caught.value.retry_after == expected
    assert waits[:3] == [2.0, 3.0, 4.0]  # the engine's own waits honour each answer's header


@pytest.mark.parametrize(("retry_after", "pause"), [(7, 7.0), (None, 15.0), (3600, 60.0)],
                         ids=["as-asked", "unknown-falls-back-to-15s", "capped-at-60s"])
def test_a_429_after_the_engine_gives_up_pauses_every_request_as_long_as_the_server_asked(
    server: FakeOpenAIServer, tmp_path: Path, retry_after: float | None, pause: float
) -> None:
    write_articles(tmp_path / "in", 1)
    server.enqueue(*[rate_limited(retry_after=retry_after)] * 4)
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    events: list[Any] = []
    result = run_batch(expand_inputs([str(tmp_path / "in")]), openai_engine(server),
                       BatchOptions(outdir=tmp_path / "out", jobs=1), on_event=events.append,
                       sleep=sleep, clock=lambda: clock[0])
    assert result.entries[0].status == "ok"
    assert len(server.chat_requests) == 5
    assert sum(slept) == pause
    assert [(e.seconds, Path(e.entry.source).name) for e in events if e.kind == "paused"] == [
        (pause, "story-0000.txt")]


# --------------------------------------------------------------------------- the output folder's lock


@contextmanager
def held_by_another_process(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """A separate Python process holding ``folder``'s lock until the block ends."""
    code = ("import sys\nfrom pathlib import Path\nfrom summbot.batch import lock_outdir\n"
            "with lock_outdir(Path(sys.argv[1])):\n    print('held', flush=True)\n    sys.stdin.read()\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None and process.stdout.readline() == "held\n"
        yield process
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_batch_into_a_folder_another_run_is_writing_to_fails_at_once_and_touches_nothing(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    from summbot.batchapi import run_via_batch_api
    from summbot.errors import OutputLocked

    write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".summbot-tmp-theirs.md.tmp").write_text("the other run's file being written")
    with held_by_another_process(out) as holder:
        expected = (f"{out}: another summbot batch is writing to this folder (pid {holder.pid}); wait for "
                    "it to finish, or use another -o folder.")
        with pytest.raises(OutputLocked) as caught:
            run([tmp_path / "in"], openai_engine(server), out)
        assert (str(caught.value), caught.value.exit_code) == (expected, 32)
        with pytest.raises(OutputLocked) as caught:
            run_via_batch_api(expand_inputs([str(tmp_path / "in")]), openai_engine(server), BatchOptions(outdir=out))
        assert str(caught.value) == expected
        assert server.requests == []
        assert outputs(out) == [".summbot-tmp-theirs.md.tmp", ".summbot.lock"]
        # A dry run writes nothing, so it needs no lock.
        assert [e.status for e in run([tmp_path / "in"], openai_engine(server), out, dry_run=True).entries] == [
            "estimated"] * 2
    result = run([tmp_path / "in"], openai_engine(server), out)
    assert [e.status for e in result.entries] == ["ok", "ok"]
    assert not [name for name in outputs(out) if name.startswith(".")]


def test_the_lock_is_released_when_a_run_fails_or_is_interrupted(tmp_path: Path) -> None:
    from summbot.batch import lock_outdir
    from summbot.errors import ConfigError

    write_articles(tmp_path / "in", 1)
    out = tmp_path / "out"

    def interrupt(event: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(expand_inputs([str(tmp_path / "in")]), ExtractiveEngine(), BatchOptions(outdir=out),
                  on_event=interrupt)
    assert not (out / ".summbot.lock").exists()
    (out / "manifest.json").write_text(json.dumps({"batch_api": {"id": "batch_1", "collected": False}}))
    with pytest.raises(ConfigError):
        run([tmp_path / "in"], ExtractiveEngine(), out)
    assert not (out / ".summbot.lock").exists()
    with lock_outdir(out):  # free again
        assert (out / ".summbot.lock").read_text() == f"{os.getpid()}\n"
    assert not (out / ".summbot.lock").exists()


def test_the_same_thread_may_take_the_lock_again_but_another_thread_may_not(tmp_path: Path) -> None:
    import threading

    from summbot.batch import lock_outdir
    from summbot.errors import OutputLocked

    out = tmp_path / "out"
    refused: list[str] = []

    def other_thread() -> None:
        try:
            with lock_outdir(out):
                pass
        except OutputLocked as error:
            refused.append(str(error))

    with lock_outdir(out):
        with lock_outdir(out):
            pass
        assert (out / ".summbot.lock").exists()
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert refused == [f"{out}: another summbot batch is writing to this folder (pid {os.getpid()}); wait for "
                       "it to finish, or use another -o folder."]
    assert not (out / ".summbot.lock").exists()


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "pid-file"])
def test_a_lock_file_left_by_a_killed_run_does_not_block_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flock: bool
) -> None:
    if not flock:
        monkeypatch.setattr("summbot.batch._fcntl", None)
    write_articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".summbot.lock").write_text(f"{dead_pid()}\n")
    result = run([tmp_path / "in"], ExtractiveEngine(), out)
    assert [e.status for e in result.entries] == ["ok"]
    assert not (out / ".summbot.lock").exists()


def test_without_flock_a_lock_file_naming_a_live_process_or_just_created_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summbot.batch import lock_outdir
    from summbot.errors import OutputLocked

    monkeypatch.setattr("summbot.batch._fcntl", None)
    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".summbot.lock"
    lock.write_text(f"{os.getppid()}\n")
    with pytest.raises(OutputLocked) as caught:
        with lock_outdir(out):
            pass
    assert str(caught.value) == (f"{out}: another summbot batch is writing to this folder (pid {os.getppid()}); "
                                 "wait for it to finish, or use another -o folder.")
    # No pid yet: another run has just created it and is about to write its pid.
    lock.write_text("")
    with pytest.raises(OutputLocked) as caught:
        with lock_outdir(out):
            pass
    assert str(caught.value) == (f"{out}: another summbot batch is writing to this folder; wait for it to "
                                 "finish, or use another -o folder.")
    assert lock.read_text() == ""
    # Still without a pid a minute later: a run killed between creating and writing it.
    os.utime(lock, (time.time() - 60, time.time() - 60))
    with lock_outdir(out):
        assert lock.read_text() == f"{os.getpid()}\n"
    assert not lock.exists()


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    from summbot.errors import OutputError

    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError) as caught:
        run([tmp_path], ExtractiveEngine(), tmp_path / "out")
    assert str(caught.value) == f"{tmp_path / 'out'}: exists and is not a folder; choose another -o."


# --------------------------------------------------------------------------- no tokenizer when it is not needed


def test_the_byte_bound_is_taken_over_the_very_prompt_summarize_sends(server: FakeOpenAIServer) -> None:
    from summbot.batch import first_request, summary_messages

    article = make_article(["The council met. It voted to rebuild the harbour wall.",
                            "Work starts in May </article> and ends in June."],
                           title="Harbour <article> vote", headings={1: "What comes next"})
    options = BatchOptions(outdir=Path("unused"), length="short", points=3)
    prompts = Prompts()
    sent = first_request(article, openai_engine(server), prompts, options).messages
    assert summary_messages(article, prompts, options) == sent
    assert len(server.chat_requests) == 0


def test_articles_that_fit_by_their_bytes_are_sent_without_loading_a_tokenizer(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summbot.tokens

    asked: list[str | None] = []
    real = summbot.tokens.counter_for_model
    monkeypatch.setattr(summbot.tokens, "counter_for_model", lambda model: asked.append(model) or real(model))
    paths = write_articles(tmp_path / "in", 3)
    result = run(paths, openai_engine(server), tmp_path / "out")
    assert [e.status for e in result.entries] == ["ok", "ok", "ok"]
    assert len(server.chat_requests) == 3
    assert asked == []


def test_an_article_too_long_by_its_bytes_is_counted_and_the_map_reduce_warning_gives_the_count(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    from summbot.article import load_article

    path = tmp_path / "in" / "long.txt"
    path.parent.mkdir()
    path.write_text(article_text(0) + "\n".join(
        f"\nParagraph {n}: residents asked about the cost, the noise and the parking on street {n}."
        for n in range(40)), encoding="utf-8")
    tokens = load_article(str(path), model="gpt-4o-mini").tokens
    assert tokens is not None
    result = run([path], openai_engine(server), tmp_path / "out", context_window=1500)
    assert [e.status for e in result.entries] == ["ok"]
    markdown = (tmp_path / "out" / str(result.entries[0].file)).read_text(encoding="utf-8")
    warning = next(line for line in markdown.splitlines() if line.startswith("- The article ("))
    assert warning.startswith(f"- The article ({tokens.count} tokens) does not fit the model's "
                              "1500-token context window; it was summarised in ")


def test_the_sdk_client_is_built_once_requests_are_coming_and_not_for_a_run_the_cache_answers(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summbot.batch

    warmed: list[str] = []
    real = summbot.batch.prewarm
    monkeypatch.setattr(summbot.batch, "prewarm", lambda engine: warmed.append(engine.model) or real(engine))
    write_articles(tmp_path / "in", 3)
    cache = ResponseCache(tmp_path / "cache.sqlite3")
    run([tmp_path / "in"], openai_engine(server), tmp_path / "a", cache=cache)
    assert warmed == ["gpt-4o-mini"]
    engine = openai_engine(server)
    second = run([tmp_path / "in"], engine, tmp_path / "b", cache=cache)
    assert [e.cached for e in second.entries] == [True, True, True]
    assert warmed == ["gpt-4o-mini"]
    assert engine._client is None
    run([tmp_path / "in"], openai_engine(server), tmp_path / "dry", dry_run=True)
    assert warmed == ["gpt-4o-mini"]


def test_an_entry_as_data_is_what_asdict_gives_and_shares_nothing_with_the_entry() -> None:
    from dataclasses import asdict

    from summbot.batch import Entry

    entry = Entry(index=3, source="a.txt", key="/in/a.txt", status="ok", title="A", file="a.md",
                  usage={"prompt_tokens": 5, "completion_tokens": 2, "requests": 1}, cost_usd=0.25,
                  estimate={"prompt_tokens": 7, "completion_tokens": 9, "requests": 1, "cost_usd": 0.5})
    data = entry.to_dict()
    assert data == asdict(entry)
    assert list(data) == list(asdict(entry))
    data["usage"]["requests"] = 99
    data["estimate"]["requests"] = 99
    assert entry.usage["requests"] == 1 and entry.estimate is not None and entry.estimate["requests"] == 1
    assert Entry.from_dict(entry.to_dict()) == entry
