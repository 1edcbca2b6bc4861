"""Score name discovery and typing on the Norwegian NorNE gold (Bokmål and Nynorsk).

Reads ../shared/benchmarks/ner/*.conllu at run time (never copied: licence). Each
gold sentence becomes one body paragraph; articles of 20 sentences go through the
entity stage as it runs in a build. Reports exact-span and overlap precision,
recall and F1 (untyped), and the share of matched names typed right.
Gold DRV (adjectives derived from names) is left out: the builder keeps those
as adjective entities linked to the place, not as names.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder.entities import find_entities  # noqa: E402
from builder.model import BODY, Article, Inferred, Paragraph, SourceFile  # noqa: E402
from bench import report  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "ner"
SETS = {"nb": "no_bokmaal-ud-test.first400.conllu", "nn": "no_nynorsk-ud-test.first200.conllu"}
TYPES = {"PER": {"person"}, "ORG": {"organisation"}, "GPE_ORG": {"organisation", "place"},
         "LOC": {"place"}, "GPE_LOC": {"place"}, "PROD": {"other"}, "EVT": {"other"}}
SENTENCES_PER_ARTICLE = 20


def read_conllu(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """[(sentence text, [(start, end, label)])] with character offsets into the text."""
    sentences, text, tokens = [], None, []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[len("# text = "):]
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            label = next((f[5:] for f in cols[9].split("|") if f.startswith("name=")), "O")
            tokens.append((cols[1], label))
        elif not line and text is not None:
            spans, cursor, current = [], 0, None
            for form, label in tokens:
                start = text.find(form, cursor)
                if start < 0:
                    start = cursor
                end = start + len(form)
                cursor = end
                if label.startswith("B-") or (label.startswith("I-") and current is None):
                    if current:
                        spans.append(tuple(current))
                    current = [start, end, label[2:]]
                elif label.startswith("I-") and current:
                    current[1] = end
                else:
                    if current:
                        spans.append(tuple(current))
                    current = None
            if current:
                spans.append(tuple(current))
            sentences.append((text, spans))
            text, tokens = None, []
    return sentences


def articles_for(language: str, sentences) -> list[Article]:
    articles = []
    for n in range(0, len(sentences), SENTENCES_PER_ARTICLE):
        chunk = sentences[n:n + SENTENCES_PER_ARTICLE]
        body = "\n".join(text for text, _ in chunk)
        source = SourceFile(f"{language}-{n:04d}.txt", body, "utf-8", "", {}, body, 1)
        paragraphs = [Paragraph(i, text, i + 1, BODY, "gold sentence", language, 1.0) for i, (text, _) in enumerate(chunk)]
        articles.append(Article(f"{language}-{n:04d}", source.path, source, paragraphs,
                                language=Inferred(language, False, "benchmark")))
    return articles


def score(language: str) -> dict:
    sentences = read_conllu(GOLD / SETS[language])
    articles = articles_for(language, sentences)
    started = time.perf_counter()
    entities = find_entities(articles)
    seconds = time.perf_counter() - started
    gold = {}
    for n, (_, spans) in enumerate(sentences):
        for start, end, label in spans:
            if label != "DRV":
                gold[(f"{language}-{n // SENTENCES_PER_ARTICLE * SENTENCES_PER_ARTICLE:04d}", n % SENTENCES_PER_ARTICLE,
                      start, end)] = label
    predicted = {}
    for e in entities:
        if e.links:  # adjectives made from place names
            continue
        for m in e.mentions:
            predicted[(m.article, m.paragraph, m.start, m.end)] = e.type
    exact = gold.keys() & predicted.keys()
    overlap_gold = {g for g in gold if any(p[:2] == g[:2] and p[2] < g[3] and g[2] < p[3] for p in predicted)}
    overlap_pred = {p for p in predicted if any(p[:2] == g[:2] and p[2] < g[3] and g[2] < p[3] for g in gold)}
    typed = sum(1 for k in exact if predicted[k] in TYPES.get(gold[k], set()))

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    ep, er = len(exact) / max(1, len(predicted)), len(exact) / max(1, len(gold))
    op, orr = len(overlap_pred) / max(1, len(predicted)), len(overlap_gold) / max(1, len(gold))
    return {"language": language, "sentences": len(sentences), "gold_names": len(gold), "found": len(predicted),
            "exact_p": round(ep, 3), "exact_r": round(er, 3), "exact_f1": round(f1(ep, er), 3),
            "overlap_p": round(op, 3), "overlap_r": round(orr, 3), "overlap_f1": round(f1(op, orr), 3),
            "typed_right": round(typed / max(1, len(exact)), 3), "seconds": round(seconds, 2)}


def main() -> None:
    if not GOLD.is_dir():
        sys.exit(f"no gold data at {GOLD}")
    rows = [score(lang) for lang in SETS]
    lines = ["| set | sentences | gold names | found | exact P | exact R | exact F1 | overlap F1 | typed right | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| NorNE {r['language']} | {r['sentences']} | {r['gold_names']} | {r['found']} | {r['exact_p']} | "
                     f"{r['exact_r']} | {r['exact_f1']} | {r['overlap_f1']} | {r['typed_right']} | {r['seconds']} |")
    table = "\n".join(lines)
    print(table)
    report.write_section("names", "## Names\n\n"
                         "Name discovery and typing (`builder/entities.py`) scored by `bench/names.py` on the "
                         "Norwegian NorNE test sentences (Bokmål, Nynorsk): exact and overlapping spans against "
                         "the gold names (adjectives derived from names left out), and the share of exactly "
                         "found names given the right type (person, organisation, place, other). No model and no "
                         "list of names is involved.\n\n" + table)
    print(json.dumps({"names": rows}))


if __name__ == "__main__":
    main()
