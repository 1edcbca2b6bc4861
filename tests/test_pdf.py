"""The PDF briefing: cover, contents with page numbers, every article, embedded fonts."""

import datetime as dt
import re
import subprocess
import sys

import pytest

from conftest import CORPUS, REPO, TODAY
from builder.cache import ArticleCache
from builder.model import CONTESTED, DISPUTED, Fact, FactSource
from builder.pdf import SOURCES_PER_FACT, TIMELINE_ENTRIES, briefing_html, briefing_pdf, write_pdf
from builder.render import sort_key, timeline_context, varied_sources


@pytest.fixture(scope="module")
def briefing(tmp_path_factory, seed_dossier):
    out = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    write_pdf(seed_dossier, TODAY, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return out, text.split("\f")


def test_a_rebuild_reuses_the_briefing_pdf_while_its_html_is_unchanged(tmp_path, briefing, seed_dossier, monkeypatch):
    fresh = briefing[0].read_bytes()
    assert briefing_pdf(seed_dossier, TODAY, cache=ArticleCache(tmp_path / "cache")) == fresh
    again = ArticleCache(tmp_path / "cache")
    assert briefing_pdf(seed_dossier, TODAY, cache=again) == fresh
    assert (again.hits, again.misses) == (1, 0)

    class Laid:  # stands in for WeasyPrint: a changed briefing must be laid out again
        def __init__(self, string):
            self.html = string

        def write_pdf(self):
            return b"%PDF- laid out again"

    monkeypatch.setattr("weasyprint.HTML", Laid)
    later = TODAY + dt.timedelta(days=1)  # the cover shows the build date
    assert briefing_pdf(seed_dossier, later, cache=ArticleCache(tmp_path / "cache")) == b"%PDF- laid out again"


def test_cover_names_the_dossier_and_its_coverage(briefing, seed_dossier):
    _, pages = briefing
    cover = pages[0]
    assert "BRIEFING DOSSIER" in cover
    assert "Russian withdrawal from" in cover
    assert "Dates covered" in cover and "2022-11-11" in cover
    assert "Built" in cover and TODAY.isoformat() in cover
    assert "Norwegian Bokmål (1)" in cover


def test_contents_list_every_section_and_article_with_page_numbers(briefing, seed_dossier):
    _, pages = briefing
    contents = pages[1]
    assert "Contents" in contents
    lines = [line.strip() for line in contents.splitlines() if line.strip()]
    numbered = [line for line in lines if re.search(r"\.{3,}\s*\d+$", line)]
    sections = {re.sub(r"\s*\.{3,}\s*\d+$", "", line): int(re.search(r"(\d+)$", line).group(1)) for line in numbered
                if not any(a.title.value[:30] in line for a in seed_dossier.articles)}
    assert {"What we know", "Articles", "Timeline", "Entity index", "Annex: the articles in full"} <= sections.keys()
    assert "What we know" in numbered[0]  # the summary comes first after the contents
    for heading, page_number in sections.items():
        assert heading in pages[page_number - 1], heading
    assert len(numbered) == len(sections) + len(seed_dossier.articles)
    for article in sorted(seed_dossier.articles, key=sort_key):
        title_start = article.title.value[:30]
        entry = [line for line in numbered if title_start in line]
        assert entry, title_start
        page_number = int(re.search(r"(\d+)$", entry[0]).group(1))
        assert title_start in pages[page_number - 1].replace("\n", " ")


def test_every_article_is_in_the_annex_without_its_boilerplate(briefing, seed_dossier):
    _, pages = briefing
    text = "\n".join(pages)
    for article in seed_dossier.articles:
        assert article.title.value[:30] in text
    assert "Read more »" not in text
    assert "Skip to content" not in text
    omitted = [sum(p.role in ("boilerplate", "related") for p in a.paragraphs) for a in seed_dossier.articles]
    assert sorted(omitted) == [0, 0, 0, 6, 10]
    for n in omitted:
        if n:
            assert f"{n} boilerplate lines omitted" in text


def test_entity_index_lists_merged_spellings(briefing):
    _, pages = briefing
    text = "\n".join(pages)
    start = text.index("Entity index\n")
    section = text[start:text.index("Annex: the articles in full", start)]
    assert "People" in section and "Places" in section and "Organisations" in section
    assert re.search(r"Dmitry Peskov\s+Peskov, Dmitri Peskov, Dmitrij Peskov", section)


def test_page_furniture_numbers_pages_n_of_total(briefing):
    _, pages = briefing
    total = len([p for p in pages if p.strip()])
    assert f"3 / {total}" in pages[2]


def test_fonts_are_embedded(briefing):
    out, _ = briefing
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), fonts


def test_cyrillic_articles_print_without_missing_glyphs(tmp_path, other_dossier):
    out = write_pdf(other_dossier, TODAY, tmp_path / "b.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Число погибших" in text and "Кількість загиблих" in text
    assert "\ufffd" not in text


def test_pdf_command_writes_site_briefing(tmp_path):
    result = subprocess.run([sys.executable, "-m", "builder", "pdf", "--corpus", str(CORPUS), "--site", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True, env={"SOURCE_DATE_EPOCH": "1700000000",
                                                                            "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "briefing.pdf").read_bytes().startswith(b"%PDF")


def _source(article: str, value: str, role: str = "states", outlet: str = "") -> FactSource:
    return FactSource(article=article, paragraph=0, start=0, end=4, quote="text", value=value,
                      language="en", role=role, outlet=outlet or article)


def test_a_cut_source_list_still_shows_every_side_of_a_dispute():
    sources = [_source(f"a{i}", "about 40") for i in range(10)] + [_source("b1", "12"), _source("b2", "12")]
    fact = Fact(id="f1", kind="count", status=DISPUTED, statement="settlements retaken", subject="",
                value="", sources=sources, independent_sources=12)
    shown = varied_sources(fact, 4)
    assert len(shown) == 4
    assert {s.value for s in shown} == {"about 40", "12"}
    assert shown == [s for s in sources if s in shown]  # still in the fact's own order
    assert varied_sources(fact, None) == sources


def test_a_cut_source_list_keeps_claimants_and_doubters():
    sources = [_source(f"c{i}", "", role="claims") for i in range(9)] + [_source("d1", "", role="disputes")]
    fact = Fact(id="f2", kind="claim", status=CONTESTED, statement="a claim", subject="", value="",
                sources=sources, independent_sources=10)
    assert {s.role for s in varied_sources(fact, 3)} == {"claims", "disputes"}


def test_print_of_a_large_corpus_caps_fact_sources_and_timeline_entries(seed_dossier):
    import dataclasses

    many = dataclasses.replace(seed_dossier, timeline=seed_dossier.timeline * 5)
    context = timeline_context(many, limit=10)
    shown = [e for s in context["sections"] for y in s["years"] for m in y["months"] for d in m["days"]
             for e in d["entries"]]
    assert len(shown) == 10 and context["timeline_omitted"] == len(many.timeline) - 10
    reports = [len({s.article for s in e.sources}) for e in shown]
    assert min(reports) >= sorted((len({s.article for s in e.sources}) for e in many.timeline), reverse=True)[9]
    html = briefing_html(many, TODAY)
    assert f"the {len(many.timeline) - TIMELINE_ENTRIES} others are on the site" in html


def test_a_fact_taller_than_the_rest_of_a_page_goes_on_across_it(tmp_path, seed_dossier):
    """A box kept whole would leave the first page of "What we know" nearly blank below
    a one-source fact; it starts right under it and goes on over the page instead."""
    import dataclasses
    from builder.model import AGREED

    article = seed_dossier.articles[0].id
    quote = "The statement, quoted at length as the source gave it, " * 8
    small = Fact(id="f-small", kind="count", status=AGREED, statement="Small fact: 1", subject="", value="1",
                 sources=[_source(article, "1")], independent_sources=1)
    tall = Fact(id="f-tall", kind="count", status=AGREED, statement="Tall fact: 2", subject="", value="2",
                sources=[dataclasses.replace(_source(article, "2", outlet=f"Outlet {i}"), quote=quote)
                         for i in range(SOURCES_PER_FACT)], independent_sources=SOURCES_PER_FACT)
    out = tmp_path / "b.pdf"
    write_pdf(dataclasses.replace(seed_dossier, facts=[small, tall]), TODAY, out)
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    (first,) = [p for p in pages if "Small fact: 1" in p]
    assert "Tall fact: 2" in first
