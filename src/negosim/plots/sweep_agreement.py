"""The agreement rate at each design point, with its 95 % Wilson interval.

The share of runs in which the Diet ratified a package (``deal_reached``) is the sweep's
headline number; each point's rate gets the Wilson score interval of
:func:`negosim.sweep.stats.wilson_interval` (Wilson 1927; Brown, Cai & DasGupta 2001).
One number per point stays legible for many more points than a distribution, so every
point of a grid is drawn: against the first parameter's values, one line per value of the
second. A design of three or more parameters, or a sampled one, gets a dot per point up
to :data:`DOTS` points, and beyond that the rate against each parameter
(:func:`negosim.plots.sweep_scatter.parameter_scatter_chart`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from negosim.plots.style import OKABE_ITO, house_style
from negosim.plots.sweep_figure import (
    frame,
    legend_inches,
    level_colours,
    single_figure,
    text_inches,
)
from negosim.plots.sweep_labels import format_value, parameter_axis, point_label
from negosim.plots.sweep_runs import RunSummary, summarise_runs
from negosim.plots.sweep_scatter import parameter_scatter_chart
from negosim.plots.sweep_source import open_files
from negosim.sweep.load import Sweep
from negosim.sweep.stats import wilson_interval

#: A dot plot (one row per point) up to this many points.
DOTS = 40


def agreement_rates(summary: RunSummary) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per point: rate, Wilson low, Wilson high, and runs."""
    deals = summary.outcome("deal_reached")
    rate = deals.means()
    low, high = wilson_interval(deals.sums, deals.n)
    return rate, low, high, deals.n


def _numeric(values: list[object]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _lines(summary: RunSummary, paths: list[str], note: str) -> Figure:
    files = summary.files
    values = files.parameters
    rate, low, high, _ = agreement_rates(summary)
    x_path, hue_path = paths[0], paths[1] if len(paths) > 1 else None
    xs = sorted(set(values[x_path].tolist()), key=lambda v: (isinstance(v, str), v))
    hues = (
        sorted(set(values[hue_path].tolist()), key=lambda v: (isinstance(v, str), v))
        if (hue_path)
        else [None]
    )
    numeric = _numeric(xs)
    span = (max(xs) - min(xs)) if numeric and len(xs) > 1 else float(len(xs))
    colours = level_colours(hues) if hue_path else [OKABE_ITO[0]]
    title = parameter_axis(hue_path, files.manifest) if hue_path else ""
    room = legend_inches([format_value(h) for h in hues] + ["95 % Wilson CI", "agreement rate"],
                         title)  # fmt: skip
    fig, ax = single_figure(max(9.0, 6.3 + room), 5.5, right=room,
                            footnote_lines=note.count("\n") + 1)  # fmt: skip
    for k, (hue, colour) in enumerate(zip(hues, colours, strict=True)):
        points = [p for p in range(files.points) if hue_path is None or values[hue_path][p] == hue]
        points.sort(key=lambda p: xs.index(values[x_path][p]))
        dodge = (k - (len(hues) - 1) / 2) * 0.012 * span
        x = (
            np.array(
                [values[x_path][p] if numeric else xs.index(values[x_path][p]) for p in points],
                dtype=np.float64,
            )
            + dodge
        )
        r = rate[points]
        ax.errorbar(
            x,
            r,
            yerr=[r - low[points], high[points] - r],
            color=colour,
            marker="o",
            markersize=7,
            capsize=4,
            linewidth=2,
            label=format_value(hue) if hue_path else "agreement rate",
            gid="rate",
        )
    if not numeric:
        ax.set_xticks(range(len(xs)), [format_value(v) for v in xs])
    ax.set_xlabel(parameter_axis(x_path, files.manifest))
    ax.set_ylabel("Agreement rate [share of runs]")
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color="#555555", marker="|", markersize=12, linestyle=""))
    labels.append("95 % Wilson CI")
    ax.legend(
        handles,
        labels,
        title=title or None,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        alignment="left",
    )
    return fig


def _dots(summary: RunSummary, paths: list[str], note: str) -> Figure:
    files = summary.files
    values = files.parameters
    rate, low, high, _ = agreement_rates(summary)
    labels = [point_label({p: values[p][i] for p in paths}, paths) for i in range(files.points)]
    size = 9 if files.points > 16 else 11
    left = 0.3 + max(text_inches(label, size) for label in labels)
    fig, ax = single_figure(
        left + 6.0,
        max(4.5, 0.3 * files.points + 2.4),
        left=left,
        top=1.0,
        footnote_lines=note.count("\n") + 1,
    )
    y = np.arange(files.points)[::-1]
    ax.errorbar(
        rate,
        y,
        xerr=[rate - low, high - rate],
        fmt="o",
        color=OKABE_ITO[0],
        capsize=3,
        label="agreement rate, 95 % Wilson CI",
        gid="rate",
    )
    ax.set_yticks(y, labels, fontsize=size)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Agreement rate [share of runs]")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0))
    return fig


def agreement_chart(sweep: Sweep, *, summary: RunSummary | None = None) -> Figure:
    """The agreement rate per point with its 95 % Wilson interval."""
    summary = summary or summarise_runs(open_files(sweep), ["deal_reached"])
    files = summary.files
    design = files.manifest["design"]
    paths = list(design["parameters"])
    grid = design["method"] == "grid" and len(paths) <= 2
    if not grid and files.points > DOTS:
        return parameter_scatter_chart(
            sweep,
            "deal_reached",
            summary=summary,
            title="Agreement rate per point against each parameter",
            ylabel="Agreement rate [share of runs]",
        )
    runs = summary.outcome("deal_reached").n
    note = (
        f"{int(runs.min()):,} runs per point"
        if runs.min() == runs.max()
        else f"{int(runs.min()):,}–{int(runs.max()):,} runs per point"
    )
    with house_style():
        fig = _lines(summary, paths, note) if grid and paths else _dots(summary, paths, note)
        return frame(fig, files, "Agreement rate per design point", note)
