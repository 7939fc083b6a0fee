"""The baseline comparison's chart: each outcome's current distribution over the baseline's.

Drawn with the house style (:mod:`negosim.plots.style`) on a ``Figure`` (nothing global),
from the two batches' outcomes, and returned as PNG bytes for the page.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from negosim.plots.style import OKABE_ITO, SIDE_COLOURS, add_footer, axis_label, house_style
from negosim.seminar.compare import OUTCOMES

SHOWN = (
    "deal_reached",
    "first_deal_round",
    "final_tariff",
    "china_max_level",
    "final_approval",
    "japan_utility",
)


def comparison_png(current: dict[str, NDArray], baseline: dict[str, NDArray], footer: str) -> bytes:
    """Six small panels: baseline in grey, current settings in blue, same bins."""
    labels = {column: (label, unit) for column, label, unit in OUTCOMES}
    with house_style():
        fig = Figure(figsize=(12, 6.4), layout="constrained")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))  # room for the footer line
        axes = fig.subplots(2, 3).ravel()
        for ax, column in zip(axes, SHOWN, strict=True):
            label, unit = labels[column]
            a, b = current[column], baseline[column]
            a, b = a[~np.isnan(a)], b[~np.isnan(b)]
            if column == "deal_reached":
                shares = [b.mean() if len(b) else 0, a.mean() if len(a) else 0]
                ax.bar(
                    ["baseline", "current"], shares, color=[SIDE_COLOURS["in_force"], OKABE_ITO[0]]
                )
                ax.set_ylim(0, 1)
                ax.set_ylabel("share of runs")
                ax.set_title(label)
                continue
            both = np.concatenate([a, b]) if len(a) + len(b) else np.zeros(1)
            integer = column in ("first_deal_round", "china_max_level")
            if integer:
                bins = np.arange(both.min() - 0.5, both.max() + 1.5)
            else:
                bins = np.linspace(both.min(), both.max() + 1e-9, 21)
            ax.hist(
                b,
                bins=bins,
                color=SIDE_COLOURS["in_force"],
                alpha=0.45,
                label=f"baseline (n={len(b)})",
            )
            ax.hist(
                a,
                bins=bins,
                histtype="step",
                linewidth=2.5,
                color=OKABE_ITO[0],
                label=f"current (n={len(a)})",
            )
            ax.set_title(label)
            ax.set_xlabel(axis_label(column, unit))
            ax.set_ylabel("runs")
        handles, names = axes[1].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside upper right", ncols=2, fontsize=11)
        fig.suptitle(
            "Current settings over the baseline: 1,000 runs each, same seeds", x=0.01, ha="left"
        )
        add_footer(fig, footer)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()
