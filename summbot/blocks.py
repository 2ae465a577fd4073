"""The cleaner's output: the article's metadata, its body as blocks, and what was removed.

Kept apart from ``summbot.cleaning`` (which compiles many patterns on import) so that code which
only handles cleaned articles loads fast.
"""

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
    """The article found in a page: metadata, body blocks in order, and what was removed."""

    title: str | None
    byline: str | None
    published: str | None
    dateline: str | None
    blocks: list[Block]
    removed: list[Removal] = field(default_factory=list)


__all__ = ["Block", "Cleaned", "Removal"]
