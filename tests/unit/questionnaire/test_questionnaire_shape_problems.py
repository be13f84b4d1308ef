"""How the loader reports well-formed YAML that is not a valid questionnaire."""

import textwrap

from surveyapp.questionnaire import load_text

HEAD = """\
id: test
title: Test
modes: [self]
scales:
  grad5:
    options:
      - {value: 1, label: Lite}
      - {value: 2, label: Mye}
    not_applicable: {value: 9, label: Ikke aktuelt}
pages:
  - id: side
    title: Side
    questions:
"""
# Questions appended to HEAD start on line 14, indented by six spaces.
FIRST_QUESTION_LINE = 14


def with_questions(questions: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(questions), "      ")


def problems(text: str):
    result = load_text(text, "skjema.yaml")
    assert result.questionnaire is None or not result.problems
    return result.problems


def only_problem(text: str):
    found = problems(text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_head_with_one_question_is_valid():
    assert problems(with_questions("- {id: a, type: short_text, text: A}\n")) == []


def test_list_where_a_mapping_belongs():
    problem = only_problem(with_questions("- - id: a\n    type: short_text\n"))
    assert problem.code == "expected_mapping_not_list"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:9: under «questions» skal det stå nøkler med verdier"
        " (som «id: …»), men her står en liste (linjer som begynner med «- »)"
    )


def test_mapping_where_a_list_belongs():
    text = HEAD.replace("  - id: side\n    title: Side\n    questions:\n", "  id: side\n")
    problem = only_problem(text)
    assert problem.code == "expected_list_not_mapping"
    assert str(problem) == (
        "skjema.yaml:11:3: «pages» skal være en liste der hvert element begynner med «- »,"
        " men her står nøkler med verdier"
    )


def test_single_value_where_a_list_belongs():
    problem = only_problem(
        with_questions("- {id: a, type: short_text, text: A}\n").replace(
            "modes: [self]", "modes: self"
        )
    )
    assert problem.code == "expected_list_not_scalar"
    assert str(problem).startswith("skjema.yaml:3:8: «modes» skal være en liste")


def test_single_value_where_a_mapping_belongs():
    problem = only_problem(with_questions("- tekst\n"))
    assert problem.code == "expected_mapping_not_scalar"
    assert problem.params == {"key": "questions", "value": "tekst"}


def test_list_where_a_single_value_belongs():
    problem = only_problem(with_questions("- {id: [a], type: short_text, text: A}\n"))
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:14: «id» skal ha én enkelt verdi, ikke en liste"
        " eller nøkler med verdier"
    )


def test_unknown_key_suggests_the_closest_allowed_key():
    problem = only_problem(
        with_questions("""\
            - id: a
              type: short_text
              text: A
              requird: true
            """)
    )
    assert problem.code == "unknown_key_suggestion"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE + 3}:9: ukjent nøkkel «requird»; mente du"
        " «required»? Tillatte nøkler her er: id, type, text, help, required,"
        " required_message, show_if, interviewer_note, max_length"
    )


def test_unknown_top_level_key_lists_the_allowed_keys():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "modes: [self]", "modes: [self]\nforfatter: Kari"
    )
    problem = only_problem(text)
    assert problem.code == "unknown_key"
    assert str(problem) == (
        "skjema.yaml:4:1: ukjent nøkkel «forfatter»; tillatte nøkler her er: id, title,"
        " description, modes, languages, reporting, report_groups, scales, pages, indicators"
    )


def test_key_of_another_question_type_is_named_as_such():
    problem = only_problem(
        with_questions("""\
            - id: a
              type: short_text
              text: A
              choices: [{value: x, label: X}]
            """)
    )
    assert problem.code == "key_not_for_type"
    assert problem.params["type"] == "short_text"
    assert str(problem).startswith(
        f"skjema.yaml:{FIRST_QUESTION_LINE + 3}:9: «choices» kan ikke brukes på spørsmål av"
        " typen short_text"
    )


def test_missing_required_key_is_reported_at_the_question():
    problem = only_problem(with_questions("- id: a\n  type: short_text\n"))
    assert problem.code == "missing_key"
    assert str(problem) == f"skjema.yaml:{FIRST_QUESTION_LINE}:9: «text» mangler her og må være med"


def test_missing_top_level_keys_are_all_reported():
    found = problems("id: test\n")
    assert [(p.code, p.params["key"]) for p in found] == [
        ("missing_key", "title"),
        ("missing_key", "modes"),
        ("missing_key", "pages"),
    ]


def test_duplicate_question_id_mentions_the_other_line():
    problem = only_problem(
        with_questions("""\
            - {id: alder, type: number, text: Alder}
            - {id: alder, type: number, text: Alder igjen}
            """)
    )
    assert problem.code == "duplicate_question_id"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE + 1}:14: spørsmålet «alder» finnes allerede på"
        f" linje {FIRST_QUESTION_LINE}"
    )


def test_duplicate_question_id_on_another_page_is_found():
    text = with_questions("- {id: a, type: short_text, text: A}\n") + textwrap.dedent("""\
        ..- id: side2
            title: Side 2
            questions:
              - {id: a, type: short_text, text: A}
        """).replace("..", "  ")
    problem = only_problem(text)
    assert (problem.code, problem.line, problem.params["other_line"]) == (
        "duplicate_question_id",
        FIRST_QUESTION_LINE + 4,
        FIRST_QUESTION_LINE,
    )


def test_duplicate_page_id_mentions_the_other_line():
    text = with_questions("- {id: a, type: short_text, text: A}\n") + textwrap.dedent("""\
        ..- id: side
            title: Side 2
            questions:
              - {id: b, type: short_text, text: B}
        """).replace("..", "  ")
    problem = only_problem(text)
    assert str(problem) == "skjema.yaml:15:9: siden «side» finnes allerede på linje 11"


def test_duplicate_choice_value_mentions_the_other_line():
    problem = only_problem(
        with_questions("""\
            - id: a
              type: single_choice
              text: A
              choices:
                - {value: ja, label: Ja}
                - {value: ja, label: Ja igjen}
            """)
    )
    assert problem.code == "duplicate_choice_value"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE + 5}:21: svarverdien «ja» er allerede brukt på"
        f" linje {FIRST_QUESTION_LINE + 4}"
    )


def test_choice_values_that_conditions_cannot_tell_apart_are_duplicates():
    problem = only_problem(
        with_questions("""\
            - id: a
              type: single_choice
              text: A
              choices:
                - {value: 1, label: En}
                - {value: "1.0", label: En igjen}
            """)
    )
    assert problem.code == "duplicate_choice_value"


def test_not_applicable_value_must_differ_from_the_options():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "{value: 9, label: Ikke aktuelt}", "{value: 2, label: Ikke aktuelt}"
    )
    problem = only_problem(text)
    assert (problem.code, problem.line, problem.params["other_line"]) == (
        "duplicate_choice_value",
        9,
        8,
    )


def test_empty_choice_list():
    problem = only_problem(with_questions("- {id: a, type: single_choice, text: A, choices: []}\n"))
    assert problem.code == "empty_list"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:56: listen «choices» er tom; den må ha minst ett"
        " element"
    )


def test_choices_missing_for_a_choice_question():
    problem = only_problem(with_questions("- {id: a, type: multiple_choice, text: A}\n"))
    assert (problem.code, problem.params) == ("missing_key", {"key": "choices"})


def test_boolean_written_as_a_quoted_word_is_refused():
    problem = only_problem(with_questions('- {id: a, type: short_text, text: A, required: "ja"}\n'))
    assert problem.code == "expected_bool"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:54: «required» skal være true eller false, ikke «ja»"
    )


def test_yaml_1_1_yes_is_not_taken_as_true():
    problem = only_problem(with_questions("- {id: a, type: short_text, text: A, required: yes}\n"))
    assert (problem.code, problem.params) == ("expected_bool", {"key": "required", "value": "yes"})


def test_number_limit_that_is_not_a_number():
    problem = only_problem(with_questions("- {id: a, type: number, text: A, min: abc}\n"))
    assert problem.code == "expected_number"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:45: «min» skal være et tall (for eksempel 5, -2"
        " eller 2.5), ikke «abc»"
    )


def test_decimal_limit_on_an_integer_question():
    problem = only_problem(with_questions("- {id: a, type: number, text: A, max: 2.5}\n"))
    assert (problem.code, problem.params) == ("expected_integer", {"key": "max", "value": "2.5"})


def test_max_length_that_is_not_a_whole_number():
    problem = only_problem(
        with_questions("- {id: a, type: short_text, text: A, max_length: 1.5}\n")
    )
    assert problem.code == "expected_integer"


def test_missing_nb_text():
    problem = only_problem(with_questions("- {id: a, type: short_text, text: {en: Age}}\n"))
    assert problem.code == "missing_nb"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:41: teksten i «text» mangler bokmål («nb»), som"
        " alltid må være med"
    )


def test_empty_text_is_refused():
    problem = only_problem(with_questions('- {id: a, type: short_text, text: "  "}\n'))
    assert (problem.code, problem.params) == ("empty_text", {"key": "text"})


def test_key_without_a_value_is_refused():
    problem = only_problem(with_questions("- id: a\n  type: short_text\n  text: A\n  help:\n"))
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE + 3}:14: «help» har ingen verdi; skriv en verdi"
        " eller fjern linjen"
    )


def test_invalid_language_code_in_a_text():
    problem = only_problem(
        with_questions("- {id: a, type: short_text, text: {nb: A, Engelsk: B}}\n")
    )
    assert (problem.code, problem.params) == ("invalid_language", {"value": "Engelsk"})


def test_languages_must_include_nb():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "modes: [self]", "modes: [self]\nlanguages: [nn, en]"
    )
    problem = only_problem(text)
    assert str(problem) == "skjema.yaml:4:12: «languages» må ha med nb (bokmål)"


def test_unknown_question_type_lists_the_allowed_types():
    problem = only_problem(with_questions("- {id: a, type: fritekst, text: A}\n"))
    assert problem.code == "unknown_question_type"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:23: ukjent spørsmålstype «fritekst»; tillatte"
        " typer er: single_choice, multiple_choice, yes_no, scale, matrix, number, short_text,"
        " long_text, info, dps"
    )


def test_misspelt_question_type_gets_a_suggestion():
    problem = only_problem(with_questions("- {id: a, type: singel_choice, text: A}\n"))
    assert problem.code == "unknown_question_type_suggestion"
    assert problem.params["suggestion"] == "single_choice"


def test_min_greater_than_max():
    problem = only_problem(with_questions("- {id: a, type: number, text: A, min: 10, max: 2}\n"))
    assert problem.code == "min_greater_than_max"
    assert (
        str(problem) == f"skjema.yaml:{FIRST_QUESTION_LINE}:45: «min» (10) er større enn «max» (2)"
    )


def test_max_length_above_the_limit():
    problem = only_problem(
        with_questions("- {id: a, type: short_text, text: A, max_length: 500}\n")
    )
    assert problem.code == "max_length_too_large"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:56: «max_length» kan være høyst 200 for short_text,"
        " ikke 500"
    )


def test_max_length_below_one():
    problem = only_problem(with_questions("- {id: a, type: long_text, text: A, max_length: 0}\n"))
    assert problem.code == "max_length_too_small"


def test_invalid_question_id():
    problem = only_problem(with_questions("- {id: Første, type: short_text, text: A}\n"))
    assert problem.code == "invalid_id"
    assert str(problem).startswith(
        f"skjema.yaml:{FIRST_QUESTION_LINE}:14: «Første» kan ikke brukes som id; bruk bare små"
        " bokstaver a–z (ikke æ, ø eller å)"
    )


def test_invalid_questionnaire_page_scale_and_item_ids_are_all_reported():
    text = (
        with_questions("""\
            - id: m
              type: matrix
              scale: grad5
              text: M
              items:
                - {id: 1a, text: A}
            """)
        .replace("id: test", "id: Test")
        .replace("id: side", "id: side-1")
        .replace("  grad5:", "  grad 5:")
        .replace("scale: grad5", "scale: grad 5")
    )
    found = problems(text)
    assert [(p.code, p.params["value"], p.line) for p in found] == [
        ("invalid_id", "Test", 1),
        ("invalid_id", "grad 5", 5),
        ("invalid_id", "side-1", 11),
        ("invalid_id", "1a", FIRST_QUESTION_LINE + 5),
    ]


def test_words_of_the_condition_language_are_not_ids():
    problem = only_problem(with_questions("- {id: not, type: short_text, text: A}\n"))
    assert (problem.code, problem.params) == ("reserved_id", {"value": "not"})


def test_unknown_mode():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "modes: [self]", "modes: [self, intervju]"
    )
    problem = only_problem(text)
    assert str(problem) == (
        "skjema.yaml:3:15: ukjent modus «intervju»; bruk self (den som svarer fyller ut selv)"
        " eller interview (intervju)"
    )


def test_repeated_mode():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "modes: [self]", "modes: [self, self]"
    )
    assert only_problem(text).code == "duplicate_list_value"


def test_unknown_scale_name_lists_the_scales():
    problem = only_problem(with_questions("- {id: a, type: scale, scale: enighet, text: A}\n"))
    assert problem.code == "unknown_scale"
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE}:37: skalaen «enighet» finnes ikke; skalaer i denne"
        " filen: grad5"
    )


def test_misspelt_scale_name_gets_a_suggestion():
    problem = only_problem(with_questions("- {id: a, type: scale, scale: grad6, text: A}\n"))
    assert (problem.code, problem.params["suggestion"]) == ("unknown_scale_suggestion", "grad5")


def test_scale_name_in_a_file_without_scales():
    text = with_questions("- {id: a, type: scale, scale: grad5, text: A}\n")
    text = text.replace(text[text.index("scales:") : text.index("pages:")], "")
    problem = only_problem(text)
    assert problem.code == "no_scales"


def test_matrix_needs_items_and_a_scale():
    found = problems(with_questions("- {id: m, type: matrix, text: M}\n"))
    assert [(p.code, p.params["key"]) for p in found] == [
        ("missing_key", "scale"),
        ("missing_key", "items"),
    ]


def test_duplicate_matrix_item_id():
    problem = only_problem(
        with_questions("""\
            - id: m
              type: matrix
              scale: grad5
              text: M
              items:
                - {id: a, text: A}
                - {id: a, text: A igjen}
            """)
    )
    assert str(problem) == (
        f"skjema.yaml:{FIRST_QUESTION_LINE + 6}:18: delspørsmålet «a» finnes allerede i denne"
        f" matrisen, på linje {FIRST_QUESTION_LINE + 5}"
    )


def test_exclusive_is_only_for_multiple_choice():
    problem = only_problem(
        with_questions("""\
            - id: a
              type: single_choice
              text: A
              choices:
                - {value: x, label: X, exclusive: true}
            """)
    )
    assert problem.code == "exclusive_only_multiple"
    assert problem.line == FIRST_QUESTION_LINE + 4


def test_info_takes_no_required_key():
    problem = only_problem(with_questions("- {id: i, type: info, text: I, required: true}\n"))
    assert problem.code == "key_not_for_type"
    assert problem.params["allowed"] == "id, type, text, show_if"


def test_scale_with_both_options_and_a_range():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "    not_applicable:", "    from: 1\n    not_applicable:"
    )
    problem = only_problem(text)
    assert str(problem) == (
        "skjema.yaml:9:5: en skala skal ha enten «options» eller «from» og «to», ikke begge deler"
    )


def test_scale_without_options_or_range():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "  grad5:\n", "  tom: {numeric: true}\n  grad5:\n"
    )
    problem = only_problem(text)
    assert str(problem) == (
        "skjema.yaml:5:3: skalaen «tom» trenger enten «options» eller «from» og «to»"
    )


def test_range_scale_problems():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "  grad5:\n",
        "  baklengs: {from: 10, to: 0}\n"
        "  lang: {from: 0, to: 1000}\n"
        "  merket: {from: 0, to: 10, labels: {11: For mye}}\n"
        "  grad5:\n",
    )
    found = problems(text)
    assert [(p.code, p.line) for p in found] == [
        ("scale_range_empty", 5),
        ("scale_range_too_long", 6),
        ("scale_label_outside", 7),
    ]
    assert str(found[2]) == ("skjema.yaml:7:38: 11 ligger utenfor skalaen, som går fra 0 til 10")


def test_numeric_scale_with_a_word_as_value():
    text = with_questions("- {id: a, type: short_text, text: A}\n").replace(
        "      - {value: 2, label: Mye}\n",
        "      - {value: mye, label: Mye}\n    numeric: true\n",
    )
    problem = only_problem(text)
    assert problem.code == "scale_value_not_number"
    assert problem.params == {"value": "mye"}


def test_report_groups_must_name_a_single_choice_or_yes_no_question():
    base = with_questions(
        "- {id: a, type: short_text, text: A}\n- {id: b, type: yes_no, text: B}\n"
    )
    ok = base.replace("modes: [self]", "modes: [self]\nreport_groups: [b]")
    assert load_text(ok, "skjema.yaml").questionnaire.report_groups == ("b",)
    for groups, code in (("[c]", "report_group_unknown"), ("[a]", "report_group_type")):
        text = base.replace("modes: [self]", f"modes: [self]\nreport_groups: {groups}")
        problem = only_problem(text)
        assert problem.code == code
        assert str(problem).startswith("skjema.yaml:4:")
