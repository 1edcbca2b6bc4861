"""Sentence boundaries, shared by the entity, timeline and fact stages.

A quote-aware regular expression rather than a trained splitter: nothing installable
covers Norwegian, and on pasted web text ("said."Spain", ". . ,") the regex is
both faster and more robust. Offsets always index the paragraph's verbatim text,
so a sentence can be quoted and linked exactly.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from builder.clean import UPPER
from builder.locale_data import SUPPORTED_LANGUAGES, locale, month_names

# A break candidate: terminal punctuation, any closing quotes or brackets, then
# either whitespace or an opening quote directly followed by a capital letter (a
# guillemet may keep its French space: "… mercredi. « Nous …").
# Tried only where a run of punctuation begins, the run read once (possessive):
# a run of 25,000 dots was read again from each of its dots.
_BREAK = re.compile(
    rf"(?<![.!?…])[.!?…]++[\"”»’'\)\]]*(?:\s+|(?=[\"“«„‘][{UPPER}]))(?=(?:«[ \u00a0\u202f]?|[\"“„‘(\[])?[{UPPER}\d])"
)

# Abbreviations that end in a full stop and are followed by a capital or a digit
# without ending the sentence: titles, and the short forms news text writes before
# a name or a number (clock times, streets, numbers, "about"), in the supported
# languages. Single letters ("A. Name") and dotted forms ("U.S.", "z.B.") are
# recognised by shape.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt maj cmdr adm gov sen rep rev st jr sr
    nr vol fig ca approx etc vs cf ibid dept univ
    hr fr frk dir kl ca bl mv evt inkl jf iflg tlf pr ifm
    enl tf resp ang
    hl hr hrn dhr mevr mw drs ir ing blz bijv zgn incl excl
    mm mme mlle mgr av bd env gal cdt ste
    sr sra srta dña dra lic gral cnel tte avda núm pág ud uds aprox
    sig sigg dott avv geom mons magg pag cfr
    eng profa cel dep
    herr frau dipl str bzw ggf vgl sog
    gen prof adw
    godz ul al pl św tel woj pow gm tzw np ws ds wg płk ppłk mjr kpt por ppor kmdr inż ks abp bp
    prok mec pkt ust poz tj zob
    ул г гг им т тт др пр проф ген д кв пер просп пос акад св
    вул смт буд ім див
    """.split()
)

# Matched as written, where the lower-case word is an ordinary one ("on", "ten"):
# Italian titles ("On. Rossi", "Ten. Bianchi", "Arch. Neri"), Portuguese saints
# ("Sta. Maria"), and German number words before their capitalised noun ("45 Mio. Euro").
CAPITALISED_ABBREVIATIONS = frozenset({"On", "Ten", "Arch", "Sto", "Sta", "Mio", "Mrd", "Tsd"})

# Short forms that end no sentence before a number but are ordinary words before a
# capital ("No. 5" / "The answer was no."; "ok. 30 mil" / "…is ok."; "Art. 5").
BEFORE_NUMBER = frozenset("no nos est art abs ok".split())

# Units written after a number ("12 proc.", "5 tys.", "2009 r.", "40 млн."): they may
# end a sentence ("…fell by 12 proc. Shares…"), but not before an acronym ("3 proc. PKB").
UNIT_ABBREVIATIONS = frozenset(
    """
    proc tys r mln mld zł mill mrd mio mia milj kr pst pct tsd
    р тыс тис млн млрд руб грн коп
    """.split()
)

# Single letters and short forms that announce a number or a name ("n. 5", "s. 12",
# "м. Київ", "с. Петрівка", "см. выше"), but after a number are a unit ("5 м.", "5 см.").
BEFORE_NUMBER_OR_NAME = frozenset("n s p pp м с ст см".split())


@lru_cache(maxsize=1)
def month_abbreviations() -> frozenset[str]:
    """CLDR's abbreviated month names that are not also a full name ("sept", "jan",
    "okt", "сент"), lower-cased without their dot: before a day ("Sept. 14") they end
    no sentence."""
    full: set[str] = set()
    short: set[str] = {"sept"}
    for code in SUPPORTED_LANGUAGES:
        months = locale(code).months
        for context in ("format", "stand-alone"):
            full |= {name.lower() for name in months[context]["wide"].values()}
            short |= {name.lower().rstrip(".") for name in months[context]["abbreviated"].values()}
    return frozenset(name for name in short - full if len(name) >= 3 and name.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, whitespace trimmed, covering every word."""
    return list(_spans(text))


@lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        if _is_abbreviation(text, match.start()):
            continue
        end = match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(_trim(text, start, end))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return tuple(spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation rather than a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"[\w.]+$", text[max(0, dot - 40):dot])  # a bounded look back: linear in the text
    if not word:
        return False
    token = word.group()
    if "." in token.strip("."):  # U.S, z.B, bl.a
        return True
    if len(token) == 1 and token.isalpha() and token.isupper():  # an initial
        return True
    following = _WORD_AFTER.match(text, dot + 1)
    after = following.group(1) if following else ""
    if token.isdigit() and len(token) <= 2:  # an ordinal day before its month: "bis zum 4. März"
        return after.lower() in month_names()
    low = token.lower()
    if low in ABBREVIATIONS or token in CAPITALISED_ABBREVIATIONS:
        return True
    if low in BEFORE_NUMBER or low in month_abbreviations():
        return after[:1].isdigit()  # "No. 5", "Sept. 14"
    if low in UNIT_ABBREVIATIONS:
        return len(after) >= 2 and after.isupper()  # "3 proc. PKB"
    if low in BEFORE_NUMBER_OR_NAME:
        begins = max(0, dot - 40) + word.start()
        return not re.search(r"\d\s*$", text[max(0, begins - 12):begins])  # not "5 м."
    return False


_WORD_AFTER = re.compile(r"\s*(\w+)")


def sentence_at(text: str, position: int) -> tuple[int, int]:
    """The sentence containing character `position` (the whole text if none), found by
    bisection: a paragraph of thousands of sentences asks this of each of its dates."""
    spans, starts = _spans_and_starts(text)
    i = bisect.bisect_right(starts, position) - 1
    if i >= 0 and position < spans[i][1]:
        return spans[i]
    return 0, len(text)


@lru_cache(maxsize=256)
def _spans_and_starts(text: str) -> tuple[tuple[tuple[int, int], ...], list[int]]:
    spans = _spans(text)
    return spans, [start for start, _ in spans]


# Opening quotation mark → the marks that may close it (pasted text often closes
# “ with another “: "sur front “.", and „ or “ with a typewriter quote: „No vamos", sagte er).
QUOTE_PAIRS = {"“": '”“"', "„": '“”"', "«": "»", "»": "«", "‹": "›", "‚": "‘’", "‘": "’", "”": "”", '"': '"'}
SPEECH_DASH = re.compile(r"^\s*[-–—]\s")
_OPENING_MARK = re.compile("[" + re.escape("".join(QUOTE_PAIRS)) + "]")
_CLOSING_MARKS = {mark: re.compile("[" + re.escape(closing) + "]") for mark, closing in QUOTE_PAIRS.items()}


def quoted_ranges(text: str, open_quote: str | None = None) -> list[tuple[int, int]]:
    """Where `text` quotes someone: between quotation marks (an unclosed one runs to
    the end), and a speech line opened by a dash ("– Quote – said X", "– Quote, sier
    han") up to its last dash or comma. `open_quote`: the closing mark of a quotation
    opened before `text` (in an earlier sentence), which runs up to that mark."""
    ranges = []
    i = 0
    if open_quote:
        close = text.find(open_quote)
        ranges.append((0, close + 1 if close >= 0 else len(text)))
        i = close + 1 if close >= 0 else len(text)
    while i < len(text):
        opening = _OPENING_MARK.search(text, i)
        if opening is None:
            break
        i = opening.start()
        closed = _CLOSING_MARKS[text[i]].search(text, i + 1)
        end = closed.start() if closed else len(text)
        ranges.append((i, end + 1))
        i = end + 1
    if SPEECH_DASH.match(text):
        close = max(text.rfind(" – "), text.rfind(" — "), text.rfind(" - "), text.rfind(", "))
        ranges.append((0, close if close > 0 else len(text)))
    return ranges
