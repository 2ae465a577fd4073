"""The library API: what the README promises a Python user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import summbot

ROOT = Path(__file__).resolve().parents[1]


def test_summarize_an_example_through_the_library():
    article = summbot.load_article(str(ROOT / "examples" / "wire-story.txt"))
    result = summbot.summarize(article, summbot.ExtractiveEngine(), length="short", points=2)
    data = result.to_dict()
    assert data["engine"] == "extractive" and len(data["key_points"]) == 2
    assert all(point["verified"] for point in data["key_points"])


def test_answer_through_the_library():
    article = summbot.load_article(str(ROOT / "examples" / "wire-story.txt"))
    reply = summbot.answer(article, "How many children missed their first measles dose in 2023?", summbot.ExtractiveEngine())
    assert reply.to_dict()["answerable"] is True
    assert "22 million" in reply.to_dict()["answer"]


def test_every_name_in_all_resolves():
    for name in summbot.__all__:
        assert getattr(summbot, name) is not None


def test_importing_summbot_does_not_import_openai():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, summbot; print('openai' in sys.modules)"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.stdout.strip() == "False"


def test_summarize_stays_the_function_after_its_module_is_imported():
    import importlib

    importlib.import_module("summbot.summarize")
    assert callable(summbot.summarize) and summbot.summarize.__name__ == "summarize"
