"""Reading sources. PLACEHOLDER: being written (issue 2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Document:
    name: str
    text: str
    is_html: bool


def read_source(source, *, stdin=None, max_bytes=None, timeout=None) -> Document:
    text = Path(source).read_text(encoding="utf-8")
    return Document(source, text, source.endswith((".html", ".htm")))
