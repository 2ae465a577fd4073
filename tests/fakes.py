"""A fake engine with queued answers, for testing the core without a model or a server."""

from __future__ import annotations

import json
from typing import Any

from summbot.article import Article, build_article
from summbot.cleaning import Block, Cleaned
from summbot.engines.base import Completion, Engine, OnText, Request, Usage


class FakeEngine(Engine):
    """Answers requests from a queue; remembers every request in ``history``.

    Queue a string (the answer's text), a dict (sent as JSON), a ``Completion``, or an exception
    (raised). An empty queue is a test bug and fails loudly.
    """

    name = "fake"
    can_stream = True
    supports_schema = True
    reads_prompt = True

    def __init__(self, model: str = "fake-model", context_window: int | None = 128_000) -> None:
        self.model = model
        self.context_window = context_window
        self.queue: list[Any] = []
        self.history: list[Request] = []

    def enqueue(self, *answers: Any) -> FakeEngine:
        self.queue.extend(answers)
        return self

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        self.history.append(request)
        if not self.queue:
            raise AssertionError(f"FakeEngine got an unexpected request: {request.messages[-1]['content'][:200]}")
        answer = self.queue.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, Completion):
            completion = answer
        else:
            text = answer if isinstance(answer, str) else json.dumps(answer)
            completion = Completion(text, self.model, Usage(100, 20, 1))
        if on_text is not None:
            for start in range(0, len(completion.text), 7):
                on_text(completion.text[start : start + 7])
        return completion


def make_article(paragraphs: list[str], title: str | None = "A title", headings: dict[int, str] | None = None) -> Article:
    """An article from paragraphs (and headings before paragraph index i, 0-based)."""
    blocks = []
    for index, paragraph in enumerate(paragraphs):
        if headings and index in headings:
            blocks.append(Block("heading", headings[index]))
        blocks.append(Block("paragraph", paragraph))
    return build_article("test.txt", Cleaned(title, None, None, None, blocks))
