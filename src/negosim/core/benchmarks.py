"""Bargaining benchmarks over the ratifiable set, from each side's value of no deal (§4.7).

The axiomatic solutions of :mod:`negosim.core.bargaining` assume a fixed outcome set. In a
two-level game the set that matters is what the Diet would pass (Putnam 1988): packages
whose political cost L_J is within the win-set radius K, which differs by replicate. The
disagreement point is each side's value of no deal (docs/model.md §4.5). This module solves
Nash (1950; asymmetric: Kalai 1977) and Kalai–Smorodinsky (1975) per replicate over a
candidate set restricted row by row to cost ≤ K, chunked to bound memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

_CHUNK_CELLS = 2**21


@dataclass(frozen=True)
class Solutions:
    """Per replicate: the index of the Nash and KS packages among the candidates (-1: none)
    and the smallest utility-plane distance from a point to the ratifiable Pareto set.
    """

    nash: I64
    ks: I64
    distance_pareto: F64


def ratifiable_solutions(
    u1: F64,
    u2: F64,
    cost: F64,
    budget: F64,
    d1: F64,
    d2: F64,
    weight1: float,
    point1: F64,
    point2: F64,
) -> Solutions:
    """Nash and KS over {cost ≤ budget_i, u ≥ d_i} for each row i, and distances to the set.

    ``u1``, ``u2``, ``cost`` describe m candidate packages (a superset of every row's
    Pareto set: the (u1, u2, -cost) frontier); ``budget``, ``d1``, ``d2``, ``point1``,
    ``point2`` have one entry per replicate. A row with no individually rational ratifiable
    package gets -1 (the benchmark does not exist) and its distance to the ratifiable set.
    """
    n, m = len(budget), len(u1)
    nash = np.full(n, -1, dtype=np.int64)
    ks = np.full(n, -1, dtype=np.int64)
    distance = np.full(n, np.nan)
    rows = max(1, _CHUNK_CELLS // max(1, m))
    for lo in range(0, n if m else 0, rows):
        hi = min(n, lo + rows)
        ratifiable = cost[None, :] <= budget[lo:hi, None]
        g1 = u1[None, :] - d1[lo:hi, None]
        g2 = u2[None, :] - d2[lo:hi, None]
        rational = ratifiable & (g1 >= 0) & (g2 >= 0)
        has = rational.any(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(rational, weight1 * np.log(g1) + (1 - weight1) * np.log(g2), -np.inf)
            flat = score.max(axis=1) == -np.inf
            linear = np.where(rational, weight1 * g1 + (1 - weight1) * g2, -np.inf)
            pick = np.where(flat, linear.argmax(axis=1), score.argmax(axis=1))
            nash[lo:hi] = np.where(has, pick, -1)
            best1 = np.where(rational, g1, -np.inf).max(axis=1, keepdims=True)
            best2 = np.where(rational, g2, -np.inf).max(axis=1, keepdims=True)
            n1 = np.where(best1 > 0, g1 / best1, 1.0)
            n2 = np.where(best2 > 0, g2 / best2, 1.0)
            worst = np.where(rational, np.minimum(n1, n2), -np.inf)
            top = worst.max(axis=1, keepdims=True)
            ks_pick = np.where(rational & (worst == top), n1 + n2, -np.inf).argmax(axis=1)
            ks[lo:hi] = np.where(has, ks_pick, -1)
        gaps = np.hypot(point1[lo:hi, None] - u1[None, :], point2[lo:hi, None] - u2[None, :])
        gaps = np.where(ratifiable, gaps, np.inf)
        nearest = gaps.min(axis=1)
        distance[lo:hi] = np.where(np.isfinite(nearest), nearest, np.nan)
    return Solutions(nash, ks, distance)
