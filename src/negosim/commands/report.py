"""``negosim report DIR``: one self-contained HTML file of a run's or a sweep's results.

Images are embedded, nothing is fetched when the file is opened, and it prints to PDF from
a browser. Everything is read from the directory's saved files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from negosim.commands.inputs import readable_directory
from negosim.commands.plot import RUN_MARKERS, SWEEP_MARKERS
from negosim.exit_codes import ExitCode

DESCRIPTION = """\
Write one self-contained HTML report of DIR, the output of `negosim run CONFIG --out DIR`
or of `negosim sweep`: where it came from (scenario or experiment and its hash, seeds,
versions, code identity and command), the charts of `negosim plot`, the tables of
outcomes, and for a run the round-by-round account with each decision's reason. The file
embeds its images, needs no network to open and prints well to PDF from a browser."""

EPILOG = """\
examples:
  negosim report out/seed7                      writes out/seed7/report.html
  negosim report runs/omega --out omega.html

exit status: 0 written; 2 a directory that is missing, holds no run's or sweep's output,
or is unreadable (nothing is written then)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``report`` and its options."""
    p = subparsers.add_parser(
        "report",
        help="write a self-contained HTML report of a run's or a sweep's output",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="a run's --out directory or a sweep's")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="the HTML file (default DIR/report.html)"
    )
    p.set_defaults(handler=run_report_command)


def _fail(message: str) -> int:
    print(f"negosim report: {message}", file=sys.stderr)
    return ExitCode.USAGE


def run_report_command(args: argparse.Namespace) -> int:
    """Write the report of ``args.dir`` to ``args.out`` (atomically)."""
    from negosim.plots.run_load import RunDirectoryError
    from negosim.results import atomic_path

    readable_directory(args.dir)
    out = args.out if args.out is not None else args.dir / "report.html"
    try:
        if any((args.dir / marker).exists() for marker in SWEEP_MARKERS):
            from negosim.report.sweep_page import sweep_report

            text = sweep_report(args.dir)
        elif any((args.dir / name).is_file() for name in RUN_MARKERS):
            from negosim.report.run_page import run_report

            text = run_report(args.dir)
        else:
            return _fail(
                f"{args.dir}: holds no run's output (summary.json and rounds.parquet) and no "
                "sweep's (manifest.json, parameters.parquet, runs/)"
            )
    except (RunDirectoryError, FileNotFoundError, ValueError, OSError) as err:
        return _fail(f"{args.dir}: {err}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return ExitCode.OK
