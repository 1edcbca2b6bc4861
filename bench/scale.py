"""How the builder scales: synthetic corpora of 100, 1,000 and 10,000 articles, end to end.

For each size: wall time, articles per second and peak memory per builder stage,
then the `mkdocs build` of the site; the PDF briefing for the smaller sizes (in
its own process, so its peak memory is its own); and for 1,000 articles the
incremental rebuild after editing one article. Writes its table into
docs/benchmarks.md (its own section) and ends with one JSON line for the
largest size: {"articles", "builder_seconds", "mkdocs_seconds", "total_seconds",
"peak_rss_mb"}.

    python bench/scale.py                      # 100, 1000, 10000; PDF for 100 and 1000
    python bench/scale.py 100 1000 --pdf 100   # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder.cache import ArticleCache  # noqa: E402
from builder.pipeline import build_dossier  # noqa: E402
from builder.site import mkdocs_build, stage  # noqa: E402
from bench import report  # noqa: E402

TODAY = dt.date(2026, 11, 21)
WORK = REPO / "build" / "bench"
DOC = REPO / "docs" / "benchmarks.md"
SECTION = "bench:scale"
INCREMENTAL_SIZE = 1000


def peak_rss_mb() -> float:
    """Peak resident memory so far of this process and of any finished child (workers, mkdocs)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


class StageClock(dict):
    """The `timings` dict build_dossier fills; notes the peak memory as each stage ends."""

    def __init__(self):
        super().__init__()
        self.memory: dict[str, float] = {}

    def __setitem__(self, stage: str, seconds: float) -> None:
        super().__setitem__(stage, seconds)
        self.memory[stage] = peak_rss_mb()


def builder_run(corpus: Path, work: Path, cache: ArticleCache | None) -> tuple[object, dict[str, float], dict]:
    """build_dossier + the staged pages, with the time and peak memory of each stage."""
    timings = StageClock()
    dossier = build_dossier(corpus, TODAY, cache=cache, timings=timings)
    start = time.perf_counter()
    config = stage(dossier, REPO, work, cache=cache)
    timings["render and stage pages"] = time.perf_counter() - start
    return dossier, dict(timings), {"memory": timings.memory, "config": config}


def measure_size(n: int, pdf: bool) -> dict:
    """Generate the corpus, then measure it in a fresh process (so its peak memory is the build's own)."""
    root = WORK / str(n)
    shutil.rmtree(root, ignore_errors=True)
    corpus = root / "corpus"
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from bench.synthetic import "
                    "write_corpus; write_corpus(Path(sys.argv[1]), int(sys.argv[2]))", str(corpus), str(n)],
                   cwd=REPO, check=True)
    args = [sys.executable, __file__, "--measure", str(root)] + (["--with-pdf"] if pdf else [])
    out = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_built(root: Path, pdf: bool) -> dict:
    corpus, work, site = root / "corpus", root / "work", root / "site"
    n = len(list(corpus.rglob("*.txt")))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.rglob("*.txt"))
    start = time.perf_counter()
    dossier, timings, extra = builder_run(corpus, work, ArticleCache(work / "cache"))
    builder_seconds = time.perf_counter() - start
    start = time.perf_counter()
    mkdocs_build(extra["config"], site)
    mkdocs_seconds = time.perf_counter() - start
    result = {
        "articles": n, "words": words, "stages": timings, "stage_memory": extra["memory"],
        "builder_seconds": builder_seconds, "mkdocs_seconds": mkdocs_seconds,
        "total_seconds": builder_seconds + mkdocs_seconds, "peak_rss_mb": peak_rss_mb(),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
        "pages": sum(1 for _ in site.rglob("*.html")),
    }
    shutil.rmtree(site, ignore_errors=True)
    if pdf:
        result["pdf"] = measure_pdf(dossier, root)
    if n == INCREMENTAL_SIZE:
        # in a process of its own, as the full build was: a rebuild is a new run of the builder,
        # not one that still holds the last build's dossier (which slowed it by a third)
        del dossier
        out = subprocess.run([sys.executable, __file__, "--incremental", str(root)], cwd=REPO,
                             capture_output=True, text=True, check=True)
        result["incremental"] = {**json.loads(out.stdout.strip().splitlines()[-1]), "full_seconds": builder_seconds}
        result["incremental"]["ratio"] = result["incremental"]["seconds"] / builder_seconds
    return result


def measure_pdf(dossier, root: Path) -> dict:
    """The PDF briefing in a fresh process: its wall time and its own peak memory."""
    saved = root / "dossier.pickle"
    saved.write_bytes(pickle.dumps(dossier, protocol=pickle.HIGHEST_PROTOCOL))
    out = subprocess.run([sys.executable, __file__, "--pdf-from", str(saved)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def own_peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM), which exec resets, unlike ru_maxrss."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_rss_mb()


def pdf_child(saved: Path) -> None:
    from builder.pdf import briefing_pdf

    dossier = pickle.loads(saved.read_bytes())  # noqa: S301 - written by this script
    start = time.perf_counter()
    data = briefing_pdf(dossier, TODAY)
    seconds = time.perf_counter() - start
    out = saved.with_suffix(".pdf")
    out.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages = next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 0)
    print(json.dumps({"seconds": round(seconds, 1), "peak_rss_mb": round(own_peak_rss_mb()),
                      "mb": round(len(data) / 1e6, 1), "pages": pages}))


def measure_incremental(corpus: Path, work: Path) -> dict:
    """Edit one article and rebuild with the cache (the builder's own work, timed as the
    full build's is: from build_dossier to the staged pages)."""
    edited = sorted(corpus.rglob("*.txt"))[len(list(corpus.rglob("*.txt"))) // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence added by the benchmark.\n",
                      encoding="utf-8")
    cache = ArticleCache(work / "cache")
    start = time.perf_counter()
    builder_run(corpus, work, cache)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "reused": cache.hits, "rebuilt": cache.misses}


def fmt(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def table(results: list[dict]) -> str:
    sizes = [r["articles"] for r in results]
    stage_names = list(dict.fromkeys(name for r in results for name in r["stages"]))
    lines = ["| stage | " + " | ".join(f"{n:,} articles" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for name in stage_names:
        cells = []
        for r in results:
            seconds = r["stages"].get(name)
            cells.append("–" if seconds is None else
                         f"{fmt(seconds)} s · {fmt(r['articles'] / max(seconds, 1e-9), 0)}/s · "
                         f"{fmt(r['stage_memory'][name], 0)} MB")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    rows = [
        ("**builder total**", lambda r: f"**{fmt(r['builder_seconds'])} s** "
                                        f"({fmt(100 * r['builder_seconds'] / r['total_seconds'], 0)} % of total)"),
        ("mkdocs build", lambda r: f"{fmt(r['mkdocs_seconds'])} s · {r['pages']:,} pages · {fmt(r['site_mb'], 0)} MB"),
        ("**end to end (site)**", lambda r: f"**{fmt(r['total_seconds'])} s**"),
        ("peak memory (any process)", lambda r: f"{fmt(r['peak_rss_mb'], 0)} MB"),
        ("words", lambda r: f"{r['words']:,}"),
        ("PDF briefing", lambda r: (f"{fmt(r['pdf']['seconds'])} s · {r['pdf']['peak_rss_mb']:,} MB peak · "
                                    f"{r['pdf']['pages']:,} pages" if "pdf" in r else "not measured")),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    return "\n".join(lines)


def section(results: list[dict]) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    out = [f"<!-- {SECTION} -->", "## Scale: synthetic corpora end to end", "",
           f"`python bench/scale.py` (part of `make bench`) on {cores} cores, Python {platform.python_version()}, "
           f"load average {load:.1f} at the end of the run (other work on the machine slows every figure). "
           "Synthetic articles from `bench/synthetic.py`: eight languages, about 620 words each, one "
           "event with a recurring cast. Each stage: wall time · articles per second · peak memory "
           "(resident, of the builder or any process it started) by the end of the stage. The builder's "
           "stages start from an empty cache; the PDF runs in its own process.", "", table(results), ""]
    incremental = [r["incremental"] for r in results if "incremental" in r]
    if incremental:
        inc = incremental[0]
        out += [f"**Incremental rebuild** ({INCREMENTAL_SIZE:,} articles, one edited, rebuilt by a new run of "
                f"the builder, as the full build was): the builder took "
                f"{fmt(inc['seconds'])} s against {fmt(inc['full_seconds'])} s for the full build, "
                f"**{fmt(100 * inc['ratio'])} %**, reusing {inc['reused']:,} cached articles and rebuilding "
                f"{inc['rebuilt']}.", ""]
    out.append(f"<!-- /{SECTION} -->")
    return "\n".join(out)


def write_section(text: str, path: Path = DOC) -> None:
    """Replace this script's section of docs/benchmarks.md, keeping everyone else's."""
    start, end = f"<!-- {SECTION} -->", f"<!-- /{SECTION} -->"
    report.write_section(SECTION.split(":", 1)[1], text.replace(start, "").replace(end, ""), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10_000])
    parser.add_argument("--pdf", nargs="*", type=int, default=[100, 1000], help="sizes that also get the PDF")
    parser.add_argument("--pdf-from", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--with-pdf", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--incremental", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.incremental:
        print(json.dumps(measure_incremental(args.incremental / "corpus", args.incremental / "work")))
        return 0
    if args.pdf_from:
        pdf_child(args.pdf_from)
        return 0
    if args.measure:
        print(json.dumps(measure_built(args.measure, args.with_pdf)))
        return 0
    results = []
    for n in sorted(args.sizes):
        print(f"{n:,} articles …", file=sys.stderr, flush=True)
        result = measure_size(n, pdf=n in args.pdf)
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if k not in ("stages", "stage_memory")},
                         default=str), file=sys.stderr, flush=True)
    text = section(results)
    write_section(text)
    print(text)
    largest = results[-1]
    print(json.dumps({key: (round(largest[key], 2) if isinstance(largest[key], float) else largest[key])
                      for key in ("articles", "builder_seconds", "mkdocs_seconds", "total_seconds",
                                  "peak_rss_mb")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
