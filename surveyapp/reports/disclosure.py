"""Disclosure control: no count below the threshold can be seen or worked out.

A cell is suppressed when it is small (primary suppression). Where the cells of a
distribution add up to a shown total, more cells are suppressed until the hidden ones
together hold at least `min_count` people, so that the total minus the shown cells
recovers nothing (secondary suppression). Zero is shown: it reveals no person.
"""

from __future__ import annotations


def is_small(count: int, min_count: int) -> bool:
    return 0 < count < min_count


def suppress_distribution(counts: list[int], min_count: int) -> list[bool]:
    """Which cells to hide, for categories that add up to a shown total."""
    hidden = [is_small(c, min_count) for c in counts]
    if not any(hidden):
        return hidden
    while True:
        hidden_sum = sum(c for c, h in zip(counts, hidden, strict=True) if h)
        candidates = [i for i, c in enumerate(counts) if not hidden[i] and c > 0]
        if (sum(hidden) >= 2 and hidden_sum >= min_count) or not candidates:
            return hidden
        hidden[min(candidates, key=lambda i: counts[i])] = True


def suppress_share(count: int, total: int, min_count: int) -> bool:
    """For a count that is one of two groups (chose it / did not): hide if either is small."""
    return is_small(count, min_count) or is_small(total - count, min_count)
