"""Each issue's offers by both sides and the package in force, month by month.

Small multiples (Tufte 1983, The Visual Display of Quantitative Information, ch. 8): one
panel per issue on a shared month axis, each on the issue's whole range, so a reader sees
at once on which issues the sides converge, which one they trade against another, and
where the package in force jumps (a deal entering into force, a tariff letter, a reversal).
Each side proposes every other month (docs/model.md §4.1); its offers are joined across
that one-month gap only.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from negosim.plots.run_load import Run
from negosim.plots.run_marks import (
    broken_series,
    draw_marks,
    figure_legend,
    mark_handles,
    marks,
    month_axis,
    new_figure,
)
from negosim.plots.style import SIDE_COLOURS, SIDE_NAMES, axis_label

#: Marker of each proposer's offers.
SIDE_MARKERS = {"us": "o", "japan": "s"}


def _issue_limits(run: Run, issue: str, values: np.ndarray) -> tuple[float, float]:
    spec = run.issue(issue)
    low = min(spec.get("min", np.nanmin(values)), np.nanmin(values))
    high = max(spec.get("max", np.nanmax(values)), np.nanmax(values))
    pad = 0.06 * (high - low or 1.0)
    return low - pad, high + pad


def offers_chart(run: Run) -> Figure:
    """One panel per issue: the US's and Japan's offers and the package in force, by month."""
    issues = run.issues
    run.require("offers", ["proposer", "ratified", *(f"in_force_{i}" for i in issues)])
    rounds = run.rounds
    months = rounds["round"].to_numpy()
    columns = len(issues) if len(issues) <= 3 else 2
    rows = int(np.ceil(len(issues) / columns))
    found = marks(run)
    kinds = [
        k
        for k in ("deal", "breakdown", "reversal", "tariff_letter")
        if any(m.kind == k for m in found)
    ]
    ratified = rounds["ratified"].fillna(False).astype(bool).to_numpy()
    failed = (
        (rounds["reason"].astype(str) == "failed_ratification").to_numpy()
        if ("reason" in rounds)
        else np.zeros(len(rounds), dtype=bool)
    )
    entries = 3 + int(ratified.any()) + int(failed.any()) + len(kinds)
    fig = new_figure(
        run,
        "Offers on each issue, month by month",
        "each side's offers when it proposes; grey: the package in force at the end of the month",
        (13.0 if columns > 1 else 9.0, (3.2 if rows > 1 else 4.2) * rows + 2.2),
        legend_rows=int(np.ceil(entries / 6)),
    )
    axes = fig.subplots(rows, columns, sharex=True, squeeze=False).ravel()
    for ax, issue in zip(axes, issues, strict=False):
        offer = rounds[f"offer_{issue}"].to_numpy(dtype=float)
        in_force = rounds[f"in_force_{issue}"].to_numpy(dtype=float)
        draw_marks([ax], found, kinds)
        ax.step(
            months,
            in_force,
            where="mid",
            color=SIDE_COLOURS["in_force"],
            linewidth=2.5,
            alpha=0.8,
            zorder=2,
            gid="in_force",
        )
        for side in ("us", "japan"):
            mine = (rounds["proposer"].astype(str).to_numpy() == side) & ~np.isnan(offer)
            x, y = broken_series(months[mine], offer[mine], gap=2, after=months[ratified])
            ax.plot(
                x,
                y,
                color=SIDE_COLOURS[side],
                marker=SIDE_MARKERS[side],
                markersize=7,
                linewidth=1.8,
                zorder=3,
                gid=f"{side}_offers",
            )
        if ratified.any():
            ax.plot(
                months[ratified],
                offer[ratified],
                linestyle="none",
                marker="*",
                markersize=17,
                color=SIDE_COLOURS["deal"],
                markeredgecolor="black",
                zorder=4,
                gid="ratified",
            )
        if failed.any():
            ax.plot(
                months[failed],
                offer[failed],
                linestyle="none",
                marker="X",
                markersize=13,
                color="#000000",
                markeredgecolor="white",
                zorder=4,
                gid="failed_ratification",
            )
        ax.set_ylim(*_issue_limits(run, issue, np.concatenate([offer, in_force])))
        spec = run.issue(issue)
        if spec.get("step") == 1.0 and spec.get("max", 10) - spec.get("min", 0) <= 6:
            ax.set_yticks(np.arange(spec["min"], spec["max"] + 1))
        ax.set_title(issue.replace("_", " ").capitalize(), loc="left", fontsize=13)
        ax.set_ylabel(run.unit(f"offer_{issue}") or issue)
        month_axis(ax, run, label=False)
    for ax in axes[len(issues) :]:
        ax.set_visible(False)
    for ax in axes[max(0, len(issues) - columns) : len(issues)]:
        ax.set_xlabel(axis_label("round", "month") + f", round 1 = {run.month_name(1)}")
        ax.tick_params(labelbottom=True)
    handles = [
        Line2D(
            [],
            [],
            color=SIDE_COLOURS[s],
            marker=SIDE_MARKERS[s],
            markersize=7,
            label=f"{SIDE_NAMES[s]} offers",
        )
        for s in ("us", "japan")
    ]
    handles.append(
        Line2D([], [], color=SIDE_COLOURS["in_force"], linewidth=2.5, label="package in force")
    )
    if ratified.any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="*",
                markersize=15,
                color=SIDE_COLOURS["deal"],
                markeredgecolor="black",
                label="ratified offer",
            )
        )
    if failed.any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="X",
                markersize=12,
                color="#000000",
                label="accepted, Diet failed to ratify",
            )
        )
    handles += mark_handles(kinds)
    figure_legend(fig, handles, columns=min(entries, 6))
    return fig
