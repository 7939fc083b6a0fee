"""How fast is negosim, and how much memory does a batch of replicates take?

What it measures, on ``configs/baseline.yaml`` with 12 rounds:

1. **Whole process.** Wall time of ``negosim run configs/baseline.yaml`` (the installed
   console script, stdout to /dev/null), start-up included: what a user waits for at the
   command line. For context, the wall time of ``python -c "import negosim.model"`` and of
   a bare ``python -c pass``, and the five heaviest top-level packages reported by
   ``python -X importtime``.
2. **Throughput in one process.** Replicates per second for batches of 1, 100, 1,000 and
   10,000 seeds (``seeds=range(n)``): ``NegotiationModel(scenario, seeds=...).run()``
   alone ("model") and followed by ``summarize(model)`` ("model + summarize"). The
   scenario is loaded once beforehand and one 1-replicate run warms the process up, so
   these figures exclude import and first-call costs.
3. **Peak memory per batch size,** each size in a fresh subprocess: ``ru_maxrss`` after
   model + summarize, absolute and minus the peak after the imports and the scenario load.
   ``ru_maxrss`` is a high-water mark, and importing mesa (pandas, scipy) peaks high, so
   the resident memory still held with model and summary alive is reported as well. Then
   the tracemalloc peak of a second, traced run (numpy reports its array buffers to
   tracemalloc, so this is numpy data plus Python objects).

Why: the product owner expects thousands of replicates per second for large batches, and
start-up decides how a single ``negosim run`` feels. The machine is shared and noisy, so
every timing is repeated and reported as median (typical) and min (least disturbed), with
CPU time alongside wall time (wall well above CPU means the machine was busy), and the
machine (CPU count, load average, Python, numpy) is printed with the figures.

Usage (from the project root)::

    .venv/bin/python benchmarks/run_speed.py                # full run, a few minutes
    .venv/bin/python benchmarks/run_speed.py --quick        # 3 repeats, no 10,000 batch
    .venv/bin/python benchmarks/run_speed.py --json out/speed.json
    .venv/bin/python benchmarks/run_speed.py --profile 10000   # also cProfile one batch

This is a script that prints figures, not a test: it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import (
    CONFIG,
    MB,
    ROOT,
    ROUNDS,
    Json,
    current_rss_bytes,
    fmt_s,
    load_average,
    machine_info,
    maxrss_bytes,
    negosim_executable,
    print_machine,
    print_profile_tables,
    profile_stats,
    ranked_rows,
    source_fingerprint,
    summary_of,
    time_process,
    write_json,
)

SIZES = (1, 100, 1_000, 10_000)
QUICK_SIZES = (1, 100, 1_000)
EXPECTED_RATE = 1_000.0  # "thousands of replicates per second for large batches"


# -- 1. whole process ----------------------------------------------------------------------
def import_time_top(count: int) -> list[Json]:
    """The heaviest top-level packages by cumulative import time (``-X importtime``, one run).

    Each module is imported once, so a top-level package's line (``pandas``, not
    ``pandas.core``) carries its full cost wherever it sits in the tree; costs nest (mesa's
    figure includes the pandas and scipy it imports).
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import negosim.model"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    pattern = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")
    rows = []
    for line in done.stderr.splitlines():
        match = pattern.match(line)
        if match and "." not in match[4]:
            rows.append(
                {
                    "module": match[4],
                    "cumulative_ms": int(match[2]) / 1000.0,
                    "self_ms": int(match[1]) / 1000.0,
                    "depth": len(match[3]) // 2,
                }
            )
    rows.sort(key=lambda row: row["cumulative_ms"], reverse=True)
    return [row for row in rows if row["module"] != "negosim"][:count]


# -- 2. throughput in one process ------------------------------------------------------------
def run_batch(scenario: Any, n: int) -> tuple[Any, Any, float, float]:
    """One batch of ``n`` replicates: (model, summary, model seconds, total seconds)."""
    from negosim.model import NegotiationModel
    from negosim.outcomes import summarize

    start = time.perf_counter()
    model = NegotiationModel(scenario, seeds=range(n), rounds=ROUNDS).run()
    ran = time.perf_counter()
    summary = summarize(model)
    done = time.perf_counter()
    return model, summary, ran - start, done - start


def rates(n: int, seconds: Json) -> Json:
    """Replicates per second at the median and at the best (min) time."""
    return {"median": n / seconds["median"], "best": n / seconds["min"]}


def time_batches(sizes: Sequence[int], repeats: int) -> list[Json]:
    """Replicates per second for each batch size, in this process, after a warm-up."""
    from negosim.scenario import load_scenario

    start = time.perf_counter()
    scenario = load_scenario(CONFIG)
    load_s = time.perf_counter() - start
    run_batch(scenario, 1)  # warm-up: lazy imports, caches, first-call costs
    results = []
    for n in sizes:
        model_s, total_s, cpu_s = [], [], []
        for _ in range(repeats):
            gc.collect()
            cpu0 = time.process_time()
            _, _, model_time, total_time = run_batch(scenario, n)
            cpu_s.append(time.process_time() - cpu0)
            model_s.append(model_time)
            total_s.append(total_time)
        model, total = summary_of(model_s), summary_of(total_s)
        results.append(
            {
                "replicates": n,
                "load_scenario_s": load_s,
                "model_s": model,
                "model_summarize_s": total,
                "model_summarize_cpu_s": summary_of(cpu_s),
                "rate_model": rates(n, model),
                "rate_model_summarize": rates(n, total),
            }
        )
    return results


# -- 3. peak memory, one fresh process per size --------------------------------------------
def memory_child(n: int, traced: bool) -> Json:
    """Run in a fresh process: peak RSS of one batch, then (optionally) a traced batch."""
    # On Linux a process's ru_maxrss survives exec and starts from the parent's high-water
    # mark at fork/vfork time, so the parent launches these children while it is still
    # small (stdlib only); this records what the child inherited, as a check.
    at_start = maxrss_bytes()
    import negosim.model
    import negosim.outcomes
    from negosim.scenario import load_scenario

    del negosim  # imported for its start-up cost only
    scenario = load_scenario(CONFIG)
    gc.collect()
    baseline, held_before = maxrss_bytes(), current_rss_bytes()
    model, summary, _, total_s = run_batch(scenario, n)
    peak, held_after = maxrss_bytes(), current_rss_bytes()
    result: Json = {
        "replicates": n,
        "rss_peak_at_start_mb": at_start / MB,
        "baseline_rss_mb": baseline / MB,
        "peak_rss_mb": peak / MB,
        "delta_rss_mb": (peak - baseline) / MB,
        "run_s": total_s,
    }
    if held_before is not None and held_after is not None:
        # ru_maxrss is a high-water mark: if the imports peaked higher than the batch, the
        # delta above is 0. The current RSS with model and summary alive shows what is held.
        result.update(
            rss_before_mb=held_before / MB,
            rss_after_mb=held_after / MB,
            held_delta_mb=(held_after - held_before) / MB,
        )
    if traced:
        del model, summary
        gc.collect()
        tracemalloc.start()
        _, _, _, traced_s = run_batch(scenario, n)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result.update(tracemalloc_peak_mb=traced_peak / MB, tracemalloc_run_s=traced_s)
    return result


def measure_memory(sizes: Sequence[int], traced: bool) -> list[Json]:
    """Peak memory of each batch size, each in a fresh subprocess of this script."""
    results = []
    for n in sizes:
        command = [sys.executable, str(Path(__file__).resolve()), "--memory-child", str(n)]
        if not traced:
            command.append("--no-tracemalloc")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"memory child for n={n} failed:\n{done.stderr}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


# -- profile -------------------------------------------------------------------------------
def profile_batch(n: int, top: int) -> Json:
    """cProfile one batch of ``n`` replicates (model + summarize); top functions by
    cumulative and by own time.
    """
    from negosim.scenario import load_scenario

    scenario = load_scenario(CONFIG)
    run_batch(scenario, 1)
    profiler = cProfile.Profile()
    profiler.enable()
    run_batch(scenario, n)
    profiler.disable()
    stats = profile_stats(profiler)
    return {
        "replicates": n,
        "total_s": sum(row[2] for row in stats.values()),
        **ranked_rows(stats, top, leave_out=str(Path(__file__).resolve())),
    }


# -- output --------------------------------------------------------------------------------
def print_report(report: Json) -> None:
    """The compact table."""
    m = report["machine"]
    print(f"negosim speed benchmark, {m['date']}  ({report['settings']['mode']} mode)")
    print_machine(m, report["code"])
    print(
        f"load average (1/5/15 min): start {m['load_average_start']}, "
        f"end {report['load_average_end']}"
    )
    reps = report["settings"]
    print(
        f"scenario: {reps['config']}, {ROUNDS} rounds; figures are median / min of "
        f"{reps['process_repeats']} (whole process) and {reps['batch_repeats']} (batches) "
        "repeats"
    )

    print(
        "\n1. Whole process (start-up included)             wall median     wall min   cpu median"
    )
    for label, key in (
        ("negosim run configs/baseline.yaml", "cli"),
        ('python -c "import negosim.model"', "import"),
        ("python -c pass", "bare_python"),
    ):
        row = report["process"][key]
        print(
            f"   {label:<44}{fmt_s(row['wall_s']['median']):>12} {fmt_s(row['wall_s']['min']):>12}"
            f" {fmt_s(row['cpu_s']['median']):>12}"
        )
    if report.get("import_top"):
        print("   heaviest imports (-X importtime, one run, cumulative; costs nest):")
        print(
            "     "
            + ", ".join(
                f"{row['module']} {row['cumulative_ms']:.0f} ms" for row in report["import_top"]
            )
        )

    print(f"\n2. One process, seeds range(n), {ROUNDS} rounds (after a 1-replicate warm-up)")
    print(
        "   replicates |  model: median     min   rep/s med   best"
        " | + summarize: median     min   rep/s med   best"
    )
    for row in report["batches"]:
        mo, to = row["model_s"], row["model_summarize_s"]
        rm, rt = row["rate_model"], row["rate_model_summarize"]
        print(
            f"   {row['replicates']:>10,} | {fmt_s(mo['median']):>14} {fmt_s(mo['min']):>9}"
            f" {rm['median']:>9,.0f} {rm['best']:>7,.0f}"
            f" | {fmt_s(to['median']):>20} {fmt_s(to['min']):>9}"
            f" {rt['median']:>9,.0f} {rt['best']:>7,.0f}"
        )
    largest = report["batches"][-1]
    rate = largest["rate_model_summarize"]["median"]
    verdict = "meets" if rate >= EXPECTED_RATE else "BELOW"
    print(
        f"   largest batch ({largest['replicates']:,}): {rate:,.0f} replicates/s (median, "
        f"model + summarize) -> {verdict} the expected thousands per second"
    )

    print("\n3. Peak memory, fresh process per size (MB; 1 MB = 2^20 bytes)")
    print("   replicates | baseline peak RSS  peak RSS  delta | held delta | tracemalloc peak")
    for row in report["memory"]:
        traced = (
            f"{row['tracemalloc_peak_mb']:>10.1f}" if "tracemalloc_peak_mb" in row else "         -"
        )
        held = f"{row['held_delta_mb']:>10.1f}" if "held_delta_mb" in row else "         -"
        print(
            f"   {row['replicates']:>10,} | {row['baseline_rss_mb']:>17.1f} "
            f"{row['peak_rss_mb']:>9.1f} {row['delta_rss_mb']:>6.1f} | {held} | {traced}"
        )

    inherited = max(row["rss_peak_at_start_mb"] for row in report["memory"])
    print(
        f"   (ru_maxrss of each child before its imports: <= {inherited:.1f} MB; higher would "
        "mean it inherited the parent's)"
    )

    if report.get("profile"):
        prof = report["profile"]
        print(
            f"\n4. cProfile of one {prof['replicates']:,}-replicate batch (model + summarize; "
            f"profiled total {prof['total_s']:.2f} s, inflated by profiling)"
        )
        print_profile_tables(prof)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 repeats instead of 5, and skip the 10,000-replicate batch",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the figures here")
    parser.add_argument("--repeats", type=int, help="override the number of repeats")
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="skip the traced run in the memory measurement",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="also cProfile one batch of N replicates (e.g. 10000)",
    )
    parser.add_argument("--top", type=int, default=10, help="rows of the profile (default 10)")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table, optionally save JSON."""
    args = parse_args(argv)
    if args.memory_child is not None:
        print(json.dumps(memory_child(args.memory_child, not args.no_tracemalloc)))
        return 0

    repeats = args.repeats or (3 if args.quick else 5)
    sizes = QUICK_SIZES if args.quick else SIZES
    python = sys.executable
    print("measuring ... (memory, whole process, imports, batches)", file=sys.stderr)
    # Memory first, while this process has imported nothing heavy (see memory_child).
    memory = measure_memory(sizes, traced=not args.no_tracemalloc)
    report: Json = {
        "machine": machine_info(),
        "code": source_fingerprint(),
        "settings": {
            "mode": "quick" if args.quick else "full",
            "config": str(CONFIG.relative_to(ROOT)),
            "rounds": ROUNDS,
            "sizes": list(sizes),
            "process_repeats": repeats,
            "batch_repeats": repeats,
        },
    }
    report["process"] = {
        "cli": time_process([str(negosim_executable()), "run", str(CONFIG)], repeats),
        "import": time_process([python, "-c", "import negosim.model"], repeats),
        "bare_python": time_process([python, "-c", "pass"], repeats),
    }
    report["import_top"] = import_time_top(5)
    report["memory"] = memory
    report["batches"] = time_batches(sizes, repeats)
    if args.profile:
        report["profile"] = profile_batch(args.profile, args.top)
    report["load_average_end"] = load_average()

    print_report(report)
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
