"""What a run produced: the per-round table and the per-run summary (docs/model.md §9).

Both are plain dicts of numpy columns (one row per replicate and round, or per replicate),
checked against the declared outputs (:mod:`negosim.columns`): this is the single point
where recorded columns become tables, so an undeclared or vanished column fails here, by
name. ``round_frame``/``run_frame`` give the same tables as pandas DataFrames in the stored
encoding (labelled categories, missing values as such). The summary scores each run against
the bargaining benchmarks computed over the same outcome grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from negosim.columns import check_finite, check_recorded, declared_for
from negosim.columns.arrow import frame
from negosim.columns.table import FINAL_STATUS
from negosim.core.admissible import Admissible
from negosim.core.bargaining import utility_distance
from negosim.core.benchmarks import budget_level, group_fronts, solve_on_front
from negosim.core.grouping import group_keys

if TYPE_CHECKING:
    from negosim.model import NegotiationModel

Columns = dict[str, NDArray]

__all__ = ["FINAL_STATUS", "Columns", "round_frame", "round_table", "run_frame", "summarize"]


def round_table(model: NegotiationModel) -> Columns:
    """One row per (replicate, round), replicate-major, with every recorded column."""
    history = model.history
    n, rounds = model.state.size, len(history)
    table: Columns = {
        "replicate": np.repeat(np.arange(n, dtype=np.int64), rounds),
        "seed": np.repeat(np.asarray(model.seeds, dtype=np.uint64), rounds),
        "round": np.tile(np.arange(1, rounds + 1, dtype=np.int64), n),
    }
    if not history:
        return table
    for name in history[0].columns:
        table[name] = np.stack([rec.columns[name] for rec in history], axis=1).reshape(-1)
    events = np.array(["; ".join(rec.events) for rec in history], dtype=object)
    table["events"] = np.tile(events, n)
    columns = declared_for(model, "round")
    check_recorded(table, columns, "per-round table")
    check_finite(table, columns, "per-round table", f"scenario '{model.spec.name}'")
    return table


def _benchmarks(model: NegotiationModel, b: NDArray, g: NDArray) -> Columns:
    """Score each run against the bargaining benchmarks at the end of the run (§4.7).

    Nash (asymmetric) and Kalai–Smorodinsky points over the ratifiable set (political cost
    within the end-of-run win-set, inside the public red lines), from each side's value of
    no deal (of the package that would hold without any deal), and the run's distance to
    each and to the ratifiable Pareto frontier.
    """
    state, tables, search = model.state, model.tables, model.search
    n = state.size
    threat, belief = state.threat(tables), state.reversal_belief()
    u_japan = tables.japan(state.leader, b, g, threat, belief)
    u_us = tables.us(b, g)
    d_japan, d_us = model.japan.no_deal_value(), model.us.no_deal_value()
    budget = model.japan.win_set()
    red_lines = Admissible.of(tables.grid, list(tables.red_lines))
    out = {
        key: np.full(n, np.nan)
        for key in (
            "nash_japan_utility",
            "nash_us_utility",
            "ks_japan_utility",
            "ks_us_utility",
            "distance_nash",
            "distance_ks",
            "distance_pareto",
        )
    }
    weight = model.spec.benchmarks.nash_weight_japan
    level = budget_level(budget)
    unique, inverse = group_keys(state.leader, threat, belief, level)
    a, b = group_fronts(search, unique, red_lines)
    a, b = a[inverse], b[inverse]
    found = solve_on_front(a, b, d_japan, d_us, weight, u_japan, u_us)
    rows = np.arange(n)
    for name, pick in (("nash", found.nash), ("ks", found.ks)):
        ok = pick >= 0
        out[f"{name}_japan_utility"][ok] = a[rows[ok], pick[ok]]
        out[f"{name}_us_utility"][ok] = b[rows[ok], pick[ok]]
    out["distance_pareto"] = found.distance_pareto
    for name in ("nash", "ks"):
        out[f"distance_{name}"] = utility_distance(
            u_japan, u_us, out[f"{name}_japan_utility"], out[f"{name}_us_utility"]
        )
    gains = np.clip(u_japan - d_japan, 0.0, None), np.clip(u_us - d_us, 0.0, None)
    out["nash_product"] = gains[0] ** weight * gains[1] ** (1.0 - weight)
    out["japan_utility"], out["us_utility"] = u_japan, u_us
    out["japan_reservation"], out["us_reservation"] = d_japan, d_us
    return out


def summarize(model: NegotiationModel) -> Columns:
    """One row per replicate: deal, terms, utilities, benchmarks, politics, China, markets."""
    state, grid = model.state, model.tables.grid
    final_levels = np.where(state.has_pending[:, None], state.pending, state.levels)
    status = np.where(state.has_pending, 2, np.where(state.deal_in_force, 1, 0))
    b, g = grid.split(final_levels)
    values = grid.values(final_levels)
    summary: Columns = {
        "replicate": np.arange(state.size, dtype=np.int64),
        "seed": np.asarray(model.seeds, dtype=np.uint64),
        "deal_reached": state.first_deal_round >= 0,
        "first_deal_round": state.first_deal_round.copy(),
        "final_status": np.array([FINAL_STATUS[s] for s in status], dtype=object),
    }
    for i, axis in enumerate(grid.axes):
        summary[f"final_{axis.name}"] = values[:, i]
    summary.update(_benchmarks(model, b, g))
    summary.update(
        deal_japan_utility=state.first_deal_utility[:, 1].copy(),
        deal_us_utility=state.first_deal_utility[:, 0].copy(),
    )
    leader_names = np.array(model.tables.type_names, dtype=object)
    history = model.history
    summary.update(
        ratification_failures=state.ratification_failures.copy(),
        reversals_trade=state.reversals[:, 0].copy(),
        reversals_security=state.reversals[:, 1].copy(),
        majority_lost=state.majority_lost.copy(),
        leader_replaced=state.leader_replaced.copy(),
        final_leader=leader_names[state.leader],
        final_approval=state.approval.copy(),
        china_max_level=np.max([rec.columns["coercion_level"] for rec in history], axis=0)
        if history
        else state.coercion.copy(),
        nikkei_max_drawdown=state.nikkei_max_drawdown.copy(),
        final_nikkei=state.nikkei.copy(),
        final_usdjpy=state.usdjpy.copy(),
        final_defense_index=state.defense_index.copy(),
    )
    for level in range(state.months_at_level.shape[1]):
        summary[f"months_at_level_{level}"] = state.months_at_level[:, level].copy()
    columns = declared_for(model, "run")
    check_recorded(summary, columns, "per-run summary")
    check_finite(summary, columns, "per-run summary", f"scenario '{model.spec.name}'")
    return summary


def round_frame(model: NegotiationModel) -> pd.DataFrame:
    """The per-round table as a DataFrame, encoded as in files (see docs/columns.md).

    ``reason``, ``proposer`` and ``leader`` are labelled categoricals; offers of rounds
    without an offer are NaN.
    """
    return frame(round_table(model), declared_for(model, "round"))


def run_frame(model: NegotiationModel) -> pd.DataFrame:
    """The per-run summary as a DataFrame, encoded as in files (see docs/columns.md).

    ``first_deal_round`` is a nullable integer, ``<NA>`` for a run without a deal (never
    -1), so its mean is over runs with a deal; ``final_status`` and ``final_leader`` are
    labelled categoricals.
    """
    return frame(summarize(model), declared_for(model, "run"))
