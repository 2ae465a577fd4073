"""`summbot clean` as the README shows it: text with --show-removed, markdown, JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from summbot.cli import cli

PAGE = (
    "HomeNewsCity council approves new footbridge over the river\n\n"
    "City council approves new footbridge over the river\n\nBy Jane Doe\n\nMarch 3, 2025\n\n"
    "The city council approved a new footbridge over the river on Tuesday, ending a long "
    "campaign by residents.\n\n- Advertisement -\n\nConstruction timeline\n\n"
    "Work will begin in May and take about a year, the council said.\n\n"
    "“This is a good day for walkers,” said councillor Ana Ruiz.\n\n"
    "Share this article\n\nAll rights reserved.\n"
)
BODY = (
    "The city council approved a new footbridge over the river on Tuesday, ending a long "
    "campaign by residents.\n\n"
    "{h}Construction timeline\n\n"
    "Work will begin in May and take about a year, the council said.\n\n"
    "“This is a good day for walkers,” said councillor Ana Ruiz."
)


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(PAGE, encoding="utf-8")
    return str(path)


def clean(*args: str) -> str:
    result = CliRunner().invoke(cli, ["clean", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_output_lists_every_removal_with_its_rule(page):
    assert clean(page, "--show-removed") == (
        "City council approves new footbridge over the river\n\nJane Doe | 2025-03-03\n\n"
        + BODY.format(h="")
        + "\n\nRemoved (7):\n"
        "  [breadcrumb] HomeNewsCity council approves new footbridge over the river\n"
        "  [title] City council approves new footbridge over the river\n"
        "  [byline] By Jane Doe\n"
        "  [date] March 3, 2025\n"
        "  [ad-marker] - Advertisement -\n"
        "  [share-follow] Share this article\n"
        "  [footer] All rights reserved.\n"
    )


def test_text_output_without_the_report_is_the_article_alone(page):
    assert clean(page) == (
        "City council approves new footbridge over the river\n\nJane Doe | 2025-03-03\n\n"
        + BODY.format(h="") + "\n"
    )


def test_markdown_output_has_the_title_metadata_and_subheadings(page):
    assert clean(page, "--format", "markdown") == (
        "# City council approves new footbridge over the river\n\n*Jane Doe · 2025-03-03*\n\n"
        + BODY.format(h="## ") + "\n\n"
    )


def test_json_output_keeps_the_subheading_out_of_the_sentences(page):
    data = json.loads(clean(page, "--format", "json"))
    assert data["headings"] == [{"text": "Construction timeline", "paragraph": 2}]
    assert [s["id"] for s in data["sentences"]] == ["S1", "S2", "S3"]
    assert all(data["text"][s["start"]:s["end"]] == s["text"] for s in data["sentences"])
    assert data["text"] == BODY.format(h="").replace("Construction timeline\n\n", "")
