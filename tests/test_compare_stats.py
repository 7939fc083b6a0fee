"""The two-sample statistics of negosim compare, against published values and scipy.

Newcombe's interval is checked against the paper's own table; the paired interval and the
McNemar mid-p against their formulas written out here (Fagerland, Lydersen & Laake 2013,
2014) and scipy's binomial test; every scipy-based contrast against a direct scipy call;
Cliff's delta and Hedges' g against their definitions by brute force.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from negosim.compare.statistics import (
    bonett_price_interval,
    cliffs_delta,
    contrast,
    hedges_g,
    mcnemar_midp,
    newcombe_interval,
    snapped,
)
from negosim.sweep.stats import Z95


@pytest.mark.parametrize(
    ("k_b", "n_b", "k_a", "n_a", "low", "high"),
    [
        # Newcombe (1998), Stat. Med. 17:873, Table II, method 10 (p1 - p2 with p1 = B here)
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
        (10, 10, 0, 10, 0.6075, 1.0),
    ],
)
def test_newcombe_interval_matches_the_published_table(k_b, n_b, k_a, n_a, low, high):
    lo, hi = newcombe_interval(k_a, n_a, k_b, n_b)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_bonett_price_interval_is_the_adjusted_wald_formula():
    # Cavo et al. (2012) as tabled by Fagerland, Lydersen & Laake (2014): 59 both, 6 B only,
    # 16 A only, 80 neither.
    b, c, n = 6, 16, 161
    p12, p21 = (b + 1) / (n + 2), (c + 1) / (n + 2)
    half = Z95 * math.sqrt((p12 + p21 - (p12 - p21) ** 2) / (n + 2))
    assert bonett_price_interval(b, c, n) == pytest.approx((p12 - p21 - half, p12 - p21 + half))
    lo, hi = bonett_price_interval(b, c, n)
    assert lo < (b - c) / n < hi < 0
    # no discordant pair: centred on 0 with a width the data support, never zero
    lo, hi = bonett_price_interval(0, 0, 40)
    assert lo == pytest.approx(-hi) and 0 < hi < 0.1
    assert bonett_price_interval(50, 0, 50)[1] == 1.0


@pytest.mark.parametrize(("b", "c"), [(6, 16), (0, 5), (3, 3), (12, 2), (0, 0), (1, 30)])
def test_mcnemar_midp_is_the_exact_test_less_the_observed_splits_probability(b, c):
    m = b + c
    midp = mcnemar_midp(b, c)
    assert 0 <= midp <= 1
    if m == 0 or b == c:
        assert midp == 1.0
        return
    exact = stats.binomtest(b, m, 0.5).pvalue
    k = min(b, c)
    assert midp == pytest.approx(exact - stats.binom.pmf(k, m, 0.5), rel=1e-12)
    assert midp < exact


def test_cliffs_delta_and_hedges_g_are_their_definitions():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 6, 60).astype(float)
    b = rng.integers(1, 7, 45).astype(float)
    brute = (np.sum(b[:, None] > a[None, :]) - np.sum(b[:, None] < a[None, :])) / (60 * 45)
    assert cliffs_delta(a, b) == pytest.approx(brute, abs=1e-12)
    u = stats.mannwhitneyu(b, a).statistic  # the same U as scipy's test
    assert cliffs_delta(a, b) == pytest.approx(2 * u / (60 * 45) - 1, abs=1e-12)
    pooled = math.sqrt((59 * a.var(ddof=1) + 44 * b.var(ddof=1)) / 103)
    g = (b.mean() - a.mean()) / pooled * (1 - 3 / (4 * 103 - 1))
    assert hedges_g(a, b) == pytest.approx(g, rel=1e-12)
    # for 0/1 outcomes Cliff's delta is the risk difference: one scale for every outcome
    x, y = (rng.random(80) < 0.3).astype(float), (rng.random(70) < 0.6).astype(float)
    assert cliffs_delta(x, y) == pytest.approx(y.mean() - x.mean(), abs=1e-12)


def test_unpaired_numbers_equal_scipy():
    rng = np.random.default_rng(1)
    a, b = rng.normal(3, 1, 50), rng.normal(3.6, 2, 70)
    res = contrast("numeric", a, b, paired=False)
    welch = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    mwu = stats.mannwhitneyu(b, a, alternative="two-sided")
    assert res.difference == pytest.approx(b.mean() - a.mean())
    assert (res.ci95_low, res.ci95_high) == pytest.approx((welch.low, welch.high))
    assert res.p_value == pytest.approx(mwu.pvalue) and res.statistic == mwu.statistic
    assert res.effect == pytest.approx(cliffs_delta(a, b))
    assert (res.n_a, res.n_b, res.n_pairs) == (50, 70, None)


def test_paired_numbers_equal_scipy_and_drop_incomplete_pairs():
    rng = np.random.default_rng(2)
    a = rng.normal(0, 1, 60)
    b = a + rng.normal(0.3, 0.5, 60)
    a[3], b[7] = np.nan, np.nan  # a pair counts only when both runs have a value
    res = contrast("numeric", a, b, paired=True)
    keep = np.isfinite(a) & np.isfinite(b)
    ci = stats.ttest_rel(b[keep], a[keep]).confidence_interval(0.95)
    w = stats.wilcoxon(b[keep], a[keep], zero_method="pratt")
    assert res.n_pairs == 58
    assert res.difference == pytest.approx(np.mean(b[keep] - a[keep]))
    assert (res.ci95_low, res.ci95_high) == pytest.approx((ci.low, ci.high))
    assert res.p_value == pytest.approx(w.pvalue)
    assert res.b_higher == pytest.approx(np.mean(b[keep] > a[keep]))


def test_shares_equal_scipy():
    rng = np.random.default_rng(3)
    a = (rng.random(90) < 0.4).astype(float)
    b = (rng.random(90) < 0.55).astype(float)
    res = contrast("share", a, b, paired=False)
    fisher = stats.fisher_exact([[b.sum(), 90 - b.sum()], [a.sum(), 90 - a.sum()]])
    assert res.p_value == pytest.approx(fisher.pvalue)
    assert res.difference == pytest.approx(b.mean() - a.mean()) == res.effect
    assert (res.ci95_low, res.ci95_high) == newcombe_interval(int(a.sum()), 90, int(b.sum()), 90)
    paired = contrast("share", a, b, paired=True)
    b_only, a_only = int(np.sum((b == 1) & (a == 0))), int(np.sum((a == 1) & (b == 0)))
    assert paired.p_value == mcnemar_midp(b_only, a_only)
    assert paired.difference == pytest.approx((b_only - a_only) / 90)
    assert (paired.ci95_low, paired.ci95_high) == bonett_price_interval(b_only, a_only, 90)


def test_identical_samples_have_p_one_and_no_difference():
    x = np.array([1.0, 2.0, 2.0, 5.0, 7.5, 7.5])
    for paired in (False, True):
        res = contrast("numeric", x, x.copy(), paired)
        assert res.p_value == 1.0 and res.difference == 0 and res.effect == 0
        share = contrast("share", (x > 2).astype(float), (x > 2).astype(float), paired)
        assert share.p_value == 1.0 and share.difference == 0
    constant = contrast("numeric", np.full(5, 3.0), np.full(5, 3.0), paired=False)
    assert constant.p_value == 1.0 and (constant.ci95_low, constant.ci95_high) == (0.0, 0.0)
    assert constant.note == "no spread on either side"


def test_float_rounding_is_not_a_difference():
    a = np.full(30, 0.32467532467532484)
    b = a + np.where(np.arange(30) % 2, 5.5e-17, 0.0)
    sa, sb = snapped(a, b)
    assert (sa == sb).all()
    res = contrast("numeric", a, b, paired=True)
    assert res.p_value == 1.0 and res.difference == 0


def test_no_values_give_no_test_and_say_why():
    res = contrast("numeric", np.array([np.nan, np.nan]), np.array([1.0, 2.0]), paired=False)
    assert math.isnan(res.p_value) and res.note == "no value on side A"
    res = contrast("numeric", np.array([1.0, np.nan]), np.array([np.nan, 2.0]), paired=True)
    assert math.isnan(res.p_value) and res.note == "no pair with both values"
