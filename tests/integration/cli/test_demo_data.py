"""`surveyapp demo-data`: synthetic responses to try the dashboard, never mixed with real ones."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from surveyapp.collect.submission import DECLINED, store_response, visible_questions
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import Response
from surveyapp.demo import (
    FREE_TEXTS,
    PROFILES,
    closed_half_years,
    fill_demo_data,
    synthetic_answers,
)
from surveyapp.questionnaire import QuestionType, load_file
from surveyapp.reports.model import Filters
from surveyapp.reports.summary import build_report
from tests.conftest import QUESTIONNAIRES


def test_demo_data_fills_the_database_with_marked_synthetic_responses(runner, db):
    result = runner.invoke(args=["demo-data", "--responses", "1000", "--seed", "7"])
    assert result.exit_code == 0, result.output
    # the count is per half-year: the two that ended last get 1000 each
    assert db.scalar(select(func.count()).select_from(Response)) == 2000
    assert "2000 syntetiske svar er lagt inn: 1000 i hvert av halvårene" in result.output
    assert db.scalar(select(func.count()).where(Response.synthetic.is_(False))) == 0
    import datetime as dt

    later = dt.date.today() + dt.timedelta(days=400)  # every period of the demo has ended
    first = build_report(db, "pasient", min_count=5, today=later)
    reports = [
        build_report(db, "pasient", min_count=5, today=later, filters=Filters(period=p))
        for p in first.periods
    ]
    with_figures = [r for r in reports if r.columns]
    assert len(with_figures) == 2  # the demo fills two half-years
    for report in with_figures:  # all but the few answers of the smallest units
        assert 950 < sum(c.responses for c in report.columns if not c.key.startswith("_")) <= 1000
    # those units are too few even pooled in one half-year: the pool, and the total that
    # would reveal it, are named as not shown
    for report in with_figures:
        assert {"nidaros", "tiller", "orkdal"} <= {c.key for c in report.columns}
        assert any(c.key == "_total" for c in report.columns) or report.not_shown


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


def _stored(db, questionnaire_id: str):
    """Each stored response of a questionnaire with its answers, as the server would see them."""
    from surveyapp.db.models import Answer, QuestionnaireVersion

    rows = db.execute(
        select(Response.id, Response.dps_id, Response.submitted_on, Response.mode)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
    ).all()
    answers: dict[str, dict[str, list[str]]] = {r.id: {} for r in rows}
    for response_id, question_id, value in db.execute(
        select(Answer.response_id, Answer.question_id, Answer.value).order_by(Answer.position)
    ):
        if response_id in answers:
            answers[response_id].setdefault(question_id, []).append(value)
    return rows, answers


@pytest.mark.parametrize(
    ("questionnaire_id", "count"), [("pasient", 300), ("erfaringskonsulent", 20), ("leder", 15)]
)
def test_demo_answers_follow_the_questionnaire(db, questionnaire_id, count):
    assert fill_demo_data(db, questionnaire_id, count, seed=3, today=dt.date(2026, 12, 1)) == (
        2 * count
    )
    questionnaire = questionnaire_of(current_version(db, questionnaire_id))
    rows, answers = _stored(db, questionnaire_id)
    assert len(rows) == 2 * count  # `count` in each of the two half-years
    assert {r.mode for r in rows} == {questionnaire.modes[0].value}
    required = [q for q in questionnaire.questions() if q.required]
    for response in rows:
        given = answers[response.id]
        shown = visible_questions(questionnaire, given)
        assert {aid.split(".")[0] for aid in given} <= shown  # nothing answered that was hidden
        for question in required:
            if question.id in shown:
                assert given.get(question.id, [DECLINED]) != [DECLINED]
        for answer_id, values in given.items():
            question = questionnaire.question(answer_id.split(".")[0])
            if question.type in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
                assert values[0] in FREE_TEXTS[question.id]  # a text that fits its question


@pytest.mark.parametrize("precision", ["day", "week"])
def test_demo_responses_fill_each_of_the_last_two_closed_half_years_with_the_count(db, precision):
    fill_demo_data(db, "pasient", 200, seed=3, today=dt.date(2026, 12, 1), date_precision=precision)
    rows, _ = _stored(db, "pasient")
    dates = [r.submitted_on for r in rows]
    assert min(dates) >= dt.date(2025, 7, 1) and max(dates) <= dt.date(2026, 6, 30)
    assert sum(d <= dt.date(2025, 12, 31) for d in dates) == 200
    assert sum(d >= dt.date(2026, 1, 1) for d in dates) == 200


def test_closed_half_years_end_before_today():
    assert closed_half_years(dt.date(2026, 12, 1)) == [
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ]
    assert closed_half_years(dt.date(2026, 7, 1)) == [
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ]
    assert closed_half_years(dt.date(2026, 6, 30))[-1] == (
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
    )


def test_demo_units_differ_where_the_demo_says_they_do(db):
    fill_demo_data(db, "pasient", 1000, seed=3, today=dt.date(2026, 12, 1))
    rows, answers = _stored(db, "pasient")
    unit_of = {r.id: r.dps_id for r in rows}

    def mean(unit, ids, other=False):
        values = [
            float(v[0])
            for rid, given in answers.items()
            if (unit_of[rid] == unit) != other
            for aid, v in given.items()
            if aid in ids and v[0] not in ("9", DECLINED)
        ]
        return sum(values) / len(values)

    def met(unit, other=False):
        values = [
            given["mott_ek"][0] == "ja"
            for rid, given in answers.items()
            if (unit_of[rid] == unit) != other and "mott_ek" in given
        ]
        return sum(values) / len(values)

    kin = {"parorende_som_onsket", "involvert_som_parorende"}
    assert mean("tiller", kin) > mean("tiller", kin, other=True) + 0.6
    assert met("orkdal") < met("orkdal", other=True) - 0.2


def test_demo_answers_are_the_same_for_the_same_seed():
    questionnaire = load_file(QUESTIONNAIRES / "pasient.yaml").questionnaire
    profile = PROFILES["tiller"]
    first = [synthetic_answers(questionnaire, random.Random(9), profile=profile) for _ in range(1)]
    again = [synthetic_answers(questionnaire, random.Random(9), profile=profile) for _ in range(1)]
    other = [synthetic_answers(questionnaire, random.Random(10), profile=profile) for _ in range(1)]
    assert first == again != other
