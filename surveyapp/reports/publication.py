"""What can be published of one (questionnaire, period), protected as one linked system.

Every cell any cut (group value or all x mode or both x column) can show is a sum of atoms:
unit x group part x mode part x row. Level one is the response counts; then each question
(and each option of a multiple choice) refines the atoms of its parent: the counts, or the
rows of the question its `show_if` reads. reports.linked decides, level by level, which
cells are shown; docs/disclosure-design.md says why this is enough and what it costs.

The decision depends only on the period's data, which cannot change once it has ended, so
it is cached by (questionnaire, period, threshold) with a fingerprint of the data.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import pickle
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sqlalchemy import select

from surveyapp.collect.versions import questionnaire_of
from surveyapp.db.models import QuestionnaireVersion
from surveyapp.questionnaire import Question, Questionnaire, QuestionType
from surveyapp.questionnaire.model import ReportingLevel
from surveyapp.reports import aggregate
from surveyapp.reports.linked import WITNESSES, IntegerCheck, LinkedProtection
from surveyapp.reports.model import DECLINED, MISSING, POOLED, SKIPPED, TOTAL

ANSWERED = "_answered"  # the row set of the options: those who answered
OTHER = "_other"  # the group part of those who did not give the group question a value
NOT_ASKED = "_not_asked"  # a complement nobody publishes
# How many of those asked (or not asked) gave no answer says nothing that anyone answered,
# and no view can be cut by it; keeping such sums unknown would hide the base of every share
# in the column. Each of these rows alone is still protected (docs/disclosure-design.md).
NON_RESPONSE = {DECLINED, MISSING, NOT_ASKED}
NOT_CHOSEN = "_not_chosen"  # answered a multiple choice without this option
SUM = "_sum"  # the sum of the numbers given (means of number questions)
MEAN = "_mean"  # a scale's mean, as a relation among its counts
MAIN = (None, None)
COUNTS = "_counts"  # the level of the response counts
MAX_REPAIRS = 40  # rounds of the exact check per level before the last resort
PINS_PER_ROUND = 8  # pinned primaries whose culprits are refused in one round
# the version of the decision: a file decided by other rules (or another System) is not read
DECISION = 3

UNIT, AREA, TRUST = ReportingLevel.UNIT, ReportingLevel.AREA, ReportingLevel.TRUST
# the column kinds each level shows (with Trøndelag in total)
LEVEL_KINDS = {
    ReportingLevel.UNIT: {"unit", "pool", "total"},
    ReportingLevel.AREA: {"area", "total"},
    ReportingLevel.TRUST: {"trust", "total"},
    ReportingLevel.REGION: {"total"},
}

_TEXT_KINDS = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT, QuestionType.INFO}


@dataclass(frozen=True)
class LayoutColumn:
    key: str
    members: tuple[str, ...]
    unit_names: tuple[str, ...]
    kind: str  # "unit", "pool", "area" (official DPS area), "trust" or "total"
    area_name: str | None = None

    @property
    def pooled(self) -> bool:
        return self.kind == "pool"


@dataclass
class Layout:
    columns: list[LayoutColumn]


@dataclass
class Figures:
    """The protected figures of one answer id, keyed by (cut, column, row)."""

    values: dict = field(default_factory=dict)
    shown_keys: set = field(default_factory=set)
    means: dict = field(default_factory=dict)
    medians: dict = field(default_factory=dict)
    rounded_means: dict = field(default_factory=dict)  # key -> decimals of a rounded mean

    def shown(self, key) -> int | None:
        return self.values.get(key) if key in self.shown_keys else None

    def mean(self, key) -> float | None:
        return self.means.get(key)

    def median(self, key) -> float | None:
        return self.medians.get(key)

    def mean_decimals(self, key) -> int:
        """The precision a mean is published with: 1 or 0 where the exact mean would pin a
        count, else 2."""
        return self.rounded_means.get(key, 2)


@dataclass
class System:
    layout: Layout
    versions: list[int]
    counts: dict  # (cut, column) -> responses
    counts_shown: set
    figures_by_answer: dict[str, Figures]
    hidden_single_dps: list = field(default_factory=list)  # (answer id, cut, column, row, n)

    def count_shown(self, cut, key) -> bool:
        return (cut, key) in self.counts_shown

    def count(self, cut, key) -> int:
        return self.counts[(cut, key)]

    def figures(self, answer_id: str) -> Figures:
        return self.figures_by_answer.get(answer_id, Figures())


_cache: dict = {}
_lock = threading.Lock()
# Where decided systems are kept between processes (every worker, every restart): set by
# use_directory() or SURVEYAPP_PROTECTION_CACHE; None keeps them in this process only.
_directory: Path | None = (
    Path(os.environ["SURVEYAPP_PROTECTION_CACHE"])
    if os.environ.get("SURVEYAPP_PROTECTION_CACHE")
    else None
)
_building: dict = {}  # key -> lock, so two threads never decide the same period at once


def use_directory(directory: Path | str | None) -> None:
    """Keep decided systems in this directory (the app's own instance folder), so that a
    period's protection is computed once, not once per process."""
    global _directory
    _directory = Path(directory) if directory else None


def asked_with(scope: aggregate.Scope, current: Questionnaire) -> Questionnaire:
    """The questionnaire an ended period is decided and reported with: the newest version
    answered in it (`current` when nothing was). A version loaded after the period ended has
    no answers in it, so this never changes once the period has ended: a new version (an
    option added, a report group or a reporting level changed) would otherwise decide the
    same published figures a second time, differently, and the two could be subtracted."""
    version_id = aggregate.newest_version_answered(scope)
    if version_id is None:
        return current
    try:
        return questionnaire_of(scope.session.get(QuestionnaireVersion, version_id))
    except ValueError:  # a stored version this code no longer reads: the current one
        return current


def protected_system(scope: aggregate.Scope, questionnaire: Questionnaire, k: int) -> System:
    """The protected system of the scope's (ended) period, computed once per data state."""
    key = (scope.questionnaire_id, scope.period, k, aggregate.fingerprint(scope), DECISION)
    with _lock:
        cached = _cache.get(key)
        building = None if cached is not None else _building.setdefault(key, threading.Lock())
    if cached is not None:
        return cached
    with building:
        with _lock:
            cached = _cache.get(key)
        if cached is not None:
            return cached
        system = _load(key)
        if system is None:
            system = build_system(scope, questionnaire, k)
            _store(key, system)
        with _lock:
            if len(_cache) > 64:
                _cache.clear()
            _cache[key] = system
            _building.pop(key, None)
    return system


def _file(key) -> Path | None:
    if _directory is None:
        return None
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    questionnaire_id, period, k = key[0], key[1], key[2]
    return _directory / f"{questionnaire_id}-{period.id}-k{k}-{digest}.pickle"


def _load(key) -> System | None:
    path = _file(key)
    if path is None or not path.exists():
        return None
    try:
        # written by this app into its own folder (never from outside): see use_directory
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a file of another version of the code: decide again


def _store(key, system: System) -> None:
    path = _file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(system, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
        # the counts of an earlier data state (before a deletion, say) are not kept
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # the cache is an optimisation: a read-only folder only costs time


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def discard() -> None:
    """Forget every decided system, in this process and in the folder, after responses were
    deleted: a decided system holds every count of its period, the hidden ones too, and the
    counts of deleted responses are not kept (the next view decides again). Other processes
    never read theirs again (the data state is part of the key) and drop them at restart."""
    with _lock:
        _cache.clear()
        if _directory is not None:
            for path in _directory.glob("*.pickle"):
                path.unlink(missing_ok=True)


def warm(session, today, k: int, questionnaire_ids=None) -> list[tuple[str, str]]:
    """Decide every ended period of every questionnaire ahead of the first view (at start,
    or from `surveyapp protect` after a period ends); returns (questionnaire, period) done."""
    from surveyapp.collect.versions import current_version
    from surveyapp.periods import periods_until

    if questionnaire_ids is None:
        questionnaire_ids = sorted(
            set(session.scalars(select(QuestionnaireVersion.questionnaire_id)))
        )
    done = []
    for questionnaire_id in questionnaire_ids:
        version = current_version(session, questionnaire_id)
        if version is None:
            continue
        questionnaire = questionnaire_of(version)
        scope = aggregate.Scope(session, questionnaire_id)
        for period in periods_until(aggregate.first_response_day(scope), today):
            if period.published(today):
                scope.period = period
                protected_system(scope, asked_with(scope, questionnaire), k)
                done.append((questionnaire_id, period.id))
    return done


# --- the atoms and their boxes ----------------------------------------------------------


@dataclass
class _Offer:
    """A figure offered for publication: a cell, or (value None) a relation such as a mean."""

    cut: tuple
    column: LayoutColumn
    row: str | None
    vector: dict[int, int]
    value: int | None
    # a mean's other forms: (decimals, the interval its value rounded so gives, as (vector,
    # low, high) inequalities over the counts), finest first
    intervals: tuple = ()

    @property
    def key(self) -> tuple:
        return (self.cut, self.column.key, self.row)


class _Options(NamedTuple):
    """One option of a multiple choice, decided beside the others (`spaces`: option -> its
    atoms chose / did not choose)."""

    answer_id: str
    option: str
    spaces: dict
    exclusive: frozenset


@dataclass
class _Level:
    """What the reader knows of one decided level: its atoms, the equations published over
    them (with what the level above shows), and the sums that must stay unknown."""

    space: _Space
    equations: list
    primaries: list


class _Space:
    """Atoms (u, gp, mp, row) of one level with their values, and boxes over them."""

    def __init__(self, values: dict[tuple, int]) -> None:
        self.values = values
        self.index = {atom: i for i, atom in enumerate(values)}

    def vector(self, units, gps, mps, rows, weights=None) -> dict[int, int]:
        vector = {}
        for u in units:
            for gp in gps:
                for mp in mps:
                    for r in rows:
                        i = self.index.get((u, gp, mp, r))
                        if i is not None:
                            vector[i] = weights[r] if weights else 1
        return vector

    def value(self, units, gps, mps, rows) -> int:
        return sum(
            self.values.get((u, gp, mp, r), 0)
            for u in units
            for gp in gps
            for mp in mps
            for r in rows
        )


def _subsets(items) -> list[tuple]:
    items = list(items)
    return [c for n in range(1, len(items) + 1) for c in itertools.combinations(items, n)]


class _Builder:
    def __init__(self, scope, questionnaire: Questionnaire, k: int) -> None:
        self.k = k
        self.questionnaire = questionnaire
        groups = questionnaire.report_groups
        self.group_question = groups[0] if groups else None
        if self.group_question:
            question = questionnaire.question(self.group_question)
            self.group_values = [c.value for c in question.options()]
            self.gparts = [*self.group_values, OTHER]
        else:
            self.group_values = []
            self.gparts = [None]
        modes = [str(m) for m in questionnaire.modes]
        counts, self.versions = aggregate.response_counts(scope, self.group_question)
        self.mparts = sorted({*modes, *(m for _d, _g, m in counts)})
        self.n = defaultdict(int)  # (u, gp, mp) -> responses
        for (dps, value, mode), count in counts.items():
            self.n[(dps, self._gpart(value), mode)] += count
        self.cuts = [
            (g, m)
            for g in [None, *self.group_values]
            for m in ([None, *self.mparts] if len(modes) > 1 else [None])
        ]
        self.units = {u.id: u for u in scope.units}
        self.layout = self._layout()
        multiple = [
            q.id for q in questionnaire.questions() if q.type is QuestionType.MULTIPLE_CHOICE
        ]
        self.answers, self.respondents, self.sums = aggregate.answer_counts(
            scope, self.group_question, multiple=multiple
        )
        present = {u for (u, _g, _m) in self.n}
        self.present = [u for u in self.units if u in present]
        self.unit_sets = self._unit_sets()
        self.hidden_single_dps: list = []
        self.levels: dict[str, _Level] = {}
        self.rounded_means: dict = {}  # (answer id, key of a mean) -> decimals, if rounded

    def _gpart(self, value):
        if not self.group_question:
            return None
        return value if value in self.group_values else OTHER

    def gps(self, g):
        return list(self.gparts) if g is None else [g]

    def mps(self, m):
        return list(self.mparts) if m is None else [m]

    def _layout(self) -> Layout:
        """The columns of every level the questionnaire may be reported at, all in the one
        system: units (and pools of small units), official DPS areas, health trusts, and
        Trøndelag in total. A level finer than the questionnaire's is not in it at all."""
        per_unit = defaultdict(int)
        for (u, _gp, _mp), count in self.n.items():
            per_unit[u] += count
        ordered = sorted(self.units.values(), key=lambda u: u.sort_order)
        answered = [u for u in ordered if per_unit.get(u.id, 0) > 0]
        reporting = self.questionnaire.reporting
        columns = self._unit_columns(ordered, per_unit) if reporting.allows(UNIT) else []
        if reporting.allows(AREA):
            for area_id, members in _grouped(answered, lambda u: u.area_id):
                area = members[0].area
                name = area.name if area is not None else area_id
                columns.append(_level_column(f"_omrade_{area_id}", members, "area", name))
        if reporting.allows(TRUST):
            for trust, members in _grouped(answered, lambda u: u.health_trust):
                key = "_foretak_" + re.sub(r"[^a-z0-9]+", "_", trust.lower()).strip("_")
                columns.append(_level_column(key, members, "trust", trust))
        if answered:
            columns.append(LayoutColumn(TOTAL, tuple(u.id for u in answered), (), "total"))
        return Layout(columns)

    def _unit_columns(self, ordered, per_unit) -> list[LayoutColumn]:
        columns, small = [], []
        for unit in ordered:
            n = per_unit.get(unit.id, 0)
            if n >= self.k:
                columns.append(LayoutColumn(unit.id, (unit.id,), (unit.name,), "unit"))
            elif n > 0:
                small.append(unit)
        rest = []
        for area_id, members in _grouped(small, lambda u: u.area_id):
            if len(members) > 1 and sum(per_unit[u.id] for u in members) >= self.k:
                area = members[0].area
                columns.append(
                    LayoutColumn(
                        f"_area_{area_id}",
                        tuple(u.id for u in members),
                        tuple(u.name for u in members),
                        "pool",
                        area.name if area is not None else area_id,
                    )
                )
            else:
                rest += members
        if rest:
            columns.append(
                LayoutColumn(POOLED, tuple(u.id for u in rest), tuple(u.name for u in rest), "pool")
            )
        return columns

    def _unit_sets(self) -> list[tuple[str, ...]]:
        every = tuple(self.present)
        sets = {(u,) for u in every}
        for column in self.layout.columns:
            sets.add(tuple(column.members))
            rest = tuple(u for u in every if u not in column.members)
            if rest:
                sets.add(rest)
        return sorted(sets)

    def tier(self, cut, column: LayoutColumn) -> int:
        """How much a cell matters (0 first): the finest level's columns of the main view,
        its total, then the coarser levels, the finer cuts, and the pools last."""
        kind = column.kind
        finest = {UNIT: "unit", AREA: "area", TRUST: "trust"}.get(
            self.questionnaire.reporting.level
        )
        main = cut == MAIN
        if kind == finest:
            return 0 if main else 2
        if kind == "total":
            return 1 if main else 3
        if kind in ("area", "trust"):
            return 2 if main else 4
        return 3 if main else 4

    # --- level one: the response counts -------------------------------------------------

    def counts_level(self):
        values = {
            (u, gp, mp, None): self.n.get((u, gp, mp), 0)
            for u in self.present
            for gp in self.gparts
            for mp in self.mparts
        }
        space = _Space(values)
        primaries = self._primaries(space, [(None,)], self.gparts)
        offers = []
        for cut in self.cuts:
            g, m = cut
            for column in self.layout.columns:
                value = space.value(column.members, self.gps(g), self.mps(m), [None])
                vector = space.vector(column.members, self.gps(g), self.mps(m), [None])
                offers.append(
                    ((self.tier(cut, column), -value), _Offer(cut, column, None, vector, value))
                )
        offers = [o for _key, o in sorted(offers, key=lambda o: o[0])]
        shown = self._settle(COUNTS, space, offers, primaries, [], [], None, None)
        self.counts = {(o.cut, o.column.key): o.value for o in offers}
        self.counts_shown = {(o.cut, o.column.key) for o in shown}
        return self.counts, self.counts_shown

    # --- deciding one level: the linear check, then the exact one ----------------------

    def _settle(
        self,
        name,
        space,
        offers,
        primaries,
        known,
        parents,
        parent,
        link_row,
        sums=None,
        joint=None,
    ):
        """Decide which offers of one level are shown; remember the level for its children.

        First GaussSuppression-style (reports.linked): in order, each offer is shown unless it
        would pin a primary or tell something new about the parent's atoms. Then the exact
        check: with this level, the parent level and the link between them, in whole
        non-negative numbers, no primary of either may be pinned. Where one is, the least
        important shown offer whose absence lets it move is refused, and the level is decided
        again."""
        # the cells first; the relations (means, sums of numbers) once the cells are decided
        relations = {i for i, o in enumerate(offers) if o.value is None and o.vector}
        refused: set[int] = set(relations)
        nothing, exempt, witnesses = None, set(), []
        more, rounded, bounds = [], [], []
        for _attempt in range(MAX_REPAIRS):
            shown, final, protection = self._linear(
                space, offers, primaries, known, parents, refused, sums
            )
            check, every = self._exact(
                space, offers, shown, final, parent, link_row, witnesses, joint=joint
            )
            every = [v for v in _distinct(every) if _form(v) not in exempt]
            pins = []
            for number in check.pinned(every):
                # what the level above and the structure pin alone, with nothing of this
                # level shown, is theirs (their check passed), not this level's
                if nothing is None:
                    nothing, _ = self._exact(
                        space, offers, [], final, parent, link_row, joint=joint
                    )
                if not nothing.moves(every[number]):
                    exempt.add(_form(every[number]))
                    continue
                pins.append(number)
                if len(pins) == PINS_PER_ROUND:
                    break
            witnesses = check.solutions[-WITNESSES:]
            if not pins:
                more, rounded, bounds = self._relations(
                    space,
                    offers,
                    shown,
                    protection,
                    sorted(relations),
                    parent,
                    link_row,
                    check,
                    every,
                    sums,
                )
                break
            # the offer that completes each pin is refused, as the linear check refuses one;
            # pins found together are often completed by the same offer, so it is tried first
            guesses: list[int] = []
            for number in pins:
                first = check.first_pinning(every[number], guesses)
                refused.add(shown[first - 1])
                guesses = [first] + [g for g in guesses if g != first]
        else:  # the last resort: nothing of this level beyond what is structurally empty
            refused = set(range(len(offers)))
            shown, final, _ = self._linear(space, offers, primaries, known, parents, refused, sums)
        equations = [(v, _dot(v, space)) for v in known]
        equations += [(offers[i].vector, _dot(offers[i].vector, space)) for i in shown]
        equations += [(offers[i].vector, _dot(offers[i].vector, space)) for i in more]
        equations += bounds  # the means shown rounded (one decimal or none)
        self.rounded_means.update({(name, offers[i].key): d for i, d in rounded})
        shown = shown + more + [i for i, _d in rounded]
        lifted = []
        if parent == COUNTS:  # the counts' primaries, as sums of this level's rows
            bases = defaultdict(list)
            for i, atom in enumerate(space.values):
                if atom[3] != SUM:
                    bases[atom[:3]].append(i)
            counts = self.levels[COUNTS]
            atoms = list(counts.space.values)
            for vector in counts.primaries:
                keys = [atoms[a][:3] for a in vector]
                if all(key in bases for key in keys):
                    lifted.append({i: 1 for key in keys for i in bases[key]})
        self.levels[name] = _Level(space, equations, final + lifted)
        return [offers[i] for i in shown]

    def _linear(self, space, offers, primaries, known, parents, refused, sums):
        for _round in range(4):
            protection = LinkedProtection(primaries, known=known, parent=parents)
            shown = []
            for i, offer in enumerate(offers):
                if not offer.vector or (
                    i not in refused and _offer(protection, offer.vector, offer.value)
                ):
                    shown.append(i)
            if sums is None:
                break
            extra = sums(space, protection, {offers[i].key for i in shown})
            if not extra:
                break
            primaries = primaries + extra  # and decide again, with these kept unknown too
        return shown, primaries, protection

    def _relations(
        self, space, offers, shown, protection, relations, parent, link_row, cells, every, sums
    ) -> tuple[list[int], list[tuple[int, int]], list]:
        """Offer the relations one by one once the cells are decided: each is shown when the
        linear check accepts it and the exact check then finds nothing pinned that the cells
        left open. A relation may not pin a small sum of hidden cells either ("ja + Ikke
        besvart = 4"), so those sums are kept unknown as the primaries are. A mean refused
        so is offered again with one decimal, then none (the interval each gives, two
        inequalities), and shown so where that pins nothing. Returns (the relations shown
        exactly, (relation, decimals) of those shown rounded, their inequalities).

        Offered among the cells, a refused mean was replaced in the next round by the next
        column's mean (the area's, the trust's), which pinned the same count: up to 39 rounds
        of the whole level, one refused mean each (docs/disclosure-design.md)."""
        if sums is not None:
            keys = {offers[i].key for i in shown}
            extra = [v for v in sums(space, None, keys) if not protection.determined(v)]
            if extra:
                protection.add_primaries(extra)
                every = every + extra
        pinned_by_cells = set(cells.pinned(every))  # the cells' decision, not the relations'
        open_ = [v for n, v in enumerate(every) if n not in pinned_by_cells]
        accepted: list[int] = []
        rounded: list[int] = []
        bounds: list = []
        witnesses = cells.solutions[-WITNESSES:]

        def safe(rows, extra_bounds, near) -> bool:
            """Whether these relations pin nothing the cells left open. The primaries that
            share an atom with the new relation (`near`) are asked first: a pin, where there
            is one, is usually among them, and then the others need no programme."""
            nonlocal witnesses
            check, _ = self._exact(
                space, offers, rows, [], parent, link_row, witnesses, bounds + extra_bounds
            )
            first = [v for v in open_ if not near.isdisjoint(v)]
            rest = [v for v in open_ if near.isdisjoint(v)]
            if next(iter(check.pinned(first + rest)), None) is not None:
                return False
            witnesses = (witnesses + check.solutions)[-WITNESSES:]
            return True

        for i in relations:
            offer = offers[i]
            if protection.determined(offer.vector):
                accepted.append(i)  # the shown counts give it: it tells nothing new
                continue
            near = offer.vector.keys()
            if protection.acceptable(offer.vector) and safe(shown + accepted + [i], [], near):
                protection.offer(offer.vector)
                accepted.append(i)
                continue
            for decimals, interval in offer.intervals:
                if safe(shown + accepted, interval, near):
                    bounds += interval
                    rounded.append((i, decimals))
                    break
        return accepted, rounded, bounds

    def _exact(
        self,
        space,
        offers,
        shown,
        primaries,
        parent,
        link_row,
        witnesses=(),
        bounds=(),
        joint: _Options | None = None,
    ):
        """The integer check of one level together with its parent level; `bounds` are
        inequalities of the level (means shown rounded, with one decimal or none). An option
        of a multiple choice (`joint`) is checked with the other options beside it."""
        size = len(space.values)
        truth = list(space.values.values())
        atoms = list(space.values)
        continuous = [i for i, atom in enumerate(atoms) if atom[3] == SUM]
        equations = [(offers[i].vector, _dot(offers[i].vector, space)) for i in shown]
        every = list(primaries)
        if parent is not None:
            level = self.levels[parent]
            equations += [(_shifted(v, size), *values) for v, *values in level.equations]
            equations += _links(space, 0, level.space, size, link_row)
            parent_atoms = list(level.space.values)
            truth += list(level.space.values.values())
            continuous += [size + i for i, atom in enumerate(parent_atoms) if atom[3] == SUM]
            every += [_shifted(v, size) for v in level.primaries]
            if joint is not None:
                equations += self._other_options(joint, level, size, truth, every)
        equations += list(bounds)
        check = IntegerCheck(
            len(truth),
            equations,
            truth,
            ordered=len(shown),
            continuous=continuous,
            witnesses=witnesses,
        )
        return check, every

    def _other_options(self, joint: _Options, parent: _Level, offset: int, truth, every) -> list:
        """The other options of a multiple choice in the check of one: their atoms (appended
        to `truth`), what is published of those decided (their primaries join `every`), their
        link to the parent's "answered", and the inequalities between the options in each box:
        whoever answered chose at least one option, an exclusive one ("Vet ikke") alone."""
        equations = []
        where = {joint.option: 0}  # option -> where its atoms start
        for option, space in joint.spaces.items():
            if option == joint.option:
                continue
            start = where[option] = len(truth)
            truth += list(space.values.values())
            decided = self.levels.get(_option_level(joint.answer_id, option))
            if decided is not None:
                equations += [(_shifted(v, start), *values) for v, *values in decided.equations]
                every += [_shifted(v, start) for v in decided.primaries]
            equations += _links(space, start, parent.space, offset, ANSWERED)
        plain = [o for o in joint.spaces if o not in joint.exclusive]
        for atom, j in parent.space.index.items():
            if atom[3] != ANSWERED:
                continue
            chosen = {
                o: where[o] + joint.spaces[o].index[(*atom[:3], o)]
                for o in joint.spaces
                if (*atom[:3], o) in joint.spaces[o].index
            }
            answered = {offset + j: -1}
            alone = {chosen[e]: 1 for e in joint.exclusive if e in chosen}
            rows = [({**alone, chosen[o]: 1, **answered}, -np.inf, 0) for o in plain if o in chosen]
            if alone:  # one exclusive option at most
                rows.append(({**alone, **answered}, -np.inf, 0))
            rows.append(({**{i: 1 for i in chosen.values()}, **answered}, 0, np.inf))
            for vector, low, high in rows:
                # a rule the data break (an answer to an option no longer offered) is no rule
                if low <= sum(truth[a] * c for a, c in vector.items()) <= high:
                    equations.append((vector, low, high))
        return equations

    def _primaries(self, space: _Space, row_sets, gparts) -> list[dict[int, int]]:
        """Every box with 1..k-1 people: unit set x group parts x mode parts x row set."""
        found, seen = [], set()
        gp_sets = _subsets(gparts)
        mp_sets = _subsets(self.mparts)
        for units in self.unit_sets:
            for gps in gp_sets:
                for mps in mp_sets:
                    for rows in row_sets:
                        value = space.value(units, gps, mps, rows)
                        if 0 < value < self.k:
                            vector = space.vector(units, gps, mps, rows)
                            signature = frozenset(vector)
                            if vector and signature not in seen:
                                seen.add(signature)
                                found.append(vector)
        return found

    # --- the questions ------------------------------------------------------------------

    def questions(self) -> dict[str, Figures]:
        figures: dict[str, Figures] = {}
        self.node_shown: dict[str, set] = {}  # answer id -> (cut, column, row) shown
        self.node_values: dict[str, dict] = {}  # answer id -> atom values
        for page in self.questionnaire.pages:
            for question in page.questions:
                if question.type in _TEXT_KINDS:
                    continue
                for answer_id in question.answer_ids:
                    figures[answer_id] = self._question(question, page, answer_id)
        return figures

    def _parent_of(self, question: Question, page):
        """(parent answer id or None for the counts, its rows that show the question), or
        ("complex", None) when the condition is not a simple one on one question."""
        conditions = [c for c in (question.show_if, page.show_if) if c is not None]
        if not conditions:
            return None, None
        if len(conditions) > 1:
            return "complex", None
        ast = conditions[0].ast
        if ast.get("op") == "==":
            values = [str(ast.get("value"))]
        elif ast.get("op") == "in":
            values = [str(v) for v in ast.get("values", [])]
        else:
            return "complex", None
        ref = ast.get("ref")
        if ref == self.group_question:
            return None, [v for v in values if v in self.group_values]
        if ref in self.node_values and len(values) == 1:
            return ref, values
        return "complex", None

    def _question(self, question: Question, page, answer_id: str) -> Figures:
        multiple = question.type is QuestionType.MULTIPLE_CHOICE
        number = question.type is QuestionType.NUMBER
        if question.type is QuestionType.DPS:
            options = [u for u in self.units]
        elif number:
            options = [ANSWERED]
        else:
            options = [c.value for c in question.options()]
        parent, shown_by = self._parent_of(question, page)
        values = self._atom_values(question, answer_id, options, multiple, number, parent, shown_by)
        if values is None:  # the data do not follow the condition: model it as unknown
            parent, shown_by = "complex", None
            values = self._atom_values(question, answer_id, options, multiple, number, parent, None)
        figures = Figures()
        base_rows = ([ANSWERED] if multiple else options) + [DECLINED, MISSING]
        node = self._protect_node(
            answer_id,
            question,
            values,
            base_rows,
            options if not multiple else [ANSWERED],
            parent,
            shown_by,
            figures,
            number,
        )
        self.node_values[answer_id] = values
        self.node_shown[answer_id] = node
        if multiple:
            spaces = {}
            for option in options:
                child = {}
                for (u, gp, mp, r), v in values.items():
                    if r == ANSWERED:
                        child_value = self._mc_chose(u, gp, mp, answer_id, option)
                        child[(u, gp, mp, option)] = child_value
                        child[(u, gp, mp, NOT_CHOSEN)] = v - child_value
                spaces[option] = _Space(child)
            exclusive = frozenset(c.value for c in question.choices if c.exclusive)
            for option in options:
                joint = _Options(answer_id, option, spaces, exclusive)
                self._protect_child(joint, figures)
        return figures

    def _mc_chose(self, u, gp, mp, answer_id, option) -> int:
        total = 0
        for value in self._raw_values(gp):
            total += self.answers.get((u, value, mp), {}).get(answer_id, {}).get(option, 0)
        return total

    def _raw_values(self, gp):
        """The stored group values that make up a group part."""
        if not self.group_question:
            return [None]
        if gp != OTHER:
            return [gp]
        raw = {g for (_u, g, _m) in self.answers} | {g for (_u, g, _m) in self.respondents}
        return [g for g in raw if g not in self.group_values]

    def _given(self, u, gp, mp, answer_id) -> dict[str, int]:
        merged = defaultdict(int)
        for value in self._raw_values(gp):
            for answer, count in self.answers.get((u, value, mp), {}).get(answer_id, {}).items():
                merged[answer] += count
        return merged

    def _respondents(self, u, gp, mp, answer_id) -> int:
        return sum(
            self.respondents.get((u, value, mp), {}).get(answer_id, 0)
            for value in self._raw_values(gp)
        )

    def _sum(self, u, gp, mp, answer_id) -> float:
        return sum(
            self.sums.get((u, value, mp), {}).get(answer_id, 0) for value in self._raw_values(gp)
        )

    def _atom_values(self, question, answer_id, options, multiple, number, parent, shown_by):
        """Atom values (u, gp, mp, row), or None when the data break the condition."""
        values = {}
        gparts = self.gparts
        if parent is None and shown_by is not None:
            gparts = [gp for gp in self.gparts if gp in shown_by]
        for u in self.present:
            for gp in self.gparts:
                for mp in self.mparts:
                    given = self._given(u, gp, mp, answer_id)
                    declined = given.get(DECLINED, 0)
                    skipped_rows = given.get(SKIPPED, 0)
                    if multiple:
                        answered = self._respondents(u, gp, mp, answer_id) - declined - skipped_rows
                        rows = {ANSWERED: answered}
                    elif number:
                        answered = sum(c for a, c in given.items() if a not in (DECLINED, SKIPPED))
                        rows = {ANSWERED: answered}
                    else:
                        rows = {o: given.get(o, 0) for o in options}
                        answered = sum(rows.values())
                    if parent == "complex":
                        asked = None
                    elif parent is None:
                        asked = self.n.get((u, gp, mp), 0) if gp in gparts else 0
                    else:
                        parent_values = self.node_values[parent]
                        asked = sum(parent_values.get((u, gp, mp, v), 0) for v in shown_by)
                    if asked is None:
                        skipped = skipped_rows
                        not_asked = self.n.get((u, gp, mp), 0) - answered - declined - skipped
                    else:
                        skipped = asked - answered - declined
                        not_asked = None
                        if skipped < 0 or (gp not in gparts and answered + declined):
                            return None
                    if gp not in gparts and asked is not None:
                        continue  # structurally empty: the question is not shown this group
                    for r, v in rows.items():
                        values[(u, gp, mp, r)] = v
                    values[(u, gp, mp, DECLINED)] = declined
                    if not (question.required and skipped == 0):
                        values[(u, gp, mp, MISSING)] = skipped
                    if not_asked is not None:
                        values[(u, gp, mp, NOT_ASKED)] = not_asked
                    if number:
                        values[(u, gp, mp, SUM)] = self._sum(u, gp, mp, answer_id)
        if question.id == self.group_question:
            values = {
                (u, gp, mp, r): v
                for (u, gp, mp, r), v in values.items()
                if r == gp or (gp == OTHER and r not in self.group_values)
            }
        return values

    def _known_and_parent(self, space: _Space, values, parent, shown_by, rows_in_parent_box):
        """Figures the level above shows (lifted into this space), and its atoms."""
        bases = sorted({(u, gp, mp) for (u, gp, mp, _r) in values})
        parent_vectors = [space.vector([u], [gp], [mp], rows_in_parent_box) for u, gp, mp in bases]
        known = []
        if parent == "complex" or parent is None:
            allowed = set(shown_by) if (parent is None and shown_by is not None) else None
            for cut, key in self.counts_shown:
                gps = self.gps(cut[0])
                if allowed is not None and not set(gps) <= allowed:
                    continue
                column = self._column(key)
                known.append(
                    space.vector(column.members, gps, self.mps(cut[1]), rows_in_parent_box)
                )
        else:
            row = shown_by[0]
            for cut, key, r in self.node_shown[parent]:
                if r == row:
                    column = self._column(key)
                    known.append(
                        space.vector(
                            column.members, self.gps(cut[0]), self.mps(cut[1]), rows_in_parent_box
                        )
                    )
        # a published 0 is 0 in every atom (see _offer)
        atom_values = list(space.values.values())
        known = [
            part
            for vector in known
            for part in (
                [{atom: 1} for atom in vector]
                if not any(atom_values[atom] for atom in vector)
                else [vector]
            )
        ]
        return known, parent_vectors

    def _column(self, key) -> LayoutColumn:
        return next(c for c in self.layout.columns if c.key == key)

    def _protect_node(
        self, answer_id, question, values, rows, options, parent, shown_by, figures, number
    ):
        space = _Space(values)
        all_rows = sorted({r for (_u, _g, _m, r) in values if r != SUM}, key=str)
        known, parents = self._known_and_parent(space, values, parent, shown_by, all_rows)
        row_sets = {(r,) for r in all_rows}
        row_sets |= {tuple(x for x in all_rows if x != r) for r in all_rows}
        row_sets.add(tuple(x for x in all_rows if x in options))
        row_sets.add(tuple(x for x in all_rows if x not in options))
        # Non-response together (declined, skipped, not asked) is no group of its own: see
        # NON_RESPONSE. Each of them alone stays a primary.
        # (sorted: the order of the primaries decides which pins are found first, and a set's
        # order changes from process to process with the hashing of strings)
        row_sets = [
            s for s in sorted(row_sets) if s and (len(s) == 1 or not set(s) <= NON_RESPONSE)
        ]
        gparts = sorted({gp for (_u, gp, _m, _r) in values}, key=str)
        primaries = self._primaries(space, row_sets, gparts)
        if number:  # the sum of the numbers of a small group is as private as its size
            for vector in self._primaries(space, [(ANSWERED,)], gparts):
                atoms = list(values)
                sums = {}
                for i in vector:
                    u, gp, mp, _r = atoms[i]
                    j = space.index.get((u, gp, mp, SUM))
                    if j is not None:
                        sums[j] = 1
                if sums:
                    primaries.append(sums)
        scale = question.scale
        numeric = [o for o in options if o not in (ANSWERED,)]
        if scale is not None and scale.not_applicable is not None:
            numeric = [o for o in numeric if o != scale.not_applicable.value]
        weights = {}
        for o in numeric:
            try:
                weights[o] = int(float(o) * 100) or 0
            except ValueError:
                weights = {}
                break
        scale_mean = scale is not None and scale.numeric and bool(weights) and not number
        offers = []
        for cut in self.cuts:
            g, m = cut
            for column in self.layout.columns:
                if (cut, column.key) not in self.counts_shown:
                    continue
                tier = self.tier(cut, column)
                args = (column.members, self.gps(g), self.mps(m))
                published = [r for r in rows if r != ANSWERED or options == [ANSWERED]]
                answered_value = space.value(*args, options)
                offers.append(
                    (
                        (tier, 0, -answered_value, False),
                        _Offer(cut, column, ANSWERED, space.vector(*args, options), answered_value),
                    )
                )
                for r in published:
                    if r == ANSWERED:
                        continue
                    value = space.value(*args, [r])
                    offers.append(
                        (
                            (tier, 1, -value, False),
                            _Offer(cut, column, r, space.vector(*args, [r]), value),
                        )
                    )
                if number:
                    offers.append(
                        (
                            (tier, 0.5, 1, True),
                            _Offer(cut, column, SUM, space.vector(*args, [SUM]), None),
                        )
                    )
                elif scale_mean:
                    # A mean is a relation among the counts, offered like a cell after them
                    # and checked exactly (whole non-negative counts and a mean can pin a
                    # hidden count the linear algebra leaves open: 6 × «4», 2 hidden, mean 4,25).
                    n = space.value(*args, numeric)
                    if n:
                        vector, intervals = _mean_relation(space, args, numeric, weights)
                        offer = _Offer(cut, column, MEAN, vector, None, intervals)
                        offers.append(((tier, 2, -n, False), offer))
        offers = [o for _key, o in sorted(offers, key=lambda o: o[0])]
        level_parent = COUNTS if parent in (None, "complex") else parent
        link_row = None if level_parent == COUNTS else shown_by[0]
        shown_offers = self._settle(
            answer_id,
            space,
            offers,
            primaries,
            known,
            parents,
            level_parent,
            link_row,
            lambda sp, protection, keys: self._small_hidden_sums(sp, protection, keys, rows),
        )
        shown = {o.key for o in shown_offers}
        for offer in offers:
            if offer.row in (SUM, MEAN):
                continue
            figures.values[offer.key] = offer.value
            if offer.key in shown:
                figures.shown_keys.add(offer.key)
            elif offer.column.kind == "unit" and offer.value and offer.value >= self.k:
                self.hidden_single_dps.append(
                    (answer_id, offer.cut, offer.column.key, offer.row, offer.value)
                )
        for cut in self.cuts:
            for column in self.layout.columns:
                if (cut, column.key) not in self.counts_shown:
                    continue
                self._statistics(
                    figures,
                    space,
                    shown,
                    cut,
                    column,
                    options,
                    numeric,
                    weights,
                    number,
                    answer_id,
                )
        return shown

    def _small_hidden_sums(self, space, protection, shown, rows) -> list[dict[int, int]]:
        """Sums of hidden cells a reader can work out and that hold 1..k-1 people: the hidden
        rows of one column ("ja + Ikke besvart = 4"), and one row's hidden columns. Without a
        protection: every such sum, worked out or not."""
        found = []
        published = [r for r in rows if r != ANSWERED]
        for cut in self.cuts:
            columns = [c for c in self.layout.columns if (cut, c.key) in self.counts_shown]
            gps, mps = self.gps(cut[0]), self.mps(cut[1])
            for column in columns:
                hidden = [r for r in published if (cut, column.key, r) not in shown]
                # non-response together is no group of its own (NON_RESPONSE)
                if len(hidden) > 1 and not set(hidden) <= NON_RESPONSE:
                    found.append(space.vector(column.members, gps, mps, hidden))
            for r in published:
                hidden = [c for c in columns if c.kind != "total" and (cut, c.key, r) not in shown]
                if len(hidden) > 1:
                    units = sorted({u for c in hidden for u in c.members})
                    found.append(space.vector(units, gps, mps, [r]))
        small = []
        values = list(space.values.values())
        for vector in found:
            value = sum(values[i] for i in vector)
            if 0 < value < self.k and (protection is None or protection.determined(vector)):
                small.append(vector)
        return small

    def _statistics(
        self, figures, space, shown, cut, column, options, numeric, weights, number, answer_id
    ):
        key = (cut, column.key)
        args = (column.members, self.gps(cut[0]), self.mps(cut[1]))
        if number:
            n = space.value(*args, [ANSWERED])
            if (cut, column.key, SUM) in shown and (cut, column.key, ANSWERED) in shown and n:
                total = sum(
                    space.values.get((u, gp, mp, SUM), 0)
                    for u in args[0]
                    for gp in args[1]
                    for mp in args[2]
                )
                figures.means[key] = round(total / n, 2)
            return
        if not weights:
            return
        n = space.value(*args, numeric)
        decimals = self.rounded_means.get((answer_id, (cut, column.key, MEAN)))
        if n and decimals is not None:
            total = sum(weights[o] * space.value(*args, [o]) for o in numeric)
            figures.means[key] = _rounded(total, n, decimals) / 100
            figures.rounded_means[key] = decimals
        elif n and (cut, column.key, MEAN) in shown:
            total = sum(float(o) * space.value(*args, [o]) for o in numeric)
            figures.means[key] = round(total / n, 2)
        # the median only where the shown counts fix it, where it adds nothing
        if n:
            counts = {
                float(o): space.value(*args, [o]) if (cut, column.key, o) in shown else None
                for o in numeric
            }
            hidden_most = None  # answers in hidden rows: at most "answered" less the shown rows
            if (cut, column.key, ANSWERED) in shown:
                hidden_most = sum(
                    space.value(*args, [o]) for o in options if (cut, column.key, o) not in shown
                )
            median = fixed_median(counts, hidden_most)
            if median is not None:
                figures.medians[key] = median

    def _protect_child(self, joint: _Options, figures) -> None:
        """One option of a multiple choice: splits the parent's "answered" in two."""
        answer_id, option = joint.answer_id, joint.option
        space = joint.spaces[option]
        values = space.values
        rows = [option, NOT_CHOSEN]
        known, parents = [], []
        bases = sorted({(u, gp, mp) for (u, gp, mp, _r) in values})
        parents = [space.vector([u], [gp], [mp], rows) for u, gp, mp in bases]
        for cut, key, r in self.node_shown[answer_id]:
            if r == ANSWERED:
                column = self._column(key)
                known.append(space.vector(column.members, self.gps(cut[0]), self.mps(cut[1]), rows))
        gparts = sorted({gp for (_u, gp, _m, _r) in values}, key=str)
        primaries = self._primaries(space, [(option,), (NOT_CHOSEN,)], gparts)
        offers = []
        for cut in self.cuts:
            for column in self.layout.columns:
                if (cut, column.key) not in self.counts_shown:
                    continue
                args = (column.members, self.gps(cut[0]), self.mps(cut[1]))
                value = space.value(*args, [option])
                vector = space.vector(*args, [option])
                offers.append(
                    ((self.tier(cut, column), -value), _Offer(cut, column, option, vector, value))
                )
        offers = [o for _key, o in sorted(offers, key=lambda o: o[0])]
        name = _option_level(answer_id, option)
        shown = {
            o.key
            for o in self._settle(
                name, space, offers, primaries, known, parents, answer_id, ANSWERED, joint=joint
            )
        }
        for offer in offers:
            figures.values[offer.key] = offer.value
            if offer.key in shown:
                figures.shown_keys.add(offer.key)
            elif offer.column.kind == "unit" and offer.value >= self.k:
                self.hidden_single_dps.append(
                    (answer_id, offer.cut, offer.column.key, option, offer.value)
                )


def _shifted(vector: dict[int, int], offset: int) -> dict[int, int]:
    """The vector over atoms placed `offset` further on in a check."""
    return {offset + a: c for a, c in vector.items()}


def _links(space: _Space, start: int, parent: _Space, offset: int, link_row) -> list:
    """The equations that tie a level to its parent in a check: the level's rows at each atom
    of the parent sum to that atom (`link_row` of the parent). `start` and `offset` are where
    the two levels' atoms begin."""
    links = defaultdict(dict)
    for i, atom in enumerate(space.values):
        if atom[3] != SUM:
            links[atom[:3]][start + i] = 1
    equations = []
    for base, vector in links.items():
        j = parent.index.get((*base, link_row))
        if j is not None:
            vector[offset + j] = -1
        equations.append((vector, 0))
    return equations


def _option_level(answer_id: str, option: str) -> str:
    """The name of the level of one option of a multiple choice."""
    return f"{answer_id}:{option}"


def _grouped(units, key) -> list[tuple[str, list]]:
    """Units grouped by key, in the order the groups first appear."""
    groups: dict[str, list] = {}
    for unit in units:
        groups.setdefault(key(unit), []).append(unit)
    return list(groups.items())


def _level_column(key: str, members, kind: str, name: str) -> LayoutColumn:
    return LayoutColumn(
        key, tuple(u.id for u in members), tuple(u.name for u in members), kind, name
    )


def _form(vector: dict[int, int]) -> frozenset:
    return frozenset(vector.items())


def _distinct(vectors) -> list[dict[int, int]]:
    seen, found = set(), []
    for vector in vectors:
        form = _form(vector)
        if form not in seen:
            seen.add(form)
            found.append(vector)
    return found


def fixed_median(counts: dict[float, int | None], hidden_most: int | None) -> float | None:
    """The median every table with these counts has, whatever the hidden ones (None) hold, at
    most `hidden_most` answers together (None: any number); None where the hidden counts could
    move it. The median is the smallest value with at least half the answers at or below it;
    it is v in every table when half is at or below v even with the hidden answers all above,
    and less than half is below v even with them all below."""
    values = sorted(counts)
    shown = sum(c for c in counts.values() if c is not None)
    for v in values:
        at_or_below = sum(counts[w] or 0 for w in values if w <= v)
        below = sum(counts[w] or 0 for w in values if w < v)
        hidden_above = any(counts[w] is None for w in values if w > v)
        hidden_below = any(counts[w] is None for w in values if w < v)
        if hidden_most is None and (hidden_above or hidden_below):
            continue
        most = hidden_most or 0
        if 2 * at_or_below - shown - (most if hidden_above else 0) < 0:
            continue
        if 2 * below - shown + (most if hidden_below else 0) < 0:
            return v
    return None


def _rounded(total: int, n: int, decimals: int) -> int:
    """100 x the mean rounded half up to `decimals` (1 or 0), from 100 x the sum and the
    count (whole numbers: no float decides a rounding)."""
    step = 10 ** (2 - decimals)
    return step * ((total + step // 2 * n) // (step * n))


def _mean_relation(space: _Space, args, numeric, weights) -> tuple[dict[int, int], list]:
    """A column's mean over the counts of its numeric options (weights: 100 x each option's
    value): sum over rows of (weight - mean) x count = 0, and its other forms, the mean with
    one decimal or none, as (decimals, rows): R - h <= 100 x mean < R + h, with 100 x mean =
    total / n, as two rows (vector, low, high) over the counts."""
    n = space.value(*args, numeric)
    total = sum(weights[o] * space.value(*args, [o]) for o in numeric)
    vector = {}
    for o in numeric:
        c = weights[o] * n - total
        if c:
            vector.update(dict.fromkeys(space.vector(*args, [o]), c))
    intervals = []
    for decimals in (1, 0):
        step = 10 ** (2 - decimals)
        rounded = _rounded(total, n, decimals)
        rows = []
        for shift, low, high in ((step // 2, 0, math.inf), (-step // 2, -math.inf, -1)):
            row = {}
            for o in numeric:
                c = weights[o] - rounded + shift
                if c:
                    row.update(dict.fromkeys(space.vector(*args, [o]), c))
            if row:
                rows.append((row, low, high))
        intervals.append((decimals, rows))
    return vector, intervals


def _dot(vector: dict[int, int], space: _Space) -> int:
    values = list(space.values.values())
    return sum(c * values[a] for a, c in vector.items())


def _offer(protection: LinkedProtection, vector: dict[int, int], value: int | None) -> bool:
    """Offer one cell. A 0 tells the reader more than its sum: counts are never negative, so
    every atom in it is 0 (a hidden «Ikke aktuelt» at one unit beside a 0 in the total of
    interviews is 0 at that unit too). So a 0 is offered as each of its atoms, and shown only
    when all of them may be; atoms taken before a refusal stay taken, which can only hide
    more. A 0 the shown figures give already (17 answered = 12 + 5, so «Vil ikke svare» is
    0) is shown: hiding it hides nothing."""
    if value != 0:  # a count, or a relation (a mean, a sum of numbers): offered as it is
        return protection.offer(vector)
    if protection.determined(vector):
        return True
    return all(protection.offer({atom: 1}) for atom in vector)


def build_system(scope, questionnaire: Questionnaire, k: int) -> System:
    builder = _Builder(scope, questionnaire, k)
    counts, shown = builder.counts_level()
    figures = builder.questions()
    return System(
        builder.layout, builder.versions, counts, shown, figures, builder.hidden_single_dps
    )
