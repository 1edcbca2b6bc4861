"""Per-article work on every core, each result handed over with its position as it is done.

Worker processes are forked after the parent has run `before_fork` (loading the
language models), so they share those pages instead of loading their own. They
inherit the jobs too and are sent only their positions: pickling an article for a
worker would cost the parent time, and memory for good (pickling a str keeps its
UTF-8 form beside it). Small batches stay in the parent: starting workers costs
more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from contextlib import contextmanager


MIN_JOBS_FOR_WORKERS = 48
CHUNK = 4
YOUNG_OBJECTS_PER_COLLECTION = 100_000  # Python's default is 700


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while a build makes millions of long-lived records
    (paragraphs, mentions, reports): with the default thresholds the collector keeps
    re-walking them, which cost 10-20 % of the parent's time and over half of loading
    a cache of 4,000 entries. The previous thresholds come back afterwards."""
    previous = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, previous[1], previous[2])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def workers() -> int:
    """Cores this process may use (DOSSIER_WORKERS overrides, e.g. 1 to profile)."""
    stated = os.environ.get("DOSSIER_WORKERS", "")
    if stated.isdigit() and int(stated) > 0:
        return int(stated)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_as_done(work: Callable, jobs: list, before_fork: Callable[[], object] | None = None,
                min_jobs: int = MIN_JOBS_FOR_WORKERS, chunk: int = CHUNK) -> Iterator[tuple[int, Any]]:
    """(position, work(job)) for every job, on several processes when there are
    enough jobs, in the order the jobs are done. The workers are started before
    this returns: the caller may do other work meanwhile and use each result as it
    comes. Without workers each job is done when its result is asked for.

    `before_fork` runs in the parent only when workers are started (not for an
    empty or small batch), to load what they should share. A few big jobs (the
    blocks of a corpus-level stage) pass a small `min_jobs` and `chunk` 1.
    """
    count = min(workers(), len(jobs) // chunk or 1)
    if count < 2 or len(jobs) < min_jobs or "fork" not in multiprocessing.get_all_start_methods():
        return ((position, work(job)) for position, job in enumerate(jobs))
    if before_fork is not None:
        before_fork()
    # Frozen, the parent's objects are left out of every collection in the workers:
    # otherwise each worker's collector walks (and so copies) the whole inherited heap.
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(count, initializer=_inherit, initargs=(work, jobs))
    except BaseException:
        gc.unfreeze()
        raise
    done = pool.imap_unordered(_numbered_job, range(len(jobs)), chunksize=chunk)

    def results() -> Iterator[tuple[int, Any]]:
        try:
            yield from done
            pool.close()
        finally:
            pool.terminate()
            pool.join()
            gc.unfreeze()

    return results()


_inherited: tuple[Callable, list] = (len, [])  # in a worker: the (work, jobs) of the map that forked it


def _inherit(work: Callable, jobs: list) -> None:
    """A worker's initializer: with fork its arguments are inherited, not pickled."""
    global _inherited
    _inherited = (work, jobs)


def _numbered_job(position: int) -> tuple[int, Any]:
    work, jobs = _inherited
    return position, work(jobs[position])


def in_background(work: Callable, *args) -> Callable[[], Any]:
    """Start `work(*args)` in a forked process and return a function that waits for
    its result, so a single-core corpus-level step (the timeline merge) runs while
    the parent keeps both cores busy with per-article work. Without a second core
    or fork, the work runs here and now. An exception in the child is raised again
    (as RuntimeError with its traceback) when the result is asked for."""
    if workers() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return in_foreground(work, *args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # The child inherits the arguments; the parent lets go of them once it has
    # started, so what only the child needs is freed here (for the next stage).
    given = [work, args]
    gc.freeze()  # the child's collector leaves the inherited heap alone (no copy-on-write)
    try:
        child = context.Process(target=_send_result, args=(given, send), daemon=True)
        child.start()
    finally:
        gc.unfreeze()
        given.clear()
    send.close()

    def result() -> Any:
        try:
            data = receive.recv_bytes()  # before join: the child blocks until its result is read
        except EOFError:
            data = pickle.dumps(("error", f"the background process ended without a result (exit {child.exitcode})"))
        finally:
            receive.close()
        child.join()
        status, value = pickle.loads(data)  # noqa: S301 - from our own child process
        if status == "error":
            raise RuntimeError(f"background step {getattr(work, '__name__', work)} failed:\n{value}")
        return value

    return result


def in_foreground(work: Callable, *args) -> Callable[[], Any]:
    """`in_background`'s interface for work too small to be worth a process: done now."""
    result = work(*args)
    return lambda: result


def _send_result(given: list, send) -> None:
    work, args = given
    try:
        payload = ("ok", work(*args))
    except BaseException:  # reported to the parent, which raises it
        payload = ("error", traceback.format_exc())
    send.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    send.close()
