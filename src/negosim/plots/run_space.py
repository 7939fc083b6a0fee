"""The bargain in its outcome space: frontier, offers' path, deal, Nash, KS and no deal.

By default the utility plane (Japan's utility across, the US's up), the picture of Nash
(1950) and Kalai & Smorodinsky (1975): the ratifiable Pareto frontier (what the Diet could
pass, the set the benchmarks are computed over, docs/model.md §4.7), beside the frontier of
the whole grid inside the red lines, the no-deal point with the individually rational
region it cuts off, and the path of the offers towards (or past) the frontier. With
``space=(issue_a, issue_b)`` the same objects are drawn in two issues' own units: the
frontier's packages, the benchmarks' packages and the offers, projected.

Everything comes from the saved output: the frontiers, benchmark packages and the no-deal
package from ``outcome_space`` in summary.json (:mod:`negosim.outcome_space`). A summary
written before that existed still gives the offers, the deal and the benchmarks' utilities;
the chart says what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from negosim.plots.run_load import Run, RunDirectoryError
from negosim.plots.run_marks import broken_series, figure_legend, new_figure
from negosim.plots.run_offers import SIDE_MARKERS
from negosim.plots.style import OKABE_ITO, SIDE_COLOURS, axis_label

UTILITY_PLANE = ("japan_utility", "us_utility")
_SOLUTIONS = (("nash", "Nash", "P"), ("ks", "Kalai–Smorodinsky", "X"))
_SHORT = {"us": "US", "japan": "Japan"}


def parse_space(text: str | None, run: Run) -> tuple[str, str]:
    """'tariff,defense_budget' → the two issues; None or 'utility' → the utility plane."""
    if text is None or text.strip() in ("", "utility"):
        return UTILITY_PLANE
    parts = [p.strip() for p in text.split(",")]
    allowed = ", ".join(run.issues)
    if len(parts) != 2 or parts[0] == parts[1]:
        raise RunDirectoryError(
            f"--space {text!r}: give two different issues separated by a comma "
            f"(allowed: {allowed}) or 'utility'"
        )
    unknown = [p for p in parts if p not in run.issues]
    if unknown:
        raise RunDirectoryError(
            f"--space {text!r}: {', '.join(unknown)} is not an issue of scenario "
            f"{run.name} (allowed: {allowed}) or 'utility'"
        )
    return parts[0], parts[1]


def _label_points(ax: Axes, x: np.ndarray, y: np.ndarray, months: np.ndarray) -> None:
    """Month numbers beside the offers; offers at the same point share one label."""
    groups: dict[tuple[float, float], list[int]] = {}
    for xi, yi, m in zip(x, y, months, strict=True):
        groups.setdefault((round(float(xi), 9), round(float(yi), 9)), []).append(int(m))
    for (xi, yi), group in groups.items():
        ax.annotate(
            ", ".join(map(str, group)),
            (xi, yi),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=10,
            color="#333333",
            zorder=6,
        )


def _point(ax: Axes, x: float, y: float, label: str, **style: object) -> None:
    style.setdefault("zorder", 5)
    ax.plot([x], [y], linestyle="none", label=label, **style)


def _offers(run: Run, columns: tuple[str, str]) -> tuple[np.ndarray, ...]:
    rounds = run.rounds
    x = rounds[columns[0]].to_numpy(dtype=float)
    y = rounds[columns[1]].to_numpy(dtype=float)
    made = ~(np.isnan(x) | np.isnan(y))
    proposer = rounds["proposer"].astype(str).to_numpy()
    ratified = rounds["ratified"].fillna(False).astype(bool).to_numpy()
    return x, y, made, proposer, ratified, rounds["round"].to_numpy()


def _draw_offers(ax: Axes, run: Run, columns: tuple[str, str]) -> None:
    x, y, made, proposer, ratified, months = _offers(run, columns)
    for side in ("us", "japan"):
        mine = made & (proposer == side)
        deals = months[ratified]
        px = broken_series(months[mine], x[mine], gap=2, after=deals)[1]
        py = broken_series(months[mine], y[mine], gap=2, after=deals)[1]
        ax.plot(px, py, color=SIDE_COLOURS[side], linewidth=1.2, alpha=0.6, zorder=3)
        ax.plot(
            x[mine],
            y[mine],
            linestyle="none",
            marker=SIDE_MARKERS[side],
            markersize=8,
            color=SIDE_COLOURS[side],
            label=f"{_SHORT[side]} offers (month)",
            zorder=4,
            gid=f"{side}_offers",
        )
    _label_points(ax, x[made], y[made], months[made])
    if (made & ratified).any():
        first = np.flatnonzero(made & ratified)[0]
        _point(
            ax,
            x[first],
            y[first],
            f"deal ratified (month {months[first]})",
            marker="*",
            markersize=16,
            color=SIDE_COLOURS["deal"],
            markeredgecolor="black",
            zorder=7,
            gid="deal",
        )


def _frontier(
    ax: Axes, points: dict[str, list[float]], columns: Sequence[str], ratifiable: bool, label: str
) -> None:
    gid = "frontier" if ratifiable else "frontier_whole_grid"
    x, y = np.asarray(points[columns[0]]), np.asarray(points[columns[1]])
    if list(columns) == list(UTILITY_PLANE):
        style = (
            {"color": "#000000", "linewidth": 2.4, "marker": "o", "markersize": 3.5}
            if ratifiable
            else {"color": "#AAAAAA", "linewidth": 1.6, "linestyle": "--"}
        )
        ax.plot(x, y, label=label, zorder=2 if ratifiable else 1, gid=gid, **style)
        return
    unique = np.unique(np.stack([x, y], axis=1), axis=0)
    if ratifiable:
        ax.plot(
            unique[:, 0],
            unique[:, 1],
            linestyle="none",
            marker="o",
            markersize=11,
            markerfacecolor="none",
            markeredgecolor="#000000",
            markeredgewidth=1.6,
            label=label,
            zorder=2,
            gid=gid,
        )
    else:
        ax.plot(
            unique[:, 0],
            unique[:, 1],
            linestyle="none",
            marker="o",
            markersize=6,
            color="#BBBBBB",
            label=label,
            zorder=1,
            gid=gid,
        )


def _benchmarks(
    ax: Axes, run: Run, columns: tuple[str, str], plane: bool
) -> tuple[list[str], list[str]]:
    """Nash, KS, the no-deal point and the final package.

    Returns what the saved output lacks (an older summary.json) and which benchmarks do
    not exist in this run (no ratifiable package is better than no deal for both sides).
    """
    space, outcomes, missing, absent = run.outcome_space, run.outcomes, [], []
    for (key, label, marker), size in zip(_SOLUTIONS, (18, 12), strict=True):
        if plane:
            saved = f"{key}_japan_utility" in outcomes
            x, y = outcomes.get(f"{key}_japan_utility"), outcomes.get(f"{key}_us_utility")
        else:
            saved = space is not None and key in space
            package = ((space or {}).get(key) or {}).get("package") or {}
            x, y = package.get(columns[0]), package.get(columns[1])
        if x is None or y is None:
            (absent if saved else missing).append(label)
            continue
        if key == "nash" and space and plane:
            label += f" (Japan's weight {space.get('nash_weight_japan', 0.5):g})"
        _point(
            ax,
            x,
            y,
            label,
            marker=marker,
            markersize=size,
            color=SIDE_COLOURS["benchmark"],
            markeredgecolor="black",
            zorder=5 if key == "nash" else 6,
            gid=key,
        )
        ax.annotate(
            "Nash" if key == "nash" else "KS",
            (x, y),
            xytext=(-9, 7) if key == "nash" else (-9, -7),
            textcoords="offset points",
            ha="right",
            va="bottom" if key == "nash" else "top",
            fontsize=10,
            fontweight="bold",
            color="#8A5A00",
            zorder=8,
        )
    if plane:
        d = (outcomes.get("japan_reservation"), outcomes.get("us_reservation"))
        final = (outcomes.get("japan_utility"), outcomes.get("us_utility"))
    else:
        d_pkg = ((space or {}).get("disagreement") or {}).get("package") or {}
        f_pkg = ((space or {}).get("final") or {}).get("package") or {}
        d = (d_pkg.get(columns[0]), d_pkg.get(columns[1]))
        final = (f_pkg.get(columns[0]), f_pkg.get(columns[1]))
    if None not in d:
        _point(
            ax,
            d[0],
            d[1],
            "no deal (values of no deal)" if plane else "no deal (package without a deal)",
            marker="s",
            markersize=11,
            color="#000000",
            gid="no_deal",
        )
        if plane:
            ax.axvline(d[0], color="#000000", linewidth=0.9, linestyle=":", zorder=1)
            ax.axhline(d[1], color="#000000", linewidth=0.9, linestyle=":", zorder=1)
            ax.add_patch(
                Rectangle(
                    d,
                    0,
                    0,
                    color=SIDE_COLOURS["deal"],
                    alpha=0.08,
                    zorder=0,
                    label="better than no deal for both",
                    gid="rational",
                )
            )
    else:
        missing.append("no-deal point")
    if None not in final:
        status = outcomes.get("final_status")
        label = f"final package ({status})" if status else "final package"
        _point(
            ax,
            final[0],
            final[1],
            label,
            marker="D",
            markersize=17,
            markerfacecolor="none",
            markeredgecolor=OKABE_ITO[7],
            markeredgewidth=2.0,
            gid="final",
        )
    return missing, absent


def _limits(ax: Axes, run: Run, columns: tuple[str, str], plane: bool) -> None:
    """Zoom on what is drawn, never past the utility scale or an issue's range."""
    ax.relim(visible_only=True)
    ax.margins(0.08)
    ax.autoscale_view()
    ranges = (
        [(0.0, 1.0), (0.0, 1.0)]
        if plane
        else [(run.issue(c).get("min", -np.inf), run.issue(c).get("max", np.inf)) for c in columns]
    )
    for get, set_, (low, high) in zip(
        (ax.get_xlim, ax.get_ylim), (ax.set_xlim, ax.set_ylim), ranges, strict=True
    ):
        lo, hi = get()
        pad = 0.04 * (high - low) if np.isfinite(high - low) else 0.0
        set_(max(lo, low - pad), min(hi, high + pad))
    if not plane:
        for axis, issue in zip((ax.xaxis, ax.yaxis), columns, strict=True):
            if float(run.issue(issue).get("step", 0.5)).is_integer():
                axis.set_major_locator(MaxNLocator(integer=True))  # levels, not fractions


def _fill_rational(ax: Axes) -> None:
    """Stretch the individually rational region (drawn empty) to the axes' far edges."""
    (_, x1), (_, y1) = ax.get_xlim(), ax.get_ylim()
    for patch in ax.patches:
        if patch.get_gid() == "rational" and isinstance(patch, Rectangle):
            x0, y0 = patch.get_xy()
            patch.set_width(max(0.0, x1 - x0))
            patch.set_height(max(0.0, y1 - y0))


def outcome_space_chart(run: Run, space: str | tuple[str, str] | None = None) -> Figure:
    """The utility plane (default) or two issues' plane, with frontier, path and benchmarks."""
    columns = space if isinstance(space, tuple) else parse_space(space, run)
    plane = columns == UTILITY_PLANE
    offer_columns = (
        ("offer_japan_utility", "offer_us_utility")
        if plane
        else tuple(f"offer_{c}" for c in columns)
    )
    run.require("outcome space", ["proposer", "ratified", *offer_columns])
    saved = run.outcome_space
    month = saved.get("round", len(run.rounds)) if saved else len(run.rounds)
    if plane:
        title = "The bargain in the utility plane"
        subtitle = (
            f"frontier, benchmarks, no deal and final package valued at the end "
            f"(month {month}); each offer valued the month it was made"
        )
    else:
        names = [c.replace("_", " ") for c in columns]
        title = f"The bargain on {names[0]} and {names[1]}"
        subtitle = (
            f"packages projected on two of {len(run.issues)} issues; frontier and "
            f"benchmarks of the end of the run (month {month})"
        )
    fig = new_figure(run, title, subtitle, (11.0, 9.6), legend_rows=4)
    ax = fig.subplots()
    notes = []
    if saved is not None:
        budget, k = saved.get("budget"), saved.get("win_set")
        cut = f" (cost ≤ {budget:.2f}, K {k:.3f})" if None not in (budget, k) else ""
        _frontier(
            ax,
            saved["frontier_whole_grid"],
            columns,
            False,
            "Pareto frontier, whole grid (in red lines)",
        )
        _frontier(ax, saved["frontier"], columns, True, f"Pareto frontier, ratifiable{cut}")
    else:
        notes.append("frontiers")
    _draw_offers(ax, run, offer_columns)  # type: ignore[arg-type]
    missing, absent = _benchmarks(ax, run, columns, plane)
    notes += missing
    _limits(ax, run, columns, plane)
    _fill_rational(ax)
    if plane:
        unit = run.unit("offer_japan_utility") or "utility"
        ax.set_xlabel(axis_label("Japan's utility", unit))
        ax.set_ylabel(axis_label("US utility", unit))
    else:
        ax.set_xlabel(axis_label(columns[0], run.unit(f"offer_{columns[0]}")))
        ax.set_ylabel(axis_label(columns[1], run.unit(f"offer_{columns[1]}")))
    handles, _ = ax.get_legend_handles_labels()
    figure_legend(fig, handles, columns=3)
    lines = []
    if absent:
        lines.append(
            f"no {' or '.join(absent)} point: no ratifiable package is better than "
            "no deal for both sides"
        )
    if notes:
        lines.append(
            "not in the saved output: "
            + ", ".join(notes)
            + " (summary.json predates them; re-run `negosim run --out`)"
        )
    if lines:
        ax.text(
            0.01,
            0.01,
            "\n".join(lines),
            transform=ax.transAxes,
            fontsize=10,
            color="#AA3300",
            ha="left",
            va="bottom",
        )
    return fig
