"""Who said what: statements by a speaker, in article order, direct and reported, with pronouns."""

from __future__ import annotations

import json
from pathlib import Path

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


# --------------------------------------------------------------------------------------------
# Regressions found on examples/harbour-ferry.txt, each on a short article of its own.

VALLEY = [
    (
        '"This is the right plan for the valley," said water board chair Maria Lund after the '
        "vote. She said work on the tunnel would start in May."
    ),
    (
        "Board member Karl Evers argued that the cost was too high. “Nobody has priced the tunnel "
        "properly,” Evers said. “The figure will grow every year.”"
    ),
    "He said he would vote against the loan.",
    (
        "Another opponent, board member Lena Ford, said she backed the idea but not the price. She "
        "told reporters the cost could double."
    ),
    "Lund rejected that estimate. She said two firms had checked the figures.",
]


@pytest.fixture(scope="module")
def valley() -> Article:
    return make_article(VALLEY)


def test_said_then_a_job_title_then_the_name_is_an_inverted_speaker(valley: Article) -> None:
    assert statements_by(valley, "Lund")[0] == Attribution(
        "S1", "water board chair Maria Lund", "quote", "This is the right plan for the valley"
    )


def test_a_pronoun_does_not_carry_a_speaker_across_a_new_speakers_statement(
    valley: Article,
) -> None:
    assert [a.sentence_id for a in statements_by(valley, "Evers")] == ["S3", "S4", "S5", "S6"]
    assert [(a.sentence_id, a.speaker) for a in statements_by(valley, "Ford")] == [
        ("S7", "board member Lena Ford, another opponent"),
        ("S8", "board member Lena Ford, another opponent"),
    ]


def test_a_pronoun_after_a_sentence_naming_someone_refers_to_them(valley: Article) -> None:
    assert [a.sentence_id for a in statements_by(valley, "Lund")] == ["S1", "S2", "S10"]


def test_she_never_refers_to_a_speaker_already_called_he() -> None:
    article = make_article(
        [
            "Karl Evers said the loan was too large. He said the board should wait.",
            "The meeting ran late. She said the vote would be close.",
        ]
    )
    assert [(a.sentence_id, a.speaker) for a in attributions(article)] == [
        ("S1", "Karl Evers"),
        ("S2", "Karl Evers"),
    ]


def test_a_quotation_alone_in_its_paragraph_is_not_the_next_paragraphs_speakers() -> None:
    article = make_article(
        [
            "“Open the gates before the tide turns, and do it every night of the winter.”",
            "Elena Ruiz said the gates would stay shut until March.",
        ]
    )
    assert [a.sentence_id for a in attributions(article)] == ["S2"]


def test_a_quotation_goes_on_from_the_previous_sentences_quotation() -> None:
    article = make_article(
        [
            "Residents packed the hall on Monday.",
            "“We asked three times and got nothing.” “Nobody listened,” Tom Okafor said.",
            "“The council must act before the winter storms.”",
        ]
    )
    assert [(a.sentence_id, a.speaker, a.kind) for a in attributions(article)] == [
        ("S2", "Tom Okafor", "quote"),
        ("S3", "Tom Okafor", "quote"),
        ("S4", "Tom Okafor", "quote"),
    ]


HARBOUR = [
    "A spokesperson for the fund, Ines Laurent, said the grant was reserved for the city.",
    "“The money is there when the order is placed,” said Nadia Ferrante, a spokesperson for the mayor's office.",
    "The mayor's office said the gates would close twice a year.",
    "The harbour engineer, Samuel Achterberg, said each boat would carry 250 passengers.",
    "According to the harbour engineer, the crossing will take 14 minutes.",
    "The Maritime Workers Association said crews had not been consulted. Training, it said, had not been funded.",
    "Its regional secretary, Joan Mulvey, said the board had set aside nothing for courses.",
    "Okafor said the first boat would arrive in 2028. The timetable, it said, would change in May.",
]


@pytest.fixture(scope="module")
def harbour() -> Article:
    return make_article(HARBOUR)


def test_an_appositive_names_the_speaker_and_describes_them(harbour: Article) -> None:
    assert [(a.sentence_id, a.speaker) for a in attributions(harbour)][:4] == [
        ("S1", "Ines Laurent, a spokesperson for the fund"),
        ("S2", "Nadia Ferrante, a spokesperson for the mayor's office"),
        ("S3", "The mayor's office"),
        ("S4", "Samuel Achterberg, the harbour engineer"),
    ]


def test_the_organisation_a_spokesperson_speaks_for_finds_their_statements(
    harbour: Article,
) -> None:
    assert [a.sentence_id for a in statements_by(harbour, "the fund")] == ["S1"]
    assert [a.sentence_id for a in statements_by(harbour, "the mayor's office")] == ["S2", "S3"]


def test_a_bare_role_is_the_one_person_named_with_it(harbour: Article) -> None:
    assert [a.sentence_id for a in statements_by(harbour, "Achterberg")] == ["S4", "S5"]


def test_it_said_refers_to_an_organisation_never_to_a_person(harbour: Article) -> None:
    assert [a.sentence_id for a in statements_by(harbour, "Maritime Workers Association")] == [
        "S6",
        "S7",
    ]
    assert [a.sentence_id for a in statements_by(harbour, "Okafor")] == ["S9"]
    assert [a.sentence_id for a in statements_by(harbour, "Mulvey")] == ["S8"]


GROUPS = [
    "The three councillors who voted against the plan said the bond was too large.",
    "At the quay, commuters waiting for the 7.15 boat said they feared a fare rise.",
    "Local historian Colm Garvey said the argument was as old as the ferry.",
    "Local residents said the ferry had always been late.",
    "The two councillors who voted against, Ruth Abara and Tom Leclerc, argued that the bond was too large.",
    "Leclerc called the vote rushed.",
    "“We are being asked to approve the biggest project in our history,” he said.",
]


def test_groups_of_people_are_speakers_too() -> None:
    assert speakers(make_article(GROUPS)) == [
        "The three councillors who voted against the plan",
        "commuters waiting for the 7.15 boat",
        "Local historian Colm Garvey",
        "Local residents",
        "Ruth Abara and Tom Leclerc",
        "Tom Leclerc",
    ]


def test_two_people_speaking_together_count_for_each() -> None:
    article = make_article(GROUPS)
    assert [a.sentence_id for a in statements_by(article, "Abara")] == ["S5"]
    assert [a.sentence_id for a in statements_by(article, "Leclerc")] == ["S5", "S7"]


WIRE = [
    "Measles cases rose in 40 countries, the World Health Organization said on Monday.",
    "Outbreaks were worst in Central Asia, it said in a report.",
    "The WHO said it had asked donors for $150 million.",
    "The U.S. has cautioned its allies against cutting aid.",
    "U.S. officials said the money would be found.",
]


def test_an_acronym_is_the_organisation_it_abbreviates() -> None:
    article = make_article(WIRE)
    assert is_attribution_question("What did the WHO say?") == "the WHO"
    assert [a.sentence_id for a in statements_by(article, "the WHO")] == ["S1", "S2", "S3"]


def test_a_country_is_not_merged_into_its_officials() -> None:
    assert [a.speaker for a in attributions(make_article(WIRE))][3:] == [
        "The U.S.",
        "U.S. officials",
    ]


def test_a_sentence_that_reports_more_than_it_quotes_is_reported_speech() -> None:
    sentence = (
        "Mayor Paul Devereux said he expected the council to approve the loan and called the vote "
        "“a sensible step for a harbour city.”"
    )
    assert attributions(make_article([sentence])) == [
        Attribution("S1", "Mayor Paul Devereux", "reported", sentence)
    ]


def test_a_long_speaker_phrase_does_not_make_a_quotation_reported_speech() -> None:
    article = make_article(
        [
            (
                "“We got this wrong, and we are sorry,” the chain's managing director, Owen Tully, "
                "said in a statement."
            )
        ]
    )
    assert attributions(article) == [
        Attribution(
            "S1",
            "Owen Tully, the chain's managing director",
            "quote",
            "We got this wrong, and we are sorry",
        )
    ]


def test_straight_quotes_close_where_a_word_comes_before_them() -> None:
    article = make_article(
        [
            (
                'The bakery withdrew posters with the slogan "Running on Crumbs", after nurses\' '
                "unions said they mocked exhausted staff."
            ),
            "Crumbs said all 60 posters would come down by Friday.",
        ]
    )
    assert [(a.sentence_id, a.speaker, a.kind) for a in attributions(article)] == [
        ("S1", "nurses' unions", "reported"),
        ("S2", "Crumbs", "reported"),
    ]


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-ferry.txt"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Shaw", ["S17", "S18", "S19", "S20", "S21", "S87"]),
        ("Okafor", ["S4", "S5", "S6", "S7", "S25", "S48", "S83", "S89", "S90"]),
        ("Natarajan", ["S22", "S23", "S88"]),
        ("Achterberg", ["S39", "S40", "S41", "S42", "S43", "S80", "S92"]),
        ("Laurent", ["S15"]),
        ("Doyle", ["S33"]),
    ],
)
def test_the_example_article_attributes_each_speakers_statements(
    name: str, expected: list[str]
) -> None:
    from summbot.article import load_article

    article = load_article(str(EXAMPLE))
    answer = answer_question(article, f"What did {name} say?")
    assert [c["sentence"] for c in answer["citations"]] == expected


# --------------------------------------------------------------------------------------------
# Patterns of wire and broadcast news: speaker first, then paragraphs of quotation.


def test_a_quotation_paragraph_after_x_said_is_xs() -> None:
    article = make_article(
        [
            "Ruth Okafor MP said the closure was a mistake.",
            "“The pier has served this town for a hundred years and deserves better than this.”",
        ]
    )
    assert [(a.sentence_id, a.speaker, a.kind) for a in attributions(article)] == [
        ("S1", "Ruth Okafor MP", "reported"),
        ("S2", "Ruth Okafor MP", "quote"),
    ]


def test_a_quotation_running_over_sentences_and_paragraphs_keeps_its_speaker() -> None:
    article = make_article(
        [
            "Mr Jones said: “We could only play football in the summer.",
            "“When it was hot, the smell came across the fence. We never talked about it.",
            "“We just kept playing.”",
            "Mr Jones later became a teacher.",
        ]
    )
    assert [a.sentence_id for a in statements_by(article, "Jones")] == ["S1", "S2", "S3", "S4"]


def test_a_name_with_a_title_after_it_is_a_person_who_can_be_he() -> None:
    article = make_article(
        [
            "Richard Horwell QC said the two men had no personal motive.",
            "The state “is likely to have been the sponsor of this plot”, he said.",
        ]
    )
    assert [(a.sentence_id, a.speaker) for a in attributions(article)] == [
        ("S1", "Richard Horwell QC"),
        ("S2", "Richard Horwell QC"),
    ]


def test_an_appositive_title_is_described_not_taken_for_the_name() -> None:
    article = make_article(
        [
            "Penny Mordaunt, Conservative MP for Portsmouth North, said the yard would stay open.",
            "The chair of Care Forum Wales, Mario Kreft, said providers backed the review.",
        ]
    )
    assert speakers(article) == [
        "Penny Mordaunt, Conservative MP for Portsmouth North",
        "Mario Kreft, the chair of Care Forum Wales",
    ]


def test_two_bodies_sharing_a_place_name_stay_apart() -> None:
    article = make_article(
        [
            "Cornwall Wildlife Trust said the bottles were a danger to seals.",
            "Cornwall Council said it would clear the beach by Friday.",
        ]
    )
    assert speakers(article) == ["Cornwall Wildlife Trust", "Cornwall Council"]


def test_a_capitalised_first_word_is_no_speaker() -> None:
    article = make_article(
        [
            "Earlier this week, he refused to answer questions about the vote.",
            "But he told reporters he was “proud of every decision the council had taken”.",
            "Up on the quay, the crowd waited. He said the ferry would be late.",
        ]
    )
    assert attributions(article) == []


def test_two_short_quoted_terms_are_not_one_quotation() -> None:
    sentence = (
        "In a post titled “my heart attack”, Ruiz said the attack was known as the “widow maker”."
    )
    assert attributions(make_article([sentence])) == [
        Attribution("S1", "Ruiz", "reported", sentence)
    ]


def test_resolving_speakers_costs_in_proportion_to_the_article_not_its_square(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every mention was matched against every earlier mention, repeats included: a 2,000-sentence
    # article took seconds to answer "What did Vogel say?".
    import summbot.attribution as attribution_module

    real = attribution_module._same_person
    calls = [0]

    def counting(short: list[str], full: str) -> bool:
        calls[0] += 1
        return real(short, full)

    monkeypatch.setattr(attribution_module, "_same_person", counting)
    work = []
    for repeats in (50, 100):
        paragraphs = ["City treasurer Martin Vogel said the loan was safe."] + [
            f"Vogel said the fare would rise by {n} cents. Okafor said the fare was too high."
            for n in range(repeats)
        ]
        calls[0] = 0
        found = attributions(make_article(paragraphs))
        assert {a.speaker for a in found} == {"City treasurer Martin Vogel", "Okafor"}
        work.append(calls[0])

    assert work[1] / work[0] < 2.5
