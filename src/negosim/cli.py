"""The ``negosim`` command: run a scenario, validate scenario files, list the registries."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from negosim import __version__

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

    from negosim.commands import compare, levers, listing, plot, report, run, serve, sweep, validate

    # The order of `negosim --help`.
    for command in (run, validate, sweep, plot, report, levers, compare, listing, serve):
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``negosim`` command; returns the exit status."""
    from negosim.scenario import ScenarioError

    args = build_parser().parse_args(argv)
    args.argv = ["negosim", *(sys.argv[1:] if argv is None else argv)]  # recorded with results
    try:
        return args.handler(args)
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
