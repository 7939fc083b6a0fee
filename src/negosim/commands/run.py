"""``negosim run CONFIG``: one replicate of a scenario, its round-by-round account."""

from __future__ import annotations

import argparse
from pathlib import Path

from negosim.commands import explain, run_json
from negosim.commands.inputs import readable_file
from negosim.commands.types import positive, seed
from negosim.exit_codes import ExitCode


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``run`` and its options."""
    run = subparsers.add_parser(
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
    run.add_argument("--seed", type=seed, help="replicate seed (default: the file's seed)")
    run.add_argument("--rounds", type=positive, help="months to simulate (default: the file's)")
    run.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write DIR/rounds.parquet (or .csv) and DIR/summary.json",
    )
    run.add_argument("--quiet", action="store_true", help="print only the summary")
    explain.add_run_options(run)
    run.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from negosim.account import account, summary_lines
    from negosim.columns import declared_for
    from negosim.model import NegotiationModel
    from negosim.outcome_space import outcome_spaces
    from negosim.outcomes import round_table, summarize
    from negosim.results import check_run_out, run_directory, write_summary_json, write_table
    from negosim.scenario import load_scenario

    scenario = load_scenario(readable_file(args.config))
    seed = args.seed if args.seed is not None else scenario.spec.seed
    if (refused := explain.refuse(args, scenario.spec.protocol.rounds)) is not None:
        return refused
    check_run_out(args.out)  # before the run; written whole after it, or not at all
    model = NegotiationModel(scenario, seeds=[seed], rounds=args.rounds).run()
    summary = summarize(model)
    story = account(model, summary)
    if explain.wanted(args):
        print(explain.output(args, model, summary), end="")
    elif args.json:
        print(run_json.text(scenario, model, summary, args.out), end="")
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
    return ExitCode.OK
