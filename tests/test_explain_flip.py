"""The smallest flipping change really flips the decision, and nothing smaller does.

Three independent checks of :func:`negosim.explain.explain_round`'s ``flip``:

- **through the model**: the run is replayed with the same seeds up to the round, the
  proposer is made to put the changed package on the table, and the model's own agents
  respond and the Diet votes: the recorded outcome must be the flipped one;
- **on the grid**: every package is valued again by a separate path (``grid.join``, the
  utility tables, the protocol's rule), and no admissible package nearer to the offer flips
  the decision, nor one as near that costs the proposer less;
- **no offer**: the model's own offer search finds an offer once the budget is raised to
  the one the explanation names, and none just below it.

Hypothesis draws seeds and scenarios for the invariants.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONFIGS
from negosim.core.politics import diet_passes
from negosim.core.protocol import Reason, classify_response, proposer_of, veto_outside_win_set
from negosim.explain import explain_round
from negosim.model import NegotiationModel
from negosim.scenario import load_scenario
from test_model_invariants import OVERRIDES, simulate

SEEDS = list(range(12))
PRESETS = ("baseline", "classroom_three_issues")


@cache
def scenario(name: str):
    return load_scenario(CONFIGS / f"{name}.yaml")


@cache
def run(name: str) -> NegotiationModel:
    return NegotiationModel(scenario(name), seeds=SEEDS).run()


def levels_of(model: NegotiationModel, package) -> np.ndarray:
    """Level indices of a package given as issue values."""
    axes = model.tables.grid.axes
    return np.array([axis.snap(item.value) for axis, item in zip(axes, package, strict=True)])


def replay_with(name: str, round_index: int, packages: dict[int, np.ndarray]):
    """Round ``round_index`` again, the proposer offering ``packages`` (by replicate)."""
    model = NegotiationModel(scenario(name), seeds=SEEDS)
    for _ in range(round_index - 1):
        model.step()
    side = proposer_of(round_index, model.spec.protocol.first_proposer)
    agent = model.us if side == "us" else model.japan
    grid = model.tables.grid
    own = agent.offers

    def offers(target, active):
        b, g = own(target, active)
        for r, levels in packages.items():
            pb, pg = grid.split(levels[None, :])
            b[r], g[r] = pb[0], pg[0]
        return b, g

    agent.offers = offers  # type: ignore[method-assign]
    model.step()
    return model.history[-1].columns


@pytest.mark.parametrize("name", PRESETS)
def test_the_flipping_change_flips_the_decision_through_the_model(name):
    model = run(name)
    kinds: set[str] = set()
    for t in range(1, len(model.history) + 1):
        flips = {}
        for r in range(len(SEEDS)):
            e = explain_round(model, r, t)
            if e.flip is not None and e.flip.found:
                flips[r] = (e.flip, levels_of(model, e.flip.package))
        if not flips:
            continue
        columns = replay_with(name, t, {r: levels for r, (_, levels) in flips.items()})
        for r, (flip, _) in flips.items():
            kinds.add(flip.kind)
            accepted, ratified = bool(columns["accepted"][r]), bool(columns["ratified"][r])
            if flip.kind == "accepted":
                assert accepted, (name, r, t, flip)
                assert Reason(int(columns["reason"][r])) in (
                    Reason.ACCEPTED,
                    Reason.FAILED_RATIFICATION,
                )
            elif flip.kind == "rejected":
                assert not accepted, (name, r, t, flip)
                assert Reason(int(columns["reason"][r])).name == flip.outcome
            else:
                assert ratified, (name, r, t, flip)
    assert kinds >= {"accepted", "rejected"} | ({"ratified"} if name == "baseline" else set())


def brute_force(model: NegotiationModel, replicate: int, round_index: int):
    """Every package's steps, utilities and the responder's answer, by a separate path."""
    rec = model.history[round_index - 1]
    ctx, row = rec.context, {k: v[replicate] for k, v in rec.columns.items()}
    tables, grid = model.tables, model.tables.grid
    p = np.arange(grid.size)
    b, g = p // grid.n_static, p % grid.n_static
    levels = grid.join(b, g)
    offer = np.array([a.snap(row[f"offer_{a.name}"]) for a in grid.axes])
    steps = np.abs(levels - offer).sum(axis=1)
    leader = np.full(len(p), ctx["leader"][replicate])
    threat = np.full(len(p), ctx["threat"][replicate])
    belief = np.full(len(p), ctx["reversal_belief"][replicate])
    value = {"japan": tables.japan(leader, b, g, threat, belief), "us": tables.us(b, g)}
    cost = tables.cost_state[b] + tables.cost_static[g]
    proposer = ("us", "japan")[int(row["proposer"])]
    responder = "japan" if proposer == "us" else "us"
    n = len(p)
    reason = classify_response(
        value[responder],
        np.full(n, row["responder_target"]),
        np.full(n, row["responder_reservation"]),
        np.ones(n, bool),
    )
    if responder == "japan":
        reason = veto_outside_win_set(reason, cost, np.full(n, ctx["win_set"][replicate]))
    restrictions, index = ctx["admissible"]
    allowed = restrictions[index[replicate]]
    admissible = allowed.state[b] & allowed.static[g]
    here = int(np.flatnonzero((levels == offer).all(axis=1))[0])
    return steps, value[proposer], reason, admissible, here


@pytest.mark.parametrize("name", PRESETS)
def test_nothing_nearer_on_the_grid_flips_the_decision(name):
    model = run(name)
    checked = 0
    for r in range(0, len(SEEDS), 3):
        for t in range(1, len(model.history) + 1):
            e = explain_round(model, r, t)
            if e.flip is None or e.flip.kind == "ratified":
                continue
            steps, own, reason, admissible, here = brute_force(model, r, t)
            yes = reason == Reason.ACCEPTED
            if e.flip.kind == "accepted":
                eligible, order = admissible & yes, own[here] - own
            else:
                eligible, order = admissible & ~yes & (own > own[here]), own - own[here]
                if not eligible.any():
                    eligible = admissible & ~yes
            if not e.flip.found:
                assert not eligible.any()
                continue
            assert steps[eligible].min() == e.flip.steps, (name, r, t)
            nearest = eligible & (steps == e.flip.steps)
            chosen = own[here] - e.flip.proposer_utility
            if e.flip.kind == "rejected":
                chosen = -chosen
            assert order[nearest].min() >= chosen - 1e-12, (name, r, t)
            checked += 1
    assert checked >= 10


def test_a_failed_vote_flips_to_a_package_the_same_vote_passes():
    model = run("baseline")
    found = 0
    for r in range(len(SEEDS)):
        for t in range(1, len(model.history) + 1):
            e = explain_round(model, r, t)
            if e.reason != "FAILED_RATIFICATION" or e.flip is None or not e.flip.found:
                continue
            draw = np.float64(model.history[t - 1].context["ratification_draw"][r])
            assert diet_passes(np.float64(e.flip.ratification_probability), draw)
            assert not diet_passes(np.float64(e.tokyo.ratification_probability), draw)
            assert e.tokyo.vote == draw
            found += 1
    assert found >= 1


def offer_at(model: NegotiationModel, t: int, r: int, side: str, target: float, budget: float):
    """The model's own offer search for replicate ``r`` in round ``t`` at ``budget`` (b or -1)."""
    ctx = model.history[t - 1].context
    restrictions, index = ctx["admissible"]
    one = slice(r, r + 1)
    b, _ = model.search.offers(
        side,
        ctx["leader"][one],
        ctx["threat"][one],
        ctx["reversal_belief"][one],
        np.array([target]),
        budget=np.array([budget]),
        admissible=(restrictions, index[one]),
    )
    return int(b[0])


@pytest.mark.parametrize("name", PRESETS)
def test_no_offer_names_the_budget_the_offer_search_needed(name):
    model = run(name)
    checked = 0
    for r in range(len(SEEDS)):
        for t in range(1, len(model.history) + 1):
            n = explain_round(model, r, t).no_offer
            if n is None or n.budget_needed is None:
                continue
            offer = lambda budget: offer_at(model, t, r, n.proposer, n.target, budget)  # noqa: E731,B023
            assert offer(n.budget) < 0, "the model made no offer at this budget"
            assert offer(n.budget_needed) >= 0
            assert offer(np.nextafter(n.budget_needed, -np.inf)) < 0
            assert n.best_inside is None or n.best_inside < n.target
            checked += 1
    if name == "baseline":
        assert checked >= 1


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
@given(overrides=OVERRIDES, seed=st.integers(0, 2**63 - 100))
def test_invariants_of_explanations_for_random_scenarios(overrides, seed):
    """Any scenario, any seed: every round explains, and its flip is consistent."""
    _, model, _, _ = simulate(overrides, [seed])
    for t in range(1, len(model.history) + 1):
        e = explain_round(model, 0, t)  # raises if the rule over the grid disagrees
        data = e.to_dict()
        assert data["reason"] == e.reason and data["why"]
        f = e.flip
        if f is None or not f.found:
            continue
        assert f.steps >= len(f.changes) >= 1
        assert f.steps == sum(
            round(abs(c.after - c.before) / model.tables.grid.axes[k].spec.step)
            for c in f.changes
            for k, a in enumerate(model.tables.grid.axes)
            if a.name == c.issue
        )
        responder = e.side(e.responder)
        if f.kind in ("accepted", "ratified"):
            assert f.outcome == "ACCEPTED" and f.responder_utility >= responder.bar
        else:
            assert f.outcome != "ACCEPTED"
