"""The United States: a transactional leader who links trade to security and may reverse."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from negosim.agents.negotiator import Negotiator
from negosim.core.credibility import reversal_hazard
from negosim.core.leaders import concession_curve
from negosim.core.rng import Purpose, uniform, uniforms
from negosim.core.state import REVERSAL_CLASSES

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
            (
                i,
                REVERSAL_CLASSES.index(axis.spec.reversal_class),
                axis.snap(axis.spec.us_threat_point),
            )
            for i, axis in enumerate(grid.axes)
            if axis.spec.reversal_class is not None and axis.spec.us_threat_point is not None
        ]
        tariff = grid.axes[grid.tariff]
        self.letter_level = tariff.snap(self.spec.tariff_threat.level)  # type: ignore[attr-defined]

    def utility(self, b: I64, g: I64) -> F64:
        """U_U of packages (b, g)."""
        return self.model.tables.us(b, g)

    def base_reservation(self) -> float:
        """r_U of the scenario: one US leader, one reservation."""
        return self.model.spec.agents.us.reservation

    def concession_exponent(self) -> F64:
        """E of the US concession curve, the same for every replicate."""
        return np.full(self.model.state.size, self.curve.e)

    def concession_target(self, time_frac: float, reserve: F64, best: F64) -> F64:
        """p(t) on the US's one concession curve."""
        e = self.concession_exponent()
        return self.curve.style.target(time_frac, reserve, best, e, self.curve.k)

    def best_utility(self) -> F64:
        """U_max: the US utility does not depend on the state."""
        tables = self.model.tables
        return np.full(self.model.state.size, tables.us_state.max() + tables.us_static.max())

    def offers(self, target: F64, active: B) -> tuple[I64, I64]:
        """Trade-off offers; the US's estimate of Japan depends on Japan's leader and beliefs."""
        state, tables = self.model.state, self.model.tables
        idx = np.flatnonzero(active)
        b = np.full(len(active), -1, dtype=np.int64)
        g = b.copy()
        if len(idx):
            b[idx], g[idx] = self.model.search.offers(
                "us",
                state.leader[idx],
                state.threat(tables)[idx],
                state.reversal_belief()[idx],
                target[idx],
            )
        return b, g

    def in_force_utility(self) -> F64:
        """U_U of the package in force."""
        b, g = self.model.tables.grid.split(self.model.state.levels)
        return self.utility(b, g)

    def reverse(self, rec: RoundRecord) -> B:
        """Walk back items of a deal in force, each with hazard h (MODEL §6)."""
        state, t = self.model.state, rec.round_index
        hazards = self.spec.reversal_hazard  # type: ignore[attr-defined]
        shortfall = self.reservation() - self.in_force_utility()
        draws = uniforms(state.keys, t, Purpose.REVERSAL, len(self.model.tables.grid.axes))
        reversed_any = np.zeros(state.size, dtype=bool)
        counts = np.zeros((state.size, len(REVERSAL_CLASSES)), dtype=np.int64)
        for issue, klass, threat_level in self.reversible:
            base = getattr(hazards, REVERSAL_CLASSES[klass])
            hazard = reversal_hazard(base, shortfall, rec.legal_shock, hazards)
            hit = state.deal_in_force & (state.levels[:, issue] != threat_level)
            hit &= draws[:, issue] < hazard
            if issue == self.model.tables.grid.tariff:
                rec.add_tariff_change(hit, threat_level)
            state.levels[hit, issue] = threat_level
            counts[hit, klass] += 1
            reversed_any |= hit
        state.reversals += counts
        rec.penalties += self.model.spec.politics.approval.per_reversal * counts.sum(axis=1)
        rec.columns.update(reversals_trade=counts[:, 0], reversals_security=counts[:, 1])
        return reversed_any

    def threaten(self, rec: RoundRecord) -> None:
        """A tariff letter while there is no deal and the status quo is below r_U (MODEL §4.4)."""
        state = self.model.state
        threat = self.spec.tariff_threat  # type: ignore[attr-defined]
        exposed = ~state.deal_in_force & ~state.has_pending
        exposed &= self.in_force_utility() < self.reservation()
        tariff = self.model.tables.grid.tariff
        letter = exposed & (state.levels[:, tariff] < self.letter_level)
        letter &= uniform(state.keys, rec.round_index, Purpose.TARIFF_LETTER) < threat.probability
        rec.add_tariff_change(letter, self.letter_level)
        state.levels[letter, tariff] = self.letter_level
        rec.columns.update(tariff_letter=letter)
