"""The sentence map: where news sentences end, and offsets that always point at the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summbot.article import build_article
from summbot.cleaning import Block, Cleaned
from summbot.sentences import split_sentences


def sentences_of(paragraph: str) -> list[str]:
    return [paragraph[start:end] for start, end in split_sentences(paragraph)]


EXAMPLES: list[tuple[str, list[str]]] = [
    # Abbreviations that do not end a sentence.
    ("U.S. officials met on Monday. They left.", ["U.S. officials met on Monday.", "They left."]),
    ("The U.S. President spoke. Nobody clapped.", ["The U.S. President spoke.", "Nobody clapped."]),
    (
        "Mr. Smith met Mrs. Jones and Dr. Brown. They talked.",
        ["Mr. Smith met Mrs. Jones and Dr. Brown.", "They talked."],
    ),
    (
        "Gen. Lee, Sen. Warren and Rep. Ocasio-Cortez spoke. Gov. Newsom did not.",
        ["Gen. Lee, Sen. Warren and Rep. Ocasio-Cortez spoke.", "Gov. Newsom did not."],
    ),
    (
        "She lives on St. Mark's Place. It is quiet.",
        ["She lives on St. Mark's Place.", "It is quiet."],
    ),
    ("The vote is on Feb. 3. It will be close.", ["The vote is on Feb. 3.", "It will be close."]),
    (
        "He went to No. 10 Downing Street. The door opened.",
        ["He went to No. 10 Downing Street.", "The door opened."],
    ),
    ("It was Smith vs. Jones. Jones won.", ["It was Smith vs. Jones.", "Jones won."]),
    (
        "Fruit, e.g. Apples, is healthy. So are nuts, i.e. Almonds.",
        ["Fruit, e.g. Apples, is healthy.", "So are nuts, i.e. Almonds."],
    ),
    (
        "The case Roe v. Wade was overturned. Protests followed.",
        ["The case Roe v. Wade was overturned.", "Protests followed."],
    ),
    (
        "Acme Corp. Chief Executive Jane Roe resigned. Shares fell.",
        ["Acme Corp. Chief Executive Jane Roe resigned.", "Shares fell."],
    ),
    (
        "Martin Luther King Jr. Day is a holiday. Schools close.",
        ["Martin Luther King Jr. Day is a holiday.", "Schools close."],
    ),
    (
        "Sen. Elizabeth Warren (D-Mass.) spoke first. Others followed.",
        ["Sen. Elizabeth Warren (D-Mass.) spoke first.", "Others followed."],
    ),
    (
        "The meeting is at 10 a.m. Eastern time. Bring coffee.",
        ["The meeting is at 10 a.m. Eastern time.", "Bring coffee."],
    ),
    # Abbreviations that do end a sentence when a sentence follows.
    (
        "The talks were held in the U.S. The talks failed.",
        ["The talks were held in the U.S.", "The talks failed."],
    ),
    (
        "It ended at 5 p.m. The next day it resumed.",
        ["It ended at 5 p.m.", "The next day it resumed."],
    ),
    (
        "He works for Apple Inc. The company declined to comment.",
        ["He works for Apple Inc.", "The company declined to comment."],
    ),
    (
        "They sell apples, pears, etc. But not plums.",
        ["They sell apples, pears, etc.", "But not plums."],
    ),
    (
        "She moved to the U.K. In 2019 she returned.",
        ["She moved to the U.K.", "In 2019 she returned."],
    ),
    # Initials.
    (
        "J. R. R. Tolkien wrote it. Readers loved it.",
        ["J. R. R. Tolkien wrote it.", "Readers loved it."],
    ),
    (
        "The photo was taken by Michael A. McCoy. It ran on Monday.",
        ["The photo was taken by Michael A. McCoy.", "It ran on Monday."],
    ),
    (
        "George W. Bush and John F. Kennedy were presidents. Both were famous.",
        ["George W. Bush and John F. Kennedy were presidents.", "Both were famous."],
    ),
    (
        "She got a grade of A. The teacher was pleased.",
        ["She got a grade of A.", "The teacher was pleased."],
    ),
    # Decimals and numbers.
    (
        "Growth was 3.5 percent. Inflation was 2.1%.",
        ["Growth was 3.5 percent.", "Inflation was 2.1%."],
    ),
    (
        "The deal is worth $1.2 billion. It closes in 2025.",
        ["The deal is worth $1.2 billion.", "It closes in 2025."],
    ),
    ("Sales rose in 2023. 2024 was worse.", ["Sales rose in 2023.", "2024 was worse."]),
    (
        "Visit www.example.com for details. It is free.",
        ["Visit www.example.com for details.", "It is free."],
    ),
    # Ellipses.
    (
        "He paused... and then said nothing. We waited.",
        ["He paused... and then said nothing.", "We waited."],
    ),
    (
        "The answer was unclear… The next day it was clear.",
        ["The answer was unclear…", "The next day it was clear."],
    ),
    ("It went on and on . . . Then it stopped.", ["It went on and on . . .", "Then it stopped."]),
    ("Prices… rose sharply.", ["Prices… rose sharply."]),
    (
        '"I think... I know," he said. Then he left.',
        ['"I think... I know," he said.', "Then he left."],
    ),
    ("“I think… We know,” he said.", ["“I think… We know,” he said."]),
    ("“Done.” He paused... The end.", ["“Done.”", "He paused...", "The end."]),
    # More abbreviations met in news copy.
    (
        "He flew to Washington, D.C. The next day he left.",
        ["He flew to Washington, D.C.", "The next day he left."],
    ),
    (
        "Sen. John McCain, R-Ariz., spoke. It was brief.",
        ["Sen. John McCain, R-Ariz., spoke.", "It was brief."],
    ),
    ("The tower is 1,000 ft. The view is wide.", ["The tower is 1,000 ft.", "The view is wide."]),
    ("See Fig. 3 for details. It is clear.", ["See Fig. 3 for details.", "It is clear."]),
    ("It weighs approx. 5 tonnes. Lift it.", ["It weighs approx. 5 tonnes.", "Lift it."]),
    (
        "They met in Jan. The deal closed in March.",
        ["They met in Jan.", "The deal closed in March."],
    ),
    ("He was ranked No. 1. Then he lost.", ["He was ranked No. 1.", "Then he lost."]),
    (
        "The results came in the U.S. Mr. Biden spoke.",
        ["The results came in the U.S.", "Mr. Biden spoke."],
    ),
    # Quotations.
    ('"We won." The crowd cheered.', ['"We won."', "The crowd cheered."]),
    ("“We won.” The crowd cheered.", ["“We won.”", "The crowd cheered."]),
    ('"We will win the vote." Miller said.', ['"We will win the vote." Miller said.']),
    (
        '"It is over... we are done." Miller said. He left.',
        ['"It is over... we are done." Miller said.', "He left."],
    ),
    ('"Why now?" she asked. Nobody answered.', ['"Why now?" she asked.', "Nobody answered."]),
    ('"Why now?" Miller asked. Nobody answered.', ['"Why now?" Miller asked.', "Nobody answered."]),
    (
        '"Stop!" shouted the officer. Everyone froze.',
        ['"Stop!" shouted the officer.', "Everyone froze."],
    ),
    (
        "“We are not involved,” a spokesperson said. Trade continues.",
        ["“We are not involved,” a spokesperson said.", "Trade continues."],
    ),
    ('He said: "It is done." Then he left.', ['He said: "It is done."', "Then he left."]),
    ("He left. “It is done,” he said.", ["He left.", "“It is done,” he said."]),
    ("'We won.' The coach smiled.", ["'We won.'", "The coach smiled."]),
    (
        '"We won." The coach said the team played well.',
        ['"We won."', "The coach said the team played well."],
    ),
    # Question and exclamation marks.
    ("Really? Yes. Wow! That is big.", ["Really?", "Yes.", "Wow!", "That is big."]),
    ("Is it over?! Nobody knows.", ["Is it over?!", "Nobody knows."]),
    ("What now? he wondered.", ["What now? he wondered."]),
    # Brackets.
    (
        "(He declined to comment.) The meeting went on.",
        ["(He declined to comment.)", "The meeting went on."],
    ),
    (
        "The report (see page 4.) was long. It took weeks.",
        ["The report (see page 4.) was long.", "It took weeks."],
    ),
    ("He left early. (The meeting ran late.)", ["He left early.", "(The meeting ran late.)"]),
    (
        "[Editor's note: updated.] The story follows.",
        ["[Editor's note: updated.]", "The story follows."],
    ),
    # Numbered lists.
    (
        "1. Raise taxes. 2. Cut spending. 3. Wait.",
        ["1. Raise taxes.", "2. Cut spending.", "3. Wait."],
    ),
    (
        "The plan: 1. Raise taxes. 2. Cut spending.",
        ["The plan: 1. Raise taxes.", "2. Cut spending."],
    ),
    (
        "a. The first option. b. The second option.",
        ["a. The first option.", "b. The second option."],
    ),
    # Datelines, tickers, addresses and other languages' stops.
    (
        "ST. JOSEPH, Mich. (AP) — Health officials said. They acted.",
        ["ST. JOSEPH, Mich. (AP) — Health officials said.", "They acted."],
    ),
    (
        "HOME DEPOT INC. 225.86 fell. It recovered.",
        ["HOME DEPOT INC. 225.86 fell.", "It recovered."],
    ),
    (
        "Write to Jonathan.Amos@example.org today. Or call.",
        ["Write to Jonathan.Amos@example.org today.", "Or call."],
    ),
    ("See www.DearAbby.com for more.", ["See www.DearAbby.com for more."]),
    (
        "There is reason -- lots of it! -- to wonder. Yes.",
        ["There is reason -- lots of it! -- to wonder.", "Yes."],
    ),
    ("今日は晴れです。明日は雨です。", ["今日は晴れです。", "明日は雨です。"]),
    ("O prof. Carlos Nadalim apresenta.", ["O prof. Carlos Nadalim apresenta."]),
    (
        'Kvyat replied: "We did not crash." Vettel responded: "You did."',
        ['Kvyat replied: "We did not crash."', 'Vettel responded: "You did."'],
    ),
    (
        "It supports Wi-Fi 6. iPhone 11 owners benefit.",
        ["It supports Wi-Fi 6.", "iPhone 11 owners benefit."],
    ),
    (
        "It was shown by Petit et al. The study is new.",
        ["It was shown by Petit et al.", "The study is new."],
    ),
    (
        "It was shown by Petit et al. (2019) in mice.",
        ["It was shown by Petit et al. (2019) in mice."],
    ),
    # Scraping glue and whitespace.
    ("The vote passed.The senator left.", ["The vote passed.", "The senator left."]),
    (
        "  Leading and trailing space.  Two spaces between.  ",
        ["Leading and trailing space.", "Two spaces between."],
    ),
    ("One line.\nAnother line.", ["One line.", "Another line."]),
    ("No final punctuation", ["No final punctuation"]),
    ("", []),
    ("   \n ", []),
    ("...", ["..."]),
    ("?! Odd start. Fine.", ["?! Odd start.", "Fine."]),
    # The closing quotation of a real-looking article paragraph.
    (
        (
            "“Without getting too far ahead of those meetings, you can certainly expect that that "
            "is an issue that he would be expected to raise,” Miller said."
        ),
        [
            (
                "“Without getting too far ahead of those meetings, you can certainly expect that "
                "that is an issue that he would be expected to raise,” Miller said."
            )
        ],
    ),
]


@pytest.mark.parametrize(("paragraph", "expected"), EXAMPLES, ids=[e[0][:40] for e in EXAMPLES])
def test_splits_news_sentences_where_a_reader_would(paragraph: str, expected: list[str]) -> None:
    assert sentences_of(paragraph) == expected


def test_spans_are_offsets_into_the_paragraph() -> None:
    assert split_sentences("  Hi there. Bye now.  ") == [(2, 11), (12, 20)]


# Pieces that exercise every rule, glued in random orders, plus arbitrary text.
_PIECES = [
    "word",
    "Word",
    "the",
    "The",
    "U.S.",
    "U.K",
    "Mr.",
    "Dr.",
    "No.",
    "10",
    "3.5",
    "p.m.",
    "Inc.",
    "e.g.",
    "J.",
    "A.",
    "A",
    "I",
    "...",
    "…",
    ". . .",
    ".",
    "?",
    "!",
    "?!",
    '"',
    "“",
    "”",
    "'",
    "’",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\t",
    "\xa0",
    "said",
    "she",
    "Miller",
    "1.",
    "a.",
    "é",
    "—",
    "-",
    "\u2028",
    "\x1c",
]
paragraphs = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
    st.text(max_size=200),
)


def _check_spans(paragraph: str, spans: list[tuple[int, int]]) -> None:
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(paragraph)
        piece = paragraph[start:end]
        assert piece == piece.strip() and piece
        assert paragraph[position:start].strip() == ""  # only whitespace between spans
        position = end
    assert paragraph[position:].strip() == ""


@settings(max_examples=400, deadline=None)
@given(paragraphs)
def test_spans_are_ordered_stripped_and_cover_every_character(paragraph: str) -> None:
    _check_spans(paragraph, split_sentences(paragraph))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["paragraph", "paragraph", "heading"]), paragraphs),
        max_size=8,
    )
)
def test_every_article_sentence_points_at_its_own_text(blocks: list[tuple[str, str]]) -> None:
    cleaned = Cleaned(
        None,
        None,
        None,
        None,
        [Block(kind, text) for kind, text in blocks],  # type: ignore[arg-type]
    )
    article = build_article("test", cleaned)
    assert [s.id for s in article.sentences] == [
        f"S{n}" for n in range(1, len(article.sentences) + 1)
    ]
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        paragraph = article.paragraphs[sentence.paragraph - 1]
        assert sentence.text in paragraph
    # Paragraph numbers never go down, and every paragraph's sentences are all of its text.
    numbers = [s.paragraph for s in article.sentences]
    assert numbers == sorted(numbers)
    for number, paragraph in enumerate(article.paragraphs, start=1):
        own = [s.text for s in article.sentences if s.paragraph == number]
        assert "".join("".join(text.split()) for text in own) == "".join(paragraph.split())


def test_a_paragraph_of_a_built_article_keeps_its_sentence_offsets() -> None:
    cleaned = Cleaned(
        "Title",
        None,
        None,
        None,
        [
            Block("paragraph", "First one. Second one."),
            Block("heading", "Sub"),
            Block("paragraph", "Third, at 5 p.m. The fourth."),
        ],
    )
    article = build_article("x.txt", cleaned)
    assert [(s.id, s.text, s.paragraph, s.start, s.end) for s in article.sentences] == [
        ("S1", "First one.", 1, 0, 10),
        ("S2", "Second one.", 1, 11, 22),
        ("S3", "Third, at 5 p.m.", 2, 24, 40),
        ("S4", "The fourth.", 2, 41, 52),
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            'It showed the slogan "Running on empty? Running on Crumbs", after unions said so. Then it ended.',
            ['It showed the slogan "Running on empty? Running on Crumbs", after unions said so.', "Then it ended."],
        ),
        (
            "The ad read “Tired? Take a break” and was pulled. Next one.",
            ["The ad read “Tired? Take a break” and was pulled.", "Next one."],
        ),
        ('He asked: "Is it over? It is." Then quiet.', ['He asked: "Is it over?', 'It is."', "Then quiet."]),
    ],
)
def test_a_question_inside_a_quoted_title_does_not_end_the_sentence(text, expected):
    assert [text[a:b] for a, b in split_sentences(text)] == expected


# --- pathological input stays linear (the timings are in benchmarks/bench_pathological.py) ---


@pytest.mark.parametrize("run", [".", "!?", "…", "。"])
def test_a_candidate_end_never_starts_inside_a_run_of_punctuation(run: str) -> None:
    # Were a candidate tried at every dot of "....", each try would backtrack over the rest of
    # the run: 100,000 full stops took minutes. Only the run's first character may start one.
    from summbot.sentences import _CANDIDATE, _CANDIDATE_CJK

    text = "Word" + run * 50 + " Next"
    inside = range(len("Word") + 1, len("Word") + len(run) * 50)
    for pattern in (_CANDIDATE, _CANDIDATE_CJK):
        assert [i for i in inside if pattern.match(text, i)] == []


@pytest.mark.parametrize(
    "text",
    [
        "." * 100_000,
        "!?" * 50_000,
        "…" * 100_000,
        '"' + "wait... Now " * 20_000,
        "“" + "wait… Now " * 20_000,
    ],
)
def test_a_paragraph_of_punctuation_or_an_unclosed_quote_is_one_sentence(text: str) -> None:
    assert split_sentences(text) == [(0, len(text.rstrip()))]
