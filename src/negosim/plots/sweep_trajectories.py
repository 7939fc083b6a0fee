"""Trajectories over rounds: per point, the median with the 50 % and 90 % bands of the runs.

One small panel per shown point (rows: the first varied parameter; columns: the second),
sharing both axes so panels compare at a glance (Tufte 1983, small multiples). The bands
are pointwise: in each round, the middle 50 % and 90 % of the runs' values, not the path
of any one run. A true/false column (a deal in force) is drawn as its share of runs per
round with a 95 % Wilson band. Only experiments that kept per-round outcomes
(``keep.rounds``) have them.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from negosim.plots.style import house_style
from negosim.plots.sweep_figure import frame, legend_anchor, panel_figure
from negosim.plots.sweep_labels import format_value, outcome_axis, outcome_title, parameter_name
from negosim.plots.sweep_points import PointLayout
from negosim.plots.sweep_rounds import RoundSummary, Trajectory, summarise_rounds
from negosim.plots.sweep_source import open_files
from negosim.sweep.load import Sweep
from negosim.sweep.stats import wilson_interval

BAND_COLOUR = "#0072B2"
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]


def _panels(summary: RoundSummary) -> tuple[list[tuple[int, str]], int, int, bool]:
    """(slot, panel title) per panel, the grid's rows and columns, and whether it is a grid.

    On a grid of two parameters the panels need no titles of their own: the columns are
    headed by the second parameter's values and the rows by the first's (facet strips).
    """
    layout = summary.layout
    if layout.pooled:
        return [(0, "all design points pooled")], 1, 1, False
    shown = layout.shown
    if layout.hue is not None:
        rows, cols = len(layout.levels(layout.group)), len(layout.levels(layout.hue))
        panels = [(shown.index(p), layout.label(p)) for _, m in layout.grouped() for p in m]
        if rows * cols == len(panels):
            return panels, rows, cols, True
    cols = min(4, len(shown))
    rows = math.ceil(len(shown) / cols)
    panels = [(i, layout.label(p) or "all runs") for i, p in enumerate(shown)]
    return panels, rows, cols, False


def _strips(fig: Figure, axes: np.ndarray, layout: PointLayout) -> None:
    """Column headers (second parameter) over the top row, row labels (first) at the right."""
    for ax, level in zip(axes[0], layout.levels(layout.hue), strict=True):
        ax.set_title(f"{parameter_name(layout.hue)} = {format_value(level)}", fontsize=11,
                     fontweight="normal")  # fmt: skip
    for ax, level in zip(axes[:, -1], layout.levels(layout.group), strict=True):
        label = f"{parameter_name(layout.group)} = {format_value(level)}"
        ax.text(1.04, 0.5, label, transform=ax.transAxes, rotation=270, ha="left", va="center",
                fontsize=11)  # fmt: skip


def _discrete(trajectory: Trajectory) -> bool:
    """Whether every value is a whole number (levels, counts): drawn as steps, month by month."""
    h = trajectory.histograms
    filled = h.counts > 0
    centres = h.sums[filled] / h.counts[filled]
    return bool(centres.size) and bool(np.allclose(centres, np.round(centres)))


def _draw(ax: object, trajectory: Trajectory, slot: int) -> None:
    rounds = np.arange(1, trajectory.rounds + 1)
    if trajectory.info.kind == "bool":
        n = trajectory.n(slot)
        share = trajectory.means(slot)
        low, high = wilson_interval(share * n, n)
        ax.fill_between(rounds, low, high, color=BAND_COLOUR, alpha=0.25, linewidth=0, gid="band")
        ax.plot(rounds, share, color=BAND_COLOUR, linewidth=2, gid="median")
        return
    step = "mid" if _discrete(trajectory) else None
    q = trajectory.quantiles(slot, QUANTILES)
    ax.fill_between(
        rounds, q[:, 0], q[:, 4], color=BAND_COLOUR, alpha=0.18, linewidth=0, step=step, gid="band"
    )
    ax.fill_between(
        rounds, q[:, 1], q[:, 3], color=BAND_COLOUR, alpha=0.38, linewidth=0, step=step, gid="band"
    )
    style = "steps-mid" if step else "default"
    ax.plot(rounds, q[:, 2], color="#003f66", linewidth=2, drawstyle=style, gid="median")
    ax.plot(
        rounds, trajectory.means(slot), color="black", linewidth=1.2, linestyle="--", gid="mean"
    )


def _notes(summary: RoundSummary, trajectory: Trajectory, slots: list[int]) -> str:
    layout = summary.layout
    info = trajectory.info
    n = np.concatenate([trajectory.n(s) for s in slots])
    runs = f"{int(n.max()):,}" if n.min() == n.max() else f"{int(n.min()):,}–{int(n.max()):,}"
    notes = [
        f"{runs} runs per panel and round"
        + (f"; months without a value left out ({info.missing})" if info.missing else "")
    ]
    notes.append(layout.note)
    return "\n".join(filter(None, notes))


def trajectory_chart(sweep: Sweep, column: str, *, summary: RoundSummary | None = None) -> Figure:
    """``column`` round by round at each shown point: median, 50 % and 90 % bands."""
    summary = summary or summarise_rounds(open_files(sweep), [column])
    trajectory = summary.columns[column]
    info = trajectory.info
    panels, rows, cols, faceted = _panels(summary)
    layout = summary.layout
    slots = [len(layout.shown)] if layout.pooled else [slot for slot, _ in panels]
    note = _notes(summary, trajectory, slots)
    whole = info.kind != "bool" and _discrete(trajectory)
    margins = (0.95, 2.75 if faceted else 2.4, 0.85, 0.6)
    with house_style():
        fig, axes = panel_figure(
            rows,
            cols,
            panel=(3.1, 2.0),
            margins=margins,
            gaps=(0.25, 0.5),
            footnote_lines=note.count("\n") + 1,
        )
        for k, ax in enumerate(axes.flat):
            if k >= len(panels):
                ax.set_visible(False)
                continue
            _draw(ax, trajectory, slots[k])
            if not faceted:
                ax.set_title(panels[k][1], fontsize=10, fontweight="normal")
            ax.tick_params(labelsize=10)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=whole))
        if faceted:
            _strips(fig, axes, layout)
        for ax in axes[-1]:
            ax.set_xlabel("Round [month]", fontsize=11)
        for ax in axes[:, 0]:
            ax.set_ylabel(
                f"{outcome_title(column)} [share 0-1]"
                if info.kind == "bool"
                else outcome_axis(column, info.unit),
                fontsize=11,
            )
        if info.kind == "bool":
            handles = [
                Line2D([], [], color=BAND_COLOUR, linewidth=2, label="share of runs"),
                Patch(color=BAND_COLOUR, alpha=0.25, label="95 % Wilson CI"),
            ]
            title = f"{outcome_title(column)}: share of runs by round"
        else:
            handles = [
                Line2D([], [], color="#003f66", linewidth=2, label="median"),
                Line2D([], [], color="black", linewidth=1.2, linestyle="--", label="mean"),
                Patch(color=BAND_COLOUR, alpha=0.5, label="middle 50 % of runs"),
                Patch(color=BAND_COLOUR, alpha=0.18, label="middle 90 % of runs"),
            ]
            title = f"{outcome_title(column)} by round: median and bands of the runs"
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=legend_anchor(fig, margins, 0.5 if faceted else 0.15),
            fontsize=10,
        )
        return frame(fig, summary.files, title, note)
