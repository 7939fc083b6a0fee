"""Sobol' indices of a Sobol design: first-order and total, with their confidence intervals.

The indices are :func:`negosim.sweep.stats.sobol_indices` (SALib's analysis of the
per-point mean outcome, Saltelli et al. 2010, with bootstrap 95 % intervals); this chart
only draws them. An index is a share of variance, so it lies in [0, 1]: the region
outside is shaded, and the footnote names every index or interval that leaves it or whose
interval is wider than the index itself; such a value is estimation noise (too few base
samples, or replicate noise in the per-point means), not a finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from negosim.plots.style import house_style
from negosim.plots.sweep_figure import frame, legend_inches, single_figure, text_inches
from negosim.plots.sweep_labels import outcome_phrase, parameter_name
from negosim.plots.sweep_source import SweepFiles, SweepPlotError, open_files
from negosim.sweep.load import Sweep
from negosim.sweep.stats import sobol_indices

COLOURS = {"S1": "#0072B2", "ST": "#D55E00"}
NAMES = {"S1": "first-order S1", "ST": "total ST"}


def doubtful(indices: pd.DataFrame) -> list[str]:
    """Indices whose value or interval leaves [0, 1], or whose interval exceeds the index."""
    flagged = []
    for _, row in indices.iterrows():
        for kind in ("S1", "ST"):
            value, conf = float(row[kind]), float(row[f"{kind}_conf"])
            if value - conf < 0 or value + conf > 1 or conf > abs(value):
                flagged.append(f"{kind} of {parameter_name(str(row['parameter']))}")
    return flagged


def sobol_chart(
    sweep: Sweep,
    outcome: str,
    *,
    indices: pd.DataFrame | None = None,
    files: SweepFiles | None = None,
) -> Figure:
    """First-order and total Sobol' indices of ``outcome``'s per-point mean, with 95 % CIs."""
    files = files or open_files(sweep)
    design = files.manifest["design"]
    if design["method"] != "sobol":
        raise SweepPlotError(
            f"{files.root}: Sobol' indices need a sobol design; this one is {design['method']!r}"
        )
    if indices is None:
        indices = sobol_indices(sweep, outcome, second_order=bool(design.get("second_order")))
    names = [parameter_name(str(p)) for p in indices["parameter"]]
    y = np.arange(len(names))[::-1]
    points = files.points
    per_base = 2 * len(names) + 2 if design.get("second_order") else len(names) + 2
    notes = [
        f"mean {outcome_phrase(outcome)} at each of {points:,} points "
        f"(N = {points // per_base} base samples × {files.manifest.get('replicates', '?')} "
        "replicates); SALib, Saltelli et al. 2010"
    ]
    flagged = doubtful(indices)
    if flagged:
        more = f" and {len(flagged) - 4} more" if len(flagged) > 4 else ""
        notes.append(
            "not resolved (interval outside [0, 1] or wider than the index): "
            + ", ".join(flagged[:4])
            + more
        )
    left = 0.55 + max(text_inches(n, 11) for n in names)
    right = legend_inches([NAMES["S1"], NAMES["ST"], "outside [0, 1]"], "95 % bootstrap CI")
    with house_style():
        fig, ax = single_figure(max(left + 6.0 + right, 10.0), max(4.5, 0.62 * len(names) + 2.6),
                                left=left, right=right, footnote_lines=len(notes))  # fmt: skip
        for offset, kind in ((0.18, "S1"), (-0.18, "ST")):
            ax.barh(
                y + offset,
                indices[kind],
                height=0.34,
                xerr=indices[f"{kind}_conf"],
                color=COLOURS[kind],
                alpha=0.85,
                capsize=4,
                label=NAMES[kind],
                error_kw={"elinewidth": 1.5, "ecolor": "#333333"},
                gid=kind,
            )
        span = indices[["S1", "ST"]].to_numpy()
        conf = indices[["S1_conf", "ST_conf"]].to_numpy()
        lowest = min(-0.05, float(np.nanmin(span - conf)) - 0.05)
        highest = max(1.05, float(np.nanmax(span + conf)) + 0.05)
        ax.axvspan(lowest, 0, color="#bbbbbb", alpha=0.35, linewidth=0, label="outside [0, 1]")
        ax.axvspan(1, highest, color="#bbbbbb", alpha=0.35, linewidth=0)
        ax.axvline(0, color="#333333", linewidth=1)
        ax.set_xlim(lowest, highest)
        ax.set_yticks(y, names)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Sobol' index [share of variance]")
        ax.set_ylabel("Parameter")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="95 % bootstrap CI")
        title = f"Sobol' indices of mean {outcome_phrase(outcome)}"
        return frame(fig, files, title, "\n".join(notes))
