"""summbot: neutral, grounded summaries, key points and Q&A for news articles.

The library API mirrors the CLI: ``load_article`` reads and cleans a source, ``summarize`` and
``answer`` take an article and an engine and return data; nothing here prints.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .article import Article, Sentence, load_article
from .errors import SummbotError

__all__ = ["Article", "Sentence", "SummbotError", "__version__", "load_article"]
