"""Concession curves (core/concession.py) and the protocol's rules (core/protocol.py).

Faratin, Sierra & Jennings (1998): f(t) = k + (1-k) t^(1/e), p(t) = r + (U_max - r)(1 - f(t));
docs/model.md §4 for the alternation, the acceptance rule and the binding reasons.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.core.concession import (
    CONCESSION_STYLES,
    ConcessionHistory,
    exponential_decision,
    polynomial_decision,
)
from negosim.core.disagreement import discounted_surplus, no_deal_value, threat_exposure
from negosim.core.protocol import (
    Reason,
    classify_response,
    proposer_of,
    time_fraction,
)

FAST = settings(max_examples=100, deadline=None)
POLY = CONCESSION_STYLES["polynomial"]
EXPO = CONCESSION_STYLES["exponential"]


# --------------------------------------------------------------------------- decision functions


@pytest.mark.parametrize("e", [0.05, 0.3, 1.0, 1.5, 5.0])
@pytest.mark.parametrize("k", [0.0, 0.05, 0.5])
def test_polynomial_endpoints(e, k):
    assert float(polynomial_decision(0.0, e, k)) == pytest.approx(k, abs=1e-15)  # f(0) = k
    assert float(polynomial_decision(1.0, e, k)) == pytest.approx(1.0, abs=1e-15)  # f(1) = 1


@pytest.mark.parametrize("e", [0.3, 1.0, 1.5])
def test_exponential_endpoints(e):
    # f(t) = exp((1-t)^e ln k): t = 0 → exp(ln k) = k; t = 1 → exp(0) = 1
    assert float(exponential_decision(0.0, e, 0.05)) == pytest.approx(0.05, abs=1e-15)
    assert float(exponential_decision(1.0, e, 0.05)) == 1.0


def test_polynomial_hand_values():
    # k .05: e 1, t .5 → .05 + .95·.5 = .525; e .5, t .5 → .05 + .95·.25 = .2875;
    # e 2, t .25 → .05 + .95·.5 = .525
    got = [
        float(polynomial_decision(0.5, 1.0, 0.05)),
        float(polynomial_decision(0.5, 0.5, 0.05)),
        float(polynomial_decision(0.25, 2.0, 0.05)),
    ]
    np.testing.assert_allclose(got, [0.525, 0.2875, 0.525], atol=1e-15)


def test_exponential_hand_values():
    # e 1, k .05, t .5 → exp(.5 ln .05) = sqrt(.05) = .2236068; e 2, t .5 → .05^.25 = .4728708
    assert float(exponential_decision(0.5, 1.0, 0.05)) == pytest.approx(math.sqrt(0.05), rel=1e-14)
    assert float(exponential_decision(0.5, 2.0, 0.05)) == pytest.approx(0.05**0.25, rel=1e-14)


def test_time_is_clipped_to_unit_interval():
    assert float(polynomial_decision(-0.5, 0.3, 0.05)) == pytest.approx(0.05)
    assert float(polynomial_decision(1.7, 0.3, 0.05)) == 1.0
    assert float(exponential_decision(-1.0, 1.0, 0.05)) == pytest.approx(0.05)
    assert float(exponential_decision(2.0, 1.0, 0.05)) == 1.0


# --------------------------------------------------------------------------- targets


TIME_STYLES = [n for n in CONCESSION_STYLES.names() if CONCESSION_STYLES[n].tactic == "time"]
BEHAVIOUR_STYLES = [
    n for n in CONCESSION_STYLES.names() if CONCESSION_STYLES[n].tactic == "behaviour"
]


@pytest.mark.parametrize("style", TIME_STYLES)
def test_target_endpoints_every_time_style(style):
    s = CONCESSION_STYLES[style]
    e = s.default_e
    # r .5, U_max 1, k .05: p(0) = U_max - k(U_max - r) = 1 - .05·.5 = .975; p(1) = r = .5
    assert float(s.target(0.0, 0.5, 1.0, {"e": e, "k": 0.05})) == pytest.approx(0.975, abs=1e-14)
    assert float(s.target(1.0, 0.5, 1.0, {"e": e, "k": 0.05})) == pytest.approx(0.5, abs=1e-14)


def _tft(style, previous, received, r=0.5, best=1.0, k=0.05, window=None):
    s = CONCESSION_STYLES[style]
    params = s.parameters().model_dump() | {"k": k}
    if window is not None:
        params["window"] = window
    history = ConcessionHistory(np.array([previous]), np.array([received], dtype=float))
    return float(s.target(0.5, np.array([r]), np.array([best]), params, history)[0])


NAN = float("nan")


@pytest.mark.parametrize("style", BEHAVIOUR_STYLES)
def test_behaviour_styles_open_at_k_and_hold_without_a_new_offer(style):
    # r .5, U_max 1, k .05: the opening target .5 + .5·.95 = .975, at any time
    assert _tft(style, NAN, [NAN] * 4) == pytest.approx(0.975, abs=1e-14)
    assert _tft(style, NAN, [0.1, 0.2, 0.3, 0.4]) == pytest.approx(0.975, abs=1e-14)
    # one offer seen, nothing to compare it with: the side holds its previous target .9
    assert _tft(style, 0.9, [NAN, NAN, NAN, 0.3]) == pytest.approx(0.9, abs=1e-14)
    # the other side retracted (.4 → .3): no concession, and never back up
    assert _tft(style, 0.9, [NAN, NAN, 0.4, 0.3]) == pytest.approx(0.9, abs=1e-14)


def test_absolute_tit_for_tat_hand_values():
    # p_t = p_{t-1} - max(0, u_last - u_before): .9 - (.45 - .3) = .75
    assert _tft("absolute_tit_for_tat", 0.9, [NAN, NAN, 0.3, 0.45]) == pytest.approx(0.75)
    # a concession of .6 would take it to .3 < r .5: it stops at the reservation
    assert _tft("absolute_tit_for_tat", 0.9, [NAN, NAN, 0.2, 0.8]) == pytest.approx(0.5)


def test_relative_tit_for_tat_hand_values():
    # gaps to U_max 1: 1 - .3 = .7 before, 1 - .65 = .35 now → ratio .5:
    # p = .5 + (.9 - .5)·.5 = .7
    assert _tft("relative_tit_for_tat", 0.9, [NAN, NAN, 0.3, 0.65]) == pytest.approx(0.7)
    # the other's offer closes the whole gap: the side concedes to its reservation
    assert _tft("relative_tit_for_tat", 0.9, [NAN, NAN, 0.3, 1.0]) == pytest.approx(0.5)


def test_averaged_tit_for_tat_looks_window_offers_back():
    # default window 2: gaps 1 - .2 = .8 (two offers back) and 1 - .6 = .4 → ratio .5:
    # p = .5 + .4·.5 = .7; the offer in between (.9) does not matter
    assert CONCESSION_STYLES["averaged_tit_for_tat"].parameters().window == 2
    got = _tft("averaged_tit_for_tat", 0.9, [NAN, 0.2, 0.9, 0.6])
    assert got == pytest.approx(0.7)
    # window 1 is relative tit-for-tat: gaps .1 → .4 is a retraction, it holds .9
    assert _tft("averaged_tit_for_tat", 0.9, [NAN, 0.2, 0.9, 0.6], window=1) == pytest.approx(0.9)
    # with fewer offers than the window it holds
    assert _tft("averaged_tit_for_tat", 0.9, [NAN, NAN, 0.2, 0.6]) == pytest.approx(0.9)


def test_target_hand_value_linear():
    # e 1, t .5: f = .525 → p = .5 + .5·(1 - .525) = .7375
    assert float(POLY.target(0.5, 0.5, 1.0, {"e": 1.0, "k": 0.05})) == pytest.approx(
        0.7375, abs=1e-15
    )
    # boulware e .5, t .5: f = .2875 → p = .5 + .5·.7125 = .85625
    assert float(POLY.target(0.5, 0.5, 1.0, {"e": 0.5, "k": 0.05})) == pytest.approx(
        0.85625, abs=1e-15
    )


def test_target_vectorised_per_replicate():
    # two replicates, different r, U_max, e at t = .5 (k .05):
    # (r .2, U 1, e 1): .2 + .8·.475 = .58; (r .6, U .9, e .5): .6 + .3·.7125 = .81375
    got = POLY.target(
        0.5, np.array([0.2, 0.6]), np.array([1.0, 0.9]), {"e": np.array([1.0, 0.5]), "k": 0.05}
    )
    np.testing.assert_allclose(got, [0.58, 0.81375], atol=1e-15)


@FAST
@given(
    t=st.floats(0.001, 0.999),
    e_b=st.floats(0.05, 0.99),
    e_c=st.floats(1.01, 10.0),
    r=st.floats(-0.5, 0.9),
    gap=st.floats(0.01, 1.0),
    k=st.floats(0.0, 0.9),
)
def test_boulware_target_at_least_conceder_target(t, e_b, e_c, r, gap, k):
    best = r + gap
    boulware = float(POLY.target(t, r, best, {"e": e_b, "k": k}))
    conceder = float(POLY.target(t, r, best, {"e": e_c, "k": k}))
    assert boulware >= conceder - 1e-12
    assert r - 1e-12 <= conceder <= best + 1e-12
    assert r - 1e-12 <= boulware <= best + 1e-12


@FAST
@given(t1=st.floats(0, 1), t2=st.floats(0, 1), e=st.floats(0.05, 10), k=st.floats(0, 1))
def test_target_non_increasing_in_time(t1, t2, e, k):
    lo, hi = sorted((t1, t2))
    for style in (POLY, EXPO):
        assert (
            float(style.target(hi, 0.4, 1.0, {"e": e, "k": k}))
            <= float(style.target(lo, 0.4, 1.0, {"e": e, "k": k})) + 1e-12
        )


def test_named_styles_are_tough_or_soft_as_described():
    assert CONCESSION_STYLES["boulware"].default_e < 1 < CONCESSION_STYLES["conceder"].default_e
    assert CONCESSION_STYLES["boulware"].default_e == 0.3  # MODEL: US e .3
    assert CONCESSION_STYLES["conceder"].default_e == 1.5  # MODEL: Japan e 1.5
    assert CONCESSION_STYLES["linear"].default_e == 1.0
    # hardliner at t = .9: f = .05 + .95·.9^20 = .05 + .95·.1215767 = .1654979
    hard = CONCESSION_STYLES["hardliner"]
    assert float(hard.decision(0.9, hard.default_e, 0.05)) == pytest.approx(0.1654979, abs=1e-7)


# --------------------------------------------------------------------------- protocol


def test_proposer_alternation_us_first():
    got = [proposer_of(r, "us") for r in range(1, 7)]
    assert got == ["us", "japan", "us", "japan", "us", "japan"]
    assert [proposer_of(r, "japan") for r in range(1, 5)] == ["japan", "us", "japan", "us"]


def test_time_fraction():
    # (round - 1)/(deadline - 1): round 1 → 0; round 12 of 12 → 1; round 4 → 3/11
    assert time_fraction(1, 12) == 0.0
    assert time_fraction(12, 12) == 1.0
    assert time_fraction(4, 12) == pytest.approx(3 / 11, abs=1e-15)
    assert time_fraction(20, 12) == 1.0  # past the deadline
    assert time_fraction(0, 12) == 0.0
    assert time_fraction(1, 1) == 1.0  # a one-round negotiation is at its deadline


def test_classify_response_reasons():
    utility = np.array([0.90, 0.70, 0.40, 0.90, 0.80, 0.60, 0.55])
    target = np.array([0.80, 0.80, 0.80, 0.80, 0.80, 0.50, 0.80])
    reserve = np.array([0.50, 0.50, 0.50, 0.50, 0.50, 0.65, 0.60])
    has_offer = np.array([True, True, True, False, True, True, True])
    got = classify_response(utility, target, reserve, has_offer).tolist()
    assert got == [
        Reason.ACCEPTED,  # .9 ≥ max(.8, .5)
        Reason.BELOW_TARGET,  # .5 ≤ .7 < .8
        Reason.BELOW_RESERVATION,  # .4 < .5 (also below target: reservation takes precedence)
        Reason.NO_OFFER,  # nothing proposed
        Reason.ACCEPTED,  # exactly at target
        Reason.BELOW_RESERVATION,  # above target .5 but under reservation .65
        Reason.BELOW_RESERVATION,  # .55 below both .8 and .6
    ]


def test_reason_labels_exist():
    assert {r.label for r in Reason} and all(isinstance(r.label, str) and r.label for r in Reason)
    assert "ratification" in Reason.FAILED_RATIFICATION.label


def test_threat_exposure_is_the_discounted_weight_of_the_threatened_months():
    # Q = δp/(1 - δ(1 - p)) against the series Σ (1-δ) δ^m (1 - (1-p)^m)
    for delta, p in ((0.95, 0.15), (0.5, 0.9), (0.99, 0.01)):
        series = sum((1 - delta) * delta**m * (1 - (1 - p) ** m) for m in range(5000))
        assert threat_exposure(delta, p) == pytest.approx(series, abs=1e-9)
    assert threat_exposure(0.95, 0.0) == 0.0
    assert threat_exposure(0.0, 0.5) == 0.0


@given(
    now=st.floats(0, 1),
    threatened=st.floats(0, 1),
    q=st.floats(0, 1),
    floor=st.none() | st.floats(0, 1),
)
def test_no_deal_value_lies_between_today_and_the_threat_and_above_the_floor(
    now, threatened, q, floor
):
    value = no_deal_value(
        np.array([now, now]), np.array([threatened, threatened]), np.array([True, False]), q, floor
    )
    low, high = min(now, threatened), max(now, threatened)
    if floor is None:
        assert low - 1e-12 <= value[0] <= high + 1e-12
        assert value[1] == now
    else:
        assert (value >= floor).all()


def test_discounted_surplus_shrinks_by_delta_each_round():
    share = discounted_surplus(np.array([1.0, 0.5]), 0.9, 3)
    np.testing.assert_allclose(share, [0.81, 0.405])
    assert discounted_surplus(np.array([0.7]), 0.9, 1)[0] == 0.7


def test_planning_horizons_are_uniform_whole_months_around_the_deadline():
    from negosim.core.protocol import planning_horizons

    u = (np.arange(9) + 0.5) / 9  # one draw in the middle of each of the 9 months
    got = planning_horizons(12, 4, u)
    assert got.min() == 8 and got.max() == 16  # 9 equal bins over 8..16
    assert sorted(set(got.tolist())) == list(range(8, 17))
    assert (planning_horizons(12, 0, u) == 12).all()
    assert planning_horizons(3, 5, np.array([0.0]))[0] == 2  # never below 2 months


@given(round_index=st.integers(1, 40), horizon=st.integers(1, 30))
def test_time_fractions_agree_with_the_scalar_time_fraction(round_index, horizon):
    from negosim.core.protocol import time_fractions

    got = time_fractions(round_index, np.array([horizon]))[0]
    assert got == pytest.approx(time_fraction(round_index, horizon))
