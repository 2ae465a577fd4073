"""Who said what: statements attributed to a speaker, direct quotation and reported speech.

Both engines answer "What did X say?" from this module, so the offline engine and the LLM path
agree on what counts as X's statement. A statement is a sentence with a speech verb whose
subject is a speaker ("Miller said", "said Miller", "X told reporters", "according to X",
"X's spokesperson warned"), or a sentence that is all quotation and belongs to a neighbour's
speaker ("..." followed by "he added"). Pronouns ("he said") refer to the speaker of the previous
statement in the last few sentences, or else to the first name of the previous sentence.

Names match loosely: every word of the asked name must be among the speaker's words, after
joining a short mention to the fullest mention of the same person ("Miller" -> "State Department
spokesperson Matthew Miller"). A country matches its demonym, so "China" matches "a Chinese
embassy spokesperson": someone who speaks for a country's embassy or ministry speaks for it,
and readers asking "what did China say?" mean those statements. A spokesperson's words count as
their organisation's ("What does the State Department say?" finds Miller's statements).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .article import Article

#: ``is_attribution_question`` returns this for "Who said ...?" and "according to whom?".
ANY_SPEAKER = "*"

#: Lower-case speech verbs. Present forms that double as plural nouns ("vows", "claims",
#: "notes", "remarks") are left out: "break their vows" is no statement.
_SPEECH_VERBS = frozenset(
    """say said says tell told tells warn argue insist predict admit deny suggest urge added adds noted warned warns stated explained explains argued
    argues insisted insists claimed emphasized emphasised emphasizes emphasises stressed stresses
    announced announces acknowledged acknowledges admitted admits asserted asserts declared
    declares wrote writes replied replies responded responds urged urges cautioned
    suggested suggests confirmed confirms denied denies maintained maintains predicted predicts
    remarked commented observed concluded recalled vowed pledged promised advocated highlighted
    contended contends countered reiterated reiterates conceded concedes""".split()
)
#: Words that may stand between a speaker and the verb: "Miller also said", "he has repeatedly said".
_BRIDGE = frozenset(
    "also has have had later previously then once earlier recently repeatedly publicly reportedly "
    "further again had already privately separately would will".split()
)
_ROLES = frozenset(
    """spokesperson spokesman spokeswoman spokespeople minister ministry president official
    officials secretary director chief leader king queen chancellor governor mayor senator
    ambassador general commander captain judge officer chairman chairwoman chair ceo founder
    analyst analysts expert experts researcher researchers professor doctor lawyer attorney
    witness witnesses resident residents police statement embassy department government
    representative lawmaker lawmakers aide aides adviser advisor envoy diplomat diplomats
    prosecutor prosecutors economist economists scientist scientists farmers workers doctors
    teachers critics supporters opponents campaigners activists protesters voters investors
    engineers parents students fans owners executives spokesmen spokeswomen""".split()
)
_PRONOUNS = frozenset("he she they i we".split())
_NOT_SPEAKERS = frozenset(
    "it this that which these those there who what article story report piece text author".split()
)
#: Words that end a speaker phrase when walking back from the verb.
_BOUNDARY = frozenset(
    """that which who whom and but or because while when as after before if is was were are be
    been being it this these those to than though although since so whether where said says
    told could can may must should might shall did does do not never""".split()
)
_JOINERS = frozenset("of for the a an de du von van al bin der la le".split())
_HONORIFICS = frozenset("mr mrs ms miss dr sir dame mx the a an".split())

#: Country -> the words its people, government and capital go by (a small, common set).
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "china": ("chinese", "beijing"),
    "russia": ("russian", "russians", "moscow", "kremlin"),
    "us": ("american", "americans", "washington", "usa"),
    "america": ("american", "americans", "us", "usa", "washington"),
    "usa": ("american", "americans", "us", "washington"),
    "uk": ("british", "britain", "london"),
    "britain": ("british", "uk", "london"),
    "england": ("english",),
    "france": ("french", "paris", "elysee"),
    "germany": ("german", "germans", "berlin"),
    "japan": ("japanese", "tokyo"),
    "india": ("indian", "delhi"),
    "ukraine": ("ukrainian", "ukrainians", "kyiv", "kiev"),
    "israel": ("israeli", "israelis"),
    "iran": ("iranian", "iranians", "tehran"),
    "iraq": ("iraqi", "iraqis", "baghdad"),
    "syria": ("syrian", "damascus"),
    "turkey": ("turkish", "ankara"),
    "italy": ("italian", "rome"),
    "spain": ("spanish", "madrid"),
    "canada": ("canadian", "ottawa"),
    "mexico": ("mexican",),
    "brazil": ("brazilian",),
    "australia": ("australian", "canberra"),
    "korea": ("korean", "seoul", "pyongyang"),
    "pakistan": ("pakistani", "islamabad"),
    "egypt": ("egyptian", "cairo"),
    "saudi": ("saudi", "riyadh"),
    "poland": ("polish", "warsaw"),
    "netherlands": ("dutch",),
    "taiwan": ("taiwanese", "taipei"),
    "vietnam": ("vietnamese", "hanoi"),
    "greece": ("greek", "athens"),
    "sweden": ("swedish", "stockholm"),
    "norway": ("norwegian", "oslo"),
    "ireland": ("irish", "dublin"),
    "nigeria": ("nigerian",),
    "europe": ("european", "eu", "brussels"),
    "eu": ("european", "brussels"),
    "palestine": ("palestinian", "palestinians"),
    "afghanistan": ("afghan",),
}

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’.\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*|[“”\"‘’,;:()—–]|\S"
)
#: Verbs that put the speaker after them: '"...," said Miller'. Others take an object there
#: ("cautioned China"), so only these look forward, and only after a comma or a quote.
_INVERTIBLE = frozenset(
    "said says added adds noted wrote writes explained continued recalled asked warned argued "
    "stated insisted replied responded concluded observed remarked".split()
)
_OPEN = "“"
_CLOSE = "”"


@dataclass(frozen=True)
class Attribution:
    """One statement attributed to a speaker.

    ``quote_text`` is an exact substring of the sentence: the words inside the quotation marks
    for a direct quote, the whole sentence for reported speech.
    """

    sentence_id: str
    speaker: str
    kind: Literal["quote", "reported"]
    quote_text: str


@dataclass(frozen=True)
class AttributionQuestion:
    """A question about who said what: by ``name`` (``topic`` narrows it), or who said ``topic``."""

    name: str | None
    topic: str
    reverse: bool = False


# --------------------------------------------------------------------------------------------
# Finding statements.


@dataclass
class _Word:
    text: str
    start: int
    end: int

    @property
    def folded(self) -> str:
        word = self.text.lower().replace("’", "'")
        return word[:-2] if word.endswith("'s") else word

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


@dataclass
class _Raw:
    """What one sentence says about speech before pronouns and neighbours are resolved."""

    position: int
    mention: str | None  # the speaker phrase as written, or a pronoun
    quote: tuple[int, int] | None  # span of the quoted words in the sentence
    quote_only: bool  # the sentence is a quotation with no speech verb of its own


def _quote_span(text: str) -> tuple[int, int] | None:
    """The quoted part of a sentence, including quotes opened or closed in a neighbour."""
    marks = [(m.start(), m.group(0)) for m in re.finditer(r"[“”\"]", text)]
    if not marks:
        return None
    opens: list[int] = []
    spans: list[tuple[int, int]] = []
    straight_open: int | None = None
    for position, mark in marks:
        if mark == _OPEN:
            opens.append(position)
        elif mark == _CLOSE:
            spans.append((opens.pop(0) + 1 if opens else 0, position))
            opens.clear()
        elif straight_open is None:
            straight_open = position
        else:
            spans.append((straight_open + 1, position))
            straight_open = None
    for position in opens + ([straight_open] if straight_open is not None else []):
        # An unclosed quote runs to the end of the sentence; closed in a later one.
        spans.append((position + 1, len(text.rstrip())))
    spans = [(a, b) for a, b in spans if text[a:b].strip()]
    if not spans:
        return None
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    inner = text[start:end].strip()
    if len(inner.split()) < 4:  # a scare-quoted term, not a quotation
        return None
    # Trim the trailing comma of '"We will," he said' and surrounding space.
    while end > start and text[end - 1] in " ,":
        end -= 1
    while start < end and text[start] == " ":
        start += 1
    return start, end


def _phrase_back(words: list[_Word], verb: int) -> list[_Word]:
    """The speaker phrase ending just before the verb ("a Chinese embassy spokesperson")."""
    i = verb - 1
    while i >= 0 and (
        words[i].folded in _BRIDGE or words[i].folded.endswith("ly") and not words[i].capitalised
    ):
        i -= 1
    phrase: list[_Word] = []
    while i >= 0 and len(phrase) < 8:
        word = words[i]
        if not word.is_word or word.folded in _BOUNDARY and not word.capitalised:
            break
        phrase.insert(0, word)
        i -= 1
    while phrase and phrase[0].folded in _JOINERS and phrase[0].folded not in ("the", "a", "an"):
        phrase.pop(0)
    return phrase


def _phrase_forward(words: list[_Word], start: int, loose: bool) -> list[_Word]:
    """The speaker phrase after "said" (only names and roles) or "according to" (``loose``)."""
    phrase: list[_Word] = []
    i = start
    while i < len(words) and len(phrase) < 8:
        word = words[i]
        if not word.is_word:
            break
        allowed = (
            word.capitalised
            or word.folded in _ROLES
            or word.folded in _JOINERS
            or word.folded in _PRONOUNS
        )
        if not allowed and not (loose and word.folded not in _BOUNDARY):
            break
        phrase.append(word)
        i += 1
    while phrase and phrase[-1].folded in _JOINERS:
        phrase.pop()
    return phrase


def _valid(phrase: list[_Word]) -> bool:
    if not phrase or len(phrase) > 9:
        return False
    folded = [w.folded for w in phrase]
    if len(folded) == 1 and folded[0] in _NOT_SPEAKERS:
        return False
    if folded[-1] in _NOT_SPEAKERS:
        return False
    if len(folded) > 1 and any(
        w in _PRONOUNS or w in ("you", "him", "them", "us", "me") for w in folded
    ):
        return False  # "they could break their": a clause, not a speaker
    return any(
        w.capitalised and w.folded not in _HONORIFICS or w.folded in _ROLES or w.folded in _PRONOUNS
        for w in phrase
    )


def _mention(text: str, words: list[_Word]) -> str | None:
    """The speaker phrase of a sentence's speech verb, as written; None without one."""
    folded = [w.folded for w in words]
    for i in range(len(words) - 1):
        if folded[i] == "according" and folded[i + 1] == "to":
            phrase = _phrase_forward(words, i + 2, loose=True)
            if _valid(phrase):
                return text[phrase[0].start : phrase[-1].end]
    for i, word in enumerate(words):
        if word.text not in _SPEECH_VERBS:  # lower case only: "States", "Notes" are not verbs
            continue
        before = _phrase_back(words, i)
        inverted = (
            i > 0 and words[i - 1].text in (",", _CLOSE, '"', "’") and word.text in _INVERTIBLE
        )
        if _valid(before) and not inverted:
            return text[before[0].start : before[-1].end]
        if inverted:
            after = _phrase_forward(words, i + 1, loose=False)
            if _valid(after):
                return text[after[0].start : after[-1].end]
        if not before and i > 1 and words[i - 1].text == ",":
            # An appositive between speaker and verb: "Tom Okafor, who leads the group, told ...".
            for j in range(i - 2, max(0, i - 16), -1):
                if words[j].text == ",":
                    named = _phrase_back(words, j)
                    if _valid(named):
                        return text[named[0].start : named[-1].end]
                    break
    return None


def _words(text: str) -> list[_Word]:
    return [_Word(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _raw(position: int, text: str) -> _Raw:
    words = _words(text)
    quote = _quote_span(text)
    mention = _mention(text, words)
    if mention is not None and quote is not None:
        # A speech verb inside the quotation is not the attribution ("I said no," he recalled).
        start, end = quote
        outside = _mention(
            text[:start] + " " * (end - start) + text[end:],
            _words(text[:start] + " " * (end - start) + text[end:]),
        )
        mention = outside
    quote_only = (
        quote is not None
        and mention is None
        and len(text[quote[0] : quote[1]]) >= 0.6 * len(text.strip(' “”".'))
    )
    return _Raw(position, mention, quote, quote_only)


def _name_words(phrase: str) -> set[str]:
    out = set()
    for word in _words(phrase):
        if word.is_word:
            folded = word.folded.replace(".", "")
            if folded not in _HONORIFICS:
                out.add(folded)
    return out


def _capital_words(phrase: str) -> set[str]:
    return {
        w.folded.replace(".", "")
        for w in _words(phrase)
        if w.is_word and w.capitalised and w.folded not in _HONORIFICS
    }


def _canonical(mention: str, known: list[str]) -> str:
    """The fullest earlier or later mention naming the same speaker."""
    names = _capital_words(mention)
    best = mention
    if names:
        for other in known:
            if names <= _capital_words(other) and len(other) > len(best):
                best = other
        return best
    # A bare role ("the spokesperson"): the one speaker with that role, if there is one.
    roles = _name_words(mention) & _ROLES
    holders = {
        other for other in known if roles and roles <= _name_words(other) and _capital_words(other)
    }
    return holders.pop() if len(holders) == 1 else mention


def _first_name_phrase(text: str) -> str | None:
    """The first run of capitalised words (a likely subject) in a sentence."""
    words = _words(text)
    run: list[_Word] = []
    for word in words:
        if word.is_word and (word.capitalised or run and word.folded in _JOINERS):
            run.append(word)
        elif run:
            break
    while run and run[-1].folded in _JOINERS:
        run.pop()
    if not run or (len(run) == 1 and run[0].folded in _HONORIFICS | _NOT_SPEAKERS):
        return None
    return text[run[0].start : run[-1].end]


def attributions(article: Article) -> list[Attribution]:
    """Every statement in the article with its speaker, in article order (cached per article)."""
    cached = getattr(article, "_summbot_attributions", None)
    if (
        cached is not None
        and cached[0] == len(article.sentences)
        and cached[1] == len(article.text)
    ):
        return list(cached[2])
    sentences = article.sentences
    raws = [_raw(i, s.text) for i, s in enumerate(sentences)]
    mentions = [r.mention for r in raws if r.mention and r.mention.lower() not in _PRONOUNS]
    speakers: list[str | None] = [None] * len(raws)
    last: tuple[int, str] | None = None
    for i, raw in enumerate(raws):
        if raw.mention is None:
            continue
        if raw.mention.lower() in _PRONOUNS:
            if last is not None and i - last[0] <= 4:
                speakers[i] = last[1]
            elif i > 0:
                subject = _first_name_phrase(sentences[i - 1].text)
                speakers[i] = _canonical(subject, mentions) if subject else None
        else:
            speakers[i] = _canonical(raw.mention, mentions)
        if speakers[i] is not None:
            last = (i, speakers[i])  # type: ignore[assignment]
    for i, raw in enumerate(raws):
        if not raw.quote_only or speakers[i] is not None:
            continue
        after = i + 1 < len(raws) and speakers[i + 1] is not None
        if after and sentences[i + 1].paragraph == sentences[i].paragraph:
            speakers[i] = speakers[i + 1]
        elif i > 0 and speakers[i - 1] is not None and raws[i - 1].quote is not None:
            speakers[i] = speakers[i - 1]  # the quotation goes on
        elif after:
            speakers[i] = speakers[i + 1]
    found: list[Attribution] = []
    for i, raw in enumerate(raws):
        speaker = speakers[i]
        if speaker is None:
            continue
        sentence = sentences[i]
        if raw.quote is not None:
            start, end = raw.quote
            found.append(Attribution(sentence.id, speaker, "quote", sentence.text[start:end]))
        else:
            found.append(Attribution(sentence.id, speaker, "reported", sentence.text))
    article._summbot_attributions = (len(sentences), len(article.text), tuple(found))  # type: ignore[attr-defined]
    return found


def _variants(word: str) -> set[str]:
    variants = {word}
    variants.update(_DEMONYMS.get(word, ()))
    return variants


def name_matches(name: str, speaker: str) -> bool:
    """Whether an asked-for name denotes this speaker (every asked word, demonyms allowed)."""
    asked = _name_words(name)
    if not asked:
        return False
    have = _name_words(speaker)
    return all(_variants(word) & have for word in asked)


def statements_by(article: Article, name: str) -> list[Attribution]:
    """Every statement attributed to ``name``, in article order."""
    return [a for a in attributions(article) if name_matches(name, a.speaker)]


def speakers(article: Article) -> list[str]:
    """Who the article quotes or reports, in order of first statement, each once."""
    seen: list[str] = []
    for attribution in attributions(article):
        if attribution.speaker not in seen:
            seen.append(attribution.speaker)
    return seen


# --------------------------------------------------------------------------------------------
# Questions about statements.

_VERBS = (
    r"say|said|says|tell|told|state|stated|claim|claimed|add|added|note|noted|warn|warned|"
    r"argue|argued|comment|commented|respond|responded|reply|replied|write|wrote|announce|announced|"
    r"emphasi[sz]e|stress|insist|predict|confirm|deny|explain"
)
_BY = re.compile(
    rf"^\s*(?:and\s+|so\s+|but\s+)?(?:what|how)\s+(?:exactly\s+)?(?:did|does|do|has|have|had|will)\s+"
    rf"(?P<name>.+?)\s+(?:(?:have|has|had|been|actually|exactly|really|also)\s+)*(?-i:{_VERBS})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_POSITION = re.compile(
    r"^\s*(?:and\s+)?what\s+(?:is|was|are|were)\s+(?P<name>.+?)['’]s?\s+"
    r"(?:position|view|views|stance|response|reaction|statement|statements|comment|comments|"
    r"message|argument|claim|quote|quotes|words|remarks)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_FROM = re.compile(
    r"\b(?:said|quotes?|statements?|comments?|remarks?|words)\s+(?:by|from)\s+(?P<name>[^?.,]+?)\s*(?P<rest>(?:\babout\b.*)?)[?.!]*\s*$",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"^\s*according\s+to\s+(?P<name>[^,?]+),\s*(?P<rest>.+)$", re.IGNORECASE)
_WHO = re.compile(
    rf"^\s*(?:and\s+)?(?:who\s+(?:(?:has|had|have|was|is)\s+)?(?-i:{_VERBS})\b|"
    r"according\s+to\s+whom\b|whose\s+(?:words|statement|quote|comments?|remarks?)\b|"
    r"who\s+(?:is|are|was|were)\s+(?:quoted|cited)\b)(?P<rest>.*)$",
    re.IGNORECASE,
)
_IN_THE_ARTICLE = re.compile(
    r"\b(?:in|by|from)\s+(?:the|this)\s+(?:article|story|piece|report|text)\b", re.IGNORECASE
)
_TRAILING_ACCORDING = re.compile(
    r"(?P<rest>.*?),?\s+according\s+to\s+whom\s*\??\s*$", re.IGNORECASE
)


def _clean_name(name: str) -> str | None:
    name = name.strip(" ,?.!\"'“”")
    words = _name_words(name)
    if not words or len(name.split()) > 7:
        return None
    if words <= _NOT_SPEAKERS | _PRONOUNS | {
        "you",
        "article",
        "story",
        "the",
        "author",
        "writer",
        "text",
    }:
        return None
    if re.match(
        r"^(the\s+)?(article|story|text|report|piece|author|writer|passage|document)\b",
        name,
        re.IGNORECASE,
    ):
        return None
    return name


def parse_attribution_question(question: str) -> AttributionQuestion | None:
    """What an attribution question asks, or None when it is not one."""
    text = question.strip()
    for pattern in (_BY, _POSITION, _ACCORDING):
        match = pattern.match(text)
        if match:
            name = _clean_name(match.group("name"))
            if name is not None:
                return AttributionQuestion(name, match.group("rest").strip(" ?.!"))
    match = _FROM.search(text)
    if match and not text.lower().startswith("who"):
        name = _clean_name(match.group("name"))
        if name is not None:
            return AttributionQuestion(name, match.group("rest").strip(" ?.!"))
    match = _WHO.match(text) or _TRAILING_ACCORDING.match(text)
    if match:
        topic = _IN_THE_ARTICLE.sub("", match.group("rest")).strip(" ?.!,")
        return AttributionQuestion(None, topic, reverse=True)
    return None


def is_attribution_question(question: str) -> str | None:
    """The name asked about ("What did Miller say?" -> "Miller"), ``ANY_SPEAKER`` for "Who said
    ...?" / "according to whom?", or None for any other question."""
    asked = parse_attribution_question(question)
    if asked is None:
        return None
    return ANY_SPEAKER if asked.reverse else asked.name


_FOLLOW_UP_NAME = re.compile(
    r"^\s*(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|what\s+of|and|also)\s+(?P<name>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)


def reframe_follow_up(question: str, previous: str) -> str | None:
    """ "And China?" after "What did Miller say?" -> "What did China say?"; else None."""
    asked = parse_attribution_question(previous)
    if asked is None or asked.reverse:
        return None
    match = _FOLLOW_UP_NAME.match(question)
    if not match:
        return None
    name = _clean_name(match.group("name"))
    if name is None or re.match(r"^(who|what|when|where|why|how|which)\b", name, re.IGNORECASE):
        return None
    topic = f" {asked.topic}" if asked.topic else ""
    return f"What did {name} say{topic}?"


def _coverage_by_sentence(article: Article, topic: str) -> dict[str, float]:
    """How much of the topic's weighted words each sentence (or its neighbours) holds, by id."""
    from .retrieval import parse_question, score_sentences

    scored = score_sentences(article, parse_question(topic))
    return {article.sentences[s.position].id: s.coverage for s in scored}


def _quote_for(attribution: Attribution) -> str:
    return f"“{attribution.quote_text}”" if attribution.kind == "quote" else attribution.quote_text


_LISTENERS = re.compile(
    r"^(?:to\s+)?(?:the\s+)?(?:reporters|journalists|press|media|lawmakers|parliament|congress|"
    r"him|her|them|us|me|everyone|people)\b\s*",
    re.IGNORECASE,
)


def answer_attribution(article: Article, asked: AttributionQuestion) -> dict[str, Any] | None:
    """The ANSWER-schema reply to an attribution question; None when the article attributes
    nothing that fits, so that ordinary retrieval can try ("What did Luther write about vows?")."""
    found = attributions(article)
    if asked.reverse:
        if not found:
            return None
        if not asked.topic:
            firsts: dict[str, Attribution] = {}
            for item in found:
                firsts.setdefault(item.speaker, item)
            return {
                "answer": "The article quotes " + "; ".join(firsts) + ".",
                "answerable": True,
                "citations": [
                    {"sentence": a.sentence_id, "quote": a.quote_text} for a in firsts.values()
                ],
            }
        coverage = _coverage_by_sentence(article, asked.topic)
        best = max(found, key=lambda a: (coverage[a.sentence_id], -len(a.quote_text)))
        if coverage[best.sentence_id] < 0.5:
            return None
        return {
            "answer": f"{best.speaker[:1].upper()}{best.speaker[1:]}: {_quote_for(best)}",
            "answerable": True,
            "citations": [{"sentence": best.sentence_id, "quote": best.quote_text}],
        }
    statements = [a for a in found if asked.name and name_matches(asked.name, a.speaker)]
    topic = _LISTENERS.sub("", asked.topic.strip())
    topic = re.sub(r"^(about|on|regarding|concerning|of)\s+", "", topic, flags=re.IGNORECASE)
    if statements and topic:
        coverage = _coverage_by_sentence(article, topic)
        statements = [a for a in statements if coverage[a.sentence_id] >= 0.3]
    if not statements:
        return None
    speaker = statements[0].speaker
    speaker = speaker[:1].upper() + speaker[1:]
    parts = (
        [f"({n}) {_quote_for(a)}" for n, a in enumerate(statements, 1)]
        if len(statements) > 1
        else [_quote_for(statements[0])]
    )
    return {
        "answer": f"{speaker}: " + " ".join(parts),
        "answerable": True,
        "citations": [{"sentence": a.sentence_id, "quote": a.quote_text} for a in statements],
    }


__all__ = [
    "ANY_SPEAKER",
    "Attribution",
    "AttributionQuestion",
    "answer_attribution",
    "attributions",
    "is_attribution_question",
    "name_matches",
    "parse_attribution_question",
    "reframe_follow_up",
    "speakers",
    "statements_by",
]
