"""The `reporting` declaration: the finest level a questionnaire may be reported at."""

import pytest

from surveyapp.questionnaire import Reporting, ReportingLevel, load_text

BODY = (
    "pages:\n"
    "  - id: side\n    title: Side\n    questions:\n"
    "      - {id: a, type: short_text, text: Å}\n"
)


def form(reporting: str = "") -> str:
    return "id: skjema\ntitle: Test\nmodes: [interview]\n" + reporting + BODY


def test_without_a_declaration_the_questionnaire_may_be_reported_per_unit():
    result = load_text(form(), "skjema.yaml")
    assert result.problems == []
    assert result.questionnaire.reporting == Reporting(ReportingLevel.UNIT, None)


@pytest.mark.parametrize("level", ["unit", "area", "trust", "region"])
def test_each_level_is_read(level):
    result = load_text(form(f"reporting: {{level: {level}}}\n"), "skjema.yaml")
    assert result.problems == []
    assert result.questionnaire.reporting.level is ReportingLevel(level)


def test_the_note_is_a_text_in_several_languages():
    declaration = (
        "reporting:\n  level: trust\n  note:\n    nb: Bare faktaark per DPS.\n"
        "    en: Per-unit figures only as a fact sheet.\n"
    )
    result = load_text(form(declaration), "skjema.yaml")
    assert result.problems == []
    reporting = result.questionnaire.reporting
    assert reporting.level is ReportingLevel.TRUST
    assert reporting.note.get_text("en") == "Per-unit figures only as a fact sheet."
    assert reporting.note.get_text("nn") == "Bare faktaark per DPS."


def test_a_level_allows_itself_and_every_coarser_level_only():
    trust = Reporting(ReportingLevel.TRUST)
    assert [trust.allows(level) for level in ReportingLevel] == [False, False, True, True]
    assert all(Reporting().allows(level) for level in ReportingLevel)


def test_an_unknown_level_is_named_at_its_place():
    result = load_text(form("reporting:\n  level: dps\n"), "skjema.yaml")
    assert result.questionnaire is None
    assert [str(p) for p in result.problems] == [
        "skjema.yaml:5:10: ukjent rapporteringsnivå «dps»; bruk unit (hver DPS-enhet),"
        " area (DPS-område), trust (helseforetak) eller region (hele Trøndelag)"
    ]


def test_a_declaration_without_a_level_is_refused():
    result = load_text(form("reporting:\n  note: Bare per helseforetak.\n"), "skjema.yaml")
    assert [str(p) for p in result.problems] == [
        "skjema.yaml:5:3: «level» mangler her og må være med"
    ]


def test_every_problem_of_a_declaration_is_reported_at_once():
    declaration = "reporting:\n  level: [unit]\n  nivaa: trust\n  note: ''\n"
    result = load_text(form(declaration), "skjema.yaml")
    assert [(p.line, p.col, p.code) for p in result.problems] == [
        (5, 10, "expected_scalar"),
        (6, 3, "unknown_key"),
        (7, 9, "empty_text"),
    ]


def test_a_declaration_that_is_not_a_mapping_is_refused():
    result = load_text(form("reporting: unit\n"), "skjema.yaml")
    assert [(p.line, p.col, p.code) for p in result.problems] == [
        (4, 12, "expected_mapping_not_scalar")
    ]


def test_a_misspelt_key_gets_a_suggestion():
    result = load_text(form("reporting:\n  levle: unit\n"), "skjema.yaml")
    assert [p.code for p in result.problems] == ["unknown_key_suggestion", "missing_key"]
    assert result.problems[0].params["suggestion"] == "level"
