"""How fast is a negosim sweep, side by side with mesa.batch_run on the same model and grid?

What it measures, on ``experiments/bench_grid.yaml`` (the baseline, 12 rounds, a 20-point
grid of ``china.omega`` × ``agents.us.tariff_threat.probability``, 500 replicates each:
10,000 runs, the per-run table and four per-round columns kept as Parquet):

1. **negosim, sweep alone.** ``run_sweep`` in a warm process (the experiment loaded and one
   untimed sweep run first), with a process pool of 1 and of 2 workers, and inline in the
   driver for context: wall time, runs per second, the driver's CPU and the workers' CPU.
   The runs table of every setting is hashed: the results must not depend on it.
2. **negosim, whole command.** ``negosim sweep experiments/bench_grid.yaml --workers N
   --no-progress`` as a subprocess, start-up and the printed report included, and the
   phases of the same work timed in one fresh process (start-up, imports, loading the
   experiment, the sweep, the report).
3. **Peak memory of the process tree** (driver + workers), one extra run of each: the tree
   is sampled every 50 ms with psutil (sum of RSS, which counts pages a forked worker
   shares with the driver once per process, and sum of PSS, which splits shared pages
   fairly), plus ``ru_maxrss`` of the driver and of its largest worker from getrusage.
4. **mesa.batch_run** on the same model and grid, one replicate per model (how Mesa users
   sweep): a thin adapter (``sweep_mesa.MesaNegotiationModel``, a ``NegotiationModel``
   subclass taking ``omega``, ``threat_probability`` and ``rng``; batch_run reads the
   outcome from NegotiationModel's own ``datacollector`` view) run for about a minute
   with 1 and with 2 processes. Then the check that both paths give the same outcome for
   the same model and seed.
5. **Ratios and goals:** negosim's runs per second over batch_run's, and whether the
   product owner's goals are met: 10,000 baseline runs in under 2 s wall on this 2-core
   machine, and at least 100 times the runs per second of batch_run.

The machinery shared with ``run_speed.py`` is in ``common.py``; the children's work in
``sweep_children.py`` (negosim) and ``sweep_mesa.py`` (batch_run); the printed tables in
``sweep_report.py``. Every heavy step runs in a child process of this script; the parent
imports nothing heavy until the end, so it does not disturb the children's ``ru_maxrss``
(Linux starts a child's high-water mark from its parent's). Output directories go under a
temporary directory and are deleted. The machine is shared and noisy: timings are repeated
and reported as median (typical) and min (least disturbed), with CPU time beside wall time
and, as "others", the cores other processes on the machine used meanwhile (from
/proc/stat). The code's commit and a hash of src/negosim are taken at the start and at the
end, and a change is flagged.

batch_run is called with ``rng=[seed, ...]``: in mesa 3.5 ``iterations=k`` is deprecated
and means ``rng=[None] * k`` (unseeded); explicit seeds cost the same and make the runs
comparable with negosim's.

Usage (from the project root)::

    .venv/bin/python benchmarks/sweep_speed.py              # full, about 3 minutes
    .venv/bin/python benchmarks/sweep_speed.py --quick      # 3 repeats, 10 s of batch_run
    .venv/bin/python benchmarks/sweep_speed.py --json out/sweep_speed.json
    .venv/bin/python benchmarks/sweep_speed.py --profile    # also: where a sweep's time goes

This is a script that prints figures, not a test: it asserts nothing about speed (it
does exit with status 1 if the two paths disagree on an outcome).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from common import (
    EXPERIMENT,
    GOAL_RATIO,
    GOAL_WALL_S,
    ROOT,
    Json,
    TreeSampler,
    load_average,
    machine_info,
    run_child,
    run_timed,
    source_fingerprint,
    summary_of,
    sweep_command,
    write_json,
)
from sweep_report import print_report

SWEEP_SETTINGS = (("process", 1), ("process", 2), ("inline", 1))


# -- the parent: orchestration ---------------------------------------------------------------
def time_cli(workers: int, repeats: int, tmp: Path) -> Json:
    """``negosim sweep`` as a subprocess: one untimed run, then ``repeats`` timed ones."""
    walls, cpus, printed, others = [], [], [], []
    pattern = re.compile(r"ran (\d+) runs in (\d+) chunks \((\w+)\) in ([\d.]+) s")
    for i in range(repeats + 1):
        out = tmp / f"cli-{workers}-{i}"
        done, wall, cpu, busy_others = run_timed(sweep_command(out, workers))
        shutil.rmtree(out, ignore_errors=True)
        if i == 0:
            continue  # warm the page cache
        walls.append(wall)
        cpus.append(cpu)
        others.append(busy_others)
        match = pattern.search(done.stdout)
        if match:
            printed.append(float(match[4]))
    return {
        "workers": workers,
        "command": f"negosim sweep {EXPERIMENT.relative_to(ROOT)} --out DIR --workers "
        f"{workers} --no-progress",
        "wall_s": summary_of(walls),
        "cpu_s": summary_of(cpus),
        "others_cores": summary_of(others),
        "printed_run_sweep_s": summary_of(printed) if printed else None,
    }


def memory_cli(workers: int, tmp: Path) -> Json:
    """Peak memory of the whole ``negosim sweep`` process tree, sampled."""
    out = tmp / f"mem-cli-{workers}"
    command = sweep_command(out, workers)
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.stop.set()
    sampler.join()
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"negosim sweep exited {proc.returncode}:\n{err.decode()}")
    return {"workers": workers, **sampler.result()}


def measure(args: argparse.Namespace, repeats: int) -> Json:
    """Every measurement, each heavy one in a child process."""
    report: Json = {"load_average_start": load_average()}
    print("measuring: negosim sweep alone ...", file=sys.stderr)
    sweeps = []
    for executor, workers in SWEEP_SETTINGS:
        checks = 1 if (executor, workers) == ("process", 2) else 0
        data, *_ = run_child(__file__, ["sweep", executor, str(workers), str(repeats), str(checks)])
        sweeps.append(data)
    report["sweep"] = sweeps
    print("measuring: memory ...", file=sys.stderr)
    memory = []
    with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as name:
        tmp = Path(name)
        for workers in (1, 2):
            _, _, _, peaks = run_child(
                __file__, ["sweep", "process", str(workers), "1", "0"], sample=True
            )
            memory.append({"what": "sweep alone", "workers": workers, **(peaks or {})})
        for workers in (1, 2):
            memory.append({"what": "whole command", **memory_cli(workers, tmp)})
        report["memory"] = memory
        print("measuring: negosim sweep command ...", file=sys.stderr)
        report["cli"] = [time_cli(workers, repeats, tmp) for workers in (1, 2)]
    report["phases"] = [
        run_child(__file__, ["phases", str(workers), repr(time.time())])[0] for workers in (1, 2)
    ]
    if args.profile:
        print("measuring: profile of a 2-worker sweep ...", file=sys.stderr)
        report["profile"] = run_child(__file__, ["profile", "2", str(args.top)])[0]
    if not args.no_mesa:
        print(f"measuring: mesa.batch_run, ~{args.mesa_seconds:g} s each ...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="negosim-sweep-bench-") as name:
            check_file = Path(name) / "check.json"
            rows = next(s for s in sweeps if s["check_rows"])["check_rows"]
            check_file.write_text(json.dumps(rows))
            report["mesa"] = run_child(__file__, ["mesa", str(args.mesa_seconds), str(check_file)])[
                0
            ]
    report["load_average_end"] = load_average()
    return report


def ratios_and_goals(report: Json) -> Json:
    """negosim runs/s over batch_run runs/s, and the two goals."""
    sweep = {(s["executor"], s["workers"]): s for s in report["sweep"]}
    cli = {c["workers"]: c for c in report["cli"]}
    two = sweep[("process", 2)]
    result: Json = {
        "goal_wall": {
            "goal_s": GOAL_WALL_S,
            "sweep_alone_median_s": two["wall_s"]["median"],
            "sweep_alone_min_s": two["wall_s"]["min"],
            "whole_command_median_s": cli[2]["wall_s"]["median"],
            "sweep_alone_met": two["wall_s"]["median"] < GOAL_WALL_S,
            "whole_command_met": cli[2]["wall_s"]["median"] < GOAL_WALL_S,
        }
    }
    if "mesa" in report:
        rows = []
        for batch in report["mesa"]["batch_run"]:
            p = batch["processes"]
            ours = sweep[("process", p)]
            alone = ours["runs"] / ours["wall_s"]["median"]
            whole = ours["runs"] / cli[p]["wall_s"]["median"]
            # runs per CPU second of the whole tree: barely moved by other processes' load
            ours_cpu = ours["runs"] / (
                ours["driver_cpu_s"]["median"] + ours["worker_cpu_s"]["median"]
            )
            theirs_cpu = batch["runs"] / (batch["driver_cpu_s"] + batch["worker_cpu_s"])
            rows.append(
                {
                    "processes": p,
                    "negosim_sweep_runs_per_s": alone,
                    "negosim_command_runs_per_s": whole,
                    "batch_run_runs_per_s": batch["runs_per_s"],
                    "ratio_sweep": alone / batch["runs_per_s"],
                    "ratio_command": whole / batch["runs_per_s"],
                    "negosim_runs_per_cpu_s": ours_cpu,
                    "batch_run_runs_per_cpu_s": theirs_cpu,
                    "ratio_cpu": ours_cpu / theirs_cpu,
                    "met": alone / batch["runs_per_s"] >= GOAL_RATIO,
                }
            )
        result["ratio"] = rows
    return result


def agreement_ok(report: Json) -> bool:
    """Whether every check found the same outcomes on both paths (and in every setting)."""
    digests = {s["runs_digest"] for s in report["sweep"]}
    if len(digests) != 1:
        return False
    if "mesa" not in report:
        return True
    checks = report["mesa"]["checks"]
    return (
        checks["processes_1_vs_2"]["mismatches"] == 0
        and checks["batch_vs_model"]["mismatches"] == 0
        and not checks.get("sweep_vs_batch_run", {}).get("mismatches")
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 repeats instead of 5, and about 10 s of batch_run per process count",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the figures here")
    parser.add_argument("--repeats", type=int, help="override the number of repeats")
    parser.add_argument(
        "--mesa-seconds",
        type=float,
        help="target wall time of each batch_run call (default 60, quick 10)",
    )
    parser.add_argument("--no-mesa", action="store_true", help="skip mesa.batch_run")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also time a 2-worker sweep chunk by chunk and cProfile one chunk",
    )
    parser.add_argument("--top", type=int, default=12, help="rows of the profile (default 12)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_as_child(argv: list[str]) -> Json:
    """Dispatch a ``--child`` invocation (imported here: the parent must stay small)."""
    kind, *rest = argv
    if kind == "mesa":
        from sweep_mesa import child_mesa

        return child_mesa(float(rest[0]), Path(rest[1]) if len(rest) > 1 else None)
    from sweep_children import child_phases, child_profile, child_sweep

    if kind == "sweep":
        executor, workers, repeats, checks = rest
        return child_sweep(executor, int(workers), int(repeats), int(checks))
    if kind == "phases":
        return child_phases(int(rest[0]), float(rest[1]))
    if kind == "profile":
        return child_profile(int(rest[0]), int(rest[1]))
    raise SystemExit(f"unknown child {kind}")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the tables, optionally save JSON."""
    args = parse_args(argv)
    if args.child:
        print(json.dumps(run_as_child(args.child)))
        return 0
    repeats = args.repeats or (3 if args.quick else 5)
    if args.mesa_seconds is None:
        args.mesa_seconds = 10.0 if args.quick else 60.0
    started = time.time()
    code = source_fingerprint()  # stdlib only; again at the end: others may edit meanwhile
    report = measure(args, repeats)
    # Only now import mesa & co. in this process (machine_info reports their versions).
    machine = machine_info()
    machine["date"] = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started))
    machine["load_average_start"] = report["load_average_start"]
    report = {
        "machine": machine,
        "code": {**code, "at_end": source_fingerprint()},
        "settings": {
            "mode": "quick" if args.quick else "full",
            "experiment": str(EXPERIMENT.relative_to(ROOT)),
            "repeats": repeats,
            "mesa_seconds": None if args.no_mesa else args.mesa_seconds,
        },
        **report,
    }
    report["goals"] = ratios_and_goals(report)
    report["agreement"] = agreement_ok(report)
    print_report(report)
    write_json(args.json, report)
    return 0 if report["agreement"] else 1


if __name__ == "__main__":
    sys.exit(main())
