"""Sentence-aligned chunks that fit a token budget, and the chunk plan for a model.

A long article goes to an LLM in chunks (map-reduce). Chunks are made of whole sentences so every
note can still cite ``S12``; a sentence too long for any chunk on its own is the one exception,
split at word boundaries into parts that keep the sentence's id and say which part they are.

``chunk_sentences`` guarantees, and the property tests check:

- every chunk's joined text (what is sent) counts at most ``max_tokens`` tokens, counted by the
  same counter on the same text, not estimated;
- the chunks' *new* pieces, in order, are exactly the article's sentences (parts in place of an
  over-long sentence): nothing lost, nothing repeated, except
- each chunk's first ``overlap`` pieces, declared in ``Chunk.overlap``, which repeat the pieces
  just before it (at most the ``overlap`` asked for; fewer when the budget cannot hold them).

``plan_chunks`` answers "how many requests does this article need for this model?";
``token_report`` gathers what ``summbot tokens`` shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from .errors import ConfigError

if TYPE_CHECKING:
    from .article import Article, Sentence
    from .models import ModelInfo

__all__ = [
    "DEFAULT_RESERVE",
    "Chunk",
    "ChunkPlan",
    "Piece",
    "TokenReport",
    "chunk_lines",
    "chunk_sentences",
    "numbered",
    "plain",
    "plan_chunks",
    "token_report",
]

#: Tokens kept free of article text in each request: the prompt's instructions (~500), the
#: answer (summary, points and headline check, ~1,000-1,400) and a margin for tokenizer drift.
DEFAULT_RESERVE = 2_000
#: Fewer tokens than this per chunk is not a useful chunk of an article.
MIN_BUDGET = 100

_WORD = re.compile(r"\S+")
#: Text longer than this many characters per token of budget is not worth counting whole first.
_FITS_GUESS_CHARS_PER_TOKEN = 6


class CountsTokens(Protocol):
    def count(self, text: str) -> int: ...


@dataclass(frozen=True)
class Piece:
    """A sentence, or one part of a sentence too long for a chunk on its own."""

    id: str
    text: str
    #: 1-based part number and number of parts when the sentence was split; None when whole.
    part: int | None = None
    parts: int | None = None

    @property
    def label(self) -> str:
        """``S12``, or ``S12 part 2/3``."""
        return self.id if self.part is None else f"{self.id} part {self.part}/{self.parts}"


Render = Callable[[Piece], str]


def plain(piece: Piece) -> str:
    """A piece as its bare text."""
    return piece.text


def numbered(piece: Piece) -> str:
    """A piece as the line an LLM reads: ``[S12] text`` or ``[S12 part 2/3] text``."""
    return f"[{piece.label}] {piece.text}"


@dataclass(frozen=True)
class Chunk:
    """Consecutive pieces whose joined ``text`` counts ``tokens`` tokens."""

    index: int  # 0-based
    pieces: tuple[Piece, ...]
    text: str
    tokens: int
    #: How many leading pieces repeat the end of the previous chunk (0 for the first chunk).
    overlap: int = 0

    @property
    def sentence_ids(self) -> list[str]:
        """The ids in this chunk, in order, each once (parts share their sentence's id)."""
        return list(dict.fromkeys(piece.id for piece in self.pieces))

    @property
    def new_pieces(self) -> tuple[Piece, ...]:
        """The pieces that are not overlap: across chunks these are the article exactly once."""
        return self.pieces[self.overlap :]

    @property
    def overlap_ids(self) -> list[str]:
        return list(dict.fromkeys(piece.id for piece in self.pieces[: self.overlap]))


def chunk_sentences(
    sentences: Iterable[Sentence | tuple[str, str] | Piece],
    counter: CountsTokens,
    max_tokens: int,
    overlap: int = 0,
    *,
    render: Render = plain,
    separator: str = "\n",
) -> list[Chunk]:
    """Pack sentences, in order, into chunks of at most ``max_tokens`` tokens.

    ``sentences`` are ``Sentence`` objects, ``(id, text)`` pairs or ``Piece``s. Each chunk's text
    is its pieces rendered by ``render`` and joined by ``separator``; that exact text is counted.
    ``overlap`` repeats up to that many pieces from the end of one chunk at the start of the
    next, for context across the cut. Raises ``ConfigError`` when ``max_tokens`` cannot hold
    even one character of a sentence with its label.
    """
    if max_tokens < 1:
        raise ConfigError(
            f"max_tokens={max_tokens} must be at least 1; give chunks a positive budget."
        )
    if overlap < 0:
        raise ConfigError(f"overlap={overlap} must be 0 or more sentences.")

    given = [_as_piece(item) for item in sentences]
    # Most articles fit: when the text is short enough that it might, one count settles it.
    whole = separator.join(render(piece) for piece in given)
    if given and len(whole) <= _FITS_GUESS_CHARS_PER_TOKEN * max_tokens:
        tokens = counter.count(whole)
        if tokens <= max_tokens:
            return [Chunk(0, tuple(given), whole, tokens)]

    pieces: list[Piece] = []
    rendered: list[str] = []
    costs: list[int] = []

    def add(piece: Piece, text: str, cost: int) -> None:
        pieces.append(piece)
        rendered.append(text)
        costs.append(cost)

    def fits_alone(piece: Piece) -> bool:
        return counter.count(render(piece)) <= max_tokens

    for piece in given:
        text = render(piece)
        cost = counter.count(text)
        if cost <= max_tokens:
            add(piece, text, cost)
            continue
        for part in _split_piece(piece, fits_alone, max_tokens):
            text = render(part)
            add(part, text, counter.count(text))

    # A chunk is always a run ``pieces[first:end]``: its overlap, then its new pieces.
    def exact(first: int, end: int) -> tuple[str, int]:
        text = separator.join(rendered[first:end])
        return text, counter.count(text)

    # What one join really adds, learnt from each exact count: often less than the separator
    # alone (".\n" is one token), so estimates track the tokenizer instead of undershooting.
    join_cost = float(counter.count(separator))

    def extend(end: int, estimate: float) -> int:
        while end < len(pieces) and estimate + join_cost + costs[end] <= max_tokens:
            estimate += join_cost + costs[end]
            end += 1
        return end

    def learnt(first: int, end: int, tokens: int) -> float:
        if end - first < 2:
            return join_cost
        return max(0.0, (tokens - sum(costs[first:end])) / (end - first - 1))

    chunks: list[Chunk] = []
    start = 0
    previous_first = 0
    while start < len(pieces):
        first = max(previous_first, start - overlap) if chunks else start
        while first < start and exact(first, start + 1)[1] > max_tokens:
            first += 1  # the overlap shrinks when the budget cannot hold it
        end = extend(start + 1, sum(costs[first : start + 1]) + join_cost * (start - first))
        text, tokens = exact(first, end)
        # Tokens do not always add up across a join; the exact count of the joined text decides.
        while tokens > max_tokens:
            if end - start > 1:
                end -= 1
            elif first < start:
                first += 1
            else:  # pragma: no cover - a lone piece was checked to fit above
                raise AssertionError(f"{pieces[start].label} does not fit in {max_tokens} tokens")
            text, tokens = exact(first, end)
        join_cost = learnt(first, end, tokens)
        # Room left by a cautious estimate: fill it once from the exact count, keep it if it fits.
        if end < len(pieces) and tokens + join_cost + costs[end] <= max_tokens:
            more_end = extend(end, tokens)
            more_text, more_tokens = exact(first, more_end)
            if more_tokens <= max_tokens:
                end, text, tokens = more_end, more_text, more_tokens
                join_cost = learnt(first, end, tokens)
        chunks.append(Chunk(len(chunks), tuple(pieces[first:end]), text, tokens, start - first))
        previous_first, start = first, end
    return chunks


def chunk_lines(
    lines: Sequence[tuple[str, str]], counter: CountsTokens, max_tokens: int, overlap: int = 0
) -> list[list[tuple[str, str]]]:
    """``(key, line)`` pairs packed into chunks whose lines, joined by newlines, fit ``max_tokens``.

    The lines are sent as they are (already numbered by the caller); a line too long for any
    chunk is split at word boundaries into consecutive lines with the same key.
    """
    chunks = chunk_sentences(lines, counter, max_tokens, overlap, render=plain, separator="\n")
    return [[(piece.id, piece.text) for piece in chunk.pieces] for chunk in chunks]


def _as_piece(item: Sentence | tuple[str, str] | Piece) -> Piece:
    if isinstance(item, Piece):
        return item
    if isinstance(item, tuple):
        return Piece(item[0], item[1])
    return Piece(item.id, item.text)


def _split_piece(piece: Piece, fits: Callable[[Piece], bool], max_tokens: int) -> list[Piece]:
    """Split an over-long piece at word boundaries (inside a word only when one word is too long).

    Parts are labelled ``k/n``; n is unknown until the split is done, so the split is made with
    a guess of the same number of digits and redone in the rare case the guess was wrong.
    """
    guess = 9
    for _ in range(8):

        def part_fits(number: int, text: str, total: int = guess) -> bool:
            return fits(Piece(piece.id, text, number, total))

        texts = _greedy_split(piece, part_fits, max_tokens)
        parts = [Piece(piece.id, text, k, len(texts)) for k, text in enumerate(texts, start=1)]
        if all(fits(part) for part in parts):
            return parts
        guess = max(guess, 10 ** len(str(len(texts))) - 1, len(texts))
    raise ConfigError(  # pragma: no cover - the labels would have to keep growing
        f"could not split {piece.id} into parts of at most {max_tokens} tokens; raise the budget."
    )


def _greedy_split(piece: Piece, fits: Callable[[int, str], bool], max_tokens: int) -> list[str]:
    text = piece.text
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    texts: list[str] = []
    position = words[0][0] if words else len(text)
    index = 0  # the word that ``position`` lies in
    while index < len(words):
        part = len(texts) + 1
        word_end = words[index][1]
        cut: int | None = None
        if word_end - position > _FITS_GUESS_CHARS_PER_TOKEN * max_tokens:
            # A word this long will hardly fit: find the cut inside it first, so a 100,000-character
            # blob is not counted whole again for every part.
            cut = _furthest_cut(text, position, word_end, partial(fits, part))
            whole_word = cut == word_end
        else:
            whole_word = fits(part, text[position:word_end])
        if whole_word:
            # The furthest word end that still fits: gallop, then bisect.
            low, step = index, 1
            while low + step < len(words) and fits(part, text[position : words[low + step][1]]):
                low, step = low + step, step * 2
            high = min(low + step, len(words))  # first index known (or assumed) not to fit
            while high - low > 1:
                middle = (low + high) // 2
                if fits(part, text[position : words[middle][1]]):
                    low = middle
                else:
                    high = middle
            texts.append(text[position : words[low][1]])
            index = low + 1
            position = words[index][0] if index < len(words) else len(text)
            continue
        # One word longer than the budget (a URL, a run of symbols): cut inside it.
        if cut is None:
            cut = _furthest_cut(text, position, word_end, partial(fits, part))
        if cut == position:
            raise ConfigError(
                f"a budget of {max_tokens} tokens cannot hold any of {piece.id} with its label; "
                "raise the budget (a larger --context-window)."
            )
        texts.append(text[position:cut])
        position = cut
    return texts


def _furthest_cut(text: str, position: int, end: int, fits: Callable[[str], bool]) -> int:
    """The furthest ``cut`` in ``(position, end]`` with ``text[position:cut]`` fitting, else
    ``position``. Gallops out before bisecting, so the counting costs about the cut's own size,
    not the size of everything up to ``end``."""
    low, high, step = position, end + 1, 1  # [position:low] fits; [position:high] does not
    while low < end:
        probe = min(low + step, end)
        if not fits(text[position:probe]):
            high = probe
            break
        low, step = probe, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        if fits(text[position:middle]):
            low = middle
        else:
            high = middle
    return low


@dataclass(frozen=True)
class ChunkPlan:
    """How an article is cut for one model's context window."""

    model: str
    encoding: str
    context_window: int
    reserve: int
    #: Most article tokens one request can carry: ``context_window - reserve``.
    budget: int
    #: The article as sent (numbered sentence lines), in tokens.
    article_tokens: int
    chunks: list[Chunk]

    @property
    def fits(self) -> bool:
        """True when the whole article goes in one request."""
        return len(self.chunks) <= 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "context_window": self.context_window,
            "reserve": self.reserve,
            "budget": self.budget,
            "article_tokens": self.article_tokens,
            "fits": self.fits,
            "chunks": [
                {
                    "index": c.index,
                    "sentences": [p.label for p in c.pieces],
                    "tokens": c.tokens,
                    "overlap": c.overlap,
                }
                for c in self.chunks
            ],
        }


def plan_chunks(
    article: Article,
    model: str,
    context_window: int | None = None,
    reserve: int = DEFAULT_RESERVE,
    overlap: int = 0,
) -> ChunkPlan:
    """Cut ``article`` into numbered-sentence chunks that fit ``model``'s context window.

    ``context_window`` overrides the table (a server may run the model with a smaller window).
    Raises ``ConfigError`` when the window is unknown or leaves too little room after
    ``reserve``.
    """
    from .models import model_info
    from .tokens import counter_for_model

    window = context_window
    if window is None:
        info = model_info(model)
        window = info.context_window if info else None
    if window is None:
        raise ConfigError(
            f"no context window known for model {model!r}; pass --context-window N "
            "(the window your server runs it with)."
        )
    budget = window - reserve
    if budget < MIN_BUDGET:
        raise ConfigError(
            f"a {window:,}-token context window leaves {max(budget, 0):,} tokens for the article "
            f"after {reserve:,} reserved for instructions and the answer; use a larger "
            "--context-window (at least "
            f"{reserve + MIN_BUDGET:,})."
        )
    counter = counter_for_model(model)
    whole = "\n".join(numbered(Piece(s.id, s.text)) for s in article.sentences)
    article_tokens = counter.count(whole)
    if article_tokens <= budget:
        chunks = [
            Chunk(0, tuple(Piece(s.id, s.text) for s in article.sentences), whole, article_tokens)
        ]
    else:
        chunks = chunk_sentences(article.sentences, counter, budget, overlap, render=numbered)
    return ChunkPlan(model, counter.encoding_name, window, reserve, budget, article_tokens, chunks)


@dataclass
class TokenReport:
    """What ``summbot tokens`` shows: the count, the chunk plan and the estimated input cost."""

    source: str
    title: str | None
    model: str
    tokens: int
    encoding: str
    sentences: int
    paragraphs: int
    info: ModelInfo | None
    plan: ChunkPlan | None
    #: Why there is no plan (unknown context window), when there is none.
    plan_problem: str | None
    input_cost: float | None
    prices_as_of: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``summbot tokens --format json``."""
        info = self.info
        return {
            "source": self.source,
            "title": self.title,
            "model": self.model,
            "tokens": {"count": self.tokens, "encoding": self.encoding},
            "sentences": self.sentences,
            "paragraphs": self.paragraphs,
            "plan": self.plan.to_dict() if self.plan else None,
            "plan_problem": self.plan_problem,
            "cost": {
                "input_usd": self.input_cost,
                "input_per_million": info.input_per_million if info else None,
                "prices_as_of": self.prices_as_of,
            },
        }


def token_report(
    article: Article, model: str, context_window: int | None = None, reserve: int = DEFAULT_RESERVE
) -> TokenReport:
    """Count, plan and price ``article`` for ``model``; an unknown window or price is reported."""
    from .models import estimate_cost, model_info, prices_as_of
    from .tokens import counter_for_model

    info = model_info(model)
    if article.tokens is not None:
        tokens, encoding = article.tokens.count, article.tokens.encoding
    else:
        counter = counter_for_model(model)
        tokens, encoding = counter.count(article.text), counter.encoding_name
    plan: ChunkPlan | None = None
    problem: str | None = None
    try:
        plan = plan_chunks(article, model, context_window, reserve)
    except ConfigError as error:
        problem = str(error)
    return TokenReport(
        source=article.source,
        title=article.title,
        model=model,
        tokens=tokens,
        encoding=encoding,
        sentences=len(article.sentences),
        paragraphs=len(article.paragraphs),
        info=info,
        plan=plan,
        plan_problem=problem,
        input_cost=estimate_cost(model, tokens),
        prices_as_of=prices_as_of(),
    )
