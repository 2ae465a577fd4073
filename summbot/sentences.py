"""Sentence splitting with character offsets, tuned for news prose.

``split_sentences(paragraph)`` returns ``(start, end)`` spans such that ``paragraph[start:end]``
is a sentence with no surrounding whitespace. Every non-space character of the paragraph lies in
exactly one span, so citing ``S7`` always points at text that is really in the article.

How it works, and why: one regex finds the *candidate* ends (terminal punctuation, optional
closing quotes or brackets, then whitespace), so the scan over the text runs in C; a small Python
function then decides each candidate from three things only: the word before the punctuation,
the punctuation itself, and the word after. That keeps the splitter at tens of MB/s while
handling what news copy throws at it:

- abbreviations that never end a sentence (``Mr.``, ``Dr.``, ``Gen.``, ``vs.``, ``e.g.``) and
  ones that may (``U.S.``, ``Inc.``, ``Jr.``, ``p.m.``, ``Feb.``): the latter end a sentence only
  when a typical sentence opener follows (``in the U.S. The talks`` splits, ``U.S. officials``
  and ``U.S. President`` do not);
- ``No. 10``, ``Art. 5``, ``approx. 5``: a number follows, so no boundary;
- initials (``J. R. R. Tolkien``, ``Michael A. McCoy``) and decimals (``3.5``, no space);
- ellipses: ``and then... nothing`` continues, ``he said... The next day`` ends;
- quotations: ``"Why now?" she asked.`` and ``"We will win." Miller said.`` are one sentence
  (an attribution follows the quote); ``"We won." The crowd cheered.`` is two;
- numbered lists: ``1. Raise taxes.`` keeps its marker.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_LONGEST_WORD = 40
_QUOTES = frozenset("\"'”’»")
_OPENERS = "\"'“‘([«"

# A candidate starts only where a run of terminal punctuation starts: tried at every dot of a
# long run, each try would backtrack over the rest of it (100,000 full stops took minutes).
# The check looks back from the first punctuation mark rather than leading the pattern, so the
# regex engine keeps its fast scan for the first character.
# Terminal punctuation (a spaced ". . ." ellipsis first, so it is taken whole), closing quotes
# and brackets, then either whitespace or (scraping glue, "said.The") a capitalised word right
# after a lower-case word's full stop.
# After the whitespace, a lookahead captures what follows (opening quotes or brackets, the next
# word, the character after it) without consuming it, so deciding needs no second regex.
_CANDIDATE = re.compile(
    r"(?P<punct>\.(?<![.!?…]\.)(?:[ \t]\.){2,}|[.!?…](?<![.!?…]{2})[.!?…]*)"
    r"(?P<close>[\"'”’)\]»]*)"
    r"(?:(?P<ws>\s+)(?=(?P<open>[\"'“‘(\[«]*)(?P<word>[\w’'&-]*)(?P<after>.?))"
    r"|(?<=[a-z][a-z][.!?])(?=[A-Z][a-z]))",
    re.DOTALL,
)
# The same, also ending at Chinese and Japanese full stops, which take no space after them. A
# separate pattern because those characters slow the scan of every other paragraph by a third.
_CANDIDATE_CJK = re.compile(
    r"(?P<punct>\.(?<![.!?…。！？]\.)(?:[ \t]\.){2,}"
    r"|[.!?…](?<![.!?…。！？][.!?…])[.!?…]*|[。！？](?<![.!?…。！？]{2})[。！？]*)"
    r"(?P<close>[\"'”’)\]»」』）]*)"
    r"(?:(?P<ws>\s+)(?=(?P<open>[\"'“‘(\[«]*)(?P<word>[\w’'&-]*)(?P<after>.?))"
    r"|(?<=[a-z][a-z][.!?])(?=[A-Z][a-z])"
    r"|(?<=[。！？」』）])(?=\S))",
    re.DOTALL,
)
_CJK_STOPS = frozenset("。！？")
# What carries a sentence on after "!" or "?": "there is reason -- lots of it! -- to wonder".
_CARRY_ON = frozenset("-–—,;:)]")
_LETTER_ITEM = re.compile(r"(?:[a-h]|[ivx]{1,4})[.)]\s+[\"'“‘(]?[A-Z]")
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_LIST_MARKER = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})\)?")

# Abbreviations that (practically) never end a sentence: titles before a name, and Latin/legal
# connectives. Matched case-sensitively, as written before the dot.
_NEVER_END = frozenset(
    """Mr Mrs Ms Mx Messrs Mmes Dr Drs Prof Profs Gen Gens Sen Sens Rep Reps Gov Govs Lt Col Capt
    Cpt Sgt Cpl Pvt Adm Cmdr Cdr Maj Brig Rev Revs Hon Msgr Fr Mt Ft Pres Supt Det Insp Atty
    Amb Sec Secs Rt Gov-elect Lt-Gen Maj-Gen Brig-Gen Sr-Lt vs v cf viz eg ie Vs""".split()  # noqa: SIM905 - a word list reads better as text
)
# Lower-cased forms that never end a sentence.
_NEVER_END_LOWER = frozenset({"vs", "v", "cf", "viz", "e.g", "i.e", "mr", "mrs", "dr", "prof"})
# Abbreviations that are normally followed by a number: ``No. 10``, ``Art. 5``, ``approx. 5``.
_BEFORE_NUMBER = frozenset(
    """no nos art arts fig figs vol vols pp p para paras sec ch chap ex approx ca c est ext tel
    op ed eds rev pt pts ser nr""".split()  # noqa: SIM905 - a word list reads better as text
)
# Abbreviations that may end a sentence: companies, suffixes, months, days, US states, streets.
_MAY_END = frozenset(
    """Inc Corp Corps Co Cos Ltd Bros Plc Assn Dept Govt Univ Intl Natl Mfg Dist Jr Sr Esq etc
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo St Ste Ave Blvd Rd Hwy Sq""".split()  # noqa: SIM905 - a word list reads better as text
)

# Words that typically open a sentence. After a may-end abbreviation or an initial, the sentence
# ends only when one of these follows ("in the U.S. The talks" vs "U.S. President").
_STARTERS = frozenset(
    """The A An He She It They We I You His Her Its Their Our My Your This That These Those There
    Here But And Or So Yet Nor In On At For From By With Without After Before During Since Until
    When While Where Why How What Who Whom Whose Which If As Although Though Because However
    Meanwhile Still Also Then Now Today Yesterday Tomorrow Last Next Earlier Later Some Many Most
    Several All Both Each Every Few No Not None One Two Three Four Five More Other Others Another
    Such According Officials Police Authorities Critics Analysts Experts Investors Despite Under
    Over Among Between Asked Speaking Instead Indeed Overall Separately Elsewhere Nevertheless
    Nonetheless Moreover Furthermore Further Thus Therefore Only Even Just Please Let Do Does Did
    Is Are Was Were Will Would Can Could Should May Might Must Has Have Had Once Unlike Like Given
    Following Amid Against Across Around About Above Below Beyond Within Through Throughout Yes
    Mr Mrs Ms Dr""".split()  # noqa: SIM905 - a word list reads better as text
)

_VERBS = (
    r"said|says|say|told|tells|asked|asks|added|adds|wrote|writes|explained|noted|replied|"
    r"continued|insisted|argued|stated|declared|warned|recalled|acknowledged|admitted|conceded|"
    r"shouted|tweeted|posted|remarked|observed|cautioned|concluded|claimed|suggested|announced|"
    r"responded|answered|joked|quipped|exclaimed|whispered|agreed|confirmed|predicted|urged"
)
_AFTER_VERB = (
    r"(?=\s*(?:[.,;]|$)|\s+(?:on|in|at|during|after|before|last|this|yesterday|today|"
    r"earlier|later|recently|late|early|then|again|afterwards|once|twice|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
# An attribution right after a closing quote: "...," Miller said. / "...?" she asked. /
# "..." said the minister.
_ATTRIBUTION = re.compile(
    r"(?:(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Ii]t)"
    r"|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)(?:\s+[\w'’.-]+){1,3}?"
    r"|[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|der|al|bin|da|di|le|la)){0,4}?)"
    rf"\s+(?:{_VERBS}){_AFTER_VERB}"
    rf"|(?:{_VERBS})\s+(?:[A-Z]|the\s|a\s|an\s|his\s|her\s|their\s|one\s)"
)


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph, with surrounding space excluded.

    The spans are in order, do not overlap, and together with the whitespace between them
    cover the whole paragraph: no character is ever dropped.
    """
    stripped_end = len(paragraph.rstrip())
    start = len(paragraph) - len(paragraph.lstrip())
    if start >= stripped_end:
        return []
    spans: list[tuple[int, int]] = []
    cjk = "。" in paragraph or "！" in paragraph or "？" in paragraph
    candidates = (_CANDIDATE_CJK if cjk else _CANDIDATE).finditer(
        paragraph, start, stripped_end + 1
    )
    quotes = _QuoteCounts(paragraph)
    for match in candidates:
        end = match.end("close")
        if end >= stripped_end:
            break
        if match.start() <= start or not _is_boundary(paragraph, match, start, quotes):
            continue
        spans.append((start, end))
        start = match.end()
    spans.append((start, stripped_end))
    return spans


def _is_boundary(
    text: str, match: re.Match[str], sentence_start: int, quotes: _QuoteCounts
) -> bool:
    """Whether the candidate ``match`` really ends the sentence that began at ``sentence_start``."""
    punct, close, ws, opener, word, after = match.groups()
    if ws is None:
        if punct[0] in _CJK_STOPS:  # Chinese and Japanese full stops take no space
            return True
        # Glued "said.The": a boundary unless it is an abbreviation, or an address or a domain
        # ("Jonathan.Amos@bbc.co.uk", "www.DearAbby.com").
        before = _word_before(text, match.start(), sentence_start)
        run = text[match.end() : match.end() + _LONGEST_WORD].split(maxsplit=1)
        following = run[0].rstrip(".!?,;:\"'”’)") if run else ""
        return not (
            _is_abbreviation(before)
            or "www" in before.lower()
            or "." in following
            or any(c in before or c in following for c in "@/:")
        )
    first = word[:1] or after
    if not first:
        return True
    if (
        close
        and not opener
        and not _QUOTES.isdisjoint(close)
        and _ATTRIBUTION.match(text, match.start("word"))
    ):
        return False
    if first.islower() and not word[1:2].isupper():  # "iPhone 11 Pro ..." starts a sentence
        # "Why now?" she asked. / U.S. officials / approx. five / and then... nothing; but a
        # lettered list item ("... option. b. The second ...") starts a sentence.
        return bool(_LETTER_ITEM.match(text, match.start("word"))) and not opener
    if punct == ".":
        before = _word_before(text, match.start(), sentence_start)
        return _period_ends(before, word, after, opener, text, sentence_start, match)
    if "?" in punct or "!" in punct or punct[0] in _CJK_STOPS:
        # "lots of it! -- to wonder": a dash or a comma carries the sentence on.
        if first in _CARRY_ON:
            return False
        # A slogan or title quoted mid-sentence: 'the slogan "Running on empty? Running on
        # Crumbs", after unions said ...' -- the quotation closes into a comma or lower case.
        return not (
            not close
            and quotes.open_at(sentence_start, match.start())
            and _QUOTE_CLOSES_MID_SENTENCE.match(text, match.end())
        )
    # An ellipsis ends a sentence before a capital letter, unless it trails off inside a
    # quotation still open ("I think... I know," he said).
    if not close and quotes.open_at(sentence_start, match.start()):
        return False
    return first.isupper() or bool(opener) and first.isalnum()


def _period_ends(
    before: str,
    word: str,
    after: str,
    opener: str,
    text: str,
    sentence_start: int,
    match: re.Match[str],
) -> bool:
    """A single full stop followed by something that is not lower case: is it a sentence end?"""
    bare = before.lstrip(_OPENERS)
    if bare.isupper() and len(bare) > 1:
        bare = bare.capitalize()  # a dateline or a ticker: "ST. JOSEPH", "HOME DEPOT INC."
    if bare in _NEVER_END or bare.lower() in _NEVER_END_LOWER:
        return False
    if bare.lower() in _BEFORE_NUMBER and (word[:1].isdigit() or after == "#"):
        return False
    # A list marker that opens the sentence or follows a colon ("1. Raise taxes.",
    # "The plan: 1. Raise taxes.", "a. The first option").
    if len(bare) <= 6 and _LIST_MARKER.fullmatch(bare) and not match.group("close"):
        word_start = match.start() - len(before)
        if word_start == sentence_start or _char_before(text, word_start, sentence_start) in ":;":
            return False
    may_end = bare in _MAY_END or bare == "al" or bool(_DOTTED.fullmatch(bare)) or _is_initial(bare)
    if not may_end:
        return True
    if opener and word[:1].isupper():
        # A quotation opens a new sentence; a bracket does not ("ST. JOSEPH, Mich. (AP) —").
        return opener[-1] not in "(["
    head = word.partition("'")[0].partition("’")[0]  # "It's" -> "It"
    if head in _STARTERS:
        # "A" and "I" followed by a full stop are more initials ("J. A. Smith").
        return not (len(head) == 1 and after == ".")
    return False


_QUOTE_CLOSES_MID_SENTENCE = re.compile(r"[^\"“”.!?]{1,120}[\"”]\s*(?:[,;:]|[a-z])")


class _QuoteCounts:
    """Whether a quotation opened since a sentence's start is still open at a later point.

    The counts are carried forward from the last point asked about, so asking at every
    candidate of one long sentence (an unclosed quote full of ellipses) stays linear rather
    than recounting from the sentence's start each time.
    """

    __slots__ = ("_closed", "_end", "_opened", "_start", "_straight", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._start = self._end = -1
        self._opened = self._closed = self._straight = 0

    def open_at(self, start: int, end: int) -> bool:
        """Whether a quotation opened in ``text[start:end]`` is still open at ``end``."""
        if start != self._start or end < self._end:
            self._start = self._end = start
            self._opened = self._closed = self._straight = 0
        piece = self._text[self._end : end]
        self._opened += piece.count("“")
        self._closed += piece.count("”")
        self._straight += piece.count('"')
        self._end = end
        curly = self._opened - self._closed
        return curly > 0 or (curly == 0 and self._opened == 0 and self._straight % 2 == 1)


def _char_before(text: str, position: int, floor: int) -> str:
    """The last non-space character before ``position`` (not before ``floor``), or ''."""
    while position > floor and text[position - 1].isspace():
        position -= 1
    return text[position - 1] if position > floor else ""


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _is_abbreviation(word: str) -> bool:
    bare = word.lstrip(_OPENERS)
    return (
        bare in _NEVER_END
        or bare.lower() in _NEVER_END_LOWER
        or bare.lower() in _BEFORE_NUMBER
        or bare in _MAY_END
    )


def _word_before(text: str, end: int, floor: int) -> str:
    """The non-space run that ends at ``end`` (not reaching before ``floor``).

    Looks back at most ``_LONGEST_WORD`` characters, so a long run without spaces (a URL, glued
    text) cannot make splitting quadratic; ``str.split`` does the looking in C.
    """
    if end <= floor or text[end - 1].isspace():
        return ""
    return text[max(floor, end - _LONGEST_WORD) : end].split()[-1]
