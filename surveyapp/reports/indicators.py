"""The key indicators of a report, 0-100, from the figures its tables already show.

An indicator is a function of published figures, never of single responses: a `mean`
indicator is the mean of its items' 0-100 scores, each score from the shown counts of that
item's scale; a `share` indicator is the shown counts of the chosen answers over the shown
number who answered (with several items, the mean of the items' shares, as a mean of
answers scored 0 or 100). A score of several items per respondent would need each person's
answers to all the items, figures that disclosure control does not protect, so it is not
used (docs/reports.md). Wherever a figure an indicator needs is hidden, the indicator is
hidden too («skjult»).
"""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.questionnaire import Combination, Indicator, Questionnaire
from surveyapp.reports.estimate import (
    Difference,
    Proportion,
    ValueCounts,
    combine_scores,
    compare_proportions,
    compare_scores,
    estimate_proportion,
)
from surveyapp.reports.model import (
    SCORE,
    SHARE,
    IndicatorRow,
    IndicatorValue,
    QuestionTable,
)
from surveyapp.reports.uncertainty import (
    add_counts,
    add_proportions,
    comparison,
    numeric_options,
    rest,
    value_counts,
)


@dataclass(frozen=True)
class Inputs:
    """What an indicator stands on in one column: the shown figures it is computed from."""

    hidden: bool = False  # a figure it needs is hidden
    share: Proportion | None = None  # SHARE: chose one of the values, of those who answered
    items: dict[str, ValueCounts] | None = None  # MEAN: each item's counts, on 0-100

    def minus(self, part: Inputs) -> Inputs:
        """The rest: these (a total's) inputs without `part` (a column in the total)."""
        if self.share is not None and part.share is not None:
            return Inputs(share=self.share.minus(part.share))
        assert self.items is not None and part.items is not None
        return Inputs(items={a: v.minus(part.items[a]) for a, v in self.items.items()})

    @staticmethod
    def add(parts: list[Inputs]) -> Inputs:
        """Several columns' inputs together (columns that do not overlap)."""
        if all(part.share is not None for part in parts):
            return Inputs(share=add_proportions([part.share for part in parts]))
        return Inputs(items={a: add_counts([p.items[a] for p in parts]) for a in parts[0].items})

    @property
    def empty(self) -> bool:
        if self.share is not None:
            return self.share.n == 0
        return not self.items or not any(v.n for v in self.items.values())


def inputs(
    indicator: Indicator,
    questionnaire: Questionnaire,
    tables: dict[str, QuestionTable],
    key: str,
) -> Inputs:
    """The shown figures `indicator` needs in column `key` of these tables."""
    if indicator.combine is Combination.SHARE:
        shares = [_chosen(indicator, tables.get(answer_id), key) for answer_id in indicator.items]
        if any(share is None for share in shares):
            return Inputs(hidden=True)
        if len(shares) == 1:
            return Inputs(share=shares[0])
        # several items: the mean of their shares, each item's answers as 0 or 100
        return Inputs(
            items={
                answer_id: ValueCounts.of({100: share.successes, 0: share.n - share.successes})
                for answer_id, share in zip(indicator.items, shares, strict=True)
            }
        )
    items: dict[str, ValueCounts] = {}
    for answer_id in indicator.items:
        table = tables.get(answer_id)
        if table is None:  # not in this report's questionnaire: nobody answered it
            items[answer_id] = ValueCounts(())
            continue
        answered = table.answered.get(key)
        if answered is None:
            return Inputs(hidden=True)
        question = questionnaire.question(table.question_id)
        numeric = numeric_options(question)
        values = value_counts(table, key, numeric)
        if values is None:
            return Inputs(hidden=True)
        numbers = [number for _, number in numeric]
        items[answer_id] = values.rescaled(min(numbers), max(numbers))
    return Inputs(items=items)


def _chosen(indicator: Indicator, table: QuestionTable | None, key: str) -> Proportion | None:
    """How many of those who answered gave one of the indicator's values; None if hidden."""
    if table is None:
        return Proportion(0, 0)
    answered = table.answered.get(key)
    if answered is None:
        return None
    chosen = 0
    for row in table.rows:
        if row.value in indicator.values:
            cell = row.cells.get(key)
            if cell is None or cell.count is None:
                return None
            chosen += cell.count
    return Proportion(chosen, answered)


def value(figures: Inputs) -> IndicatorValue:
    """The indicator's score, interval and number of answers (no comparison yet)."""
    if figures.hidden:
        return IndicatorValue(None, hidden=True)
    if figures.empty:
        return IndicatorValue(None)
    if figures.share is not None:
        estimate = estimate_proportion(figures.share)
        interval = estimate.interval
        return IndicatorValue(
            estimate.share * 100, interval.low * 100, interval.high * 100, estimate.n
        )
    score = combine_scores(list(figures.items.values()))
    interval = score.interval
    return IndicatorValue(
        score.score,
        interval.low if interval else None,
        interval.high if interval else None,
        score.n,
    )


def difference(first: Inputs, second: Inputs) -> Difference | None:
    """first − second on 0..1 (SHARE) or 0..100 (MEAN); None where either is hidden or has
    no answers."""
    if first.hidden or second.hidden or first.empty or second.empty:
        return None
    if first.share is not None and second.share is not None:
        return compare_proportions(first.share, second.share)
    if first.items is not None and second.items is not None:
        return compare_scores(
            combine_scores(list(first.items.values())),
            combine_scores(list(second.items.values())),
        )
    return None


def scale_of(indicator: Indicator) -> float:
    """What puts a Difference of this indicator on 0-100 (a share of one item is 0..1)."""
    one_share = indicator.combine is Combination.SHARE and len(indicator.items) == 1
    return 100.0 if one_share else 1.0


def indicator_rows(
    questionnaire: Questionnaire,
    tables: list[QuestionTable],
    keys: list[str],
    language: str,
) -> list[IndicatorRow]:
    """Every declared indicator in every column, each column against the rest of Trøndelag
    (the total minus the column) where both are shown."""
    by_id = {table.answer_id: table for table in tables}
    rows = []
    for indicator in questionnaire.indicators:
        figures = {key: inputs(indicator, questionnaire, by_id, key) for key in keys}
        usable = {key: None if f.hidden else f for key, f in figures.items()}
        values = {}
        for key in keys:
            shown = value(figures[key])
            pair = rest(key, usable, Inputs.add, Inputs.minus)
            found = difference(*pair) if pair and shown.score is not None else None
            if found is not None:
                versus = comparison(found, scale_of(indicator))
                shown = IndicatorValue(
                    shown.score, shown.low, shown.high, shown.n, versus_rest=versus
                )
            values[key] = shown
        description = indicator.description
        rows.append(
            IndicatorRow(
                id=indicator.id,
                name=indicator.name.get_text(language),
                description=description.get_text(language) if description else None,
                kind=SHARE if indicator.combine is Combination.SHARE else SCORE,
                answer_ids=indicator.items,
                values=values,
            )
        )
    return rows
