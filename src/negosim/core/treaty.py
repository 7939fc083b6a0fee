"""A deal's life: entry into force, public red lines it may cross, and reopening.

Accepted and ratified packages enter into force the month after (docs/model.md §4.5); a package that
crosses a red line the leader announced costs approval once (audience costs: Fearon 1994;
Tomz 2007); a deal in force reopens after a US reversal or when it falls below either side's
reservation. Pure functions over arrays with a leading replicate axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.politics import audience_cost
from negosim.schema import ApprovalSpec, RedLine

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def enter_into_force(levels: I64, pending: I64, has_pending: B) -> I64:
    """Levels in force after last month's ratified packages take effect."""
    return np.where(has_pending[:, None], pending, levels)


@dataclass(frozen=True)
class RedLineCheck:
    """Approval lost this month to breached red lines, and which lines are now breached."""

    penalty: F64
    breached: B


def check_red_lines(
    lines: Sequence[RedLine],
    line_values: F64,
    already_breached: B,
    entering: B,
    round_index: int,
    rounds: int,
    spec: ApprovalSpec,
) -> RedLineCheck:
    """Breaching a public red line costs approval once (Fearon 1994).

    ``line_values`` holds, per replicate and line, the value of the line's issue in the
    package in force; only packages entering into force this month can breach. The cost
    grows with how long the line has stood in public (:func:`audience_cost`).
    """
    penalty = np.zeros(len(entering))
    breached = already_breached.copy()
    for j, line in enumerate(lines):
        value = line_values[:, j]
        crossed = value > line.bound if line.breached_when == "above" else value < line.bound
        breach = entering & crossed & ~breached[:, j]
        cost = audience_cost(round_index, line.announced_round, rounds, spec)
        penalty += np.where(breach, cost, 0.0)
        breached[:, j] |= breach
    return RedLineCheck(penalty, breached)


def reopened(deal_in_force: B, reversed_items: B) -> B:
    """Deals in force that reopen: after a US reversal (docs/model.md §4.5).

    A deal in force is the package that holds without a new agreement, so it is each side's
    value of no deal too: nothing but a change to its terms can make it fall below that.
    """
    return deal_in_force & reversed_items
