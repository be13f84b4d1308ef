"""An attacker who sees every view the app produces and solves for what is hidden.

Written without importing the protection code: it asks build_report for every cut (each
group value or all x each mode or both x each level: units, DPS areas, health trusts,
Trøndelag) of every period, collects every number shown
(response counts, counts, "answered", means), models the unknowns as non-negative integers
with what the questionnaire says (every response has one role part and one mode; `hjalp` and
`hvordan` are asked exactly of those who answered `mott` = ja; whoever answers the multiple
choice `hvordan` chooses at least one option, and «Vet ikke» only alone, which are inequalities
between its options), and for every small figure solves min and
max with scipy's milp (HiGHS): every hidden cell, every atom (one unit, role part, mode and
row), and the sum of the hidden rows of each column (unless they are only the non-response
rows, see docs/disclosure-design.md). It must pin none of them down.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from sqlalchemy import insert

from surveyapp.collect.versions import current_version
from surveyapp.db.models import Answer, Response, answers_of
from surveyapp.db.seed import all_units
from surveyapp.reports.model import DECLINED, MISSING, TOTAL, Filters
from surveyapp.reports.summary import build_report

K = 5
LATER = dt.date(2027, 1, 10)
PERIODS = {"2026-H1": dt.date(2026, 3, 1), "2026-H2": dt.date(2026, 9, 1)}
UNITS = ["nidaros", "tiller", "orkdal", "namsos", "kolvereid"]
ROLES = ["pasient", "parorende", "_other"]
MODES = ["self", "interview"]
LEVELS = ["unit", "area", "trust", "region"]  # units, official DPS areas, trusts, Trøndelag
MOTT = ["ja", "nei", "vet_ikke", DECLINED, MISSING]
HJALP = ["1", "2", "3", "4", "5", "9", DECLINED, MISSING]
ANSWERED = "_answered"
HVORDAN = ["hap", "nav", "vet_ikke"]
EXCLUSIVE = "vet_ikke"  # chosen only alone
HVORDAN_ROWS = [*HVORDAN, ANSWERED, DECLINED, MISSING]

RESPONSE = st.tuples(
    st.sampled_from(list(PERIODS)),
    st.sampled_from(UNITS),
    st.sampled_from(["pasient", "parorende", DECLINED]),
    st.sampled_from(MODES),
    st.sampled_from(["ja", "nei", None]),
    st.sampled_from(["1", "2", "4", "9", None]),
    st.sampled_from([None, ("hap",), ("nav",), ("hap", "nav"), ("vet_ikke",), (DECLINED,)]),
)


def insert_responses(session, version_id, responses):
    rows, answers = [], []
    for period, dps, role, mode, mott, hjalp, *more in responses:
        hvordan = more[0] if more else None  # other tests give six fields, without `hvordan`
        rows.append(
            dict(
                id=secrets.token_hex(16),
                questionnaire_version_id=version_id,
                dps_id=dps,
                mode=mode,
                submitted_on=PERIODS[period],
                date_precision="day",
                submission_key=secrets.token_hex(32),
                synthetic=True,
            )
        )
        given_answers = {"rolle": [role]}
        if mott:
            given_answers["mott"] = [mott]
            if mott == "ja" and hjalp:
                given_answers["hjalp"] = [hjalp]
            if mott == "ja" and hvordan:
                given_answers["hvordan"] = list(hvordan)
        answers += answers_of(
            rows[-1],
            [
                dict(question_id=q, position=i, value=v, number=None, review=None)
                for q, values in given_answers.items()
                for i, v in enumerate(values)
            ],
        )
    if rows:
        session.execute(insert(Response.__table__), rows)
        session.execute(insert(Answer.__table__), answers)
    session.commit()


class Model:
    """Unknowns of one period: n[u, role, mode], mott[u, role, mode, row], hjalp[...], and
    hvordan[...] (how many chose each option, answered, declined, skipped)."""

    def __init__(self):
        self.index = {}
        for u, r, m in itertools.product(UNITS, ROLES, MODES):
            self._var(("n", u, r, m))
            for row in MOTT:
                self._var(("mott", u, r, m, row))
            for row in HJALP:
                self._var(("hjalp", u, r, m, row))
            for row in HVORDAN_ROWS:
                self._var(("hvordan", u, r, m, row))
        self.rows, self.low, self.high = [], [], []
        for u, r, m in itertools.product(UNITS, ROLES, MODES):
            n = ("n", u, r, m)
            self.equal({**{("mott", u, r, m, row): 1 for row in MOTT}, n: -1}, 0)
            self.equal(
                {**{("hjalp", u, r, m, row): 1 for row in HJALP}, ("mott", u, r, m, "ja"): -1}, 0
            )
            hvordan = {row: ("hvordan", u, r, m, row) for row in HVORDAN_ROWS}
            self.equal(
                {hvordan[ANSWERED]: 1, hvordan[DECLINED]: 1, hvordan[MISSING]: 1}
                | {("mott", u, r, m, "ja"): -1},
                0,
            )
            # each who answered chose an option; «Vet ikke» only alone
            chose = {hvordan[o]: 1 for o in HVORDAN}
            self.between({**chose, hvordan[ANSWERED]: -1}, 0, np.inf)
            for option in (o for o in HVORDAN if o != EXCLUSIVE):
                together = {hvordan[option]: 1, hvordan[EXCLUSIVE]: 1, hvordan[ANSWERED]: -1}
                self.between(together, -np.inf, 0)

    def _var(self, key):
        self.index[key] = len(self.index)

    def equal(self, coefficients, value):
        self.between(coefficients, value, value)

    def between(self, coefficients, low, high):
        row = np.zeros(len(self.index))
        for key, c in coefficients.items():
            row[self.index[key]] += c
        self.rows.append(row)
        self.low.append(low)
        self.high.append(high)

    def bounds_of(self, coefficients):
        c = np.zeros(len(self.index))
        for key, w in coefficients.items():
            c[self.index[key]] += w
        constraint = LinearConstraint(np.array(self.rows), self.low, self.high)
        found = []
        for sign in (1, -1):
            result = milp(
                sign * c,
                constraints=constraint,
                integrality=np.ones(len(c)),
                bounds=Bounds(0, 10_000),
            )
            assert result.status == 0, result.message
            found.append(round(sign * result.fun))
        return found[0], found[1]


def box(kind, units, roles, modes, rows=(None,)):
    if kind == "n":
        return {("n", u, r, m): 1 for u in units for r in roles for m in modes}
    return {(kind, u, r, m, row): 1 for u in units for r in roles for m in modes for row in rows}


def members_of(column, names):
    if column.key == TOTAL:
        return UNITS
    if column.units:
        return [names[n] for n in column.units]
    return [column.key]


def observe(session, model, period, names, truth):
    """Every view of the period: add what it shows; return the hidden small figures."""
    suspects = []
    cuts = itertools.product([None, "pasient", "parorende"], [None, *MODES], LEVELS)
    for group, mode, level in cuts:
        filters = Filters(
            period=period, mode=mode, group=("rolle", group) if group else None, level=level
        )
        report = build_report(session, "flyt", filters=filters, min_count=K, today=LATER)
        roles = ROLES if group is None else [group]
        modes = MODES if mode is None else [mode]
        for column in report.columns:
            units = members_of(column, names)
            model.equal(box("n", units, roles, modes), column.responses)
            for table in report.tables:
                if table.answer_id == "hvordan":
                    observe_multiple(model, table, column, units, roles, modes, truth, suspects)
                if table.answer_id not in ("mott", "hjalp"):
                    continue
                kind = table.answer_id
                hidden_rows = [r.value for r in table.rows if r.cells[column.key].count is None]
                # "ja + Ikke besvart = 4" is a small group too. Only non-response together
                # ("Vil ikke svare" + "Ikke besvart") may be known: how many of those asked
                # gave no answer, never what anyone answered (docs/disclosure-design.md).
                non_response = set(hidden_rows) <= {DECLINED, MISSING}
                if len(hidden_rows) > 1 and not non_response:
                    together = box(kind, units, roles, modes, hidden_rows)
                    if 0 < truth(together) < K:
                        suspects.append(together)
                observe_rows(model, table, column, (kind, units, roles, modes), truth, suspects)
                answered = table.answered[column.key]
                options = [r.value for r in table.rows if r.value not in (DECLINED, MISSING)]
                if answered is not None:
                    model.equal(box(kind, units, roles, modes, options), answered)
                stat = table.statistics.get(column.key)
                if stat is not None and stat.mean is not None:
                    numeric = [o for o in options if o != "9"]
                    weights = {}
                    for o in numeric:
                        for k in box(kind, units, roles, modes, [o]):
                            weights[k] = float(o) - stat.mean
                    # published with `decimals`: the true mean is within half a step of it
                    half = 0.5 * 10.0**-stat.decimals
                    model.between({k: w + half for k, w in weights.items()}, 0, np.inf)
                    model.between({k: w - half for k, w in weights.items()}, -np.inf, 0)
    return suspects


def observe_rows(model, table, column, where, truth, suspects) -> None:
    """Each row of one column: a shown count is an equation (and never small), a hidden small
    one a suspect. `where` is (kind, units, roles, modes) of the column's unknowns."""
    for row in table.rows:
        count = row.cells[column.key].count
        key = box(*where, [row.value])
        if count is None:
            if 0 < truth(key) < K:
                suspects.append(key)
        else:
            assert not 0 < count < K
            model.equal(key, count)


def observe_multiple(model, table, column, units, roles, modes, truth, suspects) -> None:
    """A multiple choice: each option's row counts those who chose it (they overlap), and
    "answered" those who chose any."""
    observe_rows(model, table, column, ("hvordan", units, roles, modes), truth, suspects)
    answered = table.answered[column.key]
    if answered is not None:
        model.equal(box("hvordan", units, roles, modes, [ANSWERED]), answered)


def true_counts(responses, period):
    counts = {}
    for p, dps, role, mode, mott, hjalp, hvordan in responses:
        if p != period:
            continue
        r = role if role in ("pasient", "parorende") else "_other"
        keys = [("n", dps, r, mode), ("mott", dps, r, mode, mott or MISSING)]
        if mott == "ja":
            keys.append(("hjalp", dps, r, mode, hjalp or MISSING))
            if hvordan in (None, (DECLINED,)):
                keys.append(("hvordan", dps, r, mode, DECLINED if hvordan else MISSING))
            else:
                keys += [("hvordan", dps, r, mode, o) for o in (ANSWERED, *hvordan)]
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return lambda coefficients: sum(counts.get(k, 0) for k in coefficients)


# Found by this attacker (hypothesis) after the merge of issue 11: Nidaros has one «nei» to
# `mott` beside ten «ja», one of them from a respondent who declined `rolle`, interviewed. The
# views pinned that «nei»: `hjalp` answered by 10 at Nidaros, with its «Ikke besvart» hidden
# but never below 0, says «ja» >= 10, and `mott` answered by 11 with the interview and group
# views bound it from above; the linear check sees no inequality. Mended by the exact check
# (reports.linked.IntegerCheck, docs/disclosure-design.md).
FOUND_LEAK = [("2026-H1", "nidaros", "pasient", "self", "ja", "1", None)] * 9 + [
    ("2026-H1", "nidaros", "pasient", "self", "nei", "9", None),
    ("2026-H1", "orkdal", "pasient", "interview", "ja", None, None),
    ("2026-H1", "kolvereid", "pasient", "interview", "ja", "2", None),
    ("2026-H1", "namsos", "pasient", "self", None, "1", None),
    ("2026-H1", "tiller", "parorende", "interview", None, "2", None),
    ("2026-H1", "orkdal", "pasient", "interview", "nei", "4", None),
    ("2026-H1", "nidaros", DECLINED, "interview", "ja", "2", None),
    ("2026-H1", "kolvereid", "pasient", "interview", None, "1", None),
    ("2026-H1", "kolvereid", "parorende", "self", "ja", None, None),
    ("2026-H1", "kolvereid", DECLINED, "self", None, None, None),
    ("2026-H1", "orkdal", "parorende", "interview", "nei", "2", None),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, None),
    ("2026-H1", "tiller", "pasient", "self", "nei", None, None),
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
# derandomize: the same examples on every machine, so CI does not pass or fail by chance;
# what a random search finds is kept below as a case of its own
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(responses=st.lists(RESPONSE, min_size=5, max_size=45))
def test_an_attacker_with_every_view_pins_no_small_figure(app, responses):
    attack(app, responses)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_attacker_pins_nothing_in_the_case_it_found(app):
    attack(app, FOUND_LEAK)


# Nobody at Nidaros or Tiller chose both options: there «hap» + «nav» = answered, and the
# inequalities would pin Nidaros's two «nav» from Tiller's. The protection has no
# inequalities between options, but those who did not choose «hap» at Nidaros are the same
# two, a primary of the «hap» level, so «hap» is hidden there too.
NO_ONE_CHOSE_BOTH = (
    [("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",))] * 8
    + [("2026-H1", "nidaros", "pasient", "self", "ja", None, ("nav",))] * 2
    + [("2026-H1", "tiller", "pasient", "self", "ja", None, ("hap",))] * 13
    + [("2026-H1", "tiller", "pasient", "self", "ja", None, ("nav",))] * 7
    + [("2026-H1", "orkdal", "pasient", "self", "ja", None, ("hap", "nav"))] * 9
    + [("2026-H1", "orkdal", "pasient", "self", "ja", None, ("vet_ikke",))] * 2
)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_attacker_pins_nothing_where_no_one_chose_two_options(app):
    attack(app, NO_ONE_CHOSE_BOTH)


# Found by this attacker (hypothesis, weighted towards single choices) on 2026-12-04, before
# the exact check held the options of a multiple choice together: Tiller's patients, self-
# filled, chose «Vet ikke» 4 times. Whoever answers chooses an option, «Vet ikke» only alone,
# and those inequalities with the shown figures pinned the 4. Mended by checking each option
# with the others and these inequalities (publication._Builder._other_options).
FOUND_MULTIPLE_CHOICE_LEAK = [
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "parorende", "self", "ja", None, ("vet_ikke",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("vet_ikke",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("vet_ikke",)),
    ("2026-H1", "tiller", "pasient", "interview", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "interview", "ja", None, ("hap",)),
    ("2026-H1", "nidaros", "pasient", "interview", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "interview", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("vet_ikke",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("vet_ikke",)),
    ("2026-H1", "orkdal", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("hap",)),
    ("2026-H1", "orkdal", "pasient", "interview", "ja", None, ("vet_ikke",)),
    ("2026-H1", "tiller", "pasient", "self", "ja", None, ("nav",)),
    ("2026-H1", "orkdal", "pasient", "interview", "ja", None, ("hap",)),
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_attacker_pins_nothing_in_the_multiple_choice_case_it_found(app):
    attack(app, FOUND_MULTIPLE_CHOICE_LEAK)


def attack(app, responses) -> None:
    with app.extensions["db_sessionmaker"]() as session:
        session.execute(Answer.__table__.delete())
        session.execute(Response.__table__.delete())
        session.commit()
        insert_responses(session, current_version(session, "flyt").id, responses)
        names = {u.name: u.id for u in all_units(session)}
        for period in PERIODS:
            model = Model()
            truth = true_counts(responses, period)
            suspects = observe(session, model, period, names, truth)
            # the finest groups too: one unit, one role part, one mode, one row
            for key in list(model.index):
                if 0 < truth({key: 1}) < K:
                    suspects.append({key: 1})
            for key in suspects:
                low, high = model.bounds_of(key)
                assert low <= truth(key) <= high
                assert low != high, f"{period}: {sorted(key)} pinned at {low}"


def test_nested_dates_and_versions_are_refused(app, db):
    """The old attacks of issue 11 (1-10 March against 1-11 March; a version against all)
    cannot be asked for: the filters no longer exist, and asking is refused."""
    from surveyapp.reports.filters import parse_filters

    for args in ({"fra": "2026-03-01", "til": "2026-03-10"}, {"versjon": "3"}):
        parsed = parse_filters(args)
        assert parsed.problems and parsed.problems[0].code == "filter_retired"
