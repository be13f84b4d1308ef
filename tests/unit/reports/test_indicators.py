"""Key indicators from a report's shown figures, hidden with any figure they need, and their
trend from one period to the next."""

from __future__ import annotations

import pytest

from surveyapp.reports.estimate import wilson_interval
from surveyapp.reports.indicators import indicator_rows
from surveyapp.reports.model import (
    ABOVE,
    DOWN,
    NOT_CLEAR,
    POOLED,
    SCORE,
    SHARE,
    TOTAL,
    UP,
    Column,
    Filters,
    Report,
)
from surveyapp.reports.trends import build_trends
from tests.unit.reports.tables import QUESTIONNAIRE, table


def rows(tables, keys):
    return {row.id: row for row in indicator_rows(QUESTIONNAIRE, tables, keys, "nb")}


def test_a_score_is_the_mean_of_its_items_0_to_100_scores():
    x = table("m.x", {"a": {"3": 10, "4": 10, "9": 5}})  # 50 and 75: 62.5 ("9" is no value)
    y = table("m.y", {"a": {"5": 20}})  # 100
    nytte = rows([x, y], ["a"])["nytte"]
    value = nytte.values["a"]
    assert (nytte.kind, nytte.name, nytte.answer_ids) == (SCORE, "Nytte", ("m.x", "m.y"))
    assert value.score == pytest.approx((62.5 + 100) / 2) and value.n == 20
    assert value.low < value.score < value.high <= 100 and not value.hidden


def test_a_share_is_the_percentage_giving_the_counted_answers_with_its_wilson_interval():
    mott = table("mott", {"a": {"ja": 81, "nei": 150, "vet_ikke": 32}})
    value = rows([mott], ["a"])["mott"].values["a"]
    interval = wilson_interval(81, 263)
    assert rows([mott], ["a"])["mott"].kind == SHARE
    assert value.score == pytest.approx(100 * 81 / 263) and value.n == 263
    assert (value.low, value.high) == pytest.approx((100 * interval.low, 100 * interval.high))


def test_a_share_of_several_items_is_the_mean_of_their_shares():
    x = table("m.x", {"a": {"2": 10, "4": 5, "5": 5}, "b": {"1": 20, "5": 20}})
    y = table("m.y", {"a": {"4": 30, "1": 10}, "b": {"2": 40}})
    values = rows([x, y], ["a", "b"])["sterk"].values
    assert values["a"].score == pytest.approx(100 * (10 / 20 + 30 / 40) / 2)
    assert values["b"].score == pytest.approx(100 * (20 / 40 + 0) / 2)
    assert values["a"].n == 20 and values["a"].low < values["a"].score < values["a"].high
    assert values["a"].versus_rest.other == pytest.approx(values["b"].score)
    assert values["a"].versus_rest.mark == ABOVE


def test_a_share_needs_only_its_counted_answers_and_the_base_where_a_mean_needs_all():
    x = table("m.x", {"a": {"1": None, "2": 10, "4": 5, "5": 5}}, answered={"a": 22})
    y = table("m.y", {"a": {"4": 30, "1": 10}})
    found = rows([x, y], ["a"])
    assert found["nytte"].values["a"].hidden  # the mean needs the hidden count of 1
    share = found["sterk"].values["a"]
    assert not share.hidden and share.score == pytest.approx(100 * (10 / 22 + 30 / 40) / 2)
    x = table("m.x", {"a": {"2": 10, "4": None, "5": 5}}, answered={"a": 18})
    assert rows([x, y], ["a"])["sterk"].values["a"].hidden


def test_a_hidden_figure_hides_the_indicator_and_the_comparisons_that_need_it():
    x = table("m.x", {"a": {"4": 30}, "b": {"2": 30}, "c": {"3": 30}})
    y = table("m.y", {"a": {"4": 30}, "b": {"2": 29, "1": None}, "c": {"3": 30}},
              answered={"a": 30, "b": 31, "c": 30})  # fmt: skip
    values = rows([x, y], ["a", "b", "c"])["nytte"].values
    assert values["b"].hidden and values["b"].score is None and values["b"].low is None
    assert values["a"].score == 75.0 and not values["a"].hidden
    assert values["a"].versus_rest.other == 50.0  # the rest: c, whose figure is shown, not b
    hidden_base = table("mott", {"a": {"ja": 8, "nei": 12}}, answered={"a": None})
    assert rows([hidden_base], ["a"])["mott"].values["a"].hidden


def test_nobody_answering_is_not_hidden_and_an_item_without_answers_is_left_out():
    x = table("m.x", {"a": {"5": 10}, "b": {}})
    y = table("m.y", {"a": {}, "b": {}})
    values = rows([x, y], ["a", "b"])["nytte"].values
    assert values["a"].score == 100.0  # m.y has no answers in a: the score is m.x's
    assert values["b"].score is None and not values["b"].hidden


def test_units_are_compared_with_the_rest_and_marked_only_when_clear():
    def columns(a, b, c):
        total = {v: a.get(v, 0) + b.get(v, 0) + c.get(v, 0) for v in {*a, *b, *c}}
        return {"a": a, "b": b, "c": c, TOTAL: total}

    c = {"3": 12, "4": 19, "5": 9}  # 3.925 against the rest's 4.0
    hjalp = table("hjalp", columns({"4": 20, "5": 20}, {"3": 20, "4": 20}, c))
    mott = table(
        "mott", columns({"ja": 30, "nei": 10}, {"ja": 20, "nei": 20}, {"ja": 21, "nei": 19})
    )
    found = rows([hjalp, mott], ["a", "b", "c", TOTAL])
    a = found["hjalp"].values["a"].versus_rest
    assert a.mark == ABOVE and a.other == pytest.approx((297 / 80 - 1) * 25)
    assert found["hjalp"].values["c"].versus_rest.mark == NOT_CLEAR
    share = found["mott"].values["a"].versus_rest
    assert share.difference == pytest.approx(100 * (30 / 40 - 41 / 80))  # on 0-100
    assert share.mark == ABOVE
    assert found["mott"].values["b"].versus_rest.mark == NOT_CLEAR
    assert found["mott"].values[TOTAL].versus_rest is None


def report(period: str, tables, columns=("a", "b"), units=None) -> Report:
    keys = list(columns)
    return Report(
        questionnaire_id="test",
        title="Test",
        language="nb",
        min_count=5,
        filters=Filters(period=period),
        columns=[Column(k, k.upper(), 100, (units or {}).get(k, ())) for k in keys],
        tables=tables,
        versions=[],
        not_shown=[],
        total_note=None,
        period=period,
        indicators=indicator_rows(QUESTIONNAIRE, tables, keys, "nb"),
    )


def test_a_trend_marks_a_change_only_where_it_is_clear():
    earlier = report(
        "2026-H1",
        [
            table("mott", {"a": {"ja": 20, "nei": 80}, "b": {"ja": 50, "nei": 50}}),
            table("hjalp", {"a": {"2": 20, "3": 20}, "b": {"4": 30, "5": 10}}),
        ],
    )
    later = report(
        "2026-H2",
        [
            table("mott", {"a": {"ja": 60, "nei": 40}, "b": {"ja": 47, "nei": 53}}),
            table("hjalp", {"a": {"2": 18, "3": 22}, "b": {"2": 20, "3": 20}}),
        ],
    )
    trends = build_trends(QUESTIONNAIRE, [earlier, later])
    assert trends.periods == ["2026-H1", "2026-H2"]
    series = {(s.indicator_id, s.column_key): s for s in trends.series}
    rise = series[("mott", "a")].points
    assert [p.period for p in rise] == ["2026-H1", "2026-H2"]
    assert [p.value.score for p in rise] == pytest.approx([20.0, 60.0])
    assert rise[0].change is None
    assert rise[1].change.mark == UP and rise[1].change.difference == pytest.approx(40.0)
    assert series[("mott", "b")].points[1].change.mark == NOT_CLEAR
    assert series[("hjalp", "b")].points[1].change.mark == DOWN
    assert series[("hjalp", "a")].points[1].change.mark == NOT_CLEAR
    assert series[("mott", "a")].label == "A"


def test_no_change_is_computed_where_a_point_is_hidden_or_a_pool_changed():
    earlier = report(
        "2026-H1",
        [table("mott", {"a": {"ja": 20, "nei": 80}, POOLED: {"ja": 50, "nei": 50}})],
        columns=("a", POOLED),
        units={POOLED: ("Levanger", "Stjørdal")},
    )
    later = report(
        "2026-H2",
        [
            table(
                "mott",
                {"a": {"ja": None, "nei": 40}, POOLED: {"ja": 90, "nei": 10}},
                answered={"a": 43, POOLED: 100},
            )
        ],  # fmt: skip
        columns=("a", POOLED),
        units={POOLED: ("Levanger",)},
    )
    unpublished = report("2027-H1", [], columns=())
    unpublished = Report(**{**unpublished.__dict__, "published": False})
    trends = build_trends(QUESTIONNAIRE, [earlier, later, unpublished])
    assert trends.periods == ["2026-H1", "2026-H2"]  # only published periods
    series = {(s.indicator_id, s.column_key): s for s in trends.series}
    hidden = series[("mott", "a")].points[1]
    assert hidden.value.hidden and hidden.change is None
    assert series[("mott", POOLED)].points[1].change is None  # not the same units


def test_a_column_missing_in_a_period_has_no_value_there():
    earlier = report("2026-H1", [table("mott", {"a": {"ja": 5, "nei": 5}})], columns=("a",))
    later = report("2026-H2", [table("mott", {"a": {"ja": 5, "nei": 5}, "b": {"ja": 9, "nei": 1}})])
    series = {
        (s.indicator_id, s.column_key): s
        for s in build_trends(QUESTIONNAIRE, [earlier, later]).series
    }
    assert series[("mott", "b")].points[0].value is None
    assert series[("mott", "b")].points[1].change is None
