"""The built site in a real browser: Debian's Chromium driven by Playwright.

One site is built per session from the seed corpus plus a hostile article, served
on 127.0.0.1, and visited as a reader would: pages render, search finds words and
names, language tags are present, hostile text stays text, axe-core finds no
WCAG 2 A/AA violation, and printing hides the site's navigation.

Entity, timeline and summary pages are checked whenever the build produces them.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import socket
import threading
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, build_site

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
NORWEGIAN_ARTICLE = "000_725de6054b79a447.txt"
MIXED_ARTICLE = "001_73ea46127f6947ac.txt"  # English with French spans
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONAL_PAGES = {"entity": "entities/*.html", "timeline": "timeline.html", "summary": "summary.html"}

# Every way an article could try to run code in the reader's browser; each one
# that ran would set window.__pwned or open a dialog.
HOSTILE_ARTICLE = """---
title: "<script>window.__pwned='title'</script><img src=x onerror=alert('title')>"
outlet: <b onmouseover=alert(1)>Outlet</b>
---
Officials said <script>window.__pwned='script'; alert('script')</script> nothing happened.

An image <img src=x onerror="window.__pwned='onerror'; alert('onerror')"> and an <svg onload="window.__pwned='svg'"></svg>.

A [markdown link](javascript:window.__pwned='md-link') and <a href="javascript:window.__pwned='a-link'">an anchor</a>.

Jinja {{ config.site_name }} and {% raw %} and {{ ''.__class__ }} stay as typed.

<iframe src="javascript:window.parent.__pwned='iframe'"></iframe> <style>body{display:none}</style> end.

<details open ontoggle="window.__pwned='toggle'">x</details> <body onload="window.__pwned='body'">

An override \u202eevil txt.exe never closed.

The paragraph after the override reads left to right.
"""

LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def browser_site(tmp_path_factory):
    """(site folder, dossier.json data) for the seeds plus the hostile article."""
    out = tmp_path_factory.mktemp("browser")
    corpus = out / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "hostile.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    result = build_site(corpus, out)
    assert result.returncode == 0, result.stderr
    site = out / "site"
    return site, json.loads((site / "dossier.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def base_url(browser_site):
    site, _ = browser_site
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.is_file(), "Debian's chromium is missing: run `make system` (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records dialogs, console errors and requests leaving 127.0.0.1."""
    context = browser.new_context()
    page = context.new_page()
    page.dialogs = []
    page.outside_requests = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else page.outside_requests.append(r.url))
    page.set_default_timeout(15_000)
    yield page
    context.close()


def article_url(data: dict, file: str) -> str:
    (found,) = [a for a in data["articles"] if a["file"] == file]
    return f"articles/{found['id']}.html"


def optional_page(site: Path, kind: str) -> str | None:
    """The site path of the first page of this kind the build produced, if any."""
    found = sorted(site.glob(OPTIONAL_PAGES[kind]))
    found = [p for p in found if p.name != "index.html"] or found
    return found[0].relative_to(site).as_posix() if found else None


def pages_to_check(site: Path, data: dict) -> dict[str, str]:
    pages = {"home": "index.html", "article": article_url(data, NORWEGIAN_ARTICLE),
             "articles index": "articles/index.html", "build report": "report.html"}
    for kind in OPTIONAL_PAGES:
        pages[kind] = optional_page(site, kind)
    return pages


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box and return the result links."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens hide the box behind a button
        page.locator("label.md-header__button[for='__search']").click()
    box.click()
    box.press_sequentially(query, delay=20)
    box.press("End")
    page.wait_for_selector(".md-search-result__list li", timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    return [link.split("?", 1)[0].split("#", 1)[0] for link in links]


def test_home_page_renders(page, base_url, browser_site):
    _, data = browser_site
    page.goto(base_url)
    assert page.title().startswith("Overview")
    assert page.locator("h1").first.is_visible()
    assert page.locator("article").get_by_text(f"All {len(data['articles'])} articles").is_visible()
    page.locator("article").get_by_text("All ").first.click()
    page.wait_for_url("**/articles/index.html")
    assert page.locator("article table tbody tr").count() == len(data["articles"])
    assert page.outside_requests == []


def test_search_finds_a_norwegian_word_in_the_norwegian_article(page, base_url, browser_site):
    _, data = browser_site
    page.goto(base_url)
    links = search(page, "væpnede")
    assert any(link.endswith(article_url(data, NORWEGIAN_ARTICLE)) for link in links), links


def entity_aliases(data: dict) -> list[tuple[str, str]]:
    """(entity id, spelling) for the entities with the most spellings."""
    def spellings(entity):
        aliases = entity.get("aliases") or []
        return sorted({a["text"] if isinstance(a, dict) else str(a) for a in aliases} | {entity["name"]})

    ranked = sorted(data.get("entities") or [], key=lambda e: (-len(spellings(e)), e["id"]))
    return [(e["id"], text) for e in ranked[:3] for text in spellings(e)]


def test_search_finds_an_entity_by_every_spelling(page, base_url, browser_site):
    site, data = browser_site
    pairs = entity_aliases(data)
    if not pairs or not optional_page(site, "entity"):
        pytest.skip("this build has no entities or no entity pages yet (issue 3)")
    missed = []
    for entity_id, spelling in pairs:
        page.goto(base_url)
        links = search(page, spelling)
        if not any(link.endswith(f"entities/{entity_id}.html") for link in links):
            missed.append((entity_id, spelling, links[:5]))
    assert missed == []


def test_article_page_carries_language_attributes(page, base_url, browser_site):
    _, data = browser_site
    page.goto(base_url + article_url(data, NORWEGIAN_ARTICLE))
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert page.locator("p.dossier-body[lang='nb']").count() >= 10
    page.goto(base_url + article_url(data, MIXED_ARTICLE))
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("span.dossier-foreign[lang='fr']").count() >= 1
    assert page.locator("span.dossier-lang[lang='en']").count() >= 1


def test_hostile_article_shows_as_text_and_runs_nothing(page, base_url, browser_site):
    _, data = browser_site
    page.goto(base_url + article_url(data, "hostile.md"))
    page.wait_for_load_state("load")
    for link in page.locator("article").get_by_text("an anchor").all():
        with contextlib.suppress(Exception):
            link.click(timeout=1_000)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    content = page.locator("article.dossier-article")
    text = content.inner_text()
    for literal in ("<script>window.__pwned='script'", "onerror=\"window.__pwned='onerror'",
                    "[markdown link](javascript:", "<a href=\"javascript:", "{{ config.site_name }}",
                    "{% raw %}", "<iframe src=\"javascript:", "<style>body{display:none}</style>"):
        assert literal in text, literal
    assert content.locator("script, img, svg, iframe, style, a[href^='javascript:']").count() == 0
    assert page.locator("body").is_visible()
    assert page.evaluate("document.title").startswith("<script>")
    override = content.locator("p", has_text="never closed")
    assert override.evaluate("p => getComputedStyle(p).unicodeBidi") == "plaintext"
    after = content.locator("p", has_text="The paragraph after the override")
    assert after.evaluate("p => getComputedStyle(p).direction") == "ltr"


@pytest.mark.parametrize("kind", ["home", "article", "articles index", "build report", *OPTIONAL_PAGES])
def test_no_wcag_violations(page, base_url, browser_site, kind):
    site, data = browser_site
    path = pages_to_check(site, data)[kind]
    if path is None:
        pytest.skip(f"this build has no {kind} page yet ({OPTIONAL_PAGES[kind]})")
    assert AXE.is_file(), "axe-core is missing: run `make test` (npm ci installs node_modules/)"
    page.goto(base_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    violations = [(v["id"], v["impact"], [(n["target"], n["failureSummary"]) for n in v["nodes"][:5]])
                  for v in result["violations"]]
    assert violations == []


@pytest.mark.parametrize("kind", ["home", "article", *OPTIONAL_PAGES])
def test_printing_hides_navigation_and_search(page, base_url, browser_site, kind):
    site, data = browser_site
    path = pages_to_check(site, data)[kind]
    if path is None:
        pytest.skip(f"this build has no {kind} page yet ({OPTIONAL_PAGES[kind]})")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + path)
    assert page.locator(".md-sidebar--primary").is_visible()
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search",
                   ".md-footer", ".md-tabs"):
        assert not any(el.is_visible() for el in page.locator(chrome).all()), chrome
    content = page.locator(".md-content").bounding_box()
    assert content["width"] >= 0.9 * page.viewport_size["width"]
    assert page.locator("article h1").first.is_visible()
