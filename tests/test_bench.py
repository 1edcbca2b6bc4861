"""The benchmark's corpus generator and report: deterministic, multilingual, and polite to
other sections of docs/benchmarks.md."""

import collections
import re

from bench.scale import section, write_section
from bench.synthetic import LANGUAGES, to_cyrillic, write_corpus


def test_same_seed_gives_the_same_corpus_and_another_seed_another(tmp_path):
    first = write_corpus(tmp_path / "a", 40, seed=1)
    second = write_corpus(tmp_path / "b", 40, seed=1)
    third = write_corpus(tmp_path / "c", 40, seed=2)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in third]


def test_corpus_is_multilingual_with_realistic_lengths_and_local_formats(tmp_path):
    paths = write_corpus(tmp_path, 200)
    languages = collections.Counter(p.name.split("-")[0] for p in paths)
    assert set(languages) == set(LANGUAGES)
    words = sorted(len(p.read_text(encoding="utf-8").split()) for p in paths)
    assert 400 < words[len(words) // 2] < 900
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths if p.name.startswith("nb-"))
    assert re.search(r"\d{1,2}\. (januar|februar|mars|april)", text)  # CLDR long dates in Norwegian
    assert re.search(r"\d\xa0\d{3}\b", text)  # CLDR digit groups (no-break space)
    russian = "\n".join(p.read_text(encoding="utf-8") for p in paths if p.name.startswith("ru-"))
    assert re.search(r"[А-Я][а-я]+ [А-Я][а-я]+", russian)


def test_names_are_transliterated_for_cyrillic_articles():
    assert to_cyrillic("Zofia Kowalczyk") == "Зофиа Ковалчик"


def result(n):
    return {"articles": n, "words": n * 600, "stages": {"read corpus": 0.1 * n / 100, "articles": n / 30},
            "stage_memory": {"read corpus": 40.0, "articles": 400.0}, "builder_seconds": n / 29,
            "mkdocs_seconds": n / 90, "total_seconds": n / 29 + n / 90, "peak_rss_mb": 500.0, "site_mb": n / 10,
            "pages": n + 10}


def test_the_report_replaces_only_its_own_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n<!-- bench:names -->\nNames table\n<!-- /bench:names -->\n", encoding="utf-8")
    write_section(section([result(100)]), doc)
    write_section(section([result(100), result(1000)]), doc)
    text = doc.read_text(encoding="utf-8")
    assert text.count("## Scale") == 1 and "Names table" in text
    assert "| stage | 100 articles | 1,000 articles |" in text
    assert "| articles | 3.3 s · 30/s · 400 MB | 33.3 s · 30/s · 400 MB |" in text
