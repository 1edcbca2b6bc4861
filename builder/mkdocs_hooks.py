"""MkDocs hooks for the staged site (builder/site.py adds this file to the config).

Generated pages are HTML already: render.py writes each as raw HTML whose article
text Jinja has escaped, and marks it `raw_html: true` in its front matter.
Python-Markdown would hand that HTML back unchanged (apart from stripping the outer
whitespace, expanding tabs and dropping a few control characters), after parsing
every tag twice, which was most of the time of `mkdocs build`. So a marked page
skips Markdown: its text goes to the theme as written. Hand-written pages in docs/
are Markdown as usual. MkDocs does not collect anchors from a skipped page, so
links into it are not checked, as links in raw HTML never were.

MkDocs keeps every page's HTML from the first pass (all pages) to the second
(each page into the theme): the whole site in memory. A marked page's HTML is
instead read from its staged file just before the theme needs it and dropped
once the page is written, so only one page is held at a time. A page left out of
search (the summary, the timeline: the longest) is not read at all: the theme
gets a placeholder, and the page file is written as the theme's output around
it with the staged HTML copied in between, piece by piece.

Parts of a page between NOT_INDEXED and END_NOT_INDEXED (quotes the articles' own
pages index already) are shown to readers but not to the search plugin: it is
handed the page without them, just before it indexes the page, and the page is
put back right after. The markers themselves never reach the site. The search
plugin also gets the page without its inline tags (links, spans, marks, quotes),
whose text it keeps anyway. Where a process can be forked, that copy of each
generated page is indexed by the plugin's own SearchIndex in a background process
while this one renders the theme (BackgroundSearchIndex); the plugin gets those
pages empty and their entries are merged into its search_index.json in page order.

Parts of the theme that are the same on every page of a folder (the header but
for the title, the navigation of a page outside the nav, the config script) are
rendered once per folder (SharedFragments, docs/overrides/main.html).

All of this leaves the site byte for byte as the theme and the plugin alone make
it (tests/test_site.py); at 3,000 articles `mkdocs build` takes less than half
of the time it did.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import posixpath
import re
import threading
import traceback

from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.utils import meta

MARK = "raw_html"
NOT_INDEXED = "<!-- not indexed -->"
END_NOT_INDEXED = "<!-- /not indexed -->"
LATER = "dossier_html_later"  # set on a marked page: its HTML is read when it is built
STREAMED = "dossier_html_streamed"  # set on a marked page left out of search: its HTML is copied in
SHOWN = "dossier_shown_html"
TITLE_STAND_IN = "\x00dossier: the page's title\x00"  # in a header rendered for a folder's pages
BACKGROUND = "dossier_search_in_background"  # set on the config: the BackgroundSearchIndex of this build
PLACEHOLDER = "<!-- dossier: the page's HTML, copied in from its staged file -->"
# Material prints the page title itself unless the content has "<h1": so does this one.
PLACEHOLDER_WITH_H1 = "<!-- dossier: the page's HTML (with its <h1>), copied in from its staged file -->"
WHITESPACE = b" \t\n\r\x0b\x0c"
CHUNK = 1 << 20
log = logging.getLogger("mkdocs.dossier")
_NOT_INDEXED_PART = re.compile(re.escape(NOT_INDEXED) + ".*?" + re.escape(END_NOT_INDEXED), re.S)
# Inline tags the search plugin drops (keeping their text) but parses one by one, which
# was a third of `mkdocs build`: they are taken out of the copy it indexes. Generated
# attribute values are escaped, so no ">" hides inside a tag.
_INLINE_TAG = re.compile(r"</?(?:a|span|mark|q|abbr|bdi|time)(?:\s[^>]*)?>")


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    """A marked page gives Markdown nothing to do (its HTML is read when it is built)."""
    if page.meta.get(MARK) is True:
        setattr(page, LATER, True)
        return ""
    return markdown


def staged_html(path: str) -> str:
    """A generated page's HTML: its staged file after the front matter, read as MkDocs reads it."""
    with open(path, encoding="utf-8-sig", errors="strict") as f:
        source = f.read()
    front = meta.YAML_RE.match(source)
    return (source[front.end():] if front else source).strip()


def has_h1(path: str) -> bool:
    """Whether a staged page has an <h1> (read a megabyte at a time)."""
    with open(path, "rb") as f:
        last = b""
        while piece := f.read(CHUNK):
            if b"<h1" in last + piece:
                return True
            last = piece[-2:]
    return False


def copy_staged_html(path: str, out) -> None:
    """staged_html(path), UTF-8 encoded, written to `out` a megabyte at a time (the
    generated HTML starts and ends with a tag, so stripping ASCII white space is strip())."""
    with open(path, "rb") as f:
        start = f.read(CHUNK)
        if start.startswith(b"\xef\xbb\xbf"):
            start = start[3:]
        front = meta.YAML_RE.match(start.decode("utf-8", errors="ignore"))
        if front:  # the front matter is a few short lines: all in the first piece
            start = start[len(start.decode("utf-8", errors="ignore")[:front.end()].encode("utf-8")):]
        piece, pending = start.lstrip(WHITESPACE), b""
        while piece:
            body = piece.rstrip(WHITESPACE)
            if body:
                out.write(pending + body)
                pending = piece[len(body):]
            else:
                pending += piece
            piece = f.read(CHUNK)


def search_copy(html: str) -> str:
    """The page as the search plugin gets it: without the parts it must not index and
    without inline tags."""
    return _INLINE_TAG.sub("", _NOT_INDEXED_PART.sub("", html))


class BackgroundSearchIndex:
    """The search entries of the generated pages, made by a forked process while this
    one puts the pages into the theme (splitting pages into search sections was the
    largest part of `mkdocs build` after the theme). It runs the search plugin's own
    indexing (material's SearchIndex) on the same copy of each page the plugin would
    get, so the entries are the plugin's; the plugin is handed those pages empty, and
    their entries join its search_index.json in page order once it is written."""

    def __init__(self, pages: list, search_config: dict):
        self.urls = frozenset(page.url for page in pages)
        self.order: list[str] = []  # every page's url, in the order the theme gets them
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=index_in_background, args=(pages, search_config, send), daemon=True)
        self.process.start()
        send.close()

    def entries(self) -> dict[str, str]:
        """Each page's entries, as JSON objects joined by commas."""
        try:
            outcome, detail = self.receive.recv()
        except EOFError:
            outcome, detail = "error", "the search indexing process ended without a word"
        self.process.join()
        if outcome != "done":
            raise PluginError(f"indexing generated pages for search failed:\n{detail}")
        return detail

    def merge_into(self, path: str) -> None:
        """Rewrite the plugin's search_index.json with the background entries in page order
        (the plugin's json.dumps, one entry at a time)."""
        ours = self.entries()
        with open(path, encoding="utf-8") as f:
            written = json.load(f)
        theirs = written["docs"]
        pieces, taken = [], 0
        for url in self.order:
            if url in ours:
                if ours[url]:
                    pieces.append(ours[url])
                continue
            while taken < len(theirs) and theirs[taken]["location"].split("#", 1)[0] == url:
                pieces.append(_json(theirs[taken]))
                taken += 1
        pieces.extend(_json(entry) for entry in theirs[taken:])
        log.debug(f"dossier: the search entries of {len(ours)} generated pages were made in a background process")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"config":' + _json(written["config"]) + ',"docs":[')
            f.write(",".join(pieces))
            f.write("]}")


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def index_in_background(pages: list, search_config: dict, send) -> None:
    """BackgroundSearchIndex's process: sends ("done", {url: entries}) or ("error", traceback)."""
    try:
        index = SearchIndex(**search_config)
        found = {}
        for page in pages:
            page.content = search_copy(staged_html(page.file.abs_src_path))
            index.entries = []
            index.add_entry_from_context(page)
            found[page.url] = ",".join(_json(entry) for entry in index.entries)
            page.content = ""
        send.send(("done", found))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the build
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def search_plugin(config):
    """Material's search plugin, if the site uses it."""
    plugin = config.plugins.get("material/search")
    return plugin if isinstance(plugin, SearchPlugin) and plugin.config.enabled else None


@event_priority(50)  # before the search plugin (priority 0) indexes the page
def _load_the_page_for_search(context, page, config, **kwargs):
    background = getattr(config, BACKGROUND, None)
    if background is not None:
        background.order.append(page.url)
    if getattr(page, LATER, False):
        if (page.meta.get("search") or {}).get("exclude"):
            setattr(page, STREAMED, True)
            page.content = PLACEHOLDER_WITH_H1 if has_h1(page.file.abs_src_path) else PLACEHOLDER
            return context
        html = staged_html(page.file.abs_src_path)
        shown = html.replace(NOT_INDEXED, "").replace(END_NOT_INDEXED, "") if NOT_INDEXED in html else html
        setattr(page, SHOWN, shown)
        # indexed in the background, or by the plugin now
        page.content = "" if background is not None and page.url in background.urls else search_copy(html)
    return context


@event_priority(-50)  # after it: the page as readers see it
def _show_readers_the_whole_page(context, page, **kwargs):
    shown = getattr(page, SHOWN, None)
    if shown is not None:
        page.content = shown
        delattr(page, SHOWN)
    return context


on_page_context = CombinedEvent(_load_the_page_for_search, _show_readers_the_whole_page)


class SharedFragments:
    """`dossier_shared` in docs/overrides/main.html: a part of the theme's page that
    comes out the same on every page of a folder is rendered once per folder and build.

    - "site_nav", the navigation sidebars: the same for every page outside the nav
      (none of its items is active then) without a table of contents (generated
      pages have none: MkDocs collects it from Markdown) and not hiding either
      sidebar; its links are relative to the page's folder.
    - "config", the theme's config script: its only page-dependent value is the
      relative link to the site's root.
    - "header": the same but for the page's title (a page with a title in its front
      matter, as generated pages have): rendered once with a stand-in title, which
      each page's title then replaces."""

    def __init__(self):
        self.rendered: dict[tuple[str, str], str] = {}
        self.in_nav: dict[int, frozenset[str]] = {}

    def __call__(self, part: str, page, nav, caller) -> str:
        key = self.key(part, page, nav)
        if key is None:
            return caller()
        if part == "header":
            return self.header(key, page, caller)
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]

    def header(self, key: tuple[str, str], page, caller) -> str:
        title = page.meta["title"]
        if key not in self.rendered:
            page.meta["title"] = TITLE_STAND_IN
            try:
                self.rendered[key] = caller()
            finally:
                page.meta["title"] = title
        rendered = self.rendered[key]
        if rendered.count(TITLE_STAND_IN) != 1:  # the theme prints the title other than once, as it is
            return caller()
        return rendered.replace(TITLE_STAND_IN, title)

    def key(self, part: str, page, nav) -> tuple[str, str] | None:
        if page is None or page.url is None:
            return None
        folder = posixpath.dirname(page.url)
        if part == "config":
            return part, folder
        if part == "header":
            title = (page.meta or {}).get("title")
            return (part, folder) if isinstance(title, str) and title and TITLE_STAND_IN not in title else None
        if part == "site_nav":
            if page.toc or (page.meta or {}).get("hide") or page.file.src_uri in self.nav_pages(nav):
                return None
            return part, folder
        return None

    def nav_pages(self, nav) -> frozenset[str]:
        if id(nav) not in self.in_nav:
            self.in_nav = {id(nav): frozenset(p.file.src_uri for p in nav.pages)}
        return self.in_nav[id(nav)]


def on_env(env, config, files, **kwargs):
    """All pages are read: start indexing the generated ones (where a process can be
    forked safely: not beside `mkdocs serve`'s threads); share theme fragments."""
    env.globals["dossier_shared"] = SharedFragments()
    setattr(config, BACKGROUND, None)
    plugin = search_plugin(config)
    if plugin is not None and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        pages = [file.page for file in files.documentation_pages()
                 if file.page is not None and getattr(file.page, LATER, False)
                 and not (file.page.meta.get("search") or {}).get("exclude")]
        if pages:
            setattr(config, BACKGROUND, BackgroundSearchIndex(pages, dict(plugin.config)))
    return env


@event_priority(-50)  # after the search plugin writes search_index.json, before the offline plugin (-100) copies it
def on_post_build(config, **kwargs):
    background = getattr(config, BACKGROUND, None)
    if background is not None:
        setattr(config, BACKGROUND, None)
        background.merge_into(os.path.join(config.site_dir, "search", "search_index.json"))


def on_post_page(output: str, page, **kwargs) -> str:
    """The page is in the theme's output now: drop its HTML before the next page, or
    write the page around its placeholder (MkDocs writes nothing for an empty output)."""
    if getattr(page, STREAMED, False):
        delattr(page, STREAMED)
        placeholder = page.content
        head, found, tail = output.partition(placeholder)
        if not found or placeholder in tail:  # the theme did not print the content once
            return output.replace(placeholder, staged_html(page.file.abs_src_path))
        os.makedirs(os.path.dirname(page.file.abs_dest_path), exist_ok=True)
        with open(page.file.abs_dest_path, "wb") as out:
            out.write(head.encode("utf-8", errors="xmlcharrefreplace"))
            copy_staged_html(page.file.abs_src_path, out)
            out.write(tail.encode("utf-8", errors="xmlcharrefreplace"))
        return ""
    if getattr(page, LATER, False):
        page.content = ""
    return output
