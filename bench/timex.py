"""Scores the temporal tagger (builder/timex.py) on TIMEX3 gold data, as TempEval-3 does.

Reads the benchmark sets from ../shared/benchmarks/timex/ at run time (they are never
copied into the repository): German KRAUTS, French TimeBank, English and Spanish
MEANTIME. Each document is tagged with its own creation time (DCT) as the
publication date. Reported per language:

- strict extraction F1: predicted spans exactly equal to gold spans;
- relaxed extraction F1: predicted spans overlapping gold spans (one to one);
- value F1: relaxed matches whose TIMEX3 value equals the gold value.

The table is printed and written into docs/benchmarks.md between the markers of
its own section, so other benchmark scripts can keep their sections there.

    python bench/timex.py [--benchmarks DIR] [--errors LANG] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder.timex import tag  # noqa: E402

from bench import report  # noqa: E402

DEFAULT_BENCHMARKS = REPO.parent / "shared" / "benchmarks" / "timex"


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str


@dataclass
class Document:
    name: str
    lang: str
    dct: dt.date
    text: str
    gold: list[Gold] = field(default_factory=list)


def read_tml(path: Path, lang: str) -> Document | None:
    """A TimeML file: the text between <TEXT> tags with tags removed, and its TIMEX3s."""
    raw = path.read_text(encoding="utf-8")
    dct_match = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    value = re.search(r'value="(\d{4}-\d{2}-\d{2})', dct_match.group()) if dct_match else None
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if not value or not body:
        return None
    text_parts: list[str] = []
    length = 0
    gold: list[Gold] = []
    open_timex: tuple[int, dict] | None = None
    for piece in re.finditer(r"<[^>]+>|[^<]+", body.group(1)):
        token = piece.group()
        if token.startswith("<"):
            if token.startswith("<TIMEX3") and not token.endswith("/>"):
                attrs = dict(re.findall(r'(\w+)="([^"]*)"', token))
                open_timex = (length, attrs)
            elif token.startswith("</TIMEX3") and open_timex:
                start, attrs = open_timex
                if attrs.get("functionInDocument") != "CREATION_TIME" and length > start:
                    gold.append(Gold(start, length, attrs.get("type", ""), attrs.get("value", "")))
                open_timex = None
            continue
        token = html.unescape(token)
        text_parts.append(token)
        length += len(token)
    return Document(path.stem, lang, dt.date.fromisoformat(value.group(1)), "".join(text_parts), gold)


def read_meantime(path: Path, lang: str) -> list[Document]:
    """MEANTIME BIO files: tokens joined by spaces, sentences by newlines."""
    docs: list[Document] = []
    current: Document | None = None
    line_tokens: list[str] = []
    pending: Gold | None = None

    def flush_sentence():
        nonlocal line_tokens
        if current is not None and line_tokens:
            current.text += " ".join(line_tokens) + "\n"
        line_tokens = []

    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        dct = re.match(r'\*!-DCTVALUE="(\d{4}-\d{2}-\d{2})"-!\*', line)
        if dct:
            flush_sentence()
            if pending and current:
                current.gold.append(pending)
            pending = None
            current = Document(f"{path.stem}#{len(docs) + 1}", lang, dt.date.fromisoformat(dct.group(1)), "")
            docs.append(current)
            continue
        if not line.strip():
            if pending and current:
                current.gold.append(pending)
                pending = None
            flush_sentence()
            continue
        token, label, value = (line.split("\t") + ["O", "-"])[:3]
        offset = len(current.text) + sum(len(t) + 1 for t in line_tokens)
        if label.startswith("B-") or (label.startswith("I-") and pending is None):
            if pending:
                current.gold.append(pending)
            pending = Gold(offset, offset + len(token), label[2:], value)
        elif label.startswith("I-") and pending:
            pending.end = offset + len(token)
        elif pending:
            current.gold.append(pending)
            pending = None
        line_tokens.append(token)
    flush_sentence()
    if pending and current:
        current.gold.append(pending)
    return docs


def load(benchmarks: Path) -> dict[str, list[Document]]:
    sets: dict[str, list[Document]] = {}
    for path in sorted((benchmarks / "de_krauts").rglob("*.tml")):
        doc = read_tml(path, "de")
        if doc:
            sets.setdefault("de", []).append(doc)
    for path in sorted((benchmarks / "fr_timebank").glob("*.tml")):
        doc = read_tml(path, "fr")
        if doc:
            sets.setdefault("fr", []).append(doc)
    for lang in ("en", "es"):
        path = benchmarks / "meantime" / f"meantime_{lang}_test.bio.tsv"
        if path.is_file():
            sets[lang] = read_meantime(path, lang)
    return sets


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def f1(self, hits: int) -> float:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def pr(self, hits: int) -> tuple[float, float]:
        return (hits / self.predicted if self.predicted else 0.0, hits / self.gold if self.gold else 0.0)


def score(doc: Document, errors: list[str] | None = None) -> Counts:
    predicted = tag(doc.text, doc.lang, doc.dct)
    counts = Counts(gold=len(doc.gold), predicted=len(predicted))
    used: set[int] = set()
    for g in doc.gold:
        best, best_overlap = None, 0
        for i, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if i not in used and overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is None:
            if errors is not None:
                errors.append(f"MISS  {doc.name}: {doc.text[g.start:g.end]!r} {g.type} {g.value}  ‹{_context(doc.text, g.start, g.end)}›")
            continue
        used.add(best)
        p = predicted[best]
        counts.relaxed += 1
        counts.strict += (p.start, p.end) == (g.start, g.end)
        counts.value += (p.value or "") == g.value
        counts.type += p.type == g.type
        if errors is not None and ((p.start, p.end) != (g.start, g.end) or (p.value or "") != g.value):
            errors.append(f"DIFF  {doc.name}: gold {doc.text[g.start:g.end]!r} {g.value} | got {p.text!r} {p.value} [{p.rule}]")
    if errors is not None:
        for i, p in enumerate(predicted):
            if i not in used:
                errors.append(f"FALSE {doc.name}: {p.text!r} {p.type} {p.value} [{p.rule}]  ‹{_context(doc.text, p.start, p.end)}›")
    return counts


def _context(text: str, start: int, end: int) -> str:
    return (text[max(0, start - 40):start] + "[" + text[start:end] + "]" + text[end:end + 40]).replace("\n", " ")


SOURCES = {"de": "KRAUTS (Dolomiten, Die Zeit)", "fr": "French TimeBank", "en": "MEANTIME English",
           "es": "MEANTIME Spanish"}


def table(results: dict[str, Counts], docs: dict[str, int]) -> str:
    lines = ["| language | gold set | documents | gold | found | strict P / R / F1 | relaxed P / R / F1 | value F1 | type accuracy |",
             "| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"]
    for lang in sorted(results):
        c = results[lang]
        sp, sr = c.pr(c.strict)
        rp, rr = c.pr(c.relaxed)
        type_acc = c.type / c.relaxed if c.relaxed else 0.0
        lines.append(f"| {lang} | {SOURCES.get(lang, lang)} | {docs[lang]} | {c.gold} | {c.predicted} | "
                     f"{sp:.2f} / {sr:.2f} / {c.f1(c.strict):.2f} | {rp:.2f} / {rr:.2f} / {c.f1(c.relaxed):.2f} | "
                     f"{c.f1(c.value):.2f} | {type_acc:.2f} |")
    return "\n".join(lines)


def write_section(body: str) -> None:
    report.write_section("timex", "## Time expressions\n\n"
                         "The temporal tagger (`builder/timex.py`) scored by `bench/timex.py` on TIMEX3 gold data "
                         "as TempEval-3 does: extraction (strict: exact span; relaxed: overlapping span) and value "
                         "(relaxed matches with the gold TIMEX3 value), each document resolved against its own creation "
                         "date. For scale, on English news HeidelTime and SUTime reach about 0.90 relaxed extraction F1 "
                         "(TempEval-3). Run `make bench` to refresh.\n\n" + body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--errors", metavar="LANG", help="print misses, false hits and value differences for LANG")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    if not args.benchmarks.is_dir():
        print(f"no benchmark data at {args.benchmarks}: skipped", file=sys.stderr)
        return 0
    sets = load(args.benchmarks)
    results: dict[str, Counts] = {}
    started = time.perf_counter()
    for lang, documents in sorted(sets.items()):
        total = Counts()
        errors: list[str] | None = [] if args.errors == lang else None
        for doc in documents:
            c = score(doc, errors)
            for name in ("gold", "predicted", "strict", "relaxed", "value", "type"):
                setattr(total, name, getattr(total, name) + getattr(c, name))
        results[lang] = total
        for line in errors or []:
            print(line)
    body = table(results, {lang: len(d) for lang, d in sets.items()})
    print(body)
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    if not args.no_write:
        write_section(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
