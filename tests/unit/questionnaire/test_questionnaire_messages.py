"""The message catalogue: every code has one template, every template renders and is used."""

import re
from collections import defaultdict
from pathlib import Path

import pytest

from surveyapp.questionnaire import MESSAGES, Problem
from surveyapp.questionnaire.errors import N_, ConditionSyntaxError

PACKAGE = Path(__file__).resolve().parents[3] / "surveyapp" / "questionnaire"


def test_marker_returns_the_message_unchanged():
    assert N_("hei") == "hei"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_template_renders_with_its_placeholders(code):
    template = MESSAGES[code]
    assert template % defaultdict(lambda: "X")
    assert template == template.strip()
    assert "%" not in re.sub(r"%\(\w+\)s", "", template).replace("%%", "")


def test_every_message_code_is_used_by_the_package():
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in PACKAGE.glob("*.py")
        if path.name != "errors.py"
    )
    unused = [code for code in MESSAGES if f'"{code}"' not in source]
    assert unused == []


def test_problem_formats_as_file_line_column_message():
    problem = Problem(
        "skjema.yaml", 12, 7, "duplicate_question_id", {"id": "alder", "other_line": 4}
    )
    assert problem.message == "spørsmålet «alder» finnes allerede på linje 4"
    assert str(problem) == "skjema.yaml:12:7: spørsmålet «alder» finnes allerede på linje 4"


def test_problem_is_translated_through_gettext():
    translations = {MESSAGES["duplicate_page_id"]: "page «%(id)s» already on line %(other_line)s"}
    problem = Problem("s.yaml", 3, 5, "duplicate_page_id", {"id": "om", "other_line": 1})
    assert problem.translate(lambda m: translations.get(m, m)) == "page «om» already on line 1"
    assert problem.template == MESSAGES["duplicate_page_id"]


def test_problems_are_values():
    a = Problem("s.yaml", 1, 1, "file_empty", {})
    assert a == Problem("s.yaml", 1, 1, "file_empty", {})
    assert len({a, Problem("s.yaml", 1, 1, "file_empty", {})}) == 1


def test_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError):
        Problem("s.yaml", 1, 1, "no_such_code", {})
    with pytest.raises(ValueError):
        ConditionSyntaxError("no_such_code", {}, 0)
