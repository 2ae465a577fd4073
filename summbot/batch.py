"""Many articles to markdown files: concurrent, cached, resumable, and never losing work.

``run_batch(inputs, engine, options)`` is the whole job, as data in and data out:

1. **Inputs** (``expand_inputs``): files, folders (recursive, by extension), globs, URLs and
   ``@list.txt`` files become one ``InputItem`` each, in the order given, duplicates dropped.
   An input that names nothing (a missing file, a glob matching nothing) is an item that fails,
   not an error that stops the batch.
2. **Resume**: the previous ``manifest.json`` (plus the journal of articles finished since it was
   last written) says what is done. An article whose entry is ``ok``, whose file is there, whose
   input bytes hash the same (files) or whose URL is the same, and whose settings are the same is
   kept as it is: not read, not sent.
3. **Pipeline**: loader threads read and clean the remaining articles a bounded window ahead;
   the main thread takes them *in input order*, gives each its file name (so names never depend
   on which request finished first), answers from the response cache when it can, checks the
   cost budget, and hands the rest to ``jobs`` worker threads that call the engine and write the
   markdown. At most ``jobs`` articles are in flight, so memory stays flat however many there are.
4. **Never lose work**: every file is written to a temporary name in the output folder and
   renamed into place; each finished article is appended to a journal at once, and the manifest
   is rewritten atomically (at most once a second, and at the end). A run killed at any point
   and started again redoes only what is missing; the response cache means even an article whose
   file was not yet written is not paid for twice.

One run at a time writes to a folder: ``lock_outdir`` holds ``OUTDIR/.summbot.lock`` for the
whole run (an ``flock`` the OS drops even on SIGKILL; a pid file where there is no ``fcntl``), so
a second run into the same folder fails at once with ``OutputLocked`` instead of interleaving its
files, journal and manifest with the first one's, or deleting its temporary files as leftovers.

The core never prints: progress goes to the ``on_event`` callback the CLI supplies, and the
result is a ``BatchResult``. Rate limits (``--rpm``/``--tpm``) are token buckets in front of
the engine; an article the engine gives up on with a 429 pauses every worker for as long as the
server's last ``Retry-After`` asked (at most ``MAX_PAUSE``; ``BatchOptions.cooldown`` when it did
not say) and is tried once more, rather than hammering the server.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .engines.base import Completion, Engine, EngineWrapper, OnText, Request
from .errors import InputError, OutputError, OutputLocked, RateLimited, SummbotError
from .files import TMP_PREFIX, atomic_write
from .render import headline_verdict, markdown_point
from .slugs import SlugAllocator, base_slug

if TYPE_CHECKING:
    from .article import Article
    from .cache import ResponseCache
    from .summarize import Summary
    from .templates import Prompts

#: File extensions a folder is searched for.
EXTENSIONS = (".txt", ".md", ".html", ".htm")
MANIFEST = "manifest.json"
INDEX = "index.md"
JOURNAL = ".summbot-journal.jsonl"
#: The output folder's lock file (see ``lock_outdir``); removed when the run ends.
LOCK = ".summbot.lock"
MANIFEST_FORMAT = 1
#: Seconds between manifest rewrites while a batch runs (the journal covers the time between).
MANIFEST_INTERVAL = 1.0
#: The longest pause after the engine gives up on a 429, however long the server asks for.
MAX_PAUSE = 60.0
#: A lock file without a pid younger than this is taken to be one being written right now.
_FRESH_LOCK = 5.0
_GLOB_CHARS = frozenset("*?[")

# Entry statuses.
OK = "ok"
FAILED = "failed"
PENDING = "not run"
ESTIMATED = "estimated"
SUBMITTED = "submitted"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class InputItem:
    """One article to summarise: ``source`` is what ``load_article`` reads, ``key`` identifies
    it across runs (the resolved path, or the URL), ``error`` is set when the input named
    nothing readable."""

    source: str
    key: str
    is_url: bool = False
    error: str | None = None


def _is_url(text: str) -> bool:
    lowered = text[:8].lower()
    return lowered.startswith(("http://", "https://"))


def expand_inputs(inputs: Iterable[str], *, exclude: Path | None = None) -> list[InputItem]:
    """Files, folders, globs, URLs and ``@list`` files as ``InputItem``s, in order, deduplicated.

    Folders are searched recursively for ``.txt``, ``.md``, ``.html`` and ``.htm`` files (hidden
    files and folders skipped), sorted by path. A ``@list.txt`` holds one input a line (blank
    lines and ``#`` comments skipped); relative paths in it are relative to the list's folder.
    Anything under ``exclude`` (the output folder) is skipped, so re-running a batch over the
    folder that holds its output does not summarise the summaries.
    """
    excluded = exclude.resolve() if exclude is not None else None
    items: list[InputItem] = []
    seen: set[str] = set()

    def add(item: InputItem) -> None:
        if item.key not in seen:
            seen.add(item.key)
            items.append(item)

    for raw in inputs:
        if raw.startswith("@") and len(raw) > 1:
            list_path = Path(raw[1:]).expanduser()
            for line in _read_list(list_path):
                if _is_url(line):
                    add(_url_item(line))
                else:
                    path = Path(line).expanduser()
                    if not path.is_absolute():
                        path = list_path.parent / path
                    for item in _expand_path(str(path), line, excluded):
                        add(item)
        elif _is_url(raw):
            add(_url_item(raw))
        else:
            for item in _expand_path(raw, raw, excluded):
                add(item)
    return items


def _url_item(url: str) -> InputItem:
    from .sources import display_url

    return InputItem(source=url, key=display_url(url), is_url=True)


def _read_list(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"@{path}: no such list file; check the path after @.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"@{path}: cannot read the list file ({error}).") from None
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _expand_path(path: str, shown: str, excluded: Path | None) -> list[InputItem]:
    candidate = Path(path).expanduser()
    if candidate.is_dir():
        found = _folder_files(candidate, excluded)
        if not found:
            return [_missing(path, f"{shown}: no {', '.join(EXTENSIONS)} files in this folder.")]
        return [_file_item(p) for p in found]
    if candidate.exists():
        return [_file_item(candidate)]
    if _GLOB_CHARS & set(path):
        matches = sorted(glob.glob(str(candidate), recursive=True))
        items: list[InputItem] = []
        for match in matches:
            found_path = Path(match)
            if found_path.is_dir():
                items.extend(_file_item(p) for p in _folder_files(found_path, excluded))
            elif not _inside(found_path, excluded):
                items.append(_file_item(found_path))
        if not items:
            return [_missing(path, f"{shown}: no files match this pattern.")]
        return items
    return [_missing(path, f"{shown}: no such file or folder; check the path.")]


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def _folder_files(folder: Path, excluded: Path | None) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        if _inside(root_path, excluded):
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and name.lower().endswith(EXTENSIONS):
                found.append(root_path / name)
    return sorted(found)


def _file_item(path: Path) -> InputItem:
    return InputItem(source=str(path), key=str(path.resolve()))


def _missing(path: str, message: str) -> InputItem:
    return InputItem(source=path, key="missing:" + str(Path(path).expanduser().resolve()), error=message)


# --------------------------------------------------------------------------- options and results


@dataclass
class BatchOptions:
    """How a batch runs. ``jobs`` articles are in flight at once; ``rpm``/``tpm`` cap requests
    and tokens per minute; ``max_cost`` (USD) stops dispatching before the estimate would pass
    it; ``dry_run`` estimates and sends nothing; ``cooldown`` is the pause, in seconds, for every
    worker after the engine gives up on a 429 whose answer did not say how long to wait (when
    it did, the batch waits that long, up to ``MAX_PAUSE``)."""

    outdir: Path
    length: str = "medium"
    points: int = 5
    context_window: int | None = None
    jobs: int = 8
    rpm: float | None = None
    tpm: float | None = None
    use_cache: bool = True
    dry_run: bool = False
    max_cost: float | None = None
    fail_fast: bool = False
    cooldown: float = 15.0


@dataclass
class Entry:
    """One article's line in the manifest (and the index)."""

    index: int
    source: str
    key: str
    status: str = PENDING
    title: str | None = None
    file: str | None = None
    error: str | None = None
    input_sha256: str | None = None
    text_sha256: str | None = None
    settings: str | None = None
    points: int = 0
    unverified: int = 0
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0})
    cost_usd: float | None = None
    #: Answered from the response cache in this run (no request made).
    cached: bool = False
    #: Kept from an earlier run untouched (not read, not sent).
    reused: bool = False
    generated_at: str | None = None
    #: For ``--dry-run`` and ``--max-cost``: the estimate made before sending.
    estimate: dict[str, Any] | None = None
    #: For ``--via batch-api``: the request's custom_id.
    custom_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (what ``dataclasses.asdict`` gives, built directly: its
        field-by-field deep copy made each rewrite of a 1,000-article manifest ~15 ms slower,
        holding up the main thread that dispatches articles)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["usage"] = dict(self.usage)
        if self.estimate is not None:
            data["estimate"] = dict(self.estimate)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    @property
    def tokens(self) -> int:
        return int(self.usage.get("prompt_tokens", 0)) + int(self.usage.get("completion_tokens", 0))

    @property
    def spent_now(self) -> bool:
        """Whether this run paid for this entry's requests."""
        return self.status == OK and not self.cached and not self.reused


@dataclass
class BatchEvent:
    """A progress report: ``kind`` is ``start`` (totals known), ``done`` (one article finished,
    ``entry`` set), ``paused`` (the server rate limited ``entry`` past the engine's retries;
    every request waits ``seconds`` before it is tried once more), ``stopping`` (``reason``
    set) or ``end``."""

    kind: str
    total: int
    done: int = 0
    failed: int = 0
    entry: Entry | None = None
    reason: str | None = None
    seconds: float | None = None


OnEvent = Callable[[BatchEvent], None]


@dataclass
class BatchResult:
    entries: list[Entry]
    outdir: Path
    settings: dict[str, Any]
    #: Why the batch stopped before the end: ``max-cost``, ``fail-fast``, ``interrupted``.
    stopped: str | None = None
    dry_run: bool = False
    #: Entries from earlier runs for inputs not given this time (kept in the index).
    carried: list[Entry] = field(default_factory=list)
    batch_api: dict[str, Any] | None = None

    @property
    def ok(self) -> list[Entry]:
        return [e for e in self.entries if e.status == OK]

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.status == FAILED]

    @property
    def not_run(self) -> list[Entry]:
        return [e for e in self.entries if e.status in (PENDING, SUBMITTED)]

    @property
    def index_path(self) -> Path:
        return self.outdir / INDEX

    @property
    def manifest_path(self) -> Path:
        return self.outdir / MANIFEST

    def totals(self) -> dict[str, Any]:
        entries = self.entries
        prompt = sum(int(e.usage.get("prompt_tokens", 0)) for e in entries if e.status == OK)
        completion = sum(int(e.usage.get("completion_tokens", 0)) for e in entries if e.status == OK)
        spent = [e for e in entries if e.spent_now]
        costs = [e.cost_usd for e in entries if e.status == OK]
        totals: dict[str, Any] = {
            "articles": len(entries),
            "ok": len(self.ok),
            "failed": len(self.failed),
            "not_run": len(self.not_run),
            "cached": sum(1 for e in entries if e.cached),
            "reused": sum(1 for e in entries if e.reused),
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "requests_this_run": sum(int(e.usage.get("requests", 0)) for e in spent),
            "cost_usd": _sum_costs(costs),
            "cost_usd_this_run": _sum_costs([e.cost_usd for e in spent]),
        }
        if self.dry_run:
            estimates = [e.estimate for e in entries if e.estimate]
            totals["estimate"] = {
                "prompt_tokens": sum(int(x["prompt_tokens"]) for x in estimates),
                "completion_tokens": sum(int(x["completion_tokens"]) for x in estimates),
                "requests": sum(int(x["requests"]) for x in estimates),
                "cost_usd": _sum_costs([x.get("cost_usd") for x in estimates]),
            }
        return totals


def _sum_costs(costs: list[float | None]) -> float | None:
    if any(c is None for c in costs):
        return None
    return round(sum(c for c in costs if c is not None), 8)


# --------------------------------------------------------------------------- settings


def settings_for(engine: Engine, prompts: Prompts, options: BatchOptions) -> dict[str, Any]:
    """What decides a summary besides the article; its hash is each entry's ``settings``."""
    templates = {name: prompts.get(name).digest for name in ("summary", "map", "reduce")}
    data: dict[str, Any] = {
        "engine": engine.name,
        "model": engine.model,
        "length": options.length,
        "points": options.points,
        "context_window": options.context_window or engine.context_window,
        "templates": templates,
    }
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    data["key"] = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return data


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_sha256(path: str) -> str | None:
    """The sha256 of a file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()




def remove_leftovers(outdir: Path) -> int:
    """Delete temporary files a killed run left behind; returns how many."""
    removed = 0
    for leftover in outdir.glob(TMP_PREFIX + "*"):
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            pass
    return removed


class Journal:
    """Finished entries appended one JSON line at a time, between manifest rewrites.

    A line torn by a kill is ignored on reading; every complete line is an entry finished.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: Any = None

    def append(self, entry: Entry) -> None:
        if self._handle is None:
            try:
                self._handle = open(self.path, "a", encoding="utf-8")
            except OSError as error:
                raise OutputError(f"{self.path}: cannot write the journal ({error.strerror}).") from None
        self._handle.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self, *, remove: bool) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if remove:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass

    @staticmethod
    def read(path: Path) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return rows
        for line in text.splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and "key" in row:
                rows.append(row)
        return rows


def read_manifest(outdir: Path) -> dict[str, Any] | None:
    """The manifest in ``outdir`` with the journal's newer entries applied, or None."""
    path = outdir / MANIFEST
    data: dict[str, Any] | None = None
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as error:
            raise OutputError(
                f"{path}: the manifest is not readable JSON ({error}); move it away to start afresh."
            ) from None
        if isinstance(loaded, dict):
            data = loaded
    journal = Journal.read(outdir / JOURNAL)
    if data is None and not journal:
        return None
    data = data or {"articles": []}
    if journal:
        by_key = {a["key"]: a for a in data.get("articles", []) if isinstance(a, dict) and "key" in a}
        for row in journal:
            by_key[row["key"]] = row
        data["articles"] = list(by_key.values())
    return data


# --------------------------------------------------------------------------- rendering


def _yaml_string(value: str | None) -> str:
    # A JSON string is a valid YAML double-quoted scalar, and escapes everything that matters.
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def article_markdown(summary: Summary, article: Article, *, generated_at: str, text_sha256: str) -> str:
    """One article's markdown file: front matter, summary, cited key points, headline check,
    warnings, and the cited sentences quoted under "Sources"."""
    usage = summary.usage
    lines = [
        "---",
        f"title: {_yaml_string(summary.title)}",
        f"source: {_yaml_string(summary.source)}",
        f"engine: {_yaml_string(summary.engine)}",
        f"model: {_yaml_string(summary.model)}",
        f"generated_at: {_yaml_string(generated_at)}",
        "usage:",
        f"  prompt_tokens: {usage.prompt_tokens}",
        f"  completion_tokens: {usage.completion_tokens}",
        f"  requests: {usage.requests}",
        f"text_sha256: {_yaml_string(text_sha256)}",
        "---",
        "",
        f"# {_one_line(summary.title) if summary.title else 'Summary of ' + summary.source}",
        "",
        "## Summary",
        "",
        summary.summary,
        "",
        "## Key points",
        "",
    ]
    cited: list[str] = []
    for number, point in enumerate(summary.key_points, start=1):
        lines.append(markdown_point(number, point, reasons=True))
        cited.extend(s for s in point.sentences if s not in cited)
    if not summary.key_points:
        lines.append("(none)")
    if summary.headline_check is not None:
        verdict = headline_verdict(summary.headline_check)
        lines += ["", "## Headline check", "", verdict[:1].upper() + verdict[1:]]
    if summary.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in summary.warnings]
    lines += ["", "## Sources", ""]
    quoted = 0
    for sid in sorted(cited, key=lambda s: (len(s), s)):
        sentence = article.sentence(sid)
        if sentence is None:
            continue
        lines += [f"> **{sentence.id}** {_one_line(sentence.text)}", ""]
        quoted += 1
    if not quoted:
        lines += ["(no sentences cited)", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def _link_text(text: str) -> str:
    return _cell(text).replace("[", "\\[").replace("]", "\\]")


def format_usd(value: float | None) -> str:
    """Dollars as shown in the index: four decimals, six below a cent."""
    if value is None:
        return "?"
    return f"${value:.4f}" if value >= 0.01 or value == 0 else f"${value:.6f}"


def index_markdown(result: BatchResult) -> str:
    """``index.md``: a line of totals, a table of every article, and the failures with reasons."""
    totals = result.totals()
    settings = result.settings
    lines = ["# Batch summaries", ""]
    parts = [(f"{totals['articles']} article{'s' if totals['articles'] != 1 else ''}: "
              f"{totals['ok']} ok, {totals['failed']} failed")]
    if totals["not_run"]:
        parts.append(f", {totals['not_run']} not run")
    lines.append("".join(parts) + ".")
    lines.append("")
    lines.append(
        f"Engine {settings['engine']}, model {settings['model']}, length {settings['length']}, "
        f"up to {settings['points']} key points. Tokens: {totals['prompt_tokens']} prompt + "
        f"{totals['completion_tokens']} completion; cost {format_usd(totals['cost_usd'])} "
        f"({format_usd(totals['cost_usd_this_run'])} in the latest run, "
        f"{totals['requests_this_run']} requests)."
    )
    if result.stopped:
        lines += ["", f"**Stopped early: {stop_reason(result)}**"]
    lines += ["", "| # | Title | Source | Status | Points | Tokens | Cost |",
              "|---:|---|---|---|---:|---:|---:|"]
    for number, entry in enumerate([*result.entries, *result.carried], start=1):
        title = entry.title or ("(untitled)" if entry.status == OK else "–")
        title_cell = f"[{_link_text(title)}]({entry.file})" if entry.file and entry.status == OK else _cell(title)
        status = entry.status
        if entry.status == OK and entry.cached:
            status = "ok (cached)"
        elif entry.status == OK and entry.reused:
            status = "ok (earlier run)"
        points = f"{entry.points}" if entry.status == OK else "–"
        if entry.status == OK and entry.unverified:
            points += f" ({entry.unverified} unverified)"
        tokens = str(entry.tokens) if entry.status == OK else "–"
        cost = format_usd(entry.cost_usd) if entry.status == OK else "–"
        lines.append(f"| {number} | {title_cell} | {_cell(entry.source)} | {status} | {points} | {tokens} | {cost} |")
    failures = result.failed
    if failures:
        lines += ["", "## Failures", ""]
        lines += [f"- {_failure_line(e)}" for e in failures]
    submitted = [e for e in result.entries if e.status == SUBMITTED]
    if submitted:
        job = (result.batch_api or {}).get("id", "?")
        lines += ["", f"{len(submitted)} submitted to Batch API job {job}; run the same command again "
                      "to collect them once it has completed."]
    not_run = [e for e in result.entries if e.status == PENDING]
    if not_run:
        lines += ["", "## Not run", ""]
        lines += [f"- {_cell(e.source)}" + (f": {_one_line(e.error)}" if e.error else "") for e in not_run]
    return "\n".join(lines) + "\n"


def _failure_line(entry: Entry) -> str:
    error = _one_line(entry.error or "unknown error")
    if error.startswith(entry.source):
        return _cell(error)
    return f"{_cell(entry.source)}: {_cell(error)}"


def stop_reason(result: BatchResult) -> str:
    """One sentence on why the batch stopped early and how to finish it."""
    left = len(result.not_run)
    what = f"{left} article{'s' if left != 1 else ''} not run"
    if result.stopped == "max-cost":
        return (f"the --max-cost budget would have been exceeded; {what}. Run the same command "
                "with a higher --max-cost to finish them.")
    if result.stopped == "fail-fast":
        return f"an article failed and --fail-fast was given; {what}."
    if result.stopped == "interrupted":
        return f"interrupted; {what}. Run the same command again to finish them."
    return f"{result.stopped}; {what}."


def manifest_dict(result: BatchResult, *, complete: bool) -> dict[str, Any]:
    from . import __version__

    return {
        "format": MANIFEST_FORMAT,
        "summbot": __version__,
        "written_at": _now(),
        "complete": complete,
        "stopped": result.stopped,
        "settings": result.settings,
        "totals": result.totals(),
        "batch_api": result.batch_api,
        "articles": [e.to_dict() for e in [*result.entries, *result.carried]],
    }


def write_outputs(result: BatchResult, *, complete: bool) -> None:
    """The manifest and the index, each written atomically."""
    atomic_write(result.manifest_path, json.dumps(manifest_dict(result, complete=complete),
                                                  ensure_ascii=False, indent=1) + "\n")
    atomic_write(result.index_path, index_markdown(result))


# --------------------------------------------------------------------------- engines around the engine


class _Captured(Exception):
    def __init__(self, request: Request) -> None:
        super().__init__("captured")
        self.request = request


class CaptureEngine(EngineWrapper):
    """Looks like ``engine`` to ``summarize`` but raises with the first request instead of
    sending it: the exact request summbot would send, for estimates and the Batch API."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.can_stream = False  # type: ignore[misc]

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        raise _Captured(request)


def first_request(article: Article, engine: Engine, prompts: Prompts, options: BatchOptions) -> Request:
    """The first request ``summarize`` would send for ``article`` (a ``map`` request when the
    article is too long for one)."""
    from .summarize import summarize

    try:
        summarize(article, CaptureEngine(engine), length=options.length, points=options.points,
                  prompts=prompts, context_window=options.context_window)
    except _Captured as captured:
        return captured.request
    raise AssertionError("summarize returned without asking the engine")  # pragma: no cover


def estimate_article(article: Article, engine: Engine, prompts: Prompts, options: BatchOptions) -> dict[str, Any]:
    """Tokens, requests and USD an article will take, before sending: the prompt is counted
    exactly; the answer is counted at its ceiling, so the cost is an upper estimate."""
    if not engine.reads_prompt:
        return {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0, "cost_usd": 0.0}
    from .models import estimate_cost
    from .summarize import NOTES_TOKENS, prompt_tokens
    from .tokens import counter_for_model

    counter = counter_for_model(engine.model)
    request = first_request(article, engine, prompts, options)
    prompt = prompt_tokens(request.messages, counter)
    answer = request.max_output_tokens
    requests = 1
    if request.task.kind == "map":
        # Too long for one request. The captured request is one full chunk; every sentence goes
        # out once in some chunk, each chunk's notes come back, and the notes go out again to be
        # combined. Template overhead is taken as 400 tokens a request (the prompts stay below).
        from .summarize import ANSWER_TOKENS

        body = counter.count(article.text)
        chunks = max(2, math.ceil(body / max(prompt - 400, 200)))
        notes = chunks * NOTES_TOKENS
        prompt = body + chunks * 400 + notes + 400
        answer = notes + ANSWER_TOKENS.get(options.length, 1000)
        requests = chunks + 1
    cost = estimate_cost(engine.model, prompt, answer) if engine.name == "openai" else 0.0
    return {"prompt_tokens": prompt, "completion_tokens": answer, "requests": requests, "cost_usd": cost}


class TokenBucket:
    """``rate`` units per minute, with a burst of a sixth of that (ten seconds' worth).

    A request larger than the burst is let through when the bucket is full and leaves it in
    debt, so a big article is delayed, not refused forever.
    """

    def __init__(self, per_minute: float, clock: Callable[[], float] | None = None) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, per_minute / 6.0)
        self.level = self.capacity
        self.clock = clock or time.monotonic
        self.stamp = self.clock()

    def delay_for(self, amount: float) -> float:
        """Seconds to wait before ``amount`` may be taken (0 when it may be taken now)."""
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        need = min(amount, self.capacity)
        if self.level >= need:
            self.level -= amount
            return 0.0
        return (need - self.level) / self.rate


class Throttle:
    """Requests-per-minute and tokens-per-minute buckets, and a pause all workers respect.

    ``clock`` and ``sleep`` default to ``time.monotonic`` and ``time.sleep``; tests pass a fake
    pair to see the waits without waiting."""

    def __init__(self, rpm: float | None = None, tpm: float | None = None, model: str | None = None,
                 *, sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.requests = TokenBucket(rpm, self.clock) if rpm else None
        self.tokens = TokenBucket(tpm, self.clock) if tpm else None
        self.model = model
        self._lock = threading.Lock()
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Hold every request for ``seconds`` from now (a longer pause already set wins)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + seconds)

    def wait(self, request: Request) -> None:
        amount = 0
        if self.tokens is not None:
            from .summarize import prompt_tokens
            from .tokens import counter_for_model

            amount = prompt_tokens(request.messages, counter_for_model(self.model)) + request.max_output_tokens
        while True:
            with self._lock:
                delay = self._paused_until - self.clock()
                if delay <= 0:
                    delay = self.requests.delay_for(1) if self.requests else 0.0
                    if delay <= 0 and self.tokens is not None:
                        delay = self.tokens.delay_for(amount)
                        if delay > 0 and self.requests is not None:
                            self.requests.level += 1  # give the request back; we wait
                    if delay <= 0:
                        return
            self.sleep(min(delay, 1.0))


def pause_for(retry_after: float | None, fallback: float) -> float:
    """Seconds to pause every worker after the engine gave up on a 429: what the server's last
    ``Retry-After`` asked for, capped at ``MAX_PAUSE`` (a server asking for an hour is asked
    again in a minute), or ``fallback`` when it did not say."""
    if retry_after is None:
        return fallback
    return min(max(retry_after, 0.0), MAX_PAUSE)


class ThrottledEngine(EngineWrapper):
    """``engine`` behind a ``Throttle``: each request waits its turn before it is sent."""

    def __init__(self, engine: Engine, throttle: Throttle) -> None:
        super().__init__(engine)
        self.throttle = throttle

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        self.throttle.wait(request)
        return self.inner.complete(request, on_text)


# --------------------------------------------------------------------------- the output folder's lock

try:
    import fcntl as _imported_fcntl

    _fcntl: ModuleType | None = _imported_fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None

#: Folders this process holds the lock of: resolved path -> (thread id, depth). A batch API run
#: holds the lock and calls ``run_batch``, which takes it again.
_held: dict[str, tuple[int, int]] = {}
_held_guard = threading.Lock()


def _locked_message(outdir: Path, pid: int | None) -> str:
    holder = f" (pid {pid})" if pid is not None else ""
    return (f"{outdir}: another summbot batch is writing to this folder{holder}; wait for it to "
            "finish, or use another -o folder.")


def _parse_pid(data: bytes) -> int | None:
    text = data.decode("ascii", "replace").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (True when unsure, so a live lock is never broken)."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(ctypes.GetLastError() == 5)  # access denied: it exists, someone else's
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, another user's
        return True
    return True


def _flock(path: Path, outdir: Path) -> int:
    """Take the ``flock`` on ``path``; returns the open descriptor holding it."""
    assert _fcntl is not None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise OutputError(f"{outdir}: cannot create the lock file {LOCK} ({error.strerror}); "
                              "check the folder's permissions.") from None
        try:
            _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _parse_pid(os.pread(fd, 32, 0))
            os.close(fd)
            raise OutputLocked(_locked_message(outdir, pid)) from None
        except OSError as error:
            os.close(fd)
            raise OutputError(f"{outdir}: cannot lock the folder ({error.strerror}); use an -o folder "
                              "on a local disk.") from None
        # A run finishing removes the file while it holds the lock; if that happened after we
        # opened it, our lock is on a file nobody else will see, so open the path again.
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)


def _pid_file(path: Path, outdir: Path) -> None:
    """Without ``fcntl``: create ``path`` exclusively, holding our pid. A file whose pid is dead
    (a run that was killed) is stale and taken over."""
    for _ in range(5):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                pid = _parse_pid(path.read_bytes())
                age = time.time() - path.stat().st_mtime
            except FileNotFoundError:
                continue  # released meanwhile: try again
            except OSError:
                pid, age = None, 0.0
            if pid is not None and _pid_alive(pid):
                raise OutputLocked(_locked_message(outdir, pid)) from None
            if pid is None and age < _FRESH_LOCK:
                raise OutputLocked(_locked_message(outdir, None)) from None
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                raise OutputError(f"{outdir}: cannot remove the stale lock file {LOCK} "
                                  f"({error.strerror}); delete it by hand.") from None
            continue
        except OSError as error:
            raise OutputError(f"{outdir}: cannot create the lock file {LOCK} ({error.strerror}); "
                              "check the folder's permissions.") from None
        try:
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        finally:
            os.close(fd)
        return
    raise OutputLocked(_locked_message(outdir, None))


def _release_pid_file(path: Path) -> None:
    try:
        if _parse_pid(path.read_bytes()) == os.getpid():
            path.unlink()
    except OSError:
        pass


def _make_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir}: exists and is not a folder; choose another -o.")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{outdir}: cannot create the output folder ({error.strerror}); "
                          "check the path and permissions.") from None


@contextmanager
def lock_outdir(outdir: Path) -> Iterator[None]:
    """Create ``outdir`` and hold its lock for the block, so one batch at a time writes there.

    Non-blocking: when another run holds it, ``OutputLocked`` is raised at once, naming that
    run's pid. With ``fcntl`` the lock is an ``flock`` on ``OUTDIR/.summbot.lock``, which the OS
    drops when the process dies in any way, so a file left by a SIGKILL never blocks the next
    run; elsewhere the file is created exclusively and holds the pid, and a file whose process
    is gone is taken over. The file is removed when the block ends (normally, on an error or on
    Ctrl-C). The same thread may nest the block; another thread is refused like another process.
    """
    key = str(outdir.resolve())
    me = threading.get_ident()
    with _held_guard:
        owner = _held.get(key)
        if owner is not None and owner[0] == me:
            _held[key] = (me, owner[1] + 1)
            nested = True
        elif owner is not None:
            raise OutputLocked(_locked_message(outdir, os.getpid()))
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_guard:
                thread, depth = _held[key]
                _held[key] = (thread, depth - 1)
        return
    _make_outdir(outdir)
    path = outdir / LOCK
    fd = _flock(path, outdir) if _fcntl is not None else None
    if fd is None:
        _pid_file(path, outdir)
    with _held_guard:
        _held[key] = (me, 1)
    try:
        yield
    finally:
        with _held_guard:
            del _held[key]
        if fd is not None:
            # Removed while still held: a run that opened the old file notices and retries.
            try:
                path.unlink()
            except OSError:
                pass
            os.close(fd)
        else:
            _release_pid_file(path)


# --------------------------------------------------------------------------- the run


@dataclass
class _Job:
    entry: Entry
    article: Article
    attempts: int = 0
    #: The engine for this article when not the run's (a Batch API answer to hand back).
    engine: Engine | None = None
    #: Price factor (the Batch API costs half).
    discount: float = 1.0


class PrefilledEngine(EngineWrapper):
    """Answers the first summary request with a completion already in hand (from the Batch
    API), and sends anything after it (a JSON repair) to the live engine, so a batch answer goes
    through exactly the parsing, repair and grounding of a live one."""

    def __init__(self, engine: Engine, completion: Completion) -> None:
        super().__init__(engine)
        self._completion: Completion | None = completion
        self.can_stream = False  # type: ignore[misc]

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        if self._completion is not None and request.task.kind == "summary":
            completion, self._completion = self._completion, None
            return completion
        return self.inner.complete(request, on_text)


@dataclass
class BatchApiState:
    """For ``--via batch-api`` (see ``summbot.batchapi``): answers collected from a finished
    batch by custom_id, items it failed with their reasons, and the list that requests to submit
    are collected into."""

    answers: dict[str, Completion] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    retry_failed: bool = False
    submit: list[tuple[Entry, Request]] = field(default_factory=list)


@dataclass
class _Plan:
    """What is done already and what is left, decided before anything is read."""

    entries: list[Entry]
    todo: list[tuple[Entry, InputItem]]
    carried: list[Entry]
    taken: set[str]
    before: dict[str, Entry] = field(default_factory=dict)


def _plan(items: list[InputItem], outdir: Path, settings_key: str) -> tuple[_Plan, dict[str, Any] | None]:
    previous = read_manifest(outdir)
    before: dict[str, Entry] = {}
    if previous:
        for raw in previous.get("articles", []):
            if isinstance(raw, dict) and "key" in raw:
                try:
                    before[raw["key"]] = Entry.from_dict(raw)
                except TypeError:
                    continue
    entries: list[Entry] = []
    todo: list[tuple[Entry, InputItem]] = []
    taken: set[str] = set()
    current = {item.key for item in items}
    for index, item in enumerate(items):
        entry = Entry(index=index, source=item.source, key=item.key)
        entries.append(entry)
        if item.error:
            entry.status = FAILED
            entry.error = item.error
            continue
        entry.input_sha256 = None if item.is_url else file_sha256(item.source)
        old = before.get(item.key)
        if (
            old is not None
            and old.status == OK
            and old.file
            and old.settings == settings_key
            and old.input_sha256 == entry.input_sha256
            and (outdir / old.file).is_file()
        ):
            kept = Entry.from_dict(old.to_dict())
            kept.index, kept.source, kept.reused, kept.cached = index, item.source, True, False
            entries[-1] = kept
            taken.add(str(kept.file).removesuffix(".md"))
            continue
        todo.append((entry, item))
    carried: list[Entry] = []
    for key, old in before.items():
        if key not in current and old.status == OK and old.file and (outdir / old.file).is_file():
            old.reused = True
            carried.append(old)
            taken.add(old.file.removesuffix(".md"))
    carried.sort(key=lambda e: e.index)
    return _Plan(entries, todo, carried, taken, before), previous


def run_batch(
    items: list[InputItem],
    engine: Engine,
    options: BatchOptions,
    *,
    prompts: Prompts | None = None,
    cache: ResponseCache | None = None,
    on_event: OnEvent | None = None,
    load: Callable[[InputItem], Article] | None = None,
    batch_api: BatchApiState | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> BatchResult:
    """Summarise ``items`` into ``options.outdir``; see the module docstring for the stages.

    ``cache`` is used for engines that read prompts (LLMs), never for the extractive engine.
    ``load`` reads one item (default: ``load_article``). ``batch_api`` switches to collecting
    requests for the Batch API and applying its answers (see ``summbot.batchapi``). ``sleep``
    and ``clock`` drive the throttle's waits (default ``time.sleep`` and ``time.monotonic``;
    injected by tests to check a pause without waiting it out). The output folder is locked
    for the whole run (``lock_outdir``; not for a dry run, which writes nothing): another run
    there raises ``OutputLocked``. Raises ``KeyboardInterrupt`` only before the first article
    is dispatched; later the run stops cleanly and says so in ``result.stopped``.
    """
    from .templates import Prompts

    if options.max_cost is not None and engine.name == "openai":
        from .models import estimate_cost

        if estimate_cost(engine.model, 1, 1) is None:
            from .errors import ConfigError

            raise ConfigError(
                f"--max-cost needs the price of model {engine.model!r}, which summbot does not "
                "know; add it with SUMMBOT_PRICES (see 'summbot tokens --help') or drop --max-cost."
            )
    prompts = prompts or Prompts()
    outdir = options.outdir
    settings = settings_for(engine, prompts, options)
    # The lock comes before the manifest is read: a run that waited for another to finish
    # must plan from what that one wrote.
    with nullcontext() if options.dry_run else lock_outdir(outdir):
        plan, previous = _plan(items, outdir, settings["key"])
        job = (previous or {}).get("batch_api")
        if batch_api is None and job and not job.get("collected") and not options.dry_run:
            from .errors import ConfigError

            raise ConfigError(
                f"{outdir} is waiting for Batch API job {job.get('id')}; collect it by running the same "
                "command with --via batch-api (see 'summbot batch status'), or use another -o folder."
            )
        result = BatchResult(plan.entries, outdir, settings, dry_run=options.dry_run, carried=plan.carried,
                             batch_api=job)
        if not options.dry_run:
            # Safe only under the lock: these could be another running batch's files.
            remove_leftovers(outdir)
        throttle = Throttle(options.rpm, options.tpm, engine.model, sleep=sleep, clock=clock)
        runner = _Runner(result, plan, engine, options, prompts,
                         cache if (cache is not None and options.use_cache and engine.reads_prompt) else None,
                         on_event, load, batch_api, throttle)
        runner.run()
    return result


class _Runner:
    """The main thread's loop: take loaded articles in order, dispatch, collect, record."""

    def __init__(self, result: BatchResult, plan: _Plan, engine: Engine, options: BatchOptions,
                 prompts: Prompts, cache: ResponseCache | None, on_event: OnEvent | None,
                 load: Callable[[InputItem], Article] | None,
                 batch_api: BatchApiState | None = None, throttle: Throttle | None = None) -> None:
        self.result = result
        self.batch_api = batch_api
        self.plan = plan
        self.options = options
        self.prompts = prompts
        self.cache = cache
        self.on_event = on_event or (lambda event: None)
        self.load = load or _default_loader(engine)
        self.throttle = throttle or Throttle(options.rpm, options.tpm, engine.model)
        self.raw_engine = engine
        self.engine: Engine = ThrottledEngine(engine, self.throttle)
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.jobs: queue.Queue[_Job | None] = queue.Queue()
        self.stop_loading = threading.Event()
        self.journal = Journal(options.outdir / JOURNAL)
        self.total = len(result.entries)
        self.done = sum(1 for e in result.entries if e.status in (OK, FAILED))
        self.failed = sum(1 for e in result.entries if e.status == FAILED)
        self.spent = 0.0
        self.reserved: dict[int, float] = {}
        self.last_flush = 0.0
        self.dirty = False
        self.allocator = SlugAllocator(plan.taken)
        self.warmed = False

    # -- events

    def emit(self, kind: str, entry: Entry | None = None, reason: str | None = None,
             seconds: float | None = None) -> None:
        self.on_event(BatchEvent(kind, self.total, self.done, self.failed, entry, reason, seconds))

    def record(self, entry: Entry) -> None:
        """An article finished (ok or failed): journal it, report it, maybe flush the manifest."""
        self.done += 1
        if entry.status == FAILED:
            self.failed += 1
        if not self.options.dry_run:
            self.journal.append(entry)
            self.dirty = True
            self.flush()
        self.emit("done", entry)

    def flush(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.dirty and (force or now - self.last_flush >= MANIFEST_INTERVAL):
            write_outputs(self.result, complete=False)
            self.last_flush = now
            self.dirty = False

    # -- the loop

    def run(self) -> None:
        todo = self.plan.todo
        self.emit("start")
        if self.options.fail_fast and self.failed:
            self.result.stopped = "fail-fast"
        window = max(4, self.options.jobs * 2)
        permits = threading.Semaphore(window)
        order: queue.Queue[int] = queue.Queue()
        for position in range(len(todo)):
            order.put(position)
        loaded: dict[int, tuple[Article | None, str | None]] = {}
        loader_count = min(len(todo), self.options.jobs if any(i.is_url for _, i in todo) else 2)
        threads = [threading.Thread(target=self._loader, args=(order, permits), daemon=True)
                   for _ in range(loader_count)]
        workers = [] if self.options.dry_run else [
            threading.Thread(target=self._worker, daemon=True)
            for _ in range(min(self.options.jobs, max(len(todo), 1)))
        ]
        for thread in threads + workers:
            thread.start()
        cursor = 0
        in_flight = 0
        interrupts = 0
        try:
            while True:
                try:
                    # Dispatch, in input order, as far as loads and the in-flight limit allow.
                    while (not self.result.stopped and cursor < len(todo) and cursor in loaded
                           and in_flight < self.options.jobs):
                        article, error = loaded.pop(cursor)
                        permits.release()
                        entry, item = todo[cursor]
                        cursor += 1
                        if self._start(entry, item, article, error):
                            in_flight += 1
                    if in_flight == 0 and (self.result.stopped or cursor >= len(todo)):
                        break
                    kind, payload = self.events.get(timeout=0.25)
                    if kind == "loaded":
                        position, article, error = payload
                        loaded[position] = (article, error)
                    elif kind == "done":
                        in_flight -= 1
                        job, updates = payload
                        self._apply(job.entry, updates)
                    elif kind == "retry":
                        job, retry_after = payload
                        job.attempts += 1
                        seconds = pause_for(retry_after, self.options.cooldown)
                        self.throttle.pause(seconds)
                        self.emit("paused", job.entry, seconds=seconds)
                        self.jobs.put(job)
                except queue.Empty:
                    continue
                except KeyboardInterrupt:
                    interrupts += 1
                    self.result.stopped = "interrupted"
                    self.stop_loading.set()
                    if interrupts == 1 and in_flight:
                        self.emit("stopping", reason="interrupted")
                    if interrupts >= 2 or in_flight == 0:
                        break
        finally:
            self.stop_loading.set()
            for _ in workers:
                self.jobs.put(None)
            for entry, _ in todo[cursor:]:
                if entry.status not in (OK, FAILED) and not self.options.dry_run:
                    entry.status = PENDING
            self.journal.close(remove=False)
            if not self.options.dry_run:
                write_outputs(self.result, complete=not self.result.stopped and not self.result.not_run)
                self.journal.close(remove=True)
            self.emit("end")

    def _loader(self, order: queue.Queue[int], permits: threading.Semaphore) -> None:
        todo = self.plan.todo
        while not self.stop_loading.is_set():
            # The permit first, then the position: loaded-or-loading positions then always run
            # on from the main thread's cursor, so the one it waits for is never starved.
            while not permits.acquire(timeout=0.2):
                if self.stop_loading.is_set():
                    return
            try:
                position = order.get_nowait()
            except queue.Empty:
                permits.release()
                return
            item = todo[position][1]
            try:
                article: Article | None = self.load(item)
                error = None
            except SummbotError as exc:
                article, error = None, str(exc)
            except Exception as exc:  # noqa: BLE001 - one unreadable article never stops a batch
                article, error = None, f"{item.source}: could not be read ({type(exc).__name__}: {exc})."
            self.events.put(("loaded", (position, article, error)))

    def _start(self, entry: Entry, item: InputItem, article: Article | None, error: str | None) -> bool:
        """Name the article and answer it from the cache, estimate it, or send it to a worker.
        Returns True when a worker took it."""
        from .cache import article_sha256

        if article is None:
            entry.status, entry.error = FAILED, error
            self.record(entry)
            if self.options.fail_fast:
                self._stop("fail-fast")
            return False
        entry.title = article.title
        entry.text_sha256 = article_sha256(article)
        entry.settings = self.result.settings["key"]
        entry.file = self.allocator.allocate(base_slug(article.title, item.source)) + ".md"
        if self.options.dry_run:
            entry.estimate = estimate_article(article, self.raw_engine, self.prompts, self.options)
            entry.status = ESTIMATED
            self.done += 1
            self.emit("done", entry)
            return False
        record = self.cache.get(self._cache_key(article, entry)) if self.cache else None
        if record is not None:
            from .cache import summary_from_record

            summary = summary_from_record(record, source=item.source)
            try:
                updates = self._write(entry, article, summary, record.get("generated_at") or _now(), cached=True)
            except SummbotError as exc:
                updates = {"status": FAILED, "error": str(exc)}
            self._apply(entry, updates)
            return False
        if self.options.max_cost is not None:
            estimate = estimate_article(article, self.raw_engine, self.prompts, self.options)
            entry.estimate = estimate
            cost = float(estimate.get("cost_usd") or 0.0)
            if self.spent + sum(self.reserved.values()) + cost > self.options.max_cost:
                entry.error = (f"not sent: its estimated cost ({format_usd(cost)}) would take the run past "
                               f"--max-cost {format_usd(self.options.max_cost)}")
                self._stop("max-cost")
                return False
            self.reserved[entry.index] = cost
        job = _Job(entry, article)
        if self.batch_api is not None and not self._via_batch_api(job):
            return False
        if not self.warmed:
            # The first article the cache cannot answer: requests are coming. A re-run answered
            # wholly from the cache never imports openai (~0.4 s of CPU).
            self.warmed = True
            prewarm(self.raw_engine)
        self.jobs.put(job)
        return True

    def _via_batch_api(self, job: _Job) -> bool:
        """Batch API mode: use the batch's answer, fail or retry what it failed, or collect the
        request for the next batch. Returns True when the job goes to a worker now."""
        state = self.batch_api
        assert state is not None
        entry = job.entry
        old = self.plan.before.get(entry.key)
        custom_id = old.custom_id if old is not None else None
        if custom_id and old is not None and old.text_sha256 == entry.text_sha256:
            if custom_id in state.answers:
                job.engine = PrefilledEngine(self.engine, state.answers[custom_id])
                job.discount = 0.5
                entry.custom_id = custom_id
                return True
            if custom_id in state.failures and not state.retry_failed:
                entry.custom_id = custom_id
                self._apply(entry, {"status": FAILED, "error": (
                    f"the Batch API did not answer it ({state.failures[custom_id]}); run again with "
                    "--retry-failed to send it directly")})
                return False
            if custom_id in state.failures:
                return True  # --retry-failed: the normal path
        request = first_request(job.article, self.raw_engine, self.prompts, self.options)
        if request.task.kind != "summary":
            return True  # too long for one request: map-reduce through the normal path
        entry.custom_id = f"{entry.index}-{(entry.text_sha256 or '')[:16]}"
        entry.status = SUBMITTED
        state.submit.append((entry, request))
        self.reserved.pop(entry.index, None)
        self.done += 1
        self.emit("done", entry)
        return False

    def _cache_key(self, article: Article, entry: Entry) -> str:
        from .cache import summary_key

        settings = self.result.settings
        return summary_key(
            engine=settings["engine"], model=settings["model"], templates=settings["templates"],
            length=self.options.length, points=self.options.points,
            context_window=settings["context_window"], text_sha256=entry.text_sha256 or "",
            title=article.title, headings=[(h.paragraph, h.text) for h in article.headings],
        )

    def _stop(self, reason: str) -> None:
        if not self.result.stopped:
            self.result.stopped = reason
            self.stop_loading.set()
            self.emit("stopping", reason=reason)

    def _worker(self) -> None:
        """Summarise, cache and write one article at a time. Workers never touch the shared
        entries: they hand their outcome to the main thread, which records it."""
        from .summarize import summarize

        while True:
            job = self.jobs.get()
            if job is None:
                return
            entry, article = job.entry, job.article
            engine, window = job.engine or self.engine, self.options.context_window
            try:
                if fits_by_bytes(article, engine, self.prompts, self.options):
                    engine, window = _NoWindow(engine), None
                elif article.tokens is None and engine.reads_prompt:
                    _count_tokens(article, engine.model)
                summary = summarize(article, engine, length=self.options.length,
                                    points=self.options.points, prompts=self.prompts,
                                    context_window=window)
                generated_at = _now()
                if self.cache is not None:
                    from .cache import summary_record

                    self.cache.put(self._cache_key(article, entry), summary_record(summary, generated_at))
                updates = self._write(entry, article, summary, generated_at, cached=False)
                if job.discount != 1.0 and updates["cost_usd"] is not None:
                    updates["cost_usd"] = round(updates["cost_usd"] * job.discount, 8)
            except RateLimited as exc:
                if job.attempts < 1 and "insufficient_quota" not in str(exc):
                    self.events.put(("retry", (job, exc.retry_after)))
                    continue
                updates = {"status": FAILED, "error": str(exc)}
            except SummbotError as exc:
                updates = {"status": FAILED, "error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - one article's failure never stops a batch
                updates = {"status": FAILED, "error": f"unexpected error: {type(exc).__name__}: {exc}"}
            self.events.put(("done", (job, updates)))

    def _write(self, entry: Entry, article: Article, summary: Summary, generated_at: str,
               *, cached: bool) -> dict[str, Any]:
        """Write the article's markdown file; returns the entry's new fields."""
        text = article_markdown(summary, article, generated_at=generated_at,
                                text_sha256=entry.text_sha256 or "")
        atomic_write(self.options.outdir / str(entry.file), text)
        return {
            "status": OK,
            "error": None,
            "cached": cached,
            "generated_at": generated_at,
            "points": len(summary.key_points),
            "unverified": sum(1 for p in summary.key_points if not p.verified),
            "usage": summary.usage.to_dict(),
            "cost_usd": self._cost(summary),
        }

    def _apply(self, entry: Entry, updates: dict[str, Any]) -> None:
        for name, value in updates.items():
            setattr(entry, name, value)
        self.reserved.pop(entry.index, None)
        if entry.spent_now and entry.cost_usd:
            self.spent += entry.cost_usd
        self.record(entry)
        if entry.status == FAILED and self.options.fail_fast:
            self._stop("fail-fast")

    def _cost(self, summary: Summary) -> float | None:
        if summary.engine != "openai":
            return 0.0
        from .models import estimate_cost

        cost = estimate_cost(summary.model, summary.usage.prompt_tokens, summary.usage.completion_tokens)
        if cost is None:
            cost = estimate_cost(self.raw_engine.model, summary.usage.prompt_tokens,
                                 summary.usage.completion_tokens)
        return round(cost, 8) if cost is not None else None

def prewarm(engine: Engine) -> None:
    """Start building ``engine``'s SDK client on a background thread, if it has one.

    Every request waits for ``import openai`` and the client (~0.4 s of CPU); started when the
    first article goes to a worker, that work overlaps the loading of the next articles instead
    of holding up the first request on its own. (Starting it earlier, before the inputs are
    expanded, measured no faster: the import is CPU-bound and only shares the one GIL with the
    work it would overlap.) Calling it twice is harmless: the engine builds its client once.
    """
    client = getattr(engine, "client", None)
    if callable(client):
        threading.Thread(target=_warm, args=(client,), name="summbot-prewarm", daemon=True).start()


def _warm(client: Callable[[], Any]) -> None:
    try:
        client().chat.completions  # noqa: B018 - touching it imports the resource lazily
    except Exception:  # noqa: BLE001 - only a head start; the first request reports any problem
        pass


class _NoWindow(EngineWrapper):
    """The engine, with no context window for ``summarize`` to check (see ``fits_by_bytes``)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.context_window = None


def summary_messages(article: Article, prompts: Prompts, options: BatchOptions) -> list[dict[str, str]]:
    """The messages of ``summarize``'s one-request summary of ``article``."""
    from .summarize import summary_messages as messages

    return messages(article, prompts, options.length, options.points)


def fits_by_bytes(article: Article, engine: Engine, prompts: Prompts, options: BatchOptions) -> bool:
    """True when ``article`` surely fits one summary request, decided without a tokenizer.

    A tokenizer token stands for at least one UTF-8 byte (tiktoken's byte-level BPE; the
    approximate counter takes four characters a token), so a prompt whose bytes fit the window
    fits in tokens, and ``summarize`` would send it in one request. Deciding it that way spares
    the batch loading the tokenizer (~0.1 s of CPU, ahead of the first request) for the usual
    article; False (a long article, a small window) means count the tokens as usual.
    """
    window = options.context_window or engine.context_window
    if not engine.reads_prompt or window is None:
        return True  # summarize counts nothing either: one request
    from .summarize import ANSWER_TOKENS, MESSAGE_OVERHEAD, SAFETY_MARGIN

    messages = summary_messages(article, prompts, options)
    ceiling = sum(len(m["content"].encode("utf-8")) + MESSAGE_OVERHEAD for m in messages)
    return ceiling + ANSWER_TOKENS[options.length] + SAFETY_MARGIN <= window


def _count_tokens(article: Article, model: str) -> None:
    """Count ``article``'s tokens, as ``load_article`` does when asked (for the message of an
    article too long for one request)."""
    from .article import TokenCount
    from .tokens import counter_for_model

    counter = counter_for_model(model)
    article.tokens = TokenCount(counter.count(article.text), counter.encoding_name)


def _default_loader(engine: Engine) -> Callable[[InputItem], Article]:
    """``load_article`` without the token count: the workers count only the articles that
    need it (see ``fits_by_bytes``)."""
    from .article import load_article

    def load(item: InputItem) -> Article:
        return load_article(item.source, count_tokens=False)

    return load
