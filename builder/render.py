"""Stage: the dossier model becomes Markdown pages for MkDocs, from templates.

Article text is untrusted. Every piece of it is HTML-escaped by Jinja's autoescape
and placed inside raw HTML blocks, which Python-Markdown passes through without
interpreting, so tags, Markdown and `{{ }}` in an article appear literally.
Page front matter is written by libyaml's safe dumper and its title pre-escaped,
because MkDocs' templates print `page.meta.title` unescaped.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from builder import timeline as timeline_stage
from builder.cache import ArticleCache, fields_of, value_digest
from builder.locale_data import language_names
from builder.sentences import sentence_at
from builder.entities import cooccurring
from builder.model import (AGREED, BODY, BOILERPLATE, CAPTION, CONTESTED, CREDIT, DISPUTED, ENTITY_TYPES,
                           FACT_STATUSES, HEADING, RELATED, SINGLE_SOURCE, Article, Dossier, Entity,
                           Fact, FactSource, Mention, Paragraph, mentions_by_paragraph)

FOLDED_ROLES = (BOILERPLATE, RELATED)
ROLE_LABELS = {
    "body": "body text", "heading": "subheading", "boilerplate": "site furniture",
    "credit": "credit", "caption": "photo caption", "aside": "aside (link to another story)",
    "related": "related headline", "pullquote": "pull quote (repeated from the text)",
}


@dataclass(frozen=True)
class Segment:
    """A run of paragraph text, with a language tag where it differs from the paragraph
    and the entity it names, if it is a mention."""

    text: str
    language: str | None = None
    confidence: float = 0.0
    entity: str | None = None  # entity id


@dataclass(frozen=True)
class Block:
    """What the article template iterates over: a paragraph, or a fold of furniture."""

    kind: str  # "paragraph" or "fold"
    paragraphs: tuple[Paragraph, ...]


# A page to write: its path relative to docs/ and what renders its text, in pieces.
PageJob = tuple[str, Callable[[], Iterable[str]]]

# Search indexes the articles' own text once, on their pages. Pages made of quotes
# from them stay out of the index: the summary and the timeline as a whole (front
# matter), the quoting sections of entity pages (between "not indexed" markers, see
# builder/mkdocs_hooks.py). Search finds a quote at its source.
QUOTES_ONLY = {"search": {"exclude": True}}


def environment() -> Environment:
    env = Environment(loader=PackageLoader("builder", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals.update(language_badge=language_badge, role_label=ROLE_LABELS.get,
                       segments=segments, relative=relative, when=timeline_stage.when,
                       readable_value=timeline_stage.readable_value)
    macros = env.get_template("_macros.j2").module
    env.globals["badge"] = lru_cache(maxsize=256)(macros.badge_markup)  # the same few languages, page after page
    return env


def page_url(path: str) -> str:
    """Site URL of a docs page (use_directory_urls is off: a.md → a.html)."""
    return path[:-3] + ".html"


def relative(from_page: str, to_page: str) -> str:
    """Link from one docs page to another, relative, as MkDocs would write it."""
    target = page_url(to_page) if to_page.endswith(".md") else to_page
    folder, _, name = target.rpartition("/")  # docs paths are relative: posixpath.split's answer, faster
    from_folder = from_page.rpartition("/")[0]
    if folder == from_folder:
        return name
    prefix = folder_link(from_folder, folder)
    return name if prefix == "." else f"{prefix}/{name}"


@lru_cache(maxsize=4096)
def folder_link(from_folder: str, to_folder: str) -> str:
    """posixpath.relpath between two docs folders, once per pair: pages link in the
    hundreds of thousands, between a handful of folders."""
    return posixpath.relpath(to_folder or ".", from_folder or ".")


def paragraph_link(from_page: str, source: FactSource) -> str:
    """Link to the paragraph an article source is quoted from: articles/{id}.html#p{n}."""
    return relative(from_page, f"articles/{source.article}.md") + f"#p{source.paragraph + 1}"


@lru_cache(maxsize=1024)
def language_badge(code: str | None) -> dict:
    """English and native name of a language (cached: every paragraph and quote has one)."""
    if not code or code == "und":
        return {"code": "und", "english": "unknown language", "native": ""}
    english, native = language_names(code)
    return {"code": code, "english": english, "native": native if native.lower() != english.lower() else ""}


def segments(p: Paragraph, mentions: list[tuple[Mention, str]] = ()) -> list[Segment]:
    """The paragraph cut at every foreign-span and mention boundary, so each piece can
    carry its language and its link to an entity page."""
    cuts = {0, len(p.text)}
    for span in p.spans:
        cuts.update((span.start, span.end))
    for mention, _ in mentions:
        cuts.update((mention.start, mention.end))
    points = sorted(c for c in cuts if 0 <= c <= len(p.text))
    out: list[Segment] = []
    for start, end in zip(points, points[1:]):
        span = next((s for s in p.spans if s.start <= start and end <= s.end), None)
        entity = next((eid for m, eid in mentions if m.start <= start and end <= m.end), None)
        piece = Segment(p.text[start:end], span.language if span else None, span.confidence if span else 0.0, entity)
        if out and (out[-1].language, out[-1].entity) == (piece.language, piece.entity):
            piece = Segment(out[-1].text + piece.text, piece.language, piece.confidence, piece.entity)
            out[-1] = piece
        else:
            out.append(piece)
    return out


def blocks(article: Article) -> list[Block]:
    """Paragraphs in order, with consecutive furniture gathered into one fold."""
    out: list[Block] = []
    for p in article.paragraphs:
        if p.role in FOLDED_ROLES:
            if out and out[-1].kind == "fold":
                out[-1] = Block("fold", out[-1].paragraphs + (p,))
            else:
                out.append(Block("fold", (p,)))
        else:
            out.append(Block("paragraph", (p,)))
    return out


def front_matter(title: str, lang: str | None = None, **extra) -> str:
    meta = {"title": html.escape(title, quote=True)}
    if lang:
        meta["lang"] = lang
    meta.update(extra)
    return "---\n" + yaml.dump(meta, Dumper=FRONT_MATTER_DUMPER, allow_unicode=True, sort_keys=True,
                                width=10_000) + "---\n"


# libyaml's dumper: six times faster than PyYAML's own, and its text always reads back
# as written (PyYAML's folds a title holding U+0085 or U+2029 into a different one).
FRONT_MATTER_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def sort_key(article: Article) -> tuple:
    return (article.date.value or "9999", article.title.value or "", article.id)


NOTABLE_SINGLE_SOURCE = 12  # single-source facts shown on the summary; all are on the fact pages
STATUS_KEYS = {AGREED: "agreed", DISPUTED: "disputed", CONTESTED: "contested", SINGLE_SOURCE: "single"}  # in `summary`


def summary(dossier: Dossier, limit: int | None = None, sources_per_fact: int | None = None,
            facts_per_page: int | None = None) -> dict:
    """The facts by status, for the summary page and the briefing; `limit` keeps the
    best-sourced facts of each status and `sources_per_fact` the most varied of their
    sources (the print of a large corpus stays a briefing). With `facts_per_page`
    (the site) every fact of each status is also listed on numbered pages of that
    many facts (`pages`: status → [NumberedPage]), which the summary links to."""
    by_status = facts_by_status(dossier)
    single = [f for f in by_status[SINGLE_SOURCE] if f.weight > 0][:NOTABLE_SINGLE_SOURCE]
    shown = {"agreed": by_status[AGREED][:limit], "disputed": by_status[DISPUTED][:limit],
             "contested": by_status[CONTESTED][:limit], "single": single}
    return {
        **shown,
        "sources_of": {f.id: varied_sources(f, sources_per_fact) for facts in shown.values() for f in facts},
        "limit": limit if limit is not None and any(len(by_status[k]) > limit
                                                     for k in (AGREED, DISPUTED, CONTESTED)) else None,
        "counts": {"agreed": len(by_status[AGREED]), "disputed": len(by_status[DISPUTED]),
                   "contested": len(by_status[CONTESTED]), "single": len(by_status[SINGLE_SOURCE])},
        # numbered pages only for a status the summary cannot show whole (no page nothing links to)
        "pages": fact_pages({status: facts for status, facts in by_status.items()
                             if len(facts) > len(shown[STATUS_KEYS[status]])},
                            facts_per_page) if facts_per_page else {},
        "statuses": ("agreed", "disputed", "contested", "single"),
        "by_status": by_status,
    }


def facts_by_status(dossier: Dossier) -> dict[str, list[Fact]]:
    """Status → its facts, best-sourced first, each keeping only the evidence of the
    dossier's articles (a dossier cut down to some articles drops the others')."""
    known = {a.id for a in dossier.articles}
    facts = [f if all(s.article in known for s in f.sources)
             else dataclasses.replace(f, sources=[s for s in f.sources if s.article in known])
             for f in dossier.facts]
    facts = [f for f in facts if f.sources]
    return {status: [f for f in facts if f.status == status] for status in FACT_STATUSES}


@dataclass(frozen=True)
class NumberedPage:
    """One of the numbered pages a long list is laid out on: items[first - 1:last]."""

    path: str
    number: int
    first: int
    last: int
    total: int
    label: str  # how links to it read: "201–400", "2024-03-03 – 2024-03-08"


def numbered_pages(folder: str, total: int, per_page: int,
                   label: Callable[[int, int], str] = lambda first, last: f"{first}–{last}" if last > first
                   else str(first)) -> list[NumberedPage]:
    """`folder`-1.md, `folder`-2.md … (or `folder`/1.md … for a folder ending in "/"),
    `per_page` items each; `label(first, last)` names a page by its 1-based range."""
    joiner = "" if folder.endswith("/") else "-"
    return [NumberedPage(f"{folder}{joiner}{n}.md", n, start + 1, min(start + per_page, total), total,
                         label(start + 1, min(start + per_page, total)))
            for n, start in enumerate(range(0, total, per_page), 1)]


def fact_pages(by_status: dict[str, list[Fact]], per_page: int) -> dict[str, list[NumberedPage]]:
    """Status → the numbered pages listing all its facts, `per_page` each."""
    return {status: numbered_pages(f"facts/{status}", len(facts), per_page) for status, facts in by_status.items()}


def varied_sources(fact: Fact, limit: int | None) -> list[FactSource]:
    """Up to `limit` of a fact's sources, taken in turn from each value (disputed),
    role (contested) or outlet (agreed), so a cut list still shows every side."""
    if limit is None or len(fact.sources) <= limit:
        return list(fact.sources)
    key = {DISPUTED: lambda s: s.value, CONTESTED: lambda s: s.role}.get(fact.status, lambda s: s.outlet)
    groups: dict[str, list[FactSource]] = {}
    for s in fact.sources:
        groups.setdefault(key(s), []).append(s)
    picked: set[int] = set()
    queues = list(groups.values())
    while len(picked) < limit:
        for queue in queues:
            if queue and len(picked) < limit:
                picked.add(id(queue.pop(0)))
    return [s for s in fact.sources if id(s) in picked]


def overview(dossier: Dossier, articles: list[Article]) -> dict:
    """What the home page and the briefing's cover say about the whole dossier."""
    languages = Counter(a.language.value or "und" for a in articles)
    outlets = Counter(a.outlet.value for a in articles if a.outlet.known)
    agencies = Counter(ag.value for a in articles for ag in a.agencies)
    dates = sorted(a.date.value for a in articles if a.date.known)
    return {
        "dossier": dossier, "articles": articles, "languages": sorted(languages.items()),
        "outlets": sorted(outlets.items()), "agencies": sorted(agencies.items()),
        "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
        "undated": sum(1 for a in articles if not a.date.known),
        "errors": sum(1 for p in dossier.problems if p.severity == "error"),
        "warnings": sum(1 for p in dossier.problems if p.severity == "warning"),
        "summary": summary(dossier, limit=SITE_FACTS_PER_STATUS, sources_per_fact=SITE_SOURCES_PER_FACT,
                           facts_per_page=FACTS_PER_PAGE),
        "by_id": {a.id: a for a in articles},
    }


TYPE_HEADINGS = {"person": "People", "organisation": "Organisations", "place": "Places", "other": "Other names"}


@dataclass(frozen=True)
class MentionInContext:
    """A mention shown inside its sentence, for entity pages."""

    article: Article
    paragraph: Paragraph
    before: str
    name: str
    after: str
    language: str


def entity_profile(entity: Entity, articles: dict[str, Article]) -> dict:
    """What the index says about an entity: reach, languages and dates."""
    used = [articles[m.article] for m in entity.mentions if m.article in articles]
    ids = sorted({a.id for a in used})
    dates = sorted(articles[i].date.value for i in ids if articles[i].date.known)
    outlets = sorted({articles[i].outlet.value for i in ids if articles[i].outlet.known})
    languages = sorted({lang for alias in entity.aliases for lang in alias.languages})
    return {"entity": entity, "mentions": len(entity.mentions), "articles": ids, "outlets": outlets,
            "languages": languages, "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None}


MENTIONS_IN_CONTEXT = 150  # per entity page; the rest are listed as paragraph links
STATEMENTS_IN_FULL = 100  # likewise the attributed statements on an entity page
ALIAS_ARTICLES = 30  # articles linked per spelling in the "Names used" table; the mentions list them all


def mentions_in_context(entity: Entity, articles: dict[str, Article],
                        limit: int = MENTIONS_IN_CONTEXT) -> list[MentionInContext]:
    """The first `limit` mentions, each inside its sentence."""
    out = []
    for m in entity.mentions[:limit]:
        article = articles.get(m.article)
        if article is None or m.paragraph >= len(article.paragraphs):
            continue
        p = article.paragraphs[m.paragraph]
        start, end = sentence_at(p.text, m.start)
        start, end = min(start, m.start), max(end, m.end)
        span = next((s for s in p.spans if s.start <= m.start < s.end), None)
        out.append(MentionInContext(article, p, p.text[start:m.start], p.text[m.start:m.end], p.text[m.end:end],
                                    span.language if span else p.language or article.language.value or "und"))
    return out


def further_mentions(entity: Entity, articles: dict[str, Article],
                     skip: int = MENTIONS_IN_CONTEXT) -> list[tuple[Article, list[tuple[int, int]]]]:
    """Mentions past the first `skip`: per article, (paragraph index, mentions in it).
    A person named in thousands of articles keeps a page that loads, and every
    mention is still one click from its paragraph."""
    return by_paragraph(((m.article, m.paragraph) for m in entity.mentions[skip:]), articles)


def by_paragraph(places: Iterable[tuple[str, int]],
                 articles: dict[str, Article]) -> list[tuple[Article, list[tuple[int, int]]]]:
    """(article id, paragraph index) pairs as links to list: per article, in id order,
    (paragraph index, how many) in paragraph order."""
    grouped: dict[str, Counter] = {}
    for article_id, paragraph in places:
        if article_id in articles:
            grouped.setdefault(article_id, Counter())[paragraph] += 1
    return [(articles[a], sorted(counts.items())) for a, counts in sorted(grouped.items())]


def entity_index(dossier: Dossier, articles: dict[str, Article]) -> list[tuple[str, str, list[dict]]]:
    """[(type, heading, profiles)], the entities named by most articles first: the
    order of the index page and of the briefing's entity section."""
    profiles = [entity_profile(e, articles) for e in dossier.entities]
    profiles.sort(key=lambda pr: (-len(pr["articles"]), -pr["mentions"], pr["entity"].name))
    return [(kind, TYPE_HEADINGS[kind], [pr for pr in profiles if pr["entity"].type == kind])
            for kind in ENTITY_TYPES]


def entity_pages(dossier: Dossier, env: Environment, articles: dict[str, Article],
                 timeline_entries=lambda entity_id: [], entry_pages: dict[str, str] | None = None,
                 cache: ArticleCache | None = None) -> list[PageJob]:
    """The entity index (entities/index.md) and one page per entity, out of the nav.
    With a `cache`, an entity page is reused while what it shows is unchanged
    (`entity_page_shows`): editing one article re-renders the pages of the entities
    it names, not the index's hundreds."""
    by_type = entity_index(dossier, articles)
    profiles = [pr for _, _, rows in by_type for pr in rows]
    names = {e.id: e.name for e in dossier.entities}
    related = cooccurring(dossier.entities)
    template = env.get_template("entity.md.j2")
    stored = cache is not None and cache.folder is not None

    def index() -> Iterable[str]:
        return front_matter("Entities", raw_html=True), env.get_template("entities.md.j2").render(
            page="entities/index.md", by_type=by_type, total=len(profiles), names=names)

    def entity_page(profile: dict, path: str) -> Iterable[str]:
        entity = profile["entity"]
        statements = [(articles[s.article], s) for s in entity.statements if s.article in articles]
        shown = dict(
            page=path, profile=profile, entity=entity, articles=articles, names=names,
            contexts=mentions_in_context(entity, articles), further=further_mentions(entity, articles),
            statements=statements[:STATEMENTS_IN_FULL], statement_count=len(statements),
            more_statements=by_paragraph(((a.id, s.paragraph) for a, s in statements[STATEMENTS_IN_FULL:]), articles),
            alias_articles=ALIAS_ARTICLES,
            related=related.get(entity.id, [])[:20], timeline_entries=timeline_entries(entity.id),
            entry_pages=entry_pages or {})
        key = cache.key("entity page", path, entity_page_shows(shown)) if stored else ""
        text = cache.load(key) if stored else None
        if text is None:
            text = front_matter(entity.name, search={"boost": 2}, raw_html=True) + template.render(**shown)
            if stored:
                cache.store(key, text)
        return (text,)

    jobs: list[PageJob] = [("entities/index.md", index)]
    for profile in profiles:
        path = f"entities/{profile['entity'].id}.md"
        jobs.append((path, partial(entity_page, profile, path)))
    return jobs


def entity_page_shows(shown: dict) -> bytes:
    """A digest of everything entity.md.j2 reads from its arguments `shown`: the
    entity, its profile, the mentions and statements in context and, of each article
    it links to, only what the page prints of it (id, title, language, the language of
    a quoted paragraph), so an edit elsewhere in an article keeps the page. Keep in
    step with the template: whatever it starts to read must be added here."""
    articles, names, entry_pages = shown["articles"], shown["names"], shown["entry_pages"]

    def view(article: Article) -> tuple:
        return article.id, article.title.value, article.language.value

    entity, profile = shown["entity"], shown["profile"]
    mention = fields_of(Mention)
    data = (
        shown["page"], {key: value for key, value in vars(entity).items() if key not in ("mentions", "statements")},
        list(map(mention, entity.mentions)), list(map(mention, entity.statements)),
        {key: value for key, value in profile.items() if key != "entity"},
        {other: names.get(other) for other in [*entity.links, *(other for other, _ in shown["related"])]},
        [view(articles[i]) for alias in entity.aliases for i in alias.articles[:shown["alias_articles"]]
         if i in articles],
        [(view(c.article), c.paragraph.index, c.paragraph.line, c.before, c.name, c.after, c.language)
         for c in shown["contexts"]],
        [(view(article), places) for article, places in shown["further"]],
        [(view(article), article.paragraphs[statement.paragraph].language, mention(statement))
         for article, statement in shown["statements"]], shown["statement_count"],
        [(view(article), places) for article, places in shown["more_statements"]], shown["alias_articles"],
        shown["related"],
        [(entry.id, entry.date, entry.summary, entry_pages.get(entry.id)) for entry in shown["timeline_entries"]],
    )
    return value_digest(data)


def timeline_by_entity(timeline: list) -> dict[str, list]:
    """Entity id → the timeline entries it takes part in, in timeline order (one pass,
    where asking the timeline once per entity would cost entities × entries)."""
    index: dict[str, list] = {}
    for entry in timeline:
        for entity_id in dict.fromkeys(entry.entities):
            index.setdefault(entity_id, []).append(entry)
    return index


SITE_SOURCES_PER_FACT = 30  # a fact's sources on the site, taken in turn from each side; all are in dossier.json
SITE_FACTS_PER_STATUS = 50  # facts of each status on the summary page, best-sourced first...
FACTS_PER_PAGE = 200  # ...and all of them on numbered pages of this many
SITE_REPORTS_PER_ENTRY = 30  # likewise a timeline entry's reports; all are in timeline.json and dossier.json


SITE_TIMELINE_ENTRIES = 150  # events on the timeline page, those reported by the most articles...
TIMELINE_ENTRIES_PER_PAGE = 200  # ...and every event, in date order, on numbered pages of this many


def timeline_pages(timeline: list, per_page: int) -> list[NumberedPage]:
    """The whole timeline in date order, `per_page` entries a page, each named by its dates."""
    return numbered_pages("timeline/", len(timeline), per_page,
                          lambda first, last: " – ".join(dict.fromkeys((timeline[first - 1].date,
                                                                        timeline[last - 1].date))))


def timeline_context(dossier: Dossier, limit: int | None = None,
                     reports_per_entry: int = SITE_REPORTS_PER_ENTRY, per_page: int | None = None) -> dict:
    """What the timeline page and the briefing's timeline chapter show; `limit` keeps
    the entries reported by the most articles, still in date order, and each entry
    lists its first `reports_per_entry` reports. With `per_page` (the site), a
    timeline cut by `limit` is also laid out whole on numbered pages (`timeline_pages`;
    `entry_pages`: entry id → the page that shows it)."""
    shown = dossier.timeline
    if limit is not None and len(shown) > limit:
        rank = sorted(range(len(shown)), key=lambda i: (-len({s.article for s in shown[i].sources}), i))
        shown = [shown[i] for i in sorted(rank[:limit])]
    pages = timeline_pages(dossier.timeline, per_page) if per_page and len(shown) < len(dossier.timeline) else []
    return {
        "timeline": dossier.timeline,
        "sections": timeline_stage.chronology(shown),
        "timeline_omitted": len(dossier.timeline) - len(shown),
        "timeline_pages": pages,
        "entry_pages": {e.id: tp.path for tp in pages for e in dossier.timeline[tp.first - 1:tp.last]},
        "timeline_page": None,
        "reports_per_entry": reports_per_entry,
        "merged": sum(1 for e in dossier.timeline if len({s.article for s in e.sources}) > 1),
        "articles_by_id": {a.id: a for a in dossier.articles},
        "entity_names": {e.id: e.name for e in dossier.entities},
    }


def timeline_page_jobs(dossier: Dossier, context: dict, page: Callable) -> list[PageJob]:
    """One job per numbered timeline page, with links to its neighbours."""
    numbered = context["timeline_pages"]
    jobs = []
    for i, tp in enumerate(numbered):
        extra = {**context, "sections": timeline_stage.chronology(dossier.timeline[tp.first - 1:tp.last]),
                 "timeline_page": tp, "previous": numbered[i - 1] if i else None,
                 "next": numbered[i + 1] if i + 1 < len(numbered) else None}
        jobs.append(page(f"Timeline {tp.label}", "timeline.md.j2", tp.path, meta=QUOTES_ONLY,
                         shows=partial(timeline_page_shows, dossier.timeline[tp.first - 1:tp.last], extra), **extra))
    return jobs


def article_header(article: Article) -> tuple:
    """What index, fact and timeline pages print of an article they quote: not its text."""
    return (article.id, article.file, article.title, article.outlet, article.date, article.date_precision,
            article.language, article.translated_from)


def timeline_page_shows(entries: list, shown: dict) -> bytes:
    """A digest of what timeline.md.j2 prints on a numbered page (its `entries`, laid
    out in shown["sections"]): keep in step with the template."""
    articles, names, per_entry = shown["articles_by_id"], shown["entity_names"], shown["reports_per_entry"]
    quoted = sorted({s.article for entry in entries for s in entry.sources[:per_entry]})
    named = sorted({entity for entry in entries for entity in entry.entities})
    return value_digest((
        shown["sections"], len(shown["timeline"]), shown["timeline_pages"], shown["timeline_page"],
        shown["previous"], shown["next"], per_entry, [article_header(articles[a]) for a in quoted if a in articles],
        [(entity, names.get(entity)) for entity in named]))


def render_pages(dossier: Dossier, with_pdf: bool = False) -> dict[str, str]:
    """Every generated page, path (relative to docs/) → Markdown text."""
    return {path: "".join(render()) for path, render in site_pages(dossier, with_pdf)}


def site_pages(dossier: Dossier, with_pdf: bool = False, cache: ArticleCache | None = None) -> list[PageJob]:
    """Every generated page, not yet rendered: the indexes pages share are built here,
    once; each page is rendered when its job is called, in any order or process, the
    long index pages piece by piece, so a writer stores pages as they come instead of
    holding the site. Pages are HTML inside a Markdown file, marked `raw_html` in
    their front matter (see builder/mkdocs_hooks.py). With a `cache`, an article page
    is reused while the article, the mentions on it and the builder's code are unchanged.
    The summary, the timeline and the largest entity pages come first (the costliest)."""
    env = environment()
    articles = sorted(dossier.articles, key=sort_key)
    context = {**overview(dossier, articles), "with_pdf": with_pdf}
    languages = dict(context["languages"])
    timeline = timeline_context(dossier, limit=SITE_TIMELINE_ENTRIES, per_page=TIMELINE_ENTRIES_PER_PAGE)

    stored = cache is not None and cache.folder is not None

    def page(title: str, template: str, path: str, meta: dict | None = None,
             shows: Callable[[], bytes] | None = None, **extra) -> PageJob:
        """A page of `template`; with `shows` (a digest of everything the page prints)
        and a cache, reused while the digest is unchanged."""
        def render() -> Iterable[str]:
            head = front_matter(title, raw_html=True, **(meta or {}))
            if shows is None or not stored:
                pieces = env.get_template(template).generate(page=path, **{**context, **extra})
                return itertools.chain((head,), pieces)
            key = cache.key("page", template, path, head, shows())
            text = cache.load(key)
            if text is None:
                text = head + env.get_template(template).render(page=path, **{**context, **extra})
                cache.store(key, text)
            return (text,)
        return path, render

    jobs = [page("What we know", "summary.md.j2", "summary.md", meta=QUOTES_ONLY,
                 source_link=partial(paragraph_link, "summary.md")),
            page("Timeline", "timeline.md.j2", "timeline.md", meta=QUOTES_ONLY, **timeline),
            page("Overview", "home.md.j2", "index.md"),
            page("Articles", "articles.md.j2", "articles/index.md", heading="All articles"),
            page("Languages", "languages.md.j2", "languages/index.md")]
    for code, _count in sorted(languages.items()):
        heading = f"Articles in {language_badge(code)['english']}"
        subset = [a for a in articles if (a.language.value or "und") == code]
        jobs.append(page(heading, "articles.md.j2", f"languages/{code}.md", heading=heading, articles=subset))
    jobs.append(page("Build report", "report.md.j2", "report.md"))
    jobs += fact_page_jobs(context["summary"], page, context["by_id"])
    jobs += timeline_page_jobs(dossier, timeline, page)
    by_id = {a.id: a for a in articles}
    by_entity = timeline_by_entity(dossier.timeline)
    jobs += entity_pages(dossier, env, by_id, timeline_entries=lambda entity_id: by_entity.get(entity_id, []),
                         entry_pages=timeline["entry_pages"], cache=cache)
    mentions = mentions_by_paragraph(dossier.entities)
    article_template = env.get_template("article.md.j2")

    def article_page(article: Article, path: str) -> Iterable[str]:
        key = cache.key("article page", repr(article), repr(article_mentions(article, mentions))) if stored else ""
        text = cache.load(key) if stored else None
        if text is None:
            text = front_matter(article.title.value or article.file, lang=article.language.value,
                                search={"boost": 1}, raw_html=True) + article_template.render(
                page=path, article=article, blocks=blocks(article), BODY=BODY, HEADING=HEADING,
                CREDIT=CREDIT, CAPTION=CAPTION, mentions=mentions)
            if stored:
                cache.store(key, text)
        return (text,)

    for article in articles:
        path = f"articles/{article.id}.md"
        jobs.append((path, partial(article_page, article, path)))
    return jobs


def fact_page_jobs(summary: dict, page: Callable, by_id: dict[str, Article] | None = None) -> list[PageJob]:
    """One job per numbered fact page of `summary` (render.summary with facts_per_page):
    the facts of one status, with the same evidence as the summary and links to the
    neighbouring pages. With `by_id` (the articles the facts quote), each page has a
    digest of what it shows, by which a cache may reuse it."""
    jobs = []
    for status, numbered in summary["pages"].items():
        for i, fp in enumerate(numbered):
            facts = summary["by_status"][status][fp.first - 1:fp.last]
            subset = {"agreed": [], "disputed": [], "contested": [], "single": [], STATUS_KEYS[status]: facts,
                      "sources_of": {f.id: varied_sources(f, SITE_SOURCES_PER_FACT) for f in facts},
                      "limit": None, "counts": {}, "pages": summary["pages"], "statuses": (STATUS_KEYS[status],)}
            title = f"{status.capitalize()} facts {fp.first}–{fp.last} of {fp.total}"
            previous, following = numbered[i - 1] if i else None, numbered[i + 1] if i + 1 < len(numbered) else None
            shows = (partial(fact_page_shows, subset, fp, previous, following, status, by_id)
                     if by_id is not None else None)
            jobs.append(page(title, "facts.md.j2", fp.path, meta=QUOTES_ONLY, shows=shows, summary=subset,
                             status=status, fact_page=fp, previous=previous, next=following,
                             source_link=partial(paragraph_link, fp.path)))
    return jobs


def fact_page_shows(subset: dict, fact_page, previous, following, status: str, by_id: dict[str, Article]) -> bytes:
    """A digest of what facts.md.j2 (and _summary.j2) print on a numbered fact page:
    its facts and their sources, the pager and the header of every article quoted.
    Keep in step with the templates."""
    source = fields_of(FactSource)

    def fact(f: Fact) -> tuple:
        return {key: value for key, value in vars(f).items() if key != "sources"}, list(map(source, f.sources))

    facts = {key: [fact(f) for f in value] for key, value in subset.items()
             if isinstance(value, list) and all(isinstance(f, Fact) for f in value)}
    # of the pager lists of every status the page prints its own status's only
    rest = {key: value for key, value in subset.items() if key not in facts and key not in ("sources_of", "pages")}
    rest["pages"] = subset["pages"].get(status, [])
    sources_of = {fact_id: list(map(source, sources)) for fact_id, sources in subset["sources_of"].items()}
    quoted = sorted({s.article for value in subset.values() if isinstance(value, list)
                     for f in value if isinstance(f, Fact) for s in f.sources})
    return value_digest((facts, rest, sources_of, fact_page, previous, following, status,
                         [article_header(by_id[a]) for a in quoted if a in by_id]))


def article_mentions(article: Article, mentions: dict) -> list:
    """What an article page shows of the entities: (paragraph, start, end, entity id) of each mention."""
    return [(p.index, m.start, m.end, entity_id) for p in article.paragraphs
            for m, entity_id in mentions.get((article.id, p.index), ())]


def nav(dossier: Dossier, pages, handwritten: list[str]) -> list:
    """The MkDocs nav: index pages only; article and per-item pages stay out of it.
    The hand-written pages (how the dossier is made, the builder's benchmarks) come
    last, in a section of their own: they are about the tool, not the event."""
    language_pages = sorted(p for p in pages if p.startswith("languages/") and p != "languages/index.md")
    entries: list = [
        {"Home": "index.md"},
        {"What we know": "summary.md"},
        {"Articles": ["articles/index.md", {"By language": ["languages/index.md", *language_pages]}]},
        {"Entities": "entities/index.md"},
        {"Timeline": "timeline.md"},
        {"Build report": "report.md"},
    ]
    if handwritten:
        entries.append({"About this dossier": list(handwritten)})
    return entries
