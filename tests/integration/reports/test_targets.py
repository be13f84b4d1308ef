"""Issue 11's targets on demo data (2000 responses, several seeds) in one ended period:
at most 5 hidden cells of single-DPS columns with a true count of 10 or more, at most 1 % of
the units' answers in hidden cells, a mean for every unit with 30+ answers to a scale, and
Orkdal's dissatisfied patients visible."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import Answer, Response
from surveyapp.demo import fill_demo_data
from surveyapp.reports import aggregate, publication
from surveyapp.reports.model import DECLINED, MISSING
from surveyapp.reports.periods import parse_period
from surveyapp.reports.summary import build_report

DAY = dt.date(2026, 3, 2)
LATER = dt.date(2026, 8, 1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("seed", [1, 3, 4])
def test_the_demo_workbook_hides_little(app, runner, seed):
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.extensions["db_sessionmaker"]() as session:
        fill_demo_data(session, "pasient", 2000, seed=seed)
        session.execute(update(Response).values(submitted_on=DAY))
        session.execute(update(Answer).values(submitted_on=DAY))
        session.commit()
        report = build_report(session, "pasient", min_count=5, today=LATER)
        scope = aggregate.Scope(session, "pasient")
        scope.period = parse_period("2026-H1")
        questionnaire = questionnaire_of(current_version(session, "pasient"))
        system = publication.protected_system(scope, questionnaire, 5)
    units = [c.key for c in report.columns if not c.key.startswith("_")]
    assert {"nidaros", "tiller", "orkdal"} <= set(units)

    # the true size of what the main view hides, from the protected system
    main = (None, None)
    large = [h for h in system.hidden_single_dps if h[1] == main and h[4] >= 10]
    assert len(large) <= 5, large
    shown = hidden = 0
    for figures in system.figures_by_answer.values():
        for (cut, column, row), value in figures.values.items():
            if cut != main or column not in units or row == publication.ANSWERED:
                continue
            shown += value or 0
            if (cut, column, row) not in figures.shown_keys:
                hidden += value or 0
    assert hidden <= 0.01 * shown

    for table in report.tables:
        for key in units:
            stat = table.statistics.get(key)
            answered = table.answered.get(key)
            if stat is not None and answered is not None and answered >= 30:
                assert stat.mean is not None, (table.answer_id, key)
    fornoyd = next(t for t in report.tables if t.answer_id == "fornoyd")
    orkdal = {
        r.value: r.cells["orkdal"].count for r in fornoyd.rows if r.value not in (DECLINED, MISSING)
    }
    assert orkdal["1"] is not None and orkdal["2"] is not None
