"""HTML to blocks: trafilatura finds the article and its metadata; we keep its structure.

Trafilatura's XML output keeps what plain-text output loses: which lines are headings, which are
list items, and the page's title, author and date. ``extract_html`` flattens that XML into
``(kind, text)`` blocks for the cleaner. Trafilatura (and lxml) are imported here, lazily, since
importing them costs a noticeable fraction of a second that text-only runs should not pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Extracted:
    """The article trafilatura found: blocks in order, plus the page's metadata."""

    #: ``(kind, text)`` pairs, kind being "heading", "paragraph" or "item" (a list item, a row).
    blocks: list[tuple[str, str]] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: str | None = None


_SITE_SEPARATORS = re.compile(r"\s+[|–—\-:·•»]\s+")


def extract_html(html: str) -> Extracted | None:
    """The main text of an HTML page as blocks, or None when the page holds no article text."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    if not xml:
        return None
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True))
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    main = root.find("main")
    blocks: list[tuple[str, str]] = []
    if main is not None:
        for element in main:
            _collect(element, blocks)
    site = root.get("sitename")
    return Extracted(
        blocks=blocks,
        title=_page_title(root.get("title"), site),
        author=_clean_author(root.get("author")),
        date=root.get("date") or None,
    )


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "br",
        "button",
        "label",
        "option",
        "select",
        "caption",
    ]
)
_INVISIBLE = "//script|//style|//noscript|//template|//svg|//iframe|//head|//object|//canvas"


def visible_blocks(html: str) -> list[str]:
    """The page's visible text, one string per block element, in page order.

    What a reader would see (and copy): the cleaner reports the blocks that trafilatura left out
    as removed, so ``--show-removed`` explains an HTML page as it does a text one.
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        document = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    for node in document.xpath(_INVISIBLE):
        node.drop_tree()
    parts: list[str] = []

    # Recursion is safe: libxml2 caps an HTML tree's depth at 256 elements.
    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(document)
    return [" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip()]


def _collect(element: Any, blocks: list[tuple[str, str]]) -> None:
    """Flatten one top-level element of trafilatura's ``<main>`` into blocks."""
    tag = element.tag
    if tag == "head":
        blocks.append(("heading", _text(element)))
    elif tag == "list":
        for item in element.iter("item"):
            blocks.append(("item", _text(item)))
    elif tag == "table":
        for row in element.iter("row"):
            cells = [_text(cell) for cell in row.iter("cell")]
            blocks.append(("item", " | ".join(c for c in cells if c)))
    elif (
        tag in ("quote", "div")
        and len(element)
        and all(c.tag in ("p", "list", "head") for c in element)
    ):
        for child in element:
            _collect(child, blocks)
    elif tag == "graphic":
        return
    elif tag == "p" and _bold_only(element):
        # A paragraph that is one bold run is how many CMSes write a subheading.
        blocks.append(("heading", _text(element)))
    else:
        # <lb/> is a line break inside a block: each line reads as its own paragraph.
        for line in _text(element, keep_breaks=True).split("\n"):
            blocks.append(("paragraph", line))


def _bold_only(element: Any) -> bool:
    """``<p><hi rend="#b">Short words</hi></p>``: bold, short, with no sentence end."""
    if len(element) != 1 or (element.text or "").strip() or (element[0].tail or "").strip():
        return False
    child = element[0]
    if child.tag != "hi" or child.get("rend") not in ("#b", "#strong"):
        return False
    text = _text(child)
    return 0 < len(text.split()) <= 15 and not text.endswith((".", "!", "?", ":", "…", "”", '"'))


def _text(element: Any, keep_breaks: bool = False) -> str:
    """The element's text with inline formatting flattened; ``<lb/>`` as a newline if asked."""
    parts: list[str] = []

    # Recursion is safe: libxml2 caps an HTML tree's depth at 256 elements.
    def walk(node: Any) -> None:
        if node.tag == "lb":
            parts.append("\n" if keep_breaks else " ")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts).strip()


def _page_title(title: str | None, site: str | None) -> str | None:
    """The headline without the site name that pages append ("Headline | The Daily Planet")."""
    if not title:
        return None
    title = " ".join(title.split())
    pieces = _SITE_SEPARATORS.split(title)
    if len(pieces) > 1:
        site_key = (site or "").lower().replace("www.", "")
        last, first = pieces[-1].lower(), pieces[0].lower()
        if site_key and (site_key in last or last in site_key):
            return title[: title.rfind(pieces[-1])].rstrip(" |–—-:·•»")
        if site_key and (site_key in first or first in site_key):
            return title[len(pieces[0]) :].lstrip(" |–—-:·•»")
        if len(pieces[-1].split()) <= 3 and len(pieces[0].split()) >= 4:
            return title[: title.rfind(pieces[-1])].rstrip(" |–—-:·•»")
    return title


_ROLE = re.compile(
    r"\b(?:writer|editor|editor-at-large|reporter|correspondent|staff|columnist|contributor"
    r"|bureau chief)\b",
    re.IGNORECASE,
)
_TRAILING_DATE_WORDS = re.compile(
    r"(?:\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march"
    r"|april|may|june|july|august|september|october|november|december|published|updated))+$",
    re.IGNORECASE,
)
_ANALYSIS_BY = re.compile(
    r"^(?:analysis|commentary|opinion|text|words|story)\s+by\s+", re.IGNORECASE
)


def _clean_author(author: str | None) -> str | None:
    """The author names from the page's metadata, without roles or date words glued on.

    "Tom Krisher; Ap Auto Writer" -> "Tom Krisher"; "Kevin Johnson; Kevin McCoy" ->
    "Kevin Johnson and Kevin McCoy"; "Jeff Foust Monday; November" -> "Jeff Foust".
    """
    if not author:
        return None
    names: list[str] = []
    pieces = [" ".join(piece.split()) for piece in author.split(";")]
    for piece in pieces:
        piece = _ANALYSIS_BY.sub("", " ".join(piece.split()))
        piece = _TRAILING_DATE_WORDS.sub("", piece).strip(" ,")
        if not piece or _TRAILING_DATE_WORDS.fullmatch(f" {piece}") or _ROLE.search(piece):
            continue
        if piece not in names:
            names.append(piece)
    if not names:
        return pieces[0] or None  # only a role ("Science X staff"): better than nothing
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
