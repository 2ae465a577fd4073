"""A loopback OpenAI-compatible HTTP server that tests start, script, and stop.

It exists so tests drive the REAL ``openai`` client over real HTTP (the SDK talks through
``httpx2``, which request-patching libraries do not see), and so tests can assert on exactly
what reached the wire: every request is kept in ``server.requests`` with its path, headers and
JSON body.

What it answers:

* ``POST /v1/chat/completions`` from a queue of scripted behaviours (``server.enqueue(...)``),
  falling back to ``server.default`` (a behaviour, or a function of the request body returning
  one) when the queue is empty. Behaviours are built by the functions below: ``reply`` (a JSON
  completion, or an SSE stream when the request asked to stream), ``stream`` (explicit pieces),
  ``cut_stream`` (stops midway and drops the connection), ``error`` and its named shortcuts
  (``rate_limited``, ``server_error``, ``unauthorized``, ``model_not_found``,
  ``context_length_exceeded``, ``unsupported_response_format``, ``unsupported_parameter``),
  ``malformed`` (a body that is not a chat completion). Any behaviour takes ``delay=`` seconds.
* ``GET /v1/models`` and ``GET /v1/models/{id}`` from ``server.models``.
* The Batch API: ``POST /v1/files`` (multipart upload), ``GET /v1/files/{id}``,
  ``GET /v1/files/{id}/content``, ``POST /v1/batches``, ``GET /v1/batches/{id}``,
  ``POST /v1/batches/{id}/cancel``. A batch walks through ``server.batch_statuses`` one step per
  retrieve (``["completed"]`` completes at once); on completion every input line is answered by
  the same queue-then-default behaviour as live requests, into an output file (2xx) and an error
  file (everything else).

Use it as a context manager or through the ``fake_openai`` fixture in ``conftest.py``::

    with FakeOpenAIServer() as server:
        server.enqueue(rate_limited(retry_after=2), reply("Hi"))
        client = openai.OpenAI(api_key="test", base_url=server.base_url)
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from typing_extensions import Self

__all__ = [
    "Behaviour",
    "FakeOpenAIServer",
    "RecordedRequest",
    "chat_completion",
    "context_length_exceeded",
    "cut_stream",
    "error",
    "malformed",
    "model_not_found",
    "rate_limited",
    "reply",
    "server_error",
    "stream",
    "unauthorized",
    "unsupported_parameter",
    "unsupported_response_format",
]

CREATED = 1_700_000_000  # a fixed timestamp keeps answers byte-for-byte reproducible


# --------------------------------------------------------------------------- behaviours


@dataclass
class Behaviour:
    """One scripted answer to one chat-completions request."""

    kind: str  # "reply" | "stream" | "cut" | "error" | "raw"
    content: str = ""
    pieces: list[str] | None = None
    usage: dict[str, int] | None = None
    finish_reason: str = "stop"
    model: str | None = None
    status: int = 200
    body: bytes | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    #: For a cut stream: drop the connection (True) or end the body cleanly (False).
    drop: bool = True


Default = Behaviour | Callable[[dict[str, Any]], Behaviour]


def reply(
    content: str,
    *,
    usage: dict[str, int] | None = None,
    finish_reason: str = "stop",
    model: str | None = None,
    delay: float = 0.0,
) -> Behaviour:
    """A successful answer; streamed word by word when the request asked for a stream."""
    return Behaviour(
        "reply", content=content, usage=usage, finish_reason=finish_reason, model=model, delay=delay
    )


def stream(
    pieces: list[str],
    *,
    usage: dict[str, int] | None = None,
    finish_reason: str = "stop",
    model: str | None = None,
    delay: float = 0.0,
) -> Behaviour:
    """An SSE stream of exactly these content pieces, whatever the request asked."""
    return Behaviour(
        "stream",
        content="".join(pieces),
        pieces=list(pieces),
        usage=usage,
        finish_reason=finish_reason,
        model=model,
        delay=delay,
    )


def cut_stream(pieces: list[str], *, delay: float = 0.0, drop: bool = True) -> Behaviour:
    """A stream that sends these pieces and never a finish_reason.

    With ``drop`` (the default) the connection is then dropped mid-body, as when a proxy or the
    network cuts it; without, the body ends cleanly (no ``[DONE]`` either), as some servers do
    when the model process dies.
    """
    return Behaviour("cut", content="".join(pieces), pieces=list(pieces), delay=delay, drop=drop)


def error(
    status: int,
    message: str = "",
    *,
    type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | dict[str, Any] | None = None,
    delay: float = 0.0,
) -> Behaviour:
    """An HTTP error with OpenAI's error body (or ``body`` verbatim)."""
    if body is None:
        body = {"error": {"message": message, "type": type, "param": param, "code": code}}
    return Behaviour("error", status=status, body=body, headers=dict(headers or {}), delay=delay)


def rate_limited(
    *, retry_after: float | None = None, retry_after_ms: int | None = None, code: str | None = None
) -> Behaviour:
    """429 Too Many Requests, optionally with ``Retry-After`` / ``retry-after-ms``."""
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["Retry-After"] = f"{retry_after:g}"
    if retry_after_ms is not None:
        headers["retry-after-ms"] = str(retry_after_ms)
    return error(
        429,
        "Rate limit reached for requests. Please try again later.",
        type="requests",
        code=code or "rate_limit_exceeded",
        headers=headers,
    )


def server_error(status: int = 500) -> Behaviour:
    """A 5xx answer, as OpenAI sends when it has a bad moment."""
    return error(
        status, "The server had an error while processing your request.", type="server_error"
    )


def unauthorized() -> Behaviour:
    """401 with OpenAI's wording (which echoes a masked key; summbot must not)."""
    return error(
        401,
        "Incorrect API key provided. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        code="invalid_api_key",
    )


def model_not_found(model: str) -> Behaviour:
    """404 for a model the server does not have."""
    return error(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


def context_length_exceeded(limit: int = 8192, asked: int = 9000) -> Behaviour:
    """400 context_length_exceeded, in OpenAI's wording."""
    return error(
        400,
        f"This model's maximum context length is {limit} tokens. However, your messages "
        f"resulted in {asked} tokens. Please reduce the length of the messages.",
        code="context_length_exceeded",
        param="messages",
    )


def unsupported_response_format(kind: str = "json_schema") -> Behaviour:
    """400 rejecting ``response_format`` of the given type, as older or local models do."""
    return error(
        400,
        f"Invalid parameter: 'response_format' of type '{kind}' is not supported with this model.",
        code="invalid_parameter",
        param="response_format",
    )


def unsupported_parameter(name: str) -> Behaviour:
    """400 as reasoning models answer ``max_tokens`` or a non-default ``temperature``."""
    if name == "max_tokens":
        message = (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead."
        )
        return error(400, message, code="unsupported_parameter", param=name)
    if name == "temperature":
        message = (
            "Unsupported value: 'temperature' does not support 0.0 with this model. "
            "Only the default (1) value is supported."
        )
        return error(400, message, code="unsupported_value", param=name)
    return error(400, f"Unsupported parameter: '{name}'.", code="unsupported_parameter", param=name)


def malformed(
    body: bytes = b'{"id": "chatcmpl-1", "choices": [', *, status: int = 200
) -> Behaviour:
    """A 200 whose body is not a chat completion (broken JSON by default)."""
    return Behaviour("raw", status=status, body=body, content_type="application/json")


# --------------------------------------------------------------------------- wire shapes

_ids = itertools.count(1)


def _usage(request: dict[str, Any], content: str, usage: dict[str, int] | None) -> dict[str, int]:
    if usage is None:
        prompt = sum(len(str(m.get("content", "")).split()) for m in request.get("messages", []))
        usage = {"prompt_tokens": prompt, "completion_tokens": len(content.split())}
    full = dict(usage)
    full.setdefault("prompt_tokens", 0)
    full.setdefault("completion_tokens", 0)
    full.setdefault("total_tokens", full["prompt_tokens"] + full["completion_tokens"])
    return full


def chat_completion(
    content: str,
    *,
    model: str,
    usage: dict[str, int] | None = None,
    finish_reason: str = "stop",
    request: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``chat.completion`` object exactly as OpenAI sends it."""
    return {
        "id": f"chatcmpl-fake{next(_ids)}",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": _usage(request or {}, content, usage),
        "system_fingerprint": "fp_fake",
    }


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


def _split_words(content: str) -> list[str]:
    pieces, current = [], ""
    for char in content:
        current += char
        if char == " ":
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces or [""]


# --------------------------------------------------------------------------- the server


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None


class FakeOpenAIServer:
    """An OpenAI-compatible server on 127.0.0.1 at a free port, run in a background thread."""

    def __init__(
        self,
        default: Default | None = None,
        *,
        models: list[str] | None = None,
        batch_statuses: list[str] | None = None,
    ) -> None:
        self.default: Default = default or reply("Hello from the fake server.")
        self.models = models or ["gpt-4o-mini", "gpt-4o", "o3-mini"]
        #: Statuses a batch reports on successive retrieves; the last one sticks.
        self.batch_statuses = batch_statuses or ["validating", "in_progress", "completed"]
        self.requests: list[RecordedRequest] = []
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.RLock()  # batch completion re-enters it
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> Self:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake delayed handlers, and join the thread."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The URL to give the client: ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting

    def enqueue(self, *behaviours: Behaviour) -> None:
        """Queue behaviours; each chat request takes the next one, then ``default`` answers."""
        with self._lock:
            self._queue.extend(behaviours)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat-completions requests received, oldest first."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def next_behaviour(self, body: dict[str, Any]) -> Behaviour:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        default = self.default
        return default(body) if callable(default) else default

    def wait(self, seconds: float) -> bool:
        """Sleep for a scripted delay; returns False when the server is stopping."""
        return not self._stopping.wait(seconds)

    # -- batch machinery

    def _answer_line(self, line: dict[str, Any]) -> dict[str, Any]:
        body = line.get("body") or {}
        behaviour = self.next_behaviour(body)
        model = behaviour.model or body.get("model", "gpt-4o-mini")
        request_id = f"req_fake{next(_ids)}"
        if behaviour.kind in ("reply", "stream"):
            response = {
                "status_code": 200,
                "request_id": request_id,
                "body": chat_completion(
                    behaviour.content,
                    model=model,
                    usage=behaviour.usage,
                    finish_reason=behaviour.finish_reason,
                    request=body,
                ),
            }
        else:
            status = behaviour.status if behaviour.kind == "error" else 500
            err = (
                behaviour.body
                if isinstance(behaviour.body, dict)
                else {"error": {"message": "bad"}}
            )
            response = {"status_code": status, "request_id": request_id, "body": err}
        return {
            "id": f"batch_req_fake{next(_ids)}",
            "custom_id": line.get("custom_id"),
            "response": response,
            "error": None,
        }

    def _add_file(self, content: bytes, filename: str, purpose: str) -> dict[str, Any]:
        file_id = f"file-fake{next(_ids)}"
        record = {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "status_details": None,
        }
        self.files[file_id] = {"meta": record, "content": content}
        return record

    def _finish_batch(self, batch: dict[str, Any], status: str) -> None:
        data = self.files[batch["input_file_id"]]["content"].decode("utf-8")
        lines = [json.loads(text) for text in data.splitlines() if text.strip()]
        outputs, errors = [], []
        for line in lines:
            if status == "expired":
                errors.append(
                    {
                        "id": f"batch_req_fake{next(_ids)}",
                        "custom_id": line.get("custom_id"),
                        "response": None,
                        "error": {
                            "code": "batch_expired",
                            "message": "This request could not be executed before the "
                            "completion window expired.",
                        },
                    }
                )
                continue
            answer = self._answer_line(line)
            (outputs if answer["response"]["status_code"] < 300 else errors).append(answer)

        def to_file(rows: list[dict[str, Any]], name: str) -> str | None:
            if not rows:
                return None
            content = "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")
            return str(self._add_file(content, name, "batch_output")["id"])

        now = int(time.time())
        batch["output_file_id"] = to_file(outputs, "batch_output.jsonl")
        batch["error_file_id"] = to_file(errors, "batch_errors.jsonl")
        batch["request_counts"] = {
            "total": len(lines),
            "completed": len(outputs),
            "failed": len(errors),
        }
        batch[
            {"completed": "completed_at", "expired": "expired_at", "failed": "failed_at"}.get(
                status, "completed_at"
            )
        ] = now
        batch["finalizing_at"] = now

    def _advance_batch(self, batch: dict[str, Any]) -> None:
        step = batch.pop("_step", 0)
        statuses = self.batch_statuses
        status = statuses[min(step, len(statuses) - 1)]
        batch["_step"] = step + 1
        if batch["status"] in ("completed", "expired", "failed", "cancelled"):
            return
        if status == "in_progress" and batch.get("in_progress_at") is None:
            batch["in_progress_at"] = int(time.time())
            total = batch["request_counts"]["total"]
            batch["request_counts"] = {"total": total, "completed": 0, "failed": 0}
        if status in ("completed", "expired"):
            self._finish_batch(batch, status)
        if status == "failed":
            batch["errors"] = {
                "object": "list",
                "data": [
                    {
                        "code": "invalid_request",
                        "message": "The input file is invalid.",
                        "param": None,
                        "line": None,
                    }
                ],
            }
            batch["failed_at"] = int(time.time())
        batch["status"] = status


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # The stdlib backlog of 5 makes a 16-wide client wait ~1 s to connect.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected here; do not spray tracebacks.
        pass


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAIServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm and the client's
    # delayed ACK each response would stall for ~40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- plumbing

    def _read(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parsed: Any = None
        if raw and "json" in (self.headers.get("Content-Type") or ""):
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        recorded = RecordedRequest(
            method=self.command,
            path=self.path.split("?", 1)[0],
            headers={k.lower(): v for k, v in self.headers.items()},
            body=raw,
            json=parsed,
        )
        with self.fake._lock:
            self.fake.requests.append(recorded)
        return recorded

    def _send(
        self,
        status: int,
        body: bytes | dict[str, Any] | list[Any],
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self, what: str) -> None:
        self._send(
            404,
            {
                "error": {
                    "message": f"No such {what}: {self.path}",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            },
        )

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _sse(self, event: dict[str, Any] | str) -> None:
        payload = event if isinstance(event, str) else json.dumps(event)
        self._write_chunk(f"data: {payload}\n\n".encode())

    # -- routes

    def do_GET(self) -> None:
        self._read()
        fake = self.fake
        path = self.path.split("?", 1)[0].rstrip("/")
        if not path.startswith("/v1/"):
            return self._not_found("route")
        route = path[len("/v1/") :].split("/")
        if route == ["models"]:
            data = [
                {"id": m, "object": "model", "created": CREATED, "owned_by": "fake"}
                for m in fake.models
            ]
            return self._send(200, {"object": "list", "data": data})
        if len(route) == 2 and route[0] == "models":
            if route[1] in fake.models:
                return self._send(
                    200, {"id": route[1], "object": "model", "created": CREATED, "owned_by": "fake"}
                )
            return self._not_found("model")
        if len(route) in (2, 3) and route[0] == "files":
            stored = fake.files.get(route[1])
            if stored is None:
                return self._not_found("file")
            if len(route) == 3 and route[2] == "content":
                return self._send(200, stored["content"], content_type="application/octet-stream")
            return self._send(200, stored["meta"])
        if route == ["batches"]:
            data = [_public(b) for b in fake.batches.values()]
            return self._send(200, {"object": "list", "data": data, "has_more": False})
        if len(route) == 2 and route[0] == "batches":
            batch = fake.batches.get(route[1])
            if batch is None:
                return self._not_found("batch")
            with fake._lock:
                fake._advance_batch(batch)
            return self._send(200, _public(batch))
        return self._not_found("route")

    def do_POST(self) -> None:
        recorded = self._read()
        path = recorded.path.rstrip("/")
        if path == "/v1/chat/completions":
            return self._chat(recorded)
        if path == "/v1/files":
            return self._upload(recorded)
        if path == "/v1/batches":
            return self._create_batch(recorded)
        if path.startswith("/v1/batches/") and path.endswith("/cancel"):
            batch = self.fake.batches.get(path.split("/")[3])
            if batch is None:
                return self._not_found("batch")
            batch["status"] = "cancelled"
            batch["cancelled_at"] = int(time.time())
            return self._send(200, _public(batch))
        return self._not_found("route")

    def _chat(self, recorded: RecordedRequest) -> None:
        body = recorded.json
        if not isinstance(body, dict):
            return self._send(
                400,
                {
                    "error": {
                        "message": "We could not parse the JSON body of your request.",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        behaviour = self.fake.next_behaviour(body)
        if behaviour.delay and not self.fake.wait(behaviour.delay):
            return
        model = behaviour.model or str(body.get("model", "gpt-4o-mini"))
        if behaviour.kind == "error":
            assert behaviour.body is not None
            return self._send(behaviour.status, behaviour.body, headers=behaviour.headers)
        if behaviour.kind == "raw":
            assert isinstance(behaviour.body, bytes)
            return self._send(behaviour.status, behaviour.body, content_type=behaviour.content_type)
        wants_stream = bool(body.get("stream"))
        if behaviour.kind == "reply" and not wants_stream:
            return self._send(
                200,
                chat_completion(
                    behaviour.content,
                    model=model,
                    usage=behaviour.usage,
                    finish_reason=behaviour.finish_reason,
                    request=body,
                ),
            )
        pieces = (
            behaviour.pieces if behaviour.pieces is not None else _split_words(behaviour.content)
        )
        self._stream(body, behaviour, model, pieces)

    def _stream(
        self, body: dict[str, Any], behaviour: Behaviour, model: str, pieces: list[str]
    ) -> None:
        cid = f"chatcmpl-fake{next(_ids)}"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self._sse(_chunk(cid, model, {"role": "assistant", "content": "", "refusal": None}, None))
        for piece in pieces:
            self._sse(_chunk(cid, model, {"content": piece}, None))
        if behaviour.kind == "cut":
            self.close_connection = True
            if not behaviour.drop:
                self._write_chunk(b"")
                return
            # Drop the connection without the terminating chunk: a cut TCP stream.
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._sse(_chunk(cid, model, {}, behaviour.finish_reason))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage_chunk = _chunk(cid, model, {}, None)
            usage_chunk["choices"] = []
            usage_chunk["usage"] = _usage(body, behaviour.content, behaviour.usage)
            self._sse(usage_chunk)
        self._sse("[DONE]")
        self._write_chunk(b"")

    def _upload(self, recorded: RecordedRequest) -> None:
        content_type = self.headers.get("Content-Type", "")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + recorded.body
        )
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields[str(name)] = (
                part.get_filename(),
                payload if isinstance(payload, bytes) else b"",
            )
        if "file" not in fields:
            return self._send(
                400,
                {
                    "error": {
                        "message": "Missing file.",
                        "type": "invalid_request_error",
                        "param": "file",
                        "code": None,
                    }
                },
            )
        filename, content = fields["file"]
        purpose = fields.get("purpose", (None, b"batch"))[1].decode()
        self._send(200, self.fake._add_file(content, filename or "upload.jsonl", purpose))

    def _create_batch(self, recorded: RecordedRequest) -> None:
        body = recorded.json or {}
        fake = self.fake
        input_id = body.get("input_file_id")
        if input_id not in fake.files:
            return self._not_found("file")
        content = fake.files[input_id]["content"].decode("utf-8")
        total = sum(1 for line in content.splitlines() if line.strip())
        batch_id = f"batch_fake{next(_ids)}"
        now = int(time.time())
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body.get("endpoint", "/v1/chat/completions"),
            "errors": None,
            "input_file_id": input_id,
            "completion_window": body.get("completion_window", "24h"),
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": total, "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
        }
        with fake._lock:
            fake.batches[batch_id] = batch
            # Creation is the first step, so ``["completed"]`` completes at once.
            fake._advance_batch(batch)
        self._send(200, _public(batch))


def _public(batch: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in batch.items() if not k.startswith("_")}
