"""The loopback server itself: its models list and Batch API, driven by the real openai client."""

from __future__ import annotations

import json

import openai
import pytest

from tests.fakeserver import FakeOpenAIServer, rate_limited, reply


def client_for(server: FakeOpenAIServer) -> openai.OpenAI:
    return openai.OpenAI(api_key="sk-test", base_url=server.base_url, max_retries=0, timeout=5)


def batch_input(count: int) -> bytes:
    lines = [
        {
            "custom_id": f"article-{n}",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": f"Summarise article {n}."}],
            },
        }
        for n in range(count)
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_lists_and_retrieves_models(fake_openai):
    client = client_for(fake_openai)

    assert [m.id for m in client.models.list()] == ["gpt-4o-mini", "gpt-4o", "o3-mini"]
    assert client.models.retrieve("gpt-4o").id == "gpt-4o"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-9")


def test_a_batch_progresses_then_answers_every_line_by_custom_id(fake_openai):
    fake_openai.default = lambda body: reply(
        "Summary of " + body["messages"][0]["content"].removeprefix("Summarise ")
    )
    client = client_for(fake_openai)

    uploaded = client.files.create(file=("requests.jsonl", batch_input(3)), purpose="batch")
    batch = client.batches.create(
        input_file_id=uploaded.id,
        endpoint="/v1/chat/completions",
        completion_window="24h",
        metadata={"run": "test"},
    )
    statuses = [batch.status] + [client.batches.retrieve(batch.id).status for _ in range(3)]
    done = client.batches.retrieve(batch.id)
    lines = [json.loads(x) for x in client.files.content(done.output_file_id).text.splitlines()]

    assert uploaded.purpose == "batch"
    assert uploaded.bytes == len(batch_input(3))
    assert statuses == ["validating", "in_progress", "completed", "completed"]
    assert done.request_counts.total == 3
    assert done.request_counts.completed == 3
    assert done.error_file_id is None
    assert done.metadata == {"run": "test"}
    assert [line["custom_id"] for line in lines] == ["article-0", "article-1", "article-2"]
    assert [line["response"]["status_code"] for line in lines] == [200, 200, 200]
    assert [line["response"]["body"]["choices"][0]["message"]["content"] for line in lines] == [
        "Summary of article 0.",
        "Summary of article 1.",
        "Summary of article 2.",
    ]
    assert all(line["error"] is None for line in lines)
    assert lines[0]["response"]["body"]["object"] == "chat.completion"


def test_a_batch_can_complete_at_once_and_put_failures_in_the_error_file():
    with FakeOpenAIServer(batch_statuses=["completed"]) as server:
        server.enqueue(reply("First."), rate_limited())
        client = client_for(server)
        uploaded = client.files.create(file=("in.jsonl", batch_input(3)), purpose="batch")

        batch = client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        outputs = client.files.content(batch.output_file_id).text.splitlines()
        errors = client.files.content(batch.error_file_id).text.splitlines()

    assert batch.status == "completed"
    assert (batch.request_counts.completed, batch.request_counts.failed) == (2, 1)
    assert [json.loads(x)["custom_id"] for x in outputs] == ["article-0", "article-2"]
    (failed,) = [json.loads(x) for x in errors]
    assert failed["custom_id"] == "article-1"
    assert failed["response"]["status_code"] == 429


def test_an_expired_batch_reports_every_line_as_expired():
    with FakeOpenAIServer(batch_statuses=["in_progress", "expired"]) as server:
        client = client_for(server)
        uploaded = client.files.create(file=("in.jsonl", batch_input(2)), purpose="batch")
        batch = client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        expired = client.batches.retrieve(batch.id)
        errors = [
            json.loads(x) for x in client.files.content(expired.error_file_id).text.splitlines()
        ]

    assert (batch.status, expired.status) == ("in_progress", "expired")
    assert expired.output_file_id is None
    assert [e["error"]["code"] for e in errors] == ["batch_expired", "batch_expired"]


def test_a_batch_can_be_cancelled(fake_openai):
    client = client_for(fake_openai)
    uploaded = client.files.create(file=("in.jsonl", batch_input(1)), purpose="batch")
    batch = client.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
    )

    assert client.batches.cancel(batch.id).status == "cancelled"
    assert client.batches.retrieve(batch.id).status == "cancelled"


def test_records_every_request_with_its_headers(fake_openai):
    client = client_for(fake_openai)

    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])

    (request,) = fake_openai.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.json == {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}
