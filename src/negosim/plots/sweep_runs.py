"""One streaming pass over a sweep's runs: every per-point aggregate the run charts need.

Charts of final outcomes, agreement, events and time to first deal need, per design
point, counts and sums (means, shares), a histogram on fixed bins (quantiles, violins,
histograms), a small sample of raw values (the strip) and, for the first deal, how many
runs dealt in each round (the survival curve). All of it is accumulated chunk by chunk
from the columns needed, so memory depends on the number of points and bins, not on the
number of runs.

The strip shows the runs with replicate index below :data:`STRIP` at each shown point:
replicate seeds are hashes (``negosim.sweep.seeds``), so these runs are a random sample
of the point's runs, the same one on every machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from negosim.plots.sweep_events import Event
from negosim.plots.sweep_histogram import Bins, Histograms, bins_for
from negosim.plots.sweep_points import PointLayout, choose_points
from negosim.plots.sweep_source import ColumnInfo, SweepFiles, SweepPlotError, as_float

#: Runs per shown point drawn as dots over a distribution.
STRIP: Final = 150


@dataclass
class OutcomeSummary:
    """One outcome's per-point aggregates (slot = position in ``layout.shown``; last = all)."""

    info: ColumnInfo
    bins: Bins
    n: np.ndarray  # (points,) non-missing values
    sums: np.ndarray  # (points,)
    missing: np.ndarray  # (points,)
    histograms: Histograms  # (shown + 1 pooled) slots
    strip: list[list[np.ndarray]] = field(repr=False)

    def means(self) -> np.ndarray:
        """Exact per-point mean of the non-missing values (NaN where there is none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.sums / self.n

    def strip_values(self, slot: int) -> np.ndarray:
        """The strip sample of one shown slot."""
        parts = self.strip[slot]
        return np.concatenate(parts) if parts else np.empty(0)


@dataclass
class RunSummary:
    """Aggregates of one pass over the runs of ``files``."""

    files: SweepFiles
    layout: PointLayout
    runs: np.ndarray  # (points,) runs read per point
    outcomes: dict[str, OutcomeSummary]
    events: dict[Event, np.ndarray]  # (points,) runs where the event happened
    deals: np.ndarray | None  # (points, horizon + 1) runs whose first deal was in round t

    def outcome(self, name: str) -> OutcomeSummary:
        """One outcome's aggregates; a clear error when it was not summarised."""
        if name not in self.outcomes:
            raise KeyError(f"{name!r} was not summarised; pass it to summarise_runs")
        return self.outcomes[name]

    def event(self, event: Event) -> np.ndarray:
        """Runs per point where ``event`` happened."""
        if event not in self.events:
            raise KeyError(f"{event.label} was not summarised; pass it to summarise_runs")
        return self.events[event]

    @property
    def horizon(self) -> np.ndarray:
        """Each point's last round (runs without a deal are censored there)."""
        return point_horizons(self.files)


def point_horizons(files: SweepFiles) -> np.ndarray:
    """Each point's number of rounds: the experiment's, or the varied ``protocol.rounds``."""
    paths = files.parameters
    if "protocol.rounds" in paths:
        return np.asarray(paths["protocol.rounds"], dtype=np.int64)
    return np.full(files.points, int(files.manifest["rounds"]), dtype=np.int64)


def _numeric(files: SweepFiles, name: str) -> ColumnInfo:
    info = files.column("runs", name)
    if not info.numeric:
        raise SweepPlotError(
            f"{files.root / 'runs'}: {name!r} is a {info.kind}; a chart of its distribution "
            "needs a number or true/false outcome"
        )
    return info


def summarise_runs(
    files: SweepFiles,
    outcomes: Iterable[str] = (),
    events: Iterable[Event] = (),
    survival: bool = False,
    layout: PointLayout | None = None,
) -> RunSummary:
    """Read the runs once and accumulate ``outcomes``, ``events`` and first-deal rounds."""
    layout = choose_points(files) if layout is None else layout
    names = list(dict.fromkeys(outcomes))
    events = list(dict.fromkeys(events))
    infos = {n: _numeric(files, n) for n in names}
    for event in events:
        _numeric(files, event.column)
    points, shown = files.points, len(layout.shown)
    slot_of = np.full(points, -1, dtype=np.int64)
    slot_of[list(layout.shown)] = np.arange(shown)
    summaries = {}
    ranges = files.value_ranges("runs", names)
    for name, info in infos.items():
        bins = bins_for(info.kind != "float", ranges[name])
        summaries[name] = OutcomeSummary(
            info,
            bins,
            np.zeros(points),
            np.zeros(points),
            np.zeros(points),
            Histograms(bins, shown + 1),
            [[] for _ in range(shown)],
        )
    counts = {e: np.zeros(points) for e in events}
    deals = None
    if survival:
        files.column("runs", "first_deal_round")
        deals = np.zeros((points, int(point_horizons(files).max()) + 1))
    runs = np.zeros(points)
    wanted = [*names, *(e.column for e in events), *(["first_deal_round"] if survival else [])]
    columns = list(dict.fromkeys(["point", "replicate", *wanted]))
    for table in files.tables("runs", columns):
        point = table["point"].to_numpy()
        runs += np.bincount(point, minlength=points)
        slot = slot_of[point]
        sampled = (slot >= 0) & (table["replicate"].to_numpy() < STRIP)
        values = {c: as_float(table[c]) for c in columns[2:]}
        for name, summary in summaries.items():
            x = values[name]
            present = ~np.isnan(x)
            summary.n += np.bincount(point, weights=present, minlength=points)
            summary.sums += np.bincount(point[present], weights=x[present], minlength=points)
            summary.missing += np.bincount(point, weights=~present, minlength=points)
            summary.histograms.add(slot, x)
            if layout.pooled:  # the charts of a pooled design draw all runs together
                summary.histograms.add(np.full(len(x), shown), x)
            for s in np.unique(slot[sampled]):
                summary.strip[s].append(x[sampled & (slot == s)])
        for event in events:
            happened = event.holds(values[event.column])
            counts[event] += np.bincount(point, weights=happened, minlength=points)
        if deals is not None:
            first = values["first_deal_round"]
            dealt = ~np.isnan(first)
            flat = point[dealt] * deals.shape[1] + first[dealt].astype(np.int64)
            deals += np.bincount(flat, minlength=deals.size).reshape(deals.shape)
    return RunSummary(files, layout, runs, summaries, counts, deals)
