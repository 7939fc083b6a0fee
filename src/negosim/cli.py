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
    """Entry point of the ``negosim`` command; returns the exit status (negosim.exit_codes).

    Every command's errors end here in the same words and status: an input that cannot be
    read or a bad file, 2; a failure while working (a disk error), 1; Ctrl-C 130, SIGTERM 143
    (after the same clean-up); a closed standard output, 141, quietly.
    """
    from negosim.commands.inputs import InputError
    from negosim.commands.unix import sigterm_as_interrupt, silence_stdout
    from negosim.exit_codes import ExitCode, interrupted
    from negosim.scenario import ScenarioError

    name = "negosim"
    with sigterm_as_interrupt():
        try:
            args = build_parser().parse_args(argv)
            name = _command_name(args)
            args.argv = ["negosim", *(sys.argv[1:] if argv is None else argv)]  # recorded
            status = int(args.handler(args))
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return status
        except InputError as err:
            print(f"{name}: {err}", file=sys.stderr)
            return ExitCode.USAGE
        except ScenarioError as err:
            print(err, file=sys.stderr)
            return ExitCode.USAGE
        except BrokenPipeError:
            silence_stdout()
            return ExitCode.BROKEN_PIPE
        except OSError as err:
            print(f"{name}: {_os_failure(err)}", file=sys.stderr)
            return ExitCode.FAILURE
        except KeyboardInterrupt as err:
            status = interrupted(err)
            word = "terminated" if status == ExitCode.TERMINATED else "interrupted"
            print(f"{name}: {word}", file=sys.stderr)
            return status


def _command_name(args: argparse.Namespace) -> str:
    """How messages name the command: ``negosim run``, ``negosim list columns``."""
    second = getattr(args, "what", None)
    return f"negosim {args.command}" + (f" {second}" if isinstance(second, str) else "")


def _os_failure(err: OSError) -> str:
    """'out/x.parquet: No space left on device': the file and the system's reason."""
    reason = err.strerror or str(err)
    return f"{err.filename}: {reason}" if err.filename else reason


if __name__ == "__main__":
    sys.exit(main())
