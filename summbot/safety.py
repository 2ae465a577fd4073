"""Spot text that tries to instruct the model instead of informing the reader.

An article is data: the prompts say so and fence it in delimiters, and this module lets the core
warn when a scraped page carries instructions aimed at an AI ("ignore previous instructions and
..."), so that a user knows why a model may have misbehaved. Detection never changes the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .article import Article

_PATTERNS = re.compile(
    r"""
    \b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|all|your|the)\b
        [^.!?\n]{0,30}\b(?:instructions?|prompts?|rules|directions|context)\b
    | \b(?:system|developer)\s+(?:prompt|message|instructions?)\b
    | \byou\s+are\s+now\s+(?:a|an|in|DAN)\b
    | \b(?:act|pretend|role-?play)\s+(?:as|to\s+be|that\s+you)\b
    | \b(?:reveal|print|repeat|show)\s+(?:your|the)\s+(?:system\s+)?(?:prompt|instructions)\b
    | \bas\s+an?\s+(?:AI|language\s+model|assistant)\b[^.!?\n]{0,30}\b(?:must|should|will)\b
    | </?\s*(?:article|notes|system|instructions?)\s*>
    """,
    re.IGNORECASE | re.VERBOSE,
)


def looks_like_instructions(text: str) -> bool:
    """Whether ``text`` reads like an instruction to an AI rather than news prose."""
    return _PATTERNS.search(text) is not None


def neutralise_delimiters(text: str) -> str:
    """Break look-alike ``<article>``/``</notes>`` tags inside data, so that data cannot close
    the delimiters the prompt puts around it."""
    return re.sub(
        r"<(/?\s*(?:article|notes)\s*)>", r"‹\1›", text, flags=re.IGNORECASE
    )


def instruction_warning(article: Article, ids: list[str] | None = None) -> str | None:
    """The warning for sentences (of ``ids``, or the whole article) that read like instructions
    to an AI, or None: the user should know why a model may have misbehaved."""
    wanted = set(ids) if ids is not None else None
    flagged = [
        s.id for s in article.sentences
        if (wanted is None or s.id in wanted) and looks_like_instructions(s.text)
    ]
    if not flagged:
        return None
    return (
        f"The article contains text that reads like instructions to an AI ({', '.join(flagged[:5])}); "
        "it was treated as article text, not followed."
    )
