"""Which design points a chart shows, and how they are arranged, when there are many.

A chart stays legible with about a dozen distributions or curves (Cleveland 1985, *The
Elements of Graphing Data*: small multiples and few superposed curves), so a larger grid
is thinned by its varied parameters, never by point index: the parameter with the most
values keeps its two ends and evenly spaced values between until at most :data:`CAP`
points remain, and the chart's footnote says which values are shown. Two varied
parameters are drawn as groups (the first) and colours (the second); three or more label
each point with all its values. A sampled design (random, Latin hypercube, Sobol') with
more points than the cap has no structure to thin: its charts pool the runs of every
point, or plot per-point means against each parameter, instead of thousands of
per-point distributions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from negosim.plots.sweep_labels import format_value, parameter_name, point_label
from negosim.plots.sweep_source import SweepFiles

#: At most this many points per distribution, survival or trajectory chart.
CAP: Final = 12


def _distinct(values: np.ndarray) -> list[object]:
    """A parameter's distinct values, sorted when they are numbers, else in design order."""
    seen = list(dict.fromkeys(values.tolist()))
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in seen):
        return sorted(seen)
    return seen


def _thin(values: list[object], keep: int) -> list[object]:
    """``keep`` evenly spaced values of ``values``, its two ends included."""
    index = np.unique(np.round(np.linspace(0, len(values) - 1, keep)).astype(int))
    return [values[i] for i in index]


@dataclass(frozen=True)
class PointLayout:
    """The points a chart draws and the parameters that arrange them."""

    shown: tuple[int, ...]
    paths: tuple[str, ...]
    group: str | None
    hue: str | None
    pooled: bool
    note: str
    values: dict[str, np.ndarray]

    def value(self, point: int, path: str) -> object:
        """The value of parameter ``path`` at ``point``."""
        return self.values[path][point]

    def label(self, point: int, sep: str = ", ", paths: tuple[str, ...] | None = None) -> str:
        """A point's label, "ω = 0.5, commitment in force = 2" (all parameters unless ``paths``)."""
        chosen = self.paths if paths is None else paths
        return point_label({p: self.values[p][point] for p in chosen}, chosen, sep)

    def levels(self, path: str | None) -> list[object]:
        """The values of ``path`` among the shown points, in display order."""
        if path is None:
            return [None]
        return _distinct(np.asarray([self.values[path][p] for p in self.shown], dtype=object))

    def grouped(self) -> list[tuple[object, list[int]]]:
        """(group value, its shown points in hue order) for each group, in display order.

        Without a group parameter (three or more parameters, a small sampled design) every
        point is a group of its own.
        """
        if self.group is None:
            return [(None, [p]) for p in self.shown]
        out = []
        for level in self.levels(self.group):
            members = [p for p in self.shown if self.values[self.group][p] == level]
            if self.hue is not None:
                hues = self.levels(self.hue)
                members.sort(key=lambda p: hues.index(self.values[self.hue][p]))
            out.append((level, members))
        return out


def choose_points(files: SweepFiles, cap: int = CAP) -> PointLayout:
    """The layout of the points to draw for ``files``'s design (see the module docstring)."""
    design = files.manifest["design"]
    paths = tuple(design["parameters"])
    values = files.parameters
    points = files.points
    everything = tuple(range(points))

    def layout(
        shown: tuple[int, ...], group: str | None, hue: str | None, note: str
    ) -> PointLayout:
        return PointLayout(shown, paths, group, hue, False, note, values)

    if points == 1 or not paths:
        return layout((0,), None, None, "")
    if design["method"] != "grid":
        if points <= cap:
            return layout(everything, None, None, "")
        note = f"all {points:,} design points pooled ({design['method']} design)"
        return PointLayout((), paths, None, None, True, note, values)
    levels = {p: _distinct(values[p]) for p in paths}
    kept = {p: list(v) for p, v in levels.items()}
    while (total := int(np.prod([len(v) for v in kept.values()]))) > cap:
        widest = max(paths, key=lambda p: len(kept[p]))
        if len(kept[widest]) <= 2:
            break
        others = total // len(kept[widest])
        target = min(len(kept[widest]) - 1, max(2, cap // others))
        kept[widest] = _thin(levels[widest], target)
    shown = tuple(p for p in everything if all(values[path][p] in kept[path] for path in paths))
    notes = [
        f"{parameter_name(p)} ∈ {{{', '.join(format_value(v) for v in kept[p])}}} "
        f"({len(kept[p])} of {len(levels[p])} values)"
        for p in paths
        if len(kept[p]) < len(levels[p])
    ]
    if len(shown) > cap:  # three or more parameters each already down to two values
        shown = shown[:cap]
        notes.append(f"the first {cap} of the remaining points")
    note = "shown: " + "; ".join(notes) if notes else ""
    if len(paths) == 1:
        return layout(shown, paths[0], None, note)
    if len(paths) == 2:
        return layout(shown, paths[0], paths[1], note)
    return layout(shown, None, None, note)
