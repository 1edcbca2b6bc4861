"""Stage 3: language tags for articles, paragraphs and mixed-language spans.

lingua, restricted to the supported languages, labels each paragraph. Spans in
another language (untranslated fragments in a machine translation, a quoted
phrase) are found in two steps, so the cost stays close to one detection per
paragraph: clauses are classified first, and only a paragraph with a clause that
disagrees is examined word by word, where a two-state Viterbi pass (paragraph
language vs. the other language) decides the span boundaries.

Most of the stage's time is lingua's, so whole-text detections are spared where
the answer is already clear. lingua's trigram confidences for single words are
cached per process; summed as independent evidence (naive Bayes over lingua's own
models) they settle a paragraph whose words point overwhelmingly to one language,
and they let a clause skip detection when no other language has a real chance in
it. Everything less clear-cut is still detected on the whole text, as before. A
word costs ~25 µs the first time it is seen and ~0.3 µs after, so the saving
grows with the corpus: news about one event repeats its vocabulary.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from builder.locale_data import SUPPORTED_LANGUAGES, translation_source
from builder.model import BODY, BOILERPLATE, HEADING, PULLQUOTE, Inferred, Paragraph, Span
from builder.sentences import quoted_ranges

SHORT_WORDS = 3  # paragraphs this short inherit the article's language
MIN_PARAGRAPH_CONFIDENCE = 0.5
CLAUSE_MIN_WORDS = 2
CLAUSE_CONFIDENCE = 0.8
CLAUSE_MIN_TOP = 0.15
SWITCH_PENALTY = math.log(0.15)
SPAN_CONFIDENCE = 0.75
SINGLE_WORD_CONFIDENCE = 0.9
# A paragraph of at least EVIDENCE_MIN_WORDS words is labelled from its words'
# summed evidence when the best language leads the runner-up by EVIDENCE_MARGIN
# (natural log). Measured against lingua's whole-text label on 6,900 paragraphs
# (the seeds, the 14-language and hostile fixtures, 2,800 synthetic ones and
# 2,000 of public news benchmarks in en, es, de, fr, nb, nn): the largest lead
# at which the two ever disagreed was 10.6 (a line of names), so 20 leaves room.
EVIDENCE_MIN_WORDS = 8
EVIDENCE_MARGIN = 20.0
# A clause is detected only if, by the same evidence, some language outside the
# expected ones gets at least this share against the paragraph's own. On the same
# corpora every clause the detector flags scores 0.6 or more, most others < 0.05.
CLAUSE_PREFILTER_SHARE = 0.2
WORD_FLOOR = math.log(1e-4)  # one unknown or rule-excluded word must not decide alone
WORD_CACHE_SIZE = 1 << 15  # distinct words kept per process (~20 MB at most)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
CLAUSE_BREAK = re.compile(r"[,;:()\[\]«»“”\"„‹›–—]|(?<=[.!?])\s")


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    confidence: float


@dataclass
class Remembered:
    """What an earlier build found in the same file, by paragraph text (and, for the
    spans, the paragraph's and the article's language): an edited article identifies
    only the paragraphs that changed, and loads no model for the others (the first
    whole-text detection loads every model of the script, ~2 s). Its results are
    those of the same functions on the same text, so they are the ones it would find."""

    earlier: dict = field(default_factory=dict)
    now: dict = field(default_factory=dict)  # what this build found (or reused): for the next

    def get(self, key: Hashable, compute: Callable[[], object]) -> object:
        value = self.earlier[key] if key in self.earlier else compute()
        self.now[key] = value
        return value


CODES = tuple(sorted(SUPPORTED_LANGUAGES))
_LANGUAGES = {code: Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in CODES}
_CODE_OF = {language: code for code, language in _LANGUAGES.items()}
_INDEX = {code: i for i, code in enumerate(CODES)}


@lru_cache(maxsize=1)
def detectors():
    """lingua for the supported languages: (high accuracy, low accuracy).

    Built without loading any model: lingua loads a language's models the first
    time a text could be in it (its script and letters allow it), into one store
    both detectors share. A corpus in Latin script never loads Russian's and
    Ukrainian's, and a build that reuses every paragraph's result loads none
    (all of them take ~3 s of CPU). The low-accuracy (trigram) detector serves
    single words at a third of the cost.
    """
    languages = list(_LANGUAGES.values())
    high = LanguageDetectorBuilder.from_languages(*languages).build()
    low = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    return high, low


def detector():
    """The high-accuracy detector (models loaded on first use, see `detectors`)."""
    return detectors()[0]


def preload() -> None:
    """Load every language's models now (~2 s, on all cores), before workers fork,
    so they share those pages instead of each loading its own. Only the parent
    preloads: lingua preloads on a thread pool, which a forked worker does not
    inherit (loading on first use, a worker's own thread does the work)."""
    detectors()
    LanguageDetectorBuilder.from_languages(*_LANGUAGES.values()).with_preloaded_language_models().build()


def release() -> None:
    """Give back the detector's memory (~380 MB) once identification is done.

    lingua keeps its models after the detector is dropped, and glibc keeps freed
    memory unless asked, so both are told. A later call to `detector()` loads again.
    """
    if detectors.cache_info().currsize:
        for loaded in detectors():
            loaded.unload_language_models()
    detectors.cache_clear()
    _word_evidence.cache_clear()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory stays reusable by this process
        pass


def confidences(text: str) -> dict[str, float]:
    """lingua's confidence per language for `text`, most likely first (languages it
    rules out are absent)."""
    return {_CODE_OF[v.language]: v.value for v in detector().compute_language_confidence_values(text)}


def _top(values: dict[str, float]) -> LanguageGuess | None:
    code = next(iter(values), None)
    return LanguageGuess(code, values[code]) if code and values[code] > 0 else None


def guess(text: str) -> LanguageGuess | None:
    """The most likely language of `text`, and lingua's confidence in it."""
    return _top(confidences(text))


def paragraph_language(text: str, words: list[str]) -> LanguageGuess | None:
    """`guess(text)`, settled from the words' cached evidence when that is overwhelming.

    The confidence is then the evidence's share for the winner (about 1.0).
    """
    if len(words) >= EVIDENCE_MIN_WORDS:
        totals = _evidence(words)
        if totals:
            ranked = sorted(range(len(CODES)), key=lambda i: (-totals[i], i))
            best, runner_up = totals[ranked[0]], totals[ranked[1]]
            if best - runner_up >= EVIDENCE_MARGIN:
                share = 1 / sum(math.exp(t - best) for t in totals)
                return LanguageGuess(CODES[ranked[0]], share)
    return guess(text)


def tag_article(paragraphs: list[Paragraph], stated: str | None, remembered: Remembered | None = None) -> str | None:
    """Tag every paragraph (and its foreign spans) in place; return the article language.

    The article language is the stated one if any, else the language of most body
    words. Short paragraphs, and ones the detector is unsure of, inherit it.
    `remembered` answers for paragraphs an earlier build of the file saw.
    """
    remembered = remembered or Remembered()
    words_by_language: Counter[str] = Counter()
    for p in paragraphs:
        words = WORD.findall(p.text)
        n_words = len(words)
        if n_words > SHORT_WORDS and not _only_names(words):
            g = remembered.get(("paragraph", p.text), lambda: paragraph_language(p.text, words))
            if g and g.confidence >= MIN_PARAGRAPH_CONFIDENCE:
                p.language, p.language_confidence = g.code, g.confidence
                if p.role in (BODY, HEADING):
                    words_by_language[g.code] += n_words
    if stated:
        article_language = stated
    elif words_by_language:
        article_language = words_by_language.most_common(1)[0][0]
    else:
        fallback = guess(" ".join(p.text for p in paragraphs))
        article_language = fallback.code if fallback else None
    for p in paragraphs:
        if not p.language:
            p.language, p.language_confidence = article_language or "und", 0.0
        if p.role in (BODY, HEADING, PULLQUOTE) and article_language:
            key = ("spans", p.text, p.language, primary(article_language))
            p.language, spans = remembered.get(key, lambda: _with_spans(p, primary(article_language)))
            p.spans = list(spans)
    return article_language


def _only_names(words: list[str]) -> bool:
    """A line of names ("Foto: Ansa / Jan Kowalski"): nothing in it tells a language,
    so it inherits the article's rather than that of the names' country."""
    return sum(1 for w in words if not w[0].isupper()) < CLAUSE_MIN_WORDS


def _with_spans(p: Paragraph, article_language: str) -> tuple[str, tuple[Span, ...]]:
    """find_spans's outcome for `p`: its language and its spans."""
    find_spans(p, article_language)
    return p.language, tuple(p.spans)


def primary(tag: str) -> str:
    """The language subtag of a BCP 47 tag ("en-GB" → "en"): what lingua tells apart."""
    return tag.split("-")[0].lower()


def find_spans(p: Paragraph, article_language: str) -> None:
    """Find stretches in another language; re-label the paragraph if most of its words
    turn out to be in the article's language (a translation with fragments left in),
    or in the other one (a quote kept in the original, its lead-in then the span).

    `article_language` is a bare language code; a paragraph keeps a regional tag
    ("en-GB") unless it turns out to be in another language.
    """
    paragraph_language = primary(p.language)
    other = _disagreeing_language(p.text, paragraph_language, article_language)
    if other is None:
        return
    base = article_language if paragraph_language in (article_language, other) else paragraph_language
    if base == other:
        return
    words = list(WORD.finditer(p.text))
    labels = _viterbi(p.text, words, base, other)
    base_words = sum(1 for label in labels if label == base)
    other_words = len(labels) - base_words
    if other_words > base_words * 1.5:
        # The paragraph really is in the other language (a quote in the original
        # after a lead-in of the article's): what is left of the article's are its spans.
        p.language = other
        base, other = other, base
    elif base != paragraph_language:
        p.language = base
    spans: list[Span] = []
    run: list[int] = []
    for i, label in enumerate(labels + [base]):
        if label == other:
            run.append(i)
            continue
        while run and _is_name(p.text, words[run[-1]], run[-1]):
            run.pop()
        while run and _is_name(p.text, words[run[0]], run[0]):
            run.pop(0)
        if run:
            start, end = words[run[0]].start(), words[run[-1]].end()
            g = _pair_confidence(p.text[start:end], base, other)
            needed = SINGLE_WORD_CONFIDENCE if len(run) == 1 else SPAN_CONFIDENCE
            if g >= needed and len(p.text[start:end]) >= 4:
                spans.append(Span(start, end, other, round(g, 3)))
        run = []
    p.spans = spans


def _disagreeing_language(text: str, paragraph_language: str, article_language: str) -> str | None:
    """The language of the first clause confidently not in the paragraph's language."""
    expected = {paragraph_language, article_language}
    if paragraph_language != article_language:
        return paragraph_language
    for clause in CLAUSE_BREAK.split(text):
        words = WORD.findall(clause)
        lower_words = [w for w in words if not w[0].isupper()]
        if len(lower_words) < CLAUSE_MIN_WORDS:
            continue
        if not _could_disagree(lower_words, article_language, expected):
            continue
        values = confidences(" ".join(lower_words))
        g = _top(values)
        if (g and g.code not in expected and g.confidence >= CLAUSE_MIN_TOP
                and not _related(g.code, expected)
                and _share(values, article_language, g.code) >= CLAUSE_CONFIDENCE):
            return g.code
    return None


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _word_evidence(word: str) -> tuple[float, ...] | None:
    """lingua's log confidence per language (in CODES order) for one lower-case word,
    from its trigrams, floored; None if lingua knows nothing of it (or it is shorter
    than a trigram)."""
    values = {_CODE_OF[v.language]: v.value for v in detectors()[1].compute_language_confidence_values(word)}
    if not values or not any(values.values()):
        return None
    return tuple(max(math.log(v), WORD_FLOOR) if v > 0 else WORD_FLOOR for v in map(values.get, CODES, repeat(0.0)))


def _evidence(words: list[str]) -> list[float] | None:
    """Summed log confidences per language (CODES order) of the words lingua knows."""
    vectors = [v for v in map(_word_evidence, (w.lower() for w in words)) if v is not None]
    return [sum(column) for column in zip(*vectors)] if vectors else None


@lru_cache(maxsize=256)
def _rivals(language: str, expected: frozenset[str]) -> tuple[int, ...]:
    """Indexes (in CODES) of the languages a clause of `language` is tested against."""
    return tuple(i for i, code in enumerate(CODES) if code not in expected and not _related(code, expected))


def _could_disagree(words: list[str], language: str, expected: set[str]) -> bool:
    """Whether the words, taken as independent evidence, give a language outside
    `expected` (and its close relatives) a real chance against `language`.

    The evidence is sharper than lingua's confidence on the whole clause but falls
    on the same side, so a clause it clears cannot pass the clause test.
    """
    totals = _evidence(words) if language in _INDEX else None
    if totals is None:
        return True
    threshold = totals[_INDEX[language]] + math.log(CLAUSE_PREFILTER_SHARE / (1 - CLAUSE_PREFILTER_SHARE))
    return any(totals[i] > threshold for i in _rivals(language, frozenset(expected)))


def _related(code: str, expected: set[str]) -> bool:
    """Close relatives (nb/nn/da/sv, ru/uk) are too alike on a few words to split."""
    families = ({"nb", "nn", "da", "sv"}, {"ru", "uk"})
    return any(code in family and expected & family for family in families)


def _pair_confidence(text: str, a: str, b: str) -> float:
    """P(b) against P(a) for `text`, from lingua's confidence values."""
    return _share(confidences(text), a, b)


def _share(values: dict[str, float], a: str, b: str) -> float:
    """P(b) / (P(a) + P(b)), 0 if lingua rules out both."""
    pa, pb = values.get(a, 0.0), values.get(b, 0.0)
    return pb / (pa + pb) if pa + pb > 0 else 0.0


def _viterbi(text: str, words: list[re.Match], base: str, other: str) -> list[str]:
    """Label each word base/other: per-word evidence from lingua, a cost for switching.

    Capitalised words after the first (names) carry no evidence either way.
    """
    states = (base, other)
    emissions = []
    for i, word in enumerate(words):
        token = word.group()
        if _is_name(text, word, i) or len(token) < 2:
            emissions.append((0.0, 0.0))
            continue
        p_other = _pair_confidence(token.lower(), base, other)
        p_other = min(max(p_other, 0.02), 0.98)
        emissions.append((math.log(1 - p_other), math.log(p_other)))
    if not emissions:
        return []
    stay = math.log(1 - math.exp(SWITCH_PENALTY))
    score = [emissions[0][0] + math.log(0.9), emissions[0][1] + math.log(0.1)]
    back: list[tuple[int, int]] = []
    for e in emissions[1:]:
        step = []
        new = []
        for s in (0, 1):
            from_same = score[s] + stay
            from_other = score[1 - s] + SWITCH_PENALTY
            best = s if from_same >= from_other else 1 - s
            step.append(best)
            new.append(max(from_same, from_other) + e[s])
        back.append(tuple(step))
        score = new
    state = 0 if score[0] >= score[1] else 1
    path = [state]
    for step in reversed(back):
        state = step[state]
        path.append(state)
    path.reverse()
    return [states[s] for s in path]


def _is_name(text: str, word: re.Match, index: int) -> bool:
    """A capitalised word that does not open a sentence: most likely part of a name."""
    before = text[max(0, word.start() - 3):word.start()].strip()
    return word.group()[0].isupper() and index > 0 and not before.endswith((".", "!", "?", "–", "—"))


def _quoted_in_original(text: str, span: Span, ranges: list[tuple[int, int]], article_language: str) -> bool:
    """Whether the span lies in a quotation made in the span's language (a speaker's
    own words), not in one translated with a fragment left over ("a heavy blow to
    [el presidente ruso] Putin")."""
    for start, end in ranges:
        if (min(span.end, end) - max(span.start, start)) * 2 >= span.end - span.start:  # most of the span inside
            return _pair_confidence(text[start:end], primary(article_language), primary(span.language)) > 0.5
    return False


def infer_translation(paragraphs: list[Paragraph], article_language: str | None) -> Inferred:
    """A translation often keeps fragments of its source language: say so, with them.

    Words quoted in the original language ("«Załoga zachowała się wzorowo», ha detto")
    are the speaker's, not a translator's leftovers, and do not count. A notice that
    says so ("This article was translated automatically from Spanish") is taken first.
    """
    from builder.clean import TRANSLATION_NOTICE

    own = primary(article_language) if article_language else None
    for p in paragraphs:
        if p.role == BOILERPLATE and p.role_reason == TRANSLATION_NOTICE:
            found = translation_source(p.text, own)
            if found:
                return Inferred(found[0], False, "translation notice", p.text.strip(), p.line)
    fragments: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for p in paragraphs:
        if p.role != BODY:
            continue
        quotes = quoted_ranges(p.text) if p.spans else []
        for span in p.spans:
            if article_language and primary(span.language) == primary(article_language):
                continue  # the article's own words around a quote kept in the original
            if article_language and _quoted_in_original(p.text, span, quotes, article_language):
                continue
            fragments[span.language] += len(WORD.findall(p.text[span.start:span.end]))
            examples.setdefault(span.language, p.text[span.start:span.end])
    if not fragments or not article_language:
        return Inferred(None)
    language, words = fragments.most_common(1)[0]
    if words < 3:
        return Inferred(None)
    return Inferred(language, True, "untranslated fragments", examples[language])
