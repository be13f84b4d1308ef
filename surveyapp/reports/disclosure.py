"""Disclosure control: no count below the threshold can be seen or worked out.

A table is a set of figures and the linear relations a reader knows hold between them
(a column adds up to its responses; the total column adds up the units). Small figures
are hidden (primary suppression); then more are hidden until, in every relation, the
hidden figures are either none or at least two that together hold at least `min_count`
people, and no hidden figure can be solved for from all relations together (secondary
suppression). Zero is shown: it reveals no person. Figures in `keep` (the responses per
column, which are never below the threshold) are never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

Key = Hashable
Relation = dict[Key, int]  # coefficients; the weighted sum of the figures is zero


def is_small(count: int, min_count: int) -> bool:
    return 0 < count < min_count


def protect(
    values: dict[Key, int],
    relations: list[Relation],
    min_count: int,
    *,
    keep: Iterable[Key] = (),
    also_hide: Iterable[Key] = (),
) -> set[Key]:
    """The figures to hide so that nothing below `min_count` can be seen or recovered."""
    keep = set(keep)
    hidden = {k for k, v in values.items() if is_small(v, min_count) and k not in keep}
    hidden |= set(also_hide) - keep
    for _ in range(len(values) + 1):
        extra = _weak_point(values, relations, hidden, min_count, keep)
        if extra is None:
            return hidden
        hidden.add(extra)
    return hidden  # every figure not kept is hidden by now


def _weak_point(values, relations, hidden, min_count, keep) -> Key | None:
    """A figure to hide next, or None when the hidden ones are safe."""
    for relation in relations:
        hidden_here = [k for k in relation if k in hidden]
        if not hidden_here:
            continue
        if len(hidden_here) == 1 or 0 < abs(_hidden_sum(values, relation, hidden)) < min_count:
            choice = _partner(values, relation, hidden, keep)
            if choice is not None:
                return choice
    for key in sorted(determined_figures(relations, hidden), key=repr):
        for relation in relations:
            if key in relation:
                choice = _partner(values, relation, hidden, keep)
                if choice is not None:
                    return choice
    return None


def _hidden_sum(values, relation: Relation, hidden) -> int:
    """What a reader learns of the hidden figures of a relation with equal signs."""
    signs = {relation[k] > 0 for k in relation if k in hidden}
    if len(signs) != 1:
        return min_safe_sum()
    return sum(abs(relation[k]) * values[k] for k in relation if k in hidden)


def min_safe_sum() -> int:
    return 1 << 30  # mixed signs: the reader learns a difference, not a group's size


def _partner(values, relation: Relation, hidden, keep) -> Key | None:
    """The smallest shown figure of the relation that may be hidden, zeros last."""
    candidates = [k for k in relation if k not in hidden and k not in keep]
    if not candidates:
        return None
    return min(candidates, key=lambda k: (values[k] == 0, values[k], repr(k)))


def determined_figures(relations: list[Relation], hidden: set[Key]) -> set[Key]:
    """The hidden figures the relations pin down, whatever the other hidden figures are.

    With the relations in reduced row echelon form (over the hidden figures only), a
    figure is pinned down exactly when one of the rows mentions it and nothing else.
    """
    order = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(order)}
    rows = [
        [relation.get(k, 0) for k in order]
        for relation in relations
        if any(k in index for k in relation)
    ]
    return {order[i] for i in _unit_rows(rows)}


def _unit_rows(rows: list[list[int]]) -> list[int]:
    """Reduce to row echelon form; the columns of the rows that are unit vectors.

    In whole numbers: a row is scaled instead of divided, which leaves the same zeros as
    fractions would, and is several times faster.
    """
    rank = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][column]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column]
                row = [lead * a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
                divisor = math.gcd(*row)
                rows[r] = [a // divisor for a in row] if divisor > 1 else row
        rank += 1
    return [
        next(c for c, a in enumerate(row) if a != 0)
        for row in rows[:rank]
        if sum(1 for a in row if a != 0) == 1
    ]
