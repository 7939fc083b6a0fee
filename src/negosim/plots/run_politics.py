"""Japan's approval and the Diet's win-set, with the election and changes of leader.

Putnam's (1988, International Organization 42:427-460) two-level game in one picture: the
upper panel is the cabinet's standing at home (approval, against the threshold below which
the July election is likely lost, docs/model.md §3); the lower one is what that standing
buys abroad, the win-set radius K (the largest political cost the Diet passes), with each
month's offer at its political cost L_J, so an offer above the line is one the Diet would
not ratify. Once the upper house is lost the opposition's cap binds (shaded).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negosim.plots.run_load import Run
from negosim.plots.run_marks import (
    draw_marks,
    figure_legend,
    label_marks,
    mark_handles,
    marks,
    month_axis,
    new_figure,
)
from negosim.plots.run_offers import SIDE_MARKERS
from negosim.plots.style import SIDE_COLOURS, SIDE_NAMES, axis_label

_KINDS = ("election", "leader", "event", "deal", "breakdown", "reversal")


def approval_chart(run: Run) -> Figure:
    """Approval (with the election threshold) above, win-set K and offers' costs below."""
    run.require("approval and win-set", ["approval", "win_set", "political_cost", "proposer"])
    rounds = run.rounds
    months = rounds["round"].to_numpy()
    found = marks(run)
    kinds = [k for k in _KINDS if any(m.kind == k for m in found)]
    lost = (
        rounds["majority_lost"].fillna(False).astype(bool).to_numpy()
        if ("majority_lost" in rounds)
        else np.zeros(len(rounds), dtype=bool)
    )
    entries = 4 + int(lost.any()) + len(kinds)
    fig = new_figure(
        run,
        "Japan's approval and the Diet's win-set",
        "what the cabinet's standing at home lets it ratify abroad",
        (11.0, 8.2),
        legend_rows=int(np.ceil(entries / 4)),
    )
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1.0, 1.2))
    draw_marks([top, bottom], found, kinds)
    approval = rounds["approval"].to_numpy(dtype=float)
    top.plot(
        months,
        approval,
        color=SIDE_COLOURS["japan"],
        marker="o",
        markersize=6,
        zorder=3,
        gid="approval",
    )
    threshold = run.resolved.get("politics", {}).get("election", {}).get("approval_threshold")
    if threshold is not None and run.election_round is not None:
        top.axhline(
            threshold, color="#333333", linestyle=(0, (1, 2)), linewidth=1.4, gid="threshold"
        )
        top.annotate(
            f"election threshold {threshold:.2f}",
            (months.max() + 0.45, threshold),
            ha="right",
            va="bottom",
            fontsize=10,
            color="#333333",
        )
    values = approval if threshold is None else np.append(approval, threshold)
    top.set_ylim(max(0.0, np.nanmin(values) - 0.05), min(1.0, np.nanmax(values) + 0.05))
    top.set_ylabel(axis_label("approval", run.unit("approval")))
    top.set_title("Cabinet approval", loc="left", fontsize=13)

    win_set = rounds["win_set"].to_numpy(dtype=float)
    bottom.step(
        months, win_set, where="mid", color="#000000", linewidth=2.2, zorder=3, gid="win_set"
    )
    bottom.fill_between(months, 0, win_set, step="mid", color=SIDE_COLOURS["deal"], alpha=0.12)
    cost = rounds["political_cost"].to_numpy(dtype=float)
    proposer = rounds["proposer"].astype(str).to_numpy()
    for side in ("us", "japan"):
        mine = (proposer == side) & ~np.isnan(cost)
        bottom.plot(
            months[mine],
            cost[mine],
            linestyle="none",
            marker=SIDE_MARKERS[side],
            markersize=8,
            color=SIDE_COLOURS[side],
            zorder=4,
            gid=f"{side}_cost",
        )
    for ax in (top, bottom):
        if lost.any():
            first = months[lost].min()
            ax.axvspan(first - 0.5, months.max() + 0.5, color="#999999", alpha=0.12, zorder=0)
    bottom.set_ylim(0, max(np.nanmax(win_set), np.nanmax(cost, initial=0.0)) * 1.15 + 0.01)
    bottom.set_ylabel(run.unit("win_set") or "political cost")
    bottom.set_title(
        "Win-set radius K and each offer's political cost L_J", loc="left", fontsize=13
    )
    month_axis(bottom, run)
    handles = [
        Line2D([], [], color=SIDE_COLOURS["japan"], marker="o", label="approval"),
        Line2D([], [], color="#000000", linewidth=2.2, label="win-set K (Diet ratifies below)"),
        *(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=SIDE_MARKERS[s],
                markersize=8,
                color=SIDE_COLOURS[s],
                label=f"{SIDE_NAMES[s]} offer's cost",
            )
            for s in ("us", "japan")
        ),
    ]
    if lost.any():
        handles.append(Patch(color="#999999", alpha=0.25, label="upper house lost"))
    handles += mark_handles(kinds)
    figure_legend(fig, handles, columns=4)
    label_marks(top, found, "leader", months, lambda mark: mark.note, "#333333")
    return fig
