"""summbot: neutral, grounded summaries, key points and Q&A for news articles.

The library API mirrors the CLI and never prints: ``load_article`` reads and cleans a source,
``summarize`` and ``answer`` take an article and an engine and return data, and ``run_batch``
writes many summaries to a folder. Engines are passed in::

    from summbot import ExtractiveEngine, load_article, summarize

    article = load_article("article.txt")
    result = summarize(article, ExtractiveEngine())
    print(result.to_dict())

Heavier pieces (the openai engine, batch) are imported lazily, on first use.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .article import Article, Sentence, load_article
from .engines.base import Completion, Engine, Request, Task, Usage
from .engines.extractive import ExtractiveEngine
from .errors import SummbotError

# Imported eagerly: the submodule shares the function's name, and a lazy import would let
# ``import summbot.summarize`` elsewhere rebind ``summbot.summarize`` to the module.
from .summarize import Summary, summarize

_LAZY = {
    "answer": ("summbot.qa", "answer"),
    "Answer": ("summbot.qa", "Answer"),
    "Conversation": ("summbot.qa", "Conversation"),
    "run_batch": ("summbot.batch", "run_batch"),
    "OpenAIEngine": ("summbot.engines.openai", "OpenAIEngine"),
    "ReplayEngine": ("summbot.engines.replay", "ReplayEngine"),
    "RecordingEngine": ("summbot.engines.replay", "RecordingEngine"),
    "Prompts": ("summbot.templates", "Prompts"),
    "resolve_settings": ("summbot.config", "resolve_settings"),
    "make_engine": ("summbot.config", "make_engine"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summbot' has no attribute {name!r}")


__all__ = [
    "Answer", "Article", "Completion", "Conversation", "Engine", "ExtractiveEngine",
    "OpenAIEngine", "Prompts", "RecordingEngine", "ReplayEngine", "Request", "Sentence",
    "Summary", "SummbotError", "Task", "Usage", "__version__", "answer", "load_article",
    "make_engine", "resolve_settings", "run_batch", "summarize",
]
