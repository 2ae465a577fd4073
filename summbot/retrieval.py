"""Offline question answering: find the article sentence that answers a question, or refuse.

Plain BM25 over sentences treats a question as a bag of words. This ranker also knows what kind
of answer the question wants (``who`` wants a person or an organisation, ``when`` a date, ``how
many`` a number...) and prefers sentences that hold such an answer *beyond* the words of the
question; it matches stems, derivations (``inventor`` ~ ``invention``) and a small table of
synonyms and irregular forms (``bought`` ~ ``purchase``); it rewards question bigrams kept
together and matched words close to each other; and it weighs words by their rarity in the
article itself (IDF), discounting words common in any English text. A question whose rare words
the article never uses is refused rather than answered with the least bad sentence: confidence
weighs both the share of the question's words found and how much they weigh in absolute terms.
A best sentence that only points back at what the question asks for ("He is the oldest ...",
"... using these devices", "The neighbourhood lies ...") is cited after the sentence before it,
which names it.

Near misses are refused too: a question that demands a kind of value (how many -> a count, how
much ... cost -> a sum of money, how old -> an age of the one asked about, when -> a date or
time, who -> a name or people, where -> a place, what colour -> a colour) is answered only by
sentences holding such a value beyond the question's own words. "How many books were stolen?"
is not answered by "the reading room was closed in 2022 after a break-in"; a close runner-up
that holds the value stands in for a best sentence that does not. Nor is a sentence an answer
when it shares the asked action but the thing the question is about appears only elsewhere in
the article: "When will the café reopen?" is refused on "The library reopened on Saturday".

Everything the ranker needs from an article is computed once and kept beside the article object
(``index_for``), so a question costs a few milliseconds. Attribution questions ("What did X
say?", "Who said ...?") are answered from ``summbot.attribution``.
"""

from __future__ import annotations

import itertools
import math
import re
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .textutil import STOPWORDS, stem

if TYPE_CHECKING:
    from .article import Article
    from .engines.base import Task

#: The answer for a question the article does not answer.
NOT_IN_ARTICLE = "The article does not say."

# --------------------------------------------------------------------------------------------
# Vocabulary tables. Hand-made and generic: nothing here comes from an evaluation set.

#: Groups of words that name the same thing or action; each member matches the others at a
#: reduced weight. Irregular forms sit with their base form because the stemmer cannot join them.
# fmt: off
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("say", "said", "says", "tell", "told", "state", "stated", "according", "claim", "announce",
     "declare", "remark", "comment", "assert", "note"),
    ("buy", "bought", "purchase", "acquire", "acquisition"),
    ("sell", "sold", "sale"),
    ("kill", "killed", "die", "died", "dead", "death", "deaths", "fatal", "fatalities", "slain"),
    ("born", "birth", "birthplace"),
    ("begin", "began", "begun", "start", "started", "commence", "launch", "open"),
    ("end", "ended", "finish", "conclude", "close", "closed"),
    ("build", "built", "construct", "construction", "erect"),
    ("make", "made", "produce", "production", "create", "creation", "manufacture"),
    ("find", "found", "discover", "discovery"),
    ("propose", "proposal", "suggest", "suggestion", "recommend", "advocate", "theorize", "hypothesize"),
    ("lead", "led", "leader", "head", "headed"),
    ("hold", "held"),
    ("take", "took", "taken"),
    ("give", "gave", "given", "grant", "granted", "award", "awarded"),
    ("win", "won", "victory", "winner", "beat", "defeat", "defeated"),
    ("lose", "lost", "loss", "defeat"),
    ("go", "went", "gone", "travel", "move", "moved"),
    ("come", "came", "arrive", "arrival"),
    ("become", "became"),
    ("write", "wrote", "written", "writer", "author", "authored"),
    ("know", "knew", "known", "call", "called", "name", "named", "term", "termed", "refer", "word", "coin", "coined"),
    ("choose", "chose", "chosen", "select", "selected", "elect", "elected", "pick", "picked"),
    ("fight", "fought", "battle", "war", "combat"),
    ("teach", "taught", "teacher", "instruct", "educate", "education"),
    ("think", "thought", "believe", "belief"),
    ("see", "saw", "seen", "observe", "view"),
    ("speak", "spoke", "spoken", "speech", "talk"),
    ("rise", "rose", "risen", "increase", "grow", "grew", "grown", "growth", "climb"),
    ("fall", "fell", "fallen", "drop", "decline", "decrease"),
    ("pay", "paid", "payment", "cost", "price"),
    ("send", "sent"),
    ("leave", "left", "depart", "departure", "exit", "quit"),
    ("meet", "met", "meeting"),
    ("run", "ran"),
    ("get", "got", "gotten", "obtain", "receive", "received"),
    ("use", "used", "usage", "employ", "utilize", "utilise"),
    ("help", "aid", "assist", "assistance", "support"),
    ("show", "showed", "shown", "display", "exhibit", "exhibition"),
    ("large", "big", "biggest", "largest", "huge", "major"),
    ("small", "little", "smallest", "tiny", "minor"),
    ("fast", "quick", "rapid", "speed"),
    ("attack", "assault", "strike", "raid"),
    ("injure", "injured", "wound", "wounded", "hurt"),
    ("arrest", "arrested", "detain", "detained", "custody"),
    ("ban", "banned", "prohibit", "forbid", "forbade", "outlaw"),
    ("law", "legislation", "act", "statute"),
    ("country", "nation", "state"),
    ("city", "town", "municipality"),
    ("company", "firm", "business", "corporation", "enterprise"),
    ("car", "vehicle", "automobile"),
    ("job", "work", "employment", "occupation"),
    ("money", "fund", "funding", "cash"),
    ("start", "founded", "found", "establish", "established", "set"),
    ("famous", "renowned", "known", "celebrated", "notable"),
    ("old", "ancient", "age", "aged"),
    ("first", "earliest", "initial", "original"),
    ("last", "final", "latest"),
    ("main", "primary", "principal", "chief", "major"),
    ("cause", "caused", "reason", "because", "due"),
    ("doctor", "physician"),
    ("child", "children", "kid"),
    ("man", "men"),
    ("woman", "women"),
    ("person", "people"),
    ("mouse", "mice"),
    ("allow", "permit", "let", "enable"),
    ("record", "register", "log"),
    ("show", "demonstrate", "indicate", "reveal", "prove"),
    ("need", "require", "requirement", "necessary"),
    ("important", "significant", "key", "crucial", "vital"),
    ("try", "attempt", "effort"),
    ("change", "alter", "modify", "transform", "shift"),
    ("stop", "halt", "cease", "suspend"),
    ("include", "contain", "comprise", "consist"),
    ("improve", "enhance", "better", "boost"),
    ("destroy", "ruin", "demolish", "wreck", "devastate"),
    ("study", "research", "investigate", "examine", "analysis", "analyse", "analyze", "survey"),
    ("goal", "aim", "purpose", "objective", "intend"),
    ("problem", "issue", "difficulty", "trouble"),
    ("rule", "govern", "reign", "control"),
    ("area", "region", "zone", "territory"),
    ("house", "home", "residence", "dwelling"),
    ("live", "lived", "reside", "resident", "inhabit", "inhabitant", "dwell", "settle"),
    ("plan", "scheme", "programme", "program", "proposal"),
    ("result", "outcome", "consequence", "effect"),
    ("protect", "defend", "guard", "shield"),
    ("increase", "raise", "boost", "expand", "rise"),
    ("reduce", "cut", "lower", "shrink", "decrease"),
    ("connect", "link", "join", "attach"),
    ("ship", "boat", "vessel"),
    ("king", "monarch", "ruler", "sovereign"),
    ("soldier", "troop", "troops", "army", "military"),
    ("disease", "illness", "sickness", "infection", "epidemic"),
    ("treat", "treatment", "cure", "therapy", "medicine", "drug"),
    ("vote", "ballot", "election", "poll"),
    ("invent", "invention", "devise", "develop", "design"),
    ("happen", "occur", "occurred"),
    ("continue", "remain", "persist", "stay"),
    ("main", "principal", "primary"),
    ("rich", "wealthy", "affluent"),
    ("poor", "poverty"),
    ("large", "vast", "enormous", "massive"),
    ("leave", "abandon", "desert"),
    ("foot", "feet"),
    ("tooth", "teeth"),
)
# fmt: on

#: Words common in any English text: matching one says little about whether a sentence answers.
#: Their weight is cut whatever their rarity in the article.
_GENERIC = frozenset(
    """able across actually ago almost already although always among another anything around
    away back became become becomes being best better big came can case certain change come
    common considered could day days different do does done during each early end even ever
    every example fact far first following form found full general get give given go going good
    great group half high however important include included includes including instead just
    keep kind known large last late later least less let like likely long look lot low made main
    make making man many mean means men might more most much must name named near need never new
    next number often old one ones order part people per place point possible present put rather
    really right role same see seen several short show side since small so something sometimes
    still such take taken term than thing things think three time times today together top total
    toward towards two type types under until upon use used uses using usually various way ways
    well whether whole within without work world would year years yet""".split()
)

#: Words that only frame a question; they never need to be found in the answer.
_QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how many much whatever whichever name named
    called call considered describe described kind type sort term""".split()
)

_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_DATE_WORDS = frozenset(
    """century centuries decade decades year years today yesterday tomorrow morning evening night
    afternoon midnight noon week weeks weekend spring summer autumn fall winter bc ad bce ce era
    ago dynasty reign""".split()
)
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion billions trillion dozen dozens
    half quarter third percent per cent twice double triple first second""".split()
)
_ROLE_WORDS = frozenset(
    """spokesperson spokesman spokeswoman minister president official officials secretary
    director chief leader king queen emperor prince princess chancellor governor mayor senator
    ambassador general commander captain judge officer chairman chairwoman chair ceo founder
    inventor author writer scientist professor doctor engineer architect artist composer poet
    player coach manager pope bishop priest premier diplomat envoy analyst researcher
    spokespeople representative lawmaker administrator""".split()
)
_PLACE_WORDS = frozenset(
    """city town village country nation state province region county district island river lake
    mountain mountains valley coast capital continent ocean sea bay street avenue square park
    area border harbour harbor port desert forest peninsula""".split()
)
_PLACE_PREPOSITIONS = frozenset(
    "in at near from to across throughout into outside inside within".split()
)
_LENGTHS = frozenset(
    "metres meters metre meter m km kilometres kilometers kilometre kilometer miles mile feet foot ft "
    "inches inch yards yard cm centimetres centimeters mm".split()
)
_MEASURES: dict[str, frozenset[str]] = {
    "long": _LENGTHS,
    "far": _LENGTHS,
    "tall": _LENGTHS,
    "high": _LENGTHS,
    "deep": _LENGTHS,
    "wide": _LENGTHS,
    "heavy": frozenset("kg kilograms kilogram tonnes tons ton pounds lb grams g".split()),
}
_NAMING = frozenset("called known named termed denoted dubbed nicknamed referred titled".split())
_REASON_WORDS = frozenset(
    "because due since so order cause caused result reason thanks lead led".split()
)

#: ``what``/``which`` + this noun asks for this kind of answer.
_TYPE_NOUNS: dict[str, str] = {
    **{
        w: "date"
        for w in "year years date day days time century decade month period era age".split()
    },
    **{w: "place" for w in _PLACE_WORDS},
    **{
        w: "number"
        for w in """percentage percent number amount proportion fraction population size
        rate cost price distance height length weight value share total temperature""".split()
    },
    **{
        w: "person"
        for w in """person people man woman company organization organisation group team party
        band author writer player king queen president leader artist""".split()
    },
}

# --------------------------------------------------------------------------------------------
# Tokens.

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:[.,][0-9]+)*%?")
_DERIVATIONAL = (
    "ation",
    "ition",
    "ment",
    "ness",
    "ity",
    "ist",
    "ism",
    "ion",
    "ive",
    "ing",
    "or",
    "er",
    "al",
    "ic",
    "ly",
)


def _fold(word: str) -> str:
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def _lemma(stemmed: str) -> str:
    """A coarser key than the stem: strip one derivational suffix (``inventor`` -> ``invent``)."""
    for suffix in _DERIVATIONAL:
        if stemmed.endswith(suffix) and len(stemmed) - len(suffix) >= 4:
            return stemmed[: -len(suffix)]
    return stemmed


_PREFIX = 7


def _prefix(word: str) -> str:
    return word[:_PREFIX] if len(word) > _PREFIX and word.isalpha() else ""


_GROUP_OF: dict[str, frozenset[int]] = {}


def _groups(word: str, stemmed: str) -> frozenset[int]:
    if not _GROUP_OF:
        table: dict[str, set[int]] = {}
        for number, group in enumerate(_SYNONYM_GROUPS):
            for member in group:
                table.setdefault(member, set()).add(number)
                table.setdefault(stem(member), set()).add(number)
        _GROUP_OF.update({key: frozenset(value) for key, value in table.items()})
    return _GROUP_OF.get(word, frozenset()) | _GROUP_OF.get(stemmed, frozenset())


@dataclass(slots=True)
class Token:
    """One word of a sentence, with the keys it can be matched by and what kind of value it is."""

    text: str
    word: str  # lower-cased, possessive folded
    stem: str
    lemma: str
    groups: frozenset[int]
    prefix: str  # the first letters of a long word, so "septicemia" meets "septicemic"
    capitalised: bool  # a capitalised word that is not merely the sentence's first word
    number: bool
    date: bool
    place: bool


def _is_number(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word in _NUMBER_WORDS


def _is_year(word: str) -> bool:
    digits = word.rstrip("s")
    return digits.isdigit() and (
        len(digits) == 4 and 1000 <= int(digits) <= 2100 or word.endswith("0s")
    )


@lru_cache(maxsize=65536)
def _word_keys(word: str) -> tuple[str, str, frozenset[int], str, bool, bool]:
    """What a folded word is, whatever its case: stem, lemma, synonym groups, prefix, number,
    and date-ness (months aside, which need a capital)."""
    stemmed = stem(word)
    date = (
        _is_year(word)
        or word in _WEEKDAYS
        or (word in _DATE_WORDS and word not in ("year", "years", "fall"))
    )
    return stemmed, _lemma(stemmed), _groups(word, stemmed), _prefix(word), _is_number(word), date


def tokenize(text: str) -> list[Token]:
    """The words of a sentence with their match keys and value kinds (number, date, place, name)."""
    raw = [m.group(0) for m in _TOKEN.finditer(text)]
    folded = [_fold(original) for original in raw]
    out: list[Token] = []
    for i, original in enumerate(raw):
        word = folded[i]
        stemmed, lemma, groups, prefix, number, date = _word_keys(word)
        upper = original[:1].isupper()
        capitalised = upper and (i > 0 or word not in STOPWORDS and word not in _GENERIC)
        month = upper and word in _MONTHS and (word != "may" or i > 0)
        date = date or month
        place = word in _PLACE_WORDS
        if capitalised and not date and not place and i:
            prev = folded[i - 1]
            place = prev in _PLACE_PREPOSITIONS or (
                prev == "the" and i > 1 and folded[i - 2] in _PLACE_PREPOSITIONS
            )
        out.append(
            Token(
                original,
                word,
                stemmed,
                lemma,
                groups,
                prefix,
                capitalised and not month and word not in _WEEKDAYS,
                number,
                date,
                place,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# The per-article index.


@dataclass
class SentenceIndex:
    id: str
    text: str
    paragraph: int
    tokens: list[Token]
    stems: frozenset[str]
    lemmas: frozenset[str]
    groups: frozenset[int]
    prefixes: frozenset[str]
    positions: dict[str, list[int]]  # stem -> token positions

    @property
    def id_number(self) -> int:
        return int(self.id[1:])


@dataclass
class ArticleIndex:
    """What the ranker needs from one article, computed once."""

    sentences: list[SentenceIndex]
    document_frequency: Counter[str]
    paragraph_of: list[int]  # sentence position -> index of its paragraph group
    paragraphs: list[list[int]]  # paragraph -> sentence positions
    #: Sentences that open by pointing back ("This", "He", "These clades") to the one before.
    refers_back: frozenset[int] = frozenset()
    text_length: int = 0
    sentence_count: int = 0
    #: Words written with a capital somewhere other than a sentence's start: the article's names.
    names: frozenset[str] = frozenset()
    _term_df: dict[tuple[str, str, frozenset[int]], int] = field(default_factory=dict)

    def idf(self, df: int) -> float:
        n = len(self.sentences)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


_ANAPHORS = frozenset("he she it they this these those his her its their such there then".split())
ANAPHOR_REACH = 4


def _build_index(article: Article) -> ArticleIndex:
    sentences: list[SentenceIndex] = []
    df: Counter[str] = Counter()
    paragraphs: dict[int, list[int]] = {}
    for position, sentence in enumerate(article.sentences):
        tokens = tokenize(sentence.text)
        positions: dict[str, list[int]] = {}
        for i, token in enumerate(tokens):
            positions.setdefault(token.stem, []).append(i)
        groups: set[int] = set()
        for token in tokens:
            groups |= token.groups
        entry = SentenceIndex(
            id=sentence.id,
            text=sentence.text,
            paragraph=sentence.paragraph,
            tokens=tokens,
            stems=frozenset(t.stem for t in tokens),
            lemmas=frozenset(t.lemma for t in tokens),
            groups=frozenset(groups),
            prefixes=frozenset(t.prefix for t in tokens if t.prefix),
            positions=positions,
        )
        sentences.append(entry)
        df.update(
            entry.stems
            | {"~" + lemma for lemma in entry.lemmas}
            | {f"#{g}" for g in groups}
            | {"^" + prefix for prefix in entry.prefixes}
        )
        paragraphs.setdefault(sentence.paragraph, []).append(position)
    order = sorted(paragraphs)
    group_of = {number: i for i, number in enumerate(order)}
    return ArticleIndex(
        sentences=sentences,
        document_frequency=df,
        paragraph_of=[group_of[s.paragraph] for s in sentences],
        paragraphs=[paragraphs[number] for number in order],
        text_length=len(article.text),
        sentence_count=len(article.sentences),
        names=frozenset(
            t.word for s in sentences for t in s.tokens[1:] if t.capitalised and not t.date
        ),
        refers_back=frozenset(
            i
            for i, s in enumerate(sentences)
            if i > 0
            and sentences[i - 1].paragraph == s.paragraph
            and any(t.word in _ANAPHORS for t in s.tokens[:ANAPHOR_REACH])
        ),
    )


_INDEXES: dict[int, tuple[weakref.ref[Any], ArticleIndex]] = {}


def index_for(article: Article) -> ArticleIndex:
    """The article's index, built on first use and dropped when the article is.

    Keyed by the object's id with a weak reference that removes the entry when the article is
    collected (``Article`` is an unhashable dataclass, so a ``WeakKeyDictionary`` cannot hold it);
    rebuilt if the article's sentences were replaced since.
    """
    key = id(article)
    cached = _INDEXES.get(key)
    if cached is not None:
        ref, index = cached
        if (
            ref() is article
            and index.sentence_count == len(article.sentences)
            and index.text_length == len(article.text)
        ):
            return index
    index = _build_index(article)
    _INDEXES[key] = (weakref.ref(article, _forget(key)), index)
    return index


def _forget(key: int) -> Callable[[weakref.ref[Any]], None]:
    def callback(_ref: weakref.ref[Any]) -> None:
        _INDEXES.pop(key, None)

    return callback


# --------------------------------------------------------------------------------------------
# Questions.


@dataclass(frozen=True)
class Term:
    """A question word to look for: its keys and how much finding it is worth."""

    word: str
    stem: str
    lemma: str
    groups: frozenset[int]
    prefix: str = ""
    name: bool = False  # written with a capital inside the question: a proper name
    boost: float = 1.0  # lowered for generic words and for terms carried over from a previous turn


@dataclass
class Query:
    """A question as the ranker sees it."""

    text: str
    answer_type: str  # person, date, place, number, reason, name, which, other
    terms: list[Term]
    question_stems: frozenset[str]
    #: The measure a "how long/far/tall ... is" question asks for ("long"): numbers need its units.
    measure: str | None = None
    #: The noun of a "which/what X" question, stemmed: the answer is often a kind of X
    #: written just before it ("soy farmers" for "what kind of farmers").
    head: str | None = None
    #: The kind of value an answer must hold (see ``_demand``): a sentence without one is no
    #: answer, however well it matches the question's words.
    demand: str | None = None


_WH = re.compile(r"\b(who|whom|whose|when|where|why|how|which|what)\b", re.IGNORECASE)


def _answer_type(words: list[str]) -> tuple[str, str | None]:
    """The kind of answer the question wants, and the noun that names it (``which river``)."""
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in ("who", "whom", "whose"):
            return "person", None
        if word == "when":
            return "date", None
        if word == "where":
            return "place", None
        if word == "why":
            return "reason", None
        if word == "how":
            if nxt in (
                "many",
                "much",
                "old",
                "far",
                "big",
                "large",
                "tall",
                "high",
                "long",
                "often",
                "fast",
                "deep",
                "wide",
                "heavy",
            ):
                return "number", nxt
            return "other", None
        if word in ("what", "which"):
            # Skip adjectives between the wh-word and its noun: "what large city".
            head = None
            for noun in words[i + 1 : i + 5]:
                if noun in _TYPE_NOUNS:
                    return _TYPE_NOUNS[noun], noun
                if noun in (
                    "is",
                    "was",
                    "are",
                    "were",
                    "did",
                    "does",
                    "do",
                    "has",
                    "had",
                    "have",
                    "can",
                ) or noun.endswith("ed"):
                    break  # "what happened": a verb, no noun to name the answer
                if head is None and noun not in STOPWORDS and noun not in _QUESTION_WORDS:
                    head = noun
            if _NAME_QUESTION.search(" ".join(words)):
                return "name", None
            if head is not None:
                return "which", head
            return "other", None
    return "other", None


#: "What is another name for ...", "what is X called", "what is the term for ...".
_NAME_NOUNS = frozenset("name term word expression title nickname".split())
_NAME_QUESTION = re.compile(r"\b(name|term|word|expression|called|known as|nickname|title)\b")


def _next_word(words: list[str], position: int) -> str:
    return words[position + 1] if position + 1 < len(words) else ""


def parse_question(question: str) -> Query:
    """Split a question into the answer type it wants and the weighted words to look for."""
    raw = [m.group(0) for m in _TOKEN.finditer(question)]
    lowered = [_fold(w) for w in raw]
    answer_type, type_noun = _answer_type(lowered)
    terms: list[Term] = []
    seen: set[str] = set()
    for position, (original, word) in enumerate(zip(raw, lowered)):
        if (
            word in STOPWORDS
            or word in _QUESTION_WORDS
            or word == type_noun
            and answer_type != "which"
        ):
            continue
        if word in ("another", "other") and _next_word(lowered, position) in _NAME_NOUNS:
            continue  # "another name for X": "another" frames the question, X's name is sought
        stemmed = stem(word)
        if stemmed in seen:
            continue
        seen.add(stemmed)
        name = original[:1].isupper() and position > 0 or original.isupper() and len(original) > 1
        boost = GENERIC_BOOST if word in _GENERIC else 1.0
        terms.append(
            Term(word, stemmed, _lemma(stemmed), _groups(word, stemmed), _prefix(word), name, boost)
        )
    measure = None
    if answer_type == "number" and type_noun in _MEASURES:
        # "How long is the bridge" wants metres; "how long did the strike last" wants days.
        following = lowered[lowered.index(type_noun) + 1 : lowered.index(type_noun) + 2]
        if following and following[0] in ("is", "are", "was", "were"):
            measure = type_noun
    return Query(
        text=question,
        answer_type=answer_type,
        terms=terms,
        question_stems=frozenset(stem(w) for w in lowered),
        measure=measure,
        head=stem(type_noun) if answer_type == "which" and type_noun else None,
        demand=_demand(lowered),
    )


# --------------------------------------------------------------------------------------------
# Scoring.

#: How much a match through each kind of key is worth, relative to the same stem.
_LEMMA_MATCH = 0.8
_SYNONYM_MATCH = 0.6
_PREFIX_MATCH = 0.7
GENERIC_BOOST = 0.35

#: Weights of the score's parts, set on half of the development articles (see bench_qa.py).
W_TYPE = 0.25
TYPE_FAR = 0.3
TYPE_WINDOW = 4
W_BIGRAM = 0.1
W_WINDOW = 0.1
W_PARAGRAPH = 0.2
ANAPHORA = 0.85

#: A question is refused when its best sentence's confidence is below this.
REFUSAL_THRESHOLD = 0.27
CONFIDENCE_TYPE = 0.1
CONFIDENCE_NAMES = 0.2
CONFIDENCE_EVIDENCE = 0.2
EVIDENCE_SCALE = 6.0  # summed IDF weights, ~2 rare words of a 50-sentence article


def _term_match(term: Term, sentence: SentenceIndex) -> tuple[float, list[int]]:
    if term.stem in sentence.stems:
        return 1.0, sentence.positions[term.stem]
    if term.lemma in sentence.lemmas:
        return _LEMMA_MATCH, [i for i, t in enumerate(sentence.tokens) if t.lemma == term.lemma]
    if term.groups and term.groups & sentence.groups:
        return _SYNONYM_MATCH, [i for i, t in enumerate(sentence.tokens) if t.groups & term.groups]
    if term.prefix and term.prefix in sentence.prefixes:
        return _PREFIX_MATCH, [i for i, t in enumerate(sentence.tokens) if t.prefix == term.prefix]
    return 0.0, []


def _term_weight(index: ArticleIndex, term: Term) -> float:
    df = index.document_frequency.get(term.stem, 0)
    if df == 0:
        df = index.document_frequency.get("~" + term.lemma, 0)
    if df == 0 and term.groups:
        df = max(index.document_frequency.get(f"#{g}", 0) for g in term.groups)
    if df == 0 and term.prefix:
        df = index.document_frequency.get("^" + term.prefix, 0)
    return index.idf(df) * term.boost


def _is_typed(kind: str, token: Token) -> bool:
    if kind == "person":
        return token.capitalised or token.word in _ROLE_WORDS
    if kind == "date":
        return token.date
    if kind == "place":
        return token.place
    if kind == "number":
        return token.number
    if kind == "reason":
        return token.word in _REASON_WORDS
    if kind == "which":
        return token.capitalised or token.number
    if kind == "name":
        return token.capitalised or token.word in _NAMING
    return False


def _counts_something(tokens: list[Token], i: int) -> bool:
    """Whether a number is followed by what it counts ("2000 guests"), not used as a year."""
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        after is not None
        and not after.capitalised
        and not after.number
        and after.word not in STOPWORDS
        and not after.text[:1].isupper()
    )


def _answer_type_score(query: Query, sentence: SentenceIndex, matched: list[list[int]]) -> float:
    """How well the sentence holds a value of the wanted kind that the question itself lacks.

    1 when such a value stands near a word of the question (``Kuechly led the team in tackles
    (118)``), ``TYPE_FAR`` when it is elsewhere in the sentence, 0 when there is none.
    """
    kind = query.answer_type
    if kind == "other":
        return 0.0
    near = {p for where in matched for p in where}
    units = _MEASURES.get(query.measure or "", frozenset())
    cap = 1.0
    if units and not any(t.word in units for t in sentence.tokens):
        units, cap = frozenset(), TYPE_FAR  # no length here: a bare number is a weak answer
    best = 0.0
    tokens = sentence.tokens
    if query.head is not None:
        for i in sentence.positions.get(query.head, ()):
            before = tokens[i - 1] if i > 0 else None
            if (
                before is not None
                and before.word not in STOPWORDS
                and before.stem not in query.question_stems
                and not before.number
            ):
                return 1.0
    for i, token in enumerate(tokens):
        if (
            token.stem in query.question_stems
            and kind not in ("reason", "name")
            or not _is_typed(kind, token)
        ):
            continue
        if units and not (i + 1 < len(tokens) and tokens[i + 1].word in units):
            continue
        if kind == "number" and token.date and not _counts_something(tokens, i):
            continue  # "in 2010" answers when, not how many; "2000 guests" counts
        if any(abs(i - p) <= TYPE_WINDOW for p in near):
            return cap
        best = min(cap, TYPE_FAR)
    return best


@dataclass
class Scored:
    position: int
    score: float
    coverage: float  # the sentence's share of the question's weight, or 0.85 of its window's
    typed: float
    own: float = 0.0  # the sentence's own share, neighbours aside


def _coverage_and_positions(
    weights: list[float], query: Query, sentence: SentenceIndex
) -> tuple[float, list[float], list[list[int]]]:
    strengths: list[float] = []
    positions: list[list[int]] = []
    total = 0.0
    for weight, term in zip(weights, query.terms):
        strength, where = _term_match(term, sentence)
        strengths.append(strength)
        positions.append(where)
        total += weight * strength
    denominator = sum(weights) or 1.0
    return total / denominator, strengths, positions


def _bigram_fraction(query: Query, positions: list[list[int]]) -> float:
    pairs = len(query.terms) - 1
    if pairs <= 0:
        return 0.0
    kept = 0
    for left, right in itertools.pairwise(positions):
        if any(0 < after - before <= 3 for before in left for after in right):
            kept += 1
    return kept / pairs


def score_sentences(article: Article, query: Query) -> list[Scored]:
    """Every sentence's score for the query, in article order."""
    index = index_for(article)
    if not index.sentences or not query.terms:
        return [Scored(i, 0.0, 0.0, 0.0) for i in range(len(index.sentences))]
    weights = [_term_weight(index, term) for term in query.terms]
    denominator = sum(weights) or 1.0
    own: list[float] = []
    strengths_of: list[list[float]] = []
    parts: list[tuple[float, float]] = []
    for sentence in index.sentences:
        coverage, strengths, positions = _coverage_and_positions(weights, query, sentence)
        own.append(coverage)
        strengths_of.append(strengths)
        parts.append(
            (_bigram_fraction(query, positions), _answer_type_score(query, sentence, positions))
        )
    paragraph_coverage: list[float] = []
    for members in index.paragraphs:
        best = [max(strengths_of[p][t] for p in members) for t in range(len(query.terms))]
        paragraph_coverage.append(sum(w * s for w, s in zip(weights, best)) / denominator)
    scored: list[Scored] = []
    for position in range(len(index.sentences)):
        window = [position]
        if position > 0 and index.paragraph_of[position - 1] == index.paragraph_of[position]:
            window.append(position - 1)
        if (
            position + 1 < len(index.sentences)
            and index.paragraph_of[position + 1] == index.paragraph_of[position]
        ):
            window.append(position + 1)
        window_best = [max(strengths_of[p][t] for p in window) for t in range(len(query.terms))]
        window_coverage = sum(w * s for w, s in zip(weights, window_best)) / denominator
        bigram, typed = parts[position]
        coverage = own[position]
        if position in index.refers_back:
            # "Today, this is known as the Miasma theory": the sentence speaks of the previous
            # one's subject, so the previous sentence's words count for it too.
            previous = [
                max(strengths_of[position][t], strengths_of[position - 1][t])
                for t in range(len(query.terms))
            ]
            coverage = max(
                coverage, ANAPHORA * sum(w * s for w, s in zip(weights, previous)) / denominator
            )
        score = (
            coverage
            + W_TYPE * typed
            + W_BIGRAM * bigram
            + W_WINDOW * window_coverage
            + W_PARAGRAPH * paragraph_coverage[index.paragraph_of[position]]
        )
        scored.append(
            Scored(
                position, score, max(own[position], 0.85 * window_coverage), typed, own[position]
            )
        )
    return scored


def confidence(article: Article, query: Query, best: Scored) -> float:
    """How sure the ranker is that the best sentence answers, comparable across questions.

    The share of the question's weighted words the sentence (or its neighbours) matched, a
    little more when it holds the wanted kind of answer, and more or less as the names the
    question uses (capitalised words: "Baghdad", "Twigg") appear in the article or not: an
    article that never names what the question is about cannot answer it; and more or less as
    the matched words weigh a lot or little in absolute terms, not only as a share.
    """
    value = best.coverage + CONFIDENCE_TYPE * best.typed
    names = [t for t in query.terms if t.name]
    if names:
        df = index_for(article).document_frequency
        present = sum(1 for t in names if df.get(t.stem, 0) > 0) / len(names)
        value += CONFIDENCE_NAMES * (present - 0.5)
    # The matched words' weight in absolute terms: four rare words found are strong evidence even
    # when a long question's paraphrase leaves six others unmatched; one word is weak evidence
    # even when it is most of a short question ("How many people died in the flood?").
    index = index_for(article)
    matched = best.coverage * sum(_term_weight(index, term) for term in query.terms)
    value += CONFIDENCE_EVIDENCE * (min(1.0, matched / EVIDENCE_SCALE) - 0.5)
    return value


def rank(article: Article, question: str | Query) -> list[Scored]:
    """Sentences by score, best first (ties in article order)."""
    query = parse_question(question) if isinstance(question, str) else question
    return sorted(score_sentences(article, query), key=lambda s: (-s.score, s.position))


def nearest_passages(article: Article, question: str, k: int = 3) -> list[tuple[str, float]]:
    """The ``k`` sentences closest to the question, as ``(sentence id, score)``, best first.

    Shown with a refusal so the reader can check for themselves what the article does say.
    """
    index = index_for(article)
    ranked = [s for s in rank(article, question) if s.score > 0]
    return [(index.sentences[s.position].id, round(s.score, 4)) for s in ranked[:k]]


# --------------------------------------------------------------------------------------------
# Requests that are not questions about the article.

_OFF_ARTICLE = re.compile(
    r"""
    \b(ignore|disregard|forget|override|bypass|skip)\s+(all\s+|any\s+)?(of\s+)?
        (the\s+|your\s+|my\s+|these\s+|those\s+|this\s+)?(previous\s+|prior\s+|above\s+|earlier\s+|system\s+)?
        (article|instructions?|prompts?|rules|context|text|directions|guidelines|everything)\b
    | \b(system|hidden|initial|original|developer)\s+(prompt|message|instructions?)\b
    | \b(reveal|show|print|repeat|output|display|leak|tell\s+me)\b.{0,30}\byour\s+
        (prompt|instructions?|rules|guidelines|configuration|directions)\b
    | \bpretend\s+(to\s+be|you\s+are|you're|that\s+you)\b
    | (^|[.!]\s*|\b(you|please|now)\s+)(act|behave|respond|answer|talk)\s+(as\s+(if|though|an?|my)|like\s+an?)\b
    | \brole[\s-]?play\b
    | \byou\s+are\s+(now|no\s+longer|free)\b
    | \bfrom\s+now\s+on,?\s+(you|act|answer|respond|only|always|ignore)\b
    | \b(jailbreak|DAN\s+mode|developer\s+mode)\b
    | \btell\s+me\s+a\s+(joke|story|riddle)\b
    | \b(write|compose|generate)\s+(me\s+)?(a|an|some)\s+
        (poem|song|story|joke|essay|limerick|haiku|code|script|program)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def is_off_article_request(question: str) -> bool:
    """Whether the "question" asks to leave the article: ignore it, role-play, reveal instructions.

    Such requests get a refusal, never compliance, from every engine.
    """
    return bool(_OFF_ARTICLE.search(question))


# --------------------------------------------------------------------------------------------
# Conversations: an elliptical follow-up reuses the previous question's frame.

_FOLLOW_UP = re.compile(
    r"^\s*(and|but|also|what about|how about|and what about|and how about|what of)\b", re.IGNORECASE
)


def _is_elliptical(question: str) -> bool:
    if _FOLLOW_UP.match(question):
        return True
    content = [
        w
        for w in (_fold(m.group(0)) for m in _TOKEN.finditer(question))
        if w not in STOPWORDS and w not in _QUESTION_WORDS
    ]
    return len(content) <= 1 and len(question.split()) <= 4


def resolve_follow_up(question: str, history: list[tuple[str, str]]) -> tuple[str, str | None]:
    """The question to answer, and the earlier question it leans on (None if it stands alone).

    "And China?" after "What did Miller say?" becomes "What did China say?"; "what about in 1990?"
    after "How many people lived there?" is ranked with both questions' words.
    """
    if not history or not _is_elliptical(question):
        return question, None
    previous = None
    for asked, _answer in reversed(history):
        if asked.strip():
            previous = asked
            break
    if previous is None:
        return question, None
    # The previous question may itself have been a follow-up: then its frame is the chain of
    # questions back to the last one that stood alone ("How many ...? And in 2020?").
    position = max(i for i, (q, _a) in enumerate(history) if q == previous)
    _, earlier = resolve_follow_up(previous, history[:position])
    return question, f"{earlier} {previous}" if earlier else previous


# --------------------------------------------------------------------------------------------
# Answers.


def _refusal() -> dict[str, Any]:
    return {"answer": NOT_IN_ARTICLE, "answerable": False, "citations": []}


def _merge_queries(new: Query, old: Query) -> Query:
    """The follow-up's own words at full weight, the earlier question's at a lower one."""
    terms = list(new.terms)
    seen = {t.stem for t in terms}
    for term in old.terms:
        if term.stem not in seen:
            terms.append(
                Term(
                    term.word,
                    term.stem,
                    term.lemma,
                    term.groups,
                    term.prefix,
                    term.name,
                    term.boost * 0.6,
                )
            )
    answer_type = new.answer_type if _WH.search(new.text) else old.answer_type
    measure = new.measure if _WH.search(new.text) else old.measure
    # "What about the floors?" after "How many trams ...?" still wants a count.
    demand = new.demand or old.demand
    return Query(
        new.text,
        answer_type,
        terms,
        new.question_stems | old.question_stems,
        measure,
        demand=demand,
    )


def answer_question(
    article: Article, question: str, history: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """Answer from the article's sentences in the ANSWER schema, or refuse."""
    from . import attribution

    if is_off_article_request(question):
        return _refusal()
    question, previous = resolve_follow_up(question, list(history or []))
    if previous is not None:
        framed = attribution.reframe_follow_up(question, previous)
        if framed is not None:
            question, previous = framed, None
    asked = attribution.parse_attribution_question(question)
    if asked is not None:
        answered = attribution.answer_attribution(article, asked)
        if answered is not None:
            return answered
    query = parse_question(question)
    if previous is not None:
        query = _merge_queries(query, parse_question(previous))
    return answer_query(article, query)


# --------------------------------------------------------------------------------------------
# What an answer must hold. A sentence can share every word of "How many books were stolen from
# the reading room?" and still not answer it: the article may say that thieves took computers
# and never count the books. The ranker's score rewards the wanted kind of value but cannot
# demand it; these checks do, and refuse a best sentence that lacks it.

#: "how much" with one of these words asks for money, not any amount.
_MONEY_WORDS = frozenset(
    """cost costs costing price prices priced pay paid pays paying spend spent spending worth fee
    fees fare fares charge charges charged budget money funding salary wage wages earn earned
    payment payments profit profits revenue revenues loan loans grant grants sell sold buy
    bought""".split()
)
_COLOURS = frozenset(
    """red orange yellow green blue purple violet pink brown black white grey gray silver gold
    golden navy crimson scarlet maroon turquoise teal cream ivory beige amber bronze indigo khaki
    magenta lilac emerald azure""".split()
)
_QUANTITY_WORDS = frozenset(
    """many much most half all majority minority few several times twice vast lot lots
    dozens hundreds thousands millions billions""".split()
)
#: Plain nouns for people and bodies that answer "who" ("Students thronged to Wittenberg").
_PEOPLE_NOUNS = frozenset(
    """people persons children men women students pupils residents parents patients citizens
    police staff crew fans thieves monks nuns priests troops soldiers villagers locals voters
    volunteers members officials workers employees immigrants migrants refugees peasants
    merchants tenants servants inhabitants descendants settlers colonists natives scholars
    experts critics government council parliament congress court committee union board""".split()
)
_LOCATIVES = frozenset(
    """in at on near inside outside beside behind along across throughout into from above below
    beneath opposite between around""".split()
)
_ORDINALS = frozenset(("first", "second"))  # "the first floor" counts nothing
_DATE_WH_NOUNS = frozenset("year years date day month century decade".split())
_AMOUNT_WH_NOUNS = frozenset("number amount percentage percent proportion share".split())
_MONEY_AMOUNT = re.compile(
    r"[$£€¥]\s?\d|\d[\d,.]*\s*(?:million|billion|thousand|m|bn|k)?\s*"
    r"(?:pounds?|euros?|dollars?|pence|cents?|yen|francs?|rupees?|yuan|pesos?|rand)\b|\bfree\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b\d{1,3}[- ]years?[- ]old\b|\baged?\s+(?:of\s+)?\d{1,3}\b|"
    r"\b(?:his|her|their)\s+(?:early\s+|mid-?\s*|late\s+)?(?:teens|twenties|thirties|forties|"
    r"fifties|sixties|seventies|eighties|nineties|\d0s)\b|"
    r"(?P<owner>[A-Z][a-z]+)(?:,\s+\d{1,3},|\s+\(\d{1,3}\))|"
    r"\b\d[\d,.]*(?:\s+(?:million|billion|thousand|hundred))?\s+years\b|\bcentur(?:y|ies)\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\bo'clock\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z'’-]*")


def _demand(words: list[str]) -> str | None:
    """The kind of value a question's answer must hold, from its first wh-word.

    ``number`` (how many), ``money`` (how much ... cost/pay), ``amount`` (any other how much,
    what percentage), ``age`` (how old), ``date`` (when, what year), ``person`` (who: a person
    or an organisation), ``place`` (where), ``colour``; None when any kind of answer may do.
    """
    for i, word in enumerate(words):
        nxt = _next_word(words, i)
        if word in ("who", "whom", "whose"):
            return "person"
        if word == "when":
            return "date"
        if word == "where":
            return "place"
        if word == "why":
            return None
        if word == "how":
            if nxt == "old":
                return "age"
            if nxt == "many":
                return "number"
            if nxt == "much":
                return "money" if _MONEY_WORDS.intersection(words) else "amount"
            return None
        if word in ("what", "which"):
            if nxt in ("colour", "color", "colours", "colors"):
                return "colour"
            if nxt in _DATE_WH_NOUNS:
                return "date"
            if nxt == "age":
                return "age"
            if nxt in _AMOUNT_WH_NOUNS:
                return "amount"
            return None
    return None


def _is_new(token: Token, query: Query) -> bool:
    """Whether the token says more than the question: a value it repeats answers nothing."""
    return token.stem not in query.question_stems


def _bare_year(tokens: list[Token], i: int) -> bool:
    return tokens[i].date and _is_year(tokens[i].word) and not _counts_something(tokens, i)


def _age_of_asked(query: Query, text: str, match: re.Match[str]) -> bool:
    """Whether an age in the sentence belongs to the one the question names.

    "Daniel Kiprop won ..., and the women's race by Sarah Lund, a 34-year-old teacher" gives
    Lund's age, not Kiprop's: another name stands between the asked name and the age. A
    sentence that does not name the asked one at all (a "He was 39" after the sentence naming
    him) is taken to speak of them.
    """
    names = [t.word for t in query.terms if t.name]
    if names and match.group("owner"):
        # "Ann Pelling, 58, ..." is Pelling's age, whoever else the sentence names.
        return stem(_fold(match.group("owner"))) in query.question_stems
    spans = [
        m.span()
        for name in names
        for m in re.finditer(rf"\b{re.escape(name)}\b", text, flags=re.IGNORECASE)
    ]
    if not spans:
        return True
    for start, end in spans:
        between = text[end : match.start()] if end <= match.start() else text[match.end() : start]
        strangers = [
            w for w in _CAPITALISED.findall(between) if stem(_fold(w)) not in query.question_stems
        ]
        if not strangers:
            return True
    return False


def _names_people(word: str) -> bool:
    """An agent noun that can answer "who": "stratigraphers", "farmers", "economists"."""
    return (
        len(word) >= 6
        and word != "others"
        and word.endswith(("ers", "ors", "ists", "ians", "ist", "ian"))
    )


def holds_demanded_value(query: Query, index: ArticleIndex, position: int) -> bool:
    """Whether the sentence holds a value of the kind the question demands, beyond its words.

    A year is no count ("closed in 2022" does not say how many books); an age must belong to
    the one asked about; a "how much ... cost" needs a sum of money, not any number; a name
    is a word the article capitalises mid-sentence somewhere ("Okafor added ..." opens with
    one, "None of the trams ..." does not).
    """
    kind = query.demand
    if kind is None:
        return True
    sentence = index.sentences[position]
    tokens = sentence.tokens
    text = sentence.text

    def named(i: int) -> bool:
        token = tokens[i]
        return token.capitalised and not token.date and (i > 0 or token.word in index.names)

    if kind == "colour":
        return any(t.word in _COLOURS and _is_new(t, query) for t in tokens)
    if kind == "money":
        return bool(_MONEY_AMOUNT.search(text))
    if kind == "age":
        if any(_age_of_asked(query, text, m) for m in _AGE.finditer(text)):
            return True
        # "How old is the library?" is answered by the year it opened; a person's age is not.
        return not any(t.name for t in query.terms) and any(
            _is_year(t.word) for t in tokens if t.date
        )
    if kind in ("number", "amount"):
        return any(
            (
                t.number
                and _is_new(t, query)
                and not _bare_year(tokens, i)
                and t.word not in _ORDINALS
            )
            or t.word in ("none", "zero")
            or (kind == "amount" and t.word in _QUANTITY_WORDS)
            for i, t in enumerate(tokens)
        )
    if kind == "date":
        return bool(_CLOCK.search(text)) or any(t.date and _is_new(t, query) for t in tokens)
    if kind == "person":
        asked = {_fold(m.group(0)) for m in _TOKEN.finditer(query.text)}
        return any(
            ((named(i) or t.word in _ROLE_WORDS or t.word in _PEOPLE_NOUNS) and _is_new(t, query))
            # "done by stratigraphers" answers "... of stratigraphic sections is done by who?"
            or (_names_people(t.word) and t.word not in asked)
            for i, t in enumerate(tokens)
        )
    if kind == "place":
        for i, t in enumerate(tokens):
            if not _is_new(t, query):
                continue
            if t.place or (named(i) and not t.number):
                return True
        for i, t in enumerate(tokens):
            if t.word in _LOCATIVES and any(
                u.word not in STOPWORDS and _is_new(u, query) and not u.date and not u.number
                for u in tokens[i + 1 : i + 4]
            ):
                return True
        return False
    return True


_REFERS_BACK = re.compile(
    r"^\W*(he|she|it|they|this|these|his|her|its|their|the latter|the former)\b", re.IGNORECASE
)


_DEMONSTRATIVES = frozenset("this these that those such".split())


def _names_head_by_demonstrative(query: Query, index: ArticleIndex, position: int) -> bool:
    """Whether the sentence speaks of the question's noun as "these devices", "this theory", or
    opens with it as "The neighbourhood ...".

    A which-question asks for a name, and a sentence that points back at the noun with a
    demonstrative, or makes it its subject with "the", speaks of one already named: the
    sentence before it in the paragraph holds the name.
    """
    if query.head is None or position == 0:
        return False
    if index.paragraph_of[position - 1] != index.paragraph_of[position]:
        return False
    sentence = index.sentences[position]
    return any(
        i > 0
        and sentence.tokens[i - 1].word in _DEMONSTRATIVES
        or i == 1
        and sentence.tokens[0].word == "the"
        for i in sentence.positions.get(query.head, ())
    )


#: A best sentence is refused when the question's words that it (and its neighbours) lack but
#: other sentences use weigh this share of the question or more, or make this share of its
#: content words (a topic word like "ferries" weighs little, yet "Who will build the new
#: ferries?" is not answered by "... could build the charging stations"). Checked on both qa-dev
#: halves: their answered questions reach at most 0.37 by weight and 0.43 by count; the near
#: misses caught reach 0.44-0.5 by weight or 0.5 by count.
FOCUS_ELSEWHERE = 0.4
FOCUS_ELSEWHERE_COUNT = 0.5


def focus_elsewhere(query: Query, index: ArticleIndex, positions: list[int]) -> tuple[float, float]:
    """The share of the question's weight, and of its content words, in words that the cited
    sentences and their neighbours lack but other sentences of the article use.

    The neighbours are the sentences beside a cited one in its paragraph, and the sentence
    before it when it opens by pointing back ("Its shelves ...", "He said ...").

    "When will the café reopen?" is not answered by "The library reopened on Saturday": the
    article speaks of the café, but elsewhere, so this sentence tells of something else. A word
    the article never uses is more likely the question's paraphrase ("sang" for "performed"),
    and a name is often the article's subject, left out of its sentences ("Orlen Foods" for a
    "Chief executive Hannah Weller said ..."): neither counts.
    """
    window = set(positions)
    for position in positions:
        for near in (position - 1, position + 1):
            if 0 <= near < len(index.sentences) and (
                index.paragraph_of[near] == index.paragraph_of[position]
            ):
                window.add(near)
        # "Its shelves now hold 40,000 volumes" speaks of the previous paragraph's subject.
        if position > 0 and any(
            t.word in _ANAPHORS for t in index.sentences[position].tokens[:ANAPHOR_REACH]
        ):
            window.add(position - 1)
    df = index.document_frequency
    total = missing = 0.0
    content = elsewhere = 0
    for term in query.terms:
        weight = _term_weight(index, term)
        total += weight
        if term.boost < 1.0:
            continue
        content += 1
        if term.name or any(_term_match(term, index.sentences[p])[0] > 0 for p in window):
            continue
        if df.get(term.stem, 0) or df.get("~" + term.lemma, 0):
            missing += weight
            elsewhere += 1
    return (missing / total if total else 0.0, elsewhere / content if content else 0.0)


#: A runner-up that holds the demanded value stands in for a best sentence that does not when
#: it scores at least this share of the best (and is confident enough on its own). Lower shares
#: (0.3-0.6) win one more qa-dev "tune" hit but answer two to five more near misses.
RUNNER_SHARE = 0.75
RUNNER_REACH = 4


def _runner_holding_the_value(
    article: Article, query: Query, ranked: list[Scored]
) -> Scored | None:
    """A close runner-up that holds the value the best sentence lacks, or None.

    "... a lorry had overturned on the approach road shortly after 6am, injuring its driver"
    matches "How old was the lorry driver?" best but gives no age; the next paragraph's "The
    driver, a 51-year-old man from Garrow, ..." does.
    """
    index = index_for(article)
    best = ranked[0]
    for runner in ranked[1:RUNNER_REACH]:
        if runner.score < RUNNER_SHARE * best.score:
            break
        if holds_demanded_value(query, index, runner.position) and (
            confidence(article, query, runner) >= REFUSAL_THRESHOLD
        ):
            return runner
    return None


def answer_query(article: Article, query: Query) -> dict[str, Any]:
    """The best sentence (and a neighbour that adds the missing answer type), or a refusal.

    The neighbour comes first when it is what the best sentence refers back to ("He is the
    oldest ...", "... using these devices", "The neighbourhood lies ..."): it holds the name
    the question asks for.
    """
    index = index_for(article)
    if not index.sentences or not query.terms:
        return _refusal()
    ranked = rank(article, query)
    best = ranked[0]
    if confidence(article, query, best) < REFUSAL_THRESHOLD:
        return _refusal()
    chosen = [best]
    if _names_head_by_demonstrative(query, index, best.position):
        # "... are treated using these devices": the sentence before names the devices.
        chosen = [next(s for s in ranked if s.position == best.position - 1), best]
    elif best.typed < 1.0 and query.answer_type in ("person", "date", "place", "number"):
        by_position = {s.position: s for s in ranked}
        antecedent = by_position.get(best.position - 1)
        if (
            antecedent is not None
            and _REFERS_BACK.match(index.sentences[best.position].text)
            and index.paragraph_of[antecedent.position] == index.paragraph_of[best.position]
            and antecedent.typed > best.typed
        ):
            # "He is the oldest ..." answers a who-question only with the sentence naming "he".
            chosen = [antecedent, best]
        else:
            for runner in ranked[1:4]:
                if (
                    runner.typed > best.typed
                    and runner.score >= 0.75 * best.score
                    and abs(runner.position - best.position) <= 1
                ):
                    chosen.append(runner)
                    break
    if not any(holds_demanded_value(query, index, s.position) for s in chosen):
        stand_in = _runner_holding_the_value(article, query, ranked)
        if stand_in is None:
            return _refusal()
        chosen = [stand_in]
    if query.demand is not None:
        by_weight, by_count = focus_elsewhere(query, index, [s.position for s in chosen])
        if by_weight >= FOCUS_ELSEWHERE or by_count >= FOCUS_ELSEWHERE_COUNT:
            return _refusal()
    sentences = [index.sentences[s.position] for s in chosen]
    return {
        "answer": " ".join(s.text for s in sorted(sentences, key=lambda s: s.id_number)),
        "answerable": True,
        "citations": [{"sentence": s.id, "quote": s.text} for s in sentences],
    }


def answer_task(task: Task) -> dict[str, Any]:
    """The extractive engine's answer to an ``answer`` task."""
    return answer_question(task.article, task.question or "", task.history)


def bm25_rank(article: Article, question: str, k1: float = 1.2, b: float = 0.75) -> list[int]:
    """Plain BM25 over sentences (stems, stopwords dropped): the baseline the benchmark beats."""
    from .textutil import content_stems

    docs = [content_stems(s.text) for s in article.sentences]
    n = len(docs) or 1
    average = sum(len(d) for d in docs) / n or 1.0
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    terms = content_stems(question)
    scores = []
    for position, doc in enumerate(docs):
        counts = Counter(doc)
        score = 0.0
        for term in terms:
            tf = counts.get(term, 0)
            if tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / average))
        scores.append((-score, position))
    return [position for _score, position in sorted(scores)]
