"""Utilities (core/utility.py) on known inputs and against a brute force from docs/model.md §2.

The brute force evaluates U_J and U_U package by package in plain Python from the scenario's
numbers and the grid's issue values; it never calls the tables or value functions under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.core.leaders import sitting_leader
from negosim.core.utility import (
    build_tables,
    common_scale,
    issue_value,
    lowest_security,
    security_terms,
    threat_perception,
)
from negosim.schema import ScenarioSpec, SecuritySpec, ValueShape

FAST = settings(max_examples=60, deadline=None)
SEC = SecuritySpec()  # MODEL defaults: γ_A 1.0, γ_E 0.3, ε1 0.5, ψ0 0.5, ψ1 0.1, μ 0.3, π_TW 0.1


@pytest.fixture(scope="module")
def spec(baseline) -> ScenarioSpec:
    return baseline.spec


def _with_value_shape(spec: ScenarioSpec, shape: ValueShape) -> ScenarioSpec:
    japan = spec.agents.japan.model_copy(update={"value": shape})
    us = spec.agents.us.model_copy(update={"value": shape})
    agents = spec.agents.model_copy(update={"japan": japan, "us": us})
    return spec.model_copy(update={"agents": agents})


# --------------------------------------------------------------------------- issue_value

S_LEVELS = np.array([0.0, 1.0, 2.0, 3.0, 4.0])


def test_issue_value_linear():
    # v = 1 - |x - 3.5|/4: distances 3.5, 2.5, 1.5, .5, .5 → .125, .375, .625, .875, .875
    v = issue_value(S_LEVELS, 3.5, 4.0, ValueShape(exponent=1), status_quo=2.0)
    np.testing.assert_allclose(v, [0.125, 0.375, 0.625, 0.875, 0.875], rtol=0, atol=1e-15)


def test_issue_value_exponent_two():
    # v = 1 - (d/4)^2: (3.5/4)^2 = .765625, (2.5/4)^2 = .390625, (1.5/4)^2 = .140625,
    # (.5/4)^2 = .015625 → .234375, .609375, .859375, .984375, .984375
    v = issue_value(S_LEVELS, 3.5, 4.0, ValueShape(exponent=2), status_quo=2.0)
    np.testing.assert_allclose(v, [0.234375, 0.609375, 0.859375, 0.984375, 0.984375], atol=1e-15)


def test_issue_value_clipped_to_unit_interval():
    # R = 5, x* = 0: x = 10 gives 1 - 2 = -1 → 0; x = 0 gives 1; x = 2.5 gives .5
    v = issue_value(np.array([0.0, 2.5, 10.0]), 0.0, 5.0, ValueShape(exponent=1), 0.0)
    np.testing.assert_allclose(v, [1.0, 0.5, 0.0], atol=1e-15)


def test_issue_value_loss_aversion_doubles_losses_only():
    # status quo 2 → v_sq = .625. Loss at x = 0: .625 - .125 = .5, doubled → .625 - 1 = -.375;
    # x = 1: loss .25 → .625 - .5 = .125; x = 2 unchanged; gains (x = 3, 4) unchanged (.875).
    shape = ValueShape(exponent=1, loss_aversion=2.0)
    v = issue_value(S_LEVELS, 3.5, 4.0, shape, status_quo=2.0)
    np.testing.assert_allclose(v, [-0.375, 0.125, 0.625, 0.875, 0.875], atol=1e-15)
    plain = issue_value(S_LEVELS, 3.5, 4.0, ValueShape(exponent=1), status_quo=2.0)
    v_sq = 0.625
    loss = plain < v_sq
    np.testing.assert_allclose(v_sq - v[loss], 2.0 * (v_sq - plain[loss]), atol=1e-15)


def test_issue_value_loss_aversion_with_exponent_two():
    # p = 2, status quo 2: v_sq = .859375; x = 0: v = .234375, loss .625 → .859375 - 1.25
    # = -.390625; x = 1: loss .25 → .359375; x = 2: .859375; gains .984375 kept.
    shape = ValueShape(exponent=2, loss_aversion=2.0)
    v = issue_value(S_LEVELS, 3.5, 4.0, shape, status_quo=2.0)
    np.testing.assert_allclose(v, [-0.390625, 0.359375, 0.859375, 0.984375, 0.984375], atol=1e-15)


@FAST
@given(
    ideal=st.floats(0, 4),
    sq=st.floats(0, 4),
    lam=st.floats(1.0, 5.0),
    p=st.sampled_from([1, 2]),
)
def test_issue_value_loss_aversion_property(ideal, sq, lam, p):
    x = np.linspace(0, 4, 41)
    plain = np.clip(1 - (np.abs(x - ideal) / 4.0) ** p, 0, 1)
    v_sq = min(1.0, max(0.0, 1 - (abs(sq - ideal) / 4.0) ** p))
    v = issue_value(x, ideal, 4.0, ValueShape(exponent=p, loss_aversion=lam), sq)
    gain = plain >= v_sq
    np.testing.assert_allclose(v[gain], plain[gain], atol=1e-12)
    np.testing.assert_allclose(v[~gain], v_sq - lam * (v_sq - plain[~gain]), atol=1e-12)


# --------------------------------------------------------------------------- common scale


def test_common_scale_maps_the_range_onto_the_unit_interval():
    # [-.5, 1.5]: offset -.5, factor 1/2; u = .5 → (.5 + .5)/2 = .5
    offset, factor = common_scale(-0.5, 1.5)
    assert (offset, factor) == (-0.5, 0.5)
    assert factor * (np.array([-0.5, 0.5, 1.5]) - offset) == pytest.approx([0.0, 0.5, 1.0])
    assert common_scale(0.3, 0.3) == (0.3, 1.0)  # a flat utility keeps its unit


def test_lowest_security_hand_example():
    # ψ at the top rung's weight 30: .5 + .1·30 = 3.5; κ = m = 0; En = .5·1·.1 = .05:
    # Sec = 1 - 1·3.5 - .3·.05 = -2.515
    assert lowest_security(SEC, 30.0) == pytest.approx(-2.515, abs=1e-12)
    assert lowest_security(SEC, 0.0) == pytest.approx(1 - 0.5 - 0.015, abs=1e-12)


@FAST
@given(
    s=st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0]),
    d_frac=st.floats(0.0, 1.0),
    index=st.floats(0.0, 30.0),
    belief=st.floats(0.0, 1.0),
)
def test_lowest_security_bounds_every_package_and_belief(s, d_frac, index, belief):
    """No package, threat index up to the top rung's weight, or belief goes below it."""
    out = _sec(s, d_frac, threat_perception(SEC, np.float64(index)), belief)
    assert out.security[0] >= lowest_security(SEC, 30.0) - 1e-12


# --------------------------------------------------------------------------- security terms


def _sec(s, d_frac, threat, belief, spec=SEC):
    s = np.atleast_1d(np.asarray(s, dtype=float))
    return security_terms(
        s / 4.0, np.full(s.shape, d_frac), s, np.float64(threat), np.float64(belief), spec, 3.0
    )


def test_security_terms_hand_example():
    # s = 4, d = 5 (m = .3·1 = .3), ψ = .7, ρ̂ = .2: κ = 1·.8 = .8;
    # Ab = .7·.2·.7 = .098; En = .5·(4-3)·.1 = .05; Sec = 1 - .098 - .3·.05 = .887
    out = _sec(4.0, 1.0, 0.7, 0.2)
    assert out.credibility[0] == pytest.approx(0.8, abs=1e-15)
    assert out.abandonment[0] == pytest.approx(0.098, abs=1e-15)
    assert out.entrapment[0] == pytest.approx(0.05, abs=1e-15)
    assert out.security[0] == pytest.approx(0.887, abs=1e-15)


def test_security_at_s_zero_no_credibility_full_abandonment():
    # s = 0: κ = 0, so Ab = ψ (1 - m); d = 1 (m = 0), ψ = .5 → Ab = .5, Sec = .5
    out = _sec(0.0, 0.0, 0.5, 0.1)
    assert out.credibility[0] == 0.0
    assert out.abandonment[0] == pytest.approx(0.5, abs=1e-15)
    assert out.entrapment[0] == 0.0
    assert out.security[0] == pytest.approx(0.5, abs=1e-15)


@pytest.mark.parametrize("belief", [0.0, 0.1, 0.35, 1.0])
def test_credibility_at_s_four_is_one_minus_belief(belief):
    out = _sec(4.0, 0.5, 0.6, belief)
    assert out.credibility[0] == pytest.approx(1.0 - belief, abs=1e-15)


def test_entrapment_only_above_level_three():
    # En = ε1 max(0, s - 3) π_TW = .5·max(0, s-3)·.1 → 0, 0, 0, 0, .05
    out = _sec(S_LEVELS, 0.5, 0.6, 0.1)
    np.testing.assert_allclose(out.entrapment, [0, 0, 0, 0, 0.05], atol=1e-15)
    # so security rises with s up to 3 (credibility), then pays the entrapment price
    assert np.all(np.diff(out.security[:4]) > 0)


def test_threat_perception():
    # ψ = .5 + .1 c̄: c̄ = 0 → .5; 2.5 → .75; 5 → 1.0
    np.testing.assert_allclose(
        threat_perception(SEC, np.array([0.0, 2.5, 5.0])), [0.5, 0.75, 1.0], atol=1e-15
    )


# --------------------------------------------------------------------------- brute force


def _v(x, ideal, span, p, lam, sq):
    """docs/model.md §2 value with loss aversion, scalar and independent of the code."""
    base = min(1.0, max(0.0, 1.0 - (abs(x - ideal) / span) ** p))
    ref = min(1.0, max(0.0, 1.0 - (abs(sq - ideal) / span) ** p))
    return base if base >= ref else ref - lam * (ref - base)


def _sum_wv(spec, pkg, weights, ideal, shape):
    """Σ_k w_k v_k(x_k) for one package."""
    total = 0.0
    for name, x in pkg.items():
        iss = spec.issues[name]
        total += weights[name] * _v(
            x,
            ideal[name],
            iss.max - iss.min,
            shape.exponent,
            shape.loss_aversion,
            iss.status_quo,
        )
    return total


def _levels(iss):
    """An issue's grid levels, min to max by step."""
    count = round((iss.max - iss.min) / iss.step) + 1
    return [iss.min + i * iss.step for i in range(count)]


def _extremes(spec, contribution):
    """(min, max) over the grid of a utility that is a sum of per-issue contributions:
    each issue at its own worst (best) level, found by trying every level."""
    low = high = 0.0
    for name, iss in spec.issues.items():
        if iss.enabled:
            parts = [contribution(name, x) for x in _levels(iss)]
            low, high = low + min(parts), high + max(parts)
    return low, high


def _one_issue(spec, name, x, weights, ideal, shape):
    iss = spec.issues[name]
    v = _v(x, ideal[name], iss.max - iss.min, shape.exponent, shape.loss_aversion, iss.status_quo)
    return weights[name] * v


def _japan_raw(spec, pkg, priorities, ideal, threat, belief):
    """Σ w v + w_sec (1 - γ_A ψ(1-κ)(1-m) - γ_E ε1 max(0, s-3) π_TW), before scaling."""
    j = spec.agents.japan
    total = _sum_wv(spec, pkg, priorities, ideal, j.value)
    s, d = pkg["security_commitment"], pkg["defense_budget"]
    sec = j.security
    kappa = (s / 4.0) * (1.0 - belief)
    m = sec.self_reliance * (d - 1.0) / (5.0 - 1.0)
    ab = threat * (1.0 - kappa) * (1.0 - m)
    en = sec.entrapment_scale * max(0.0, s - 3.0) * sec.taiwan_contingency
    return total + j.security_weight * (
        1.0 - sec.gamma_abandonment * ab - sec.gamma_entrapment * en
    )


def _japan_brute(spec, pkg, priorities, ideal, threat, belief):
    """U_J on the common scale: 0 at Σ min w v + w_sec Sec_min, 1 at Σ max w v + w_sec.

    Sec_min: ψ at the top rung's threat weight, κ = m = 0, the most entrapment (model.md §2).
    """
    j, sec = spec.agents.japan, spec.agents.japan.security
    low, high = _extremes(
        spec, lambda name, x: _one_issue(spec, name, x, priorities, ideal, j.value)
    )
    top = sec.threat_base + sec.threat_per_coercion * max(spec.china.threat_weights)
    worst = (
        1.0
        - sec.gamma_abandonment * top
        - sec.gamma_entrapment * (sec.entrapment_scale * 1.0 * sec.taiwan_contingency)
    )
    low, high = low + j.security_weight * worst, high + j.security_weight
    return (_japan_raw(spec, pkg, priorities, ideal, threat, belief) - low) / (high - low)


def _us_part(spec, name, x):
    """One issue's part of U_U: w v, plus the headline term, less c_s s."""
    us = spec.agents.us
    part = _one_issue(spec, name, x, us.priorities, us.ideal, us.value)
    if name == "investment_pledge":
        scale = us.headline_scale
        part += us.headline_weight * math.log(1 + x / scale) / math.log(1 + 1000 / scale)
    if name == "security_commitment":
        part -= us.commitment_cost * x
    return part


def _us_brute(spec, pkg):
    """U_U = Σ w v + w_head log(1 + I/I0)/log(1 + I_max/I0) - c_s s, scaled to [0, 1]
    between its worst and best package on the grid."""
    low, high = _extremes(spec, lambda name, x: _us_part(spec, name, x))
    raw = sum(_us_part(spec, name, x) for name, x in pkg.items())
    return (raw - low) / (high - low)


def _cost_brute(spec, pkg):
    """L_J = Σ λ ρ_h(dir (x - r)), ρ_h the hinge smoothed by a parabola over |z| < h/2."""
    total = 0.0
    for name, item in spec.politics.political_cost.items():
        sign = 1.0 if item.direction == "up" else -1.0
        z, h = sign * (pkg[name] - item.reference), item.smoothness
        if h == 0 or abs(z) >= h / 2:
            total += item.cost * max(0.0, z)
        else:
            total += item.cost * (z + h / 2) ** 2 / (2 * h)
    return total


def _leader_prefs(spec):
    """Priorities and ideal points of every leader type, in table order (no sitting copy)."""
    return [(t.priorities, t.ideal) for t in spec.politics.leader_types.values()]


def _sample_packages(tables, n, seed):
    grid = tables.grid
    rng = np.random.default_rng(seed)
    levels = np.stack([rng.integers(0, len(a.values), n) for a in grid.axes], axis=1)
    values = np.stack([a.values[levels[:, i]] for i, a in enumerate(grid.axes)], axis=1)
    b, g = grid.split(levels)
    names = [a.name for a in grid.axes]
    pkgs = [dict(zip(names, map(float, row), strict=True)) for row in values]
    return pkgs, b, g


@pytest.mark.parametrize(
    "shape", [ValueShape(), ValueShape(exponent=2, loss_aversion=2.0)], ids=["p1", "p2-lambda2"]
)
def test_tables_equal_brute_force_on_sampled_packages(spec, shape):
    spec = _with_value_shape(spec, shape)
    tables = build_tables(spec)
    assert tables.grid.size == 5 * 21 * 41 * 21
    pkgs, b, g = _sample_packages(tables, 400, seed=11)
    prefs = _leader_prefs(spec)
    for threat, belief in [(0.5, 0.1), (0.9, 0.4)]:
        for leader, (prio, ideal) in enumerate(prefs):
            got = tables.japan(
                np.full(len(b), leader), b, g, np.float64(threat), np.float64(belief)
            )
            want = [_japan_brute(spec, p, prio, ideal, threat, belief) for p in pkgs]
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        tables.us(b, g), [_us_brute(spec, p) for p in pkgs], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        tables.cost_state[b] + tables.cost_static[g],
        [_cost_brute(spec, p) for p in pkgs],
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize("leader", [0, 1, 2])
def test_utilities_lie_on_the_common_scale(spec, leader):
    """Over the whole grid and any belief, both sides' utilities lie in [0, 1]; the US's
    worst and best packages are exactly 0 and 1 (Japan's 0 needs the worst security, which
    no belief at a given threat reaches), and each leader type's best package is 1 at the
    best security (Sec = 1: no threat)."""
    tables = build_tables(spec)
    u_us = tables.us_state[:, None] + tables.us_static[None, :]
    assert u_us.min() == pytest.approx(0.0, abs=1e-12)
    assert u_us.max() == pytest.approx(1.0, abs=1e-12)
    b = np.arange(tables.grid.n_state)
    for threat, belief in [(0.5, 0.0), (0.6, 0.1), (3.5, 1.0)]:  # 3.5: the top rung's ψ
        sec = tables.security_at(b, np.float64(threat), np.float64(belief)).security
        part = tables.japan_state[leader] + tables.security_weight[leader] * sec
        u_j = part[:, None] + tables.japan_static[leader][None, :]
        assert u_j.min() >= -1e-12 and u_j.max() <= 1 + 1e-12
    best = tables.japan_state[leader].max() + tables.japan_static[leader].max()
    assert best + tables.security_weight[leader] == pytest.approx(1.0, abs=1e-12)


def test_status_quo_utilities_by_hand(spec):
    """U_J and U_U of the status quo, by hand on the common scale.

    Status quo (s 2, τ 2.5, d 1.8, I 0). Japan (centrist): v_s = 1 - 1.5/4 = .625,
    v_τ = 1 - 2.5/50 = .95, v_d = 1 - .2/4 = .95, v_I = 1 - 100/1000 = .9;
    Σ w v = .35·.625 + .35·.95 + .15·.95 + .15·.9 = .21875 + .3325 + .1425 + .135 = .82875.
    Sec at ψ .5 + .1·1 = .6, ρ̂ .1: κ = .5·.9 = .45, m = .3·.8/4 = .06,
    Ab = .6·.55·.94 = .3102, En 0 → Sec = .6898; raw U_J = .82875 + .25·.6898 = 1.0012.
    Japan's range: Σ max w v = .35·.875 + .35 + .15 + .15 = .95625, plus w_sec = 1.20625;
    Σ min w v = .35·.125 + 0 + .15·.25 + .15·.1 = .09625, plus .25·(1 - 3.5 - .015)
    = -.62875 (ψ at the top rung's weight 30: .5 + .1·30) → -.5325; span 1.73875:
    U_J = (1.0012 + .5325)/1.73875 = .882070...
    US: v_s = 1, v_τ = 1 - 17.5/50 = .65, v_d = 1 - 1.2/4 = .7, v_I = 0;
    Σ = .1 + .195 + .175 = .47; headline 0; - .1·2 → raw U_U = .27. US range: best
    .05 (s 0) + .3 (τ 20) + .25 (d 3) + .35 + .1 (I 1000) = 1.05; worst -.35 (s 4) + .12
    (τ 50) + .125 (d 1 or 5) + 0 (I 0) = -.105; U_U = (.27 + .105)/1.155 = .324675...
    """
    tables = build_tables(spec)
    sq = tables.grid.status_quo()[None, :]
    b, g = tables.grid.split(sq)
    centrist = np.array([sitting_leader(spec)])
    assert tables.type_names[centrist[0]] == "centrist"
    u_j = tables.japan(centrist, b, g, np.float64(0.6), np.float64(0.1))
    assert u_j[0] == pytest.approx(1.5337 / 1.73875, abs=1e-12)
    assert tables.us(b, g)[0] == pytest.approx(0.375 / 1.155, abs=1e-12)
    assert tables.security_weight[centrist[0]] == pytest.approx(0.25 / 1.73875, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 50))
def test_grid_split_is_numpys_row_major_index_and_join_inverts_it(seed, n):
    """(b, g) of packages are numpy's row-major block indices; join gives the levels back."""
    from conftest import BASELINE
    from negosim.core.grid import OutcomeGrid
    from negosim.scenario import load_scenario

    grid = OutcomeGrid.from_issues(load_scenario(BASELINE).spec.issues)
    rng = np.random.default_rng(seed)
    levels = np.column_stack([rng.integers(0, len(a.values), n) for a in grid.axes])
    b, g = grid.split(levels)
    s, d = levels[:, grid.commitment], levels[:, grid.defense]
    assert np.array_equal(b, np.ravel_multi_index((s, d), grid.block_shape))
    static = tuple(levels[:, i] for i in grid.static_issues)
    assert np.array_equal(g, np.ravel_multi_index(static, grid.static_shape))
    assert np.array_equal(grid.join(b, g), levels)
    assert np.array_equal(grid.static_levels()[g], levels[:, list(grid.static_issues)])
