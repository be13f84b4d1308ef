"""The median is published only where the shown counts fix it (publication.fixed_median)."""

import itertools
import random

import pytest

from surveyapp.reports.publication import fixed_median


@pytest.mark.parametrize(
    ("counts", "hidden_most", "median"),
    [
        # 6 × «4» and at most 2 hidden «5»: 4 whatever they are
        ({1: 0, 2: 0, 3: 0, 4: 6, 5: None}, 2, 4),
        ({1: 5, 5: None}, 1, 1),
        ({1: 1, 2: 1, 3: 2}, 0, 2),  # all shown: the smallest with half at or below it
        ({1: 3, 2: None, 3: 3}, 2, None),  # 1 with no «2», 2 with one
        ({1: 10, 2: None}, None, None),  # the hidden «2»s could be any number
        ({1: None, 2: 10, 3: 0}, 2, 2),
        ({1: None, 2: 10}, None, None),
        ({1: 0, 2: 0}, 0, None),  # nobody gave a number
        ({1: None, 2: None}, 3, None),
    ],
)
def test_worked_out_by_hand(counts, hidden_most, median):
    assert fixed_median(counts, hidden_most) == median


def median_of(counts):
    n = sum(counts.values())
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if n and seen * 2 >= n:
            return value
    return None


def test_it_is_the_median_of_every_table_the_shown_counts_allow():
    rng = random.Random(7)
    for _ in range(3000):
        values = range(1, rng.randint(2, 5) + 1)
        counts = {v: rng.choice([0, 0, 1, 2, 3, 6, None]) for v in values}
        most = rng.randint(0, 4)
        hidden = [v for v in values if counts[v] is None]
        medians = set()
        for split in itertools.product(range(most + 1), repeat=len(hidden)):
            if sum(split) <= most:
                table = {v: counts[v] or 0 for v in values} | dict(zip(hidden, split, strict=True))
                medians.add(median_of(table))
        expected = medians.pop() if len(medians) == 1 else None
        assert fixed_median(counts, most) == expected, (counts, most)
