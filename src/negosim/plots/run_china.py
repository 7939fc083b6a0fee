"""China's coercion on its escalation ladder, and what is seen of it at sea and in the air.

The ladder's rungs are labelled by the names the scenario gives them (``china.levels``), so
the chart reads "air and military signalling", not "3" (Kahn 1965, On Escalation, on a
ladder of named rungs). Beside the level drawn each month are the expected level before the
draw and China's remembered mean c̄, which is what Japan reads as a threat (docs/model.md
§5). The observables below are the counts the Japan Coast Guard and the Joint Staff publish
(contiguous-zone presence, territorial-sea entries, airspace violations), drawn per level.
"""

from __future__ import annotations

import re

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from negosim.plots.run_load import Run
from negosim.plots.run_marks import (
    MARK_STYLES,
    draw_marks,
    figure_legend,
    label_marks,
    mark_handles,
    marks,
    month_axis,
    new_figure,
)
from negosim.plots.style import SIDE_COLOURS

_OBSERVABLES = (
    ("presence_days", "Contiguous-zone presence"),
    ("sea_entries", "Territorial-sea entries"),
    ("airspace_violations", "Airspace violations"),
)
_KINDS = ("event", "deal", "breakdown", "reversal", "election")


def rung_label(level: int, name: str, width: int = 34) -> str:
    """'3 air and military signalling': the rung's name, parenthetical detail dropped."""
    short = re.sub(r"\s*\(.*?\)", "", name).strip() or name
    if len(short) > width:
        short = short[: width - 1].rstrip() + "…"
    return f"{level} {short}"


def event_label(text: str) -> str:
    """'taiwan statement 0.8' from the stored 'taiwan_statement=0.8 (note)'; events joined."""
    parts = [
        re.sub(r"\s*\(.*\)$", "", p.strip()).replace("=", " ").replace("_", " ")
        for p in text.split(";")
    ]
    return "; ".join(p for p in parts if p)


def coercion_chart(run: Run) -> Figure:
    """China's level (step), expected level and memory, then the three observables."""
    needed = ["coercion_level", *(c for c, _ in _OBSERVABLES)]
    run.require("China's coercion", needed)
    rounds = run.rounds
    months = rounds["round"].to_numpy()
    found = marks(run)
    kinds = [k for k in _KINDS if any(m.kind == k for m in found)]
    optional = [c for c in ("coercion_expected", "mean_coercion") if c in rounds]
    entries = 2 + len(optional) + len(kinds)
    fig = new_figure(
        run,
        "China's coercion and what is seen of it",
        "escalation ladder rungs as the scenario names them; counts per month below",
        (12.0, 10.0),
        legend_rows=int(np.ceil(entries / 4)),
    )
    ladder, *counts = fig.subplots(4, 1, sharex=True, height_ratios=(2.2, 1.0, 1.0, 1.0))
    draw_marks([ladder, *counts], found, kinds)
    level = rounds["coercion_level"].to_numpy(dtype=float)
    colour = SIDE_COLOURS["china"]
    ladder.step(months, level, where="mid", color=colour, linewidth=3.0, zorder=3)
    ladder.plot(
        months,
        level,
        linestyle="none",
        marker="o",
        color=colour,
        markersize=6,
        zorder=3,
        gid="coercion_level",
    )
    styles = {
        "coercion_expected": ("--", "expected level (before the draw)"),
        "mean_coercion": (":", "remembered mean c̄ (Japan's threat)"),
    }
    for column in optional:
        style, _ = styles[column]
        ladder.plot(
            months,
            rounds[column].to_numpy(dtype=float),
            color="#333333",
            linestyle=style,
            linewidth=1.6,
            zorder=2,
            gid=column,
        )
    names = run.level_names
    ladder.set_yticks(range(len(names)))
    ladder.set_yticklabels([rung_label(i, n) for i, n in enumerate(names)])
    ladder.set_ylim(-0.4, len(names) - 0.6)
    ladder.set_ylabel(run.unit("coercion_level") or "level")
    ladder.set_title("Coercion level on the escalation ladder", loc="left", fontsize=13)
    label_marks(
        ladder,
        found,
        "event",
        months,
        lambda mark: event_label(mark.note),
        MARK_STYLES["event"][1],
        offset=5,
        in_layout=False,
    )
    for ax, (column, title) in zip(counts, _OBSERVABLES, strict=True):
        values = rounds[column].to_numpy(dtype=float)
        ax.bar(months, values, width=0.6, color=colour, alpha=0.75, zorder=3, gid=column)
        ax.set_ylim(0, max(1.0, np.nanmax(values) * 1.2))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        ax.set_ylabel(run.unit(column))
        ax.set_title(title, loc="left", fontsize=12)
    month_axis(counts[-1], run)
    handles = [
        Line2D([], [], color=colour, linewidth=3.0, marker="o", label="level this month"),
        *(
            Line2D(
                [], [], color="#333333", linestyle=styles[c][0], linewidth=1.6, label=styles[c][1]
            )
            for c in optional
        ),
        Patch(color=colour, alpha=0.75, label="observed count"),
        *mark_handles(kinds),
    ]
    figure_legend(fig, handles, columns=4)
    return fig
