"""Recording exchanges, authoring cassettes, and replaying them without a network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summbot import __version__, schemas
from summbot.article import Article
from summbot.engines.base import Completion, Request, Task, Usage
from summbot.engines.openai import OpenAIEngine, request_key, wire_body
from summbot.engines.replay import (
    RecordingEngine,
    ReplayEngine,
    author_cassette,
    author_for_request,
    differing_fields,
    main,
)
from summbot.errors import CassetteMiss, ConfigError, StreamInterrupted
from summbot.models import DEFAULT_MODEL
from tests.fakeserver import (
    FakeOpenAIServer,
    reply,
    stream,
    unsupported_response_format,
)

SECRET = "sk-test-RECORDER-SECRET-1234"
ARTICLE = Article("test.txt", None, None, None, None, "", [], [], [])


def make_request(question: str = "Who met?", **changes: object) -> Request:
    messages = [
        {"role": "system", "content": "Answer only from the article, in JSON."},
        {"role": "user", "content": f"<article>\nS1: The council met.\n</article>\n{question}"},
    ]
    return Request(messages=messages, task=Task("answer", ARTICLE), **changes)  # type: ignore[arg-type]


@pytest.fixture
def recorder(fake_openai: FakeOpenAIServer, tmp_path: Path) -> RecordingEngine:
    inner = OpenAIEngine("gpt-4o-mini", api_key=SECRET, base_url=fake_openai.base_url)
    return RecordingEngine(inner, tmp_path / "cassettes")


# --------------------------------------------------------------------------- recording


def test_records_the_exchange_as_readable_json_without_credentials(recorder, fake_openai):
    fake_openai.enqueue(reply("The council.", usage={"prompt_tokens": 20, "completion_tokens": 2}))

    recorder.complete(make_request(schema=schemas.ANSWER))

    (path,) = recorder.written
    text = path.read_text(encoding="utf-8")
    cassette = json.loads(text)
    sent = fake_openai.chat_requests[0]
    assert path.name == f"{request_key(sent.json)[:16]}.json"
    assert text.startswith('{\n  "provenance": "recorded",\n')
    assert cassette["key"] == request_key(sent.json)
    assert cassette["summbot_version"] == __version__
    assert cassette["recorded_at"].endswith("Z")
    assert cassette["request"] == sent.json
    assert "sent" not in cassette
    assert cassette["response"]["object"] == "chat.completion"
    assert cassette["response"]["choices"][0]["message"]["content"] == "The council."
    assert SECRET not in text
    assert "authorization" not in text.lower()
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left


def test_a_recording_replays_to_the_identical_completion(recorder, fake_openai, tmp_path):
    fake_openai.enqueue(reply('{"answer": "The council."}', finish_reason="length"))
    live = recorder.complete(make_request(schema=schemas.ANSWER))

    replayed = ReplayEngine(tmp_path / "cassettes").complete(make_request(schema=schemas.ANSWER))

    assert replayed == live
    assert replayed.finish_reason == "length"


def test_a_recorded_stream_replays_piece_by_piece(recorder, fake_openai, tmp_path):
    fake_openai.enqueue(
        stream(["The ", "coun", "cil."], usage={"prompt_tokens": 9, "completion_tokens": 3})
    )
    live_pieces: list[str] = []
    live = recorder.complete(make_request(stream=True), live_pieces.append)
    replay_pieces: list[str] = []

    replayed = ReplayEngine(tmp_path / "cassettes").complete(
        make_request(stream=True), replay_pieces.append
    )

    assert replay_pieces == live_pieces == ["The ", "coun", "cil."]
    assert replayed == live == Completion("The council.", "gpt-4o-mini", Usage(9, 3, 1), "stop")
    cassette = json.loads(recorder.written[0].read_text())
    assert [chunk["object"] for chunk in cassette["stream"]] == ["chat.completion.chunk"] * 6


def test_a_recording_made_after_a_fallback_is_keyed_by_the_original_request(
    recorder, fake_openai, tmp_path
):
    fake_openai.enqueue(unsupported_response_format(), reply("{}"))

    recorder.complete(make_request(schema=schemas.ANSWER))

    cassette = json.loads(recorder.written[0].read_text())
    assert cassette["request"]["response_format"]["type"] == "json_schema"
    assert cassette["sent"]["response_format"] == {"type": "json_object"}
    assert (
        ReplayEngine(tmp_path / "cassettes").complete(make_request(schema=schemas.ANSWER)).text
        == "{}"
    )


def test_a_replay_makes_no_requests(recorder, fake_openai, tmp_path):
    recorder.complete(make_request())
    before = len(fake_openai.requests)

    ReplayEngine(tmp_path / "cassettes", model="gpt-4o-mini").complete(make_request())

    assert len(fake_openai.requests) == before


# --------------------------------------------------------------------------- misses


def test_a_miss_names_the_key_the_directory_and_the_closest_recording(recorder, tmp_path):
    recorder.complete(make_request("Who met?"))
    recorder.complete(make_request("Where?", temperature=0.7))
    closest = recorder.written[0].name
    replay = ReplayEngine(tmp_path / "cassettes")
    wanted = make_request("Who met on Monday?")
    key = request_key(wire_body(wanted, "gpt-4o-mini", stream=False))[:16]

    with pytest.raises(CassetteMiss) as caught:
        replay.complete(wanted)

    assert caught.value.exit_code == 28
    directory = tmp_path / "cassettes"
    assert str(caught.value) == (
        f"No recording for this request (key {key}) in {directory}; closest: {closest} "
        f"(differs in: messages[1]). Record it with --record {directory} and --engine openai "
        "(needs OPENAI_API_KEY), or author it with python -m summbot.engines.replay author."
    )


def test_a_miss_in_an_empty_directory_says_it_is_empty(tmp_path):
    replay = ReplayEngine(tmp_path)

    with pytest.raises(CassetteMiss) as caught:
        replay.complete(make_request())

    key = request_key(wire_body(make_request(), DEFAULT_MODEL, stream=False))[:16]
    assert replay.model == DEFAULT_MODEL
    assert str(caught.value) == (
        f"No recording for this request (key {key}) in {tmp_path}; the directory has no "
        f"cassettes. Record it with --record {tmp_path} and --engine openai (needs "
        "OPENAI_API_KEY), or author it with python -m summbot.engines.replay author."
    )


def test_differing_fields_name_the_model_and_each_message():
    a = wire_body(make_request("One?"), "gpt-4o-mini", stream=False)
    b = wire_body(make_request("Two?", temperature=0.5), "gpt-4o", stream=True)

    assert differing_fields(a, b) == ["model", "messages[1]", "temperature", "stream"]


def test_a_missing_cassette_directory_is_a_config_error(tmp_path):
    missing = tmp_path / "nope"

    with pytest.raises(ConfigError) as caught:
        ReplayEngine(missing)

    assert str(caught.value) == (
        f"Cassette directory {missing} does not exist; pass the folder of recordings with "
        f"--cassettes DIR, or record one with --record {missing}."
    )


def test_a_cassette_without_provenance_is_refused(tmp_path):
    path = author_cassette(
        tmp_path, wire_body(make_request(), "gpt-4o-mini", stream=False), "x", model="gpt-4o-mini"
    )
    data = json.loads(path.read_text())
    del data["provenance"]
    path.write_text(json.dumps(data))

    with pytest.raises(CassetteMiss) as caught:
        ReplayEngine(tmp_path, model="gpt-4o-mini").complete(make_request())

    assert str(caught.value) == (
        f'Cassette {path} has provenance None; expected "recorded" or "authored" '
        "(say how it was made)."
    )


def test_a_broken_cassette_file_is_named(tmp_path):
    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    path = tmp_path / f"{request_key(body)[:16]}.json"
    path.write_text("{ not json")

    with pytest.raises(CassetteMiss) as caught:
        ReplayEngine(tmp_path, model="gpt-4o-mini").complete(make_request())

    assert str(caught.value) == (
        f"Cassette {path} is not valid JSON (line 1: Expecting property name enclosed in double "
        "quotes); fix or delete it."
    )


def test_a_renamed_cassette_still_answers_its_request(tmp_path):
    # Cassettes were found by file name only, so one renamed for readability was invisible.
    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    path = author_cassette(tmp_path, body, "The council met.", model="gpt-4o-mini")
    path.rename(tmp_path / "council-question.json")

    completion = ReplayEngine(tmp_path, model="gpt-4o-mini").complete(make_request())

    assert completion.text == "The council met."


def test_of_two_cassettes_for_one_request_the_one_named_by_its_key_answers(tmp_path):
    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    path = author_cassette(tmp_path, body, "The original.", model="gpt-4o-mini")
    copy = json.loads(path.read_text())
    copy["response"]["choices"][0]["message"]["content"] = "An edited copy."
    (tmp_path / "0-copy.json").write_text(json.dumps(copy))

    completion = ReplayEngine(tmp_path, model="gpt-4o-mini").complete(make_request())

    assert completion.text == "The original."


def test_a_cassette_answers_the_request_it_holds_not_the_key_it_claims(tmp_path):
    # A hand-edited request keeps its old "key" and file name; the request is what counts.
    old = wire_body(make_request("Who met?"), "gpt-4o-mini", stream=False)
    path = author_cassette(tmp_path, old, "The council met.", model="gpt-4o-mini")
    edited = json.loads(path.read_text())
    edited["request"] = wire_body(make_request("When?"), "gpt-4o-mini", stream=False)
    path.write_text(json.dumps(edited))
    engine = ReplayEngine(tmp_path, model="gpt-4o-mini")

    assert engine.complete(make_request("When?")).text == "The council met."
    with pytest.raises(CassetteMiss):
        engine.complete(make_request("Who met?"))


# --------------------------------------------------------------------------- authoring


def test_an_authored_cassette_is_in_openais_wire_format_and_says_it_was_authored(tmp_path):
    body = wire_body(make_request(schema=schemas.ANSWER), "gpt-4o-mini", stream=False)

    path = author_cassette(
        tmp_path,
        body,
        '{"answer": "The council."}',
        model="gpt-4o-mini",
        usage={"prompt_tokens": 50, "completion_tokens": 7},
        created=1_760_000_000,
    )

    cassette = json.loads(path.read_text())
    key = request_key(body)
    assert path.name == f"{key[:16]}.json"
    assert cassette["provenance"] == "authored"
    assert cassette["request"] == body
    assert cassette["response"] == {
        "id": f"chatcmpl-authored-{key[:16]}",
        "object": "chat.completion",
        "created": 1_760_000_000,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": '{"answer": "The council."}',
                    "refusal": None,
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 7, "total_tokens": 57},
        "system_fingerprint": None,
    }
    completion = ReplayEngine(tmp_path).complete(make_request(schema=schemas.ANSWER))
    assert completion == Completion('{"answer": "The council."}', "gpt-4o-mini", Usage(50, 7, 1))


def test_an_authored_cassette_counts_usage_with_the_models_tokenizer(tmp_path):
    from summbot.tokens import counter_for_model

    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    path = author_cassette(tmp_path, body, "The council met.", model="gpt-4o-mini")

    usage = json.loads(path.read_text())["response"]["usage"]
    counter = counter_for_model("gpt-4o-mini")
    expected_prompt = 3 + sum(
        3 + counter.count(m["content"]) + counter.count(m["role"]) for m in body["messages"]
    )
    assert usage == {
        "prompt_tokens": expected_prompt,
        "completion_tokens": counter.count("The council met."),
        "total_tokens": expected_prompt + counter.count("The council met."),
    }


def test_an_authored_stream_replays_in_pieces_that_join_to_the_answer(tmp_path):
    body = wire_body(make_request(stream=True), "gpt-4o-mini", stream=True)
    author_cassette(tmp_path, body, "The council met\non Monday.", model="gpt-4o-mini")
    pieces: list[str] = []

    completion = ReplayEngine(tmp_path).complete(make_request(stream=True), pieces.append)

    assert pieces == ["The ", "council ", "met\n", "on ", "Monday."]
    assert completion.text == "The council met\non Monday."
    assert completion.usage.requests == 1
    assert completion.usage.prompt_tokens > 0


def test_an_authored_cut_stream_replays_as_stream_interrupted(tmp_path):
    body = wire_body(make_request(stream=True), "gpt-4o-mini", stream=True)
    path = author_cassette(
        tmp_path, body, "The council met on Monday.", model="gpt-4o-mini", cut_after=2
    )
    pieces: list[str] = []

    with pytest.raises(StreamInterrupted) as caught:
        ReplayEngine(tmp_path).complete(make_request(stream=True), pieces.append)

    assert pieces == ["The ", "council "]
    assert str(caught.value) == (
        f"The answer stream from cassette {path} stopped before the model finished "
        "(12 characters received); try again, or use --no-stream."
    )


def test_a_plain_recording_answers_a_streamed_request_in_one_piece(tmp_path):
    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    author_cassette(tmp_path, body, "The council met.", model="gpt-4o-mini")
    pieces: list[str] = []

    completion = ReplayEngine(tmp_path).complete(make_request(stream=True), pieces.append)

    assert pieces == ["The council met."]
    assert completion.text == "The council met."


def test_replay_uses_the_model_the_cassettes_were_made_with(tmp_path):
    body = wire_body(make_request(), "o3-mini", stream=False)
    author_cassette(tmp_path, body, "Reasoned.", model="o3-mini")

    replay = ReplayEngine(tmp_path)

    assert replay.model == "o3-mini"
    assert replay.complete(make_request()).text == "Reasoned."
    assert "max_completion_tokens" in body
    assert "temperature" not in body


def test_the_authoring_command_writes_and_lists_cassettes(tmp_path, capsys):
    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    request_file = tmp_path / "body.json"
    request_file.write_text(json.dumps(body))
    answer_file = tmp_path / "answer.txt"
    answer_file.write_text("The council met.")
    folder = tmp_path / "cassettes"

    assert (
        main(
            [
                "author",
                str(folder),
                "--request",
                str(request_file),
                "--content",
                str(answer_file),
                "--prompt-tokens",
                "30",
                "--completion-tokens",
                "4",
            ]
        )
        == 0
    )
    written = Path(capsys.readouterr().out.strip())
    assert main(["list", str(folder)]) == 0

    assert written == folder / f"{request_key(body)[:16]}.json"
    assert capsys.readouterr().out == (
        f"{written.stem}  authored  gpt-4o-mini  json    <article> S1: The council met. </article> Who met?\n"
    )
    assert ReplayEngine(folder).complete(make_request()).usage == Usage(30, 4, 1)


def test_a_miss_can_save_the_request_body_for_authoring(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMBOT_SAVE_MISSES", "1")
    replay = ReplayEngine(tmp_path, model="gpt-4o-mini")
    body = wire_body(make_request(), "gpt-4o-mini", stream=False)
    key = request_key(body)[:16]
    saved = tmp_path / "misses" / f"{key}.request.json"

    with pytest.raises(CassetteMiss) as caught:
        replay.complete(make_request())
    answer = tmp_path / "answer.txt"
    answer.write_text("The council met.")
    main(["author", str(tmp_path), "--request", str(saved), "--content", str(answer)])

    assert str(caught.value) == (
        f"No recording for this request (key {key}) in {tmp_path}; the directory has no "
        f"cassettes; its request body is saved in {saved}; author the answer with python -m "
        f"summbot.engines.replay author {tmp_path} --request {saved} --content ANSWER_FILE."
    )
    assert json.loads(saved.read_text()) == body
    assert replay.complete(make_request()).text == "The council met."


def test_author_for_request_builds_the_body_the_engine_sends(tmp_path, fake_openai):
    request = make_request(schema=schemas.ANSWER)
    path = author_for_request(tmp_path, request, '{"answer": "x"}', model="gpt-4o-mini")
    live = OpenAIEngine("gpt-4o-mini", api_key=SECRET, base_url=fake_openai.base_url)
    live.complete(request)

    assert json.loads(path.read_text())["request"] == fake_openai.chat_requests[0].json


def test_cassettes_of_several_models_are_each_found_without_naming_the_model(tmp_path):
    author_for_request(tmp_path, make_request("One?"), "mini", model="gpt-4o-mini")
    author_for_request(tmp_path, make_request("Two?"), "mini again", model="gpt-4o-mini")
    author_for_request(tmp_path, make_request("Three?"), "reasoned", model="o3-mini")
    replay = ReplayEngine(tmp_path)

    answers = [replay.complete(make_request(q)) for q in ("One?", "Two?", "Three?")]

    assert replay.model == "gpt-4o-mini"  # the most common
    assert [(a.text, a.model) for a in answers] == [
        ("mini", "gpt-4o-mini"),
        ("mini again", "gpt-4o-mini"),
        ("reasoned", "o3-mini"),
    ]
