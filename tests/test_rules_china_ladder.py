"""China's escalation ladder, inertia, announcement signal and threat index (docs/model.md §5).

Unit tests on known inputs for each pure function, and properties: every row a
distribution, the ladder decreasing above its modal rung at the February 2025 inputs,
more inertia more persistence.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.core.china import ChinaView, announcement_signal, threat_index
from negosim.core.china_rules import (
    inertia_shift,
    ordered_logit_probabilities,
    persistence,
    stationary_distribution,
    transition_matrix,
)
from negosim.schema import COERCION_LEVELS as LEVELS
from negosim.schema import ChinaSpec

FAST = settings(max_examples=80, deadline=None)
DEFAULT = ChinaSpec()
#: China's propensity at the February 2025 package, ω 0.5 (docs/model.md §5): κ .45, cap .6,
#: De .27, Op .66, Sp 0 → z = -.3 + .5 (1.5 · .66 - 1.5 · .27) = -.0075.
Z_FEB_2025 = -0.0075
VIEW = ChinaView(s0=2.0, d0=1.8, s_min=0.0, s_span=4.0, d_min=1.0, d_max=5.0)


def _sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# --------------------------------------------------------------------------- inertia


def test_inertia_shift_hand_example():
    # η = [1.5, 1.5, 1.5, 1, 1, 0], ζ .5; rungs k = 1..5
    # from 0: all above, k - j - 1 = 0..4 → -1.5 - .5·(0, 1, 2, 3, 4)
    # from 2: +1.5 at k ≤ 2; above: -1.5, -2, -2.5
    # from 5: η_5 = 0 at every rung
    eta = np.array(DEFAULT.inertia)
    got = inertia_shift(np.array([0, 2, 5]), eta, 0.5)
    np.testing.assert_allclose(
        got,
        [
            [-1.5, -2.0, -2.5, -3.0, -3.5],
            [1.5, 1.5, -1.5, -2.0, -2.5],
            [0.0, 0.0, 0.0, 0.0, 0.0],
        ],
        atol=1e-15,
    )


def test_dynamic_ordered_logit_hand_example():
    # θ = [-1.4, -.2, .4, 2, 2.7], z 0, last month at level 1 (η_1 1.5, ζ .5):
    # P(c ≥ 1) = σ(1.4 + 1.5), P(c ≥ 2) = σ(.2 - 1.5), P(c ≥ 3) = σ(-.4 - 2),
    # P(c ≥ 4) = σ(-2 - 2.5), P(c ≥ 5) = σ(-2.7 - 3)
    theta = np.array(DEFAULT.thresholds)
    shift = inertia_shift(np.array([1]), np.array(DEFAULT.inertia), 0.5)
    p = ordered_logit_probabilities(np.array([0.0]), theta, shift)[0]
    tails = [_sigma(2.9), _sigma(-1.3), _sigma(-2.4), _sigma(-4.5), _sigma(-5.7)]
    np.testing.assert_allclose(np.cumsum(p[::-1])[::-1][1:], tails, atol=1e-15)
    # staying at 1: σ(2.9) - σ(-1.3) ≈ .948 - .214 = .734
    assert p[1] == pytest.approx(_sigma(2.9) - _sigma(-1.3), abs=1e-15)


@FAST
@given(
    z=st.lists(st.floats(-15, 15), min_size=1, max_size=12),
    gaps=st.lists(st.floats(0.01, 4), min_size=LEVELS - 1, max_size=LEVELS - 1),
    start=st.floats(-5, 5),
    eta=st.lists(st.floats(0, 4), min_size=LEVELS, max_size=LEVELS),
    zeta=st.floats(0, 3),
    seed=st.integers(0, 2**31),
)
def test_dynamic_rows_are_distributions(z, gaps, start, eta, zeta, seed):
    theta = start + np.cumsum(gaps)
    previous = np.random.default_rng(seed).integers(0, LEVELS, len(z))
    shift = inertia_shift(previous, np.array(eta), zeta)
    p = ordered_logit_probabilities(np.array(z), theta, shift)
    assert p.shape == (len(z), LEVELS)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)


@FAST
@given(z=st.floats(-4, 4), low=st.floats(0, 3), extra=st.floats(0.05, 2), j=st.integers(0, 5))
def test_more_inertia_more_persistence(z, low, extra, j):
    """P(c_t = j | c_{t-1} = j) rises with η (a uniform η over rungs)."""
    theta = DEFAULT.thresholds
    weak = transition_matrix(z, theta, [low] * LEVELS, 0.5)
    strong = transition_matrix(z, theta, [low + extra] * LEVELS, 0.5)
    assert strong[j, j] >= weak[j, j] - 1e-12
    assert persistence(strong) >= persistence(weak) - 1e-9


def test_no_inertia_is_the_static_ordered_logit():
    theta = np.array(DEFAULT.thresholds)
    static = ordered_logit_probabilities(np.full(LEVELS, 0.3), theta)
    moved = transition_matrix(0.3, theta, [0.0] * LEVELS, 0.0)
    np.testing.assert_allclose(moved, static, atol=1e-15)  # every row the same


# --------------------------------------------------------------------------- the ladder


def test_stationary_distribution_two_state_hand_example():
    # [[.9, .1], [.5, .5]]: π = (5/6, 1/6)
    pi = stationary_distribution(np.array([[0.9, 0.1], [0.5, 0.5]]))
    np.testing.assert_allclose(pi, [5 / 6, 1 / 6], atol=1e-12)
    assert persistence(np.array([[0.9, 0.1], [0.5, 0.5]])) == pytest.approx(5 / 6 * 0.9 + 0.5 / 6)


@FAST
@given(rows=st.lists(st.lists(st.floats(0.01, 1), min_size=4, max_size=4), min_size=4, max_size=4))
def test_stationary_distribution_is_invariant(rows):
    t = np.array(rows)
    t = t / t.sum(axis=1, keepdims=True)
    pi = stationary_distribution(t)
    assert pi.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(pi @ t, pi, atol=1e-9)


def test_baseline_ladder_is_decreasing_above_its_mode_and_persistent():
    """At the February 2025 package the long-run shares of months fall rung by rung above
    the modal rung (rhetoric and protest), as in the 2024 record (docs/model.md §5)."""
    t = transition_matrix(Z_FEB_2025, DEFAULT.thresholds, DEFAULT.inertia, DEFAULT.skip_penalty)
    pi = stationary_distribution(t)
    mode = int(pi.argmax())
    assert mode == 1
    assert np.all(np.diff(pi[mode:]) < 0)
    np.testing.assert_allclose(pi, [0.114, 0.378, 0.300, 0.184, 0.018, 0.007], atol=0.003)
    assert pi[4] < 0.03 and pi[5] < 0.01  # economic coercion rare, an incident very rare
    assert 0.6 < persistence(t) < 0.72  # the level changes about once a quarter
    assert np.all(np.diag(t)[:3] > 0.5)  # grey-zone rungs are a steady campaign
    assert t[5, 5] < 0.1  # an incident is a one-off


@FAST
@given(z1=st.floats(-6, 6), z2=st.floats(-6, 6), j=st.integers(0, 5))
def test_higher_propensity_raises_every_row(z1, z2, j):
    """First-order stochastic dominance in z survives the state-dependent thresholds."""
    lo, hi = sorted((z1, z2))
    theta = DEFAULT.thresholds
    t_lo = transition_matrix(lo, theta, DEFAULT.inertia, DEFAULT.skip_penalty)
    t_hi = transition_matrix(hi, theta, DEFAULT.inertia, DEFAULT.skip_penalty)
    tails_lo = np.cumsum(t_lo[j, ::-1])[::-1]
    tails_hi = np.cumsum(t_hi[j, ::-1])[::-1]
    assert np.all(tails_hi >= tails_lo - 1e-12)


# --------------------------------------------------------------------------- signal, threat


def test_announcement_signal_hand_example():
    # rows: a deal raising s 2 → 3 and d 1.8 → 2.6; a deal lowering s (no signal); no deal but
    # a higher d (not announced: no signal); no deal. Previous G .4, δ .5.
    # X = 1/4 + .8/3.2 = .5 → G = .2 + .5 = .7; others .2
    firmness = np.array([[3.0, 2.6], [1.0, 1.8], [2.0, 2.6], [2.0, 1.8]])
    seen = np.array([[2.0, 1.8], [2.0, 1.8], [2.0, 1.8], [2.0, 1.8]])
    announced = np.array([True, True, False, False])
    g = announcement_signal(VIEW, np.full(4, 0.4), 0.5, announced, firmness, seen)
    np.testing.assert_allclose(g, [0.7, 0.2, 0.2, 0.2], atol=1e-15)


@FAST
@given(g0=st.floats(0, 3), decay=st.floats(0, 1), months=st.integers(0, 24))
def test_announcement_signal_decays_geometrically(g0, decay, months):
    g = np.array([g0])
    still = np.zeros((1, 2))
    for _ in range(months):
        g = announcement_signal(VIEW, g, decay, np.array([True]), still, still)
    assert g[0] == pytest.approx(g0 * decay**months, rel=1e-12, abs=1e-300)


def test_threat_index_hand_example_and_identity_weights():
    # τ = [0, 2.5, 5, 10, 20, 30]: history (1, 2, 4) → (2.5 + 5 + 20)/3 = 27.5/3
    history = np.array([[1, 2, 4], [0, 0, 0]])
    weights = np.array(DEFAULT.threat_weights)
    np.testing.assert_allclose(threat_index(history, weights), [27.5 / 3, 0.0], atol=1e-14)
    # τ_c = c is the mean level c̄ (the model before rung weights)
    identity = np.arange(LEVELS, dtype=float)
    np.testing.assert_allclose(threat_index(history, identity), history.mean(axis=1))


def test_threat_weights_are_a_convex_ladder():
    w = np.array(DEFAULT.threat_weights)
    assert w[0] == 0 and np.all(np.diff(w) > 0)
    assert np.all(np.diff(w, 2) >= 0)  # higher rungs weigh more than their number
