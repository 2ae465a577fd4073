"""Word matching folds British and American spellings, without merging distinct words."""

from __future__ import annotations

import pytest

from summbot.textutil import american, stem


@pytest.mark.parametrize(
    "british,us",
    [("harbour", "harbor"), ("colours", "colors"), ("neighbourhood", "neighborhood"),
     ("centre", "center"), ("theatres", "theaters"), ("organised", "organized"),
     ("organisation", "organization"), ("fibre", "fiber")],
)
def test_british_and_american_spellings_share_a_stem(british, us):
    assert stem(british) == stem(us)


@pytest.mark.parametrize("word", ["four", "hour", "your", "devour", "contour", "acre", "genre", "ogre", "there", "figure", "rise"])
def test_words_that_only_look_british_are_left_alone(word):
    assert american(word) == word
