"""Record exchanges with a live model, and answer later from the recordings ("cassettes").

A cassette is one readable JSON file per exchange, named by the first 16 hex digits of the
request's key (``openai.request_key``: the sha256 of the canonical JSON of the fields that decide
the answer: model, messages, response_format, temperature, max tokens, stream). It holds::

    {
      "provenance": "recorded" | "authored",
      "key": "<64 hex digits>",
      "recorded_at": "2026-01-31T12:00:00Z",
      "summbot_version": "0.1.0",
      "request": {...the Chat Completions body, no credentials, no headers...},
      "sent": {...only when a fallback changed what was sent...},
      "response": {...the chat.completion object...}   or   "stream": [...the chunks...]
    }

``RecordingEngine`` wraps an ``OpenAIEngine`` and writes ``"recorded"`` cassettes;
``author_cassette`` writes ``"authored"`` ones in OpenAI's exact wire format, for recordings made
by hand when no live model is reachable (they must say so). ``ReplayEngine`` answers from both,
through the same ``completion_from_wire`` as the live engine, and a miss names the missing key
and the closest recording.

Authoring a cassette for a summbot command (the request must match the rendered prompt exactly,
so let summbot produce it): run the command with ``--engine replay --cassettes DIR`` and
``SUMMBOT_SAVE_MISSES=1``; each miss saves its request body in ``DIR/misses/``; then write the
answer and run the authoring tool (a small script, not part of the ``summbot`` CLI)::

    python -m summbot.engines.replay author DIR --request DIR/misses/<key>.request.json \
        --content answer.json
    python -m summbot.engines.replay list DIR

From Python, ``author_for_request(DIR, request, content, model=...)`` does the same for a
``Request`` built by the core.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import CassetteMiss, ConfigError
from ..files import atomic_write
from .base import Completion, Engine, OnText, Request
from .openai import (
    KEY_FIELDS,
    OpenAIEngine,
    completion_from_wire,
    default_context_window,
    request_key,
    wire_body,
)

PROVENANCES = ("recorded", "authored")
#: Set to 1 to save the body of every missed request for authoring (see ``ReplayEngine``).
SAVE_MISSES_ENV = "SUMMBOT_SAVE_MISSES"


def _default_model() -> str:
    """The model used to key requests when neither the caller nor the cassettes name one."""
    try:
        from ..models import DEFAULT_MODEL
    except ImportError:  # pragma: no cover - the model table is optional
        return "gpt-4o-mini"
    return str(DEFAULT_MODEL)


def short_key(key: str) -> str:
    """The 16-hex-digit form of a key, used as the file name."""
    return key[:16]


def cassette_path(directory: str | os.PathLike[str], key: str) -> Path:
    """Where the cassette for ``key`` lives in ``directory``."""
    return Path(directory) / f"{short_key(key)}.json"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _version() -> str:
    from .. import __version__

    return __version__


def write_cassette(directory: str | os.PathLike[str], cassette: dict[str, Any]) -> Path:
    """Write ``cassette`` atomically (temporary file, then rename) and return its path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = cassette_path(folder, cassette["key"])
    text = json.dumps(cassette, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text)
    return path


def _cassette(
    provenance: str,
    request: dict[str, Any],
    wire: dict[str, Any] | list[dict[str, Any]],
    sent: dict[str, Any] | None = None,
) -> dict[str, Any]:
    cassette: dict[str, Any] = {
        "provenance": provenance,
        "key": request_key(request),
        "recorded_at": _now(),
        "summbot_version": _version(),
        "request": request,
    }
    if sent is not None and sent != request:
        cassette["sent"] = sent
    if isinstance(wire, list):
        cassette["stream"] = wire
    else:
        cassette["response"] = wire
    return cassette


# --------------------------------------------------------------------------- recording


class RecordingEngine(Engine):
    """The openai engine, with every answered exchange stored as a ``"recorded"`` cassette."""

    name = "openai"
    can_stream = True
    supports_schema = True
    reads_prompt = True

    def __init__(self, inner: OpenAIEngine, directory: str | os.PathLike[str]) -> None:
        self.inner = inner
        self.directory = Path(directory)
        self.model = inner.model
        self.context_window = inner.context_window
        #: Paths written, oldest first.
        self.written: list[Path] = []

    def __repr__(self) -> str:
        return f"RecordingEngine({self.inner!r}, directory={str(self.directory)!r})"

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        """Answer through the inner engine, then store the exchange exactly as it went."""
        exchange = self.inner.exchange(request, on_text)
        # Parse first: an answer the engine cannot use is not worth replaying.
        completion = completion_from_wire(
            exchange.wire, self.inner.model, origin=f"the server at {self.inner.base_url}"
        )
        cassette = _cassette("recorded", exchange.request, exchange.wire, exchange.sent)
        self.written.append(write_cassette(self.directory, cassette))
        return completion


# --------------------------------------------------------------------------- authoring


def _split_pieces(content: str) -> list[str]:
    """Word-sized stream pieces that join back to ``content`` exactly."""
    pieces: list[str] = []
    current = ""
    for char in content:
        current += char
        if char in " \n":
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _count_usage(body: dict[str, Any], content: str, model: str) -> dict[str, int]:
    """Token usage as OpenAI counts chat messages (about 3 tokens of framing per message)."""
    from ..tokens import counter_for_model

    counter = counter_for_model(model)
    prompt = 3
    for message in body.get("messages", []):
        prompt += 3 + counter.count(str(message.get("content", "")))
        prompt += counter.count(str(message.get("role", "")))
    completion = counter.count(content)
    return {"prompt_tokens": prompt, "completion_tokens": completion}


def author_cassette(
    directory: str | os.PathLike[str],
    request_body: dict[str, Any],
    response_content: str,
    *,
    model: str,
    usage: dict[str, int] | None = None,
    stream: bool | None = None,
    finish_reason: str = "stop",
    cut_after: int | None = None,
    created: int | None = None,
) -> Path:
    """Write an ``"authored"`` cassette answering ``request_body`` with ``response_content``.

    The response is in OpenAI's exact wire format: a ``chat.completion`` object, or (``stream``)
    the ``chat.completion.chunk`` objects of a stream, with usage counted by summbot's token
    counter unless ``usage`` gives ``prompt_tokens`` / ``completion_tokens``. ``cut_after=N``
    authors a stream that breaks off after N pieces without a finish_reason (a truncated
    stream, for tests). Build ``request_body`` with ``openai.wire_body`` so it matches what
    the engine sends.
    """
    body = json.loads(json.dumps(request_body))
    body["model"] = model
    if stream is None:
        stream = bool(body.get("stream"))
    if stream:
        body["stream"] = True
    else:
        body.pop("stream", None)
        body.pop("stream_options", None)
    counted = dict(usage) if usage is not None else _count_usage(body, response_content, model)
    counted.setdefault("prompt_tokens", 0)
    counted.setdefault("completion_tokens", 0)
    counted["total_tokens"] = counted["prompt_tokens"] + counted["completion_tokens"]
    key = request_key(body)
    cid = f"chatcmpl-authored-{short_key(key)}"
    stamp = int(time.time()) if created is None else created
    wire: dict[str, Any] | list[dict[str, Any]]
    if not stream:
        wire = {
            "id": cid,
            "object": "chat.completion",
            "created": stamp,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": response_content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": counted,
            "system_fingerprint": None,
        }
    else:

        def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
            return {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": stamp,
                "model": model,
                "system_fingerprint": None,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }

        pieces = _split_pieces(response_content)
        if cut_after is not None:
            pieces = pieces[:cut_after]
        chunks = [chunk({"role": "assistant", "content": "", "refusal": None}, None)]
        chunks += [chunk({"content": piece}, None) for piece in pieces]
        if cut_after is None:
            chunks.append(chunk({}, finish_reason))
            if (body.get("stream_options") or {}).get("include_usage"):
                last = chunk({}, None)
                last["choices"] = []
                last["usage"] = counted
                chunks.append(last)
        wire = chunks
    return write_cassette(directory, _cassette("authored", body, wire))


def author_for_request(
    directory: str | os.PathLike[str],
    request: Request,
    response_content: str,
    *,
    model: str,
    stream: bool = False,
    **options: Any,
) -> Path:
    """``author_cassette`` for a summbot ``Request``: the body is built as the engine sends it.

    ``stream=True`` authors the answer to the request as streamed (``request.stream`` with an
    ``on_text`` given); a plain cassette also answers a streamed request, in one piece.
    """
    body = wire_body(request, model, stream=stream)
    return author_cassette(directory, body, response_content, model=model, stream=stream, **options)


# --------------------------------------------------------------------------- replay


class ReplayEngine(Engine):
    """Answers from cassettes; never touches the network."""

    name = "replay"
    can_stream = True
    supports_schema = True
    reads_prompt = True

    def __init__(
        self,
        directory: str | os.PathLike[str],
        model: str | None = None,
        context_window: int | None = None,
        *,
        save_misses: bool | None = None,
    ) -> None:
        """Check the directory now, so a wrong ``--cassettes`` fails before any work.

        With no ``model``, the model the cassettes were recorded with is used (and each one is
        tried when they differ), so replaying needs no flags beyond the directory.

        ``save_misses`` (default: the ``SUMMBOT_SAVE_MISSES`` environment variable is set to
        a non-empty value other than ``0``) writes the body of each missed request to
        ``DIR/misses/<key>.request.json``: the exact input ``author`` needs to write the
        cassette by hand.
        """
        self.directory = Path(directory)
        if not self.directory.is_dir():
            what = "is not a directory" if self.directory.exists() else "does not exist"
            raise ConfigError(
                f"Cassette directory {self.directory} {what}; pass the folder of recordings with "
                f"--cassettes DIR, or record one with --record {self.directory}."
            )
        if save_misses is None:
            save_misses = os.environ.get(SAVE_MISSES_ENV, "") not in ("", "0")
        self.save_misses = save_misses
        self._cassettes: dict[str, Path] | None = None
        self._requested_model = model
        self._models = [model] if model else self._recorded_models()
        self.model = self._models[0]
        self.context_window = context_window or default_context_window(self.model)

    def __repr__(self) -> str:
        return f"ReplayEngine({str(self.directory)!r}, model={self.model!r})"

    # -- index

    def _index(self, refresh: bool = False) -> dict[str, Path]:
        """Cassettes by the short key of the request each one holds, not by file name.

        A cassette renamed for readability, or whose request was edited by hand, still answers
        the request it holds. Of two cassettes for one request, the one named by its key wins
        (else the first by name). A file that cannot be read is indexed by its name, so a
        request that reaches it gets the message saying what is wrong with it.
        """
        if self._cassettes is None or refresh:
            index: dict[str, Path] = {}
            for path in sorted(self.directory.glob("*.json")):
                if not path.is_file():
                    continue
                try:
                    key = short_key(request_key(self._load(path)["request"]))
                except CassetteMiss:
                    key = path.stem
                if key not in index or path.stem == key:
                    index[key] = path
            self._cassettes = index
        return self._cassettes

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CassetteMiss(f"Cannot read cassette {path}: {exc}; fix or delete it.") from None
        except json.JSONDecodeError as exc:
            raise CassetteMiss(
                f"Cassette {path} is not valid JSON (line {exc.lineno}: {exc.msg}); "
                "fix or delete it."
            ) from None
        if not isinstance(data, dict):
            raise CassetteMiss(f"Cassette {path} holds no JSON object; fix or delete it.")
        provenance = data.get("provenance")
        if provenance not in PROVENANCES:
            raise CassetteMiss(
                f'Cassette {path} has provenance {provenance!r}; expected "recorded" or '
                '"authored" (say how it was made).'
            )
        if not isinstance(data.get("request"), dict) or (
            "response" not in data and "stream" not in data
        ):
            raise CassetteMiss(
                f'Cassette {path} lacks a "request" object or a "response"/"stream"; '
                "fix or delete it."
            )
        return data

    def _recorded_models(self) -> list[str]:
        """The models the cassettes were made with, most common first; the default if none."""
        counts: dict[str, int] = {}
        for path in self._index().values():
            try:
                model = self._load(path)["request"].get("model")
            except CassetteMiss:
                continue
            if isinstance(model, str):
                counts[model] = counts.get(model, 0) + 1
        ranked = sorted(counts, key=lambda name: (-counts[name], name))
        return ranked or [_default_model()]

    # -- answering

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        """Answer from the cassette for this request, or raise ``CassetteMiss``."""
        streaming = bool(request.stream and on_text is not None)
        wanted = wire_body(request, self.model, stream=streaming)
        for refresh in (False, True):
            index = self._index(refresh)
            if refresh and not self._requested_model:
                self._models = self._recorded_models()
            for model in self._models:
                # The same answer recorded the other way (streamed or not) serves too.
                for stream in (streaming, not streaming):
                    body = wire_body(request, model, stream=stream)
                    key = request_key(body)
                    path = index.get(short_key(key))
                    if path is None:
                        continue
                    cassette = self._load(path)
                    if request_key(cassette["request"]) != key:  # 16 hex digits collided
                        continue
                    wire = cassette["stream"] if "stream" in cassette else cassette["response"]
                    return completion_from_wire(
                        wire,
                        model,
                        on_text=on_text if streaming else None,
                        origin=f"cassette {path}",
                    )
        raise CassetteMiss(self._miss_message(wanted))

    def _save_miss(self, wanted: dict[str, Any], key: str) -> Path:
        folder = self.directory / "misses"
        folder.mkdir(exist_ok=True)
        path = folder / f"{key}.request.json"
        path.write_text(json.dumps(wanted, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def _miss_message(self, wanted: dict[str, Any]) -> str:
        key = short_key(request_key(wanted))
        closest = self._closest(wanted)
        if closest is None:
            near = "the directory has no cassettes"
        else:
            path, differences = closest
            near = f"closest: {path.name} (differs in: {', '.join(differences) or 'nothing'})"
        if self.save_misses:
            saved = self._save_miss(wanted, key)
            return (
                f"No recording for this request (key {key}) in {self.directory}; {near}; "
                f"its request body is saved in {saved}; author the answer with "
                f"python -m summbot.engines.replay author {self.directory} --request {saved} "
                "--content ANSWER_FILE."
            )
        return (
            f"No recording for this request (key {key}) in {self.directory}; {near}. "
            f"Record it with --record {self.directory} and --engine openai (needs OPENAI_API_KEY),"
            " or author it with python -m summbot.engines.replay author."
        )

    def _closest(self, wanted: dict[str, Any]) -> tuple[Path, list[str]] | None:
        best: tuple[float, Path, list[str]] | None = None
        for path in self._index(refresh=True).values():
            try:
                recorded = self._load(path)["request"]
            except CassetteMiss:
                continue
            differences = differing_fields(wanted, recorded)
            score = _similarity(wanted, recorded) - len(differences)
            if best is None or score > best[0]:
                best = (score, path, differences)
        return None if best is None else (best[1], best[2])


def differing_fields(wanted: dict[str, Any], recorded: dict[str, Any]) -> list[str]:
    """The key fields in which two request bodies differ, naming messages by index."""
    differences: list[str] = []
    for name in KEY_FIELDS:
        a, b = wanted.get(name), recorded.get(name)
        if name == "stream":
            a, b = bool(a), bool(b)
        if a == b:
            continue
        if name == "messages" and isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                differences.append(f"messages ({len(a)} here, {len(b)} recorded)")
                continue
            differences += [f"messages[{i}]" for i, (x, y) in enumerate(zip(a, b)) if x != y]
            continue
        differences.append(name)
    return differences


def _similarity(wanted: dict[str, Any], recorded: dict[str, Any]) -> float:
    def text(body: dict[str, Any]) -> str:
        return "\n".join(str(m.get("content", "")) for m in body.get("messages") or [])

    return difflib.SequenceMatcher(None, text(wanted), text(recorded)).quick_ratio()


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m summbot.engines.replay``: author and list cassettes."""
    parser = argparse.ArgumentParser(
        prog="python -m summbot.engines.replay", description="Author and inspect cassettes."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    author = commands.add_parser("author", help="write an authored cassette")
    author.add_argument("directory")
    author.add_argument("--request", required=True, help="JSON file: the Chat Completions body")
    author.add_argument("--content", required=True, help="file with the answer text, or -")
    author.add_argument("--model", help="model (default: the body's)")
    author.add_argument("--stream", action="store_true", help="author a streamed answer")
    author.add_argument("--prompt-tokens", type=int)
    author.add_argument("--completion-tokens", type=int)
    listing = commands.add_parser("list", help="list the cassettes in a directory")
    listing.add_argument("directory")
    args = parser.parse_args(argv)

    if args.command == "author":
        body = json.loads(Path(args.request).read_text(encoding="utf-8"))
        content = sys.stdin.read() if args.content == "-" else Path(args.content).read_text("utf-8")
        model = args.model or body.get("model")
        if not model:
            parser.error("the request has no model; pass --model")
        usage = None
        if args.prompt_tokens is not None or args.completion_tokens is not None:
            usage = {
                "prompt_tokens": args.prompt_tokens or 0,
                "completion_tokens": args.completion_tokens or 0,
            }
        path = author_cassette(
            args.directory, body, content, model=model, usage=usage, stream=args.stream or None
        )
        print(path)
        return 0

    engine = ReplayEngine(args.directory)
    for stem, path in engine._index().items():
        cassette = engine._load(path)
        request = cassette["request"]
        last = (request.get("messages") or [{}])[-1]
        snippet = " ".join(str(last.get("content", "")).split())[:60]
        kind = "stream" if "stream" in cassette else "json"
        print(f"{stem}  {cassette['provenance']:<8}  {request.get('model')}  {kind:<6}  {snippet}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
