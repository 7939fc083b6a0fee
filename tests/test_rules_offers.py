"""Trade-off offers (core/offers.py) against a brute-force search of the FULL outcome grid.

The brute force evaluates every one of the ≈90,000 packages by broadcasting the state block
(s, d) against the static block (τ, I): own utility, the proposer's estimate of the other's
utility (hat tables) and Japan's political cost. Japan's security term is recomputed here from
docs/model.md §2, not taken from the code. Then "best for the other among packages with
own ≥ target (and cost ≤ budget)" is a plain masked argmax. The search under test prunes to
Pareto candidates of the blocks; the two must agree.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.offers import OfferSearch
from negosim.core.utility import UtilityTables, build_tables
from negosim.scenario import load_scenario

FAST = settings(max_examples=40, deadline=None)
THREATS = (0.5, 0.6, 0.8)
BELIEFS = (0.1, 0.2, 1 / 3)


@cache
def _tables() -> UtilityTables:
    return build_tables(load_scenario(BASELINE).spec)


@pytest.fixture(scope="module")
def tables() -> UtilityTables:
    return _tables()


def _security(t: UtilityTables, threat: float, belief: float) -> np.ndarray:
    """w_sec Sec_J per state-block package, straight from docs/model.md §2."""
    grid = t.grid
    s_idx, d_idx = grid.state_levels()
    s = grid.axes[grid.commitment].values[s_idx]
    d = grid.axes[grid.defense].values[d_idx]
    sec = t.security
    kappa = s / 4.0 * (1.0 - belief)
    m = sec.self_reliance * (d - 1.0) / 4.0
    ab = threat * (1.0 - kappa) * (1.0 - m)
    en = sec.entrapment_scale * np.maximum(0.0, s - 3.0) * sec.taiwan_contingency
    return t.security_weight * (1.0 - sec.gamma_abandonment * ab - sec.gamma_entrapment * en)


def _full_grid(t: UtilityTables, proposer: str, leader: int, threat: float, belief: float):
    """(own, other, cost) over the full grid, shape (n_state, n_static)."""
    sec = _security(t, threat, belief)[:, None]
    if proposer == "us":
        own = t.us_state[:, None] + t.us_static[None, :]
        other = t.japan_hat_state[leader][:, None] + sec + t.japan_hat_static[leader][None, :]
    else:
        own = t.japan_state[leader][:, None] + sec + t.japan_static[leader][None, :]
        other = t.us_hat_state[:, None] + t.us_hat_static[None, :]
    cost = t.cost_state[:, None] + t.cost_static[None, :]
    assert own.size == t.grid.size
    return own, other, cost


def _check_batch(t, search, proposer, leader, threat, belief, target, budget):
    b, g = search.offers(proposer, leader, threat, belief, target, budget)
    assert np.array_equal(b < 0, g < 0)
    n_feasible = 0
    for i in range(len(target)):
        own, other, cost = _full_grid(
            t, proposer, int(leader[i]), float(threat[i]), float(belief[i])
        )
        feasible = own >= target[i]
        if budget is not None:
            feasible &= cost <= budget[i]
        if not feasible.any():
            assert b[i] == -1, f"replicate {i}: offer made although nothing is feasible"
            continue
        n_feasible += 1
        assert b[i] >= 0, f"replicate {i}: no offer although brute force finds one"
        best_other = other[feasible].max()
        # the chosen package is feasible ...
        assert own[b[i], g[i]] >= target[i] - 1e-12
        if budget is not None:
            assert cost[b[i], g[i]] <= budget[i] + 1e-12
        # ... and as good for the other side as the brute-force optimum
        assert other[b[i], g[i]] == pytest.approx(best_other, abs=1e-12)
        # ties on the other's utility go to the higher own utility (documented tie-break)
        tied = feasible & (other >= best_other - 1e-12)
        assert own[b[i], g[i]] >= own[tied].max() - 1e-12
    return n_feasible


def _random_batch(t, rng, n, proposer):
    leader = rng.integers(0, len(t.type_names), n)
    threat = rng.choice(THREATS, n)
    belief = rng.choice(BELIEFS, n)
    if proposer == "us":
        lo, hi = (t.us_state.min() + t.us_static.min(), t.us_state.max() + t.us_static.max())
    else:
        lo, hi = 0.3, t.japan_state.max() + t.japan_static.max() + 0.25
    target = rng.uniform(lo, hi + 0.05, n)  # some above the best package: no offer
    return leader, threat, belief, target


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_us_offers_equal_full_grid_brute_force(tables, seed):
    rng = np.random.default_rng(seed)
    search = OfferSearch(tables)
    leader, threat, belief, target = _random_batch(tables, rng, 40, "us")
    n = _check_batch(tables, search, "us", leader, threat, belief, target, None)
    assert 0 < n < 40  # the batch exercised both outcomes


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_japan_offers_within_win_set_equal_full_grid_brute_force(tables, seed):
    rng = np.random.default_rng(seed)
    search = OfferSearch(tables)
    leader, threat, belief, target = _random_batch(tables, rng, 40, "japan")
    budget = rng.uniform(0.0, 3.0, 40)
    budget[:5] = 0.0  # an empty win-set: only zero-cost packages remain
    n = _check_batch(tables, search, "japan", leader, threat, belief, target, budget)
    assert 0 < n < 40


def test_japan_offers_without_budget_ignore_cost(tables):
    rng = np.random.default_rng(7)
    leader, threat, belief, target = _random_batch(tables, rng, 25, "japan")
    _check_batch(tables, OfferSearch(tables), "japan", leader, threat, belief, target, None)


def test_japan_offers_with_infinite_budget_ignore_cost(tables):
    """The same queries with budget = +inf (what budget=None should mean) are right."""
    rng = np.random.default_rng(7)
    leader, threat, belief, target = _random_batch(tables, rng, 25, "japan")
    budget = np.full(25, np.inf)
    _check_batch(tables, OfferSearch(tables), "japan", leader, threat, belief, target, budget)


@FAST
@given(
    proposer=st.sampled_from(["us", "japan"]),
    leader=st.integers(0, 2),  # the three leader types of the baseline
    threat=st.floats(0.5, 1.0),
    belief=st.floats(0.0, 0.6),
    quantile=st.floats(0.0, 1.0),
    budget=st.floats(0.0, 6.0),
)
def test_single_offer_equals_brute_force(proposer, leader, threat, belief, quantile, budget):
    tables = _tables()
    own, _, _ = _full_grid(tables, proposer, leader, threat, belief)
    target = np.array([np.quantile(own, quantile) + 1e-9])  # off the grid's own values
    bud = None if proposer == "us" else np.array([budget])  # Japan keeps to its win-set
    _check_batch(
        tables,
        OfferSearch(tables),
        proposer,
        np.array([leader]),
        np.array([threat]),
        np.array([belief]),
        target,
        bud,
    )


def test_infeasible_everywhere_returns_minus_one(tables):
    search = OfferSearch(tables)
    best = tables.us_state.max() + tables.us_static.max()
    b, g = search.offers(
        "us",
        np.zeros(3, dtype=np.int64),
        np.full(3, 0.6),
        np.full(3, 0.1),
        np.array([best + 1e-9, best + 1.0, np.inf]),
    )
    assert b.tolist() == [-1, -1, -1]
    assert g.tolist() == [-1, -1, -1]
    # exactly at the best own utility the US can still offer its best package(s)
    b, g = search.offers(
        "us", np.zeros(1, dtype=np.int64), np.full(1, 0.6), np.full(1, 0.1), np.array([best])
    )
    assert tables.us(b, g)[0] == best


def test_offer_of_a_replicate_does_not_depend_on_its_batch(tables):
    rng = np.random.default_rng(8)
    leader, threat, belief, target = _random_batch(tables, rng, 30, "japan")
    budget = rng.uniform(0, 3, 30)
    batch = OfferSearch(tables).offers("japan", leader, threat, belief, target, budget)
    for i in (0, 7, 29):
        alone = OfferSearch(tables).offers(
            "japan",
            leader[i : i + 1],
            threat[i : i + 1],
            belief[i : i + 1],
            target[i : i + 1],
            budget[i : i + 1],
        )
        assert (batch[0][i], batch[1][i]) == (alone[0][0], alone[1][0])


@pytest.mark.parametrize("proposer", ["us", "japan", "benchmark"])
def test_best_own_equals_brute_force_max(tables, proposer):
    search = OfferSearch(tables)
    leader = np.array([0, 1, 2, 1, 0, 2])
    threat = np.array([0.5, 0.5, 0.6, 0.8, 0.8, 0.5])
    belief = np.array([0.1, 0.2, 0.1, 1 / 3, 0.1, 0.0])
    got = search.best_own(proposer, leader, threat, belief)
    for i in range(len(leader)):
        own, _, _ = _full_grid(
            tables, "us" if proposer == "us" else "japan", int(leader[i]), threat[i], belief[i]
        )
        assert got[i] == pytest.approx(own.max(), abs=1e-12)
        cand = search.candidates(proposer, int(leader[i]), float(threat[i]), float(belief[i]))
        assert cand.own_best == pytest.approx(own.max(), abs=1e-12)
        assert cand.own.max() == pytest.approx(own.max(), abs=1e-12)  # the best is a candidate


def test_benchmark_candidates_cover_full_grid_pareto_frontier(tables):
    """Every Pareto-optimal (U_J, U_U) pair of the full grid is among the candidates."""
    threat, belief = 0.6, 0.1
    sec = _security(tables, threat, belief)[:, None]
    u_j = (tables.japan_state[0][:, None] + sec + tables.japan_static[0][None, :]).ravel()
    u_u = (tables.us_state[:, None] + tables.us_static[None, :]).ravel()
    # 2-D maxima by sweep: sort by U_J descending (U_U descending within), keep a point iff
    # its U_U beats everything with a larger U_J (allow float noise of 1e-12)
    order = np.lexsort((-u_u, -u_j))
    frontier = []
    best_u = -np.inf
    for i in order:
        if u_u[i] > best_u + 1e-12:
            frontier.append(i)
            best_u = u_u[i]
    cand = OfferSearch(tables).candidates("benchmark", 0, threat, belief)
    pts = np.column_stack([cand.own, cand.other])
    for i in frontier:
        dist = np.abs(pts - [u_j[i], u_u[i]]).max(axis=1).min()
        assert dist < 1e-12
    assert len(frontier) >= 10
