"""Offers by the trade-off tactic, computed for a whole batch of replicates at once.

Among packages at or above its target, a proposer offers the one that maximises its estimate
of the other side's utility (Faratin, Sierra & Jennings 2002, "Using similarity criteria to
make issue trade-offs"); Japan also keeps to packages inside its win-set (Putnam 1988).

Why this is fast (docs/model.md §9): the best offer lies in (frontier of the state block) ⊕
(frontier of the static block) (core/frontiers.py), a few thousand packages instead of
90,000. Replicates are grouped by what changes those packages' values (Japan's leader type,
threat perception ψ, reversal belief ρ̂, the admissible set); each group's candidates
share one skeleton per bin of ψ (core/skeleton.py): one state-block set serves every belief
in the bin, and only Japan's state-block part of a package changes with the beliefs. A
month's groups are answered in one compiled call over their skeletons (core/kernels.py).
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import NDArray

from negosim.core.admissible import Admissible
from negosim.core.candidates import Candidates
from negosim.core.frontiers import front_over_beliefs, restricted_front
from negosim.core.grouping import group_keys
from negosim.core.lru import LRUCache
from negosim.core.skeleton import Batch, Skeleton, japan_state, skeleton
from negosim.core.utility import UtilityTables

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


#: Width of the bins of ψ that share one state-block candidate set (a speed knob only).
_THREAT_BIN = 0.25


# Process-wide, keyed by a fingerprint of the inputs: a candidate set is a pure function of a
# few value tables and (threat, belief), so sweeps over parameters that leave those tables
# alone (China's ω, approval, concession speed, threats, hazards, ...) share candidate sets
# across design points and chunks in the same worker. Bounded in bytes.
SHARED: LRUCache[tuple[object, ...], object] = LRUCache(max_size=256 * 2**20)


def _fingerprint(arrays: list[F64], extra: str) -> bytes:
    digest = hashlib.blake2b(extra.encode(), digest_size=16)
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(str(array.shape).encode())
    return digest.digest()


class OfferSearch:
    """Answers offer queries for a batch; candidate sets are cached across runs by content."""

    def __init__(
        self, tables: UtilityTables, cache: LRUCache[tuple[object, ...], object] = SHARED
    ) -> None:
        self.tables = tables
        self.cache = cache
        self._identities: dict[tuple[str, int], bytes] = {}
        # (US?, leader, restriction) -> the static block's best own utility (no beliefs)
        self._static_best: dict[tuple[bool, int, bytes], float] = {}
        self._corners: dict[tuple[int, int], F64] = {}  # (leader, bin) -> U_J at its corners
        # (US?, leader, ψ, ρ̂, restriction) -> best own utility (best_own; values, not tables)
        self._best: dict[tuple[object, ...], float] = {}
        self._skeletons: dict[tuple[int, bytes, int], Skeleton] = {}  # (leader, restriction, bin)

    def identity(self, proposer: str, leader: int) -> bytes:
        """Content key of the tables behind ``proposer``'s candidates for ``leader``."""
        return self._identity(proposer, leader)

    def _identity(self, proposer: str, leader: int) -> bytes:
        """Fingerprint of every table the proposer's candidate sets depend on."""
        key = (proposer, leader)
        if key not in self._identities:
            t = self.tables
            # Every proposer (and the benchmarks) reads both sides' tables and the political
            # cost; ``proposer`` in ``extra`` keeps their keys apart.
            own = [
                t.japan_state[leader],
                t.japan_static[leader],
                t.us_state,
                t.us_static,
                t.cost_state,
                t.cost_static,
            ]
            extra = repr(
                (
                    proposer,
                    float(t.security_weight[leader]),
                    t.security.model_dump(),
                    t.entrapment_from,
                    t.grid.block_shape,
                    t.grid.static_shape,
                )
            )
            self._identities[key] = _fingerprint(
                [*own, t.s_fraction, t.d_fraction, t.s_value], extra
            )
        return self._identities[key]

    def _japan_security(self, leader: int, threat: float, belief: float) -> F64:
        t = self.tables
        b = np.arange(t.grid.n_state)
        sec = t.security_at(b, np.float64(threat), np.float64(belief)).security
        return t.security_weight[leader] * sec

    def _parts(
        self, proposer: str, leader: int, threat: float, belief: float
    ) -> tuple[tuple[F64, F64], tuple[F64, F64], tuple[F64, F64]]:
        """(own, other, cost) utilities split into (state block, static block) parts."""
        t = self.tables
        sec = self._japan_security(leader, threat, belief)
        if proposer == "us":
            own = (t.us_state, t.us_static)
            other = (t.japan_state[leader] + sec, t.japan_static[leader])
            return own, other, (t.cost_state, t.cost_static)
        japan = (t.japan_state[leader] + sec, t.japan_static[leader])
        # Japan's offers and the benchmarks (over the ratifiable set) both need L_J.
        return japan, (t.us_state, t.us_static), (t.cost_state, t.cost_static)

    def _bin(self, threat: float, belief: float) -> int | None:
        """The bin of ψ that (ψ, ρ̂) falls in, or None outside the tables' range."""
        low, high = self.tables.threat_range
        if not (low <= threat <= high and 0.0 <= belief <= 1.0):
            return None
        step = int((threat - low) // _THREAT_BIN)
        x0 = low + step * _THREAT_BIN
        if not x0 <= threat <= min(high, x0 + _THREAT_BIN):
            return None  # rounding at a bin's edge
        return step

    def _state_front(
        self, leader: int, threat: float, belief: float, admissible: Admissible | None
    ) -> tuple[int, I64] | None:
        """State-block packages holding the frontier for every belief near (ψ, ρ̂), or None.

        ψ's range is cut into bins of ``_THREAT_BIN``; per bin (and leader, restriction) one
        set serves every ρ̂ in [0, 1] (:func:`_front_over_beliefs`), whoever proposes: the
        three objectives are the same for the US, Japan and the benchmarks. None when the
        beliefs lie outside the range the scenario's tables were made for.
        """
        step = self._bin(threat, belief)
        return None if step is None else (step, self._bin_front(leader, step, admissible))

    def _bin_front(self, leader: int, step: int, admissible: Admissible | None) -> I64:
        """The state-block set of bin ``step`` (see :meth:`_state_front`), cached."""
        t = self.tables
        low, high = t.threat_range
        x0 = low + step * _THREAT_BIN
        x1 = min(high, x0 + _THREAT_BIN)
        restriction = b"" if admissible is None else admissible.key
        key = ("state front", self._identity("state", leader), restriction, step)
        found = self.cache.get(key)
        if found is None:
            corners = self._corners.get((leader, step))
            if corners is None:  # U_J of every state package at the bin's four corners
                b = np.arange(t.grid.n_state)
                x = np.array([x0, x0, x1, x1])[:, None]
                r = np.array([0.0, 1.0, 0.0, 1.0])[:, None]
                sec = t.security_at(b[None, :], x, r).security
                corners = t.japan_state[leader] + t.security_weight[leader] * sec
                self._corners[(leader, step)] = corners
            allowed = (
                np.arange(t.grid.n_state)
                if admissible is None
                else np.flatnonzero(admissible.state)
            )
            found = front_over_beliefs(t.us_state, t.cost_state, corners, allowed)
            self.cache.put(key, found, found.nbytes)
        return found  # type: ignore[return-value]

    def _static_front(self, leader: int, admissible: Admissible | None) -> I64:
        """The static block's (U_US, U_J, -L_J) frontier: no beliefs, one per restriction."""
        t = self.tables
        restriction = b"" if admissible is None else admissible.key
        key = ("static front", self._identity("state", leader), restriction)
        found = self.cache.get(key)
        if found is None:
            found = restricted_front(
                (t.us_static, t.japan_static[leader], -t.cost_static),
                None if admissible is None else admissible.static,
            )
            self.cache.put(key, found, found.nbytes)
        return found  # type: ignore[return-value]

    def _skeleton(
        self, leader: int, admissible: Admissible | None, binned: tuple[int, I64]
    ) -> Skeleton:
        """A bin's packages without Japan's belief-dependent part, cached per bin (§9)."""
        step, state_idx = binned
        restriction = b"" if admissible is None else admissible.key
        key = ("skeleton", self._identity("state", leader), restriction, step)
        found = self.cache.get(key)
        if found is None:
            static_idx = self._static_front(leader, admissible)
            found = skeleton(self.tables, leader, state_idx, static_idx)
            self.cache.put(key, found, found.nbytes)
        return found  # type: ignore[return-value]

    def _from_skeleton(
        self,
        proposer: str,
        leader: int,
        threat: float,
        belief: float,
        admissible: Admissible | None,
        binned: tuple[int, I64],
    ) -> Candidates:
        """Candidates on a bin's state set: only Japan's state-block part depends on beliefs."""
        sk = self._skeleton(leader, admissible, binned)
        part = japan_state(
            self.tables,
            np.full(len(sk.state), leader),
            sk.state,
            np.float64(threat),
            np.float64(belief),
        )
        bb, gg, us, japan_static, cost = sk.packages(self.tables, leader)
        japan = np.repeat(part, len(sk.static)) + japan_static
        if proposer == "us":
            return Candidates(bb, gg, us, japan, cost)
        return Candidates(bb, gg, japan, us, cost)  # Japan proposes, or the benchmarks

    def batch(self, groups: F64, restrictions: list[Admissible | None]) -> Batch:
        """The skeletons of groups of (leader, ψ, ρ̂), one restriction each, end to end.

        Groups of one (leader, restriction, bin of ψ) share a skeleton, looked up once.
        """
        parts: dict[tuple[int, bytes, int], int] = {}
        found: list[Skeleton] = []
        of_group = np.full(len(groups), -1, dtype=np.int64)
        for g, (row, restriction) in enumerate(zip(groups, restrictions, strict=True)):
            step = self._bin(float(row[1]), float(row[2]))
            if step is None:
                continue  # left to the exact search
            lead = int(row[0])
            key = (lead, b"" if restriction is None else restriction.key, step)
            if key not in parts:
                parts[key] = len(found)
                skeleton = self._skeletons.get(key)
                if skeleton is None:  # this run's first use; the shared cache may have it
                    binned = (step, self._bin_front(lead, step, restriction))
                    skeleton = self._skeletons[key] = self._skeleton(lead, restriction, binned)
                found.append(skeleton)
            of_group[g] = parts[key]
        return Batch(self.tables, groups, found, of_group)

    def candidates(
        self,
        proposer: str,
        leader: int,
        threat: float,
        belief: float,
        admissible: Admissible | None = None,
    ) -> Candidates:
        """Candidate packages of ``proposer`` ('us', 'japan' or 'benchmark') for one group.

        For 'benchmark' the own column is Japan's true utility and the other the US's.
        ``admissible`` restricts both blocks first (linkage floors, red lines,
        core/admissible.py): a package is admissible iff both its blocks are, so frontiers
        of the restricted blocks still contain every optimum. The static block's frontier
        does not depend on the beliefs and is cached per leader and restriction.
        """
        identity = self._identity(proposer, leader)
        restriction = b"" if admissible is None else admissible.key
        key = ("candidates", identity, restriction, threat, belief)
        cached = self.cache.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
        binned = self._state_front(leader, threat, belief, admissible)
        if binned is not None:
            found = self._from_skeleton(proposer, leader, threat, belief, admissible, binned)
        else:  # beliefs outside the tabulated region: this belief's own frontier
            own, other, cost = self._parts(proposer, leader, threat, belief)
            static_idx = self._static_front(leader, admissible)
            state_idx = restricted_front(
                (own[0], other[0], -cost[0]), None if admissible is None else admissible.state
            )
            bb = np.repeat(state_idx, len(static_idx))
            gg = np.tile(static_idx, len(state_idx))
            found = Candidates(
                bb,
                gg,
                own[0][bb] + own[1][gg],
                other[0][bb] + other[1][gg],
                cost[0][bb] + cost[1][gg],
            )
        nbytes = found.nbytes
        self.cache.put(key, found, nbytes)
        return found

    def best_own(
        self,
        proposer: str,
        leader: I64,
        threat: F64,
        belief: F64,
        admissible: tuple[list[Admissible], I64] | None = None,
    ) -> F64:
        """U_max of each replicate's own utility over the admissible packages (all: None).

        Own utility is a sum of a state-block and a static-block part and the admissible set
        is a product of block masks, so its maximum is the sum of the blocks' maxima: the
        state blocks of every distinct (leader, beliefs, restriction) in one array, the static
        blocks per distinct (leader, restriction).
        """
        if admissible is None:
            restrictions: list[Admissible] | None = None
            index = np.zeros(len(leader), dtype=np.int64)
        else:
            restrictions, index = admissible
        unique, inverse = group_keys(leader, threat, belief, index)
        us = proposer == "us"
        keys = [
            (us, int(row[0]), float(row[1]), float(row[2]))
            + ((b"",) if restrictions is None else (restrictions[int(row[3])].key,))
            for row in unique
        ]
        found = [self._best.get(key) for key in keys]
        missing = [g for g, value in enumerate(found) if value is None]
        if missing:
            for g, value in zip(
                missing, self._best_rows(us, unique[missing], restrictions), strict=True
            ):
                found[g] = self._best[keys[g]] = float(value)
        return np.array(found, dtype=np.float64)[inverse]

    def _best_rows(self, us: bool, unique: F64, restrictions: list[Admissible] | None) -> F64:
        """:meth:`best_own` of distinct (leader, ψ, ρ̂, restriction index) rows."""
        t = self.tables
        rows_leader, rows_index = unique[:, 0].astype(np.int64), unique[:, 3].astype(np.int64)
        if us:
            state_part = np.broadcast_to(t.us_state, (len(unique), t.grid.n_state))
        else:
            b = np.arange(t.grid.n_state)
            sec = t.security_at(b[None, :], unique[:, 1:2], unique[:, 2:3]).security
            state_part = t.japan_state[rows_leader] + t.security_weight[rows_leader, None] * sec
        if restrictions is not None:
            state_mask = np.stack([restrictions[i].state for i in rows_index])
            state_part = np.where(state_mask, state_part, -np.inf)
        # The static block does not depend on beliefs: one maximum per (leader, restriction).
        pairs, pair_of_row = group_keys(rows_leader, rows_index)
        top_static = np.empty(len(pairs))
        for p, (leader_p, index_p) in enumerate(pairs.astype(np.int64)):
            restriction = None if restrictions is None else restrictions[index_p]
            key = (us, int(leader_p), b"" if restriction is None else restriction.key)
            if key not in self._static_best:
                static = t.us_static if us else t.japan_static[leader_p]
                if restriction is not None:
                    static = static[restriction.static]
                self._static_best[key] = float(static.max()) if len(static) else -np.inf
            top_static[p] = self._static_best[key]
        # -inf where a block has nothing admissible
        return state_part.max(axis=1) + top_static[pair_of_row]

    def offers(
        self,
        proposer: str,
        leader: I64,
        threat: F64,
        belief: F64,
        target: F64,
        budget: F64 | None = None,
        admissible: tuple[list[Admissible], I64] | None = None,
    ) -> tuple[I64, I64]:
        """(state, static) block indices of each replicate's offer; -1 where none qualifies.

        ``admissible`` is (restrictions, each replicate's restriction index), or None.
        Replicates are grouped by (leader, ψ, ρ̂, restriction); the groups on the tabulated
        beliefs are answered in one compiled call over their skeletons, the rare others
        over their own candidates.
        """
        n = len(target)
        target = np.ascontiguousarray(target, dtype=np.float64)
        budget = np.full(n, np.inf) if budget is None else np.ascontiguousarray(budget, np.float64)
        index = np.zeros(n, dtype=np.int64) if admissible is None else admissible[1]
        unique, inverse = group_keys(leader, threat, belief, index)
        restrictions = [None if admissible is None else admissible[0][int(i)] for i in unique[:, 3]]
        batch = self.batch(unique, restrictions)
        state, static = batch.offers(proposer, inverse, target, budget)
        for g in np.flatnonzero(~batch.on):
            members = np.flatnonzero(inverse == g)
            row = unique[g]
            found = self.candidates(
                proposer, int(row[0]), float(row[1]), float(row[2]), restrictions[g]
            )
            state[members], static[members] = found.query(target[members], budget[members])
        return state, static
