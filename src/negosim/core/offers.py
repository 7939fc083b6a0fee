"""Offers by the trade-off tactic, computed for a whole batch of replicates at once.

Among packages at or above its target, a proposer offers the one that maximises its estimate
of the other side's utility (Faratin, Sierra & Jennings 2002, "Using similarity criteria to
make issue trade-offs"); Japan also keeps to packages inside its win-set (Putnam 1988).

Why this is fast: utilities are sums of a state-block part (s, d) and a static-block part,
and a point that is dominated within its block is dominated in the sum. So the best offer
always lies in (frontier of the state block) ⊕ (frontier of the static block), a few hundred
packages instead of 90,000. Replicates are grouped by the only things that change those
frontiers (Japan's leader type, threat perception ψ, reversal belief ρ̂); each group's
candidates are computed once, cached for the run, and queried for all its replicates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.bargaining import best_for_other, pareto_mask
from negosim.core.utility import UtilityTables

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class Candidates:
    """Packages that can be optimal for one group, with each side's view of them."""

    state: I64
    static: I64
    own: F64
    other: F64
    cost: F64
    own_best: float


def _sum_candidates(
    state_parts: tuple[F64, ...], static_parts: tuple[F64, ...]
) -> tuple[I64, I64, tuple[F64, ...]]:
    """Minkowski sum of the two blocks' Pareto sets, objectives to maximise in columns."""
    state_idx = np.flatnonzero(pareto_mask(np.stack(state_parts, axis=1)))
    static_idx = np.flatnonzero(pareto_mask(np.stack(static_parts, axis=1)))
    bb = np.repeat(state_idx, len(static_idx))
    gg = np.tile(static_idx, len(state_idx))
    sums = tuple(a[bb] + z[gg] for a, z in zip(state_parts, static_parts, strict=True))
    keep = np.flatnonzero(pareto_mask(np.stack(sums, axis=1)))
    return bb[keep], gg[keep], tuple(column[keep] for column in sums)


def group_keys(*columns: F64 | I64) -> tuple[F64, I64]:
    """Distinct rows of the grouping columns and each replicate's row number."""
    stacked = np.stack([np.asarray(c, dtype=np.float64) for c in columns], axis=1)
    unique, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)


class OfferSearch:
    """Per-run cache of candidate sets; answers offer queries for a batch."""

    def __init__(self, tables: UtilityTables) -> None:
        self.tables = tables
        self._cache: dict[tuple[str, int, float, float], Candidates] = {}
        self._best: dict[tuple[str, int, float, float], float] = {}

    def _japan_security(self, threat: float, belief: float) -> F64:
        t = self.tables
        b = np.arange(t.grid.n_state)
        return t.security_weight * t.security_at(
            b, np.float64(threat), np.float64(belief)
        ).security

    def _parts(
        self, proposer: str, leader: int, threat: float, belief: float
    ) -> tuple[tuple[F64, F64], tuple[F64, F64], tuple[F64, F64]]:
        """(own, other, cost) utilities split into (state block, static block) parts."""
        t = self.tables
        sec = self._japan_security(threat, belief)
        zeros = (np.zeros(t.grid.n_state), np.zeros(t.grid.n_static))
        if proposer == "us":
            own = (t.us_state, t.us_static)
            other = (t.japan_hat_state[leader] + sec, t.japan_hat_static[leader])
            return own, other, zeros
        japan = (t.japan_state[leader] + sec, t.japan_static[leader])
        if proposer == "japan":
            return japan, (t.us_hat_state, t.us_hat_static), (t.cost_state, t.cost_static)
        return japan, (t.us_state, t.us_static), zeros  # benchmark: both true utilities

    def candidates(self, proposer: str, leader: int, threat: float, belief: float) -> Candidates:
        """Candidate packages of ``proposer`` ('us', 'japan' or 'benchmark') for one group.

        For 'benchmark' the own column is Japan's true utility and the other the US's.
        """
        key = (proposer, leader, threat, belief)
        if key in self._cache:
            return self._cache[key]
        own, other, cost = self._parts(proposer, leader, threat, belief)
        with_cost = proposer == "japan"
        state_parts = (own[0], other[0]) + ((-cost[0],) if with_cost else ())
        static_parts = (own[1], other[1]) + ((-cost[1],) if with_cost else ())
        bb, gg, sums = _sum_candidates(state_parts, static_parts)
        found = Candidates(
            state=bb, static=gg, own=sums[0], other=sums[1],
            cost=cost[0][bb] + cost[1][gg],
            own_best=float(own[0].max() + own[1].max()),
        )
        self._cache[key] = found
        return found

    def best_own(self, proposer: str, leader: I64, threat: F64, belief: F64) -> F64:
        """U_max of each replicate's own utility over the whole grid."""
        unique, inverse = group_keys(leader, threat, belief)
        best = np.empty(len(unique))
        for i, row in enumerate(unique):
            key = (proposer, int(row[0]), float(row[1]), float(row[2]))
            if key not in self._best:
                own = self._parts(*key)[0]
                self._best[key] = float(own[0].max() + own[1].max())
            best[i] = self._best[key]
        return best[inverse]

    def offers(
        self,
        proposer: str,
        leader: I64,
        threat: F64,
        belief: F64,
        target: F64,
        budget: F64 | None = None,
    ) -> tuple[I64, I64]:
        """(state, static) block indices of each replicate's offer; -1 where none qualifies."""
        state = np.full(len(target), -1, dtype=np.int64)
        static = np.full(len(target), -1, dtype=np.int64)
        unique, inverse = group_keys(leader, threat, belief)
        for group, row in enumerate(unique):
            members = np.flatnonzero(inverse == group)
            found = self.candidates(proposer, int(row[0]), float(row[1]), float(row[2]))
            pick = best_for_other(
                found.own, found.other, target[members],
                extra_cost=found.cost if budget is not None else None,
                budget=budget[members] if budget is not None else None,
            )
            ok = pick >= 0
            state[members[ok]] = found.state[pick[ok]]
            static[members[ok]] = found.static[pick[ok]]
        return state, static
