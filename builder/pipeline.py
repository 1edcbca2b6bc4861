"""Runs the stages in order: corpus → clean → language → metadata → dossier.

Each stage is a plain function from data to data; this module only wires them
together and keeps per-file failures from stopping the rest of the corpus.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from anyascii import anyascii

from builder import corpus, entities, facts, language, metadata, timeline
from builder.cache import ArticleCache, cached_map
from builder.clean import build_paragraphs
from builder.locale_data import SUPPORTED_LANGUAGES, locale
from builder.model import ERROR, WARNING, Article, Dossier, Inferred, Problem, SourceFile
from builder.parallel import MIN_JOBS_FOR_WORKERS, fewer_collections, in_background, in_foreground

DOSSIER_FILE_KEYS = ("title", "description")


def build_dossier(corpus_dir: Path, today: dt.date, progress: bool = False, cache: ArticleCache | None = None,
                  timings: dict[str, float] | None = None) -> Dossier:
    """The whole dossier model for a corpus folder.

    `cache` reuses per-article results of earlier builds; `timings`, if given,
    receives the wall time of each stage in seconds (for bench/).
    """
    with fewer_collections():
        return _build_dossier(corpus_dir, today, progress, cache, timings)


def _build_dossier(corpus_dir: Path, today: dt.date, progress: bool, cache: ArticleCache | None,
                   timings: dict[str, float] | None) -> Dossier:
    with timed(timings, "read corpus"):
        sources, problems = corpus.load_corpus(corpus_dir, today)
        settings = load_settings(corpus_dir, problems)
        ids = article_ids([s.path for s in sources])
    with timed(timings, "articles (clean, language, metadata)"):
        jobs = [(source, ids[source.path], today, cache) for source in sources]
        # The language models are loaded once, before the workers fork, so they share
        # them; without workers only those of the languages met are (lazily) loaded.
        results = cached_map(cache, "article", jobs, article_job_key, article_job, progress=progress,
                             before_fork=language.preload)
        if cache is not None:  # kept for the next edit of each file, rebuilt or not
            cache.used.update(remembered_key(cache, source.path) for source in sources)
        if len(sources) >= MIN_JOBS_FOR_WORKERS:
            language.release()  # no later stage identifies languages: give its memory to them
        articles: list[Article] = []
        for article, found in results:
            problems.extend(found)
            if article is not None:
                articles.append(article)
        # Each article came back with its own copy of its file: the read copies go.
        del results, jobs, sources
        complete_years(articles)
    with timed(timings, "per-article analysis (names, time expressions)"):
        analyses = dict(zip((a.id for a in articles),
                            cached_map(cache, "analysis", articles, article_state, analyse_article, progress=progress,
                                       before_fork=lambda: timeline.prepare(articles))))
        reports = {article_id: found for article_id, (_names, found, _weekdays) in analyses.items()}
        weekdays = {article_id: found for article_id, (_names, _reports, found) in analyses.items()
                    if found is not None}
        redated = metadata.infer_dates_from_events(articles, reports, weekdays)
        # resolved against the inferred date (which is part of the key)
        reports.update(zip((a.id for a in redated), cached_map(cache, "reports", redated, article_state,
                                                                timeline.article_reports)))
    with timed(timings, "entities"):
        occurrences = [o for a in sorted(articles, key=lambda a: a.id) for o in analyses[a.id][0]]
        found_entities = entities.find_entities(articles, occurrences,
                                                curation=entities.load_curation(corpus_dir, problems), cache=cache)
        del analyses, occurrences  # the name occurrences live on as mentions: free the memory
    title = settings.get("title")
    dossier = Dossier(
        title=title or default_title(articles),
        description=settings.get("description", ""),
        articles=articles,
        problems=problems,
        title_inferred=not title,
        entities=found_entities,
    )
    # The timeline merge (one core) runs in a child process while the fact candidates
    # take both cores; the facts wait for it only where they need it.
    merge = in_background if len(articles) >= MIN_JOBS_FOR_WORKERS else in_foreground
    merged_timeline = merge(timeline.build_timeline, dossier.articles, dossier.entities, reports)
    del reports
    with timed(timings, "fact candidates"):
        by_article = facts.mentions_by_article(dossier.entities)
        jobs = [(a, by_article.get(a.id)) for a in sorted(articles, key=lambda a: a.id)]
        candidates = dict(zip((a.id for a, _ in jobs),
                              cached_map(cache, "fact candidates", jobs, fact_job_state, facts.candidates_job,
                                         before_fork=facts.prepare, keep=facts.set_sharer())))
        del by_article, jobs
    # The facts wait for the merged timeline only for the clock times they read from
    # it, after counts and claims are aligned (the wait is timed apart, not as "facts").
    wait = "timeline (merged meanwhile; the wait for it)"
    timeline_when_merged = waited(merged_timeline, timings, wait)
    waited_before = (timings or {}).get(wait, 0.0)
    with timed(timings, "facts"):
        dossier.facts = facts.apply_claims(corpus_dir, facts.find_facts(dossier.articles, dossier.entities,
                                                                        timeline_when_merged, candidates, cache),
                                           dossier.articles, problems)
    if timings is not None:
        timings["facts"] -= timings.get(wait, 0.0) - waited_before
    dossier.timeline = timeline_when_merged()
    dossier.problems = sorted(problems, key=lambda p: (p.file, p.line, p.message))
    if cache is not None:
        cache.flush()  # the entries stored outside the per-article maps
    return dossier


@contextmanager
def timed(timings: dict[str, float] | None, stage: str):
    """Add the wall time of the block to timings[stage]."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def waited(result: Callable[[], Any], timings: dict[str, float] | None, stage: str) -> Callable[[], Any]:
    """`result()` (of parallel.in_background, which answers once), asked for as often
    as needed; the first wait is timed as `stage`."""
    answer: list = []

    def value() -> Any:
        if not answer:
            with timed(timings, stage):
                answer.append(result())
        return answer[0]

    return value


def article_job_key(job: tuple[SourceFile, str, dt.date, ArticleCache | None]) -> tuple[str, ...]:
    source, article_id, today, _cache = job
    return (source.path, article_id, today.isoformat(), source.encoding, source.text)


def article_state(article: Article) -> tuple[str, ...]:
    """What an article's analysis depends on: its file (which fixes the text, the
    paragraphs and their languages) and its date, which corpus-level steps may set."""
    d = article.date
    return (article.id, article.file, article.source.encoding, article.source.text, str(d.value), str(d.inferred),
            d.method or "", d.evidence or "", article.date_precision)


def analyse_article(article: Article) -> tuple[list, object, list | None]:
    """The per-article extraction the corpus-level stages build on (cached, on all
    cores): name occurrences for the entity index, dated events and sentence keys
    for the timeline and, for an article not dated to the day, the weekdays it
    names (which the corpus may date it by; None for a dated article)."""
    weekdays = None if metadata.is_dated(article) else metadata.weekday_mentions(article)
    return entities.extract_names(article), timeline.article_reports(article), weekdays


def fact_job_state(job: tuple[Article, dict | None]) -> tuple[str, ...]:
    article, mentions = job
    found = sorted((index, m.start, m.end, m.text, entity_id)
                   for index, pairs in (mentions or {}).items() for m, entity_id in pairs)
    return (*article_state(article), repr(found))


def article_job(job: tuple[SourceFile, str, dt.date, ArticleCache | None]) -> tuple[Article | None, list[Problem]]:
    """make_article for one file, its problems, and a problem instead of an exception.
    With a cache, the languages found in the file's paragraphs by the last build that
    made it are reused for the paragraphs still there, and this build's are kept."""
    source, article_id, today, cache = job
    problems: list[Problem] = []
    stored = cache is not None and cache.folder is not None
    key = remembered_key(cache, source.path) if stored else ""
    remembered = language.Remembered((cache.load(key) if stored else None) or {})
    try:
        article = make_article(source, article_id, today, problems, remembered)
        if stored and remembered.now != remembered.earlier:
            cache.store(key, remembered.now)
        return article, problems
    except Exception as exc:  # one bad file must not stop the corpus
        where = traceback.extract_tb(exc.__traceback__)[-1]
        problems.append(Problem(source.path, 1, ERROR,
                                f"could not be processed ({type(exc).__name__}: {exc}; "
                                f"at {Path(where.filename).name}:{where.lineno}): skipped"))
        return None, problems


def remembered_key(cache: ArticleCache, path: str) -> str:
    """Where the paragraph languages last found in a file are kept: by its path, not
    its content, so an edited file finds them (language.Remembered)."""
    return cache.key("paragraph languages", path)


def load_settings(corpus_dir: Path, problems: list[Problem]) -> dict:
    """The optional corpus/dossier.yml: the dossier's title and description."""
    rel = "dossier.yml"
    loaded = corpus.read_config(corpus_dir, rel, problems)
    if loaded is None:
        return {}
    data, text = loaded
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, ERROR, "must be a mapping with 'title' and 'description': ignored"))
        return {}
    settings = {}
    for key, value in data.items():
        line = corpus._key_line(text, str(key)) - 1
        if key not in DOSSIER_FILE_KEYS:
            problems.append(Problem(rel, line, WARNING, f"unknown key '{key}' ignored (known: {', '.join(DOSSIER_FILE_KEYS)})"))
        elif not isinstance(value, str):
            problems.append(Problem(rel, line, ERROR, f"'{key}' must be text: ignored"))
        else:
            settings[key] = value.strip()
    return settings


def article_ids(paths: list[str]) -> dict[str, str]:
    """A URL-safe id per file, unique, from its path in Latin letters: "a/Some File.txt" →
    "a-some-file", "Ünïcödé.txt" → "unicode", "Россия.txt" → "rossiya" (not "article-2",
    which would change as files come and go)."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    bases = {}
    for path in paths:
        stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
        bases[path] = re.sub(r"[^a-z0-9]+", "-", anyascii(stem).lower()).strip("-")[:80]
    # names without a letter or digit ("?.txt") come last: they never take "article" from "article.txt"
    for path in sorted(paths, key=lambda p: (not bases[p], p)):
        base = bases[path] or "article"
        candidate, n = base, 2
        while candidate in used or candidate == "index":
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids[path] = candidate
    return ids


def make_article(source: SourceFile, article_id: str, today: dt.date, problems: list[Problem],
                 remembered: language.Remembered | None = None) -> Article:
    first, newline, rest = source.body.partition("\n")
    marker, first = corpus.split_date_marker(first)
    paragraphs = build_paragraphs(first + newline + rest, source.body_line)
    article = Article(article_id, source.path, source, paragraphs, date_marker=marker)
    metadata.apply_stated(article)
    fm = source.front_matter

    # Date: front matter, else the date marker, else a dateline in the text.
    if "date" in fm:
        stated = corpus.parse_stated_date(fm["date"], source.path, corpus._key_line(source.front_matter_text[4:], "date"), today, problems)
        if stated:
            article.date, article.date_precision = Inferred(stated.value, False, "front matter", str(fm["date"])), stated.precision
    if marker and not article.date.known:
        value = marker.split()[1]
        stated = corpus.parse_stated_date(value, source.path, source.body_line, today, problems)
        if stated:
            article.date, article.date_precision = Inferred(stated.value, False, "date marker", marker.strip(), source.body_line), stated.precision
    if not article.date.known:
        article.date, article.date_precision = metadata.infer_date(paragraphs)

    stated_language = stated_language_of(source, "language", problems)
    code = language.tag_article(paragraphs, stated_language, remembered)
    if stated_language:
        article.language = Inferred(stated_language, False, "front matter", stated_language)
    elif code:
        body_words = sum(len(p.text.split()) for p in paragraphs if p.language == code)
        article.language = Inferred(code, True, "language identification",
                                    f"{body_words} words identified as {code}")
    translated = stated_language_of(source, "translated_from", problems)
    article.translated_from = (Inferred(translated, False, "front matter", translated) if translated
                               else language.infer_translation(paragraphs, code))

    if not article.title.known:
        article.title = metadata.infer_title(paragraphs)
    if not article.title.known:
        article.title = Inferred(source.path, True, "file name", source.path)
    if not article.outlet.known:
        article.outlet = metadata.infer_outlet(paragraphs, article.url.value)
    article.agencies = metadata.infer_agencies(paragraphs)
    return article


def stated_language_of(source: SourceFile, key: str, problems: list[Problem]) -> str | None:
    """A BCP 47 tag from front matter, checked against CLDR; 'no' becomes 'nb'."""
    value = source.front_matter.get(key)
    if not value:
        return None
    line = corpus._key_line(source.front_matter_text[4:], key)
    code = str(value).strip().replace("_", "-")
    if code.lower() in ("no", "nor", "norwegian"):
        problems.append(Problem(source.path, line, WARNING, f"{key} '{value}' read as Norwegian Bokmål (nb)"))
        return "nb"
    try:
        loc = locale(code)
    except (ValueError, LookupError):
        problems.append(Problem(source.path, line, ERROR, f"{key} '{value}' is not a language tag (BCP 47, e.g. 'nb', 'fr'): ignored"))
        return None
    tag = "-".join(part for part in (loc.language, loc.script, loc.territory) if part)
    if loc.language not in SUPPORTED_LANGUAGES:
        problems.append(Problem(source.path, line, WARNING, f"{key} '{tag}' is not among the languages the builder identifies"))
    return tag


def complete_years(articles: list[Article]) -> None:
    """Datelines without a year take it from the corpus's dated articles."""
    known = [a.date.value for a in articles if a.date.known and a.date_precision in ("day", "month", "year")]
    for article in articles:
        if article.date_precision == "month-day":
            article.date, article.date_precision = metadata.complete_year(article.date, article.date_precision, known)


def default_title(articles: list[Article]) -> str:
    """Without corpus/dossier.yml: name the dossier after the dates it covers."""
    dates = sorted(a.date.value for a in articles if a.date.known)
    if not dates:
        return "News dossier"
    return f"News dossier, {dates[0]}" if dates[0] == dates[-1] else f"News dossier, {dates[0]} – {dates[-1]}"
