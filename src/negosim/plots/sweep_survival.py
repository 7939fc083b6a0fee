"""Time to first deal as a survival curve per point: P(no deal yet) by round.

The Kaplan–Meier product-limit estimate (Kaplan & Meier 1958, JASA 53:457), with each
run's first ratified deal as the event and a run that never deals censored at its last
round, and a 95 % pointwise interval on the log-log scale from Greenwood's variance
(Kalbfleisch & Prentice 2002, §1.4), which stays within [0, 1]. It is computed from
counts (deals per round, runs censored per round), which a streaming pass accumulates for
any number of runs; ``tests/test_plots_sweep.py`` checks it against
``scipy.stats.ecdf`` on the same runs. With every run censored only at the end, the
curve equals the share of runs without a deal by each round; the estimator also covers
sweeps whose points run for different numbers of rounds (a varied ``protocol.rounds``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from negosim.plots.style import house_style
from negosim.plots.sweep_figure import frame, legend_anchor, level_colours, panel_figure
from negosim.plots.sweep_labels import format_value, parameter_axis, parameter_name
from negosim.plots.sweep_runs import RunSummary, summarise_runs
from negosim.plots.sweep_source import open_files
from negosim.sweep.load import Sweep
from negosim.sweep.stats import Z95


@dataclass(frozen=True)
class Survival:
    """S(t) for t = 0..T (S(0) = 1) and its 95 % interval."""

    rounds: np.ndarray
    survival: np.ndarray
    low: np.ndarray
    high: np.ndarray
    at_risk: np.ndarray


def kaplan_meier(events: np.ndarray, censored: np.ndarray, z: float = Z95) -> Survival:
    """Kaplan–Meier from counts per round (index t = round t; index 0 unused).

    ``events[t]`` runs had their first deal in round t, ``censored[t]`` runs ended at
    round t without one (they are at risk in round t, as the convention for ties puts
    events before censoring).
    """
    events = np.asarray(events, dtype=np.float64)
    censored = np.asarray(censored, dtype=np.float64)
    total = events.sum() + censored.sum()
    left = np.concatenate([[0.0], np.cumsum(events + censored)[:-1]])
    at_risk = total - left
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, events / at_risk, 0.0)
        factor = np.where(at_risk > events, events / (at_risk * (at_risk - events)), 0.0)
    hazard[0], factor[0] = 0.0, 0.0
    survival = np.cumprod(1 - hazard) if total > 0 else np.full(len(events), np.nan)
    greenwood = np.cumsum(factor)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_s = np.log(survival)
        spread = z * np.sqrt(greenwood) / np.abs(log_s)
        theta = np.log(-log_s)
        low = np.exp(-np.exp(theta + spread))
        high = np.exp(-np.exp(theta - spread))
    exact = (survival >= 1) | (survival <= 0) | (greenwood == 0)
    low[exact], high[exact] = survival[exact], survival[exact]
    return Survival(np.arange(len(events)), survival, low, high, at_risk)


def point_survival(summary: RunSummary, points: list[int]) -> Survival:
    """The curve of the runs of ``points`` together (one point, or all of them pooled)."""
    if summary.deals is None:
        raise KeyError("first deals were not summarised; pass survival=True to summarise_runs")
    events = summary.deals[points].sum(axis=0)
    censored = np.zeros_like(events)
    horizon = summary.horizon
    for p in points:
        censored[horizon[p]] += summary.runs[p] - summary.deals[p].sum()
    return Survival(*_trim(kaplan_meier(events, censored), int(horizon[points].max())))


def _trim(curve: Survival, last: int) -> tuple[np.ndarray, ...]:
    keep = slice(0, last + 1)
    return (
        curve.rounds[keep],
        curve.survival[keep],
        curve.low[keep],
        curve.high[keep],
        curve.at_risk[keep],
    )


def _draw(ax: object, curve: Survival, colour: str, label: str, band: bool) -> None:
    # S(t) holds from round t to t + 1; the last value is drawn for half a round, to the
    # censoring mark.
    x = np.append(curve.rounds, curve.rounds[-1] + 0.5)
    ax.step(
        x,
        np.append(curve.survival, curve.survival[-1]),
        where="post",
        color=colour,
        label=label,
        linewidth=2.2,
        gid="survival",
    )
    if band:
        ax.fill_between(
            x,
            np.append(curve.low, curve.low[-1]),
            np.append(curve.high, curve.high[-1]),
            step="post",
            color=colour,
            alpha=0.15,
            linewidth=0,
        )
    ax.plot(x[-1], curve.survival[-1], marker="|", markersize=12, markeredgewidth=2, color=colour)


def _curves(summary: RunSummary) -> tuple[list[tuple[object, list[tuple[int, str, str]]]], str]:
    """Panels of (point or -1 for all, colour, label), and the legend's title."""
    layout = summary.layout
    manifest = summary.files.manifest
    if layout.pooled:
        return [(None, [(-1, "#0072B2", "all runs")])], ""
    two = layout.hue is not None
    key = layout.hue if two else layout.group
    panels = layout.grouped() if two else [(None, list(layout.shown))]
    levels = layout.levels(key)
    colours = level_colours(levels if key else list(range(len(layout.shown))))
    out = []
    for level, members in panels:
        curves = []
        for p in members:
            if key:
                index = levels.index(layout.value(p, key))
                curves.append((p, colours[index], format_value(layout.value(p, key))))
            else:
                curves.append((p, colours[layout.shown.index(p)], layout.label(p) or "all runs"))
        out.append((level, curves))
    return out, parameter_axis(key, manifest) if key else ""


def survival_chart(sweep: Sweep, *, summary: RunSummary | None = None) -> Figure:
    """P(no deal yet) by round at each shown point (panels by the first parameter)."""
    summary = summary or summarise_runs(open_files(sweep), survival=True)
    layout = summary.layout
    panels, legend_title = _curves(summary)
    if layout.pooled:
        note = f"{int(summary.runs.sum()):,} runs; {layout.note}"
    else:
        n = summary.runs[list(layout.shown)]
        runs = f"{int(n.min()):,}" if n.min() == n.max() else f"{int(n.min()):,}–{int(n.max()):,}"
        note = "\n".join(
            filter(
                None,
                [
                    f"{runs} runs per point; Kaplan–Meier, runs without a "
                    "deal censored at the last round (|)",
                    layout.note,
                ],
            )
        )
    longest = max(len(label) for _, curves in panels for _, _, label in curves)
    right = max(2.5, 0.75 + 0.085 * max(longest, len(legend_title) * 0.9))
    wide = len(panels) == 1
    margins = (0.95, right, 0.85 if panels[0][0] is None else 1.05, 0.65)
    with house_style():
        fig, grid = panel_figure(
            1,
            len(panels),
            panel=(6.2, 4.0) if wide else (3.5, 3.6),
            margins=margins,
            gaps=(0.25, 0.5),
            footnote_lines=note.count("\n") + 1,
        )
        axes = grid[0]
        banded = False
        for ax, (level, curves) in zip(axes, panels, strict=True):
            band = len(curves) <= 4
            banded |= band
            for point, colour, label in curves:
                members = list(range(summary.files.points)) if point < 0 else [point]
                if summary.runs[members].sum() == 0:  # no runs yet (an interrupted sweep)
                    continue
                _draw(ax, point_survival(summary, members), colour, label, band=band)
            if level is not None:
                ax.set_title(f"{parameter_name(layout.group)} = {format_value(level)}", fontsize=12)
            ax.set_xlabel("Round [month]")
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlim(0, None)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0].set_ylabel("P(no deal yet) [probability]")
        handles, labels = axes[0].get_legend_handles_labels()
        if banded:
            handles.append(Line2D([], [], color="#999999", linewidth=8, alpha=0.4))
            labels.append("95 % CI (log-log)")
        fig.legend(
            handles,
            labels,
            title=legend_title or None,
            loc="upper left",
            bbox_to_anchor=legend_anchor(fig, margins),
            alignment="left",
        )
        return frame(fig, summary.files, "Time to first deal: P(no deal yet) by round", note)
