"""Issue 11's targets on demo data (2000 responses, several seeds) in each ended half-year:
at most 5 hidden cells of single-DPS columns with a true count of 10 or more, at most 1 % of
the units' answers in hidden cells, a mean for every unit with 30+ answers to a scale, and
Orkdal's dissatisfied patients visible."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.demo import fill_demo_data
from surveyapp.periods import parse_period
from surveyapp.reports import aggregate, publication
from surveyapp.reports.model import DECLINED, MISSING, Filters
from surveyapp.reports.summary import build_report

FILLED = dt.date(2026, 7, 1)  # demo-data run on this day fills 2025-H2 and 2026-H1
LATER = dt.date(2026, 8, 1)
# Each (seed, half-year) costs the protection of 2000 responses (about 10 s): the suite runs
# seed 1, `SURVEYAPP_TARGET_SEEDS=1,2,3,4,5` runs more (docs/development.md).
SEEDS = [int(s) for s in os.environ.get("SURVEYAPP_TARGET_SEEDS", "1").split(",")]
PERIODS = ["2026-H1", "2025-H2"]  # the workbook a reader opens first, and the one before
_measured: dict[tuple, tuple] = {}  # (seed, period) -> what protected_demo returned


def protected_demo(app, runner, seed, period_id="2026-H1"):
    """The report and the protected system of one half-year of `surveyapp demo-data
    --responses 2000 --seed S`: 2000 responses in each of the two half-years (built once per
    seed and half-year in a worker)."""
    if (seed, period_id) in _measured:
        return _measured[(seed, period_id)]
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.extensions["db_sessionmaker"]() as session:
        fill_demo_data(session, "pasient", 2000, seed=seed, today=FILLED)
        period = parse_period(period_id)
        report = build_report(
            session, "pasient", min_count=5, today=LATER, filters=Filters(period=period_id)
        )
        scope = aggregate.Scope(session, "pasient")
        scope.period = period
        questionnaire = publication.asked_with(
            scope, questionnaire_of(current_version(session, "pasient"))
        )
        system = publication.protected_system(scope, questionnaire, 5)
    units = [c.key for c in report.columns if not c.key.startswith("_")]
    assert {"nidaros", "tiller", "orkdal"} <= set(units)
    assert sum(system.count(MAIN, c) for c in units) > 1900  # nearly all of the 2000
    _measured[(seed, period_id)] = report, system, units
    return report, system, units


MAIN = (None, None)  # all groups, both modes


def large_hidden(system) -> list:
    """Cells of single-DPS columns in the main view with a true count of 10 or more, hidden."""
    return [h for h in system.hidden_single_dps if h[1] == MAIN and h[4] >= 10]


def measure(report, system, units) -> tuple[list, float, list]:
    """(large hidden cells, share of the units' answers hidden, units of 30+ answers to a
    scale whose mean is hidden), in the main view."""
    shown = hidden = 0
    for figures in system.figures_by_answer.values():
        for (cut, column, row), value in figures.values.items():
            if cut != MAIN or column not in units or row == publication.ANSWERED:
                continue
            shown += value or 0
            if (cut, column, row) not in figures.shown_keys:
                hidden += value or 0
    no_mean = []
    for table in report.tables:
        for key in units:
            stat = table.statistics.get(key)
            answered = table.answered.get(key)
            if stat is not None and answered is not None and answered >= 30 and stat.mean is None:
                no_mean.append((table.answer_id, key))
    return large_hidden(system), hidden / shown, no_mean


# Half-years measured short of the targets among seeds 1-20 (docs/disclosure-design.md,
# «Targets»): 6 single-DPS cells of 10 or more hidden, one more than the target, each the
# least any cell suppression hides (test_each_large_hidden_cell_is_the_least_any_suppression_hides)
SHORT = {(11, "2026-H1"), (16, "2026-H1"), (19, "2026-H1")}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("seed", "period_id"),
    [
        pytest.param(
            seed,
            period,
            marks=pytest.mark.xfail(strict=True, reason="6 cells of 10+ hidden, each forced"),
        )
        if (seed, period) in SHORT
        else (seed, period)
        for seed in SEEDS
        for period in PERIODS
    ],
)
def test_the_demo_workbook_meets_the_issues_targets(app, runner, seed, period_id):
    report, system, units = protected_demo(app, runner, seed, period_id)
    fornoyd = next(t for t in report.tables if t.answer_id == "fornoyd_kontakt")
    orkdal = {
        r.value: r.cells["orkdal"].count for r in fornoyd.rows if r.value not in (DECLINED, MISSING)
    }
    assert orkdal["1"] is not None and orkdal["2"] is not None  # its dissatisfied are shown
    large, share, no_mean = measure(report, system, units)
    assert len(large) <= 5, large
    assert share <= 0.01, share
    assert not no_mean, no_mean


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("seed", SEEDS)
def test_each_large_hidden_cell_is_the_least_any_suppression_hides(app, runner, seed):
    """A unit's column shows how many answered, so a hidden small count needs another hidden
    option cell beside it (or, with it, a sum of at least k). Every large hidden cell is the
    smallest option cell of its column beside the hidden small counts: every pattern of hidden
    cells that protects them hides one at least as large (or the column's total)."""
    _report, system, _units = protected_demo(app, runner, seed)
    for answer_id, cut, column, row, value in large_hidden(system):
        figures = system.figures_by_answer[answer_id]
        options = {
            r: (v, (c, k, r) in figures.shown_keys)
            for (c, k, r), v in figures.values.items()
            if (c, k) == (cut, column)
            and r != publication.ANSWERED
            and r not in publication.NON_RESPONSE
        }
        small = {r: v for r, (v, shown) in options.items() if not shown and 0 < v < 5}
        # one small count, or several that together are still fewer than k, and the total
        assert len(small) == 1 or (small and sum(small.values()) < 5), (column, options)
        assert (cut, column, publication.ANSWERED) in figures.shown_keys
        others = [v for r, (v, _shown) in options.items() if r != row and r not in small]
        assert all(v >= value for v in others), (answer_id, column, row, options)
