"""Rules of the reformulated bargain on known inputs (docs/model.md §3, §4.3, §4.7).

What the US learns about Japan's win-set (core/learning.py), which packages may be put on
the table (linkage floors and public red lines, core/admissible.py), and the benchmarks over
the ratifiable set (core/benchmarks.py), the last against the axiomatic solutions of
core/bargaining.py (tested on published examples in test_bargaining.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.admissible import Admissible, admissible_masks, linkage_floor, red_line_mask
from negosim.core.bargaining import kalai_smorodinsky, nash_solution, pareto_staircase
from negosim.core.benchmarks import (
    BUDGET_RESOLUTION,
    budget_level,
    padded,
    ratifiable_front,
    ratifiable_fronts,
    solve_on_front,
)
from negosim.core.learning import update_win_set_bound
from negosim.core.utility import build_tables
from negosim.scenario import load_scenario

FAST = settings(max_examples=60, deadline=None)
B = np.array

# --------------------------------------------------------------------------- learning


def test_update_win_set_bound_hand_example():
    # ς .8. r0 a refusal of cost 1.0: B 1.2 → min(1.2, .8) = .8; r1 a refusal of cost 2.0
    # (above B already): .8·2 = 1.6 > 1.2, B stays 1.2; r2 Japan offered cost .5: floor .5,
    # B unchanged; r3 a refusal of cost .3 below the floor .5: B = max(.24, .5) = .5;
    # r4 nothing learnt
    bound = np.full(5, 1.2)
    floor = B([0.0, 0.0, 0.0, 0.5, 0.1])
    cost = B([1.0, 2.0, 0.5, 0.3, 0.9])
    refused = B([True, True, False, True, False])
    offered = B([False, False, True, False, False])
    new_bound, new_floor = update_win_set_bound(bound, floor, cost, refused, offered, 0.8)
    np.testing.assert_allclose(new_bound, [0.8, 1.2, 1.2, 0.5, 1.2], atol=1e-15)
    np.testing.assert_allclose(new_floor, [0.0, 0.0, 0.5, 0.5, 0.1], atol=1e-15)
    # a Japanese offer dearer than the bound lifts the bound to it: the Diet can pass that
    lifted, _ = update_win_set_bound(B([0.4]), B([0.0]), B([0.9]), B([False]), B([True]), 0.8)
    assert lifted[0] == 0.9


@FAST
@given(
    seed=st.integers(0, 2**31),
    shrink=st.floats(0.05, 0.99),
    months=st.integers(1, 12),
)
def test_the_bound_never_falls_below_what_japan_offered(seed, shrink, months):
    rng = np.random.default_rng(seed)
    n = 20
    bound, floor = np.full(n, 1.2), np.zeros(n)
    dearest = np.zeros(n)
    for _ in range(months):
        cost = rng.uniform(0, 3, n)
        refused, offered = rng.random(n) < 0.5, rng.random(n) < 0.3
        refused &= ~offered  # one proposer a month
        previous = bound
        bound, new_floor = update_win_set_bound(bound, floor, cost, refused, offered, shrink)
        assert np.all(new_floor >= floor)  # the floor only rises
        floor = new_floor
        dearest = np.where(offered, np.maximum(dearest, cost), dearest)
        assert np.all(bound >= dearest) and np.all(bound >= floor)
        # a refusal never raises the bound; without news it stays
        quiet = ~refused & ~offered
        assert np.all(bound[refused] <= np.maximum(previous[refused], floor[refused]))
        np.testing.assert_array_equal(bound[quiet], previous[quiet])


# --------------------------------------------------------------------------- admissible


def test_linkage_floor_hand_example():
    # contributions .0, .1, .3, .2 and the package in force at level 2 (.3), min .0:
    # ℓ 0 keeps only what is as good as now; ℓ .5: floor .3 - .5·.3 = .15; ℓ 1: anything
    u = B([0.0, 0.1, 0.3, 0.2])
    assert linkage_floor(u, 2, 0.0).tolist() == [False, False, True, False]
    assert linkage_floor(u, 2, 0.5).tolist() == [False, False, True, True]
    assert linkage_floor(u, 2, 1.0).tolist() == [True, True, True, True]
    # the level in force is always admissible, whatever ℓ
    assert all(linkage_floor(u, k, ell)[k] for k in range(4) for ell in (0.0, 0.3, 1.0))


def test_red_line_mask_keeps_the_bound_itself():
    values = B([2.0, 2.9, 3.0, 3.1])
    assert red_line_mask(values, 3.0, "above").tolist() == [True, True, True, False]
    assert red_line_mask(values, 3.0, "below").tolist() == [False, False, True, True]


def test_admissible_masks_need_both_sides_and_the_red_lines():
    # one issue of three levels; Japan prefers low levels, the US high ones; in force: 1
    japan, us = (B([0.3, 0.2, 0.0]),), (B([0.0, 0.1, 0.4]),)
    open_line = (np.ones(3, dtype=bool),)
    # ℓ 0 for both: only level 1 (each side's floor is its own value now)
    (mask,) = admissible_masks(japan, us, B([1]), 0.0, 0.0, open_line)
    assert mask.tolist() == [False, True, False]
    # Japan trades freely (ℓ 1), the US not at all: level 1 and anything better for the US
    (mask,) = admissible_masks(japan, us, B([1]), 1.0, 0.0, open_line)
    assert mask.tolist() == [False, True, True]
    # a red line at level 1 caps it again
    (mask,) = admissible_masks(japan, us, B([1]), 1.0, 0.0, (B([True, True, False]),))
    assert mask.tolist() == [False, True, False]


def test_admissible_blocks_are_the_product_of_the_issue_masks():
    grid = build_tables(load_scenario(BASELINE).spec).grid
    rng = np.random.default_rng(3)
    masks = [rng.random(len(axis.values)) < 0.6 for axis in grid.axes]
    adm = Admissible.of(grid, masks)
    bb, gg = np.meshgrid(np.arange(grid.n_state), np.arange(grid.n_static))
    levels = grid.join(bb.ravel(), gg.ravel())  # every package of the grid
    want = np.all([masks[k][levels[:, k]] for k in range(grid.n_issues)], axis=0)
    b, g = grid.split(levels)
    np.testing.assert_array_equal(adm.state[b] & adm.static[g], want)
    assert Admissible.of(grid, [m.copy() for m in masks]).key == adm.key  # by content
    masks[0] = ~masks[0]
    assert Admissible.of(grid, masks).key != adm.key


# --------------------------------------------------------------------------- benchmarks


def test_budget_level_rounds_down_to_the_resolution():
    assert BUDGET_RESOLUTION == 0.02
    # .0492/.02 = 2.46 → 2; .04 exactly (2 steps in float noise) → 2; below 0 → 0
    assert budget_level(B([0.0492, 0.04, 0.0196, -1.0, 1.2])).tolist() == [2, 2, 0, 0, 60]


@FAST
@given(seed=st.integers(0, 2**31), level=st.integers(0, 400))
def test_ratifiable_front_is_the_frontier_of_the_packages_within_the_budget(seed, level):
    rng = np.random.default_rng(seed)
    u1, u2, cost = rng.random(60), rng.random(60), rng.uniform(0, 2, 60)
    got = ratifiable_front(u1, u2, cost, level)
    within = np.flatnonzero(cost <= level * BUDGET_RESOLUTION + 1e-12)
    want = within[pareto_staircase(u1[within], u2[within])] if len(within) else within
    np.testing.assert_array_equal(got, want)
    assert np.all(np.diff(u1[got]) >= 0)  # sorted by u1 ascending


@FAST
@given(
    seed=st.integers(0, 2**31),
    levels=st.lists(st.integers(0, 120), min_size=1, max_size=6),
    grain=st.sampled_from([0.0, 0.1, 0.25]),
)
def test_ratifiable_fronts_equal_the_frontier_of_each_level(seed, levels, grain):
    """One sort for many levels gives each level's frontier, in the same order, duplicates
    (equal u1, equal u2, equal both: ``grain`` rounds values onto a coarse lattice) kept."""
    rng = np.random.default_rng(seed)
    u1, u2, cost = rng.random(80), rng.random(80), rng.uniform(0, 2, 80)
    if grain:
        u1, u2 = np.round(u1 / grain) * grain, np.round(u2 / grain) * grain
    got = ratifiable_fronts(u1, u2, cost, levels)
    for level, front in zip(levels, got, strict=True):
        np.testing.assert_array_equal(front, ratifiable_front(u1, u2, cost, level))


def test_solve_on_front_hand_example():
    # frontier (0, 1), (.5, .5), (1, 0); d = (0, 0): Nash and KS at (.5, .5) (position 1);
    # outcome (.2, .2): dominated by (.5, .5) at distance √(.3² + .3²); (.5, .5) is on the
    # frontier: 0; (.6, .6) lies beyond it: nothing dominates it, 0 too
    a, b = padded([(B([0.0, 0.5, 1.0]), B([1.0, 0.5, 0.0]))])
    a, b = np.repeat(a, 3, axis=0), np.repeat(b, 3, axis=0)
    zero = np.zeros(3)
    got = solve_on_front(a, b, zero, zero, 0.5, B([0.2, 0.5, 0.6]), B([0.2, 0.5, 0.6]))
    assert got.nash.tolist() == [1, 1, 1] and got.ks.tolist() == [1, 1, 1]
    np.testing.assert_allclose(got.distance_pareto, [np.hypot(0.3, 0.3), 0.0, 0.0], atol=1e-15)
    # a disagreement point above every package: no individually rational package
    none = solve_on_front(a[:1], b[:1], B([0.9]), B([0.9]), 0.5, B([0.0]), B([0.0]))
    assert none.nash.tolist() == [-1] and none.ks.tolist() == [-1]
    # bargaining power to Japan (w .9) moves Nash to its best rational package
    d = B([0.0]), B([0.0])
    assert solve_on_front(a[:1], b[:1], *d, 0.9, B([0.0]), B([0.0])).nash.tolist() == [1]
    lean = solve_on_front(a[:1], b[:1], B([0.0]), B([0.4]), 0.5, B([0.0]), B([0.0]))
    assert lean.nash.tolist() == [1] and lean.ks.tolist() == [1]
    only_japan = solve_on_front(a[:1], b[:1], B([0.0]), B([0.6]), 0.5, B([0.0]), B([0.0]))
    assert only_japan.nash.tolist() == [0] and only_japan.ks.tolist() == [0]
    # KS ties on the smallest normalised gain (.4 at (.4, 1) and at (.6, .4); ideal (1, 1))
    # go to the larger sum of normalised gains, 1.4 against 1.0: position 0
    x, y = B([0.4, 0.6, 1.0]), B([1.0, 0.4, 0.3])
    tie = solve_on_front(x[None], y[None], B([0.0]), B([0.0]), 0.5, B([0.0]), B([0.0]))
    assert tie.ks.tolist() == [0] == [kalai_smorodinsky(x, y, 0.0, 0.0)]


@FAST
@given(
    seed=st.integers(0, 2**31),
    weight=st.sampled_from([0.5, 0.3, 0.8]),
    sizes=st.lists(st.integers(0, 25), min_size=1, max_size=4),
)
def test_solve_on_front_equals_the_axiomatic_solutions_row_by_row(seed, weight, sizes):
    """Nash (asymmetric) and KS of each row's own frontier, from its own disagreement point,
    as core/bargaining.py solves them one problem at a time; frontiers of different lengths
    padded with NaN. The distance to the frontier by brute force over dominating packages."""
    rng = np.random.default_rng(seed)
    fronts = []
    for size in sizes:
        x, y = rng.random(size), rng.random(size)
        stairs = pareto_staircase(x, y) if size else np.zeros(0, dtype=np.int64)
        fronts.append((x[stairs], y[stairs]))
    a, b = padded(fronts)
    rows = rng.integers(0, len(fronts), 30)
    a, b = a[rows], b[rows]
    d1, d2 = rng.uniform(0, 0.6, 30), rng.uniform(0, 0.6, 30)
    p1, p2 = rng.random(30), rng.random(30)
    got = solve_on_front(a, b, d1, d2, weight, p1, p2)
    for i, row in enumerate(rows):
        x, y = fronts[row]
        want_nash = nash_solution(x, y, d1[i], d2[i], weight1=weight) if len(x) else -1
        want_ks = kalai_smorodinsky(x, y, d1[i], d2[i]) if len(x) else -1
        assert got.nash[i] == want_nash
        assert got.ks[i] == want_ks
        dominating = (x >= p1[i]) & (y >= p2[i]) & ((x > p1[i]) | (y > p2[i]))
        want = np.hypot(x - p1[i], y - p2[i])[dominating].min() if dominating.any() else 0.0
        assert got.distance_pareto[i] == pytest.approx(want, abs=1e-12)
