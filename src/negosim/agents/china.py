"""China: not at the table; each month it picks a coercion level from what it observes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from negosim.core.china import (
    ChinaView,
    announcement_signal,
    observe,
    on_the_water,
    react,
    remember,
    threat_index,
)
from negosim.core.china_rules import CHINA_RULES
from negosim.core.observables import ObservableTables
from negosim.core.rng import Purpose, uniform

if TYPE_CHECKING:
    from negosim.model import NegotiationModel, RoundRecord


class ChinaAgent(mesa.Agent):
    """Reacts to the alliance by its named rule (``china.rule``), Jervis (1976)."""

    def __init__(self, model: NegotiationModel) -> None:
        super().__init__(model)
        self.spec = model.spec.china
        self.rule = CHINA_RULES[self.spec.rule]
        self.params = self.rule.parameters(self.spec.params)
        self.observables = ObservableTables.from_spec(self.spec.observables)
        self.view = ChinaView.of(self.spec, model.tables.grid)
        self.threat_weights = np.asarray(self.spec.threat_weights, dtype=np.float64)

    def react(self, rec: RoundRecord) -> None:
        """Draw this month's level and what it looks like on the water."""
        state, grid, t = self.model.state, self.model.tables.grid, rec.round_index
        values = grid.values(state.levels)
        firmness = values[:, [grid.commitment, grid.defense]]
        entered = rec.columns.get("deal_entered", np.zeros(state.size, dtype=bool))
        state.china_signal = announcement_signal(
            self.view,
            state.china_signal,
            self.spec.signal_decay,
            entered,
            firmness,
            state.china_seen,
        )
        state.china_seen = firmness
        inputs = observe(
            self.view,
            self.spec,
            s_value=firmness[:, 0],
            d_value=firmness[:, 1],
            reversal_belief=state.reversal_belief(),
            reversals=state.reversals.sum(1),
            taiwan=state.taiwan,
            previous_level=state.coercion,
            detente=state.detente,
            signal=state.china_signal,
        )
        reaction = react(
            self.rule,
            self.params,
            inputs,
            self.spec,
            uniform(state.keys, t, Purpose.CHINA_LEVEL),
            self.model.spec.markets.coercion_level,
            floor=state.incident,
        )
        state.incident = np.zeros_like(state.incident)
        rec.coercion_shock = reaction.crossed_shock_level
        state.coercion = reaction.level
        state.coercion_history, state.months_at_level = remember(
            state.coercion_history, state.months_at_level, reaction.level
        )
        state.coercion_threat = threat_index(state.coercion_history, self.threat_weights)
        seen = on_the_water(
            self.observables,
            reaction.level,
            uniform(state.keys, t, Purpose.PRESENCE_DAYS),
            uniform(state.keys, t, Purpose.SEA_ENTRIES),
            uniform(state.keys, t, Purpose.AIRSPACE),
        )
        rec.columns.update(
            coercion_level=reaction.level,
            coercion_expected=reaction.expected_level,
            spiral=inputs.spiral,
            deterrence=inputs.deterrence,
            opportunity=inputs.opportunity,
            announcement_signal=inputs.signal,
            presence_days=seen.presence_days,
            sea_entries=seen.sea_entries,
            airspace_violations=seen.airspace_violations,
            mean_coercion=state.mean_coercion(),
            coercion_threat=state.coercion_threat,
        )
