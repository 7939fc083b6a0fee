"""What both sides at the table share: concession targets, offers, responses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from negosim.core.concession import CONCESSION_STYLES, ParameterValues
from negosim.core.protocol import Reason, classify_response, reservation, time_fraction
from negosim.schema import NegotiatorSpec

if TYPE_CHECKING:
    from negosim.model import NegotiationModel, RoundRecord

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


class Negotiator(mesa.Agent):
    """A side at the table: a concession style, the trade-off tactic, an acceptance rule.

    The formulas are in :mod:`negosim.core`; an agent gathers the arrays a rule needs from
    the model's state, calls it, and records what it decided.
    """

    side: str = ""

    def __init__(self, model: NegotiationModel, spec: NegotiatorSpec) -> None:
        super().__init__(model)
        self.spec = spec
        self.style = CONCESSION_STYLES[spec.concession.style]
        self.concession = self.style.parameters(concession_params(spec))

    # -- hooks each side fills in -------------------------------------------------------
    def utility(self, b: I64, g: I64) -> F64:
        """This side's utility of packages (b, g), one per replicate."""
        raise NotImplementedError

    def concession_values(self) -> ParameterValues:
        """The style's parameters, one value per replicate."""
        n = self.model.state.size
        return {name: np.full(n, value) for name, value in self.concession.model_dump().items()}

    def best_utility(self) -> F64:
        """U_max over the grid, per replicate."""
        raise NotImplementedError

    def offers(self, target: F64, active: B) -> tuple[I64, I64]:
        """Trade-off offers for the active replicates (others get -1)."""
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------------------
    def reservation(self) -> F64:
        """r_i(t), moving with China's coercion and Japan's approval."""
        state = self.model.state
        initial = self.model.spec.politics.approval.initial
        return reservation(self.spec, state.mean_coercion(), state.approval, initial)

    def target(self, round_index: int) -> F64:
        """p(t) by this side's concession style (Faratin, Sierra & Jennings 1998)."""
        frac = time_fraction(round_index, self.model.deadline)
        return self.style.target(
            frac, self.reservation(), self.best_utility(), self.concession_values()
        )

    def propose(self, rec: RoundRecord, active: B) -> tuple[I64, I64]:
        """Offer each active replicate's best package for the other side.

        Among packages at or above this side's target (the trade-off tactic).
        """
        target = self.target(rec.round_index)
        b, g = self.offers(target, active)
        rec.columns.update(proposer_target=np.where(active, target, np.nan))
        return b, g

    def respond(self, rec: RoundRecord, b: I64, g: I64, active: B) -> I64:
        """Accept iff the offer is worth the current target and the reservation; record why."""
        has_offer = b >= 0
        safe_b, safe_g = np.maximum(b, 0), np.maximum(g, 0)
        value = np.where(has_offer, self.utility(safe_b, safe_g), np.nan)
        target, reserve = self.target(rec.round_index), self.reservation()
        reason = classify_response(value, target, reserve, has_offer)
        reason[~active] = Reason.NOT_NEGOTIATING
        rec.columns.update(
            responder_utility=value,
            responder_target=np.where(active, target, np.nan),
            responder_reservation=reserve,
        )
        return reason


def concession_params(spec: NegotiatorSpec) -> dict[str, object]:
    """The concession parameters a scenario gives a side (validated by its style)."""
    given: dict[str, object] = {"k": spec.concession.k}
    if spec.concession.e is not None:
        given["e"] = spec.concession.e
    return given
