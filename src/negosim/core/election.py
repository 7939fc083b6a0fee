"""The upper-house election and, after a loss, the leader's replacement (docs/model.md §3).

The election falls in a calendar month (``politics.election.month``), turned into a round
against ``protocol.start_month`` (round 1). A coalition that loses its majority moves to a
worse majority margin and faces the opposition as a second veto player; its leader is
replaced with some probability after a delay, by a successor drawn from the scenario's
leader types. Pure functions over arrays with a leading replicate axis; draws are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.politics import majority_loss_probability
from negosim.schema import ElectionSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def month_number(month: str) -> int:
    """'YYYY-MM' as a count of months (12·year + month - 1), so differences are months."""
    year, number = (int(part) for part in month.split("-"))
    return 12 * year + number - 1


def round_of_month(start_month: str, month: str) -> int:
    """The round in which ``month`` falls when round 1 is ``start_month`` (one round a month).

    docs/model.md §3: with round 1 = February 2025, July 2025 is round 6. A month before the
    start gives a round below 1 (the scenario boundary rejects it).
    """
    return month_number(month) - month_number(start_month) + 1


@dataclass(frozen=True)
class ElectionResult:
    """Who lost the majority, and in which round each replaced leader goes."""

    lost: B
    replaced: B
    replacement_round: I64


def hold_election(
    approval: F64,
    round_index: int,
    spec: ElectionSpec,
    u_loss: F64,
    u_replace: F64,
    u_delay: F64,
) -> ElectionResult:
    """The majority is lost with probability σ((A* - A)/s); a loser is replaced later.

    The delay is uniform on the whole rounds of ``replacement_delay`` [a, b].
    """
    lost = u_loss < majority_loss_probability(approval, spec)
    replaced = lost & (u_replace < spec.replacement_probability)
    low, high = spec.replacement_delay
    delay = low + np.floor(u_delay * (high - low + 1)).astype(np.int64)
    return ElectionResult(lost, replaced, round_index + delay)


def pick_successors(u: F64, successor_types: I64, successor_cdf: F64) -> I64:
    """Leader-type index of each replicate's successor, by inversion of the shares."""
    pick = np.searchsorted(successor_cdf, u, side="right")
    return successor_types[np.minimum(pick, len(successor_types) - 1)]
