"""China's month as pure rules (core/china.py), then what follows: the rally and the markets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.china import ChinaView, observe, on_the_water, react, remember, us_indifference
from negosim.core.china_rules import CHINA_RULES, ChinaInputs, TitForTatParameters
from negosim.core.markets import MarketLevels, MarketShocks, move_markets
from negosim.core.observables import ObservableTables
from negosim.core.politics import approval_step
from negosim.core.utility import build_tables, security_terms
from negosim.scenario import load_scenario
from negosim.schema import (
    ApprovalSpec,
    ChinaSpec,
    MarketsSpec,
    ObservablesSpec,
    SecuritySpec,
    SpiralReference,
)

FAST = settings(max_examples=60, deadline=None)
TABLES = build_tables(load_scenario(BASELINE).spec)
GRID = TABLES.grid  # s 0..4 (status quo 2), d 1.0..5.0 by .1 (status quo 1.8)
DEFAULT = ChinaSpec()  # Ind0 .2, ι .1, ω .5, no spiral reference
VIEW = ChinaView.of(DEFAULT, GRID)
B = np.array


def _inputs(spiral, taiwan, previous, n=None):
    n = n or len(previous)
    zero = np.zeros(n)
    return ChinaInputs(
        np.broadcast_to(spiral, n).astype(float),
        zero,
        zero,
        np.broadcast_to(taiwan, n).astype(float),
        np.asarray(previous, dtype=np.int64),
        zero,
        zero,
    )


# --------------------------------------------------------------------------- view and terms


def test_china_view_reference_given_or_status_quo():
    # no reference: the status quo (s 2, d 1.8); scales s ∈ [0, 4], d ∈ [1, 5]
    assert ChinaView(s0=2.0, d0=1.8, s_min=0.0, s_span=4.0, d_min=1.0, d_max=5.0) == VIEW
    given_ = ChinaSpec(spiral_reference=SpiralReference(commitment=3, defense=2.5))
    assert (ChinaView.of(given_, GRID).s0, ChinaView.of(given_, GRID).d0) == (3.0, 2.5)
    half = ChinaSpec(spiral_reference=SpiralReference(commitment=0))
    assert (ChinaView.of(half, GRID).s0, ChinaView.of(half, GRID).d0) == (0.0, 1.8)


def test_us_indifference_capped_at_one():
    # .2 + .1 r: 0 → .2, 3 → .5, 7 → .9, 8 → 1, 20 → 1.0 (capped)
    got = us_indifference(DEFAULT, B([0, 3, 7, 8, 20]))
    np.testing.assert_allclose(got, [0.2, 0.5, 0.9, 1.0, 1.0], atol=1e-15)
    assert got.max() == 1.0


def test_observe_hand_example():
    # s 4, d 3, ρ̂ .1, 1 reversal: κ = 4/4·.9 = .9; Ind = .3;
    # Sp = (4-2)/4 + (3-1.8)/(5-1.8) = .875; cap = .5 + .5·2/4 = .75; De = .675;
    # Op = (1-.9)(1+.3) = .13
    seen = observe(
        VIEW, DEFAULT, B([4.0]), B([3.0]), B([0.1]), B([1]), B([0.4]), B([2]), B([0.5]), B([0.25])
    )
    assert seen.spiral[0] == pytest.approx(0.875, abs=1e-15)
    assert seen.deterrence[0] == pytest.approx(0.675, abs=1e-15)
    assert seen.opportunity[0] == pytest.approx(0.13, abs=1e-15)
    assert (seen.taiwan[0], seen.previous_level[0], seen.detente[0]) == (0.4, 2, 0.5)
    assert seen.signal[0] == 0.25
    # against a spiral reference of (3, 2.5): Sp = (4-3)/4 + (3-2.5)/(5-2.5) = .25 + .2 = .45
    ref = ChinaSpec(spiral_reference=SpiralReference(commitment=3, defense=2.5))
    seen = observe(
        ChinaView.of(ref, GRID), ref, B([4.0]), B([3.0]), B([0.1]), B([1]), *[B([0])] * 4
    )
    assert seen.spiral[0] == pytest.approx(0.45, abs=1e-15)
    assert seen.deterrence[0] == pytest.approx(0.675, abs=1e-15)  # De and Op ignore the reference


@FAST
@given(st.integers(0, GRID.n_state - 1), st.floats(0, 1), st.integers(0, 12))
def test_observe_credibility_is_the_security_terms_kappa(b, belief, reversals):
    s, d = TABLES.s_value[b], GRID.axes[GRID.defense].values[GRID.state_levels()[1][b]]
    kappa = security_terms(
        TABLES.s_fraction[b : b + 1],
        TABLES.d_fraction[b : b + 1],
        TABLES.s_value[b : b + 1],
        np.ones(1),
        B([belief]),
        SecuritySpec(),
        TABLES.entrapment_from,
    ).credibility[0]
    seen = observe(VIEW, DEFAULT, B([s]), B([d]), B([belief]), B([reversals]), *[B([0])] * 4)
    cap = 0.5 + 0.5 * (d - 1.0) / 4.0
    ind = min(1.0, 0.2 + 0.1 * reversals)
    assert seen.deterrence[0] == pytest.approx(kappa * cap, abs=1e-14)
    assert seen.opportunity[0] == pytest.approx((1 - kappa) * (1 + ind), abs=1e-14)


# --------------------------------------------------------------------------- reaction


def test_react_flags_only_a_crossing_from_below():
    rule = CHINA_RULES["tit_for_tat"]
    params = rule.parameters({})
    # tit for tat: previous ± 1, +1 for Taiwan talk ≥ .5; shock level 4
    previous = B([3, 4, 4, 2, 5, 3])
    spiral = B([1.0, 1.0, -1.0, 1.0, -1.0, -1.0])
    taiwan = B([0.0, 0.0, 0.0, 0.5, 0.0, 0.0])
    got = react(rule, params, _inputs(spiral, taiwan, previous), DEFAULT, np.zeros(6), 4)
    # levels 4 (crossed), 5 (already above), 3, 4 (crossed via Taiwan), 4 (from 5), 2
    assert got.level.tolist() == [4, 5, 3, 4, 4, 2]
    assert got.crossed_shock_level.tolist() == [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    np.testing.assert_array_equal(got.expected_level, got.level)  # one-hot rows


def test_react_uses_the_given_parameters():
    rule = CHINA_RULES["tit_for_tat"]
    params = TitForTatParameters(step=2)
    got = react(rule, params, _inputs(1.0, 0.0, [1]), DEFAULT, np.zeros(1), 3)
    assert got.level.tolist() == [3]  # 1 + 2
    assert got.crossed_shock_level.tolist() == [1.0]


def test_react_ordered_logit_expected_level_and_draw():
    """The static ordered logit (no inertia) of the former thresholds, by hand."""
    rule = CHINA_RULES["ordered_logit"]
    static = ChinaSpec(thresholds=[-1.5, 0.5, 1.5, 5.0, 10.0], inertia=[0.0] * 6, skip_penalty=0.0)
    # z = -.3 + 4·.075 = 0: P = .1824255, .4400338, .1951152, .1757326, .0066475, .0000454;
    # cdf .1824, .6225, .8176, .9933, .99995; E = .44003 + 2·.19512 + 3·.17573 + ... = 1.384279
    u = B([0.1, 0.5, 0.7, 0.9, 0.995, 1.0 - 2.0**-53])  # the last: the top uniform
    got = react(rule, rule.parameters({}), _inputs(0.0, 0.075, [0] * 6), static, u, 1)
    np.testing.assert_allclose(got.expected_level, 1.384279, atol=1e-6)
    assert got.level.tolist() == [0, 1, 2, 3, 4, 5]
    assert got.crossed_shock_level.tolist() == [0.0, 1.0, 1.0, 1.0, 1.0, 1.0]


def test_remember_shifts_history_and_counts_months():
    history = B([[1, 2, 3], [0, 0, 5]])
    months = B([[0, 2, 1, 0, 0, 0], [4, 0, 0, 0, 0, 3]])
    new_history, new_months = remember(history, months, B([4, 0]))
    assert new_history.tolist() == [[2, 3, 4], [0, 5, 0]]  # oldest dropped, newest last
    assert new_months.tolist() == [[0, 2, 1, 0, 1, 0], [5, 0, 0, 0, 0, 3]]
    assert months[0, 4] == 0  # the input is not modified


def test_on_the_water_by_level():
    tables = ObservableTables.from_spec(
        ObservablesSpec(
            presence_probability=[0.975] * 6,
            sea_entry_rate=[2.5, 2.5, 5.0, 5.0, 5.0, 5.0],
            airspace_rate=[0.05, 0.05, 0.05, 0.5, 0.5, 0.5],
        )
    )
    level = B([0, 2, 3, 0])
    # presence Binomial(30, .975): cdf(28) = .172, cdf(29) = .532 → u .5 → 29, u .6 → 30
    # sea entries Poisson(2.5) at levels 0-1: cdf(1) = .287, cdf(2) = .544 → u .5 → 2;
    #   Poisson(5) from level 2: cdf(4) = .440, cdf(5) = .616 → u .5 → 5
    # airspace Poisson(.05) at levels 0-2: cdf(0) = .951 → u .95 → 0, u .96 → 1;
    #   Poisson(.5) from level 3: cdf(0) = .607, cdf(1) = .910, cdf(2) = .986 → u .95 → 2
    u = B([0.5, 0.5, 0.6, 0.6])
    got = on_the_water(tables, level, u, B([0.5] * 4), B([0.95, 0.95, 0.95, 0.96]))
    assert got.presence_days.tolist() == [29, 29, 30, 30]
    assert got.sea_entries.tolist() == [2, 5, 5, 2]
    assert got.airspace_violations.tolist() == [0, 0, 2, 1]


# --------------------------------------------------------------------------- rally, markets


def test_approval_step_rally_at_and_above_rally_level():
    z = np.zeros(4)
    # .34 + .01·1[c ≥ 3]: levels 2, 3, 4, 5 → .34, .35, .35, .35
    out = approval_step(np.full(4, 0.34), B([2, 3, 4, 5]), z, z, z, z, ApprovalSpec())
    np.testing.assert_allclose(out, [0.34, 0.35, 0.35, 0.35], atol=1e-15)
    low = approval_step(np.full(4, 0.34), B([0, 1, 2, 3]), z, z, z, z, ApprovalSpec(rally_level=1))
    np.testing.assert_allclose(low, [0.34, 0.35, 0.35, 0.35], atol=1e-15)


def test_move_markets_compounds_and_tracks_drawdown():
    spec = MarketsSpec()
    one = np.ones(2)
    lv = MarketLevels(B([100.0, 90.0]), 100 * one, 150 * one, 100 * one, 100 * one, B([0, 10.0]))

    def month(tariff=0.0, deal=0.0, coercion=0.0, defense=0.0):
        return MarketShocks(tariff * one, deal * one, coercion * one, defense * one)

    # τ +10, d +.5: Nikkei -3 % → 97, 87.3; defense +10 % → 110; USD/JPY -1.6 + 1.75 = +.15 %
    # → 150.225; Asia -1.8 % → 98.2; drawdowns 3 % (peak 100), 12.7 % (peak 100, was 10)
    lv = move_markets(lv, month(tariff=10, defense=0.5), spec)
    np.testing.assert_allclose(lv.nikkei, [97.0, 87.3], rtol=1e-14)
    np.testing.assert_allclose(
        (lv.defense_index, lv.usdjpy, lv.asia), [[110] * 2, [150.225] * 2, [98.2] * 2], rtol=1e-14
    )
    np.testing.assert_allclose(lv.nikkei_max_drawdown, [3.0, 12.7], rtol=1e-12)
    # deal +3.5 %: 97·1.035 = 100.395, a new peak; the worst drawdown stays 3 %
    lv = move_markets(lv, month(deal=1), spec)
    assert (lv.nikkei[0], lv.nikkei_peak[0]) == pytest.approx((100.395, 100.395), rel=1e-14)
    assert lv.nikkei_max_drawdown[0] == pytest.approx(3.0, rel=1e-12)
    # τ +5 then +10: ·.985 → dd 1.5 (max stays 3); ·.97 → dd 100(1 - .985·.97) = 4.455
    lv = move_markets(lv, month(tariff=5), spec)
    assert lv.nikkei_max_drawdown[0] == pytest.approx(3.0, rel=1e-12)
    lv = move_markets(lv, month(tariff=10), spec)
    assert lv.nikkei[0] == pytest.approx(100.395 * 0.985 * 0.97, rel=1e-14)
    assert lv.nikkei_max_drawdown[0] == pytest.approx(4.455, rel=1e-12)
    assert lv.nikkei_peak[0] == pytest.approx(100.395, rel=1e-14)
    # coercion at level 4: Nikkei -.7 %, the yen strengthens 1.6 % (USD/JPY ·.984)
    before = lv
    lv = move_markets(lv, month(coercion=1), spec)
    assert lv.nikkei[0] == pytest.approx(before.nikkei[0] * 0.993, rel=1e-14)
    assert lv.usdjpy[0] == pytest.approx(before.usdjpy[0] * 0.984, rel=1e-14)


@FAST
@given(st.lists(st.floats(-20, 20), min_size=1, max_size=12))
def test_peak_and_drawdown_track_the_path(tariff_moves):
    spec = MarketsSpec()
    one = np.ones(1)
    lv = MarketLevels(100 * one, 100 * one, 150 * one, 100 * one, 100 * one, 0 * one)
    path = [100.0]
    for move in tariff_moves:
        lv = move_markets(lv, MarketShocks(move * one, 0 * one, 0 * one, 0 * one), spec)
        path.append(lv.nikkei[0])
    peaks = np.maximum.accumulate(path)
    assert lv.nikkei_peak[0] == pytest.approx(peaks[-1], rel=1e-12)
    worst = np.max(100 * (1 - np.array(path) / peaks))
    assert lv.nikkei_max_drawdown[0] == pytest.approx(worst, rel=1e-9, abs=1e-12)
