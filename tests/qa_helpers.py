"""Articles and engines shared by the Q&A tests (test_qa, test_ask_cli, test_repl)."""

from __future__ import annotations

import threading
from typing import Any

from summbot.engines.base import Completion, OnText, Request
from tests.fakes import FakeEngine, make_article

MUSEUM_PARAGRAPHS = [
    ("The Lindqvist Museum will reopen on June 3 after a two-year renovation, its director Maria "
    "Santos said on Monday. The work cost 14 million euros."),
    ("“We rebuilt the roof and every gallery,” Santos said. She added that entry would stay free "
    "for children."),
    ("The city council paid for most of the renovation. Councillor Tom Hale said the museum drew "
    "210,000 visitors in 2022."),
    "The museum's café will be run by a local bakery.",
]


def museum() -> Any:
    """A short article: S1..S7 in four paragraphs, statements by Santos (S1, S3, S4) and Hale (S6)."""
    return make_article(MUSEUM_PARAGRAPHS, title="Lindqvist Museum to reopen in June")


def grounded(answer: str, *citations: tuple[str, str]) -> dict[str, Any]:
    """An ANSWER-schema reply citing ``(sentence, quote)`` pairs."""
    return {
        "answer": answer,
        "answerable": True,
        "citations": [{"sentence": s, "quote": q} for s, q in citations],
    }


NOT_SAID = {"answer": "The article does not say.", "answerable": False, "citations": []}


class BlockingEngine(FakeEngine):
    """A FakeEngine whose next request waits until ``release`` is set, after calling
    ``on_request`` (tests use it to press Ctrl-C while an answer is in progress)."""

    def __init__(self, on_request: Any = None) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()
        self.on_request = on_request
        self.block_next = True
        #: Set when the blocked request has returned (or failed).
        self.finished = threading.Event()

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        if self.block_next:
            self.block_next = False
            self.started.set()
            if self.on_request is not None:
                self.on_request()
            self.release.wait(10)
            try:
                return super().complete(request, on_text)
            finally:
                self.finished.set()
        return super().complete(request, on_text)
