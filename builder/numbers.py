"""Quantities in running text, in the article's own conventions, as value intervals.

"Rundt 30.000", "more than 30,000", "au moins sept", "a dozen", "dozens",
"between 80,000 and 100,000": each becomes a Quantity whose [low, high] interval
says which values the source's wording allows, so two sources can be compared
("about 30,000" and "more than 30,000" overlap; "a dozen" and "41" do not).

Digits follow the language's grouping: CLDR (Babel) gives the decimal sign; where
it is a comma, a full stop or a space between groups of three is grouping, which
is how Norwegian, Danish and German print thousands ("30.000") even though CLDR's
nb group sign is a no-break space. Number words 2..100 come from num2words;
builder/data/numbers.yml adds spellings, scale words, qualifiers and vague counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.numbers import get_decimal_symbol
from num2words import num2words

from builder.locale_data import data_file, day_names, locale, month_names, month_pattern
from builder.timex import case_fold, lower_if_folded

EXACT, ABOUT, MORE_THAN, AT_LEAST, ALMOST, UP_TO, LESS_THAN, RANGE, VAGUE = (
    "exact", "about", "more than", "at least", "almost", "up to", "less than", "range", "vague")
QUALIFIERS = {"about": ABOUT, "more_than": MORE_THAN, "at_least": AT_LEAST, "almost": ALMOST,
              "up_to": UP_TO, "less_than": LESS_THAN}
# num2words has no Nynorsk; the Bokmål words are the same or listed in numbers.yml.
NUM2WORDS_LANGUAGE = {"nb": "no", "nn": "no"}
_SPACES = " \u00a0\u202f"
DOZEN = (10, 14)  # "a dozen" is approximate in every language
SPACES = re.compile(rf"[{_SPACES}]+")
YEAR = re.compile(r"1[89]\d\d|20\d\d")
PERCENT_NEXT = re.compile(rf"[{_SPACES}]*%")


@dataclass(frozen=True)
class Quantity:
    """A number as the text states it, with the interval of values its wording allows."""

    start: int  # offsets of the whole expression (qualifier included) in the text
    end: int
    value: float  # the number stated (a range's lower end; a vague count's lower bound)
    low: float
    high: float
    qualifier: str
    text: str
    number_start: int = 0  # where the number itself starts (after the qualifier)

    @property
    def number_end(self) -> int:
        return self.end


@lru_cache(maxsize=None)
def grammar() -> dict:
    return data_file("numbers")


@lru_cache(maxsize=None)
def number_words(language: str) -> dict[str, float]:
    """Spelled numbers 2..100 for a language (lower case) → value; 1 is left out,
    because "one"/"en"/"un"/"ein" are mostly articles."""
    words: dict[str, float] = {}
    code = NUM2WORDS_LANGUAGE.get(language, language)
    try:
        for n in range(2, 101):
            spelled = num2words(n, lang=code).lower()
            words.setdefault(spelled, n)
            words.setdefault(spelled.replace("-", " "), n)
    except NotImplementedError:
        pass
    for word, value in (grammar().get(language, {}).get("words") or {}).items():
        words[str(word).lower()] = value
    return words


def _alternation(phrases, folded: bool = False) -> str:
    """Longest first. Folded (for case-folded text, no IGNORECASE): the phrases case-folded
    and grouped by their first letter, so a position is tried against one group only."""
    if not folded:
        return "|".join(re.escape(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))
    groups: dict[str, list[str]] = {}
    for p in sorted({case_fold(str(p)) for p in phrases}, key=lambda p: (-len(p), p)):
        groups.setdefault(p[:1], []).append(re.escape(p[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())


@lru_cache(maxsize=None)
def _language_patterns(language: str, folded: bool = False) -> dict:
    """The language's patterns; `folded`: the same for case-folded text, without
    IGNORECASE (faster; see find_quantities)."""
    g = grammar().get(language) or grammar()["en"]
    words = number_words(language)
    scale = {str(k).lower(): v for k, v in (g.get("scale") or {}).items()}
    vague = {str(k).lower(): tuple(v) for k, v in (g.get("vague") or {}).items()}
    vague.update({str(k).lower(): DOZEN for k in g.get("dozen") or []})
    qualifiers: dict[str, str] = {}
    for kind, phrases in (g.get("qualifiers") or {}).items():
        for phrase in phrases:
            qualifiers.setdefault(str(phrase).lower(), QUALIFIERS[kind])
    flags = 0 if folded else re.IGNORECASE

    def alt(phrases) -> str:
        return _alternation(phrases, folded)

    digits = r"\d{1,3}(?:(?P<sep>[.,'’" + _SPACES + r"])\d{3}(?!\d))(?:(?P=sep)\d{3}(?!\d))*(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
    atom = rf"(?P<digits>{digits})|(?<![\w-])(?P<vague>{alt(vague)})(?![\w-])|(?<![\w-])(?P<word>{alt(list(words) + list(scale))})(?![\w-])"
    months = alt(month_names()) if folded else month_pattern()[3:-4]
    return {
        "atom": re.compile(atom, flags),
        "half_after": re.compile(rf"[{_SPACES}]+(?:{alt(g.get('half') or ['-'])})(?![\w-])", flags),
        "scale_after": re.compile(rf"[{_SPACES}]*({alt(scale)})(?![\w-])", flags),
        # "щонайменше до 158", "tot zeker 158": a preposition may stand between.
        "qualifier_before": re.compile(rf"(?<![\w-])({alt(qualifiers)})[{_SPACES}]+(?:(?:{alt(g.get('range') or [])})[{_SPACES}]+)?$", flags),
        "range_after": re.compile(rf"[{_SPACES}]*(?:{alt(g.get('range') or [])})[{_SPACES}]*(?=\S)", flags),
        "between_before": re.compile(rf"(?<![\w-])(?:{alt(g.get('between') or [])})[{_SPACES}]+$", flags),
        "clock_before": re.compile(rf"(?<![\w-])(?:{alt(g.get('clock') or [])})[{_SPACES}]+$", flags),
        # Numbers that are dates or clock times rather than counts: next to a month name,
        # followed by a clock suffix, or written as 05:00.
        "not_counts": re.compile(rf"[{_SPACES}]*(?:\.?[{_SPACES}]*(?:{months})\.?(?!\w)|[:.]\d\d(?!\d)|[{_SPACES}]*(?:a\.?m\.?|p\.?m\.?|o'clock|uhr|h\d\d)(?!\w))", flags),
        "month_before": re.compile(rf"(?<!\w)(?:{months})\.?[{_SPACES}]*$", flags),
        "weekday_before": re.compile(rf"(?<!\w)(?:{alt(sorted(day_names()))})[{_SPACES}]*\($", flags),
        "words": words, "scale": scale, "vague": vague, "qualifiers": qualifiers,
        "decimal": get_decimal_symbol(locale(language if language in grammar() else "en")),
    }


def parse_digits(token: str, language: str) -> float | None:
    """A digit string in the language's conventions: "30.000" is 30000 in nb/de/da,
    "30,000" is 30000 in en, "1,5" is 1.5 in nb."""
    decimal = _language_patterns(language)["decimal"]
    group_marks = (",", "'", "’", *_SPACES) if decimal == "." else (".", "'", "’", *_SPACES)
    for mark in group_marks:
        if mark in token and re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+(?:[.,]\d+)?", token):
            head, _, tail = token.partition(mark)
            whole = head + token[len(head):].replace(mark, "")
            if decimal in whole[len(head):]:
                integer, _, frac = whole.rpartition(decimal)
                return float(f"{integer}.{frac}")
            return float(whole.replace(".", "").replace(",", "")) if decimal == "," else float(whole.replace(",", ""))
    if decimal == "," and "," in token:
        return float(token.replace(".", "").replace(",", "."))
    if decimal == "." and "," in token:
        return None
    try:
        return float(token)
    except ValueError:
        return None


def interval(value: float, qualifier: str) -> tuple[float, float]:
    """The values a qualifier allows around a stated number: "more than 40" admits 41
    but not 12; "at least seven" admits seven."""
    if qualifier == ABOUT:
        spread = max(value * 0.1, 1.0)
        return value - spread, value + spread
    if qualifier == MORE_THAN:
        return value + min(1.0, value * 0.001), value * 1.25 + 1
    if qualifier == AT_LEAST:
        return value, value * 1.25 + 1
    if qualifier == ALMOST:
        return value * 0.85, value
    if qualifier == UP_TO:
        return value * 0.5, value
    if qualifier == LESS_THAN:
        return value * 0.5, value - min(1.0, value * 0.001)
    return value, value


BETWEEN_REACH = 40  # characters of "between" before a range ("entre", "mellom", "zwischen")


def find_quantities(text: str, language: str) -> list[Quantity]:
    """Every count in `text` read with `language`'s number conventions and words."""
    # The patterns run on the case-folded text without IGNORECASE (faster), unless its
    # lower case is not its folding (see timex.find); their groups are only read in lower case.
    folded = lower_if_folded(text)
    pats, subject = ((_language_patterns(language, True), folded) if folded is not None
                     else (_language_patterns(language), text))
    atom = pats["atom"]
    found: list[Quantity] = []
    position = 0
    while True:
        match = atom.search(subject, position)
        if not match:
            break
        parsed = _read_atom(subject, match, pats, language)
        position = match.end()
        if parsed is None:
            continue
        value, low, high, end, qualifier = parsed
        # A range: "80,000 to 100,000", "80.000–100.000", "between 80,000 and 100,000".
        start = match.start()
        joined = pats["range_after"].match(subject, end)
        second = atom.match(subject, joined.end()) if joined else None
        if second is None:
            bare = SPACES.match(subject, end)  # "80,000 100,000"
            second = atom.match(subject, bare.end()) if bare and match.group("digits") else None
            if second is not None and not second.group("digits"):
                second = None
        if second is not None:
            other = _read_atom(subject, second, pats, language)
            shared = _scale_after(subject, second, second.end(), pats)
            if other is not None and shared and end == match.end() and match.group("digits"):
                scaled = value * pats["scale"][shared.group(1).lower()]
                if scaled <= other[0]:
                    value = scaled  # "12-14 millones", "between 5 and 10 million": the scale is both numbers'
            if other is not None and other[0] > value and qualifier in (EXACT, ABOUT):
                between = pats["between_before"].search(subject, max(0, start - BETWEEN_REACH), start)
                if between:
                    start = between.start()
                found.append(Quantity(start, other[3], value, value, other[0], RANGE, text[start:other[3]], match.start()))
                position = other[3]
                continue
        qualified = pats["qualifier_before"].search(subject, max(0, start - 40), start)
        if qualified and qualifier == EXACT:
            qualifier = pats["qualifiers"][qualified.group(1).lower()]
            low, high = interval(value, qualifier)
            start = qualified.start()
        found.append(Quantity(start, end, value, low, high, qualifier, text[start:end], match.start()))
        position = max(position, end)
    return [q for q in found if all(abs(v) < LARGEST_EXACT for v in (q.value, q.low, q.high))]


# Past 2**53 a float no longer holds every whole number: a figure that large would be
# shown as one the text never wrote (and a 310-digit one is infinite), so it is no count.
LARGEST_EXACT = float(2 ** 53)


def _read_atom(text: str, match: re.Match, pats: dict, language: str):
    """(value, low, high, end, qualifier) for one number token, or None for a date,
    a year or a clock time."""
    end = match.end()
    if match.group("vague"):
        low, high = pats["vague"][match.group("vague").lower()]
        if (low, high) == DOZEN:
            return 12.0, float(low), float(high), end, ABOUT
        return float(low), float(low), float(high), end, VAGUE
    if pats["not_counts"].match(text, end) or pats["month_before"].search(text, max(0, match.start() - 20), match.start()):
        return None
    if match.group("digits"):
        token = match.group("digits")
        if match.start() > 0 and text[match.start() - 1].isalpha():
            return None  # G20, A4, MH17
        if match.start() > 1 and text[match.start() - 1] in ":." and text[match.start() - 2].isdigit():
            return None  # the minutes of 4:17
        if len(token) > 1 and token[0] == "0" and token[1].isdigit():
            return None  # 04.17, 08: a clock time or a code; no count is written so
        if pats["weekday_before"].search(text, max(0, match.start() - 30), match.start()):
            return None  # "na segunda-feira (6)": the day of the month
        value = parse_digits(token, language)
        if value is None:
            return None
        if value <= 24 and value == int(value) and pats["clock_before"].search(text, max(0, match.start() - 20), match.start()) \
                and not PERCENT_NEXT.match(text, end) and not pats["scale_after"].match(text, end):
            return None  # an hour ("at 12"; not "at 12%" nor "at 18 million")
        if YEAR.fullmatch(token) and not pats["scale_after"].match(text, end):
            return None  # a year
        if end < len(text) and text[end] in "-/" and end + 1 < len(text) and text[end + 1].isdigit() \
                and not _scaled_hyphen_range(text, match, end, pats):
            return None  # 1-0, 24/7, 2022-11-11 (but "12-14 millones", "$2-3bn": a range)
        if end < len(text) and text[end].isalpha() and not pats["scale_after"].match(text, end) and not (
                _unit_patterns(language if language in grammar() else "en")[0].match(text, end)):
            return None  # 24th, 3D, 1er (but "9.6bn", "400m-long")
    else:
        word = match.group("word").lower()
        if len(word) == 1:
            return None  # "m" alone is a metre or a letter, not a million
        value = float(pats["words"].get(word) or pats["scale"].get(word))
    half = pats["half_after"].match(text, end)
    if half:
        value += 0.5
        end = half.end()
    scaled = _scale_after(text, match, end, pats)
    if scaled:
        value *= pats["scale"][scaled.group(1).lower()]
        end = scaled.end()
    return value, value, value, end, EXACT


def _scaled_hyphen_range(text: str, match: re.Match, end: int, pats: dict) -> bool:
    """Whether a hyphen after a number joins it to a second number with a scale word:
    "12-14 millones", "$2-3bn" are ranges; a score or a date has no scale word."""
    second = HYPHEN_NUMBER.match(text, end)
    return bool(second and _scale_after(text, match, second.end(), pats))


HYPHEN_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def _scale_after(text: str, match: re.Match, end: int, pats: dict) -> re.Match | None:
    """The scale word after a number ("million", "bn"), if any: a single letter only
    after a currency sign ("$916m" is millions, "400 m" metres)."""
    scaled = pats["scale_after"].match(text, end)
    if scaled and len(scaled.group(1)) == 1 and not _has_currency_sign(text[max(0, match.start() - 1):match.start()]):
        return None
    return scaled


def overlap(intervals) -> tuple[float, float] | None:
    """The values every interval admits, or None when they have none in common."""
    intervals = list(intervals)
    low = max(i[0] for i in intervals)
    high = min(i[1] for i in intervals)
    return (low, high) if low <= high + 1e-9 else None


def format_number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def describe(low: float, high: float) -> str:
    """An interval in plain English: "7", "about 30,000", "between 24 and 99"."""
    if abs(high - low) < 1e-9:
        return format_number(low)
    return f"between {format_number(round(low))} and {format_number(round(high))}"


# ---------------------------------------------------------------- units and currencies

@dataclass(frozen=True)
class Unit:
    """What a number is stated in: "unit:length-kilometer" (a CLDR unit id) or
    "currency:USD" (an ISO 4217 code), and the words that say so, as written."""

    concept: str
    text: str
    start: int
    end: int


LOCALE_VARIANTS = ("", "_001", "_150", "_419", "_GB", "_PT")  # "kilometres", "tonnes" beside "kilometers"
CONNECTORS = ("de", "d'", "d’", "di", "of")  # "916 millions de dollars"


def _variants(language: str) -> list:
    found = []
    for suffix in LOCALE_VARIANTS:
        try:
            found.append(locale(language + suffix))
        except (ValueError, LookupError, UnknownLocaleError):
            continue
    return found


@lru_cache(maxsize=1)
def _currencies_in_use() -> dict[str, int]:
    """ISO code → how many territories use it today (CLDR): the more, the likelier a bare "$"."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    used: dict[str, int] = {}
    for territory in get_global("territory_currencies"):
        for code in get_territory_currencies(territory):
            used[code] = used.get(code, 0) + 1
    return used


@lru_cache(maxsize=None)
def _home_currencies(language: str) -> frozenset[str]:
    """The currencies of the language's own country (CLDR likely subtags): Danish "kr." is DKK."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    territory = get_global("likely_subtags").get(language, "").split("_")[-1]
    return frozenset(get_territory_currencies(territory)) if territory.isalpha() and territory.isupper() else frozenset()


def _likeliest(codes: set[str], language: str) -> str:
    used = _currencies_in_use()
    return min(codes, key=lambda c: (c not in _home_currencies(language), -used.get(c, 0), c))


@lru_cache(maxsize=None)
def unit_names(language: str) -> dict[str, str]:
    """Words that state a unit after a number in `language` → concept: CLDR's unit
    names (long and short, every plural form), CLDR's currency names and signs,
    ISO codes, and the bare currency nouns of numbers.yml. Keys are lower case, except
    codes and abbreviations of one or two letters ("USD", "m", "t", "kr"), kept as written."""
    found: dict[str, set[str]] = {}

    def add(form: str, concept: str) -> None:
        form = SPACES.sub(" ", form).strip()
        if form and form != "°":  # a bare degree sign could be Celsius or Fahrenheit
            found.setdefault(_form_key(form), set()).add(concept)

    used = _currencies_in_use()
    listed = grammar()["currency_nouns"]
    order = ["unit:" + unit for unit in grammar()["units"]]
    for loc in _variants(language):
        patterns = loc._data["unit_patterns"]
        for unit in grammar()["units"]:
            for widths in (patterns.get(unit) or {}).values():
                for plural, pattern in widths.items():
                    if plural != "per" and pattern.startswith("{0}"):
                        add(pattern[3:], "unit:" + unit)
        for code, name in loc.currencies.items():
            if code in used:
                # One-word names only of the listed currencies: "bolivianos" and "leones"
                # are also people and lions ("3 bolivianos murieron").
                for full in {name, *(loc._data.get("currency_names_plural", {}).get(code) or {}).values()}:
                    if code in listed or len(SPACES.sub(" ", full).strip().split(" ")) > 1:
                        add(full, "currency:" + code)
    for loc in _variants(language) + ([] if language == "en" else [locale("en")]):  # "$" and "£" in any language
        for code, symbol in loc.currency_symbols.items():
            # Letters alone ("L", "Br", "K") are signs of some currency and words or units
            # of others: only signs with a currency symbol in them, and the listed currencies'.
            if code in used and symbol != code and (code in listed or _has_currency_sign(symbol)):
                add(symbol, "currency:" + code)
    for word in (grammar().get(language) or {}).get("not_units") or []:
        found.pop(_form_key(str(word)), None)
    for code in listed:
        add(code, "currency:" + code)  # ISO codes of the listed ones only: "ALL", "TOP" and "SOS" are words too
        for noun in listed[code].get(language) or []:
            add(str(noun), "currency:" + code)
    out = {}
    for form, concepts in found.items():
        currencies = {c.split(":")[1] for c in concepts if c.startswith("currency:")}
        units = sorted(c for c in concepts if c.startswith("unit:"))
        if currencies and not (units and not _has_currency_sign(form)):
            out[form] = "currency:" + _likeliest(currencies, language)
        else:
            out[form] = min(units, key=lambda u: order.index(u))  # "toneladas": metric tonnes before short tons
    return out


def _has_currency_sign(text: str) -> bool:
    return any(unicodedata.category(ch) == "Sc" for ch in text)


def _form_key(form: str) -> str:
    return form if len(form) <= 2 or form.isupper() else form.lower()


@lru_cache(maxsize=None)
def _unit_patterns(language: str) -> tuple[re.Pattern, re.Pattern]:
    """(a unit right after a number, a currency sign or code right before one)."""
    names = unit_names(language)

    def alternation(forms) -> str:
        return "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))

    short = [f for f in names if _form_key(f) == f and f.lower() != f]  # as written: "USD", "MW", "L"
    short += [f for f in names if len(f) <= 2 and f.lower() == f]
    long = [f for f in names if f not in short]
    words = alternation(c for c in CONNECTORS if c[-1].isalpha())
    elided = alternation(c for c in CONNECTORS if not c[-1].isalpha())
    case_letters = int((grammar().get(language) or {}).get("unit_case_letters") or 0)
    ending = rf"[^\W\d_]{{0,{case_letters}}}" if case_letters else ""
    # a connector word stands apart from the unit: "5,2 del túnel" is no "5,2 de l"
    after = re.compile(rf"[{_SPACES}-]?(?:(?:{words})[{_SPACES}]+|(?:{elided})[{_SPACES}]*)?"
                       rf"(?:(?P<long>(?i:{alternation(long)})){ending}|(?P<short>{alternation(short)}))(?![^\W\d_])")
    signs = [f for f, concept in names.items() if concept.startswith("currency:") and (
        _has_currency_sign(f) or f.isupper() or len(f) <= 2)]
    before = re.compile(rf"(?<![^\W\d_])(?P<sign>{alternation(signs)})[{_SPACES}]?$")
    return after, before


def unit_of(text: str, q: Quantity, language: str) -> Unit | None:
    """The unit a number is stated in: a unit or currency right after it ("400 metres",
    "a 400-metre ship", "74 km/h", "9,6 milliarder dollar", "916 millions de dollars") or a currency sign
    or code right before it ("$9.6 billion", "USD 916 million"); None for a bare number."""
    code = language if language in grammar() else "en"
    after, before = _unit_patterns(code)
    names = unit_names(code)
    sign = before.search(text, max(0, q.number_start - 8), q.number_start)
    if sign:
        return Unit(names[_form_key(sign.group("sign"))], sign.group("sign"), sign.start("sign"), sign.end("sign"))
    unit = after.match(text, q.end)
    if unit:
        form = unit.group("long") or unit.group("short")
        return Unit(names[form if unit.group("short") else form.lower()], form,
                    unit.start("long") if unit.group("long") else unit.start("short"), unit.end())
    return None


def unit_label(concept: str) -> str:
    """A unit concept in the reader's words (CLDR English): "kilometers", "US dollars"."""
    kind, _, ident = concept.partition(":")
    english = locale("en")
    if kind == "currency":
        plural = english._data.get("currency_names_plural", {}).get(ident) or {}
        return plural.get("other") or english.currencies.get(ident, ident)
    pattern = (english._data["unit_patterns"].get(ident) or {}).get("long", {}).get("other", ident)
    return SPACES.sub(" ", pattern.replace("{0}", "")).strip()
