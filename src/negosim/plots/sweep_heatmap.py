"""Heatmaps over two varied parameters: an outcome's mean or an event's probability per cell.

A grid of two parameters is a table, and a heatmap with each cell's value written in it
reads as one (Wilkinson & Friendly 2009, Am. Stat. 63:179, on the cluster heat map). The
colours are sequential and colour-blind safe: viridis for probabilities, cividis for means
(Nuñez, Anderton & Renslow 2018, PLoS ONE 13:e0199239, designed to read the same with the
common colour-vision deficiencies). The scale spans the values present, so small
differences show; the footnote gives each cell's runs and, for a probability, the widest
95 % Wilson half-width, so a reader knows which differences are noise.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from negosim.plots.style import house_style
from negosim.plots.sweep_events import Event
from negosim.plots.sweep_figure import frame, single_figure, text_inches
from negosim.plots.sweep_labels import (
    format_value,
    outcome_phrase,
    parameter_axis,
    parameter_name,
)
from negosim.plots.sweep_runs import RunSummary, summarise_runs
from negosim.plots.sweep_source import SweepFiles, SweepPlotError, open_files
from negosim.sweep.load import Sweep
from negosim.sweep.stats import wilson_interval

#: Cells beyond this many are not annotated (the numbers would not fit).
ANNOTATE_MAX = 150


def grid_axes(files: SweepFiles) -> tuple[str, str, list[object], list[object], np.ndarray]:
    """(row parameter, column parameter, their values, point index per cell) of a 2-D grid."""
    paths = files.manifest["design"]["parameters"]
    if len(paths) != 2:
        raise SweepPlotError(
            f"{files.root}: a heatmap needs exactly two varied parameters; this design "
            f"varies {len(paths)} ({', '.join(paths) or 'none'})"
        )
    values = files.parameters
    rows, cols = (sorted(set(values[p].tolist()), key=_order) for p in paths)
    cell = np.full((len(rows), len(cols)), -1, dtype=np.int64)
    for point in range(files.points):
        i, j = rows.index(values[paths[0]][point]), cols.index(values[paths[1]][point])
        if cell[i, j] >= 0:
            cell = np.full((0, 0), -1)
            break
        cell[i, j] = point
    if cell.size == 0 or (cell < 0).any():
        raise SweepPlotError(
            f"{files.root}: the points of this {files.manifest['design']['method']} design do "
            "not form a grid of the two parameters; a heatmap needs a grid design"
        )
    return paths[0], paths[1], rows, cols, cell


def _order(value: object) -> tuple[int, object]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def heatmap_values(summary: RunSummary, measure: str | Event) -> tuple[np.ndarray, np.ndarray]:
    """Per point: the measure (mean, share or probability) and the runs it is over."""
    if isinstance(measure, Event):
        runs = summary.runs
        with np.errstate(invalid="ignore", divide="ignore"):
            return summary.event(measure) / runs, runs
    outcome = summary.outcome(measure)
    return outcome.means(), outcome.n


def heatmap_chart(
    sweep: Sweep, measure: str | Event, *, summary: RunSummary | None = None
) -> Figure:
    """A heatmap of ``measure`` (an outcome's mean, or an :class:`Event`'s probability)."""
    if summary is None:
        files = open_files(sweep)
        summary = (
            summarise_runs(files, events=[measure])
            if isinstance(measure, Event)
            else summarise_runs(files, [measure])
        )
    files = summary.files
    row_path, col_path, rows, cols, cell = grid_axes(files)
    values, trials = heatmap_values(summary, measure)
    grid = values[cell]
    probability = isinstance(measure, Event) or summary.outcome(measure).info.kind == "bool"
    # the title names the measure; the colour bar says its scale
    if isinstance(measure, Event):
        label, title = "Probability [share of runs]", measure.label
    elif probability:
        label, title = "Probability [share of runs]", f"P({outcome_phrase(measure)})"
    else:
        info = summary.outcome(measure).info
        title = f"Mean {outcome_phrase(measure)}"
        label = f"Mean [{info.unit}]" if info.unit else "Mean"
    n = trials[cell]
    runs = f"{int(n.min()):,}" if n.min() == n.max() else f"{int(n.min()):,}–{int(n.max()):,}"
    note = f"each cell: {runs} runs"
    if probability:
        lo, hi = wilson_interval(values * trials, trials)
        note += f"; widest 95 % Wilson half-width {np.nanmax((hi - lo) / 2):.3f}"
    elif not isinstance(measure, Event) and summary.outcome(measure).info.missing:
        note += f" with a value ({summary.outcome(measure).info.missing}: left out)"
    left = 0.75 + max(text_inches(format_value(v), 11) for v in rows) + 0.1
    width, height = max(1.15 * len(cols), 4.5), max(0.75 * len(rows), 3.0)
    heading = f"{title} by {_pair(row_path, col_path)}"
    with house_style():
        fig_width = max(left + width + 1.9, text_inches(heading, 16) + 0.3)
        fig, ax = single_figure(fig_width, height + 1.6, left=left, right=1.9, bottom=0.7,
                                footnote_lines=1)  # fmt: skip
        cmap = mpl.colormaps["viridis" if probability else "cividis"]
        finite = grid[np.isfinite(grid)]
        low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
        if high <= low:
            low, high = low - 0.5, high + 0.5
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, vmin=low, vmax=high)
        image.set_gid("heatmap")
        if grid.size <= ANNOTATE_MAX:
            norm = mpl.colors.Normalize(low, high)
            decimals = 2 if probability else _decimals(finite)
            for (i, j), value in np.ndenumerate(grid):
                text = f"{value:.{decimals}f}" if np.isfinite(value) else "–"
                red, green, blue, _ = cmap(norm(value)) if np.isfinite(value) else (1, 1, 1, 1)
                dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                ax.text(
                    j,
                    i,
                    text,
                    ha="center",
                    va="center",
                    fontsize=12,
                    color="white" if dark else "black",
                    gid="cell",
                )
        ax.set_xticks(range(len(cols)), [format_value(v) for v in cols])
        ax.set_yticks(range(len(rows)), [format_value(v) for v in rows])
        ax.set_xlabel(parameter_axis(col_path, files.manifest))
        ax.set_ylabel(parameter_axis(row_path, files.manifest))
        ax.grid(False)
        box = ax.get_position()
        bar_axes = fig.add_axes((box.x1 + 0.25 / fig_width, box.y0, 0.22 / fig_width, box.height))
        bar = fig.colorbar(image, cax=bar_axes)
        bar.set_label(label)
        return frame(fig, files, heading, note)


def _decimals(values: np.ndarray) -> int:
    """Decimals that give the largest value three significant digits (all cells alike)."""
    largest = float(np.abs(values).max()) if values.size else 0.0
    return 2 if largest == 0 else int(np.clip(2 - np.floor(np.log10(largest)), 0, 4))


def _pair(row_path: str, col_path: str) -> str:
    return f"{parameter_name(row_path)} and {parameter_name(col_path)}"
