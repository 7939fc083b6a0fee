"""What both sides at the table share: concession targets, offers, responses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from negosim.core.concession import ConcessionHistory
from negosim.core.disagreement import discounted_surplus, no_deal_value, threat_exposure
from negosim.core.protocol import Reason, classify_response, time_fractions
from negosim.schema import JapanSpec, USSpec

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

    def __init__(self, model: NegotiationModel, spec: JapanSpec | USSpec) -> None:
        super().__init__(model)
        self.spec = spec

    # -- hooks each side fills in -------------------------------------------------------
    def utility(self, b: I64, g: I64) -> F64:
        """This side's utility of packages (b, g), one per replicate."""
        raise NotImplementedError

    def concession_target(
        self, time_frac: F64 | float, reserve: F64, best: F64, history: ConcessionHistory
    ) -> F64:
        """p(t) from this side's concession curve(s), per replicate."""
        raise NotImplementedError

    @property
    def seat(self) -> int:
        """This side's column in the state's per-side arrays (0 US, 1 Japan)."""
        return 0 if self.side == "us" else 1

    def best_utility(self, active: B) -> F64:
        """U_max over the admissible packages for the ``active`` replicates (NaN elsewhere)."""
        raise NotImplementedError

    def offers(self, target: F64, active: B) -> tuple[I64, I64]:
        """Trade-off offers for the active replicates (others get -1)."""
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------------------
    def remember_offer(self, value: F64, seen: B) -> None:
        """Keep this side's utility of the other side's offer (behaviour tactics read it)."""
        received = self.model.state.received[:, self.seat]
        shifted = np.concatenate([received[:, 1:], value[:, None]], axis=1)
        self.model.state.received[:, self.seat] = np.where(seen[:, None], shifted, received)

    def reservation(self) -> F64:
        """r_i(t): this side's value of no deal this month (docs/model.md §4.5).

        The package in force, with the expected course of US tariff letters while they can
        still come, discounted at the side's δ; never below its outside option.
        """
        state = self.model.state
        return self.no_deal_value(state.levels, ~state.deal_in_force & ~state.has_pending)

    def no_deal_value(self, levels: I64 | None = None, open_: B | None = None) -> F64:
        """Value of living with ``levels`` and the letters that can still come (§4.5).

        ``levels`` defaults to the package that holds without any deal (``state.fallback``);
        letters can come where ``open_`` is True (default: everywhere).
        """
        model = self.model
        state, grid = model.state, model.tables.grid
        levels = state.fallback if levels is None else levels
        threat = model.spec.agents.us.tariff_threat
        letter = model.us.letter_level
        now = self.utility(*grid.split(levels))
        threatened = levels.copy()
        threatened[:, grid.tariff] = letter
        exposed = levels[:, grid.tariff] < letter
        if open_ is not None:
            exposed &= open_
        return no_deal_value(
            now,
            self.utility(*grid.split(threatened)),
            exposed & (threat.probability > 0),
            threat_exposure(self.spec.discount, threat.probability),
            self.spec.outside_option,
        )

    def target(self, round_index: int, active: B) -> tuple[F64, F64]:
        """(p(t), r(t)): the style's target with the surplus discounted by δ^(t-1) (§4.2).

        Faratin, Sierra & Jennings (1998) give the style's p(t) = r + (U_max - r)(1 - f(t));
        the cost of delay (Rubinstein 1982) shrinks what the side still holds out for. The
        value of no deal r(t) it rests on is returned too, so it is computed once a month.
        """
        frac = time_fractions(round_index, self.model.state.horizon[:, self.seat])
        reserve = self.reservation()
        best = np.where(active, self.best_utility(active), reserve)
        state = self.model.state
        history = ConcessionHistory(state.style_target[:, self.seat], state.received[:, self.seat])
        style = self.concession_target(frac, reserve, best, history)
        state.style_target[:, self.seat] = np.where(active, style, state.style_target[:, self.seat])
        share = discounted_surplus(np.ones_like(reserve), self.spec.discount, round_index)
        # Nobody proposes or accepts less than no deal (§4.5): when even the best admissible
        # package is worth less than that (a threat the linkage floors rule out), the target
        # stays at the value of no deal and the side makes no offer.
        return np.maximum(reserve + (style - reserve) * share, reserve), reserve

    def propose(self, rec: RoundRecord, active: B) -> tuple[I64, I64]:
        """Offer each active replicate's best package for the other side.

        Among packages at or above this side's target (the trade-off tactic).
        """
        target, reserve = self.target(rec.round_index, active)
        b, g = self.offers(target, active)
        rec.columns.update(
            proposer_target=np.where(active, target, np.nan),
            proposer_reservation=np.where(active, reserve, np.nan),
        )
        return b, g

    def respond(self, rec: RoundRecord, b: I64, g: I64, active: B) -> I64:
        """Accept iff the offer is worth the current target and the reservation; record why."""
        has_offer = b >= 0
        safe_b, safe_g = np.maximum(b, 0), np.maximum(g, 0)
        value = np.where(has_offer, self.utility(safe_b, safe_g), np.nan)
        target, reserve = self.target(rec.round_index, active)
        reason = classify_response(value, target, reserve, has_offer)
        self.remember_offer(value, active & has_offer)
        reason[~active] = Reason.NOT_NEGOTIATING
        rec.columns.update(
            responder_utility=value,
            responder_target=np.where(active, target, np.nan),
            responder_reservation=reserve,
        )
        return reason
