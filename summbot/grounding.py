"""Check what an engine said against the article: cited ids, quotes, numbers, names, words.

Grounding is the product's promise, so it is decided here by code, never by the prompt alone.
Every check returns the problems it found as short sentences a user can read (empty when the
text is grounded); callers mark the point or answer unverified and warn, never drop it silently.

Comparisons are tolerant of what does not change meaning: curly vs straight quotes and
apostrophes, dashes, runs of whitespace, and letter case. An ellipsis inside a quotation
("We will ... respond") splits it into pieces that must each appear, in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .article import Article
from .textutil import HEDGES, STOPWORDS, negates, stem, words

_FOLD = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'",
        "–": "-", "—": "-", "‑": "-", "−": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")
_QUOTE = re.compile(r"[\"“”„]([^\"“”„]{2,}?)[\"“”]")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\.\s*\.\s*\.|…)\s*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\[\n-])\s*$")
_ID = re.compile(r"^S([1-9]\d*)$")
#: A point is supported when at least this share of its content words stand in its sources.
MIN_WORD_SUPPORT = 0.5
#: Verbs that put a claim at a distance ("argued", "expected"): hedges too, for this check.
_STANCE = frozenset(
    """denied denies argued argues believes believed expected estimated estimates warned
    suggested""".split()
)
#: Plain reporting ("X said"): no hedge in a sentence, but a point that attributes its claim
#: this way keeps it the source's, which is as good as repeating the hedge.
_REPORTING = frozenset("according said says say told".split())


def _nfc(text: str) -> str:
    """One code point per accented letter: "é" may arrive as e + a combining accent (NFD)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Text with quotes, dashes, spacing, case and Unicode composition folded, for tolerant
    comparison."""
    return _SPACE.sub(" ", _nfc(text).translate(_FOLD)).strip().lower()


def quotations(text: str) -> list[str]:
    """The passages in double quotes (straight or curly) in ``text``."""
    return [m.group(1).strip() for m in _QUOTE.finditer(text) if m.group(1).strip()]


def contains_quote(haystack: str, quote: str) -> bool:
    """Whether ``quote`` appears in ``haystack``, tolerant of quotes, dashes, spacing, case and
    of ellipses standing for omitted words."""
    folded = fold(haystack)
    position = 0
    for piece in _ELLIPSIS.split(fold(quote).strip(" \"'")):
        piece = piece.strip(" ,;:.\"'")
        if not piece:
            continue
        found = folded.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def locate_quote(quote: str, article: Article) -> list[str]:
    """Ids of the sentences that contain ``quote``; for a quote that runs across sentences,
    the first sentence of the run."""
    hits = [s.id for s in article.sentences if contains_quote(s.text, quote)]
    if hits or not contains_quote(article.text, quote):
        return hits
    first = fold(_ELLIPSIS.split(quote)[0])[:40]
    return [s.id for s in article.sentences if first and first[: len(first) // 2] in fold(s.text)][:1]


def unknown_ids(ids: Iterable[str], article: Article) -> list[str]:
    return [i for i in ids if not _ID.match(i) or article.sentence(i) is None]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _content(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit()]


def check_point(text: str, cited: list[str], article: Article) -> list[str]:
    """Problems with a key point: its citations, quotes, numbers, names and word support."""
    if not cited:
        return ["cites no sentence"]
    missing = unknown_ids(cited, article)
    if missing:
        return [f"cites {', '.join(missing)}, which the article does not have"]
    text = _nfc(text)
    sources = _nfc(" ".join(article.sentence(i).text for i in cited))  # type: ignore[union-attr]
    problems = check_text(text, article, sources=sources)
    problems.extend(_stance(text, sources))
    content = _content(text)
    if content:
        source_stems = set(_content(sources))
        share = sum(1 for c in content if c in source_stems) / len(content)
        if share < MIN_WORD_SUPPORT:
            problems.append(
                f"most of its words are not in the cited sentences ({', '.join(cited)})"
            )
    return problems


def _negated(text: str) -> bool:
    return any(negates(w) for w in words(text))


def _stance(text: str, sources: str) -> list[str]:
    """A point must not negate what its sentences state, nor state as fact what they hedge."""
    problems = []
    if _negated(text) and not _negated(sources):
        problems.append("it negates what its cited sentences state")
    source_hedges = sorted({w for w in words(sources) if w in HEDGES or w in _STANCE})
    if source_hedges and not any(w in HEDGES or w in _STANCE or w in _REPORTING for w in words(text)):
        problems.append(f"it drops the hedge of its cited sentences ({', '.join(source_hedges)})")
    return problems


def check_text(text: str, article: Article, *, sources: str | None = None) -> list[str]:
    """Problems with free text (a summary, an answer): quotes not in the article, numbers not in
    ``sources`` (the whole article by default), names the article never mentions."""
    text = _nfc(text)
    problems = []
    for quote in quotations(text):
        if not contains_quote(article.text, quote) and not (
            article.title and contains_quote(article.title, quote)
        ):
            problems.append(f"quotes “{_clip(quote)}”, which is not in the article")
    whole = _nfc(article.text + " " + (article.title or ""))
    reference = whole if sources is None else _nfc(sources)
    absent_numbers = sorted(_numbers(text) - _numbers(reference))
    if absent_numbers:
        problems.append(f"gives {', '.join(absent_numbers)}, not found in its sources")
    known = set(words(whole))
    absent_names = []
    for name in _names(text):
        if name.lower() not in known and name.lower() not in STOPWORDS and name not in absent_names:
            absent_names.append(name)
    if absent_names:
        problems.append(f"names {', '.join(absent_names)}, which the article never mentions")
    return problems


def _names(text: str) -> list[str]:
    """Capitalised words that are not merely the first word of a sentence or quotation."""
    return [
        m.group(0)
        for m in _CAPITALISED.finditer(text)
        if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()] or "^")
        and m.start() > 0
    ]


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
