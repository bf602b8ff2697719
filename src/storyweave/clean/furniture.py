"""Page furniture: the lines of a scraped page that are not the report (captions, credits, links, prompts).

Each rule looks at one whole line and, for a few, at its neighbours; a line is furniture only as a
whole, so a sentence that merely mentions Reuters or cookies is never touched. Every rule is a
pure function of the line and the lines around it, and context rules only ever remove *fewer*
lines once others are gone, so cleaning twice removes nothing more.

Reasons (the fixed vocabulary written to ``Article.removed``): see :data:`REASONS`.
"""

from __future__ import annotations

import re

from storyweave.clean.shape import ends_sentence, has_letter, normalise_key, words, wordset

REASONS: dict[str, str] = {
    "caption": "an image caption (a bare name or description placed between paragraphs)",
    "credit": "a photo/agency credit or byline line (Reuters, AP Photo/..., Photo: ..., By ...)",
    "related_links": "a 'Related posts' / 'Read more' header and the link titles under it",
    "comments_header": "a comments header ('One thought on ...', '3 comments', 'Leave a reply')",
    "comments": "reader comments and the comment form after a comments header at the end",
    "share_prompt": "share/follow/click-here prompts and rows of social network names",
    "subscribe_prompt": "newsletter, subscription and paywall prompts",
    "advertisement": "'Advertisement', 'Sponsored', 'Story continues below' markers",
    "cookie_notice": "cookie consent notices",
}

_I = re.IGNORECASE
_TAIL = r"[\s.:!\-–—|»>]*$"  # trailing punctuation decorations allowed after a furniture phrase

# Agencies and picture desks seen in news credits (Reuters, AP, AFP, Getty in seed 002 and the
# trafilatura evaluation pages); a credit line is made only of these, names, "/", "via" and "©".
_AGENCY = (
    r"(?:Reuters|The Associated Press|Associated Press|AP|AFP|Getty(?: Images)?|EPA(?:-EFE)?|EFE|Bloomberg"
    r"|Xinhua|Shutterstock|Alamy|iStock(?:photo)?|PA(?: Media| Wire)?|ANI|PTI|IANS|UPI|dpa"
    r"|Anadolu(?: Agency)?"
    r"|SIPA|Sipa|NurPhoto|WireImage|Handout|Pool|TNS|Zuma(?: Press)?|SOPA Images|LightRocket|Bloomberg News)"
)
_AGENCY_RE = re.compile(rf"^{_AGENCY}$", _I)
_PHOTO_WORD = re.compile(r"\b(?:photo|photograph|photographer|image|picture|pic|illustration|file)s?\b", _I)
# A name chunk of a credit: one to five capitalised words ("Evan Vucci", "Luisa Gonzalez").
_NAME_CHUNK = re.compile(r"^(?:[A-Z][\w'’.\-]*)(?: [A-Z][\w'’.\-]*){0,4}$")
_CREDIT_LABEL = re.compile(
    r"^(?:\(?\s*)(?:photo|image|picture|photograph|pic|illustration|video|graphic)s?(?:\s+(?:credit|by|source))?"
    r"\s*[:|]\s*\S.*$|^(?:photo|image|picture)s? (?:by|courtesy(?: of)?)\s+\S.*$|^credits?\s*[:|]\s*\S.*$",
    _I,
)
_REPORTING_BY = re.compile(r"^\(?(?:reporting|writing|editing|additional reporting|compiled) by\b.*$", _I)
_BYLINE = re.compile(r"^By (?:[A-Z][\w'’.\-]*)(?: (?:[A-Z][\w'’.\-]*|and|de|van|von|da|del)){1,5}$")
# A caption that carries its credit at the end: "... speaks in Bogota, Jan. 5, 2026. REUTERS/Luisa
# Gonzalez", "... (AP Photo/Evan Vucci)", "... | Photo: Getty Images".
# Case-sensitive on purpose: "REUTERS/Luisa Gonzalez", not any "x/y" at the end of a sentence.
_TRAILING_CREDIT = re.compile(
    rf"(?:\b(?:{_AGENCY}|REUTERS|AFP PHOTO)(?: Photo)?\s*/\s*[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){{0,3}}"
    rf"(?:\s*,\s*[Ff]ile)?\)?"
    rf"|\((?:[^()]{{0,40}}\b(?i:photo|image|getty|credit|file)\b[^()]{{0,40}}|{_AGENCY})\)"
    rf"|[|(]\s*(?i:photo|image|picture|credit)s?\s*:[^|()]*\)?)\s*\.?$"
)

_RELATED = re.compile(
    r"^(?:related(?: posts?| articles?| stories| story| news| content| coverage| topics| reading| links)?"
    r"|read (?:more|also|next)|also read|see also|more (?:from|on|stories|news|coverage)\b.*"
    r"|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you| stories| articles)?"
    r"|trending(?: now| stories)?|most (?:read|popular|viewed)|popular (?:posts|stories)|further reading"
    r"|latest (?:news|stories|posts)|top stories|what to read next)" + _TAIL,
    _I,
)
_RELATED_INLINE = re.compile(
    r"^(?:read more|read also|also read|see also|related|more|watch|listen)\s*[:|»]\s*\S", _I
)
_NUMBER_WORD = r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
_COMMENTS_HEADER = re.compile(
    rf"^(?:{_NUMBER_WORD} (?:thoughts?|comments?|responses?|replies|reactions?) (?:on|to)\b.*"
    rf"|{_NUMBER_WORD} (?:comments?|responses?|replies)|comments?(?: \(\d+\))?|leave a (?:comment|reply)\b.*"
    r"|post a comment|add (?:a )?comment|join the (?:conversation|discussion)|show comments|view comments"
    r"|comments are closed\.?|discussion|reader comments)" + _TAIL,
    _I,
)
_SHARE = re.compile(
    r"^(?:share (?:this|the) (?:article|story|post|page|video)\b.*|share (?:on|via|to) \w+.*|share(?: this)?"
    r"|tweet(?: this)?|email(?: this)?(?: article| story)?|print(?: this)?(?: article| story| page)?"
    r"|copy link"
    r"|follow us on\b.*|like us on\b.*|find us on\b.*|click here\b.*|tap here\b.*|join (?:us|our \w+) on\b.*"
    r"|follow (?:@\w+|the author)\b.*)" + _TAIL,
    _I,
)
_SOCIAL = wordset(
    "share facebook twitter x linkedin whatsapp email e-mail print reddit pinterest telegram copy link "
    "messenger tumblr flipboard threads bluesky mastodon sms tweet comment comments save"
)
_SUBSCRIBE = re.compile(
    r"^(?:subscribe(?: (?:now|today|here|for|to)\b.*)?|sign[ -]up (?:for|to|now)\b.*"
    r"|.*\b(?:sign[ -]up|subscribe|our|your)\b.*\bnewsletters?\b.*|newsletters?(?: sign[ -]?up)?"
    r"|already a (?:subscriber|member)\b.*|support (?:our|independent|quality) journalism\b.*"
    r"|become a (?:member|subscriber|supporter)\b.*|to continue reading\b.*|you have reached\b.*\blimit\b.*"
    r"|get (?:the latest|our|breaking)\b.*\binbox\b.*|enter your email\b.*|log in to (?:continue|read)\b.*"
    r"|create a free account\b.*|this (?:article|content) is for subscribers\b.*)" + _TAIL,
    _I,
)
_COOKIE = re.compile(
    r"\bcookies?\b.*\b(?:use|uses|using|accept|consent|policy|settings|preferences|continuing|agree)\b"
    r"|\b(?:we use|uses|accept(?: all)?|consent to|use of)\b.*\bcookies?\b"
    r"|^cookie (?:policy|settings|notice)",
    _I,
)
_COOKIE_VOICE = re.compile(r"\b(?:we|our|you|your|us)\b|^(?:accept|cookie|manage|allow)", _I)
_ADVERT = re.compile(
    r"^(?:advertisements?|advert|ads?|sponsored(?: content| post)?|paid (?:post|content)"
    r"|promoted(?: content)?"
    r"|(?:story|article) continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?"
    r"|continue reading (?:below|the main story)|scroll to continue(?: with content)?"
    r"|skip (?:advert|advertisement|ad)|ad feedback)" + _TAIL,
    _I,
)

# Limits on line length (in words) for each kind: furniture lines are short. Checked on the seeds
# (longest furniture line: the 004 comments header, 9 words) and on the trafilatura evaluation pages,
# where the longest cookie banner ran to about 60 words.
_MAX_WORDS_SHORT = 25
_MAX_WORDS_CAPTION = 60
_MAX_WORDS_COOKIE = 80
# A bare name caption ("Donald Trump" in seed 002): 2-8 words, no end punctuation, and written
# verbatim (same case) in another line. One-word lines are left alone: a one-word subhead such as
# "Venezuela" is too likely to appear in the body too.
_CAPTION_MIN_WORDS, _CAPTION_MAX_WORDS = 2, 8
# Link titles under a bare related-links header: at most this many short lines without end
# punctuation are taken with it (related blocks on the trafilatura evaluation pages list 3-8 links).
_MAX_RELATED_LINKS = 10
_RELATED_LINK_MAX_WORDS = 20


def _is_credit(line: str) -> bool:
    """A line that is only a credit: agency names, photographer names, "/", "via", "©"."""
    if _CREDIT_LABEL.match(line) or _REPORTING_BY.match(line) or _BYLINE.match(line):
        return True
    body = re.sub(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?", "", line.strip("()[] "), flags=_I).rstrip(". ")
    if not body:
        return False
    parts = [p.strip() for p in re.split(r"\s*(?:/|\||,|;|\bvia\b)\s*", body) if p.strip()]
    agency = False
    for part in parts:
        if _AGENCY_RE.match(part) or re.fullmatch(rf"{_AGENCY} (?:Photo|Images?|Pictures?)", part, _I):
            agency = True
        elif re.fullmatch(r"(?:file(?: photo)?|photo|pool|handout|\d{4})", part, _I):
            continue
        elif not _NAME_CHUNK.match(part):
            return False
    return agency


def _is_social_row(line: str) -> bool:
    """A row of share buttons flattened to text: "Facebook Twitter WhatsApp Email"."""
    tokens = re.findall(r"[\w\-]+", line.lower())
    return bool(tokens) and all(t in _SOCIAL for t in tokens)


def line_reason(line: str) -> str | None:
    """The furniture reason for a line judged on its own, or None when it may be text."""
    n = len(words(line))
    if n == 0:
        return None
    if n <= _MAX_WORDS_SHORT:
        if _ADVERT.match(line):
            return "advertisement"
        if _COMMENTS_HEADER.match(line):
            return "comments_header"
        if _RELATED.match(line) or _RELATED_INLINE.match(line):
            return "related_links"
        if _SHARE.match(line) or _is_social_row(line):
            return "share_prompt"
        if _SUBSCRIBE.match(line):
            return "subscribe_prompt"
        if _is_credit(line):
            return "credit"
    if n <= _MAX_WORDS_COOKIE and _is_cookie_notice(line):
        return "cookie_notice"
    if n <= _MAX_WORDS_CAPTION and _TRAILING_CREDIT.search(line):
        return "caption"
    return None


def _is_cookie_notice(line: str) -> bool:
    """A cookie banner: it talks about cookies *to the reader* ("we use", "you accept"), which a news
    sentence about cookies ("regulators said the site uses cookies") does not."""
    return bool(_COOKIE.search(line)) and bool(_COOKIE_VOICE.search(line))


def _is_bare_related_header(line: str) -> bool:
    return bool(_RELATED.match(line)) and not _RELATED_INLINE.match(line)


def _appears_elsewhere(line: str, body: str) -> bool:
    """True when ``line`` occurs, word-bounded and in the same case, at least twice in ``body``."""
    pattern = re.compile(rf"(?<!\w){re.escape(line)}(?!\w)")
    return len(pattern.findall(body, 0)) >= 2


def classify(lines: list[str], title: str | None = None) -> list[str | None]:
    """The furniture reason for every line (None: keep). ``lines`` are repaired, blank lines included.

    The first non-blank line and any line equal to ``title`` are never captions: they are the headline.
    """
    reasons: list[str | None] = [line_reason(line) if line else None for line in lines]
    nonblank = [i for i, line in enumerate(lines) if line]
    if not nonblank:
        return reasons
    body = "\n".join(lines[i] for i in nonblank)
    title_key = normalise_key(title) if title else None

    # Captions: a short bare line, no end punctuation, written verbatim elsewhere (seed 002 "Donald Trump").
    for i in nonblank[1:]:
        line = lines[i]
        if reasons[i] is not None or ends_sentence(line) or not has_letter(line):
            continue
        if title_key is not None and normalise_key(line) == title_key:
            continue
        if _CAPTION_MIN_WORDS <= len(words(line)) <= _CAPTION_MAX_WORDS and _appears_elsewhere(line, body):
            reasons[i] = "caption"

    # Link titles under a bare related-links header.
    for pos, i in enumerate(nonblank):
        if not (reasons[i] == "related_links" and _is_bare_related_header(lines[i])):
            continue
        for j in nonblank[pos + 1 : pos + 1 + _MAX_RELATED_LINKS]:
            line = lines[j]
            if reasons[j] is not None:
                continue
            if ends_sentence(line) or len(words(line)) > _RELATED_LINK_MAX_WORDS:
                break
            reasons[j] = "related_links"

    # Everything after a comments header in the second half of the page is comments and the comment
    # form. In the first half it is a byline widget ("By X | Leave a comment"): only that line goes.
    half = len(body) / 2
    offset = 0
    for pos, i in enumerate(nonblank):
        if reasons[i] == "comments_header" and offset >= half:
            for j in nonblank[pos + 1 :]:
                if reasons[j] is None:
                    reasons[j] = "comments"
            break
        offset += len(lines[i]) + 1
    return reasons
