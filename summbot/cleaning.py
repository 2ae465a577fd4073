"""Scraped-text cleaning: find the article in a copied or scraped page and report the debris.

A scraped page is the article plus everything around it: menus, share buttons, ad markers,
captions, related links, comments, cookie banners, footers. ``clean_text`` keeps the article's
paragraphs and subheadings in order, lifts the title, byline, date and dateline into metadata,
and lists every line (or glued piece of a line) it removed with the rule that removed it, so a
user can see and dispute each decision (``summbot clean --show-removed``).

The cleaner reads structure first and phrases second, so that pages nobody here has seen clean
well:

1. **Lines are blocks.** Each non-blank line is a block; hard-wrapped prose (lines of one width,
   or a line continued by a lower-case line) is joined back into one paragraph, and Markdown
   heading marks and link targets are dropped.
2. **Each block is scored** by what real prose looks like: length, sentence punctuation, the
   share of function words ("the", "of", "and"...), link-like text (URLs, ``|`` separators,
   glued CamelCase menu words), markup leftovers, and repetition (menus and teasers repeat).
3. **The body is the best-scoring contiguous region** (a maximum-sum run: prose counts for it,
   short, repeated and debris lines count against it). That catches menus, sidebars and footers
   without naming them, and keeps the short paragraphs, quotations and subheadings that sit
   between real paragraphs. The region is then trimmed where structure says the article starts
   or stops: after an article header (date, byline, share buttons) that teasers stand above,
   at a comment section (a heading, or commenters' "name says:" signatures), at a "Related"
   heading followed only by one-paragraph teasers, and at an "About the author" box.
4. **The header** above the body gives the metadata: the title, the byline, the date; subheads
   and a dek under the title stay as headings. The title is the headline-shaped line (4 to 25
   words, no closing full stop, opening with a capital, a digit or a quote) that the header
   marks: the byline, date or share buttons right under it (a dek, a caption or a name line
   may stand between), an echo (a truncated copy, the window title with the site name, a copy
   with a breadcrumb glued to its front), content words shared with the lead, and nearness to
   the body. Against it count: standing in a menu or teaser run, being the dek under a longer
   headline or a short kicker over one, standing under another headline's byline or date (a
   caption, a video's title), repeating the author's name, a timestamp, a quotation. The
   headline is also looked for above a byline further up, past a caption that reads as prose;
   a headline that weighs like prose (a question with its byline under it, or a full headline
   under a truncated copy of itself) is the title, not the first paragraph.
5. **Named rules** then remove the debris that sits inside the body, and name what was cut
   around it. A line is only removed by a phrase rule when the whole line is that kind of line
   (a short label, a banner); a sentence that merely mentions "advertisement" or "read more about"
   in passing is body text. A line that quotes someone ("...," she said.) is never removed by a
   phrase rule.

Rules (the ``rule`` of each ``Removal``):

=====================  ==========================================================================
``ad-marker``          "- Advertisement -", "ADVERTISEMENT", "Sponsored", "Story continues below"
``theme-leftover``     page-builder debris such as "spot_imgspot_img" (also cut off a paragraph it
                       is glued to, as is a glued "Advertisement")
``markup``             HTML, CSS, script or template comments leaked into the text
``share-follow``       share / follow / like / print / email buttons and counters
``newsletter``         subscribe and sign-up prompts
``cookie``             cookie and consent banners
``related-links``      "Must Read", "Read more:", "Related:", "Also read" and the links under them
``comments``           comment sections: their heading, form and everything after it
``social-embed``       embed furniture: "View this post on Instagram", "— Name (@handle) date",
                       "Your browser does not support the video tag"
``navigation``         menus and link lists around the article (runs of short lines without
                       sentence punctuation), page labels such as "5 min read", "Click here";
                       a list inside the body is body
``breadcrumb``         "Home > World", or menu words glued to the headline ("HomeWorld...")
``truncated-headline`` a shortened copy of the headline ending in "..." or "…"
``photo-credit``       captions and credits: "© Reuters. FILE PHOTO: ...", "(Getty Images)",
                       "Image caption ...", "... Credit: ESA"
``footer``             copyright, "All rights reserved", terms, privacy, contact lines
``about-box``          "About the author" / "About <Name>" boxes closing the page
``outside-article``    prose that is not part of the article (teasers, sidebars, other stories)
``duplicate``          a body paragraph repeated verbatim
``title``              the headline, moved to ``Cleaned.title``
``byline``             "By Jane Doe", moved to ``Cleaned.byline``
``date``               the publication date line, moved to ``Cleaned.published``
``dateline``           "GENEVA (Reuters) -" opening the first paragraph, moved to ``dateline``
=====================  ==========================================================================

``clean_html`` extracts the main text of an HTML page with trafilatura (keeping paragraphs and
headings), takes the title, author and date from its metadata, and passes the text through the
same rules; the page's other visible blocks are reported as removed, named by the same rules.

Speed: every step is one pass over the lines, every pattern is anchored or bounded by a line's
length, and repeated lines are measured once, so a megabyte cleans in a fraction of a second.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# The cleaner's output types live in ``blocks`` so that reading them (``summbot.article``, and
# through it ``summbot --help``) does not compile this module's patterns.
from .blocks import Block, Cleaned, Removal  # re-exported: the public output types
from .textutil import STOPWORDS

# --------------------------------------------------------------------------------------------
# Line-level patterns. Every pattern is anchored or bounded so that it runs in linear time on a
# line; most are only tried on short lines, where a whole line can be a label or a button.

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A sentence end, not an initial or a title: "U.S. Secretary" and "Mr. Miller" do not count.
# The look-behinds sit after the dot so the scan is driven by the punctuation character.
_SENTENCE_PUNCT = re.compile(
    r"(?:[!?…。！？]|\.(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bJr\.)"
    r"(?<!\bSr\.)(?<!\bNo\.)(?<!\bMrs\.)(?<!\bvs\.))[\"'”’»)\]]*(?:\s|$)"
)
_QUOTE_ATTRIBUTION = re.compile(
    r"[\"“”«»]|[‘’']\s",
)
_SAID = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|asked|asks|wrote|writes|explained|explains|noted"
    r"|notes|argued|argues|insisted|insists|recalled|recalls|replied|replies|warned|warns"
    r"|stated|states|continued|continues)\b"
)

_AD_MARKER = re.compile(
    r"^[\W_]*(?:advertisements?|advertising|advert|ads?|sponsored(?: content| post| links?)?"
    r"|paid (?:content|post|partnership)|promoted(?: content| stories)?|partner content"
    r"|(?:story|article|content) continues (?:below|after)(?: (?:this |the )?(?:advertisement|ad))?"
    r"|continue reading (?:below|the main story)|scroll to continue(?: with content)?"
    r"|skip (?:ad|advert|advertisement)|report this ad|ad feedback|close ad)[\W_]*$",
    re.IGNORECASE,
)
_THEME_LEFTOVER = re.compile(
    r"^(?:spot_img|td_|tdc_|vc_|et_pb_|elementor|jeg_|wp-block|\[/?[a-z_]+\])", re.IGNORECASE
)
_THEME_GLUED = re.compile(r"(?:spot_img)+", re.IGNORECASE)
_MARKUP_TAG = re.compile(
    r"</?(?:a|abbr|amp-[\w-]+|article|aside|b|blockquote|body|br|button|center|div|em|figcaption"
    r"|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|label|li|link"
    r"|main|meta|nav|noscript|ol|option|p|path|picture|script|section|select|small|source|span"
    r"|strong|style|svg|table|tbody|td|th|thead|time|tr|u|ul|video)(?:\s[^<>]*)?/?>|<!--|-->",
    re.IGNORECASE,
)
_MARKUP_ATTR = re.compile(r"\b(?:class|style|href|src|onclick|id|data-[\w-]+)\s*=\s*[\"']")
_MARKUP_CODE = re.compile(
    r"\bfunction\s*\(|\bvar\s+\w+\s*=|\bdocument\.\w+|\bwindow\.\w+|googletag|gtag\(|dataLayer"
    r"|adsbygoogle|__[a-z]\w*__|\(noscript\)|\bGoogle Tag Manager\b|\bPixel Code\b|\[if [^\]]*\]|\[endif\]"
)
# Leaked selectors and template comments: "/.wrap", "#post-64645", ".row-extended", "/* x */".
_MARKUP_PATH = re.compile(
    r"^(?:/\*|/\.?[\w#.-]+(?:/[\w#.-]*)*$|#[\w#-]+$|\.[a-z][\w-]*(?:\s*\{.*)?$|[{}])"
)
# A template or asset path standing in a short line: "e hearst/article/shareTools.tpl".
_TEMPLATE_PATH = re.compile(r"[\w-]+(?:/[\w.-]+)+\.(?:tpl|php|jsp|aspx?|html?|js|css|twig)\b")


_GLUED_THEME = re.compile(r"^(?:spot_img)+(?=\S)|(?<=[.!?”\"’)])(?:spot_img)+$")
_GLUED_AD = re.compile(r"(?<=[.!?”\"’)])\s*[-–—]?\s*(?:ADVERTISEMENT|Advertisement)\s*[-–—]?\s*$")


def _split_glued_debris(text: str) -> tuple[str, list[Removal]]:
    """A paragraph with an ad marker or theme leftover glued to it, and the pieces cut off."""
    found: list[Removal] = []
    rest = text
    for pattern, rule in ((_GLUED_THEME, "theme-leftover"), (_GLUED_AD, "ad-marker")):
        for match in list(pattern.finditer(rest))[::-1]:
            remainder = (rest[: match.start()] + rest[match.end() :]).strip()
            if len(remainder.split()) >= 3:
                found.append(Removal(match.group(0).strip(), rule))
                rest = remainder
    return rest, found


def _is_markup(text: str) -> bool:
    """HTML, CSS or script leaking into the text (each check guarded by a cheap character test)."""
    if ("<" in text or ">" in text) and _MARKUP_TAG.search(text):
        return True
    if "=" in text and _MARKUP_ATTR.search(text):
        return True
    if text[0] in "/#.*{}" and _MARKUP_PATH.match(text):
        return True
    if "/" in text and "." in text and len(text) <= 200 and _TEMPLATE_PATH.search(text):
        return True
    if text.endswith(("{", "}", "*/")) or (text.endswith(";") and ("=" in text or "(" in text)):
        return True
    return (
        "function" in text
        or "var " in text
        or "document." in text
        or "window." in text
        or "gtag" in text
        or "dataLayer" in text
        or "adsbygoogle" in text
        or "__" in text
        or "[if " in text
        or "[endif" in text
        or "noscript" in text
        or "Tag Manager" in text
        or "Pixel Code" in text
    ) and bool(_MARKUP_CODE.search(text))


_SHARE = re.compile(
    r"^(?:share(?: (?:this|the|on|via|to|article|story|post|page|now|it))*(?: \w+)?"
    r"|tweet(?: this)?|retweet|pin(?: it)?|e-?mail(?: this)?(?: article| story)?|print(?: this)?"
    r"(?: article| story| page)?|whats ?app|facebook|twitter|x\.com|linkedin|reddit|pinterest"
    r"|telegram|tumblr|flipboard|mix|messenger|copy(?: the)? link|link copied|save(?: article)?"
    r"|like this:?|like loading\.*|loading\.*|gift(?: this)? article|comment(?: now)?"
    r"|follow(?: us)?(?: on \w+(?: and \w+)?)?|follow @?[\w.]+|like us on facebook"
    r"|sharing is caring!?|click to share.*|share(?:s)? this:?|\d[\d,.]*k?\s*(?:shares?|likes?"
    r"|views?|reads?|comments?)|shares?|sms|share via email|show more sharing options"
    r"|link to this (?:video|article|story|page)|share to .{1,80}"
    r"|(?:facebook|twitter|linkedin|reddit|pinterest|whatsapp|email)"
    r"(?:[\s,|/]+(?:facebook|twitter|linkedin|reddit|pinterest|whatsapp|email|x))+)[\s:!.]*$"
    # A link label: "Submit to Stumbleupon (Opens in new window)".
    r"|^.{0,80}\(?opens? in (?:a )?new (?:window|tab)\)?[\s.]*$|^.{0,80}will open in a new (?:window|tab)",
    re.IGNORECASE,
)
_SHARE_MENTION = re.compile(
    r"\b(?:share|follow us|like us|find us on|connect with us)\b.*\b(?:facebook|twitter|"
    r"instagram|linkedin|youtube|tiktok|whatsapp|email)\b",
    re.IGNORECASE,
)
# A call to sign up: the reader is addressed about a newsletter, an inbox or a subscription.
_NEWSLETTER_CALL = re.compile(
    r"(?=.*\b(?:newsletters?|subscri\w*|inbox|sign(?:ing)? up (?:for|to) (?:our|free|daily"
    r"|weekly|email))\b)(?=.*\b(?:you|your|our|us|free)\b|^(?:sign|subscribe|get|join|enter"
    r"|click|register|never miss|don'?t miss|stay)\b)",
    re.IGNORECASE,
)
# Consent words of banners in other languages (an English line has its own rule above).
_COOKIE_CONSENT_ANY = re.compile(
    r"akzept|zustimm|einverstanden|accett|consens|acept|consent|accepte|utilis|utiliz|verwend|nutz"
    r"|continu|navig|datenschutz|privacy|confidential|política|politique"
)
_COOKIE_BUTTON = re.compile(
    r"\b(?:accept|allow|reject|decline|refuse|manage|customi[sz]e|necessary)\b.{0,30}\bcookies?\b"
    r"|\bcookies? (?:settings|preferences|policy|consent|notice)\b",
    re.IGNORECASE,
)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:we|our|you|your|accept|consent|agree|preferences|settings|policy|browser"
    r"|this (?:web)?site|continu(?:e|ing) to (?:use|browse))\b",
    re.IGNORECASE,
)
_RELATED_HEAD = re.compile(
    r"^[\W_]*(?:must[- ]reads?|read (?:more|next|also)|also read|more to read|related"
    r"(?: articles?| stories| posts?| news| coverage| content| links| topics| reading| videos?)?"
    r"|more (?:from|on|in|about|stories|news|articles|headlines|like this)\b.{0,40}"
    r"|recommended(?: for you| stories| articles| reading)?|you (?:may|might) also (?:like|enjoy)"
    r"|don'?t miss(?: this)?|see also|trending(?: now| stories| news)?|most (?:popular|read|viewed"
    r"|shared)|popular (?:posts|stories|articles|now)|further reading|latest (?:news|stories"
    r"|articles|posts)|top stories|editor'?s? picks?|what to read next|recent posts|up next"
    r"|watch next|keep reading|in case you missed it|suggested (?:articles|reading)"
    r"|other (?:stories|news)|tags?|topics?|categories|filed under|read the full story"
    r"|(?:previous|next|prev) (?:article|post|story|page)|we recommend|like this (?:article|story)"
    r"|(?:read )?more (?:from|by) (?:this|the) author|(?:view|see) all)"
    r"[\W_]*$",
    re.IGNORECASE,
)
_RELATED_PREFIX = re.compile(
    r"^[\W_]*(?:read (?:more|next|also)|also read|related(?: article| story| coverage)?|see also"
    r"|don'?t miss|must read|recommended|more|watch|listen|tags?|topics?|filed under)"
    r"\s*(?::|»|>|→|\||-\s|–|—)\s*\S",
    re.IGNORECASE,
)
_RELATED_SHOUT = re.compile(r"^(?:READ MORE|ALSO READ|READ ALSO|RELATED|SEE ALSO|MUST READ)\b")
_COMMENTS = re.compile(
    r"^[\W_]*(?:(?:\d+|no|show|view|hide|load|read|post|add|leave|write|all|join)"
    r"\s+(?:(?:a|your|the|our|all|more|\d+)\s+)?)?(?:comments?|repl(?:y|ies)|responses?"
    r"|discussion|conversation)(?:\s*\(\d+\))?[\W_]*$"
    r"|^[\W_]*(?:leave|post|add|write|submit) (?:a|your) (?:reply|comment|response)"
    r"|^[\W_]*join the (?:discussion|conversation|debate)|^[\W_]*comments are closed"
    r"|your email address will not be published|you must be logged in to post a comment"
    r"|^[\W_]*comments? powered by|^[\W_]*we welcome (?:your )?comments"
    r"|^[\W_]*(?:cancel reply|share your thoughts)|^[\W_]*what do you think\?\s*$"
    r"|^\d+\s+(?:comments?|responses?|replies|thoughts)\s+(?:to|on)\b|\bfeed for comments\b"
    # The same headings in a few other languages news sites are written in.
    r"|^[\W_]*(?:\d+\s+)?(?:kommentare?|commentaires?|comentarios?|comentários?|commenti|reacties"
    r"|комментари\w*)(?:\s*\(\d+\))?[\W_]*$"
    r"|^[\W_]*(?:lascia un commento|laisser un commentaire|deja (?:un|tu) comentario"
    r"|deixe (?:um|seu) comentário|kommentar (?:schreiben|verfassen)|schreibe einen kommentar)",
    re.IGNORECASE,
)
# A commenter's signature: "thelastchargersfan says:", "Jane on May 3, 2019 at 4:47 pm said:".
_COMMENT_AUTHOR = re.compile(r"^\S.{0,80}?\s(?:says|said|wrote|writes|commented|replied):$")
_SOCIAL_EMBED = re.compile(
    r"^[\W_]*(?:view this post on instagram|a post shared by\b|pic\.twitter\.com/\S+$"
    r"|view (?:on|this on) (?:twitter|x|instagram|facebook|tiktok|youtube)"
    r"|(?:watch|see) (?:on|this video on) youtube|embedded (?:content|video)|this content is"
    r" imported from|load(?:ing)? (?:the )?(?:tweet|post|video))"
    r"|^[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2},? \d{4}$"
    r"|^pic\.twitter\.com/\w+$|^https?://t\.co/\w+$"
    r"|your browser does not support|please enable javascript|javascript is (?:disabled|required)"
    r"|this (?:video|content|media) is (?:not|no longer) available",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"FILE PHOTO:|^\s*(?:image|media|video) (?:copyright|caption|source)\b"
    # Gallery captions ("2of4A shopper looks at...") and agency captions ("In this Dec. 12,
    # 2006, file photo, ..." / "This undated photo shows ...").
    r"|^\d{1,3}\s?of\s?\d{1,3}(?-i:[A-Z])"
    r"|^(?:in )?this [\w.,' ]{0,40}?(?:file |handout |undated |aerial )?(?:photo|image|picture"
    r"|photograph|video still)s?\b(?:,| shows| provided| released| taken| made available)"
    r"|^\s*(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?:reuters|ap|afp|getty|epa|"
    r"bloomberg|shutterstock|istock|alamy)"
    r"|\b(?-i:REUTERS|AFP|AP Photo|EPA|Getty Images|Xinhua|Anadolu)\s*/\s*[A-Z][\w.]*"
    r"|\((?:photo|image|picture|credit|illustration|video|file photo)[^()]{0,120}\)\s*$"
    r"|\((?-i:Getty Images|AFP|AP|Reuters|REUTERS|EPA|Shutterstock|iStock|Alamy|Bloomberg"
    r"|Unsplash)"
    r"[^()]{0,60}\)\s*$"
    r"|^\s*(?:photo|image|picture|photograph|credit|illustration|photo credit|image credit"
    r"|source|video|graphic)s?(?: by| via)?\s*[:：]"
    r"|^\s*(?:photo|image|picture|illustration)s? (?:by|courtesy of|via|from) [A-Z]"
    r"|^\s*(?:©|\(c\)).{0,200}\b(?:photo|image|picture)s?\s*(?:by\b|:)"
    r"|/\s*(?-i:AFP|Getty Images|AP|Reuters|REUTERS|EPA|Bloomberg|Shutterstock|iStock|Alamy)"
    r"(?: via Getty Images)?\s*\)?\s*$"
    r"|\b(?:via|courtesy of) Getty Images\s*$|^\s*\(?\s*Getty Images\s*\)?\s*$"
    # A credit closing a caption ("... in the crew module. Credit: ESA"), or a whole line that
    # is a credit in brackets ("( JANE DOE/SCIENCE PHOTO LIBRARY)").
    r"|[.!?]\s+(?:(?:photo|image|picture|illustration)s?(?: credits?)?|credits?)\s*(?::|by\b)"
    r"\s*[^.!?]{1,80}$"
    r"|^\(\s*(?-i:[A-Z][A-Z .'’&-]+)\s*/\s*(?-i:[A-Z][A-Z .'’&/-]+)\)$",
    re.IGNORECASE,
)
_FOOTER_NOTICE = re.compile(
    r"all rights reserved|^\s*(?:©|\(c\)|copyright\b)|\bcopyright\s*(?:©\s*)?\d{4}"
    r"|\bsubject to copyright\b|\bmay not be (?:reproduced|republished|published|copied"
    r"|redistributed|rewritten)",
    re.IGNORECASE,
)
_FOOTER_LINK = re.compile(
    r"^(?:terms(?: of (?:use|service|sale))?|terms (?:&|and) conditions|privacy(?: policy| notice"
    r"| statement| settings)?|cookie (?:policy|settings)|contact(?: us)?|about(?: us)?"
    r"|advertise(?: with us)?|careers|sitemap|site map|accessibility|help|faq|imprint|"
    r"do not sell my (?:personal )?info(?:rmation)?|your privacy choices|back to top|"
    r"powered by .{1,40}|disclaimer)\W*$",
    re.IGNORECASE,
)


# A legal notice opens with the copyright sign: the whole paragraph is the notice.
_NOTICE_START = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b)", re.IGNORECASE)


def _is_footer(text: str, low: str, short: bool) -> bool:
    """Copyright notices anywhere in a short line; footer links when they are the whole line."""
    if (
        "rights reserved" in low
        or "copyright" in low
        or "©" in text
        or "(c)" in low
        or "may not be" in low
    ) and (_FOOTER_NOTICE.search(text)):
        return True
    if not short:
        return False
    # (A single footer link is one of the whole-line labels, matched with the others.)
    # "About us · Privacy policy · Terms of use": a row of footer links.
    if not ("·" in text or "|" in text or "•" in text or "/" in text or "  " in text):
        return False
    pieces = _LINK_ROW.split(text)
    return len(pieces) >= 2 and sum(1 for p in pieces if _FOOTER_LINK.match(p)) * 2 > len(pieces)


_LINK_ROW = re.compile(r"\s+[·•|/]\s+|\s{2,}")


_BREADCRUMB_SEP = re.compile(r"\s(?:>|»|›|/|\||::)\s")
_GLUED = re.compile(r"[a-z][A-Z](?=[a-z])")
_DATE_WORDS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_DATE_WORDS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?"
    rf"\s+{_DATE_WORDS},?\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]"
    r"\d{2,4}\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(rf"\b{_DATE_WORDS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_DATE_LABEL = re.compile(
    r"^[\W_]*(?:published|posted|updated|last updated|date|first published|modified)"
    r"(?: on| at)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_TIME_OR_DAY = re.compile(
    r"\b(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|[ap]\.?m\.?|gmt|utc|[ecmp][sd]t|bst|cet|ist"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|updated|published|posted|at|on|ago|\d+ (?:min(?:ute)?s?|hours?|days?) read|read)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|story by|reporting by|posted by|author:?)\s+"
    r"([A-Z][\w.'’-]*(?:[ ,]+(?:and |&\s*)?[A-Z][\w.'’-]*){0,7})",
    re.IGNORECASE,
)
_POSTED = re.compile(
    r"^(?:posted|published|updated|last (?:modified|updated)|written|filed)\b", re.IGNORECASE
)
_BYLINE_ROLE = re.compile(
    r",\s*(?:[A-Z][\w-]*\s+)*(?:reporter|correspondent|editor|writer|staff|contributor|columnist)"
    r"\b.*$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,3})(?:,\s*[A-Z][a-zA-Z.]+(?: \d{1,2})?)?"
    r"(?:,\s*[A-Z][a-z]+\.? \d{1,2})?(?:\s*\((?:[A-Z][\w.&]*(?: [A-Z][\w.&]*){0,3})\))?)"
    r"\s*(?:[-–—]{1,2}|:)\s+(?=[\"“‘'A-Z0-9])"
)
# A teaser: a headline glued to its summary ("...At Troy SteakhouseA party of six left...").
_TEASER_GLUE = re.compile(r"[a-z0-9?!’”)][A-Z][a-z]")
_LETTERS = re.compile(r"[^\W_]+")
_ABOUT_BOX = re.compile(
    r"^about (?:the (?:author|writer|authors|reporter)"
    r"|(?-i:[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}))"
    r"\s*:?$",
    re.IGNORECASE,
)
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)\s*$")
_LIST_BULLET = re.compile(r"^(?:[-–•*·▪►]|\d{1,2}[.)])\s+")

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}


# --------------------------------------------------------------------------------------------
# Blocks and their features.


@dataclass(slots=True)
class _Line:
    """One block of the page and what the rules measured on it."""

    text: str
    words: int
    stop_ratio: float
    terminal: bool
    sentences: int
    rule: str | None = None  # a phrase or pattern rule that names this line as debris
    weight: float = 0.0
    repeats: int = 1


def _normalise(raw: str) -> list[str]:
    """Non-blank lines, whitespace collapsed; hard-wrapped prose joined back into paragraphs.

    Lines are grouped by blank lines. A group whose lines (but the last) all run to nearly the
    same width is one paragraph wrapped by an editor or an email client, and is joined; so is a
    lower-case line under a long unfinished one. Markdown heading marks and link targets go.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    lines: list[str] = []
    group: list[str] = []
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if line.startswith("#") and _MD_HEADING.match(line):
            line = _MD_HEADING.sub("", line).rstrip("# ")
        if line:
            group.append(line)
        elif group:
            lines.extend(_unwrap(group))
            group = []
    if group:
        lines.extend(_unwrap(group))
    return lines


_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\s]{0,500}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:https?://|/|#)[^)\s]{0,500}\)")


def _unwrap(group: list[str]) -> list[str]:
    """The paragraphs of one blank-line-separated group of lines.

    Wrapped text has a width: most lines end within a few characters of it, and a paragraph
    ends at a line that stops short. A group of three or more such lines (most of them not
    ending a sentence) is re-flowed into paragraphs; other groups keep their lines, except that a
    lower-case line continues a long unfinished one.
    """
    if len(group) == 1:
        return group
    width = max(len(line) for line in group)
    full = [len(line) >= 0.6 * width for line in group]
    if 50 <= width <= 120 and sum(full[:-1]) * 4 >= 3 * (len(group) - 1):
        unfinished = sum(1 for line, f in zip(group, full) if f and not _ends_sentence(line))
        if unfinished * 2 >= sum(full[:-1]) and (len(group) >= 3 or all(full[:-1])):
            paragraphs: list[str] = []
            current: list[str] = []
            for line, is_full in zip(group, full):
                current.append(line)
                if not is_full:  # a short line ends its paragraph
                    paragraphs.append(" ".join(current))
                    current = []
            if current:
                paragraphs.append(" ".join(current))
            return paragraphs
    out = [group[0]]
    for line in group[1:]:
        previous = out[-1]
        if (
            line[0].islower()
            and len(previous) >= 30
            and not _ends_sentence(previous)
            and not previous.endswith(":")
        ):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return out


def _features(text: str) -> _Line:
    words = _WORD.findall(text.lower())
    count = len(words)
    if count < 40 and not text.isascii():
        cjk = len(_CJK.findall(text))
        if cjk > count:  # scripts without spaces: about two characters a word
            count = max(count, cjk // 2)
    stops = sum(map(STOPWORDS.__contains__, words))
    return _Line(
        text=text,
        words=count,
        stop_ratio=stops / len(words) if words else 0.0,
        terminal=_ends_sentence(text),
        sentences=len(_SENTENCE_PUNCT.findall(text)) if _HAS_STOP.search(text) else 0,
    )


_HAS_STOP = re.compile(r"[.!?…。！？]")
_ENDS = frozenset(".!?…。！？")
_CLOSERS = frozenset("\"'”’»)]")


def _ends_sentence(text: str) -> bool:
    """Whether a line ends like a sentence: "...said." or "...?”" (a closing quote counts)."""
    last = text[-1]
    if last in _ENDS:
        return True
    if last in _CLOSERS:
        stripped = text.rstrip("\"'”’»)]")
        return bool(stripped) and stripped[-1] in _ENDS or last in '"”’»'
    return False


def _is_quotation(text: str) -> bool:
    """A line that quotes someone: never removed by a phrase rule."""
    return bool(_QUOTE_ATTRIBUTION.search(text) and _SAID.search(text))


_CREDIT_PREFIXES = (
    "©",
    "(c)",
    "copyright",
    "photo",
    "image",
    "picture",
    "illustration",
    "credit",
    "in this ",
    "this ",
)
_SOCIAL_HINT = re.compile(
    r"instagram|shared|twitter|t\.co/|@|youtube|view|embed|imported|load|browser|javascript"
    r"|available"
)
# Page furniture that is never prose: reading time, audio players, "click here" links.
_PAGE_LABEL = re.compile(
    r"^[\W_]*(?:\d+\s*(?:-\s*)?min(?:ute)?s?\.? read|listen(?: to)?(?: this)? (?:article|story)"
    r"(?:[\W\d]*min(?:ute)?s?)?|(?:click|tap) here\b.*|print(?: this)? page|save for later"
    r"|skip to (?:main )?content|jump to\b.*|(?:back|return) to (?:top|home(?:page)?))[\W_]*$",
    re.IGNORECASE,
)
_COMMENT_HINT = re.compile(
    r"comment|repl|respons|discussion|conversation|thoughts|think\?|kommentar|comentar|коммент"
    r"|reacties"
)


def _reads_as_prose(line: _Line) -> bool:
    """A finished sentence of ordinary words: kept even if it quotes a tag ("</article>")."""
    return line.terminal and line.words >= 8 and line.stop_ratio >= 0.2


def _phrase_rule(line: _Line) -> str | None:
    """The named debris rule a whole line matches, or None for a line that may be body.

    Cheap substring checks guard each pattern so that long prose lines cost a few scans.
    """
    text = line.text
    low = text.lower()
    # Labels and buttons are short in characters too; the bound keeps every pattern below
    # linear in a line however the line is made (a megabyte of dots is one line of no words).
    short = line.words <= 12 and len(text) <= 200
    if _is_markup(text) and not _reads_as_prose(line):
        return "markup"
    if short and _AD_MARKER.match(text):
        return "ad-marker"
    if "_" in text and (_THEME_LEFTOVER.match(text) or (short and _THEME_GLUED.fullmatch(text))):
        return "theme-leftover"
    if line.words > 80 or len(text) > 1500 or _is_quotation(text):
        return None
    if (
        line.words <= 60
        and (
            ":" in text
            or "/" in text
            or text.endswith(")")
            or "getty" in low
            or low.startswith(_CREDIT_PREFIXES)
            or text[:1].isdigit()
        )
        and _PHOTO_CREDIT.search(text)
    ):
        return "photo-credit"
    comment_hint = line.words <= 30 and _COMMENT_HINT.search(low) is not None
    if short:
        if comment_hint and _COMMENTS.search(text):
            return "comments"
        if "cookie" in low and _COOKIE_BUTTON.search(text):
            return "cookie"
        label = _SHORT_LABEL.match(text)
        if label is not None:
            return _LABEL_RULES[label.lastgroup or ""]
        if _is_footer(text, low, True):
            return "footer"
    if line.words <= 25 and len(text) <= 400:
        if _RELATED_PREFIX.match(text):
            return "related-links"
        if _SOCIAL_HINT.search(low) and _SOCIAL_EMBED.search(text):
            return "social-embed"
        if ("share" in low or "follow" in low or " us " in low) and _SHARE_MENTION.search(text):
            return "share-follow"
    # At most 80 words from here on.
    if "cookie" in low and (
        (_COOKIE_CONTEXT.search(text) and _addresses_reader(text))
        or (line.stop_ratio < 0.1 and _COOKIE_CONSENT_ANY.search(low))
    ):
        return "cookie"
    if (
        line.words <= 30
        and line.sentences <= 2
        and ("newsletter" in low or "subscri" in low or "inbox" in low or "sign up" in low)
        and _NEWSLETTER_CALL.search(text)
    ):
        return "newsletter"
    if (line.words <= 40 and line.sentences <= 2 or _NOTICE_START.match(text)) and _is_footer(
        text, low, False
    ):
        return "footer"
    if comment_hint and _COMMENTS.search(text):
        return "comments"
    return None


# The whole-line labels, tried in one match: share buttons, related-links headings, footer
# links and page labels, in that order of precedence.
_SHORT_LABEL = re.compile(
    f"(?P<share>{_SHARE.pattern})|(?P<related>{_RELATED_HEAD.pattern})"
    f"|(?P<shout>(?-i:{_RELATED_SHOUT.pattern}))|(?P<footer>{_FOOTER_LINK.pattern})"
    f"|(?P<label>{_PAGE_LABEL.pattern})",
    re.IGNORECASE,
)
_LABEL_RULES = {
    "share": "share-follow",
    "related": "related-links",
    "shout": "related-links",
    "footer": "footer",
    "label": "navigation",
}


_READER = re.compile(
    r"\b(?:you|your|our|us)\b|^(?:sign|subscribe|get|join|enter|click|register|log)\b",
    re.IGNORECASE,
)


def _addresses_reader(text: str) -> bool:
    return bool(_READER.search(text))


def _is_link_like(line: _Line) -> bool:
    """Short text without sentence punctuation: a menu item, a label, a teaser headline."""
    return line.words <= 12 and not line.terminal and line.sentences == 0


def _prose_weight(line: _Line, english: bool) -> float:
    """How much a block argues for being article body (positive) or page furniture (negative)."""
    if line.rule == "markup":
        return -1.0  # leaked code a reader never saw: a weak boundary (embeds sit mid-article)
    if line.rule is not None:
        return -8.0
    words = line.words
    if line.repeats > 1 and words < 30:
        return -6.0
    if words <= 12 and len(_GLUED.findall(line.text)) >= 2:
        return -6.0
    if words < 30 and line.text[-1] in ".…" and _ELLIPSIS_END.search(line.text):
        return -3.0  # a teaser cut short, not a paragraph
    if words >= 4 and _is_glued_teaser(line.text):
        return -3.0
    if not english and not line.terminal:
        # Without English function words to go by, an unfinished line is prose only when it is
        # long and has clauses; a headline or a menu item has neither.
        clauses = line.text.count(",") + line.text.count("、") + line.text.count("，")
        return words * 0.5 if words >= 20 and clauses else -3.0
    density_ok = (line.stop_ratio >= 0.22) if english else True
    if words >= 12 and line.terminal and density_ok:
        return float(words)
    if words >= 20 and density_ok:
        return words * 0.7
    if words >= 8 and line.terminal:
        return words * (0.6 if density_ok else 0.2)
    if words >= 4 and line.terminal and density_ok:
        return 1.0
    if words >= 2 and line.terminal and line.stop_ratio > 0:
        return 0.5  # "Rivers is done." closing an article: a sentence, however short
    if line.text.endswith(":") and words >= 3:
        return 0.5
    return -3.0


def _is_glued_teaser(text: str) -> bool:
    """A Title Case headline run straight into a sentence: a teaser of another story.

    "...Fouts Says It Won't StandWarren Mayor Jim Fouts says..." is glued at "StandWarren";
    names such as McKinley or YouTube are not glues (too few lower-case letters before the
    capital), nor are initials such as W.Va.
    """
    for match in _TEASER_GLUE.finditer(text, 0, 160):
        head = text[: match.start() + 1].split()
        if len(head) < 4:
            continue
        glued = head[-1]
        lower_tail = len(glued) - len(glued.rstrip("abcdefghijklmnopqrstuvwxyz"))
        if glued[-1].isalpha() and lower_tail < 4:
            continue
        capitalised = sum(1 for word in head if word[:1].isupper() or word[:1].isdigit())
        if capitalised >= 0.6 * len(head):
            return True
    return False


def _best_region(weights: list[float]) -> tuple[int, int]:
    """The contiguous run of blocks with the largest total weight (Kadane), as [start, end)."""
    best, best_start, best_end = 0.0, 0, 0
    total, start = 0.0, 0
    for index, weight in enumerate(weights):
        if total <= 0:
            total, start = weight, index
        else:
            total += weight
        if total > best:
            best, best_start, best_end = total, start, index + 1
    return best_start, best_end


# --------------------------------------------------------------------------------------------
# Metadata.


def _iso_date(text: str) -> str | None:
    """The first date in ``text``, as an ISO date when it reads unambiguously, else None."""
    match = _DATE.search(text)
    if not match:
        return None
    found = match.group(0)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", found)
    if iso:
        return found
    numeric = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", found)
    if numeric:
        # 27/09/2018 and 11/19/19 read one way only; 05/06/2019 could be May or June: as found.
        first, second, year_text = numeric.groups()
        a, b = int(first), int(second)
        full_year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if a > 12 and 1 <= b <= 12 and a <= 31:
            return f"{full_year:04d}-{b:02d}-{a:02d}"
        if b > 12 and 1 <= a <= 12 and b <= 31:
            return f"{full_year:04d}-{a:02d}-{b:02d}"
        return None
    parts = re.findall(r"[A-Za-z]+|\d+", found)
    month: int | None = None
    day: int | None = None
    year: int | None = None
    for part in parts:
        key = part[:3].lower()
        if part.isalpha() and key in _MONTHS:
            month = _MONTHS[key]
        elif part.isdigit() and len(part) == 4:
            year = int(part)
        elif part.isdigit() and day is None and len(part) <= 2:
            day = int(part)
    if month and day and year and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _date_line(text: str, words: int) -> str | None:
    """The date a short line announces ("Published April 9, 2024 3:02 pm"), or None.

    Besides the date, a label, a time and a name or two may stand on the line; a lower-case word
    ("It happened on May 1, 2020.") makes it a sentence of the article.
    """
    if words > 14:
        return None
    found = _DATE.search(text)
    if found is None:
        # No year: "Updated Nov 19, 6:55 AM" counts when labelled or timed, kept as found.
        if _MONTH_DAY.search(text) and (_DATE_LABEL.match(text) or _CLOCK.search(text)):
            rest = _TIME_OR_DAY.sub(" ", _MONTH_DAY.sub(" ", _DATE_LABEL.sub("", text)))
            if _only_names(rest):
                return text
        return None
    rest = _TIME_OR_DAY.sub(" ", _DATE.sub(" ", _DATE_LABEL.sub("", text)))
    if not _only_names(rest):
        return None
    return _iso_date(text) or found.group(0)


_LINE_GLUE_WORDS = frozenset({"by", "and", "of", "de", "van", "von", "der", "la", "le", "di", "da"})


def _only_names(rest: str) -> bool:
    """At most three words left, none of them an ordinary lower-case word."""
    leftover = [w for w in _WORD.findall(rest) if not w.isdigit()]
    return len(leftover) <= 3 and all(
        not w[0].islower() or w.lower() in _LINE_GLUE_WORDS for w in leftover
    )


def _byline(text: str, words: int) -> str | None:
    """The author named by a byline line ("By Jane Doe, Reuters"), or None."""
    if words > 16 or text.endswith((".", "?", "!")) and words > 8:
        return None
    match = _BYLINE.match(text)
    if not match:
        return None
    name = _DATE.split(match.group(1))[0]
    name = re.split(r"\s+(?:on|at|and\s+published|updated|published|posted)\b|\s*[|•·]", name)[0]
    name = _BYLINE_ROLE.sub("", name).strip(" ,.-–—")
    return name if name[:1].isupper() else None


def _simple(text: str) -> str:
    """Text folded for comparing headlines: quotes, case, accents and punctuation ignored."""
    text = text.replace("'", "").replace("’", "").casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_LETTERS.findall(text))


def _title_like(line: _Line) -> bool:
    """Could be the headline: one sentence at most, not a list item, a label row or a date."""
    if line.rule is not None or not 2 <= line.words <= 35 or " " not in line.text:
        return False
    if _LIST_BULLET.match(line.text) or line.text.count(":") >= 2:
        return False
    if _POSTED.match(line.text):
        return False
    if line.sentences > 1 or (line.sentences == 1 and not line.terminal):
        return False
    if line.words <= 12 and _DATE.search(line.text):
        return False
    return not _BYLINE.match(line.text)


def _is_heading(line: _Line) -> bool:
    """A subheading inside the body: short, no sentence end, not a label."""
    text = line.text
    if line.rule is not None or line.terminal or text.endswith((":", ",", ";")):
        return False
    return 1 <= line.words <= 18 and line.sentences == 0 and not _LIST_BULLET.match(text)


def _split_glued_headline(text: str, title: str) -> tuple[str, str] | None:
    """``("HomeWorld", "Blinken to boost...")`` when a breadcrumb is glued to a headline copy."""
    simple_title = _simple(title)
    if len(simple_title) < 12:
        return None
    head = simple_title.split()[:3]
    if not head:
        return None
    # Find where the title's first words start inside the glued line (case-sensitively: the
    # headline starts with a capital right after the last menu word).
    first = title.split()[0]
    position = text.find(first)
    while position > 0:
        prefix = text[:position].strip()
        crumb_like = " " not in prefix or bool(_BREADCRUMB_SEP.search(f" {prefix} "))
        if crumb_like and _simple(text[position:]).split()[:3] == head:
            return text[:position], text[position:]
        position = text.find(first, position + 1)
    return None


# --------------------------------------------------------------------------------------------
# The pipeline.


def clean_text(raw: str) -> Cleaned:
    """Find the article in scraped or pasted text; every removal is named (see module doc)."""
    return _clean(_lines(_normalise(raw)))


def _lines(texts: list[str]) -> list[_Line]:
    """Features of each line; a repeated line (menus come twice) is measured once."""
    seen: dict[str, _Line] = {}
    out = []
    for text in texts:
        known = seen.get(text)
        if known is None:
            known = seen[text] = _features(text)
            out.append(known)
        else:
            out.append(
                _Line(known.text, known.words, known.stop_ratio, known.terminal, known.sentences)
            )
    return out


@dataclass
class _Page:
    """What an HTML extractor already knows: block kinds and the page's metadata."""

    kinds: list[str]  # "heading", "paragraph" or "item", one per line
    title: str | None = None
    byline: str | None = None
    published: str | None = None


def _clean(lines: list[_Line], page: _Page | None = None) -> Cleaned:
    """The shared rules. Without ``page`` the body region is found here; with it (HTML), the
    extractor already chose the body, so only the debris rules and the metadata run."""
    if not lines:
        return Cleaned(page.title if page else None, None, None, None, [])

    # Markers glued onto a paragraph ("...on Monday.Advertisement", "spot_imgThe council...")
    # are cut off first, so the paragraph is judged (and kept) on its own words.
    glued_debris: dict[int, list[Removal]] = {}
    for index, line in enumerate(lines):
        if "spot_img" in line.text or "dvertisement" in line.text or "DVERTISEMENT" in line.text:
            rest, found = _split_glued_debris(line.text)
            if found:
                lines[index] = _features(rest)
                glued_debris[index] = found

    counts = Counter(line.text for line in lines)
    total_words = sum(line.words for line in lines) or 1
    english = sum(line.stop_ratio * line.words for line in lines) / total_words >= 0.12
    rules: dict[str, str | None] = {}
    for line in lines:
        line.repeats = counts[line.text]
        if line.text not in rules:
            rules[line.text] = _phrase_rule(line)
        line.rule = rules[line.text]
        line.weight = _prose_weight(line, english)

    if page is None:
        start, end = _best_region([line.weight for line in lines])
    else:
        start, end = 0, len(lines)
    if end <= start:
        return Cleaned(
            None, None, None, None, [], [Removal(x.text, _outside_rule(x, True)) for x in lines]
        )

    if page is None:
        start = _article_start(lines, start, end)
    # A comment section ends the article even when its comments read like prose.
    seen_body = False
    for index in range(start, end):
        line = lines[index]
        if seen_body and (line.rule == "comments" or _starts_comment_thread(lines, index, end)):
            line.rule = "comments"  # what follows is labelled as the comment section
            end = index
            break
        seen_body = seen_body or line.weight >= _PROSE
    if page is None:
        end = _related_end(lines, start, end)
    # The body proper starts at the first real paragraph; what is above it is the header.
    first_body = next((i for i in range(start, end) if lines[i].weight >= _PROSE), start)
    if page is None:
        first_body = _past_headline(lines, first_body, end)
    header_start = _header_start(lines, start) if page is None else 0

    removed: dict[int, Removal] = {}
    byline = page.byline if page else None
    published = page.published if page else None
    candidates: list[int] = []
    meta_start = _meta_window(lines, first_body) if page is None else 0
    # With HTML metadata the byline and date are known, but their lines may still stand in the
    # extracted text: they are removed all the same.
    seek_byline = byline is None or page is not None
    seek_date = published is None or page is not None

    def read_header(indices: range) -> None:
        """Bylines and dates become metadata; title-like lines become candidates."""
        nonlocal byline, published, seek_byline, seek_date
        for i in indices:
            line = lines[i]
            if line.rule is not None or i in removed:
                continue
            if seek_byline and _is_lone_by(line) and i + 1 < first_body:
                # "By" on its own line, the name on the next.
                after = lines[i + 1]
                name = _byline(f"By {after.text}", after.words + 1)
                if name and after.rule is None:
                    byline = byline or name
                    seek_byline = page is not None
                    removed[i] = Removal(line.text, "byline")
                    removed[i + 1] = Removal(after.text, "byline")
                    continue
            if seek_byline and (name := _byline(line.text, line.words)):
                byline = byline or name
                seek_byline = page is not None
                removed[i] = Removal(line.text, "byline")
                if published is None:
                    published = _date_line(_BYLINE.sub("", line.text), 14)
                continue
            if seek_date and (date := _date_line(line.text, line.words)):
                published = published or date
                seek_date = page is not None
                removed[i] = Removal(line.text, "date")
                continue
            if _title_like(line) and not _is_crumb(line.text):
                candidates.append(i)

    scan_start = min(header_start, meta_start)
    read_header(range(scan_start, first_body))
    if page is None:
        candidates = sorted(set(candidates) | set(_above_meta(lines, first_body)))

    # An HTML page's metadata names its title; without one, the header is read as for text.
    title = page.title if page else None
    title_index = _pick_title(lines, candidates, first_body) if title is None else None
    if title_index is not None:
        title = _MARKUP_TAIL.sub("", lines[title_index].text)
        removed[title_index] = Removal(lines[title_index].text, "title")
        if title_index < scan_start:
            # A headline found above a byline further up than the header was read: its byline
            # and date stand between it and the part already read.
            read_header(range(title_index + 1, scan_start))
    simple_title = _simple(title) if title else ""

    # Removals and blocks carry their line's index, so removals found later (link runs, the
    # dateline) still come out in page order.
    pieces: list[tuple[int, Removal]] = []
    blocks: list[tuple[int, Block]] = []
    kept_texts: set[str] = set()
    section: str | None = None  # "related-links" or "comments": what a heading above announced
    for i, line in enumerate(lines):
        pieces.extend((i, removal) for removal in glued_debris.get(i, ()))
        if i in removed:
            pieces.append((i, removed[i]))
            continue
        text = line.text
        if line.rule in ("related-links", "comments") and line.words <= 6:
            section = line.rule
        elif line.rule is None and section is not None:
            if section == "comments" and (i >= end or i < start):
                line.rule = section
            elif line.words <= 20 and not line.terminal and line.weight < _PROSE:
                line.rule = section  # a link under a "Related" heading
            else:
                section = None
        elif line.rule is not None and line.rule not in ("ad-marker", "theme-leftover"):
            section = None
        if title and text[-1] in ".…" and line.words <= 60 and _ELLIPSIS_END.search(text):
            glued = _split_glued_headline(text, title)
            stem = _simple(_ELLIPSIS_END.sub("", glued[1] if glued else text))
            if stem and simple_title.startswith(stem):
                if glued and glued[0].strip():
                    pieces.append((i, Removal(glued[0].strip(), "breadcrumb")))
                pieces.append((i, Removal(glued[1] if glued else text, "truncated-headline")))
                continue
        if title and abs(len(text) - len(title)) <= 12 and _simple(text) == simple_title:
            pieces.append((i, Removal(text, "title")))
            continue
        if i < header_start or i >= end:
            pieces.append((i, Removal(text, _outside_rule(line, i < start))))
            continue
        if line.rule is not None:
            pieces.append((i, Removal(text, line.rule)))
            continue
        if page is not None:
            kind = page.kinds[i]
            if kind == "heading" and line.words <= 25:
                blocks.append((i, Block("heading", text)))
                continue
        elif i < first_body:
            # The header: a dek or subheads under the title are headings; menus are not.
            if title_index is None or i < title_index or _is_crumb(text):
                pieces.append((i, Removal(text, _outside_rule(line, True))))
            elif _is_heading(line):
                blocks.append((i, Block("heading", text)))
            elif i >= start and line.weight > 0:
                blocks.append((i, Block("paragraph", text)))
            else:
                pieces.append((i, Removal(text, _outside_rule(line, True))))
            continue
        if i < first_body + 6:
            if byline is None and (name := _byline(text, line.words)):
                byline = name
                pieces.append((i, Removal(text, "byline")))
                continue
            if (date := _date_line(text, line.words)) is not None:
                published = published or date
                pieces.append((i, Removal(text, "date")))
                continue
        if page is None and line.words >= 6 and text in kept_texts:
            pieces.append((i, Removal(text, "duplicate")))
            continue
        kept_texts.add(text)
        heading = page is None and _is_heading(line)
        blocks.append((i, Block("heading" if heading else "paragraph", text)))

    blocks = _trim_trailing_headings(blocks, pieces)

    dateline = None
    for position, (i, block) in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        match = _DATELINE.match(block.text)
        if match and len(match.group(1)) <= 60 and any(c.isupper() for c in match.group(1)[:2]):
            head = match.group(1)
            if head.split()[0].isupper() and len(head.split()[0]) >= 2:
                dateline = head.strip()
                pieces.append((i, Removal(block.text[: match.end()].strip(), "dateline")))
                blocks[position] = (i, Block("paragraph", block.text[match.end() :]))
        break

    pieces.sort(key=lambda piece: piece[0])  # stable: same-line pieces keep their order
    return Cleaned(
        title, byline, published, dateline, [b for _, b in blocks], [r for _, r in pieces]
    )


def _is_crumb(text: str) -> bool:
    """Breadcrumb trails: "Home > World > Asia", or menu words glued together ("HomeWorld")."""
    if (
        len(text) <= 120
        and (
            ">" in text or "»" in text or "›" in text or "/" in text or "|" in text or "::" in text
        )
        and len(_BREADCRUMB_SEP.findall(text)) >= 2
    ):
        return True
    # Menu words glued together ("HomeWorldBlinken..."): two glues inside the first word.
    first = text.split(" ", 1)[0]
    return not first[1:].islower() and len(_GLUED.findall(first)) >= 2


_PROSE = 12.0  # the weight of a line that reads as a real paragraph


def _starts_comment_thread(lines: list[_Line], index: int, end: int) -> bool:
    """Two commenter signatures ("name says:" with a timestamp) within a few lines."""
    return _is_signature(lines, index, end) and any(
        _is_signature(lines, j, end) for j in range(index + 1, min(end, index + 12))
    )


def _is_signature(lines: list[_Line], index: int, end: int) -> bool:
    """ "jane says:" stamped with a date on the line or the next: how comment systems sign.

    The stamp tells a comment from an article quoting a document ("The ruling says:").
    """
    line = lines[index]
    if line.words > 16 or not line.text.endswith(":") or not _COMMENT_AUTHOR.match(line.text):
        return False
    if _DATE.search(line.text) or _CLOCK.search(line.text):
        return True
    after = lines[index + 1] if index + 1 < end else None
    return after is not None and _date_line(after.text, after.words) is not None


def _is_lone_by(line: _Line) -> bool:
    return line.words == 1 and line.text.lower().rstrip(":") == "by"


def _is_meta(line: _Line) -> bool:
    """Article-header furniture: a date, a byline, share buttons, a comment count."""
    if line.rule in ("share-follow", "comments") or _is_lone_by(line):
        return True
    if line.words > 16 or line.weight >= _PROSE:
        return False
    return (
        _date_line(line.text, line.words) is not None or _byline(line.text, line.words) is not None
    )


def _article_start(lines: list[_Line], start: int, end: int) -> int:
    """Skip teasers that the best region swallowed above the article.

    Teasers (headline + one-paragraph summary) add up like prose. An article header (a date or
    a byline, with another of date, byline, share buttons, comment count, between the same two
    paragraphs) followed by more run-on prose than stands before it marks where the article
    starts. Share buttons alone between two paragraphs are inline furniture, not a header.
    """
    index = start + 1
    while index < end:
        line = lines[index]
        if line.rule == "comments" and not any(c.isdigit() for c in line.text):
            return start  # a comment section heading: what follows is not the article
        if not _is_meta(line):
            index += 1
            continue
        first = index
        while first - 1 > start and lines[first - 1].weight < _PROSE:
            first -= 1
        last = index
        while last + 1 < end and lines[last + 1].weight < _PROSE:
            last += 1
        stretch = lines[first : last + 1]
        metas = sum(1 for line in stretch if _is_meta(line))
        dated = any(line.rule is None and _is_meta(line) for line in stretch)
        if (
            metas >= 2
            and dated
            and _paired_weight(lines, start, first) < _paired_weight(lines, last + 1, end)
        ):
            return last + 1
        index = last + 1
    return start


def _related_end(lines: list[_Line], start: int, end: int) -> int:
    """Cut a teaser list that the best region swallowed below the article.

    A "Related"/"Most popular" heading followed only by teasers (two or more one-paragraph items,
    each under a headline and a label or date), with less prose after it than before, marks
    where the article ends; so does an "About the author" or "About <Name>" box in the last part
    of the body. (A "Related" box inside an article with subheads is followed by paragraphs under
    one subhead each: the article goes on.)
    """
    total = sum(line.weight for line in lines[start:end] if line.weight > 0)
    before = 0.0
    for index in range(start, end):
        line = lines[index]
        if line.rule is None and before >= 0.6 * total and _ABOUT_BOX.match(line.text):
            line.rule = "about-box"  # "About the author", "About Ascom": the closing box
            return index
        if line.rule == "related-links" and line.words <= 6 and before > 0:
            rest = lines[index + 1 : end]
            after = sum(item.weight for item in rest if item.weight > 0)
            if after < before and _teaser_items(rest):
                return index
        before += max(line.weight, 0.0)
    return end


def _teaser_items(rest: list[_Line]) -> bool:
    """Two or more lone paragraphs, each after two or more short lines (headline, date, label)."""
    items = 0
    gap = 0
    for previous, line in zip([None, *rest], rest):
        if line.weight < _PROSE:
            gap += 1
            continue
        if previous is not None and previous.weight >= _PROSE:
            return False  # two paragraphs in a row: an article, not teasers
        if gap < 2:
            return False
        items += 1
        gap = 0
    return items >= 2


def _paired_weight(lines: list[_Line], lo: int, end: int) -> float:
    """Prose weight of [lo, end) counting only paragraphs next to another paragraph.

    An article's paragraphs follow one another; teasers stand alone between their headlines.
    """
    total = 0.0
    for index in range(lo, end):
        if lines[index].weight < _PROSE:
            continue
        before = index > lo and lines[index - 1].weight >= _PROSE
        after = index + 1 < end and lines[index + 1].weight >= _PROSE
        if before or after:
            total += lines[index].weight
    return total


def _header_start(lines: list[_Line], start: int) -> int:
    """Where the header above the body begins: after the nearest menu run or other prose."""
    header_start = start
    run = 0
    index = start - 1
    while index >= 0 and start - index <= 40:
        line = lines[index]
        if line.rule is None and line.weight > 0 and not _title_like(line):
            break
        if line.rule is None and _is_link_like(line) and line.repeats == 1:
            run += 1
            if run >= 6:
                return index + run
        elif line.rule is None:
            run = 0
        if line.repeats > 1 and line.rule is None:
            break
        header_start = index
        index -= 1
    return header_start


def _meta_window(lines: list[_Line], first_body: int) -> int:
    """Where to look for the title, byline and date: up to 25 lines above the first paragraph,
    stopping at another paragraph (a teaser or the end of a previous story)."""
    index = first_body
    while index > 0 and first_body - index < 25 and lines[index - 1].weight < _PROSE:
        index -= 1
    return index


def _pick_title(lines: list[_Line], candidates: list[int], first_body: int) -> int | None:
    """The headline among the title-like lines above the body.

    Scored by what marks a headline on a page rather than by any site's wording:

    - it is echoed elsewhere (a truncated copy, the window title, a breadcrumb);
    - the article header follows it: a byline or date within a few lines (a dek, a caption or
      share buttons may stand between), or the body itself;
    - it has a headline's length (4 to 25 words), does not end like a sentence, starts with a
      capital, and is not a caption in brackets;
    - it shares its content words with the lead paragraphs (a menu item or another story's
      teaser does not);
    - it is not one item of a menu run (short link-like lines above and below it), nor the dek
      under a headline, nor a kicker over one, nor a line under another headline's byline or
      date (a caption, a video's title), nor the author's name, a timestamp or a quotation;
    - it sits near the body.
    """
    if not candidates:
        return None
    lo = max(0, min(candidates) - 300)
    window = [
        (j, _simple(line.text))
        for j, line in enumerate(lines[lo : first_body + 100], lo)
        if 4 <= line.words <= 40 and line.weight < _PROSE
    ]
    lead = _lead_words(lines, first_body)
    best, best_score = None, 0.0
    for i in candidates:
        score = _title_score(lines, i, first_body, window, lead)
        if score is not None and score > best_score:
            best, best_score = i, score
    return best


def _title_score(
    lines: list[_Line], i: int, first_body: int, window: list[tuple[int, str]], lead: set[str]
) -> float | None:
    """How much line ``i`` looks like the page's headline (None: it cannot be)."""
    line = lines[i]
    text = line.text
    simple = _simple(text)
    key = simple[:40]
    # An echo is another line holding the headline: it starts with the headline's first words
    # (a copy with the site name after it, a truncated copy) or has a breadcrumb glued to its
    # front ("HomeWorldHeadline"), and holds at most a few more words. A longer line that merely
    # mentions a label ("Dancing with the Stars"), an "End title" template comment, or a short
    # line repeated word for word (a menu item, a name) is no echo.
    size = simple.count(" ") + 1
    echoes = [
        other
        for j, other in window
        if j != i
        and len(key) >= 12
        and other.count(" ") + 1 <= size + 4
        and (other.startswith(key) or _glued_before(other, key))
    ]
    repeated = any(other == simple for other in echoes) and line.words >= 5
    echoed = repeated or any(other != simple for other in echoes)
    # A name or a section label is short; a short headline (three words at least) is echoed (or
    # stands twice, as in the window title) and has its byline or date right under it; a short
    # first line may be the headline.
    short_headline = (
        line.words >= 3
        and (echoed or line.repeats > 1)
        and i + 1 < len(lines)
        and _header_line(lines[i + 1])
    )
    if line.words < 4 and i > 0 and (not echoed or text.istitle()) and not short_headline:
        return None
    if _names_author(lines, i) or line.words <= 12 and _CLOCK.search(text):
        return None  # the author's name again, a timestamp
    # A copy in another form (truncated, with the site name) is a stronger sign than a repeat:
    # teasers and menus repeat word for word too.
    score = (3.0 if any(other != simple for other in echoes) else 2.0) if echoed else 0.0
    header_follows = _header_follows(lines, i)
    if header_follows:
        score += 3.0  # the byline or date right under it
    elif first_body - i <= 3 or all(lines[j].rule for j in range(i + 1, first_body)):
        score += 2.0  # right above the body
    if _byline_above(lines, i) or not header_follows and _under_header(lines, i):
        score -= 2.0  # the headline stands above its byline and date: this is below them
    if 4 <= line.words <= 25:
        score += 1.0
    if text.rstrip(_QUOTE_CLOSERS).endswith(".") and not echoed:
        score -= 3.0  # a sentence (or a quoted one), not a headline
    if not any(c.islower() for c in text) or "(" in text and "window" in text:
        score -= 1.0  # a shouted label, a button's "(Opens in new window)"
    if text[0].islower() or text[0] in _NOT_HEADLINE_START:
        score -= 2.0  # a fragment, a code comment, a bracketed credit, an attribution, a list
    overlap = _shared_share(text, lead)
    if overlap is not None:
        score += 3.0 * overlap - 1.0
    if not header_follows and _in_menu_run(lines, i):
        score -= 2.0
    if _is_dek(lines, i) or _is_kicker(lines, i):
        score -= 2.0
    return score - 0.05 * (first_body - i)


# A CSS class leaked onto the end of a headline: "... Anniversary Tour .l-article-header__title".
_MARKUP_TAIL = re.compile(r"\s+\.[a-z][\w-]*(?:__|--)[\w-]*$")


def _glued_before(other: str, key: str) -> bool:
    """``other`` holds ``key`` with a word glued to its front ("homeworldblinken to boost")."""
    position = other.find(key)
    return position > 0 and other[position - 1] != " "


def _content_words(text: str) -> set[str]:
    """Lower-case words of ``text`` that carry meaning (no function words, plural 's' off)."""
    out = set()
    for word in _WORD.findall(text.casefold().replace("’", "'")):
        if word in STOPWORDS or len(word) < 3 or word.isdigit():
            continue
        out.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return out


def _lead_words(lines: list[_Line], first_body: int) -> set[str]:
    """Content words of the lead: the first paragraphs of the body, about 250 words."""
    words: set[str] = set()
    taken = 0
    for line in lines[first_body : first_body + 12]:
        if line.weight < _PROSE:
            continue
        words |= _content_words(line.text)
        taken += line.words
        if taken >= 250:
            break
    return words


def _shared_share(text: str, lead: set[str]) -> float | None:
    """The share of a candidate's content words that the lead repeats (None: too few to say)."""
    own = _content_words(text)
    if len(own) < 2 or not lead:
        return None
    return len(own & lead) / len(own)


def _in_menu_run(lines: list[_Line], index: int) -> bool:
    """One item of a list of links or teasers: the lines above and below it are short unfinished
    lines too (labels or headlines), with no byline or date among them."""

    def label(j: int) -> bool:
        if not 0 <= j < len(lines):
            return False
        other = lines[j]
        if _is_meta(other) or other.rule not in (None, "navigation"):
            return False
        return other.words <= 16 and _is_link_like(other)

    return label(index - 1) and label(index + 1) and (label(index - 2) or label(index + 2))


_QUOTE_CLOSERS = "\"'”’»)]"
_NOT_HEADLINE_START = "(|—–-/•·*>»,;:"
_RELATIVE_TIME = re.compile(
    r"^(?:(?:published|posted|updated)\s+)?(?:\d{1,2}|an?|one)\s+(?:min(?:ute)?s?|hours?|hrs?|days?"
    r"|weeks?)\s+ago$",
    re.IGNORECASE,
)


def _header_line(line: _Line) -> bool:
    """A line of the article header under a headline: a byline, a date (also "22 hours ago"),
    a lone "By"."""
    if line.rule is not None:
        return False
    if _is_meta(line):
        return True
    return line.words <= 5 and bool(_RELATIVE_TIME.match(line.text))


def _header_follows(lines: list[_Line], index: int) -> bool:
    """Whether a byline or date follows line ``index`` within a few lines.

    A dek, a caption, a credit, share buttons, or a short name line (a byline without "By") may
    stand between; another headline may not (then that one is above the header).
    """
    others = 0
    # A dek may stand right under a headline, unless the headline is one of a list of them.
    in_list = _after_headline(lines, index)
    for j in range(index + 1, min(len(lines), index + 7)):
        line = lines[j]
        if _header_line(line) or line.rule == "share-follow":
            return True
        if line.rule is not None:
            continue
        dek = j == index + 1 and not in_list and line.words >= 8
        if _headline_shaped(line) and line.words >= 6 and line.weight < _PROSE and not dek:
            return False
        others += 1
        if others > 2:
            return False
    return False


def _names_author(lines: list[_Line], index: int) -> bool:
    """The author's name standing alone near a byline that names them ("BY: Jane Doe")."""
    simple = _simple(lines[index].text)
    for j in range(max(0, index - 3), min(len(lines), index + 4)):
        if j != index and lines[j].words <= 16 and f"by {simple}" in _simple(lines[j].text):
            return True
    return False


def _under_header(lines: list[_Line], index: int) -> bool:
    """Below an article header: a byline or date within the four lines above, with a headline
    of five words or more right above that header (then this is a caption, a dek, a video's
    title, unless a header of its own follows it)."""
    j = index - 1
    while j >= 0 and index - j <= 4 and not _header_line(lines[j]):
        j -= 1
    if j < 0 or index - j > 4:
        return False
    # Over the header's lines, and a short name line among them ("Detroit News wire services").
    while j >= 0 and (_header_line(lines[j]) or lines[j].words <= 4 and index - j <= 5):
        j -= 1
    return j >= 0 and lines[j].words >= 5 and _headline_shaped(lines[j])


def _byline_above(lines: list[_Line], index: int) -> bool:
    """A byline within the five lines above: the header's headline is above it, not here."""
    for j in range(index - 1, max(-1, index - 6), -1):
        line = lines[j]
        if line.rule is None and (_byline(line.text, line.words) is not None or _is_lone_by(line)):
            return True
    return False


def _headline_shaped(line: _Line) -> bool:
    """A line that reads as a headline even where it weighs like prose: one sentence at most,
    4 to 30 words, no full stop at its end (a question or an exclamation may close it)."""
    text = line.text
    return (
        _title_like(line)
        and 4 <= line.words <= 30
        and not text.rstrip(_QUOTE_CLOSERS).endswith((".", ",", ";", ":"))
        and not text[0].islower()
        and text[0] not in _NOT_HEADLINE_START
    )


def _past_headline(lines: list[_Line], first_body: int, end: int) -> int:
    """The first paragraph, past a headline that weighs like prose: one with a byline or date
    within two lines under it ("What is the value of drugs that come to the U.S. border?"), or
    one under a truncated copy of itself (a full headline ending in a full stop)."""
    if first_body >= end:
        return first_body
    line = lines[first_body]
    if _title_like(line) and 4 <= line.words <= 30 and _copied_above(lines, first_body):
        pass  # the headline, full stop and all, under a truncated or crumb-glued copy of it
    elif not _headline_shaped(line) or not any(
        _header_line(lines[j]) for j in range(first_body + 1, min(end, first_body + 3))
    ):
        return first_body
    return next((i for i in range(first_body + 1, end) if lines[i].weight >= _PROSE), first_body)


def _copied_above(lines: list[_Line], index: int) -> bool:
    """A copy of line ``index`` within the three lines above: truncated ("...") or with a
    breadcrumb glued to its front ("HomeWorldBlinken to boost...")."""
    key = _simple(lines[index].text)[:40]
    if len(key) < 24:
        return False
    for j in range(max(0, index - 3), index):
        other = lines[j].text
        if other[-1:] in ".…" and _ELLIPSIS_END.search(other) and key in _simple(other):
            return True
    return False


def _above_meta(lines: list[_Line], first_body: int) -> list[int]:
    """Headline candidates right above the article's byline or date.

    The header can stand further above the body than the metadata window reaches, past a
    caption or a dek that reads as prose: up to 40 lines up, over single prose lines, the lines
    up to four above each byline or date line are candidates.
    """
    found: list[int] = []
    index = first_body - 1
    prose_run = 0
    while index > 0 and first_body - index <= 40:
        line = lines[index]
        if line.weight >= _PROSE and not _headline_shaped(line):
            prose_run += 1
            if prose_run >= 2 or line.words >= 40:
                break
        else:
            prose_run = 0
        if _header_line(line):
            for j in range(index - 1, max(-1, index - 5), -1):
                above = lines[j]
                if _is_meta(above) or above.rule is not None:
                    continue
                if _headline_shaped(above) and not _is_crumb(above.text):
                    found.append(j)
        index -= 1
    return found


def _is_dek(lines: list[_Line], index: int) -> bool:
    """A standfirst under the headline: the line right above is a headline of five words or
    more that is not itself one of a list of headlines."""
    if index == 0:
        return False
    above, line = lines[index - 1], lines[index]
    if line.words < 6 or above.text == line.text:
        return False
    # The headline above may stand twice (a hidden copy); a third headline above it makes a list.
    top = index - 2 if index >= 2 and lines[index - 2].text == above.text else index - 1
    return _after_headline(lines, index) and not _after_headline(lines, top)


def _after_headline(lines: list[_Line], index: int) -> bool:
    """Whether the line right above is a headline of five words or more (a list of teasers is
    a run of such lines)."""
    if index == 0:
        return False
    above = lines[index - 1]
    return above.rule is None and above.words >= 5 and _headline_shaped(above)


def _is_kicker(lines: list[_Line], index: int) -> bool:
    """A section label over the headline ("Dancing With the Stars", then the date, then the
    headline): four words at most, with a headline twice as long within two lines below."""
    line = lines[index]
    if line.words > 4:
        return False
    for j in range(index + 1, min(len(lines), index + 3)):
        below = lines[j]
        if below.rule is None and _headline_shaped(below) and below.words >= max(6, 2 * line.words):
            return True
        if not _header_line(below):
            return False
    return False


def _outside_rule(line: _Line, before: bool) -> str:
    if line.rule is not None:
        return line.rule
    if _is_crumb(line.text):
        return "breadcrumb"
    if line.words >= 12 or line.terminal and line.words >= 6:
        return "outside-article"
    return "navigation" if before else "footer"


def _trim_trailing_headings(
    blocks: list[tuple[int, Block]], removed: list[tuple[int, Removal]]
) -> list[tuple[int, Block]]:
    """A heading after the last paragraph heads nothing: it is a label of what follows the body."""
    while blocks and blocks[-1][1].kind == "heading":
        i, block = blocks.pop()
        removed.append((i, Removal(block.text, "navigation")))
    return blocks


def clean_html(html: str) -> Cleaned:
    """Extract an HTML page's main text with trafilatura, then clean it like scraped text.

    Trafilatura reads the page's structure (DOM, link density, boilerplate classes), so its
    choice of body is trusted; the line rules then remove the debris it lets through, and its
    metadata supplies the title, author and date. The page's other visible text blocks (menus,
    asides, footers) are reported as removed, named by the same rules. A page with no article
    gives no blocks.
    """
    from .extract import extract_html, visible_blocks

    extracted = extract_html(html)
    if extracted is None:
        return Cleaned(None, None, None, None, [])
    texts: list[str] = []
    kinds: list[str] = []
    for kind, text in extracted.blocks:
        text = " ".join(_ZERO_WIDTH.sub("", text).split())
        if text:
            texts.append(text)
            kinds.append(kind)
    page = _Page(kinds, extracted.title, extracted.author, extracted.date)
    cleaned = _clean(_lines(texts), page)
    if not _has_prose(cleaned.blocks):
        # Trafilatura falls back to whatever text a page has; a few words with no sentence in
        # them ("Home World Sport") are a menu, not an article.
        cleaned.removed.extend(Removal(b.text, "navigation") for b in cleaned.blocks)
        cleaned.blocks = []
    cleaned.removed = _page_removals(visible_blocks(html), texts, cleaned)
    return cleaned


_PROSE_WORDS = 12


def _has_prose(blocks: list[Block]) -> bool:
    """Whether the body reads as prose: a paragraph ending like a sentence, or a dozen words."""
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    return sum(len(p.split()) for p in paragraphs) >= _PROSE_WORDS or any(
        p.rstrip("\"'”’)]").endswith((".", "!", "?", "…")) for p in paragraphs
    )


def _page_removals(page_texts: list[str], kept: list[str], cleaned: Cleaned) -> list[Removal]:
    """All removals in page order: the blocks the extractor left out, named by the line rules,
    interleaved with what the rules removed from the extracted text."""
    body = "\n".join(kept)
    exact = set(kept)
    first_kept = kept[0] if kept else ""
    pending = list(cleaned.removed)
    seen_article = False
    section: str | None = None
    out: list[Removal] = []
    for raw in page_texts:
        text = " ".join(_ZERO_WIDTH.sub("", raw).split())
        if not text:
            continue
        # Kept: the same block, or a long piece of one (a short "News" inside a sentence is not).
        if text in exact or (len(text) >= 40 and text in body):
            seen_article = seen_article or text in first_kept or first_kept in text
            matches = [r for r in pending if r.text == text or r.text in text]
            for removal in matches:
                pending.remove(removal)
            out.extend(matches)
            continue
        line = _features(text)
        line.rule = _phrase_rule(line)
        if cleaned.title and _simple(text) == _simple(cleaned.title):
            rule = "title"
        elif line.rule is None and cleaned.byline and _byline(text, line.words):
            rule = "byline"
        elif line.rule is None and _date_line(text, line.words):
            rule = "date"
        elif line.rule is None and section and line.words <= 20 and not line.terminal:
            rule = section  # a link under a "Related" heading
        else:
            rule = _outside_rule(line, not seen_article)
        if rule in ("related-links", "comments") and line.words <= 6:
            section = rule  # a heading: the lines under it belong to it
        elif rule != section:
            section = None
        out.append(Removal(text, rule))
    return out + pending
