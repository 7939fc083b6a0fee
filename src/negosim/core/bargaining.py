"""Bargaining benchmarks as pure functions over any finite outcome grid.

Nothing here knows about the negotiation model: every function takes utility arrays over m
outcomes (as NegMAS's ``negmas.preferences.ops`` does with ``pareto_frontier``,
``nash_points`` and ``kalai_points``), so the same code scores a 12-outcome toy and a
100,000-outcome package grid. The continuous solutions of the axiomatic literature are taken
over the discrete set, which is what an agent can actually propose.

All solution functions restrict the search to the Pareto set first. This is exact (each
solution is Pareto-optimal, see the docstrings) and has a useful side effect: a floating-point
tie can never make them return a dominated outcome.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
_RowSolver = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], IntArray]

#: Memory cap of the (queries x candidates) temporaries built per chunk.
CHUNK_BYTES = 32 * 2**20
#: Cells of the (frontier x block) comparison matrix in the k >= 3 Pareto filter; about 1 MB of
#: bools, which stays in cache; with blocks of at most 256 candidates this measured fastest
#: (against 2**18, 2**22 and blocks of 1024 or 4096) on 5,000 points with k = 3, 10 and 20.
_BLOCK_CELLS = 2**20


def _vector(x: ArrayLike, name: str) -> FloatArray:
    """Coerce to a 1-D float64 array; NaN is rejected because it has no place in an order."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    return arr


def _pair(u1: ArrayLike, u2: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Two utility vectors over the same outcomes."""
    a, b = _vector(u1, "u1"), _vector(u2, "u2")
    if a.shape != b.shape:
        raise ValueError(f"utility vectors differ in length: {a.shape} vs {b.shape}")
    return a, b


def _chunk_rows(n_cols: int, bytes_per_cell: int) -> int:
    """Rows per chunk so that a (rows x n_cols) workspace stays under ``CHUNK_BYTES``."""
    return max(1, CHUNK_BYTES // max(1, n_cols * bytes_per_cell))


def _pareto_mask_2d(a: FloatArray, b: FloatArray) -> BoolArray:
    """Sort-and-sweep maxima of a 2-D point set (Kung, Luccio & Preparata 1975, JACM 22(4)).

    Sorted by a descending then b descending, a point survives iff its b is the largest of its
    group of equal a (else a same-a point beats it on b) and strictly larger than every b seen
    in groups of strictly larger a (else that point beats it on a). O(m log m).
    """
    m = a.shape[0]
    order = np.lexsort((-b, -a))
    a_s, b_s = a[order], b[order]
    new_group = np.ones(m, dtype=bool)
    new_group[1:] = a_s[1:] != a_s[:-1]
    start = np.maximum.accumulate(np.where(new_group, np.arange(m), 0))
    running_max = np.maximum.accumulate(b_s)
    beats_earlier = (start == 0) | (b_s > running_max[start - 1])
    mask = np.zeros(m, dtype=bool)
    mask[order] = (b_s == b_s[start]) & beats_earlier
    return mask


def _dominated(
    comp: NDArray[np.unsignedinteger],
    comp_total: IntArray,
    ranks: NDArray[np.unsignedinteger],
    total: IntArray,
    pos: IntArray,
) -> BoolArray:
    """Flag the columns ``pos`` of ``ranks`` that some column of ``comp`` dominates.

    With exact rank sums, ">= in every column and a larger sum" is exactly dominance.
    Broadcasting one column at a time keeps every temporary 2-D, (len(comp), len(pos)).
    """
    dom = comp_total[:, None] > total[None, pos]
    scratch = np.empty_like(dom)
    for j in range(ranks.shape[0]):
        np.greater_equal(comp[j][:, None], ranks[j, pos][None, :], out=scratch)
        dom &= scratch
    return dom.any(axis=0)


def _pareto_mask_nd(
    u: FloatArray, block_cells: int = _BLOCK_CELLS, max_block: int = 256
) -> BoolArray:
    """Sort-filter-skyline (Chomicki, Godfrey, Gryz & Liang 2003, ICDE) with numpy blocks.

    Each column is replaced by its dense rank, which leaves dominance unchanged, lets the
    comparisons run on small integers and makes the sort key (sum of ranks) exact: a dominator
    has a strictly larger rank sum, so it precedes what it dominates. A candidate is then
    dominated iff some earlier frontier point or some member of its own block is >= in every
    column with a larger rank sum (if any point dominates it, so does an undominated one, and
    that one is earlier). The frontier only grows; each block is tested against it, then its
    survivors against one another (enough, by transitivity).
    """
    m, k = u.shape
    dtype = np.uint16 if m <= np.iinfo(np.uint16).max else np.uint32
    ranks = np.empty((k, m), dtype=dtype)
    for j in range(k):
        ranks[j] = np.unique(u[:, j], return_inverse=True)[1].reshape(-1)
    total = ranks.sum(axis=0, dtype=np.int64)
    order = np.argsort(-total, kind="stable")
    ranks, total = ranks[:, order], total[order]
    front = np.empty((k, m), dtype=dtype)
    front_total = np.empty(m, dtype=np.int64)
    front_pos = np.empty(m, dtype=np.int64)
    n_front = 0
    start = 0
    while start < m:
        size = block_cells // max(n_front, 1)
        stop = min(m, start + int(np.clip(size, min(64, max_block), max_block)))
        pos = np.arange(start, stop)
        if n_front:  # first against the frontier, then the few survivors among themselves
            pos = pos[~_dominated(front[:, :n_front], front_total[:n_front], ranks, total, pos)]
        if pos.size > 1:
            pos = pos[~_dominated(ranks[:, pos], total[pos], ranks, total, pos)]
        n_new = pos.size
        front[:, n_front : n_front + n_new] = ranks[:, pos]
        front_total[n_front : n_front + n_new] = total[pos]
        front_pos[n_front : n_front + n_new] = pos
        n_front += n_new
        start = stop
    mask = np.zeros(m, dtype=bool)
    mask[order[front_pos[:n_front]]] = True
    return mask


def pareto_mask(utilities: ArrayLike) -> BoolArray:
    """Mark the Pareto-optimal rows of an (m, k) utility matrix (every column maximised).

    Row i is dropped iff some row is >= in every column and > in at least one (the standard
    definition; e.g. Miettinen 1999, Nonlinear Multiobjective Optimization, ch. 2). Equal
    rows do not dominate each other, so all copies of an optimal point are kept. k == 2 uses a
    sort-and-sweep in O(m log m); k >= 3 uses a vectorised block sort-filter-skyline.
    """
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim != 2:
        raise ValueError(f"utilities must be (m, k), got shape {u.shape}")
    if np.isnan(u).any():
        raise ValueError("utilities contain NaN")
    m, k = u.shape
    if m == 0 or k == 0:
        return np.ones(m, dtype=bool)
    if k == 1:
        return u[:, 0] == u[:, 0].max()
    if k == 2:
        return _pareto_mask_2d(np.ascontiguousarray(u[:, 0]), np.ascontiguousarray(u[:, 1]))
    return _pareto_mask_nd(u)


def pareto_staircase(u_own: ArrayLike, u_other: ArrayLike) -> IntArray:
    """Return the 2-D Pareto frontier indices sorted by u_own ascending, then by index.

    Along the result u_other is non-increasing (strictly, except between duplicates), so
    "the best for the other side subject to u_own >= target" is the first entry at or past
    ``searchsorted(u_own[stairs], target)``: the trade-off query of ``best_for_other``.
    """
    a, b = _pair(u_own, u_other)
    idx = np.flatnonzero(_pareto_mask_2d(a, b))
    return idx[np.argsort(a[idx], kind="stable")].astype(np.int64)


def best_for_other(
    u_own: ArrayLike,
    u_other: ArrayLike,
    target: ArrayLike,
    extra_cost: ArrayLike | None = None,
    budget: ArrayLike | None = None,
) -> IntArray:
    """For each target, the outcome best for the opponent among those still good enough for us.

    This is the trade-off tactic of Faratin, Sierra & Jennings (2002), "Using similarity
    criteria to make issue trade-offs in automated negotiations", Artificial Intelligence
    142(2):205-237: keep one's own utility at the current aspiration level and move to the
    package the opponent likes most. Query i returns argmax u_other over outcomes with
    ``u_own >= target[i]`` (and ``extra_cost <= budget[i]`` when a cost is given), or -1 when
    none qualifies. Ties are broken by the higher u_own, then (with a cost) the lower
    extra_cost, then the lowest index, so the answer is deterministic.

    The winner is always Pareto-optimal in (u_own, u_other[, -extra_cost]): anything that
    dominates it is feasible and would win the lexicographic order. Hence without a cost the
    query is a binary search on the staircase, O((m + n) log m); with a cost it is a masked
    first-feasible search over the 3-objective Pareto set, presorted by the tie-break order and
    chunked over the queries so that memory stays bounded.
    """
    a, b = _pair(u_own, u_other)
    t = np.atleast_1d(np.asarray(target, dtype=np.float64))
    if t.ndim != 1:
        raise ValueError(f"target must be one-dimensional, got shape {t.shape}")
    out = np.full(t.shape[0], -1, dtype=np.int64)
    if (extra_cost is None) != (budget is None):
        raise ValueError("extra_cost and budget must be given together")
    if extra_cost is None:
        stairs = pareto_staircase(a, b)
        pos = np.searchsorted(a[stairs], t, side="left")  # NaN targets land at the end: -1
        ok = pos < stairs.size
        out[ok] = stairs[pos[ok]]
        return out
    cost = _vector(extra_cost, "extra_cost")
    if cost.shape != a.shape:
        raise ValueError("extra_cost must have one entry per outcome")
    bud = np.broadcast_to(np.asarray(budget, dtype=np.float64), t.shape)
    cand = np.flatnonzero(pareto_mask(np.column_stack((a, b, -cost))))
    # Equal (u_own, u_other) within this set means equal cost (else one dominates the other),
    # so sorting on u_other, u_own and index realises the documented tie-break.
    cand = cand[np.lexsort((cand, -a[cand], -b[cand]))]
    own, cst = a[cand], cost[cand]
    rows = _chunk_rows(cand.size, 2)
    for lo in range(0, t.shape[0] if cand.size else 0, rows):
        hi = min(t.shape[0], lo + rows)
        feasible = own[None, :] >= t[lo:hi, None]
        feasible &= cst[None, :] <= bud[lo:hi, None]
        first = feasible.argmax(axis=1)
        found = feasible[np.arange(hi - lo), first]
        out[lo:hi] = np.where(found, cand[first], -1)
    return out


def _disagreement(d1: ArrayLike, d2: ArrayLike) -> tuple[FloatArray, FloatArray, bool]:
    """Broadcast disagreement points to (n,) and report whether both were scalars."""
    scalar = np.ndim(d1) == 0 and np.ndim(d2) == 0
    x, y = np.broadcast_arrays(
        np.atleast_1d(np.asarray(d1, dtype=np.float64)),
        np.atleast_1d(np.asarray(d2, dtype=np.float64)),
    )
    if x.ndim != 1:
        raise ValueError("d1 and d2 must be scalars or one-dimensional")
    return x, y, scalar


def _gains(
    u1: FloatArray, u2: FloatArray, d1: FloatArray, d2: FloatArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Gains over disagreement, (rows x outcomes), and the individual-rationality mask."""
    g1 = u1[None, :] - d1[:, None]
    g2 = u2[None, :] - d2[:, None]
    return g1, g2, (g1 >= 0) & (g2 >= 0)


def nash_product(
    u1: ArrayLike, u2: ArrayLike, d1: ArrayLike, d2: ArrayLike, weight1: float = 0.5
) -> FloatArray:
    """Compute the (asymmetric) Nash product ``(u1-d1)^w (u2-d2)^(1-w)``; NaN where not IR.

    Nash (1950), "The bargaining problem", Econometrica 18(2):155-162, for w = 1/2; Kalai
    (1977), "Nonsymmetric Nash solutions and replications of 2-person bargaining", Int. J. Game
    Theory 6(3):129-133, for general w in (0, 1). Inputs broadcast elementwise.
    """
    _check_weight(weight1)
    g1 = np.asarray(u1, dtype=np.float64) - np.asarray(d1, dtype=np.float64)
    g2 = np.asarray(u2, dtype=np.float64) - np.asarray(d2, dtype=np.float64)
    ir = (g1 >= 0) & (g2 >= 0)
    with np.errstate(invalid="ignore"):
        return np.where(ir, g1**weight1 * g2 ** (1.0 - weight1), np.nan)


def _check_weight(weight1: float) -> None:
    """Kalai's nonsymmetric solution needs a bargaining power strictly inside (0, 1)."""
    if not 0.0 < weight1 < 1.0:
        raise ValueError(f"weight1 must lie in (0, 1), got {weight1}")


def _nash_rows(
    u1: FloatArray, u2: FloatArray, d1: FloatArray, d2: FloatArray, w: float
) -> IntArray:
    """Positions in (u1, u2) of the Nash solution for each disagreement row, or -1."""
    g1, g2, ir = _gains(u1, u2, d1, d2)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(ir, w * np.log(g1) + (1.0 - w) * np.log(g2), -np.inf)
    pos = score.argmax(axis=1)
    rows = np.arange(pos.size)
    # Every IR outcome has a zero gain: the product is 0 throughout, so fall back on the
    # weighted sum of gains, whose maximiser is Pareto-optimal among the IR outcomes.
    flat = score[rows, pos] == -np.inf
    if flat.any():
        linear = np.where(ir[flat], w * g1[flat] + (1.0 - w) * g2[flat], -np.inf)
        pos[flat] = linear.argmax(axis=1)
    pos[~ir.any(axis=1)] = -1
    return pos


def _ks_rows(u1: FloatArray, u2: FloatArray, d1: FloatArray, d2: FloatArray) -> IntArray:
    """Positions in (u1, u2) of the Kalai-Smorodinsky solution per disagreement row, or -1."""
    g1, g2, ir = _gains(u1, u2, d1, d2)
    has = ir.any(axis=1)
    ideal1 = np.where(ir, g1, -np.inf).max(axis=1, initial=-np.inf)[:, None]
    ideal2 = np.where(ir, g2, -np.inf).max(axis=1, initial=-np.inf)[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # A player whose ideal equals his disagreement value gets the same from every IR
        # outcome; he is fully served, so his normalised gain is 1 and the other decides.
        # (Only outcomes that are not IR can overflow: an IR gain is at most the ideal, so
        # its ratio is at most 1; the others are masked out below.)
        n1 = np.where(ideal1 > 0, g1 / ideal1, 1.0)
        n2 = np.where(ideal2 > 0, g2 / ideal2, 1.0)
    worst = np.where(ir, np.minimum(n1, n2), -np.inf)
    best = worst.max(axis=1, initial=-np.inf)[:, None]
    pos = np.where(ir & (worst == best), n1 + n2, -np.inf).argmax(axis=1)
    pos[~has] = -1
    return pos


def _solve(
    u1: ArrayLike, u2: ArrayLike, d1: ArrayLike, d2: ArrayLike, rows_fn: _RowSolver, cells: int
) -> int | IntArray:
    """Run a per-row solver over the Pareto set, chunked over disagreement points."""
    a, b = _pair(u1, u2)
    x, y, scalar = _disagreement(d1, d2)
    out = np.full(x.shape[0], -1, dtype=np.int64)
    cand = np.flatnonzero(_pareto_mask_2d(a, b))  # ascending, so argmax ties -> lowest index
    if cand.size:
        ca, cb = a[cand], b[cand]
        rows = _chunk_rows(cand.size, cells)
        for lo in range(0, x.shape[0], rows):
            hi = min(x.shape[0], lo + rows)
            pos = rows_fn(ca, cb, x[lo:hi], y[lo:hi])
            out[lo:hi] = np.where(pos >= 0, cand[pos], -1)
    return int(out[0]) if scalar else out


def nash_solution(
    u1: ArrayLike, u2: ArrayLike, d1: ArrayLike, d2: ArrayLike, weight1: float = 0.5
) -> int | IntArray:
    """Index of the (asymmetric) Nash bargaining solution over the discrete outcomes.

    Maximises ``(u1 - d1)^w (u2 - d2)^(1 - w)`` over individually rational outcomes
    (u1 >= d1, u2 >= d2): Nash (1950), Econometrica 18(2):155-162 (w = 1/2) and Kalai (1977),
    Int. J. Game Theory 6(3):129-133 (bargaining power w); see also Roth (1979), Axiomatic
    Models of Bargaining, Springer. The product is compared in logs, ``w log g1 + (1-w) log g2``,
    which is monotone in it and neither overflows nor underflows. An outcome with a zero gain
    has product 0 and only wins if every IR outcome has one; then the weighted sum of gains
    decides. Ties go to the lowest index. The maximiser of a product of positive gains is
    Pareto-optimal, so only the Pareto set is searched.

    d1, d2 scalars give an int (-1 if no outcome is IR); arrays of shape (n,), one
    disagreement point per replicate, give an (n,) int64 array, computed in bounded chunks.
    """
    _check_weight(weight1)

    def rows(a: FloatArray, b: FloatArray, x: FloatArray, y: FloatArray) -> IntArray:
        return _nash_rows(a, b, x, y, weight1)

    return _solve(u1, u2, d1, d2, rows, cells=48)


def kalai_smorodinsky(u1: ArrayLike, u2: ArrayLike, d1: ArrayLike, d2: ArrayLike) -> int | IntArray:
    """Index of the Kalai-Smorodinsky solution over the discrete outcomes.

    Kalai & Smorodinsky (1975), "Other solutions to Nash's bargaining problem", Econometrica
    43(3):513-518: the maximal point of S on the segment from d to the ideal point I, where
    ``I_i = max u_i`` over the individually rational outcomes. The discrete analogue used here
    maximises ``min_i (u_i - d_i) / (I_i - d_i)``, i.e. how far along the d-to-I direction an
    outcome reaches (on a convex comprehensive set the maximiser is exactly the KS point);
    ties go to the larger sum of normalised gains, then the lowest index. The lexicographic
    maximiser is Pareto-optimal, so only the Pareto set is searched. A player with
    ``I_i == d_i`` is given normalised gain 1 for every IR outcome.

    Scalar d1, d2 give an int (-1 if no outcome is IR); (n,) arrays give (n,) indices.
    """
    return _solve(u1, u2, d1, d2, _ks_rows, cells=64)


def utility_distance(
    u1a: ArrayLike, u2a: ArrayLike, u1b: ArrayLike, u2b: ArrayLike
) -> float | FloatArray:
    """Euclidean distance between outcomes a and b in the (u1, u2) plane.

    Used to report how far an agreement lies from the Nash and KS points, as in the
    ANAC/Genius evaluation metrics (Baarslag et al. 2013, "Evaluating practical negotiating
    agents", Artificial Intelligence 198:73-103). Inputs broadcast; scalars give a float.
    """
    dist = np.hypot(
        np.asarray(u1a, dtype=np.float64) - np.asarray(u1b, dtype=np.float64),
        np.asarray(u2a, dtype=np.float64) - np.asarray(u2b, dtype=np.float64),
    )
    return float(dist) if dist.ndim == 0 else dist
