"""The negotiation as a Mesa model: the order of a month, and what is recorded.

Japan and the United States bargain month by month over a package of issues while China
reacts and markets move; the model advances a whole batch of replicates (one per seed) at
once, so one run and ten thousand go through the same array code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import mesa
import numpy as np
from numpy.typing import NDArray

from negosim.agents import ChinaAgent, JapanAgent, USAgent
from negosim.core.grid import OutcomeGrid
from negosim.core.markets import MarketShocks, compound, drawdown, market_returns
from negosim.core.offers import OfferSearch
from negosim.core.politics import audience_cost, win_set_radius
from negosim.core.protocol import Reason, proposer_of
from negosim.core.state import BatchState, initial_state
from negosim.core.utility import UtilityTables, build_tables
from negosim.mesa_conventions import UNSET, RngLike, RunCollector, Unset, replicate_seeds
from negosim.scenario import Scenario
from negosim.schema import EventSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

PROPOSERS = ("us", "japan")


@dataclass
class RoundRecord:
    """One month's accumulators and recorded columns (one entry per replicate)."""

    round_index: int
    state: BatchState
    grid: OutcomeGrid
    columns: dict[str, NDArray] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = self.state.size
        self.deal_gain = np.zeros(n)
        self.tariff_change = np.zeros(n)
        self.penalties = np.zeros(n)
        self.legal_shock = np.zeros(n)
        self.coercion_shock = np.zeros(n)
        self.deal_announced = np.zeros(n)
        self.defense_change = np.zeros(n)

    def add_tariff_change(self, mask: B, new_level: int) -> None:
        """Record a tariff move (points) before the level in force is overwritten."""
        values = self.grid.axes[self.grid.tariff].values
        current = values[self.state.levels[:, self.grid.tariff]]
        self.tariff_change += np.where(mask, values[new_level] - current, 0.0)


class NegotiationModel(mesa.Model):
    """Alternating offers between Japan and the US, China reacting, for a batch of seeds.

    Parameters are the scenario (validated at the boundary), the replicate seeds, and an
    optional number of rounds. All randomness comes from :mod:`negosim.core.rng`, keyed by
    (seed, round, purpose); Mesa's own generator is seeded with the first seed and unused.
    Mesa's ``rng`` keyword is one replicate's seed (``rng=7`` is ``seeds=[7]``), so
    ``mesa.batch_run`` works on this class; see :mod:`negosim.mesa_conventions`.
    """

    def __init__(
        self,
        scenario: Scenario,
        seeds: Sequence[int] | None = None,
        rounds: int | None = None,
        tables: UtilityTables | None = None,
        rng: RngLike | Unset = UNSET,
    ) -> None:
        if not isinstance(scenario, Scenario):
            raise TypeError(
                "NegotiationModel takes a Scenario from negosim.scenario.load_scenario "
                f"(checked and resolved), not {type(scenario).__name__}"
            )
        spec = scenario.spec
        seed_list = replicate_seeds(spec.seed, seeds, rng)
        super().__init__(rng=seed_list[0])
        self.spec = spec
        self.rounds = rounds or spec.protocol.rounds
        self.deadline = spec.protocol.deadline or spec.protocol.rounds
        self.tables = tables or build_tables(spec)
        self.search = OfferSearch(self.tables)
        self.state = initial_state(spec, self.tables, seed_list)
        self.seeds = seed_list
        self.events: list[EventSpec] = list(spec.events)
        self.japan = JapanAgent(self)
        self.us = USAgent(self)
        self.china = ChinaAgent(self)
        self.history: list[RoundRecord] = []
        self.running = True

    # -- the month ---------------------------------------------------------------------
    def step(self) -> None:
        """One month: world, offer, response, threats, approval, markets (MODEL §4)."""
        rec = RoundRecord(self.steps, self.state, self.tables.grid)
        self._enter_into_force(rec)
        self._apply_events(rec)
        reversed_items = self.us.reverse(rec)
        self.china.react(rec)
        self.japan.domestic_politics(rec)
        self._reopen(rec, reversed_items)
        self._bargain(rec)
        self.us.threaten(rec)
        self.japan.update_approval(rec)
        self._update_markets(rec)
        self._record_state(rec)
        self.history.append(rec)
        self.running = self.steps < self.rounds

    def run(self) -> NegotiationModel:
        """Run every round and return the model (for chaining)."""
        while self.running:
            self.step()
        return self

    @cached_property
    def datacollector(self) -> RunCollector:
        """The recorded tables in ``mesa.DataCollector``'s shape (what batch_run reads)."""
        return RunCollector(self)

    def inject(self, event: EventSpec) -> None:
        """Add a shock (e.g. from an instructor) to be applied in its round."""
        self.events.append(event)

    # -- world steps -------------------------------------------------------------------
    def _enter_into_force(self, rec: RoundRecord) -> None:
        """Accepted, ratified packages enter into force the month after (MODEL §4.5)."""
        state, grid = self.state, self.tables.grid
        entering = state.has_pending.copy()
        if entering.any():
            before = self.japan.utility(*grid.split(state.levels))
            old_d = grid.axes[grid.defense].values[state.levels[:, grid.defense]]
            state.levels[entering] = state.pending[entering]
            after = self.japan.utility(*grid.split(state.levels))
            new_d = grid.axes[grid.defense].values[state.levels[:, grid.defense]]
            rec.deal_gain = np.where(entering, after - before, 0.0)
            rec.defense_change = np.where(entering, new_d - old_d, 0.0)
            state.deal_in_force |= entering
            state.has_pending[:] = False
            state.ever_dealt |= entering
            self._check_red_lines(rec, entering)
        state.rounds_observed += state.ever_dealt
        rec.columns.update(deal_entered=entering)

    def _check_red_lines(self, rec: RoundRecord, entering: B) -> None:
        """Breaching a public red line costs approval once (audience costs, Fearon 1994)."""
        state, grid = self.state, self.tables.grid
        names = [a.name for a in grid.axes]
        for j, line in enumerate(self.spec.politics.red_lines):
            issue = names.index(line.issue)
            value = grid.axes[issue].values[state.levels[:, issue]]
            crossed = value > line.bound if line.breached_when == "above" else value < line.bound
            breach = entering & crossed & ~state.red_line_breached[:, j]
            cost = audience_cost(
                rec.round_index, line.announced_round, self.rounds, self.spec.politics.approval
            )
            rec.penalties += np.where(breach, cost, 0.0)
            state.red_line_breached[:, j] |= breach

    def _apply_events(self, rec: RoundRecord) -> None:
        """Scheduled and injected shocks of this month, the same in every replicate."""
        state, grid = self.state, self.tables.grid
        state.taiwan = state.taiwan * self.spec.china.taiwan_decay
        for event in (e for e in self.events if e.round == rec.round_index):
            rec.events.append(
                f"{event.kind}={event.value:g}" + (f" ({event.note})" if event.note else "")
            )
            if event.kind == "taiwan_statement":
                state.taiwan = np.maximum(state.taiwan, event.value)
            elif event.kind == "detente":
                state.detente = np.full(state.size, event.value)
            elif event.kind == "legal_shock":
                rec.legal_shock = np.full(state.size, event.value)
            elif event.kind == "approval_shock":
                state.approval = np.clip(state.approval + event.value, 0.0, 1.0)
            elif event.kind == "tariff_letter":
                level = grid.axes[grid.tariff].snap(event.value)
                raise_it = state.levels[:, grid.tariff] < level
                rec.add_tariff_change(raise_it, level)
                state.levels[raise_it, grid.tariff] = level

    def _reopen(self, rec: RoundRecord, reversed_items: B) -> None:
        """Reopen deals after a reversal or when they fall below a party's reservation.

        Reservations move with coercion and approval (MODEL §4.5).
        """
        state, grid = self.state, self.tables.grid
        live = state.deal_in_force
        b, g = grid.split(state.levels)
        below = (self.japan.utility(b, g) < self.japan.reservation()) | (
            self.us.utility(b, g) < self.us.reservation()
        )
        reopen = live & (below | reversed_items)
        state.deal_in_force &= ~reopen
        state.negotiating |= reopen
        rec.columns.update(reopened=reopen)

    def _bargain(self, rec: RoundRecord) -> None:
        """Offer, response with its binding reason, and the Diet's ratification."""
        state, grid, t = self.state, self.tables.grid, rec.round_index
        side = proposer_of(t, self.spec.protocol.first_proposer)
        proposer, responder = (self.us, self.japan) if side == "us" else (self.japan, self.us)
        active = state.negotiating & ~state.deal_in_force & ~state.has_pending
        b, g = proposer.propose(rec, active)
        reason = responder.respond(rec, b, g, active)
        agreed = reason == Reason.ACCEPTED
        ratified = self.japan.ratify(rec, b, g, agreed)
        failed = agreed & ~ratified
        reason[failed] = Reason.FAILED_RATIFICATION
        state.ratification_failures += failed
        if ratified.any():
            state.pending[ratified] = grid.join(b[ratified], g[ratified])
            state.has_pending |= ratified
            state.first_deal_round[ratified & (state.first_deal_round < 0)] = t
        rec.deal_announced = ratified.astype(np.float64)
        # After the deadline any failure ends the talks: a rejection or a failed vote.
        rejected = active & ~ratified & (reason != Reason.NO_OFFER)
        if t >= self.deadline:
            state.negotiating &= ~rejected
        offered = b >= 0
        safe = (np.maximum(b, 0), np.maximum(g, 0))
        offer_values = grid.values(grid.join(*safe))
        for i, axis in enumerate(grid.axes):
            rec.columns[f"offer_{axis.name}"] = np.where(offered, offer_values[:, i], np.nan)
        rec.columns.update(
            proposer=np.full(state.size, PROPOSERS.index(side), dtype=np.int8),
            negotiating=active,
            offer_japan_utility=np.where(offered, self.japan.utility(*safe), np.nan),
            offer_us_utility=np.where(offered, self.us.utility(*safe), np.nan),
            reason=reason.astype(np.int8),
            accepted=agreed,
            ratified=ratified,
        )

    def _update_markets(self, rec: RoundRecord) -> None:
        """Announcement-scale market moves from this month's shocks (MODEL §7)."""
        state = self.state
        moves = market_returns(
            MarketShocks(
                rec.tariff_change, rec.deal_announced, rec.coercion_shock, rec.defense_change
            ),
            self.spec.markets,
        )
        state.nikkei = compound(state.nikkei, moves.nikkei)
        state.defense_index = compound(state.defense_index, moves.defense_index)
        state.usdjpy = compound(state.usdjpy, moves.usdjpy)
        state.asia = compound(state.asia, moves.asia)
        state.nikkei_peak = np.maximum(state.nikkei_peak, state.nikkei)
        state.nikkei_max_drawdown = np.maximum(
            state.nikkei_max_drawdown, drawdown(state.nikkei, state.nikkei_peak)
        )

    def _record_state(self, rec: RoundRecord) -> None:
        """What is in force and what each side believes at the end of the month."""
        state, tables = self.state, self.tables
        grid = tables.grid
        b, g = grid.split(state.levels)
        threat, belief = state.threat(tables), state.reversal_belief()
        sec = tables.security_at(b, threat, belief)
        in_force = grid.values(state.levels)
        for i, axis in enumerate(grid.axes):
            rec.columns[f"in_force_{axis.name}"] = in_force[:, i]
        rec.columns.update(
            deal_in_force=state.deal_in_force.copy(),
            approval=state.approval.copy(),
            win_set=win_set_radius(
                state.approval, state.majority_margin, self.spec.politics.win_set
            ),
            majority_lost=state.majority_lost.copy(),
            leader=state.leader.copy(),
            reversal_belief=belief,
            credibility=sec.credibility,
            abandonment=sec.abandonment,
            entrapment=sec.entrapment,
            security=sec.security,
            japan_utility=self.japan.utility(b, g),
            us_utility=self.us.utility(b, g),
            japan_reservation=self.japan.reservation(),
            us_reservation=self.us.reservation(),
            tariff_change=rec.tariff_change,
            nikkei=state.nikkei.copy(),
            usdjpy=state.usdjpy.copy(),
            defense_index=state.defense_index.copy(),
            asia=state.asia.copy(),
        )
