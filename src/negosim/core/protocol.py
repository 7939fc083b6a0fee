"""The alternating-offers protocol: targets, reservations and the reasons behind responses.

One round is one month (docs/model.md §4). Proposers alternate, US first; the responder accepts
a package worth at least its current target and its reservation; Japan's acceptance then
goes to the Diet. Every response carries its binding reason so a seminar can ask "why?".
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Reason(IntEnum):
    """Why a round ended as it did for a replicate (the binding constraint)."""

    NOT_NEGOTIATING = 0
    ACCEPTED = 1
    BELOW_TARGET = 2
    BELOW_RESERVATION = 3
    FAILED_RATIFICATION = 4
    NO_OFFER = 5
    OUTSIDE_WIN_SET = 6
    DECLINED = 7

    @property
    def label(self) -> str:
        """Words for the round-by-round account."""
        return _LABELS[self]


_LABELS = {
    Reason.NOT_NEGOTIATING: "no negotiation (deal in force, pending, or talks ended)",
    Reason.ACCEPTED: "accepted",
    Reason.BELOW_TARGET: "rejected: below target",
    Reason.BELOW_RESERVATION: "rejected: worth less than no deal",
    Reason.FAILED_RATIFICATION: "accepted but failed ratification",
    Reason.NO_OFFER: "no offer: nothing meets the proposer's target inside Japan's win-set",
    Reason.OUTSIDE_WIN_SET: "rejected: outside Japan's win-set (the Diet would not ratify)",
    Reason.DECLINED: "rejected by the person in the seat (agents/seat.py)",
}


def proposer_of(round_index: int, first: str) -> str:
    """Proposers alternate by round, ``first`` in round 1 (Rubinstein 1982)."""
    other = "japan" if first == "us" else "us"
    return first if round_index % 2 == 1 else other


def time_fraction(round_index: int, deadline: int) -> float:
    """t/T of the concession curve: 0 in round 1, 1 at the deadline (Faratin et al. 1998)."""
    if deadline <= 1:
        return 1.0
    return min(1.0, max(0.0, (round_index - 1) / (deadline - 1)))


def time_fractions(round_index: int, horizons: NDArray[np.int64]) -> F64:
    """t/T for each replicate's own planning horizon T (1 where T ≤ 1)."""
    span = np.maximum(horizons - 1, 1).astype(np.float64)
    frac = np.clip((round_index - 1) / span, 0.0, 1.0)
    return np.where(horizons <= 1, 1.0, frac)


def planning_horizons(deadline: int, spread: int, u: F64) -> NDArray[np.int64]:
    """Each replicate's horizon, uniform on the whole months deadline ± spread (at least 2).

    [negosim] No date for the talks was fixed in February 2025, so neither side knows when
    the other means to conclude: each plans on its own horizon, drawn once per run
    (docs/model.md §4.1). Spread 0 gives every replicate the scenario's deadline.
    """
    low = max(2, deadline - spread)
    high = max(low, deadline + spread)
    return low + np.floor(u * (high - low + 1)).astype(np.int64)


def classify_response(utility: F64, target: F64, reserve: F64, has_offer: NDArray[np.bool_]) -> I64:
    """Accept iff U ≥ max(target, reservation); otherwise name the binding constraint.

    Below the reservation is reported first: no concession curve can make that acceptable.
    """
    reason = np.full(len(utility), Reason.ACCEPTED, dtype=np.int64)
    reason[utility < target] = Reason.BELOW_TARGET
    reason[utility < reserve] = Reason.BELOW_RESERVATION
    reason[~has_offer] = Reason.NO_OFFER
    return reason


def veto_outside_win_set(reason: I64, political_cost: F64, win_set: F64) -> I64:
    """Japan turns down what it would accept but the Diet would not pass (Putnam 1988).

    Japan's leader knows the win-set: a package whose political cost is above the radius K
    (ratification probability below 1/2) is rejected even when it meets the leader's own
    target, so failed ratifications come from the Diet's uncertainty near the boundary,
    not from signing what is far outside it.
    """
    reason = reason.copy()
    reason[(reason == Reason.ACCEPTED) & (political_cost > win_set)] = Reason.OUTSIDE_WIN_SET
    return reason


def after_ratification(reason: I64, agreed: NDArray[np.bool_], ratified: NDArray[np.bool_]) -> I64:
    """The round's reason once the Diet has voted: an accepted package it failed to pass."""
    reason = reason.copy()
    reason[agreed & ~ratified] = Reason.FAILED_RATIFICATION
    return reason


def still_negotiating(
    negotiating: NDArray[np.bool_],
    active: NDArray[np.bool_],
    ratified: NDArray[np.bool_],
    breakdown_draw: F64,
    breakdown_hazard: float,
) -> NDArray[np.bool_]:
    """Who is still at the table: talks without a deal break down with a monthly hazard.

    There is no mechanical deadline (docs/model.md §4.1): each month that ends without an
    agreement, the talks collapse for good with probability q, the risk of breakdown of
    Binmore, Rubinstein & Wolinsky (1986, RAND J. Econ. 17:176-188), which is what makes
    delay costly even to a patient side. ``breakdown_draw`` is one uniform per replicate.
    """
    broken = active & ~ratified & (breakdown_draw < breakdown_hazard)
    return negotiating & ~broken
