"""Stage 2: split an article's text into paragraphs and give each a role.

Roles decide presentation (boilerplate is folded, credits are small print) and
which paragraphs later stages may draw on (body only). A paragraph is never
dropped; photo credits glued to the next sentence are split off, and both halves
keep their original line number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from builder.locale_data import chrome_phrases, place_codes, relative_time_pattern, translation_source
from builder.model import (ASIDE, BODY, BOILERPLATE, CAPTION, CREDIT, HEADING, PULLQUOTE,
                           RELATED, Paragraph)

# Lines hard-wrapped by an editor rather than by paragraph: joined back together.
WRAP_MIN, WRAP_MAX = 40, 100
UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐ"
LOWER = "a-zß-öø-ÿā-žа-яёіїєґ"
SENTENCE_END = ".!?…»”\"’'"
NON_WORD = re.compile(r"[\W_]+")
SPACES = re.compile(r"\s+")


def split_paragraphs(body: str, first_line: int) -> list[tuple[str, int]]:
    """(text, line) pairs: one per non-empty line, or per block where lines are hard-wrapped."""
    lines = body.split("\n")
    blocks: list[list[tuple[str, int]]] = [[]]
    for offset, line in enumerate(lines):
        if line.strip():
            blocks[-1].append((line.rstrip(), first_line + offset))
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[tuple[str, int]] = []
    for block in blocks:
        if not block:
            continue
        if _is_hard_wrapped(block):
            paragraphs.append((" ".join(text.strip() for text, _ in block), block[0][1]))
        else:
            paragraphs.extend((text.strip(), line) for text, line in block)
    return paragraphs


def _is_hard_wrapped(block: list[tuple[str, int]]) -> bool:
    if len(block) < 2:
        return False
    heads = [text for text, _ in block[:-1]]
    return all(WRAP_MIN <= len(t) <= WRAP_MAX and t.rstrip()[-1:] not in ".!?:" for t in heads) and (
        len(block[-1][0]) <= WRAP_MAX)


def build_paragraphs(body: str, first_line: int) -> list[Paragraph]:
    """Paragraphs with roles, in source order, glued credits split apart."""
    pieces: list[tuple[str, int, bool]] = []
    for text, line in split_paragraphs(body, first_line):
        for index, part in enumerate(split_glued_credit(text)):
            pieces.append((part, line, index > 0))
    paragraphs = [Paragraph(i, text, line, glued=glued) for i, (text, line, glued) in enumerate(pieces)]
    assign_roles(paragraphs)
    return paragraphs


@lru_cache(maxsize=None)
def _photo_label_pattern() -> str:
    labels = sorted(chrome_phrases()["photo_labels"], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(label) for label in labels) + ")"


@lru_cache(maxsize=None)
def _compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """Patterns assembled from the chrome vocabulary, compiled once per process."""
    return re.compile(pattern, flags)


@lru_cache(maxsize=None)
def _source_line() -> re.Pattern:
    """"Source: Outlet" in any of the languages' words for source."""
    labels = "|".join(re.escape(label) for label in chrome_phrases()["source_labels"])
    return re.compile(rf"^(?:{labels})\s*:\s*\S")


@lru_cache(maxsize=None)
def _chrome_sets() -> tuple[frozenset[str], re.Pattern]:
    """The navigation lines as a set, and every "page {n} of {m}" form as one pattern."""
    chrome = chrome_phrases()
    pages = "|".join(re.escape(pattern).replace(r"\{n\}", r"\d+").replace(r"\{m\}", r"\d+")
                     for pattern in chrome["page_of"])
    return frozenset(chrome["lines"]), re.compile(f"(?:{pages})")


def split_glued_credit(text: str) -> list[str]:
    """Split a photo credit off the caption or sentence it was pasted against.

    "…in the regionImage: A. Name/Agency" → caption + credit;
    "A. Name/Agency via Getty ImagesThe ministry said…" → credit + sentence.
    """
    label = _photo_label_pattern()
    # (a credit label always ends in a colon: without one the search is spared)
    trailing = _compiled(rf"(?<=[{LOWER}\d.)])(?={label}\s*:)", re.IGNORECASE).search(text) if ":" in text else None
    if trailing and trailing.start() > 0 and len(text) - trailing.start() <= 160:
        return [text[: trailing.start()], text[trailing.start():]]
    for glue in _compiled(rf"(?<=[{LOWER}])(?=[{UPPER}][{LOWER}])").finditer(text[:200]):
        head = text[: glue.start()]
        if looks_like_photo_credit(head) and len(text) - glue.start() > 20:
            return [head, text[glue.start():]]
    return [text]


def looks_like_photo_credit(text: str) -> bool:
    """Photographer/agency credit lines: "Name/Agency", "Photo: …", "via Getty Images", "©"."""
    if len(text) > 160 or text.rstrip().endswith((".", "!", "?")) and "/" not in text:
        return False
    label = _photo_label_pattern()
    if _compiled(rf"^\(?{label}(?:\s*(?::|by\b|/)|(?<=\.)\s)", re.IGNORECASE).match(text):
        return True
    if "©" in text or re.search(r"\bvia\s+[A-Z][\w ]*Images?\b", text):
        return True
    # "First Last/Agency" or "First Last/Agency/picture service": names joined by slashes.
    return bool(_compiled(rf"^[{UPPER}][\w.'’ -]{{1,40}}/[{UPPER}][\w.'’ /-]{{1,60}}$").match(text.strip()))


# --- roles --------------------------------------------------------------------

def assign_roles(paragraphs: list[Paragraph]) -> None:
    """Give every paragraph a role and a short reason, in place.

    Order matters: furniture first, then credits and asides, then what is left is
    body or a heading within it.
    """
    chrome = chrome_phrases()
    for p in paragraphs:
        low = _norm(p.text)
        if MARKDOWN_HEADING.match(p.text) and _is_short_line(p.text, HEADLINE_MAX_WORDS):
            p.role, p.role_reason = HEADING, "Markdown heading"  # "# Headline", "## Background"
            continue
        role_reason = _boilerplate_reason(p.text, low, chrome) or _credit_reason(p.text, chrome)
        if role_reason:
            p.role, p.role_reason = role_reason
        elif _is_aside(p.text):
            p.role, p.role_reason = ASIDE, "wholly in parentheses"
    _mark_related_lists(paragraphs)
    _mark_captions(paragraphs)
    _mark_pullquotes(paragraphs)
    _mark_headings_and_trailers(paragraphs)


def _mark_related_lists(paragraphs: list[Paragraph]) -> None:
    """Headlines of other stories listed after a "Related" marker or a "Read more" link.

    The list runs over headline-like lines and teasers (a paragraph followed by a
    read-more link) and ends where running prose resumes: a page may list related
    stories in the middle of the article. After a bare read-more link it takes two
    headlines to make a list (one is more often a subheading of the text), unless
    no prose follows: a headline after "Read more »" at the end is the link's.
    """
    read_more = [p.index for p in paragraphs if p.role_reason == "read-more link"]
    teasers = {index - 1 for index in read_more}
    listed_until = -1
    for opener in paragraphs:
        if opener.index <= listed_until or opener.role_reason not in ("related-stories marker", "read-more link"):
            continue
        listed: list[Paragraph] = []
        prose_follows = False
        line = opener.line
        for p in paragraphs[opener.index + 1:]:
            if p.role_reason == "related-stories marker":
                break  # the next list is that marker's
            if listed and listed[0].line == opener.line + 1 and p.line != line + 1:
                break  # a list written line under line ends at a blank line: "Sindicato acusa empresa" heads the text after
            line = p.line
            listed_until = p.index
            if p.role != BODY:
                continue
            if p.index not in teasers and _is_running_prose(p.text):
                prose_follows = True
                break
            listed.append(p)
        if opener.role_reason == "read-more link" and len(listed) < 2 and prose_follows:
            continue
        for p in listed:
            p.role, p.role_reason = RELATED, "listed after a related-stories marker"
    # Paragraphs each followed by "Read more" are teasers for other stories (a lone
    # "Read more" at the end is more often the article's own continuation link).
    if len(read_more) >= 2:
        for index in read_more:
            prev = paragraphs[index - 1] if index > 0 else None
            if prev is not None and prev.role == BODY:
                prev.role, prev.role_reason = RELATED, "teaser followed by a read-more link"


def _is_running_prose(text: str) -> bool:
    """Article prose rather than a listed headline: a long paragraph, or a whole
    sentence of a dozen words or more."""
    t = text.strip()
    words = t.split()
    if re.match(r"^[-–—•·*»›▸►]\s", t) and len(words) <= 25 and t[-1:] not in ".!…":
        return False  # a list item (a dash before a quote closes it: "- We will, he says.")
    return len(words) > 20 or (len(words) >= 12 and t[-1:] in SENTENCE_END)


def _norm(text: str) -> str:
    """Lower case, each run of white space one space, none at the ends (str.split
    and re's `\\s` both split on str.isspace)."""
    return " ".join(text.split()).lower()


def _starts_with_marker(low: str, markers: list[str]) -> bool:
    """Whether the normalised text (`_norm`) is, or opens with, a related-stories marker."""
    return len(low) < 200 and any(
        low == m or (low.startswith(m) and not low[len(m):len(m) + 1].isalnum()) for m in markers)


def _is_read_more(label: str) -> bool:
    """Whether a navigation phrase (from `lines`) is a read-more link, by its verb."""
    return any(word in label for word in ("read", "les", "læs", "läs", "lire", "leer", "leggi", "ler", "leia",
                                          "lees", "lesen", "czytaj", "читать", "читати", "подробнее",
                                          "детальніше"))


NAVIGATION_CHARS = 200  # longer than any line of site navigation
LINK_SEPARATOR = re.compile(r"\s*[:»›→]\s*")  # between a "Read more" label and the headline it links to


def _boilerplate_reason(text: str, low: str, chrome: dict[str, list[str]]) -> tuple[str, str] | None:
    """Why a paragraph is site furniture, if it is; `low` is `_norm(text)`."""
    bare = re.sub(r"^(?:\d+[.)]\s*|[-*•·>]\s*)", "", low)  # "1. Skip to content"
    # (a line of navigation is short: a run of 25,000 dots was tried from each of its dots)
    bare = re.sub(r"\s*(?:»|›|→|>|\.{3}|…)+$", "", bare).strip() if len(bare) <= NAVIGATION_CHARS else bare
    if not re.search(r"\w", low):
        return BOILERPLATE, "no words"
    lines, page_of = _chrome_sets()
    if bare in lines or low in lines:
        return BOILERPLATE, "read-more link" if _is_read_more(bare) else "site navigation"
    # "Läs mer: <another story's headline>", "Lire aussi : <headline>": one link, not a list
    # ("Similar News: You can also read…", a sentence, introduces a list).
    # ("Lesen Sie auch » <headline>" likewise: the arrow stands for the colon)
    linked = LINK_SEPARATOR.split(low, 1) if len(low) < 200 else []
    if len(linked) == 2:
        label, headline = (part.strip() for part in linked)
        if headline and not headline.endswith(".") and (
                label in chrome["markers"] or (label in lines and _is_read_more(label))):
            return RELATED, "link to another story"
    if _starts_with_marker(low, chrome["markers"]):
        return BOILERPLATE, "related-stories marker"
    if page_of.fullmatch(bare):
        return BOILERPLATE, "pagination"
    if relative_time_pattern().match(bare):
        return BOILERPLATE, "time stamp"
    if re.fullmatch(r"(?:https?://|www\.)\S+", low):
        return BOILERPLATE, "link"
    words = low.split()
    if _is_share_row(low, chrome):
        return BOILERPLATE, "share buttons"
    if len(words) <= 30 and not low.endswith(".") and any(
            low.startswith(label) and re.match(r"\s*:\s*\S", low[len(label):]) for label in chrome["tag_labels"]):
        return BOILERPLATE, "tag list"
    if len(words) <= 25 and any(phrase in low for phrase in chrome["footers"] + chrome["rights"]):
        return BOILERPLATE, "rights or standards notice"
    if len(words) <= 25 and any(phrase in low for phrase in chrome["newsletter"]):
        return BOILERPLATE, "newsletter sign-up"
    if len(words) <= 40 and any(phrase in low for phrase in chrome["paywall"]):
        return BOILERPLATE, "paywall notice"
    if len(words) <= 60 and any(phrase in low for phrase in chrome["consent"]):
        return BOILERPLATE, "cookie notice"
    if len(words) <= 8 and re.search(r"\d", low) and _opens_with_label(low, chrome["date_labels"]):
        return BOILERPLATE, "date line"
    if _is_time_stamp_line(low, chrome["date_labels"]):
        return BOILERPLATE, "date line"
    if len(words) <= TRANSLATION_NOTICE_WORDS and translation_source(text):
        return BOILERPLATE, TRANSLATION_NOTICE
    if len(words) <= 10 and any(phrase in low for phrase in chrome["aggregator"]) and not low.endswith("."):
        return BOILERPLATE, "aggregator header"
    # "ConflictsSpain", "News › World › Europe": breadcrumbs.
    if len(text) <= 60 and " " not in text.strip() and re.search(rf"[{LOWER}][{UPPER}]", text):
        return BOILERPLATE, "breadcrumb"
    # (not "Fot. Agency / Name", nor "Agency | 7 May 2023": credits and datelines)
    if (len(words) <= 12 and re.search(r"\s[›»>|/]\s", text) and not re.search(r"[.!?]$", low)
            and not re.search(r"\d", low) and not looks_like_photo_credit(text.strip())):
        return BOILERPLATE, "breadcrumb"
    return None


TRANSLATION_NOTICE = "translation notice"  # "This article was translated automatically from Spanish."
TRANSLATION_NOTICE_WORDS = 40


CLOCK_OR_NUMERIC_DATE = re.compile(r"(?<![\d.,])(?:(?:[01]?\d|2[0-3])[:.h][0-5]\d|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|"
                                   r"\d{4}-\d{2}-\d{2})(?![\d,]|\.\d)")


def _is_time_stamp_line(low: str, date_labels: list[str]) -> bool:
    """"March 8, 2021 9:14 PM Updated 3 hours ago", "Publié le 8 mars 2021 à 11h02 - Mis
    à jour …": a short line of dates and times (a clock time or a numeric date, and
    half its words numbers, or a date label first), not a sentence."""
    words = low.split()
    if len(words) > 20 or low[-1:] in ".!?" or not CLOCK_OR_NUMERIC_DATE.search(low):
        return False
    if _opens_with_label(low, date_labels):
        return True
    numbers = sum(any(c.isdigit() for c in w) for w in words)
    return len(words) <= 16 and numbers >= 2 and numbers * 2 >= len(words)


def _opens_with_label(low: str, labels: list[str]) -> bool:
    """Whether the line begins with one of the labels as a word of its own ("Updated 3 May", not "Updatedness")."""
    return any(low.startswith(label) and not low[len(label):len(label) + 1].isalpha() for label in labels)


def _is_share_row(low: str, chrome: dict[str, list[str]]) -> bool:
    """"Share on Facebook   Share on X   Copy link", "Teilen: Facebook WhatsApp E-Mail":
    nothing but share labels and network names, with at least one label or two networks."""
    if len(low) > 160:
        return False
    networks = set(chrome["share_networks"])
    rest, labels = _share_labels(tuple(chrome["share_labels"])).subn(" ", low)
    tokens = [t for t in re.split(r"[\s:|·•/,]+", rest) if t]
    named = sum(t in networks for t in tokens)
    return all(t in networks for t in tokens) and (labels > 0 or named >= 2)


@lru_cache(maxsize=4)
def _share_labels(labels: tuple[str, ...]) -> re.Pattern:
    """Every share label as one pattern, longest first (one pass over a line, not one per label)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
                      + r")(?!\w)")


AGENCY_NAME = r"(?:[A-Z][\w.&-]{1,20}(?:\s+[A-Z][\w.&-]*)?|[a-z]{2,4}(?![\w.&-]))"  # "AFP", "Europa Press", "dpa"
AGENCY_LIST = rf"\(\s*{AGENCY_NAME}(?:\s*[,/;]\s*{AGENCY_NAME})*\s*\)"


AUTHOR_INITIALS = re.compile(r"(?:[A-Z]{2,4}|[a-z]{2,4})(?:\s*/{1,2}\s*(?:[A-Z]{2,4}|[a-z]{2,4}))+")


def _credit_reason(text: str, chrome: dict[str, list[str]]) -> tuple[str, str] | None:
    stripped = text.strip().lstrip("*").strip()
    low = _norm(stripped)
    if len(stripped) <= 120 and _source_line().match(low):
        return CREDIT, "source line"
    if len(stripped) <= 200 and any(low.startswith(phrase + " ") for phrase in chrome["information_from"]):
        return CREDIT, "agency credit"
    # "(Reporting by …; Editing by …)", "PAP, oprac. Jan Nowak": the desk's credit,
    # in parentheses or after the agencies whose copy it edited.
    inner = re.sub(r"^\((.*)\)$", r"\1", stripped).strip()
    agencies = agencies_before_staff_credit(inner)
    desk = _norm(inner[agencies.end():] if agencies else inner)
    if len(stripped) <= 400 and any(
            desk.startswith(label) and (label.endswith((":", ".")) or desk[len(label):len(label) + 1] == " ")
            for label in chrome["staff_credits"]):
        return CREDIT, "agency credit" if agencies else "staff credit"
    if AUTHOR_INITIALS.fullmatch(stripped):
        return CREDIT, "author initials"  # "ACL // JH", "fb/wmr": who wrote and who edited
    if outlet_with_agency(stripped):
        return CREDIT, "agency credit"
    # "fb/wmr (AFP, AP, Reuters)": author initials and agencies.
    if len(stripped) <= 80 and re.fullmatch(rf"[\w/.,& -]{{0,30}}{AGENCY_LIST}\.?", stripped):
        return CREDIT, "agency credit"
    if looks_like_photo_credit(stripped):
        return CREDIT, "photo credit"
    return None


ACRONYM = r"(?:[A-Z][A-Z&.-]{1,7}|[a-z]{2,4})"


def agencies_before_staff_credit(text: str) -> re.Match | None:
    """"PAP, oprac. Jan Nowak" → "PAP, ": the agencies (acronyms or single names, not
    country codes) a short desk credit line names first; the caller checks that a
    staff credit follows."""
    t = text.strip()
    if len(t.split()) > 12 or t[-1:] in ".!?":
        return None
    agency = rf"(?:{ACRONYM}|[A-Z][a-z]{{2,11}})"
    match = _compiled(rf"^(?P<agencies>{agency}(?:\s*[,/]\s*{agency})*)\s*[,;|–—-]\s*").match(t)
    if not match or any(word in place_codes() for word in re.findall(r"\w+", match["agencies"])):
        return None
    return match


@lru_cache(maxsize=None)
def _with_agency_pattern() -> re.Pattern:
    words = "|".join(re.escape(w) for w in chrome_phrases()["with_agency"])
    name = rf"[{UPPER}][\w.&'’-]*"
    particle = r"(?:de|du|des|la|le|di|da|del|della|der|die|den|van|von|el|al|of|the)\s+"
    return re.compile(rf"^(?P<outlet>{name}(?:\s+(?:{particle})?{name}){{0,3}}\s+)?(?P<with>(?i:{words}))\s+"
                      rf"(?P<agencies>{ACRONYM}(?:\s*(?:,|/|\s(?i:and|et|und|y|e|en|og|och|i)\s)\s*{ACRONYM})*)\.?$")


def outlet_with_agency(text: str) -> re.Match | None:
    """"Le Monde avec AFP", "With AFP and AP": an outlet's credit line for wire copy.

    Only acronyms that are not country codes count as agencies ("with Moscow",
    "with NATO" are no credits), a bare "with" needs a capital ("With dpa"), and
    English has no "<Outlet> with AFP" form, so no phrase of the text is taken.
    """
    match = _with_agency_pattern().match(text.strip())
    if not match or (not match["outlet"] and not text.strip()[:1].isupper()):
        return None
    if match["outlet"] and match["with"].lower() == "with":
        return None  # English writes "(with AFP)"; "Clashes with ISIS" is a headline
    if any(word in place_codes() for word in re.findall(r"\w+", match["agencies"])):
        return None
    return match


MARKDOWN_HEADING = re.compile(r"\s*#{1,6}[ \t]+\S")
BYLINE_PARTS = re.compile(r"\s[|·•]\s")
BYLINE_TAIL_WORDS = 12  # the place and date after a byline's names ("| Copiapó | 10 de marzo de 2026, 08:15")


def _is_byline(text: str) -> bool:
    """"By Jane Doe and John Roe", "Af Anne Holm", "Por g1 — Lisboa": a byline word, then
    only names (capitalised words, name particles, "and", separators); a place and a
    date may follow the names after a bar ("Por Ana Soto | Copiapó | 10 de marzo")."""
    parts = BYLINE_PARTS.split(text, 1)
    if len(parts) == 2 and len(parts[1].split()) <= BYLINE_TAIL_WORDS and _byline_names(parts[0]):
        return True
    return _byline_names(text)


def _byline_names(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 10 or text.rstrip()[-1:] in ".!?;:":
        return False
    head = words[0].lower().rstrip(":")
    if head not in chrome_phrases()["byline_words"]:
        return False
    joins = {"and", "og", "och", "und", "et", "y", "e", "en", "i", "и", "і", "та", "&", "—", "–", "-", "|", "/", "·"}
    names = [w.strip(",") for w in words[1:]]
    capitalised = [w for w in names if w[:1].isupper() or any(c.isdigit() for c in w)]
    return bool(capitalised) and names[0] not in joins and all(
        w in capitalised or w.lower() in joins or w.lower() in NAME_PARTICLES for w in names)


# the lower-case words inside personal names ("Josué Ferreira da Silva", "Ursula von der Leyen")
NAME_PARTICLES = frozenset({"de", "da", "do", "dos", "das", "di", "del", "della", "van", "von", "der", "den", "ter",
                            "le", "la", "al", "el", "bin", "ibn", "zu"})


def _is_aside(text: str) -> bool:
    t = text.strip()
    return len(t) > 2 and ((t[0], t[-1]) in {("(", ")"), ("[", "]")}) and t.count(t[0]) == t.count(t[-1])


def _mark_captions(paragraphs: list[Paragraph]) -> None:
    """A short unpunctuated line right before a photo credit is that photo's caption."""
    for index, p in enumerate(paragraphs):
        if p.role_reason != "photo credit":
            continue
        back = index - 1
        while back >= 0 and paragraphs[back].role == BODY and back >= index - 2:
            prev = paragraphs[back]
            if prev.text.rstrip()[-1:] in ".!?" and not (back == index - 1 and p.glued):
                break
            if len(prev.text.split()) <= 10 and re.search(r"(?<!\d)(?:\d{4}|\d{1,2}:\d{2})(?!\d)", prev.text) \
                    or _is_byline(prev.text):
                break  # "Agency | 7 May 2023, 09:42": a byline or time stamp, and the headline above it
            prev.role, prev.role_reason = CAPTION, "precedes a photo credit"
            back -= 1


def _mark_pullquotes(paragraphs: list[Paragraph]) -> None:
    """A paragraph repeated inside a longer one is a display (pull) quote.

    Blocked, not all pairs: a repeat's inner words (its first and last may be cut
    mid-word) occur as whole words in the longer paragraph, so only paragraphs
    sharing its rarest run of inner words are compared.
    """
    cores = [NON_WORD.sub(" ", p.text).strip().lower() for p in paragraphs]
    words = [c.split() for c in cores]
    indexes: dict[int, dict[tuple[str, ...], list[int]]] = {}

    def index(n: int) -> dict[tuple[str, ...], list[int]]:
        """Paragraphs by the runs of n words they contain (built when first asked for)."""
        if n not in indexes:
            built: dict[tuple[str, ...], list[int]] = {}
            for i, ws in enumerate(words):
                for key in dict.fromkeys(zip(*(ws[k:] for k in range(n)))):
                    built.setdefault(key, []).append(i)
            indexes[n] = built
        return indexes[n]

    for i, (p, c) in enumerate(zip(paragraphs, cores)):
        if p.role != BODY or len(c) < 30:
            continue
        inner = words[i][1:-1]
        n = min(3, len(inner))
        keys = list(zip(*(inner[k:] for k in range(n)))) if n else []
        runs = index(n) if keys else {}
        candidates = min((runs.get(key, []) for key in keys), key=len) if keys else range(len(paragraphs))
        for j in candidates:
            other, oc = paragraphs[j], cores[j]
            if j != i and len(oc) > len(c) and c in oc and other.role in (BODY, PULLQUOTE):
                p.role, p.role_reason = PULLQUOTE, f"repeats part of paragraph {other.index + 1}"
                break


def _mark_headings_and_trailers(paragraphs: list[Paragraph]) -> None:
    """Short unpunctuated lines before body text are headings; short lines after the
    last body paragraph (desk names, sign-offs) are credits.

    Above the first sentence of the text a headline may run longer than a
    subheading: HEADLINE_MAX_WORDS there, SUBHEADING_MAX_WORDS below.
    """
    last_body = max((p.index for p in paragraphs if p.role == BODY and not _is_short_line(p.text)),
                    default=-1)
    first_prose = min((p.index for p in paragraphs
                       if p.role == BODY and not _is_short_line(p.text, HEADLINE_MAX_WORDS)), default=-1)
    for p in paragraphs:
        if p.role != BODY:
            continue
        if (p.index < first_prose or p.index > last_body) and _is_byline(p.text):
            p.role, p.role_reason = CREDIT, "byline"  # (within the text, "Di Maio e Conte" is a subheading)
        elif p.index < first_prose and _is_short_line(p.text, HEADLINE_MAX_WORDS) and not _is_short_line(p.text):
            p.role, p.role_reason = HEADING, "line without closing punctuation above the text"
        elif not _is_short_line(p.text):
            continue
        elif p.index > last_body:
            p.role, p.role_reason = CREDIT, "sign-off after the last paragraph"
        else:
            p.role, p.role_reason = HEADING, "short line without closing punctuation"


SUBHEADING_MAX_WORDS, HEADLINE_MAX_WORDS = 14, 30


def _is_short_line(text: str, max_words: int = SUBHEADING_MAX_WORDS) -> bool:
    t = text.strip()
    words = t.split()
    if not words or len(words) > max_words or len(t) > max_words * 9:
        return False
    return not re.search(r"[.!:;,]$", t)
