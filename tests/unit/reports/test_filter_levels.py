"""The `nivå` filter: units, official DPS areas, health trusts or Trøndelag, never finer
than the questionnaire allows, with a message that lists what may be chosen."""

from __future__ import annotations

from surveyapp.questionnaire import ReportingLevel
from surveyapp.reports.filters import filter_args, parse_filters, problem_text
from surveyapp.reports.model import Filters


def echo(text, **values):
    return text % values if values else text


def test_a_level_is_parsed_and_given_back():
    parsed = parse_filters({"nivå": "område"}, finest=ReportingLevel.UNIT)
    assert not parsed.problems
    assert parsed.filters == Filters(level="area")
    assert filter_args(parsed.filters) == {"nivå": "område"}
    assert parse_filters({}).filters.level is None


def test_a_level_finer_than_the_questionnaire_is_refused_with_what_is_accepted():
    parsed = parse_filters({"nivå": "enhet", "periode": "2026-H1"}, finest=ReportingLevel.TRUST)
    assert parsed.filters == Filters()  # nothing is handed out for a request with problems
    (problem,) = parsed.problems
    assert (problem.argument, problem.code) == ("nivå", "level_too_fine")
    assert problem_text(problem, echo).endswith("Velg nivå blant: foretak, trondelag.")


def test_an_unknown_level_is_refused():
    (problem,) = parse_filters({"nivå": "kommune"}).problems
    assert problem.code == "level_invalid"
    assert "enhet, område, foretak, trondelag" in problem_text(problem, echo)
