"""Locale knowledge drawn from data packages (Babel's CLDR) and the builder's data files.

Everything here is computed on first use and cached; no lists of names are typed in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml
from babel import Locale

# Languages the builder identifies and tags; BCP 47 codes (Norwegian Bokmål is nb).
SUPPORTED_LANGUAGES = ("en", "nb", "nn", "da", "sv", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk")
# The language the dossier's own pages are written in (templates, theme, labels).
READER_LANGUAGE = "en"


def data_file(name: str) -> dict:
    """One of the builder's word lists, builder/data/<name>.yml, parsed by libyaml
    where PyYAML has it (six times faster than the Python parser: these files are
    read by every build, a one-article rebuild included)."""
    text = resources.files("builder").joinpath(f"data/{name}.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@lru_cache(maxsize=None)
def chrome_phrases() -> dict[str, list[str]]:
    """The site-chrome vocabulary in builder/data/chrome.yml, lower-cased."""
    data = data_file("chrome")
    return {kind: sorted({p.lower() for p in phrases}) for kind, phrases in data.items()}


@lru_cache(maxsize=None)
def place_codes() -> frozenset[str]:
    """Country codes (ISO 3166 alpha-2 and alpha-3, from pycountry) and the common
    abbreviations of unions of countries: capitals that name places, not outlets
    or agencies ("EU > Politics", "talks with NATO")."""
    import pycountry

    codes = {c.alpha_2 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.countries}
    return frozenset(codes | {"EU", "UK", "UN", "USA", "NATO", "UAE"})


@lru_cache(maxsize=None)
def locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def language_names(code: str) -> tuple[str, str]:
    """(English name, name in the language itself), e.g. ("Norwegian Bokmål", "norsk bokmål")."""
    try:
        loc = locale(code)
    except (ValueError, LookupError):
        return code, code
    english = loc.get_display_name("en") or code
    native = loc.get_display_name(loc) or english
    return english, native


@lru_cache(maxsize=None)
def month_names() -> dict[str, int]:
    """Every CLDR month name and abbreviation (format and stand-alone, all supported
    languages), lower-cased and without a trailing dot, mapped to its month number."""
    names: dict[str, int] = {}
    for code in SUPPORTED_LANGUAGES:
        months = locale(code).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    key = name.lower().rstrip(".")
                    if len(key) >= 3:
                        names.setdefault(key, number)
    # English-language sites abbreviate September as "Sept"; CLDR has "Sep".
    names.setdefault("sept", 9)
    # Russian and Ukrainian newsrooms write three letters ("8 фев"), CLDR four or more
    # ("февр."): the first three letters of each month, where no other month shares them.
    for code in ("ru", "uk"):
        wide = locale(code).months["format"]["wide"]
        prefixes = [name.lower()[:3] for name in wide.values()]
        for number, name in wide.items():
            prefix = name.lower()[:3]
            if prefixes.count(prefix) == 1:
                names.setdefault(prefix, number)
    return names


@lru_cache(maxsize=None)
def month_pattern() -> str:
    """A regex alternation matching any month name (longest first), with optional dot."""
    names = sorted(month_names(), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(n) for n in names) + r")\.?"


@lru_cache(maxsize=None)
def relative_time_pattern() -> re.Pattern:
    """Matches a whole "29 minutes ago" / "for 2 timer siden" / "vor 3 Stunden" line in
    any supported language, built from CLDR's relative-time patterns."""
    alternatives = set()
    for code in SUPPORTED_LANGUAGES:
        fields = locale(code)._data["date_fields"]
        for unit in ("second", "minute", "hour", "day", "week"):
            for width in ("", "-short"):
                entry = fields.get(unit + width)
                past = entry.get("past") if entry else None
                if not past:
                    continue
                for pattern in past.values():
                    alternatives.add(re.escape(pattern).replace(r"\{0\}", r"\d+"))
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(rf"^(?:{body})\.?$", re.IGNORECASE)


def lunr_language(code: str) -> str | None:
    """The search-index language MkDocs Material offers for a BCP 47 code, if any."""
    base = code.split("-")[0]
    mapping = {"nb": "no", "nn": "no", "no": "no", "uk": "ru"}
    lunr = {"ar", "da", "de", "du", "en", "es", "fi", "fr", "hi", "hu", "hy", "it", "ja", "kn",
            "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta", "te", "th", "tr", "vi", "zh"}
    candidate = mapping.get(base, base)
    return candidate if candidate in lunr else None


@lru_cache(maxsize=None)
def day_names() -> frozenset[str]:
    """Every CLDR weekday name and abbreviation in the supported languages, lower-cased."""
    names: set[str] = set()
    for code in SUPPORTED_LANGUAGES:
        days = locale(code).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.update(name.lower().rstrip(".") for name in days[context][width].values())
    return frozenset(n for n in names if len(n) >= 3)


@lru_cache(maxsize=None)
def entity_words() -> dict[str, dict[str, frozenset[str]]]:
    """Per-language grammar words for naming and typing entities (builder/data/entity_words.yml)."""
    data = data_file("entity_words")
    return {lang: {kind: frozenset(str(w).lower() for w in words) for kind, words in kinds.items()}
            for lang, kinds in data.items()}


LANGUAGE_NAME_LETTERS = 5  # a language's name shorter than this is too like other words ("Thai")
NAME_ENDING_LETTERS = 5  # letters a case ending may add to a name's stem ("hiszpans|kiego")


@lru_cache(maxsize=None)
def language_name_stems() -> dict[str, str]:
    """A language's name as CLDR writes it in a supported language, in Latin letters
    and lower case, without its last two letters when long ("spanisch" → "spanis",
    so "Spanischen" is found) → the language's code; languages with a two-letter code."""
    from anyascii import anyascii

    stems: dict[str, str] = {}
    for code in SUPPORTED_LANGUAGES:
        for language, name in sorted(locale(code).languages.items()):
            key = anyascii(name).lower()
            if len(language) != 2 or not key.isalpha() or len(key) < LANGUAGE_NAME_LETTERS:
                continue
            stems.setdefault(key[:-2] if len(key) >= 7 else key, language)
    return stems


def translation_source(text: str, own_language: str | None = None) -> tuple[str, str] | None:
    """The language a translation notice says its text was translated from ("This article
    was translated automatically from Spanish", "aus dem Spanischen maschinell übersetzt"):
    (code, the name as written), the first language named other than `own_language`;
    None for a text that is no such notice (chrome.yml: translation_words and
    translation_notice_words)."""
    from anyascii import anyascii

    low = text.lower()
    chrome = chrome_phrases()
    if not any(phrase in low for phrase in chrome["translation_notice_words"]):
        return None
    if not _translation_word().search(low):
        return None
    stems = language_name_stems()
    for word in re.findall(r"[^\W\d_]+", text):
        key = anyascii(word).lower()
        for length in range(len(key), LANGUAGE_NAME_LETTERS - 3, -1):
            code = stems.get(key[:length])
            if code and len(key) - length <= NAME_ENDING_LETTERS and length >= min(LANGUAGE_NAME_LETTERS, len(key)):
                if code != own_language:
                    return code, word
                break
    return None


@lru_cache(maxsize=1)
def _translation_word() -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, chrome_phrases()["translation_words"])) + ")")

