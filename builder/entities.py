"""Stage: names in the articles become entities, merged across languages and spellings.

No list of names is needed. Per article (`extract_names`, cacheable): runs of
capitalised words in body sentences, with the words around them that say what they
are (a title before, a speech verb after, an article or a preposition before, an
institution word before, an abbreviation in parentheses after). After a title, what
completes it comes off the name ("prezydent Turcji Ayşe Nur Kaya").
Across the corpus (`find_entities`):

1. Filter: sentence-initial common words, day and month names, bare titles and
   (in German, where every noun is capitalised) dictionary nouns are not names.
2. Group spellings: names that fold to the same key ("Kharkiv", "Jarkov", "Харків"),
   inflected forms of a known name ("Spaniens", "Іспанії", "Valencia-regionen"),
   the same gazetteer place ("Lisbon", "Lisboa"), and close spellings compared only
   within blocks of the same folded prefix (near-linear, never all pairs):
   single words by Jaro-Winkler, multi-word names by their last word with
   compatible first words, so "Anna Berg" never meets "Anna Bergström"; and a
   name with the abbreviation given after it ("Organização Mundial da Saúde (OMS)").
   Two names the gazetteer puts in different places are never merged: a false
   merge is worse than a missed one.
3. A surname alone joins the full name it follows in the same article (or the
   only full name in the corpus with that surname).
4. Second pass: every known form is found again case-insensitively ("lisbon").
5. Type from the evidence gathered, with a confidence; the reasons are kept.

Adjectives made from place names ("Spanish", "spanske") become their own
entities of type "other", linked to the place, never mentions of it.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

from builder import corpus, lexicon
from builder.clean import AGENCY_LIST, NAME_PARTICLES
from builder.gazetteer import Place, best_place, find_places, fold, shouted, territories
from builder.language import primary
from builder.locale_data import READER_LANGUAGE, SUPPORTED_LANGUAGES, day_names, entity_words, month_names
from builder.model import (ERROR, ORGANISATION, OTHER, PERSON, PLACE, WARNING, Alias, Article, Entity,
                           Mention, Problem, pickled_by_fields)
from builder.sentences import sentence_at, sentence_spans
from builder.timex import ZONE_ABBREVIATIONS

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
ELISION = re.compile(r"^(?:[ldjmnstcq]|qu|dell|all|dall|nell|sull)['’](?=[^\W\d_])", re.I)
HYPHENATED_ENDING = re.compile(r"-([^\W\d_]+)$")
POSSESSIVE = re.compile(r"['’]s?$|(?<=[^\W\d_])['’][^\W\d_]{1,2}$")
SPELLING_THRESHOLD = 0.88  # Jaro-Winkler on folded spellings; see notes/nlp.md
FIRST_NAME_THRESHOLD = 0.85
LOOSE_FIRST_NAME_THRESHOLD = 0.75  # one given name of a three-word name, transliterated
MAX_NAME_WORDS = 6


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class NameOccurrence:
    """One capitalised name in a sentence, with the words around it that hint at its type."""

    article: str
    paragraph: int
    start: int
    end: int
    text: str
    language: str
    sentence_start: int
    sentence_end: int
    sentence_initial: bool = False
    title: str = ""  # a title word right before: "president", "talsmann"
    speech: str = ""  # a speech verb right after (or "according to" before)
    determiner: bool = False  # "the X", "der X"
    preposition: bool = False  # "in X"
    suffix: str = ""  # a stripped compound ending: "-regionen"
    known_word: bool = False  # a dictionary word in the paragraph's language
    apposition: str = ""  # an organisation or place word right before or after: "agency", "elva"
    lead: int = 0  # length up to the second word, when the first opens the sentence and is a dictionary word
    abbreviation: str = ""  # its initials in parentheses right after: "Organização Mundial da Saúde (OMS)"
    parenthesised: bool = False  # an abbreviation in parentheses after a name: the "OMS" of "(OMS)"
    dateline: bool = False  # in capitals before the comma of a dateline: "ROMA, 07 FEB"
    completes: str = ""  # the title it completes, standing between it and a name: "главы" in "главы МЧС Петрова"


# --- per article ------------------------------------------------------------------


@lru_cache(maxsize=None)
def words_for(language: str) -> dict[str, frozenset[str]]:
    """Grammar words for a language, with English's added (titles travel in translations).
    Made once per language (asked for every paragraph): not to be changed by callers."""
    table = entity_words()
    own = table.get(language.split("-")[0], {})
    english = table["en"]
    return {kind: own.get(kind, frozenset()) | (english[kind] if kind in ("titles", "speech") else frozenset())
            for kind in english}


def capitalises_nationality(language: str) -> bool:
    """Whether a language writes words of nationality with a capital ("Spanish", "die
    Spanier"); where it does not ("russo", "svensk"), a capitalised one inside a
    sentence is a name ("Marco Russo"). Languages without word lists: assumed to."""
    own = entity_words().get(language.split("-")[0])
    return own is None or bool(own.get("nationality_capitals"))


@lru_cache(maxsize=1)
def organisation_words() -> frozenset[str]:
    """Organisation words of every language: names travel untranslated ("Verkhovna Rada")."""
    return frozenset(w for kinds in entity_words().values() for w in kinds["organisation"])


@lru_cache(maxsize=200_000)
def is_common_word(word: str, language: str) -> bool:
    """A word the language's dictionary knows as an ordinary (lower-case) word
    (in German, where nouns are capitalised in the dictionary too, any known word)."""
    lang = language.split("-")[0]
    if lang not in SUPPORTED_LANGUAGES:
        return False
    return lexicon.is_common(word.lower(), lang)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Geographic feature words of every language ("River", "Sea", "elva")."""
    return frozenset(w for kinds in entity_words().values() for w in kinds["place_words"])


def is_title(low: str, words: dict[str, frozenset[str]]) -> bool:
    """A title word (`low` in lower case, `words` = words_for(its language)), or in the
    languages that write compounds as one word a compound ending in a title
    ("kanalchef", "regierungssprecher"): a title, not part of the name after it."""
    return low in words["titles"] or _ends_in_title(low, words["title_heads"])


@lru_cache(maxsize=1 << 14)
def _ends_in_title(low: str, heads: frozenset[str]) -> bool:
    return bool(_compound_ending(low, heads))


def _compound_ending(low: str, heads, before: int = 3) -> str:
    """The first of `heads` (lower case) that ends the lower-case word `low` after at
    least `before` letters: the head of a compound ("hafenbehörde" → "behörde")."""
    return next((head for head in heads if low.endswith(head) and len(low) - len(head) >= before), "")


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


def extract_names(article: Article) -> list[NameOccurrence]:
    """Every capitalised name in the article's body sentences, with its context."""
    found: list[NameOccurrence] = []
    for p in article.body_paragraphs:
        language = (p.language or article.language.value or "und").split("-")[0]
        words = words_for(language)
        tokens = list(WORD.finditer(p.text))
        if _is_title_case(tokens):
            continue
        headline = _title_case_quotes(p.text)
        if headline:
            tokens = [t for t in tokens if not any(a <= t.start() < b for a, b in headline)]
        starts = [t.start() for t in tokens]
        connectors = words["connectors"]
        joining = connectors | words["institution_connectors"]
        for s_start, s_end in sentence_spans(p.text):
            first = bisect_left(starts, s_start)
            sentence_tokens = tokens[first:bisect_left(starts, s_end)]
            for run, first_in_sentence in _institution_runs(_runs(p.text, sentence_tokens, joining, s_start, words),
                                                            words, language):
                while len(run) > 1 and DOTTED_LETTER.fullmatch(run[-1].group()) and LEGAL_FORM_GO_ON.match(
                        p.text, run[-1].end()):
                    run = run[:-1]  # "Azul S.A.", "Pumpeservice A/S", "Sindicato N°1": an abbreviation's letter is no name
                if len(run) == 1 and _currency_sign(p.text, run[0]):
                    continue
                quoted = _quoted(p.text, run[0].start(), run[-1].end())
                first_in_sentence = first_in_sentence and not (quoted and len(run) > 1)
                position = bisect_left(starts, run[0].start(), first) - first
                title = _title_context(p.text, sentence_tokens, position, words)
                after_title = bool(title)
                carried = ""  # the title before a complement belongs to the name after it
                # a quotation kept in its language opens with that language's words ("«Estamos vivos»")
                opener_language = _span_language(p, run[0].start(), language) if first_in_sentence else language
                for piece, complement in _split_run(run, words, first_in_sentence, language, after_title, quoted,
                                                      _title_languages(title, language)):
                    occurrence = _occurrence(article.id, p.index, p.text,
                                             opener_language if piece[0] is run[0] else language, piece, sentence_tokens,
                                             s_start, s_end, words, first_in_sentence and piece[0] is run[0],
                                             complement, carried)
                    carried = occurrence.completes if occurrence and complement else ""
                    if occurrence:
                        found.append(occurrence)
    return found


DOTTED_LETTER = re.compile(r"[^\W\d_]")
LEGAL_FORM_GO_ON = re.compile(r"[./][^\W\d_]|[°º]\s?\d")  # "S.A.", "A/S", "S.p.A."; "N°1", "Nº 2"
def _currency_sign(text: str, token: re.Match) -> bool:
    """A currency written with letters at a number: "US$ 12", "R$ 1", "USD 12 millones", "12 EUR"."""
    if CURRENCY_SYMBOL.match(text, token.end()):
        return True
    return token.group() in currency_codes() and bool(
        NUMBER_AFTER.match(text, token.end()) or NUMBER_BEFORE.search(text, 0, token.start()))


CURRENCY_SYMBOL = re.compile(r"[$€£¥₽₴₹]")  # after letters: "US$", "R$", "A$"
NUMBER_AFTER = re.compile(r"[ \u00a0]?\d")
NUMBER_BEFORE = re.compile(r"\d[ \u00a0]?$")


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes CLDR knows ("USD", "CLP")."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _span_language(p, position: int, language: str) -> str:
    """The language of the span of another language at `position` of a paragraph, or
    just after it (language identification may leave out a quotation's first word)."""
    for span in p.spans:
        if span.start - SPAN_LEAD_CHARS <= position < span.end:
            return span.language.split("-")[0]
    return language


SPAN_LEAD_CHARS = 16  # how far before a span of another language its first word may stand


MAX_TITLE_GAP = 2  # lower-case words between a title and the name it is completed by
TITLE_FULL_STOP = re.compile(r"\.[ \u00a0]+")  # after an abbreviated title ("Dr. ", "Prof. ")


def _title_context(text: str, sentence: list[re.Match], position: int, words: dict[str, frozenset[str]]) -> str:
    """The title standing before the token at `position`, right before or with up to
    MAX_TITLE_GAP lower-case words completing it ("ministro norvegese della", "міністр
    рибальства", "President of"), nothing but spaces between ("" if none): the run
    that follows may begin with the rest of the title's complement ("Pesca",
    "Норвегії")."""
    for i in range(position - 1, max(-1, position - 2 - MAX_TITLE_GAP), -1):
        token = sentence[i]
        gap = text[token.end():sentence[i + 1].start()]
        low = token.group().lower()
        # a title in lower case in another language's words is one too: "the ministra de Minería X"
        # in a machine translation (in capitals it could be a name: "Marek Ministro")
        titled = is_title(low, words) or (token.group().islower() and low in titles_of_every_language())
        if not gap.isspace() and not (i == position - 1 and TITLE_FULL_STOP.fullmatch(gap) and titled):
            return ""  # (but "Dr. Anna Berg": a title cut short before the name)
        if titled:
            return low
        if _capitalised(token.group()) or low in words["speech"]:
            return ""
    return ""


def _title_languages(title: str, language: str) -> tuple[str, ...]:
    """The other languages a title is a title in, when it is none in the text's own
    ("ministra" in English text): their words may complete it."""
    if not title or is_title(title, words_for(language)):
        return ()
    return tuple(code for code, kinds in sorted(entity_words().items()) if title in kinds["titles"])


@lru_cache(maxsize=1)
def titles_of_every_language() -> frozenset[str]:
    """Titles of all the languages: a quoted sentence in another language keeps its
    title ("Kapitan Eirik Sulstad" in a Ukrainian paragraph)."""
    return frozenset(w for kinds in entity_words().values() for w in kinds["titles"])


def _is_title_case(tokens: list[re.Match]) -> bool:
    """A headline pasted as a body line: every word of four letters or more capitalised
    (an ordinary sentence full of names still has lower-case verbs and nouns)."""
    long_words = [t.group() for t in tokens if len(t.group()) >= 4]
    return len(long_words) >= 4 and all(_capitalised(w) for w in long_words)


QUOTED = re.compile(r"[\"“«„‘]([^\"”»“‘’]{12,400})[\"”»“’]")


def _title_case_quotes(text: str) -> list[tuple[int, int]]:
    """Quoted headlines inside a sentence (“Valencia Returns to …”): their capitals mark
    style, not names, so discovery skips them (the second pass still finds known names)."""
    spans = []
    for match in QUOTED.finditer(text):
        if _is_title_case(list(WORD.finditer(match.group(1)))):
            spans.append(match.span(1))
    return spans


OPENER = re.compile(r"[“\"«„‘:–—]")
OPENING_QUOTE = re.compile(r"[“\"«„‘»]\s?$")
CLOSING_QUOTE = re.compile(r"^\s?[”\"»“’«]")


def _quoted(text: str, start: int, end: int) -> bool:
    """A run standing alone in quotation marks ("Nordstern", «Nordstern», „Nordstern“):
    a name as written, every word of it, wherever it stands in the sentence."""
    return bool(OPENING_QUOTE.search(text[max(0, start - 2):start]) and CLOSING_QUOTE.match(text[end:end + 2]))


def _runs(text: str, tokens: list[re.Match], connectors: frozenset[str], sentence_start: int,
          words: dict[str, frozenset[str]] | None = None):
    """Maximal runs of capitalised words separated by spaces only; one lower-case
    connector ("of", "de") may join two capitalised words. Yields (run, starts_sentence):
    a run opens a sentence when it is the first word, or follows a quotation mark,
    colon or dash (“No.”, "– Kyiv vil ikke"). In the languages that write an
    institution's inner words in lower case (`words`: words_for(language)), a run
    with an institution word goes on through them (`_lower_case_tail`)."""
    run: list[re.Match] = []
    pending: list[re.Match] = []
    starts_sentence = False
    tail_endings = words["institution_tail_adjectives"] if words else frozenset()
    separating = words["separating_articles"] if words else frozenset()
    genitive_heads = bool(words) and bool(words["genitive_institutions"])
    tail = 0  # lower-case words taken into the run after its institution word
    for i, token in enumerate(tokens):
        if (run and not pending and token.group().lower() in separating and not _capitalised(token.group())
                and run[-1].group().lower() not in connectors):
            yield run, starts_sentence  # "di Livorno la Stella Polare": an article alone begins the next name
            run, tail = [], 0
            continue
        if _capitalised_word(token.group()):
            adjacent = bool(run) and text[(pending or run)[-1].end():token.start()].isspace()
            if adjacent and len(run) < MAX_NAME_WORDS:
                run += pending + [token]
            else:
                if run:
                    yield run, starts_sentence
                before = text[tokens[i - 1].end() if i else sentence_start:token.start()]
                run, starts_sentence, tail = [token], i == 0 or bool(OPENER.search(before)), 0
            pending = []
        elif (run and len(pending) < (2 if tail_endings else 1) and token.group().lower() in connectors
              and text[(pending or run)[-1].end():token.start()].isspace()):
            pending.append(token)
        elif (genitive_heads and run and not pending and len(run) == 1 and run[0].group().endswith("s")
              and text[run[-1].end():token.start()].isspace() and _institution_noun(token.group().lower())):
            run.append(token)  # "Statens kystverk", "Sveriges riksdag": one institution's name
        elif tail_endings and run and _lower_case_tail(text, run, pending, token, tail, tail_endings, words):
            run += pending + [token]
            pending, tail = [], tail + 1
        else:
            if run:
                yield run, starts_sentence
            run, pending, tail = [], [], 0
    if run:
        yield run, starts_sentence


def _institution_runs(runs, words: dict[str, frozenset[str]], language: str):
    """Runs cut where a conjunction or preposition of institution names ("and", "on",
    "i") does not sit inside one: it stays when the whole run has an organisation word,
    the words after it are dictionary words ("Search and Rescue Service", "Urzędu
    Żeglugi i Ratownictwa", "Commission on Maritime Safety"), and
    neither side is a country or a possessive ("Norway and Denmark's Navy",
    "Lisbon on Monday": two names)."""
    inner = words["institution_connectors"]
    for run, starts_sentence in runs:
        while True:
            cut = next((k for k, token in enumerate(run) if token.group().lower() in inner
                        and not _inside_institution(run, k, words, language)), None)
            if cut is None:
                break
            left = run[:cut]
            while left and left[-1].group().lower() in words["connectors"]:
                left = left[:-1]
            if left:
                yield left, starts_sentence
            run, starts_sentence = run[cut + 1:], False
            while run and not _capitalised_word(run[0].group()):
                run = run[1:]
        if run:
            yield run, starts_sentence


def _inside_institution(run: list[re.Match], k: int, words: dict[str, frozenset[str]], language: str) -> bool:
    left, right = run[:k], [t for t in run[k + 1:] if t.group().lower() not in words["connectors"]]
    if not left or not right or run[k + 1].group().lower() in words["connectors"]:
        return False  # "Ministero della Salute e della Difesa": a second institution
    if not _has_org_word(" ".join(t.group() for t in run)):
        return False
    names = [t.group() for t in left if t.group().lower() not in words["connectors"]]
    if (len(names) == 1 and _territory(names[0], {language})) or (len(right) == 1 and _territory(right[0].group(), {language})):
        return False
    return all(not POSSESSIVE.search(t.group()) and t.group().lower() not in day_names()
               and t.group().lower() not in month_names()
               and (is_common_word(t.group(), language) or ELISION.sub("", t.group()).lower() in organisation_words())
               for t in right)


def _institution_noun(low: str) -> bool:
    """An organisation word, or a compound ending in one ("kystverk")."""
    return low in organisation_words() or _ends_in_org_word(low)


MAX_TAIL_WORDS = 3  # "Autorité du port de X", "Agence nationale de sécurité maritime": lower-case words at most


def _lower_case_tail(text: str, run: list[re.Match], pending: list[re.Match], token: re.Match, tail: int,
                     endings: frozenset[str], words: dict[str, frozenset[str]]) -> bool:
    """Whether a lower-case word goes on an institution's name: after a connector
    ("Ministero della pesca", "Autorité du port de X"), or with an adjective's ending
    right after the institution word or such a word ("Agence nationale de sécurité
    maritime"); never an elided word,
    a speech verb ("l'Agence indique"), or more than MAX_TAIL_WORDS of them."""
    word = token.group()
    low = word.lower()
    if tail >= MAX_TAIL_WORDS or len(run) + len(pending) >= MAX_NAME_WORDS or len(word) < 3 or "'" in word \
            or "’" in word or low in words["speech"] or low in words["connectors"] \
            or not text[(pending or run)[-1].end():token.start()].isspace():
        return False
    if not any(ELISION.sub("", t.group()).lower() in organisation_words() for t in run):
        return False
    if pending:
        return True
    before = ELISION.sub("", run[-1].group()).lower()
    return (tail or before in organisation_words()) and any(low.endswith(e) and len(low) > len(e) + 2 for e in endings)


@lru_cache(maxsize=1 << 16)
def _capitalised_word(word: str) -> bool:
    """Capitalised once an elided article or a name's particle is taken off
    ("l'Ukraine", "d'Italia", "al-Hamdani", "el-Masri")."""
    bare = PARTICLE.sub("", ELISION.sub("", word))
    return bool(bare) and _capitalised(bare)


PARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ibn|bin|bint|ben|abu|abd)[-‐‑](?=[^\W\d_])")


def _split_run(run: list[re.Match], words: dict, sentence_initial: bool, language: str,
               after_title: bool = False, quoted: bool = False,
               title_languages: tuple[str, ...] = ()) -> list[tuple[list[re.Match], bool]]:
    """Take titles out of a run: "Foreign Minister Anna Berg" → "Anna Berg";
    "Government Spokesman Jan Berg" → "Government", "Jan Berg". Organisation names
    keep their titles ("Prime Minister's Office"), but not a title the organisation
    completes ("Chef der Hafenbehörde", "President of the Harbour Board"). After a
    title, the title's complement comes off the name (`_complement`). A quoted run
    is kept whole. Returns (piece, is a complement)."""
    if quoted:
        return [(run, False)]
    descriptor = HYPHENATED_ENDING.search(run[0].group()) if len(run) > 1 else None
    if descriptor and descriptor.group(1)[:1].islower() and _org_word(descriptor.group(1)):
        run = run[1:]  # "Tromsø-rederiet Halvik Ferries": the company is described, then named
    lowered = [t.group().lower() for t in run]
    head = next((i for i in range(len(run) - 2) if is_title(lowered[i], words)
                 and lowered[i + 1] in words["connectors"]), None)
    if head is not None and any(w in organisation_words() for w in lowered[head + 2:]):
        rest = run[head + 2:]
        while rest and rest[0].group().lower() in words["connectors"]:
            rest = rest[1:]
        return ([(run[:head], False)] if head and _split_run(run[:head], words, sentence_initial, language) else []) \
            + ([(rest, True)] if rest else [])
    if any(w in organisation_words() for w in lowered[1:]) or (len(run) > 1 and lowered[0] in organisation_words()):
        pieces = [run]
        titled = [after_title]
    else:
        pieces, current, titled = [], [], []
        follows_title = after_title
        for token, low in zip(run, lowered):
            if is_title(low, words) or (token is run[0] and len(run) >= 3 and len(low) >= 4
                                        and low in titles_of_every_language()):
                if current and not _qualifies_title(current, language):
                    pieces.append(current)
                    titled.append(follows_title)
                current, follows_title = [], True
            else:
                current.append(token)
        if current:
            pieces.append(current)
            titled.append(follows_title)
    pieces = [(part, complement, follows) for piece, follows in zip(pieces, titled)
              for part, complement in (_complement(piece, (language, *title_languages), words["connectors"])
                                       if follows else [(piece, False)])]
    out = []
    for piece, complement, follows in pieces:
        # "Präsident Karim Nasser": after a title the words are a name, whatever else they mean
        if language == "de" and not (follows and not complement):
            if not any(t.group().lower() in organisation_words() for t in piece):
                while piece and is_common_word(piece[0].group(), language) and len(piece) > 1:
                    piece = piece[1:]  # "Osten Spaniens": German nouns are capitalised
                while piece and is_common_word(piece[-1].group(), language) and len(piece) > 1:
                    piece = piece[:-1]
            else:  # "(Nach) Angaben der Behörde": the nouns before the organisation are not its name
                piece = piece[_organisation_start(piece, language, words["connectors"]):]
        while piece and piece[-1].group().lower() in words["connectors"]:
            piece = piece[:-1]
        while piece and not _capitalised_word(piece[0].group()):
            piece = piece[1:]  # a connector left in front ("i Valencia" after "Officials")
        if piece:
            out.append((piece, complement))
    return out


def _qualifies_title(piece: list[re.Match], language: str) -> bool:
    """Dictionary words before a title, none an institution: the title's qualifier, not a
    name ("Norwegian Fisheries Minister"); one word stays a name ("Government Spokesman")."""
    return len(piece) >= 2 and all(is_common_word(t.group(), language) and not _org_word(t.group()) for t in piece)


def _organisation_end(piece: list[re.Match], connectors: frozenset[str]) -> int:
    """After a title, where an organisation's name ends and a person's name begins: after
    the last organisation or company word that two or three capitalised words follow
    ("Prezes Halvik Ferries Anna Brekke", "директорка Norvik Shipping Анна Берг");
    0 if none does."""
    for j in range(len(piece) - 3, -1, -1):
        word = ELISION.sub("", piece[j].group())
        low = word.lower()
        if low in organisation_words() or (low in company_words() and (len(word) > 3 or sum(c.isupper() for c in word) >= 2)):
            rest = piece[j + 1:]  # a person's name: two or three capitalised words, no "del", no "de"
            return j + 1 if 2 <= len(rest) <= 3 and not any(
                t.group().lower() in connectors or _org_word(t.group()) for t in rest) else 0
    return 0


def _organisation_start(piece: list[re.Match], language: str, connectors: frozenset[str]) -> int:
    """Where an organisation's name begins in a German run that holds one: after the
    last connector that only ordinary nouns come before ("Nach Angaben der Behörde",
    "Schätzungen des Fachblatts"), else at the start ("Amt für Statistik")."""
    start = 0
    for i, token in enumerate(piece[:-1]):
        word = token.group()
        if word.lower() in connectors:
            if i and any(t.group().lower() in organisation_words() for t in piece[i + 1:]):
                start = i + 1
            continue
        if not is_common_word(word, language) or _org_word(word):
            break
    return start


def _complement(piece: list[re.Match], languages: tuple[str, ...], connectors: frozenset[str]
                ) -> list[tuple[list[re.Match], bool]]:
    """Split what completes a title from the name after it: a country ("prezydent Turcji
    Ayşe Nur Kaya", "президент Польщі Анна Коваль") or an abbreviation ("глава МЧС
    Иван Петров") is a name of its own; a dictionary word ("ministro degli Esteri
    Marco Rossi") is not a name. At most two words, and two words of the name must
    stay (one after an abbreviation: "главы МЧС Петрова"). `languages`: the text's, then
    those of a title in another language ("the ministra de Minería X": Spanish words)."""
    out: list[tuple[list[re.Match], bool]] = []
    rest = piece
    organisation = _organisation_end(rest, connectors)
    if organisation:
        out.append((rest[:organisation], True))
        return out + [(rest[organisation:], False)]
    for _ in range(2):
        names = [t for t in rest if t.group().lower() not in connectors]
        if len(names) < 2:
            break
        first = rest[0].group()
        if ELISION.sub("", first).lower() in organisation_words():
            break  # "presidente de la Autoridad del Canal": the institution is a name
        if _is_abbreviation(first) or (len(names) >= 3 and _territory(first, {languages[0]})):
            out.append(([rest[0]], True))
        elif not (len(names) >= 3 and any(is_common_word(first, code) for code in languages)):
            break  # (a dictionary word is dropped: not a name of its own)
        rest = rest[1:]
        while rest and rest[0].group().lower() in connectors:
            rest = rest[1:]
    return out + ([(rest, False)] if rest else [])


def _territory(word: str, languages: set[str]) -> tuple[Place, ...]:
    """The country or region a word names, inflected or not ("Turcji", "України",
    "Туреччині"): its folded form, or that form less up to four letters (five left at
    least), begins a territory's name that is at most three letters longer. A word
    with an adjective ending of its languages is not inflected ("Russian", "German")."""
    key = fold(word)
    if " " in key:
        return ()
    exact = territories().get(key)
    if exact:
        return exact
    low = word.lower()
    if any(low.endswith(e) for lang in languages for e in entity_words().get(lang, {}).get("adjective_endings", ())):
        return ()
    prefixes = _territory_prefixes()
    for n in range(len(key), max(4, len(key) - 5), -1):
        if key[:n] in prefixes:
            return prefixes[key[:n]]
    return ()


@lru_cache(maxsize=1)
def _territory_prefixes() -> dict[str, tuple[Place, ...]]:
    """Territory names (one word) by their beginnings of five letters or more that
    leave at most three letters off."""
    table: dict[str, set[Place]] = defaultdict(set)
    for key, places in territories().items():
        if " " not in key and len(key) >= 5:
            for n in range(max(5, len(key) - 3), len(key) + 1):
                table[key[:n]].update(places)
    return {prefix: tuple(sorted(places, key=lambda p: p.id)) for prefix, places in table.items()}


def _title_before(sentence: list[re.Match], position: int, words: dict) -> str:
    """A title word right before the token at `position`, or a two-word title ending there."""
    before = [t.group().lower() for t in sentence[max(0, position - 2):position]]
    title = next((w for w in reversed(before) if is_title(w, words)), "")
    if title and before[-1] != title and not is_title(before[-1], words):
        return ""
    return title


def _char_before(text: str, position: int) -> str:
    """The last character before `position` that is not white space ("" if none):
    `text[:position].rstrip()[-1:]` without copying the text before it, asked for every
    name of a paragraph."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return text[position - 1] if position else ""


def _occurrence(article_id: str, paragraph: int, text: str, language: str, piece: list[re.Match],
                sentence: list[re.Match], s_start: int, s_end: int, words: dict,
                sentence_initial: bool, complement: bool = False, carried_title: str = "") -> NameOccurrence | None:
    """`complement`: the piece completes the title before it ("Turcji" in "prezydent
    Turcji Ayşe Nur Kaya"), whose title then passes to the name (`carried_title`)."""
    start, end = piece[0].start(), piece[-1].end()
    head = ELISION.match(text[start:end])
    if head:
        start += head.end()
    surface = text[start:end]
    suffix = ""
    last = piece[-1].group()
    hyphen = HYPHENATED_ENDING.search(last)
    if hyphen and hyphen.group(1)[:1].islower():  # "Valencia-regionen" → "Valencia"
        suffix = "-" + hyphen.group(1)
        end -= len(hyphen.group())
    possessive = POSSESSIVE.search(text[start:end])
    if possessive and end - start - len(possessive.group()) >= 2:
        end -= len(possessive.group())
    abbreviation = ""
    spelled_out = ABBREVIATED.match(text, end) if text.find("(", end, end + 120) != -1 else None
    if spelled_out and _is_abbreviation(spelled_out.group(2)):
        spelled = WORD.findall(text[start:end]) + WORD.findall(spelled_out.group(1))
        if _initials_match(spelled_out.group(2), spelled):
            abbreviation = spelled_out.group(2)
            end = spelled_out.end(1)  # "Myndigheten för samhällsskydd och beredskap (MSB)": the whole name
        elif not spelled_out.group(1) and _has_org_word(text[start:end]):
            abbreviation = spelled_out.group(2)  # "Serviço Geológico dos Estados Unidos (USGS)": translated
    set_off_abbreviation = COMMA_ABBREVIATION.match(text, end) if not abbreviation else None
    if set_off_abbreviation and _has_org_word(text[start:end]) and _is_abbreviation(set_off_abbreviation.group(1)):
        abbreviation = set_off_abbreviation.group(1)  # "Statens kustmyndighet, SKM, kommer …"
    surface = text[start:end]
    if len(surface) < 2 or not any(c.isalpha() for c in surface):
        return None
    low = surface.lower()
    if len(piece) == 1 and (low in day_names() or low in month_names() or is_title(low, words)):
        return None
    position = sentence.index(piece[0])
    before = [t.group().lower() for t in sentence[max(0, position - 2):position]]
    after_index = sentence.index(piece[-1]) + 1
    after = [t.group().lower() for t in sentence[after_index:after_index + 2]]
    title = "" if complement else carried_title or _title_before(sentence, position, words)
    if title and len(piece) == 1 and _territory(surface, {language}):
        title = ""  # "консул Литви": the title's country
    completes = _title_before(sentence, position, words) if complement else ""
    following = sentence[after_index:after_index + 2]
    verb = next((t for t in following if t.group().lower() in words["speech"]), None)
    # "…in Spain, said the minister", "…Spanien, oplyser myndighederne": after a comma the
    # verb has its own subject; but "Novak, 54, said" and "his spokesman, Jan Novak, said"
    # (a name set off by commas) still speak.
    gap = text[end:verb.start()] if verb else ""
    set_off = _char_before(text, start) == ","
    speech = verb.group().lower() if verb and (
        "," not in gap or set_off or AGE.fullmatch(gap)) else ""
    if not speech and before and before[-1] in words["speech"]:
        speech = before[-1]
    # Only the words the name touches, across spaces alone ("ministra do Mar, Joana …",
    # "dos Açores (RIA)" are no appositions), and place words of its own language ("dal"
    # is "from the" in Italian, a valley in Norwegian).
    # An institution may stand after a comma ("the Coast Guard, Kustbevakningen").
    touching, set_apart = [], []
    for word, gap in ((after[:1], text[piece[-1].end():following[0].start()] if following else ""),
                      (before[-1:], text[sentence[position - 1].end():piece[0].start()] if before else "")):
        if word and not gap.strip(" \u00a0\"“”„«»‘’"):  # spaces and quotation marks: "des Fachblatts „Lloyd's List“"
            touching.append(word[0])
        elif word and gap.strip() == ",":
            set_apart.append(word[0])
    apposition = next((w for w in touching if w in organisation_words() or w in words["place_words"]), "") \
        or next((w for w in set_apart if w in organisation_words()), "")
    if before and before[-1] == apposition and not title and not complement:
        # "Przewodniczący komisji Jan Wrona", "la portavoce del cantiere, Giulia Rinaldi":
        # the institution completes the title before it
        title = _title_context(text, sentence, position - 1, words)
        apposition = "" if title else apposition
    if not apposition and before and before[-1] in touching:
        # "ministerie van Buitenlandse Zaken", "rampenbestrijdingsdienst AFAD", "katastrofmyndigheten AFAD"
        institution = before[-2] if len(before) == 2 and before[-1] in words["connectors"] else before[-1]
        apposition = institution if institution in organisation_words() or _ends_in_org_word(institution) else ""
    lead = 0
    institution = len(piece) > 1 and piece[1].group().islower() and piece[1].group() not in words["connectors"]  # "Statens kystverk"
    if sentence_initial and len(piece) > 1 and not institution and (
            is_common_word(piece[0].group(), language)
                                                 or piece[0].group().lower() in organisation_words()):
        second = next((t for t in piece[1:] if _capitalised(ELISION.sub("", t.group()))), piece[1])
        elided = ELISION.match(second.group())  # "Selon l'Autorité …": the name begins after "l'"
        lead = second.start() + (elided.end() if elided else 0) - start  # "The Bundestag", "Despite Madrid": decided across the corpus
    return NameOccurrence(
        article=article_id, paragraph=paragraph, start=start, end=end, text=surface, lead=lead,
        language=language, sentence_start=s_start, sentence_end=s_end,
        sentence_initial=sentence_initial, title=title, speech=speech,
        determiner=bool(before) and before[-1] in words["determiners"],
        preposition=bool(before) and before[-1] in words["place_prepositions"],
        suffix=suffix, apposition=apposition,
        known_word=len(piece) == 1 and is_common_word(surface, language),
        abbreviation=abbreviation, completes=completes,
        dateline=shouted(surface) and text[end:end + 1] == "," and bool(DATELINE_OPENING.fullmatch(text[:start])),
        parenthesised=len(piece) == 1 and _is_abbreviation(surface) and _after_a_name(text, start, end),
    )


DATELINE_OPENING = re.compile(rf"\s*(?:{AGENCY_LIST}\s*[-–—]?\s*)?")  # "(ANSA) - " before "ROMA, 07 FEB"
COMMA_ABBREVIATION = re.compile(r",\s*([^\W\d_]{2,8}),")  # "the Safety Board, NTSB, said"
AGE = re.compile(r"\s*,\s*\d{1,3}\s*,\s*")  # "Novak, 54, said"

# "Name (ABC)", or "Name of lower-case words (ABC)" when the initials run through them.
ABBREVIATED = re.compile(r"((?:\s+[^\W\d_]+){0,6}?)\s*\(([^\W\d_]{2,8})\)")


@lru_cache(maxsize=1 << 14)
def _ends_in_org_word(word: str) -> bool:
    """A compound ending in an organisation word of five letters or more
    ("rampenbestrijdingsdienst", "katastrofmyndigheten", "Gesundheitsministerium")."""
    return bool(_compound_ending(word, _long_org_words(), before=1))


@lru_cache(maxsize=1)
def _long_org_words() -> tuple[str, ...]:
    return tuple(sorted(w for w in organisation_words() if len(w) >= 5))


def _after_a_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands in parentheses right after a word in ordinary case:
    "Saúde (OMS)", "Berg (SPD)"; not a dateline's credit, "MADRID (EFE)",
    "VALENCIA, 30 oct (EFE) - "."""
    if text[start - 1:start] != "(" or text[end:end + 1] != ")" or re.match(r"\)\s*[-–—.:]", text[end:end + 4]):
        return False
    before = re.search(r"([^\W\d_]+)\s*\($", text[max(0, start - 60):start])
    return bool(before) and not shouted(before.group(1))


def _is_abbreviation(word: str) -> bool:
    """"OMS", "USGS", "МЧС", "PiS": two capitals or more, at most eight letters."""
    return 2 <= len(word) <= 8 and word[:1].isupper() and sum(c.isupper() for c in word) >= 2


def _initials_match(abbreviation: str, words: list[str]) -> bool:
    """Whether the abbreviation's capitals are initials of the words, in order, from the
    first word to the last ("Organização Mundial da Saúde" → OMS; not "Anna Berg" → SPD)."""
    capitals = [c for c in abbreviation if c.isupper()]
    initials = [w[0].upper() for w in words]
    if initials[1:2] == capitals[:1] and initials[:1] != capitals[:1]:
        initials = initials[1:]  # a sentence's first word before the name: "A Organização…"
    if not capitals or not initials or capitals[0] != initials[0] or capitals[-1] != initials[-1]:
        return False
    position = 0
    for letter in capitals:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


# --- across the corpus --------------------------------------------------------------


@dataclass
class _Form:
    """A distinct written form of a name and what the corpus says about it."""

    text: str
    occurrences: list[NameOccurrence]
    key: str = ""
    places: tuple[Place, ...] = ()
    demonym_of: str = ""  # a place name the form is an adjective of

    @property
    def words(self) -> list[str]:
        return self.key.split()


class _UnionFind:
    def __init__(self, items: list[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_entities(articles: list[Article], occurrences: list[NameOccurrence] | None = None,
                  curation: dict | None = None, cache=None) -> list[Entity]:
    """The entity index for a corpus. `occurrences` may come from a cache of
    `extract_names` results; `curation` is the parsed corpus/entities.yml; `cache`
    (an ArticleCache) keeps the gazetteer's answers between builds."""
    if occurrences is None:
        occurrences = [o for a in sorted(articles, key=lambda a: a.id) for o in extract_names(a)]
    agencies = {ag.value.lower() for a in articles for ag in a.agencies if ag.value}
    leading = _leading_words(occurrences)
    places = _lookup_places(occurrences, cache, {w for words in leading.values() for w in words})
    occurrences = _split_leading_places(occurrences, leading, places)
    occurrences = _drop_lowercase_words(_filter(occurrences, places), articles)
    forms = _forms(occurrences, places=places)
    groups = _group(forms)
    assignment = _assign_surnames(forms, groups, occurrences)
    assignment.update(_assign_institution_words(forms, groups))
    extra = _second_pass(articles, forms, occurrences)
    for occurrence, matched in extra:
        assignment[(occurrence.article, occurrence.paragraph, occurrence.start)] = groups.find(matched)
    occurrences = occurrences + [occurrence for occurrence, _ in extra]
    forms = _forms(occurrences, forms)
    entities = _make_entities(forms, groups, assignment, occurrences, agencies, articles)
    if curation:
        entities = apply_curation(entities, curation)
    return entities


def _filter(occurrences: list[NameOccurrence], places: dict[str, tuple[Place, ...]]) -> list[NameOccurrence]:
    """Drop what only looks like a name because of where it stands: a dictionary word
    that opens a sentence and is never capitalised inside one elsewhere in the corpus
    ("The Bundestag" → "Bundestag", but "Anna Example" stays whole), and a German
    noun (capitalised like every noun) unless it is a name by other evidence: a
    title or speech verb, a place the gazetteer knows ("von China nach Rotterdam";
    not "das Essen"), or a name where another language writes it as no word of its own."""
    inner_words = set()
    for o in occurrences:
        words = WORD.findall(o.text[o.lead:] if o.lead else o.text)
        inner_words.update(words if not o.sentence_initial or o.lead else words[1:])
    trimmed = []
    for o in occurrences:
        if o.lead and WORD.findall(o.text)[0] not in inner_words:
            o = replace(o, start=o.start + o.lead, text=o.text[o.lead:], lead=0, sentence_initial=False,
                        known_word=" " not in o.text[o.lead:] and is_common_word(o.text[o.lead:], o.language))
        trimmed.append(o)
    occurrences = trimmed
    mid_sentence = {o.text for o in occurrences if not o.sentence_initial}
    named_elsewhere = {o.text for o in occurrences if not o.sentence_initial and not o.known_word}
    # "der Behörde" where the article names one "Hafenbehörde": `_assign_institution_words`
    institutions = {(o.article, word) for o in occurrences for word in _institution_words(o.text)}
    keep = []
    for o in occurrences:
        if " " not in o.text and _calendar_or_title(o.text, o.language):
            continue
        if o.sentence_initial and " " not in o.text and o.text not in mid_sentence and o.known_word:
            continue  # "Meanwhile", "Despite", "Alle"
        if (o.known_word and o.language == "de" and not (o.title or o.speech) and o.text not in named_elsewhere
                and (o.article, o.text.lower()) not in institutions and not _names_a_place(o, places)):
            continue  # a German common noun
        keep.append(o)
    return keep


def _leading_words(occurrences: list[NameOccurrence]) -> dict[NameOccurrence, tuple[str, ...]]:
    """Names of three words or more right after a place preposition, with the forms their
    first word may be inflected from ("Krakowie" → "Krakow"): the place a run may begin
    with ("w Krakowie Rimas Kazlauskas")."""
    leading = {}
    for o in occurrences:
        if not o.preposition or o.lead or o.abbreviation or _has_org_word(o.text):
            continue
        words = o.text.split()
        if len(words) >= 3 and WORD.fullmatch(words[0]) and _capitalised(words[1]):
            leading[o] = (words[0], *_stems(_Form(words[0], [o])))
    return leading


def _split_leading_places(occurrences: list[NameOccurrence], leading: dict[NameOccurrence, tuple[str, ...]],
                          places: dict[str, tuple[Place, ...]]) -> list[NameOccurrence]:
    """A place the gazetteer knows that opens a run after a place preposition is a name
    of its own, and so is the rest ("у Кракові Рімас Казлаускас" → "Кракові",
    "Рімас Казлаускас"): in the languages that inflect names the person's name after
    it would be inflected too, were it governed by the preposition."""
    if not leading:
        return occurrences
    named: set[str] = set()  # the folded names written anywhere, made when a small city needs them

    def named_alone(form: str) -> bool:
        if not named:
            named.update(fold(text) for text in {o.text for o in occurrences})
        return fold(form) in named

    out = []
    for o in occurrences:
        forms = leading.get(o)
        # a city called like a first name ("Anna", "Florence") only when big or named on its own
        if not forms or not any(p.kind != "city" or p.population >= BIG_CITY or named_alone(f)
                                for f in forms for p in places.get(f.lower(), ())):
            out.append(o)
            continue
        first = forms[0]
        rest = len(first) + len(o.text[len(first):]) - len(o.text[len(first):].lstrip())
        out.append(replace(o, end=o.start + len(first), text=first, title="", speech="", apposition="",
                           completes="", known_word=is_common_word(first, o.language)))
        out.append(replace(o, start=o.start + rest, text=o.text[rest:], preposition=False, sentence_initial=False))
    return out


def _lookup_places(occurrences: list[NameOccurrence], cache=None,
                   extra: set[str] = frozenset()) -> dict[str, tuple[Place, ...]]:
    """Gazetteer places for the corpus's names, by lower-case name. A single word the
    dictionary also knows ("China", "Hamburg" in German; "Nice" in French) keeps only
    the places it cannot be mistaken for: a country or region other than the world,
    or a city of 100,000 people or more (not the towns called "Mehr" or "Waren")."""
    known: dict[str, bool] = {}
    inside: set[str] = set()  # written inside a sentence somewhere: an opening dictionary word is no name (`_filter`)
    dateline = set()
    for o in occurrences:
        known[o.text] = known.get(o.text, True) and o.known_word and " " not in o.text
        if not o.sentence_initial:
            inside.add(o.text)
        if o.lead:  # "I New York" may lose its first word (`_filter`)
            rest = o.text[o.lead:]
            known[rest] = known.get(rest, True) and " " not in rest and is_common_word(rest, o.language)
            inside.add(rest)
        if o.dateline:
            dateline.add(o.text)
    names = {text for text, only_known in known.items() if len(text) >= 3 and (not only_known or text in inside)}
    # A dateline's place in capitals is a word, not an abbreviation: looked up as one ("ROMA").
    names |= {text.title() for text in dateline}
    found = find_places(names | set(extra), cache)
    ordinary = {text.lower() for text, only_known in known.items() if only_known}
    ordinary -= {text.lower() for text, only_known in known.items() if not only_known}
    return {low: places if low not in ordinary else tuple(p for p in places if _unmistakable(p))
            for low, places in found.items()}


WORLD = "region:001"
BIG_CITY = 100_000


def _unmistakable(place: Place) -> bool:
    return place.id != WORLD and (place.kind != "city" or place.population >= BIG_CITY)


def _names_a_place(o: NameOccurrence, places: dict[str, tuple[Place, ...]]) -> bool:
    """Whether a dictionary word stands for a place here: a country or region (also
    inflected, "Ägyptens"), or a big city without an article before it."""
    found = places.get(o.text.lower(), ()) or territory_stems().get(_stem_key(o.text, {o.language}), ())
    found = tuple(p for p in found if _unmistakable(p))
    return any(p.kind != "city" for p in found) or (bool(found) and not o.determiner)


def _drop_lowercase_words(occurrences: list[NameOccurrence], articles: list[Article]) -> list[NameOccurrence]:
    """A word capitalised only where it opens a sentence, and written in lower case
    elsewhere in the corpus, is an ordinary word the dictionary did not know
    (compounds such as "Bombetrussel")."""
    initial_only: dict[str, bool] = {}
    for o in occurrences:
        if " " not in o.text:
            initial_only[o.text] = initial_only.get(o.text, True) and o.sentence_initial
    suspects = {text.lower() for text, only in initial_only.items() if only}
    if not suspects:
        return occurrences
    written: set[str] = set()  # each word of the corpus once: far fewer than its tokens
    for a in articles:
        for p in a.body_paragraphs:
            written.update(WORD.findall(p.text))
    lowercase = {w for w in written if w.lower() in suspects and w.islower()}
    return [o for o in occurrences if not (" " not in o.text and initial_only.get(o.text) and o.text.lower() in lowercase)]


def _calendar_or_title(word: str, language: str) -> bool:
    """A day, a month, a title, or a time zone ("0040 GMT"): words of names, not names."""
    low = word.lower()
    return low in day_names() or low in month_names() or word in ZONE_ABBREVIATIONS or is_title(low, words_for(language))


def _forms(occurrences: list[NameOccurrence], previous: dict[str, _Form] | None = None,
           places: dict[str, tuple[Place, ...]] | None = None) -> dict[str, _Form]:
    """The distinct written forms, with their gazetteer places (`places`, from
    `_lookup_places`) or, for the second pass, what `previous` forms knew."""
    forms: dict[str, _Form] = {}
    for o in occurrences:
        forms.setdefault(o.text, _Form(o.text, [])).occurrences.append(o)
    if previous is not None:
        for text, form in forms.items():
            if text in previous:
                form.key, form.places, form.demonym_of = previous[text].key, previous[text].places, previous[text].demonym_of
            else:
                form.key = fold(text)
        return forms
    places = places or {}
    stems = territory_stems()
    for text, form in forms.items():
        form.key = fold(text)
        form.places = places.get(text.lower(), ())
        if not form.places and " " not in text:
            form.places = stems.get(_stem_key(text, {o.language for o in form.occurrences}), ())
        if not form.places and any(o.preposition for o in form.occurrences):
            form.places = _territory(text, {o.language for o in form.occurrences})  # "у Туреччині": an inflection the endings missed
    named_countries = {p.country for f in forms.values() for p in f.places[:1] if p.kind == "country"}
    for form in forms.values():  # "Valencia" in a corpus about Spain is the Spanish one
        form.places = tuple(sorted(form.places, key=lambda p: (p.kind != "country", p.kind == "city" and p.country not in named_countries)))
    _mark_demonyms(forms)
    return forms


@lru_cache(maxsize=1)
def territory_stems() -> dict[str, tuple[Place, ...]]:
    """Country names by stem, for inflected mentions ("Іспанії", "Hiszpanię", "Spaniens")."""
    languages = set(SUPPORTED_LANGUAGES)
    return {_stem_key(key.replace(" ", ""), languages) if " " not in key else key: places
            for key, places in territories().items() if len(key) >= 4}


def _mark_demonyms(forms: dict[str, _Form]) -> None:
    """"Spanish", "spanske", "Portuguese": one word with an adjective ending that shares
    its first four letters with a country or region name, and that is not itself a
    place name. Of several such names ("Turkse": Turkije, Turkmenistan), a place the
    corpus names wins, then the longest shared beginning, then the shortest name; a
    country the corpus names that shares three letters wins over one it does not name that
    shares four ("Polish": Poland, not Polynesia), but a region does not ("Norwegian":
    Norway, not a Northern Europe the corpus names). Not a word written with its capital
    inside a sentence of a language that writes such words in lower case: "Russo" in
    Italian is a surname."""
    prefixes: dict[str, list[str]] = defaultdict(list)
    for key in territories():
        if " " not in key and len(key) >= 4:
            prefixes[key[:4]].append(key)
            prefixes[key[:3]].append(key)
    named = {p.id for f in forms.values() for p in f.places[:1]}
    endings = {lang: kinds["adjective_endings"] for lang, kinds in entity_words().items()}

    def shared(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    for form in forms.values():
        if " " in form.text or form.places or any(
                not o.sentence_initial and not capitalises_nationality(o.language) for o in form.occurrences):
            continue
        languages = {o.language for o in form.occurrences}
        low = form.text.lower()
        if not any(low.endswith(e) for lang in languages for e in endings.get(lang, ())):
            continue
        candidates = prefixes.get(form.key[:4], [])
        if candidates and not any(p.id in named for k in candidates for p in territories()[k]):
            candidates = [k for k in prefixes.get(form.key[:3], [])
                          if any(p.id in named and p.kind == "country" for p in territories()[k])] or candidates
        if candidates:
            form.demonym_of = min(candidates, key=lambda k: (
                not any(p.id in named for p in territories()[k]), -shared(k, form.key), len(k), k))


def _group(forms: dict[str, _Form]) -> _UnionFind:
    """Union spellings of one referent; see the module docstring for the rules."""
    uf = _UnionFind(sorted(forms))
    by_key: dict[str, list[str]] = defaultdict(list)
    for text, form in sorted(forms.items()):
        by_key[form.key].append(text)

    def place_of(form: _Form) -> str | None:
        place = best_place(form.places)
        return place.id if place else None

    abbreviations = {text: {o.abbreviation for o in form.occurrences if o.abbreviation} for text, form in forms.items()}

    def compatible(a: _Form, b: _Form) -> bool:
        pa, pb = place_of(a), place_of(b)
        if pa and pb and pa != pb:
            return False
        ab, bb = abbreviations.get(a.text), abbreviations.get(b.text)
        if ab and bb and not ab & bb:
            return False  # "Statens kystverk (SKV)", "Statens kustmyndighet, SKM": two boards
        return bool(a.demonym_of) == bool(b.demonym_of)

    def same_kind(a: _Form, b: _Form) -> bool:
        """"Hafenbehörde" is the harbour's authority, not a spelling of "Hafen": an
        institution and a name without one never meet by spelling alone."""
        return _has_org_word(a.text) == _has_org_word(b.text)

    # Same folded key.
    for texts in by_key.values():
        for other in texts[1:]:
            if compatible(forms[texts[0]], forms[other]):
                uf.union(texts[0], other)
    # Same gazetteer place.
    by_place: dict[str, list[str]] = defaultdict(list)
    for text, form in sorted(forms.items()):
        place = place_of(form)
        if place and not form.demonym_of and _strong_place(form):
            by_place[place].append(text)
    for texts in by_place.values():
        for other in texts[1:]:
            uf.union(texts[0], other)
    # Inflected forms: strip an ending the language uses; the stem must be a known form.
    for text, form in sorted(forms.items()):
        for stem in _stems(form):
            target = by_key.get(fold(stem))
            if target and target[0] != text and compatible(form, forms[target[0]]):
                uf.union(target[0], text)
                break
    # Inflected forms of one another: the same stem once endings are stripped.
    by_stem: dict[str, list[str]] = defaultdict(list)
    for text, form in sorted(forms.items()):
        if " " not in text and not form.demonym_of:
            by_stem[_stem_key(text, {o.language for o in form.occurrences})].append(text)
    for stem, texts in by_stem.items():
        for other in texts[1:]:
            if len(stem) >= 4 and compatible(forms[texts[0]], forms[other]) and same_kind(forms[texts[0]], forms[other]):
                uf.union(texts[0], other)
    # A name and the abbreviation given after it: "Organização Mundial da Saúde (OMS)".
    for text, form in sorted(forms.items()):
        for abbreviation in sorted({o.abbreviation for o in form.occurrences if o.abbreviation}):
            target = by_key.get(fold(abbreviation))
            if target and compatible(form, forms[target[0]]):
                uf.union(target[0], text)
    # Adjectives of one territory, in any language: "Polish", "Poolse", "polske" are one
    # entity (linked to the place), not one per language.
    by_territory: dict[str, list[str]] = defaultdict(list)
    for text, form in sorted(forms.items()):
        places = territories().get(form.demonym_of, ()) if form.demonym_of else ()
        if places:
            by_territory[places[0].id].append(text)
    for texts in by_territory.values():
        for other in texts[1:]:
            uf.union(texts[0], other)
    # A feature word added to a known name: "Ebro River", "Valencia Region"; a company
    # word: "Norvik Shipping" is "Norvik".
    for text, form in sorted(forms.items()):
        words = WORD.findall(text)
        org = _org_word(text)
        if len(words) >= 2 and (not org or (org == words[-1] and org.lower() in company_words())):
            for rest in (words[:-1] if words[-1].lower() in place_words() or org else None,
                         words[1:] if words[0].lower() in place_words() and not org else None):
                target = by_key.get(fold(" ".join(rest))) if rest else None
                if target and compatible(form, forms[target[0]]):
                    uf.union(target[0], text)
                    break
    # A feature word compounded with a known name: "Ebrofloden", "Nordseekanal" → "Nordsee".
    for text, form in sorted(forms.items()):
        languages = {o.language for o in form.occurrences} & COMPOUNDING
        if " " in text or not languages or _org_word(text):
            continue
        low = text.lower()
        bare = {low} | {low[:-len(e)] for lang in languages for e in entity_words()[lang]["inflections"]
                        if not e.startswith("-") and low.endswith(e)}  # "Nordkanalen" → "nordkanal"
        feature = sorted(((b, w) for b in bare for lang in languages for w in entity_words()[lang]["place_words"]
                          if len(w) >= 4 and b.endswith(w) and len(b) - len(w) >= 3), key=lambda bw: (-len(bw[1]), bw))
        if feature:
            bare_word, word = feature[0]
            target = by_key.get(fold(text[:len(bare_word) - len(word)]))
            if target and target[0] != text and compatible(form, forms[target[0]]):
                uf.union(target[0], text)
    # A compound's shorter form: "Hafenbehörde" after "Nordhafenbehörde", when only one
    # name of the corpus ends so.
    endings: dict[str, list[str]] = defaultdict(list)
    for text, form in sorted(forms.items()):
        if " " not in text and _compound_head(text):
            endings[_compound_head(text)].append(text)
    for texts in endings.values():
        for short in texts:
            longer = [t for t in texts if len(t) >= len(short) + 3 and t.lower().endswith(short.lower())]
            if len(longer) == 1:
                uf.union(longer[0], short)
    # An abbreviation whose letters are the initials of one organisation's name in the
    # corpus, written apart from it ("KKBWL", "Krajowa Komisja Badania Wypadków Lotniczych").
    by_initials: dict[str, set[str]] = defaultdict(set)
    for text in sorted(forms):
        if " " in text and _has_org_word(text):
            initials = "".join(ELISION.sub("", w)[:1] for w in WORD.findall(text) if _capitalised_word(w))
            if len(initials) >= 3:
                by_initials[initials.upper()].add(text)
    for text, form in sorted(forms.items()):
        names = by_initials.get(text) if len(text) >= 3 and text.isupper() else None
        if names and len({uf.find(n) for n in names}) == 1 and compatible(form, forms[min(names)]):
            uf.union(min(names), text)
    # Close spellings, compared within blocks of the same folded prefix, and of the same
    # first consonants ("Solberg", "Сульберг"), in every spelling a key may stand for.
    blocks: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for key in sorted(by_key):
        for spelling in sorted({key} | {v for text in by_key[key] for v in _spelling_variants(forms[text])}):
            words = spelling.split()
            if words and len(words[-1]) >= 4:
                blocks[(len(words), words[-1][:2])].append((spelling, key))
                blocks[(len(words), "", _consonants(words[-1]))].append((spelling, key))
    for block, entries in blocks.items():
        for i, (a, key_a) in enumerate(entries):
            for b, key_b in entries[i + 1:]:
                if key_a != key_b and (len(block) == 2 or _vowel_for_vowel(a, b)) and _same_name(a, b):
                    fa, fb = forms[by_key[key_a][0]], forms[by_key[key_b][0]]
                    if compatible(fa, fb) and same_kind(fa, fb):
                        uf.union(by_key[key_a][0], by_key[key_b][0])
    return uf


LATIN_J = re.compile(r"\b([Jj])(?=[aeiouåäöøAEIOU])")


def _spelling_variants(form: _Form) -> set[str]:
    """Keys of other transliterations a form may stand for, besides its own: Ukrainian
    "г" is an h ("Гольмвік" for "Holmvik", where Russian "г" is a g); a Latin initial
    "j" before a vowel may be a y ("Johan", "Юхан"), where the key reads it as the
    Spanish jota ("Jarkov")."""
    text = form.text
    variants = set()
    if "г" in text.lower() and any(o.language == "uk" for o in form.occurrences):
        variants.add(fold(text.replace("Г", "Х").replace("г", "х")))
    if LATIN_J.search(text):
        variants.add(fold(LATIN_J.sub(lambda m: "Y" if m.group(1) == "J" else "y", text)))
    return variants - {form.key}


def _vowel_for_vowel(a: str, b: str) -> bool:
    """Last words of the same length that differ only where one has a vowel for another
    ("solberg", "sulberg"; not "berntsen", "brentsen")."""
    x, y = a.split()[-1], b.split()[-1]
    return len(x) == len(y) and all(p == q or (p in "aeiouy" and q in "aeiouy") for p, q in zip(x, y))


def _consonants(word: str) -> str:
    """A folded word's first letter and the next two consonants: the block of spellings
    that differ in a vowel early on ("solberg", "sulberg")."""
    return word[:1] + "".join(c for c in word[1:] if c not in "aeiouy")[:2]


def _strong_place(form: _Form) -> bool:
    """A gazetteer hit worth merging on: a country or region, or a town named without
    any sign of being a person."""
    place = best_place(form.places)
    if place is None:
        return False
    if place.kind != "city":
        return True
    return not any(o.title for o in form.occurrences) and " " not in form.text


def _stem_key(text: str, languages: set[str]) -> str:
    """The folded name without the longest inflection ending its languages use
    ("Іспанії" and "Іспанія" both give "ispani")."""
    if " " in text:
        return fold(text)
    low = text.lower()
    endings = sorted({e for lang in languages for e in entity_words().get(lang, {}).get("inflections", ())
                      if not e.startswith("-") and low.endswith(e) and len(low) - len(e) >= 4}, key=len)
    return fold(text[: len(text) - len(endings[-1])] if endings else text)


def _stems(form: _Form) -> list[str]:
    """Base forms an inflected name may come from, by the endings its languages use."""
    stems = []
    text = form.text
    for lang in sorted({o.language for o in form.occurrences}):
        for ending in sorted(entity_words().get(lang, {}).get("inflections", ()), key=len, reverse=True):
            if ending.startswith("-"):
                continue
            if text.lower().endswith(ending) and len(text) - len(ending) >= 3:
                stems.append(text[: len(text) - len(ending)])
    return stems


def _same_name(a: str, b: str) -> bool:
    """Two folded names that are spellings of one name: single words by similarity;
    multi-word names by the last word, with compatible first words."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    if JaroWinkler.similarity(wa[-1], wb[-1]) < SPELLING_THRESHOLD:
        return False
    if len(wa) == 1:
        return min(len(a), len(b)) >= 5
    loose = len(wa) >= 3  # "Cemal Ali Kaya", "Джемаль Али Кая": one given name may differ more
    for x, y in zip(wa[:-1], wb[:-1]):
        if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            continue
        similarity = JaroWinkler.similarity(x, y)
        if similarity < FIRST_NAME_THRESHOLD:
            if not (loose and similarity >= LOOSE_FIRST_NAME_THRESHOLD):
                return False
            loose = False
    return True


def _second_pass(articles: list[Article], forms: dict[str, _Form],
                 occurrences: list[NameOccurrence]) -> list[tuple[NameOccurrence, str]]:
    """Known names written in lower case ("lisbon"), found by a case-insensitive look-up
    of word n-grams, so the cost is linear in the text."""
    known: dict[tuple[str, ...], str] = {}
    for text, form in forms.items():
        words = tuple(w.lower() for w in WORD.findall(text))
        opens_sentences_only = all(o.sentence_initial for o in form.occurrences)
        if words and len(text) >= 4 and not form.demonym_of and not opens_sentences_only:
            known.setdefault(words, text)
    longest = max((len(k) for k in known), default=0)
    first_words = {k[0] for k in known}
    taken = defaultdict(list)  # per paragraph: sorted (start, end) of the names already found
    for o in occurrences:
        taken[(o.article, o.paragraph)].append((o.start, o.end))
    for spans in taken.values():
        spans.sort()
    extra = []
    for article in sorted(articles, key=lambda a: a.id):
        for p in article.body_paragraphs:
            language = (p.language or article.language.value or "und").split("-")[0]
            tokens = list(WORD.finditer(p.text))
            lowered = [t.group().lower() for t in tokens]
            i = 0
            while i < len(tokens):
                if lowered[i] not in first_words or _capitalised(tokens[i].group()):
                    i += 1
                    continue
                for n in range(min(longest, len(tokens) - i), 0, -1):
                    key = tuple(lowered[i:i + n])
                    if key not in known:
                        continue
                    start, end = tokens[i].start(), tokens[i + n - 1].end()
                    if _overlaps(taken[(article.id, p.index)], start, end):
                        continue
                    if " " not in p.text[start:end] and is_common_word(p.text[start:end], language):
                        continue
                    s_start, s_end = sentence_at(p.text, start)
                    extra.append((NameOccurrence(article.id, p.index, start, end, p.text[start:end], language,
                                                 s_start, s_end), known[key]))
                    i += n - 1
                    break
                i += 1
    return extra


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping spans."""
    i = bisect_left(spans, (start, start))
    return (i < len(spans) and spans[i][0] < end) or (i > 0 and spans[i - 1][1] > start)


def _assign_surnames(forms: dict[str, _Form], uf: _UnionFind,
                     occurrences: list[NameOccurrence]) -> dict[tuple[str, int, int], str]:
    """A one-word name that is the last word of a person's full name: in an article that
    has exactly one such full name, it is that person; else, if the corpus has exactly
    one, it is that one. Returns occurrence → group root, where it differs from its form's."""
    full_by_last: dict[str, set[str]] = defaultdict(set)  # folded last word → group roots
    roots_in_article: dict[str, set[str]] = defaultdict(set)
    for text, form in forms.items():
        words = form.words
        if (len(words) >= 2 and not form.demonym_of and not _has_org_word(text) and not _route(text, forms)
                and not any(w.lower() in place_words() for w in WORD.findall(text))):  # "Canal de Varnes"
            root = uf.find(text)
            full_by_last[words[-1]].add(root)
            for o in form.occurrences:
                roots_in_article[o.article].add(root)
    by_prefix: dict[str, list[str]] = defaultdict(list)  # block surnames by their first letters
    for last in sorted(full_by_last):
        by_prefix[last[:2]].append(last)
    assignment: dict[tuple[str, int, int], str] = {}
    for text, form in forms.items():
        if len(form.words) != 1 or form.demonym_of or not form.key:
            continue
        place = best_place(form.places)
        if place is not None and (place.kind != "city" or place.population >= 100_000):
            continue
        candidates = {root for last in by_prefix.get(form.key[:2], ())
                      if last == form.key or JaroWinkler.similarity(last, form.key) >= SPELLING_THRESHOLD
                      for root in full_by_last[last]}
        if not candidates:
            continue
        for o in form.occurrences:
            local = candidates & roots_in_article[o.article]
            chosen = local if len(local) == 1 else candidates if len(candidates) == 1 and not local else set()
            if chosen:
                assignment[(o.article, o.paragraph, o.start)] = next(iter(chosen))
    return assignment


def _route(text: str, forms: dict[str, _Form]) -> bool:
    """Words joined by a hyphen alone ("Tromsø-Kirkenes", a route; "Nowak-Kowalska", a
    surname): no full name whose last word stands for it, as a person's given name and
    surname are written apart; nor places joined so ("Tromsø-Kirkenes Ferries")."""
    parts = text.split()[-1].split("-")
    return " " not in text or (len(parts) >= 2 and any(part in forms and forms[part].places for part in parts[:-1]))


def _assign_institution_words(forms: dict[str, _Form], uf: _UnionFind) -> dict[tuple[str, int, int], str]:
    """A bare institution word ("the Authority", "der Behörde") in an article that names
    exactly one organisation with that word ("Harbour Authority", "Hafenbehörde") is that
    organisation. Returns occurrence → group root."""
    by_word: dict[tuple[str, str], set[str]] = defaultdict(set)  # (article, word) → roots
    for text, form in forms.items():
        for word in _institution_words(text):
            for o in form.occurrences:
                by_word[(o.article, word)].add(uf.find(text))
    assignment = {}
    for text, form in forms.items():
        if " " in text or text.lower() not in organisation_words():
            continue
        for o in form.occurrences:
            roots = by_word.get((o.article, text.lower()), set())
            if len(roots) == 1:
                assignment[(o.article, o.paragraph, o.start)] = next(iter(roots))
    return assignment


def _institution_words(text: str) -> set[str]:
    """The bare institution words that may stand for the organisation named `text` in
    its article: its organisation word, and the head of a compound ("Hafenbehörde" →
    "behörde"); none for a bare institution word itself."""
    org = _org_word(text)
    return {org.lower(), _compound_head(org)} - {"", text.lower()} if org else set()


def _has_org_word(text: str) -> bool:
    return bool(_org_word(text))


@lru_cache(maxsize=1 << 14)
def _org_word(text: str) -> str:
    """The word that makes a name an organisation: an organisation word anywhere
    ("Ministry of Defence"), a company word or legal form ending it ("Norvik
    Shipping", "Brenner AG"; not "Marine Dubois"), or, in the languages that write
    compounds as one word, an institution word heading its last word
    ("Hafenbehörde", "Kystverket", "Havnemyndigheden")."""
    words = WORD.findall(text)
    for word in words:
        if ELISION.sub("", word).lower() in organisation_words():  # "l'Autorité", "dell'Agenzia"
            return ELISION.sub("", word)
    if not words:
        return ""
    last = words[-1]
    if len(words) >= 2 and last.lower() in company_words() and (len(last) > 3 or sum(c.isupper() for c in last) >= 2):
        return last
    return last if _compound_head(last) else ""


COMPOUNDING = frozenset({"de", "nl", "da", "nb", "nn", "sv"})  # they write "harbour authority" as one word


@lru_cache(maxsize=1)
def company_words() -> frozenset[str]:
    """Company words and legal forms of every language ("Shipping", "AG", "Reederei")."""
    return frozenset(w for kinds in entity_words().values() for w in kinds.get("company_words", ()))


@lru_cache(maxsize=1)
def _compound_heads() -> tuple[str, ...]:
    table = entity_words()
    return tuple(sorted({w for lang in COMPOUNDING for kind in ("organisation", "company_words")
                         for w in table.get(lang, {}).get(kind, ()) if len(w) >= 5}))


@lru_cache(maxsize=1 << 14)
def _compound_head(word: str) -> str:
    """The institution word a one-word compound ends in, after three letters or more
    ("Hafenbehörde" → "behörde"; not "Réunion")."""
    low = word.lower()  # a genitive too: "Kystverkets"
    return _compound_ending(low, _compound_heads()) or (low.endswith("s") and _compound_ending(low[:-1], _compound_heads()))


# --- entities -------------------------------------------------------------------------


def _make_entities(forms: dict[str, _Form], uf: _UnionFind, assignment: dict, occurrences: list[NameOccurrence],
                   agencies: set[str], articles: list[Article]) -> list[Entity]:
    members: dict[str, list[NameOccurrence]] = defaultdict(list)
    for o in occurrences:
        root = assignment.get((o.article, o.paragraph, o.start)) or uf.find(o.text)
        members[root].append(o)
    main_script = _main_script(occurrences)
    article_language = {a.id: (a.language.value or "und") for a in articles}
    texts_by_paragraph = {(a.id, p.index): p.text for a in articles for p in a.paragraphs}
    typed = []
    for root, group in members.items():
        group.sort(key=lambda o: (o.article, o.paragraph, o.start))
        texts = Counter(o.text for o in group)
        name = _display_name(texts, group, main_script, full=True)
        typed.append((group, texts, name, _type_of(name, group, forms, agencies)))
    # "Åtte år er gått siden Øyvind …" after "Øyvind Aamot": a person's first name alone
    # is the weak evidence of prepositions no more.
    given = {name.split()[0] for _, _, name, (kind, _, _) in typed if kind == PERSON and " " in name}
    drafts = []
    for group, texts, name, (kind, confidence, evidence) in typed:
        if " " not in name and name in given and kind != PERSON:
            kind, confidence, evidence = _type_of(name, group, forms, agencies, given)
        if kind != PERSON:
            name = _display_name(texts, group, main_script, full=False, article_language=article_language,
                                 place_names=_english_place_names(texts, forms) if kind == PLACE else ())
        lone = len(group) == 1 and " " not in group[0].text
        if not confidence and (all((o.known_word and o.sentence_initial) or not o.text[:1].isupper() for o in group)
                               or (lone and (group[0].sentence_initial or group[0].known_word))
                               # "Statek płonie…" quoted in an English text: a word seen
                               # only where a sentence or a quotation opens
                               or (" " not in name and all(o.sentence_initial for o in group))
                               or (lone and group[0].language == "de"
                                   and _compound_of_words(group[0].text, group[0].language))):
            continue  # a capitalised ordinary word with nothing to say it is a name ("Bergungsmannschaften")
        demonym = next((forms[t].demonym_of for t in texts if forms[t].demonym_of), "")
        aliases = []
        for text, count in sorted(texts.items(), key=lambda kv: (-kv[1], kv[0])):
            used = [o for o in group if o.text == text]
            aliases.append(Alias(text, count, sorted({o.article for o in used}),
                                 sorted({o.language or article_language.get(o.article, "und") for o in used})))
        # Interned: a name is written the same way thousands of times, and a sentence
        # may be quoted again by a fact.
        mentions = [Mention(o.article, o.paragraph, o.start, o.end, sys.intern(o.text)) for o in group]
        statements = [Mention(o.article, o.paragraph, o.sentence_start, o.sentence_end,
                              sys.intern(texts_by_paragraph[(o.article, o.paragraph)][o.sentence_start:o.sentence_end]))
                      for o in group if _speaks(o)]
        drafts.append((name, kind, confidence, evidence, aliases, mentions, statements, demonym))
    drafts.sort(key=lambda d: (-len(d[5]), d[0]))
    ids = _entity_ids([d[0] for d in drafts])
    entities = [Entity(ids[i], d[0], d[1], d[2], d[3], d[4], d[5], statements=_unique(d[6]))
                for i, d in enumerate(drafts)]
    _link_demonyms(entities, drafts, forms)
    return entities


def _speaks(o: NameOccurrence) -> bool:
    """A speech verb with the name, which is its subject: not a name after a preposition
    ("Per Lunde i Fjordkapital sier", "officials in Lisbon said": the speaker stands before)."""
    return bool(o.speech) and not o.preposition


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if (m.article, m.paragraph, m.start) not in seen:
            seen.add((m.article, m.paragraph, m.start))
            out.append(m)
    return out


def _link_demonyms(entities: list[Entity], drafts: list, forms: dict[str, _Form]) -> None:
    """An adjective links to the place entity of its territory (by gazetteer place, so
    "Turkse" finds the entity written "Turcji"), else to one whose name begins alike."""
    by_key: dict[str, str] = {}
    by_place: dict[str, str] = {}
    for entity in entities:
        if entity.type == PLACE:
            for alias in entity.aliases:
                form = forms.get(alias.text)
                by_key.setdefault(form.key if form else fold(alias.text), entity.id)
                for place in (form.places[:1] if form else ()):
                    by_place.setdefault(place.id, entity.id)
    for entity, draft in zip(entities, drafts):
        demonym = draft[7]
        if demonym:
            places = territories().get(demonym, ())
            target = by_key.get(demonym) or next((by_place[p.id] for p in places if p.id in by_place), None) or next(
                (eid for key, eid in sorted(by_key.items()) if key.startswith(demonym[:5])), None)
            place = territories()[demonym][0].name if demonym in territories() else demonym
            entity.type_evidence.append(f"adjective made from the place name '{place}'")
            if target:
                entity.links.append(target)


def _main_script(occurrences: list[NameOccurrence]) -> str:
    scripts = Counter(_script(o.text) for o in occurrences)
    return scripts.most_common(1)[0][0] if scripts else "latin"


def _script(text: str) -> str:
    return "cyrillic" if any("\u0400" <= c <= "\u04ff" for c in text) else "latin"


def _display_name(texts: Counter, group: list[NameOccurrence], main_script: str, full: bool,
                  article_language: dict[str, str] | None = None,
                  place_names: tuple[tuple[str, str], ...] = ()) -> str:
    """The most widely used form in the dossier's main script, never shouting when a
    source writes it in ordinary case ("MADRID" in a dateline, "Madrid" in the text).
    For a person, the full name (most words), then the spelling of the surname most
    articles use. For anything else, the form the reader's language uses: a country's
    or region's English name from CLDR, written by a source or not ("Spain" for
    "Spania" and "España"; the sources' spellings stay its aliases), then a form an
    article in the reader's language uses, then the form most articles use ("Spain"
    rather than "Kingdom of Spain"). A name only ever written in capitals takes its
    gazetteer name when that is the same word ("MADRID" → "Madrid"), else its letters
    in title case ("МОСКВА" → "Москва"); a short word in capitals that is no place is
    an abbreviation, not shouting, and is kept ("OMS" rather than "Oms")."""
    candidates = [t for t in texts if _script(t) == main_script] or list(texts)
    candidates = [t for t in candidates if t[:1].isupper()] or candidates

    def shouting(text: str) -> bool:  # "MADRID", not "OMS" (an abbreviation, unless a place's)
        return shouted(text) and (" " in text or len(text) > 5 or bool(place_names))

    candidates = [t for t in candidates if not shouting(t)] or candidates
    if full:
        most_words = max(len(t.split()) for t in candidates)
        candidates = [t for t in candidates if len(t.split()) == most_words]
    else:
        articles_using: dict[str, set[str]] = defaultdict(set)
        for o in group:
            articles_using[o.text].add(o.article)
        # CLDR's English names of countries and regions are current; a city's gazetteer name may be dated.
        english = {fold(n) for n, kind in place_names if kind != "city"}
        if len(english) == 1:  # one country or region: its name in the reader's language
            return next(n for n, kind in place_names if kind != "city")
        reader = {o.text for o in group
                  if primary(o.language or (article_language or {}).get(o.article, "")) == READER_LANGUAGE}
        # a bare institution word ("Behörde", "the Authority") names it only when nothing else does
        best = sorted(candidates, key=lambda t: (fold(t) not in english, t.lower() in organisation_words(),
                                                 t not in reader, -len(articles_using[t]), -texts[t], len(t), t))[0]
        if shouting(best):  # "MADRID" → "Madrid"; "МОСКВА" → "Москва"
            best = next((n for n, _ in place_names if fold(n) == fold(best)), best.title())
        return best
    last_word_articles: dict[str, set[str]] = defaultdict(set)
    for o in group:
        last_word_articles[o.text.split()[-1].lower()].add(o.article)

    def rank(text: str) -> tuple:
        return (-len(last_word_articles[text.split()[-1].lower()]), -texts[text], len(text), text)

    return sorted(candidates, key=rank)[0]


def _english_place_names(texts: Counter, forms: dict[str, _Form]) -> tuple[tuple[str, str], ...]:
    """(English name, kind) of the gazetteer places an entity's forms match."""
    return tuple(sorted({(place.name, place.kind) for t in texts if t in forms for place in forms[t].places}))


def _type_of(name: str, group: list[NameOccurrence], forms: dict[str, _Form],
             agencies: set[str], given: set[str] = frozenset()) -> tuple[str, float, list[str]]:
    """Score the four types from the evidence; confidence is the winner's share."""
    score: Counter = Counter()
    evidence: dict[str, list[str]] = defaultdict(list)

    def add(kind: str, points: float, reason: str) -> None:
        score[kind] += points
        if reason not in evidence[kind]:
            evidence[kind].append(reason)

    texts = sorted({o.text for o in group})
    if any(forms[t].demonym_of for t in texts if t in forms):
        return OTHER, 1.0, []
    for text in texts:
        org_words = [w for w in [_org_word(text)] if w]
        if org_words:
            add(ORGANISATION, 4, f"organisation word '{org_words[0]}' in '{text}'")
        if text.lower() in agencies:
            add(ORGANISATION, 4, f"'{text}' is credited as a news agency")
        feature = [w for w in WORD.findall(text) if w.lower() in place_words()]
        if feature and len(WORD.findall(text)) > 1 and not org_words:
            add(PLACE, 4, f"place word '{feature[0]}' in '{text}'")
        place = best_place(forms[text].places) if text in forms else None
        if place is not None and not org_words:
            points = 4 if place.kind != "city" else 3 if place.population >= 100_000 else 2
            add(PLACE, points, f"gazetteer: '{text}' is {place.kind} {place.name}"
                               f"{f' ({place.country})' if place.country else ''}")
    abbreviated = " " not in name and _is_abbreviation(name) and not score[PLACE]  # "BSM said": not a person
    ordinary = " " not in name and _ordinary_word(group)
    for o in group:
        if o.title:
            add(PERSON, 3, f"title '{o.title}' before '{o.text}'")
        if _speaks(o):
            if (o.determiner or _has_org_word(o.text) or abbreviated
                    or (o.apposition and o.apposition not in place_words())):
                add(ORGANISATION, 1, f"'{o.speech}' with '{o.text}' (an institution: article, "
                                     f"organisation word or abbreviation)")
            elif not ordinary:  # "Bergungsteams sagten": a noun speaks, not a person
                add(PERSON, 1, f"speech verb '{o.speech}' with '{o.text}'")
        elif o.determiner:
            add(ORGANISATION, 0.5, f"article before '{o.text}'")
            add(PLACE, 0.5, f"article before '{o.text}'")
        if o.preposition:
            add(PLACE, 0.5, f"preposition before '{o.text}'")
        if o.suffix:
            add(PLACE, 2, f"place compound '{o.text}{o.suffix}'")
        if o.apposition:
            kind = ORGANISATION if o.apposition in organisation_words() or _ends_in_org_word(o.apposition) else PLACE
            add(kind, 2, f"'{o.apposition}' next to '{o.text}'")
        if o.completes and _is_abbreviation(o.text):
            add(ORGANISATION, 2, f"'{o.text}' completes the title '{o.completes}' (the office's institution)")
        if o.dateline:
            add(PLACE, 2, f"'{o.text}' opens a dateline")
        if o.parenthesised:
            add(ORGANISATION, 2, f"'{o.text}' in parentheses after a name, as an abbreviation")
        if o.abbreviation:
            add(ORGANISATION, 2, f"'{o.text}' is spelled out before its abbreviation '{o.abbreviation}'")
    words = name.split()
    if len(words) >= 2 and not _has_org_word(name) and not score[PLACE] and words[-1][:1].isupper() and all(
            w[:1].isupper() or (0 < i and w in NAME_PARTICLES) for i, w in enumerate(words)):
        add(PERSON, 1.5, f"'{name}' has the shape of a personal name")
    if name in given and not ordinary:
        add(PERSON, 2, f"'{name}' begins the name of a person in the corpus")
    if not score:
        return OTHER, 0.0, ["no evidence of person, place or organisation"]
    total = sum(score.values())
    kind, points = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if points < FIRM_EVIDENCE - 1 and list(score.values()).count(points) > 1:
        # a tie of weak cues: an article alone fits an organisation, a place or a ship alike
        tied = sorted(k for k, v in score.items() if v == points)
        return OTHER, 0.0, [f"as much evidence of {' as of '.join(tied)}: "
                            f"{'; '.join(r for k in tied for r in evidence[k][:2])}"]
    # The winner's share, scaled down while the evidence is thin: one speech verb
    # is not certainty.
    return kind, round(points / total * min(1.0, points / FIRM_EVIDENCE), 2), evidence[kind][:6]


FIRM_EVIDENCE = 3.0  # points for full confidence: a title, a gazetteer country, an organisation word


def _ordinary_word(group: list[NameOccurrence]) -> bool:
    """A one-word name that is an ordinary word of its language where it is capitalised
    ("Northwind", "Bergungsteams"), or, seen once at the head of a sentence, a compound of
    ordinary words in a language that writes compounds as one word ("Redningsfolk")."""
    written = [o for o in group if o.text[:1].isupper()]
    if written and all(o.known_word for o in written):
        return True
    return (len(written) == 1 and written[0].sentence_initial and written[0].language in COMPOUNDING
            and _compound_of_words(written[0].text, written[0].language))


def _compound_of_words(word: str, language: str) -> bool:
    """Two dictionary words of three letters or more, perhaps with a linking s or e
    ("Redningsfolk" = "redning" + "s" + "folk")."""
    low = word.lower()
    for cut in range(3, len(low) - 2):
        head, tail = low[:cut], low[cut:]
        if len(tail) >= 3 and is_common_word(tail, language) and any(
                len(h) >= 3 and is_common_word(h, language) for h in (head, head[:-1] if head[-1] in "se" else "")):
            return True
    return False


def _entity_ids(names: list[str]) -> list[str]:
    """URL-safe, unique ids from display names, in a stable order."""
    used: set[str] = set()
    ids = []
    for name in names:
        base = re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-")[:60] or "entity"
        candidate, n = base, 2
        while candidate in used or candidate == "index":
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids.append(candidate)
    return ids


# --- corpus/entities.yml --------------------------------------------------------------

CURATION_KEYS = ("merge", "split", "rename", "type", "ignore")


def load_curation(corpus_dir: Path, problems: list[Problem]) -> dict:
    """The optional corpus/entities.yml, checked for shape; names are checked later."""
    rel = "entities.yml"
    loaded = corpus.read_config(corpus_dir, rel, problems)
    if loaded is None:
        return {}
    data, text = loaded
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, ERROR, f"must be a mapping with keys {', '.join(CURATION_KEYS)}: ignored"))
        return {}
    curation: dict = {"_file": rel, "_lines": {}}
    lines = text.split("\n")

    def line_of(value: str, after: int) -> int:
        for number in range(after, len(lines)):
            if str(value) in lines[number]:
                return number + 1
        return after + 1

    for key, value in data.items():
        key_line = corpus._key_line(text, str(key)) - 1
        if key not in CURATION_KEYS:
            problems.append(Problem(rel, key_line, WARNING, f"unknown key '{key}' ignored (known: {', '.join(CURATION_KEYS)})"))
            continue
        if key in ("merge",):
            if not isinstance(value, list) or not all(isinstance(v, list) and len(v) >= 2 for v in value):
                problems.append(Problem(rel, key_line, ERROR, "'merge' must be a list of lists of two or more names: ignored"))
                continue
            curation[key] = [[str(n) for n in group] for group in value]
            for group in curation[key]:
                for n in group:
                    curation["_lines"][(key, n)] = line_of(n, key_line - 1)
        elif key in ("split", "ignore"):
            if not isinstance(value, list):
                problems.append(Problem(rel, key_line, ERROR, f"'{key}' must be a list of names: ignored"))
                continue
            curation[key] = [str(n) for n in value]
            for n in curation[key]:
                curation["_lines"][(key, n)] = line_of(n, key_line - 1)
        else:  # rename, type
            if not isinstance(value, dict):
                problems.append(Problem(rel, key_line, ERROR, f"'{key}' must map names to new values: ignored"))
                continue
            curation[key] = {}
            for n, new in value.items():
                line = line_of(n, key_line - 1)
                if key == "type" and str(new) not in (PERSON, PLACE, ORGANISATION, OTHER):
                    problems.append(Problem(rel, line, ERROR, f"type '{new}' for '{n}' is not one of person, place, organisation, other: ignored"))
                    continue
                if key == "rename" and (new is None or not str(new).strip()):
                    problems.append(Problem(rel, line, ERROR, f"rename of '{n}' gives no new name: ignored"))
                    continue
                if key == "rename" and str(new) in curation[key].values():
                    problems.append(Problem(rel, line, WARNING, f"'{new}' is the new name of two entities: "
                                                                f"both keep it, and the index shows it twice"))
                curation[key][str(n)] = str(new)
                curation["_lines"][(key, str(n))] = line
    curation["_problems"] = problems
    return curation


def apply_curation(entities: list[Entity], curation: dict) -> list[Entity]:
    """Merge, split, rename, retype and ignore as the user asked; names are matched
    against entity ids, display names and aliases, case-insensitively. A name that
    matches nothing is reported with its line."""
    problems: list[Problem] = curation.get("_problems", [])
    rel = curation.get("_file", "entities.yml")

    def lookup(action: str, name: str) -> Entity | None:
        low = name.lower()
        for entity in entities:
            if entity.id == low or entity.name.lower() == low or any(a.text.lower() == low for a in entity.aliases):
                return entity
        problems.append(Problem(rel, curation["_lines"].get((action, name), 1), WARNING,
                                f"{action}: no entity or alias named '{name}' in the corpus"))
        return None

    for name in curation.get("split", []):
        entity = lookup("split", name)
        if entity is None or len(entity.aliases) < 2:
            continue
        low = name.lower()
        alias = next((a for a in entity.aliases if a.text.lower() == low), None)
        if alias is None:  # the entity's id or name, not one of its spellings
            spellings = ", ".join(f"'{a.text}'" for a in entity.aliases)
            problems.append(Problem(rel, curation["_lines"].get(("split", name), 1), WARNING,
                                    f"split: '{name}' names the entity '{entity.name}', not one of its spellings "
                                    f"({spellings}): nothing split"))
            continue
        moved = [m for m in entity.mentions if m.text.lower() == low]
        entity.mentions = [m for m in entity.mentions if m.text.lower() != low]
        entity.aliases = [a for a in entity.aliases if a is not alias]
        moved_at = {(m.article, m.paragraph) for m in moved}
        entity.statements = [s for s in entity.statements if (s.article, s.paragraph) not in moved_at]
        new = Entity(_free_id(entities, alias.text), alias.text, entity.type, 1.0,
                     ["split from '" + entity.name + "' by entities.yml"], [alias], moved,
                     curated=["split by entities.yml"])
        entities.append(new)
    for group in curation.get("merge", []):
        found = [e for e in (lookup("merge", n) for n in group) if e is not None]
        target = found[0] if found else None
        for other in found[1:]:
            if other is target or other not in entities:
                continue
            target.aliases.extend(other.aliases)
            target.mentions.extend(other.mentions)
            target.statements.extend(other.statements)
            target.curated.append(f"merged with '{other.name}' by entities.yml")
            entities.remove(other)
        if target:
            target.mentions.sort(key=lambda m: (m.article, m.paragraph, m.start))
            target.aliases.sort(key=lambda a: (-a.count, a.text))
    for name, new in sorted(curation.get("rename", {}).items()):
        entity = lookup("rename", name)
        if entity:
            entity.curated.append(f"renamed from '{entity.name}' by entities.yml")
            entity.name = new
    for name, new in sorted(curation.get("type", {}).items()):
        entity = lookup("type", name)
        if entity:
            entity.curated.append(f"type set to {new} by entities.yml (was {entity.type})")
            entity.type, entity.type_confidence, entity.type_evidence = new, 1.0, ["set by entities.yml"]
    for name in curation.get("ignore", []):
        entity = lookup("ignore", name)
        if entity and entity in entities:
            entities.remove(entity)
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return entities


def _free_id(entities: list[Entity], name: str) -> str:
    taken = {e.id for e in entities}
    base = _entity_ids([name])[0]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- for the pages ------------------------------------------------------------------


def cooccurring(entities: list[Entity]) -> dict[str, list[tuple[str, int]]]:
    """Entity id → [(other id, number of paragraphs shared)], most shared first. Built
    from each paragraph's entity set, so the cost follows the mentions, not pairs of entities."""
    by_paragraph: dict[tuple[str, int], set[str]] = defaultdict(set)
    for entity in entities:
        for m in entity.mentions:
            by_paragraph[(m.article, m.paragraph)].add(entity.id)
    counts: dict[str, Counter] = defaultdict(Counter)
    for ids in by_paragraph.values():
        if len(ids) > 40:  # a list of names, not a relation
            continue
        for a in ids:
            for b in ids:
                if a != b:
                    counts[a][b] += 1
    return {a: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for a, c in counts.items()}
