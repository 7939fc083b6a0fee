"""Every chart of one run, written to files: what ``negosim plot RUN_DIR`` does.

Each chart is drawn in the house style and saved atomically (a temporary name, then a
rename), so an interrupted command never leaves a half-written image under the final name.
A chart the saved output cannot support (a column an older negosim did not record) is
skipped with a message naming what is missing; the others are still drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure

from negosim.plots.run_china import coercion_chart
from negosim.plots.run_load import Run, RunDirectoryError
from negosim.plots.run_markets import markets_chart
from negosim.plots.run_offers import offers_chart
from negosim.plots.run_politics import approval_chart
from negosim.plots.run_space import UTILITY_PLANE, outcome_space_chart, parse_space
from negosim.plots.style import house_style
from negosim.results import atomic_path

FORMATS = ("png", "svg", "pdf")

#: The charts of a run, by file stem, in the order a reader meets them.
RUN_CHARTS: dict[str, Callable[[Run], Figure]] = {
    "offers": offers_chart,
    "approval": approval_chart,
    "china": coercion_chart,
    "markets": markets_chart,
}


@dataclass
class Drawn:
    """What :func:`draw_run` wrote, and which charts it could not draw and why."""

    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def save(fig: Figure, path: Path, fmt: str) -> Path:
    """Write ``fig`` to ``path`` atomically (the format is named, not guessed from a suffix)."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, metadata=_metadata(fmt))
    return path


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date in SVG and PDF files, so the same run gives the same bytes."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


def draw_run(run: Run, out: Path, fmt: str = "png", space: str | None = None) -> Drawn:
    """Draw every chart of ``run`` into ``out`` as ``fmt`` files; return what was written.

    ``space`` chooses the outcome-space chart's plane: None or 'utility' for the utility
    plane, 'issue_a,issue_b' for two issues (checked against the run's issues first, so a
    wrong name fails before anything is drawn).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: allowed are {', '.join(FORMATS)}")
    columns = parse_space(space, run)
    space_stem = (
        "outcome_space" if columns == UTILITY_PLANE else "outcome_space_" + "_vs_".join(columns)
    )
    charts: list[tuple[str, Callable[[Run], Figure]]] = list(RUN_CHARTS.items())
    charts.append((space_stem, lambda r: outcome_space_chart(r, columns)))
    drawn = Drawn()
    with house_style():
        for stem, chart in charts:
            try:
                fig = chart(run)
            except RunDirectoryError as err:
                drawn.skipped.append(f"{stem}: {err}")
                continue
            drawn.written.append(save(fig, out / f"{stem}.{fmt}", fmt))
    return drawn
