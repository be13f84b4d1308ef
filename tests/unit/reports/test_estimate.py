"""Confidence intervals and comparisons from counts, against published values, values worked by
hand, and scipy's own implementations run on the responses the counts stand for."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from surveyapp.reports.estimate import (
    TWO_PROPORTIONS,
    WELCH,
    Interval,
    Proportion,
    ValueCounts,
    change_in_mean,
    change_in_proportion,
    combine_scores,
    compare_mean_with_rest,
    compare_means,
    compare_proportion_with_rest,
    compare_proportions,
    compare_scores,
    estimate_mean,
    estimate_proportion,
    estimate_score,
    wilson_interval,
)


def close(interval: Interval | None, low: float, high: float, places: int = 4) -> bool:
    assert interval is not None
    return round(interval.low, places) == low and round(interval.high, places) == high


def expanded(values: ValueCounts) -> list[float]:
    """The responses that the counts stand for."""
    return [value for value, count in values.counts for _ in range(count)]


# Newcombe (1998), Two-sided confidence intervals for the single proportion, Statistics in
# Medicine 17:857-872, table II, method 3 (Wilson's score interval without correction).
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
    ],
)
def test_wilson_interval_matches_newcombes_published_examples(successes, n, low, high):
    assert close(wilson_interval(successes, n), low, high)


def test_wilson_interval_is_what_scipy_computes():
    for n in (1, 2, 5, 9, 30, 347):
        for successes in range(0, n + 1, max(1, n // 7)):
            ours = wilson_interval(successes, n)
            theirs = stats.binomtest(successes, n).proportion_ci(method="wilson")
            assert ours.low == pytest.approx(theirs.low, abs=1e-12)
            assert ours.high == pytest.approx(theirs.high, abs=1e-12)


def test_wilson_interval_is_centred_where_agresti_and_coull_centre_theirs():
    """Agresti and Coull (1998) built their interval around the Wilson centre
    (x + z²/2) / (n + z²), "add z²/2 successes and z²/2 failures"."""
    z = stats.norm.ppf(0.975)
    for successes, n in [(0, 10), (3, 10), (81, 263)]:
        interval = wilson_interval(successes, n)
        centre = (successes + z * z / 2) / (n + z * z)
        assert (interval.low + interval.high) / 2 == pytest.approx(centre)


def test_wilson_interval_at_the_edges():
    none = wilson_interval(0, 10)
    assert none.low == 0.0 and none.high == pytest.approx(0.2775, abs=1e-4)
    everyone = wilson_interval(10, 10)
    assert everyone.high == 1.0 and everyone.low == pytest.approx(1 - 0.2775, abs=1e-4)
    assert wilson_interval(0, 0) is None
    estimate = estimate_proportion(Proportion(0, 0))
    assert estimate.share is None and estimate.interval is None and estimate.n == 0
    with pytest.raises(ValueError):
        Proportion(6, 5)
    with pytest.raises(ValueError):
        wilson_interval(1, 5, level=1.0)


def test_a_wider_level_gives_a_wider_interval():
    narrow, wide = wilson_interval(30, 100, 0.90), wilson_interval(30, 100, 0.99)
    assert wide.low < narrow.low < 0.3 < narrow.high < wide.high


def test_t_interval_for_a_mean_worked_by_hand():
    """1, 2, 3, 4, 5: mean 3, s = √2.5 = 1.5811, se = s/√5 = 0.7071, t(4; 0.975) = 2.7764,
    so 3 ± 1.9632."""
    estimate = estimate_mean(ValueCounts.of({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}))
    assert estimate.n == 5 and estimate.mean == 3.0
    assert estimate.sd == pytest.approx(math.sqrt(2.5))
    assert close(estimate.interval, 1.0368, 4.9632)


def test_t_interval_from_counts_is_scipys_from_the_responses():
    values = ValueCounts.of({1: 7, 2: 12, 3: 30, 4: 51, 5: 22, 9.5: 1})
    estimate = estimate_mean(values)
    theirs = stats.ttest_1samp(expanded(values), 0).confidence_interval(0.95)
    assert estimate.interval.low == pytest.approx(theirs.low)
    assert estimate.interval.high == pytest.approx(theirs.high)


def test_a_mean_of_one_value_has_no_interval_and_of_none_no_mean():
    one = estimate_mean(ValueCounts.of({4: 1}))
    assert one.mean == 4.0 and one.sd is None and one.interval is None
    nothing = estimate_mean(ValueCounts.of({}))
    assert nothing.n == 0 and nothing.mean is None and nothing.interval is None
    same = estimate_mean(ValueCounts.of({5: 12}))
    assert same.interval == Interval(5.0, 5.0)


def test_value_counts_merge_values_and_drop_empty_ones():
    assert ValueCounts.of([(1, 2), (1.0, 3), (2, 0)]).counts == ((1.0, 5),)
    with pytest.raises(ValueError):
        ValueCounts(((1.0, -1),))


def test_score_puts_the_scale_on_0_to_100_and_keeps_the_interval_inside():
    values = ValueCounts.of({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
    score = estimate_score(values, lowest=1, highest=5)
    assert score.mean == 50.0
    assert close(score.interval, 0.9189, 99.0811)  # (1.0368 - 1) / 4 · 100, ...
    wide = estimate_score(ValueCounts.of({0: 1, 10: 1}), lowest=0, highest=10)
    assert wide.interval == Interval(0.0, 100.0)  # t(1) = 12.7: clipped to the scale
    with pytest.raises(ValueError):
        estimate_score(values, lowest=1, highest=4)  # a 5 is off that scale
    with pytest.raises(ValueError):
        estimate_score(values, lowest=5, highest=5)


# Newcombe (1998), Interval estimation for the difference between independent proportions,
# Statistics in Medicine 17:873-890, table II, method 10 (hybrid score interval).
@pytest.mark.parametrize(
    ("first", "second", "low", "high"),
    [
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((5, 56), (0, 29), -0.0381, 0.1926),
        ((0, 10), (0, 20), -0.1611, 0.2775),
        ((10, 10), (0, 20), 0.6791, 1.0),
    ],
)
def test_difference_of_proportions_matches_newcombes_published_examples(first, second, low, high):
    result = compare_proportions(Proportion(*first), Proportion(*second))
    assert close(result.interval, low, high)
    assert result.method == TWO_PROPORTIONS


def test_two_proportion_test_worked_by_hand_and_as_scipy_computes_it():
    """56/70 against 48/80: pooled 104/150, se = √(0.6933 · 0.3067 · (1/70 + 1/80)) = 0.0755,
    z = 0.2 / 0.0755 = 2.650, two-sided p = 0.0080. It is the chi-squared test of the 2 × 2
    table without continuity correction."""
    result = compare_proportions(Proportion(56, 70), Proportion(48, 80))
    assert result.difference == pytest.approx(0.2)
    assert result.p_value == pytest.approx(0.0080, abs=5e-5)
    table = [[56, 14], [48, 32]]
    assert result.p_value == pytest.approx(stats.chi2_contingency(table, correction=False).pvalue)
    assert result.clear
    unclear = compare_proportions(Proportion(5, 56), Proportion(0, 29))
    assert unclear.p_value > 0.05 and not unclear.clear


def test_proportions_without_anyone_to_compare():
    result = compare_proportions(Proportion(3, 10), Proportion(0, 0))
    assert result.difference is None and result.p_value is None and not result.clear
    same = compare_proportions(Proportion(0, 10), Proportion(0, 20))
    assert same.difference == 0 and same.p_value == 1.0 and not same.clear


def test_welch_t_test_from_counts_is_scipys_from_the_responses():
    first = ValueCounts.of({1: 3, 2: 5, 3: 14, 4: 30, 5: 18})
    second = ValueCounts.of({1: 20, 2: 31, 3: 60, 4: 88, 5: 41})
    result = compare_means(first, second)
    theirs = stats.ttest_ind(expanded(first), expanded(second), equal_var=False)
    interval = theirs.confidence_interval(0.95)
    assert result.difference == pytest.approx(first.mean - second.mean)
    assert result.p_value == pytest.approx(theirs.pvalue)
    assert result.interval.low == pytest.approx(interval.low)
    assert result.interval.high == pytest.approx(interval.high)
    assert result.clear == (theirs.pvalue < 0.05)
    assert result.method == WELCH


def test_welch_t_test_worked_by_hand():
    """1, 2, 3 (mean 2, s² = 1) against 4, 6, 8 (mean 6, s² = 4): se = √(1/3 + 4/3) = 1.2910,
    t = −4 / 1.2910 = −3.098, df = (5/3)² / ((1/3)²/2 + (4/3)²/2) = 2.941, p = 0.055: a
    difference of 4 between three answers each is not clear."""
    result = compare_means(ValueCounts.of({1: 1, 2: 1, 3: 1}), ValueCounts.of({4: 1, 6: 1, 8: 1}))
    assert result.difference == -4.0
    half = stats.t.ppf(0.975, 2.941176) * math.sqrt(5 / 3)
    assert close(result.interval, round(-4 - half, 4), round(-4 + half, 4))
    assert result.p_value == pytest.approx(2 * stats.t.sf(4 / math.sqrt(5 / 3), 2.941176))
    assert result.p_value == pytest.approx(0.0548, abs=5e-5)
    assert not result.clear and result.interval.low < 0 < result.interval.high


def test_means_that_cannot_be_tested():
    one = compare_means(ValueCounts.of({4: 1}), ValueCounts.of({1: 2, 5: 3}))
    assert one.interval is None and one.p_value is None and not one.clear
    assert one.difference == pytest.approx(4 - 3.4)
    constant = compare_means(ValueCounts.of({5: 9}), ValueCounts.of({4: 9}))
    assert constant.difference == 1.0 and constant.p_value is None and not constant.clear
    empty = compare_means(ValueCounts.of({}), ValueCounts.of({1: 2, 5: 3}))
    assert empty.difference is None and not empty.clear


def test_a_unit_is_compared_with_the_rest_of_trondelag_not_with_a_total_holding_it():
    unit, total = Proportion(30, 50), Proportion(80, 200)
    with_rest = compare_proportion_with_rest(unit, total)
    assert with_rest == compare_proportions(unit, Proportion(50, 150))
    assert with_rest.second == pytest.approx(1 / 3)
    assert with_rest.difference != compare_proportions(unit, total).difference

    unit_values = ValueCounts.of({1: 2, 3: 10, 5: 20})
    total_values = ValueCounts.of({1: 12, 3: 40, 5: 30})
    rest = ValueCounts.of({1: 10, 3: 30, 5: 10})
    assert compare_mean_with_rest(unit_values, total_values) == compare_means(unit_values, rest)
    with pytest.raises(ValueError):
        total_values.minus(ValueCounts.of({1: 13}))
    with pytest.raises(ValueError):
        Proportion(3, 10).minus(Proportion(4, 5))


def test_a_change_between_periods_is_the_later_minus_the_earlier():
    earlier, later = Proportion(40, 100), Proportion(70, 100)
    change = change_in_proportion(earlier, later)
    assert change.difference == pytest.approx(0.3) and change.clear
    assert change.interval.low > 0
    before = ValueCounts.of({1: 10, 2: 10, 3: 10})
    after = ValueCounts.of({1: 9, 2: 11, 3: 10})
    steady = change_in_mean(before, after)
    assert steady.difference == pytest.approx(1 / 30)
    assert not steady.clear and steady.interval.low < 0 < steady.interval.high


def test_a_score_of_one_item_is_the_t_interval_of_that_item():
    values = ValueCounts.of({1: 3, 2: 5, 3: 9, 4: 14, 5: 6}).rescaled(1, 5)
    combined = combine_scores([values])
    single = estimate_score(ValueCounts.of({1: 3, 2: 5, 3: 9, 4: 14, 5: 6}), 1, 5)
    assert combined.score == pytest.approx(single.mean)
    assert combined.interval.low == pytest.approx(single.interval.low)
    assert combined.interval.high == pytest.approx(single.interval.high)
    assert combined.n == 37 and combined.df == 36


def test_a_score_of_several_items_is_the_mean_of_their_scores_with_a_bound_on_its_error():
    """Two items answered by the same 40 people. The error of the mean of the two item
    means is that of each person's own mean (the index), sd(index)/√n; the bound used,
    (se1 + se2)/2, is never below it, and equals it when every person gives both items the
    same answer (perfect correlation)."""
    people = [(1 + i % 5, 1 + (i * 3) % 5) for i in range(40)]  # weakly related answers
    for pairs in (people, [(a, a) for a, _ in people]):
        first = ValueCounts.of([(a, 1) for a, _ in pairs]).rescaled(1, 5)
        second = ValueCounts.of([(b, 1) for _, b in pairs]).rescaled(1, 5)
        combined = combine_scores([first, second])
        index = [((a - 1) * 25 + (b - 1) * 25) / 2 for a, b in pairs]
        true_se = stats.sem(index)
        assert combined.score == pytest.approx(sum(index) / len(index))
        assert combined.se >= true_se - 1e-12
        if all(a == b for a, b in pairs):
            assert combined.se == pytest.approx(true_se)
        half = stats.t.ppf(0.975, 39) * combined.se
        assert combined.interval.low == pytest.approx(max(0, combined.score - half))


def test_items_nobody_answered_are_left_out_of_a_score():
    answered = ValueCounts.of({0: 2, 100: 2})
    combined = combine_scores([answered, ValueCounts.of({})])
    assert combined.score == 50.0 and combined.n == 4
    assert combine_scores([ValueCounts.of({})]).score is None
    one = combine_scores([ValueCounts.of({100: 1}), answered])
    assert one.score == 75.0 and one.interval is None  # one answer says nothing of spread


def test_scores_of_one_item_are_compared_exactly_as_welch_compares_means():
    first = ValueCounts.of({1: 4, 2: 6, 3: 10, 4: 20, 5: 12}).rescaled(1, 5)
    second = ValueCounts.of({1: 9, 2: 14, 3: 12, 4: 9, 5: 4}).rescaled(1, 5)
    ours = compare_scores(combine_scores([first]), combine_scores([second]))
    welch = compare_means(first, second)
    assert ours.difference == pytest.approx(welch.difference)
    assert ours.p_value == pytest.approx(welch.p_value)
    assert ours.interval.low == pytest.approx(welch.interval.low)
    assert ours.clear and welch.clear
    same = compare_scores(combine_scores([first]), combine_scores([first]))
    assert same.difference == 0 and not same.clear and same.p_value == pytest.approx(1.0)
