"""``negosim serve [CONFIG]``: the seminar page in a browser, with no network needed.

Binds 127.0.0.1 unless ``--host`` says otherwise (a classroom network is asked for, never
assumed) and prints the page's address and the instructor view's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from negosim.commands.inputs import readable_file
from negosim.commands.types import port
from negosim.exit_codes import ExitCode

DESCRIPTION = """\
Start the seminar page: choose a preset (the scenario files beside CONFIG) or upload one,
move each side's priorities and China's deterrence-spiral slider, step the negotiation
round by round with each response explained, take Japan's or the US's seat, inject events,
compare with the baseline and download the run. Every script, style and font is served by
this process: the page works with no network at all. Each browser tab has its own run."""

EPILOG = """\
examples:
  negosim serve                                   configs/baseline.yaml on 127.0.0.1:8080
  negosim serve configs/classroom_three_issues.yaml --port 9000
  negosim serve --host 0.0.0.0                    reachable from the classroom network

exit status: 130 stopped with Ctrl-C, 143 with SIGTERM; 2 a bad or unreadable CONFIG (its
problems are printed). The whole table: README.md, "Exit status"."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``serve`` and its options."""
    p = subparsers.add_parser(
        "serve",
        help="start the seminar page in a browser (offline; one run per browser tab)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "config",
        nargs="?",
        type=Path,
        default=Path("configs/baseline.yaml"),
        help="the first preset; the other presets are the .yaml files beside it "
        "(default: configs/baseline.yaml)",
    )
    p.add_argument("--port", type=port, default=8080, help="port (default 8080)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Load the presets (a bad CONFIG is a ScenarioError, exit 2) and serve until Ctrl-C."""
    from negosim.seminar.server import serve

    serve(readable_file(args.config), args.host, args.port)
    return ExitCode.OK
