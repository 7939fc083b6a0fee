"""``negosim levers [SPEC]``: the parser of the lever-table command (the work: levers.command)."""

from __future__ import annotations

import argparse
from pathlib import Path

from negosim.commands.inputs import readable_file
from negosim.commands.types import pairs, positive, seed


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``levers`` and its options."""
    levers = subparsers.add_parser(
        "levers",
        help="measure what each lever of a lever table moves and write docs/levers.md",
        description=(
            "Run both settings (low, high) of every lever in SPEC on the same replicate "
            "seeds (common random numbers), measure each outcome's paired difference high - "
            "low with a 95 % t interval, compare it with the direction the cited theory "
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
        type=pairs,
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
    levers.add_argument("--seed", type=seed, help="master seed (default: the file's)")
    levers.add_argument(
        "--workers", type=positive, default=1, metavar="W", help="worker processes (default 1)"
    )
    levers.set_defaults(handler=_levers)


def _levers(args: argparse.Namespace) -> int:
    from negosim.levers.command import run_levers

    readable_file(args.spec)
    return run_levers(args)
