"""Sentence splitting with character offsets. PLACEHOLDER: being written (issue 2)."""

from __future__ import annotations

import re

_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph, with surrounding space excluded."""
    spans = []
    start = 0
    for match in _END.finditer(paragraph):
        end = match.end()
        spans.append((start, len(paragraph[:end].rstrip())))
        start = end
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans
