"""The questionnaire as plain data: the model, the YAML loader and the condition language."""

from .conditions import (
    Visibility,
    drop_hidden,
    evaluate,
    parse_condition,
    visibility,
    visibility_plan,
    visible_answer_ids,
    visible_pages,
    visible_questions,
)
from .errors import MESSAGES, ConditionSyntaxError, Problem
from .loader import LoadResult, load_directory, load_file, load_text
from .model import (
    SOURCE_LANGUAGE,
    Choice,
    Condition,
    MatrixItem,
    Mode,
    Page,
    Question,
    Questionnaire,
    QuestionType,
    Scale,
    Text,
)

__all__ = [
    "MESSAGES",
    "SOURCE_LANGUAGE",
    "Choice",
    "Condition",
    "ConditionSyntaxError",
    "LoadResult",
    "MatrixItem",
    "Mode",
    "Page",
    "Problem",
    "Question",
    "QuestionType",
    "Questionnaire",
    "Scale",
    "Text",
    "Visibility",
    "drop_hidden",
    "evaluate",
    "load_directory",
    "load_file",
    "load_text",
    "parse_condition",
    "visibility",
    "visibility_plan",
    "visible_answer_ids",
    "visible_pages",
    "visible_questions",
]
