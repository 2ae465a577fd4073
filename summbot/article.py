"""The article: cleaned body, metadata, paragraphs and numbered sentences.

``load_article`` is the pipeline's front door: read a source (path, ``-``, URL), extract HTML,
clean scraped debris, split the body into paragraphs and sentences, and count its tokens.
Everything after this stage (summaries, Q&A, batch) works on an ``Article`` and cites its
sentences by id (``S1``...``Sn``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .blocks import Block, Cleaned, Removal
from .sentences import split_sentences


@dataclass(frozen=True)
class Sentence:
    """One body sentence; ``article.text[start:end] == text``."""

    id: str
    text: str
    paragraph: int  # 1-based
    start: int
    end: int

    @property
    def number(self) -> int:
        return int(self.id[1:])


@dataclass(frozen=True)
class Heading:
    """A subheading; it stands before paragraph ``paragraph`` (1-based)."""

    text: str
    paragraph: int


@dataclass(frozen=True)
class TokenCount:
    count: int
    encoding: str


@dataclass
class Article:
    source: str
    title: str | None
    byline: str | None
    published: str | None
    dateline: str | None
    text: str
    paragraphs: list[str]
    headings: list[Heading]
    sentences: list[Sentence]
    removed: list[Removal] = field(default_factory=list)
    tokens: TokenCount | None = None

    def sentence(self, sentence_id: str) -> Sentence | None:
        """The sentence with this id (``S3``), or None when there is none."""
        index = _sentence_index(sentence_id)
        if index is None or not 0 <= index < len(self.sentences):
            return None
        return self.sentences[index]

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract of ``summbot clean --format json``."""
        return {
            "source": self.source,
            "title": self.title,
            "byline": self.byline,
            "published": self.published,
            "dateline": self.dateline,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
            "headings": [{"text": h.text, "paragraph": h.paragraph} for h in self.headings],
            "sentences": [
                {"id": s.id, "text": s.text, "paragraph": s.paragraph, "start": s.start, "end": s.end}
                for s in self.sentences
            ],
            "removed": [{"text": r.text, "rule": r.rule} for r in self.removed],
            "tokens": (
                {"count": self.tokens.count, "encoding": self.tokens.encoding}
                if self.tokens
                else None
            ),
        }


def _sentence_index(sentence_id: str) -> int | None:
    sid = sentence_id.strip().upper()
    if len(sid) < 2 or sid[0] != "S" or not sid[1:].isdigit():
        return None
    return int(sid[1:]) - 1


PARAGRAPH_SEPARATOR = "\n\n"


def build_article(source: str, cleaned: Cleaned) -> Article:
    """Number the cleaned blocks' paragraphs and sentences, with offsets into the body text."""
    paragraphs: list[str] = []
    headings: list[Heading] = []
    sentences: list[Sentence] = []
    offset = 0
    for block in cleaned.blocks:
        if block.kind == "heading":
            headings.append(Heading(block.text, len(paragraphs) + 1))
            continue
        if paragraphs:
            offset += len(PARAGRAPH_SEPARATOR)
        paragraphs.append(block.text)
        for start, end in split_sentences(block.text):
            number = len(sentences) + 1
            sentences.append(
                Sentence(f"S{number}", block.text[start:end], len(paragraphs), offset + start, offset + end)
            )
        offset += len(block.text)
    # A heading after the last paragraph heads nothing: keep it, pointing past the end.
    return Article(
        source=source,
        title=cleaned.title,
        byline=cleaned.byline,
        published=cleaned.published,
        dateline=cleaned.dateline,
        text=PARAGRAPH_SEPARATOR.join(paragraphs),
        paragraphs=paragraphs,
        headings=headings,
        sentences=sentences,
        removed=list(cleaned.removed),
    )


def load_article(
    source: str,
    *,
    model: str | None = None,
    stdin: Any = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    count_tokens: bool = True,
) -> Article:
    """Read, clean and number an article from a path, ``-`` (stdin) or an http(s) URL.

    ``count_tokens=False`` skips the token count (``article.tokens`` stays None): loading a
    tokenizer costs ~0.1 s, which the offline engine has no use for.

    Raises an ``InputError`` subclass naming the source when it cannot be read or holds no
    article.
    """
    from . import sources
    from .cleaning import clean_html, clean_text
    from .errors import EmptySource, NoArticleFound
    from .tokens import counter_for_model

    document = sources.read_source(source, stdin=stdin, max_bytes=max_bytes, timeout=timeout)
    cleaned = clean_html(document.text) if document.is_html else clean_text(document.text)
    article = build_article(document.name, cleaned)
    if not article.sentences:
        if document.is_html:
            raise NoArticleFound(
                f"{document.name}: no article text found in this HTML page; "
                "save the article's text to a .txt file and try that."
            )
        raise EmptySource(f"{document.name}: no article text left after cleaning; check the file.")
    if not count_tokens:
        return article
    counter = counter_for_model(model)
    article.tokens = TokenCount(counter.count(article.text), counter.encoding_name)
    return article


__all__ = ["Article", "Block", "Heading", "Sentence", "TokenCount", "build_article", "load_article"]
