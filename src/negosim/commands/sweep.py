"""``negosim sweep EXPERIMENT``: every design point with its replicates, then the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from negosim.commands.inputs import readable_file
from negosim.commands.types import positive
from negosim.exit_codes import ExitCode, interrupted


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``sweep`` and its options."""
    sweep = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep (experiment file) and summarise outcome distributions",
        description=(
            "Run every design point of EXPERIMENT with its replicates, streaming results to "
            "DIR as Parquet (one file per finished chunk, written atomically) with a "
            "manifest; then print outcome distributions per point (mean, median, 5th/95th "
            "percentiles, agreement rate with a 95 % Wilson interval; Sobol indices for "
            "Sobol designs). Results are identical whatever the workers, chunk size, "
            "executor, or resumption."
        ),
    )
    sweep.add_argument(
        "experiment",
        type=Path,
        help="experiment file (YAML), e.g. experiments/omega_commitment.yaml",
    )
    sweep.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="results directory (default: runs/<experiment name>)",
    )
    sweep.add_argument(
        "--workers", type=positive, metavar="N", help="worker processes (default: all cores)"
    )
    sweep.add_argument(
        "--resume", action="store_true", help="keep DIR's finished chunks and run only the rest"
    )
    sweep.add_argument(
        "--executor",
        choices=["inline", "process", "dask"],
        help="where chunks run (default: process pool; inline for one chunk)",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://host:8786 (implies dask)",
    )
    sweep.add_argument(
        "--chunk-size",
        type=positive,
        metavar="RUNS",
        help="runs per task (default: the file's chunk_size, else ~2000, balanced over workers)",
    )
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    sweep.add_argument(
        "--full-tables",
        action="store_true",
        help="print every point (default: a long table shows its extremes; all in DIR/tables/)",
    )
    sweep.add_argument(
        "--json",
        action="store_true",
        help="print the report as one JSON document, every table in full "
        "(fields in docs/command_line.md)",
    )
    sweep.set_defaults(handler=_sweep)


def _sweep(args: argparse.Namespace) -> int:
    import time

    from negosim.sweep import load_experiment, load_sweep, run_sweep
    from negosim.sweep.report import report_and_files
    from negosim.sweep.store import SweepDirectoryError, SweepWriteError

    experiment = load_experiment(readable_file(args.experiment))
    out = args.out or Path("runs") / experiment.spec.name
    started = time.perf_counter()
    try:
        outcome = run_sweep(
            experiment,
            out,
            workers=args.workers,
            executor=args.executor,
            scheduler=args.scheduler,
            resume=args.resume,
            chunk_runs=args.chunk_size,
            progress=not args.no_progress,
            command=args.argv,
        )
    except (SweepDirectoryError, SweepWriteError) as err:  # refused (2); a write failed (1)
        print(f"negosim sweep: {err}", file=sys.stderr)
        return ExitCode.FAILURE if isinstance(err, SweepWriteError) else ExitCode.USAGE
    except KeyboardInterrupt as err:
        status = interrupted(err)
        print(
            f"negosim sweep: {'terminated' if status == ExitCode.TERMINATED else 'interrupted'}"
            f": finished chunks are saved in {out}; run the same command with --resume to "
            "complete it",
            file=sys.stderr,
        )
        return status
    elapsed = time.perf_counter() - started
    if args.json:
        from negosim.commands.sweep_json import text

        print(text(experiment, outcome, load_sweep(out), elapsed), end="")
        return ExitCode.OK
    rate = outcome.runs_run / elapsed if elapsed > 0 else float("nan")
    print(
        f"{experiment.spec.name}: {len(experiment.points)} points × "
        f"{experiment.spec.replicates} replicates; ran {outcome.runs_run} runs in "
        f"{outcome.chunks_run} chunks ({outcome.executor}) in {elapsed:.2f} s "
        f"({rate:,.0f} runs/s); results in {out}\n"
    )
    print(report_and_files(load_sweep(out), experiment.spec.report, full=args.full_tables))
    return ExitCode.OK
