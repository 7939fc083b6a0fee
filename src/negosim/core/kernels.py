"""Compiled inner loops of the offer search and of the benchmarks (docs/model.md §9).

Why compiled: a month's offers are about fifty small groups of replicates, each asking which
of a thousand packages is best for it (core/offers.py). In numpy every group costs some
twenty array calls whatever its size, and most groups hold one replicate, so the search
was bound by call overhead, not arithmetic. These loops answer every replicate of a month
in one call (numba, ahead of the first use and cached on disk).

The counter-based generator's uniforms (core/rng.py) are compiled here too: the model draws
a few hundred numbers at a time, a dozen times a month. Importing this module imports numba
(0.3 s) and its first call in a process loads the compiled code (0.4 s): modules that only
read results (plots, reports) do not import it.

Why the answers are the numpy formulation's, bit for bit: the loops only compare, and the
sums they form (a package's utility or cost as its state-block part plus its static-block
part) are the same single IEEE additions numpy performs; numba is not allowed to reorder
or fuse floating-point operations without ``fastmath``, which is off.

Selection rule (Faratin, Sierra & Jennings 2002; docs/model.md §9): among packages with own
utility ≥ the target and political cost ≤ the budget, the one with the highest utility for
the other side, ties to the higher own utility, then the lower cost, then the earlier
package. A NaN never qualifies (every comparison with it is false).
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from negosim.core.rng import _GOLDEN, _M1, _M2

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]
#: Per group of a batch (core/skeleton.py): where its Japan state parts start, its number of
#: state entries, where they start among the state indices, the state indices end to end,
#: where its static entries start, the static indices end to end, its width, its leader.
Layout = tuple[I64, I64, I64, I64, I64, I64, I64, I64]
#: U_US's state and static parts, L_J's state and static parts, Japan's static part by leader
#: (flattened, leader-major).
BlockTables = tuple[F64, F64, F64, F64, F64]


@numba.njit(cache=True, nogil=True, inline="always")
def _beats(x: float, o: float, c: float, p: int, bx: float, bo: float, bc: float, bp: int) -> bool:
    """Whether package p (other x, own o, cost c) beats the best so far (lexicographic)."""
    if x != bx:
        return x > bx
    if o != bo:
        return o > bo
    if c != bc:
        return c < bc
    return p < bp


@numba.njit(cache=True, nogil=True)
def pick_flat(own: F64, other: F64, cost: F64, target: F64, budget: F64) -> I64:  # pragma: no cover
    """Each query's best package among explicit (own, other, cost) arrays; -1 if none fits."""
    out = np.full(len(target), -1, dtype=np.int64)
    for r in range(len(target)):
        t, limit = target[r], budget[r]
        best, bx, bo, bc = -1, 0.0, 0.0, 0.0
        for p in range(len(own)):
            o, c, x = own[p], cost[p], other[p]
            if (
                o >= t
                and c <= limit
                and x == x
                and (best < 0 or _beats(x, o, c, p, bx, bo, bc, best))
            ):
                best, bx, bo, bc = p, x, o, c
        out[r] = best
    return out


@numba.njit(cache=True, nogil=True)
def pick_composed(  # pragma: no cover - compiled; tested through OfferSearch.offers
    us_proposes: bool,
    layout: Layout,
    japan_state: F64,
    tables: BlockTables,
    order: I64,
    group: I64,
    target: F64,
    budget: F64,
) -> tuple[I64, I64]:
    """(b, g) of each row's best package over its group's skeleton, -1 where none fits.

    ``layout`` and ``tables`` are described at :data:`Layout` and :data:`BlockTables`.
    Package (i, j) pairs state entry i with static entry j; ties go to the smaller
    i·width + j, as on the explicit candidates.

    Own utility is a state part plus a static part, so for each state entry the static
    entries taken in ``order`` (the proposer's static part, descending, from the group's
    static start) give non-increasing own utility (rounding is monotone): the scan of a
    state entry stops at the first package below the target.
    """
    state_start, n_state, state_from, state_idx, static_from, static_idx, width, leader = layout
    us_state, us_static, cost_state, cost_static, japan_static = tables
    n_static = len(us_static)
    out_b = np.full(len(target), -1, dtype=np.int64)
    out_g = np.full(len(target), -1, dtype=np.int64)
    for r in range(len(target)):
        g = group[r]
        t, limit, w, first = target[r], budget[r], width[g], static_from[g]
        row = leader[g] * n_static
        best, bx, bo, bc, bb, bg = -1, 0.0, 0.0, 0.0, -1, -1
        for i in range(n_state[g]):
            js = japan_state[state_start[g] + i]
            b = state_idx[state_from[g] + i]
            us_b, cost_b = us_state[b], cost_state[b]
            for jj in range(w):
                j = order[first + jj]
                s = static_idx[first + j]
                japan = js + japan_static[row + s]
                u = us_b + us_static[s]
                o, x = (u, japan) if us_proposes else (japan, u)
                if not o >= t:
                    break
                c = cost_b + cost_static[s]
                p = i * w + j
                if c <= limit and x == x and (best < 0 or _beats(x, o, c, p, bx, bo, bc, best)):
                    best, bx, bo, bc, bb, bg = p, x, o, c, b, s
        out_b[r], out_g[r] = bb, bg
    return out_b, out_g


@numba.njit(cache=True, nogil=True, inline="always")
def _front(u1: F64, u2: F64, cost: F64, limit: float, kept: I64) -> int:  # pragma: no cover
    """Positions (into arrays sorted by u1 descending) of the frontier within ``limit``.

    In that order a package is on a feasible subset's (u1, u2) frontier iff it has the
    largest u2 among the feasible packages of equal u1 and a larger u2 than every
    feasible package of larger u1. Writes them to ``kept`` sorted by u1 ascending, then
    position, and returns how many.
    """
    n, count = len(u1), 0
    before = -np.inf  # the largest u2 of the feasible packages of larger u1
    p = 0
    while p < n:
        q, top = p, -np.inf  # [p, q): a run of equal u1
        while q < n and u1[q] == u1[p]:
            if cost[q] <= limit and u2[q] > top:
                top = u2[q]
            q += 1
        if top > before:
            for k in range(p, q):
                if cost[k] <= limit and u2[k] == top:
                    kept[count] = k
                    count += 1
            before = top
        p = q
    # kept is u1 descending: reverse the runs of equal u1, keeping each run's order
    out = kept[:count].copy()
    end, used = count, 0
    while end > 0:
        start = end - 1
        while start > 0 and u1[out[start - 1]] == u1[out[end - 1]]:
            start -= 1
        for k in range(start, end):
            kept[used] = out[k]
            used += 1
        end = start
    return count


@numba.njit(cache=True, nogil=True)
def staircases(  # pragma: no cover - compiled; tested through ratifiable_fronts
    u1: F64, u2: F64, cost: F64, limits: F64
) -> tuple[I64, I64]:
    """(u1, u2) Pareto frontiers of the packages with cost ≤ each limit, end to end.

    ``u1``, ``u2``, ``cost`` are sorted by u1 descending (stably). Returns the positions
    of every limit's frontier, each sorted by u1 ascending then position (:func:`_front`),
    and where each limit's frontier starts (one more entry than ``limits``).
    """
    positions = np.empty(len(u1) * len(limits), dtype=np.int64)
    starts = np.zeros(len(limits) + 1, dtype=np.int64)
    kept = np.empty(len(u1), dtype=np.int64)
    for level in range(len(limits)):
        count = _front(u1, u2, cost, limits[level], kept)
        positions[starts[level] : starts[level] + count] = kept[:count]
        starts[level + 1] = starts[level] + count
    return positions[: starts[-1]], starts


@numba.njit(cache=True, nogil=True, inline="always")
def _merge_runs(  # pragma: no cover - compiled
    x: F64, y: F64, runs: I64, n_runs: int, spare_x: F64, spare_y: F64
) -> tuple[F64, F64]:
    """(x, y) pairs sorted by x descending, from runs each sorted so, by pairwise merges.

    Run r is ``[runs[r], runs[r + 1])``; ``runs`` is overwritten. Equal x keep no
    particular order (the caller only reads values). Returns the buffers holding the
    result (``x, y`` or the spare ones).
    """
    src_x, src_y, dst_x, dst_y = x, y, spare_x, spare_y
    while n_runs > 1:
        merged = 0
        for r in range(0, n_runs, 2):
            lo, mid = runs[r], runs[r + 1]
            hi = runs[r + 2] if r + 2 <= n_runs else mid
            a, b, k = lo, mid, lo
            while a < mid and b < hi:
                if src_x[a] >= src_x[b]:
                    dst_x[k], dst_y[k] = src_x[a], src_y[a]
                    a += 1
                else:
                    dst_x[k], dst_y[k] = src_x[b], src_y[b]
                    b += 1
                k += 1
            while a < mid:
                dst_x[k], dst_y[k] = src_x[a], src_y[a]
                a, k = a + 1, k + 1
            while b < hi:
                dst_x[k], dst_y[k] = src_x[b], src_y[b]
                b, k = b + 1, k + 1
            runs[merged] = lo
            merged += 1
        runs[merged] = runs[n_runs]
        n_runs = merged
        src_x, src_y, dst_x, dst_y = dst_x, dst_y, src_x, src_y
    return src_x, src_y


@numba.njit(cache=True, nogil=True)
def composed_fronts(  # pragma: no cover - compiled; tested through the benchmarks
    layout: Layout,
    japan_state: F64,
    tables: BlockTables,
    japan_order: I64,
    limits: F64,
    limit_start: I64,
) -> tuple[F64, F64, I64]:
    """Each group's ratifiable (U_J, U_US) frontier at each of its cost limits.

    The packages are laid out as in :func:`pick_composed`. A package dominated by another
    of its own state entry is dominated, so each state entry's packages are first
    filtered in the order of Japan's static part (U_J non-increasing along it): a package
    stays if its U_US beats every feasible one before it, or ties the one that set that
    best at equal U_J (it may share the frontier's run). The few that stay, one sorted run
    per state entry, are merged by U_J descending and :func:`_front` keeps the frontier.
    Returns U_J and U_US of the frontiers end to end (each by U_J ascending) and where each
    (group, limit) starts.
    """
    state_start, n_state, state_from, state_idx, static_from, static_idx, width, leader = layout
    us_state, us_static, cost_state, cost_static, japan_static = tables
    n_static = len(us_static)
    groups = len(n_state)
    largest, rows = 0, 0
    for g in range(groups):
        largest, rows = max(largest, n_state[g] * width[g]), max(rows, n_state[g])
    total = largest * limit_start[groups]
    out_japan, out_us = np.empty(total), np.empty(total)
    starts = np.zeros(limit_start[groups] + 1, dtype=np.int64)
    x, y = np.empty(largest), np.empty(largest)
    spare_x, spare_y = np.empty(largest), np.empty(largest)
    runs = np.empty(rows + 1, dtype=np.int64)
    kept = np.empty(largest, dtype=np.int64)
    free = np.zeros(largest)  # the filtered packages are all feasible: cost 0, limit 0
    used = 0
    for g in range(groups):
        w, first, row = width[g], static_from[g], leader[g] * n_static
        for item in range(limit_start[g], limit_start[g + 1]):
            limit, count = limits[item], 0
            for i in range(n_state[g]):
                runs[i] = count
                js = japan_state[state_start[g] + i]
                b = state_idx[state_from[g] + i]
                us_b, cost_b = us_state[b], cost_state[b]
                best, best_japan = -np.inf, np.nan
                for jj in range(w):
                    s = static_idx[first + japan_order[first + jj]]
                    if not cost_b + cost_static[s] <= limit:
                        continue
                    japan, u = js + japan_static[row + s], us_b + us_static[s]
                    if u > best or (u == best and japan == best_japan):
                        x[count], y[count] = japan, u
                        count += 1
                        if u > best:
                            best, best_japan = u, japan
            runs[n_state[g]] = count
            u1, u2 = _merge_runs(x, y, runs, n_state[g], spare_x, spare_y)
            found = _front(u1[:count], u2[:count], free[:count], 0.0, kept)
            for k in range(found):
                out_japan[used + k] = u1[kept[k]]
                out_us[used + k] = u2[kept[k]]
            used += found
            starts[item + 1] = used
    return out_japan[:used], out_us[:used], starts


@numba.njit(cache=True, nogil=True, inline="always")
def _mix(z: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """:func:`negosim.core.rng.splitmix64` on one word (unsigned arithmetic wraps, as there)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True, nogil=True)
def counter_uniforms(keys: U64, counter: np.uint64, draws: int) -> F64:  # pragma: no cover
    """The draws of :func:`negosim.core.rng.uniforms` (its docstring has the formula)."""
    out = np.empty((len(keys), draws))
    for d in range(draws):
        c = _mix((counter | np.uint64(d)) * _GOLDEN + _GOLDEN)
        for r in range(len(keys)):
            x = _mix(_mix(keys[r] ^ c) + _GOLDEN)
            out[r, d] = np.float64(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    return out


def warm_up() -> None:
    """Load the compiled loops now: about 0.4 s once per process, the first time.

    Numba builds its compiler's context at a process's first compiled call, even when the
    machine code comes from its cache on disk. A sweep's driver calls this before it forks
    its workers, so they inherit the loaded code instead of each paying for it.
    """
    f, i = np.zeros(1), np.zeros(1, dtype=np.int64)
    layout, tables = (i, i, i, i, i, i, i, i), (f, f, f, f, f)
    pick_flat(f, f, f, f, f)
    pick_composed(True, layout, f, tables, i, i, f, f)
    staircases(f, f, f, f)
    composed_fronts(layout, f, tables, i, f, np.zeros(2, dtype=np.int64))
    counter_uniforms(np.zeros(1, dtype=np.uint64), np.uint64(0), 1)
