"""The `show_if` condition language: parser, evaluator, and which questions are visible."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ConditionSyntaxError
from .model import Condition, Page, Question, Questionnaire

MAX_CONDITION_LENGTH = 2000
MAX_CONDITION_DEPTH = 50

# A value counts as a number only when written like this (the same pattern in conditions.js):
# digits, an optional leading minus, an optional decimal point with digits after it.
NUMBER_PATTERN = r"-?[0-9]+(?:\.[0-9]+)?"
_NUMBER = re.compile(NUMBER_PATTERN)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_WORD_CHARS = re.compile(r"[A-Za-z0-9_.]*")
_KEYWORDS = frozenset({"and", "or", "not", "in"})
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ORDERINGS = ("<", "<=", ">", ">=")
_LARGEST_EXACT_INT = 2**53


# --- Tokens -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "number", "string", "op", "(", ")", "[", "]", ",", "end"
    text: str  # as written in the source
    offset: int
    value: Any = None

    def is_keyword(self, word: str) -> bool:
        return self.kind == "name" and self.text == word


def _number_value(text: str, offset: int) -> int | float:
    if "." not in text and len(text) <= 16 and abs(int(text)) <= _LARGEST_EXACT_INT:
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise ConditionSyntaxError("condition_number_too_large", {"text": text}, offset)
    return value


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in " \t\r\n":
            i += 1
        elif c in "()[],":
            tokens.append(_Token(c, c, i))
            i += 1
        elif source.startswith(("==", "!=", "<=", ">="), i):
            tokens.append(_Token("op", source[i : i + 2], i))
            i += 2
        elif c in "<>":
            tokens.append(_Token("op", c, i))
            i += 1
        elif c == "=":
            raise ConditionSyntaxError("condition_single_equals", {}, i)
        elif source.startswith("&&", i):
            raise ConditionSyntaxError("condition_use_word", {"word": "and", "symbol": "&&"}, i)
        elif source.startswith("||", i):
            raise ConditionSyntaxError("condition_use_word", {"word": "or", "symbol": "||"}, i)
        elif c == "!":
            raise ConditionSyntaxError("condition_use_word", {"word": "not", "symbol": "!"}, i)
        elif c in "\"'":
            token, i = _string_token(source, i)
            tokens.append(token)
        elif (number := _NUMBER.match(source, i)) is not None:
            end = number.end()
            if end < n and (source[end].isalnum() or source[end] in "_."):
                word = source[i : _WORD_CHARS.match(source, end).end()]
                raise ConditionSyntaxError("condition_bad_number", {"text": word}, i)
            text = number.group()
            tokens.append(_Token("number", text, i, _number_value(text, i)))
            i = end
        elif (name := _IDENTIFIER.match(source, i)) is not None:
            tokens.append(_Token("name", name.group(), i))
            i = name.end()
        else:
            raise ConditionSyntaxError("condition_unexpected_char", {"char": c}, i)
    tokens.append(_Token("end", "", n))
    return tokens


def _string_token(source: str, start: int) -> tuple[_Token, int]:
    """A quoted string; a backslash takes the next character literally (\\" \\' \\\\)."""
    quote = source[start]
    chars: list[str] = []
    i = start + 1
    while i < len(source):
        c = source[i]
        if c == "\\" and i + 1 < len(source):
            chars.append(source[i + 1])
            i += 2
        elif c == quote:
            return _Token("string", source[start : i + 1], start, "".join(chars)), i + 1
        else:
            chars.append(c)
            i += 1
    raise ConditionSyntaxError("condition_unclosed_string", {}, start)


# --- Parser -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A comparison or `answered(...)` in a parsed condition, with offsets into its source."""

    node: dict[str, Any]  # the AST node itself
    ref: str
    ref_offset: int
    values: tuple[tuple[str | int | float, str, int], ...]  # (value, text as written, offset)


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.pos = 0
        self.depth = 0
        self.leaves: list[Leaf] = []

    @property
    def token(self) -> _Token:
        return self.tokens[self.pos]

    def advance(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def previous_text(self) -> str:
        return self.tokens[self.pos - 1].text if self.pos > 0 else ""

    def end_error(self) -> ConditionSyntaxError:
        return ConditionSyntaxError(
            "condition_unexpected_end", {"after": self.previous_text()}, self.token.offset
        )

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_CONDITION_DEPTH:
            raise ConditionSyntaxError(
                "condition_too_deep", {"limit": MAX_CONDITION_DEPTH}, self.token.offset
            )

    def parse(self) -> dict[str, Any]:
        if self.token.kind == "end":
            raise ConditionSyntaxError("condition_empty", {}, 0)
        node = self.parse_or()
        if self.token.kind != "end":
            raise ConditionSyntaxError(
                "condition_unexpected_token", {"found": self.token.text}, self.token.offset
            )
        return node

    def parse_or(self) -> dict[str, Any]:
        args = [self.parse_and()]
        while self.token.is_keyword("or"):
            self.advance()
            args.append(self.parse_and())
        return args[0] if len(args) == 1 else {"op": "or", "args": args}

    def parse_and(self) -> dict[str, Any]:
        args = [self.parse_not()]
        while self.token.is_keyword("and"):
            self.advance()
            args.append(self.parse_not())
        return args[0] if len(args) == 1 else {"op": "and", "args": args}

    def parse_not(self) -> dict[str, Any]:
        if self.token.is_keyword("not"):
            self.advance()
            self.enter()
            node = {"op": "not", "arg": self.parse_not()}
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> dict[str, Any]:
        token = self.token
        if token.kind == "(":
            self.advance()
            self.enter()
            node = self.parse_or()
            self.depth -= 1
            if self.token.kind == "end":
                raise ConditionSyntaxError("condition_missing_close_paren", {}, self.token.offset)
            if self.token.kind != ")":
                raise ConditionSyntaxError(
                    "condition_unexpected_token", {"found": self.token.text}, self.token.offset
                )
            self.advance()
            return node
        if token.kind == "end":
            raise self.end_error()
        if token.kind != "name" or token.text in _KEYWORDS:
            raise ConditionSyntaxError(
                "condition_expected_reference", {"found": token.text}, token.offset
            )
        self.advance()
        if token.text == "answered" and self.token.kind == "(":
            return self.parse_answered()
        return self.parse_comparison(token)

    def parse_answered(self) -> dict[str, Any]:
        self.advance()  # "("
        ref = self.token
        if ref.kind == "end":
            raise self.end_error()
        if ref.kind != "name" or ref.text in _KEYWORDS:
            raise ConditionSyntaxError("condition_expected_open_paren", {}, ref.offset)
        self.advance()
        if self.token.kind == "end":
            raise ConditionSyntaxError("condition_missing_close_paren", {}, self.token.offset)
        if self.token.kind != ")":
            raise ConditionSyntaxError(
                "condition_unexpected_token", {"found": self.token.text}, self.token.offset
            )
        self.advance()
        node = {"op": "answered", "ref": ref.text}
        self.leaves.append(Leaf(node, ref.text, ref.offset, ()))
        return node

    def parse_comparison(self, ref: _Token) -> dict[str, Any]:
        token = self.token
        if token.kind == "op":
            self.advance()
            value = self.parse_value(token.text)
            node = {"op": token.text, "ref": ref.text, "value": value.value}
            self.leaves.append(
                Leaf(node, ref.text, ref.offset, ((value.value, value.text, value.offset),))
            )
            return node
        op = None
        if token.is_keyword("in"):
            self.advance()
            op = "in"
        elif token.is_keyword("not") and self.tokens[self.pos + 1].is_keyword("in"):
            self.advance()
            self.advance()
            op = "not in"
        if op is None:
            if token.kind == "end":
                raise self.end_error()
            raise ConditionSyntaxError(
                "condition_expected_operator", {"ref": ref.text, "found": token.text}, token.offset
            )
        values = self.parse_list(op)
        node = {"op": op, "ref": ref.text, "values": [v.value for v in values]}
        self.leaves.append(
            Leaf(node, ref.text, ref.offset, tuple((v.value, v.text, v.offset) for v in values))
        )
        return node

    def parse_value(self, op: str) -> _Token:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return token
        if token.kind == "end":
            raise self.end_error()
        if token.kind == "name" and token.text not in _KEYWORDS:
            raise ConditionSyntaxError(
                "condition_unquoted_value", {"found": token.text}, token.offset
            )
        raise ConditionSyntaxError(
            "condition_expected_value", {"op": op, "found": token.text}, token.offset
        )

    def parse_list(self, op: str) -> list[_Token]:
        if self.token.kind == "end":
            raise self.end_error()
        if self.token.kind != "[":
            raise ConditionSyntaxError("condition_expected_list", {"op": op}, self.token.offset)
        self.advance()
        if self.token.kind == "]":
            raise ConditionSyntaxError("condition_empty_list", {}, self.token.offset)
        values = []
        while True:
            values.append(self.parse_value(op))
            token = self.token
            if token.kind == ",":
                self.advance()
                if self.token.kind == "]":  # a trailing comma is allowed
                    self.advance()
                    return values
            elif token.kind == "]":
                self.advance()
                return values
            elif token.kind == "end":
                raise self.end_error()
            else:
                raise ConditionSyntaxError(
                    "condition_expected_comma", {"found": token.text}, token.offset
                )


def parse_condition_leaves(source: str) -> tuple[Condition, tuple[Leaf, ...]]:
    """Parse `source` and also return its comparisons with their offsets (for messages)."""
    if len(source) > MAX_CONDITION_LENGTH:
        raise ConditionSyntaxError(
            "condition_too_long", {"limit": MAX_CONDITION_LENGTH}, MAX_CONDITION_LENGTH
        )
    parser = _Parser(source)
    ast = parser.parse()
    references = tuple(dict.fromkeys(leaf.ref for leaf in parser.leaves))
    return Condition(source=source, ast=ast, references=references), tuple(parser.leaves)


def parse_condition(source: str) -> Condition:
    """Parse a `show_if` expression; raises ConditionSyntaxError with an offset into `source`."""
    return parse_condition_leaves(source)[0]


# --- Meaning ----------------------------------------------------------------------------------


def as_number(value: object) -> float | None:
    """The value as a finite number, or None: JSON numbers, and strings like "4" or "-2.5"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str) and _NUMBER.fullmatch(value):
        number = float(value)
    else:
        return None
    return number if math.isfinite(number) else None


def values_equal(answer: str, value: object) -> bool:
    """Equal as numbers when both are numbers, else as strings; a number never equals text."""
    a, b = as_number(answer), as_number(value)
    if a is not None and b is not None:
        return a == b
    return isinstance(value, str) and answer == value


def _compare(answer: str, op: str, value: object) -> bool:
    a, b = as_number(answer), as_number(value)
    if a is None or b is None:
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _answer_values(answers: Mapping[str, Sequence[str]], ref: str) -> list[str]:
    values = answers.get(ref, ())
    if isinstance(values, str):
        values = (values,)
    return [v for v in values if isinstance(v, str) and v != ""]


def evaluate(ast: Mapping[str, Any], answers: Mapping[str, Sequence[str]]) -> bool:
    """Whether the condition holds; `answers` maps answer ids to lists of strings."""
    op = ast["op"]
    if op == "or":
        return any(evaluate(arg, answers) for arg in ast["args"])
    if op == "and":
        return all(evaluate(arg, answers) for arg in ast["args"])
    if op == "not":
        return not evaluate(ast["arg"], answers)
    values = _answer_values(answers, ast["ref"])
    if op == "answered":
        return bool(values)
    if op == "==":
        return any(values_equal(v, ast["value"]) for v in values)
    if op == "!=":
        return bool(values) and not any(values_equal(v, ast["value"]) for v in values)
    if op in ORDERINGS:
        return any(_compare(v, op, ast["value"]) for v in values)
    if op == "in":
        return any(values_equal(v, x) for v in values for x in ast["values"])
    if op == "not in":
        return bool(values) and not any(values_equal(v, x) for v in values for x in ast["values"])
    raise ValueError(f"unknown condition operator {op!r}")


# --- Visibility -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """Which pages, questions and answer ids are shown for a given set of answers."""

    pages: frozenset[str]
    questions: frozenset[str]
    answer_ids: frozenset[str]


def visibility(questionnaire: Questionnaire, answers: Mapping[str, Sequence[str]]) -> Visibility:
    """Walk the questionnaire in order; a hidden question's answers count as unanswered."""
    shown: dict[str, list[str]] = {}
    pages: set[str] = set()
    questions: set[str] = set()
    for page in questionnaire.pages:
        if page.show_if is not None and not evaluate(page.show_if.ast, shown):
            continue
        pages.add(page.id)
        for question in page.questions:
            if question.show_if is not None and not evaluate(question.show_if.ast, shown):
                continue
            questions.add(question.id)
            for answer_id in question.answer_ids:
                shown[answer_id] = _answer_values(answers, answer_id)
    return Visibility(frozenset(pages), frozenset(questions), frozenset(shown))


def visible_pages(questionnaire: Questionnaire, answers: Mapping[str, Sequence[str]]) -> list[Page]:
    """The pages whose own condition holds, in order."""
    shown = visibility(questionnaire, answers).pages
    return [page for page in questionnaire.pages if page.id in shown]


def visible_questions(
    questionnaire: Questionnaire, answers: Mapping[str, Sequence[str]]
) -> list[Question]:
    """The questions shown (their page shown and their own condition true), in order."""
    shown = visibility(questionnaire, answers).questions
    return [q for q in questionnaire.questions() if q.id in shown]


def visible_answer_ids(
    questionnaire: Questionnaire, answers: Mapping[str, Sequence[str]]
) -> set[str]:
    """The answer ids (question id, or `matrix.item`) of every visible question."""
    return set(visibility(questionnaire, answers).answer_ids)


def drop_hidden(
    questionnaire: Questionnaire, answers: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """Only the answers the respondent could see; unknown ids are dropped as well."""
    keep = visibility(questionnaire, answers).answer_ids
    result: dict[str, list[str]] = {}
    for answer_id, values in answers.items():
        if answer_id in keep:
            result[answer_id] = [values] if isinstance(values, str) else list(values)
    return result


def visibility_plan(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The JSON-serialisable structure `SurveyConditions.visibleIds` walks in the browser."""
    return [
        {
            "id": page.id,
            "show_if": page.show_if.ast if page.show_if else None,
            "questions": [
                {
                    "id": q.id,
                    "show_if": q.show_if.ast if q.show_if else None,
                    "answer_ids": list(q.answer_ids),
                }
                for q in page.questions
            ],
        }
        for page in questionnaire.pages
    ]
