"""The dossier's data model: small dataclasses passed from stage to stage.

Every value that the builder worked out rather than read carries its evidence, so
pages can say what was stated and what was inferred.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields

ERROR = "error"
WARNING = "warning"

# Paragraph roles. Only BODY feeds entities and facts; every role is rendered.
BODY = "body"
HEADING = "heading"
BOILERPLATE = "boilerplate"
CREDIT = "credit"
CAPTION = "caption"
ASIDE = "aside"
RELATED = "related"
PULLQUOTE = "pullquote"
ROLES = (BODY, HEADING, BOILERPLATE, CREDIT, CAPTION, ASIDE, RELATED, PULLQUOTE)



def pickled_by_fields(cls):
    """Pickle a frozen, slotted dataclass as its class and field values, so unpickling
    calls its __init__ once instead of dataclasses' __setstate__ (which looks up the
    fields and sets them one call at a time, for every object): a cache of thousands
    of articles holds millions of these, and an incremental build unpickles them all."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls

@dataclass(frozen=True)
class Problem:
    """One finding about the input, reported as `file:line: severity: message`."""

    file: str
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class SourceFile:
    """A corpus file as decoded text, with its front matter split off."""

    path: str  # relative to the corpus, POSIX separators
    text: str  # decoded, newlines normalised to \n
    encoding: str
    front_matter_text: str  # the raw YAML block including its --- fences, or ""
    front_matter: dict
    body: str  # text after the front matter
    body_line: int  # 1-based line of the file where body starts


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Inferred:
    """A metadata value with where it came from.

    `inferred` is False when the value was stated (front matter, date marker) and
    True when the builder deduced it; `evidence` is the verbatim text it rests on.
    """

    value: str | None
    inferred: bool = False
    method: str = ""
    evidence: str = ""
    line: int = 0

    @property
    def known(self) -> bool:
        return self.value is not None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a paragraph in another language than the paragraph's own."""

    start: int
    end: int
    language: str
    confidence: float


@dataclass(slots=True)
class Paragraph:
    """A paragraph of an article, in source order.

    `text` is verbatim from the file; `line` is where it starts; `role` says how it
    is shown and whether later stages may draw on it.
    """

    index: int
    text: str
    line: int
    role: str = BODY
    role_reason: str = ""
    language: str = ""
    language_confidence: float = 0.0
    spans: list[Span] = field(default_factory=list)
    glued: bool = False  # split from the previous paragraph within one source line


@dataclass
class Article:
    id: str
    file: str
    source: SourceFile
    paragraphs: list[Paragraph]
    date_marker: str = ""  # the verbatim ` date …` prefix of the first line, if any
    title: Inferred = field(default_factory=lambda: Inferred(None))
    outlet: Inferred = field(default_factory=lambda: Inferred(None))
    date: Inferred = field(default_factory=lambda: Inferred(None))
    date_precision: str = ""  # "day", "month", "year" or ""
    url: Inferred = field(default_factory=lambda: Inferred(None))
    agencies: list[Inferred] = field(default_factory=list)
    language: Inferred = field(default_factory=lambda: Inferred(None))
    translated_from: Inferred = field(default_factory=lambda: Inferred(None))
    tags: list[str] = field(default_factory=list)

    @property
    def body_paragraphs(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.role == BODY]

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.body_paragraphs)


# Entity types.
PERSON = "person"
PLACE = "place"
ORGANISATION = "organisation"
OTHER = "other"
ENTITY_TYPES = (PERSON, PLACE, ORGANISATION, OTHER)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a name occurs: character offsets into one paragraph's verbatim text."""

    article: str  # article id
    paragraph: int  # Paragraph.index
    start: int
    end: int
    text: str


@dataclass
class Alias:
    """One written form of an entity's name, with who wrote it that way."""

    text: str
    count: int
    articles: list[str]
    languages: list[str]


@dataclass
class Entity:
    """One real-world referent, merged across spellings, scripts and languages.

    `type_evidence` says why it has its type (a title before the name, a gazetteer
    hit, an organisation word), so the type is an inference the page can explain.
    """

    id: str
    name: str
    type: str
    type_confidence: float
    type_evidence: list[str]
    aliases: list[Alias]
    mentions: list[Mention]
    statements: list[Mention] = field(default_factory=list)  # sentences where it speaks; `text` is the sentence
    links: list[str] = field(default_factory=list)  # ids of related entities (a demonym's country)
    curated: list[str] = field(default_factory=list)  # what corpus/entities.yml changed


def mentions_by_paragraph(entities: list[Entity]) -> dict[tuple[str, int], list[tuple[Mention, str]]]:
    """(article id, paragraph index) → [(mention, entity id)] in text order."""
    index: dict[tuple[str, int], list[tuple[Mention, str]]] = {}
    for entity in entities:
        for mention in entity.mentions:
            index.setdefault((mention.article, mention.paragraph), []).append((mention, entity.id))
    for found in index.values():
        found.sort(key=lambda pair: (pair[0].start, -pair[0].end))
    return index


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression found in a text, normalised to a TIMEX3 type and value.

    `value` is None when the expression could not be anchored (never guessed);
    `range_start`/`range_end` are the first and last day it covers (ISO dates),
    `mod` is START/MID/END for parts of periods or APPROX, `zone` the stated time
    zone verbatim, `anchor` what it was resolved against.
    """

    text: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION or SET
    value: str | None
    precision: str  # "day", "week", "month", "season", "year", "decade", "time", "part of day", ...
    mod: str = ""
    range_start: str | None = None
    range_end: str | None = None
    zone: str = ""
    anchor: str = ""
    rule: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class EventMention:
    """One article's report of a dated event: a sentence and the time expression in it.

    Made from one article alone (so it can be cached per article); `keys` are the
    sentence's content keys (word stems, numbers) that let reports in different
    articles and languages be matched; `entities` are the ids of entities
    mentioned in the sentence.
    """

    article: str
    paragraph: int  # Paragraph.index
    start: int  # the sentence's offsets in the paragraph text
    end: int
    quote: str
    language: str
    expression: TimeExpression
    dct: str | None  # the publication date the expression was resolved against
    dct_inferred: bool
    entities: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleReports:
    """What the timeline needs from one article, worked out once per article (and
    cached): its dated events, its body sentences (paragraph, start, end), how many
    of those carry each content key, and each event's paragraph keys (which the
    date inference matches on)."""

    article: str
    events: tuple[EventMention, ...]
    sentences: tuple[tuple[int, int, int], ...]
    key_counts: str  # "key=n key=n …": one string, not thousands of small objects per article
    contexts: tuple[str, ...]  # per event, its paragraph's keys joined by spaces


@dataclass
class TimelineEntry:
    """A dated event, merged across the articles that report it.

    `date` is the TIMEX3 value at the entry's precision (2022-11-11, 2022-09,
    2022-SP); `conflicts` lists other dates sources give for the same event,
    kept side by side rather than averaged; `background` marks events well
    before the days the dossier is about.
    """

    id: str
    date: str
    precision: str
    range_start: str
    range_end: str
    time: str | None
    zone: str
    background: bool
    summary: str
    entities: list[str]
    sources: list[EventMention]
    conflicts: list[str] = field(default_factory=list)


# Fact statuses.
AGREED = "agreed"
DISPUTED = "disputed"
CONTESTED = "contested"
SINGLE_SOURCE = "single-source"
FACT_STATUSES = (AGREED, DISPUTED, CONTESTED, SINGLE_SOURCE)


@dataclass(frozen=True, slots=True)
class FactSource:
    """One article's word on a fact: the verbatim sentence, where it is, what it says.

    `role` is "states" (gives a value), "claims" (a party says so), "disputes"
    (another party rejects or questions it) or "flags" (the reporter says it is
    unconfirmed). `start`/`end` index the paragraph's verbatim text.
    """

    article: str
    paragraph: int  # Paragraph.index; the page anchor is #p{paragraph + 1}
    start: int
    end: int
    quote: str
    value: str
    language: str
    role: str
    speaker: str = ""
    outlet: str = ""
    translated_from: str | None = None
    low: float | None = None
    high: float | None = None


@dataclass
class Fact:
    """Something the sources state, with its status and the evidence for it.

    `note` says why it has its status; `curated` names the corpus/claims.yml line
    when an analyst added or overrode it.
    """

    id: str
    kind: str  # "count", "time" or "claim"
    status: str
    statement: str
    subject: str
    value: str
    sources: list[FactSource]
    independent_sources: int
    note: str = ""
    curated: str = ""
    weight: int = 0  # how notable a single-source fact is: a named speaker, a known kind of count


@dataclass
class Dossier:
    """Everything the render and export stages need."""

    title: str
    description: str
    articles: list[Article]
    problems: list[Problem]
    title_inferred: bool = False
    entities: list[Entity] = field(default_factory=list)
    timeline: list = field(default_factory=list)
    facts: list = field(default_factory=list)
