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
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from builder.parallel import CHUNK, MIN_JOBS_FOR_WORKERS, map_as_done

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


@dataclass(eq=False)  # compared by identity (kept in a WeakSet)
class ArticleCache:
    """Pickled per-article results in one SQLite file under `folder` (None: a cache
    that keeps nothing).

    One file, not a file per entry: creating tens of thousands of small files cost
    about a millisecond each (a quarter of a minute of a 10,000-article build), a
    row in a batched transaction a few dozen microseconds. Stores are buffered per
    process and written by `flush`, one transaction at a time; a worker process
    hands its buffered entries to its parent (`take_pending`) instead of writing.
    Each process opens its own connection, never one inherited through fork (which
    SQLite forbids); a database SQLite cannot read is deleted and made afresh.
    """

    folder: Path | None
    version: str = field(default_factory=code_version)
    hits: int = 0
    misses: int = 0
    rejected: int = 0  # corrupt entries (or a corrupt database) found, deleted and rebuilt
    used: set[str] = field(default_factory=set)
    pending: dict[str, bytes] = field(default_factory=dict, repr=False)  # stored, not yet written
    _pending_bytes: int = field(default=0, repr=False)
    _connection: sqlite3.Connection | None = field(default=None, repr=False)
    _pid: int = field(default_factory=os.getpid, repr=False)

    def __getstate__(self) -> dict:
        """Pickled without its connection or buffer (another process opens its own)."""
        return {**self.__dict__, "_connection": None, "pending": {}, "_pending_bytes": 0, "_pid": -1}

    def key(self, stage: str, *parts: str | bytes) -> str:
        digest = hashlib.sha256(self.version.encode() + b"\0" + stage.encode())
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(b"\0" + str(len(data)).encode() + b":" + data)
        return digest.hexdigest()

    @property
    def database(self) -> Path:
        return self.folder / DATABASE

    def _own(self) -> None:
        """In a process forked from the one that made this object: forget the
        parent's connection and buffer (the parent writes its own entries)."""
        if self._pid != os.getpid():
            self._pid, self._connection, self.pending, self._pending_bytes = os.getpid(), None, {}, 0

    def _db(self) -> sqlite3.Connection:
        self._own()
        if self._connection is None:
            self._connection = _connect(self.database)
            _OPEN.add(self)
        return self._connection

    def _on_database(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """`action` on this process's connection. A database SQLite finds damaged, or
        not a database at all, is deleted and made afresh (its entries will be
        rebuilt), and the action done again."""
        try:
            return action(self._db())
        except sqlite3.DatabaseError as error:
            if not _damaged(error):
                raise
        self.rejected += 1
        self.close()
        _delete_database(self.database)
        return action(self._db())

    def _query(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        return self._on_database(lambda db: db.execute(sql, parameters).fetchall())

    def load(self, key: str) -> Any | None:
        self.used.add(key)
        if self.folder is None:
            self.misses += 1
            return None
        self._own()
        data = self.pending.get(key)
        if data is None:
            rows = self._query("SELECT data FROM entries WHERE key = ?", (key,))
            if not rows:
                self.misses += 1
                return None
            data = rows[0][0]
        head, _, payload = data.partition(b"\n\n")
        try:
            if not data.startswith(MAGIC) or head[len(MAGIC):].decode() != hashlib.sha256(payload).hexdigest():
                raise ValueError("checksum mismatch")
            value = pickle.loads(payload)  # noqa: S301 - our own work folder, checksummed
        except Exception:  # corrupt, truncated or from an incompatible Python: rebuild
            self.rejected += 1
            self.pending.pop(key, None)
            self._query("DELETE FROM entries WHERE key = ?", (key,))
            return None
        self.hits += 1
        return value

    def store(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        self.store_pickled(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def store_pickled(self, key: str, payload: bytes) -> None:
        """Store a value already pickled (by a worker, which sends the parent the same bytes)."""
        if self.folder is None:
            return
        self.add_pending([(key, MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n\n" + payload)])

    def take_pending(self) -> list[tuple[str, bytes]]:
        """The entries stored in this process and not yet written, handed over (by a
        worker to its parent, which writes them with `add_pending`)."""
        self._own()
        taken = list(self.pending.items())
        self.pending, self._pending_bytes = {}, 0
        return taken

    def add_pending(self, entries: Iterable[tuple[str, bytes]]) -> None:
        """Entries stored here, or by a worker (`take_pending`), to be written by `flush`."""
        if self.folder is None:
            return
        self._own()
        for key, entry in entries:
            self.pending[key] = entry
            self._pending_bytes += len(entry)
        if self._pending_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the buffered entries, in one transaction."""
        self._own()
        if self.folder is None or not self.pending:
            return
        rows = sorted(self.pending.items())
        self.pending, self._pending_bytes = {}, 0

        def write(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.executemany("INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", rows)
        self._on_database(write)

    def close(self) -> None:
        """Close this process's connection (buffered entries stay buffered)."""
        _OPEN.discard(self)
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def entries(self) -> int:
        """How many entries are written."""
        if self.folder is None or not self.database.exists():
            return 0
        self.flush()
        return self._query("SELECT count(*) FROM entries")[0][0]

    def prune(self) -> int:
        """Write what is buffered, then delete entries this build did not ask for (older
        code, removed articles) and give their space back; and the files of an older
        cache layout (one file per entry)."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        self.flush()
        for old in sorted(self.folder.glob("??/*.pickle")):
            old.unlink(missing_ok=True)
        for folder in sorted(self.folder.glob("??")):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

        def delete_unused(db: sqlite3.Connection) -> int:
            with _transaction(db):
                db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM used")
                db.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((k,) for k in sorted(self.used)))
                removed = db.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)").rowcount
                db.execute("DELETE FROM used")
            db.execute("PRAGMA incremental_vacuum")
            return removed
        return self._on_database(delete_unused)


DATABASE = "entries.sqlite3"
FLUSH_BYTES = 64 << 20  # buffered stores written at least every 64 MB
_OPEN: weakref.WeakSet[ArticleCache] = weakref.WeakSet()  # caches with a connection in this process


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=120, isolation_level=None)  # transactions are begun explicitly
    db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before the first table: deleted pages go back to the system
    db.execute("PRAGMA journal_mode = WAL")  # readers (workers) never wait for the writer
    db.execute("PRAGMA synchronous = NORMAL")  # entries carry checksums; a lost one is rebuilt
    db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
    return db


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (so two writers wait rather than deadlock)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite found the file damaged or not a database (to be replaced), rather
    than busy or unwritable (to be reported)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _delete_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _close_before_fork() -> None:
    """SQLite connections must not cross a fork: close this process's before one."""
    for cache in list(_OPEN):
        cache.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_before_fork)


def cached_map(cache: ArticleCache | None, stage: str, jobs: list, key_of: Callable[[Any], Iterable[str | bytes]],
               work: Callable[[Any], Any], progress: bool = False,
               before_fork: Callable[[], object] | None = None, keep: Callable[[Any], Any] | None = None,
               min_jobs: int = MIN_JOBS_FOR_WORKERS, chunk: int = CHUNK) -> list:
    """`[work(job) for job in jobs]`, reusing cached results and computing the rest on
    all cores (in order, so the output does not depend on scheduling; `min_jobs` and
    `chunk` as for parallel.map_as_done).

    `work` must be a module-level function (it is sent to worker processes) and its
    result picklable; a result of None is not cached. `keep`, if given, replaces each
    result (not None) as soon as it is read or made, e.g. by one that shares equal
    parts with the results before it, so the unshared copies never pile up.
    """
    keep = keep or _same
    results: list = [None] * len(jobs)
    arrived: dict[int, Any] = {}  # results done before an earlier one: `keep` sees them in order
    following = 0  # the first position `keep` has not seen
    with tqdm(total=len(jobs), desc=stage, unit="article", disable=not progress, leave=False) as bar:
        for position, result in cached_map_as_done(cache, stage, jobs, key_of, work, before_fork, min_jobs, chunk):
            arrived[position] = result
            bar.update()
            while following in arrived:
                result = arrived.pop(following)
                results[following] = None if result is None else keep(result)
                following += 1
    return results


def cached_map_as_done(cache: ArticleCache | None, stage: str, jobs: list,
                       key_of: Callable[[Any], Iterable[str | bytes]], work: Callable[[Any], Any],
                       before_fork: Callable[[], object] | None = None, min_jobs: int = MIN_JOBS_FOR_WORKERS,
                       chunk: int = CHUNK) -> Iterator[tuple[int, Any]]:
    """(position, result) of every job as cached_map makes them: the cached ones
    first, then each computed one as it is done (parallel.map_as_done; the workers
    are started before this returns, so the caller may work meanwhile)."""
    cache = cache or ArticleCache(None)
    keys = [cache.key(stage, *key_of(job)) for job in jobs]
    loaded = [cache.load(key) for key in keys]
    missing = [i for i, result in enumerate(loaded) if result is None]
    if cache.folder is None:
        computed = map_as_done(work, [jobs[i] for i in missing], before_fork, min_jobs, chunk)
    else:
        # The work pickles its own result (in the worker, if there are workers) and hands
        # over the bytes with any entries it stored on the way: the parent never pickles
        # the results, which would cost its time and keep each str's UTF-8 form in its
        # memory for good, and writes every entry itself, in few transactions.
        cache.flush()
        computed = map_as_done(_pickled, [(work, cache, jobs[i]) for i in missing], before_fork, min_jobs, chunk)
    return _cached_then_computed(cache, keys, loaded, missing, computed)


def _cached_then_computed(cache: ArticleCache, keys: list[str], loaded: list, missing: list[int],
                          computed: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    for position, result in enumerate(loaded):
        if result is not None:
            yield position, result
    loaded.clear()
    for j, result in computed:
        position = missing[j]
        if cache.folder is not None:
            payload, stored = result
            cache.add_pending(stored)
            result = None
            if payload is not None:
                cache.store_pickled(keys[position], payload)
                result = pickle.loads(payload)  # noqa: S301 - pickled by _pickled
        yield position, result
    if cache.folder is not None:
        cache.flush()


def _same(result: Any) -> Any:
    return result


def _pickled(job: tuple[Callable[[Any], Any], ArticleCache, Any]) -> tuple[bytes | None, list[tuple[str, bytes]]]:
    """`work(item)` pickled (None for a result of None, which is not stored), and the
    entries the work stored in this process meanwhile."""
    work, cache, item = job
    result = work(item)
    payload = None if result is None else pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return payload, cache.take_pending()


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

    def encoder(self, encode: Callable[[Any, bool], str]) -> Callable[[Any, bool], str]:
        """`encode`, answered from the last build's file where the data is the same
        (without a cache, `encode` itself: no digest is worth making)."""
        if self.cache is None:
            return encode

        def encode_value(value: Any, sort_keys: bool) -> str:
            digest = value_digest((sort_keys, value))
            text, text_digest = self._earlier(digest)
            if text is None:
                text = encode(value, sort_keys)
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
