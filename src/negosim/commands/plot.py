"""``negosim plot DIR``: the charts of a run's or a sweep's saved output, as image files.

The directory says what it holds: a sweep's has ``manifest.json`` (with
``parameters.parquet``, ``runs/`` and ``rounds/``), a run's has ``summary.json`` and
``rounds.parquet``. Charts are drawn from those files only, never by re-running the model.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from negosim.commands.inputs import readable_directory
from negosim.exit_codes import ExitCode

if TYPE_CHECKING:
    from negosim.sweep.load import Sweep

DESCRIPTION = """\
Draw the charts of DIR, the output of `negosim run CONFIG --out DIR` or of `negosim sweep`.
For a run: each issue's offers by both sides and the package in force (offers), Japan's
approval and the Diet's win-set (approval), China's coercion level and observables (china),
the market indicators (markets) and the outcome space with the Pareto frontier, the offers'
path, the deal, the Nash and Kalai-Smorodinsky points and the no-deal point
(outcome_space). For a sweep: the distributions, survival curves, trajectories, heatmaps
and indices of docs/charts.md. Prints the files written."""

EPILOG = """\
examples:
  negosim plot out/seed7                                 charts in out/seed7/figures/
  negosim plot out/seed7 --space tariff,defense_budget   outcome space on two issues
  negosim plot runs/omega_commitment --format svg --out figs

exit status: 0 every chart drawn; 1 some charts could not be drawn from what the directory
holds (the others are written; the messages say what is missing); 2 a directory that is
missing, holds no run's or sweep's output, or is unreadable, or a bad --space (the whole
table: README.md, "Exit status")."""

SWEEP_MARKERS = ("manifest.json", "parameters.parquet", "runs", "rounds")
RUN_MARKERS = ("summary.json", "rounds.parquet", "rounds.csv")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``plot`` and its options."""
    p = subparsers.add_parser(
        "plot",
        help="draw the charts of a run's or a sweep's output (PNG, SVG or PDF)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="a run's --out directory or a sweep's")
    p.add_argument(
        "--out", type=Path, metavar="FIGDIR", help="where to write the charts (default DIR/figures)"
    )
    p.add_argument(
        "--format", choices=("png", "svg", "pdf"), default="png", help="image format (default png)"
    )
    p.add_argument(
        "--space",
        metavar="ISSUE,ISSUE",
        help="a run's outcome space on two issues, e.g. tariff,defense_budget "
        "(default: the utility plane; 'utility' says so)",
    )
    p.set_defaults(handler=run_plot)


def _fail(message: str) -> int:
    print(f"negosim plot: {message}", file=sys.stderr)
    return ExitCode.USAGE


def sweep_drawer() -> Callable[[Sweep, Path, str], list[Path]] | None:
    """``negosim.plots.sweep.draw_all(sweep, out, fmt) -> list[Path]``, if this install has it.

    Looked up at call time, so a run's charts never import the sweep charts, and an
    install without them says so instead of failing on an import.
    """
    if importlib.util.find_spec("negosim.plots.sweep") is None:
        return None
    from negosim.plots import sweep as sweep_charts

    return getattr(sweep_charts, "draw_all", None)


def _plot_sweep(args: argparse.Namespace, out: Path) -> int:
    if args.space is not None:
        return _fail("--space applies to a single run's outcome space, not to a sweep")
    if not (args.dir / "manifest.json").is_file():
        return _fail(
            f"{args.dir}: looks like a sweep's output but has no manifest.json (interrupted "
            "before it was written?); run the sweep again with --resume"
        )
    draw_all = sweep_drawer()
    if draw_all is None:
        return _fail(
            f"{args.dir} holds a sweep, and this negosim has no sweep charts yet "
            "(negosim.plots.sweep.draw_all is missing); a run's directory can be plotted"
        )
    from negosim.sweep import load_sweep

    try:
        sweep = load_sweep(args.dir)
        written = draw_all(sweep, out, args.format)
    except (FileNotFoundError, ValueError) as err:
        return _fail(f"{args.dir}: {err}")
    for path in written:
        print(f"wrote {path}")
    return ExitCode.OK


def _plot_run(args: argparse.Namespace, out: Path) -> int:
    from negosim.plots.run_draw import draw_run
    from negosim.plots.run_load import RunDirectoryError, load_run

    try:
        run = load_run(args.dir)
        drawn = draw_run(run, out, args.format, args.space)
    except RunDirectoryError as err:
        return _fail(str(err))
    for path in drawn.written:
        print(f"wrote {path}")
    for message in drawn.skipped:
        print(f"negosim plot: not drawn: {message}", file=sys.stderr)
    print(
        f"{len(drawn.written)} chart(s) of {run.name}, seed {run.seed}"
        + (f"; {len(drawn.skipped)} not drawn" if drawn.skipped else "")
    )
    return ExitCode.FAILURE if drawn.skipped else ExitCode.OK


def run_plot(args: argparse.Namespace) -> int:
    """Draw the charts of ``args.dir`` (a run's output or a sweep's) into ``args.out``."""
    readable_directory(args.dir)
    out = args.out if args.out is not None else args.dir / "figures"
    if any((args.dir / marker).exists() for marker in SWEEP_MARKERS):
        return _plot_sweep(args, out)
    if not any((args.dir / name).is_file() for name in RUN_MARKERS):
        return _fail(
            f"{args.dir}: holds neither a run's output ({', '.join(RUN_MARKERS[:2])}, from "
            "`negosim run CONFIG --out DIR`) nor a sweep's (manifest.json, "
            "parameters.parquet, runs/, rounds/, from `negosim sweep`)"
        )
    return _plot_run(args, out)
