"""simplemma's dictionaries read from the mapped tables: the same answers as simplemma,
made once and kept in the cache folder."""

import simplemma

from builder import entities, lexicon
from builder.lexicon import DictionaryTable

WORDS = {
    "en": ["house", "House", "london", "London", "the", "running", "aujourd'hui", "o’clock", "Smith", "ngrkl", "2022"],
    "de": ["haus", "Häuser", "häusern", "straße", "Strasse", "berlin", "Osten", "Spaniens", "ging", "xqzv"],
    "nb": ["regjeringen", "Regjeringen", "sier", "fredag", "Oslo", "natt", "krigen", "blablabla"],
    "fr": ["l'armée", "l’armée", "aujourd’hui", "Paris", "maison", "disaient", "qu'il", "zzzz"],
}


def test_answers_are_simplemmas_own():
    for lang, words in WORDS.items():
        for word in words + [w.lower() for w in words] + [w.upper() for w in words]:
            assert lexicon.is_known(word, lang) == simplemma.is_known(word, lang=lang), (lang, word)
            assert lexicon.lemmatize(word, lang) == simplemma.lemmatize(word, lang=lang), (lang, word)


def test_common_words_have_a_lower_case_lemma_except_in_german():
    assert lexicon.is_common("house", "en")
    assert lexicon.is_common("haus", "de")  # a German noun is common though capitalised
    assert not lexicon.is_common("ngrkl", "en")
    assert entities.is_common_word("Regjeringen", "nb")
    assert not entities.is_common_word("Regjeringen", "xx")  # a language without a dictionary


def test_a_table_is_made_once_and_then_read_from_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = lexicon.table_path("nn")
    assert path.is_relative_to(tmp_path) and not path.exists()
    made = lexicon.table("nn")
    assert path.exists()
    stamp = path.stat().st_mtime_ns
    read = lexicon.table("nn")
    assert path.stat().st_mtime_ns == stamp  # read, not made again
    assert len(read) == len(made) > 10_000
    assert read.get("natta") == made.get("natta") == simplemma.lemmatize("natta", lang="nn")


def test_a_damaged_table_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = lexicon.table_path("nn")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"dossier-lexicon/4\n" + b"\0" * 40)
    table = lexicon.table("nn")
    assert len(table) > 10_000 and path.stat().st_size > 1000


def test_a_table_round_trips_a_dictionary():
    dictionary = {"Haus".encode(): b"Haus", "häuser".encode(): b"Haus", b"ging": b"gehen", b"a": b""}
    table = DictionaryTable(DictionaryTable.encode(dictionary))
    assert sorted(table) == sorted(k.decode() for k in dictionary)
    assert [table.get(k.decode()) for k in dictionary] == [v.decode() for v in dictionary.values()]
    assert table.get("hau") is None and table.get("zzz") is None and table.get("") is None
