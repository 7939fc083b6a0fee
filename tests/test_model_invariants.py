"""Invariants of every run, over random perturbations of the baseline scenario.

Hypothesis draws scenario variants through ``apply_overrides`` (the same path a sweep takes)
and random seed batches; every recorded column must then respect its domain (issue ranges and
grids, probabilities, approval, coercion levels, finite utilities, reason codes) and the
round table, the per-run summary and the readable account must tell the same story.
"""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import baseline_data
from negosim.account import account, summary_lines
from negosim.core.china_rules import CHINA_RULES
from negosim.core.concession import CONCESSION_STYLES
from negosim.core.protocol import Reason
from negosim.model import NegotiationModel
from negosim.outcomes import FINAL_STATUS, round_table, summarize
from negosim.scenario import apply_overrides, scenario_from_mapping

BASE_DATA = baseline_data()
ROUNDS = 12
LEVELS = 6
GRID_TOLERANCE = 1e-9

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def events(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(
        st.sampled_from(
            ["taiwan_statement", "detente", "legal_shock", "tariff_letter", "approval_shock"]
        )
    )
    value = {
        "taiwan_statement": unit,
        "detente": unit,
        "legal_shock": unit,
        "tariff_letter": st.floats(0.0, 50.0),
        "approval_shock": st.floats(-0.3, 0.3),
    }[kind]
    return {"round": draw(st.integers(1, ROUNDS)), "kind": kind, "value": draw(value)}


#: A whole concession block: any style of the registry (time- or behaviour-dependent) with
#: its own parameters' defaults and a drawn k (tit-for-tat styles have no e).
CONCESSION = st.tuples(st.sampled_from(sorted(CONCESSION_STYLES)), st.floats(0.0, 0.5)).map(
    lambda pair: {"style": pair[0], "params": {"k": pair[1]}}
)

OVERRIDES = st.fixed_dictionaries(
    {},
    optional={
        "china.omega": unit,
        "china.rule": st.sampled_from(sorted(CHINA_RULES)),
        "politics.approval.initial": unit,
        "agents.us.reversal_hazard.trade": unit,
        "agents.us.reversal_hazard.security": st.floats(0.0, 0.3),
        "agents.us.concession": CONCESSION,
        "politics.leader_types.centrist.concession": CONCESSION,
        "politics.leader_types.hawk.concession": CONCESSION,
        "politics.leader": st.sampled_from(["dove", "centrist", "hawk"]),
        "agents.us.linkage": unit,
        "agents.japan.linkage": unit,
        "agents.us.tariff_threat.level": st.floats(0.0, 50.0),
        "agents.us.tariff_threat.probability": unit,
        "agents.us.outside_option": st.none() | unit,
        "agents.japan.outside_option": st.none() | unit,
        "agents.us.discount": st.floats(0.5, 1.0),
        "agents.japan.discount": st.floats(0.5, 1.0),
        "protocol.breakdown_hazard": st.floats(0.0, 0.5),
        "protocol.deadline": st.integers(1, 24),
        "agents.us.win_set_belief.prior": st.floats(0.05, 6.0),
        "agents.us.win_set_belief.shrink": st.floats(0.1, 0.99),
        "politics.red_lines": st.just([]),
        "events": st.lists(events(), max_size=6),
        "issues.security_commitment.status_quo": st.integers(0, 4).map(float),
        "issues.tariff.status_quo": st.integers(0, 20).map(lambda k: 2.5 * k),
        "protocol.first_proposer": st.sampled_from(["us", "japan"]),
        "politics.election.month": st.integers(0, ROUNDS - 1).map(  # rounds 1..12
            lambda k: f"{2025 + (1 + k) // 12}-{(1 + k) % 12 + 1:02d}"
        ),
    },
)
SEEDS = st.tuples(st.integers(0, 2**63 - 100), st.integers(1, 60)).map(
    lambda pair: list(range(pair[0], pair[0] + pair[1]))
)


def simulate(overrides: dict[str, object], seeds: list[int]):
    sc = scenario_from_mapping(apply_overrides(copy.deepcopy(BASE_DATA), overrides))
    model = NegotiationModel(sc, seeds=seeds, rounds=ROUNDS).run()
    return sc, model, round_table(model), summarize(model)


def grid(table: dict[str, np.ndarray], name: str, n: int) -> np.ndarray:
    """A per-round column as an (n replicates, rounds) matrix."""
    return table[name].reshape(n, ROUNDS)


def assert_on_grid(values: np.ndarray, issue: dict, what: str) -> None:
    lo, hi, step = float(issue["min"]), float(issue["max"]), float(issue["step"])
    assert np.all(np.isfinite(values)), what
    assert np.all(values >= lo - GRID_TOLERANCE) and np.all(values <= hi + GRID_TOLERANCE), (
        f"{what}: outside [{lo}, {hi}]: {values[(values < lo) | (values > hi)][:5]}"
    )
    steps = (values - lo) / step
    off = np.abs(steps - np.round(steps)) > 1e-6
    assert not off.any(), f"{what}: off the grid (step {step}): {values[off][:5]}"


def in_unit_interval(values: np.ndarray, what: str) -> None:
    assert np.all(np.isfinite(values)), what
    outside = (values < 0.0) | (values > 1.0)
    assert not outside.any(), f"{what}: {values[outside][:5]}"


def check_run(sc, model, table, summary, seeds) -> None:
    n = len(seeds)
    spec = sc.spec
    issues = {name: issue.model_dump() for name, issue in spec.issues.items()}

    # -- shapes ---------------------------------------------------------------------------
    assert all(col.shape == (n * ROUNDS,) for col in table.values())
    assert all(col.shape == (n,) for col in summary.values())

    # -- issue values: in force, offered, final ---------------------------------------------
    offered = ~np.isnan(table["offer_japan_utility"])
    assert np.array_equal(offered, ~np.isnan(table["offer_us_utility"]))
    for name, issue in issues.items():
        assert_on_grid(table[f"in_force_{name}"], issue, f"in_force_{name}")
        offer = table[f"offer_{name}"]
        assert np.array_equal(~np.isnan(offer), offered), f"offer_{name}: NaN pattern"
        assert_on_grid(offer[offered], issue, f"offer_{name}")
        assert_on_grid(summary[f"final_{name}"], issue, f"final_{name}")

    # -- probabilities, approval, politics ------------------------------------------------
    p_rat = table["ratification_probability"]
    assert np.array_equal(np.isnan(p_rat), ~offered)
    in_unit_interval(p_rat[offered], "ratification_probability")
    assert np.all(table["political_cost"][offered] >= 0.0)
    in_unit_interval(table["approval"], "approval")
    in_unit_interval(summary["final_approval"], "final_approval")
    assert np.all(np.isfinite(table["win_set"])) and np.all(table["win_set"] >= 0.0)
    in_unit_interval(table["reversal_belief"], "reversal_belief")
    in_unit_interval(table["credibility"], "credibility")
    assert np.all(table["abandonment"] >= 0.0) and np.all(table["entrapment"] >= 0.0)
    majority = grid(table, "majority_lost", n)
    assert np.all(np.diff(majority.astype(int), axis=1) >= 0), "a lost majority came back"
    assert np.array_equal(majority[:, -1], summary["majority_lost"])
    n_types = len(model.tables.type_names)
    assert np.all((table["leader"] >= 0) & (table["leader"] < n_types))
    assert set(summary["final_leader"]) <= set(model.tables.type_names)
    changed = grid(table, "leader_changed", n)
    assert np.array_equal(changed.any(axis=1), summary["leader_replaced"])

    # -- China ----------------------------------------------------------------------------
    level = grid(table, "coercion_level", n)
    assert level.dtype.kind == "i"
    assert np.all((level >= 0) & (level < LEVELS))
    assert np.array_equal(level.max(axis=1), summary["china_max_level"])
    expected = table["coercion_expected"]
    assert np.all(np.isfinite(expected)) and np.all((expected >= 0) & (expected <= LEVELS - 1))
    assert np.all((table["mean_coercion"] >= 0) & (table["mean_coercion"] <= LEVELS - 1))
    if spec.china.rule == "passive":
        assert np.all(level == 0)
    assert np.all(
        (table["presence_days"] >= 0)
        & (table["presence_days"] <= spec.china.observables.presence_window_days)
    )
    assert np.all(table["sea_entries"] >= 0) and np.all(table["airspace_violations"] >= 0)
    months = np.stack([summary[f"months_at_level_{k}"] for k in range(LEVELS)], axis=1)
    assert np.all(months.sum(axis=1) == ROUNDS), "months_at_level does not sum to the rounds"
    for k in range(LEVELS):
        assert np.array_equal(months[:, k], (level == k).sum(axis=1))

    # -- utilities are finite --------------------------------------------------------------
    for name in (
        "japan_utility",
        "us_utility",
        "japan_reservation",
        "us_reservation",
        "security",
        "nikkei",
        "usdjpy",
        "defense_index",
        "asia",
        "tariff_change",
    ):
        assert np.all(np.isfinite(table[name])), name
    for name in ("offer_japan_utility", "offer_us_utility", "responder_utility"):
        assert np.all(np.isfinite(table[name][offered])), name
    negotiating = table["negotiating"]
    assert np.all(np.isfinite(table["proposer_target"][negotiating]))
    assert np.all(np.isfinite(table["responder_target"][negotiating]))
    for name in (
        "japan_utility",
        "us_utility",
        "japan_reservation",
        "us_reservation",
        "nash_product",
        "distance_pareto",
        "final_nikkei",
        "final_usdjpy",
        "final_defense_index",
        "nikkei_max_drawdown",
    ):
        assert np.all(np.isfinite(summary[name])), name
    assert np.all(summary["nash_product"] >= 0.0)
    assert np.all(summary["distance_pareto"] >= 0.0)
    for name in ("distance_nash", "distance_ks"):
        d = summary[name]
        assert np.all(d[~np.isnan(d)] >= 0.0), name
    for name in ("nikkei", "usdjpy", "defense_index", "asia"):
        assert np.all(table[name] > 0.0), name
    assert np.all((summary["nikkei_max_drawdown"] >= 0) & (summary["nikkei_max_drawdown"] < 100))

    # -- the common utility scale and the value of no deal ------------------------------------
    for name in ("japan_utility", "us_utility", "japan_reservation", "us_reservation"):
        in_unit_interval(table[name], name)
        in_unit_interval(summary[name], f"summary {name}")
    for name in ("offer_japan_utility", "offer_us_utility", "responder_utility"):
        in_unit_interval(table[name][offered], name)
    for side in ("japan", "us"):
        floor = getattr(spec.agents, side).outside_option
        if floor is not None:
            assert np.all(table[f"{side}_reservation"] >= floor - 1e-12), f"{side} floor"
            assert np.all(summary[f"{side}_reservation"] >= floor - 1e-12), f"{side} floor"
    # the proposer offers only what meets its own target, which is never below its reservation
    us_proposes = table["proposer"] == 0
    own = np.where(us_proposes, table["offer_us_utility"], table["offer_japan_utility"])
    assert np.all(own[offered] >= table["proposer_target"][offered] - 1e-12)
    # public red lines cap every offer, whoever makes it, once announced (docs/model.md §4.3)
    for line in spec.politics.red_lines:
        if line.issue in issues:
            values = table[f"offer_{line.issue}"][
                offered & (table["round"] >= line.announced_round)
            ]
            crossed = values > line.bound if line.breached_when == "above" else values < line.bound
            assert not crossed.any(), f"an offer crosses the red line on {line.issue}"

    # -- no walk-away deadline: talks end only by a deal or a breakdown ----------------------
    at_table = grid(table, "negotiating", n)
    never_ratified = ~grid(table, "ratified", n).any(axis=1)
    stopped = np.diff(at_table[never_ratified].astype(int), axis=1)
    assert np.all(stopped <= 0), "talks without a deal resumed after a breakdown"
    if spec.protocol.breakdown_hazard == 0.0:
        assert at_table[never_ratified].all(), "talks ended without a deal or a breakdown"

    # -- reason codes and the response rule ------------------------------------------------
    reason = table["reason"].astype(int)
    assert set(np.unique(reason)) <= {int(r) for r in Reason}
    assert np.array_equal(reason == Reason.NOT_NEGOTIATING, ~negotiating)
    assert not np.any(offered & ~negotiating), "an offer outside negotiation"
    assert np.array_equal(reason == Reason.NO_OFFER, negotiating & ~offered)
    assert np.array_equal(
        table["accepted"], (reason == Reason.ACCEPTED) | (reason == Reason.FAILED_RATIFICATION)
    )
    assert np.array_equal(table["ratified"], reason == Reason.ACCEPTED)
    u, target = table["responder_utility"], table["responder_target"]
    reserve = table["responder_reservation"]
    took = table["accepted"]
    assert np.all(u[took] >= target[took]) and np.all(u[took] >= reserve[took])
    below_res = reason == Reason.BELOW_RESERVATION
    assert np.all(u[below_res] < reserve[below_res])
    below_target = reason == Reason.BELOW_TARGET
    assert np.all(u[below_target] < target[below_target])
    assert np.all(u[below_target] >= reserve[below_target])
    proposer = grid(table, "proposer", n)
    first = 0 if spec.protocol.first_proposer == "us" else 1
    assert np.all(proposer[:, 0::2] == first) and np.all(proposer[:, 1::2] == 1 - first)

    # -- deals: accepted, ratified, in force -------------------------------------------------
    ratified = grid(table, "ratified", n)
    entered = grid(table, "deal_entered", n)
    in_force = grid(table, "deal_in_force", n)
    assert not entered[:, 0].any()
    assert np.array_equal(entered[:, 1:], ratified[:, :-1]), "ratified ≠ entered next month"
    ratified_before = np.cumsum(ratified, axis=1) - ratified > 0  # some ratification < t
    assert not np.any(in_force & ~ratified_before), "a deal in force that was never ratified"
    assert not np.any(in_force & grid(table, "negotiating", n))
    assert not np.any(grid(table, "reopened", n) & in_force)
    any_ratified = ratified.any(axis=1)
    first_round = np.where(any_ratified, ratified.argmax(axis=1) + 1, -1)
    assert np.array_equal(summary["first_deal_round"], first_round)
    assert np.array_equal(summary["deal_reached"], any_ratified)
    failures = (grid(table, "reason", n) == Reason.FAILED_RATIFICATION).sum(axis=1)
    assert np.array_equal(summary["ratification_failures"], failures)
    status = np.where(ratified[:, -1], 2, np.where(in_force[:, -1], 1, 0))
    assert list(summary["final_status"]) == [FINAL_STATUS[s] for s in status]

    # -- reversals and threats -------------------------------------------------------------
    for kind in ("trade", "security"):
        per_round = grid(table, f"reversals_{kind}", n)
        assert np.all(per_round >= 0)
        assert np.array_equal(per_round.sum(axis=1), summary[f"reversals_{kind}"])
    reversed_any = (grid(table, "reversals_trade", n) + grid(table, "reversals_security", n)) > 0
    live_before = np.concatenate([np.zeros((n, 1), bool), in_force[:, :-1]], axis=1) | entered
    assert not np.any(reversed_any & ~live_before), "a reversal without a deal in force"
    letters = grid(table, "tariff_letter", n)
    assert not np.any(letters & in_force), "a tariff letter while a deal is in force"
    tariff_axis = model.tables.grid.axes[model.tables.grid.tariff]
    letter_value = tariff_axis.values[tariff_axis.snap(spec.agents.us.tariff_threat.level)]
    assert np.all(grid(table, "in_force_tariff", n)[letters] == letter_value)

    # -- the account tells the same story --------------------------------------------------
    for k in sorted({0, n // 2, n - 1}):
        text = account(model, summary, k)
        assert text.count("\nRound ") == ROUNDS
        assert "Summary" in text and "Nash" in text and "Kalai" in text
        assert f"seed {seeds[k]}" in text
        deal_line = summary_lines(model, summary, k)[1]
        if summary["deal_reached"][k]:
            assert f"first in round {summary['first_deal_round'][k]}" in deal_line
        else:
            assert deal_line.strip() == "deal: no"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
@given(overrides=OVERRIDES, seeds=SEEDS)
def test_invariants_hold_for_random_scenarios(overrides, seeds):
    sc, model, table, summary = simulate(overrides, seeds)
    check_run(sc, model, table, summary, seeds)


def test_invariants_hold_for_baseline_batch():
    """A fixed, larger batch, so the invariants are checked at least once on many paths."""
    seeds = list(range(500))
    sc, model, table, summary = simulate({}, seeds)
    check_run(sc, model, table, summary, seeds)


def test_invariants_hold_under_extreme_settings():
    """Corners hypothesis may not draw: every shock at once, certain reversal and letters."""
    overrides = {
        "politics.approval.initial": 0.0,
        "agents.us.reversal_hazard.trade": 1.0,
        "agents.us.reversal_hazard.security": 0.3,
        "agents.us.tariff_threat.probability": 1.0,
        "agents.us.tariff_threat.level": 50.0,
        "agents.us.concession.style": "conceder",
        "politics.leader_types.centrist.concession.style": "exponential",
        "china.omega": 1.0,
        "events": [
            {"round": r, "kind": kind, "value": value}
            for r in (1, 6, 12)
            for kind, value in (
                ("taiwan_statement", 1.0),
                ("legal_shock", 1.0),
                ("tariff_letter", 50.0),
                ("approval_shock", -0.3),
                ("detente", 1.0),
            )
        ],
    }
    seeds = list(range(200))
    sc, model, table, summary = simulate(overrides, seeds)
    check_run(sc, model, table, summary, seeds)


def test_invariants_hold_without_breakdown_with_floors_and_tit_for_tat():
    """No breakdown hazard (talks go on until a deal), binding outside options, and both
    sides on behaviour-dependent tactics: a corner of the new protocol drawn on purpose."""
    overrides = {
        "protocol.breakdown_hazard": 0.0,
        "agents.us.outside_option": 0.45,
        "agents.japan.outside_option": 0.6,
        "agents.us.concession": {"style": "relative_tit_for_tat", "params": {"k": 0.1}},
        "politics.leader_types.centrist.concession": {
            "style": "averaged_tit_for_tat",
            "params": {"k": 0.2},
        },
    }
    seeds = list(range(150))
    sc, model, table, summary = simulate(overrides, seeds)
    check_run(sc, model, table, summary, seeds)
    assert (table["us_reservation"] == 0.45).any()  # the floor binds somewhere


def test_a_red_line_caps_offers_from_the_round_it_is_announced_not_before():
    data = copy.deepcopy(baseline_data())
    data["politics"]["red_lines"] = [
        {"issue": "defense_budget", "bound": 2.5, "breached_when": "above", "announced_round": 4}
    ]
    model = NegotiationModel(scenario_from_mapping(data, "<red line>"), seeds=range(300)).run()
    table = round_table(model)
    offered = ~np.isnan(table["offer_defense_budget"])
    above = offered & (table["offer_defense_budget"] > 2.5 + 1e-9)
    assert above[table["round"] < 4].sum() > 50  # the US asks for more before it hears the line
    assert not above[table["round"] >= 4].any()
