"""Summaries and key points: one request when the article fits, map-reduce when it does not.

``summarize(article, engine)`` renders the summary prompt around the article's numbered
sentences, measures prompt plus expected answer against the model's context window, and sends
one request when it fits. Otherwise the article is cut into sentence-aligned chunks, each chunk
is turned into cited notes in parallel (map), and the notes are combined into the summary
(reduce), recursing while the notes are still too long. Nothing is ever silently truncated.

Every result is checked by ``grounding``: cited ids must exist, quotes must be in the article,
numbers and names must come from it. A key point that fails is kept, marked unverified, and
warned about.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from . import grounding, schemas
from .article import Article
from .engines.base import Engine, OnText, Task, Usage
from .errors import ContextOverflow, SummbotError
from .safety import instruction_warning, neutralise_delimiters
from .structured import ShapeError, normalise_ids, request_json
from .templates import Prompts

LENGTHS = {
    "short": "1-2 sentences, about 50 words",
    "medium": "about 3 sentences, about 100 words",
    "long": "about 5-6 sentences, about 180 words",
}
#: Room left for the JSON answer (summary, points, headline check), by length.
ANSWER_TOKENS = {"short": 700, "medium": 1000, "long": 1400}
NOTES_TOKENS = 900
#: Tokens each chat message costs beyond its content, and a margin for counting drift between
#: our tokenizer and the server's.
MESSAGE_OVERHEAD = 4
SAFETY_MARGIN = 64
MAX_PARALLEL = 4


@dataclass
class KeyPoint:
    text: str
    sentences: list[str]
    verified: bool
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "sentences": list(self.sentences), "verified": self.verified}


@dataclass
class HeadlineCheck:
    supported: bool | None
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"supported": self.supported, "note": self.note}


@dataclass
class Summary:
    source: str
    title: str | None
    engine: str
    model: str
    summary: str
    key_points: list[KeyPoint]
    headline_check: HeadlineCheck | None
    usage: Usage
    warnings: list[str] = field(default_factory=list)
    #: "single" (one request) or "map-reduce (N chunks)".
    strategy: str = "single"

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract of ``summbot summarize --format json``."""
        return {
            "source": self.source,
            "title": self.title,
            "engine": self.engine,
            "model": self.model,
            "summary": self.summary,
            "key_points": [p.to_dict() for p in self.key_points],
            "headline_check": self.headline_check.to_dict() if self.headline_check else None,
            "usage": self.usage.to_dict(),
            "warnings": list(self.warnings),
        }


def format_sentences(article: Article, ids: list[str] | None = None) -> str:
    """The article as ``[S1] ...`` lines, paragraphs apart and subheadings as ``## ...``."""
    wanted = set(ids) if ids is not None else None
    headings: dict[int, list[str]] = {}
    for heading in article.headings:
        headings.setdefault(heading.paragraph, []).append(heading.text)
    lines: list[str] = []
    paragraph = 0
    for sentence in article.sentences:
        if wanted is not None and sentence.id not in wanted:
            continue
        if sentence.paragraph != paragraph:
            if lines:
                lines.append("")
            if wanted is None:
                lines.extend(f"## {h}" for h in headings.get(sentence.paragraph, []))
            paragraph = sentence.paragraph
            if wanted is None and headings.get(sentence.paragraph):
                lines.append("")
        lines.append(f"[{sentence.id}] {sentence.text}")
    return neutralise_delimiters("\n".join(lines))


def prompt_tokens(messages: list[dict[str, str]], counter: Any) -> int:
    return sum(counter.count(m["content"]) + MESSAGE_OVERHEAD for m in messages)


def summarize(
    article: Article,
    engine: Engine,
    *,
    length: str = "medium",
    points: int = 5,
    prompts: Prompts | None = None,
    context_window: int | None = None,
    on_text: OnText | None = None,
) -> Summary:
    """Summarise ``article`` with ``engine``: a summary, cited key points, a headline check.

    ``context_window`` overrides the engine's (compatible servers such as Ollama truncate
    silently, so a user who knows better says so). ``on_text`` receives the final answer's text
    as it streams, when the engine can stream.
    """
    if length not in LENGTHS:
        raise SummbotError(f"unknown length {length!r}; use short, medium or long.")
    if points < 0:
        raise SummbotError(f"number of key points {points}: use 0 or more.")
    prompts = prompts or Prompts()
    window = context_window or engine.context_window
    values = _template_values(article, length, points)
    task = Task("summary", article, length=length, points=points)
    answer_tokens = ANSWER_TOKENS[length]
    warnings: list[str] = []
    strategy = "single"

    messages = summary_messages(article, prompts, length, points)
    counter: Any = None
    if not engine.reads_prompt or window is None:
        fits = True
    else:
        from .tokens import counter_for_model

        counter = counter_for_model(engine.model)
        fits = prompt_tokens(messages, counter) + answer_tokens + SAFETY_MARGIN <= window
    if fits:
        value, usage, model = request_json(
            engine, messages, task, schemas.SUMMARY,
            max_output_tokens=answer_tokens, on_text=on_text,
            normalise=_normalise_llm_summary if engine.reads_prompt else _normalise_summary,
        )
    else:
        assert window is not None  # fits is True without a window
        value, usage, model, chunks = _map_reduce(
            article, engine, prompts, values, task, window, counter, answer_tokens, on_text
        )
        strategy = f"map-reduce ({chunks} chunks)"
        warnings.append(
            f"The article ({article.tokens.count if article.tokens else '?'} tokens) does not fit "
            f"the model's {window}-token context window; it was summarised in {chunks} parts."
        )
    return _result(article, engine, model, value, usage, warnings, strategy, points)


def _template_values(article: Article, length: str, points: int) -> dict[str, str]:
    title = neutralise_delimiters(article.title or "(untitled)")
    return {"length": LENGTHS[length], "points": str(points), "title": title}


def summary_messages(article: Article, prompts: Prompts, length: str, points: int) -> list[dict[str, str]]:
    """The messages of the one-request summary of ``article`` (what ``summarize`` sends when
    the article fits; batch measures them to skip loading a tokenizer)."""
    values = _template_values(article, length, points)
    return prompts.get("summary").render(article=format_sentences(article), **values)


def _normalise_llm_summary(value: dict[str, Any]) -> dict[str, Any]:
    summary = value.get("summary")
    if isinstance(summary, str) and not summary.strip():
        # Valid JSON, but a model's empty summary is no answer: worth the one repair request.
        # (The offline engine's empty summary means the article had nothing it would use.)
        raise ShapeError("$.summary is empty")
    return _normalise_summary(value)


def _normalise_summary(value: dict[str, Any]) -> dict[str, Any]:
    points = value.get("key_points")
    if isinstance(points, list):
        for point in points:
            if isinstance(point, dict):
                point["sentences"] = normalise_ids(point.get("sentences", []))
    check = value.get("headline_check")
    if check is None or isinstance(check, dict) and "supported" not in check:
        value["headline_check"] = {"supported": None, "note": ""}
    return value


def _normalise_notes(value: dict[str, Any]) -> dict[str, Any]:
    for note in value.get("notes", []) if isinstance(value.get("notes"), list) else []:
        if isinstance(note, dict):
            note["sentences"] = normalise_ids(note.get("sentences", []))
    return value


def _map_reduce(
    article: Article,
    engine: Engine,
    prompts: Prompts,
    values: dict[str, str],
    task: Task,
    window: int,
    counter: Any,
    answer_tokens: int,
    on_text: OnText | None,
) -> tuple[dict[str, Any], Usage, str, int]:
    from .chunking import chunk_lines

    map_template = prompts.get("map")
    overhead = prompt_tokens(map_template.render(article="", part="99", parts="99", **values), counter)
    budget = window - overhead - NOTES_TOKENS - SAFETY_MARGIN
    if budget < 200:
        raise ContextOverflow(
            f"the model's context window ({window} tokens) is too small to summarise even part "
            "of this article; use a model with a larger window or raise --context-window."
        )
    lines = [(s.id, f"[{s.id}] {neutralise_delimiters(s.text)}") for s in article.sentences]
    usage = Usage()
    model = engine.model
    first_round_chunks = 0
    while True:
        chunks = chunk_lines(lines, counter, budget)
        first_round_chunks = first_round_chunks or len(chunks)

        def take_notes(
            numbered: tuple[int, list[tuple[str, str]]], parts: int = len(chunks)
        ) -> tuple[dict[str, Any], Usage, str]:
            index, chunk = numbered
            messages = map_template.render(
                article="\n".join(text for _, text in chunk),
                part=str(index + 1),
                parts=str(parts),
                **values,
            )
            ids = [i for key, _ in chunk for i in key.split()]
            return request_json(
                engine, messages, Task("map", article, task.length, task.points, sentence_ids=ids),
                schemas.NOTES, max_output_tokens=NOTES_TOKENS, normalise=_normalise_notes,
            )

        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(chunks))) as pool:
            results = list(pool.map(take_notes, enumerate(chunks)))
        notes: list[tuple[str, str]] = []
        for value, part_usage, _ in results:
            usage = usage + part_usage
            for note in value["notes"]:
                ids = " ".join(note["sentences"]) or "?"
                notes.append((ids, f"[{ids}] {neutralise_delimiters(note['text'])}"))
        reduce_messages = prompts.get("reduce").render(
            notes="\n".join(text for _, text in notes), **values
        )
        if prompt_tokens(reduce_messages, counter) + answer_tokens + SAFETY_MARGIN <= window:
            break
        if len(notes) >= len(lines):
            raise ContextOverflow(
                f"the notes on this article do not shrink below the model's {window}-token "
                "context window; use a model with a larger window or raise --context-window."
            )
        lines = notes  # notes are still too long together: take notes on the notes
    value, reduce_usage, model = request_json(
        engine, reduce_messages, Task("reduce", article, task.length, task.points),
        schemas.SUMMARY, max_output_tokens=answer_tokens, on_text=on_text,
        normalise=_normalise_llm_summary if engine.reads_prompt else _normalise_summary,
    )
    return value, usage + reduce_usage, model, first_round_chunks


def _result(
    article: Article,
    engine: Engine,
    model: str,
    value: dict[str, Any],
    usage: Usage,
    warnings: list[str],
    strategy: str,
    limit: int,
) -> Summary:
    points = []
    # ``--points N`` is a ceiling the model may overshoot; its first N are its best.
    for number, raw in enumerate(value["key_points"][:limit], start=1):
        text = raw["text"].strip()
        problems = grounding.check_point(text, raw["sentences"], article)
        points.append(KeyPoint(text, raw["sentences"], not problems, problems))
        if problems:
            warnings.append(f"Key point {number} is unverified: {'; '.join(problems)}.")
    summary_text = value["summary"].strip()
    for problem in grounding.check_text(summary_text, article):
        warnings.append(f"The summary {problem}.")
    check = None
    if article.title:
        raw_check = value["headline_check"]
        check = HeadlineCheck(raw_check.get("supported"), str(raw_check.get("note", "")).strip())
    injected = instruction_warning(article)
    if injected:
        warnings.append(injected)
    return Summary(
        source=article.source,
        title=article.title,
        engine=engine.name,
        model=model or engine.model,
        summary=summary_text,
        key_points=points,
        headline_check=check,
        usage=usage,
        warnings=warnings,
        strategy=strategy,
    )
