"""Candidate packages of one group and the trade-off query over them (docs/model.md §9).

A proposer offers, among packages at or above its target (and, with a budget, within it),
the one best for the other side (Faratin, Sierra & Jennings 2002). :class:`Candidates` holds
a group's packages and answers such queries for all its replicates at once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Candidates:
    """Packages that can be optimal for one group, and the trade-off query over them.

    The packages are (own, other, cost) combinations of the two blocks' frontiers. A query
    asks, per replicate, for the package maximising ``other`` subject to own ≥ target and
    cost ≤ budget, ties to the higher own, then the lower cost, then the earlier package.
    Queries are answered directly on the unsorted packages until a set has been asked
    about more than ``DIRECT`` rows in all (most sets are asked about a handful); after
    that, on the packages sorted once by (other desc, own desc, cost asc), where each
    answer is the first feasible entry.
    ``state``, ``static``, ``own``, ``other`` and ``cost`` are in that sorted order.
    """

    #: Until this many rows have been queried, queries are answered without sorting the
    #: packages (in the benchmark sweep 2,510 of 2,602 sets never get more).
    DIRECT = 48

    def __init__(self, state: I64, static: I64, own: F64, other: F64, cost: F64) -> None:
        self._raw = (state, static, own, other, cost)
        self._order: I64 | None = None
        self._by_order: tuple[NDArray, ...] = ()
        self._rows = 0  # rows queried so far
        self._own_order: tuple[F64, I64] | None = None

    @property
    def nbytes(self) -> int:
        """Memory held (for the cache's budget): one copy of the packages, and an order."""
        return sum(a.nbytes for a in self._raw) + 8 * len(self._raw[0])

    def raw(self) -> tuple[I64, I64, F64, F64, F64]:
        """(state, static, own, other, cost) in some fixed order, with no sort forced."""
        return self._raw  # type: ignore[return-value]

    def by_own(self) -> tuple[tuple[I64, I64, F64, F64, F64], I64]:
        """:meth:`raw` and a stable order of it by own utility, descending (kept once made)."""
        raw = self.raw()
        if self._own_order is None or self._own_order[0] is not raw[2]:
            self._own_order = (raw[2], np.argsort(-raw[2], kind="stable"))
        return raw, self._own_order[1]

    def _sorted(self) -> tuple[NDArray, ...]:
        """The packages sorted by (other desc, own desc, cost asc), sorting them once."""
        if self._order is None:
            _, _, own, other, cost = self._raw
            self._order = np.lexsort((cost, -own, -other))
            self._by_order = tuple(a[self._order] for a in self._raw)
            self._raw = self._by_order  # once sorted, keep one copy (raw() order is free)
        return self._by_order

    state = property(lambda self: self._sorted()[0], doc="State-block index, sorted order.")
    static = property(lambda self: self._sorted()[1], doc="Static-block index, sorted order.")
    own = property(lambda self: self._sorted()[2], doc="Proposer's utility, sorted order.")
    other = property(lambda self: self._sorted()[3], doc="Other side's utility, sorted order.")
    cost = property(lambda self: self._sorted()[4], doc="Political cost, sorted order.")

    def query(self, target: F64, budget: F64 | None = None) -> tuple[I64, I64]:
        """(state, static) of each query's package, -1 where none qualifies."""
        if budget is None:
            budget = np.full(len(target), np.inf)
        self._rows += len(target)
        if self._order is None and self._rows <= self.DIRECT:
            state, static, own, other, cost = self._raw  # a rare group: not worth a sort
            pick = _direct(own, other, cost, target, budget)
        else:
            state, static, own, _, cost = self._sorted()
            pick = _first_feasible(own, cost, target, budget)
        if not len(state):  # an empty admissible set: nobody has anything to offer
            return np.full(len(target), -1, dtype=np.int64), np.full(len(target), -1, np.int64)
        ok = pick >= 0
        safe = np.maximum(pick, 0)
        return np.where(ok, state[safe], -1), np.where(ok, static[safe], -1)


def _direct(own: F64, other: F64, cost: F64, target: F64, budget: F64) -> I64:
    """The lexicographic best feasible package of each query, on unsorted packages."""
    out = np.full(len(target), -1, dtype=np.int64)
    usable = _usable(own, cost, target, budget)
    if not len(usable):
        return out
    own, other, cost = own[usable], other[usable], cost[usable]
    feasible = (own[None, :] >= target[:, None]) & (cost[None, :] <= budget[:, None])
    best = np.where(feasible, other, -np.inf).max(axis=1, keepdims=True)
    tie = feasible & (other == best)
    top = np.where(tie, own, -np.inf).max(axis=1, keepdims=True)
    tie &= own == top
    cheapest = np.where(tie, cost, np.inf).min(axis=1, keepdims=True)
    tie &= cost == cheapest
    first = tie.argmax(axis=1)
    return np.where(tie[np.arange(len(target)), first], usable[first], -1)


def _first_feasible(own: F64, cost: F64, target: F64, budget: F64) -> I64:
    """The first feasible entry of packages sorted by the query's order, for each query."""
    out = np.full(len(target), -1, dtype=np.int64)
    usable = _usable(own, cost, target, budget)
    if not len(usable):
        return out
    own, cost = own[usable], cost[usable]
    rows = max(1, _CHUNK_CELLS // len(own))
    for lo in range(0, len(target), rows):
        hi = min(len(target), lo + rows)
        feasible = own[None, :] >= target[lo:hi, None]
        feasible &= cost[None, :] <= budget[lo:hi, None]
        first = feasible.argmax(axis=1)
        out[lo:hi] = np.where(feasible[np.arange(hi - lo), first], usable[first], -1)
    return out


#: Queries of fewer rows compare every package: the filter costs more than it saves.
_FILTER_FROM = 4
_CHUNK_CELLS = 2**18  # (queries × candidates) booleans per chunk: 256 kB, cache-sized


def _usable(own: F64, cost: F64, target: F64, budget: F64) -> I64:
    """Packages (in order) feasible for at least the laxest query: the others never win.

    Dropping them before the (queries × packages) comparison keeps every answer (an answer
    is the first feasible package, and order is kept) and often most of the work: targets
    are demanding, so few packages meet even the lowest one. NaN meets no target and fits
    no budget (``fmin``/``fmax`` skip it).
    """
    if len(target) < _FILTER_FROM:
        return np.arange(len(own)) if len(target) else np.zeros(0, dtype=np.int64)
    lowest, widest = np.fmin.reduce(target), np.fmax.reduce(budget)
    if lowest != lowest or widest != widest:  # every query NaN
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero((own >= lowest) & (cost <= widest))
