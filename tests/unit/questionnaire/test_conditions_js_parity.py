"""conditions.js gives the same result as the Python evaluator for the same tree and answers."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from surveyapp.questionnaire import (
    evaluate,
    load_text,
    parse_condition,
    visibility,
    visibility_plan,
)

CONDITIONS_JS = (
    Path(__file__).resolve().parents[3] / "surveyapp" / "static" / "js" / "conditions.js"
)
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

# (condition, answers, expected)
CASES = [
    ('rolle == "pasient"', {"rolle": ["pasient"]}, True),
    ('rolle == "pasient"', {"rolle": ["parorende"]}, False),
    ('rolle == "pasient"', {}, False),
    ('rolle == "pasient"', {"rolle": []}, False),
    ('rolle == "pasient"', {"rolle": [""]}, False),
    ('rolle == "pasient"', {"rolle": "pasient"}, True),
    ('hjelp == "nav"', {"hjelp": ["hap", "nav"]}, True),
    ("score == 4", {"score": ["4"]}, True),
    ("score == 4", {"score": ["4.0"]}, True),
    ("score == 4", {"score": ["04"]}, True),
    ("score == 4", {"score": ["-4"]}, False),
    ("score == -4", {"score": ["-4.00"]}, True),
    ("score == 0", {"score": ["-0"]}, True),
    ('score == "4"', {"score": ["4.0"]}, True),
    ("score == 4", {"score": ["fire"]}, False),
    ("score == 4", {"score": [" 4"]}, False),
    ("score == 4", {"score": ["4e0"]}, False),
    ("score == 4", {"score": ["0x4"]}, False),
    ('score == "4e0"', {"score": ["4e0"]}, True),
    ('score == "Infinity"', {"score": ["Infinity"]}, True),
    ("score == 1", {"score": ["1" + "0" * 400]}, False),
    ('score == "' + "9" * 400 + '"', {"score": ["9" * 400]}, True),
    ("score == 0.1", {"score": ["0.10"]}, True),
    ("score == 0.3", {"score": ["0.30000000000000004"]}, False),
    ('rolle != "pasient"', {"rolle": ["parorende"]}, True),
    ('rolle != "pasient"', {"rolle": ["pasient"]}, False),
    ('rolle != "pasient"', {}, False),
    ('rolle != "pasient"', {"rolle": [""]}, False),
    ('hjelp != "nav"', {"hjelp": ["hap", "nav"]}, False),
    ("score != 3", {"score": ["3.0"]}, False),
    ("alder >= 18", {"alder": ["18"]}, True),
    ("alder > 18", {"alder": ["18"]}, False),
    ("alder < 18.5", {"alder": ["18"]}, True),
    ("alder <= -1", {"alder": ["-1"]}, True),
    ("alder < 18", {"alder": ["ung"]}, False),
    ("alder < 18", {}, False),
    ('alder <= "20"', {"alder": ["19"]}, True),
    ('alder < "tjue"', {"alder": ["19"]}, False),
    ("alder > 18", {"alder": ["12", "40"]}, True),
    ("alder > 100", {"alder": ["1" + "0" * 400]}, False),
    ('hjelp in ["hap", "nav"]', {"hjelp": ["nav"]}, True),
    ('hjelp in ["hap"]', {"hjelp": ["nav"]}, False),
    ("score in [1, 2]", {"score": ["2.0"]}, True),
    ('score in ["1", 2]', {"score": ["1.0"]}, True),
    ('hjelp in ["hap"]', {}, False),
    ('hjelp not in ["hap"]', {"hjelp": ["nav"]}, True),
    ('hjelp not in ["hap"]', {"hjelp": ["nav", "hap"]}, False),
    ('hjelp not in ["hap"]', {}, False),
    ("answered(a)", {"a": ["x"]}, True),
    ("answered(a)", {"a": []}, False),
    ("answered(a)", {"a": ["", ""]}, False),
    ("answered(a)", {"b": ["x"]}, False),
    ("not answered(a)", {}, True),
    ("answered(hort.lyttet)", {"hort.lyttet": ["3"]}, True),
    ("hort.lyttet > 3 or hort.respekt > 3", {"hort.respekt": ["5"]}, True),
    ("a == 1 and b == 2", {"a": ["1"], "b": ["2"]}, True),
    ("a == 1 and b == 2", {"a": ["1"]}, False),
    ("a == 1 or b == 2", {"b": ["2"]}, True),
    ("not a == 1", {"a": ["2"]}, True),
    ("not a == 1", {}, True),
    ("not (a == 1 or b == 2) and answered(c)", {"c": ["x"]}, True),
    ("answered(a) or not answered(b) and answered(c)", {"b": ["x"]}, False),
    ("(answered(a) or not answered(b)) and answered(c)", {"c": ["x"]}, True),
    ('navn == "Kari \\"K\\" Nordmann"', {"navn": ['Kari "K" Nordmann']}, True),
    ('navn == "Ærlig"', {"navn": ["Ærlig"]}, True),
    ('navn == "ærlig"', {"navn": ["Ærlig"]}, False),
    ('a == "constructor"', {"a": ["constructor"]}, True),
    ("answered(constructor)", {}, False),
    ("answered(__proto__)", {}, False),
]


def run_node(script: str, payload: object) -> object:
    completed = subprocess.run(
        [NODE, "-e", script, str(CONDITIONS_JS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout)


EVALUATE_ALL = """
const conditions = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const results = cases.map(([ast, answers]) => conditions.evaluate(ast, answers));
  process.stdout.write(JSON.stringify(results));
});
"""

VISIBLE_ALL = """
const conditions = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { plan, answerSets } = JSON.parse(input);
  process.stdout.write(JSON.stringify(answerSets.map((a) => conditions.visibleIds(plan, a))));
});
"""


def test_the_table_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_python_and_javascript_agree_with_the_expected_result():
    asts = [parse_condition(source).ast for source, _, _ in CASES]
    python = [evaluate(tree, answers) for tree, (_, answers, _) in zip(asts, CASES, strict=True)]
    javascript = run_node(
        EVALUATE_ALL, [[tree, answers] for tree, (_, answers, _) in zip(asts, CASES, strict=True)]
    )
    for (source, answers, want), py, js in zip(CASES, python, javascript, strict=True):
        assert (py, js) == (want, want), f"{source} with {answers}"


FORM = """\
id: flyt
title: Flyt
modes: [self]
pages:
  - id: start
    title: Start
    questions:
      - {id: rolle, type: single_choice, text: Rolle,
         choices: [{value: pasient, label: Pasient}, {value: parorende, label: Pårørende}]}
      - {id: mott, type: yes_no, text: Møtt, show_if: 'rolle == "pasient"'}
      - {id: hvordan, type: short_text, text: Hvordan, show_if: 'mott == "ja"'}
      - {id: info, type: info, text: Takk, show_if: 'answered(hvordan)'}
  - id: parorende
    title: Pårørende
    show_if: 'rolle == "parorende"'
    questions:
      - {id: involvert, type: yes_no, text: Involvert}
  - id: slutt
    title: Slutt
    questions:
      - {id: etter, type: short_text, text: Etter,
         show_if: 'answered(hvordan) or involvert == "ja"'}
"""


def test_visible_ids_match_the_server_walk():
    questionnaire = load_text(FORM, "flyt.yaml").questionnaire
    answer_sets = [
        {},
        {"rolle": ["pasient"]},
        {"rolle": ["pasient"], "mott": ["ja"], "hvordan": ["bra"]},
        {"rolle": ["parorende"], "mott": ["ja"], "hvordan": ["bra"]},
        {"rolle": ["parorende"], "involvert": ["ja"]},
        {"rolle": ["pasient"], "involvert": ["ja"]},
    ]
    javascript = run_node(
        VISIBLE_ALL, {"plan": visibility_plan(questionnaire), "answerSets": answer_sets}
    )
    for answers, js in zip(answer_sets, javascript, strict=True):
        server = visibility(questionnaire, answers)
        assert set(js["pages"]) == server.pages, answers
        assert set(js["questions"]) == server.questions, answers
        assert set(js["answerIds"]) == server.answer_ids, answers
