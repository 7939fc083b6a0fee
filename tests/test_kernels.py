"""The compiled loops (core/kernels.py) against plain-Python references.

Values are small integers as floats, so exact ties are everywhere: the tie rules (other's
utility, then own, then cost, then the earlier package) and the frontier's runs of equal
utility are exercised, not just the generic case. The baseline's own tables are checked
through OfferSearch in test_rules_offers.py and, for the benchmarks, below.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.admissible import Admissible
from negosim.core.benchmarks import group_fronts, ratifiable_fronts, solve_on_front
from negosim.core.kernels import composed_fronts, pick_composed, pick_flat, staircases
from negosim.core.lru import LRUCache
from negosim.core.offers import OfferSearch
from negosim.core.utility import build_tables
from negosim.scenario import load_scenario

FAST = settings(max_examples=60, deadline=None)


def _best(own, other, cost, target, limit):
    """Index of the lexicographic best feasible package, by a plain loop (-1: none)."""
    best, key = -1, None
    for p in range(len(own)):
        if not (own[p] >= target and cost[p] <= limit) or other[p] != other[p]:
            continue
        candidate = (other[p], own[p], -cost[p], -p)
        if key is None or candidate > key:
            best, key = p, candidate
    return best


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 30), rows=st.integers(1, 8))
def test_pick_flat_is_the_lexicographic_best(seed, n, rows):
    rng = np.random.default_rng(seed)
    own, other, cost = (rng.integers(0, 4, n).astype(float) for _ in range(3))
    other[rng.random(n) < 0.1] = np.nan  # a NaN never qualifies
    target = rng.integers(0, 5, rows).astype(float)
    budget = rng.integers(0, 5, rows).astype(float)
    got = pick_flat(own, other, cost, target, budget)
    want = [_best(own, other, cost, target[r], budget[r]) for r in range(rows)]
    assert got.tolist() == want


def _layout(rng: np.random.Generator, groups: int):
    """A random batch laid out as core/skeleton.py lays it, and its explicit packages."""
    n_leaders, n_b, n_g = 2, 6, 7
    tables = tuple(rng.integers(0, 4, n).astype(float) for n in (n_b, n_g, n_b, n_g))
    japan_static = rng.integers(0, 4, (n_leaders, n_g)).astype(float)
    skeletons = []
    for _ in range(rng.integers(1, 4)):
        state = np.sort(rng.choice(n_b, rng.integers(0, n_b + 1), replace=False))
        static = np.sort(rng.choice(n_g, rng.integers(0, n_g + 1), replace=False))
        skeletons.append((state, static))
    k = rng.integers(0, len(skeletons), groups)
    leader = rng.integers(0, n_leaders, groups)
    n_state = np.array([len(skeletons[i][0]) for i in k], dtype=np.int64)
    width = np.array([len(skeletons[i][1]) for i in k], dtype=np.int64)
    rows = np.array([len(s) for s, _ in skeletons])
    widths = np.array([len(g) for _, g in skeletons])
    starts = lambda sizes: np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)  # noqa: E731
    japan_state = rng.integers(0, 4, int(n_state.sum())).astype(float)
    layout = (
        starts(n_state),
        n_state,
        starts(rows)[k],
        np.concatenate([s for s, _ in skeletons]).astype(np.int64),
        starts(widths)[k],
        np.concatenate([g for _, g in skeletons]).astype(np.int64),
        width,
        leader.astype(np.int64),
    )
    us_order = np.concatenate(
        [np.argsort(-tables[1][g], kind="stable") for _, g in skeletons]
    ).astype(np.int64)

    def explicit(g):
        """(b, g, U_US, U_J, L_J) of group g's packages, in the order i·width + j."""
        state, static = skeletons[k[g]]
        js = japan_state[layout[0][g] : layout[0][g] + n_state[g]]
        bb, gg = np.repeat(state, len(static)), np.tile(static, len(state))
        us = tables[0][bb] + tables[1][gg]
        japan = np.repeat(js, len(static)) + japan_static[leader[g]][gg]
        return bb, gg, us, japan, tables[2][bb] + tables[3][gg]

    # Japan's static order depends on the leader (the model keeps a skeleton per leader):
    # here each group gets its own copy of its static set, in its leader's order
    japan_order = np.concatenate(
        [
            np.argsort(-japan_static[leader[g]][skeletons[k[g]][1]], kind="stable")
            for g in range(groups)
        ]
    ).astype(np.int64)
    layout_japan = list(layout)
    layout_japan[4] = starts(width)
    layout_japan[5] = np.concatenate([skeletons[k[g]][1] for g in range(groups)]).astype(np.int64)
    packed = (*tables, japan_static.reshape(-1))
    return layout, tuple(layout_japan), japan_state, packed, us_order, japan_order, explicit


@FAST
@given(seed=st.integers(0, 2**32 - 1), groups=st.integers(1, 5), rows=st.integers(1, 12))
def test_pick_composed_is_the_lexicographic_best_of_the_explicit_packages(seed, groups, rows):
    rng = np.random.default_rng(seed)
    layout, layout_japan, japan_state, packed, us_order, japan_order, explicit = _layout(
        rng, groups
    )
    group = rng.integers(0, groups, rows).astype(np.int64)
    target = rng.integers(0, 9, rows).astype(float)
    budget = rng.integers(0, 9, rows).astype(float)
    for proposer, lay, order in (("us", layout, us_order), ("japan", layout_japan, japan_order)):
        b, g = pick_composed(
            proposer == "us", lay, japan_state, packed, order, group, target, budget
        )
        for r in range(rows):
            bb, gg, us, japan, cost = explicit(group[r])
            own, other = (us, japan) if proposer == "us" else (japan, us)
            p = _best(own, other, cost, target[r], budget[r])
            assert (b[r], g[r]) == ((-1, -1) if p < 0 else (bb[p], gg[p])), (proposer, r)


def _front_pairs(u1, u2, cost, limit):
    """The set of (u1, u2) pairs on the frontier of the packages with cost ≤ limit."""
    ok = cost <= limit
    pairs = set()
    for p in np.flatnonzero(ok):
        dominated = (
            (u1[ok] >= u1[p]) & (u2[ok] >= u2[p]) & ((u1[ok] > u1[p]) | (u2[ok] > u2[p]))
        ).any()
        if not dominated:
            pairs.add((u1[p], u2[p]))
    return pairs


@FAST
@given(seed=st.integers(0, 2**32 - 1), groups=st.integers(1, 5))
def test_composed_fronts_are_the_frontiers_of_the_explicit_packages(seed, groups):
    rng = np.random.default_rng(seed)
    _, layout_japan, japan_state, packed, _, japan_order, explicit = _layout(rng, groups)
    counts = rng.integers(0, 3, groups)
    limit_start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    limits = rng.integers(0, 9, int(counts.sum())).astype(float)
    japan, us, starts = composed_fronts(
        layout_japan, japan_state, packed, japan_order, limits, limit_start
    )
    for g in range(groups):
        _, _, u_us, u_japan, cost = explicit(g)
        for item in range(limit_start[g], limit_start[g + 1]):
            x, y = japan[starts[item] : starts[item + 1]], us[starts[item] : starts[item + 1]]
            assert (np.diff(x) >= 0).all()  # by U_J ascending (a pair twice: two packages)
            assert set(zip(x, y, strict=True)) == _front_pairs(u_japan, u_us, cost, limits[item])


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 40))
def test_staircases_hold_every_package_on_each_frontier(seed, n):
    rng = np.random.default_rng(seed)
    u1, u2, cost = (rng.integers(0, 5, n).astype(float) for _ in range(3))
    limits = np.array([0.0, 2.0, 4.0])
    order = np.argsort(-u1, kind="stable")
    positions, starts = staircases(u1[order], u2[order], cost[order], limits)
    for level, limit in enumerate(limits):
        chosen = order[positions[starts[level] : starts[level + 1]]]
        assert {(u1[p], u2[p]) for p in chosen} == _front_pairs(u1, u2, cost, limit)
        # every package with a frontier pair is kept (ties included), by u1 then index
        on = _front_pairs(u1, u2, cost, limit)
        want = [p for p in range(n) if cost[p] <= limit and (u1[p], u2[p]) in on]
        assert chosen.tolist() == sorted(want, key=lambda p: (u1[p], p))


@pytest.mark.parametrize("seed", [3, 4])
def test_compiled_benchmark_fronts_give_the_explicit_benchmarks(seed):
    """group_fronts (one compiled call) against each group's explicit candidates and
    ratifiable_fronts on the baseline: the same frontier pairs, the same Nash and KS."""
    tables = build_tables(load_scenario(BASELINE).spec)
    search = OfferSearch(tables, LRUCache(max_size=2**26))
    rng = np.random.default_rng(seed)
    n = 40
    low, high = tables.threat_range
    groups = np.column_stack(
        [
            rng.integers(0, len(tables.type_names), n),
            rng.choice(rng.uniform(low, high, 6), n),
            rng.choice([0.0, 0.2, 0.5, 1.0], n),
            rng.integers(0, 120, n),
        ]
    ).astype(float)
    groups = np.unique(groups, axis=0)
    red_lines = Admissible.of(tables.grid, list(tables.red_lines))
    a, b = group_fronts(search, groups, red_lines)
    d1, d2 = rng.uniform(0.2, 0.6, len(groups)), rng.uniform(0.2, 0.6, len(groups))
    p1, p2 = rng.uniform(0.3, 0.8, len(groups)), rng.uniform(0.3, 0.8, len(groups))
    got = solve_on_front(a, b, d1, d2, 0.5, p1, p2)
    for g, (leader, threat, belief, level) in enumerate(groups):
        cands = search.candidates("benchmark", int(leader), threat, belief, red_lines)
        (_, _, own, other, cost), order = cands.by_own()
        on = ratifiable_fronts(own, other, cost, [int(level)], order)[0]
        row = ~np.isnan(a[g])
        assert set(zip(a[g][row], b[g][row], strict=True)) == set(
            zip(own[on], other[on], strict=True)
        )
        one = solve_on_front(
            own[on][None],
            other[on][None],
            d1[g : g + 1],
            d2[g : g + 1],
            0.5,
            p1[g : g + 1],
            p2[g : g + 1],
        )
        for pick, single in ((got.nash, one.nash), (got.ks, one.ks)):
            assert (pick[g] < 0) == (single[0] < 0)
            if pick[g] >= 0:
                assert (a[g, pick[g]], b[g, pick[g]]) == (own[on][single[0]], other[on][single[0]])
        assert got.distance_pareto[g] == one.distance_pareto[0]


def test_a_run_calls_the_loops_only_with_the_types_warm_up_compiles():
    """A sweep's workers inherit what the driver's warm_up loaded: if a run called a loop
    with other argument types (dtype, layout), every worker would compile it again (~2 s)."""
    import subprocess
    import sys

    script = f"""
from negosim.core import kernels
from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.outcome_space import outcome_space
from negosim.scenario import load_scenario
kernels.warm_up()
loops = [getattr(kernels, name) for name in dir(kernels)]
loops = [f for f in loops if hasattr(f, "signatures") and not f.__name__.startswith("_")]
before = {{f.__name__: len(f.signatures) for f in loops}}
model = NegotiationModel(load_scenario({str(BASELINE)!r}), seeds=range(200), rounds=12).run()
summarize(model)
outcome_space(model, 0)
after = {{f.__name__: len(f.signatures) for f in loops}}
assert all(n == 1 for n in before.values()), before
assert after == before, (before, after)
print(sorted(after))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pick_composed" in done.stdout and "counter_uniforms" in done.stdout
