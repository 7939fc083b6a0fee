"""``negosim validate CONFIG...``: check scenario files, one line per problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``validate`` and its arguments."""
    validate = subparsers.add_parser(
        "validate",
        help="check scenario files; exit 0 if all are valid",
        description=(
            "Check each scenario file. Prints one line per problem: file, line, field path, "
            "what was given and what is allowed. Exit status 0 when every file is valid, 1 "
            "otherwise."
        ),
    )
    validate.add_argument("configs", type=Path, nargs="+", metavar="CONFIG")
    validate.set_defaults(handler=_validate)


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
