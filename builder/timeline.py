"""Stage: the timeline, dated events merged across articles and languages.

Two steps; the first is cached per article and runs on every core:
- `article_reports(article)`: a pure function of one article → one EventMention
  per dated time expression in its body text (the sentence, the expression
  resolved against the article's own publication date by builder/timex.py, its
  content keys), plus the content keys of every body sentence for the weights.
  The entities in each sentence are added at the corpus level.
- `merge(events, ...)`: the corpus-level step. Reports are blocked by date (a
  single day meets its own day and the days either side; longer ranges meet the
  months or years they touch) and found through an inverted index of their
  rarest keys, so nothing is compared all-pairs; a report is scored against at
  most CANDIDATES clusters, each judged by its first EXEMPLARS reports. Two
  reports are the same event when their dates are compatible (equal, one
  containing the other, or a day apart: a conflict kept side by side) and their
  sentences share enough weighted content keys and entities.

Content keys are language-independent on purpose: numbers, and the first four
letters of longer words after transliteration (anyascii), which is what names,
demonyms and international words share across languages and scripts ("Berlin",
"Berliner", "Берлин" → "berl"; "minister", "ministre", "министр" → "mini"). Each
key is weighted by its rarity across the corpus's sentences, so a place every
report mentions counts for little.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

import datetime as dt
import itertools
import math
import re
from collections import Counter

from anyascii import anyascii

from builder import timex
from builder.blocking import most_shared
from builder.metadata import is_stamp, update_date
from builder.model import Article, ArticleReports, Entity, EventMention, TimelineEntry, mentions_by_paragraph
from builder.sentences import sentence_spans

DATED_TYPES = ("DATE", "TIME")
BACKGROUND_MARGIN_DAYS = 7  # events ending this long before the first publication date are background
SAME_EVENT = 0.25  # weighted key overlap (cosine) above which two reports are one event
SAME_EVENT_WITHIN = 0.35  # stricter when one date contains the other ("September", "September 21")
SAME_EVENT_OTHER_DAY = 0.45  # stricter still when the dates differ by a day (a conflict kept side by side)
SAME_TIME_BONUS = 0.3  # two reports of the same day giving the same clock time (a different one: as much against)
SAME_CONTEXT_BONUS = 0.1  # ...or sharing a word right next to the date ("invasion on February 24")
THRESHOLDS = {"same": SAME_EVENT, "within": SAME_EVENT_WITHIN, "adjacent": SAME_EVENT_OTHER_DAY}
CONTEXT_CHARS = 40  # how near to the expression a word must be to count as its context
SUMMARY_CHARS = 220
EXEMPLARS = 12  # a cluster is judged by its first reports (the most precise, earliest)
BOUND_SLACK = 1e-9  # added to a score's bound from the profile, which sums in another order than the score
CANDIDATE_KEYS = 10  # a report looks for its event through its rarest keys...
CANDIDATES = 24  # ...and is scored against the clusters sharing most of their weight
POSTINGS = 64  # of a key's clusters in a block, the latest this many (events come in date order)
STEM = 4  # letters of a transliterated word kept as its key: "Berlin", "Berliner", "Берлин" agree
PRECISION_RANK = {"time": 0, "part of day": 1, "day": 2, "weekend": 3, "week": 4, "month": 5, "season": 6,
                  "year": 7, "decade": 8}


# --- per article ----------------------------------------------------------------------

def prepare(articles: list[Article]) -> None:
    """Compile the time grammars of the articles' languages, so that worker processes
    forked afterwards share them instead of each compiling its own (a second a process)."""
    for lang in sorted({p.language or article.language.value or "und"
                        for article in articles for p in article.body_paragraphs}):
        timex.grammar(lang)


def article_dct(article: Article) -> tuple[dt.date | None, str]:
    """The article's publication date as an anchor: (date, "day"|"month"|"year")."""
    value, precision = article.date.value, article.date_precision or "day"
    if not value:
        return None, ""
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value), "day"
        if len(value) == 7:
            return dt.date(int(value[:4]), int(value[5:7]), 1), "month"
        if len(value) == 4:
            return dt.date(int(value), 1, 1), "year"
    except ValueError:
        return None, ""
    return None, precision


def article_events(article: Article, mentions: dict[tuple[str, int], list] | None = None) -> list[EventMention]:
    """Every dated event one article reports: a pure function of the article."""
    mentions = mentions or {}
    dct, precision = article_dct(article)
    language = article.language.value or "und"
    dateline = article.date.evidence if article.date.inferred else ""
    events: list[EventMention] = []
    earlier = None  # the previous paragraph's last dated expression: it dates a bare time of day
    updated = update_date(article)
    for p in article.body_paragraphs:
        lang = p.language or language
        found = timex.tag(p.text, lang, dct, precision or "day", earlier, updated)
        earlier = timex.last_dated([e for e in found if not is_stamp(p.text, e.start)])
        in_paragraph = mentions.get((article.id, p.index), [])
        for start, end in sentence_spans(p.text):
            inside = [e for e in found if start <= e.start < end and _dated(e) and not is_stamp(p.text, e.start)]
            if dateline and dateline in p.text[start:end]:
                inside = [e for e in inside if not _within_dateline(p.text, e, dateline)]
            for expr in _most_precise_per_day(inside):
                entity_ids = tuple(sorted({eid for m, eid in in_paragraph if start <= m.start < end}))
                quote = p.text[start:end]
                spans = [(e.start - start, e.end - start) for e in found if start <= e.start < end]
                events.append(EventMention(
                    article=article.id, paragraph=p.index, start=start, end=end, quote=quote, language=lang,
                    expression=expr, dct=article.date.value, dct_inferred=article.date.inferred,
                    entities=entity_ids, keys=content_keys(quote, spans)))
    return events


def _dated(expr) -> bool:
    return expr.type in DATED_TYPES and expr.value is not None and expr.range_start is not None


def _within_dateline(text: str, expr, dateline: str) -> bool:
    at = text.find(dateline)
    return at >= 0 and at <= expr.start < at + len(dateline)


def _most_precise_per_day(expressions: list) -> list:
    """One expression per day and sentence: "this Friday … at 5 am" is one event at 05:00."""
    best: dict[tuple[str, str], object] = {}
    for e in expressions:
        key = (e.range_start, e.range_end)
        if key not in best or PRECISION_RANK.get(e.precision, 9) < PRECISION_RANK.get(best[key].precision, 9):
            best[key] = e
    return sorted(best.values(), key=lambda e: e.start)


NAME = "^"  # prefix of keys from capitalised words: names carry across languages
NUMBER = re.compile(r"\d[\d.,\u00a0\u202f ]*\d|\d")
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def content_keys(sentence: str, skip: list[tuple[int, int]] = ()) -> tuple[str, ...]:
    """Language-independent keys of a sentence: numbers (two digits or more) and the
    first five letters of transliterated words of five letters or more, leaving out
    the time expressions themselves."""
    read = _sentence_keys(sentence)
    if not skip:
        return read.keys
    # Only the few tokens inside `skip` are looked at: a key goes when all its tokens do.
    inside = {i for a, b in skip for i in range(bisect_left(read.starts, a), bisect_left(read.starts, b))}
    if not inside:
        return read.keys
    left_out = Counter(key for i in inside for key in read.token_keys[i])
    gone = {key for key, n in left_out.items() if n == read.counts[key]}
    return tuple(key for key in read.keys if key not in gone) if gone else read.keys


class _SentenceKeys(NamedTuple):
    starts: list[int]  # where each key token starts, in order
    token_keys: list[tuple[str, ...]]  # its keys
    counts: Counter  # key → how many tokens give it
    keys: tuple[str, ...]  # every key, sorted


@lru_cache(maxsize=256)
def _sentence_keys(sentence: str) -> _SentenceKeys:
    """The key tokens of a sentence: read once per sentence or paragraph, though each
    of its events asks again leaving out its own expressions."""
    tokens = sorted(_key_tokens(sentence))
    counts = Counter(key for _, found in tokens for key in found)
    return _SentenceKeys([start for start, _ in tokens], [found for _, found in tokens], counts,
                         tuple(sorted(counts)))


def _key_tokens(sentence: str) -> list[tuple[int, tuple[str, ...]]]:
    """Where each key of a sentence starts, with its keys."""
    tokens = []
    for m in NUMBER.finditer(sentence):
        digits = NOT_DIGIT.sub("", m.group())
        if len(digits) >= 2:
            tokens.append((m.start(), ("#" + digits,)))
    for m in WORD.finditer(sentence):
        word = m.group()
        keys = _word_keys(word)
        if keys:
            start = m.start()
            # a capitalised word inside the sentence: likely a name
            tokens.append((start, keys[1] if word[0].isupper() and _inside_sentence(sentence, start) else keys[0]))
    return tokens


NOT_DIGIT = re.compile(r"\D")


def _inside_sentence(sentence: str, start: int) -> bool:
    """Whether a word at `start` follows another within 80 characters, across a space:
    `INSIDE_SENTENCE.search(sentence, max(0, start - 80), start)`, read backwards from
    the word instead of tried at every place of the window."""
    space = False
    for i in range(start - 1, max(0, start - 80) - 1, -1):
        ch = sentence[i]
        if ch.isalnum() or ch == "_":  # re's \w
            return space
        space = space or ch.isspace()
    return False


INSIDE_SENTENCE = re.compile(r"\w\W*\s+\W*$")


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> tuple[tuple[str], tuple[str, str]] | None:
    """A word's keys, as a word and as a name, if it is long enough (see `_word_key`)."""
    key = _word_key(word)
    return ((key,), (key, NAME + key)) if key else None


@lru_cache(maxsize=1 << 18)
def _word_key(word: str) -> str:
    """The key of one word: its first letters after transliteration, if it is long enough."""
    letters = re.sub(r"[^a-z]", "", anyascii(word).lower())
    return letters[:STEM] if len(letters) >= 5 else ""


# --- corpus level ---------------------------------------------------------------------

def article_reports(article: Article) -> ArticleReports:
    """The per-article part of the timeline, computed once per article and cached:
    its dated events (entities left for the corpus level) and, for the key weights,
    its body sentences and how many of them carry each content key."""
    events = tuple(article_events(article))
    sentences = []
    counts: Counter[str] = Counter()
    for p in article.body_paragraphs:
        for start, end in sentence_spans(p.text):
            sentences.append((p.index, start, end))
            counts.update(content_keys(p.text[start:end]))
    paragraphs = {p.index: p.text for p in article.body_paragraphs}
    contexts = tuple(" ".join(content_keys(paragraphs[e.paragraph], [(e.expression.start, e.expression.end)]))
                     for e in events)
    return ArticleReports(article.id, events, tuple(sentences),
                          " ".join(f"{key}={n}" for key, n in sorted(counts.items())), contexts)


def build_timeline(articles: list[Article], entities: list[Entity],
                   reports: dict[str, ArticleReports] | None = None) -> list[TimelineEntry]:
    """The dossier's timeline: every article's events, merged. `reports` (article id
    → article_reports) come from the cached per-article stage; missing ones are made here."""
    reports = reports or {}
    ordered = [reports.get(a.id) or article_reports(a) for a in sorted(articles, key=lambda a: a.id)]
    mentions = mentions_by_paragraph(entities)
    # An adjective stands for its place: "Russian troops" involves Russia.
    links = {e.id: e.links for e in entities if e.links}
    events = []
    for r in ordered:
        for e in r.events:
            found = {eid for m, eid in mentions.get((e.article, e.paragraph), ()) if e.start <= m.start < e.end}
            found.update(*(links.get(x, ()) for x in sorted(found)))
            events.append(replace(e, entities=tuple(sorted(found))) if found else e)
    dates = sorted(a.date.value for a in articles if a.date.known and len(a.date.value or "") == 10)
    return merge(events, dates[0] if dates else None, key_weights(ordered, mentions))


def key_weights(reports: list[ArticleReports], mentions: dict[tuple[str, int], list]) -> dict[str, float]:
    """Inverse document frequency of each key (and entity) over every body sentence
    of the corpus: a word every report uses says little about which event it is."""
    df: Counter[str] = Counter()
    n = 0
    for r in reports:
        n += len(r.sentences)
        for item in r.key_counts.split():
            key, _, count = item.rpartition("=")
            df[key] += int(count)
        for paragraph, start, end in r.sentences:
            found = mentions.get((r.article, paragraph))
            if found:
                df.update({"@" + eid for m, eid in found if start <= m.start < end})
    return {k: math.log((n + 1) / c) for k, c in sorted(df.items())}


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _shift(day: dt.date, days: int) -> dt.date | None:
    """The day `days` away, or None past the calendar's ends (year 1, year 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _relation(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> str:
    """"same" for the same range (or day), "within" when one report's range contains
    the other's ("in September" and "September 21"), "adjacent" when they are single
    days one apart (a possible conflict), "" otherwise."""
    (a0, a1), (b0, b1) = a, b
    if (a0, a1) == (b0, b1):
        return "same"
    if (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1):
        return "within"
    if a0 == a1 and b0 == b1 and abs((a0 - b0).days) == 1:
        return "adjacent"
    return ""


def _blocks(e: EventMention) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Where a report files its cluster in the index, and where it looks for one:
    single days under the day (looked up from the day before and after too, a
    possible conflict), longer ranges under the months or years they touch; each
    also meets the other kind whose range could contain, or fall within, its own."""
    start, end = e.expression.range_start, e.expression.range_end
    years = sorted({start[:4], end[:4]})
    if start == end:
        day = _day(start)
        near = [start] + [d.isoformat() for d in (_shift(day, -1), _shift(day, 1)) if d]
        files = [("d", start), ("dm", start[:7]), ("dy", start[:4])]
        looks = [("d", d) for d in near] + [("c", start[:7]), ("c", start[:4])]
    elif PRECISION_RANK.get(e.expression.precision, 9) >= PRECISION_RANK["season"]:
        files = [("c", y) for y in years]
        looks = files + [("dy", y) for y in years]
    else:
        months = sorted({start[:7], end[:7]})
        files = [("c", m) for m in months] + [("c", y) for y in years]
        looks = files + [("dm", m) for m in months]
    return files, looks


def merge(events: list[EventMention], first_publication: str | None,
          weights: dict[str, float]) -> list[TimelineEntry]:
    """Group reports of the same event; entries in chronological order.

    Each report is scored only against clusters with a compatible date that share
    its most telling keys that other reports share (CANDIDATE_KEYS, through an inverted index per block),
    most shared weight first, and a cluster is judged by its first EXEMPLARS
    reports: the cost per report stays bounded however many articles repeat an event."""
    ordered = sorted(events, key=lambda e: (PRECISION_RANK.get(e.expression.precision, 9), e.expression.range_start,
                                           e.dct or "", e.article, e.paragraph, e.start, e.expression.start))
    clusters: list[_Cluster] = []
    index: dict[tuple[str, str], list[int]] = {}  # (block, key) → clusters, in order of use
    posted: dict[tuple[str, int], set[str]] = {}  # (block, cluster) → the keys it is filed under there
    reports = [_Report(event, weights) for event in ordered]
    # A key no other report holds cannot lead to another report's cluster: the rarest
    # keys looked up are those of a sentence's words that other reports use too.
    held = Counter(k for report in reports for k in report.keys)
    for event, report in zip(ordered, reports):
        telling = sorted((-w, k) for k, w in report.weights.items() if held[k] > 1)[:CANDIDATE_KEYS]
        files, looks = _blocks(event)
        shared: dict[int, int] = {}
        get = shared.get
        for block in looks:
            for negative, k in telling:
                posting = index.get((block, k))
                if posting:
                    for c in posting[-POSTINGS:]:
                        shared[c] = get(c, 0) - negative
        nearest = most_shared(shared, CANDIDATES * 4)  # the weights are whole numbers
        dated = ((c, clusters[c], threshold) for c in nearest if (threshold := clusters[c].threshold(report)))
        best = _best_cluster(report, list(itertools.islice(dated, CANDIDATES)))
        if best is None:
            clusters.append(_Cluster())
            best = len(clusters) - 1
        clusters[best].add(report)
        for block in files:
            filed = posted.setdefault((block, best), set())
            fresh = report.keys - filed
            if fresh:
                filed |= fresh
                for k in fresh:  # each posting gets this cluster once: the order of keys does not matter
                    index.setdefault((block, k), []).append(best)
    main_start = None
    if first_publication:
        first = _day(first_publication)  # saturating: a corpus may hold an article dated 0001-01-01
        main_start = first - dt.timedelta(days=min(BACKGROUND_MARGIN_DAYS, (first - dt.date.min).days))
    entries = [_entry(c, main_start) for c in clusters]
    entries.sort(key=lambda e: (e.range_start, PRECISION_RANK.get(e.precision, 9), e.time or "", e.range_end, e.summary))
    for n, entry in enumerate(entries, 1):
        entry.id = f"t{n}"
    return entries


class _Report:
    """An event mention with what merging asks of it again and again worked out once:
    its weighted keys, their total, its days, clock time and date context."""

    __slots__ = ("event", "weights", "keys", "total", "norm", "days", "sentence", "clock", "context")

    def __init__(self, event: EventMention, weights: dict[str, float] | None) -> None:
        self.event = event
        keys = set(event.keys) | {"@" + x for x in event.entities}
        # in millionths: integer sums are exact in any order, so builds stay byte-identical
        self.weights = {k: round(_weight(k, weights) * 1_000_000) for k in sorted(keys)}
        self.keys = frozenset(self.weights)
        self.total = sum(self.weights.values())
        self.norm = 1 / math.sqrt(self.total) if self.total else 0.0
        self.days = (_day(event.expression.range_start), _day(event.expression.range_end))
        self.sentence = (event.article, event.paragraph, event.start)
        self.clock = _clock(event)
        self.context = frozenset(_context_keys(event)) if _long_before(event) else None

    def relation(self, other: _Report) -> str:
        return _relation(self.days, other.days)

    def similarity(self, other: _Report) -> float:
        """Weighted overlap (cosine) of content keys and entities; entities count double."""
        if not self.total or not other.total:
            return 0.0
        shared = sum(map(self.weights.__getitem__, self.keys & other.keys))
        return shared / math.sqrt(self.total * other.total)

    def bonus(self, other: _Report) -> float:
        """What a report gains from an exemplar of the same day beyond shared keys:
        the same clock time, or (for background) a shared word beside the date."""
        if self.days != other.days:
            return 0.0
        if self.clock and self.clock == other.clock:
            return SAME_TIME_BONUS
        if self.clock and other.clock:
            return -SAME_TIME_BONUS  # two times of one day: more likely two moments than one event
        if self.context and other.context and self.context & other.context:
            return SAME_CONTEXT_BONUS
        return 0.0


class _Cluster:
    """Reports of one event: all members, their distinct date ranges (every member's
    date must stay compatible) and the first EXEMPLARS reports it is judged by, kept
    as a key profile (each key's weight summed over the exemplars holding it, each
    exemplar scaled to unit length) so that the average similarity to them costs one
    look-up per key of the report, however large the cluster."""

    __slots__ = ("members", "ranges", "limits", "sentences", "profile", "peak", "timed")

    def __init__(self) -> None:
        self.members: list[_Report] = []
        self.ranges: dict[tuple[dt.date, dt.date], _Report] = {}
        self.limits: dict[tuple[dt.date, dt.date], float] = {}  # the threshold for a report's days, until a new range
        self.sentences: set[tuple[str, int, int]] = set()
        self.profile: dict[str, float] = {}
        self.peak: dict[str, float] = {}  # key → its largest share in one exemplar
        # exemplars that can give a bonus (a clock time or a date context), by their days:
        # only one of the report's own days can give it one (_Report.bonus)
        self.timed: dict[tuple[dt.date, dt.date], list[_Report]] = {}

    def add(self, report: _Report) -> None:
        self.members.append(report)
        if report.days not in self.ranges:
            self.ranges[report.days] = report
            self.limits.clear()
        self.sentences.add(report.sentence)
        if len(self.members) <= EXEMPLARS:
            profile, norm = self.profile, report.norm
            peak = self.peak
            for k, w in report.weights.items():
                share = w * norm
                profile[k] = profile.get(k, 0.0) + share
                if share > peak.get(k, 0.0):
                    peak[k] = share
            if report.clock or report.context:
                self.timed.setdefault(report.days, []).append(report)

    def threshold(self, report: _Report) -> float:
        """The score a report needs to join: higher when its date only contains, or
        is a day off, a member's; 0 when its date is incompatible with any of them
        or its sentence already gave the cluster a date (two dates, two events)."""
        if report.sentence in self.sentences:
            return 0.0
        threshold = self.limits.get(report.days)
        if threshold is None:
            threshold = SAME_EVENT
            for other in self.ranges.values():
                relation = report.relation(other)
                if not relation:
                    threshold = 0.0
                    break
                threshold = max(threshold, THRESHOLDS[relation])
            self.limits[report.days] = threshold
        return threshold

    def affinity(self, report: _Report) -> float:
        """The report's summed similarity to the exemplars, from the profile (summed
        in the report's key order, so the same in every run)."""
        return sum(map(self.profile.get, report.weights, itertools.repeat(0.0))) * report.norm

    def estimate(self, report: _Report, threshold: float) -> tuple[float, float, dict[int, float]]:
        """(average, bound, bonuses): the report's average score over the exemplars
        (exact, from the profile), a bound its score cannot exceed (the closest
        exemplar's score is at most each key's largest share in one exemplar, plus
        the largest bonus) and the bonuses by exemplar. A bound below `threshold`
        is returned without working out the rest: the average is below it too."""
        ceiling = sum(map(self.peak.get, report.weights, itertools.repeat(0.0))) * report.norm
        timed = self.timed.get(report.days) if self.timed else None
        bonuses = {id(other): bonus for other in timed if (bonus := report.bonus(other))} if timed else {}
        if bonuses:
            ceiling += max(0.0, max(bonuses.values()))
        if ceiling + BOUND_SLACK < threshold:
            return 0.0, ceiling, bonuses
        average = (self.affinity(report) + math.fsum(bonuses.values())) / min(len(self.members), EXEMPLARS)
        return average, (ceiling + average) / 2, bonuses

    def closest(self, report: _Report, bonuses: dict[int, float]) -> float:
        """The report's score against its closest exemplar (report.similarity, inlined)."""
        if not report.total:
            return max(bonuses.values(), default=0.0)
        weight, keys, total = report.weights.__getitem__, report.keys, report.total
        scores = [sum(map(weight, keys & other.keys)) / math.sqrt(total * other.total) if other.total else 0.0
                  for other in self.members[:EXEMPLARS]]
        if bonuses:
            scores = [score + bonuses.get(id(other), 0.0) for score, other in zip(scores, self.members)]
        return max(scores)

    def score(self, report: _Report) -> float:
        """How well a report fits: halfway between its closest exemplar and the
        average, so a close match counts but one that has nothing in common with
        the rest of the cluster does not chain on; 0 below the threshold."""
        threshold = self.threshold(report)
        if not threshold:
            return 0.0
        average, _bound, bonuses = self.estimate(report, 0.0)
        score = (self.closest(report, bonuses) + average) / 2
        return score if score >= threshold else 0.0


def _best_cluster(report: _Report, candidates: list[tuple[int, _Cluster, float]]) -> int | None:
    """The candidate the report fits best (highest score, then earliest), or None.

    Each candidate's score is first bounded from its profile; the closest exemplar
    is looked for only in those whose bound can still reach the threshold and beat
    the best found so far, so a report is fully scored against few clusters, and
    the choice is the same as scoring every candidate."""
    bounded = []
    for c, cluster, threshold in candidates:
        average, bound, bonuses = cluster.estimate(report, threshold)
        bound += BOUND_SLACK
        if bound >= threshold:
            bounded.append((-bound, c, cluster, threshold, average, bonuses))
    bounded.sort(key=lambda b: (b[0], b[1]))
    best: tuple[float, int] | None = None
    for negative, c, cluster, threshold, average, bonuses in bounded:
        if best is not None and -negative < best[0]:
            break
        score = (cluster.closest(report, bonuses) + average) / 2
        if score >= threshold and (best is None or (-score, c) < (-best[0], best[1])):
            best = (score, c)
    return None if best is None else best[1]


def _weight(key: str, weights: dict[str, float] | None) -> float:
    return (1.0 if weights is None else weights.get(key.lstrip(NAME), 0.0)) * (2.0 if key.startswith("@") else 1.0)


def _long_before(event: EventMention) -> bool:
    """A date well before the report's own (background such as "the invasion on
    February 24"): there, the words beside the date name the event; on the report's
    own days they are mostly "said on Friday"."""
    if not event.dct or len(event.dct) != 10:
        return False
    published = _day(event.dct)
    return (published - _day(event.expression.range_end)).days > BACKGROUND_MARGIN_DAYS


def _context_keys(event: EventMention) -> tuple[str, ...]:
    """Content keys of the words just around the time expression in its sentence."""
    start = event.expression.start - event.start
    end = event.expression.end - event.start
    window = event.quote[max(0, start - CONTEXT_CHARS):end + CONTEXT_CHARS]
    offset = max(0, start - CONTEXT_CHARS)
    return tuple(k for k in content_keys(window, [(start - offset, end - offset)]) if not k.startswith("#"))


def _clock(event: EventMention) -> str:
    value = event.expression.value or ""
    return value.split("T", 1)[1][:5] if event.expression.precision == "time" and "T" in value else ""


def _entry(reports: _Cluster, main_start: dt.date | None) -> TimelineEntry:
    # the entry's date: the most precise report, its value at that precision
    cluster = [r.event for r in reports.members]
    sources = sorted(cluster, key=lambda e: (e.dct or "", e.article, e.paragraph, e.start))
    given = Counter(e.expression.range_start for e in cluster if e.expression.range_start == e.expression.range_end)
    days = sorted(given)
    conflicts = days[1:] if len(days) > 1 else []
    # when the sources' days differ, the day most of them give (then the earliest):
    # one dissenting report does not move the entry
    majority = min(days, key=lambda d: (-given[d], d)) if conflicts else None
    precise = min(cluster, key=lambda e: (majority is not None and e.expression.range_start != majority,
                                          PRECISION_RANK.get(e.expression.precision, 9), e.expression.range_start,
                                          e.article, e.paragraph, e.start))
    expr = precise.expression
    date_value = expr.value.split("T")[0] if expr.value else expr.range_start
    if expr.precision in ("time", "part of day"):
        date_value = expr.range_start
    time = None
    if expr.type == "TIME" and expr.value and "T" in expr.value:
        time = expr.value.split("T", 1)[1]
    precision = "day" if expr.precision in ("time", "part of day") else expr.precision
    if expr.mod in ("START", "MID", "END") and precision not in ("day",):
        precision = {"START": "early ", "MID": "mid-", "END": "late "}[expr.mod] + precision
    position = {id(e): i for i, e in enumerate(sources)}
    # rounded: two reports that fit the exemplars equally well tie, whatever order the profile summed in
    central = max(reports.members, key=lambda r: (round(reports.affinity(r), 9), -len(r.event.quote),
                                                 -position[id(r.event)])).event
    entities = sorted({x for e in cluster for x in e.entities})
    background = bool(main_start and _day(expr.range_end) < main_start)
    if conflicts and expr.precision in ("day", "time", "part of day"):
        date_value = majority
    return TimelineEntry(
        id="", date=date_value, precision=precision, range_start=expr.range_start, range_end=expr.range_end,
        time=time, zone=expr.zone, background=background, summary=shorten(central.quote), entities=entities,
        # the matching keys have served: an entry keeps its reports without them (a fifth of the timeline's memory)
        sources=[replace(e, keys=()) for e in sources],
        conflicts=[d for d in days if d != date_value] if conflicts else [])


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–—-") + " …"


def entries_for(timeline: list[TimelineEntry], entity_id: str) -> list[TimelineEntry]:
    """The timeline entries an entity takes part in, in chronological order (for entity pages)."""
    return [entry for entry in timeline if entity_id in entry.entities]


# --- reading order for pages ------------------------------------------------------------

def chronology(timeline: list[TimelineEntry]) -> list[dict]:
    """The timeline as pages show it: background apart, then the dossier's own days;
    each grouped by year, month and day in date order. An entry coarser than a day
    (a season, "late September") is a group of its own, at the place its range starts."""
    sections = []
    for background, title in ((True, "Background"), (False, "The events")):
        entries = [e for e in timeline if e.background == background]
        if not entries:
            continue
        years: list[dict] = []
        for e in entries:
            year = e.range_start[:4]
            level = _level(e)
            month = e.range_start[:7] if level in ("month", "day") else ""
            day = e.range_start if level == "day" else ""
            if not years or years[-1]["year"] != year:
                years.append({"year": year, "months": []})
            months = years[-1]["months"]
            if not months or months[-1]["key"] != month:
                months.append({"key": month, "label": _month_label(month), "days": []})
            days = months[-1]["days"]
            if not days or days[-1]["key"] != day:
                days.append({"key": day, "label": _day_label(day), "entries": []})
            days[-1]["entries"].append(e)
        sections.append({"title": title, "background": background, "years": years})
    return sections


def _level(entry: TimelineEntry) -> str:
    if entry.range_start == entry.range_end:
        return "day"
    if entry.range_start[:7] == entry.range_end[:7] and entry.precision != "week":
        return "month"
    return "year"


def _month_label(month: str) -> str:
    if not month:
        return ""
    from babel.dates import format_date

    return format_date(dt.date(int(month[:4]), int(month[5:7]), 1), "MMMM y", locale="en")


def _day_label(day: str) -> str:
    if not day:
        return ""
    from babel.dates import format_date

    return format_date(dt.date.fromisoformat(day), "EEEE d MMMM y", locale="en")


SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PERIOD_NAMES = {code: name for name, code in timex.PERIOD_CODES.items()}  # "MO" → "morning"


def readable_value(value: str | None) -> str:
    """A TIMEX3 value as a reader sees it: a part of the day by name ("2021-03-23TMO"
    → "2021-03-23, morning"), every other value as it is."""
    day, _, time = (value or "").partition("T")
    return f"{day}, {PERIOD_NAMES[time]}" if time in PERIOD_NAMES else value or ""


def when(entry: TimelineEntry) -> str:
    """How an entry's date reads: "Friday 11 November 2022, 05:00 (local time)",
    "late September 2022", "summer 2022", "week 45 of 2022 (7–13 November)"."""
    from babel.dates import format_date

    part, base = re.fullmatch(r"(early |mid-|late )?(.*)", entry.precision).groups()
    prefix = part or ""
    first, last = dt.date.fromisoformat(entry.range_start), dt.date.fromisoformat(entry.range_end)
    if base == "day":
        text = format_date(first, "EEEE d MMMM y", locale="en")
    elif base == "month":
        text = prefix + format_date(first, "MMMM y", locale="en")
    elif base == "season":
        season = re.search(r"-(SP|SU|FA|WI)$", entry.date)
        text = prefix + (f"{SEASON_NAMES[season.group(1)]} {entry.date[:4]}" if season else entry.date)
    elif base in ("week", "weekend"):
        iso = first.isocalendar()
        span = f"{first.day}–{format_date(last, 'd MMMM', locale='en')}"
        text = f"{'weekend' if base == 'weekend' else 'week'} {iso[1]} of {iso[0]} ({span})"
    elif base == "year":
        text = prefix + entry.date[:4]
    elif base == "decade":
        text = f"the {entry.date}0s"
    else:
        text = entry.date
    if entry.time:
        text += ", " + PERIOD_NAMES.get(entry.time, entry.time)
    if entry.zone:  # "local time" in any language reads as such; a zone by name as written ("norsk tid")
        text += " (local time)" if timex.case_fold(entry.zone) in timex.local_time_phrases() else f" ({entry.zone})"
    return text


def timelinejs(title: str, timeline: list[TimelineEntry], article_titles: dict[str, str]) -> dict:
    """The timeline in TimelineJS's JSON format (its "text" fields are HTML: escaped here)."""
    import html

    def date_of(iso: str, time: str | None = None) -> dict:
        out = {"year": int(iso[:4]), "month": int(iso[5:7]), "day": int(iso[8:10])}
        clock = re.match(r"(\d\d):(\d\d)", time or "")
        if clock:
            out.update(hour=int(clock.group(1)), minute=int(clock.group(2)))
        return out

    events = []
    for entry in timeline:
        level = _level(entry)
        start = date_of(entry.range_start, entry.time)
        if level == "year" and entry.range_start[5:] == "01-01" and entry.range_end[5:] == "12-31":
            start = {"year": int(entry.range_start[:4])}
        sources = "".join(
            f"<p><q>{html.escape(s.quote)}</q> ({html.escape(article_titles.get(s.article, s.article))}, "
            f"{html.escape(s.language)}; “{html.escape(s.expression.text)}” = {html.escape(readable_value(s.expression.value))})</p>"
            for s in entry.sources)
        event = {"unique_id": entry.id, "start_date": {**start, "display_date": when(entry)},
                 "text": {"headline": html.escape(shorten(entry.summary, 90)), "text": sources},
                 "group": "Background" if entry.background else "Events"}
        if level != "day" and "month" in start:
            event["end_date"] = date_of(entry.range_end)
        events.append(event)
    return {"title": {"text": {"headline": html.escape(title), "text": "Timeline of the dossier"}}, "events": events}
