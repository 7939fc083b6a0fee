"""Events: scheduled or instructor-injected shocks, each a named unit of a registry.

An event happens in one round, the same in every replicate; its kind says what it changes.
Each kind is an entry of :data:`EVENT_KINDS` (see :mod:`negosim.registry`) that declares what
it acts on and how long its effect lasts, checks its ``value`` against the scenario's scales
(:meth:`EventKind.allowed`), and applies itself to the month's :class:`World` as a pure
function. Adding a kind is one class here plus its test (``docs/extending.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from negosim.core.grid import OutcomeGrid
from negosim.core.state import BatchState
from negosim.registry import Entry, Registry
from negosim.schema import COERCION_LEVELS, EventSpec, ScenarioSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


@dataclass(frozen=True)
class World:
    """What an event can change this month, per replicate.

    ``taiwan`` is the weight of Taiwan statements China still hears; ``detente`` a thaw in
    China relations; ``legal_shock`` a court ruling against the tariffs (this month only);
    ``approval`` the cabinet's approval; ``levels`` the grid levels of the package in force;
    ``incident`` the lowest rung China can hold this month (a collision at sea);
    ``majority_margin`` and ``majority_lost`` the government's position in the Diet.
    """

    taiwan: F64
    detente: F64
    legal_shock: F64
    approval: F64
    levels: I64
    incident: I64
    majority_margin: F64
    majority_lost: B

    @classmethod
    def of(cls, state: BatchState, legal_shock: F64) -> World:
        """The part of the state (and this month's legal shock) events may change."""
        return cls(
            state.taiwan,
            state.detente,
            legal_shock,
            state.approval,
            state.levels,
            state.incident,
            state.majority_margin,
            state.majority_lost,
        )

    def update(self, state: BatchState) -> None:
        """Write the world back into the state (the legal shock is the month's, not state)."""
        state.taiwan, state.detente, state.approval = self.taiwan, self.detente, self.approval
        state.levels, state.incident = self.levels, self.incident
        state.majority_margin, state.majority_lost = self.majority_margin, self.majority_lost


@dataclass(frozen=True)
class ValueRange:
    """The values an event kind accepts, and how to name them in an error message."""

    low: float
    high: float
    what: str


class EventKind(Entry):
    """Base of the event kinds.

    Declared properties: ``acts_on`` (the part of the world it changes) and ``lasts``
    (``this month``, ``decays`` or ``until changed``).
    """

    acts_on: ClassVar[str]
    lasts: ClassVar[str]
    #: A typical value, used by ``negosim list`` and the contract tests.
    example: ClassVar[float] = 1.0

    def allowed(self, spec: ScenarioSpec) -> ValueRange | None:
        """The values this kind accepts in ``spec`` (None: the scenario lacks its scale)."""
        return ValueRange(0.0, 1.0, f"a {self.name} weight")

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """The world after the event (subclasses)."""
        raise NotImplementedError


EVENT_KINDS: Registry[EventKind] = Registry("event kind", "events.N.kind", ("acts_on", "lasts"))


@EVENT_KINDS.register
class TaiwanStatement(EventKind):
    """Japan's leader speaks of a Taiwan contingency: China hears it for months.

    The weight (0-1) enters China's propensity through β_TW and decays by
    ``china.taiwan_decay`` each month (docs/model.md §5).
    """

    name = "taiwan_statement"
    citation = "docs/model.md §5 (β_TW); Jervis 1976 on signals read as intentions"
    acts_on = "china"
    lasts = "decays"

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """The louder of the remembered and the new statement."""
        return replace(world, taiwan=np.maximum(world.taiwan, value))


@EVENT_KINDS.register
class Detente(EventKind):
    """A thaw between Tokyo and Beijing (a summit, a fisheries deal) lowers China's propensity.

    Enters China's propensity through β_w (docs/model.md §5) until another detente event resets it.
    """

    name = "detente"
    citation = "docs/model.md §5 (β_w)"
    acts_on = "china"
    lasts = "until changed"

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """Set the detente weight."""
        return replace(world, detente=np.full(len(world.detente), value))


@EVENT_KINDS.register
class LegalShock(EventKind):
    """A court rules against the tariffs: the US is likelier to walk back trade items.

    Adds ``per_legal_shock``·value to this month's reversal hazard (docs/model.md §6).
    """

    name = "legal_shock"
    citation = "docs/model.md §6 (LegalShock in the reversal hazard)"
    acts_on = "courts"
    lasts = "this month"

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """Set this month's legal shock."""
        return replace(world, legal_shock=np.full(len(world.legal_shock), value))


@EVENT_KINDS.register
class ApprovalShock(EventKind):
    """News at home (a scandal, a coalition collapse) moves the cabinet's approval.

    Adds the value to approval, clipped to [0, 1] (docs/model.md §3); negative values are losses.
    """

    name = "approval_shock"
    citation = "docs/model.md §3 (approval dynamics); Mueller 1970 on events and approval"
    acts_on = "politics"
    lasts = "until changed"
    example = -0.05

    def allowed(self, spec: ScenarioSpec) -> ValueRange | None:
        """A change of approval in [-1, 1]."""
        return ValueRange(-1.0, 1.0, "a change of approval")

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """Approval plus the shock, kept in [0, 1]."""
        return replace(world, approval=np.clip(world.approval + value, 0.0, 1.0))


@EVENT_KINDS.register
class TariffLetter(EventKind):
    """The US announces a tariff on Japanese goods (a "letter"): the level in force rises.

    Raises the tariff in force to the value (snapped to the grid) where it is lower
    (docs/model.md §4.4).
    """

    name = "tariff_letter"
    citation = "docs/model.md §4.4; Schelling 1966 on compellence"
    acts_on = "trade"
    lasts = "until changed"
    example = 25.0

    def allowed(self, spec: ScenarioSpec) -> ValueRange | None:
        """A level of the tariff issue, in its unit."""
        for name, issue in spec.issues.items():
            if issue.enabled and issue.role == "tariff":
                return ValueRange(issue.min, issue.max, f"a level of issue '{name}'")
        return None

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """The tariff level in force becomes at least the letter's level."""
        level = grid.axes[grid.tariff].snap(value)
        levels = world.levels.copy()
        raise_it = levels[:, grid.tariff] < level
        levels[raise_it, grid.tariff] = level
        return replace(world, levels=levels)


@EVENT_KINDS.register
class CollisionAtSea(EventKind):
    """A collision at sea near the Senkakus: this month China is on the incident rung.

    China's level this month is at least the value (default 5, a militarised incident);
    from next month it climbs down from there by the ladder's own inertia and skip penalty
    (docs/model.md §5); markets and Japan's rally react to the level as to any other.
    Precedent: the Chinese trawler's collision with two Japan Coast Guard patrol boats
    off the Senkakus (7 Sep 2010), followed by the rare-earth embargo.
    """

    name = "collision_at_sea"
    citation = "docs/model.md §5 (the ladder, Kahn 1965); the Sep 2010 Senkaku boat collision"
    acts_on = "china"
    lasts = "decays"
    example = 5.0

    def allowed(self, spec: ScenarioSpec) -> ValueRange | None:
        """A rung of China's ladder."""
        return ValueRange(0.0, float(COERCION_LEVELS - 1), "a rung of China's ladder")

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """This month's lowest rung raised to the incident's."""
        return replace(world, incident=np.maximum(world.incident, round(value)))


@EVENT_KINDS.register
class CoalitionCollapse(EventKind):
    """A coalition partner leaves the government in Tokyo: the Diet gains a veto player.

    The majority margin M becomes the value (negative: a minority) and the government needs
    an opposition partner to pass anything, so the win-set is capped at the opposition's
    radius K_O, as after a lost upper-house election (docs/model.md §3; Tsebelis 2002).
    Precedent: Komeito left its 26-year coalition with the LDP on 10 Oct 2025.
    """

    name = "coalition_collapse"
    citation = "docs/model.md §3 (win-set, K_O); Tsebelis 2002, Veto Players"
    acts_on = "politics"
    lasts = "until changed"
    example = -0.3

    def allowed(self, spec: ScenarioSpec) -> ValueRange | None:
        """The majority margin after the collapse."""
        return ValueRange(-1.0, 1.0, "a majority margin M after the collapse")

    def apply(self, world: World, value: float, grid: OutcomeGrid) -> World:
        """Margin set to the value; the opposition becomes a veto player."""
        n = len(world.majority_margin)
        return replace(
            world, majority_margin=np.full(n, value), majority_lost=np.ones(n, dtype=bool)
        )


def apply_events(world: World, events: Sequence[EventSpec], grid: OutcomeGrid) -> World:
    """Apply ``events`` in file order (the caller selects the month's)."""
    for event in events:
        world = EVENT_KINDS[event.kind].apply(world, event.value, grid)
    return world


def describe(event: EventSpec) -> str:
    """``kind=value (note)``: how the account and the per-round table name an event."""
    return f"{event.kind}={event.value:g}" + (f" ({event.note})" if event.note else "")
