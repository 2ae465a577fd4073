"""Who said what: statements attributed to a speaker, direct quotation and reported speech.

Both engines answer "What did X say?" from this module, so the offline engine and the LLM path
agree on what counts as X's statement. A statement is a sentence with a speech verb whose
subject is a speaker ("Miller said", "X told reporters", "according to X", "X's spokesperson
warned", "residents who live near the pier said"), a sentence that puts the speaker after the
verb ('"...," said harbour board chair Ruth Okafor'), or a sentence that is all quotation and
belongs to a neighbour's speaker ("..." followed by "he added" in the same paragraph, or going on
from the previous sentence's quotation or statement).

An appositive names the speaker and describes them: "A spokesperson for the fund, Ines Laurent,
said" and '"...," said Nadia Ferrante, a spokesperson for the mayor's office' both give a
speaker "<name>, <description>", so asking for the name or for the organisation finds them.

Pronouns ("she said") are resolved as a reader would: to the person named in the sentence just
before when that sentence is not itself a statement ("Okafor rejected that estimate. She said
..."), else to the speaker of the last statement within a few sentences, else to the first name
of the previous sentence, skipping candidates whose gender (learned from earlier "he"/"she" and
from Mr/Ms) or kind (an organisation is no "she") does not fit. Without that, a pronoun carried
the previous speaker across a new speaker's statement. "It said" refers back only to an
organisation.

Names match loosely: every word of the asked name must be among the speaker's words, after
joining a short mention to the fullest mention of the same person ("Miller" -> "State Department
spokesperson Matthew Miller"; the mention must share the surname, so "Local residents" never
joins "Local historian Colm Garvey"). An acronym matches the initials ("the WHO" -> "the World
Health Organization"). A country matches its demonym, so "China" matches "a Chinese embassy
spokesperson": someone who speaks for a country's embassy or ministry speaks for it, and readers
asking "what did China say?" mean those statements. A spokesperson's words count as their
organisation's ("What does the State Department say?" finds Miller's statements).
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
#: One person by what they do. A bare "the harbour engineer" is the one engineer the article
#: names, when it names only one.
_PERSON_ROLES = frozenset(
    """spokesperson spokesman spokeswoman minister president official secretary director chief
    leader king queen chancellor governor mayor senator ambassador general commander captain judge
    officer chairman chairwoman chair ceo founder analyst expert researcher professor doctor
    lawyer attorney witness resident representative lawmaker aide adviser advisor envoy diplomat
    prosecutor economist scientist engineer coordinator head treasurer historian member councillor
    councilor owner nurse manager editor teacher farmer worker opponent critic correspondent
    reporter journalist columnist mp mep msp mla qc""".split()
)
#: People in the plural: "residents said", "commuters waiting for the 7.15 crossing said".
_GROUPS = frozenset(
    """officials analysts experts researchers witnesses residents aides diplomats prosecutors
    economists scientists farmers workers doctors teachers critics supporters opponents
    campaigners activists protesters voters investors engineers parents students fans owners
    executives spokesmen spokeswomen spokespeople lawmakers members councillors commuters
    passengers islanders locals villagers nurses families fishermen drivers unions officers
    authorities leaders ministers""".split()
)
#: Bodies that issue statements. "The board said" is the board's, never one board member's.
_ORGS = frozenset(
    """ministry department government embassy police statement council board company agency
    organization organisation association union fund network cooperative co-operative chamber
    office committee commission group party court firm bank authority institute university
    foundation charity federation league coalition society trust corporation operator
    administration parliament congress senate cabinet kremlin team newspaper paper television
    radio broadcaster magazine website""".split()
)
_ROLES = _PERSON_ROLES | _GROUPS | _ORGS
_PRONOUNS = frozenset("he she they i we".split())
_GENDER = {"he": "m", "she": "f", "mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_NOT_SPEAKERS = frozenset(
    "it this that which these those there who what article story report piece text author".split()
)
#: Words that end a speaker phrase when walking back from the verb.
_BOUNDARY = frozenset(
    """that which who whom and but or because while when as after before if is was were are be
    been being it this these those to than though although since so whether where said says
    told could can may must should might shall did does do not never""".split()
)
#: Words after an inverted "said" that end the speaker: '"...," said Okafor after the vote'.
_PREPOSITIONS = frozenset(
    """in on at after during with by from about into at outside inside ahead yesterday today
    tonight last this earlier later when while as""".split()
)
_RELATIVES = frozenset("who whom whose which where".split())
_JOINERS = frozenset("of for the a an de du von van al bin der la le".split())
_DETERMINERS = frozenset("the a an its their his her our another one".split())
_HONORIFICS = frozenset("mr mrs ms miss dr sir dame mx".split()) | _DETERMINERS

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
    r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’.\-]*[sS]['’](?![A-Za-z])|[A-Za-z][A-Za-z'’.\-]*[A-Za-z]"
    r"|[A-Za-z]|\d+(?:[.,]\d+)*|[“”\"‘’,;:()—–]|\S"
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
    for a direct quote, the whole sentence for reported speech (including a sentence that
    reports more than it quotes: 'He said he expected approval and called it "a sensible step"').
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
        if word.endswith("'s"):
            return word[:-2]
        return word[:-1] if word.endswith("s'") else word

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def acronym(self) -> bool:
        """ "WHO", "U.S.": capitals that are a name, never the function word they spell."""
        letters = self.text.replace(".", "")
        return len(letters) >= 2 and letters.isalpha() and letters.isupper()


@dataclass
class _Raw:
    """What one sentence says about speech before pronouns and neighbours are resolved."""

    position: int
    mention: str | None  # the speaker as written (", description" added), or a pronoun
    quote: tuple[int, int] | None  # span of the quoted words in the sentence
    quote_only: bool  # the sentence is a quotation with no speech verb of its own
    reports_more: bool  # more words outside the quotation than in it: reported speech


def _quote_marks(text: str) -> list[tuple[int, str]]:
    """Every quotation mark with its direction; a straight quote's direction comes from its
    neighbours (a space before it opens, a letter or comma before it closes)."""
    marks: list[tuple[int, str]] = []
    pending = False
    for match in re.finditer(r"[“”\"]", text):
        position, mark = match.start(), match.group(0)
        if mark == '"':
            before = text[position - 1] if position else " "
            after = text[position + 1] if position + 1 < len(text) else " "
            if (before.isspace() or before in "([{—–") and not after.isspace():
                mark = _OPEN
            elif not before.isspace() and (after.isspace() or after in ".,;:!?)—–"):
                mark = _CLOSE
            else:
                mark = _CLOSE if pending else _OPEN
        pending = mark == _OPEN
        marks.append((position, mark))
    return marks


def _quote_span(text: str) -> tuple[int, int] | None:
    """The quoted part of a sentence, including quotes opened or closed in a neighbour."""
    marks = _quote_marks(text)
    if not marks:
        return None
    opens: list[int] = []
    spans: list[tuple[int, int]] = []
    for position, mark in marks:
        if mark == _OPEN:
            opens.append(position)
        else:
            spans.append((opens.pop(0) + 1 if opens else 0, position))
            opens.clear()
    for position in opens:
        # An unclosed quote runs to the end of the sentence; closed in a later one.
        spans.append((position + 1, len(text.rstrip())))
    # A short quoted term inside a sentence ('called the vote "rushed"') is no quotation; two
    # of them must not join into one span of the words between.
    spans = [
        (a, b)
        for a, b in spans
        if text[a:b].strip() and (len(text[a:b].split()) >= 4 or not text[: max(a - 1, 0)].strip())
    ]
    if not spans:
        return None
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
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
        # "Theresa May said", "The WHO said" are names; "But he added", "As Okafor said" not.
        named = word.acronym or word.capitalised and i > 0 and words[i - 1].capitalised
        if not word.is_word or word.folded in _BOUNDARY and not named:
            break
        phrase.insert(0, word)
        i -= 1
    while phrase and phrase[0].folded in _JOINERS and phrase[0].folded not in ("the", "a", "an"):
        phrase.pop(0)
    if phrase and phrase[0] is words[0] and phrase[0].folded in _PREPOSITIONS | {"for", "of"}:
        # "In the film Tally Evans says": an opening adverbial, then the name.
        k = len(phrase)
        while k > 1 and (phrase[k - 1].capitalised or phrase[k - 1].folded in _ROLES):
            k -= 1
        phrase = phrase[k:]
    return phrase


def _nameish(word: _Word) -> bool:
    return word.capitalised and word.folded not in _HONORIFICS or word.folded in _ROLES


def _phrase_forward(words: list[_Word], start: int, loose: bool) -> list[_Word]:
    """The speaker phrase after an inverted "said" or after "according to" (``loose``).

    Titles in lower case stand before the name ("said harbour board chair Ruth Okafor"), so any
    word but a function word or preposition may belong; the phrase ends at its last name or
    role word, which leaves out "after the vote" and "in a statement".
    """
    phrase: list[_Word] = []
    i = start
    while i < len(words) and len(phrase) < 9:
        word = words[i]
        if not word.is_word:
            break
        if not (word.capitalised or word.folded in _ROLES or word.folded in _JOINERS):
            if word.folded in _BOUNDARY or word.folded in _PREPOSITIONS or word.folded in _BRIDGE:
                break  # "said each boat would carry": what was said, not who
            if not loose and word.folded in _SPEECH_VERBS:
                break
        phrase.append(word)
        i += 1
    if len(phrase) == 1 and phrase[0].folded in _PRONOUNS:
        return phrase
    while phrase and not _nameish(phrase[-1]):
        phrase.pop()
    if len(phrase) > 1 and phrase[0].folded in ("a", "an") and _pure_name(phrase[1:]):
        phrase = phrase[1:]  # "according to a Xinhua report": Xinhua
    return phrase


def _description_after(words: list[_Word], comma: int) -> list[_Word]:
    """ "..., a spokesperson for the mayor's office" after a name: the words up to the next
    punctuation or relative pronoun, when they hold a role or organisation word."""
    if comma >= len(words) or words[comma].text != ",":
        return []
    description: list[_Word] = []
    i = comma + 1
    while i < len(words) and words[i].is_word and len(description) < 9:
        if words[i].folded in _BOUNDARY and not words[i].capitalised:
            break
        description.append(words[i])
        i += 1
    if not any(w.folded in _ROLES for w in description):
        return []
    return description


def _valid(phrase: list[_Word]) -> bool:
    if not phrase or len(phrase) > 9:
        return False
    folded = [w.folded for w in phrase]
    if len(folded) == 1 and folded[0] in _NOT_SPEAKERS and not phrase[0].acronym:
        return False
    if folded[-1] in _NOT_SPEAKERS and not phrase[-1].acronym:
        return False
    if len(folded) > 1 and any(
        w in _PRONOUNS or w in ("you", "him", "them", "us", "me") for w in folded
    ):
        return False  # "they could break their": a clause, not a speaker
    return any(_nameish(w) or w.folded in _PRONOUNS for w in phrase)


def _name_count(phrase: list[_Word], words: list[_Word]) -> int:
    """How many proper-name words a phrase holds (the sentence's first word is capitalised
    whatever it is, so it does not count)."""
    return sum(
        1
        for w in phrase
        if w.capitalised
        and w.folded not in _HONORIFICS
        and w.folded not in _ROLES
        and w is not words[0]
    )


def _pure_name(phrase: list[_Word]) -> bool:
    """ "Mario Kreft", "the Maritime Workers Association", "Ruth Abara and Tom Leclerc"."""
    return any(w.capitalised and w.folded not in _HONORIFICS for w in phrase) and all(
        w.is_word
        and (w.capitalised or w.folded in _JOINERS or w.folded == "and")
        and w.folded not in _PERSON_ROLES  # "Conservative MP for Portsmouth North" is a title
        for w in phrase
    )


def _appositive(words: list[_Word], verb: int) -> tuple[list[_Word], list[_Word]] | None:
    """The (name, description) of "LEAD, INNER, said": "A spokesperson for the fund, Ines
    Laurent, said", "Tom Okafor, who leads the group, told", "Okafor, 54, said"."""
    comma = verb - 1
    j = comma - 1
    while j >= 0 and words[j].text != ",":
        if not words[j].is_word or comma - j > 16:
            return None
        j -= 1
    if j < 0:
        # "Chair of the board and ward councillor David Kelsey, said": a stray comma.
        lead = _phrase_back(words, comma)
        return (lead, []) if _valid(lead) else None
    inner = words[j + 1 : comma]
    lead = _phrase_back(words, j)
    if not inner:
        return None
    if inner[0].folded in _RELATIVES:
        return (lead, []) if _valid(lead) else None
    if inner[0].folded in ("of", "from", "at", "with") and _valid(lead):
        return lead, inner if len(inner) <= 8 else []  # "Matt Downie, of the charity Crisis,"
    clause = not (inner[0].capitalised or inner[0].folded in _DETERMINERS | _ROLES | {"and"})
    if clause and not any(w.folded in _ROLES for w in inner):
        # "The inquiry, chaired by Justice Lowell Goddard, said": a clause, not a name.
        return (lead, []) if _valid(lead) else None
    inner_named = _valid(inner) and _name_count(inner, words) > 0
    if _pure_name(inner) and not _pure_name(lead):  # "The chair of Care Forum Wales, Mario Kreft,"
        return inner, lead if any(w.folded in _ROLES for w in lead) else []
    if _pure_name(lead) and not _pure_name(inner) and _valid(lead):  # "Tom Okafor, chair of ..."
        described = inner if any(w.folded in _ROLES for w in inner) and len(inner) <= 8 else []
        return lead, described
    if inner_named and _name_count(inner, words) > _name_count(lead, words):
        described = lead if any(w.folded in _ROLES for w in lead) else []
        return inner, described
    if _valid(lead):
        described = inner if any(w.folded in _ROLES for w in inner) and len(inner) <= 8 else []
        return lead, described
    if inner_named:
        return inner, []
    return None


def _compose(text: str, name: list[_Word], description: list[_Word]) -> str:
    """ "Ines Laurent, a spokesperson for the fund": the name, then what the article calls them."""
    named = text[name[0].start : name[-1].end]
    if not description:
        return named
    described = text[description[0].start : description[-1].end]
    if description[0].folded in _DETERMINERS:
        described = described[:1].lower() + described[1:]
    return f"{named}, {described}"


def _mention(text: str, words: list[_Word]) -> str | None:
    """The speaker of a sentence's speech verb, or a pronoun ("she", "it"); None without one."""
    folded = [w.folded for w in words]
    for i in range(len(words) - 1):
        if folded[i] == "according" and folded[i + 1] == "to":
            phrase = _phrase_forward(words, i + 2, loose=True)
            if _valid(phrase):
                following = words.index(phrase[-1]) + 1
                return _compose(text, phrase, _description_after(words, following))
    for i, word in enumerate(words):
        if word.text not in _SPEECH_VERBS:  # lower case only: "States", "Notes" are not verbs
            continue
        previous = words[i - 1].text if i else ""
        if word.text in _INVERTIBLE and previous in (",", _CLOSE, '"', "’"):
            after = _phrase_forward(words, i + 1, loose=False)
            end = i + 1 + len(after)
            # An inverted speaker ends its clause ('said Okafor.', 'said Okafor after the
            # vote'); in "Its chair, Margaret Doyle, said the council had asked" or "..., said
            # she supported" the words after "said" are what was said.
            dangling = (
                end < len(words) and words[end].is_word and words[end].folded not in _PREPOSITIONS
            )
            if _valid(after) and not dangling:
                return _compose(text, after, _description_after(words, end))
        if previous == ",":
            found = _appositive(words, i)
            if found is not None:
                return _compose(text, *found)
            continue
        before = _phrase_back(words, i)
        if _valid(before):
            return _compose(text, before, [])
        subject = i - 1
        while subject >= 0 and words[subject].folded in _BRIDGE:
            subject -= 1
        if subject >= 0 and words[subject].text.lower() == "it":
            return "it"
        if not before and i > 1 and words[i - 1].text == "who":
            # "criticised by Ms Davidson who said": the name just before "who".
            name: list[_Word] = []
            j = i - 2
            while j >= 0 and words[j].is_word and words[j].capitalised:
                name.insert(0, words[j])
                j -= 1
            if _pure_name(name) and _valid(name):
                return text[name[0].start : name[-1].end]
        first = words.index(before[0]) if before else -1
        if first > 0 and words[first - 1].folded == "who":
            # "The three board members who voted against the plan said": the head before "who".
            head = _phrase_back(words, first - 1)
            if _valid(head):
                return text[head[0].start : before[-1].end]
    return None


def _words(text: str) -> list[_Word]:
    return [_Word(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _leaves_open(text: str, inside: bool) -> bool:
    """Whether a quotation is still open at the end of the sentence."""
    for _position, mark in _quote_marks(text):
        inside = mark == _OPEN
    return inside


def _raw(position: int, text: str, inside: bool = False) -> _Raw:
    """``inside``: the sentence starts within a quotation opened earlier in its paragraph
    ('"We could only play in summer. But when it was hot, ...' is all quotation)."""
    words = _words(text)
    quote = _quote_span(text)
    if inside and not _quote_marks(text) and text.strip():
        quote = (len(text) - len(text.lstrip()), len(text.rstrip()))
    mention = _mention(text, words)
    reports_more = False
    if quote is not None:
        # A speech verb inside the quotation is not the attribution ("I said no," he recalled).
        start, end = quote
        outside = text[:start] + " " * (end - start) + text[end:]
        outside_words = _words(outside)
        mention = _mention(outside, outside_words)
        quoted = sum(1 for w in _words(text[start:end]) if w.is_word)
        speaker = len(_words(mention)) if mention else 0
        reports_more = sum(1 for w in outside_words if w.is_word) - speaker > quoted
    quote_only = (
        quote is not None
        and mention is None
        and len(text[quote[0] : quote[1]]) >= 0.6 * len(text.strip(' “”".'))
    )
    return _Raw(position, mention, quote, quote_only, reports_more)


def _name_words(phrase: str) -> set[str]:
    out = set()
    for word in _words(phrase):
        if word.is_word:
            folded = word.folded.replace(".", "")
            if folded not in _HONORIFICS:
                out.add(folded)
    return out


def _name_part(speaker: str) -> str:
    """ "Ines Laurent" of "Ines Laurent, a spokesperson for the fund"."""
    return speaker.split(", ", 1)[0]


def _capital_words(phrase: str) -> list[str]:
    """The proper-name words of a phrase, in order: titles ("Professor", "MP") left out, an
    organisation's own words kept ("Cornwall Council" is not "Cornwall Wildlife Trust")."""
    return [
        w.folded.replace(".", "")
        for w in _words(phrase)
        if w.is_word
        and w.capitalised
        and w.folded not in _HONORIFICS
        and w.folded not in _PERSON_ROLES
        and w.folded not in _GROUPS
    ]


def _initials(phrase: str) -> str:
    return "".join(
        w.folded[0]
        for w in _words(phrase)
        if w.is_word and w.capitalised and w.folded not in _HONORIFICS | _JOINERS
    )


def _joint(speaker: str) -> bool:
    """ "Ruth Abara and Tom Leclerc": two people speaking together."""
    name = _name_part(speaker)
    return " and " in name and all(_capital_words(p) for p in name.split(" and "))


def _candidates(known: list[str]) -> list[str]:
    """Full mentions a short one may stand for: each person of a joint mention on their own,
    and no group ("the U.S." is not "U.S. officials")."""
    out: list[str] = []
    for other in known:
        if _joint(other):
            out.extend(_name_part(other).split(" and "))
        elif _words(_name_part(other))[-1].folded not in _GROUPS:
            out.append(other)
    return out


def _same_person(short: list[str], full: str) -> bool:
    """Every name word of ``short`` is in ``full``'s name, the given name or surname among them."""
    names = _capital_words(_name_part(full))
    if not names or not set(short) <= set(names):
        return False
    # A person's given name or surname must be among them ("Bryan", "Mr Horwell" of "Richard
    # Horwell QC"); a capitalised common word alone ("Local historian") is not.
    return not _is_person(full) or bool(set(names[-2:]) & set(short))


def _canonical(mention: str, known: list[str]) -> str:
    """The fullest earlier or later mention naming the same speaker."""
    if _joint(mention):
        return mention
    name_words = _words(_name_part(mention))
    named = [w for w in name_words if w.is_word]
    if len(named) <= 2 and named and named[-1].acronym:
        acronym = named[-1].folded.replace(".", "")
        for other in known:
            if other != mention and _initials(_name_part(other)) == acronym:
                return other
    names = _capital_words(_name_part(mention))
    if _words(_name_part(mention))[-1].folded in _GROUPS:
        return mention  # "Local residents", "U.S. officials": a group is nobody's short name
    if names:
        best = mention
        for other in _candidates(known):
            if _same_person(names, other) and len(other) > len(best):
                best = other
        return best
    # A bare role ("the harbour engineer"): the one named speaker with that role, if only one.
    # "The mayor's office" is a body, not its spokesperson: the last word must be the role.
    words = _name_words(mention)
    if not named or named[-1].folded not in _PERSON_ROLES:
        return mention
    holders = {
        other
        for other in known
        if _capital_words(_name_part(other)) and words <= _name_words(other) and not _joint(other)
    }
    return holders.pop() if len(holders) == 1 else mention


def _is_person(speaker: str) -> bool:
    """Whether a speaker is one person (who can be "he" or "she"), not a body or a group."""
    name = _name_part(speaker)
    words = [w for w in _words(name) if w.is_word]
    if not words or _joint(speaker):
        return False
    folded = [w.folded for w in words]
    if folded[-1] in _ORGS or folded[-1] in _GROUPS:
        return False
    if any(w in _PERSON_ROLES for w in folded):
        return True
    if any(w in _ORGS for w in folded):
        return False
    # "Tristram Hunt MP" is a person; "the WHO" is not.
    return any(w.capitalised and w.folded not in _HONORIFICS and not w.acronym for w in words)


def _is_body(speaker: str) -> bool:
    """Whether "it" can stand for the speaker: an organisation, not a person or a group."""
    if _is_person(speaker) or _joint(speaker):
        return False
    words = [w for w in _words(_name_part(speaker)) if w.is_word]
    return bool(words) and words[-1].folded not in _GROUPS


def _first_name_phrase(text: str) -> str | None:
    """The first run of capitalised words (a likely subject) in a sentence."""
    function = _HONORIFICS | _NOT_SPEAKERS | _BOUNDARY | _BRIDGE | _PREPOSITIONS
    run: list[_Word] = []
    for word in [*_words(text), _Word(".", 0, 0)]:
        if word.is_word and (word.capitalised or run and word.folded in _JOINERS):
            run.append(word)
            continue
        while run and run[-1].folded in _JOINERS:
            run.pop()
        if run and not (len(run) == 1 and run[0].folded in function):  # "As", "But", "The"
            return text[run[0].start : run[-1].end]
        run = []
    return None


def _people_named(text: str, known: list[str]) -> list[str]:
    """The known speakers (people only) a sentence names, in order: "Okafor rejected that
    estimate" -> the mention of Okafor."""
    found: list[str] = []
    run: list[_Word] = []
    for word in [*_words(text), _Word(".", 0, 0)]:
        if word.is_word and word.capitalised:
            run.append(word)
            continue
        names = _capital_words(" ".join(w.text for w in run))
        run = []
        if not names:
            continue
        for other in _candidates(known):
            if _same_person(names, other) and _is_person(other):
                found.append(other)
                break
    return found


_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Prof)\.? [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?")


def _titled_people(text: str) -> list[str]:
    """ "It is part of Ms Rochira's review": names with a title are people, known or not."""
    return [re.sub(r"['’]s$", "", m.group(0)) for m in _TITLED.finditer(text)]


class _Resolver:
    """Speakers in article order: canonical names, genders learned on the way, pronouns."""

    def __init__(self, article: Article, raws: list[_Raw]) -> None:
        self.sentences = article.sentences
        self.raws = raws
        # Each distinct mention once, in first-seen order: matching every mention against every
        # repeat made resolving quadratic in the article's length.
        self.known = list(
            dict.fromkeys(
                r.mention for r in raws if r.mention and r.mention.lower() not in _PRONOUNS | {"it"}
            )
        )
        self.speakers: list[str | None] = [None] * len(raws)
        self.genders: dict[str, str] = {}
        self.forms: dict[str, str] = {}
        self.last: tuple[int, str] | None = None

    def settle(self, mention: str) -> str:
        """The canonical speaker, written as it was first written ("The company" = "the company")."""
        speaker = re.sub(r"['’]s?$", "", _canonical(mention, self.known))  # "Dev Patel's"
        return self.forms.setdefault(speaker.casefold(), speaker)

    def run(self) -> list[str | None]:
        for i, raw in enumerate(self.raws):
            if raw.mention is None:
                continue
            pronoun = raw.mention.lower()
            if pronoun in _PRONOUNS or pronoun == "it":
                speaker = self.pronoun(i, pronoun)
                gender = _GENDER.get(pronoun)
            else:
                speaker = self.settle(raw.mention)
                gender = _GENDER.get(raw.mention.split()[0].lower().rstrip("."))
            if speaker is None:
                continue
            if gender and _is_person(speaker):
                self.genders.setdefault(speaker, gender)
            self.speakers[i] = speaker
            self.last = (i, speaker)
        self.quotations()
        return self.speakers

    def pronoun(self, i: int, pronoun: str) -> str | None:
        if pronoun == "it":
            near = self.last is not None and i - self.last[0] <= 3
            return self.last[1] if near and self.last and _is_body(self.last[1]) else None
        candidates: list[str] = []
        previous = self.sentences[i - 1].text if i > 0 else ""
        if i > 0 and self.speakers[i - 1] is None and not self.raws[i - 1].quote_only:
            # "Okafor rejected that estimate. She said ...": the person just named.
            named = _people_named(previous, self.known) + _titled_people(previous)
            candidates += [self.settle(p) for p in named]
        if self.last is not None and i - self.last[0] <= 4:
            candidates.append(self.last[1])
        subject = _first_name_phrase(previous) if previous else None
        if subject and previous.startswith(subject) and len(_capital_words(subject)) >= 2:
            candidates.append(self.settle(subject))  # "Tom Okafor arrived late. He said ..."
        gender = _GENDER.get(pronoun)
        for candidate in candidates:
            if gender is None:
                return candidate
            if _is_person(candidate) and self.genders.get(candidate, gender) == gender:
                return candidate
        return None

    def quotations(self) -> None:
        """A sentence that is all quotation: the speaker named later in its paragraph, else the
        speaker of the statement just before it ('Morgan said the test was promising.' then a
        paragraph of his words: news puts the speaker first, then the quotation), else the
        speaker of the statements on both sides of it. Never the speaker of a later paragraph
        alone: a quotation is seldom attributed after it, and a wrong speaker is worse than none."""
        raws, speakers, sentences = self.raws, self.speakers, self.sentences
        for i in range(len(raws) - 1, -1, -1):
            if (
                raws[i].quote_only
                and speakers[i] is None
                and i + 1 < len(raws)
                and speakers[i + 1] is not None
                and sentences[i + 1].paragraph == sentences[i].paragraph
            ):
                speakers[i] = speakers[i + 1]
        for i in range(1, len(raws)):
            if raws[i].quote_only and speakers[i] is None and speakers[i - 1] is not None:
                speakers[i] = speakers[i - 1]
        for i in range(len(raws) - 1):
            if not raws[i].quote_only or speakers[i] is not None or speakers[i + 1] is None:
                continue
            following = speakers[i + 1]
            earlier = next(
                (speakers[j] for j in range(i - 1, max(i - 4, -1), -1) if speakers[j]), None
            )
            if earlier == following:
                speakers[i] = following  # between two statements by the same speaker


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
    raws: list[_Raw] = []
    open_quote = False
    for i, sentence in enumerate(sentences):
        inside = open_quote and i > 0 and sentences[i - 1].paragraph == sentence.paragraph
        raws.append(_raw(i, sentence.text, inside))
        open_quote = _leaves_open(sentence.text, inside)
    speakers = _Resolver(article, raws).run()
    found: list[Attribution] = []
    for i, raw in enumerate(raws):
        speaker = speakers[i]
        if speaker is None:
            continue
        sentence = sentences[i]
        if raw.quote is not None and not raw.reports_more:
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
    """Whether an asked-for name denotes this speaker (every asked word, demonyms allowed; an
    acronym matches the initials of the speaker's name)."""
    asked = _name_words(name)
    if not asked:
        return False
    have = _name_words(speaker)
    acronyms = {w.folded.replace(".", "") for w in _words(name) if w.acronym}
    initials = _initials(_name_part(speaker))
    return all(_variants(word) & have or word in acronyms and word == initials for word in asked)


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
    acronym = any(w.acronym for w in _words(name))  # "the WHO" is no "who"
    if not acronym and words <= _NOT_SPEAKERS | _PRONOUNS | {
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
    """How much of the topic's weighted words each sentence itself holds, by id: a statement
    beside one on the topic is not on it."""
    from .retrieval import parse_question, score_sentences

    scored = score_sentences(article, parse_question(topic))
    return {article.sentences[s.position].id: s.own for s in scored}


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
