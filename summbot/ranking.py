"""The offline summariser: rank an article's sentences, pick a summary and key points, and check
the headline against the body.

Everything here is pure Python, deterministic and fast (a 1,000-word article ranks in a few
milliseconds), so the extractive engine needs no key, no network and no heavy import.

How a sentence is scored (``score_sentences``)
    News is written lead first, so the base of every score is a **position prior** that decays
    with the sentence's place among the article's prose sentences (debris above the lead, such as
    a share bar, does not push it down). On top of it: **centrality** (the mean, over the
    sentence's content words, of how many other sentences use them, so sentences about what the
    whole article is about rise, without favouring long ones) and **title similarity** (tf-idf
    cosine with the title, when there is one). The position prior counts for more when the
    first sentence is also the most central one (a lede that sums the story up) and for much less
    when it is not (a scene-setting opening, or a text whose lede was cut): nearly double at one
    end, nearly nothing at the other (``LEAD_ADAPT``). The sum is multiplied by a **length prior**
    (very short sentences say little, very long ones are run-ons or lists) and by penalties for
    sentences that lean on context a summary will not carry: ones that open with a pronoun or a
    connective ("But", "He", "This"), questions, and attributed quotations.

What is never picked (``SentenceScore.reason``)
    Boilerplate that survived cleaning (share bars, "Advertisement", copyright lines, photo
    credits, bylines), photo captions ("(pictured)"), heading-like lines (no closing
    punctuation, at most 15 words), fragments under five words,
    and bare quotations with no attribution (``"It was chaos."`` or, British style,
    ``'It was chaos.'`` on its own; see ``_unquoted`` for quotes and apostrophes). If that leaves
    nothing but the article has sentences, the fragments, headings and quotes are allowed back,
    so a tiny article still gets a summary; boilerplate never is.

Summary lengths (``LENGTHS``)
    ``short`` at most 2 sentences / 60 words, ``medium`` (the default) at most 3 / 100 words,
    ``long`` at most 6 / 180 words. The summary lists its sentences in article order.

Choosing the summary (``_pick_summary``)
    Greedy, one sentence at a time, and aware of what is already said, because a summary of three
    sentences that say the same thing twice wastes a third of itself (news often restates its
    lede further down, and photo captions repeat it). Two mechanisms, at two grains:

    - **covered words count for less** (SumBasic's update): once a sentence is taken, the weight
      of each of its terms in the centrality of the remaining candidates is multiplied by
      ``COVERED_TERM_DECAY``, so the next pick is central through what is *not* yet said;
    - **maximal marginal relevance**: a candidate's value is its score less
      ``SUMMARY_REDUNDANCY`` times its highest similarity to a sentence already taken, and a
      near-duplicate (similarity above ``DUPLICATE_SIMILARITY``) is never taken.

    A sentence that opens with a pronoun or connective loses its context penalty once the
    sentence it leans on (the one before it, skipping boilerplate and captions) is in the
    summary: listed in article order, its "It" or "But" then reads as the writer meant it.
    Candidates that would overflow the word budget are skipped; the first pick is always taken
    whatever its length.

Key points (``select_key_points``)
    Maximal marginal relevance: each next point is the sentence with the best score minus its
    similarity to the points already chosen, so each point carries a distinct fact. Points are
    listed in **importance order** (the order they were chosen), which means asking for fewer
    points gives a prefix of the longer list. Each point is its sentence verbatim and cites it.

Headline check (``check_headline``)
    See the function: the headline's content words the body never uses, hedges the headline drops
    ("alleged"), and negations that differ.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .textutil import HEDGES, NEGATING_VERBS, NEGATIONS, STOPWORDS, negates, stem, words

if TYPE_CHECKING:
    from .article import Article, Sentence
    from .engines.base import Task


@dataclass(frozen=True)
class Budget:
    """How long a summary may be: at most ``sentences`` sentences and about ``words`` words."""

    sentences: int
    words: int


LENGTHS: dict[str, Budget] = {
    "short": Budget(2, 60),
    "medium": Budget(3, 100),
    "long": Budget(6, 180),
}

# Weights of the score's parts. Position leads because news puts the facts first; centrality and
# title similarity move good sentences up from further down. Centrality was weighed on one half
# of XSum (whose lead sentence is removed, so it rewards centrality) against a lead-heavy news
# check (where any move away from the lead costs), and kept moderate on purpose: see
# benchmarks/bench_summ.py for both halves.
POSITION_WEIGHT = 1.0
#: How far the lead's own centrality (0..1 of the best) moves the position weight: from x0.05
#: (a lead that shares nothing with the rest: the position prior all but vanishes, and
#: centrality chooses) to x1.95 (the lead is the most central sentence: lean on the lead). A
#: decisive lean is what lets one ranking serve both kinds of article: at x(1 +/- 0.6) the
#: XSum halves, whose ledes were cut, gave up R-2 to LexRank; 0.8 to 0.95 all beat it and
#: Lead-3 there, and 0.95 kept the most of the lead-heavy check.
LEAD_ADAPT = 0.95
POSITION_HALF_LIFE = 3.0  # the sentence at index 3 gets half the prior of the first
CENTRALITY_WEIGHT = 0.6
TITLE_WEIGHT = 0.5

CONTEXT_PENALTY = 0.7  # opens with a pronoun or connective
QUESTION_PENALTY = 0.5
QUOTE_PENALTY = 0.8  # an attributed quotation: colour rather than fact

MIN_WORDS = 5
HEADING_MAX_WORDS = 15  # a longer line without closing punctuation is prose (a list's lead-in)
IDEAL_MIN_WORDS = 10
IDEAL_MAX_WORDS = 45
#: Candidates scoring below this share of the best are not used to fill a summary's budget.
SCORE_FLOOR = 0.2
#: Sentences this similar (tf-idf cosine) to one already chosen repeat it.
DUPLICATE_SIMILARITY = 0.6
#: Key points: weight of relevance against novelty in maximal marginal relevance.
MMR_LAMBDA = 0.7
#: Penalty on a key point next to one already chosen (halved two sentences away).
POINT_SPREAD = 0.25
SPREAD_FULL_AT = 20
#: Summary: how much a candidate's highest similarity to a sentence already taken costs it
#: (scores are relative to the best sentence's, 0..1).
SUMMARY_REDUNDANCY = 0.5
#: Summary: what a term's centrality weight is multiplied by once a taken sentence has said it.
COVERED_TERM_DECAY = 0.5

# --- sentence features -----------------------------------------------------------------------

_BOILERPLATE = re.compile(
    r"""^\W*(advertisement|advertising|sponsored(\s+content)?|read\s+more|related(\s+(articles?|stories|coverage))?\s*:
        |see\s+also|more\s*:|share\s+(this|on|via)|click\s+here|sign\s+up|subscribe|follow\s+us
        |scroll\s+(down|up)\s+for|watch\s+the\s+video
        |you\s+(might|may)\s+also\s+like|must\s+read|recommended(\s+for\s+you)?|most\s+(read|popular)
        |(image|photo|picture|video)\s+(copyright|caption|credit|source)|file\s+photo|photo\s*:|pictured\s*:
        |reporting\s+by|editing\s+by|additional\s+reporting|(last\s+)?updated\b|published\s*:|posted\s*:
        |this\s+(article|story)\s+(was|has\s+been)\s+(updated|amended|corrected))
    |all\s+rights\s+reserved|©|\(c\)\s*\d{4}|copyright\s+\d{4}
    |media\s+playback\s+is\s+(not\s+supported|unsupported)|external\s+links?\s+(and\s+)?(will\s+)?open\s+in\s+a\s+new
    |we\s+use\s+cookies|cookie\s+(policy|settings)|https?://|www\.\S+|\S+@\S+\.\w+""",
    re.IGNORECASE | re.VERBOSE,
)
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}\s*(,|\||$|and\b)")
#: Photo captions left in the body point at the picture: "Mr Reed (left) and ...".
_CAPTION = re.compile(
    r"\((?:left|right|centre|center|pictured|above|below|top|bottom|inset|file photo)\b[^)]*\)",
    re.IGNORECASE,
)
_CLOSES = re.compile(r"[.!?…][\"'”’)\]]*$")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CONTEXT_OPENERS = _wordset(
    """he she they it its his her their them him this that these those there such but and or so
    yet however also still then thus therefore moreover furthermore meanwhile instead nevertheless
    nonetheless besides otherwise hence accordingly similarly likewise consequently indeed"""
)
_ATTRIBUTION = _wordset(
    """said says say told tells added adds according asked asks explained explains wrote writes
    stated states insisted insists argued argues warned warns claimed claims noted notes tweeted
    continued replied admitted announced recalled suggested acknowledged confirmed declared
    posted commented"""
)


@dataclass(frozen=True)
class SentenceScore:
    """A sentence's score, or why it may not be picked (``reason`` is then set, score is 0)."""

    id: str
    score: float
    reason: str | None = None

    @property
    def eligible(self) -> bool:
        return self.reason is None


def _unquoted(sentences: Sequence[Sentence]) -> list[tuple[str, float]]:
    """For each sentence, its text outside quotation marks and the share of it inside quotes.

    Double quotes (straight or curly) carry across the sentences of a paragraph, because a quote
    often runs over several sentences and only the last one names the speaker. Single quotes,
    the British style, are told from apostrophes by where they stand: one opens a quote before a
    word's first letter ("'We" but not "it's" or "the '90s") and closes it after a word's last
    character ("down.'" or "rainbows' though", not "he's"). They do not carry over to the next
    sentence, because a paragraph run together from several (a quote left open at a paragraph's
    end, as typesetters do when the next paragraph continues it) would otherwise swallow the
    narrative after it; instead a sentence that closes a single quote it never opened, after
    its own punctuation ("It was not enough.'"), is the end of a quote from the sentence before.
    """
    out: list[tuple[str, float]] = []
    inside = False
    paragraph = -1
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            inside, paragraph = False, sentence.paragraph
        outside: list[str] = []
        quoted = 0
        single = False
        text = sentence.text
        for index, ch in enumerate(text):
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            if ch == "“":
                inside = True
            elif ch == "”":
                inside = False
            elif ch == '"':
                inside = not inside
            elif ch in _SINGLE_QUOTES and not inside and _single_quote(single, before, after):
                if single:
                    single = False
                elif before in ".,!?":
                    # It closes a quote opened in an earlier sentence: all before it was quoted.
                    quoted += sum(c.isalnum() for c in outside)
                    outside = []
                else:
                    single = True
            elif inside or single:
                quoted += ch.isalnum()
            else:
                outside.append(ch)
        rest = "".join(outside)
        letters = quoted + sum(c.isalnum() for c in rest)
        out.append((rest, quoted / letters if letters else 0.0))
    return out


_SINGLE_QUOTES = "'‘’"


def _single_quote(open_: bool, before: str, after: str) -> bool:
    """Whether a single quotation mark between ``before`` and ``after`` opens or closes a quote
    (rather than being an apostrophe), given whether a single quote is open."""
    closes = not before.isspace() and (after.isspace() or after in ".,;:!?)—–")
    if open_:
        return closes
    opens = (before.isspace() or before in "([—–") and after.isalpha()
    return opens or (closes and before in ".,!?")


def _debris(sentence: Sentence) -> str | None:
    """Why this line is not article prose at all (boilerplate, fragment, heading), or None."""
    text = sentence.text.strip()
    if _BOILERPLATE.search(text) or _BYLINE.match(text):
        return "boilerplate"
    if len(text.split()) < MIN_WORDS:
        return "too short"
    if not _CLOSES.search(text) and len(text.split()) <= HEADING_MAX_WORDS:
        return "heading"
    if _CAPTION.search(text):
        return "caption"
    return None


def _exclusion(sentence: Sentence, outside: str, quoted_share: float) -> str | None:
    """Why this sentence may never be picked, or None."""
    reason = _debris(sentence)
    if reason is None and quoted_share > 0.5 and not _attributed(outside):
        return "quote without attribution"
    return reason


def _attributed(outside: str) -> bool:
    """True when the text outside the quotes names a speaker or gives context of its own.

    A colon before the quote introduces it ("The post continues: '...'").
    """
    if outside.rstrip().endswith(":"):
        return True
    tokens = words(outside)
    if any(token in _ATTRIBUTION for token in tokens):
        return True
    return sum(token not in STOPWORDS for token in tokens) >= 4


def _length_prior(count: int) -> float:
    if count < IDEAL_MIN_WORDS:
        return count / IDEAL_MIN_WORDS
    if count > IDEAL_MAX_WORDS:
        return math.sqrt(IDEAL_MAX_WORDS / count)
    return 1.0


def _needs_context(text: str) -> bool:
    tokens = words(text[:40])
    return bool(tokens) and tokens[0] in _CONTEXT_OPENERS


# --- vectors -----------------------------------------------------------------------------------

Vector = dict[str, float]


def _terms(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def _tfidf(term_lists: Sequence[Sequence[str]]) -> list[Vector]:
    """Unit-length tf-idf vectors, idf taken over these sentences (the article is its own corpus)."""
    df: dict[str, int] = {}
    for terms in term_lists:
        for term in set(terms):
            df[term] = df.get(term, 0) + 1
    n = len(term_lists)
    vectors: list[Vector] = []
    for terms in term_lists:
        vector: Vector = {}
        for term in terms:
            vector[term] = vector.get(term, 0.0) + 1.0
        for term in vector:
            vector[term] *= math.log(1.0 + n / df[term])
        vectors.append(_normalised(vector))
    return vectors


def _normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


# --- ranking -----------------------------------------------------------------------------------


@dataclass
class _Ranked:
    sentence: Sentence
    score: float
    reason: str | None
    vector: Vector
    words: int
    #: The score's parts, so that selection can recompute the centrality part as words get said:
    #: score == (prior + centrality_scale * centrality) * multiplier.
    prior: float = 0.0
    centrality_scale: float = 0.0
    multiplier: float = 0.0
    #: Opens with a pronoun or connective, and the number of the prose sentence it leans on.
    needs_context: bool = False
    previous: int | None = None


def _rank(article: Article, sentence_ids: Iterable[str] | None = None) -> list[_Ranked]:
    """Score the article's sentences (or the ones named), in article order."""
    sentences = list(article.sentences)
    if sentence_ids is not None:
        wanted = {sid.strip().upper() for sid in sentence_ids}
        sentences = [s for s in sentences if s.id in wanted]
    if not sentences:
        return []
    unquoted = _unquoted(sentences)
    reasons = [_exclusion(s, text, share) for s, (text, share) in zip(sentences, unquoted)]
    if all(reasons) and not all(r == "boilerplate" for r in reasons):
        # Nothing pickable: let fragments, headings and quotes back rather than say nothing.
        reasons = [r if r == "boilerplate" else None for r in reasons]
    vectors = _tfidf([_terms(s.text) for s in sentences])
    # Position counts prose only: a share bar or a byline above the lead must not push it down.
    prose_index: dict[str, int] = {}
    for sentence in article.sentences:
        if _debris(sentence) is None:
            prose_index[sentence.id] = len(prose_index)

    centrality = _centrality(vectors)
    title_vector = _title_vector(article, sentences, vectors)
    title_sim = [_dot(v, title_vector) for v in vectors] if title_vector else [0.0] * len(vectors)

    top_centrality = max(centrality) or 1.0
    lead = next((i for i, s in enumerate(sentences) if reasons[i] is None), None)
    lead_strength = centrality[lead] / top_centrality if lead is not None else 0.5
    position_weight = POSITION_WEIGHT * (1 + LEAD_ADAPT * (2 * lead_strength - 1))
    top_title = max(title_sim) or 1.0
    ranked = []
    previous: int | None = None  # the sentence before, skipping debris dropped into the flow
    for index, sentence in enumerate(sentences):
        count = len(sentence.text.split())
        if index and reasons[index - 1] not in ("boilerplate", "caption"):
            previous = sentences[index - 1].number
        if reasons[index] is not None:
            ranked.append(_Ranked(sentence, 0.0, reasons[index], vectors[index], count))
            continue
        place = prose_index.get(sentence.id, sentence.number - 1)
        position = 1.0 / (1.0 + place / POSITION_HALF_LIFE)
        prior = position_weight * position + TITLE_WEIGHT * title_sim[index] / top_title
        scale = CENTRALITY_WEIGHT / top_centrality
        multiplier = _length_prior(count)
        if sentence.text.rstrip("\"'”’) ").endswith("?"):
            multiplier *= QUESTION_PENALTY
        if unquoted[index][1] > 0.5:
            multiplier *= QUOTE_PENALTY
        needs_context = _needs_context(sentence.text)
        if needs_context:
            multiplier *= CONTEXT_PENALTY
        score = (prior + scale * centrality[index]) * multiplier
        ranked.append(
            _Ranked(
                sentence,
                score,
                None,
                vectors[index],
                count,
                prior,
                scale,
                multiplier,
                needs_context,
                previous,
            )
        )
    return ranked


def _centrality(vectors: Sequence[Vector]) -> list[float]:
    """How much each sentence is about what the article is about: the mean, over its distinct
    terms, of how many other sentences use that term (SumBasic-like).

    A mean rather than a sum or a cosine with the centroid, so that long sentences do not win
    merely by containing more words.
    """
    weights = _term_weights(vectors)
    return [_mean_weight(v, weights) for v in vectors]


def _term_weights(vectors: Iterable[Vector]) -> dict[str, float]:
    """Each term's weight in centrality: how many sentences use it, less the one at hand."""
    weights: dict[str, float] = {}
    for vector in vectors:
        for term in vector:
            weights[term] = weights.get(term, -1.0) + 1.0
    return weights


def _mean_weight(vector: Vector, weights: dict[str, float]) -> float:
    return sum(weights[t] for t in vector) / len(vector) if vector else 0.0


def _title_vector(
    article: Article, sentences: Sequence[Sentence], vectors: Sequence[Vector]
) -> Vector:
    """The title as a tf-idf vector in the sentences' space (idf from the sentences)."""
    if not article.title:
        return {}
    df: dict[str, int] = {}
    for vector in vectors:
        for term in vector:
            df[term] = df.get(term, 0) + 1
    n = len(sentences)
    title: Vector = {}
    for term in _terms(article.title):
        if term in df:
            title[term] = title.get(term, 0.0) + math.log(1.0 + n / df[term])
    return _normalised(title)


def score_sentences(
    article: Article, sentence_ids: Iterable[str] | None = None
) -> list[SentenceScore]:
    """Every sentence's score in article order; excluded ones carry the reason instead."""
    return [
        SentenceScore(r.sentence.id, round(r.score, 6), r.reason)
        for r in _rank(article, sentence_ids)
    ]


def _by_score(ranked: Sequence[_Ranked]) -> list[_Ranked]:
    return sorted(
        (r for r in ranked if r.reason is None), key=lambda r: (-r.score, r.sentence.number)
    )


def _budget(length: str) -> Budget:
    from .errors import ConfigError

    try:
        return LENGTHS[length]
    except KeyError:
        raise ConfigError(
            f"Unknown summary length {length!r}: use short, medium or long."
        ) from None


def _pick_summary(ranked: Sequence[_Ranked], budget: Budget) -> list[_Ranked]:
    """Greedy within the budget, each pick valued for what it adds to the picks before it (see
    the module docstring); listed in article order."""
    candidates = _by_score(ranked)
    if not candidates:
        return []
    # Weak sentences never fill a budget, however novel they are.
    candidates = [c for c in candidates if c.score >= SCORE_FLOOR * candidates[0].score]
    top = candidates[0].score or 1.0
    weights = _term_weights(r.vector for r in ranked)
    chosen: list[_Ranked] = []
    taken: set[int] = set()
    used = 0
    while candidates and len(chosen) < budget.sentences:
        best, best_value = None, -math.inf
        for candidate in candidates:
            if chosen and used + candidate.words > budget.words:
                continue
            overlap = max((_dot(candidate.vector, c.vector) for c in chosen), default=0.0)
            if overlap > DUPLICATE_SIMILARITY:
                continue
            score = candidate.score
            if chosen:
                centrality = _mean_weight(candidate.vector, weights)
                multiplier = candidate.multiplier
                if candidate.needs_context and candidate.previous in taken:
                    multiplier /= CONTEXT_PENALTY  # what it leans on is in the summary
                score = (candidate.prior + candidate.centrality_scale * centrality) * multiplier
            value = score / top - SUMMARY_REDUNDANCY * overlap
            if value > best_value:
                best, best_value = candidate, value
        if best is None:
            break
        chosen.append(best)
        taken.add(best.sentence.number)
        candidates.remove(best)
        used += best.words
        for term in best.vector:
            weights[term] *= COVERED_TERM_DECAY
    return sorted(chosen, key=lambda r: r.sentence.number)


def _pick_points(ranked: Sequence[_Ranked], points: int) -> list[_Ranked]:
    candidates = _by_score(ranked)
    if not candidates or points <= 0:
        return []
    top = candidates[0].score or 1.0
    # Spreading matters in long articles; in a short one, neighbours are all there is.
    spread = POINT_SPREAD * min(1.0, len(ranked) / SPREAD_FULL_AT)
    chosen: list[_Ranked] = []
    while candidates and len(chosen) < points:
        best, best_value = None, -math.inf
        for candidate in candidates:
            overlap = max((_dot(candidate.vector, c.vector) for c in chosen), default=0.0)
            if overlap > DUPLICATE_SIMILARITY:
                continue
            value = MMR_LAMBDA * candidate.score / top - (1 - MMR_LAMBDA) * overlap
            # Key points should span the article, not restate its lead: a neighbour of a chosen
            # sentence usually continues the same fact.
            distance = min((abs(candidate.sentence.number - c.sentence.number) for c in chosen), default=99)
            value -= spread / distance if distance <= 2 else 0.0
            if value > best_value:
                best, best_value = candidate, value
        if best is None:
            break
        chosen.append(best)
        candidates.remove(best)
    return chosen


def select_summary(
    article: Article, length: str = "medium", sentence_ids: Iterable[str] | None = None
) -> list[Sentence]:
    """The summary's sentences, in article order, within the length's budget (see ``LENGTHS``)."""
    budget = _budget(length)
    return [r.sentence for r in _pick_summary(_rank(article, sentence_ids), budget)]


def select_key_points(
    article: Article, points: int = 5, sentence_ids: Iterable[str] | None = None
) -> list[Sentence]:
    """Up to ``points`` sentences carrying distinct facts, most important first."""
    return [r.sentence for r in _pick_points(_rank(article, sentence_ids), points)]


# --- headline check ----------------------------------------------------------------------------

_HEDGES = HEDGES
_NEGATIONS = NEGATIONS | NEGATING_VERBS
#: Headline furniture that states no claim.
_HEADLINE_NOISE = _wordset(
    """live update updates watch video photos exclusive breaking opinion analysis explainer
    news across amid among despite per toward towards upon via within"""
)


@dataclass(frozen=True)
class _Term:
    surface: str
    stem: str


def _headline_terms(title: str) -> list[_Term]:
    # "Story title | Site name": the site name states nothing.
    if " | " in title:
        head, _, tail = title.rpartition(" | ")
        if head and len(tail.split()) <= 5:
            title = head
    seen: set[str] = set()
    terms = []
    for word in words(title):
        if word in STOPWORDS or word in _HEADLINE_NOISE or word in _HEDGES or word in _NEGATIONS:
            continue
        term = _Term(word, stem(word))
        if term.stem not in seen:
            seen.add(term.stem)
            terms.append(term)
    return terms


def _matches(term: str, stems: set[str], prefixes: dict[str, set[str]]) -> bool:
    """The stem is in the body, or differs only by a suffix the stemmer left (Russia/Russian)."""
    if term in stems:
        return True
    if term.isdigit() or len(term) < 5:
        return False
    for other in prefixes.get(term[:5], ()):
        short, long_ = sorted((term, other), key=len)
        if long_.startswith(short) and len(short) >= 0.6 * len(long_):
            return True
    return False


def _ids(sentences: Sequence[Sentence]) -> str:
    return ", ".join(s.id for s in sentences)


def check_headline(article: Article) -> dict[str, Any]:
    """Does the body support the headline? ``{"supported": True|False|None, "note": str}``.

    Honest and shallow by design: it compares words, not meaning. It says False when the body
    never uses a good part of the headline's content words (stemmed), when the headline states
    as fact what the body hedges ("alleged", "reportedly") next to the headline's own words, or
    when one negates what the other does not. It says True when the body uses (nearly) all of the
    headline's content words and one or two sentences carry most of them, naming those
    sentences; None when there is no headline, it is too short to judge, or the evidence is
    mixed. A sentence that repeats the headline is not evidence for it.
    """
    title = (article.title or "").strip()
    if not title:
        return {"supported": None, "note": "No headline to check: the article has no title."}
    if not article.sentences:
        return {
            "supported": None,
            "note": "Cannot tell: the article has no body text to check the headline against.",
        }
    if title.rstrip("\"'”’ ").endswith("?"):
        return {
            "supported": None,
            "note": "Cannot tell: the headline asks a question and states no claim.",
        }
    terms = _headline_terms(title)
    if len(terms) < 2:
        return {
            "supported": None,
            "note": "Cannot tell: the headline has too few content words to check against the body.",
        }
    title_stems = {t.stem for t in terms}
    evidence = []
    for sentence in article.sentences:
        stems = [stem(w) for w in words(sentence.text)]
        content = {s for s in stems if s in title_stems}
        if len(content) >= 0.9 * len(title_stems) and len(set(stems) - title_stems) <= 3:
            continue  # the headline repeated in the body
        evidence.append((sentence, stems))
    body: set[str] = set()
    for _, stems in evidence:
        body.update(stems)
    prefixes: dict[str, set[str]] = {}
    for s in body:
        if len(s) >= 5:
            prefixes.setdefault(s[:5], set()).add(s)
    missing = [t for t in terms if not _matches(t.stem, body, prefixes)]
    present = {t.stem for t in terms if t not in missing}

    # The sentences that carry most of the headline's terms.
    scored = []
    for sentence, stems in evidence:
        hits = {s for s in stems if s in present}
        if hits:
            scored.append((len(hits), -sentence.number, sentence, stems, hits))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    support = scored[:2]
    covered: set[str] = set()
    for item in support:
        covered |= item[4]
    support_sentences = sorted((item[2] for item in support), key=lambda s: s.number)

    share_missing = len(missing) / len(terms)
    # Over 40% of its key terms absent: the headline says something the body does not. Between a
    # quarter and that, paraphrase ("health body" for "World Health Organization") is as likely
    # as invention, so the check stays undecided below rather than crying wolf.
    if len(missing) >= 2 and share_missing > 0.4:
        note = (
            f"The body never mentions: {', '.join(t.surface for t in missing)} "
            f"({len(missing)} of the headline's {len(terms)} key terms)"
        )
        if support_sentences:
            note += f"; the sentences closest to it are {_ids(support_sentences)}."
        else:
            note += "."
        return {"supported": False, "note": note}

    title_words = words(title)
    title_hedged = any(w in _HEDGES for w in title_words)
    title_negated = any(w in _NEGATIONS or negates(w) for w in title_words)
    for _, _, sentence, stems, _ in support:
        sentence_words = words(sentence.text)
        hedge = _qualifier_before(sentence_words, stems, title_stems, _HEDGES)
        if hedge and not title_hedged:
            return {
                "supported": False,
                "note": (
                    f"The headline states as fact what the body hedges: {sentence.id} says "
                    f'"{hedge}".'
                ),
            }
        negation = _qualifier_before(sentence_words, stems, title_stems, _NEGATIONS)
        if negation and not title_negated:
            return {
                "supported": False,
                "note": f'The body negates what the headline states: {sentence.id} says "{negation}".',
            }
    if title_negated and not any(
        any(w in _NEGATIONS or negates(w) for w in words(item[2].text)) for item in support
    ):
        return {
            "supported": False,
            "note": (
                "The headline negates what the body states: the sentences closest to it "
                f"({_ids(support_sentences)}) contain no negation."
            ),
        }

    if share_missing <= 0.25 and len(covered) >= 0.6 * len(terms):
        found = f"{len(terms) - len(missing)} of {len(terms)} key terms"
        note = f"Supported by {_ids(support_sentences)} ({found} found in the body"
        if missing:
            note += f"; not mentioned: {', '.join(t.surface for t in missing)}"
        return {"supported": True, "note": note + ")."}
    if missing:
        return {
            "supported": None,
            "note": (
                f"Cannot tell: the body never mentions {', '.join(t.surface for t in missing)}, "
                "and no sentence states the rest of the headline together."
            ),
        }
    return {
        "supported": None,
        "note": (
            "Cannot tell: the body uses the headline's words, but no one or two sentences "
            "state the headline together."
        ),
    }


def _qualifier_before(
    sentence_words: Sequence[str],
    stems: Sequence[str],
    title_stems: set[str],
    qualifiers: frozenset[str],
) -> str | None:
    """A hedge or negation standing within three words before one of the headline's terms,
    returned as the words from the qualifier to that term ("allegedly took bribes")."""
    for index, word in enumerate(sentence_words):
        if word in qualifiers or (qualifiers is _NEGATIONS and word.endswith("n't")):
            for end in range(index + 1, min(index + 4, len(stems))):
                if stems[end] in title_stems:
                    return " ".join(sentence_words[index : end + 1])
    return None


# --- the engine's entry point ------------------------------------------------------------------


def summarize_task(task: Task) -> dict[str, Any]:
    """Answer a summary (or map/reduce) task in ``summbot.schemas.SUMMARY``'s shape.

    Map and reduce tasks are summarised like a summary over ``task.sentence_ids`` (the chunk, or
    the sentences the notes cite) when given. The headline is always checked against the whole
    article.
    """
    from .errors import ConfigError

    budget = _budget(task.length)
    if task.points < 0:
        raise ConfigError(f"Number of key points {task.points}: use 0 or more.")
    ranked = _rank(task.article, task.sentence_ids)
    summary = _pick_summary(ranked, budget)
    points = _pick_points(ranked, task.points)
    return {
        "summary": " ".join(r.sentence.text for r in summary),
        "key_points": [{"text": r.sentence.text, "sentences": [r.sentence.id]} for r in points],
        "headline_check": check_headline(task.article),
    }


__all__ = [
    "LENGTHS",
    "Budget",
    "SentenceScore",
    "check_headline",
    "score_sentences",
    "select_key_points",
    "select_summary",
    "summarize_task",
]
