"""The `show_if` language on its own: parsing, errors with offsets, meaning, visibility."""

import json

import pytest

from surveyapp.questionnaire import (
    ConditionSyntaxError,
    drop_hidden,
    evaluate,
    load_text,
    parse_condition,
    visibility,
    visibility_plan,
    visible_answer_ids,
    visible_pages,
    visible_questions,
)

# --- Parsing --------------------------------------------------------------------------------


def ast(source: str) -> dict:
    return parse_condition(source).ast


def test_comparison_with_a_string():
    assert ast('rolle == "pasient"') == {"op": "==", "ref": "rolle", "value": "pasient"}


def test_single_quotes_and_escapes():
    assert ast("navn == 'Kari \\'K\\' Nordmann'")["value"] == "Kari 'K' Nordmann"
    assert ast('navn != "a\\\\b"')["value"] == "a\\b"


def test_numbers_are_json_numbers():
    assert ast("alder >= 18")["value"] == 18
    assert ast("alder < -2.5")["value"] == -2.5
    assert isinstance(ast("alder < 4")["value"], int)


def test_every_comparison_operator():
    for op in ("==", "!=", "<", "<=", ">", ">="):
        assert ast(f"a {op} 1") == {"op": op, "ref": "a", "value": 1}


def test_in_and_not_in_lists():
    assert ast('hjelp in ["hap", "nav", 3]') == {
        "op": "in",
        "ref": "hjelp",
        "values": ["hap", "nav", 3],
    }
    assert ast('hjelp not in ["hap",]') == {"op": "not in", "ref": "hjelp", "values": ["hap"]}


def test_answered_and_matrix_item_references():
    condition = parse_condition("answered(alder) and hort.lyttet > 3")
    assert condition.ast == {
        "op": "and",
        "args": [
            {"op": "answered", "ref": "alder"},
            {"op": ">", "ref": "hort.lyttet", "value": 3},
        ],
    }
    assert condition.references == ("alder", "hort.lyttet")


def test_a_question_called_answered_can_still_be_compared():
    assert ast('answered == "ja"') == {"op": "==", "ref": "answered", "value": "ja"}


def test_precedence_not_binds_tighter_than_and_which_binds_tighter_than_or():
    assert ast("answered(a) or not answered(b) and answered(c)") == {
        "op": "or",
        "args": [
            {"op": "answered", "ref": "a"},
            {
                "op": "and",
                "args": [
                    {"op": "not", "arg": {"op": "answered", "ref": "b"}},
                    {"op": "answered", "ref": "c"},
                ],
            },
        ],
    }


def test_parentheses_override_precedence_and_chains_are_flat():
    assert ast("(a == 1 or b == 2) and c == 3 and d == 4") == {
        "op": "and",
        "args": [
            {
                "op": "or",
                "args": [
                    {"op": "==", "ref": "a", "value": 1},
                    {"op": "==", "ref": "b", "value": 2},
                ],
            },
            {"op": "==", "ref": "c", "value": 3},
            {"op": "==", "ref": "d", "value": 4},
        ],
    }


def test_not_not_and_whitespace():
    assert ast("  not\tnot\n answered(a) ") == {
        "op": "not",
        "arg": {"op": "not", "arg": {"op": "answered", "ref": "a"}},
    }


def test_references_are_listed_once_in_order():
    assert parse_condition("b == 1 or a == 2 or b == 3").references == ("b", "a")


def test_source_is_kept():
    assert parse_condition(" a == 1 ").source == " a == 1 "


def test_ast_is_json_serialisable():
    condition = parse_condition('not (a in [1, "x"] or b != 2.5) and answered(c.d)')
    assert json.loads(json.dumps(condition.ast)) == condition.ast


@pytest.mark.parametrize(
    ("source", "code", "offset"),
    [
        ("", "condition_empty", 0),
        ("   ", "condition_empty", 0),
        ("rolle = 'x'", "condition_single_equals", 6),
        ("a == 1 && b == 2", "condition_use_word", 7),
        ("a == 1 || b == 2", "condition_use_word", 7),
        ("!answered(a)", "condition_use_word", 0),
        ("a == 'x", "condition_unclosed_string", 5),
        ("alder > 18år", "condition_bad_number", 8),
        ("alder > 1.2.3", "condition_bad_number", 8),
        ("første == 1", "condition_unexpected_char", 1),
        ("a == 1 ; b", "condition_unexpected_char", 7),
        ("a ==", "condition_unexpected_end", 4),
        ("a", "condition_unexpected_end", 1),
        ("a == 1 and", "condition_unexpected_end", 10),
        ("(a == 1", "condition_missing_close_paren", 7),
        ("(a == 1 b", "condition_unexpected_token", 8),
        ("a == 1 b == 2", "condition_unexpected_token", 7),
        ("a == 1 AND b == 2", "condition_unexpected_token", 7),
        ("a == 1)", "condition_unexpected_token", 6),
        ("'x' == a", "condition_expected_reference", 0),
        ("and == 1", "condition_expected_reference", 0),
        ("a is 1", "condition_expected_operator", 2),
        ("a not 1", "condition_expected_operator", 2),
        ("a == pasient", "condition_unquoted_value", 5),
        ("a == (", "condition_expected_value", 5),
        ("a in 'x'", "condition_expected_list", 5),
        ("a in []", "condition_empty_list", 6),
        ("a in ['x' 'y']", "condition_expected_comma", 10),
        ("a in ['x',", "condition_unexpected_end", 10),
        ("answered('a')", "condition_expected_open_paren", 9),
        ("answered(a", "condition_missing_close_paren", 10),
        ("a == 1" + "0" * 400, "condition_number_too_large", 5),
    ],
)
def test_syntax_errors_have_a_code_and_an_offset(source, code, offset):
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(source)
    assert (caught.value.code, caught.value.offset) == (code, offset)
    assert caught.value.message  # the catalogue has a template for it


def test_syntax_error_message_names_what_was_found():
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition("rolle is 'x'")
    assert caught.value.message == (
        "etter «rolle» skal det stå en sammenligning (==, !=, <, <=, >, >=, in eller not in),"
        " men det står «is»"
    )


def test_too_long_and_too_deep_conditions_are_refused():
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition("answered(a) or " * 200 + "answered(a)")
    assert caught.value.code == "condition_too_long"
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition("(" * 300 + "answered(a)" + ")" * 300)
    assert caught.value.code == "condition_too_deep"
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition("not " * 300 + "answered(a)")
    assert caught.value.code == "condition_too_deep"


# --- Meaning --------------------------------------------------------------------------------


def holds(source: str, **answers) -> bool:
    return evaluate(parse_condition(source).ast, answers)


def test_equals_is_true_when_some_value_matches():
    assert holds('hjelp == "nav"', hjelp=["hap", "nav"])
    assert not holds('hjelp == "nav"', hjelp=["hap"])
    assert not holds('hjelp == "nav"')


def test_equals_compares_numbers_as_numbers():
    assert holds("score == 4", score=["4.0"])
    assert holds('score == "04"', score=["4"])
    assert not holds('score == "4"', score=["4 "])


def test_a_number_never_equals_text():
    assert not holds("svar == 4", svar=["fire"])
    assert holds('svar == "fire"', svar=["fire"])


def test_not_equals_needs_an_answer():
    assert holds('rolle != "pasient"', rolle=["parorende"])
    assert not holds('rolle != "pasient"', rolle=["pasient"])
    assert not holds('rolle != "pasient"', rolle=[])
    assert not holds('rolle != "pasient"')
    assert not holds('hjelp != "nav"', hjelp=["hap", "nav"])


def test_ordering_compares_numbers_only():
    assert holds("alder >= 18", alder=["18"])
    assert not holds("alder > 18", alder=["18"])
    assert holds("alder < 18.5", alder=["18"])
    assert not holds("alder < 18", alder=["ung"])
    assert not holds("alder < 18")
    assert holds('alder <= "20"', alder=["19"])


def test_in_and_not_in():
    assert holds('hjelp in ["hap", "nav"]', hjelp=["nav"])
    assert not holds('hjelp in ["hap"]', hjelp=["nav"])
    assert holds("score in [1, 2]", score=["2.0"])
    assert holds('hjelp not in ["hap"]', hjelp=["nav"])
    assert not holds('hjelp not in ["hap"]', hjelp=["nav", "hap"])
    assert not holds('hjelp not in ["hap"]')


def test_answered_and_empty_strings():
    assert holds("answered(a)", a=["x"])
    assert not holds("answered(a)", a=[])
    assert not holds("answered(a)", a=[""])
    assert holds("not answered(a)")


def test_a_single_string_counts_as_one_value():
    assert holds('a == "ja"', a="ja")


def test_and_or_not():
    assert holds("a == 1 and b == 2", a=["1"], b=["2"])
    assert not holds("a == 1 and b == 2", a=["1"])
    assert holds("a == 1 or b == 2", b=["2"])
    assert holds("not a == 1", a=["2"])
    assert holds("not a == 1")


def test_unknown_operator_is_a_programming_error():
    with pytest.raises(ValueError):
        evaluate({"op": "~", "ref": "a"}, {})


# --- Visibility -----------------------------------------------------------------------------

FORM = """\
id: flyt
title: Flyt
modes: [self]
scales:
  grad5:
    options: [{value: 1, label: Lite}, {value: 5, label: Mye}]
pages:
  - id: start
    title: Start
    questions:
      - {id: rolle, type: single_choice, text: Rolle,
         choices: [{value: pasient, label: Pasient}, {value: parorende, label: Pårørende}]}
      - {id: mott, type: yes_no, text: Møtt, show_if: 'rolle == "pasient"'}
      - {id: hvordan, type: short_text, text: Hvordan, show_if: 'mott == "ja"'}
      - {id: hort, type: matrix, scale: grad5, text: Hørt,
         items: [{id: lyttet, text: Lyttet}, {id: respekt, text: Respekt}]}
      - {id: info, type: info, text: Takk}
  - id: parorende
    title: Pårørende
    show_if: 'rolle == "parorende"'
    questions:
      - {id: involvert, type: yes_no, text: Involvert}
      - {id: mer, type: short_text, text: Mer, show_if: 'involvert == "ja"'}
  - id: slutt
    title: Slutt
    questions:
      - {id: etter, type: short_text, text: Etter, show_if: 'answered(hvordan) or answered(mer)'}
"""


@pytest.fixture
def form():
    result = load_text(FORM, "flyt.yaml")
    assert [str(p) for p in result.problems] == []
    return result.questionnaire


def test_without_answers_only_unconditional_questions_show(form):
    assert [q.id for q in visible_questions(form, {})] == ["rolle", "hort", "info"]
    assert [p.id for p in visible_pages(form, {})] == ["start", "slutt"]
    assert visible_answer_ids(form, {}) == {"rolle", "hort.lyttet", "hort.respekt"}


def test_answers_open_the_questions_that_depend_on_them(form):
    answers = {"rolle": ["pasient"], "mott": ["ja"], "hvordan": ["bra"]}
    assert [q.id for q in visible_questions(form, answers)] == [
        "rolle",
        "mott",
        "hvordan",
        "hort",
        "info",
        "etter",
    ]


def test_a_hidden_question_counts_as_unanswered_further_on(form):
    # `mott` and `hvordan` are answered but hidden once the respondent is next of kin,
    # so `etter` (which depends on `hvordan`) is hidden too.
    answers = {"rolle": ["parorende"], "mott": ["ja"], "hvordan": ["bra"]}
    shown = visibility(form, answers)
    assert "hvordan" not in shown.questions
    assert "etter" not in shown.questions
    assert shown.pages == {"start", "parorende", "slutt"}


def test_a_hidden_page_hides_its_questions(form):
    answers = {"rolle": ["pasient"], "involvert": ["ja"], "mer": ["x"]}
    shown = visibility(form, answers)
    assert "parorende" not in shown.pages
    assert not {"involvert", "mer", "etter"} & shown.questions


def test_hidden_answers_are_dropped_on_submit(form):
    answers = {
        "rolle": ["parorende"],
        "mott": ["ja"],
        "hvordan": ["bra"],
        "hort.lyttet": ["5"],
        "involvert": ["ja"],
        "mer": ["mye"],
        "etter": ["slutt"],
        "ukjent": ["x"],
    }
    assert drop_hidden(form, answers) == {
        "rolle": ["parorende"],
        "hort.lyttet": ["5"],
        "involvert": ["ja"],
        "mer": ["mye"],
        "etter": ["slutt"],
    }


def test_visibility_plan_is_json_for_the_browser(form):
    plan = visibility_plan(form)
    assert json.loads(json.dumps(plan)) == plan
    assert plan[0]["questions"][1] == {
        "id": "mott",
        "show_if": {"op": "==", "ref": "rolle", "value": "pasient"},
        "answer_ids": ["mott"],
    }
    assert plan[0]["questions"][3]["answer_ids"] == ["hort.lyttet", "hort.respekt"]
    assert plan[0]["questions"][4]["answer_ids"] == []
    assert plan[1]["show_if"] == {"op": "==", "ref": "rolle", "value": "parorende"}
