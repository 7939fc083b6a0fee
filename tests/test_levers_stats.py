"""The lever table's statistics: paired t intervals, 0/1 outcomes, verdicts, derived outcomes.

The interval is checked against a hand computation and, for a 0/1 outcome, against the
textbook interval for two paired proportions written in terms of the discordant pairs
(Agresti 2013, §11.1); properties (the interval holds the mean, swapping the settings
negates it, shifting the high setting shifts it) are checked with hypothesis.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from negosim.levers.outcomes import outcome_values
from negosim.levers.stats import Effect, paired_effect, verdict

T4 = 2.7764451051977987  # t(0.975, 4 degrees of freedom), from tables


def test_paired_interval_matches_a_hand_computation() -> None:
    low = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    high = np.array([2.0, 4.0, 6.0, 8.0, 10.0])  # d = 1..5: mean 3, sd √2.5
    effect = paired_effect(low, high)
    assert effect is not None
    half = T4 * math.sqrt(2.5) / math.sqrt(5)
    assert effect.n == 5
    assert effect.mean == pytest.approx(3.0)
    assert (effect.ci_low, effect.ci_high) == pytest.approx((3.0 - half, 3.0 + half))
    assert (effect.low_mean, effect.high_mean) == pytest.approx((3.0, 6.0))
    assert effect.direction == "up"


def test_a_zero_one_outcome_is_the_paired_difference_of_proportions() -> None:
    # 100 pairs: 50 both deal, 30 neither, 15 only high, 5 only low (the discordant pairs)
    low = np.array([1] * 50 + [0] * 30 + [0] * 15 + [1] * 5, dtype=float)
    high = np.array([1] * 50 + [0] * 30 + [1] * 15 + [0] * 5, dtype=float)
    effect = paired_effect(low, high)
    assert effect is not None
    n, b, c = 100, 5, 15
    assert effect.mean == pytest.approx((c - b) / n) == pytest.approx(high.mean() - low.mean())
    variance = ((b + c) / n - ((c - b) / n) ** 2) * n / (n - 1)  # only discordant pairs count
    half = stats.t.ppf(0.975, n - 1) * math.sqrt(variance / n)
    assert (effect.ci_low, effect.ci_high) == pytest.approx((0.1 - half, 0.1 + half))


def test_no_effect_gives_a_zero_interval_and_agrees_with_a_predicted_none() -> None:
    same = np.array([0.3, 0.5, 0.7, 0.2])
    effect = paired_effect(same, same.copy())
    assert effect == Effect(4, 0.0, 0.0, 0.0, pytest.approx(0.425), pytest.approx(0.425))
    assert verdict("up", effect) == "no effect"
    assert verdict("none", effect) == "agrees"
    assert verdict("ambiguous", effect) == "ambiguous theory: measured no effect"


def test_invalid_pairs_are_left_out_and_none_left_says_so() -> None:
    low = np.array([1.0, np.nan, 3.0, 4.0])
    high = np.array([2.0, 5.0, np.nan, 6.0])
    effect = paired_effect(low, high)
    assert effect is not None and effect.n == 2 and effect.mean == pytest.approx(1.5)
    masked = paired_effect(low, high, np.array([True, True, True, False]))
    assert masked is not None and masked.n == 1 and masked.mean == pytest.approx(1.0)
    assert math.isinf(masked.ci_low) and verdict("up", masked) == "no effect"
    assert paired_effect(low, high, np.zeros(4, dtype=bool)) is None
    assert verdict("up", None) == "no valid pairs"


@pytest.mark.parametrize(
    ("predicts", "interval", "expected"),
    [
        ("up", (0.1, 0.3), "agrees"),
        ("up", (-0.3, -0.1), "wrong sign"),
        ("up", (-0.1, 0.1), "no effect"),
        ("down", (-0.3, -0.1), "agrees"),
        ("down", (0.1, 0.3), "wrong sign"),
        ("none", (-0.1, 0.1), "agrees"),
        ("none", (0.1, 0.3), "unexpected effect (up)"),
        ("ambiguous", (-0.3, -0.1), "ambiguous theory: measured down"),
    ],
)
def test_verdicts(predicts: str, interval: tuple[float, float], expected: str) -> None:
    effect = Effect(100, sum(interval) / 2, *interval, 0.0, 0.0)
    assert verdict(predicts, effect) == expected


values = arrays(
    np.float64,
    st.integers(2, 60),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
)


@settings(max_examples=60, deadline=None)
@given(values, st.floats(-100, 100, allow_subnormal=False), st.integers(0, 2**32 - 1))
def test_interval_properties(low: np.ndarray, shift: float, seed: int) -> None:
    high = low + np.random.default_rng(seed).normal(0.0, 5.0, low.size)
    effect = paired_effect(low, high)
    assert effect is not None and effect.n == low.size
    assert effect.ci_low <= effect.mean <= effect.ci_high
    swapped = paired_effect(high, low)
    assert swapped is not None
    assert swapped.mean == pytest.approx(-effect.mean, abs=1e-9)
    assert (swapped.ci_low, swapped.ci_high) == pytest.approx(
        (-effect.ci_high, -effect.ci_low), abs=1e-9
    )
    shifted = paired_effect(low, high + shift)
    assert shifted is not None
    assert shifted.mean == pytest.approx(effect.mean + shift, abs=1e-6)
    width = effect.ci_high - effect.ci_low
    assert shifted.ci_high - shifted.ci_low == pytest.approx(width, rel=1e-6, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-1, 12), min_size=1, max_size=40),
    st.integers(1, 12),
)
def test_deal_by_round_counts_deals_by_then_and_never_a_missing_round(
    first: list[int], month: int
) -> None:
    rounds = np.array(first, dtype=np.int64)
    columns = {"deal_reached": rounds >= 1, "first_deal_round": rounds}
    value, valid = outcome_values(f"deal_by_round_{month}", columns, nullable=False)
    assert valid.all()
    assert value.tolist() == [1.0 if 1 <= r <= month else 0.0 for r in first]
    first_round, has = outcome_values("first_deal_round", columns, nullable=True)
    assert has.tolist() == [r >= 0 for r in first]
    assert np.isnan(first_round[~has]).all()


def test_joint_utility_is_the_sum_and_a_missing_half_is_missing() -> None:
    columns = {"japan_utility": np.array([0.8, np.nan]), "us_utility": np.array([0.6, 0.5])}
    value, valid = outcome_values("joint_utility", columns, nullable=False)
    assert value[0] == pytest.approx(1.4) and valid.tolist() == [True, False]
