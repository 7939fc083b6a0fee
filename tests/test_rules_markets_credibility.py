"""Markets (core/markets.py, model.md §7) and credibility/reversal (core/credibility.py, §6)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from negosim.core.credibility import reversal_belief, reversal_hazard
from negosim.core.markets import MarketShocks, compound, drawdown, market_returns
from negosim.core.utility import security_terms
from negosim.schema import MarketsSpec, ReversalSpec, SecuritySpec

FAST = settings(max_examples=80, deadline=None)
MARKETS = MarketsSpec()  # -0.3 %/pt, +3.5 deal, -0.7 coercion, +10/step of .5, yen 1.6, 1.75
REVERSAL = ReversalSpec()  # per shortfall .5, per legal shock .3


def _shocks(tariff=0.0, deal=0.0, coercion=0.0, defense=0.0) -> MarketShocks:
    def col(x):
        return np.atleast_1d(np.asarray(x, dtype=np.float64))

    return MarketShocks(col(tariff), col(deal), col(coercion), col(defense))


# --------------------------------------------------------------------------- markets


def test_tariff_shock():
    # +10 points: Nikkei -.3·10 = -3; yen strengthens 1.6 (USD/JPY -1.6); Asia .6·-3 = -1.8
    r = market_returns(_shocks(tariff=10.0), MARKETS)
    assert r.nikkei[0] == pytest.approx(-3.0, abs=1e-12)
    assert r.usdjpy[0] == pytest.approx(-1.6, abs=1e-12)
    assert r.asia[0] == pytest.approx(-1.8, abs=1e-12)
    assert r.defense_index[0] == 0.0


def test_tariff_cut_lifts_equities_without_yen_shock():
    # -5 points: Nikkei +1.5; a cut is no shock for the yen (only increases count)
    r = market_returns(_shocks(tariff=-5.0), MARKETS)
    assert r.nikkei[0] == pytest.approx(1.5, abs=1e-12)
    assert r.usdjpy[0] == 0.0


def test_deal_and_coercion():
    # deal: +3.5, Asia 2.1; coercion at level 4: Nikkei -.7, USD/JPY -1.6
    deal = market_returns(_shocks(deal=1.0), MARKETS)
    assert (deal.nikkei[0], deal.asia[0]) == pytest.approx((3.5, 2.1), abs=1e-12)
    assert deal.usdjpy[0] == 0.0
    coerce = market_returns(_shocks(coercion=1.0), MARKETS)
    assert coerce.nikkei[0] == pytest.approx(-0.7, abs=1e-12)
    assert coerce.usdjpy[0] == pytest.approx(-1.6, abs=1e-12)
    # tariff and coercion shocks together: yen 2·1.6 = 3.2; Nikkei -.3·2.5 - .7 = -1.45
    both = market_returns(_shocks(tariff=2.5, coercion=1.0), MARKETS)
    assert both.usdjpy[0] == pytest.approx(-3.2, abs=1e-12)
    assert both.nikkei[0] == pytest.approx(-1.45, abs=1e-12)


def test_defense_budget_steps():
    # +1.0 % of GDP = 2 steps of .5: defense index +20; yen weakens 2·1.75 = +3.5 USD/JPY
    up = market_returns(_shocks(defense=1.0), MARKETS)
    assert up.defense_index[0] == pytest.approx(20.0, abs=1e-12)
    assert up.usdjpy[0] == pytest.approx(3.5, abs=1e-12)
    assert up.nikkei[0] == 0.0
    # a cut of .5: defense index -10, no fiscal-expansion effect on the yen
    down = market_returns(_shocks(defense=-0.5), MARKETS)
    assert down.defense_index[0] == pytest.approx(-10.0, abs=1e-12)
    assert down.usdjpy[0] == 0.0


def test_market_returns_vectorised():
    r = market_returns(_shocks(tariff=[0.0, 10.0], deal=[1.0, 0.0]), MARKETS)
    np.testing.assert_allclose(r.nikkei, [3.5, -3.0], atol=1e-12)


def test_compound_and_drawdown():
    # 100 · (1 + 3.5/100) = 103.5; 38787 · (1 - 3/100) = 37623.39
    np.testing.assert_allclose(
        compound(np.array([100.0, 38787.0]), np.array([3.5, -3.0])), [103.5, 37623.39], atol=1e-9
    )
    # 100 (1 - 90/100) = 10 %; at the peak 0 %
    np.testing.assert_allclose(
        drawdown(np.array([90.0, 120.0]), np.array([100.0, 120.0])), [10.0, 0.0], atol=1e-12
    )


# --------------------------------------------------------------------------- reversal hazard


def test_reversal_hazard_hand_values():
    base = 0.08
    shortfall = np.array([0.1, -0.2, 0.0, 0.1])
    legal = np.array([0.0, 0.0, 1.0, 1.0])
    # .08 + .5·.1 = .13; negative shortfall ignored → .08; .08 + .3 = .38; .08 + .05 + .3 = .43
    np.testing.assert_allclose(
        reversal_hazard(base, shortfall, legal, REVERSAL), [0.13, 0.08, 0.38, 0.43], atol=1e-15
    )


def test_reversal_hazard_clipped_to_unit_interval():
    # .9 + .5·.5 + .3 = 1.45 → 1; 0 + 0 - .3 (a negative shock) → 0
    assert reversal_hazard(0.9, np.array([0.5]), np.array([1.0]), REVERSAL)[0] == 1.0
    assert reversal_hazard(0.0, np.array([-1.0]), np.array([-1.0]), REVERSAL)[0] == 0.0


@FAST
@given(
    base=st.floats(0, 1),
    shortfall=st.floats(-2, 2),
    legal=st.floats(0, 1),
    extra=st.floats(0, 1),
)
def test_reversal_hazard_in_unit_interval_and_monotone(base, shortfall, legal, extra):
    h = reversal_hazard(
        base, np.array([shortfall, shortfall + extra]), np.array([legal] * 2), REVERSAL
    )
    assert np.all((h >= 0) & (h <= 1))
    assert h[1] >= h[0]


# --------------------------------------------------------------------------- belief


def test_reversal_belief_prior_and_updates():
    # no observations: prior mean 1/10; 2 reversals in 10 months: 3/20 = .15;
    # 0 reversals in 30 months: 1/40 = .025
    got = reversal_belief(np.array([0, 2, 0]), np.array([0, 10, 30]))
    np.testing.assert_allclose(got, [0.1, 0.15, 0.025], atol=1e-15)


@FAST
@given(n=st.integers(0, 200), data=st.data())
def test_reversal_belief_is_beta_1_9_posterior_mean(n, data):
    r = data.draw(st.integers(0, n))
    # Beta(1, 9) prior, r reversals in n Bernoulli months → Beta(1 + r, 9 + n - r)
    want = stats.beta(1 + r, 9 + n - r).mean()
    assert reversal_belief(np.array([r]), np.array([n]))[0] == pytest.approx(want, rel=1e-12)


def test_belief_lowers_credibility_at_full_commitment():
    # κ = (s/4)(1 - ρ̂); at s = 4, κ = 1 - ρ̂: ρ̂ = .15 → κ = .85
    rho = reversal_belief(np.array([2]), np.array([10]))
    sec = security_terms(
        np.array([1.0]), np.array([0.5]), np.array([4.0]), np.float64(0.6), rho, SecuritySpec(), 3.0
    )
    assert sec.credibility[0] == pytest.approx(0.85, abs=1e-15)
