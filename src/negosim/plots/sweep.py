"""Every chart of a sweep, drawn from its saved files: ``draw_all(sweep, out, fmt)``.

One pass over the runs and one over the rounds (:mod:`negosim.plots.sweep_runs`,
:mod:`negosim.plots.sweep_rounds`) feed all the charts, so a million-run sweep plots in
seconds with flat memory (``benchmarks/plot_speed.py``). What is drawn follows the
experiment: its reported outcomes (``report:``) as distributions per point (and, for a
sampled design, per-point means against each parameter), the agreement rate, time to
first deal, the kept per-round columns as trajectories, heatmaps when two parameters
span a grid (each outcome's mean, P(deal by mid-horizon), P(China reaches economic
coercion)), and Sobol' indices for a Sobol design. Each chart function is public for
notebooks (see docs/charts.md).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Final

import yaml
from matplotlib.figure import Figure

from negosim.plots.parallel import draw_jobs
from negosim.plots.style import house_style
from negosim.plots.sweep_agreement import agreement_chart
from negosim.plots.sweep_distributions import distribution_chart
from negosim.plots.sweep_events import (
    Event,
    china_reaches,
    deal_by_round,
    level_name,
    parse_event,
)
from negosim.plots.sweep_figure import save
from negosim.plots.sweep_heatmap import heatmap_chart
from negosim.plots.sweep_points import choose_points
from negosim.plots.sweep_rounds import summarise_rounds
from negosim.plots.sweep_runs import point_horizons, summarise_runs
from negosim.plots.sweep_scatter import parameter_scatter_chart
from negosim.plots.sweep_sobol import sobol_chart
from negosim.plots.sweep_source import SweepFiles, open_files
from negosim.plots.sweep_survival import survival_chart
from negosim.plots.sweep_trajectories import trajectory_chart
from negosim.sweep.experiment import DEFAULT_REPORT
from negosim.sweep.load import Sweep

__all__ = [
    "agreement_chart",
    "china_reaches",
    "deal_by_round",
    "distribution_chart",
    "draw_all",
    "heatmap_chart",
    "parameter_scatter_chart",
    "parse_event",
    "sobol_chart",
    "survival_chart",
    "trajectory_chart",
]

FORMATS: Final = ("png", "svg", "pdf")
#: Per-round columns drawn when an experiment kept them all (``keep.rounds: all``).
DEFAULT_ROUNDS: Final = (
    "coercion_level",
    "approval",
    "win_set",
    "deal_in_force",
    "in_force_tariff",
    "in_force_security_commitment",
)


def reported_outcomes(files: SweepFiles) -> list[str]:
    """The experiment's ``report:`` outcomes that the runs table holds as numbers."""
    text = files.manifest.get("experiment", {}).get("text", "")
    try:
        report = (yaml.safe_load(text) or {}).get("report") or list(DEFAULT_REPORT)
    except yaml.YAMLError:
        report = list(DEFAULT_REPORT)
    stored = {c.name: c for c in files.columns("runs")}
    return [name for name in report if name in stored and stored[name].numeric]


def trajectory_columns(files: SweepFiles) -> list[str]:
    """The kept per-round columns that have bands (numbers) or shares (true/false)."""
    if not files.keeps_rounds:
        return []
    kept = files.manifest.get("keep", {}).get("rounds", "all")
    stored = {c.name: c for c in files.columns("rounds")}
    wanted = list(DEFAULT_ROUNDS) if kept == "all" else list(kept)
    return [name for name in wanted if name in stored and stored[name].numeric]


def heatmap_events(files: SweepFiles) -> list[Event]:
    """P(deal by mid-horizon) and, when China's levels include it, P(economic coercion)."""
    stored = {c.name: c for c in files.columns("runs")}
    events = []
    if "first_deal_round" in stored:
        events.append(deal_by_round(max(1, int(point_horizons(files).min()) // 2)))
    if "china_max_level" in stored:
        for level in range(6):
            column = stored.get(f"months_at_level_{level}")
            name = level_name(column.meaning, level) if column else ""
            if "economic" in name:
                events.append(china_reaches(level, name))
    return events


def charts(sweep: Sweep) -> list[tuple[str, Callable[[], Figure]]]:
    """(file stem, how to draw it) for every chart of ``sweep``, sharing one pass per table."""
    files = open_files(sweep)
    layout = choose_points(files)
    outcomes = reported_outcomes(files)
    design = files.manifest["design"]
    two_d = design["method"] == "grid" and len(design["parameters"]) == 2
    events = heatmap_events(files) if two_d else []
    stored = {c.name for c in files.columns("runs")}
    survival = "first_deal_round" in stored  # keep.runs may leave it out
    summary = summarise_runs(
        files, ["deal_reached", *outcomes], events, survival=survival, layout=layout
    )
    columns = trajectory_columns(files)
    rounds = summarise_rounds(files, columns, layout) if columns else None
    plan: list[tuple[str, Callable[[], Figure]]] = [
        ("agreement", lambda: agreement_chart(sweep, summary=summary))
    ]
    if survival:
        plan.append(("survival", lambda: survival_chart(sweep, summary=summary)))
    for name in outcomes:
        if name == "deal_reached":
            continue
        plan.append((f"distribution-{name}", _bind(distribution_chart, sweep, name, summary)))
        if layout.pooled:
            plan.append((f"scatter-{name}", _bind(parameter_scatter_chart, sweep, name, summary)))
    for column in columns:
        plan.append((f"trajectory-{column}", _bind(trajectory_chart, sweep, column, rounds)))
    if two_d:
        for name in dict.fromkeys(["deal_reached", *outcomes]):
            plan.append((f"heatmap-{name}", _bind(heatmap_chart, sweep, name, summary)))
        for event in events:
            plan.append((f"heatmap-{event.name}", _bind(heatmap_chart, sweep, event, summary)))
    if design["method"] == "sobol":
        for name in dict.fromkeys(["deal_reached", *outcomes]):
            plan.append((f"sobol-{name}", _sobol(sweep, name, files)))
    return plan


def _bind(
    chart: Callable[..., Figure], sweep: Sweep, what: object, summary: object
) -> Callable[[], Figure]:
    return lambda: chart(sweep, what, summary=summary)


def _sobol(sweep: Sweep, outcome: str, files: SweepFiles) -> Callable[[], Figure | None]:
    def draw() -> Figure | None:
        try:
            return sobol_chart(sweep, outcome, files=files)
        except ValueError as err:  # e.g. a point without any deal has no mean deal terms
            warnings.warn(f"Sobol' indices of {outcome} not drawn: {err}", stacklevel=2)
            return None

    return draw


def chart_jobs(
    plan: list[tuple[str, Callable[[], Figure | None]]], out: Path, fmt: str = "png"
) -> list[tuple[str, Callable[[], Path | None]]]:
    """(stem, job) per chart of :func:`charts`, each job drawing and saving one chart.

    A job saves ``out/sweep-<stem>.<fmt>`` and returns its path (None when nothing was drawn).
    """

    def job(stem: str, draw: Callable[[], Figure | None]) -> Callable[[], Path | None]:
        def run() -> Path | None:
            fig = draw()
            if fig is None:
                return None
            with house_style():
                return save(fig, out / f"sweep-{stem}.{fmt}", fmt)

        return run

    return [(stem, job(stem, draw)) for stem, draw in plan]


def draw_all(sweep: Sweep, out: Path, fmt: str = "png", workers: int | None = None) -> list[Path]:
    """Draw every chart of ``sweep`` into ``out`` as ``sweep-<chart>.<fmt>``; the paths.

    The charts are drawn on ``workers`` cores (default: all; :mod:`negosim.plots.parallel`).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    jobs = chart_jobs(charts(sweep), Path(out), fmt)
    return draw_jobs([job for _, job in jobs], workers)
