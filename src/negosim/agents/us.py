"""The United States: a transactional leader who links trade to security and may reverse."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from negosim.agents.negotiator import Negotiator
from negosim.core.concession import ConcessionHistory
from negosim.core.credibility import REVERSAL_CLASSES, ReversibleItem, reverse_items
from negosim.core.leaders import concession_curve
from negosim.core.rng import Purpose, uniform, uniforms
from negosim.core.threats import tariff_letters

if TYPE_CHECKING:
    from negosim.model import NegotiationModel, RoundRecord

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


class USAgent(Negotiator):
    """Boulware by default; issues tariff letters; reverses items with a monthly hazard."""

    side = "us"

    def __init__(self, model: NegotiationModel) -> None:
        super().__init__(model, model.spec.agents.us)
        self.curve = concession_curve(model.spec.agents.us.concession)
        grid = model.tables.grid
        self.reversible = [
            ReversibleItem(
                issue=i,
                reversal_class=REVERSAL_CLASSES.index(axis.spec.reversal_class),
                fallback_level=axis.snap(axis.spec.us_threat_point),
            )
            for i, axis in enumerate(grid.axes)
            if axis.spec.reversal_class is not None and axis.spec.us_threat_point is not None
        ]
        tariff = grid.axes[grid.tariff]
        self.letter_level = tariff.snap(self.spec.tariff_threat.level)  # type: ignore[attr-defined]

    def utility(self, b: I64, g: I64) -> F64:
        """U_U of packages (b, g)."""
        return self.model.tables.us(b, g)

    def concession_target(
        self, time_frac: F64 | float, reserve: F64, best: F64, history: ConcessionHistory
    ) -> F64:
        """p(t) on the US's one concession curve."""
        params = self.curve.values(self.model.state.size)
        return self.curve.style.target(time_frac, reserve, best, params, history)

    def best_utility(self, active: B) -> F64:
        """U_max over the admissible packages (linkage floors, red lines; §4.3).

        The US's utility does not depend on beliefs; the admissible set does (on Japan's
        leader type and the package in force).
        """
        state = self.model.state
        idx = np.flatnonzero(active)
        best = np.full(len(active), np.nan)
        if len(idx):
            restrictions, index = self.model.admissible()
            zeros = np.zeros(len(idx))
            best[idx] = self.model.search.best_own(
                "us", state.leader[idx], zeros, zeros, (restrictions, index[idx])
            )
        return best

    def offers(self, target: F64, active: B) -> tuple[I64, I64]:
        """Trade-off offers within what the US believes the Diet would pass (§3, §4.3).

        The US's estimate of Japan depends on Japan's leader and beliefs; its belief about
        Japan's win-set is the bound it has learned from Japan's answers (core/learning.py).
        """
        state, tables = self.model.state, self.model.tables
        idx = np.flatnonzero(active)
        b = np.full(len(active), -1, dtype=np.int64)
        g = b.copy()
        restrictions, index = self.model.admissible()
        if len(idx):
            b[idx], g[idx] = self.model.search.offers(
                "us",
                state.leader[idx],
                state.threat(tables)[idx],
                state.reversal_belief()[idx],
                target[idx],
                budget=state.us_win_set_bound[idx],
                admissible=(restrictions, index[idx]),
            )
        return b, g

    def in_force_utility(self) -> F64:
        """U_U of the package in force."""
        b, g = self.model.tables.grid.split(self.model.state.levels)
        return self.utility(b, g)

    def reneging_gains(self) -> F64:
        """U_U with each reversible item walked back, minus U_U of the package in force."""
        state, grid = self.model.state, self.model.tables.grid
        now = self.in_force_utility()
        gains = np.empty((state.size, len(self.reversible)))
        for column, item in enumerate(self.reversible):
            walked = state.levels.copy()
            walked[:, item.issue] = item.fallback_level
            gains[:, column] = self.utility(*grid.split(walked)) - now
        return gains

    def reverse(self, rec: RoundRecord) -> None:
        """Walk back items of a deal in force, each with hazard h (docs/model.md §6)."""
        state, t = self.model.state, rec.round_index
        hazards = self.spec.reversal_hazard  # type: ignore[attr-defined]
        gains = self.reneging_gains()
        rec.context.update(reneging_gains=gains, before_reversals=state.levels.copy())
        result = reverse_items(
            state.levels,
            state.deal_in_force,
            self.reversible,
            hazards,
            shortfall=gains,
            legal_shock=rec.legal_shock,
            draws=uniforms(state.keys, t, Purpose.REVERSAL, len(self.model.tables.grid.axes)),
        )
        rec.record_tariff_move(state.levels, result.levels)
        rec.context.update(after_reversals=result.levels, legal_shock=rec.legal_shock.copy())
        state.levels = result.levels
        state.reversals += result.counts
        rec.reversed_items = result.any
        rec.penalties += self.model.spec.politics.approval.per_reversal * result.counts.sum(axis=1)
        rec.columns.update(
            reversals_trade=result.counts[:, 0], reversals_security=result.counts[:, 1]
        )

    def threaten(self, rec: RoundRecord) -> None:
        """A tariff letter while there is no deal and the letter would gain the US (§4.4)."""
        state = self.model.state
        threat = self.spec.tariff_threat  # type: ignore[attr-defined]
        tariff = self.model.tables.grid.tariff
        threatened = state.levels.copy()
        threatened[:, tariff] = self.letter_level
        gain = self.utility(*self.model.tables.grid.split(threatened)) - self.in_force_utility()
        rec.context["letter_gain"] = gain
        letter = tariff_letters(
            state.deal_in_force,
            state.has_pending,
            gain,
            state.levels[:, tariff],
            self.letter_level,
            threat.probability,
            uniform(state.keys, rec.round_index, Purpose.TARIFF_LETTER),
        )
        levels = state.levels.copy()
        levels[letter, tariff] = self.letter_level
        state.fallback[letter, tariff] = self.letter_level
        rec.record_tariff_move(state.levels, levels)
        state.levels = levels
        rec.columns.update(tariff_letter=letter)
