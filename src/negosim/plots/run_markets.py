"""The market indicators of a run: the Nikkei, the yen, defence stocks and Asian markets.

Markets are derived outputs in the model (docs/model.md §7: announcement-scale responses to
tariff moves, deals, China's escalation and defence spending), so the chart marks the
shocks they answer: tariff letters, the deal, US reversals and scheduled events. Each
indicator keeps its own unit; the two indices that start at 100 share a panel.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import StrMethodFormatter

from negosim.plots.run_load import Run
from negosim.plots.run_marks import (
    draw_marks,
    figure_legend,
    mark_handles,
    marks,
    month_axis,
    new_figure,
)
from negosim.plots.style import OKABE_ITO

#: Panels: (title, [(column, legend label, colour)]).
PANELS = (
    ("Nikkei 225", [("nikkei", "Nikkei 225", OKABE_ITO[1])]),
    ("Exchange rate", [("usdjpy", "USD/JPY", OKABE_ITO[0])]),
    (
        "Defence stocks and Asian markets",
        [
            ("defense_index", "Japanese defence stocks", OKABE_ITO[2]),
            ("asia", "Asian stock markets", OKABE_ITO[4]),
        ],
    ),
)
_KINDS = ("tariff_letter", "deal", "breakdown", "reversal", "event")


def markets_chart(run: Run) -> Figure:
    """One panel per indicator (the two indices starting at 100 together), by month."""
    run.require("markets", [column for _, lines in PANELS for column, _, _ in lines])
    rounds = run.rounds
    months = rounds["round"].to_numpy()
    found = marks(run)
    kinds = [k for k in _KINDS if any(m.kind == k for m in found)]
    entries = 4 + len(kinds)
    fig = new_figure(
        run,
        "Markets, month by month",
        "end-of-month levels; vertical lines mark the shocks markets answer",
        (11.0, 8.8),
        legend_rows=int(np.ceil(entries / 4)),
    )
    axes = fig.subplots(len(PANELS), 1, sharex=True)
    draw_marks(axes, found, kinds)
    handles = []
    for ax, (title, lines) in zip(axes, PANELS, strict=True):
        for column, label, colour in lines:
            ax.plot(
                months,
                rounds[column].to_numpy(dtype=float),
                color=colour,
                marker="o",
                markersize=5,
                zorder=3,
                gid=column,
            )
            handles.append(Line2D([], [], color=colour, marker="o", markersize=5, label=label))
        ax.set_ylabel(run.unit(lines[0][0]))
        ax.set_title(title, loc="left", fontsize=13)
        ax.margins(y=0.15)
        ax.yaxis.set_major_formatter(
            StrMethodFormatter("{x:,.0f}" if lines[0][0] == "nikkei" else "{x:g}")
        )
    month_axis(axes[-1], run)
    figure_legend(fig, [*handles, *mark_handles(kinds)], columns=4)
    return fig
