"""Rendering and staging at scale: pages written as they come, dossier.json streamed,
article pages reused from the cache, several processes giving the same files as one."""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import re

import markdown
import pytest
import yaml

from builder import site
from builder.cache import ArticleCache
from builder.export import export_dossier, to_json
from builder.mkdocs_hooks import MARK
from builder.render import nav, render_pages
from builder.site import stage, timelinejs_json, write_jobs
from builder.timeline import timelinejs
from conftest import REPO


def test_dossier_json_holds_the_export_with_a_line_per_record(seed_dossier, other_dossier):
    for dossier in (seed_dossier, other_dossier):
        text = to_json(dossier)
        exported = export_dossier(dossier)
        assert json.loads(text) == exported
        lines = text.splitlines()
        for section in ("articles", "entities", "timeline", "facts"):
            start = lines.index(f' "{section}": [')
            records = exported[section]
            assert [json.loads(line.strip().rstrip(",")) for line in lines[start + 1:start + 1 + len(records)]] == records
            assert lines[start + 1 + len(records)] in (" ],", " ]")


def test_pages_about_the_tool_come_last_in_a_section_of_their_own(seed_dossier):
    """The dossier's own pages lead the navigation; the hand-written pages (how it is
    made, the builder's benchmarks) are not mixed in with them."""
    entries = nav(seed_dossier, render_pages(seed_dossier), ["about.md", "benchmarks.md"])
    assert entries[-1] == {"About this dossier": ["about.md", "benchmarks.md"]}
    assert not any(entry in ("about.md", "benchmarks.md") for entry in entries)
    assert "About this dossier" not in str(nav(seed_dossier, render_pages(seed_dossier), []))


def test_home_page_leads_to_every_index(seed_dossier):
    home = render_pages(seed_dossier)["index.md"]
    for target in ("summary.html", "articles/index.html", "languages/index.html", "entities/index.html",
                   "timeline.html", "report.html", "dossier.json"):
        assert f'href="{target}"' in home
    assert f"{len(seed_dossier.timeline)} dated events" in home


def test_timeline_json_holds_the_timelinejs_data_with_a_line_per_event(seed_dossier):
    titles = {a.id: a.title.value or a.file for a in seed_dossier.articles}
    data = timelinejs(seed_dossier.title, seed_dossier.timeline, titles)
    text = timelinejs_json(seed_dossier)
    assert json.loads(text) == data
    assert len(text.splitlines()) == len(data["events"]) + 5  # braces, the title, and a line per event


def markdown_of_the_site():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [ext if isinstance(ext, str) else next(iter(ext)) for ext in config["markdown_extensions"]]
    configs = {next(iter(ext)): ext[next(iter(ext))] or {} for ext in config["markdown_extensions"]
               if isinstance(ext, dict)}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def test_generated_pages_are_html_that_markdown_would_pass_through(seed_dossier, other_dossier):
    """What lets builder/mkdocs_hooks.py skip Python-Markdown for them: the page is the same either way."""
    for dossier in (seed_dossier, other_dossier):
        for path, text in render_pages(dossier).items():
            _, front, body = text.split("---\n", 2)
            assert yaml.safe_load(front)[MARK] is True, path
            assert markdown_of_the_site().reset().convert(body) == body.strip(), path


def staged_files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_stage_the_same_files_as_one(other_dossier, tmp_path, monkeypatch):
    monkeypatch.setattr(site, "MIN_JOBS_FOR_WORKERS", 1)
    monkeypatch.setenv("DOSSIER_WORKERS", "1")
    stage(other_dossier, REPO, tmp_path / "one")
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    stage(other_dossier, REPO, tmp_path / "two")
    one, two = staged_files(tmp_path / "one" / "docs"), staged_files(tmp_path / "two" / "docs")
    assert len(one) > 40
    assert one == two


def failing_page():
    raise ValueError("a page that cannot be rendered")


def test_a_page_that_fails_in_any_process_fails_the_stage(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "MIN_JOBS_FOR_WORKERS", 1)
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    jobs = [(f"page-{i}.md", lambda i=i: (f"page {i}\n",)) for i in range(10)]
    for position in (0, 5, 10):  # whichever process takes it
        with pytest.raises((ValueError, RuntimeError), match="cannot be rendered"):
            write_jobs(tmp_path, jobs[:position] + [("broken.md", failing_page)] + jobs[position:], None)


def test_pages_come_from_the_cache_until_what_they_show_changes(other_dossier, tmp_path):
    dossier = copy.deepcopy(other_dossier)
    articles, entities = len(dossier.articles), len(dossier.entities)
    record_files = 2  # the index of dossier.json's and timeline.json's records is a cache entry too
    stage(dossier, REPO, tmp_path, cache=ArticleCache(tmp_path / "cache"))
    numbered = len([*(tmp_path / "docs").glob("facts/*.md"), *(tmp_path / "docs").glob("timeline/*.md")])
    again = ArticleCache(tmp_path / "cache")
    stage(dossier, REPO, tmp_path, cache=again)
    assert (again.hits, again.misses) == (articles + entities + numbered + record_files, 0)

    edited = dossier.articles[3]
    last = edited.paragraphs[-1]
    edited.paragraphs[-1] = dataclasses.replace(last, text=last.text + " Sentence added by the test.")
    named_there = {e.id for e in dossier.entities for m in e.mentions
                   if (m.article, m.paragraph) == (edited.id, last.index)}
    after_edit = ArticleCache(tmp_path / "cache")
    stage(dossier, REPO, tmp_path, cache=after_edit)
    assert 1 <= after_edit.misses <= 1 + len(named_there)  # its page, and those of names whose sentence grew
    page = (tmp_path / "docs" / "articles" / f"{edited.id}.md").read_text(encoding="utf-8")
    assert "Sentence added by the test." in page

    # an entity page prints the titles of the articles that name it
    named = next(e for e in dossier.entities if len({m.article for m in e.mentions}) == 1)
    article = next(a for a in dossier.articles if a.id == named.mentions[0].article)
    article.title = dataclasses.replace(article.title, value="A title changed by the test")
    retitled = ArticleCache(tmp_path / "cache")
    stage(dossier, REPO, tmp_path, cache=retitled)
    assert "A title changed by the test" in (tmp_path / "docs" / "entities" / f"{named.id}.md").read_text(encoding="utf-8")
    stage(dossier, REPO, tmp_path / "clean")
    assert staged_files(tmp_path / "docs") == staged_files(tmp_path / "clean" / "docs")


def test_a_widely_reported_fact_and_event_list_their_first_sources_and_point_to_the_rest(seed_dossier):
    from builder.render import SITE_REPORTS_PER_ENTRY, SITE_SOURCES_PER_FACT

    fact = seed_dossier.facts[0]
    many = [dataclasses.replace(fact.sources[0], start=fact.sources[0].start + i) for i in range(SITE_SOURCES_PER_FACT + 7)]
    entry = seed_dossier.timeline[0]
    reports = [dataclasses.replace(entry.sources[0], start=entry.sources[0].start + i)
               for i in range(SITE_REPORTS_PER_ENTRY + 3)]
    dossier = dataclasses.replace(seed_dossier, facts=[dataclasses.replace(fact, sources=many), *seed_dossier.facts[1:]],
                                  timeline=[dataclasses.replace(entry, sources=reports), *seed_dossier.timeline[1:]])
    pages = render_pages(dossier)
    assert f"and 7 more sources: every source is in dossier.json (fact {fact.id})" in pages["summary.md"]
    assert f"and 3 more reports of this event: every report is in timeline.json and dossier.json (entry {entry.id})" \
        in pages["timeline.md"]


def test_the_summary_shows_the_best_sourced_facts_and_numbered_pages_list_every_fact(seed_dossier, monkeypatch):
    from builder import render
    from builder.model import FACT_STATUSES
    monkeypatch.setattr(render, "SITE_FACTS_PER_STATUS", 1)
    monkeypatch.setattr(render, "FACTS_PER_PAGE", 2)
    pages = render_pages(seed_dossier)
    summary = pages["summary.md"]
    for status in FACT_STATUSES:
        facts = [f for f in seed_dossier.facts if f.status == status]
        numbered = sorted((p for p in pages if p.startswith(f"facts/{status}-")),
                          key=lambda p: int(p.rsplit("-", 1)[1][:-3]))
        assert len(numbered) == -(-len(facts) // 2)
        listed = [re.findall(r'class="admonition [a-z]+ dossier-fact" id="([^"]+)"', pages[p]) for p in numbered]
        assert [fid for ids in listed for fid in ids] == [f.id for f in facts]  # each once, in order
        for p in numbered:
            assert f'href="{p[len("facts/"):-3]}.html"' not in pages[p].split("</nav>", 1)[0]  # no link to itself
            assert f'href="{p[:-3]}.html"' in summary or len(facts) <= 1
        if len(numbered) > 1:
            assert 'rel="next"' in pages[numbered[0]] and 'rel="prev"' in pages[numbered[-1]]
    shown = re.findall(r'class="admonition [a-z]+ dossier-fact" id="([^"]+)"', summary.split('id="single-source"', 1)[0])
    assert len(shown) == 3  # one per status above the single-source claims (the seeds have all three)
    assert "Each status shows its 1 best-sourced facts here" in summary


def test_a_long_timeline_shows_its_best_attested_events_and_numbered_pages_hold_them_all(seed_dossier, monkeypatch):
    from builder import render
    monkeypatch.setattr(render, "SITE_TIMELINE_ENTRIES", 2)
    monkeypatch.setattr(render, "TIMELINE_ENTRIES_PER_PAGE", 3)
    pages = render_pages(seed_dossier)
    events = re.compile(r'<div class="dossier-event" id="(t\d+)">')
    assert len(events.findall(pages["timeline.md"])) == 2
    numbered = sorted((p for p in pages if p.startswith("timeline/")), key=lambda p: int(p[len("timeline/"):-3]))
    assert len(numbered) == -(-len(seed_dossier.timeline) // 3)
    assert [i for p in numbered for i in events.findall(pages[p])] == [e.id for e in seed_dossier.timeline]
    for p in numbered:
        assert f'href="{p[:-3]}.html"' in pages["timeline.md"]
    # an entity page links each of its events on the page that shows it
    page_of = {i: p for p in numbered for i in events.findall(pages[p])}
    linked = [(path, entry) for path, text in pages.items() if path.startswith("entities/")
              for entry in re.findall(r'href="\.\./(timeline[^"#]*)\.html#(t\d+)"', text)]
    assert linked and all(page_of[entry] == f"{target}.md" for _, (target, entry) in linked)


def test_statuses_the_summary_shows_whole_get_no_numbered_pages(seed_dossier):
    pages = render_pages(seed_dossier)  # the seeds: a few facts of each status, 42 single-source
    assert sorted(p for p in pages if p.startswith("facts/")) == ["facts/single-source-1.md"]
    assert 'href="facts/single-source-1.html"' in pages["summary.md"]


def test_a_short_timeline_is_one_page(seed_dossier):
    pages = render_pages(seed_dossier)
    assert not any(p.startswith("timeline/") for p in pages)
    assert len(re.findall(r'class="dossier-event" id=', pages["timeline.md"])) == len(seed_dossier.timeline)


def test_an_entity_page_quotes_its_first_statements_and_links_the_rest_by_paragraph(seed_dossier, monkeypatch):
    from builder import render
    monkeypatch.setattr(render, "STATEMENTS_IN_FULL", 1)
    monkeypatch.setattr(render, "ALIAS_ARTICLES", 1)
    entity = max(seed_dossier.entities, key=lambda e: len(e.statements))
    assert len(entity.statements) >= 2
    page = render_pages(seed_dossier)[f"entities/{entity.id}.md"]
    assert page.count('<blockquote class="dossier-src"') == 1
    more = page.split('<h3 id="more-statements">', 1)[1].split("</ul>", 1)[0]
    linked = re.findall(r'href="\.\./articles/([^"#]+)\.html#p(\d+)"', more)
    for s in entity.statements[1:]:
        assert (s.article, str(s.paragraph + 1)) in linked
    widest = max(seed_dossier.entities, key=lambda e: max(len(a.articles) for a in e.aliases))
    alias = max(widest.aliases, key=lambda a: len(a.articles))
    assert len(alias.articles) > 1
    page = render_pages(seed_dossier)[f"entities/{widest.id}.md"]
    assert f"and {len(alias.articles) - 1} more (see" in page


@pytest.mark.parametrize("title", ["Breaking\u2029news", "Line\x85end", "Pris: 5\u00a0kr # «sitat» 😀", "yes", "- a: b"])
def test_page_front_matter_reads_back_as_the_escaped_title(title):
    from builder.render import front_matter

    text = front_matter(title, lang="nb")
    assert text.startswith("---\n") and text.endswith("---\n")
    assert yaml.safe_load(text[4:-4]) == {"title": html.escape(title, quote=True), "lang": "nb"}


def test_a_fact_page_is_reused_while_the_facts_of_its_own_status_are_unchanged(seed_dossier, tmp_path, monkeypatch):
    from builder import render
    from builder.model import SINGLE_SOURCE
    monkeypatch.setattr(render, "SITE_FACTS_PER_STATUS", 1)
    monkeypatch.setattr(render, "FACTS_PER_PAGE", 2)
    dossier = copy.deepcopy(seed_dossier)
    stage(dossier, REPO, tmp_path, cache=ArticleCache(tmp_path / "cache"))
    pages = {p.name for p in (tmp_path / "docs" / "facts").glob("*.md")}
    single_pages = {p for p in pages if p.startswith("single-source-")}
    assert len(pages) > len(single_pages) > 1
    last = next(f for f in reversed(dossier.facts) if f.status == SINGLE_SOURCE)
    dossier.facts.append(dataclasses.replace(last, id="claim-added-by-the-test"))
    added = ArticleCache(tmp_path / "cache")
    stage(dossier, REPO, tmp_path, cache=added)
    # every single-source page prints the new total; the other statuses' pages are the last build's
    after = {p.name for p in (tmp_path / "docs" / "facts").glob("*.md")}
    assert added.misses == len({p for p in after if p.startswith("single-source-")})
    stage(dossier, REPO, tmp_path / "clean")
    assert staged_files(tmp_path / "docs") == staged_files(tmp_path / "clean" / "docs")
