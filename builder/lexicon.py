"""simplemma's dictionaries, read in place from compact tables instead of loaded.

Whether a capitalised word is also an ordinary word, and the lemmas of the facts'
topic words, are asked for every article. simplemma answers by decompressing the
language's whole dictionary into a Python dict (German: 1.1 million entries,
120 MB and about a second; Polish 420 MB), which every worker process paid
again, and an incremental build paid to re-read one article.

The dictionary depends only on simplemma's data file, so it is converted once
per language and data file into a table kept in the user's cache folder: the
sorted forms, their offsets and the index of each one's lemma in a list of the
distinct lemmas. A table is mapped rather than read (milliseconds to open,
shared by every process, only the pages used in memory) and searched by
bisection. simplemma's own lemmatiser and lookup run on it (they only ever
`get` entries), so every answer is simplemma's.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import tempfile
import unicodedata
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

import simplemma
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries.dictionary_factory import (DATA_FOLDER, SUPPORTED_LANGUAGES,
                                                                  CachingDictionaryFactory, DecodedStrMapping,
                                                                  _load_dictionary_from_disk)

TABLE_FORMAT = b"dossier-lexicon/4\n".ljust(24)  # then counts, offsets, lemma indexes, forms, lemmas
WORDS_REMEMBERED = 1 << 16  # distinct (word, language) answers kept per process (~10 MB at most)


class _Sorted:
    """The i-th of n byte strings laid end to end at `start` of `data`, by `offsets`."""

    __slots__ = ("data", "start", "offsets", "n")

    def __init__(self, data, start: int, offsets) -> None:
        self.data, self.start, self.offsets, self.n = data, start, offsets, len(offsets) - 1

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> bytes:
        return self.data[self.start + self.offsets[i]:self.start + self.offsets[i + 1]]


class DictionaryTable(DecodedStrMapping):
    """A simplemma dictionary (form → lemma) as a table: sorted forms, bisected."""

    __slots__ = ("_forms", "_lemma_of", "_lemmas")

    def __init__(self, data) -> None:
        at = len(TABLE_FORMAT)
        if len(data) < at + 16 or data[:at] != TABLE_FORMAT:
            raise ValueError("not a dictionary table")
        n = int.from_bytes(data[at:at + 8], "little")
        m = int.from_bytes(data[at + 8:at + 16], "little")
        view = memoryview(data)
        at += 16
        form_offsets = view[at:at + 4 * (n + 1)].cast("I")
        at += 4 * (n + 1)
        lemma_offsets = view[at:at + 4 * (m + 1)].cast("I")
        at += 4 * (m + 1)
        self._lemma_of = view[at:at + 4 * n].cast("I")
        at += 4 * n
        self._forms = _Sorted(data, at, form_offsets)
        at += form_offsets[-1]
        self._lemmas = _Sorted(data, at, lemma_offsets)
        if at + lemma_offsets[-1] != len(data):
            raise ValueError("truncated dictionary table")

    @staticmethod
    def encode(dictionary: dict[bytes, bytes]) -> bytes:
        """The file form of a simplemma dictionary."""
        forms = sorted(dictionary)
        lemmas = sorted(set(dictionary.values()))
        index = {lemma: i for i, lemma in enumerate(lemmas)}

        def offsets(items: list[bytes]) -> bytes:
            out, total = array("I", [0]), 0
            for item in items:
                total += len(item)
                out.append(total)
            return out.tobytes()

        return b"".join([TABLE_FORMAT, len(forms).to_bytes(8, "little"), len(lemmas).to_bytes(8, "little"),
                         offsets(forms), offsets(lemmas), array("I", (index[dictionary[f]] for f in forms)).tobytes(),
                         *forms, *lemmas])

    def _lookup(self, key: str) -> str | None:
        target = key.encode("utf-8", "surrogatepass")
        i = bisect_left(self._forms, target)
        if i < len(self._forms) and self._forms[i] == target:
            return self._lemmas[self._lemma_of[i]].decode()
        return None

    def __iter__(self):
        return (self._forms[i].decode() for i in range(len(self._forms)))

    def __len__(self) -> int:
        return len(self._forms)


def cache_folder() -> Path:
    """Where tables are kept between runs: $XDG_CACHE_HOME (or ~/.cache)/dossier-builder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier-builder" / "lexicon"


def table_path(lang: str) -> Path:
    """A table's file, named by a content key: the format, simplemma's version and data file."""
    digest = hashlib.sha256(TABLE_FORMAT + lang.encode() + b"\0" + simplemma.__version__.encode() + b"\0")
    digest.update((DATA_FOLDER / f"{lang}.plzma").read_bytes())
    return cache_folder() / f"{lang}-{digest.hexdigest()[:24]}.bin"


def table(lang: str) -> DictionaryTable:
    """A language's table from the cache folder, else made from simplemma's data and
    stored there (written atomically: two processes making it at once both store a
    whole file)."""
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported language: {lang}")  # as simplemma says it
    path = table_path(lang)
    try:
        with open(path, "rb") as f:
            return DictionaryTable(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):  # missing, empty (mmap refuses) or not a table: made again
        pass
    data = DictionaryTable.encode(_load_dictionary_from_disk(lang))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as out:
            out.write(data)
        os.replace(out.name, path)
        with open(path, "rb") as f:
            return DictionaryTable(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):
        return DictionaryTable(data)  # a read-only home: the table lives for this process only


class TableDictionaryFactory(CachingDictionaryFactory):
    """simplemma's dictionary factory protocol, served from the tables."""

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> DictionaryTable:
        return table(lang)


@lru_cache(maxsize=1)
def _factory() -> TableDictionaryFactory:
    return TableDictionaryFactory(cache_max_size=len(SUPPORTED_LANGUAGES))


@lru_cache(maxsize=1)
def _lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(_factory())


@lru_cache(maxsize=1)
def _lemmatizer() -> Lemmatizer:
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_factory()))


def is_known(word: str, lang: str) -> bool:
    """`simplemma.is_known(word, lang)`, on the table."""
    if not isinstance(word, str) or not word:
        return simplemma.is_known(word, lang=lang)  # simplemma's own error
    return _is_known(word, lang)


# Words repeat (names, grammar words): each distinct word is looked up once per
# process, not bisected again (~20 table reads) for every occurrence.
@lru_cache(maxsize=WORDS_REMEMBERED)
def _is_known(word: str, lang: str) -> bool:
    return _lookup().get_lemma(unicodedata.normalize("NFC", word), lang) is not None


@lru_cache(maxsize=WORDS_REMEMBERED)
def lemmatize(word: str, lang: str) -> str:
    """`simplemma.lemmatize(word, lang)`, on the table."""
    return _lemmatizer().lemmatize(word, lang)


def is_common(word: str, lang: str) -> bool:
    """Whether a word is an ordinary word of the language: known to the dictionary
    with a lower-case lemma (in German, where nouns are capitalised in the dictionary
    too, any known word)."""
    if not is_known(word, lang):
        return False
    return lang == "de" or lemmatize(word, lang)[:1].islower()
