"""Japan: a leader with a weak minority who must get any deal through the Diet."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from negosim.agents.negotiator import Negotiator
from negosim.core.concession import ConcessionHistory
from negosim.core.election import hold_election, pick_successors, round_of_month
from negosim.core.leaders import leader_index
from negosim.core.politics import (
    approval_step,
    diet_passes,
    diet_ratification_probability,
    diet_win_set,
    formation_factor,
    next_honeymoon,
    weak_government_exponent,
    win_set_radius,
)
from negosim.core.protocol import veto_outside_win_set
from negosim.core.rng import Purpose, standard_normal, uniform

if TYPE_CHECKING:
    from negosim.model import NegotiationModel, RoundRecord

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


class JapanAgent(Negotiator):
    """Japan's leader at the first level, the Diet and the voters at the second (Putnam 1988)."""

    side = "japan"

    def __init__(self, model: NegotiationModel) -> None:
        super().__init__(model, model.spec.agents.japan)
        self.politics = model.spec.politics
        self.successors = np.array(
            [leader_index(model.spec, name) for name in self.politics.election.successor_shares],
            dtype=np.int64,
        )
        self.successor_cdf = np.cumsum(list(self.politics.election.successor_shares.values()))
        #: Whether every leader type shares one style and its parameters but e (computed once).
        self._shared_curve: bool | None = None
        #: The election's round: its calendar month counted from round 1 (start_month).
        self.election_round = round_of_month(
            model.spec.protocol.start_month, self.politics.election.month
        )

    def _beliefs(self) -> tuple[I64, F64, F64]:
        state, tables = self.model.state, self.model.tables
        return state.leader, state.threat(tables), state.reversal_belief()

    def utility(self, b: I64, g: I64) -> F64:
        """U_J of packages (b, g) for each replicate's leader and beliefs."""
        leader, threat, belief = self._beliefs()
        return self.model.tables.japan(leader, b, g, threat, belief)

    def concession_exponent(self) -> F64:
        """The leader type's e; a weak government (low approval) cannot concede (§4.2).

        ``agents.japan.weak_government`` is a modifier of the type's concession: below its
        approval level the type's e is replaced by ``weak_government.e``.
        """
        state, tables = self.model.state, self.model.tables
        weak = self.spec.weak_government  # type: ignore[union-attr]
        return weak_government_exponent(tables.type_e[state.leader], state.approval, weak)

    def concession_target(
        self, time_frac: F64 | float, reserve: F64, best: F64, history: ConcessionHistory
    ) -> F64:
        """p(t) on each replicate's leader type's own concession curve.

        When every type shares one style and its parameters but e (the shipped scenarios),
        the curve is evaluated once over the whole batch; otherwise per leader type.
        """
        state, curves = self.model.state, self.model.tables.type_concession
        e = self.concession_exponent()
        if self._shared_curve is None:
            others = {
                (c.style.name, tuple(sorted(c.params.model_dump(exclude={"e"}).items())))
                for c in curves
            }
            self._shared_curve = len(others) == 1
        if self._shared_curve:
            params = curves[0].values(state.size, e=e)
            return curves[0].style.target(time_frac, reserve, best, params, history)
        target = np.empty(state.size)
        for index, curve in enumerate(curves):
            mine = state.leader == index
            if mine.any():
                params = curve.values(int(mine.sum()), e=e[mine])
                mine_history = ConcessionHistory(history.previous[mine], history.received[mine])
                frac = time_frac[mine] if np.ndim(time_frac) else time_frac
                target[mine] = curve.style.target(
                    frac, reserve[mine], best[mine], params, mine_history
                )
        return target

    def best_utility(self, active: B) -> F64:
        """U_max over the admissible packages, for each replicate's leader and beliefs."""
        idx = np.flatnonzero(active)
        best = np.full(len(active), np.nan)
        if len(idx):
            leader, threat, belief = self._beliefs()
            restrictions, index = self.model.admissible()
            best[idx] = self.model.search.best_own(
                "japan", leader[idx], threat[idx], belief[idx], (restrictions, index[idx])
            )
        return best

    def win_set(self) -> F64:
        """K, the win-set radius the Diet ratifies at even odds this month (model.md §3).

        The coalition's radius at today's approval and margin, times the cabinet's formation
        g, capped by the opposition's K_O once the upper house is lost.
        """
        coalition, formation = self.coalition_radius()
        divided = self.model.state.majority_lost
        return diet_win_set(coalition * formation, divided, self.politics.win_set)

    def coalition_radius(self) -> tuple[F64, F64]:
        """The coalition's own radius K_C at today's approval and margin, and its formation g."""
        state, spec = self.model.state, self.politics.win_set
        coalition = win_set_radius(state.approval, state.majority_margin, spec)
        formation = formation_factor(
            self.model.steps, state.took_office, self.politics.election.formation_months
        )
        return coalition, formation

    def context(self) -> dict[str, NDArray]:
        """What Japan's side of this month's bargaining reads, for explanations (copies).

        The leader and beliefs its utility uses, and the win-set K with what makes it
        (approval, the coalition's radius, the cabinet's formation, a divided Diet):
        the per-round table keeps end-of-month values, after approval has moved.
        """
        state = self.model.state
        leader, threat, belief = self._beliefs()
        coalition, formation = self.coalition_radius()
        return {
            "leader": leader.copy(),
            "threat": threat,
            "reversal_belief": belief,
            "approval": state.approval.copy(),
            "coalition_radius": coalition,
            "formation": formation,
            "divided": state.majority_lost.copy(),
            "win_set": self.win_set(),
        }

    def offers(self, target: F64, active: B) -> tuple[I64, I64]:
        """Trade-off offers kept inside the win-set: the Diet must be able to pass them."""
        idx = np.flatnonzero(active)
        b = np.full(len(active), -1, dtype=np.int64)
        g = b.copy()
        if len(idx):
            leader, threat, belief = self._beliefs()
            restrictions, index = self.model.admissible()
            b[idx], g[idx] = self.model.search.offers(
                "japan",
                leader[idx],
                threat[idx],
                belief[idx],
                target[idx],
                budget=self.win_set()[idx],
                admissible=(restrictions, index[idx]),
            )
        return b, g

    def respond(self, rec: RoundRecord, b: I64, g: I64, active: B) -> I64:
        """Accept as any negotiator would, but only packages the Diet can pass."""
        reason = super().respond(rec, b, g, active)
        cost = self.political_cost(np.maximum(b, 0), np.maximum(g, 0))
        return veto_outside_win_set(reason, cost, self.win_set())

    def political_cost(self, b: I64, g: I64) -> F64:
        """L_J of packages (b, g)."""
        tables = self.model.tables
        return tables.cost_state[b] + tables.cost_static[g]

    def ratify(self, rec: RoundRecord, b: I64, g: I64, agreed: B) -> B:
        """The Diet's vote: P_rat = σ((K - L_J)/σ_r); a failure is involuntary defection.

        Once the upper house is lost the opposition partner votes too (docs/model.md §3).
        """
        safe_b, safe_g = np.maximum(b, 0), np.maximum(g, 0)
        cost = self.political_cost(safe_b, safe_g)
        coalition, formation = self.coalition_radius()
        probability = diet_ratification_probability(
            coalition * formation,
            formation,
            cost,
            self.model.state.majority_lost,
            self.politics.win_set,
        )
        draw = uniform(self.model.state.keys, rec.round_index, Purpose.RATIFICATION)
        rec.columns.update(
            political_cost=np.where(b >= 0, cost, np.nan),
            ratification_probability=np.where(b >= 0, probability, np.nan),
        )
        rec.context["ratification_draw"] = draw
        return agreed & diet_passes(probability, draw)

    def domestic_politics(self, rec: RoundRecord) -> None:
        """The election (its month's round) and, after a loss, the leader's replacement (§3).

        A successor takes office at A* + honeymoon, whatever its predecessor's approval
        (docs/model.md §3), and its cabinet forms from that round on.
        """
        state, t = self.model.state, rec.round_index
        election = self.politics.election
        if t == self.election_round:
            result = hold_election(
                state.approval,
                t,
                election,
                uniform(state.keys, t, Purpose.ELECTION),
                uniform(state.keys, t, Purpose.REPLACEMENT),
                uniform(state.keys, t, Purpose.REPLACEMENT_DELAY),
            )
            state.majority_lost |= result.lost
            state.majority_margin[result.lost] = election.margin_after_loss
            state.replacement_round[result.replaced] = result.replacement_round[result.replaced]
        due = state.replacement_round == t
        if due.any():
            successor = pick_successors(
                uniform(state.keys, t, Purpose.SUCCESSOR), self.successors, self.successor_cdf
            )
            state.leader[due] = successor[due]
            state.leader_replaced |= due
            state.took_office[due] = t
            approval = self.politics.approval
            state.approval[due] = approval.equilibrium + approval.honeymoon
            state.honeymoon[due] = approval.honeymoon
        rec.columns.update(leader_changed=due)

    def update_approval(self, rec: RoundRecord) -> None:
        """A_{t+1}: partial adjustment to A*, the honeymoon's decay, the month's shocks (§3).

        Shocks: the month's deal, tariff moves, rally, audience and reversal costs, noise.
        """
        state, spec = self.model.state, self.politics.approval
        noise = standard_normal(state.keys, rec.round_index, Purpose.APPROVAL_NOISE)
        state.approval = approval_step(
            state.approval,
            state.coercion,
            rec.deal_gain,
            rec.tariff_change,
            rec.penalties,
            noise,
            spec,
            state.honeymoon,
        )
        state.honeymoon = next_honeymoon(state.honeymoon, spec)
