"""How the loader checks `show_if` conditions: syntax, what they refer to, and their values."""

import textwrap

from surveyapp.questionnaire import load_text

FORM = """\
id: test
title: Test
modes: [interview]
scales:
  grad5:
    options:
      - {value: 1, label: Lite}
      - {value: 2, label: Mye}
    not_applicable: {value: 9, label: Ikke aktuelt}
  farge:
    options:
      - {value: rod, label: Rød}
      - {value: bla, label: Blå}
pages:
  - id: forst
    title: Først
    questions:
      - id: rolle
        type: single_choice
        text: Rolle
        choices:
          - {value: pasient, label: Pasient}
          - {value: parorende, label: Pårørende}
      - id: alder
        type: number
        text: Alder
      - id: mott
        type: yes_no
        text: Møtt?
      - id: hort
        type: matrix
        scale: grad5
        not_applicable: false
        text: Hørt
        items:
          - {id: lyttet, text: Lyttet}
          - {id: forklart, text: Forklart}
      - id: favoritt
        type: scale
        scale: farge
        text: Farge
      - id: om
        type: info
        text: Om
      - id: kommentar
        type: short_text
        text: Kommentar
  - id: siste
    title: Siste
    show_if: %(page)s
    questions:
      - id: slutt
        type: long_text
        text: Slutt
        show_if: %(question)s
      - id: etter
        type: short_text
        text: Etter
"""
PAGE_LINE = FORM.splitlines().index("    show_if: %(page)s") + 1
QUESTION_LINE = FORM.splitlines().index("        show_if: %(question)s") + 1


def problems(page: str = "answered(rolle)", question: str = "answered(rolle)"):
    text = FORM % {"page": page, "question": question}
    result = load_text(text, "skjema.yaml")
    assert result.questionnaire is None or not result.problems
    return result.problems


def only_problem(**conditions: str):
    found = problems(**conditions)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_the_form_with_plain_conditions_is_valid():
    assert problems() == []


def test_every_kind_of_valid_reference_loads():
    condition = (
        '\'rolle == "pasient" and alder >= 18 and mott in ["ja", "nei"]'
        ' and hort.lyttet > 1 and favoritt != "bla" and kommentar == "x"\''
    )
    assert problems(question=condition) == []


def test_unknown_reference_is_named_at_its_column():
    problem = only_problem(question="'svar == \"ja\"'")
    assert problem.code == "condition_unknown_reference"
    assert str(problem) == (
        f"skjema.yaml:{QUESTION_LINE}:19: betingelsen viser til «svar», men det finnes ikke"
        " noe spørsmål med den id-en"
    )


def test_misspelt_reference_gets_a_suggestion():
    problem = only_problem(question="answered(rolla)")
    assert problem.code == "condition_unknown_reference_suggestion"
    assert problem.params == {"ref": "rolla", "suggestion": "rolle"}
    assert (problem.line, problem.col) == (QUESTION_LINE, 27)


def test_reference_to_a_later_question_mentions_its_line():
    problem = only_problem(question="answered(etter)")
    assert problem.code == "condition_later_reference"
    assert str(problem) == (
        f"skjema.yaml:{QUESTION_LINE}:27: betingelsen viser til «etter», som først kommer senere"
        f" (linje {QUESTION_LINE + 1}); en betingelse kan bare bruke svar på spørsmål som står"
        " før den"
    )


def test_reference_to_itself_is_refused():
    problem = only_problem(question="'answered(rolle) or slutt == \"x\"'")
    assert problem.code == "condition_self_reference"
    assert (problem.line, problem.col) == (QUESTION_LINE, 38)


def test_page_condition_cannot_use_a_question_on_the_same_page():
    problem = only_problem(page="answered(slutt)")
    assert problem.code == "condition_same_page_reference"
    assert str(problem).startswith(
        f"skjema.yaml:{PAGE_LINE}:23: betingelsen for siden viser til «slutt», som står på den"
        f" samme siden (linje {QUESTION_LINE - 3})"
    )


def test_reference_to_an_info_text_is_refused():
    problem = only_problem(question="answered(om)")
    assert problem.code == "condition_info_reference"


def test_reference_to_a_whole_matrix_suggests_an_item():
    problem = only_problem(question="answered(hort)")
    assert problem.code == "condition_matrix_reference"
    assert problem.params == {"ref": "hort", "example": "hort.lyttet"}


def test_unknown_matrix_item_is_an_unknown_reference():
    problem = only_problem(question="answered(hort.snakket)")
    assert problem.code.startswith("condition_unknown_reference")
    assert problem.params["ref"] == "hort.snakket"


def test_syntax_error_is_placed_at_its_column_in_a_plain_value():
    problem = only_problem(question="rolle == pasient")
    assert problem.code == "condition_unquoted_value"
    assert str(problem) == (
        f'skjema.yaml:{QUESTION_LINE}:27: «pasient» må stå i anførselstegn, slik: "pasient"'
    )


def test_syntax_error_is_placed_at_its_column_in_a_quoted_value():
    problem = only_problem(question="'rolle == \"pasient\" and (alder > 3'")
    assert problem.code == "condition_missing_close_paren"
    assert (problem.line, problem.col) == (QUESTION_LINE, 52)


def test_syntax_error_counts_escaped_quotes_in_a_double_quoted_value():
    problem = only_problem(question='"rolle == \\"pasient\\" && alder > 3"')
    assert (problem.code, problem.params) == (
        "condition_use_word",
        {"word": "and", "symbol": "&&"},
    )
    assert (problem.line, problem.col) == (QUESTION_LINE, 40)


def test_syntax_error_in_a_multiline_value_is_placed_at_the_value():
    text = FORM % {"page": "answered(rolle)", "question": ">-\n          rolle ==\n          x"}
    (problem,) = load_text(text, "skjema.yaml").problems
    assert (problem.code, problem.line, problem.col) == (
        "condition_unquoted_value",
        QUESTION_LINE,
        18,
    )


def test_empty_condition_is_refused():
    problem = only_problem(question="'  '")
    assert problem.code == "condition_empty"


def test_value_that_is_not_a_choice_lists_the_choices():
    problem = only_problem(question="'rolle == \"pasjent\"'")
    assert problem.code == "condition_value_not_a_choice"
    assert str(problem) == (
        f"skjema.yaml:{QUESTION_LINE}:28: «pasjent» er ikke et av svaralternativene til «rolle»;"
        " gyldige verdier er: pasient, parorende"
    )


def test_values_in_a_list_are_checked_one_by_one():
    found = problems(question='\'rolle in ["pasient", "lege", "sjef"]\'')
    assert [(p.params["value"], p.col) for p in found] == [("lege", 40), ("sjef", 48)]


def test_yes_no_values_are_ja_and_nei_without_dont_know():
    problem = only_problem(question="'mott == \"vet_ikke\"'")
    assert problem.params["allowed"] == "ja, nei"


def test_not_applicable_is_no_value_when_the_question_hides_it():
    problem = only_problem(question="'hort.lyttet == 9'")
    assert (problem.code, problem.params["allowed"]) == ("condition_value_not_a_choice", "1, 2")


def test_ordering_is_only_for_numbers_and_numeric_scales():
    problem = only_problem(question="'favoritt > 1'")
    assert str(problem) == (
        f"skjema.yaml:{QUESTION_LINE}:19: «>» kan bare brukes på tallspørsmål og tallskalaer,"
        " men «favoritt» er av typen scale"
    )


def test_ordering_needs_a_number():
    problem = only_problem(question="'alder < \"mange\"'")
    assert (problem.code, problem.params) == (
        "condition_order_needs_number",
        {"op": "<", "value": "mange"},
    )


def test_number_question_is_compared_with_numbers():
    problem = only_problem(question="'alder == \"atten\"'")
    assert problem.code == "condition_value_not_number"


def test_number_written_in_quotes_still_counts_as_a_number():
    assert problems(question='\'alder == "18" and hort.lyttet <= "2"\'') == []


def test_all_condition_problems_of_a_file_are_reported():
    found = problems(page="answered(slutt)", question="'svar == 1 or rolle == \"x\"'")
    assert [p.code for p in found] == [
        "condition_same_page_reference",
        "condition_unknown_reference",
        "condition_value_not_a_choice",
    ]


def test_condition_on_a_question_that_is_itself_broken_gives_no_extra_message():
    text = textwrap.dedent(FORM) % {"page": "answered(rolle)", "question": "'alder > 3'"}
    text = text.replace("        type: number\n", "        type: number\n        min: x\n")
    assert [p.code for p in load_text(text, "skjema.yaml").problems] == ["expected_number"]
