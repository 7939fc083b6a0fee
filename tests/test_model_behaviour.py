"""Behaviour that follows from the theories the model encodes, checked over many replicates.

Each check compares two parameter points run on the same seeds (common random numbers) over
thousands of replicates and asserts a difference far outside sampling noise: a Welch z
statistic above Z_MIN (one-sided p < 3e-5) *and* a minimum effect size, so a test can neither
pass on noise nor on a substantively empty difference. Standard errors treat the two runs as
independent; with common random numbers that is conservative.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json

import numpy as np
import pytest

from conftest import baseline_data
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import apply_overrides, scenario_from_mapping

BASE_DATA = baseline_data()
ROUNDS = 12
N = 4000
Z_MIN = 4.0


@functools.cache
def _simulate(key: str, n: int, first_seed: int):
    overrides = json.loads(key)
    sc = scenario_from_mapping(apply_overrides(copy.deepcopy(BASE_DATA), overrides))
    model = NegotiationModel(sc, seeds=range(first_seed, first_seed + n), rounds=ROUNDS).run()
    return round_table(model), summarize(model)


def simulate(overrides: dict[str, object] | None = None, n: int = N, first_seed: int = 1):
    """(round table, summary) of n replicates; cached so tests can share parameter points."""
    return _simulate(json.dumps(overrides or {}, sort_keys=True), n, first_seed)


def per_round(table: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A round-table column as a (replicates, rounds) matrix."""
    return table[name].reshape(-1, ROUNDS)


def welch_z(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean difference a - b and its z statistic (Welch's unequal-variance standard error)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diff = a.mean() - b.mean()
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return float(diff), float(diff / se) if se > 0 else (np.inf if diff > 0 else -np.inf)


def assert_greater(a: np.ndarray, b: np.ndarray, min_effect: float, what: str) -> None:
    diff, z = welch_z(a, b)
    assert diff >= min_effect and z >= Z_MIN, (
        f"{what}: difference {diff:.4g} (z = {z:.1f}); "
        f"expected ≥ {min_effect:g} with z ≥ {Z_MIN:g}; means {np.mean(a):.4g} vs {np.mean(b):.4g}"
    )


def ratio_z(num_a, den_a, num_b, den_b) -> tuple[float, float, float, float]:
    """Two ratios of sums (e.g. ratified / accepted) with replicate-clustered standard errors.

    Several accepted packages can come from one replicate, so rows are not independent; the
    delta-method (linearisation) variance of a ratio estimator over replicates is used:
    Var(R) ≈ Σ (num_i - R den_i)² / (Σ den_i)².
    """

    def ratio(num, den):
        num, den = np.asarray(num, float), np.asarray(den, float)
        r = num.sum() / den.sum()
        return r, np.sum((num - r * den) ** 2) / den.sum() ** 2

    ra, va = ratio(num_a, den_a)
    rb, vb = ratio(num_b, den_b)
    return ra, rb, ra - rb, (ra - rb) / np.sqrt(va + vb)


# --- two-level game (Putnam 1988) ---------------------------------------------------------

LOW, HIGH = 0.25, 0.45
#: The July election ends with a new leader at a honeymoon approval (0.47, decaying) more
#: often when approval starts low, which would confound "low approval" with "a later, more
#: popular leader". Holding the leader isolates the win-set mechanism.
HOLD_LEADER = {"politics.election.replacement_probability": 0.0}
#: Approval recorded at the end of round 1, after one month of partial adjustment towards
#: A* (docs/model.md §3): A_1 = A* + (1 - α)(A_0 - A*), noise aside.
ALPHA = BASE_DATA["politics"]["approval"]["adjustment"]
A_STAR = BASE_DATA["politics"]["approval"]["equilibrium"]


def after_one_month(a0: float) -> float:
    return A_STAR + (1 - ALPHA) * (a0 - A_STAR)


@pytest.mark.slow
def test_lower_approval_shrinks_the_win_set():
    low_table, _ = simulate({"politics.approval.initial": LOW})
    high_table, _ = simulate({"politics.approval.initial": HIGH})
    low, high = per_round(low_table, "win_set")[:, 0], per_round(high_table, "win_set")[:, 0]
    assert_greater(high, low, 0.2, "round-1 win-set, approval 0.45 vs 0.25")
    # K = K0 (A/0.35)^1.5 (1 + 0.5 M), with A after round 1's adjustment: the ratio of the
    # radii is about (A_1(0.45)/A_1(0.25))^1.5 (= (0.428/0.268)^1.5 ≈ 2.0).
    ratio = (after_one_month(HIGH) / after_one_month(LOW)) ** 1.5
    assert np.mean(high) / np.mean(low) == pytest.approx(ratio, rel=0.1)


@pytest.mark.slow
def test_same_package_is_less_likely_to_be_ratified_with_lower_approval():
    """Round 1: the US offers the same package whatever Japan's approval; the Diet's
    ratification probability of it must be lower for the less popular leader."""
    low_table, _ = simulate({"politics.approval.initial": LOW})
    high_table, _ = simulate({"politics.approval.initial": HIGH})
    offer_columns = [c for c in low_table if c.startswith("offer_")]
    for name in offer_columns:
        np.testing.assert_array_equal(
            per_round(low_table, name)[:, 0], per_round(high_table, name)[:, 0], err_msg=name
        )
    p_low = per_round(low_table, "ratification_probability")[:, 0]
    p_high = per_round(high_table, "ratification_probability")[:, 0]
    offered = ~np.isnan(p_low)
    assert offered.mean() > 0.9
    assert np.all(p_low[offered] <= p_high[offered])
    assert np.mean(p_low[offered] < p_high[offered]) > 0.99


@pytest.mark.slow
def test_lower_approval_lowers_the_ratification_rate():
    """Share of accepted packages that the Diet ratifies, leader held (see HOLD_LEADER).

    Measured with each side on its own planning horizon: 0.767 vs 0.791 at 4,000 runs (z
    -3.1), so this test runs 8,000: a smaller win-set means more votes lost near its edge.
    """
    low_table, _ = simulate({"politics.approval.initial": LOW, **HOLD_LEADER}, n=2 * N)
    high_table, _ = simulate({"politics.approval.initial": HIGH, **HOLD_LEADER}, n=2 * N)
    r_low, r_high, diff, z = ratio_z(
        per_round(low_table, "ratified").sum(1),
        per_round(low_table, "accepted").sum(1),
        per_round(high_table, "ratified").sum(1),
        per_round(high_table, "accepted").sum(1),
    )
    assert diff < -0.02 and z < -Z_MIN, f"ratification rate {r_low:.3f} vs {r_high:.3f} (z {z:.1f})"
    # Failed votes per replicate are not the test: they also count how many votes there are,
    # and a weak leader puts fewer packages to the Diet (0.305 vs 0.277 a run, z 3.1).


@pytest.mark.slow
def test_with_the_election_low_approval_brings_a_new_leader():
    """Low approval in February still loses the July majority more often, though approval
    reverts towards A* by then (docs/model.md §3: 0.25 → 0.31, 0.45 → 0.38 by round 6), and
    a loss brings a new leader (with a honeymoon that decays). Measured: majority lost 0.55
    vs 0.19, leader replaced 0.39 vs 0.14 (4,000 runs each)."""
    _, low = simulate({"politics.approval.initial": LOW})
    _, high = simulate({"politics.approval.initial": HIGH})
    assert_greater(low["majority_lost"], high["majority_lost"], 0.25, "majority lost")
    assert_greater(low["leader_replaced"], high["leader_replaced"], 0.15, "leader replaced")


@pytest.mark.slow
def test_japan_does_not_accept_what_the_diet_will_reject():
    """Over Japan's acceptances of US offers in the baseline: the US learns the win-set from
    Japan's refusals (core/learning.py), so its offers come inside it and Japan accepts some
    (measured: 736 in 4,000 runs, none with P_rat < 0.05)."""
    table, _ = simulate()
    japan_accepts = table["accepted"] & (table["proposer"] == 0)
    assert japan_accepts.sum() > 100
    doomed = japan_accepts & (table["ratification_probability"] < 0.05)
    share = doomed.sum() / japan_accepts.sum()
    assert share < 0.1, f"{share:.1%} of Japan's acceptances had P_rat < 0.05"


# --- deterrence versus spiral (Jervis 1976) -------------------------------------------------


def coercion_response(omega: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-replicate mean coercion with the commitment in force at level 2 and at level 4."""
    out = []
    for status_quo in (2.0, 4.0):
        table, _ = simulate(
            {"china.omega": omega, "issues.security_commitment.status_quo": status_quo}
        )
        out.append(per_round(table, "coercion_level").mean(axis=1))
    return out[0], out[1]


def response_and_se(omega: float) -> tuple[float, float]:
    at_2, at_4 = coercion_response(omega)
    delta = at_4.mean() - at_2.mean()
    se = np.sqrt(at_4.var(ddof=1) / at_4.size + at_2.var(ddof=1) / at_2.size)
    return float(delta), float(se)


@pytest.mark.slow
def test_raising_omega_raises_chinas_response_to_a_firmer_commitment():
    spiral, spiral_se = response_and_se(0.9)
    deterrence, deterrence_se = response_and_se(0.1)
    diff = spiral - deterrence
    z = diff / np.hypot(spiral_se, deterrence_se)
    assert diff > 0.3 and z > Z_MIN, (
        f"response to commitment 4 vs 2: ω 0.9 {spiral:+.3f}, ω 0.1 {deterrence:+.3f} (z {z:.1f})"
    )


@pytest.mark.slow
def test_under_deterrence_a_firmer_commitment_deters():
    at_2, at_4 = coercion_response(0.1)
    assert_greater(at_2, at_4, 0.2, "ω 0.1: coercion at commitment 2 minus at 4")


@pytest.mark.slow
def test_under_spiral_a_firmer_commitment_provokes():
    at_2, at_4 = coercion_response(0.9)
    assert_greater(at_4, at_2, 0.05, "ω 0.9: coercion at commitment 4 minus at 2")


# --- concession styles (Faratin, Sierra & Jennings 1998) -------------------------------------


def first_deal_rounds(style: str) -> np.ndarray:
    _, summary = simulate({"agents.us.concession.style": style})
    rounds = summary["first_deal_round"]
    return rounds[rounds >= 0]


@pytest.mark.slow
def test_boulware_us_reaches_later_deals_than_conceder_us():
    boulware, conceder = first_deal_rounds("boulware"), first_deal_rounds("conceder")
    assert boulware.size > N // 4 and conceder.size > N // 4
    assert_greater(boulware, conceder, 1.0, "first-deal round, boulware vs conceder US")
    assert np.median(boulware) > np.median(conceder)
    # Share of deals struck by round 6, half the planning horizon. Measured (4,000 runs):
    # conceder 0.82, boulware 0 (its first deals come in round 8; without a walk-away
    # deadline deals no longer pile up in rounds 11-12, so by round 10 both have ~0.9-1).
    early_b, early_c = (boulware <= 6).astype(float), (conceder <= 6).astype(float)
    assert_greater(early_c, early_b, 0.3, "share of deals by round 6, conceder vs boulware")


@pytest.mark.slow
def test_tougher_us_styles_deal_later_in_order():
    """hardliner (e 0.05) ≥ boulware (0.3) ≥ linear (1) ≥ conceder (1.5), in mean deal round."""
    order = ["hardliner", "boulware", "linear", "conceder"]
    rounds = {style: first_deal_rounds(style) for style in order}
    # No walk-away deadline caps the toughest styles any more (measured means 10.8, 8.9,
    # 6.5, 5.9 over 4,000 runs each).
    for tough, soft in itertools.pairwise(order):
        assert_greater(rounds[tough], rounds[soft], 0.1, f"first-deal round, {tough} vs {soft}")


# --- US tariff threats ----------------------------------------------------------------------


def pre_deal_tariff(probability: float) -> np.ndarray:
    """Per replicate, the mean tariff in force in the months before any deal took effect."""
    table, summary = simulate({"agents.us.tariff_threat.probability": probability})
    tariff = per_round(table, "in_force_tariff")
    first = summary["first_deal_round"]
    horizon = np.where(first >= 0, first, ROUNDS)  # through the month the deal was struck
    before = np.arange(1, ROUNDS + 1)[None, :] <= horizon[:, None]
    return (tariff * before).sum(axis=1) / before.sum(axis=1)


@pytest.mark.slow
def test_higher_threat_probability_raises_the_pre_deal_tariff():
    low, mid, high = pre_deal_tariff(0.05), pre_deal_tariff(0.15), pre_deal_tariff(0.5)
    assert_greater(mid, low, 2.0, "pre-deal tariff, letter probability 0.15 vs 0.05")
    assert_greater(high, mid, 2.0, "pre-deal tariff, letter probability 0.5 vs 0.15")


def pre_deal_tariff_from(table: dict[str, np.ndarray]) -> np.ndarray:
    ever = np.cumsum(per_round(table, "deal_entered"), axis=1) > 0
    return per_round(table, "in_force_tariff")[~ever]


@pytest.mark.slow
def test_no_threat_no_tariff_rise_before_a_deal():
    status_quo = float(BASE_DATA["issues"]["tariff"]["status_quo"])
    table, _ = simulate({"agents.us.tariff_threat.probability": 0.0}, n=1000)
    assert not table["tariff_letter"].any()
    assert np.all(pre_deal_tariff_from(table) == status_quo)


# --- reversal and credibility (model.md §6) ----------------------------------------------------


@pytest.mark.slow
def test_higher_reversal_hazard_more_reversals_and_higher_belief():
    """In the baseline, whose Boulware US deals from round 8 on, so deals are in force for a
    few months (measured: reversals 0.17 vs 0.62 per run, final ρ̂ 0.094 vs 0.128)."""

    def run(hazard: float):
        table, summary = simulate(
            {
                "agents.us.reversal_hazard.trade": hazard,
                "agents.us.reversal_hazard.security": hazard / 10,
            }
        )
        reversals = summary["reversals_trade"] + summary["reversals_security"]
        return reversals, per_round(table, "reversal_belief")[:, -1]

    rev_low, belief_low = run(0.02)
    rev_high, belief_high = run(0.3)
    assert_greater(rev_high, rev_low, 0.02, "reversals per run, hazard 0.3 vs 0.02")
    assert_greater(belief_high, belief_low, 0.002, "final ρ̂, hazard 0.3 vs 0.02")


@pytest.mark.slow
def test_a_legal_shock_raises_reversals():
    """In round 11, when most of a conceding US's deals are in force (its first deals come in
    rounds 5 and 6; each enters into force the month after)."""
    shock = [{"round": 11, "kind": "legal_shock", "value": 1.0}]
    base = {"agents.us.concession.style": "conceder"}
    _, calm = simulate(base)
    _, shocked = simulate({**base, "events": shock})
    count = lambda s: s["reversals_trade"] + s["reversals_security"]  # noqa: E731
    assert_greater(count(shocked), count(calm), 0.1, "reversals with a legal shock vs without")


# --- China's reaction switched off or provoked ----------------------------------------------


def test_passive_china_never_coerces():
    table, summary = simulate({"china.rule": "passive"}, n=1000)
    assert np.all(table["coercion_level"] == 0)
    assert np.all(summary["china_max_level"] == 0)
    assert np.all(summary["months_at_level_0"] == ROUNDS)
    # The remembered level of February (1) leaves China's recent mean within `memory` months.
    memory = BASE_DATA["china"]["memory"]
    assert np.all(per_round(table, "mean_coercion")[:, memory - 1 :] == 0)


@pytest.mark.slow
def test_a_taiwan_statement_provokes_china():
    statement = [{"round": 3, "kind": "taiwan_statement", "value": 1.0}]
    quiet_table, _ = simulate()
    loud_table, _ = simulate({"events": statement})
    quiet, loud = per_round(quiet_table, "coercion_level"), per_round(loud_table, "coercion_level")
    np.testing.assert_array_equal(quiet[:, :2], loud[:, :2])  # nothing changes before it
    assert_greater(loud[:, 2], quiet[:, 2], 1.0, "coercion in the month of the statement")
    assert_greater(loud[:, 3], quiet[:, 3], 0.5, "coercion a month later (decaying)")
