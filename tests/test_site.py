"""End to end: a corpus becomes a MkDocs site whose pages carry every input character."""

import json
import os
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CORPUS, OTHER_EVENT, REPO

HOSTILE = """---
title: "<script>alert('title')</script> & {{ config.site_name }}"
outlet: <b onmouseover=alert(1)>Outlet</b>
---
Officials said <script>alert('xss')</script> nothing happened, and <img src=x onerror="alert(2)"> too.

A [link](javascript:alert(3)) and **bold** and {{ page.title }} and {% raw %} and <a href="javascript:alert(4)">click</a>.

# Not a heading

<iframe src="https://example.org"></iframe> ends here.
"""


def build(corpus: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "builder", "build", "--corpus", str(corpus),
                           "--site", str(out / "site"), "--work", str(out / "work")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    result = build(CORPUS, out)
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory):
    """The other event's articles plus a hostile one, in one corpus."""
    out = tmp_path_factory.mktemp("mixed")
    corpus = out / "corpus"
    for src in OTHER_EVENT.rglob("*.*"):
        dest = corpus / src.relative_to(OTHER_EVENT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(src.read_bytes())
    (corpus / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    result = build(corpus, out)
    assert result.returncode == 0, result.stderr
    return out / "site", corpus


class SourceText(HTMLParser):
    """Collects the text inside elements marked `dossier-src`, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.stack = []
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        marked = "dossier-src" in (dict(attrs).get("class") or "").split()
        self.stack.append(marked)
        self.depth += marked

    def handle_endtag(self, tag):
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        if self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def source_text(html_text: str) -> str:
    parser = SourceText()
    parser.feed(html_text)
    return "".join(parser.parts)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def article_pages(site: Path) -> dict[str, str]:
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    return {a["file"]: (site / "articles" / f"{a['id']}.html").read_text(encoding="utf-8") for a in data["articles"]}


def test_site_has_the_index_pages(seed_site):
    for page in ("index.html", "articles/index.html", "languages/index.html", "languages/nb.html",
                 "languages/en.html", "report.html", "about.html", "dossier.json", "search/search_index.js",
                 "briefing.pdf", "timeline.html", "timeline.json"):
        assert (seed_site / page).is_file(), page
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert "2022-11-11" in home and "without a known date" not in home
    assert "BFM TV" in home and "dw.com" in home
    assert 'href="briefing.pdf"' in home


def test_every_character_of_every_input_file_reaches_its_article_page(seed_site):
    pages = article_pages(seed_site)
    assert len(pages) == 5
    for file, page in pages.items():
        original = (CORPUS / file).read_text(encoding="utf-8")
        assert squeeze(source_text(page)) == squeeze(original), file


def test_article_pages_carry_language_tags(seed_site):
    pages = article_pages(seed_site)
    norwegian = pages["000_725de6054b79a447.txt"]
    assert re.search(r'<html lang="nb"', norwegian)
    assert norwegian.count('lang="nb"') >= 14
    bfm = pages["001_73ea46127f6947ac.txt"]
    assert re.search(r'<html lang="en"', bfm)
    assert re.search(r'<span class="dossier-foreign" lang="fr"[^>]*>immeuble d’habitation', bfm)
    spanish = pages["002_ee289ffbf7ab8833.txt"]
    assert re.search(r'<span class="dossier-foreign" lang="es"[^>]*>el presidente ruso</span>', spanish)
    assert "Norwegian Bokmål" in norwegian and "norsk bokmål" in norwegian


def test_boilerplate_is_folded_not_dropped(seed_site):
    page = article_pages(seed_site)["004_8f555ae9a8a4bfff.txt"]
    folds = re.findall(r"<details class=\"dossier-fold\">(.*?)</details>", page, flags=re.S)
    folded = " ".join(folds)
    assert "Similar News:" in folded and folded.count("Read more »") == 4


def test_articles_index_lists_every_article_with_inferred_marks(seed_site):
    index = (seed_site / "articles" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="001-73ea46127f6947ac.html"') == 1
    assert index.count("<tr>") == 6
    assert "dossier-inferred" in index


def test_article_pages_stay_out_of_the_navigation(seed_site):
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert "articles/000-725de6054b79a447.html" not in home


def test_article_mentions_link_to_entity_pages_that_stay_out_of_the_navigation(seed_site):
    page = article_pages(seed_site)["000_725de6054b79a447.txt"]
    link = re.search(r'<a class="dossier-entity" href="../entities/([a-z0-9-]+)\.html">Dmitrij Peskov</a>', page)
    assert link, "the Norwegian spelling links to the merged entity"
    entity_page = (seed_site / "entities" / f"{link.group(1)}.html").read_text(encoding="utf-8")
    assert "Dmitri Peskov" in entity_page and "Dmitrij Peskov" in entity_page
    assert 'href="../articles/000-725de6054b79a447.html#p' in entity_page
    index = (seed_site / "entities" / "index.html").read_text(encoding="utf-8")
    assert "People" in index and "Places" in index and "Organisations" in index
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert "entities/index.html" in home and f"entities/{link.group(1)}.html" not in home


def test_generated_pages_reach_the_site_as_written(seed_site):
    """Staged pages skip Python-Markdown (builder/mkdocs_hooks.py): each is in its HTML page verbatim."""
    docs = seed_site.parent / "work" / "docs"
    config = (seed_site.parent / "work" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "builder/mkdocs_hooks.py" in config
    for staged in ("articles/000-725de6054b79a447.md", "summary.md", "timeline.md", "entities/index.md"):
        body = (docs / staged).read_text(encoding="utf-8").split("---\n", 2)[2].strip()
        built = (seed_site / staged.replace(".md", ".html")).read_text(encoding="utf-8")
        shown = body.replace("<!-- not indexed -->", "").replace("<!-- /not indexed -->", "")
        assert shown in built, staged
        assert built.count("<h1") == 1 and "dossier: the page's HTML" not in built, staged


def test_search_indexes_each_quote_once_at_its_source(seed_site):
    index = json.loads((seed_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert any(loc.startswith("articles/000-725de6054b79a447.html") for loc in locations)
    assert not any(loc.startswith(("summary.html", "timeline.html")) for loc in locations)
    entity_sections = {loc.split("#")[1] if "#" in loc else "" for loc in locations if loc.startswith("entities/")}
    assert "aliases" in entity_sections
    assert not entity_sections & {"statements", "timeline", "related", "mentions", "more-mentions"}
    built = "".join(p.read_text(encoding="utf-8") for p in seed_site.glob("entities/*.html"))
    assert "not indexed" not in built and 'id="mentions"' in built


def test_search_previews_keep_table_cells_apart(seed_site):
    """The search plugin joins the text of neighbouring tags as it finds them: the
    cells of a table must be written with space between them, or a preview reads
    "NameMentionsArticles" and a name runs into its counts."""
    index = json.loads((seed_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    tables = {doc["location"]: doc["text"] for doc in index["docs"]
              if doc["location"].startswith(("entities/index.html#", "articles/index.html"))}
    assert tables and all("Name Mentions Articles" in text for loc, text in tables.items() if "#" in loc)
    assert "Title Outlet Date Language Words" in tables["articles/index.html"]


def test_search_keeps_the_text_of_linked_names_and_foreign_spans(seed_site):
    """The search plugin is handed article pages without their inline tags: their text stays."""
    index = json.loads((seed_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"]
                    if doc["location"].startswith("articles/000-725de6054b79a447.html"))
    page = article_pages(seed_site)["000_725de6054b79a447.txt"]
    assert '<a class="dossier-entity"' in page and "Dmitrij Peskov" in text
    assert "<a " not in text and "<span" not in text


def test_export_keeps_the_contract(seed_site):
    data = json.loads((seed_site / "dossier.json").read_text(encoding="utf-8"))
    assert data["schema"] == "dossier/1"
    assert {"articles", "entities", "timeline", "facts"} <= data.keys()
    for art in data["articles"]:
        assert {"id", "file", "title", "outlet", "date", "date_inferred", "language", "translated_from",
                "paragraphs"} <= art.keys()
        for p in art["paragraphs"]:
            assert {"text", "language", "role"} <= p.keys()


def test_another_event_in_other_languages_builds(mixed_site):
    site, corpus = mixed_site
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    assert sorted({a["language"] for a in data["articles"] if a["file"] != "hostile.md"}) == sorted(
        ["da", "de", "en", "es", "fr", "it", "nb", "nl", "nn", "pl", "pt", "ru", "sv", "uk"])
    for code in ("ru", "uk", "pl", "nn"):
        assert (site / "languages" / f"{code}.html").is_file()
    for file, page in article_pages(site).items():
        assert squeeze(source_text(page)) == squeeze((corpus / file).read_text(encoding="utf-8")), file


def test_hostile_article_renders_as_text(mixed_site):
    site, _ = mixed_site
    page = article_pages(site)["hostile.md"]
    body = page.split('<article class="dossier-article">', 1)[1].split("</article>", 1)[0]
    assert "<script" not in body and "<img" not in body and "<iframe" not in body
    assert "javascript:" not in re.sub(r"&[^;]+;", "", " ".join(re.findall(r'href="([^"]*)"', body)))
    assert "<strong>" not in body and "<h1>Not a heading" not in body
    text = unescape(body)
    for literal in ("<script>alert('xss')</script>", "[link](javascript:alert(3))", "**bold**",
                    "{{ page.title }}", "{% raw %}", "# Not a heading", '<img src=x onerror="alert(2)">'):
        assert literal in text, literal
    head = page.split("</head>", 1)[0]
    assert "<script>alert('title')" not in head
    assert "&lt;script&gt;alert" in head


def test_two_builds_are_byte_identical(tmp_path):
    first, second = build(CORPUS, tmp_path / "a"), build(CORPUS, tmp_path / "b")
    assert first.returncode == second.returncode == 0
    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    a, b = files(tmp_path / "a" / "site"), files(tmp_path / "b" / "site")
    assert a.keys() == b.keys()
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []


def test_check_command_reports_file_and_line(tmp_path):
    (tmp_path / "bad.md").write_text("---\ndate: 2022-02-30\n---\nSome text about the day.\n")
    (tmp_path / "good.txt").write_text("A good article with words.\n")
    result = subprocess.run([sys.executable, "-m", "builder", "check", "--corpus", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert "bad.md:2: error: impossible date '2022-02-30' (day is out of range for month): ignored" in result.stderr


def test_the_export_does_not_depend_on_python_hash_seeds(tmp_path):
    """Set iteration order changes with PYTHONHASHSEED; nothing in the dossier may follow it."""
    from bench.synthetic import write_corpus
    write_corpus(tmp_path / "corpus", 80)
    exports = []
    for seed in ("1", "2"):
        out = tmp_path / f"dossier-{seed}.json"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-m", "builder", "export", str(out), "--corpus",
                                 str(tmp_path / "corpus")], cwd=REPO, env=env, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, result.stderr
        exports.append(out.read_bytes())
    assert exports[0] == exports[1]


def test_pages_come_out_as_the_theme_and_search_plugin_alone_make_them(seed_site, tmp_path, monkeypatch):
    """The hooks render theme parts shared by a folder's pages once and make the generated
    pages' search entries in a background process (builder/mkdocs_hooks.py): the site is
    byte for byte the one the theme and the search plugin make rendering and indexing
    every page themselves."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from builder.site import HOOKS

    config_file = seed_site.parent / "work" / "mkdocs.yml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    hooked = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose", "-f", str(config_file),
                             "-d", str(tmp_path / "hooked")], env=env, capture_output=True, text=True, timeout=600)
    assert hooked.returncode == 0, hooked.stderr
    indexed = re.search(r"search entries of (\d+) generated pages were made in a background process", hooked.stderr)
    assert indexed and int(indexed.group(1)) >= 10

    config = load_config(str(config_file), site_dir=str(tmp_path / "plain"), strict=True)
    hooks = config.plugins[HOOKS]
    monkeypatch.setattr(hooks, "search_plugin", lambda config: None)  # the plugin indexes every page
    monkeypatch.setattr(hooks.SharedFragments, "key", lambda self, part, page, nav: None)  # nothing shared
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()

    plain = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*") if p.is_file())
    assert plain == sorted(p.relative_to(tmp_path / "hooked") for p in (tmp_path / "hooked").rglob("*") if p.is_file())
    assert Path("search/search_index.json") in plain and Path("articles/000-725de6054b79a447.html") in plain
    for rel in plain:
        assert (tmp_path / "hooked" / rel).read_bytes() == (tmp_path / "plain" / rel).read_bytes(), rel
