"""Japan's domestic politics (core/politics.py), docs/model.md §3, on hand-computed inputs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.core.grid import OutcomeGrid
from negosim.core.politics import (
    audience_cost,
    diet_ratification_probability,
    diet_win_set,
    formation_factor,
    honeymoon_decay,
    issue_political_cost,
    logistic,
    majority_loss_probability,
    next_approval,
    next_honeymoon,
    political_cost_tables,
    ratification_probability,
    smooth_hinge,
    win_set_radius,
)
from negosim.schema import ApprovalSpec, ElectionSpec, PoliticalCostItem, WinSetSpec

FAST = settings(max_examples=80, deadline=None)
WIN = WinSetSpec()  # K0 .6, A_ref .35, exponent 1.5, b .5, M -.1, σ_r .03
APPROVAL = ApprovalSpec()  # φ_deal .25, φ_τ .003, φ_rally .01, σ .02, audience .03
ELECTION = ElectionSpec()  # threshold .30, scale .03


@pytest.fixture(scope="module")
def spec(baseline):
    return baseline.spec


# --------------------------------------------------------------------------- political cost


def test_issue_political_cost_up_and_down():
    up = PoliticalCostItem(reference=2.0, cost=1.0, direction="up")
    # max(0, x - 2): 1.5 → 0, 2 → 0, 3 → 1, 5 → 3
    np.testing.assert_allclose(
        issue_political_cost(np.array([1.5, 2.0, 3.0, 5.0]), up), [0, 0, 1, 3], atol=1e-15
    )
    down = PoliticalCostItem(reference=10.0, cost=0.5, direction="down")
    # .5 max(0, 10 - x): 5 → 2.5, 10 → 0, 15 → 0
    np.testing.assert_allclose(
        issue_political_cost(np.array([5.0, 10.0, 15.0]), down), [2.5, 0, 0], atol=1e-15
    )


def test_political_cost_hand_package(spec):
    # d 3.0: 1.0·(3-2) = 1.0; τ 25: .05·(25-10) = .75; I 500: .001·(500-300) = .2 → 1.95
    grid = OutcomeGrid.from_issues(spec.issues)
    levels = np.array([[4, grid.axes[1].snap(25), grid.axes[2].snap(3.0), grid.axes[3].snap(500)]])
    state, static = political_cost_tables(grid, spec.politics.political_cost)
    b, g = grid.split(levels)
    assert state[b[0]] + static[g[0]] == pytest.approx(1.95, abs=1e-12)


def test_smooth_hinge_hand_values():
    # h = 2 (band |z| < 1): z -2 → 0; -1 → 0; 0 → 1²/4 = .25; .5 → 1.5²/4 = .5625; 1 → 1; 3 → 3
    z = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])
    np.testing.assert_allclose(smooth_hinge(z, 2.0), [0, 0, 0.25, 0.5625, 1, 3], atol=1e-15)
    np.testing.assert_array_equal(smooth_hinge(z, 0.0), np.maximum(0.0, z))  # h = 0: the hinge


def test_smoothed_cost_of_the_baseline_items_by_hand(spec):
    costs = spec.politics.political_cost
    # tariff: λ .05, r 10, h 10 (band 5..15): 5 → 0; 7.5 → .05·2.5²/20 = .015625;
    # 10 → .05·10/8 = .0625; 15 → .05·5 = .25; 25 → .05·15 = .75
    np.testing.assert_allclose(
        issue_political_cost(np.array([5.0, 7.5, 10.0, 15.0, 25.0]), costs["tariff"]),
        [0, 0.015625, 0.0625, 0.25, 0.75],
        atol=1e-15,
    )
    # defense: λ 1, r 2.0, h .4 (band 1.8..2.2): 2.0 → .4/8 = .05; 2.1 → .3²/.8 = .1125; 3 → 1
    np.testing.assert_allclose(
        issue_political_cost(np.array([1.5, 2.0, 2.1, 3.0]), costs["defense_budget"]),
        [0, 0.05, 0.1125, 1.0],
        atol=1e-12,
    )


@FAST
@given(
    width=st.floats(0.0, 20.0),
    z=st.lists(st.floats(-50, 50), min_size=3, max_size=3, unique=True),
)
def test_smooth_hinge_is_convex_nonnegative_and_within_h_over_8_of_the_hinge(width, z):
    x = np.sort(np.array(z))
    y = smooth_hinge(x, width)
    hinge = np.maximum(0.0, x)
    assert np.all(y >= 0.0)
    assert np.all(y >= hinge - 1e-12)  # never cheaper than the hinge ...
    assert np.all(y <= hinge + width / 8 + 1e-12)  # ... and at most h/8 dearer (at z = 0)
    # convex: the middle point lies on or below the chord of the outer two
    t = (x[1] - x[0]) / (x[2] - x[0])
    assert y[1] <= (1 - t) * y[0] + t * y[2] + 1e-9
    outside = np.abs(x) >= width / 2
    np.testing.assert_allclose(y[outside], hinge[outside], atol=1e-12)  # equal off the band


@FAST
@given(z=st.floats(-5, 5), width=st.floats(1e-6, 4.0))
def test_smooth_hinge_approaches_the_hinge_as_the_width_shrinks(z, width):
    gaps = [float(smooth_hinge(np.array([z]), width / 10**k)[0]) - max(0.0, z) for k in range(4)]
    assert all(0.0 <= g <= width / 10**k / 8 + 1e-12 for k, g in enumerate(gaps))
    assert gaps == sorted(gaps, reverse=True)  # the gap never grows as h shrinks


def test_smooth_hinge_slope_is_continuous():
    # the marginal cost rises from 0 to 1 across the band without a jump: finite differences
    # of step 1e-6 on either side of ±h/2 and of 0 agree to 1e-5
    width, eps = 2.0, 1e-6
    for point in (-1.0, 0.0, 1.0):
        left = (
            smooth_hinge(np.array([point]), width) - smooth_hinge(np.array([point - eps]), width)
        ) / eps
        right = (
            smooth_hinge(np.array([point + eps]), width) - smooth_hinge(np.array([point]), width)
        ) / eps
        assert abs(float(left[0]) - float(right[0])) < 1e-5


def _smooth_brute(x: np.ndarray, item: PoliticalCostItem) -> np.ndarray:
    """λ ρ_h(z) written case by case (an independent transcription of docs/model.md §3)."""
    z = (x - item.reference) * (1.0 if item.direction == "up" else -1.0)
    h = item.smoothness
    out = np.maximum(0.0, z)
    band = np.abs(z) < h / 2
    out[band] = (z[band] + h / 2) ** 2 / (2 * h)
    return item.cost * out


def test_political_cost_tables_equal_brute_force_on_full_grid(spec):
    grid = OutcomeGrid.from_issues(spec.issues)
    state, static = political_cost_tables(grid, spec.politics.political_cost)
    b = np.repeat(np.arange(grid.n_state), grid.n_static)
    g = np.tile(np.arange(grid.n_static), grid.n_state)
    values = grid.values(grid.join(b, g))
    assert values.shape == (grid.size, 4)
    names = [a.name for a in grid.axes]
    brute = np.zeros(grid.size)
    for name, item in spec.politics.political_cost.items():
        brute += _smooth_brute(values[:, names.index(name)], item)
    np.testing.assert_allclose(state[b] + static[g], brute, rtol=0, atol=1e-12)
    # max: d 5 → 3, τ 50 → 2, I 1000 → .7 (all beyond their bands); total 5.7; s carries no cost
    assert brute.max() == pytest.approx(5.7, abs=1e-12)
    assert brute.min() == 0.0


def test_smoothing_moves_costs_only_inside_the_bands(spec):
    """Beyond r + h/2 and below r - h/2 the smoothed table equals the hinge's."""
    grid = OutcomeGrid.from_issues(spec.issues)
    for name, item in spec.politics.political_cost.items():
        x = grid.axes[[a.name for a in grid.axes].index(name)].values
        hinge = PoliticalCostItem(reference=item.reference, cost=item.cost)
        smooth, sharp = issue_political_cost(x, item), issue_political_cost(x, hinge)
        off = np.abs(x - item.reference) >= item.smoothness / 2
        np.testing.assert_allclose(smooth[off], sharp[off], atol=1e-12)
        assert np.all(smooth[~off] >= sharp[~off])


# --------------------------------------------------------------------------- win set


def test_win_set_radius_formula():
    a = np.array([0.35, 0.0, 0.7, 1.0, -0.1])
    m = np.array([0.0, -0.1, 0.2, -0.1, 0.0])
    # A = A_ref, M = 0 → K0 = .6; A = 0 → 0; A .7, M .2: .6·2^1.5·1.1 = .6·2.8284271·1.1
    # = 1.8667619; A 1, M -.1: .6·(1/.35)^1.5·.95 = .6·4.8294529·.95 = 2.7527882;
    # negative approval is treated as 0 → 0
    np.testing.assert_allclose(
        win_set_radius(a, m, WIN), [0.6, 0.0, 1.8667619, 2.7527882, 0.0], rtol=0, atol=1e-6
    )


def test_win_set_radius_clipped_at_zero_for_very_negative_margin():
    # 1 + .5·(-3) = -.5 → K would be negative; clipped to 0
    assert win_set_radius(np.array([0.5]), np.array([-3.0]), WIN)[0] == 0.0


def test_ratification_at_approval_limits():
    k0 = win_set_radius(np.array([0.0]), np.array([-0.1]), WIN)
    k1 = win_set_radius(np.array([1.0]), np.array([-0.1]), WIN)
    assert k0[0] == 0.0
    # A = 0: cost .3 → σ((0 - .3)/.03) = σ(-10) = 4.54e-5
    p0 = ratification_probability(k0, np.array([0.3]), WIN)[0]
    assert p0 == pytest.approx(1 / (1 + math.exp(10)), rel=1e-12)
    assert p0 < 1e-4
    # A = 1: K ≈ 2.7528, cost .3 → σ(81.76) ≈ 1; cost 2.7 → σ(1.7596) ≈ .8532
    assert ratification_probability(k1, np.array([0.3]), WIN)[0] > 1 - 1e-12
    z = (k1[0] - 2.7) / 0.03
    assert ratification_probability(k1, np.array([2.7]), WIN)[0] == pytest.approx(
        1 / (1 + math.exp(-z)), rel=1e-12
    )
    # cost equal to K → exactly one half
    assert ratification_probability(np.array([0.8]), np.array([0.8]), WIN)[0] == 0.5


def test_ratification_at_zero_approval_for_every_positive_cost_of_the_grid(spec):
    """K = 0: P_rat = σ(-L/.03). Below one half for every grid cost, tiny from L = .3 up.

    With the smoothed costs the smallest positive cost on the grid is .00625 (I = 250, inside
    the pledge's band 200..400: .001·50²/400; d = 1.9 costs .1²/.8 = .0125, τ = 7.5 costs
    .05·2.5²/20 = .015625), where P_rat = σ(-.00625/.03) ≈ .448; a zero-cost package keeps
    σ(0) = .5. (Costs below 1e-12 are rounding residue at a band's lower edge.)
    """
    grid = OutcomeGrid.from_issues(spec.issues)
    state, static = political_cost_tables(grid, spec.politics.political_cost)
    costs = (state[:, None] + static[None, :]).ravel()
    positive = np.unique(costs[costs > 1e-12])
    assert positive.min() == pytest.approx(0.00625, abs=1e-12)
    p = ratification_probability(np.zeros(positive.size), positive, WIN)
    assert p.max() == pytest.approx(1 / (1 + math.exp(0.00625 / 0.03)), rel=1e-9)  # ≈ .448
    assert ratification_probability(np.zeros(1), np.zeros(1), WIN)[0] == 0.5
    assert np.all(np.diff(p) <= 0)  # costs sorted ascending
    big = positive >= 0.3
    assert p[big].max() < 5e-5


@FAST
@given(
    approval=st.floats(0, 1),
    margin=st.floats(-1, 1),
    cost1=st.floats(0, 6),
    cost2=st.floats(0, 6),
)
def test_ratification_decreasing_in_cost(approval, margin, cost1, cost2):
    lo, hi = sorted((cost1, cost2))
    k = win_set_radius(np.array([approval]), np.array([margin]), WIN)
    p_lo = ratification_probability(k, np.array([lo]), WIN)[0]
    p_hi = ratification_probability(k, np.array([hi]), WIN)[0]
    assert p_hi <= p_lo
    assert 0.0 <= p_hi <= 1.0


@FAST
@given(
    a1=st.floats(0, 1),
    a2=st.floats(0, 1),
    margin=st.floats(-1, 1),
    cost=st.floats(0, 6),
)
def test_ratification_increasing_in_approval(a1, a2, margin, cost):
    lo, hi = sorted((a1, a2))
    k = win_set_radius(np.array([lo, hi]), np.array([margin, margin]), WIN)
    assert k[1] >= k[0]
    p = ratification_probability(k, np.array([cost, cost]), WIN)
    assert p[1] >= p[0]


# --------------------------------------------------------------------------- logistic


def test_logistic_values_and_stability():
    # σ(0) = .5; σ(ln 3) = 3/4; σ(-ln 3) = 1/4
    np.testing.assert_allclose(
        logistic(np.array([0.0, math.log(3), -math.log(3)])), [0.5, 0.75, 0.25], atol=1e-15
    )
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = logistic(np.array([-1000.0, 1000.0, -745.0, 745.0]))
    assert np.isfinite(out).all()
    assert out[1] == 1.0
    assert out[3] == 1.0
    assert 0.0 <= out[0] < 1e-300
    assert 0.0 < out[2] < 1e-300  # e^-745 ≈ 5e-324 still representable (subnormal)
    assert float(logistic(2.0)) == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-15)


@FAST
@given(x=st.floats(-700, 700))
def test_logistic_symmetry(x):
    assert float(logistic(x)) + float(logistic(-x)) == pytest.approx(1.0, abs=1e-15)


# --------------------------------------------------------------------------- election


def test_majority_loss_probability():
    a = np.array([0.30, 0.27, 0.33, 0.0, 1.0])
    # σ((.30 - A)/.03): A = .30 → .5; .27 → σ(1) = .7310586; .33 → σ(-1) = .2689414;
    # A = 0 → σ(10) = .9999546; A = 1 → σ(-23.3) ≈ 7.6e-11
    np.testing.assert_allclose(
        majority_loss_probability(a, ELECTION),
        [0.5, 0.7310586, 0.2689414, 0.9999546, 7.6e-11],
        rtol=0,
        atol=1e-7,
    )


# --------------------------------------------------------------------------- approval


def test_next_approval_hand_example():
    # .34 + .25·.2 - .003·10 + .01·1 - .03 + .02·1 = .34 + .05 - .03 + .01 - .03 + .02 = .36
    out = next_approval(
        np.array([0.34]),
        np.array([0.2]),
        np.array([10.0]),
        np.array([1.0]),
        np.array([0.03]),
        np.array([1.0]),
        APPROVAL,
    )
    assert out[0] == pytest.approx(0.36, abs=1e-15)


def test_next_approval_clipped_to_unit_interval():
    one = np.ones(2)
    # .99 + .25·1 = 1.24 → 1;  .01 - .003·50 = -.14 → 0
    out = next_approval(
        np.array([0.99, 0.01]),
        np.array([1.0, 0.0]),
        np.array([0.0, 50.0]),
        0 * one,
        0 * one,
        0 * one,
        APPROVAL,
    )
    assert out.tolist() == [1.0, 0.0]


@FAST
@given(
    a=st.floats(0, 1),
    gain=st.floats(-2, 2),
    shock=st.floats(-50, 50),
    rally=st.sampled_from([0, 1]),
    pen=st.floats(0, 1),
    noise=st.floats(-10, 10),
)
def test_next_approval_always_in_unit_interval(a, gain, shock, rally, pen, noise):
    out = next_approval(
        np.array([a]),
        np.array([gain]),
        np.array([shock]),
        np.array([float(rally)]),
        np.array([pen]),
        np.array([noise]),
        APPROVAL,
    )
    assert 0.0 <= out[0] <= 1.0


def test_partial_adjustment_closes_a_share_alpha_of_the_gap():
    # α .2, A* .34, no shocks: .54 → .54 + .2(.34 - .54) = .50; .14 → .18; .34 stays
    z = np.zeros(3)
    out = next_approval(np.array([0.54, 0.14, 0.34]), z, z, z, z, z, APPROVAL)
    np.testing.assert_allclose(out, [0.50, 0.18, 0.34], atol=1e-15)


def test_honeymoon_decays_at_its_half_life_on_top_of_the_adjustment():
    # A .47 = B .34 + H .13, T½ 2: δ = 2^-.5 = .7071068; B stays at A* .34, H → .0919239
    z = np.zeros(1)
    out = next_approval(np.array([0.47]), z, z, z, z, z, APPROVAL, honeymoon=np.array([0.13]))
    assert out[0] == pytest.approx(0.34 + 0.13 / math.sqrt(2), abs=1e-15)
    assert next_honeymoon(np.array([0.13]), APPROVAL)[0] == pytest.approx(0.13 / math.sqrt(2))
    assert honeymoon_decay(ApprovalSpec(honeymoon_half_life=1.0)) == 0.5


def test_a_launch_at_equilibrium_plus_honeymoon_halves_its_excess_every_half_life():
    """Without shocks A_t - A* = H0 2^(-t/T½): the excess over A* halves every T½ months."""
    spec, z = ApprovalSpec(), np.zeros(1)
    a, h = np.array([spec.equilibrium + spec.honeymoon]), np.array([spec.honeymoon])
    path = []
    for _ in range(6):
        a, h = next_approval(a, z, z, z, z, z, spec, honeymoon=h), next_honeymoon(h, spec)
        path.append(a[0] - spec.equilibrium)
    want = [spec.honeymoon * 0.5 ** (t / spec.honeymoon_half_life) for t in range(1, 7)]
    np.testing.assert_allclose(path, want, atol=1e-15)


@FAST
@given(a=st.floats(0, 1), months=st.integers(1, 40))
def test_approval_without_shocks_reverts_monotonically_to_equilibrium(a, months):
    z = np.zeros(1)
    gap = abs(a - APPROVAL.equilibrium)
    out = np.array([a])
    for _ in range(months):
        out = next_approval(out, z, z, z, z, z, APPROVAL)
    # |A_t - A*| = (1 - α)^t |A_0 - A*|
    assert abs(out[0] - APPROVAL.equilibrium) == pytest.approx(gap * 0.8**months, abs=1e-12)


def test_a_shock_decays_instead_of_persisting():
    """A one-off +.05 shock: with α .2 it is .05·.8^11 ≈ .0043 after 11 more months (α 0: .05)."""
    one, z = np.ones(1), np.zeros(1)
    for spec, left in ((APPROVAL, 0.05 * 0.8**11), (ApprovalSpec(adjustment=0.0), 0.05)):
        a = next_approval(np.array([spec.equilibrium]), z, z, z, 0.05 * -one, z, spec)
        for _ in range(11):
            a = next_approval(a, z, z, z, z, z, spec)
        assert a[0] - spec.equilibrium == pytest.approx(left, abs=1e-12)


def test_audience_cost_grows_with_time_since_announcement():
    # .03 (1 + (t - t_r)/T), T = 12, t_r = 1: t = 1 → .03; t = 7 → .045; t = 13 → .06
    got = [audience_cost(t, 1, 12, APPROVAL) for t in (1, 7, 13)]
    np.testing.assert_allclose(got, [0.03, 0.045, 0.06], atol=1e-15)
    series = [audience_cost(t, 2, 12, APPROVAL) for t in range(2, 13)]
    assert np.all(np.diff(series) > 0)


# ------------------------------------------------------------- divided Diet, cabinet formation


def test_formation_factor_grows_from_zero_to_whole():
    # took office in round 8, F = 2: round 8 → 0, 9 → .5, 10 → 1, 12 → 1; in office before
    # the run (0) → 1
    took = np.array([8, 8, 8, 8, 0])
    got = [formation_factor(t, took, 2)[i] for i, t in enumerate((8, 9, 10, 12, 5))]
    np.testing.assert_allclose(got, [0.0, 0.5, 1.0, 1.0, 1.0], atol=1e-15)
    np.testing.assert_array_equal(formation_factor(8, np.array([8]), 0), [1.0])  # F = 0: at once


def test_diet_win_set_is_capped_by_the_opposition_once_divided():
    # K_O .25: divided .5 → .25, divided .1 → .1 (the coalition binds), united .5 → .5
    k = diet_win_set(np.array([0.5, 0.1, 0.5]), np.array([True, True, False]), WIN)
    np.testing.assert_allclose(k, [0.25, 0.1, 0.5], atol=1e-15)


def test_divided_diet_ratification_needs_both_votes():
    # K_C .5, L .25: united σ(.25/.03) = .99976; divided × σ((.25 - .25)/.03) = .5 → .49988
    cost, k, formed = np.array([0.25, 0.25]), np.array([0.5, 0.5]), np.ones(2)
    p = diet_ratification_probability(k, formed, cost, np.array([False, True]), WIN)
    united = 1 / (1 + math.exp(-0.25 / 0.03))
    np.testing.assert_allclose(p, [united, 0.5 * united], rtol=1e-12)


def test_a_cabinet_in_its_first_month_passes_nothing():
    # g = 0: even a package without political cost (σ(0) = .5 otherwise) is not voted on
    zero, one = np.zeros(2), np.ones(2)
    p = diet_ratification_probability(zero, np.array([0.0, 0.5]), zero, np.zeros(2, bool), WIN)
    np.testing.assert_allclose(p, [0.0, 0.5], atol=1e-15)
    assert diet_ratification_probability(one, one, zero, np.ones(2, bool), WIN).min() > 0


@FAST
@given(
    coalition=st.floats(0, 3),
    cost=st.floats(0, 6),
    opposition=st.floats(0, 3),
)
def test_a_second_veto_player_never_widens_the_win_set_nor_raises_p_rat(
    coalition, cost, opposition
):
    """Tsebelis (2002): adding a veto player can only shrink the win-set of the status quo."""
    spec = WinSetSpec(opposition_radius=opposition)
    k, c = np.array([coalition, coalition]), np.array([cost, cost])
    divided = np.array([False, True])
    radius = diet_win_set(k, divided, spec)
    assert radius[1] <= radius[0]
    p = diet_ratification_probability(k, np.ones(2), c, divided, spec)
    assert p[1] <= p[0]
