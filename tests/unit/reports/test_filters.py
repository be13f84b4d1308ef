"""Report filters from query arguments: parsed with problems as data, written back, in words."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from surveyapp.reports.filters import (
    FilterProblem,
    describe,
    filter_args,
    parse_filters,
)
from surveyapp.reports.model import Filters

GROUPS = {"rolle": {"pasient", "parorende"}}


def gettext(text: str, **values) -> str:
    return text % values if values else text


def test_no_arguments_mean_no_filter():
    parsed = parse_filters(MultiDict())
    assert parsed.filters == Filters() and parsed.problems == []


PERIODS = ["2026-H2", "2026-H1"]


def test_every_filter_is_read():
    args = MultiDict([("periode", "2026-H1"), ("modus", "interview"), ("gruppe", "rolle:pasient")])
    parsed = parse_filters(args, periods=PERIODS, modes=["self", "interview"], groups=GROUPS)
    assert parsed.problems == []
    assert parsed.filters == Filters(period="2026-H1", mode="interview", group=("rolle", "pasient"))


def test_empty_fields_from_the_form_are_no_filter():
    args = MultiDict([("periode", ""), ("modus", ""), ("gruppe", "")])
    parsed = parse_filters(args, periods=PERIODS, modes=["self"], groups=GROUPS)
    assert parsed.filters == Filters() and parsed.problems == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"fra": "2026-03-01"}, FilterProblem("fra", "filter_retired")),
        ({"til": "2026-03-10"}, FilterProblem("til", "filter_retired")),
        ({"versjon": "3"}, FilterProblem("versjon", "filter_retired")),
        ({"periode": "2026-03-01"}, FilterProblem("periode", "period_invalid")),
        ({"periode": "2026-H3"}, FilterProblem("periode", "period_invalid")),
        ({"periode": "2024-H1"}, FilterProblem("periode", "period_unknown")),
        ({"periode": "x" * 500}, FilterProblem("periode", "period_invalid")),
        ({"modus": "telefon"}, FilterProblem("modus", "mode_invalid")),
        ({"modus": "interview"}, FilterProblem("modus", "mode_unknown")),
        ({"gruppe": "rolle"}, FilterProblem("gruppe", "group_invalid")),
        ({"gruppe": "alder:u30"}, FilterProblem("gruppe", "group_unknown")),
        ({"gruppe": "rolle:ukjent"}, FilterProblem("gruppe", "group_unknown")),
    ],
)
def test_bad_input_is_a_problem_and_leaves_the_report_unfiltered(args, problem):
    parsed = parse_filters(args, periods=PERIODS, modes=["self"], groups=GROUPS)
    assert parsed.problems == [problem]
    assert parsed.filters == Filters()


def test_every_problem_is_reported_at_once():
    parsed = parse_filters({"fra": "x", "periode": "nei", "modus": "y"}, periods=PERIODS)
    assert [p.argument for p in parsed.problems] == ["fra", "periode", "modus"]


def test_every_problem_has_words():
    from surveyapp.reports.filters import problem_text

    for code in ("filter_retired", "period_invalid", "period_unknown", "mode_invalid"):
        assert problem_text(FilterProblem("periode", code), gettext)


def test_filters_survive_the_trip_through_query_arguments():
    filters = Filters(period="2026-H1", mode="self", group=("rolle", "parorende"))
    args = filter_args(filters)
    assert args == {"periode": "2026-H1", "modus": "self", "gruppe": "rolle:parorende"}
    assert parse_filters(args, periods=PERIODS, groups=GROUPS).filters == filters
    assert filter_args(Filters()) == {}


def test_filters_in_words():
    filters = Filters(period="2026-H1", mode="interview", group=("rolle", "pasient"))
    assert describe(filters, gettext) == (
        "Halvåret 2026-H1; bare intervjuer; bare de som svarte «pasient» på «rolle»"
    )
    assert describe(Filters(), gettext) == "Alle svar, uten filter"


def test_filters_in_words_use_the_questionnaires_labels():
    from surveyapp.questionnaire import Question, QuestionType
    from surveyapp.questionnaire.model import Choice, Page, Questionnaire, Text

    question = Question(
        "rolle",
        QuestionType.SINGLE_CHOICE,
        Text(nb="Hvem svarer?"),
        choices=(Choice("pasient", Text(nb="Pasient")),),
    )
    questionnaire = Questionnaire(
        "flyt", Text(nb="Test"), None, (), (Page("om", Text(nb="Om"), questions=(question,)),)
    )
    words = describe(Filters(group=("rolle", "pasient")), gettext, questionnaire=questionnaire)
    assert words == "Bare de som svarte «Pasient» på «Hvem svarer?»"
