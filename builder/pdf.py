"""Stage: the print briefing, a PDF made by WeasyPrint from the same model and macros.

A standalone print document rather than the site's pages: WeasyPrint runs no
JavaScript and paginates Material's layout poorly, and a briefing has its own
order (cover, contents with page numbers, sections, annex).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from builder.cache import ArticleCache
from builder.model import BODY, HEADING, Dossier
from builder.parallel import in_background, in_foreground
from builder.render import FOLDED_ROLES, entity_index, environment, overview, sort_key, summary, timeline_context

PDF_NAME = "briefing.pdf"
ENTITIES_PER_TYPE = 40  # the print lists the most-cited; the site lists all
FACTS_PER_STATUS = 40  # likewise the best-sourced agreed, disputed and contested facts
SOURCES_PER_FACT = 8  # taken in turn from each side, value or outlet
TIMELINE_ENTRIES = 80  # those reported by the most articles, in date order
SOURCES_PER_ENTRY = 4


def briefing_html(dossier: Dossier, build_date: dt.date) -> str:
    css = resources.files("builder").joinpath("templates/briefing.css").read_text(encoding="utf-8")
    articles = sorted(dossier.articles, key=sort_key)
    return environment().get_template("briefing.html.j2").render(
        css=css, build_date=build_date.isoformat(), folded_roles=FOLDED_ROLES, BODY=BODY, HEADING=HEADING,
        entity_groups=entity_index(dossier, {a.id: a for a in articles}), entities_per_type=ENTITIES_PER_TYPE,
        source_link=lambda s: f"#a-{s.article}-p{s.paragraph + 1}",
        **timeline_context(dossier, limit=TIMELINE_ENTRIES, reports_per_entry=SOURCES_PER_ENTRY),
        **{**overview(dossier, articles),
           "summary": summary(dossier, limit=FACTS_PER_STATUS, sources_per_fact=SOURCES_PER_FACT)})


def briefing_pdf(dossier: Dossier, build_date: dt.date, cache: ArticleCache | None = None) -> bytes:
    """The briefing as PDF bytes. With a `cache`, the PDF of the same HTML made by an
    earlier build is reused: laying it out is most of a rebuild's time when little or
    nothing changed (4 of 6 s of CPU on the seeds), and WeasyPrint's output depends
    only on the HTML, its own version and the fonts."""
    return briefing_pdf_later(dossier, build_date, cache, background=False)()


def briefing_pdf_later(dossier: Dossier, build_date: dt.date, cache: ArticleCache | None = None,
                       background: bool = True) -> Callable[[], bytes]:
    """briefing_pdf, laid out in a forked process (parallel.in_background) while the
    caller goes on staging the pages and running MkDocs: call the result for the
    bytes. The HTML and the cache look-up are done here, so a reused PDF needs no
    process and this build's cache keeps the entry (see ArticleCache.prune)."""
    html = briefing_html(dossier, build_date)
    stored = cache is not None and cache.folder is not None
    key = cache.key("briefing pdf", weasyprint_version(), html) if stored else ""
    pdf = cache.load(key) if stored else None
    if pdf is not None:
        return lambda: pdf
    run = in_background if background else in_foreground
    return run(laid_out, html, cache if stored else None, key)


def laid_out(html: str, cache: ArticleCache | None, key: str) -> bytes:
    """WeasyPrint's PDF of `html`, stored in `cache` under `key` if given."""
    from weasyprint import HTML  # imported here: loading pango costs a second

    pdf = HTML(string=html).write_pdf()
    if cache is not None:
        cache.store(key, pdf)
        cache.flush()  # written from here: this process ends with the PDF
    return pdf


def weasyprint_version() -> str:
    """WeasyPrint's version, read without importing it (which loads pango)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return ""


def write_pdf(dossier: Dossier, build_date: dt.date, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(briefing_pdf(dossier, build_date))
    return out
