"""A person in one side's chair: their offers and answers replace that side's negotiator's.

A seminar lets a student (or a team) play Japan or the United States while the model plays
the other side and China. The person decides what the negotiator decides (which package to
propose, whether to accept the other side's offer) and nothing else: the rules of the game
stay the model's. The other side judges a person's offer by its own target and value of no
deal, Japan's Diet votes on any acceptance with the same ratification probability and the
same random draw, red lines cost what they cost, and the US learns from a refusal exactly
as it learns from the model's Japan. Randomness is keyed by (seed, round, purpose)
(core/rng.py), so everything the person does not decide is the same function of the seed
and of the person's decisions: a replay with the same decisions is the same run.

The model still computes its own negotiator's choice in every round the person decides;
the seat keeps it (``model_offers``, ``model_reasons``), which is the debrief: what the
model would have done, in the situation the person faced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from negosim.core.grid import OutcomeGrid
from negosim.core.protocol import Reason

I64 = NDArray[np.int64]
B = NDArray[np.bool_]

SIDES = ("japan", "us")


class SeatError(ValueError):
    """A person's decision that is not a decision of the game (off the grid, wrong side)."""


@dataclass
class Seat:
    """One side of one replicate, played by a person.

    ``offers[t]`` is the package (grid level index per issue, in the scenario's issue
    order) the person proposes in round t, or ``None`` for no offer; ``responses[t]`` is
    whether the person accepts the offer on the table in round t. A round with no
    decision given is played by the model's negotiator (the page can let the model
    decide a round).
    """

    side: Literal["japan", "us"]
    replicate: int = 0
    offers: dict[int, tuple[int, ...] | None] = field(default_factory=dict)
    responses: dict[int, bool] = field(default_factory=dict)
    #: What the model's own negotiator chose in each round the seat's side acted.
    model_offers: dict[int, tuple[int, ...] | None] = field(default_factory=dict)
    model_reasons: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise SeatError(f"a seat is 'japan' or 'us', not {self.side!r}")
        if self.replicate < 0:
            raise SeatError(f"replicate must be ≥ 0, got {self.replicate}")

    def check_package(self, grid: OutcomeGrid, package: tuple[int, ...]) -> tuple[int, ...]:
        """The package as grid levels, or a SeatError saying which issue is off the grid."""
        if len(package) != grid.n_issues:
            raise SeatError(
                f"a package has one level per issue ({grid.n_issues}), got {len(package)}"
            )
        for axis, level in zip(grid.axes, package, strict=True):
            if not 0 <= int(level) < len(axis.values):
                raise SeatError(
                    f"issue '{axis.name}': level {level} is off the grid "
                    f"(0..{len(axis.values) - 1})"
                )
        return tuple(int(level) for level in package)

    def propose(
        self, side: str, round_index: int, b: I64, g: I64, active: B, grid: OutcomeGrid
    ) -> tuple[I64, I64]:
        """The offers with the person's package in their replicate (when it is their turn)."""
        r = self.replicate
        if side != self.side or not active[r]:
            return b, g
        self.model_offers[round_index] = (
            tuple(int(x) for x in grid.join(b[r : r + 1], g[r : r + 1])[0]) if b[r] >= 0 else None
        )
        if round_index not in self.offers:
            return b, g
        package = self.offers[round_index]
        b, g = b.copy(), g.copy()
        if package is None:
            b[r] = g[r] = -1
        else:
            levels = np.asarray([self.check_package(grid, package)], dtype=np.int64)
            pb, pg = grid.split(levels)
            b[r], g[r] = pb[0], pg[0]
        return b, g

    def respond(self, side: str, round_index: int, reason: I64, offered: B) -> I64:
        """The responses with the person's answer in their replicate (when an offer is there)."""
        r = self.replicate
        if side != self.side or not offered[r] or reason[r] == Reason.NOT_NEGOTIATING:
            return reason
        self.model_reasons[round_index] = int(reason[r])
        if round_index not in self.responses:
            return reason
        reason = reason.copy()
        reason[r] = Reason.ACCEPTED if self.responses[round_index] else Reason.DECLINED
        return reason
