"""China: not at the table; each month it picks a coercion level from what it observes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from negosim.core.china import (
    CHINA_RULES,
    ChinaInputs,
    ObservableTables,
    draw_level,
    perceived_terms,
)
from negosim.core.rng import Purpose, inverse_cdf, uniform

if TYPE_CHECKING:
    from negosim.model import NegotiationModel, RoundRecord


class ChinaAgent(mesa.Agent):
    """Reacts to the alliance by its named rule (``china.rule``), Jervis (1976)."""

    def __init__(self, model: NegotiationModel) -> None:
        super().__init__(model)
        self.spec = model.spec.china
        self.rule = CHINA_RULES[self.spec.rule]
        self.observables = ObservableTables.from_spec(self.spec.observables)
        grid = model.tables.grid
        self._s_axis = grid.axes[grid.commitment]
        self._d_axis = grid.axes[grid.defense]
        reference = self.spec.spiral_reference
        self.spiral_reference = (
            self._s_axis.spec.status_quo if reference.commitment is None else reference.commitment,
            self._d_axis.spec.status_quo if reference.defense is None else reference.defense,
        )

    def react(self, rec: RoundRecord) -> None:
        """Draw this month's level and what it looks like on the water."""
        model, state, spec = self.model, self.model.state, self.spec
        grid, t = model.tables.grid, rec.round_index
        s_value = self._s_axis.values[state.levels[:, grid.commitment]]
        d_value = self._d_axis.values[state.levels[:, grid.defense]]
        belief = state.reversal_belief()
        s_fraction = (s_value - self._s_axis.spec.min) / self._s_axis.span
        credibility = s_fraction * (1.0 - belief)
        indifference = np.minimum(
            1.0, spec.us_indifference + spec.indifference_per_reversal * state.reversals.sum(1)
        )
        spiral, deterrence, opportunity = perceived_terms(
            s_value,
            d_value,
            credibility,
            indifference,
            s0=self.spiral_reference[0],
            d0=self.spiral_reference[1],
            s_span=self._s_axis.span,
            d_min=self._d_axis.spec.min,
            d_max=self._d_axis.spec.max,
        )
        inputs = ChinaInputs(
            spiral, deterrence, opportunity, state.taiwan, state.coercion, state.detente
        )
        probabilities = self.rule.probabilities(inputs, spec)
        level = draw_level(probabilities, uniform(state.keys, t, Purpose.CHINA_LEVEL))
        shock_level = model.spec.markets.coercion_level
        rec.coercion_shock = ((level >= shock_level) & (state.coercion < shock_level)).astype(float)
        state.coercion = level
        state.coercion_history = np.concatenate(
            [state.coercion_history[:, 1:], level[:, None]], axis=1
        )
        state.months_at_level[np.arange(state.size), level] += 1
        tables = self.observables
        rec.columns.update(
            coercion_level=level,
            coercion_expected=(probabilities * np.arange(probabilities.shape[1])).sum(axis=1),
            spiral=spiral,
            deterrence=deterrence,
            opportunity=opportunity,
            presence_days=inverse_cdf(
                uniform(state.keys, t, Purpose.PRESENCE_DAYS), tables.presence, level
            ),
            sea_entries=inverse_cdf(
                uniform(state.keys, t, Purpose.SEA_ENTRIES), tables.sea_entries, level
            ),
            airspace_violations=inverse_cdf(
                uniform(state.keys, t, Purpose.AIRSPACE), tables.airspace, level
            ),
            mean_coercion=state.mean_coercion(),
        )
