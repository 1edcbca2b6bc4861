"""Blocking: the candidates sharing most with a new item, in a stable order."""

from builder.blocking import most_shared


def test_most_shared_weight_first_then_the_earliest_candidate():
    shared = {7: 3, 2: 5, 4: 3, 9: 1, 0: 3}
    assert most_shared(shared, 3) == [2, 0, 4]
    assert most_shared(shared, 10) == [2, 0, 4, 7, 9]
    assert most_shared({}, 4) == []
