"""Count tails and baselines: exact small cases, closed forms against step-by-step learning."""

from __future__ import annotations

import math

import pytest

from voc_stream.detectors.counts import (
    HourlyRate,
    RateBaseline,
    SlidingCounts,
    between_hours,
    beta_binomial_surprise,
    binomial_surprise,
    hour_of_day,
    negative_binomial_surprise,
    poisson_surprise,
)


def test_binomial_tail_matches_exact_small_case():
    # P(X >= 3 | n=3, p=0.1) = 0.001
    assert binomial_surprise(3, 3, 0.1) == pytest.approx(3.0, abs=1e-9)
    # P(X >= 2 | n=3, p=0.5) = 0.5
    assert binomial_surprise(2, 3, 0.5) == pytest.approx(-math.log10(0.5), abs=1e-9)


def test_tails_are_zero_at_or_below_the_mean():
    assert binomial_surprise(0, 10, 0.2) == 0.0
    assert binomial_surprise(2, 10, 0.2) == 0.0
    assert poisson_surprise(1, 1.0) == 0.0
    assert poisson_surprise(0, 0.0) == 0.0


def test_poisson_tail_matches_direct_sum():
    mean, x = 0.7, 5
    tail = 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(x))
    assert poisson_surprise(x, mean) == pytest.approx(-math.log10(tail), rel=1e-6)


def _gamma_poisson_pmf(k: int, mean: float, shape: float) -> float:
    q = mean / (shape + mean)
    return math.exp(math.lgamma(k + shape) - math.lgamma(shape) - math.lgamma(k + 1)
                    + shape * math.log(1 - q) + k * math.log(q))


def _beta_binomial_pmf(k: int, n: int, a: float, b: float) -> float:
    def log_beta(x: float, y: float) -> float:
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    return math.comb(n, k) * math.exp(log_beta(k + a, n - k + b) - log_beta(a, b))


@pytest.mark.parametrize(("x", "mean", "shape"), [(5, 0.04, 1.0), (18, 2.65, 6.0), (15, 3.0, 15.0), (3, 0.015, 0.8)])
def test_negative_binomial_tail_matches_direct_sum(x, mean, shape):
    tail = 1 - sum(_gamma_poisson_pmf(k, mean, shape) for k in range(x))
    assert negative_binomial_surprise(x, mean, shape) == pytest.approx(-math.log10(tail), rel=1e-6)


@pytest.mark.parametrize(("x", "n", "share", "concentration"), [(3, 10, 0.0016, 500.0), (9, 10, 0.4, 2.0), (5, 5, 0.3, 3.0)])
def test_beta_binomial_tail_matches_direct_sum(x, n, share, concentration):
    a, b = share * concentration, (1 - share) * concentration
    tail = sum(_beta_binomial_pmf(k, n, a, b) for k in range(x, n + 1))
    assert beta_binomial_surprise(x, n, share, concentration) == pytest.approx(-math.log10(tail), rel=1e-6)


def test_doubt_about_the_baseline_widens_the_tails_and_history_removes_it():
    """18 hits where 2.65 were expected: damning if the 2.65 is sure, much less so if it rests on 6 hits."""
    sure = poisson_surprise(18, 2.65)
    widening = [negative_binomial_surprise(18, 2.65, shape) for shape in (6.0, 60.0, 600.0, 1e7)]
    assert widening == sorted(widening) and widening[0] < sure - 3
    assert widening[-1] == pytest.approx(sure)
    shares = [beta_binomial_surprise(3, 10, 0.002, c) for c in (400.0, 4000.0, 1e8)]
    assert shares == sorted(shares) and shares[0] < binomial_surprise(3, 10, 0.002) - 0.5
    assert shares[-1] == pytest.approx(binomial_surprise(3, 10, 0.002))
    assert negative_binomial_surprise(2, 2.65, 6.0) == 0.0 and beta_binomial_surprise(0, 10, 0.1, 5.0) == 0.0


def test_sparse_counts_are_not_surprising_on_their_own():
    """One or two hits where 0.3 were expected stay below any sane alert threshold."""
    assert poisson_surprise(2, 0.3) < 2
    assert binomial_surprise(2, 40, 0.01) < 2


def test_sliding_counts_return_the_closed_bucket_once():
    ring = SlidingCounts(bucket_seconds=60, size=4)
    ring.add(0)
    ring.add(30)
    assert ring.window(1) == 2
    closed, steps = ring.advance(150)
    assert (closed, steps) == (2, 2)
    assert ring.advance(150) == (0, 0)
    ring.add(10)  # late, still inside the ring
    assert ring.window(4) == 3


def test_rate_learn_zeros_is_the_closed_form_of_learning_zeros():
    a = RateBaseline(prior_rate=0.1, prior_weight=10, decay=0.99)
    b = RateBaseline(prior_rate=0.1, prior_weight=10, decay=0.99)
    for baseline in (a, b):
        baseline.learn(5)
    a.learn_zeros(37)
    for _ in range(37):
        b.learn(0)
    assert a.rate == pytest.approx(b.rate)


def test_hourly_rate_learns_the_daily_rhythm():
    bucket = 300.0
    rhythm = HourlyRate(prior_rate=0.01, prior_weight=288, decay=0.5 ** (bucket / (72 * 3600)))
    start = 1_700_000_000 - 1_700_000_000 % 86400 - 8 * 3600  # midnight, China time
    for b in range(3 * 288):
        epoch = start + b * bucket
        rhythm.learn(hour_of_day(epoch), 3 if hour_of_day(epoch) == 20 else 0)
    evening = rhythm.rate(20)
    night = rhythm.rate(4)
    assert evening > 10 * night
    last_of_eight_pm = int((start + 20 * 3600) // bucket) + 11
    # Each slot stands for the middle of its hour; the hour's edges lean towards its neighbours.
    edges = 0.125 * (rhythm.rate(19) + rhythm.rate(21))
    assert rhythm.expected(last_of_eight_pm, 12, bucket) == pytest.approx(12 * (0.75 * evening + edges), rel=0.01)


def test_hourly_expectation_falls_smoothly_across_the_hour():
    """A rate falling from the 8 pm slot to the 9 pm slot is still in between at 9:02, not already low."""
    bucket = 300.0
    rhythm = HourlyRate(prior_rate=0.0, prior_weight=1, decay=1.0, shrink=0.0)
    for hour in range(24):
        rhythm.learn(hour, 7.0 if hour == 20 else 1.0)
    start = 1_700_000_000 - 1_700_000_000 % 86400 - 8 * 3600  # midnight, China time
    first_after_nine = int((start + 21 * 3600) // bucket)
    one = rhythm.bucket_rate(first_after_nine, bucket)
    assert 1.0 < one < 7.0
    assert one == pytest.approx(7.0 - 6.0 * (2.5 + 30) / 60)  # 32.5 min past the 8 pm slot's middle
    assert rhythm.bucket_rate(first_after_nine + 6, bucket) == pytest.approx(1.0)  # 9:30 on: both slots at 1


def test_between_hours_reads_slots_as_the_middles_of_their_hours():
    midnight = 1_700_000_000 - 1_700_000_000 % 86400 - 8 * 3600  # China time
    assert between_hours(midnight + 21.25 * 3600) == (20, 21, pytest.approx(0.75))
    assert between_hours(midnight + 21.5 * 3600) == (21, 22, pytest.approx(0.0))
    assert between_hours(midnight + 0.25 * 3600) == (23, 0, pytest.approx(0.75))  # across midnight


def test_an_even_rhythm_expects_the_same_in_every_bucket():
    rhythm = HourlyRate(prior_rate=0.0, prior_weight=1, decay=1.0, shrink=0.0)
    for hour in range(24):
        rhythm.learn(hour, 2.0)
    assert rhythm.expected(123_457, 36, 300.0) == pytest.approx(72.0)


def test_hourly_learn_zeros_matches_learning_each_bucket():
    bucket = 300.0
    decay = 0.999
    a = HourlyRate(prior_rate=0.01, prior_weight=10, decay=decay)
    b = HourlyRate(prior_rate=0.01, prior_weight=10, decay=decay)
    for rate in (a, b):
        rate.learn(3, 4)
    first = 123_456
    a.learn_zeros(first, 700, bucket)
    for i in range(700):
        b.learn(hour_of_day((first + i) * bucket), 0)
    for hour in range(24):
        assert a.rate(hour) == pytest.approx(b.rate(hour), rel=1e-9)
    assert a.seen == b.seen


def test_an_hourly_figure_learned_over_more_days_is_trusted_more():
    """The shape behind a window's expectation is about the hits learned for those hours, not the window's length."""
    bucket = 300.0
    start = 1_700_000_000 - 1_700_000_000 % 86400 - 8 * 3600  # midnight, China time

    def learned(days: int) -> HourlyRate:
        rhythm = HourlyRate(prior_rate=0.01, prior_weight=288, decay=0.5 ** (bucket / (72 * 3600)))
        for b in range(days * 288):
            rhythm.learn(hour_of_day(start + b * bucket), 1 if b % 6 == 0 else 0)  # 2 hits an hour
        return rhythm

    last = int((start + 20.5 * 3600) // bucket)
    short, long_ = learned(2), learned(8)
    (mean2, shape2), = short.expected_with_shape(last, [12], bucket)
    (mean8, shape8), = long_.expected_with_shape(last, [12], bucket)
    assert mean2 == pytest.approx(short.expected(last, 12, bucket))
    assert mean8 == pytest.approx(2.0, rel=0.1)
    # An hour's window leans on two slots (the hour read between them): two days put about 4 hits
    # behind each, and the forgetting (72 h half-life) caps each slot below 10.
    assert 5 < shape2 < 10 < shape8 < 20
    (_, shape_three_hours), = long_.expected_with_shape(last, [36], bucket)
    assert shape_three_hours > shape8
