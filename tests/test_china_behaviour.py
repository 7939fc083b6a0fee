"""China's behaviour and its feedback on the bargain, as the theories predict (model.md §5).

Each check runs two parameter points on the same seeds (common random numbers), small
enough to keep the whole file to a few seconds, and asserts a direction with z ≥ Z_MIN and
a minimum effect: a ladder whose higher rungs are rarer (Kahn 1965), a sticky level,
deterrence versus spiral readings of a firmer commitment and of an announced deal (Jervis
1976), a Taiwan statement that provokes, and a threat that makes Japan pay more for the
guarantee (Snyder 1984).
"""

from __future__ import annotations

import copy
import functools
import json

import numpy as np
import pytest

from conftest import baseline_data
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import apply_overrides, scenario_from_mapping

BASE = baseline_data()
N = 800
Z_MIN = 4.0
QUIET_SIGNAL = {"china.beta.signal_spiral": 0.0, "china.beta.signal_resolve": 0.0}


@functools.cache
def _run(key: str, n: int, rounds: int) -> tuple[dict, dict]:
    data = apply_overrides(copy.deepcopy(BASE), json.loads(key))
    model = NegotiationModel(scenario_from_mapping(data), seeds=range(n), rounds=rounds).run()
    table = {k: v.reshape(n, rounds) for k, v in round_table(model).items()}
    return table, summarize(model)


def run(overrides: dict | None = None, n: int = N, rounds: int = 12) -> tuple[dict, dict]:
    """(round table as (replicates, rounds) matrices, run summary), cached per point."""
    return _run(json.dumps(overrides or {}, sort_keys=True), n, rounds)


def paired_z(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean of a - b over the same seeds and its z statistic."""
    d = np.asarray(a, float) - np.asarray(b, float)
    return float(d.mean()), float(d.mean() / (d.std(ddof=1) / np.sqrt(d.size)))


def assert_up(diff_z: tuple[float, float], min_effect: float, what: str) -> None:
    diff, z = diff_z
    assert diff >= min_effect and z >= Z_MIN, f"{what}: {diff:+.4f} (z {z:.1f})"


# --- the ladder and its persistence (Kahn 1965; Dixit 1989) --------------------------------


def test_higher_rungs_are_rarer_and_the_level_is_sticky():
    table, summary = run()
    c = table["coercion_level"]
    share = np.bincount(c.ravel(), minlength=6) / c.size
    assert share.argmax() == 1  # rhetoric and protest is the modal month
    assert np.all(np.diff(share[1:]) < 0), share  # rarer rung by rung above it
    assert share[4] < 0.03 and share[5] < 0.015, share
    assert (summary["china_max_level"] >= 3).mean() < 0.85  # was 0.98
    assert 0.6 < (c[:, 1:] == c[:, :-1]).mean() < 0.75  # was 0.33


# --- deterrence versus spiral (Jervis 1976) --------------------------------------------------


def _firmer_commitment_effect(omega: float) -> tuple[float, float]:
    firm, _ = run({"china.omega": omega, "issues.security_commitment.status_quo": 3})
    today, _ = run({"china.omega": omega})
    return paired_z(firm["coercion_level"].mean(1), today["coercion_level"].mean(1))


def test_a_firmer_commitment_deters_at_low_omega_and_provokes_at_high_omega():
    deter = _firmer_commitment_effect(0.0)
    assert_up((-deter[0], -deter[1]), 0.2, "ω 0: coercion at commitment 2 minus at 3")
    assert_up(_firmer_commitment_effect(1.0), 0.2, "ω 1: coercion at commitment 3 minus at 2")


def test_a_taiwan_statement_raises_coercion():
    statement = {"events": [{"round": 9, "kind": "taiwan_statement", "value": 0.8}]}
    loud, _ = run(statement)
    quiet, _ = run()
    np.testing.assert_array_equal(loud["coercion_level"][:, :8], quiet["coercion_level"][:, :8])
    after = np.s_[:, 8:]
    assert_up(
        paired_z(loud["coercion_level"][after].mean(1), quiet["coercion_level"][after].mean(1)),
        0.5,
        "coercion from the statement on",
    )


def _after_entry(table: dict, months: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Mean level in the first ``months`` from a deal's entry into force, and which runs."""
    entered = table["deal_entered"]
    first = entered.argmax(axis=1)
    ok = entered.any(axis=1) & (first + months <= entered.shape[1])
    window = np.minimum(first[:, None] + np.arange(months), entered.shape[1] - 1)
    return np.take_along_axis(table["coercion_level"], window, 1).mean(1), ok


def _signal_effect(omega: float) -> tuple[float, float]:
    point = {"china.omega": omega, "protocol.rounds": 24}
    on, _ = run(point, rounds=24)
    off, _ = run({**point, **QUIET_SIGNAL}, rounds=24)
    a, ok = _after_entry(on)
    b, ok_off = _after_entry(off)
    both = ok & ok_off
    return paired_z(a[both], b[both])


def test_an_announced_deal_provokes_a_spiral_china_and_deters_a_deterrence_china():
    assert_up(_signal_effect(1.0), 0.05, "ω 1: coercion after entry, with minus without G")
    deter = _signal_effect(0.0)
    assert_up((-deter[0], -deter[1]), 0.05, "ω 0: coercion after entry, without minus with G")


# --- the feedback on the bargain (Snyder 1984) -----------------------------------------------


def _coerced_and_passive(n: int = 1500) -> tuple[dict, dict, dict, dict]:
    table, coerced = run(n=n)
    quiet_table, passive = run({"china.rule": "passive"}, n=n)
    return table, coerced, quiet_table, passive


def _given_a_deal(coerced: dict, passive: dict, issue: str) -> tuple[float, float]:
    """Paired (same seeds) difference of a deal's terms over the runs with a deal in both."""
    column = f"final_{issue}"
    both = coerced["deal_reached"] & passive["deal_reached"]
    return paired_z(coerced[column][both], passive[column][both])


def test_chinas_coercion_makes_japan_pay_more_for_its_security():
    """Against a passive China, the baseline China raises Japan's threat ψ; Japan values
    self-reliance more: deals carry a higher defense budget, and Japan is worse off.
    Measured (1,500 runs, paired over those with a deal in both; each side on its own
    planning horizon): defense +0.015 points of GDP (z 4.5), Japan's utility -0.04."""
    table, coerced, quiet_table, passive = _coerced_and_passive()
    assert table["coercion_threat"][:, 3:].mean() > 2.0  # T̄ ≈ 5 rung units at the 2024 mix
    assert np.all(quiet_table["coercion_threat"][:, 3:] == 0.0)  # routine presence only
    assert_up(
        _given_a_deal(coerced, passive, "defense_budget"),
        0.01,
        "defense_budget given a deal, baseline minus passive China",
    )
    assert_up(paired_z(passive["japan_utility"], coerced["japan_utility"]), 0.01, "Japan's utility")


@pytest.mark.xfail(
    strict=True,
    reason=(
        "model: with reservations = value of no deal, China's threat no longer buys a firmer "
        "commitment; final commitment, baseline minus passive China, paired over runs with "
        "a deal in both: -0.010 (z -2.1, 1,500 runs), -0.0077 (z -3.5, 6,000 runs); given a "
        "deal (unpaired) -0.0125 (z -0.9) and -0.0085 (z -1.2); 98 % of deals at level 2 or "
        "below either way"
    ),
)
def test_chinas_coercion_makes_japan_pay_more_for_the_guarantee():
    """Snyder (1984): a higher threat makes Japan value the explicit commitment more, so
    deals should carry a firmer commitment against the baseline China than a passive one."""
    _, coerced, _, passive = _coerced_and_passive()
    assert_up(
        _given_a_deal(coerced, passive, "security_commitment"),
        0.02,
        "security_commitment given a deal, baseline minus passive China",
    )
