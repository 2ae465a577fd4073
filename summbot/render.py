"""Turn summbot's results into text, markdown or JSON strings. Nothing here prints."""

from __future__ import annotations

import json
from typing import Any

from .article import Article


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_article(article: Article, fmt: str, *, show_removed: bool = False) -> str:
    """The cleaned article as ``text`` (body, optional removal report), ``markdown`` or ``json``."""
    if fmt == "json":
        return to_json(article.to_dict())
    if fmt == "markdown":
        return _article_markdown(article)
    parts = []
    if article.title:
        parts.append(article.title)
    meta = [m for m in (article.byline, article.published, article.dateline) if m]
    if meta:
        parts.append(" | ".join(meta))
    parts.append(_body_with_headings(article, heading_prefix=""))
    text = "\n\n".join(parts)
    if show_removed:
        text += "\n\n" + _removed_report(article)
    return text


def _body_with_headings(article: Article, heading_prefix: str) -> str:
    blocks: list[str] = []
    headings = {}
    for heading in article.headings:
        headings.setdefault(heading.paragraph, []).append(heading.text)
    for number, paragraph in enumerate(article.paragraphs, start=1):
        blocks.extend(heading_prefix + h for h in headings.get(number, []))
        blocks.append(paragraph)
    blocks.extend(heading_prefix + h for h in headings.get(len(article.paragraphs) + 1, []))
    return "\n\n".join(blocks)


def _removed_report(article: Article) -> str:
    if not article.removed:
        return "Removed: nothing."
    lines = [f"Removed ({len(article.removed)}):"]
    for removal in article.removed:
        snippet = removal.text if len(removal.text) <= 80 else removal.text[:77] + "..."
        lines.append(f"  [{removal.rule}] {snippet}")
    return "\n".join(lines)


def _article_markdown(article: Article) -> str:
    parts = [f"# {article.title}"] if article.title else []
    meta = [m for m in (article.byline, article.published, article.dateline) if m]
    if meta:
        parts.append("*" + " · ".join(meta) + "*")
    parts.append(_body_with_headings(article, heading_prefix="## "))
    return "\n\n".join(parts) + "\n"
