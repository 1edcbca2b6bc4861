"""The corpus-level fact alignment stays linear: every count meets a bounded set of
clusters, each try costs the same whatever the cluster's size, and the result does
not depend on the order the candidates arrive in."""

import random

import pytest

from builder import facts, numbers
from builder.facts import Count, _Values, align_counts, align_statements, article_candidates, written


def count(article: str, paragraph: int, low: float, high: float | None = None, names=("Valdor",),
          date: str | None = "2024-03-05", concept: str = "people", keys=("shelte",)) -> Count:
    high = low if high is None else high
    quantity = numbers.Quantity(0, 5, low, low, high, numbers.EXACT if low == high else numbers.RANGE, str(low), 0)
    return Count(article, paragraph, (0, 40), quantity, concept, "people", "en", tuple(sorted(set(names))),
                 frozenset(keys), date)


def brute_force_meets(intervals, low, high) -> bool:
    return any(facts._meet(a, b, low, high) for a, b in intervals)


def test_a_clusters_values_are_merged_intervals_that_answer_like_the_full_list():
    rng = random.Random(7)
    values, added = _Values(), []
    for _ in range(3000):
        low = rng.randint(0, 50_000)
        high = low + rng.choice([0, 0, 0, 10, 500])
        values.add(low, high)
        added.append((low, high))
    assert values.starts == sorted(values.starts) and values.ends == sorted(values.ends)
    assert all(e < s for e, s in zip(values.ends, values.starts[1:]))  # disjoint, so one bisection decides
    for _ in range(3000):
        low = rng.randint(-100, 51_000)
        high = low + rng.choice([0, 0, 3, 200])
        assert values.meets(low, high) == brute_force_meets(added, low, high), (low, high)


def test_a_range_that_covers_many_values_leaves_one_interval():
    values = _Values()
    for n in range(1, 5001):
        values.add(n, n)
    assert len(values) == 5000
    values.add(0, 10_000)
    assert len(values) == 1 and values.meets(4321.5, 4321.5) and not values.meets(10_001, 10_002)


def test_every_count_is_tried_against_a_bounded_number_of_clusters(monkeypatch):
    """2,000 counts that all name the same country, with values that rarely agree: the
    clusters multiply, yet no count is fitted against more than the largest clusters
    plus the best candidates by shared names."""
    rng = random.Random(3)
    block = [count(f"a{i:05d}", p, rng.randint(1, 100_000), names=("DE", f"U{i}-{p}"), keys=())
             for i in range(1000) for p in range(2)]
    tries: list[int] = []
    real_fits = facts._fits

    def counting_fits(c, day, cluster, *more):
        tries.append(id(c))
        return real_fits(c, day, cluster, *more)

    monkeypatch.setattr(facts, "_fits", counting_fits)
    clusters = align_counts(block)
    per_count = {}
    for c in tries:
        per_count[c] = per_count.get(c, 0) + 1
    assert len(clusters) > 100
    assert max(per_count.values()) <= facts.LARGEST_CLUSTERS + facts.NAME_CANDIDATES


def test_counts_with_compatible_values_and_shared_names_join_however_big_the_cluster():
    block = [count(f"a{i:05d}", 0, 100, 200) for i in range(2000)]
    block.append(count("b00000", 0, 150))
    (cluster,) = align_counts(block)
    assert len(cluster) == 2001


def candidates_of(dossier):
    return [article_candidates(a, facts.mentions_by_article(dossier.entities).get(a.id))
            for a in sorted(dossier.articles, key=lambda a: a.id)]


@pytest.mark.parametrize("shuffle_seed", [1, 2])
def test_alignment_does_not_depend_on_the_order_candidates_arrive_in(other_dossier, seed_dossier, shuffle_seed):
    for dossier in (seed_dossier, other_dossier):
        found = candidates_of(dossier)
        counts = [c for cand in found for c in cand.counts]
        statements = [s for cand in found for s in cand.statements]
        shuffled_counts, shuffled_statements = counts[:], statements[:]
        random.Random(shuffle_seed).shuffle(shuffled_counts)
        random.Random(shuffle_seed).shuffle(shuffled_statements)
        assert align_counts(shuffled_counts) == align_counts(counts)
        assert align_statements(shuffled_statements) == align_statements(statements)


def test_names_are_written_as_a_source_writes_them(seed_dossier):
    fact = next(f for f in seed_dossier.facts if f.kind == "count" and f.sources)
    source = fact.sources[0]
    by_id = {a.id: a for a in seed_dossier.articles}
    word = next(w for w in facts.WORD.findall(source.quote) if w[0].isupper() and len(w) > 3)
    assert written([source], facts.fold(word), by_id) == word
    assert written([source], "entity:jan-novak", by_id) == "Jan Novak"
    assert written([source], "DE", by_id) == "Germany"


def test_alignment_on_two_workers_equals_alignment_in_one_process(seed_dossier, other_dossier, monkeypatch):
    counts = [c for dossier in (seed_dossier, other_dossier) for cand in candidates_of(dossier) for c in cand.counts]
    monkeypatch.setattr(facts, "PARALLEL_COUNTS", 0)  # blocks go to workers however few the counts
    monkeypatch.setenv("DOSSIER_WORKERS", "1")
    alone = align_counts(counts)
    monkeypatch.setenv("DOSSIER_WORKERS", "2")
    assert align_counts(counts) == alone
    assert len({c.concept for c in counts}) >= 4 and len(alone) > 10


def test_a_block_of_counts_is_aligned_again_only_when_its_counts_change(tmp_path, monkeypatch):
    from builder.cache import ArticleCache
    counts = [count(f"a{i:03d}", 0, 100 + i % 3, concept=concept) for i in range(30)
              for concept in ("people", "homes", "boats")]
    align_counts(counts, ArticleCache(tmp_path / "cache"))
    aligned = []
    real_align_block = facts.align_block
    monkeypatch.setattr(facts, "align_block", lambda block: (aligned.append(block[0].concept), real_align_block(block))[1])
    edited = [count("a003", 0, 5000, concept="homes") if (c.article, c.concept) == ("a003", "homes") else c
              for c in counts]
    reused = align_counts(edited, ArticleCache(tmp_path / "cache"))
    assert aligned == ["homes"]  # the other two blocks are the last build's
    assert reused == align_counts(edited)  # and the same as aligned afresh
    assert any(c.quantity.low == 5000 for cluster in reused for c in cluster)
