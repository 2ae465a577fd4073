"""(Re)write the cassettes in this folder from hand-written answers.

No live model is reachable where summbot is built, so these cassettes are AUTHORED: the answers
below were written by hand, in the shape a model answers summbot's prompts, and each cassette
says ``"provenance": "authored"``. They let a newcomer see the LLM engine's path (parsing,
grounding, rendering) offline. They are not a real model's output.

The request side is never written by hand: this script runs summbot's own ``summarize`` (and
``answer``) with an engine that captures each request exactly as the openai engine would send it,
so a cassette's key always matches what ``--engine replay`` looks up. Run it again after changing
a prompt template, the cleaner or the sentence splitter:

    python examples/cassettes/author.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from summbot.article import load_article
from summbot.engines.base import Completion, Engine, OnText, Request, Usage
from summbot.engines.replay import author_for_request
from summbot.models import DEFAULT_MODEL
from summbot.summarize import summarize

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent

SUMMARIES = {
    "wordpress-article.txt": {
        "summary": (
            "Port Ellery's city council voted 7 to 2 on Tuesday night to build a $48 million "
            "movable flood barrier across the mouth of the Tamsin River, to protect the Lower "
            "Marsh district from storm surges; state resilience grants and a 15-year municipal "
            "bond will pay for it. The vote follows two storms last October that flooded about "
            "340 homes. The two councillors who voted against the plan argued that the bond "
            "would tie up the city's borrowing capacity, and the state's environmental agency "
            "must still approve the design."
        ),
        "key_points": [
            {"text": "The council voted 7 to 2 to build a movable flood barrier across the mouth of the Tamsin River.", "sentences": ["S1"]},
            {"text": "The $48 million project will be paid for with state resilience grants and a 15-year municipal bond.", "sentences": ["S2"]},
            {"text": "Construction is expected to begin next spring and take about three years, according to the public works department.", "sentences": ["S3"]},
            {"text": "Two storms last October flooded about 340 homes.", "sentences": ["S6"]},
            {"text": "Councillors Ruth Abara and Tom Leclerc, who voted against the plan, argued that the bond would tie up the city's borrowing capacity and that the barrier could limit access for the fishing fleet.", "sentences": ["S11"]},
        ],
        "headline_check": {
            "supported": False,
            "note": "The body supports the approval of a $48 million flood barrier after autumn storms (S1, S2, S6), but never calls the storms a record.",
        },
    },
    "wire-story.txt": {
        "summary": (
            "The World Health Organization said on Monday that measles cases rose sharply in the "
            "first five months of the year in at least 40 countries, with more than 210,000 "
            "suspected cases between January and May, and warned that gaps in routine childhood "
            "vaccination left during the pandemic had not been closed. According to the agency, "
            "coverage with the first dose recovered to 83% worldwide, below the 86% reached in "
            "2019, and it has asked donors for an additional $150 million."
        ),
        "key_points": [
            {"text": "The WHO counted more than 210,000 suspected measles cases between January and May, nearly double the figure for the same period last year.", "sentences": ["S2"]},
            {"text": "Outbreaks were concentrated in Central Asia, parts of West Africa and several countries in Eastern Europe, the WHO said.", "sentences": ["S3"]},
            {"text": "Dr. Mireille Okonjo told reporters that about 22 million children missed their first measles dose in 2023.", "sentences": ["S4"]},
            {"text": "First-dose coverage recovered to 83% worldwide, below the 86% reached in 2019, and was 67% in low-income countries.", "sentences": ["S8", "S9"]},
            {"text": "The WHO said it had asked donors for an additional $150 million for vaccines, cold storage and outreach staff.", "sentences": ["S11"]},
        ],
        "headline_check": {
            "supported": True,
            "note": "S1 reports the WHO's warning that measles cases rose sharply because vaccination gaps had not been closed.",
        },
    },
}


QUESTIONS = {
    ("wordpress-article.txt", "What did Ferrante say?"): {
        "answer": (
            "Nadia Ferrante, a spokesperson for the mayor's office, called the barrier \u201cthe "
            "largest single investment in public safety this city has made in a generation\u201d "
            "and said residents had made clear they want to stay in their homes and be safe in them. "
            "She said the city would publish a timetable by the end of April and hold public meetings "
            "before any digging starts, that talks with the state agency had begun and the review was "
            "not expected to delay construction, and: \u201cWe will not back down on this.\u201d"
        ),
        "answerable": True,
        "citations": [
            {"sentence": "S8", "quote": "This is the largest single investment in public safety this city has made in a generation"},
            {"sentence": "S9", "quote": "people want to stay in their homes, and they want to be safe in them"},
            {"sentence": "S10", "quote": "the city would publish a timetable for the work by the end of April"},
            {"sentence": "S17", "quote": "did not expect the review to delay construction"},
            {"sentence": "S19", "quote": "We will not back down on this"},
        ],
    },
}


class Author(Engine):
    """Captures each request as the openai engine would send it, and answers it by hand."""

    name = "openai"
    can_stream = True
    supports_schema = True
    reads_prompt = True

    def __init__(self, answers: list[str]) -> None:
        self.model = DEFAULT_MODEL
        from summbot.engines.openai import default_context_window

        self.context_window = default_context_window(self.model)
        self.answers = answers
        self.written: list[Path] = []

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        content = self.answers.pop(0)
        self.written.append(author_for_request(HERE, request, content, model=self.model))
        return Completion(content, self.model, Usage(0, 0, 1))


def main() -> int:
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, answer in SUMMARIES.items():
        article = load_article(str(EXAMPLES / name), model=DEFAULT_MODEL)
        engine = Author([json.dumps(answer, ensure_ascii=False)])
        summary = summarize(article, engine)
        problems = [w for w in summary.warnings]
        print(f"{name}: {', '.join(p.name for p in engine.written)}", *problems, sep="\n  ")
        if problems:
            return 1
    from summbot.qa import answer

    for (name, question), reply in QUESTIONS.items():
        article = load_article(str(EXAMPLES / name), model=DEFAULT_MODEL)
        engine = Author([json.dumps(reply, ensure_ascii=False)])
        result = answer(article, question, engine)
        print(f"{name} / {question}: {', '.join(p.name for p in engine.written)}", *result.warnings, sep="\n  ")
        if result.warnings or not all(c.verified for c in result.citations):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
