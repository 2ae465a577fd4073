"""Words, stems and stopwords shared by the offline engine's ranking and retrieval."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:[.,][0-9]+)*")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    also may might must shall us s t said says say told""".split()
)


#: Words that negate what follows ("not", "never", "without"); ``n't`` endings count too.
NEGATIONS = frozenset("not no never none nobody nothing neither nor without cannot".split())
#: Verbs that negate a claim ("denied", "refused"): the headline check counts these as well.
NEGATING_VERBS = frozenset("deny denies denied denying rejects rejected refuses refused fails failed".split())
#: Words that hedge a claim: a neutral summary keeps them where the article has them.
HEDGES = frozenset(
    """alleged allegedly reportedly reported suspected accused purported purportedly unconfirmed
    unverified rumoured rumored claim claims claimed claiming may might could possibly possible
    apparently""".split()
)


def negates(word: str) -> bool:
    """Whether a (lower-cased) word negates: ``not``, ``never``, ``didn't``..."""
    return word in NEGATIONS or word.endswith("n't")

def words(text: str) -> list[str]:
    """Lower-cased word tokens, possessives folded (``China's`` -> ``china``)."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        out.append(word)
    return out


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of ``word``, with British spellings folded into American ones first
    (``harbour`` and ``harbor``, ``centre`` and ``center``, ``organised`` and ``organized`` share
    a stem), since news in English comes in both."""
    return str(_stemmer().stemWord(american(word)))


# Words the spelling rules below must leave alone: they are not British spellings of anything.
_NOT_OUR = frozenset("devour contour detour velour amour paramour troubadour".split())
_NOT_RE = frozenset(
    "acre genre ogre massacre mediocre cadre lucre macabre timbre padre chancre euchre".split()
)
_BRITISH_RE = re.compile(r"^(?P<head>[a-z]*[b-df-hj-np-tv-z])re(?P<tail>s|d)?$")
_BRITISH_OUR = re.compile(r"^(?P<head>[a-z]{3,})our(?P<tail>s|ed|ing|ite|ites|able|ful|hood|hoods|less|ly)?$")
_BRITISH_ISE = re.compile(r"^(?P<head>[a-z]{3,})is(?P<tail>e|es|ed|ing|ation|ations|er|ers)$")


def american(word: str) -> str:
    """``word`` (lower case) in American spelling where a regular British ending differs:
    -our/-or, -re/-er, -ise/-ize. Applied to both sides of every comparison, so a rare false
    rewrite is harmless; the exceptions only keep distinct words from merging."""
    if len(word) < 5:
        return word
    match = _BRITISH_OUR.match(word)
    if match and match.group("head") + "our" not in _NOT_OUR:
        return f"{match.group('head')}or{match.group('tail') or ''}"
    match = _BRITISH_RE.match(word)
    if match and match.group("head") + "re" not in _NOT_RE:
        return f"{match.group('head')}er{match.group('tail') or ''}"
    match = _BRITISH_ISE.match(word)
    if match:
        return f"{match.group('head')}iz{match.group('tail')}"
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (stopwords dropped)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
