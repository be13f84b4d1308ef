"""The rules an answer is checked against, as plain data for the browser.

The server's validator (`submission.validate`) decides; the browser checks the same rules
before an interview is finished, so that an interviewer hears about a number out of range
while the person is still there. The rules come from the questionnaire here and nowhere
else: the page renders `answer_rules(...)` as JSON and `static/js/validation.js` reads it.
`tests/unit/collect/test_validation_js_parity.py` runs the same cases through both.
"""

from __future__ import annotations

from collections.abc import Sequence

from surveyapp.collect.submission import text_limit
from surveyapp.questionnaire import Questionnaire, QuestionType

_CHOICE_TYPES = {
    QuestionType.SINGLE_CHOICE,
    QuestionType.YES_NO,
    QuestionType.SCALE,
    QuestionType.MATRIX,
}


def answer_rules(questionnaire: Questionnaire, dps_ids: Sequence[str] = ()) -> dict:
    """{"order": [answer ids as the validator walks them], "answers": {answer id: rule}}.

    A rule has the question's id, `kind` (choice, multiple, number, text), `required`, and
    what its kind needs: the allowed values (and the exclusive ones), the number limits, or
    the longest text.
    """
    order: list[str] = []
    answers: dict[str, dict] = {}
    for question in questionnaire.questions():
        for answer_id in question.answer_ids:
            rule: dict = {"question": question.id, "required": question.required}
            kind = question.type
            if kind is QuestionType.MULTIPLE_CHOICE:
                rule |= {
                    "kind": "multiple",
                    "choices": [c.value for c in question.choices],
                    "exclusive": [c.value for c in question.choices if c.exclusive],
                }
            elif kind in _CHOICE_TYPES:
                rule |= {"kind": "choice", "choices": [c.value for c in question.options()]}
            elif kind is QuestionType.DPS:
                rule |= {"kind": "choice", "choices": list(dps_ids)}
            elif kind is QuestionType.NUMBER:
                rule |= {
                    "kind": "number",
                    "min": question.min,
                    "max": question.max,
                    "integer": question.integer,
                }
            else:
                rule |= {"kind": "text", "max_length": text_limit(question)}
            order.append(answer_id)
            answers[answer_id] = rule
    return {"order": order, "answers": answers}


# The error codes each kind of rule can give, for the messages a page sends along.
CODES = {
    "choice": ("required", "invalid_choice", "one_value_only"),
    "multiple": ("required", "invalid_choice", "exclusive_choice"),
    "number": ("required", "one_value_only", "not_a_number", "not_integer", "out_of_range"),
    "text": ("required", "one_value_only", "too_long"),
}


def error_params(rule: dict, code: str) -> dict:
    """The parameters a message of this code shows (the limits, not the value given)."""
    if code == "out_of_range":
        return {"min": rule["min"], "max": rule["max"]}
    if code == "too_long":
        return {"max": rule["max_length"]}
    return {}
