"""No suppressed count can be recovered from the figures one report shows.

Hypothesis generates response sets for the test questionnaire across the DPS units; the
attacker knows what every figure means and that columns and the total add up, reads the
percentages and means, and solves every linear system it can. The attack is written here
independently of the suppression code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from surveyapp.collect.versions import current_version
from surveyapp.db.models import Answer, Response, answers_of
from surveyapp.reports.model import DECLINED, MISSING, NOT_ASKED, SKIPPED, TOTAL
from surveyapp.reports.summary import build_report

K = 5
UNITS = ["nidaros", "tiller", "orkdal", "stjordal", "kolvereid"]
# None: the question was not shown (no row); SKIPPED: shown and left unanswered
ROLE = st.sampled_from(["pasient", "parorende", DECLINED, SKIPPED, None])
SCALE = st.sampled_from(["1", "2", "3", "4", "5", "9", DECLINED, SKIPPED, None])
HOW = (
    st.lists(st.sampled_from(["hap", "nav"]), unique=True, max_size=2)
    | st.just(["vet_ikke"])
    | st.just([SKIPPED])
)
RESPONSE = st.tuples(st.sampled_from(UNITS), ROLE, SCALE, HOW)


def insert_responses(session, version_id: int, responses) -> None:
    rows, answers = [], []
    for dps, role, scale, how in responses:
        rows.append(
            dict(
                id=secrets.token_hex(16),
                questionnaire_version_id=version_id,
                dps_id=dps,
                mode="self",
                submitted_on=dt.date(2026, 11, 20),
                date_precision="day",
                submission_key=secrets.token_hex(32),
                synthetic=True,
            )
        )
        given_answers = {
            "rolle": [role] if role else [],
            "hjalp": [scale] if scale else [],
            "hvordan": how,
        }
        answers += answers_of(
            rows[-1],
            [
                dict(
                    question_id=question_id,
                    position=position,
                    value=value,
                    number=None,
                    review=None,
                )
                for question_id, values in given_answers.items()
                for position, value in enumerate(values)
            ],
        )
    if rows:
        session.execute(insert(Response.__table__), rows)
    if answers:
        session.execute(insert(Answer.__table__), answers)
    session.commit()


def attack(report) -> list[str]:
    """Everything the attacker can work out; returns what should not have been possible."""
    problems = []
    for table in report.tables:
        keys = [c.key for c in report.columns]
        n = {c.key: c.responses for c in report.columns}
        known: dict[tuple, Fraction] = {}
        unknown: set[tuple] = set()
        for row in table.rows:
            for k in keys:
                cell = row.cells[k]
                figure = (row.value, k)
                if cell.count is None:
                    unknown.add(figure)
                else:
                    known[figure] = Fraction(cell.count)
                    if 0 < cell.count < K:
                        problems.append(f"{table.answer_id} shows {cell.count} in {k}")
        for k in keys:
            if table.answered[k] is None:
                unknown.add(("answered", k))
            else:
                known[("answered", k)] = Fraction(table.answered[k])
            for row in table.rows:  # a shown percent of a shown count gives "answered" away
                cell = row.cells[k]
                if cell.percent and cell.count is not None and ("answered", k) in unknown:
                    known[("answered", k)] = Fraction(cell.count) / Fraction(cell.percent)
                    unknown.discard(("answered", k))
        equations = []
        options = [r.value for r in table.rows if r.value not in (DECLINED, MISSING)]
        for k in keys:
            unknown.add((NOT_ASKED, k))  # never shown: those who were not asked the question
            equations.append(
                ({("answered", k): 1, (DECLINED, k): 1, (MISSING, k): 1, (NOT_ASKED, k): 1}, n[k])
            )
            if not table.multiple and options:
                equations.append(({**{(v, k): 1 for v in options}, ("answered", k): -1}, 0))
        if TOTAL in keys:
            for figure in ["answered", DECLINED, MISSING, NOT_ASKED, *options]:
                equations.append(
                    ({(figure, TOTAL): 1, **{(figure, k): -1 for k in keys if k != TOTAL}}, 0)
                )
        problems += [
            f"{table.answer_id}: {f} recovered"
            for f, value in solve(equations, known, unknown).items()
            if f[0] != NOT_ASKED or 0 < value < K  # not asked is unpublished, not hidden
        ]
    return problems


def solve(equations, known, unknown) -> dict:
    """The unknowns pinned down by the equations, with their values (Gauss-Jordan over the
    rationals)."""
    order = sorted(unknown, key=repr)
    rows = []
    for coefficients, constant in equations:
        row = [Fraction(coefficients.get(u, 0)) for u in order]
        rest = constant - sum(Fraction(c) * known[f] for f, c in coefficients.items() if f in known)
        if any(row):
            rows.append(row + [rest])
    pinned = {}
    rank = 0
    for column in range(len(order)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        rows[rank] = [a / rows[rank][column] for a in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                rows[r] = [
                    a - rows[r][column] * b for a, b in zip(rows[r], rows[rank], strict=True)
                ]
        rank += 1
    for row in rows[:rank]:
        nonzero = [c for c, a in enumerate(row[:-1]) if a != 0]
        if len(nonzero) == 1:
            pinned[order[nonzero[0]]] = row[-1]
    return pinned


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(responses=st.lists(RESPONSE, min_size=0, max_size=60))
def test_no_suppressed_count_can_be_worked_out(app, responses):
    with app.extensions["db_sessionmaker"]() as session:
        session.execute(Answer.__table__.delete())
        session.execute(Response.__table__.delete())
        session.commit()
        insert_responses(session, current_version(session, "flyt").id, responses)
        report = build_report(session, "flyt", min_count=K)
    assert not attack(report)
    for column in report.columns:
        assert column.responses >= K
