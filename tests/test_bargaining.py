"""Bargaining benchmarks: published examples with known answers, then brute-force references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from negosim.core import bargaining
from negosim.core.bargaining import (
    _pareto_mask_nd,
    best_for_other,
    kalai_smorodinsky,
    nash_product,
    nash_solution,
    pareto_mask,
    pareto_staircase,
    utility_distance,
)

FAST = settings(max_examples=120, deadline=None)


# --------------------------------------------------------------------------- references


def brute_pareto(u: np.ndarray) -> np.ndarray:
    """O(m^2) definition: i is dominated iff some j is >= everywhere and > somewhere."""
    if u.shape[0] == 0:
        return np.ones(0, dtype=bool)
    ge = (u[:, None, :] >= u[None, :, :]).all(axis=2)
    gt = (u[:, None, :] > u[None, :, :]).any(axis=2)
    return ~(ge & gt).any(axis=0)


def brute_best_for_other(a, b, targets, cost=None, budgets=None) -> np.ndarray:
    """Scan every outcome; order: u_other, then u_own, then -cost, then -index."""
    out = []
    for i, t in enumerate(targets):
        ok = a >= t
        if cost is not None:
            ok &= cost <= budgets[i]
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            out.append(-1)
            continue
        c = np.zeros_like(a) if cost is None else cost
        out.append(min(idx, key=lambda j: (-b[j], -a[j], c[j], j)))
    return np.array(out, dtype=np.int64)


def individually_rational(u1, u2, d1, d2) -> np.ndarray:
    return (u1 >= d1) & (u2 >= d2)


# --------------------------------------------------------------------------- strategies

VALUES = st.one_of(
    st.integers(-3, 3).map(float),  # many ties and duplicates
    st.floats(allow_nan=False, allow_subnormal=True),  # includes ±inf, -0.0, huge values
)


@st.composite
def matrices(draw, kmin: int = 1, kmax: int = 5) -> np.ndarray:
    k = draw(st.integers(kmin, kmax))
    m = draw(st.integers(0, 40))
    u = draw(hnp.arrays(np.float64, (m, k), elements=VALUES))
    if m:  # explicit duplicated rows
        dup = draw(st.lists(st.integers(0, m - 1), max_size=5))
        u = np.vstack([u, u[dup]])
    return u


small_ints = st.integers(0, 6).map(float)


@st.composite
def two_player(draw, min_size: int = 0) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(min_size, 30))
    u1 = draw(hnp.arrays(np.float64, m, elements=small_ints | st.floats(0, 10)))
    u2 = draw(hnp.arrays(np.float64, m, elements=small_ints | st.floats(0, 10)))
    return u1, u2


# --------------------------------------------------------------------------- published examples


def test_split_the_dollar_risk_averse_player() -> None:
    """Split a dollar, x to player 1, with u1 = x (risk neutral) and u2 = sqrt(1 - x), d = 0.

    Textbook example of risk aversion in the Nash solution (Osborne & Rubinstein, Bargaining
    and Markets, 1990, ch. 2; Muthoo, Bargaining Theory with Applications, 1999, ch. 2).
    Nash: max x sqrt(1-x); d/dx log = 1/x - 1/(2(1-x)) = 0 gives x = 2/3, so the risk-averse
    player gets less than half. KS: ideal I = (1, 1), so u1 = u2: x = sqrt(1-x), x^2 + x - 1 = 0,
    x = (sqrt 5 - 1)/2 ~ 0.618. On a grid of step 1e-5 both objectives are unimodal (log-concave
    resp. min of monotone functions), so the discrete answer is a grid neighbour of the exact one.
    """
    x = np.linspace(0.0, 1.0, 100_001)
    u1, u2 = x, np.sqrt(1.0 - x)
    step = 1e-5
    assert abs(x[nash_solution(u1, u2, 0.0, 0.0)] - 2.0 / 3.0) <= step
    assert abs(x[kalai_smorodinsky(u1, u2, 0.0, 0.0)] - (math.sqrt(5.0) - 1.0) / 2.0) <= step


@pytest.mark.parametrize("w", [0.2, 0.5, 0.75, 0.9])
def test_asymmetric_nash_linear_split(w: float) -> None:
    """u1 = x, u2 = 1 - x, d = 0: max x^w (1-x)^(1-w) gives w/x = (1-w)/(1-x), so x = w.

    The asymmetric solution gives each side its bargaining power as share of the pie (Kalai
    1977; Roth 1979, Axiomatic Models of Bargaining).
    """
    x = np.linspace(0.0, 1.0, 100_001)
    assert abs(x[nash_solution(x, 1.0 - x, 0.0, 0.0, weight1=w)] - w) <= 1e-5


def test_linear_split_with_disagreement_points_per_replicate() -> None:
    """Pie of size 1 with u1 = x, u2 = 1 - x and outside options (d1, d2), d1 + d2 < 1.

    Nash: each gets the outside option plus a w-share of the surplus, x = d1 + w(1 - d1 - d2)
    (Muthoo 1999, ch. 2, from the first-order condition w/(x-d1) = (1-w)/(1-x-d2)). KS: the
    ideal point over the IR set is I = (1 - d2, 1 - d1), equal normalised gains give
    x - d1 = 1 - x - d2, i.e. x = (1 + d1 - d2)/2. The (n,) path must agree with scalar calls.
    """
    x = np.linspace(0.0, 1.0, 20_001)
    d1 = np.array([0.0, 0.1, 0.3, 0.05, 0.45])
    d2 = np.array([0.0, 0.2, 0.1, 0.6, 0.45])
    w = 0.3
    nash = nash_solution(x, 1.0 - x, d1, d2, weight1=w)
    ks = kalai_smorodinsky(x, 1.0 - x, d1, d2)
    assert nash.shape == ks.shape == (5,)
    np.testing.assert_allclose(x[nash], d1 + w * (1.0 - d1 - d2), atol=1e-4)
    np.testing.assert_allclose(x[ks], (1.0 + d1 - d2) / 2.0, atol=1e-4)
    for i in range(5):
        assert nash[i] == nash_solution(x, 1.0 - x, d1[i], d2[i], weight1=w)
        assert ks[i] == kalai_smorodinsky(x, 1.0 - x, d1[i], d2[i])


def _hull_points(upper: list[tuple[np.ndarray, np.ndarray]], inside) -> tuple[np.ndarray, ...]:
    """Dense boundary segments plus a 201 x 201 interior grid filtered by ``inside``."""
    g1, g2 = np.meshgrid(np.linspace(0, 1, 201), np.linspace(0, 1, 201))
    g1, g2 = g1.ravel(), g2.ravel()
    keep = inside(g1, g2)
    u1 = np.concatenate([s[0] for s in upper] + [g1[keep]])
    u2 = np.concatenate([s[1] for s in upper] + [g2[keep]])
    return u1, u2


def test_kalai_smorodinsky_1975_monotonicity_example() -> None:
    """Kalai & Smorodinsky (1975), Econometrica 43(3):513-518, the example motivating KS.

    S = conv{(0,0),(1,0),(0,1),(3/4,3/4)}: Pareto boundary (0,1)-(3/4,3/4) on u2 = 1 - u1/3
    and (3/4,3/4)-(1,0) on u2 = 3(1 - u1). S is symmetric, so Nash(S) = KS(S) = (3/4, 3/4)
    (check: u1 u2 = u1 - u1^2/3 rises up to u1 = 3/2 > 3/4; 3 u1 (1 - u1) falls after 1/2).
    T = conv{(0,0),(1,0),(0,1),(1,0.7)}: boundary (0,1)-(1,0.7) on u2 = 1 - 0.3 u1, then the
    vertical edge u1 = 1. Since 1 - 0.3 u1 >= min(1 - u1/3, 3(1 - u1)) on [0, 1], S ⊆ T, and
    both have ideal point (1, 1): for every u1, player 2 can get at least as much in T.
    Nash(T): u1 (1 - 0.3 u1) rises on [0, 1] (derivative 1 - 0.6 u1 > 0), so Nash(T) = (1, 0.7):
    player 2 gets 0.7 < 3/4, Nash violates individual monotonicity. KS(T): u1 = u2 = u on the
    first edge, u = 1 - 0.3 u, u = 1/1.3 ~ 0.769 >= 3/4: both gain from T, as KS promises.
    Boundary edges use 20,001 points (step <= 5e-5 in u1), so KS(T) is found within 1e-4.
    """
    n = 20_001
    a = np.linspace(0.0, 0.75, n)
    b = np.linspace(0.75, 1.0, n)
    s1, s2 = _hull_points(
        [(a, 1.0 - a / 3.0), (b, 3.0 * (1.0 - b))],
        lambda x, y: (y <= 1.0 - x / 3.0) & (y <= 3.0 * (1.0 - x)),
    )
    c = np.linspace(0.0, 1.0, n)
    t1, t2 = _hull_points(
        [(c, 1.0 - 0.3 * c), (np.ones(n), np.linspace(0.0, 0.7, n))],
        lambda x, y: y <= 1.0 - 0.3 * x,
    )
    assert np.all(s2 <= 1.0 - 0.3 * s1 + 1e-12)  # S ⊆ T
    assert (s1.max(), s2.max()) == (t1.max(), t2.max()) == (1.0, 1.0)  # same ideal point

    ns, ks_s = nash_solution(s1, s2, 0.0, 0.0), kalai_smorodinsky(s1, s2, 0.0, 0.0)
    nt, ks_t = nash_solution(t1, t2, 0.0, 0.0), kalai_smorodinsky(t1, t2, 0.0, 0.0)
    np.testing.assert_allclose((s1[ns], s2[ns]), (0.75, 0.75), atol=1e-12)
    np.testing.assert_allclose((s1[ks_s], s2[ks_s]), (0.75, 0.75), atol=1e-12)
    np.testing.assert_allclose((t1[nt], t2[nt]), (1.0, 0.7), atol=1e-12)
    np.testing.assert_allclose((t1[ks_t], t2[ks_t]), (1 / 1.3, 1 / 1.3), atol=1e-4)
    assert abs(t2[ks_t] - (1.0 - 0.3 * t1[ks_t])) < 1e-12  # on the edge (0,1)-(1,0.7)
    assert t2[nt] < s2[ns]  # Nash: player 2 loses when the set grows in his direction
    assert t1[ks_t] >= s1[ks_s] and t2[ks_t] >= s2[ks_s]  # KS: nobody loses
    dist = utility_distance(t1[nt], t2[nt], t1[ks_t], t2[ks_t])
    assert dist == pytest.approx(math.hypot(1 - 1 / 1.3, 0.7 - 1 / 1.3), abs=2e-4)


def test_quarter_disc_is_symmetric() -> None:
    """u1^2 + u2^2 <= 1, d = 0: symmetric, so Nash = KS = (1/sqrt 2, 1/sqrt 2) (Nash 1950)."""
    theta = np.linspace(0.0, np.pi / 2, 40_001)  # contains pi/4 at the midpoint
    u1, u2 = np.cos(theta), np.sin(theta)
    for solve in (nash_solution, kalai_smorodinsky):
        i = solve(u1, u2, 0.0, 0.0)
        assert u1[i] == pytest.approx(math.sqrt(0.5), abs=1e-4)
        assert u2[i] == pytest.approx(math.sqrt(0.5), abs=1e-4)


# --------------------------------------------------------------------------- Pareto


@FAST
@given(matrices())
def test_pareto_mask_matches_brute_force(u: np.ndarray) -> None:
    expected = brute_pareto(u)
    np.testing.assert_array_equal(pareto_mask(u), expected)
    if u.shape[1] >= 2 and u.shape[0]:  # the block filter with tiny blocks (many rounds)
        np.testing.assert_array_equal(_pareto_mask_nd(u, block_cells=3, max_block=4), expected)


@pytest.mark.parametrize(("m", "k"), [(3000, 2), (1500, 3), (1200, 6)])
def test_pareto_mask_larger_random_sets(m: int, k: int) -> None:
    rng = np.random.default_rng(m + k)
    u = rng.integers(0, 12, size=(m, k)).astype(float)
    u = np.vstack([u, u[:50]])  # duplicates of possibly optimal points
    np.testing.assert_array_equal(pareto_mask(u), brute_pareto(u))


def test_pareto_mask_keeps_duplicates_and_rejects_nan() -> None:
    u = np.array([[1.0, 2.0, 0.0], [1.0, 2.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(pareto_mask(u), [True, True, False, True])
    np.testing.assert_array_equal(pareto_mask(u[:, :2]), [True, True, False, False])
    with pytest.raises(ValueError, match="NaN"):
        pareto_mask(np.array([[0.0, np.nan]]))


@FAST
@given(two_player())
def test_staircase_is_the_sorted_frontier(pair: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = pair
    stairs = pareto_staircase(a, b)
    assert set(stairs.tolist()) == set(np.flatnonzero(brute_pareto(np.c_[a, b])).tolist())
    assert np.all(np.diff(a[stairs]) >= 0) and np.all(np.diff(b[stairs]) <= 0)


# --------------------------------------------------------------------------- trade-off


@FAST
@given(two_player(), st.data())
def test_best_for_other_matches_brute_force(pair, data) -> None:
    a, b = pair
    targets = data.draw(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-1, 11)))
    np.testing.assert_array_equal(
        best_for_other(a, b, targets), brute_best_for_other(a, b, targets)
    )
    cost = data.draw(hnp.arrays(np.float64, a.shape, elements=st.integers(0, 3).map(float)))
    budgets = data.draw(
        hnp.arrays(np.float64, targets.shape, elements=st.integers(-1, 4).map(float))
    )
    np.testing.assert_array_equal(
        best_for_other(a, b, targets, cost, budgets),
        brute_best_for_other(a, b, targets, cost, budgets),
    )


def test_best_for_other_large_and_chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 40, 400).astype(float), rng.integers(0, 40, 400).astype(float)
    cost, targets = rng.integers(0, 10, 400).astype(float), rng.uniform(-5, 45, 300)
    budgets = rng.integers(-1, 10, 300).astype(float)
    expected = brute_best_for_other(a, b, targets, cost, budgets)
    monkeypatch.setattr(bargaining, "CHUNK_BYTES", 256)  # many small chunks
    np.testing.assert_array_equal(best_for_other(a, b, targets, cost, budgets), expected)
    plain = brute_best_for_other(a, b, targets)
    np.testing.assert_array_equal(best_for_other(a, b, targets), plain)


def test_best_for_other_infeasible_and_ties() -> None:
    a = np.array([0.5, 0.9, 0.9, 0.2])
    b = np.array([0.8, 0.8, 0.8, 0.9])
    # target 0.3: outcomes 0, 1, 2 give the other 0.8; higher own utility wins, then low index
    np.testing.assert_array_equal(best_for_other(a, b, [0.3, 0.0, 0.95, np.nan]), [1, 3, -1, -1])
    cost = np.array([0.0, 2.0, 1.0, 5.0])
    np.testing.assert_array_equal(
        best_for_other(a, b, [0.3, 0.3, 0.3, 0.0], cost, [5.0, 1.0, 0.0, -1.0]), [2, 2, 0, -1]
    )
    with pytest.raises(ValueError, match="together"):
        best_for_other(a, b, [0.3], extra_cost=cost)


# --------------------------------------------------------------------------- solution properties

disagreement = st.floats(-1, 8) | st.integers(0, 6).map(float)


@FAST
@given(two_player(), disagreement, disagreement, st.sampled_from([0.5, 0.25, 0.8]))
def test_nash_is_optimal_pareto_and_rational(pair, d1: float, d2: float, w: float) -> None:
    u1, u2 = pair
    i = nash_solution(u1, u2, d1, d2, weight1=w)
    ir = individually_rational(u1, u2, d1, d2)
    if not ir.any():
        assert i == -1
        return
    assert ir[i] and brute_pareto(np.c_[u1, u2])[i]
    products = nash_product(u1, u2, d1, d2, weight1=w)
    assert products[i] == pytest.approx(np.nanmax(products), rel=1e-12)
    if np.nanmax(products) == 0.0:  # zero gains only: the weighted sum of gains decides
        gains = np.where(ir, w * (u1 - d1) + (1 - w) * (u2 - d2), -np.inf)
        assert gains[i] == gains.max()
    assert i == _nash_reference(u1, u2, d1, d2, w)
    # relabelling the players (and the powers) is the same problem
    assert nash_solution(u2, u1, d2, d1, weight1=1.0 - w) == i


def _nash_reference(u1, u2, d1, d2, w) -> int:
    """Scan the brute-force Pareto set in index order with the documented rule."""
    best, best_key = -1, None
    for j in np.flatnonzero(brute_pareto(np.c_[u1, u2]) & individually_rational(u1, u2, d1, d2)):
        g1, g2 = u1[j] - d1, u2[j] - d2
        with np.errstate(divide="ignore"):
            log_product = w * np.log(g1) + (1 - w) * np.log(g2)
        key = (log_product, w * g1 + (1 - w) * g2 if log_product == -np.inf else 0.0)
        if best_key is None or key > best_key:
            best, best_key = int(j), key
    return best


def _ks_reference(u1, u2, d1, d2) -> int:
    """Lexicographic (min normalised gain, sum of them, lowest index) over the Pareto set."""
    ir = individually_rational(u1, u2, d1, d2)
    if not ir.any():
        return -1
    i1, i2 = u1[ir].max() - d1, u2[ir].max() - d2
    best, best_key = -1, None
    for j in np.flatnonzero(brute_pareto(np.c_[u1, u2]) & ir):
        n1 = (u1[j] - d1) / i1 if i1 > 0 else 1.0
        n2 = (u2[j] - d2) / i2 if i2 > 0 else 1.0
        if best_key is None or (min(n1, n2), n1 + n2) > best_key:
            best, best_key = int(j), (min(n1, n2), n1 + n2)
    return best


def _ks_score(u1, u2, d1, d2) -> np.ndarray:
    ir = individually_rational(u1, u2, d1, d2)
    i1, i2 = u1[ir].max() - d1, u2[ir].max() - d2
    with np.errstate(over="ignore"):  # only outcomes that are not IR can overflow
        n1 = (u1 - d1) / i1 if i1 > 0 else np.ones_like(u1)
        n2 = (u2 - d2) / i2 if i2 > 0 else np.ones_like(u2)
    return np.where(ir, np.minimum(n1, n2), -np.inf)


@FAST
@given(two_player(), disagreement, disagreement)
def test_ks_is_optimal_pareto_and_rational(pair, d1: float, d2: float) -> None:
    u1, u2 = pair
    i = kalai_smorodinsky(u1, u2, d1, d2)
    ir = individually_rational(u1, u2, d1, d2)
    if not ir.any():
        assert i == -1
        return
    assert ir[i] and brute_pareto(np.c_[u1, u2])[i]
    score = _ks_score(u1, u2, d1, d2)  # over all outcomes, not only the Pareto set
    assert score[i] == pytest.approx(score.max(), rel=1e-12, abs=1e-15)
    assert kalai_smorodinsky(u2, u1, d2, d1) == i  # symmetry axiom: relabel the players
    assert i == _ks_reference(u1, u2, d1, d2)


def test_ks_tie_break_prefers_the_larger_sum_of_normalised_gains() -> None:
    # ideal (1, 1); outcomes 0 and 1 both reach min gain 0.5, outcome 1 gives 1.4 in total
    u1, u2 = [0.7, 0.5, 1.0, 0.0], [0.5, 0.9, 0.0, 1.0]
    assert kalai_smorodinsky(u1, u2, 0.0, 0.0) == 1
    assert kalai_smorodinsky(u2, u1, 0.0, 0.0) == 1


@FAST
@given(two_player(min_size=1), st.data())
def test_batched_disagreement_points_match_scalar_calls(pair, data) -> None:
    u1, u2 = pair
    d1 = data.draw(hnp.arrays(np.float64, st.integers(1, 6), elements=disagreement))
    d2 = data.draw(hnp.arrays(np.float64, d1.shape, elements=disagreement))
    nash, ks = nash_solution(u1, u2, d1, d2), kalai_smorodinsky(u1, u2, d1, d2)
    for j in range(d1.size):
        assert nash[j] == nash_solution(u1, u2, d1[j], d2[j])
        assert ks[j] == kalai_smorodinsky(u1, u2, d1[j], d2[j])


def test_batched_solutions_are_chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    x = np.linspace(0.0, 1.0, 501)
    d = np.linspace(0.0, 0.4, 50)
    full = nash_solution(x, 1 - x, d, 0.0), kalai_smorodinsky(x, 1 - x, 0.0, d)
    monkeypatch.setattr(bargaining, "CHUNK_BYTES", 1)  # one row per chunk
    np.testing.assert_array_equal(nash_solution(x, 1 - x, d, 0.0), full[0])
    np.testing.assert_array_equal(kalai_smorodinsky(x, 1 - x, 0.0, d), full[1])


#: Disagreement points on a coarse dyadic grid: an affine rescaling of them is exact, so
#: (unlike a d1 of 1e-254 shifted by 1) feasibility cannot change through rounding.
dyadic_disagreement = st.integers(-8, 64).map(lambda k: k / 8)


@FAST
@given(
    two_player(min_size=1),
    dyadic_disagreement,
    disagreement,
    st.sampled_from([0.25, 0.5, 2.0, 8.0]),
    st.integers(-5, 5).map(float),
)
def test_nash_invariant_to_affine_rescaling(pair, d1, d2, scale: float, shift: float) -> None:
    """Nash (1950) axiom: rescaling u1 -> a u1 + b (a > 0), with d1 alike, changes nothing.

    Powers of two keep the arithmetic exact, but the logs of distinct outcomes with equal
    products may round differently, so among exact ties another index may win: compare the
    original Nash product at the rescaled problem's choice with the original maximum.
    """
    u1, u2 = pair
    i = nash_solution(u1, u2, d1, d2)
    j = nash_solution(scale * u1 + shift, u2, scale * d1 + shift, d2)
    assert (i == -1) == (j == -1)
    if i >= 0:
        p = nash_product(u1, u2, d1, d2)
        assert p[j] == pytest.approx(p[i], rel=1e-12)


def test_nash_rescaling_keeps_the_exact_index() -> None:
    """Split-the-dollar of the first test with u1 -> 3 u1 + 2, d1 -> 2: still x = 2/3."""
    x = np.linspace(0.0, 1.0, 30_001)
    u2 = np.sqrt(1.0 - x)
    assert nash_solution(x, u2, 0.0, 0.0) == nash_solution(3 * x + 2, u2, 2.0, 0.0)


@FAST
@given(
    hnp.arrays(np.float64, st.integers(0, 20), elements=st.integers(0, 9).map(float)),
    hnp.arrays(np.float64, 20, elements=st.integers(0, 9).map(float)),
    st.integers(0, 9).map(float),
)
def test_ks_symmetric_problem_gives_symmetric_answer(a, b, d) -> None:
    """A problem closed under (u1, u2) -> (u2, u1), with d1 = d2 and a Pareto-optimal point
    (c, c) on the diagonal: KS must pick a point with u1 = u2. (Any (p, q) with min(p, q) >= c
    would dominate (c, c) unless p = q = c; so (c, c) is the unique max-min point.)
    """
    b = b[: a.size]
    c = max(float(np.minimum(a, b).max(initial=0.0)) + 1.0, d)
    u1 = np.concatenate([a, b, [c]])
    u2 = np.concatenate([b, a, [c]])
    i = kalai_smorodinsky(u1, u2, d, d)
    assert u1[i] == u2[i] == c


def test_float_ties_never_pick_a_dominated_outcome() -> None:
    """Outcome 0 is dominated by outcome 1, but their scores round to the same float.

    Nash: 0.5 log(1e16) == 0.5 log(1e16 + 2) in doubles. KS: min gains are both 0.5 and
    0.5 + 0.56 == 0.5 + nextafter(0.56, 1). Searching only the Pareto set avoids outcome 0.
    """
    assert nash_solution([1.0, 1.0], [1e16, 1e16 + 2.0], 0.0, 0.0) == 1
    up = float(np.nextafter(0.56, 1.0))
    tied_sum = 0.5 + up
    assert tied_sum == 0.5 + 0.56  # the premise of the test
    assert kalai_smorodinsky([0.5, 0.5, 1.0, 0.0], [0.56, up, 0.0, 1.0], 0.0, 0.0) == 1


def test_input_validation_and_distance() -> None:
    assert utility_distance(0.0, 0.0, 3.0, 4.0) == 5.0
    np.testing.assert_allclose(utility_distance(np.zeros(2), 0.0, [3.0, 6.0], [4.0, 8.0]), [5, 10])
    assert nash_solution([], [], 0.0, 0.0) == -1
    assert kalai_smorodinsky([], [], [0.0, 1.0], 0.0).tolist() == [-1, -1]
    with pytest.raises(ValueError, match="weight1"):
        nash_solution([1.0], [1.0], 0.0, 0.0, weight1=1.0)
    with pytest.raises(ValueError, match="length"):
        kalai_smorodinsky([1.0], [1.0, 2.0], 0.0, 0.0)
    # only zero-gain IR outcomes: the weighted sum of gains decides, and stays Pareto-optimal
    assert nash_solution([1.0, 0.0, 0.0], [0.0, 1.0, 2.0], 0.0, 0.0) == 2
