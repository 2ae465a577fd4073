"""The response cache: keyed by everything that decides a summary, safe under threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from summbot.cache import (
    ResponseCache,
    cache_dir,
    summary_from_record,
    summary_key,
    summary_record,
)
from summbot.engines.base import Usage
from summbot.summarize import HeadlineCheck, KeyPoint, Summary

BASE = {
    "engine": "openai", "model": "gpt-4o-mini", "templates": {"summary": "a1", "map": "b2", "reduce": "c3"},
    "length": "medium", "points": 5, "context_window": None, "text_sha256": "f" * 64, "title": "A title",
    "headings": [(2, "Background")],
}


def make_summary() -> Summary:
    return Summary(
        source="news/a.txt", title="A title", engine="openai", model="gpt-4o-mini",
        summary="The council approved the plan, officials said.",
        key_points=[KeyPoint("Approved.", ["S1"], True), KeyPoint("Cost 9m.", ["S9"], False, ["S9 is not in the article"])],
        headline_check=HeadlineCheck(True, "S1 says so."),
        usage=Usage(812, 143, 1), warnings=["Key point 2 is unverified: S9 is not in the article."],
        strategy="single",
    )


def test_the_cache_lives_where_summbot_cache_dir_says(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMBOT_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert ResponseCache().path == tmp_path / "c" / "responses.sqlite3"


@pytest.mark.parametrize(
    ("field", "value"),
    [("engine", "replay"), ("model", "gpt-4o"), ("templates", {"summary": "zz", "map": "b2", "reduce": "c3"}),
     ("length", "short"), ("points", 3), ("context_window", 8192), ("text_sha256", "e" * 64),
     ("title", "Another title"), ("headings", [])],
)
def test_every_input_that_decides_the_summary_changes_the_key(field: str, value: object) -> None:
    assert summary_key(**{**BASE, field: value}) != summary_key(**BASE)  # type: ignore[arg-type]


def test_the_key_is_stable_and_ignores_template_order() -> None:
    reordered = {**BASE, "templates": {"reduce": "c3", "summary": "a1", "map": "b2"}}
    assert summary_key(**reordered) == summary_key(**BASE)  # type: ignore[arg-type]
    assert len(summary_key(**BASE)) == 64  # type: ignore[arg-type]


def test_a_summary_round_trips_with_its_grounding(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "r.sqlite3")
    cache.put("k", summary_record(make_summary(), "2026-11-30T12:00:00Z"))
    record = cache.get("k")
    assert record is not None and record["generated_at"] == "2026-11-30T12:00:00Z"
    back = summary_from_record(record, source="elsewhere/a.txt")
    assert back.source == "elsewhere/a.txt"
    assert back.to_dict() == {**make_summary().to_dict(), "source": "elsewhere/a.txt"}
    assert back.key_points[1].problems == ["S9 is not in the article"]
    assert cache.get("missing") is None


def test_info_and_clear(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "r.sqlite3")
    assert cache.info().entries == 0
    for number in range(3):
        cache.put(f"k{number}", summary_record(make_summary(), "t"))
    info = cache.info()
    assert (info.path, info.entries) == (tmp_path / "r.sqlite3", 3)
    assert info.size_bytes > 0
    assert cache.clear() == 3
    assert cache.info().entries == 0


def test_the_database_runs_in_wal_mode(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "r.sqlite3")
    cache.put("k", summary_record(make_summary(), "t"))
    cache.close()
    mode = sqlite3.connect(tmp_path / "r.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_threads_share_one_cache_without_losing_writes(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "r.sqlite3")
    record = summary_record(make_summary(), "t")

    def work(number: int) -> None:
        for item in range(20):
            cache.put(f"{number}-{item}", record)
            assert cache.get(f"{number}-{item}") is not None

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.info().entries == 160


def test_nothing_secret_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-123")
    cache = ResponseCache(tmp_path / "r.sqlite3")
    cache.put(summary_key(**BASE), summary_record(make_summary(), "t"))  # type: ignore[arg-type]
    cache.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"sk-secret-123" not in raw


def test_an_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ResponseCache(blocker / "r.sqlite3")
    with pytest.raises(Exception) as caught:
        cache.put("k", {"engine": "e", "model": "m"})
    assert type(caught.value).__name__ == "CacheError"
    assert str(caught.value).startswith(f"{blocker / 'r.sqlite3'}: cannot open the response cache (")
    assert str(caught.value).endswith("set SUMMBOT_CACHE_DIR to a writable folder, or pass --no-cache.")
