"""validation.js finds the same problems as the server's validator, from the same rules.

Every case goes through `submission.validate` (after the cleaning that `parse_form` does)
and through `SurveyValidation.validate` in node with the rules `rules.answer_rules` renders
for the page; both must agree with each other and, where a case states it, with the result
a person expects.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from surveyapp.collect.rules import answer_rules
from surveyapp.collect.submission import DECLINED, _clean_text, parse_number, validate
from surveyapp.questionnaire import load_text, visibility_plan

JS = Path(__file__).resolve().parents[3] / "surveyapp" / "static" / "js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

FORM = """\
id: regler
title: Regler
modes: [self, interview]
scales:
  grad:
    options:
      - {value: 1, label: Lite}
      - {value: 2, label: Noe}
      - {value: 3, label: Mye}
    not_applicable: {value: 9, label: Ikke aktuelt}
pages:
  - id: en
    title: En
    questions:
      - {id: rolle, type: single_choice, text: Rolle, required: true,
         choices: [{value: pasient, label: Pasient}, {value: leder, label: Leder}]}
      - {id: antall, type: number, text: Antall, min: 0, max: 100, required: true,
         show_if: 'rolle == "leder"'}
      - {id: prosent, type: number, text: Prosent, integer: false, min: 0.5}
      - {id: tak, type: number, text: Tak, max: -1}
      - {id: fri, type: number, text: Fri}
  - id: to
    title: To
    questions:
      - {id: hjelp, type: multiple_choice, text: Hjelp,
         choices: [{value: hap, label: Håp}, {value: nav, label: NAV},
                   {value: vet_ikke, label: Vet ikke, exclusive: true}]}
      - {id: ja, type: yes_no, text: Ja eller nei}
      - {id: grad, type: scale, scale: grad, text: Grad}
      - {id: m, type: matrix, scale: grad, text: Matrise, required: true,
         items: [{id: a, text: A}, {id: b, text: B}]}
      - {id: kort, type: short_text, text: Kort, max_length: 5}
      - {id: lang, type: long_text, text: Lang}
"""
QUESTIONNAIRE = load_text(FORM, "regler.yaml").questionnaire
FULL = {"rolle": ["pasient"], "m.a": ["1"], "m.b": ["9"]}

# (answers as the form holds them, options, the codes a person expects or None to skip)
CASES = [
    ({}, {}, {"rolle": "required", "m.a": "required", "m.b": "required"}),
    (FULL, {}, {}),
    ({**FULL, "rolle": ["leder"]}, {}, {"antall": "required"}),
    ({**FULL, "rolle": ["leder"], "antall": ["150"]}, {}, {"antall": "out_of_range"}),
    ({**FULL, "rolle": ["leder"], "antall": ["100"]}, {}, {}),
    ({**FULL, "rolle": ["leder"], "antall": ["-1"]}, {}, {"antall": "out_of_range"}),
    ({**FULL, "rolle": ["leder"], "antall": ["3,5"]}, {}, {"antall": "not_integer"}),
    ({**FULL, "rolle": ["leder"], "antall": ["tre"]}, {}, {"antall": "not_a_number"}),
    ({**FULL, "rolle": ["leder"], "antall": ["1 0"]}, {}, {}),
    ({**FULL, "rolle": ["leder"], "antall": ["  42\t"]}, {}, {}),
    ({**FULL, "rolle": ["leder"], "antall": ["1e2"]}, {}, {}),
    ({**FULL, "rolle": ["leder"], "antall": ["1e3"]}, {}, {"antall": "out_of_range"}),
    ({**FULL, "rolle": ["leder"], "antall": ["1", "2"]}, {}, {"antall": "one_value_only"}),
    ({**FULL, "rolle": ["leder"], "antall": [DECLINED]}, {}, {"antall": "required"}),
    ({**FULL, "rolle": ["leder"], "antall": [DECLINED]}, {"mayDeclineRequired": True}, {}),
    ({**FULL, "rolle": ["pasient"], "antall": ["150"]}, {}, {}),  # hidden: dropped
    ({**FULL, "rolle": [DECLINED]}, {}, {"rolle": "required"}),
    ({**FULL, "rolle": [DECLINED]}, {"mayDeclineRequired": True}, {}),
    ({**FULL, "rolle": ["sjef"]}, {}, {"rolle": "invalid_choice"}),
    (
        {**FULL, "rolle": ["pasient", "leder"]},
        {},
        {"rolle": "one_value_only", "antall": "required"},
    ),
    ({**FULL, "rolle": ["  pasient "]}, {}, {}),
    ({**FULL, "rolle": ["", " "]}, {}, {"rolle": "required"}),
    ({**FULL, "prosent": ["0,5"]}, {}, {}),
    ({**FULL, "prosent": ["0.49"]}, {}, {"prosent": "out_of_range"}),
    ({**FULL, "prosent": ["1e400"]}, {}, {"prosent": "not_a_number"}),
    ({**FULL, "tak": ["-1"]}, {}, {}),
    ({**FULL, "tak": ["0"]}, {}, {"tak": "out_of_range"}),
    ({**FULL, "fri": ["-12345678901"]}, {}, {}),
    ({**FULL, "fri": ["inf"]}, {}, {"fri": "not_a_number"}),
    ({**FULL, "hjelp": ["hap", "nav"]}, {}, {}),
    ({**FULL, "hjelp": ["hap", "vet_ikke"]}, {}, {"hjelp": "exclusive_choice"}),
    ({**FULL, "hjelp": ["vet_ikke"]}, {}, {}),
    ({**FULL, "hjelp": ["hap", "hap"]}, {}, {"hjelp": "invalid_choice"}),
    ({**FULL, "hjelp": ["hap", "annet"]}, {}, {"hjelp": "invalid_choice"}),
    ({**FULL, "hjelp": [DECLINED]}, {}, {}),
    ({**FULL, "hjelp": [DECLINED, "hap"]}, {}, {"hjelp": "invalid_choice"}),
    ({**FULL, "ja": ["ja"]}, {}, {}),
    ({**FULL, "ja": ["kanskje"]}, {}, {"ja": "invalid_choice"}),
    ({**FULL, "grad": ["9"]}, {}, {}),
    ({**FULL, "grad": ["4"]}, {}, {"grad": "invalid_choice"}),
    ({**FULL, "m.a": [DECLINED]}, {}, {"m.a": "required"}),
    ({**FULL, "m.b": []}, {}, {"m.b": "required"}),
    ({**FULL, "kort": ["fem øl"]}, {}, {"kort": "too_long"}),
    ({**FULL, "kort": ["femøl"]}, {}, {}),
    ({**FULL, "kort": ["fe\u0301m"]}, {}, {}),  # e + combining accent is one letter in NFC
    ({**FULL, "kort": ["ab\x00\x00cd\u200b"]}, {}, {}),  # control and format characters go
    ({**FULL, "kort": ["😀😀😀😀😀"]}, {}, {}),  # five characters, ten UTF-16 units
    ({**FULL, "kort": ["😀😀😀😀😀😀"]}, {}, {"kort": "too_long"}),
    ({**FULL, "kort": ["ab\r\ncd"]}, {}, {}),
    ({**FULL, "lang": ["x" * 4000]}, {}, {}),
    ({**FULL, "lang": ["x" * 4001]}, {}, {"lang": "too_long"}),
    ({"antall": ["150"], "kort": ["for lang"]}, {"only": ["rolle"]}, {"rolle": "required"}),
    ({"rolle": ["leder"], "kort": ["for lang"]}, {"only": ["kort"]}, {"kort": "too_long"}),
]

NUMBERS = [
    "150",
    "1,5",
    "1 000",
    "1_000",
    "_1",
    "1__0",
    "1_",
    "1e3",
    "1E-2",
    ".5",
    "5.",
    ".",
    "+5",
    "-0",
    "inf",
    "nan",
    "Infinity",
    "1e400",
    "0x10",
    "1" + "0" * 400,
    "١٢",
    "１２",
    "1٢",
    "٣,٥",
    "²",
    "1\xa0000",
    "",
    "-",
    "1,5,5",
    "1.5.5",
    "\t7",
    "12abc",
    "e5",
    "1e",
    "1e+",
    "00012",
    "1_000.000_1",
    "1e1_0",
    "1_e5",
    "𝟗",
    "5\u00a0",
    "0.1",
    "9007199254740993",
]


def run_node(script: str, payload: object) -> object:
    completed = subprocess.run(
        [NODE, "-e", script, str(JS / "validation.js")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=JS,
    )
    return json.loads(completed.stdout)


SCRIPT = """
const validation = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { rules, plan, cases, numbers, texts } = JSON.parse(input);
  process.stdout.write(JSON.stringify({
    cases: cases.map(([answers, options]) => validation.validate(rules, plan, answers, options)),
    numbers: numbers.map(validation.parseNumber),
    texts: texts.map(validation.cleanText),
  }));
});
"""


def python_validate(answers: dict, options: dict):
    cleaned = {}
    for answer_id, values in answers.items():
        kept = [text for text in map(_clean_text, values) if text]
        if kept:
            cleaned[answer_id] = kept
    only = options.get("only")
    return validate(
        QUESTIONNAIRE,
        cleaned,
        only=[QUESTIONNAIRE.question(q) for q in only] if only else None,
        may_decline_required=options.get("mayDeclineRequired", False),
    )


@pytest.fixture(scope="module")
def javascript():
    return run_node(
        SCRIPT,
        {
            "rules": answer_rules(QUESTIONNAIRE),
            "plan": visibility_plan(QUESTIONNAIRE),
            "cases": [[answers, options] for answers, options, _ in CASES],
            "numbers": NUMBERS,
            "texts": [v for answers, _, _ in CASES for vs in answers.values() for v in vs],
        },
    )


def test_the_table_covers_every_kind_of_rule():
    kinds = {rule["kind"] for rule in answer_rules(QUESTIONNAIRE)["answers"].values()}
    assert kinds == {"choice", "multiple", "number", "text"}
    assert len(CASES) >= 40


@pytest.mark.parametrize("index", range(len(CASES)))
def test_browser_and_server_find_the_same_problems(javascript, index):
    answers, options, expected = CASES[index]
    cleaned, errors = python_validate(answers, options)
    js = javascript["cases"][index]
    server = [(e.answer_id, e.code, e.params) for e in errors]
    browser = [(e["answer_id"], e["code"], e["params"]) for e in js["errors"]]
    assert browser == server, answers
    assert js["answers"] == cleaned
    assert {answer_id: code for answer_id, code, _ in server} == expected


def test_numbers_are_read_alike(javascript):
    python = [parse_number(value) for value in NUMBERS]
    assert javascript["numbers"] == python
    assert dict(zip(NUMBERS, python, strict=True))["1 000"] == 1000
    assert dict(zip(NUMBERS, python, strict=True))["٣,٥"] == 3.5


def test_text_is_cleaned_alike(javascript):
    texts = [v for answers, _, _ in CASES for vs in answers.values() for v in vs]
    assert javascript["texts"] == [_clean_text(text) for text in texts]
