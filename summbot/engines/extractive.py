"""The offline engine: no key, no network, deterministic.

It reads the structured task rather than the prompt, and answers in the same JSON schema an LLM
would, so its output goes through the same parsing and grounding checks. The ranking lives in
``summbot.ranking`` (summaries, key points, headline check) and ``summbot.retrieval`` (Q&A).
"""

from __future__ import annotations

import json

from .base import Completion, Engine, OnText, Request, Usage


class ExtractiveEngine(Engine):
    name = "extractive"
    reads_prompt = False
    supports_schema = True
    model = "extractive"
    context_window = None

    def complete(self, request: Request, on_text: OnText | None = None) -> Completion:
        task = request.task
        if task.kind in ("summary", "map", "reduce"):
            from ..ranking import summarize_task

            payload = summarize_task(task)
        else:
            from ..retrieval import answer_task

            payload = answer_task(task)
        text = json.dumps(payload, ensure_ascii=False)
        if on_text is not None:
            on_text(text)
        return Completion(text=text, model=self.model, usage=Usage(requests=0))
