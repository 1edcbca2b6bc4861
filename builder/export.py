"""Stage: the machine-readable dossier (`dossier.json`, schema "dossier/1").

The contract later work extends and must keep: {"schema", "articles": [{"id",
"file", "title", "outlet", "date", "date_inferred", "language",
"translated_from", "paragraphs": [{"text", "language", "role"}]}], "entities":
[{"id", "name", "type", "aliases", "mentions": [{"article", "paragraph", "start",
"end", "text"}]}], "timeline", "facts": [{"id", "statement", "status", "subject",
"sources": [{"article", "paragraph", "quote", "value", "language"}],
"independent_sources"}]}. Extra keys carry the evidence behind inferred values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import IO

from builder.model import Article, Dossier, Entity, Fact, Inferred, Mention, TimelineEntry

SCHEMA = "dossier/1"


def evidence(field: Inferred) -> dict | None:
    if not field.known or not field.inferred:
        return None
    return {"method": field.method, "evidence": field.evidence, "line": field.line}


def article_record(article: Article) -> dict:
    return {
        "id": article.id,
        "file": article.file,
        "title": article.title.value,
        "title_inferred": article.title.inferred,
        "outlet": article.outlet.value,
        "outlet_inferred": article.outlet.inferred,
        "date": article.date.value,
        "date_inferred": article.date.inferred,
        "date_precision": article.date_precision or None,
        "language": article.language.value,
        "translated_from": article.translated_from.value,
        "translated_from_inferred": article.translated_from.inferred,
        "agencies": [a.value for a in article.agencies],
        "url": article.url.value,
        "tags": article.tags,
        "encoding": article.source.encoding,
        "front_matter": article.source.front_matter_text,
        "date_marker": article.date_marker,
        "evidence": {name: evidence(getattr(article, name))
                     for name in ("title", "outlet", "date", "language", "translated_from")
                     if evidence(getattr(article, name))},
        "paragraphs": [
            {
                "id": f"p{p.index + 1}",
                "line": p.line,
                "text": p.text,
                "language": p.language,
                "role": p.role,
                "role_reason": p.role_reason,
                "spans": [{"start": s.start, "end": s.end, "language": s.language,
                           "text": p.text[s.start:s.end]} for s in p.spans],
            }
            for p in article.paragraphs
        ],
    }


def mention_record(mention: Mention) -> dict:
    """Offsets index the paragraph's `text`; `paragraph` is its id (the page anchor)."""
    return {"article": mention.article, "paragraph": f"p{mention.paragraph + 1}",
            "start": mention.start, "end": mention.end, "text": mention.text}


def entity_record(entity: Entity) -> dict:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "type_confidence": entity.type_confidence,
        "type_evidence": entity.type_evidence,
        "aliases": [a.text for a in entity.aliases],
        "alias_usage": [{"text": a.text, "count": a.count, "articles": a.articles, "languages": a.languages}
                        for a in entity.aliases],
        "mentions": [mention_record(m) for m in entity.mentions],
        "statements": [mention_record(s) for s in entity.statements],
        "links": entity.links,
        "curated": entity.curated,
    }


def timeline_record(entry: TimelineEntry) -> dict:
    """One timeline entry: {"date", "time", "precision", "summary", "entities", "sources": [{"article",
    "paragraph", "quote", "expression", "value"}]} plus its range, zone, conflicts and evidence."""
    return {
        "id": entry.id,
        "date": entry.date,
        "time": entry.time,
        "zone": entry.zone or None,
        "precision": entry.precision,
        "range": [entry.range_start, entry.range_end],
        "background": entry.background,
        "conflicting_dates": entry.conflicts,
        "summary": entry.summary,
        "entities": entry.entities,
        "sources": [
            {
                "article": s.article,
                "paragraph": f"p{s.paragraph + 1}",
                "quote": s.quote,
                "language": s.language,
                "expression": s.expression.text,
                "expression_offsets": [s.expression.start - s.start, s.expression.end - s.start],
                "type": s.expression.type,
                "value": s.expression.value,
                "resolved_against": s.dct,
                "resolved_against_inferred": s.dct_inferred,
                "anchor": s.expression.anchor,
            }
            for s in entry.sources
        ],
    }


def fact_record(fact: Fact) -> dict:
    """A fact with every source's verbatim quote and where it is (paragraph id p{n})."""
    return {
        "id": fact.id,
        "kind": fact.kind,
        "statement": fact.statement,
        "status": fact.status,
        "subject": fact.subject,
        "value": fact.value,
        "note": fact.note,
        "curated": fact.curated or None,
        "sources": [{"article": s.article, "paragraph": f"p{s.paragraph + 1}", "start": s.start, "end": s.end,
                     "quote": s.quote, "value": s.value, "language": s.language, "role": s.role,
                     "speaker": s.speaker or None, "translated_from": s.translated_from}
                    for s in fact.sources],
        "independent_sources": fact.independent_sources,
    }


def export_sections(dossier: Dossier) -> list[tuple[str, object]]:
    """The top-level keys of dossier.json in order; the long lists as generators of
    records, so a writer can hold one record at a time."""
    return [
        ("schema", SCHEMA),
        ("title", dossier.title),
        ("articles", (article_record(a) for a in sorted(dossier.articles, key=lambda a: a.id))),
        ("entities", (entity_record(e) for e in dossier.entities)),
        ("timeline", (timeline_record(e) for e in dossier.timeline)),
        ("facts", (fact_record(f) for f in dossier.facts)),
        ("problems", ({"file": p.file, "line": p.line, "severity": p.severity, "message": p.message}
                      for p in dossier.problems)),
    ]


def export_dossier(dossier: Dossier) -> dict:
    return {key: value if isinstance(value, str) else list(value) for key, value in export_sections(dossier)}


def encoded(value, sort_keys: bool = False) -> str:
    """`value` as one line of JSON, as json.dumps(value, ensure_ascii=False) writes
    it: by the C encoder (an indented dump is written in pure Python, five times slower)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)


def json_chunks(sections: Iterable[tuple[str, object]], sort_keys: bool = False,
                encode_value: Callable[[object, bool], str] = encoded) -> Iterator[str]:
    """A top-level object, one record at a time, without holding it all: a line per
    section, and a line per record of a section that is a list or stream of records
    (so `grep` and `diff` work record by record). Each record (or section that is not a
    stream) is one chunk of its own, made by `encode_value` (builder/site.py passes
    one that reuses the last build's text)."""
    yield "{"
    first = True
    for key, value in sections:
        yield ("\n " if first else ",\n ") + encode_basestring(key) + ": "
        first = False
        if isinstance(value, (str, int, float, dict)) or value is None:
            yield encode_value(value, sort_keys)
            continue
        empty = True
        for record in value:
            yield "[\n  " if empty else ",\n  "
            empty = False
            yield encode_value(record, sort_keys)
        yield "[]" if empty else "\n ]"
    yield "\n}\n" if not first else "}\n"


def write_json(dossier: Dossier, out: IO[str]) -> None:
    """Stream dossier.json into a text file (UTF-8)."""
    for chunk in json_chunks(export_sections(dossier)):
        out.write(chunk)


def to_json(dossier: Dossier) -> str:
    return "".join(json_chunks(export_sections(dossier)))
