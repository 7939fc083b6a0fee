"""How fast are a sweep's charts, and does their memory stay flat as the sweep grows?

What it measures:

1. **A real 10,000-run sweep**: ``negosim sweep experiments/bench_grid.yaml`` (20 points ×
   500 replicates × 12 rounds; per-run table and four per-round columns) into a temporary
   directory.
2. **Synthesised 100,000- and 1,000,000-run sweeps** in exactly the on-disk format of a
   real one: the same experiment with 5,000 or 50,000 replicates per point, cut into the
   chunks ``negosim sweep`` would write (2,000 runs each on 2 workers: 50 or 500 chunks,
   so the two differ only in the number of chunks), every chunk file written with
   the 10,000-run sweep's schema and field metadata. Run r of point p is a copy of the
   real run (p, r mod 500) with its own replicate index and the seed
   ``derive_seeds`` gives it; the manifest says it was synthesised. Running the model a
   million times would take ~10 minutes on this machine and measure the model, not the
   charts.
3. For each, in a fresh child process (so ``ru_maxrss`` is its own): the time of the
   streaming pass over the files (``negosim.plots.sweep.charts``: open the chunk files,
   read only the needed columns, accumulate per-point aggregates), then of drawing and
   saving every chart at 150 dpi PNG, one after the other and then on every core as
   ``draw_all`` draws them (forked workers, ``negosim.plots.parallel``), and the peak RSS
   after imports, after the pass and at the end. The columns read of each table are
   printed. For the 10,000-run sweep, also the whole ``negosim plot DIR`` command.

Usage (from the project root)::

    .venv/bin/python benchmarks/plot_speed.py            # 10k, 100k and 1M (~2 minutes)
    .venv/bin/python benchmarks/plot_speed.py --quick    # 10k only
    .venv/bin/python benchmarks/plot_speed.py --json out/plot_speed.json --keep /tmp/sweeps

A script that prints figures, not a test: it asserts nothing. The machine is shared; the
load average is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import (
    EXPERIMENT,
    load_average,
    machine_info,
    maxrss_mb,
    run_child,
    run_timed,
    source_fingerprint,
    sweep_command,
)

SOURCE_REPLICATES = 500  # bench_grid.yaml
#: Synthesised sizes: 500 → 5,000 and 50,000 replicates per point (100,000 and 1,000,000 runs).
FACTORS = {"100k": 10, "1m": 100}
WORKERS = 2


def synthesise(source: Path, target: Path, factor: int, workers: int = WORKERS) -> None:
    """Write a sweep of ``factor`` × the replicates of ``source``, in its exact format."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from negosim.sweep.plan import balanced_chunk_runs
    from negosim.sweep.seeds import derive_seeds

    manifest = json.loads((source / "manifest.json").read_text())
    points, replicates = manifest["design"]["points"], manifest["replicates"]
    runs = pq.read_table(source / "runs").sort_by(
        [("point", "ascending"), ("replicate", "ascending")]
    )
    rounds = pq.read_table(source / "rounds").sort_by(
        [("point", "ascending"), ("replicate", "ascending"), ("round", "ascending")]
    )
    months = rounds.num_rows // runs.num_rows
    assert months * runs.num_rows == rounds.num_rows, "every run must have the same rounds"
    big = replicates * factor
    total = points * big
    chunk_runs = balanced_chunk_runs(total, workers)
    crn = bool(manifest["common_random_numbers"])
    (target / "runs").mkdir(parents=True)
    (target / "rounds").mkdir()
    shutil.copy(source / "parameters.parquet", target / "parameters.parquet")

    def with_ids(table: pa.Table, replicate: np.ndarray, seed: np.ndarray) -> pa.Table:
        for name, values in (("replicate", replicate), ("seed", seed)):
            i = table.schema.get_field_index(name)
            table = table.set_column(i, table.schema.field(i), pa.array(values))
        return table

    chunks = 0
    for start in range(0, total, chunk_runs):
        run = np.arange(start, min(start + chunk_runs, total))
        point, replicate = np.divmod(run, big)
        seed = np.concatenate([derive_seeds(manifest["master_seed"], int(p),
                                            replicate[point == p], crn)
                               for p in np.unique(point)])  # fmt: skip
        rows = point * replicates + replicate % replicates
        round_rows = (rows[:, None] * months + np.arange(months)).ravel()
        pq.write_table(
            with_ids(rounds.take(round_rows), np.repeat(replicate, months),
                     np.repeat(seed, months)),
            target / "rounds" / f"part-{chunks:06d}.parquet",
        )  # fmt: skip
        pq.write_table(with_ids(runs.take(rows), replicate, seed),
                       target / "runs" / f"part-{chunks:06d}.parquet")  # fmt: skip
        chunks += 1
    manifest.update(replicates=big, total_runs=total, chunk_runs=chunk_runs, chunks=chunks)
    manifest["synthesised"] = (
        f"benchmarks/plot_speed.py: run r of point p copies run (p, r mod {replicates}) of "
        f"{source.name}, with replicate r and its derived seed"
    )
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def child(directory: Path, out: Path) -> None:
    """Measure the pass and the drawing in this (fresh) process; print one JSON line."""
    import resource

    start = time.perf_counter()
    import negosim
    from negosim.plots.parallel import draw_jobs
    from negosim.plots.sweep import chart_jobs, charts

    imported, cpu_imported = time.perf_counter(), time.process_time()
    rss_imports = maxrss_mb(resource.RUSAGE_SELF)
    sweep = negosim.load_sweep(directory)
    plan = charts(sweep)
    passed, cpu_passed = time.perf_counter(), time.process_time()
    rss_pass = maxrss_mb(resource.RUSAGE_SELF)
    timings = {}
    for stem, job in chart_jobs(plan, out, "png"):
        begin = time.perf_counter()
        job()
        timings[stem] = time.perf_counter() - begin
    done, cpu_done = time.perf_counter(), time.process_time()
    # the same charts as draw_all draws them: forked workers, one per core
    begin = time.perf_counter()
    draw_jobs([job for _, job in chart_jobs(plan, out / "parallel", "png")])
    parallel = time.perf_counter() - begin
    import pyarrow.parquet as pq

    stored = {t: len(pq.read_schema(next((directory / t).glob("part-*.parquet"))).names)
              for t in ("runs", "rounds")}  # fmt: skip
    print(json.dumps({
        "runs": int(sweep.manifest["total_runs"]),
        "chunks": int(sweep.manifest["chunks"]),
        "imports_s": imported - start,
        "pass_s": passed - imported,
        "draw_s": done - passed,
        "pass_cpu_s": cpu_passed - cpu_imported,
        "draw_cpu_s": cpu_done - cpu_passed,
        "draw_parallel_s": parallel,
        "total_s": done - start,
        "charts": len(timings),
        "slowest": sorted(timings.items(), key=lambda kv: -kv[1])[:3],
        "rss_imports_mb": rss_imports,
        "rss_pass_mb": rss_pass,
        "rss_peak_mb": maxrss_mb(resource.RUSAGE_SELF),
        "stored_columns": stored,
        "read_columns": _read_columns(),
    }))  # fmt: skip


_READ: dict[str, set[str]] = {"runs": set(), "rounds": set()}


def _read_columns() -> dict[str, list[str]]:
    return {table: sorted(columns) for table, columns in _READ.items()}


def _record_reads() -> None:
    """Note which columns the charts read (a wrapper around SweepFiles.tables)."""
    from negosim.plots.sweep_source import SweepFiles

    original = SweepFiles.tables

    def tables(self: SweepFiles, table: str, columns: list[str]):
        _READ[table].update(columns)
        return original(self, table, columns)

    SweepFiles.tables = tables  # type: ignore[method-assign]


def measure(directory: Path, out: Path) -> dict:
    """One child's figures, plus its wall time as the parent saw it."""
    result, wall, cpu, _ = run_child(__file__, [str(directory), str(out)])
    return {**result, "child_wall_s": wall, "child_cpu_s": cpu}


def report(name: str, r: dict) -> None:
    print(f"\n{name}: {r['runs']:,} runs in {r['chunks']} chunks, {r['charts']} charts")
    print(f"  pass over the files  {r['pass_s']:6.2f} s wall, {r['pass_cpu_s']:.2f} s CPU "
          f"(imports {r['imports_s']:.2f} s)")  # fmt: skip
    slowest = ", ".join(f"{k} {v:.2f} s" for k, v in r["slowest"])
    print(f"  draw + save charts   {r['draw_s']:6.2f} s wall, {r['draw_cpu_s']:.2f} s CPU "
          "(one after the other)")  # fmt: skip
    print(f"  the same, all cores  {r['draw_parallel_s']:6.2f} s wall (draw_all: forked workers)")
    print(f"  slowest charts       {slowest}")
    print(f"  whole process        {r['child_wall_s']:6.2f} s wall, {r['child_cpu_s']:.2f} s CPU")
    print(
        f"  peak RSS             {r['rss_peak_mb']:6.0f} MB   (after imports "
        f"{r['rss_imports_mb']:.0f} MB, after the pass {r['rss_pass_mb']:.0f} MB)"
    )
    for table in ("runs", "rounds"):
        read = r["read_columns"][table]
        print(
            f"  {table:7s} columns read {len(read)} of {r['stored_columns'][table]}: "
            + ", ".join(read)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the 10,000-run sweep only")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--keep", type=Path, help="build the sweeps here and keep them")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--synthesise", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _record_reads()
        child(*args.child)
        return
    if args.synthesise:
        source, target, factor = args.synthesise
        synthesise(Path(source), Path(target), int(factor))
        return
    info = {"machine": machine_info(), "code": source_fingerprint()}
    print(
        f"plot_speed: {info['machine']['cpu_count']} CPUs, load {load_average()}, "
        f"commit {info['code']['commit'][:10]}"
    )
    base = args.keep or Path(tempfile.mkdtemp(prefix="negosim-plot-speed-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        small = base / "sweep-10k"
        if not small.exists():
            _, wall, _, _ = run_timed(sweep_command(small, WORKERS, EXPERIMENT))
            print(f"built {small.name} with negosim sweep in {wall:.1f} s")
        results = {"10k": measure(small, base / "charts-10k")}
        report("10k", results["10k"])
        command = [sys.executable, "-m", "negosim", "plot", str(small), "--out",
                   str(base / "command-10k")]  # fmt: skip
        done, wall, cpu, _ = run_timed(command)
        results["10k"]["command_wall_s"], results["10k"]["command_cpu_s"] = wall, cpu
        print(f"  negosim plot DIR     {wall:6.2f} s wall, {cpu:.2f} s CPU (the whole command, "
              f"exit {done.returncode})")  # fmt: skip
        for name, factor in ({} if args.quick else FACTORS).items():
            big = base / f"sweep-{name}"
            if not big.exists():
                # in a child: the parent stays small (a child's ru_maxrss starts from it)
                command = [sys.executable, __file__, "--synthesise", str(small), str(big),
                           str(factor)]  # fmt: skip
                _, wall, _, _ = run_timed(command)
                print(f"\nsynthesised {big.name} in {wall:.1f} s")
            results[name] = measure(big, base / f"charts-{name}")
            report(name, results[name])
        info["load_average_end"] = load_average()
        print(f"\nload average at the end: {info['load_average_end']}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({**info, "results": results}, indent=2) + "\n")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
