"""Trade-off offers (core/offers.py) against a brute-force search of the FULL outcome grid.

The brute force evaluates every one of the ≈90,000 packages by broadcasting the state block
(s, d) against the static block (τ, I): own utility, the other side's utility (each side
knows the other's priorities) and Japan's political cost. Japan's security term is
recomputed here from docs/model.md §2, not taken from the code; which packages are
admissible (linkage floors, red lines) is recomputed per issue level from the per-issue
masks, not from core/admissible.py's block masks. Then "best for the other among admissible
packages with own ≥ target and cost ≤ budget" is a plain masked argmax, ties to the higher
own utility and then the lower cost. Every proposer carries the cost as a third objective
(the US searches within its belief about the win-set, Japan within the win-set, the
benchmarks within the ratifiable set). The search under test prunes to Pareto candidates of
the blocks; the two must agree.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.admissible import Admissible, admissible_masks
from negosim.core.frontiers import restricted_front
from negosim.core.grouping import group_keys
from negosim.core.lru import LRUCache
from negosim.core.offers import OfferSearch
from negosim.core.utility import UtilityTables, build_tables
from negosim.scenario import load_scenario

FAST = settings(max_examples=40, deadline=None)
THREATS = (0.5, 0.6, 0.8)
BELIEFS = (0.1, 0.2, 1 / 3)
MAX_COST = 5.7  # the baseline's dearest package (every issue at its worst for the Diet)


@cache
def _tables() -> UtilityTables:
    return build_tables(load_scenario(BASELINE).spec)


@pytest.fixture(scope="module")
def tables() -> UtilityTables:
    return _tables()


def _security(t: UtilityTables, leader: int, threat: float, belief: float) -> np.ndarray:
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
    weight = t.security_weight[leader]  # per leader type: pre-scaled to the common [0, 1]
    return weight * (1.0 - sec.gamma_abandonment * ab - sec.gamma_entrapment * en)


def _full_grid(t: UtilityTables, proposer: str, leader: int, threat: float, belief: float):
    """(own, other, cost) over the full grid, shape (n_state, n_static)."""
    sec = _security(t, leader, threat, belief)[:, None]
    japan = t.japan_state[leader][:, None] + sec + t.japan_static[leader][None, :]
    us = t.us_state[:, None] + t.us_static[None, :]
    own, other = (us, japan) if proposer == "us" else (japan, us)
    cost = t.cost_state[:, None] + t.cost_static[None, :]
    assert own.size == t.grid.size
    return own, other, cost


def _full_grid_admissible(t: UtilityTables, masks: list[np.ndarray]) -> np.ndarray:
    """Admissible packages over the full grid: every issue's level passes its mask."""
    grid = t.grid
    s_idx, d_idx = grid.state_levels()
    state = masks[grid.commitment][s_idx] & masks[grid.defense][d_idx]
    static = np.ones(grid.n_static, dtype=bool)
    levels = grid.static_levels()
    for column, issue in enumerate(grid.static_issues):
        static &= masks[issue][levels[:, column]]
    return state[:, None] & static[None, :]


def _restrictions(t: UtilityTables, rng: np.random.Generator, count: int):
    """``count`` restrictions as the model builds them: linkage floors around a random
    package in force, for a random leader type, within the baseline's red lines."""
    out = []
    for _ in range(count):
        leader = int(rng.integers(0, len(t.type_names)))
        now = np.array([rng.integers(0, len(axis.values)) for axis in t.grid.axes])
        masks = admissible_masks(
            t.japan_contributions[leader],
            t.us_contributions,
            now,
            float(rng.choice([0.0, 0.3, 0.7])),
            float(rng.choice([0.0, 0.5, 1.0])),
            t.red_lines,
        )
        out.append(masks)
    return out


def _check_batch(t, search, proposer, leader, threat, belief, target, budget, masks=None):
    """Compare ``search.offers`` with the brute force; ``masks`` is (per-issue masks list,
    each replicate's index into it) or None. Returns how many replicates had an offer."""
    admissible = None
    if masks is not None:
        issue_masks, index = masks
        admissible = ([Admissible.of(t.grid, m) for m in issue_masks], index)
    b, g = search.offers(proposer, leader, threat, belief, target, budget, admissible)
    assert np.array_equal(b < 0, g < 0)
    n_feasible = 0
    for i in range(len(target)):
        own, other, cost = _full_grid(
            t, proposer, int(leader[i]), float(threat[i]), float(belief[i])
        )
        feasible = own >= target[i]
        if budget is not None:
            feasible &= cost <= budget[i]
        if masks is not None:
            feasible &= _full_grid_admissible(t, masks[0][masks[1][i]])
        if not feasible.any():
            assert b[i] == -1, f"replicate {i}: offer made although nothing is feasible"
            continue
        n_feasible += 1
        assert b[i] >= 0, f"replicate {i}: no offer although brute force finds one"
        assert feasible[b[i], g[i]], f"replicate {i}: the offer is not feasible"
        best_other = other[feasible].max()
        # ... as good for the other side as the brute-force optimum
        assert other[b[i], g[i]] == pytest.approx(best_other, abs=1e-12)
        # ties on the other's utility go to the higher own utility, then the lower cost. The
        # search compares utilities exactly, so a tie is an exactly equal value: two packages
        # 1e-16 apart (the same sum in another order) are not tied, the larger one wins.
        tied = feasible & (other == other[b[i], g[i]])
        assert own[b[i], g[i]] == own[tied].max()
        tied &= own == own[b[i], g[i]]
        assert cost[b[i], g[i]] == cost[tied].min()
    return n_feasible


def _random_batch(t, rng, n):
    leader = rng.integers(0, len(t.type_names), n)
    threat = rng.choice(THREATS, n)
    belief = rng.choice(BELIEFS, n)
    target = rng.uniform(0.2, 1.1, n)  # both sides' utilities are on [0, 1]: some above 1
    return leader, threat, belief, target


def _budget(rng, n):
    budget = rng.uniform(0.0, 3.0, n)
    budget[:5] = 0.0  # an empty win-set (or a US that believes so): zero-cost packages only
    return budget


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_us_offers_within_its_win_set_belief_equal_full_grid_brute_force(tables, seed):
    rng = np.random.default_rng(seed)
    leader, threat, belief, target = _random_batch(tables, rng, 40)
    budget = _budget(rng, 40)  # the US's bound on the win-set (core/learning.py)
    n = _check_batch(tables, OfferSearch(tables), "us", leader, threat, belief, target, budget)
    assert 0 < n < 40  # the batch exercised both outcomes


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_japan_offers_within_win_set_equal_full_grid_brute_force(tables, seed):
    rng = np.random.default_rng(seed)
    leader, threat, belief, target = _random_batch(tables, rng, 40)
    budget = _budget(rng, 40)
    n = _check_batch(tables, OfferSearch(tables), "japan", leader, threat, belief, target, budget)
    assert 0 < n < 40


@pytest.mark.parametrize(("proposer", "seed"), [("us", 11), ("japan", 12), ("us", 13)])
def test_offers_with_admissible_restrictions_equal_full_grid_brute_force(tables, proposer, seed):
    """Linkage floors and red lines restrict the search exactly as they restrict the grid;
    replicates of one batch use different restrictions (grouped by restriction index)."""
    rng = np.random.default_rng(seed)
    leader, threat, belief, target = _random_batch(tables, rng, 40)
    budget = rng.uniform(0.0, MAX_COST, 40)
    masks = _restrictions(tables, rng, 4)
    index = rng.integers(0, len(masks), 40)
    n = _check_batch(
        tables,
        OfferSearch(tables),
        proposer,
        leader,
        threat,
        belief,
        target,
        budget,
        (masks, index),
    )
    assert 0 < n < 40
    # the restrictions bind: some replicate's unrestricted offer is not admissible
    free = OfferSearch(tables).offers(proposer, leader, threat, belief, target, budget)
    restricted = OfferSearch(tables).offers(
        proposer,
        leader,
        threat,
        belief,
        target,
        budget,
        ([Admissible.of(tables.grid, m) for m in masks], index),
    )
    assert (free[0] != restricted[0]).any() or (free[1] != restricted[1]).any()


def test_an_empty_restriction_gives_no_offer(tables):
    masks = [np.ones(len(axis.values), dtype=bool) for axis in tables.grid.axes]
    masks[tables.grid.tariff] = np.zeros_like(masks[tables.grid.tariff])
    restriction = ([Admissible.of(tables.grid, masks)], np.zeros(3, dtype=np.int64))
    b, g = OfferSearch(tables).offers(
        "us",
        np.zeros(3, dtype=np.int64),
        np.full(3, 0.6),
        np.full(3, 0.1),
        np.array([0.0, 0.5, -np.inf]),
        np.full(3, np.inf),
        restriction,
    )
    assert b.tolist() == [-1, -1, -1] and g.tolist() == [-1, -1, -1]
    best = OfferSearch(tables).best_own(
        "us", np.zeros(3, dtype=np.int64), np.zeros(3), np.zeros(3), restriction
    )
    assert (best == -np.inf).all()


@pytest.mark.parametrize("proposer", ["us", "japan"])
def test_offers_without_budget_ignore_cost(tables, proposer):
    rng = np.random.default_rng(7)
    leader, threat, belief, target = _random_batch(tables, rng, 25)
    _check_batch(tables, OfferSearch(tables), proposer, leader, threat, belief, target, None)


@pytest.mark.parametrize("proposer", ["us", "japan"])
def test_offers_with_infinite_budget_ignore_cost(tables, proposer):
    """The same queries with budget = +inf (what budget=None should mean) are right."""
    rng = np.random.default_rng(7)
    leader, threat, belief, target = _random_batch(tables, rng, 25)
    budget = np.full(25, np.inf)
    search = OfferSearch(tables)
    _check_batch(tables, search, proposer, leader, threat, belief, target, budget)
    infinite = search.offers(proposer, leader, threat, belief, target, budget)
    unbounded = search.offers(proposer, leader, threat, belief, target, None)
    assert all(np.array_equal(x, y) for x, y in zip(infinite, unbounded, strict=True))


@FAST
@given(
    proposer=st.sampled_from(["us", "japan"]),
    leader=st.integers(0, 2),  # the three leader types of the baseline
    threat=st.floats(0.5, 1.0),
    belief=st.floats(0.0, 0.6),
    quantile=st.floats(0.0, 1.0),
    budget=st.floats(0.0, 6.0),
    restrict=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_single_offer_equals_brute_force(
    proposer, leader, threat, belief, quantile, budget, restrict, seed
):
    tables = _tables()
    own, _, _ = _full_grid(tables, proposer, leader, threat, belief)
    target = np.array([np.quantile(own, quantile) + 1e-9])  # off the grid's own values
    masks = None
    if restrict:
        masks = (_restrictions(tables, np.random.default_rng(seed), 1), np.zeros(1, np.int64))
    _check_batch(
        tables,
        OfferSearch(tables),
        proposer,
        np.array([leader]),
        np.array([threat]),
        np.array([belief]),
        target,
        np.array([budget]),
        masks,
    )


def test_infeasible_everywhere_returns_minus_one(tables):
    search = OfferSearch(tables)
    best = tables.us_state.max() + tables.us_static.max()
    assert best == pytest.approx(1.0)  # the US's best package is 1 on the common scale
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


@pytest.mark.parametrize("proposer", ["us", "japan"])
def test_offer_of_a_replicate_does_not_depend_on_its_batch(tables, proposer):
    rng = np.random.default_rng(8)
    leader, threat, belief, target = _random_batch(tables, rng, 30)
    budget = rng.uniform(0, 3, 30)
    masks = _restrictions(tables, rng, 3)
    restrictions = [Admissible.of(tables.grid, m) for m in masks]
    index = rng.integers(0, 3, 30)
    batch = OfferSearch(tables).offers(
        proposer, leader, threat, belief, target, budget, (restrictions, index)
    )
    for i in (0, 7, 29):
        one = slice(i, i + 1)
        alone = OfferSearch(tables).offers(
            proposer,
            leader[one],
            threat[one],
            belief[one],
            target[one],
            budget[one],
            ([restrictions[index[i]]], np.zeros(1, dtype=np.int64)),
        )
        assert (batch[0][i], batch[1][i]) == (alone[0][0], alone[1][0])


@pytest.mark.parametrize("restricted", [False, True])
@pytest.mark.parametrize("proposer", ["us", "japan", "benchmark"])
def test_best_own_equals_brute_force_max(tables, proposer, restricted):
    search = OfferSearch(tables)
    leader = np.array([0, 1, 2, 1, 0, 2])
    threat = np.array([0.5, 0.5, 0.6, 0.8, 0.8, 0.5])
    belief = np.array([0.1, 0.2, 0.1, 1 / 3, 0.1, 0.0])
    masks = _restrictions(tables, np.random.default_rng(9), 2) if restricted else None
    index = np.array([0, 1, 1, 0, 1, 0])
    admissible = None
    if restricted:
        admissible = ([Admissible.of(tables.grid, m) for m in masks], index)
    got = search.best_own(proposer, leader, threat, belief, admissible)
    for i in range(len(leader)):
        own, _, _ = _full_grid(
            tables, "us" if proposer == "us" else "japan", int(leader[i]), threat[i], belief[i]
        )
        allowed = np.ones_like(own, dtype=bool)
        if restricted:
            allowed = _full_grid_admissible(tables, masks[index[i]])
        assert got[i] == pytest.approx(own[allowed].max(), abs=1e-12)
        cand = search.candidates(
            proposer,
            int(leader[i]),
            float(threat[i]),
            float(belief[i]),
            None if admissible is None else admissible[0][index[i]],
        )
        # the best admissible package is a candidate
        assert cand.own.max() == pytest.approx(own[allowed].max(), abs=1e-12)


def _frontier(u_j: np.ndarray, u_u: np.ndarray) -> list[int]:
    """2-D maxima by sweep: sort by U_J descending (U_U descending within), keep a point iff
    its U_U beats everything with a larger U_J (allow float noise of 1e-12)."""
    order = np.lexsort((-u_u, -u_j))
    frontier = []
    best_u = -np.inf
    for i in order:
        if u_u[i] > best_u + 1e-12:
            frontier.append(i)
            best_u = u_u[i]
    return frontier


@pytest.mark.parametrize("linkage", [False, True])
@pytest.mark.parametrize("budget", [np.inf, 2.0, 0.5, 0.1])
def test_benchmark_candidates_cover_the_ratifiable_pareto_frontier(tables, budget, linkage):
    """Every Pareto-optimal (U_J, U_U) pair of the full grid's admissible packages with
    political cost within the budget is among the candidates within the budget (the
    benchmarks' ratifiable set, core/benchmarks.py): admissible is inside the red lines, or
    also within linkage floors around a package in force."""
    threat, belief = 0.6, 0.1
    masks = list(tables.red_lines)
    if linkage:
        masks = _restrictions(tables, np.random.default_rng(21), 1)[0]
    u_j, u_u, cost = (x.ravel() for x in _full_grid(tables, "benchmark", 0, threat, belief))
    inside = _full_grid_admissible(tables, masks).ravel() & (cost <= budget)
    rows = np.flatnonzero(inside)
    frontier = rows[_frontier(u_j[rows], u_u[rows])]
    cand = OfferSearch(tables).candidates(
        "benchmark", 0, threat, belief, Admissible.of(tables.grid, masks)
    )
    ok = cand.cost <= budget
    pts = np.column_stack([cand.own[ok], cand.other[ok]])
    for i in frontier:
        dist = np.abs(pts - [u_j[i], u_u[i]]).max(axis=1).min()
        assert dist < 1e-12
    assert len(frontier) >= (10 if budget > 0.5 else 1)
    # no candidate lies outside the admissible set
    admissible = _full_grid_admissible(tables, masks)
    assert admissible[cand.state, cand.static].all()
    if linkage and budget == np.inf:  # the restriction binds on the frontier
        assert not admissible.ravel()[_frontier(u_j, u_u)].all()


@FAST
@given(
    leader=st.integers(0, 2),
    threat=st.floats(0.5, 3.5),  # the baseline's whole range of ψ (threat weights 0-30)
    belief=st.floats(0.0, 1.0),
    restrict=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_state_front_over_beliefs_holds_the_frontier_of_the_beliefs(
    leader, threat, belief, restrict, seed
):
    """The state-block set shared by a bin of ψ and every ρ̂ contains that belief's own
    (U_US, U_J, -L_J) frontier: the offers it leads to are those of the exact frontier."""
    tables = _tables()
    search = OfferSearch(tables, cache=LRUCache(max_size=2**24))
    admissible = None
    if restrict:
        admissible = Admissible.of(
            tables.grid, _restrictions(tables, np.random.default_rng(seed), 1)[0]
        )
    binned = search._state_front(leader, threat, belief, admissible)
    assert binned is not None
    shared = binned[1]
    japan = tables.japan_state[leader] + _security(tables, leader, threat, belief)
    exact = restricted_front(
        (tables.us_state, japan, -tables.cost_state),
        None if admissible is None else admissible.state,
    )
    assert set(exact.tolist()) <= set(shared.tolist())
    if admissible is not None:
        assert admissible.state[shared].all()


def test_state_front_outside_the_tabulated_beliefs_is_left_to_the_exact_search(tables):
    search = OfferSearch(tables, cache=LRUCache(max_size=2**24))
    low, high = tables.threat_range
    assert (low, high) == (0.5, 3.5)  # ψ0 0.5 + ψ1 0.1 × threat weights 0 … 30
    assert search._state_front(0, high + 0.01, 0.2, None) is None
    assert search._state_front(0, 0.6, 1.5, None) is None
    assert search._state_front(0, 0.6, 0.2, None) is not None


@FAST
@given(
    seed=st.integers(0, 2**31),
    rows=st.integers(1, 300),
    width=st.integers(1, 12),
    spread=st.sampled_from([2, 7, 1000]),
)
def test_group_keys_equal_unique_rows(seed, rows, width, spread):
    """Distinct rows in lexicographic order and each row's number, as np.unique(axis=0),
    also when the columns' value counts multiply past 2^63 (12 columns of up to 300 values)."""
    data = np.random.default_rng(seed).integers(0, spread, (rows, width)).astype(np.float64)
    got, inverse = group_keys(*data.T)
    want, want_inverse = np.unique(data, axis=0, return_inverse=True)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(inverse, want_inverse.reshape(-1))
