"""Candidate packages of one group and the trade-off query over them (docs/model.md §9).

A proposer offers, among packages at or above its target (and, with a budget, within it),
the one best for the other side (Faratin, Sierra & Jennings 2002). :class:`Candidates` holds
a group's packages explicitly; the month's offers on the tabulated beliefs go through the
skeletons of core/offers.py instead, and both answer with the loops of core/kernels.py.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from negosim.core.kernels import pick_flat

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Candidates:
    """Packages that can be optimal for one group, and the trade-off query over them.

    The packages are (state, static, own, other, cost) combinations of the two blocks'
    frontiers. A query asks, per replicate, for the package maximising ``other`` subject to
    own ≥ target and cost ≤ budget, ties to the higher own, then the lower cost, then the
    earlier package (:func:`negosim.core.kernels.pick_flat`).
    """

    def __init__(self, state: I64, static: I64, own: F64, other: F64, cost: F64) -> None:
        self._raw = (state, static, own, other, cost)
        self._own_order: I64 | None = None

    @property
    def nbytes(self) -> int:
        """Memory held (for the cache's budget): the packages, and an order once made."""
        return sum(a.nbytes for a in self._raw) + 8 * len(self._raw[0])

    def raw(self) -> tuple[I64, I64, F64, F64, F64]:
        """(state, static, own, other, cost), in the order the packages were made."""
        return self._raw

    state = property(lambda self: self._raw[0], doc="State-block index of each package.")
    static = property(lambda self: self._raw[1], doc="Static-block index of each package.")
    own = property(lambda self: self._raw[2], doc="The proposer's utility of each package.")
    other = property(lambda self: self._raw[3], doc="The other side's utility of each package.")
    cost = property(lambda self: self._raw[4], doc="Japan's political cost of each package.")

    def by_own(self) -> tuple[tuple[I64, I64, F64, F64, F64], I64]:
        """:meth:`raw` and a stable order of it by own utility, descending (kept once made)."""
        if self._own_order is None:
            self._own_order = np.argsort(-self._raw[2], kind="stable")
        return self._raw, self._own_order

    def query(self, target: F64, budget: F64 | None = None) -> tuple[I64, I64]:
        """(state, static) of each query's package, -1 where none qualifies."""
        target = np.ascontiguousarray(target, dtype=np.float64)
        if budget is None:
            budget = np.full(len(target), np.inf)
        state, static, own, other, cost = self._raw
        if not len(state):  # an empty admissible set: nobody has anything to offer
            return np.full(len(target), -1, np.int64), np.full(len(target), -1, np.int64)
        pick = pick_flat(own, other, cost, target, np.ascontiguousarray(budget, np.float64))
        ok = pick >= 0
        safe = np.maximum(pick, 0)
        return np.where(ok, state[safe], -1), np.where(ok, static[safe], -1)
