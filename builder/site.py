"""Stage: write the generated pages beside the hand-written ones and run MkDocs.

Generated pages go to a work folder (never into docs/, never committed) together
with a copy of docs/ and an MkDocs config derived from the repository's
mkdocs.yml. MkDocs builds into a fresh folder that replaces the site only when
the build succeeded, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import filecmp
import gc
import html
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import yaml

from builder.cache import ArticleCache, ReusedRecords
from builder.export import encoded, export_sections, json_chunks
from builder.locale_data import lunr_language
from builder.model import Dossier
from builder.pdf import PDF_NAME
from builder.parallel import MIN_JOBS_FOR_WORKERS, fewer_collections, workers
from builder.render import PageJob, nav, site_pages
from builder.timeline import timelinejs

TIMELINE_JSON = "timeline.json"  # the timeline for TimelineJS

OVERRIDES = "overrides"  # docs/overrides: theme templates, not pages
HOOKS = str(Path(__file__).resolve().with_name("mkdocs_hooks.py"))  # generated pages skip Markdown


def handwritten_pages(docs_dir: Path) -> list[str]:
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")
                  if not p.relative_to(docs_dir).as_posix().startswith(OVERRIDES + "/"))


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write only on change, so `serve` reloads just what changed."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def write_chunks_if_changed(path: Path, chunks: Iterable[str], in_memory: int = 1 << 22) -> bool:
    """write_if_changed for a text that comes in pieces: kept in memory while short,
    past `in_memory` characters streamed to a temporary file, which replaces `path`
    only if it differs."""
    held: list[str] = []
    size = 0
    pieces = iter(chunks)
    for chunk in pieces:
        held.append(chunk)
        size += len(chunk)
        if size > in_memory:
            break
    else:
        return write_if_changed(path, "".join(held))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.writelines(held)
            held.clear()
            f.writelines(pieces)
        if path.is_file() and filecmp.cmp(tmp, path, shallow=False):
            return False
        os.replace(tmp, path)
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def stage(dossier: Dossier, repo: Path, work: Path, briefing: bytes | None = None,
          cache: ArticleCache | None = None, with_pdf: bool | None = None) -> Path:
    """Fill `work/docs` with docs/, the generated pages and, if given, the PDF
    briefing (so the site swap includes it); write `work/mkdocs.yml`. `with_pdf`
    says whether the pages link to a briefing (by default, if one is given here; a
    briefing still being laid out goes to `mkdocs_build` instead).

    Each page is written as soon as it is rendered and dossier.json is streamed, so
    the whole site is never in memory; `cache` reuses article pages rendered by an
    earlier build from the same article, mentions and code."""
    docs_src = repo / "docs"
    docs_out = work / "docs"
    staged: set[str] = set()
    for src in sorted(docs_src.rglob("*")):
        rel = src.relative_to(docs_src).as_posix()
        if src.is_file() and not rel.startswith(OVERRIDES + "/"):
            write_if_changed(docs_out / rel, src.read_bytes())
            staged.add(rel)
    if briefing is not None:
        write_if_changed(docs_out / PDF_NAME, briefing)
        staged.add(PDF_NAME)
    gc.freeze()  # the dossier outlives the stage: no collection walks it, no worker copies it
    try:
        with fewer_collections():  # rendering makes millions of short-lived objects: collecting
            # after every 700 of them took 30 % of the stage's time (3,000 articles, one process)
            pages = site_pages(dossier, with_pdf=briefing is not None if with_pdf is None else with_pdf, cache=cache)
            jobs = [("dossier.json", lambda: reusing_records(
                        cache, docs_out, "dossier.json",
                        lambda encode: json_chunks(export_sections(dossier), encode_value=encode))),
                    *pages,
                    (TIMELINE_JSON, lambda: reusing_records(
                        cache, docs_out, TIMELINE_JSON, lambda encode: timelinejs_chunks(dossier, encode)))]
            write_jobs(docs_out, jobs, cache)
    finally:
        gc.unfreeze()
    if cache is not None:
        cache.flush()  # the pages and record indexes stored here
    staged.update(path for path, _ in jobs)
    remove_unstaged(docs_out, staged)
    config = mkdocs_config(dossier, repo, docs_out, [path for path, _ in pages], handwritten_pages(docs_src))
    write_if_changed(work / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return work / "mkdocs.yml"


def write_jobs(docs_out: Path, jobs: list[PageJob], cache: ArticleCache | None) -> None:
    """Render and write every job, on every core: worker processes forked from this one
    (so they share the dossier without copying it) and this one take the next job in
    turn until none is left. Workers report which cache entries they used."""
    count = min(workers(), len(jobs) // MIN_JOBS_FOR_WORKERS)
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        take_jobs(docs_out, jobs, None)
        return
    context = multiprocessing.get_context("fork")
    turn = context.Value("q", 0)
    children = []
    try:
        for _ in range(count - 1):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=write_jobs_in_worker, args=(docs_out, jobs, turn, cache, send))
            child.start()
            send.close()
            children.append((child, receive))
        take_jobs(docs_out, jobs, turn)
        for child, receive in children:
            try:
                outcome, detail = receive.recv()
            except EOFError:
                outcome, detail = "error", "the worker ended without a word"
            child.join()
            if outcome != "done":
                raise RuntimeError(f"rendering pages failed in a worker process:\n{detail}")
            if cache is not None:
                cache.used.update(detail["used"])
                cache.hits += detail["hits"]
                cache.misses += detail["misses"]
                cache.rejected += detail["rejected"]
    finally:
        for child, _ in children:
            if child.is_alive():
                child.terminate()
                child.join()


def take_jobs(docs_out: Path, jobs: list[PageJob], turn) -> None:
    """Write jobs: all of them, or with a shared `turn` counter the next one not yet taken."""
    if turn is None:
        for path, render in jobs:
            write_chunks_if_changed(docs_out / path, render())
        return
    while True:
        with turn.get_lock():
            index = turn.value
            turn.value += 1
        if index >= len(jobs):
            return
        path, render = jobs[index]
        write_chunks_if_changed(docs_out / path, render())


def write_jobs_in_worker(docs_out: Path, jobs: list[PageJob], turn, cache: ArticleCache | None, send) -> None:
    """A worker's share of write_jobs; sends ("done", cache use) or ("error", traceback)."""
    cache = cache or ArticleCache(None)
    used, counts = set(cache.used), (cache.hits, cache.misses, cache.rejected)
    try:
        take_jobs(docs_out, jobs, turn)
        cache.flush()  # the pages this worker stored
        send.send(("done", {"used": cache.used - used, "hits": cache.hits - counts[0],
                            "misses": cache.misses - counts[1], "rejected": cache.rejected - counts[2]}))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def remove_unstaged(docs_out: Path, staged: set[str]) -> None:
    """Delete what an earlier build staged and this one did not, and emptied folders."""
    if not docs_out.is_dir():
        return
    for existing in sorted(docs_out.rglob("*"), reverse=True):
        rel = existing.relative_to(docs_out).as_posix()
        if existing.is_file() and rel not in staged:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()


def reusing_records(cache: ArticleCache | None, docs_out: Path, path: str,
                    chunks: Callable[[Callable[[object, bool], str]], Iterable[str]]) -> Iterator[str]:
    """The text of a JSON file, `chunks(encode_value)`, reusing the records the last
    build wrote into it where their data is unchanged (see ReusedRecords)."""
    reuse = ReusedRecords(cache, docs_out / path, path)
    return reuse.chunks(chunks(reuse.encoder(encoded)))


def timelinejs_chunks(dossier: Dossier, encode_value: Callable[[object, bool], str] = encoded) -> Iterator[str]:
    titles = {a.id: a.title.value or a.file for a in dossier.articles}
    data = timelinejs(dossier.title, dossier.timeline, titles)
    return json_chunks(sorted(data.items()), sort_keys=True, encode_value=encode_value)


def timelinejs_json(dossier: Dossier) -> str:
    return "".join(timelinejs_chunks(dossier))


def mkdocs_config(dossier: Dossier, repo: Path, docs_out: Path, pages: list[str], handwritten: list[str]) -> dict:
    with open(repo / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config["site_name"] = html.escape(dossier.title)  # themes print it unescaped
    config["docs_dir"] = str(docs_out.resolve())
    theme = config.setdefault("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((repo / theme["custom_dir"]).resolve())
    config["hooks"] = [str((repo / hook).resolve()) for hook in config.get("hooks", [])] + [HOOKS]
    languages = sorted({lunr_language(a.language.value) for a in dossier.articles if a.language.value} - {None})
    search_languages = ["en"] + [code for code in languages if code != "en"]
    plugins = []
    for plugin in config.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "search":
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            options["lang"] = search_languages
            plugin = {"search": options}
        plugins.append(plugin)
    config["plugins"] = plugins
    config["nav"] = nav(dossier, pages, handwritten)
    return config


def mkdocs_build(config_file: Path, site_dir: Path, extra: dict[str, Callable[[], bytes]] | None = None) -> None:
    """Build into a temporary sibling, then swap it in place of `site_dir`.

    `extra` files (name → a function giving the bytes, e.g. the PDF briefing being
    laid out in another process) are asked for while MkDocs runs and join the site
    before the swap. MkDocs does not check links in the generated pages (raw HTML),
    so it needs no copy of them."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    try:
        with subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config_file),
                 "-d", str(fresh)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as mkdocs:
            made = {name: make() for name, make in sorted((extra or {}).items())}
            stdout, stderr = mkdocs.communicate()
        if mkdocs.returncode != 0:
            raise RuntimeError("mkdocs build failed:\n" + (stderr or stdout))
        for name, data in made.items():
            (fresh / name).write_bytes(data)
        old = None
        if site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
            os.replace(site_dir, old / "site")
        os.replace(fresh, site_dir)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
