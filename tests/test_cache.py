"""Incremental builds: per-article results reused by content and code, never stale or corrupt;
parallel work gives the same dossier as serial work."""

import copy
import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from bench.synthetic import write_corpus
from builder import export, language, site
from builder.cache import ArticleCache
from builder.export import to_json
from builder.pipeline import build_dossier, remembered_key
from builder.site import stage
from conftest import OTHER_EVENT, REPO, TODAY, build_site


ARTICLES = 14
STAGES = 3  # cached per article: the article itself, its analysis (names, events), its fact candidates
GAZETTEER = 1  # cached for the corpus: the gazetteer's places for its names
COUNT_BLOCKS = 5  # and the alignment of each block of counts (one per thing counted)
CORPUS_ENTRIES = GAZETTEER + COUNT_BLOCKS
REDATED = 5  # articles dated by the weekdays they name: their reports against that date are cached too
ENTRIES = ARTICLES * STAGES + CORPUS_ENTRIES + REDATED
REMEMBERED = ARTICLES  # each article's paragraph languages, for its next edit: read only when it is rebuilt
RECORD_FILES = 2  # staging the site: dossier.json and timeline.json, whose records are reused


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(OTHER_EVENT, folder)
    return folder


def test_a_second_build_reuses_every_article_and_gives_the_same_dossier(corpus, tmp_path):
    fresh = to_json(build_dossier(corpus, TODAY))
    first = ArticleCache(tmp_path / "cache")
    assert to_json(build_dossier(corpus, TODAY, cache=first)) == fresh
    assert (first.hits, first.misses) == (0, ENTRIES + REMEMBERED)
    second = ArticleCache(tmp_path / "cache")
    assert to_json(build_dossier(corpus, TODAY, cache=second)) == fresh
    assert (second.hits, second.misses, second.rejected) == (ENTRIES, 0, 0)


def test_editing_one_article_recomputes_only_that_article(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    edited = sorted(corpus.rglob("*.txt"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence was added.\n", encoding="utf-8")
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    # that article, in each stage; the languages its paragraphs had are read
    assert (cache.hits, cache.misses) == (ENTRIES - STAGES + 1, STAGES)
    # a sentence naming a place no article named before asks the gazetteer again
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe delegation later flew to Reykjavik.\n",
                      encoding="utf-8")
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    assert cache.misses == STAGES + GAZETTEER  # (the count blocks are the same: the sentence has no number)
    assert any(e.name == "Reykjavik" and e.type == "place" for e in dossier.entities)
    assert to_json(dossier) == to_json(build_dossier(corpus, TODAY))


def test_an_edited_article_identifies_the_language_of_its_new_paragraphs_only(corpus, tmp_path, monkeypatch):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    edited = sorted(corpus.rglob("*.txt"))[3]
    added = "Officials said that the water had reached the first floor of many houses in the town."
    edited.write_text(edited.read_text(encoding="utf-8") + "\n" + added + "\n", encoding="utf-8")
    identified = []
    identify = language.paragraph_language
    monkeypatch.setattr(language, "paragraph_language",
                        lambda text, words: (identified.append(text), identify(text, words))[1])
    dossier = build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    assert identified == [added]  # the article's other paragraphs keep what the last build found
    monkeypatch.undo()
    assert to_json(dossier) == to_json(build_dossier(corpus, TODAY))


def stored_entries(folder):
    """The cache's rows, key → stored bytes, read as any SQLite client would."""
    with sqlite3.connect(folder / "entries.sqlite3") as db:
        return dict(db.execute("SELECT key, data FROM entries ORDER BY key"))


def overwrite_entries(folder, entries):
    with sqlite3.connect(folder / "entries.sqlite3") as db:
        db.executemany("UPDATE entries SET data = ? WHERE key = ?", [(data, key) for key, data in entries.items()])


def test_a_corrupt_entry_is_detected_and_rebuilt(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    remembered = {remembered_key(ArticleCache(None), p.relative_to(corpus).as_posix())
                  for p in corpus.rglob("*") if p.suffix in (".txt", ".md")}
    entries = {k: v for k, v in stored_entries(tmp_path / "cache").items() if k not in remembered}  # those read
    first, second, third = sorted(entries)[:3]
    flipped = bytearray(entries[second])
    flipped[-10] ^= 0xFF  # one flipped byte
    overwrite_entries(tmp_path / "cache", {first: entries[first][:-40],  # truncated
                                           second: bytes(flipped), third: b"not a cache entry at all"})
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    assert (cache.misses, cache.rejected) == (0, 3)
    assert ENTRIES - 3 <= cache.hits <= ENTRIES - 3 + 3  # and an article rebuilt reads its paragraph languages
    assert to_json(dossier) == to_json(build_dossier(corpus, TODAY))
    again = ArticleCache(tmp_path / "cache")
    build_dossier(corpus, TODAY, cache=again)
    assert (again.hits, again.rejected) == (ENTRIES, 0)


def test_a_cache_file_that_is_not_a_database_is_replaced_and_the_build_goes_on(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    database = tmp_path / "cache" / "entries.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"\x00garbage\xff" * 1000)
    cache = ArticleCache(tmp_path / "cache")
    dossier = build_dossier(corpus, TODAY, cache=cache)
    assert cache.rejected == 1 and cache.hits == 0
    assert to_json(dossier) == to_json(build_dossier(corpus, TODAY))
    again = ArticleCache(tmp_path / "cache")
    build_dossier(corpus, TODAY, cache=again)
    assert (again.hits, again.misses, again.rejected) == (ENTRIES, 0, 0)


def test_entries_of_an_older_layout_are_deleted_by_the_first_prune(corpus, tmp_path):
    old = tmp_path / "cache" / "ab" / ("ab" + "0" * 62 + ".pickle")
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an entry of the one-file-per-entry layout")
    cache = ArticleCache(tmp_path / "cache")
    build_dossier(corpus, TODAY, cache=cache)
    cache.prune()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "entries.sqlite3"]


def test_entries_of_another_builder_version_are_never_read(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache", version="older code"))
    cache = ArticleCache(tmp_path / "cache", version="newer code")
    build_dossier(corpus, TODAY, cache=cache)
    assert (cache.hits, cache.misses) == (0, ENTRIES + REMEMBERED)
    assert cache.prune() == ENTRIES + REMEMBERED  # the older entries go
    assert len(stored_entries(tmp_path / "cache")) == ENTRIES + REMEMBERED


def test_the_build_date_is_part_of_the_key(corpus, tmp_path):
    build_dossier(corpus, TODAY, cache=ArticleCache(tmp_path / "cache"))
    cache = ArticleCache(tmp_path / "cache")
    build_dossier(corpus, TODAY.replace(year=2020), cache=cache)
    assert cache.misses >= ARTICLES  # every article is read again (its later stages may be reused)


def test_the_cache_lives_in_the_work_folder_not_the_site(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(OTHER_EVENT, corpus)
    assert build_site(corpus, tmp_path, "--no-pdf").returncode == 0
    # the build's entries, each article's, entity's and numbered page (reused by builder/render.py)
    # and where each record of dossier.json and timeline.json lies (reused by builder/site.py)
    entities = len(build_dossier(corpus, TODAY).entities)
    numbered = len([*(tmp_path / "work" / "docs").glob("facts/*.md"), *(tmp_path / "work" / "docs").glob("timeline/*.md")])
    assert len(stored_entries(tmp_path / "work" / "cache")) == (ENTRIES + REMEMBERED + ARTICLES + entities
                                                                 + numbered + RECORD_FILES)
    assert not any(p.suffix in (".pickle", ".sqlite3") or p.name == "cache" for p in (tmp_path / "site").rglob("*"))


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


def staged(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_last_paragraph(dossier, index, added):
    edited = dossier.articles[index]
    edited.paragraphs[-1] = dataclasses.replace(edited.paragraphs[-1], text=edited.paragraphs[-1].text + added)
    return edited


def test_json_records_are_copied_from_the_last_build_unless_their_data_changed(other_dossier, tmp_path, monkeypatch):
    dossier = copy.deepcopy(other_dossier)
    stage(dossier, REPO, tmp_path / "work", cache=ArticleCache(tmp_path / "cache"))
    made = []
    monkeypatch.setattr(site, "encoded", lambda value, sort_keys: (
        made.append(value), export.encoded(value, sort_keys))[1])
    stage(dossier, REPO, tmp_path / "work", cache=ArticleCache(tmp_path / "cache"))
    assert made == []  # nothing changed: every record is the last build's text
    edited = edit_last_paragraph(dossier, 3, " A sentence added by the test.")
    stage(dossier, REPO, tmp_path / "work", cache=ArticleCache(tmp_path / "cache"))
    assert [record["id"] for record in made] == [edited.id]  # only the edited article's record is made again
    stage(dossier, REPO, tmp_path / "clean")  # no cache: everything encoded afresh
    assert staged(tmp_path / "work" / "docs") == staged(tmp_path / "clean" / "docs")
    assert "A sentence added by the test." in (tmp_path / "work" / "docs" / "dossier.json").read_text(encoding="utf-8")


def test_a_record_whose_text_changed_on_disk_is_encoded_again(other_dossier, tmp_path):
    dossier = copy.deepcopy(other_dossier)
    stage(dossier, REPO, tmp_path / "work", cache=ArticleCache(tmp_path / "cache"))
    written = tmp_path / "work" / "docs" / "dossier.json"
    data = bytearray(written.read_bytes())
    text = data.index(b'"text": "', data.index(b'"paragraphs"')) + 12
    data[text] ^= 0x01  # one flipped bit inside an article's paragraph
    written.write_bytes(bytes(data[:-100]))  # and the file cut short
    (tmp_path / "work" / "docs" / "timeline.json").unlink()
    stage(dossier, REPO, tmp_path / "work", cache=ArticleCache(tmp_path / "cache"))
    stage(dossier, REPO, tmp_path / "clean")
    assert staged(tmp_path / "work" / "docs") == staged(tmp_path / "clean" / "docs")


def test_an_incremental_build_gives_the_dossier_and_pages_of_a_clean_build(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 60, seed=5)
    cache = ArticleCache(tmp_path / "cache")
    stage(build_dossier(corpus, TODAY, cache=cache), REPO, tmp_path / "work", cache=cache)
    made = []
    monkeypatch.setattr(site, "encoded", lambda value, sort_keys: (
        made.append(value), export.encoded(value, sort_keys))[1])
    monkeypatch.setattr(site, "MIN_JOBS_FOR_WORKERS", 10**6)  # pages written here, so `made` sees every record
    for edit in ("\nA sentence added by the test.\n", "\nThe minister Ada Quillfeather spoke in Reykjavik on 3 May 2024.\n"):
        edited = sorted(corpus.rglob("*.txt"))[30]
        edited.write_text(edited.read_text(encoding="utf-8") + edit, encoding="utf-8")
        cache = ArticleCache(tmp_path / "cache")
        made.clear()
        incremental = build_dossier(corpus, TODAY, cache=cache)
        stage(incremental, REPO, tmp_path / "work", cache=cache)
        if edit.startswith("\nA sentence"):  # no name, no date: the pages and records of the rest are reused
            edited_id = next(a.id for a in incremental.articles if a.file == edited.relative_to(corpus).as_posix())
            named = {e.id for e in incremental.entities if any(m.article == edited_id for m in e.mentions)}
            numbered = len([*(tmp_path / "work" / "docs").glob("facts/*.md"),
                            *(tmp_path / "work" / "docs").glob("timeline/*.md")])
            # the article, its page, the pages of the names in it, fact and timeline pages
            assert cache.misses <= STAGES + 1 + len(named) + numbered
            assert edited_id in [record.get("id") for record in made if isinstance(record, dict)]
            assert len(made) <= 1 + len(named) + 2  # its record, its names', the timeline's and the facts' at most
        assert cache.hits > cache.misses
        clean = build_dossier(corpus, TODAY)
        assert to_json(incremental) == to_json(clean)
        stage(clean, REPO, tmp_path / "clean")
        assert staged(tmp_path / "work" / "docs") == staged(tmp_path / "clean" / "docs")


def _square_unless_seventh(n):
    return None if n % 7 == 0 else n * n


def test_results_made_by_workers_are_stored_and_keep_sees_each_result_as_it_comes(tmp_path, monkeypatch):
    from builder.cache import cached_map
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    jobs = list(range(100))  # enough for workers
    expected = [_square_unless_seventh(n) for n in jobs]
    made = [r for r in expected if r is not None]
    kept = []

    def keep(result):
        kept.append(result)
        return -result

    first = ArticleCache(tmp_path / "cache")
    assert cached_map(first, "squares", jobs, lambda n: (str(n),), _square_unless_seventh, keep=keep) == [
        None if r is None else -r for r in expected]
    assert kept == made  # in order, None left alone
    again, kept[:] = ArticleCache(tmp_path / "cache"), []
    assert cached_map(again, "squares", jobs, lambda n: (str(n),), _square_unless_seventh, keep=keep) == [
        None if r is None else -r for r in expected]
    assert (again.hits, again.misses) == (len(made), len(jobs) - len(made))  # stored, but not None
    assert kept == made


def _cube_noting_the_square(job):
    cache, n = job
    cache.store(cache.key("squares noted", str(n)), n * n)
    return n ** 3


def test_entries_a_worker_stores_on_the_way_reach_the_cache(tmp_path, monkeypatch):
    from builder.cache import cached_map
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    cache = ArticleCache(tmp_path / "cache")
    jobs = [(cache, n) for n in range(100)]
    assert cached_map(cache, "cubes", jobs, lambda job: (str(job[1]),), _cube_noting_the_square) == [
        n ** 3 for n in range(100)]
    again = ArticleCache(tmp_path / "cache")
    assert [again.load(again.key("squares noted", str(n))) for n in range(100)] == [n * n for n in range(100)]
    assert again.entries() == 200


def _square_noted(job):
    folder, n = job
    (folder / str(n)).touch()
    return n * n


def test_workers_map_while_the_caller_works_and_each_result_comes_once_with_its_position(tmp_path, monkeypatch):
    import time
    from builder.parallel import map_as_done
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    jobs = [(tmp_path, n) for n in range(60)]
    done = map_as_done(_square_noted, jobs, min_jobs=2, chunk=1)
    waited = 0.0
    while len(list(tmp_path.iterdir())) < len(jobs) and waited < 60:  # no result asked for yet
        time.sleep(0.05)
        waited += 0.05
    assert len(list(tmp_path.iterdir())) == len(jobs)  # the workers did every job meanwhile
    assert sorted(done) == [(n, n * n) for n in range(60)]


def test_without_workers_each_job_is_done_when_its_result_is_asked_for(monkeypatch):
    from builder.parallel import map_as_done
    monkeypatch.setenv("DOSSIER_WORKERS", "1")
    asked = []
    done = map_as_done(lambda n: asked.append(n) or -n, [1, 2, 3])
    assert asked == []
    assert next(done) == (0, -1) and asked == [1]
    assert list(done) == [(1, -2), (2, -3)]
