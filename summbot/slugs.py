"""File names for batch output: safe slugs from titles, file names and URLs.

A title comes from the article, so it is untrusted input: ``../../etc/passwd``, ``CON``, a
thousand characters, emoji or nothing at all must each still give one plain, portable file name
inside the output folder. A slug is therefore ASCII letters, digits and single hyphens only (no
dots, so no ``..`` and no extension tricks; no slashes, so no path traversal), lower case (so two
names never differ only by case on a case-insensitive file system), capped in length, and never
a name Windows reserves (``con``, ``nul``, ``com1``...) or one the batch itself writes
(``index``, ``manifest``).

Collisions are resolved by input order, so the same inputs always give the same names:
the first ``budget-vote`` keeps it, the next ones become ``budget-vote-2``, ``budget-vote-3``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

#: Longest slug before the ``.md`` suffix and any ``-N`` collision suffix; well under the 255
#: bytes file systems allow, and short enough to read in a directory listing.
MAX_LENGTH = 80
FALLBACK = "article"

#: Device names Windows refuses as file names, with or without an extension.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{n}" for n in range(10)}
    | {f"lpt{n}" for n in range(10)}
)
#: Names the batch writes itself (``index.md``, ``manifest.json``).
_OWN = frozenset({"index", "manifest"})

#: Letters that NFKD does not decompose into ASCII but that have an obvious ASCII spelling.
_FOLD = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
        "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
        "ı": "i", "&": " and ", "'": "", "\u2019": "", "\u2018": "",
    }
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str | None, max_length: int = MAX_LENGTH) -> str:
    """``text`` as a safe, lower-case ASCII slug, or ``""`` when nothing usable is left.

    Accents are folded (``Zürich`` -> ``zurich``), everything else that is not a letter or digit
    becomes a single hyphen, and a long slug is cut at a word boundary when one is near.
    Reserved names get ``-article`` appended, so ``CON`` becomes ``con-article``.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    # Accents (combining marks) go; any other non-ASCII character separates words.
    ascii_text = "".join(
        char if char.isascii() else ("" if unicodedata.category(char) == "Mn" else " ")
        for char in folded
    ).lower()
    slug = _NOT_ALNUM.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        boundary = cut.rfind("-")
        slug = cut[:boundary] if boundary >= max_length // 2 else cut
        slug = slug.strip("-")
    if slug in _WINDOWS_RESERVED or slug in _OWN:
        slug = f"{slug}-{FALLBACK}"
    return slug


def name_from_source(source: str) -> str:
    """The part of a path or URL that names the article: a file's stem, a URL's last segment
    (or its host when the path is empty)."""
    if "://" in source:
        try:
            parts = urlsplit(source)
            host = parts.hostname
        except ValueError:  # "http://[::1/story": read it as a path
            return _stem(PurePosixPath(source).name)
        segments = [s for s in unquote(parts.path).split("/") if s]
        if segments:
            return _stem(segments[-1])
        return host or ""
    return _stem(PurePosixPath(source.replace("\\", "/")).name)


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name.strip(".") else name


def base_slug(title: str | None, source: str) -> str:
    """The slug an article asks for: its title's, else its file or URL name's, else ``article``."""
    return slugify(title) or slugify(name_from_source(source)) or FALLBACK


class SlugAllocator:
    """Hands out unique slugs in the order asked, ``-2``, ``-3``... on collisions.

    Names already taken (by finished articles of an earlier run) are passed in ``taken`` so a
    resumed run never reuses them.
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = {name.lower() for name in taken}
        #: The next number to try per base, so a thousand "article"s do not each count up from 2.
        self._next: dict[str, int] = {}

    def reserve(self, slug: str) -> None:
        self._taken.add(slug.lower())

    def allocate(self, base: str) -> str:
        candidate = base
        number = self._next.get(base.lower(), 1)
        if number > 1:
            candidate = f"{base}-{number}"
        while candidate.lower() in self._taken:
            number += 1
            candidate = f"{base}-{number}"
        self._taken.add(candidate.lower())
        self._next[base.lower()] = number + 1
        return candidate


def assign_slugs(bases: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Unique slugs for ``bases`` in order: ``["a", "a", "b"]`` -> ``["a", "a-2", "b"]``."""
    allocator = SlugAllocator(taken)
    return [allocator.allocate(base) for base in bases]
