"""Uncertainty of the per-DPS figures: confidence intervals and comparisons, from counts.

Pure functions on plain dataclasses: every input is a count (how many chose an answer, how
many gave each value), never a single response, so the statistics can be computed from the
same GROUP BY counts as the tables. The distributions come from the standard library
(statistics.NormalDist, math.erfc) and scipy.stats; nothing here is a hand-written
distribution.

- A share: Wilson's score interval (Wilson 1927; method 3 in Newcombe 1998), which keeps
  its coverage for small n and for shares near 0 or 1, where the textbook Wald interval
  fails (Agresti and Coull 1998).
- A mean (a scale, a number) and a 0-100 score: Student's t interval, from the counts per
  value.
- An indicator that is the mean of several items' 0-100 scores: the items are answered by
  the same people, so their errors are correlated in a way the published counts do not show.
  The standard error of the mean of k item means is at most the mean of their standard
  errors (|cov| ≤ sd · sd, whatever the correlation), and that bound is used, with the
  degrees of freedom of the item with the fewest answers: an interval no narrower than the
  true one. With one item it is exactly the t interval.
- A unit against the rest of Trøndelag (the other units, never a total that contains the
  unit), and a period against an earlier one: for shares, the pooled two-proportion z-test
  with Newcombe's hybrid score interval for the difference (method 10 in Newcombe 1998);
  for means, Welch's t-test with the Welch-Satterthwaite degrees of freedom.

A difference is *clear* when its two-sided p-value is below 1 - level (0.05 by default).
These are the figures of a simple random sample: they know nothing of self-selection, of
differences in patient mix between units, or of the response rate, which a report must
state beside them. Two periods are treated as independent samples.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from scipy import stats

LEVEL = 0.95

WILSON = "Wilson score interval"
STUDENT_T = "Student's t interval"
TWO_PROPORTIONS = "two-proportion z-test (pooled), Newcombe's hybrid score interval"
WELCH = "Welch's t-test, Welch-Satterthwaite degrees of freedom"
ITEM_MEAN = "mean of item scores, standard error bounded by the mean of the items' errors"


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Proportion:
    """`successes` of `n` (e.g. chose "I stor grad" of those who answered)."""

    successes: int
    n: int

    def __post_init__(self) -> None:
        if self.n < 0 or not 0 <= self.successes <= self.n:
            raise ValueError(f"not a proportion: {self.successes} of {self.n}")

    @property
    def share(self) -> float | None:
        return self.successes / self.n if self.n else None

    def minus(self, part: Proportion) -> Proportion:
        """What is left of this (a total) without `part` (a unit in it): the rest."""
        return Proportion(self.successes - part.successes, self.n - part.n)


@dataclass(frozen=True)
class ValueCounts:
    """How many respondents gave each value: ((value, count), ...), e.g. ((1, 4), (5, 12))."""

    counts: tuple[tuple[float, int], ...]

    def __post_init__(self) -> None:
        if any(count < 0 for _, count in self.counts):
            raise ValueError("a count cannot be negative")

    @classmethod
    def of(cls, counts: Mapping[float, int] | Iterable[tuple[float, int]]) -> ValueCounts:
        items = counts.items() if isinstance(counts, Mapping) else counts
        merged: dict[float, int] = {}
        for value, count in items:
            merged[float(value)] = merged.get(float(value), 0) + int(count)
        return cls(tuple(sorted((v, c) for v, c in merged.items() if c)))

    @property
    def n(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def mean(self) -> float | None:
        n = self.n
        return sum(value * count for value, count in self.counts) / n if n else None

    @property
    def variance(self) -> float | None:
        """The sample variance (n - 1 in the denominator); None below two values."""
        n, mean = self.n, self.mean
        if n < 2 or mean is None:
            return None
        return sum(count * (value - mean) ** 2 for value, count in self.counts) / (n - 1)

    def minus(self, part: ValueCounts) -> ValueCounts:
        """What is left of this (a total) without `part` (a unit in it): the rest."""
        left = dict(self.counts)
        for value, count in part.counts:
            left[value] = left.get(value, 0) - count
            if left[value] < 0:
                raise ValueError(f"the part has more of {value} than the total")
        return ValueCounts.of(left)

    def rescaled(self, lowest: float, highest: float) -> ValueCounts:
        """The values put on a 0-100 scale, `lowest` at 0 and `highest` at 100."""
        if highest <= lowest:
            raise ValueError("the highest value must be above the lowest")
        span = highest - lowest
        for value, _ in self.counts:
            if not lowest <= value <= highest:
                raise ValueError(f"{value} is outside {lowest}-{highest}")
        return ValueCounts.of(((value - lowest) / span * 100, c) for value, c in self.counts)


@dataclass(frozen=True)
class ProportionEstimate:
    n: int
    share: float | None  # None when n = 0
    interval: Interval | None
    level: float
    method: str = WILSON


@dataclass(frozen=True)
class MeanEstimate:
    n: int
    mean: float | None  # None when n = 0
    sd: float | None  # the sample standard deviation; None below two values
    interval: Interval | None  # None below two values
    level: float
    method: str = STUDENT_T


@dataclass(frozen=True)
class Difference:
    """`first` minus `second` (a unit minus the rest, or a later period minus an earlier)."""

    first: float | None
    second: float | None
    difference: float | None
    interval: Interval | None
    p_value: float | None  # two-sided; None where there is nothing to test
    clear: bool  # p_value below 1 - level
    level: float
    method: str


@functools.lru_cache(maxsize=64)
def _z(level: float) -> float:
    _check(level)
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


@functools.lru_cache(maxsize=4096)
def _t(level: float, df: float) -> float:
    """The t quantile of (1 + level) / 2 (scipy.stats; a report asks for the same few)."""
    return float(stats.t.ppf(1 - (1 - level) / 2, df))


def _normal_p(z: float) -> float:
    """The two-sided p-value of a standard normal statistic, 2 · (1 − Φ(|z|)) = erfc(|z|/√2),
    from the standard library (scipy.stats.norm.sf gives the same, a hundred times slower)."""
    return math.erfc(abs(z) / math.sqrt(2))


def _check(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"a confidence level is between 0 and 1, not {level}")


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> Interval | None:
    """Wilson's score interval for a proportion; None when n = 0.

    (x + z²/2) / (n + z²) ± z / (n + z²) · √(x(n − x)/n + z²/4), with z the normal quantile
    of (1 + level) / 2 (1.96 for 95 %). At x = 0 it starts at 0, at x = n it ends at 1."""
    proportion = Proportion(successes, n)
    z = _z(level)
    if proportion.n == 0:
        return None
    x, z2 = proportion.successes, z * z
    centre = (x + z2 / 2) / (n + z2)
    half = z / (n + z2) * math.sqrt(x * (n - x) / n + z2 / 4)
    low = 0.0 if x == 0 else max(0.0, centre - half)  # exactly, not 1e-17 off
    high = 1.0 if x == n else min(1.0, centre + half)
    return Interval(low, high)


def estimate_proportion(proportion: Proportion, level: float = LEVEL) -> ProportionEstimate:
    """A share with its Wilson score interval."""
    interval = wilson_interval(proportion.successes, proportion.n, level)
    return ProportionEstimate(proportion.n, proportion.share, interval, level)


def estimate_mean(values: ValueCounts, level: float = LEVEL) -> MeanEstimate:
    """A mean with Student's t interval: mean ± t(n − 1) · s / √n, from the counts per value.

    With one value there is a mean but no interval (nothing says how much it varies); when
    every respondent gave the same value, the interval is that value alone."""
    _check(level)
    n, mean, variance = values.n, values.mean, values.variance
    if variance is None:
        return MeanEstimate(n, mean, None, None, level)
    sd = math.sqrt(variance)
    half = _t(level, n - 1) * sd / math.sqrt(n)
    return MeanEstimate(n, mean, sd, Interval(mean - half, mean + half), level)


def estimate_score(
    values: ValueCounts, lowest: float, highest: float, level: float = LEVEL
) -> MeanEstimate:
    """A 0-100 indicator score (as the national PasOpp surveys report them) with its t
    interval: each respondent's value (an answer, or the mean of an indicator's items) put on
    0-100, `lowest` at 0 and `highest` at 100; then as estimate_mean, clipped to 0-100."""
    estimate = estimate_mean(values.rescaled(lowest, highest), level)
    if estimate.interval is None:
        return estimate
    interval = Interval(max(0.0, estimate.interval.low), min(100.0, estimate.interval.high))
    return MeanEstimate(estimate.n, estimate.mean, estimate.sd, interval, level)


@dataclass(frozen=True)
class ScoreEstimate:
    """A 0-100 score with the standard error and degrees of freedom its interval uses."""

    n: int  # the fewest answers any item has
    score: float | None  # None when no item has an answer
    se: float | None  # None below two answers to some item
    df: float | None
    interval: Interval | None
    level: float
    method: str = ITEM_MEAN


def combine_scores(items: Sequence[ValueCounts], level: float = LEVEL) -> ScoreEstimate:
    """The mean of the items' mean scores (each item already on 0-100, as `rescaled` gives),
    with the interval score ± t(df) · se, se = (Σ se_i) / k, df = min(n_i) − 1: never narrower
    than the true interval, whatever the correlation between the items. Items without
    answers are left out; with one item this is estimate_mean, clipped to 0-100."""
    _check(level)
    answered = [values for values in items if values.n]
    if not answered:
        return ScoreEstimate(0, None, None, None, None, level)
    k = len(answered)
    score = sum(values.mean for values in answered) / k
    n = min(values.n for values in answered)
    variances = [values.variance for values in answered]
    if any(v is None for v in variances):
        return ScoreEstimate(n, score, None, None, None, level)
    se = sum(math.sqrt(v / values.n) for v, values in zip(variances, answered, strict=True)) / k
    df = float(n - 1)
    half = _t(level, df) * se
    interval = Interval(max(0.0, score - half), min(100.0, score + half))
    return ScoreEstimate(n, score, se, df, interval, level)


def compare_scores(first: ScoreEstimate, second: ScoreEstimate, level: float = LEVEL) -> Difference:
    """first − second for two independent scores, as Welch's test does it: t = d / √(se1² +
    se2²), df by Welch-Satterthwaite from each side's df. With one item per side it is
    exactly compare_means; with several, each se is the bound of combine_scores."""
    _check(level)
    s1, s2 = first.score, second.score
    difference = s1 - s2 if s1 is not None and s2 is not None else None
    if first.se is None or second.se is None or (first.se == 0 and second.se == 0):
        return Difference(s1, s2, difference, None, None, False, level, ITEM_MEAN)
    a, b = first.se**2, second.se**2
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a**2 / first.df + b**2 / second.df)
    p_value = float(2 * stats.t.sf(abs(difference) / se, df))
    half = _t(level, df) * se
    interval = Interval(difference - half, difference + half)
    return Difference(s1, s2, difference, interval, p_value, p_value < 1 - level, level, ITEM_MEAN)


def compare_proportions(first: Proportion, second: Proportion, level: float = LEVEL) -> Difference:
    """first − second, with the pooled two-proportion z-test and Newcombe's hybrid score
    interval for the difference (built from the two Wilson intervals, so it stays within
    −1 to 1 and behaves at 0 and n).

    When both groups are all successes or all failures, the difference is 0 and p is 1."""
    _check(level)
    if first.n == 0 or second.n == 0:
        return Difference(
            first.share, second.share, None, None, None, False, level, TWO_PROPORTIONS
        )
    p1, p2 = first.share, second.share
    low1, high1 = _bounds(wilson_interval(first.successes, first.n, level))
    low2, high2 = _bounds(wilson_interval(second.successes, second.n, level))
    difference = p1 - p2
    interval = Interval(
        difference - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2),
        difference + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2),
    )
    pooled = (first.successes + second.successes) / (first.n + second.n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / first.n + 1 / second.n))
    p_value = 1.0 if se == 0 else _normal_p(difference / se)
    return Difference(
        p1, p2, difference, interval, p_value, p_value < 1 - level, level, TWO_PROPORTIONS
    )


def compare_means(first: ValueCounts, second: ValueCounts, level: float = LEVEL) -> Difference:
    """first − second, with Welch's t-test (unequal variances; scipy.stats) and the interval
    difference ± t(df) · se, df by Welch-Satterthwaite.

    Needs two values in each group, and some variation: where both groups gave one value
    each, there is no test (p is None and the difference is not marked clear)."""
    _check(level)
    m1, m2 = first.mean, second.mean
    v1, v2 = first.variance, second.variance
    difference = m1 - m2 if m1 is not None and m2 is not None else None
    if v1 is None or v2 is None or (v1 == 0 and v2 == 0):
        return Difference(m1, m2, difference, None, None, False, level, WELCH)
    n1, n2 = first.n, second.n
    a, b = v1 / n1, v2 / n2
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    test = stats.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m2, math.sqrt(v2), n2, equal_var=False)
    half = _t(level, df) * se
    p_value = float(test.pvalue)
    interval = Interval(difference - half, difference + half)
    return Difference(m1, m2, difference, interval, p_value, p_value < 1 - level, level, WELCH)


def compare_proportion_with_rest(
    unit: Proportion, total: Proportion, level: float = LEVEL
) -> Difference:
    """A unit against the rest of Trøndelag: `total` holds the unit, and the unit is taken
    out of it before comparing (a unit compared with a total that contains it would be
    compared partly with itself)."""
    return compare_proportions(unit, total.minus(unit), level)


def compare_mean_with_rest(
    unit: ValueCounts, total: ValueCounts, level: float = LEVEL
) -> Difference:
    """As compare_proportion_with_rest, for a mean or a score."""
    return compare_means(unit, total.minus(unit), level)


def change_in_proportion(
    earlier: Proportion, later: Proportion, level: float = LEVEL
) -> Difference:
    """The change from one period to a later one (later − earlier), as two independent
    samples."""
    return compare_proportions(later, earlier, level)


def change_in_mean(earlier: ValueCounts, later: ValueCounts, level: float = LEVEL) -> Difference:
    """The change of a mean or a score from one period to a later one (later − earlier)."""
    return compare_means(later, earlier, level)


def _bounds(interval: Interval | None) -> tuple[float, float]:
    assert interval is not None  # only called with n > 0
    return interval.low, interval.high
