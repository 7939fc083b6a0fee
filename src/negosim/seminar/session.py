"""One student's run: settings, the model advanced round by round, its past rounds, a seat.

A session owns one :class:`~negosim.model.NegotiationModel` of one replicate. Stepping
keeps a copy of the model after every round, so the round scrubber can go back to any
earlier round of the current run and play on from there (runs are deterministic, so
this equals re-running from the seed; the copies only save the time). Everything a browser
sends arrives here as plain values and is checked before it touches the model: a session
that receives garbage answers with a message and stays as it was.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any, Literal

from negosim.agents.seat import Seat, SeatError
from negosim.core.events import EVENT_KINDS
from negosim.model import NegotiationModel
from negosim.scenario import Scenario, ScenarioError, apply_overrides, scenario_from_mapping
from negosim.schema import EventSpec
from negosim.seminar.controls import Control, controls_for, current_values, overrides_from
from negosim.seminar.library import PresetLibrary
from negosim.seminar.uploads import load_upload

#: Months a page run may have (the schema allows 120; a seminar needs a few years at most).
MAX_ROUNDS = 36
MAX_SEED = 2**63 - 1


class SessionError(ValueError):
    """Something a browser asked for that cannot be done; the message says why."""


@dataclass
class Settings:
    """What a student chose: a preset (or an upload), control values, seed and rounds."""

    source: str
    values: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    rounds: int = 12


def fork(model: NegotiationModel) -> NegotiationModel:
    """An independent copy of ``model`` that shares its read-only tables and caches."""
    shared = (model.tables, model.search, model.spec)
    return copy.deepcopy(model, {id(obj): obj for obj in shared})


class SeminarSession:
    """A student's run, from settings to the current round."""

    def __init__(self, library: PresetLibrary, preset: str | None = None) -> None:
        self.library = library
        self.base: Scenario = library[preset or library.first].scenario
        self.settings = Settings(preset or library.first)
        self.scenario = self.base
        self.controls: list[Control] = controls_for(self.base)
        self.settings.seed = self.base.spec.seed
        self.settings.rounds = min(self.base.spec.protocol.rounds, MAX_ROUNDS)
        self.settings.values = current_values(self.base, self.controls)
        self.seat: Seat | None = None
        self.reset()

    # -- settings ------------------------------------------------------------------------
    def choose_preset(self, name: str) -> None:
        """Start over from a shipped preset with its own settings."""
        if name not in self.library:
            raise SessionError(f"no preset {name!r}; presets: {', '.join(self.library.names())}")
        self._new_base(self.library[name].scenario, name)

    def upload(self, raw: bytes, filename: str) -> None:
        """Start over from an uploaded scenario; raises ScenarioError with every problem."""
        name = filename.replace("/", "_").replace("\\", "_")[:80] or "upload.yaml"
        self._new_base(load_upload(raw, f"upload:{name}", self.library.paths()), f"upload:{name}")

    def _new_base(self, scenario: Scenario, source: str) -> None:
        self.base, self.scenario = scenario, scenario
        self.controls = controls_for(scenario)
        self.settings = Settings(
            source,
            current_values(scenario, self.controls),
            scenario.spec.seed,
            min(scenario.spec.protocol.rounds, MAX_ROUNDS),
        )
        self.seat = None
        self.reset()

    def apply(self, values: dict[str, Any], seed: object, rounds: object) -> dict[str, str]:
        """Apply control values, seed and rounds; problems by control path (empty: applied).

        Nothing changes unless everything is valid; then the run starts over.
        """
        problems: dict[str, str] = {}
        seed_ok = _whole(seed, 0, MAX_SEED)
        rounds_ok = _whole(rounds, 1, MAX_ROUNDS)
        if seed_ok is None:
            problems["seed"] = f"seed: a whole number in [0, 2^63), got {str(seed)[:40]!r}"
        if rounds_ok is None:
            problems["rounds"] = f"rounds: a whole number in 1..{MAX_ROUNDS}, got {rounds!r}"
        overrides, bad = overrides_from(self.base, self.controls, values)
        problems.update(bad)
        if problems:
            return problems
        assert seed_ok is not None and rounds_ok is not None
        overrides["protocol.rounds"] = rounds_ok
        try:
            scenario = self._with(overrides)
        except ScenarioError as err:
            for p in err.problems:
                problems[p.path or "scenario"] = p.message + (
                    f" (allowed: {p.allowed})" if p.allowed else ""
                )
            return problems
        self.scenario = scenario
        self.settings.values = {**self.settings.values, **values}
        self.settings.seed, self.settings.rounds = seed_ok, rounds_ok
        self.reset()
        return {}

    def _with(self, overrides: dict[str, Any]) -> Scenario:
        if self.base.data is None:
            raise ScenarioError([])
        data = apply_overrides(self.base.data, overrides)
        return scenario_from_mapping(data, f"{self.settings.source} with the page's settings")

    # -- the run -------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to round 0 with the current settings (a seat keeps its side, not its moves)."""
        if self.seat is not None:
            self.seat = Seat(self.seat.side)
        self.model = NegotiationModel(
            self.scenario,
            seeds=[self.settings.seed],
            rounds=self.settings.rounds,
            seat=self.seat,
        )
        self.snapshots = [fork(self.model)]

    @property
    def round(self) -> int:
        """Rounds played so far."""
        return len(self.model.history)

    @property
    def finished(self) -> bool:
        """Whether every round of the run has been played."""
        return not self.model.running

    def step(self) -> bool:
        """Play one round; False when the run was already over."""
        if self.finished:
            return False
        self.model.step()
        self.snapshots.append(fork(self.model))
        return True

    def back_to(self, round_index: object) -> None:
        """Go back to the end of an earlier round of this run and play on from there."""
        k = _whole(round_index, 0, self.round)
        if k is None:
            raise SessionError(f"round: a whole number in 0..{self.round}, got {round_index!r}")
        self.model = fork(self.snapshots[k])
        self.snapshots = self.snapshots[: k + 1]
        self.seat = self.model.seat

    # -- a seat --------------------------------------------------------------------------
    def take_seat(self, side: object) -> None:
        """A person plays ``side`` ('japan' or 'us', None to leave it); the run starts over."""
        if side not in ("japan", "us", None):
            raise SessionError(f"a seat is 'japan', 'us' or none, not {str(side)[:20]!r}")
        self.seat = Seat(side) if side else None  # type: ignore[arg-type]
        self.reset()

    def seat_turn(self) -> Literal["propose", "respond"] | None:
        """What the person in the seat decides next round (None: nothing to decide)."""
        if self.seat is None or self.finished:
            return None
        preview = self.preview()
        cols = preview.history[-1].columns
        if not cols["negotiating"][0]:
            return None
        proposer = ("us", "japan")[int(cols["proposer"][0])]
        if proposer == self.seat.side:
            return "propose"
        return "respond" if not math.isnan(cols["offer_tariff"][0]) else None

    def preview(self) -> NegotiationModel:
        """The next round as the model alone would play it, on a copy (the run is untouched)."""
        ahead = fork(self.model)
        if ahead.seat is not None:
            ahead.seat = Seat(ahead.seat.side)
        ahead.step()
        return ahead

    def decide(self, offer: dict[str, object] | None = None, accept: object = None) -> None:
        """The person's decision for the next round, then the round is played.

        ``offer`` maps each issue to a value in its unit (snapped to the grid); ``accept``
        answers the other side's offer.
        """
        if self.seat is None:
            raise SessionError("take a seat first")
        turn = self.seat_turn()
        t = self.round + 1
        if turn == "propose":
            if offer is None:
                self.seat.offers[t] = None
            else:
                self.seat.offers[t] = self._package(offer)
        elif turn == "respond":
            if not isinstance(accept, bool):
                raise SessionError("answer the offer: accept (true) or reject (false)")
            self.seat.responses[t] = accept
        self.step()

    def _package(self, offer: dict[str, object]) -> tuple[int, ...]:
        grid = self.model.tables.grid
        levels = []
        for axis in grid.axes:
            value = offer.get(axis.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SessionError(f"offer: {axis.name} needs a number, got {value!r}")
            if not math.isfinite(value) or not axis.spec.min <= value <= axis.spec.max:
                raise SessionError(
                    f"offer: {axis.name} {value!r} is outside {axis.spec.min:g}..."
                    f"{axis.spec.max:g} {axis.spec.unit}"
                )
            levels.append(axis.snap(float(value)))
        try:
            return self.seat.check_package(grid, tuple(levels)) if self.seat else ()
        except SeatError as err:
            raise SessionError(str(err)) from None

    # -- instructor events -----------------------------------------------------------------
    def inject(self, kind: object, value: object, note: str = "") -> EventSpec:
        """An event of the registry at the next round, checked as a scenario's event is."""
        if not isinstance(kind, str) or kind not in EVENT_KINDS:
            raise SessionError(f"event: one of {', '.join(EVENT_KINDS.names())}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SessionError(f"event {kind}: a number is needed, got {value!r}")
        allowed = EVENT_KINDS[kind].allowed(self.scenario.spec)
        if allowed is None:
            raise SessionError(f"event {kind}: this scenario has no scale for it")
        if not math.isfinite(value) or not allowed.low <= value <= allowed.high:
            raise SessionError(
                f"event {kind}: {value!r} is outside {allowed.low:g}..{allowed.high:g} "
                f"({allowed.what})"
            )
        if self.finished:
            raise SessionError("the run is over: reset or go back to inject an event")
        event = EventSpec(round=self.round + 1, kind=kind, value=float(value), note=str(note)[:80])
        self.model.events.append(event)
        return event


def _whole(value: object, low: int, high: int) -> int | None:
    """``value`` as a whole number in [low, high], or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not low <= value <= high:
        return None
    return value
