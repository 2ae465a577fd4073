"""The openai engine, driving the real ``openai`` client over HTTP against the loopback server."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from summbot import schemas
from summbot.article import Article
from summbot.engines.base import Completion, Request, Task, Usage
from summbot.engines.openai import (
    OpenAIEngine,
    completion_from_wire,
    is_reasoning_model,
    request_key,
    wire_body,
)
from summbot.engines.replay import RecordingEngine
from summbot.errors import (
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
    SummbotError,
)
from tests.fakeserver import (
    Behaviour,
    FakeOpenAIServer,
    context_length_exceeded,
    cut_stream,
    error,
    malformed,
    model_not_found,
    rate_limited,
    reply,
    server_error,
    stream,
    unauthorized,
    unsupported_parameter,
    unsupported_response_format,
)

SECRET = "sk-test-DISTINCTIVE-9f8e7d6c5b4a"
MESSAGES = [
    {"role": "system", "content": "Summarise the article. Answer in JSON."},
    {"role": "user", "content": "<article>\nS1: The council met on Monday.\n</article>"},
]
ARTICLE = Article("test.txt", None, None, None, None, "", [], [], [])


def make_request(**changes: object) -> Request:
    return Request(messages=[dict(m) for m in MESSAGES], task=Task("summary", ARTICLE), **changes)  # type: ignore[arg-type]


class Sleeps(list[float]):
    """An injected ``sleep`` that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def engine(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> OpenAIEngine:
    return OpenAIEngine(
        "gpt-4o-mini",
        api_key=SECRET,
        base_url=fake_openai.base_url,
        timeout=5,
        sleep=sleeps,
        jitter=lambda: 1.0,
    )


def error_of(call: object) -> SummbotError:
    with pytest.raises(SummbotError) as caught:
        call()  # type: ignore[operator]
    return caught.value


# --------------------------------------------------------------------------- plain answers


def test_answers_a_json_completion_and_reports_its_usage(engine, fake_openai):
    fake_openai.enqueue(
        reply("The council met.", usage={"prompt_tokens": 41, "completion_tokens": 4})
    )

    completion = engine.complete(make_request())

    assert completion == Completion("The council met.", "gpt-4o-mini", Usage(41, 4, 1), "stop")
    (sent,) = fake_openai.chat_requests
    assert sent.json == {
        "model": "gpt-4o-mini",
        "messages": MESSAGES,
        "temperature": 0.0,
        "max_tokens": 1024,
    }
    assert sent.headers["authorization"] == f"Bearer {SECRET}"


def test_sends_the_schema_as_a_strict_json_schema_response_format(engine, fake_openai):
    fake_openai.enqueue(reply('{"answer": "x", "answerable": true, "citations": []}'))

    engine.complete(make_request(schema=schemas.ANSWER))

    assert fake_openai.chat_requests[0].json["response_format"] == {
        "type": "json_schema",
        "json_schema": schemas.ANSWER,
    }


def test_falls_back_to_json_object_then_to_no_response_format_and_remembers(engine, fake_openai):
    fake_openai.enqueue(
        unsupported_response_format("json_schema"),
        unsupported_response_format("json_object"),
        reply("{}"),
        reply("{}"),
    )

    first = engine.complete(make_request(schema=schemas.SUMMARY))
    engine.complete(make_request(schema=schemas.SUMMARY))

    formats = [r.json.get("response_format", {}).get("type") for r in fake_openai.chat_requests]
    assert formats == ["json_schema", "json_object", None, None]
    assert first.usage.requests == 1
    assert engine.http_requests == 4


def test_a_length_cut_answer_says_so(engine, fake_openai):
    fake_openai.enqueue(reply("The council", finish_reason="length"))

    assert engine.complete(make_request()).finish_reason == "length"


def test_a_refusal_is_invalid_model_output(engine, fake_openai):
    body = (
        b'{"id": "c1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",'
        b' "choices": [{"index": 0, "message": {"role": "assistant", "content": null,'
        b' "refusal": "I cannot help with that."}, "finish_reason": "stop"}]}'
    )
    fake_openai.enqueue(malformed(body))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, InvalidModelOutput)
    assert str(failure) == "The model 'gpt-4o-mini' refused to answer: I cannot help with that."


# --------------------------------------------------------------------------- streaming


def test_streams_pieces_to_on_text_and_collects_text_and_usage(engine, fake_openai):
    fake_openai.enqueue(
        stream(["The coun", "cil ", "met."], usage={"prompt_tokens": 30, "completion_tokens": 5})
    )
    pieces: list[str] = []

    completion = engine.complete(make_request(stream=True), pieces.append)

    assert pieces == ["The coun", "cil ", "met."]
    assert completion == Completion("The council met.", "gpt-4o-mini", Usage(30, 5, 1), "stop")
    sent = fake_openai.chat_requests[0].json
    assert sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}


def test_does_not_stream_without_somewhere_to_send_the_pieces(engine, fake_openai):
    fake_openai.enqueue(reply("Plain."))

    assert engine.complete(make_request(stream=True)).text == "Plain."
    assert "stream" not in fake_openai.chat_requests[0].json


def test_drops_stream_options_when_the_server_refuses_them(engine, fake_openai):
    fake_openai.enqueue(
        error(400, "Unrecognized request argument supplied: stream_options"), stream(["ok"])
    )

    assert engine.complete(make_request(stream=True), lambda piece: None).text == "ok"
    assert "stream_options" not in fake_openai.chat_requests[1].json
    assert engine.complete(make_request(stream=True), lambda piece: None).text.startswith("Hello")
    assert "stream_options" not in fake_openai.chat_requests[2].json


def test_a_stream_cut_off_midway_raises_stream_interrupted(engine, fake_openai):
    fake_openai.enqueue(cut_stream(["The council ", "met on"]))
    pieces: list[str] = []

    failure = error_of(lambda: engine.complete(make_request(stream=True), pieces.append))

    assert isinstance(failure, StreamInterrupted)
    assert failure.exit_code == 27
    assert str(failure) == (
        f"The answer stream from the server at {fake_openai.base_url} stopped before the model "
        "finished (18 characters received); try again, or use --no-stream."
    )
    assert pieces == ["The council ", "met on"]


def test_a_stream_that_ends_without_a_finish_reason_is_interrupted():
    chunks = [
        {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
        {"choices": [{"index": 0, "delta": {"content": "Half"}}]},
    ]

    with pytest.raises(StreamInterrupted) as caught:
        completion_from_wire(chunks, "m", origin="the server at http://x/v1")

    assert str(caught.value) == (
        "The answer stream from the server at http://x/v1 stopped before the model finished "
        "(4 characters received); try again, or use --no-stream."
    )


# --------------------------------------------------------------------------- retries


def test_waits_as_long_as_retry_after_says_then_succeeds(engine, fake_openai, sleeps):
    fake_openai.enqueue(
        rate_limited(retry_after=2), rate_limited(retry_after_ms=1500), reply("Done.")
    )

    completion = engine.complete(make_request())

    assert completion.text == "Done."
    assert completion.usage.requests == 1
    assert sleeps == [2.0, 1.5]
    assert len(fake_openai.chat_requests) == 3


def test_gives_up_on_rate_limits_after_the_last_try(fake_openai, sleeps):
    engine = OpenAIEngine(
        "gpt-4o-mini", api_key=SECRET, base_url=fake_openai.base_url, max_retries=2, sleep=sleeps
    )
    fake_openai.enqueue(*[rate_limited(retry_after=1)] * 3)

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, RateLimited)
    assert failure.exit_code == 22
    assert str(failure) == (
        f"The server at {fake_openai.base_url} is rate limiting requests (429) and still refused "
        "after 3 tries; wait a minute and try again, or send fewer requests at once."
    )
    assert sleeps == [1.0, 1.0]
    assert len(fake_openai.chat_requests) == 3


def test_does_not_retry_when_the_quota_is_used_up(engine, fake_openai, sleeps):
    fake_openai.enqueue(rate_limited(code="insufficient_quota"))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, RateLimited)
    assert str(failure) == (
        f"The server at {fake_openai.base_url} answered 429 insufficient_quota: the account behind"
        " the API key has no credit left; check its plan and billing."
    )
    assert sleeps == []


def test_server_errors_are_retried_with_doubling_backoff(engine, fake_openai, sleeps):
    fake_openai.enqueue(server_error(500), server_error(502), reply("Recovered."))

    assert engine.complete(make_request()).text == "Recovered."
    assert sleeps == [0.5, 1.0]


def test_backoff_has_jitter_below_the_doubling(fake_openai):
    waits = Sleeps()
    engine = OpenAIEngine(
        "gpt-4o-mini",
        api_key=SECRET,
        base_url=fake_openai.base_url,
        sleep=waits,
        jitter=lambda: 0.0,
    )
    fake_openai.enqueue(server_error(), server_error(), server_error(), reply("ok"))

    engine.complete(make_request())

    assert waits == [0.25, 0.5, 1.0]


def test_server_errors_after_the_last_try_name_the_status(engine, fake_openai, sleeps):
    fake_openai.enqueue(*[server_error(503)] * 4)

    failure = error_of(lambda: engine.complete(make_request()))

    assert type(failure) is EngineError
    assert failure.exit_code == 19
    assert str(failure) == (
        f"The server at {fake_openai.base_url} failed with 503 Service Unavailable after 4 tries; "
        "try again later."
    )
    assert len(sleeps) == 3


def test_honours_x_should_retry_false(engine, fake_openai, sleeps):
    fake_openai.enqueue(
        error(500, "boom", type="server_error", headers={"x-should-retry": "false"})
    )

    failure = error_of(lambda: engine.complete(make_request()))

    assert str(failure) == (
        f"The server at {fake_openai.base_url} failed with 500 Internal Server Error (boom); "
        "it asked not to be retried, so try again later."
    )
    assert sleeps == []


# --------------------------------------------------------------------------- faults


def test_a_rejected_key_names_the_server_and_the_setting(engine, fake_openai):
    fake_openai.enqueue(unauthorized())

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, AuthenticationFailed)
    assert failure.exit_code == 20
    assert str(failure) == (
        f"The server at {fake_openai.base_url} rejected the API key (401); check OPENAI_API_KEY."
    )


def test_an_unknown_model_is_named(fake_openai, sleeps):
    engine = OpenAIEngine("gpt-9-nano", api_key=SECRET, base_url=fake_openai.base_url, sleep=sleeps)
    fake_openai.enqueue(model_not_found("gpt-9-nano"))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, ModelNotFound)
    assert failure.exit_code == 24
    assert str(failure) == (
        f"The server at {fake_openai.base_url} has no model 'gpt-9-nano' (404); "
        "choose one it serves with --model."
    )


def test_a_404_for_the_route_points_at_the_base_url(engine, fake_openai):
    fake_openai.enqueue(error(404, "Not Found", code=None))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, EngineUnreachable)
    assert str(failure) == (
        f"The server at {fake_openai.base_url} answered 404 Not Found for /chat/completions; "
        "check --base-url (OpenAI-compatible APIs usually end in /v1)."
    )


def test_connection_refused_names_the_address_and_suggests_base_url(sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = OpenAIEngine(
        "gpt-4o-mini",
        api_key=SECRET,
        base_url=f"http://127.0.0.1:{port}/v1",
        sleep=sleeps,
        max_retries=1,
        jitter=lambda: 1.0,
    )

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, EngineUnreachable)
    assert failure.exit_code == 21
    assert str(failure) == (
        f"Cannot reach the server at http://127.0.0.1:{port}/v1 (connection refused) after 2 "
        "tries; check that it is running, or pass the right address with --base-url."
    )
    assert sleeps == [0.5]


def test_a_slow_server_times_out_with_the_seconds_and_the_flag(fake_openai, sleeps):
    engine = OpenAIEngine(
        "gpt-4o-mini", api_key=SECRET, base_url=fake_openai.base_url, timeout=0.3, sleep=sleeps
    )
    fake_openai.enqueue(reply("Too late.", delay=3))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, EngineTimeout)
    assert failure.exit_code == 23
    assert str(failure) == (
        f"The server at {fake_openai.base_url} did not answer within 0.3 s; "
        "raise --timeout, or try again later."
    )
    assert sleeps == []  # a timeout already spent the user's whole budget: not retried


def test_a_body_that_is_not_json_is_invalid_model_output(engine, fake_openai):
    fake_openai.enqueue(malformed())

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, InvalidModelOutput)
    assert failure.exit_code == 26
    assert str(failure) == (
        f"The server at {fake_openai.base_url} sent a response that is not valid JSON "
        "(Expecting value at character 33); check that --base-url points to an "
        "OpenAI-compatible API."
    )


def test_json_that_is_not_a_chat_completion_is_invalid_model_output(engine, fake_openai):
    fake_openai.enqueue(malformed(b'{"status": "ok"}'))

    failure = error_of(lambda: engine.complete(make_request()))

    assert str(failure) == (
        f"The server at {fake_openai.base_url} sent a chat completion without choices; "
        "check that it is an OpenAI-compatible API."
    )


def test_a_context_overflow_says_how_to_split(engine, fake_openai):
    fake_openai.enqueue(context_length_exceeded(8192, 9000))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, ContextOverflow)
    assert failure.exit_code == 25
    assert str(failure) == (
        "The prompt is too long for model 'gpt-4o-mini' (This model's maximum context length is "
        "8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length "
        "of the messages.); set --context-window to the model's real limit so summbot splits "
        "the article, or use a model with a larger context window."
    )


def test_other_bad_requests_quote_the_server(engine, fake_openai):
    fake_openai.enqueue(error(400, "messages[0].role must be one of system, user."))

    failure = error_of(lambda: engine.complete(make_request()))

    assert str(failure) == (
        f"The server at {fake_openai.base_url} rejected the request (400: messages[0].role must "
        "be one of system, user.); check --model and the server's documentation."
    )


# --------------------------------------------------------------------------- models and parameters


def test_reasoning_models_get_max_completion_tokens_and_no_temperature(fake_openai, sleeps):
    engine = OpenAIEngine("o3-mini", api_key=SECRET, base_url=fake_openai.base_url, sleep=sleeps)

    engine.complete(make_request(max_output_tokens=900))

    sent = fake_openai.chat_requests[0].json
    assert sent["max_completion_tokens"] == 900
    assert "max_tokens" not in sent
    assert "temperature" not in sent


@pytest.mark.parametrize(
    ("model", "reasoning"),
    [
        ("o1", True),
        ("o3-mini", True),
        ("o4-mini-2025-04-16", True),
        ("gpt-5", True),
        ("openai/gpt-5-mini", True),
        ("gpt-4o-mini", False),
        ("llama3.1:8b", False),
    ],
)
def test_knows_reasoning_models_by_name(model, reasoning):
    assert is_reasoning_model(model) is reasoning


def test_switches_to_max_completion_tokens_when_max_tokens_is_refused(engine, fake_openai):
    fake_openai.enqueue(unsupported_parameter("max_tokens"), reply("a"), reply("b"))

    engine.complete(make_request())
    engine.complete(make_request())

    sent = [r.json for r in fake_openai.chat_requests]
    assert ["max_tokens" in body for body in sent] == [True, False, False]
    assert [body.get("max_completion_tokens") for body in sent] == [None, 1024, 1024]


def test_drops_temperature_when_the_model_refuses_it(engine, fake_openai):
    fake_openai.enqueue(unsupported_parameter("temperature"), reply("a"))

    engine.complete(make_request())

    assert [("temperature" in r.json) for r in fake_openai.chat_requests] == [True, False]


# --------------------------------------------------------------------------- keys and secrets


def test_no_key_and_no_base_url_is_a_config_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)

    with pytest.raises(ConfigError) as caught:
        OpenAIEngine("gpt-4o-mini")

    assert caught.value.exit_code == 12
    assert str(caught.value) == (
        "No API key: set OPENAI_API_KEY (or put it in .env), or use --engine extractive to work "
        "offline."
    )


def test_a_local_server_without_a_key_gets_a_placeholder(fake_openai, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    engine = OpenAIEngine("llama3.1:8b", base_url=fake_openai.base_url)

    engine.complete(make_request())

    assert fake_openai.chat_requests[0].headers["authorization"] == "Bearer not-needed"


def test_reads_the_key_and_base_url_from_the_environment(fake_openai, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url + "/")

    engine = OpenAIEngine("gpt-4o-mini")
    engine.complete(make_request())

    assert engine.base_url == fake_openai.base_url
    assert fake_openai.chat_requests[0].headers["authorization"] == f"Bearer {SECRET}"


def test_the_key_never_appears_in_messages_logs_reprs_or_recordings(
    fake_openai, sleeps, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    leaky = error(401, f"Incorrect API key provided: {SECRET}.", code="invalid_api_key")
    leaky_400 = error(400, f"Key {SECRET} cannot use this parameter.")
    fake_openai.enqueue(
        leaky,
        leaky_400,
        rate_limited(retry_after=0),
        server_error(),
        reply("ok"),
        stream(["a", "b"]),
        cut_stream(["x"]),
        reply("late", delay=2),
    )
    engine = OpenAIEngine(
        "gpt-4o-mini", api_key=SECRET, base_url=fake_openai.base_url, timeout=0.3, sleep=sleeps
    )
    recorder = RecordingEngine(engine, tmp_path / "cassettes")
    outputs = [repr(engine), repr(recorder)]
    for attempt in range(6):
        try:
            outputs.append(
                repr(recorder.complete(make_request(stream=attempt > 2), lambda p: None))
            )
        except SummbotError as failure:
            outputs.append(str(failure))
            outputs.append(repr(failure))

    assert any("rejected the API key" in text for text in outputs)
    written = [path.read_text() for path in (tmp_path / "cassettes").iterdir()]
    assert len(written) == 2
    everything = "\n".join(outputs + written + [caplog.text])
    assert SECRET not in everything
    assert "DISTINCTIVE" not in everything
    assert all(r.headers["authorization"] == f"Bearer {SECRET}" for r in fake_openai.chat_requests)


def test_importing_the_engine_module_does_not_import_openai():
    code = (
        "import sys, summbot.engines.openai, summbot.engines.replay; print('openai' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- the wire


def test_the_wire_body_and_key_ignore_transport_options():
    request = make_request(stream=True, schema=schemas.SUMMARY)
    with_usage = wire_body(request, "gpt-4o-mini", stream=True)
    without = dict(with_usage)
    del without["stream_options"]

    assert request_key(with_usage) == request_key(without)
    assert request_key(with_usage) != request_key(wire_body(request, "gpt-4o-mini", stream=False))
    assert request_key(with_usage) != request_key(wire_body(request, "gpt-4o", stream=True))


def test_the_repr_names_the_model_and_server_only(fake_openai):
    engine = OpenAIEngine("gpt-4o-mini", api_key=SECRET, base_url=fake_openai.base_url)

    assert repr(engine) == f"OpenAIEngine(model='gpt-4o-mini', base_url='{fake_openai.base_url}')"


def test_a_fresh_server_answers_with_the_default_behaviour(engine, fake_openai):
    fake_openai.default = lambda body: reply(f"echo {body['model']}")

    assert engine.complete(make_request()).text == "echo gpt-4o-mini"


def test_fake_server_shuts_down_promptly_with_a_delayed_request_pending():
    server = FakeOpenAIServer(default=reply("slow", delay=30)).start()
    engine = OpenAIEngine("gpt-4o-mini", api_key=SECRET, base_url=server.base_url, timeout=0.2)
    with pytest.raises(EngineTimeout):
        engine.complete(make_request())
    server.stop()  # must not wait out the 30 s delay


def test_the_sdk_client_reaches_the_batch_api_with_the_engines_settings(engine, fake_openai):
    client = engine.client()

    uploaded = client.files.create(file=("requests.jsonl", b"{}\n"), purpose="batch")

    assert uploaded.purpose == "batch"
    assert client.max_retries == 0  # summbot's callers retry, not the SDK
    assert fake_openai.requests[0].headers["authorization"] == f"Bearer {SECRET}"


def test_a_retry_after_date_is_honoured(engine, fake_openai, sleeps):
    import email.utils
    import time

    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    fake_openai.enqueue(error(429, "slow down", headers={"Retry-After": when}), reply("ok"))

    engine.complete(make_request())

    (waited,) = sleeps
    assert 25 < waited <= 30


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (None, "This model's maximum context length is 4096 tokens. However, you requested 5000."),
        ("exceed_context_size_error", "the request exceeds the available context size"),
    ],
)
def test_context_overflow_is_recognised_in_other_servers_words(engine, fake_openai, code, message):
    fake_openai.enqueue(error(400, message, code=code))

    assert isinstance(error_of(lambda: engine.complete(make_request())), ContextOverflow)


def test_a_stream_that_ends_cleanly_but_unfinished_is_interrupted(engine, fake_openai):
    fake_openai.enqueue(cut_stream(["Half an ", "answer"], drop=False))
    pieces: list[str] = []

    failure = error_of(lambda: engine.complete(make_request(stream=True), pieces.append))

    assert isinstance(failure, StreamInterrupted)
    assert str(failure) == (
        f"The answer stream from the server at {fake_openai.base_url} stopped before the model "
        "finished (14 characters received); try again, or use --no-stream."
    )
    assert pieces == ["Half an ", "answer"]


# --------------------------------------------------------------------------- odd servers


@pytest.mark.parametrize("header", [{"Retry-After": "nan"}, {"retry-after-ms": "NaN"}])
def test_a_retry_after_that_is_not_a_number_falls_back_to_the_backoff(
    engine, fake_openai, sleeps, header
):
    # float("nan") parses, and time.sleep(nan) raises ValueError: a traceback, not a wait.
    fake_openai.enqueue(error(429, "slow down", headers=header), reply("ok"))

    assert engine.complete(make_request()).text == "ok"
    assert sleeps == [0.5]


def test_an_absurd_retry_after_is_capped_at_a_minute(engine, fake_openai, sleeps):
    fake_openai.enqueue(error(429, "slow down", headers={"Retry-After": "1e400"}), reply("ok"))

    engine.complete(make_request())

    assert sleeps == [60.0]


def test_a_200_carrying_an_error_body_reports_the_servers_error(engine, fake_openai):
    body = b'{"error": {"message": "Upstream model overloaded", "code": 502}}'
    fake_openai.enqueue(malformed(body))

    failure = error_of(lambda: engine.complete(make_request()))

    assert type(failure) is EngineError
    assert str(failure) == (
        f"The server at {fake_openai.base_url} answered with an error instead of a completion "
        "(Upstream model overloaded); try again later, or check --model."
    )


def test_a_stream_chunk_whose_delta_is_not_an_object_is_skipped(engine, fake_openai):
    body = (
        b'data: {"choices":[{"index":0,"delta":"junk"}]}\n\n'
        b'data: {"choices":[{"index":0,"delta":{"content":"Fine."},"finish_reason":"stop"}]}\n\n'
        b"data: [DONE]\n\n"
    )
    fake_openai.enqueue(Behaviour("raw", body=body, content_type="text/event-stream"))
    pieces: list[str] = []

    completion = engine.complete(make_request(stream=True), pieces.append)

    assert completion.text == "Fine."
    assert pieces == ["Fine."]


def test_credentials_in_the_base_url_never_appear_in_messages(fake_openai, sleeps):
    url = fake_openai.base_url.replace("http://", "http://bob:hunter2@")
    engine = OpenAIEngine("gpt-4o-mini", api_key=SECRET, base_url=url, sleep=sleeps)
    fake_openai.enqueue(unauthorized())

    failure = error_of(lambda: engine.complete(make_request()))

    shown = fake_openai.base_url.replace("http://", "http://***@")
    assert str(failure) == f"The server at {shown} rejected the API key (401); check OPENAI_API_KEY."
    assert repr(engine) == f"OpenAIEngine(model='gpt-4o-mini', base_url={shown!r})"


def test_an_sdk_exception_summbot_does_not_map_is_still_one_engine_error(engine, monkeypatch):
    import openai

    def fail(**_: object) -> None:
        raise openai.OpenAIError(f"something new went wrong with {SECRET}\nsecond line")

    client = engine.client()
    monkeypatch.setattr(client.chat.completions.with_streaming_response, "create", fail)

    failure = error_of(lambda: engine.complete(make_request()))

    assert type(failure) is EngineError
    assert str(failure) == (
        f"The openai client failed talking to {engine.base_url} (OpenAIError: something new "
        "went wrong with *** second line); try again, or use --debug."
    )


def test_a_tool_call_instead_of_an_answer_is_named_not_taken_for_empty_text(engine, fake_openai):
    # Taken as "" it cost a pointless JSON repair request, then blamed the model's JSON.
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "search", "arguments": "{}"}}
        ],
    }
    body = {"choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]}
    fake_openai.enqueue(malformed(json.dumps(body).encode()))

    failure = error_of(lambda: engine.complete(make_request()))

    assert isinstance(failure, InvalidModelOutput)
    assert str(failure) == (
        "The model 'gpt-4o-mini' called a tool (search) instead of answering; summbot offers "
        "no tools, so check the server's tool settings, or use another model."
    )
