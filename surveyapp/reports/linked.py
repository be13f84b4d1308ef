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

import numpy as np

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


class IntegerCheck:
    """The exact check behind the linear one: what the published equations allow when every
    atom is a whole non-negative number (the reader's integer programming, as in the
    attacker test). The linear check cannot see inequalities: a hidden «Ikke besvart» of 0
    or more beside a shown "answered" of 10 says the parent's «ja» is at least 10.

    `equations` are (vector, value) with integer coefficients over atoms 0..size-1, `truth`
    the atoms' true values (a solution), `ordered` how many of the first equations are the
    level's own offers in their order, `continuous` the atoms that are not counts (sums of
    numbers given). A figure moves when some solution gives it another value than the truth.
    """

    def __init__(self, size, equations, truth, *, ordered=0, continuous=(), upper=None) -> None:
        from scipy.sparse import csr_array

        self.size = size
        self.ordered = ordered  # the first equations, in the order they were offered
        self.truth = np.asarray(truth, dtype=float)
        rows, cols, data, values = [], [], [], []
        for number, (vector, value) in enumerate(equations):
            for atom, c in vector.items():
                rows.append(number)
                cols.append(atom)
                data.append(float(c))
            values.append(float(value))
        self.matrix = csr_array((data, (rows, cols)), shape=(len(equations), size))
        self.values = np.asarray(values, dtype=float)
        self.integrality = np.ones(size)
        for atom in continuous:
            self.integrality[atom] = 0
        top = upper if upper is not None else max(1.0, float(self.truth.sum()))
        self.upper = np.full(size, top)
        for atom in continuous:
            self.upper[atom] = np.inf

    def _solve(self, objective, keep):
        from scipy.optimize import Bounds, LinearConstraint, milp

        constraints = ()
        if keep is None or keep.any():
            matrix = self.matrix if keep is None else self.matrix[keep]
            values = self.values if keep is None else self.values[keep]
            constraints = LinearConstraint(matrix, values, values)
        result = milp(
            objective,
            constraints=constraints,
            integrality=self.integrality,
            bounds=Bounds(0, self.upper),
            options={"presolve": True},
        )
        return result.x if result.status == 0 else None

    def _objective(self, vectors, sign):
        c = np.zeros(self.size)
        for vector in vectors:
            for atom, w in vector.items():
                c[atom] += sign * w
        return c

    def _value(self, x, vector) -> float:
        return sum(x[a] * w for a, w in vector.items())

    def moves(self, vector: Vector, *, first: int | None = None) -> bool:
        """Whether a solution gives this figure another value than the truth; with `first`,
        using only the first `first` equations of those given as `ordered`."""
        keep = None
        if first is not None:
            keep = np.ones(len(self.values), dtype=bool)
            keep[first : self.ordered] = False
        true = self._value(self.truth, vector)
        for sign in (1, -1):
            x = self._solve(self._objective([vector], sign), keep)
            if x is None or abs(self._value(x, vector) - true) > 0.5:
                return True  # unbounded or infeasible counts as not pinned; a move found
        return False

    def first_pinning(self, vector: Vector) -> int:
        """The smallest number of the ordered equations that pins this figure (a binary
        search; the figure is pinned with all of them)."""
        low, high = 0, self.ordered
        while high - low > 1:
            middle = (low + high) // 2
            if self.moves(vector, first=middle):
                low = middle
            else:
                high = middle
        return high

    def pinned(self, primaries: list[Vector]) -> list[int]:
        """The primaries no solution moves. Solutions are shared: one that moves several
        primaries at once certifies them all, so most need no programme of their own."""
        open_ = set(range(len(primaries)))
        true = {i: self._value(self.truth, primaries[i]) for i in open_}

        def certify(x) -> None:
            open_.difference_update(
                [i for i in open_ if abs(self._value(x, primaries[i]) - true[i]) > 0.5]
            )

        for sign in (1, -1):
            if not open_:
                break
            x = self._solve(self._objective([primaries[i] for i in open_], sign), None)
            if x is None:
                return []  # unbounded: nothing is pinned that the bound does not give
            certify(x)
        pinned = []
        while open_:
            number = min(open_)
            for sign in (1, -1):
                x = self._solve(self._objective([primaries[number]], sign), None)
                if x is None:
                    open_.discard(number)
                    break
                certify(x)
                if number not in open_:
                    break
            else:
                open_.discard(number)
                pinned.append(number)
        return pinned
