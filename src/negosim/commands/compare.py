"""``negosim compare DIR_A DIR_B``: two sweeps side by side, in the terminal and in files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from negosim.commands.inputs import readable_directory
from negosim.commands.types import row_count
from negosim.exit_codes import ExitCode

DESCRIPTION = """\
Compare the runs of two sweeps (or chosen points of them), outcome by outcome and point by
point: B - A differences in means and rates with 95 % intervals, a two-sample test with an
effect size, Benjamini-Hochberg adjustment over every row, and a ranked table of what
differs most. Runs that share seeds (the same master seed and design, or common random
numbers) on one base scenario are compared as matched pairs, and the output says so.
Points are matched by the values of the parameters both designs vary; choose points with
--a-point/--b-point (e.g. --a-point china.omega=0 --b-point china.omega=1 on one sweep).
Writes OUT/comparison.csv, comparison.md, comparison.json and OUT/figures/."""

EPILOG = """\
examples:
  negosim compare runs/threat_low runs/threat_high
  negosim compare runs/omega runs/omega --a-point china.omega=0 --b-point china.omega=1
  negosim compare runs/a runs/b --point point=3 --outcomes deal_reached,final_tariff

exit status: 0 compared (also for a partial sweep, with a warning); 2 a directory that is
missing, not a sweep, of another format or without finished runs, or a selection, outcome
or --out that names nothing usable; 3 sweeps that cannot be compared (no shared outcome,
no design point in common, --paired refused). See docs/compare.md."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``compare`` and its options."""
    p = subparsers.add_parser(
        "compare",
        help="compare two sweeps: differences, tests, effect sizes, figures",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir_a", type=Path, metavar="DIR_A", help="sweep results directory (A)")
    p.add_argument("dir_b", type=Path, metavar="DIR_B", help="sweep results directory (B)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="OUT",
        help="directory for the files (default: runs/compare-<A>-vs-<B>)",
    )
    for flag, side in (("--a-point", "A"), ("--b-point", "B"), ("--point", "both sides")):
        p.add_argument(
            flag,
            action="append",
            metavar="PATH=VALUE[,...]",
            help=f"choose the design points of {side} by parameter values (or point=N); "
            "repeatable" + ("; --a-point/--b-point add to it" if side == "both sides" else ""),
        )
    p.add_argument(
        "--outcomes",
        metavar="NAME[,...]",
        help="compare only these per-run columns (default: every shared outcome)",
    )
    p.add_argument(
        "--pool",
        action="store_true",
        help="compare several points' runs together where points cannot be matched one to one",
    )
    pairing = p.add_mutually_exclusive_group()
    pairing.add_argument(
        "--paired",
        action="store_true",
        help="insist on a paired comparison (refused unless the runs share seeds on one "
        "base scenario); default: paired exactly when they do",
    )
    pairing.add_argument(
        "--unpaired", action="store_true", help="analyse the runs as independent samples"
    )
    p.add_argument(
        "--top",
        type=row_count,
        default=15,
        metavar="N",
        help="rows of the ranked table printed (default 15; 0: all); the files hold all",
    )
    p.add_argument(
        "--format",
        action="append",
        choices=["png", "svg", "pdf"],
        help="figure format (default png; repeat for several)",
    )
    p.add_argument("--no-figures", action="store_true", help="write the tables only")
    p.add_argument(
        "--report",
        nargs="?",
        const=True,
        metavar="FILE",
        help="also write a self-contained HTML report (default OUT/report.html)",
    )
    p.add_argument("--a-label", metavar="TEXT", help="A's name in legends (default: experiment)")
    p.add_argument("--b-label", metavar="TEXT", help="B's name in legends (default: experiment)")
    p.set_defaults(handler=run_compare)


def _selection(args: argparse.Namespace, own: list[str] | None, option: str) -> dict:
    from negosim.compare.sides import parse_selection

    both = parse_selection(args.point, "--point")
    return {**both, **parse_selection(own, option)}


def run_compare(args: argparse.Namespace) -> int:
    """Compare, print the short table, write the files; the exit status."""
    from negosim.compare import CompareError, compare, write_comparison
    from negosim.compare.render import terminal

    readable_directory(args.dir_a)
    readable_directory(args.dir_b)
    started = time.perf_counter()
    try:
        comparison = compare(
            args.dir_a,
            args.dir_b,
            a_point=_selection(args, args.a_point, "--a-point"),
            b_point=_selection(args, args.b_point, "--b-point"),
            outcomes=[o.strip() for o in args.outcomes.split(",")] if args.outcomes else None,
            pool=args.pool,
            paired=True if args.paired else False if args.unpaired else None,
            labels=(args.a_label, args.b_label),
        )
        out = args.out or Path("runs") / (
            f"compare-{comparison.a.experiment}-vs-{comparison.b.experiment}"
        )
        files = write_comparison(
            comparison,
            out,
            formats=args.format or ["png"],
            figures=not args.no_figures,
            command=["negosim", *sys.argv[1:]] if sys.argv[0].endswith("negosim") else None,
        )
    except CompareError as err:
        print(f"negosim compare: {err}", file=sys.stderr)
        return ExitCode(err.exit_code)
    figures = sum(1 for f in files if f.parent.name == "figures")
    where = (
        f"full table: {out / 'comparison.csv'} and {out / 'comparison.md'}"
        + (f"; {figures} figures in {out / 'figures'}" if figures else "")
        + f" ({time.perf_counter() - started:.1f} s)"
    )
    print(terminal(comparison, top=args.top, files=where))
    if args.report:
        from negosim.report.compare_page import compare_report
        from negosim.results import atomic_path

        report = out / "report.html" if args.report is True else Path(args.report)
        with atomic_path(report) as tmp:
            tmp.write_text(compare_report(out), encoding="utf-8")
        print(f"wrote {report}")
    return ExitCode.OK
