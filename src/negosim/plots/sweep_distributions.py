"""The distribution of a final outcome at each design point: violins or boxes, with a strip.

A continuous outcome gets a violin (a kernel density, Hintze & Nelson 1998, Am. Stat.
52:181) with its quartiles and 5th–95th percentiles inside; an outcome with few integer
values (coercion levels, months, votes) a box, whose smooth violin would invent values
between the integers. Over either, a strip of up to :data:`~negosim.plots.sweep_runs.STRIP`
runs per point shows the raw values. A true/false outcome is a share: drawn as the rate
with its 95 % Wilson interval. One design point gets a histogram, and a sampled design
with more points than a chart can show gets the histogram of all its runs pooled.
Points are labelled by their parameter values (groups on the axis, colours in the legend).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negosim.plots.style import house_style
from negosim.plots.sweep_figure import frame, legend_inches, level_colours, single_figure
from negosim.plots.sweep_labels import (
    format_value,
    outcome_axis,
    outcome_phrase,
    outcome_title,
    parameter_axis,
    parameter_name,
)
from negosim.plots.sweep_runs import STRIP, OutcomeSummary, RunSummary, summarise_runs
from negosim.plots.sweep_source import open_files
from negosim.sweep.load import Sweep
from negosim.sweep.stats import wilson_interval

#: An integer outcome with at most this many distinct values is drawn as a box.
DISCRETE = 16
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]


def positions(summary: RunSummary) -> tuple[np.ndarray, list[float], list[str], str]:
    """The x of each shown slot, the group tick positions, their labels and the axis label."""
    layout = summary.layout
    hues = layout.levels(layout.hue)
    x = np.zeros(len(layout.shown))
    ticks, labels = [], []
    for g, (level, members) in enumerate(layout.grouped()):
        base = g * (len(hues) + 0.6)
        for p in members:
            j = hues.index(layout.value(p, layout.hue)) if layout.hue else 0
            x[layout.shown.index(p)] = base + j
        ticks.append(base + (len(hues) - 1) / 2)
        if layout.group is None:  # each point's values stacked, named once in the axis label
            labels.append("\n".join(format_value(layout.value(members[0], p))
                                    for p in layout.paths))  # fmt: skip
        else:
            labels.append(format_value(level))
    manifest = summary.files.manifest
    if layout.group:
        axis = parameter_axis(layout.group, manifest)
    elif len(layout.paths) == 1:
        axis = parameter_axis(layout.paths[0], manifest)
    else:
        axis = "design point: " + " / ".join(parameter_name(p) for p in layout.paths)
        axis += " (top to bottom)"
    return x, ticks, labels, axis


def slot_colours(summary: RunSummary) -> tuple[list[str], list[object]]:
    """The colour of each shown slot (by its hue value) and the hue levels."""
    layout = summary.layout
    hues = layout.levels(layout.hue)
    colours = level_colours(hues) if layout.hue else ["#56B4E9"]
    index = [hues.index(layout.value(p, layout.hue)) if layout.hue else 0 for p in layout.shown]
    return [colours[i] for i in index], hues


def _legend_room(summary: RunSummary) -> float:
    """The right margin for :func:`hue_legend` (hue values, its title, the glyph labels)."""
    layout = summary.layout
    labels = [format_value(v) for v in layout.levels(layout.hue)] if layout.hue else []
    labels.append(f"runs (≤ {STRIP} per point)")
    title = parameter_axis(layout.hue, summary.files.manifest) if layout.hue else ""
    return legend_inches(labels, title)


def hue_legend(ax: Axes, summary: RunSummary, extra: list[object]) -> None:
    """A legend outside the axes: one entry per hue value, then the glyphs' meaning."""
    layout = summary.layout
    handles: list[object] = []
    if layout.hue:
        hues = layout.levels(layout.hue)
        for colour, level in zip(level_colours(hues), hues, strict=True):
            handles.append(Patch(facecolor=colour, alpha=0.75, label=format_value(level)))
    title = parameter_axis(layout.hue, summary.files.manifest) if layout.hue else None
    ax.legend(
        handles=handles + extra,
        title=title,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        alignment="left",
    )


def _runs_note(summary: RunSummary, s: OutcomeSummary) -> str:
    shown = list(summary.layout.shown)
    n = s.n[shown]
    runs = f"{int(n.min()):,}" if n.min() == n.max() else f"{int(n.min()):,}–{int(n.max()):,}"
    text = f"{runs} runs per point"
    if s.missing[shown].any() and s.info.missing:
        text += f" (runs without a value left out: {s.info.missing})"
    return text


def _violin_stats(s: OutcomeSummary, slot: int) -> dict[str, object]:
    h = s.histograms
    low, high = (a[slot] for a in h.extremes())
    mean = h.means()[slot]
    centres = h.centres()[slot]
    filled = h.counts[slot] > 0
    n = h.counts[slot].sum()
    sd = np.sqrt((h.counts[slot][filled] * (centres[filled] - mean) ** 2).sum() / max(n, 1))
    bandwidth = max(1.06 * sd * n ** (-1 / 5), h.bins.width, 1e-9)  # Silverman 1986, (3.31)
    grid = np.linspace(low, high, 100) if high > low else np.array([low - 1e-9, low + 1e-9])
    quantiles = h.quantiles([0.5])[slot]
    return {
        "coords": grid,
        "vals": h.density(slot, grid, bandwidth),
        "mean": mean,
        "median": quantiles[0],
        "min": low,
        "max": high,
    }


def _discrete_violins(ax: Axes, s: OutcomeSummary, x: np.ndarray, colours: list[str]) -> None:
    """One bar per value, as wide as its share of the point's runs (a violin of counts)."""
    shown = len(x)
    counts = s.histograms.counts[:shown].astype(np.float64)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    half = 0.45 * shares / max(shares.max(), 1e-12)
    values = s.bins.edges[:-1] + 0.5
    for i in range(shown):
        bars = [
            [(x[i] - w, v - 0.4), (x[i] + w, v - 0.4), (x[i] + w, v + 0.4), (x[i] - w, v + 0.4)]
            for v, w in zip(values, half[i], strict=True)
            if w > 0
        ]
        if not bars:
            continue
        ax.add_collection(
            PolyCollection(
                bars,
                facecolor=colours[i],
                edgecolor="#333333",
                linewidth=0.6,
                alpha=0.8,
                gid="distribution",
            )
        )
    ax.set_yticks(values) if len(values) <= 13 else None
    ax.autoscale_view()


def _draw_points(ax: Axes, summary: RunSummary, s: OutcomeSummary) -> list[object]:
    x, _, _, _ = positions(summary)
    colours, _ = slot_colours(summary)
    # a point without runs yet (an interrupted sweep) keeps its place, empty
    slots = [i for i in range(len(summary.layout.shown)) if s.histograms.n[i] > 0]
    q = s.histograms.quantiles(QUANTILES)[slots]
    discrete = s.bins.integer and s.bins.count <= DISCRETE
    if discrete:
        _discrete_violins(ax, s, x, colours)
        ax.scatter(x[slots], q[:, 2], s=36, color="white", edgecolor="black", zorder=4)
        return [
            Patch(facecolor="#cccccc", edgecolor="#333333", label="share of runs at each value"),
            Line2D(
                [],
                [],
                marker="o",
                color="white",
                markeredgecolor="black",
                linestyle="",
                label="median",
            ),
        ]
    parts = ax.violin(
        [_violin_stats(s, i) for i in slots],
        positions=x[slots],
        widths=0.8,
        showmeans=False,
        showextrema=False,
        showmedians=False,
    )
    for body, i in zip(parts["bodies"], slots, strict=True):
        body.set(facecolor=colours[i], edgecolor="#333333", alpha=0.75, gid="distribution")
    ax.vlines(x[slots], q[:, 0], q[:, 4], color="#333333", linewidth=1.2, zorder=3)
    ax.vlines(x[slots], q[:, 1], q[:, 3], color="#333333", linewidth=5, zorder=3)
    ax.scatter(x[slots], q[:, 2], s=28, color="white", edgecolor="black", zorder=4)
    glyphs: list[object] = [
        Line2D([], [], color="#333333", linewidth=5, label="middle 50 % of runs"),
        Line2D([], [], color="#333333", linewidth=1.2, label="5th–95th percentile"),
        Line2D(
            [], [], marker="o", color="white", markeredgecolor="black", linestyle="", label="median"
        ),
    ]
    rng = np.random.default_rng(0)  # the jitter only spreads the dots; fixed for a stable image
    for i in slots:
        values = s.strip_values(i)
        jitter = rng.uniform(-0.22, 0.22, len(values))
        ax.scatter(
            x[i] + jitter,
            values,
            s=7,
            color="#222222",
            alpha=0.3,
            linewidths=0,
            zorder=2,
            gid="strip",
        )
    glyphs.append(
        Line2D(
            [],
            [],
            marker="o",
            color="#222222",
            alpha=0.5,
            linestyle="",
            markersize=3,
            label=f"runs (≤ {STRIP} per point)",
        )
    )
    return glyphs


def _draw_rates(ax: Axes, summary: RunSummary, s: OutcomeSummary) -> list[object]:
    x, _, _, _ = positions(summary)
    colours, _ = slot_colours(summary)
    shown = list(summary.layout.shown)
    trials, successes = s.n[shown], s.sums[shown]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = successes / trials
    low, high = wilson_interval(successes, trials)
    for i, colour in enumerate(colours):
        if trials[i] == 0:  # no runs yet at this point (an interrupted sweep)
            continue
        if len(colours) <= 4:  # few points: write the rate and its interval beside the dot
            ax.annotate(
                f"{rate[i]:.2f} [{low[i]:.2f}, {high[i]:.2f}]",
                (x[i], rate[i]),
                xytext=(12, 0),
                textcoords="offset points",
                va="center",
                fontsize=11,
            )
        ax.errorbar(
            x[i],
            rate[i],
            yerr=[[rate[i] - low[i]], [high[i] - rate[i]]],
            fmt="o",
            color=colour,
            markersize=9,
            capsize=5,
            linewidth=2,
            gid="rate",
        )
    ax.set_ylim(*_zoom(low, high))
    return [Line2D([], [], marker="o", color="#555555", label="share of runs, 95 % Wilson CI")]


def _zoom(low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """A share axis around the intervals (at least 0.1 tall), within [0, 1]."""
    bottom, top = float(np.nanmin(low)), float(np.nanmax(high))
    pad = max(0.1 - (top - bottom), 0) / 2 + 0.02
    return max(bottom - pad, -0.01), min(top + pad, 1.01)


def _histogram(ax: Axes, s: OutcomeSummary, slot: int) -> None:
    h = s.histograms
    counts = h.counts[slot]
    n = counts.sum()
    filled = counts > 0
    if s.bins.integer:
        centres = s.bins.edges[:-1] + 0.5
        shares, widths = counts / max(n, 1), 0.85
    elif filled.sum() <= 40:  # few distinct values (a tariff on a 2.5-point grid): one bar each
        centres = h.centres()[slot][filled]
        gaps = np.diff(centres)
        shares = counts[filled] / max(n, 1)
        widths = 0.8 * (gaps.min() if gaps.size else 1.0)
    else:
        merged = counts.reshape(-1, 8).sum(axis=1) if s.bins.count % 8 == 0 else counts
        step = s.bins.width * (s.bins.count // len(merged))
        centres = s.bins.low + step * (np.arange(len(merged)) + 0.5)
        shares, widths = merged / max(n, 1), step * 0.95
    ax.bar(
        centres,
        shares,
        width=widths,
        color="#56B4E9",
        edgecolor="#333333",
        linewidth=0.5,
        label="share of runs",
        gid="histogram",
    )
    median = h.quantiles([0.5])[slot, 0]
    ax.axvline(h.means()[slot], color="#D55E00", linewidth=2, label=f"mean {h.means()[slot]:.3g}")
    ax.axvline(median, color="black", linestyle="--", linewidth=2, label=f"median {median:.3g}")
    ax.set_xlabel(outcome_axis(s.info.name, s.info.unit))
    ax.set_ylabel("Share of runs [share 0-1]")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _per_point_rates_histogram(ax: Axes, s: OutcomeSummary) -> None:
    rate = s.means()
    ax.hist(
        rate[~np.isnan(rate)],
        bins=np.linspace(0, 1, 21),
        color="#56B4E9",
        edgecolor="#333333",
        label="design points",
        gid="histogram",
    )
    ax.set_xlabel(f"Share of runs with {outcome_phrase(s.info.name)}, per point [share 0-1]")
    ax.set_ylabel("Design points [count]")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _lines(note: str) -> int:
    return note.count("\n") + 1 if note else 0


def _single(summary: RunSummary, s: OutcomeSummary) -> Figure:
    """A histogram: of one point's runs, of all runs pooled, or of the points' shares."""
    layout = summary.layout
    name = outcome_title(s.info.name)
    if layout.pooled and s.info.kind == "bool":
        title = f"{name}: share of runs at each of {summary.files.points:,} points"
        note = layout.note
    elif layout.pooled:
        title = f"{name}: distribution over all runs"
        note = f"{int(s.n.sum()):,} runs; {layout.note}"
    else:
        point = layout.shown[0]
        where = layout.label(point) if layout.paths else "the scenario as it is"
        title = f"{name}: distribution over runs"
        note = f"{int(s.n[point]):,} runs at {where}"
    fig, ax = single_figure(9.0, 5.5, right=2.3, footnote_lines=_lines(note))
    if layout.pooled and s.info.kind == "bool":
        _per_point_rates_histogram(ax, s)
    else:
        _histogram(ax, s, len(layout.shown) if layout.pooled else 0)
    return frame(fig, summary.files, title, note)


def distribution_chart(sweep: Sweep, outcome: str, *, summary: RunSummary | None = None) -> Figure:
    """The distribution of ``outcome`` over each point's runs (see the module docstring)."""
    summary = summary or summarise_runs(open_files(sweep), [outcome])
    s = summary.outcome(outcome)
    layout = summary.layout
    name = outcome_title(outcome)
    with house_style():
        if layout.pooled or (len(layout.shown) == 1 and s.info.kind != "bool"):
            return _single(summary, s)
        x, ticks, labels, axis = positions(summary)
        note = "\n".join(filter(None, [_runs_note(summary, s), layout.note]))
        tick_lines = max(label.count("\n") + 1 for label in labels)
        fig, ax = single_figure(
            max(9.0, 0.42 * (np.ptp(x) + 1.4) + _legend_room(summary) + 1.1),
            5.5 + 0.2 * (tick_lines - 1),
            right=_legend_room(summary),
            bottom=0.38 + 0.2 * tick_lines,
            footnote_lines=_lines(note),
        )
        if s.info.kind == "bool":
            glyphs = _draw_rates(ax, summary, s)
            ax.set_ylabel(f"Share of runs with {outcome_phrase(outcome)} [share 0-1]")
            title = f"{name}: share of runs at each point"
        else:
            glyphs = _draw_points(ax, summary, s)
            ax.set_ylabel(outcome_axis(s.info.name, s.info.unit))
            title = f"{name}: distribution over runs at each point"
        ax.set_xticks(ticks, labels)
        ax.set_xlabel(axis)
        ax.set_xlim(x.min() - 0.7, x.max() + 0.7)
        ax.grid(axis="x", visible=False)
        hue_legend(ax, summary, glyphs)
        return frame(fig, summary.files, title, note)
