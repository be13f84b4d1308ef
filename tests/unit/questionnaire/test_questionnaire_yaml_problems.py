"""How the loader reports files that are not well-formed YAML, or use YAML it refuses."""

import textwrap
import time

from surveyapp.questionnaire import load_text
from surveyapp.questionnaire.loader import MAX_DEPTH, MAX_FILE_BYTES

VALID = """\
id: test
title: Test
modes: [self]
pages:
  - id: side
    title: Side
    questions:
      - id: navn
        type: short_text
        text: Hva heter enheten?
"""


def load(text: str):
    return load_text(textwrap.dedent(text), "skjema.yaml")


def only_problem(text: str):
    result = load(text)
    assert result.questionnaire is None
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def test_the_valid_base_file_loads():
    assert load(VALID).problems == []


def test_unclosed_flow_list_is_reported_where_pyyaml_noticed_it():
    problem = only_problem("id: test\nmodes: [self\ntitle: Test\n")
    assert problem.code == "yaml_unclosed_bracket"
    assert str(problem).startswith("skjema.yaml:3:6: en liste i [ ] eller et oppslag i { }")


def test_yaml_syntax_error_without_a_special_message_keeps_pyyaml_words_and_place():
    problem = only_problem("%YAML 1.1\n%YAML 1.1\n---\nid: test\n")
    assert problem.code == "yaml_syntax"
    assert str(problem) == (
        "skjema.yaml:2:1: filen kan ikke leses som YAML: found duplicate YAML directive"
    )


def test_tab_used_for_indentation_is_named_at_the_tab():
    problem = only_problem("id: test\ntitle:\n\tnb: Test\n")
    assert problem.code == "yaml_tab"
    assert str(problem) == (
        "skjema.yaml:3:1: tabulatortegn er brukt til innrykk; bruk mellomrom i stedet"
    )


def test_every_line_indented_with_tabs_is_reported():
    result = load("id: test\ntitle:\n  \tnb: Test\n\ten: Test\n")
    assert [(p.code, p.line, p.col) for p in result.problems] == [
        ("yaml_tab", 3, 3),
        ("yaml_tab", 4, 1),
    ]


def test_tab_inside_a_quoted_text_is_allowed():
    result = load(VALID.replace("text: Hva heter enheten?", 'text: "Hva\theter enheten?"'))
    assert result.problems == []
    assert result.questionnaire.question("navn").text["nb"] == "Hva\theter enheten?"


def test_colon_inside_an_unquoted_text_is_explained():
    problem = only_problem(VALID.replace("text: Hva heter enheten?", "text: Merk: les dette"))
    assert problem.code == "yaml_colon"
    assert str(problem).startswith("skjema.yaml:10:19: et kolon (:) står der det ikke kan stå")


def test_unclosed_quote_names_the_line_where_the_text_begins():
    problem = only_problem('id: test\ntitle: "Test\nmodes: [self]\n')
    assert problem.code == "yaml_unclosed_quote"
    assert str(problem) == (
        "skjema.yaml:2:8: teksten i anførselstegn som begynner på linje 2, blir aldri avsluttet"
    )


def test_text_continuing_after_a_closing_quote_is_explained():
    problem = only_problem(VALID.replace("text: Hva heter enheten?", 'text: "Vet ikke" (usikker)'))
    assert problem.code == "yaml_text_after_quote"
    assert str(problem).startswith("skjema.yaml:10:26: teksten fortsetter etter det avsluttende")


def test_wrong_indentation_is_explained():
    problem = only_problem("id: test\npages:\n  - id: a\n  title: b\n")
    assert problem.code == "yaml_indentation"
    assert str(problem).startswith("skjema.yaml:4:3: innrykket stemmer ikke med linjene over")


def test_value_starting_with_a_reserved_character_must_be_quoted():
    problem = only_problem(VALID.replace("text: Hva heter enheten?", "text: @enhet"))
    assert problem.code == "yaml_reserved_char"
    assert str(problem) == (
        "skjema.yaml:10:15: en verdi kan ikke begynne med tegnet «@»; sett verdien i anførselstegn"
    )


def test_unknown_escape_in_double_quotes_is_explained():
    problem = only_problem(VALID.replace("text: Hva heter enheten?", r'text: "C:\mappe"'))
    assert problem.code == "yaml_bad_escape"
    assert str(problem).startswith("skjema.yaml:10:19: ukjent tegn etter omvendt skråstrek")


def test_invisible_control_character_is_named_by_its_code():
    problem = only_problem(VALID.replace("enheten?", "enheten?\x07"))
    assert problem.code == "yaml_bad_character"
    assert str(problem) == (
        "skjema.yaml:10:33: filen inneholder et usynlig kontrolltegn (U+0007) som ikke er"
        " tillatt; slett det"
    )


def test_more_than_one_document_is_refused():
    problem = only_problem(VALID + "---\n" + VALID)
    assert problem.code == "yaml_multiple_documents"
    assert problem.line == 11


def test_duplicated_key_is_reported_with_the_first_line():
    problem = only_problem(VALID.replace("modes: [self]", "modes: [self]\ntitle: Igjen"))
    assert problem.code == "yaml_duplicate_key"
    assert str(problem) == (
        "skjema.yaml:4:1: nøkkelen «title» står allerede på linje 2; hver nøkkel kan bare stå"
        " én gang"
    )


def test_duplicated_key_deep_inside_a_question_is_found():
    problem = only_problem(VALID + "        text: Igjen\n")
    assert (problem.code, problem.line, problem.col) == ("yaml_duplicate_key", 11, 9)
    assert problem.params == {"key": "text", "other_line": 10}


def test_anchor_and_alias_are_refused_and_never_expanded():
    text = VALID.replace("title: Side", "title: &t Side") + "        help: *t\n"
    result = load(text)
    assert [str(p) for p in result.problems] == [
        "skjema.yaml:6:12: YAML-ankere («&t») er ikke tillatt; skriv innholdet ut der det trengs"
        " (en tekst som begynner med & må stå i anførselstegn)",
        "skjema.yaml:11:15: YAML-henvisninger («*t») er ikke tillatt; skriv innholdet ut der det"
        " trengs (en tekst som begynner med * må stå i anførselstegn)",
    ]


def test_alias_bomb_is_refused_quickly():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 20):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    started = time.monotonic()
    result = load("\n".join(lines) + "\n")
    assert time.monotonic() - started < 5
    codes = {p.code for p in result.problems}
    assert {"yaml_anchor", "yaml_alias"} <= codes


def test_explicit_yaml_tag_is_refused():
    problem = only_problem(VALID.replace("text: Hva heter enheten?", "text: !!str Hva heter?"))
    assert problem.code == "yaml_tag"
    assert str(problem).startswith("skjema.yaml:10:15: YAML-merket «!!str» er ikke tillatt")


def test_too_deep_nesting_is_refused_once():
    nested = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 10)) + "  " * 40 + "x: 1\n"
    result = load(VALID + "scales:\n" + textwrap.indent(nested, "  "))
    deep_problems = [p for p in result.problems if p.code == "yaml_too_deep"]
    assert len(deep_problems) == 1
    # The root, the value of `scales` and the values of k0..k17 fill the twenty levels;
    # the mapping that holds k19 is one too many.
    assert str(deep_problems[0]) == (
        f"skjema.yaml:{12 + MAX_DEPTH - 1}:{2 * MAX_DEPTH + 1}: filen har for mange nivåer"
        f" inni hverandre (mer enn {MAX_DEPTH})"
    )


def test_too_deep_brackets_stop_reading_at_the_first_bracket_too_many():
    deep = "[" * (MAX_DEPTH + 30) + "]" * (MAX_DEPTH + 30)
    problem = only_problem(VALID + f"        help: {deep}\n")
    assert str(problem) == (
        f"skjema.yaml:11:{15 + MAX_DEPTH}: filen har for mange nivåer inni hverandre"
        f" (mer enn {MAX_DEPTH})"
    )


def test_nesting_deeper_than_python_recursion_does_not_crash():
    started = time.monotonic()
    for text in ("id: " + "[" * 100_000, "- " * 20_000 + "x", "id: " + "{a: " * 50_000):
        assert "yaml_too_deep" in {p.code for p in load(text + "\n").problems}
    assert time.monotonic() - started < 5


def test_key_that_is_a_list_is_refused():
    problem = only_problem(VALID + "? [a, b]\n: c\n")
    assert problem.code == "yaml_complex_key"
    assert (problem.line, problem.col) == (11, 3)


def test_empty_file_is_reported():
    problem = only_problem("")
    assert str(problem) == (
        "skjema.yaml:1:1: filen er tom; den må minst ha «id», «title», «modes» og «pages»"
    )


def test_file_with_only_comments_counts_as_empty():
    assert only_problem("# bare en kommentar\n\n").code == "file_empty"


def test_file_that_is_a_list_is_refused():
    problem = only_problem("- id: test\n- title: Test\n")
    assert problem.code == "file_not_mapping"
    assert str(problem).startswith("skjema.yaml:1:1: øverst i filen skal det stå nøkler")


def test_file_larger_than_the_limit_is_refused_without_parsing():
    text = VALID + "# " + "x" * MAX_FILE_BYTES + "\n"
    problem = only_problem(text)
    assert problem.code == "file_too_large"
    assert problem.params["limit"] == MAX_FILE_BYTES


def test_text_that_cannot_be_utf8_is_refused():
    problem = only_problem("id: test\ntitle: \udc80\n")
    assert (problem.code, problem.line, problem.col) == ("file_not_utf8", 2, 8)


def test_list_item_on_the_same_line_as_its_key_is_explained():
    problem = only_problem("id: test\nmodes: - self\n")
    assert problem.code == "yaml_dash"
    assert str(problem).startswith("skjema.yaml:2:8: et listeelement («- ») kan ikke stå her")


def test_question_mark_inside_brackets_must_be_quoted():
    problem = only_problem(VALID.replace("text: Hva heter enheten?", "text: {nb: Hva heter du?}"))
    assert problem.code == "yaml_flow_question_mark"
    assert str(problem) == (
        "skjema.yaml:10:32: en tekst med spørsmålstegn inni [ ] eller { } må stå i anførselstegn,"
        ' som "Hvor gammel er du?"'
    )
