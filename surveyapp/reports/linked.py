"""Secondary suppression over a linked system, GaussSuppression style (Langsrud, SSB).

Every figure is a sum of atoms (non-negative integers the reader cannot see). Candidates are
offered in order of how much they matter; each is published unless, with what is published
already, it would pin down a primary (a sum of atoms that must stay unknown), or would tell
the reader something new about the level above (`parent` vectors: the atoms of the parent
level, which that level protected on its own). A candidate that adds nothing to what is
published already is published for free.

Vectors are sparse dicts {atom index: coefficient} modulo the prime 2^61 - 1 (see
docs/disclosure-design.md for why that is safe): the basis is kept in reduced echelon form, and
the primaries' residuals are indexed by their normalised form, so "would this candidate pin a
primary down?" is one lookup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

PRIME = (1 << 61) - 1
Vector = dict[int, int]


def _normalised(vector: Vector) -> tuple[tuple[int, int], ...]:
    lead = min(vector)
    inverse = pow(vector[lead], PRIME - 2, PRIME)
    return tuple(sorted((a, c * inverse % PRIME) for a, c in vector.items()))


class _Basis:
    """A subspace in reduced echelon form: pivot atom -> vector with 1 at the pivot."""

    def __init__(self) -> None:
        self.rows: dict[int, Vector] = {}
        self.containing: dict[int, set[int]] = defaultdict(set)  # atom -> pivots of rows with it

    def reduce(self, vector: Vector) -> Vector:
        v = {a: c % PRIME for a, c in vector.items() if c % PRIME}
        for pivot in [a for a in v if a in self.rows]:
            factor = v.get(pivot)
            if not factor:
                continue
            for atom, c in self.rows[pivot].items():
                value = (v.get(atom, 0) - factor * c) % PRIME
                if value:
                    v[atom] = value
                else:
                    v.pop(atom, None)
        return v

    def add(self, reduced: Vector) -> tuple[int, Vector]:
        """Add a vector already reduced against this basis; returns (pivot, its row)."""
        pivot = min(reduced)
        inverse = pow(reduced[pivot], PRIME - 2, PRIME)
        row = {a: c * inverse % PRIME for a, c in reduced.items()}
        for other in list(self.containing.get(pivot, ())):
            old = self.rows[other]
            factor = old[pivot]
            for atom, c in row.items():
                value = (old.get(atom, 0) - factor * c) % PRIME
                if value:
                    if atom not in old:
                        self.containing[atom].add(other)
                    old[atom] = value
                else:
                    old.pop(atom, None)
                    self.containing[atom].discard(other)
        self.rows[pivot] = row
        for atom in row:
            self.containing[atom].add(pivot)
        return pivot, row


class LinkedProtection:
    """One level of the linked system: offer candidates in order, learn which are shown."""

    def __init__(
        self,
        primaries: Iterable[Vector],
        *,
        known: Iterable[Vector] = (),
        parent: Iterable[Vector] = (),
    ) -> None:
        self.shown = _Basis()
        self.with_parent = _Basis()  # span of what is shown and the parent level's atoms
        for vector in known:
            self._absorb(vector)
        for vector in parent:
            reduced = self.with_parent.reduce(vector)
            if reduced:
                self.with_parent.add(reduced)
        self.residuals: dict[int, Vector] = {}
        self.by_form: dict[tuple, set[int]] = defaultdict(set)
        self.holding: dict[int, set[int]] = defaultdict(set)  # atom -> residuals with it
        self.exposed = 0  # primaries the known figures pin down already (the level above)
        for number, vector in enumerate(primaries):
            residual = self.shown.reduce(vector)
            if not residual:
                self.exposed += 1
                continue
            self.residuals[number] = residual
            self.by_form[_normalised(residual)].add(number)
            for atom in residual:
                self.holding[atom].add(number)

    def _absorb(self, vector: Vector) -> None:
        reduced = self.shown.reduce(vector)
        if reduced:
            self.shown.add(reduced)
        reduced = self.with_parent.reduce(vector)
        if reduced:
            self.with_parent.add(reduced)

    def offer(self, vector: Vector) -> bool:
        """Publish this figure if that is safe; True when it is published."""
        reduced = self.shown.reduce(vector)
        if not reduced:
            return True  # the reader can work it out already
        beyond_parent = self.with_parent.reduce(vector)
        if not beyond_parent:
            return False  # it would tell something the level above keeps hidden
        if self.by_form.get(_normalised(reduced)):
            return False  # it would pin a primary down
        pivot, row = self.shown.add(reduced)
        self.with_parent.add(beyond_parent)
        for number in list(self.holding.get(pivot, ())):
            self._update(number, pivot, row)
        return True

    def _update(self, number: int, pivot: int, row: Vector) -> None:
        residual = self.residuals[number]
        forms = self.by_form[_normalised(residual)]
        forms.discard(number)
        factor = residual[pivot]
        for atom, c in row.items():
            value = (residual.get(atom, 0) - factor * c) % PRIME
            if value:
                if atom not in residual:
                    self.holding[atom].add(number)
                residual[atom] = value
            else:
                residual.pop(atom, None)
                self.holding[atom].discard(number)
        # never empty: offer() refuses a row that is a multiple of a residual
        self.by_form[_normalised(residual)].add(number)

    def determined(self, vector: Vector) -> bool:
        """Whether the published figures pin this sum down."""
        return not self.shown.reduce(vector)
