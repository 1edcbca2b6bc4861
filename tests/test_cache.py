"""Incremental builds: per-article results reused by content and code, never stale or corrupt;
parallel work gives the same dossier as serial work."""

import shutil

import pytest

from bench.synthetic import write_corpus
from builder.cache import ArticleCache
from builder.export import to_json
from builder.pipeline import build_dossier
from conftest import OTHER_EVENT, TODAY, build_site


ARTICLES = 14
STAGES = 3  # cached per article: the article itself, its analysis (names, events), its fact candidates
CORPUS_ENTRIES = 1  # cached for the corpus: the gazetteer's places for its names
REDATED = 5  # articles dated by the weekdays they name: their reports against that date are cached too
ENTRIES = ARTICLES * STAGES + CORPUS_ENTRIES + REDATED


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(OTHER_EVENT, folder)
    return folder


def test_a_second_build_reuses_every_article_and_gives_the_same_dossier(corpus, tmp_path):
    fresh = to_json(build_dossier(corpus, TODAY))
    first = ArticleCache(tmp_path / "cache")
    assert to_json(build_dossier(corpus, TODAY, cache=first)) == fresh
    assert (first.hits, first.misses) == (0, ENTRIES)
    second = ArticleCache(tmp_path / "cache")
    assert to_json(build_dossier(corpus, TODAY, cache=second)) == fresh
    assert (second.hits, second.misses, second.rejected) == (ENTRIES, 0, 0)


def test_editing_one_article_recomputes_only_that_article(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    edited = sorted(corpus.rglob("*.txt"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence was added.\n", encoding="utf-8")
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    assert (cache.hits, cache.misses) == (ENTRIES - STAGES, STAGES)  # that article, in each stage
    # a sentence naming a place no article named before asks the gazetteer again
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe delegation later flew to Reykjavik.\n",
                      encoding="utf-8")
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    assert cache.misses == STAGES + CORPUS_ENTRIES
    assert any(e.name == "Reykjavik" and e.type == "place" for e in dossier.entities)
    assert to_json(dossier) == to_json(build_dossier(corpus, TODAY))


def test_a_corrupt_entry_is_detected_and_rebuilt(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    entries = sorted((tmp_path / "cache").glob("*/*.pickle"))
    entries[0].write_bytes(entries[0].read_bytes()[:-40])  # truncated
    data = bytearray(entries[1].read_bytes())
    data[-10] ^= 0xFF  # one flipped byte
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(b"not a cache entry at all")
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    assert (cache.hits, cache.rejected) == (ENTRIES - 3, 3)
    assert to_json(dossier) == to_json(build_dossier(corpus, TODAY))
    again = ArticleCache(tmp_path / "cache")
    build_dossier(corpus, TODAY, cache=again)
    assert (again.hits, again.rejected) == (ENTRIES, 0)


def test_entries_of_another_builder_version_are_never_read(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache", version="older code"))
    cache = ArticleCache(tmp_path / "cache", version="newer code")
    build_dossier(corpus, TODAY, cache=cache)
    assert (cache.hits, cache.misses) == (0, ENTRIES)
    assert cache.prune() == ENTRIES  # the older entries go
    assert len(list((tmp_path / "cache").glob("*/*.pickle"))) == ENTRIES


def test_the_build_date_is_part_of_the_key(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    cache = ArticleCache(tmp_path / "cache")
    build_dossier(corpus, TODAY.replace(year=2020), cache=cache)
    assert cache.misses >= ARTICLES  # every article is read again (its later stages may be reused)


def test_the_cache_lives_in_the_work_folder_not_the_site(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(OTHER_EVENT, corpus)
    assert build_site(corpus, tmp_path, "--no-pdf").returncode == 0
    # the build's entries, and each article's rendered page (reused by builder/render.py)
    assert len(list((tmp_path / "work" / "cache").glob("*/*.pickle"))) == ENTRIES + ARTICLES
    assert not any(p.suffix == ".pickle" or p.name == "cache" for p in (tmp_path / "site").rglob("*"))


def test_parallel_and_serial_builds_give_the_same_dossier(tmp_path, monkeypatch):
    write_corpus(tmp_path / "corpus", 60, seed=3)
    monkeypatch.setenv("DOSSIER_WORKERS", "1")
    serial = to_json(build_dossier(tmp_path / "corpus", TODAY))
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    assert to_json(build_dossier(tmp_path / "corpus", TODAY)) == serial


def _fails(message):
    raise ValueError(message)


def test_background_work_returns_its_result_or_raises_its_error(monkeypatch):
    from builder.parallel import in_background
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    assert in_background(sorted, [3, 1, 2])() == [1, 2, 3]
    wait = in_background(_fails, "merge went wrong")
    with pytest.raises(RuntimeError, match="merge went wrong"):
        wait()
