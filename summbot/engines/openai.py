"""The LLM engine: Chat Completions on OpenAI or any OpenAI-compatible server.

It speaks through the ``openai`` SDK (so Ollama, vLLM, llama.cpp's server, LM Studio and Azure
work through ``base_url``), but keeps the decisions that matter to summbot in its own hands:

* **Retries** are summbot's loop, not the SDK's (the client is built with ``max_retries=0``): 429,
  408/409 and 5xx answers and connection failures are retried with exponential backoff and
  jitter, honouring ``retry-after-ms`` / ``Retry-After``; the ``sleep`` is injected so tests
  can check the waits without waiting. Timeouts are not retried: ``--timeout`` is the longest a
  user agreed to wait for one request, and retrying would multiply it.
* **Servers that refuse a parameter** are answered by dropping or replacing it, once, and the
  engine remembers: ``response_format`` json_schema -> json_object -> none (the prompt asks for
  JSON anyway), ``stream_options`` -> none, ``max_tokens`` <-> ``max_completion_tokens``, and
  ``temperature`` -> none. Reasoning models get ``max_completion_tokens`` and no temperature
  from the start.
* **The wire is kept**: ``exchange`` returns the exact JSON body sent and the JSON received (the
  ``chat.completion`` object, or the list of ``chat.completion.chunk`` objects of a stream), so
  ``replay.RecordingEngine`` stores what really crossed the wire, and ``completion_from_wire``
  turns both live and replayed answers into a ``Completion`` by the same code.
* **Errors** from the SDK become ``summbot.errors`` here, each one line that names the server,
  the model or the setting, and says what to do. The API key never appears in a message, a log
  line, a ``repr`` or a recording.

``Usage.requests`` counts answered requests (one per ``Completion``); retried and rejected
attempts are not billed as answers and are counted separately in ``OpenAIEngine.http_requests``.

Importing this module is cheap: ``openai`` (about 0.4 s to import) is imported on first use.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import math
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ..errors import (
    AuthenticationFailed,
    ConfigError,
    ContextOverflow,
    EngineError,
    EngineTimeout,
    EngineUnreachable,
    InvalidModelOutput,
    ModelNotFound,
    RateLimited,
    StreamInterrupted,
)
from ..redaction import redact
from .base import Completion, Engine, OnText, Request, Usage

if TYPE_CHECKING:
    import openai as openai_sdk

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: Sent as the key to local servers that need none; the SDK refuses to run without one.
PLACEHOLDER_KEY = "not-needed"
#: Used when neither the caller nor the model table knows the model's context window; small on
#: purpose, because servers such as Ollama silently cut what does not fit.
FALLBACK_CONTEXT_WINDOW = 8192
#: The longest a ``Retry-After`` is honoured for; a server asking for more is still retried then.
MAX_RETRY_AFTER = 60.0
#: The request fields that decide the answer, hashed into a recording's key.
KEY_FIELDS = (
    "model",
    "messages",
    "response_format",
    "temperature",
    "max_tokens",
    "max_completion_tokens",
    "stream",
)
_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")
_RETRY_STATUSES = {408, 409, 429}
_RESPONSE_FORMATS = ("json_schema", "json_object", "none")
_MAX_ADJUSTMENTS = 6
_CONTEXT_SIGNS = (
    "context_length_exceeded",
    "context length",
    "maximum context",
    "context size",
    "context window",
    "exceed_context",
)


# --------------------------------------------------------------------------- models


def _model_info(model: str) -> Any:
    """The entry of ``summbot.models``' table for ``model``, or None when there is none."""
    try:
        from .. import models as table
    except ImportError:
        return None
    lookup = getattr(table, "model_info", None)
    if lookup is None:
        return None
    try:
        return lookup(model)
    except Exception:  # noqa: BLE001 - an unknown model in a table we do not own is not an error
        return None


def is_reasoning_model(model: str) -> bool:
    """Whether ``model`` wants ``max_completion_tokens`` and refuses a set ``temperature``.

    The model table (``summbot.models``) decides when it knows the model; otherwise the name does (``o1``, ``o3``,
    ``o4``, ``gpt-5`` families, with or without a ``provider/`` prefix; ``gpt-5-chat`` is a chat
    model). Servers that still object are handled at run time.
    """
    info = _model_info(model)
    for attribute in ("reasoning", "is_reasoning"):
        flag = getattr(info, attribute, None)
        if isinstance(flag, bool):
            return flag
    name = model.lower().rsplit("/", 1)[-1]
    if name.startswith("gpt-5-chat"):
        return False
    return name.startswith(_REASONING_PREFIXES)


def default_context_window(model: str) -> int:
    """The model's context window from the model table, else ``FALLBACK_CONTEXT_WINDOW``."""
    window = getattr(_model_info(model), "context_window", None)
    return window if isinstance(window, int) and window > 0 else FALLBACK_CONTEXT_WINDOW


# --------------------------------------------------------------------------- the wire body


@dataclass
class WireOptions:
    """How this server wants requests shaped; starts from the model, learns from refusals."""

    token_param: str = "max_tokens"
    send_temperature: bool = True
    response_format: str = "json_schema"
    stream_usage: bool = True

    @classmethod
    def for_model(cls, model: str) -> WireOptions:
        if is_reasoning_model(model):
            return cls(token_param="max_completion_tokens", send_temperature=False)
        return cls()


def wire_body(
    request: Request, model: str, *, stream: bool, options: WireOptions | None = None
) -> dict[str, Any]:
    """The JSON body of the Chat Completions request for ``request``.

    With the default ``options`` this is the request a fresh engine sends first, which is what
    recordings are keyed by, so a replay finds a recording made after a fallback.
    """
    opts = options or WireOptions.for_model(model)
    body: dict[str, Any] = {
        "model": model,
        "messages": [dict(message) for message in request.messages],
    }
    if request.temperature is not None and opts.send_temperature:
        body["temperature"] = request.temperature
    body[opts.token_param] = request.max_output_tokens
    if request.schema is not None and opts.response_format != "none":
        if opts.response_format == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": request.schema}
        else:
            body["response_format"] = {"type": "json_object"}
    if stream:
        body["stream"] = True
        if opts.stream_usage:
            body["stream_options"] = {"include_usage": True}
    return body


def request_key(body: dict[str, Any]) -> str:
    """The sha256 of the canonical JSON of the fields that decide the answer.

    Credentials, headers and transport options (``stream_options``) are not part of the body
    or not part of the key, so the same request gives the same key on every machine.
    """
    fields = {name: body[name] for name in KEY_FIELDS if name in body}
    fields["stream"] = bool(body.get("stream"))
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- the answer


def completion_from_wire(
    wire: dict[str, Any] | list[dict[str, Any]],
    model: str,
    *,
    on_text: OnText | None = None,
    origin: str = "the server",
) -> Completion:
    """Turn a ``chat.completion`` object, or the chunks of a stream, into a ``Completion``.

    Used by the live engine and by replay alike. ``on_text`` receives each streamed piece (replay
    uses it; the live engine already delivered the pieces as they arrived). ``origin`` names
    where the answer came from in error messages. A stream without a ``finish_reason`` was cut
    off and raises ``StreamInterrupted``; a model refusal raises ``InvalidModelOutput``.
    """
    if isinstance(wire, list):
        return _completion_from_chunks(wire, model, on_text=on_text, origin=origin)
    if not isinstance(wire, dict):
        raise InvalidModelOutput(
            f"{_cap(origin)} sent {type(wire).__name__} where a chat completion belongs; "
            "check that it is an OpenAI-compatible API."
        )
    choices = wire.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise InvalidModelOutput(
            f"{_cap(origin)} sent a chat completion without choices; "
            "check that it is an OpenAI-compatible API."
        )
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise InvalidModelOutput(
            f"{_cap(origin)} sent a chat completion without a message; "
            "check that it is an OpenAI-compatible API."
        )
    content = message.get("content")
    _check_refusal(content, message.get("refusal"), model)
    _check_tool_calls(content, message.get("tool_calls"), model)
    if on_text is not None and content:
        on_text(str(content))
    return Completion(
        text="" if content is None else str(content),
        model=model,
        usage=_usage(wire.get("usage")),
        finish_reason=choice.get("finish_reason"),
    )


def _completion_from_chunks(
    chunks: list[dict[str, Any]], model: str, *, on_text: OnText | None, origin: str
) -> Completion:
    pieces: list[str] = []
    refusal: list[str] = []
    finish_reason: str | None = None
    usage: Any = None
    for chunk in chunks:
        if not isinstance(chunk, dict):
            continue
        if chunk.get("usage"):
            usage = chunk["usage"]
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                delta = {}
            piece = delta.get("content")
            if piece:
                pieces.append(str(piece))
                if on_text is not None:
                    on_text(str(piece))
            if delta.get("refusal"):
                refusal.append(str(delta["refusal"]))
            if choice.get("finish_reason"):
                finish_reason = str(choice["finish_reason"])
    text = "".join(pieces)
    if finish_reason is None:
        raise StreamInterrupted(
            f"The answer stream from {origin} stopped before the model finished "
            f"({_characters(len(text))} received); try again, or use --no-stream."
        )
    _check_refusal(text or None, "".join(refusal) or None, model)
    return Completion(text=text, model=model, usage=_usage(usage), finish_reason=finish_reason)


def _check_refusal(content: Any, refusal: Any, model: str) -> None:
    if content is None and refusal:
        raise InvalidModelOutput(
            f"The model '{model}' refused to answer: {_one_line(str(refusal), 200)}"
        )


def _check_tool_calls(content: Any, calls: Any, model: str) -> None:
    if content is None and isinstance(calls, list) and calls:
        names = [
            str((call.get("function") or {}).get("name") or "?")
            for call in calls
            if isinstance(call, dict) and isinstance(call.get("function") or {}, dict)
        ]
        raise InvalidModelOutput(
            f"The model '{model}' called a tool ({_one_line(', '.join(names) or '?', 80)}) "
            "instead of answering; summbot offers no tools, so check the server's tool "
            "settings, or use another model."
        )


def _usage(raw: Any) -> Usage:
    """Usage of one answered request; zeros where the server did not report tokens."""
    if not isinstance(raw, dict):
        return Usage(0, 0, 1)
    prompt = raw.get("prompt_tokens")
    completion = raw.get("completion_tokens")
    return Usage(
        prompt if isinstance(prompt, int) else 0,
        completion if isinstance(completion, int) else 0,
        1,
    )


# --------------------------------------------------------------------------- the engine


@dataclass
class Exchange:
    """One answered request as it crossed the wire."""

    #: The body a fresh engine sends first for this request: what recordings are keyed by.
    request: dict[str, Any]
    #: The body of the request that was answered (differs after a fallback).
    sent: dict[str, Any]
    #: The ``chat.completion`` object, for a plain request.
    response: dict[str, Any] | None = None
    #: The ``chat.completion.chunk`` objects, for a stream.
    chunks: list[dict[str, Any]] | None = None

    @property
    def wire(self) -> dict[str, Any] | list[dict[str, Any]]:
        """What the server answered: the completion object or the list of chunks."""
        if self.chunks is not None:
            return self.chunks
        assert self.response is not None
        return self.response


class _Retry(Exception):
    """A transient failure: wait and try again (internal to the retry loop)."""

    def __init__(self, final: EngineError, retry_after: float | None) -> None:
        super().__init__(str(final))
        self.final = final
        self.retry_after = retry_after


class _Adjusted(Exception):
    """The server refused a parameter and the options changed: resend at once."""


class OpenAIEngine(Engine):
    """Chat Completions through the ``openai`` SDK, on OpenAI or a compatible server."""

    name = "openai"
    can_stream = True
    supports_schema = True
    reads_prompt = True

    def __init__(
        self,
        model: str,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 60,
        max_retries: int = 3,
        context_window: int | None = None,
        organization: str | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """Check the settings now, so a missing key fails before any article is read.

        ``api_key`` and ``base_url`` fall back to ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``, as
        the SDK does. With a base URL and no key, a placeholder key is sent (local servers need
        none). ``sleep`` and ``jitter`` are injected for tests.
        """
        key = api_key if api_key else os.environ.get("OPENAI_API_KEY") or None
        url = base_url if base_url else os.environ.get("OPENAI_BASE_URL") or None
        if key is None:
            if url is None:
                raise ConfigError(
                    "No API key: set OPENAI_API_KEY (or put it in .env), "
                    "or use --engine extractive to work offline."
                )
            key = PLACEHOLDER_KEY
        if timeout <= 0:
            raise ConfigError(f"Timeout {timeout!r} is not positive; pass --timeout SECONDS > 0.")
        if max_retries < 0:
            raise ConfigError(f"max_retries {max_retries!r} is negative; use 0 or more.")
        self.model = model
        self.base_url = (url or DEFAULT_BASE_URL).rstrip("/")
        #: The base URL as messages and reprs show it: a key may hide in it (``user:key@``).
        self._shown_url = redact(self.base_url)
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.context_window = context_window or default_context_window(model)
        self.organization = organization
        self.options = WireOptions.for_model(model)
        #: HTTP requests made, including retried and refused attempts.
        self.http_requests = 0
        self._api_key = key
        self._sleep = sleep
        self._jitter = jitter
        self._client: openai_sdk.OpenAI | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, base_url={self._shown_url!r})"

    # -- public

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        """Answer ``request``, streaming pieces to ``on_text`` when the request streams."""
        exchange = self.exchange(request, on_text)
        return completion_from_wire(exchange.wire, self.model, origin=self._where)

    def exchange(self, request: Request, on_text: OnText | None = None) -> Exchange:
        """Send ``request`` (retrying and adapting as needed) and return the wire exchange.

        A request streams when it asks to and ``on_text`` is given; pieces reach ``on_text`` as
        they arrive.
        """
        streaming = bool(request.stream and on_text is not None)
        intended = wire_body(request, self.model, stream=streaming)
        failures = 0
        adjustments = 0
        while True:
            sent = wire_body(request, self.model, stream=streaming, options=self.options)
            try:
                return self._send(intended, sent, on_text)
            except _Adjusted:
                adjustments += 1
                if adjustments > _MAX_ADJUSTMENTS:  # pragma: no cover - options are finite
                    raise EngineError(
                        f"The server at {self._shown_url} kept refusing request parameters; "
                        "check that it is an OpenAI-compatible API."
                    ) from None
            except _Retry as retry:
                failures += 1
                if failures > self.max_retries:
                    raise retry.final from None
                delay = self._backoff(failures, retry.retry_after)
                log.info(
                    "%s; retrying in %.2f s (try %d of %d)",
                    _one_line(str(retry.final), 120),
                    delay,
                    failures + 1,
                    self.max_retries + 1,
                )
                self._sleep(delay)

    # -- one HTTP request

    @property
    def _where(self) -> str:
        return f"the server at {self._shown_url}"

    def client(self) -> openai_sdk.OpenAI:
        """The SDK client (built on first use), for the Files and Batches APIs
        (``summbot.batchapi``); chat requests go through ``complete``."""
        return self._client_once()

    def _client_once(self) -> openai_sdk.OpenAI:
        with self._lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    api_key=self._api_key,
                    base_url=self.base_url,
                    organization=self.organization,
                    timeout=self.timeout,
                    max_retries=0,
                )
            return self._client

    def _send(
        self, intended: dict[str, Any], sent: dict[str, Any], on_text: OnText | None
    ) -> Exchange:
        import openai

        timeout_error, transport_error = _transport_errors()
        client = self._client_once()
        self.http_requests += 1
        try:
            with client.chat.completions.with_streaming_response.create(**sent) as response:
                if sent.get("stream"):
                    chunks = self._read_stream(response.iter_lines(), on_text)
                    return Exchange(intended, sent, chunks=chunks)
                raw = response.read()
        except openai.APITimeoutError:
            raise self._timeout() from None
        except openai.APIConnectionError as exc:
            raise _Retry(self._unreachable(exc), None) from None
        except openai.APIStatusError as exc:
            raise self._status_error(exc, sent) from None
        except timeout_error:
            raise self._timeout() from None
        except transport_error as exc:
            # The body broke off after the status line.
            raise StreamInterrupted(
                f"The connection to {self._shown_url} broke while reading the answer "
                f"({_one_line(str(exc), 100)}); try again."
            ) from None
        except openai.OpenAIError as exc:
            # Any other SDK failure (a new exception type, a validation error): still one line.
            raise EngineError(
                f"The openai client failed talking to {self._shown_url} ({type(exc).__name__}: "
                f"{self._scrub(_one_line(redact(str(exc)), 160))}); try again, or use --debug."
            ) from None
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidModelOutput(
                f"The server at {self._shown_url} sent a response that is not valid JSON "
                f"({exc.msg} at character {exc.pos}); check that --base-url points to an "
                "OpenAI-compatible API."
            ) from None
        if not isinstance(body, dict):
            raise InvalidModelOutput(
                f"The server at {self._shown_url} sent JSON that is not a chat completion; "
                "check that --base-url points to an OpenAI-compatible API."
            )
        if "error" in body and not body.get("choices"):
            # Some gateways (OpenRouter, proxies) report an upstream failure inside a 200.
            error = body["error"]
            detail = error.get("message", error) if isinstance(error, dict) else error
            raise EngineError(
                f"The server at {self._shown_url} answered with an error instead of a completion "
                f"({self._scrub(_one_line(str(detail), 200))}); try again later, or check --model."
            )
        return Exchange(intended, sent, response=body)

    def _read_stream(self, lines: Iterable[str], on_text: OnText | None) -> list[dict[str, Any]]:
        """Collect the chunks of an SSE stream, passing content pieces to ``on_text``."""
        timeout_error, transport_error = _transport_errors()

        chunks: list[dict[str, Any]] = []
        received = 0
        data: list[str] = []

        def dispatch() -> bool:
            nonlocal received
            payload = "\n".join(data)
            data.clear()
            if not payload:
                return True
            if payload.strip() == "[DONE]":
                return False
            try:
                chunk = json.loads(payload)
            except ValueError:
                raise InvalidModelOutput(
                    f"The server at {self._shown_url} sent a stream event that is not JSON "
                    f"({_one_line(payload, 60)!r}); try --no-stream."
                ) from None
            if isinstance(chunk, dict) and "error" in chunk:
                error = chunk["error"] if isinstance(chunk["error"], dict) else {}
                raise StreamInterrupted(
                    f"The server at {self._shown_url} broke off the answer stream with an error "
                    f"({self._scrub(_one_line(str(error.get('message', chunk['error'])), 200))}); "
                    "try again, or use --no-stream."
                )
            if isinstance(chunk, dict):
                chunks.append(chunk)
                for choice in chunk.get("choices") or []:
                    delta = choice.get("delta") if isinstance(choice, dict) else None
                    piece = delta.get("content") if isinstance(delta, dict) else None
                    if piece and choice.get("index", 0) == 0:
                        received += len(piece)
                        if on_text is not None:
                            on_text(str(piece))
            return True

        try:
            for line in lines:
                if line == "":
                    if not dispatch():
                        return chunks
                elif line.startswith("data:"):
                    value = line[5:]
                    data.append(value.removeprefix(" "))
                # Comments (":") and other fields (event:, id:, retry:) carry nothing we use.
            if data:
                dispatch()
        except timeout_error:
            raise StreamInterrupted(
                f"The answer stream from {self._where} went silent for {_seconds(self.timeout)} s "
                f"({_characters(received)} received); raise --timeout, or use --no-stream."
            ) from None
        except transport_error:
            raise StreamInterrupted(
                f"The answer stream from {self._where} stopped before the model finished "
                f"({_characters(received)} received); try again, or use --no-stream."
            ) from None
        return chunks

    # -- errors

    def _scrub(self, text: str) -> str:
        """Remove the API key from text that came from the server."""
        if self._api_key and self._api_key != PLACEHOLDER_KEY:
            text = text.replace(self._api_key, "***")
        return text

    def _server_message(self, exc: openai_sdk.APIStatusError) -> str:
        body = exc.body
        message: Any = None
        if isinstance(body, dict):
            message = body.get("message")
            if message is None and isinstance(body.get("error"), dict):
                message = body["error"].get("message")
        if not message:
            message = exc.response.text if exc.response is not None else ""
        return self._scrub(_one_line(str(message or ""), 300))

    def _timeout(self) -> EngineTimeout:
        return EngineTimeout(
            f"The server at {self._shown_url} did not answer within {_seconds(self.timeout)} s; "
            "raise --timeout, or try again later."
        )

    def _unreachable(self, exc: BaseException) -> EngineUnreachable:
        reason = _connection_reason(exc)
        tries = self.max_retries + 1
        return EngineUnreachable(
            f"Cannot reach the server at {self._shown_url} ({reason}) after {_tries(tries)}; "
            "check that it is running, or pass the right address with --base-url."
        )

    def _status_error(
        self, exc: openai_sdk.APIStatusError, sent: dict[str, Any]
    ) -> EngineError | _Retry | _Adjusted:
        status = exc.status_code
        message = self._server_message(exc)
        code = str(exc.code or "")
        tries = _tries(self.max_retries + 1)
        headers = exc.response.headers if exc.response is not None else {}
        if status == 401:
            return AuthenticationFailed(
                f"The server at {self._shown_url} rejected the API key (401); check OPENAI_API_KEY."
            )
        if status == 403:
            return AuthenticationFailed(
                f"The server at {self._shown_url} refused the request (403 Forbidden: {message}); "
                f"check that the API key may use model '{self.model}'."
            )
        if status == 404:
            lowered = message.lower()
            if code == "model_not_found" or "model" in lowered:
                return ModelNotFound(
                    f"The server at {self._shown_url} has no model '{self.model}' (404); "
                    "choose one it serves with --model."
                )
            return EngineUnreachable(
                f"The server at {self._shown_url} answered 404 Not Found for /chat/completions; "
                "check --base-url (OpenAI-compatible APIs usually end in /v1)."
            )
        if status in (400, 422):
            if _is_context_overflow(code, message):
                return ContextOverflow(
                    f"The prompt is too long for model '{self.model}' ({message}); set "
                    "--context-window to the model's real limit so summbot splits the article, "
                    "or use a model with a larger context window."
                )
            if self._adjust(exc, message, sent):
                return _Adjusted()
            return EngineError(
                f"The server at {self._shown_url} rejected the request ({status}: {message}); "
                "check --model and the server's documentation."
            )
        if status == 429 and code == "insufficient_quota":
            return RateLimited(
                f"The server at {self._shown_url} answered 429 insufficient_quota: the account "
                "behind the API key has no credit left; check its plan and billing."
            )
        phrase = _phrase(status)
        should_retry = headers.get("x-should-retry")
        transient = status in _RETRY_STATUSES or status >= 500
        if should_retry == "false" or (not transient and should_retry != "true"):
            if transient:
                return EngineError(
                    f"The server at {self._shown_url} failed with {status} {phrase} ({message}); "
                    "it asked not to be retried, so try again later."
                )
            return EngineError(
                f"The server at {self._shown_url} answered {status} {phrase} ({message}); "
                "check --base-url and --model."
            )
        retry_after = _retry_after(headers)
        if status == 429:
            # The wait this answer asked for rides on the error, so a caller that gets it after
            # the last try (a batch) can pause as long as the server said, not a guess.
            final: EngineError = RateLimited(
                f"The server at {self._shown_url} is rate limiting requests (429) and still "
                f"refused after {tries}; wait a minute and try again, or send fewer requests "
                "at once.",
                retry_after=retry_after,
            )
        else:
            final = EngineError(
                f"The server at {self._shown_url} failed with {status} {phrase} after {tries}; "
                "try again later."
            )
        return _Retry(final, retry_after)

    def _adjust(self, exc: openai_sdk.APIStatusError, message: str, sent: dict[str, Any]) -> bool:
        """Change the options to drop or replace the parameter the server refused."""
        param = str(exc.param or "")
        text = f"{param} {exc.code or ''} {message}".lower()
        opts = self.options
        if ("response_format" in text or "json_schema" in text or "json_object" in text) and (
            "response_format" in sent
        ):
            opts.response_format = _RESPONSE_FORMATS[
                _RESPONSE_FORMATS.index(opts.response_format) + 1
            ]
            log.info("the server refused response_format; now sending %s", opts.response_format)
            return True
        if "stream_options" in text and "stream_options" in sent:
            opts.stream_usage = False
            return True
        refused = param or _refused_parameter(message)
        if refused == "max_tokens" and "max_tokens" in sent:
            opts.token_param = "max_completion_tokens"
            return True
        if refused == "max_completion_tokens" and "max_completion_tokens" in sent:
            opts.token_param = "max_tokens"
            return True
        if refused == "temperature" and "temperature" in sent:
            opts.send_temperature = False
            return True
        return False

    def _backoff(self, failures: int, retry_after: float | None) -> float:
        """Seconds to wait before retry ``failures``: the server's word, else 0.5 s doubling."""
        if retry_after is not None and not math.isnan(retry_after):
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER)
        base = min(8.0, 0.5 * 2 ** (failures - 1))
        return base * (0.5 + 0.5 * self._jitter())


# --------------------------------------------------------------------------- helpers


def _transport_errors() -> tuple[type[Exception], type[Exception]]:
    """The HTTP library's timeout and transport errors (``httpx2`` for openai 3, else ``httpx``)."""
    try:
        import httpx2 as http
    except ImportError:  # pragma: no cover - openai 1.x and 2.x use httpx
        import httpx as http  # type: ignore[no-redef]
    return http.TimeoutException, http.TransportError


def _retry_after(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return float(raw_ms) / 1000
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _is_context_overflow(code: str, message: str) -> bool:
    """Whether a 400 says the prompt is too long, in OpenAI's, vLLM's or llama.cpp's words."""
    text = f"{code} {message}".lower()
    return any(sign in text for sign in _CONTEXT_SIGNS)


def _refused_parameter(message: str) -> str:
    """The parameter an "Unsupported parameter: 'max_tokens' ..." message names, or ""."""
    lowered = message.lower()
    if not ("unsupported" in lowered or "not support" in lowered or "does not" in lowered):
        return ""
    for name in ("max_completion_tokens", "max_tokens", "temperature"):
        if f"'{name}'" in lowered or f'"{name}"' in lowered or f"`{name}`" in lowered:
            return name
    return ""


def _connection_reason(exc: BaseException) -> str:
    import socket

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "the host name does not resolve"
        text = str(seen).lower()
        if "connection refused" in text:
            return "connection refused"
        if "name or service not known" in text or "name resolution" in text:
            return "the host name does not resolve"
        if "certificate" in text or "ssl" in text:
            return "TLS failed: " + _one_line(str(seen), 80)
        seen = seen.__cause__ or seen.__context__
    return "connection failed"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _tries(count: int) -> str:
    return f"{count} try" if count == 1 else f"{count} tries"


def _characters(count: int) -> str:
    return f"{count} character" if count == 1 else f"{count} characters"


def _seconds(value: float) -> str:
    return f"{value:g}"


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
