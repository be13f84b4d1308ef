"""`surveyapp demo-data`: synthetic responses to try the dashboard, never mixed with real ones."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from surveyapp.collect.submission import store_response
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import Response
from surveyapp.reports.model import Filters
from surveyapp.reports.summary import build_report


def test_demo_data_fills_the_database_with_marked_synthetic_responses(runner, db):
    result = runner.invoke(args=["demo-data", "--responses", "2000", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(func.count()).select_from(Response)) == 2000
    assert db.scalar(select(func.count()).where(Response.synthetic.is_(False))) == 0
    import datetime as dt

    later = dt.date.today() + dt.timedelta(days=400)  # every period of the demo has ended
    first = build_report(db, "pasient", min_count=5, today=later)
    reports = [
        build_report(db, "pasient", min_count=5, today=later, filters=Filters(period=p))
        for p in first.periods
    ]
    totals = [c.responses for r in reports for c in r.columns if c.key == "_total"]
    assert totals and sum(totals) <= 2000  # a period's total may be hidden (it would reveal a pool)
    assert any(c.units for r in reports for c in r.columns)  # the small units are pooled


def test_demo_data_is_refused_on_a_database_with_real_responses(app, runner, db):
    version = current_version(db, "flyt")
    store_response(
        db,
        version=version,
        questionnaire=questionnaire_of(version),
        dps_id="tiller",
        mode="self",
        answers={"rolle": ["pasient"]},
        submission_key="r" * 20,
        today=dt.date(2026, 11, 20),
    )
    result = runner.invoke(args=["demo-data", "--responses", "10"])
    assert result.exit_code != 0
    assert "ekte svar" in result.output
    assert db.scalar(select(func.count()).select_from(Response)) == 1


def test_demo_data_for_an_unknown_questionnaire_says_so(runner):
    result = runner.invoke(args=["demo-data", "--responses", "10", "--questionnaire", "nei"])
    assert result.exit_code != 0 and "nei" in result.output
