"""Missing translations: every text of a questionnaire that lacks a language the file declares
(`languages: [nb, nn, en]`). The form falls back to bokmål, so these are warnings, not errors.

Reads the model the loader builds; imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .model import SOURCE_LANGUAGE, Question, Questionnaire, Text


@dataclass(frozen=True)
class MissingTranslation:
    """One text without one declared language, and where it is."""

    file: str
    line: int
    where: str  # "question", "page", "scale" or "questionnaire"
    id: str  # the question, page or scale id (the questionnaire's own id for its title)
    field: str  # "text", "help", "required_message", "choice", "item", "unit", "title", ...
    language: str
    detail: str = ""  # the choice value or matrix item id, when it is one of several


def missing_translations(questionnaire: Questionnaire) -> list[MissingTranslation]:
    """Every declared language (other than nb) missing from any text, in file order."""
    languages = [lang for lang in questionnaire.languages if lang != SOURCE_LANGUAGE]
    if not languages:
        return []
    source = questionnaire.source_text
    name = questionnaire.source_name
    found: list[MissingTranslation] = []

    def check(texts, line: int, where: str, id_: str) -> None:
        for field, detail, text in texts:
            for language in languages:
                if text is not None and not (text.get(language) or "").strip():
                    found.append(
                        MissingTranslation(name, line, where, id_, field, language, detail)
                    )

    top = [("title", "", questionnaire.title), ("description", "", questionnaire.description)]
    check(top, _line_of(source, r"^title:"), "questionnaire", questionnaire.id)
    for scale in questionnaire.scales.values():
        options = scale.options + ((scale.not_applicable,) if scale.not_applicable else ())
        # a ranged scale's unlabelled points are bare numbers, the same in every language
        texts = [
            ("choice", option.value, option.label)
            for option in options
            if option.label.get(SOURCE_LANGUAGE) != option.value
        ]
        check(texts, _line_of(source, rf"^\s+{re.escape(scale.id)}:"), "scale", scale.id)
    for page in questionnaire.pages:
        texts = [("title", "", page.title), ("intro", "", page.intro)]
        page_line = _line_of(source, rf"^\s*-\s*id:\s*['\"]?{re.escape(page.id)}\b")
        check(texts, page_line, "page", page.id)
        for question in page.questions:
            check(_question_texts(question), question.line, "question", question.id)
    return found


def _question_texts(question: Question) -> Iterator[tuple[str, str, Text | None]]:
    yield "text", "", question.text
    yield "help", "", question.help
    yield "required_message", "", question.required_message
    yield "unit", "", question.unit
    yield "interviewer_note", "", question.interviewer_note
    if question.scale is None:  # a scale's labels are checked once, with the scale
        for choice in question.choices:
            yield "choice", choice.value, choice.label
    for item in question.items:
        yield "item", item.id, item.text


def _line_of(source: str, pattern: str) -> int:
    """The first line (1-based) matching `pattern`, or 1 when none does."""
    match = re.search(pattern, source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else 1
