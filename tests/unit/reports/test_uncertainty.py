"""Intervals on every percentage and mean of a table, and each column against the rest of
Trøndelag, from the shown figures only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scipy import stats

from surveyapp.reports.model import ABOVE, BELOW, DECLINED, NOT_CLEAR, TOTAL, Cell, Row
from surveyapp.reports.uncertainty import caveats, rest_label, with_uncertainty
from tests.unit.reports.tables import QUESTIONNAIRE, cell, table

QUESTION = QUESTIONNAIRE.question("mott")


def test_a_percentage_has_the_wilson_interval_of_its_count_and_base():
    """81 of 263: 0.2553 to 0.3662 (Newcombe 1998, table II, method 3)."""
    made = table("mott", {"a": {"ja": 81, "nei": 182}})
    shown = cell(made, "ja", "a")
    assert shown.percent == pytest.approx(81 / 263)
    assert (round(shown.low, 4), round(shown.high, 4)) == (0.2553, 0.3662)
    assert shown.versus_rest is None  # a single column: nothing to compare with


def test_a_mean_has_the_t_interval_of_the_counts_on_its_scale():
    counts = {"1": 3, "2": 5, "3": 9, "4": 14, "5": 6, "9": 4}  # "Ikke aktuelt" is no value
    made = table("hjalp", {"a": counts})
    statistic = made.statistics["a"]
    responses = [int(v) for v, c in counts.items() if v != "9" for _ in range(c)]
    theirs = stats.ttest_1samp(responses, 0).confidence_interval(0.95)
    assert statistic.mean == pytest.approx(sum(responses) / len(responses))
    assert statistic.low == pytest.approx(theirs.low)
    assert statistic.high == pytest.approx(theirs.high)


def test_a_unit_is_compared_with_the_total_minus_itself_and_marked_only_when_clear():
    made = table(
        "mott",
        {
            "a": {"ja": 80, "nei": 20},
            "b": {"ja": 50, "nei": 50},
            "c": {"ja": 55, "nei": 45},
            TOTAL: {"ja": 185, "nei": 115},
        },
    )
    a, b, c = (cell(made, "ja", key).versus_rest for key in "abc")
    assert a.other == pytest.approx(105 / 200)  # the rest, not the total's 185/300
    assert a.difference == pytest.approx(0.8 - 105 / 200)
    assert a.mark == ABOVE and a.p_value < 0.05 and a.low > 0
    assert b.mark == BELOW and b.high < 0
    assert c.mark == NOT_CLEAR and c.p_value > 0.05 and c.low < 0 < c.high
    assert cell(made, "ja", TOTAL).versus_rest is None


def test_means_are_compared_with_the_rest_by_welch():
    made = table(
        "hjalp",
        {
            "a": {"4": 20, "5": 20},
            "b": {"1": 10, "2": 10, "3": 20},
            TOTAL: {"1": 10, "2": 10, "3": 20, "4": 20, "5": 20},
        },
    )
    a = made.statistics["a"].versus_rest
    rest = [1] * 10 + [2] * 10 + [3] * 20
    welch = stats.ttest_ind([4] * 20 + [5] * 20, rest, equal_var=False)
    assert a.other == pytest.approx(sum(rest) / len(rest))
    assert a.p_value == pytest.approx(welch.pvalue) and a.mark == ABOVE
    assert made.statistics["b"].versus_rest.mark == BELOW
    assert made.statistics[TOTAL].versus_rest is None


def test_without_a_total_column_the_rest_is_the_other_columns_added_up():
    made = table(
        "mott",
        {"a": {"ja": 80, "nei": 20}, "b": {"ja": 50, "nei": 50}, "c": {"ja": 40, "nei": 60}},
    )
    assert cell(made, "ja", "a").versus_rest.other == pytest.approx(90 / 200)
    assert rest_label(["a", "b", "c"], "nb") == "de andre enhetene i tabellen der tallet vises"
    assert rest_label(["a", TOTAL], "nb") == "resten av Trøndelag"
    assert rest_label(["a"], "en") is None


def test_a_hidden_count_hides_the_figures_that_need_it_and_no_others():
    columns = {
        "a": {"ja": 80, "nei": 20},
        "b": {"ja": None, "nei": None},
        "c": {"ja": 40, "nei": 60},
    }
    without_total = table("mott", columns, answered={"a": 100, "b": 7, "c": 100})
    hidden = cell(without_total, "ja", "b")
    assert (hidden.count, hidden.low, hidden.high, hidden.versus_rest) == (None,) * 4
    assert cell(without_total, "ja", "a").low is not None  # its own interval needs only a
    # without a total, the rest is the other columns whose figure is shown: c, not b
    assert cell(without_total, "ja", "a").versus_rest.other == pytest.approx(0.4)
    with_total = table(
        "mott",
        {**columns, TOTAL: {"ja": 125, "nei": 82}},
        answered={"a": 100, "b": 7, "c": 100, TOTAL: 207},
    )
    assert cell(with_total, "ja", "a").versus_rest.other == pytest.approx(45 / 107)


def test_a_hidden_mean_in_the_total_leaves_the_units_without_comparison():
    made = table(
        "hjalp",
        {
            "a": {"4": 20, "5": 20},
            "b": {"1": 10, "2": 10, "3": 20},
            TOTAL: {"1": None, "2": 10, "3": 20, "4": 20, "5": 20},
        },
        answered={"a": 40, "b": 40, TOTAL: 82},
    )
    assert made.statistics[TOTAL].mean is None and made.statistics[TOTAL].low is None
    assert made.statistics["a"].low is not None and made.statistics["a"].versus_rest is None


def test_one_answer_gives_a_mean_without_an_interval():
    made = table("hjalp", {"a": {"4": 1}})
    assert made.statistics["a"].mean == 4.0 and made.statistics["a"].low is None


def test_the_caveats_are_stated_in_every_language():
    for language in ("nb", "nn", "en"):
        texts = caveats(language)
        assert len(texts) == 4 and all(texts)
    assert "svarprosenten" in caveats("nb")[3] and "selv valgt" in caveats("nb")[1]
    assert caveats("se") == caveats("nb")


def test_a_column_where_nobody_answered_counts_as_nothing_in_the_rest():
    made = table(
        "hjalp",
        {"a": {"4": 20, "5": 20}, "b": {"1": 10, "2": 10, "3": 20}, "c": {}},
    )
    assert made.statistics["c"].mean is None and not made.statistics["c"].hidden
    assert made.statistics["a"].versus_rest.other == pytest.approx(2.25)  # b alone
    share = cell(made, "5", "a")
    assert share.versus_rest.other == 0.0 and cell(made, "5", "c").low is None


def test_declined_and_missing_have_counts_but_no_interval():
    made = table("mott", {"a": {"ja": 8, "nei": 12}})
    declined = Row(DECLINED, "Vil ikke svare", {"a": Cell(3, None)})
    with_declined = with_uncertainty(replace(made, rows=[*made.rows, declined]), QUESTION)
    assert with_declined.rows[-1].cells["a"] == Cell(3, None)
    assert with_declined.rows[0].cells["a"].low is not None
