"""Report filters from query arguments: parsed with problems as data, written back, in words."""

from __future__ import annotations

import datetime as dt

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


def test_every_filter_is_read():
    args = MultiDict(
        [
            ("fra", "2026-11-01"),
            ("til", "2026-11-30"),
            ("versjon", "4"),
            ("versjon", "2"),
            ("modus", "interview"),
            ("gruppe", "rolle:pasient"),
        ]
    )
    parsed = parse_filters(args, version_ids=[2, 4], groups=GROUPS)
    assert parsed.problems == []
    assert parsed.filters == Filters(
        date_from=dt.date(2026, 11, 1),
        date_to=dt.date(2026, 11, 30),
        version_ids=(2, 4),
        mode="interview",
        group=("rolle", "pasient"),
    )


def test_empty_fields_from_the_form_are_no_filter():
    args = MultiDict([("fra", ""), ("til", " "), ("modus", ""), ("gruppe", "")])
    assert parse_filters(args) == parse_filters(MultiDict())


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"fra": "24.11.2026"}, FilterProblem("fra", "date_invalid")),
        ({"til": "2026-02-30"}, FilterProblem("til", "date_invalid")),
        ({"fra": "20261124"}, FilterProblem("fra", "date_invalid")),
        ({"fra": "2026-11-30", "til": "2026-11-01"}, FilterProblem("til", "date_order")),
        ({"versjon": ["1", "x"]}, FilterProblem("versjon", "version_invalid")),
        ({"versjon": "-1"}, FilterProblem("versjon", "version_invalid")),
        ({"versjon": "7"}, FilterProblem("versjon", "version_unknown")),
        ({"modus": "telepati"}, FilterProblem("modus", "mode_invalid")),
        ({"gruppe": "rolle"}, FilterProblem("gruppe", "group_invalid")),
        ({"gruppe": "rolle:"}, FilterProblem("gruppe", "group_invalid")),
        ({"gruppe": "rolle:ukjent"}, FilterProblem("gruppe", "group_unknown")),
        ({"gruppe": "alder:u30"}, FilterProblem("gruppe", "group_unknown")),
    ],
)
def test_bad_input_is_a_problem_and_leaves_the_report_unfiltered(args, problem):
    parsed = parse_filters({"modus": "self", **args}, version_ids=[1, 2], groups=GROUPS)
    assert problem in parsed.problems
    assert parsed.filters == Filters()


def test_every_problem_is_reported_at_once():
    parsed = parse_filters({"fra": "i går", "modus": "x", "gruppe": "y"}, groups=GROUPS)
    assert [p.argument for p in parsed.problems] == ["fra", "modus", "gruppe"]


def test_filters_survive_the_trip_through_query_arguments():
    filters = Filters(
        date_from=dt.date(2026, 1, 5),
        version_ids=(3, 9),
        mode="self",
        group=("rolle", "parorende"),
    )
    args = filter_args(filters)
    assert args == {
        "fra": "2026-01-05",
        "versjon": ["3", "9"],
        "modus": "self",
        "gruppe": "rolle:parorende",
    }
    assert parse_filters(args, version_ids=[3, 9], groups=GROUPS).filters == filters
    assert filter_args(Filters()) == {}


def test_filters_in_words():
    filters = Filters(
        date_from=dt.date(2026, 11, 1),
        date_to=dt.date(2026, 11, 30),
        version_ids=(2,),
        mode="interview",
        group=("rolle", "pasient"),
    )
    assert describe(filters, gettext) == (
        "Svar fra 1. november 2026 til 30. november 2026; skjemaversjon 2; bare intervjuer; "
        "bare de som svarte «pasient» på «rolle»"
    )
    assert describe(Filters(mode="self", date_to=dt.date(2026, 3, 2)), gettext) == (
        "Svar til og med 2. mars 2026; bare svar på egen hånd"
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
