"""Bargaining benchmarks over the ratifiable set, from each side's value of no deal (§4.7).

The axiomatic solutions of :mod:`negosim.core.bargaining` assume a fixed outcome set. In a
two-level game the set that matters is what the Diet would pass (Putnam 1988): packages
whose political cost L_J is within the win-set radius K, which differs by replicate. The
disagreement point is each side's value of no deal (docs/model.md §4.5), so individually
rational means at least that much for each side.

:func:`ratifiable_front` gives the 2-D Pareto frontier of the candidates with cost ≤ K;
:func:`solve_on_front` then finds, for every replicate sharing that frontier, the Nash
(1950; asymmetric, Kalai 1977) and Kalai–Smorodinsky (1975) packages and how far the
replicate's own outcome lies from the frontier. [negosim] K is rounded down to a multiple of
``BUDGET_RESOLUTION`` (0.02 on the win-set's scale, two thirds of the Diet's noise σ_r), so a
batch shares a few frontiers that a cache can keep; the set is then at most that much
smaller than exact, never larger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from negosim.core.admissible import Admissible
from negosim.core.bargaining import pareto_staircase
from negosim.core.grouping import group_keys

if TYPE_CHECKING:
    from negosim.core.offers import OfferSearch

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

#: Win-set budgets are rounded down to this step before the ratifiable set is cut.
BUDGET_RESOLUTION = 0.02
#: Rows solved together, so (rows x frontier) temporaries stay a few MB.
_ROWS = 8192


def budget_level(budget: F64) -> I64:
    """Each budget as a whole number of ``BUDGET_RESOLUTION`` steps, rounded down."""
    return np.floor(np.maximum(budget, 0.0) / BUDGET_RESOLUTION + 1e-9).astype(np.int64)


def budget_limit(level: int | I64) -> float | F64:
    """The cost limit of a budget level: ``level`` steps, and 10⁻¹² for the sums' rounding."""
    return level * BUDGET_RESOLUTION + 1e-12


def ratifiable_front(u1: F64, u2: F64, cost: F64, level: int) -> I64:
    """Indices of the (u1, u2) Pareto frontier among candidates with cost ≤ level · step.

    Sorted by u1 ascending (u2 then falls), as :func:`pareto_staircase` returns it.
    """
    feasible = np.flatnonzero(cost <= budget_limit(level))
    if not len(feasible):
        return feasible.astype(np.int64)
    return feasible[pareto_staircase(u1[feasible], u2[feasible])]


def ratifiable_fronts(
    u1: F64, u2: F64, cost: F64, levels: list[int], order: I64 | None = None
) -> list[I64]:
    """:func:`ratifiable_front` for several levels, with (at most) one sort of the candidates.

    In the order of u1 descending a package is on the frontier of a feasible subset iff it
    has the largest u2 among the feasible packages of equal u1 and a larger u2 than every
    feasible package of larger u1: one pass per level instead of a sort per level
    (:func:`negosim.core.kernels.staircases`). ``order`` is that order when the caller has
    it (a stable argsort of -u1).
    """
    from negosim.core.kernels import staircases  # numba only where frontiers are drawn

    if order is None:
        order = np.argsort(-u1, kind="stable")
    limits = budget_limit(np.asarray(levels, dtype=np.int64))
    positions, starts = staircases(u1[order], u2[order], cost[order], limits)
    chosen = order[positions]
    return [chosen[starts[i] : starts[i + 1]] for i in range(len(levels))]


def group_fronts(search: OfferSearch, groups: F64, red_lines: Admissible) -> tuple[F64, F64]:
    """The ratifiable (U_J, U_US) frontier of each group, padded with NaN: (G, L) arrays.

    ``groups`` rows are (leader, ψ, ρ̂, budget level); each row is sorted by U_J ascending.
    Frontiers are cached by content (design points of a sweep share many), and the missing
    ones computed together by :func:`_compute_fronts`.
    """
    keys = [
        (
            "ratifiable",
            search.identity("benchmark", int(row[0])),
            red_lines.key,
            *row[1:3],
            int(row[3]),
        )
        for row in groups
    ]
    fronts: list[tuple[F64, F64] | None] = [search.cache.get(key) for key in keys]  # type: ignore[misc]
    missing = [g for g, front in enumerate(fronts) if front is None]
    if missing:
        for g, front in zip(
            missing, _compute_fronts(search, groups[missing], red_lines), strict=True
        ):
            fronts[g] = front
            search.cache.put(keys[g], front, front[0].nbytes + front[1].nbytes)
    return padded(fronts)  # type: ignore[arg-type]


def _compute_fronts(
    search: OfferSearch, groups: F64, red_lines: Admissible
) -> list[tuple[F64, F64]]:
    """Each group's ratifiable frontier (U_J, U_US), both by U_J ascending.

    Groups of one (leader, ψ, ρ̂) share their candidates, and every group on the tabulated
    beliefs is answered in one compiled call over the skeletons (core/skeleton.py); the
    others as :func:`ratifiable_fronts` over their own candidates.
    """
    beliefs, of_group = group_keys(groups[:, 0], groups[:, 1], groups[:, 2])
    batch = search.batch(beliefs, [red_lines] * len(beliefs))
    order = np.argsort(of_group, kind="stable")  # the groups, belief by belief
    limit_start = np.searchsorted(of_group[order], np.arange(len(beliefs) + 1))
    levels = groups[order, 3].astype(np.int64)
    japan, us, starts = batch.fronts(budget_limit(levels), limit_start)
    out: list[tuple[F64, F64]] = [(np.zeros(0), np.zeros(0))] * len(groups)
    for k, g in enumerate(order):
        out[g] = (japan[starts[k] : starts[k + 1]].copy(), us[starts[k] : starts[k + 1]].copy())
    for h in np.flatnonzero(~batch.on):  # off the tabulated beliefs
        leader, threat, belief = int(beliefs[h, 0]), float(beliefs[h, 1]), float(beliefs[h, 2])
        cands = search.candidates("benchmark", leader, threat, belief, red_lines)
        (_, _, own, other, cost), by_own = cands.by_own()
        items = range(limit_start[h], limit_start[h + 1])
        fronts = ratifiable_fronts(own, other, cost, levels[items].tolist(), by_own)
        for k, on in zip(items, fronts, strict=True):
            out[order[k]] = (own[on], other[on])
    return out


@dataclass(frozen=True)
class Solutions:
    """Per replicate: Nash and KS positions on the frontier (-1: none), and the gap.

    A position of -1 means no ratifiable package is individually rational for that row.
    ``distance_pareto`` is the utility-plane distance from the row's own outcome to the
    nearest frontier package that weakly dominates it, 0 when none does (the outcome is
    on the ratifiable frontier, or beyond it): how much both sides left on the table.
    """

    nash: I64
    ks: I64
    distance_pareto: F64


def solve_on_front(
    a: F64, b: F64, d1: F64, d2: F64, weight1: float, point1: F64, point2: F64
) -> Solutions:
    """Nash, KS and the distance to the frontier, one row per replicate.

    ``a``, ``b`` are (n, L): row i holds replicate i's frontier, padded with NaN. Nash
    maximises ``w log g1 + (1 - w) log g2`` over the individually rational packages (if
    every one has a zero gain, the weighted sum of gains); KS the smallest normalised gain,
    ties to the larger sum (Kalai & Smorodinsky 1975). Ties go to the lowest position.
    """
    n = len(d1)
    nash = np.full(n, -1, dtype=np.int64)
    ks = np.full(n, -1, dtype=np.int64)
    distance = np.zeros(n)
    for lo in range(0, n if a.shape[1] else 0, _ROWS):
        r = slice(lo, min(n, lo + _ROWS))
        g1, g2 = a[r] - d1[r, None], b[r] - d2[r, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            rational = (g1 >= 0) & (g2 >= 0)  # False on the NaN padding
            has = rational.any(axis=1)
            score = _on(
                rational,
                lambda x, y: weight1 * np.log(x) + (1 - weight1) * np.log(y),
                g1,
                g2,
                -np.inf,
            )
            flat = score.max(axis=1) == -np.inf
            linear = np.where(rational, weight1 * g1 + (1 - weight1) * g2, -np.inf)
            pick = np.where(flat, linear.argmax(axis=1), score.argmax(axis=1))
            nash[r] = np.where(has, pick, -1)
            top1 = np.where(rational, g1, -np.inf).max(axis=1, keepdims=True)
            top2 = np.where(rational, g2, -np.inf).max(axis=1, keepdims=True)
            n1 = np.where(top1 > 0, g1 / top1, 1.0)
            n2 = np.where(top2 > 0, g2 / top2, 1.0)
            worst = np.where(rational, np.minimum(n1, n2), -np.inf)
            best = worst.max(axis=1, keepdims=True)
            pick = np.where(rational & (worst == best), n1 + n2, -np.inf).argmax(axis=1)
            ks[r] = np.where(has, pick, -1)
            e1, e2 = a[r] - point1[r, None], b[r] - point2[r, None]
            dominating = (e1 >= -1e-12) & (e2 >= -1e-12) & ((e1 > 1e-12) | (e2 > 1e-12))
            gaps = _on(dominating, np.hypot, e1, e2, np.inf).min(axis=1)
        distance[r] = np.where(np.isfinite(gaps), gaps, 0.0)
    return Solutions(nash, ks, distance)


def _on(mask: NDArray[np.bool_], f: Callable[[F64, F64], F64], x: F64, y: F64, fill: float) -> F64:
    """``np.where(mask, f(x, y), fill)``, with ``f`` evaluated only where ``mask`` holds.

    Logarithms and hypotenuses cost ten times a subtraction; on a padded frontier most
    entries are padding, not individually rational, or not dominating.
    """
    out = np.full(mask.shape, fill)
    out[mask] = f(x[mask], y[mask])
    return out


def padded(fronts: list[tuple[F64, F64]]) -> tuple[F64, F64]:
    """Stack frontiers of different lengths into (G, L) arrays padded with NaN."""
    width = max((len(x) for x, _ in fronts), default=0)
    a = np.full((len(fronts), width), np.nan)
    b = np.full((len(fronts), width), np.nan)
    for g, (x, y) in enumerate(fronts):
        a[g, : len(x)], b[g, : len(y)] = x, y
    return a, b
