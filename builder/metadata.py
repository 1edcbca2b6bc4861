"""Stage 2b: an article's title, date, outlet and agencies, stated or inferred.

Stated values (front matter, the ` date …` marker) win. Otherwise each field is
deduced from the text and marked inferred, with the verbatim evidence: datelines
("Nov 11 (Reuters)", "МОСКВА, 26 сентября", "Created: 27-09-2022"), credit lines
("Source: BFM TV", "(AFP, AP, Reuters)", "With information from EFE and AFP"), a
URL's host, a headline line or the first sentence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit

from builder.blocking import most_shared
from builder.clean import AGENCY_LIST, UPPER, agencies_before_staff_credit, outlet_with_agency
from builder.locale_data import chrome_phrases, day_names, month_names, month_pattern, place_codes
from builder.model import (BODY, BOILERPLATE, CAPTION, CREDIT, HEADING, RELATED, Article,
                           EventMention, Inferred, Paragraph)
from builder.sentences import sentence_at

TITLE_MAX_CHARS = 90


def infer_title(paragraphs: list[Paragraph]) -> Inferred:
    """A headline line before the first body paragraph, else the first sentence.

    A one- or two-word line ("World") or a dateline before the headline is a section
    label or a time stamp, not the headline; it is the title only if no other line is.
    """
    headings = []
    for p in paragraphs:
        if p.role == BODY:
            break
        if p.role == HEADING:
            headings.append(p)
    if headings:
        p = next((h for h in headings if len(h.text.split()) >= 3 and not _dateline(h.text)), headings[0])
        # a Markdown heading's marks are no part of its words ("# Headline")
        return Inferred(p.text.strip().lstrip("#").strip(), True, "headline line", p.text.strip(), p.line)
    for p in paragraphs:
        if p.role == BODY:
            sentence = first_sentence(p.text)
            return Inferred(shorten(sentence), True, "first sentence", sentence, p.line)
    return Inferred(None)


def first_sentence(text: str) -> str:
    """The first sentence, without a leading dateline ("MADRID, Oct 31 (Reuters) - ")."""
    dateline = _dateline(text)
    if dateline and text.lstrip().startswith(dateline[2]):
        text = text.lstrip()[len(dateline[2]):].lstrip(" -–—.,:")
    match = re.search(rf"^.+?[.!?…](?=[\s\"”»’]*\s+[\"“«„‘]?[{UPPER}\d])", text)
    return (match.group() if match else text).strip()


def shorten(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + " …"


# --- dates --------------------------------------------------------------------

@lru_cache(maxsize=None)
def _date_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    month = month_pattern()
    return (
        (re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"), "iso"),
        (re.compile(r"(?<![\d.])(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>\d{4})(?!\d)"), "dmy"),
        (re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})\.?\s+(?P<mn>{month})(?:\s+(?P<y>\d{{4}}))?(?!\w)", re.I), "d-month"),
        # The lookahead (a word, a space, a digit) spares trying every month name at
        # every word: month names are letters only.
        (re.compile(rf"(?<!\w)(?=[^\W\d_]{{3,}}\.?\s+\d)(?P<mn>{month})\s+(?P<d>\d{{1,2}})(?:(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}))?(?!\d)", re.I), "month-d"),
    )


# A date label ending the text before a date, with what may join it to the date ("Updated:", "Publié le").
_DATE_LABEL = r"(?<!\w)(?:{labels})(?:\s*:|\s+(?:le|on|am|el|il|em|op|den|the|dnia))?\s*$"


def _date_labels() -> str:
    return "|".join(re.escape(label) for label in chrome_phrases()["date_labels"])


@lru_cache(maxsize=None)
def _dateline_context() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """What may stand before a date in a dateline (a label such as "Updated:", or a
    place name) and after it (an agency list and a dash)."""
    labelled = re.compile(_DATE_LABEL.format(labels=_date_labels()), re.I)
    weekdays = "|".join(re.escape(day) for day in sorted(day_names(), key=len, reverse=True))
    names = rf"[{UPPER}][\w.&'’-]*(?:\s+[{UPPER}][\w.&'’-]*)*"
    at_start = re.compile(
        rf"\s*(?:{AGENCY_LIST}\s*[-–—]?\s*)?"  # "(ANSA) - ROMA, 07 FEB"
        rf"(?:{names}(?:\s*,\s*{names})*\s*[|•·]\s*)?"  # "PAP, Reuters | 7 lutego 2023"
        rf"(?:[{UPPER}][^\W\d_]*\.?(?:[\s/-]+[{UPPER}][^\W\d_]*\.?)*\s*,\s*|[{UPPER}][{UPPER}\s./'’-]+\s)?"
        rf"(?i:(?:{weekdays})\.?,?\s+)?")  # "dinsdag 7 februari 2023", "Tuesday, 7 February"
    agency = re.compile(rf"\s*{AGENCY_LIST}\s*[-–—]")
    return labelled, at_start, agency


def infer_date(paragraphs: list[Paragraph]) -> tuple[Inferred, str]:
    """(date, precision) from a dateline: body paragraphs first, then furniture and
    related headlines (weaker: the date of a story about the same event).

    A dateline without a year gets precision "month-day" and value "--MM-DD";
    the corpus stage fills in the year.
    """
    def rank(p: Paragraph) -> int:
        return {BODY: 0, HEADING: 0, CREDIT: 1, BOILERPLATE: 1, CAPTION: 1, RELATED: 2}.get(p.role, 3)

    for p in sorted(paragraphs, key=lambda p: (rank(p), p.index)):
        found = _dateline(p.text)
        if found:
            value, precision, evidence = found
            method = "dateline" if rank(p) < 2 else "dateline of a related story"
            return Inferred(value, True, method, evidence, p.line), precision
    return Inferred(None), ""


@lru_cache(maxsize=None)
def _stamp_label() -> re.Pattern:
    """A date label opening a stamp: at the start of its line, or after a separator or
    the time of another stamp ("11h02 - Mis à jour le", "kl. 10.32  Opdateret") — not
    inside a sentence, where "published on Monday" is an event."""
    return re.compile(r"(?:^|[-–—|·•]|\s\s|\d|(?<!\w)(?:[ap]\.?m\.?|uhr|gmt|utc|cet|cest)(?:\s*[+−-]\s*\d+)?)\s*"
                      + _DATE_LABEL.format(labels=_date_labels()), re.I | re.M)


def is_stamp(text: str, start: int) -> bool:
    """Whether the date at `start` is the page's publication or update stamp ("Stand:
    29.03.2021", "Publié le 24 mars 2021 à 11h02 - Mis à jour le …"): metadata, not an event."""
    line_start = text.rfind("\n", 0, start) + 1
    return _stamp_label().search(text, max(line_start, start - 80), start) is not None


def update_date(article: Article) -> dt.date | None:
    """The latest day the article says it was updated or published on ("this story was
    updated on Sept 15", "aktualizacja: 15 września 2025"), when later than its own
    date: a labelled date anywhere in its text, the year taken from its own date."""
    if not is_dated(article):
        return None
    published = dt.date.fromisoformat(article.date.value)
    labelled = _dateline_context()[0]
    latest = None
    for p in article.paragraphs:
        for pattern, kind in _date_patterns():
            for match in pattern.finditer(p.text):
                if not labelled.search(p.text, max(0, match.start() - 60), match.start()):
                    continue
                date = _to_date(match, kind)
                if not date:
                    continue
                value = date[0] if date[1] == "day" else f"{published.year}{date[0][1:]}"
                try:
                    day = dt.date.fromisoformat(value)
                except ValueError:
                    continue
                if day > published and (latest is None or day > latest):
                    latest = day
    return latest


DATELINE_LABEL = 60  # characters of a label before a date ("Zuletzt aktualisiert am")
DATELINE_BEFORE = 200  # where a dateline's date may start at the latest
DATELINE_AFTER = 200  # characters after it that may hold its agencies and dash


def _dateline(text: str) -> tuple[str, str, str] | None:
    label_before, place_before, agency_after = _dateline_context()
    for pattern, kind in _date_patterns():
        for match in pattern.finditer(text):
            # a label stands right before the date, a dateline's place at the paragraph's
            # start: only so much text is read back (a paragraph of dates stays linear)
            before, after = text[: match.start()], text[match.end():match.end() + DATELINE_AFTER]
            labelled = label_before.search(before, max(0, match.start() - DATELINE_LABEL))
            at_start = match.start() <= DATELINE_BEFORE and place_before.fullmatch(before) is not None
            agency = agency_after.match(after)
            dash = at_start and (re.match(r"\s*[-–—,:.]\s", after)
                                 or (match.group().endswith(".") and re.match(r"\s", after)))
            if not (labelled or agency or dash or (at_start and len(text) < 60)):
                continue
            date = _to_date(match, kind)
            if date:
                end = match.end() + (agency.end() if agency else 0)
                start = labelled.start() if labelled else max(0, len(before) - len(before.lstrip()))
                if end - start > 80:  # a dateline glued into a longer line: keep its tail
                    start = text.rfind(" ", 0, match.start() - 30) + 1
                return date[0], date[1], text[start:end].strip()
    return None


def _to_date(match: re.Match, kind: str) -> tuple[str, str] | None:
    groups = match.groupdict()
    month = month_names().get(groups["mn"].lower().rstrip(".")) if groups.get("mn") else int(groups["m"])
    day = int(groups["d"])
    year = groups.get("y")
    try:
        if year:
            return dt.date(int(year), month, day).isoformat(), "day"
        dt.date(2000, month, day)  # a leap year admits 29 February
        return f"--{month:02d}-{day:02d}", "month-day"
    except (TypeError, ValueError):
        return None


def complete_year(date: Inferred, precision: str, corpus_dates: list[str]) -> tuple[Inferred, str]:
    """Give a year to a "--MM-DD" dateline: the year that puts it nearest the corpus's
    other dated articles (a dossier covers one event). Unknown if there are none."""
    if precision != "month-day" or not date.value:
        return date, precision
    years = sorted({int(d[:4]) for d in corpus_dates if d[:4].isdigit()})
    if not years:
        return Inferred(None, True, "dateline without a year, and no dated article to take one from",
                        date.evidence, date.line), ""
    month, day = int(date.value[2:4]), int(date.value[5:7])
    anchors = [dt.date.fromisoformat(d if len(d) == 10 else (d + "-15" if len(d) == 7 else d + "-07-01"))
               for d in corpus_dates]
    middle = sorted(anchors)[len(anchors) // 2]
    best = None
    for year in range(years[0] - 1, years[-1] + 2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - middle).days) < abs((best - middle).days):
            best = candidate
    method = f"{date.method}; year {best.year} from the corpus's other dated articles"
    return Inferred(best.isoformat(), True, method, date.evidence, date.line), "day"


# --- outlet and agencies -------------------------------------------------------

def infer_outlet(paragraphs: list[Paragraph], url: str | None) -> Inferred:
    """The publishing outlet, from the strongest clue the page has.

    In order: a "Source: Outlet" line, an "<Outlet> with AFP" credit, the article's
    URL, a link in the page, a "© Outlet" rights notice, a site name as the first
    crumb of a breadcrumb trail ("NRK > World"), and last the one agency of a
    dateline ("CAIRO (Reuters) -": wire copy, as the agency or a client ran it).
    """
    labels = "|".join(re.escape(label) for label in chrome_phrases()["source_labels"])
    for p in paragraphs:
        if p.role == CREDIT:
            match = re.match(rf"^\W*(?:{labels})\s*:\s*(?P<outlet>.+?)\s*$", p.text, flags=re.I)
            if match:
                return Inferred(match["outlet"], True, "source line", p.text.strip(), p.line)
    for p in paragraphs:
        with_agency = outlet_with_agency(p.text) if p.role == CREDIT else None
        if with_agency and with_agency["outlet"]:
            return Inferred(with_agency["outlet"].strip(), True, "credit line naming the outlet and its agency",
                            p.text.strip(), p.line)
    if url:
        host = site_name(url)
        if host:
            return Inferred(host, True, "host of the article's URL", url)
    for p in paragraphs:
        if p.role == BOILERPLATE and p.role_reason == "link":
            host = site_name(p.text.strip())
            if host:
                return Inferred(host, True, "host of a link in the page", p.text.strip(), p.line)
    for p in paragraphs:
        holder = _rights_holder(p.text) if p.role == BOILERPLATE else None
        if holder:
            return Inferred(holder, True, "rights notice", p.text.strip(), p.line)
    for p in paragraphs:
        named = _cookie_notice_subject(p.text) if p.role == BOILERPLATE and p.role_reason == "cookie notice" else None
        if named:
            return Inferred(named, True, "the site named in its cookie notice", p.text.strip(), p.line)
    trails = [p for p in paragraphs if p.role == BOILERPLATE and p.role_reason == "breadcrumb"]
    firsts = [_crumbs(p.text)[0] for p in trails]
    for p, first in zip(trails, firsts):
        if first and firsts.count(first) > 1 and first.lower() not in chrome_phrases()["home_crumbs"]:
            return Inferred(first, True, "site name, first in both the breadcrumb trail and the footer",
                            p.text.strip(), p.line)
    for p in trails:
        crumb = _site_crumb(p.text)
        if crumb:
            return Inferred(crumb, True, "site name as the first crumb of the breadcrumb trail (weak)",
                            p.text.strip(), p.line)
    for p in _lead_paragraphs(paragraphs):
        found = _agency_dateline(p.text)
        if found and len(found[1]) == 1:
            return Inferred(found[1][0], True, "the agency of the dateline (wire copy)", found[0], p.line)
    return Inferred(None)


SITE_NAME = rf"[{UPPER}][\w.&'’-]*(?:\s+(?:[{UPPER}][\w.&'’-]*|[a-zß-öø-ÿ]{{1,3}}(?=\s+[{UPPER}]))){{0,5}}"  # "Le Courrier du Sud"


def _rights_holder(text: str) -> str | None:
    """"RIPRODUZIONE RISERVATA © Copyright ANSA" → "ANSA": the name after "©" or
    "copyright" in a rights notice, years left out; or the name that opens a
    notice before its rights phrase ("Le Courrier du Sud – Tous droits réservés")."""
    match = re.search(rf"(?:©|\(c\)|\bcopyright\b)(?:\s*(?:©|copyright|\d{{4}}(?:\s*[-–]\s*\d{{4}})?))*\s*"
                      rf"(?P<name>[{UPPER}][\w.&'’-]*(?:\s+[{UPPER}][\w.&'’-]*){{0,3}})", text, flags=re.I)
    if match and match["name"].lower() not in ("all", "tous", "todos", "alle", "alla", "tutti", "wszelkie"):
        return match["name"].rstrip(".")
    opening = _rights_opening().match(text.strip())
    return opening["name"] if opening else None


@lru_cache(maxsize=1)
def _rights_opening() -> re.Pattern:
    """A site's name, a dash, bar or full stop, and a rights phrase (chrome.yml rights)."""
    rights = "|".join(re.escape(p) for p in chrome_phrases()["rights"])
    return re.compile(rf"(?P<name>{SITE_NAME})\s*[-–—|.,·]\s*(?i:{rights})")


def _cookie_notice_subject(text: str) -> str | None:
    """The site a cookie notice names as its subject ("Atacama Daily News uses cookies"):
    a name before what the notice says of "this site" (chrome.yml consent)."""
    match = _cookie_subject().match(text.strip())
    if not match or match["name"].lower() in {phrase.split()[0] for phrase in chrome_phrases()["consent"]}:
        return None  # "Vi bruger cookies": a pronoun, not a name
    return match["name"]


@lru_cache(maxsize=1)
def _cookie_subject() -> re.Pattern:
    tails = set()
    for phrase in chrome_phrases()["consent"]:
        words = phrase.split()
        if len(words) < 3:
            continue
        tails.update(" ".join(words[i:]) for i in range(1, len(words) - 1))  # "uses cookies", "utilise des cookies"
    alternation = "|".join(re.escape(t) for t in sorted(tails, key=len, reverse=True))
    return re.compile(rf"(?P<name>{SITE_NAME})\s+(?i:{alternation})\b")


def _crumbs(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"\s[›»>|/]\s", text.strip())]


def _site_crumb(text: str) -> str | None:
    """The first crumb of a breadcrumb trail when it is a site's name: a domain
    ("News.example > World") or a name with an acronym ("NRK > Urix", "ABC News /
    World"), not a "Home" crumb, not a country or section code ("EU", "USA")."""
    crumbs = _crumbs(text)
    if len(crumbs) < 2 or not crumbs[0] or len(crumbs[0]) > 40:
        return None
    first = crumbs[0]
    if first.lower() in chrome_phrases()["home_crumbs"]:
        return None
    if re.fullmatch(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", first, flags=re.I):
        return first
    acronyms = [w for w in first.split() if re.fullmatch(r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ]{2,6}", w)]
    if acronyms and not any(w in place_codes() for w in acronyms):
        return first
    return None


def _lead_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The first two body paragraphs: where a dateline stands."""
    return [p for p in paragraphs if p.role == BODY][:2]


@lru_cache(maxsize=None)
def _agency_dateline_pattern() -> re.Pattern:
    # possessive: a hyphen or a space is a word's or a separator's, never tried as both
    # (a rule of hyphens "Oslo -----…" took minutes)
    place = rf"[{UPPER}][\w.'’-]*+(?:[\s/-]++[\w.'’-]++){{0,5}}+"
    return re.compile(rf"^\s*+(?:{place}\s*+,?\s*+)?(?P<agencies>{AGENCY_LIST})\s*+[-–—]")


def _agency_dateline(text: str) -> tuple[str, list[str]] | None:
    """("CAIRO/LONDON (Reuters) -", ["Reuters"]): agencies in a dateline at the start of
    a paragraph, dated or not ("MADRID, Oct 31 (Reuters) -", "(ANSA) - ROMA")."""
    match = _agency_dateline_pattern().match(text)
    if match:
        names = re.split(r"\s*[,/;]\s*", match["agencies"].strip("() "))
        return match.group().strip(), [n for n in names if n]
    dateline = _dateline(text)
    credited = re.search(AGENCY_LIST, dateline[2]) if dateline else None
    if credited:
        return dateline[2], [n for n in re.split(r"\s*[,/;]\s*", credited.group().strip("() ")) if n]
    return None


def site_name(url: str) -> str | None:
    """The registrable part of a URL's host: "https://p.dw.com/p/x" → "dw.com"."""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def infer_agencies(paragraphs: list[Paragraph]) -> list[Inferred]:
    """Wire agencies credited in datelines and credit lines, in order of appearance, each once."""
    found: dict[str, Inferred] = {}
    phrases = "|".join(re.escape(p) for p in chrome_phrases()["information_from"])
    lead = {p.index for p in _lead_paragraphs(paragraphs)}
    for p in paragraphs:
        dateline = _agency_dateline(p.text) if p.index in lead else None
        for name in dateline[1] if dateline else []:
            if name not in found:
                found[name] = Inferred(name, True, "dateline", dateline[0], p.line)
        if p.role != CREDIT:
            continue
        text = p.text.strip().lstrip("*").strip()
        names: list[str] = []
        listed = re.search(AGENCY_LIST, text)
        with_agency = outlet_with_agency(text)
        desk = agencies_before_staff_credit(text) if p.role_reason == "agency credit" else None
        if listed:
            names = re.split(r"\s*[,/;]\s*", listed.group().strip("() "))
        elif with_agency:
            names = re.split(r"\s*[,/]\s*|\s+\w+\s+", with_agency["agencies"])
        elif desk:  # "PAP, oprac. Jan Nowak"
            names = re.split(r"\s*[,/]\s*", desk["agencies"])
        else:
            match = re.match(rf"^(?:{phrases})\s+(?P<names>.+?)\.?$", text, flags=re.I)
            if match:
                names = re.split(r"\s*,\s*|\s+(?:and|og|och|und|et|y|e|en|i|и|та|і)\s+", match["names"])
        for name in names:
            name = name.strip(" .")
            if name and name not in found and len(name) <= 40:
                found[name] = Inferred(name, True, "credit line", p.text.strip(), p.line)
    return list(found.values())


def apply_stated(article: Article) -> None:
    """Front matter values, marked as stated."""
    fm = article.source.front_matter
    for key in ("title", "outlet", "url"):
        if fm.get(key):
            setattr(article, key, Inferred(str(fm[key]), False, "front matter", str(fm[key])))
    article.tags = list(fm.get("tags", []))


# --- publication dates from other articles ------------------------------------------

# Matching a report only to date its article needs less than merging two timeline
# entries: the weekday must agree as well, and the window it gives is checked
# against every other weekday the article names. Whole paragraphs are compared,
# every key counting the same: in a corpus about one event, the words all reports
# share are what says "the same event".
SAME_EVENT_FOR_DATE = 0.2


def is_dated(article: Article) -> bool:
    """Dated to the day: such an article can date others, and is not dated by them."""
    return article.date.known and article.date_precision == "day" and len(article.date.value or "") == 10


def weekday_mentions(article: Article) -> list[tuple[EventMention, int, tuple[int, int]]]:
    """The bare weekdays ("on Friday", "last Tuesday") and the days relative to its own
    ("today", "i går kveld") an article names, each as a report of its sentence with
    the ISO weekday (0 for a relative day: any weekday) and the days after the day it
    names that the article may have been published (timex.weekday_dct_offsets,
    timex.relative_day_offsets): what dates an undated article (from the article
    alone, so it can be cached per article)."""
    from builder import timeline, timex  # here: the timeline stage builds on metadata

    found = []
    for p in article.body_paragraphs:
        lang = p.language or article.language.value or "und"
        offsets = None
        relative = None
        for expr in timex.tag(p.text, lang, None):
            weekday = re.fullmatch(r"XXXX-WXX-(\d)", expr.value or "")
            if weekday:
                offsets = offsets or timex.weekday_dct_offsets(p.text, lang)
                if expr.start not in offsets:
                    continue
                named, days, event = int(weekday.group(1)), offsets[expr.start], None
            elif expr.value is None and expr.precision == "day" and expr.rule == "relday":
                relative = relative if relative is not None else timex.relative_day_offsets(p.text, lang)
                if expr.start not in relative:
                    continue
                named, (days, event) = 0, relative[expr.start]
            else:
                continue
            start, end = sentence_at(p.text, expr.start)
            # "today, the day after the fire": the fire's words are what to match
            keys = timeline.content_keys(p.text[event:end]) if event is not None else \
                timeline.content_keys(p.text, [(expr.start, expr.end)])
            mention = EventMention(article.id, p.index, start, end, p.text[start:end], lang, expr, None,
                                   False, (), keys)
            found.append((mention, named, days))
    return found


def infer_dates_from_events(articles: list[Article], reports: dict | None = None,
                            weekdays: dict[str, list[tuple[EventMention, int, tuple[int, int]]]] | None = None
                            ) -> list[Article]:
    """Give a day to articles without one (or with only a month) from the corpus.

    An article that says "on Friday" about an event that a dated article also
    reports, and dates, tells us which Friday it means; by the weekday policy
    the article's own expressions are then resolved by (a bare weekday is the
    most recent such day on or before publication, "last Friday" one before it,
    a future one the next) the article appeared within the days that policy
    allows: for "on Friday" that day or the six after, for "last Friday" the
    seven after it. What it says about its own day counts the same way and
    fixes it: "today" about a reported event is that event's day, "yesterday"
    the day before it. Every day matched this way narrows the window, the
    closest matches first (a weaker one contradicting them is left out); the
    article gets the earliest day left (the reports are of the latest event it
    names), marked inferred, with the matched sentences as evidence; resolved
    against it, each matched weekday names the day its match gave. Nothing is
    set when nothing matches.
    `reports` are the timeline's per-article reports (timeline.article_reports),
    made here for articles that have none; `weekdays`, likewise, each undated
    article's `weekday_mentions`. Returns the articles it dated.
    """
    from builder import timeline  # here: the timeline stage builds on metadata

    dated = [a for a in articles if is_dated(a)]
    dated_ids = {a.id for a in dated}
    undated = [a for a in articles if a.id not in dated_ids]
    if not dated or not undated:
        return []
    reports = reports or {}
    # The weekdays undated articles name, first: only the keys they use are indexed.
    weekdays = weekdays or {}
    mentions: dict[str, list[tuple[EventMention, int, tuple[int, int]]]] = {}
    for article in sorted(undated, key=lambda a: a.id):
        found = weekdays[article.id] if article.id in weekdays else weekday_mentions(article)
        if found:
            mentions[article.id] = found
    wanted = frozenset(k for found in mentions.values() for mention, _, _ in found for k in mention.keys)
    candidates: list[EventMention] = []
    contexts: list[str] = []
    index: dict[tuple[int, str], list[int]] = {}  # (weekday, paragraph key) → reports
    for a in sorted(dated, key=lambda a: a.id):
        r = reports.get(a.id) or timeline.article_reports(a)
        for e, joined in zip(r.events, r.contexts):
            if e.expression.range_start == e.expression.range_end:
                shared = wanted.intersection(joined.split())
                if not shared:
                    continue  # no weekday mention can find it
                weekday = dt.date.fromisoformat(e.expression.range_start).isoweekday()
                position = len(candidates)
                candidates.append(e)
                contexts.append(joined)
                for key in shared:
                    posting = index.get((weekday, key))
                    if posting is None:
                        index[(weekday, key)] = [position]
                    else:
                        posting.append(position)
    key_sets: dict[int, frozenset[str]] = {}  # a report's paragraph keys, once it is compared
    changed = []
    for article in sorted(undated, key=lambda a: a.id):
        window: tuple[dt.date, dt.date] | None = None
        evidence: list[str] = []
        month = article.date.value if article.date_precision == "month" else None
        matched = []
        for order, (mention, weekday, (fewest, most)) in enumerate(mentions.get(article.id, ())):
            keys = frozenset(mention.keys)
            found = [i for day in ([weekday] if weekday else range(1, 8)) for i in _sharing(mention.keys, day, index)
                     if not month or candidates[i].expression.range_start[:7] == month]
            for i in found:
                if i not in key_sets:
                    key_sets[i] = frozenset(contexts[i].split())
            scored = [(_overlap(keys, key_sets[i]), candidates[i]) for i in found]
            if not scored:
                continue
            score, best = max(scored, key=lambda pair: (pair[0], pair[1].article, -pair[1].paragraph))
            if score >= SAME_EVENT_FOR_DATE:
                matched.append((-score, order, mention, best, fewest, most, weekday))
        # the closest matches first: a weaker one that contradicts them is not used
        relative = False
        for _, _, mention, best, fewest, most, weekday in sorted(matched, key=lambda m: m[:2]):
            day = dt.date.fromisoformat(best.expression.range_start)
            candidate = (day + dt.timedelta(days=fewest), day + dt.timedelta(days=most))
            narrowed = candidate if window is None else (max(window[0], candidate[0]), min(window[1], candidate[1]))
            if narrowed[0] > narrowed[1]:
                continue  # contradicts the days matched before: not used
            window = narrowed
            said = f"“{mention.expression.text}” in “{timeline.shorten(mention.quote, 90)}”"
            if weekday:
                evidence.append(f"{said} is {day.isoformat()}, as in {best.article}: “{timeline.shorten(best.quote, 90)}”")
            else:
                relative = True
                evidence.append(f"{said} puts its publication on {candidate[0].isoformat()}, as {best.article} dates "
                                f"the same event {day.isoformat()}: “{timeline.shorten(best.quote, 90)}”")
        if window is None:
            continue
        method = ("weekdays it names matched to dated articles reporting the same events"
                  + ("; and what it says of its own day (“today”, “yesterday”)" if relative else "")
                  + (f"; within the stated month {month}" if month else ""))
        article.date = Inferred(window[0].isoformat(), True, method, " · ".join(evidence[:3]), article.date.line)
        article.date_precision = "day"
        changed.append(article)
    return changed


MATCH_POSTINGS = 4000  # index entries a weekday mention reads, through its rarest keys first...
MATCH_CANDIDATES = 200  # ...and the reports sharing most of those keys that it is compared with


def _sharing(keys: tuple[str, ...], weekday: int, index: dict) -> list[int]:
    """Reports on the weekday sharing a paragraph key with the mention, found through
    its rarest keys first: the keys are read while they fit in MATCH_POSTINGS index
    entries (a key more common than that says little about which report it is), and
    the MATCH_CANDIDATES reports sharing most of them are kept, so the work per
    mention does not grow with the corpus."""
    # rarest first, ties by key: which postings fit the budget must not depend on set order
    rarest = sorted(set(keys), key=lambda k: (len(index.get((weekday, k), ())), k))
    shared: Counter[int] = Counter()
    budget = MATCH_POSTINGS
    for key in rarest:
        posting = index.get((weekday, key), ())
        if len(posting) > budget:
            break
        shared.update(posting)
        budget -= len(posting)
    if len(shared) <= MATCH_CANDIDATES:
        return sorted(shared)
    return sorted(most_shared(shared, MATCH_CANDIDATES))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The timeline's similarity with every key counting the same: shared keys over the
    geometric mean of the two counts."""
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
