"""Grounding: citations must point at real sentences, quotes must be in the article, and a point
must not say more than its sentences."""

from __future__ import annotations

import pytest

from summbot import grounding
from tests.fakes import make_article

ARTICLE = make_article(
    [
        "The city council approved a budget of $4.2 million on Tuesday, according to Mayor Ana Ruiz.",
        "“We kept every library open,” Ruiz said. Critics said the plan cuts road repairs by 12%.",
        "The vote was 7 to 2.",
    ],
    title="Council passes budget",
)


def test_quote_matching_tolerates_curly_quotes_spacing_and_case():
    assert grounding.contains_quote(ARTICLE.text, '"we kept  every library open"')
    assert grounding.contains_quote(ARTICLE.text, "We kept every library open")


def test_quote_with_ellipsis_must_match_each_piece_in_order():
    assert grounding.contains_quote(ARTICLE.text, "The city council … on Tuesday")
    assert not grounding.contains_quote(ARTICLE.text, "on Tuesday ... The city council")


def test_a_verbatim_point_citing_its_sentence_is_verified():
    assert grounding.check_point("The vote was 7 to 2.", ["S4"], ARTICLE) == []


def test_a_point_citing_a_missing_sentence_is_flagged():
    assert grounding.check_point("The vote was 7 to 2.", ["S9"], ARTICLE) == [
        "cites S9, which the article does not have"
    ]


def test_a_point_without_citations_is_flagged():
    assert grounding.check_point("The vote was 7 to 2.", [], ARTICLE) == ["cites no sentence"]


def test_an_invented_quote_is_flagged():
    problems = grounding.check_point("Ruiz said “we will raise taxes”.", ["S2"], ARTICLE)
    assert "quotes “we will raise taxes”, which is not in the article" in problems


def test_a_number_not_in_the_cited_sentences_is_flagged():
    problems = grounding.check_point("The budget is $5.1 million.", ["S1"], ARTICLE)
    assert problems[0] == "gives 5.1, not found in its sources"


def test_a_name_the_article_never_mentions_is_flagged():
    problems = grounding.check_point("The budget was approved, according to Governor Smith.", ["S1"], ARTICLE)
    assert "names Governor, Smith, which the article never mentions" in problems


def test_a_point_that_says_more_than_its_sentences_is_flagged():
    problems = grounding.check_point(
        "Road repairs will collapse and residents will protest loudly.", ["S4"], ARTICLE
    )
    assert problems == ["most of its words are not in the cited sentences (S4)"]


def test_a_faithful_paraphrase_is_verified():
    assert grounding.check_point(
        "Critics said the plan cuts road repairs by 12%.", ["S3"], ARTICLE
    ) == []


@pytest.mark.parametrize("quote,expected", [("every library open", ["S2"]), ("not there", [])])
def test_locate_quote_finds_the_sentence(quote, expected):
    assert grounding.locate_quote(quote, ARTICLE) == expected


HEDGED = make_article(
    [
        "Prosecutors said the former minister allegedly took bribes from two builders.",
        "The minister did not attend the hearing on Monday.",
    ],
    title="Minister in court",
)


def test_a_point_that_states_a_hedged_claim_as_fact_is_flagged():
    problems = grounding.check_point("The former minister took bribes from two builders.", ["S1"], HEDGED)
    assert problems == ["it drops the hedge of its cited sentences (allegedly)"]


def test_a_point_that_keeps_the_hedge_is_verified():
    assert grounding.check_point("The former minister allegedly took bribes from two builders, prosecutors said.", ["S1"], HEDGED) == []
    assert grounding.check_point("Prosecutors said the former minister took bribes from two builders.", ["S1"], HEDGED) == []


def test_a_point_that_negates_its_sentence_is_flagged():
    problems = grounding.check_point("The council did not approve a budget on Tuesday, according to Mayor Ana Ruiz.", ["S1"], ARTICLE)
    assert problems == ["it negates what its cited sentences state"]


def test_a_negation_the_sentence_also_has_is_fine():
    assert grounding.check_point("The minister did not attend the hearing on Monday.", ["S2"], HEDGED) == []


def test_decomposed_accents_match_their_composed_form():
    """A model may write "é" as e + a combining accent (NFD) where the article has one code point."""
    import unicodedata

    article = make_article(["Mayor Zoë Müller said the café would reopen in June."])
    decomposed = unicodedata.normalize("NFD", "Zoë Müller said the café would reopen in June.")
    assert grounding.contains_quote(article.text, decomposed)
    assert grounding.check_point(decomposed, ["S1"], article) == []
    assert grounding.check_text(f"The mayor said “{decomposed[:30]}”.", article) == []
    nfd_article = make_article([decomposed])
    assert grounding.check_point("Zoë Müller said the café would reopen in June.", ["S1"], nfd_article) == []
