"""The summary of one questionnaire per DPS: the figures every rendering shows.

Versions are merged by question id; labels come from the current version. Units with
fewer responses than the threshold are pooled into one clearly labelled column, which
is left out too if the pool itself is small.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from surveyapp.collect.submission import DECLINED
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import DpsUnit
from surveyapp.db.seed import all_units
from surveyapp.questionnaire import Question, QuestionType
from surveyapp.reports.aggregate import answer_counts, respondent_counts, responses_per_dps
from surveyapp.reports.disclosure import suppress_distribution, suppress_share

POOLED = "_pooled"
DECLINED_LABEL = {"nb": "Vil ikke svare", "nn": "Vil ikkje svare", "en": "Prefer not to answer"}
MISSING_LABEL = {"nb": "Ikke besvart", "nn": "Ikkje svart på", "en": "Not answered"}


@dataclass
class Column:
    key: str  # a DPS id, or POOLED
    label: str
    responses: int
    units: list[str] = field(default_factory=list)  # names of the units in a pooled column


@dataclass
class Row:
    answer_id: str
    question: str
    option: str
    cells: list[int | None]  # None: suppressed


@dataclass
class SummaryReport:
    questionnaire_id: str
    title: str
    language: str
    min_count: int
    columns: list[Column]
    rows: list[Row]
    not_shown: list[str]  # units whose responses are too few to show even pooled


def build_summary(
    session: Session, questionnaire_id: str, min_count: int, language: str = "nb"
) -> SummaryReport:
    version = current_version(session, questionnaire_id)
    if version is None:
        raise LookupError(f"unknown questionnaire: {questionnaire_id}")
    questionnaire = questionnaire_of(version)
    units = {unit.id: unit for unit in all_units(session)}
    per_dps = responses_per_dps(session, questionnaire_id)
    columns, not_shown = _columns(units, per_dps, min_count)
    questions = [q for q in questionnaire.questions() if _has_categories(q)]
    answer_ids = [aid for q in questions for aid in q.answer_ids]
    counts = answer_counts(session, questionnaire_id, answer_ids)
    respondents = respondent_counts(session, questionnaire_id, answer_ids)
    by_column, answered_by_column = {}, {}
    for column in columns:
        dps_ids = column.units if column.key == POOLED else [column.key]
        by_column[column.key] = _merged(counts, dps_ids)
        answered_by_column[column.key] = {
            aid: sum(respondents.get(d, {}).get(aid, 0) for d in dps_ids) for aid in answer_ids
        }
    rows: list[Row] = []
    for question in questions:
        for answer_id, item_text in _answer_ids_with_text(question, language):
            rows.extend(
                _rows_for(
                    question,
                    answer_id,
                    item_text,
                    columns,
                    by_column,
                    answered_by_column,
                    min_count,
                    language,
                    units,
                )
            )
    return SummaryReport(
        questionnaire_id=questionnaire_id,
        title=questionnaire.title.get_text(language),
        language=language,
        min_count=min_count,
        columns=columns,
        rows=rows,
        not_shown=not_shown,
    )


def _columns(units: dict[str, DpsUnit], per_dps: dict[str, int], min_count: int):
    columns, small = [], []
    for unit in sorted(units.values(), key=lambda u: u.sort_order):
        n = per_dps.get(unit.id, 0)
        if n >= min_count:
            columns.append(Column(unit.id, unit.name, n))
        elif n > 0:
            small.append(unit)
    pooled = sum(per_dps[u.id] for u in small)
    if pooled >= min_count:
        columns.append(Column(POOLED, "Øvrige enheter", pooled, [u.id for u in small]))
        return columns, []
    return columns, [u.name for u in small]


def _merged(counts, dps_ids: list[str]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for dps_id in dps_ids:
        for answer_id, values in counts.get(dps_id, {}).items():
            for value, count in values.items():
                merged[answer_id][value] += count
    return merged


def _has_categories(question: Question) -> bool:
    return question.type in {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.YES_NO,
        QuestionType.SCALE,
        QuestionType.MATRIX,
        QuestionType.DPS,
    }


def _answer_ids_with_text(question: Question, language: str):
    text = question.text.get_text(language)
    if question.type is QuestionType.MATRIX:
        for item in question.items:
            yield f"{question.id}.{item.id}", f"{text} – {item.text.get_text(language)}"
    else:
        yield question.id, text


def _rows_for(question, answer_id, text, columns, by_column, answered, min_count, language, units):
    if question.type is QuestionType.DPS:
        options = [(u.id, u.name) for u in units.values()]
    else:
        options = [(c.value, c.label.get_text(language)) for c in question.options()]
    labels = options + [
        (DECLINED, DECLINED_LABEL.get(language, DECLINED_LABEL["nb"])),
        (None, MISSING_LABEL.get(language, MISSING_LABEL["nb"])),
    ]
    table = []  # one list of counts per column, in the order of `labels`
    for column in columns:
        values = by_column[column.key].get(answer_id, {})
        if question.type is QuestionType.MULTIPLE_CHOICE:
            # options overlap, so each is one of two groups (chose it / did not)
            missing = column.responses - answered[column.key].get(answer_id, 0)
            counts = [values.get(v, 0) for v, _ in labels[:-1]] + [missing]
            hidden = [suppress_share(c, column.responses, min_count) for c in counts]
        else:
            counts = [values.get(v, 0) for v, _ in labels[:-1]]
            counts.append(column.responses - sum(counts))
            hidden = suppress_distribution(counts, min_count)
        table.append([None if h else c for c, h in zip(counts, hidden, strict=True)])
    return [
        Row(answer_id, text, label, [column_cells[i] for column_cells in table])
        for i, (_, label) in enumerate(labels)
    ]
