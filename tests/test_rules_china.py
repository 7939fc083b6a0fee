"""China's reaction rules (core/china.py), docs/model.md §5: terms, propensity, ordered logit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from negosim.core.china import draw_level, perceived_terms
from negosim.core.china_rules import (
    CHINA_RULES,
    ChinaInputs,
    ordered_logit_probabilities,
    propensity,
)
from negosim.core.observables import ObservableTables
from negosim.core.rng import Purpose, inverse_cdf, replicate_keys, uniforms
from negosim.schema import COERCION_LEVELS as LEVELS
from negosim.schema import ChinaBeta, ChinaSpec, ObservablesSpec

FAST = settings(max_examples=80, deadline=None)
THETA = np.array([-1.5, 0.5, 1.5, 5.0, 10.0])
LEVEL = np.arange(LEVELS)


def _sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _inputs(
    n=1,
    spiral=0.0,
    deterrence=0.0,
    opportunity=0.0,
    taiwan=0.0,
    previous=0,
    detente=0.0,
    signal=0.0,
):
    def col(x):
        return np.broadcast_to(np.asarray(x, dtype=np.float64), (n,)).copy()

    return ChinaInputs(
        spiral=col(spiral),
        deterrence=col(deterrence),
        opportunity=col(opportunity),
        taiwan=col(taiwan),
        previous_level=np.broadcast_to(np.asarray(previous), (n,)).astype(np.int64),
        detente=col(detente),
        signal=col(signal),
    )


def _expected_level(z: np.ndarray) -> np.ndarray:
    return ordered_logit_probabilities(np.asarray(z, dtype=float), THETA) @ LEVEL


# --------------------------------------------------------------------------- perceived terms


def test_perceived_terms_hand_example():
    # s 4, d 3.0, κ .6, Ind .2, s0 2, d0 1.8, span 4, d ∈ [1, 5]:
    # Sp = (4-2)/4 + (3-1.8)/(5-1.8) = .5 + .375 = .875; cap = .5 + .5·2/4 = .75;
    # De = .6·.75 = .45; Op = (1-.6)(1+.2) = .48
    sp, de, op = perceived_terms(
        np.array([4.0]),
        np.array([3.0]),
        np.array([0.6]),
        np.array([0.2]),
        s0=2.0,
        d0=1.8,
        s_span=4.0,
        d_min=1.0,
        d_max=5.0,
    )
    assert sp[0] == pytest.approx(0.875, abs=1e-15)
    assert de[0] == pytest.approx(0.45, abs=1e-15)
    assert op[0] == pytest.approx(0.48, abs=1e-15)


def test_perceived_terms_status_quo_and_no_credibility():
    # at the status quo Sp = 0; κ = 0 → De = 0 and Op = 1 + Ind; d = 1 → cap = .5
    sp, de, op = perceived_terms(
        np.array([2.0]),
        np.array([1.8]),
        np.array([0.0]),
        np.array([0.5]),
        s0=2.0,
        d0=1.8,
        s_span=4.0,
        d_min=1.0,
        d_max=5.0,
    )
    assert sp[0] == pytest.approx(0.0, abs=1e-15)
    assert de[0] == 0.0
    assert op[0] == pytest.approx(1.5, abs=1e-15)
    _, de1, _ = perceived_terms(
        np.array([4.0]),
        np.array([1.0]),
        np.array([1.0]),
        np.array([0.0]),
        s0=2.0,
        d0=1.8,
        s_span=4.0,
        d_min=1.0,
        d_max=5.0,
    )
    assert de1[0] == pytest.approx(0.5, abs=1e-15)  # κ 1 · cap .5


# --------------------------------------------------------------------------- propensity


def test_propensity_hand_example_default_omega():
    # z = -.3 + .5·2·.875 + .5·(1.5·.48 - 1.5·.45) + 4·0 + 0·1/5 - 1·0 + (.5·4 - .5·3)·0
    #   = -.3 + .875 + .5·.045 = .5975 (β_h 0: persistence is the inertia of the thresholds)
    z = propensity(
        _inputs(spiral=0.875, deterrence=0.45, opportunity=0.48, previous=1), ChinaSpec()
    )
    assert z[0] == pytest.approx(0.5975, abs=1e-14)


def test_propensity_taiwan_history_detente():
    # ω .5, no Sp/De/Op: z = -.3 + 4·.5 + 0·5/5 - 1·1 = .7: a thaw lowers z (β_w < 0)
    z = propensity(_inputs(taiwan=0.5, previous=5, detente=1.0), ChinaSpec())
    assert z[0] == pytest.approx(0.7, abs=1e-14)
    # with β_h 2 (the former default): + 2·5/5 = 2.7
    spec = ChinaSpec(beta=ChinaBeta(history=2.0))
    assert propensity(_inputs(taiwan=0.5, previous=5, detente=1.0), spec)[0] == pytest.approx(2.7)


def test_propensity_announcement_signal_by_reading():
    # G .25 (one commitment level): (ω·4 - (1-ω)·3)·.25 on top of z(G = 0)
    # ω 1: +1.0 (provocation); ω 0: -.75 (resolve); ω .5: (2 - 1.5)·.25 = +.125
    for omega, effect in ((1.0, 1.0), (0.0, -0.75), (0.5, 0.125)):
        spec = ChinaSpec(omega=omega)
        z = propensity(_inputs(2, signal=[0.0, 0.25]), spec)
        assert z[1] - z[0] == pytest.approx(effect, abs=1e-14)


def test_propensity_with_distinct_coefficients():
    # β0 .1, β_sp 3, β_de 2, β_op .5, β_TW 1, β_h 1.5, β_w -2, β_Gsp 2, β_Gde 1, ω .25;
    # Sp .4, De .3, Op .6, TW .2, c_{t-1} 3, W .5, G .4:
    # z = .1 + .25·3·.4 + .75·(.5·.6 - 2·.3) + 1·.2 + 1.5·3/5 - 2·.5 + (.25·2 - .75·1)·.4
    #   = .1 + .3 + .75·(-.3) + .2 + .9 - 1 - .1 = .175
    spec = ChinaSpec(
        omega=0.25,
        beta=ChinaBeta(
            intercept=0.1,
            spiral=3.0,
            deterrence=2.0,
            opportunity=0.5,
            taiwan=1.0,
            history=1.5,
            detente=-2.0,
            signal_spiral=2.0,
            signal_resolve=1.0,
        ),
    )
    inputs = _inputs(
        spiral=0.4, deterrence=0.3, opportunity=0.6, taiwan=0.2, previous=3, detente=0.5, signal=0.4
    )
    assert propensity(inputs, spec)[0] == pytest.approx(0.175, abs=1e-14)


def test_propensity_omega_zero_ignores_spiral():
    spec = ChinaSpec(omega=0.0)
    # ω = 0: z = -.3 + 1.5·Op - 1.5·De; Op .48, De .45 → -.3 + .72 - .675 = -.255 for any Sp
    z = propensity(_inputs(3, spiral=[-1.0, 0.0, 1.5], deterrence=0.45, opportunity=0.48), spec)
    np.testing.assert_allclose(z, [-0.255] * 3, atol=1e-14)
    # deterrence lowers z, opportunity raises it (1.5 per unit each)
    z_de = propensity(_inputs(2, deterrence=[0.0, 1.0]), spec)
    assert z_de[1] - z_de[0] == pytest.approx(-1.5, abs=1e-14)
    z_op = propensity(_inputs(2, opportunity=[0.0, 1.0]), spec)
    assert z_op[1] - z_op[0] == pytest.approx(1.5, abs=1e-14)


def test_propensity_omega_one_only_spiral_acts():
    spec = ChinaSpec(omega=1.0)
    # ω = 1: z = -.3 + 2·Sp; deterrence and opportunity have no effect
    z = propensity(
        _inputs(3, spiral=0.5, deterrence=[0.0, 0.5, 1.0], opportunity=[2.0, 1.0, 0.0]), spec
    )
    np.testing.assert_allclose(z, [0.7] * 3, atol=1e-14)
    z_sp = propensity(_inputs(2, spiral=[0.0, 1.0]), spec)
    assert z_sp[1] - z_sp[0] == pytest.approx(2.0, abs=1e-14)


# --------------------------------------------------------------------------- ordered logit


def test_ordered_logit_hand_example_z_zero():
    # z = 0: P(c≥1..5) = σ(1.5), σ(-.5), σ(-1.5), σ(-5), σ(-10)
    #      = .8175745, .3775407, .1824255, .0066929, .0000454
    # P(c=k) = differences: .1824255, .4400338, .1951152, .1757326, .0066475, .0000454
    p = ordered_logit_probabilities(np.array([0.0]), THETA)[0]
    np.testing.assert_allclose(
        p, [0.1824255, 0.4400338, 0.1951152, 0.1757326, 0.0066475, 0.0000454], atol=1e-7
    )


@FAST
@given(z=st.lists(st.floats(-30, 30), min_size=1, max_size=20))
def test_ordered_logit_rows_are_distributions_with_exact_tails(z):
    z = np.array(z)
    p = ordered_logit_probabilities(z, THETA)
    assert p.shape == (len(z), LEVELS)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    tails = np.cumsum(p[:, ::-1], axis=1)[:, ::-1]  # P(c ≥ k)
    for i, zi in enumerate(z):
        for k in range(1, LEVELS):
            assert tails[i, k] == pytest.approx(_sigma(zi - THETA[k - 1]), abs=1e-12)


@FAST
@given(z1=st.floats(-20, 20), z2=st.floats(-20, 20))
def test_higher_propensity_stochastically_raises_level(z1, z2):
    lo, hi = sorted((z1, z2))
    p = ordered_logit_probabilities(np.array([lo, hi]), THETA)
    tails = np.cumsum(p[:, ::-1], axis=1)[:, ::-1]
    assert np.all(tails[1] >= tails[0] - 1e-15)  # first-order stochastic dominance
    e = p @ LEVEL
    assert e[1] >= e[0] - 1e-12
    if hi - lo > 0.1 and -5 < lo < 12:
        assert e[1] > e[0]


@FAST
@given(sp1=st.floats(-1, 2), sp2=st.floats(-1, 2), de=st.floats(0, 1), op=st.floats(0, 2))
def test_omega_one_more_spiral_raises_expected_level(sp1, sp2, de, op):
    lo, hi = sorted((sp1, sp2))
    spec = ChinaSpec(omega=1.0)
    z = propensity(_inputs(2, spiral=[lo, hi], deterrence=de, opportunity=op), spec)
    e = _expected_level(z)
    assert e[1] >= e[0]
    if hi - lo > 0.05:
        assert e[1] > e[0]


@FAST
@given(de1=st.floats(0, 1), de2=st.floats(0, 1), sp=st.floats(-1, 2), op=st.floats(0, 2))
def test_omega_zero_more_deterrence_lowers_expected_level(de1, de2, sp, op):
    lo, hi = sorted((de1, de2))
    spec = ChinaSpec(omega=0.0)
    z = propensity(_inputs(2, spiral=sp, deterrence=[lo, hi], opportunity=op), spec)
    e = _expected_level(z)
    assert e[1] <= e[0]
    if hi - lo > 0.05:
        assert e[1] < e[0]


def test_omega_limits_through_perceived_terms():
    """End to end from (s, d): firmness provokes at ω = 1 and deters at ω = 0."""
    s = np.array([2.0, 4.0])
    d = np.array([1.8, 3.0])
    kappa = s / 4.0 * (1 - 0.1)  # ρ̂ = .1
    sp, de, op = perceived_terms(
        s, d, kappa, np.full(2, 0.2), s0=2.0, d0=1.8, s_span=4.0, d_min=1.0, d_max=5.0
    )
    firm_vs_sq = {}
    for omega in (0.0, 1.0):
        inputs = ChinaInputs(
            sp, de, op, np.zeros(2), np.ones(2, dtype=np.int64), np.zeros(2), np.zeros(2)
        )
        firm_vs_sq[omega] = _expected_level(propensity(inputs, ChinaSpec(omega=omega)))
    assert firm_vs_sq[1.0][1] > firm_vs_sq[1.0][0]  # spiral: the firmer package provokes
    assert firm_vs_sq[0.0][1] < firm_vs_sq[0.0][0]  # deterrence: the firmer package deters


# --------------------------------------------------------------------------- draws


def test_draw_level_hand_example():
    # cdf = .125, .375, .5, 1, 1 (levels 4, 5 have probability 0)
    p = np.tile([0.125, 0.25, 0.125, 0.5, 0.0, 0.0], (7, 1))
    u = np.array([0.0, 0.124, 0.125, 0.375, 0.49, 0.5, 0.999999])
    assert draw_level(p, u).tolist() == [0, 0, 1, 2, 2, 3, 3]


def test_draw_level_frequencies_match_probabilities():
    n = 200_000
    z = np.array([0.0, 2.0, 6.0])
    p = ordered_logit_probabilities(z, THETA)
    u = uniforms(replicate_keys([7]), 1, Purpose.CHINA_LEVEL, n * 3)[0].reshape(3, n)
    for row in range(3):
        level = draw_level(np.repeat(p[row : row + 1], n, axis=0), u[row])
        counts = np.bincount(level, minlength=LEVELS)
        assert counts.sum() == n
        # each frequency within 5 standard errors of its probability
        se = np.sqrt(p[row] * (1 - p[row]) / n)
        assert np.all(np.abs(counts / n - p[row]) <= 5 * se + 1e-12)
        keep = p[row] * n > 5
        expected = p[row][keep] * n
        observed = counts[keep].astype(float)
        expected *= observed.sum() / expected.sum()
        assert stats.chisquare(observed, expected).pvalue > 1e-3


# --------------------------------------------------------------------------- other rules


@FAST
@given(
    spiral=st.floats(-2, 2),
    taiwan=st.floats(0, 1),
    previous=st.integers(0, 5),
    de=st.floats(0, 1),
    op=st.floats(0, 2),
)
def test_passive_is_always_level_zero(spiral, taiwan, previous, de, op):
    inputs = _inputs(
        3, spiral=spiral, deterrence=de, opportunity=op, taiwan=taiwan, previous=previous
    )
    p = CHINA_RULES["passive"].probabilities(inputs, ChinaSpec(omega=1.0))
    assert p.tolist() == [[1.0, 0, 0, 0, 0, 0]] * 3
    assert draw_level(p, np.array([0.0, 0.5, 0.999999])).tolist() == [0, 0, 0]


def test_tit_for_tat_steps():
    # (previous, spiral, taiwan) → level: firmness +1, otherwise -1, Taiwan talk ≥ .5 adds +1
    cases = [
        (2, 0.5, 0.0, 3),  # up
        (2, -0.5, 0.0, 1),  # down
        (2, 0.0, 0.0, 1),  # Sp = 0 is not firmness: down
        (2, 0.5, 0.5, 4),  # up + Taiwan
        (2, -0.5, 0.9, 2),  # down + Taiwan: stays
        (2, 0.5, 0.49, 3),  # Taiwan below .5 ignored
        (5, 1.0, 1.0, 5),  # clipped at 5
        (0, -1.0, 0.0, 0),  # clipped at 0
    ]
    prev, sp, tw, want = (np.array(c) for c in zip(*cases, strict=True))
    inputs = _inputs(len(cases), spiral=sp, taiwan=tw, previous=prev)
    p = CHINA_RULES["tit_for_tat"].probabilities(inputs, ChinaSpec())
    np.testing.assert_array_equal(p.sum(axis=1), 1.0)
    assert p.argmax(axis=1).tolist() == want.tolist()
    assert draw_level(p, np.full(len(cases), 0.5)).tolist() == want.tolist()


def test_rule_registry_and_ordered_logit_rule():
    assert set(CHINA_RULES) >= {"ordered_logit", "passive", "tit_for_tat"}
    inputs = _inputs(spiral=0.875, deterrence=0.45, opportunity=0.48, previous=1)
    p = CHINA_RULES["ordered_logit"].probabilities(inputs, ChinaSpec())
    # z = .5975 (test above), last month at level 1 (η_1 1.5, ζ .5):
    # P(c ≥ 1) = σ(.5975 + 1.4 + 1.5) = σ(3.4975); P(c ≥ 2) = σ(.5975 + .2 - 1.5) = σ(-.7025);
    # P(c ≥ 3) = σ(.5975 - .4 - 1.5 - .5) = σ(-1.8025)
    assert 1 - p[0, 0] == pytest.approx(_sigma(3.4975), abs=1e-12)
    assert p[0, 2:].sum() == pytest.approx(_sigma(-0.7025), abs=1e-12)
    assert p[0, 3:].sum() == pytest.approx(_sigma(-1.8025), abs=1e-12)


# --------------------------------------------------------------------------- observables


def test_observable_tables_equal_scipy_distributions():
    tables = ObservableTables.from_spec(ObservablesSpec())
    for level, p in enumerate([0.95, 0.97, 0.98, 0.98, 0.98, 0.98]):
        np.testing.assert_allclose(
            tables.presence[level], stats.binom.cdf(np.arange(31), 30, p), atol=1e-12
        )
    for level, rate in enumerate([1.5, 2.5, 4.5, 4.5, 4.5, 5.0]):
        np.testing.assert_allclose(
            tables.sea_entries[level], stats.poisson.cdf(np.arange(80), rate), atol=1e-12
        )
    for level, rate in enumerate([0.0, 0.0, 0.01, 0.3, 0.3, 0.5]):
        np.testing.assert_allclose(
            tables.airspace[level], stats.poisson.cdf(np.arange(80), rate), atol=1e-12
        )


def test_observable_draws_at_the_smallest_and_largest_uniform():
    """u = 0 gives the smallest count; presence at u = 1 - 2^-53 stays inside 0..30."""
    tables = ObservableTables.from_spec(ObservablesSpec())
    u = np.array([0.0, 1.0 - 2.0**-53])  # the extreme values rng.uniforms can return
    row = np.zeros(2, dtype=np.int64)
    # Binomial(30, .95): P(X = 0) ≈ 1e-39 > 0 = u, so u = 0 → 0; the top uniform → 30
    assert inverse_cdf(u, tables.presence, row).tolist() == [0, 30]
    # Poisson(0) at level 0: every uniform → 0 (P(0) = 1)
    assert inverse_cdf(u, tables.airspace, row).tolist() == [0, 0]
    # Poisson(.3) at level 3: u = 0 → 0 (P(0) = e^-.3 ≈ .741 > 0)
    assert inverse_cdf(u[:1], tables.airspace, row[:1] + 3).tolist() == [0]


def test_poisson_draw_at_the_largest_uniform_stays_in_the_tail():
    tables = ObservableTables.from_spec(ObservablesSpec())
    u = np.array([1.0 - 2.0**-53])
    # P(Poisson(2.5) ≥ 25) ≈ 1e-17 < 2^-53 ≈ 1.1e-16: a correct inversion gives at most 24
    assert inverse_cdf(u, tables.sea_entries, np.ones(1, dtype=np.int64))[0] <= 24
