"""The response cache: summaries already paid for, kept in SQLite so a re-run costs nothing.

A summary is stored under a key that hashes everything that decides it: the engine, the model,
the digests of the prompt templates, the parameters (length, points, context window) and the
article as the model reads it (the sha256 of the cleaned text, its title and its subheadings).
Change any of them and the key changes; change none and a re-run makes no request at all.

The value is the ``Summary`` as JSON, with the grounding result of each key point, so a hit
gives back exactly what was produced (the article's current source path is put back in).

Where: ``platformdirs.user_cache_dir("summbot")/responses.sqlite3``, or the folder named by
``SUMMBOT_CACHE_DIR``. The database runs in WAL mode so that two batches may share it, and one
connection serves all threads behind a lock (each read or write takes well under a millisecond,
against seconds for a model's answer).

Nothing secret is stored: neither the key nor the value contains an API key, a base URL's
password or a request header.

The offline extractive engine does not use the cache: it answers in milliseconds, is
deterministic, and a cached answer would hide improvements to its ranking.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CacheError

if TYPE_CHECKING:
    from .article import Article
    from .summarize import Summary

CACHE_ENV = "SUMMBOT_CACHE_DIR"
FILENAME = "responses.sqlite3"
#: Bumped when the stored record changes shape, so old records are simply never hit.
FORMAT = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def cache_dir() -> Path:
    """The folder the cache lives in: ``SUMMBOT_CACHE_DIR`` or the user cache directory."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summbot"))


def default_path() -> Path:
    return cache_dir() / FILENAME


def article_sha256(article: Article) -> str:
    """The sha256 of the cleaned text (the ``text_sha256`` shown in batch output)."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def summary_key(
    *,
    engine: str,
    model: str,
    templates: dict[str, str],
    length: str,
    points: int,
    context_window: int | None,
    text_sha256: str,
    title: str | None,
    headings: list[tuple[int, str]] | None = None,
) -> str:
    """The cache key of one summary: a sha256 over everything that decides the answer."""
    fields = {
        "format": FORMAT,
        "kind": "summary",
        "engine": engine,
        "model": model,
        "templates": dict(sorted(templates.items())),
        "length": length,
        "points": points,
        "context_window": context_window,
        "text_sha256": text_sha256,
        "title": title,
        "headings": [list(h) for h in headings or []],
    }
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def summary_record(summary: Summary, generated_at: str) -> dict[str, Any]:
    """The JSON stored for a summary: its public dict plus what ``to_dict`` leaves out."""
    record = summary.to_dict()
    record["strategy"] = summary.strategy
    record["generated_at"] = generated_at
    for point, raw in zip(summary.key_points, record["key_points"]):
        raw["problems"] = list(point.problems)
    return record


def summary_from_record(record: dict[str, Any], *, source: str | None = None) -> Summary:
    """Rebuild a ``Summary`` from ``summary_record``'s JSON (``source`` replaces the stored one)."""
    from .engines.base import Usage
    from .summarize import HeadlineCheck, KeyPoint, Summary

    check = record.get("headline_check")
    usage = record.get("usage") or {}
    return Summary(
        source=source if source is not None else record["source"],
        title=record.get("title"),
        engine=record["engine"],
        model=record["model"],
        summary=record["summary"],
        key_points=[
            KeyPoint(p["text"], list(p["sentences"]), bool(p["verified"]), list(p.get("problems", [])))
            for p in record["key_points"]
        ],
        headline_check=HeadlineCheck(check.get("supported"), check.get("note", "")) if check else None,
        usage=Usage(
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
            int(usage.get("requests", 0)),
        ),
        warnings=list(record.get("warnings", [])),
        strategy=record.get("strategy", "single"),
    )


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    size_bytes: int


class ResponseCache:
    """A SQLite table of summaries by key; safe to share between threads."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    self.path, timeout=10, check_same_thread=False, isolation_level=None
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(_SCHEMA)
            except (OSError, sqlite3.Error) as error:
                raise CacheError(
                    f"{self.path}: cannot open the response cache ({error}); set "
                    f"{CACHE_ENV} to a writable folder, or pass --no-cache."
                ) from None
            self._conn = conn
        return self._conn

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored record for ``key``, or None."""
        with self._lock:
            try:
                row = self._connect().execute(
                    "SELECT value FROM summaries WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as error:
                raise self._error("read", error) from None
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None  # a damaged record is a miss; the next put replaces it
        return value if isinstance(value, dict) else None

    def put(self, key: str, record: dict[str, Any]) -> None:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            try:
                self._connect().execute(
                    "INSERT OR REPLACE INTO summaries (key, value, engine, model, created) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (key, text, str(record.get("engine", "")), str(record.get("model", "")), time.time()),
                )
            except sqlite3.Error as error:
                raise self._error("write to", error) from None

    def info(self) -> CacheInfo:
        """Where the cache is, how many summaries it holds, and its size on disk."""
        entries = 0
        if self.path.exists():
            with self._lock:
                try:
                    entries = self._connect().execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
                except sqlite3.Error as error:
                    raise self._error("read", error) from None
        return CacheInfo(self.path, int(entries), self._size())

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        if not self.path.exists():
            return 0
        with self._lock:
            try:
                conn = self._connect()
                count = conn.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
                conn.execute("DELETE FROM summaries")
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as error:
                raise self._error("clear", error) from None
        return int(count)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _size(self) -> int:
        total = 0
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                total += part.stat().st_size
        return total

    def _error(self, verb: str, error: sqlite3.Error) -> CacheError:
        return CacheError(
            f"{self.path}: cannot {verb} the response cache ({error}); run 'summbot cache clear' "
            "or pass --no-cache."
        )
