"""What the corpus-level stages share for blocking (never all pairs): picking, among
the clusters or reports that share keys with a new item, the few that share most."""

from __future__ import annotations

import operator

RANK_BASE = 1 << 40  # more candidates than any corpus has: a candidate's rank is its number less its weight times this


def most_shared(shared: dict[int, int], limit: int) -> list[int]:
    """The `limit` candidates (numbered 0, 1, …) with the largest shared weight (a
    whole number), the earliest first among equals, best first. One integer per
    candidate, all sorted at once in C: quicker than a heap of tuples in Python."""
    ranked = sorted(map(operator.sub, shared, map(RANK_BASE.__mul__, shared.values())))
    return [r % RANK_BASE for r in ranked[:limit]]
