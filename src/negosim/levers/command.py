"""``negosim levers``: load a lever table, measure every lever, write the Markdown.

The parser lives in :mod:`negosim.commands.levers`; this is what the sub-command does,
kept here so the command line module stays a list of commands.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from negosim.exit_codes import ExitCode
from negosim.levers.measure import measure_table
from negosim.levers.provenance import provenance
from negosim.levers.render import render
from negosim.levers.spec import load_levers


def run_levers(args: argparse.Namespace) -> int:
    """Measure ``args.spec`` and write ``args.out`` ('-': standard output); exit status."""
    table = load_levers(args.spec)
    header = table.spec.lever_table
    replicates = args.replicates or header.replicates
    seed = header.seed if args.seed is None else args.seed
    started = time.perf_counter()
    results = measure_table(table, replicates, seed, args.workers)
    elapsed = time.perf_counter() - started
    text = render(table, results, provenance(args, replicates, seed, elapsed, header.scenario))
    if str(args.out) == "-":
        print(text, end="")
        return ExitCode.OK
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    tally = Counter(res.verdict.split(":")[0].split(" (")[0] for res in results)
    print(
        f"{header.name}: {len(table.levers)} levers, {len(results)} rows, {replicates:,} "
        f"pairs each, in {elapsed:.1f} s ("
        + ", ".join(f"{n} {verdict}" for verdict, n in tally.items())
        + f"); wrote {args.out}"
    )
    return ExitCode.OK
