"""The ``negosim`` command: run a scenario, validate scenario files, list the registries."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from negosim import __version__
from negosim.commands import explain

EPILOG = """examples:
  negosim run configs/baseline.yaml                 one replicate, round-by-round account
  negosim run configs/baseline.yaml --seed 7 --out out/run7
  negosim plot out/run7                             charts of a run (or of a sweep's DIR)
  negosim report out/run7                           one self-contained HTML report
  negosim run configs/baseline.yaml --explain --round 6   why round 6 ended as it did
  negosim sweep experiments/omega_commitment.yaml    a parameter sweep, results in runs/
  negosim levers                                     the lever table: docs/levers.md
  negosim compare runs/a runs/b                      two sweeps side by side
  negosim validate configs/*.yaml                    check scenario files
  negosim list                                       concession styles, China rules, events
  negosim list columns configs/baseline.yaml         every output column, unit and meaning
  negosim serve                                      the seminar page on 127.0.0.1:8080
"""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 1, got {text}")
    return value


def _pairs(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"must be a whole number ≥ 2 (an interval needs two pairs), got {text}"
        )
    return value


def _seed(text: str) -> int:
    value = int(text)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be a whole number in [0, 2^63), got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a help text for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="negosim",
        description=(
            "Agent-based simulator of Japan-US alliance negotiations: security guarantees, "
            "tariffs, defense budget and investment, with Japan's domestic politics, a "
            "transactional US, China's reactions and market moves."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"negosim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser(
        "run",
        help="run one replicate of a scenario and print a round-by-round account",
        description=(
            "Run one replicate of CONFIG and print, per round, the offer (every issue with "
            "units), the response and its binding reason, China's coercion level and "
            "observables, Japan's approval and win-set, reversals, events and markets; "
            "then a summary with the bargaining benchmarks."
        ),
    )
    run.add_argument("config", type=Path, help="scenario file (YAML), e.g. configs/baseline.yaml")
    run.add_argument("--seed", type=_seed, help="replicate seed (default: the file's seed)")
    run.add_argument("--rounds", type=_positive, help="months to simulate (default: the file's)")
    run.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write DIR/rounds.parquet (or .csv) and DIR/summary.json",
    )
    run.add_argument("--quiet", action="store_true", help="print only the summary")
    explain.add_run_options(run)

    validate = sub.add_parser(
        "validate",
        help="check scenario files; exit 0 if all are valid",
        description=(
            "Check each scenario file. Prints one line per problem: file, line, field path, "
            "what was given and what is allowed. Exit status 0 when every file is valid, 1 "
            "otherwise."
        ),
    )
    validate.add_argument("configs", type=Path, nargs="+", metavar="CONFIG")

    sweep = sub.add_parser(
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
        "--workers", type=_positive, metavar="N", help="worker processes (default: all cores)"
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
        type=_positive,
        metavar="RUNS",
        help="runs per task (default: the file's chunk_size, else ~2000, balanced over workers)",
    )
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    sweep.add_argument(
        "--full-tables",
        action="store_true",
        help="print every point (default: a long table shows its extremes; all in DIR/tables/)",
    )

    from negosim.commands import plot, report

    plot.add_parser(sub)
    report.add_parser(sub)

    levers = sub.add_parser(
        "levers",
        help="measure what each lever of a lever table moves and write docs/levers.md",
        description=(
            "Run both settings (low, high) of every lever in SPEC on the same replicate "
            "seeds (common random numbers), measure each outcome's paired difference high - "
            "low with a 95 %% t interval, compare it with the direction the cited theory "
            "predicts, and write the table as Markdown."
        ),
    )
    levers.add_argument(
        "spec",
        nargs="?",
        type=Path,
        default=Path("experiments/levers.yaml"),
        help="lever table file (default: experiments/levers.yaml)",
    )
    levers.add_argument(
        "--replicates",
        type=_pairs,
        metavar="N",
        help="pairs of runs per lever (default: the file's replicates)",
    )
    levers.add_argument(
        "--out",
        type=Path,
        default=Path("docs/levers.md"),
        metavar="FILE",
        help="Markdown file to write (default: docs/levers.md; '-' prints it)",
    )
    levers.add_argument("--seed", type=_seed, help="master seed (default: the file's)")
    levers.add_argument(
        "--workers", type=_positive, default=1, metavar="W", help="worker processes (default 1)"
    )

    from negosim.commands import compare

    compare.add_parser(sub)

    listing = sub.add_parser(
        "list",
        help="list concession styles, China reaction rules, event kinds, or output columns",
        description=(
            "What a scenario file can name in concession.style, china.rule, events; with "
            "'columns', every column a run records (unit, meaning, labels, what missing "
            "means), expanded for CONFIG's issues, or as the Markdown of docs/columns.md."
        ),
    )
    listing.add_argument(
        "what", nargs="?", choices=["columns"], help="'columns': the declared output columns"
    )
    listing.add_argument(
        "config",
        nargs="?",
        type=Path,
        help="scenario whose columns to list (default: configs/baseline.yaml if present)",
    )
    listing.add_argument(
        "--markdown", action="store_true", help="with 'columns': print docs/columns.md"
    )
    from negosim.commands import serve

    serve.add_parser(sub)
    return parser


def _run(args: argparse.Namespace) -> int:
    from negosim.account import account, summary_lines
    from negosim.columns import declared_for
    from negosim.model import NegotiationModel
    from negosim.outcome_space import outcome_spaces
    from negosim.outcomes import round_table, summarize
    from negosim.results import check_run_out, run_directory, write_summary_json, write_table
    from negosim.scenario import load_scenario

    scenario = load_scenario(args.config)
    seed = args.seed if args.seed is not None else scenario.spec.seed
    if (refused := explain.refuse(args, scenario.spec.protocol.rounds)) is not None:
        return refused
    check_run_out(args.out)  # before the run; written whole after it, or not at all
    model = NegotiationModel(scenario, seeds=[seed], rounds=args.rounds).run()
    summary = summarize(model)
    story = account(model, summary)
    if explain.wanted(args):
        print(explain.output(args, model, summary), end="")
    elif args.quiet:
        print("\n".join(summary_lines(model, summary, 0)))
    else:
        print(story, end="")
    if args.out is not None:
        with run_directory(args.out, args.argv) as tmp:
            table = write_table(round_table(model), tmp / "rounds", declared_for(model, "round"))
            path = write_summary_json(
                tmp / "summary.json",
                scenario,
                [seed],
                model.rounds,
                summary,
                table,
                declared_for(model, "run"),
                outcome_spaces(model),
                command=args.argv,
                account=[story],
            )
        explain.wrote(args, model, args.out / table.name, args.out / path.name)
    return 0


def _sweep(args: argparse.Namespace) -> int:
    import time

    from negosim.sweep import load_experiment, load_sweep, run_sweep
    from negosim.sweep.report import report_and_files
    from negosim.sweep.store import SweepDirectoryError, SweepWriteError

    experiment = load_experiment(args.experiment)
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
        return 1 if isinstance(err, SweepWriteError) else 2
    except KeyboardInterrupt:
        print(
            f"interrupted: finished chunks are saved in {out}; run the same command with "
            "--resume to complete it",
            file=sys.stderr,
        )
        return 130
    elapsed = time.perf_counter() - started
    rate = outcome.runs_run / elapsed if elapsed > 0 else float("nan")
    print(
        f"{experiment.spec.name}: {len(experiment.points)} points × "
        f"{experiment.spec.replicates} replicates; ran {outcome.runs_run} runs in "
        f"{outcome.chunks_run} chunks ({outcome.executor}) in {elapsed:.2f} s "
        f"({rate:,.0f} runs/s); results in {out}\n"
    )
    print(report_and_files(load_sweep(out), experiment.spec.report, full=args.full_tables))
    return 0


def _levers(args: argparse.Namespace) -> int:
    from negosim.levers.command import run_levers

    return run_levers(args)


def _validate(args: argparse.Namespace) -> int:
    from negosim.scenario import validate_file

    failed = 0
    for config in args.configs:
        problems = validate_file(config)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            failed += 1
            print(f"{config}: {len(problems)} problem(s)", file=sys.stderr)
        else:
            print(f"{config}: ok")
    return 1 if failed else 0


def _list_columns(args: argparse.Namespace) -> int:
    from negosim.columns import declared
    from negosim.columns.markdown import listing, markdown
    from negosim.scenario import load_scenario

    if args.markdown:
        print(markdown(), end="")
        return 0
    config = args.config or Path("configs/baseline.yaml")
    if args.config is None and not config.exists():
        print("negosim list columns: name a scenario file, e.g. configs/baseline.yaml")
        return 2
    print(f"columns recorded by runs of {config} (docs/columns.md explains each):")
    print(listing(declared(load_scenario(config))), end="")
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.what == "columns":
        return _list_columns(args)

    from negosim.core.china_rules import CHINA_RULES
    from negosim.core.concession import CONCESSION_STYLES
    from negosim.core.events import EVENT_KINDS

    for registry in (CONCESSION_STYLES, CHINA_RULES, EVENT_KINDS):
        print(f"{registry.kind}s ({registry.field}):")
        for entry in registry.values():
            print(f"  {entry.name:<17} {entry.summary()}")
            details = ", ".join(f"{k}: {v}" for k, v in entry.properties().items())
            fields = entry.Parameters.model_fields
            if fields:
                details += "; parameters: " + ", ".join(
                    f"{name}={field.default!r}" for name, field in fields.items()
                )
            if entry.reads:
                details += "; reads " + ", ".join(entry.reads)
            print(f"  {'':<17} [{details}] {entry.citation}")
    print("output columns: negosim list columns [CONFIG]")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``negosim`` command; returns the exit status."""
    from negosim.scenario import ScenarioError

    args = build_parser().parse_args(argv)
    args.argv = ["negosim", *(sys.argv[1:] if argv is None else argv)]  # recorded with results
    handlers = {
        "run": _run,
        "sweep": _sweep,
        "levers": _levers,
        "validate": _validate,
        "list": _list,
    }
    try:
        return handlers.get(args.command, getattr(args, "handler", None))(args)
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return 2
    except OSError as err:
        print(f"negosim: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
