"""Per-point means against each parameter: the view of a sampled design's many points.

A Sobol', Latin hypercube or random design has hundreds or thousands of points with no
grid to thin, so instead of per-point distributions each point becomes one dot (its mean
outcome, or its share for a true/false outcome) against the value of each parameter in
turn, with the mean of the dots in ten bins of equal count as a trend. A steep trend
marks a parameter with a large first-order effect; a wide scatter around a flat trend,
effects that come from other parameters or from interactions (Saltelli et al. 2008,
*Global Sensitivity Analysis: The Primer*, §1.2.3, on scatterplots).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from negosim.plots.style import OKABE_ITO, house_style
from negosim.plots.sweep_figure import frame, legend_anchor, panel_figure
from negosim.plots.sweep_labels import outcome_phrase, outcome_title, parameter_axis
from negosim.plots.sweep_runs import RunSummary, summarise_runs
from negosim.plots.sweep_source import open_files
from negosim.sweep.load import Sweep

TREND_BINS = 10


def _trend(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(x)
    parts = np.array_split(order, min(TREND_BINS, len(order)))
    return (
        np.array([x[p].mean() for p in parts if len(p)]),
        np.array([y[p].mean() for p in parts if len(p)]),
    )


def parameter_scatter_chart(
    sweep: Sweep,
    outcome: str,
    *,
    summary: RunSummary | None = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> Figure:
    """``outcome``'s per-point mean (share) against each varied parameter."""
    summary = summary or summarise_runs(open_files(sweep), [outcome])
    files = summary.files
    s = summary.outcome(outcome)
    paths = list(files.manifest["design"]["parameters"])
    means = s.means()
    boolean = s.info.kind == "bool"
    cols = min(3, len(paths))
    rows = math.ceil(len(paths) / cols)
    margins = (0.95, 2.4, 0.7, 0.65)
    with house_style():
        fig, axes = panel_figure(
            rows,
            cols,
            panel=(3.4, 2.6),
            margins=margins,
            gaps=(0.25, 0.75),
            footnote_lines=1,
            sharex=False,
        )
        for k, ax in enumerate(axes.flat):
            if k >= len(paths):
                ax.set_visible(False)
                continue
            x = np.asarray(files.parameters[paths[k]], dtype=np.float64)
            ok = np.isfinite(means)
            ax.scatter(
                x[ok], means[ok], s=9, color=OKABE_ITO[0], alpha=0.45, linewidths=0, gid="points"
            )
            tx, ty = _trend(x[ok], means[ok])
            ax.plot(tx, ty, color="black", linewidth=2.2, gid="trend")
            ax.set_xlabel(parameter_axis(paths[k], files.manifest), fontsize=11)
            ax.tick_params(labelsize=10)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        unit = f" [{s.info.unit}]" if s.info.unit else ""
        ylabel = ylabel or (
            f"Share with {outcome_phrase(outcome)} [0-1]"
            if boolean
            else f"Mean {outcome_phrase(outcome)}{unit}"
        )
        for ax in axes[:, 0]:
            ax.set_ylabel(ylabel, fontsize=11)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                color=OKABE_ITO[0],
                linestyle="",
                alpha=0.6,
                label="one design point",
            ),
            Line2D(
                [],
                [],
                color="black",
                linewidth=2.2,
                label=f"mean in {TREND_BINS} bins\nof the parameter",
            ),
        ]
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=legend_anchor(fig, margins))
        what = "share" if boolean else "mean"
        title = title or f"{outcome_title(outcome)}: {what} per point against each parameter"
        runs = s.n
        each = (
            f"{int(runs.min()):,}"
            if runs.min() == runs.max()
            else (f"{int(runs.min()):,}–{int(runs.max()):,}")
        )
        note = (
            f"{files.points:,} design points ({files.manifest['design']['method']}), "
            f"{each} runs each"
        )
        if s.info.missing and s.missing.any():
            note += f"; runs without a value left out ({s.info.missing})"
        return frame(fig, files, title, note)
