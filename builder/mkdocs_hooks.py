"""MkDocs hooks for the staged site (builder/site.py adds this file to the config).

Generated pages are HTML already: render.py writes each as raw HTML whose article
text Jinja has escaped, and marks it `raw_html: true` in its front matter.
Python-Markdown would hand that HTML back unchanged (apart from stripping the outer
whitespace, expanding tabs and dropping a few control characters), after parsing
every tag twice, which was most of the time of `mkdocs build`. So a marked page
skips Markdown: its text goes to the theme as written. Hand-written pages in docs/
are Markdown as usual. MkDocs does not collect anchors from a skipped page, so
links into it are not checked, as links in raw HTML never were.
"""

from __future__ import annotations

MARK = "raw_html"
STASH = "dossier_raw_html"


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
    return stashed
