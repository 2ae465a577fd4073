"""The chunker: whole sentences under a token budget, nothing lost, nothing repeated but overlap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summbot.article import build_article
from summbot.chunking import (
    DEFAULT_RESERVE,
    Chunk,
    Piece,
    chunk_lines,
    chunk_sentences,
    numbered,
    plain,
    plan_chunks,
    token_report,
)
from summbot.cleaning import Block, Cleaned
from summbot.errors import ConfigError
from summbot.tokens import counter_for_model


@dataclass
class Words:
    """One token per whitespace-separated word: easy to reason about in examples."""

    def count(self, text: str) -> int:
        return len(text.split())


@dataclass
class Lumpy:
    """Joined text costs more than its parts (newlines compound), like no real tokenizer should,
    so the chunker's exact re-count after estimating is exercised."""

    def count(self, text: str) -> int:
        return len(text.split()) + text.count("\n") ** 2 + len(text) // 50


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMBOT_OFFLINE", "1")


def ids(chunks: list[Chunk]) -> list[list[str]]:
    return [[piece.label for piece in chunk.pieces] for chunk in chunks]


def sentences(*lengths: int) -> list[tuple[str, str]]:
    """Sentences S1.. of the given word counts (``w1 w2 ... wN.``)."""
    return [
        (f"S{n}", " ".join(f"w{k}" for k in range(1, length + 1)) + ".")
        for n, length in enumerate(lengths, start=1)
    ]


def test_packs_whole_sentences_up_to_the_budget() -> None:
    chunks = chunk_sentences(sentences(3, 3, 3, 5, 1), Words(), max_tokens=6, separator=" ")
    assert ids(chunks) == [["S1", "S2"], ["S3"], ["S4", "S5"]]
    assert [c.tokens for c in chunks] == [6, 3, 6]
    assert chunks[0].text == "w1 w2 w3. w1 w2 w3."


def test_an_article_that_fits_is_one_chunk() -> None:
    chunks = chunk_sentences(sentences(2, 2), Words(), max_tokens=100)
    assert ids(chunks) == [["S1", "S2"]]
    assert (chunks[0].index, chunks[0].overlap, chunks[0].text) == (0, 0, "w1 w2.\nw1 w2.")


def test_overlap_repeats_the_last_sentences_of_the_previous_chunk() -> None:
    chunks = chunk_sentences(sentences(2, 2, 2, 2, 2), Words(), max_tokens=6, overlap=1)
    assert ids(chunks) == [["S1", "S2", "S3"], ["S3", "S4", "S5"]]
    assert [c.overlap for c in chunks] == [0, 1]
    assert chunks[1].overlap_ids == ["S3"]
    assert [p.id for p in chunks[1].new_pieces] == ["S4", "S5"]


def test_overlap_shrinks_when_the_budget_cannot_hold_it() -> None:
    chunks = chunk_sentences(sentences(3, 2, 4), Words(), max_tokens=6, overlap=2)
    assert ids(chunks) == [["S1", "S2"], ["S2", "S3"]]
    assert [c.overlap for c in chunks] == [0, 1]


def test_an_over_long_sentence_is_split_at_word_boundaries_into_labelled_parts() -> None:
    chunks = chunk_sentences(sentences(2, 7, 1), Words(), max_tokens=3, separator=" ")
    assert ids(chunks) == [["S1"], ["S2 part 1/3"], ["S2 part 2/3"], ["S2 part 3/3", "S3"]]
    assert [c.text for c in chunks] == ["w1 w2.", "w1 w2 w3", "w4 w5 w6", "w7. w1."]
    assert chunks[1].pieces[0] == Piece("S2", "w1 w2 w3", part=1, parts=3)
    assert chunks[1].sentence_ids == ["S2"]


def test_parts_are_labelled_in_the_rendered_text_and_still_fit() -> None:
    chunks = chunk_sentences(sentences(6), Words(), max_tokens=5, render=numbered)
    # The label costs three words here, leaving two for the text.
    assert [c.text for c in chunks] == [
        "[S1 part 1/3] w1 w2",
        "[S1 part 2/3] w3 w4",
        "[S1 part 3/3] w5 w6.",
    ]
    assert all(c.tokens <= 5 for c in chunks)


def test_a_single_word_longer_than_the_budget_is_cut_inside_the_word() -> None:
    class Chars:
        def count(self, text: str) -> int:
            return len(text)

    chunks = chunk_sentences([("S1", "abcdefghij klm")], Chars(), max_tokens=4)
    assert [c.text for c in chunks] == ["abcd", "efgh", "ij", "klm"]
    assert [p.part for c in chunks for p in c.pieces] == [1, 2, 3, 4]


def test_a_budget_too_small_for_any_text_is_refused() -> None:
    with pytest.raises(ConfigError) as error:
        chunk_sentences(sentences(4), Words(), max_tokens=1, render=numbered)
    assert str(error.value) == (
        "a budget of 1 tokens cannot hold any of S1 with its label; raise the budget "
        "(a larger --context-window)."
    )


def test_a_budget_below_one_token_is_refused() -> None:
    with pytest.raises(ConfigError) as error:
        chunk_sentences(sentences(1), Words(), max_tokens=0)
    assert str(error.value) == "max_tokens=0 must be at least 1; give chunks a positive budget."


def test_a_negative_overlap_is_refused() -> None:
    with pytest.raises(ConfigError) as error:
        chunk_sentences(sentences(1), Words(), max_tokens=5, overlap=-1)
    assert str(error.value) == "overlap=-1 must be 0 or more sentences."


def test_no_sentences_make_no_chunks() -> None:
    assert chunk_sentences([], Words(), max_tokens=5) == []


def test_chunk_lines_keeps_keys_and_splits_long_lines_under_the_same_key() -> None:
    lines = [("S1", "[S1] a b c"), ("S2 S3", "[S2 S3] d e f g h i"), ("S4", "[S4] j")]
    assert chunk_lines(lines, Words(), 5) == [
        [("S1", "[S1] a b c")],
        [("S2 S3", "[S2 S3] d e f")],
        [("S2 S3", "g h i"), ("S4", "[S4] j")],
    ]


def test_article_sentences_can_be_chunked_directly() -> None:
    article = _article(["One two three. Four five.", "Six seven eight nine."])
    chunks = chunk_sentences(article.sentences, Words(), max_tokens=5, render=numbered)
    assert [c.text for c in chunks] == [
        "[S1] One two three.",
        "[S2] Four five.",
        "[S3] Six seven eight nine.",
    ]


# --- invariants, for any sentences, budget, overlap and counter ---------------------------------


def check_invariants(
    items: Sequence[tuple[str, str]],
    chunks: list[Chunk],
    counter: object,
    max_tokens: int,
    overlap: int,
    render: object,
    separator: str,
) -> None:
    sequence: list[Piece] = []
    for number, chunk in enumerate(chunks):
        assert chunk.index == number
        assert chunk.pieces, "no empty chunks"
        assert chunk.text == separator.join(render(p) for p in chunk.pieces)  # type: ignore[operator]
        assert chunk.tokens == counter.count(chunk.text) <= max_tokens  # type: ignore[attr-defined]
        assert 0 <= chunk.overlap <= overlap
        assert chunk.overlap < len(chunk.pieces), "every chunk brings something new"
        if number == 0:
            assert chunk.overlap == 0
        else:
            # The overlap is exactly the pieces just before this chunk's first new one.
            assert list(chunk.pieces[: chunk.overlap]) == sequence[len(sequence) - chunk.overlap :]
        sequence.extend(chunk.new_pieces)
    # Nothing lost, nothing repeated: new pieces are the sentences in order, parts in place.
    rebuilt: list[tuple[str, str]] = []
    for piece in sequence:
        if piece.part is None or piece.part == 1:
            rebuilt.append((piece.id, piece.text))
        else:
            assert rebuilt[-1][0] == piece.id
            rebuilt[-1] = (piece.id, rebuilt[-1][1] + " " + piece.text)
    assert [i for i, _ in rebuilt] == [i for i, _ in items]
    for (_, original), (_, joined) in zip(items, rebuilt):
        assert joined.split() == original.split() or "".join(joined.split()) == "".join(
            original.split()
        )
    for piece in sequence:
        if piece.part is not None:
            assert piece.parts is not None and 1 <= piece.part <= piece.parts
            assert piece.text and piece.text == piece.text.strip()
    parts_seen = [(p.id, p.part, p.parts) for p in sequence if p.part is not None]
    for sid in {p[0] for p in parts_seen}:
        numbers = [part for i, part, _ in parts_seen if i == sid]
        assert numbers == list(range(1, len(numbers) + 1))
        assert {total for i, _, total in parts_seen if i == sid} == {len(numbers)}


_words = st.text(alphabet="abcdefghij.,\"'", min_size=1, max_size=12)
_sentence_texts = st.lists(_words, min_size=1, max_size=30).map(" ".join)
_items = st.lists(_sentence_texts, max_size=25).map(
    lambda texts: [(f"S{n}", text) for n, text in enumerate(texts, start=1)]
)


@settings(max_examples=300, deadline=None)
@given(
    _items,
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([Words(), Lumpy()]),
    st.sampled_from([" ", "\n", "\n\n"]),
)
def test_chunks_fit_lose_nothing_and_repeat_only_the_declared_overlap(
    items: list[tuple[str, str]], max_tokens: int, overlap: int, counter: object, separator: str
) -> None:
    try:
        chunks = chunk_sentences(items, counter, max_tokens, overlap, separator=separator)  # type: ignore[arg-type]
    except ConfigError:
        # Only when one character cannot fit: the Lumpy counter charges for length.
        assert isinstance(counter, Lumpy)
        return
    check_invariants(items, chunks, counter, max_tokens, overlap, plain, separator)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=300), max_size=15).map(
        lambda texts: [(f"S{n}", t) for n, t in enumerate(texts, start=1) if t.strip()]
    ),
    st.integers(min_value=24, max_value=120),
    st.integers(min_value=0, max_value=2),
)
def test_invariants_hold_with_the_real_tokenizer_and_numbered_lines(
    items: list[tuple[str, str]], max_tokens: int, overlap: int
) -> None:
    counter = counter_for_model("gpt-4o-mini")
    chunks = chunk_sentences(items, counter, max_tokens, overlap, render=numbered)
    check_invariants(items, chunks, counter, max_tokens, overlap, numbered, "\n")


# --- the plan for a model ----------------------------------------------------------------------


def _article(paragraphs: list[str]):  # type: ignore[no-untyped-def]
    return build_article(
        "story.txt",
        Cleaned("A title", None, None, None, [Block("paragraph", p) for p in paragraphs]),
    )


LONG = [
    " ".join(
        f"Sentence {p}.{n} says that the council met on Monday to discuss the budget."
        for n in range(1, 11)
    )
    for p in range(1, 21)
]


def test_a_short_article_fits_the_default_models_window_in_one_request() -> None:
    plan = plan_chunks(_article(["The council met. It voted."]), "gpt-4.1-mini")
    assert (plan.context_window, plan.reserve, plan.budget) == (
        1_047_576,
        DEFAULT_RESERVE,
        1_045_576,
    )
    assert plan.fits
    assert plan.article_tokens == 13
    assert plan.chunks[0].text == "[S1] The council met.\n[S2] It voted."
    assert plan.encoding == "cl100k_base (offline fallback for gpt-4.1-mini)"


def test_a_long_article_needs_chunks_for_a_small_window() -> None:
    article = _article(LONG)
    plan = plan_chunks(article, "llama3.1:8b", context_window=3_000)
    assert plan.budget == 1_000
    assert not plan.fits
    assert plan.article_tokens == 4_000  # 200 sentences of 20 tokens as numbered lines
    # ".\n" is one token, so a join costs nothing here and chunks fill to the token.
    assert [c.tokens for c in plan.chunks] == [1_000, 1_000, 1_000, 1_000]
    assert [(c.sentence_ids[0], c.sentence_ids[-1]) for c in plan.chunks] == [
        ("S1", "S50"),
        ("S51", "S100"),
        ("S101", "S150"),
        ("S151", "S200"),
    ]
    assert [p.id for c in plan.chunks for p in c.pieces] == [s.id for s in article.sentences]


def test_an_unknown_window_is_a_clear_error() -> None:
    with pytest.raises(ConfigError) as error:
        plan_chunks(_article(["Hi."]), "my-model")
    assert str(error.value) == (
        "no context window known for model 'my-model'; pass --context-window N "
        "(the window your server runs it with)."
    )


def test_a_window_smaller_than_the_reserve_is_a_clear_error() -> None:
    with pytest.raises(ConfigError) as error:
        plan_chunks(_article(["Hi."]), "gpt-4o", context_window=2_050)
    assert str(error.value) == (
        "a 2,050-token context window leaves 50 tokens for the article after 2,000 reserved for "
        "instructions and the answer; use a larger --context-window (at least 2,100)."
    )


def test_the_token_report_prices_known_models_and_admits_unknown_ones() -> None:
    article = _article(["The council met. It voted."])
    report = token_report(article, "gpt-4o-mini")
    assert (report.tokens, report.sentences, report.paragraphs) == (7, 2, 1)
    assert report.input_cost == pytest.approx(7 * 0.15 / 1_000_000)
    unknown = token_report(article, "my-model")
    assert unknown.input_cost is None and unknown.plan is None
    assert unknown.plan_problem is not None and unknown.plan_problem.startswith(
        "no context window known"
    )


def test_cutting_a_huge_word_costs_counting_in_proportion_to_its_length() -> None:
    # Cutting inside a word counted the rest of the whole word again for every part, so a
    # 100,000-character blob took seconds of tokenizing: doubling the word quadrupled the work.
    class CountingChars:
        def __init__(self) -> None:
            self.counted = 0

        def count(self, text: str) -> int:
            self.counted += len(text)
            return len(text) // 10 + 1

    work = []
    for length in (20_000, 40_000):
        counter = CountingChars()
        word = "x" * length
        chunks = chunk_sentences([("S1", word)], counter, max_tokens=50)
        assert "".join(c.pieces[0].text for c in chunks) == word
        assert all(c.tokens <= 50 for c in chunks)
        work.append(counter.counted)

    assert work[1] / work[0] < 2.5
