"""Scraped-text cleaning. PLACEHOLDER: the real rules are being written (issue 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Removal:
    """A piece of the page the cleaner removed, and the named rule that removed it."""

    text: str
    rule: str


@dataclass(frozen=True)
class Block:
    """A kept block of the body: a paragraph, or a subheading."""

    kind: Literal["paragraph", "heading"]
    text: str


@dataclass
class Cleaned:
    title: str | None
    byline: str | None
    published: str | None
    dateline: str | None
    blocks: list[Block]
    removed: list[Removal] = field(default_factory=list)


def clean_text(raw: str) -> Cleaned:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    return Cleaned(None, None, None, None, [Block("paragraph", line) for line in lines])


def clean_html(html: str) -> Cleaned:
    raise NotImplementedError
