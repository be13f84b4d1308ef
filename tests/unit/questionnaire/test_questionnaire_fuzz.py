"""Whatever the input, the loader returns problems and the parser raises only its own error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyapp.questionnaire import ConditionSyntaxError, evaluate, load_text, parse_condition

# Pieces of questionnaire YAML, so generated files get past the YAML reader more often.
YAML_PIECES = st.sampled_from(
    [
        "id: test\n",
        "title: Test\n",
        "modes: [self]\n",
        "pages:\n",
        "  - id: side\n",
        "    title: Side\n",
        "    questions:\n",
        "      - id: a\n",
        "        type: single_choice\n",
        "        type: scale\n",
        "        scale: grad5\n",
        "        text: A\n",
        "        choices: [{value: 1, label: En}]\n",
        "        show_if: 'a == 1'\n",
        "        show_if: answered(b) or (\n",
        "        required: yes\n",
        "scales: {grad5: {from: 1, to: 5}}\n",
        "  - &x [1, *x]\n",
        "\t",
        "- ",
        ": ",
        "{",
        "[",
        "'",
        '"',
        "? ",
        "!!str ",
        "---\n",
        "\n",
    ]
)
CONDITION_PIECES = st.sampled_from(
    [
        "a",
        "b.c",
        " ",
        "==",
        "!=",
        "<",
        ">=",
        "in",
        "not",
        "and",
        "or",
        "answered",
        "(",
        ")",
        "[",
        "]",
        ",",
        "'x'",
        '"y',
        "1",
        "-2.5",
        "=",
        "!",
        "&&",
        "ø",
        "1e5",
        "\\",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_loader_never_raises_on_arbitrary_text(text):
    result = load_text(text, "tilfeldig.yaml")
    assert result.questionnaire is None or result.problems == []
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert str(problem).startswith("tilfeldig.yaml:")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_PIECES, max_size=30).map("".join))
def test_loader_never_raises_on_questionnaire_like_text(text):
    result = load_text(text, "skjema.yaml")
    for problem in result.problems:
        assert problem.message


@settings(max_examples=500)
@given(st.one_of(st.text(), st.lists(CONDITION_PIECES, max_size=20).map(" ".join)))
def test_condition_parser_raises_only_its_own_error(source):
    try:
        condition = parse_condition(source)
    except ConditionSyntaxError as error:
        assert 0 <= error.offset <= len(source)
        assert error.message
    else:
        assert isinstance(evaluate(condition.ast, {"a": ["1"], "b.c": ["x"]}), bool)
