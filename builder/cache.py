"""Per-article results kept between builds, so editing one article rebuilds one article.

An entry is keyed by a hash of the builder's own code (every module, template and
data file), the stage name and the inputs the stage read (file bytes, id, the
build date). Changing the code changes every key, so stale entries are never
read; an entry whose checksum or unpickling fails is counted, deleted and rebuilt.
The cache lives in the work folder (`build/cache`), never in the site.

Stages that split into per-article extraction and a corpus-level merge join by
calling `cached_map` with their own stage name and a module-level work function.
"""

from __future__ import annotations

import hashlib
import io
import operator
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from builder.parallel import CHUNK, MIN_JOBS_FOR_WORKERS, ordered_map

MAGIC = b"dossier-cache/1\n"
CODE_SUFFIXES = (".py", ".j2", ".css", ".yml", ".yaml", ".json")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every file of the builder package: any code change invalidates the cache."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class ArticleCache:
    """Pickled per-article results under `folder` (None: a cache that keeps nothing)."""

    folder: Path | None
    version: str = field(default_factory=code_version)
    hits: int = 0
    misses: int = 0
    rejected: int = 0  # corrupt entries found, deleted and rebuilt
    used: set[str] = field(default_factory=set)

    def key(self, stage: str, *parts: str | bytes) -> str:
        digest = hashlib.sha256(self.version.encode() + b"\0" + stage.encode())
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(b"\0" + str(len(data)).encode() + b":" + data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> Any | None:
        self.used.add(key)
        if self.folder is None:
            self.misses += 1
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        head, _, payload = data.partition(b"\n\n")
        try:
            if not data.startswith(MAGIC) or head[len(MAGIC):].decode() != hashlib.sha256(payload).hexdigest():
                raise ValueError("checksum mismatch")
            value = pickle.loads(payload)  # noqa: S301 - our own work folder, checksummed
        except Exception:  # corrupt, truncated or from an incompatible Python: rebuild
            self.rejected += 1
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        return value

    def store(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        self.store_pickled(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def store_pickled(self, key: str, payload: bytes) -> None:
        """Store a value already pickled (by a worker, which sends the parent the same bytes)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n\n" + payload)
        os.replace(tmp, path)

    def prune(self) -> int:
        """Delete entries this build did not ask for (older code, removed articles)."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in sorted(self.folder.glob("*/*")):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def cached_map(cache: ArticleCache | None, stage: str, jobs: list, key_of: Callable[[Any], Iterable[str | bytes]],
               work: Callable[[Any], Any], progress: bool = False,
               before_fork: Callable[[], object] | None = None, keep: Callable[[Any], Any] | None = None,
               min_jobs: int = MIN_JOBS_FOR_WORKERS, chunk: int = CHUNK) -> list:
    """`[work(job) for job in jobs]`, reusing cached results and computing the rest on
    all cores (in order, so the output does not depend on scheduling; `min_jobs` and
    `chunk` as for parallel.ordered_map).

    `work` must be a module-level function (it is sent to worker processes) and its
    result picklable; a result of None is not cached. `keep`, if given, replaces each
    result (not None) as soon as it is read or made, e.g. by one that shares equal
    parts with the results before it, so the unshared copies never pile up.
    """
    cache = cache or ArticleCache(None)
    keep = keep or _same
    keys = [cache.key(stage, *key_of(job)) for job in jobs]
    results = []
    for key in keys:
        loaded = cache.load(key)
        results.append(None if loaded is None else keep(loaded))
    missing = [i for i, result in enumerate(results) if result is None]
    if cache.folder is None:
        computed = ordered_map(work, [jobs[i] for i in missing], progress=progress, desc=stage,
                               before_fork=before_fork, min_jobs=min_jobs, chunk=chunk)
        for i, result in zip(missing, computed):
            results[i] = None if result is None else keep(result)
        return results
    # The work pickles and stores its own result (in the worker, if there are workers)
    # and hands over the same bytes: the parent never pickles the results, which would
    # cost its time and keep each str's UTF-8 form in its memory for good.
    computed = ordered_map(_stored, [(work, cache, keys[i], jobs[i]) for i in missing], progress=progress,
                           desc=stage, before_fork=before_fork, min_jobs=min_jobs, chunk=chunk)
    for i, payload in zip(missing, computed):
        results[i] = None if payload is None else keep(pickle.loads(payload))  # noqa: S301 - pickled by _stored
    return results


def _same(result: Any) -> Any:
    return result


def _stored(job: tuple[Callable[[Any], Any], ArticleCache, str, Any]) -> bytes | None:
    """`work(item)` pickled and stored under `key`; None (not stored) for a result of None."""
    work, cache, key, item = job
    result = work(item)
    if result is None:
        return None
    payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    cache.store_pickled(key, payload)
    return payload


def value_digest(value: Any) -> bytes:
    """A digest of a value that stands for what it is, not how it was made: pickled
    without pickle's memo, so two equal values give the same bytes whether or not
    their parts are shared objects (a cached article's strings are not those of a
    freshly built one). For plain data, tuples, lists and dataclasses; not for sets,
    whose order is not their value."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: every object written out in full
    pickler.dump(value)
    return hashlib.sha256(buffer.getbuffer()).digest()


@lru_cache(maxsize=64)
def fields_of(cls: type) -> Callable[[Any], tuple]:
    """A dataclass instance → the tuple of its field values, in C: what a digest of
    thousands of small frozen records (mentions, sources) should pickle, rather than
    the records themselves, whose pickling calls Python once per record."""
    from dataclasses import fields

    names = [f.name for f in fields(cls)]
    getter = operator.attrgetter(*names)
    return getter if len(names) > 1 else (lambda obj: (getter(obj),))


class ReusedRecords:
    """The records of a text file the last build wrote (dossier.json, timeline.json),
    reused where their data did not change: each record's text is found by the
    `value_digest` of its data at the place the last build's index gives in the file
    it wrote, and is used only if it still has the digest it was written with;
    anything else is encoded again. The index is a cache entry like any other, so
    other code or a corrupt entry means a full encode.
    Editing one article re-encodes its own record, not the whole file.
    """

    def __init__(self, cache: ArticleCache | None, path: Path, name: str):
        self.cache = cache if cache is not None and cache.folder is not None else None
        self.path = path
        self.key = self.cache.key("reused records", name) if self.cache else ""
        self.previous: dict[bytes, tuple[int, int, bytes]] = (self.cache.load(self.key) if self.cache else None) or {}
        self.index: dict[bytes, tuple[int, int, bytes]] = {}
        self.file = None
        self._handed_out: tuple[str, bytes, bytes | None] | None = None

    def encoder(self, encode: Callable[[Any, int, bool], str]) -> Callable[[Any, int, bool], str]:
        """`encode`, answered from the last build's file where the data is the same
        (without a cache, `encode` itself: no digest is worth making)."""
        if self.cache is None:
            return encode

        def encode_value(value: Any, level: int, sort_keys: bool) -> str:
            digest = value_digest((level, sort_keys, value))
            text, text_digest = self._earlier(digest)
            if text is None:
                text = encode(value, level, sort_keys)
            self._handed_out = (text, digest, text_digest)
            return text
        return encode_value

    def _earlier(self, digest: bytes) -> tuple[str | None, bytes | None]:
        place = self.previous.get(digest)
        if place is None:
            return None, None
        offset, length, text_digest = place
        try:
            if self.file is None:
                self.file = open(self.path, "rb")  # noqa: SIM115 - closed in `chunks`
            self.file.seek(offset)
            data = self.file.read(length)
        except OSError:
            return None, None
        if hashlib.sha256(data).digest() != text_digest:
            return None, None  # the file changed since: encode again
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None, None
        return text, text_digest

    def chunks(self, chunks: Iterable[str]) -> Iterator[str]:
        """Pass `chunks` (the file's text, in order) through, noting where each record
        made by `encoder` lands; the index is stored once the file is whole."""
        if self.cache is None:
            yield from chunks
            return
        offset = 0
        try:
            for chunk in chunks:
                data = chunk.encode("utf-8")
                handed_out = self._handed_out
                if handed_out is not None and chunk is handed_out[0]:
                    self._handed_out = None
                    self.index[handed_out[1]] = (offset, len(data), handed_out[2] or hashlib.sha256(data).digest())
                offset += len(data)
                yield chunk
        finally:
            if self.file is not None:
                self.file.close()
                self.file = None
        if self.cache is not None:
            self.cache.store(self.key, self.index)
