"""Read questionnaire YAML files into the model, reporting every problem with its place."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .conditions import Leaf, as_number, parse_condition_leaves, values_equal
from .errors import ConditionSyntaxError, Problem
from .model import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    SOURCE_LANGUAGE,
    Choice,
    Combination,
    Condition,
    Indicator,
    MatrixItem,
    Mode,
    Page,
    Question,
    Questionnaire,
    QuestionType,
    Reporting,
    ReportingLevel,
    Scale,
    Text,
)

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20  # nested lists and mappings; a questionnaire needs about ten
MAX_SCALE_STEPS = 101

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")
INTEGER_PATTERN = re.compile(r"-?[0-9]+")
RESERVED_IDS = frozenset({"and", "or", "not", "in"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL_TAG = "tag:yaml.org,2002:null"
_TOO_DEEP = "too deeply nested"

TOP_KEYS = (
    "id",
    "title",
    "description",
    "modes",
    "languages",
    "reporting",
    "report_groups",
    "scales",
    "pages",
    "indicators",
)
INDICATOR_KEYS = ("id", "name", "description", "items", "combine", "values")
MEAN_TYPES = (QuestionType.SCALE, QuestionType.MATRIX)
SHARE_TYPES = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.YES_NO,
    QuestionType.SCALE,
    QuestionType.MATRIX,
)
REPORTING_KEYS = ("level", "note")
PAGE_KEYS = ("id", "title", "intro", "show_if", "questions")
SCALE_KEYS = ("options", "not_applicable", "numeric", "from", "to", "labels")
COMMON_QUESTION_KEYS = (
    "id",
    "type",
    "text",
    "help",
    "required",
    "required_message",
    "show_if",
    "interviewer_note",
)
INFO_KEYS = ("id", "type", "text", "show_if")
TYPE_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE_CHOICE: ("choices",),
    QuestionType.MULTIPLE_CHOICE: ("choices",),
    QuestionType.YES_NO: ("dont_know",),
    QuestionType.SCALE: ("scale", "not_applicable"),
    QuestionType.MATRIX: ("scale", "not_applicable", "items"),
    QuestionType.NUMBER: ("min", "max", "integer", "unit"),
    QuestionType.SHORT_TEXT: ("max_length",),
    QuestionType.LONG_TEXT: ("max_length",),
    QuestionType.INFO: (),
    QuestionType.DPS: (),
}
ALL_QUESTION_KEYS = tuple(
    dict.fromkeys(COMMON_QUESTION_KEYS + tuple(k for keys in TYPE_KEYS.values() for k in keys))
)
TEXT_LIMITS = {QuestionType.SHORT_TEXT: SHORT_TEXT_MAX, QuestionType.LONG_TEXT: LONG_TEXT_MAX}
CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO)


def _yes_no_choices(dont_know: bool) -> tuple[Choice, ...]:
    choices = (
        Choice("ja", Text(nb="Ja", nn="Ja", en="Yes")),
        Choice("nei", Text(nb="Nei", nn="Nei", en="No")),
    )
    if dont_know:
        choices += (Choice("vet_ikke", Text(nb="Vet ikke", nn="Veit ikkje", en="Don't know")),)
    return choices


@dataclass
class LoadResult:
    """What loading one file gives: the questionnaire, or None and the problems."""

    questionnaire: Questionnaire | None
    problems: list[Problem] = field(default_factory=list)
    questionnaire_id: str | None = None  # the `id`, when it could be read (even if broken)
    id_position: tuple[int, int] = (1, 1)  # where the `id` value is written

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None


# --- Composing YAML into nodes, refusing what a questionnaire never needs --------------------


class _Placeholder(ScalarNode):
    """Stands in for a refused alias or a too-deep collection; checks skip it silently."""

    def __init__(self, start_mark: Any, end_mark: Any) -> None:
        super().__init__(_NULL_TAG, "", start_mark, end_mark)


class _Composer(yaml.SafeLoader):
    """Builds the node tree (like `yaml.compose`) but never expands anchors or aliases."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.refusals: list[tuple[Any, str, dict[str, Any]]] = []
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self.refusals.append((event.start_mark, "yaml_alias", {"name": event.anchor}))
            return _Placeholder(event.start_mark, event.end_mark)
        event = self.peek_event()
        if event.anchor is not None:
            self.refusals.append((event.start_mark, "yaml_anchor", {"name": event.anchor}))
        if event.tag not in (None, "!"):
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.refusals.append((event.start_mark, "yaml_tag", {"tag": tag}))
        if isinstance(event, yaml.ScalarEvent):
            return self.compose_scalar_node(None)
        if self.depth >= MAX_DEPTH:
            self._skip_collection()
            if not any(code == "yaml_too_deep" for _, code, _ in self.refusals):
                self.refusals.append((event.start_mark, "yaml_too_deep", {"limit": MAX_DEPTH}))
            return _Placeholder(event.start_mark, event.end_mark)
        self.depth += 1
        try:
            if isinstance(event, yaml.SequenceStartEvent):
                return self.compose_sequence_node(None)
            return self.compose_mapping_node(None)
        finally:
            self.depth -= 1

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # Stop runaway [[[[... early: PyYAML's scanner slows down with every open bracket.
        if self.flow_level >= MAX_DEPTH:
            raise yaml.scanner.ScannerError(None, None, _TOO_DEEP, self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def _skip_collection(self) -> None:
        level = 0
        while True:
            event = self.get_event()
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                level += 1
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                level -= 1
            if level == 0:
                return


def _yaml_error_problem(exc: yaml.MarkedYAMLError) -> tuple[Any, str, dict[str, Any]]:
    """Turn PyYAML's English problem into one of our messages, at the place it names."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    context = exc.context or ""
    if problem == _TOO_DEEP:
        return mark, "yaml_too_deep", {"limit": MAX_DEPTH}
    if "'\\t'" in problem:
        return mark, "yaml_tab", {}
    if problem == "mapping values are not allowed here":
        return mark, "yaml_colon", {}
    if problem == "could not find expected ':'":
        return mark, "yaml_missing_colon", {}
    if "quoted scalar" in context and "end of stream" in problem and exc.context_mark:
        return exc.context_mark, "yaml_unclosed_quote", {"start_line": exc.context_mark.line + 1}
    if problem == "expected <block end>, but found '<scalar>'" and mark is not None:
        before = mark.buffer[: mark.pointer].rstrip(" ") if mark.buffer else ""
        if before.endswith(("'", '"')):
            return mark, "yaml_text_after_quote", {}
    if problem.startswith("expected <block end>") or problem.startswith("did not find expected"):
        return mark, "yaml_indentation", {}
    if problem == "sequence entries are not allowed here":
        return mark, "yaml_dash", {}
    if problem.startswith("expected ',' or") and problem.endswith("but got '?'"):
        return mark, "yaml_flow_question_mark", {}
    if problem.startswith("expected ',' or"):
        return mark, "yaml_unclosed_bracket", {}
    found = re.match(r"found character '(.+)' that cannot start any token", problem)
    if found:
        return mark, "yaml_reserved_char", {"char": found.group(1)}
    if context.startswith("while scanning an alias") or context.startswith(
        "while scanning an anchor"
    ):
        char = "*" if "alias" in context else "&"
        return exc.context_mark or mark, "yaml_reserved_char", {"char": char}
    if problem.startswith("found unknown escape character"):
        return mark, "yaml_bad_escape", {}
    if "another document" in problem:
        return mark, "yaml_multiple_documents", {}
    return mark, "yaml_syntax", {"problem": problem or context}


# --- Checking the node tree -------------------------------------------------------------------


@dataclass
class _QuestionDraft:
    """A question as read so far; kept even when broken, so later checks can refer to it."""

    id: str
    type: QuestionType | None
    line: int
    order: int
    page_index: int
    node: Node
    fields: dict[str, Any]  # keyword arguments for Question
    show_if_node: Node | None = None
    item_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class _Target:
    draft: _QuestionDraft
    kind: str  # "question", "item" or "matrix"
    line: int


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _value_key(value: str) -> object:
    """Values that conditions cannot tell apart (1 and 1.0) get the same key."""
    number = as_number(value)
    return value if number is None else number


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate, for «mente du …?»; none when there are too many to compare."""
    candidates = list(candidates)
    if len(candidates) > 1000:
        return None
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


class _FileReader:
    def __init__(self, text: str, name: str) -> None:
        self.source = text
        self.name = name
        self.problems: list[Problem] = []
        self.scales: dict[str, Scale] = {}
        self.scale_names: set[str] = set()  # declared, even when broken
        self.questionnaire_id: str | None = None
        self.id_position = (1, 1)
        self.question_lines: dict[str, int] = {}
        self.targets: dict[str, _Target] = {}

    # Reporting

    def report(self, where: Node | Any | tuple[int, int], code: str, **params: Any) -> None:
        if isinstance(where, tuple):
            line, col = where
        else:
            mark = where.start_mark if isinstance(where, Node) else where
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(Problem(self.name, line, col, code, params))

    # Reading

    def read(self) -> Questionnaire | None:
        tab_lines = self.check_tabs()
        root = self.compose(tab_lines)
        if root is None:
            if not self.problems:
                self.report((1, 1), "file_empty")
            return None
        self.check_keys(root)
        questionnaire = self.read_questionnaire(root)
        return None if self.problems else questionnaire

    def check_tabs(self) -> set[int]:
        lines: set[int] = set()
        for number, line in enumerate(self.source.split("\n"), start=1):
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip(" \t"))
            if "\t" in line[:indent]:
                lines.add(number)
                self.report((number, line.index("\t") + 1), "yaml_tab")
        return lines

    def compose(self, tab_lines: set[int]) -> Node | None:
        try:
            loader = _Composer(self.source)
        except yaml.reader.ReaderError as exc:
            self.report_reader_error(exc)
            return None
        try:
            # What yaml.compose(text, Loader=_Composer) does, keeping the loader for its notes.
            root = loader.get_single_node()
        except yaml.reader.ReaderError as exc:
            self.report_reader_error(exc)
            return None
        except yaml.MarkedYAMLError as exc:
            mark, code, params = _yaml_error_problem(exc)
            if not (tab_lines and (code == "yaml_tab" or (mark and mark.line + 1 in tab_lines))):
                self.report(mark, code, **params)
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always gives a place
            self.report((1, 1), "yaml_syntax", problem=str(exc))
            return None
        finally:
            loader.dispose()
        for mark, code, params in loader.refusals:
            self.report(mark, code, **params)
        if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL_TAG):
            return None  # empty (a refused root alias is already reported)
        return root

    def report_reader_error(self, exc: yaml.reader.ReaderError) -> None:
        position = max(0, min(exc.position, len(self.source)))
        before = self.source[:position]
        line = before.count("\n") + 1
        col = position - (before.rfind("\n") + 1) + 1
        character = exc.character
        code = ord(character) if isinstance(character, str) else int(character)
        shown = f"U+{code:04X}"
        self.report((line, col), "yaml_bad_character", character=shown)

    def check_keys(self, node: Node) -> None:
        """Duplicated and non-scalar keys, anywhere in the tree (PyYAML accepts both)."""
        if isinstance(node, SequenceNode):
            for child in node.value:
                self.check_keys(child)
        elif isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, _Placeholder):
                    pass
                elif not isinstance(key, ScalarNode):
                    self.report(key, "yaml_complex_key")
                elif key.value in seen:
                    self.report(
                        key, "yaml_duplicate_key", key=_short(key.value), other_line=seen[key.value]
                    )
                else:
                    seen[key.value] = key.start_mark.line + 1
                self.check_keys(value)

    # Generic shapes

    def fields(
        self,
        node: Node,
        key: str,
        allowed: Sequence[str],
        required: Sequence[str] = (),
        question_type: QuestionType | None = None,
    ) -> dict[str, tuple[Node, Node]] | None:
        """The keys of a mapping (first of any duplicates), reporting unknown and missing ones."""
        if not self.is_mapping(node, key):
            return None
        result: dict[str, tuple[Node, Node]] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or isinstance(key_node, _Placeholder):
                continue
            name = key_node.value
            if name in seen:
                continue
            seen.add(name)
            if name in allowed:
                result[name] = (key_node, value_node)
            elif question_type is not None and name in ALL_QUESTION_KEYS:
                self.report(
                    key_node,
                    "key_not_for_type",
                    key=name,
                    type=question_type.value,
                    allowed=", ".join(allowed),
                )
            else:
                self.unknown(key_node, name, allowed)
        for name in required:
            if name not in seen:
                self.report(node, "missing_key", key=name)
        return result

    def unknown(self, node: Node, name: str, allowed: Sequence[str]) -> None:
        suggestion = _suggest(name, allowed)
        if suggestion:
            self.report(
                node,
                "unknown_key_suggestion",
                key=_short(name),
                suggestion=suggestion,
                allowed=", ".join(allowed),
            )
        else:
            self.report(node, "unknown_key", key=_short(name), allowed=", ".join(allowed))

    def is_mapping(self, node: Node, key: str) -> bool:
        if isinstance(node, MappingNode):
            return True
        if isinstance(node, _Placeholder):
            return False
        if isinstance(node, SequenceNode):
            self.report(node, "expected_mapping_not_list", key=key)
        elif node.tag == _NULL_TAG:
            self.report(node, "empty_value", key=key)
        else:
            self.report(node, "expected_mapping_not_scalar", key=key, value=_short(node.value))
        return False

    def items(self, node: Node, key: str, allow_empty: bool = False) -> list[Node] | None:
        if isinstance(node, SequenceNode):
            if not node.value and not allow_empty:
                self.report(node, "empty_list", key=key)
            return list(node.value)
        if isinstance(node, _Placeholder):
            return None
        if isinstance(node, MappingNode):
            self.report(node, "expected_list_not_mapping", key=key)
        elif node.tag == _NULL_TAG:
            self.report(node, "empty_value", key=key)
        else:
            self.report(node, "expected_list_not_scalar", key=key, value=_short(node.value))
        return None

    def scalar(self, node: Node, key: str) -> str | None:
        if isinstance(node, _Placeholder):
            return None
        if not isinstance(node, ScalarNode):
            self.report(node, "expected_scalar", key=key)
            return None
        if node.tag == _NULL_TAG or node.value == "":
            self.report(node, "empty_value", key=key)
            return None
        return node.value

    def identifier(self, node: Node, key: str) -> str | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        if not ID_PATTERN.fullmatch(value):
            self.report(node, "invalid_id", value=_short(value))
            return None
        if value in RESERVED_IDS:
            self.report(node, "reserved_id", value=value)
            return None
        return value

    def text(self, node: Node, key: str) -> Text | None:
        """A plain string (bokmål), or a mapping of language codes to strings with `nb`."""
        if isinstance(node, _Placeholder):
            return None
        if isinstance(node, SequenceNode):
            self.report(node, "expected_text", key=key)
            return None
        if isinstance(node, ScalarNode):
            if node.tag == _NULL_TAG:
                self.report(node, "empty_value", key=key)
                return None
            if not node.value.strip():
                self.report(node, "empty_text", key=key)
                return None
            return Text({SOURCE_LANGUAGE: node.value})
        texts: dict[str, str] = {}
        seen: set[str] = set()
        broken = False
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or isinstance(key_node, _Placeholder):
                broken = True
                continue
            language = key_node.value
            if language in seen:
                continue
            seen.add(language)
            if not LANGUAGE_PATTERN.fullmatch(language):
                self.report(key_node, "invalid_language", value=_short(language))
                broken = True
                continue
            if isinstance(value_node, _Placeholder):
                broken = True
            elif not isinstance(value_node, ScalarNode):
                self.report(value_node, "expected_scalar", key=f"{key}.{language}")
                broken = True
            elif value_node.tag == _NULL_TAG or not value_node.value.strip():
                self.report(value_node, "empty_text", key=f"{key}.{language}")
                broken = True
            else:
                texts[language] = value_node.value
        if SOURCE_LANGUAGE not in seen:
            self.report(node, "missing_nb", key=key)
            return None
        return None if broken else Text(texts)

    def boolean(self, node: Node, key: str) -> bool | None:
        if isinstance(node, _Placeholder):
            return None
        if not isinstance(node, ScalarNode):
            self.report(node, "expected_scalar", key=key)
            return None
        if node.style is None and node.value in _TRUE:
            return True
        if node.style is None and node.value in _FALSE:
            return False
        if node.tag == _NULL_TAG and node.style is None:
            self.report(node, "empty_value", key=key)
        else:
            self.report(node, "expected_bool", key=key, value=_short(node.value))
        return None

    def number(self, node: Node, key: str, integer: bool = False) -> float | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        number = as_number(value)
        if number is None:
            self.report(node, "expected_number", key=key, value=_short(value))
            return None
        if integer and not INTEGER_PATTERN.fullmatch(value):
            self.report(node, "expected_integer", key=key, value=_short(value))
            return None
        return number

    def integer(self, node: Node, key: str) -> int | None:
        value = self.scalar(node, key)
        if value is None:
            return None
        if not INTEGER_PATTERN.fullmatch(value) or len(value) > 12:
            code = "expected_number" if as_number(value) is None else "expected_integer"
            self.report(node, code, key=key, value=_short(value))
            return None
        return int(value)

    def unique_id(self, fields, seen: dict[str, int], code: str) -> str | None:
        """The `id` of a mapping, reported with `code` when `seen` (id -> line) has it."""
        if "id" not in fields:
            return None
        node = fields["id"][1]
        value = self.identifier(node, "id")
        if value is None:
            return None
        if value in seen:
            self.report(node, code, id=value, other_line=seen[value])
        else:
            seen[value] = node.start_mark.line + 1
        return value

    def optional_text(self, fields: dict[str, tuple[Node, Node]], key: str) -> Text | None:
        return self.text(fields[key][1], key) if key in fields else None

    # The questionnaire

    def read_questionnaire(self, root: Node) -> Questionnaire | None:
        if not isinstance(root, MappingNode):
            if not isinstance(root, _Placeholder):
                self.report(root, "file_not_mapping")
            return None
        top = self.fields(root, "", TOP_KEYS, required=("id", "title", "modes", "pages"))
        if top is None:  # pragma: no cover - root is a mapping
            return None
        questionnaire_id = None
        if "id" in top:
            value_node = top["id"][1]
            self.id_position = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            questionnaire_id = self.identifier(value_node, "id")
            self.questionnaire_id = questionnaire_id
        title = self.text(top["title"][1], "title") if "title" in top else None
        description = self.optional_text(top, "description")
        modes = self.read_modes(top["modes"][1]) if "modes" in top else ()
        languages = (
            self.read_languages(top["languages"][1]) if "languages" in top else (SOURCE_LANGUAGE,)
        )
        reporting = self.read_reporting(top["reporting"][1]) if "reporting" in top else Reporting()
        if "scales" in top:
            self.read_scales(top["scales"][1])
        pages = self.read_pages(top["pages"][1]) if "pages" in top else ()
        report_groups = (
            self.read_report_groups(top["report_groups"][1], pages)
            if "report_groups" in top
            else ()
        )
        indicators = (
            self.read_indicators(top["indicators"][1], pages) if "indicators" in top else ()
        )
        if self.problems or questionnaire_id is None or title is None:
            return None
        return Questionnaire(
            report_groups=report_groups,
            indicators=indicators,
            id=questionnaire_id,
            title=title,
            description=description,
            modes=modes,
            pages=pages,
            scales=dict(self.scales),
            languages=languages,
            reporting=reporting or Reporting(),
        )

    def read_reporting(self, node: Node) -> Reporting | None:
        fields = self.fields(node, "reporting", REPORTING_KEYS, required=("level",))
        if fields is None:
            return None
        level = None
        if "level" in fields:
            level_node = fields["level"][1]
            value = self.scalar(level_node, "level")
            if value is not None and value not in {lv.value for lv in ReportingLevel}:
                self.report(level_node, "unknown_reporting_level", value=_short(value))
            elif value is not None:
                level = ReportingLevel(value)
        note = self.optional_text(fields, "note")
        return None if level is None else Reporting(level=level, note=note)

    def read_report_groups(self, node: Node, pages) -> tuple[str, ...]:
        """`report_groups: [rolle]`: the question reports may be cut by (one, for now): a
        single choice or yes/no question of this questionnaire."""
        groups: list[str] = []
        questions = {q.id: q for page in pages for q in page.questions}
        items = self.items(node, "report_groups") or []
        for item in items:
            value = self.scalar(item, "report_groups")
            if value is None:
                continue
            question = questions.get(value)
            if question is None:
                self.report(item, "report_group_unknown", value=_short(value))
            elif question.type not in (QuestionType.SINGLE_CHOICE, QuestionType.YES_NO):
                self.report(item, "report_group_type", value=value, type=question.type.value)
            elif value in groups:
                self.report(item, "duplicate_list_value", value=value, key="report_groups")
            else:
                groups.append(value)
        if len(items) > 1:
            self.report(items[1], "report_groups_too_many")
        return tuple(groups)

    def read_indicators(self, node: Node, pages) -> tuple[Indicator, ...]:
        """`indicators:`, a list of key indicators, each a 0-100 figure made of answers to
        scales (the mean of their 0-100 scores) or to one question (the share giving some
        answers); checked against the questions read above."""
        questions = {q.id: q for page in pages for q in page.questions}
        answers = {
            answer_id: (question, answer_id)
            for question in questions.values()
            for answer_id in question.answer_ids
        }
        indicators: list[Indicator] = []
        seen: dict[str, int] = {}
        for item in self.items(node, "indicators") or ():
            fields = self.fields(item, "indicators", INDICATOR_KEYS, ("id", "name", "items"))
            if fields is None:
                continue
            indicator_id = self.unique_id(fields, seen, "indicator_duplicate_id")
            name = self.text(fields["name"][1], "name") if "name" in fields else None
            description = self.optional_text(fields, "description")
            combine = Combination.MEAN
            if "combine" in fields:
                value = self.scalar(fields["combine"][1], "combine")
                if value is not None and value not in {c.value for c in Combination}:
                    self.report(fields["combine"][1], "indicator_combine_unknown", value=value)
                    combine = None
                elif value is not None:
                    combine = Combination(value)
            items = self.indicator_items(fields, questions, answers, combine)
            values = self.indicator_values(fields, item, items, answers, combine)
            if indicator_id is None or name is None or items is None or values is None:
                continue
            indicators.append(
                Indicator(
                    id=indicator_id,
                    name=name,
                    items=tuple(items),
                    combine=combine,
                    values=values,
                    description=description,
                    line=item.start_mark.line + 1,
                )
            )
        return tuple(indicators)

    def scalar_list(self, node: Node, key: str, check) -> list[str] | None:
        """A non-empty list of distinct scalars, each passed through `check(node, value)`,
        which reports a bad one and gives None, or gives the value to keep; None when any
        element is broken."""
        nodes = self.items(node, key)
        if nodes is None:
            return None
        values: list[str] = []
        broken = not nodes
        for item_node in nodes:
            value = self.scalar(item_node, key)
            if value is None:
                broken = True
            elif value in values:
                self.report(item_node, "duplicate_list_value", value=value, key=key)
            elif (kept := check(item_node, value)) is None:
                broken = True
            else:
                values.append(kept)
        return None if broken else values

    def indicator_items(self, fields, questions, answers, combine) -> list[str] | None:
        if "items" not in fields:
            return None
        node = fields["items"][1]

        def check(item_node: Node, answer_id: str) -> str | None:
            ok = self.check_indicator_item(item_node, answer_id, questions, answers, combine)
            return answer_id if ok else None

        items = self.scalar_list(node, "items", check)
        if items and combine is Combination.SHARE:
            first = [c.value for c in answers[items[0]][0].options()]
            for item_node in node.value:  # a list: scalar_list read it
                answer_id = item_node.value
                if [c.value for c in answers[answer_id][0].options()] != first:
                    self.report(
                        item_node,
                        "indicator_share_different_options",
                        item=answer_id,
                        first=items[0],
                    )
                    return None
        return None if combine is None else items

    def check_indicator_item(self, node, answer_id, questions, answers, combine) -> bool:
        if answer_id not in answers:
            question = questions.get(answer_id)
            if question is not None and question.type is QuestionType.MATRIX:
                example = question.answer_ids[0] if question.answer_ids else f"{answer_id}.x"
                self.report(node, "indicator_item_matrix", item=answer_id, example=example)
                return False
            suggestion = _suggest(answer_id, answers)
            if suggestion:
                self.report(
                    node,
                    "indicator_item_unknown_suggestion",
                    item=_short(answer_id),
                    suggestion=suggestion,
                )
            else:
                self.report(node, "indicator_item_unknown", item=_short(answer_id))
            return False
        question, _ = answers[answer_id]
        if combine is Combination.MEAN:
            if question.type not in MEAN_TYPES or question.scale is None:
                self.report(node, "indicator_item_not_scale", item=answer_id, type=question.type)
                return False
            if not question.scale.numeric:
                self.report(
                    node, "indicator_item_not_numeric", item=answer_id, scale=question.scale.id
                )
                return False
        elif combine is Combination.SHARE and question.type not in SHARE_TYPES:
            self.report(node, "indicator_share_item_type", item=answer_id, type=question.type)
            return False
        return True

    def indicator_values(self, fields, node, items, answers, combine) -> tuple[str, ...] | None:
        if combine is not Combination.SHARE:
            if "values" in fields:
                self.report(fields["values"][0], "indicator_values_not_for_mean")
                return None
            return ()
        if "values" not in fields:
            self.report(node, "indicator_share_needs_values")
            return None
        options = answers[items[0]][0].options() if items else None

        def check(value_node: Node, value: str) -> str | None:
            if options is None:
                return value
            same = [c.value for c in options if values_equal(c.value, value)]
            if not same:
                self.report(
                    value_node,
                    "indicator_value_unknown",
                    value=_short(value),
                    item=items[0],
                    allowed=", ".join(c.value for c in options),
                )
                return None
            return same[0]  # as the option writes it ("1", not "1.0")

        values = self.scalar_list(fields["values"][1], "values", check)
        return None if values is None else tuple(values)

    def read_modes(self, node: Node) -> tuple[Mode, ...]:
        modes: list[Mode] = []
        for item in self.items(node, "modes") or ():
            value = self.scalar(item, "modes")
            if value is None:
                continue
            if value not in {m.value for m in Mode}:
                self.report(item, "unknown_mode", value=_short(value))
            elif Mode(value) in modes:
                self.report(item, "duplicate_list_value", value=value, key="modes")
            else:
                modes.append(Mode(value))
        return tuple(modes)

    def read_languages(self, node: Node) -> tuple[str, ...]:
        languages: list[str] = []
        items = self.items(node, "languages")
        for item in items or ():
            value = self.scalar(item, "languages")
            if value is None:
                continue
            if not LANGUAGE_PATTERN.fullmatch(value):
                self.report(item, "invalid_language", value=_short(value))
            elif value in languages:
                self.report(item, "duplicate_list_value", value=value, key="languages")
            else:
                languages.append(value)
        if items and SOURCE_LANGUAGE not in languages and len(languages) == len(items):
            self.report(node, "languages_missing_nb")
        return tuple(languages)

    # Choices and scales

    def read_choice(
        self, node: Node, key: str, allowed: Sequence[str], exclusive_ok: bool = False
    ) -> tuple[Choice, Node] | None:
        fields = self.fields(node, key, allowed, required=("value", "label"))
        if fields is None:
            return None
        value = self.scalar(fields["value"][1], "value") if "value" in fields else None
        label = self.text(fields["label"][1], "label") if "label" in fields else None
        exclusive = False
        if "exclusive" in fields:
            if not exclusive_ok:
                self.report(fields["exclusive"][0], "exclusive_only_multiple")
            exclusive = bool(self.boolean(fields["exclusive"][1], "exclusive"))
        if value is None or label is None:
            return None
        return Choice(value, label, exclusive), fields["value"][1]

    def read_choices(
        self,
        node: Node,
        key: str,
        allowed: Sequence[str] = ("value", "label"),
        exclusive_ok: bool = False,
        seen: dict[object, int] | None = None,
    ) -> tuple[Choice, ...] | None:
        """A non-empty list of {value, label}; values unique (compared as in conditions)."""
        items = self.items(node, key)
        if items is None:
            return None
        seen = {} if seen is None else seen
        choices: list[Choice] = []
        complete = bool(items)
        for item in items:
            read = self.read_choice(item, key, allowed, exclusive_ok)
            if read is None:
                complete = False
                continue
            choice, value_node = read
            if self.check_unique_value(choice.value, value_node, seen):
                choices.append(choice)
            else:
                complete = False
        return tuple(choices) if complete else None

    def check_unique_value(self, value: str, node: Node, seen: dict[object, int]) -> bool:
        key = _value_key(value)
        if key in seen:
            self.report(node, "duplicate_choice_value", value=_short(value), other_line=seen[key])
            return False
        seen[key] = node.start_mark.line + 1
        return True

    def read_scales(self, node: Node) -> None:
        if not self.is_mapping(node, "scales"):
            return
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or isinstance(key_node, _Placeholder):
                continue
            if key_node.value in seen:
                continue
            seen.add(key_node.value)
            self.scale_names.add(key_node.value)
            scale_id = self.identifier(key_node, "scales")
            scale = self.read_scale(key_node.value, key_node, value_node)
            if scale_id is not None and scale is not None:
                self.scales[scale_id] = scale

    def read_scale(self, name: str, key_node: Node, node: Node) -> Scale | None:
        fields = self.fields(node, name, SCALE_KEYS)
        if fields is None:
            return None
        ranged = [k for k in ("from", "to", "labels") if k in fields]
        values: dict[object, int] = {}
        options: tuple[Choice, ...] | None
        if "options" in fields and ranged:
            self.report(fields[ranged[0]][0], "scale_mixed")
            return None
        if "options" in fields:
            options = self.read_choices(fields["options"][1], "options", seen=values)
        elif ranged:
            options = self.read_range(node, fields)
            values = {_value_key(c.value): node.start_mark.line + 1 for c in options or ()}
        else:
            self.report(key_node, "scale_missing_options", id=_short(name))
            return None
        not_applicable = None
        if "not_applicable" in fields:
            read = self.read_choice(
                fields["not_applicable"][1], "not_applicable", ("value", "label")
            )
            if read is not None and self.check_unique_value(read[0].value, read[1], values):
                not_applicable = read[0]
        numeric = None
        if "numeric" in fields:
            numeric = self.boolean(fields["numeric"][1], "numeric")
        if options is None or ("not_applicable" in fields and not_applicable is None):
            return None
        all_numbers = all(as_number(c.value) is not None for c in options)
        if numeric is None:
            numeric = all_numbers
        elif numeric and not all_numbers:
            bad = next(c.value for c in options if as_number(c.value) is None)
            self.report(fields["numeric"][1], "scale_value_not_number", value=_short(bad))
            return None
        return Scale(id=name, options=options, not_applicable=not_applicable, numeric=numeric)

    def read_range(
        self, node: Node, fields: dict[str, tuple[Node, Node]]
    ) -> tuple[Choice, ...] | None:
        for key in ("from", "to"):
            if key not in fields:
                self.report(node, "missing_key", key=key)
        start = self.integer(fields["from"][1], "from") if "from" in fields else None
        end = self.integer(fields["to"][1], "to") if "to" in fields else None
        labels: dict[int, Text] = {}
        broken = False
        if "labels" in fields:
            labels_node = fields["labels"][1]
            if self.is_mapping(labels_node, "labels"):
                for key_node, value_node in labels_node.value:
                    if not isinstance(key_node, ScalarNode) or isinstance(key_node, _Placeholder):
                        continue
                    point = self.integer(key_node, "labels")
                    text = self.text(value_node, "labels")
                    if point is None or text is None:
                        broken = True
                    elif start is not None and end is not None and not start <= point <= end:
                        self.report(
                            key_node,
                            "scale_label_outside",
                            value=point,
                            **{"from": start, "to": end},
                        )
                        broken = True
                    else:
                        labels.setdefault(point, text)
            else:
                broken = True
        if start is None or end is None:
            return None
        if start >= end:
            self.report(fields["from"][1], "scale_range_empty", **{"from": start, "to": end})
            return None
        steps = end - start + 1
        if steps > MAX_SCALE_STEPS:
            self.report(
                fields["to"][1],
                "scale_range_too_long",
                limit=MAX_SCALE_STEPS,
                steps=steps,
                **{"from": start, "to": end},
            )
            return None
        if broken:
            return None
        return tuple(
            Choice(str(point), labels.get(point) or Text({SOURCE_LANGUAGE: str(point)}))
            for point in range(start, end + 1)
        )

    def scale_ref(self, node: Node) -> Scale | None:
        name = self.scalar(node, "scale")
        if name is None:
            return None
        if name in self.scales:
            return self.scales[name]
        if name in self.scale_names:
            return None  # declared but broken: already reported
        if not self.scale_names:
            self.report(node, "no_scales", name=_short(name))
            return None
        known = sorted(self.scale_names)
        suggestion = _suggest(name, known)
        if suggestion:
            self.report(
                node,
                "unknown_scale_suggestion",
                name=_short(name),
                suggestion=suggestion,
                known=", ".join(known),
            )
        else:
            self.report(node, "unknown_scale", name=_short(name), known=", ".join(known))
        return None

    # Pages and questions

    def read_pages(self, node: Node) -> tuple[Page, ...]:
        items = self.items(node, "pages")
        if items is None:
            return ()
        page_lines: dict[str, int] = {}
        drafts: list[tuple[Node, dict[str, Any], Node | None, list[_QuestionDraft]]] = []
        order = 0
        for page_index, page_node in enumerate(items):
            fields = self.fields(
                page_node, "pages", PAGE_KEYS, required=("id", "title", "questions")
            )
            if fields is None:
                continue
            page: dict[str, Any] = {}
            page_id = self.unique_id(fields, page_lines, "duplicate_page_id")
            if page_id is not None:
                page["id"] = page_id
            if "title" in fields:
                page["title"] = self.text(fields["title"][1], "title")
            page["intro"] = self.optional_text(fields, "intro")
            show_if = fields["show_if"][1] if "show_if" in fields else None
            questions: list[_QuestionDraft] = []
            question_nodes = (
                self.items(fields["questions"][1], "questions") if "questions" in fields else None
            )
            for question_node in question_nodes or ():
                draft = self.read_question(question_node, order, page_index)
                order += 1
                if draft is not None:
                    questions.append(draft)
            drafts.append((page_node, page, show_if, questions))

        pages: list[Page] = []
        for page_index, (_page_node, page, show_if_node, questions) in enumerate(drafts):
            page_condition = None
            if show_if_node is not None:
                page_condition = self.read_condition(show_if_node, None, page_index)
            built = []
            for draft in questions:
                condition = None
                if draft.show_if_node is not None:
                    condition = self.read_condition(draft.show_if_node, draft, draft.page_index)
                built.append((draft, condition))
            if self.problems:
                continue
            pages.append(
                Page(
                    id=page["id"],
                    title=page["title"],
                    intro=page["intro"],
                    questions=tuple(
                        Question(
                            **draft.fields,
                            show_if=condition,
                            line=draft.line,
                        )
                        for draft, condition in built
                    ),
                    show_if=page_condition,
                )
            )
        return tuple(pages)

    def read_question(self, node: Node, order: int, page_index: int) -> _QuestionDraft | None:
        if not self.is_mapping(node, "questions"):
            return None
        question_type: QuestionType | None = None
        type_node = next(
            (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == "type"), None
        )
        if type_node is not None:
            type_name = self.scalar(type_node, "type")
            if type_name is not None:
                question_type = self.question_type(type_node, type_name)
        if question_type is None:
            allowed: Sequence[str] = ALL_QUESTION_KEYS
        elif question_type is QuestionType.INFO:
            allowed = INFO_KEYS
        else:
            allowed = COMMON_QUESTION_KEYS + TYPE_KEYS[question_type]
        fields = self.fields(
            node, "questions", allowed, required=("id", "type", "text"), question_type=question_type
        )
        if fields is None:  # pragma: no cover - checked above
            return None
        line = node.start_mark.line + 1
        question_id = self.identifier(fields["id"][1], "id") if "id" in fields else None
        raw_id = (
            fields["id"][1].value
            if "id" in fields and isinstance(fields["id"][1], ScalarNode)
            else None
        )
        values: dict[str, Any] = {"type": question_type}
        values["text"] = self.text(fields["text"][1], "text") if "text" in fields else None
        for key in ("help", "required_message", "interviewer_note", "unit"):
            if key in fields:
                values[key] = self.text(fields[key][1], key)
        if "required" in fields:
            values["required"] = self.boolean(fields["required"][1], "required")
        item_lines: dict[str, int] = {}
        if question_type is not None:
            self.read_type_specific(question_type, node, fields, values, item_lines)
        if raw_id is None or not raw_id:
            return None
        values["id"] = question_id or raw_id
        draft = _QuestionDraft(
            id=raw_id,
            type=question_type,
            line=line,
            order=order,
            page_index=page_index,
            node=node,
            fields=values,
            show_if_node=fields["show_if"][1] if "show_if" in fields else None,
            item_lines=item_lines,
        )
        self.register(draft, fields["id"][1])
        return draft

    def question_type(self, node: Node, name: str) -> QuestionType | None:
        allowed = [t.value for t in QuestionType]
        if name in allowed:
            return QuestionType(name)
        suggestion = _suggest(name, allowed)
        if suggestion:
            self.report(
                node,
                "unknown_question_type_suggestion",
                value=_short(name),
                suggestion=suggestion,
                allowed=", ".join(allowed),
            )
        else:
            self.report(
                node, "unknown_question_type", value=_short(name), allowed=", ".join(allowed)
            )
        return None

    def register(self, draft: _QuestionDraft, id_node: Node) -> None:
        if draft.id in self.question_lines:
            self.report(
                id_node,
                "duplicate_question_id",
                id=_short(draft.id),
                other_line=self.question_lines[draft.id],
            )
            return
        self.question_lines[draft.id] = draft.line
        if draft.type is QuestionType.MATRIX:
            self.targets[draft.id] = _Target(draft, "matrix", draft.line)
            for item in draft.fields.get("items") or ():
                line = draft.item_lines.get(item.id, draft.line)
                self.targets[f"{draft.id}.{item.id}"] = _Target(draft, "item", line)
        else:
            self.targets[draft.id] = _Target(draft, "question", draft.line)

    def read_type_specific(
        self,
        question_type: QuestionType,
        node: Node,
        fields: dict[str, tuple[Node, Node]],
        values: dict[str, Any],
        item_lines: dict[str, int],
    ) -> None:
        if question_type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
            if "choices" in fields:
                values["choices"] = self.read_choices(
                    fields["choices"][1],
                    "choices",
                    allowed=("value", "label", "exclusive"),
                    exclusive_ok=question_type is QuestionType.MULTIPLE_CHOICE,
                )
            else:
                self.report(node, "missing_key", key="choices")
        elif question_type is QuestionType.YES_NO:
            dont_know = False
            if "dont_know" in fields:
                dont_know = bool(self.boolean(fields["dont_know"][1], "dont_know"))
            values["choices"] = _yes_no_choices(dont_know)
        elif question_type in (QuestionType.SCALE, QuestionType.MATRIX):
            if "scale" in fields:
                values["scale"] = self.scale_ref(fields["scale"][1])
            else:
                self.report(node, "missing_key", key="scale")
            if "not_applicable" in fields:
                values["allow_not_applicable"] = self.boolean(
                    fields["not_applicable"][1], "not_applicable"
                )
            if question_type is QuestionType.MATRIX:
                values["items"] = self.read_items(node, fields, item_lines)
        elif question_type is QuestionType.NUMBER:
            self.read_number_limits(fields, values)
        elif question_type in TEXT_LIMITS:
            limit = TEXT_LIMITS[question_type]
            values["max_length"] = limit
            if "max_length" in fields:
                value_node = fields["max_length"][1]
                length = self.integer(value_node, "max_length")
                if length is not None and length > limit:
                    self.report(
                        value_node,
                        "max_length_too_large",
                        limit=limit,
                        type=question_type.value,
                        value=length,
                    )
                elif length is not None and length < 1:
                    self.report(value_node, "max_length_too_small", value=length)
                else:
                    values["max_length"] = length

    def read_items(
        self, node: Node, fields: dict[str, tuple[Node, Node]], lines: dict[str, int]
    ) -> tuple[MatrixItem, ...]:
        if "items" not in fields:
            self.report(node, "missing_key", key="items")
            return ()
        items: list[MatrixItem] = []
        for item_node in self.items(fields["items"][1], "items") or ():
            item_fields = self.fields(item_node, "items", ("id", "text"), required=("id", "text"))
            if item_fields is None:
                continue
            item_id = self.identifier(item_fields["id"][1], "id") if "id" in item_fields else None
            text = self.text(item_fields["text"][1], "text") if "text" in item_fields else None
            if item_id is None:
                continue
            line = item_fields["id"][1].start_mark.line + 1
            if item_id in lines:
                self.report(
                    item_fields["id"][1], "duplicate_item_id", id=item_id, other_line=lines[item_id]
                )
                continue
            lines[item_id] = line
            items.append(MatrixItem(item_id, text or Text()))
        return tuple(items)

    def read_number_limits(
        self, fields: dict[str, tuple[Node, Node]], values: dict[str, Any]
    ) -> None:
        integer = True
        if "integer" in fields:
            integer = self.boolean(fields["integer"][1], "integer") is not False
            values["integer"] = integer
        limits: dict[str, float | None] = {}
        for key in ("min", "max"):
            if key in fields:
                limits[key] = self.number(fields[key][1], key, integer=integer)
                values[key] = limits[key]
        low, high = limits.get("min"), limits.get("max")
        if low is not None and high is not None and low > high:
            self.report(
                fields["min"][1],
                "min_greater_than_max",
                min=_number_text(low),
                max=_number_text(high),
            )

    # Conditions

    def read_condition(
        self, node: Node, draft: _QuestionDraft | None, page_index: int
    ) -> Condition | None:
        source = self.scalar(node, "show_if")
        if source is None:
            return None
        try:
            condition, leaves = parse_condition_leaves(source)
        except ConditionSyntaxError as exc:
            self.report(self.place_in(node, exc.offset), exc.code, **exc.params)
            return None
        before = len(self.problems)
        for leaf in leaves:
            self.check_leaf(node, leaf, draft, page_index)
        return condition if len(self.problems) == before else None

    def place_in(self, node: Node, offset: int) -> tuple[int, int]:
        """The file position of character `offset` of a scalar's value, where it can be known."""
        start, end = node.start_mark, node.end_mark
        if start.line != end.line or node.style not in (None, "'", '"'):
            return start.line + 1, start.column + 1
        raw = self.source[start.index : end.index]
        if node.style is None:
            return start.line + 1, start.column + 1 + offset
        i = 1  # after the opening quote
        for char in node.value[:offset]:
            if i >= len(raw):
                break
            if node.style == "'":
                i += 2 if char == "'" else 1
            elif raw[i] == "\\":
                i += {"x": 4, "u": 6, "U": 10}.get(raw[i + 1 : i + 2], 2)
            else:
                i += 1
        return start.line + 1, start.column + 1 + i

    def check_leaf(
        self, node: Node, leaf: Leaf, draft: _QuestionDraft | None, page_index: int
    ) -> None:
        where = self.place_in(node, leaf.ref_offset)
        target = self.targets.get(leaf.ref)
        ref = _short(leaf.ref)
        if target is None:
            suggestion = _suggest(leaf.ref, self.targets)
            if suggestion:
                self.report(
                    where, "condition_unknown_reference_suggestion", ref=ref, suggestion=suggestion
                )
            else:
                self.report(where, "condition_unknown_reference", ref=ref)
            return
        if draft is not None and target.draft is draft:
            self.report(where, "condition_self_reference", ref=ref)
            return
        if target.kind == "matrix":
            items = target.draft.fields.get("items") or ()
            example = f"{leaf.ref}.{items[0].id}" if items else f"{leaf.ref}.…"
            self.report(where, "condition_matrix_reference", ref=ref, example=example)
            return
        if target.draft.type is QuestionType.INFO:
            self.report(where, "condition_info_reference", ref=ref)
            return
        if draft is None:
            if target.draft.page_index == page_index:
                self.report(where, "condition_same_page_reference", ref=ref, other_line=target.line)
                return
            if target.draft.page_index > page_index:
                self.report(where, "condition_later_reference", ref=ref, other_line=target.line)
                return
        elif target.draft.order > draft.order:
            self.report(where, "condition_later_reference", ref=ref, other_line=target.line)
            return
        self.check_values(node, leaf, target)

    def check_values(self, node: Node, leaf: Leaf, target: _Target) -> None:
        op = leaf.node["op"]
        question_type = target.draft.type
        fields = target.draft.fields
        scale = fields.get("scale")
        ref = _short(leaf.ref)
        if question_type is None or op == "answered":
            return
        type_name = "matrix" if target.kind == "item" else question_type.value
        if op in ("<", "<=", ">", ">="):
            numeric = question_type is QuestionType.NUMBER or (
                question_type in (QuestionType.SCALE, QuestionType.MATRIX)
                and (scale is None or scale.numeric)
            )
            if not numeric:
                self.report(
                    self.place_in(node, leaf.ref_offset),
                    "condition_order_not_numeric",
                    op=op,
                    ref=ref,
                    type=type_name,
                )
                return
            for value, _text, offset in leaf.values:
                if as_number(value) is None:
                    self.report(
                        self.place_in(node, offset),
                        "condition_order_needs_number",
                        op=op,
                        value=_short(str(value)),
                    )
            return
        allowed: tuple[str, ...] | None = None
        if question_type in CHOICE_TYPES:
            choices = fields.get("choices")
            allowed = tuple(c.value for c in choices) if choices else None
        elif question_type in (QuestionType.SCALE, QuestionType.MATRIX) and scale is not None:
            options = scale.options
            if scale.not_applicable is not None and fields.get("allow_not_applicable") is not False:
                options += (scale.not_applicable,)
            allowed = tuple(c.value for c in options)
        for value, _text, offset in leaf.values:
            if question_type is QuestionType.NUMBER and as_number(value) is None:
                self.report(
                    self.place_in(node, offset),
                    "condition_value_not_number",
                    ref=ref,
                    value=_short(str(value)),
                )
            elif allowed is not None and not any(values_equal(a, value) for a in allowed):
                self.report(
                    self.place_in(node, offset),
                    "condition_value_not_a_choice",
                    value=_short(str(value)),
                    ref=ref,
                    allowed=", ".join(allowed),
                )


# --- Public functions -------------------------------------------------------------------------


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.col))


def load_text(text: str, name: str) -> LoadResult:
    """Read a questionnaire from YAML text; `name` is the file name used in messages."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        before = text[: exc.start]
        line, col = before.count("\n") + 1, exc.start - (before.rfind("\n") + 1) + 1
        return LoadResult(None, [Problem(name, line, col, "file_not_utf8", {})])
    if len(data) > MAX_FILE_BYTES:
        problem = Problem(
            name, 1, 1, "file_too_large", {"size": len(data), "limit": MAX_FILE_BYTES}
        )
        return LoadResult(None, [problem])
    reader = _FileReader(text, name)
    questionnaire = reader.read()
    problems = _sorted(reader.problems)
    if problems or questionnaire is None:
        return LoadResult(None, problems, reader.questionnaire_id, reader.id_position)
    questionnaire = dataclasses.replace(
        questionnaire,
        content_hash=hashlib.sha256(data).hexdigest(),
        source_text=text,
        source_name=name,
    )
    return LoadResult(questionnaire, [], questionnaire.id, reader.id_position)


def load_file(path: str | Path) -> LoadResult:
    """Read one questionnaire file (UTF-8, at most MAX_FILE_BYTES)."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problem = Problem(name, 1, 1, "file_too_large", {"size": size, "limit": MAX_FILE_BYTES})
            return LoadResult(None, [problem])
        data = path.read_bytes()
    except FileNotFoundError:
        return LoadResult(None, [Problem(name, 1, 1, "file_not_found", {})])
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return LoadResult(None, [Problem(name, 1, 1, "file_unreadable", {"reason": reason})])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return LoadResult(None, [Problem(name, line, col, "file_not_utf8", {})])
    return load_text(text, name)


def load_directory(path: str | Path) -> tuple[list[Questionnaire], list[Problem]]:
    """Every *.yaml and *.yml file in a folder, in name order; also refuses a repeated id."""
    directory = Path(path)
    if not directory.is_dir():
        return [], [Problem(str(directory), 1, 1, "directory_not_found", {})]
    try:
        files = sorted(
            p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
        )
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return [], [Problem(str(directory), 1, 1, "file_unreadable", {"reason": reason})]
    questionnaires: list[Questionnaire] = []
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for file in files:
        result = load_file(file)
        problems.extend(result.problems)
        qid = result.questionnaire_id
        if qid is not None and qid in first_file:
            line, col = result.id_position
            problems.append(
                Problem(
                    str(file),
                    line,
                    col,
                    "duplicate_questionnaire_id",
                    {"id": qid, "other_file": first_file[qid]},
                )
            )
            continue
        if qid is not None:
            first_file[qid] = str(file)
        if result.questionnaire is not None:
            questionnaires.append(result.questionnaire)
    return questionnaires, problems
