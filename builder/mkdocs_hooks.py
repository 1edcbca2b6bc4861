"""MkDocs hooks for the staged site (builder/site.py adds this file to the config).

Generated pages are HTML already: render.py writes each as raw HTML whose article
text Jinja has escaped, and marks it `raw_html: true` in its front matter.
Python-Markdown would hand that HTML back unchanged (apart from stripping the outer
whitespace, expanding tabs and dropping a few control characters), after parsing
every tag twice, which was most of the time of `mkdocs build`. So a marked page
skips Markdown: its text goes to the theme as written. Hand-written pages in docs/
are Markdown as usual. MkDocs does not collect anchors from a skipped page, so
links into it are not checked, as links in raw HTML never were.

Parts of a page between NOT_INDEXED and END_NOT_INDEXED (quotes the articles' own
pages index already) are shown to readers but not to the search plugin: it is
handed the page without them, just before it indexes the page, and the page is
put back right after. The markers themselves never reach the site.
"""

from __future__ import annotations

import re

from mkdocs.plugins import CombinedEvent, event_priority

MARK = "raw_html"
NOT_INDEXED = "<!-- not indexed -->"
END_NOT_INDEXED = "<!-- /not indexed -->"
STASH = "dossier_raw_html"
INDEXED = "dossier_indexed_html"
SHOWN = "dossier_shown_html"
_NOT_INDEXED_PART = re.compile(re.escape(NOT_INDEXED) + ".*?" + re.escape(END_NOT_INDEXED), re.S)


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    """Keep a marked page's HTML aside and give Markdown nothing to do."""
    if page.meta.get(MARK) is True:
        setattr(page, STASH, markdown.strip())
        return ""
    return markdown


def on_page_content(html: str, page, **kwargs) -> str:
    """The page's own HTML, for a marked page, in place of Markdown's empty output."""
    stashed = getattr(page, STASH, None)
    if stashed is None:
        return html
    delattr(page, STASH)
    if NOT_INDEXED not in stashed:
        return stashed
    setattr(page, INDEXED, _NOT_INDEXED_PART.sub("", stashed))
    return stashed.replace(NOT_INDEXED, "").replace(END_NOT_INDEXED, "")


@event_priority(50)  # before the search plugin (priority 0) indexes the page
def _show_search_the_indexed_part(context, page, **kwargs):
    indexed = getattr(page, INDEXED, None)
    if indexed is not None:
        setattr(page, SHOWN, page.content)
        page.content = indexed
    return context


@event_priority(-50)  # after it: the page as readers see it
def _show_readers_the_whole_page(context, page, **kwargs):
    shown = getattr(page, SHOWN, None)
    if shown is not None:
        page.content = shown
        delattr(page, SHOWN)
        delattr(page, INDEXED)
    return context


on_page_context = CombinedEvent(_show_search_the_indexed_part, _show_readers_the_whole_page)
