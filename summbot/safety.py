"""Spot text that tries to instruct the model instead of informing the reader.

An article is data: the prompts say so and fence it in delimiters, and this module lets the core
warn when a scraped page carries instructions aimed at an AI ("ignore previous instructions and
..."), so that a user knows why a model may have misbehaved. Detection never changes the text.
"""

from __future__ import annotations

import re

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
