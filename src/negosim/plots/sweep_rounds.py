"""One streaming pass over a sweep's ``rounds/`` table: per point and round, a histogram.

Trajectory bands (median, 50 % and 90 % of the runs, round by round) need quantiles per
shown point and round; a fixed-bin histogram per (point, round) gives them with memory
that does not depend on the number of runs (:mod:`negosim.plots.sweep_histogram`). The
last slot pools every point's runs, filled only for a sampled design with too many points
to show.
True/false columns get the same two-bin histogram, whose mean is the share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from negosim.plots.sweep_histogram import Histograms, bins_for
from negosim.plots.sweep_points import PointLayout, choose_points
from negosim.plots.sweep_source import ColumnInfo, SweepFiles, SweepPlotError, as_float


@dataclass
class Trajectory:
    """One per-round column's histograms, one per (shown slot, round)."""

    info: ColumnInfo
    rounds: int
    histograms: Histograms

    def _rows(self, slot: int) -> slice:
        return slice(slot * self.rounds, (slot + 1) * self.rounds)

    def quantiles(self, slot: int, qs: list[float]) -> np.ndarray:
        """(rounds, len(qs)) quantiles of the runs of one slot, round by round."""
        return self.histograms.quantiles(qs)[self._rows(slot)]

    def means(self, slot: int) -> np.ndarray:
        """(rounds,) mean per round (the share, for a true/false column)."""
        return self.histograms.means()[self._rows(slot)]

    def n(self, slot: int) -> np.ndarray:
        """(rounds,) non-missing values per round."""
        return self.histograms.n[self._rows(slot)]


@dataclass
class RoundSummary:
    """Trajectories of some per-round columns for the points of ``layout``."""

    files: SweepFiles
    layout: PointLayout
    rounds: int
    columns: dict[str, Trajectory]


def summarise_rounds(
    files: SweepFiles, columns: Iterable[str], layout: PointLayout | None = None
) -> RoundSummary:
    """Read the rounds once and accumulate per-(point, round) histograms of ``columns``."""
    layout = choose_points(files) if layout is None else layout
    names = list(dict.fromkeys(columns))
    infos = {n: files.column("rounds", n) for n in names}
    for name, info in infos.items():
        if not info.numeric:
            raise SweepPlotError(
                f"{files.root / 'rounds'}: {name!r} is a {info.kind}; trajectory bands need "
                "a number or true/false column"
            )
    ranges = files.value_ranges("rounds", ["round", *names])
    rounds = int(ranges["round"][1]) if ranges["round"] else 0
    points, shown = files.points, len(layout.shown)
    slot_of = np.full(points, -1, dtype=np.int64)
    slot_of[list(layout.shown)] = np.arange(shown)
    trajectories = {
        name: Trajectory(
            info,
            rounds,
            Histograms(
                bins_for(info.kind != "float", ranges[name]),
                (shown + 1) * rounds,
            ),
        )
        for name, info in infos.items()
    }
    for table in files.tables("rounds", ["point", "round", *names]):
        point = table["point"].to_numpy()
        month = table["round"].to_numpy() - 1
        slot = slot_of[point]
        shown_slot = np.where(slot >= 0, slot * rounds + month, -1)
        pooled_slot = shown * rounds + month
        for name, trajectory in trajectories.items():
            values = as_float(table[name])
            trajectory.histograms.add(pooled_slot if layout.pooled else shown_slot, values)
    return RoundSummary(files, layout, rounds, trajectories)
