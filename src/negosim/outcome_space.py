"""The outcome space a run ended in, saved so that charts never re-run the model (§4.7).

The per-run summary keeps each benchmark as two numbers (Nash's and Kalai–Smorodinsky's
utilities). A chart of the bargain needs more: the ratifiable Pareto frontier itself, the
packages (issue values) behind the benchmarks, and the disagreement point. This module
computes them for each replicate at the end of the run, with the same functions and the
same inputs as :func:`negosim.outcomes.summarize` (the 'benchmark' candidates of the
replicate's leader, threat and reversal belief, cut by the end-of-run win-set rounded to
``BUDGET_RESOLUTION``, inside the public red lines), so the saved Nash and KS utilities are
the summary's, value for value (tests/test_plots_run.py checks it). ``negosim run --out``
stores the result under ``outcome_space`` in summary.json.

Two frontiers are kept: what the Diet could ratify (the set the benchmarks are computed
over) and the whole grid inside the red lines, so a reader sees how much the two-level game
(Putnam 1988) shrinks the bargaining set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from negosim.core.admissible import Admissible
from negosim.core.bargaining import pareto_staircase
from negosim.core.benchmarks import (
    BUDGET_RESOLUTION,
    budget_level,
    ratifiable_front,
    solve_on_front,
)

if TYPE_CHECKING:
    from negosim.model import NegotiationModel

#: Bumped when the record's shape changes; the plots read it to explain an older file.
FORMAT = 1


def _points(
    model: NegotiationModel, state: NDArray, static: NDArray, japan: NDArray, us: NDArray
) -> dict[str, list[float]]:
    """Packages as columns: both utilities and each issue's value in its own unit."""
    grid = model.tables.grid
    values = grid.values(grid.join(state, static))
    points = {"japan_utility": japan.tolist(), "us_utility": us.tolist()}
    for i, axis in enumerate(grid.axes):
        points[axis.name] = values[:, i].tolist()
    return points


def _package(model: NegotiationModel, levels: NDArray) -> dict[str, float]:
    values = model.tables.grid.values(levels[None, :])[0]
    return {axis.name: float(v) for axis, v in zip(model.tables.grid.axes, values, strict=True)}


def _solution(front: dict[str, list[float]], pick: int) -> dict[str, Any] | None:
    """One frontier package (utilities and issue values), or None where no benchmark exists."""
    if pick < 0:
        return None
    utilities = {k: front[k][pick] for k in ("japan_utility", "us_utility")}
    package = {k: v[pick] for k, v in front.items() if k not in utilities}
    return {**utilities, "package": package}


def outcome_space(model: NegotiationModel, replicate: int = 0) -> dict[str, Any]:
    """The end-of-run bargaining set of one replicate, as JSON-ready data.

    Keys: ``round`` (the month it is valued at), ``leader``, ``win_set`` (K) and ``budget``
    (K rounded down, the cost limit actually applied), ``frontier`` (ratifiable) and
    ``frontier_whole_grid`` (columns ``japan_utility``, ``us_utility`` and one per issue,
    sorted by Japan's utility), ``nash`` and ``ks`` (utilities and package, or None),
    ``disagreement`` (each side's value of no deal and the package that holds without a
    deal), ``final`` (the final package and its utilities) and ``status_quo``.
    """
    state, tables = model.state, model.tables
    i = replicate
    rows = slice(i, i + 1)
    leader = int(state.leader[i])
    threats, beliefs = state.threat(tables)[rows], state.reversal_belief()[rows]
    threat, belief = float(threats[0]), float(beliefs[0])
    red_lines = Admissible.of(tables.grid, list(tables.red_lines))
    cands = model.search.candidates("benchmark", leader, threat, belief, red_lines)
    block, static, japan, us, cost = cands.raw()
    win_set = float(model.japan.win_set()[i])
    level = int(budget_level(np.array([win_set]))[0])
    on_front = ratifiable_front(japan, us, cost, level)
    whole = pareto_staircase(japan, us)
    d_japan = float(model.japan.no_deal_value()[i])
    d_us = float(model.us.no_deal_value()[i])
    final_levels = state.pending[i] if state.has_pending[i] else state.levels[i]
    b, g = tables.grid.split(final_levels[None, :])
    u_japan = float(tables.japan(state.leader[rows], b, g, threats, beliefs)[0])
    u_us = float(tables.us(b, g)[0])
    found = solve_on_front(
        japan[on_front][None, :],
        us[on_front][None, :],
        np.array([d_japan]),
        np.array([d_us]),
        model.spec.benchmarks.nash_weight_japan,
        np.array([u_japan]),
        np.array([u_us]),
    )
    front = _points(model, block[on_front], static[on_front], japan[on_front], us[on_front])
    return {
        "format": FORMAT,
        "round": model.rounds,
        "leader": tables.type_names[leader],
        "win_set": win_set,
        "budget": level * BUDGET_RESOLUTION,
        "nash_weight_japan": model.spec.benchmarks.nash_weight_japan,
        "frontier": front,
        "frontier_whole_grid": _points(model, block[whole], static[whole], japan[whole], us[whole]),
        "nash": _solution(front, int(found.nash[0])),
        "ks": _solution(front, int(found.ks[0])),
        "disagreement": {
            "japan_utility": d_japan,
            "us_utility": d_us,
            "package": _package(model, state.fallback[i]),
        },
        "final": {
            "japan_utility": u_japan,
            "us_utility": u_us,
            "package": _package(model, final_levels),
        },
        "status_quo": _package(model, tables.grid.status_quo()),
    }


def outcome_spaces(model: NegotiationModel) -> list[dict[str, Any]]:
    """:func:`outcome_space` of every replicate, in replicate order (as summary.json's runs)."""
    return [outcome_space(model, i) for i in range(model.state.size)]
