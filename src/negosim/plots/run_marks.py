"""What every chart of a run shares: the month axis and the marks of what happened when.

A student reading several charts of one run should find the deal, a US reversal, a tariff
letter, the election or a Taiwan statement at the same place, in the same style, on each
of them; so the marks are found once here, from the saved per-round table and the resolved
scenario, and drawn by one function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from negosim.plots.run_load import Run
from negosim.plots.style import OKABE_ITO, SIDE_COLOURS, add_footer, axis_label

#: How each kind of mark is drawn: (label, colour, line style).
MARK_STYLES: Final[dict[str, tuple[str, str, str]]] = {
    "deal": ("deal ratified", SIDE_COLOURS["deal"], "--"),
    "reversal": ("US reversal", "#000000", "-."),
    "tariff_letter": ("US tariff letter", OKABE_ITO[5], ":"),
    "election": ("upper-house election", "#666666", "--"),
    "leader": ("new leader in Tokyo", OKABE_ITO[4], ":"),
    "event": ("scheduled event", SIDE_COLOURS["china"], "-."),
    "breakdown": ("talks broke down", "#555555", "-"),
}


@dataclass(frozen=True)
class Mark:
    """Something that happened in a round, to draw as a vertical line."""

    kind: str
    round: int
    note: str = ""


def _flag(rounds: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rounds:
        return np.zeros(len(rounds), dtype=bool)
    return rounds[column].fillna(False).astype(bool).to_numpy()


def marks(run: Run) -> list[Mark]:
    """Every mark of the run, in round order within each kind."""
    rounds, found = run.rounds, []
    months = rounds["round"].to_numpy()
    for r in months[_flag(rounds, "ratified")]:
        found.append(Mark("deal", int(r)))
    reversed_items = np.zeros(len(rounds))
    for column in ("reversals_trade", "reversals_security"):
        if column in rounds:
            reversed_items += rounds[column].fillna(0).to_numpy(dtype=float)
    for r in months[reversed_items > 0]:
        found.append(Mark("reversal", int(r)))
    for r in months[_flag(rounds, "tariff_letter")]:
        found.append(Mark("tariff_letter", int(r)))
    if {"negotiating", "deal_in_force"} <= set(rounds):
        talking = _flag(rounds, "negotiating")
        settled = _flag(rounds, "deal_in_force") | _flag(rounds, "ratified")
        for k in range(1, len(months)):
            if talking[k - 1] and not talking[k] and not settled[k - 1] and not settled[k]:
                found.append(Mark("breakdown", int(months[k])))
    if run.election_round is not None:
        found.append(Mark("election", run.election_round))
    if {"leader_changed", "leader"} <= set(rounds):
        changed = _flag(rounds, "leader_changed")
        for r, leader in zip(months[changed], rounds.loc[changed, "leader"], strict=True):
            found.append(Mark("leader", int(r), f"{leader} takes office"))
    if "events" in rounds:
        for r, text in zip(months, rounds["events"].fillna(""), strict=True):
            if str(text).strip():
                found.append(Mark("event", int(r), str(text)))
    return found


def draw_marks(axes: Iterable[Axes], found: Sequence[Mark], kinds: Iterable[str]) -> list[str]:
    """Vertical lines for the marks of ``kinds`` on every axis; returns the kinds drawn.

    Marks of different kinds in the same month (the election and the deal, say) are set a
    little apart so that neither hides the other.
    """
    wanted = list(dict.fromkeys(kinds))
    drawn = list({(m.kind, m.round): m for m in found if m.kind in wanted}.values())
    same: dict[int, list[Mark]] = {}
    for mark in drawn:
        same.setdefault(mark.round, []).append(mark)
    for ax in axes:
        for month, group in same.items():
            for k, mark in enumerate(group):
                _, colour, style = MARK_STYLES[mark.kind]
                offset = 0.09 * (k - (len(group) - 1) / 2)
                ax.axvline(
                    month + offset,
                    color=colour,
                    linestyle=style,
                    linewidth=1.6,
                    alpha=0.9,
                    zorder=1,
                    gid=f"mark:{mark.kind}",
                )
    return [k for k in wanted if any(m.kind == k for m in drawn)]


def mark_handles(kinds: Iterable[str]) -> list[Line2D]:
    """Legend entries for the marks drawn."""
    return [
        Line2D(
            [],
            [],
            color=MARK_STYLES[k][1],
            linestyle=MARK_STYLES[k][2],
            linewidth=1.6,
            label=MARK_STYLES[k][0],
        )
        for k in kinds
    ]


def month_axis(ax: Axes, run: Run, label: bool = True) -> None:
    """Rounds as x ticks, each with its calendar month; the axis label says round 1's month."""
    months = run.months.to_numpy()
    step = 1 if len(months) <= 18 else int(np.ceil(len(months) / 12))
    ticks = months[::step]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{r}\n{run.month_name(int(r)).split()[0]}" for r in ticks])
    ax.set_xlim(months.min() - 0.5, months.max() + 0.5)
    if label:
        ax.set_xlabel(axis_label("round", "month") + f", round 1 = {run.month_name(1)}")


def new_figure(
    run: Run, title: str, subtitle: str, size: tuple[float, float], legend_rows: int = 1
) -> Figure:
    """A figure with the title, a one-line subtitle and the provenance footer in place.

    Constrained layout places the axes (with their labels) in the band left between the
    title above and the legend and footer below (``legend_rows`` rows of legend, placed by
    :func:`figure_legend`), so nothing overlaps whatever the labels.
    """
    fig = Figure(figsize=size, layout="constrained")
    height = size[1]
    top = 1 - (0.8 if subtitle else 0.5) / height
    bottom = (_FOOTER + _LEGEND_ROW * legend_rows) / height
    fig.get_layout_engine().set(rect=(0, bottom, 1, top - bottom))
    fig.text(0.5, 1 - 0.12 / height, title, ha="center", va="top", fontsize=15, fontweight="bold")
    if subtitle:
        fig.text(
            0.5, 1 - 0.47 / height, subtitle, ha="center", va="top", fontsize=11, color="#333333"
        )
    add_footer(fig, run.footer())
    return fig


#: Inches kept under the axes for the footer, and for each row of the figure's legend.
_FOOTER, _LEGEND_ROW = 0.3, 0.32


def figure_legend(fig: Figure, handles: Sequence[Artist], columns: int) -> None:
    """The figure's legend, centred in the band :func:`new_figure` kept above the footer."""
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, (_FOOTER - 0.05) / fig.get_figheight()),
        ncol=columns,
        handlelength=2.2,
        columnspacing=1.6,
    )


def broken_series(
    x: np.ndarray, y: np.ndarray, gap: int, after: Iterable[int] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Points with a NaN inserted where the line must break.

    Each side proposes every other month, so its offers are joined across one month's gap;
    a longer silence, or the month of a deal (``after``: talks that reopen later are new
    talks), breaks the line.
    """
    if len(x) < 2:
        return x.astype(float), y.astype(float)
    stops = np.isin(x[:-1], list(after))
    cut = np.flatnonzero((np.diff(x) > gap) | stops) + 1
    return np.insert(x.astype(float), cut, np.nan), np.insert(y.astype(float), cut, np.nan)


def label_marks(
    ax: Axes,
    found: Sequence[Mark],
    kind: str,
    months: pd.Series,
    text: Callable[[Mark], str],
    colour: str,
    offset: float = 4,
    in_layout: bool = True,
) -> None:
    """Name each mark of ``kind`` at the top of ``ax``, on a white ground.

    A mark in the last 40 % of the months is named to the left of its line, so the label
    stays inside the axes.
    """
    late = months.min() + 0.6 * (months.max() - months.min())
    for mark in found:
        if mark.kind != kind:
            continue
        right = mark.round > late
        note = ax.annotate(
            text(mark),
            (mark.round, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-offset if right else offset, -4),
            textcoords="offset points",
            ha="right" if right else "left",
            va="top",
            fontsize=10,
            color=colour,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            zorder=6,
        )
        note.set_in_layout(in_layout)
