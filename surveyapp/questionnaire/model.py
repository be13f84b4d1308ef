"""The questionnaire as plain data: what the loader builds and everything else reads.

Imports neither Flask nor SQLAlchemy. Every text is a `Text` (language -> string) that
falls back to Norwegian bokmål (`nb`), the source language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SOURCE_LANGUAGE = "nb"


class Text(dict[str, str]):
    """A text in several languages; `nb` is required and is the fallback."""

    def get_text(self, language: str) -> str:
        return self.get(language) or self.get(SOURCE_LANGUAGE, "")


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    SCALE = "scale"
    MATRIX = "matrix"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    INFO = "info"
    DPS = "dps"


class Mode(StrEnum):
    SELF = "self"
    INTERVIEW = "interview"


class ReportingLevel(StrEnum):
    """How finely a questionnaire's answers may be reported, finest first."""

    UNIT = "unit"  # each DPS unit in the registry
    AREA = "area"  # the official DPS areas (SSB's classification)
    TRUST = "trust"  # the health trusts (helseforetak)
    REGION = "region"  # Trøndelag as a whole

    @property
    def rank(self) -> int:
        return list(ReportingLevel).index(self)


@dataclass(frozen=True)
class Reporting:
    """The finest level a questionnaire may be reported at, declared in its file.

    With few respondents per DPS (1-3 experience consultants, one leader), per-unit figures
    would show what one person said; the questionnaire says so, and the reports obey it.
    """

    level: ReportingLevel = ReportingLevel.UNIT
    note: Text | None = None  # e.g. the terms on which per-unit figures are published

    def allows(self, level: ReportingLevel) -> bool:
        """Whether figures may be published at `level` (the declared one or coarser)."""
        return level.rank >= self.level.rank


# Limits on free text; a questionnaire may set a lower max_length, never a higher one.
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000


@dataclass(frozen=True)
class Choice:
    value: str  # always a string; scale values are "1".."5", "0".."10"
    label: Text
    exclusive: bool = False  # multiple choice: selecting it clears the others (e.g. "Vet ikke")


@dataclass(frozen=True)
class Scale:
    id: str
    options: tuple[Choice, ...]
    not_applicable: Choice | None = None  # e.g. Choice("9", Text(nb="Ikke aktuelt"))
    numeric: bool = True  # values are numbers: mean and median make sense


@dataclass(frozen=True)
class MatrixItem:
    id: str  # unique within the matrix; stored as question id "<matrix id>.<item id>"
    text: Text


@dataclass(frozen=True)
class Condition:
    """A parsed `show_if` expression. `source` is the text as written in the file."""

    source: str
    ast: dict[str, Any]  # JSON-serialisable; the same tree the browser evaluates
    references: tuple[str, ...]  # question (or matrix item) ids it reads


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: Text
    help: Text | None = None
    required: bool = False
    required_message: Text | None = None
    show_if: Condition | None = None
    choices: tuple[Choice, ...] = ()  # single/multiple choice and yes_no (ja/nei[/vet_ikke])
    scale: Scale | None = None  # scale and matrix
    allow_not_applicable: bool = True  # offer scale.not_applicable when the scale has one
    items: tuple[MatrixItem, ...] = ()  # matrix
    min: float | None = None  # number
    max: float | None = None  # number
    integer: bool = True  # number
    unit: Text | None = None  # number, e.g. "prosent"
    max_length: int | None = None  # short_text / long_text
    interviewer_note: Text | None = None  # shown to the interviewer only; never stored
    line: int = 0  # where the question starts in its file (1-based), for messages

    @property
    def answer_ids(self) -> tuple[str, ...]:
        """The ids answers are stored under: the matrix items, or the question itself."""
        if self.type is QuestionType.MATRIX:
            return tuple(f"{self.id}.{item.id}" for item in self.items)
        if self.type is QuestionType.INFO:
            return ()
        return (self.id,)

    def options(self) -> tuple[Choice, ...]:
        """Every value a respondent may pick, in display order (empty for free input)."""
        if self.scale is not None:
            shown = self.scale.not_applicable and self.allow_not_applicable
            extra = (self.scale.not_applicable,) if shown else ()
            return self.scale.options + extra
        return self.choices


class Combination(StrEnum):
    """How an indicator's items make one 0-100 figure (docs/questionnaire-format.md)."""

    MEAN = "mean"  # the mean of the items' 0-100 scores (numeric scales)
    SHARE = "share"  # the percentage who gave one of `values` (one item)


@dataclass(frozen=True)
class Indicator:
    """A key indicator the reports show first, per DPS, with its interval and trend."""

    id: str
    name: Text
    items: tuple[str, ...]  # answer ids: a question, or "<matrix id>.<item id>"
    combine: Combination = Combination.MEAN
    values: tuple[str, ...] = ()  # SHARE: the answers that count
    description: Text | None = None
    line: int = 0


@dataclass(frozen=True)
class Page:
    id: str
    title: Text
    intro: Text | None = None
    questions: tuple[Question, ...] = ()
    show_if: Condition | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: Text
    description: Text | None
    modes: tuple[Mode, ...]
    pages: tuple[Page, ...]
    scales: dict[str, Scale] = field(default_factory=dict)
    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)
    reporting: Reporting = field(default_factory=Reporting)
    content_hash: str = ""  # sha256 of the file's bytes: the version
    source_text: str = ""  # the YAML as written, stored with each version
    source_name: str = ""  # the file name, for messages
    report_groups: tuple[str, ...] = ()  # questions reports may be cut by, e.g. ("rolle",)
    indicators: tuple[Indicator, ...] = ()  # key indicators, in the order reports show them

    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]

    def question(self, question_id: str) -> Question:
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def page_of(self, question_id: str) -> Page:
        for page in self.pages:
            if any(q.id == question_id for q in page.questions):
                return page
        raise KeyError(question_id)
