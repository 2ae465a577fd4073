"""File names from untrusted titles: safe, portable, deterministic."""

from __future__ import annotations

import pytest

from summbot.slugs import (
    MAX_LENGTH,
    SlugAllocator,
    assign_slugs,
    base_slug,
    name_from_source,
    slugify,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Council approves the budget", "council-approves-the-budget"),
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\Windows\\system32", "windows-system32"),
        ("CON", "con-article"),
        ("nul", "nul-article"),
        ("Com1", "com1-article"),
        ("LPT9", "lpt9-article"),
        ("index", "index-article"),
        ("Manifest", "manifest-article"),
        ("Zürich: Straße & Café — “quoted” ½", "zurich-strasse-and-cafe-quoted-1-2"),
        ("🚀🔥 Launch day 🎉", "launch-day"),
        ("Brannock's mayor", "brannocks-mayor"),
        ("...", ""),
        ("", ""),
        ("   ", ""),
        ("🚀🔥", ""),
        ("a/b\\c:d*e?f\"g<h>i|j\x00k", "a-b-c-d-e-f-g-h-i-j-k"),
    ],
)
def test_titles_become_safe_ascii_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_long_title_is_cut_at_a_word_boundary_under_the_cap() -> None:
    title = "The harbour board voted on Tuesday night to replace the city's four diesel ferries " * 5
    slug = slugify(title)
    assert len(slug) <= MAX_LENGTH
    assert slug == "the-harbour-board-voted-on-tuesday-night-to-replace-the-citys-four-diesel"
    assert not slug.endswith("-")


def test_a_long_word_without_boundaries_is_cut_hard() -> None:
    assert slugify("x" * 500) == "x" * MAX_LENGTH


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("news/2026/budget-vote.txt", "budget-vote"),
        ("C:\\news\\ferry.html", "ferry"),
        ("https://example.com/world/2026/03/ferry-vote.html?x=1", "ferry-vote"),
        ("https://example.com/", "example.com"),
        ("https://example.com/a/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "passwd"),
        (".hidden", ".hidden"),
    ],
)
def test_the_name_part_of_paths_and_urls(source: str, name: str) -> None:
    assert name_from_source(source) == name


def test_base_slug_falls_back_from_title_to_file_name_to_article() -> None:
    assert base_slug("A title", "x.txt") == "a-title"
    assert base_slug(None, "news/ferry-vote.txt") == "ferry-vote"
    assert base_slug("🎉", "https://example.com/../../etc/passwd") == "passwd"
    assert base_slug("", "🎉.txt") == "article"


def test_collisions_are_numbered_in_input_order() -> None:
    assert assign_slugs(["vote", "vote", "ferry", "vote"]) == ["vote", "vote-2", "ferry", "vote-3"]


def test_a_numbered_name_that_is_taken_is_skipped() -> None:
    assert assign_slugs(["vote", "vote-2", "vote"]) == ["vote", "vote-2", "vote-3"]
    assert assign_slugs(["vote"], taken=["vote", "VOTE-2"]) == ["vote-3"]


def test_a_malformed_url_is_named_from_its_text_not_a_crash() -> None:
    assert name_from_source("http://[::1/story-of-the-day") == "story-of-the-day"


def test_many_articles_with_one_title_are_numbered_without_rescanning() -> None:
    # Each allocation counted up from -2 again: 10,000 untitled articles took 10 s.
    class Counting(set[str]):
        lookups = 0

        def __contains__(self, item: object) -> bool:
            Counting.lookups += 1
            return super().__contains__(item)

    allocator = SlugAllocator()
    allocator._taken = Counting()
    names = [allocator.allocate("article") for _ in range(1000)]

    assert names[:3] == ["article", "article-2", "article-3"]
    assert names[-1] == "article-1000"
    assert Counting.lookups < 3 * 1000
