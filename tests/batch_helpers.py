"""Articles to batch and a fake-server answer that summarises whatever it is sent.

The articles are written for these tests (short wire-style stories about invented places); the
reply function reads the numbered sentences out of the request, so every answer cites real ids
and passes the grounding checks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.fakeserver import Behaviour, reply

_TOWNS = ["Arlen", "Brisk", "Corvo", "Dunmere", "Eskby", "Falkirk Vale", "Gorran", "Hollin"]
_SUBJECTS = ["a new library", "the harbour wall", "a tram line", "the school roof", "a solar farm",
             "the river bridge", "a night bus", "the market hall"]


def article_text(number: int, title: str | None = None) -> str:
    """A short, unique news story with a title line and three paragraphs."""
    town = _TOWNS[number % len(_TOWNS)]
    subject = _SUBJECTS[(number // len(_TOWNS)) % len(_SUBJECTS)]
    cost = 10 + number
    title = title if title is not None else f"{town} council approves {subject} (story {number})"
    return (
        f"{title}\n\n"
        f"The {town} council voted on Monday to approve {subject}, officials said. "
        f"The project is expected to cost {cost} million euros over four years.\n\n"
        f"Council leader Mara Quint said the plan had been discussed for {number + 2} months. "
        f"\"We listened to every objection before deciding,\" Quint told reporters.\n\n"
        f"Opponents said the money should go to road repairs instead. "
        f"Work is due to start in the spring of {2027 + number % 3}, according to the council.\n"
    )


def write_articles(folder: Path, count: int, *, start: int = 0, suffix: str = ".txt") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = folder / f"story-{number:04d}{suffix}"
        path.write_text(article_text(number), encoding="utf-8")
        paths.append(path)
    return paths


_SENTENCE = re.compile(r"^\[(S\d+)\] (.*)$", re.MULTILINE)


def summary_answer(body: dict[str, Any]) -> str:
    """A valid answer for the request: notes on each line for a map request, else a summary
    whose points quote the first sentences."""
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    sentences = _SENTENCE.findall(text)
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
    if schema == "notes":
        return json.dumps({"notes": [{"text": sentence, "sentences": [sid]} for sid, sentence in sentences[:2]]})
    points = [{"text": sentence, "sentences": [sid]} for sid, sentence in sentences[:3]]
    return json.dumps({
        "summary": " ".join(sentence for _, sentence in sentences[:2]),
        "key_points": points,
        "headline_check": {"supported": True, "note": "The first paragraph says so."},
    })


def summarising(delay: float = 0.0, usage: dict[str, int] | None = None) -> Any:
    """A fake-server default behaviour answering every request with ``summary_answer``."""

    def behaviour(body: dict[str, Any]) -> Behaviour:
        return reply(summary_answer(body), delay=delay,
                     usage=usage or {"prompt_tokens": 500, "completion_tokens": 100})

    return behaviour
