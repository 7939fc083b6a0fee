"""Japan's domestic politics over many replicates (docs/model.md §3), fast and paired.

Each check runs the baseline on the same seeds with one change (common random numbers), so
differences are paired; the seeds are fixed, so each check is a deterministic regression
guard on a direction the cited theory predicts, with the measured size in its docstring.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json

import numpy as np
import pytest

from conftest import baseline_data
from negosim.account import round_lines
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import apply_overrides, scenario_from_mapping

BASE_DATA = baseline_data()
N = 1500
KEEP = {"politics.election.approval_threshold": 0.0}  # σ((0 - A)/.03) ≈ 0: never lost
LOSE = {"politics.election.approval_threshold": 1.0}  # σ((1 - A)/.03) ≈ 1: lost for sure
HOLD = {"politics.election.replacement_probability": 0.0}
#: A sure replacement two months after the July (round 6) loss: the successor takes office
#: in round 8, September 2025.
REPLACE = {
    **LOSE,
    "politics.election.replacement_probability": 1.0,
    "politics.election.replacement_delay": [2, 2],
}
A_STAR = BASE_DATA["politics"]["approval"]["equilibrium"]


@functools.cache
def _run(key: str, n: int, rounds: int):
    data = apply_overrides(copy.deepcopy(BASE_DATA), json.loads(key))
    model = NegotiationModel(scenario_from_mapping(data), seeds=range(n), rounds=rounds).run()
    return model, round_table(model), summarize(model)


def run(overrides: dict[str, object] | None = None, n: int = N, rounds: int = 12):
    """(model, round table, summary), cached per parameter point."""
    return _run(json.dumps(overrides or {}, sort_keys=True), n, rounds)


def by_round(table: dict[str, np.ndarray], name: str, rounds: int = 12) -> np.ndarray:
    return table[name].reshape(-1, rounds)


def paired_z(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean of a - b over replicates and its paired z statistic."""
    diff = np.asarray(a, float) - np.asarray(b, float)
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    return float(diff.mean()), float(diff.mean() / se) if se > 0 else 0.0


def test_the_july_election_is_round_6():
    """Round 1 is February 2025, so the July 2025 election is round 6 (it was 5, June)."""
    model, table, _ = run(LOSE, n=50)
    lost = by_round(table, "majority_lost")
    assert not lost[:, :5].any()
    assert lost[:, 5:].all()
    assert round_lines(model, 0, 6)[0].startswith("Round 6 (Jul 2025)")


def test_losing_the_majority_means_fewer_deals_and_a_worse_deal_for_the_us():
    """A second veto player (Tsebelis 2002), leader held: measured deal rate 0.83 → 0.78
    (-0.051, paired z -9.0), the US's utility -0.030 (z -24) over 1,500 paired runs."""
    _, _, kept = run({**KEEP, **HOLD})
    _, _, lost = run({**LOSE, **HOLD})
    diff, z = paired_z(lost["deal_reached"], kept["deal_reached"])
    assert diff <= -0.05 and z <= -4, f"deal rate lost - kept {diff:+.3f} (z {z:.1f})"
    diff, z = paired_z(lost["us_utility"], kept["us_utility"])
    assert diff <= -0.01 and z <= -4, f"US utility lost - kept {diff:+.4f} (z {z:.1f})"


@pytest.mark.xfail(
    strict=True,
    reason=(
        "model: the veto player now ties Japan's hands (Schelling 1960; Putnam 1988): "
        "given a deal in both runs, Japan's utility lost - kept is +0.0020 (paired z 2.1, "
        "1,165 of 1,500 runs; +0.0019, z 3.9 over 6,000); over all runs +0.00002 (z 0.02; "
        "6,000 runs -0.0003, z -0.8), fewer deals offsetting better terms (was -0.015)"
    ),
)
def test_losing_the_majority_gives_japan_no_better_terms():
    """Leader held: a lost majority should not improve the terms Japan gets in a deal."""
    _, _, kept = run({**KEEP, **HOLD})
    _, _, lost = run({**LOSE, **HOLD})
    both = kept["deal_reached"] & lost["deal_reached"]
    diff, z = paired_z(lost["japan_utility"][both], kept["japan_utility"][both])
    assert diff <= 0.0, f"Japan's utility given a deal, lost - kept {diff:+.4f} (z {z:.1f})"


def test_a_successor_after_a_loss_does_not_turn_the_loss_into_a_gain():
    """With a new leader (decaying honeymoon, a cabinet that needs time, the veto player)
    the lost majority still reaches no more deals and no more for Japan than a kept one
    (the fixed 0.47 honeymoon gave +12.8 points of deals). Measured -0.091 and -0.004."""
    _, _, kept = run(KEEP)
    _, _, replaced = run(REPLACE)
    assert replaced["leader_replaced"].all()
    assert replaced["deal_reached"].mean() <= kept["deal_reached"].mean()
    assert replaced["japan_utility"].mean() <= kept["japan_utility"].mean()


def test_a_new_cabinet_cannot_conclude_at_once():
    """Taking office in round 8, its win-set is 0 that month and the Diet votes on nothing
    (P_rat 0); the next month it is half its coalition's radius (docs/model.md §3). Every
    replicate still at the table gets an offer that month (measured 174 of 200; the others'
    talks broke down earlier, at 2 % a month: 0.98^7 ≈ 0.87 expected)."""
    _, table, _ = run(REPLACE, n=200)
    changed = by_round(table, "leader_changed")
    assert changed[:, 7].all() and changed.sum() == changed[:, 7].sum()
    win = by_round(table, "win_set")
    assert np.all(win[:, 7] == 0.0)
    at_table = by_round(table, "negotiating")[:, 7]
    assert at_table.mean() > 0.8
    p_rat = by_round(table, "ratification_probability")[:, 7]
    offered = ~np.isnan(p_rat)
    assert np.array_equal(offered, at_table) and np.all(p_rat[offered] == 0)
    assert not by_round(table, "ratified")[:, 7].any()
    assert np.all(win[:, 8] > 0.0)


def test_a_successors_honeymoon_decays_at_its_half_life():
    """Against the same seeds without a honeymoon, the successor's extra approval is
    0.13 · 2^(-(t - 7)/2) at the end of rounds 8..11 (it was a fixed level before)."""
    _, with_h, _ = run(REPLACE, n=300)
    _, without, _ = run({**REPLACE, "politics.approval.honeymoon": 0.0}, n=300)
    extra = (by_round(with_h, "approval") - by_round(without, "approval")).mean(axis=0)
    want = [0.13 * 2 ** (-(t - 7) / 2) for t in range(8, 12)]
    np.testing.assert_allclose(extra[7:11], want, atol=0.003)
    assert extra[11] < 0.5 * extra[8]


def test_approval_reverts_to_its_equilibrium_and_its_spread_stays_bounded():
    """Partial adjustment (α 0.2): the s.d. of approval across runs is 0.045 at month 12 and
    0.041 at month 24 (0.075 and 0.105 as a random walk); with α = 0 it keeps growing."""
    _, table, _ = run({"protocol.rounds": 24}, n=1000, rounds=24)
    _, walk, _ = run({"protocol.rounds": 24, "politics.approval.adjustment": 0.0}, 1000, 24)
    sd = by_round(table, "approval", 24).std(axis=0, ddof=1)
    sd_walk = by_round(walk, "approval", 24).std(axis=0, ddof=1)
    assert sd[23] < 0.06 and sd[23] < 1.25 * sd[11]
    assert sd_walk[23] > 1.5 * sd[23]
    _, high, _ = run({"politics.approval.initial": 0.5}, n=1000)
    assert abs(by_round(high, "approval")[:, 11].mean() - A_STAR) < 0.03  # from 0.16 above


def test_deal_rate_does_not_fall_with_initial_approval():
    """Putnam (1988): a larger win-set makes agreement more likely. Measured (3,000 runs)
    0.802, 0.803, 0.817, 0.833 at 0.2, 0.3, 0.4, 0.5 (U-shaped before: 0.78 ... 0.75 ... 0.79)."""
    rates = [
        run({"politics.approval.initial": a})[2]["deal_reached"].mean()
        for a in (0.2, 0.3, 0.4, 0.5)
    ]
    assert all(b >= a - 0.005 for a, b in itertools.pairwise(rates)), rates
    assert rates[-1] > rates[0], rates
