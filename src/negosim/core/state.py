"""The state of a batch of replicates: plain arrays with a leading replicate axis.

One replicate and ten thousand go through the same arrays; nothing here loops over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.credibility import REVERSAL_CLASSES, reversal_belief
from negosim.core.leaders import sitting_leader
from negosim.core.rng import replicate_keys
from negosim.core.utility import UtilityTables, threat_perception
from negosim.schema import COERCION_LEVELS, ScenarioSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]
U64 = NDArray[np.uint64]


#: Offers of the other side each negotiator remembers (behaviour tactics, model.md §4.2).
RECEIVED_OFFERS = 4


@dataclass
class BatchState:
    """Everything that carries over from one month to the next, per replicate."""

    keys: U64
    levels: I64
    deal_in_force: B
    pending: I64
    has_pending: B
    negotiating: B
    first_deal_round: I64
    ratification_failures: I64
    approval: F64
    majority_margin: F64
    majority_lost: B
    replacement_round: I64
    leader: I64
    leader_replaced: B
    coercion: I64
    coercion_history: I64
    months_at_level: I64
    reversals: I64
    rounds_observed: I64
    ever_dealt: B
    taiwan: F64
    detente: F64
    red_line_breached: B
    nikkei: F64
    usdjpy: F64
    defense_index: F64
    asia: F64
    nikkei_peak: F64
    nikkei_max_drawdown: F64
    us_win_set_bound: F64
    us_win_set_floor: F64
    fallback: I64
    style_target: F64
    received: F64
    first_deal_utility: F64
    horizon: I64
    china_signal: F64
    china_seen: F64
    coercion_threat: F64
    honeymoon: F64
    took_office: I64
    incident: I64

    @property
    def size(self) -> int:
        """Number of replicates in the batch."""
        return len(self.keys)

    def mean_coercion(self) -> F64:
        """c̄: China's mean level over the remembered months."""
        return self.coercion_history.mean(axis=1)

    def reversal_belief(self) -> F64:
        """ρ̂, Japan's belief that the US will reverse (docs/model.md §6)."""
        return reversal_belief(self.reversals.sum(axis=1), self.rounds_observed)

    def threat(self, tables: UtilityTables) -> F64:
        """ψ, the threat Japan perceives from China's recent coercion (T̄, docs/model.md §5)."""
        return threat_perception(tables.security, self.coercion_threat)


def initial_state(spec: ScenarioSpec, tables: UtilityTables, seeds: list[int]) -> BatchState:
    """Month zero: the status quo in force, February 2025 approval and coercion.

    ``leader`` starts at the sitting leader's index among ``politics.leader_types``; the
    part ``honeymoon`` of its approval is a honeymoon still decaying (docs/model.md §3), and
    ``took_office`` is the round its cabinet formed (0: before the run, fully formed).
    ``incident`` is the lowest rung China can hold this month (an event such as a collision
    at sea, core/events.py); 0 otherwise, reset once China has reacted.
    """
    n = len(seeds)
    status_quo = np.tile(tables.grid.status_quo(), (n, 1))
    level0 = spec.china.initial_level
    markets = spec.markets
    full = np.full
    return BatchState(
        keys=replicate_keys(seeds),
        levels=status_quo,
        deal_in_force=np.zeros(n, dtype=bool),
        pending=status_quo.copy(),
        has_pending=np.zeros(n, dtype=bool),
        negotiating=np.ones(n, dtype=bool),
        first_deal_round=full(n, -1, dtype=np.int64),
        ratification_failures=np.zeros(n, dtype=np.int64),
        approval=full(n, spec.politics.approval.initial),
        majority_margin=full(n, spec.politics.win_set.majority_margin),
        majority_lost=np.zeros(n, dtype=bool),
        replacement_round=full(n, -1, dtype=np.int64),
        leader=full(n, sitting_leader(spec), dtype=np.int64),
        leader_replaced=np.zeros(n, dtype=bool),
        coercion=full(n, level0, dtype=np.int64),
        coercion_history=full((n, spec.china.memory), level0, dtype=np.int64),
        months_at_level=np.zeros((n, COERCION_LEVELS), dtype=np.int64),
        reversals=np.zeros((n, len(REVERSAL_CLASSES)), dtype=np.int64),
        rounds_observed=np.zeros(n, dtype=np.int64),
        ever_dealt=np.zeros(n, dtype=bool),
        taiwan=np.zeros(n),
        detente=np.zeros(n),
        red_line_breached=np.zeros((n, len(spec.politics.red_lines)), dtype=bool),
        nikkei=full(n, markets.initial_nikkei),
        usdjpy=full(n, markets.initial_usdjpy),
        defense_index=full(n, markets.initial_defense_index),
        asia=full(n, markets.initial_asia),
        nikkei_peak=full(n, markets.initial_nikkei),
        nikkei_max_drawdown=np.zeros(n),
        us_win_set_bound=full(n, spec.agents.us.win_set_belief.prior),
        us_win_set_floor=np.zeros(n),
        fallback=status_quo.copy(),
        style_target=full((n, 2), np.nan),
        received=full((n, 2, RECEIVED_OFFERS), np.nan),
        first_deal_utility=full((n, 2), np.nan),
        horizon=np.zeros((n, 2), dtype=np.int64),
        china_signal=np.zeros(n),
        china_seen=tables.grid.values(status_quo)[:, [tables.grid.commitment, tables.grid.defense]],
        coercion_threat=full(n, spec.china.threat_weights[level0]),
        honeymoon=full(n, spec.politics.approval.initial_honeymoon),
        took_office=np.zeros(n, dtype=np.int64),
        incident=np.zeros(n, dtype=np.int64),
    )
