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

import hashlib

import numpy as np
from numpy.typing import NDArray

from negosim.core.admissible import Admissible
from negosim.core.bargaining import pareto_mask
from negosim.core.lru import LRUCache
from negosim.core.utility import UtilityTables

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Candidates:
    """Packages that can be optimal for one group, and the trade-off query over them.

    The packages are (own, other, cost) combinations of the two blocks' frontiers. A query
    asks, per replicate, for the package maximising ``other`` subject to own ≥ target and
    cost ≤ budget, ties to the higher own, then the lower cost, then the earlier package.
    A first, small batch of queries is answered directly on the unsorted packages (most
    groups are met once); later or larger ones use the packages sorted by (other desc, own
    desc, cost asc), where each answer is the first feasible entry, sorted once.
    ``state``, ``static``, ``own``, ``other`` and ``cost`` are in that sorted order.
    """

    #: Queries up to this many are answered without sorting the packages.
    DIRECT = 48

    def __init__(self, state: I64, static: I64, own: F64, other: F64, cost: F64) -> None:
        self._raw = (state, static, own, other, cost)
        self._order: I64 | None = None
        self._by_order: tuple[NDArray, ...] = ()
        self._queries = 0
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
        self._queries += 1
        if self._order is None and self._queries == 1 and len(target) <= self.DIRECT:
            state, static, own, other, cost = self._raw  # a one-off group: not worth a sort
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


def _front(parts: tuple[F64, ...]) -> I64:
    """Indices of the Pareto set of columns ``parts`` (all maximised).

    A block has at most a few hundred packages, where comparing every pair at once is
    faster than the general sort-filter of :func:`negosim.core.bargaining.pareto_mask`; both
    use the same definition (dominated iff another is ≥ everywhere and > somewhere).
    """
    if len(parts[0]) > _PAIRWISE_MAX:
        return np.flatnonzero(pareto_mask(np.stack(parts, axis=1)))
    # One (n, n) comparison per objective, combined in place: ten times faster than one
    # (n, n, k) array reduced over its short last axis. Entry (j, i): j ≥ i everywhere /
    # j > i somewhere.
    at_least = better = None
    for part in parts:
        column, row = part[:, None], part[None, :]
        if at_least is None:
            at_least, better = column >= row, column > row
        else:
            at_least &= column >= row
            better |= column > row
    assert at_least is not None and better is not None
    return np.flatnonzero(~(at_least & better).any(axis=0))


#: Blocks up to this many packages take their frontier by comparing all pairs.
_PAIRWISE_MAX = 512


def _front_over_beliefs(us: F64, cost: F64, japan_corners: F64, allowed: I64) -> I64:
    """State-block packages that are on the (U_US, U_J, -L_J) frontier for some beliefs.

    Japan's state-block utility is linear in (ψ, ψρ̂) (Sec_J, docs/model.md §2), so a package
    beaten at each corner of the region the beliefs can take is beaten everywhere inside it.
    A package is dropped only if another is at least as good for the US, costs no more, and
    is better for Japan by a margin at every corner (``japan_corners``: one row per corner),
    so rounding inside the region cannot undo the comparison. What remains holds the
    frontier of every (ψ, ρ̂) in the region (docs/model.md §9): a few more packages than one
    frontier (56 against 45-56 on the baseline), computed once instead of once per belief.
    """
    u, c, j = us[allowed], cost[allowed], japan_corners[:, allowed]
    beaten = (u[:, None] >= u[None, :]) & (c[:, None] <= c[None, :])
    for corner in j:
        beaten &= corner[:, None] >= corner[None, :] + _MARGIN
    return allowed[~beaten.any(axis=0)]


#: Width of the bins of ψ that share one state-block candidate set (a speed knob only).
_THREAT_BIN = 0.25
#: How much better for Japan a package must be at every corner to beat another (utility units).
_MARGIN = 1e-9


def _restricted_front(parts: tuple[F64, ...], allowed: NDArray[np.bool_] | None) -> I64:
    """Pareto set of ``parts`` among the ``allowed`` rows (all rows when None)."""
    if allowed is None:
        return _front(parts)
    rows = np.flatnonzero(allowed)
    if not len(rows):
        return rows.astype(np.int64)
    return rows[_front(tuple(part[rows] for part in parts))]


def group_keys(*columns: F64 | I64) -> tuple[F64, I64]:
    """Distinct rows of the grouping columns and each replicate's row number.

    Each column is coded by a 1-D ``np.unique`` and the codes are combined into one integer
    key, which is much faster than ``np.unique(axis=0)`` on float rows.
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    span = 1  # the key's values are below this
    for column in columns:
        column = np.asarray(column, dtype=np.float64)
        if not len(column) or (column == column[0]).all():
            continue  # a constant column (often the belief, or the restriction) adds nothing
        values, codes = np.unique(column, return_inverse=True)
        if span * len(values) >= 2**62:  # re-number the key densely (same order) first
            distinct, key = np.unique(key, return_inverse=True)
            key, span = key.reshape(-1).astype(np.int64), len(distinct)
        key = key * len(values) + codes.reshape(-1)
        span *= len(values)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    stacked = np.stack([np.asarray(c, dtype=np.float64)[first] for c in columns], axis=1)
    return stacked, inverse.reshape(-1)


def split_groups(inverse: I64, count: int) -> list[I64]:
    """Member indices of each group, in one stable sort rather than a scan per group."""
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(1, count))
    return np.split(order, bounds)


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

    def _state_front(
        self, leader: int, threat: float, belief: float, admissible: Admissible | None
    ) -> tuple[int, I64] | None:
        """State-block packages holding the frontier for every belief near (ψ, ρ̂), or None.

        ψ's range is cut into bins of ``_THREAT_BIN``; per bin (and leader, restriction) one
        set serves every ρ̂ in [0, 1] (:func:`_front_over_beliefs`), whoever proposes: the
        three objectives are the same for the US, Japan and the benchmarks. None when the
        beliefs lie outside the range the scenario's tables were made for.
        """
        t = self.tables
        low, high = t.threat_range
        if not (low <= threat <= high and 0.0 <= belief <= 1.0):
            return None
        step = int((threat - low) // _THREAT_BIN)
        x0 = low + step * _THREAT_BIN
        x1 = min(high, x0 + _THREAT_BIN)
        if not x0 <= threat <= x1:
            return None  # rounding at a bin's edge
        restriction = b"" if admissible is None else admissible.key
        key = ("state front", self._identity("state", leader), restriction, step)
        found = self.cache.get(key)
        if found is None:
            b = np.arange(t.grid.n_state)
            corners = np.stack(
                [
                    t.japan_state[leader]
                    + t.security_weight[leader]
                    * t.security_at(b, np.float64(x), np.float64(r)).security
                    for x in (x0, x1)
                    for r in (0.0, 1.0)
                ]
            )
            allowed = b if admissible is None else np.flatnonzero(admissible.state)
            found = _front_over_beliefs(t.us_state, t.cost_state, corners, allowed)
            self.cache.put(key, found, found.nbytes)
        return step, found  # type: ignore[return-value]

    def _static_front(self, leader: int, admissible: Admissible | None) -> I64:
        """The static block's (U_US, U_J, -L_J) frontier: no beliefs, one per restriction."""
        t = self.tables
        restriction = b"" if admissible is None else admissible.key
        key = ("static front", self._identity("state", leader), restriction)
        found = self.cache.get(key)
        if found is None:
            found = _restricted_front(
                (t.us_static, t.japan_static[leader], -t.cost_static),
                None if admissible is None else admissible.static,
            )
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
        """Candidates on a bin's state set: only Japan's state-block part depends on beliefs.

        The pairs (b, g), the US's utility, the cost and Japan's static part are kept per
        bin (the skeleton); a belief adds Japan's security-dependent part of its state set.
        """
        t = self.tables
        step, state_idx = binned
        restriction = b"" if admissible is None else admissible.key
        key = ("skeleton", self._identity("state", leader), restriction, step)
        skeleton = self.cache.get(key)
        if skeleton is None:
            static_idx = self._static_front(leader, admissible)
            bb = np.repeat(state_idx, len(static_idx))
            gg = np.tile(static_idx, len(state_idx))
            skeleton = (
                bb,
                gg,
                t.us_state[bb] + t.us_static[gg],
                t.japan_static[leader][gg],
                t.cost_state[bb] + t.cost_static[gg],
                len(static_idx),
            )
            self.cache.put(key, skeleton, sum(a.nbytes for a in skeleton[:5]))
        bb, gg, us, japan_static, cost, width = skeleton  # type: ignore[misc]
        sec = t.security_at(state_idx, np.float64(threat), np.float64(belief)).security
        japan_state = t.japan_state[leader][state_idx] + t.security_weight[leader] * sec
        japan = np.repeat(japan_state, width) + japan_static
        if proposer == "us":
            return Candidates(bb, gg, us, japan, cost)
        return Candidates(bb, gg, japan, us, cost)  # Japan proposes, or the benchmarks

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
            state_idx = _restricted_front(
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
        t = self.tables
        if admissible is None:
            restrictions: list[Admissible] | None = None
            index = np.zeros(len(leader), dtype=np.int64)
        else:
            restrictions, index = admissible
        unique, inverse = group_keys(leader, threat, belief, index)
        rows_leader, rows_index = unique[:, 0].astype(np.int64), unique[:, 3].astype(np.int64)
        if proposer == "us":
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
            static = t.us_static if proposer == "us" else t.japan_static[leader_p]
            if restrictions is not None:
                static = static[restrictions[index_p].static]
            top_static[p] = static.max() if len(static) else -np.inf
        # -inf where a block has nothing admissible
        value = state_part.max(axis=1) + top_static[pair_of_row]
        return value[inverse]

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
        """
        state = np.full(len(target), -1, dtype=np.int64)
        static = np.full(len(target), -1, dtype=np.int64)
        index = np.zeros(len(target), dtype=np.int64) if admissible is None else admissible[1]
        unique, inverse = group_keys(leader, threat, belief, index)
        for row, members in zip(unique, split_groups(inverse, len(unique)), strict=True):
            restriction = None if admissible is None else admissible[0][int(row[3])]
            found = self.candidates(
                proposer, int(row[0]), float(row[1]), float(row[2]), restriction
            )
            state[members], static[members] = found.query(
                target[members], None if budget is None else budget[members]
            )
        return state, static
