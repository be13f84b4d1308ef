"""Secondary suppression over a linked system, GaussSuppression style (Langsrud, SSB).

Every figure is a sum of atoms (non-negative integers the reader cannot see). Candidates are
offered in order of how much they matter; each is published unless, with what is published
already, it would pin down a primary (a sum of atoms that must stay unknown), or would tell
the reader something new about the level above (`parent` vectors: the atoms of the parent
level, which that level protected on its own). A candidate that adds nothing to what is
published already is published for free.

Vectors are sparse dicts {atom index: coefficient} modulo the prime 2^61 - 1 (see
docs/disclosure-design.md for why that is safe): the basis is kept in reduced echelon form, and
the primaries' residuals are indexed by their lowest atom and carry a fingerprint (a fixed
random linear function, updated with each row operation), so "would this candidate pin a
primary down?" is a lookup and a few multiplications.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

PRIME = (1 << 61) - 1
Vector = dict[int, int]
# Whole solutions of one exact check carried into the next as witnesses (the newest last):
# they only prove moves, so their number changes the time, never the decision.
WITNESSES = 64


def _normalised(vector: Vector) -> frozenset[tuple[int, int]]:
    """The vector scaled to 1 at its lowest atom: equal for vectors that are multiples."""
    lead = min(vector)
    inverse = pow(vector[lead], PRIME - 2, PRIME)
    return frozenset([(a, c * inverse % PRIME) for a, c in vector.items()])


_WEIGHTS: list[int] = []  # atom -> a fixed pseudo-random weight modulo PRIME
_DRAW = np.random.default_rng(61)


def _fingerprint(vector: Vector) -> int:
    """A fixed random linear function of the vector, modulo PRIME: a multiple's is the same
    multiple of it, and it is kept up to date under row operations without a pass over the
    vector."""
    top = max(vector) + 1
    while len(_WEIGHTS) < top:
        _WEIGHTS.extend(int(w) for w in _DRAW.integers(1, PRIME, 1024, dtype=np.int64))
    return sum(_WEIGHTS[a] * c for a, c in vector.items()) % PRIME


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
        self.fingerprints: dict[int, int] = {}  # residual -> its fingerprint
        self.lead_of: dict[int, int] = {}  # residual -> its lowest atom
        self.by_lead: dict[int, set[int]] = defaultdict(set)
        self.holding: dict[int, set[int]] = defaultdict(set)  # atom -> residuals with it
        self.exposed = 0  # primaries the known figures pin down already (the level above)
        self.add_primaries(primaries)

    def add_primaries(self, primaries: Iterable[Vector]) -> None:
        """More sums to keep unknown, from now on."""
        for vector in primaries:
            number = len(self.residuals) + self.exposed
            residual = self.shown.reduce(vector)
            if not residual:
                self.exposed += 1
                continue
            self.residuals[number] = residual
            self.fingerprints[number] = _fingerprint(residual)
            self.lead_of[number] = lead = min(residual)
            self.by_lead[lead].add(number)
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
        if self._pins(reduced):
            return False  # it would pin a primary down
        pivot, row = self.shown.add(reduced)
        self.with_parent.add(beyond_parent)
        holding = self.holding.get(pivot)
        if holding:
            row_fingerprint = _fingerprint(row)
            for number in list(holding):
                self._update(number, pivot, row, row_fingerprint)
        return True

    def _pins(self, reduced: Vector) -> bool:
        """Whether a residual is a multiple of this reduced vector (showing it would pin that
        primary down). Multiples share their lowest atom, and their fingerprints are in the
        ratio of their coefficients there; two vectors that are not multiples pass that by a
        coincidence of about 1 in 2^61, which comparing the vectors themselves rules out."""
        lead = min(reduced)
        numbers = self.by_lead.get(lead)
        if not numbers:
            return False
        fingerprint, c = _fingerprint(reduced), reduced[lead]
        for n in numbers:
            residual = self.residuals[n]
            if (self.fingerprints[n] * c - fingerprint * residual[lead]) % PRIME == 0 and (
                _normalised(residual) == _normalised(reduced)
            ):
                return True
        return False

    def _update(self, number: int, pivot: int, row: Vector, row_fingerprint: int) -> None:
        residual = self.residuals[number]
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
        self.fingerprints[number] = (self.fingerprints[number] - factor * row_fingerprint) % PRIME
        lead = min(residual)
        if lead != self.lead_of[number]:
            self.by_lead[self.lead_of[number]].discard(number)
            self.lead_of[number] = lead
            self.by_lead[lead].add(number)

    def acceptable(self, vector: Vector) -> bool:
        """Whether offer() would publish this figure; publishes nothing."""
        reduced = self.shown.reduce(vector)
        if not reduced:
            return True
        if not self.with_parent.reduce(vector):
            return False
        return not self._pins(reduced)

    def determined(self, vector: Vector) -> bool:
        """Whether the published figures pin this sum down."""
        return not self.shown.reduce(vector)


class IntegerCheck:
    """The exact check behind the linear one: what the published equations allow when every
    atom is a whole non-negative number (the reader's integer programming, as in the
    attacker test). The linear check cannot see inequalities: a hidden «Ikke besvart» of 0
    or more beside a shown "answered" of 10 says the parent's «ja» is at least 10.

    `equations` are (vector, value), or (vector, low, high) for an inequality such as a mean
    published with one decimal, with integer coefficients over atoms 0..size-1, `truth`
    the atoms' true values (a solution), `ordered` how many of the first equations are the
    level's own offers in their order, `continuous` the atoms that are not counts (sums of
    numbers given). A figure moves when some solution gives it another value than the truth.

    HiGHS is called directly (highspy): the linear relaxation and the integer programme are
    built once, and between solves only the objective and the bounds of the ordered rows
    change. The relaxation goes first: a count that no fractional solution moves by a whole
    step is pinned in whole numbers too, and a whole solution of the relaxation is a move.
    Only where the relaxation moves a count fractionally does the integer programme run.
    Whole solutions found are kept (`solutions`) and, given as `witnesses` to the next check
    of the level, certify moves without a programme where they still solve it.
    """

    STEP = 1 - 1e-6  # a count moves by a whole step or not at all

    def __init__(
        self, size, equations, truth, *, ordered=0, continuous=(), upper=None, witnesses=()
    ) -> None:
        from scipy.sparse import csr_array

        self.size = size
        self.ordered = ordered  # the first equations, in the order they were offered
        self.truth = np.asarray(truth, dtype=float)
        rows, cols, data, lows, highs = [], [], [], [], []
        for number, (vector, *bounds) in enumerate(equations):
            for atom, c in vector.items():
                rows.append(number)
                cols.append(atom)
                data.append(float(c))
            lows.append(float(bounds[0]))
            highs.append(float(bounds[-1]))
        self.matrix = csr_array((data, (rows, cols)), shape=(len(equations), size))
        self.matrix.sort_indices()
        self.low = np.asarray(lows, dtype=float)
        self.high = np.asarray(highs, dtype=float)
        self.whole = np.ones(size, dtype=bool)
        self.whole[list(continuous)] = False
        top = upper if upper is not None else max(1.0, float(self.truth.sum()))
        self.upper = np.where(self.whole, top, np.inf)
        self._models = {}  # integral -> a HiGHS model
        self._first = {}  # integral -> how many ordered rows the model holds now
        self.solutions: list[np.ndarray] = []  # whole solutions of all the equations
        self._witnesses = [x for x in witnesses if len(x) == size and self.holds(x)]

    # --- the models ---------------------------------------------------------------------

    def _model(self, integral: bool, first: int | None):
        from highspy import _core

        model = self._models.get(integral)
        if model is None:
            model = _core._Highs()
            model.setOptionValue("output_flag", False)
            n = self.size
            model.addVars(n, np.zeros(n), self.upper)
            m = len(self.low)
            if m:
                model.addRows(
                    m,
                    self.low,
                    self.high,
                    self.matrix.nnz,
                    self.matrix.indptr[:-1].astype(np.int32),
                    self.matrix.indices.astype(np.int32),
                    self.matrix.data,
                )
            if integral:  # asked only for a whole solution beyond a bound: see _solve_below
                model.setOptionValue("mip_max_improving_sols", 1)
                model.addRow(-np.inf, np.inf, 0, np.array([], dtype=np.int32), np.array([]))
                self._cut = {}  # the bound's row (the last): atom -> coefficient now
                kinds = [
                    _core.HighsVarType.kInteger if w else _core.HighsVarType.kContinuous
                    for w in self.whole
                ]
                model.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array(kinds))
            self._models[integral] = model
            self._first[integral] = self.ordered
        want = self.ordered if first is None else first
        have = self._first[integral]
        if want != have:  # rows from `first` on are dropped by freeing their bounds
            low, high = sorted((want, have))
            index = np.arange(low, high, dtype=np.int32)
            if want < have:
                free = np.full(len(index), np.inf)
                model.changeRowsBounds(len(index), index, -free, free)
            else:
                model.changeRowsBounds(len(index), index, self.low[low:high], self.high[low:high])
            self._first[integral] = want
        return model

    def _solve(self, objective, *, integral: bool, first: int | None):
        from highspy import _core

        model = self._model(integral, first)
        model.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), objective)
        model.run()
        status = model.getModelStatus()
        if status != _core.HighsModelStatus.kOptimal:
            return None  # unbounded (a sum of numbers) or, never, infeasible
        return np.asarray(model.getSolution().col_value)

    def _solve_below(self, objective, bound: float, first: int | None):
        """A whole solution whose objective is below `bound`, or None when HiGHS proves there
        is none (then the figure is counted as pinned, the safe side). Not the optimum: the
        bound is a row of the programme (objective <= bound), and the first whole solution
        found answers the question."""
        from highspy import _core

        model = self._model(True, first)
        row = len(self.low)
        cut = {int(a): float(c) for a in np.flatnonzero(objective) for c in [objective[a]]}
        for atom in self._cut.keys() - cut.keys():
            model.changeCoeff(row, atom, 0.0)
        for atom, c in cut.items():
            if self._cut.get(atom) != c:
                model.changeCoeff(row, atom, c)
        self._cut = cut
        model.changeRowBounds(row, -np.inf, bound)
        model.run()
        if model.getInfo().primal_solution_status != _core.SolutionStatus.kSolutionStatusFeasible:
            return None  # infeasible beyond the bound (or, never, stopped): counted as pinned
        return np.asarray(model.getSolution().col_value)

    def _is_whole(self, x) -> bool:
        return bool(np.all(np.abs(x[self.whole] - np.round(x[self.whole])) < 1e-6))

    def holds(self, x, first: int | None = None) -> bool:
        """Whether x solves the equations (the first `first` ordered ones and the rest)."""
        y = self.matrix @ x
        residual = (y > self.low - 1e-6) & (y < self.high + 1e-6)
        if first is not None:
            residual[first : self.ordered] = True
        return bool(residual.all())

    def _objective(self, vectors, sign):
        c = np.zeros(self.size)
        for vector in vectors:
            for atom, w in vector.items():
                c[atom] += sign * w
        return c

    def _value(self, x, vector) -> float:
        return sum(x[a] * w for a, w in vector.items())

    # --- the questions ------------------------------------------------------------------

    def _direction_moves(self, vector, sign, first) -> bool:
        """Whether some whole solution takes the figure a whole step up (sign -1: minimising
        -value) or down (sign 1)."""
        true = self._value(self.truth, vector)
        objective = self._objective([vector], sign)
        x = self._solve(objective, integral=False, first=first)
        if x is None:
            return True  # unbounded: not pinned
        if abs(self._value(x, vector) - true) < self.STEP:
            return False  # not even a fractional solution moves it a whole step
        if self._is_whole(x):
            self._keep(x, first)
            return True
        # the objective of a solution that moves the figure a whole step is sign * true - 1
        x = self._solve_below(objective, sign * true - 0.5, first)
        if x is None:
            return False
        self._keep(x, first)
        return abs(self._value(x, vector) - true) > 0.5

    def _keep(self, x, first) -> None:
        if first is None or first >= self.ordered:
            self.solutions.append(np.round(x) if self.whole.all() else x)

    def _witnessed(self, vector, first) -> bool:
        true = self._value(self.truth, vector)
        for x in (self._witnesses + self.solutions)[-WITNESSES:]:
            if abs(self._value(x, vector) - true) > 0.5 and (first is None or self.holds(x, first)):
                return True
        return False

    def moves(self, vector: Vector, *, first: int | None = None) -> bool:
        """Whether a solution gives this figure another value than the truth; with `first`,
        using only the first `first` equations of those given as `ordered`."""
        if self._witnessed(vector, first):
            return True
        return self._direction_moves(vector, -1, first) or self._direction_moves(vector, 1, first)

    def first_pinning(self, vector: Vector, guesses=()) -> int:
        """The smallest number of the ordered equations that pins this figure (the figure is
        pinned with all of them). Guesses (answers for other figures) are tried first, at two
        checks each; then a binary search."""
        for guess in guesses:
            if (
                0 < guess <= self.ordered
                and not self.moves(vector, first=guess)
                and self.moves(vector, first=guess - 1)
            ):
                return guess
        low, high = 0, self.ordered
        while high - low > 1:
            middle = (low + high) // 2
            if self.moves(vector, first=middle):
                low = middle
            else:
                high = middle
        return high

    def pinned(self, primaries: list[Vector]):
        """The primaries no whole solution moves, in order, found lazily (a generator: stop
        taking when enough are found). A whole solution that moves several primaries at once
        certifies them all, so most need no programme of their own."""
        open_ = list(range(len(primaries)))
        true = [self._value(self.truth, v) for v in primaries]

        def moved(x) -> set[int]:
            return {i for i in open_ if abs(self._value(x, primaries[i]) - true[i]) > 0.5}

        for x in self._witnesses:
            gone = moved(x)
            open_ = [i for i in open_ if i not in gone]
        for sign in (1, -1):  # one relaxation for all: its whole solutions certify many
            if not open_:
                return
            x = self._solve(
                self._objective([primaries[i] for i in open_], sign), integral=False, first=None
            )
            if x is None:
                return  # unbounded: nothing is pinned that the bound does not give
            if self._is_whole(x):
                self._keep(x, None)
                gone = moved(x)
                open_ = [i for i in open_ if i not in gone]
        while open_:
            number = open_.pop(0)
            before = len(self.solutions)
            if not self.moves(primaries[number]):
                yield number
            for x in self.solutions[before:]:
                gone = moved(x)
                open_ = [i for i in open_ if i not in gone]
