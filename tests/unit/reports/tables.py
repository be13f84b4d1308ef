"""Report tables built by hand, as build_report would after protection: counts per column,
None for a hidden count."""

from __future__ import annotations

import textwrap

from surveyapp.questionnaire import load_text
from surveyapp.reports.model import Cell, QuestionTable, Row, Statistic
from surveyapp.reports.uncertainty import with_uncertainty

FORM = """\
id: test
title: Test
modes: [self]
scales:
  grad5:
    options:
      - {value: 1, label: Lite}
      - {value: 2, label: Litt}
      - {value: 3, label: Noe}
      - {value: 4, label: Mye}
      - {value: 5, label: Svært mye}
    not_applicable: {value: 9, label: Ikke aktuelt}
pages:
  - id: side
    title: Side
    questions:
      - {id: mott, type: yes_no, text: "Møtt?"}
      - {id: hjalp, type: scale, scale: grad5, text: "Hjalp det?"}
      - id: m
        type: matrix
        scale: grad5
        text: M
        items: [{id: x, text: X}, {id: y, text: Y}]
      - {id: antall, type: number, text: Antall, min: 0, max: 100}
"""
INDICATORS = """\
indicators:
  - {id: nytte, name: Nytte, items: [m.x, m.y]}
  - {id: mott, name: Møtt, combine: share, items: [mott], values: [ja]}
  - {id: hjalp, name: Hjalp, items: [hjalp]}
  - {id: sterk, name: Sterk, combine: share, items: [m.x, m.y], values: [4, 5]}
"""
QUESTIONNAIRE = load_text(FORM + textwrap.dedent(INDICATORS), "test.yaml").questionnaire
assert QUESTIONNAIRE is not None


def table(
    answer_id: str,
    columns: dict[str, dict[str, int | None]],
    answered: dict[str, int | None] | None = None,
) -> QuestionTable:
    """A protected table of `answer_id` (a question of QUESTIONNAIRE) with these counts per
    column and value, intervals and comparisons added as build_report adds them."""
    question = QUESTIONNAIRE.question(answer_id.split(".")[0])
    values = [c.value for c in question.options()]
    answered = answered or {
        key: None if None in counts.values() else sum(counts.values())
        for key, counts in columns.items()
    }
    rows = []
    for value in values:
        cells = {}
        for key, counts in columns.items():
            count = counts.get(value, 0)
            n = answered[key]
            cells[key] = Cell(count, count / n if count is not None and n else None)
        rows.append(Row(value, value, cells))
    statistics = {}
    if question.scale is not None:
        for key, counts in columns.items():
            numeric = {int(v): counts.get(v, 0) for v in ("1", "2", "3", "4", "5")}
            n = sum(c for c in numeric.values() if c is not None)
            if None in numeric.values():
                statistics[key] = Statistic(None, None, hidden=True, median_hidden=True)
            else:
                mean = sum(v * c for v, c in numeric.items()) / n if n else None
                statistics[key] = Statistic(mean, None)
    made = QuestionTable(
        answer_id, question.id, answer_id, "Side", question.type.value, False, rows,
        answered, statistics,
    )  # fmt: skip
    return with_uncertainty(made, question)


def cell(made: QuestionTable, value: str, key: str) -> Cell:
    return next(row for row in made.rows if row.value == value).cells[key]
