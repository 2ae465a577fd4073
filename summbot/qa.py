"""Questions answered strictly from the article, with evidence checked by code.

``answer(article, question, engine)`` returns an ``Answer``: the answer text, the citations that
back it (sentence id + quote, each verified against the article), and, when the article does
not say, a refusal with the nearest passages so the reader can look for themselves.

The flow, top to bottom:

1. A "question" that asks to leave the article (ignore it, role-play, reveal instructions) is
   refused here, before any engine sees it.
2. The context: the whole article when it fits the model's context window; otherwise the most
   relevant sentences and their neighbours, in article order, within the budget. Earlier turns
   of a ``Conversation`` come along within their own token budget, oldest dropped or shortened
   first, with a notice saying so.
3. "What did X say?" questions: the sentences the article attributes to X are listed in the
   prompt, and after the answer every one of them must be cited (missing ones are added from
   the article and the addition is warned about).
4. Grounding: every citation must name a real sentence and quote it (tolerant matching); a
   quote found in another sentence is re-pointed; anything else is flagged unverified. An answer
   left with no verified evidence becomes the refusal: the model's word is never enough.

The core never prints: streaming goes to the ``on_text`` callback (the answer field only, as it
arrives), notices and warnings travel in the ``Answer``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import grounding, schemas
from .engines.base import Engine, OnText, Task, Usage
from .errors import ContextOverflow, SummbotError
from .safety import instruction_warning, neutralise_delimiters
from .structured import ShapeError, normalise_ids, partial_string_field, request_json
from .summarize import MESSAGE_OVERHEAD, SAFETY_MARGIN, format_sentences, prompt_tokens
from .templates import Prompts
from .textutil import STOPWORDS, words

if TYPE_CHECKING:
    from .article import Article

#: What an answer says when the article does not answer the question (``--refusal`` changes it).
DEFAULT_REFUSAL = "The article does not say."
#: What a request to leave the article gets, whatever the engine.
OFF_ARTICLE_REFUSAL = "I can only answer questions about this article, from its text."
#: Room left for the JSON answer.
ANSWER_TOKENS = 800
#: Tokens of earlier turns a conversation may bring into a prompt, at most.
DEFAULT_HISTORY_BUDGET = 1500
#: Passages shown beside a refusal.
NEAREST = 3
#: A shortened earlier answer keeps this many words.
CONDENSED_WORDS = 30


# --------------------------------------------------------------------------------------------
# Results.


@dataclass
class Citation:
    """One piece of evidence: a sentence id and a quote from it, checked by code."""

    sentence: str
    quote: str
    verified: bool
    #: Why it is not verified (empty when it is).
    problem: str = ""
    #: Added by summbot rather than cited by the engine (attribution completion).
    added: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "quote": self.quote, "verified": self.verified}


@dataclass
class Passage:
    """A sentence close to the question, shown with a refusal."""

    sentence: str
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "text": self.text, "score": self.score}


@dataclass
class Answer:
    question: str
    answer: str
    answerable: bool
    citations: list[Citation]
    engine: str
    model: str
    usage: Usage = field(default_factory=Usage)
    #: Things the user should know that are not problems (history shortened, chunks used).
    notices: list[str] = field(default_factory=list)
    #: Problems with the engine's answer (unverified citations, corrections, additions).
    warnings: list[str] = field(default_factory=list)
    #: The closest sentences, when the answer is a refusal.
    nearest: list[Passage] = field(default_factory=list)
    #: Why this is a refusal: None (it is not), "not_in_article" (the engine found nothing),
    #: "unverified" (the engine's answer had no verified evidence), "off_article" (the question
    #: asked to leave the article).
    refused: str | None = None
    #: The engine's own answer text when code replaced it with the refusal.
    withdrawn: str | None = None
    #: The sentence ids the engine was shown (None: the whole article).
    context_ids: list[str] | None = None

    @property
    def verified_citations(self) -> list[Citation]:
        return [c for c in self.citations if c.verified]

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract of ``summbot ask --format json``."""
        return {
            "question": self.question,
            "answer": self.answer,
            "answerable": self.answerable,
            "citations": [c.to_dict() for c in self.citations],
            "engine": self.engine,
            "model": self.model,
            "usage": self.usage.to_dict(),
            "refused": self.refused,
            "nearest": [p.to_dict() for p in self.nearest],
            "notices": list(self.notices),
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------------------------
# Conversations.


@dataclass
class Turn:
    answer: Answer
    #: Whether later questions may see this turn (requests to leave the article never do).
    in_history: bool = True


class Conversation:
    """The turns of one Q&A session, and the bounded history later questions see.

    Every turn is kept (for the transcript); what goes into a prompt is the newest turns that
    fit ``budget`` tokens, older answers shortened to their first words and the oldest dropped.
    Thread-safe: the REPL answers in a worker thread and may abandon an answer (Ctrl-C), which
    must then not land in the conversation.
    """

    def __init__(self, budget: int = DEFAULT_HISTORY_BUDGET) -> None:
        if budget < 0:
            raise SummbotError(f"history budget {budget} is negative; give 0 or more tokens.")
        self.budget = budget
        self.turns: list[Turn] = []
        self._epoch = 0
        self._reported: tuple[int, int] = (0, 0)
        self._lock = threading.Lock()
        #: Whether an answer already warned that the article reads like instructions to an AI.
        self.instructions_warned = False

    @property
    def epoch(self) -> int:
        """Changes whenever pending answers must be forgotten (``clear``, ``abandon``)."""
        return self._epoch

    def __len__(self) -> int:
        return len(self.turns)

    @property
    def last(self) -> Answer | None:
        return self.turns[-1].answer if self.turns else None

    def add(self, answer: Answer, *, in_history: bool = True, epoch: int | None = None) -> bool:
        """Record a turn; one begun before a ``clear``/``abandon`` (stale ``epoch``) is dropped."""
        with self._lock:
            if epoch is not None and epoch != self._epoch:
                return False
            self.turns.append(Turn(answer, in_history))
            return True

    def clear(self) -> None:
        """Forget every turn: the next question starts afresh."""
        with self._lock:
            self.turns.clear()
            self._epoch += 1
            self._reported = (0, 0)

    def abandon(self) -> None:
        """Make the answer in progress (if any) never land in the conversation."""
        with self._lock:
            self._epoch += 1

    def history(self, count: Callable[[str], int], budget: int | None = None) -> tuple[list[tuple[str, str]], list[str]]:
        """The (question, answer) pairs to show the engine, oldest first, and notices.

        Newest turns first get the budget in full; a turn that does not fit is shortened to
        its answer's first ``CONDENSED_WORDS`` words; once even that does not fit, it and every
        older turn are left out. A notice says so when that changes.
        """
        budget = self.budget if budget is None else min(self.budget, budget)
        with self._lock:
            turns = [t.answer for t in self.turns if t.in_history]
        kept: list[tuple[str, str]] = []
        used = condensed = 0
        dropped = 0
        for index in range(len(turns) - 1, -1, -1):
            turn = turns[index]
            cost = count(turn.question) + count(turn.answer) + 2 * MESSAGE_OVERHEAD
            if used + cost <= budget:
                kept.append((turn.question, turn.answer))
                used += cost
                continue
            short = _condense(turn.answer)
            cost = count(turn.question) + count(short) + 2 * MESSAGE_OVERHEAD
            if short != turn.answer and used + cost <= budget:
                kept.append((turn.question, short))
                used += cost
                condensed += 1
                continue
            dropped = index + 1
            break
        kept.reverse()
        notices = []
        state = (dropped, condensed)
        if state != self._reported and (dropped or condensed):
            parts = []
            if dropped:
                parts.append("the oldest turn left out" if dropped == 1 else f"the {dropped} oldest turns left out")
            if condensed:
                parts.append(f"{_plural(condensed, 'older answer')} shortened")
            notices.append(
                f"The conversation is longer than its {budget}-token memory: "
                f"{' and '.join(parts)}; /clear starts afresh."
            )
        self._reported = state
        return kept, notices


def _condense(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    tokens = first.split()
    if len(tokens) > CONDENSED_WORDS:
        return " ".join(tokens[:CONDENSED_WORDS]) + " …"
    return first if first != text.strip() else text.strip()


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --------------------------------------------------------------------------------------------
# Answering.


def answer(
    article: Article,
    question: str,
    engine: Engine,
    conversation: Conversation | None = None,
    prompts: Prompts | None = None,
    on_text: OnText | None = None,
    *,
    refusal: str = DEFAULT_REFUSAL,
    context_window: int | None = None,
) -> Answer:
    """Answer ``question`` from ``article`` with ``engine``; record the turn in ``conversation``.

    ``on_text`` receives the answer text as it streams (LLM engines that stream). The answer a
    caller gets may differ from what streamed: code withdraws an answer whose evidence does not
    check out (``Answer.withdrawn`` keeps what the engine said). ``context_window`` overrides
    the engine's.
    """
    question = " ".join(question.split())
    if not question:
        raise SummbotError("the question is empty; ask something about the article.")
    if not refusal.strip():
        raise SummbotError("the refusal text is empty; give --refusal some words, or leave it out.")
    epoch = conversation.epoch if conversation is not None else None

    from .retrieval import is_off_article_request

    if is_off_article_request(question):
        result = Answer(
            question, OFF_ARTICLE_REFUSAL, False, [], engine.name, engine.model,
            refused="off_article",
            notices=[
                ("That asks summbot to leave the article (ignore it, role-play, or reveal its "
                "instructions); summbot only answers questions about the article. No request was sent.")
            ],
        )
        if conversation is not None:
            conversation.add(result, in_history=False, epoch=epoch)
        return result

    prompts = prompts or Prompts()
    window = context_window or engine.context_window
    count = _token_counter(engine)
    notices: list[str] = []
    history: list[tuple[str, str]] = []
    if conversation is not None:
        history, history_notices = conversation.history(
            count, window // 4 if window and engine.reads_prompt else None
        )
        notices.extend(history_notices)

    # The offline engine finds attributed statements itself (the same module, from the task).
    speaker, attributed = _attribution(article, question, history) if engine.reads_prompt else (None, [])
    template = prompts.get("answer")
    values = {
        "title": neutralise_delimiters(article.title or "(untitled)"),
        "history": _format_history(history),
        "question": neutralise_delimiters(question),
        "hints": _format_hints(speaker, attributed),
    }
    context_ids: list[str] | None = None
    messages = template.render(article=format_sentences(article), **values)
    if engine.reads_prompt and window is not None:
        needed = prompt_tokens(messages, _Counter(count)) + ANSWER_TOKENS + SAFETY_MARGIN
        if needed > window:
            context_ids = _select_context(article, question, history, attributed, template, values, count, window)
            messages = template.render(article=format_sentences(article, context_ids), **values)
            total = article.tokens.count if article.tokens else count(article.text)
            notices.append(
                f"The article ({total:,} tokens) does not fit the model's {window:,}-token context "
                f"window; the answer draws on the {len(context_ids)} most relevant of its "
                f"{len(article.sentences)} sentences."
            )

    task = Task("answer", article, question=question, sentence_ids=context_ids, history=history)
    streamer = _AnswerStream(on_text) if on_text is not None else None
    value, usage, model = request_json(
        engine, messages, task, schemas.ANSWER,
        max_output_tokens=ANSWER_TOKENS, on_text=streamer.feed if streamer else None,
        normalise=_normalise_answer,
    )
    result = _checked(article, question, engine, model or engine.model, value, usage, refusal,
                      speaker, attributed)
    result.notices[:0] = notices
    result.context_ids = context_ids
    # Only a model that reads the prompt could be misled by the article's text.
    injected = instruction_warning(article, context_ids) if engine.reads_prompt else None
    if injected and not (conversation is not None and conversation.instructions_warned):
        result.warnings.append(injected)
    if conversation is not None:
        if conversation.add(result, epoch=epoch) and injected:
            conversation.instructions_warned = True
    return result


class _AnswerStream:
    """Passes on the ``answer`` field of a streamed JSON object as it grows."""

    def __init__(self, on_text: OnText) -> None:
        self.on_text = on_text
        self.buffer = ""
        self.sent = 0

    def feed(self, piece: str) -> None:
        self.buffer += piece
        text = partial_string_field(self.buffer, "answer")
        if len(text) > self.sent:
            self.on_text(text[self.sent :])
            self.sent = len(text)


class _Counter:
    """Adapts a counting function to what ``summarize.prompt_tokens`` expects."""

    def __init__(self, count: Callable[[str], int]) -> None:
        self.count = count


def _token_counter(engine: Engine) -> Callable[[str], int]:
    """The engine's model's token count; an estimate (4 characters a token) when the tokenizer
    cannot be had, so that a missing encoding never stops a question."""
    if engine.reads_prompt:
        try:
            from .tokens import counter_for_model

            counter = counter_for_model(engine.model)
            counter.count("probe")
            return counter.count
        except Exception:  # noqa: BLE001, S110 - any tokenizer failure falls back to the estimate
            pass
    return lambda text: len(text) // 4 + 1


def _normalise_answer(value: dict[str, Any]) -> dict[str, Any]:
    citations = value.get("citations")
    if isinstance(citations, list):
        for citation in citations:
            if isinstance(citation, dict):
                ids = normalise_ids(citation.get("sentence", ""))
                citation["sentence"] = ids[0] if ids else ""
                if citation.get("quote") is None:
                    citation["quote"] = ""
    if "answerable" not in value and isinstance(value.get("answer"), str):
        value["answerable"] = bool(value.get("citations"))
    if value.get("answerable") is True and isinstance(value.get("answer"), str) and not value["answer"].strip():
        # Evidence with no answer to show: worth the one repair request.
        raise ShapeError("$.answer is empty")
    return value


def _format_history(history: list[tuple[str, str]]) -> str:
    if not history:
        return ""
    lines = ["Earlier in this conversation (context for follow-up questions; answer only the new question):"]
    for question, reply in history:
        lines.append(f"Q: {neutralise_delimiters(question)}")
        lines.append(f"A: {neutralise_delimiters(reply)}")
    return "\n".join(lines) + "\n"


def _format_hints(speaker: str | None, attributed: list[Any]) -> str:
    if not speaker or not attributed:
        return ""
    ids = ", ".join(a.sentence_id for a in attributed)
    return (
        f"Sentences the article attributes to {neutralise_delimiters(speaker)} (quoted or reported): "
        f"{ids}. Give and cite every one of them, in article order.\n"
    )


# --------------------------------------------------------------------------------------------
# Attribution questions.


def _attribution(article: Article, question: str, history: list[tuple[str, str]]) -> tuple[str | None, list[Any]]:
    """The speaker a "what did X say?" question asks about and the statements the article
    attributes to them that answer it (on its topic, if it names one), in article order.

    The selection is ``summbot.attribution``'s, the same the offline engine answers with, so
    both engines agree on what counts as X's statement. (None, []) for other questions,
    including "who said ...?", whose answer is one speaker rather than every statement.
    """
    try:
        from . import attribution
    except ImportError:  # pragma: no cover - being written alongside
        return None, []
    asked = attribution.parse_attribution_question(question)
    if asked is None and history:
        from .retrieval import resolve_follow_up

        _question, previous = resolve_follow_up(question, history)
        framed = attribution.reframe_follow_up(question, previous) if previous else None
        if framed:
            asked = attribution.parse_attribution_question(framed)
    if asked is None or asked.reverse or not asked.name:
        return None, []
    reply = attribution.answer_attribution(article, asked)
    wanted = {str(c["sentence"]) for c in (reply or {}).get("citations", [])}
    unique: list[Any] = []
    for statement in attribution.statements_by(article, asked.name):
        if statement.sentence_id in wanted and all(s.sentence_id != statement.sentence_id for s in unique):
            unique.append(statement)
    unique.sort(key=lambda a: _number(a.sentence_id))
    return asked.name, unique


def _number(sentence_id: str) -> int:
    return int(sentence_id[1:]) if sentence_id[1:].isdigit() else 0


# --------------------------------------------------------------------------------------------
# Context for long articles.


def _select_context(
    article: Article,
    question: str,
    history: list[tuple[str, str]],
    attributed: list[Any],
    template: Any,
    values: dict[str, str],
    count: Callable[[str], int],
    window: int,
) -> list[str]:
    """The most relevant sentences and their neighbours that fit the window, in article order.

    Attributed statements come first (the answer must cite them all), then each sentence the
    retriever ranks, with the sentences either side of it in its paragraph, best first; any room
    left goes to the article's opening (the news lead), which frames the rest.
    """
    from .retrieval import nearest_passages, resolve_follow_up

    overhead = prompt_tokens(template.render(article="", **values), _Counter(count))
    budget = window - overhead - ANSWER_TOKENS - SAFETY_MARGIN
    if budget < 100:
        raise ContextOverflow(
            f"the model's context window ({window} tokens) leaves no room for the article after "
            "the question and the conversation; /clear the conversation, use a model with a "
            "larger window, or raise --context-window."
        )
    _, previous = resolve_follow_up(question, history)
    query = question if previous is None else f"{question} {previous}"
    ranked = [sid for sid, _score in nearest_passages(article, query, k=len(article.sentences))]
    # Room left after everything relevant goes to the article's opening, the news lead.
    relevant = set(ranked)
    ranked += [s.id for s in article.sentences if s.id not in relevant]
    order = [a.sentence_id for a in attributed] + ranked
    chosen: set[str] = set()
    used = 0
    for sid in order:
        sentence = article.sentence(sid)
        if sentence is None or sid in chosen:
            continue
        group = [sid] + [
            n.id for n in (article.sentence(f"S{sentence.number - 1}"), article.sentence(f"S{sentence.number + 1}"))
            if n is not None and n.paragraph == sentence.paragraph and n.id not in chosen
        ]
        for members in (group, [sid]):
            cost = sum(count(f"[{m}] {_text(article, m)}") + 1 for m in members)
            if used + cost <= budget:
                chosen.update(members)
                used += cost
                break
        if budget - used < 20:
            break
    if not chosen:
        raise ContextOverflow(
            f"not even one sentence of the article fits the model's context window ({window} "
            "tokens) beside the question; use a model with a larger window or raise --context-window."
        )
    return [s.id for s in article.sentences if s.id in chosen]


def _text(article: Article, sentence_id: str) -> str:
    sentence = article.sentence(sentence_id)
    return sentence.text if sentence is not None else ""


# --------------------------------------------------------------------------------------------
# Grounding the engine's answer.


def _checked(
    article: Article,
    question: str,
    engine: Engine,
    model: str,
    value: dict[str, Any],
    usage: Usage,
    refusal: str,
    speaker: str | None,
    attributed: list[Any],
) -> Answer:
    text = str(value.get("answer", "")).strip()
    warnings: list[str] = []
    citations: list[Citation] = []
    for number, raw in enumerate(value.get("citations") or [], start=1):
        citation = _check_citation(article, str(raw.get("sentence", "")), str(raw.get("quote", "")).strip())
        if citation.problem:
            warnings.append(f"Citation {number} is unverified: {citation.problem}.")
        elif citation.sentence != str(raw.get("sentence", "")):
            given = str(raw.get("sentence", "")) or "no sentence"
            warnings.append(
                f"Citation {number} named {given} but quotes {citation.sentence}; corrected to {citation.sentence}."
            )
        if any(c.sentence == citation.sentence and c.quote == citation.quote for c in citations):
            continue
        citations.append(citation)
    result = Answer(question, text, bool(value.get("answerable")), citations, engine.name, model, usage,
                    warnings=warnings)

    if attributed:
        _complete_attribution(article, result, speaker or "", attributed)
    if result.answerable and result.verified_citations:
        # The offline engine's answers are the article's own sentences; summbot's own wording
        # (attribution listings) needs no check either.
        if engine.reads_prompt and result.answer == text:
            for problem in grounding.check_text(result.answer, article):
                result.warnings.append(f"The answer {problem}.")
        return result

    # No verified evidence: the refusal, with the nearest passages instead.
    said_nothing = _folded(text) in (_folded(refusal), _folded(DEFAULT_REFUSAL), "")
    if result.answerable and not said_nothing:
        result.withdrawn = text
        result.refused = "unverified"
        result.warnings.append(
            "The engine's answer was withdrawn: none of its evidence checks out against the article."
        )
    else:
        result.refused = "not_in_article"
    result.answer = refusal
    result.answerable = False
    result.citations = []
    result.nearest = _nearest(article, question)
    return result


def _folded(text: str) -> str:
    return " ".join(text.lower().strip(" .").split())


def _check_citation(article: Article, sid: str, quote: str) -> Citation:
    if not sid or grounding.unknown_ids([sid], article):
        where = grounding.locate_quote(quote, article) if _meaningful(quote) else []
        if where:
            return Citation(where[0], quote, True)
        problem = f"{sid} is not a sentence of the article" if sid else "it names no sentence"
        return Citation(sid, quote, False, problem)
    sentence = article.sentence(sid)
    assert sentence is not None
    if not quote:
        return Citation(sid, quote, False, "it gives no quote")
    if not _meaningful(quote):
        return Citation(sid, quote, False, f"the quote “{_clip(quote)}” is only common words")
    if grounding.contains_quote(sentence.text, quote) or sid in grounding.locate_quote(quote, article):
        return Citation(sid, quote, True)
    where = grounding.locate_quote(quote, article)
    if where:
        return Citation(where[0], quote, True)
    return Citation(sid, quote, False, f"the quote “{_clip(quote)}” is not in {sid} or anywhere else in the article")


def _meaningful(quote: str) -> bool:
    """Whether a quote holds a word that could tie it to one sentence (not only stopwords)."""
    return any(w not in STOPWORDS for w in words(quote))


def _complete_attribution(article: Article, result: Answer, speaker: str, attributed: list[Any]) -> None:
    """Make every statement the article attributes to ``speaker`` part of the evidence, in
    article order; say what had to be added."""
    cited = {c.sentence for c in result.citations if c.verified}
    missing = []
    for statement in attributed:
        if statement.sentence_id in cited:
            continue
        sentence = article.sentence(statement.sentence_id)
        if sentence is None:
            continue
        quote = statement.quote_text or sentence.text
        if not grounding.contains_quote(sentence.text, quote):
            quote = sentence.text
        result.citations.append(Citation(sentence.id, quote, True, added=True))
        missing.append(sentence.id)
    result.citations.sort(key=lambda c: (not c.verified, _number(c.sentence)))
    if not missing:
        return
    if result.answerable and any(c.verified and not c.added for c in result.citations):
        result.warnings.append(
            f"The engine's answer left out {_plural(len(missing), 'statement')} the article "
            f"attributes to {speaker} ({', '.join(missing)}); added to the evidence."
        )
        return
    if result.answerable and result.answer:
        result.withdrawn = result.answer
    result.answer = (
        f"The article attributes {_plural(len(attributed), 'statement')} to {speaker}; "
        + ("it is quoted below." if len(attributed) == 1 else "they are quoted below, in article order.")
    )
    result.answerable = True
    result.warnings.append(
        f"The engine gave no verified answer; the statements the article attributes to {speaker} "
        f"({', '.join(missing)}) are listed from the article itself."
    )


def _nearest(article: Article, question: str) -> list[Passage]:
    from .retrieval import nearest_passages

    passages = []
    for sid, score in nearest_passages(article, question, k=NEAREST):
        sentence = article.sentence(sid)
        if sentence is not None:
            passages.append(Passage(sid, sentence.text, score))
    return passages


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "DEFAULT_REFUSAL",
    "OFF_ARTICLE_REFUSAL",
    "Answer",
    "Citation",
    "Conversation",
    "Passage",
    "Turn",
    "answer",
]
