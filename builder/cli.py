"""Command line: build, serve, check and export a dossier from a corpus folder."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from builder import __version__
from builder.export import write_json
from builder.cache import ArticleCache
from builder.model import ERROR, Dossier
from builder.pdf import PDF_NAME, briefing_pdf_later, write_pdf
from builder.pipeline import build_dossier
from builder.site import mkdocs_build, stage


def today() -> dt.date:
    """The build's notion of today: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def repo_root() -> Path:
    """Where mkdocs.yml and docs/ live: the working folder if it has them, else the checkout."""
    cwd = Path.cwd()
    return cwd if (cwd / "mkdocs.yml").is_file() else Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m builder", description=__doc__)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def common(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of articles (default: corpus)")
        cmd.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")

    build = sub.add_parser("build", help="generate the pages and build the site with MkDocs")
    common(build)
    build.add_argument("--site", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument("--work", type=Path, default=Path("build"), help="folder for generated pages (default: build)")
    build.add_argument("--no-pdf", action="store_true", help="skip the PDF briefing (quicker previews)")
    pdf = sub.add_parser("pdf", help="write the PDF briefing (site/briefing.pdf)")
    common(pdf)
    pdf.add_argument("--site", type=Path, default=Path("site"))
    pdf.add_argument("--out", type=Path, default=None, help="PDF path (default: SITE/briefing.pdf)")
    serve = sub.add_parser("serve", help="live preview that regenerates when a corpus file changes")
    common(serve)
    serve.add_argument("--work", type=Path, default=Path("build"))
    serve.add_argument("--addr", default="127.0.0.1:8000")
    check = sub.add_parser("check", help="validate the corpus: one line per problem as file:line: message")
    common(check)
    export = sub.add_parser("export", help="write the machine-readable dossier")
    export.add_argument("out", type=Path)
    common(export)
    timex = sub.add_parser("timex", help="print the time expressions in a text file as JSON")
    timex.add_argument("file", type=Path)
    timex.add_argument("--dct", type=dt.date.fromisoformat, default=None,
                       help="publication date YYYY-MM-DD that relative expressions are resolved against")
    timex.add_argument("--lang", required=True, help="language of the text (en, nb, de, ...)")
    return p


def report(dossier: Dossier, strict: bool) -> int:
    """Print problems to stderr; the exit status the command should have."""
    for problem in dossier.problems:
        print(str(problem), file=sys.stderr)
    errors = any(p.severity == ERROR for p in dossier.problems)
    return 1 if errors or (strict and dossier.problems) else 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "timex":
        return print_timex(args.file, args.lang, args.dct)
    progress = sys.stderr.isatty()
    # Per-article results are reused between builds from the work folder (never the site).
    cache = ArticleCache(args.work / "cache") if hasattr(args, "work") else None
    dossier = build_dossier(args.corpus, today(), progress=progress, cache=cache)
    if args.command == "check":
        status = report(dossier, args.strict)
        print(f"{len(dossier.articles)} articles read; {len(dossier.problems)} problems", file=sys.stderr)
        return status
    if args.command == "export":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            write_json(dossier, out)
        return report(dossier, args.strict)
    if args.command == "build":
        status = report(dossier, args.strict) if args.strict else 0
        if not args.strict:
            report(dossier, False)
        # The PDF is laid out in another process while the pages are staged and MkDocs runs.
        briefing = None if args.no_pdf else briefing_pdf_later(dossier, today(), cache=cache)
        config = stage(dossier, repo_root(), args.work, cache=cache, with_pdf=briefing is not None)
        cache.prune()  # after staging, which keeps its article pages in the same cache
        try:
            mkdocs_build(config, args.site, extra={PDF_NAME: briefing} if briefing else None)
        except RuntimeError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        print(f"built {len(dossier.articles)} articles into {args.site}/", file=sys.stderr)
        return status
    if args.command == "pdf":
        out = write_pdf(dossier, today(), args.out or args.site / PDF_NAME)
        print(f"wrote {out}", file=sys.stderr)
        return report(dossier, args.strict)
    if args.command == "serve":
        return serve(args, dossier, cache)
    return 2


def print_timex(path: Path, lang: str, dct: dt.date | None) -> int:
    """The tagger on its own, for scoring: [{"text", "start", "end", "type", "value"}]."""
    from builder.timex import tag

    text = path.read_text(encoding="utf-8")
    found = [{"text": e.text, "start": e.start, "end": e.end, "type": e.type, "value": e.value}
             for e in tag(text, lang, dct)]
    print(json.dumps(found, ensure_ascii=False, indent=1))
    return 0


def corpus_signature(corpus: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in corpus.rglob("*") if p.is_file()))


def serve(args: argparse.Namespace, dossier: Dossier, cache: ArticleCache) -> int:
    report(dossier, False)
    config = stage(dossier, repo_root(), args.work, cache=cache)
    cache.prune()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", args.addr], env=env)
    signature = corpus_signature(args.corpus)
    try:
        while server.poll() is None:
            time.sleep(1.0)
            current = corpus_signature(args.corpus)
            if current != signature:
                signature = current
                print("corpus changed: regenerating", file=sys.stderr)
                cache = ArticleCache(args.work / "cache")
                dossier = build_dossier(args.corpus, today(), cache=cache)
                report(dossier, False)
                stage(dossier, repo_root(), args.work, cache=cache)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return 0
