"""The offline summariser: which sentences it picks, how it cites them, and the headline check."""

from __future__ import annotations

import pytest

from summbot.article import Article, build_article
from summbot.cleaning import Block, Cleaned
from summbot.engines.base import Task
from summbot.errors import ConfigError
from summbot.ranking import (
    LENGTHS,
    check_headline,
    score_sentences,
    select_key_points,
    select_summary,
    summarize_task,
)


def make_article(title: str | None, *paragraphs: str) -> Article:
    blocks = [Block("paragraph", p) for p in paragraphs]
    return build_article("test.txt", Cleaned(title, None, None, None, blocks))


BRIDGE = make_article(
    "Riverton council approves new footbridge over the Elm river",
    "Share this with",
    "Riverton council has approved plans for a new footbridge over the Elm river, ending a "
    "ten-year campaign by residents.",
    "The bridge will cost 4.2 million pounds and link the old town with the railway station.",
    "Councillors voted 31 to 9 in favour of the footbridge on Tuesday evening.",
    '"It is a great day."',
    "But opponents said the money should be spent on repairing roads instead.",
    "Construction is due to begin in March and the footbridge should open to walkers and "
    "cyclists next year.",
    "Will it be worth the wait?",
    "Advertisement",
    "The council leader, Maria Lopez, said the bridge would cut a twenty-minute walk to five "
    "minutes.",
)

LEAD = (
    "Riverton council has approved plans for a new footbridge over the Elm river, ending a "
    "ten-year campaign by residents."
)
COST = "The bridge will cost 4.2 million pounds and link the old town with the railway station."
VOTE = "Councillors voted 31 to 9 in favour of the footbridge on Tuesday evening."
OPENING = (
    "Construction is due to begin in March and the footbridge should open to walkers and cyclists "
    "next year."
)
LEADER = "The council leader, Maria Lopez, said the bridge would cut a twenty-minute walk to five minutes."


def ids(sentences: list) -> list[str]:
    return [s.id for s in sentences]


# --- what is never picked ----------------------------------------------------------------------


def test_boilerplate_and_bare_quotes_are_never_candidates() -> None:
    reasons = {s.id: s.reason for s in score_sentences(BRIDGE)}
    assert reasons == {
        "S1": "boilerplate",
        "S2": None,
        "S3": None,
        "S4": None,
        "S5": "quote without attribution",
        "S6": None,
        "S7": None,
        "S8": None,
        "S9": "boilerplate",
        "S10": None,
    }


def test_sentences_that_need_context_rank_below_the_facts() -> None:
    scores = {s.id: s.score for s in score_sentences(BRIDGE)}
    # "But opponents said..." and the question sit below every plain statement.
    plain = [scores[i] for i in ("S2", "S3", "S4", "S7", "S10")]
    assert max(scores["S6"], scores["S8"]) < min(plain)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("By Jane Smith, Political Correspondent", "boilerplate"),
        ("Image copyright Getty Images and other agencies.", "boilerplate"),
        ("Media playback is not supported on this device", "boilerplate"),
        ("Read more: the full list of the winners this year.", "boilerplate"),
        ("© 2024 The Riverton Gazette. All rights reserved.", "boilerplate"),
        ("Scroll down for video of the opening ceremony.", "boilerplate"),
        ("Mayor Ann Reed (left) shakes hands with the club chairman at the ground.", "caption"),
        ("What the new bridge means for you", "heading"),
        ("Too short here.", "too short"),
        ("\u201cWe will not stop until the bridge is built.\u201d", "quote without attribution"),
        (
            "\u201cWe will not stop until the bridge is built,\u201d said the campaign's founder.",
            None,
        ),
    ],
)
def test_each_kind_of_debris_is_named(text: str, reason: str | None) -> None:
    article = make_article(None, LEAD, text)
    assert score_sentences(article)[1].reason == reason


def test_a_quote_spanning_sentences_counts_as_attributed_only_where_the_speaker_is_named() -> None:
    article = make_article(
        None,
        LEAD,
        '"The town has waited a decade for this. Now the work can start," said Maria Lopez.',
    )
    assert [s.reason for s in score_sentences(article)] == [None, "quote without attribution", None]


def test_single_quotes_are_quotes_and_apostrophes_are_not() -> None:
    # British style: S2 opens a quote, S3 closes it without a speaker, S4 names one, S6 brings
    # it in with a colon; possessives, contractions, '90s and a scare quote are prose.
    article = make_article(
        None,
        LEAD,
        "'We have waited ten years for this bridge.",
        "It will change the town.'",
        "‘It is a great day for Riverton,’ the council leader said.",
        "The players' union said it's time the bridge was built in the '90s style.",
        "The council's statement reads: 'The bridge will open next year.'",
        "Residents were not all 'over the moon' about the cost, which rose twice.",
    )
    assert [s.reason for s in score_sentences(article)] == [
        None,
        "quote without attribution",
        "quote without attribution",
        None,
        None,
        None,
        None,
    ]


def test_a_quote_left_open_does_not_swallow_the_sentences_after_it() -> None:
    # One paragraph run together from several: the quote is never closed, yet the next sentence
    # is the writer's own.
    article = make_article(
        None,
        LEAD + " 'We have waited ten years for this bridge. "
        "Councillors voted 31 to 9 in favour of the footbridge on Tuesday evening.",
    )
    assert [s.reason for s in score_sentences(article)] == [
        None,
        "quote without attribution",
        None,
    ]


def test_debris_above_the_lead_does_not_push_it_down() -> None:
    share_bar = ["Share this with", "Email", "Facebook", "Twitter", "Copy this link"] * 3
    article = make_article(None, *share_bar, LEAD, COST, VOTE, OPENING, LEADER)
    assert [s.text for s in select_key_points(article, 1)] == [LEAD]


# --- the summary -------------------------------------------------------------------------------


def test_medium_summary_is_the_best_three_sentences_in_article_order() -> None:
    assert ids(select_summary(BRIDGE, "medium")) == ["S2", "S3", "S4"]


def test_short_summary_is_at_most_two_sentences_within_sixty_words() -> None:
    # After the lead has said "footbridge" and "approved", the cost (S3) adds more than the vote.
    summary = select_summary(BRIDGE, "short")
    assert ids(summary) == ["S2", "S3"]
    assert sum(len(s.text.split()) for s in summary) <= LENGTHS["short"].words


def test_long_summary_takes_more_of_the_story_but_not_the_weak_sentences() -> None:
    assert ids(select_summary(BRIDGE, "long")) == ["S2", "S3", "S4", "S7", "S10"]


def test_word_budget_skips_a_sentence_that_would_overflow_it() -> None:
    rambling = (
        "The bridge, which was designed by a firm from the capital after a long competition that "
        "drew entries from across the country and abroad, will be built from steel and timber "
        "sourced from local suppliers wherever that is possible under the council's rules."
    )
    article = make_article(None, LEAD, rambling, VOTE)
    summary = select_summary(article, "short")
    assert ids(summary) == ["S1", "S3"]


def test_first_sentence_is_kept_even_when_it_alone_exceeds_the_budget() -> None:
    agenda = ", ".join(f"item {i} of the agenda" for i in range(20))
    long_lead = f"The council met to discuss the bridge, the road, {agenda}."
    article = make_article(None, long_lead)
    assert ids(select_summary(article, "short")) == ["S1"]


def test_near_duplicate_sentences_are_not_both_in_the_summary() -> None:
    article = make_article(
        None,
        "Riverton council approved a new footbridge over the Elm river on Tuesday evening.",
        "On Tuesday evening Riverton council approved the new footbridge over the Elm river.",
        COST,
    )
    assert ids(select_summary(article, "medium")) == ["S1", "S3"]


def test_a_restatement_of_the_lead_loses_to_a_new_fact() -> None:
    # S3 says again what S1 said, in other words (not a near-duplicate), and ranks above S4 on
    # its own; once S1 is in the summary, the construction date adds more.
    article = make_article(
        None,
        "Riverton council has approved a new footbridge over the Elm river after a ten-year "
        "campaign by residents.",
        COST,
        "Residents who campaigned for the Elm river footbridge welcomed the council's approval, "
        "saying the bridge had been a long time coming.",
        "Construction is due to begin in March and walkers should be able to use it next year.",
        "Councillors voted 31 to 9 in favour of the plan on Tuesday evening.",
    )
    scores = {s.id: s.score for s in score_sentences(article)}
    assert scores["S3"] > scores["S4"]
    assert ids(select_summary(article, "medium")) == ["S1", "S2", "S4"]


def test_a_sentence_central_through_words_not_yet_said_is_preferred() -> None:
    # S2 ranks above S3 on its own, but its central words are the lead's (council, footbridge)
    # while S3's are the ones the rest of the story is about (cost, station, old town).
    article = make_article(
        None,
        "Riverton council has approved a new footbridge over the Elm river.",
        "The council said the footbridge vote was held on Tuesday in the town hall.",
        "The 4.2 million pound cost will link the railway station with the old town.",
        "The railway station is a twenty-minute walk from the old town today.",
        "Residents expect the cost to be repaid by more visitors to the old town.",
        "Council members said the footbridge was the right choice.",
    )
    assert ids(select_summary(article, "short")) == ["S1", "S3"]


def test_a_sentence_opening_with_a_pronoun_is_fine_right_after_the_sentence_it_leans_on() -> None:
    # On its own "It will cost..." ranks below S5 (an opening pronoun needs context); once the
    # lead it follows is in the summary, its "It" reads as meant and the cost is the next fact.
    article = make_article(
        None,
        "Riverton council has approved a new footbridge over the Elm river after a ten-year "
        "campaign by residents.",
        "It will cost 4.2 million pounds and link the old town with the railway station.",
        "Councillors voted 31 to 9 in favour of the plan on Tuesday evening.",
        "Construction is due to begin in March and walkers should be able to use it next year.",
        "The railway station is a twenty-minute walk from the old town today.",
        "But the footbridge will not be lit at night, the council said.",
    )
    scores = {s.id: s.score for s in score_sentences(article)}
    assert scores["S2"] < scores["S5"]
    assert ids(select_summary(article, "short")) == ["S1", "S2"]


MILL_FIRE = (
    "Neighbours said the mill had stood empty for years before the fire.",
    "Firefighters said the blaze at the old Riverton mill started shortly after midnight.",
    "About forty firefighters fought the mill fire for six hours, the fire service said.",
    "Nobody was hurt in the fire, which destroyed the roof of the mill.",
    "Police said they were treating the fire at the mill as arson.",
)


def test_a_lede_that_sums_up_the_story_leads_the_summary() -> None:
    article = make_article(
        None,
        "A fire has destroyed the roof of the old Riverton mill, and police are treating it as "
        "arson.",
        *MILL_FIRE,
    )
    assert ids(select_summary(article, "short")) == ["S1", "S2"]


def test_a_scene_setting_opening_leaves_the_choice_to_centrality() -> None:
    # The first sentence shares no words with the story, so position counts for almost nothing
    # and the arson sentence, which uses the story's words most, is taken over the early ones.
    article = make_article(
        None, "It was a cold, clear night, and most of the street was asleep.", *MILL_FIRE
    )
    scores = {s.id: s.score for s in score_sentences(article)}
    assert scores["S1"] < 0.1 * max(scores.values())
    assert ids(select_summary(article, "short")) == ["S2", "S6"]


def test_unknown_length_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as error:
        select_summary(BRIDGE, "huge")
    assert str(error.value) == "Unknown summary length 'huge': use short, medium or long."
    assert error.value.exit_code == 12


# --- key points --------------------------------------------------------------------------------


def test_key_points_are_distinct_facts_most_important_first() -> None:
    # The lead is the story's most central sentence, so position counts for much here; a
    # neighbour of a chosen point is held back a little so the points span the article, which
    # puts the cost (right after the lead) after the vote and the construction date.
    assert ids(select_key_points(BRIDGE, 4)) == ["S2", "S4", "S7", "S3"]


def test_key_points_of_a_long_article_span_it_rather_than_restate_the_lead() -> None:
    paragraphs = [LEAD, COST, VOTE] + [
        f"Residents of district {n} said the footbridge would change their daily walk to the station."
        for n in range(1, 18)
    ] + [OPENING, LEADER]
    article = make_article("Riverton council approves new footbridge over the Elm river", *paragraphs)
    chosen = sorted(s.number for s in select_key_points(article, 4))
    assert chosen[0] == 1
    assert all(b - a > 1 for a, b in zip(chosen, chosen[1:]))  # no two points side by side


def test_fewer_points_give_a_prefix_of_more_points() -> None:
    five = ids(select_key_points(BRIDGE, 5))
    for n in range(6):
        assert ids(select_key_points(BRIDGE, n)) == five[:n]


def test_key_points_never_exceed_the_candidates() -> None:
    # Ten sentences, seven of them pickable (two are boilerplate, one a bare quote).
    assert len(select_key_points(BRIDGE, 20)) == 7


# --- the engine's answer -----------------------------------------------------------------------


def test_summary_task_answer_is_exact() -> None:
    answer = summarize_task(Task("summary", BRIDGE, length="medium", points=3))
    assert answer == {
        "summary": f"{LEAD} {COST} {VOTE}",
        "key_points": [
            {"text": LEAD, "sentences": ["S2"]},
            {"text": VOTE, "sentences": ["S4"]},
            {"text": OPENING, "sentences": ["S7"]},
        ],
        "headline_check": {
            "supported": True,
            "note": "Supported by S2, S4 (7 of 7 key terms found in the body).",
        },
    }


@pytest.mark.parametrize("length", ["short", "medium", "long"])
@pytest.mark.parametrize("points", [0, 1, 3, 10])
def test_every_cited_id_exists_and_each_point_is_its_sentence_verbatim(
    length: str, points: int
) -> None:
    answer = summarize_task(Task("summary", BRIDGE, length=length, points=points))
    assert len(answer["key_points"]) <= points
    for point in answer["key_points"]:
        assert len(point["sentences"]) == 1
        sentence = BRIDGE.sentence(point["sentences"][0])
        assert sentence is not None
        assert point["text"] == sentence.text
    chosen = select_summary(BRIDGE, length)
    assert answer["summary"] == " ".join(s.text for s in chosen)
    assert len(chosen) <= LENGTHS[length].sentences


def test_answer_is_deterministic() -> None:
    task = Task("summary", BRIDGE, length="long", points=5)
    assert summarize_task(task) == summarize_task(task)


def test_map_task_summarises_only_its_chunk() -> None:
    chunk = ["S6", "S7", "S8", "S10"]
    answer = summarize_task(Task("map", BRIDGE, length="short", points=2, sentence_ids=chunk))
    assert answer["summary"] == f"{OPENING} {LEADER}"
    assert [p["sentences"] for p in answer["key_points"]] == [["S7"], ["S10"]]


def test_negative_points_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as error:
        summarize_task(Task("summary", BRIDGE, points=-1))
    assert str(error.value) == "Number of key points -1: use 0 or more."


def test_an_article_without_sentences_gives_an_empty_answer() -> None:
    article = make_article("Riverton news")
    assert summarize_task(Task("summary", article)) == {
        "summary": "",
        "key_points": [],
        "headline_check": {
            "supported": None,
            "note": "Cannot tell: the article has no body text to check the headline against.",
        },
    }


def test_a_one_sentence_article_is_its_own_summary_and_point() -> None:
    article = make_article(None, VOTE)
    assert summarize_task(Task("summary", article)) == {
        "summary": VOTE,
        "key_points": [{"text": VOTE, "sentences": ["S1"]}],
        "headline_check": {
            "supported": None,
            "note": "No headline to check: the article has no title.",
        },
    }


def test_an_article_of_fragments_still_gets_a_summary_but_never_its_boilerplate() -> None:
    article = make_article(None, "Advertisement", "Bridge opens today", "Read more")
    answer = summarize_task(Task("summary", article))
    assert answer["summary"] == "Bridge opens today"
    assert answer["key_points"] == [{"text": "Bridge opens today", "sentences": ["S2"]}]


def test_an_article_of_only_boilerplate_has_nothing_to_summarise() -> None:
    article = make_article(None, "Advertisement", "Share this with")
    answer = summarize_task(Task("summary", article))
    assert (answer["summary"], answer["key_points"]) == ("", [])


def test_title_similarity_lifts_the_sentence_that_matches_the_headline() -> None:
    body = (
        "Residents gathered in the square on Saturday for the annual spring market.",
        "Stalls sold bread, cheese and flowers from farms around the valley.",
        "The mayor announced that the old library will close in June after a budget shortfall.",
    )
    untitled = make_article(None, *body)
    titled = make_article("Old library to close in June after budget shortfall", *body)
    assert ids(select_key_points(untitled, 1)) == ["S1"]
    assert ids(select_key_points(titled, 1)) == ["S3"]


# --- headline check ----------------------------------------------------------------------------


def test_headline_that_claims_the_opposite_of_the_body_is_unsupported() -> None:
    article = make_article(
        "Mayor to expand city's funding for stadium project during visit, strengthening partnership.",
        "Mayor Ann Reed is set to raise concerns with the football club about its alleged failure "
        "to pay for repairs at the stadium, according to her spokesman.",
        "The club has denied owing the city any money.",
        "Reed will meet club officials during a visit to the ground on Friday.",
    )
    assert check_headline(article) == {
        "supported": False,
        "note": (
            "The body never mentions: expand, funding, project, strengthening, partnership "
            "(5 of the headline's 9 key terms); the sentences closest to it are S1, S2."
        ),
    }


def test_headline_that_paraphrases_the_lead_is_supported() -> None:
    assert check_headline(BRIDGE) == {
        "supported": True,
        "note": "Supported by S2, S4 (7 of 7 key terms found in the body).",
    }


def test_headline_matches_word_forms_the_stemmer_leaves_apart() -> None:
    article = make_article(
        "Russian ministers back strategic talks with Norway",
        "Ministers in Russia said on Monday they backed a new strategy of talks with Norway.",
    )
    assert check_headline(article)["supported"] is True


def test_headline_that_drops_the_bodys_hedge_is_unsupported() -> None:
    article = make_article(
        "Hospital manager took bribes from suppliers",
        "A hospital manager allegedly took bribes from two suppliers over five years, police said.",
        "The manager, who has not been named, was arrested on Monday.",
    )
    assert check_headline(article) == {
        "supported": False,
        "note": 'The headline states as fact what the body hedges: S1 says "allegedly took".',
    }


def test_headline_whose_negation_the_body_lacks_is_unsupported() -> None:
    article = make_article(
        "Minister will not resign over housing report",
        "The housing minister will resign after a report criticised her department, aides said.",
        "The report found that repairs had been delayed for years.",
    )
    assert check_headline(article) == {
        "supported": False,
        "note": (
            "The headline negates what the body states: the sentences closest to it (S1, S2) "
            "contain no negation."
        ),
    }


def test_body_that_negates_the_headline_makes_it_unsupported() -> None:
    article = make_article(
        "Council approves footbridge plan",
        "The council did not approve the footbridge plan on Tuesday, delaying it to the autumn.",
    )
    assert check_headline(article) == {
        "supported": False,
        "note": 'The body negates what the headline states: S1 says "not approve".',
    }


def test_headline_repeated_in_the_body_is_not_evidence_for_itself() -> None:
    article = make_article(
        "Storm closes schools across the north",
        "Storm closes schools across the north",
        "Heavy rain fell on Monday in the capital.",
    )
    assert check_headline(article) == {
        "supported": False,
        "note": "The body never mentions: storm, closes, schools, north (4 of the headline's 4 key terms).",
    }


def test_no_title_or_a_contentless_title_cannot_be_judged() -> None:
    assert check_headline(make_article(None, VOTE)) == {
        "supported": None,
        "note": "No headline to check: the article has no title.",
    }
    assert check_headline(make_article("Breaking news", VOTE)) == {
        "supported": None,
        "note": "Cannot tell: the headline has too few content words to check against the body.",
    }


def test_a_question_headline_states_no_claim_to_check() -> None:
    article = make_article("Will the new footbridge be worth the wait?", LEAD)
    assert check_headline(article) == {
        "supported": None,
        "note": "Cannot tell: the headline asks a question and states no claim.",
    }


def test_site_name_after_a_bar_is_not_part_of_the_claim() -> None:
    article = make_article(
        "Riverton council approves new footbridge over the Elm river | Riverton Gazette", LEAD
    )
    assert check_headline(article)["supported"] is True


def test_a_headline_paraphrasing_a_third_of_its_terms_is_undecided_not_unsupported():
    article = make_article(
        "Health body warns of measles resurgence as vaccination gaps widen",
        "Measles cases rose sharply this year, the World Health Organization warned on Monday, "
        "saying gaps in childhood vaccination had not been closed.",
        "The agency counted twice as many cases as last year.",
    )
    result = check_headline(article)
    assert result["supported"] is None
    assert result["note"].startswith("Cannot tell: the body never mentions body, resurgence, widen")
