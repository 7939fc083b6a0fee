"""A ψ-bin's packages without their belief-dependent part, and a batch of groups over them.

Within one bin of threat perception ψ, one leader type and one admissible set, the candidate
packages are the same for every belief (core/offers.py, docs/model.md §9): the pairs of the
bin's state-block set and the static block's frontier. Their US utility, political cost and
Japan's static part do not depend on (ψ, ρ̂); only Japan's state-block part does. A
:class:`Skeleton` names the two sets; a :class:`Batch` lays the skeletons of a month's groups
end to end, with each group's state-block part, for the compiled loops of core/kernels.py,
which read every other value from the block tables and answer every replicate of the month
in one call.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from negosim.core.kernels import composed_fronts, pick_composed
from negosim.core.utility import UtilityTables

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Skeleton(NamedTuple):
    """One bin's packages: (i, j) pairs state entry i with static entry j, i·width + j."""

    state: I64  #: the bin's state-block set (indices b)
    static: I64  #: the static block's frontier (indices g)
    us_order: I64  #: static entries by the US's static part, descending (stable)
    japan_order: I64  #: static entries by Japan's static part, descending (stable)

    @property
    def nbytes(self) -> int:
        """Memory held, for the cache's budget."""
        return sum(a.nbytes for a in self)

    def packages(self, tables: UtilityTables, leader: int) -> tuple[I64, I64, F64, F64, F64]:
        """Every package explicitly: (b, g, U_US, Japan's static part, L_J), i·width + j."""
        t = tables
        bb = np.repeat(self.state, len(self.static))
        gg = np.tile(self.static, len(self.state))
        return (
            bb,
            gg,
            t.us_state[bb] + t.us_static[gg],
            t.japan_static[leader][gg],
            t.cost_state[bb] + t.cost_static[gg],
        )


def skeleton(tables: UtilityTables, leader: int, state_idx: I64, static_idx: I64) -> Skeleton:
    """The packages of state entries ``state_idx`` × static entries ``static_idx``."""
    t = tables
    return Skeleton(
        np.ascontiguousarray(state_idx, dtype=np.int64),
        np.ascontiguousarray(static_idx, dtype=np.int64),
        np.argsort(-t.us_static[static_idx], kind="stable"),
        np.argsort(-t.japan_static[leader][static_idx], kind="stable"),
    )


def japan_state(
    tables: UtilityTables, leader: I64, state_idx: I64, threat: F64, belief: F64
) -> F64:
    """Japan's state-block utility with its security term (§2), element by element."""
    sec = tables.security_at(state_idx, threat, belief).security
    return tables.japan_state[leader, state_idx] + tables.security_weight[leader] * sec


class Batch:
    """Groups of (leader, ψ, ρ̂) over their skeletons, laid end to end for one compiled call.

    ``groups`` holds each group's (leader, ψ, ρ̂); ``parts`` the distinct skeletons and
    ``of_group`` each group's among them, -1 for a group left to the exact search (beliefs
    outside the tables).
    """

    def __init__(
        self, tables: UtilityTables, groups: F64, parts: list[Skeleton], of_group: I64
    ) -> None:
        self.on = of_group >= 0
        self.empty = not parts
        self._parts = parts
        if self.empty:
            return
        t = tables
        k = np.maximum(of_group, 0)
        rows = np.array([len(sk.state) for sk in parts], dtype=np.int64)
        widths = np.array([len(sk.static) for sk in parts], dtype=np.int64)
        n_state = np.where(self.on, rows[k], 0)
        state_start = _starts(n_state)
        state_from = _starts(rows)[k]
        state_idx = np.concatenate([sk.state for sk in parts])
        # each group's Japan state parts, in its skeleton's order of state entries
        entries = np.arange(n_state.sum()) - np.repeat(state_start - state_from, n_state)
        self.japan_state = japan_state(
            t,
            np.repeat(groups[:, 0].astype(np.int64), n_state),
            state_idx[entries],
            np.repeat(groups[:, 1], n_state),
            np.repeat(groups[:, 2], n_state),
        )
        self.layout = (
            state_start,
            n_state,
            state_from,
            state_idx,
            _starts(widths)[k],
            np.concatenate([sk.static for sk in parts]),
            np.where(self.on, widths[k], 0),
            groups[:, 0].astype(np.int64),
        )
        self.tables = (
            t.us_state,
            t.us_static,
            t.cost_state,
            t.cost_static,
            np.ascontiguousarray(t.japan_static).reshape(-1),
        )

    def offers(self, proposer: str, group: I64, target: F64, budget: F64) -> tuple[I64, I64]:
        """(state, static) of each row's offer (row i in group ``group[i]``), -1 if none."""
        if self.empty:
            return np.full(len(target), -1, np.int64), np.full(len(target), -1, np.int64)
        us_proposes = proposer == "us"
        return pick_composed(  # type: ignore[no-any-return]
            us_proposes,
            self.layout,
            self.japan_state,
            self.tables,
            self._order("us_order" if us_proposes else "japan_order"),
            group.astype(np.int64),
            target,
            budget,
        )

    def fronts(self, limits: F64, limit_start: I64) -> tuple[F64, F64, I64]:
        """Ratifiable (U_J, U_US) frontiers of each group at each of its cost limits.

        Group g's limits are ``limits[limit_start[g]:limit_start[g + 1]]``. Returns the
        frontiers' U_J and U_US end to end, each sorted by U_J ascending, and where each
        (group, limit) starts (core/benchmarks.py, :func:`core.kernels.composed_fronts`).
        """
        if self.empty:
            return np.zeros(0), np.zeros(0), np.zeros(len(limits) + 1, dtype=np.int64)
        return composed_fronts(  # type: ignore[no-any-return]
            self.layout,
            self.japan_state,
            self.tables,
            self._order("japan_order"),
            limits,
            limit_start,
        )

    def _order(self, name: str) -> I64:
        """One of the skeletons' static orders, the distinct skeletons end to end."""
        return np.concatenate([getattr(sk, name) for sk in self._parts]).astype(np.int64)


def _starts(sizes: I64) -> I64:
    """Where each of consecutive blocks of ``sizes`` starts."""
    return np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
