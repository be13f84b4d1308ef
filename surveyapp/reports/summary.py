"""Building a Report: counts from SQL, merged into columns, protected, labelled.

The one code path behind the workbook, the dashboard and the CLI export. Columns are the
DPS units with at least `min_count` responses, then "Øvrige enheter" pooling the smaller
ones, then Trøndelag in total. When the pool itself is too small, it and the total are left
out, since the total minus the shown units would reveal it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db import snapshot
from surveyapp.questionnaire import Question, QuestionType
from surveyapp.reports import aggregate
from surveyapp.reports.disclosure import is_small, protect
from surveyapp.reports.model import (
    DECLINED,
    MISSING,
    NOT_ASKED,
    POOLED,
    SKIPPED,
    TOTAL,
    Cell,
    Column,
    Filters,
    FreeText,
    QuestionTable,
    Report,
    Row,
    Statistic,
)

_TEXT_KINDS = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}

LABELS = {
    "nb": {
        "declined": "Vil ikke svare",
        "missing": "Ikke besvart",
        "pooled": "Øvrige enheter",
        "total": "Trøndelag i alt",
        "no_total": "Trøndelag i alt vises ikke: enhetene som er for små til å vises, ville "
        "ellers kunne regnes ut.",
    },
    "nn": {
        "declined": "Vil ikkje svare",
        "missing": "Ikkje svart på",
        "pooled": "Andre einingar",
        "total": "Trøndelag i alt",
        "no_total": "Trøndelag i alt blir ikkje vist: einingane som er for små til å bli "
        "viste, ville elles kunne reknast ut.",
    },
    "en": {
        "declined": "Prefer not to answer",
        "missing": "Not answered",
        "pooled": "Other units",
        "total": "Trøndelag in total",
        "no_total": "Trøndelag in total is not shown: the units too small to show could "
        "otherwise be worked out.",
    },
}


@dataclass
class _Columns:
    columns: list[Column]
    members: dict[str, list[str]]  # column key -> DPS ids it adds up
    not_shown: list[str]
    total_note: str | None


def build_report(
    session: Session,
    questionnaire_id: str,
    *,
    filters: Filters | None = None,
    min_count: int = 5,
    language: str = "nb",
) -> Report:
    with snapshot(session.get_bind()) as reading:  # every figure from one view of the data
        return _report(reading, questionnaire_id, filters or Filters(), min_count, language)


def _report(
    session: Session, questionnaire_id: str, filters: Filters, min_count: int, language: str
) -> Report:
    version = current_version(session, questionnaire_id)
    if version is None:
        raise LookupError(f"unknown questionnaire: {questionnaire_id}")
    questionnaire = questionnaire_of(version)
    labels = LABELS.get(language, LABELS["nb"])
    scope = aggregate.Scope(session, questionnaire_id, filters)
    units = {unit.id: unit for unit in scope.units}
    per_version = aggregate.response_counts(scope)
    per_dps: dict[str, int] = defaultdict(int)
    for (dps_id, _version_id), count in per_version.items():
        per_dps[dps_id] += count
    layout = _columns(units, per_dps, min_count, labels)
    multiple = [q.id for q in questionnaire.questions() if q.type is QuestionType.MULTIPLE_CHOICE]
    counts, respondents = aggregate.answer_counts(scope, multiple=multiple)

    tables = []
    for page in questionnaire.pages:
        for question in page.questions:
            if question.type is QuestionType.INFO or question.type in _TEXT_KINDS:
                continue
            for answer_id, text in _answer_ids_with_text(question, language):
                tables.append(
                    _table(
                        question,
                        answer_id,
                        text,
                        page.title.get_text(language),
                        layout,
                        counts,
                        respondents,
                        units,
                        min_count,
                        labels,
                        language,
                    )
                )
    return Report(
        questionnaire_id=questionnaire_id,
        title=questionnaire.title.get_text(language),
        language=language,
        min_count=min_count,
        filters=filters,
        columns=layout.columns,
        tables=tables,
        versions=[(v, scope.content_hashes[v]) for v in sorted({v for _d, v in per_version})],
        not_shown=layout.not_shown,
        total_note=layout.total_note,
        free_texts=_free_texts(scope, questionnaire, layout, language),
    )


def _columns(units, per_dps: dict[str, int], min_count: int, labels) -> _Columns:
    columns, members, small = [], {}, []
    for unit in sorted(units.values(), key=lambda u: u.sort_order):
        n = per_dps.get(unit.id, 0)
        if n >= min_count:
            columns.append(Column(unit.id, unit.name, n))
            members[unit.id] = [unit.id]
        elif n > 0:
            small.append(unit)
    pooled = sum(per_dps[u.id] for u in small)
    if small and pooled < min_count:
        return _Columns(columns, members, [u.name for u in small], labels["no_total"])
    if small:
        columns.append(Column(POOLED, labels["pooled"], pooled, tuple(u.name for u in small)))
        members[POOLED] = [u.id for u in small]
    if columns:
        total = sum(c.responses for c in columns)
        columns.append(Column(TOTAL, labels["total"], total))
        members[TOTAL] = [d for c in columns[:-1] for d in members[c.key]]
    return _Columns(columns, members, [], None)


def _answer_ids_with_text(question: Question, language: str):
    text = question.text.get_text(language)
    if question.type is QuestionType.MATRIX:
        for item in question.items:
            yield f"{question.id}.{item.id}", f"{text} {item.text.get_text(language)}"
    else:
        yield question.id, text


def _table(
    question, answer_id, text, page, layout, counts, respondents, units, min_count, labels, language
) -> QuestionTable:
    multiple = question.type is QuestionType.MULTIPLE_CHOICE
    options = (
        []
        if question.type is QuestionType.NUMBER
        else [(value, label_text) for value, label_text in _options_in(question, units, language)]
    )
    keys = [c.key for c in layout.columns]
    values: dict = {}
    raw: dict[str, dict[str, int]] = {}
    for column in layout.columns:
        merged: dict[str, int] = defaultdict(int)
        for dps_id in layout.members[column.key]:
            for value, count in counts.get(dps_id, {}).get(answer_id, {}).items():
                merged[value] += count
        raw[column.key] = merged
        declined = merged.get(DECLINED, 0)
        skipped = merged.get(SKIPPED, 0)  # shown the question, left it unanswered
        if multiple:
            gave = sum(respondents.get(d, {}).get(answer_id, 0) for d in layout.members[column.key])
            answered = gave - declined - skipped
        else:
            answered = sum(c for v, c in merged.items() if v not in (DECLINED, SKIPPED))
        values[("n", column.key)] = column.responses
        values[("answered", column.key)] = answered
        values[(DECLINED, column.key)] = declined
        values[(MISSING, column.key)] = skipped
        # never shown it: not published, but a reader can work it out, so it is protected
        values[(NOT_ASKED, column.key)] = column.responses - answered - declined - skipped
        for value, _ in options:
            values[(value, column.key)] = merged.get(value, 0)

    relations, also_hide = _relations(options, keys, values, multiple, min_count)
    hidden = protect(
        values, relations, min_count, keep=[("n", k) for k in keys], also_hide=also_hide
    )

    def cell(row_key: str, column_key: str, with_percent: bool) -> Cell:
        key = (row_key, column_key)
        if key in hidden:
            return Cell(None, None)
        answered = values[("answered", column_key)]
        percent = None
        if with_percent and answered and ("answered", column_key) not in hidden:
            percent = values[key] / answered
        return Cell(values[key], percent)

    rows = [Row(value, label, {k: cell(value, k, True) for k in keys}) for value, label in options]
    rows.append(Row(DECLINED, labels["declined"], {k: cell(DECLINED, k, False) for k in keys}))
    rows.append(Row(MISSING, labels["missing"], {k: cell(MISSING, k, False) for k in keys}))
    answered = {k: None if ("answered", k) in hidden else values[("answered", k)] for k in keys}
    stats = {}
    if _numeric(question):
        for k in keys:
            column_hidden = any((value, k) in hidden for value, _ in options)
            safe = not column_hidden and (answered[k] or 0) >= min_count
            stats[k] = _statistic(question, raw[k]) if safe else Statistic(None, None)
    return QuestionTable(
        answer_id, question.id, text, page, question.type.value, multiple, rows, answered, stats
    )


def _options_in(question, units, language):
    if question.type is QuestionType.DPS:
        return [(u.id, u.name) for u in units.values()]
    return [(c.value, c.label.get_text(language)) for c in question.options()]


def _relations(options, keys, values, multiple, min_count):
    """What a reader knows adds up, and the figures that are small as a complement."""
    data_keys = [k for k in keys if k != TOTAL]
    relations = []
    also_hide = set()
    for k in keys:
        relations.append(
            {
                ("n", k): 1,
                ("answered", k): -1,
                (DECLINED, k): -1,
                (MISSING, k): -1,
                (NOT_ASKED, k): -1,
            }
        )
        if not multiple and options:
            relations.append({("answered", k): 1, **{(v, k): -1 for v, _ in options}})
        if multiple:
            for value, _ in options:  # those who did not choose it are a group too
                if is_small(values[("answered", k)] - values[(value, k)], min_count):
                    also_hide.add((value, k))
    if TOTAL in keys:
        for row in ["answered", DECLINED, MISSING, NOT_ASKED] + [v for v, _ in options]:
            relations.append({(row, TOTAL): 1, **{(row, k): -1 for k in data_keys}})
    return relations, also_hide


def _numeric(question: Question) -> bool:
    if question.type is QuestionType.NUMBER:
        return True
    return question.scale is not None and question.scale.numeric


def _statistic(question: Question, counts: dict[str, int]) -> Statistic:
    """Mean and median from the counts per value (never from single responses)."""
    excluded = {DECLINED, SKIPPED}
    if question.scale is not None and question.scale.not_applicable is not None:
        excluded.add(question.scale.not_applicable.value)
    values = []
    for value, count in counts.items():
        if value in excluded:
            continue
        try:
            values.append((float(value.replace(",", ".")), count))
        except ValueError:
            continue
    n = sum(c for _, c in values)
    if not n:
        return Statistic(None, None)
    mean = sum(v * c for v, c in values) / n
    median = _median(sorted(values), n)
    return Statistic(round(mean, 2), median)


def _median(values: list[tuple[float, int]], n: int) -> float:
    """The lower median of sorted (value, count) pairs: always a value someone gave."""
    seen = 0
    for value, count in values:
        seen += count
        if seen * 2 >= n:
            return value
    return values[-1][0]


def _free_texts(scope, questionnaire, layout, language) -> list[FreeText]:
    column_of = {d: c for c in layout.columns if c.key != TOTAL for d in layout.members[c.key]}
    texts = []
    for dps_id, answer_id, text in aggregate.approved_free_texts(scope):
        column = column_of.get(dps_id)
        if column is None:
            continue
        question = questionnaire.question(answer_id)
        texts.append(FreeText(column.label, question.text.get_text(language), text))
    return texts
