"""Figures of a comparison: each outcome's distributions overlaid, and the ranked effects.

- **Distributions** (one figure per compared column): a panel per matched point (the
  whole comparison pooled into one panel beyond :data:`MAX_PANELS` points, said in the
  title). Whole numbers with few values (China's peak level, the month of the first deal)
  are bars side by side at each value; other numbers are overlaid histograms on shared
  bins with each side's mean marked; shares are bars with 95 % Wilson intervals; a
  category is the rate of each of its labels. Every panel states B − A with its interval
  and q, so a figure pasted alone still carries its statistics.
- **Effects**: the first rows of the ranked table on one −1…1 scale (Cliff's δ or the
  risk difference), filled where q < α.

A and B are blue and orange (Okabe & Ito 2008): the pair that stays apart under every
common colour-vision deficiency and in greyscale. Figures are drawn from saved results
only, in the house style (:mod:`negosim.plots.style`), on ``Figure`` objects (no pyplot).
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negosim.compare.render import interval, point_names, q_value
from negosim.plots.style import OKABE_ITO, add_footer, axis_label, house_style
from negosim.sweep.stats import wilson_interval

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from negosim.compare.comparison import Comparison
    from negosim.compare.matching import Match
    from negosim.compare.outcomes import Outcome

COLOURS = {"A": OKABE_ITO[0], "B": OKABE_ITO[4]}
SIGNIFICANT = OKABE_ITO[7]
MAX_PANELS = 6
MAX_DISCRETE = 25  # outcomes with at most this many values on a lattice are drawn as bars
MAX_BINS = 40
FOOT_LINE = 0.22  # inches per footer line
# Panel geometry in inches, laid out by hand: tight_layout would draw every figure twice.
PANEL_HEIGHT, PANEL_TITLE, TICK_LINE, X_LABEL = 3.4, 0.55, 0.21, 0.45
LEFT, RIGHT, GAP = 0.95, 0.3, 1.0


#: Words of column names that are names or acronyms ("us_utility" is the US's utility).
PROPER = {
    "us": "US",
    "ks": "KS",
    "nash": "Nash",
    "japan": "Japan",
    "china": "China",
    "nikkei": "Nikkei",
    "usdjpy": "USD/JPY",
}


def _words(column: str) -> str:
    """A column name with its proper names capitalised, for :func:`axis_label`."""
    return "_".join(PROPER.get(word, word) for word in column.split("_"))


def _grid(n: int) -> tuple[int, int]:
    cols = 1 if n == 1 else 2 if n in (2, 4) else 3
    return math.ceil(n / cols), cols


def _width(panels: int) -> float:
    return {1: 9.0, 2: 12.0, 3: 15.6}[_grid(panels)[1]]


def _legend_columns(labels: list[str], width: float) -> int:
    """All entries on one line when they fit the figure's width, else one per line."""
    needed = sum(0.75 + 0.095 * len(label) for label in labels)
    return len(labels) if needed <= width - 0.4 else 1


def _title_space(labels: list[str], width: float) -> float:
    lines = 1 if _legend_columns(labels, width) > 1 else len(labels)
    return 0.6 + 0.3 * lines + 0.1


def _figure(
    panels: int, tick_lines: int, footer_lines: int, title_space: float
) -> tuple[Figure, list[Axes]]:
    """A figure of ``panels`` panels with room for ``tick_lines`` lines of tick labels."""
    rows, cols = _grid(panels)
    width = _width(panels)
    below = X_LABEL + TICK_LINE * tick_lines  # under each panel: tick labels and axis label
    foot = 0.15 + FOOT_LINE * footer_lines
    height = title_space + rows * (PANEL_TITLE + PANEL_HEIGHT + below) + foot
    fig = Figure(figsize=(width, height))
    panel_width = (width - LEFT - RIGHT - GAP * (cols - 1)) / cols
    axes = []
    for i in range(panels):
        row, col = divmod(i, cols)
        left = LEFT + col * (panel_width + GAP)
        top = title_space + row * (PANEL_TITLE + PANEL_HEIGHT + below) + PANEL_TITLE
        bottom = height - top - PANEL_HEIGHT
        axes.append(
            fig.add_axes(
                (left / width, bottom / height, panel_width / width, PANEL_HEIGHT / height)
            )
        )
    return fig, axes


def _heading(fig: Figure, title: str, handles: list, labels: list[str]) -> None:
    width, height = fig.get_size_inches()
    fig.text(0.5, 1 - 0.12 / height, title, ha="center", va="top", fontsize=15)
    fig.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 1 - 0.45 / height),
        ncols=_legend_columns(labels, width),
    )


def _row(comparison: Comparison, outcome: Outcome, match: Match) -> dict | None:
    table = comparison.table
    hit = table[(table["outcome"] == outcome.name) & (table["point"] == match.label)]
    return hit.iloc[0].to_dict() if len(hit) else None


def _stat_line(row: dict | None) -> str:
    if row is None:
        return ""
    estimate = interval(row["difference"], row["ci95_low"], row["ci95_high"])
    return f"B − A {estimate}, q {q_value(row['p_adjusted'])}"


def _lattice(values: np.ndarray) -> bool:
    """Few values on a regular grid (months, levels, tariffs in steps of 2.5 points)."""
    if len(values) > MAX_DISCRETE:
        return False
    if len(values) < 2:
        return True
    steps = np.diff(values) / np.min(np.diff(values))
    return bool(np.allclose(steps, np.round(steps), atol=1e-6))


def _numeric(ax: Axes, a: np.ndarray, b: np.ndarray) -> None:
    both = np.concatenate([a, b])
    values = np.unique(both)
    if _lattice(values):
        step = float(np.min(np.diff(values))) if len(values) > 1 else 1.0
        width = 0.4 * step
        for offset, (side, x) in zip((-0.5, 0.5), (("A", a), ("B", b)), strict=True):
            share = [np.mean(x == v) if len(x) else 0.0 for v in values]
            ax.bar(values + offset * width, share, width=width, color=COLOURS[side])
        grid = np.arange(values[0], values[-1] + step / 2, step)  # every step, seen or not
        if len(grid) <= 13:
            ax.set_xticks(grid, [f"{v:g}" for v in grid])
    else:
        edges = np.histogram_bin_edges(both, bins="fd")
        if len(edges) - 1 > MAX_BINS or len(edges) < 6:
            edges = np.histogram_bin_edges(both, bins=min(MAX_BINS, max(5, len(values) // 4)))
        for side, x in (("A", a), ("B", b)):
            if not len(x):
                continue
            weights = np.full(len(x), 1.0 / len(x))
            colour = COLOURS[side]
            ax.hist(x, bins=edges, weights=weights, color=colour, alpha=0.35)
            ax.hist(x, bins=edges, weights=weights, histtype="step", color=colour, linewidth=1.8)
    for side, x in (("A", a), ("B", b)):
        if len(x):
            ax.axvline(
                float(np.mean(x)), color=COLOURS[side], linestyle="--", linewidth=2.0, zorder=3
            )
    ax.set_ylabel("Share of runs")


def _label(name: str) -> str:
    return textwrap.fill(name, 16)


def _shares(
    ax: Axes, a_list: list[np.ndarray], b_list: list[np.ndarray], names: list[str], qs: list[str]
) -> None:
    """Rates with 95 % Wilson intervals, A and B side by side per label (q above each pair)."""
    x = np.arange(len(names))
    single = len(names) == 1
    width = 0.55 if single else 0.38
    for i, (side, samples) in enumerate((("A", a_list), ("B", b_list))):
        k = np.array([np.nansum(s) for s in samples])
        n = np.array([np.isfinite(s).sum() for s in samples])
        rate = np.divide(k, n, out=np.zeros(len(k)), where=n > 0)
        low, high = wilson_interval(k, n)
        where = x * (1 if not single else 0) + (i if single else (i - 0.5) * width)
        ax.bar(where, rate, width=width, color=COLOURS[side])
        ax.errorbar(
            where,
            rate,
            yerr=[rate - low, high - rate],
            fmt="none",
            ecolor="#333333",
            capsize=4,
            linewidth=1.4,
        )
        for xi, r, h in zip(np.atleast_1d(where), rate, high, strict=True):
            ax.text(xi, h + 0.015, f"{r:.2f}", ha="center", va="bottom", fontsize=10)
    if single:
        ax.set_xticks([0, 1], ["A", "B"])
        ax.set_xlim(-0.8, 1.8)
    else:
        ticks = [
            _label(name) + (f"\nq {q}" if q else "") for name, q in zip(names, qs, strict=True)
        ]
        ax.set_xticks(x, ticks)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("Share of runs")


def _panel(comparison: Comparison, ax: Axes, outcomes: list[Outcome], match: Match | None) -> None:
    """One panel: ``match``'s runs (every matched run when ``None``)."""
    matches = [match] if match else comparison.matches
    a_all, b_all = [], []
    for outcome in outcomes:
        pieces = [comparison.values(outcome, m) for m in matches]
        a_all.append(np.concatenate([p[0] for p in pieces]))
        b_all.append(np.concatenate([p[1] for p in pieces]))
    rows = [_row(comparison, o, match) for o in outcomes] if match else []
    first = outcomes[0]
    if first.kind == "numeric":
        a, b = a_all[0][np.isfinite(a_all[0])], b_all[0][np.isfinite(b_all[0])]
        _numeric(ax, a, b)
        ax.set_xlabel(axis_label(_words(first.column), first.unit))
    else:
        names = [o.label or "" for o in outcomes]
        qs = [q_value(r["p_adjusted"]) if r else "" for r in rows] or [""] * len(outcomes)
        _shares(ax, a_all, b_all, names, qs)
        if first.label is not None:
            ax.set_xlabel(axis_label(_words(first.column)))
    if match is None:
        title = f"all {len(comparison.matches)} matched points pooled (statistics per point: table)"
    else:
        title = match.short_label(comparison.parameter_names)
        if len(outcomes) == 1:
            title += "\n" + _stat_line(rows[0])
    ax.set_title(title, fontsize=11, fontweight="normal")


def distribution_figure(comparison: Comparison, column: str) -> Figure:
    """Overlaid distributions of ``column`` (a compared column), A against B."""
    outcomes = [o for o in comparison.outcomes if o.column == column]
    if not outcomes:
        names = sorted({o.column for o in comparison.outcomes})
        raise ValueError(f"{column!r} is not a compared column (compared: {', '.join(names)})")
    matches = comparison.matches
    panels: list[Match | None] = list(matches) if len(matches) <= MAX_PANELS else [None]
    first = outcomes[0]
    lines = [comparison.footer()]
    missing = _missing_note(comparison, first)
    if missing:
        lines.insert(0, missing)
    tick_lines = 1
    if first.label is not None:  # a category: wrapped labels and a line for q under each
        tick_lines = max(_label(o.label or "").count("\n") + 1 for o in outcomes) + 1
    handles: list = [Patch(color=COLOURS["A"]), Patch(color=COLOURS["B"])]
    labels = [f"A: {comparison.a.label}", f"B: {comparison.b.label}"]
    if first.kind == "numeric":
        handles.append(Line2D([], [], color="#333333", linestyle="--", linewidth=1.8))
        labels.append("mean")
    else:
        handles.append(Line2D([], [], color="#333333", marker="|", markersize=12, linestyle="none"))
        labels.append("95 % Wilson interval of each side")
    space = _title_space(labels, _width(len(panels)))
    with house_style():
        fig, axes = _figure(len(panels), tick_lines, len(lines), space)
        for ax, match in zip(axes, panels, strict=True):
            _panel(comparison, ax, outcomes, match)
        _heading(fig, f"{axis_label(_words(first.column))}: A and B", handles, labels)
        add_footer(fig, "\n".join(lines))
    return fig


def _missing_note(comparison: Comparison, outcome: Outcome) -> str:
    table = comparison.table[comparison.table["column"] == outcome.column]
    a, b = int(table["missing_a"].sum()), int(table["missing_b"].sum())
    if not (a or b):
        return ""
    why = f" ({outcome.missing})" if outcome.missing else ""
    return f"runs without a value{why}, left out: A {a:,}, B {b:,}"


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def effects_figure(comparison: Comparison, top: int = 20) -> Figure:
    """The ``top`` first rows of the ranked table as effects on one −1…1 scale."""
    table = comparison.table.head(top).iloc[::-1]
    with_point = len(comparison.matches) > 1
    short = point_names(comparison)
    labels = [
        _short(o) + (f" · {short[p]}" if with_point else "")
        for o, p in zip(table["outcome"], table["point"], strict=True)
    ]
    legend = [f"differs (q < {comparison.alpha:g})", "no evidence of a difference"]
    with house_style():
        rows = 0.34 * len(table)
        space = _title_space(legend, 11.0)
        height = space + 0.2 + rows + X_LABEL + TICK_LINE + 0.15 + FOOT_LINE
        left = 0.35 + 0.088 * max(len(label) for label in labels)
        width = left + 6.5 + 1.3  # the −1…1 axis, then the q column
        fig = Figure(figsize=(width, height))
        ax = fig.add_axes(
            (left / width, (height - space - 0.2 - rows) / height, 6.5 / width, rows / height)
        )
        y = np.arange(len(table))
        sig = table["significant"].to_numpy(dtype=bool)
        effect = table["effect"].to_numpy(dtype=np.float64)
        ax.axvline(0, color="#555555", linewidth=1.2)
        ax.scatter(effect[sig], y[sig], s=70, color=SIGNIFICANT, zorder=3)
        ax.scatter(
            effect[~sig],
            y[~sig],
            s=70,
            facecolors="white",
            edgecolors="#666666",
            linewidths=1.6,
            zorder=3,
        )
        ax.set_yticks(y, labels)
        for x, text, align in ((0.0, "← B lower", "left"), (1.0, "B higher →", "right")):
            ax.text(
                x,
                1.01,
                text,
                transform=ax.transAxes,
                ha=align,
                va="bottom",
                fontsize=10,
                color="#555555",
            )
        ax.set_xlim(-1.05, 1.05)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1])
        ax.set_ylim(-0.7, len(table) - 0.3)
        ax.set_xlabel("Effect of B against A [Cliff's δ for numbers, risk difference for shares]")
        for yi, q in zip(y, table["p_adjusted"], strict=True):
            ax.text(
                1.03,
                yi,
                f"q {q_value(q)}",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=10,
                color="#333333",
            )
        handles = [
            Line2D([], [], marker="o", color=SIGNIFICANT, linestyle="none", markersize=9),
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor="#666666",
                linestyle="none",
                markersize=9,
            ),
        ]
        shown = (
            f"first {len(table)} of {len(comparison.table)} rows"
            if len(table) < len(comparison.table)
            else f"all {len(table)} rows"
        )
        _heading(
            fig,
            f"What differs most ({shown}): B against A",
            handles,
            legend,
        )
        add_footer(fig, comparison.footer())
    return fig
