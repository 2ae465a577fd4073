"""Who said what: statements by a speaker, in article order, direct and reported, with pronouns."""

from __future__ import annotations

import json

import pytest

from summbot.article import Article, build_article
from summbot.attribution import (
    ANY_SPEAKER,
    Attribution,
    attributions,
    is_attribution_question,
    name_matches,
    parse_attribution_question,
    speakers,
    statements_by,
)
from summbot.cleaning import Block, Cleaned
from summbot.engines.base import Request, Task
from summbot.engines.extractive import ExtractiveEngine
from summbot.retrieval import answer_question

FERRY = [
    (
        "The Port Aldwin city council voted 7-2 on Tuesday to build a new ferry terminal on the east "
        "pier, according to council spokesperson Dana Whitfield."
    ),
    "The terminal will cost $48 million and is expected to open in March 2027.",
    (
        "“This is the biggest investment in the waterfront in forty years,” Mayor Elena Ruiz said after "
        "the vote. She added that construction jobs would go to local firms first."
    ),
    (
        "Critics were not convinced. Tom Okafor, who leads the Pier Residents Association, told "
        "reporters the council had ignored concerns about traffic."
    ),
    (
        "“We asked for a traffic study three times and got nothing.” “Nobody at City Hall listened,” he "
        "added."
    ),
    (
        "Ruiz said the study would be published before building starts. The ferry operator, Blue Gull "
        "Lines, declined to comment."
    ),
    "The French shipbuilder Atelier Naval will supply two electric ferries, a company spokesman said.",
    "“The vote settles the matter for now,” Whitfield said.",
]

SUMMIT = [
    "Trade ministers from twelve countries met in Lisbon on Monday to discuss export controls.",
    "A Chinese embassy spokesperson said Beijing opposed any new restrictions on chip exports.",
    "The U.S. has cautioned China against supplying military equipment to its neighbours.",
    "Germany's economy minister warned that a trade war would hurt European manufacturers.",
    "“Nobody wins a tariff fight,” said Finance Minister Ana Costa, who chaired the meeting.",
]


def make_article(paragraphs: list[str], title: str = "Test article") -> Article:
    blocks = [Block("paragraph", p) for p in paragraphs]
    return build_article("test", Cleaned(title, None, None, None, blocks))


@pytest.fixture(scope="module")
def ferry() -> Article:
    return make_article(FERRY)


@pytest.fixture(scope="module")
def summit() -> Article:
    return make_article(SUMMIT)


def test_finds_every_statement_with_its_speaker_in_article_order(ferry: Article) -> None:
    assert [(a.sentence_id, a.speaker, a.kind) for a in attributions(ferry)] == [
        ("S1", "council spokesperson Dana Whitfield", "reported"),
        ("S3", "Mayor Elena Ruiz", "quote"),
        ("S4", "Mayor Elena Ruiz", "reported"),
        ("S6", "Tom Okafor", "reported"),
        ("S7", "Tom Okafor", "quote"),
        ("S8", "Tom Okafor", "quote"),
        ("S9", "Mayor Elena Ruiz", "reported"),
        ("S11", "a company spokesman", "reported"),
        ("S12", "council spokesperson Dana Whitfield", "quote"),
    ]


def test_a_direct_quote_keeps_the_quoted_words_only(ferry: Article) -> None:
    assert statements_by(ferry, "Ruiz")[0] == Attribution(
        "S3",
        "Mayor Elena Ruiz",
        "quote",
        "This is the biggest investment in the waterfront in forty years",
    )


def test_reported_speech_quotes_the_whole_sentence(ferry: Article) -> None:
    assert statements_by(ferry, "Okafor")[0].quote_text == (
        "Tom Okafor, who leads the Pier Residents Association, told reporters the council had "
        "ignored concerns about traffic."
    )


def test_every_quote_is_an_exact_part_of_its_sentence(ferry: Article, summit: Article) -> None:
    for article in (ferry, summit):
        for attribution in attributions(article):
            sentence = article.sentence(attribution.sentence_id)
            assert sentence is not None and attribution.quote_text in sentence.text


def test_a_pronoun_refers_back_to_the_last_speaker(ferry: Article) -> None:
    assert [a.sentence_id for a in statements_by(ferry, "Ruiz")] == ["S3", "S4", "S9"]


def test_a_quote_only_sentence_belongs_to_the_he_added_that_follows(ferry: Article) -> None:
    assert [(a.sentence_id, a.quote_text) for a in statements_by(ferry, "Okafor")] == [
        (
            "S6",
            (
                "Tom Okafor, who leads the Pier Residents Association, told reporters the council had "
                "ignored concerns about traffic."
            ),
        ),
        ("S7", "We asked for a traffic study three times and got nothing."),
        ("S8", "Nobody at City Hall listened"),
    ]


def test_according_to_and_a_closing_quote_both_count_for_the_speaker(ferry: Article) -> None:
    assert [(a.sentence_id, a.kind) for a in statements_by(ferry, "Whitfield")] == [
        ("S1", "reported"),
        ("S12", "quote"),
    ]


def test_a_short_name_matches_the_full_mention(ferry: Article) -> None:
    assert statements_by(ferry, "Dana Whitfield") == statements_by(ferry, "Whitfield")
    assert statements_by(ferry, "Mr Okafor") == statements_by(ferry, "Okafor")


def test_an_organisation_matches_its_spokesperson(ferry: Article) -> None:
    assert [a.sentence_id for a in statements_by(ferry, "the council")] == ["S1", "S12"]


def test_a_country_matches_its_demonym(summit: Article) -> None:
    assert [(a.sentence_id, a.speaker) for a in statements_by(summit, "China")] == [
        ("S2", "A Chinese embassy spokesperson"),
    ]


def test_an_object_of_a_speech_verb_is_not_its_speaker(summit: Article) -> None:
    assert [a.speaker for a in attributions(summit) if a.sentence_id == "S3"] == ["The U.S."]


def test_a_possessive_speaker_counts_for_the_owner(summit: Article) -> None:
    assert [a.sentence_id for a in statements_by(summit, "Germany")] == ["S4"]


def test_an_inverted_said_names_the_speaker_after_it(summit: Article) -> None:
    assert statements_by(summit, "Costa") == [
        Attribution("S5", "Finance Minister Ana Costa", "quote", "Nobody wins a tariff fight")
    ]


def test_nobody_unquoted_matches(ferry: Article) -> None:
    assert statements_by(ferry, "Blue Gull Lines") == []
    assert statements_by(ferry, "Atelier Naval") == []


def test_speakers_lists_each_speaker_once_in_order(ferry: Article) -> None:
    assert speakers(ferry) == [
        "council spokesperson Dana Whitfield",
        "Mayor Elena Ruiz",
        "Tom Okafor",
        "a company spokesman",
    ]


def test_name_matching_needs_every_asked_word() -> None:
    assert name_matches("Miller", "State Department spokesperson Matthew Miller")
    assert name_matches("the State Department", "State Department spokesperson Matthew Miller")
    assert not name_matches("Matthew Smith", "State Department spokesperson Matthew Miller")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Miller say?", "Miller"),
        ("what did Miller tell reporters", "Miller"),
        ("What does the State Department say?", "the State Department"),
        ("What was Ruiz's position on the terminal?", "Ruiz"),
        ("and what did China say?", "China"),
        ("Who said nobody listened?", ANY_SPEAKER),
        ("According to whom will the terminal open in 2027?", ANY_SPEAKER),
        ("The terminal will open in 2027, according to whom?", ANY_SPEAKER),
        ("What did the article say about traffic?", None),
        ("What is another name for State Route 9?", None),
        ("How much will the terminal cost?", None),
    ],
)
def test_recognises_attribution_questions(question: str, expected: str | None) -> None:
    assert is_attribution_question(question) == expected


def test_an_attribution_question_keeps_its_topic() -> None:
    asked = parse_attribution_question("What did Ruiz say about jobs?")
    assert asked is not None and (asked.name, asked.topic, asked.reverse) == (
        "Ruiz",
        "about jobs",
        False,
    )


def test_what_did_x_say_answers_with_all_statements_in_order(ferry: Article) -> None:
    answer = answer_question(ferry, "What did Whitfield say?")
    assert answer == {
        "answer": "Council spokesperson Dana Whitfield: (1) The Port Aldwin city council voted 7-2 "
        "on Tuesday to build a new ferry terminal on the east pier, according to council "
        "spokesperson Dana Whitfield. (2) “The vote settles the matter for now”",
        "answerable": True,
        "citations": [
            {
                "sentence": "S1",
                "quote": "The Port Aldwin city council voted 7-2 on Tuesday to build a new ferry "
                "terminal on the east pier, according to council spokesperson Dana Whitfield.",
            },
            {"sentence": "S12", "quote": "The vote settles the matter for now"},
        ],
    }


def test_a_topic_narrows_the_statements(ferry: Article) -> None:
    answer = answer_question(ferry, "What did Ruiz say about the study?")
    assert [c["sentence"] for c in answer["citations"]] == ["S9"]


def test_who_said_finds_the_speaker_of_a_quote(ferry: Article) -> None:
    answer = answer_question(ferry, "Who said nobody at City Hall listened?")
    assert answer == {
        "answer": "Tom Okafor: “Nobody at City Hall listened”",
        "answerable": True,
        "citations": [{"sentence": "S8", "quote": "Nobody at City Hall listened"}],
    }


def test_who_is_quoted_lists_each_speaker_with_a_first_statement(ferry: Article) -> None:
    answer = answer_question(ferry, "Who is quoted in the article?")
    assert answer["answer"] == (
        "The article quotes council spokesperson Dana Whitfield; Mayor Elena Ruiz; Tom Okafor; "
        "a company spokesman."
    )
    assert [c["sentence"] for c in answer["citations"]] == ["S1", "S3", "S6", "S11"]


def test_a_follow_up_reuses_the_attribution_frame(ferry: Article) -> None:
    history = [("What did Ruiz say?", "Mayor Elena Ruiz: ...")]
    answer = answer_question(ferry, "And Okafor?", history)
    assert [c["sentence"] for c in answer["citations"]] == ["S6", "S7", "S8"]


def test_a_speaker_the_article_does_not_quote_falls_back_to_retrieval(ferry: Article) -> None:
    answer = answer_question(ferry, "What did Blue Gull Lines say?")
    assert [c["sentence"] for c in answer["citations"]] == ["S10"]


def test_the_extractive_engine_answers_attribution_questions(ferry: Article) -> None:
    task = Task(kind="answer", article=ferry, question="What did Okafor say?")
    completion = ExtractiveEngine().complete(Request(messages=[], task=task))
    assert [c["sentence"] for c in json.loads(completion.text)["citations"]] == ["S6", "S7", "S8"]
