"""What the responder's rule would have decided for every other package on the grid.

"Why did Japan reject that?" has a sharp answer when the model can say which nearby package
it would have accepted. The rule a responder applies (docs/model.md §4.6) is
:func:`negosim.core.protocol.classify_response` (accept iff U ≥ max(target, value of no
deal)), for Japan followed by :func:`negosim.core.protocol.veto_outside_win_set` (its
leader knows the win-set K), and an agreement then goes to the Diet
(:func:`negosim.core.politics.diet_passes`, one draw a month). This module applies those
same functions to every package of the grid at once (about 90,000 by default: a few
vectorised passes), and finds the nearest package that changes the outcome.

"Nearest" counts issue-level steps, Σ_k |x_k - o_k| in grid steps from the offer o (one
step of the tariff is 2.5 points, of the defense budget 0.1 % of GDP, of the commitment one
level): the smallest change a negotiator could have made. Ties go to the package that
costs the proposer least (the cheapest concession), then to grid order, so the answer is
unique and deterministic.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from negosim.core.grid import OutcomeGrid
from negosim.core.protocol import Reason, classify_response, veto_outside_win_set

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def every_package(grid: OutcomeGrid) -> tuple[I64, I64]:
    """Block indices (b, g) of every package, package p = b · n_static + g (grid order)."""
    p = np.arange(grid.size, dtype=np.int64)
    return p // grid.n_static, p % grid.n_static


def steps_from(grid: OutcomeGrid, offer: I64) -> I64:
    """Issue-level steps Σ_k |x_k - o_k| from package ``offer`` (level indices) to every one.

    Computed per block (the state block over (s, d), the static block over the rest) and
    summed, in the grid order of :func:`every_package`.
    """
    s, d = grid.state_levels()
    state = np.abs(s - offer[grid.commitment]) + np.abs(d - offer[grid.defense])
    static = np.zeros(grid.n_static, dtype=np.int64)
    levels = grid.static_levels()
    for column, issue in enumerate(grid.static_issues):
        static += np.abs(levels[:, column] - offer[issue])
    return (state[:, None] + static[None, :]).reshape(-1)


def response_reasons(
    value: F64,
    target: float,
    reserve: float,
    cost: F64 | None = None,
    win_set: float | None = None,
) -> I64:
    """The responder's answer to each package: the model's own rule (docs/model.md §4.6).

    ``value`` is the responder's utility of each package; with ``cost`` and ``win_set``
    (Japan responding) a package it would accept but whose political cost exceeds K is
    turned down as outside the win-set, exactly as Japan's agent does.
    """
    n = len(value)
    reason = classify_response(value, np.full(n, target), np.full(n, reserve), np.ones(n, bool))
    if win_set is not None and cost is not None:
        reason = veto_outside_win_set(reason, cost, np.full(n, win_set))
    return reason


def accepted(reason: I64) -> B:
    """Packages the responder would accept."""
    return reason == Reason.ACCEPTED


def nearest(eligible: B, steps: I64, *tie_breaks: F64) -> int:
    """The eligible package with the fewest steps, then the smallest tie-breaks, in order.

    Returns its grid index, or -1 when no package is eligible. Remaining ties go to the
    lowest grid index.
    """
    index = np.flatnonzero(eligible)
    if not len(index):
        return -1
    keys = [index] + [np.asarray(t)[index] for t in reversed(tie_breaks)] + [steps[index]]
    return int(index[np.lexsort(keys)[0]])
