"""The negotiation as a Mesa model: the order of a month, and what is recorded.

Japan and the United States bargain month by month over a package of issues while China
reacts and markets move; the model advances a whole batch of replicates (one per seed) at
once, so one run and ten thousand go through the same array code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import mesa
import numpy as np
from numpy.typing import NDArray

from negosim.agents import ChinaAgent, JapanAgent, USAgent
from negosim.agents.seat import Seat
from negosim.core.admissible import Admissible, linkage_identity
from negosim.core.admissible import restrictions as restrictions_of
from negosim.core.events import World, apply_events, describe
from negosim.core.grid import OutcomeGrid
from negosim.core.grouping import group_keys
from negosim.core.learning import update_win_set_bound
from negosim.core.markets import MarketLevels, MarketShocks, move_markets
from negosim.core.offers import OfferSearch
from negosim.core.protocol import (
    Reason,
    after_ratification,
    planning_horizons,
    proposer_of,
    still_negotiating,
)
from negosim.core.rng import Purpose, uniform, uniforms
from negosim.core.state import BatchState, initial_state
from negosim.core.treaty import check_red_lines, enter_into_force, reopened
from negosim.core.utility import UtilityTables, build_tables, red_line_masks
from negosim.mesa_conventions import UNSET, RngLike, RunCollector, Unset, replicate_seeds
from negosim.scenario import Scenario, check_run
from negosim.schema import EventSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

PROPOSERS = ("us", "japan")


@dataclass
class RoundRecord:
    """One month's accumulators and recorded columns (one entry per replicate).

    Phases add to the accumulators (tariff moves, approval penalties, shocks markets price)
    and record columns; nothing here computes a rule.
    """

    round_index: int
    state: BatchState
    grid: OutcomeGrid
    columns: dict[str, NDArray] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    #: What the month's rules read that the table does not keep (negosim.explain reads it).
    context: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = self.state.size
        self.deal_gain = np.zeros(n)
        self.tariff_change = np.zeros(n)
        self.penalties = np.zeros(n)
        self.legal_shock = np.zeros(n)
        self.coercion_shock = np.zeros(n)
        self.deal_announced = np.zeros(n)
        self.defense_change = np.zeros(n)
        self.reversed_items = np.zeros(n, dtype=bool)

    def record_tariff_move(self, before: I64, after: I64) -> None:
        """Add the tariff's move between two packages of levels (points) to the month's."""
        values, tariff = self.grid.axes[self.grid.tariff].values, self.grid.tariff
        self.tariff_change += values[after[:, tariff]] - values[before[:, tariff]]


class NegotiationModel(mesa.Model):
    """Alternating offers between Japan and the US, China reacting, for a batch of seeds.

    Parameters are the scenario (validated at the boundary), the replicate seeds, and an
    optional number of rounds. All randomness comes from :mod:`negosim.core.rng`, keyed by
    (seed, round, purpose); Mesa's own generator is seeded with the first seed and unused.
    Mesa's ``rng`` keyword is one replicate's seed (``rng=7`` is ``seeds=[7]``), so
    ``mesa.batch_run`` works on this class; see :mod:`negosim.mesa_conventions`. A ``seat``
    puts a person in one side's chair for one replicate (:mod:`negosim.agents.seat`).
    """

    def __init__(
        self,
        scenario: Scenario,
        seeds: Sequence[int] | None = None,
        rounds: int | None = None,
        tables: UtilityTables | None = None,
        rng: RngLike | Unset = UNSET,
        seat: Seat | None = None,
    ) -> None:
        if not isinstance(scenario, Scenario):
            raise TypeError(
                "NegotiationModel takes a Scenario from negosim.scenario.load_scenario "
                f"(checked and resolved), not {type(scenario).__name__}"
            )
        spec = scenario.spec
        seed_list = replicate_seeds(spec.seed, seeds, rng)
        check_run(scenario, rounds, seed_list)  # overrides are checked as the file is
        super().__init__(rng=seed_list[0])
        self.spec = spec
        self.rounds = rounds or spec.protocol.rounds
        self.deadline = spec.protocol.deadline or spec.protocol.rounds
        self.tables = tables or build_tables(spec)
        self.search = OfferSearch(self.tables)
        self.state = initial_state(spec, self.tables, seed_list)
        draws = uniforms(self.state.keys, 0, Purpose.HORIZON, 2)  # one per side (US, Japan)
        self.state.horizon = planning_horizons(self.deadline, spec.protocol.horizon_spread, draws)
        self.seeds = seed_list
        self.seat = seat
        self.events: list[EventSpec] = list(spec.events)
        self.japan = JapanAgent(self)
        self.us = USAgent(self)
        self.china = ChinaAgent(self)
        self._issue_index = {axis.name: i for i, axis in enumerate(self.tables.grid.axes)}
        #: The order of a month (docs/model.md §4): each phase orders calls to core rules
        #: and records what they decided.
        self.phases: tuple[Callable[[RoundRecord], None], ...] = (
            self._enter_into_force,
            self._apply_events,
            self.us.reverse,
            self.china.react,
            self.japan.domestic_politics,
            self._reopen,
            self._bargain,
            self.us.threaten,
            self.japan.update_approval,
            self._update_markets,
            self._record_state,
        )
        self.history: list[RoundRecord] = []
        self._admissible: tuple[int, tuple[list[Admissible], I64]] | None = None
        self._linkage = linkage_identity(self.tables)  # the restrictions' cache key
        self.running = True

    # -- the month ---------------------------------------------------------------------
    def step(self) -> None:
        """One month: the phases in :attr:`phases`, in order (docs/model.md §4)."""
        rec = RoundRecord(self.steps, self.state, self.tables.grid)
        for phase in self.phases:
            phase(rec)
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

    # -- world phases ------------------------------------------------------------------
    def _enter_into_force(self, rec: RoundRecord) -> None:
        """Accepted, ratified packages enter into force the month after (docs/model.md §4.5)."""
        state, grid = self.state, self.tables.grid
        entering = state.has_pending.copy()
        if entering.any():
            before, old_values = (
                self.japan.utility(*grid.split(state.levels)),
                grid.values(state.levels),
            )
            state.levels = enter_into_force(state.levels, state.pending, entering)
            values = grid.values(state.levels)
            rec.deal_gain = np.where(
                entering, self.japan.utility(*grid.split(state.levels)) - before, 0.0
            )
            rec.defense_change = np.where(
                entering, values[:, grid.defense] - old_values[:, grid.defense], 0.0
            )
            state.deal_in_force |= entering
            state.has_pending[:] = False
            state.ever_dealt |= entering
            lines = self.spec.politics.red_lines
            check = check_red_lines(
                lines,
                values[:, [self._issue_index[line.issue] for line in lines]],
                state.red_line_breached,
                entering,
                rec.round_index,
                self.rounds,
                self.spec.politics.approval,
            )
            rec.penalties += check.penalty
            state.red_line_breached = check.breached
        state.rounds_observed += state.ever_dealt
        rec.columns.update(deal_entered=entering)

    def _apply_events(self, rec: RoundRecord) -> None:
        """Scheduled shocks of this month, the same in every replicate (core/events.py)."""
        state = self.state
        state.taiwan = state.taiwan * self.spec.china.taiwan_decay
        month = [e for e in self.events if e.round == rec.round_index]
        if not month:
            return
        rec.events.extend(describe(event) for event in month)
        world = apply_events(World.of(state, rec.legal_shock), month, self.tables.grid)
        rec.record_tariff_move(state.levels, world.levels)
        moved = world.levels != state.levels  # events change what holds without a deal too
        state.fallback = np.where(moved, world.levels, state.fallback)
        world.update(state)
        rec.legal_shock = world.legal_shock

    def _reopen(self, rec: RoundRecord) -> None:
        """Reopen deals after a US reversal (docs/model.md §4.5)."""
        state = self.state
        reopen = reopened(state.deal_in_force, rec.reversed_items)
        state.deal_in_force &= ~reopen
        state.negotiating |= reopen
        rec.columns.update(reopened=reopen)

    def _bargain(self, rec: RoundRecord) -> None:
        """Offer, response with its binding reason, and the Diet's ratification (§4.2)."""
        state, grid, t = self.state, self.tables.grid, rec.round_index
        side = proposer_of(t, self.spec.protocol.first_proposer)
        proposer, responder = (self.us, self.japan) if side == "us" else (self.japan, self.us)
        active = state.negotiating & ~state.deal_in_force & ~state.has_pending
        bound, admissible = state.us_win_set_bound.copy(), self.admissible()
        rec.context.update(self.japan.context(), us_win_set_bound=bound, admissible=admissible)
        b, g = proposer.propose(rec, active)
        if self.seat is not None:
            b, g = self.seat.propose(side, t, b, g, active, grid)
        reason = responder.respond(rec, b, g, active)
        if self.seat is not None:
            reason = self.seat.respond(responder.side, t, reason, active & (b >= 0))
        agreed = reason == Reason.ACCEPTED
        ratified = self.japan.ratify(rec, b, g, agreed)
        reason = after_ratification(reason, agreed, ratified)
        state.ratification_failures += agreed & ~ratified
        if ratified.any():
            state.pending[ratified] = grid.join(b[ratified], g[ratified])
            state.has_pending |= ratified
            first = ratified & (state.first_deal_round < 0)
            state.first_deal_round[first] = t
            safe = (np.maximum(b, 0), np.maximum(g, 0))
            terms = np.stack([self.us.utility(*safe), self.japan.utility(*safe)], axis=1)
            state.first_deal_utility[first] = terms[first]
        rec.deal_announced = ratified.astype(np.float64)
        self._learn_win_set(side, b, g, reason)
        state.negotiating = still_negotiating(
            state.negotiating,
            active,
            ratified,
            uniform(state.keys, t, Purpose.BREAKDOWN),
            self.spec.protocol.breakdown_hazard,
        )
        self._record_offer(rec, side, active, b, g, reason, agreed, ratified)

    def admissible(self) -> tuple[list[Admissible], I64]:
        """Admissible packages per replicate: linkage floors and the red lines announced (§4.3).

        One restriction per distinct (leader type, package in force) among the replicates at
        the table; computed once a month. Replicates not at the table share the first row's.
        """
        state, tables = self.state, self.tables
        if self._admissible is not None and self._admissible[0] == self.steps:
            return self._admissible[1]
        rows = np.concatenate([state.leader[:, None], state.levels], axis=1)
        at_table = state.negotiating & ~state.deal_in_force & ~state.has_pending
        if at_table.any() and not at_table.all():
            rows[~at_table] = rows[np.argmax(at_table)]
        # Distinct rows in lexicographic order, as np.unique(axis=0) but coded per column.
        coded, index = group_keys(*rows.T)
        unique = coded.astype(np.int64)
        # the red lines announced so far cap the offers
        red_lines = red_line_masks(tables.grid, self.spec, self.steps)
        restrictions = restrictions_of(tables, self._linkage, unique, red_lines, self.search.cache)
        found = (restrictions, index.reshape(-1).astype(np.int64))
        self._admissible = (self.steps, found)
        return found

    def _learn_win_set(self, side: str, b: I64, g: I64, reason: I64) -> None:
        """The US's belief about Japan's win-set after Japan's answer (core/learning.py)."""
        state = self.state
        offered = b >= 0
        cost = self.japan.political_cost(np.maximum(b, 0), np.maximum(g, 0))
        # Japan cites the Diet whenever it truly binds (tied hands, Schelling 1960): any
        # refusal of a package beyond the win-set, and any failed vote, tells the US so.
        refused = (reason != Reason.ACCEPTED) & (reason != Reason.NOT_NEGOTIATING)
        too_costly = (refused & (cost > self.japan.win_set())) | (
            reason == Reason.FAILED_RATIFICATION
        )
        state.us_win_set_bound, state.us_win_set_floor = update_win_set_bound(
            state.us_win_set_bound,
            state.us_win_set_floor,
            cost,
            offered & too_costly & (side == "us"),
            offered & (side == "japan"),
            self.spec.agents.us.win_set_belief.shrink,
        )

    def _record_offer(
        self,
        rec: RoundRecord,
        side: str,
        active: B,
        b: I64,
        g: I64,
        reason: I64,
        agreed: B,
        ratified: B,
    ) -> None:
        """The offer on the table (every issue, both utilities) and what became of it."""
        grid, n = self.tables.grid, self.state.size
        offered = b >= 0
        safe = (np.maximum(b, 0), np.maximum(g, 0))
        offer_values = grid.values(grid.join(*safe))
        for i, axis in enumerate(grid.axes):
            rec.columns[f"offer_{axis.name}"] = np.where(offered, offer_values[:, i], np.nan)
        rec.columns.update(
            proposer=np.full(n, PROPOSERS.index(side), dtype=np.int8),
            negotiating=active,
            offer_japan_utility=np.where(offered, self.japan.utility(*safe), np.nan),
            offer_us_utility=np.where(offered, self.us.utility(*safe), np.nan),
            reason=reason.astype(np.int8),
            accepted=agreed,
            ratified=ratified,
        )

    def _update_markets(self, rec: RoundRecord) -> None:
        """Announcement-scale market moves from this month's shocks (docs/model.md §7)."""
        state = self.state
        moved = move_markets(
            MarketLevels(
                state.nikkei,
                state.defense_index,
                state.usdjpy,
                state.asia,
                state.nikkei_peak,
                state.nikkei_max_drawdown,
            ),
            MarketShocks(
                rec.tariff_change, rec.deal_announced, rec.coercion_shock, rec.defense_change
            ),
            self.spec.markets,
        )
        state.nikkei, state.defense_index = moved.nikkei, moved.defense_index
        state.usdjpy, state.asia = moved.usdjpy, moved.asia
        state.nikkei_peak, state.nikkei_max_drawdown = moved.nikkei_peak, moved.nikkei_max_drawdown

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
            win_set=self.japan.win_set(),
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
