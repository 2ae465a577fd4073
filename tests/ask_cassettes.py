"""The recorded model answers that ``tests/test_ask_llm.py`` replays, and the script that
authors them.

No live model is reachable while summbot is built, so these cassettes are written by hand
(``"provenance": "authored"``) in OpenAI's exact wire format by
``summbot.engines.replay.author_for_request``. Each request is the one summbot itself builds for
the question (the core runs against a scripting engine that captures it), so a change to the
answer prompt or to how the article is numbered shows up as a cassette miss; then regenerate::

    python -m tests.ask_cassettes          # rewrites tests/cassettes/ask/*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from summbot.engines.base import Completion, Engine, OnText, Request, Usage

FOLDER = Path(__file__).resolve().parent / "cassettes" / "ask"
ARTICLE = FOLDER / "museum.txt"
MODEL = "gpt-4.1-mini"


def _answer(text: str, *citations: tuple[str, str], answerable: bool = True) -> str:
    return json.dumps(
        {"answer": text, "answerable": answerable,
         "citations": [{"sentence": s, "quote": q} for s, q in citations]},
        ensure_ascii=False,
    )


GROUNDED_Q = "When will the museum reopen?"
GROUNDED = _answer("The museum will reopen on June 3, its director Maria Santos said.",
                   ("S1", "will reopen on June 3 after a two-year renovation"))

FOLLOW_UP_Q1 = "What did the renovation cost?"
FOLLOW_UP_A1 = _answer("The work cost 14 million euros.", ("S2", "The work cost 14 million euros"))
FOLLOW_UP_Q2 = "And who paid for most of it?"
FOLLOW_UP_A2 = _answer("The city council paid for most of the renovation.",
                       ("S5", "The city council paid for most of the renovation"))

REFUSAL_Q = "How many rooms does the museum have?"
REFUSAL = _answer("The article does not say.", answerable=False)

HALLUCINATION_Q = "How many people visited the museum in 2022?"
HALLUCINATION = _answer(
    "The museum drew 210,000 visitors in 2022, a record, according to Councillor Tom Hale.",
    ("S6", "the museum drew 210,000 visitors in 2022"),
    ("S6", "a record year for the museum"),
)

ATTRIBUTION_Q = "What did Santos say?"
ATTRIBUTION = _answer("Santos said the roof and every gallery were rebuilt.",
                      ("S3", "We rebuilt the roof and every gallery"))

CUT_Q = "Who will run the café?"
CUT = _answer("A local bakery will run the museum's café.",
              ("S7", "The museum's café will be run by a local bakery"))
#: The cut stream sends this many pieces of CUT, then stops without a finish_reason.
CUT_AFTER = 4

#: Conversations, each a list of (question, answer content, authoring options).
SCRIPT: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "grounded": [(GROUNDED_Q, GROUNDED, {})],
    "follow-up": [(FOLLOW_UP_Q1, FOLLOW_UP_A1, {}), (FOLLOW_UP_Q2, FOLLOW_UP_A2, {})],
    "refusal": [(REFUSAL_Q, REFUSAL, {})],
    "hallucination": [(HALLUCINATION_Q, HALLUCINATION, {})],
    "attribution": [(ATTRIBUTION_Q, ATTRIBUTION, {})],
    "cut": [(CUT_Q, CUT, {"cut_after": CUT_AFTER})],
}


class _Scripted(Engine):
    """Answers with the scripted content and keeps each request, as the replay engine will see it."""

    name = "replay"
    can_stream = True
    supports_schema = True
    reads_prompt = True

    def __init__(self, context_window: int) -> None:
        self.model = MODEL
        self.context_window = context_window
        self.next = ""
        self.requests: list[Request] = []

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        self.requests.append(request)
        return Completion(self.next, self.model, Usage(0, 0, 1))


def author_all(folder: Path = FOLDER) -> list[Path]:
    """Write every cassette of ``SCRIPT`` into ``folder`` (streamed answers: they also serve
    requests that do not stream)."""
    from summbot import qa
    from summbot.article import load_article
    from summbot.engines.openai import default_context_window
    from summbot.engines.replay import author_for_request

    for old in folder.glob("*.json"):
        old.unlink()
    article = load_article(str(ARTICLE), model=MODEL)
    written = []
    for turns in SCRIPT.values():
        engine = _Scripted(default_context_window(MODEL))
        conversation = qa.Conversation()
        for question, content, options in turns:
            engine.next = content if "cut_after" not in options else _answer("", answerable=False)
            qa.answer(article, question, engine, conversation, on_text=lambda _piece: None)
            request = engine.requests[-1]
            written.append(author_for_request(folder, request, content, model=MODEL, stream=True,
                                              created=1_767_225_600, **options))
    return written


if __name__ == "__main__":
    paths = author_all()
    print(f"wrote {len(paths)} cassettes to {FOLDER}", file=sys.stderr)
